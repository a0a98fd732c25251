"""Load exercise packs from YAML safely and report every problem as `file: field: reason`.

Packs may come from instructors, so they are untrusted: safe YAML only, sizes bounded, and a
broken file is reported and skipped, never allowed to take the app down.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from exercises.checks import cross_check
from exercises.model import EXERCISE_ADAPTER, AnyExercise, Kind
from exercises.variant_spec import VariantError
from exercises.variants import DEFAULT_SEED, is_template, materialise
from exercises.workflow import Tool

PACKAGE_DIR = Path(__file__).parent
PACKS_DIR = PACKAGE_DIR / "packs"
SHARED_TOOLS = PACKAGE_DIR / "tools.yaml"
MAX_FILE_BYTES = 512 * 1024
TOOLS_FILE = "tools.yaml"


@dataclass(frozen=True)
class Problem:
    file: str
    field: str
    reason: str

    def __str__(self) -> str:
        return f"{self.file}: {self.field}: {self.reason}"


@dataclass
class Bank:
    """The loaded exercises and tools, with the problems found while loading them."""

    exercises: dict[str, AnyExercise] = field(default_factory=dict)
    tools: dict[str, Tool] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    files: dict[str, str] = field(default_factory=dict)  # exercise id -> file it came from
    templates: dict[str, dict[str, Any]] = field(default_factory=dict)  # parameterised exercises, as written
    _variants: dict[tuple[str, int], AnyExercise] = field(default_factory=dict, repr=False)

    def get(self, exercise_id: str) -> AnyExercise | None:
        return self.exercises.get(exercise_id)

    def variant(self, exercise_id: str, seed: int) -> AnyExercise | None:
        """Variant `seed` of an exercise (0, or an exercise without parameters: as authored)."""
        exercise = self.exercises.get(exercise_id)
        template = self.templates.get(exercise_id)
        if exercise is None or template is None or seed == DEFAULT_SEED:
            return exercise
        key = (exercise_id, seed)
        if key not in self._variants:
            self._variants[key] = materialise(template, seed, self.tools)
        return self._variants[key]

    def filter(
        self,
        sectors: Iterable[str] = (),
        kinds: Iterable[str] = (),
        difficulties: Iterable[int] = (),
    ) -> list[AnyExercise]:
        sector_set, kind_set, level_set = set(sectors), set(kinds), set(difficulties)
        chosen = [
            ex
            for ex in self.exercises.values()
            if (not sector_set or ex.sector in sector_set)
            and (not kind_set or ex.kind in kind_set)
            and (not level_set or ex.difficulty in level_set)
        ]
        kind_order = list(Kind)
        return sorted(chosen, key=lambda e: (e.sector, kind_order.index(Kind(e.kind)), e.difficulty, e.id))


def _field_path(loc: tuple[Any, ...]) -> str:
    parts = [str(p) for p in loc]
    if parts and parts[0] in Kind.__members__:
        parts = parts[1:]  # the discriminator's tag, not a field the author wrote
    return ".".join(parts) or "(file)"


def _read_yaml(path: Path, label: str) -> tuple[Any, list[Problem]]:
    try:
        size = path.stat().st_size
    except OSError as exc:
        return None, [Problem(label, "(file)", f"cannot read: {exc.strerror}")]
    if size > MAX_FILE_BYTES:
        return None, [Problem(label, "(file)", f"file is {size} bytes; the limit is {MAX_FILE_BYTES}")]
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8")), []
    except UnicodeDecodeError:
        return None, [Problem(label, "(file)", "not UTF-8 text")]
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}" if mark is not None else "(file)"
        reason = getattr(exc, "problem", None) or str(exc)
        return None, [Problem(label, where, f"invalid YAML: {reason}")]


def load_tools(path: Path, label: str) -> tuple[dict[str, Tool], list[Problem]]:
    data, problems = _read_yaml(path, label)
    if problems:
        return {}, problems
    if not isinstance(data, dict) or not isinstance(data.get("tools"), list):
        return {}, [Problem(label, "tools", "expected a mapping with a list under 'tools'")]
    tools: dict[str, Tool] = {}
    for i, raw in enumerate(data["tools"]):
        try:
            tool = Tool.model_validate(raw)
        except ValidationError as exc:
            problems += [Problem(label, f"tools.{i}.{_field_path(e['loc'])}", e["msg"]) for e in exc.errors()]
            continue
        if tool.id in tools:
            problems.append(Problem(label, f"tools.{i}.id", f"duplicate tool id '{tool.id}'"))
        tools[tool.id] = tool
    return tools, problems


def parse_exercise(
    data: Any, label: str, tools: Mapping[str, Tool] | None = None
) -> tuple[AnyExercise | None, list[Problem]]:
    """One exercise file's content; a parameterised one as its authored variant (seed 0)."""
    if not isinstance(data, dict):
        return None, [Problem(label, "(file)", "expected a mapping of exercise fields")]
    if data.get("kind") not in Kind.__members__:
        kinds = ", ".join(Kind)
        return None, [Problem(label, "kind", f"'{data.get('kind')}' is not one of: {kinds}")]
    try:
        if is_template(data):
            return materialise(data, DEFAULT_SEED, tools or {}), []
        return EXERCISE_ADAPTER.validate_python(data), []
    except VariantError as exc:
        return None, [Problem(label, "variants", str(exc))]
    except ValidationError as exc:
        return None, [Problem(label, _field_path(e["loc"]), e["msg"]) for e in exc.errors()]


def load_bank(root: Path = PACKS_DIR, shared_tools: Path | None = SHARED_TOOLS) -> Bank:
    """Load every exercise under `root`; problems are collected, never raised."""
    bank = Bank()
    if shared_tools is not None:
        tools, problems = load_tools(shared_tools, shared_tools.name)
        bank.tools.update(tools)
        bank.problems += problems
    if not root.is_dir():
        bank.problems.append(Problem(str(root), "(folder)", "no such folder"))
        return bank
    files = sorted(p for p in root.rglob("*") if p.suffix in {".yaml", ".yml"} and p.is_file())
    for path in (p for p in files if p.name == TOOLS_FILE):
        tools, problems = load_tools(path, str(path.relative_to(root)))
        bank.tools.update(tools)
        bank.problems += problems
    for path in (p for p in files if p.name != TOOLS_FILE):
        label = str(path.relative_to(root))
        data, problems = _read_yaml(path, label)
        if not problems:
            exercise, problems = parse_exercise(data, label, bank.tools)
            if exercise is not None:
                problems = [Problem(label, f, r) for f, r in cross_check(exercise, bank.tools)]
                if exercise.id in bank.exercises:
                    other = bank.files[exercise.id]
                    problems.append(Problem(label, "id", f"duplicate id '{exercise.id}' (also in {other})"))
                elif not problems:
                    bank.exercises[exercise.id] = exercise
                    bank.files[exercise.id] = label
                    if is_template(data):
                        bank.templates[exercise.id] = data
        bank.problems += problems
    return bank
