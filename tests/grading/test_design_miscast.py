"""A stage given to a tool that cannot do it (#17): a design that tags a stage to an offered tool
without the stage's capability (a person skimming where a summary is needed, a record written
where a payment is due, a model asked to look up a table) counts that work as done while the
steps after it act on output that was never produced. Raters hold such designs below Proficient,
lower than a design that simply leaves the stage out. Stated over every stage of every shipped
design: the reference with that stage's step given each offered tool that cannot do it."""

from __future__ import annotations

import pytest

from exercises.model import DesignWorkflowExercise
from grading import grade
from grading.design import UNSOUND_STAGE_CAP

from .conftest import CATALOGUE, ids, shipped

DESIGNS = shipped("design_workflow")


def _miscasts(exercise: DesignWorkflowExercise) -> list[tuple[str, str, str]]:
    """(step id, stage id, tool id): each reference step that performs a stage, given in turn the
    first offered tool (in catalogue order) that lacks that stage's capability."""
    stages = {s.id: s for s in exercise.stages}
    out = []
    for step in exercise.reference.steps:
        stage = stages.get(step.stage or "")
        if stage is None or sum(s.stage == stage.id for s in exercise.reference.steps) > 1:
            continue
        unable = [t for t in exercise.tools if t in CATALOGUE and stage.capability not in CATALOGUE[t].capabilities]
        if unable:
            out.append((step.id, stage.id, unable[0]))
    return out


CASES = [(e, m) for e in DESIGNS for m in _miscasts(e)]


MISCAST_SENTENCE = "A stage given to a tool that cannot do it"


@pytest.mark.parametrize(("exercise", "miscast"), CASES, ids=[f"{e.id}:{m[0]}->{m[2]}" for e, m in CASES])
def test_a_stage_given_to_a_tool_that_cannot_do_it_caps_below_proficient_and_leaving_it_out_does_not(
    exercise, miscast
) -> None:
    step_id, stage_id, tool = miscast
    capability = next(s.capability for s in exercise.stages if s.id == stage_id)

    def swapped(**update: object) -> list:
        steps = exercise.reference.steps
        return [s.model_copy(update={"tool": tool, **update}) if s.id == step_id else s for s in steps]

    tagged = grade(exercise, exercise.reference.model_copy(update={"steps": swapped()}))
    assert tagged.total <= UNSOUND_STAGE_CAP
    assert f"cannot {capability}" in tagged.criterion("coverage").evidence
    assert f"caps the grade at {UNSOUND_STAGE_CAP:g}" in tagged.criterion("coverage").feedback
    # the same step not claiming the stage: the work is left out, visibly, not miscast
    left_out = grade(exercise, exercise.reference.model_copy(update={"steps": swapped(stage=None)}))
    assert MISCAST_SENTENCE not in left_out.criterion("coverage").feedback


@pytest.mark.parametrize("exercise", DESIGNS, ids=ids(DESIGNS))
def test_a_reference_design_is_not_capped(exercise) -> None:
    result = grade(exercise, exercise.reference)
    assert "cap" not in result.details
    assert MISCAST_SENTENCE not in result.criterion("coverage").feedback
