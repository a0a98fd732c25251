"""The exact evaluator agrees with probabilities worked out by hand, with the Monte Carlo simulator
on random graphs (reconverging paths, partial steps and irreversible steps included), and with
what a check must do: a check never raises the error rate, exactly, not just within sampling error.
"""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from exercises.workflow import Step, Workflow
from grading.design import project
from grading.exact import MAX_PARTIAL_STEPS, evaluate
from grading.simulate import simulate

from .conftest import CATALOGUE, PERFECT_CHECK, step, workflow
from .test_simulate import ARRIVES, CHAIN, EXTRACT, FAB, OM, PAY, TOOLS, WV, random_workflows


def exact(*steps: Step, tools=TOOLS, **kw):
    result = evaluate(workflow(*steps), tools, **kw)
    assert result is not None
    assert result.exact
    assert result.cases == 0
    return result


def test_chain_end_error_is_the_product_over_error_types() -> None:
    survive = {WV: 0.10 * 0.2 * 0.5, OM: 0.10 * 0.5 * 0.4, FAB: 0.05 * 0.6}
    result = exact(*CHAIN)
    assert result.end_error_rate == pytest.approx(1 - math.prod(1 - p for p in survive.values()), abs=1e-12)
    assert result.harm_rate == 0.0
    assert result.error_rate == result.end_error_rate


def test_diamond_error_survives_unless_both_branches_catch_it() -> None:
    diamond = (
        step("a", "gen-wv-20"),
        step("b", "gen-om", ["a"], checks=["chk-a"]),
        step("c", "gen-fab", ["a"], checks=["chk-c"]),
        step("d", "merge", ["b", "c"]),
    )
    survive = {WV: 0.2 * (1 - 0.8 * 0.5), OM: 0.10 * 0.5, FAB: 0.05 * 0.6}
    assert exact(*diamond).end_error_rate == pytest.approx(1 - math.prod(1 - p for p in survive.values()), abs=1e-12)


def test_two_sinks_share_one_upstream_error_so_they_are_not_independent() -> None:
    # a's wrong value (10 %) reaches two ends; a check on one branch does not clean the other, and the
    # item is wrong if either end is: 0.10 * (1 - 0 * 0.8) = 0.10, not 1 - 0.9 * (1 - 0.02).
    result = exact(step("a", "gen-wv"), step("b", "merge", ["a"], checks=["chk-a"]), step("c", "merge", ["a"]))
    assert result.end_error_rate == pytest.approx(0.10, abs=1e-12)


def test_partial_steps_weight_their_effect_by_share() -> None:
    reviewed = exact(step("a", "gen-wv"), step("r", "review", ["a"], share=0.3))
    assert reviewed.end_error_rate == pytest.approx(0.10 * (1 - 0.3 * 0.9), abs=1e-12)
    assert reviewed.cost_per_item == pytest.approx(0.01 + 0.3 * 2.5)
    assert reviewed.latency_mean_s == pytest.approx(2 + 0.3 * 900)
    assert reviewed.latency_p95_s == 902  # 30 % of items wait for the review


def test_harm_is_the_error_arriving_at_the_action_and_a_later_check_does_not_undo_it() -> None:
    bare = exact(EXTRACT, PAY)
    assert bare.harm_rate == pytest.approx(ARRIVES, abs=1e-12)
    assert bare.harm_by_step == {"pay": pytest.approx(ARRIVES, abs=1e-12)}
    later = exact(EXTRACT, PAY, step("audit", "review", ["pay"]))
    assert later.harm_rate == pytest.approx(ARRIVES, abs=1e-12)
    assert later.end_error_rate < bare.end_error_rate
    before = exact(EXTRACT, step("audit", "review", ["a"]), step("pay", "pay", ["audit"]))
    assert before.harm_rate == pytest.approx(1 - (1 - 0.10 * 0.2 * 0.1) * (1 - 0.05 * 0.5 * 0.1), abs=1e-12)
    half = exact(EXTRACT, PAY.model_copy(update={"share": 0.5}))
    assert half.harm_rate == pytest.approx(0.5 * ARRIVES, abs=1e-12)
    assert exact(EXTRACT, PAY, irreversible={"a"}).harm_by_step == {"a": 0.0}


def test_too_many_partial_steps_fall_back_to_the_seeded_simulation() -> None:
    steps = [step("a", "gen-wv")]
    steps += [step(f"r{i}", "chk-a", [steps[-1].id], share=0.5) for i in range(MAX_PARTIAL_STEPS + 1)]
    wf = workflow(*steps)
    assert evaluate(wf, TOOLS) is None
    fallback = project(wf, TOOLS)
    assert not fallback.exact
    assert fallback.cases > 0
    assert 0.0 < fallback.end_error_rate < 0.10


# --- against the simulator on random graphs ------------------------------------------------------

N = 200_000


def _near(observed: float, expected: float) -> bool:
    se = math.sqrt(max(expected * (1 - expected), 1e-12) / N)
    return abs(observed - expected) <= 4 * se + 1e-9


@settings(max_examples=30, deadline=None)
@given(random_workflows(max_steps=8))
def test_exact_figures_agree_with_a_large_simulation(wf: Workflow) -> None:
    result = evaluate(wf, CATALOGUE)
    if result is None:  # too many partial steps for this draw
        return
    sim = simulate(wf, CATALOGUE, cases=N, seed=5)
    assert _near(sim.error_rate, result.error_rate), (sim.error_rate, result.error_rate)
    assert _near(sim.harm_rate, result.harm_rate)
    assert _near(sim.end_error_rate, result.end_error_rate)
    assert sim.harm_by_step.keys() == result.harm_by_step.keys()
    for step_id, p in result.harm_by_step.items():
        assert _near(sim.harm_by_step[step_id], p), step_id
    assert result.cost_per_item == pytest.approx(sim.cost_per_item, rel=1e-9)
    longest = sum(CATALOGUE[s.tool].latency_s + sum(CATALOGUE[c].latency_s for c in s.checks) for s in wf.steps)
    assert abs(sim.latency_mean_s - result.latency_mean_s) <= 4 * longest / math.sqrt(N) + 1e-9
    assert max(result.harm_rate, result.end_error_rate) <= result.error_rate + 1e-12
    assert result.error_rate <= result.harm_rate + result.end_error_rate + 1e-12


PLUS_PERFECT = {**CATALOGUE, PERFECT_CHECK.id: PERFECT_CHECK}


@settings(max_examples=60, deadline=None)
@given(random_workflows(max_steps=8), st.data())
def test_a_perfect_check_anywhere_never_raises_the_exact_error_rate(wf: Workflow, data: st.DataObject) -> None:
    target = data.draw(st.sampled_from([s.id for s in wf.steps]))
    steps = [s.model_copy(update={"checks": [*s.checks, PERFECT_CHECK.id]}) if s.id == target else s for s in wf.steps]
    before = evaluate(wf, PLUS_PERFECT)
    after = evaluate(wf.model_copy(update={"steps": steps}), PLUS_PERFECT)
    if before is None or after is None:
        return
    assert after.error_rate <= before.error_rate + 1e-12
    assert after.harm_rate <= before.harm_rate + 1e-12
    assert after.end_error_rate <= before.end_error_rate + 1e-12
