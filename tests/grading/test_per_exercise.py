"""A value worked out from an exercise is kept per exercise object: the same object gives the
same value without working it out again, and a changed copy (a new object) is read afresh."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from exercises import load_bank
from grading.explain_match import point_statements
from grading.per_exercise import MAX_EXERCISES, per_exercise

EXPLAIN = [e for e in load_bank().exercises.values() if e.kind == "explain_reasoning"]


def test_the_same_exercise_is_worked_out_once_and_a_changed_copy_afresh() -> None:
    calls: list[str] = []

    @per_exercise
    def title_words(exercise):  # type: ignore[no-untyped-def]
        calls.append(exercise.id)
        return len(exercise.title.split())

    exercise = EXPLAIN[0]
    assert title_words(exercise) == title_words(exercise)
    assert calls == [exercise.id]
    changed = exercise.model_copy(update={"title": exercise.title + " and more"})
    assert title_words(changed) == title_words(exercise) + 2
    assert calls == [exercise.id, exercise.id]


def test_the_cache_is_bounded() -> None:
    seen: list[int] = []

    @per_exercise
    def count(exercise):  # type: ignore[no-untyped-def]
        seen.append(1)
        return len(seen)

    copies = [EXPLAIN[0].model_copy(update={"title": f"t{i}"}) for i in range(MAX_EXERCISES + 5)]
    for c in copies:
        count(c)
    assert len(seen) == len(copies)
    count(copies[0])  # cleared when full: read again, not served stale
    assert len(seen) == len(copies) + 1


@settings(max_examples=20, deadline=None)
@given(st.sampled_from(EXPLAIN), st.text(min_size=1, max_size=40))
def test_cached_statements_follow_the_key_points(exercise, extra) -> None:  # type: ignore[no-untyped-def]
    """Statements read from a copy with a point's text changed are those of the copy."""
    point = exercise.key_points[0]
    edited = exercise.model_copy(
        update={"key_points": [point.model_copy(update={"text": point.text + " " + extra}), *exercise.key_points[1:]]}
    )
    assert point_statements(exercise) == point_statements(exercise.model_copy())
    fresh = point_statements.__wrapped__(edited)  # type: ignore[attr-defined]
    assert point_statements(edited) == fresh
