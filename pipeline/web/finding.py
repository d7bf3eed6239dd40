"""Words found in one document, for its page: the query's places as ``render.Mark`` (each with
its links to the previous and next place, on whichever part of a long text it is), and the
paragraphs holding them, for the list under the page's "Find in this document" box.

Which words are found is ``search/within.py``'s answer, the index's notion of a match.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from markupsafe import Markup

from pipeline.errors import QueryError
from pipeline.models import PublicRecord
from pipeline.search.within import places, wanted
from pipeline.web.i18n import _
from pipeline.web.render import Mark, marked

__all__ = ["Found", "FoundParagraph", "find_in"]

#: Paragraphs listed under the box; the marks (and their links) go on past them.
LISTED = 100
#: Characters shown around the first place of a listed paragraph, either side.
AROUND = 70


@dataclass(frozen=True)
class FoundParagraph:
    """One paragraph holding places: its number (None for text outside numbered paragraphs),
    how many places, a link to its first, and the passage around it with the places marked."""

    number: str | None
    count: int
    href: str
    excerpt: Markup


@dataclass
class Found:
    """What the page marks: the query, its places, the paragraphs holding them (at most
    ``LISTED``), or the reason the query cannot be read (``error``)."""

    query: str
    marks: list[Mark] = field(default_factory=list)
    paragraphs: list[FoundParagraph] = field(default_factory=list)
    paragraph_count: int = 0
    error: str | None = None
    #: False when the query names no words to find (only field clauses, as ``article:3``).
    asked: bool = True

    @property
    def count(self) -> int:
        return len(self.marks)


def find_in(record: PublicRecord, query: str, schema: Any, *, expand: bool,
            href: Callable[[int, int], str]) -> Found:
    """The places of ``query`` in ``record``'s text; ``href(number, offset)`` links to the
    ``number``-th place (from 1), which starts at ``offset`` (the page knows its parts)."""
    found = Found(query)
    text: str = record.get("text") or ""
    try:
        want = wanted(query, schema, record.get("language"), expand=expand)
    except QueryError as exc:
        found.error = str(exc)
        return found
    found.asked = bool(want)
    spans = places(text, want, schema[want.field].analyzer)
    total = len(spans)
    hrefs = [href(n, start) for n, (start, _end) in enumerate(spans, 1)]
    found.marks = [Mark(start, end, n, _("%(n)s of %(total)s") % {"n": n, "total": total},
                        hrefs[n - 2] if n > 1 else None, hrefs[n] if n < total else None,
                        _("Previous place"), _("Next place"))
                   for n, (start, end) in enumerate(spans, 1)]
    groups: list[tuple[str | None, list[int]]] = []
    paragraphs = sorted(record.get("paragraphs") or [], key=lambda p: int(p["start"]))
    starts = [int(p["start"]) for p in paragraphs]
    last_key: object = object()
    for i, (start, _end) in enumerate(spans):
        at = bisect_right(starts, start) - 1
        inside = at >= 0 and start < int(paragraphs[at]["end"])
        key = at if inside else ("plain", at)
        if key != last_key:
            label = str(paragraphs[at].get("number") or "") if inside else ""
            groups.append((label or None, []))
            last_key = key
        groups[-1][1].append(i)
    found.paragraph_count = len(groups)
    for number, members in groups[:LISTED]:
        first = spans[members[0]]
        lo, hi = max(0, first[0] - AROUND), min(len(text), first[1] + AROUND)
        lo = text.rfind(" ", 0, lo) + 1 if lo > 0 else 0
        hi_space = text.find(" ", hi)
        hi = hi_space if hi_space >= 0 else len(text)
        shown = [(s - lo, e - lo) for s, e in (spans[i] for i in members) if s >= lo and e <= hi]
        excerpt = marked(text[lo:hi].replace("\n", " "), shown)
        found.paragraphs.append(FoundParagraph(
            number, len(members), hrefs[members[0]],
            Markup("…" if lo > 0 else "") + excerpt + Markup("…" if hi < len(text) else "")))
    return found

