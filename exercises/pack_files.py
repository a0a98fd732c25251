"""Finding and reading pack files, whatever they hold.

Packs may come from instructors, so every file is untrusted: it is read only when it is a
regular file inside the pack folder (a symlink pointing outside is refused), below a size
limit, as safe YAML whose nesting and alias expansion are bounded. Every failure is a
file-level reason, never an exception: one bad file must not take the app down.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

import yaml
from yaml.composer import ComposerError
from yaml.events import CollectionEndEvent, CollectionStartEvent, NodeEvent
from yaml.nodes import MappingNode, Node, SequenceNode

MAX_FILE_BYTES = 512 * 1024
MAX_DEPTH = 40  # the deepest shipped exercise nests 8 levels; Python's own stack is the real limit
MAX_NODES = 200_000  # values after aliases are expanded: a few thousand in the largest exercise
MAX_PACK_FILES = 2_000
YAML_SUFFIXES = (".yaml", ".yml")
TOO_DEEP = f"nested more than {MAX_DEPTH} levels deep"


class PackFileError(ValueError):
    """A file that cannot be read as a pack file; `where` is a field or line, `reason` is for the author."""

    def __init__(self, where: str, reason: str) -> None:
        super().__init__(reason)
        self.where = where
        self.reason = reason


# YAML 1.2's booleans: only true and false. YAML 1.1 also reads yes/no/on/off as booleans, so an
# author's `id: off` or `answer: no` would arrive as False, an error about a field that looks right.
_BOOL_TAG = "tag:yaml.org,2002:bool"
_CORE_BOOL = re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$")


def _core_booleans(loader: type[Any]) -> None:
    loader.yaml_implicit_resolvers = {
        first: [(tag, regexp) for tag, regexp in resolvers if tag != _BOOL_TAG]
        for first, resolvers in loader.yaml_implicit_resolvers.items()
    }
    loader.add_implicit_resolver(_BOOL_TAG, _CORE_BOOL, list("tTfF"))


class _BoundedLoader(yaml.SafeLoader):
    """Safe YAML whose composer refuses deep nesting before Python's recursion limit does."""

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self._depth = 0

    def compose_node(self, parent: Node | None, index: Any) -> Node | None:
        self._depth += 1
        try:
            if self._depth > MAX_DEPTH:
                mark = self.peek_event().start_mark
                raise ComposerError(None, None, TOO_DEEP, mark)
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1


_core_booleans(_BoundedLoader)


class _CoreCLoader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
    """libyaml's safe loader with YAML 1.2's booleans (its resolver is Python's, so can be changed)."""


_core_booleans(_CoreCLoader)

# libyaml's parser, when PyYAML was built with it (its wheels are): the pure-Python one took
# 1.5 s of a cold start for the shipped packs, libyaml 0.2 s. Its composer is C and recursive, so
# the nesting is checked on its event stream before it composes anything.
_CLoader: type[yaml.CSafeLoader] | None = _CoreCLoader if hasattr(yaml, "CSafeLoader") else None


def _check_depth(text: str) -> None:
    """PackFileError at the first node nested deeper than MAX_DEPTH, counted as _BoundedLoader counts."""
    assert _CLoader is not None
    events = _CLoader(text)
    depth = 0
    try:
        while (event := events.get_event()) is not None:
            if isinstance(event, NodeEvent) and depth + 1 > MAX_DEPTH:
                mark = event.start_mark
                raise PackFileError(f"line {mark.line + 1}" if mark else "(file)", f"invalid YAML: {TOO_DEEP}")
            if isinstance(event, CollectionStartEvent):
                depth += 1
            elif isinstance(event, CollectionEndEvent):
                depth -= 1
    finally:
        events.dispose()


def _bounded_loader(text: str) -> yaml.SafeLoader | yaml.CSafeLoader:
    if _CLoader is None:
        return _BoundedLoader(text)
    _check_depth(text)
    return _CLoader(text)


def _expanded_size(root: Node) -> int:
    """How many values the document holds once every alias is expanded, counted up to just
    past MAX_NODES (so a billion laughs, or an alias inside its own anchor, stops early)."""
    count = 0
    stack: list[Node] = [root]
    while stack and count <= MAX_NODES:
        node = stack.pop()
        count += 1
        if isinstance(node, SequenceNode):
            stack.extend(node.value)
        elif isinstance(node, MappingNode):
            for key, value in node.value:
                stack += (key, value)
    return count


def parse_yaml(text: str) -> Any:
    """The document in `text`, or PackFileError saying why not."""
    loader: yaml.SafeLoader | yaml.CSafeLoader | None = None
    try:
        loader = _bounded_loader(text)  # the reader refuses control characters here already
        node = loader.get_single_node()
        if node is None:
            return None
        if _expanded_size(node) > MAX_NODES:
            raise PackFileError("(file)", f"holds more than {MAX_NODES:,} values once anchors and aliases are expanded")
        return loader.construct_document(node)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}" if mark is not None else "(file)"
        reason = getattr(exc, "problem", None) or str(exc)
        raise PackFileError(where, f"invalid YAML: {reason}") from None
    except PackFileError:
        raise
    except Exception as exc:
        # PyYAML's constructor raises more than YAMLError on odd scalars: ValueError for an
        # integer of 5,000 digits or a 13th month, AttributeError for an empty !!timestamp.
        # Whatever it is, it is this file's fault and says so.
        raise PackFileError("(file)", f"invalid YAML value: {str(exc)[:200] or type(exc).__name__}") from None
    finally:
        if loader is not None:
            loader.dispose()


def read_pack_file(path: Path) -> Any:
    """Read one file as YAML within the limits; PackFileError says why it cannot be used."""
    try:
        with path.open("rb") as handle:
            raw = handle.read(MAX_FILE_BYTES + 1)
    except OSError as exc:
        raise PackFileError("(file)", f"cannot read: {exc.strerror or exc}") from None
    if len(raw) > MAX_FILE_BYTES:
        raise PackFileError("(file)", f"file is over {MAX_FILE_BYTES} bytes, the limit")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise PackFileError("(file)", "not UTF-8 text") from None
    return parse_yaml(text)


def pack_files(root: Path) -> tuple[list[Path], list[tuple[Path, str]]]:
    """Every YAML file under `root`, sorted, and the entries refused with their reason.

    Symlinks are followed only when they stay inside the folder (a link to /etc/passwd or to
    another user's folder is refused); linked folders are not walked twice."""
    base = root.resolve()
    found: list[Path] = []
    refused: list[tuple[Path, str]] = []
    for folder, dirs, names in os.walk(root, followlinks=False):
        here = Path(folder)
        for name in sorted(dirs):
            entry = here / name
            if entry.is_symlink() and not _inside(entry, base):
                refused.append((entry, "a symlink pointing outside the pack folder; refused"))
        for name in sorted(names):
            entry = here / name
            if not name.endswith(YAML_SUFFIXES):
                continue
            if entry.is_symlink() and not _inside(entry, base):
                refused.append((entry, "a symlink pointing outside the pack folder; refused"))
            elif entry.is_file():
                found.append(entry)
    found.sort()
    if len(found) > MAX_PACK_FILES:
        refused += [
            (p, f"more than {MAX_PACK_FILES} files in one folder of packs; skipped") for p in found[MAX_PACK_FILES:]
        ]
        found = found[:MAX_PACK_FILES]
    return found, refused


def _inside(entry: Path, base: Path) -> bool:
    try:
        return entry.resolve().is_relative_to(base)
    except (OSError, RuntimeError):  # a symlink loop
        return False
