"""Sign-in through st.login against a local OpenID Connect provider: roles come from the store,
sign-out works, and a tampered session cookie is refused."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from store.db import make_engine, session_scope
from store.migrate import upgrade
from store.models import Role
from store.users import get_or_create_user
from tests.browser.conftest import free_port, serve_app, stop, wait_healthy

pytestmark = pytest.mark.browser
ADMIN = "admin@example.com"
ADMIN_SUB = "admin-subject"
COOKIE_SECRET = "a-test-cookie-secret-that-is-long-enough-0123456789"
TEACHER = "teacher@example.com"


@dataclass
class AuthApp:
    url: str
    db_url: str


@pytest.fixture(scope="module")
def auth_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[AuthApp]:
    folder = tmp_path_factory.mktemp("auth")
    op_port = free_port()
    op_log = (folder / "oidc.log").open("w")
    mock = Path(sys.executable).with_name("oidc-provider-mock")
    provider = subprocess.Popen(
        [
            str(mock),
            "--host",
            "127.0.0.1",
            "--port",
            str(op_port),
            # the admin's provider vouches for the address; a typed subject gets an unverified one
            "--user-claims",
            json.dumps({"sub": ADMIN_SUB, "email": ADMIN, "email_verified": True}),
        ],
        stdout=op_log,
        stderr=subprocess.STDOUT,
        env={**os.environ, "PYTHONWARNINGS": "ignore"},
    )
    wait_healthy(f"http://127.0.0.1:{op_port}/.well-known/openid-configuration", provider, op_log.name)
    db_url = f"sqlite:///{folder / 'baton.db'}"
    engine = make_engine(db_url)
    upgrade(engine)
    with session_scope(engine) as s:  # the store, not the identity provider, holds roles
        get_or_create_user(s, TEACHER, "Tess Teacher", TEACHER, Role.instructor)
    engine.dispose()
    secrets = folder / "secrets.toml"
    secrets.write_text(
        "[auth]\n"
        'redirect_uri = "http://127.0.0.1:{port}/oauth2callback"\n'
        f'cookie_secret = "{COOKIE_SECRET}"\n'
        'client_id = "baton-test"\n'
        'client_secret = "baton-test-secret"\n'
        f'server_metadata_url = "http://127.0.0.1:{op_port}/.well-known/openid-configuration"\n'
    )
    env = {"DATABASE_URL": db_url, "BATON_ADMIN_EMAIL": ADMIN, "BATON_DEMO": "0"}
    proc, url, log = serve_app(folder, env, [f"--secrets.files={secrets}"])
    yield AuthApp(url, db_url)
    stop(proc, log)
    provider.terminate()
    provider.wait(10)
    op_log.close()


def sign_in(page: Page, app: AuthApp, who: str, shown_as: str | None = None) -> None:
    page.goto(app.url)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/oauth2/authorize**")
    page.locator('input[name="sub"]').fill(who)
    page.get_by_role("button", name="Authorize").click()
    expect(page.get_by_text(f"Signed in as {shown_as or who}")).to_be_visible(timeout=30_000)


def test_sign_in_as_a_new_learner_and_sign_out(page: Page, auth_app: AuthApp, shots) -> None:
    sign_in(page, auth_app, "alice@example.com")
    expect(page.get_by_text("· learner")).to_be_visible()
    expect(page.get_by_role("link", name="Cohort")).to_have_count(0)
    page.screenshot(path=shots / "signed-in-learner.png")
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url("**/oauth2/end_session**")
    page.get_by_role("button", name="End session").click()
    expect(page.get_by_role("button", name="Sign in")).to_be_visible(timeout=30_000)


def test_roles_come_from_the_store_and_the_admin_from_settings(page: Page, auth_app: AuthApp) -> None:
    sign_in(page, auth_app, TEACHER, shown_as="Tess Teacher")
    expect(page.get_by_text("· instructor")).to_be_visible()
    expect(page.get_by_role("link", name="Cohort")).to_be_visible()
    page.context.clear_cookies()
    sign_in(page, auth_app, ADMIN)  # the admin's address, typed into an account: not verified
    expect(page.get_by_text("· learner")).to_be_visible()
    page.context.clear_cookies()
    sign_in(page, auth_app, ADMIN_SUB, shown_as=ADMIN)  # the same address, verified by the provider
    expect(page.get_by_text("· admin")).to_be_visible()


def test_a_tampered_session_cookie_is_refused(page: Page, auth_app: AuthApp) -> None:
    sign_in(page, auth_app, "mallory@example.com")
    cookies = page.context.cookies()
    session = [c for c in cookies if c["name"].startswith("_streamlit_user")]
    assert session, [c["name"] for c in cookies]
    forged = []
    for c in session:
        value = c["value"]
        # claim to be someone else: swap the payload's characters, keep the signature
        tampered = value[:-12] + ("A" if value[-12] != "A" else "B") + value[-11:]
        forged.append({**c, "value": tampered})
    page.context.clear_cookies()
    page.context.add_cookies(forged)
    page.goto(auth_app.url)
    expect(page.get_by_role("button", name="Sign in")).to_be_visible(timeout=30_000)
    expect(page.get_by_text("Signed in as")).to_have_count(0)


def test_an_expired_session_cookie_is_refused(page: Page, auth_app: AuthApp) -> None:
    """A cookie signed with the right secret but 60 days ago (past Streamlit's lifetime) signs no one in."""
    from itsdangerous import URLSafeTimedSerializer

    class SignedLongAgo(URLSafeTimedSerializer):
        def make_signer(self, salt=None):  # type: ignore[no-untyped-def]
            signer = super().make_signer(salt)
            signer.get_timestamp = lambda: int(time.time()) - 60 * 86400  # type: ignore[method-assign]
            return signer

    sign_in(page, auth_app, "eve@example.com")
    session = [c for c in page.context.cookies() if c["name"].startswith("_streamlit_user")]
    assert session
    fresh, aged = [], []
    for c in session:
        payload = URLSafeTimedSerializer(COOKIE_SECRET, salt=c["name"]).loads(c["value"])
        fresh.append({**c, "value": URLSafeTimedSerializer(COOKIE_SECRET, salt=c["name"]).dumps(payload)})
        aged.append({**c, "value": SignedLongAgo(COOKIE_SECRET, salt=c["name"]).dumps(payload)})
    page.context.clear_cookies()
    page.context.add_cookies(fresh)  # control: the same payload signed now is accepted
    page.goto(auth_app.url)
    expect(page.get_by_text("Signed in as eve@example.com")).to_be_visible(timeout=30_000)
    page.context.clear_cookies()
    page.context.add_cookies(aged)
    page.goto(auth_app.url)
    expect(page.get_by_role("button", name="Sign in")).to_be_visible(timeout=30_000)
    expect(page.get_by_text("Signed in as")).to_have_count(0)
