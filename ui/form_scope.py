"""Widget-key scopes of the answer forms: an assessment sitting and each practice variant keep
their widgets apart; practice aids are on everywhere but in a sitting."""

from __future__ import annotations

SITTING_SCOPE = "sit"  # widget scopes of an assessment sitting start with this


def practice_aids(scope: str) -> bool:
    """Practice aids (the simulator) are on except in an assessment sitting."""
    return not scope.startswith(SITTING_SCOPE)


def variant_scope(seed: int) -> str:
    """Practice widgets of a variant other than the authored one get keys of their own, so a fresh
    variant starts from its own draft, not from the browser's copy of the last one's edits."""
    return f"v{seed}:" if seed else ""
