"""Where a query's words occur in one document's text: the places a document page marks.

The query is parsed by the search's own parser and the text read by the analyzer of the body
field its language is indexed in, and single words are found by the snippets' matcher
(``snippets._match_spans``): a word is marked on the page exactly when the index would count
it as a match for the query ("пыток" for "пытка", "tortured" for "torture"). Only the words
the query asks for in the text are marked: not field clauses (``article:3``), operators or
negated words. A phrase is marked as one stretch where its words follow each other (stop
words between them allowed, as the index skips them); the words of a proximity search
(``"a b"~5``) each where they stand close enough. Identifiers typed as printed (``41234/15``)
are marked where the text prints them whole.
"""

from __future__ import annotations

import fnmatch
import re
from collections.abc import Iterable
from dataclasses import dataclass

from whoosh.query import Phrase, Prefix, Term

from pipeline.search.language.analysis import TOKEN_PATTERN, body_field
from pipeline.search.language.query import asked_leaves, parse_search_query
from pipeline.search.snippets import _match_spans

__all__ = ["Wanted", "places", "wanted"]

_TOKEN = re.compile(TOKEN_PATTERN)


@dataclass(frozen=True)
class Wanted:
    """What a query asks of one body field: single analysed terms, phrases (analysed words,
    slop) and the identifiers it names as printed."""

    field: str
    terms: frozenset[str]
    phrases: tuple[tuple[tuple[str, ...], int], ...]
    patterns: tuple[str, ...]
    keys: tuple[str, ...]

    def __bool__(self) -> bool:
        return bool(self.terms or self.phrases or self.patterns or self.keys)


def wanted(query: str, schema, language: str | None, *, expand: bool = False) -> Wanted:
    """The words ``query`` asks for in documents of ``language``, as the index reads them.

    Raises ``QueryError`` for a query the search would refuse.

    >>> from pipeline.search.language.schema import get_schema
    >>> w = wanted('"police custody" tortured NOT beaten article:3', get_schema(), "en")
    >>> sorted(w.terms), w.phrases
    (['tortur'], ((('polic', 'custodi'), 1),))
    """
    field = body_field(language)
    parsed, keys, _ = parse_search_query(query, schema, allow_empty=True, expand=expand)
    terms: set[str] = set()
    phrases: list[tuple[tuple[str, ...], int]] = []
    patterns: list[str] = []

    for node in asked_leaves(parsed):
        if getattr(node, "fieldname", None) != field:
            continue
        if isinstance(node, Term):
            terms.add(_text(node.text))
        elif isinstance(node, Phrase):
            words = tuple(_text(w) for w in node.words if w)
            if len(words) == 1:
                terms.add(words[0])
            elif words and (words, node.slop) not in phrases:
                phrases.append((words, int(node.slop)))
        else:
            patterns.append(_text(node.text) + ("*" if isinstance(node, Prefix) else ""))
    return Wanted(field, frozenset(terms), tuple(phrases), tuple(dict.fromkeys(patterns)),
                  tuple(dict.fromkeys(k for k in keys if k)))


def places(text: str, want: Wanted, analyzer) -> list[tuple[int, int]]:
    """(start, end) of each place ``text`` holds what ``want`` asks for, in order and never
    overlapping (where two overlap, the earlier, then the longer, is kept).

    ``analyzer`` is the analyzer of ``want.field`` (the schema's).

    >>> from pipeline.search.language.schema import get_schema
    >>> schema = get_schema()
    >>> text = "The police in custody tortured him; police custody ended; torture-free."
    >>> w = wanted('"police custody" torture', schema, "en")
    >>> [text[s:e] for s, e in places(text, w, schema["body_en"].analyzer)]
    ['police in custody', 'tortured', 'police custody', 'torture']
    """
    if not want or not text:
        return []
    terms = set(want.terms)
    if want.patterns:
        terms |= _expanded(text, want.patterns, analyzer)
    phrase_words = {w for words, _ in want.phrases for w in words}
    found = sorted(_match_spans(text, frozenset(terms | phrase_words), analyzer)) \
        if terms or phrase_words else []
    spans = [(s, e) for s, e, t in found if t in terms]
    for words, slop in want.phrases:
        spans += _phrases(text, found, words, slop, analyzer)
    for key in want.keys:
        spans += [(m.start(), m.end()) for m in _key_pattern(key).finditer(text)]
    out: list[tuple[int, int]] = []
    for start, end in sorted(spans, key=lambda s: (s[0], -s[1])):
        if out and start < out[-1][1]:
            continue
        out.append((start, end))
    return out


def _phrases(text: str, found: list[tuple[int, int, str]], words: tuple[str, ...], slop: int,
             analyzer) -> list[tuple[int, int]]:
    """Where ``words`` follow each other in ``found`` (the matched words of the text, in
    order) with at most ``slop - 1`` indexed words between two of them. An exact phrase is one
    stretch; a proximity search marks its words one by one."""
    out: list[tuple[int, int]] = []
    for i, (start, end, term) in enumerate(found):
        if term != words[0]:
            continue
        chain = [(start, end)]
        j = i + 1
        for word in words[1:]:
            # Matched words between two of the phrase's are indexed words: at most slop - 1.
            last = min(len(found), j + slop)
            while j < last and found[j][2] != word:
                j += 1
            if j >= last or _between(text, chain[-1][1], found[j][0], analyzer, slop - 1):
                break
            chain.append((found[j][0], found[j][1]))
            j += 1
        else:
            if slop <= 1:
                out.append((chain[0][0], chain[-1][1]))
            else:
                out += chain
    return out


def _between(text: str, start: int, end: int, analyzer, most: int) -> bool:
    """Whether ``text[start:end]`` holds more than ``most`` indexed words (stop words do not
    count), reading only as far as it takes to know."""
    count = 0
    for match in _TOKEN.finditer(text, start, end):
        if any(True for _ in analyzer(match.group())):
            count += 1
            if count > most:
                return True
    return False


def _expanded(text: str, patterns: Iterable[str], analyzer) -> set[str]:
    """The text's own analysed words a wildcard or prefix stands for (the index would expand
    it to the same words among those of this document)."""
    own = {t.text for word in set(_TOKEN.findall(text)) for t in analyzer(word)}
    return {t for p in patterns for t in fnmatch.filter(own, p)}


def _key_pattern(key: str) -> re.Pattern:
    """An identifier as printed, whole: ``41234/15`` not inside ``141234/15`` or ``41234/150``."""
    return re.compile(rf"(?<![\w/-]){re.escape(key)}(?![\w/]|-\w)", re.IGNORECASE)


def _text(value: str | bytes) -> str:
    return value.decode("utf-8") if isinstance(value, bytes) else value
