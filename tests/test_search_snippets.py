"""Snippet matching: the words marked are the words the analyzer indexed, whatever their form."""

from __future__ import annotations

import pytest

from pipeline.search.language.analysis import (english_analyzer, french_analyzer,
                                               russian_analyzer)
from pipeline.search.snippets import _match_spans, make_snippet


@pytest.mark.parametrize(
    ("text", "terms", "analyzer", "marked"),
    [
        ("He was tortured; torture is banned.", {"tortur"}, english_analyzer, ["tortured", "torture"]),
        ("ill-treatment in custody", {"ill", "treatment"}, english_analyzer, ["ill", "treatment"]),
        # a word inside a longer token ("U.S.") is not that token
        ("the U.S.A authorities and usa", {"usa"}, english_analyzer, ["usa"]),
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


def test_forms_are_remembered_per_analyzer_kind() -> None:
    """"traitements" is "traitement" to the English analyzer and "trait" to the French one: a
    form remembered for one must not be used for the other."""
    text = "des traitements inhumains"
    assert [t for _, _, t in _match_spans(text, frozenset({"traitement"}), english_analyzer())] == ["traitement"]
    assert [t for _, _, t in _match_spans(text, frozenset({"trait"}), french_analyzer())] == ["trait"]


def test_latin_terms_start_with_the_words_first_letter(sample_index) -> None:
    """The snippet finder skips Latin-script words whose first letter starts no query term;
    that holds only if every analyzer keeps a Latin word's first letter. Checked on every
    distinct word of the sample corpus, in every analyzer."""
    import re

    from pipeline.catalogue import Catalogue
    from pipeline.search.language.analysis import TOKEN_PATTERN, _term
    from pipeline.search.snippets import _probes

    catalogue = Catalogue.open(sample_index, readonly=True)
    try:
        words = {w for doc in catalogue.iter_documents() for w in re.findall(TOKEN_PATTERN, doc.text)}
    finally:
        catalogue.close()
    words |= {"Œuvre", "İstanbul", "Yearly", "y'all", "ÉTATS", "dying", "skis", "d'une", "l'État"}
    latin = [w for w in words if not re.search("[а-яё]", w.lower())]
    assert len(latin) > 1000
    for kind in ("en", "fr", "ru", "xx"):
        for word in latin:
            term = _term(kind, word)
            assert not term or term[0] == word.lower()[0], (kind, word, term)
            # and ``_match_latin`` finds it by one of its term's two-letter probes
            assert not term or any(word.replace("İ", "i").lower().startswith(p)
                                   for p in _probes(frozenset({term}))), (kind, word, term)


@pytest.mark.parametrize("terms", [
    {"regl", "détent"}, {"i̇stanbul"}, {"usa"}, {"applic", "complain"}, {"3", "articl"},
    {"s"}, {"stat", "état"}, {"d"}, {"tortur", "x_y"},
])
@pytest.mark.parametrize("analyzer", [english_analyzer, french_analyzer])
def test_the_latin_path_marks_what_the_general_one_marks(terms, analyzer) -> None:
    """``_match_latin`` (str.find on two-letter probes) and ``_match_any`` (a regular
    expression over every token) mark the same words, near-misses included: a probe inside a
    word or after "U." or "l'", accents the stem drops, a Turkish dotted İ before and after."""
    from pipeline.search.snippets import _match_any, _match_latin

    text = ("İstanbul: the Applicant's appeal, l'État d'Azerbaïdjan, les règlements, ÉTATS-Unis, "
            "détention, 3.5 3rd Article 3 v. the U.S.A and usa; x_y _x a.b.c Apple’s e-mail, "
            "reglement, complained; complaints. Bureaus s d d'une État")
    frozen = frozenset(terms)
    lowered = text.replace("İ", "i").lower()
    assert len(lowered) == len(text)
    general = _match_any(text, frozen, analyzer(), {})
    assert _match_latin(text, lowered, frozen, analyzer(), {}) == general
    assert _match_spans(text, frozen, analyzer()) == general


@pytest.mark.parametrize("initials", ["a", "ap", "3v", "é", "ил", "x_"])
def test_candidate_words_are_every_token_the_initials_allow(initials) -> None:
    """The snippet finder's first pass (``_candidates``) keeps every token whose first letter,
    lower-cased, is one of the initials, and every token starting with a non-ASCII letter."""
    import re

    from pipeline.search.language.analysis import TOKEN_PATTERN
    from pipeline.search.snippets import _candidates

    text = ("The Applicant's appeal, l'État d'Azerbaïdjan, ÉTATS-Unis, 3.5 3rd v. Volkov; "
            "Иванов и Ильин; İstanbul x_y _x a.b.c Apple’s e-mail appellant.")
    tokens = re.findall(TOKEN_PATTERN, text)
    expected = {t for t in tokens if t.lower()[0] in initials or not t[0].isascii()}
    assert expected <= set(_candidates(frozenset(initials)).findall(text)) <= set(tokens)
