"""Default limits on parsing one file, and the cores to use: here, not in ``sandbox`` or
``ingest``, so that the CLI can show them as option defaults, and the search engines size a
rebuild, without importing the process machinery (a search should start fast)."""

import os

#: Seconds any file may take to parse, whatever its size: the base of its time budget
#: (``ingest --timeout``). The budget grows with the size (``time_budget``).
DEFAULT_TIMEOUT = 300.0
#: Input every file may have within the base budget: most judgments are well under it, so
#: their budget is the base alone, as it always was.
FREE_MB = 1.0
#: Seconds of budget added per MiB of input past ``FREE_MB``. Extraction is fast; named-entity tagging is what
#: scales with the text: measured on 1.1 MB of HUDOC English judgments (the slowest language:
#: the Russian and French models are quicker per byte), extraction + structure + legal entities
#: + spaCy NER took 27 s of CPU per MB, and 50 s per MB of wall time on two cores shared with
#: four other busy processes. 60 s per MB covers the contended case with room to spare, and
#: twice the quiet one: a 12.1 MB judgment text gets 300 + 666 s, and took about 600 s there.
SECONDS_PER_MB = 60.0
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
    (300.0, 300.0, 1020.0)
    >>> time_budget(3 * 1024 * 1024, base=10)
    130.0
    """
    return base + per_mb * max(0.0, size_bytes / (1024 * 1024) - FREE_MB)


def describe_budget(seconds: float, size_bytes: int, base: float) -> str:
    """The tail of a timeout line: what the budget was made of and how to raise it.

    >>> describe_budget(420.0, 3 * 1024 * 1024, 300.0)
    'timed out after 420 s (the budget of 3.0 MB: 300 s, plus 60 s per MB past the first); raise it with --timeout SECONDS'
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
