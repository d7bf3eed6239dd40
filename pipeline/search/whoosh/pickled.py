"""The module paths a Whoosh index on disk may name its analyzers by.

Whoosh pickles the schema into the index, analyzers included, and a pickle names each class by
its module path at the time the index was written. Indexes written before the analysis and the
pairs fields had their own modules here name ``pipeline.search.analysis`` and
``pipeline.search.whoosh_pairs``; without those names such an index would not open (a reader
would fail, a writer would rebuild it from the catalogue, an hour for a big corpus). ``install``
makes the two names refer to the modules that now hold the same classes. New indexes pickle the
current paths.
"""

from __future__ import annotations

import sys

from pipeline.search.language import analysis
from pipeline.search.whoosh import pairs

__all__ = ["PATHS", "install"]

#: module path an index may name -> the module holding its classes
PATHS = {"pipeline.search.analysis": analysis, "pipeline.search.whoosh_pairs": pairs}


def install() -> None:
    """Let an index's pickled schema find its analyzers under the paths it names (idempotent)."""
    for path, module in PATHS.items():
        sys.modules.setdefault(path, module)
