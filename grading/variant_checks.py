"""The authoring check for parameterised exercises: over 20 seeds, every variant builds, its
derived reference scores at least 90, the exercise's naive answer at most 30, and the variants
ask for different answers (not only different wording). Called by `python -m exercises validate`
and by the test suite; it lives here because it grades (exercises/ may not import grading/)."""

from __future__ import annotations

from dataclasses import dataclass

from pydantic import ValidationError

from exercises.loader import Bank
from exercises.model import AnyExercise
from exercises.variant_spec import VariantError
from exercises.variants import answer_key
from grading import grade
from grading.selfcheck import REFERENCE_MIN

SEEDS = range(1, 21)
MAX_NAIVE = 30.0  # the most a hurried beginner's answer may earn (AUTHORING.md: the naive case)
MIN_DISTINCT_ANSWERS = 3  # of the 20 variants, at least this many different correct answers


@dataclass(frozen=True)
class VariantCheck:
    exercise_id: str
    file: str
    problems: list[str]
    distinct_answers: int


def naive_answer(exercise: AnyExercise) -> object | None:
    """The exercise's naive golden answer (the hurried beginner's), if it has one."""
    naive = [c for c in exercise.golden if c.max_score <= MAX_NAIVE]
    return min(naive, key=lambda c: c.max_score).answer if naive else None


def check_exercise(bank: Bank, exercise_id: str, seeds: range = SEEDS) -> VariantCheck:
    problems: list[str] = []
    keys: set[str] = set()
    for seed in seeds:
        try:
            variant = bank.variant(exercise_id, seed)
        except (VariantError, ValidationError) as exc:
            problems.append(f"variant {seed} cannot be built: {str(exc).splitlines()[0]}")
            continue
        assert variant is not None
        keys.add(answer_key(variant))
        reference = grade(variant, variant.reference, tools=bank.tools)
        if reference.total < REFERENCE_MIN:
            weak = ", ".join(f"{c.id}={c.score:.2f}" for c in reference.criteria if c.score < 0.9)
            problems.append(f"variant {seed}: the reference scores {reference.total:.1f} (< {REFERENCE_MIN:g}; {weak})")
        naive = naive_answer(variant)
        if naive is None:
            problems.append(f"variant {seed}: no naive golden answer (max_score <= {MAX_NAIVE:g})")
        else:
            total = grade(variant, naive, tools=bank.tools).total  # type: ignore[arg-type]
            if total > MAX_NAIVE:
                problems.append(f"variant {seed}: the naive answer scores {total:.1f} (> {MAX_NAIVE:g})")
    if len(keys) < MIN_DISTINCT_ANSWERS:
        problems.append(
            f"{len(keys)} different correct answer(s) over {len(seeds)} variants; at least "
            f"{MIN_DISTINCT_ANSWERS} needed (vary what the answer depends on, not only the wording)"
        )
    return VariantCheck(exercise_id, bank.files.get(exercise_id, exercise_id), problems, len(keys))
