"""Reading levels are measured with the Flesch–Kincaid formula, offline; expected figures are worked by hand."""

from __future__ import annotations

import pytest

from ccm_scorm.content_facts import reading_grade


def test_flesch_kincaid_worked_by_hand():
    # 13 words, 2 sentences, 15 syllables ("everyone" has 3):
    # 0.39 × 13/2 + 11.8 × 15/13 − 15.59 = 0.56
    assert reading_grade("The cat sat on the mat. It was a good day for everyone.") == pytest.approx(0.6)


def test_a_line_break_does_not_end_a_sentence():
    # As in textstat, only . ! ? end sentences: "Key point" joins the first sentence.
    # 15 words, 2 sentences, 17 syllables ("key" and "point" have one each):
    # 0.39 × 15/2 + 11.8 × 17/15 − 15.59 = 2.925 + 13.373 − 15.59 = 0.708
    text = "Key point\nThe cat sat on the mat. It was a good day for everyone."
    assert reading_grade(text) == pytest.approx(0.7)


def test_fragments_of_two_words_or_fewer_are_not_counted_as_sentences():
    # "Key point." is a fragment: 15 words over 2 sentences, 17 syllables, so 0.708 as above.
    # Counted as a third sentence it would give 0.39 × 15/3 + 13.373 − 15.59 = −0.267.
    text = "Key point. The cat sat on the mat. It was a good day for everyone."
    assert reading_grade(text) == pytest.approx(0.7)


def test_longer_words_and_sentences_read_harder():
    easy = "We talk. We listen. We help people."
    hard = (
        "Coordinated care necessitates comprehensive multidisciplinary communication "
        "between organisations, practitioners and individuals experiencing complicated circumstances."
    )
    assert reading_grade(hard) > reading_grade(easy) + 10


def test_no_words_scores_zero():
    assert reading_grade("") == 0.0
    assert reading_grade("!!! ...") == 0.0
