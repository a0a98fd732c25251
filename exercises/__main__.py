"""`python -m exercises validate PATH | schema | stats [--json]` for pack authors."""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path
from typing import Any

from exercises.loader import PACKS_DIR, Bank, Problem, load_bank, load_beside_shipped
from exercises.model import exercise_schema


def validation_problems(bank: Bank) -> list[Problem]:
    """What `validate` reports for a loaded bank: the loader's problems, then each exercise
    outside the context graded against its own reference, empty answer and golden cases."""
    # The one import from a higher layer: this entry point runs the graders over what it loaded,
    # as an author's tool; the exercise model itself never depends on grading (see pyproject's
    # import-linter `ignore_imports`).
    from grading.selfcheck import self_check
    from grading.variant_checks import check_exercise

    problems = list(bank.problems)
    for exercise_id, exercise in sorted(bank.exercises.items()):
        if exercise_id in bank.context:
            continue
        label = bank.files[exercise_id]
        try:
            problems += [Problem(label, p.field, p.reason) for p in self_check(exercise, bank.tools)]
        except (
            Exception
        ) as exc:  # a grader bug must not hide the other files' problems; the fuzz test keeps it unreached
            problems.append(Problem(label, "(file)", f"grading its reference failed ({type(exc).__name__}); skipped"))
    for exercise_id in sorted(set(bank.templates) - bank.context):  # every variant's reference, graded
        label = bank.files[exercise_id]
        try:
            problems += [Problem(label, "variants", reason) for reason in check_exercise(bank, exercise_id).problems]
        except Exception as exc:  # as above: one broken template must not hide the others' problems
            problems.append(
                Problem(
                    label,
                    "variants",
                    f"checking its variants failed (an internal error: {type(exc).__name__}); skipped",
                )
            )
    return problems


def validation_advice(bank: Bank) -> list[Problem]:
    """What `validate` suggests without failing: cues too thin to read a paraphrase (see
    grading.selfcheck.cue_advice), for each exercise outside the context."""
    from grading.selfcheck import cue_advice

    return [
        Problem(bank.files[exercise_id], a.field, a.reason)
        for exercise_id, exercise in sorted(bank.exercises.items())
        if exercise_id not in bank.context
        for a in cue_advice(exercise)
    ]


def _validate(path: Path) -> int:
    from grading.variant_checks import SEEDS

    """Load `path` as the app would (beside the shipped packs) and report every problem."""
    bank = load_beside_shipped(path)
    problems = validation_problems(bank)
    for problem in problems:
        print(problem)
    for advice in validation_advice(bank):
        print(f"advice: {advice}")
    if problems:
        print(f"{len(problems)} problem(s) in {path}", file=sys.stderr)
        return 1
    own = len(bank.exercises) - len(bank.context)
    varied = len(set(bank.templates) - bank.context)
    print(
        f"{own} exercise(s) and {len(bank.tools)} tool(s) valid in {path}"
        + (f"; {varied} parameterised, each checked over {len(SEEDS)} variants" if varied else "")
    )
    return 0


def _stats(path: Path, as_json: bool) -> int:
    bank = load_bank(path)
    exercises = list(bank.exercises.values())
    counts: dict[str, Any] = {
        "total": len(exercises),
        "by_sector": dict(sorted(Counter(e.sector for e in exercises).items())),
        "by_kind": dict(sorted(Counter(e.kind for e in exercises).items())),
        "by_difficulty": {str(k): v for k, v in sorted(Counter(e.difficulty for e in exercises).items())},
        "by_sector_kind_difficulty": [
            {"sector": s, "kind": k, "difficulty": d, "count": n}
            for (s, k, d), n in sorted(Counter((e.sector, e.kind, e.difficulty) for e in exercises).items())
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
    validate = sub.add_parser(
        "validate", help="check a folder of packs as the app loads it, grade its references; exit 1 on any problem"
    )
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
