"""`python -m store migrate | demo [--learners N --attempts M]`."""

from __future__ import annotations

import argparse
import sys

from exercises.loader import load_bank
from store.db import make_engine
from store.demo import seed_demo
from store.migrate import upgrade
from store.settings import settings


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m store")
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("migrate", help="upgrade the database schema to the latest version")
    demo = sub.add_parser("demo", help="create the demo users and a generated demo cohort")
    demo.add_argument("--learners", type=int, default=12)
    demo.add_argument("--attempts", type=int, default=8)
    args = parser.parse_args(argv)
    engine = make_engine(settings().database_url)
    upgrade(engine)
    if args.command == "demo":
        cohort_id = seed_demo(engine, load_bank(), args.learners, args.attempts)
        print(f"demo cohort {cohort_id} ready")
    else:
        print("database is up to date")
    return 0


if __name__ == "__main__":
    sys.exit(main())
