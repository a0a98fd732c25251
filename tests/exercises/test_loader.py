"""The pack loader and `python -m exercises`: every problem reported as `file: field: reason`."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from exercises.__main__ import main
from exercises.loader import MAX_FILE_BYTES, load_bank
from exercises.model import Kind


def sample(bank, kind: Kind) -> dict:
    exercise = next(e for e in sorted(bank.exercises.values(), key=lambda e: e.id) if e.kind == kind)
    return exercise.model_dump(mode="json", exclude_defaults=False)


def write(folder: Path, name: str, data) -> Path:
    path = folder / name
    path.write_text(data if isinstance(data, str) else yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return path


def problems(folder: Path) -> list[str]:
    return [str(p) for p in load_bank(folder).problems]


def test_shipped_packs_validate_with_exit_code_0(capsys) -> None:
    assert main(["validate", "exercises/packs"]) == 0
    assert "valid" in capsys.readouterr().out


@pytest.mark.parametrize("kind", list(Kind))
def test_a_dumped_exercise_loads_back_unchanged(bank, tmp_path, kind) -> None:
    data = sample(bank, kind)
    write(tmp_path, "one.yaml", data)
    loaded = load_bank(tmp_path)
    assert loaded.problems == []
    assert loaded.exercises[data["id"]].model_dump(mode="json") == data


def test_broken_pack_reports_file_field_reason_and_exits_1(bank, tmp_path, capsys) -> None:
    design = sample(bank, Kind.design_workflow)
    design["rubric"][0]["weight"] += 5  # weights no longer sum to 100
    write(tmp_path, "weights.yaml", design)

    unknown_tool = sample(bank, Kind.design_workflow)
    unknown_tool["id"] = "other-design"
    unknown_tool["tools"] = [*unknown_tool["tools"], "quantum_oracle"]
    write(tmp_path, "tools.yaml.bak.yaml", unknown_tool)

    failures = sample(bank, Kind.find_failures)
    failures["faults"][0]["step"] = "no_such_step"
    write(tmp_path, "missing-step.yaml", failures)

    explain = sample(bank, Kind.explain_reasoning)
    explain["difficulty"] = 7
    del explain["stakeholder"]
    write(tmp_path, "fields.yaml", explain)

    validate = sample(bank, Kind.validate_output)
    validate["id"] = "copied-validate"  # a shipped id would clash with the shipped file first
    write(tmp_path, "a.yaml", validate)
    write(tmp_path, "b.yaml", validate)  # same id twice

    write(tmp_path, "syntax.yaml", "id: x\nkind: [unclosed\n")
    write(tmp_path, "kindless.yaml", {"id": "x", "kind": "write_poem"})

    assert main(["validate", str(tmp_path)]) == 1
    lines = capsys.readouterr().out.splitlines()
    assert any(line.startswith("weights.yaml: (file): ") or line.startswith("weights.yaml: rubric") for line in lines)
    assert any("weights.yaml" in line and "sum to 105" in line for line in lines)
    assert any("tools.yaml.bak.yaml: tools." in line and "unknown tool id 'quantum_oracle'" in line for line in lines)
    assert any(line.startswith("missing-step.yaml: faults.0.step: no step 'no_such_step'") for line in lines)
    assert any(line.startswith("fields.yaml: difficulty: ") for line in lines)
    assert any(line.startswith("fields.yaml: stakeholder: Field required") for line in lines)
    assert any(line.startswith("b.yaml: id: duplicate id") and "also in a.yaml" in line for line in lines)
    assert any(line.startswith("syntax.yaml: line ") and "invalid YAML" in line for line in lines)
    assert any(line.startswith("kindless.yaml: kind: 'write_poem' is not one of") for line in lines)


def test_yaml_is_loaded_safely(tmp_path) -> None:
    write(tmp_path, "evil.yaml", "!!python/object/apply:os.system ['echo pwned > pwned.txt']\n")
    (found,) = problems(tmp_path)
    assert found.startswith("evil.yaml: line 1: invalid YAML")
    assert not Path("pwned.txt").exists()


def test_oversized_and_non_utf8_files_are_refused(tmp_path) -> None:
    (tmp_path / "huge.yaml").write_text("a: " + "x" * MAX_FILE_BYTES, encoding="utf-8")
    (tmp_path / "latin.yaml").write_bytes(b"id: caf\xe9\n")
    found = problems(tmp_path)
    assert any(p.startswith("huge.yaml: (file): file is") for p in found)
    assert "latin.yaml: (file): not UTF-8 text" in found


def test_reference_workflow_with_a_cycle_is_reported(bank, tmp_path) -> None:
    design = sample(bank, Kind.design_workflow)
    steps = design["reference"]["steps"]
    steps[0]["inputs"] = [steps[-1]["id"]]
    write(tmp_path, "cycle.yaml", design)
    assert any("reference.steps: steps form a cycle" in p for p in problems(tmp_path))


def test_schema_command_prints_the_json_schema(capsys) -> None:
    assert main(["schema"]) == 0
    schema = json.loads(capsys.readouterr().out)
    assert set(schema["discriminator"]["mapping"]) == {k.value for k in Kind}


def test_stats_json_counts_every_exercise(bank, capsys) -> None:
    assert main(["stats", "--json"]) == 0
    stats = json.loads(capsys.readouterr().out)
    assert stats["total"] == len(bank.exercises)
    assert sum(stats["by_kind"].values()) == stats["total"]
    assert sum(row["count"] for row in stats["by_sector_kind_difficulty"]) == stats["total"]


def test_the_instructor_pack_validates_beside_the_shipped_packs(capsys) -> None:
    pack = Path(__file__).resolve().parents[1] / "fixtures" / "instructor_pack"
    assert main(["validate", str(pack)]) == 0
    out = capsys.readouterr().out
    assert "1 exercise(s) and 23 tool(s) valid" in out  # its own exercise; the shared 21 tools and its own 2


@pytest.mark.parametrize("keep", [1, 2, 4])
def test_thin_cues_are_advised_without_failing_validation(bank, tmp_path, capsys, keep: int) -> None:
    """An explanation whose cues list few alternatives validates (it is not wrong), but the author
    is told which cues are thin: a paraphrase of a point with two ways to say it is missed."""
    from grading.selfcheck import MIN_ALTERNATIVES

    fixed = [e for e in sorted(bank.exercises.values(), key=lambda e: e.id) if e.kind == Kind.explain_reasoning]
    data = next(e for e in fixed if e.id not in bank.templates).model_dump(mode="json", exclude_defaults=False)
    data["id"] = "thin-cues-copy"
    data["golden"] = []  # its paraphrase case would fail with thin cues: that is the point, shown elsewhere
    for point in data["key_points"]:
        point["cues"] = [group[:keep] for group in point["cues"]]
    write(tmp_path, "thin.yaml", data)
    assert main(["validate", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert "key_points: " in out
    assert f"fewer than {MIN_ALTERNATIVES} alternatives" in out
    assert out.count("advice: thin.yaml: key_points") == 1  # one line per field, however many cues
