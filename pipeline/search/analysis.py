"""Whoosh analyzers for Russian, English and French bodies, and a mixed one for titles.

Every field shares one stop list (the small function words of all three languages, without
negations such as "not", "не", "pas" that carry legal meaning). Sharing it matters: the query is
run against every body field at once, and a word dropped in one field but kept in another would
make "the torture" find nothing in English documents.

Russian uses pymorphy3 lemmas, not a Snowball stem: the stemmer leaves "пыток" (genitive plural,
fleeting vowel) apart from "пытка"/"пытки", which a lawyer would never accept. Lemmas are cached
per process, since legal vocabulary is small and repetitive.

Cyrillic words are lemmatised in every field, not only in Russian documents: English and French
judgments against Russia quote Russian names ("Комитет против пыток"), and "пытка" must find them.
Stemmers touch Latin-script words only.

Single characters are kept ("Article 3", "ч. 3"): Whoosh drops them by default.
"""

from __future__ import annotations

import re
from functools import lru_cache

from whoosh.analysis import Filter, LowercaseFilter, RegexTokenizer, StopFilter
from whoosh.lang.snowball import FrenchStemmer
from whoosh.lang.porter import stem as porter_stem

STOP_WORDS = frozenset(
    # English (Whoosh's list, without "not")
    "a an and are as at be by can for from have if in is it may of on or that the this to us we "
    "when will with yet you your "
    # French
    "le la les l de des du d un une et à au aux en est que qu qui dans pour par sur ce cette "
    "il elle ils se s sa son ses leur leurs y "
    # Russian
    "и в во на с со к ко о об от по за из у а но же ли бы что это как для до при его ее её их "
    "он она они оно".split()
)

_CYRILLIC = re.compile(r"[а-яё]")
TOKEN_PATTERN = r"\w+(?:[.'’]\w+)*"


@lru_cache(maxsize=1)
def _morph():
    import pymorphy3

    return pymorphy3.MorphAnalyzer(lang="ru")


@lru_cache(maxsize=200_000)
def russian_lemma(word: str) -> str:
    """The dictionary form of a lower-case Russian word; other words come back unchanged.

    >>> [russian_lemma(w) for w in ("пыток", "пытки", "пыткой", "torture")]
    ['пытка', 'пытка', 'пытка', 'torture']
    """
    if not _CYRILLIC.search(word):
        return word
    return _morph().parse(word)[0].normal_form.replace("ё", "е")


class YoFilter(Filter):
    """"ё" and "е" are the same letter in legal texts (most print "е")."""

    def __call__(self, tokens):
        for t in tokens:
            if "ё" in t.text:
                t.text = t.text.replace("ё", "е")
            yield t


class RussianLemmaFilter(Filter):
    """Replace each Cyrillic token by its pymorphy3 lemma (Latin tokens pass through)."""

    def __call__(self, tokens):
        for t in tokens:
            t.text = russian_lemma(t.text)
            yield t


class LatinStemFilter(Filter):
    """Apply a Snowball/Porter stemmer to Latin-script tokens only, with a per-process cache."""

    def __init__(self, stemfn):
        self.stemfn = stemfn

    def __call__(self, tokens):
        stem = _cached_stem(self.stemfn)
        for t in tokens:
            if not _CYRILLIC.search(t.text):
                t.text = stem(t.text)
            yield t


_STEM_CACHES: dict = {}


def _cached_stem(stemfn):
    cached = _STEM_CACHES.get(stemfn)
    if cached is None:
        cached = _STEM_CACHES[stemfn] = lru_cache(maxsize=100_000)(stemfn)
    return cached


def french_stem(word: str) -> str:
    return _french_stemmer().stem(word)


@lru_cache(maxsize=1)
def _french_stemmer():
    return FrenchStemmer()


def _base():
    return (RegexTokenizer(TOKEN_PATTERN) | LowercaseFilter() | YoFilter()
            | StopFilter(stoplist=STOP_WORDS, minsize=1))


def russian_analyzer():
    return _base() | RussianLemmaFilter()


def english_analyzer():
    return _base() | RussianLemmaFilter() | LatinStemFilter(porter_stem)


def french_analyzer():
    return _base() | RussianLemmaFilter() | LatinStemFilter(french_stem)


def plain_analyzer():
    """For languages we do not stem (Ukrainian translations, Italian, ...); Russian quotes
    inside them are still lemmatised."""
    return _base() | RussianLemmaFilter()


def mixed_analyzer():
    """Titles and court names: Russian lemmas for Cyrillic words, nothing else changed."""
    return _base() | RussianLemmaFilter()


#: Which body field a document's language goes to.
BODY_FIELDS = {"ru": "body_ru", "en": "body_en", "fr": "body_fr"}
OTHER_BODY = "body_xx"


def body_field(language: str | None) -> str:
    return BODY_FIELDS.get(language or "", OTHER_BODY)
