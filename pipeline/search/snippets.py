"""Snippets: the best passage of a hit, with its matched words marked, read from the catalogue.

Engine-neutral: an engine hands over the analysed terms a hit matched, per body field, and the
field's analyzer; the words of the text whose analysed forms are among those terms are marked.
Our own code rather than an engine's highlighter, so both engines mark the same words.
"""

from __future__ import annotations

import re
from functools import lru_cache
from collections.abc import Sequence
from typing import Any

from pipeline.search.base import Snippet
from pipeline.search.language.analysis import CYRILLIC, TOKEN_PATTERN

__all__ = ["SNIPPET_CHARS", "make_snippet", "page_at"]

SNIPPET_CHARS = 240


def make_snippet(text: str, terms: set[str], analyzer, keys: list[str],
                 page_offsets: Sequence[dict[str, Any]] = (), *, with_anchor: bool = False):
    """The best passage around matched words, or around an identifier the query named,
    with the printed page it starts on (for paged formats).

    With ``with_anchor``, also the offset in ``text`` of the first match (or of the passage),
    so the caller can tell which paragraph holds it.
    """
    snippet, anchor = _snippet(text, terms, analyzer, keys, page_offsets)
    return (snippet, anchor) if with_anchor else snippet


def _snippet(text: str, terms: set[str], analyzer, keys: list[str],
             page_offsets) -> tuple[Snippet | None, int | None]:
    if not text:
        return None, None
    if terms:
        window = _scan(text, frozenset(terms), analyzer)
        if window is not None:
            start, end, inside = window
            marks = [(s - start, e - start) for s, e in inside]
            return _tidy(text, start, end, marks, page_offsets), inside[0][0]
    lowered = text.lower()
    for key in keys:
        at = lowered.find(key)
        if at >= 0:
            start = max(0, at - 100)
            return _tidy(text, start, min(len(text), at + len(key) + 100),
                         [(at - start, at - start + len(key))], page_offsets), at
    return _tidy(text, 0, min(len(text), SNIPPET_CHARS), [], page_offsets), None


SNIPPET_SURROUND = 80
#: Characters of a text searched for matches first, and at most at a time (see ``_scan``).
FIRST_SCAN_CHARS = 4_000
SCAN_CHARS = 32_000
_SPACE = re.compile(r"\s")


def _scan(text: str, terms: frozenset[str], analyzer) -> tuple[int, int, list[tuple[int, int]]] | None:
    """The best window (``_best_window``) of the text read so far, reading it a part at a
    time and stopping at the first part after which some window holds every term.

    Tokenising a whole judgment (60,000-400,000 characters) to mark ten hits was half the
    time of a search at 10,000 judgments; the words searched for usually meet near the start.
    No passage holds more distinct terms than one holding them all, so stopping there gives up
    only a later passage repeating them more often. A text where the terms never meet in one
    passage is still read to the end.
    """
    spans: list[tuple[int, int, str]] = []
    start, window, part = 0, None, FIRST_SCAN_CHARS
    while start < len(text):
        end = len(text) if len(text) - start <= part * 3 // 2 else _word_end(text, start + part)
        part = min(part * 2, SCAN_CHARS)
        spans += [(s + start, e + start, t) for s, e, t in _match_spans(text[start:end], terms, analyzer)]
        window = _best_window(spans, len(text))
        if window is not None:
            inside = set(window[2])
            if len({t for s, e, t in spans if (s, e) in inside}) == len(terms):
                break
        start = end
    return window


def _word_end(text: str, at: int) -> int:
    """The first whitespace at or after ``at`` (a part never ends inside a word)."""
    match = _SPACE.search(text, at)
    return match.start() if match else len(text)


def _match_spans(text: str, terms: frozenset[str], analyzer) -> list[tuple[int, int, str]]:
    """Where the query's terms occur in ``text``: (start, end, term) for each matching word.

    ``whoosh.highlight`` runs the whole analyzer chain over every token of the text: 0.3 s per
    long judgment, 3 s for a page of hits. Here each distinct word is analysed once (and
    remembered across searches), and only words that may become one of the terms are looked at.
    """
    forms = _FORMS.setdefault(_analyzer_key(analyzer), {})
    if len(forms) > _FORMS_LIMIT:
        forms.clear()
    if not any(CYRILLIC.search(t) for t in terms):
        # "İ" (Turkish names) is the one letter whose lower case is two characters ("i̇"): it
        # would shift every offset after it. The probes drop the dot (``_probes``).
        lowered = text.replace("İ", "i").lower()
        if len(lowered) == len(text):
            return _match_latin(text, lowered, terms, analyzer, forms)
    return _match_any(text, terms, analyzer, forms)


#: Letters a stem may hold where the word has an accented one (French Snowball's last step
#: removes the accent of a final "é"/"è": "règlement" is "regl").
_UNACCENTED = {"e": "eéèêë"}
_TOKEN = re.compile(TOKEN_PATTERN)


def _match_latin(text: str, lowered: str, terms: frozenset[str], analyzer,
                 forms: dict[str, frozenset[str]]) -> list[tuple[int, int, str]]:
    """``_match_spans`` for Latin-script terms: the words starting with a term's first two
    letters (``_probes``), found with ``str.find`` in the lower-cased text.

    A regular expression over every token of a 200,000-character judgment took 13 ms, and ten
    long hits whose terms never meet are read to their end: a third of a search page's time.
    ``str.find`` reads the same text in a tenth of a millisecond. That a word starts with its
    stem's first two letters (up to the accent above) holds for the English and French
    stemmers and for words kept as they are; tests/test_search_snippets.py checks it on every
    distinct word of the corpora. Russian lemmas do not keep it ("лет" is "год"): Cyrillic
    terms go through ``_match_any``.
    """
    starts: set[int] = set()
    for probe in _probes(terms):
        at = lowered.find(probe)
        while at >= 0:
            if _token_starts(text, at):
                starts.add(at)
            at = lowered.find(probe, at + 1)
    spans = []
    for start in sorted(starts):
        token = _TOKEN.match(text, start)
        if token is None:
            continue
        word = token.group()
        form = forms.get(word)
        if form is None:
            form = forms[word] = frozenset(t.text for t in analyzer(word, mode="query"))
        if not form.isdisjoint(terms):
            spans.append((start, token.end(), min(form & terms)))
    return spans


@lru_cache(maxsize=256)
def _probes(terms: frozenset[str]) -> frozenset[str]:
    """The lower-case beginnings a word turning into one of ``terms`` starts with.

    >>> sorted(_probes(frozenset({"regl", "3"})))
    ['3', 're', 'rè', 'ré', 'rê', 'rë']
    """
    out: set[str] = set()
    for term in terms:
        variants = [""]
        for char in term.replace("\u0307", "")[:2]:
            variants = [v + c for v in variants for c in _UNACCENTED.get(char, char)]
        out.update(v for v in variants if v)
    return frozenset(out)


def _token_starts(text: str, at: int) -> bool:
    """Whether a token of ``TOKEN_PATTERN`` starts at ``at`` (not inside a word, nor after
    "U." or "l'" of a longer token)."""
    if at == 0:
        return True
    before = text[at - 1]
    if before.isalnum() or before == "_":
        return False
    return not (before in ".'’" and at >= 2 and (text[at - 2].isalnum() or text[at - 2] == "_"))


def _match_any(text: str, terms: frozenset[str], analyzer,
               forms: dict[str, frozenset[str]]) -> list[tuple[int, int, str]]:
    """``_match_spans`` for any terms: every token whose first letter may start a term is
    analysed, then the words whose forms match are found with one regular expression that
    respects the analyzer's token boundaries."""
    initials = frozenset(t[0] for t in terms if t)
    cyrillic_terms = any(CYRILLIC.search(t) for t in terms)
    matching: dict[str, str] = {}
    for word in set(_candidates(initials).findall(text)):
        form = forms.get(word)
        if form is None:
            # Words that cannot become any of the terms are not analysed: analysing every
            # distinct word of ten long judgments took a new process over a second (and
            # loaded the Russian dictionaries for the few Russian words quoted in English).
            # A Latin-script word's term starts with its first letter (stemmers change
            # endings); a Cyrillic word's term (its lemma) is Cyrillic.
            lowered = word.lower()
            if CYRILLIC.search(lowered):
                if not cyrillic_terms:
                    continue
            elif lowered[0] not in initials:
                continue
            form = forms[word] = frozenset(t.text for t in analyzer(word, mode="query"))
        if not form.isdisjoint(terms):
            matching[word] = min(form & terms)
    if not matching:
        return []
    words = "|".join(re.escape(w) for w in sorted(matching, key=len, reverse=True))
    pattern = re.compile(rf"(?<!\w)(?<!\w[.'’])(?:{words})(?!\w)(?![.'’]\w)")
    return [(m.start(), m.end(), matching[m.group()]) for m in pattern.finditer(text)]


@lru_cache(maxsize=256)
def _candidates(initials: frozenset[str]) -> re.Pattern:
    """The tokens of ``TOKEN_PATTERN`` that may analyse to a term starting with one of
    ``initials``: those starting with one of them (either case, for ASCII letters), and every
    token starting with a non-ASCII letter, whose lower case is left to the check by word.

    A third less work than finding every token: the regular expression skips the rest."""
    ascii_initials = "".join(sorted(re.escape(c) for c in initials if c.isascii()))
    starts = ([f"(?i:[{ascii_initials}])"] if ascii_initials else []) + [r"[^\x00-\x7f]"]
    return re.compile(rf"(?<!\w)(?<![\w][.'’])(?={'|'.join(starts)}){TOKEN_PATTERN}")


#: Analysed forms of words, per analyzer, kept between searches (bounded).
_FORMS: dict[tuple, dict[str, frozenset[str]]] = {}
_FORMS_LIMIT = 500_000


def _analyzer_key(analyzer) -> tuple:
    """Which analyzer this is, the same for equal chains (each opened index builds new objects)."""
    return tuple((type(part).__name__, getattr(part, "stemfn", None), getattr(part, "kind", None))
                 for part in getattr(analyzer, "items", [analyzer]))


def _best_window(spans: list[tuple[int, int, str]], length: int,
                 ) -> tuple[int, int, list[tuple[int, int]]] | None:
    """The passage of at most ``SNIPPET_CHARS`` holding the most distinct terms, then the most
    matches; the first such passage on ties, so the same search always shows the same one.

    >>> _best_window([(0, 4, "a"), (500, 504, "a"), (520, 524, "b")], 1000)
    (420, 604, [(500, 504), (520, 524)])
    """
    best, best_score = None, (0, 0)
    reach = SNIPPET_CHARS - 2 * SNIPPET_SURROUND
    for i, (first, _, _) in enumerate(spans):
        inside = []
        for span in spans[i:]:
            if span[1] - first > reach:
                break
            inside.append(span)
        score = (len({s[2] for s in inside}), len(inside))
        if score > best_score:
            best_score = score
            start = max(0, first - SNIPPET_SURROUND)
            end = min(length, inside[-1][1] + SNIPPET_SURROUND)
            best = (start, end, [(s, e) for s, e, _ in inside])
    return best


def _tidy(text: str, start: int, end: int, marks: list[tuple[int, int]],
          page_offsets: list[dict[str, Any]]) -> Snippet:
    """Cut on word boundaries, flatten line breaks, keep marks aligned.

    ``marks`` are relative to ``start``; moving the start back to a word boundary shifts them.
    """
    first = start
    while start > 0 and not text[start - 1].isspace() and start > end - SNIPPET_CHARS * 2:
        start -= 1
    marks = [(s + first - start, e + first - start) for s, e in marks]
    piece = text[start:end]
    flat = piece.replace("\n", " ")
    snippet = Snippet(text=("…" if start > 0 else "") + flat + ("…" if end < len(text) else ""))
    shift = 1 if start > 0 else 0
    snippet.marks = sorted((s + shift, e + shift) for s, e in marks if 0 <= s < e <= len(flat))
    snippet.page = page_at(page_offsets, start)
    return snippet


def page_at(page_offsets: list[dict[str, Any]], offset: int) -> int | None:
    """The printed page number holding character ``offset`` (None for unpaged formats)."""
    for page in page_offsets:
        if page["start"] <= offset < max(page["end"], page["start"] + 1):
            return page["number"]
    return None
