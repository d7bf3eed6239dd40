"""The search language both engines share: how text is analysed and how a query is read.

Whoosh's analysis and query parser are that language, whichever engine stores the index:
``analysis`` (analyzers per language), ``schema`` (every field and its analyzer), ``query`` (the
query language, parsed into a Whoosh query tree that each engine runs or translates). So
importing this package loads Whoosh, lightly (``loading``); ``pipeline.search`` itself does not,
and the commands that only read the catalogue never load it.
"""

from pipeline.search.language.loading import install as _import_whoosh_lightly

_import_whoosh_lightly()  # before any module of the language imports Whoosh
