"""Grader validity on the rated calibration set (exercises/calibration/).

Grades every calibration answer (to shipped exercises and to the calibration-only exercises in
exercises/calibration/packs/, when present) and prints, per task kind and overall, on all answers
and on each split (`tuned`: exercises the graders may be tuned on; `held_out`: never looked at
while changing the graders, from `held_out: true` in a rated set or the packs' HELD_OUT.txt):
  rater_qwk_<kind>_<split>        agreement of the two human raters (QWK on bands 0-4 at 20/45/70/88)
  grader_qwk_<kind>_<split>       grader against the mean of the two raters
  grader_spearman_<kind>_<split>  rank correlation with the raters' mean
  grader_smd_<kind>_<split>       standardized mean difference (grader minus raters)
  needs_review_share_<kind>_<split> share of answers the grader routes to an instructor
  flag_precision_<kind>_<split>   mean |grader - raters| on answers routed to review over that on
                                  the others: how well review flags point at the grader's errors
                                  (target >= 2)
  grader_qwk_confident_<kind>_<split> agreement on the answers not routed to review
  mean_abs_diff_<kind>_<split>    mean |grader - raters| in points
The split suffix is empty for all answers.
Run: uv run python benchmarks/validity.py [--calibration DIR]
`--calibration DIR` measures a calibration folder kept outside the project (an outside assessor's
pack): rated sets as `DIR/<exercise id>.yaml`, and the exercises they rate, where the bank lacks
them, under `DIR/packs/` (with its own HELD_OUT.txt), laid out as exercises/calibration/ is.
"""

from __future__ import annotations

import argparse
import statistics
import sys
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from exercises.loader import load_bank
from exercises.ratings import CALIBRATION_DIR, FIRST_RATER, SECOND_RATER, calibration_bank, load_calibration
from grading import Flag, grade
from grading.agreement import flag_precision, quadratic_weighted_kappa, spearman, standardized_mean_difference
from grading.bands import band

SPLITS = ("", "_tuned", "_held_out")


@dataclass
class Scored:
    kind: str
    exercise: str
    held_out: bool
    rater_a: float
    rater_b: float | None
    grader: float
    needs_review: bool

    @property
    def human(self) -> float:
        return self.rater_a if self.rater_b is None else (self.rater_a + self.rater_b) / 2

    @property
    def error(self) -> float:
        return abs(self.grader - self.human)


def collect(folder: Path = CALIBRATION_DIR) -> list[Scored]:
    bank, held_out_ids = calibration_bank(load_bank(), folder / "packs")
    for p in bank.problems:
        if p.file.startswith("calibration/"):
            print(f"# calibration pack problem: {p}", file=sys.stderr)
    sets, problems = load_calibration(bank, folder)
    for p in problems:
        print(f"# calibration problem: {p}", file=sys.stderr)
    rows = []
    for rated in sets:
        exercise = bank.get(rated.exercise)
        assert exercise is not None
        held_out = rated.held_out or rated.exercise in held_out_ids
        for item in rated.answers:
            result = grade(exercise, item.submission(), tools=bank.tools)
            a = item.ratings[FIRST_RATER].total
            b = item.ratings[SECOND_RATER].total if SECOND_RATER in item.ratings else None
            flagged = Flag.needs_review in result.flags
            rows.append(Scored(exercise.kind, exercise.id, held_out, a, b, result.total, flagged))
    return rows


def figures(rows: list[Scored], suffix: str) -> list[tuple[str, float, str]]:
    out: list[tuple[str, float, str]] = []
    if len(rows) < 2:
        return out
    both = [r for r in rows if r.rater_b is not None]
    if both:
        out.append(
            (
                f"rater_qwk_{suffix}",
                quadratic_weighted_kappa([band(r.rater_a) for r in both], [band(r.rater_b or 0) for r in both]),
                "qwk",
            )
        )
    out.append(
        (
            f"grader_qwk_{suffix}",
            quadratic_weighted_kappa([band(r.grader) for r in rows], [band(r.human) for r in rows]),
            "qwk",
        )
    )
    out.append((f"grader_spearman_{suffix}", spearman([r.grader for r in rows], [r.human for r in rows]), "rho"))
    out.append(
        (f"grader_smd_{suffix}", standardized_mean_difference([r.grader for r in rows], [r.human for r in rows]), "sd")
    )
    out.append((f"needs_review_share_{suffix}", sum(r.needs_review for r in rows) / len(rows), "share"))
    precision = flag_precision([r.error for r in rows if r.needs_review], [r.error for r in rows if not r.needs_review])
    if precision is not None:
        out.append((f"flag_precision_{suffix}", precision, "ratio"))
    confident = [r for r in rows if not r.needs_review]
    if len(confident) >= 2:
        out.append(
            (
                f"grader_qwk_confident_{suffix}",
                quadratic_weighted_kappa([band(r.grader) for r in confident], [band(r.human) for r in confident]),
                "qwk",
            )
        )
    out.append((f"mean_abs_diff_{suffix}", statistics.fmean(r.error for r in rows), "points"))
    out.append((f"answers_{suffix}", float(len(rows)), "answers"))
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Grader validity on rated calibration answers.")
    parser.add_argument(
        "--calibration",
        type=Path,
        default=CALIBRATION_DIR,
        metavar="DIR",
        help="a calibration folder (rated sets, and packs/ for exercises the bank lacks); default: the project's",
    )
    args = parser.parse_args(argv)
    if not args.calibration.is_dir():
        print(f"no such calibration folder: {args.calibration}", file=sys.stderr)
        return 2
    rows = collect(args.calibration)
    if not rows:
        print(f"no calibration answers found under {args.calibration}", file=sys.stderr)
        return 1
    groups: dict[str, list[Scored]] = defaultdict(list)
    for r in rows:
        groups[r.kind].append(r)
        groups["overall"].append(r)
    for name in sorted(groups):
        members = groups[name]
        by_split = {
            "": members,
            "_tuned": [r for r in members if not r.held_out],
            "_held_out": [r for r in members if r.held_out],
        }
        for split in SPLITS:
            for label, value, unit in figures(by_split[split], name + split):
                print(f"{label}: {value:.3f} {unit}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
