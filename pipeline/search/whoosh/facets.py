"""Facet counts for the Whoosh engine: set intersections per segment, not a lookup per hit.

Whoosh's own grouping (``groupedby``) asks every facet's categorizer for the values of every
hit, in Python, while the hits are scored: at 10,000 judgment-sized documents a query with a
few thousand hits spent most of its time there. Here each segment's facet values are read once
from their posting lists, as {value: frozenset of the segment's document numbers}, and kept for
as long as the segment exists (segments are immutable; a merge makes a new one). Counting a
value is then the size of the intersection of its set with the hits of that segment, which is
done in C. Deleted documents may stay in a cached set: they are never among the hits.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Mapping
from typing import Any

from pipeline.search.base import FACETS
from pipeline.search.facets import facet_field

__all__ = ["FacetCounter", "segment_key"]

#: {facet: [(value, document numbers in the segment having it)]}
SegmentFacets = dict[str, list[tuple[Any, frozenset[int]]]]


class FacetCounter:
    """Counts facet values over a search's hits; one per open index, shared by its searches."""

    def __init__(self) -> None:
        self._segments: dict[str, SegmentFacets] = {}
        self._lock = threading.Lock()

    def count(self, searcher, hits: Mapping[int, Iterable[int]]) -> dict[str, dict[Any, int]]:
        """{facet: {raw value: hits having it}} for ``hits``, {leaf offset: segment docnums}."""
        counts: dict[str, dict[Any, int]] = {name: {} for name in FACETS}
        live = set()
        for subsearcher, offset in searcher.leaf_searchers():
            key = segment_key(subsearcher.reader())
            live.add(key)
            found = hits.get(offset)
            if not found:
                continue
            found = found if isinstance(found, (set, frozenset)) else set(found)
            for name, values in self._facets(key, subsearcher.reader()).items():
                into = counts[name]
                for value, docs in values:
                    n = len(docs & found) if len(docs) < len(found) else len(found & docs)
                    if n:
                        into[value] = into.get(value, 0) + n
        self._forget(live)
        return counts

    def _facets(self, key: str, reader) -> SegmentFacets:
        cached = self._segments.get(key)
        if cached is None:
            cached = _read_segment(reader)
            with self._lock:
                self._segments[key] = cached
        return cached

    def _forget(self, live: set[str]) -> None:
        """Drop segments merged away since (each index generation lists its own)."""
        if len(self._segments) > len(live):
            with self._lock:
                for key in [k for k in self._segments if k not in live]:
                    self._segments.pop(key, None)


def segment_key(reader) -> str:
    """The name of a leaf reader's segment: what per-segment caches are keyed by."""
    segment = reader.segment() if hasattr(reader, "segment") else None
    return segment.segment_id() if segment is not None else str(id(reader))


def _read_segment(reader) -> SegmentFacets:
    """Every facet value of one segment with the documents holding it, from the postings."""
    schema = reader.schema
    out: SegmentFacets = {}
    for name in FACETS:
        fieldname = facet_field(name)
        field = schema[fieldname]
        values = []
        # ``sortable_terms`` leaves out a numeric field's lower-precision range terms.
        for term in field.sortable_terms(reader, fieldname):
            docs = frozenset(reader.postings(fieldname, term).all_ids())
            if docs:
                values.append((field.from_bytes(term), docs))
        out[name] = values
    return out
