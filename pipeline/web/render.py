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

from pipeline.models import PublicRecord
from pipeline.present.labels import ENGLISH, N_, Translator

__all__ = ["ENTITY_NAMES", "PART_CHARS", "Block", "Mark", "Part", "entity_counts", "entity_name",
           "mark_id", "marked", "render_text", "section_anchor", "section_label", "text_parts"]

#: Section names of the records, as a reader calls them; Russian rulings' parts keep the names
#: Russian lawyers cite them by.
SECTION_LABELS = {
    "procedure": N_("Procedure"), "facts": N_("The facts"), "law": N_("The law"),
    "operative": N_("Operative provisions"), "opinions": N_("Separate opinions"),
}
RU_SECTION_LABELS = {
    "intro": "Вводная часть", "descriptive": "Описательная часть",
    "reasoning": "Мотивировочная часть", "operative": "Резолютивная часть",
}

#: Entity labels as a reader calls them (singular, for the hover title; the legend pluralises).
ENTITY_NAMES = {
    "PERSON": (N_("Person"), N_("People")), "PER": (N_("Person"), N_("People")),
    "JUDGE": (N_("Judge"), N_("Judges")), "ORG": (N_("Organisation"), N_("Organisations")),
    "COURT": (N_("Court"), N_("Courts")), "LOC": (N_("Place"), N_("Places")),
    "GPE": (N_("Place"), N_("Places")), "DATE": (N_("Date"), N_("Dates")),
    "ARTICLE": (N_("Article"), N_("Articles")),
    "CODE_ARTICLE": (N_("Code article"), N_("Code articles")),
    "MONEY": (N_("Sum of money"), N_("Sums of money")),
    "APPLICATION_NO": (N_("Application number"), N_("Application numbers")),
    "CASE_NO": (N_("Case number"), N_("Case numbers")), "UID": ("УИД", "УИД"),
    "ECLI": ("ECLI", "ECLI"), "CITATION": (N_("Citation"), N_("Citations")),
}

#: Labels of the statistical recogniser, whose one-word finds are often headings ("FACTS",
#: "УСТАНОВИЛ") or the parties' generic names ("Court", "Government"): those are not drawn.
#: Extraction is untouched (search and the API still see them); this only keeps the page calm.
_NER_LABELS = {"PERSON", "PER", "ORG", "LOC", "GPE"}
_GENERIC_WORDS = {
    "court", "government", "state", "chamber", "commission", "convention", "applicant",
    "registrar", "president", "section", "cour", "gouvernement", "état", "etat", "requérant",
    "requérante", "суд", "государство", "правительство", "заявитель",
}

_UNSAFE_CLASS = re.compile(r"[^A-Za-z0-9_-]+")
#: Empty lines inside a block. Drawn pre-wrap, each would be a full line of height; they become a
#: ``span.gap`` (a small block gap), so a page's spacing is even whatever the source's.
_BLANK_LINES = re.compile(r"[ \t\f\v\xa0]*\n(?:[ \t\f\v\xa0]*\n)+")
_GAP = '<span class="gap"></span>'
#: Characters of text one page of a document shows. A 123-page judgment drawn whole took
#: 0.55 s and tens of seconds under load, and a 7 MB text made 11.7 MB of HTML; parts end
#: between paragraphs, so a paragraph and its anchor are on one page.
PART_CHARS = 60_000


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


def section_label(name: str | None, language: str | None = None,
                  tr: Translator = ENGLISH) -> str:
    """A section's name for readers.

    >>> section_label("facts"), section_label("operative", "ru"), section_label("Annex")
    ('The facts', 'Резолютивная часть', 'Annex')
    """
    if language == "ru" and name in RU_SECTION_LABELS:
        return RU_SECTION_LABELS[name]  # the names Russian lawyers cite, in either interface
    return tr.gettext(SECTION_LABELS[name]) if name in SECTION_LABELS else name or ""


def section_anchor(index: int) -> str:
    """The fragment id of the ``index``-th section (names are free text, so ids use the order)."""
    return f"sec-{index + 1}"


@dataclass(frozen=True)
class _Span:
    start: int
    end: int
    open: str
    close: str
    label: str = ""


@dataclass(frozen=True)
class Mark:
    """A place the query's words occur (``search/within.py``), numbered from 1 over the whole
    text, drawn as ``<mark>`` followed by its links to the previous and next place (``prev``,
    ``next``: hrefs, None at the ends) and ``label`` ("3 of 17"). The links' span carries the
    id ``m-N`` they point to, so a link lands just after the marked words."""

    start: int
    end: int
    number: int
    label: str = ""
    prev: str | None = None
    next: str | None = None
    prev_label: str = "Previous"
    next_label: str = "Next"


def mark_id(number: int) -> str:
    """The fragment id of the ``number``-th marked place."""
    return f"m-{number}"


@dataclass(frozen=True)
class Block:
    """One stretch of text drawn as one element: a numbered paragraph or the text between them."""

    start: int
    end: int
    number: str | None = None


@dataclass(frozen=True)
class Part:
    """One page of a long text: ``[start, end)``, the numbered paragraphs it holds (first and
    last number, None when it holds none) and the sections that start on it."""

    start: int
    end: int
    first: str | None
    last: str | None
    paragraphs: frozenset[str]
    sections: tuple[int, ...]


def entity_name(label: str, plural: bool = False, tr: Translator = ENGLISH) -> str:
    """A reader's name for an entity label: ``ORG`` -> ``Organisation``; unknown labels as given.

    >>> entity_name("ORG"), entity_name("APPLICATION_NO", plural=True), entity_name("X")
    ('Organisation', 'Application numbers', 'X')
    """
    names = ENTITY_NAMES.get(label)
    return tr.gettext(names[1 if plural else 0]) if names else label


def _shown(ent: Mapping[str, Any], text: str) -> bool:
    """Whether an entity is drawn: not a one-word heading or generic party name from the
    statistical recogniser.

    >>> t = "THE FACTS. The Court and the Government; Ensk; Zarechny District"
    >>> [t[s:e] for s, e in ((0, 9), (15, 20), (29, 39), (41, 45), (47, 64))
    ...  if _shown({"label": "ORG", "start": s, "end": e}, t)]
    ['Ensk', 'Zarechny District']
    """
    if str(ent.get("label") or "") not in _NER_LABELS:
        return True
    found = text[int(ent["start"]):int(ent["end"])]
    words = found.split()
    if not words or found.isupper():        # a heading: "THE FACTS", "ТРЕТЬЯ СЕКЦИЯ"
        return False
    if len(words) != 1:
        return True
    word = words[0].strip(".,;:()«»\"'")
    return not (len(word) < 3 or word.lower() in _GENERIC_WORDS)


def _entity_spans(entities: Iterable[Mapping[str, Any]], text: str,
                  tr: Translator = ENGLISH) -> list[_Span]:
    """Entities as non-overlapping spans: where two overlap, the earlier (then longer) wins."""
    spans: list[_Span] = []
    tags: dict[str, str] = {}
    last_end = 0
    limit = len(text)
    for ent in sorted(entities, key=lambda e: (e["start"], -e["end"])):
        start, end = max(int(ent["start"]), last_end), min(int(ent["end"]), limit)
        if end <= start or not _shown(ent, text):
            continue
        label = str(ent.get("label") or "ENT")
        tag = tags.get(label)
        if tag is None:
            tag = tags[label] = (f'<span class="ent ent-{_UNSAFE_CLASS.sub("_", label)}" '
                                 f'data-label="{_esc(label)}" title="{_esc(entity_name(label, tr=tr))}">')
        spans.append(_Span(start, end, tag, "</span>", label))
        last_end = end
    return spans


def entity_counts(record: PublicRecord) -> list[tuple[str, int]]:
    """(label, count) of the entities ``render_text`` draws, most frequent first.

    >>> entity_counts({"text": "The Court, Ensk, 5 May", "entities": [
    ...     {"label": "ORG", "start": 4, "end": 9}, {"label": "LOC", "start": 11, "end": 15},
    ...     {"label": "DATE", "start": 17, "end": 22}, {"label": "DATE", "start": 19, "end": 22}]})
    [('DATE', 1), ('LOC', 1)]
    """
    counts: dict[str, int] = {}
    for span in _entity_spans(record.get("entities") or [], record.get("text") or ""):
        counts[span.label] = counts.get(span.label, 0) + 1
    return sorted(counts.items(), key=lambda kv: (-kv[1], entity_name(kv[0])))


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


def _split(blocks: list[Block], text: str, limit: int) -> list[Block]:
    """Blocks longer than ``limit`` cut at a line break (else a space) before it, so no part
    is longer than ``limit``; the paragraph's number (its anchor) stays on the first piece."""
    out: list[Block] = []
    for block in blocks:
        start, number = block.start, block.number
        while block.end - start > limit:
            cut = text.rfind("\n", start + limit // 2, start + limit)
            if cut < 0:
                cut = text.rfind(" ", start + limit // 2, start + limit)
            cut = cut + 1 if cut >= 0 else start + limit
            out.append(Block(start, cut, number))
            start, number = cut, None
        out.append(Block(start, block.end, number) if start != block.start else block)
    return out


def _layout(record: PublicRecord, limit: int) -> tuple[list[Block], dict[int, list[int]]]:
    """The blocks of a record's text (paragraphs, text between, cut at section starts and at
    ``limit``), and {offset: [section indexes starting there]}."""
    text: str = record.get("text") or ""
    section_starts: dict[int, list[int]] = {}
    for i, sec in enumerate(record.get("sections") or []):
        section_starts.setdefault(int(sec["start"]), []).append(i)
    blocks = _blocks(record.get("paragraphs") or [], section_starts, len(text))
    return _split(blocks, text, limit), section_starts


def text_parts(record: PublicRecord, limit: int | None = None) -> list[Part]:
    """The text cut into pages of at most ``limit`` characters (``PART_CHARS``), between
    blocks: a short text is one part. A section belongs to the part whose text it heads.

    >>> rec = {"text": "a" * 10 + "b" * 10 + "c" * 10, "sections": [{"start": 10}],
    ...        "paragraphs": [{"number": "1", "start": 0, "end": 10},
    ...                       {"number": "2", "start": 10, "end": 20},
    ...                       {"number": "3", "start": 20, "end": 30}]}
    >>> [(p.start, p.end, p.first, p.last, p.sections) for p in text_parts(rec, 20)]
    [(0, 20, '1', '2', (0,)), (20, 30, '3', '3', ())]
    """
    limit = PART_CHARS if limit is None else limit
    blocks, section_starts = _layout(record, limit)
    groups: list[list[Block]] = []
    size = 0
    for block in blocks:
        length = block.end - block.start
        if not groups or size + length > limit:
            groups.append([])
            size = 0
        groups[-1].append(block)
        size += length
    anchors = sorted(section_starts)
    parts: list[Part] = []
    for n, group in enumerate(groups):
        start = group[0].start
        end = group[-1].end if n + 1 < len(groups) else max(group[-1].end, len(record.get("text") or ""))
        # A heading is drawn before the first block ending after it: the part of that block.
        sections = tuple(i for a in anchors
                         if (start <= a < end or (n + 1 == len(groups) and a >= end)
                             or (n == 0 and a < start))
                         for i in section_starts[a])
        numbers = [b.number for b in group if b.number]
        parts.append(Part(start, end, numbers[0] if numbers else None,
                          numbers[-1] if numbers else None, frozenset(numbers), sections))
    if not parts:
        anchors_all = tuple(i for a in anchors for i in section_starts[a])
        parts.append(Part(0, 0, None, None, frozenset(), anchors_all))
    return parts


def _inline(text: str, start: int, end: int,
            layers: Sequence[tuple[list[_Span], list[int]]],
            after: Mapping[int, str] | None = None) -> str:
    """The HTML of ``text[start:end]`` with each layer's spans (outermost first: citations,
    entities, the query's marks), all clipped to the block. Where an outer span starts or
    ends inside an inner one, the inner is closed and opened again around it, so elements
    always nest (a span drawn in pieces carries no id: ids go on the links after marks). ``after``
    puts a piece of HTML after the text ending at an offset, outside every span (a link may
    not sit inside a citation's link)."""
    after = after or {}
    events: set[int] = {start, end}
    chosen = [_overlapping(spans, starts, start, end) for spans, starts in layers]
    for spans in chosen:
        for span in spans:
            events.add(max(span.start, start))
            events.add(min(span.end, end))
    events.update(at for at in after if start < at <= end)
    points = sorted(events)
    out: list[str] = []
    depth = len(chosen)
    opened: list[_Span | None] = [None] * depth
    index = [0] * depth

    def close(down_to: int) -> None:
        for k in reversed(range(down_to, depth)):
            was = opened[k]
            if was is not None:
                out.append(was.close)
                opened[k] = None

    for a, b in zip(points, points[1:]):
        want: list[_Span | None] = []
        for k, spans in enumerate(chosen):
            while index[k] < len(spans) and spans[index[k]].end <= a:
                index[k] += 1
            here = spans[index[k]] if index[k] < len(spans) else None
            want.append(here if here is not None and here.start <= a else None)
        differs = next((k for k in range(depth) if want[k] is not opened[k]), depth)
        close(differs)
        for k in range(differs, depth):
            wanted = want[k]
            if wanted is not None:
                out.append(wanted.open)
                opened[k] = wanted
        out.append(_esc(text[a:b]))
        if b in after:
            close(0)
            out.append(after[b])
    close(0)
    return "".join(out)


def _starts_with_number(text: str, start: int, number: str) -> bool:
    """Whether the paragraph at ``start`` prints its own number ("1.", "(1)", "§ 1", "1)").

    >>> _starts_with_number("x 12. The", 2, "12"), _starts_with_number("(3) a", 0, "3")
    (True, True)
    >>> _starts_with_number("The 1.", 0, "1"), _starts_with_number("12. b", 0, "1")
    (False, False)
    """
    head = text[start:start + len(number) + 6]
    return re.match(rf"\(?(?:§\s*)?{re.escape(number)}(?![\w])", head) is not None


def _heading(index: int, label: str, lang: str | None = None) -> str:
    attribute = f' lang="{_esc(lang)}"' if lang else ""
    return f'<h3 class="section-start" id="{section_anchor(index)}"{attribute}>{_esc(label)}</h3>\n'


def _overlapping(spans: list[_Span], starts: list[int], start: int, end: int) -> list[_Span]:
    """The sorted, non-overlapping ``spans`` that touch ``[start, end)``, found by bisection so a
    300,000-character judgment stays linear overall."""
    lo = max(bisect_right(starts, start) - 1, 0)
    hi = bisect_left(starts, end)
    return [s for s in spans[lo:hi] if s.end > start and s.start < end]


def _mark_spans(marks: Sequence[Mark]) -> list[_Span]:
    return [_Span(m.start, m.end, '<mark class="q">', "</mark>") for m in marks]


def _starting(marks: Sequence[Mark], start: int, end: int) -> list[Mark]:
    """The marks that start in ``[start, end)`` (their links follow them in that block)."""
    lo = bisect_left([m.start for m in marks], start)
    return [m for m in marks[lo:] if m.start < end]


def _mark_nav(mark: Mark) -> str:
    """The links after a marked place: previous, "3 of 17", next (an end has no link). Kept
    short: a long judgment may hold a thousand places of a common word."""
    def link(href: str | None, rel: str, label: str, arrow: str) -> str:
        if href is None:
            return f'<span class="end" aria-hidden="true">{arrow}</span>'
        return f'<a rel="{rel}" href="{_esc(href)}" title="{_esc(label)}">{arrow}</a>'

    return (f'<span class="mark-nav" id="{mark_id(mark.number)}">'
            f'{link(mark.prev, "prev", mark.prev_label, "‹")}'
            f'<span class="mark-count">{_esc(mark.label)}</span>'
            f'{link(mark.next, "next", mark.next_label, "›")}</span>')


def render_text(record: PublicRecord, targets: Mapping[int, str] | None = None, *,
                entities: bool = True, part: Part | None = None,
                tr: Translator = ENGLISH, marks: Sequence[Mark] = ()) -> Markup:
    """The text of a record as HTML: ``<p class="para" id="p-N">`` per numbered paragraph,
    ``<div class="plain">`` for the text between, section anchors, entities and citations.

    ``targets`` maps the start offset of a citation to the id of the document it cites;
    ``entities=False`` draws the text without entity spans; ``part`` (one of ``text_parts``)
    draws only that page of the text; ``marks`` (sorted, not overlapping) are drawn inside
    both, each followed by its links (``Mark``). A paragraph's number stays in its text; the
    ``a.para-number`` before it is only a small link to the paragraph (a pinpoint).

    >>> rec = {"text": "Intro <x>\\n1. Ivanov v. Russia was cited.", "sections": [],
    ...        "paragraphs": [{"number": "1", "start": 10, "end": 40}],
    ...        "citations": [{"start": 13, "end": 29}],
    ...        "entities": [{"label": "PERSON", "start": 13, "end": 19}]}
    >>> print(render_text(rec, {13: "ivanov"}))
    <div class="plain">Intro &lt;x&gt;</div>
    <p class="para" id="p-1"><a class="para-number" href="#p-1" title="Link to § 1" aria-label="Link to § 1">¶</a>1. <a class="citation" href="/documents/ivanov"><span class="ent ent-PERSON" data-label="PERSON" title="Person">Ivanov</span> v. Russia</a> was cited.</p>
    """
    text: str = record.get("text") or ""
    names = [section_label(s.get("name"), record.get("language"), tr)
             for s in record.get("sections") or []]
    # Labels the page translated (not a Russian ruling's own part names) say their language.
    label_lang = [getattr(tr, "language", None) if s.get("name") in SECTION_LABELS and not (
        record.get("language") == "ru" and s.get("name") in RU_SECTION_LABELS) else None
        for s in record.get("sections") or []]
    blocks, section_starts = _layout(record, PART_CHARS)
    lo, hi = (0, len(text)) if part is None else (part.start, part.end)
    shown_sections = None if part is None else set(part.sections)
    # Only the spans that reach into the drawn stretch are built: a 7 MB text has tens of
    # thousands of entities, and a page draws a few thousand characters of it.
    outer = _citation_spans([c for c in record.get("citations") or []
                             if int(c["end"]) > lo and int(c["start"]) < hi],
                            targets or {}, len(text))
    inner = _entity_spans([e for e in record.get("entities") or []
                           if int(e["end"]) > lo and int(e["start"]) < hi], text, tr) \
        if entities else []
    marks = sorted((m for m in marks if m.end > lo and m.start < hi), key=lambda m: m.start)
    layers = [(spans, [s.start for s in spans])
              for spans in (outer, inner, _mark_spans(marks))]
    anchors = sorted(section_starts)
    next_anchor = 0
    used_ids: dict[str, int] = {}
    link_to = tr.gettext("Link to § %(number)s")
    out: list[str] = []

    def headings(at: int) -> None:
        for i in section_starts[at]:
            if shown_sections is None or i in shown_sections:
                out.append(_heading(i, names[i], label_lang[i]))

    for block in blocks:
        while next_anchor < len(anchors) and anchors[next_anchor] < block.end:
            headings(anchors[next_anchor])
            next_anchor += 1
        # White space at a block's edges would only draw blank lines around it (the blocks are
        # pre-wrap, their margins separate them); a block of nothing but white space is dropped.
        # Inside a block, line breaks are the document's; empty lines become a small gap.
        start, end = block.start, block.end
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        if start == end:
            continue
        ident = None
        if block.number is not None:
            # Ids count repeated numbers over the whole text, so a page's ids are the same
            # whichever page it is.
            seen = used_ids.get(block.number, 0)
            used_ids[block.number] = seen + 1
            ident = f"p-{block.number}" if not seen else f"p-{block.number}-{seen + 1}"
        if not (lo <= block.start < hi):
            continue
        body = _BLANK_LINES.sub(_GAP, _inline(text, start, end, layers,
                                              {min(m.end, end): _mark_nav(m)
                                               for m in _starting(marks, start, end)}))
        if ident is None or block.number is None:
            out.append(f'<div class="plain">{body}</div>\n')
            continue
        ident = _esc(ident)
        # The text itself starts with its number ("1. The case..."): the link is a pilcrow in the
        # margin. A paragraph whose text does not print its number shows it in the link instead.
        number = _esc(block.number)
        shown = "¶" if _starts_with_number(text, start, block.number) else f"§ {number}"
        link = _esc(link_to % {"number": block.number})
        out.append(f'<p class="para" id="{ident}"><a class="para-number" href="#{ident}" '
                   f'title="{link}" aria-label="{link}">{shown}</a>'
                   f'{body}</p>\n')
    while next_anchor < len(anchors):
        headings(anchors[next_anchor])
        next_anchor += 1
    # Every piece above is either a fixed tag or passed through _esc: safe to mark as such.
    return Markup("".join(out).rstrip("\n"))
