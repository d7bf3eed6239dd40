"""The local executor: files parsed in sandboxed processes on this machine.

Each file runs in a worker process under the time budget of its size (``task_budget``) and the
memory cap; a hostile file costs one ``failed`` result, never the run.
"""

from __future__ import annotations

import functools
from collections.abc import Generator, Sequence

from pipeline.extract import ExtractOptions
from pipeline.ingest.executors.base import PlannedFile, Result
from pipeline.ingest.files import source_key
from pipeline.ingest.sandbox import Sandbox
from pipeline.ingest.worker import extract_task, task_budget


class LocalExecutor:
    """Parses files in at most ``jobs`` sandboxed worker processes here.

    >>> from pathlib import Path
    >>> LocalExecutor(jobs=2).takes(PlannedFile(Path("scan.pdf"), 500 << 20, 0, ""))
    True
    """

    def __init__(self, jobs: int):
        self.jobs = max(1, jobs)

    def takes(self, file: PlannedFile) -> bool:
        """Every file: there is nowhere else to send it."""
        return True

    def run(self, files: Sequence[PlannedFile], options: ExtractOptions, timeout: float,
            memory_mb: int) -> Generator[Result, None, None]:
        by_key = {source_key(f.path): f for f in files}
        tasks = [(key, options) for key in by_key]
        if not tasks:
            return
        with self.sandbox(timeout, memory_mb, jobs=min(self.jobs, len(tasks))) as box:
            for task, result in box.run(tasks):
                yield by_key[task[0]], result

    def sandbox(self, timeout: float, memory_mb: int, *, jobs: int | None = None) -> Sandbox:
        """A pool of ``extract_task`` workers for tasks the caller makes itself: the batches
        of a JSON file's records, whose retry one record at a time needs the file's record
        offsets, which only this machine holds."""
        return Sandbox(extract_task, jobs=jobs or self.jobs, timeout=timeout,
                       memory_mb=memory_mb, budget=functools.partial(task_budget, timeout))

    def close(self) -> None:
        """Nothing to release: each ``run`` closes its own workers."""
