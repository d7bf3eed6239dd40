"""The ingest coordinator: files on disk -> catalogue (source of truth) -> search index.

Incremental by design: an unchanged file costs a ``stat``; a touched file with the same bytes
costs a hash; only new or changed files are parsed, each in a sandboxed worker process. Every
file's outcome is committed to the catalogue on its own, so a killed run loses nothing it
finished; the index is committed in batches and anything the catalogue has but the index lacks
(``indexed = 0``) is indexed first on the next run. Parsing runs wherever the ``Executor`` sends
it (sandboxed processes here, or a Dask cluster); the catalogue and the index are written in
this process only, either way through ``_Run._record``.
"""

from __future__ import annotations

import fcntl
import hashlib
import os
import re
import stat as stat_mode
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from contextlib import closing, contextmanager, nullcontext
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pipeline import __version__
from pipeline.catalogue import (IMPORTED_SCHEME, Catalogue, Document, Source, document_keys, now,
                                 require_writable)
from pipeline.errors import Busy, PipelineError
from pipeline.extract import ExtractOptions
from pipeline.extract.jsonrecords import RecordKeys, no_text_error
from pipeline.extract.ocr import available as ocr_available
from pipeline.ingest.dedup import Fingerprints, settle
from pipeline.ingest.executors import Executor, LocalExecutor, PlannedFile, choose
from pipeline.ingest.files import (file_kind, printable, safe_format, scan, sha256_file, slugify,
                                   source_key, storable, why_unreadable)
from pipeline.ingest.sandbox import Sandbox, TaskFailure
from pipeline.ingest.worker import Extracted, RecordSpans
from pipeline.limits import DEFAULT_MEMORY_MB, DEFAULT_TIMEOUT, default_jobs, describe_budget
from pipeline.models import ExtractedText
from pipeline.search import open_index
from pipeline.search.indexer import Indexer

if TYPE_CHECKING:
    from pipeline.search.meaning.writer import Writer

#: Stored with every source; a different version re-processes the file on the next ingest.
PIPELINE_VERSION = __version__
ID_PATTERN = re.compile(r"^[A-Za-z0-9_-]+$")


@dataclass
class FileOutcome:
    """One line of the ingest report: ``status`` is a catalogue status or ``unchanged``."""

    path: str
    status: str
    error: str | None = None
    ids: list[str] = field(default_factory=list)
    format: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {"path": self.path, "id": self.ids[0] if self.ids else None, "ids": self.ids,
                "status": self.status, "format": self.format, "error": self.error}


@dataclass
class IngestReport:
    outcomes: list[FileOutcome] = field(default_factory=list)
    pruned: list[str] = field(default_factory=list)
    seconds: float = 0.0
    #: copy id -> the id it is shown as, for the documents of this run that are copies of one
    #: judgment shown under another document's id (``dedup.py``).
    merged: dict[str, str] = field(default_factory=dict)
    # path -> position in ``outcomes``: a scan over the list per file made a 10,000-file
    # rerun quadratic (seconds spent comparing paths).
    _position: dict[str, int] = field(default_factory=dict, repr=False, compare=False)

    def add(self, outcome: FileOutcome) -> None:
        """Record a file's outcome; a later outcome for the same path replaces the earlier one."""
        i = self._position.get(outcome.path)
        if i is not None and i < len(self.outcomes) and self.outcomes[i].path == outcome.path:
            self.outcomes[i] = outcome
            return
        self._position[outcome.path] = len(self.outcomes)
        self.outcomes.append(outcome)

    def count(self, *statuses: str) -> int:
        return sum(1 for o in self.outcomes if o.status in statuses)

    @property
    def failed(self) -> int:
        return self.count("failed", "unsupported")

    def to_json(self) -> dict[str, Any]:
        return {
            "ingested": self.count("ok"),
            "unchanged": self.count("unchanged"),
            "failed": self.failed,
            "needs_ocr": self.count("needs-ocr"),
            "duplicates": self.count("duplicate"),
            "pruned": len(self.pruned),
            "seconds": round(self.seconds, 2),
            "documents": [{**o.to_json(), "shown_as": {i: self.merged[i] for i in o.ids if i in self.merged}}
                          for o in self.outcomes],
        }

@contextmanager
def ingest_lock(index_dir: Path, action: str = "ingest into it", *,
                wait: float = 0.0) -> Iterator[None]:
    """One writer per index: a second ingest is told so at once instead of corrupting it.
    An index that cannot be written is refused first, in one line naming the ``action``.

    ``wait`` seconds are spent trying again first (an upload from the page waits for the one
    before it rather than fail at once); then ``Busy``, which the page answers with 503."""
    require_writable(index_dir, action)
    index_dir.mkdir(parents=True, exist_ok=True)
    deadline = time.monotonic() + wait
    with (index_dir / "ingest.lock").open("w") as fh:
        while True:
            try:
                fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    raise Busy(f"{index_dir}: another ingest is writing to this index; "
                               "wait for it to finish") from None
                time.sleep(min(0.2, max(0.0, deadline - time.monotonic())))
        yield


Progress = Callable[[str, int, int], None]


def ingest(
    paths: Iterable[Path],
    index_dir: Path,
    *,
    prune: bool = False,
    jobs: int | None = None,
    timeout: float = DEFAULT_TIMEOUT,
    memory_mb: int = DEFAULT_MEMORY_MB,
    options: ExtractOptions | None = None,
    batch_docs: int = 200,
    progress: Progress | None = None,
    notice: Callable[[str], None] = lambda m: None,
    engine: str | None = None,
    executor: str | Executor = "local",
    scheduler: str | None = None,
    meaning: bool | None = None,
    locked: bool = False,
) -> IngestReport:
    """Bring the catalogue and index of ``index_dir`` up to date with the files under ``paths``.

    ``engine`` ("whoosh" or "tantivy") chooses the search engine of a new index; an existing
    index keeps its own, and naming another one is an error (switch with ``reindex``).
    ``executor="local"`` parses in ``jobs`` sandboxed processes here; ``executor="dask"`` sends
    the files to the Dask scheduler at ``scheduler`` (``executors/dask.py``), or pass an
    ``Executor`` (a tuned ``DaskExecutor``, say). Files it declines, and the records of JSON
    files, are parsed here. Either way the catalogue and the index are written here only.
    ``meaning=True`` gives the index a meaning layer (``search/meaning/``), which later runs
    keep up to date by themselves; ``None`` keeps what the index has, and gives a new index the
    layer (``meaning_by_default``); ``False`` leaves it out of this run. The workers embed.

    ``locked=True`` when the caller already holds ``ingest_lock`` (an upload, which then
    forgets the files refused, in the same hold).
    """
    started = time.perf_counter()
    index_dir = Path(index_dir)
    jobs = jobs or default_jobs()
    chosen = choose(executor, scheduler, jobs=jobs)
    local = chosen if isinstance(chosen, LocalExecutor) else LocalExecutor(jobs)
    options = options or ExtractOptions()
    if not options.ocr_workers:
        options = replace(options, ocr_workers=max(1, (os.cpu_count() or 1) // jobs))
    report = IngestReport()
    progress = progress or (lambda stage, done, total: None)
    with nullcontext() if locked else ingest_lock(index_dir):
        catalogue = Catalogue.open(index_dir)
        layer = None
        try:
            search_index = open_index(index_dir, catalogue, notice=notice, engine=engine)
            layer = _meaning_writer(index_dir, catalogue, meaning, notice)
            options = replace(options, meaning=layer is not None)
            indexer = Indexer(search_index, catalogue, batch_docs, meaning=layer)
            try:
                run = _Run(catalogue, indexer, report, options, notice)
                run.catch_up()
                if prune:
                    run.prune()
                todo = run.plan(scan(paths, notice), progress, known=catalogue.sources_by_path(),
                                known_ids=catalogue.document_ids_by_source())
                run.process(todo, chosen, local, timeout=timeout, memory_mb=memory_mb,
                            progress=progress)
                indexer.commit()
                report.merged = catalogue.merged_into(i for o in report.outcomes for i in o.ids)
            except BaseException:
                indexer.cancel()
                raise
        finally:
            if layer is not None:
                layer.close()
            catalogue.close()
            if chosen is not executor:
                chosen.close()
    report.seconds = time.perf_counter() - started
    return report


def meaning_by_default() -> bool:
    """Whether a new index gets the meaning layer: yes where the encoder is installed, unless
    the environment says ``PRECEDENTS_MEANING=off`` (a machine too slow to embed, or a test
    suite that measures other things)."""
    from pipeline.search.meaning.encoder import available

    if os.environ.get("PRECEDENTS_MEANING", "on").strip().lower() in ("off", "0", "no", "false"):
        return False
    return available()


def _meaning_writer(index_dir: Path, catalogue: Catalogue, wanted: bool | None,
                    notice: Callable[[str], None]) -> Writer | None:
    """The meaning layer's writer: always when the index has the layer (it never falls behind
    the word index), and when ``wanted`` asks for it.

    ``wanted=None`` gives a new (empty) index the layer unless ``PRECEDENTS_MEANING=off``: a
    lawyer's Russian query finds English judgments only through it, and an empty index has
    nothing to embed after the fact. An index built without it is not given one behind the
    user's back (embedding a big catalogue takes long): the notice says how.
    """
    from pipeline.search.meaning.store import MeaningStore

    if not MeaningStore.present(index_dir) and not wanted:
        if wanted is False:
            return None
        if not meaning_by_default():
            return None
        if catalogue.count_documents():
            notice("this index has no meaning layer: a search in one language will not find "
                   f"documents in another (build it: precedents reindex --meaning --index "
                   f"{index_dir})")
            return None
    from pipeline.search.meaning.writer import open_writer

    return open_writer(index_dir, catalogue, notice=notice)


@dataclass
class _Refusal:
    """A file its parser refused (failed, unsupported, needs OCR), kept for its copies."""

    planned: PlannedFile
    status: str
    reason: str  # the error without the leading "path: "
    format: str | None

    def holds_for(self, copy: Path) -> bool:
        """Whether a copy with the same bytes would fare the same: the refused file is still
        as it was parsed (not vanished or changed mid-run, which says nothing of its bytes),
        and the picker, which also reads the name's extension, chooses the same format."""
        try:
            st = self.planned.path.stat()
        except OSError:
            return False
        if (st.st_size, st.st_mtime_ns) != (self.planned.size, self.planned.mtime_ns):
            return False
        return safe_format(copy) == self.format


class _Run:
    """The state of one ingest run (kept apart from ``ingest`` to keep each step small)."""

    def __init__(self, catalogue: Catalogue, indexer: Indexer, report: IngestReport,
                 options: ExtractOptions, notice: Callable[[str], None]):
        self.catalogue = catalogue
        self.indexer = indexer
        self.report = report
        self.options = options
        self.notice = notice
        self.requeue: list[Path] = []
        # sha256 -> how a file with those bytes ended when its parser refused it in this run,
        # so its identical copies get the same line without being parsed again.
        self.refused: dict[str, _Refusal] = {}
        self.force: set[str] = set()  # paths to re-parse even if their stat is unchanged
        # An id made from a file name -> the planned file that takes it if two names collide:
        # the first in plan order, so ids do not depend on which parser finishes first.
        self.claims: dict[str, str] = {}
        self.fingerprints: Fingerprints = {}  # texts compared for sameness in this run

    # -- writing: the catalogue first, then which copies are one judgment, then the index -----

    def catch_up(self) -> None:
        """Finish what a killed run left: documents in the catalogue but not the index, and
        copies whose merge was recorded but not yet carried to the index."""
        pending = self.catalogue.unindexed_ids()
        upgraded = self.catalogue.keys_to_settle()
        if pending or upgraded:
            keys = self.catalogue.keys_of(pending) | upgraded
            settled = settle(self.catalogue, keys, self.fingerprints)
            self.indexer.hide(sorted(set(settled.hide) | set(self.catalogue.merged_into(pending))))
            self.indexer.upsert(settled.show)
        self.indexer.upsert(self.catalogue.iter_documents(unindexed_only=True))
        self.indexer.commit()
        if upgraded:
            self.catalogue.settled_all()

    def _store(self, source: Source, documents: Iterable[Document] = ()) -> None:
        """Record ``source`` with ``documents`` in place of its earlier ones, settle which
        documents are copies of one judgment, and bring the index along: removed and merged
        documents out, the shown ones in."""
        documents = list(documents)
        old_keys = self.catalogue.keys_of(source=source.path)
        self.indexer.delete(self.catalogue.record_source(source, documents))
        self._settle(old_keys, documents)

    def _add(self, path: str, documents: list[Document]) -> None:
        """``_store`` for a further batch of a file's records, beside its earlier ones."""
        self.catalogue.add_documents(path, documents)
        self._settle(set(), documents)

    def _settle(self, keys: set[str], documents: list[Document]) -> None:
        """The documents just stored are new rows, never merged before: any of them found to
        be a copy is among ``hide``."""
        keys = keys | {k for doc in documents for k in document_keys(doc)}
        settled = settle(self.catalogue, keys, self.fingerprints) if keys else None
        if settled is None:
            self.indexer.upsert(documents)
            return
        self.indexer.hide(settled.hide)
        skip = set(settled.hide) | {d.id for d in settled.show}  # ``show`` has them with their copies
        self.indexer.upsert([d for d in documents if d.id not in skip])
        self.indexer.upsert(settled.show)

    # -- deciding what to do ---------------------------------------------------------------

    def prune(self) -> None:
        """Drop catalogue entries whose files are gone; re-process copies they stood for.

        Documents imported from a bundle (``bundle://...``) have no file on this disk by
        design: they are never pruned (remove them by re-importing or rebuilding the catalogue).
        """
        for source in list(self.catalogue.sources()):
            if source.path.startswith(IMPORTED_SCHEME) or Path(source.path).exists():
                continue
            dups = self.catalogue.duplicates_of(source.path)
            keys = self.catalogue.keys_of(source=source.path)
            self.indexer.delete(self.catalogue.remove_source(source.path))
            self._settle(keys, [])  # a copy merged into its document is shown again
            self.report.pruned.append(source.path)
            self.requeue += [Path(d.path) for d in dups]

    def _fail(self, path: str, status: str, error: str, fmt: str | None = None,
              stat: tuple[int, int] | None = None, sha: str | None = None,
              timings: dict[str, float] | None = None) -> None:
        size, mtime = stat or (None, None)
        self._store(Source(
            path=path, sha256=sha, size=size, mtime_ns=mtime, format=fmt, status=status,
            error=error, timings=timings or {}, pipeline_version=PIPELINE_VERSION))
        self.report.add(FileOutcome(path, status, error, format=fmt))

    def plan(self, files: Iterable[Path | tuple[Path, os.stat_result | OSError | None]],
             progress: Progress, *, known: dict[str, Source] | None = None,
             known_ids: dict[str, list[str]] | None = None,
             twins: bool = True) -> list[PlannedFile]:
        """Stat every file; return those that need parsing. Unchanged files end here.

        ``files`` are paths or ``scan`` pairs (path, stat already taken). ``known`` and
        ``known_ids`` are the catalogue read in one query each before the loop, valid because
        planning writes only the row of the file at hand; without them (the later rounds,
        after parsing changed rows) each file's row is read as it comes. With ``twins`` a file
        whose bytes another file in this plan has waits for that file's outcome (``requeue``);
        without, it is parsed too (the last round: no file may go without its line).
        """
        todo: list[PlannedFile] = []
        seen_sha: dict[str, str] = {}
        seen_path: set[str] = set()
        entries = [f if isinstance(f, tuple) else (f, None) for f in files]
        total = len(entries)
        ocr_now = ocr_available()
        for n, (file, st) in enumerate(entries, 1):
            if n == 1 or n == total or n % 100 == 0:
                progress("scan", n, total)  # every file would cost more than the stat itself
            path = source_key(file)
            if path in seen_path:
                continue  # named twice (a folder and a file in it): one decision is enough
            seen_path.add(path)
            if not storable(path):
                shown = printable(path)
                self.report.add(FileOutcome(shown, "failed", f"{shown}: the file name is not valid "
                                            "UTF-8; rename the file to ingest it"))
                continue
            if isinstance(st, OSError):
                # A folder that cannot be listed: reported, not catalogued (it is no source).
                self.report.add(FileOutcome(path, "failed", f"{path}: cannot read folder "
                                            f"({st.strerror or st})"))
                continue
            if st is None:
                try:
                    st = file.stat()
                except OSError as exc:
                    self._fail(path, "failed", f"{path}: {why_unreadable(file, exc)}")
                    continue
            if not stat_mode.S_ISREG(st.st_mode):
                self._fail(path, "failed", f"{path}: not a regular file ({file_kind(st.st_mode)})")
                continue
            old = known.get(path) if known is not None else self.catalogue.source(path)
            retry_ocr = old is not None and old.status == "needs-ocr" and ocr_now
            same_version = old is not None and old.pipeline_version == PIPELINE_VERSION
            fresh = path not in self.force and old is not None and same_version and not retry_ocr
            if fresh and old is not None and (old.size, old.mtime_ns) == (st.st_size, st.st_mtime_ns):
                self._unchanged(old, known_ids)
                continue
            try:
                sha = sha256_file(file)
            except OSError as exc:
                self._fail(path, "failed", f"{path}: cannot read file ({exc.strerror or exc})")
                continue
            if fresh and old is not None and old.sha256 == sha:
                self.catalogue.touch_source(path, st.st_size, st.st_mtime_ns)
                self._unchanged(old, known_ids)
                continue
            planned = PlannedFile(file, st.st_size, st.st_mtime_ns, sha)
            if old and old.status == "ok" and old.sha256 != sha:
                # Its copies elsewhere still hold the old bytes: one of them becomes the primary.
                self.requeue += [Path(d.path) for d in self.catalogue.duplicates_of(path)]
            primary = self.catalogue.ok_source_with_sha(sha, exclude=path)
            if primary is not None and Path(primary.path).exists():
                self._duplicate(planned, primary.path)
                continue
            refusal = self.refused.get(sha)
            if refusal is not None and refusal.holds_for(file):
                self._refused_copy(planned, refusal)
                continue
            if sha in seen_sha and twins:
                self.requeue.append(file)  # decided after its twin is parsed
                continue
            seen_sha[sha] = path
            todo.append(planned)
        return todo

    def _unchanged(self, old: Source, known_ids: dict[str, list[str]] | None = None) -> None:
        if known_ids is not None:
            ids = list(known_ids.get(old.path, []))
        else:
            ids = list(self.catalogue.ids_for_source(old.path).values())
        self.report.add(FileOutcome(old.path, "unchanged", old.error, ids, old.format))

    def _duplicate(self, planned: PlannedFile, primary: str) -> None:
        path = source_key(planned.path)
        primary_source = self.catalogue.source(primary)
        fmt = primary_source.format if primary_source else safe_format(planned.path)
        self._store(Source(
            path=path, sha256=planned.sha256, size=planned.size, mtime_ns=planned.mtime_ns,
            format=fmt, status="duplicate", duplicate_of=primary,
            pipeline_version=PIPELINE_VERSION))
        ids = list(self.catalogue.ids_for_source(primary).values())
        self.report.add(FileOutcome(path, "duplicate", None, ids, fmt))

    def _refused_copy(self, planned: PlannedFile, refusal: _Refusal) -> None:
        """A copy of a file its parser refused: the same status and reason, under its own name."""
        path = source_key(planned.path)
        first = source_key(refusal.planned.path)
        self._fail(path, refusal.status, f"{path}: {refusal.reason} (same bytes as {first})",
                   refusal.format, (planned.size, planned.mtime_ns), planned.sha256)

    # -- parsing -------------------------------------------------------------------------------

    def process(self, todo: list[PlannedFile], executor: Executor, local: LocalExecutor, *,
                timeout: float, memory_mb: int, progress: Progress) -> None:
        """Parse ``todo`` and record each file's outcome as its result comes: whole files
        through ``executor``, those it declines and the records of JSON files through
        ``local``; then the copies and twins that waited on them, round after round."""
        self.timeout = timeout
        rounds = 0
        while True:
            if todo:
                by_path = {source_key(p.path): p for p in todo}
                self.claims = {}
                for path in by_path:
                    self.claims.setdefault(slugify(Path(path).stem), path)
                # JSON files are parsed a batch of records at a time, here (``_records``).
                formats = {path: safe_format(p.path) for path, p in by_path.items()}
                many = [p for path, p in by_path.items() if formats[path] == "json"]
                whole = [p for path, p in by_path.items() if formats[path] != "json"]
                done = 0

                def step() -> None:
                    nonlocal done
                    done += 1
                    progress("parse", done, len(by_path))

                there = [p for p in whole if executor.takes(p)]
                here = [p for p in whole if not executor.takes(p)]
                for where, files in ((executor, there), (local, here)):
                    with closing(where.run(files, self.options, timeout, memory_mb)) as results:
                        for planned, result in results:
                            self._record(planned, result)
                            step()
                if many:
                    with local.sandbox(timeout, memory_mb) as box:
                        self._records(box, many, step)
            # Copies whose primary vanished or changed, and twins found in this run, are
            # decided now that the files they depend on are settled.
            again, self.requeue = self.requeue, []
            rounds += 1
            if not again:
                break
            self.force.update(source_key(p) for p in again)
            # Twins settle in the round after their first copy; a fourth round only comes
            # from copies that keep changing, and then parses them all rather than drop one.
            todo = self.plan(again, lambda *a: None, twins=rounds < 3)
            if rounds >= 6:  # never reached in practice: a bound, not a policy
                for file in [p.path for p in todo] + self.requeue:
                    path = source_key(file)
                    self._fail(path, "failed", f"{path}: not settled in this run (its identical "
                               "copies kept changing); run ingest again")
                break

    def _records(self, box: Sandbox, planned: list[PlannedFile], step: Callable[[], None]) -> None:
        """Parse JSON files one batch of records at a time, each batch a unit with its own
        limits; a batch the sandbox failed (time, memory, crash) is retried one record at a
        time, so a bad record fails alone. Batches are written in file order as they complete:
        a file of a million records never sits whole in this process."""
        files = {source_key(p.path): _RecordFile(p) for p in planned}
        units: deque = deque()
        for task, result in box.run([(key, self.options, None) for key in files]):
            state = files[task[0]]
            if isinstance(result, RecordSpans):
                state.existing = self.catalogue.ids_for_source(task[0])
                state.plan(result, task[0], self.options, units)
                if not state.batches:
                    self._finish_records(state)
                    step()
            else:
                self._record(state.planned, result)
                step()
        for task, result in box.run(units):
            key, (first, starts, _) = task[0], task[2]
            state = files[key]
            index = state.batch_of[(first, len(starts))]
            if isinstance(result, TaskFailure) and len(starts) > 1:
                for n in range(len(starts)):  # ahead of the queue: the file waits on them
                    units.appendleft((key, self.options, (first + n, starts[n:n + 1],
                                                          task[2][2][n:n + 1])))
                    state.batch_of[(first + n, 1)] = index
                state.waiting[index] = len(starts)
                continue
            state.collect(index, first, result, self._reason(state.planned, result, len(starts)))
            while state.next in state.complete:
                self._write_records(state, state.complete.pop(state.next))
                state.next += 1
            if state.next == len(state.batches):
                self._finish_records(state)
                step()

    def _reason(self, planned: PlannedFile, result: Any, size: int) -> str | None:
        return self._failure(result, size) if isinstance(result, TaskFailure) else None

    def _failure(self, result: TaskFailure, size: int) -> str:
        if result.timed_out is not None:
            return describe_budget(result.timed_out, size, self.timeout)
        return result.reason

    def _write_records(self, state: _RecordFile, payload: list[dict[str, Any]]) -> None:
        path = source_key(state.planned.path)
        found = []
        for data in payload:
            number = data.pop("record_number")
            if "record" not in data:
                state.empty += data["empty"]
                continue
            data["record_key"] = state.keys.assign(data["record_key"], number - 1)
            found.append(data)
        if not found:
            return
        documents = self._documents(path, found, existing=state.existing, used=state.used)
        state.ids += [d.id for d in documents]
        if not state.started:
            # Recorded without its size and hash until the last batch: a run killed half-way
            # leaves a file that the next run parses again.
            # The file's earlier documents leave the index now; those that come back in a
            # later batch are added again with it.
            self._store(Source(
                path=path, sha256=None, size=None, mtime_ns=None, format="json", status="ok",
                error="partly ingested", pipeline_version=PIPELINE_VERSION), documents)
            state.started = True
        else:
            self._add(path, documents)

    def _finish_records(self, state: _RecordFile) -> None:
        planned = state.planned
        path = source_key(planned.path)
        stat = (planned.size, planned.mtime_ns)
        errors = sorted(state.errors)
        if not state.ids:
            if errors:
                error = f"{path}: " + _record_errors(errors, 0)
            else:
                error = str(no_text_error(path, state.empty))
            self._fail(path, "failed", error, "json", stat, planned.sha256)
            return
        try:
            st = planned.path.stat()
        except FileNotFoundError:
            st = None
        if st is None or (st.st_size, st.st_mtime_ns) != stat:
            how = "vanished" if st is None else "changed"
            self._fail(path, "failed", f"{path}: file {how} while it was being ingested", "json",
                       None if st else stat, None if st else planned.sha256)
            return
        lost = f"{path}: " + _record_errors(errors, len(state.ids)) if errors else None
        self.catalogue.update_source(Source(
            path=path, sha256=planned.sha256, size=planned.size, mtime_ns=planned.mtime_ns,
            format="json", status="ok", error=lost, pipeline_version=PIPELINE_VERSION,
            processed_at=now()))
        self.report.add(FileOutcome(path, "failed" if errors else "ok", lost, state.ids, "json"))

    def _record(self, planned: PlannedFile, result: Extracted | TaskFailure) -> None:
        path = source_key(planned.path)
        stat = (planned.size, planned.mtime_ns)
        if isinstance(result, TaskFailure):
            fmt = safe_format(planned.path)
            reason = self._failure(result, planned.size)
            self._fail(path, "failed", f"{path}: {reason}", fmt, stat, planned.sha256)
            self.refused[planned.sha256] = _Refusal(planned, "failed", reason, fmt)
            return
        if result.status != "ok":
            error = result.error or result.status
            self._fail(path, result.status, error, result.format, stat, planned.sha256,
                       result.timings)
            reason = error[len(path) + 2:] if error.startswith(f"{path}: ") else error
            self.refused[planned.sha256] = _Refusal(planned, result.status, reason, result.format)
            return
        try:
            st = planned.path.stat()
        except FileNotFoundError:
            self._fail(path, "failed", f"{path}: file vanished while it was being ingested",
                       result.format, stat, planned.sha256)
            return
        if (st.st_size, st.st_mtime_ns) != stat:
            # Changed under our feet: keep nothing half-true; the next run takes the new bytes.
            self._fail(path, "failed", f"{path}: file changed while it was being ingested",
                       result.format, None, None)
            return
        documents = self._documents(path, result.documents)
        self._store(Source(
            path=path, sha256=planned.sha256, size=planned.size, mtime_ns=planned.mtime_ns,
            format=result.format, status="ok", timings=result.timings,
            pipeline_version=PIPELINE_VERSION, processed_at=now()), documents)
        self.report.add(FileOutcome(path, "ok", None, [d.id for d in documents],
                                                result.format))

    def _documents(self, path: str, payload: list[dict[str, Any]], *,
                   existing: dict[str | None, str] | None = None,
                   used: set[str] | None = None) -> list[Document]:
        """Documents with their ids: the ids they had (``existing``) where their keys match,
        never one of ``used`` (the ids this file's earlier batches took)."""
        if existing is None:
            existing = self.catalogue.ids_for_source(path)
        used = set() if used is None else used
        stem = slugify(Path(path).stem)
        suffix = hashlib.sha1(path.encode("utf-8", "surrogateescape")).hexdigest()[:6]
        documents = []
        for data in payload:
            record = data.pop("record")
            vectors = data.pop("meaning", None)
            doc = ExtractedText.from_dict(data)
            key = doc.record_key
            doc_id = existing.get(key)
            if doc_id is None or doc_id in used:
                if key and ID_PATTERN.match(key) and len(key) <= 64:
                    base = key
                elif key:
                    base = f"{stem}-{slugify(key, 30)}"
                else:
                    base = stem
                doc_id = base
                if doc_id in used or self.catalogue.id_taken(doc_id, by_other_than=path) or \
                        self.claims.get(doc_id, path) != path:
                    doc_id = f"{base}-{suffix}"
                n = 2
                while doc_id in used or self.catalogue.id_taken(doc_id, by_other_than=path):
                    doc_id = f"{base}-{suffix}-{n}"
                    n += 1
            used.add(doc_id)
            if vectors is not None and self.indexer.meaning is not None:
                self.indexer.meaning.offer(doc_id, vectors)
            documents.append(Document(
                id=doc_id, source_path=path, format=doc.format, text=doc.text, record_key=key,
                language=doc.language, pages=doc.page_count, title=record.get("title"),
                meta=doc.meta, page_offsets=[vars(p) for p in doc.pages], record=record))
        return documents


#: Records per unit, and bytes: small enough that a unit's documents are little to hold and to
#: send, big enough that a million short records are two thousand units, not a million.
BATCH_RECORDS = 500
BATCH_BYTES = 1024 * 1024
#: Failed records named in a file's line; the rest are counted.
SHOWN_RECORD_ERRORS = 5


def _record_errors(errors: list[tuple[int, str]], ingested: int) -> str:
    shown = "; ".join(f"record {n}: {why}" for n, why in errors[:SHOWN_RECORD_ERRORS])
    more = len(errors) - SHOWN_RECORD_ERRORS
    if more > 0:
        shown += f"; and {more} more record{'s' if more > 1 else ''}"
    if ingested:
        shown += f" (its other {ingested} record{'s' if ingested > 1 else ''} ingested)"
    return shown


class _RecordFile:
    """A JSON file in flight, batch by batch."""

    def __init__(self, planned: PlannedFile):
        self.planned = planned
        self.batches: list[tuple[int, int]] = []        # (first record index, count)
        self.batch_of: dict[tuple[int, int], int] = {}  # (first number, count) -> batch index
        self.waiting: dict[int, int] = {}   # batch index -> records still out (retried one by one)
        self.parts: dict[int, list] = {}    # batch index -> (number, payload) pairs so far
        self.complete: dict[int, list] = {}  # batch index -> payload in record order
        self.next = 0
        self.errors: list[tuple[int, str]] = []
        self.empty = 0
        self.ids: list[str] = []
        self.keys = RecordKeys(1)
        self.existing: dict[str | None, str] = {}
        self.used: set[str] = set()
        self.started = False

    def plan(self, spans: RecordSpans, key: str, options: ExtractOptions, units: deque) -> None:
        starts, ends = spans.starts, spans.ends
        self.keys = RecordKeys(len(starts))
        i = 0
        while i < len(starts):
            j, size = i, 0
            while j < len(starts) and j - i < BATCH_RECORDS and \
                    (j == i or size + ends[j] - starts[j] <= BATCH_BYTES):
                size += ends[j] - starts[j]
                j += 1
            self.batch_of[(i + 1, j - i)] = len(self.batches)
            self.batches.append((i, j - i))
            units.append((key, options, (i + 1, starts[i:j], ends[i:j])))
            i = j

    def collect(self, index: int, first: int, result: Any, reason: str | None) -> None:
        payload: list[dict[str, Any]]
        if reason is not None:
            self.errors.append((first, reason))
            payload = []
        elif result.status != "ok":
            self.errors.append((first, result.error or result.status))
            payload = []
        else:
            payload = result.documents
            self.errors += result.record_errors
        if index not in self.waiting:
            self.complete[index] = payload
            return
        self.parts.setdefault(index, []).append((first, payload))
        self.waiting[index] -= 1
        if not self.waiting[index]:
            del self.waiting[index]
            parts = sorted(self.parts.pop(index), key=lambda part: part[0])
            self.complete[index] = [data for _, payload in parts for data in payload]


def reindex(index_dir: Path, *, progress: Callable[[int, int], None] | None = None,
            engine: str | None = None, meaning: bool | None = None) -> int:
    """Rebuild the search index from the catalogue alone; return the document count.

    ``engine`` switches the index to that engine (default: the one it has). The meaning layer
    is rebuilt too when the index has one or ``meaning`` asks for it (embedding only the
    documents whose text its old layer does not hold).
    """
    from pipeline.search import rebuild_index
    from pipeline.search.meaning.store import MeaningStore
    from pipeline.search.meaning.writer import rebuild_layer

    with ingest_lock(Path(index_dir), "reindex it"):
        catalogue = Catalogue.open(Path(index_dir), create=False)
        try:
            if meaning or (meaning is None and MeaningStore.present(Path(index_dir))):
                rebuild_layer(Path(index_dir), catalogue, progress=progress)
            rebuild_index(Path(index_dir), catalogue, progress=progress, engine=engine)
            return catalogue.count_documents()
        finally:
            catalogue.close()
