"""Did you mean: spellings of a query that finds (almost) nothing, from the index's own words.

When a query matches fewer than ``FEW`` documents, each of its plain words that the index does
not hold in any text field is looked up among the indexed terms of the body fields of its
script (Russian for Cyrillic, English and French for Latin) and the titles, within one or two
edits and with the same first letter, as spelling correctors do (most typos spare the first
letter, and it keeps the lookup to a slice of the vocabulary). Each engine finds those terms
with its own means (``Vocabulary``): Whoosh's corrector, tantivy's term dictionary.

Why the words come back from documents: the body fields hold stems ("tortur", "détent") and
lemmas ("пытка"), which a person cannot type or would not have typed. A term found is turned
into the printed word nearest to what was typed, read from a few documents holding it
("tortur" -> "torture"; "пытка" -> "пытки" for "пыьки"); a stem no document prints in a
readable form is dropped rather than shown.

What is never corrected: a word the index holds, even in one document (a rare correct word is
a word; "a word the index does not know" is the only safe sign of a typo), quoted phrases,
field clauses, identifiers and code provisions (``query.word_spans``), operators, wildcards,
words with digits and words shorter than ``MIN_LETTERS``. The query typed is always the one
run: a suggestion is offered with its own hit count (same filters), and only when it finds more.
"""

from __future__ import annotations

import itertools
import re
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Protocol

from whoosh.support.levenshtein import damerau_levenshtein

from pipeline.search.base import Suggestion
from pipeline.search.language.analysis import CYRILLIC, TOKEN_PATTERN
from pipeline.search.language.query import word_spans
from pipeline.search.language.schema import TEXT_FIELDS, get_schema

__all__ = ["FEW", "Vocabulary", "suggest"]

#: A query matching fewer documents than this gets suggestions.
FEW = 3
#: Shorter words are left alone: "art", "act" and "arm" are one edit apart, and so is most of
#: a short word's neighbourhood.
MIN_LETTERS = 4
#: Words up to this long are corrected by one edit, longer ones by two.
ONE_EDIT_UP_TO = 5
#: Latin words this long are also looked up by their beginning (``_lookups``).
LONG_WORD = 8
#: Where a word of each script is looked up (titles give names: "Ivanof" -> "Ivanov").
FIELDS = {"cyrillic": ("body_ru", "title"), "latin": ("body_en", "body_fr", "title")}
#: Indexed terms kept per word and field (nearest, then most frequent), and printed words kept
#: per query word.
TERMS_PER_FIELD = 5
ALTERNATIVES = 3
#: Documents read to find how a term is printed.
HOLDERS = 2
#: Characters of each read where printed words are looked for (the documents holding a term
#: most are read, so it is seldom far in).
READ_CHARS = 60_000
#: Spellings of the whole query counted (each is one search), and offered.
COUNTED = 3
OFFERED = 3
#: A spelling is offered beside a better one only if it finds at least a tenth as much.
SHARE_OF_BEST = 10
#: Characters before and after a word that make it syntax, not a word to correct: a field or
#: wildcard, a range, a boost or a proximity.
_SYNTAX = set(":*?[]{}~^\"'")
_OPERATORS = {"AND", "OR", "NOT", "ANDNOT", "ANDMAYBE", "TO"}
_WORD = re.compile(TOKEN_PATTERN)


class Vocabulary(Protocol):
    """What a spelling corrector asks of an engine's index."""

    def frequency(self, field: str, term: str) -> int:
        """Documents whose ``field`` holds ``term``."""
        ...

    def near(self, field: str, term: str, maxdist: int) -> Iterable[str]:
        """Indexed terms of ``field`` within ``maxdist`` edits of ``term`` sharing its first
        letter (a superset is fine: distances are checked again here)."""
        ...

    def holders(self, field: str, term: str, limit: int) -> list[str]:
        """Ids of up to ``limit`` documents whose ``field`` holds ``term``."""
        ...


@dataclass(frozen=True)
class _Word:
    start: int
    end: int
    text: str


@dataclass(frozen=True)
class _Alternative:
    word: str
    edits: int
    documents: int


def suggest(text: str, total: int, vocabulary: Vocabulary,
            texts: Callable[[list[str]], dict[str, str]],
            count: Callable[[str], int]) -> list[Suggestion]:
    """The nearest spellings of ``text`` (which matched ``total`` documents) that match more,
    most hits first; none when it matched ``FEW`` or more. ``texts(ids)`` reads documents' texts from the
    catalogue; ``count(query)`` is how many documents a query matches with the same filters."""
    if total >= FEW or not text.strip():
        return []
    texts = _lowered(texts)
    choices: list[tuple[_Word, list[_Alternative]]] = []
    for word in _words(text):
        if _known(word.text, vocabulary):
            continue
        alternatives = _alternatives(word.text, vocabulary, texts)
        if alternatives:
            choices.append((word, alternatives))
    if not choices:
        return []
    if len(choices) > 3:  # each word's best only: the spellings multiply
        choices = [(word, alternatives[:1]) for word, alternatives in choices]
    spellings = []
    for picked in itertools.product(*(alts for _, alts in choices)):
        edits = sum(a.edits for a in picked)
        spellings.append((edits, -sum(a.documents for a in picked),
                          _replaced(text, [(w, a.word) for (w, _), a in zip(choices, picked)])))
    spellings.sort()
    offered: list[Suggestion] = []
    fewest: int | None = None
    seen = {text}
    for edits, _, query in spellings:
        # Only the nearest spellings that find more: "torre", two edits from "tortrue", is
        # noise beside "torture", one edit away.
        if query in seen or (fewest is not None and edits > fewest):
            continue
        seen.add(query)
        if len(seen) > COUNTED + 1 or len(offered) >= OFFERED:
            break
        found = count(query)
        if found > total:
            fewest = edits
            offered.append(Suggestion(query=query, total=found))
    offered.sort(key=lambda s: -s.total)
    # "govenrment" (a typo printed once) beside "government" (451 hits) is noise too.
    return [s for s in offered if s.total * SHARE_OF_BEST >= offered[0].total]


def _lowered(texts: Callable[[list[str]], dict[str, str]]) -> Callable[[list[str]], dict[str, str]]:
    """``texts``, lower-cased, each document read once for all the words of a query."""
    read: dict[str, str] = {}

    def lowered(ids: list[str]) -> dict[str, str]:
        missing = [i for i in ids if i not in read]
        if missing:
            read.update((i, (t or "")[:READ_CHARS].lower()) for i, t in texts(missing).items())
        return {i: read[i] for i in ids if i in read}

    return lowered


def _words(text: str) -> list[_Word]:
    """The plain words of a query that a corrector may look at."""
    out = []
    for start, end in word_spans(text):
        for m in _WORD.finditer(text, start, end):
            word = m.group(0)
            before = text[m.start() - 1] if m.start() else " "
            after = text[m.end()] if m.end() < len(text) else " "
            if (word in _OPERATORS or len(word) < MIN_LETTERS or any(c.isdigit() for c in word)
                    or "_" in word or before in _SYNTAX or after in _SYNTAX):
                continue
            out.append(_Word(m.start(), m.end(), word))
    return out


@lru_cache(maxsize=1)
def _schema():
    return get_schema()


def _term(field: str, word: str) -> str | None:
    """``word`` as ``field`` indexes it (None for a stop word or several terms)."""
    terms = [t.text for t in _schema()[field].analyzer(word)]
    return terms[0] if len(terms) == 1 else None


def _known(word: str, vocabulary: Vocabulary) -> bool:
    for field in TEXT_FIELDS:
        term = _term(field, word)
        if term is None or vocabulary.frequency(field, term) > 0:
            return True  # a stop word is not a typo either
    return False


def _alternatives(word: str, vocabulary: Vocabulary,
                  texts: Callable[[list[str]], dict[str, str]]) -> list[_Alternative]:
    """Printed words of the index near ``word``, nearest first, then most frequent."""
    typed = word.lower()
    maxdist = 1 if len(typed) <= ONE_EDIT_UP_TO else 2
    found: dict[str, _Alternative] = {}
    for field in FIELDS["cyrillic" if CYRILLIC.search(typed) else "latin"]:
        term = _term(field, word)
        if term is None:
            continue
        near: dict[str, tuple[int, int, int]] = {}
        for order, (looked, within) in enumerate(_lookups(field, term, typed, maxdist)):
            pairs = _bigrams(looked)
            for candidate in set(vocabulary.near(field, looked, within)):
                if (candidate in near or candidate == term or candidate[:1] != looked[:1]
                        or abs(len(candidate) - len(looked)) > within
                        or not _may_be_near(candidate, looked, pairs, within)):
                    continue
                edits = damerau_levenshtein(candidate, looked, limit=within)
                if edits <= within:
                    near[candidate] = (order, edits, -vocabulary.frequency(field, candidate))
        # The nearest terms, whose printed words are then compared with what was typed: the
        # distance between stems says little ("déten" and "détent" are both one edit from
        # "détens"; "détenait" is three from "détension", "détention" one).
        for candidate, (_, _, negated) in sorted(near.items(),
                                                 key=lambda x: x[1])[:TERMS_PER_FIELD]:
            printed = _printed(field, candidate, typed, vocabulary, texts)
            if printed is None:
                continue
            edits = damerau_levenshtein(printed, typed)
            if printed == typed or edits > maxdist + 1:
                continue
            known = found.get(printed)
            if known is None or -negated > known.documents:
                found[printed] = _Alternative(_cased(printed, word), edits, -negated)
    return sorted(found.values(), key=lambda a: (a.edits, -a.documents))[:ALTERNATIVES]


def _bigrams(word: str) -> set[str]:
    return {word[i:i + 2] for i in range(len(word) - 1)}


def _may_be_near(candidate: str, looked: str, pairs: set[str], edits: int) -> bool:
    """Whether ``candidate`` can be within ``edits`` of ``looked``: each edit brings in at most
    one letter the other word lacks, and spoils at most three of its letter pairs (a
    transposition, three). Set operations in C instead of an edit distance in Python for the
    thousands of terms of one first letter."""
    letters = set(looked)
    if len(set(candidate) - letters) > edits or len(letters - set(candidate)) > edits:
        return False
    shared = len(pairs & _bigrams(candidate))
    return shared >= max(len(candidate), len(looked)) - 1 - 3 * edits


def _lookups(field: str, term: str, typed: str, maxdist: int) -> list[tuple[str, int]]:
    """(text, edits) to look up near: the word's own term and, for a long Latin word, its
    beginning. A typo in a suffix stops the stemmer from removing it ("investigaton" stays
    "investigaton", four edits from "investig"), while the beginning is one edit from the
    stem."""
    looks = [(term, maxdist)]
    if field != "title" and not CYRILLIC.search(typed) and len(typed) >= LONG_WORD:
        looks.append((typed[:-3], 1))
    return looks


def _printed(field: str, term: str, typed: str, vocabulary: Vocabulary,
             texts: Callable[[list[str]], dict[str, str]]) -> str | None:
    """The word printed in documents holding ``term`` that is nearest to ``typed`` (then the
    most frequent), or None when none is found.

    A title's Latin terms are words as printed (titles are not stemmed), and a Russian lemma is
    a dictionary word, so either stands when the documents read print no form of it."""
    if field == "title" and _term(field, term) == term and not CYRILLIC.search(term):
        return term
    # The printed forms of a stem or lemma share its beginning ("tortur": "tortured";
    # "пытка": "пыток"), so only words so beginning are analysed.
    head = term[:max(1, min(4, len(term) - 2))]
    pattern = re.compile(re.escape(head) + r"\w*(?:[.'’]\w+)*")  # a literal first: fast
    forms: Counter[str] = Counter()
    for body in texts(vocabulary.holders(field, term, HOLDERS)).values():
        forms.update(m.group(0) for m in pattern.finditer(body)
                     if not m.start() or not body[m.start() - 1].isalnum())
    printed = [(damerau_levenshtein(form, typed), -n, form) for form, n in forms.items()
               if _term(field, form) == term]
    if printed:
        return min(printed)[2]
    return term if CYRILLIC.search(term) else None


def _cased(word: str, typed: str) -> str:
    """``word`` in the case the person typed: "Torture" for "Tortrue", "TORTURE" for "TORTRUE"."""
    if typed.isupper() and len(typed) > 1:
        return word.upper()
    if typed[:1].isupper():
        return word[:1].upper() + word[1:]
    return word


def _replaced(text: str, changes: Sequence[tuple[_Word, str]]) -> str:
    out, last = [], 0
    for word, replacement in sorted(changes, key=lambda c: c[0].start):
        out += [text[last:word.start], replacement]
        last = word.end
    out.append(text[last:])
    return "".join(out)
