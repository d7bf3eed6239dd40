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
