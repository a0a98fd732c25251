"""Score bands, defined once: their edges and names, the pass mark and the proficiency mark.
Every layer (grading, the store's dashboards, the charts) reads them from here."""

from __future__ import annotations

from collections.abc import Mapping

BAND_NAMES = ("Not yet", "Emerging", "Developing", "Proficient", "Strong")
BAND_EDGES = (20.0, 45.0, 70.0, 88.0)  # the lowest total of each band after the first
PASS_MARK = BAND_EDGES[1]  # Developing: the judge may not lift a grade across it unreviewed
PROFICIENT = BAND_EDGES[2]  # a mean at or above this clears a difficulty level
MIN_DOUBT = 10.0  # points the grader must be unsure of before a person is asked, in any band
CAP_DOUBT = 10.0  # a critical-flaw cap binding by less than this leaves the grade to the weaker criteria
CRITERION_MET = 0.6  # a criterion scored at 60 % or more counts as met (dashboards, reports)


def band(total: float) -> int:
    """The band index, 0 (not yet) to 4 (strong)."""
    return int(sum(total >= edge for edge in BAND_EDGES))


def band_name(total: float) -> str:
    return BAND_NAMES[band(total)]


def in_doubt(total: float, details: Mapping[str, object]) -> bool:
    """Review where the grader may be wrong: the points it is unsure of (text on the case it could
    not place, partial matches, many unmatched flags; `details["doubt"]`) reach `MIN_DOUBT`,
    wherever the total sits: an error that large matters in any band, and nearness to an edge
    is no sign of one. A grade capped by a critical flaw stays capped, and goes to a person only
    when the cap is a close call: it barely binds, or the criterion that imposes it is otherwise
    met (one flaw amid work that criterion credits; raters split on how much it should cost).
    A cap on weak work that its criterion also fails is confident (raters hold such answers well
    below the cap), and so is a firm cap (its flaw stated outright, e.g. the decision argued
    against in so many words)."""
    capped = details.get("capped")
    if isinstance(capped, Mapping) and capped.get("firm"):
        capped = None  # stated outright: no close call
    if isinstance(capped, Mapping) and (
        capped.get("uncapped_total", 0.0) - capped.get("at", 0.0) < CAP_DOUBT
        or capped.get("criterion_score", 0.0) >= CRITERION_MET
    ):
        return True
    doubt = details.get("doubt")
    points = float(doubt.get("points", 0.0)) if isinstance(doubt, Mapping) else 0.0
    return points >= MIN_DOUBT and "cap" not in details


def band_legend() -> str:
    """'Not yet < 20 ≤ Emerging < 45 ≤ …', for reports and captions."""
    parts = [BAND_NAMES[0]]
    for edge, name in zip(BAND_EDGES, BAND_NAMES[1:], strict=True):
        parts.append(f"< {edge:g} ≤ {name}")
    return " ".join(parts)
