"""A draft -> its text: a file a lawyer wrote (.txt, .docx, .odt, .rtf, .pdf) or text on stdin.

A draft comes from outside as much as a ruling does (a colleague's DOCX, a PDF from a court
portal), so it is parsed the way ``ingest`` parses a file: in a sandbox worker with a time limit
and a memory cap, so that a decompression bomb or a parser that never ends costs one error line.
Only the text is wanted: no language detection, no record, no NLP.

>>> read_draft(Path("application.docx")).text[:40]   # doctest: +SKIP
'Application under Article 34 of the Conv'
"""

from __future__ import annotations

import os
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from pipeline.errors import ExtractionError, ResourceLimit

__all__ = ["MAX_DRAFT_BYTES", "MAX_DRAFT_CHARS", "Draft", "read_draft"]

#: Bytes a draft file may have. An application with its annexes as scans runs to a few MB; more
#: is not a draft, and is refused before any parser sees it.
MAX_DRAFT_BYTES = 25 * 1024 * 1024
#: Characters of text a draft may hold once extracted (about 600 pages).
MAX_DRAFT_CHARS = 2_000_000
#: Seconds the parsing of one draft may take, and the address space of its worker (MiB).
DRAFT_TIMEOUT = 120.0
DRAFT_MEMORY_MB = 2048


@dataclass(frozen=True)
class Draft:
    """The text of a draft, and what it was read from (a path, or ``-`` for stdin)."""

    name: str
    text: str
    format: str


def _extract_text(path: str) -> tuple[str, str]:
    """Runs inside the sandbox worker: (format, text) of ``path``; the texts of a file holding
    several documents are joined by a blank line."""
    from pipeline.extract import detect_format, extract_file

    docs = extract_file(Path(path))
    return detect_format(Path(path)), "\n\n".join(d.text for d in docs)


def read_draft(source: Path | str, stdin: BinaryIO | None = None) -> Draft:
    """The text of the draft at ``source`` (``"-"``: the bytes of ``stdin``, as UTF-8 or any
    encoding the TXT reader recognises).

    Raises ``ExtractionError`` (one line naming the file) for an empty, oversized, unreadable
    or unsupported file, and ``ResourceLimit`` when parsing overruns its time or memory.
    """
    if str(source) == "-":
        stream = stdin if stdin is not None else sys.stdin.buffer
        data = stream.read(MAX_DRAFT_BYTES + 1)
        _check_size("stdin", len(data))
        with tempfile.TemporaryDirectory(prefix="precedents-draft-") as tmp:
            path = Path(tmp) / "stdin.txt"
            path.write_bytes(data)
            fmt, text = _sandboxed(path, "stdin")
        return _checked(Draft("-", text, fmt))
    path = Path(source)
    try:
        size = path.stat().st_size
    except FileNotFoundError as exc:
        raise ExtractionError(f"{path}: no such file") from exc
    except OSError as exc:
        raise ExtractionError(f"{path}: cannot read file ({exc.strerror or exc})") from exc
    if not path.is_file():
        raise ExtractionError(f"{path}: not a file")
    _check_size(str(path), size)
    fmt, text = _sandboxed(path, str(path))
    return _checked(Draft(str(path), text, fmt))


def _check_size(name: str, size: int) -> None:
    if size == 0:
        raise ExtractionError(f"{name}: empty file (0 bytes)")
    if size > MAX_DRAFT_BYTES:
        raise ExtractionError(f"{name}: too large for a draft (over {MAX_DRAFT_BYTES // (1024 * 1024)} MB)")


def _checked(draft: Draft) -> Draft:
    if not draft.text.strip():
        raise ExtractionError(f"{draft.name}: no text in it (a scan? run it through OCR first)")
    if len(draft.text) > MAX_DRAFT_CHARS:
        raise ExtractionError(f"{draft.name}: too long for a draft ({len(draft.text):,} characters;"
                              f" at most {MAX_DRAFT_CHARS:,})")
    return draft


def _sandboxed(path: Path, name: str) -> tuple[str, str]:
    """(format, text) of ``path``, parsed in a sandbox worker; errors name ``name``."""
    from pipeline.errors import PipelineError
    from pipeline.ingest.sandbox import Sandbox, TaskFailure

    with Sandbox(_extract_task, jobs=1, timeout=DRAFT_TIMEOUT, memory_mb=DRAFT_MEMORY_MB) as box:
        results = list(box.run([os.fspath(path)]))
    result = results[0][1] if results else TaskFailure("the parser gave no answer")
    if isinstance(result, TaskFailure):
        raise ResourceLimit(f"{name}: {result.reason}")
    if isinstance(result, PipelineError):
        message = str(result).replace(os.fspath(path), name, 1)
        raise type(result)(message)
    return result


def _extract_task(path: str) -> tuple[str, str] | Exception:
    """The sandbox's task: the project's own errors come back as values (their message names
    the file), anything else is the sandbox's to report."""
    from pipeline.errors import PipelineError

    try:
        return _extract_text(path)
    except PipelineError as exc:
        return exc
