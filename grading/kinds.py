"""The grader's part of each task kind, keyed as exercises.kinds.KINDS: its scorer and the
criteria the optional LLM judge may score (the free-text ones). `grade()` looks a kind up
here; nothing else in grading/ branches on a kind."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from exercises.kinds import UnknownKind
from exercises.model import Kind
from exercises.workflow import Tool
from grading.design import score_design
from grading.explain import score_explanation
from grading.failures import score_failures
from grading.rubric import Scoring
from grading.validate import score_validation

E = TypeVar("E")
S = TypeVar("S")


@dataclass(frozen=True)
class KindGrader(Generic[E, S]):
    kind: Kind
    score: Callable[[E, S, Mapping[str, Tool]], Scoring]
    judged: tuple[str, ...]  # criteria the LLM judge scores alongside the deterministic grader


GRADERS: dict[str, KindGrader[Any, Any]] = {
    g.kind: g
    for g in (
        KindGrader(Kind.design_workflow, score_design, judged=("rationale",)),
        KindGrader(Kind.find_failures, score_failures, judged=("fixes",)),
        KindGrader(Kind.validate_output, score_validation, judged=("corrections",)),
        KindGrader(
            Kind.explain_reasoning, score_explanation, judged=("key_points", "plain_language", "structure", "audience")
        ),
    )
}


def grader_for(kind: str) -> KindGrader[Any, Any]:
    try:
        return GRADERS[kind]
    except KeyError:
        raise UnknownKind(kind, "graders") from None
