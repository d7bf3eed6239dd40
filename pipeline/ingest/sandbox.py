"""Run each file's parsing in a worker process with a time limit and a memory cap.

A hostile PDF (a decompression bomb, a page that never finishes, a parser crash) must cost one
``failed`` line, not the batch. Workers are long-lived (imports and spaCy models load once per
worker); the parent gives each one file at a time and kills it — with its whole process group,
so a Tesseract child dies too — when the file overruns its deadline, then starts a fresh worker.

Workers are plain child processes of the same interpreter (``subprocess``), talking over a socket
pair with ``multiprocessing``'s framing, not ``multiprocessing.Process``: a Dask worker is a
daemonic process, and ``multiprocessing`` refuses to start children from one, while the Dask
executor needs the same per-file limits as a local run (``executors/dask.py``).

The memory cap is ``RLIMIT_AS`` set inside the worker: past it, allocations fail with
``MemoryError``, which the worker reports as the file's error; if the worker dies instead, the
parent reports the signal.
"""

from __future__ import annotations

import functools
import json
import os
import signal
import socket
import subprocess
import sys
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from multiprocessing.connection import Connection, wait
from typing import Any, cast

from pipeline import limits
from pipeline.limits import DEFAULT_MEMORY_MB, DEFAULT_TIMEOUT


#: Seconds a worker may spend starting (its imports) or in one one-time load (an NLP model, a
#: reference list: ``limits.one_time_load``). Kept apart from a task's budget: ``--timeout`` is
#: for a file's own work, and charging the loads to the first file made good files time out on
#: a loaded machine.
STARTUP_TIMEOUT = 300.0


class _Ready:
    """Sent by a worker once started: the clock of its first task starts then."""


@dataclass
class _Loading:
    """Sent by a worker when a one-time load starts (True) and ends (False): the task's clock
    stops meanwhile."""

    started: bool


@dataclass
class TaskFailure:
    """Why a task produced no result: the sandbox's own verdict, not the task's."""

    reason: str
    #: The seconds the task was allowed, when it failed by running out of them.
    timed_out: float | None = None


def _worker_main(conn: Connection, fn: Callable[[Any], Any], memory_mb: int) -> None:
    os.environ.setdefault("OMP_THREAD_LIMIT", "1")
    os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
    if memory_mb > 0:
        import resource

        limit = memory_mb * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    limits.clock_hook = lambda started: conn.send(_Loading(started))
    try:
        conn.send(_Ready())
    except OSError:
        return
    while True:
        try:
            task = conn.recv()
        except (EOFError, OSError):
            return
        if task is None:
            return
        try:
            result = fn(task)
        except MemoryError:
            result = TaskFailure(f"over the memory cap ({memory_mb} MB)")
        except BaseException as exc:  # noqa: BLE001 - report, never die silently
            result = TaskFailure(f"{type(exc).__name__}: {' '.join(str(exc).split())[:200]}")
        try:
            conn.send(result)
        except MemoryError:
            conn.send(TaskFailure(f"over the memory cap ({memory_mb} MB)"))


def _child_main() -> None:
    """Entry point of a worker process: ``python -c ... <fd> <sys.path as JSON>``."""
    fd = int(sys.argv[1])
    sys.path[:] = json.loads(sys.argv[2])  # the parent's, so its functions can be unpickled
    conn = Connection(fd)
    try:
        fn, memory_mb = conn.recv()
    except (EOFError, OSError):
        return
    except Exception as exc:  # noqa: BLE001 - e.g. a function defined in a script's __main__
        reason = f"the worker cannot load its task function ({type(exc).__name__}: {exc})"
        fn, memory_mb = functools.partial(_refuse, reason), 0
    _worker_main(conn, fn, memory_mb)


def _refuse(reason: str, task: Any) -> TaskFailure:
    return TaskFailure(reason)


_BOOT = "from pipeline.ingest.sandbox import _child_main; _child_main()"


class _Worker:
    def __init__(self, fn: Callable[[Any], Any], memory_mb: int):
        ours, theirs = socket.socketpair()
        try:
            self.process = subprocess.Popen(
                [sys.executable, "-c", _BOOT, str(theirs.fileno()), json.dumps(sys.path)],
                pass_fds=(theirs.fileno(),), stdin=subprocess.DEVNULL, close_fds=True,
                start_new_session=True)  # own process group: killed with what it started
        finally:
            theirs.close()
        self.conn = Connection(ours.detach())
        self.conn.send((fn, memory_mb))
        self.ready = False
        #: While a one-time load runs: the seconds the task had left when it started.
        self.paused: float | None = None
        self.task: Any = None
        self.allowed = 0.0
        self.deadline = 0.0

    @property
    def pid(self) -> int:
        return self.process.pid

    def exitcode(self, wait_s: float = 1.0) -> int | None:
        try:
            return self.process.wait(wait_s)
        except subprocess.TimeoutExpired:
            return None

    def kill(self) -> None:
        try:
            os.killpg(self.process.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass
        self.process.kill()
        self.exitcode(5)
        self.conn.close()

    def stop(self) -> None:
        try:
            self.conn.send(None)
        except (BrokenPipeError, OSError):
            pass
        if self.exitcode(2) is None:
            self.kill()
        else:
            self.conn.close()


class Sandbox:
    """A pool of worker processes that each run ``fn(task)`` under limits.

    ``run`` yields ``(task, result)`` in completion order, where ``result`` is whatever ``fn``
    returned or a ``TaskFailure``. ``fn`` must be a module-level function (it is pickled to
    fresh processes). A sandbox may run several batches: its workers, and whatever they loaded,
    stay up between ``run`` calls until ``close``.

    ``budget(task)`` gives a task's seconds when they depend on the task (its size, say);
    without it every task gets ``timeout``. A worker's start-up and its one-time loads
    (``limits.one_time_load``) count against ``STARTUP_TIMEOUT`` each, not against the task.

    >>> with Sandbox(len, jobs=2, timeout=5) as box:        # doctest: +SKIP
    ...     dict(box.run(["ab", "abc"]))
    {'ab': 2, 'abc': 3}
    """

    def __init__(self, fn: Callable[[Any], Any], *, jobs: int = 1, timeout: float = DEFAULT_TIMEOUT,
                 memory_mb: int = DEFAULT_MEMORY_MB,
                 budget: Callable[[Any], float] | None = None):
        self.fn = fn
        self.jobs = max(1, jobs)
        self.timeout = timeout
        # Seconds a given task may take (a big file more than a small one); runs in this
        # process, never pickled. By default every task gets ``timeout``.
        self.budget = budget or (lambda task: timeout)
        self.memory_mb = memory_mb
        self.workers: list[_Worker] = []
        self.killed = 0

    def __enter__(self) -> Sandbox:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        for worker in self.workers:
            worker.stop()
        self.workers = []

    def _spawn(self) -> _Worker:
        worker = _Worker(self.fn, self.memory_mb)
        self.workers.append(worker)
        return worker

    def _replace(self, worker: _Worker) -> None:
        worker.kill()
        self.workers.remove(worker)
        self.killed += 1

    @staticmethod
    def _clock(worker: _Worker, message: _Ready | _Loading) -> None:
        """Start, stop or restart a busy worker's task clock on what the worker says."""
        now = time.monotonic()
        if isinstance(message, _Ready):
            # Started: the task (sent already, read next) gets its own seconds from now.
            worker.ready = True
            worker.deadline = now + worker.allowed
        elif message.started:
            worker.paused = max(0.0, worker.deadline - now)
            worker.deadline = now + STARTUP_TIMEOUT
        elif worker.paused is not None:
            worker.deadline = now + worker.paused
            worker.paused = None

    def run(self, tasks: Iterable[Any]) -> Iterator[tuple[Any, Any]]:
        """Run ``tasks``; a ``deque`` is consumed in place, so the caller may add tasks to it
        while the run goes on (a failed batch retried in parts, say)."""
        pending = tasks if isinstance(tasks, deque) else deque(tasks)
        for worker in [w for w in self.workers if w.task is not None]:
            self._replace(worker)  # left busy by a run its caller abandoned: its answer is stale
        while len(self.workers) < min(self.jobs, len(pending)):
            self._spawn()
        idle = deque(w for w in self.workers if w.task is None)
        busy: dict[Connection, _Worker] = {}
        while pending or busy:
            while pending and (idle or len(self.workers) < self.jobs):
                worker = idle.popleft() if idle else self._spawn()
                worker.task = pending.popleft()
                worker.allowed = self.budget(worker.task)
                worker.deadline = time.monotonic() + (worker.allowed if worker.ready else STARTUP_TIMEOUT)
                try:
                    worker.conn.send(worker.task)
                except (BrokenPipeError, OSError):
                    task = worker.task
                    self._replace(worker)
                    yield task, TaskFailure("worker process died before it could start")
                    continue
                busy[worker.conn] = worker
            if not busy:
                continue
            soonest = min(w.deadline for w in busy.values())
            ready = wait(list(busy), timeout=max(0.0, soonest - time.monotonic()))
            for ready_conn in ready:
                # ``wait`` hands back the very objects it was given: our Connections.
                conn = cast(Connection, ready_conn)
                worker = busy.pop(conn)
                task, worker.task = worker.task, None
                try:
                    result = conn.recv()
                    if isinstance(result, (_Ready, _Loading)):
                        self._clock(worker, result)
                        worker.task = task
                        busy[conn] = worker
                        continue
                except (EOFError, OSError):
                    code = worker.exitcode(1)
                    self._replace(worker)
                    how = f"killed by signal {-code}" if code and code < 0 else f"exit code {code}"
                    yield task, TaskFailure(f"parser process crashed ({how})")
                    continue
                idle.append(worker)
                yield task, result
            now = time.monotonic()
            for conn, worker in list(busy.items()):
                if worker.deadline <= now:
                    del busy[conn]
                    task = worker.task
                    self._replace(worker)
                    if not worker.ready or worker.paused is not None:
                        what = "start" if not worker.ready else "load its models"
                        yield task, TaskFailure(f"the parser process did not {what} within "
                                                f"{STARTUP_TIMEOUT:g} s (is the machine overloaded?)")
                        continue
                    yield task, TaskFailure(f"timed out after {worker.allowed:g} s",
                                            timed_out=worker.allowed)
