"""The tantivy engine: the same index, searches and results as Whoosh, for big corpora.

Why it is built this way:

* **Our analyzers, not tantivy's.** Russian needs pymorphy3 lemmas ("пыток" -> "пытка"), which
  no tantivy tokenizer has. Each field's text is run through the Whoosh schema's own analyzer
  (``language/schema.get_schema()``, the one definition of how a field is analysed) in Python, and the
  resulting tokens go to tantivy as a ``PreTokenizedString`` *with Whoosh's positions*, so
  phrases and "phrase"~N match the same word distances as in Whoosh.
* **One parser.** A query is parsed by ``language/query.parse_query`` (the same code as the CLI, the web
  and the Whoosh engine: identifiers, code provisions, field clauses, refusals) into a Whoosh
  query tree whose terms are already analysed; ``_translate`` turns that tree into tantivy
  ``Query`` objects (term, phrase, boolean, range, regex for wildcards, all-docs). A
  proximity phrase is spelt out as exact phrases with explicit gaps, because tantivy's slop
  would also match the words in reverse order and Whoosh's does not.
* **Keyword fields as raw terms.** Identifiers, states, articles, outcomes, charges, provisions
  and kinds are indexed exactly as Whoosh's KEYWORD/ID fields would (same lowercasing, same
  comma splitting), with the ``raw`` tokenizer, so "12345/06" stays one term; the facet fields
  are fast fields, counted with tantivy's terms aggregation over all hits.
* **Dates as integers.** ``day`` (yyyymmdd) for ranges; ``newest``/``oldest`` sort keys put
  undated documents last both ways (0 sorts last descending, 99999999 last ascending).
* **The rest is shared** with Whoosh: document fields (``fields.py``), snippets over the
  catalogue's text (``snippets.py``/``hits.py``), facet labels (``facets.py``) and the
  citation graph (``cites``/``cited_by`` of ``interface.Engine``, over ``with_lookup``); this
  module only stores, finds and counts.

The index is derived data, rebuilt from the catalogue like Whoosh's: when missing, damaged, or
built with another schema or layout version (the ``SCHEMA_VERSION`` sidecar), in a fresh
directory swapped in when complete. Readers open a fresh searcher for every call (``reload``),
so a server sees an ingest's commits; tantivy's commits are atomic, and a reader keeps the
segment files it has open. One writer at a time (tantivy's own lock, and ``ingest.lock``).

tantivy is imported here only, and this module only when an index uses the engine.
"""

from __future__ import annotations

import atexit
import fnmatch
import itertools
import math
import os
import re
import shutil
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterable
from functools import lru_cache
from pathlib import Path
from typing import Any, TypeVar

import tantivy
from whoosh import fields as whoosh_fields
from whoosh import query as wq

from pipeline.catalogue import Catalogue, Document
from pipeline.errors import IndexError_, PipelineError, QueryError
from pipeline.search import graph, lifecycle, spelling
from pipeline.search.base import FACETS, SORTS, Hit, SearchResults
from pipeline.search.facets import facet_counts, facet_field
from pipeline.search.fields import document_fields, similar_seed
from pipeline.search.hits import Row, make_hits, row_of
from pipeline.search.interface import Engine
from pipeline.search.language.query import (EXPANSIONS, check_expansions, marked_terms,
                                            parse_filters, parse_query, parse_search_query)
from pipeline.search.language.schema import SCHEMA_VERSION, get_schema

ENGINE_DIR = "tantivy"
#: How this module lays the Whoosh schema out in tantivy; bump it when that changes.
LAYOUT_VERSION = 1
#: What the sidecar holds: the analysis (Whoosh schema) version and the layout version.
VERSION = f"{SCHEMA_VERSION}.{LAYOUT_VERSION}"
#: The writer's memory budget: modest, the machine is shared; tantivy flushes a segment when full.
WRITER_HEAP = 100_000_000
#: One indexing thread: the analysis in Python is the bottleneck, not tantivy.
WRITER_THREADS = 1
#: Documents sent to a rebuild's analysing process at a time.
REBUILD_CHUNK = 16
#: Analysing processes for a rebuild of so many documents (a name tests can replace).
_rebuild_procs = lifecycle.rebuild_procs
#: A search whose tantivy part took longer than this is reported as too costly.
SEARCH_SECONDS = 5.0
#: Attempts at a read that meets a concurrent rebuild (the directory swapped under it).
RETRIES = 4
#: Characters of a document read to find its key terms for ``similar``, and how many are kept.
SIMILAR_CHARS = 60_000
SIMILAR_TERMS = 30
SIMILAR_MARKED_TERMS = 8
#: Distinct values counted per facet before labelling and cutting to ``FACET_VALUES``.
FACET_BUCKETS = 10_000
#: Most exact phrases a proximity phrase ("a b c"~N) is spelt out as (see ``_phrase``).
PROXIMITY_VARIANTS = 100
#: Field boosts of the Whoosh schema, applied to every clause on these fields.
BOOSTS = {"title": 2.0, "own_ids": 8.0, "charge": 2.0}
#: Sort keys of undated documents: last when newest first, last when oldest first.
UNDATED_NEWEST, UNDATED_OLDEST = 0, 99_999_999

#: Keyword fields counted as facets are fast fields.
_FAST = {facet_field(name) for name in FACETS} - {"year"}
#: Whoosh fields kept as (pre-analysed) positional text.
_TEXT = ("title", "court", "judge", "body_ru", "body_en", "body_fr", "body_xx")
#: Integer fields (yyyymmdd day, year).
_INTEGERS = ("day", "year")
#: Stored fields a hit shows.
_STORED = ("id", "title", "date", "court", "kind", "language")

Notice = Callable[[str], None]
T = TypeVar("T")


def _schema() -> tantivy.Schema:
    builder = tantivy.SchemaBuilder()
    for name, field in get_schema().items():
        if name in _TEXT:
            builder.add_text_field(name, stored=name in _STORED, tokenizer_name="whitespace",
                                   index_option="position")
        elif name in _INTEGERS:
            builder.add_integer_field(name, stored=name == "year", indexed=True, fast=True)
        elif name == "date":
            builder.add_text_field(name, stored=True, tokenizer_name="raw", index_option="basic")
        elif isinstance(field, (whoosh_fields.ID, whoosh_fields.KEYWORD)):
            scorable = name in ("own_ids", "ids", "charge")
            builder.add_text_field(name, stored=name in _STORED, tokenizer_name="raw",
                                   fast=name in _FAST,
                                   index_option="freq" if scorable else "basic")
    builder.add_integer_field("newest", indexed=False, fast=True)
    builder.add_integer_field("oldest", indexed=False, fast=True)
    return builder.build()


class _Analysis:
    """The Whoosh schema, used as the definition of how each field is analysed."""

    def __init__(self):
        self.schema = get_schema()

    def document(self, doc: Document) -> tantivy.Document:
        """A catalogue document as a tantivy document holding the terms Whoosh would index."""
        return _built(self.parts(doc))

    def parts(self, doc: Document) -> list[tuple[str, str, Any]]:
        """The analysed fields as plain Python values, (how, field, value): what a rebuild's
        pool process sends back (tantivy documents pickle at twice the cost of analysing)."""
        values = document_fields(doc)
        out: list[tuple[str, str, Any]] = []
        for name, value in values.items():
            if value in (None, "") or name in ("undated", "pages"):
                continue
            field = self.schema[name]
            if name in _TEXT:
                tokens = [(t.text, t.pos, t.startchar, t.endchar)
                          for t in field.analyzer(value, positions=True, chars=True)]
                out.append(("tokens", name, (value, tokens)))
            elif name in _INTEGERS:
                out.append(("integer", name, int(value)))
            elif name == "date":
                out.append(("text", name, value.date().isoformat()))
            else:
                for term in dict.fromkeys(field.process_text(value, mode="index")):
                    out.append(("text", name, term))
        day = values.get("day")
        out.append(("integer", "newest", day or UNDATED_NEWEST))
        out.append(("integer", "oldest", day or UNDATED_OLDEST))
        return out


def _built(parts: list[tuple[str, str, Any]]) -> tantivy.Document:
    out = tantivy.Document()
    for how, name, value in parts:
        if how == "tokens":
            text, tokens = value
            out.add_pre_tokenized_text(name, tantivy.PreTokenizedString(
                text, [tantivy.Token(*token) for token in tokens]))
        elif how == "integer":
            out.add_integer(name, value)
        else:
            out.add_text(name, value)
    return out


def _analysis_pool(procs: int):
    """Forked where the system can (as Whoosh's MpWriter does), before the tantivy writer
    starts its threads: a fork copies no lock a writer thread holds, and, unlike "spawn", does
    not run the caller's main module again (a script without a ``__main__`` guard would
    rebuild in every worker)."""
    import multiprocessing

    method = "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"
    return multiprocessing.get_context(method).Pool(procs)


def _analysed_in(pool, docs: Iterable[Document], procs: int) -> Iterable[list]:
    """The documents analysed by the pool, in order, the writer staying in this process.

    A window of documents at a time, the next one sent before the last is collected, so the
    pool never waits and at most two windows are in memory (``Pool.imap`` would read the
    whole catalogue into its queue as fast as it can)."""
    window = procs * REBUILD_CHUNK * 4
    pending = None
    docs = iter(docs)
    while group := list(itertools.islice(docs, window)):
        sent = pool.map_async(_analyse, group, chunksize=REBUILD_CHUNK)
        if pending is not None:
            yield from pending.get()
        pending = sent
    if pending is not None:
        yield from pending.get()


def _analyse(doc: Document) -> list[tuple[str, str, Any]]:
    """One document analysed in a pool process (``_Analysis.parts``)."""
    return _analysis().parts(doc)


@lru_cache(maxsize=1)
def _analysis() -> _Analysis:
    """One per process: the web server opens the index for every request."""
    return _Analysis()


class Batch:
    """Upserts and deletions committed together; nothing is visible until ``commit``.

    The writer lives as long as the batch: tantivy allows one per index, and ingest commits
    every few hundred documents, so holding it no longer lets a reindex or a test open its own.
    """

    def __init__(self, ix: tantivy.Index, analysis: _Analysis):
        self.analysis = analysis
        try:
            self.writer = ix.writer(heap_size=WRITER_HEAP, num_threads=WRITER_THREADS)
        except ValueError as exc:
            raise IndexError_(f"cannot write the search index ({exc})") from exc
        self.count = 0

    def upsert(self, doc: Document) -> None:
        self.writer.delete_documents_by_term("id", doc.id)
        self.writer.add_document(self.analysis.document(doc))
        self.count += 1

    def delete(self, doc_ids: Iterable[str]) -> None:
        for doc_id in doc_ids:
            self.writer.delete_documents_by_term("id", doc_id)
            self.count += 1

    def commit(self) -> None:
        """Commit, then let merges finish and release the writer's lock."""
        self.writer.commit()
        self.writer.wait_merging_threads()

    def cancel(self) -> None:
        self.writer.rollback()
        self.writer.wait_merging_threads()


def _opened(directory: Path) -> tantivy.Index:
    return tantivy.Index.open(str(_readable(directory)))


def _counted(directory: Path) -> tuple[tantivy.Index, int]:
    ix = _opened(directory)
    return ix, ix.searcher().num_docs


#: Lock files tantivy keeps beside the index; a reader opens ``.tantivy-meta.lock`` for writing.
_LOCKS = (".tantivy-meta.lock", ".tantivy-writer.lock")
#: index directory -> this process's folder of links to it (``_readable``), removed at exit.
_shadows: dict[Path, Path] = {}
_shadows_lock = threading.Lock()


def _readable(directory: Path) -> Path:
    """The directory itself, or, when this process cannot write it, a private temporary folder
    of links to its files, where tantivy can take its lock.

    tantivy opens its meta lock file for writing even to read, so an index on read-only media
    (a mount, a shared folder, no write permission) could not be read at all. The links cost a
    few microseconds a file and nothing is copied; they are brought up to date at every open,
    so segments a writer with more rights adds meanwhile are found.
    """
    lock = directory / _LOCKS[0]
    if os.access(directory, os.W_OK) and (not lock.exists() or os.access(lock, os.W_OK)):
        return directory
    with _shadows_lock:
        shadow = _shadows.get(directory)
        if shadow is None or not shadow.is_dir():
            shadow = _shadows[directory] = Path(tempfile.mkdtemp(prefix="precedents-tantivy-"))
            atexit.register(shutil.rmtree, shadow, True)
        for name in os.listdir(directory):
            link = shadow / name
            if name not in _LOCKS and not link.is_symlink():
                link.symlink_to(directory.resolve() / name)
    return shadow


class TantivyIndex(Engine):
    """The tantivy search index of one index directory."""

    def __init__(self, ix: tantivy.Index, directory: Path):
        self.ix = ix
        self.directory = directory
        self.analysis = _analysis()

    # -- opening ---------------------------------------------------------------------------

    @classmethod
    def open(cls, index_dir: Path, catalogue: Catalogue, *, readonly: bool = False,
             notice: Notice = lambda m: None,
             progress: Callable[[int, int], None] | None = None) -> TantivyIndex:
        """Open the index, rebuilding it from ``catalogue`` when it is missing, stale or damaged.

        ``readonly`` never rebuilds nor writes: a missing or outdated index is an IndexError_
        saying what to run (the web server opens it so, while an ingest may be writing it).
        """
        directory = Path(index_dir) / ENGINE_DIR
        present = lambda: (directory / "meta.json").is_file()  # noqa: E731
        if readonly:
            return cls(lifecycle.open_readonly(directory, VERSION, present=present,
                                               open_=lambda: _counted(directory)[0]), directory)
        ix, reason = lifecycle.check(directory, VERSION, catalogue, present=present(),
                                     open_counted=lambda: _counted(directory))
        if ix is not None:
            return cls(ix, directory)
        if reason:
            notice(f"{reason}: rebuilding it from the catalogue")
        return cls.rebuild(index_dir, catalogue, progress=progress)

    @classmethod
    def rebuild(cls, index_dir: Path, catalogue: Catalogue, *,
                progress: Callable[[int, int], None] | None = None) -> TantivyIndex:
        """Build a fresh index from every catalogue document (no extraction, no NLP)."""
        total = catalogue.count_documents()
        procs = _rebuild_procs(total)
        # The pool before any tantivy object: forked while no tantivy thread runs.
        pool = _analysis_pool(procs) if procs > 1 else None
        try:
            fresh = lifecycle.fresh_directory(index_dir, ENGINE_DIR)
            ix = tantivy.Index(_schema(), path=str(fresh), reuse=False)
            analysis = _analysis()
            catalogue.mark_all_unindexed()
            batch = Batch(ix, analysis)
            if pool is not None:
                analysed = map(_built, _analysed_in(pool, catalogue.iter_documents(), procs))
            else:
                analysed = map(analysis.document, catalogue.iter_documents())
            for done, document in enumerate(analysed, 1):
                # A fresh index holds nothing to replace: add without the delete of an upsert.
                # No commit until the end: nobody reads the new directory before the swap,
                # and the writer flushes a segment to disk whenever its memory budget is full.
                batch.writer.add_document(document)
                if progress:
                    progress(done, total)
        finally:
            if pool is not None:
                pool.terminate()
                pool.join()
        batch.commit()
        directory = lifecycle.swap_in(index_dir, ENGINE_DIR, VERSION, catalogue)
        return cls(_opened(directory), directory)

    # -- writing ---------------------------------------------------------------------------

    def batch(self) -> Batch:
        return Batch(self.ix, self.analysis)

    def doc_count(self) -> int:
        return self._read(lambda searcher: searcher.num_docs)

    # -- reading, safely beside a writer ---------------------------------------------------

    def _read(self, fn: Callable[[Any], Any]) -> Any:
        """Run ``fn(searcher)`` on the latest commit, retrying on a freshly opened index when
        a rebuild swapped the directory under it."""
        for attempt in range(RETRIES):
            try:
                self.ix.reload()
                return fn(self.ix.searcher())
            except PipelineError:
                raise
            except Exception as exc:  # noqa: BLE001 - files gone with a swapped directory, ...
                if attempt == RETRIES - 1:
                    raise IndexError_(f"search failed ({type(exc).__name__}: {exc})") from exc
                time.sleep(0.05 * 2 ** attempt)
                try:
                    self.ix = _opened(self.directory)
                except Exception:  # noqa: BLE001 - still being replaced; the next try tells
                    pass
        raise AssertionError("unreachable")

    # -- searching -------------------------------------------------------------------------

    def search(self, text: str, catalogue: Catalogue, *, limit: int = 10, page: int = 1,
               sort: str = "relevance", filters: Iterable[str] = (),
               facets: bool = False, suggest: bool = True, expand: bool = False,
               snippets: bool = True) -> SearchResults:
        """Run a query, as ``WhooshIndex.search`` does: same parser, same hits, same facets,
        same suggestions, same expansion, same ``snippets``."""
        if limit < 1 or page < 1:
            raise QueryError("limit and page must be at least 1")
        if sort not in SORTS:
            raise QueryError("unknown sort %(sort)r (use one of: %(sorts)s)", sort=sort,
                             sorts=", ".join(SORTS))
        filters = [f for f in filters if f and f.strip()]
        parsed, keys, expanded = parse_search_query(text, self.analysis.schema,
                                                    allow_empty=True, expand=expand)
        parsed_filter = parse_filters(filters, self.analysis.schema)
        schema = self.ix.schema
        query = _to_tantivy(parsed, schema)
        if parsed_filter is not None:
            # Filters restrict without scoring: a constant 0 adds nothing to the hit's score.
            query = tantivy.Query.boolean_query([
                (tantivy.Occur.Must, query),
                (tantivy.Occur.Must, tantivy.Query.const_score_query(
                    _to_tantivy(parsed_filter, schema), 0.0))])

        def run(searcher):
            started = time.monotonic()
            check_expansions((parsed, parsed_filter),
                             lambda node: _expanded(searcher, node),
                             deadline=lambda: _in_time(started))
            offset = (page - 1) * limit
            if sort == "relevance":
                result = searcher.search(query, limit, count=True, offset=offset)
            else:
                result = searcher.search(
                    query, limit, count=True, offset=offset,
                    order_by_field="newest" if sort == "newest" else "oldest",
                    order=tantivy.Order.Desc if sort == "newest" else tantivy.Order.Asc)
            counts = _facets(searcher, query, schema) if facets else {}
            _in_time(started)
            terms = marked_terms(parsed, lambda field, prefix: _term_texts(
                searcher.terms_with_prefix(field, prefix, limit=EXPANSIONS * 4)))
            rows = []
            for key, address in result.hits:
                score = float(key) if sort == "relevance" else 0.0
                stored = _stored(searcher.doc(address))
                rows.append((stored, score, terms))
            return result.count, rows, counts

        total, rows, counts = self._read(run)
        hits = self._hits(rows, catalogue, keys, snippets=snippets)
        results = SearchResults(query=text, total=total, hits=hits, page=page, limit=limit,
                                sort=sort, filters=filters, facets=counts, expanded=expanded)
        if suggest and total < spelling.FEW and text.strip():
            results.suggestions = self._read(lambda searcher: spelling.suggest(
                text, total, _Vocabulary(searcher, schema), catalogue.texts,
                lambda q: self.search(q, catalogue, limit=1, filters=filters,
                                      suggest=False, expand=expand).total))
        return results

    def with_snippets(self, text: str, hits: list[Hit], catalogue: Catalogue, *,
                      expand: bool = False) -> list[Hit]:
        """``hits`` of ``search(text, snippets=False)`` with what ``search`` gives them."""
        parsed, keys, _ = parse_search_query(text, self.analysis.schema, allow_empty=True,
                                             expand=expand)
        marked = self._read(lambda searcher: marked_terms(parsed, lambda field, prefix: _term_texts(
            searcher.terms_with_prefix(field, prefix, limit=EXPANSIONS * 4))))
        return self._hits([row_of(h, marked) for h in hits], catalogue, keys)

    def ids_matching(self, text: str) -> set[str]:
        """The ids of every document ``text`` (query language, unscored) selects."""
        parsed, _ = parse_query(text, self.analysis.schema)
        query = _to_tantivy(parsed, self.ix.schema)

        return self._read(lambda searcher: _all_ids(searcher, query))

    def selected_ids(self, text: str, filters: Iterable[str] = (), *,
                     expand: bool = False) -> set[str]:
        """The ids of every document ``search(text, filters=filters)`` counts (unscored)."""
        parsed, _, _ = parse_search_query(text, self.analysis.schema, allow_empty=True,
                                          expand=expand)
        parsed_filter = parse_filters([f for f in filters if f and f.strip()],
                                      self.analysis.schema)
        schema = self.ix.schema
        query = _to_tantivy(parsed, schema)
        if parsed_filter is not None:
            query = tantivy.Query.boolean_query([(tantivy.Occur.Must, query),
                                                 (tantivy.Occur.Must, _to_tantivy(parsed_filter, schema))])

        def run(searcher) -> set[str]:
            started = time.monotonic()
            check_expansions((parsed, parsed_filter), lambda node: _expanded(searcher, node),
                             deadline=lambda: _in_time(started))
            return _all_ids(searcher, query)

        return self._read(run)

    def _hits(self, rows: list[Row], catalogue: Catalogue, keys: list[str], *,
              snippets: bool = True):
        return make_hits(rows, catalogue, keys, lambda field: self.analysis.schema[field].analyzer,
                         snippets=snippets)

    # -- more like this --------------------------------------------------------------------

    def similar(self, doc_id: str, catalogue: Catalogue, *, limit: int = 10,
                snippets: bool = True) -> SearchResults:
        """Documents like ``doc_id``: its key terms in its language (Whoosh's Bo1 weighting,
        over document frequencies), its Convention articles and the identifiers it names.
        ``snippets=False``: hits without snippets (a list of titles), reading no text."""
        seed = similar_seed(catalogue, doc_id, limit)
        doc, field, articles, idents = seed.doc, seed.field, seed.articles, seed.identifiers
        analyzer = self.analysis.schema[field].analyzer
        counts = Counter(t.text for t in analyzer(doc.text[:SIMILAR_CHARS]))
        schema = self.ix.schema

        def run(searcher):
            terms = _key_terms(searcher, field, counts)
            boosted = [(field, t, w) for t, w in terms]
            boosted += [("article", a, 0.5) for a in articles[:20]]
            boosted += [("ids", i.lower(), 1.0) for i in idents[:40]]
            boosted += [("own_ids", i.lower(), 1.0) for i in idents[:40]]
            if not boosted:
                return 0, []
            query = tantivy.Query.boolean_query(
                [(tantivy.Occur.Should, _boost(tantivy.Query.term_query(schema, f, v), w))
                 for f, v, w in boosted]
                + [(tantivy.Occur.MustNot, tantivy.Query.term_query(schema, "id", doc.id))])
            result = searcher.search(query, limit, count=True)
            # Highlight only the strongest key terms: the weaker ones are common words.
            strong = {field: {t for t, _ in terms[:SIMILAR_MARKED_TERMS]}}
            return result.count, [(_stored(searcher.doc(address)), float(score), strong)
                                  for score, address in result.hits]

        total, rows = self._read(run)
        hits = self._hits(rows, catalogue, [], snippets=snippets)
        return SearchResults(query=f"similar:{doc_id}", total=total, hits=hits, limit=limit)

    # -- the citation graph (cites, cited_by: Engine) ------------------------------------

    def with_lookup(self, fn: Callable[[graph.Lookup], T]) -> T:
        """``fn`` with ``_lookup``: each lookup reads the latest commit."""
        return fn(self._lookup)

    def _lookup(self, terms: list[tuple[str, str]], *, exclude: str, limit: int | None,
                oldest: bool = False) -> list[dict[str, Any]]:
        """Stored fields of the documents holding any of ``terms`` (see graph.Lookup)."""
        schema = self.ix.schema
        query = tantivy.Query.boolean_query(
            [(tantivy.Occur.Should, tantivy.Query.term_query(schema, f, v)) for f, v in terms]
            + [(tantivy.Occur.MustNot, tantivy.Query.term_query(schema, "id", exclude))])

        def run(searcher):
            size = limit or max(1, searcher.num_docs)
            if oldest:
                result = searcher.search(query, size, count=False, order_by_field="oldest",
                                         order=tantivy.Order.Asc)
            else:
                result = searcher.search(query, size, count=False)
            return [_stored(searcher.doc(address)) for _, address in result.hits]

        return self._read(run)


class _Vocabulary:
    """``spelling.Vocabulary`` on one searcher. tantivy's fuzzy term query finds documents,
    not the terms it matched, so it only says whether any term is near; the terms are then
    read from the term dictionary by their first letter (what the fuzzy query would walk)."""

    def __init__(self, searcher, schema: tantivy.Schema):
        self.searcher = searcher
        self.schema = schema
        self._listed: dict[tuple[str, str], list[str]] = {}

    def frequency(self, field: str, term: str) -> int:
        return self.searcher.doc_freq(field, term)

    def near(self, field: str, term: str, maxdist: int) -> list[str]:
        fuzzy = tantivy.Query.fuzzy_term_query(self.schema, field, term, distance=maxdist)
        if not self.searcher.search(fuzzy, 1, count=True).count:
            return []
        key = (field, term[:1])
        if key not in self._listed:
            self._listed[key] = _term_texts(self.searcher.terms_with_prefix(field, term[:1]))
        return [t for t in self._listed[key] if abs(len(t) - len(term)) <= maxdist]

    def holders(self, field: str, term: str, limit: int) -> list[str]:
        found = self.searcher.search(tantivy.Query.term_query(self.schema, field, term), limit,
                                     count=False)
        return [self.searcher.doc(address).get_first("id") for _, address in found.hits]


# -- stored fields, facets, key terms ---------------------------------------------------------

def _in_time(started: float) -> None:
    if time.monotonic() - started > SEARCH_SECONDS:
        raise QueryError("the query took too long (over %(seconds)s s); make it more specific",
                         seconds=format(SEARCH_SECONDS, "g"))


def _all_ids(searcher, query) -> set[str]:
    """The ids of every document ``query`` matches, unscored."""
    count = searcher.search(query, 1, count=True).count
    if not count:
        return set()
    return {searcher.doc(address).get_first("id") for _, address in searcher.search(query, count).hits}


def _expanded(searcher, node: wq.Query) -> Iterable[str]:
    """The indexed terms a wildcard or prefix stands for (what its regex query will match);
    other expanding nodes (word ranges) are refused by ``_translate`` and stand for none."""
    if not isinstance(node, (wq.Prefix, wq.Wildcard)):
        return ()
    pattern = node.text + "*" if isinstance(node, wq.Prefix) else node.text
    prefix = re.split(r"[*?]", pattern, maxsplit=1)[0]
    try:
        listed = searcher.terms_with_prefix(node.fieldname, prefix)
    except ValueError:  # no such text field: _translate says so
        return ()
    return (term for term in _term_texts(listed) if fnmatch.fnmatchcase(term, pattern))


def _stored(doc: tantivy.Document) -> dict[str, Any]:
    """The stored fields of a hit, one value each."""
    return {name: doc.get_first(name) for name in _STORED}


def _facets(searcher, query, schema: tantivy.Schema) -> dict[str, list]:
    """Every facet counted over all hits, with tantivy's terms aggregation on fast fields."""
    spec = {name: {"terms": {"field": facet_field(name), "size": FACET_BUCKETS}}
            for name in FACETS}
    result = searcher.aggregate(query, spec)
    counts = {name: {_bucket_key(b["key"]): b["doc_count"]
                     for b in (result.get(name) or {}).get("buckets", [])}
              for name in FACETS}

    def court_name(key: str) -> str | None:
        found = searcher.search(tantivy.Query.term_query(schema, "court_id", key), 1,
                                count=False)
        return searcher.doc(found.hits[0][1]).get_first("court") if found.hits else None

    return facet_counts(counts, court_name)


def _bucket_key(key: Any) -> Any:
    """Integer facet values (years) may come back as floats from the aggregation."""
    return int(key) if isinstance(key, float) and key.is_integer() else key


def _key_terms(searcher, field: str, counts: Counter) -> list[tuple[str, float]]:
    """The ``SIMILAR_TERMS`` most telling terms of a text: Whoosh's Bo1 model, with document
    frequency standing in for collection frequency (tantivy-py exposes only the former)."""
    total = sum(counts.values())
    docs = max(1, searcher.num_docs)
    scored = []
    for word, weight in counts.items():
        df = searcher.doc_freq(field, word)
        if not df:
            continue
        f = df / docs
        scored.append((weight * math.log2((1 + f) / f) + math.log2(1 + f), word))
    if not scored or not total:
        return []
    top = max(s for s, _ in scored)
    f = top / docs
    norm = (top * math.log((1 + f) / f) + math.log(1 + f)) / math.log(2)
    scored.sort(key=lambda x: (-x[0], x[1]))
    return [(word, score / norm) for score, word in scored[:SIMILAR_TERMS]]


# -- the Whoosh query tree as tantivy queries -------------------------------------------------

def _boost(query: tantivy.Query, boost: float) -> tantivy.Query:
    return query if boost == 1.0 else tantivy.Query.boost_query(query, boost)


def _field_boost(field: str, query: tantivy.Query) -> tantivy.Query:
    return _boost(query, BOOSTS.get(field, 1.0))


def _bool(clauses: list[tuple[Any, tantivy.Query]]) -> tantivy.Query:
    return tantivy.Query.boolean_query(clauses) if clauses else tantivy.Query.empty_query()


def _to_tantivy(node: wq.Query, schema: tantivy.Schema) -> tantivy.Query:
    """``_translate``, with tantivy's own refusals (a regex it cannot compile, ...) as one-line
    QueryErrors like the parser's."""
    try:
        return _translate(node, schema)
    except QueryError:
        raise
    except (ValueError, TypeError) as exc:
        raise QueryError("cannot understand the query (%(error)s)",
                         error=type(exc).__name__) from exc


def _translate(node: wq.Query, schema: tantivy.Schema) -> tantivy.Query:
    """A parsed (Whoosh) query as a tantivy query with the same matches.

    Terms are already analysed by the parser, so they are looked up as they are. Whoosh's
    phrase slop counts the distance between neighbouring words (1: adjacent); tantivy's counts
    the gaps (0: adjacent).
    """
    Must, Should, MustNot = tantivy.Occur.Must, tantivy.Occur.Should, tantivy.Occur.MustNot
    boost = getattr(node, "boost", 1.0) or 1.0
    if isinstance(node, wq.Every):
        return tantivy.Query.all_query()
    if isinstance(node, type(wq.NullQuery)):
        return tantivy.Query.empty_query()
    if isinstance(node, wq.Term):
        return _boost(_term(node.fieldname, node.text, schema), boost)
    if isinstance(node, wq.Phrase):
        words = [w for w in node.words if w]
        if not words:
            return tantivy.Query.empty_query()
        _known(node.fieldname)
        query = _phrase(schema, node.fieldname, words, node.slop)
        return _boost(_field_boost(node.fieldname, query), boost)
    if isinstance(node, (wq.Prefix, wq.Wildcard)):
        _known(node.fieldname)
        pattern = _regex(node.text + "*" if isinstance(node, wq.Prefix) else node.text)
        return _boost(_field_boost(node.fieldname,
                                   tantivy.Query.regex_query(schema, node.fieldname, pattern)),
                      boost)
    if isinstance(node, wq.NumericRange):
        if node.fieldname not in _INTEGERS:
            raise QueryError("ranges work on date: and year: only, not %(field)s:",
                             field=node.fieldname)
        query = tantivy.Query.range_query(
            schema, node.fieldname, tantivy.FieldType.Integer,
            lower_bound=None if node.start is None else int(node.start) + bool(node.startexcl),
            upper_bound=None if node.end is None else int(node.end) - bool(node.endexcl))
        return query
    if isinstance(node, wq.TermRange):
        raise QueryError("ranges work on date: and year: only, not %(field)s:",
                             field=node.fieldname)
    if isinstance(node, wq.Not):
        return _boost(_bool([(Must, tantivy.Query.all_query()),
                             (MustNot, _translate(node.query, schema))]), boost)
    if isinstance(node, wq.AndNot):
        return _boost(_bool([(Must, _translate(node.a, schema)),
                             (MustNot, _translate(node.b, schema))]), boost)
    if isinstance(node, wq.AndMaybe):
        return _boost(_bool([(Must, _translate(node.a, schema)),
                             (Should, _translate(node.b, schema))]), boost)
    if isinstance(node, wq.Require):
        return _boost(_bool([(Must, _translate(node.a, schema)),
                             (Must, tantivy.Query.const_score_query(
                                 _translate(node.b, schema), 0.0))]), boost)
    if isinstance(node, wq.DisjunctionMax):
        return _boost(tantivy.Query.disjunction_max_query(
            [_translate(q, schema) for q in node.subqueries], node.tiebreak), boost)
    if isinstance(node, wq.And):
        return _boost(_bool([(Must, _translate(q, schema)) for q in node.subqueries]), boost)
    if isinstance(node, wq.Or):
        return _boost(_bool([(Should, _translate(q, schema)) for q in node.subqueries]), boost)
    raise QueryError("this kind of query is not supported (%(kind)s)", kind=type(node).__name__)


def _phrase(schema: tantivy.Schema, field: str, words: list[str], slop: int) -> tantivy.Query:
    """Whoosh's phrase: each word within ``slop`` positions *after* the one before it.

    tantivy's slop also matches the words in another order ("police beaten"~5 would find
    "beaten in police"), so a proximity phrase is spelt out as exact phrases with every allowed
    gap (offsets), as long as there are at most ``PROXIMITY_VARIANTS`` of them; beyond, tantivy's
    own (looser) slop is used.

    >>> len(_phrase_offsets(["police", "custody"], 3))
    3
    """
    if len(words) == 1:
        return tantivy.Query.term_query(schema, field, words[0])
    # tantivy-py types a phrase as a list of "word or (offset, word)" (and a list is invariant).
    phrase: list[str | tuple[int, str]] = list(words)
    if slop <= 1:
        return tantivy.Query.phrase_query(schema, field, phrase)
    variants = _phrase_offsets(words, slop)
    if variants is None:
        return tantivy.Query.phrase_query(schema, field, phrase,
                                          slop=(slop - 1) * (len(words) - 1))
    return tantivy.Query.boolean_query(
        [(tantivy.Occur.Should, tantivy.Query.phrase_query(schema, field, list(v)))
         for v in variants])


def _phrase_offsets(words: list[str], slop: int) -> list[list[tuple[int, str]]] | None:
    """Every placement of ``words`` with gaps of 1..slop positions, or None when too many."""
    if slop ** (len(words) - 1) > PROXIMITY_VARIANTS:
        return None
    out = []
    for gaps in itertools.product(range(1, slop + 1), repeat=len(words) - 1):
        offsets = [0, *itertools.accumulate(gaps)]
        out.append([(offset, word) for offset, word in zip(offsets, words)])
    return out


def _known(field: str) -> None:
    if field not in _FIELDS:
        raise QueryError("no field %(field)r to search", field=field)


def _term(field: str, text: Any, schema: tantivy.Schema) -> tantivy.Query:
    """One exact term; numeric terms come from the parser encoded as Whoosh bytes."""
    _known(field)
    if field in _INTEGERS:
        value = text
        if isinstance(text, bytes):
            value = _WHOOSH_SCHEMA[field].from_bytes(text)
        return tantivy.Query.term_query(schema, field, int(value))
    if isinstance(text, bytes):
        text = text.decode("utf-8")
    return _field_boost(field, tantivy.Query.term_query(schema, field, text))


_WHOOSH_SCHEMA = get_schema()
#: Fields a query may name (the Whoosh fields this layout indexes).
_FIELDS = {name for name in _WHOOSH_SCHEMA.names()} - {"date", "undated", "pages"}
_REGEX_SPECIAL = re.compile(r"([\\.+*?()|\[\]{}^$#&\-~])")


def _regex(pattern: str) -> str:
    """A Whoosh wildcard (``*``, ``?``) as an anchored tantivy regex over whole terms.

    >>> _regex("tor?ur*")
    'tor.ur.*'
    """
    out = []
    for char in pattern:
        if char == "*":
            out.append(".*")
        elif char == "?":
            out.append(".")
        else:
            out.append(_REGEX_SPECIAL.sub(r"\\\1", char))
    return "".join(out)


def _term_texts(found: Any) -> list[str]:
    """``terms_with_prefix`` answers (term, ...) pairs or bare terms, depending on version."""
    out = []
    for item in found or ():
        term = item[0] if isinstance(item, (tuple, list)) else item
        out.append(term.decode("utf-8") if isinstance(term, bytes) else str(term))
    return out
