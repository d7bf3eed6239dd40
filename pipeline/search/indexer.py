"""Changes to a search index, committed in batches, each batch then marked in the catalogue.

One mechanism for every writer: ingest (new and changed files, deletions) and the catch-up of
documents a killed run committed to the catalogue but never indexed. The catalogue learns a
document is indexed only after the index commit holds it, so a crash between the two leaves it
unindexed, to be caught up, never marked indexed and missing.
"""

from __future__ import annotations

from collections.abc import Iterable

from pipeline.faults import fault


class Indexer:
    """Upserts and deletions for the search index, committed every ``batch_docs`` changes."""

    def __init__(self, search_index, catalogue, batch_docs: int, meaning=None):
        self.search_index = search_index
        #: The meaning layer's ``Writer`` (``meaning/writer.py``), when the index has one: it
        #: gets every change and commits with each batch.
        self.meaning = meaning
        self.catalogue = catalogue
        self.batch_docs = batch_docs
        self.batch = None
        self.pending: list[str] = []
        self.pending_set: set[str] = set()  # the ids upserted in the open batch

    def _ensure(self):
        if self.batch is None:
            self.batch = self.search_index.batch()
        return self.batch

    def upsert(self, docs: Iterable) -> None:
        """Add or replace documents. One upserted again in the open batch (a document indexed
        again once a copy of it arrives) commits the batch first: Whoosh replaces only what
        earlier commits hold, and would keep both."""
        for doc in docs:
            if doc.id in self.pending_set:
                self.commit()
            self._ensure().upsert(doc)
            if self.meaning is not None:
                self.meaning.upsert(doc)
            self.pending.append(doc.id)
            self.pending_set.add(doc.id)
        self._maybe_commit()

    def delete(self, ids: Iterable[str]) -> None:
        ids = list(ids)
        if ids:
            self._ensure().delete(ids)
            if self.meaning is not None:
                self.meaning.delete(ids)
            self._maybe_commit()

    def hide(self, ids: Iterable[str]) -> None:
        """Take out of the index documents the catalogue keeps but no longer shows (a copy
        merged into another document); they are marked indexed with the batch, their absence
        being what the index should hold. Whoosh deletes only what earlier commits hold, so a
        document upserted in this very batch is committed first."""
        ids = list(ids)
        if not ids:
            return
        if not self.pending_set.isdisjoint(ids):
            self.commit()
        self._ensure().delete(ids)
        if self.meaning is not None:
            self.meaning.delete(ids)
        self.pending += ids
        self._maybe_commit()

    def _maybe_commit(self) -> None:
        if self.batch is not None and self.batch.count >= self.batch_docs:
            self.commit()

    def commit(self) -> None:
        if self.batch is None:
            return
        fault("index.before_commit")
        self.batch.commit()
        if self.meaning is not None:
            self.meaning.commit()
        fault("index.after_commit")  # indexed, but the catalogue does not know it yet
        self.catalogue.mark_indexed(self.pending)
        self.batch, self.pending, self.pending_set = None, [], set()

    def cancel(self) -> None:
        if self.meaning is not None:
            self.meaning.cancel()
        if self.batch is not None:
            self.batch.cancel()
            self.batch, self.pending, self.pending_set = None, [], set()
