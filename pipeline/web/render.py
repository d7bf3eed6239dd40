"""Record -> HTML pieces: a judgment's text with paragraphs, entities and citations marked.

Documents are hostile input (a ruling may quote ``<script>``), so the HTML is built here from
offset segments and every piece of text is escaped on its own; templates only insert the
finished ``Markup``. Offsets come from the record (``paragraphs``, ``entities``, ``citations``,
``sections``); they may overlap each other or run past a paragraph's end, so each span is clipped
to the block it is drawn in rather than trusted to nest.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from markupsafe import Markup, escape

__all__ = ["Block", "marked", "render_text", "section_anchor", "section_label"]

#: Section names of the records, as a reader calls them; Russian rulings' parts keep the names
#: Russian lawyers cite them by.
SECTION_LABELS = {
    "procedure": "Procedure", "facts": "The facts", "law": "The law",
    "operative": "Operative provisions", "opinions": "Separate opinions",
}
RU_SECTION_LABELS = {
    "intro": "Вводная часть", "descriptive": "Описательная часть",
    "reasoning": "Мотивировочная часть", "operative": "Резолютивная часть",
}

_UNSAFE_CLASS = re.compile(r"[^A-Za-z0-9_-]+")


def _esc(text: str) -> str:
    """Escape for element content and quoted attributes alike (``&<>"'``), as Jinja does.

    The text is built with plain ``str`` joins, not ``Markup.format``: a 300,000-character
    judgment has tens of thousands of pieces, and Markup's formatter took over a second.
    """
    return escape(text)


def marked(text: str, marks: Iterable[Sequence[int]]) -> Markup:
    """A snippet with each ``(start, end)`` match in ``<mark>``, everything else escaped.

    >>> str(marked("the <b>пытки</b> of", [(7, 12)]))
    'the &lt;b&gt;<mark>пытки</mark>&lt;/b&gt; of'
    >>> str(marked("abc", [(5, 9), (1, 0)]))     # marks outside the text are ignored
    'abc'
    """
    out: list[str] = []
    last = 0
    for start, end in sorted((max(int(s), 0), min(int(e), len(text))) for s, e in marks):
        if end <= start or start < last:
            continue
        out += [escape(text[last:start]), Markup("<mark>"), escape(text[start:end]),
                Markup("</mark>")]
        last = end
    out.append(escape(text[last:]))
    return Markup("").join(out)


def section_label(name: str | None, language: str | None = None) -> str:
    """A section's name for readers.

    >>> section_label("facts"), section_label("operative", "ru"), section_label("Annex")
    ('The facts', 'Резолютивная часть', 'Annex')
    """
    labels = RU_SECTION_LABELS if language == "ru" else SECTION_LABELS
    return labels.get(name or "", SECTION_LABELS.get(name or "", name or ""))


def section_anchor(index: int) -> str:
    """The fragment id of the ``index``-th section (names are free text, so ids use the order)."""
    return f"sec-{index + 1}"


@dataclass(frozen=True)
class _Span:
    start: int
    end: int
    open: str
    close: str


@dataclass(frozen=True)
class Block:
    """One stretch of text drawn as one element: a numbered paragraph or the text between them."""

    start: int
    end: int
    number: str | None = None


def _entity_spans(entities: Iterable[Mapping[str, Any]], limit: int) -> list[_Span]:
    """Entities as non-overlapping spans: where two overlap, the earlier (then longer) wins."""
    spans: list[_Span] = []
    tags: dict[str, str] = {}
    last_end = 0
    for ent in sorted(entities, key=lambda e: (e["start"], -e["end"])):
        start, end = max(int(ent["start"]), last_end), min(int(ent["end"]), limit)
        if end <= start:
            continue
        label = str(ent.get("label") or "ENT")
        tag = tags.get(label)
        if tag is None:
            tag = tags[label] = (f'<span class="ent ent-{_UNSAFE_CLASS.sub("_", label)}" '
                                 f'data-label="{_esc(label)}" title="{_esc(label)}">')
        spans.append(_Span(start, end, tag, "</span>"))
        last_end = end
    return spans


def _citation_spans(citations: Iterable[Mapping[str, Any]], targets: Mapping[int, str],
                    limit: int) -> list[_Span]:
    """Citations as non-overlapping spans; ``targets`` maps a citation's start to a document id."""
    spans: list[_Span] = []
    last_end = 0
    for cit in sorted(citations, key=lambda c: (c["start"], -c["end"])):
        start, end = int(cit["start"]), min(int(cit["end"]), limit)
        if start < last_end or end <= start:
            continue
        target = targets.get(start)
        if target:
            opening = f'<a class="citation" href="/documents/{_esc(_path_part(target))}">'
            spans.append(_Span(start, end, opening, "</a>"))
        else:
            spans.append(_Span(start, end, '<span class="citation">', "</span>"))
        last_end = end
    return spans


def _path_part(doc_id: str) -> str:
    """A document id made safe as one URL path segment."""
    from urllib.parse import quote

    return quote(doc_id, safe="")


def _blocks(paragraphs: Iterable[Mapping[str, Any]], cuts: Iterable[int], length: int) -> list[Block]:
    """Cover ``[0, length)`` with paragraphs (clipped so they never overlap) and plain blocks
    between them; plain blocks are also cut at ``cuts`` (section starts) so anchors fall there."""
    blocks: list[Block] = []
    pos = 0
    cut_points = sorted({c for c in cuts if 0 < c < length})

    def plain(start: int, end: int) -> None:
        inner = [c for c in cut_points if start < c < end]
        for a, b in zip([start, *inner], [*inner, end]):
            blocks.append(Block(a, b))

    for para in sorted(paragraphs, key=lambda p: (p["start"], p["end"])):
        start, end = max(int(para["start"]), pos), min(int(para["end"]), length)
        if end <= start:
            continue
        if start > pos:
            plain(pos, start)
        blocks.append(Block(start, end, str(para.get("number") or "")))
        pos = end
    if pos < length:
        plain(pos, length)
    return blocks


def _inline(text: str, start: int, end: int, outer: list[_Span], outer_starts: list[int],
            inner: list[_Span], inner_starts: list[int]) -> str:
    """The HTML of ``text[start:end]``: citations outside, entities inside, both clipped to the
    block, and an entity that crosses a citation's edge drawn as two pieces."""
    events: set[int] = {start, end}
    chosen_outer = _overlapping(outer, outer_starts, start, end)
    chosen_inner = _overlapping(inner, inner_starts, start, end)
    for span in chosen_outer + chosen_inner:
        events.add(max(span.start, start))
        events.add(min(span.end, end))
    points = sorted(events)
    out: list[str] = []
    open_outer: _Span | None = None
    open_inner: _Span | None = None
    oi = ii = 0
    for a, b in zip(points, points[1:]):
        while oi < len(chosen_outer) and chosen_outer[oi].end <= a:
            oi += 1
        while ii < len(chosen_inner) and chosen_inner[ii].end <= a:
            ii += 1
        want_outer = chosen_outer[oi] if oi < len(chosen_outer) and chosen_outer[oi].start <= a else None
        want_inner = chosen_inner[ii] if ii < len(chosen_inner) and chosen_inner[ii].start <= a else None
        if want_outer is not open_outer:
            if open_inner is not None:
                out.append(open_inner.close)
                open_inner = None
            if open_outer is not None:
                out.append(open_outer.close)
            if want_outer is not None:
                out.append(want_outer.open)
            open_outer = want_outer
        if want_inner is not open_inner:
            if open_inner is not None:
                out.append(open_inner.close)
            if want_inner is not None:
                out.append(want_inner.open)
            open_inner = want_inner
        out.append(_esc(text[a:b]))
    if open_inner is not None:
        out.append(open_inner.close)
    if open_outer is not None:
        out.append(open_outer.close)
    return "".join(out)


def _heading(index: int, label: str) -> str:
    return f'<h3 class="section-start" id="{section_anchor(index)}">{_esc(label)}</h3>\n'


def _overlapping(spans: list[_Span], starts: list[int], start: int, end: int) -> list[_Span]:
    """The sorted, non-overlapping ``spans`` that touch ``[start, end)``, found by bisection so a
    300,000-character judgment stays linear overall."""
    lo = max(bisect_right(starts, start) - 1, 0)
    hi = bisect_left(starts, end)
    return [s for s in spans[lo:hi] if s.end > start and s.start < end]


def render_text(record: Mapping[str, Any], targets: Mapping[int, str] | None = None) -> Markup:
    """The whole text of a record as HTML: ``<p class="para" id="p-N">`` per numbered paragraph,
    ``<div class="plain">`` for the text between, section anchors, entities and citations.

    ``targets`` maps the start offset of a citation to the id of the document it cites.

    >>> rec = {"text": "Intro <x>\\n1. Ivanov v. Russia was cited.", "sections": [],
    ...        "paragraphs": [{"number": "1", "start": 10, "end": 40}],
    ...        "citations": [{"start": 13, "end": 29}],
    ...        "entities": [{"label": "PERSON", "start": 13, "end": 19}]}
    >>> print(render_text(rec, {13: "ivanov"}))
    <div class="plain">Intro &lt;x&gt;</div>
    <p class="para" id="p-1"><a class="para-number" href="#p-1">§ 1</a> 1. <a class="citation" href="/documents/ivanov"><span class="ent ent-PERSON" data-label="PERSON" title="PERSON">Ivanov</span> v. Russia</a> was cited.</p>
    """
    text: str = record.get("text") or ""
    names = [section_label(s.get("name"), record.get("language"))
             for s in record.get("sections") or []]
    section_starts: dict[int, list[int]] = {}
    for i, sec in enumerate(record.get("sections") or []):
        section_starts.setdefault(int(sec["start"]), []).append(i)
    blocks = _blocks(record.get("paragraphs") or [], section_starts, len(text))
    outer = _citation_spans(record.get("citations") or [], targets or {}, len(text))
    inner = _entity_spans(record.get("entities") or [], len(text))
    outer_starts = [s.start for s in outer]
    inner_starts = [s.start for s in inner]
    anchors = sorted(section_starts)
    next_anchor = 0
    used_ids: dict[str, int] = {}
    out: list[str] = []
    for block in blocks:
        while next_anchor < len(anchors) and anchors[next_anchor] < block.end:
            for i in section_starts[anchors[next_anchor]]:
                out.append(_heading(i, names[i]))
            next_anchor += 1
        # Line breaks at a block's edges would only draw blank lines around it (the blocks are
        # pre-wrap); a block of nothing but white space is dropped.
        start, end = block.start, block.end
        while start < end and text[start] in "\r\n":
            start += 1
        while end > start and text[end - 1] in "\r\n":
            end -= 1
        if start == end or (block.number is None and text[start:end].isspace()):
            continue
        body = _inline(text, start, end, outer, outer_starts, inner, inner_starts)
        if block.number is None:
            out.append(f'<div class="plain">{body}</div>\n')
            continue
        seen = used_ids.get(block.number, 0)
        used_ids[block.number] = seen + 1
        ident = f"p-{block.number}" if not seen else f"p-{block.number}-{seen + 1}"
        ident = _esc(ident)
        out.append(f'<p class="para" id="{ident}"><a class="para-number" href="#{ident}">'
                   f'§ {_esc(block.number)}</a> {body}</p>\n')
    while next_anchor < len(anchors):
        for i in section_starts[anchors[next_anchor]]:
            out.append(_heading(i, names[i]))
        next_anchor += 1
    # Every piece above is either a fixed tag or passed through _esc: safe to mark as such.
    return Markup("".join(out).rstrip("\n"))
