"""Monte Carlo simulation of error propagation through a workflow graph, vectorised over items.

Model (DESIGN.md, workflow semantics):
- an AI step introduces each error type with its tool's rate, on the items that take the step;
- an error in any input stays in every downstream output until a check catches it; each check
  catches each incoming error type with its catch rate and flags some clean items (false alarms);
- a step with `share` < 1 is taken by that share of items; the others pass through it untouched;
- an error that reaches an irreversible step (a payment, a send) uncaught is a realised harm,
  whatever a later check finds.
For each item and error type we keep the index of the step that introduced the error (0: none),
so every catch, harm and escape is attributed to its origin without a Python loop over items.
"""

from __future__ import annotations

import zlib
from collections.abc import Collection, Mapping

import numpy as np
from pydantic import BaseModel, Field

from exercises.graph import topological_order
from exercises.workflow import ErrorType, Tool, ToolKind, Workflow

ERROR_TYPES = tuple(ErrorType)


class Flow(BaseModel):
    origin: str  # step id that introduced the error
    error_type: ErrorType
    outcome: str  # "caught", "harm" or "escaped"
    at: str  # the step where it was caught or did harm, or the end
    count: int


class SimulationResult(BaseModel):
    cases: int = Field(description="items simulated; 0 when the figures are exact (grading/exact.py)")
    exact: bool = False
    error_rate: float = Field(description="share of items with an uncaught error at an irreversible step or at the end")
    harm_rate: float = Field(description="share of items reaching an irreversible step with an error")
    end_error_rate: float
    cost_per_item: float
    latency_mean_s: float
    latency_p95_s: float
    false_alarm_rate: float = Field(description="share of items flagged by a check with no error")
    harm_by_step: dict[str, float] = Field(default_factory=dict)
    introduced: dict[str, int] = Field(default_factory=dict)
    caught: dict[str, int] = Field(default_factory=dict)
    flows: list[Flow] = Field(default_factory=list)

    @property
    def accuracy(self) -> float:
        return 1.0 - self.error_rate


def irreversible_steps(workflow: Workflow, tools: Mapping[str, Tool]) -> set[str]:
    """Steps that act on the world: tools of kind `action`."""
    return {s.id for s in workflow.steps if s.tool in tools and tools[s.tool].kind == ToolKind.action}


def simulate(
    workflow: Workflow,
    tools: Mapping[str, Tool],
    cases: int = 20_000,
    seed: int = 0,
    irreversible: Collection[str] | None = None,
) -> SimulationResult:
    """Simulate `cases` items through the workflow. Same inputs and seed, same result."""
    if cases < 1:
        raise ValueError("cases must be at least 1")
    order = topological_order(workflow)
    steps = {s.id: s for s in workflow.steps}
    index = {step_id: i + 1 for i, step_id in enumerate(order)}  # 0 means "no error"
    irreversible_ids = set(irreversible_steps(workflow, tools) if irreversible is None else irreversible)
    consumers = {inp for s in workflow.steps for inp in s.inputs}
    sinks = [s for s in order if s not in consumers]
    n_types = len(ERROR_TYPES)
    dtype = np.int16 if len(order) < 30_000 else np.int32

    origin: dict[str, np.ndarray] = {}  # step id -> (types, cases) origin index of each error
    finish: dict[str, np.ndarray] = {}
    total_cost = 0.0
    false_alarm = np.zeros(cases, dtype=bool)
    harmed = np.zeros(cases, dtype=bool)
    harm_by_step: dict[str, float] = {}
    introduced: dict[str, int] = {}
    caught: dict[str, int] = {}
    events: list[tuple[np.ndarray, str, str]] = []  # (origin * n_types + type, outcome, at)

    def stream(*parts: str) -> np.random.Generator:
        """An independent, item-aligned random stream per step and check, so changing one step
        (adding a check) leaves every other step's draws as they were: runs pair up."""
        key = [zlib.crc32(part.encode()) for part in parts]
        return np.random.default_rng(np.random.SeedSequence(entropy=seed, spawn_key=key))

    def record(errs: np.ndarray, mask: np.ndarray, outcome: str, at: str) -> int:
        types, items = np.nonzero(mask)
        if types.size:
            events.append((errs[types, items].astype(np.int64) * n_types + types, outcome, at))
        return int(types.size)

    def rates(table: Mapping[ErrorType, float]) -> tuple[np.ndarray, np.ndarray]:
        """The error types with a non-zero rate (rows to draw for), and those rates as a column."""
        values = np.array([table.get(kind, 0.0) for kind in ERROR_TYPES])
        active = np.flatnonzero(values > 0)
        return active, values[active][:, None]

    def apply_check(errs: np.ndarray, tool: Tool, takes: np.ndarray | None, at: str, draws: np.random.Generator) -> int:
        """Catch errors in place; return how many it caught. Record false alarms."""
        present = errs > 0
        has_any = present.any(axis=0)
        active, catch = rates(tool.catch_rates)
        hit = np.zeros_like(present)
        hit[active] = present[active] & (draws.random((active.size, cases)) < catch)  # one draw per item and type
        if takes is not None:
            hit &= takes
        n_caught = record(errs, hit, "caught", at)
        errs[hit] = 0
        if tool.false_alarm_rate > 0:
            clean = ~has_any if takes is None else (~has_any & takes)
            false_alarm[clean & (draws.random(cases) < tool.false_alarm_rate)] = True
        return n_caught

    for step_id in order:
        step = steps[step_id]
        tool = tools[step.tool]
        draws = stream(step_id)
        takes = None if step.share >= 1 else draws.random(cases) < step.share
        upstream = [origin[i] for i in step.inputs if i in origin]
        if not upstream:
            errs = np.zeros((n_types, cases), dtype=dtype)
        elif len(upstream) == 1:
            errs = upstream[0].copy()
        else:
            errs = np.maximum.reduce(upstream)
        ready = [finish[i] for i in step.inputs if i in finish]
        start = np.maximum.reduce(ready) if len(ready) > 1 else (ready[0] if ready else np.zeros(cases))

        if step_id in irreversible_ids:
            arriving = errs > 0
            if takes is not None:
                arriving &= takes
            any_arriving = arriving.any(axis=0)
            harmed |= any_arriving
            harm_by_step[step_id] = float(any_arriving.mean())
            record(errs, arriving, "harm", step_id)

        if tool.error_rates:
            active, make = rates(tool.error_rates)
            new = np.zeros((n_types, cases), dtype=bool)
            new[active] = (draws.random((active.size, cases)) < make) & (errs[active] == 0)
            if takes is not None:
                new &= takes
            errs[new] = index[step_id]
            introduced[step_id] = int(new.sum())
        else:
            introduced[step_id] = 0
        n_caught = apply_check(errs, tool, takes, step_id, draws) if tool.is_check else 0

        cost = tool.cost_per_item
        latency = tool.latency_s
        for n, check_id in enumerate(step.checks):
            check = tools[check_id]
            n_caught += apply_check(errs, check, takes, step_id, stream(step_id, "check", str(n), check_id))
            cost += check.cost_per_item
            latency += check.latency_s
        if n_caught:
            caught[step_id] = n_caught
        total_cost += cost * step.share * cases  # expected cost: exact, and the same for every seed
        finish[step_id] = start + (latency if takes is None else latency * takes)
        origin[step_id] = errs

    end = np.maximum.reduce([origin[s] for s in sinks]) if len(sinks) > 1 else origin[sinks[0]]
    at_end = (end > 0).any(axis=0)
    record(end, end > 0, "escaped", "end")
    latency_all = np.maximum.reduce([finish[s] for s in sinks]) if len(sinks) > 1 else finish[sinks[0]]

    return SimulationResult(
        cases=cases,
        error_rate=float((harmed | at_end).mean()),
        harm_rate=float(harmed.mean()),
        end_error_rate=float(at_end.mean()),
        cost_per_item=total_cost / cases,
        latency_mean_s=float(latency_all.mean()),
        latency_p95_s=float(np.percentile(latency_all, 95)),
        false_alarm_rate=float(false_alarm.mean()),
        harm_by_step=harm_by_step,
        introduced=introduced,
        caught=caught,
        flows=_flows(events, order, n_types),
    )


def _flows(events: list[tuple[np.ndarray, str, str]], order: list[str], n_types: int) -> list[Flow]:
    """Aggregate events into (origin, type, outcome, place) counts for the Sankey diagram."""
    totals: dict[tuple[str, int, str, str], int] = {}
    size = (len(order) + 1) * n_types
    for keys, outcome, at in events:
        counts = np.bincount(keys, minlength=size)
        for key in np.flatnonzero(counts):
            origin_index, t = divmod(int(key), n_types)
            entry = (order[origin_index - 1], t, outcome, at)
            totals[entry] = totals.get(entry, 0) + int(counts[key])
    return [
        Flow(origin=o, error_type=ERROR_TYPES[t], outcome=outcome, at=at, count=n)
        for (o, t, outcome, at), n in sorted(totals.items(), key=lambda kv: -kv[1])
    ]
