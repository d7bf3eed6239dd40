"""Legal concepts in Russian, English and French, and where a query names one.

The thesaurus is data (``thesaurus.tsv`` beside this module, its sources in ``thesaurus.md``):
one concept a row, each language's terms in the wording of the Court's keywords, the
Convention's official texts and the Russian codes. A query word or run of words that is a term
of a concept, in any of the three languages, is searched with the concept's terms in the other
languages too (``query.parse_search_query``), so ``пытки`` finds English judgments on torture.

Terms are compared as the index compares words: each language's term through that language's
body analyzer (English and French stems, Russian lemmas), the query's words through all three.
So ``пыток`` and ``tortured`` name the concept, while ``попытка`` or ``Romania``, which only
contain a term, do not. A multiword term matches only as consecutive words of the query, and
is searched as a phrase.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from pipeline.errors import PipelineError
from pipeline.search.base import Expansion
from pipeline.search.language.analysis import CYRILLIC, TOKEN_PATTERN, FastAnalyzer

__all__ = ["LANGUAGES", "MAX_ADDED", "MAX_PER_MATCH", "Concept", "Match", "Thesaurus",
           "ThesaurusError", "default_thesaurus"]

#: The thesaurus's languages, in the order their terms are added and shown.
LANGUAGES = ("en", "fr", "ru")
#: Terms one query may gain in all: each is a posting list (a phrase, several) to read.
MAX_ADDED = 24
#: Terms one matched concept may add: the first of each language first, then the second...
MAX_PER_MATCH = 8
#: The longest term, in indexed words: a longer run of query words is matched piece by piece.
MAX_TERM_WORDS = 12

PATH = Path(__file__).with_name("thesaurus.tsv")
_SEPARATOR = " | "
_TOKEN = re.compile(TOKEN_PATTERN)
# A query word the thesaurus may read: letters, digits and the punctuation inside or after a
# word ("ill-treatment", "l'homme", "torture,"). Anything else (wildcards, "~", "^", a colon of
# a field Whoosh reads, a quote) is syntax with its own meaning, and ends a run of words.
_PLAIN = re.compile(r"\w[\w'’\-.]*[,;!]*")
_OPERATORS = frozenset({"AND", "OR", "NOT", "ANDNOT", "ANDMAYBE"})


class ThesaurusError(PipelineError):
    """The thesaurus file is malformed."""


@dataclass(frozen=True)
class Concept:
    """One legal concept: its id, the Convention articles (HUDOC codes) or code provisions it
    belongs to, and its terms per language, the preferred one first."""

    id: str
    articles: tuple[str, ...]
    terms: dict[str, tuple[str, ...]] = field(hash=False, compare=False)


@dataclass(frozen=True)
class Match:
    """Query words ``text[start:end]`` that are a term of ``concepts``; ``keys`` are those
    words as each language's analyzer indexes them."""

    start: int
    end: int
    concepts: tuple[Concept, ...]
    keys: dict[str, tuple[str, ...]] = field(hash=False, compare=False)


def analysed(language: str, text: str) -> tuple[str, ...]:
    """``text`` as the body field of ``language`` indexes it (stop words left out)."""
    return tuple(t.text for t in FastAnalyzer(language)(text))


@dataclass
class _Word:
    start: int
    end: int
    run: int  # words of one run follow each other in the query, with nothing between
    keys: dict[str, str]


class Thesaurus:
    """The concepts, indexed by the analysed form of their terms in each language."""

    def __init__(self, concepts: Iterable[Concept]):
        self.concepts = list(concepts)
        self._index: dict[str, dict[tuple[str, ...], list[Concept]]] = {}

    @classmethod
    def load(cls, path: Path = PATH) -> Thesaurus:
        return cls(read_concepts(path.read_text(encoding="utf-8"), str(path)))

    def index(self, language: str) -> dict[tuple[str, ...], list[Concept]]:
        """Analysed term -> the concepts having it, for one language, built on first use (the
        Russian terms only for a query with Cyrillic words)."""
        found = self._index.get(language)
        if found is None:
            found = {}
            for concept in self.concepts:
                for term in concept.terms[language]:
                    for form in apostrophes(term):
                        key = analysed(language, form)
                        if key and concept not in found.setdefault(key, []):
                            found[key].append(concept)
            self._index[language] = found
        return found

    def find(self, text: str) -> list[Match]:
        """The concept terms among the words of ``text`` (query text outside phrases and
        fields), longest first, left to right, not overlapping."""
        words = _words(text)
        if not words:
            return []
        languages = [lang for lang in LANGUAGES
                     if lang != "ru" or any(CYRILLIC.search(text[w.start:w.end].lower())
                                            for w in words)]
        indexes = {lang: self.index(lang) for lang in languages}
        longest = {lang: max((len(k) for k in indexes[lang]), default=0) for lang in languages}
        matches: list[Match] = []
        i = 0
        while i < len(words):
            best = 0
            concepts: list[Concept] = []
            for lang in languages:
                for n in range(min(longest[lang], MAX_TERM_WORDS, len(words) - i), 0, -1):
                    if n < best:
                        break
                    span = words[i:i + n]
                    if span[-1].run != span[0].run:
                        continue
                    found = indexes[lang].get(tuple(w.keys[lang] for w in span))
                    if found:
                        if n > best:
                            best, concepts = n, []
                        concepts += [c for c in found if c not in concepts]
                        break
            if best:
                span = words[i:i + best]
                matches.append(Match(span[0].start, span[-1].end, tuple(concepts),
                                     {lang: tuple(w.keys[lang] for w in span)
                                      for lang in LANGUAGES}))
                i += best
            else:
                i += 1
        return matches

    def additions(self, match: Match, typed: str, budget: int) -> list[Expansion]:
        """The terms ``match`` adds to the query, at most ``budget`` and ``MAX_PER_MATCH``:
        the concepts' terms in each language, each analysed form once, except those holding
        all the typed words as that language's field indexes them (typed words search every
        field: ``torture`` needs no French ``torture``, ``police`` no ``police officers``)."""
        seen: set[tuple[str, tuple[str, ...]]] = set()
        queues: dict[str, list[tuple[str, Concept]]] = {lang: [] for lang in LANGUAGES}
        for concept in match.concepts:
            for lang in LANGUAGES:
                for term in concept.terms[lang]:
                    key = (lang, analysed(lang, term))
                    # The typed words are searched in every field, ANDed: a term holding all
                    # of them in its language finds nothing they do not find already.
                    typed_words = set(match.keys[lang])
                    if key not in seen and not any(typed_words <= set(analysed(lang, form))
                                                   for form in apostrophes(term)):
                        seen.add(key)
                        queues[lang].append((term, concept))
        added: list[Expansion] = []
        limit = min(budget, MAX_PER_MATCH)
        depth = 0
        while len(added) < limit and any(len(q) > depth for q in queues.values()):
            for lang in LANGUAGES:
                if depth < len(queues[lang]) and len(added) < limit:
                    term, concept = queues[lang][depth]
                    added.append(Expansion(term=term, language=lang, concept=concept.id,
                                           matched=typed))
            depth += 1
        return added


def apostrophes(term: str) -> list[str]:
    """``term`` with each apostrophe as typed (') and as the Court's texts mostly print it (’):
    the analyzers keep "l’instruction" and "l'instruction" apart, and HUDOC's French texts use
    both (about four in five with ’)."""
    if "'" not in term and "’" not in term:
        return [term]
    return [term.replace("’", "'"), term.replace("'", "’")]


def _words(text: str) -> list[_Word]:
    """The words of ``text`` the thesaurus may match, with their analysed forms; a bracket,
    an operator or a piece of syntax between two words puts them in different runs."""
    words: list[_Word] = []
    run, last = 0, 0
    for chunk in re.finditer(r"[^\s()]+", text):
        piece = chunk.group(0)
        if "(" in text[last:chunk.start()] or ")" in text[last:chunk.start()]:
            run += 1
        last = chunk.end()
        if piece in _OPERATORS or not _PLAIN.fullmatch(piece):
            run += 1
            continue
        for token in _TOKEN.finditer(piece):
            keys = {lang: _key(lang, token.group(0)) for lang in LANGUAGES}
            if not keys["en"]:
                continue  # a stop word (one list for all fields): skipped, as the index does
            words.append(_Word(chunk.start() + token.start(), chunk.start() + token.end(),
                               run, keys))
    return words


def _key(language: str, word: str) -> str:
    terms = analysed(language, word)
    return " ".join(terms)


def read_concepts(text: str, source: str = "thesaurus") -> list[Concept]:
    """Concepts from the TSV text (``id``, ``article``, ``en``, ``fr``, ``ru``; ``#`` starts
    a comment line); a ThesaurusError names the line of any row it cannot take whole."""
    concepts: list[Concept] = []
    header: list[str] | None = None
    ids: set[str] = set()
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        cells = line.split("\t")
        if header is None:
            header = cells
            if header != ["id", "article", *LANGUAGES]:
                raise ThesaurusError(f"{source}:{number}: the header must be "
                                     f"id, article, {', '.join(LANGUAGES)}")
            continue
        if len(cells) != len(header):
            raise ThesaurusError(f"{source}:{number}: {len(cells)} columns, not {len(header)}")
        row = dict(zip(header, cells))
        if not re.fullmatch(r"[a-z0-9_]+", row["id"]) or row["id"] in ids:
            raise ThesaurusError(f"{source}:{number}: bad or repeated id {row['id']!r}")
        ids.add(row["id"])
        terms = {}
        for lang in LANGUAGES:
            found = tuple(t.strip() for t in row[lang].split(_SEPARATOR.strip()) if t.strip())
            if not found:
                raise ThesaurusError(f"{source}:{number}: no {lang} term")
            if any('"' in t for t in found):
                raise ThesaurusError(f"{source}:{number}: a term holds a double quote")
            terms[lang] = found
        concepts.append(Concept(row["id"], tuple(row["article"].split()), terms))
    if header is None:
        raise ThesaurusError(f"{source}: no header")
    return concepts


@lru_cache(maxsize=1)
def default_thesaurus() -> Thesaurus:
    """The thesaurus shipped with the package, read once per process."""
    return Thesaurus.load()
