"""Structural facts about a workflow graph: order, problems, and which data reaches which step."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from exercises.workflow import DataClass, Step, Tool, ToolKind, Workflow


class GraphProblem(ValueError):
    """A workflow that cannot be run: a cycle, or an input that names nothing."""


def topological_order(workflow: Workflow) -> list[str]:
    """Step ids in an order where every step comes after its inputs (Kahn's algorithm)."""
    step_ids = {s.id for s in workflow.steps}
    pending = {s.id: {i for i in s.inputs if i in step_ids} for s in workflow.steps}
    order: list[str] = []
    ready = [s.id for s in workflow.steps if not pending[s.id]]
    while ready:
        current = ready.pop(0)
        order.append(current)
        for step in workflow.steps:
            deps = pending[step.id]
            if current in deps:
                deps.discard(current)
                if not deps:
                    ready.append(step.id)
    if len(order) != len(workflow.steps):
        raise GraphProblem(f"steps form a cycle: {' -> '.join(_loop(pending))}")
    return order


def _loop(pending: Mapping[str, set[str]]) -> list[str]:
    """One loop among the steps Kahn's algorithm could not order, in the direction data flows
    (a -> b: b reads a), from the loop's first step in the workflow and back to it. Every such
    step still waits on another such step, so walking back along inputs must come round."""
    declared = list(pending)
    path = [next(s for s in declared if pending[s])]
    while True:
        previous = min(pending[path[-1]], key=declared.index)
        if previous in path:
            loop = path[path.index(previous) :][::-1]
            first = min(range(len(loop)), key=lambda i: declared.index(loop[i]))
            loop = loop[first:] + loop[:first]
            return [*loop, loop[0]]
        path.append(previous)


def graph_problems(
    workflow: Workflow, tools: Mapping[str, Tool], catalogue: Mapping[str, Tool] | None = None
) -> list[str]:
    """Every reason the graph is not a runnable DAG, in words a learner can act on. `tools` are
    those on offer; with the `catalogue` too, a tool that exists but is not offered says so."""

    def missing(tool_id: str) -> str:
        if catalogue is not None and tool_id in catalogue:
            return f"tool '{tool_id}', which exists but is not on offer in this exercise (add it to `tools`)"
        return f"unknown tool '{tool_id}'"

    problems: list[str] = []
    seen: set[str] = set()
    source_ids = {s.id for s in workflow.sources}
    step_ids = [s.id for s in workflow.steps]
    for step in workflow.steps:
        if step.id in seen:
            problems.append(f"step id '{step.id}' is used twice")
        seen.add(step.id)
        if step.id in source_ids:
            problems.append(f"step id '{step.id}' is also a source id")
    known = set(step_ids) | source_ids
    for step in workflow.steps:
        if step.tool not in tools:
            problems.append(f"step '{step.id}' uses {missing(step.tool)}")
        for check in step.checks:
            if check not in tools:
                problems.append(f"step '{step.id}' is checked by {missing(check)}")
            elif not tools[check].is_check:
                problems.append(f"step '{step.id}': tool '{check}' is not a check")
        for inp in step.inputs:
            if inp not in known:
                problems.append(f"step '{step.id}' reads '{inp}', which is no step or source")
            if inp == step.id:
                problems.append(f"step '{step.id}' reads its own output")
    if not problems:
        try:
            topological_order(workflow)
        except GraphProblem as exc:
            problems.append(str(exc))
    return problems


def data_reaching(
    workflow: Workflow, tools: Mapping[str, Tool], creates: Mapping[str, Iterable[DataClass]] | None = None
) -> dict[str, set[DataClass]]:
    """For each step, the data classes that reach it through its inputs, traced to the sources.

    Data classes flow downstream (a summary of a health record still carries health data)
    unless a step's tool strips them from its output, as a redactor does. A step may also
    create a class its inputs lacked (`creates`, by step id: a lawyer's analysis is privileged).
    """
    created = creates or {}
    sources = {s.id: set(s.data_classes) for s in workflow.sources}
    reaching: dict[str, set[DataClass]] = {}
    leaving: dict[str, set[DataClass]] = {}
    for step_id in topological_order(workflow):
        step = workflow.step(step_id)
        assert step is not None
        classes: set[DataClass] = set()
        for inp in step.inputs:
            classes |= sources.get(inp, set()) | leaving.get(inp, set())
        reaching[step_id] = classes
        tool = tools.get(step.tool)
        removed = set(tool.removes_classes) if tool else set()
        leaving[step_id] = (classes - removed) | set(created.get(step_id, ()))
    return reaching


def verified(step: Step, tools: Mapping[str, Tool]) -> bool:
    """Whether a step's output has been through a check: its tool is one, or one guards it."""
    return any(t in tools and tools[t].is_check for t in (step.tool, *step.checks))


def unchecked_to_action(workflow: Workflow, tools: Mapping[str, Tool], start: str) -> list[str]:
    """The action steps (sends, payments, publications) that output of `start` (a source or a
    step) reaches without passing a check on the way. A check on the action's own output comes
    too late, so it does not count."""
    first = workflow.step(start)
    if first is not None and verified(first, tools):
        return []
    reached: list[str] = []
    seen: set[str] = set()
    frontier = [start]
    while frontier:
        current = frontier.pop()
        for step in workflow.steps:
            if current not in step.inputs or step.id in seen:
                continue
            seen.add(step.id)
            tool = tools.get(step.tool)
            if tool is not None and tool.kind == ToolKind.action:
                reached.append(step.id)
            elif not verified(step, tools):
                frontier.append(step.id)
    return sorted(reached)


def downstream(workflow: Workflow, step_id: str) -> set[str]:
    """Every step whose output depends on the given step's output."""
    result: set[str] = set()
    frontier = [step_id]
    while frontier:
        current = frontier.pop()
        for step in workflow.steps:
            if current in step.inputs and step.id not in result:
                result.add(step.id)
                frontier.append(step.id)
    return result


def upstream(workflow: Workflow, step_id: str) -> set[str]:
    """Every step (not source) the given step's output depends on."""
    by_id = {s.id: s for s in workflow.steps}
    result: set[str] = set()
    frontier = [step_id]
    while frontier:
        current = by_id.get(frontier.pop())
        if current is None:
            continue
        for inp in current.inputs:
            if inp in by_id and inp not in result:
                result.add(inp)
                frontier.append(inp)
    return result
