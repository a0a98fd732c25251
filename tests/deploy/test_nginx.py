"""Past one process: nginx in front of two Baton processes that share PostgreSQL.

A learner signs in through nginx (OpenID Connect), submits an answer in a session held by one
process, then reconnects and lands on the other process, which shows the grade on My progress:
the sign-in cookie is valid on both processes, and the grade is in the shared database."""

from __future__ import annotations

import os
import subprocess
import sys
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from deploy.cluster import Cluster, free_port, migrate, wait_ready
from exercises import load_bank
from exercises.model import Kind
from tests.browser.progress_page import open_only_attempt

pytestmark = pytest.mark.browser
LEARNER = "lee@example.com"
BANK = load_bank()


@dataclass
class Setup:
    url: str
    app_ports: list[int]


def upstream(url: str, route: str) -> str:
    """Which app process nginx sends a browser with this sticky cookie to."""
    request = urllib.request.Request(url + "/_stcore/health", headers={"Cookie": f"baton_route={route}"})
    with urllib.request.urlopen(request, timeout=5) as reply:
        return str(reply.headers["X-Baton-Upstream"])


@pytest.fixture(scope="module")
def setup(
    need_nginx: str, need_chromium: str, shared_database: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Setup]:
    folder = tmp_path_factory.mktemp("nginx")
    op_port, port = free_port(), free_port()
    op_log = (folder / "oidc.log").open("w")
    provider = subprocess.Popen(
        [str(Path(sys.executable).with_name("oidc-provider-mock")), "--host", "127.0.0.1", "--port", str(op_port)],
        stdout=op_log,
        stderr=subprocess.STDOUT,
        env={**os.environ, "PYTHONWARNINGS": "ignore"},
    )
    secrets = folder / "secrets.toml"
    secrets.write_text(  # one cookie_secret for both processes; the IdP returns to nginx, not to a process
        "[auth]\n"
        f'redirect_uri = "http://127.0.0.1:{port}/oauth2callback"\n'
        'cookie_secret = "a-shared-cookie-secret-that-is-long-enough-0123456789"\n'
        'client_id = "baton-test"\n'
        'client_secret = "baton-test-secret"\n'
        f'server_metadata_url = "http://127.0.0.1:{op_port}/.well-known/openid-configuration"\n'
    )
    env = {"DATABASE_URL": shared_database, "BATON_DEMO": "0"}
    cluster = Cluster(processes=2, port=port, env=env, secrets=secrets, prefix=folder / "nginx", expose_upstream=True)
    try:
        wait_ready(f"http://127.0.0.1:{op_port}/.well-known/openid-configuration", provider, op_log.name)
        migrate(env)  # once, before the processes start, so that they do not race to do it
        with cluster:
            yield Setup(cluster.url, cluster.app_ports)
    finally:
        provider.terminate()
        provider.wait(10)
        op_log.close()


def routes_to_each_process(setup: Setup) -> tuple[str, str]:
    """Two sticky-cookie values that nginx sends to different processes."""
    seen: dict[str, str] = {}
    for i in range(100):
        seen.setdefault(upstream(setup.url, f"route{i}"), f"route{i}")
        if len(seen) == 2:
            first, second = seen.values()
            return first, second
    raise AssertionError(f"nginx sent every route to {list(seen)}")


def route_to(page: Page, setup: Setup, route: str) -> None:
    page.context.add_cookies([{"name": "baton_route", "value": route, "url": setup.url}])


def test_sticky_cookie_balances_and_sets_itself(setup: Setup) -> None:
    answered = set()
    for _ in range(20):
        with urllib.request.urlopen(setup.url + "/_stcore/health", timeout=5) as reply:
            assert reply.read() == b"ok"
            given = [c for c in reply.headers.get_all("Set-Cookie") if c.startswith("baton_route=")]
            assert len(given) == 1, reply.headers.get_all("Set-Cookie")  # a new browser is given its route
            route = given[0].split(";")[0].split("=", 1)[1]
            answered.add(reply.headers["X-Baton-Upstream"])
        assert upstream(setup.url, route) in answered  # and keeps it
    assert answered == {f"127.0.0.1:{p}" for p in setup.app_ports}


def test_a_grade_submitted_on_one_process_shows_on_the_other_after_a_reconnect(
    page: Page, setup: Setup, shots: Path
) -> None:
    exercise = next(e for e in sorted(BANK.exercises.values(), key=lambda e: e.id) if e.kind == Kind.explain_reasoning)
    first, second = routes_to_each_process(setup)
    page.set_viewport_size({"width": 1400, "height": 1000})

    # Sign in through nginx; the identity provider sends the browser back to nginx.
    route_to(page, setup, first)
    page.goto(setup.url)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/oauth2/authorize**")
    page.locator('input[name="sub"]').fill(LEARNER)
    page.get_by_role("button", name="Authorize").click()
    expect(page.get_by_text(f"Signed in as {LEARNER}")).to_be_visible(timeout=30_000)

    # Answer and submit in a session held by the first process.
    served = page.goto(f"{setup.url}/?exercise={exercise.id}")
    assert served is not None
    assert served.headers["x-baton-upstream"] == upstream(setup.url, first)
    expect(page.get_by_role("heading", name=exercise.title)).to_be_visible(timeout=30_000)
    box = page.get_by_label(f"Your explanation to {exercise.stakeholder.name}", exact=False)
    box.fill(exercise.reference.text)
    box.blur()
    expect(page.get_by_text("Draft saved")).to_be_visible(timeout=15_000)
    page.get_by_role("button", name="Submit for grading").click()
    expect(page.get_by_text("Your grade")).to_be_visible(timeout=30_000)
    score = page.get_by_test_id("stMetricValue").filter(has_text="/ 100").first
    expect(score).to_be_visible()
    graded = score.inner_text()

    # Reconnect: the browser's route now hashes to the other process, which holds no session
    # for it. The sign-in cookie is still valid there, and the grade comes from PostgreSQL.
    route_to(page, setup, second)
    served = page.goto(setup.url)
    assert served is not None
    assert served.headers["x-baton-upstream"] == upstream(setup.url, second) != upstream(setup.url, first)
    expect(page.get_by_text(f"Signed in as {LEARNER}")).to_be_visible(timeout=30_000)
    page.get_by_role("link", name="My progress").click()
    expect(page.get_by_role("heading", name="My progress")).to_be_visible(timeout=30_000)
    expect(page.locator(".js-plotly-plot .main-svg").first).to_be_visible(timeout=30_000)  # the charts drew
    open_only_attempt(page)
    expect(page.get_by_test_id("stMetricValue").filter(has_text="/ 100").first).to_have_text(graded)
    page.screenshot(path=shots / "progress-after-reconnect-through-nginx.png", full_page=True)
