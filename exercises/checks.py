"""Cross-reference checks that one model alone cannot make: ids that must exist elsewhere in
the exercise or in the tool catalogue. Each problem is (field, reason)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from exercises.graph import graph_problems
from exercises.kinds import UnknownKind
from exercises.model import (
    AnyExercise,
    DesignWorkflowExercise,
    ExplainReasoningExercise,
    FindFailuresExercise,
    Kind,
    ValidateOutputExercise,
)
from exercises.namespaces import ToolScope
from exercises.workflow import DataClass, Tool, Workflow

FieldProblem = tuple[str, str]


def cross_check(exercise: AnyExercise, scope: ToolScope) -> list[FieldProblem]:
    """`scope` is what this exercise may use: the shared catalogue and its own pack's tools."""
    check = CHECKS.get(exercise.kind)
    if check is None:
        raise UnknownKind(exercise.kind, "cross-checks")
    return check(exercise, scope)


def _check_tools(tools: list[str], scope: ToolScope) -> list[FieldProblem]:
    return [(f"tools.{i}", scope.why_not(t)) for i, t in enumerate(tools) if t not in scope.tools]


def _unique(field: str, ids: list[str]) -> list[FieldProblem]:
    seen: set[str] = set()
    problems = []
    for i, item in enumerate(ids):
        if item in seen:
            problems.append((f"{field}.{i}.id", f"duplicate id '{item}'"))
        seen.add(item)
    return problems


def _offered(tools: list[str], catalogue: Mapping[str, Tool]) -> dict[str, Tool]:
    return {t: catalogue[t] for t in tools if t in catalogue}


def _check_design(ex: DesignWorkflowExercise, scope: ToolScope) -> list[FieldProblem]:
    catalogue = scope.tools
    problems = _check_tools(ex.tools, scope)
    problems += _unique("stages", [s.id for s in ex.stages]) + _unique("sources", [s.id for s in ex.sources])
    offered = _offered(ex.tools, catalogue)
    capabilities = {c for t in offered.values() for c in t.capabilities}
    for i, stage in enumerate(ex.stages):
        if stage.capability not in capabilities:
            problems.append((f"stages.{i}.capability", f"no offered tool can '{stage.capability}'"))
        for j, tool_id in enumerate(stage.preferred_tools):
            if tool_id not in offered:
                where = f"stages.{i}.preferred_tools.{j}"
                if tool_id in catalogue:
                    problems.append((where, f"tool '{tool_id}' exists but is not on offer in this exercise"))
                else:
                    problems.append((where, f"unknown tool '{tool_id}'"))
    source_ids = {s.id for s in ex.sources}
    classes = ", ".join(DataClass)
    for i, rule in enumerate(ex.data_rules):
        if rule.data_class is not None and rule.data_class not in DataClass.__members__:
            problems.append(
                (f"data_rules.{i}.data_class", f"unknown data class '{rule.data_class}'; use one of: {classes}")
            )
        for j, source in enumerate(rule.sources):
            if source not in source_ids:
                problems.append((f"data_rules.{i}.sources.{j}", f"no source '{source}' in this exercise"))
    workflow = Workflow(sources=ex.sources, steps=ex.reference.steps) if ex.reference.steps else None
    if workflow is None:
        problems.append(("reference.steps", "the reference design has no steps"))
        return problems
    for problem in graph_problems(workflow, offered, catalogue):
        problems.append(("reference.steps", problem))
    stage_ids = {s.id for s in ex.stages}
    for i, step in enumerate(ex.reference.steps):
        if step.stage is not None and step.stage not in stage_ids:
            problems.append((f"reference.steps.{i}.stage", f"no stage '{step.stage}'"))
    return problems


def _check_failures(ex: FindFailuresExercise, scope: ToolScope) -> list[FieldProblem]:
    catalogue = scope.tools
    offered = _offered(ex.tools, catalogue)
    problems = _check_tools(ex.tools, scope)
    problems += [("workflow", p) for p in graph_problems(ex.workflow, offered, catalogue)]
    problems += _unique("faults", [f.id for f in ex.faults])
    step_ids = {s.id for s in ex.workflow.steps}
    for i, fault in enumerate(ex.faults):
        for j, step in enumerate([fault.step, *fault.also_steps]):
            if step not in step_ids:
                field = f"faults.{i}.step" if j == 0 else f"faults.{i}.also_steps.{j - 1}"
                problems.append((field, f"no step '{step}' in the workflow"))
    for i, trace in enumerate(ex.traces):
        for j, trace_step in enumerate(trace.steps):
            if trace_step.step not in step_ids:
                problems.append((f"traces.{i}.steps.{j}.step", f"no step '{trace_step.step}' in the workflow"))
    for i, flag in enumerate(ex.reference.flags):
        if flag.step not in step_ids:
            problems.append((f"reference.flags.{i}.step", f"no step '{flag.step}' in the workflow"))
    return problems


def _check_validate(ex: ValidateOutputExercise, scope: ToolScope) -> list[FieldProblem]:
    problems = _unique("claims", [c.id for c in ex.claims])
    problems += _unique("blind_spots", [b.id for b in ex.blind_spots])
    claim_ids = {c.id for c in ex.claims}
    for i, claim in enumerate(ex.claims):
        if claim.error is not None and not claim.correction:
            problems.append((f"claims.{i}.correction", "an erroneous claim needs its correction"))
    for i, mark in enumerate(ex.reference.marks):
        if mark.claim not in claim_ids:
            problems.append((f"reference.marks.{i}.claim", f"no claim '{mark.claim}'"))
    if not any(c.error for c in ex.claims):
        problems.append(("claims", "no claim carries an error: nothing to find"))
    return problems


def _check_explain(ex: ExplainReasoningExercise, scope: ToolScope) -> list[FieldProblem]:
    return _unique("key_points", [k.id for k in ex.key_points])


# One entry per task kind, keyed as exercises.kinds.KINDS (tests/test_kinds.py checks they agree).
CHECKS: dict[str, Callable[[Any, ToolScope], list[FieldProblem]]] = {
    Kind.design_workflow: _check_design,
    Kind.find_failures: _check_failures,
    Kind.validate_output: _check_validate,
    Kind.explain_reasoning: _check_explain,
}
