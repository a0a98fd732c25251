"""Item analysis names the hardest and the easiest exercises; never the same one as both
(issue #19, item 8: with few exercises, one was listed as hardest and easiest)."""

from __future__ import annotations

from dataclasses import dataclass

from hypothesis import given
from hypothesis import strategies as st

from ui.cohort_view import extremes


@dataclass(frozen=True)
class Item:
    exercise_id: str
    mean: float


items = st.lists(st.floats(0, 100), max_size=12).map(lambda means: [Item(f"ex{n}", m) for n, m in enumerate(means)])


@given(items)
def test_hardest_and_easiest_never_overlap_and_are_ordered(rated: list[Item]) -> None:
    hardest, easiest = extremes(rated)
    assert not {i.exercise_id for i in hardest} & {i.exercise_id for i in easiest}
    assert len(hardest) <= 3
    assert len(easiest) <= 2
    if hardest and easiest:
        assert max(i.mean for i in hardest) <= min(i.mean for i in easiest)


def test_two_exercises_are_one_hardest_and_one_easiest() -> None:
    hardest, easiest = extremes([Item("a", 40.0), Item("b", 80.0)])
    assert [i.exercise_id for i in hardest] == ["a"]
    assert [i.exercise_id for i in easiest] == ["b"]


def test_many_exercises_give_three_hardest_and_two_easiest() -> None:
    hardest, easiest = extremes([Item(f"e{n}", float(n)) for n in range(10)])
    assert [i.exercise_id for i in hardest] == ["e0", "e1", "e2"]
    assert [i.exercise_id for i in easiest] == ["e9", "e8"]
