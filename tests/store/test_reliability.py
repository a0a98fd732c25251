"""The grader-reliability view against a hand-computed example."""

from __future__ import annotations

import pytest

from exercises.model import Kind
from grading import grade
from grading.model import Grade
from store import attempts
from store.db import session_scope
from store.reliability import grader_reliability


def test_agreement_matches_a_hand_computed_example(engine, bank, people) -> None:
    exercise = next(e for e in sorted(bank.exercises.values(), key=lambda e: e.id) if e.kind == Kind.explain_reasoning)
    first = exercise.rubric[0].id
    autos = [30.0, 60.0, 90.0]  # bands 1, 2, 4
    humans = [30.0, 75.0, 92.0]  # bands 1, 3, 4: one disagreement, one band apart
    ids = []
    for n, total in enumerate(autos):
        base = grade(exercise, exercise.reference, tools=bank.tools)
        crit = [c.model_copy(update={"score": 0.8 if c.id == first else c.score}) for c in base.criteria]
        auto = Grade(total=total, criteria=crit, grader_version="v-test")
        ids.append(attempts.submit(engine, people.learner.id, exercise, exercise.reference, auto, f"k{n}"))
    with session_scope(engine) as s:
        for attempt_id, total in zip(ids, humans, strict=True):
            scores = {first: 0.2} if total == 30.0 else {}  # the instructor fails the first criterion once
            attempts.record_override(s, people.instructor, attempt_id, total, "second opinion", scores)
    with session_scope(engine) as s:
        rows = grader_reliability(s, people.instructor)
        assert grader_reliability(s, people.other_instructor) == []  # not their cohort
        assert grader_reliability(s, people.other_learner) == []  # another learner sees none of it
    total_row = next(r for r in rows if r.criterion_id is None)
    assert total_row.reviews == 3
    assert total_row.grader_version == "v-test"
    assert total_row.mean_difference == pytest.approx((0 + 15 + 2) / 3, abs=0.01)
    assert total_row.same_band_share == pytest.approx(2 / 3)
    # QWK on bands a=[1,2,4], b=[1,3,4] with 5 categories, worked by hand:
    # sum w*O = 1/16; marginals a: bands 1,2,4; b: 1,3,4; E = a_i*b_j/3
    # sum w*E = (1/3)*(1/16)*sum_{i in a, j in b} (i-j)^2 = (1/48)*(0+4+9 + 1+1+4 + 9+1+0) = 29/48
    assert total_row.kappa == pytest.approx(1 - (1 / 16) / (29 / 48))
    crit_row = next(r for r in rows if r.criterion_id == first)
    # met/not met: grader [1,1,1], instructor [0,1,1] -> observed 2/3, expected 1*(2/3) -> kappa 0
    assert crit_row.kappa == pytest.approx(0.0)
    assert crit_row.mean_difference == pytest.approx((0.2 - 0.8) / 3, abs=1e-3)
