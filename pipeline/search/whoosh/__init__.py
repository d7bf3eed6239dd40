"""The Whoosh engine (``engine.py``) and what makes Whoosh 2.7.4 fast enough for it: pairs of
common terms, integer phrase matching, in-place segment reads, query evaluation and facet counts.
"""

import pipeline.search.language  # noqa: F401 - Whoosh is loaded through it, lightly
