"""The registries of task kinds agree: the domain's (exercises/kinds.py), the grader's
(grading/kinds.py), the cross-checks' (exercises/checks.py) and the UI's (ui/kinds.py) hold the
same ids, every entry is complete, and each scorer computes exactly its kind's criteria."""

from __future__ import annotations

import dataclasses
import typing

import pytest

from exercises import load_bank
from exercises.checks import CHECKS, cross_check
from exercises.kinds import KINDS, UnknownKind, kind_label, task_kind
from exercises.model import AnyExercise, Kind
from exercises.namespaces import ToolScope
from exercises.submission import AnySubmission
from grading import shared_tools
from grading.kinds import GRADERS, grader_for
from ui.kinds import VIEWS, kind_view

BANK = load_bank()


def test_every_registry_holds_the_same_kinds() -> None:
    assert set(KINDS) == set(GRADERS) == set(VIEWS) == set(CHECKS) == set(Kind)
    for kind in Kind:
        assert (KINDS[kind].id, GRADERS[kind].kind, VIEWS[kind].kind) == (kind, kind, kind)


@pytest.mark.parametrize("registry", [KINDS, GRADERS, VIEWS], ids=["domain", "grading", "ui"])
def test_every_entry_sets_every_field(registry: dict[str, object]) -> None:
    for kind, entry in registry.items():
        for field in dataclasses.fields(entry):  # type: ignore[arg-type]
            value = getattr(entry, field.name)
            assert value not in (None, "", ()), f"{kind}: {field.name} is not set"
    for kind, check in CHECKS.items():
        assert callable(check), kind


def test_the_unions_hold_exactly_the_registered_models() -> None:
    assert set(typing.get_args(AnyExercise)) == {k.exercise for k in KINDS.values()}
    assert set(typing.get_args(AnySubmission)) == {k.submission for k in KINDS.values()}


@pytest.mark.parametrize("kind", list(Kind))
def test_the_models_carry_their_kind_and_say_where_their_words_are(kind: Kind) -> None:
    entry = task_kind(kind)
    assert entry.exercise.model_fields["kind"].annotation == typing.Literal[kind.value]
    assert entry.submission().kind == kind
    assert kind_label(kind) == entry.label
    for method in ("free_text", "edit_text", "_rescued"):  # the base class only raises
        assert method in vars(entry.submission), f"{entry.submission.__name__} does not define {method}"


@pytest.mark.parametrize("kind", list(Kind))
def test_each_scorer_computes_exactly_its_kinds_criteria(kind: Kind) -> None:
    exercises = [e for e in BANK.exercises.values() if e.kind == kind]
    assert exercises, f"no shipped {kind} exercise to score"
    grader, criteria = grader_for(kind), task_kind(kind).criteria
    assert set(grader.judged) <= set(criteria)
    for exercise in exercises:
        assert {c.id for c in exercise.rubric} == set(criteria)
        for answer in (exercise.reference, task_kind(kind).submission()):
            scoring = grader.score(exercise, answer, shared_tools())
            assert sorted(s.id for s in scoring.criteria) == sorted(criteria), exercise.id


@pytest.mark.parametrize(
    "lookup", [task_kind, kind_label, grader_for, kind_view], ids=["domain", "label", "grading", "ui"]
)
def test_a_lookup_that_misses_names_the_kind(lookup: typing.Callable[[str], object]) -> None:
    with pytest.raises(UnknownKind, match="'haiku'"):
        lookup("haiku")


def test_a_cross_check_of_an_unknown_kind_names_it() -> None:
    exercise = next(iter(BANK.exercises.values()))
    stranger = exercise.model_construct(**{**dict(exercise), "kind": "haiku"})
    with pytest.raises(UnknownKind, match="'haiku'"):
        cross_check(stranger, ToolScope(shared_tools(), {}))
