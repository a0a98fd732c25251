"""Grader validity: the agreement statistics against hand-computed values, the rated calibration
set's shape, and every calibration answer graded within its raters' band ± 1 (or sent to review)."""

from __future__ import annotations

import re
from collections import Counter

import pytest
import yaml

from exercises import load_bank
from exercises.loader import PACKS_DIR
from exercises.ratings import CALIBRATION_DIR, calibration_bank, load_calibration
from grading import Flag, grade
from grading.agreement import (
    cohen_kappa,
    flag_precision,
    quadratic_weighted_kappa,
    spearman,
    standardized_mean_difference,
)
from grading.bands import band

SHIPPED = load_bank()
BANK, HELD_OUT = calibration_bank(SHIPPED)  # with the calibration-only exercises
SETS, PROBLEMS = load_calibration(BANK)
ANSWERS = [(s, a) for s in SETS for a in s.answers]


def test_band_edges() -> None:
    assert [band(x) for x in (0, 19.9, 20, 44.9, 45, 69.9, 70, 87.9, 88, 100)] == [0, 0, 1, 1, 2, 2, 3, 3, 4, 4]


def test_quadratic_weighted_kappa_by_hand() -> None:
    # rater a: 0 1 2 2; rater b: 0 1 2 3. Observed disagreement: one pair one band apart.
    # weights (i-j)^2/9; marginals a: [1,1,2,0], b: [1,1,1,1]; expected E[i][j] = a_i*b_j/4.
    # sum w*O = 1/9; sum w*E = (1/4)*sum_i a_i * sum_j b_j (i-j)^2/9 = (1/36)*(14+6+2*6) = 32/36
    assert quadratic_weighted_kappa([0, 1, 2, 2], [0, 1, 2, 3]) == pytest.approx(1 - (1 / 9) / (32 / 36))
    assert quadratic_weighted_kappa([0, 1, 2, 3, 4], [0, 1, 2, 3, 4]) == pytest.approx(1.0)


def test_spearman_with_ties_by_hand() -> None:
    # ranks a: 1, 2.5, 2.5, 4; b: 1, 2, 3, 4 -> Pearson on ranks
    assert spearman([10, 20, 20, 30], [1, 2, 3, 4]) == pytest.approx(0.9486833, abs=1e-6)


def test_standardized_mean_difference_by_hand() -> None:
    # means 3 and 2; variances (ddof=1) both 1 -> pooled sd 1 -> SMD 1
    assert standardized_mean_difference([2, 3, 4], [1, 2, 3]) == pytest.approx(1.0)


def test_cohen_kappa_by_hand() -> None:
    # observed 3/4; expected 0.75*0.5 + 0.25*0.5 = 0.5 -> kappa 0.5
    assert cohen_kappa([1, 0, 1, 1], [1, 0, 0, 1]) == pytest.approx(0.5)


def test_the_calibration_set_is_valid_and_large_enough() -> None:
    assert [str(p) for p in PROBLEMS] == []
    per_kind = Counter(BANK.get(s.exercise).kind for s in SETS)
    assert all(n >= 2 for n in per_kind.values())
    assert len(per_kind) == 4
    for s in SETS:
        assert len(s.answers) >= 10, s.exercise
        assert all({"rater_a", "rater_b"} <= set(a.ratings) for a in s.answers), s.exercise
    assert any(s.held_out for s in SETS)


# Answers the graders still place two bands or more from the raters without asking for review,
# when the calibration set grew to 297 answers (#17). Listed so a new miss fails by name; each
# entry leaves this list when its grader improves.
KNOWN_MISSES = {
    **dict.fromkeys(
        [
            "care-explain-missed-visit-escalation:w03",
            "care-explain-missed-visit-escalation:w05",
            "care-explain-missed-visit-escalation:w11",
            "dental-explain-treatment-consent:w12",
            "gym-explain-membership-exceptions:w03",
            "gym-explain-membership-exceptions:w05",
            "gym-explain-membership-exceptions:w11",
            "tax-design-self-assessment-returns:w04",
            "tax-explain-self-assessment-returns:w03",
            "tax-explain-self-assessment-returns:w10",
            "tax-explain-self-assessment-returns:w11",
        ],
        "held out (blind round 11): graded once by the grader at the start of its session and once at its end (#17)",
    ),
    **dict.fromkeys(
        [
            "cu-design-small-loan-affordability:w10",
            "cu-design-small-loan-affordability:w11",
            "cu-explain-small-loan-affordability:w03",
            "event-explain-refund-requests:w10",
            "nursery-explain-allergy-medication-plans:w03",
            "nursery-explain-allergy-medication-plans:w07",
        ],
        "held out (blind round 10): graded once by the grader at the start of its session and once at its end (#17)",
    ),
    **dict.fromkeys(
        [
            "funeral-explain-implant-clearance:w12",
            "motor-explain-commission-redress:w04",
            "motor-explain-commission-redress:w11",
            "port-explain-demurrage-disputes:w03",
            "port-explain-demurrage-disputes:w05",
            "port-explain-demurrage-disputes:w09",
        ],
        "held out (blind round 9): graded once by the grader at the end of its session, once by its start's (#17)",
    ),
    # tuned (round 8): read, and left because no general rule fixed them
    "rail-explain-delay-repay:w05": "tuned: states the decision, then asks to end the pause early (ask read as made)",
    "waste-explain-soil-acceptance:w09": "tuned: has the software pass the clean profiles (the decision misstated in "
    "other words: a person kept only for 'anything unusual')",
    **dict.fromkeys(
        [
            "edu-explain-extenuating-circumstances:w05",
            "edu-explain-extenuating-circumstances:w09",
            # held out; out of band since an ask is read only from a sentence that asks (decided on
            # the tuned split, where that rule lowered the error; this answer is known only by its id)
            "edu-explain-extenuating-circumstances:w02",
        ],
        "explanations: claims, not words (#17, the explain grader)",
    ),
    **dict.fromkeys(
        [
            "food-explain-allergen-controls:w03",
            "food-explain-allergen-controls:w08",
            "food-explain-allergen-controls:w11",
            "news-explain-court-reports:w03",
            "news-explain-court-reports:w05",
            "news-explain-court-reports:w10",
            "prop-explain-hazard-triage:w03",
            "prop-explain-hazard-triage:w11",
            "tel-explain-remote-swap-change:w03",
            "tel-explain-remote-swap-change:w04",
            "tel-explain-remote-swap-change:w10",
            "tel-failures-remote-sim-swaps:w10",
        ],
        "held out (blind rounds 3 and 5): graded once at the end of the round, never tuned on (#17)",
    ),
    **dict.fromkeys(
        [
            "char-explain-gift-aid-review:w03",
            "char-explain-gift-aid-review:w08",
            "char-explain-gift-aid-review:w11",
            "char-explain-phone-gifts-pause:w05",
            "char-explain-phone-gifts-pause:w11",
            "vet-explain-controlled-drug-pause:w10",
            "vet-explain-repeat-prescriptions:w03",
            "vet-explain-repeat-prescriptions:w05",
            "vet-explain-repeat-prescriptions:w11",
        ],
        "held out (blind round 6): graded unseen, by the grader at the start of the round and at its end (#17)",
    ),
    **dict.fromkeys(
        [
            "agri-explain-area-monitoring-launch:w03",
            "agri-explain-area-monitoring-launch:w09",
            "agri-explain-hill-grazing-pause:w05",
            "hosp-explain-food-allergy-calls:w03",
            "hosp-explain-food-allergy-calls:w05",
            "hosp-explain-food-allergy-calls:w11",
            "hosp-explain-guest-complaints:w04",
            "hosp-explain-guest-complaints:w05",
            "hosp-explain-guest-complaints:w11",
        ],
        "held out (blind round 7): graded once, by the grader at the end of the session that wrote it (#17)",
    ),
}


def _case(rated, answer):
    name = f"{rated.exercise}:{answer.id}"
    reason = KNOWN_MISSES.get(name)
    marks = [pytest.mark.xfail(strict=False, reason=reason)] if reason else []
    return pytest.param(rated, answer, id=name, marks=marks)


@pytest.mark.parametrize(("rated", "answer"), [_case(s, a) for s, a in ANSWERS])
def test_each_answer_is_graded_within_its_raters_band_or_sent_to_review(rated, answer) -> None:
    exercise = BANK.get(rated.exercise)
    result = grade(exercise, answer.submission(), tools=BANK.tools)
    bands = [band(r.total) for r in answer.ratings.values()]
    within = min(bands) - 1 <= band(result.total) <= max(bands) + 1
    # A failure shows the answer's id only (no traceback, no assertion rewrite of the grade or
    # its feedback): held-out grades stay unprinted.
    if not (within or Flag.needs_review in result.flags):
        pytest.fail(f"{rated.exercise}:{answer.id}", pytrace=False)


def test_flag_precision_by_hand() -> None:
    # flagged answers miss by 6 and 10 points (mean 8), the rest by 2 and 6 (mean 4): ratio 2
    assert flag_precision([6, 10], [2, 6]) == pytest.approx(2.0)
    assert flag_precision([], [1.0]) is None
    assert flag_precision([1.0], []) is None


def test_calibration_packs_are_optional(tmp_path) -> None:
    bank, held_out = calibration_bank(SHIPPED, tmp_path / "no-such-folder")
    assert bank is SHIPPED
    assert held_out == set()


def test_calibration_packs_load_like_an_instructor_pack_with_their_held_out_list(tmp_path) -> None:
    source = next(iter(sorted(PACKS_DIR.rglob("find_failures-*.yaml"))))
    text = source.read_text(encoding="utf-8")
    original = next(line.split(":", 1)[1].strip() for line in text.splitlines() if line.startswith("id:"))
    (tmp_path / "new-sector").mkdir()
    (tmp_path / "new-sector" / "copy.yaml").write_text(text.replace(f"id: {original}", "id: calib-copy", 1))
    (tmp_path / "HELD_OUT.txt").write_text("# held out\ncalib-copy\n\n")
    bank, held_out = calibration_bank(SHIPPED, tmp_path)
    assert bank.get("calib-copy") is not None
    assert set(SHIPPED.exercises) < set(bank.exercises)
    assert held_out == {"calib-copy"}


def test_the_benchmark_measures_a_calibration_folder_kept_outside_the_project(tmp_path, capsys) -> None:
    """An outside assessor's pack is measured where it lies: rated sets in the folder, its own
    HELD_OUT.txt under packs/, every figure printed as `name: value unit`, a broken file named."""
    from benchmarks.validity import main

    rated = CALIBRATION_DIR / "cs-explain-refund-triage.yaml"  # a tuned set of a shipped exercise
    (tmp_path / rated.name).write_text(rated.read_text(encoding="utf-8"), encoding="utf-8")
    (tmp_path / "packs").mkdir()
    (tmp_path / "packs" / "HELD_OUT.txt").write_text("cs-explain-refund-triage\n", encoding="utf-8")
    (tmp_path / "broken.yaml").write_text("exercise: no-such-exercise\nanswers: []\n", encoding="utf-8")
    assert main(["--calibration", str(tmp_path)]) == 0
    out, err = capsys.readouterr()
    lines = out.strip().splitlines()
    assert all(re.fullmatch(r"[a-z_]+: -?\d+\.\d{3} [a-z]+", line) for line in lines), lines
    names = {line.split(":")[0] for line in lines}
    assert {"grader_qwk_explain_reasoning", "grader_qwk_explain_reasoning_held_out"} <= names
    assert not any(name.endswith("_tuned") and name.startswith("grader_qwk") for name in names)
    assert "broken.yaml" in err


def test_the_benchmark_refuses_a_missing_calibration_folder(tmp_path, capsys) -> None:
    from benchmarks.validity import main

    assert main(["--calibration", str(tmp_path / "absent")]) == 2
    assert "no such calibration folder" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("broken", "field", "rest_kept"),
    [
        # the set's own shape: the file is refused as a whole
        (lambda a: a.update(id="Has Spaces"), "answers.0.id", False),
        (lambda a: a["ratings"]["rater_a"].update(total=140), "answers.0.ratings.rater_a.total", False),
        (lambda a: a.update(unexpected="x"), "answers.0.unexpected", False),
        # one answer unusable: that answer is left out
        (lambda a: a["answer"].update(text=["not", "text"]), "answers.0.answer.text", True),
        (lambda a: a["ratings"].pop("rater_a"), "answers.0.ratings", True),
        (lambda a: a.update(answer={"kind": "find_failures", "flags": []}), "answers.0.answer.kind", True),
    ],
)
def test_a_broken_rated_set_names_its_file_and_field(tmp_path, broken, field, rest_kept) -> None:
    """An outside rated set is read like a pack file: a slip is reported at the field it is in,
    with pydantic's reason, never as a one-line summary of the whole file; the answer it is in is
    left out of the measurement (the benchmark must not stop on it), the rest of its set kept."""
    data = yaml.safe_load((CALIBRATION_DIR / "cs-explain-refund-triage.yaml").read_text(encoding="utf-8"))
    data["answers"] = data["answers"][:3]
    broken(data["answers"][0])
    (tmp_path / "set.yaml").write_text(yaml.safe_dump(data), encoding="utf-8")
    sets, problems = load_calibration(BANK, tmp_path)
    kept = [a["id"] for a in data["answers"][1:]] if rest_kept else []
    assert [(p.file, p.field) for p in problems] == [("set.yaml", field)], problems
    assert [a.id for s in sets for a in s.answers] == kept
    assert problems[0].reason
    assert "validation error" not in problems[0].reason


def test_a_rated_set_that_is_not_yaml_names_its_line(tmp_path) -> None:
    (tmp_path / "set.yaml").write_text("exercise: cs-explain-refund-triage\nanswers: [\n", encoding="utf-8")
    _, problems = load_calibration(BANK, tmp_path)
    assert len(problems) == 1
    assert problems[0].file == "set.yaml"
    assert problems[0].field.startswith("line ")
    assert problems[0].reason.startswith("invalid YAML")
