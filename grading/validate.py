"""Scoring a claim-by-claim validation: which errors were caught (weighted by severity) and how
clean the flags are (correct claims wrongly flagged), as two scores (grading/detection.py);
their type, the corrections, the omissions."""

from __future__ import annotations

from collections.abc import Mapping

from exercises.model import Claim, ValidateOutputExercise
from exercises.submission import SEVERITY_RANK, ClaimError, ClaimMark, ValidateSubmission
from exercises.workflow import Tool
from grading.detection import Detection, neighbours
from grading.rubric import Scored, Scoring, join, on_topic
from grading.text import analyse, concept_found, cue_share, number_matches, numberize, numbers, stems, words

FALSE_FLAG_WEIGHT = 2.0  # a correct claim wrongly flagged weighs as a medium error
CORRECTED_FALSE_FLAG_WEIGHT = 3.0  # one "corrected" as well weighs as a high one (see _false_flag_weight)
E = ClaimError
# Error types that describe the same wrong claim from another side (a stale figure is also a wrong
# number; an inference stated without its caveat is also unsupported): raters split on how much a
# neighbour earns, so it is doubt, not a score. Defined once, symmetric.
_NEIGHBOUR_PAIRS = (
    (E.wrong_number, E.calculation_error),
    (E.wrong_number, E.outdated),
    (E.wrong_number, E.wrong_entity),
    (E.unsupported_inference, E.missing_caveat),
    (E.unsupported_inference, E.fabricated_fact),
)
NEIGHBOURS: dict[ClaimError, frozenset[ClaimError]] = neighbours(_NEIGHBOUR_PAIRS, ClaimError)
NEIGHBOUR_DOUBT = 0.5  # the share of a claim's type credit a person may give a neighbouring type


def _false_flag_weight(mark: ClaimMark) -> float:
    """A correct claim flagged costs a reviewer's time; "corrected" as well, it would put an error
    into the output if the correction were applied: that weighs as a high-severity error."""
    return CORRECTED_FALSE_FLAG_WEIGHT if mark.correction.strip() else FALSE_FLAG_WEIGHT


def wrong_figure(claim: Claim, correction: str, tolerance: float) -> bool:
    """A correction that states a figure of its own in digits, where the source gives one, and
    nowhere (in digits or in words) the source's: applied, it would put another wrong figure into
    the output. The claim's own figures quoted back ("not £11,500") state nothing new, and a
    correction in words only is left to doubt (the grader may misread it)."""
    if not claim.correction_numbers:
        return False
    quoted = numbers(claim.text)
    stated = [f for f in numbers(correction) if f not in quoted]
    said = numbers(correction) + numbers(" ".join(numberize(words(correction))))  # "six months" says 6
    return bool(stated) and not any(number_matches(said, gold, tolerance) for gold in claim.correction_numbers)


def _w(claim: Claim) -> float:
    return float(SEVERITY_RANK[claim.severity])


def correction_fit(claim: Claim, correction: str, tolerance: float) -> tuple[float, bool]:
    """How well a correction matches the gold one, and whether it needs a human (or judge)
    because the gold gives nothing to check against."""
    text = correction.strip()
    if not text:
        return 0.0, False
    parts: list[float] = []
    if claim.correction_numbers:
        found = numbers(text)
        hits = sum(number_matches(found, gold, tolerance) for gold in claim.correction_numbers)
        parts.append(hits / len(claim.correction_numbers))
    if claim.correction_cues:
        lines = [s.stems for s in analyse(text)] or [tuple(stems(text))]
        if any(concept_found(line, claim.correction_cues) for line in lines):
            parts.append(1.0)
        else:
            parts.append(0.5 * cue_share(stems(text), claim.correction_cues))
    if not parts:
        return 0.5, True
    return sum(parts) / len(parts), False


def score_validation(
    exercise: ValidateOutputExercise, submission: ValidateSubmission, catalogue: Mapping[str, Tool]
) -> Scoring:
    claims = {c.id: c for c in exercise.claims}
    marks: dict[str, ClaimMark] = {}
    for mark in submission.marks:
        if mark.claim in claims:
            marks.setdefault(mark.claim, mark)
    errors = [c for c in exercise.claims if c.error is not None]
    err_w = sum(_w(c) for c in errors)
    caught = [c for c in errors if c.id in marks]
    false_flags = [claims[cid] for cid in marks if claims[cid].error is None]
    missed = [c for c in errors if c.id not in marks]

    tp = sum(_w(c) for c in caught)
    # an error "corrected" to another wrong figure costs precision as a correct claim corrected
    # does (both would put an error into the output), never what was caught
    miscorrected = [c for c in caught if wrong_figure(c, marks[c.id].correction, exercise.number_tolerance)]
    flagged_w = tp + sum(_false_flag_weight(marks[c.id]) for c in false_flags)
    flagged_w += CORRECTED_FALSE_FLAG_WEIGHT * len(miscorrected)
    correct = [c for c in exercise.claims if c.error is None]
    found = Detection(
        found=tp / err_w,
        precision=tp / flagged_w if flagged_w else 0.0,
        # a flag on a claim picked at random lands on an error this often (by weight)
        chance=err_w / (err_w + FALSE_FLAG_WEIGHT * len(correct)),
        flags=float(len(marks)),
        # the share of the correct claims flagged: flagging everything is no choice at all
        coverage=len(false_flags) / len(correct) if correct else 0.0,
    )
    evidence = f"Caught {len(caught)} of {len(errors)} errors"
    if caught and len(caught) < len(errors):
        evidence += f" ({found.found:.0%} of what there was to catch, the serious ones counting more)"
    evidence += f"; {len(false_flags)} correct claim(s) flagged as wrong"
    if miscorrected:
        evidence += f"; {len(miscorrected)} error(s) corrected to another wrong figure"
    evidence += "."
    if not marks:
        feedback = (
            f"No claim flagged yet: {len(errors)} of the {len(exercise.claims)} claims are wrong. "
            "Check each one against the source."
        )
    elif missed:
        worst = max(missed, key=_w)
        feedback = f"Missed: “{worst.text}” {worst.why or ''}".strip()
        if false_flags:
            feedback += f" Also, {len(false_flags)} claim(s) you flagged are supported by the source."
    elif false_flags:
        feedback = (
            f"“{false_flags[0].text}” is supported by the source. Flagging correct claims wastes the "
            "reviewer's time and erodes trust in the check."
        )
    else:
        feedback = "Every error caught and no correct claim flagged."
    detection = Scored("detection", found.score, evidence, feedback)

    typed_w, wrong_types, near_w = 0.0, [], 0.0
    for c in caught:
        accepted = {c.error, *c.also_errors}
        given = marks[c.id].error_type
        if given in accepted:
            typed_w += _w(c)
        else:
            wrong_types.append(c)
            if given is not None and any(given in NEIGHBOURS[a] for a in accepted if a is not None):
                near_w += _w(c) * NEIGHBOUR_DOUBT
    types_evidence = f"{len(caught) - len(wrong_types)} of {len(errors)} errors given the right type."
    if wrong_types:
        c = wrong_types[0]
        given = marks[c.id].error_type
        type_feedback = (
            f"“{c.text}” is {c.error.value.replace('_', ' ') if c.error else 'supported'}, not "
            f"{given.value.replace('_', ' ') if given else 'untyped'}: the type tells the team what to fix "
            "(the source data, the prompt, or the calculation)."
        )
    elif not caught:
        type_feedback = "No error caught yet, so none typed: name what is wrong with each claim you flag."
    else:
        type_feedback = (
            f"Error types right for the {len(caught)} you caught; the {len(missed)} you missed earn nothing here."
            if missed
            else "Every error typed correctly."
        )
    error_types = Scored(
        "error_types",
        typed_w / err_w,
        types_evidence,
        type_feedback,
        doubt=near_w / err_w,
        doubt_why="error types next to the right one",
    )

    corr_w, poor, unread = 0.0, [], 0.0
    for c in caught:
        fit, needs_human = correction_fit(c, marks[c.id].correction, exercise.number_tolerance)
        corr_w += _w(c) * fit
        if needs_human:
            unread += _w(c) * 0.5  # half credit on trust: a person may give all of it or none
        if fit < 0.75:
            poor.append(c)
        said = marks[c.id].correction
        placed = needs_human or bool(c.correction_numbers and numbers(said))  # numbers are checked exactly
        # the right verdict with a correction that states no figure in digits where the source has
        # one: it may give it in words ("half a year", a sum spelled out) the grader cannot read
        in_words = c.correction_numbers and not placed and marks[c.id].error_type in {c.error, *c.also_errors}
        # a correction placed in part (some of the source's figures or words) may say the rest in
        # words the grader cannot read; one read as another wrong figure is decided
        partly = 0 < fit < 1 and not needs_human and c not in miscorrected
        if partly or (not placed and fit == 0 and (in_words or on_topic(said, c.correction, c.why))):
            unread += _w(c) * (1 - fit)  # words the grader could not place: a person may credit them
    corr_evidence = f"{len(caught) - len(poor)} of {len(errors)} errors corrected to the source."
    if poor:
        c = poor[0]
        corr_feedback = f"The correction for “{c.text}” should say: {c.correction}"
    elif not caught:
        corr_feedback = "No error caught yet, so nothing corrected: give each flagged claim what the source says."
    else:
        corr_feedback = (
            f"Corrections right for the {len(caught)} you caught; the {len(missed)} you missed have none."
            if missed
            else "Corrections match the source."
        )
    corrections = Scored(
        "corrections",
        corr_w / err_w,
        corr_evidence,
        corr_feedback,
        doubt=unread / err_w,
        doubt_why="corrections in words the grader could not match to the source",
    )

    scored = [detection, error_types, corrections, _omissions(exercise, submission)]
    return Scoring(scored)  # a correction with nothing to check against is doubt, weighed with the rest


def _omissions(exercise: ValidateOutputExercise, submission: ValidateSubmission) -> Scored:
    spots = exercise.blind_spots
    if not spots:
        listed = [o for o in submission.omissions if o.strip()]
        return Scored("omissions", 1.0, f"{len(listed)} omission(s) listed; none expected.", "Nothing was missing.")
    lines = [tuple(stems(o)) for o in submission.omissions if o.strip()]
    found, missed = [], []
    for spot in spots:
        if any(concept_found(line, spot.cues) for line in lines):
            found.append(spot)
        else:
            missed.append(spot)
    total = sum(SEVERITY_RANK[s.severity] for s in spots)
    score = sum(SEVERITY_RANK[s.severity] for s in found) / total
    evidence = f"Named {len(found)} of {len(spots)} things the output leaves out."
    if not lines:
        feedback = f"No omission listed yet. The output never says: {missed[0].text} {missed[0].why}".strip()
    elif missed:
        feedback = f"The output never says: {missed[0].text} {missed[0].why}".strip()
    else:
        feedback = "You named what the output should have said."
    if missed and len(missed) > 1:
        feedback += f" Also missing: {join([s.text for s in missed[1:]], 2)}"
    # a listed omission about a missed point, in words the cues do not know: a person may credit
    # it. Per missed point, and only from lines that made no point already (thin evidence is no doubt)
    spare = [
        o for o in submission.omissions if o.strip() and not any(concept_found(tuple(stems(o)), s.cues) for s in found)
    ]
    near = [s for s in missed if any(on_topic(line, s.text, s.why) for line in spare)]
    doubt = 0.5 * sum(SEVERITY_RANK[s.severity] for s in near) / total
    return Scored("omissions", score, evidence, feedback, doubt=doubt, doubt_why="omissions in other words")
