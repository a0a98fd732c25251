"""The note's own recommendation, beside the decision it should explain.

A note can describe the decision faithfully and still recommend something else: to start later
("we should wait eight weeks"), to run a trial first ("run it for three months before rolling it
out"), to cover fewer cases ("check fewer reports, not all of them"), or to reopen it ("ask the
team to look again at the limit"). Such a note argues against the decision whatever else it says.
A departure counts only in a sentence where the writer recommends or asks (a stance), and only of
a kind the decision itself does not take: where the decision is a pilot, recommending a pilot is
the decision; where it holds something back ("not yet"), waiting is."""

from __future__ import annotations

import re
from functools import lru_cache

# the writer recommending or asking, in so many words
_STANCE = re.compile(
    r"\b(?:i|we)\b(?:\s+\w+){0,2}?\s+(?:recommend|suggest|propose|advise|urge)\w*\b"
    r"|\bmy (?:suggestion|recommendation|advice|proposal|ask|request)\b"
    r"|\b(?:i|we) (?:think|believe|feel) (?:that )?we (?:should|must|ought)\b"
    r"|^\W*(?:\w+,\s*)?we (?:should|must|ought to)\b"
    r"|\b(?:i|we)(?: would|'d) like (?:your (?:support|agreement|approval) )?(?:to|you to|us to)\b"
    r"|\blet me\b|\blet(?:'s| us)\b",
    re.IGNORECASE,
)

# a follow-up at a set time ("revisit it after three months") is part of going ahead, not reopening
_FOLLOW_UP = r"(?![^.;]{0,40}\b(?:after|once|in (?:\w+ ){0,2}(?:weeks?|months?|years?|quarters?))\b)"
# what a recommendation can do instead of the decision, by kind; each is read as something done
# (a trial run, reports checked), so a benefit ("fewer complaints") or the evidence ("the trial
# showed...") in a recommending sentence is no departure
DEPARTURES: dict[str, re.Pattern[str]] = {
    "later": re.compile(
        # as verbs: "we should wait", "to postpone", "delaying" ("delay claims" names the case)
        r"\b(?:to|should|must|could|would|we|i|us|and|or|just)\s+"
        r"(?:wait|postpone|defer|delay|put off|push back|hold off)\b"
        r"(?!\s+for\s+(?:your|the|their)\s+(?:\w+\s+)?(?:approval|sign-off|decision|agreement|go-ahead))"
        r"|\b(?:postponing|deferring|delaying|putting off|pushing back|holding off)\b"
        r"|\bmove the (?:start|date|launch|go-live)\b|\bstart (?:it )?later\b|\bnot yet\b",
        re.IGNORECASE,
    ),
    "trial first": re.compile(
        r"\b(?:run|start with|begin with|try|do|hold|is|be)\s+(?:a|an)\s+(?:[\w-]+\s+){0,2}(?:pilot|trial)\b"
        r"|\bpilot (?:it|this|the)\b"
        r"|\btest\w*\b[^.;]{0,40}\b(?:first|over the (?:summer|winter|spring|autumn|next))\b"
        r"|\bbefore (?:rolling|we roll|it is rolled|going|we go)\b",
        re.IGNORECASE,
    ),
    "fewer": re.compile(
        r"\b(?:check|review|visit|approve|inspect|send|cover|call|read)\w*\s+fewer\b"
        r"|,\s*not (?:all|every|each)\b|\ba targeted\b|\btargeted (?:check|review)",
        re.IGNORECASE,
    ),
    "reopen": re.compile(
        r"\b(?:look again|think again|reconsider|revisit|rethink|re-think|reopen|re-open)\w*\b" + _FOLLOW_UP,
        re.IGNORECASE,
    ),
}


@lru_cache(maxsize=16_384)
def recommends(sentence: str) -> bool:
    """Whether the writer recommends or asks in this sentence."""
    return bool(_STANCE.search(sentence.replace("’", "'")))


@lru_cache(maxsize=16_384)
def departures(sentence: str) -> frozenset[str]:
    """The kinds of departure a sentence names, whether or not it recommends them."""
    text = sentence.replace("’", "'")
    return frozenset(kind for kind, pattern in DEPARTURES.items() if pattern.search(text))


def departs(sentence: str, allowed: frozenset[str]) -> frozenset[str]:
    """The kinds of departure the writer recommends in this sentence that the decision itself
    does not take (`allowed`: see decision_kinds)."""
    return departures(sentence) - allowed if recommends(sentence) else frozenset()


# the decision names its own kind more loosely than a note recommends one: "approve a three-month pilot"
# and one that holds something back "for now" or "yet" takes waiting as its own
_DECISION_NAMES = {
    "trial first": re.compile(r"\b(?:pilot|trial)\b", re.IGNORECASE),
    "later": re.compile(r"\b(?:yet|for now|for the time being)\b", re.IGNORECASE),
}


def decision_kinds(decision: str, reference_sentences: list[str]) -> frozenset[str]:
    """The kinds of departure the decision itself takes: named in the decision's own text or in
    a sentence where the reference recommends or asks."""
    said = [decision, *(s for s in reference_sentences if recommends(s))]
    named = {kind for kind, pattern in _DECISION_NAMES.items() for s in said if pattern.search(s)}
    return frozenset(named).union(*(departures(s) for s in said))
