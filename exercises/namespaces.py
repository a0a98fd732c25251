"""Whose tools an exercise may use: the one rule, read by the validator and by the app alike.

The shared catalogue (exercises/tools.yaml) is open to every exercise. A pack is a folder
holding a `tools.yaml`; its tools are open to the exercise files in that folder and below, and
to nobody else. Tool ids are unique across the shared catalogue and every pack, because a
stored attempt names its tools by id: a pack tool whose id is already taken is an error that
names both files, and the pack's exercises cannot use that id until one of them is renamed.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from exercises.workflow import Tool

SHARED = None  # the pack key of the shared catalogue: visible everywhere


@dataclass(frozen=True)
class ToolScope:
    """The tools one exercise may use, and where the others it might name live."""

    tools: Mapping[str, Tool]
    elsewhere: Mapping[str, str]  # tool id -> why this exercise may not use it

    def why_not(self, tool_id: str) -> str:
        """Why `tool_id` is not available here, in words an author can act on."""
        reason = self.elsewhere.get(tool_id)
        if reason:
            return reason
        return (
            f"unknown tool id '{tool_id}': it is neither in the shared catalogue (exercises/tools.yaml) "
            "nor in this pack's tools.yaml"
        )


@dataclass
class ToolRegistry:
    tools: dict[str, Tool] = field(default_factory=dict)  # every tool, shared and every pack's
    homes: dict[str, str] = field(default_factory=dict)  # tool id -> the file defining it
    owner: dict[str, Path | None] = field(default_factory=dict)  # tool id -> its pack folder (None: shared)
    contested: dict[Path, dict[str, str]] = field(default_factory=dict)  # pack -> id -> the other file

    def add(self, tool: Tool, home: str, pack: Path | None) -> str | None:
        """Register one tool; the reason it is refused, or None. The only place the id rule lives."""
        other = self.homes.get(tool.id)
        if other is not None:
            if pack is not None:
                self.contested.setdefault(pack, {})[tool.id] = other
            if other == home:
                return f"tool id '{tool.id}' is listed twice in this file"
            return (
                f"tool id '{tool.id}' is already defined in {other}; a pack's own tools need ids "
                "of their own (rename this one, e.g. with the pack's name as a prefix)"
            )
        self.tools[tool.id] = tool
        self.homes[tool.id] = home
        self.owner[tool.id] = pack
        return None

    def scope(self, pack: Path | None) -> ToolScope:
        """What an exercise in `pack` (None: in no pack) may use."""
        contested = self.contested.get(pack, {}) if pack is not None else {}
        visible: dict[str, Tool] = {}
        elsewhere: dict[str, str] = {}
        for tool_id, tool in self.tools.items():
            home = self.owner[tool_id]
            if tool_id in contested:
                elsewhere[tool_id] = (
                    f"tool '{tool_id}' is defined both in this pack's tools.yaml and in {contested[tool_id]}; "
                    "rename the pack's tool and use the new id"
                )
            elif home is SHARED or home == pack:
                visible[tool_id] = tool
            else:
                elsewhere[tool_id] = (
                    f"tool '{tool_id}' belongs to another pack ({self.homes[tool_id]}); an exercise may use "
                    "the shared catalogue and its own pack's tools.yaml only"
                )
        return ToolScope(visible, elsewhere)


def pack_of(path: Path, packs: list[Path]) -> Path | None:
    """The pack folder `path` belongs to: the nearest folder above it holding a tools.yaml."""
    candidates = [p for p in packs if path.is_relative_to(p)]
    return max(candidates, key=lambda p: len(p.parts), default=None)
