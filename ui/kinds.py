"""The UI's part of each task kind, keyed as exercises.kinds.KINDS: its form, how its answer,
its reference and the outcome of a graded answer are shown, and its short name and colour on
dashboards. Pages and ui/ look a kind up here; nothing else branches on a kind."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

import streamlit as st

from exercises.kinds import UnknownKind
from exercises.model import AnyExercise, Kind
from exercises.workflow import Tool
from ui import (
    form_design,
    form_explain,
    form_failures,
    form_validate,
    view_design,
    view_explain,
    view_failures,
    view_validate,
)
from ui.grade_view import GradedAnswer, nothing_to_simulate

E = TypeVar("E")


@dataclass(frozen=True)
class KindView(Generic[E]):
    kind: Kind
    short: str  # column headers and chart axes
    colour: str  # the kind's colour on every chart
    form: Callable[[E, Mapping[str, Tool], dict[str, Any], str], dict[str, Any]]  # widgets -> raw payload
    answer: Callable[[Mapping[str, Any], E | None, Mapping[str, Tool]], None]  # a stored answer, in words
    reference: Callable[[E, Mapping[str, Tool]], None]  # the gold answer, after grading
    outcome: Callable[[E, Mapping[str, Tool], GradedAnswer], None]  # what the graded answer would do


VIEWS: dict[str, KindView[Any]] = {
    v.kind: v
    for v in (
        KindView(
            Kind.design_workflow,
            "Design",
            "#2563eb",
            form_design.render,
            view_design.show_answer,
            view_design.show_reference,
            view_design.show_outcome,
        ),
        KindView(
            Kind.find_failures,
            "Failures",
            "#d97706",
            form_failures.render,
            view_failures.show_answer,
            view_failures.show_reference,
            view_failures.show_outcome,
        ),
        KindView(
            Kind.validate_output,
            "Validate",
            "#7c3aed",
            form_validate.render,
            view_validate.show_answer,
            view_validate.show_reference,
            nothing_to_simulate,
        ),
        KindView(
            Kind.explain_reasoning,
            "Explain",
            "#059669",
            form_explain.render,
            view_explain.show_answer,
            view_explain.show_reference,
            nothing_to_simulate,
        ),
    )
}


def kind_view(kind: str) -> KindView[Any]:
    try:
        return VIEWS[kind]
    except KeyError:
        raise UnknownKind(kind, "UI views") from None


def show_reference(exercise: AnyExercise, tools: Mapping[str, Tool]) -> None:
    st.markdown(exercise.reference_notes)
    kind_view(exercise.kind).reference(exercise, tools)


def show_outcome(exercise: AnyExercise, tools: Mapping[str, Tool], graded: GradedAnswer) -> None:
    kind_view(exercise.kind).outcome(exercise, tools, graded)
