"""Baton's server: `streamlit run serve.py` serves app.py, as `streamlit run app.py` does, plus two
things a bare script cannot do, since it first runs when a browser connects:

- It warms up as the server starts: the imports, the exercise bank, the database's migration and
  the demo cohort are under way while the browser is still loading Streamlit's own page, so the
  first page no longer waits for them.
- It tells the browser where the app's root is. Streamlit's browser client, loaded at a page's
  address (`/progress`), otherwise first probes that address as the app's root, and the server
  answers `/progress/_stcore/health` with a 404 before the client tries `/`.

`make run`, `make dev` and `python -m deploy` start this; `streamlit run app.py` still works
without either."""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import AsyncIterator, MutableMapping
from contextlib import asynccontextmanager
from typing import Any

import streamlit as st
from starlette.middleware import Middleware
from starlette.types import ASGIApp, Message, Receive, Scope, Send

log = logging.getLogger("baton")
HEAD = b"<head>"
WARM_UP = "baton-warm-up"


class _NoSessionWarning(logging.Filter):
    """Drops Streamlit's "missing ScriptRunContext" warning for the warm-up thread: its cached
    functions' spinners have no page to show on, as intended."""

    def filter(self, record: logging.LogRecord) -> bool:
        return record.threadName != WARM_UP or "ScriptRunContext" not in record.getMessage()


def warm_up() -> None:
    """What the first page needs and every page shares, done once before anyone asks. A failure
    here is only logged: the page that needs the part does it again and shows the error."""
    try:
        from pages.common import bank, engine

        bank()
        engine()
    except Exception as exc:  # the type only: a database error's text can carry its statement
        log.warning("warming up failed (%s); the first page will try again", type(exc).__name__)


@asynccontextmanager
async def lifespan(_app: st.App) -> AsyncIterator[None]:
    logging.getLogger("streamlit.runtime.scriptrunner_utils.script_run_context").addFilter(_NoSessionWarning())
    threading.Thread(target=warm_up, name=WARM_UP, daemon=True).start()
    yield


def root_hint(base_url_path: str) -> bytes:
    """A script for index.html naming the app's root for Streamlit's client (its
    `window.__streamlit.BACKEND_BASE_URL`): the server's `server.baseUrlPath` on the page's own
    origin. A proxy that serves Baton under a path must say so in `server.baseUrlPath`."""
    root = "/" + "".join(f"{part}/" for part in base_url_path.split("/") if part)
    quoted = json.dumps(root).replace("<", "\\u003c")  # a path can never close the script
    return (
        "<script>window.__streamlit = Object.assign(window.__streamlit || {}, "
        f"{{BACKEND_BASE_URL: new URL({quoted}, window.location.origin).href}})</script>"
    ).encode()


class RootHint:
    """ASGI middleware: adds root_hint to every HTML page Streamlit serves (its index.html)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        accept = dict(scope.get("headers", [])).get(b"accept", b"") if scope["type"] == "http" else b""
        if scope["type"] != "http" or scope["method"] != "GET" or b"text/html" not in accept:
            await self.app(scope, receive, send)  # not a browser loading a page
            return
        # The page unencoded, so it can be edited (it is a few kB; a proxy in front compresses it).
        scope = {**scope, "headers": [(k, v) for k, v in scope["headers"] if k != b"accept-encoding"]}
        start: MutableMapping[str, Any] | None = None
        body: list[bytes] = []

        async def edit(message: Message) -> None:
            nonlocal start
            if message["type"] == "http.response.start":
                headers = dict(message.get("headers", []))
                if not headers.get(b"content-type", b"").startswith(b"text/html") or message["status"] != 200:
                    await send(message)
                    return
                start = message
                return
            if start is None or message["type"] != "http.response.body":
                await send(message)
                return
            body.append(message.get("body", b""))
            if message.get("more_body", False):
                return
            page = b"".join(body)
            page = page.replace(HEAD, HEAD + root_hint(st.get_option("server.baseUrlPath")), 1)
            kept = [(k, v) for k, v in start.get("headers", []) if k != b"content-length"]
            await send({**start, "headers": [*kept, (b"content-length", str(len(page)).encode())]})
            await send({"type": "http.response.body", "body": page})

        await self.app(scope, receive, edit)


app = st.App("app.py", lifespan=lifespan, middleware=[Middleware(RootHint)])
