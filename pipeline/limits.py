"""Default limits on parsing one file, and the cores to use: here, not in ``sandbox`` or
``ingest``, so that the CLI can show them as option defaults, and the search engines size a
rebuild, without importing the process machinery (a search should start fast)."""

import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager

#: Seconds any file may take to parse, whatever its size: the base of its time budget
#: (``ingest --timeout``). The budget grows with the size (``time_budget``).
DEFAULT_TIMEOUT = 300.0
#: Input every file may have within the base budget: most judgments are well under it, so
#: their budget is the base alone, as it always was.
FREE_MB = 1.0
#: Seconds of budget added per MiB of input past ``FREE_MB``. Extraction is fast; what scales
#: with the text is the analysis, named-entity tagging most of all. Measured on English HUDOC
#: judgments (the slowest language per byte) on a 2-core machine: 1.1 MB took 27 s of CPU for
#: spaCy NER alone and 50 s of wall time with the cores shared; 12.1 MB of them (one text)
#: needed more than 660 s of CPU, over 55 s per MB: the analysis of one long text grows faster
#: than its size. 120 s per MB is twice that rate: a 12.1 MB judgment gets 300 + 1332 s.
SECONDS_PER_MB = 120.0
#: Address space one parsing worker may use, in MiB.
DEFAULT_MEMORY_MB = 3072


def time_budget(size_bytes: int, base: float = DEFAULT_TIMEOUT,
                per_mb: float = SECONDS_PER_MB) -> float:
    """Seconds a unit of ``size_bytes`` may take: ``base``, plus ``per_mb`` for each MiB past
    the first ``FREE_MB``.

    ``base`` is ``ingest --timeout``: raising it raises every file's budget by as much. There
    is no ceiling: each format bounds the size it reads (``MAX_JSON_BYTES``, the DOCX limits),
    and a JSON file's records are budgeted one unit at a time.

    >>> time_budget(0), time_budget(1024 * 1024), time_budget(13 * 1024 * 1024)
    (300.0, 300.0, 1740.0)
    >>> time_budget(3 * 1024 * 1024, base=10)
    250.0
    """
    return base + per_mb * max(0.0, size_bytes / (1024 * 1024) - FREE_MB)


def describe_budget(seconds: float, size_bytes: int, base: float) -> str:
    """The tail of a timeout line: what the budget was made of and how to raise it.

    >>> print(describe_budget(540.0, 3 * 1024 * 1024, 300.0))  # doctest: +NORMALIZE_WHITESPACE
    timed out after 540 s (the budget of 3.0 MB: 300 s, plus 120 s per MB past the first);
    raise it with --timeout SECONDS
    """
    return (f"timed out after {seconds:.0f} s (the budget of {size_bytes / (1024 * 1024):.1f} MB: "
            f"{base:g} s, plus {SECONDS_PER_MB:g} s per MB past the first); "
            "raise it with --timeout SECONDS")


def default_jobs() -> int:
    """The cores this process may run on (a container's or taskset's share, not the host's)."""
    try:
        return len(os.sched_getaffinity(0)) or 1
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


# -- one-time loads -------------------------------------------------------------------------------
# A file's budget is for the file's own work. Loading an NLP model or a reference list happens
# once per worker process, for whichever file needs it first, and takes seconds (many on a
# loaded machine): charged to that file, it made good files time out under a short --timeout.
# Code that loads such a thing wraps the load in ``one_time_load()``; a sandboxed worker sets
# ``clock_hook`` so that its parent stops the task's clock meanwhile.

#: Called with True when the outermost one-time load starts, False when it ends; None outside
#: a sandboxed worker.
clock_hook: Callable[[bool], None] | None = None
_depth = 0


@contextmanager
def one_time_load() -> Iterator[None]:
    """Around a load done once per process: the time it takes is not the current task's."""
    global _depth
    _depth += 1
    if _depth == 1 and clock_hook is not None:
        clock_hook(True)
    try:
        yield
    finally:
        _depth -= 1
        if _depth == 0 and clock_hook is not None:
            clock_hook(False)
