"""How long `make run` takes to show a usable first page.

Starts the app exactly as a user does, with `make run` (its own free port, demo mode, a fresh
SQLite database and data folder in a temporary directory), and drives Debian's Chromium
(Playwright) to the app's address as soon as the process starts, reloading until the server
answers. The clock runs from starting `make run` until the Practice heading and the first
exercise card's Open button are both visible. Twice, on the same database:

    first_load_first_start_s   a new database: migrated and given the demo cohort on this start
    first_load_next_start_s    the next start of the same database (as every later `make run`)

Lines starting with # add detail: when the health check first answered, the CPU seconds the
server's processes used until the page was usable (less sensitive to other load), and the load
average. Figures depend on the machine's load: say what else was running when you quote them.

    .venv/bin/python benchmarks/first_load.py [--runs 1] [--keep DIR]
"""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import socket
import statistics
import subprocess
import tempfile
import time
import urllib.request
from pathlib import Path

from playwright.sync_api import Browser, sync_playwright

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = "/usr/bin/chromium"
TIMEOUT_S = 120.0


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def healthy(url: str) -> bool:
    try:
        with urllib.request.urlopen(url + "/_stcore/health", timeout=1) as response:
            return bool(response.status == 200)
    except OSError:
        return False


def group_cpu_s(group: int) -> float:
    """CPU seconds used so far by the processes of a process group (make, uv, Streamlit): less
    sensitive to a loaded machine than the wall-clock figures. Linux only; NaN elsewhere."""
    total = 0
    try:
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                fields = stat.read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[2]) == group:  # pgrp; then utime and stime in clock ticks
                total += int(fields[11]) + int(fields[12])
    except OSError:
        return float("nan")
    return total / os.sysconf("SC_CLK_TCK")


def one_start(browser: Browser, folder: Path) -> tuple[float, float, float]:
    """Seconds from `make run` to a usable Practice page, to the first healthy answer, and the
    server's CPU seconds until the page was usable."""
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{folder / 'baton.db'}",
        "BATON_DATA_DIR": str(folder),
        "BATON_DEMO": "1",
    }
    log = (folder / f"make-run-{port}.log").open("w")
    started = time.perf_counter()
    # its own process group, so stopping it stops make, uv and streamlit together
    proc = subprocess.Popen(
        ["make", "--no-print-directory", "run", f"PORT={port}"],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        health_s = float("nan")
        while not healthy(url):  # what a user does: open the address, and reload until it answers
            if proc.poll() is not None:
                raise RuntimeError(f"make run exited with {proc.returncode}; see {log.name}")
            if time.perf_counter() - started > TIMEOUT_S:
                raise RuntimeError(f"{url} did not answer within {TIMEOUT_S:.0f} s; see {log.name}")
            time.sleep(0.05)
        health_s = time.perf_counter() - started
        page = browser.new_page()
        page.goto(url, timeout=TIMEOUT_S * 1000)
        wait_ms = TIMEOUT_S * 1000
        page.get_by_role("heading", name="Practice", exact=True).wait_for(state="visible", timeout=wait_ms)
        # the first card's Open button: its title (Streamlit's class for the key "open:<id>")
        page.locator("[class*='st-key-open-'] button").first.wait_for(state="visible", timeout=wait_ms)
        usable_s = time.perf_counter() - started
        cpu_s = group_cpu_s(proc.pid)
        page.close()
        return usable_s, health_s, cpu_s
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(15)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
        log.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=1, help="fresh databases to measure (medians are printed)")
    parser.add_argument("--keep", type=Path, help="use this folder (kept) instead of a temporary one")
    args = parser.parse_args()
    first: list[float] = []
    following: list[float] = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM)
        for run in range(args.runs):
            folder = Path(tempfile.mkdtemp(prefix="baton-first-load-")) if args.keep is None else args.keep / str(run)
            folder.mkdir(parents=True, exist_ok=True)
            try:
                for label, into in (("first", first), ("next", following)):
                    usable, health, cpu = one_start(browser, folder)
                    into.append(usable)
                    print(
                        f"# run {run + 1} {label} start: health answered at {health:.2f} s, usable at {usable:.2f} s, "
                        f"server CPU {cpu:.2f} s"
                    )
            finally:
                if args.keep is None:
                    shutil.rmtree(folder, ignore_errors=True)
        browser.close()
    load = os.getloadavg()
    print(f"# load average while measuring: {load[0]:.2f} {load[1]:.2f} {load[2]:.2f} on {os.cpu_count()} cores")
    print(f"first_load_first_start_s: {statistics.median(first):.2f} s")
    print(f"first_load_next_start_s: {statistics.median(following):.2f} s")


if __name__ == "__main__":
    main()
