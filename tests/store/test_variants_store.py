"""Variants in the store: an attempt keeps its seed, a fresh variant is one the learner has not
seen, a mock assessment never asks a variant the learner has seen, a regrade grades the variant
that was answered."""

from __future__ import annotations

import random
import uuid
from datetime import UTC, datetime

import pytest

from exercises.assessment import draw, fingerprint
from exercises.model import Kind
from exercises.variants import answer_key
from grading import grade
from store import assessments, attempts
from store.db import session_scope
from store.models import Attempt

T0 = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)


def submit(engine, bank, user, exercise_id: str, seed: int, mode: str = "practice") -> int:
    variant = bank.variant(exercise_id, seed)
    result = grade(variant, variant.reference, tools=bank.tools)
    return attempts.submit(engine, user.id, variant, variant.reference, result, uuid.uuid4().hex, mode=mode)


def test_an_attempt_keeps_its_variant_and_its_variants_grade(engine, bank, people) -> None:
    exercise_id = sorted(bank.templates)[0]
    attempt_id = submit(engine, bank, people.learner, exercise_id, 5)
    with session_scope(engine) as s:
        stored = s.get(Attempt, attempt_id)
        assert stored is not None
        assert stored.variant_seed == 5
        assert stored.content_hash == bank.variant(exercise_id, 5).content_hash()
        assert attempts.seen_variants(s, people.learner.id, [exercise_id]) == {exercise_id: {5}}
        assert attempts.effective_total(s, attempt_id) >= 90  # the variant's own reference, graded on it


def test_drafts_are_kept_per_variant(engine, bank, people) -> None:
    exercise_id = sorted(bank.templates)[0]
    with session_scope(engine) as s:
        attempts.save_draft(s, people.learner.id, bank.variant(exercise_id, 0), {"text": "authored"})
        attempts.save_draft(s, people.learner.id, bank.variant(exercise_id, 3), {"text": "variant 3"})
    with session_scope(engine) as s:
        assert attempts.load_draft(s, people.learner.id, exercise_id) == {"text": "authored"}
        assert attempts.load_draft(s, people.learner.id, exercise_id, variant_seed=3) == {"text": "variant 3"}


@pytest.mark.parametrize("kind", list(Kind))
def test_a_fresh_variant_asks_for_an_answer_not_yet_seen(engine, bank, people, kind) -> None:
    exercise_id = next(e for e in sorted(bank.templates) if bank.exercises[e].kind == kind)
    seen_keys = set()
    for _ in range(3):
        with session_scope(engine) as s:
            seed = attempts.fresh_variant(s, people.learner.id, bank, exercise_id)
        assert seed is not None
        variant = bank.variant(exercise_id, seed)
        key = answer_key(variant)
        assert key not in seen_keys
        seen_keys.add(key)
        submit(engine, bank, people.learner, exercise_id, seed)


@pytest.mark.parametrize("history_seed", range(4))
def test_a_mock_assessment_never_repeats_a_variant_the_learner_has_seen(engine, bank, people, history_seed) -> None:
    """Whatever the learner practised (random exercises and variants), every task of a mock
    they start is a variant they have not seen."""
    rng = random.Random(history_seed)
    learner = people.learner
    for _ in range(12):
        exercise_id = rng.choice(sorted(bank.templates))
        submit(engine, bank, learner, exercise_id, rng.choice([0, 1, 2, 3]))
    for round_ in range(3):  # each finished mock adds to what has been seen
        with session_scope(engine) as s:
            seen = attempts.seen_variants(s, learner.id, bank.exercises)
        done = {e for e, seeds in seen.items() if seeds}
        picked = draw(bank, None, 2, seed=history_seed * 10 + round_, avoid=done)
        with session_scope(engine) as s:
            created = assessments.create_assessment(s, learner, "Mock", [e.id for e in picked], 3600)
            sitting = assessments.start(s, learner, created.id, T0, bank)
            asked = assessments.sitting_exercises(bank, sitting, created)
        seen_prints = {(e, fingerprint(bank.variant(e, seed))) for e, seeds in seen.items() for seed in seeds}
        for exercise_id, exercise in asked.items():
            assert exercise is not None
            assert (exercise_id, fingerprint(exercise)) not in seen_prints
        finished = assessments.finish(
            engine, learner, sitting.id, bank, lambda ex, sub: grade(ex, sub, tools=bank.tools), T0
        )
        with session_scope(engine) as s:
            answered = assessments.results(s, learner, finished.id)
            for exercise_id, attempt_id in answered.items():
                stored = s.get(Attempt, attempt_id)
                assert stored is not None
                assert stored.variant_seed == asked[exercise_id].variant_seed


def test_mastery_levels_and_the_recommendation_follow_the_graded_attempts(engine, bank, people) -> None:
    from grading.mastery import TARGET_SUCCESS, Level
    from store.mastery import cohort_levels, learner_mastery
    from store.progress import learner_dashboard

    learner = people.learner
    strong = [e for e in sorted(bank.templates) if bank.exercises[e].kind in ("design_workflow", "validate_output")]
    for n, exercise_id in enumerate(strong * 2):
        submit(engine, bank, learner, exercise_id, n + 1)  # references: scores of 90 and more
    with session_scope(engine) as s:
        mastery = learner_mastery(s, learner, learner.id, bank)
        dash = learner_dashboard(s, learner, learner.id, bank.exercises.values(), bank=bank)
        levels = cohort_levels(s, people.instructor, people.cohort_id, bank)
    assert mastery.kinds["design_workflow"].level in (Level.proficient, Level.mastered)
    assert mastery.kinds["find_failures"].level is Level.not_started
    assert mastery.criteria["design_workflow/controls"].attempts == 2 * len(
        [e for e in strong if bank.exercises[e].kind == "design_workflow"]
    )
    rec = dash.recommendation
    assert rec is not None
    assert rec.kind in ("find_failures", "explain_reasoning")  # an untried kind: the weakest lower bound
    assert rec.expected is not None
    assert abs(rec.expected / 100 - TARGET_SUCCESS) < 0.25
    assert levels.learners == 2
    assert levels.by_kind["design_workflow"][mastery.kinds["design_workflow"].level] == 1
    assert levels.by_kind["find_failures"][Level.not_started] == 2


def test_item_analysis_per_variant(engine, bank, people) -> None:
    from store.items import variant_stats

    exercise_id = sorted(bank.templates)[0]
    for user, seed in ((people.learner, 0), (people.learner, 2), (people.other_learner, 2), (people.outsider, 2)):
        submit(engine, bank, user, exercise_id, seed)
    with session_scope(engine) as s:
        rows = {(r.exercise_id, r.variant_seed): r for r in variant_stats(s, people.instructor, people.cohort_id)}
    assert set(rows) == {(exercise_id, 0), (exercise_id, 2)}  # the outsider is in another cohort
    assert (rows[(exercise_id, 2)].learners, rows[(exercise_id, 2)].attempts) == (2, 2)
    assert rows[(exercise_id, 0)].mean >= 90


def test_the_export_names_each_attempts_variant(engine, bank, people) -> None:
    import csv
    import io

    from store.export import cohort_csv

    exercise_id = sorted(bank.templates)[0]
    first = submit(engine, bank, people.learner, exercise_id, 0)
    second = submit(engine, bank, people.learner, exercise_id, 4)
    with session_scope(engine) as s:
        rows = {
            int(r["attempt_id"]): r
            for r in csv.DictReader(io.StringIO(cohort_csv(s, people.instructor, people.cohort_id)))
        }
    assert (rows[first]["variant"], rows[second]["variant"]) == ("0", "4")
