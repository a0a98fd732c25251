"""Deterministic grading throughput per task kind, and the cost of the judge path on a cache hit.

Each kind is graded in one process, on one core, round-robin over its shipped exercises' reference
answers, for about two seconds after a warm-up pass; the figure is grades per second.

`judge_cache_hit_ms` is the median time of one `grade(..., judge=...)` call for an explanation when
the judge's verdict is already cached. grading/judge.py has no cache of its own, so the judge here
is a trivial in-memory fake that stores each verdict by (exercise, criteria, answer) and returns it:
the figure measures the grade path with a cache hit (deterministic scoring, the judge lookup and
the blend), not a network call to a model.

    .venv/bin/python benchmarks/grade.py
"""

from __future__ import annotations

import os

os.environ.setdefault("OMP_NUM_THREADS", "1")

import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


from exercises import load_bank
from exercises.model import AnyExercise, Kind
from exercises.submission import AnySubmission
from grading import grade
from grading.judge import JudgedCriterion, JudgeVerdict

SECONDS_PER_KIND = 2.0


class CachingFakeJudge:
    """Returns a stored verdict; on a miss it makes one up (0.8 everywhere) and stores it."""

    def __init__(self) -> None:
        self.verdicts: dict[tuple[str, tuple[str, ...], str], JudgeVerdict] = {}
        self.misses = 0

    def assess(self, exercise: AnyExercise, criteria: tuple[str, ...], answer: str) -> JudgeVerdict:
        key = (exercise.id, criteria, answer)
        verdict = self.verdicts.get(key)
        if verdict is None:
            self.misses += 1
            verdict = JudgeVerdict(criteria=[JudgedCriterion(id=c, score=0.8) for c in criteria])
            self.verdicts[key] = verdict
        return verdict


def variant(submission: AnySubmission, n: int) -> AnySubmission:
    """The reference with its free text made unique, so no per-text cache can serve a repeat:
    every timed grade reads text it has never seen, as with real submissions."""
    tag = f" Note n{n}x."
    return submission.edit_text(lambda text: text + tag)


def throughput(exercises: list[AnyExercise]) -> float:
    for exercise in exercises:  # warm-up: lazy imports, the tool catalogue, the exercises' own cue stems
        grade(exercise, exercise.reference)
    answers = [(e, variant(e.reference, n)) for n in range(400) for e in exercises]
    count, start = 0, time.perf_counter()
    for exercise, answer in answers:
        grade(exercise, answer)
        count += 1
        if time.perf_counter() - start >= SECONDS_PER_KIND:
            break
    return count / (time.perf_counter() - start)


def judge_cache_hit_ms(exercises: list[AnyExercise]) -> float:
    judge = CachingFakeJudge()
    for exercise in exercises:
        grade(exercise, exercise.reference, judge=judge)  # fills the cache
    misses = judge.misses
    times = []
    for _ in range(max(1, 400 // len(exercises))):
        for exercise in exercises:
            start = time.perf_counter()
            grade(exercise, exercise.reference, judge=judge)
            times.append((time.perf_counter() - start) * 1000)
    assert judge.misses == misses, "every timed call must be a cache hit"
    return statistics.median(times)


def main() -> None:
    bank = load_bank()
    exercises = sorted(bank.exercises.values(), key=lambda e: e.id)
    by_kind = {kind: [e for e in exercises if e.kind == kind] for kind in Kind}
    for kind in Kind:
        if not by_kind[kind]:
            print(f"grade_{kind.value}_per_s: n/a /s")
            continue
        print(f"grade_{kind.value}_per_s: {throughput(by_kind[kind]):.0f} /s")
    print(f"judge_cache_hit_ms: {judge_cache_hit_ms(by_kind[Kind.explain_reasoning]):.2f} ms")


if __name__ == "__main__":
    main()
