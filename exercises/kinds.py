"""The task kinds, one entry each: what the domain knows of a kind (its label, its exercise and
submission models, the criteria its scorer computes). The grader's part of a kind lives in
grading/kinds.py and the UI's in ui/kinds.py, under the same ids; tests/test_kinds.py checks
that the three agree. Nothing else branches on a kind: it looks the kind up here."""

from __future__ import annotations

from dataclasses import dataclass

from exercises.model import (
    AnyExercise,
    DesignWorkflowExercise,
    ExplainReasoningExercise,
    FindFailuresExercise,
    Kind,
    ValidateOutputExercise,
)
from exercises.submission import (
    AnySubmission,
    DesignSubmission,
    ExplainSubmission,
    FindFailuresSubmission,
    ValidateSubmission,
)


class UnknownKind(KeyError):
    """A lookup for a kind no registry holds; the message names it."""

    def __init__(self, kind: str, registry: str = "task kinds") -> None:
        super().__init__(kind)
        self.kind = kind
        self.registry = registry

    def __str__(self) -> str:
        return f"no task kind '{self.kind}' in the {self.registry}"


@dataclass(frozen=True)
class TaskKind:
    id: Kind
    label: str  # how learners and instructors see the kind named
    exercise: type[AnyExercise]
    submission: type[AnySubmission]

    @property
    def criteria(self) -> tuple[str, ...]:
        """The criteria the kind's scorer computes; every rubric of the kind uses exactly these."""
        return self.exercise.CRITERIA


KINDS: dict[str, TaskKind] = {
    k.id: k
    for k in (
        TaskKind(Kind.design_workflow, "Design a workflow", DesignWorkflowExercise, DesignSubmission),
        TaskKind(Kind.find_failures, "Find the failure points", FindFailuresExercise, FindFailuresSubmission),
        TaskKind(Kind.validate_output, "Validate an AI output", ValidateOutputExercise, ValidateSubmission),
        TaskKind(Kind.explain_reasoning, "Explain to a stakeholder", ExplainReasoningExercise, ExplainSubmission),
    )
}


def task_kind(kind: str) -> TaskKind:
    try:
        return KINDS[kind]
    except KeyError:
        raise UnknownKind(kind) from None


def kind_label(kind: str) -> str:
    return task_kind(kind).label
