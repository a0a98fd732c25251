"""The rated calibration set: realistic answers to shipped exercises, each rated independently
by two people against the exercise's rubric. It is the human baseline the graders are checked
against (benchmarks/validity.py), stored and validated beside the packs."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pydantic import Field, ValidationError

from exercises.loader import SHARED_TOOLS, Bank, Problem, field_problems, load_bank
from exercises.pack_files import PackFileError, read_pack_file
from exercises.submission import SUBMISSION_ADAPTER, AnySubmission
from exercises.workflow import Id, ShortText, Strict

CALIBRATION_DIR = Path(__file__).parent / "calibration"
CALIBRATION_PACKS = CALIBRATION_DIR / "packs"
"""Exercises written for calibration only (sectors the bank need not cover), loaded like an
instructor pack; their rated answers sit beside the others as <exercise id>.yaml."""
HELD_OUT_FILE = "HELD_OUT.txt"
FIRST_RATER, SECOND_RATER = "rater_a", "rater_b"  # the second is blind to the first; agreement needs both


class Rating(Strict):
    total: float = Field(ge=0, le=100)
    criteria: dict[str, float]
    rationale: str = Field("", max_length=2000)


class RatedAnswer(Strict):
    id: Id
    label: ShortText = ""
    answer: dict[str, Any]
    ratings: dict[str, Rating]

    def submission(self) -> AnySubmission:
        return SUBMISSION_ADAPTER.validate_python(self.answer)


class CalibrationSet(Strict):
    exercise: Id
    exercise_version: int = 1
    held_out: bool = Field(False, description="never looked at while changing the graders")
    answers: list[RatedAnswer] = Field(min_length=1)


def load_calibration(bank: Bank, folder: Path = CALIBRATION_DIR) -> tuple[list[CalibrationSet], list[Problem]]:
    sets: list[CalibrationSet] = []
    problems: list[Problem] = []
    for path in sorted(folder.glob("*.yaml")):
        label = path.name
        try:
            rated = CalibrationSet.model_validate(read_pack_file(path))
        except PackFileError as exc:
            problems.append(Problem(label, exc.where, exc.reason))
            continue
        except ValidationError as exc:
            problems += field_problems(label, exc)
            continue
        exercise = bank.get(rated.exercise)
        if exercise is None:
            problems.append(Problem(label, "exercise", f"no exercise '{rated.exercise}' in the bank"))
            continue
        criteria = {c.id for c in exercise.rubric}
        seen: set[str] = set()
        kept: list[RatedAnswer] = []
        for i, item in enumerate(rated.answers):
            found = _answer_problems(label, f"answers.{i}", item, exercise.kind, criteria, seen)
            seen.add(item.id)
            problems += found
            if not found:
                kept.append(item)
        if kept:  # an answer with a problem is named and left out; the rest of its set is measured
            sets.append(rated.model_copy(update={"answers": kept}))
    return sets, problems


def _answer_problems(
    label: str, where: str, item: RatedAnswer, kind: str, criteria: set[str], seen: set[str]
) -> list[Problem]:
    if item.id in seen:
        return [Problem(label, f"{where}.id", f"duplicate answer id '{item.id}'")]
    try:
        submission = item.submission()
    except ValidationError as exc:
        return field_problems(label, exc, f"{where}.answer.")
    problems = []
    if submission.kind != kind:
        problems.append(Problem(label, f"{where}.answer.kind", f"expected {kind}"))
    if FIRST_RATER not in item.ratings:
        problems.append(Problem(label, f"{where}.ratings", f"needs '{FIRST_RATER}' (a second rater is optional)"))
    for rater, rating in item.ratings.items():
        if set(rating.criteria) != criteria:
            problems.append(
                Problem(label, f"{where}.ratings.{rater}.criteria", f"must rate exactly {sorted(criteria)}")
            )
        if any(not 0 <= v <= 1 for v in rating.criteria.values()):
            problems.append(Problem(label, f"{where}.ratings.{rater}.criteria", "scores are 0 to 1"))
    return problems


def calibration_bank(bank: Bank, packs: Path = CALIBRATION_PACKS) -> tuple[Bank, set[str]]:
    """The bank with the calibration-only exercises added, and the ids held out by the packs'
    HELD_OUT.txt (one id a line, # comments). A missing folder adds nothing."""
    if not packs.is_dir():
        return bank, set()
    extra = load_bank(packs, SHARED_TOOLS)
    merged = Bank(
        exercises={**bank.exercises, **{k: v for k, v in extra.exercises.items() if k not in bank.exercises}},
        tools={**extra.tools, **bank.tools},
        problems=[*bank.problems, *(Problem(f"calibration/packs/{p.file}", p.field, p.reason) for p in extra.problems)],
        files={**bank.files, **{k: f"calibration/packs/{v}" for k, v in extra.files.items()}},
    )
    held_out: set[str] = set()
    listing = packs / HELD_OUT_FILE
    if listing.is_file():
        for line in listing.read_text(encoding="utf-8").splitlines():
            entry = line.split("#", 1)[0].strip()
            if entry:
                held_out.add(entry)
    return merged, held_out
