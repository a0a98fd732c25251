"""Scoring a claim-by-claim validation: which errors were caught (weighted by severity, with
correct claims wrongly flagged counting against), their type, the corrections, the omissions."""

from __future__ import annotations

from collections.abc import Mapping

from exercises.model import Claim, ValidateOutputExercise
from exercises.submission import SEVERITY_RANK, ClaimMark, ValidateSubmission
from exercises.workflow import Tool
from grading.model import Flag
from grading.rubric import Scored, Scoring, join
from grading.text import analyse, concept_found, cue_share, number_matches, numbers, stems

FALSE_FLAG_WEIGHT = 2.0  # a correct claim wrongly flagged weighs as a medium error


def _w(claim: Claim) -> float:
    return float(SEVERITY_RANK[claim.severity])


def _weighted_kappa(claims: list[Claim], flagged: set[str]) -> float:
    """Severity-weighted Cohen's kappa between the learner's verdicts and the gold ones.

    Chance-corrected, so flagging every claim (or none) earns nothing: a validator who cannot
    tell a correct claim from a wrong one has not validated anything."""
    weights = [_w(c) if c.error is not None else FALSE_FLAG_WEIGHT for c in claims]
    total = sum(weights)
    gold = [c.error is not None for c in claims]
    said = [c.id in flagged for c in claims]
    observed = sum(w for w, g, s in zip(weights, gold, said, strict=True) if g == s) / total
    gold_yes = sum(w for w, g in zip(weights, gold, strict=True) if g) / total
    said_yes = sum(w for w, s in zip(weights, said, strict=True) if s) / total
    expected = gold_yes * said_yes + (1 - gold_yes) * (1 - said_yes)
    if expected >= 1:
        return 1.0 if observed >= 1 else 0.0
    return max(0.0, (observed - expected) / (1 - expected))


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
    recall = tp / err_w
    flagged_w = tp + FALSE_FLAG_WEIGHT * len(false_flags)
    precision = tp / flagged_w if flagged_w else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    agreement = _weighted_kappa(exercise.claims, set(marks))
    evidence = (
        f"Caught {len(caught)} of {len(errors)} errors (severity-weighted recall {recall:.0%}); "
        f"{len(false_flags)} correct claim(s) flagged as wrong (precision {precision:.0%}, F1 {f1:.0%}); "
        f"agreement with the gold verdicts beyond chance {agreement:.2f}."
    )
    if missed:
        worst = max(missed, key=_w)
        feedback = f"Missed: “{worst.text}” {worst.why or ''}".strip()
    elif false_flags:
        feedback = (
            f"“{false_flags[0].text}” is supported by the source. Flagging correct claims wastes the "
            "reviewer's time and erodes trust in the check."
        )
    else:
        feedback = "Every error caught and no correct claim flagged."
    detection = Scored("detection", agreement, evidence, feedback)

    typed_w, wrong_types = 0.0, []
    for c in caught:
        accepted = {c.error, *c.also_errors}
        if marks[c.id].error_type in accepted:
            typed_w += _w(c)
        else:
            wrong_types.append(c)
    types_evidence = f"{len(caught) - len(wrong_types)} of {len(errors)} errors given the right type."
    if wrong_types:
        c = wrong_types[0]
        given = marks[c.id].error_type
        type_feedback = (
            f"“{c.text}” is {c.error.value.replace('_', ' ') if c.error else 'supported'}, not "
            f"{given.value.replace('_', ' ') if given else 'untyped'}: the type tells the team what to fix "
            "(the source data, the prompt, or the calculation)."
        )
    else:
        type_feedback = "Error types right for what you caught." if missed else "Every error typed correctly."
    error_types = Scored("error_types", typed_w / err_w, types_evidence, type_feedback)

    corr_w, unchecked, poor = 0.0, False, []
    for c in caught:
        fit, needs_human = correction_fit(c, marks[c.id].correction, exercise.number_tolerance)
        unchecked |= needs_human
        corr_w += _w(c) * fit
        if fit < 0.75:
            poor.append(c)
    corr_evidence = f"{len(caught) - len(poor)} of {len(errors)} errors corrected to the source."
    if poor:
        c = poor[0]
        corr_feedback = f"The correction for “{c.text}” should say: {c.correction}"
    else:
        corr_feedback = "Corrections match the source." if not missed else "Corrections right for what you caught."
    corrections = Scored("corrections", corr_w / err_w, corr_evidence, corr_feedback)

    scored = [detection, error_types, corrections, _omissions(exercise, submission)]
    return Scoring(scored, [Flag.needs_review] if unchecked else [])


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
    if missed:
        feedback = f"The output never says: {missed[0].text} {missed[0].why}".strip()
    else:
        feedback = "You named what the output should have said."
    if missed and len(missed) > 1:
        feedback += f" Also missing: {join([s.text for s in missed[1:]], 2)}"
    return Scored("omissions", score, evidence, feedback)
