"""The Whoosh engine: open (or rebuild) the index, write documents in batches, search.

The index is derived data. On open it is rebuilt from the catalogue when it is missing, was built
with another schema version (recorded in the ``SCHEMA_VERSION`` sidecar) or cannot be read.
Rebuilds go to a fresh directory that replaces the old one only when complete.
"""

from __future__ import annotations

import re
import shutil
import time
from collections.abc import Callable, Iterable
from datetime import datetime
from pathlib import Path
from typing import Any

from whoosh import collectors, index, sorting
from whoosh.query import Every, Or, Term

from pipeline.catalogue import Catalogue, Document
from pipeline.entities.identifiers import normalise_identifier
from pipeline.errors import DocumentNotFound, IndexError_, PipelineError, QueryError
from pipeline.search.analysis import TOKEN_PATTERN, body_field
from pipeline.search.labels import KIND_LABELS, LANGUAGE_LABELS, OUTCOME_LABELS, article_label
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
from pipeline.search.names import case_key, case_name_parts, court_key, state_key, state_label
from pipeline.search.pinpoint import citation_for, paragraph_at
from pipeline.search.query import parse_filters, parse_query
from pipeline.search.schema import SCHEMA_VERSION, get_schema

ENGINE_DIR = "whoosh"
SIDECAR = "SCHEMA_VERSION"
BATCH_DOCS = 200
#: Merge the index after a commit when more than this share of it is deleted documents...
DELETED_MERGE_SHARE = 0.25
#: ... and at least this many (small indexes are cheap to search either way).
DELETED_MERGE_MIN = 50
SNIPPET_CHARS = 240
#: A search taking longer than this is stopped and reported as too costly.
SEARCH_SECONDS = 5.0
#: Attempts at a search that meets a concurrent commit (a segment file replaced under it).
RETRIES = 4
#: Most values listed per facet (the largest counts).
FACET_VALUES = 100
#: Characters of a document read to find its key terms for ``similar``.
SIMILAR_CHARS = 60_000
#: Key terms of the document highlighted in a similar document's snippet.
SIMILAR_MARKED_TERMS = 8

Notice = Callable[[str], None]


def _fields(doc: Document) -> dict[str, Any]:
    """A catalogue document as Whoosh fields (the body goes to its language's field)."""
    record = doc.record or {}
    fields: dict[str, Any] = {
        "id": doc.id,
        "title": record.get("title") or doc.title or doc.id,
        "kind": record.get("kind") or "document",
        "language": doc.language or "unknown",
        "format": doc.format,
        "own_ids": ",".join(record.get("own_identifiers", [])),
        "ids": ",".join(record.get("identifiers", [])),
        body_field(doc.language): doc.text,
        "pages": doc.pages,
        "undated": 1,
    }
    if record.get("court"):
        fields["court"] = record["court"]
        fields["court_id"] = court_key(record["court"])
    if record.get("instance"):
        fields["instance"] = record["instance"]
    fields.update(_legal_fields(record))
    fields.update(_graph_fields(record, fields["title"]))
    if record.get("date"):
        try:
            when = datetime.fromisoformat(record["date"])
        except ValueError:
            pass
        else:
            fields["date"] = when
            fields["day"] = when.year * 10000 + when.month * 100 + when.day
            fields["undated"] = 0
    return fields


def _prefixes(parts: list[str | None]) -> set[str]:
    """``УК:286:3:а`` with its prefixes ``УК:286:3`` and ``УК:286``."""
    parts = [p for p in parts if p]
    return {":".join(parts[:n]) for n in range(2, len(parts) + 1)}


def _legal_fields(record: dict[str, Any]) -> dict[str, Any]:
    """Respondent states, Convention articles, "article:outcome" pairs and charges as keywords.

    A charge is indexed with its prefixes ("УК:286:3:а", "УК:286:3", "УК:286") so that a filter
    on the article finds every part and point of it. Other code provisions the text names
    ("ст. 1069 ГК РФ" in a civil claim) go to ``provision`` the same way.
    """
    holdings = record.get("holdings") or []
    articles = {h["article"] for h in holdings if h.get("article")}
    articles |= {e["key"] for e in record.get("entities") or [] if e.get("label") == "ARTICLE" and e.get("key")}
    for code in list(articles):
        articles |= set(code.split("+"))
    outcomes = {f"{h['article']}:{h['outcome']}" for h in holdings if h.get("article")}
    charges: set[str] = set()
    for charge in record.get("charges") or []:
        charges |= _prefixes([charge.get(k) for k in ("code", "article", "part", "point")])
    provisions: set[str] = set(charges)
    for ent in record.get("entities") or []:
        if ent.get("label") == "CODE_ARTICLE" and ent.get("key"):
            provisions |= _prefixes(ent["key"].split(":"))
    states = {state_key(s) for s in record.get("respondent_states") or [] if s.strip()}
    fields: dict[str, Any] = {
        "state": ",".join(sorted(states)),
        "article": ",".join(sorted(articles)),
        "outcome": ",".join(sorted(outcomes)),
        "charge": ",".join(sorted(charges)),
        "provision": ",".join(sorted(provisions)),
    }
    if record.get("date"):
        fields["year"] = int(record["date"][:4])
    return {k: v for k, v in fields.items() if v not in ("", None)}


def _graph_fields(record: dict[str, Any], title: str) -> dict[str, Any]:
    """Case-name keys of the document (from its title) and of the cases it cites."""
    own = case_key(title) if (record.get("kind") or "").startswith("echr") else None
    cited = {case_key(c["case_name"]) for c in record.get("citations") or [] if c.get("case_name")}
    cited.discard(None)
    cited.discard(own)
    fields = {"case_key": own or "", "cited_names": ",".join(sorted(cited))}
    return {k: v for k, v in fields.items() if v}


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


class WhooshIndex:
    """The search index of one index directory."""

    def __init__(self, ix: index.Index, directory: Path):
        self.ix = ix
        self.directory = directory

    # -- opening ---------------------------------------------------------------------------

    @classmethod
    def open(cls, index_dir: Path, catalogue: Catalogue, *, readonly: bool = False,
             notice: Notice = lambda m: None,
             progress: Callable[[int, int], None] | None = None) -> WhooshIndex:
        """Open the index, rebuilding it from ``catalogue`` when it is missing, stale or damaged.

        ``readonly`` never rebuilds nor writes: a missing or outdated index is an IndexError_
        saying what to run. The web server opens it so, while an ingest may be writing it.
        """
        directory = Path(index_dir) / ENGINE_DIR
        if readonly:
            return cls._open_readonly(directory)
        sidecar = directory / SIDECAR
        reason = None
        try:
            present = directory.is_dir() and index.exists_in(str(directory))
        except Exception:  # noqa: BLE001 - an unreadable table of contents is damage
            present = directory.is_dir() and any(directory.iterdir())
        if not present:
            if catalogue.count_documents():
                reason = "search index missing"
        elif not sidecar.is_file() or sidecar.read_text().strip() != str(SCHEMA_VERSION):
            found = sidecar.read_text().strip() if sidecar.is_file() else "unknown"
            reason = f"search index schema version {found}, expected {SCHEMA_VERSION}"
        else:
            try:
                ix = index.open_dir(str(directory))
                with ix.searcher() as searcher:
                    count = searcher.doc_count()
                total = catalogue.count_documents()
                indexed = total - catalogue.count_documents(unindexed_only=True)
                if count < indexed or count > total:
                    reason = f"search index holds {count} documents, catalogue {indexed} indexed"
                else:
                    return cls(ix, directory)
            except Exception as exc:  # noqa: BLE001 - any failure to read means damage
                reason = f"search index damaged ({type(exc).__name__})"
        if reason:
            notice(f"{reason}: rebuilding it from the catalogue")
        return cls.rebuild(index_dir, catalogue, progress=progress)

    @classmethod
    def _open_readonly(cls, directory: Path) -> WhooshIndex:
        sidecar = directory / SIDECAR
        fix = f"run `precedents reindex --index {directory.parent}`"
        for attempt in range(RETRIES):
            try:
                if not directory.is_dir() or not index.exists_in(str(directory)):
                    raise IndexError_(f"{directory.parent}: no search index here ({fix})")
                found = sidecar.read_text().strip() if sidecar.is_file() else "unknown"
                if found != str(SCHEMA_VERSION):
                    raise IndexError_(f"{directory.parent}: search index schema version {found}, "
                                      f"expected {SCHEMA_VERSION} ({fix})")
                ix = index.open_dir(str(directory))
                with ix.searcher() as searcher:
                    searcher.doc_count()
                return cls(ix, directory)
            except IndexError_:
                if attempt == RETRIES - 1 or directory.is_dir():
                    raise
            except Exception as exc:  # noqa: BLE001 - a rebuild may be swapping directories
                if attempt == RETRIES - 1:
                    raise IndexError_(f"{directory.parent}: cannot read the search index "
                                      f"({type(exc).__name__}; {fix})") from exc
            time.sleep(0.05 * 2 ** attempt)
        raise IndexError_(f"{directory.parent}: cannot read the search index ({fix})")

    @classmethod
    def rebuild(cls, index_dir: Path, catalogue: Catalogue, *,
                progress: Callable[[int, int], None] | None = None) -> WhooshIndex:
        """Build a fresh index from every catalogue document (no extraction, no NLP)."""
        directory = Path(index_dir) / ENGINE_DIR
        fresh = Path(index_dir) / (ENGINE_DIR + ".new")
        shutil.rmtree(fresh, ignore_errors=True)
        fresh.mkdir(parents=True)
        ix = index.create_in(str(fresh), get_schema())
        catalogue.mark_all_unindexed()
        total = catalogue.count_documents()
        done = 0
        batch = Batch(ix)
        ids: list[str] = []
        for doc in catalogue.iter_documents():
            batch.upsert(doc)
            ids.append(doc.id)
            done += 1
            if len(ids) >= BATCH_DOCS * 5:
                batch.commit()
                batch, ids = Batch(ix), []
            if progress:
                progress(done, total)
        batch.commit()
        (fresh / SIDECAR).write_text(f"{SCHEMA_VERSION}\n")
        old = Path(index_dir) / (ENGINE_DIR + ".old")
        shutil.rmtree(old, ignore_errors=True)
        if directory.exists():
            directory.rename(old)
        fresh.rename(directory)
        shutil.rmtree(old, ignore_errors=True)
        with catalogue.transaction() as conn:
            conn.execute("UPDATE documents SET indexed=1")
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
               facets: bool = False) -> SearchResults:
        """Run a query; hits carry a highlighted snippet read from the catalogue's text, the
        paragraph holding it and a pinpoint citation. ``filters`` (query-language clauses)
        restrict the hits without scoring; an empty ``text`` matches every document.
        ``facets`` counts values over all matching documents, not only this page."""
        if limit < 1 or page < 1:
            raise QueryError("limit and page must be at least 1")
        if sort not in SORTS:
            raise QueryError(f"unknown sort {sort!r} (use one of: {', '.join(SORTS)})")
        filters = [f for f in filters if f and f.strip()]
        query, keys = parse_query(text, self.ix.schema, allow_empty=True)
        filter_query = parse_filters(filters, self.ix.schema)

        def run(searcher):
            # optimize=False: the block-quality shortcut skips sub-matchers, and then which
            # words a hit reports (so its snippet) would depend on whether facets were asked.
            collector = _Deadline(searcher.collector(
                limit=page * limit, sortedby=_sort_facet(sort), terms=True, optimize=False,
                groupedby=_facet_types() if facets else None), timelimit=SEARCH_SECONDS,
                use_alarm=False)
            if filter_query is not None:
                collector = collectors.FilterCollector(collector, allow=filter_query)
            try:
                searcher.search_with_collector(query, collector)
            except collectors.TimeLimit:
                raise QueryError(f"the query took too long (over {SEARCH_SECONDS:g} s); "
                                 "make it more specific") from None
            results = collector.results()
            total = len(results)
            rows = [(hit.fields(), _score(hit), _matched(hit))
                    for hit in results[(page - 1) * limit:page * limit]]
            counts = _facet_counts(searcher, results) if facets else {}
            return total, rows, counts

        total, rows, counts = self._read(run)
        # Phrases report no matched terms: highlight the query's own words in those hits.
        asked = _query_terms(query)
        rows = [(f, score, terms if any(terms.values()) else asked) for f, score, terms in rows]
        hits = self._hits(rows, catalogue, keys)
        return SearchResults(query=text, total=total, hits=hits, page=page, limit=limit,
                             sort=sort, filters=filters, facets=counts)

    def _hits(self, rows: list[tuple[dict[str, Any], float, dict[str, set]]],
              catalogue: Catalogue, keys: list[str]) -> list[Hit]:
        docs = catalogue.documents(f["id"] for f, _, _ in rows)
        hits = []
        for fields, score, terms in rows:
            doc = docs.get(fields["id"])
            field = body_field(fields.get("language"))
            snippet, anchor = None, None
            if doc is not None:
                snippet, anchor = make_snippet(doc.text, terms.get(field, set()),
                                               self.ix.schema[field].analyzer, keys,
                                               doc.page_offsets, with_anchor=True)
            date = fields.get("date")
            hit = Hit(id=fields["id"], title=fields.get("title"),
                      date=date.date().isoformat() if date else None, court=fields.get("court"),
                      kind=fields.get("kind"), language=fields.get("language"), score=score,
                      snippet=snippet)
            if doc is not None:
                record = _citable(doc)
                if anchor is not None:
                    hit.paragraph, hit.section = paragraph_at(record, anchor)
                hit.citation = citation_for(record, hit.paragraph, hit.section)
            hits.append(hit)
        return hits

    # -- more like this --------------------------------------------------------------------

    def similar(self, doc_id: str, catalogue: Catalogue, *, limit: int = 10) -> SearchResults:
        """Documents like ``doc_id``: its key terms in its language, its Convention articles and
        the identifiers it names (cases it cites, or its case number in an appeal)."""
        if limit < 1:
            raise QueryError("limit must be at least 1")
        doc = catalogue.document(doc_id)
        if doc is None:
            raise DocumentNotFound(f"{doc_id}: no document with this id in the catalogue")
        record = doc.record or {}
        field = body_field(doc.language)
        legal = _legal_fields(record)
        articles = [a for a in legal.get("article", "").split(",") if a]
        idents = [i for i in record.get("identifiers") or [] if i]

        def run(searcher):
            terms = searcher.key_terms_from_text(field, doc.text[:SIMILAR_CHARS], numterms=30)
            subqueries = [Term(field, t, boost=w) for t, w in terms]
            subqueries += [Term("article", a, boost=0.5) for a in articles[:20]]
            subqueries += [Term("ids", i, boost=1.0) for i in idents[:40]]
            subqueries += [Term("own_ids", i, boost=1.0) for i in idents[:40]]
            if not subqueries:
                return 0, []
            results = searcher.search(Or(subqueries), limit=limit, mask=Term("id", doc_id),
                                      terms=True)
            # Highlight only the strongest key terms: the weaker ones are common words.
            strong = {t for t, _ in terms[:SIMILAR_MARKED_TERMS]}
            return len(results), [(h.fields(), h.score or 0.0,
                                   {f: t & strong for f, t in _matched(h).items()})
                                  for h in results]

        total, rows = self._read(run)
        hits = self._hits(rows, catalogue, [])
        return SearchResults(query=f"similar:{doc_id}", total=total, hits=hits, limit=limit)

    # -- the citation graph ----------------------------------------------------------------

    def cites(self, doc_id: str, catalogue: Catalogue) -> list[CitedCase]:
        """The cases ``doc_id`` cites, each once (its fullest printed form, the first paragraph
        citing it), with the cited document's id when the index holds it."""
        doc = catalogue.document(doc_id)
        if doc is None:
            raise DocumentNotFound(f"{doc_id}: no document with this id in the catalogue")
        record = doc.record or {}
        cited = _group_citations(record)

        def run(searcher):
            out = []
            for group in cited:
                target = _resolve(searcher, group, exclude=doc_id, language=doc.language)
                out.append(CitedCase(
                    text=group["text"], case_name=group["case_name"],
                    case_numbers=group["case_numbers"], paragraph=group["paragraph"],
                    target=target["id"] if target else None,
                    target_title=target.get("title") if target else None))
            return out

        return self._read(run)

    def cited_by(self, doc_id: str, catalogue: Catalogue) -> list[CitingDocument]:
        """Documents citing ``doc_id``: by its application or case numbers, or by its name when
        they print no number. Other language versions of the same judgment are not citations."""
        doc = catalogue.document(doc_id)
        if doc is None:
            raise DocumentNotFound(f"{doc_id}: no document with this id in the catalogue")
        record = doc.record or {}
        own = {i.lower() for i in record.get("own_identifiers") or []}
        key = case_key(record.get("title") or doc.title or "") \
            if (record.get("kind") or "").startswith("echr") else None
        if not own and not key:
            return []

        def run(searcher):
            terms = [Term("ids", i) for i in sorted(own)]
            if key:
                terms.append(Term("cited_names", key))
            results = searcher.search(Or(terms), limit=None, mask=Term("id", doc_id),
                                      sortedby=_sort_facet("oldest"))
            return [h["id"] for h in results]

        ids = self._read(run)
        docs = catalogue.documents(ids)
        out = []
        for citing_id in ids:
            citing = docs.get(citing_id)
            if citing is None:
                continue
            found = _citation_of(citing, own, key, record)
            if found is None:
                continue
            text, offset = found
            rec = citing.record or {}
            paragraph, _ = paragraph_at(rec, offset) if offset is not None else (None, None)
            out.append(CitingDocument(id=citing.id, title=rec.get("title") or citing.title,
                                      date=rec.get("date"), kind=rec.get("kind"), text=text,
                                      paragraph=paragraph))
        return out


class _Deadline(collectors.TimeLimitCollector):
    """Whoosh's TimeLimitCollector checks the clock only in its own loop, which a
    FilterCollector around it bypasses (and inside it, the filter would be bypassed): checking
    on every collected document works in either place. ``use_alarm=False`` because signals
    only work in the main thread, and the web server searches in others."""

    def collect(self, sub_docnum):
        if self.timedout:
            raise collectors.TimeLimit
        return self.child.collect(sub_docnum)


def _citable(doc: Document) -> dict[str, Any]:
    """The record with what ``citation_for`` needs that lives on the catalogue row."""
    record = dict(doc.record or {})
    record["language"] = doc.language
    record["title"] = record.get("title") or doc.title
    record["text"] = doc.text
    return record


def _sort_facet(sort: str):
    """None for relevance; by date otherwise, documents without a date last either way."""
    if sort == "relevance":
        return None
    return sorting.MultiFacet([sorting.FieldFacet("undated"),
                               sorting.FieldFacet("day", reverse=(sort == "newest"))])


#: Facets over multi-valued fields count a document once under each of its values.
_OVERLAPPING = {"state", "article", "outcome"}
_FACET_FIELDS = {"court": "court_id"}


def _facet_types() -> dict[str, sorting.FacetType]:
    return {name: sorting.FieldFacet(_FACET_FIELDS.get(name, name),
                                     allow_overlap=name in _OVERLAPPING, maptype=sorting.Count)
            for name in FACETS}


def _facet_label(name: str, value: str, searcher) -> tuple[str, str]:
    """(label, filter clause) of one facet value."""
    if name == "state":
        return state_label(value), f"state:{value}" if " " not in value else f'state:"{value}"'
    if name == "article":
        return article_label(value), f"article:{value}"
    if name == "outcome":
        article, _, outcome = value.rpartition(":")
        return (f"{article_label(article.upper() if article.startswith('p') else article)}: "
                f"{OUTCOME_LABELS.get(outcome, outcome)}", f"outcome:{value}")
    if name == "court":
        stored = searcher.document(court_id=value) or {}
        return stored.get("court") or value, f"court_id:{value}"
    if name == "kind":
        return KIND_LABELS.get(value, value), f"kind:{value}"
    if name == "language":
        return LANGUAGE_LABELS.get(value, value), f"language:{value}"
    return value, f"{name}:{value}"


def _facet_counts(searcher, results) -> dict[str, list[FacetCount]]:
    out: dict[str, list[FacetCount]] = {}
    for name in FACETS:
        groups = results.groups(name)
        values = []
        for value, count in groups.items():
            if value is None or value == "" or not count:
                continue
            if isinstance(value, bytes):
                value = value.decode("utf-8")
            value = str(value)
            label, clause = _facet_label(name, value, searcher)
            values.append(FacetCount(value=value, label=label, count=count, filter=clause))
        if name == "year":
            values.sort(key=lambda c: c.value, reverse=True)
        else:
            values.sort(key=lambda c: (-c.count, c.label.lower()))
        out[name] = values[:FACET_VALUES]
    return out


def _query_terms(query) -> dict[str, set]:
    terms: dict[str, set] = {}
    for fieldname, text in query.iter_all_terms(phrases=True):
        if fieldname.startswith("body_"):
            terms.setdefault(fieldname, set()).add(
                text.decode("utf-8") if isinstance(text, bytes) else text)
    return terms


def _score(hit) -> float:
    """The relevance score; sorted by date, Whoosh puts the sort key there instead (-> 0)."""
    return float(hit.score) if isinstance(hit.score, (int, float)) else 0.0


def _matched(hit) -> dict[str, set]:
    terms: dict[str, set] = {}
    if not hit.results.has_matched_terms():
        return terms
    for fieldname, term in hit.matched_terms():
        # Only body terms are highlighted; numeric fields hold bytes that are not text.
        if fieldname.startswith("body_"):
            terms.setdefault(fieldname, set()).add(
                term.decode("utf-8") if isinstance(term, bytes) else term)
    return terms


# -- the citation graph, engine side ---------------------------------------------------------

def _applicant(name: str | None) -> str | None:
    """The applicant part of a printed case name, folded: "Lyapin, cited above" -> "lyapin"."""
    if not name:
        return None
    applicant, _ = case_name_parts(name)
    folded = case_key(f"{applicant} v. x")
    return folded.split("|")[0] if folded else None


def _group_citations(record: dict[str, Any]) -> list[dict[str, Any]]:
    """The record's citations, one group per case: a case printed twice ("Lyapin v. Russia",
    later "Lyapin, cited above, § 118") is one case, cited first where it is first printed."""
    groups: list[dict[str, Any]] = []
    for cit in record.get("citations") or []:
        numbers = [normalise_identifier(n) for n in cit.get("case_numbers") or []]
        name = cit.get("case_name")
        key, applicant = (case_key(name) if name else None), _applicant(name)
        for group in groups:
            same = (set(numbers) & set(group["case_numbers"])
                    or (key and key == group["key"])
                    or (applicant and applicant == group["applicant"]
                        and (key is None or group["key"] is None)))
            if same:
                break
        else:
            paragraph, _ = paragraph_at(record, cit.get("start") or 0)
            group = {"text": cit.get("text") or name or "", "case_name": name,
                     "case_numbers": [], "paragraph": paragraph, "key": key,
                     "applicant": applicant}
            groups.append(group)
        group["case_numbers"] += [n for n in numbers if n not in group["case_numbers"]]
        if key and not group["key"]:
            group["key"] = key
        # Keep the fullest form as printed: later full citations complete a first short one.
        if len(cit.get("text") or "") > len(group["text"]) and (numbers or key):
            group["text"] = cit["text"]
        if name and (not group["case_name"] or len(name) > len(group["case_name"])):
            group["case_name"] = name
    return groups


def _resolve(searcher, group: dict[str, Any], *, exclude: str,
             language: str | None) -> dict[str, Any] | None:
    """The indexed document a citation names: by case number first, by case name second.
    Several language versions of one judgment: the one in the citing document's language."""
    terms = [Term("own_ids", n.lower()) for n in group["case_numbers"]]
    if not terms and group["key"]:
        terms = [Term("case_key", group["key"])]
    if not terms:
        return None
    results = searcher.search(Or(terms), limit=10, mask=Term("id", exclude))
    found = [h.fields() for h in results]
    if not found:
        return None
    same = [f for f in found if f.get("language") == language]
    return (same or found)[0]


def _citation_of(citing: Document, own: set[str], key: str | None,
                 target: dict[str, Any]) -> tuple[str, int | None] | None:
    """(text as printed, offset) of the citation in ``citing`` that names the target, or None
    when ``citing`` is only another language version of the target."""
    record = citing.record or {}
    for cit in record.get("citations") or []:
        numbers = {normalise_identifier(n).lower() for n in cit.get("case_numbers") or []}
        if numbers & own or (key and cit.get("case_name") and case_key(cit["case_name"]) == key):
            return cit.get("text") or cit.get("case_name") or "", cit.get("start")
    citing_own = {i.lower() for i in record.get("own_identifiers") or []}
    if citing_own & own and (record.get("kind") or "").startswith("echr") \
            and (target.get("kind") or "").startswith("echr"):
        return None
    lowered = citing.text.lower()
    for ident in sorted(own):
        at = lowered.find(ident)
        if at >= 0:
            return citing.text[at:at + len(ident)], at
    return None


def make_snippet(text: str, terms: set[str], analyzer, keys: list[str],
                 page_offsets: list[dict[str, Any]] = (), *, with_anchor: bool = False):
    """The best passage around matched words, or around an identifier the query named,
    with the printed page it starts on (for paged formats).

    With ``with_anchor``, also the offset in ``text`` of the first match (or of the passage),
    so the caller can tell which paragraph holds it.
    """
    snippet, anchor = _snippet(text, terms, analyzer, keys, page_offsets)
    return (snippet, anchor) if with_anchor else snippet


def _snippet(text: str, terms: set[str], analyzer, keys: list[str],
             page_offsets) -> tuple[Snippet | None, int | None]:
    if not text:
        return None, None
    if terms:
        spans = _match_spans(text, frozenset(terms), analyzer)
        window = _best_window(spans, len(text))
        if window is not None:
            start, end, inside = window
            marks = [(s - start, e - start) for s, e in inside]
            return _tidy(text, start, end, marks, page_offsets), inside[0][0]
    lowered = text.lower()
    for key in keys:
        at = lowered.find(key)
        if at >= 0:
            start = max(0, at - 100)
            return _tidy(text, start, min(len(text), at + len(key) + 100),
                         [(at - start, at - start + len(key))], page_offsets), at
    return _tidy(text, 0, min(len(text), SNIPPET_CHARS), [], page_offsets), None


_TOKEN = re.compile(TOKEN_PATTERN)
SNIPPET_SURROUND = 80


def _match_spans(text: str, terms: frozenset[str], analyzer) -> list[tuple[int, int, str]]:
    """Where the query's terms occur in ``text``: (start, end, term) for each matching word.

    ``whoosh.highlight`` runs the whole analyzer chain over every token of the text: 0.3 s per
    long judgment, 3 s for a page of hits. Here each distinct word is analysed once (and
    remembered across searches), and the few words whose forms match are then found with one
    regular expression that respects the analyzer's token boundaries.
    """
    forms = _FORMS.setdefault(_analyzer_key(analyzer), {})
    if len(forms) > _FORMS_LIMIT:
        forms.clear()
    matching: dict[str, str] = {}
    for word in set(_TOKEN.findall(text)):
        form = forms.get(word)
        if form is None:
            form = forms[word] = frozenset(
                t.text for t in analyzer(word, mode="query", removestops=False))
        found = form & terms
        if found:
            matching[word] = min(found)
    if not matching:
        return []
    words = "|".join(re.escape(w) for w in sorted(matching, key=len, reverse=True))
    pattern = re.compile(rf"(?<!\w)(?<!\w[.'’])(?:{words})(?!\w)(?![.'’]\w)")
    return [(m.start(), m.end(), matching[m.group()]) for m in pattern.finditer(text)]


#: Analysed forms of words, per analyzer, kept between searches (bounded).
_FORMS: dict[tuple, dict[str, frozenset[str]]] = {}
_FORMS_LIMIT = 500_000


def _analyzer_key(analyzer) -> tuple:
    """Which analyzer this is, the same for equal chains (each opened index builds new objects)."""
    return tuple((type(part).__name__, getattr(part, "stemfn", None))
                 for part in getattr(analyzer, "items", [analyzer]))


def _best_window(spans: list[tuple[int, int, str]], length: int,
                 ) -> tuple[int, int, list[tuple[int, int]]] | None:
    """The passage of at most ``SNIPPET_CHARS`` holding the most distinct terms, then the most
    matches; the first such passage on ties, so the same search always shows the same one.

    >>> _best_window([(0, 4, "a"), (500, 504, "a"), (520, 524, "b")], 1000)
    (420, 604, [(500, 504), (520, 524)])
    """
    best, best_score = None, (0, 0)
    reach = SNIPPET_CHARS - 2 * SNIPPET_SURROUND
    for i, (first, _, _) in enumerate(spans):
        inside = []
        for span in spans[i:]:
            if span[1] - first > reach:
                break
            inside.append(span)
        score = (len({s[2] for s in inside}), len(inside))
        if score > best_score:
            best_score = score
            start = max(0, first - SNIPPET_SURROUND)
            end = min(length, inside[-1][1] + SNIPPET_SURROUND)
            best = (start, end, [(s, e) for s, e, _ in inside])
    return best


def _tidy(text: str, start: int, end: int, marks: list[tuple[int, int]],
          page_offsets: list[dict[str, Any]]) -> Snippet:
    """Cut on word boundaries, flatten line breaks, keep marks aligned.

    ``marks`` are relative to ``start``; moving the start back to a word boundary shifts them.
    """
    first = start
    while start > 0 and not text[start - 1].isspace() and start > end - SNIPPET_CHARS * 2:
        start -= 1
    marks = [(s + first - start, e + first - start) for s, e in marks]
    piece = text[start:end]
    flat = piece.replace("\n", " ")
    snippet = Snippet(text=("…" if start > 0 else "") + flat + ("…" if end < len(text) else ""))
    shift = 1 if start > 0 else 0
    snippet.marks = sorted((s + shift, e + shift) for s, e in marks if 0 <= s < e <= len(flat))
    snippet.page = page_at(page_offsets, start)
    return snippet


def page_at(page_offsets: list[dict[str, Any]], offset: int) -> int | None:
    """The printed page number holding character ``offset`` (None for unpaged formats)."""
    for page in page_offsets:
        if page["start"] <= offset < max(page["end"], page["start"] + 1):
            return page["number"]
    return None
