"""Fixtures for the multi-process setup: nginx (Debian's package), PostgreSQL (CI's server, or a
throwaway one), a local OpenID Connect provider, and Chromium through Playwright.

What is missing is skipped with the reason, except where CI must run it: nginx under CI=true,
PostgreSQL under BATON_REQUIRE_POSTGRES=1, Chromium under BATON_REQUIRE_BROWSER=1."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from deploy.cluster import nginx_binary, postgres_bin, throwaway_database, throwaway_postgres
from tests.browser.conftest import CHROMIUM, SHOTS

IN_CI = os.environ.get("CI", "").lower() == "true"


def _missing(reason: str, required: bool, how: str) -> None:
    if required:
        pytest.fail(f"{reason}, and {how} requires it")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": ["--disable-background-networking", "--disable-component-update", "--disable-sync"],
    }


@pytest.fixture(scope="module")
def need_nginx() -> str:
    binary = nginx_binary()
    if binary is None:
        _missing("nginx is not installed (apt-get install nginx)", IN_CI, "CI=true")
    assert binary is not None
    return binary


@pytest.fixture(scope="module")
def need_chromium() -> str:
    if CHROMIUM is None:
        _missing(
            "no Chromium found (apt-get install chromium)",
            os.environ.get("BATON_REQUIRE_BROWSER") == "1",
            "BATON_REQUIRE_BROWSER=1",
        )
    assert CHROMIUM is not None
    return CHROMIUM


@pytest.fixture(scope="module")
def shared_database() -> Iterator[str]:
    """A fresh PostgreSQL database both app processes share."""
    server = os.environ.get("TEST_DATABASE_URL")
    if server:
        with throwaway_database(server) as url:
            yield url
        return
    if postgres_bin() is None:
        _missing(
            "PostgreSQL is not available: set TEST_DATABASE_URL or install postgresql",
            os.environ.get("BATON_REQUIRE_POSTGRES") == "1",
            "BATON_REQUIRE_POSTGRES=1",
        )
    with throwaway_postgres() as url:
        yield url


@pytest.fixture
def shots() -> Path:
    SHOTS.mkdir(parents=True, exist_ok=True)
    return SHOTS
