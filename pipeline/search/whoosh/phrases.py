"""Faster phrase and proximity matching for Whoosh, with the same results.

Whoosh 2.7.4 checks a phrase (``SpanNear2``) in a document by turning every position of every
word into a ``Span`` object and bisecting a list of them for each: a phrase of common words
("the applicant complained": "applicant" hundreds of times in each of thousands of judgments)
spent 80 % of its time building and comparing those objects, and decoding positions summed
the deltas in a Python loop. ``install`` replaces the two with integer work:

- positions are decoded with ``itertools.accumulate`` (same bytes, same list);
- an ordered phrase over plain terms (what the query parser builds for "a b c" and
  "a b"~N) is checked on integer positions: adjacent words by set membership, proximity by
  bisection; only the matching spans become ``Span`` objects. Anything else (unordered,
  nested span queries, fields with character offsets) takes Whoosh's own path.

The rules are Whoosh's: a word follows the span so far at a distance from ``mindist`` to
``slop`` positions after its end (``Span.distance_to``), and every way of matching is a span.
tests/test_search_whoosh.py compares both paths on random position lists.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterable
from itertools import accumulate

from whoosh import formats
from whoosh.query.spans import Span, SpanNear2
from whoosh.system import _INT_SIZE

__all__ = ["install", "ordered_match", "ordered_spans"]

_ORIGINAL_GET_SPANS = SpanNear2.SpanNear2Matcher._get_spans


def ordered_spans(positions: list[list[int]], slop: int, mindist: int) -> list[tuple[int, int]]:
    """Every (start, end) where the words follow each other in order, each ``mindist`` to
    ``slop`` positions after the end of the span before it; sorted.

    >>> ordered_spans([[1, 5, 9], [2, 6, 12]], 1, 1)
    [(1, 2), (5, 6)]
    >>> ordered_spans([[1, 5], [3, 8]], 3, 1)
    [(1, 3), (5, 8)]
    """
    spans = [(p, p) for p in positions[0]]
    for following in positions[1:]:
        if not spans:
            return []
        if slop == 1 and mindist == 1:
            present = set(following)
            spans = [(start, end + 1) for start, end in spans if end + 1 in present]
            continue
        found = set()
        count = len(following)
        for start, end in spans:
            j = bisect_left(following, end + mindist)
            limit = end + slop
            while j < count and following[j] <= limit:
                found.add((start, following[j]))
                j += 1
        spans = sorted(found)
    return spans


def ordered_match(positions: Iterable[list[int]], slop: int, mindist: int = 1) -> bool:
    """Whether ``ordered_spans`` would find any span: the same rule, tracking only where the
    spans so far end (where a span starts never decides whether the next word follows it).

    ``positions`` may be a generator: a word's positions are taken only while the words
    before it still match, so a long phrase failing early decodes no more of them.

    >>> ordered_match([[1, 5, 9], [2, 6, 12]], 1)
    True
    >>> ordered_match([[1, 5], [9, 20]], 3)
    False
    """
    words = iter(positions)
    ends = next(words, [])
    for following in words:
        if not ends:
            return False
        if slop == 1 and mindist == 1:
            ends = sorted(set(map((1).__add__, ends)).intersection(following))
            continue
        # A position follows some end when an end lies in [position - slop, position - mindist].
        count = len(ends)
        ends = [p for p in following
                if (i := bisect_left(ends, p - slop)) < count and ends[i] <= p - mindist]
    return bool(ends)


def _get_spans(self):
    ms = self.ms
    if not self.ordered or self.mindist < 1 or not all(_plain(m) for m in ms):
        return _ORIGINAL_GET_SPANS(self)
    positions = [m.value_as("positions") for m in ms]
    return [Span(start, end) for start, end in ordered_spans(positions, self.slop, self.mindist)]


def _plain(matcher) -> bool:
    """A leaf term matcher over positions only (character offsets would be lost here)."""
    supports = getattr(matcher, "supports", None)
    return (supports is not None and hasattr(matcher, "value_as") and supports("positions")
            and not supports("characters"))


def _decode_positions(self, valuestring):
    if not valuestring.endswith(b"."):
        valuestring += b"."
    return list(accumulate(formats.loads(valuestring[_INT_SIZE:])))


def install() -> None:
    """Use the integer paths (idempotent)."""
    SpanNear2.SpanNear2Matcher._get_spans = _get_spans
    formats.Positions.decode_positions = _decode_positions
