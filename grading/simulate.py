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
from exercises.workflow import ErrorType, Step, Tool, ToolKind, Workflow

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
    irreversible_ids = set(irreversible_steps(workflow, tools) if irreversible is None else irreversible)
    consumers = {inp for s in workflow.steps for inp in s.inputs}
    run = _Run(cases, seed, np.int16 if len(order) < 30_000 else np.int32)
    for number, step_id in enumerate(order, start=1):  # 0 means "no error"
        run.step(steps[step_id], tools, number, step_id in irreversible_ids)
    return run.result(order, [s for s in order if s not in consumers])


def _rates(table: Mapping[ErrorType, float]) -> tuple[np.ndarray, np.ndarray]:
    """The error types with a non-zero rate (rows to draw for), and those rates as a column."""
    values = np.array([table.get(kind, 0.0) for kind in ERROR_TYPES])
    active = np.flatnonzero(values > 0)
    return active, values[active][:, None]


class _Run:
    """One simulation run: per step, the origin of each item's errors and when the item is done,
    and the counts the result reports."""

    def __init__(self, cases: int, seed: int, dtype: type[np.integer]) -> None:
        self.cases, self.seed, self.dtype = cases, seed, dtype
        self.n_types = len(ERROR_TYPES)
        self.origin: dict[str, np.ndarray] = {}  # step id -> (types, cases) origin index of each error
        self.finish: dict[str, np.ndarray] = {}
        self.total_cost = 0.0
        self.false_alarm = np.zeros(cases, dtype=bool)
        self.harmed = np.zeros(cases, dtype=bool)
        self.harm_by_step: dict[str, float] = {}
        self.introduced: dict[str, int] = {}
        self.caught: dict[str, int] = {}
        self.events: list[tuple[np.ndarray, str, str]] = []  # (origin * n_types + type, outcome, at)

    def stream(self, *parts: str) -> np.random.Generator:
        """An independent, item-aligned random stream per step and check, so changing one step
        (adding a check) leaves every other step's draws as they were: runs pair up."""
        key = [zlib.crc32(part.encode()) for part in parts]
        return np.random.default_rng(np.random.SeedSequence(entropy=self.seed, spawn_key=key))

    def record(self, errs: np.ndarray, mask: np.ndarray, outcome: str, at: str) -> int:
        types, items = np.nonzero(mask)
        if types.size:
            self.events.append((errs[types, items].astype(np.int64) * self.n_types + types, outcome, at))
        return int(types.size)

    def step(self, step: Step, tools: Mapping[str, Tool], number: int, irreversible: bool) -> None:
        tool = tools[step.tool]
        draws = self.stream(step.id)
        takes = None if step.share >= 1 else draws.random(self.cases) < step.share
        errs = self._incoming(step)
        ready = [self.finish[i] for i in step.inputs if i in self.finish]
        start = np.maximum.reduce(ready) if len(ready) > 1 else (ready[0] if ready else np.zeros(self.cases))
        if irreversible:
            self._harm(errs, takes, step.id)
        self.introduced[step.id] = self._introduce(errs, tool, takes, number, draws)
        n_caught = self._check(errs, tool, takes, step.id, draws) if tool.is_check else 0
        cost = tool.cost_per_item
        latency = tool.latency_s
        for n, check_id in enumerate(step.checks):
            check = tools[check_id]
            n_caught += self._check(errs, check, takes, step.id, self.stream(step.id, "check", str(n), check_id))
            cost += check.cost_per_item
            latency += check.latency_s
        if n_caught:
            self.caught[step.id] = n_caught
        self.total_cost += cost * step.share * self.cases  # expected cost: exact, and the same for every seed
        self.finish[step.id] = start + (latency if takes is None else latency * takes)
        self.origin[step.id] = errs

    def _incoming(self, step: Step) -> np.ndarray:
        """The errors the step's inputs carry in, by origin (a copy the step may change)."""
        upstream = [self.origin[i] for i in step.inputs if i in self.origin]
        if not upstream:
            return np.zeros((self.n_types, self.cases), dtype=self.dtype)
        return upstream[0].copy() if len(upstream) == 1 else np.maximum.reduce(upstream)

    def _harm(self, errs: np.ndarray, takes: np.ndarray | None, at: str) -> None:
        arriving = errs > 0
        if takes is not None:
            arriving &= takes
        any_arriving = arriving.any(axis=0)
        self.harmed |= any_arriving
        self.harm_by_step[at] = float(any_arriving.mean())
        self.record(errs, arriving, "harm", at)

    def _introduce(
        self, errs: np.ndarray, tool: Tool, takes: np.ndarray | None, number: int, draws: np.random.Generator
    ) -> int:
        """New errors the step's tool makes, in place; return how many."""
        if not tool.error_rates:
            return 0
        active, make = _rates(tool.error_rates)
        new = np.zeros((self.n_types, self.cases), dtype=bool)
        new[active] = (draws.random((active.size, self.cases)) < make) & (errs[active] == 0)
        if takes is not None:
            new &= takes
        errs[new] = number
        return int(new.sum())

    def _check(
        self, errs: np.ndarray, tool: Tool, takes: np.ndarray | None, at: str, draws: np.random.Generator
    ) -> int:
        """Catch errors in place; return how many it caught. Record false alarms."""
        present = errs > 0
        has_any = present.any(axis=0)
        active, catch = _rates(tool.catch_rates)
        hit = np.zeros_like(present)
        hit[active] = present[active] & (draws.random((active.size, self.cases)) < catch)  # one draw per item and type
        if takes is not None:
            hit &= takes
        n_caught = self.record(errs, hit, "caught", at)
        errs[hit] = 0
        if tool.false_alarm_rate > 0:
            clean = ~has_any if takes is None else (~has_any & takes)
            self.false_alarm[clean & (draws.random(self.cases) < tool.false_alarm_rate)] = True
        return n_caught

    def result(self, order: list[str], sinks: list[str]) -> SimulationResult:
        end = np.maximum.reduce([self.origin[s] for s in sinks]) if len(sinks) > 1 else self.origin[sinks[0]]
        at_end = (end > 0).any(axis=0)
        self.record(end, end > 0, "escaped", "end")
        latency_all = np.maximum.reduce([self.finish[s] for s in sinks]) if len(sinks) > 1 else self.finish[sinks[0]]
        return SimulationResult(
            cases=self.cases,
            error_rate=float((self.harmed | at_end).mean()),
            harm_rate=float(self.harmed.mean()),
            end_error_rate=float(at_end.mean()),
            cost_per_item=self.total_cost / self.cases,
            latency_mean_s=float(latency_all.mean()),
            latency_p95_s=float(np.percentile(latency_all, 95)),
            false_alarm_rate=float(self.false_alarm.mean()),
            harm_by_step=self.harm_by_step,
            introduced=self.introduced,
            caught=self.caught,
            flows=_flows(self.events, order, self.n_types),
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
