"""Grader validity: the agreement statistics against hand-computed values, the rated calibration
set's shape, and every calibration answer graded within its raters' band ± 1 (or sent to review)."""

from __future__ import annotations

from collections import Counter

import pytest

from exercises import load_bank
from exercises.ratings import load_calibration
from grading import Flag, grade
from grading.agreement import cohen_kappa, quadratic_weighted_kappa, spearman, standardized_mean_difference
from grading.bands import band

BANK = load_bank()
SETS, PROBLEMS = load_calibration(BANK)
ANSWERS = [(s, a) for s in SETS for a in s.answers]


def test_band_edges() -> None:
    assert [band(x) for x in (0, 19.9, 20, 44.9, 45, 69.9, 70, 87.9, 88, 100)] == [0, 0, 1, 1, 2, 2, 3, 3, 4, 4]


def test_quadratic_weighted_kappa_by_hand() -> None:
    # rater a: 0 1 2 2; rater b: 0 1 2 3. Observed disagreement: one pair one band apart.
    # weights (i-j)^2/9; marginals a: [1,1,2,0], b: [1,1,1,1]; expected E[i][j] = a_i*b_j/4.
    # sum w*O = 1/9; sum w*E = (1/4)*sum_i a_i * sum_j b_j (i-j)^2/9 = (1/36)*(14+6+2*6) = 32/36
    assert quadratic_weighted_kappa([0, 1, 2, 2], [0, 1, 2, 3]) == pytest.approx(1 - (1 / 9) / (32 / 36))
    assert quadratic_weighted_kappa([0, 1, 2, 3, 4], [0, 1, 2, 3, 4]) == pytest.approx(1.0)


def test_spearman_with_ties_by_hand() -> None:
    # ranks a: 1, 2.5, 2.5, 4; b: 1, 2, 3, 4 -> Pearson on ranks
    assert spearman([10, 20, 20, 30], [1, 2, 3, 4]) == pytest.approx(0.9486833, abs=1e-6)


def test_standardized_mean_difference_by_hand() -> None:
    # means 3 and 2; variances (ddof=1) both 1 -> pooled sd 1 -> SMD 1
    assert standardized_mean_difference([2, 3, 4], [1, 2, 3]) == pytest.approx(1.0)


def test_cohen_kappa_by_hand() -> None:
    # observed 3/4; expected 0.75*0.5 + 0.25*0.5 = 0.5 -> kappa 0.5
    assert cohen_kappa([1, 0, 1, 1], [1, 0, 0, 1]) == pytest.approx(0.5)


def test_the_calibration_set_is_valid_and_large_enough() -> None:
    assert [str(p) for p in PROBLEMS] == []
    per_kind = Counter(BANK.get(s.exercise).kind for s in SETS)
    assert all(n >= 2 for n in per_kind.values())
    assert len(per_kind) == 4
    for s in SETS:
        assert len(s.answers) >= 10, s.exercise
        assert all({"rater_a", "rater_b"} <= set(a.ratings) for a in s.answers), s.exercise
    assert any(s.held_out for s in SETS)


@pytest.mark.parametrize(("rated", "answer"), ANSWERS, ids=[f"{s.exercise}:{a.id}" for s, a in ANSWERS])
def test_each_answer_is_graded_within_its_raters_band_or_sent_to_review(rated, answer) -> None:
    exercise = BANK.get(rated.exercise)
    result = grade(exercise, answer.submission(), tools=BANK.tools)
    bands = [band(r.total) for r in answer.ratings.values()]
    within = min(bands) - 1 <= band(result.total) <= max(bands) + 1
    assert within or Flag.needs_review in result.flags, (result.total, [r.total for r in answer.ratings.values()])
