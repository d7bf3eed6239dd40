"""Default limits on parsing one file: here, not in ``sandbox``, so that the CLI can show them
as option defaults without importing the process machinery (a search should start fast)."""

#: Seconds one file may take to parse before its worker is killed.
DEFAULT_TIMEOUT = 300.0
#: Address space one parsing worker may use, in MiB.
DEFAULT_MEMORY_MB = 3072
