"""Score bands, defined once: their edges and names, the pass mark and the proficiency mark.
Every layer (grading, the store's dashboards, the charts) reads them from here."""

from __future__ import annotations

BAND_NAMES = ("Not yet", "Emerging", "Developing", "Proficient", "Strong")
BAND_EDGES = (20.0, 45.0, 70.0, 88.0)  # the lowest total of each band after the first
PASS_MARK = BAND_EDGES[1]  # Developing: the judge may not lift a grade across it unreviewed
PROFICIENT = BAND_EDGES[2]  # a mean at or above this clears a difficulty level
BAND_MARGIN = 1.5  # points either side of a band edge where a grade goes to review
CRITERION_MET = 0.6  # a criterion scored at 60 % or more counts as met (dashboards, reports)


def band(total: float) -> int:
    """The band index, 0 (not yet) to 4 (strong)."""
    return int(sum(total >= edge for edge in BAND_EDGES))


def band_name(total: float) -> str:
    return BAND_NAMES[band(total)]


def near_band_edge(total: float) -> bool:
    """A grade this close to a band edge could fall either side with a fairer reading."""
    return any(abs(total - edge) < BAND_MARGIN for edge in BAND_EDGES)


def band_legend() -> str:
    """'Not yet < 20 ≤ Emerging < 45 ≤ …', for reports and captions."""
    parts = [BAND_NAMES[0]]
    for edge, name in zip(BAND_EDGES, BAND_NAMES[1:], strict=True):
        parts.append(f"< {edge:g} ≤ {name}")
    return " ".join(parts)
