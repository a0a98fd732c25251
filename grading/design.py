"""Scoring a designed workflow: substance first (stages, controls placed before the
irreversible steps, data rules), then the simulated cost, speed and error rate."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import replace

from exercises.graph import data_reaching, graph_problems, unchecked_to_action, upstream
from exercises.model import DataRule, DesignWorkflowExercise, Stage
from exercises.submission import DesignSubmission
from exercises.workflow import DataClass, ErrorType, Risk, Step, Tool, ToolKind, Workflow
from grading.bands import BAND_EDGES, MIN_DOUBT, PROFICIENT
from grading.exact import evaluate
from grading.model import Flag
from grading.rubric import CRITICAL_CAP, Scored, Scoring, join
from grading.simulate import SimulationResult, simulate
from grading.text import analyse, concept_found

SIM_CASES = 4_000  # when a design is too large to work out exactly: standard error near 3 % about 0.3 points
SIM_SEED = 7
RISKY = (Risk.high, Risk.irreversible)
FIT_MIN = 0.3  # share of a path's errors (by type, weighted by rate) a check must catch to guard it
DECISIONS = frozenset({"decide", "approve", "review"})  # stages where a person's judgement is the work
SMALL_HARM_COST = 0.5  # the most an unchecked path below the error target costs its stage's credit
SPECIAL_CLASSES = frozenset({DataClass.health, DataClass.privileged})  # special category data, legal privilege
BREACH_CAP = PROFICIENT - 1.0  # a design that breaks a data rule is not yet proficient, however it is fixed
HARM_WEIGHT = {Risk.irreversible: 1.0, Risk.high: 0.5}  # severity of an error landing at the stage
ALT_COST_SLACK = 0.1  # a share of the budget: cost differences below it hardly count against a tool
# a stage the case gives to named people is a role: another person, however able or cheap, is not
# the one the organisation has given that judgement (a contract manager is not its lawyer)
STAND_IN_FIT = 0.5
CAP_PER_DOUBLING = 5.0  # points the critical cap falls each time the expected harm doubles past the target
INFEASIBLE_CAP = PROFICIENT - 1.0  # far over budget or turnaround: safe, perhaps, but not deployable
# the lowest a cap alone sets for one critical flaw: the shipped golden cases put a design with the
# right tools and one misplaced control at 35 or more; lower than that is for its criteria to say.
# A second, independent flaw, or no check anywhere (no control to misplace), has no floor.
CAP_FLOOR = 35.0
# a design that performs under half of the stages is not yet a workflow for the problem: raters
# hold it in the lowest band, in proportion to the work it does, whatever its constraints, data
# rules and structure would earn on the little it covers
WORKFLOW_SHARE = 0.5
NOT_A_WORKFLOW_CAP = BAND_EDGES[0] - 1.0


def catch_fit(check: Tool, errors: Mapping[ErrorType, float]) -> float:
    """The share of a path's errors a check catches, by error type and weighted by how often each
    is made: a format check on a path that invents facts catches little of what matters."""
    mass = sum(errors.values())
    if mass <= 0:
        return 1.0
    return sum(rate * check.catch_rates.get(kind, 0.0) for kind, rate in errors.items()) / mass


def _suitable(tool: Tool, required: str, errors: Mapping[ErrorType, float] | None = None) -> bool:
    """A check of the authority the stage requires (a person; a professional who may decide)
    that catches the kind of errors on the path it guards."""
    if not tool.is_check:
        return False
    if errors is not None and catch_fit(tool, errors) < FIT_MIN:
        return False
    if required == "expert":
        return "decide" in tool.capabilities
    if required == "human":
        return tool.kind == ToolKind.human
    return True


def _performers(stage: Stage, steps: list[Step], tools: Mapping[str, Tool]) -> tuple[list[Step], list[Step]]:
    """Steps that perform the stage with a capable tool, and steps tagged to it that cannot."""
    tagged = [s for s in steps if s.stage == stage.id]
    capable = [s for s in tagged if s.tool in tools and stage.capability in tools[s.tool].capabilities]
    wrong = [s for s in tagged if s not in capable]
    if not tagged:  # untagged designs: infer from capability, but only for unclaimed steps
        capable = [
            s for s in steps if s.stage is None and s.tool in tools and stage.capability in tools[s.tool].capabilities
        ]
    return capable, wrong


def score_design(
    exercise: DesignWorkflowExercise, submission: DesignSubmission, catalogue: Mapping[str, Tool]
) -> Scoring:
    offered = {t: catalogue[t] for t in exercise.tools if t in catalogue}
    steps = list(submission.steps)
    if not steps:
        empty = "The design has no steps yet."
        scored = [
            Scored(c, 0.0, empty, "Add the steps of your workflow, one per stage.")
            for c in ("coverage", "tool_fit", "controls", "data_rules", "constraints", "reliability", "structure")
        ]
        return Scoring([*scored, _rationale(exercise, submission)])

    workflow = Workflow(sources=exercise.sources, steps=steps)
    problems = graph_problems(workflow, offered)
    off_menu = sorted({s.tool for s in steps if s.tool not in offered and s.tool in catalogue})
    runnable = not problems

    coverage, performers, coverage_scored = _coverage(exercise, steps, offered)
    performed = coverage  # the share of stages performed at all, before any counts in part
    if runnable:
        coverage, coverage_scored = _founded(exercise, workflow, offered, performers, coverage_scored)
    scored = [coverage_scored, _tool_fit(exercise, steps, offered, performers)]
    details: dict[str, object] = {}
    flags: list[Flag] = []
    if runnable:
        scored.append(_controls(exercise, workflow, offered, performers))
        scored.append(_data_rules(exercise, workflow, offered, coverage, performers))
        irreversible = _irreversible(exercise, performers)
        sim = project(seen_through_checks(workflow, offered), offered, irreversible or None)
        details["simulation"] = sim.model_dump(mode="json")
        scored.append(_constraints(exercise, sim, coverage))
        scored.append(_reliability(exercise, sim, coverage))
        scored = _caps_by_harm(
            scored, sim.error_rate / exercise.constraints.max_error_rate, floor=_has_check(workflow, offered)
        )
    else:
        flags.append(Flag.invalid_workflow)
        why = "The workflow cannot be run: " + "; ".join(problems[:3])
        fix = "Fix the graph first: every input must name a source or an earlier step, with no loops."
        scored += [Scored(c, 0.0, why, fix) for c in ("controls", "data_rules", "constraints", "reliability")]
    scored.append(_structure(workflow, offered, problems, off_menu))
    scored.append(_rationale(exercise, submission))
    scored = [_not_a_workflow(s, performed) if s.id == "coverage" else s for s in scored]
    if _compounded(exercise, scored):
        flags.append(Flag.needs_review)
    return Scoring(scored, flags, details)


def not_a_workflow_cap(share: float) -> float | None:
    """The most a design performing `share` of the stages can score: below the lowest band's edge
    in proportion to the work done when it covers under half of them; no cap otherwise."""
    if share >= WORKFLOW_SHARE:
        return None
    return round(NOT_A_WORKFLOW_CAP * share / WORKFLOW_SHARE, 1)


def _not_a_workflow(coverage: Scored, share: float) -> Scored:
    cap = not_a_workflow_cap(share)
    if cap is None:
        return coverage
    feedback = (
        coverage.feedback + f" A design that performs under {WORKFLOW_SHARE:.0%} of the stages is not yet a "
        f"workflow for the problem: it caps the grade at {cap:g}, however sound the few steps are."
    )
    return replace(coverage, feedback=feedback, cap=cap if coverage.cap is None else min(cap, coverage.cap))


def _has_check(workflow: Workflow, tools: Mapping[str, Tool]) -> bool:
    """Whether any step is a check or carries one (a person, a rule check), wherever it sits."""
    return any(tools[t].is_check for s in workflow.steps for t in (s.tool, *s.checks) if t in tools)


def _compounded(exercise: DesignWorkflowExercise, scored: list[Scored]) -> bool:
    """Whether more than one critical flaw holds the grade down: how far independent flaws compound
    is a judgement raters make differently, so a person looks at it. Too little work done (the
    coverage cap) is no flaw in what is done."""
    caps = [s.cap for s in scored if s.cap is not None and s.cap < INFEASIBLE_CAP and s.id != "coverage"]
    if len(caps) < 2:
        return False
    weights = {c.id: c.weight for c in exercise.scored_rubric}
    total = sum(weights.get(s.id, 0.0) * min(1.0, max(0.0, s.score)) for s in scored)
    return total > min(caps)


def harm_cap(harm_ratio: float, flaws: int = 1, floor: bool = True) -> float:
    """The most a design with critical flaws can score, in proportion to the harm it would do: the
    critical cap where one flaw lets errors through at about the target rate, falling by
    `CAP_PER_DOUBLING` for each doubling of the uncaught error rate past the target and for each
    further, independent critical flaw (an unguarded step and a data breach), never below the floor
    (`floor=False`: a design with no check at all, never below 0)."""
    doublings = math.log2(max(1.0, harm_ratio)) + max(0, flaws - 1)
    lowest = CAP_FLOOR if floor else 0.0
    return round(max(lowest, CRITICAL_CAP - CAP_PER_DOUBLING * doublings), 1)  # a total's precision


def _caps_by_harm(scored: list[Scored], harm_ratio: float, floor: bool = True) -> list[Scored]:
    """Each critical cap set in proportion to the harm: an unguarded risky step by how far the
    simulated uncaught error rate exceeds the target; every cap by how many critical flaws there
    are; the floor only for a single flaw in a design with a check somewhere."""
    flaws = sum(s.cap == CRITICAL_CAP for s in scored)
    if not flaws:
        return scored
    out = []
    for s in scored:
        if s.cap != CRITICAL_CAP:
            out.append(s)
            continue
        cap = harm_cap(harm_ratio if s.id == "controls" else 1.0, flaws, floor and flaws == 1)
        feedback = s.feedback.replace(f"caps the grade at {CRITICAL_CAP:g}", f"caps the grade at {cap:g}")
        feedback = feedback.replace(f"caps this design at {CRITICAL_CAP:g}", f"caps this design at {cap:g}")
        out.append(replace(s, cap=cap, feedback=feedback))
    return out


def seen_through_checks(workflow: Workflow, tools: Mapping[str, Tool]) -> Workflow:
    """The workflow as its error figures see it. A check (a rule check, a person) that reads a
    piece of work directly and also through an earlier check of it sees it in full, and the earlier
    check's catches stand (what it flags is stopped or reworked): the direct read is read through
    that check. A step that is no check (an action, a drafter) reading the raw work beside the
    checked one does bypass the check, and keeps its direct read."""
    by_id = {s.id: s for s in workflow.steps}

    def checks(step_id: str) -> bool:
        step = by_id.get(step_id)
        return step is not None and step.tool in tools and tools[step.tool].is_check

    steps = []
    for step in workflow.steps:
        earlier = [i for i in step.inputs if checks(i)]
        if not checks(step.id) or not earlier:
            steps.append(step)
            continue
        through = set().union(*(upstream(workflow, c) for c in earlier))
        steps.append(step.model_copy(update={"inputs": [i for i in step.inputs if i not in through]}))
    return Workflow(sources=workflow.sources, steps=steps)


def project(workflow: Workflow, tools: Mapping[str, Tool], irreversible: set[str] | None = None) -> SimulationResult:
    """The design's error rates, cost and turnaround: exact where the graph allows it (nearly
    always), else a seeded simulation. Where errors go (the Sankey) is simulated for display."""
    exact = evaluate(workflow, tools, irreversible)
    if exact is not None:
        return exact
    return simulate(workflow, tools, cases=SIM_CASES, seed=SIM_SEED, irreversible=irreversible)


def stages_performed(exercise: DesignWorkflowExercise, steps: list[Step], tools: Mapping[str, Tool]) -> float:
    """The share of the exercise's stages some step performs with a capable tool."""
    return _coverage(exercise, steps, tools)[0]


def irreversible_in(exercise: DesignWorkflowExercise, steps: list[Step], tools: Mapping[str, Tool]) -> set[str]:
    """The steps performing the exercise's irreversible stages, as the grader finds them."""
    return _irreversible(exercise, _coverage(exercise, steps, tools)[1])


def _irreversible(exercise: DesignWorkflowExercise, performers: Mapping[str, list[Step]]) -> set[str]:
    return {p.id for st in exercise.stages if st.risk == Risk.irreversible for p in performers.get(st.id, [])}


def _coverage(
    exercise: DesignWorkflowExercise, steps: list[Step], tools: Mapping[str, Tool]
) -> tuple[float, dict[str, list[Step]], Scored]:
    performers: dict[str, list[Step]] = {}
    covered, missing, miscast = [], [], []
    for stage in exercise.stages:
        capable, wrong = _performers(stage, steps, tools)
        if capable:
            performers[stage.id] = capable
            covered.append(stage.name)
        else:
            missing.append(stage.name)
            for step in wrong:
                miscast.append(f"'{step.name}' is tagged '{stage.name}' but {step.tool} cannot {stage.capability}")
    share = len(covered) / len(exercise.stages)
    evidence = f"{len(covered)} of {len(exercise.stages)} stages covered"
    evidence += f"; missing: {join(missing)}." if missing else "."
    if miscast:
        evidence += " " + "; ".join(miscast) + "."
    feedback = (
        "Every stage of the work is performed by a tool that can do it."
        if not missing
        else f"Add a step for {join(missing)}, using a tool with the capability that stage needs; "
        "a workflow that skips a stage leaves that work undone or done by hand off the books."
    )
    return share, performers, Scored("coverage", share, evidence, feedback)


UNFOUNDED_CREDIT = 0.5  # a stage done without the work it builds on is done only in part


def _founded(
    exercise: DesignWorkflowExercise,
    workflow: Workflow,
    tools: Mapping[str, Tool],
    performers: Mapping[str, list[Step]],
    scored: Scored,
) -> tuple[float, Scored]:
    """Coverage that counts a stage in part when its step never reads the work of a stage the
    reference builds it on (a compensation worked out without the looked-up weight, a letter
    written without the account): the stage is done, on the wrong inputs. Checks and people are
    left to the controls criterion, and stages the design does not cover to coverage itself."""
    needs = _stage_needs(exercise, tools)
    unfounded: list[str] = []
    names = {st.id: st.name for st in exercise.stages}
    for stage_id, wanted in needs.items():
        done = performers.get(stage_id)
        if not done:
            continue
        before = upstream(workflow, done[0].id)
        missing = [t for t in wanted if performers.get(t) and not any(p.id in before for p in performers[t])]
        if missing:
            unfounded.append(
                f"'{names[stage_id]}' never reads the work of {join([repr(names[t]) for t in missing], 2)}"
            )
    if not unfounded:
        return scored.score, scored
    share = max(0.0, scored.score - (1 - UNFOUNDED_CREDIT) * len(unfounded) / len(exercise.stages))
    evidence = scored.evidence + " " + "; ".join(unfounded[:3]) + "."
    feedback = (
        "Each stage must read what the stages before it produce: "
        + unfounded[0]
        + ", so it works on incomplete inputs."
    )
    # what a stage gets wrong without its inputs is beyond the simulation: a person judges how much
    weight = next((c.weight for c in exercise.scored_rubric if c.id == scored.id), 0.0)
    doubt = min(1.0, MIN_DOUBT * len(unfounded) / weight) if weight else 0.0  # enough for a person to look
    why = "a stage that works without what it builds on"
    return share, replace(scored, score=share, evidence=evidence, feedback=feedback, doubt=doubt, doubt_why=why)


def _stage_needs(exercise: DesignWorkflowExercise, tools: Mapping[str, Tool]) -> dict[str, list[str]]:
    """Stage id -> the stages whose work the reference design's step for it reads (through the
    graph), leaving out checks and people (judged as controls)."""
    steps = list(exercise.reference.steps)
    performers = _coverage(exercise, steps, tools)[1]
    if graph_problems(Workflow(sources=exercise.sources, steps=steps), tools):
        return {}
    reference = Workflow(sources=exercise.sources, steps=steps)

    def plain(step: Step) -> bool:
        tool = tools.get(step.tool)
        return tool is not None and not tool.is_check and tool.kind != ToolKind.human

    owner = {p.id: sid for sid, done in performers.items() for p in done if plain(p)}
    needs: dict[str, list[str]] = {}
    for stage_id, done in performers.items():
        if not plain(done[0]):
            continue
        before = upstream(reference, done[0].id)
        needs[stage_id] = sorted({owner[u] for u in before if u in owner and owner[u] != stage_id})
    return needs


def _tool_fit(
    exercise: DesignWorkflowExercise,
    steps: list[Step],
    tools: Mapping[str, Tool],
    performers: dict[str, list[Step]],
) -> Scored:
    points, notes = 0.0, []
    for stage in exercise.stages:
        chosen = performers.get(stage.id)
        if not chosen:
            continue
        step = chosen[0]
        listed = [tools[t] for t in stage.preferred_tools if t in tools]
        credit = (
            1.0
            if not listed or step.tool in stage.preferred_tools
            else alternative_fit(tools[step.tool], listed, exercise)
        )
        points += credit
        if credit < 1:
            better = join([tools[t].name if t in tools else t for t in stage.preferred_tools], 3)
            if _stands_in(tools[step.tool], listed):
                notes.append(f"'{step.name}' gives {tools[step.tool].name} the judgement the case gives to {better}")
            else:
                notes.append(f"'{step.name}' uses {tools[step.tool].name}; {better} fits '{stage.name}' better")
    score = points / len(exercise.stages)
    missing = len(exercise.stages) - len(performers)
    evidence = "; ".join(notes) + "." if notes else "Each covered stage uses a fitting tool."
    if missing:
        evidence += f" {missing} stage(s) have no tool at all."
    feedback = (
        "Good tool choices for every stage."
        if score >= 0.999
        else "Match each stage to the tool built for it: " + (notes[0] if notes else "cover every stage first") + "."
    )
    return Scored("tool_fit", score, evidence, feedback)


def _stands_in(tool: Tool, listed: list[Tool]) -> bool:
    """Whether a person takes a stage the case gives to other, named people."""
    return tool.kind == ToolKind.human and bool(listed) and all(t.kind == ToolKind.human for t in listed)


def alternative_fit(tool: Tool, listed: list[Tool], exercise: DesignWorkflowExercise) -> float:
    """The fit of a capable tool the exercise does not list for a stage, judged by what it does
    against the best listed one rather than by the list: full when it errs no more, catches no less
    and costs no more (an equal alternative the author did not name); otherwise half, less in
    proportion to how much more often it errs and how much more it costs (each measured against the
    exercise's own error target and budget, so small differences weigh little). A person standing
    in for the people a stage names earns at most STAND_IN_FIT, whatever their figures."""
    if _stands_in(tool, listed):
        return min(STAND_IN_FIT, _measured_fit(tool, listed, exercise))
    return _measured_fit(tool, listed, exercise)


def _measured_fit(tool: Tool, listed: list[Tool], exercise: DesignWorkflowExercise) -> float:
    err = sum(tool.error_rates.values())
    catch = sum(tool.catch_rates.values())
    best_err = min(sum(t.error_rates.values()) for t in listed)
    best_catch = max(sum(t.catch_rates.values()) for t in listed)
    best_cost = min(t.cost_per_item for t in listed)
    if err <= best_err and catch >= best_catch and tool.cost_per_item <= best_cost:
        return 1.0
    c = exercise.constraints
    errs = (best_err + c.max_error_rate) / (err + c.max_error_rate)
    costs = (best_cost + ALT_COST_SLACK * c.budget_per_item) / (tool.cost_per_item + ALT_COST_SLACK * c.budget_per_item)
    return 0.5 * min(1.0, errs) * min(1.0, costs)


def _guards(
    step: Step,
    tools: Mapping[str, Tool],
    required: str,
    own_tool: bool = True,
    errors: Mapping[ErrorType, float] | None = None,
) -> bool:
    """Does this step's output leave checked by a check of the required kind that catches the
    errors in question?"""
    if own_tool and step.tool in tools and _suitable(tools[step.tool], required, errors):
        return True
    return any(c in tools and _suitable(tools[c], required, errors) for c in step.checks)


def _unguarded_sources(
    workflow: Workflow, target: Step, stage: Stage, tools: Mapping[str, Tool]
) -> tuple[list[Step], int]:
    """Error-making steps with a path to the target that no suitable check interrupts,
    and how many error-making steps lie on paths to it."""
    by_id = {s.id: s for s in workflow.steps}
    consumers: dict[str, list[Step]] = {}
    for s in workflow.steps:
        for inp in s.inputs:
            consumers.setdefault(inp, []).append(s)
    candidates = [by_id[u] for u in upstream(workflow, target.id)]
    if target.tool in tools and _suitable(tools[target.tool], stage.required_check):
        return [], 1  # the stage is performed by the required checker itself (a person decides)
    if stage.risk == Risk.high:
        own = tools[target.tool].error_rates if target.tool in tools else None
        if _guards(target, tools, stage.required_check, own_tool=False, errors=own):
            return [], 1  # the risky output itself is checked before anyone uses it
        candidates.append(target)
    sources = [s for s in candidates if s.tool in tools and tools[s.tool].error_rates]
    unguarded = []
    for source in sources:
        errors = tools[source.tool].error_rates
        if _guards(source, tools, stage.required_check, errors=errors):
            continue
        frontier, seen, reaches = [source.id], {source.id}, False
        while frontier and not reaches:
            for nxt in consumers.get(frontier.pop(), []):
                if nxt.id == target.id:
                    reaches = True
                    break
                # a check that sees only a sample of the items the target acts on guards none of them
                sees_all = nxt.share >= target.share - 1e-9
                if nxt.id in seen or (sees_all and _guards(nxt, tools, stage.required_check, errors=errors)):
                    continue
                seen.add(nxt.id)
                frontier.append(nxt.id)
        if reaches or (stage.risk == Risk.high and source.id == target.id):
            unguarded.append(source)
    return unguarded, len(sources)


def _controls(
    exercise: DesignWorkflowExercise,
    workflow: Workflow,
    tools: Mapping[str, Tool],
    performers: dict[str, list[Step]],
) -> Scored:
    risky = [s for s in exercise.stages if s.risk in RISKY]
    if not risky:
        return Scored("controls", 1.0, "No high-risk stage in this exercise.", "Nothing to guard.")
    earned = total = 0.0
    good, problems, lessons = [], [], []
    kind_word = {"any": "check", "human": "human review", "expert": "expert sign-off"}
    critical = False
    for stage in risky:
        weight = 2.0 if stage.risk == Risk.irreversible else 1.0
        total += weight
        chosen = performers.get(stage.id) or [
            # the stage is not tagged, but a step does its work anyway (one "pay" step for every
            # refund): that step is where the stage's risk lands, so its controls are judged there
            s
            for s in workflow.steps
            if s.tool in tools and stage.capability in tools[s.tool].capabilities
        ]
        if not chosen:
            problems.append(f"'{stage.name}' is not in the design, so nothing guards it")
            if stage.capability in DECISIONS and _acts_irreversibly(exercise, performers):
                # a person's decision no one with the authority makes, while the irreversible steps
                # built on it still run: they act on no one's decision
                critical = True
                problems.append(f"the irreversible steps run without anyone able to '{stage.capability}'")
            continue
        target = chosen[0]
        stage_earned = weight
        unguarded, n_sources = _unguarded_sources(workflow, target, stage, tools)
        if unguarded:
            # expected harm, not presence: how often an error from an unchecked path reaches the step
            # weighted by what a wrong item costs there: an irreversible step fully, a high-risk one half
            rate = sum(sum(tools[u.tool].error_rates.values()) * u.share for u in unguarded)
            harm = rate * HARM_WEIGHT[stage.risk]
            limit = exercise.constraints.max_error_rate
            names = join([f"'{u.name}'" for u in unguarded], 3)
            misfit = _misfit_checks(workflow, unguarded, target, stage, tools)
            if harm < limit:
                stage_earned = weight * (1 - SMALL_HARM_COST * harm / limit)
                problems.append(
                    f"nothing of the required kind checks {names} before '{stage.name}', but it errs on "
                    f"about {rate:.1%} of items, a harm under the {limit:.1%} target"
                )
            else:
                # partial credit for guarding some of the paths: the unguarded ones still do harm
                stage_earned = weight * 0.5 * (1 - len(unguarded) / max(1, n_sources))
                critical = True  # expected harm at or above the error target: undeployable as it is
                late = stage.risk == Risk.irreversible and _guards(target, tools, stage.required_check, own_tool=False)
                later = [
                    s
                    for s in workflow.steps
                    if target.id in upstream(workflow, s.id) and _guards(s, tools, stage.required_check)
                ]
                if misfit:
                    problems.append(f"{join(misfit, 2)} cannot catch the errors {names} make(s) before '{stage.name}'")
                elif late or later:
                    problems.append(
                        f"the {kind_word[stage.required_check]} of '{stage.name}' comes after it: errors from "
                        f"{names} reach the irreversible step first"
                    )
                else:
                    problems.append(f"no {kind_word[stage.required_check]} between {names} and '{stage.name}'")
                if stage.why:
                    lessons.append(stage.why)
        if stage.capability in DECISIONS and target.share < 1 - 1e-9:
            # a person's decision on a sample is taken for that share: the rest go on with no one deciding
            stage_earned *= target.share
            problems.append(
                f"'{stage.name}' is decided for only {target.share:.0%} of items: the rest go on with no one deciding"
            )
        if stage.risk == Risk.irreversible:
            for decision, taken in _decisions_not_before(exercise, workflow, tools, performers, target):
                stage_earned *= 0.5 + 0.5 * taken
                problems.append(
                    f"'{decision.name}' is a person's decision, yet '{stage.name}' does not wait for it"
                    if not taken
                    else f"'{stage.name}' waits for '{decision.name}' on only {taken:.0%} of items"
                )
        earned += stage_earned
        if stage_earned >= weight:
            good.append(f"'{stage.name}'")
    score = earned / total
    evidence = ("Guarded before the risk: " + join(good) + ". ") if good else ""
    evidence += ("Problems: " + "; ".join(problems) + ".") if problems else ""
    if problems:
        feedback = (
            "Put the check on the path before each risky step, not after it: a review after the "
            "payment or the send does not undo it."
        )
        if lessons:
            feedback += " " + lessons[0]
    else:
        feedback = "Every high-risk and irreversible stage has the right check before it."
    if critical:
        feedback += f" An unchecked risky step erring as often as the target caps this design at {CRITICAL_CAP:g}."
    return Scored("controls", score, evidence.strip(), feedback, cap=CRITICAL_CAP if critical else None)


def _acts_irreversibly(exercise: DesignWorkflowExercise, performers: Mapping[str, list[Step]]) -> bool:
    return any(performers.get(st.id) for st in exercise.stages if st.risk == Risk.irreversible)


def _misfit_checks(
    workflow: Workflow, sources: list[Step], target: Step, stage: Stage, tools: Mapping[str, Tool]
) -> list[str]:
    """Checks of the required authority on the way to the target that catch too little of what
    the unchecked sources get wrong (a tone check on a path that invents facts)."""
    on_path = upstream(workflow, target.id) | {target.id}
    names: list[str] = []
    for step in workflow.steps:
        if step.id not in on_path or not any(s.id in upstream(workflow, step.id) | {step.id} for s in sources):
            continue
        for tool_id in [step.tool, *step.checks]:
            tool = tools.get(tool_id)
            if tool is None or not _suitable(tool, stage.required_check) or f"'{tool.name}'" in names:
                continue
            if any(not _suitable(tool, stage.required_check, tools[s.tool].error_rates) for s in sources):
                names.append(f"'{tool.name}'")
    return names


def _decisions_not_before(
    exercise: DesignWorkflowExercise,
    workflow: Workflow,
    tools: Mapping[str, Tool],
    performers: Mapping[str, list[Step]],
    target: Step,
) -> list[tuple[Step, float]]:
    """People's decisions in the design that an irreversible step is not built on for every item,
    each with the share of items it does wait for: 0 where the letter or payment goes out whatever
    the person decides, the sample's share where a person takes a risky decision on a sample only."""
    before = upstream(workflow, target.id)
    missing = []
    for stage in exercise.stages:
        if stage.capability not in DECISIONS or stage.risk == Risk.irreversible:
            continue
        for step in performers.get(stage.id, []):
            person = step.tool in tools and tools[step.tool].kind == ToolKind.human
            if not person or step.id == target.id:
                continue
            if step.id not in before:
                missing.append((step, 0.0))
            elif stage.risk in RISKY and step.share < target.share - 1e-9:
                # a risky decision is taken on every item; a medium-risk review may see the exceptions only
                missing.append((step, step.share / target.share))
    return missing


def _data_rules(
    exercise: DesignWorkflowExercise,
    workflow: Workflow,
    tools: Mapping[str, Tool],
    coverage: float,
    performers: Mapping[str, list[Step]],
) -> Scored:
    if not exercise.data_rules:
        return Scored("data_rules", coverage, "No data rules in this exercise.", "Nothing to respect.")
    violations = _breaches(exercise, workflow, tools, performers)
    if not violations:
        return Scored(
            "data_rules",
            coverage,
            "No step sends data to a tool that is not cleared for it."
            if all(r.kind == "clearance" for r in exercise.data_rules)
            else "No step sends data where a data rule forbids it.",
            "Data rules respected across the whole graph."
            if coverage >= 0.999
            else "No breaches so far, but the design does not cover every stage yet.",
        )
    score = max(0.0, 1 - 0.5 * len(violations)) * coverage
    severe = [v for v in violations if v[2]]
    line, rule, _ = (severe or violations)[0]
    feedback = f"{rule.text} {_ADVICE[rule.kind].format(data_class=rule.data_class)}"
    if not severe:
        # a tool already trusted with restricted data under an agreement, given one more ordinary
        # class: a breach to put right before the design is used, not data handed to someone with
        # no agreement to hold it
        feedback += (
            " The tool is cleared for other restricted data, so the design can be put right, but until"
            f" it is, the grade is capped at {BREACH_CAP:g}."
        )
        return Scored("data_rules", score, "; ".join(v[0] for v in violations[:4]) + ".", feedback, cap=BREACH_CAP)
    feedback += f" A data breach makes the design undeployable, so it caps the grade at {CRITICAL_CAP:g}."
    shown = [line, *(v[0] for v in violations if v[0] != line)][:4]
    return Scored("data_rules", score, "; ".join(shown) + ".", feedback, cap=CRITICAL_CAP)


_ADVICE = {
    "clearance": (
        "Route that step to a tool cleared for {data_class} data, or strip the data first (a redactor) "
        "if the step does not need it."
    ),
    "verified_before_release": (
        "Check the redacted output (a rule check or a person) before anything sends or publishes it."
    ),
    "untrusted_input": (
        "Put a check between what comes from outside and any step that acts on it, so an instruction "
        "hidden in the input cannot act."
    ),
}


def _breaches(
    exercise: DesignWorkflowExercise,
    workflow: Workflow,
    tools: Mapping[str, Tool],
    performers: Mapping[str, list[Step]],
) -> list[tuple[str, DataRule, bool]]:
    """Each breach of a data rule, as (evidence line, rule, whether it is severe). Every rule kind
    reads the same graph: classes traced from the sources (and created by stages), redactors,
    checks, actions. A clearance breach is severe where the tool is cleared for no restricted data
    (the data leaves for someone with no agreement to hold it) or the class is a special one
    (health, legal privilege); an action on unchecked or unverified data always is."""
    creates = {p.id: st.creates for st in exercise.stages if st.creates for p in performers.get(st.id, [])}
    reaching = data_reaching(workflow, tools, creates)
    names = {s.id: s.name for s in workflow.steps} | {s.id: s.name for s in exercise.sources}
    found: list[tuple[str, DataRule, bool]] = []
    for rule in exercise.data_rules:
        if rule.kind == "clearance":
            for step in workflow.steps:
                for tool_id in [step.tool, *step.checks]:
                    tool = tools.get(tool_id)
                    if (
                        tool is not None
                        and rule.data_class in reaching[step.id]
                        and rule.data_class not in tool.data_clearance
                    ):
                        severe = rule.data_class in SPECIAL_CLASSES or set(tool.data_clearance) <= {DataClass.public}
                        line = f"'{step.name}' sends {rule.data_class} data to {tool.name} ({rule.id})"
                        found.append((line, rule, severe))
            continue
        if rule.kind == "verified_before_release":
            starts = [
                s.id for s in workflow.steps if s.tool in tools and rule.data_class in tools[s.tool].removes_classes
            ]
        else:
            starts = list(rule.sources)
        for start in starts:
            for action in unchecked_to_action(workflow, tools, start):
                line = f"'{names[action]}' acts on '{names[start]}' with no check between ({rule.id})"
                found.append((line, rule, True))
    return found


def _over(value: float, limit: float, slack: float) -> float:
    """1 within the limit, falling linearly to 0 at (1 + slack) times it."""
    if value <= limit:
        return 1.0
    return max(0.0, 1 - (value / limit - 1) / slack)


def _constraints(exercise: DesignWorkflowExercise, sim: SimulationResult, coverage: float) -> Scored:
    c = exercise.constraints
    cost = _over(sim.cost_per_item, c.budget_per_item, 0.5)
    speed = _over(sim.latency_mean_s, c.turnaround_s, 0.5)
    score = cost * speed * coverage  # a design that breaks either limit is not feasible
    # far over a hard limit (where this criterion reaches 0), a design cannot run as the business
    # needs it, however safe: it is not proficient work
    infeasible = cost == 0 or speed == 0
    evidence = (
        f"Simulated cost ${sim.cost_per_item:.3f} per item against a budget of ${c.budget_per_item:.3f}; "
        f"mean turnaround {_duration(sim.latency_mean_s)} against {_duration(c.turnaround_s)}."
    )
    advice = []
    if cost < 1:
        advice.append(
            "cut cost: send only the exceptions to people (a share below 1) and let rule checks take the rest"
        )
    if speed < 1:
        advice.append("cut waiting: human queues dominate turnaround, so review a share of items, not all")
    if coverage < 1 and not advice:
        advice.append("the figures only count for the stages you covered")
    feedback = "Within budget and turnaround." if not advice else "To meet the constraints, " + "; ".join(advice) + "."
    if infeasible:
        feedback += (
            " A design this far over a hard limit cannot run as the business needs it: "
            f"it caps the grade at {INFEASIBLE_CAP:g}."
        )
    return Scored("constraints", score, evidence, feedback, cap=INFEASIBLE_CAP if infeasible else None)


def _reliability(exercise: DesignWorkflowExercise, sim: SimulationResult, coverage: float) -> Scored:
    target = exercise.constraints.max_error_rate
    score = _over(sim.error_rate, target, 1.0) * coverage
    evidence = (
        f"Simulated: {sim.error_rate:.1%} of items end with an uncaught error "
        f"({sim.harm_rate:.1%} reach an irreversible step with one), against a target of {target:.1%}."
    )
    if sim.error_rate <= target:
        feedback = "The design meets the error target."
    else:
        worst = sorted(sim.harm_by_step.items(), key=lambda kv: -kv[1])[:1]
        where = f" Most harm lands at '{worst[0][0]}'." if worst and worst[0][1] > 0 else ""
        feedback = (
            "Too many errors get through: add or strengthen checks where errors are made, before "
            "they can spread to later steps." + where
        )
    return Scored("reliability", score, evidence, feedback)


def _structure(workflow: Workflow, tools: Mapping[str, Tool], problems: list[str], off_menu: list[str]) -> Scored:
    consumers = {inp for s in workflow.steps for inp in s.inputs}
    dangling = [
        s.name
        for s in workflow.steps
        if s.id not in consumers
        and s.stage is None
        and not (s.tool in tools and tools[s.tool].kind == ToolKind.action)
        and not (s.tool in tools and tools[s.tool].is_check)
    ]
    issues = list(problems)
    issues += [f"'{name}' produces output nothing uses and performs no stage" for name in dangling]
    if off_menu:
        issues.append(f"tools not on offer in this exercise: {join(off_menu)}")
    score = max(0.0, 1 - 0.34 * len(issues))
    if not issues:
        return Scored(
            "structure", 1.0, f"{len(workflow.steps)} steps form a connected graph without loops.", "Sound structure."
        )
    return Scored(
        "structure",
        score,
        "; ".join(issues[:4]) + ".",
        "Every step should read from a source or an earlier step and feed a later step or a stage.",
    )


def _rationale(exercise: DesignWorkflowExercise, submission: DesignSubmission) -> Scored:
    sentences = [s for s in analyse(submission.rationale) if s.is_prose]
    points = exercise.rationale_points
    if not points:
        score = min(1.0, len(sentences) / 3)
        advice = "Explain your main choices." if sentences else "No rationale yet: explain your main choices."
        return Scored("rationale", score, f"{len(sentences)} sentence(s) of rationale.", advice)
    made, missed = [], []
    weight_made = 0.0
    for point in points:
        if any(concept_found(s.stems, point.cues) for s in sentences):
            made.append(point)
            weight_made += point.weight
        else:
            missed.append(point)
    score = weight_made / sum(p.weight for p in points)
    evidence = f"The rationale makes {len(made)} of {len(points)} key points."
    # prose that makes none of the missed points may make them in words the grader does not know
    doubt = 0.5 * (1 - score) if missed and len(sentences) >= 2 else 0.0
    if not missed:
        feedback = "Your rationale explains the design's key choices."
    elif not sentences:
        feedback = "No rationale yet. It should say: " + " ".join(p.text for p in missed[:2])
    else:
        feedback = "Your rationale should also say: " + " ".join(p.text for p in missed[:2])
    return Scored("rationale", score, evidence, feedback, doubt=doubt, doubt_why="rationale points in other words")


def _duration(seconds: float) -> str:
    if seconds < 120:
        return f"{seconds:.0f} s"
    if seconds < 7200:
        return f"{seconds / 60:.0f} min"
    return f"{seconds / 3600:.1f} h"
