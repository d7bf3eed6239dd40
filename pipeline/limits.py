"""Default limits on parsing one file, and the cores to use: here, not in ``sandbox`` or
``ingest``, so that the CLI can show them as option defaults, and the search engines size a
rebuild, without importing the process machinery (a search should start fast)."""

import os

#: Seconds one file may take to parse before its worker is killed.
DEFAULT_TIMEOUT = 300.0
#: Address space one parsing worker may use, in MiB.
DEFAULT_MEMORY_MB = 3072


def default_jobs() -> int:
    """The cores this process may run on (a container's or taskset's share, not the host's)."""
    try:
        return len(os.sched_getaffinity(0)) or 1
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1
