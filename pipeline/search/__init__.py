"""Full-text search over the catalogue. Every Whoosh and tantivy import lives under this package.

>>> idx = open_index(Path("index"), catalogue, readonly=True)             # doctest: +SKIP
>>> idx.search("пытка", catalogue, filters=["state:russia"], facets=True)  # doctest: +SKIP
>>> idx.similar("echr-...", catalogue); idx.cites(...); idx.cited_by(...)  # doctest: +SKIP

The index object's methods are the whole interface (``interface.Engine``); the functions below
are shortcuts that open the index read-only for one call (the web server keeps one index open
instead).

- ``language/``: the analysis and query language both engines share (Whoosh's analyzers and
  parser, with our own languages, identifiers and fields);
- ``whoosh/`` and ``tantivy/``: the two engines behind ``interface.Engine``; an index's engine is
  chosen when it is created and recorded beside it (``engines.py``), and ``open_index`` opens
  whichever it is;
- the rest is engine-neutral: results (``base``), document fields, hits and snippets, facet
  labels, the citation graph, the index's life cycle and the batched indexer.

Importing this package loads neither engine nor Whoosh: an engine and the language are imported
when an index is opened, and Whoosh's patches installed when a Whoosh index is.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path

from pipeline.errors import IndexError_
from pipeline.search.base import (
    FACETS,
    SORTS,
    CitedCase,
    CitingDocument,
    FacetCount,
    Hit,
    SearchResults,
    Snippet,
    Suggestion,
)
from pipeline.search.engines import (
    DEFAULT_ENGINE,
    ENGINES,
    check_engine,
    drop_other_engines,
    engine_class,
    record_engine,
    recorded_engine,
)
from pipeline.search.indexer import Indexer
from pipeline.search.interface import Engine
from pipeline.search.lifecycle import lag

__all__ = ["DEFAULT_ENGINE", "ENGINES", "FACETS", "SORTS", "CitedCase", "CitingDocument",
           "Engine", "FacetCount", "Hit", "SearchResults", "Snippet", "Suggestion", "cited_by",
           "cites", "catch_up", "expands_by_default", "index_lag", "open_index", "rebuild_index",
           "recorded_engine", "search", "similar"]


def open_index(index_dir: Path, catalogue, *, readonly: bool = False,
               engine: str | None = None, notice: Callable[[str], None] | None = None,
               **kwargs) -> Engine:
    """Open the search index of ``index_dir``, with the engine it was built with.

    ``readonly=True`` (every reader: the search commands, the web server, export) never
    rebuilds nor writes, raises IndexError_ when the index is missing, outdated or unreadable,
    and passes ``notice`` the reason when it lags the catalogue (``index_lag``). Otherwise (the
    writers, under the ingest lock) a missing, outdated or damaged index is rebuilt from the
    catalogue, with a ``notice``. ``engine`` chooses the engine of an
    index that has none yet; naming another engine than the recorded one is an IndexError_
    (switching is ``rebuild_index(..., engine=...)``, i.e. ``precedents reindex --engine``).
    """
    recorded = recorded_engine(index_dir)
    if engine is not None:
        check_engine(engine)
        if recorded is not None and engine != recorded:
            raise IndexError_(
                f"{index_dir}: the search index uses the {recorded} engine, not {engine}; "
                f"to switch, run `precedents reindex --engine {engine} --index {index_dir}`")
    name = recorded or engine or DEFAULT_ENGINE
    if readonly:
        index = engine_class(name).open(index_dir, catalogue, readonly=True, **kwargs)
        if notice is not None and (why := index_lag(index_dir, index, catalogue)):
            notice(why)
        return index
    if notice is not None:
        kwargs["notice"] = notice
    index = engine_class(name).open(index_dir, catalogue, **kwargs)
    record_engine(index_dir, name)
    return index


def index_lag(index_dir: Path, index: Engine, catalogue) -> str | None:
    """Why an opened index disagrees with the catalogue (one line, with what to run), or None."""
    return lag(Path(index_dir), index.doc_count(), catalogue)


def catch_up(index_dir: Path, catalogue, *, notice: Callable[[str], None] = lambda m: None,
             batch_docs: int = 200) -> int:
    """Index the catalogue documents not in the search index yet; return how many.

    For writers only, under the ingest lock: what a killed ingest or import committed to the
    catalogue but never indexed is searchable after the next writing command, whatever it does.
    """
    left = catalogue.count_documents(unindexed_only=True)
    if not left:
        return 0
    from pipeline.search.meaning.store import MeaningStore

    layer = None
    if MeaningStore.present(Path(index_dir)):
        from pipeline.search.meaning.writer import open_writer

        layer = open_writer(Path(index_dir), catalogue, notice=notice)
    indexer = Indexer(open_index(index_dir, catalogue, notice=notice), catalogue, batch_docs,
                      meaning=layer)
    done = 0
    try:
        for doc in catalogue.iter_documents(unindexed_only=True):
            indexer.upsert([doc])  # one at a time, so every batch_docs documents are committed
            done += 1
        indexer.commit()
    except BaseException:
        indexer.cancel()  # an open Whoosh writer holds the index's lock until it is closed
        raise
    finally:
        if layer is not None:
            layer.close()
    if done:
        notice(f"{done} documents of the catalogue were not in the search index: indexed now")
    return done


def rebuild_index(index_dir: Path, catalogue, *, engine: str | None = None, **kwargs) -> Engine:
    """Rebuild the search index from the catalogue, without extraction or NLP.

    With ``engine``, the index is rebuilt with that engine (a switch when it differs from the
    recorded one: the other engine's files are removed once the new index is complete).
    """
    name = check_engine(engine) if engine else (recorded_engine(index_dir) or DEFAULT_ENGINE)
    index = engine_class(name).rebuild(index_dir, catalogue, **kwargs)
    record_engine(index_dir, name)
    drop_other_engines(index_dir, name)
    return index


def expands_by_default(mode: str = "words") -> bool:
    """Whether a search widens words with the thesaurus when the user did not say: not in
    ``words`` mode, which keeps the exact results of the words typed (lawyers and the search
    tests rely on them); yes in the modes that go beyond the words typed anyway."""
    return mode != "words"


def search(index_dir: Path, catalogue, text: str, *, limit: int = 10, page: int = 1,
           sort: str = "relevance", filters: Iterable[str] = (),
           facets: bool = False, expand: bool = False, mode: str = "words") -> SearchResults:
    """One search on a read-only index (``expand``: see ``Engine.search``; ``mode``: words,
    meaning or both, see ``meaning/fuse.py``)."""
    from pipeline.search.meaning.fuse import search as by_mode

    return by_mode(open_index(index_dir, catalogue, readonly=True), index_dir, text, catalogue,
                   mode=mode, limit=limit, page=page, sort=sort, filters=filters, facets=facets,
                   expand=expand)


def similar(index_dir: Path, catalogue, doc_id: str, *, limit: int = 10) -> SearchResults:
    """Documents like ``doc_id``, on a read-only index."""
    return open_index(index_dir, catalogue, readonly=True).similar(doc_id, catalogue, limit=limit)


def cites(index_dir: Path, catalogue, doc_id: str) -> list[CitedCase]:
    """The cases ``doc_id`` cites, on a read-only index."""
    return open_index(index_dir, catalogue, readonly=True).cites(doc_id, catalogue)


def cited_by(index_dir: Path, catalogue, doc_id: str) -> list[CitingDocument]:
    """The documents citing ``doc_id``, on a read-only index."""
    return open_index(index_dir, catalogue, readonly=True).cited_by(doc_id, catalogue)
