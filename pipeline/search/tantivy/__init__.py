"""The tantivy engine (``engine.py``): the same index and results as Whoosh, for big corpora."""

import pipeline.search.language  # noqa: F401 - Whoosh (the query language) is loaded through it
