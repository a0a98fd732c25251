"""One sentence frame filled with keyword after keyword states none of them (#17): the sentences
whose words, once the cue words and figures are out, are the same, around FRAME_REPEATS different
keywords or more, are stuffing; a note that uses a pattern twice, or says one sentence again, keeps
its claims."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from grading.explain_match import FRAME_REPEATS, cue_vocabulary, units
from grading.text import stems

from .conftest import explain_exercise

EXERCISE = explain_exercise()
CUES = sorted({alt for p in EXERCISE.key_points for group in p.cues for alt in group if alt.isalpha()})
FRAME = ["This note covers {c}.", "We looked closely at {c} this month.", "{C} matters to the whole team."]


@given(
    st.sampled_from(FRAME),
    st.lists(st.sampled_from(CUES), min_size=FRAME_REPEATS, max_size=8, unique_by=lambda k: tuple(stems(k))),
)
def test_a_frame_filled_with_keywords_yields_no_sentences(frame: str, keywords: list[str]) -> None:
    text = " ".join(frame.format(c=k, C=k[:1].upper() + k[1:]) for k in keywords)
    assert units(text, cue_vocabulary(EXERCISE)) == []


@given(st.sampled_from(FRAME), st.lists(st.sampled_from(CUES), min_size=2, max_size=2, unique=True))
def test_a_pattern_used_fewer_times_keeps_its_sentences(frame: str, keywords: list[str]) -> None:
    text = " ".join(frame.format(c=k, C=k[:1].upper() + k[1:]) for k in keywords)
    text += " Refunds over $100 now wait for a team lead, who checks the order first."
    assert len(units(text, cue_vocabulary(EXERCISE))) == len(keywords) + 1


def test_one_sentence_said_again_is_repetition_not_stuffing() -> None:
    verdict = "I think that is the wrong call, and we should not do it."
    assert len(units(" ".join([verdict] * (FRAME_REPEATS + 1)), cue_vocabulary(EXERCISE))) == FRAME_REPEATS + 1
