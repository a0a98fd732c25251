"""A short mock assessment in headless Chromium: start, answer against the clock, submit, read
the report, download it."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from exercises import load_bank

pytestmark = pytest.mark.browser
BANK = load_bank()


def test_take_a_short_assessment_and_read_the_report(page: Page, app_url: str, shots) -> None:
    page.set_viewport_size({"width": 1400, "height": 1000})
    page.goto(app_url)
    link = page.get_by_role("link", name="Mock assessment")
    expect(link).to_be_visible(timeout=120_000)  # perhaps the server's first visitor: a cold start
    link.click()
    expect(page.get_by_role("heading", name="Mock assessment").first).to_be_visible(timeout=30_000)
    page.get_by_role("button", name="Continue to the rules").click()
    page.get_by_role("button", name="Start the clock").click()

    timer = page.get_by_test_id("stMetric").filter(has_text="Time left")
    expect(timer).to_be_visible(timeout=30_000)
    first = timer.get_by_test_id("stMetricValue").inner_text()
    page.wait_for_timeout(2_500)
    assert timer.get_by_test_id("stMetricValue").inner_text() != first  # the clock is running
    page.screenshot(path=shots / "assessment-sitting.png")

    page.get_by_role("tab", name="Explain to a stakeholder").click()
    panel = page.get_by_role("tabpanel").filter(has=page.locator("textarea")).last
    title = panel.get_by_role("heading", level=4).first.inner_text()
    authored = next(e for e in BANK.exercises.values() if e.title == title)
    # the sitting asks a variant the learner has not seen: answer that variant, not the authored one
    shown = panel.get_by_text(re.compile(r"^Variant \d+$"))
    seed = int(shown.inner_text().split()[1]) if shown.count() else 0
    exercise = BANK.variant(authored.id, seed) or authored
    box = panel.locator("textarea")
    box.fill(exercise.reference.text)
    box.blur()
    page.wait_for_timeout(1_000)
    page.get_by_role("button", name="Submit all four tasks").click()
    page.get_by_role("button", name="Submit now").click()

    expect(page.get_by_text("Assessment score")).to_be_visible(timeout=60_000)
    expect(page.get_by_text(f"Explain to a stakeholder: {exercise.title}", exact=False)).to_have_count(0)  # no leak
    chart = page.get_by_test_id("stPlotlyChart")
    expect(chart).to_be_visible(timeout=30_000)
    expect(page.get_by_role("button", name="Download the report (print-ready HTML)")).to_be_visible()
    page.locator(".st-key-report").evaluate("e => e.scrollIntoView({block: 'start'})")
    page.wait_for_timeout(800)
    page.screenshot(path=shots / "assessment-report.png")
    with page.expect_download() as download:
        page.get_by_role("button", name="Download the report (print-ready HTML)").click()
    html = download.value.path().read_text(encoding="utf-8")
    assert "Baton mock assessment" in html
    assert "<script" not in html.lower()
