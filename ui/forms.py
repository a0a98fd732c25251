"""One submission form per task kind. Each returns the raw payload (autosaved as the draft,
even when invalid) and, when it validates, the submission model."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from pydantic import ValidationError

from exercises.kinds import KINDS
from exercises.model import AnyExercise
from exercises.submission import SUBMISSION_ADAPTER, AnySubmission
from exercises.workflow import Tool
from ui.form_problems import PROBLEMS
from ui.kinds import kind_view


@dataclass
class FormResult:
    payload: dict[str, Any]
    submission: AnySubmission | None = None
    errors: list[str] = field(default_factory=list)


def _where(loc: tuple[Any, ...]) -> str:
    parts = (
        [str(p) for p in loc[1:]]
        if loc and loc[0] in KINDS  # pydantic names the union member first
        else [str(p) for p in loc]
    )
    words: list[str] = []
    for i, part in enumerate(parts):
        if part.isdigit() and i > 0:
            words[-1] = f"{words[-1]} row {int(part) + 1}"
        else:
            words.append(part.replace("_", " "))
    return ", ".join(words) or "answer"


def validate_payload(payload: dict[str, Any]) -> FormResult:
    """Build the submission model; explain every problem in the learner's terms."""
    try:
        return FormResult(payload, SUBMISSION_ADAPTER.validate_python(payload))
    except ValidationError as exc:
        errors = []
        for e in exc.errors():
            msg = e["msg"]
            if e["type"] == "string_too_long":
                limit = (e.get("ctx") or {}).get("max_length")
                msg = f"too long: at most {limit:,} characters" if limit else msg
            elif e["type"] == "too_long":
                limit = (e.get("ctx") or {}).get("max_length")
                msg = f"too many entries: at most {limit}" if limit else msg
            elif e["type"] == "string_pattern_mismatch":
                msg = "use lower-case letters, digits, '-' or '_' (e.g. extract_totals)"
            errors.append(f"{_where(tuple(e['loc']))}: {msg}")
        return FormResult(payload, None, errors)


def submission_form(
    exercise: AnyExercise, tools: Mapping[str, Tool], base: dict[str, Any] | None, scope: str = ""
) -> FormResult:
    """The kind's form. A non-empty `scope` prefixes every widget key (an assessment sitting or a
    variant keeps its own widgets apart); a sitting's scope also turns practice aids off."""
    # the same dict as the page holds: a form may rebase it (the design table does)
    payload = kind_view(exercise.kind).form(exercise, tools, base if base is not None else {}, scope)
    problems = payload.pop(PROBLEMS, [])  # what a form noticed that the model cannot (never stored)
    result = validate_payload(payload)
    if problems:
        return FormResult(payload, None, [*result.errors, *problems])
    return result
