"""A list of authorities: a case file as the annex of an application cites it.

Two headed lists, as an application to the European Court sets them out: the Court's case-law
(alphabetically by case name, as the Court's own lists are; then by date), and domestic rulings
(by court, the Constitutional and Supreme Courts first, the others alphabetically; then by date,
oldest first, undated last). Each document is cited once, in full, with every pinned paragraph
(``Mikheyev v. Russia, no. 77617/01, §§ 110 and 135, 26 January 2006``), as ``search`` cites a
hit (``present.pinpoint.citation_for``); a date the record is unsure of is null there and so
never printed. Written as DOCX (python-docx), CSV (one row per item, UTF-8 with a BOM so that
Excel reads Cyrillic) or JSON; the lawyer's notes only when asked (``with_notes``).

>>> write(show(cat, "Ivanov"), Path("authorities.docx"), with_notes=True)  # doctest: +SKIP
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from pipeline.casefiles import CaseFile, CaseItem, cited_of
from pipeline.catalogue import Catalogue
from pipeline.errors import CaseFileError
from pipeline.reference.calendar import MONTHS

__all__ = ["FORMATS", "MEDIA_TYPES", "Authority", "Authorities", "Search", "authorities",
           "encoded", "pinpoints", "rows", "write"]

#: The export formats, by file extension.
FORMATS = ("docx", "csv", "json")
#: What each format is served as.
MEDIA_TYPES = {"docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
               "csv": "text/csv; charset=utf-8", "json": "application/json"}
#: The list headings, in the order they are printed.
HEADINGS = {"strasbourg": "Case-law of the European Court of Human Rights",
            "domestic": "Domestic rulings"}
#: Courts cited before the others in the domestic list (a higher court first).
_HIGH_COURTS = (re.compile(r"конституционн\w* суд|constitutional court", re.IGNORECASE),
                re.compile(r"верховн\w* суд|supreme court", re.IGNORECASE))
#: What stands in for the pinpoint while the citation is built, replaced by the paragraphs.
_SLOT = "\uE000"
_AND = {"fr": "et", "ru": "и", "uk": "та"}
CSV_COLUMNS = ("list", "citation", "pinpoint", "doc_id", "status", "title", "court", "date",
               "kind", "query", "filters", "added_at", "note")


@dataclass
class Authority:
    """One document in the list: its citation with every pinned paragraph, and its items."""

    citation: str
    items: list[CaseItem] = field(default_factory=list)

    @property
    def missing(self) -> bool:
        return any(i.status == "missing" for i in self.items)


@dataclass(frozen=True)
class Search:
    """The search a list of authorities was made from, when it is a result list rather than a
    case file: printed at its head, so the list says what it is the result of."""

    query: str
    filters: tuple[str, ...] = ()
    mode: str | None = None
    #: Hits listed, and how many the search found in all.
    listed: int = 0
    total: int = 0

    def to_json(self) -> dict[str, Any]:
        return {"query": self.query, "filters": list(self.filters), "mode": self.mode,
                "listed": self.listed, "total": self.total}


@dataclass
class Authorities:
    """The two lists of a case file, each sorted as it is printed."""

    casefile: CaseFile
    exported_on: date
    strasbourg: list[Authority] = field(default_factory=list)
    domestic: list[Authority] = field(default_factory=list)
    search: Search | None = None


def pinpoints(numbers: list[str], language: str | None) -> str:
    """The paragraphs of one citation, in order, runs as ranges as the Court prints them:
    ``135``, ``110 and 135``, ``98-100``, ``4, 5-7 et 9``.

    >>> pinpoints(["135", "12", "40", "41", "42"], "en")
    '12, 40-42 and 135'
    """
    ordered = sorted(set(numbers), key=_number_key)
    parts: list[str] = []
    run: list[str] = []
    for number in ordered + [""]:
        if run and number.isdigit() and run[-1].isdigit() and int(number) == int(run[-1]) + 1:
            run.append(number)
            continue
        if run:
            parts.append(run[0] if len(run) == 1 else f"{run[0]}-{run[-1]}")
        run = [number]
    if len(parts) == 1:
        return parts[0]
    return ", ".join(parts[:-1]) + f" {_AND.get(language or '', 'and')} " + parts[-1]


def _number_key(number: str) -> tuple[int, str]:
    digits = re.match(r"\d+", number)
    return (int(digits.group()) if digits else 1 << 30, number)


def _citation(doc_citation: Callable[[str | None], str | None], item: CaseItem,
              numbers: list[str]) -> str:
    if len(numbers) <= 1:
        return doc_citation(numbers[0] if numbers else None) or item.title or item.doc_id
    text = doc_citation(_SLOT) or ""
    joined = pinpoints(numbers, item.language)
    for single, plural in ((f"§ {_SLOT}", f"§§ {joined}"), (f"п. {_SLOT}", f"пп. {joined}"),
                           (f"[{_SLOT}]", ", ".join(f"[{n}]" for n in
                                                    sorted(set(numbers), key=_number_key)))):
        text = text.replace(single, plural)
    return text.replace(_SLOT, joined) or item.title or item.doc_id


def _repinned(citation: str, old: str, new: str | None) -> str:
    """A saved citation pinned to paragraph ``old``, pinned to ``new`` instead.

    >>> _repinned("Mikheyev v. Russia, no. 77617/01, § 1, 26 January 2006", "1", "\uE000")
    'Mikheyev v. Russia, no. 77617/01, § \uE000, 26 January 2006'
    """
    if new is None:
        return citation
    return re.sub(rf"(§ |п\. |\[){re.escape(old)}(?![\w/])", lambda m: m.group(1) + new,
                  citation, count=1)


def authorities(casefile: CaseFile, catalogue: Catalogue | None = None, *,
                exported_on: date | None = None, search: Search | None = None) -> Authorities:
    """Group a case file's items by document and sort the two lists.

    ``catalogue`` (open) cites each present document with all its pinned paragraphs; without
    it, or for a document gone from the index, each item's own citation is used. ``search``:
    the list is a result list (``casefiles.unsaved``), headed by the search that made it."""
    groups: dict[str, list[CaseItem]] = {}
    for item in casefile.items:
        key = item.shown_id if item.shown_id else f"missing:{item.doc_id}"
        groups.setdefault(key, []).append(item)
    docs = {}
    if catalogue is not None:
        docs = catalogue.documents([k for k in groups if not k.startswith("missing:")],
                                   without=("entities", "citations"))
    out = Authorities(casefile, exported_on or date.today(), search=search)
    for key, items in groups.items():
        items.sort(key=lambda i: _number_key(i.paragraph or ""))
        first = items[0]
        numbers = [i.paragraph for i in items if i.paragraph and i.status == "ok"]
        doc = docs.get(key)
        if doc is not None:
            citation = _citation(lambda p: cited_of(doc, p).citation, first, numbers)
        else:  # gone from the index: cited as it was when added
            saved = [i.paragraph for i in items if i.paragraph]
            citation = first.citation or first.title or first.doc_id
            if len(saved) > 1 and first.paragraph:
                def repin(p: str | None, c: str = citation, f: str = first.paragraph) -> str:
                    return _repinned(c, f, p)
                citation = _citation(repin, first, saved)
        entry = Authority(citation, items)
        (out.strasbourg if first.strasbourg else out.domestic).append(entry)
    out.strasbourg.sort(key=lambda a: (_name_key(a.citation), a.items[0].date or "9999"))
    out.domestic.sort(key=_domestic_key)
    return out


def _name_key(citation: str) -> str:
    """The case name a Strasbourg citation opens with, for alphabetical order."""
    return citation.split(",", 1)[0].casefold()


def _domestic_key(entry: Authority) -> tuple[int, str, str, str]:
    item = entry.items[0]
    court = item.court or ""
    rank = next((n for n, pattern in enumerate(_HIGH_COURTS) if pattern.search(court)),
                len(_HIGH_COURTS))
    return (rank, court.casefold() or "\uffff", item.date or "9999", entry.citation.casefold())


def rows(listed: Authorities, *, with_notes: bool = False) -> list[dict[str, Any]]:
    """One row per item, in the order of the lists: what CSV and JSON exports hold. Each row's
    citation is pinpointed to its own paragraph (the DOCX joins a document's paragraphs)."""
    out = []
    for name in ("strasbourg", "domestic"):
        for entry in getattr(listed, name):
            for item in entry.items:
                row: dict[str, Any] = {
                    "list": name, "citation": item.citation, "pinpoint": item.paragraph,
                    "doc_id": item.shown_id or item.doc_id, "status": item.status,
                    "title": item.title, "court": item.court, "date": item.date,
                    "kind": item.kind, "query": item.query, "filters": item.filters,
                    "added_at": item.added_at}
                if with_notes:
                    row["note"] = item.note
                out.append(row)
    return out


def long_date(day: date) -> str:
    """``7 December 2026``: the Court's way of writing a date."""
    return f"{day.day} {MONTHS['en'][day.month - 1]} {day.year}"


def write(listed: Authorities, out: Path, *, with_notes: bool = False) -> Path:
    """Write ``out`` in the format its extension names (.docx, .csv or .json), atomically."""
    out = Path(out)
    kind = out.suffix.lower().lstrip(".")
    if kind not in FORMATS:
        raise CaseFileError(f"{out}: export to .docx, .csv or .json")
    data = encoded(listed, kind, with_notes=with_notes)
    out.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=out.parent, prefix=f".{out.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, out)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return out


def encoded(listed: Authorities, kind: str, *, with_notes: bool = False) -> bytes:
    """The list as the bytes of a ``kind`` file (one of ``FORMATS``): what ``write`` stores
    and the page serves as a download."""
    if kind == "docx":
        return _docx(listed, with_notes)
    if kind == "csv":
        return _csv(listed, with_notes)
    if kind == "json":
        return _json(listed, with_notes)
    raise CaseFileError(f"{kind}: a list of authorities is written as docx, csv or json")


def search_lines(search: Search) -> list[str]:
    """How a result list says what it is the result of, at its head.

    >>> search_lines(Search("пытка", ("state:russia",), "words", 20, 31))
    ['Search: пытка', 'Filters: state:russia', 'Mode: words', 'The first 20 of 31 documents found']
    """
    lines = [f"Search: {search.query}" if search.query.strip() else "Search: every document"]
    if search.filters:
        lines.append("Filters: " + "; ".join(search.filters))
    if search.mode:
        lines.append(f"Mode: {search.mode}")
    if search.total > search.listed:
        lines.append(f"The first {search.listed} of {search.total} documents found")
    return lines


def _json(listed: Authorities, with_notes: bool) -> bytes:
    data = {"casefile": listed.casefile.name, "exported_on": listed.exported_on.isoformat(),
            "note": listed.casefile.note if with_notes else None,
            **({"search": listed.search.to_json()} if listed.search else {}),
            "items": rows(listed, with_notes=with_notes)}
    return (json.dumps(data, ensure_ascii=False, indent=1) + "\n").encode("utf-8")


def _csv(listed: Authorities, with_notes: bool) -> bytes:
    buffer = io.StringIO()
    columns = CSV_COLUMNS if with_notes else CSV_COLUMNS[:-1]
    writer = csv.DictWriter(buffer, fieldnames=columns, lineterminator="\r\n")
    writer.writeheader()
    for row in rows(listed, with_notes=with_notes):
        row["filters"] = "; ".join(row["filters"])
        writer.writerow({k: _cell(v) for k, v in row.items()})
    return buffer.getvalue().encode("utf-8-sig")


def _cell(value: Any) -> str:
    """A CSV cell a spreadsheet shows as text: a title or note from a foreign bundle that
    opens with ``=``, ``+``, ``-`` or ``@`` would otherwise run as a formula (CSV injection),
    so it is quoted with a leading apostrophe, as OWASP advises.

    >>> _cell("=SUM(A1:A9)"), _cell("2006-01-26"), _cell(None)
    ("'=SUM(A1:A9)", '2006-01-26', '')
    """
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def _docx(listed: Authorities, with_notes: bool) -> bytes:
    from docx import Document as DocxDocument
    from docx.shared import Pt

    doc = DocxDocument()
    doc.add_heading("List of authorities", level=1)
    if listed.search is None:
        doc.add_paragraph(f"Case file: {listed.casefile.name}")
    doc.add_paragraph(f"Exported on {long_date(listed.exported_on)}")
    for line in search_lines(listed.search) if listed.search else []:
        doc.add_paragraph(line)
    if with_notes and listed.casefile.note:
        doc.add_paragraph(f"Note: {listed.casefile.note}").runs[0].italic = True
    for name, heading in HEADINGS.items():
        entries: list[Authority] = getattr(listed, name)
        if not entries:
            continue
        doc.add_heading(heading, level=2)
        for n, entry in enumerate(entries, 1):
            doc.add_paragraph(f"{n}. {entry.citation}")
            lines = []
            if entry.missing:
                lines.append("Not in the index any more: cited as it was when added; check it.")
            lines += [f"§ {i.paragraph} was pinned but the document has no such paragraph "
                      "any more; check it." for i in entry.items
                      if i.status == "paragraph-missing"]
            if with_notes:
                lines += [(f"§ {i.paragraph}: " if i.paragraph else "") + i.note
                          for i in entry.items if i.note]
            for line in lines:
                para = doc.add_paragraph(line)
                para.paragraph_format.left_indent = Pt(18)
                for run in para.runs:
                    run.italic = True
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()
