"""What a learner's fixes would change: the workflow under review is simulated with its seeded
faults active (before) and with the faults the learner found and fixed removed, plus the checks
their fixes add and without the steps their fixes remove (after). A fix that changes the step
itself (constrain_prompt, ground_in_sources, add_monitoring: the drift is caught and corrected)
removes the fault and adds nothing; only the fix types in ADDS_CHECK add a check."""

from __future__ import annotations

from collections.abc import Mapping

from exercises.model import Fault, FindFailuresExercise
from exercises.submission import FaultCategory, FaultFlag, FixType
from exercises.workflow import ErrorType, Step, Tool, ToolKind, Workflow
from grading.simulate import SimulationResult, simulate

# How much each kind of fault adds to its step's error rates when nobody fixes it: the
# order of magnitude practitioners see (a stale price list misprices a few % of quotes).
IMPACT: dict[FaultCategory, dict[ErrorType, float]] = {
    FaultCategory.fabrication: {ErrorType.fabrication: 0.05},
    FaultCategory.prompt_injection: {ErrorType.wrong_value: 0.01, ErrorType.privacy_breach: 0.005},
    FaultCategory.personal_data_leak: {ErrorType.privacy_breach: 0.05},
    FaultCategory.missing_check: {ErrorType.wrong_value: 0.03},
    FaultCategory.error_propagation: {ErrorType.wrong_value: 0.03},
    FaultCategory.stale_source: {ErrorType.wrong_value: 0.05},
    FaultCategory.format_drift: {ErrorType.format_break: 0.05},
    FaultCategory.bias: {ErrorType.wrong_value: 0.03},
    FaultCategory.cost_latency_blowup: {},
    FaultCategory.automated_judgement: {ErrorType.wrong_value: 0.04},
}
ADDS_CHECK = {
    FixType.add_validation: "rule_check",
    FixType.enforce_schema: "rule_check",
    FixType.add_human_review: "human_review",
    FixType.move_check_before_action: "human_review",
    FixType.keep_human_decision: "human_review",
}
SIM_CASES = 4_000  # standard error of an error rate near 3 %: about 0.3 points; seeded, so stable
SIM_SEED = 11


def _without(steps: list[Step], removed: set[str]) -> list[Step]:
    """The workflow with `removed` steps taken out: whatever read a removed step now reads what
    that step read (a needless AI rewrite removed, the send reads the draft it rewrote)."""
    by_id = {s.id: s for s in steps}

    def feeds(step_id: str) -> list[str]:
        if step_id not in removed:
            return [step_id]
        return [i for inp in by_id[step_id].inputs for i in feeds(inp)]

    kept = []
    for step in steps:
        if step.id in removed:
            continue
        inputs = list(dict.fromkeys(i for inp in step.inputs for i in feeds(inp)))
        kept.append(step.model_copy(update={"inputs": inputs}))
    return kept


def _with_faults(
    exercise: FindFailuresExercise,
    tools: Mapping[str, Tool],
    active: list[Fault],
    added: dict[str, list[str]],
    removed: frozenset[str] = frozenset(),
) -> tuple[Workflow, dict[str, Tool]]:
    variants = dict(tools)
    steps: list[Step] = []
    for step in _without(list(exercise.workflow.steps), set(removed)):
        extra: dict[ErrorType, float] = {}
        for fault in active:
            if fault.step == step.id:
                for kind, rate in IMPACT[fault.category].items():
                    extra[kind] = extra.get(kind, 0.0) + rate
        tool_id = step.tool
        if extra and step.tool in tools:
            base = tools[step.tool]
            rates = dict(base.error_rates)
            for kind, rate in extra.items():
                rates[kind] = min(1.0, rates.get(kind, 0.0) + rate)
            tool_id = f"{step.tool}@{step.id}"
            variants[tool_id] = base.model_copy(update={"id": tool_id, "error_rates": rates})
        checks = list(step.checks) + [c for c in added.get(step.id, []) if c not in step.checks][: 3 - len(step.checks)]
        steps.append(step.model_copy(update={"tool": tool_id, "checks": checks}))
    return Workflow(sources=exercise.workflow.sources, steps=steps), variants


def before_and_after(
    exercise: FindFailuresExercise, tools: Mapping[str, Tool], fixed: list[tuple[Fault, FaultFlag]]
) -> tuple[SimulationResult, SimulationResult] | None:
    """Simulations before and after the learner's fixes; None if the workflow cannot run here."""
    if any(s.tool not in tools for s in exercise.workflow.steps):
        return None
    by_id = {s.id: s for s in exercise.workflow.steps}
    added: dict[str, list[str]] = {}
    # a removed step goes, unless it is all that stands between the sources and the rest
    removed = frozenset(f.step for _, f in fixed if f.fix_type == FixType.remove_step and f.step in by_id)
    if len(removed) == len(by_id):
        removed = frozenset()
    for _, flag in fixed:
        check = ADDS_CHECK.get(flag.fix_type) if flag.fix_type else None
        step = by_id.get(flag.step)
        if check is None or check not in tools or step is None:
            continue
        target = step
        if step.tool in tools and tools[step.tool].kind == ToolKind.action:
            # a check on an irreversible step's output comes too late: guard what feeds it
            target = next((by_id[i] for i in step.inputs if i in by_id), step)
        added.setdefault(target.id, []).append(check)
    fixed_ids = {fault.id for fault, _ in fixed}
    before_wf, before_tools = _with_faults(exercise, tools, list(exercise.faults), {})
    still = [f for f in exercise.faults if f.id not in fixed_ids]
    after_wf, after_tools = _with_faults(
        exercise, tools, still, {k: v for k, v in added.items() if k not in removed}, removed
    )
    return (
        simulate(before_wf, before_tools, cases=SIM_CASES, seed=SIM_SEED),
        simulate(after_wf, after_tools, cases=SIM_CASES, seed=SIM_SEED),
    )
