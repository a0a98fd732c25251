"""Where the find-failures grader may be wrong (#17, review flags), stated over families of flags on
the hand-built accounts-payable analysis:
- a false alarm whose fix aims at a fault counted as missed (the fault seen, but flagged upstream
  of it or at another fault's step) is doubt about that find, worth its found share; a false alarm
  with a fix for nothing is not; and doubt never moves a score;
- a fix credited for its ticked type alone (a fitting type over words that say nothing a fitting
  fix says, or none) is doubt about that share; a type that does not fit, or words the grader
  reads, are not;
- a fix whose stance the grader reads (a person on a sample or a subset only, where a person must
  decide every item) is decided, never "words it could not place", whatever else it says."""

from __future__ import annotations

from hypothesis import assume, given
from hypothesis import strategies as st

from exercises.graph import downstream
from exercises.submission import SEVERITY_RANK, FaultCategory, FaultFlag, FindFailuresSubmission, FixType, Severity
from grading import grade
from grading.detection import FOUND_SHARE
from grading.failures import DISMISSED_CREDIT, FIX_TYPE_SHARE, NEIGHBOURS, assess, score_failures, seen_elsewhere

from .conftest import AP_FAULTS, AP_FIXES, failures_exercise, perfect_flag

EXERCISE = failures_exercise()
FAULTS = {f.id: f for f in EXERCISE.faults}
TOTAL_W = sum(SEVERITY_RANK[f.severity] for f in EXERCISE.faults)
STEPS = [s.id for s in EXERCISE.workflow.steps]
OFF_TOPIC = "Buy a faster server and retrain everyone on spreadsheets."
CUED = sorted(f.id for f in EXERCISE.faults if f.fix_cues)  # a fault without cues takes any prose as its fix
UNFITTING = {f.id: next(t for t in FixType if t not in f.fix_types) for f in EXERCISE.faults}


def _criterion(submission: FindFailuresSubmission, criterion: str):
    return next(s for s in score_failures(EXERCISE, submission, {}).criteria if s.id == criterion)


def _weight(fault_id: str) -> float:
    return float(SEVERITY_RANK[FAULTS[fault_id].severity])


# --- a fix for a missed fault, on a flag that matches nothing ------------------------------------------


@given(
    fault_id=st.sampled_from(CUED),
    step=st.sampled_from(STEPS),
    category=st.sampled_from(list(FaultCategory)),
    others=st.sets(st.sampled_from(sorted(FAULTS))),
)
def test_a_false_alarm_whose_fix_aims_at_a_missed_fault_is_doubt_never_a_score(
    fault_id: str, step: str, category: FaultCategory, others: set[str]
) -> None:
    found = [perfect_flag(FAULTS[o]) for o in sorted(others - {fault_id})]
    aimed = FaultFlag(step=step, category=category, severity=Severity.medium, fix=AP_FIXES[fault_id])
    aimless = aimed.model_copy(update={"fix": OFF_TOPIC, "fix_type": UNFITTING[fault_id]})
    with_aim, without = (FindFailuresSubmission(flags=[*found, f]) for f in (aimed, aimless))
    result = assess(EXERCISE, list(with_aim.flags))
    assume(any(f is aimed for f in result.false_alarms))  # the grader gives the flag nothing
    assume(all(m.fault.id != fault_id for m in result.matches))
    missed = [f for f in EXERCISE.faults if f.id not in {m.fault.id for m in result.matches}]
    assert FAULTS[fault_id] in seen_elsewhere(missed, result.false_alarms)
    doubt = _criterion(with_aim, "detection").doubt - _criterion(without, "detection").doubt
    assert doubt >= FOUND_SHARE * _weight(fault_id) / TOTAL_W - 1e-9
    # doubt, never a score: the two analyses earn the same on every criterion
    assert grade(EXERCISE, with_aim).criteria == grade(EXERCISE, without).criteria


@given(step=st.sampled_from(STEPS), category=st.sampled_from(list(FaultCategory)))
def test_a_false_alarm_with_a_fix_for_nothing_sees_no_fault(step: str, category: FaultCategory) -> None:
    flag = FaultFlag(step=step, category=category, severity=Severity.low, fix=OFF_TOPIC, fix_type=None)
    result = assess(EXERCISE, [flag])
    missed = [f for f in EXERCISE.faults if f.id not in {m.fault.id for m in result.matches}]
    assert seen_elsewhere(missed, result.false_alarms) == []


def test_a_fault_flagged_upstream_with_its_fix_is_a_find_a_person_may_credit() -> None:
    """The late approval (at 'approve', shown downstream only) flagged at 'extract', upstream of it,
    with its own fix: a false alarm for the grader, doubt for a person."""
    late = FAULTS["f-late"]
    assert "extract" not in {late.step, *late.also_steps, *downstream(EXERCISE.workflow, late.step)}
    flag = perfect_flag(late).model_copy(update={"step": "extract", "category": FaultCategory.bias})
    result = grade(EXERCISE, FindFailuresSubmission(flags=[flag]))
    assert "1 missed fault(s) a flag's fix aims at" in result.details["doubt"]["where"]


# --- credit that rests on a ticked type alone ----------------------------------------------------------


@given(fault_id=st.sampled_from(CUED), fix=st.sampled_from(["", OFF_TOPIC, "Tell the team to be careful."]))
def test_a_fitting_type_over_words_that_say_nothing_fitting_is_doubt_about_its_share(fault_id: str, fix: str) -> None:
    fault = FAULTS[fault_id]
    ticked = FindFailuresSubmission(flags=[perfect_flag(fault, fix=fix)])
    unticked = FindFailuresSubmission(
        flags=[perfect_flag(fault, fix=fix).model_copy(update={"fix_type": UNFITTING[fault_id]})]
    )
    tick, no_tick = _criterion(ticked, "fixes"), _criterion(unticked, "fixes")
    share = FIX_TYPE_SHARE * _weight(fault_id) / TOTAL_W
    assert abs(tick.doubt - no_tick.doubt - share) < 1e-9
    assert abs(tick.score - no_tick.score - share) < 1e-9  # the tick's credit is what is in doubt


@given(fault_id=st.sampled_from(sorted(AP_FIXES)))
def test_a_fix_the_grader_reads_in_full_leaves_no_doubt_about_its_type(fault_id: str) -> None:
    full = FindFailuresSubmission(flags=[perfect_flag(FAULTS[fault_id])])
    assert _criterion(full, "fixes").doubt == 0


# --- a fix whose stance is read is decided ---------------------------------------------------------------

SAMPLED = ["a random 5 % of", "a spot-check of", "a sample of", "some of"]


def _every_item(needs_every_item: bool):
    """The late approval as a decision a person must take on every item, or as a plain check."""
    types = ["keep_human_decision"] if needs_every_item else ["move_check_before_action"]
    faults = [{**f, "fix_types": types} if f["id"] == "f-late" else f for f in AP_FAULTS]
    return failures_exercise(faults)


@given(sampled=st.sampled_from(SAMPLED), needs_every_item=st.booleans())
def test_a_person_on_a_sample_where_every_item_needs_one_is_decided_not_unread(
    sampled: str, needs_every_item: bool
) -> None:
    exercise = _every_item(needs_every_item)
    late = next(f for f in exercise.faults if f.id == "f-late")
    fix = f"A supervisor looks at {sampled} the invoices once they are approved."  # on topic, not in full
    flag = perfect_flag(late, fix=fix).model_copy(update={"fix_type": None})  # no tick to weigh
    scored = score_failures(exercise, FindFailuresSubmission(flags=[flag]), {})
    fixes = next(s for s in scored.criteria if s.id == "fixes")
    assert (fixes.doubt == 0) == needs_every_item


# --- doubt is about the points at stake ------------------------------------------------------------------


@given(
    category=st.sampled_from(sorted(NEIGHBOURS[FAULTS["f-late"].category])),
    severity=st.sampled_from([s for s in Severity if SEVERITY_RANK[s] < SEVERITY_RANK[FAULTS["f-late"].severity]]),
)
def test_a_find_that_counts_in_part_puts_only_that_part_in_doubt(category: FaultCategory, severity: Severity) -> None:
    """The worst fault named with a neighbouring category: its classification is doubt. Rated below
    its severity with no fitting fix, the find counts in part (dismissed), and so does the doubt."""
    late = FAULTS["f-late"]
    rest = [perfect_flag(f) for f in EXERCISE.faults if f.id != late.id]
    named = perfect_flag(late, fix="").model_copy(update={"category": category})
    taken = FindFailuresSubmission(flags=[named, *rest])
    dismissed = FindFailuresSubmission(flags=[named.model_copy(update={"severity": severity}), *rest])
    full = _criterion(taken, "classification").doubt
    assert full > 0
    assert abs(_criterion(dismissed, "classification").doubt - DISMISSED_CREDIT * full) < 1e-9
