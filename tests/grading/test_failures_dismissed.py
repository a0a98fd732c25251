"""The worst faults found but dismissed (#17): when every worst-severity fault an analysis finds
is rated below its severity and given no fitting fix, the analysis has seen them without
understanding them (nothing in it would get them fixed first), and those finds count in part.
One worst fault taken seriously (its severity or a fitting fix) lifts the rule; lesser faults are
never dismissed by it; a dismissed find still scores more than a miss. Stated over families of
severities, fixes and exercises."""

from __future__ import annotations

import pytest

from exercises.submission import SEVERITY_RANK, FaultFlag, FindFailuresSubmission, Severity
from grading import grade
from grading.failures import DISMISSED_CREDIT, assess

from .conftest import AP_FAULTS, failures_exercise, perfect_flag

EXERCISE = failures_exercise()
FAULTS = {f.id: f for f in EXERCISE.faults}
WORST = FAULTS["f-late"]  # the only critical fault
LOWER = [s for s in Severity if SEVERITY_RANK[s] < SEVERITY_RANK[WORST.severity]]
NO_FIT = ["", "Use a better model.", "Retrain the model on more invoices."]


def _with(flag: FaultFlag, exercise=EXERCISE) -> FindFailuresSubmission:
    others = [perfect_flag(f) for f in exercise.faults if f.step != flag.step]
    return FindFailuresSubmission(flags=[flag, *others])


def _found(submission: FindFailuresSubmission, fault_id: str, exercise=EXERCISE) -> float:
    return next(m.found for m in assess(exercise, list(submission.flags)).matches if m.fault.id == fault_id)


@pytest.mark.parametrize("severity", LOWER)
@pytest.mark.parametrize("fix", NO_FIT)
def test_the_worst_fault_rated_lower_with_no_fitting_fix_counts_in_part(severity: Severity, fix: str) -> None:
    dismissed = _with(perfect_flag(WORST, fix=fix).model_copy(update={"severity": severity}))
    rated = _with(perfect_flag(WORST, fix=fix))  # the same weak fix, at the right severity
    fixed = _with(perfect_flag(WORST).model_copy(update={"severity": severity}))  # rated lower, fixed
    missed = FindFailuresSubmission(flags=[perfect_flag(f) for f in EXERCISE.faults if f.id != WORST.id])
    assert _found(dismissed, WORST.id) == pytest.approx(DISMISSED_CREDIT)
    assert _found(rated, WORST.id) == pytest.approx(1.0)
    assert _found(fixed, WORST.id) == pytest.approx(1.0)
    assert grade(EXERCISE, missed).total < grade(EXERCISE, dismissed).total < grade(EXERCISE, rated).total
    assert "count in part" in grade(EXERCISE, dismissed).criterion("detection").evidence


@pytest.mark.parametrize("fault_id", [f["id"] for f in AP_FAULTS if f["severity"] != "critical"])
def test_a_lesser_fault_is_never_dismissed(fault_id: str) -> None:
    fault = FAULTS[fault_id]
    weak = perfect_flag(fault, fix="").model_copy(update={"severity": Severity.low})  # below it, or at it when low
    assert _found(_with(weak), fault_id) == pytest.approx(1.0)


@pytest.mark.parametrize("handled", ["severity", "fix"])
def test_one_worst_fault_taken_seriously_lifts_the_rule_for_the_others(handled: str) -> None:
    faults = [{**f, "severity": "critical"} if f["id"] == "f-drift" else f for f in AP_FAULTS]  # two critical
    exercise = failures_exercise(faults)
    late, drift = (next(f for f in exercise.faults if f.id == i) for i in ("f-late", "f-drift"))
    weak_late = perfect_flag(late, fix="").model_copy(update={"severity": Severity.medium})
    drift_flag = perfect_flag(drift, fix="" if handled == "severity" else None)
    if handled == "fix":
        drift_flag = drift_flag.model_copy(update={"severity": Severity.medium})
    rest = [perfect_flag(f) for f in exercise.faults if f.id not in {"f-late", "f-drift"}]
    both_weak = FindFailuresSubmission(
        flags=[weak_late, perfect_flag(drift, fix="").model_copy(update={"severity": Severity.medium}), *rest]
    )
    one_handled = FindFailuresSubmission(flags=[weak_late, drift_flag, *rest])
    assert _found(both_weak, "f-late", exercise) == pytest.approx(DISMISSED_CREDIT)
    assert _found(both_weak, "f-drift", exercise) == pytest.approx(DISMISSED_CREDIT)
    assert _found(one_handled, "f-late", exercise) == pytest.approx(1.0)
