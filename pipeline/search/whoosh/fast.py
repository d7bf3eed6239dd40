"""Whoosh queries evaluated a posting list at a time, with Whoosh's own scores.

Whoosh walks a tree of matcher objects one document at a time, with several Python calls per
document and per tree node. A lawyer's query over 10,000 judgments matches thousands of them
(``Article 3 violation`` all but a few), and each word is an OR over the five text fields: the
walk, not the reading, was most of a search's time. Here the same query is evaluated bottom up
over whole posting lists, read a block at a time: a term is its {document: score}, AND and OR
are dict intersections and unions adding the scores, a phrase checks the positions of the
documents holding all its words (``phrases.ordered_match``), NOT subtracts, a range is
read once through Whoosh. Positions are the costly part, so an AND checks its phrases last and
only in the documents its other parts (and the filter) match, and a phrase of common words is
narrowed, or answered, by the pairs the index records (``pairs.py``).

The scores are Whoosh's: each posting is scored by the same ``BM25F`` scorer object the matcher
would use (``weighting.scorer``), boosts multiply as Whoosh's wrapping matchers do, an AND or OR
adds its parts' scores, NOT and constant-score ranges add their constant. Only the order in
which floating-point scores are added may differ. Anything else in a query (wildcards, an
``Every``, a scaled OR) makes ``evaluate`` return None, and the engine walks Whoosh's matchers
as before. tests/test_search_whoosh.py compares both paths query by query.

Reads private block attributes of Whoosh 2.7.4's posting reader (``W3LeafMatcher``): Whoosh is
pinned, and has had no release since 2016.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Collection

from whoosh import query as wq
from whoosh import scoring

from pipeline.search.whoosh.facets import segment_key
from pipeline.search.whoosh.pairs import PAIR_FIELDS, pair_term, paired
from pipeline.search.whoosh.phrases import ordered_match

__all__ = ["FieldLengths", "Unsupported", "evaluate", "field_lengths", "supported", "timer"]

#: {segment document number: score}
Scores = dict[int, float]


class Unsupported(Exception):
    """The query holds a node this module does not evaluate."""


#: ``lengths(reader, field)``: the field's length in every document of the segment, by number.
Lengths = Callable[[object, str], list[int]]


def evaluate(query: wq.Query, searcher, weighting, lengths: Lengths, *,
             deadline: Callable[[], None] = lambda: None,
             within: Collection[int] | None = None) -> Scores | None:
    """Every live document of one segment (``searcher`` is a leaf searcher) matching
    ``query``, with its score; None when the query holds something only Whoosh's matchers do.

    ``lengths`` gives the field lengths BM25F weighs by, read once per segment by the caller
    (a lookup per posting through Whoosh's column reader cost more than the scoring).
    ``deadline()`` is called between posting lists; it raises to stop a search running long.
    ``within``, when given, are the only documents the caller wants (what its filter allows):
    documents outside it may be left out of the answer, and phrases are checked only there.
    """
    try:
        scores = _Evaluator(searcher, weighting, lengths, deadline).run(query, within)
    except Unsupported:
        return None
    reader = searcher.reader()
    if reader.has_deletions():
        scores = {d: s for d, s in scores.items() if not reader.is_deleted(d)}
    return scores


def supported(query: wq.Query) -> bool:
    """Whether ``evaluate`` can take this query (checked before any reading)."""
    if isinstance(query, (wq.Term, wq.NumericRange)):
        return True
    if isinstance(query, wq.Phrase):
        return len(query.words) >= 2 and query.boost is not None
    if isinstance(query, wq.Not):
        return supported(query.query)
    if isinstance(query, wq.Or):
        return not query.scale and not query.minmatch and all(supported(q) for q in query.subqueries)
    if isinstance(query, wq.And):
        return all(supported(q) for q in query.subqueries)
    return False


class _Evaluator:
    def __init__(self, searcher, weighting, lengths: Lengths, deadline: Callable[[], None]):
        self.lengths = lengths
        self.searcher = searcher
        self.reader = searcher.reader()
        self.weighting = weighting
        self.deadline = deadline

    def run(self, node: wq.Query, within: Collection[int] | None = None) -> Scores:
        """The documents matching ``node`` with their scores; of those outside ``within``
        (when given), any may be left out: the caller drops them (an AND of other parts)."""
        if isinstance(node, wq.Term):
            return self._term(node, within)
        if isinstance(node, wq.Phrase):
            return self._phrase(node, within)
        if isinstance(node, wq.NumericRange):
            return self._constant(node)
        if isinstance(node, wq.Not):
            return self._not(node)
        if isinstance(node, (wq.And, wq.Or)):
            return self._compound(node, within)
        raise Unsupported(type(node).__name__)

    # -- leaves ----------------------------------------------------------------------------

    def _postings(self, fieldname: str, text, values: bool = False):
        """(ids, weights[, values]) of one term in this segment, deleted documents included,
        or None when the segment does not hold it."""
        field = self.searcher.schema[fieldname] if fieldname in self.searcher.schema else None
        if field is None:
            return None
        try:
            btext = field.to_bytes(text)
        except ValueError:
            return None
        if (fieldname, btext) not in self.reader:
            return None
        matcher = self.reader.postings(fieldname, btext)
        leaf = _leaf(matcher)
        ids: list[int] = []
        weights: list[float] = []
        vals: list[bytes] = []
        while leaf.is_active():
            leaf._read_ids()
            leaf._read_weights()
            ids.extend(leaf._ids[:leaf._blocklength])
            weights.extend(leaf._weights[:leaf._blocklength])
            if values:
                leaf._read_values()
                vals.extend(leaf._values[:leaf._blocklength])
            leaf._next_block()
        self.deadline()
        return (ids, weights, vals, btext) if values else (ids, weights, btext)

    def _scorer(self, fieldname: str, btext):
        return self.weighting.scorer(self.searcher, fieldname, btext)

    def _term(self, node: wq.Term, within: Collection[int] | None = None) -> Scores:
        read = self._postings(node.fieldname, node.text)
        if read is None:
            return {}
        ids, weights, btext = read
        if within is not None and len(within) < len(ids):
            kept = [(d, w) for d, w in zip(ids, weights) if d in within]
            ids, weights = [d for d, _ in kept], [w for _, w in kept]
        return self._scored(node.fieldname, btext, ids, weights, node.boost)

    def _scored(self, fieldname: str, btext, ids, weights, boost: float) -> Scores:
        scorer = self._scorer(fieldname, btext)
        if isinstance(scorer, scoring.WeightScorer):
            out = dict(zip(ids, weights))
        elif type(scorer) is scoring.BM25FScorer:
            # whoosh.scoring.bm25, written out: two Python calls per posting were a third of
            # a term's cost. The same operations in the same order give the same floats.
            idf, avgfl, b, k1 = scorer.idf, scorer.avgfl, scorer.B, scorer.K1
            k1_1, one_b, length = k1 + 1, 1 - b, self.lengths(self.reader, fieldname)
            out = {d: idf * ((w * k1_1) / (w + k1 * (one_b + b * length[d] / avgfl)))
                   for d, w in zip(ids, weights)}
        elif hasattr(scorer, "_score"):
            score, length = scorer._score, self.lengths(self.reader, fieldname)
            out = {d: score(w, length[d]) for d, w in zip(ids, weights)}
        else:
            raise Unsupported(f"scorer {type(scorer).__name__}")
        if boost != 1.0:
            out = {d: s * boost for d, s in out.items()}
        return out

    def _phrase(self, node: wq.Phrase, within: Collection[int] | None = None) -> Scores:
        """Documents holding the words in order, each within ``slop`` of the one before;
        scored as Whoosh scores a phrase: the sum of its words' scores, times its boost.

        An exact phrase is first narrowed by the pairs of its adjacent words that the index
        records (``pairs.py``); when those are all its words' pairs and it has two words,
        they are the answer and no position is read."""
        field = self.searcher.schema[node.fieldname] if node.fieldname in self.searcher.schema else None
        if field is None or not field.format or not field.format.supports("positions") \
                or field.format.supports("characters"):
            raise Unsupported("phrase field")
        narrowed, exact = self._pairs(node)
        if narrowed is not None and not narrowed:
            return {}
        reads = []
        for word in node.words:
            read = self._postings(node.fieldname, word, values=not exact)
            if read is None:
                return {}
            reads.append(read)
        common = set(reads[0][0]) if narrowed is None else narrowed
        for ids, *_ in reads[1 if narrowed is None else 0:]:
            common.intersection_update(ids)
        if within is not None:
            # Positions are the cost of a phrase: read them only where the rest of the query
            # (or the filter) already holds.
            common.intersection_update(within)
        if not common:
            return {}
        at = [{d: i for i, d in enumerate(read[0]) if d in common} for read in reads]
        if exact:
            matched = sorted(common)
        else:
            decode = field.format.decoder("positions")
            matched = [d for d in sorted(common)
                       if ordered_match((decode(read[2][where[d]]) for read, where in zip(reads, at)),
                                        node.slop)]
        total: Scores = dict.fromkeys(matched, 0.0)
        for read, where in zip(reads, at):
            ids, weights, btext = read[0], read[1], read[-1]
            part = self._scored(node.fieldname, btext, [ids[where[d]] for d in matched],
                                [weights[where[d]] for d in matched], 1.0)
            for d in matched:
                total[d] += part[d]
        if node.boost != 1.0:
            total = {d: s * node.boost for d, s in total.items()}
        return total

    def _pairs(self, node: wq.Phrase) -> tuple[set[int] | None, bool]:
        """(documents holding every recorded pair of the phrase's adjacent words, or None when
        none is recorded; whether those documents are exactly the phrase's)."""
        twin = PAIR_FIELDS.get(node.fieldname)
        if node.slop != 1 or twin is None or twin[0] not in self.searcher.schema:
            return None, False
        pairs_name, kind = twin
        narrowed: set[int] | None = None
        for first, second in zip(node.words, node.words[1:]):
            if not paired(kind, first, second):
                continue
            read = self._postings(pairs_name, pair_term(first, second))
            ids = set(read[0]) if read is not None else set()
            narrowed = ids if narrowed is None else narrowed & ids
            if not narrowed:
                return set(), True
        return narrowed, narrowed is not None and len(node.words) == 2

    def _constant(self, node: wq.Query) -> Scores:
        """A constant-score query (date ranges): its documents through Whoosh, each scoring
        its boost, as Whoosh's constant-score matcher does."""
        if not getattr(node, "constantscore", False):
            raise Unsupported("scored range")
        matcher = node.matcher(self.searcher, self.searcher.boolean_context())
        docs = list(matcher.all_ids()) if matcher.is_active() else []
        self.deadline()
        return dict.fromkeys(docs, float(node.boost))

    # -- combinations ----------------------------------------------------------------------

    def _not(self, node: wq.Not) -> Scores:
        """Every live document the inner query does not match, scoring 1 (Whoosh's
        InverseMatcher)."""
        excluded = self.run(node.query)
        reader = self.reader
        return {d: 1.0 for d in range(reader.doc_count_all())
                if d not in excluded and not reader.is_deleted(d)}

    def _compound(self, node: wq.CompoundQuery, within: Collection[int] | None = None) -> Scores:
        subs = node.subqueries
        if not subs:
            return {}
        if isinstance(node, wq.Or) and (node.scale or node.minmatch):
            raise Unsupported("scaled or")
        if isinstance(node, wq.And):
            # Narrow with the parts without phrases first, the smallest first; then each part
            # holding a phrase, checked only where the others hold; NOT parts last.
            positive = [q for q in subs if not isinstance(q, wq.Not)]
            cheap = [q for q in positive if not _has_phrase(q)]
            costly = [q for q in positive if _has_phrase(q)]
            result: Scores | None = None
            for part in [*sorted((self.run(q, within) for q in cheap), key=len), *costly]:
                if not isinstance(part, dict):
                    part = self.run(part, within if result is None else result.keys())
                if result is None:
                    result = dict(part)
                else:
                    result = {d: s + part[d] for d, s in result.items() if d in part}
                if not result:
                    return {}
            for q in subs:
                if isinstance(q, wq.Not):
                    excluded = self.run(q.query, None if result is None else result.keys())
                    result = ({d: s + 1.0 for d, s in result.items() if d not in excluded}
                              if result is not None else self._not(q))
            result = result or {}
        else:
            result = {}
            for q in subs:
                for d, s in self.run(q, within).items():
                    result[d] = result.get(d, 0.0) + s
        if node.boost != 1.0:
            result = {d: s * node.boost for d, s in result.items()}
        return result


def _has_phrase(node: wq.Query) -> bool:
    return isinstance(node, wq.Phrase) or any(_has_phrase(q) for q in node.children())


def _leaf(matcher):
    """The block reader under Whoosh's wrappers (a segment with deletions wraps it)."""
    seen = 0
    while not hasattr(matcher, "_read_ids"):
        child = getattr(matcher, "child", None)
        if child is None or seen > 4:
            raise Unsupported(f"posting reader {type(matcher).__name__}")
        matcher, seen = child, seen + 1
    matcher.reset()
    return matcher


def timer(seconds: float, stop: Callable[[], Exception]) -> Callable[[], None]:
    """A ``deadline`` raising ``stop()`` once ``seconds`` have passed."""
    end = time.monotonic() + seconds

    def check() -> None:
        if time.monotonic() > end:
            raise stop()

    return check


def field_lengths(reader, fieldname: str) -> list[int]:
    """The length of ``fieldname`` in each document of a segment, as Whoosh's scorer reads it
    (``doc_field_length``), for every document at once: the lengths column is read whole
    where the segment has one (a new process otherwise spent 0.14 s per search at 10,000
    judgments asking for each length)."""
    count = reader.doc_count_all()
    try:
        from whoosh.codec.whoosh3 import LENGTHS_COLUMN, _lenfield
        from whoosh.util.numeric import byte_to_length

        column = reader._perdoc._cached_reader(_lenfield(fieldname), LENGTHS_COLUMN)
        if column is not None:
            # doc_field_length answers None for a zero byte: no posting has such a document,
            # so any value does.
            table = [byte_to_length(b) if b else 1 for b in range(256)]
            if getattr(column, "_typecode", None) == "B" and hasattr(column, "_dbfile"):
                # One byte per document: read them at once, not one Python call each (the
                # first search of a process spent 70 ms here at 10,000 judgments).
                stored = min(column._count, count)
                raw = column._dbfile.get(column._basepos, stored)
                return [table[b] for b in raw] + [table[column._default]] * (count - stored)
            values = list(column)
            if len(values) == count:
                return [table[v] for v in values]
    except (ImportError, AttributeError):
        pass
    length = reader.doc_field_length
    return [length(d, fieldname, 1) for d in range(count)]


class FieldLengths:
    """``field_lengths`` per segment and field, read once while the segment lives; the
    ``lengths`` argument of ``evaluate``."""

    def __init__(self) -> None:
        self._cache: dict[tuple[str, str], list[int]] = {}

    def __call__(self, reader, fieldname: str) -> list[int]:
        key = (segment_key(reader), fieldname)
        lengths = self._cache.get(key)
        if lengths is None:
            lengths = self._cache[key] = field_lengths(reader, fieldname)
        return lengths

    def keep(self, leaves) -> None:
        """Forget segments that are not among ``leaves`` ((leaf searcher, offset) pairs):
        merged away since."""
        live = {segment_key(sub.reader()) for sub, _ in leaves}
        for key in [k for k in list(self._cache) if k[0] not in live]:
            self._cache.pop(key, None)
