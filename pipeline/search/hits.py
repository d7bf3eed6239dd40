"""Hits as the user sees them: snippet, paragraph, section and pinpoint citation.

Engine-neutral: an engine hands over, per hit, its stored fields, its score and the analysed
terms it matched per body field; everything shown is then read from the catalogue here, so
both engines produce the same hit for the same document and terms.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from pipeline.catalogue import Catalogue, Document
from pipeline.models import CitableRecord, empty_record
from pipeline.present.pinpoint import citation_for, paragraph_at
from pipeline.search.base import Hit
from pipeline.search.language.analysis import body_field
from pipeline.search.snippets import make_snippet

__all__ = ["Row", "citable", "make_hits", "strongest"]

#: (stored fields with ``id``, ``title``, ``date`` as ISO text, ``court``, ``kind``,
#: ``language``; score; {body field: matched analysed terms})
Row = tuple[dict[str, Any], float, dict[str, set]]


def make_hits(rows: Iterable[Row], catalogue: Catalogue, keys: list[str],
              analyzer_of: Callable[[str], Any], *, snippets: bool = True) -> list[Hit]:
    """One Hit per row, with the snippet around its matched terms (or the identifiers ``keys``
    the query named) read from the catalogue's text. ``analyzer_of(field)`` is the analyzer of
    a body field, which tells which words of the text are the matched terms.

    Without ``snippets``, hits carry only what the index stores (id, title, date, court, kind,
    language, score): no text is read, as for a list of titles beside a document."""
    rows = list(rows)
    if not snippets:
        return [Hit(id=f["id"], title=f.get("title"), date=f.get("date"), court=f.get("court"),
                    kind=f.get("kind"), language=f.get("language"), score=score)
                for f, score, _ in rows]
    # Entities and citations are most of a record, and a hit shows neither.
    docs = catalogue.documents((f["id"] for f, _, _ in rows), without=("entities", "citations"))
    hits = []
    for fields, score, terms in rows:
        doc = docs.get(fields["id"])
        field = body_field(fields.get("language"))
        snippet, anchor = None, None
        if doc is not None:
            snippet, anchor = make_snippet(doc.text, terms.get(field, set()), analyzer_of(field),
                                           keys, doc.page_offsets, with_anchor=True)
        hit = Hit(id=fields["id"], title=fields.get("title"), date=fields.get("date"),
                  court=fields.get("court"), kind=fields.get("kind"),
                  language=fields.get("language"), score=score, snippet=snippet)
        if doc is not None:
            record = citable(doc)
            if anchor is not None:
                hit.paragraph, hit.section = paragraph_at(record, anchor)
            hit.citation = citation_for(record, hit.paragraph, hit.section)
        hits.append(hit)
    return hits


def row_of(hit: Hit, terms: dict[str, set]) -> Row:
    """The row ``make_hits`` makes ``hit`` from, with the query's marked ``terms``: a hit
    listed without its snippet is dressed later from what it carries."""
    return ({"id": hit.id, "title": hit.title, "date": hit.date, "court": hit.court,
             "kind": hit.kind, "language": hit.language}, hit.score, terms)


def citable(doc: Document) -> CitableRecord:
    """What ``citation_for`` needs: the stored record's part of it, and the language and text
    that live on the catalogue row."""
    record = doc.record or empty_record()
    return {"kind": record["kind"], "title": record["title"] or doc.title,
            "language": doc.language, "text": doc.text, "formation": record["formation"],
            "date": record["date"], "court": record["court"],
            "case_numbers": record["case_numbers"], "sections": record["sections"],
            "paragraphs": record["paragraphs"]}


def strongest(terms: dict[str, set], strong: set[str]) -> dict[str, set]:
    """Only the ``strong`` terms of each field (a similar document marks its key terms only)."""
    return {f: t & strong for f, t in terms.items()}
