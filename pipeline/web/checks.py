"""The citation check on the page: paste a draft or upload one, see each citation's verdict.

``GET /check`` draws the form; ``POST /check`` (the form) and ``POST /api/check`` (JSON, or a
multipart upload) check the draft with ``pipeline.checks``, as ``check-citations`` does. Both
are writes by the server's rules (under the ``/check`` prefix: same-origin, a CSRF token, a
32 MiB body) though they change nothing: a draft is the lawyer's private text, and a page of
another site must not make the server parse files for it.

Limits. A pasted draft is at most ``MAX_DRAFT_CHARS`` (2,000,000) characters, the CLI's own
limit for a draft's text: about 600 pages, longer than any application with its annexes, and
within the 32 MiB body even as a form sends Cyrillic (12 bytes a letter, %D0%BF, about 24 MB).
An uploaded file is at most ``MAX_DRAFT_BYTES`` (25 MB) and is read by ``read_draft``: in the
sandbox worker ``ingest`` uses, whose DOCX reader has the zip-bomb limits, with a time limit
and a memory cap. The file's own name is never used as a path: it is copied under a fixed
name with an allowed extension. Checks run one at a time (a long draft takes seconds of a
core); another waits ``WAIT`` seconds, then gets 503 Busy.
"""

from __future__ import annotations

import tempfile
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile

from pipeline.checks import CitationReport, check_citations, read_draft
from pipeline.checks.draft import MAX_DRAFT_BYTES, MAX_DRAFT_CHARS
from pipeline.checks.messages import localised
from pipeline.errors import Busy, ExtractionError, IndexError_, PipelineError
from pipeline.web import i18n
from pipeline.web.i18n import N_, gettext

__all__ = ["install"]

#: What an uploaded draft may be, by its name's extension (the reader then sniffs its bytes).
SUFFIXES = (".docx", ".odt", ".rtf", ".pdf", ".txt")
WAIT = 10.0
_checking = threading.BoundedSemaphore(1)


class DraftRefused(PipelineError):
    """A draft that cannot be checked (empty, too long, unreadable): answered 400."""


@dataclass
class Row:
    """One citation as the page shows it."""

    verdict: str
    kind: str
    text: str
    differences: list[str]
    notes: list[str]
    href: str | None
    doc_citation: str | None
    listed: str | None
    refers_to: int | None


def _rows(report: CitationReport) -> list[Row]:
    from pipeline.web.urls import doc_url

    # What differs and the notes in the interface's language; the citations as the draft prints them.
    return [Row(c.verdict, c.kind, " ".join(c.text.split()),
                [localised(d.message, gettext) for d in c.differences],
                [localised(n, gettext) for n in c.notes],
                doc_url(c.doc_id, c.paragraph) if c.doc_id else None, c.doc_citation,
                c.listed, c.refers_to) for c in report.citations]


def _checked_text(text: str, index_dir: Path, opened: Any) -> CitationReport:
    """The report of ``text``, one check at a time, against the index when there is one."""
    text = text.replace("\r\n", "\n")
    if not text.strip():
        raise DraftRefused(N_("paste a draft, or choose a file"))
    if len(text) > MAX_DRAFT_CHARS:
        raise DraftRefused(N_("the draft is too long: %(n)s characters, at most %(max)s"),
                           n=f"{len(text):,}", max=f"{MAX_DRAFT_CHARS:,}")
    if not _checking.acquire(timeout=WAIT):
        raise Busy("the server is busy checking another draft; try again in a moment")
    try:
        try:
            with opened(with_index=False) as (catalogue, _index):
                return check_citations(text, catalogue)
        except IndexError_:
            # No catalogue yet: the Court's list alone still checks Strasbourg citations.
            return check_citations(text, None)
    finally:
        _checking.release()


async def _uploaded_text(upload: UploadFile) -> str:
    """The text of an uploaded draft, read as ``check-citations FILE`` reads a file."""
    suffix = Path(upload.filename or "").suffix.lower()
    if suffix not in SUFFIXES:
        raise DraftRefused(N_("upload a draft as .docx, .odt, .rtf, .pdf or .txt"))
    with tempfile.TemporaryDirectory(prefix="precedents-check-") as tmp:
        path = Path(tmp) / f"draft{suffix}"
        size = 0
        with path.open("wb") as out:
            while chunk := await upload.read(1 << 20):
                size += len(chunk)
                if size > MAX_DRAFT_BYTES:
                    raise DraftRefused(N_("the file is too large for a draft (over 25 MB)"))
                out.write(chunk)
        try:
            draft = await run_in_threadpool(read_draft, path)
        except ExtractionError as exc:
            # The reader names the temporary file; the lawyer knows it by its own name.
            raise DraftRefused(str(exc).replace(str(path), upload.filename or "draft")) from None
    return draft.text


def install(app: FastAPI, index_dir: Path) -> None:
    """Add ``/check`` and ``/api/check`` to ``app`` (made by ``create_app``)."""
    from pipeline.web import schemas

    render_form = app.state.render_form
    check_csrf = app.state.check_csrf
    opened = app.state.opened

    @app.exception_handler(DraftRefused)
    async def refused(request: Request, exc: DraftRefused) -> Response:
        if request.url.path.startswith("/api/"):
            return JSONResponse({"error": str(exc)}, status_code=400)
        # The page in its interface language; the API in English, as the CLI.
        return render_form(request, "check.html", 400, error=i18n.error_message(exc, i18n.current()),
                           draft="", rows=None, counts=None, max_chars=MAX_DRAFT_CHARS)

    @app.get("/check", response_class=HTMLResponse, include_in_schema=False)
    def check_page(request: Request) -> HTMLResponse:
        return render_form(request, "check.html", draft="", rows=None, counts=None,
                           error=None, max_chars=MAX_DRAFT_CHARS)

    async def draft_of(request: Request, token_field: bool) -> tuple[str, str | None]:
        """(the draft's text, the token the form sent) from a form or multipart POST."""
        form = await request.form(max_files=1, max_fields=10,
                                  max_part_size=MAX_DRAFT_CHARS * 4)
        token = form.get("csrf")
        check_csrf(request, token if isinstance(token, str) else "" if token_field else None)
        upload = form.get("file")
        if isinstance(upload, UploadFile) and upload.filename:
            return await _uploaded_text(upload), None
        text = form.get("text")
        return (text if isinstance(text, str) else ""), None

    @app.post("/check", response_class=HTMLResponse, include_in_schema=False)
    async def check_form(request: Request) -> HTMLResponse:
        text, _token = await draft_of(request, token_field=True)
        report = await run_in_threadpool(_checked_text, text, index_dir, opened)
        # The verdicts are the answer to this POST (a draft is too long for a URL, and is
        # not kept on the server): the page of results, not a redirect.
        return render_form(request, "check.html", draft=text, rows=_rows(report),
                           counts=report.counts(), error=None, max_chars=MAX_DRAFT_CHARS)

    @app.post("/api/check", response_model=schemas.CheckReport, tags=["writes"],
              summary="Check the citations of a draft",
              description="Exactly the JSON of `precedents check-citations - --json` (without "
                          "`file`): each ECHR citation, Russian case number and code "
                          "provision with its verdict (confirmed, mismatch with what differs, "
                          "unknown), its text and the document it matched. Send "
                          '`{"text": "..."}` as JSON (at most 2,000,000 characters), or a '
                          "file as multipart/form-data field `file` (.docx, .odt, .rtf, .pdf, "
                          ".txt; at most 25 MB), with the token of GET /api/csrf in "
                          "X-CSRF-Token. Nothing is stored.",
              responses={400: {"model": schemas.Error, "description": "No text, too long, or "
                               "an unreadable file"},
                         403: {"model": schemas.Error, "description": "No token, or another "
                               "site's page"},
                         413: {"model": schemas.Error, "description": "Body over 32 MiB"},
                         503: {"model": schemas.Error, "description": "Busy with another draft"}},
              openapi_extra={"requestBody": {"required": True, "content": {
                  "application/json": {"schema": schemas.CheckText.model_json_schema()},
                  "multipart/form-data": {"schema": {
                      "type": "object", "properties": {"file": {"type": "string",
                                                                "format": "binary"}}}}}}})
    async def api_check(request: Request) -> JSONResponse:
        kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
        if kind == "application/json":
            check_csrf(request, None)
            try:
                body = schemas.CheckText.model_validate_json(await request.body())
            except ValueError as exc:
                raise DraftRefused('send {"text": "..."} as JSON, in UTF-8') from exc
            text = body.text
        elif kind == "multipart/form-data":
            text, _token = await draft_of(request, token_field=False)
        else:
            check_csrf(request, None)
            raise DraftRefused("send JSON or a multipart form with a file")
        report = await run_in_threadpool(_checked_text, text, index_dir, opened)
        return JSONResponse(report.to_json())

