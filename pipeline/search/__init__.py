"""Full-text search over the catalogue. Every Whoosh import lives under this package.

>>> idx = open_index(Path("index"), catalogue, readonly=True)             # doctest: +SKIP
>>> idx.search("пытка", catalogue, filters=["state:russia"], facets=True)  # doctest: +SKIP
>>> idx.similar("echr-...", catalogue); idx.cites(...); idx.cited_by(...)  # doctest: +SKIP

The index object's methods are the whole interface; the functions below are shortcuts that
open the index read-only for one call (the web server keeps one index open instead).
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from pipeline.search.base import (
    FACETS,
    SORTS,
    CitedCase,
    CitingDocument,
    FacetCount,
    Hit,
    SearchResults,
    Snippet,
)
from pipeline.search.pinpoint import citation_for
from pipeline.search.whoosh_engine import WhooshIndex

__all__ = ["FACETS", "SORTS", "CitedCase", "CitingDocument", "FacetCount", "Hit", "SearchResults",
           "Snippet", "citation_for", "cited_by", "cites", "open_index", "rebuild_index",
           "search", "similar"]


def open_index(index_dir: Path, catalogue, *, readonly: bool = False, **kwargs) -> WhooshIndex:
    """Open the search index of ``index_dir``.

    ``readonly=True`` (the web server) never rebuilds nor writes and raises IndexError_ when the
    index is missing or outdated; otherwise (ingest, the CLI) a missing, outdated or damaged
    index is rebuilt from the catalogue, with a ``notice``.
    """
    return WhooshIndex.open(index_dir, catalogue, readonly=readonly, **kwargs)


def rebuild_index(index_dir: Path, catalogue, **kwargs) -> WhooshIndex:
    """Rebuild the search index from the catalogue, without extraction or NLP."""
    return WhooshIndex.rebuild(index_dir, catalogue, **kwargs)


def search(index_dir: Path, catalogue, text: str, *, limit: int = 10, page: int = 1,
           sort: str = "relevance", filters: Iterable[str] = (),
           facets: bool = False) -> SearchResults:
    """One search on a read-only index."""
    return open_index(index_dir, catalogue, readonly=True).search(
        text, catalogue, limit=limit, page=page, sort=sort, filters=filters, facets=facets)


def similar(index_dir: Path, catalogue, doc_id: str, *, limit: int = 10) -> SearchResults:
    """Documents like ``doc_id``, on a read-only index."""
    return open_index(index_dir, catalogue, readonly=True).similar(doc_id, catalogue, limit=limit)


def cites(index_dir: Path, catalogue, doc_id: str) -> list[CitedCase]:
    """The cases ``doc_id`` cites, on a read-only index."""
    return open_index(index_dir, catalogue, readonly=True).cites(doc_id, catalogue)


def cited_by(index_dir: Path, catalogue, doc_id: str) -> list[CitingDocument]:
    """The documents citing ``doc_id``, on a read-only index."""
    return open_index(index_dir, catalogue, readonly=True).cited_by(doc_id, catalogue)
