"""`python -m exercises validate PATH | schema | stats [--json]` for pack authors."""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path
from typing import Any

from exercises.loader import PACKS_DIR, load_bank
from exercises.model import exercise_schema


def _validate(path: Path) -> int:
    # The variant check grades, and exercises/ sits below grading/: this CLI entry point is the
    # one import-linter exception (pyproject.toml), so the model itself stays grading-free.
    from grading.variant_checks import SEEDS, check_bank

    bank = load_bank(path)
    for problem in bank.problems:
        print(problem)
    variant_problems = [line for check in check_bank(bank) for line in check.lines()]
    for line in variant_problems:
        print(line)
    count = len(bank.problems) + len(variant_problems)
    if count:
        print(f"{count} problem(s) in {path}", file=sys.stderr)
        return 1
    print(
        f"{len(bank.exercises)} exercise(s) and {len(bank.tools)} tool(s) valid in {path}; "
        f"{len(bank.templates)} parameterised, each checked over {len(SEEDS)} variants"
    )
    return 0


def _stats(path: Path, as_json: bool) -> int:
    bank = load_bank(path)
    exercises = list(bank.exercises.values())
    counts: dict[str, Any] = {
        "total": len(exercises),
        "by_sector": dict(sorted(Counter(e.sector.value for e in exercises).items())),
        "by_kind": dict(sorted(Counter(e.kind for e in exercises).items())),
        "by_difficulty": {str(k): v for k, v in sorted(Counter(e.difficulty for e in exercises).items())},
        "by_sector_kind_difficulty": [
            {"sector": s, "kind": k, "difficulty": d, "count": n}
            for (s, k, d), n in sorted(Counter((e.sector.value, e.kind, e.difficulty) for e in exercises).items())
        ],
        "problems": len(bank.problems),
    }
    if as_json:
        print(json.dumps(counts, indent=2))
    else:
        print(f"{counts['total']} exercises")
        for group in ("by_sector", "by_kind", "by_difficulty"):
            print(f"{group}: " + ", ".join(f"{k}={v}" for k, v in counts[group].items()))
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m exercises", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    validate = sub.add_parser("validate", help="check a folder of packs; exit 1 on any problem")
    validate.add_argument("path", type=Path, nargs="?", default=PACKS_DIR)
    sub.add_parser("schema", help="print the JSON Schema of an exercise file")
    stats = sub.add_parser("stats", help="count exercises by sector, kind and difficulty")
    stats.add_argument("path", type=Path, nargs="?", default=PACKS_DIR)
    stats.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    if args.command == "validate":
        return _validate(args.path)
    if args.command == "schema":
        print(json.dumps(exercise_schema(), indent=2))
        return 0
    return _stats(args.path, args.json)


if __name__ == "__main__":
    sys.exit(main())
