"""An inbox folder: rulings dropped into it are added to the index, then moved to ``done/`` or
``failed/`` beside them (``precedents watch DIR``, ``precedents serve --inbox DIR``).

Like paperless-ngx's consume folder, a file is taken only once it has stopped changing: its
size and modification time must be the same at two looks ``interval`` seconds apart, so a file
still being copied in (or saved by a browser) is not read half-written. Names that programs
give a file while they write it are never taken: hidden names (``.x``), Office's lock files
(``~$x.docx``), and ``.part``, ``.crdownload``, ``.tmp``, ``.partial``, ``.download``, ``.swp``
or a trailing ``~``. Only the folder's own files are read, never its sub-folders or a symlink.

Each file goes through ``uploads.add``, as a file sent to the page does: copied into the
index's store and parsed by ingest's sandboxed workers. Then the file is moved, never over an
existing name (``x (2).pdf``): ``done/`` when its ruling is in the index (added, or already
there), ``failed/`` with ``x.pdf.reason.txt`` beside it, one line saying why.

One process watches a folder: the watcher holds ``.precedents-inbox.lock`` in it, and a second
watcher of the same folder is refused at once.

The log names a file by a short hash of its name (``uploads.name_ref``) at normal verbosity:
the names of rulings often name people. Its name and document id are logged at debug level
(``-v``).
"""

from __future__ import annotations

import fcntl
import logging
import os
import re
import stat as stat_mode
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from pipeline.errors import Busy, PipelineError
from pipeline.ingest import uploads

__all__ = ["DONE", "FAILED", "INTERVAL", "LOCK", "Inbox", "InboxResult", "is_partial",
           "watched"]

log = logging.getLogger("precedents.inbox")

DONE = "done"
FAILED = "failed"
LOCK = ".precedents-inbox.lock"
#: Seconds between two looks at the folder: a file is taken when it is unchanged across one.
INTERVAL = 5.0
#: Files added in one hold of the index's lock (each batch is one ingest run).
BATCH = 50
REASON_SUFFIX = ".reason.txt"

#: Names of files still being written by the program that makes them.
_PARTIAL = re.compile(r"^(\.|~\$)|~$|\.(part|partial|crdownload|download|tmp|temp|swp|"
                      r"filepart|!ut|opdownload)$", re.IGNORECASE)


def is_partial(name: str) -> bool:
    """Whether ``name`` is one a file has while it is still being written, or a hidden one.

    >>> [is_partial(n) for n in ("a.pdf", ".a.pdf", "~$a.docx", "a.pdf.part", "a.PDF.crdownload",
    ...                          "a.tmp", "a.txt~", "part.pdf", "tmp-ruling.txt")]
    [False, True, True, True, True, True, True, False, False]
    """
    return bool(_PARTIAL.search(name))


@dataclass
class InboxResult:
    """One file taken from the inbox: its outcome and where the file went."""

    outcome: uploads.UploadOutcome
    moved_to: Path

    def to_json(self) -> dict[str, object]:
        return {**self.outcome.to_json(), "moved_to": str(self.moved_to)}


@contextmanager
def watched(folder: Path) -> Iterator[None]:
    """Hold the folder's watcher lock; ``PipelineError`` if another process holds it, or
    the folder cannot be made or written."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
        fh = (folder / LOCK).open("w")
    except OSError as exc:
        raise PipelineError(f"{folder}: cannot watch this folder "
                            f"({exc.strerror or exc})") from exc
    with fh:
        try:
            fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise PipelineError(f"{folder}: another process is watching this inbox") from None
        yield


class Inbox:
    """The state of a watched folder between looks: each candidate's (size, mtime)."""

    def __init__(self, folder: Path, index_dir: Path, *, ocr: str = "auto",
                 wait: float = uploads.LOCK_WAIT):
        self.folder = Path(folder)
        self.index_dir = Path(index_dir)
        self.ocr = ocr
        self.wait = wait
        self.seen: dict[str, tuple[int, int]] = {}

    def look(self) -> list[Path]:
        """The files that have not changed since the last look (and remember this one)."""
        now: dict[str, tuple[int, int]] = {}
        try:
            entries = list(os.scandir(self.folder))
        except OSError as exc:
            raise PipelineError(f"{self.folder}: cannot read the inbox "
                                f"({exc.strerror or exc})") from exc
        for entry in sorted(entries, key=lambda e: e.name):
            if is_partial(entry.name):
                continue
            try:
                st = entry.stat(follow_symlinks=False)
            except OSError:
                continue
            if not stat_mode.S_ISREG(st.st_mode):
                continue  # done/, failed/, symlinks, FIFOs: nothing to read
            now[entry.name] = (st.st_size, st.st_mtime_ns)
        stable = [self.folder / name for name, state in now.items()
                  if self.seen.get(name) == state]
        self.seen = now
        return stable

    def take(self, files: list[Path]) -> list[InboxResult]:
        """Add ``files`` to the index and move each to ``done/`` or ``failed/``."""
        results: list[InboxResult] = []
        for start in range(0, len(files), BATCH):
            batch = files[start:start + BATCH]
            opened: list[tuple[Path, IO[bytes] | None, str | None]] = []
            try:
                for path in batch:
                    try:
                        # O_NOFOLLOW: a file swapped for a symlink since the look is not read.
                        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW)
                    except OSError as exc:
                        opened.append((path, None, f"cannot read file ({exc.strerror or exc})"))
                        continue
                    opened.append((path, os.fdopen(fd, "rb"), None))
                readable = [(p, fh) for p, fh, _ in opened if fh is not None]
                outcomes = uploads.add(self.index_dir, [uploads.Received(p.name, fh)
                                                        for p, fh in readable],
                                       max_bytes=None, wait=self.wait, ocr=self.ocr)
            finally:
                for _, fh, _ in opened:
                    if fh is not None:
                        fh.close()
            by_path = dict(zip([p for p, _ in readable], outcomes))
            for path, _, why in opened:
                name = uploads.display_name(path.name)
                outcome = by_path.get(path) or uploads.UploadOutcome(name, "failed",
                                                                     f"{name}: {why}")
                if not path.exists():
                    continue  # taken away meanwhile: nothing to move
                results.append(InboxResult(outcome, self._move(path, outcome)))
                self.seen.pop(path.name, None)
        return results

    def _move(self, path: Path, outcome: uploads.UploadOutcome) -> Path:
        good = outcome.status in ("ok", "duplicate")
        folder = self.folder / (DONE if good else FAILED)
        folder.mkdir(exist_ok=True)
        target = _free_name(folder, path.name, extra=() if good else (REASON_SUFFIX,))
        if not good:
            reason = (outcome.reason or outcome.status).replace("\n", " ").replace("\r", " ")
            fd = os.open(str(target) + REASON_SUFFIX, os.O_WRONLY | os.O_CREAT | os.O_EXCL,
                         0o600)
            with os.fdopen(fd, "w", encoding="utf-8") as out:
                out.write(reason + "\n")
        _move_no_clobber(path, target)
        log.info("inbox file %s: %s, moved to %s/", outcome.ref, outcome.status, folder.name)
        log.debug("inbox file %s is %r, document %s", outcome.ref, path.name, outcome.id)
        return target

    def run(self, *, once: bool = False, interval: float = INTERVAL,
            report: Callable[[list[InboxResult]], None] = lambda r: None,
            sleep: Callable[[float], None] = time.sleep) -> list[InboxResult]:
        """Look, wait ``interval``, take what did not change; again until stopped (or once).
        Returns what ``once`` took (a run until stopped returns nothing)."""
        with watched(self.folder):
            self.look()
            while True:
                sleep(interval)
                stable = self.look()
                taken: list[InboxResult] = []
                if stable:
                    try:
                        taken = self.take(stable)
                    except Busy as exc:
                        log.warning("inbox: %s; trying again later", exc)
                    except PipelineError as exc:
                        if once:
                            raise
                        # A watcher outlives a passing fault (an index being rebuilt, a
                        # full disk): the files stay and are tried at the next look.
                        log.warning("inbox: %s; trying again later", exc)
                    report(taken)
                if once:
                    return taken


def _free_name(folder: Path, name: str, extra: tuple[str, ...] = ()) -> Path:
    """``folder/name``, or ``name (2)``, ``name (3)``... where neither it nor its companions
    (``extra`` suffixes) exist."""
    stem, dot, ext = name.rpartition(".")
    if not dot or not stem:
        stem, ext = name, ""
    n = 1
    while True:
        candidate = name if n == 1 else f"{stem} ({n}){'.' + ext if ext else ''}"
        target = folder / candidate
        if not target.exists() and not any(Path(str(target) + e).exists() for e in extra):
            return target
        n += 1


def _move_no_clobber(source: Path, target: Path) -> None:
    """Move ``source`` to ``target`` within one folder tree, never replacing a file there:
    a hard link fails when the name exists (rename would replace it)."""
    try:
        os.link(source, target, follow_symlinks=False)
    except FileExistsError:
        _move_no_clobber(source, _free_name(target.parent, target.name))
        return
    except OSError:  # a file system without hard links
        if target.exists():
            target = _free_name(target.parent, target.name)
        os.rename(source, target)
        return
    os.unlink(source)
