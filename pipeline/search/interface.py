"""What every search engine offers: the one interface the CLI, the web page and ingest use.

An engine is a class opened on an index directory (``open``, or ``rebuild`` from the catalogue)
whose instances search, find similar documents, count and write in batches. The citation graph
(``cites``, ``cited_by``) is written here once, over ``with_lookup``: an engine only says how it
finds the documents holding some exact terms (``graph.Lookup``). Engines subclass ``Engine`` to
inherit it; ``open_index`` (``pipeline.search``) picks the class an index was built with.

Nothing here imports an engine, so the commands that only read the catalogue load neither.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Protocol, TypeVar, runtime_checkable

from pipeline.catalogue import Catalogue, Document
from pipeline.search import graph
from pipeline.search.base import CitedCase, CitingDocument, Hit, SearchResults

__all__ = ["Batch", "Engine"]

T = TypeVar("T")


@runtime_checkable
class Batch(Protocol):
    """Upserts and deletions committed together; nothing is visible until ``commit``."""

    #: Changes so far (the indexer commits every so many).
    count: int

    def upsert(self, doc: Document) -> None: ...

    def delete(self, doc_ids: Iterable[str]) -> None: ...

    def commit(self) -> None: ...

    def cancel(self) -> None: ...


@runtime_checkable
class Engine(Protocol):
    """The search index of one index directory, with one engine underneath."""

    @classmethod
    def open(cls, index_dir: Path, catalogue: Catalogue, *, readonly: bool = False,
             notice: Callable[[str], None] = lambda m: None,
             progress: Callable[[int, int], None] | None = None) -> Engine:
        """Open the index, rebuilding it from ``catalogue`` when it is missing, stale or
        damaged; ``readonly`` never rebuilds nor writes (an IndexError_ says what to run)."""
        ...

    @classmethod
    def rebuild(cls, index_dir: Path, catalogue: Catalogue, *,
                progress: Callable[[int, int], None] | None = None) -> Engine:
        """Build a fresh index from every catalogue document (no extraction, no NLP)."""
        ...

    def batch(self) -> Batch: ...

    def doc_count(self) -> int: ...

    def search(self, text: str, catalogue: Catalogue, *, limit: int = 10, page: int = 1,
               sort: str = "relevance", filters: Iterable[str] = (),
               facets: bool = False, expand: bool = False,
               snippets: bool = True) -> SearchResults:
        """``snippets=False``: hits carry only what the index stores, no text is read (the
        candidates of a fused ranking, most of which are never shown: ``with_snippets``
        dresses those that are)."""
        ...

    def with_snippets(self, text: str, hits: list[Hit], catalogue: Catalogue, *,
                      expand: bool = False) -> list[Hit]:
        """``hits`` of ``search(text, ..., snippets=False)`` as ``search(text, ...)`` would
        have given them: with the snippet around the query's matches, its paragraph and the
        pinpoint citation."""
        ...

    def ids_matching(self, text: str) -> set[str]:
        """The ids of every document a query-language clause selects (no scores, no hits):
        what the meaning layer may return under a filter."""
        ...

    def selected_ids(self, text: str, filters: Iterable[str] = (), *,
                     expand: bool = False) -> set[str]:
        """The ids of every document ``search(text, filters=filters, expand=expand)`` would
        count in its total, unscored and unordered: what statistics over a search count
        (``pipeline/stats``). An empty ``text`` with no filters selects every document."""
        ...

    def similar(self, doc_id: str, catalogue: Catalogue, *, limit: int = 10,
                snippets: bool = True) -> SearchResults: ...

    def with_lookup(self, fn: Callable[[graph.Lookup], T]) -> T:
        """``fn(lookup)``, ``lookup`` answering ``graph.Lookup`` on this index (an engine may
        keep one searcher open for all of ``fn``'s lookups)."""
        ...

    def cites(self, doc_id: str, catalogue: Catalogue) -> list[CitedCase]:
        """The cases ``doc_id`` cites, each once, resolved to indexed documents.

        One ``with_lookup`` for all of them, so that an engine can answer the fifty-odd
        citations of a long judgment on one searcher (Whoosh: opening one per lookup was most
        of the time of its page)."""
        return self.with_lookup(lambda lookup: graph.cites(doc_id, catalogue, lookup))

    def cited_by(self, doc_id: str, catalogue: Catalogue) -> list[CitingDocument]:
        """Documents citing ``doc_id``, oldest first, with the citation as printed in each."""
        return self.with_lookup(lambda lookup: graph.cited_by(doc_id, catalogue, lookup))
