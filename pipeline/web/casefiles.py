"""Case files on the page: list them, show one, add to one from a hit, a document page or a whole
result list, edit its notes, remove items, delete it, and download its list of authorities;
and the list of authorities of a result list, without a case file.

Every write is a form POST under ``/casefiles`` (the Guard checks its origin and body size),
checks the CSRF token before it changes anything, runs through ``pipeline.casefiles`` under the
ingest lock (as the CLI does), and answers 303 to the case file's page, so a reload never
sends it again.

A case file's name is typed by the lawyer and may hold any printable character, ``/`` included
("Дело № 1-123/2020"). In a URL it is one path segment, quoted with ``safe=""``; the routes read
it from the raw path, before ``%2F`` is decoded, so a name with a slash (or one ending in
"/delete") never reads as another page.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote, unquote

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from jinja2 import Environment
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData

from pipeline import casefiles
from pipeline.catalogue import Catalogue
from pipeline.errors import CaseFileError, CaseFileNotFound
from pipeline.present.authorities import FORMATS, MEDIA_TYPES, Search, authorities, encoded
from pipeline.web import csrf
from pipeline.web.i18n import N_
from pipeline.web.urls import attachment

__all__ = ["casefile_url", "install"]

#: Hits of a result list added or listed at most (the API's page limit): a list of authorities
#: cites what a lawyer has read, not a thousand documents.
MAX_LISTED = 100
#: Hits taken when the form does not say (as ``casefile add --from-search``).
DEFAULT_LISTED = 20
#: Characters of a note: a paragraph of the lawyer's thoughts, not a memorandum.
MAX_NOTE = 10_000
#: Fields a case-file form may send (filters of a search included).
MAX_FIELDS = 200


def casefile_url(name: str, action: str = "") -> str:
    """The page of a case file (or one of its actions): its name as one quoted segment.

    >>> casefile_url("Дело № 1-123/2020"), casefile_url("a b", "delete")
    ('/casefiles/%D0%94%D0%B5%D0%BB%D0%BE%20%E2%84%96%201-123%2F2020', '/casefiles/a%20b/delete')
    """
    url = "/casefiles/" + quote(name, safe="")
    return f"{url}/{action}" if action else url


def _segments(request: Request) -> list[str]:
    """The path after ``/casefiles/``, split on the slashes the URL itself holds (a ``%2F``
    inside a name is part of the name), each segment decoded."""
    raw = request.scope.get("raw_path") or request.url.path.encode()
    path = raw.decode("latin-1").split("?", 1)[0]
    rest = path[len("/casefiles/"):] if path.startswith("/casefiles/") else ""
    return [unquote(part, encoding="utf-8", errors="strict") for part in rest.split("/")]


@dataclass(frozen=True)
class Target:
    """The case file a form adds to: an existing one chosen, or a new one named."""

    name: str

    @classmethod
    def of(cls, form: FormData) -> Target:
        new, chosen = _field(form, "new"), _field(form, "casefile")
        name = new if new.strip() else chosen
        if not name.strip():
            raise CaseFileError(N_("choose a case file, or name a new one"))
        return cls(casefiles.check_name(name))


def _field(form: FormData, name: str) -> str:
    value = form.get(name)
    return value if isinstance(value, str) else ""


def _note(form: FormData, name: str = "note") -> str | None:
    text = _field(form, name).replace("\r\n", "\n")
    if len(text) > MAX_NOTE:
        raise CaseFileError(N_("a note is at most 10,000 characters"))
    return text if text.strip() else None


def _count(value: str) -> int:
    """How many hits of a result list to take: as asked, within 1..MAX_LISTED."""
    try:
        return min(max(int(value), 1), MAX_LISTED)
    except ValueError:
        return DEFAULT_LISTED


def _see_other(url: str) -> RedirectResponse:
    return RedirectResponse(url, status_code=303)


def _attachment(data: bytes, kind: str, stem: str) -> Response:
    """A download, named after the case file."""
    return Response(data, media_type=MEDIA_TYPES[kind],
                    headers=attachment(stem, kind, fallback="authorities"))


def install(app: FastAPI, env: Environment, index_dir: Path) -> None:
    """Add the case-file pages and forms to ``app`` (made by ``create_app``, whose
    ``app.state`` gives ``render_form``, ``check_csrf`` and ``opened``)."""
    render_form: Callable[..., HTMLResponse] = app.state.render_form
    check_csrf: Callable[[Request, str | None], None] = app.state.check_csrf
    opened = app.state.opened

    def names() -> list[str]:
        """The case files, for the ``<select>`` of an "add to a case file" form."""
        try:
            with opened(with_index=False) as (catalogue, _index):
                return [s.name for s in casefiles.listing(catalogue)]
        except Exception:  # a page is still drawn while the catalogue is unreadable
            return []

    env.globals.update(casefile_names=names, casefile_url=casefile_url)

    @app.exception_handler(CaseFileError)
    async def refused(request: Request, exc: CaseFileError) -> Response:
        # A name that is not one printable line, a paragraph the record lacks, a case file
        # that is not there: said in one line, nothing changed.
        status = 404 if isinstance(exc, CaseFileNotFound) else 400
        return app.state.error(request, status, str(exc), exc)

    async def read_form(request: Request) -> FormData:
        form = await request.form(max_files=0, max_fields=MAX_FIELDS)
        token = form.get(csrf.FIELD)
        check_csrf(request, token if isinstance(token, str) else "")
        return form

    def write(change: Callable[[Catalogue], Any]) -> Any:
        with casefiles.writing(index_dir) as catalogue:
            return change(catalogue)

    # -- pages ---------------------------------------------------------------------------

    @app.get("/casefiles", response_class=HTMLResponse, include_in_schema=False)
    def casefiles_page(request: Request) -> HTMLResponse:
        with opened(with_index=False) as (catalogue, _index):
            found = casefiles.listing(catalogue)
        return render_form(request, "casefiles.html", casefiles=found)

    @app.get("/casefiles/{rest:path}", response_class=HTMLResponse, include_in_schema=False)
    def casefile_page(request: Request, rest: str, notes: str = "") -> Response:
        parts = _path(request)
        with opened(with_index=False) as (catalogue, _index):
            found = casefiles.show(catalogue, parts[0])
            if len(parts) == 1:
                return render_form(request, "casefile.html", casefile=found,
                                   formats=FORMATS, search_href=_search_href)
            if parts[1] == "delete":
                return render_form(request, "casefile_delete.html", casefile=found)
            kind = parts[1].removeprefix("authorities.")
            if kind not in FORMATS or not parts[1].startswith("authorities."):
                raise CaseFileNotFound(N_("No such page."))
            listed = authorities(found, catalogue)
        data = encoded(listed, kind, with_notes=notes in ("1", "on", "yes"))
        return _attachment(data, kind, found.name)

    def _path(request: Request) -> list[str]:
        try:
            parts = _segments(request)
        except UnicodeDecodeError:
            raise CaseFileNotFound(N_("No such page.")) from None
        if not parts or not parts[0] or len(parts) > 2:
            raise CaseFileNotFound(N_("No such page."))
        return parts

    # -- writes --------------------------------------------------------------------------

    @app.post("/casefiles", include_in_schema=False)
    async def create(request: Request) -> Response:
        form = await read_form(request)
        name = casefiles.check_name(_field(form, "name"))
        note = _note(form)

        def change(catalogue: Catalogue) -> None:
            if any(s.name == name for s in casefiles.listing(catalogue)):
                raise CaseFileError(N_("a case file of this name exists already: %(name)s"),
                                    name=name)
            casefiles.add_items(catalogue, name, [], note=note)
        await run_in_threadpool(write, change)
        return _see_other(casefile_url(name))

    @app.post("/casefiles/add", include_in_schema=False)
    async def add(request: Request) -> Response:
        """One document, or one paragraph of it, from a hit or a document page."""
        form = await read_form(request)
        target = Target.of(form)
        doc_id = _field(form, "doc")
        if not doc_id:
            raise CaseFileError(N_("no document to add"))
        paragraph = _field(form, "paragraph").strip().lstrip("§").strip() or None
        query = _field(form, "q") if "q" in form else None
        addition = casefiles.Addition(
            doc_id, paragraph, _note(form), query,
            [f for f in form.getlist("filter") if isinstance(f, str) and f.strip()],
            _field(form, "mode") or None)
        await run_in_threadpool(write, lambda c: casefiles.add_items(c, target.name, [addition]))
        return _see_other(casefile_url(target.name))

    @app.post("/casefiles/add-search", include_in_schema=False)
    async def add_search(request: Request) -> Response:
        """The first hits of a result list, each keeping the query, filters and mode."""
        form = await read_form(request)
        target = Target.of(form)
        search = _search_of(form)

        def change(catalogue: Catalogue) -> None:
            found = _hits(catalogue, search, pin=_field(form, "pin") in ("1", "on"),
                          note=_note(form))
            casefiles.add_items(catalogue, target.name, found.additions)
        await run_in_threadpool(write, change)
        return _see_other(casefile_url(target.name))

    @app.post("/casefiles/{rest:path}", include_in_schema=False)
    async def change_casefile(request: Request, rest: str) -> Response:
        parts = _path(request)
        if len(parts) != 2 or parts[1] not in ("note", "item-note", "remove", "delete"):
            raise CaseFileNotFound(N_("No such page."))
        form = await read_form(request)
        name, action = parts
        if action == "delete":
            if _field(form, "confirm") != "yes":
                raise CaseFileError(N_("tick the box to confirm the deletion"))
            await run_in_threadpool(write, lambda c: casefiles.delete(c, name))
            return _see_other("/casefiles")
        if action == "note":
            note = _note(form) or ""
            await run_in_threadpool(write, lambda c: casefiles.set_note(c, name, note))
            return _see_other(casefile_url(name))
        doc_id, paragraph = _field(form, "doc"), _field(form, "paragraph")
        if not doc_id:
            raise CaseFileError(N_("no document named"))
        if action == "remove":
            await run_in_threadpool(
                write, lambda c: casefiles.remove_items(c, name, [doc_id], paragraph))
        else:
            note = _note(form) or ""
            await run_in_threadpool(write, lambda c: casefiles.set_note(
                c, name, note, doc_id=doc_id, paragraph=paragraph))
        return _see_other(casefile_url(name))

    # -- a result list's authorities, without a case file -------------------------------

    @app.get("/search/authorities.{kind}", include_in_schema=False)
    def result_list_authorities(request: Request, kind: str) -> Response:
        if kind not in FORMATS:
            raise CaseFileNotFound(N_("No such page."))
        search = _search_of(request.query_params)
        with opened(with_index=False) as (catalogue, _index):
            found = _hits(catalogue, search)
            listed = authorities(casefiles.unsaved(catalogue, "Result list",
                                                   found.additions),
                                 catalogue, search=Search(search.query, search.filters,
                                                          found.mode, len(found.additions),
                                                          found.total))
        return _attachment(encoded(listed, kind), kind, "authorities")

    @dataclass(frozen=True)
    class Asked:
        query: str
        filters: tuple[str, ...]
        mode: str | None
        expand: bool | None
        sort: str
        count: int

    def _search_of(fields: Any) -> Asked:
        """The search a form or link names: the search page's own parameters, so the list
        is the one the lawyer saw (its sort and language expansion included)."""
        from pipeline.web.urls import SORTS, _widens

        def one(key: str) -> str:
            value = fields.get(key)
            return value if isinstance(value, str) else ""
        expand = one("expand")
        sort = one("sort")
        return Asked(one("q"), tuple(f for f in fields.getlist("filter")
                                     if isinstance(f, str) and f.strip()),
                     one("mode") or None,
                     _widens(expand) if expand else None,
                     sort if sort in SORTS else "relevance",
                     _count(one("count") or str(DEFAULT_LISTED)))

    def _hits(catalogue: Catalogue, asked: Asked, *, pin: bool = False,
              note: str | None = None) -> casefiles.Found:
        return casefiles.from_search(index_dir, catalogue, asked.query, asked.filters,
                                     mode=asked.mode, expand=asked.expand, limit=asked.count,
                                     sort=asked.sort, pin_hits=pin, note=note)


def _search_href(query: str | None, filters: Sequence[str], mode: str | None) -> str:
    """The search an item was found by, as a link to run it again."""
    from urllib.parse import urlencode

    params = [("q", query or "")] + [("filter", f) for f in filters]
    if mode:
        params.append(("mode", mode))
    return "/search?" + urlencode(params)

