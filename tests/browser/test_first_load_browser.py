"""The first load, in headless Chromium against the app as `make run` serves it: a page's own
address loads without a single failed request (Streamlit's client used to probe
`/progress/_stcore/health` first, a 404), and while a new server starts the menu is the app's
own, never the raw file names under pages/."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Page, Response, expect

from tests.browser.conftest import serve_app, stop

pytestmark = pytest.mark.browser
# Each learner page's address and its heading (the first page, Practice, is the bare address).
LEARNER_PAGES = {"": "Practice", "progress": "My progress", "assessment": "Mock assessment"}
MENU = {"Practice", "Mock assessment", "My progress"}


def menu(page: Page) -> set[str]:
    """The sidebar menu's link names (each link's text starts with its icon's name)."""
    return {text.split("\n")[-1] for text in page.get_by_test_id("stSidebarNav").get_by_role("link").all_inner_texts()}


def failures(page: Page) -> list[str]:
    failed: list[str] = []

    def note(response: Response) -> None:
        if response.status >= 400:
            failed.append(f"{response.status} {response.url}")

    page.on("response", note)
    return failed


@pytest.mark.parametrize("path", list(LEARNER_PAGES))
def test_a_page_loaded_at_its_own_address_has_no_failed_request(page: Page, app_url: str, path: str) -> None:
    failed = failures(page)
    page.goto(f"{app_url}/{path}")
    expect(page.get_by_role("heading", name=LEARNER_PAGES[path], exact=True).first).to_be_visible(timeout=60_000)
    page.reload()  # a reload of the same address, as a user would
    expect(page.get_by_role("heading", name=LEARNER_PAGES[path], exact=True).first).to_be_visible(timeout=60_000)
    assert failed == []


def test_a_new_server_shows_the_apps_menu_from_the_first_load(page: Page, tmp_path: Path) -> None:
    """The first run in a new server process is where the raw file list could show: a server of
    its own, loaded at a page's address, read while it is still starting."""
    proc, url, log = serve_app(tmp_path, {"DATABASE_URL": f"sqlite:///{tmp_path / 'baton.db'}", "BATON_DEMO": "1"})
    try:
        failed = failures(page)
        page.goto(f"{url}/progress")
        seen: set[str] = set()
        heading = page.get_by_role("heading", name="My progress", exact=True).first
        for _ in range(600):  # every 50 ms until the page is there, and once more after
            seen |= menu(page)
            if heading.is_visible():
                break
            page.wait_for_timeout(50)
        expect(heading).to_be_visible()
        seen |= menu(page)
        assert seen == MENU
        assert failed == []
    finally:
        stop(proc, log)
