"""Scoring a failure analysis: which seeded faults were found on the right step, named with
the right category and severity, and given a fix that fits. False alarms cost."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache

from exercises.model import Fault, FindFailuresExercise
from exercises.submission import SEVERITY_RANK, FaultFlag, FindFailuresSubmission
from exercises.workflow import Tool
from grading.rubric import Scored, Scoring, join
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


def _severity_credit(fault: Fault, flag: FaultFlag) -> float:
    gap = abs(SEVERITY_RANK[flag.severity] - SEVERITY_RANK[fault.severity])
    return 1.0 if gap == 0 else 0.5 if gap == 1 else 0.0


def match_flags(exercise: FindFailuresExercise, flags: list[FaultFlag]) -> tuple[list[Match], list[FaultFlag]]:
    """Pair flags with faults one to one, choosing the pairing that earns the most marks overall
    (every criterion, weighted as the rubric weighs it, less the cost of unmatched flags). So a
    flag that could serve two faults goes where it serves the grade best, the order of the flags
    does not matter, and finding one more fault can never lower the grade. Faults are few, so an
    exact search over which faults are taken is cheap."""
    faults = list(exercise.faults)
    total_w = sum(_weight(f) for f in faults)
    weight = {c.id: c.weight for c in exercise.rubric}
    penalty = weight["detection"] * FALSE_ALARM_COST

    @cache
    def value(i: int, j: int) -> float:
        flag, fault = flags[i], faults[j]
        if flag.step not in {fault.step, *fault.also_steps}:
            return -1.0
        exact = flag.category in {fault.category, *fault.also_categories}
        marks = (
            weight["detection"] * (1.0 if exact else WRONG_CATEGORY_CREDIT)
            + weight["classification"] * exact
            + weight["severity"] * _severity_credit(fault, flag) * (1.0 if exact else 0.5)
            + weight["fixes"] * _fix_fit(fault, flag)
        )
        return _weight(fault) / total_w * marks

    @cache
    def best(i: int, used: int) -> tuple[float, tuple[int, ...]]:
        if i == len(flags):
            return (0.0, ())
        rest, plan = best(i + 1, used)
        choice = (rest - penalty, (-1, *plan))
        for j in range(len(faults)):
            if used & (1 << j):
                continue
            gain = value(i, j)
            if gain < 0:
                continue
            rest, plan = best(i + 1, used | (1 << j))
            if gain + rest > choice[0] + 1e-12:
                choice = (gain + rest, (j, *plan))
        return choice

    _, plan = best(0, 0)
    matches = []
    for flag, j in zip(flags, plan, strict=True):
        if j >= 0:
            fault = faults[j]
            matches.append(Match(fault, flag, flag.category in {fault.category, *fault.also_categories}))
    free = [flag for flag, j in zip(flags, plan, strict=True) if j < 0]
    return matches, free


def score_failures(
    exercise: FindFailuresExercise, submission: FindFailuresSubmission, catalogue: Mapping[str, Tool]
) -> Scoring:
    names = {s.id: s.name for s in exercise.workflow.steps}
    matches, false_alarms = match_flags(exercise, list(submission.flags))
    total_w = sum(_weight(f) for f in exercise.faults)
    by_fault = {m.fault.id: m for m in matches}
    missed = [f for f in exercise.faults if f.id not in by_fault]

    found_w = sum(_weight(m.fault) * (1 if m.category_right else WRONG_CATEGORY_CREDIT) for m in matches)
    recall = found_w / total_w
    detection = max(0.0, recall - FALSE_ALARM_COST * len(false_alarms))
    n_right = sum(m.category_right for m in matches)
    evidence = (
        f"Flagged the right step for {len(matches)} of {len(exercise.faults)} seeded faults "
        f"({n_right} with the right category)"
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
        # rating the severity of a fault you named wrongly is half a judgement at best
        sev_points += _weight(m.fault) * _severity_credit(m.fault, m.flag) * (1.0 if m.category_right else 0.5)
        if SEVERITY_RANK[m.flag.severity] != SEVERITY_RANK[m.fault.severity]:
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
    return Scoring(scored)


def fixed_faults(exercise: FindFailuresExercise, submission: FindFailuresSubmission) -> list[tuple[Fault, FaultFlag]]:
    """The seeded faults the learner found and gave a fitting fix: what `fixes.before_and_after`
    simulates as fixed (shown with the grade, not part of it)."""
    matches, _ = match_flags(exercise, list(submission.flags))
    return [(m.fault, m.flag) for m in matches if _fix_fit(m.fault, m.flag) >= 0.75]


def _fix_fit(fault: Fault, flag: FaultFlag) -> float:
    type_ok = flag.fix_type in fault.fix_types
    prose = [s for s in analyse(flag.fix) if s.word_count >= 3]
    if not fault.fix_cues:
        text_ok = 1.0 if prose else 0.0
    else:
        whole = stems(flag.fix)
        full = any(concept_found(s.stems, fault.fix_cues) for s in prose)
        text_ok = 1.0 if full else 0.3 * cue_share(whole, fault.fix_cues) if prose else 0.0
    # the fix's substance (what it changes, where) weighs more than ticking the right type
    return 0.35 * type_ok + 0.65 * text_ok


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
