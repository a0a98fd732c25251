"""Grader validity on the rated calibration set (exercises/calibration/).

Grades every calibration answer and prints, per task kind and overall, on all answers and on
the held-out split (exercises never looked at while changing the graders):
  rater_qwk_<kind>          agreement of the two human raters (QWK on bands 0-4 at 20/45/70/88)
  grader_qwk_<kind>         grader against the mean of the two raters
  grader_spearman_<kind>    rank correlation with the raters' mean
  grader_smd_<kind>         standardized mean difference (grader minus raters)
  needs_review_share_<kind> share of answers the grader routes to an instructor
  grader_qwk_confident_<kind> agreement on the answers the grader did not route to review
Run: uv run python benchmarks/validity.py
"""

from __future__ import annotations

import statistics
import sys
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from exercises.loader import load_bank
from exercises.ratings import load_calibration
from grading import Flag, grade
from grading.agreement import quadratic_weighted_kappa, spearman, standardized_mean_difference
from grading.bands import band


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


def collect() -> list[Scored]:
    bank = load_bank()
    sets, problems = load_calibration(bank)
    if problems:
        for p in problems:
            print(f"# calibration problem: {p}", file=sys.stderr)
    rows = []
    for rated in sets:
        exercise = bank.get(rated.exercise)
        assert exercise is not None
        for item in rated.answers:
            result = grade(exercise, item.submission(), tools=bank.tools)
            a = item.ratings["rater_a"].total
            b = item.ratings["rater_b"].total if "rater_b" in item.ratings else None
            rows.append(
                Scored(
                    exercise.kind, exercise.id, rated.held_out, a, b, result.total, Flag.needs_review in result.flags
                )
            )
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
    confident = [r for r in rows if not r.needs_review]
    if len(confident) >= 2:
        out.append(
            (
                f"grader_qwk_confident_{suffix}",
                quadratic_weighted_kappa([band(r.grader) for r in confident], [band(r.human) for r in confident]),
                "qwk",
            )
        )
    out.append((f"mean_abs_diff_{suffix}", statistics.fmean(abs(r.grader - r.human) for r in rows), "points"))
    out.append((f"answers_{suffix}", float(len(rows)), "answers"))
    return out


def main() -> int:
    rows = collect()
    if not rows:
        print("no calibration answers found under exercises/calibration/", file=sys.stderr)
        return 1
    groups: dict[str, list[Scored]] = defaultdict(list)
    for r in rows:
        groups[r.kind].append(r)
        groups["overall"].append(r)
    for name in sorted(groups):
        for split, members in (("", groups[name]), ("_untuned", [r for r in groups[name] if r.held_out])):
            for label, value, unit in figures(members, name + split):
                print(f"{label}: {value:.3f} {unit}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
