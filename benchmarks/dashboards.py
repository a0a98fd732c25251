"""How long the dashboard pages' queries take on a big database.

Builds, once, a database of 10,000 learners in cohorts of 250 with 100 graded attempts each
(1,000,000 attempts, with their grades and per-criterion scores; `python -m store demo`'s
generator), cached under data/ for SQLite and kept in the PostgreSQL database `DATABASE_URL`
names, if it names one. Then times, for each database, the queries one page view runs, with
nothing cached, and prints the median of several runs:

    dashboard_progress_ms   My progress for a learner with 100 attempts in a 250-learner cohort
    dashboard_cohort_ms     Cohort for that cohort's instructor, every tab opened once: the first
                            view, the Exercises tab, and a learner's drill-down

Lines starting with # add detail: each part, and the same page for a cohort of 1,000 learners
(100,000 attempts). Target: under 300 ms each at this size.

    .venv/bin/python benchmarks/dashboards.py [--runs 7] [--rebuild]
    DATABASE_URL=postgresql+psycopg://user@host/db .venv/bin/python benchmarks/dashboards.py
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import insert, text
from sqlalchemy.engine import Engine, make_url
from sqlmodel import Session, col, func, select

from exercises.loader import load_bank
from store import dashboards, progress, users
from store.attempts import attempt_detail
from store.db import make_engine, session_scope
from store.demo import DEMO_COHORT_CODE, DEMO_INSTRUCTOR, DEMO_LEARNER, seed_demo
from store.migrate import upgrade
from store.models import Attempt, Cohort, Membership, Role, User
from store.users import get_or_create_user

ROOT = Path(__file__).resolve().parents[1]
SQLITE_PATH = ROOT / "data" / "bench-dashboards.db"
LEARNERS, ATTEMPTS, COHORT_SIZE = 10_000, 100, 250
LARGE_COHORT = 1_000
LARGE_CODE = "BENCH1000"


def build(engine: Engine, marker: Path, rebuild: bool) -> dict[str, Any]:
    """The benchmark database, built once; returns what the marker file records about it."""
    if marker.exists() and not rebuild:
        return dict(json.loads(marker.read_text()))
    started = time.perf_counter()
    upgrade(engine)
    with session_scope(engine) as s:
        present = s.exec(select(Cohort).where(Cohort.join_code == DEMO_COHORT_CODE)).first()
    if present is not None:
        raise SystemExit(f"{engine.url.render_as_string()} already has a demo cohort; use an empty database")
    bank = load_bank()
    seed_demo(engine, bank, LEARNERS, ATTEMPTS, cohort_size=COHORT_SIZE, learner_history=ATTEMPTS)
    seeded = time.perf_counter() - started
    with session_scope(engine) as s:  # a bigger cohort over learners who already have work
        teacher = get_or_create_user(s, "bench-instructor", "Bench Instructor", role=Role.instructor)
        large = Cohort(name=f"Benchmark cohort of {LARGE_COHORT:,}", join_code=LARGE_CODE, created_by=teacher.id)
        s.add(large)
        s.flush()
        learners = s.exec(
            select(User.id).where(User.role == Role.learner).order_by(col(User.id)).limit(LARGE_COHORT)
        ).all()
        rows = [{"cohort_id": large.id, "user_id": teacher.id, "role": Role.instructor}]
        rows += [{"cohort_id": large.id, "user_id": u, "role": Role.learner} for u in learners]
        s.execute(insert(Membership), rows)
    analyze(engine)
    with session_scope(engine) as s:
        attempts = s.exec(select(func.count()).select_from(Attempt)).one()
    info = {
        "learners": LEARNERS,
        "attempts": int(attempts),
        "cohort_size": COHORT_SIZE,
        "seed_s": round(seeded, 1),
        "build_s": round(time.perf_counter() - started, 1),
    }
    marker.parent.mkdir(parents=True, exist_ok=True)
    marker.write_text(json.dumps(info))
    return info


def analyze(engine: Engine) -> None:
    if engine.dialect.name == "postgresql":
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(text("VACUUM ANALYZE"))
    else:
        with engine.begin() as conn:
            conn.execute(text("ANALYZE"))


def timed(engine: Engine, view: Callable[[Session], object], runs: int) -> float:
    """Median milliseconds of a page view's queries, each run in a fresh session."""
    times = []
    for n in range(runs + 1):
        with session_scope(engine) as s:
            started = time.perf_counter()
            view(s)
            elapsed = (time.perf_counter() - started) * 1000
        if n:  # the first run warms the database's own cache
            times.append(elapsed)
    return statistics.median(times)


def measure(engine: Engine, runs: int) -> list[str]:
    bank = load_bank()
    with session_scope(engine) as s:
        learner = s.exec(select(User).where(User.external_id == DEMO_LEARNER)).one()
        instructor = s.exec(select(User).where(User.external_id == DEMO_INSTRUCTOR)).one()
        teacher = s.exec(select(User).where(User.external_id == "bench-instructor")).one()
        cohort = s.exec(select(Cohort).where(Cohort.join_code == DEMO_COHORT_CODE)).one()
        large = s.exec(select(Cohort).where(Cohort.join_code == LARGE_CODE)).one()
        latest = progress.history(s, learner, learner.id, limit=1)[0].attempt_id
        members = s.exec(
            select(func.count()).where(Membership.cohort_id == cohort.id, Membership.role == Role.learner)
        ).one()
    assert cohort.id is not None
    assert large.id is not None
    exercises = list(bank.exercises.values())

    def progress_page(s: Session) -> None:  # what pages/progress.py runs on first view
        joined = users.cohorts_joined(s, learner)
        dashboards.data_version(s)
        progress.learner_dashboard(s, learner, learner.id, exercises, joined[0].id)
        attempt_detail(s, learner, latest)

    def cohort_tabs(viewer: User, cohort_id: int) -> dict[str, Callable[[Session], object]]:
        """What pages/cohort.py runs: the first view (Overview, whose figures the Learners, Review
        and Members tabs share from the cache), and the Exercises tab, loaded when opened."""

        def first_view(s: Session) -> None:
            users.cohorts_taught(s, viewer)
            dashboards.data_version(s)
            dashboards.cohort_dashboard(s, viewer, cohort_id)

        def exercises_tab(s: Session) -> None:
            dashboards.data_version(s)
            dashboards.exercise_report(s, viewer, cohort_id)

        def learners_tab(s: Session) -> None:  # one learner's drill-down, the attempt opened
            dashboards.data_version(s)
            progress.learner_dashboard(s, viewer, learner.id, exercises, cohort_id)
            attempt_detail(s, viewer, latest)

        return {"first view": first_view, "Exercises tab": exercises_tab, "Learners tab": learners_tab}

    def cohort_page(viewer: User, cohort_id: int) -> tuple[float, str]:
        parts = {name: timed(engine, view, runs) for name, view in cohort_tabs(viewer, cohort_id).items()}
        return sum(parts.values()), ", ".join(f"{name} {ms:.1f} ms" for name, ms in parts.items())

    total, detail = cohort_page(instructor, cohort.id)
    large_total, large_detail = cohort_page(teacher, large.id)
    lines = [
        f"dashboard_progress_ms: {timed(engine, progress_page, runs):.1f} ms",
        f"dashboard_cohort_ms: {total:.1f} ms",
        f"#   cohort of {members} learners, every tab opened once: {detail}",
        f"#   cohort of {LARGE_COHORT:,} learners: {large_total:.1f} ms ({large_detail})",
    ]
    return lines


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--rebuild", action="store_true", help="build the SQLite database again")
    args = parser.parse_args()
    targets = [("sqlite", f"sqlite:///{SQLITE_PATH}", SQLITE_PATH.with_suffix(".json"))]
    url = os.environ.get("DATABASE_URL", "")
    if url.startswith("postgresql"):
        name = make_url(url).database or "postgres"
        targets.append(("postgresql", url, ROOT / "data" / f"bench-dashboards-postgres-{name}.json"))
    for label, target, marker in targets:
        if args.rebuild and label == "sqlite":
            for suffix in ("", "-wal", "-shm"):
                Path(f"{SQLITE_PATH}{suffix}").unlink(missing_ok=True)
        engine = make_engine(target)
        info = build(engine, marker, args.rebuild and label == "sqlite")
        print(
            f"# {label}: {make_url(target).render_as_string(hide_password=True)} · {info['learners']:,} learners, "
            f"{info['attempts']:,} graded attempts, built once in {info['build_s']} s"
        )
        for line in measure(engine, args.runs):
            print(line)
        engine.dispose()
    return 0


if __name__ == "__main__":
    sys.exit(main())
