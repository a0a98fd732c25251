"""Scoring a failure analysis: which seeded faults were found on the right step, named with
the right category and severity, and given a fix that fits.

Found and false alarms are two scores (grading/detection.py). A fault flagged where it shows
(a step downstream of where it starts) or with a neighbouring category earns partial credit; a
second flag of a fault already found repeats it and is no false alarm; naming several categories
for one step is a guess, not a classification."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache, lru_cache

from exercises.graph import downstream
from exercises.model import Fault, FindFailuresExercise
from exercises.submission import SEVERITY_RANK, FaultCategory, FaultFlag, FindFailuresSubmission, FixType
from exercises.workflow import Tool
from grading.detection import CLEAN_SHARE, FOUND_SHARE, Detection, neighbours, noisy
from grading.fix_stance import argued_against, proposed, samples_only
from grading.rubric import Scored, Scoring, join, on_topic
from grading.text import analyse, concept_found, cue_share, stems

C = FaultCategory
# Categories that describe the same failure seen from another side: a rater gives most of the
# credit for the neighbour (an unchecked automated decision is both "automated judgement" and a
# "missing check"). Defined once, symmetric.
_NEIGHBOUR_PAIRS = (
    (C.missing_check, C.automated_judgement),
    (C.missing_check, C.error_propagation),
    (C.missing_check, C.format_drift),
    (C.error_propagation, C.format_drift),
    (C.error_propagation, C.fabrication),
    (C.fabrication, C.stale_source),
    (C.prompt_injection, C.personal_data_leak),
    (C.bias, C.automated_judgement),
    (C.cost_latency_blowup, C.missing_check),
)
NEIGHBOURS: dict[FaultCategory, frozenset[FaultCategory]] = neighbours(_NEIGHBOUR_PAIRS, FaultCategory)
NEIGHBOUR_CREDIT = 0.8  # found with a neighbouring category
WRONG_CATEGORY_CREDIT = 0.6  # the right step and a fix for this fault, but an unrelated category: seen, misnamed
NEIGHBOUR_CLASSIFICATION = 0.5  # the classification criterion's share for a neighbouring category
DOWNSTREAM_CREDIT = 0.5  # flagged at a later step where the fault shows, not where it starts
FIX_ACCEPTED = 0.75  # a fix this good is treated as fixing the fault (simulated after the grade)
FIX_TYPE_SHARE = 0.25  # the rest of a fix's fit is what it says: the substance weighs most
SAMPLED_FIT = 0.5  # a person on a sample only, where a person must decide every item
# the exercise's worst faults found, yet each rated below its severity and given no fitting fix:
# seen, not understood (nothing in the analysis would get them fixed first); raters credit such
# finds in part
DISMISSED_CREDIT = 0.5
_TIE = 1e-9  # prefer the fault's own step when two flags would serve a fault equally well


@dataclass(frozen=True)
class Match:
    fault: Fault
    flag: FaultFlag
    location: float  # 1 on the fault's step or an accepted one, DOWNSTREAM_CREDIT where it shows
    category: float  # 1 exact, NEIGHBOUR_CREDIT, WRONG_CATEGORY_CREDIT; less for hedging
    fix_fit: float  # the best fix among the flags that name this fault
    dismissed: bool = False  # a worst fault rated below its severity with no fitting fix, none handled

    @property
    def diagnosis(self) -> float:
        """How far the category, severity and fix of this flag describe the fault's cause: in
        full where it starts; where it only shows, they describe a symptom (location squared)."""
        return self.location**2

    @property
    def fix_credit(self) -> float:
        return self.fix_fit * self.diagnosis

    @property
    def category_right(self) -> bool:
        return self.category >= 1.0

    @property
    def counted(self) -> float:
        """The share of the find that counts: in part when the worst fault is dismissed."""
        return DISMISSED_CREDIT if self.dismissed else 1.0

    @property
    def found(self) -> float:
        return self.location * self.category * self.counted


@dataclass(frozen=True)
class Assessment:
    matches: list[Match]
    repeats: list[FaultFlag]  # further flags of a fault already found
    false_alarms: list[FaultFlag]
    detection: Detection


def _weight(fault: Fault) -> float:
    return float(SEVERITY_RANK[fault.severity])


def _dismissed(exercise: FindFailuresExercise, found: list[tuple[Fault, FaultFlag, float]]) -> set[str]:
    """The ids of the exercise's worst faults (by severity) found but dismissed: rated lower than
    they are and given no fitting fix, when no worst fault found is handled (rated at its severity
    or fixed). One worst fault taken seriously shows the analysis puts first what comes first."""
    worst = max(SEVERITY_RANK[f.severity] for f in exercise.faults)
    top = [(fault, flag, fit) for fault, flag, fit in found if SEVERITY_RANK[fault.severity] == worst]
    if any(SEVERITY_RANK[flag.severity] >= worst or fit >= FIX_ACCEPTED for _, flag, fit in top):
        return set()
    return {fault.id for fault, _, _ in top}


def _severity_credit(fault: Fault, flag: FaultFlag) -> float:
    gap = abs(SEVERITY_RANK[flag.severity] - SEVERITY_RANK[fault.severity])
    return 1.0 if gap == 0 else 0.5 if gap == 1 else 0.0


def _category_credit(fault: Fault, category: FaultCategory) -> float:
    if category in {fault.category, *fault.also_categories}:
        return 1.0
    if category in NEIGHBOURS[fault.category]:  # the author's own category, not its alternatives
        return NEIGHBOUR_CREDIT
    return WRONG_CATEGORY_CREDIT


def _classification_credit(category: float) -> float:
    if category >= 1.0:
        return 1.0
    return NEIGHBOUR_CLASSIFICATION * max(0.0, category - WRONG_CATEGORY_CREDIT) / (1 - WRONG_CATEGORY_CREDIT)


@dataclass(frozen=True)
class _Places:
    """Where each fault may be flagged, with the location credit of each step."""

    credit: dict[str, dict[str, float]]  # fault id -> step id -> location credit

    chance: float = 0.0

    @classmethod
    def of(cls, exercise: FindFailuresExercise) -> _Places:
        """Worked out once per exercise object (they are immutable and few)."""
        cached = _PLACES.get(id(exercise))
        if cached is not None and cached[0] is exercise:
            return cached[1]
        places = cls._work_out(exercise)
        if len(_PLACES) >= 256:
            _PLACES.pop(next(iter(_PLACES)))
        _PLACES[id(exercise)] = (exercise, places)  # holding the exercise keeps its id from reuse
        return places

    @classmethod
    def _work_out(cls, exercise: FindFailuresExercise) -> _Places:
        credit: dict[str, dict[str, float]] = {}
        for fault in exercise.faults:
            own = {fault.step, *fault.also_steps}
            shows = set(downstream(exercise.workflow, fault.step)) if exercise.workflow.step(fault.step) else set()
            credit[fault.id] = dict.fromkeys(shows - own, DOWNSTREAM_CREDIT) | dict.fromkeys(own, 1.0)
        places = cls(credit)
        total = 0.0
        for step in exercise.workflow.steps:
            for category in FaultCategory:
                total += max((_hit(places, f, step.id, category) for f in exercise.faults), default=0.0)
        cells = len(exercise.workflow.steps) * len(FaultCategory)
        return cls(credit, total / cells if cells else 0.0)


_PLACES: dict[int, tuple[FindFailuresExercise, _Places]] = {}


def _hedging(exercise: FindFailuresExercise, flags: list[FaultFlag], places: _Places) -> dict[str, float]:
    """Per step, the share of category credit left after guessing: naming k categories for a
    step where m faults start or show (k > m) earns m / k of each category's value."""
    named: dict[str, set[FaultCategory]] = {}
    for flag in flags:
        named.setdefault(flag.step, set()).add(flag.category)
    hosts = {s: sum(1 for f in exercise.faults if places.credit[f.id].get(s, 0.0) > 0) for s in named}
    return {s: min(1.0, max(1, hosts[s]) / len(cats)) for s, cats in named.items()}


def chance_precision(exercise: FindFailuresExercise) -> float:
    """The precision of a flag placed on a random step with a random category: the mean, over
    every step and category, of the location credit that flag could earn (a flag where a fault
    only shows finds it only if it names the fault or its neighbour)."""
    return _Places.of(exercise).chance


def _hit(places: _Places, fault: Fault, step: str, category: FaultCategory) -> float:
    """How much a flag on this step with this category points at this fault (0: not at all)."""
    location = places.credit[fault.id].get(step, 0.0)
    # generous to chance on purpose (a harsher bar for flagging everything): where a fault only
    # shows, its spread or a neighbour's name counts here, though a flag needs a fix aimed at the
    # fault as well to find it
    if location < 1 and category == FaultCategory.error_propagation:
        return location
    if _category_credit(fault, category) <= WRONG_CATEGORY_CREDIT:
        return 0.0  # elsewhere an unrelated category finds it only with a fix for it, which chance lacks
    return location


def assess(exercise: FindFailuresExercise, flags: list[FaultFlag]) -> Assessment:
    """Pair flags with faults one to one, choosing the pairing that earns the most marks overall
    (every criterion, weighted as the rubric weighs it). So a flag that could serve two faults
    goes where it serves the grade best, the order of the flags does not matter, and finding one
    more fault can never lower the grade. Faults are few, so an exact search over which faults
    are taken is cheap. Flags left over that name a fault already found are repeats."""
    faults = list(exercise.faults)
    places = _Places.of(exercise)
    hedge = _hedging(exercise, flags, places)
    total_w = sum(_weight(f) for f in faults)
    weight = {c.id: c.weight for c in exercise.rubric}

    @cache
    def fit(i: int, j: int) -> float:  # read only for the pairs that can match
        return _fix_fit(faults[j], flags[i])

    precision_bonus = weight["detection"] * CLEAN_SHARE / max(1, len(flags))

    @cache
    def category(i: int, j: int) -> float:
        """The category credit of flag i for fault j, after hedging; 0 when it does not find it."""
        flag, fault = flags[i], faults[j]
        location = places.credit[fault.id].get(flag.step, 0.0)
        raw = _category_credit(fault, flag.category)
        if location == 0:
            return 0.0
        if raw > WRONG_CATEGORY_CREDIT:  # named, or a neighbour
            if raw < 1 and location < 1 and not _remedies(fault, flag):
                # a neighbour's name where the fault only shows, with a fix for something else: two
                # of the three signs (step, category, fix) miss, too thin to say this fault was seen
                return 0.0
            return WRONG_CATEGORY_CREDIT + (raw - WRONG_CATEGORY_CREDIT) * hedge[flag.step]
        if location < 1:
            # where a fault only shows, naming its spread finds it only with a fix aimed at it: the
            # generic "errors propagate" on a later step is thin evidence of having seen this fault
            spread = flag.category == FaultCategory.error_propagation
            return WRONG_CATEGORY_CREDIT if spread and _remedies(fault, flag) else 0.0
        # misnamed: the fix shows whether the learner saw this fault; a fix for something else
        # says the flag is about a different problem, as raters read it (a false alarm)
        return WRONG_CATEGORY_CREDIT if _remedies(fault, flag) else 0.0

    @cache
    def value(i: int, j: int) -> float:
        flag, fault = flags[i], faults[j]
        location = places.credit[fault.id].get(flag.step, 0.0)
        cat = category(i, j)
        if cat <= 0:
            return -1.0
        marks = (
            weight["detection"] * FOUND_SHARE * location * cat
            + weight["classification"] * _classification_credit(cat) * location**2
            + weight["severity"] * _severity_credit(fault, flag) * cat * location**2
            + weight["fixes"] * fit(i, j) * location**2
        )
        own = _TIE if flag.step == fault.step else 0.0
        return _weight(fault) / total_w * marks + precision_bonus * location * cat + own

    @cache
    def best(i: int, used: int) -> tuple[float, tuple[int, ...]]:
        if i == len(flags):
            return (0.0, ())
        rest, plan = best(i + 1, used)
        choice = (rest, (-1, *plan))
        for j in range(len(faults)):
            if used & (1 << j):
                continue
            gain = value(i, j)
            if gain < 0:
                continue
            rest, plan = best(i + 1, used | (1 << j))
            if gain + rest > choice[0] + 1e-12:
                choice = (gain + rest, (j, *plan))
        return choice

    _, plan = best(0, 0)
    taken = {j: i for i, j in enumerate(plan) if j >= 0}
    repeats, false_alarms = [], []
    best_fit = {j: fit(i, j) for j, i in taken.items()}
    for i, j in enumerate(plan):
        if j >= 0:
            continue
        named = [k for k in taken if places.credit[faults[k].id].get(flags[i].step, 0.0) >= 1.0]
        related = [k for k in named if _category_credit(faults[k], flags[i].category) > WRONG_CATEGORY_CREDIT]
        if related:
            repeats.append(flags[i])
            for k in related:  # the best fix offered for a fault counts, wherever it was written
                best_fit[k] = max(best_fit[k], fit(i, k))
        else:
            false_alarms.append(flags[i])
    dismissed = _dismissed(exercise, [(faults[j], flags[i], best_fit[j]) for j, i in taken.items()])
    matches = [
        Match(
            faults[j],
            flags[i],
            places.credit[faults[j].id][flags[i].step],
            category(i, j),
            best_fit[j],
            faults[j].id in dismissed,
        )
        for j, i in sorted(taken.items(), key=lambda kv: kv[1])
    ]
    found = sum(_weight(m.fault) * m.found for m in matches) / total_w
    # precision is about where the flags point (the category has its own criterion); a repeat of
    # a fault already found, on a step it may be pinned on, is neither right nor wrong
    considered = len(flags) - len(repeats)
    precision = sum(m.location for m in matches) / considered if considered else 0.0
    # the share of steps where the learner guessed: a flag that names its fault exactly is a choice
    sure = {id(m.flag) for m in matches if m.category_right and m.location >= 1}
    coverage = len({f.step for f in flags if id(f) not in sure}) / len(exercise.workflow.steps)
    detection = Detection(found, precision, places.chance, float(len(flags)), coverage)
    return Assessment(matches, repeats, false_alarms, detection)


def seen_elsewhere(missed: list[Fault], false_alarms: list[FaultFlag]) -> list[Fault]:
    """The faults counted as missed that a false alarm's fix aims at (`_remedies`): the learner saw
    the fault and flagged it where the grader gives no credit (a step upstream of it, another
    fault's step, an unrelated category). Whether that find counts is a person's call: doubt,
    never a score. A fault with no fix cues gives nothing to tell its fix from any other."""
    return [f for f in missed if f.fix_cues and any(_remedies(f, flag) for flag in false_alarms)]


def match_flags(exercise: FindFailuresExercise, flags: list[FaultFlag]) -> tuple[list[Match], list[FaultFlag]]:
    """The matched flags, and the rest (repeats and false alarms)."""
    result = assess(exercise, flags)
    matched = {id(m.flag) for m in result.matches}
    return result.matches, [f for f in flags if id(f) not in matched]


def score_failures(
    exercise: FindFailuresExercise, submission: FindFailuresSubmission, catalogue: Mapping[str, Tool]
) -> Scoring:
    names = {s.id: s.name for s in exercise.workflow.steps}
    flags = list(submission.flags)
    if not flags:
        return Scoring(
            _blank(exercise), details={"detection": {"found": 0.0, "clean": 0.0, "false_alarms": 0, "flags": 0}}
        )
    result = assess(exercise, flags)
    matches, false_alarms = result.matches, result.false_alarms
    total_w = sum(_weight(f) for f in exercise.faults)
    by_fault = {m.fault.id: m for m in matches}
    missed = [f for f in exercise.faults if f.id not in by_fault]
    n_right = sum(m.category_right for m in matches)
    shown = [m for m in matches if m.location < 1]

    evidence = f"Found {len(matches)} of {len(exercise.faults)} faults ({n_right} with the right category"
    evidence += f", {len(shown)} flagged where they show rather than where they start)" if shown else ")"
    if result.repeats:
        evidence += f"; {len(result.repeats)} flag(s) repeat a fault already found"
    dismissed = [m for m in matches if m.dismissed]
    if dismissed:
        where = join([repr(names.get(m.flag.step, m.flag.step)) for m in dismissed], 2)
        evidence += (
            f"; the worst fault(s) found, at {where}, rated below their severity with no fitting fix, count in part"
        )
    if false_alarms:
        evidence += f"; {len(false_alarms)} of your {len(flags)} flags point at no real fault: " + join(
            [f"'{names.get(f.step, f.step)}' as {_label(f.category)}" for f in false_alarms], 3
        )
    evidence += "."
    if missed:
        worst = max(missed, key=_weight)
        feedback = (
            f"Missed: the fault at '{names.get(worst.step, worst.step)}' ({worst.severity.value}). {worst.explanation}"
        )
        if false_alarms:
            feedback += f" Also, {len(false_alarms)} flag(s) point at steps that work as intended."
    elif false_alarms:
        feedback = (
            f"Every fault found, but {len(false_alarms)} of your {len(flags)} flags point at steps that work "
            "as intended: each costs a real team's time, so flag only what the traces and metrics show."
        )
    elif shown:
        m = shown[0]
        feedback = (
            f"Every fault found, but the one you flagged at '{names.get(m.flag.step, m.flag.step)}' starts "
            f"earlier, at '{names.get(m.fault.step, m.fault.step)}': flag a fault where it starts, so the fix "
            "lands there."
        )
    else:
        feedback = "Every seeded fault found, with no false alarms."
    # where a person may judge otherwise: many flags that match nothing (raters differ on what
    # noise costs), partial credit for a fault flagged where it shows or with a neighbour, and a
    # fault counted as missed that a false alarm's fix aims at (seen, but put where no credit is)
    noise = noisy(len(false_alarms), len(matches))
    # doubt is about points at stake: a find that counts in part (dismissed) puts only that part in doubt
    partial = sum(
        _weight(m.fault) * (1 - m.location * m.category) * m.counted
        for m in matches
        if m.category > WRONG_CATEGORY_CREDIT
    )
    partial /= total_w
    elsewhere = seen_elsewhere(missed, false_alarms)
    detection_why = [
        *([f"{len(false_alarms)} flags that match no fault"] if noise else []),
        *(["partly matched flags"] if partial > 0 else []),
        *([f"{len(elsewhere)} missed fault(s) a flag's fix aims at"] if elsewhere else []),
    ]
    detection_scored = Scored(
        "detection",
        result.detection.score,
        evidence,
        feedback,
        # the clean share is a share of what was found: noise costs nothing when nothing was found;
        # a fault seen elsewhere would earn its found share if a person credits the flag
        doubt=(CLEAN_SHARE * result.detection.found if noise else 0.0)
        + 0.5 * partial
        + FOUND_SHARE * sum(_weight(f) for f in elsewhere) / total_w,
        doubt_why=join(detection_why, 3),
    )

    classification = sum(
        _weight(m.fault) * _classification_credit(m.category) * m.diagnosis * m.counted for m in matches
    )
    classification /= total_w
    wrong = [m for m in matches if not m.category_right]
    c_evidence = f"{n_right} of {len(exercise.faults)} faults named with the right category."
    if wrong:
        m = wrong[0]
        c_feedback = (
            f"At '{names.get(m.flag.step, m.flag.step)}' you named {_label(m.flag.category)}; the "
            f"fault is {_label(m.fault.category)}. {m.fault.explanation}"
        )
    elif missed:
        c_feedback = (
            f"Categories are right for the {len(matches)} fault(s) you found; "
            f"the {len(missed)} you missed earn nothing here."
        )
    else:
        c_feedback = "Each fault named with the right category."
    neighbours = [m for m in wrong if m.category > WRONG_CATEGORY_CREDIT]
    classification_scored = Scored(
        "classification",
        classification,
        c_evidence,
        c_feedback,
        doubt=sum(_weight(m.fault) * (1 - _classification_credit(m.category)) * m.counted for m in neighbours)
        / total_w,
        doubt_why="categories next to the right one",
    )

    sev_points, sev_notes = 0.0, []
    for m in matches:
        # rating the severity of a fault you named wrongly is part of a judgement at best
        sev_points += _weight(m.fault) * _severity_credit(m.fault, m.flag) * m.category * m.diagnosis
        if SEVERITY_RANK[m.flag.severity] != SEVERITY_RANK[m.fault.severity]:
            sev_notes.append(
                f"'{names.get(m.flag.step, m.flag.step)}' rated {m.flag.severity.value}, it is {m.fault.severity.value}"
            )
    severity = sev_points / total_w
    s_feedback = (
        "Severity judged well: the worst faults come first in a remediation plan."
        if not sev_notes and not missed
        else ("Rate by harm: " + "; ".join(sev_notes[:2]) + ".")
        if sev_notes
        else f"Severity is right for what you found; it only counts for found faults ({len(missed)} missed)."
    )
    severity_scored = Scored(
        "severity",
        severity,
        f"{len(matches) - len(sev_notes)} of {len(matches)} found faults rated at the right severity.",
        s_feedback,
    )

    scored = [detection_scored, classification_scored, severity_scored, _fixes(exercise, matches, total_w, names)]
    details: dict[str, object] = {
        "detection": {
            "found": round(result.detection.found, 4),
            "clean": round(result.detection.clean, 4),
            "false_alarms": len(false_alarms),
            "repeats": len(result.repeats),
            "flags": len(flags),
        }
    }
    return Scoring(scored, details=details)


def _blank(exercise: FindFailuresExercise) -> list[Scored]:
    """No flags at all: every criterion says what is missing, never what went well."""
    none = f"No flags yet: 0 of {len(exercise.faults)} faults found."
    return [
        Scored(
            "detection",
            0.0,
            none,
            "Nothing flagged: read the traces and metrics and flag each step where something goes wrong.",
        ),
        Scored("classification", 0.0, none, "Name a category for each fault you flag."),
        Scored("severity", 0.0, none, "Rate how much harm each fault you flag can do."),
        Scored("fixes", 0.0, none, "Give each flag a fix that removes the cause of the fault."),
    ]


def fixed_faults(exercise: FindFailuresExercise, submission: FindFailuresSubmission) -> list[tuple[Fault, FaultFlag]]:
    """The seeded faults the learner found and gave a fitting fix (on any flag that names the
    fault): what `fixes.before_and_after` simulates as fixed (shown with the grade, not part of it)."""
    flags = list(submission.flags)
    result = assess(exercise, flags)
    fixed = []
    for m in result.matches:
        if m.fix_credit < FIX_ACCEPTED:
            continue
        offered = [m.flag, *(f for f in result.repeats if f.step in _Places.of(exercise).credit[m.fault.id])]
        fixed.append((m.fault, max(offered, key=lambda f: _fix_fit(m.fault, f))))
    return fixed


def _fix_text(fault: Fault, flag: FaultFlag) -> tuple[float, bool]:
    """How fully the fix's words say what a fitting fix says (0-1), and whether it is prose at all."""
    every_item = FixType.keep_human_decision in fault.fix_types  # a person must decide each item
    return _read_fix(proposed(flag.fix), tuple(tuple(cue) for cue in fault.fix_cues), every_item)


@lru_cache(maxsize=8_192)
def _read_fix(fix: str, cues: tuple[tuple[str, ...], ...], every_item: bool) -> tuple[float, bool]:
    prose = [s for s in analyse(fix) if s.word_count >= 3]
    if not prose:
        return 0.0, False
    full = SAMPLED_FIT if every_item and samples_only(fix) else 1.0
    if not cues:
        return full, True
    if any(concept_found(s.stems, cues) for s in prose):
        return full, True
    return 0.3 * cue_share(stems(fix), cues), True


def _remedies(fault: Fault, flag: FaultFlag) -> bool:
    """Does the flag's fix aim at this fault: words that say a fitting fix, or a fitting fix type
    with some of those words (a type ticked over a fix about something else is not enough)?"""
    said = _fix_text(fault, flag)[0]
    return said >= 1.0 or (flag.fix_type in fault.fix_types and said > 0)


def _fix_fit(fault: Fault, flag: FaultFlag) -> float:
    # a fix argued against in its own words ("not an AI fault", "no need for a review") proposes
    # nothing, whatever type was ticked
    type_ok = flag.fix_type in fault.fix_types and not argued_against(flag.fix)
    text_ok, _ = _fix_text(fault, flag)
    # what the fix changes, and where, weighs most: a fix that says the right thing is accepted
    # even if its type was not ticked, and a ticked type with nothing said is not
    return FIX_TYPE_SHARE * type_ok + (1 - FIX_TYPE_SHARE) * text_ok


def _unread(fault: Fault, flag: FaultFlag) -> float:
    """The share of a fix's value the grader may have missed: prose on the fix's topic (some of a
    fitting fix's words) that it could not fully place. Prose with none of them is off the point,
    and a fix whose stance the grader did read is decided: a person on a sample or a subset only,
    where a person must decide every item (`samples_only`)."""
    text_ok, prose = _fix_text(fault, flag)
    if not prose or text_ok >= 1:
        return 0.0
    if FixType.keep_human_decision in fault.fix_types and samples_only(proposed(flag.fix)):
        return 0.0
    if text_ok <= 0 and not on_topic(flag.fix, fault.explanation):
        return 0.0
    return (1 - FIX_TYPE_SHARE) * (1 - text_ok)


def _ticked_only(m: Match) -> float:
    """The share of a fix's credit that rests on its ticked type alone: a fitting type ticked over
    words that say nothing a fitting fix says. The tick and the words disagree (a fitting kind of
    remedy, then a proposal that would not work, or none), and a person may give the type its
    share or nothing."""
    if m.fix_fit > FIX_TYPE_SHARE or _fix_text(m.fault, m.flag)[0] > 0:
        return 0.0  # the words earn something (on this flag or a repeat): the fit is read from them
    return FIX_TYPE_SHARE if m.fix_fit > 0 else 0.0


def _fixes(exercise: FindFailuresExercise, matches: list[Match], total_w: float, names: dict[str, str]) -> Scored:
    points, weak = 0.0, []
    for m in matches:
        points += _weight(m.fault) * m.fix_credit
        if m.fix_credit < FIX_ACCEPTED:
            weak.append(m)
    score = points / total_w
    # what a person may judge otherwise: words the grader could not place, and credit that rests
    # on a ticked type alone
    unread = [(m, (_unread(m.fault, m.flag) + _ticked_only(m)) * m.diagnosis) for m in matches]
    doubt = sum(_weight(m.fault) * u for m, u in unread) / total_w
    doubt_why = join([f"the fix at '{names.get(m.flag.step, m.flag.step)}'" for m, u in unread if u > 0], 2)
    evidence = f"{len(matches) - len(weak)} of {len(exercise.faults)} faults have a fix that fits."
    missing = len(exercise.faults) - len(matches)
    if weak:
        m = weak[0]
        options = join([_label(t) for t in m.fault.fix_types], 3)
        said = "gives no fix" if not m.flag.fix.strip() else "does not yet address the cause"
        feedback = f"Your flag on '{names.get(m.flag.step, m.flag.step)}' {said}; fitting fixes: {options}."
    elif missing:
        feedback = (
            f"The fixes you gave fit; {missing} fault(s) you did not find have no fix yet, and they earn nothing here."
        )
    else:
        feedback = "Each fix addresses the cause of its fault."
    return Scored("fixes", score, evidence, feedback, doubt=doubt, doubt_why=doubt_why)


def _label(value: object) -> str:
    return str(getattr(value, "value", value)).replace("_", " ")


__all__ = [
    "DOWNSTREAM_CREDIT",
    "NEIGHBOURS",
    "NEIGHBOUR_CREDIT",
    "WRONG_CATEGORY_CREDIT",
    "Assessment",
    "Match",
    "assess",
    "chance_precision",
    "fixed_faults",
    "match_flags",
    "score_failures",
    "seen_elsewhere",
]
