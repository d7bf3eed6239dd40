"""Snippet matching: the words marked are the words the analyzer indexed, whatever their form."""

from __future__ import annotations

import pytest

from pipeline.search.analysis import english_analyzer, russian_analyzer
from pipeline.search.snippets import _match_spans, make_snippet


@pytest.mark.parametrize(
    ("text", "terms", "analyzer", "marked"),
    [
        ("He was tortured; torture is banned.", {"tortur"}, english_analyzer, ["tortured", "torture"]),
        ("ill-treatment in custody", {"ill", "treatment"}, english_analyzer, ["ill", "treatment"]),
        # a word inside a longer token ("U.S.") is not that token
        ("the U.S authorities and us", {"us"}, english_analyzer, ["us"]),
        ("Суд установил применение пыток; пытка доказана.", {"пытка"}, russian_analyzer,
         ["пыток", "пытка"]),
        ("Ёлкин и Елкин", {"елкин"}, russian_analyzer, ["Ёлкин", "Елкин"]),
        ("nothing here", {"tortur"}, english_analyzer, []),
    ],
)
def test_matched_words(text, terms, analyzer, marked) -> None:
    spans = _match_spans(text, frozenset(terms), analyzer())
    assert [text[s:e] for s, e, _ in spans] == marked


def test_the_passage_with_most_distinct_terms_wins_and_ties_go_to_the_first() -> None:
    text = ("police " + "x " * 200 + "police custody " + "y " * 200 + "police custody")
    snippet, anchor = make_snippet(text, {"polic", "custodi"}, english_analyzer(), [],
                                   with_anchor=True)
    assert snippet.marked().count("**") == 4
    assert anchor == text.index("police custody")  # the first of the two equal passages


@pytest.mark.parametrize(("text", "expected"), [
    # the terms meet only far past the first part read: found at the end
    ("police " + "filler " * 5000 + "police custody", "police custody"),
    # they meet in the first part, and again later with more repeats: the first meeting is kept
    ("police custody " + "filler " * 5000 + "police custody police custody", "police custody"),
    # one term only, far in: found
    ("filler " * 5000 + "custody", "custody"),
])
def test_long_texts_are_read_until_the_terms_meet(text, expected) -> None:
    snippet, anchor = make_snippet(text, {"polic", "custodi"} if "police" in expected else {"custodi"},
                                   english_analyzer(), [], with_anchor=True)
    assert anchor == (text.index(expected) if text.startswith("police custody") else text.rindex(expected))
    assert snippet.marked().count("**") >= 2
