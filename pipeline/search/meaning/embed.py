"""A document's text -> its embedded passages (``DocVectors``), where parsing runs.

Parser workers (local sandboxes and Dask workers alike) call ``embed_document`` on each
document they parse, so a cluster spreads the encoding with the parsing and the coordinator
only stores vectors. Boilerplate repeated within a document or across the documents one
process embeds (the Court's standard paragraphs on just satisfaction, on the general principles
of Article 3, a court's formula on costs) is encoded once: a small per-process cache by
normalised text.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from pipeline.search.meaning import encoder
from pipeline.search.meaning.paragraphs import clip, normalised, passages
from pipeline.search.meaning.store import DocVectors

__all__ = ["embed_document", "embed_texts"]

#: Passages remembered per process by normalised text.
CACHE_SIZE = 20000
_cache: OrderedDict[str, np.ndarray] = OrderedDict()


def embed_texts(texts: Sequence[str]) -> np.ndarray:
    """Unit vectors of ``texts`` (clipped to ``MAX_WORDS``), each distinct normalised text
    encoded once and remembered."""
    keys = [normalised(t) for t in texts]
    missing: dict[str, str] = {}
    for key, text in zip(keys, texts):
        if key not in _cache and key not in missing:
            missing[key] = clip(text)
    if missing:
        vectors = encoder.encode(list(missing.values()))
        for key, vector in zip(missing, vectors):
            _cache[key] = vector
    out = np.zeros((len(texts), encoder.DIM), dtype=np.float32)
    for i, key in enumerate(keys):
        _cache.move_to_end(key)
        out[i] = _cache[key]
    while len(_cache) > CACHE_SIZE:
        _cache.popitem(last=False)
    return out


def embed_document(text: str, paragraphs: Sequence[Mapping[str, Any]] = ()) -> DocVectors:
    """The passages of one document (``paragraphs.passages``) and their vectors."""
    found = passages(text, paragraphs)
    vectors = embed_texts([text[p.start:p.end] for p in found])
    return DocVectors.of(text, [(p.start, p.end) for p in found], [p.number for p in found],
                         vectors)
