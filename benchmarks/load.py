"""Many learners at once on one machine, measured against the floor.

Starts Baton on loopback with Streamlit's agent API and drives N concurrent learner sessions
through it, each a distinct demo learner (`?demo_user=`). A learner opens the practice list,
opens an explain-the-reasoning exercise, edits a draft, submits it, and opens My progress, then
starts over with the next exercise, with a think time of about 10 s (8 to 12 s) between actions,
for a bounded duration. Learners start spread over the first think time. Every action is one
agent-API request; its latency is the time to the response. Then it runs the same load, in the
same run, against a two-page Streamlit app that does nothing (benchmarks/floor_app/, the floor).

For each N (default 50, 100, 150, 200, 300), with a fresh server process per N:

    load_<N>_learners_p50_ms, load_<N>_learners_p95_ms   over every request of the run
    load_<N>_learners_errors             refused, failed or timed-out requests, app exceptions,
                                         and answers without what the action should show
    load_<N>_learners_lost_submissions   submissions whose request returned a grade but which
                                         the database does not hold (counted per learner)
    floor_<N>_learners_...               the same for the floor
    load_capacity_learners, floor_capacity_learners
                                         the largest N with p95 under 1 s and no errors (it and
                                         every smaller N tested)
    load_capacity_ratio                  load / floor

Lines starting with # add detail: latency per action, requests, and the CPU the server and the
load client used. Both apps run with deploy/'s production flags (no file watcher, no forced
garbage collection after each rerun), Baton on a throwaway SQLite database.

`--through nginx` runs the same load against deploy/'s setup instead: nginx in front of two
processes (`--processes`) sharing a throwaway PostgreSQL database (or DATABASE_URL's server with
`--database-url`), and the floor likewise behind nginx. Each learner carries its own sticky
cookie. On a 2-core machine this shows that the setup is correct and what nginx costs, not more
capacity: the processes share the same two cores.

    .venv/bin/python benchmarks/load.py [--learners 50,100] [--duration 60] [--think 10]
    .venv/bin/python benchmarks/load.py --through nginx
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import random
import statistics
import sys
import tempfile
import time
import urllib.request
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import httpx
from sqlalchemy import text

from deploy.cluster import (
    BASE_FLAGS,
    SERVER_FLAGS,
    Cluster,
    Limits,
    Service,
    free_port,
    migrate,
    nginx_binary,
    postgres_bin,
    start_streamlit,
    throwaway_database,
    throwaway_postgres,
)
from exercises.loader import load_bank
from store.db import make_engine

ROOT = Path(__file__).resolve().parents[1]
FLOOR = ROOT / "benchmarks" / "floor_app" / "app.py"
INTERACT = "/_stcore/agent/interact"
P95_LIMIT_MS = 1000.0
DRAFT = (
    "I recommend we go ahead, with a person checking every case the system is unsure about before anything is "
    "sent. It saves the team about a day a week, and the check keeps the risk to customers low. "
)


@dataclass
class Target:
    """What is loaded: Baton or the floor, and what each action's answer must show."""

    name: str  # load or floor
    script: Path
    submitted: str  # text in the answer to a submit that worked
    shows_identity: bool  # My progress names the demo learner


BATON = Target("load", ROOT / "app.py", "Your grade", True)
FLOOR_APP = Target("floor", FLOOR, "Submitted", False)


@dataclass
class Level:
    learners: int
    latencies: list[float] = field(default_factory=list)
    by_action: dict[str, list[float]] = field(default_factory=dict)
    errors: Counter[str] = field(default_factory=Counter)
    sent: Counter[str] = field(default_factory=Counter)  # demo user -> submissions that returned a grade
    lost: int = 0
    server_cpu_s: float = 0.0
    client_cpu_s: float = 0.0
    machine_cpu_s: float = 0.0
    upstreams: Counter[str] = field(default_factory=Counter)  # nginx: requests per app process
    samples: dict[str, str] = field(default_factory=dict)  # an answer for each kind of wrong answer
    server_rss_mb: tuple[float, float] = (0.0, 0.0)  # the servers' resident memory after warm-up, at the end
    wall_s: float = 0.0

    def percentile(self, q: float) -> float:
        if not self.latencies:
            return float("nan")
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]

    @property
    def error_count(self) -> int:
        return sum(self.errors.values())

    def passes(self) -> bool:
        return self.error_count == 0 and self.percentile(0.95) < P95_LIMIT_MS


class Stop(Exception):
    """The run's time is up: the learner takes no further action."""


class Learner:
    def __init__(self, run: Run, user: str, index: int) -> None:
        self.run, self.user, self.index = run, user, index
        self.session: str | None = None
        self.headers = {"Cookie": f"baton_route={user}"} if run.sticky else {}
        self.rng = random.Random(index)

    async def act(self, action: str, body: dict[str, Any]) -> tuple[dict[str, Any], str] | None:
        """One request; records its latency and any error; None when it failed."""
        run = self.run
        if time.monotonic() >= run.deadline:
            raise Stop
        started = time.perf_counter()
        try:
            reply = await run.client.post(INTERACT, json=body, headers=self.headers)
            raw = reply.text
            while reply.status_code == 202 and time.monotonic() < run.deadline + run.drain_s:  # still running
                collect = {"session_id": reply.json()["session_id"]}
                reply = await run.client.post(INTERACT, json=collect, headers=self.headers)
                raw = reply.text
        except asyncio.CancelledError:
            run.level.errors[f"{action}: unfinished at the end"] += 1
            raise
        except httpx.HTTPError as exc:
            run.record(action, started)
            run.level.errors[f"{action}: {type(exc).__name__}"] += 1
            return None
        run.record(action, started)
        if "x-baton-upstream" in reply.headers:
            run.level.upstreams[reply.headers["x-baton-upstream"]] += 1
        if reply.status_code != 200:
            code = reply.json().get("error", {}).get("code", "") if raw.startswith("{") else ""
            run.level.errors[f"{action}: HTTP {reply.status_code} {code}"] += 1
            return None
        data: dict[str, Any] = reply.json()
        self.session = data.get("session_id", self.session)
        if data.get("status") != "ready":
            run.level.errors[f"{action}: app raised"] += 1
            return None
        return data, raw

    async def think(self) -> None:
        pause = self.rng.uniform(0.8, 1.2) * self.run.think_s
        await asyncio.sleep(max(0.0, min(pause, self.run.deadline - time.monotonic())))

    def wrong(self, action: str, why: str, raw: str = "") -> None:
        self.run.level.errors[f"{action}: {why}"] += 1
        self.run.level.samples.setdefault(f"{action}: {why}", raw)

    async def visit(self, rounds: int | None = None) -> None:
        run, user = self.run, self.user
        who = {"demo_user": [user]}
        await asyncio.sleep(self.rng.uniform(0, run.think_s))  # arrivals spread over one think time
        cycle = 0
        while rounds is None or cycle < rounds:
            if self.session is None:
                got = await self.act("practice_list", {"query_params": who})
            else:
                got = await self.act("practice_list", {"session_id": self.session, "page": "", "query_params": who})
            if self.session is None:
                await self.think()
                continue  # no session: try again
            await self.think()
            exercise = run.exercises[(self.index + cycle) % len(run.exercises)]
            field_key = f"explain:{exercise}:text"
            got = await self.act(
                "open_exercise", {"session_id": self.session, "query_params": {**who, "exercise": [exercise]}}
            )
            if got is not None and f'"{field_key}"' not in got[1]:
                self.wrong("open_exercise", "no draft field", got[1])
            await self.think()
            draft = f"{DRAFT}Learner {user}, draft {cycle}."
            await self.act("edit_draft", {"session_id": self.session, "widget_state": {field_key: draft}})
            await self.think()
            got = await self.act("submit", {"session_id": self.session, "trigger": {"key": "submit"}})
            if got is not None:
                if run.target.submitted in got[1]:
                    run.level.sent[user] += 1
                else:
                    self.wrong("submit", "no grade shown")
            await self.think()
            got = await self.act("my_progress", {"session_id": self.session, "page": "progress", "query_params": who})
            if got is not None and (
                "My progress" not in got[1] or (run.target.shows_identity and f"Demo visitor {user}" not in got[1])
            ):
                self.wrong("my_progress", "not this learner's progress")
            await self.think()
            cycle += 1


class Run:
    def __init__(self, target: Target, level: Level, url: str, args: argparse.Namespace, sticky: bool) -> None:
        self.target, self.level, self.sticky = target, level, sticky
        self.think_s: float = args.think
        self.drain_s: float = args.drain
        self.exercises = explain_exercises()
        # Idle connections are dropped after 2 s, before the server drops them (after 5 s): a
        # request sent on a connection the server is closing would fail on the client's side.
        limits = httpx.Limits(
            max_connections=level.learners + 20, max_keepalive_connections=level.learners + 20, keepalive_expiry=2.0
        )
        self.client = httpx.AsyncClient(base_url=url, limits=limits, timeout=httpx.Timeout(args.drain + 30))
        self.deadline = 0.0

    def record(self, action: str, started: float) -> None:
        ms = (time.perf_counter() - started) * 1000
        self.level.latencies.append(ms)
        self.level.by_action.setdefault(action, []).append(ms)

    async def go(self, prefix: str, duration_s: float) -> None:
        self.deadline = time.monotonic() + duration_s
        learners = [Learner(self, f"{prefix}{i}", i) for i in range(self.level.learners)]
        tasks = [asyncio.create_task(self._visit(learner)) for learner in learners]
        await asyncio.sleep(max(0.0, self.deadline - time.monotonic()))
        _done, pending = await asyncio.wait(tasks, timeout=self.drain_s)
        for task in pending:
            task.cancel()
        await asyncio.gather(*pending, return_exceptions=True)
        await self.client.aclose()

    @staticmethod
    async def _visit(learner: Learner) -> None:
        with contextlib.suppress(Stop):
            await learner.visit()


_EXPLAIN: list[str] = []


def explain_exercises() -> list[str]:
    if not _EXPLAIN:
        bank = load_bank()
        _EXPLAIN.extend(sorted(i for i, e in bank.exercises.items() if e.kind == "explain_reasoning"))
    return _EXPLAIN


def cpu_seconds(pids: list[int]) -> float:
    total = 0.0
    tick = os.sysconf("SC_CLK_TCK")
    for pid in pids:
        with contextlib.suppress(OSError):
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            total += (int(fields[11]) + int(fields[12])) / tick
    return total


def with_children(pid: int) -> list[int]:
    """A process and its children (nginx's workers)."""
    children = Path(f"/proc/{pid}/task/{pid}/children")
    return [pid, *(int(c) for c in children.read_text().split())] if children.exists() else [pid]


def rss_mb(pids: list[int]) -> float:
    total = 0.0
    for pid in pids:
        with contextlib.suppress(OSError):
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1]) / 1024
    return total


def machine_busy_seconds() -> float:
    """CPU seconds all processes on this machine have used (from /proc/stat)."""
    fields = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    return (sum(fields[:8]) - fields[3] - fields[4]) / os.sysconf("SC_CLK_TCK")


def upstream_of(url: str, cookie: str) -> str:
    request = urllib.request.Request(url + "/_stcore/health", headers={"Cookie": f"baton_route={cookie}"})
    with urllib.request.urlopen(request, timeout=5) as reply:
        return str(reply.headers.get("X-Baton-Upstream", ""))


def users_per_process(url: str, processes: int, prefix: str) -> list[str]:
    """One demo learner whose sticky cookie lands on each process, to warm every process up."""
    found: dict[str, str] = {}
    for i in range(200):
        found.setdefault(upstream_of(url, f"{prefix}{i}"), f"{prefix}{i}")
        if len(found) == processes:
            break
    return list(found.values())


async def warm_up(target: Target, url: str, users: list[str], sticky: bool) -> None:
    """One learner's full round per process: loads the bank, the engine and every page once."""
    for user in users:
        level = Level(1)
        run = Run(target, level, url, argparse.Namespace(think=0.0, drain=60.0), sticky)
        run.deadline = time.monotonic() + 120
        await Learner(run, user, 0).visit(rounds=1)
        await run.client.aclose()
        if level.errors:
            raise RuntimeError(f"warm-up failed on {url}: {dict(level.errors)}")


def agent_flags(learners: int) -> list[str]:
    return [
        "--server.enableAgentApi=true",
        f"--server.agentMaxSessions={learners + 50}",
        "--server.agentWaitTimeout=60",
        "--server.agentSessionTTL=900",
    ]


@contextlib.contextmanager
def serve(
    target: Target, learners: int, args: argparse.Namespace, env: dict[str, str], folder: Path
) -> Iterator[tuple[str, list[int], int]]:
    """The target's server(s) for one level: yields the URL, the server pids, and the process count."""
    extra = agent_flags(learners)
    flags = BASE_FLAGS if args.streamlit_defaults else SERVER_FLAGS
    if args.through == "nginx":
        cluster = Cluster(
            processes=args.processes,
            script=target.script,
            env=env,
            extra=extra,
            prefix=folder,
            flags=flags,
            limits=Limits(rate_per_s=100_000, burst=100_000, connections=100_000),  # every learner is one address
            expose_upstream=True,
        )
        with cluster:
            assert cluster.nginx is not None
            pids = [a.proc.pid for a in cluster.apps] + with_children(cluster.nginx.proc.pid)
            yield cluster.url, pids, len(cluster.apps)
        return
    (folder / "logs").mkdir(parents=True, exist_ok=True)
    app: Service = start_streamlit(target.script, free_port(), folder / "logs", env, extra, target.name, flags)
    try:
        yield app.url, [app.proc.pid], 1
    finally:
        app.stop()


def count_lost(db_url: str, level: Level, prefix: str) -> int:
    engine = make_engine(db_url)
    try:
        with engine.connect() as conn:
            rows = conn.execute(
                text(
                    "SELECT u.external_id, COUNT(a.id) FROM users u JOIN attempts a ON a.user_id = u.id "
                    "WHERE u.external_id LIKE :pattern AND a.status = 'graded' GROUP BY u.external_id"
                ),
                {"pattern": f"demo-visitor-{prefix}%"},
            ).all()
    finally:
        engine.dispose()
    stored = {external.removeprefix("demo-visitor-"): n for external, n in rows}
    return sum(max(0, sent - stored.get(user, 0)) for user, sent in level.sent.items())


def run_level(target: Target, learners: int, args: argparse.Namespace, db_url: str | None, folder: Path) -> Level:
    level = Level(learners)
    env = {"BATON_DEMO": "1", "DATABASE_URL": db_url or ""}
    tag = f"{target.name[0]}{learners}r{random.randrange(10**6)}"  # distinct demo learners per level
    with serve(target, learners, args, env, folder / f"{target.name}-{learners}") as (url, pids, processes):
        sticky = args.through == "nginx"
        warm_users = users_per_process(url, processes, f"{tag}w") if sticky else [f"{tag}w0"]
        asyncio.run(warm_up(target, url, warm_users, sticky))
        run = Run(target, level, url, args, sticky)
        rss0 = rss_mb(pids)
        cpu0, client0, wall0 = cpu_seconds(pids), time.process_time(), time.monotonic()
        machine0 = machine_busy_seconds()
        asyncio.run(run.go(f"{tag}l", args.think + args.duration))
        level.machine_cpu_s = machine_busy_seconds() - machine0
        level.server_cpu_s = cpu_seconds(pids) - cpu0
        level.server_rss_mb = (rss0, rss_mb(pids))
        level.client_cpu_s = time.process_time() - client0
        level.wall_s = time.monotonic() - wall0
    if db_url is not None and target is BATON:
        level.lost = count_lost(db_url, level, f"{tag}l")
    return level


def report(target: Target, level: Level) -> None:
    name = f"{target.name}_{level.learners}_learners"
    print(f"{name}_p50_ms: {level.percentile(0.5):.0f} ms")
    print(f"{name}_p95_ms: {level.percentile(0.95):.0f} ms")
    print(f"{name}_errors: {level.error_count} errors")
    if target is BATON:
        print(f"{name}_lost_submissions: {level.lost} submissions")
    requests = len(level.latencies)
    other = max(0.0, level.machine_cpu_s - level.server_cpu_s - level.client_cpu_s)
    per_request = level.server_cpu_s / requests * 1000 if requests else float("nan")
    print(
        f"# {name}: {requests} requests in {level.wall_s:.0f} s ({requests / level.wall_s:.1f}/s), "
        f"{sum(level.sent.values())} submissions; server CPU {level.server_cpu_s / level.wall_s * 100:.0f} % of a "
        f"core ({per_request:.1f} ms a request), load client CPU {level.client_cpu_s / level.wall_s * 100:.0f} %, "
        f"other processes {other / level.wall_s * 100:.0f} % of a core; "
        f"server memory {level.server_rss_mb[0]:.0f} MB after warm-up, {level.server_rss_mb[1]:.0f} MB at the end"
    )
    if level.upstreams:
        print("#   requests per app process: " + ", ".join(f"{u} {n}" for u, n in sorted(level.upstreams.items())))
    for action, values in level.by_action.items():
        ordered = sorted(values)
        p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
        print(f"#   {action}: n {len(values)}, p50 {statistics.median(values):.0f} ms, p95 {p95:.0f} ms")
    for why, count in level.errors.most_common(8):
        print(f"#   error x{count}: {why}")
    if os.environ.get("LOAD_DEBUG"):
        for why, raw in level.samples.items():
            print(f"# sample answer for {why}: {raw[:3000]}", file=sys.stderr)
    sys.stdout.flush()


def capacity(levels: list[Level]) -> int:
    best = 0
    for level in sorted(levels, key=lambda lv: lv.learners):
        if not level.passes():
            break
        best = level.learners
    return best


@contextlib.contextmanager
def database(args: argparse.Namespace, folder: Path) -> Iterator[str]:
    """Baton's database for the run: SQLite for one process, PostgreSQL behind nginx."""
    if args.through != "nginx":
        yield f"sqlite:///{folder / 'baton.db'}"
        return
    if args.database_url:
        with throwaway_database(args.database_url) as url:
            yield url
        return
    if postgres_bin() is None:
        raise SystemExit("--through nginx needs PostgreSQL: install it, or pass --database-url of a server")
    with throwaway_postgres() as url:
        yield url


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--learners", default="50,100,150,200,300", help="the N to run, comma-separated")
    parser.add_argument("--duration", type=float, default=60.0, help="seconds of load per N after the arrivals")
    parser.add_argument("--think", type=float, default=10.0, help="mean think time between actions (s)")
    parser.add_argument("--drain", type=float, default=30.0, help="how long requests in flight may finish (s)")
    parser.add_argument("--through", choices=["direct", "nginx"], default="direct")
    parser.add_argument("--processes", type=int, default=2, help="app processes behind nginx")
    parser.add_argument("--only", choices=["load", "floor"], default=None, help="run one target only")
    parser.add_argument(
        "--streamlit-defaults",
        action="store_true",
        help="run the servers with Streamlit's defaults instead of deploy/'s flags (for comparison)",
    )
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL"), help="PostgreSQL server")
    args = parser.parse_args(argv)
    if args.through == "nginx" and nginx_binary() is None:
        raise SystemExit("--through nginx needs nginx: apt-get install nginx")
    sizes = sorted({int(n) for n in args.learners.split(",")})
    targets = [t for t in (BATON, FLOOR_APP) if args.only in (None, t.name)]
    setup = f"nginx + {args.processes} processes, PostgreSQL" if args.through == "nginx" else "one process, SQLite"
    if args.streamlit_defaults:
        setup += ", Streamlit's default flags"
    print(f"# {os.cpu_count()} cores; {setup}; think {args.think:g} s; {args.duration:g} s of load per N")
    results: dict[str, list[Level]] = {}
    with tempfile.TemporaryDirectory(prefix="baton-load-") as tmp:
        folder = Path(tmp)
        with database(args, folder) as db_url:
            migrate({"DATABASE_URL": db_url, "BATON_DEMO": "1"}, demo=True)
            for target in targets:
                for n in sizes:
                    level = run_level(target, n, args, db_url if target is BATON else None, folder)
                    results.setdefault(target.name, []).append(level)
                    report(target, level)
    load_cap = capacity(results.get("load", []))
    floor_cap = capacity(results.get("floor", []))
    if "load" in results:
        print(f"load_capacity_learners: {load_cap} learners")
    if "floor" in results:
        print(f"floor_capacity_learners: {floor_cap} learners")
    if "load" in results and "floor" in results:
        ratio = f"{load_cap / floor_cap:.2f}" if floor_cap else "n/a"
        print(f"load_capacity_ratio: {ratio} ratio")
    return 0


if __name__ == "__main__":
    sys.exit(main())
