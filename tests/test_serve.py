"""serve.py: the root hint goes into HTML pages a browser loads and nowhere else, with a correct
length; the warm-up fills the same caches the first page reads."""

from __future__ import annotations

import pytest
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.gzip import GZipMiddleware
from starlette.requests import Request
from starlette.responses import HTMLResponse, PlainTextResponse, Response
from starlette.routing import Route
from starlette.testclient import TestClient

import serve

PAGE = "<!DOCTYPE html><html><head><title>Streamlit</title></head><body>" + "x" * 2000 + "</body></html>"
SCRIPT = "console.log('" + "y" * 2000 + "')"


def _page(_request: Request) -> Response:
    return HTMLResponse(PAGE)


def _script(_request: Request) -> Response:
    return PlainTextResponse(SCRIPT, media_type="text/javascript")


def _missing(_request: Request) -> Response:
    return HTMLResponse("<html><head></head></html>", status_code=404)


@pytest.fixture
def client() -> TestClient:
    # GZip inside RootHint, as Streamlit's own middleware sits inside the user's
    inner = Starlette(
        routes=[Route("/progress", _page), Route("/static/app.js", _script), Route("/gone", _missing)],
        middleware=[Middleware(GZipMiddleware, minimum_size=100)],
    )
    return TestClient(serve.RootHint(inner))


def test_a_page_a_browser_loads_names_the_apps_root(client: TestClient) -> None:
    response = client.get("/progress", headers={"Accept": "text/html,*/*", "Accept-Encoding": "gzip"})
    assert response.status_code == 200
    assert response.headers.get("content-encoding") is None  # asked unencoded, so it could be edited
    assert response.text.startswith("<!DOCTYPE html><html><head><script>window.__streamlit")
    assert "BACKEND_BASE_URL" in response.text
    assert response.text.endswith(PAGE.split("<head>", 1)[1])
    assert int(response.headers["content-length"]) == len(response.content)


def test_scripts_and_other_answers_pass_untouched(client: TestClient) -> None:
    script = client.get("/static/app.js", headers={"Accept": "*/*", "Accept-Encoding": "gzip"})
    assert script.headers["content-encoding"] == "gzip"  # still compressed
    assert script.text == SCRIPT
    missing = client.get("/gone", headers={"Accept": "text/html"})
    assert missing.status_code == 404
    assert "__streamlit" not in missing.text


@pytest.mark.parametrize(
    ("base", "root"), [("", '"/"'), ("/", '"/"'), ("baton", '"/baton/"'), ("/team/baton/", '"/team/baton/"')]
)
def test_the_root_follows_the_servers_base_path(base: str, root: str) -> None:
    hint = serve.root_hint(base).decode()
    assert f"new URL({root}, window.location.origin)" in hint
    assert hint.startswith("<script>")
    assert hint.endswith("</script>")


def test_no_base_path_can_close_the_script() -> None:
    hint = serve.root_hint("x</script><script>alert(1)").decode()
    assert hint.count("</script>") == 1
    assert hint.endswith("</script>")


def test_the_warm_up_fills_the_caches_the_first_page_reads(tmp_path, monkeypatch: pytest.MonkeyPatch) -> None:
    from baton_config import settings
    from pages import common

    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'baton.db'}")
    monkeypatch.setenv("BATON_DEMO", "1")
    settings.cache_clear()
    common.bank.clear()
    common.engine.clear()
    try:
        serve.warm_up()
        calls: list[str] = []
        monkeypatch.setattr(common, "make_ready_engine", lambda url: calls.append(url))
        monkeypatch.setattr(common, "load_bank", lambda: calls.append("bank"))
        assert len(common.bank().exercises) > 0  # from the cache the warm-up filled
        assert common.engine().url.database == str(tmp_path / "baton.db")
        assert calls == []
    finally:
        settings.cache_clear()
        common.bank.clear()
        common.engine.clear()
