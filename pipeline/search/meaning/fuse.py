"""Search by meaning, and its fusion with the word index: ``search(..., mode=...)``.

``words`` is the word index alone, exactly as it always answered. ``meaning`` ranks documents
by their paragraph closest in meaning to the query (any language). ``both`` fuses the two
rankings by reciprocal rank (RRF: a document's score is the sum of ``1 / (K + rank)`` over the
rankings that hold it), so a document both find comes first, and one only the other language's
words describe still comes.

What the query says exactly keeps its exact meaning: quoted phrases, field clauses
(``article:3``), identifiers and code provisions restrict the documents meaning may return to
those that satisfy them, and only the remaining free words are embedded. A query that is nothing
but such clauses, or that uses the query language's operators, is a word query in every mode
but ``meaning`` (where operators are refused). Filters restrict every mode.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from pipeline.catalogue import Catalogue
from pipeline.errors import QueryError
from pipeline.models import empty_record
from pipeline.present.pinpoint import citation_for, paragraph_at
from pipeline.search.base import MODES, SORTS, Hit, SearchResults
from pipeline.search.hits import citable
from pipeline.search.language.query import rewrite_query
from pipeline.search.meaning.store import Loaded, MeaningStore

__all__ = ["MIN_COSINE", "RRF_K", "exact_parts", "fuse", "has_layer", "search"]

#: The usual constant of reciprocal-rank fusion: ranks 1 and 2 differ little, 1 and 60 a lot.
RRF_K = 60
#: Documents taken from each ranking before fusing.
CANDIDATES = 60
#: A best paragraph less similar than this is not a meaning hit (on the probe, unrelated legal
#: paragraphs scored 0.1-0.3 against a query, related ones 0.35 and up).
MIN_COSINE = 0.3
#: Characters of the matched paragraph shown with a hit.
PARAGRAPH_CHARS = 600

_QUOTED = re.compile(r'"[^"]*"(?:~\d+)?')
_CLAUSE = re.compile(r"""(?<![\w:'])[a-z_]+:(?:"[^"]*"|'[^']*'|[^\s()"]+)""")
# What the query language made of an identifier or a code provision: "(ids:'17280/08' OR ...)".
_REWRITTEN = re.compile(r"\([^()]*:'[^()]*\)")
_SYNTAX = re.compile(r"(?:^|\s)(?:AND|OR|NOT|ANDNOT|ANDMAYBE)(?:\s|$)|[()*?\[\]{}^]|~\d")


def has_layer(index_dir: Path) -> bool:
    return MeaningStore.present(Path(index_dir))


def chosen_mode(index_dir: Path, mode: str | None) -> str:
    """The mode asked for, else the default: both where the index has a meaning layer, else
    words (an unknown value, from an edited URL, is the default too)."""
    return mode if mode in MODES else "both" if has_layer(index_dir) else "words"


def exact_parts(text: str) -> tuple[str, list[str]] | None:
    """(the free words to embed, the clauses every meaning hit must satisfy), or None when the
    query is in the query language's operators (a word query only)."""
    clauses = [m.group() for m in _QUOTED.finditer(text)]
    rest = _QUOTED.sub(" ", text)
    clauses += [m.group() for m in _CLAUSE.finditer(rest)]
    rest = _CLAUSE.sub(" ", rest)
    if _SYNTAX.search(rest):
        return None
    free = " ".join(rest.split())
    if free:
        rewritten, keys = rewrite_query(free)
        if keys or rewritten != free:
            # Identifiers or code provisions among the words: meaning ranks the documents the
            # whole of them selects, by the words left once they are taken out.
            clauses.append(free)
            free = " ".join(_REWRITTEN.sub(" ", rewritten).split())
    return free, clauses


@dataclass
class _Meant:
    """A document's best paragraph for the query."""

    doc_id: str
    score: float
    start: int
    end: int
    number: str | None


_cache: dict[Path, tuple[tuple[int, int], Loaded]] = {}
_lock = threading.Lock()


def _layer(index_dir: Path) -> Loaded:
    """The layer in memory, read again when its file changed (the web server keeps it)."""
    path = Path(index_dir) / "meaning" / "meaning.sqlite"
    st = path.stat()
    stamp = (st.st_mtime_ns, st.st_size)
    with _lock:
        cached = _cache.get(path)
        if cached is not None and cached[0] == stamp:
            return cached[1]
        store = MeaningStore.open(Path(index_dir), readonly=True)
        try:
            loaded = store.load()
        finally:
            store.close()
        _cache.clear()
        _cache[path] = (stamp, loaded)
        return loaded


def meaning_ranking(index_dir: Path, text: str, allowed: set[str] | None,
                    depth: int = CANDIDATES) -> list[_Meant]:
    """Documents by their best paragraph's cosine to ``text``, best first, at most ``depth``,
    none below ``MIN_COSINE``; only ``allowed`` ids when given."""
    from pipeline.search.meaning.encoder import encode

    layer = _layer(index_dir)
    if not layer.size or not text.strip():
        return []
    query = encode([text])[0]
    scores = layer.scores(query)
    if allowed is not None:
        keep = np.fromiter((doc_id in allowed for doc_id in layer.ids), dtype=bool,
                           count=len(layer.ids))
        scores = np.where(keep[layer.doc_of], scores, -2.0)
    order = np.argsort(-scores, kind="stable")
    found: list[_Meant] = []
    seen: set[int] = set()
    for row in order:
        score = float(scores[row])
        if score < MIN_COSINE or len(found) >= depth:
            break
        doc = int(layer.doc_of[row])
        if doc in seen:
            continue
        seen.add(doc)
        start, end = (int(x) for x in layer.spans[row])
        found.append(_Meant(layer.ids[doc], score, start, end, layer.numbers[row]))
    return found


def fuse(rankings: Iterable[list[str]], k: int = RRF_K) -> list[tuple[str, float]]:
    """Reciprocal-rank fusion of rankings of ids (best first): (id, fused score), best first;
    ties keep the order in which the ids first appear."""
    scores: dict[str, float] = {}
    for ranking in rankings:
        for rank, doc_id in enumerate(ranking, 1):
            scores[doc_id] = scores.get(doc_id, 0.0) + 1.0 / (k + rank)
    order = {doc_id: i for i, doc_id in enumerate(scores)}
    return sorted(scores.items(), key=lambda item: (-item[1], order[item[0]]))


def _allowed(index, filters: list[str], clauses: list[str]) -> set[str] | None:
    allowed: set[str] | None = None
    for clause in [*filters, *clauses]:
        ids = index.ids_matching(clause)
        allowed = ids if allowed is None else allowed & ids
    return allowed


def search(index, index_dir: Path, text: str, catalogue: Catalogue, *, mode: str = "both",
           limit: int = 10, page: int = 1, sort: str = "relevance",
           filters: Iterable[str] = (), facets: bool = False, expand: bool = False) -> SearchResults:
    """One search in ``mode`` (``MODES``) over ``index`` and the meaning layer of ``index_dir``.

    ``both`` and ``meaning`` need the layer; a query meaning cannot read (only exact clauses,
    or operators) is answered by words in ``both``. Facets are the word index's counts.
    """
    if mode not in MODES:
        raise QueryError(f"unknown mode {mode!r} (use one of: {', '.join(MODES)})")
    if sort not in SORTS:
        raise QueryError(f"unknown sort {sort!r} (use one of: {', '.join(SORTS)})")
    if limit < 1 or page < 1:
        raise QueryError("limit and page must be at least 1")
    filters = [f for f in filters if f and f.strip()]
    kwargs = dict(limit=limit, page=page, sort=sort, filters=filters, facets=facets, expand=expand)
    if mode == "words":
        return index.search(text, catalogue, **kwargs)
    if not has_layer(index_dir):
        if mode == "meaning":
            raise QueryError(f"{index_dir}: this index has no meaning layer (build it with "
                             f"`precedents reindex --meaning --index {index_dir}`)")
        return index.search(text, catalogue, **kwargs)
    parts = exact_parts(text)
    if parts is None or not parts[0]:
        if mode == "meaning":
            raise QueryError("a meaning search takes words in any language, not the query "
                             "language's operators or only field clauses")
        return index.search(text, catalogue, **kwargs)
    free, clauses = parts
    meant = meaning_ranking(index_dir, free, _allowed(index, filters, clauses))
    want = page * limit
    if mode == "meaning":
        words = SearchResults(query=text, total=0, hits=[], filters=filters)
        if facets:
            words = index.search("", catalogue, limit=1, filters=filters, facets=True)
    else:
        words = index.search(text, catalogue, limit=max(CANDIDATES, want), page=1,
                             sort="relevance", filters=filters, facets=facets, expand=expand)
    word_ids = [h.id for h in words.hits]
    by_meaning = {m.doc_id: m for m in meant}
    fused = fuse([word_ids, [m.doc_id for m in meant]] if mode == "both"
                 else [[m.doc_id for m in meant]])
    hits = _hits(fused, {h.id: h for h in words.hits}, by_meaning, catalogue)
    if sort != "relevance":
        hits.sort(key=lambda h: h.date or "", reverse=sort == "newest")
    extra = sum(1 for m in meant if m.doc_id not in set(word_ids))
    total = (words.total + extra) if mode == "both" else len(meant)
    return SearchResults(query=text, total=total, hits=hits[(page - 1) * limit:want],
                         page=page, limit=limit, sort=sort, filters=filters,
                         facets=words.facets if facets else {}, suggestions=words.suggestions,
                         expanded=words.expanded)


def _hits(fused: list[tuple[str, float]], worded: dict[str, Hit], meant: dict[str, _Meant],
          catalogue: Catalogue) -> list[Hit]:
    """A Hit per fused id: the word hit when words found it, its best paragraph (text,
    number, citation) when meaning did."""
    docs = catalogue.documents([i for i, _ in fused if i in meant],
                               without=("entities", "citations"))
    hits = []
    for doc_id, score in fused:
        hit = worded.get(doc_id)
        m = meant.get(doc_id)
        doc = docs.get(doc_id)
        if hit is None:
            if doc is None:
                continue  # left the catalogue since the layer was read
            record = doc.record or empty_record()
            hit = Hit(id=doc_id, title=record["title"] or doc.title, date=record["date"],
                      court=record["court"], kind=record["kind"] or "document",
                      language=doc.language, score=0.0)
        hit.score = score
        if m is not None:
            hit.matched_by = "both" if doc_id in worded else "meaning"
            if doc is not None:
                laid_out = citable(doc)
                hit.paragraph, hit.section = paragraph_at(laid_out, m.start)
                hit.citation = citation_for(laid_out, hit.paragraph, hit.section)
                hit.paragraph_text = _cut(doc.text[m.start:m.end])
        hits.append(hit)
    return hits


def _cut(text: str, chars: int = PARAGRAPH_CHARS) -> str:
    text = " ".join(text.split())
    if len(text) <= chars:
        return text
    cut = text[:chars].rsplit(" ", 1)[0]
    return cut + " …"
