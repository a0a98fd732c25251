"""Scoring a failure analysis: which seeded faults were found on the right step, named with
the right category and severity, and given a fix that fits. False alarms cost."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache

from exercises.model import Fault, FindFailuresExercise
from exercises.submission import SEVERITY_RANK, FaultFlag, FindFailuresSubmission
from exercises.workflow import Tool
from grading.fixes import before_and_after
from grading.rubric import Scored, join
from grading.text import analyse, concept_found, cue_share, stems

FALSE_ALARM_COST = 0.15  # share of the detection criterion each unfounded flag costs
WRONG_CATEGORY_CREDIT = 0.5


@dataclass(frozen=True)
class Match:
    fault: Fault
    flag: FaultFlag
    category_right: bool


def _weight(fault: Fault) -> float:
    return float(SEVERITY_RANK[fault.severity])


def match_flags(exercise: FindFailuresExercise, flags: list[FaultFlag]) -> tuple[list[Match], list[FaultFlag]]:
    """Pair flags with faults one to one, choosing the pairing that earns the most credit
    (severity weight, half for the right step with another category), so a flag that could
    serve two faults is given to the one it serves best. Faults are few, so an exact search
    over which faults are taken is cheap."""
    faults = list(exercise.faults)

    def credit(flag: FaultFlag, fault: Fault) -> tuple[float, int]:
        if flag.step not in {fault.step, *fault.also_steps}:
            return (0.0, 0)
        exact = flag.category in {fault.category, *fault.also_categories}
        return (_weight(fault) * (1.0 if exact else WRONG_CATEGORY_CREDIT), int(exact))

    @cache
    def best(i: int, used: int) -> tuple[float, int, tuple[int, ...]]:
        """Best (credit, exact matches, fault index per flag or -1) for flags[i:] given used faults."""
        if i == len(flags):
            return (0.0, 0, ())
        skip_credit, skip_exact, skip_plan = best(i + 1, used)
        choice = (skip_credit, skip_exact, (-1, *skip_plan))
        for j, fault in enumerate(faults):
            if used & (1 << j):
                continue
            gain, exact = credit(flags[i], fault)
            if gain <= 0:
                continue
            rest_credit, rest_exact, rest_plan = best(i + 1, used | (1 << j))
            option = (gain + rest_credit, exact + rest_exact, (j, *rest_plan))
            if option[:2] > choice[:2]:
                choice = option
        return choice

    _, _, plan = best(0, 0)
    matches = [
        Match(faults[j], flag, credit(flag, faults[j])[1] == 1) for flag, j in zip(flags, plan, strict=True) if j >= 0
    ]
    free = [flag for flag, j in zip(flags, plan, strict=True) if j < 0]
    return matches, free


def score_failures(
    exercise: FindFailuresExercise, submission: FindFailuresSubmission, tools: Mapping[str, Tool]
) -> tuple[list[Scored], dict[str, object]]:
    names = {s.id: s.name for s in exercise.workflow.steps}
    matches, false_alarms = match_flags(exercise, list(submission.flags))
    total_w = sum(_weight(f) for f in exercise.faults)
    by_fault = {m.fault.id: m for m in matches}
    missed = [f for f in exercise.faults if f.id not in by_fault]

    found_w = sum(_weight(m.fault) * (1 if m.category_right else WRONG_CATEGORY_CREDIT) for m in matches)
    recall = found_w / total_w
    detection = max(0.0, recall - FALSE_ALARM_COST * len(false_alarms))
    right = sum(m.category_right for m in matches)
    evidence = (
        f"Flagged the right step for {len(matches)} of {len(exercise.faults)} seeded faults "
        f"({right} with the right category)"
    )
    if false_alarms:
        evidence += f"; {len(false_alarms)} flag(s) match no real fault: " + join(
            [f"'{names.get(f.step, f.step)}' as {f.category.value}" for f in false_alarms], 3
        )
    evidence += "."
    if missed:
        worst = max(missed, key=_weight)
        feedback = (
            f"Missed: the fault at '{names.get(worst.step, worst.step)}' ({worst.severity.value}). {worst.explanation}"
        )
    elif false_alarms:
        feedback = (
            f"{len(false_alarms)} of your {len(submission.flags)} flags match no real fault, and each costs "
            "points as it would cost a real team's time: flag only what the traces and metrics show."
        )
    else:
        feedback = "Every seeded fault found, with no false alarms."
    detection_scored = Scored("detection", detection, evidence, feedback)

    right = [m for m in matches if m.category_right]
    wrong = [m for m in matches if not m.category_right]
    classification = sum(_weight(m.fault) for m in right) / total_w
    c_evidence = f"{len(right)} of {len(exercise.faults)} faults named with the right category."
    if wrong:
        m = wrong[0]
        c_feedback = (
            f"At '{names.get(m.fault.step, m.fault.step)}' you named {m.flag.category.value}; the "
            f"fault is {m.fault.category.value}. {m.fault.explanation}"
        )
    elif missed:
        c_feedback = "Categories are right for the faults you found; the missed ones earn nothing here."
    else:
        c_feedback = "Each fault named with the right category."
    classification_scored = Scored("classification", classification, c_evidence, c_feedback)

    sev_points, sev_notes = 0.0, []
    for m in matches:
        gap = abs(SEVERITY_RANK[m.flag.severity] - SEVERITY_RANK[m.fault.severity])
        sev_points += _weight(m.fault) * (1.0 if gap == 0 else 0.5 if gap == 1 else 0.0)
        if gap:
            sev_notes.append(
                f"'{names.get(m.fault.step, m.fault.step)}' rated {m.flag.severity.value}, "
                f"it is {m.fault.severity.value}"
            )
    severity = sev_points / total_w
    s_feedback = (
        "Severity judged well: the worst faults come first in a remediation plan."
        if not sev_notes and not missed
        else ("Rate by harm: " + "; ".join(sev_notes[:2]) + ".")
        if sev_notes
        else "Severity only counts for faults you found."
    )
    severity_scored = Scored(
        "severity",
        severity,
        f"{len(matches) - len(sev_notes)} of {len(matches)} found faults rated at the right severity.",
        s_feedback,
    )

    scored = [detection_scored, classification_scored, severity_scored, _fixes(exercise, matches, total_w, names)]
    fitting = [(m.fault, m.flag) for m in matches if _fix_fit(m.fault, m.flag) >= 0.75]
    simulated = before_and_after(exercise, tools, fitting)
    details: dict[str, object] = {}
    if simulated is not None:
        details["simulation_before"] = simulated[0].model_dump(mode="json", exclude={"flows"})
        details["simulation_after"] = simulated[1].model_dump(mode="json", exclude={"flows"})
    return scored, details


def _fix_fit(fault: Fault, flag: FaultFlag) -> float:
    type_ok = flag.fix_type in fault.fix_types
    prose = [s for s in analyse(flag.fix) if s.word_count >= 3]
    if not fault.fix_cues:
        text_ok = 1.0 if prose else 0.0
    else:
        whole = stems(flag.fix)
        full = any(concept_found(s.stems, fault.fix_cues) for s in prose)
        text_ok = 1.0 if full else 0.5 * cue_share(whole, fault.fix_cues) if prose else 0.0
    return 0.5 * type_ok + 0.5 * text_ok


def _fixes(exercise: FindFailuresExercise, matches: list[Match], total_w: float, names: dict[str, str]) -> Scored:
    points, weak = 0.0, []
    for m in matches:
        fit = _fix_fit(m.fault, m.flag)
        points += _weight(m.fault) * fit
        if fit < 0.75:
            weak.append(m)
    score = points / total_w
    evidence = f"{len(matches) - len(weak)} of {len(exercise.faults)} faults have a fix that fits."
    if weak:
        m = weak[0]
        options = join([t.value.replace("_", " ") for t in m.fault.fix_types], 3)
        feedback = (
            f"The fix for '{names.get(m.fault.step, m.fault.step)}' does not address the cause; "
            f"fitting fixes: {options}."
        )
    elif len(matches) < len(exercise.faults):
        feedback = "Your fixes fit; faults you did not find have no fix yet."
    else:
        feedback = "Each fix addresses the cause of its fault."
    return Scored("fixes", score, evidence, feedback)
