"""Full-text search over the catalogue. Every Whoosh import lives under this package.

>>> idx = open_index(Path("index"), catalogue)            # doctest: +SKIP
>>> idx.search("пытка", catalogue).hits[0].title          # doctest: +SKIP
"""

from pathlib import Path

from pipeline.search.base import Hit, SearchResults, Snippet
from pipeline.search.whoosh_engine import WhooshIndex

__all__ = ["Hit", "SearchResults", "Snippet", "open_index", "rebuild_index"]


def open_index(index_dir: Path, catalogue, **kwargs) -> WhooshIndex:
    """Open the search index of ``index_dir``, rebuilding it from the catalogue if needed."""
    return WhooshIndex.open(index_dir, catalogue, **kwargs)


def rebuild_index(index_dir: Path, catalogue, **kwargs) -> WhooshIndex:
    """Rebuild the search index from the catalogue, without extraction or NLP."""
    return WhooshIndex.rebuild(index_dir, catalogue, **kwargs)
