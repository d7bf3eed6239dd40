"""The Whoosh engine: open (or rebuild) the index, write documents in batches, search.

The index is derived data, checked, opened and rebuilt as ``lifecycle.py`` says (missing, another
schema version, unreadable: rebuilt from the catalogue in a fresh directory swapped in when
complete); this module only says how Whoosh opens and counts.
"""

from __future__ import annotations

import heapq
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any, TypeVar

from whoosh import collectors, index, sorting
from whoosh.fields import Schema
from whoosh.query import And, Or, Term

from pipeline.catalogue import Catalogue, Document
from pipeline.errors import IndexError_, PipelineError, QueryError
from pipeline.search import graph, lifecycle, spelling
from pipeline.search.base import SORTS, Hit, SearchResults
from pipeline.search.facets import facet_counts
from pipeline.search.fields import document_fields, similar_seed
from pipeline.search.hits import Row, make_hits, row_of, strongest
from pipeline.search.interface import Engine
from pipeline.search.language.query import (check_expansions, marked_terms, parse_filters,
                                            parse_query, parse_search_query)
from pipeline.search.language.schema import SCHEMA_VERSION, get_schema
from pipeline.search.whoosh import fast, phrases, pickled, views
from pipeline.search.whoosh.facets import FacetCounter
from pipeline.search.whoosh.pairs import PAIR_FIELDS, pairs_field

ENGINE_DIR = "whoosh"
#: Fields only Whoosh indexes; bump it when they change. 1: pairs of common terms (pairs.py);
#: 2: pairs only where both terms are common, from 100 terms per language.
LAYOUT_VERSION = 2
#: What the sidecar holds: the analysis (schema) version and Whoosh's own layout version.
VERSION = f"{SCHEMA_VERSION}.{LAYOUT_VERSION}"
#: Writer memory per process for a rebuild.
REBUILD_MB = 128
#: Writer processes for a rebuild of so many documents (a name tests can replace).
_rebuild_procs = lifecycle.rebuild_procs
#: Merge the index after a commit when more than this share of it is deleted documents...
DELETED_MERGE_SHARE = 0.25
#: ... and at least this many (small indexes are cheap to search either way).
DELETED_MERGE_MIN = 50
#: A search taking longer than this is stopped and reported as too costly.
SEARCH_SECONDS = 5.0
#: Attempts at a search that meets a concurrent commit (a segment file replaced under it).
RETRIES = 4
#: Characters of a document read to find its key terms for ``similar``.
SIMILAR_CHARS = 60_000
#: Key terms of the document highlighted in a similar document's snippet.
SIMILAR_MARKED_TERMS = 8

Notice = Callable[[str], None]
T = TypeVar("T")


def install_patches() -> None:
    """Make Whoosh read segments in place (views.py), match phrases on integers (phrases.py)
    and find the analyzers an index names by older paths (pickled.py); idempotent.

    Done when an index is opened or built, not when a module is imported: the patches change
    third-party classes, and a command that never opens a Whoosh index should not run with them.
    """
    views.install()
    phrases.install()
    pickled.install()


def index_schema() -> Schema:
    """The shared schema (the analysis of every field), plus the pairs fields only Whoosh has."""
    return get_schema(**{name: pairs_field(kind) for name, kind in PAIR_FIELDS.values()})


def _counted(directory: Path) -> tuple[index.Index, int]:
    ix = index.open_dir(str(directory))
    with ix.searcher() as searcher:
        return ix, searcher.doc_count()


def _opened(directory: Path) -> index.Index:
    return _counted(directory)[0]


class Batch:
    """Upserts and deletions committed together; nothing is visible until ``commit``."""

    def __init__(self, ix: index.Index):
        self.ix = ix
        self.writer = ix.writer(limitmb=128)
        self.count = 0

    def upsert(self, doc: Document) -> None:
        self.writer.update_document(**_fields(doc))
        self.count += 1

    def delete(self, doc_ids: Iterable[str]) -> None:
        for doc_id in doc_ids:
            self.writer.delete_by_term("id", doc_id)
            self.count += 1

    def commit(self) -> None:
        """Commit; then, when deleted documents fill over a quarter of the index, merge it.

        Whoosh only marks replaced documents deleted. Re-ingesting a corpus after a pipeline
        version change left the shared-corpora index at twice its size and its searches 2-4
        times slower; a merge costs about as much as a ``reindex`` and happens rarely.
        """
        self.writer.commit()
        total, live = self.ix.doc_count_all(), self.ix.doc_count()
        if total - live > max(DELETED_MERGE_MIN, total * DELETED_MERGE_SHARE):
            self.ix.optimize()

    def cancel(self) -> None:
        self.writer.cancel()


class WhooshIndex(Engine):
    """The search index of one index directory."""

    def __init__(self, ix: index.Index, directory: Path):
        self.ix = ix
        self.directory = directory
        self._facets = FacetCounter()
        self._lengths = fast.FieldLengths()
        self._segment_ids = SegmentIds()
        #: Evaluate queries with fast.py where it can (tests turn it off to compare).
        self.fast = True
        # Read once: ``ix.schema`` reads the table of contents from disk at every access
        # (1.3 ms, a dozen times per search). A new schema comes with a new directory.
        self.schema = ix.schema

    # -- opening ---------------------------------------------------------------------------

    @classmethod
    def open(cls, index_dir: Path, catalogue: Catalogue, *, readonly: bool = False,
             notice: Notice = lambda m: None,
             progress: Callable[[int, int], None] | None = None) -> WhooshIndex:
        """Open the index, rebuilding it from ``catalogue`` when it is missing, stale or damaged.

        ``readonly`` never rebuilds nor writes: a missing or outdated index is an IndexError_
        saying what to run. The web server opens it so, while an ingest may be writing it.
        """
        install_patches()
        directory = Path(index_dir) / ENGINE_DIR
        if readonly:
            return cls(lifecycle.open_readonly(
                directory, VERSION, present=lambda: directory.is_dir() and index.exists_in(str(directory)),
                open_=lambda: _opened(directory)), directory)
        try:
            present = directory.is_dir() and index.exists_in(str(directory))
        except Exception:  # noqa: BLE001 - an unreadable table of contents is damage
            present = directory.is_dir() and any(directory.iterdir())
        ix, reason = lifecycle.check(directory, VERSION, catalogue, present=present,
                                     open_counted=lambda: _counted(directory))
        if ix is not None:
            return cls(ix, directory)
        if reason:
            notice(f"{reason}: rebuilding it from the catalogue")
        return cls.rebuild(index_dir, catalogue, progress=progress)

    @classmethod
    def rebuild(cls, index_dir: Path, catalogue: Catalogue, *,
                progress: Callable[[int, int], None] | None = None) -> WhooshIndex:
        """Build a fresh index from every catalogue document (no extraction, no NLP).

        One writer and one commit: committing every thousand documents made Whoosh merge the
        growing index again and again. With several cores and enough documents, the writer
        analyses in ``REBUILD_PROCS`` processes (Whoosh's MpWriter, one segment each): the
        analysis in Python is the cost of a rebuild.
        """
        install_patches()
        fresh = lifecycle.fresh_directory(index_dir, ENGINE_DIR)
        ix = index.create_in(str(fresh), index_schema())
        catalogue.mark_all_unindexed()
        total = catalogue.count_documents()
        procs = _rebuild_procs(total)
        writer = (ix.writer(procs=procs, limitmb=REBUILD_MB, multisegment=True) if procs > 1
                  else ix.writer(limitmb=REBUILD_MB))
        try:
            for done, doc in enumerate(catalogue.iter_documents(), 1):
                writer.add_document(**_fields(doc))
                if progress:
                    progress(done, total)
            writer.commit()
        except BaseException:
            writer.cancel()
            raise
        directory = lifecycle.swap_in(index_dir, ENGINE_DIR, VERSION, catalogue)
        return cls(index.open_dir(str(directory)), directory)

    # -- writing ---------------------------------------------------------------------------

    def batch(self) -> Batch:
        return Batch(self.ix)

    def doc_count(self) -> int:
        return self._read(lambda searcher: searcher.doc_count())

    # -- reading, safely beside a writer ---------------------------------------------------

    def _read(self, fn: Callable[[Any], Any]) -> Any:
        """Run ``fn(searcher)``, retrying with a fresh searcher when a concurrent commit
        replaced files under it (an ingest may write while the web server reads)."""
        for attempt in range(RETRIES):
            try:
                with self.ix.searcher() as searcher:
                    return fn(searcher)
            except PipelineError:
                raise
            except Exception as exc:  # noqa: BLE001 - vanished segment, TOC being replaced, ...
                if attempt == RETRIES - 1:
                    raise IndexError_(f"search failed ({type(exc).__name__}: {exc})") from exc
                time.sleep(0.05 * 2 ** attempt)
                try:
                    self.ix = index.open_dir(str(self.directory))
                except Exception:  # noqa: BLE001 - still being replaced; the next try tells
                    pass
        raise AssertionError("unreachable")

    # -- searching -------------------------------------------------------------------------

    def search(self, text: str, catalogue: Catalogue, *, limit: int = 10, page: int = 1,
               sort: str = "relevance", filters: Iterable[str] = (),
               facets: bool = False, suggest: bool = True, expand: bool = False,
               snippets: bool = True) -> SearchResults:
        """Run a query; hits carry a highlighted snippet read from the catalogue's text, the
        paragraph holding it and a pinpoint citation (not with ``snippets=False``: see
        ``with_snippets``). ``filters`` (query-language clauses)
        restrict the hits without scoring; an empty ``text`` matches every document.
        ``facets`` counts values over all matching documents, not only this page; ``suggest``
        offers spellings that find more when the query finds almost nothing (spelling.py).
        ``expand`` widens words naming a legal concept with its terms in the other languages
        (language/thesaurus.py); the results say which terms were added."""
        if limit < 1 or page < 1:
            raise QueryError("limit and page must be at least 1")
        if sort not in SORTS:
            raise QueryError("unknown sort %(sort)r (use one of: %(sorts)s)", sort=sort,
                             sorts=", ".join(SORTS))
        filters = [f for f in filters if f and f.strip()]
        query, keys, expanded = parse_search_query(text, self.schema, allow_empty=True,
                                                   expand=expand)
        filter_query = parse_filters(filters, self.schema)

        def run(searcher):
            # One clock for the whole search: listing the words a wildcard or range stands
            # for happens before Whoosh's matchers start, and was not bounded by their limit.
            started = time.monotonic()
            reader = searcher.reader()
            check_expansions((query, filter_query), lambda node: node._btexts(reader),
                             deadline=fast.timer(SEARCH_SECONDS, _too_long))
            left = SEARCH_SECONDS - (time.monotonic() - started)
            if left <= 0:
                raise _too_long()
            quick = self._fast(searcher, query, filter_query, page * limit, left) \
                if sort == "relevance" and self.fast else None
            if quick is not None:
                total, top, found = quick
                shown = [(_stored(searcher.stored_fields(docnum)), score)
                         for score, docnum in top[(page - 1) * limit:page * limit]]
            else:
                total, shown, found = self._walk(searcher, query, filter_query, sort,
                                                 page * limit, facets, left)
                shown = shown[(page - 1) * limit:page * limit]
            marked = marked_terms(query, lambda field, prefix: (
                searcher.reader().expand_prefix(field, prefix)))
            rows = [(fields, score, marked) for fields, score in shown]
            counts = facet_counts(self._facets.count(searcher, found),
                                  lambda key: (searcher.document(court_id=key) or {}).get("court")
                                  ) if facets else {}
            return total, rows, counts

        total, rows, counts = self._read(run)
        hits = self._hits(rows, catalogue, keys, snippets=snippets)
        results = SearchResults(query=text, total=total, hits=hits, page=page, limit=limit,
                                sort=sort, filters=filters, facets=counts, expanded=expanded)
        if suggest and total < spelling.FEW and text.strip():
            results.suggestions = self._read(lambda searcher: spelling.suggest(
                text, total, _Vocabulary(searcher), catalogue.texts,
                lambda q: self.search(q, catalogue, limit=1, filters=filters,
                                      suggest=False, expand=expand).total))
        return results

    def with_snippets(self, text: str, hits: list[Hit], catalogue: Catalogue, *,
                      expand: bool = False) -> list[Hit]:
        """``hits`` of ``search(text, snippets=False)`` with what ``search`` gives them."""
        query, keys, _ = parse_search_query(text, self.schema, allow_empty=True, expand=expand)
        marked = self._read(lambda searcher: marked_terms(query, lambda field, prefix: (
            searcher.reader().expand_prefix(field, prefix))))
        return self._hits([row_of(h, marked) for h in hits], catalogue, keys)

    def ids_matching(self, text: str) -> set[str]:
        """The ids of every document ``text`` (query language, unscored) selects."""
        query, _ = parse_query(text, self.schema)
        return self._read(lambda searcher: self._ids_of(searcher, query))

    def selected_ids(self, text: str, filters: Iterable[str] = (), *,
                     expand: bool = False) -> set[str]:
        """The ids of every document ``search(text, filters=filters)`` counts (unscored)."""
        query, _, _ = parse_search_query(text, self.schema, allow_empty=True, expand=expand)
        filter_query = parse_filters([f for f in filters if f and f.strip()], self.schema)
        if filter_query is not None:
            query = And([query, filter_query])

        def run(searcher) -> set[str]:
            check_expansions((query,), lambda node: node._btexts(searcher.reader()),
                             deadline=fast.timer(SEARCH_SECONDS, _too_long))
            return self._ids_of(searcher, query)

        return self._read(run)

    def _ids_of(self, searcher, query) -> set[str]:
        """The ids of every document ``query`` matches, segment by segment (``SegmentIds``)."""
        found: set[str] = set()
        leaves = searcher.leaf_searchers()
        self._segment_ids.keep(leaves)
        for sub, _ in leaves:
            names = self._segment_ids.of(sub.reader())
            found.update(names[n] for n in query.docs(sub))
        return found

    def _fast(self, searcher, query, filter_query, want: int, seconds: float = SEARCH_SECONDS):
        """(total, [(score, docnum)] best first, {leaf offset: docnums}) by fast.py, or
        None when the query holds what only Whoosh's matchers evaluate."""
        if not fast.supported(query) or (
                filter_query is not None and not fast.supported(filter_query)):
            return None
        deadline = fast.timer(seconds, _too_long)
        weighting, found, best, total = searcher.weighting, {}, [], 0
        leaves = searcher.leaf_searchers()
        self._lengths.keep(leaves)
        for sub, offset in leaves:
            allowed = None
            if filter_query is not None:
                # The filter first: the query's phrases are then checked only where it allows.
                allowed = fast.evaluate(filter_query, sub, weighting, self._lengths,
                                               deadline=deadline)
                if allowed is None:
                    return None
            scores = fast.evaluate(query, sub, weighting, self._lengths, deadline=deadline,
                                          within=allowed)
            if scores is None:
                return None
            if allowed is not None:
                scores = {d: v for d, v in scores.items() if d in allowed}
            found[offset] = scores.keys()
            total += len(scores)
            # Best score first; among equal scores the lower document number, as Whoosh orders.
            best += heapq.nlargest(want, ((v, -(offset + d)) for d, v in scores.items()))
        top = [(score, -negated) for score, negated in heapq.nlargest(want, best)]
        return total, top, found

    def _walk(self, searcher, query, filter_query, sort: str, want: int, record: bool,
              seconds: float = SEARCH_SECONDS):
        """(total, [(stored fields, score)] best first, {leaf offset: docnums}) by Whoosh's
        matchers: any query, any order.

        No ``terms=True`` (marked words come from the query, see query.marked_terms) and no
        ``groupedby`` (facets are counted from the hits afterwards, see facets.py): both
        cost Python work per hit, for all hits, not only those shown."""
        top = (collectors.SortingCollector(_sort_facet(sort), limit=want)
               if sort != "relevance" else _Top(want, usequality=False))
        collector = _Deadline(top, timelimit=seconds, use_alarm=False, record=record)
        deadline = collector
        if filter_query is not None:
            collector = collectors.FilterCollector(collector, allow=filter_query)
        try:
            searcher.search_with_collector(query, collector)
        except collectors.TimeLimit:
            raise _too_long() from None
        results = collector.results()
        return len(results), [(_stored(hit.fields()), _score(hit)) for hit in results], deadline.found

    def _hits(self, rows: list[Row], catalogue: Catalogue, keys: list[str], *,
              snippets: bool = True) -> list[Hit]:
        return make_hits(rows, catalogue, keys, lambda field: self.schema[field].analyzer,
                         snippets=snippets)

    # -- more like this --------------------------------------------------------------------

    def similar(self, doc_id: str, catalogue: Catalogue, *, limit: int = 10,
                snippets: bool = True) -> SearchResults:
        """Documents like ``doc_id``: its key terms in its language, its Convention articles and
        the identifiers it names (cases it cites, or its case number in an appeal).
        ``snippets=False``: hits without snippets (a list of titles), reading no text."""
        seed = similar_seed(catalogue, doc_id, limit)
        doc, field, articles, idents = seed.doc, seed.field, seed.articles, seed.identifiers

        def run(searcher):
            terms = searcher.key_terms_from_text(field, doc.text[:SIMILAR_CHARS], numterms=30)
            subqueries = [Term(field, t, boost=w) for t, w in terms]
            subqueries += [Term("article", a, boost=0.5) for a in articles[:20]]
            subqueries += [Term("ids", i, boost=1.0) for i in idents[:40]]
            subqueries += [Term("own_ids", i, boost=1.0) for i in idents[:40]]
            if not subqueries:
                return 0, []
            # Matched terms only mark snippets; recording them costs Python work per hit.
            results = searcher.search(Or(subqueries), limit=limit, mask=Term("id", doc.id),
                                      terms=snippets)
            # Highlight only the strongest key terms: the weaker ones are common words.
            strong = {t for t, _ in terms[:SIMILAR_MARKED_TERMS]}
            return len(results), [(_stored(h.fields()), h.score or 0.0,
                                   strongest(_matched(h), strong)) for h in results]

        total, rows = self._read(run)
        hits = self._hits(rows, catalogue, [], snippets=snippets)
        return SearchResults(query=f"similar:{doc_id}", total=total, hits=hits, limit=limit)

    # -- the citation graph (cites, cited_by: Engine) ------------------------------------

    def with_lookup(self, fn: Callable[[graph.Lookup], T]) -> T:
        """``fn`` with every lookup on one searcher."""
        return self._read(lambda searcher: fn(_lookup_in(searcher)))


class _Vocabulary:
    """``spelling.Vocabulary`` on one open searcher.

    Whoosh's own corrector (``searcher.corrector(field).suggest``) builds a Levenshtein
    automaton in Python, or, on an index of several segments, computes the edit distance to
    every term with the same first letter: 140 to 370 ms a word on 568 judgments. The terms of
    that letter are listed here once per field instead, and only those of a near length are
    measured (in spelling.py)."""

    def __init__(self, searcher):
        self.searcher = searcher
        self.reader = searcher.reader()
        self._listed: dict[tuple[str, str], list[str]] = {}

    def frequency(self, field: str, term: str) -> int:
        return self.reader.doc_frequency(field, term)

    def near(self, field: str, term: str, maxdist: int) -> list[str]:
        key = (field, term[:1])
        if key not in self._listed:
            # Segment by segment, unordered: the reader's expand_prefix merges the segments
            # in order through a heap, and the order is not needed.
            listed: set[bytes] = set()
            for leaf, _ in self.reader.leaf_readers():
                listed.update(leaf.expand_prefix(field, term[:1]))
            self._listed[key] = [t.decode("utf-8") for t in listed]
        return [t for t in self._listed[key] if abs(len(t) - len(term)) <= maxdist]

    def holders(self, field: str, term: str, limit: int) -> list[str]:
        # The documents where the term weighs most print it most: its forms are found early.
        return [hit["id"] for hit in self.searcher.search(Term(field, term), limit=limit)]


def _lookup_in(searcher) -> graph.Lookup:
    """``graph.Lookup`` on one open searcher."""
    def lookup(terms: list[tuple[str, str]], *, exclude: str, limit: int | None,
               oldest: bool = False) -> list[dict[str, Any]]:
        results = searcher.search(Or([Term(f, v) for f, v in terms]), limit=limit,
                                  mask=Term("id", exclude),
                                  sortedby=_sort_facet("oldest") if oldest else None)
        return [h.fields() for h in results]

    return lookup


def _fields(doc: Document) -> dict[str, Any]:
    """The engine-neutral fields, plus the body again for its pairs field (pairs.py).

    The same string object twice: an MpWriter pickles a document once with both references."""
    fields = document_fields(doc)
    for body, (pairs, _) in PAIR_FIELDS.items():
        if body in fields:
            fields[pairs] = fields[body]
    return fields


def _too_long() -> QueryError:
    return QueryError("the query took too long (over %(seconds)s s); make it more specific",
                      seconds=format(SEARCH_SECONDS, "g"))


class _Top(collectors.TopCollector):
    """The top hits by score, and the exact number of all hits.

    Whoosh's TopCollector raises its minimum score as its heap fills, even with block-quality
    skipping off, and every few hits "replaces" the matcher with one that drops the branches
    that cannot reach that score: the documents only those branches match are then neither
    counted nor seen (``"ill-treatment" state:Russia article:3`` counted 29 hits with 10 asked
    and 32 with 50). Keeping the minimum at 0 only drops branches that have finished.
    """

    def _collect(self, global_docnum, score):
        key = super()._collect(global_docnum, score)
        self.minscore = 0
        return key


class _Deadline(collectors.TimeLimitCollector):
    """Whoosh's TimeLimitCollector checks the clock only in its own loop, which a
    FilterCollector around it bypasses (and inside it, the filter would be bypassed): checking
    on every collected document works in either place. ``use_alarm=False`` because signals
    only work in the main thread, and the web server searches in others.

    With ``record``, it also keeps the collected document numbers per segment, in ``found``
    ({leaf offset: segment document numbers}), for the facet counts."""

    def __init__(self, child, *, record: bool = False, **kwargs):
        super().__init__(child, **kwargs)
        self.record = record
        self.found: dict[int, list[int]] = {}
        self._into: list[int] | None = None

    def set_subsearcher(self, subsearcher, offset):
        super().set_subsearcher(subsearcher, offset)
        self._into = self.found.setdefault(offset, []) if self.record else None

    def collect_matches(self):
        # The parent's loop calls the child's collect directly, past ours.
        collect = self.collect
        for sub_docnum in self.child.matches():
            collect(sub_docnum)

    def collect(self, sub_docnum):
        if self.timedout:
            raise collectors.TimeLimit
        if self._into is not None:
            self._into.append(sub_docnum)
        return self.child.collect(sub_docnum)


def _stored(fields: dict[str, Any]) -> dict[str, Any]:
    """Stored fields with the date as ISO text, as hits.make_hits takes them."""
    date = fields.get("date")
    return {**fields, "date": date.date().isoformat() if date else None}


def _sort_facet(sort: str):
    """None for relevance; by date otherwise, documents without a date last either way."""
    if sort == "relevance":
        return None
    return sorting.MultiFacet([sorting.FieldFacet("undated"),
                               sorting.FieldFacet("day", reverse=(sort == "newest"))])


def _score(hit) -> float:
    """The relevance score; sorted by date, Whoosh puts the sort key there instead (-> 0)."""
    return float(hit.score) if isinstance(hit.score, (int, float)) else 0.0


def _matched(hit) -> dict[str, set]:
    """The body terms a hit matched (``similar`` marks only those among the key terms)."""
    terms: dict[str, set] = {}
    if not hit.results.has_matched_terms():
        return terms
    for fieldname, term in hit.matched_terms():
        # Only body terms are highlighted; numeric fields hold bytes that are not text.
        if fieldname.startswith("body_"):
            terms.setdefault(fieldname, set()).add(
                term.decode("utf-8") if isinstance(term, bytes) else term)
    return terms


class SegmentIds:
    """The document id of every document number of each segment, read from the stored fields
    once per segment (segments never change; a commit adds or merges them). Statistics select
    thousands of documents by id: reading the stored fields of each was most of their time."""

    def __init__(self) -> None:
        self._ids: dict[Any, list[str]] = {}

    @staticmethod
    def _key(reader) -> Any:
        segment = reader.segment() if hasattr(reader, "segment") else None
        return (segment.segment_id() if segment is not None else id(reader), reader.doc_count_all())

    def keep(self, leaves) -> None:
        """Forget the segments no longer among ``leaves`` (merged away)."""
        live = {self._key(sub.reader()) for sub, _ in leaves}
        for key in [k for k in self._ids if k not in live]:
            self._ids.pop(key, None)

    def of(self, reader) -> list[str]:
        key = self._key(reader)
        names = self._ids.get(key)
        if names is None:
            names = [(reader.stored_fields(n) or {}).get("id", "") if not reader.is_deleted(n) else ""
                     for n in range(reader.doc_count_all())]
            self._ids[key] = names
        return names
