"""Case files: a lawyer's named collections of documents and pinned paragraphs, with notes.

A case file lives in the catalogue (tables ``casefiles`` and ``casefile_items``), apart from the
documents: an item names a document by id, and optionally one numbered paragraph of it (as the
record's ``paragraphs`` number them), with the lawyer's note and, for an item added from a
search, the query, filters and mode that found it.

Items are never dropped behind the lawyer's back. A document removed from the index (``ingest
--prune``) leaves its item in place, read back as ``missing`` with the citation saved when it
was added; a copy merged into another document (``catalogue.merged_into``) reads as the document
it is shown as; a re-parsed document that lost the pinned paragraph reads as
``paragraph-missing``. Every write runs under the ingest lock (``writing``), so a case-file
change never races an ingest of the same index.

>>> with writing(Path("index")) as cat:                                   # doctest: +SKIP
...     add_items(cat, "Ivanov v. Russia", [Addition("001-57534", paragraph="135")])
>>> show(Catalogue.open(Path("index"), readonly=True), "Ivanov v. Russia")  # doctest: +SKIP
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from pipeline.catalogue import CATALOGUE_FILE, Catalogue, Document, now
from pipeline.errors import CaseFileError, CaseFileNotFound, CatalogueError, DocumentNotFound

__all__ = ["Addition", "AddReport", "CaseFile", "CaseItem", "Cited", "Found", "Summary",
           "add_items", "delete", "from_search", "has_tables", "listing", "remove_items",
           "set_note", "show", "unsaved", "writing"]

#: What an item reads as: its document is here (``ok``); gone from the index (``missing``);
#: here, but without the numbered paragraph pinned (``paragraph-missing``).
STATUSES = ("ok", "missing", "paragraph-missing")
#: Longest case-file name: it heads an exported list and names a file on the page.
MAX_NAME = 200


@dataclass
class Cited:
    """What an item's document said when it was added: how a missing document is still cited."""

    citation: str | None = None
    title: str | None = None
    kind: str | None = None
    court: str | None = None
    date: str | None = None
    language: str | None = None

    @classmethod
    def from_json(cls, data: Any) -> Cited:
        if not isinstance(data, dict):
            return cls()
        return cls(**{k: v if isinstance(v, str) else None for k, v in data.items()
                      if k in cls.__dataclass_fields__})


@dataclass
class CaseItem:
    """One document (or one pinned paragraph of it) in a case file.

    ``doc_id`` is the id it was added under; ``shown_id`` the document it reads as now (the
    one a merged copy is shown as), None when the document is gone. ``citation`` is the
    current pinpoint citation, or the one saved when it was added (``cited``) when missing.
    """

    doc_id: str
    paragraph: str | None
    note: str | None
    query: str | None
    filters: list[str]
    mode: str | None
    added_at: str
    cited: Cited
    status: str = "ok"
    shown_id: str | None = None
    citation: str | None = None
    title: str | None = None
    kind: str | None = None
    court: str | None = None
    date: str | None = None
    language: str | None = None

    @property
    def strasbourg(self) -> bool:
        """A case of the European Court (or Commission), cited in the Court's style."""
        return (self.kind or "").startswith("echr")

    def to_json(self, *, with_notes: bool = True) -> dict[str, Any]:
        data = asdict(self)
        data["list"] = "strasbourg" if self.strasbourg else "domestic"
        if not with_notes:
            data.pop("note")
        return data


@dataclass
class CaseFile:
    """A case file as read back, each item resolved against the catalogue."""

    name: str
    note: str | None
    created_at: str
    updated_at: str
    items: list[CaseItem] = field(default_factory=list)

    @property
    def missing(self) -> int:
        return sum(1 for i in self.items if i.status != "ok")

    def to_json(self, *, with_notes: bool = True) -> dict[str, Any]:
        return {"name": self.name, "note": self.note if with_notes else None,
                "created_at": self.created_at, "updated_at": self.updated_at,
                "items": [i.to_json(with_notes=with_notes) for i in self.items]}


@dataclass
class Summary:
    """One line of ``casefile list``."""

    name: str
    note: str | None
    items: int
    documents: int
    updated_at: str

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class Addition:
    """An item to add: a document, the paragraph to pin (or None), and where it came from."""

    doc_id: str
    paragraph: str | None = None
    note: str | None = None
    query: str | None = None
    filters: list[str] = field(default_factory=list)
    mode: str | None = None


@dataclass
class AddReport:
    """What ``add`` did: the case file was ``created``; items ``added``, or already there and
    ``updated`` (a new note or query); each as (id as given, id stored, paragraph)."""

    name: str
    created: bool = False
    added: list[tuple[str, str, str | None]] = field(default_factory=list)
    updated: list[tuple[str, str, str | None]] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        def rows(items: list[tuple[str, str, str | None]]) -> list[dict[str, Any]]:
            return [{"given": g, "doc_id": d, "paragraph": p} for g, d, p in items]
        return {"casefile": self.name, "created": self.created, "added": rows(self.added),
                "updated": rows(self.updated)}


# -- reading ----------------------------------------------------------------------------------

def has_tables(catalogue: Catalogue) -> bool:
    """Whether the catalogue has the case-file tables: one written by an older precedents and
    opened read-only has none (nothing is created on a read-only open), i.e. no case files."""
    return catalogue.conn.execute(
        "SELECT 1 FROM sqlite_master WHERE type='table' AND name='casefile_items'"
    ).fetchone() is not None


def listing(catalogue: Catalogue) -> list[Summary]:
    """Every case file, by name, with how many items and distinct documents it holds."""
    if not has_tables(catalogue):
        return []
    rows = catalogue.conn.execute(
        "SELECT c.name, c.note, c.updated_at, COUNT(i.id) AS items,"
        " COUNT(DISTINCT i.doc_id) AS documents FROM casefiles c"
        " LEFT JOIN casefile_items i ON i.casefile = c.id GROUP BY c.id ORDER BY c.name")
    return [Summary(r["name"], r["note"], r["items"], r["documents"], r["updated_at"])
            for r in rows]


def show(catalogue: Catalogue, name: str) -> CaseFile:
    """The case file ``name`` with every item resolved: merged copies read as the document
    shown, gone documents as ``missing`` with the citation saved when they were added."""
    row = _row(catalogue, name)
    items = [_item(r) for r in catalogue.conn.execute(
        "SELECT * FROM casefile_items WHERE casefile=? ORDER BY id", (row["id"],))]
    _resolve(catalogue, items)
    return CaseFile(row["name"], row["note"], row["created_at"], row["updated_at"], items)


def unsaved(catalogue: Catalogue, name: str, additions: Sequence[Addition]) -> CaseFile:
    """A case file made in memory and resolved, never stored: how a result list is exported
    as a list of authorities without keeping it (ids not in the catalogue read as missing,
    a paragraph the record lacks as ``paragraph-missing``)."""
    stamp = now()
    items = [CaseItem(doc_id=a.doc_id, paragraph=a.paragraph, note=a.note, query=a.query,
                      filters=list(a.filters), mode=a.mode, added_at=stamp, cited=Cited())
             for a in additions]
    _resolve(catalogue, items)
    return CaseFile(check_name(name), None, stamp, stamp, items)


def _row(catalogue: Catalogue, name: str) -> Any:
    row = None
    if has_tables(catalogue):
        row = catalogue.conn.execute("SELECT * FROM casefiles WHERE name=?",
                                     (" ".join(name.split()),)).fetchone()
    if row is None:
        raise CaseFileNotFound(f"{name}: no case file of this name (see `precedents casefile "
                               "list`)")
    return row


def _item(row: Any) -> CaseItem:
    try:
        filters = json.loads(row["filters"] or "[]")
        cited = json.loads(row["cited"] or "{}")
    except ValueError:
        filters, cited = [], {}
    return CaseItem(doc_id=row["doc_id"], paragraph=row["paragraph"] or None, note=row["note"],
                    query=row["query"],
                    filters=[f for f in filters if isinstance(f, str)] if isinstance(
                        filters, list) else [],
                    mode=row["mode"], added_at=row["added_at"], cited=Cited.from_json(cited))


def shown_ids(catalogue: Catalogue, ids: Iterable[str]) -> dict[str, str]:
    """id -> the document it reads as now: itself, or the document a merged copy is shown as
    (when that one is still here); ids of documents no longer in the catalogue are left out."""
    ids = list(dict.fromkeys(ids))
    merged = catalogue.merged_into(ids)
    present = _present(catalogue, ids)
    targets = _present(catalogue, list(set(merged.values())))
    found: dict[str, str] = {}
    for doc_id in ids:
        into = merged.get(doc_id)
        if into is not None and into in targets:
            found[doc_id] = into
        elif doc_id in present:
            found[doc_id] = doc_id
    return found


def _present(catalogue: Catalogue, ids: list[str]) -> set[str]:
    """Which of ``ids`` are documents of the catalogue (without reading their texts)."""
    found: set[str] = set()
    for start in range(0, len(ids), 500):
        part = ids[start:start + 500]
        found |= {r[0] for r in catalogue.conn.execute(
            f"SELECT id FROM documents WHERE id IN ({','.join('?' * len(part))})", part)}
    return found


def _resolve(catalogue: Catalogue, items: Sequence[CaseItem]) -> None:
    shown = shown_ids(catalogue, (i.doc_id for i in items))
    docs = catalogue.documents(set(shown.values()), without=("entities", "citations"))
    for item in items:
        doc = docs.get(shown.get(item.doc_id, ""))
        if doc is None:
            item.status, item.shown_id = "missing", None
            item.citation, item.title, item.kind = (item.cited.citation, item.cited.title,
                                                    item.cited.kind)
            item.court, item.date, item.language = (item.cited.court, item.cited.date,
                                                    item.cited.language)
            continue
        now_cited = cited_of(doc, item.paragraph)
        item.shown_id = doc.id
        item.status = ("paragraph-missing" if item.paragraph
                       and item.paragraph not in paragraph_numbers(doc) else "ok")
        item.citation, item.title, item.kind = now_cited.citation, now_cited.title, now_cited.kind
        item.court, item.date, item.language = now_cited.court, now_cited.date, now_cited.language


def paragraph_numbers(doc: Document) -> list[str]:
    """The numbers of the document's numbered paragraphs, in order."""
    paragraphs = (doc.record["paragraphs"] if doc.record else None) or []
    return [str(p["number"]) for p in paragraphs if p.get("number") is not None]


def cited_of(doc: Document, paragraph: str | None = None) -> Cited:
    """How ``doc`` is cited, pinpointed to ``paragraph``: the same citation ``search`` gives a
    hit. A date the record is not sure of is null there, so it is never in the citation."""
    from pipeline.present.pinpoint import citation_for
    from pipeline.search.hits import citable

    record = citable(doc)
    return Cited(citation=citation_for(record, paragraph), title=record["title"],
                 kind=record["kind"], court=record["court"], date=record["date"],
                 language=record["language"])


@dataclass
class Found:
    """The hits of one search as additions, each keeping the query, filters and mode, and how
    many documents the search found in all (more than were taken when ``limit`` cut it)."""

    additions: list[Addition]
    total: int
    mode: str


def from_search(index_dir: Path, catalogue: Catalogue, query: str, filters: Sequence[str] = (),
                *, mode: str | None = None, expand: bool | None = None, limit: int = 20,
                sort: str = "relevance", pin_hits: bool = False,
                note: str | None = None) -> Found:
    """The first ``limit`` hits of a search as additions (``casefile add --from-search``, and a
    whole result list added or exported from the page): the search runs as ``search`` runs
    it, so the list is the one the lawyer saw. ``pin_hits`` pins each hit's paragraph (where
    its passage is). No hit is a QueryError: nothing to add is never a silent success."""
    from pipeline.errors import QueryError
    from pipeline.search import expands_by_default, search as run_search
    from pipeline.search.meaning.fuse import chosen_mode

    chosen = chosen_mode(index_dir, mode)
    results = run_search(index_dir, catalogue, query, limit=limit, filters=list(filters),
                         sort=sort, mode=chosen, expand=expands_by_default(chosen) if expand is None
                         else expand)
    if not results.hits:
        raise QueryError(f"{query!r}: no documents match; nothing added")
    return Found([Addition(hit.id, hit.paragraph if pin_hits else None, note, query,
                           list(filters), chosen) for hit in results.hits],
                 results.total, chosen)


# -- writing ----------------------------------------------------------------------------------

@contextmanager
def writing(index_dir: Path) -> Iterator[Catalogue]:
    """The catalogue of ``index_dir`` opened for a case-file change, under the ingest lock that
    every writer of the index takes (an ingest running meanwhile makes this refuse at once,
    in one line, rather than wait or race it)."""
    from pipeline.ingest import ingest_lock

    index_dir = Path(index_dir)
    if not (index_dir / CATALOGUE_FILE).is_file():   # before the lock, which makes the folder
        raise CatalogueError(f"{index_dir}: no catalogue here (run `precedents ingest` first)")
    with ingest_lock(index_dir, "change a case file in it"):
        catalogue = Catalogue.open(index_dir, create=False)
        try:
            yield catalogue
        finally:
            catalogue.close()


def check_name(name: str) -> str:
    """A case-file name as stored: trimmed, one line of printable text.

    >>> check_name("  Ivanov v. Russia (пытки) ")
    'Ivanov v. Russia (пытки)'
    """
    cleaned = " ".join(name.split())
    if not cleaned:
        raise CaseFileError("a case file needs a name")
    if len(cleaned) > MAX_NAME or not cleaned.isprintable():
        raise CaseFileError(f"{cleaned[:40]!r}: a case-file name is one line of at most "
                            f"{MAX_NAME} printable characters")
    if not cleaned.strip("."):
        # "." or "..": in the page's links a step up the path, never the case file's page.
        raise CaseFileError(f"{cleaned!r}: a case-file name needs more than dots")
    return cleaned


def add_items(catalogue: Catalogue, name: str, additions: Sequence[Addition], *,
              note: str | None = None) -> AddReport:
    """Add ``additions`` to the case file ``name`` (created when new, with ``note``), in one
    transaction. Each document must be in the catalogue (a merged copy is stored as the
    document it is shown as) and each pinned paragraph one the record numbers; otherwise
    nothing is added. An item already there (same document, same paragraph) keeps its place
    and gains the note, query and filters given."""
    name = check_name(name)
    shown = shown_ids(catalogue, (a.doc_id for a in additions))
    docs = catalogue.documents(set(shown.values()), without=("entities", "citations"))
    planned: list[tuple[Addition, Document]] = []
    for addition in additions:
        doc = docs.get(shown.get(addition.doc_id, ""))
        if doc is None:
            raise DocumentNotFound(f"{addition.doc_id}: no document with this id in the "
                                   "catalogue; nothing added")
        if addition.paragraph is not None:
            numbers = paragraph_numbers(doc)
            if addition.paragraph not in numbers:
                where = (f"its paragraphs are numbered {numbers[0]} to {numbers[-1]}"
                         if numbers else "it has no numbered paragraphs")
                raise CaseFileError(f"{doc.id}: no paragraph {addition.paragraph} ({where}); "
                                    "nothing added")
        planned.append((addition, doc))
    report = AddReport(name)
    stamp = now()
    with catalogue.transaction() as conn:
        row = conn.execute("SELECT id FROM casefiles WHERE name=?", (name,)).fetchone()
        if row is None:
            conn.execute("INSERT INTO casefiles (name, note, created_at, updated_at)"
                         " VALUES (?,?,?,?)", (name, note, stamp, stamp))
            row = conn.execute("SELECT id FROM casefiles WHERE name=?", (name,)).fetchone()
            report.created = True
        elif note is not None:
            conn.execute("UPDATE casefiles SET note=? WHERE id=?", (note, row[0]))
        for addition, doc in planned:
            key = (row[0], doc.id, addition.paragraph or "")
            entry = (addition.doc_id, doc.id, addition.paragraph)
            old = conn.execute("SELECT id FROM casefile_items WHERE casefile=? AND doc_id=?"
                               " AND paragraph=?", key).fetchone()
            if old is not None:
                for column, value in (("note", addition.note), ("query", addition.query),
                                      ("mode", addition.mode)):
                    if value is not None:
                        conn.execute(f"UPDATE casefile_items SET {column}=? WHERE id=?",
                                     (value, old[0]))
                if addition.filters:
                    conn.execute("UPDATE casefile_items SET filters=? WHERE id=?",
                                 (json.dumps(addition.filters, ensure_ascii=False), old[0]))
                report.updated.append(entry)
                continue
            conn.execute(
                "INSERT INTO casefile_items (casefile, doc_id, paragraph, note, query, filters,"
                " mode, cited, added_at) VALUES (?,?,?,?,?,?,?,?,?)",
                (*key, addition.note, addition.query,
                 json.dumps(addition.filters, ensure_ascii=False), addition.mode,
                 json.dumps(asdict(cited_of(doc, addition.paragraph)), ensure_ascii=False),
                 stamp))
            report.added.append(entry)
        conn.execute("UPDATE casefiles SET updated_at=? WHERE id=?", (stamp, row[0]))
    return report


def remove_items(catalogue: Catalogue, name: str, doc_ids: Sequence[str],
                 paragraph: str | None = None) -> int:
    """Take documents out of a case file: every item of each (or only the one pinning
    ``paragraph``). An id may be the one an item was added under or the one it reads as now.
    Returns how many items went; an id the case file does not hold is an error, and then
    nothing is removed."""
    row = _row(catalogue, name)
    gone: list[int] = []
    for doc_id in doc_ids:
        hits = _matching(catalogue, row["id"], doc_id, paragraph)
        if not hits:
            what = f"{doc_id} § {paragraph}" if paragraph else doc_id
            raise CaseFileError(f"{name}: holds no {what}; nothing removed")
        gone += hits
    with catalogue.transaction() as conn:
        conn.executemany("DELETE FROM casefile_items WHERE id=?", [(i,) for i in set(gone)])
        conn.execute("UPDATE casefiles SET updated_at=? WHERE id=?", (now(), row["id"]))
    return len(set(gone))


def _matching(catalogue: Catalogue, casefile: int, doc_id: str,
              paragraph: str | None) -> list[int]:
    """The items of ``casefile`` that ``doc_id`` names (pinning ``paragraph`` when given): by
    the id an item was added under, or by the document either id reads as now (a copy merged
    into another names the same judgment)."""
    items = [(r["id"], r["doc_id"], r["paragraph"]) for r in catalogue.conn.execute(
        "SELECT id, doc_id, paragraph FROM casefile_items WHERE casefile=?", (casefile,))]
    shown = shown_ids(catalogue, [doc_id, *(d for _, d, _ in items)])
    names = {doc_id, shown.get(doc_id, doc_id)}
    return [i for i, d, p in items if names & {d, shown.get(d, d)}
            and (paragraph is None or p == paragraph)]


def set_note(catalogue: Catalogue, name: str, text: str, *, doc_id: str | None = None,
             paragraph: str | None = None) -> int:
    """Set the case file's own note, or (``doc_id``) the note of that document's items (only
    the one pinning ``paragraph`` when given). An empty ``text`` clears it. Returns how many
    notes were set."""
    row = _row(catalogue, name)
    value = text if text.strip() else None
    with catalogue.transaction() as conn:
        if doc_id is None:
            conn.execute("UPDATE casefiles SET note=?, updated_at=? WHERE id=?",
                         (value, now(), row["id"]))
            return 1
        hits = _matching(catalogue, row["id"], doc_id, paragraph)
        if not hits:
            what = f"{doc_id} § {paragraph}" if paragraph else doc_id
            raise CaseFileError(f"{name}: holds no {what}; no note set")
        conn.executemany("UPDATE casefile_items SET note=? WHERE id=?",
                         [(value, i) for i in hits])
        conn.execute("UPDATE casefiles SET updated_at=? WHERE id=?", (now(), row["id"]))
    return len(hits)


def delete(catalogue: Catalogue, name: str) -> int:
    """Delete the case file ``name`` and its items (notes included); returns how many items."""
    row = _row(catalogue, name)
    with catalogue.transaction() as conn:
        count = conn.execute("SELECT COUNT(*) FROM casefile_items WHERE casefile=?",
                             (row["id"],)).fetchone()[0]
        conn.execute("DELETE FROM casefile_items WHERE casefile=?", (row["id"],))
        conn.execute("DELETE FROM casefiles WHERE id=?", (row["id"],))
    return int(count)
