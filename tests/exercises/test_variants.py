"""Variants: the 20-seed authoring check on every parameterised exercise, and the mechanics
(determinism, placeholders, computed values, patches) as rules."""

from __future__ import annotations

from collections import Counter

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from exercises import load_bank
from exercises.model import DesignWorkflowExercise, Kind
from exercises.variant_spec import Patch, VariantError, apply_patch, evaluate, substitute
from exercises.variants import answer_key
from grading.variant_checks import check_exercise

BANK = load_bank()
FRESH = load_bank()  # a second bank: its variants are built anew, not read from BANK's cache
TEMPLATES = sorted(BANK.templates)
MIN_PER_KIND = 6


@pytest.mark.parametrize("exercise_id", TEMPLATES)
def test_every_variant_passes_the_authoring_check(exercise_id: str) -> None:
    """Over 20 seeds: builds, reference >= 90, naive <= 30, at least 3 different answers."""
    assert check_exercise(BANK, exercise_id).problems == []


def test_six_exercises_of_each_kind_are_parameterised() -> None:
    kinds = Counter(BANK.exercises[e].kind for e in TEMPLATES)
    assert {k.value: kinds[k.value] for k in Kind} == {k.value: max(kinds[k.value], MIN_PER_KIND) for k in Kind}


@pytest.mark.parametrize("exercise_id", TEMPLATES)
def test_variant_zero_is_the_authored_exercise(exercise_id: str) -> None:
    assert BANK.variant(exercise_id, 0) is BANK.exercises[exercise_id]
    assert BANK.exercises[exercise_id].variant_seed == 0


@pytest.mark.parametrize("exercise_id", TEMPLATES)
def test_a_variant_is_the_same_on_every_build(exercise_id: str) -> None:
    for seed in (1, 7, 13):
        first, again = BANK.variant(exercise_id, seed), FRESH.variant(exercise_id, seed)
        assert first is not None
        assert again is not None
        assert first.content_hash() == again.content_hash()
        assert first.variant_seed == seed


@pytest.mark.parametrize("exercise_id", TEMPLATES)
def test_the_reference_is_derived_for_its_variant(exercise_id: str) -> None:
    """Two variants that ask for different answers show different references."""
    variants = [BANK.variant(exercise_id, seed) for seed in range(1, 21)]
    by_key = {answer_key(v): v for v in variants if v is not None}
    references = {v.reference.model_dump_json() for v in by_key.values()}
    assert len(references) == len(by_key)


def test_unknown_parameter_is_refused_when_strict() -> None:
    with pytest.raises(VariantError, match="no parameter 'budget'"):
        substitute({"brief": "Budget {{budget:.2f}}"}, {}, strict=True)
    assert substitute({"brief": "{{budget}}"}, {}, strict=False) == {"brief": "{{budget}}"}


@given(st.floats(min_value=0.01, max_value=1e6, allow_nan=False), st.integers(min_value=0, max_value=10**7))
def test_a_whole_placeholder_keeps_its_type_and_a_formatted_one_is_text(budget: float, volume: int) -> None:
    out = substitute(
        {"n": "{{budget}}", "text": "${{budget:.2f}} for {{volume:,}}", "list": ["{{volume:d}}"]},
        {"budget": budget, "volume": volume},
        strict=True,
    )
    assert out == {"n": budget, "text": f"${budget:.2f} for {volume:,}", "list": [str(volume)]}


@pytest.mark.parametrize(
    ("expression", "expected"),
    [
        ("volume * 2.5", 250.0),
        ("'all' if budget > 3 else 'sample'", "sample"),
        ("round(budget / 3, 1)", 0.5),
        ("region.rate * 2", 0.2),
        ("max(1, volume - 99)", 1),
    ],
)
def test_computed_values(expression: str, expected: object) -> None:
    values = {"volume": 100, "budget": 1.5, "region": {"rate": 0.1}}
    assert evaluate(expression, values) == pytest.approx(expected) if isinstance(expected, float) else expected


@pytest.mark.parametrize(
    "expression", ["__import__('os')", "volume.__class__", "open('x')", "[1, 2]", "lambda: 1", "missing + 1"]
)
def test_computed_values_allow_nothing_but_arithmetic(expression: str) -> None:
    with pytest.raises(VariantError):
        evaluate(expression, {"volume": 1})


def test_patches_address_list_items_by_id_and_ignore_line_wrapping() -> None:
    data = {
        "brief": "Bank changes are written\n  straight into the file.",
        "traces": [{"id": "t1", "steps": [{"step": "a", "output": "x"}]}, {"id": "t2", "steps": []}],
    }
    apply_patch(data, Patch(path="traces.t1.steps.a.output", value="y"))
    apply_patch(data, Patch(path="traces.t2", drop=True))
    apply_patch(data, Patch(path="brief", find="written straight into", replace="reviewed before"))
    assert data == {
        "brief": "Bank changes are reviewed before the file.",
        "traces": [{"id": "t1", "steps": [{"step": "a", "output": "y"}]}],
    }
    with pytest.raises(VariantError, match="no item 't9'"):
        apply_patch(data, Patch(path="traces.t9.steps", value=[]))


@settings(max_examples=25, deadline=None)
@given(st.sampled_from(TEMPLATES), st.integers(min_value=1, max_value=10_000))
def test_any_seed_builds_a_valid_variant(exercise_id: str, seed: int) -> None:
    variant = BANK.variant(exercise_id, seed)
    assert variant is not None
    assert variant.variant_seed == seed
    assert "{{" not in variant.model_dump_json(exclude={"variants"})


@pytest.mark.parametrize("exercise_id", [e for e in TEMPLATES if BANK.exercises[e].kind == Kind.design_workflow])
def test_the_answer_key_holds_steps_without_a_stage(exercise_id: str) -> None:
    """A stage is optional on a step: a reference with some steps untagged still has a key, and
    which steps are untagged changes it (found by the pack fuzz test: it raised TypeError)."""
    exercise = BANK.exercises[exercise_id]
    assert isinstance(exercise, DesignWorkflowExercise)
    steps = exercise.reference.steps
    keys = set()
    for i in (i for i, s in enumerate(steps) if s.stage is not None):
        untagged = [s.model_copy(update={"stage": None}) if j == i else s for j, s in enumerate(steps)]
        variant = exercise.model_copy(update={"reference": exercise.reference.model_copy(update={"steps": untagged})})
        keys.add(answer_key(variant))
    assert answer_key(exercise) not in keys
