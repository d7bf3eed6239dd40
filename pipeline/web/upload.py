"""Adding rulings from the browser: ``GET /upload`` (the form), ``POST /upload`` (the form's
files, answered 303 to the page of their outcomes) and ``POST /api/upload`` (for programs).

The files go through ``pipeline.ingest.uploads.add``: copied into the index's store under
generated names and parsed by ``ingest`` itself, in its sandboxed workers under its limits.
Nothing of a file is run, and its name is only shown. One writer at a time: an upload that
finds the index being written waits ``uploads.LOCK_WAIT`` seconds, then gets 503.

The outcomes of a form POST are kept as a receipt in the store's ``.receipts`` folder for
``RECEIPT_SECONDS``, readable only by the browser that sent the files (its CSRF cookie): the
303 may be answered by another of the forked server processes, and the names of rulings (names
of people) must not travel in a URL.
"""

from __future__ import annotations

import hashlib
import json
import os
import secrets
import time
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile
from starlette.exceptions import HTTPException as StarletteHTTPException

from pipeline.errors import Busy, QueryError
from pipeline.ingest import uploads
from pipeline.web import csrf, schemas
from pipeline.web.i18n import N_, _

__all__ = ["add_upload_routes"]

#: Seconds a receipt of outcomes is kept for its page.
RECEIPT_SECONDS = 3600
#: The form's field of files.
FIELD = "files"
ACCEPT = ",".join(uploads.READABLE_EXTENSIONS)


#: What each outcome is called on the page, and what it means for the lawyer (marked here,
#: translated where the page draws them: ``{{ _(o.label) }}``).
STATUS_LABELS = {
    "ok": N_("Added"),
    "duplicate": N_("Already in the index"),
    "failed": N_("Not added"),
    "needs-ocr": N_("Needs OCR"),
}
NEEDS_OCR = N_("The file is a scan without a text layer, and this computer has no OCR "
               "(Tesseract) to read it, so it was not added. Send a PDF with text, or ask "
               "whoever keeps this computer to install Tesseract and send the file again.")


def add_upload_routes(app: FastAPI, index_dir: Path) -> None:
    """Add the upload page and API to ``app`` (made by ``create_app``, whose ``app.state``
    has ``render_form`` and ``check_csrf``)."""
    receipts = uploads.store_of(index_dir) / ".receipts"

    async def received(request: Request) -> tuple[list[uploads.Received], Any]:
        """The files of a multipart POST (the CSRF token checked first), or a 400/413."""
        try:
            form = await request.form(max_files=uploads.MAX_FILES, max_fields=8,
                                      max_part_size=64 * 1024)
        except StarletteHTTPException as exc:
            if "Too many files" in str(exc.detail):
                # In the page's language now (the API's stays English): the error page
                # shows a message it cannot look up as it is.
                raise StarletteHTTPException(413, _("Too many files: at most %(n)s in one "
                                                    "upload") % {"n": uploads.MAX_FILES}) from exc
            raise
        sent = form.get(csrf.FIELD)
        app.state.check_csrf(request, sent if isinstance(sent, str) else None)
        files = [f for f in form.getlist(FIELD) if isinstance(f, UploadFile)]
        # A form sent with no file chosen has one part with an empty name and no bytes.
        files = [f for f in files if f.filename or (f.size or 0) > 0]
        if not files:
            await form.close()
            raise QueryError("Choose one or more files to add.")
        return [uploads.Received(f.filename or "", f.file) for f in files], form

    async def run(request: Request) -> list[uploads.UploadOutcome]:
        files, form = await received(request)
        try:
            # The limits are read here, not bound as defaults, so that tests may lower them.
            return await run_in_threadpool(uploads.add, index_dir, files,
                                           max_bytes=uploads.MAX_FILE_BYTES,
                                           wait=uploads.LOCK_WAIT)
        except Busy as exc:
            raise Busy("the server is busy adding other rulings; try again in a moment") \
                from exc
        finally:
            await form.close()

    @app.get("/upload", include_in_schema=False)
    def upload_page(request: Request, receipt: str = "") -> Response:
        outcomes = _read_receipt(receipts, receipt, request) if receipt else None
        return app.state.render_form(
            request, "upload.html", field=FIELD, accept=ACCEPT, max_files=uploads.MAX_FILES,
            max_mb=uploads.MAX_FILE_BYTES // (1024 * 1024),
            outcomes=[_view(o) for o in outcomes or []], expired=receipt and outcomes is None,
            needs_ocr=NEEDS_OCR)

    @app.post("/upload", include_in_schema=False)
    async def upload_form(request: Request) -> Response:
        outcomes = await run(request)
        token = _write_receipt(receipts, outcomes, request)
        return RedirectResponse(f"/upload?receipt={token}", status_code=303)

    @app.post("/api/upload", response_model=schemas.Uploaded, tags=["writes"],
              summary="Add rulings to the index",
              description="A multipart body with one or more files in the field `files` (at "
                          f"most {uploads.MAX_FILES}, {uploads.MAX_FILE_BYTES // 2**20} MB "
                          "each, 256 MB in all) and the token of GET /api/csrf in the "
                          "X-CSRF-Token header. Each file is parsed as `precedents ingest` "
                          "parses it; its outcome is `ok` (`id`: the new document), "
                          "`duplicate` (`id`: the document it repeats), `failed` (`reason`) or "
                          "`needs-ocr` (a scan without text, and no OCR here). 503 while "
                          "another writer holds the index.",
              responses={code: {"model": schemas.Error} for code in (400, 403, 413, 503)})
    async def api_upload(request: Request) -> JSONResponse:
        outcomes = await run(request)
        return JSONResponse({"files": [{**o.to_json(), "url": _url(o)} for o in outcomes]})


def _url(outcome: uploads.UploadOutcome) -> str | None:
    from pipeline.web.urls import doc_url

    return doc_url(outcome.id) if outcome.id else None


def _view(data: dict[str, Any]) -> dict[str, Any]:
    return {**data, "label": STATUS_LABELS.get(data["status"], data["status"])}


def _owner(request: Request) -> str:
    """Who may read a receipt: a hash of the browser's CSRF cookie (set by the form's page)."""
    nonce = request.cookies.get(csrf.COOKIE, "")
    return hashlib.sha256(nonce.encode()).hexdigest() if nonce else ""


def _write_receipt(folder: Path, outcomes: list[uploads.UploadOutcome],
                   request: Request) -> str:
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    now = time.time()
    for old in folder.glob("*.json"):
        try:
            if now - old.stat().st_mtime > RECEIPT_SECONDS:
                old.unlink()
        except OSError:
            pass
    token = secrets.token_urlsafe(16)
    data = {"owner": _owner(request),
            "files": [{**o.to_json(), "url": _url(o)} for o in outcomes]}
    partial = folder / f".{token}.tmp"
    fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as out:
        json.dump(data, out, ensure_ascii=False)
    os.replace(partial, folder / f"{token}.json")
    return token


def _read_receipt(folder: Path, token: str, request: Request) -> list[dict[str, Any]] | None:
    """The outcomes of a receipt of this browser, or None (unknown, expired, another's)."""
    if not (len(token) == 22 and token.replace("-", "").replace("_", "").isalnum()):
        return None
    try:
        path = folder / f"{token}.json"
        if time.time() - path.stat().st_mtime > RECEIPT_SECONDS:
            return None
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not data.get("owner") or data["owner"] != _owner(request):
        return None
    files = data.get("files")
    return files if isinstance(files, list) else None
