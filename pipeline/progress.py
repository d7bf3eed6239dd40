"""Progress of long work as plain lines, for when stderr is a log file or a pipe.

A terminal gets Rich's bar (``cli._progress``); a log gets a line per stage every few seconds
and one when the stage ends, with counts and the rate, e.g.
``Extracting: 1,240 of 1,850 files (67%), 4.1 files/s, 302 s``. It has the part of Rich's
``Progress`` interface the commands use (``add_task``, ``update``, a context manager), so a
command draws either without knowing which. Lines hold counts only, never file names or text.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from types import TracebackType


@dataclass
class _Stage:
    description: str
    total: int | None
    started: float
    completed: int = 0
    printed_at: float = 0.0
    finished: bool = False


@dataclass
class LineProgress:
    """Print ``description: done of total unit (pct), rate, elapsed`` at most every ``interval``
    seconds per stage, and once when a stage reaches its total. ``write`` None prints nothing."""

    write: Callable[[str], object] | None
    unit: str = "files"
    interval: float = 10.0
    clock: Callable[[], float] = time.monotonic
    _stages: list[_Stage] = field(default_factory=list)

    def __enter__(self) -> LineProgress:
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        if kind is None:
            for stage in self._stages:
                if not stage.finished and stage.completed:
                    self._print(stage, self.clock())

    def add_task(self, description: str, total: int | None = None) -> int:
        now = self.clock()
        self._stages.append(_Stage(description, total, started=now, printed_at=now))
        return len(self._stages) - 1

    def update(self, task_id: int, *, completed: int | None = None,
               total: int | None = None) -> None:
        stage = self._stages[task_id]
        if total is not None:
            stage.total = total
        if completed is not None:
            stage.completed = completed
        now = self.clock()
        done = stage.total is not None and stage.completed >= stage.total > 0
        if done and not stage.finished:
            stage.finished = True
            self._print(stage, now)
        elif not done and now - stage.printed_at >= self.interval:
            self._print(stage, now)

    def _print(self, stage: _Stage, now: float) -> None:
        stage.printed_at = now
        if self.write is None:
            return
        elapsed = now - stage.started
        count = f"{stage.completed:,}"
        if stage.total:
            count += f" of {stage.total:,} {self.unit} ({100 * stage.completed // stage.total}%)"
        else:
            count += f" {self.unit}"
        rate = f", {stage.completed / elapsed:.1f} {self.unit}/s" if elapsed > 0 else ""
        self.write(f"{stage.description}: {count}{rate}, {elapsed:.0f} s")
