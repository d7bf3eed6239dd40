"""Word pairs of common terms, so that phrases of common words need no positions (Whoosh).

A phrase such as "the applicant complained" is checked by reading the positions of its words in
every document holding them all: at 10,000 judgments, most of them, with "applicant" hundreds of
times in each. Whoosh stores each document's positions as a small pickle, so the check cost a
third of a second however it was written (``phrases.py``). The remedy is Lucene's
CommonGrams, narrowed: each body field has a twin, ``pairs_*``, holding two adjacent terms of the
text as one term ("applic complain") when **both** are common terms of that language. A two-word
phrase of common words is then one posting list, a longer one is first narrowed to the documents
holding its pairs, and positions are read only there.

Why both and not, as Lucene, either: a phrase is costly only when all its words are in most
documents (one rare word leaves few documents to check), and pairs are not free in Whoosh. With
"either" and 150 common terms, a 10,000-judgment rebuild took 2.7 times as long and the index
grew by half (every common word pairs with each neighbour); with "both" and 100 terms, the pairs
are about 0.3 of the terms' postings (measured on real judgments).

What is kept: the twin has no positions, frequencies or lengths (``Existence``), so scores are
unchanged (a phrase still scores as the sum of its words, from the body field), as are the
body fields, their terms and every other query. Adjacent means adjacent in the analysed stream,
whose positions are renumbered over stop words: exactly what a phrase of slop 1 matches.

The common terms are a fixed list per language (``common_terms.txt``, made by
tools/common_terms.py from the real judgments): the index records pairs as it is written, so
every index and every later batch must follow the same rule. Changing the list or the rule is a
layout change (``engine.LAYOUT_VERSION``). tantivy reads positions fast enough and does
not use this.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from whoosh import formats
from whoosh.analysis import Token
from whoosh.fields import FieldType

from pipeline.search.language.analysis import FastAnalyzer, KindAnalyzer, last_terms

__all__ = ["PAIR_FIELDS", "PairsAnalyzer", "common_terms", "pair_term", "paired", "pairs_field"]

#: body field -> (its pairs field, its analyzer kind)
PAIR_FIELDS = {
    "body_ru": ("pairs_ru", "ru"),
    "body_en": ("pairs_en", "en"),
    "body_fr": ("pairs_fr", "fr"),
    "body_xx": ("pairs_xx", "xx"),
}

_COMMON_FILE = Path(__file__).with_name("common_terms.txt")


@lru_cache(maxsize=None)
def common_terms(kind: str) -> frozenset[str]:
    """The common terms of one analyzer kind (lines ``kind<TAB>term`` of common_terms.txt)."""
    terms = set()
    for line in _COMMON_FILE.read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            line_kind, _, term = line.partition("\t")
            if line_kind == kind and term:
                terms.add(term)
    return frozenset(terms)


def pair_term(first: str, second: str) -> str:
    """The pairs field's term for two adjacent terms (no analysed term holds a space)."""
    return f"{first} {second}"


def paired(kind: str, first: str, second: str) -> bool:
    """Whether the index records ``first second`` as a pair when they are adjacent."""
    common = common_terms(kind)
    return first in common and second in common


class PairsAnalyzer(KindAnalyzer):
    """The body analyzer's terms of ``kind``, as the pairs of adjacent terms ``paired`` keeps."""

    def __call__(self, value, mode="", **kwargs):
        common = common_terms(self.kind)
        token = Token(mode=mode)
        previous = ""
        # At indexing, the body field was analysed just before (same text object): reuse its
        # terms. Analysing the text again made body + pairs cost 1.6 times the body alone
        # (245 English judgments: 8.2 s against 5.0 s CPU); reusing them costs about nothing.
        terms = last_terms(self.kind, value)
        if terms is None:
            terms = (t.text for t in FastAnalyzer(self.kind)(value, mode=mode))
        for text in terms:
            if previous in common and text in common:
                token.text = f"{previous} {text}"
                token.boost = 1.0
                token.stopped = False
                yield token
            previous = text


def pairs_field(kind: str) -> FieldType:
    """A field of pairs: which documents hold each pair, nothing more."""
    return FieldType(formats.Existence(), PairsAnalyzer(kind), scorable=False, stored=False)
