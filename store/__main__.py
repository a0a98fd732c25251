"""`python -m store migrate | settle | sqlite-head | demo [--learners N --attempts M --cohort-size K
--learner-history H]`."""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from datetime import UTC, datetime
from functools import partial
from pathlib import Path

from baton_config import settings
from exercises.loader import load_bank
from grading import grade
from store.assessments import settle
from store.db import make_engine
from store.demo import seed_demo
from store.migrate import upgrade, write_sqlite_head


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m store")
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("migrate", help="upgrade the database schema to the latest version")
    sub.add_parser(
        "settle",
        help="close assessment sittings past their time limit and finish interrupted ones (deterministic grading); "
        "safe to run from cron",
    )
    sub.add_parser(
        "sqlite-head",
        help="after adding a migration: write the schema a new SQLite database is built from "
        "(store/migrations/sqlite_head.sql)",
    )
    demo = sub.add_parser(
        "demo",
        help="create the demo users and a generated demo cohort (once: a database that has one keeps it)",
    )
    demo.add_argument("--learners", type=int, default=12, help="generated learners (default 12)")
    demo.add_argument("--attempts", type=int, default=8, help="graded attempts per generated learner (default 8)")
    demo.add_argument(
        "--cohort-size",
        type=int,
        default=None,
        help="split the learners into cohorts of this size, each with its own instructor (default: one cohort)",
    )
    demo.add_argument(
        "--learner-history",
        type=int,
        default=20,
        help="graded attempts for the demo learner, so My progress has something to show (default 20; 0 starts fresh)",
    )
    demo.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args(argv)
    if args.command == "sqlite-head":
        with tempfile.TemporaryDirectory() as folder:
            print(f"wrote {write_sqlite_head(Path(folder))}")
        return 0
    engine = make_engine(settings().database_url)
    upgrade(engine)
    if args.command == "demo":
        started = time.perf_counter()
        cohort_id = seed_demo(
            engine,
            load_bank(),
            args.learners,
            args.attempts,
            args.seed,
            cohort_size=args.cohort_size,
            learner_history=args.learner_history,
        )
        print(f"demo cohort {cohort_id} ready ({time.perf_counter() - started:.1f} s)")
    elif args.command == "settle":
        bank = load_bank()
        graded = settle(engine, bank, partial(grade, tools=bank.tools), datetime.now(UTC), limit=10_000)
        print(f"{graded} sitting(s) closed and graded")
    else:
        print("database is up to date")
    return 0


if __name__ == "__main__":
    sys.exit(main())
