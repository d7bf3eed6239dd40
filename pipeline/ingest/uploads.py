"""Rulings that arrive from outside the folders a user ingests: files sent to the page
(``POST /upload``) and files dropped into an inbox folder (``inbox.py``).

Each file is copied into the index's own store, ``INDEX/uploads/<token>/<slug><ext>``, and
ingested there by ``ingest`` itself: the same sandboxed parser workers with the same time and
memory limits, the same duplicate detection, OCR and meaning layer. There is no second parser.

A name that came with a file is never a path: it may be ``../../etc/passwd``, absolute, hold
NUL, bidi overrides or 5,000 characters. The store's names are generated: a random folder
token, and in it the name's ASCII slug (``slugify``: [a-z0-9-] only, at most 60 characters)
with the extension when it is one ingest knows, so the document's id reads like a file
ingested from a folder would. The name itself is kept only for display (``display_name``).

The store is the source of the documents (the catalogue records their path there, so ``ingest
--prune`` keeps them): what ingest refused (failed, unsupported, needs OCR) and identical
copies of a document already held are forgotten in the same hold of the ingest lock, file and
catalogue row, so the store keeps only the sources of documents. Anything a killed upload left
(a copied file with no row, a refused row not yet forgotten) is swept at the next upload.
"""

from __future__ import annotations

import hashlib
import logging
import os
import re
import secrets
import shutil
import time
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from pipeline.catalogue import Catalogue
from pipeline.extract import EXTRACTORS, ExtractOptions
from pipeline.extract.unsupported import NAMED_EXTENSIONS
from pipeline.ingest.files import slugify, source_key
from pipeline.ingest.run import FileOutcome, ingest, ingest_lock
from pipeline.limits import DEFAULT_MEMORY_MB, DEFAULT_TIMEOUT, default_jobs

__all__ = ["MAX_FILES", "MAX_FILE_BYTES", "READABLE_EXTENSIONS", "STORE", "Received",
           "UploadOutcome", "add", "display_name", "name_ref", "stored_name"]

log = logging.getLogger("precedents.uploads")

#: The folder of an index that holds uploaded sources.
STORE = "uploads"
#: Files one request may send. A lawyer adds a handful of rulings at a time; each is parsed
#: while the request waits (seconds each, minutes for a long scan), so twenty already keep
#: the page waiting for a minute or two, and hold the index's one writer for as long.
MAX_FILES = 20
#: Bytes one file may have: the most the format modules read whole (TXT, HTML, RTF and a
#: DOCX's main part are refused past 64 MiB by their parsers anyway). The largest real
#: ruling here is a 2.3 MB scan; a 200-page scanned judgment is about 30 MB. The request as a
#: whole is bounded by the Guard (``security.WRITE_LIMITS``: 256 MiB).
MAX_FILE_BYTES = 64 * 1024 * 1024
#: Seconds a second upload waits for the one writing before it gets 503 (Busy).
LOCK_WAIT = 30.0
#: Characters of a name shown back; longer names are cut with an ellipsis.
NAME_CHARS = 120
#: The extensions of the formats ingest reads, for the form's ``accept`` and the store's names.
READABLE_EXTENSIONS = tuple(e for cls in EXTRACTORS for e in cls.EXTENSIONS)
#: Kept on a stored name so the picker decides as it would for the original: the readable ones,
#: and those it names to say what to convert them to (``.doc``: save it as DOCX).
KEPT_EXTENSIONS = frozenset(READABLE_EXTENSIONS) | NAMED_EXTENSIONS
#: Statuses whose files are not kept in the store.
FORGOTTEN = frozenset({"failed", "unsupported", "needs-ocr", "duplicate"})

# Control and format characters (NUL, bidi overrides, zero-width joiners) are dropped from a
# shown name: they can make "evil.exe" print as "evil‮fdp.exe" ("evilexe.pdf").
_UNSHOWN = frozenset({"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"})


@dataclass
class Received:
    """A file to add: its name as it came (display only) and its bytes, read once."""

    name: str
    stream: IO[bytes]


@dataclass
class UploadOutcome:
    """What became of one file: ``ok`` (``id`` is the new document), ``duplicate`` (``id``
    is the document it repeats), ``failed`` (``reason`` says why, naming the file) or
    ``needs-ocr`` (a scan without text, and no OCR here)."""

    name: str
    status: str
    reason: str | None = None
    id: str | None = None
    ids: list[str] = field(default_factory=list)
    format: str | None = None

    @property
    def ref(self) -> str:
        return name_ref(self.name)

    def to_json(self) -> dict[str, Any]:
        return {"name": self.name, "status": self.status, "id": self.id, "ids": self.ids,
                "format": self.format, "reason": self.reason}


def name_ref(name: str) -> str:
    """A short stand-in for a file name in logs: the names of rulings name people.

    >>> name_ref("Иванов.pdf") == name_ref("Иванов.pdf"), len(name_ref("x"))
    (True, 8)
    """
    return hashlib.sha256(name.encode("utf-8", "surrogatepass")).hexdigest()[:8]


def display_name(raw: str | None) -> str:
    r"""A file name fit to show: its last part only (after ``/`` or ``\``), control, format and
    bidi characters dropped, NFC, at most ``NAME_CHARS`` characters; "(no name)" for nothing.

    >>> display_name("../../etc/passwd"), display_name("C:\\Users\\a\\ruling.pdf")
    ('passwd', 'ruling.pdf')
    >>> display_name("evil\u202efdp.exe"), display_name("a\x00b.txt"), display_name("")
    ('evilfdp.exe', 'ab.txt', '(no name)')
    """
    name = unicodedata.normalize("NFC", raw or "")
    name = re.split(r"[/\\]", name)[-1]
    name = "".join(c for c in name if unicodedata.category(c) not in _UNSHOWN).strip()
    if len(name) > NAME_CHARS:
        name = name[:NAME_CHARS - 1] + "…"
    return name or "(no name)"


def stored_name(raw: str | None) -> str:
    """The name a file gets in the store: the slug of its name's stem, and its extension if
    ingest knows it (lower-cased); otherwise none, and the picker goes by the bytes alone.

    >>> stored_name("../../Постановление №5.PDF"), stored_name("/etc/passwd")
    ('postanovlenie-no5.pdf', 'passwd')
    >>> stored_name("..."), stored_name("x.exe"), stored_name(".bashrc")
    ('doc', 'x', 'bashrc')
    """
    name = display_name(raw)
    stem, dot, ext = name.rpartition(".")
    if not dot or not stem.strip("."):
        stem, ext = name, ""
    suffix = f".{ext.lower()}" if f".{ext.lower()}" in KEPT_EXTENSIONS else ""
    return slugify(stem) + suffix


def store_of(index_dir: Path) -> Path:
    return Path(index_dir) / STORE


class _TooLarge(Exception):
    pass


def _copy(received: Received, store: Path, max_bytes: int | None) -> Path:
    """Write the file into a new folder of the store; ``_TooLarge`` past ``max_bytes``."""
    folder = store / f"{time.strftime('%Y%m%d')}-{secrets.token_hex(6)}"
    folder.mkdir(mode=0o700)
    target = folder / stored_name(received.name)
    size = 0
    try:
        # O_EXCL and O_NOFOLLOW: the folder is new and ours; nothing may be there already.
        fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o600)
        with os.fdopen(fd, "wb") as out:
            for block in iter(lambda: received.stream.read(1 << 20), b""):
                size += len(block)
                if max_bytes is not None and size > max_bytes:
                    raise _TooLarge
                out.write(block)
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    return target


def add(index_dir: Path, files: Iterable[Received], *, max_bytes: int | None = MAX_FILE_BYTES,
        wait: float = LOCK_WAIT, timeout: float = DEFAULT_TIMEOUT,
        memory_mb: int = DEFAULT_MEMORY_MB, ocr: str = "auto",
        notice: Callable[[str], None] = lambda m: None) -> list[UploadOutcome]:
    """Add ``files`` to the index of ``index_dir``, in one hold of its ingest lock; one outcome
    per file, in order. Raises ``Busy`` when another writer holds the index past ``wait``
    seconds, and nothing has been copied then."""
    index_dir = Path(index_dir)
    with ingest_lock(index_dir, "add rulings to it", wait=wait):
        store = store_of(index_dir)
        store.mkdir(mode=0o700, exist_ok=True)
        sweep(index_dir)
        outcomes: list[UploadOutcome] = []
        stored: dict[str, int] = {}  # source path -> position in outcomes
        for received in files:
            name = display_name(received.name)
            try:
                path = _copy(received, store, max_bytes)
            except _TooLarge:
                outcomes.append(UploadOutcome(name, "failed", f"{name}: larger than the limit "
                                              f"of {(max_bytes or 0) // (1024 * 1024)} MB a file"))
                continue
            stored[source_key(path)] = len(outcomes)
            outcomes.append(UploadOutcome(name, "failed", f"{name}: not parsed"))
        if stored:
            report = ingest([Path(p) for p in stored], index_dir, locked=True,
                            jobs=min(len(stored), default_jobs()), timeout=timeout,
                            memory_mb=memory_mb, options=ExtractOptions(ocr=ocr), notice=notice)
            refused = []
            for found in report.outcomes:
                n = stored.get(found.path)
                if n is None:
                    continue
                if found.status in FORGOTTEN:
                    refused.append(found.path)
                outcomes[n] = _outcome(outcomes[n].name, found, report.merged, stored)
            _forget(index_dir, refused)
    for outcome in outcomes:
        log.info("added file %s: %s%s", outcome.ref, outcome.status,
                 f" ({outcome.format})" if outcome.format else "")
        log.debug("file %s is %r, document %s", outcome.ref, outcome.name, outcome.id)
    return outcomes


def _outcome(name: str, found: FileOutcome, merged: dict[str, str],
             stored: dict[str, int]) -> UploadOutcome:
    """Ingest's outcome of a stored file as the uploader's: ``unsupported`` is a failure with
    its reason, and a new document that ingest found to be another copy of a judgment the
    index holds (``dedup``: other bytes, the same text) is a duplicate shown as that one."""
    shown = [merged.get(i, i) for i in found.ids]
    status = "failed" if found.status == "unsupported" else found.status
    if status == "ok" and found.ids and all(i in merged for i in found.ids):
        status = "duplicate"
    reason = _reason(found.error, found.path, name, stored) \
        if status in ("failed", "needs-ocr") else None
    return UploadOutcome(name, status, reason, shown[0] if shown else None, shown, found.format)


def _reason(error: str | None, path: str, name: str, stored: dict[str, int]) -> str:
    """Ingest's line for a file, naming it as the user knows it rather than by the store's
    path (which says nothing to her, and must not be shown)."""
    text = error or "not added"
    if text.startswith(f"{path}: "):
        text = text[len(path) + 2:]
    for other in stored:  # "(same bytes as /…/uploads/…)" names another upload of the batch
        text = text.replace(other, "another file sent with it")
    return f"{name}: {text}"


def _forget(index_dir: Path, paths: list[str]) -> None:
    """Drop refused uploads from the catalogue and the store. They have no documents (ingest
    stores none for a refused file or an identical copy), so the search index is untouched."""
    if not paths:
        return
    catalogue = Catalogue.open(index_dir)
    try:
        for path in paths:
            catalogue.remove_source(path)
            shutil.rmtree(Path(path).parent, ignore_errors=True)
    finally:
        catalogue.close()


def sweep(index_dir: Path) -> int:
    """Remove what a killed upload left in the store: folders whose file has no catalogue
    row, and rows of refused files not yet forgotten. Call it holding the ingest lock.
    Returns the folders removed."""
    store = store_of(index_dir)
    if not store.is_dir():
        return 0
    catalogue = Catalogue.open(index_dir)
    removed = 0
    try:
        known = catalogue.sources_by_path()
        for folder in store.iterdir():
            if folder.name.startswith(".") or not folder.is_dir() or folder.is_symlink():
                continue
            files = [source_key(f) for f in folder.iterdir()]
            rows = [known[f] for f in files if f in known]
            if any(r.status not in FORGOTTEN for r in rows):
                continue
            for row in rows:
                catalogue.remove_source(row.path)
            shutil.rmtree(folder, ignore_errors=True)
            removed += 1
    finally:
        catalogue.close()
    return removed
