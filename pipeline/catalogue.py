"""The catalogue: one SQLite file inside the index directory, the source of truth.

It records every source file seen (path, sha256, size, mtime, format, status, error, timings,
pipeline version) and every document found in them (text, page offsets, metadata, language and,
once later stages exist, the tagged record). The search index is derived from it and can always
be rebuilt from it (``precedents reindex``) without extraction or NLP.

WAL mode lets searches read while an ingest writes; ``synchronous=FULL`` makes each commit
durable, so a killed ingest loses nothing it reported as done.
"""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from pipeline.errors import CatalogueError, ReadOnlyIndex
from pipeline.facts import FACTS_SCHEMA, fill_missing, facts_of, write_facts
from pipeline.faults import fault
from pipeline.models import StoredRecord, stored_record

CATALOGUE_FILE = "catalogue.sqlite"
#: 2 adds ``document_keys`` and ``merges`` (one document per judgment); an older precedents
#: would index the merged copies again, so it is refused rather than let write. The case-file
#: tables (``pipeline/casefiles.py``) are created by any writable open of a catalogue that
#: lacks them and need no new version: they reference documents by id only (no foreign key,
#: so a pruned document leaves its case-file items in place), and an older precedents that
#: does not know them leaves them untouched.
CATALOGUE_VERSION = 2

#: Source paths of documents imported from a precedent bundle (pipeline/exchange):
#: ``bundle://<sha256 of manifest.json>/<name>``. They have no file on this disk by design, so
#: ``ingest --prune`` leaves them alone.
IMPORTED_SCHEME = "bundle://"

#: Statuses of a source file. ``duplicate``: same bytes as another source, indexed once.
STATUSES = ("ok", "failed", "needs-ocr", "duplicate", "unsupported")

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS sources (
    path TEXT PRIMARY KEY,
    sha256 TEXT,
    size INTEGER,
    mtime_ns INTEGER,
    format TEXT,
    status TEXT NOT NULL,
    error TEXT,
    duplicate_of TEXT,
    timings TEXT NOT NULL DEFAULT '{}',
    pipeline_version TEXT NOT NULL,
    processed_at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS sources_sha256 ON sources(sha256);
CREATE INDEX IF NOT EXISTS sources_duplicate_of ON sources(duplicate_of);
CREATE TABLE IF NOT EXISTS documents (
    id TEXT PRIMARY KEY,
    source_path TEXT NOT NULL REFERENCES sources(path) ON DELETE CASCADE,
    record_key TEXT,
    format TEXT NOT NULL,
    language TEXT,
    pages INTEGER NOT NULL DEFAULT 0,
    chars INTEGER NOT NULL,
    title TEXT,
    meta TEXT NOT NULL DEFAULT '{}',
    page_offsets TEXT NOT NULL DEFAULT '[]',
    text TEXT NOT NULL,
    record TEXT,
    indexed INTEGER NOT NULL DEFAULT 0,
    updated_at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS documents_source ON documents(source_path);
CREATE INDEX IF NOT EXISTS documents_unindexed ON documents(indexed) WHERE indexed = 0;
-- The index date statistics print (max(updated_at)): without it SQLite walks every
-- document's text, stored before updated_at, on each call.
CREATE INDEX IF NOT EXISTS documents_updated ON documents(updated_at);
CREATE TABLE IF NOT EXISTS document_keys (
    key TEXT NOT NULL,
    id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE
);
CREATE INDEX IF NOT EXISTS document_keys_key ON document_keys(key);
CREATE INDEX IF NOT EXISTS document_keys_id ON document_keys(id);
CREATE TABLE IF NOT EXISTS merges (
    id TEXT PRIMARY KEY REFERENCES documents(id) ON DELETE CASCADE,
    into_id TEXT NOT NULL,
    reason TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS casefiles (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    note TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS casefile_items (
    id INTEGER PRIMARY KEY,
    casefile INTEGER NOT NULL REFERENCES casefiles(id) ON DELETE CASCADE,
    doc_id TEXT NOT NULL,
    paragraph TEXT NOT NULL DEFAULT '',
    note TEXT,
    query TEXT,
    filters TEXT NOT NULL DEFAULT '[]',
    mode TEXT,
    cited TEXT NOT NULL DEFAULT '{}',
    added_at TEXT NOT NULL,
    UNIQUE (casefile, doc_id, paragraph)
);
"""

#: A document's own identifiers (application and case numbers, ECLI, УИД) and its HUDOC item
#: id, one row each: how copies of one judgment in several files find each other. Filled from
#: the record as each document is stored; a catalogue of version 1 is filled once, here.
_KEYS_OF_ALL = """
INSERT INTO document_keys (key, id)
    SELECT DISTINCT j.value, d.id FROM documents d, json_each(d.record, '$.own_identifiers') j
    WHERE d.record IS NOT NULL AND json_valid(d.record) AND j.type = 'text'
    UNION
    SELECT 'item:' || lower(json_extract(d.meta, '$.itemid')), d.id FROM documents d
    WHERE json_valid(d.meta) AND json_type(d.meta, '$.itemid') = 'text'
"""

#: The columns of ``documents`` that make a Document (``chars`` and ``indexed`` are the
#: catalogue's own).
DOCUMENT_COLUMNS = ("id", "source_path", "record_key", "format", "language", "pages", "title",
                    "meta", "page_offsets", "text", "record", "updated_at")


def text_sha256(text: str) -> str:
    """The content hash of a document's text: equal texts are the same precedent.

    >>> text_sha256("пытка")[:12]
    '7d7ab24e3d06'
    """
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


@dataclass
class Source:
    """One row of ``sources``: what we know about a file on disk."""

    path: str
    sha256: str | None
    size: int | None
    mtime_ns: int | None
    format: str | None
    status: str
    error: str | None = None
    duplicate_of: str | None = None
    timings: dict[str, float] = field(default_factory=dict)
    pipeline_version: str = ""
    processed_at: str = ""


@dataclass
class Document:
    """One row of ``documents``: a searchable document and everything needed to index it."""

    id: str
    source_path: str
    format: str
    text: str
    record_key: str | None = None
    language: str | None = None
    pages: int = 0
    title: str | None = None
    meta: dict[str, Any] = field(default_factory=dict)
    page_offsets: list[dict[str, Any]] = field(default_factory=list)
    record: StoredRecord | None = None
    updated_at: str = ""
    #: What the copies merged into this document are searched by (``dedup.py``): their own
    #: identifiers (a HUDOC record's item id, which the Word file shown in its place lacks) and
    #: the item ids their files are named by. Filled by the catalogue for the index, never stored.
    copy_own_ids: list[str] = field(default_factory=list)
    copy_file_names: list[str] = field(default_factory=list)

    @property
    def chars(self) -> int:
        return len(self.text)


class Catalogue:
    """Access to ``catalogue.sqlite``. One instance per process; not shared across threads.

    >>> cat = Catalogue.open(Path("index"))            # doctest: +SKIP
    >>> cat.counts()["by_status"]                      # doctest: +SKIP
    {'ok': 12}
    """

    def __init__(self, conn: sqlite3.Connection, path: Path):
        self.conn = conn
        self.path = path
        # A catalogue of version 1 opened read-only has no ``merges`` table: nothing is merged.
        # A merge into a document that is gone (a killed run) never hides the copy.
        self._merges = conn.execute(
            "SELECT 1 FROM sqlite_master WHERE type='table' AND name='merges'").fetchone() is not None
        self._shown = (" AND id NOT IN (SELECT m.id FROM merges m JOIN documents i"
                       " ON i.id = m.into_id)") if self._merges else ""

    @classmethod
    def open(cls, index_dir: Path, *, create: bool = True, readonly: bool = False) -> Catalogue:
        """Open (and with ``create``, make) the catalogue of ``index_dir``.

        ``readonly`` opens it with a SQLite ``mode=ro`` URI and writes nothing, not even the
        schema: the web server reads while an ingest writes. WAL lets both go on; the busy
        timeout covers the moments a checkpoint holds the lock. A read-only catalogue may be
        used from several threads (SQLite serialises them), as a threaded server needs.
        """
        path = Path(index_dir) / CATALOGUE_FILE
        if not path.exists() and (readonly or not create):
            raise CatalogueError(f"{index_dir}: no catalogue here (run `precedents ingest` first)")
        if readonly:
            return cls._open_readonly(path)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            conn = sqlite3.connect(path, timeout=30, isolation_level=None)
            conn.row_factory = sqlite3.Row
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA synchronous=FULL")
            conn.execute("PRAGMA foreign_keys=ON")
            conn.executescript(_SCHEMA)
            conn.executescript(FACTS_SCHEMA)
            row = conn.execute("SELECT value FROM meta WHERE key='catalogue_version'").fetchone()
            if row is not None and int(row[0]) > CATALOGUE_VERSION:
                raise CatalogueError(
                    f"{path}: catalogue version {row[0]} is newer than this precedents "
                    f"({CATALOGUE_VERSION}); upgrade precedents"
                )
            if row is None or int(row[0]) < CATALOGUE_VERSION:
                conn.execute("BEGIN IMMEDIATE")
                if row is not None and int(row[0]) < 2:
                    conn.execute(_KEYS_OF_ALL)
                    # Copies stored before are settled by the next ingest, unchanged or not.
                    conn.execute("INSERT OR REPLACE INTO meta VALUES ('settle_all', '1')")
                conn.execute("INSERT OR REPLACE INTO meta VALUES ('catalogue_version', ?)",
                             (str(CATALOGUE_VERSION),))
                conn.execute("COMMIT")
            if conn.execute("SELECT 1 FROM documents d LEFT JOIN facts f ON f.id = d.id"
                            " WHERE f.id IS NULL LIMIT 1").fetchone():
                # Documents stored before the facts table existed, or by an older precedents.
                conn.execute("BEGIN IMMEDIATE")
                fill_missing(conn)
                conn.execute("COMMIT")
        except sqlite3.DatabaseError as exc:
            raise CatalogueError(f"{path}: cannot open catalogue ({exc})") from exc
        return cls(conn, path)

    @classmethod
    def _open_readonly(cls, path: Path) -> Catalogue:
        """``mode=ro``; on media this process cannot write, ``immutable=1`` as well.

        A WAL database read with ``mode=ro`` needs its ``-shm`` file, which SQLite creates
        beside it: on a read-only mount, a shared folder or a directory without write
        permission that fails ("unable to open database file"). ``immutable`` reads the file
        without it (and without locks), which is right only when nobody can be writing it,
        i.e. when the directory is not writable; a ``-wal`` left beside it by a writer that
        was killed is then not read (``precedents ingest`` on writable media replays it).
        """
        try:
            return cls._connect_readonly(path, immutable=False)
        except CatalogueError:
            if _writable(path.parent):
                raise
        return cls._connect_readonly(path, immutable=True)

    @classmethod
    def _connect_readonly(cls, path: Path, *, immutable: bool) -> Catalogue:
        uri = f"{path.resolve().as_uri()}?mode=ro" + ("&immutable=1" if immutable else "")
        try:
            conn = sqlite3.connect(uri, uri=True, timeout=30, isolation_level=None,
                                   check_same_thread=False)
            conn.row_factory = sqlite3.Row
            conn.execute("PRAGMA busy_timeout=30000")
            conn.execute("PRAGMA query_only=ON")
            row = conn.execute("SELECT value FROM meta WHERE key='catalogue_version'").fetchone()
            if row is not None and int(row[0]) > CATALOGUE_VERSION:
                raise CatalogueError(
                    f"{path}: catalogue version {row[0]} is newer than this precedents "
                    f"({CATALOGUE_VERSION}); upgrade precedents"
                )
        except sqlite3.DatabaseError as exc:
            raise CatalogueError(f"{path}: cannot open catalogue ({exc})") from exc
        return cls(conn, path)

    def close(self) -> None:
        self.conn.close()

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """BEGIN IMMEDIATE ... COMMIT, or ROLLBACK on any exception.

        A write SQLite cannot make (a full disk, a file-size limit, a read-only file) becomes
        one CatalogueError line; the transaction is rolled back, so the catalogue stays as it
        was before it, and WAL keeps every earlier commit.
        """
        try:
            self.conn.execute("BEGIN IMMEDIATE")
        except sqlite3.Error as exc:
            raise self._write_error(exc) from exc
        try:
            yield self.conn
        except BaseException as exc:
            try:
                self.conn.execute("ROLLBACK")
            except sqlite3.Error:
                pass
            if isinstance(exc, sqlite3.Error):
                raise self._write_error(exc) from exc
            raise
        else:
            fault("catalogue.before_commit")
            try:
                self.conn.execute("COMMIT")
            except sqlite3.Error as exc:
                try:
                    self.conn.execute("ROLLBACK")
                except sqlite3.Error:
                    pass
                raise self._write_error(exc) from exc
            fault("catalogue.after_commit")

    @contextmanager
    def snapshot(self) -> Iterator[None]:
        """One read transaction: every query inside sees the catalogue as the first one did.

        A reader that pages through the documents (an export) would otherwise meet, beside an
        ingest, a re-recorded document twice (its rows are replaced, with new rowids, past the
        page already read) and a half-recorded source. WAL lets the ingest commit meanwhile.
        """
        self.conn.execute("BEGIN")
        try:
            yield
        finally:
            if self.conn.in_transaction:
                self.conn.execute("ROLLBACK")

    def _write_error(self, exc: sqlite3.Error) -> CatalogueError:
        return CatalogueError(f"{self.path}: cannot write the catalogue ({exc}); the disk may be "
                              "full or the file not writable. Nothing after the last file "
                              "reported is lost: free space and run the ingest again")

    # -- sources ---------------------------------------------------------------------------

    def source(self, path: str) -> Source | None:
        row = self.conn.execute("SELECT * FROM sources WHERE path=?", (path,)).fetchone()
        return _source(row) if row else None

    def sources(self) -> Iterator[Source]:
        for row in self.conn.execute("SELECT * FROM sources ORDER BY path"):
            yield _source(row)

    def sources_by_path(self) -> dict[str, Source]:
        """Every source keyed by path, in one query.

        A rerun over 10,000 unchanged files compares each file's stat with its row; one query
        per file made that comparison cost more than the stats themselves.
        """
        return {row["path"]: _source(row) for row in self.conn.execute("SELECT * FROM sources")}

    def document_ids_by_source(self) -> dict[str, list[str]]:
        """source path -> its document ids (in the order they were stored), in one query.

        What an ``unchanged`` line reports, fetched for all files at once for the same reason
        as ``sources_by_path``.
        """
        ids: dict[str, list[str]] = {}
        for path, doc_id in self.conn.execute(
                "SELECT source_path, id FROM documents ORDER BY rowid"):
            ids.setdefault(path, []).append(doc_id)
        return ids

    def ok_source_with_sha(self, sha256: str, *, exclude: str) -> Source | None:
        """The source already holding these bytes (status ok), if any: the primary copy."""
        row = self.conn.execute(
            "SELECT * FROM sources WHERE sha256=? AND status='ok' AND path<>? ORDER BY path LIMIT 1",
            (sha256, exclude),
        ).fetchone()
        return _source(row) if row else None

    def duplicates_of(self, path: str) -> list[Source]:
        rows = self.conn.execute("SELECT * FROM sources WHERE duplicate_of=? ORDER BY path", (path,))
        return [_source(r) for r in rows]

    def touch_source(self, path: str, size: int, mtime_ns: int) -> None:
        """Same bytes, new mtime (a copy or `touch`): remember the stat, redo nothing."""
        with self.transaction() as conn:
            conn.execute("UPDATE sources SET size=?, mtime_ns=? WHERE path=?", (size, mtime_ns, path))

    def record_source(self, source: Source, documents: Iterable[Document] = ()) -> list[str]:
        """Replace a source and all its documents in one transaction; return removed doc ids.

        Document ids that the source had before and has again are reused, so a changed file
        keeps its id; ids no longer produced are returned for removal from the search index.
        """
        documents = list(documents)
        with self.transaction() as conn:
            old_ids = [r[0] for r in conn.execute(
                "SELECT id FROM documents WHERE source_path=?", (source.path,))]
            conn.execute("DELETE FROM documents WHERE source_path=?", (source.path,))
            _insert_source(conn, source, "INSERT OR REPLACE")
            for doc in documents:
                _insert_document(conn, doc, source.path)
        new_ids = {d.id for d in documents}
        return [i for i in old_ids if i not in new_ids]

    def add_documents(self, path: str, documents: Iterable[Document]) -> None:
        """Add documents to a source already recorded: a file of many records is written one
        batch at a time, so the coordinator never holds all of them."""
        with self.transaction() as conn:
            for doc in documents:
                _insert_document(conn, doc, path)

    def update_source(self, source: Source) -> None:
        """Rewrite a source's row and keep its documents (``record_source`` replaces them)."""
        with self.transaction() as conn:
            conn.execute(
                "UPDATE sources SET sha256=?, size=?, mtime_ns=?, format=?, status=?, error=?,"
                " duplicate_of=?, timings=?, pipeline_version=?, processed_at=? WHERE path=?",
                (source.sha256, source.size, source.mtime_ns, source.format, source.status,
                 source.error, source.duplicate_of, json.dumps(source.timings),
                 source.pipeline_version, source.processed_at or now(), source.path))

    def remove_source(self, path: str) -> list[str]:
        """Forget a source and its documents; return the removed document ids."""
        with self.transaction() as conn:
            ids = [r[0] for r in conn.execute("SELECT id FROM documents WHERE source_path=?", (path,))]
            conn.execute("DELETE FROM documents WHERE source_path=?", (path,))
            conn.execute("DELETE FROM sources WHERE path=?", (path,))
        return ids

    # -- documents -------------------------------------------------------------------------

    def ids_for_source(self, path: str) -> dict[str | None, str]:
        """record_key -> id of the documents a source has now (to keep ids stable)."""
        rows = self.conn.execute("SELECT record_key, id FROM documents WHERE source_path=?", (path,))
        return {r[0]: r[1] for r in rows}

    def id_taken(self, doc_id: str, *, by_other_than: str) -> bool:
        row = self.conn.execute(
            "SELECT 1 FROM documents WHERE id=? AND source_path<>?", (doc_id, by_other_than)
        ).fetchone()
        return row is not None

    def document(self, doc_id: str) -> Document | None:
        row = self.conn.execute("SELECT * FROM documents WHERE id=?", (doc_id,)).fetchone()
        return _document(row) if row else None

    def documents_for_path(self, path: str) -> list[Document]:
        """Documents of a source path; for a duplicate, those of the copy it repeats."""
        src = self.source(path)
        if src is not None and src.status == "duplicate" and src.duplicate_of:
            path = src.duplicate_of
        rows = self.conn.execute(
            "SELECT * FROM documents WHERE source_path=? ORDER BY rowid", (path,))
        return [_document(r) for r in rows]

    def texts_and_pages(self, ids: Iterable[str]) -> dict[str, tuple[str, list[dict[str, Any]]]]:
        """id -> (text, page offsets) for a page of search hits, in one query."""
        ids = list(ids)
        if not ids:
            return {}
        marks = ",".join("?" * len(ids))
        rows = self.conn.execute(
            f"SELECT id, text, page_offsets FROM documents WHERE id IN ({marks})", ids)
        return {r[0]: (r[1], json.loads(r[2] or "[]")) for r in rows}

    def documents(self, ids: Iterable[str], *, without: Sequence[str] = ()) -> dict[str, Document]:
        """id -> Document for a page of search hits, in one query (unknown ids are left out).

        ``without`` names top-level keys of the record that the caller does not need, left out
        by SQLite before Python decodes the rest: a judgment's entities are four fifths of its
        record, and decoding them for ten hits was a sixth of the time of a search page.
        """
        ids = list(ids)
        if not ids:
            return {}
        for key in without:
            if not key.isidentifier():
                raise ValueError(f"not a record key: {key!r}")
        record = (f"json_remove(record, {', '.join(repr('$.' + k) for k in without)})"
                  if without else "record")
        columns = ", ".join(f"{record} AS record" if c == "record" else c
                            for c in DOCUMENT_COLUMNS)
        marks = ",".join("?" * len(ids))
        rows = self.conn.execute(
            f"SELECT {columns} FROM documents WHERE id IN ({marks})", ids)
        return {r["id"]: _document(r) for r in rows}

    def iter_documents(self, *, unindexed_only: bool = False, copies: bool = False,
                       page: int = 200) -> Iterator[Document]:
        """Every document shown in search (or those not yet indexed) in catalogue order, ``page``
        rows at a time. A copy merged into another document is left out (it is never indexed)
        unless ``copies`` asks for every document stored, each file's own text.

        Read in keyset pages, not with one ``fetchall``: at 100,000 judgments the texts are
        gigabytes, and a reindex must stay in bounded memory. Each page is a fresh query, so the
        caller may write (``mark_indexed``) between pages on the same connection.
        """
        sql = "SELECT rowid, * FROM documents WHERE rowid > ?" + ("" if copies else self._shown)
        if unindexed_only:
            sql += " AND indexed=0"
        sql += " ORDER BY rowid LIMIT ?"
        last = 0
        while True:
            rows = self.conn.execute(sql, (last, page)).fetchall()
            if not rows:
                return
            last = rows[-1]["rowid"]
            docs = [_document(row) for row in rows]
            if not copies:
                self.fill_copy_keys(docs)
            yield from docs

    def count_documents(self, *, unindexed_only: bool = False) -> int:
        """Documents shown in search (merged copies left out), or those of them not indexed."""
        sql = "SELECT COUNT(*) FROM documents WHERE 1" + self._shown
        sql += " AND indexed=0" if unindexed_only else ""
        return self.conn.execute(sql).fetchone()[0]

    # -- one document per judgment (pipeline/ingest/dedup.py decides, this stores) -------------

    def unindexed_ids(self) -> list[str]:
        """Every document not marked indexed, merged or not: what a killed run may have left
        unsettled."""
        return [r[0] for r in self.conn.execute("SELECT id FROM documents WHERE indexed=0")]

    def keys_to_settle(self) -> set[str]:
        """Every key two documents share, when the catalogue was upgraded from a version that
        stored copies unmerged (else none): the next ingest settles them all once."""
        if self.conn.execute("SELECT 1 FROM meta WHERE key='settle_all'").fetchone() is None:
            return set()
        return {r[0] for r in self.conn.execute(
            "SELECT key FROM document_keys GROUP BY key HAVING COUNT(DISTINCT id) > 1")}

    def settled_all(self) -> None:
        with self.transaction() as conn:
            conn.execute("DELETE FROM meta WHERE key='settle_all'")

    def keys_of(self, ids: Iterable[str] = (), *, source: str | None = None) -> set[str]:
        """The identifier keys of these documents (or of every document of ``source``)."""
        if source is not None:
            rows = self.conn.execute(
                "SELECT k.key FROM document_keys k JOIN documents d ON d.id = k.id"
                " WHERE d.source_path=?", (source,))
            return {r[0] for r in rows}
        return {r[0] for r in _chunked(self.conn, "SELECT key FROM document_keys WHERE id IN ({})",
                                       list(ids))}

    def sharing_keys(self, keys: Iterable[str]) -> dict[str, set[str]]:
        """id -> its keys, for every document holding one of ``keys``."""
        ids = {r[0] for r in _chunked(self.conn, "SELECT id FROM document_keys WHERE key IN ({})",
                                      list(set(keys)))}
        found: dict[str, set[str]] = {i: set() for i in ids}
        for doc_id, key in _chunked(self.conn, "SELECT id, key FROM document_keys WHERE id IN ({})",
                                    list(ids)):
            found[doc_id].add(key)
        return found

    def dedup_facts(self, ids: Iterable[str]) -> list[sqlite3.Row]:
        """What deciding sameness needs of each document, without its text: id, source path,
        format, language, chars, when it was stored, kind, date and OCR pages."""
        return _chunked(self.conn,
                        "SELECT id, source_path, format, language, chars, updated_at,"
                        " json_extract(record, '$.kind') AS kind,"
                        " json_extract(record, '$.date') AS date,"
                        " json_extract(meta, '$.ocr_pages') AS ocr_pages"
                        " FROM documents WHERE id IN ({}) ORDER BY id", list(ids))

    def fill_copy_keys(self, docs: Sequence[Document]) -> None:
        """Give each shown document what the copies merged into it are searched by: a search
        for the item id of a HUDOC record finds the Word file shown in its place."""
        if not self._merges or not docs:
            return
        by_id = {d.id: d for d in docs}
        for into, key in _chunked(self.conn, "SELECT m.into_id, k.key FROM merges m JOIN document_keys k"
                                  " ON k.id = m.id WHERE m.into_id IN ({}) ORDER BY k.key", list(by_id)):
            if not key.startswith("item:"):  # the item id is an own identifier as well
                by_id[into].copy_own_ids.append(key)
        for into, path in _chunked(self.conn, "SELECT m.into_id, d.source_path FROM merges m JOIN documents d"
                                   " ON d.id = m.id WHERE m.into_id IN ({}) ORDER BY d.id", list(by_id)):
            by_id[into].copy_file_names.append(path)

    def texts(self, ids: Iterable[str]) -> dict[str, str]:
        return {r[0]: r[1] for r in _chunked(
            self.conn, "SELECT id, text FROM documents WHERE id IN ({})", list(ids))}

    def merged_into(self, ids: Iterable[str] | None = None) -> dict[str, str]:
        """id -> the document it is shown as, for the merged ones among ``ids`` (default all)."""
        if not self._merges:
            return {}
        if ids is None:
            return {r[0]: r[1] for r in self.conn.execute("SELECT id, into_id FROM merges")}
        return {r[0]: r[1] for r in _chunked(
            self.conn, "SELECT id, into_id FROM merges WHERE id IN ({})", list(ids))}

    def set_merges(self, ids: Iterable[str], merges: dict[str, tuple[str, dict[str, Any]]],
                   changed: Iterable[str]) -> None:
        """Replace what is merged among ``ids``: ``merges`` maps a copy to (the document it is
        shown as, why). The ``changed`` documents are marked unindexed in the same transaction,
        so a run killed before the index learns of the change settles them again."""
        ids = list(ids)
        with self.transaction() as conn:
            for part in _parts(ids):
                conn.execute(f"DELETE FROM merges WHERE id IN ({','.join('?' * len(part))})", part)
            conn.executemany("INSERT INTO merges (id, into_id, reason) VALUES (?,?,?)",
                             [(i, into, json.dumps(why, ensure_ascii=False))
                              for i, (into, why) in merges.items()])
            conn.executemany("UPDATE documents SET indexed=0 WHERE id=?", [(i,) for i in changed])

    def shown_as(self, doc_id: str) -> str:
        """The id a document is shown under: its own, or the one it was merged into."""
        return self.merged_into([doc_id]).get(doc_id, doc_id)

    def mark_indexed(self, ids: Iterable[str]) -> None:
        with self.transaction() as conn:
            conn.executemany("UPDATE documents SET indexed=1 WHERE id=?", [(i,) for i in ids])

    def mark_all_unindexed(self) -> None:
        with self.transaction() as conn:
            conn.execute("UPDATE documents SET indexed=0")

    def text_hashes(self) -> dict[str, str]:
        """sha256 of each document's text (UTF-8) -> its id: what a bundle import deduplicates on.

        Computed, not stored: it costs one read of every text, which an import of foreign
        records can afford and a schema change for every other command could not justify.
        """
        hashes: dict[str, str] = {}
        for doc in self.iter_documents():
            hashes.setdefault(text_sha256(doc.text), doc.id)
        return hashes

    def add_imported(self, items: Iterable[tuple[Source, list[Document]]]) -> None:
        """Add sources and their documents from a bundle, all in one transaction.

        Unlike ``record_source`` nothing is replaced: a source already present (the same
        bundle imported again) keeps its documents and gains the new ones. Any failure rolls
        the whole import back, so a refused bundle leaves the catalogue as it was.
        """
        with self.transaction() as conn:
            for source, documents in items:
                _insert_source(conn, source, "INSERT OR IGNORE")
                for doc in documents:
                    _insert_document(conn, doc, source.path)

    def remove_imported(self, doc_ids: Iterable[str], source_paths: Iterable[str]) -> None:
        """Take back an import: its documents, and the sources it created, in one transaction."""
        with self.transaction() as conn:
            conn.executemany("DELETE FROM documents WHERE id=?", [(i,) for i in doc_ids])
            conn.executemany("DELETE FROM sources WHERE path=?", [(p,) for p in source_paths])

    # -- reports ---------------------------------------------------------------------------

    def counts(self) -> dict[str, Any]:
        """The numbers ``precedents status`` prints."""
        def grouped(sql: str) -> dict[str, int]:
            return {(r[0] or "unknown"): r[1] for r in self.conn.execute(sql)}

        failures = [
            {"path": r["path"], "status": r["status"], "error": r["error"]}
            for r in self.conn.execute(
                "SELECT path, status, error FROM sources WHERE status IN"
                " ('failed','unsupported','needs-ocr') ORDER BY path")
        ]
        return {
            "documents": self.count_documents(),
            # Documents not yet in the search index: an ingest running, or a killed one.
            "unindexed": self.count_documents(unindexed_only=True),
            "sources": self.conn.execute("SELECT COUNT(*) FROM sources").fetchone()[0],
            "by_status": grouped("SELECT status, COUNT(*) FROM sources GROUP BY status ORDER BY 1"),
            "by_format": grouped("SELECT format, COUNT(*) FROM sources GROUP BY format ORDER BY 1"),
            "by_language": grouped(
                "SELECT language, COUNT(*) FROM documents GROUP BY language ORDER BY 1"),
            "failures": failures,
            # A duplicate is indexed once, under the copy it repeats: name that copy, so a
            # reader can tell which of two files in two folders is the one searched.
            "duplicates": [
                {"path": r["path"], "duplicate_of": r["duplicate_of"]}
                for r in self.conn.execute(
                    "SELECT path, duplicate_of FROM sources WHERE status='duplicate' ORDER BY path")
            ],
            # A copy of a judgment in another file (another format, another site) is shown as
            # one document: name the file, the document it was merged into, and why.
            "merged": self.merges(),
        }

    def merges(self, into: str | None = None) -> list[dict[str, Any]]:
        """Every merged copy (or those shown as ``into``): its file and id, the document it is
        shown as (and that one's file), and why (shared identifiers, kind, date, similarity)."""
        if not self._merges:
            return []
        rows = self.conn.execute(
            "SELECT d.source_path AS path, m.id, m.into_id, i.source_path AS into_path, m.reason"
            " FROM merges m JOIN documents d ON d.id = m.id"
            " LEFT JOIN documents i ON i.id = m.into_id"
            + (" WHERE m.into_id = ?" if into is not None else "")
            + " ORDER BY i.source_path, d.source_path", (into,) if into is not None else ())
        return [{"path": r["path"], "id": r["id"], "into": r["into_id"],
                 "into_path": r["into_path"], "why": json.loads(r["reason"])} for r in rows]


def _writable(path: Path) -> bool:
    """May this process write ``path``? (``os.access`` answers for this process: for root it
    says yes whatever the mode bits, and no on a read-only file system, as the kernel will.)"""
    return os.access(path, os.W_OK)


def require_writable(index_dir: Path, action: str) -> None:
    """Refuse, in one line, to ``action`` (e.g. "ingest into it") an index that cannot be
    written: every writing command checks this before it takes the ingest lock, so read-only
    media end in that line, not in a traceback from the first file it fails to create."""
    index_dir = Path(index_dir)
    folder = index_dir
    while not folder.exists() and folder != folder.parent:
        folder = folder.parent          # a new index: the folder it would be made in
    names = (CATALOGUE_FILE, CATALOGUE_FILE + "-wal", CATALOGUE_FILE + "-shm", "ingest.lock",
             "whoosh", "tantivy")
    paths = [folder, *(folder / n for n in names if folder == index_dir)]
    blocked = [p for p in paths if p.exists() and not _writable(p)]
    if not blocked:
        return
    try:
        on_readonly_mount = bool(os.statvfs(blocked[0]).f_flag & os.ST_RDONLY)
    except OSError:
        on_readonly_mount = False
    why = "read-only file system" if on_readonly_mount else f"no write permission on {blocked[0]}"
    raise ReadOnlyIndex(f"{index_dir}: read-only ({why}): cannot {action}")


def _insert_source(conn: sqlite3.Connection, source: Source, verb: str) -> None:
    """One ``sources`` row; ``verb`` is "INSERT OR REPLACE" (ingest) or "INSERT OR IGNORE"
    (import, which never replaces a source it already has)."""
    conn.execute(
        f"{verb} INTO sources (path, sha256, size, mtime_ns, format, status, error,"
        " duplicate_of, timings, pipeline_version, processed_at) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
        (source.path, source.sha256, source.size, source.mtime_ns, source.format, source.status,
         source.error, source.duplicate_of, json.dumps(source.timings), source.pipeline_version,
         source.processed_at or now()))


def document_keys(doc: Document) -> set[str]:
    """The keys by which copies of ``doc`` in other files are found: its own identifiers (as
    the record normalised them) and its HUDOC item id.

    >>> from pipeline.models import stored_record
    >>> sorted(document_keys(Document(id="x", source_path="a.json", format="json", text="",
    ...     meta={"itemid": "001-57534"}, record=stored_record({"own_identifiers": ["6833/74"]}))))
    ['6833/74', 'item:001-57534']
    """
    keys = set()
    if doc.record is not None:
        keys |= {k for k in doc.record.get("own_identifiers") or [] if isinstance(k, str) and k}
    item = doc.meta.get("itemid") if isinstance(doc.meta, dict) else None
    if isinstance(item, str) and item.strip():
        keys.add("item:" + item.strip().lower())
    return keys


def _parts(items: list, size: int = 500) -> Iterator[list]:
    for start in range(0, len(items), size):
        yield items[start:start + size]


def _chunked(conn: sqlite3.Connection, sql: str, items: list) -> list[sqlite3.Row]:
    """``sql`` with its ``IN ({})`` filled with ``items``, a bounded number of them at a time."""
    rows: list[sqlite3.Row] = []
    for part in _parts(items):
        rows += conn.execute(sql.format(",".join("?" * len(part))), part).fetchall()
    return rows


def _insert_document(conn: sqlite3.Connection, doc: Document, source_path: str) -> None:
    """One ``documents`` row, not yet indexed, and its identifier keys."""
    conn.execute(
        "INSERT INTO documents (id, source_path, record_key, format, language, pages, chars,"
        " title, meta, page_offsets, text, record, indexed, updated_at)"
        " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,0,?)",
        (doc.id, source_path, doc.record_key, doc.format, doc.language, doc.pages, doc.chars,
         doc.title, json.dumps(doc.meta, ensure_ascii=False), json.dumps(doc.page_offsets),
         doc.text, json.dumps(doc.record, ensure_ascii=False) if doc.record is not None else None,
         doc.updated_at or now()))
    conn.executemany("INSERT INTO document_keys (key, id) VALUES (?,?)",
                     [(key, doc.id) for key in sorted(document_keys(doc))])
    write_facts(conn, facts_of(doc.id, doc.record, language=doc.language, title=doc.title))


def _source(row: sqlite3.Row) -> Source:
    data = dict(row)
    data["timings"] = json.loads(data["timings"] or "{}")
    return Source(**data)


def _document(row: sqlite3.Row) -> Document:
    data = dict(row)
    data.pop("chars", None)
    data.pop("indexed", None)
    data.pop("rowid", None)
    data["meta"] = json.loads(data["meta"] or "{}")
    data["page_offsets"] = json.loads(data["page_offsets"] or "[]")
    if data["record"]:
        try:
            data["record"] = stored_record(json.loads(data["record"]))
        except ValueError as exc:  # json.JSONDecodeError is one
            raise CatalogueError(f"document {data['id']}: its stored record is damaged ({exc})") from exc
    return Document(**data)
