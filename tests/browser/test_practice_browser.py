"""A new user, as the demo learner, completes an exercise in headless Chromium and sees the grade."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from exercises import load_bank
from exercises.model import Kind
from tests.browser.progress_page import open_only_attempt

pytestmark = pytest.mark.browser
BANK = load_bank()


def test_demo_learner_answers_an_explanation_and_sees_the_grade(page: Page, app_url: str, shots) -> None:
    exercise = next(e for e in sorted(BANK.exercises.values(), key=lambda e: e.id) if e.kind == Kind.explain_reasoning)
    page.set_viewport_size({"width": 1400, "height": 1000})
    page.goto(app_url)
    expect(page.get_by_role("heading", name="Practice")).to_be_visible(timeout=30_000)
    page.screenshot(path=shots / "practice-list.png", full_page=True)

    page.locator(f".st-key-open-{exercise.id} button").click()  # Streamlit's class for key "open:<id>"
    expect(page.get_by_role("heading", name=exercise.title)).to_be_visible(timeout=30_000)

    box = page.get_by_label(f"Your explanation to {exercise.stakeholder.name}", exact=False)
    box.fill(exercise.reference.text)
    box.blur()
    expect(page.get_by_text("Draft saved")).to_be_visible(timeout=15_000)
    page.get_by_role("button", name="Submit for grading").click()

    expect(page.get_by_text("Your grade")).to_be_visible(timeout=30_000)
    score = page.get_by_test_id("stMetricValue").first
    expect(score).to_contain_text("/ 100")
    assert int(score.inner_text().split("/")[0]) >= 90
    expect(page.get_by_text("Key points", exact=False).first).to_be_visible()
    page.locator("[class*='st-key-grade-']").first.evaluate("e => e.scrollIntoView({block: 'start'})")
    page.wait_for_timeout(500)  # let the last rerun settle before the picture
    page.screenshot(path=shots / "explanation-graded.png")

    page.get_by_role("link", name="My progress").click()
    expect(page.get_by_role("heading", name="My progress")).to_be_visible(timeout=30_000)
    expect(page.get_by_test_id("stMetricValue").filter(has_text="/ 100")).to_have_count(0)  # none open yet
    open_only_attempt(page)
    expect(page.get_by_test_id("stMetricValue").filter(has_text="/ 100").first).to_be_visible()
    page.screenshot(path=shots / "my-progress.png", full_page=True)
