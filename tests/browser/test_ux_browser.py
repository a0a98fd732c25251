"""What a new user sees, in headless Chromium: the mock assessment's rules, confirmation and
"not attempted"; text kept across a reload without leaving the box; every page within a 390 px
screen; and no request to any host but the app's own."""

from __future__ import annotations

from urllib.parse import urlparse

import pytest
from playwright.sync_api import Page, expect

from exercises import load_bank
from exercises.model import Kind

pytestmark = pytest.mark.browser
BANK = load_bank()
EXERCISES = sorted(BANK.exercises.values(), key=lambda e: e.id)
LEARNER_PAGES = ["", "assessment", "progress"]
INSTRUCTOR_PAGES = ["Cohort", "Assessments", "Grader reliability"]


def of_kind(kind: Kind, n: int = 0):
    return [e for e in EXERCISES if e.kind == kind][n]


def settle(page: Page) -> None:
    """Wait until Streamlit has finished the current run (its status widget shows while it runs)."""
    page.wait_for_timeout(1500)
    expect(page.get_by_test_id("stStatusWidget")).to_have_count(0, timeout=60_000)
    page.wait_for_timeout(500)


def overflow(page: Page) -> list[str]:
    """What scrolls sideways: the document, or the app's main area."""
    return page.evaluate(
        """() => {
        const wide = [];
        const w = window.innerWidth;
        if (document.documentElement.scrollWidth > w) wide.push('document ' + document.documentElement.scrollWidth);
        const main = document.querySelector('.stMain, [data-testid="stMain"]');
        if (main && main.scrollWidth > main.clientWidth + 1) wide.push('main ' + main.scrollWidth);
        return wide;
    }"""
    )


def test_the_mock_assessment_states_its_rules_confirms_and_reports_not_attempted(
    page: Page, app_url: str, shots
) -> None:
    page.set_viewport_size({"width": 1400, "height": 1000})
    page.goto(app_url + "/assessment?demo_user=rules")  # perhaps the server's first visitor: a cold start
    expect(page.get_by_role("heading", name="Mock assessment", exact=True)).to_be_visible(timeout=120_000)
    page.get_by_role("button", name="Continue to the rules").click()
    expect(page.get_by_text("No feedback until the end")).to_be_visible(timeout=30_000)
    expect(page.get_by_text("Time left")).to_have_count(0)  # the clock has not started
    page.screenshot(path=shots / "assessment-rules.png", full_page=True)
    page.get_by_role("button", name="Start the clock").click()
    expect(page.get_by_text("Time left")).to_be_visible(timeout=30_000)

    page.get_by_role("tab", name="Explain", exact=False).click()
    box = page.get_by_label("Your explanation to", exact=False)
    box.fill("Bottom line: we should pause the rollout until the checks are in place.")
    box.blur()
    settle(page)
    page.get_by_role("button", name="Submit all four tasks").click()
    confirm = page.get_by_text("Not answered yet", exact=False)
    expect(confirm).to_be_visible(timeout=30_000)
    for kind in ("Design a workflow", "Find the failure points", "Validate an AI output"):
        expect(confirm).to_contain_text(kind)
    page.screenshot(path=shots / "assessment-confirm.png", full_page=True)
    page.get_by_role("button", name="Submit now").click()
    expect(page.get_by_text("Assessment score")).to_be_visible(timeout=60_000)
    table = page.get_by_test_id("stTable")
    expect(table).to_contain_text("not attempted")
    expect(table.get_by_text("not attempted", exact=True)).to_have_count(3)
    page.screenshot(path=shots / "assessment-report.png", full_page=True)


def test_typed_text_survives_a_reload_without_leaving_the_box(page: Page, app_url: str) -> None:
    exercise = of_kind(Kind.explain_reasoning, 1)
    page.set_viewport_size({"width": 1400, "height": 1000})
    url = f"{app_url}/?exercise={exercise.id}&demo_user=reload"
    page.goto(url)
    expect(page.get_by_role("heading", name=exercise.title)).to_be_visible(timeout=120_000)
    settle(page)
    box = page.get_by_label(f"Your explanation to {exercise.stakeholder.name}", exact=False)
    box.click()
    box.press_sequentially("Typed and never left.", delay=20)
    settle(page)  # a pause in typing: the text is committed and autosaved, the box keeps the focus
    expect(box).to_be_focused()
    page.reload()
    box = page.get_by_label(f"Your explanation to {exercise.stakeholder.name}", exact=False)
    expect(box).to_have_value("Typed and never left.", timeout=30_000)


def visit(page: Page, app_url: str, path: str) -> None:
    page.goto(f"{app_url}/{path}")
    expect(page.get_by_role("heading").first).to_be_visible(timeout=120_000)
    settle(page)


def test_no_page_scrolls_sideways_at_390_px_and_none_asks_another_host(page: Page, app_url: str, shots) -> None:
    app_host = urlparse(app_url).netloc
    foreign: list[str] = []
    page.on("request", lambda r: foreign.append(r.url) if urlparse(r.url).netloc not in (app_host, "") else None)
    wide: dict[str, list[str]] = {}
    learner_views = [*LEARNER_PAGES, *(f"?exercise={of_kind(k).id}" for k in Kind)]
    for width in (1400, 390):
        page.set_viewport_size({"width": width, "height": 900})
        for path in learner_views:
            visit(page, app_url, path)
            name = (path or "practice").replace("?exercise=", "").replace("/", "")
            page.screenshot(path=shots / f"w{width}-{name}.png", full_page=True)
            if width == 390 and (found := overflow(page)):
                wide[path or "practice"] = found
    # the instructor's pages, reached as a new user would: the demo switch, then the menu
    page.set_viewport_size({"width": 1400, "height": 900})
    visit(page, app_url, "")
    page.get_by_text("Instructor", exact=True).click()
    settle(page)
    for title in INSTRUCTOR_PAGES:
        page.set_viewport_size({"width": 1400, "height": 900})
        page.get_by_role("link", name=title).click()
        settle(page)
        page.screenshot(path=shots / f"w1400-{title}.png", full_page=True)
        page.set_viewport_size({"width": 390, "height": 900})
        settle(page)
        page.screenshot(path=shots / f"w390-{title}.png", full_page=True)
        if found := overflow(page):
            wide[title] = found
    assert wide == {}
    assert foreign == []


def test_the_review_queue_asks_before_saving_an_override(page: Page, app_url: str, shots) -> None:
    page.set_viewport_size({"width": 1400, "height": 1000})
    visit(page, app_url, "")
    cohort = page.get_by_role("link", name="Cohort")
    for _ in range(3):  # a click while the first run still draws the page can be lost
        page.get_by_text("Instructor", exact=True).click()
        settle(page)
        if cohort.count():
            break
    cohort.click()
    settle(page)
    page.get_by_role("tab", name="Review queue").click()
    settle(page)
    page.screenshot(path=shots / "review-queue-1400.png", full_page=True)
    total = page.get_by_label("New total")
    expect(total).to_be_visible(timeout=60_000)
    before = float(total.input_value())
    after = 100.0 if before < 100 else 50.0
    total.fill(str(after))
    page.get_by_label("Reason (the learner reads it)").fill("Second look: <b>the risk is stated</b>.")
    page.get_by_role("button", name="Save override").click()
    ask = page.get_by_text("Save this override?")
    expect(ask).to_be_visible(timeout=30_000)
    expect(page.get_by_text(f"The total goes from {before:.1f} to {after:.1f}")).to_be_visible()
    expect(page.get_by_role("paragraph").filter(has_text="Second look: <b>the risk is stated</b>.")).to_be_visible()
    page.set_viewport_size({"width": 390, "height": 900})
    settle(page)
    page.get_by_role("button", name="Confirm and save").scroll_into_view_if_needed()
    page.screenshot(path=shots / "review-confirm-390.png")
    assert overflow(page) == []
    page.set_viewport_size({"width": 1400, "height": 1000})
    page.get_by_role("button", name="Cancel").click()
    expect(page.get_by_text("Override cancelled: nothing was saved.")).to_be_visible(timeout=30_000)
    expect(ask).to_have_count(0)
    page.get_by_role("button", name="Save override").click()
    expect(ask).to_be_visible(timeout=30_000)
    page.get_by_role("button", name="Confirm and save").click()
    expect(page.get_by_text(f"Override saved: the grade is now {after:.1f}")).to_be_visible(timeout=30_000)
    page.screenshot(path=shots / "review-saved-1400.png", full_page=True)
