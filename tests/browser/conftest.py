"""Real-browser fixtures: the app served as `make run` serves it on a free loopback port, driven by
Debian's Chromium through Playwright (no browser download)."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import IO

import pytest

ROOT = Path(__file__).resolve().parents[2]
SHOTS = ROOT / "screenshots"  # pytest-playwright empties test-results/ on each run
CHROMIUM = next(
    (
        p
        for p in ("/usr/bin/chromium", shutil.which("chromium") or "", shutil.which("chromium-browser") or "")
        if p and Path(p).exists()
    ),
    None,
)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    if CHROMIUM:
        return
    if os.environ.get("BATON_REQUIRE_BROWSER") == "1":
        raise pytest.UsageError("BATON_REQUIRE_BROWSER=1 but no Chromium was found (apt-get install chromium)")
    skip = pytest.mark.skip(reason="no Chromium found: install Debian's chromium to run the browser tests")
    for item in items:
        if "browser" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": ["--disable-background-networking", "--disable-component-update", "--disable-sync"],
    }


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_healthy(url: str, proc: subprocess.Popen, log_name: str) -> None:
    for _ in range(240):
        if proc.poll() is not None:
            raise RuntimeError(f"{proc.args[0]} exited with {proc.returncode}; see {log_name}")
        try:
            urllib.request.urlopen(url, timeout=1)
            return
        except OSError:
            time.sleep(0.25)
    raise RuntimeError(f"{url} did not come up; see {log_name}")


def serve_app(folder: Path, env: dict[str, str], extra: Sequence[str] = ()) -> tuple[subprocess.Popen, str, IO[str]]:
    """Start `streamlit run serve.py` (app.py as `make run` serves it) on a free loopback port;
    return the process, its URL, its log."""
    port = free_port()
    log = (folder / f"streamlit-{port}.log").open("w")
    command = [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        "serve.py",
        "--server.headless=true",
        f"--server.port={port}",
        "--server.address=127.0.0.1",
        "--browser.gatherUsageStats=false",
        *extra,
    ]
    proc = subprocess.Popen(command, cwd=ROOT, env={**os.environ, **env}, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    wait_healthy(url + "/_stcore/health", proc, log.name)
    return proc, url, log


def stop(proc: subprocess.Popen, log: IO[str]) -> None:
    proc.terminate()
    try:
        proc.wait(10)
    except subprocess.TimeoutExpired:
        proc.kill()
    log.close()


@pytest.fixture(scope="session")
def app_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    folder = tmp_path_factory.mktemp("browser")
    proc, url, log = serve_app(folder, {"DATABASE_URL": f"sqlite:///{folder / 'baton.db'}", "BATON_DEMO": "1"})
    yield url
    stop(proc, log)


@pytest.fixture
def shots() -> Path:
    SHOTS.mkdir(parents=True, exist_ok=True)
    return SHOTS
