"""Load exercise packs from YAML safely and report every problem as `file: field: reason`.

Packs may come from instructors, so they are untrusted: files are read within limits
(`pack_files`), a broken file is reported and skipped, and nothing in a file can raise past
`load_bank`. The app and `python -m exercises validate` both load through `load_bank`, so a
pack is judged by one set of rules wherever it is opened.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import ValidationError
from pydantic_core import ErrorDetails

from exercises.checks import cross_check
from exercises.model import CUE_FIELDS, CUE_SHAPE, EXERCISE_ADAPTER, AnyExercise, Kind
from exercises.namespaces import SHARED, ToolRegistry, pack_of
from exercises.pack_files import MAX_FILE_BYTES, PackFileError, pack_files, read_pack_file
from exercises.sectors import SECTOR_LABELS, SECTOR_PATTERN, SECTOR_RULE, sector_label, sector_order
from exercises.variant_spec import VariantError
from exercises.variants import DEFAULT_SEED, is_template, materialise
from exercises.workflow import ID_PATTERN, ID_RULE, Tool

PACKAGE_DIR = Path(__file__).parent
PACKS_DIR = PACKAGE_DIR / "packs"
SHARED_TOOLS = PACKAGE_DIR / "tools.yaml"
TOOLS_FILE = "tools.yaml"
SHARED_TOOLS_LABEL = "exercises/tools.yaml"
__all__ = [
    "MAX_FILE_BYTES",
    "PACKS_DIR",
    "SHARED_TOOLS",
    "Bank",
    "Problem",
    "load_bank",
    "load_beside_shipped",
    "load_tools",
]
log = logging.getLogger(__name__)


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
    sectors: dict[str, str] = field(default_factory=dict)  # slug -> display name, of sectors with exercises
    context: set[str] = field(default_factory=set)  # exercise ids loaded as context, not under the main root
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

    def sector_name(self, slug: str) -> str:
        return self.sectors.get(slug) or sector_label(slug)

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


def _shown(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _reason(error: ErrorDetails) -> str:
    """pydantic's message, reworded where a new author would not know what to do with it."""
    pattern = (error.get("ctx") or {}).get("pattern")
    if error["type"] == "string_pattern_mismatch" and pattern == ID_PATTERN:
        return f"{_shown(error['input'])} is not a valid id: an id is {ID_RULE}"
    if error["type"] == "string_pattern_mismatch" and pattern == SECTOR_PATTERN:
        return f"{_shown(error['input'])} is not a valid sector: a sector is {SECTOR_RULE}"
    if any(part in CUE_FIELDS for part in error["loc"] if isinstance(part, str)):
        return f"{error['msg']}. {CUE_SHAPE}"
    if error["type"] == "value_error":  # our own validators' sentences, without pydantic's label
        return str(error["msg"]).removeprefix("Value error, ")
    return error["msg"]


def field_problems(label: str, exc: ValidationError, prefix: str = "") -> list[Problem]:
    """One problem per field pydantic refused: file, field path, a reason an author can act on."""
    return [Problem(label, prefix + _field_path(e["loc"]), _reason(e)) for e in exc.errors()]


def _parse_tools(data: Any, label: str) -> tuple[list[tuple[int, Tool]], list[Problem]]:
    if not isinstance(data, dict) or not isinstance(data.get("tools"), list):
        return [], [Problem(label, "tools", "expected a mapping with a list under 'tools'")]
    parsed: list[tuple[int, Tool]] = []
    problems: list[Problem] = []
    for i, raw in enumerate(data["tools"]):
        try:
            parsed.append((i, Tool.model_validate(raw)))
        except ValidationError as exc:
            problems += field_problems(label, exc, f"tools.{i}.")
    return parsed, problems


def _read(path: Path, label: str) -> tuple[Any, list[Problem]]:
    try:
        return read_pack_file(path), []
    except PackFileError as exc:
        return None, [Problem(label, exc.where, exc.reason)]


def _register_tools(registry: ToolRegistry, path: Path, label: str, pack: Path | None) -> list[Problem]:
    """Read one tools file into the registry; each tool the id rule refuses is a problem."""
    data, problems = _read(path, label)
    if problems:
        return problems
    parsed, problems = _parse_tools(data, label)
    for i, tool in parsed:
        refused = registry.add(tool, label, pack)
        if refused:
            problems.append(Problem(label, f"tools.{i}.id", refused))
    return problems


def load_tools(path: Path, label: str) -> tuple[dict[str, Tool], list[Problem]]:
    """One tools file on its own (the shared catalogue for the graders and benchmarks)."""
    registry = ToolRegistry()
    problems = _register_tools(registry, path, label, SHARED)
    return registry.tools, problems


def parse_exercise(
    data: Any, label: str, tools: Mapping[str, Tool] | None = None
) -> tuple[AnyExercise | None, list[Problem]]:
    """One exercise file's content; a parameterised one as its authored variant (seed 0)."""
    if not isinstance(data, dict):
        return None, [Problem(label, "(file)", "expected a mapping of exercise fields")]
    kind = data.get("kind")
    if not isinstance(kind, str) or kind not in Kind.__members__:
        kinds = ", ".join(Kind)
        return None, [Problem(label, "kind", f"{_shown(kind)} is not one of: {kinds}")]
    try:
        if is_template(data):
            return materialise(data, DEFAULT_SEED, tools or {}), []
        return EXERCISE_ADAPTER.validate_python(data), []
    except VariantError as exc:
        return None, [Problem(label, "variants", str(exc))]
    except ValidationError as exc:
        return None, field_problems(label, exc)


@dataclass
class _Loading:
    bank: Bank
    registry: ToolRegistry
    named: dict[str, tuple[str, str]] = field(  # sector -> (display name, where it was named)
        default_factory=lambda: {slug: (name, "the shipped sectors") for slug, name in SECTOR_LABELS.items()}
    )


def _load_root(state: _Loading, root: Path, prefix: str, as_context: bool) -> None:
    bank = state.bank
    files, refused = pack_files(root)
    bank.problems += [Problem(prefix + str(p.relative_to(root)), "(file)", why) for p, why in refused]
    packs = [p.parent for p in files if p.name == TOOLS_FILE]
    for path in (p for p in files if p.name == TOOLS_FILE):
        bank.problems += _register_tools(state.registry, path, prefix + str(path.relative_to(root)), path.parent)
    for path in (p for p in files if p.name != TOOLS_FILE):
        label = prefix + str(path.relative_to(root))
        try:
            bank.problems += _load_exercise(state, path, label, pack_of(path, packs), as_context)
        except Exception:  # a checker bug must not take the app down; the fuzz test keeps this unreached
            log.exception("checking %s failed", label)
            bank.problems.append(Problem(label, "(file)", "could not be checked (an internal error); skipped"))


def _load_exercise(state: _Loading, path: Path, label: str, pack: Path | None, as_context: bool) -> list[Problem]:
    bank = state.bank
    data, problems = _read(path, label)
    if problems:
        return problems
    exercise, problems = parse_exercise(data, label, state.registry.scope(pack).tools)
    if exercise is None:
        return problems
    problems = [Problem(label, f, r) for f, r in cross_check(exercise, state.registry.scope(pack))]
    earlier = state.named.get(exercise.sector)
    if exercise.sector_name is not None and earlier is not None and earlier[0] != exercise.sector_name:
        problems.append(
            Problem(label, "sector_name", f"sector '{exercise.sector}' is already named '{earlier[0]}' in {earlier[1]}")
        )
    if exercise.id in bank.exercises:
        problems.append(Problem(label, "id", f"duplicate id '{exercise.id}' (also in {bank.files[exercise.id]})"))
    if problems:
        return problems
    if exercise.sector_name is not None and earlier is None:
        state.named[exercise.sector] = (exercise.sector_name, label)
    bank.exercises[exercise.id] = exercise
    bank.files[exercise.id] = label
    if is_template(data):
        bank.templates[exercise.id] = data
    if as_context:
        bank.context.add(exercise.id)
    return []


def load_bank(root: Path = PACKS_DIR, shared_tools: Path | None = SHARED_TOOLS, context: Sequence[Path] = ()) -> Bank:
    """Load every exercise under `root`; problems are collected, never raised.

    `context` folders load first, as the app loads the shipped packs before an instructor's
    (their files are labelled with the folder's name, and their exercise ids go to
    `Bank.context`), so ids and tool ids are checked against everything that will sit beside them."""
    state = _Loading(Bank(), ToolRegistry())
    bank = state.bank
    if shared_tools is not None:
        label = SHARED_TOOLS_LABEL if shared_tools == SHARED_TOOLS else shared_tools.name
        bank.problems += _register_tools(state.registry, shared_tools, label, SHARED)
    for folder in context:
        if folder.is_dir():
            _load_root(state, folder, f"{folder.name}/", as_context=True)
    if not root.is_dir():
        bank.problems.append(Problem(str(root), "(folder)", "no such folder"))
    else:
        _load_root(state, root, "", as_context=False)
    bank.tools = state.registry.tools
    present = {e.sector for e in bank.exercises.values()}
    bank.sectors = {s: state.named[s][0] if s in state.named else sector_label(s) for s in sector_order(present)}
    return bank


def load_beside_shipped(root: Path) -> Bank:
    """The bank the app serves with `root` as its extra folder (BATON_PACKS_DIR): the shipped
    packs load first as context, so an instructor's pack is checked against what sits beside it.
    A folder that is (or holds, or lies in) the shipped packs loads on its own."""
    base, shipped = root.resolve(), PACKS_DIR.resolve()
    if base.is_relative_to(shipped) or shipped.is_relative_to(base):
        return load_bank(root)
    return load_bank(root, context=[PACKS_DIR])
