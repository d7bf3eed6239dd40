"""Search by meaning, and its fusion with the word index: ``search(..., mode=...)``.

``words`` is the word index alone, exactly as it always answered. ``meaning`` ranks documents
by the paragraphs closest in meaning to the query (any language): a document is a hit when one
of its paragraphs is close enough (``MIN_COSINE``), and ranks by its best ``TOP_PARAGRAPHS``
together, since a judgment on an issue discusses it in several paragraphs (``doc_scores``).
``both`` fuses three rankings by reciprocal rank (RRF: a document's score is the sum of
``1 / (K + rank)`` over the rankings that hold it): the words as typed, the legal concepts the
words name in every language of the thesaurus, none of them required (``concept_query``: how a
Russian description reaches an English judgment by words), and meaning. A document several
find comes first, and one only the other language's words describe still comes.

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

from pipeline.catalogue import Catalogue, Document
from pipeline.errors import IndexError_, QueryError
from pipeline.models import empty_record
from pipeline.present.pinpoint import citation_for, paragraph_at
from pipeline.search.base import MODES, SORTS, Hit, SearchResults
from pipeline.search.hits import citable
from pipeline.search.language.query import check_quotes, concept_query, rewrite_query
from pipeline.search.meaning.store import Loaded, MeaningStore

__all__ = ["MIN_COSINE", "RRF_K", "TOP_PARAGRAPHS", "Centre", "doc_scores", "exact_parts", "fuse",
           "has_layer", "preload", "search"]

#: The usual constant of reciprocal-rank fusion: ranks 1 and 2 differ little, 1 and 60 a lot.
RRF_K = 60
#: Documents taken from each ranking before fusing.
CANDIDATES = 60
#: A best paragraph less similar than this is not a meaning hit (on the probe, unrelated legal
#: paragraphs scored 0.1-0.3 against a query, related ones 0.35 and up; queries on cooking,
#: football or the weather reached 0.21-0.29 on the bulk judgments). The plain cosine, before
#: centring: the threshold says how close a paragraph is, the ranking which is closest.
MIN_COSINE = 0.3
#: A document ranks by the mean of its best paragraphs' cosines, this many (one that has fewer
#: counts the missing ones as 0). On the retrieval eval, 3 did better than 1 (the best
#: paragraph alone), 2, 4, 5 or 8, with equal or decaying weights (EVAL.md).
TOP_PARAGRAPHS = 3
#: How strongly a layer's mean is trusted: n passages take n / (n + CENTRE_PASSAGES) of it
#: (``Centre``): the bulk's 35,792 passages 97%, a test's dozen about 1%.
CENTRE_PASSAGES = 1000
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


@dataclass(frozen=True)
class Centre:
    """The mean of a corpus's passages, taken out of them before ranking.

    The encoder's vectors of one kind of text (judgments, say) all lean one way. Ranking by
    the cosine with ``passage - mean`` instead of ``passage`` scores how much closer to the
    query a passage is than the corpus's average one, over its distance from that average:
    the usual paragraph of a judgment, near the mean, is lifted when it is closer to the query
    than the rest and lowered when it is not. The query is not centred: it is of another kind
    (a short description, often in another language), and centring it too did worse. On the
    retrieval eval, centring raised Russian and French P@10 on both halves of the gold
    (EVAL.md). A small layer's mean says little of a corpus (two documents' mean is half of
    each): it is shrunk towards 0 by n / (n + ``CENTRE_PASSAGES``).

    ``norms`` are the lengths of ``passage - mean``, so a query's centred cosines are
    ``(cosines - query . mean) / norms``, from the plain cosines at no extra product.
    """

    mean: np.ndarray
    norms: np.ndarray

    @classmethod
    def of(cls, layer: Loaded, rows: int = 32768) -> Centre:
        total = np.zeros(layer.matrix.shape[1], dtype=np.float64)
        squares = np.empty(layer.size, dtype=np.float32)
        for i in range(0, layer.size, rows):
            chunk = layer.matrix[i:i + rows].astype(np.float32) * layer.scales[i:i + rows, None]
            total += chunk.sum(axis=0, dtype=np.float64)
            squares[i:i + rows] = np.einsum("ij,ij->i", chunk, chunk)
        n = max(layer.size, 1)
        mean = (total / n * (layer.size / (layer.size + CENTRE_PASSAGES))).astype(np.float32)
        along = layer.scores(mean) if layer.size else np.zeros(0, dtype=np.float32)
        norms = np.sqrt(np.maximum(squares - 2 * along + float(mean @ mean), 1e-12))
        return cls(mean, norms.astype(np.float32))

    def cosines(self, query: np.ndarray, plain: np.ndarray,
                rows: np.ndarray | None = None) -> np.ndarray:
        """The centred cosines of ``query`` from its ``plain`` cosines with every passage (or
        with the passages ``rows``)."""
        norms = self.norms if rows is None else self.norms[rows]
        return (plain - float(self.mean @ query)) / norms


def doc_scores(scores: np.ndarray, doc_of: np.ndarray, documents: int,
               top: int = TOP_PARAGRAPHS) -> np.ndarray:
    """Per document, the mean of its ``top`` best passage ``scores`` (``doc_of[i]`` is the
    document of passage ``i``); a document with fewer passages counts the missing ones as 0,
    and one with none scores -inf. Linear in the passages (``top`` passes, no sort: sorting a
    10,000-judgment layer's 600,000 rows took a quarter of a second)."""
    total = np.zeros(documents, dtype=np.float64)
    left = np.asarray(scores, dtype=np.float64).copy()
    for _ in range(top):
        best = np.full(documents, -np.inf)
        np.maximum.at(best, doc_of, left)
        found = np.isfinite(best)
        if not found.any():
            break
        total[found] += best[found]
        rows = _first_rows(left == best[doc_of], doc_of, documents)
        left[rows[rows < len(left)]] = -np.inf
    total /= top
    total[np.bincount(doc_of, minlength=documents)[:documents] == 0] = -np.inf
    return total


def _first_rows(mask: np.ndarray, doc_of: np.ndarray, documents: int) -> np.ndarray:
    """Per document, its first row where ``mask`` holds (``len(mask)`` where none does)."""
    first = np.full(documents, len(mask), dtype=np.int64)
    rows = np.flatnonzero(mask)
    np.minimum.at(first, doc_of[rows], rows)
    return first


_cache: dict[Path, tuple[tuple[int, int], Loaded, Centre]] = {}
_lock = threading.Lock()


def _layer(index_dir: Path) -> Loaded:
    """The layer in memory, read again when its file changed (the web server keeps it)."""
    found = _centred(index_dir)
    if found is None:
        raise IndexError_(f"{index_dir}: no meaning layer here (run `precedents reindex "
                          f"--meaning --index {index_dir}`)")
    return found[0]


def preload(index_dir: Path) -> bool:
    """Read the layer (and its centre) and load the encoder now, in this process; False when
    the index has no layer. The server calls it before it forks its processes, so they share
    these pages (a layer of 10,000 judgments is about 300 MB, the encoder 100 MB) instead of
    each reading its own on its first meaning query."""
    if _centred(index_dir) is None:
        return False
    from pipeline.search.meaning.encoder import encoder

    encoder()
    return True


def _centred(index_dir: Path) -> tuple[Loaded, Centre] | None:
    """The layer in memory and its centre, read again when its file changed; None when the
    index has no layer (one ``stat``: how a search learns whether there is one)."""
    path = Path(index_dir) / "meaning" / "meaning.sqlite"
    try:
        st = path.stat()
    except FileNotFoundError:
        return None
    stamp = (st.st_mtime_ns, st.st_size)
    with _lock:
        cached = _cache.get(path)
        if cached is not None and cached[0] == stamp:
            return cached[1], cached[2]
        store = MeaningStore.open(Path(index_dir), readonly=True)
        try:
            loaded = store.load()
        finally:
            store.close()
        centre = Centre.of(loaded)
        _cache.clear()
        _cache[path] = (stamp, loaded, centre)
        return loaded, centre


def meaning_ranking(index_dir: Path, text: str, allowed: set[str] | None,
                    depth: int = CANDIDATES) -> list[_Meant]:
    """Documents whose best paragraph's cosine to ``text`` is at least ``MIN_COSINE``, ranked
    by the mean centred cosine of their best ``TOP_PARAGRAPHS`` (``Centre``, ``doc_scores``),
    best first, at most ``depth``; only ``allowed`` ids when given. Each comes with its best
    paragraph, the one a hit shows and cites."""
    found = _centred(index_dir)
    return [] if found is None else _ranked(*found, text, allowed, depth)


def _ranked(layer: Loaded, centre: Centre, text: str, allowed: set[str] | None,
            depth: int = CANDIDATES) -> list[_Meant]:
    from pipeline.search.meaning.encoder import encode

    if not layer.size or not text.strip():
        return []
    query = encode([text])[0]
    plain = layer.scores(query)
    documents = len(layer.ids)
    # Each document's best paragraph: whether it is a hit, and what the hit shows.
    best = np.full(documents, -np.inf, dtype=np.float32)
    np.maximum.at(best, layer.doc_of, plain)
    heads = _first_rows(plain == best[layer.doc_of], layer.doc_of, documents)
    eligible = best >= MIN_COSINE
    if allowed is not None:
        eligible &= np.fromiter((doc_id in allowed for doc_id in layer.ids), dtype=bool,
                                count=documents)
    rows = np.flatnonzero(eligible[layer.doc_of])
    ranked = np.full(documents, -np.inf)
    ranked[eligible] = doc_scores(centre.cosines(query, plain[rows], rows), layer.doc_of[rows],
                                  documents)[eligible]
    chosen = [int(d) for d in np.argsort(-ranked, kind="stable")[:depth] if eligible[d]]
    found: list[_Meant] = []
    for doc in chosen:
        row = int(heads[doc])
        start, end = (int(x) for x in layer.spans[row])
        found.append(_Meant(layer.ids[doc], float(ranked[doc]), start, end, layer.numbers[row]))
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
    or operators) is answered by words in ``both``. Facets are the word index's counts. In
    ``both``, the concepts' ranking joins only with ``expand`` (the switch that lets the
    thesaurus widen a query). Candidates are ranked without snippets; only the page shown
    is read for them.
    """
    if mode not in MODES:
        raise QueryError("unknown mode %(mode)r (use one of: %(modes)s)", mode=mode,
                         modes=", ".join(MODES))
    if sort not in SORTS:
        raise QueryError("unknown sort %(sort)r (use one of: %(sorts)s)", sort=sort,
                         sorts=", ".join(SORTS))
    if limit < 1 or page < 1:
        raise QueryError("limit and page must be at least 1")
    # Every mode refuses what the word search refuses of a query's quotes (meaning reads
    # quoted phrases as exact clauses).
    check_quotes(text)
    filters = [f for f in filters if f and f.strip()]
    kwargs = dict(limit=limit, page=page, sort=sort, filters=filters, facets=facets, expand=expand)
    if mode == "words":
        return index.search(text, catalogue, **kwargs)
    parts = exact_parts(text)
    readable = parts is not None and bool(parts[0])
    if mode == "both" and not readable:
        return index.search(text, catalogue, **kwargs)
    found = _centred(index_dir)
    if found is None:
        if mode == "meaning":
            raise QueryError("%(index)s: this index has no meaning layer (build it with "
                             "`precedents reindex --meaning --index %(index)s`)",
                             index=str(index_dir))
        return index.search(text, catalogue, **kwargs)
    if parts is None or not parts[0]:
        raise QueryError("a meaning search takes words in any language, not the query "
                         "language's operators or only field clauses")
    free, clauses = parts
    allowed = _allowed(index, filters, clauses)
    meant = _ranked(*found, free, allowed)
    want = page * limit
    rankings = [[m.doc_id for m in meant]]
    if mode == "meaning":
        words = SearchResults(query=text, total=0, hits=[], filters=filters)
        if facets:
            words = index.search("", catalogue, limit=1, filters=filters, facets=True,
                                 snippets=False)
    else:
        words = index.search(text, catalogue, limit=max(CANDIDATES, want), page=1,
                             sort="relevance", filters=filters, facets=facets, expand=expand,
                             snippets=False)
        rankings.insert(0, [h.id for h in words.hits])
    # Each word hit with the query that found it: the words typed, else the concepts' terms.
    worded = {h.id: (text, expand, h) for h in words.hits}
    if mode == "both" and expand and (concepts := _by_concepts(index, free, catalogue, allowed)):
        query, listed = concepts
        rankings.insert(1, [h.id for h in listed])
        for h in listed:
            worded.setdefault(h.id, (query, False, h))
    by_meaning = {m.doc_id: m for m in meant}
    fused = fuse(rankings)
    if sort == "relevance":
        # Only the page shown is read from the catalogue: the fused order is final.
        fused_page = fused[(page - 1) * limit:want]
        docs = catalogue.documents([i for i, _ in fused_page if i in by_meaning or i not in worded],
                                   without=("entities", "citations"))
        shown = _listed(fused_page, worded, by_meaning, docs)
    else:
        # Dates of every candidate decide the page: those not found by words are read first.
        dated = catalogue.documents([i for i, _ in fused if i not in worded],
                                    without=("entities", "citations", "paragraphs", "sections"))
        listed_all = _listed(fused, worded, by_meaning, dated)
        listed_all.sort(key=lambda h: h.date or "", reverse=sort == "newest")
        shown = listed_all[(page - 1) * limit:want]
        docs = catalogue.documents([h.id for h in shown if h.id in by_meaning],
                                   without=("entities", "citations"))
    shown = _dressed(index, shown, worded, by_meaning, docs, catalogue)
    typed = {h.id for h in words.hits}
    extra = sum(1 for i, _ in fused if i not in typed)
    total = (words.total + extra) if mode == "both" else len(meant)
    return SearchResults(query=text, total=total, hits=shown, page=page, limit=limit,
                         sort=sort, filters=filters, facets=words.facets if facets else {},
                         suggestions=words.suggestions, expanded=words.expanded)


def _by_concepts(index, free: str, catalogue: Catalogue,
                 allowed: set[str] | None) -> tuple[str, list[Hit]] | None:
    """The query of the legal concepts ``free`` names, in every language (``concept_query``),
    and the documents holding their terms, best first (no snippets); None when it names none."""
    query = concept_query(free)
    if query is None:
        return None
    try:
        found = index.search(query, catalogue, limit=CANDIDATES, suggest=False, snippets=False)
    except QueryError:
        return None  # the concepts' terms exceed a limit of the query language: words alone
    return query, [h for h in found.hits if allowed is None or h.id in allowed]


#: A word hit with the query that found it and whether that query was widened.
_Worded = dict[str, tuple[str, bool, Hit]]


def _listed(fused: list[tuple[str, float]], worded: _Worded, meant: dict[str, _Meant],
            docs: dict[str, Document]) -> list[Hit]:
    """A Hit per fused id, scored by fusion, without its snippet or paragraph yet: the word
    hit when words found it, else its title, date and court from its catalogue document
    (``docs``; one that left the catalogue since the layer was read is left out)."""
    hits = []
    for doc_id, score in fused:
        hit = worded[doc_id][2] if doc_id in worded else None
        if hit is None:
            doc = docs.get(doc_id)
            if doc is None:
                continue
            record = doc.record or empty_record()
            hit = Hit(id=doc_id, title=record["title"] or doc.title, date=record["date"],
                      court=record["court"], kind=record["kind"] or "document",
                      language=doc.language, score=0.0)
        hit.score = score
        if doc_id in meant:
            hit.matched_by = "both" if doc_id in worded else "meaning"
        hits.append(hit)
    return hits


def _dressed(index, hits: list[Hit], worded: _Worded, meant: dict[str, _Meant],
             docs: dict[str, Document], catalogue: Catalogue) -> list[Hit]:
    """The page's hits as shown: a word hit with the snippet, paragraph and citation its
    word query gives it, a meaning hit with its best paragraph (``_paragraphs``)."""
    by_query: dict[tuple[str, bool], list[Hit]] = {}
    for hit in hits:
        if hit.id in worded:
            query, widened, _ = worded[hit.id]
            by_query.setdefault((query, widened), []).append(hit)
    snipped = {h.id: h for (query, widened), group in by_query.items()
               for h in index.with_snippets(query, group, catalogue, expand=widened)}
    for hit in hits:
        if (dressed := snipped.get(hit.id)) is not None:
            hit.snippet, hit.paragraph, hit.section, hit.citation = (
                dressed.snippet, dressed.paragraph, dressed.section, dressed.citation)
    return _paragraphs(hits, meant, docs)


def _paragraphs(hits: list[Hit], meant: dict[str, _Meant],
                docs: dict[str, Document]) -> list[Hit]:
    """Each meaning hit with its best paragraph (text, number, citation), read from its
    catalogue document (``docs``)."""
    for hit in hits:
        m, doc = meant.get(hit.id), docs.get(hit.id)
        if m is not None and doc is not None:
            laid_out = citable(doc)
            hit.paragraph, hit.section = paragraph_at(laid_out, m.start)
            hit.citation = citation_for(laid_out, hit.paragraph, hit.section)
            hit.paragraph_text = _cut(doc.text[m.start:m.end])
    return hits


def _hits(fused: list[tuple[str, float]], worded: dict[str, Hit], meant: dict[str, _Meant],
          catalogue: Catalogue) -> list[Hit]:
    """A Hit per fused id: the word hit (as it is) when words found it, its best paragraph
    (text, number, citation) when meaning did."""
    docs = catalogue.documents([i for i, _ in fused if i in meant or i not in worded],
                               without=("entities", "citations"))
    listed = _listed(fused, {i: ("", False, h) for i, h in worded.items()}, meant, docs)
    return _paragraphs(listed, meant, docs)


def _cut(text: str, chars: int = PARAGRAPH_CHARS) -> str:
    text = " ".join(text.split())
    if len(text) <= chars:
        return text
    cut = text[:chars].rsplit(" ", 1)[0]
    return cut + " …"
