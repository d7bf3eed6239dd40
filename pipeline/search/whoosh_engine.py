"""The Whoosh engine: open (or rebuild) the index, write documents in batches, search.

The index is derived data. On open it is rebuilt from the catalogue when it is missing, was built
with another schema version (recorded in the ``SCHEMA_VERSION`` sidecar) or cannot be read.
Rebuilds go to a fresh directory that replaces the old one only when complete.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterable
from datetime import datetime
from pathlib import Path
from typing import Any

from whoosh import highlight, index

from pipeline.catalogue import Catalogue, Document
from pipeline.errors import IndexError_
from pipeline.search.analysis import body_field
from pipeline.search.base import Hit, SearchResults, Snippet
from pipeline.search.query import parse_query
from pipeline.search.schema import SCHEMA_VERSION, get_schema

ENGINE_DIR = "whoosh"
SIDECAR = "SCHEMA_VERSION"
BATCH_DOCS = 200
SNIPPET_CHARS = 240

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
    }
    if record.get("court"):
        fields["court"] = record["court"]
    if record.get("instance"):
        fields["instance"] = record["instance"]
    fields.update(_legal_fields(record))
    if record.get("date"):
        try:
            fields["date"] = datetime.fromisoformat(record["date"])
        except ValueError:
            pass
    return fields


def _legal_fields(record: dict[str, Any]) -> dict[str, Any]:
    """Respondent states, Convention articles, "article:outcome" pairs and charges as keywords.

    A charge is indexed with its prefixes ("УК:286:3:а", "УК:286:3", "УК:286") so that a filter
    on the article finds every part and point of it.
    """
    holdings = record.get("holdings") or []
    articles = {h["article"] for h in holdings if h.get("article")}
    articles |= {e["key"] for e in record.get("entities") or [] if e.get("label") == "ARTICLE" and e.get("key")}
    for code in list(articles):
        articles |= set(code.split("+"))
    outcomes = {f"{h['article']}:{h['outcome']}" for h in holdings if h.get("article")}
    charges: set[str] = set()
    for charge in record.get("charges") or []:
        parts = [charge.get(k) for k in ("code", "article", "part", "point")]
        parts = [p for p in parts if p]
        charges |= {":".join(parts[:n]) for n in range(2, len(parts) + 1)}
    fields: dict[str, Any] = {
        "state": ",".join(record.get("respondent_states") or []),
        "article": ",".join(sorted(articles)),
        "outcome": ",".join(sorted(outcomes)),
        "charge": ",".join(sorted(charges)),
    }
    if record.get("date"):
        fields["year"] = int(record["date"][:4])
    return {k: v for k, v in fields.items() if v not in ("", None)}


class Batch:
    """Upserts and deletions committed together; nothing is visible until ``commit``."""

    def __init__(self, ix: index.Index):
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
        self.writer.commit()

    def cancel(self) -> None:
        self.writer.cancel()


class WhooshIndex:
    """The search index of one index directory."""

    def __init__(self, ix: index.Index, directory: Path):
        self.ix = ix
        self.directory = directory

    # -- opening ---------------------------------------------------------------------------

    @classmethod
    def open(cls, index_dir: Path, catalogue: Catalogue, *, notice: Notice = lambda m: None,
             progress: Callable[[int, int], None] | None = None) -> WhooshIndex:
        """Open the index, rebuilding it from ``catalogue`` when it is missing, stale or damaged."""
        directory = Path(index_dir) / ENGINE_DIR
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
        with self.ix.searcher() as searcher:
            return searcher.doc_count()

    # -- searching -------------------------------------------------------------------------

    def search(self, text: str, catalogue: Catalogue, *, limit: int = 10, page: int = 1) -> SearchResults:
        """Run a query; hits carry a highlighted snippet read from the catalogue's text."""
        if limit < 1 or page < 1:
            raise IndexError_("--limit and --page must be at least 1")
        query, keys = parse_query(text, self.ix.schema)
        try:
            with self.ix.searcher() as searcher:
                results = searcher.search_page(query, page, pagelen=limit, terms=True)
                total = len(results)
                rows = [(hit.fields(), hit.score, _matched(hit)) for hit in results]
                texts = catalogue.texts_and_pages(f["id"] for f, _, _ in rows)
                hits = [self._hit(f, score, terms, *texts.get(f["id"], ("", [])), keys)
                        for f, score, terms in rows]
        except IndexError_:
            raise
        except Exception as exc:  # noqa: BLE001
            raise IndexError_(f"search failed ({type(exc).__name__}: {exc})") from exc
        return SearchResults(query=text, total=total, hits=hits, page=page)

    def _hit(self, fields: dict[str, Any], score: float, terms: dict[str, set], text: str,
             page_offsets: list[dict[str, Any]], keys: list[str]) -> Hit:
        field = body_field(fields.get("language"))
        snippet = make_snippet(text, terms.get(field, set()), self.ix.schema[field].analyzer, keys,
                               page_offsets)
        date = fields.get("date")
        return Hit(id=fields["id"], title=fields.get("title"),
                   date=date.date().isoformat() if date else None, court=fields.get("court"),
                   kind=fields.get("kind"), language=fields.get("language"), score=score,
                   snippet=snippet)


def _matched(hit) -> dict[str, set]:
    terms: dict[str, set] = {}
    for fieldname, term in hit.matched_terms():
        terms.setdefault(fieldname, set()).add(term.decode("utf-8") if isinstance(term, bytes) else term)
    return terms


def make_snippet(text: str, terms: set[str], analyzer, keys: list[str],
                 page_offsets: list[dict[str, Any]] = ()) -> Snippet | None:
    """The best passage around matched words, or around an identifier the query named,
    with the printed page it starts on (for paged formats)."""
    if not text:
        return None
    if terms:
        tokens = analyzer(text, chars=True, mode="query", removestops=False)
        tokens = highlight.set_matched_filter(tokens, frozenset(terms))
        fragmenter = highlight.ContextFragmenter(maxchars=SNIPPET_CHARS, surround=80)
        fragments = highlight.top_fragments(fragmenter.fragment_tokens(text, tokens), 1,
                                            highlight.BasicFragmentScorer(), highlight.FIRST, 1)
        if fragments:
            frag = fragments[0]
            start, end = frag.startchar, frag.endchar
            marks = [(t.startchar - start, t.endchar - start) for t in frag.matches]
            return _tidy(text, start, end, marks, page_offsets)
    lowered = text.lower()
    for key in keys:
        at = lowered.find(key)
        if at >= 0:
            start = max(0, at - 100)
            return _tidy(text, start, min(len(text), at + len(key) + 100),
                         [(at - start, at - start + len(key))], page_offsets)
    return _tidy(text, 0, min(len(text), SNIPPET_CHARS), [], page_offsets)


def _tidy(text: str, start: int, end: int, marks: list[tuple[int, int]],
          page_offsets: list[dict[str, Any]]) -> Snippet:
    """Cut on word boundaries, flatten line breaks, keep marks aligned."""
    while start > 0 and not text[start - 1].isspace() and start > end - SNIPPET_CHARS * 2:
        start -= 1
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
