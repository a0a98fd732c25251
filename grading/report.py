"""The results report of a mock assessment: total and per-competency scores with bands, the
strongest and weakest criteria with their feedback, the comparison with practice, and what to
practise next. Pure: the page gathers the grades, this decides what they say."""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass

from pydantic import BaseModel

from exercises.kinds import kind_label
from exercises.loader import Bank
from exercises.model import AnyExercise
from grading.bands import CRITERION_MET, PROFICIENT, band_name

NOT_ATTEMPTED = "Not attempted"


@dataclass(frozen=True)
class CriterionResult:
    title: str
    weight: float
    score: float
    feedback: str


class CriterionNote(BaseModel):
    task: str
    criterion: str
    score: float
    feedback: str


class TaskResult(BaseModel):
    exercise_id: str
    title: str
    kind: str
    competency: str
    total: float | None  # None: not attempted (nothing written); it counts as 0 in the overall score
    band: str
    practice_mean: float | None
    seconds: float | None = None  # time on task

    @property
    def score(self) -> float:
        return self.total or 0.0

    @property
    def shown(self) -> str:
        return NOT_ATTEMPTED.lower() if self.total is None else f"{self.total:.0f}"


class Recommendation(BaseModel):
    exercise_id: str
    title: str
    why: str


class Report(BaseModel):
    total: float
    band: str
    tasks: list[TaskResult]
    strongest: list[CriterionNote]
    weakest: list[CriterionNote]
    next_steps: list[Recommendation]


def build_report(
    results: Sequence[tuple[AnyExercise, float | None, Sequence[CriterionResult]]],
    practice_means: Mapping[str, float],
    bank: Bank,
    done: Collection[str],
    seconds: Mapping[str, float] | None = None,
) -> Report:
    """`results` has one row per task of the assessment; a total of None is a task not attempted."""
    tasks, notes = [], []
    for exercise, total, criteria in results:
        tasks.append(
            TaskResult(
                exercise_id=exercise.id,
                title=exercise.title,
                kind=exercise.kind,
                competency=kind_label(exercise.kind),
                total=None if total is None else round(total, 1),
                band=NOT_ATTEMPTED if total is None else band_name(total),
                practice_mean=practice_means.get(exercise.kind),
                seconds=(seconds or {}).get(exercise.id),
            )
        )
        for c in criteria:
            notes.append(
                (c.weight, CriterionNote(task=exercise.title, criterion=c.title, score=c.score, feedback=c.feedback))
            )
    total = round(sum(t.score for t in tasks) / len(tasks), 1) if tasks else 0.0
    # weight breaks ties: a heavy criterion done well (or badly) says more
    strongest = [n for _, n in sorted(notes, key=lambda x: (-x[1].score, -x[0]))[:3] if n.score >= CRITERION_MET]
    weakest = [n for _, n in sorted(notes, key=lambda x: (x[1].score, -x[0]))[:3] if n.score < 0.8]
    return Report(
        total=total,
        band=band_name(total),
        tasks=tasks,
        strongest=strongest,
        weakest=weakest,
        next_steps=recommend(tasks, bank, done),
    )


def recommend(tasks: Sequence[TaskResult], bank: Bank, done: Collection[str], limit: int = 3) -> list[Recommendation]:
    """Practise the weakest competency first, at the next difficulty when it went well enough."""
    picks: list[Recommendation] = []
    for task in sorted(tasks, key=lambda t: t.score):
        sat = bank.get(task.exercise_id)
        level = sat.difficulty if sat else 2
        target = min(3, level + 1) if task.score >= PROFICIENT else level
        options = [
            e for e in bank.exercises.values() if e.kind == task.kind and e.id not in done and e.id != task.exercise_id
        ]
        options.sort(key=lambda e: (abs(e.difficulty - target), e.sector != (sat.sector if sat else ""), e.id))
        if options:
            pick = options[0]
            picks.append(
                Recommendation(
                    exercise_id=pick.id,
                    title=pick.title,
                    why=(
                        f"{task.competency}: not attempted in this assessment; practise it at difficulty "
                        f"{pick.difficulty}."
                        if task.total is None
                        else f"{task.competency} scored {task.total:.0f} ({task.band}); next: difficulty "
                        f"{pick.difficulty}."
                    ),
                )
            )
        if len(picks) >= limit:
            break
    return picks
