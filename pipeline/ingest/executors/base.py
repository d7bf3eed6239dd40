"""What the coordinator asks of an executor, and the typed file it hands one.

An executor parses files somewhere (sandboxed processes here, a Dask cluster) and yields each
file's result as it comes; it never writes to the catalogue or the index, which stay in the
coordinator's process whichever executor ran the parsers.
"""

from __future__ import annotations

from collections.abc import Generator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from pipeline.extract import ExtractOptions
from pipeline.ingest.sandbox import TaskFailure
from pipeline.ingest.worker import Extracted


@dataclass(frozen=True)
class PlannedFile:
    """A file the plan decided to parse, with the stat and hash it was planned with: a file
    whose bytes or stat differ by the time its result is recorded changed under the run."""

    path: Path
    size: int
    mtime_ns: int
    sha256: str


#: One file's result: what its parser returned, or why the executor has none.
Result = tuple[PlannedFile, Extracted | TaskFailure]


class Executor(Protocol):
    """Parses planned files and yields ``(file, result)`` for each, in completion order."""

    def takes(self, file: PlannedFile) -> bool:
        """Whether this executor parses ``file``; one it declines is parsed locally."""
        ...

    def run(self, files: Sequence[PlannedFile], options: ExtractOptions, timeout: float,
            memory_mb: int) -> Generator[Result, None, None]:
        """Parse ``files``, each under ``timeout`` (the base of its time budget) and
        ``memory_mb``; yield every file exactly once. A generator, so that a caller that stops
        early closes it and the executor releases its workers at once."""
        ...

    def close(self) -> None:
        """Release what the executor holds (a cluster connection, say)."""
        ...
