"""Practising one exercise twice in headless Chromium: after the first grade, "Try a fresh
variant" opens another variant of it, whose reference (derived for it) differs from the first."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from exercises import load_bank

pytestmark = pytest.mark.browser
BANK = load_bank()
EXERCISE_ID = "fin-explain-invoice-redesign"  # parameterised: the figures the decision rests on vary
FIGURE = re.compile(r"\$\d{1,3}(?:,\d{3})+")


def answer_and_grade(page: Page, text: str) -> None:
    box = page.get_by_label("Your explanation to", exact=False)
    expect(box).to_have_value("", timeout=15_000)  # a new variant starts from an empty answer
    box.fill(text)
    box.blur()
    expect(page.get_by_text("Draft saved")).to_be_visible(timeout=15_000)
    page.get_by_role("button", name="Submit for grading").click()
    expect(page.get_by_text("Your grade")).to_be_visible(timeout=30_000)
    score = page.get_by_test_id("stMetricValue").first
    expect(score).to_contain_text("/ 100")
    assert int(score.inner_text().split("/")[0]) >= 90  # the variant's own reference, graded on it


def shown_reference(page: Page) -> str:
    page.get_by_text("Reference answer and why it works").click()
    body = page.get_by_test_id("stExpanderDetails").filter(has_text="recommend").last
    expect(body).to_be_visible(timeout=15_000)
    return body.inner_text()


def test_practising_twice_gives_two_variants_with_different_references(page: Page, app_url: str, shots) -> None:
    authored = BANK.exercises[EXERCISE_ID]
    page.set_viewport_size({"width": 1400, "height": 1000})
    page.goto(f"{app_url}/?exercise={EXERCISE_ID}")
    expect(page.get_by_role("heading", name=authored.title)).to_be_visible(timeout=30_000)

    answer_and_grade(page, authored.reference.text)
    first = shown_reference(page)
    assert "$41,900" in first

    page.get_by_role("button", name="Try a fresh variant").click()
    caption = page.get_by_text(re.compile(r"· variant \d+"))
    expect(caption).to_be_visible(timeout=30_000)
    seed = int(re.search(r"variant (\d+)", caption.inner_text()).group(1))  # type: ignore[union-attr]
    variant = BANK.variant(EXERCISE_ID, seed)
    assert variant is not None
    assert variant.reference.text != authored.reference.text
    page.screenshot(path=shots / "fresh-variant.png")

    answer_and_grade(page, variant.reference.text)
    second = shown_reference(page)
    new_figures = set(FIGURE.findall(variant.reference.text)) - set(FIGURE.findall(authored.reference.text))
    assert new_figures, "the variant's reference states figures of its own"
    assert all(f in second for f in new_figures)
    assert second != first
    page.screenshot(path=shots / "fresh-variant-graded.png", full_page=True)
