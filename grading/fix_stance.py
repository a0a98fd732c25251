"""What a proposed fix argues for, beyond the words it uses (find-failures fixes).

A fix earns its fit from what it proposes. Two ways of writing the right words propose nothing:
- a clause that rejects a control ("no need to add a human review", "monitoring would not help",
  "a second check is not necessary"): that clause says what not to do, so its words earn nothing,
  while the rest of the fix ("...; instead a teacher confirms each mark") still counts;
- a fix that denies the fault itself ("a management choice, not an AI fault", "this works as
  intended"): the learner argues there is nothing to fix, so the whole fix earns nothing, however
  fitting the words that follow it.
A third way proposes only part of what is needed: where a person must decide every item (the
fault is a decision left to a model), a fix that puts the person on a sample or a subset only
("spot-check", "a random 5 %", "routine cases can stay automated") leaves the rest decided by the
model, as a check that sees a sample guards none of the others (the design grader's rule).
A negation that is itself the remedy ("do not send names to the public model", "never pay before a
person approves") is neither: it names what the fixed workflow must not do."""

from __future__ import annotations

import re
from functools import lru_cache

# words that name a control or a change to the workflow: a rejection is about one of these
_CONTROL = (
    r"(?:review\w*|check\w*|monitor\w*|human|person|people|staff|teacher\w*|approv\w*|sign[- ]?off|"
    r"validat\w*|oversight|audit\w*|test\w*|guard\w*|fix\w*|chang\w*|control\w*|confirm\w*|step|"
    r"rule\w*|schema|filter\w*|redact\w*|moderat\w*|escalat\w*|sampl\w*|spot[- ]?check\w*)"
)
_REJECTION = re.compile(
    r"\b(?:no|little|not much|not any|without any)\s+(?:real\s+)?(?:need|point|value|benefit|use)\b"
    r"|\b(?:we|you|they|teams?|there|one)\s+(?:do not|don't|does not|doesn't|did not|didn't|would not|wouldn't)\s+"
    r"(?:really\s+)?need\b"
    r"|\b(?:need not|needn't)\b"
    r"|\b(?:is|are|seems?|would be|will be|be)\s+(?:not\s+|un)"
    r"(?:needed|necessary|required|warranted|worth\w*|helpful)\b"
    r"|\b(?:isn't|aren't|wouldn't be|won't be)\s+(?:needed|necessary|required|warranted|worth\w*|helpful)\b"
    r"|\b(?:would|will|does|do|did|could|can|might)(?:\s+not|n't)\s+(?:really\s+)?"
    r"(?:help|work|matter|fix|change|add anything|improve|catch|solve|make (?:a|any) difference)\b"
    r"|\b(?:won't|cannot|can't)\s+(?:really\s+)?(?:help|work|matter|fix|improve|catch|solve)\b"
    r"|\b(?:overkill|pointless|a waste of|not worth it|unnecessary)\b",
    re.IGNORECASE,
)
_DENIAL = re.compile(
    r"(?:\bnot|n't|\bnever|\bhardly)\s+(?:really\s+)?(?:(?:an?|the|any|our)\s+)?"
    r"(?:(?:real|genuine|actual|big|true)\s+)?(?:(?:ai|model|system|tool|workflow|[a-z]+'s)\s+)?"
    r"(?:fault|problem|issue|bug|failure|defect)s?\b"
    r"|\b(?:works?|working|worked)\s+as\s+(?:intended|designed|expected)\b"
    r"|\bnothing\s+(?:needs\s+)?to\s+(?:fix|change|do)\b"
    r"|\bno\s+(?:fix|change|action)\s+(?:is\s+)?(?:needed|required|necessary)\b"
    r"|\b(?:leave|keep)\s+(?:it|this|things)\s+as\s+(?:it\s+is|is)\b",
    re.IGNORECASE,
)
_CLAUSE = re.compile(r"[;:,()—–]|(?<=[.!?])\s+|\s-\s|\b(?:but|instead|rather|whereas|although|though)\b", re.IGNORECASE)
_CONTROL_WORD = re.compile(r"\b" + _CONTROL + r"\b", re.IGNORECASE)


_SAMPLED = re.compile(
    r"\bspot[- ]?check\w*|\bsampl\w*|\brandom\w*|\boccasional\w*|\bsome of\b|\bselected\b"
    r"|\ba (?:few|share|portion|percentage|proportion|subset)\b|\b\d+(?:\.\d+)? ?(?:%|per ?cent) of\b"
    r"|\b(?:stay|stays|remain|remains|kept|keep|left)\s+(?:fully\s+)?automat\w*",
    re.IGNORECASE,
)


def samples_only(fix: str) -> bool:
    """Whether the fix puts its control on a sample or a subset of the items only."""
    return bool(_SAMPLED.search(fix))


def denies_the_fault(fix: str) -> bool:
    """Whether the fix argues that the flagged fault is no fault ("not an AI fault", "works as
    intended", "no change needed"): it proposes nothing for it."""
    return bool(_DENIAL.search(fix.replace("’", "'")))


@lru_cache(maxsize=8_192)
def proposed(fix: str) -> str:
    """The fix with every clause that rejects a control taken out ("no need to add a review",
    "monitoring would not help"); empty when the fix denies the fault itself."""
    text = fix.replace("’", "'")
    if denies_the_fault(text):
        return ""
    clauses = _CLAUSE.split(text)
    kept = [c for c in clauses if not (_REJECTION.search(c) and _CONTROL_WORD.search(c))]
    if len(kept) == len(clauses):
        return fix
    return ". ".join(c.strip() for c in kept if c.strip())


def argued_against(fix: str) -> bool:
    """A fix with words that propose nothing once its rejections are taken out: its ticked fix
    type is not a proposal either."""
    return bool(fix.strip()) and not proposed(fix).strip()
