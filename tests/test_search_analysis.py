"""The fused analyzer gives exactly the tokens of the reference filter chain.

FastAnalyzer replaces a five-generator Whoosh chain for speed; an index is only as good as its
terms, so every kind is compared token by token (term, position, characters) with the chain on
the sample corpus and on awkward strings.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.search.language.analysis import FastAnalyzer, _chain

ROOT = Path(__file__).resolve().parent.parent
KINDS = ["ru", "en", "fr", "xx", "mixed"]
AWKWARD = [
    "", "   ", "The the THE a an", "Ёлкин и ЕЛКИН ёж", "пыток пытки ПЫТКОЙ torture tortured",
    "U.S. l'applicant aujourd’hui o'clock 12345/06 1-123/2020 ч. 3 ст. 286 УК РФ",
    "ill-treatment Нет-пыткам 3a b2 _x_ Ω ß straße ǅ", "не not pas и в", "x" * 300,
    "Комитет против пыток v. Russia, § 135, 26 January 2006",
]


def _texts() -> list[str]:
    sample = sorted((ROOT / "tools" / "samples").glob("*.txt"))
    return AWKWARD + [p.read_text(encoding="utf-8")[:20_000] for p in sample]


def _tokens(analyzer, text: str, **kwargs) -> list[tuple]:
    return [(t.text, getattr(t, "pos", None), getattr(t, "startchar", None),
             getattr(t, "endchar", None), t.stopped)
            for t in analyzer(text, **kwargs)]


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("kwargs", [
    {}, {"positions": True}, {"positions": True, "chars": True},
    {"positions": True, "chars": True, "mode": "query"},
    {"positions": True, "start_pos": 5, "start_char": 7, "chars": True},
    {"removestops": False, "positions": True},
    {"tokenize": False},
], ids=["plain", "positions", "chars", "query", "offsets", "keep-stops", "no-tokenize"])
def test_fast_analyzer_equals_the_chain(kind: str, kwargs: dict) -> None:
    fast, chain = FastAnalyzer(kind), _chain(kind)
    for text in _texts():
        assert _tokens(fast, text, **kwargs) == _tokens(chain, text, **kwargs), text[:60]


def test_fast_analyzer_pickles_without_its_cache() -> None:
    import pickle

    analyzer = FastAnalyzer("ru")
    list(analyzer("пытки"))
    again = pickle.loads(pickle.dumps(analyzer))
    assert again == analyzer and [t.text for t in again("пыток")] == ["пытка"]
