"""Ingest on a Dask cluster: extraction and tagging on remote workers, the catalogue here.

``precedents ingest PATH --executor dask --scheduler tcp://HOST:PORT`` plans the run exactly as
a local one (stat, hash, incremental), then sends the files that need parsing to the cluster in
chunks, and the coordinator records each file's outcome exactly as it records a local one: the
catalogue and the index stay in that process, one file at a time, so a killed coordinator loses
nothing it had recorded.

Decisions, and why:

* **The task carries the file's bytes**, not its path. A remote worker cannot be assumed to see
  the coordinator's disk at the same path, and a shared filesystem read at a later moment could
  hand it other bytes than the ones hashed in the plan; bytes make the result a function of its
  input alone. The coordinator checks the bytes it read against the planned SHA-256 (a file
  changed since planning fails, as in a local run). Files over ``max_file_mb`` are not sent: they
  are parsed here in the local sandbox, so a 500 MB scan neither fills the scheduler's memory nor
  fails for being big. Chunks hold at most ``files_per_task`` files and ``task_mb`` of bytes.
* **Tasks are pure and idempotent**: ``extract_chunk(files, options, limits)`` writes the bytes to
  a private temporary folder, parses them and returns the records; it writes nothing anywhere
  else. Its key is derived from the pipeline version, the options, the limits and the files'
  hashes. A task that raised is retried (``retries``); a task whose worker died is re-run by the
  scheduler elsewhere (Dask's ``allowed-failures``); running a chunk twice gives the same records.
* **Per-file limits inside a daemonic worker**: Dask workers are daemonic processes and
  ``multiprocessing`` will not start children from them. ``pipeline.ingest.sandbox`` starts
  its parser processes with ``subprocess`` instead, so each file still runs in its own process
  group under the time limit and the ``RLIMIT_AS`` cap, and a hostile file costs one ``failed``
  line, never the Dask worker. Setting ``distributed.worker.daemon: False`` would have kept
  ``multiprocessing`` but asks every cluster operator for a config change and lets orphaned
  children outlive a killed worker. Each worker thread keeps one parser process alive between
  tasks (``threading.local``), so the spaCy models load once per worker thread, not per task.
* **Memory stays bounded**: at most ``2 x`` the cluster's threads chunks, and about 256 MB of
  file bytes, are in flight; each result is recorded and released before the next chunk's
  bytes are read.
* **JSON and JSONL files are parsed on the coordinator**, a batch of records per unit in the
  local sandbox (``LocalExecutor.sandbox``): a unit is a byte range of the file, and its retry
  record by record needs the file's record offsets, which only that side holds.
* Dask is imported only here and only when this executor runs: ``pip install precedents[dask]``.
"""

from __future__ import annotations

import atexit
import functools
import hashlib
import tempfile
import threading
import warnings
from collections.abc import Generator, Iterator, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from pipeline import __version__
from pipeline.errors import ClusterError, DaskUnavailable
from pipeline.extract import ExtractOptions
from pipeline.ingest.executors.base import PlannedFile, Result
from pipeline.ingest.files import source_key
from pipeline.ingest.sandbox import Sandbox, TaskFailure
from pipeline.ingest.worker import extract_task, task_budget

DEFAULT_FILES_PER_TASK = 8
DEFAULT_TASK_MB = 8       # Dask warns about task graphs over 10 MB
DEFAULT_MAX_FILE_MB = 64  # bigger files are parsed on the coordinator
DEFAULT_RETRIES = 2
#: File bytes sent and not yet answered, at most (besides the chunk count): the coordinator and
#: the scheduler hold them until the results come back.
MAX_IN_FLIGHT = 256 * 1024 * 1024
CONNECT_TIMEOUT = 30.0




@dataclass(frozen=True)
class FilePayload:
    """One file as it crosses the network: its bytes and who it is on the coordinator."""

    key: str      # the source path on the coordinator (error lines name it)
    name: str     # its base name: the extension helps pick the format
    sha256: str
    data: bytes


# -- the worker side -------------------------------------------------------------------------

_local = threading.local()
_boxes: list[Sandbox] = []
_boxes_lock = threading.Lock()


def _thread_sandbox(timeout: float, memory_mb: int) -> Sandbox:
    """This worker thread's parser process, kept between tasks (models load once)."""
    box = getattr(_local, "box", None)
    if box is not None and (box.timeout, box.memory_mb) == (timeout, memory_mb):
        return box
    _drop_thread_sandbox()
    box = Sandbox(extract_task, jobs=1, timeout=timeout, memory_mb=memory_mb,
                  budget=functools.partial(task_budget, timeout))
    _local.box = box
    with _boxes_lock:
        _boxes.append(box)
    return box


def _drop_thread_sandbox() -> None:
    box = getattr(_local, "box", None)
    if box is None:
        return
    box.close()
    _local.box = None
    with _boxes_lock:
        if box in _boxes:
            _boxes.remove(box)


@atexit.register
def _close_sandboxes() -> None:
    with _boxes_lock:
        for box in _boxes:
            box.close()
        _boxes.clear()


def _relabel(result: Any, temp: str, key: str) -> Any:
    """Name the coordinator's path, not the worker's temporary copy, in errors and warnings."""
    if isinstance(result, TaskFailure):
        return replace(result, reason=result.reason.replace(temp, key))
    if result.error:
        result.error = result.error.replace(temp, key)
    for doc in result.documents:
        doc["warnings"] = [w.replace(temp, key) for w in doc.get("warnings", [])]
    return result


def extract_chunk(files: list[FilePayload], options: ExtractOptions, timeout: float,
                  memory_mb: int) -> tuple[str, list[tuple[str, Any]]]:
    """Parse a chunk of files on a Dask worker; return ``(version, [(key, Extracted), ...])``.

    Pure: the result depends on the arguments only, and nothing outside a private temporary
    folder is written, so the scheduler may run it again after a lost worker.
    """
    box = _thread_sandbox(timeout, memory_mb)
    results: dict[str, Any] = {}
    with tempfile.TemporaryDirectory(prefix="precedents-chunk-") as tmp:
        temp_to_key = {}
        tasks = []
        for n, f in enumerate(files):
            folder = Path(tmp) / str(n)
            folder.mkdir()
            path = folder / (Path(f.name).name or "file")
            path.write_bytes(f.data)
            temp_to_key[str(path)] = f.key
            tasks.append((str(path), options))
        try:
            for (temp, _), result in box.run(tasks):
                results[temp_to_key[temp]] = _relabel(result, temp, temp_to_key[temp])
        except BaseException:
            _drop_thread_sandbox()  # a half-run sandbox is not reused
            raise
    return __version__, [(f.key, results[f.key]) for f in files]


def worker_version() -> str:
    """What a worker reports before any work is sent to it."""
    return __version__


# -- the coordinator side --------------------------------------------------------------------

def _import_distributed():
    try:
        import distributed
    except ImportError as exc:
        raise DaskUnavailable("--executor dask needs Dask: pip install 'precedents[dask]'") from exc
    return distributed


class DaskExecutor:
    """Sends chunks of files to a Dask scheduler and yields each file's result as it comes.

    >>> from pathlib import Path
    >>> DaskExecutor("tcp://127.0.0.1:8786").takes(PlannedFile(Path("a.pdf"), 10 << 20, 0, ""))
    True
    """

    def __init__(self, scheduler: Any, *, files_per_task: int = DEFAULT_FILES_PER_TASK,
                 task_mb: float = DEFAULT_TASK_MB, max_file_mb: float = DEFAULT_MAX_FILE_MB,
                 retries: int = DEFAULT_RETRIES, connect_timeout: float = CONNECT_TIMEOUT):
        self.scheduler = scheduler
        self.files_per_task = max(1, files_per_task)
        self.task_bytes = int(task_mb * 1024 * 1024)
        self.max_file_bytes = int(max_file_mb * 1024 * 1024)
        self.retries = retries
        self.connect_timeout = connect_timeout
        self.client = None

    def takes(self, file: PlannedFile) -> bool:
        """Whether ``file`` is sent to the cluster: not when it is over ``max_file_mb``."""
        return file.size <= self.max_file_bytes

    def close(self) -> None:
        if self.client is not None:
            self.client.close()
            self.client = None

    def _connect(self):
        if self.client is not None:
            return self.client
        distributed = _import_distributed()
        where = getattr(self.scheduler, "scheduler_address", self.scheduler)
        try:
            client = distributed.Client(self.scheduler, timeout=self.connect_timeout,
                                        set_as_default=False)
        except (OSError, TimeoutError, ValueError) as exc:
            raise ClusterError(f"cannot reach the Dask scheduler at {where}: "
                               f"{' '.join(str(exc).split())[:200]}") from None
        try:
            client.wait_for_workers(1, timeout=self.connect_timeout)
            versions = client.run(worker_version)
        except TimeoutError:
            client.close()
            raise ClusterError(f"no Dask worker joined {where} within "
                               f"{self.connect_timeout:g} s") from None
        except Exception as exc:  # noqa: BLE001 - a worker without the pipeline, mostly
            client.close()
            raise ClusterError(f"the Dask workers at {where} cannot run precedents "
                               f"({type(exc).__name__}): pip install 'precedents[dask]'=="
                               f"{__version__} on every worker") from None
        wrong = sorted({v for v in versions.values() if v != __version__})
        if wrong:
            client.close()
            raise ClusterError(f"Dask workers at {where} run precedents {', '.join(wrong)}, "
                               f"this coordinator {__version__}: install the same version")
        self.client = client
        return client

    def _chunks(self, planned: Sequence[PlannedFile]) -> Iterator[list[PlannedFile]]:
        chunk: list[PlannedFile] = []
        size = 0
        for p in planned:
            if chunk and (len(chunk) >= self.files_per_task or size + p.size > self.task_bytes):
                yield chunk
                chunk, size = [], 0
            chunk.append(p)
            size += p.size
        if chunk:
            yield chunk

    @staticmethod
    def _payload(planned: PlannedFile) -> FilePayload | TaskFailure:
        try:
            data = Path(planned.path).read_bytes()
        except FileNotFoundError:
            return TaskFailure("file vanished while it was being ingested")
        except OSError as exc:
            return TaskFailure(f"cannot read file ({exc.strerror or exc})")
        if hashlib.sha256(data).hexdigest() != planned.sha256:
            return TaskFailure("file changed while it was being ingested")
        return FilePayload(source_key(planned.path), Path(planned.path).name, planned.sha256, data)

    @staticmethod
    def _key(files: list[FilePayload], options: ExtractOptions, timeout: float,
             memory_mb: int) -> str:
        digest = hashlib.sha256(repr((__version__, options, timeout, memory_mb)).encode())
        for f in files:
            digest.update(f"{f.key}\0{f.sha256}\0".encode("utf-8", "surrogateescape"))
        return f"precedents-extract-{digest.hexdigest()[:32]}"

    def run(self, planned: Sequence[PlannedFile], options: ExtractOptions, timeout: float,
            memory_mb: int) -> Generator[Result, None, None]:
        """Yield ``(planned, Extracted | TaskFailure)`` for every file, in completion order."""
        if not planned:
            return
        distributed = _import_distributed()
        client = self._connect()
        # The coordinator's core count says nothing about a remote worker's.
        options = replace(options, ocr_workers=1)
        threads = sum(client.nthreads().values()) or 1
        limit = max(2, 2 * threads)
        chunks = self._chunks(planned)
        futures = distributed.as_completed(loop=client.loop)
        owners: dict[Any, list[PlannedFile]] = {}
        early: list[Result] = []

        def in_flight_bytes() -> int:
            return sum(p.size for sent in owners.values() for p in sent)

        def fill() -> None:
            while len(owners) < limit and (not owners or in_flight_bytes() < MAX_IN_FLIGHT):
                chunk = next(chunks, None)
                if chunk is None:
                    return
                sent, files = [], []
                for p in chunk:
                    payload = self._payload(p)
                    if isinstance(payload, TaskFailure):
                        early.append((p, payload))
                    else:
                        sent.append(p)
                        files.append(payload)
                if not files:
                    continue
                with warnings.catch_warnings():
                    warnings.filterwarnings("ignore", message=".*large graph.*")
                    future = client.submit(extract_chunk, files, options, timeout, memory_mb,
                                           key=self._key(files, options, timeout, memory_mb),
                                           retries=self.retries, pure=False)
                owners[future] = sent
                futures.add(future)

        fill()
        while early:
            yield early.pop()
        if not owners:
            return
        for future in futures:
            sent = owners.pop(future)
            try:
                version, results = future.result()
            except Exception as exc:  # noqa: BLE001 - KilledWorker, a task that kept raising
                future.release()
                reason = (f"cluster task failed ({type(exc).__name__}: "
                          f"{' '.join(str(exc).split())[:160]})")
                for p in sent:
                    yield p, TaskFailure(reason)
            else:
                future.release()
                if version != __version__:
                    raise ClusterError(f"a Dask worker ran precedents {version}, this "
                                       f"coordinator {__version__}: install the same version")
                by_key = dict(results)
                for p in sent:
                    yield p, by_key[source_key(p.path)]
            fill()
            while early:
                yield early.pop()
