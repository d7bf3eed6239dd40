"""Fact-pattern queries: a lawyer's description of a case (up to ``MAX_WORDS`` words, any
language) -> the judgments closest to it, each with its best-matching paragraph.

The encoder reads about ``PASSAGE_WORDS`` words well and averages what follows into a blur, so a
description is cut into passages of whole sentences (``fact_passages``), each embedded, and a
document is ranked by an aggregate over the passages (``AGGREGATES``) of its best paragraph's
cosine to each. The default, ``mean``, is the mean over the query's passages of the document's
best paragraph for each: a judgment that answers every part of the story comes before one that
answers a single sentence very well (chosen by measurement: ``tools/evaluate/facts.py``).

A description is text a person typed or pasted, so what is not text is refused with one line
(``checked_text``): nothing at all, NUL bytes (a binary file), or more than ``MAX_WORDS`` words
(the message gives the limit and the count; reading only the first part would answer a
different question than the one asked, silently).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from pathlib import Path

import numpy as np

from pipeline.catalogue import Catalogue
from pipeline.errors import QueryError
from pipeline.present.labels import N_
from pipeline.search.base import SearchResults
from pipeline.search.meaning.fuse import (MIN_COSINE, _allowed, _hits, _layer, _Meant,
                                          has_layer)
from pipeline.search.meaning import paragraphs
from pipeline.search.meaning.store import Loaded

__all__ = ["AGGREGATES", "DEFAULT_AGGREGATE", "MAX_BYTES", "MAX_WORDS", "PASSAGE_WORDS",
           "checked_text", "decoded", "doc_scores", "fact_passages", "similar_to_text",
           "word_count"]

#: Words of a description read at most (about four pages of facts).
MAX_WORDS = 2000
#: Words per passage: what the encoder reads well, as for the documents' paragraphs.
PASSAGE_WORDS = paragraphs.MAX_WORDS
#: A passage shorter than this is joined to the next (a heading, "THE FACTS", a date line).
MIN_PASSAGE_WORDS = 12
#: Bytes of a description file read at most: 2,000 words of any script, in UTF-8, are far
#: below it; a bigger file is not a description (a whole PDF, a disk image) and is not read.
MAX_BYTES = 1024 * 1024
#: Characters of the description echoed as the results' ``query``.
QUERY_ECHO = 200

# A sentence ends at . ! ? … (and their closing quotes or brackets) before a space; "Art. 3",
# "no. 12345/06" and "v. Russia" end no sentence (a lower-case word or a digit follows).
_SENTENCE = re.compile(r"(?<=[.!?…])[\"'»”)\]]*\s+(?=[\"'«“(\[]?[A-ZА-ЯЁÀ-Þ])")
_PARAGRAPH = re.compile(r"\n\s*\n|\n")
# C0 and C1 controls other than the whitespace ones: pasted from PDFs now and then, never words.
_CONTROL = re.compile(r"[\x01-\x08\x0e-\x1f\x7f-\x9f]")
#: What a description typed on the page is called in its errors (files are named by path).
DESCRIPTION = N_("the description")
_WORD = re.compile(r"\w", re.UNICODE)


def decoded(data: bytes, source: str) -> str:
    """A description file's bytes as text (UTF-8, with or without a byte-order mark), or a
    QueryError naming ``source``: a file that is not UTF-8 text is not guessed at.

    >>> decoded("\\ufeffпытки".encode(), "a.txt")
    'пытки'
    >>> decoded(b"ok \\xff\\xfe", "b.bin")
    Traceback (most recent call last):
    pipeline.errors.QueryError: b.bin is not UTF-8 text (byte 0xff at offset 3): save the description as UTF-8 plain text
    """
    if len(data) > MAX_BYTES:
        raise QueryError("%(source)s is over %(megabytes)d MB, far more than a description of "
                         "facts (%(words)s words at most): not read", source=source,
                         megabytes=MAX_BYTES // (1024 * 1024), words=format(MAX_WORDS, ","))
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise QueryError("%(source)s is not UTF-8 text (byte 0x%(byte)02x at offset "
                         "%(offset)d): save the description as UTF-8 plain text", source=source,
                         byte=data[exc.start], offset=exc.start) from None


def word_count(text: str) -> int:
    return len(text.split())


def checked_text(text: str, *, source: str = DESCRIPTION) -> str:
    """``text`` ready to embed, or a QueryError naming ``source`` and the reason.

    >>> checked_text("  police\\x07 beat him  ")
    'police  beat him'
    >>> checked_text("a\\x00b", source="facts.bin")
    Traceback (most recent call last):
    pipeline.errors.QueryError: facts.bin holds NUL bytes: not text (give a plain-text description of the facts)
    """
    if "\x00" in text:
        raise QueryError("%(source)s holds NUL bytes: not text (give a plain-text description "
                         "of the facts)", source=source)
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        raise QueryError("%(source)s holds bytes that are not valid text (save it as UTF-8)",
                         source=source) from None
    text = _CONTROL.sub(" ", text).strip()
    if not _WORD.search(text):
        raise QueryError("%(source)s is empty: describe the facts of the case in words "
                         "(any language)", source=source)
    count = word_count(text)
    if count > MAX_WORDS:
        raise QueryError("%(source)s has %(count)s words; at most %(words)s are read: keep "
                         "the facts that matter", source=source, count=format(count, ","),
                         words=format(MAX_WORDS, ","))
    return text


def fact_passages(text: str, size: int = PASSAGE_WORDS,
                  least: int = MIN_PASSAGE_WORDS) -> list[str]:
    """The description cut into passages of whole sentences of at most ``size`` words (a longer
    sentence is cut at ``size`` words); a passage ends at a paragraph break once it holds
    ``least`` words, so one passage rarely tells two parts of the story.

    >>> fact_passages("THE FACTS\\n\\nThe applicant was arrested. He was beaten.", size=8, least=3)
    ['THE FACTS The applicant was arrested.', 'He was beaten.']
    """
    out: list[str] = []
    current: list[str] = []

    def close() -> None:
        if current:
            out.append(" ".join(current))
            current.clear()

    for paragraph in _PARAGRAPH.split(text):
        for sentence in _SENTENCE.split(paragraph):
            words = sentence.split()
            while words:
                if current and len(current) + len(words) > size:
                    close()
                take, words = words[:size], words[size:]
                current.extend(take)
                if len(current) >= size:
                    close()
        if len(current) >= least:
            close()
    if current and out and len(current) < least and len(out[-1].split()) + len(current) <= size:
        out[-1] += " " + " ".join(current)
        current.clear()
    close()
    return out


def _starts(layer: Loaded) -> np.ndarray:
    """First row of each document (a layer holds each document's rows together, in order)."""
    doc_of = layer.doc_of
    return np.flatnonzero(np.r_[True, doc_of[1:] != doc_of[:-1]]) if len(doc_of) else \
        np.zeros(0, dtype=np.int64)


def _mean(best: np.ndarray) -> np.ndarray:
    return best.mean(axis=1)


def _max(best: np.ndarray) -> np.ndarray:
    return best.max(axis=1)


def _top3(best: np.ndarray) -> np.ndarray:
    k = min(3, best.shape[1])
    return -np.sort(-best, axis=1)[:, :k].mean(axis=1)


def _above(best: np.ndarray) -> np.ndarray:
    """Sum over passages of how far the best paragraph clears ``MIN_COSINE``: only passages a
    document answers count."""
    return np.clip(best - MIN_COSINE, 0.0, None).sum(axis=1)


#: Ways to rank documents from ``best`` (documents x query passages: a document's best
#: paragraph cosine to each passage); ``centroid`` ranks by the best paragraph for the mean of
#: the passage vectors instead (see ``doc_scores``).
AGGREGATES: dict[str, Callable[[np.ndarray], np.ndarray] | None] = {
    "mean": _mean, "max": _max, "top3": _top3, "above": _above, "centroid": None}
DEFAULT_AGGREGATE = "mean"


#: Passages scored together: one pass over the layer's int8 matrix for each block, and a block's
#: scores (passages x 16 floats: 34 MB at 10,000 judgments) stay small.
QUERY_BLOCK = 16


def doc_scores(layer: Loaded, queries: np.ndarray, allowed: set[str] | None = None,
               aggregates: Iterable[str] = (DEFAULT_AGGREGATE,)
               ) -> tuple[dict[str, np.ndarray], np.ndarray, np.ndarray]:
    """({aggregate: score of each document of the layer}, the row of each document's best
    paragraph (the one closest to any passage), that row's cosine). Documents outside
    ``allowed`` (when given) score -inf."""
    starts = _starts(layer)
    keep = None
    if allowed is not None:
        keep = np.fromiter((doc_id in allowed for doc_id in layer.ids), dtype=bool,
                           count=len(layer.ids))[layer.doc_of]
    best = np.empty((len(starts), len(queries)), dtype=np.float32)
    strongest = np.full(layer.size, -2.0, dtype=np.float32)
    for first in range(0, len(queries), QUERY_BLOCK):
        block = layer.scores_many(queries[first:first + QUERY_BLOCK])
        for j in range(block.shape[1]):
            scores = block[:, j]
            if keep is not None:
                scores = np.where(keep, scores, -2.0)
            best[:, first + j] = np.maximum.reduceat(scores, starts)
            np.maximum(strongest, scores, out=strongest)
    out: dict[str, np.ndarray] = {}
    for name in aggregates:
        rank = AGGREGATES[name]
        if rank is None:
            centre = queries.mean(axis=0)
            centre /= max(float(np.linalg.norm(centre)), 1e-9)
            scores = layer.scores(centre)
            if keep is not None:
                scores = np.where(keep, scores, -2.0)
            out[name] = np.maximum.reduceat(scores, starts)
        else:
            out[name] = rank(best)
        if keep is not None:
            out[name] = np.where(np.maximum.reduceat(keep, starts), out[name], -np.inf)
    rows = np.array([start + int(np.argmax(strongest[start:end])) for start, end in
                     zip(starts, [*starts[1:], layer.size])], dtype=np.int64)
    return out, rows, strongest[rows] if len(rows) else np.zeros(0, dtype=np.float32)


def ranked(layer: Loaded, queries: np.ndarray, allowed: set[str] | None = None,
           aggregate: str = DEFAULT_AGGREGATE) -> list[_Meant]:
    """Every document whose best paragraph is at least ``MIN_COSINE`` close to a passage, best
    first by ``aggregate``; each with that paragraph."""
    if not layer.size or not len(queries):
        return []
    scores, rows, strongest = doc_scores(layer, queries, allowed, (aggregate,))
    score = scores[aggregate]
    order = np.argsort(-score, kind="stable")
    found = []
    for doc in order:
        if strongest[doc] < MIN_COSINE or not np.isfinite(score[doc]):
            continue
        row = int(rows[doc])
        start, end = (int(x) for x in layer.spans[row])
        found.append(_Meant(layer.ids[doc], float(score[doc]), start, end, layer.numbers[row]))
    return found


def similar_to_text(index, index_dir: Path, text: str, catalogue: Catalogue, *,
                    limit: int = 10, page: int = 1, filters: Iterable[str] = (),
                    source: str = DESCRIPTION) -> SearchResults:
    """The judgments closest in meaning to a description of facts (``checked_text`` first),
    ``limit`` per page, each with its best-matching paragraph and pinpoint citation; only those
    matching every clause of ``filters``. Needs the meaning layer."""
    from pipeline.search.meaning.embed import embed_texts

    if limit < 1 or page < 1:
        raise QueryError("limit and page must be at least 1")
    if not has_layer(index_dir):
        raise QueryError("%(index)s: this index has no meaning layer, which a description "
                         "of facts is compared with (build it with "
                         "`precedents reindex --meaning --index %(index)s`)",
                         index=str(index_dir))
    text = checked_text(text, source=source)
    filters = [f for f in filters if f and f.strip()]
    queries = embed_texts(fact_passages(text))
    found = ranked(_layer(index_dir), queries, _allowed(index, filters, []))
    want = found[(page - 1) * limit:page * limit]
    hits = _hits([(m.doc_id, m.score) for m in want], {}, {m.doc_id: m for m in want},
                 catalogue)
    echo = text if len(text) <= QUERY_ECHO else text[:QUERY_ECHO].rsplit(" ", 1)[0] + " …"
    return SearchResults(query=echo, total=len(found), hits=hits, page=page, limit=limit,
                         filters=filters)
