"""How an engine's index directory is checked, opened read-only and replaced: one place for both.

The index is derived data. Whoosh and tantivy keep it the same way: a directory per engine with a
``SCHEMA_VERSION`` sidecar; a writer (ingest, reindex, import: under the ingest lock) rebuilds it
from the catalogue when it is missing, was built with another version, cannot be read, or holds
a number of documents the catalogue contradicts; a rebuild writes a fresh directory and swaps it
in only when complete. A reader never rebuilds: it may run beside an ingest, whose open segments
a swap would pull away, and on media it cannot write. It serves the index as it is and says how
far it lags (``lag``); an index it cannot use at all is an IndexError_ naming the command to
run. The engines differ only in how they tell that an index is present and how they open it,
which they pass in. No engine is imported here.
"""

from __future__ import annotations

import shutil
import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from pipeline.catalogue import Catalogue
from pipeline.errors import IndexError_

SIDECAR = "SCHEMA_VERSION"
#: Attempts at opening an index a rebuild may be swapping at that moment.
RETRIES = 4

T = TypeVar("T")


def recorded_version(directory: Path) -> str:
    sidecar = directory / SIDECAR
    return sidecar.read_text().strip() if sidecar.is_file() else "unknown"


def check(directory: Path, version: str, catalogue: Catalogue, *, present: bool,
          open_counted: Callable[[], tuple[T, int]]) -> tuple[T | None, str | None]:
    """The opened index when it can be used as it is, else (None, why it must be rebuilt).

    ``why`` is None for a missing index over an empty catalogue: built without a notice.
    """
    if not present:
        return None, "search index missing" if catalogue.count_documents() else None
    found = recorded_version(directory)
    if found != version:
        return None, f"search index schema version {found}, expected {version}"
    try:
        ix, count = open_counted()
        total = catalogue.count_documents()
        indexed = total - catalogue.count_documents(unindexed_only=True)
    except Exception as exc:  # noqa: BLE001 - any failure to read means damage
        return None, f"search index damaged ({type(exc).__name__})"
    if count < indexed or count > total:
        return None, f"search index holds {count} documents, catalogue {indexed} indexed"
    return ix, None


def open_readonly(directory: Path, version: str, *, present: Callable[[], bool],
                  open_: Callable[[], T]) -> T:
    """Open without ever writing (the web server, beside an ingest): a missing or outdated
    index is an IndexError_ saying what to run; a directory caught mid-swap is retried."""
    fix = f"run `precedents reindex --index {directory.parent}`"
    for attempt in range(RETRIES):
        try:
            if not present():
                raise IndexError_(f"{directory.parent}: no search index here ({fix})")
            found = recorded_version(directory)
            if found != version:
                raise IndexError_(f"{directory.parent}: search index schema version {found}, "
                                  f"expected {version} ({fix})")
            return open_()
        except IndexError_:
            if attempt == RETRIES - 1 or directory.is_dir():
                raise
        except Exception as exc:  # noqa: BLE001 - a rebuild may be swapping directories
            if attempt == RETRIES - 1:
                raise IndexError_(f"{directory.parent}: cannot read the search index "
                                  f"({type(exc).__name__}; {fix})") from exc
        time.sleep(0.05 * 2 ** attempt)
    raise IndexError_(f"{directory.parent}: cannot read the search index ({fix})")


def lag(index_dir: Path, index_count: int, catalogue: Catalogue) -> str | None:
    """Why the index a reader opened disagrees with the catalogue, or None when it agrees.

    Normal for a moment during an ingest (a document is committed to the catalogue before its
    index batch, and ``--prune`` forgets a file before the index does); left behind by a
    killed ``import`` or ingest until the next writing command catches the index up.
    """
    total = catalogue.count_documents()
    unindexed = catalogue.count_documents(unindexed_only=True)
    if unindexed:
        why = f"{unindexed} of its {total} documents are not in the search index yet"
    elif index_count > total or index_count < total - unindexed:
        why = f"the search index holds {index_count} documents, the catalogue {total}"
    else:
        return None
    return (f"{index_dir}: the search index lags the catalogue ({why}); an ingest may be "
            f"running, else run `precedents reindex --index {index_dir}`")


def fresh_directory(index_dir: Path, name: str) -> Path:
    """An empty ``NAME.new`` beside the live index, for a rebuild to fill."""
    fresh = Path(index_dir) / (name + ".new")
    shutil.rmtree(fresh, ignore_errors=True)
    fresh.mkdir(parents=True)
    return fresh


def swap_in(index_dir: Path, name: str, version: str, catalogue: Catalogue) -> Path:
    """Make the filled ``NAME.new`` the live index, then mark every document indexed."""
    directory = Path(index_dir) / name
    fresh = Path(index_dir) / (name + ".new")
    (fresh / SIDECAR).write_text(f"{version}\n")
    old = Path(index_dir) / (name + ".old")
    shutil.rmtree(old, ignore_errors=True)
    if directory.exists():
        directory.rename(old)
    fresh.rename(directory)
    shutil.rmtree(old, ignore_errors=True)
    with catalogue.transaction() as conn:
        conn.execute("UPDATE documents SET indexed=1")
    return directory


#: The smallest rebuild worth analysing in several processes.
REBUILD_PARALLEL_DOCS = 400


def rebuild_procs(documents: int) -> int:
    """Analysing processes for a rebuild, whichever the engine: the cores this process may use,
    at most 4, when the rebuild is large; one inside a daemonic process (a Dask or pool
    worker), which cannot start its own. Analysis in Python is most of a rebuild's time."""
    import multiprocessing

    from pipeline.limits import default_jobs

    if documents < REBUILD_PARALLEL_DOCS or multiprocessing.current_process().daemon:
        return 1
    return min(4, default_jobs())
