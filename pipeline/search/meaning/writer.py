"""Keeping the meaning layer in step with the word index, and rebuilding it from the catalogue.

The ``Indexer`` hands every upsert, deletion and commit of the word index to a ``Writer`` too,
so the layer holds exactly the documents the index shows. Vectors come from the parser workers
(``offer``); a document upserted without them (the catch-up of a killed run, a document shown
again once its copy goes) keeps the vectors the layer already has for its text, or is embedded
here, in the coordinator.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterable
from concurrent.futures import Future, ProcessPoolExecutor
from multiprocessing import get_context
from pathlib import Path

from pipeline.catalogue import Catalogue, Document
from pipeline.errors import IndexError_
from pipeline.limits import default_jobs
from pipeline.search.meaning.embed import embed_document
from pipeline.search.meaning.store import DIRECTORY, FILE, DocVectors, MeaningStore, text_hash

__all__ = ["Writer", "open_writer", "rebuild_layer"]


def _paragraphs(doc: Document) -> list:
    return list(doc.record["paragraphs"] or []) if doc.record else []


class Writer:
    """Changes to the layer, committed with the word index's batch."""

    def __init__(self, store: MeaningStore):
        self.store = store
        self.known = store.hashes()
        self.offered: dict[str, DocVectors] = {}

    def offer(self, doc_id: str, vectors: DocVectors) -> None:
        """Vectors a worker computed for a document about to be upserted."""
        self.offered[doc_id] = vectors

    def upsert(self, doc: Document) -> None:
        digest = text_hash(doc.text)
        vectors = self.offered.pop(doc.id, None)
        if vectors is None or vectors.text_hash != digest:
            if self.known.get(doc.id) == digest:
                return
            vectors = embed_document(doc.text, _paragraphs(doc))
        self.store.put(doc.id, vectors)
        self.known[doc.id] = digest

    def delete(self, doc_ids: Iterable[str]) -> None:
        ids = list(doc_ids)
        self.store.delete(ids)
        for doc_id in ids:
            self.known.pop(doc_id, None)

    def commit(self) -> None:
        self.store.commit()

    def cancel(self) -> None:
        self.store.rollback()
        self.known = self.store.hashes()

    def close(self) -> None:
        self.store.close()


def _embed_job(text: str, paragraphs: list) -> DocVectors:
    return embed_document(text, paragraphs)


#: Documents in flight per embedding process: enough to keep it busy, few enough that the
#: texts waiting in memory stay a handful.
IN_FLIGHT = 4


def rebuild_layer(index_dir: Path, catalogue: Catalogue, *,
                  progress: Callable[[int, int], None] | None = None,
                  jobs: int | None = None) -> int:
    """Build the layer afresh from the shown documents of the catalogue; return the number of
    passages. Vectors of documents whose text is unchanged are kept from the old layer (of
    this same layer version), so a rebuild for the word index's sake embeds nothing again.

    The rest is embedded in ``jobs`` processes (default: one per core): encoding is the whole
    cost, one BLAS thread each, and on two cores one process would take about an hour for
    10,000 judgments (BENCHMARKS.md). The processes are spawned afresh (no fork of a process
    holding SQLite connections) and the layer is written here, in document order.
    """
    index_dir = Path(index_dir)
    jobs = default_jobs() if jobs is None else max(1, jobs)
    # The old layer is read a document at a time, only where its text is unchanged: loaded
    # whole it would sit in memory (about 300 MB at 10,000 judgments) beside the encoders.
    previous: MeaningStore | None = None
    kept: dict[str, str] = {}
    if MeaningStore.present(index_dir):
        try:
            previous = MeaningStore.open(index_dir, readonly=True)
            kept = previous.hashes()
        except Exception:  # noqa: BLE001 - an outdated or damaged layer is simply rebuilt
            if previous is not None:
                previous.close()
            previous, kept = None, {}

    def reused(doc_id: str, text: str) -> DocVectors | None:
        if previous is None or kept.get(doc_id) != text_hash(text):
            return None
        try:
            return previous.get(doc_id)
        except Exception:  # noqa: BLE001 - a damaged row is embedded again
            return None

    fresh = index_dir / DIRECTORY / (FILE + ".new")
    fresh.unlink(missing_ok=True)
    store = MeaningStore.open(index_dir, create=True, path=fresh)
    total = catalogue.count_documents()
    passages = done = 0
    pending: deque[tuple[str, Future[DocVectors] | DocVectors]] = deque()
    pool: ProcessPoolExecutor | None = None

    def settle(keep: int) -> None:
        nonlocal passages, done
        while len(pending) > keep:
            doc_id, item = pending.popleft()
            vectors = item.result() if isinstance(item, Future) else item
            store.put(doc_id, vectors)
            passages += len(vectors.spans)
            done += 1
            if done % 50 == 0:
                store.commit()
            if progress is not None:
                progress(done, total)

    try:
        for doc in catalogue.iter_documents():
            vectors = reused(doc.id, doc.text)
            if vectors is not None:
                pending.append((doc.id, vectors))
            elif jobs > 1:
                if pool is None:
                    pool = ProcessPoolExecutor(jobs, mp_context=get_context("spawn"))
                pending.append((doc.id, pool.submit(_embed_job, doc.text, _paragraphs(doc))))
            else:
                pending.append((doc.id, embed_document(doc.text, _paragraphs(doc))))
            settle(jobs * IN_FLIGHT)
        settle(0)
        store.commit()
    finally:
        if pool is not None:
            pool.shutdown(cancel_futures=True)
        if previous is not None:
            previous.close()
        store.close()
    fresh.replace(index_dir / DIRECTORY / FILE)
    return passages


def open_writer(index_dir: Path, catalogue: Catalogue, *,
                notice: Callable[[str], None] = lambda m: None) -> Writer:
    """The layer's writer, for a writer of the index (under the ingest lock). A layer missing
    beside a catalogue that has documents, or of another layer version, or damaged, is rebuilt
    from the catalogue first, as the word index is."""
    index_dir = Path(index_dir)
    why = None
    if not MeaningStore.present(index_dir):
        if catalogue.count_documents():
            why = "meaning layer missing"
    else:
        try:
            MeaningStore.open(index_dir).close()
        except IndexError_ as exc:
            why = str(exc)
    if why is not None:
        notice(f"{why}: embedding the catalogue's documents")
        rebuild_layer(index_dir, catalogue)
    return Writer(MeaningStore.open(index_dir, create=True))
