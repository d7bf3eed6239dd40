"""The meaning layer on disk: one SQLite file beside the search index, whichever the engine.

``meaning/meaning.sqlite`` holds, per document, the passages embedded (offsets into the
catalogue's text, paragraph numbers) and their vectors as raw int8 bytes with one float32
scale per vector: a quarter of float32's size, and on a probe its rankings agreed with
float32's (BENCHMARKS.md). Nothing is pickled: a BLOB is read back with ``np.frombuffer`` and
its length checked against the passage count. A ``meta`` table names the layer
(``encoder.LAYER``) and the vector width; a file of another layer, or one that is not this
store at all, is refused with an IndexError_ naming the command that rebuilds it.

The layer is derived data, like the word index: ``precedents reindex`` rebuilds it from the
catalogue, keeping the vectors of documents whose text has not changed.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from pipeline.errors import IndexError_
from pipeline.search.meaning.encoder import DIM, LAYER

__all__ = ["DocVectors", "Loaded", "MeaningStore", "quantise", "text_hash"]

DIRECTORY = "meaning"
#: Passages converted to float32 at once when scoring: 8 MB, which stays in the CPU's cache.
#: At 600,000 passages (10,000 judgments) one query took 95 ms of CPU in chunks of 4,096 and
#: 300 ms in chunks of 32,768; a float32 copy of the whole layer was no faster than chunks of
#: 4,096 at 36,000 passages, and would cost four times the int8 matrix in memory.
SCORE_ROWS = 4096
FILE = "meaning.sqlite"

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS passages (
    doc_id TEXT PRIMARY KEY,
    text_hash TEXT NOT NULL,
    count INTEGER NOT NULL,
    spans BLOB NOT NULL,       -- int32 little-endian, count x 2: start, end in the text
    numbers TEXT NOT NULL,     -- JSON list: the numbered paragraph of each passage, or null
    vectors BLOB NOT NULL,     -- int8, count x dim
    scales BLOB NOT NULL       -- float32 little-endian, count: vector = int8 * scale
);
"""


def text_hash(text: str) -> str:
    """Which text the vectors were made from: a document whose text changed is embedded again."""
    return hashlib.sha1(text.encode("utf-8", "surrogatepass")).hexdigest()


def quantise(vectors: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """int8 rows and their float32 scales: each row's largest component maps to 127."""
    vectors = np.asarray(vectors, dtype=np.float32)
    peak = np.abs(vectors).max(axis=1) if len(vectors) else np.zeros(0, dtype=np.float32)
    scales = np.where(peak > 0, peak / 127.0, 1.0).astype(np.float32)
    q = np.clip(np.rint(vectors / scales[:, None]), -127, 127).astype(np.int8)
    return q, scales


@dataclass
class DocVectors:
    """One document's embedded passages: what a parser worker sends back with the document."""

    layer: str
    text_hash: str
    spans: list[tuple[int, int]]
    numbers: list[str | None]
    vectors: bytes   # int8, len(spans) x DIM
    scales: bytes    # float32 little-endian, len(spans)

    @classmethod
    def of(cls, text: str, spans: Sequence[tuple[int, int]], numbers: Sequence[str | None],
           vectors: np.ndarray) -> DocVectors:
        q, scales = quantise(vectors)
        return cls(LAYER, text_hash(text), [(int(a), int(b)) for a, b in spans], list(numbers),
                   q.tobytes(), scales.astype("<f4").tobytes())

    def array(self) -> np.ndarray:
        """The vectors back as float32 (passages x ``DIM``), to the int8 rounding."""
        n = len(self.spans)
        return (np.frombuffer(self.vectors, dtype=np.int8).reshape(n, DIM).astype(np.float32)
                * np.frombuffer(self.scales, dtype="<f4")[:, None])


@dataclass
class Loaded:
    """Every passage of the layer in memory: row ``i`` is passage ``spans[i]`` of document
    ``ids[doc_of[i]]``; its vector is ``matrix[i] * scales[i]``."""

    ids: list[str]
    doc_of: np.ndarray
    spans: np.ndarray
    numbers: list[str | None]
    matrix: np.ndarray
    scales: np.ndarray

    @property
    def size(self) -> int:
        return len(self.doc_of)

    def scores(self, query: np.ndarray, rows: int = SCORE_ROWS) -> np.ndarray:
        """Cosine of ``query`` (a unit vector) with every passage, the int8 matrix converted
        to float32 ``rows`` at a time, never whole."""
        q = np.asarray(query, dtype=np.float32)
        out = np.empty(self.size, dtype=np.float32)
        for i in range(0, self.size, rows):
            np.dot(self.matrix[i:i + rows].astype(np.float32), q, out=out[i:i + rows])
        out *= self.scales
        return out

    def scores_many(self, queries: np.ndarray, rows: int = SCORE_ROWS) -> np.ndarray:
        """``scores`` of several queries at once (passages x queries): each chunk of the int8
        matrix is converted once for all of them, not once per query."""
        q = np.asarray(queries, dtype=np.float32)
        out = np.empty((self.size, len(q)), dtype=np.float32)
        for i in range(0, self.size, rows):
            np.dot(self.matrix[i:i + rows].astype(np.float32), q.T, out=out[i:i + rows])
        out *= self.scales[:, None]
        return out


class MeaningStore:
    """The layer file of one index directory."""

    def __init__(self, conn: sqlite3.Connection, path: Path):
        self.conn = conn
        self.path = path

    @staticmethod
    def present(index_dir: Path) -> bool:
        return (Path(index_dir) / DIRECTORY / FILE).is_file()

    @classmethod
    def open(cls, index_dir: Path, *, create: bool = False, readonly: bool = False,
             path: Path | None = None) -> MeaningStore:
        """The store of ``index_dir`` (or the file ``path``); IndexError_ when it is missing
        (unless ``create``), of another layer, or not a meaning store."""
        path = path or Path(index_dir) / DIRECTORY / FILE
        fix = f"run `precedents reindex --meaning --index {index_dir}`"
        if not path.is_file() and not create:
            raise IndexError_(f"{index_dir}: no meaning layer here ({fix})")
        if create:
            path.parent.mkdir(parents=True, exist_ok=True)
        try:
            if readonly:
                conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
            else:
                conn = sqlite3.connect(path)
            tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master")}
            if create and not tables:
                conn.executescript(_SCHEMA)
                conn.executemany("INSERT INTO meta VALUES (?, ?)",
                                 [("layer", LAYER), ("dim", str(DIM)), ("dtype", "int8")])
                conn.commit()
                tables = {"meta", "passages"}
            if not {"meta", "passages"} <= tables:
                raise IndexError_(f"{path}: not a meaning layer ({fix})")
            meta = dict(conn.execute("SELECT key, value FROM meta").fetchall())
        except sqlite3.DatabaseError as exc:
            raise IndexError_(f"{path}: not a meaning layer ({exc}; {fix})") from exc
        if meta.get("layer") != LAYER or meta.get("dim") != str(DIM) or \
                meta.get("dtype") != "int8":
            conn.close()
            raise IndexError_(f"{path}: meaning layer {meta.get('layer')!r}, expected "
                              f"{LAYER!r} ({fix})")
        return cls(conn, path)

    def close(self) -> None:
        self.conn.close()

    def hashes(self) -> dict[str, str]:
        """doc id -> hash of the text its vectors were made from."""
        return dict(self.conn.execute("SELECT doc_id, text_hash FROM passages").fetchall())

    def put(self, doc_id: str, vectors: DocVectors) -> None:
        """Replace a document's passages (commit with ``commit``)."""
        if vectors.layer != LAYER:
            raise IndexError_(f"vectors of layer {vectors.layer!r} offered to a {LAYER!r} layer")
        n = len(vectors.spans)
        if len(vectors.vectors) != n * DIM or len(vectors.scales) != n * 4 or \
                len(vectors.numbers) != n:
            raise IndexError_(f"{doc_id}: vectors of {n} passages have the wrong size")
        spans = np.asarray(vectors.spans, dtype="<i4").reshape(n, 2)
        self.conn.execute(
            "INSERT OR REPLACE INTO passages VALUES (?, ?, ?, ?, ?, ?, ?)",
            (doc_id, vectors.text_hash, n, spans.tobytes(), json.dumps(vectors.numbers),
             vectors.vectors, vectors.scales))

    def delete(self, doc_ids: Iterable[str]) -> None:
        self.conn.executemany("DELETE FROM passages WHERE doc_id=?", [(i,) for i in doc_ids])

    def commit(self) -> None:
        self.conn.commit()

    def rollback(self) -> None:
        self.conn.rollback()

    def get(self, doc_id: str) -> DocVectors | None:
        """One document's vectors, or None when the layer has none for it."""
        row = self.conn.execute(
            "SELECT text_hash, count, spans, numbers, vectors, scales FROM passages "
            "WHERE doc_id=?", (doc_id,)).fetchone()
        if row is None:
            return None
        digest, n, spans, numbers, vectors, scales = row
        return _checked(doc_id, n, spans, numbers, vectors, scales, digest, self.path)

    def rows(self) -> Iterator[tuple[str, DocVectors]]:
        for doc_id, digest, n, spans, numbers, vectors, scales in self.conn.execute(
                "SELECT doc_id, text_hash, count, spans, numbers, vectors, scales FROM passages"):
            yield doc_id, _checked(doc_id, n, spans, numbers, vectors, scales, digest, self.path)

    def load(self) -> Loaded:
        """Every passage, in one matrix (see ``Loaded``).

        The arrays are sized from the passage counts first and each row's BLOBs copied
        straight into them: at 10,000 judgments the int8 matrix alone is about 300 MB, and
        gathering the rows before joining them would hold it twice."""
        # One read transaction: the counts and the rows are of the same state of the file.
        in_transaction = self.conn.in_transaction
        if not in_transaction:
            self.conn.execute("BEGIN")
        try:
            return self._load()
        finally:
            if not in_transaction:
                self.conn.rollback()

    def _load(self) -> Loaded:
        total, docs = self.conn.execute(
            "SELECT coalesce(sum(count), 0), count(*) FROM passages WHERE count > 0").fetchone()
        ids: list[str] = []
        numbers: list[str | None] = []
        doc_of = np.empty(total, dtype=np.int32)
        spans = np.empty((total, 2), dtype=np.int32)
        matrix = np.empty((total, DIM), dtype=np.int8)
        scales = np.empty(total, dtype=np.float32)
        at = 0
        for doc_id, _digest, n, span_blob, numbers_json, vectors, scale_blob in self.conn.execute(
                "SELECT doc_id, text_hash, count, spans, numbers, vectors, scales FROM passages "
                "WHERE count > 0"):
            listed = _sizes(doc_id, n, span_blob, numbers_json, vectors, scale_blob, self.path)
            if at + n > total:
                raise IndexError_(f"{self.path}: the meaning layer changed while it was read")
            doc_of[at:at + n] = len(ids)
            ids.append(doc_id)
            spans[at:at + n] = np.frombuffer(span_blob, dtype="<i4").reshape(n, 2)
            numbers += [None if x is None else str(x) for x in listed]
            matrix[at:at + n] = np.frombuffer(vectors, dtype=np.int8).reshape(n, DIM)
            scales[at:at + n] = np.frombuffer(scale_blob, dtype="<f4")
            at += n
        if at != total or len(ids) != docs:
            raise IndexError_(f"{self.path}: the meaning layer changed while it was read")
        return Loaded(ids, doc_of, spans, numbers, matrix, scales)


def _sizes(doc_id: str, n: int, spans: bytes, numbers: str, vectors: bytes, scales: bytes,
           path: Path) -> list:
    """A row's numbers list, its sizes checked: a damaged row is an error, never a wrong
    vector."""
    try:
        listed = json.loads(numbers)
    except ValueError:
        listed = None
    if not isinstance(listed, list) or len(listed) != n or len(spans) != n * 8 or \
            len(vectors) != n * DIM or len(scales) != n * 4:
        raise IndexError_(f"{path}: the meaning layer of {doc_id} is damaged "
                          f"(run `precedents reindex --meaning`)")
    return listed


def _checked(doc_id: str, n: int, spans: bytes, numbers: str, vectors: bytes, scales: bytes,
             digest: str, path: Path) -> DocVectors:
    """A row read back, its sizes checked (``_sizes``)."""
    listed = _sizes(doc_id, n, spans, numbers, vectors, scales, path)
    pairs = np.frombuffer(spans, dtype="<i4").reshape(n, 2)
    return DocVectors(LAYER, digest, [(int(a), int(b)) for a, b in pairs],
                      [None if x is None else str(x) for x in listed], vectors, scales)
