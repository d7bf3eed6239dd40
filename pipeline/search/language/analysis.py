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

from whoosh.analysis import Filter, LowercaseFilter, RegexTokenizer, StopFilter, Token
from whoosh.analysis.analyzers import Analyzer
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

#: A lower-case Cyrillic letter: the word is Russian (lemmatised), not Latin (stemmed).
CYRILLIC = re.compile(r"[а-яё]")
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
    if not CYRILLIC.search(word):
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
            if not CYRILLIC.search(t.text):
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


@lru_cache(maxsize=None)
def _chain(kind: str):
    """The analyzer of ``kind`` as a Whoosh filter chain: the reference ``FastAnalyzer`` must
    match token for token (tests/test_search_analysis.py), and the path for unusual calls."""
    chain = _base() | RussianLemmaFilter()
    if kind == "en":
        chain = chain | LatinStemFilter(porter_stem)
    elif kind == "fr":
        chain = chain | LatinStemFilter(french_stem)
    return chain


_TOKEN = re.compile(TOKEN_PATTERN, re.UNICODE)
#: word as printed -> indexed term ("" for a stop word), per analyzer kind, per process.
_TERMS: dict[str, dict[str, str]] = {}
_TERMS_MAX = 500_000
#: kind -> (text, its terms): the last text a FastAnalyzer of that kind indexed, whole. Whoosh
#: indexes a document's fields in name order, body_en before pairs_en, and pairs_en gets the
#: same text object (``_fields`` in whoosh/engine.py), so it reads the terms here instead of
#: analysing the text again.
_LAST_TERMS: dict[str, tuple[str, list[str]]] = {}


def last_terms(kind: str, value: str) -> list[str] | None:
    """The terms ``FastAnalyzer(kind)`` last indexed, if it indexed this very text object."""
    last = _LAST_TERMS.get(kind)
    return last[1] if last is not None and last[0] is value else None


def _term(kind: str, word: str) -> str:
    text = word.lower()
    if "ё" in text:
        text = text.replace("ё", "е")
    if text in STOP_WORDS:
        return ""
    text = russian_lemma(text)
    if kind in ("en", "fr") and not CYRILLIC.search(text):
        text = _cached_stem(porter_stem if kind == "en" else french_stem)(text)
    return text


class KindAnalyzer(Analyzer):
    """An analyzer defined by its ``kind`` alone: only the kind is pickled into a Whoosh
    schema (the caches behind it are per process), and two are equal when their kinds are."""

    def __init__(self, kind: str):
        self.kind = kind

    def __eq__(self, other):
        return type(other) is type(self) and other.kind == self.kind

    def __getstate__(self):
        return {"kind": self.kind}

    def __setstate__(self, state):
        self.kind = state["kind"]


class FastAnalyzer(KindAnalyzer):
    """The filter chain of ``_chain(kind)`` fused into one loop with a per-word cache.

    Indexing spent most of its time passing each token through five generators (tokenizer,
    lowercase, ё, stop words, lemma/stem): Whoosh alone indexed 2.7 times faster than through
    our chain. Legal vocabulary repeats, so each distinct word is analysed once per process and
    a token costs a regex match and a dict lookup. Positions are renumbered over stop words as
    Whoosh's StopFilter does, so phrases and indexes are unchanged. Calls with options the fast
    loop does not cover (stop words kept, no tokenizing, originals kept) go to the chain.
    Only ``kind`` is pickled into a Whoosh schema; the caches are per process.
    """

    def _slow(self):
        return _chain(self.kind)

    def __call__(self, value, positions=False, chars=False, keeporiginal=False, removestops=True,
                 start_pos=0, start_char=0, tokenize=True, mode="", **kwargs):
        if not tokenize or not removestops or keeporiginal:
            yield from self._slow()(value, positions=positions, chars=chars,
                                    keeporiginal=keeporiginal, removestops=removestops,
                                    start_pos=start_pos, start_char=start_char,
                                    tokenize=tokenize, mode=mode, **kwargs)
            return
        cache = _TERMS.setdefault(self.kind, {})
        if len(cache) > _TERMS_MAX:
            cache.clear()
        kind = self.kind
        t = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        pos = None
        # Indexing keeps the terms for the pairs field that follows (whoosh/pairs.py).
        terms = [] if mode == "index" else None
        for i, match in enumerate(_TOKEN.finditer(value)):
            word = match.group(0)
            text = cache.get(word)
            if text is None:
                text = cache[word] = _term(kind, word)
            if not text:
                continue
            if terms is not None:
                terms.append(text)
            t.text = text
            t.boost = 1.0
            t.stopped = False
            if positions:
                pos = start_pos + i if pos is None else pos + 1
                t.pos = pos
            if chars:
                t.startchar = start_char + match.start()
                t.endchar = start_char + match.end()
            yield t
        if terms is not None:
            _LAST_TERMS[kind] = (value, terms)


def russian_analyzer():
    return FastAnalyzer("ru")


def english_analyzer():
    return FastAnalyzer("en")


def french_analyzer():
    return FastAnalyzer("fr")


def plain_analyzer():
    """For languages we do not stem (Ukrainian translations, Italian, ...); Russian quotes
    inside them are still lemmatised."""
    return FastAnalyzer("xx")


def mixed_analyzer():
    """Titles and court names: Russian lemmas for Cyrillic words, nothing else changed."""
    return FastAnalyzer("mixed")


#: Which body field a document's language goes to.
BODY_FIELDS = {"ru": "body_ru", "en": "body_en", "fr": "body_fr"}
OTHER_BODY = "body_xx"


def body_field(language: str | None) -> str:
    return BODY_FIELDS.get(language or "", OTHER_BODY)
