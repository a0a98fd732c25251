"""Steps on My progress that several browser tests take."""

from __future__ import annotations

from playwright.sync_api import Page, expect


def open_only_attempt(page: Page) -> None:
    """On My progress: open the Attempts tab and pick the learner's (only) attempt."""
    page.get_by_role("tab", name="Attempts").click()
    picker = page.get_by_role("combobox", name="Open an attempt")
    expect(picker).to_be_visible(timeout=30_000)
    picker.click()
    page.keyboard.press("ArrowDown")  # opens the list (a click only focuses the combobox)
    page.get_by_role("option").first.click()
