"""The local search page and JSON API: FastAPI routes over ``pipeline.search`` and the catalogue.

Every request opens the catalogue read-only and the index with ``readonly=True`` and closes
them when done: an ingest may be writing at the same moment, and a fresh open is how the page
sees the documents it has just committed (Whoosh and SQLite opens cost a few milliseconds).
Pages are rendered on the server with autoescaped Jinja2 and carry no JavaScript; the text of a
document is turned into HTML by ``render.py`` only, one escaped piece at a time.
"""

from __future__ import annotations

import re
import threading
from bisect import bisect_right
from collections import OrderedDict
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Literal, cast
from urllib.parse import parse_qs, quote, urlencode

from fastapi import FastAPI, Path as PathParam, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, Response
from fastapi.routing import APIRoute
from fastapi.staticfiles import StaticFiles
from starlette.concurrency import run_in_threadpool
from jinja2 import Environment, PackageLoader, select_autoescape
from starlette.exceptions import HTTPException as StarletteHTTPException

if TYPE_CHECKING:
    from fastapi.telemetry import TelemetryConfig

from pipeline import __version__
from pipeline.catalogue import Catalogue
from pipeline.errors import (Busy, CatalogueError, DocumentNotFound, IndexError_, PipelineError,
                             QueryError)
from pipeline.models import AwardData, PenaltyData, PublicRecord, ShownRecord
from pipeline.records import public_record, shown_record
from pipeline.reference.names import state_key
from pipeline.search.base import MODES
from pipeline.web import csrf, i18n, schemas
from pipeline.web.finding import find_in
from pipeline.web.i18n import N_, Interface, N_plural
from pipeline.present.labels import (
    ENGLISH,
    KIND_LABELS,
    LANGUAGE_LABELS,
    OUTCOME_LABELS,
    Translator,
    article_label,
    award_label,
    charge_label,
    holding_label,
    penalty_label,
)
from pipeline.web.render import (
    Part,
    mark_id,
    entity_counts,
    entity_name,
    marked,
    render_text,
    section_anchor,
    section_label,
    text_parts,
)
from pipeline.web.security import DEFAULT_HOSTS, Guard
from pipeline.web.stats import KEPT as STATS_KEPT, add_stats_routes
from pipeline.web.upload import add_upload_routes
from pipeline.web.urls import OFF, ON, SORTS, _widens, doc_url

__all__ = ["create_app"]

STATIC_DIR = Path(__file__).resolve().parent / "static"
#: Hits per page on the HTML page; the API takes ``limit``.
PAGE_SIZE = 10
MAX_LIMIT = 100
#: Deeper pages cost the engine page * limit collected hits; nobody reads page 10,001.
MAX_PAGE = 10_000
SIMILAR_LIMIT = 10
#: Values of a facet shown before its "more" (100 articles and 52 courts pushed the facets
#: below them thousands of pixels down); a value in use is always shown.
FACET_SHOWN = 5
#: Searches with wildcards, prefixes or word ranges run at once; others wait their turn for up
#: to ``EXPANDING_WAIT`` seconds. Each such search may take the whole search time limit, and
#: six at once held plain searches from 0.07 s to 4-8 s.
EXPANDING_SEARCHES = 1
EXPANDING_WAIT = 5.0
#: Descriptions of facts compared at once (each embeds up to ~40 passages: seconds of a core);
#: others wait their turn for up to ``EXPANDING_WAIT`` seconds, then get 503 Busy.
FACT_SEARCHES = 1
#: Documents whose related documents and entity legend are kept for their next page.
RELATED_KEPT = 256
Sort = Literal["relevance", "newest", "oldest"]
#: ``expand`` values that turn the other languages' terms off or on (read leniently).
Mode = Literal["words", "meaning", "both"]
DocId = Annotated[str, PathParam(description="Document id, as in search hits")]

NO_TELEMETRY: TelemetryConfig = {"tracing": False, "metrics": False, "logs": False, "operation_spans": False,
                "auto_configure": False}

FACET_LABELS = {"state": N_("Respondent state"), "article": N_("Article"),
                "outcome": N_("Outcome"), "court": N_("Court"), "year": N_("Year"),
                "language": N_("Language"), "kind": N_("Kind")}
# Kinds, outcomes and languages are named by the search facets' tables (imported above), so a
# hit, its facet and its document page call a thing by one name.

def create_app(index_dir: Path, *, allowed_hosts: list[str] | None = None) -> FastAPI:
    """The web application over the index in ``index_dir``.

    ``allowed_hosts`` are the names the Host header may carry (default: this machine's loopback
    names); anything else gets 400, which is what stops DNS-rebinding pages from reading it.

    >>> app = create_app(Path("index"))
    >>> sorted(r.path for r in app.routes if r.path.startswith("/api/documents"))[:2]
    ['/api/documents/{doc_id}', '/api/documents/{doc_id}/cited-by']
    """
    index_dir = Path(index_dir)
    app = FastAPI(
        title="precedents",
        version=__version__,
        description="Search ECHR judgments and Russian court rulings stored on this computer. "
                    "Searches answer GET (and HEAD); POST /api/similar reads a description "
                    "of facts from its body and changes nothing. Writes (POST) need the "
                    "token of GET /api/csrf in an X-CSRF-Token header, with its cookie. "
                    'Errors are `{"error": "..."}` with status 400 (bad query), 403 (a '
                    "write without its token, or from another site), 404 (unknown "
                    "document), 413 (body too large) or 503 (index missing or being "
                    "rebuilt, or busy).",
        docs_url=None, redoc_url=None, openapi_url="/openapi.json",
        # FastAPI's OpenTelemetry would record request URLs, which carry the queries (victims'
        # names), and FASTAPI_OTEL_AUTO_CONFIGURE=true would export them: nothing leaves here.
        telemetry=NO_TELEMETRY,
    )
    app.add_middleware(i18n.Language)
    app.add_middleware(Guard, allowed_hosts=allowed_hosts or DEFAULT_HOSTS)
    app.openapi = _answers_400(app.openapi)  # type: ignore[method-assign]
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    env = Environment(loader=PackageLoader("pipeline.web", "templates"),
                      autoescape=select_autoescape(default=True, default_for_string=True),
                      trim_blocks=True, lstrip_blocks=True, extensions=["jinja2.ext.i18n"])
    # Every string a page shows is marked for translation (``{{ _("...") }}``, ``{% trans %}``);
    # each render is given its request's ``gettext`` (see ``render``), so the environment's own
    # are only the fallback of a template drawn outside a request, and newstyle is set here.
    env.install_null_translations(newstyle=True)  # type: ignore[attr-defined]
    for language in i18n.LANGUAGES:  # compiled once, before the server forks
        i18n.translations(language)
    # Forms that write carry a token only this process can make (see ``csrf``); forked
    # server processes share it, as the application is made before they fork.
    secret = csrf.new_secret()
    env.globals.update(kind_label=kind_label, language_label=language_label, doc_url=doc_url)

    # What a document's page shows beside its text costs more than the text (similar
    # documents, resolved citations: 1.3 s for the longest judgment), and a reader paging
    # through a long text asks for it again on every part: kept while the index and catalogue
    # files stay as they are.
    related = _Recent(RELATED_KEPT)
    legends = _Recent(RELATED_KEPT)
    # The opened index, kept while its files stay as they are: opening it per request threw
    # away what it keeps per segment (facet values, field lengths), which was a third of the
    # time of a search under load. Each search still reads the newest commit (a Whoosh
    # searcher reads the table of contents; a changed folder opens it again).
    # Its lag behind the catalogue is kept with it: both change only when those files do.
    kept = _Recent(2)

    def index_and_lag(catalogue: Catalogue) -> tuple[Any, str | None]:
        def open_() -> tuple[Any, str | None]:
            index = _open_index(index_dir, catalogue)
            return index, _lag(index_dir, index, catalogue)
        return kept.get_or(_index_state(index_dir), open_)

    def index_of(catalogue: Catalogue):
        return index_and_lag(catalogue)[0]

    def lag_of(catalogue: Catalogue) -> str | None:
        return index_and_lag(catalogue)[1]

    def render(name: str, status: int = 200, **context: Any) -> HTMLResponse:
        """A page in the request's interface language (``i18n.Language`` chose it)."""
        choice = i18n.current_choice()
        context = {**choice.ui.template_functions(), "lang": choice.ui.language,
                   "switch": choice.switch, **context}
        return HTMLResponse(env.get_template(name).render(**context), status_code=status)

    def render_form(request: Request, name: str, status: int = 200,
                    **context: Any) -> HTMLResponse:
        """``render`` for a page with a form that writes: the template gets ``csrf`` (the
        token for its hidden ``csrf.FIELD`` input), and the browser the cookie it belongs to."""
        nonce = csrf.nonce(request)
        response = render(name, status, csrf=csrf.token(secret, nonce), **context)
        csrf.remember(response, nonce)
        return response

    def check_csrf(request: Request, sent: str | None = None) -> None:
        """Raise ``csrf.Forbidden`` (403) unless the write carries this browser's token: the
        form field's value as ``sent``, or None to read the ``X-CSRF-Token`` header."""
        csrf.verify(secret, request, sent)

    app.state.render_form = render_form
    app.state.check_csrf = check_csrf
    app.state.render = render
    app.state.index_state = lambda: _index_state(index_dir)
    app.state.lag_of = lag_of
    app.state.kept_stats = _Recent(STATS_KEPT)
    add_upload_routes(app, index_dir)
    add_stats_routes(app, index_dir)

    @contextmanager
    def opened(with_index: bool = True) -> Iterator[tuple[Catalogue, Any]]:
        catalogue = open_catalogue(index_dir)
        try:
            yield catalogue, (index_of(catalogue) if with_index else None)
        finally:
            catalogue.close()

    # -- errors ----------------------------------------------------------------------------

    def wants_json(request: Request) -> bool:
        return request.url.path.startswith("/api/") or request.url.path == "/openapi.json"

    def error(request: Request, status: int, message: str,
              exc: PipelineError | None = None) -> Response:
        """The error as JSON (in English: the API is read by programs) or as a page in the
        interface language (``message`` is a msgid, or ``exc`` carries its template)."""
        if wants_json(request):
            return JSONResponse({"error": message}, status_code=status)
        ui = i18n.current()
        heading = {404: N_("Not found"), 400: N_("Bad request"), 403: N_("Forbidden"),
                   503: N_("Index unavailable")}.get(status, N_("Error"))
        if message.startswith(BUSY):
            heading = N_("Busy")
        shown = i18n.error_message(exc, ui) if exc is not None else ui.gettext(message)
        return render("error.html", status, heading=ui.gettext(heading), message=shown)

    app.state.opened, app.state.error = opened, error

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        message = {404: N_("No such page.")}.get(exc.status_code, str(exc.detail))
        if message == "There was an error parsing the body":  # FastAPI's, on a body not JSON
            message = "The request body could not be read: send JSON, in UTF-8"
        return error(request, exc.status_code, message)

    @app.exception_handler(RequestValidationError)
    async def validation_error(request: Request, exc: RequestValidationError) -> Response:
        problems = "; ".join("body: not JSON" if e["type"] == "json_invalid" else
                             f"{'.'.join(str(p) for p in e['loc'][1:]) or e['loc'][0]}: "
                             f"{e['msg']}" for e in exc.errors())
        return error(request, 400, f"Invalid parameters: {problems}",
                     QueryError(N_("Invalid parameters: %(problems)s"), problems=problems))

    @app.exception_handler(DocumentNotFound)
    async def not_found(request: Request, exc: DocumentNotFound) -> Response:
        return error(request, 404, N_("No document with this id."))

    @app.exception_handler(QueryError)
    async def bad_query(request: Request, exc: QueryError) -> Response:
        return error(request, 400, str(exc), exc)

    @app.exception_handler(csrf.Forbidden)
    async def forbidden(request: Request, exc: csrf.Forbidden) -> Response:
        return error(request, 403, str(exc), exc)

    @app.exception_handler(Busy)
    async def busy(request: Request, exc: Busy) -> Response:
        response = error(request, 503, str(exc), exc)
        response.headers["Retry-After"] = "5"
        return response

    @app.exception_handler(PipelineError)
    async def unavailable(request: Request, exc: PipelineError) -> Response:
        return error(request, 503, str(exc), exc)

    # -- pages -----------------------------------------------------------------------------

    @app.get("/", response_class=HTMLResponse, include_in_schema=False)
    @app.get("/search", response_class=HTMLResponse, include_in_schema=False)
    def search_page(request: Request, q: str = "", page_: str = Query("1", alias="page"),
                    filter: list[str] = Query([]), sort: str = "relevance",
                    limit: str = str(PAGE_SIZE), expand: str = "", mode: str = "") -> HTMLResponse:
        # Parameters are read leniently here: a person who edits the URL gets a page, not a 422.
        number = min(_positive(page_, 1), MAX_PAGE)
        size = min(_positive(limit, PAGE_SIZE), MAX_LIMIT)
        sort = sort if sort in SORTS else "relevance"
        filter = [f for f in filter if f.strip()]
        chosen = _mode(index_dir, mode)
        widen = _widens(expand, chosen)
        ui = i18n.current()
        context: dict[str, Any] = {"q": q, "filters": filter, "sort": sort, "sorts": SORTS,
                                   "results": None, "error": None, "limit": size,
                                   "expand": widen, "max_words": _max_words(),
                                   "can_describe": _has_layer(index_dir)}
        try:
            with opened() as (catalogue, index):
                results = _search(index, catalogue, q, page=number, limit=size, sort=sort,
                                  filters=filter, expand=widen, index_dir=index_dir, mode=chosen)
                context["lag"] = lag_of(catalogue)
        except QueryError as exc:
            context["error"] = i18n.error_message(exc, ui)
            return render("search.html", 400, **context)
        url = SearchURL(q, filter, sort, size, widen)
        context["offer"] = [] if widen else _would_widen(q)
        # A page past the last (an edited or old link: the index may have shrunk) says so
        # and links to the last, rather than showing the last page's hits under its number.
        context["past_end"] = url.page(results.pages) if 0 < results.pages < number else None
        context.update(results=results, facets=_facets(results, url, ui), url=url,
                       filter_labels=_filter_labels(results, filter, ui),
                       hits=[_hit_view(h, ui, url) for h in results.hits],
                       suggestions=[(s, SearchURL(s.query, filter, sort, size, widen).build())
                                    for s in results.suggestions])
        # Each hit has a form that adds it to a case file: the page carries the write token.
        return render_form(request, "search.html", search_mode=chosen, **context)

    @app.get("/similar", response_class=HTMLResponse, include_in_schema=False)
    def similar_form() -> HTMLResponse:
        # The box's results come from a POST; asked for again by address, the empty box.
        return render("search.html", q="", filters=[], sort="relevance", sorts=SORTS,
                      results=None, error=None, limit=PAGE_SIZE, expand=None, described="",
                      max_words=_max_words(), can_describe=True)

    @app.post("/similar", response_class=HTMLResponse, include_in_schema=False)
    async def similar_page(request: Request) -> HTMLResponse:
        """The "Describe your case" box: a form POST (a description is too long for a URL)."""
        body = await request.body()
        return await run_in_threadpool(described_page, body,
                                       request.headers.get("content-type", ""))

    def described_page(body: bytes, content_type: str) -> HTMLResponse:
        context: dict[str, Any] = {"q": "", "filters": [], "sort": "relevance", "sorts": SORTS,
                                   "results": None, "error": None, "limit": PAGE_SIZE,
                                   "expand": None, "described": "", "max_words": _max_words(),
                                   "can_describe": True}
        try:
            form = _form(body, content_type)
            text = (form.get("text") or [""])[0]
            context["described"] = text
            context["filters"] = [f for f in form.get("filter", []) if f.strip()]
            with opened() as (catalogue, index):
                results = _similar_text(index, catalogue, text, index_dir=index_dir,
                                        limit=PAGE_SIZE, page=1, filters=context["filters"])
        except (QueryError, IndexError_) as exc:
            context["error"] = i18n.error_message(exc, i18n.current())
            return render("search.html", 400 if isinstance(exc, QueryError) else 503,
                          **context)
        context.update(results=results, hits=[_hit_view(h, i18n.current())
                                              for h in results.hits],
                       filter_labels={f: f for f in context["filters"]})
        return render("search.html", **context)

    @app.get("/documents/{doc_id}", response_class=HTMLResponse, include_in_schema=False)
    def document_page(request: Request, doc_id: str, entities: str = "on", part: str = "",
                      para: str = "", q: str = "", find: str = "",
                      expand: str = "") -> HTMLResponse:
        # ``?entities=off`` draws the text without entity marks (the legend links to it); any
        # other value keeps the default, so an edited URL still gets a page. A long text is
        # drawn a part at a time: ``?part=N``, or ``?para=K`` for the part holding paragraph K
        # (links to a paragraph carry it, with ``#p-K``, so they land on the right page).
        # ``?find=`` (the page's own box) or ``?q=`` (a search's, from its hits) marks the
        # query's words; every link between parts keeps it.
        show_entities = entities != "off"
        ui = i18n.current()
        finding = find.strip() or q.strip()
        keep = ({"find": find} if find.strip() else
                {"q": q, **({"expand": "1"} if expand.strip().lower() in ON else {})}
                if q.strip() else {})
        with opened(with_index=False) as (catalogue, _):
            record = _public(catalogue, doc_id)
            cites, cited_by, similar, index_error = [], [], None, None
            key = (doc_id, _index_state(index_dir))
            known = related.get(key)
            if known is not None:
                cites, cited_by, similar = known
            else:
                try:
                    index = index_of(catalogue)
                    cites = index.cites(doc_id, catalogue)
                    cited_by = index.cited_by(doc_id, catalogue)
                    similar = index.similar(doc_id, catalogue, limit=SIMILAR_LIMIT,
                                            snippets=False)
                    related.put(key, (cites, cited_by, similar))
                except IndexError_ as exc:
                    # The text is in the catalogue: show it even while the index is being
                    # rebuilt.
                    index_error = str(exc)
        citation = _citation_for(record)
        parts = text_parts(record)
        number = _part_number(parts, part, para)
        shown = parts[number - 1]
        pages = DocumentPages(doc_id, parts, number, show_entities, ui, keep)
        found = find_in(record, finding, _schema(), expand="expand" in keep,
                        href=pages.mark_href) if finding else None
        return render_form(
            request, "document.html", para=para, record=record, citation=citation,
            metadata=document_facts(record, ui),
            sections=[(pages.section_href(i), section_label(s["name"], record["language"], ui))
                      for i, s in enumerate(record["sections"])],
            text_html=render_text(record, citation_targets(record["citations"], cites),
                                  entities=show_entities,
                                  part=shown if len(parts) > 1 else None, tr=ui,
                                  marks=found.marks if found else ()),
            pages=pages, entities_on=show_entities, legend=legends.get_or(
                (doc_id, _index_state(index_dir), ui.language),
                lambda: entity_legend(record, ui)),
            entities_toggle=pages.href(number, entities=not show_entities),
            found=found, finding=finding, by_find=bool(find.strip()),
            first_here=next(("#" + mark_id(m.number) for m in found.marks
                             if shown.start <= m.start < shown.end), None) if found else None,
            unmarked=pages.href(number, marking=False),
            cites=cites, cited_by=cited_by, similar=similar, index_error=index_error,
        )

    @app.get("/api", response_class=HTMLResponse, include_in_schema=False)
    def api_page() -> HTMLResponse:
        endpoints = [(", ".join(sorted(r.methods or ())), r.path, r.summary, r.description)
                     for r in app.routes if isinstance(r, APIRoute) and r.include_in_schema
                     and r.path.startswith("/api/")]
        return render("api.html", endpoints=endpoints)

    # -- JSON API --------------------------------------------------------------------------

    errors = {400: {"model": schemas.Error, "description": "The query could not be understood"},
              404: {"model": schemas.Error, "description": "No document with this id"},
              413: {"model": schemas.Error, "description": "The request body is over 1 MB"},
              503: {"model": schemas.Error, "description": "The index is missing or unreadable"}}

    @app.get("/api/csrf", response_model=schemas.Csrf, tags=["writes"],
             summary="A token for writes from a client that is not this site's page")
    def csrf_token(request: Request) -> JSONResponse:
        """Send the token back in the ``X-CSRF-Token`` header of each write, with the cookie
        this answer sets. Another site's page cannot read this answer, so cannot forge a
        write."""
        nonce = csrf.nonce(request)
        response = JSONResponse({"token": csrf.token(secret, nonce), "header": "X-CSRF-Token",
                                 "cookie": csrf.COOKIE})
        csrf.remember(response, nonce)
        return response

    @app.get("/api/search", response_model=schemas.SearchResults, tags=["search"],
             summary="Search the precedents",
             description="Exactly the JSON of `precedents search --json`, plus facet counts. "
                         "An empty `q` lists every document.",
             responses={k: errors[k] for k in (400, 503)})
    def api_search(
        q: Annotated[str, Query(description='Query: words, "phrases", "a b"~5, AND/OR/NOT, '
                                            "fields such as article:3 or state:Russia, "
                                            "identifiers as printed (17280/08)")] = "",
        page: Annotated[int, Query(ge=1, le=MAX_PAGE, description="Page number, from 1")] = 1,
        limit: Annotated[int, Query(ge=1, le=MAX_LIMIT, description="Hits per page")] = PAGE_SIZE,
        filter: Annotated[list[str], Query(description="Query-language clauses every hit must "
                                           "match (repeatable); facets give ready ones")] = [],
        sort: Annotated[Sort, Query(description="Order of the hits")] = "relevance",
        expand: Annotated[bool | None, Query(
            description="Also search the other languages' terms of legal concepts the words "
                        "name (пытки: torture, torture (fr)), listed in `expanded`; `expand=0`: "
                        "only the words typed. Default: on, except in words mode")] = None,
        mode: Annotated[Mode | None, Query(description="Match by words, meaning (paragraphs "
                                           "close to q in any language) or both; default both "
                                           "where the index has a meaning layer")] = None,
    ) -> JSONResponse:
        chosen = _mode(index_dir, mode)
        with opened() as (catalogue, index):
            results = _search(index, catalogue, q, page=page, limit=limit, sort=sort,
                              filters=filter, expand=_widens(expand, chosen), index_dir=index_dir,
                              mode=chosen)
            lag = lag_of(catalogue)
        # The body stays exactly `search --json`; the lag goes in a header, as ASCII.
        return JSONResponse(results.to_json(), headers={
            "X-Index-Lag": lag.encode("ascii", "backslashreplace").decode()} if lag else None)

    @app.post("/api/similar", response_model=schemas.SearchResults, tags=["search"],
              summary="Judgments like a description of facts",
              description="Exactly the JSON of `precedents similar --text - --json`: the "
                          "judgments closest in meaning to `text` (any language, up to 2,000 "
                          "words), each with its best-matching paragraph (`paragraph_text`) "
                          "and pinpoint `citation`. Needs the index's meaning layer (503 "
                          "without it); an empty text, NUL bytes or more than 2,000 words get "
                          "400 with the reason.",
              responses={k: errors[k] for k in (400, 413, 503)})
    def api_similar_text(body: schemas.SimilarText) -> JSONResponse:
        with opened() as (catalogue, index):
            results = _similar_text(index, catalogue, body.text, index_dir=index_dir,
                                    limit=body.limit, page=body.page, filters=body.filters)
        return JSONResponse(results.to_json())

    @app.get("/api/documents/{doc_id}", response_model=schemas.Record, tags=["documents"],
             summary="One precedent record",
             description="Exactly the JSON of `precedents show ID --json`: metadata, text, "
                         "paragraphs, sections, entities, citations.",
             responses={k: errors[k] for k in (404, 503)})
    def api_document(doc_id: DocId) -> JSONResponse:
        with opened(with_index=False) as (catalogue, _):
            return JSONResponse(_shown(catalogue, doc_id))

    @app.get("/api/documents/{doc_id}/similar", response_model=schemas.SearchResults,
             tags=["documents"], summary="Precedents similar to one document",
             description="Documents sharing the most distinctive terms with this one.",
             responses={k: errors[k] for k in (404, 503)})
    def api_similar(
        doc_id: DocId,
        limit: Annotated[int, Query(ge=1, le=MAX_LIMIT)] = SIMILAR_LIMIT,
    ) -> JSONResponse:
        with opened() as (catalogue, index):
            _require(catalogue, doc_id)
            return JSONResponse(index.similar(doc_id, catalogue, limit=limit).to_json())

    @app.get("/api/documents/{doc_id}/cites", response_model=schemas.Cites, tags=["documents"],
             summary="Cases a document cites",
             description="Each citation as printed, with the id of the cited document when the "
                         "index holds it.",
             responses={k: errors[k] for k in (404, 503)})
    def api_cites(doc_id: DocId) -> JSONResponse:
        with opened() as (catalogue, index):
            _require(catalogue, doc_id)
            cites = index.cites(doc_id, catalogue)
        return JSONResponse({"id": doc_id, "cites": [c.to_json() for c in cites]})

    @app.get("/api/documents/{doc_id}/cited-by", response_model=schemas.CitedBy,
             tags=["documents"], summary="Documents citing a document",
             description="The documents in the index whose citations resolve to this one.",
             responses={k: errors[k] for k in (404, 503)})
    def api_cited_by(doc_id: DocId) -> JSONResponse:
        with opened() as (catalogue, index):
            _require(catalogue, doc_id)
            cited_by = index.cited_by(doc_id, catalogue)
        return JSONResponse({"id": doc_id, "cited_by": [c.to_json() for c in cited_by]})

    from pipeline.web import casefiles as casefile_pages, checks as check_pages
    casefile_pages.install(app, env, index_dir)
    check_pages.install(app, index_dir)
    return app


def _answers_400(make: Callable[[], dict[str, Any]]) -> Callable[[], dict[str, Any]]:
    """``app.openapi`` declaring what the server answers to invalid parameters: 400 with the
    ``Error`` model (``validation_error``), where FastAPI declares its own 422 and
    ``HTTPValidationError``, which no client ever gets."""
    def openapi() -> dict[str, Any]:
        spec = make()
        for item in spec.get("paths", {}).values():
            for operation in item.values():
                responses = operation.get("responses", {})
                # A path parameter is any string: only queries and bodies can be invalid.
                checked = operation.get("requestBody") or any(
                    p.get("in") != "path" for p in operation.get("parameters", []))
                if responses.pop("422", None) is not None and checked:
                    responses.setdefault("400", {
                        "description": "Invalid parameters or query",
                        "content": {"application/json": {
                            "schema": {"$ref": "#/components/schemas/Error"}}}})
        schemas_ = spec.get("components", {}).get("schemas", {})
        for name in ("HTTPValidationError", "ValidationError"):
            schemas_.pop(name, None)
        return spec
    return openapi


# -- data access ---------------------------------------------------------------------------


def open_catalogue(index_dir: Path) -> Catalogue:
    """The catalogue opened read-only (SQLite ``mode=ro``, ``query_only``): the server must never
    write, not even the schema statements of a normal open, while an ingest holds it. A missing
    or unreadable catalogue is the same 503 as a missing index."""
    try:
        return Catalogue.open(index_dir, readonly=True)
    except CatalogueError as exc:
        raise IndexError_(str(exc)) from exc


def _open_index(index_dir: Path, catalogue: Catalogue):
    from pipeline.search import open_index

    return open_index(index_dir, catalogue, readonly=True)


def _lag(index_dir: Path, index, catalogue: Catalogue) -> str | None:
    """Why the index disagrees with the catalogue (documents not searchable yet), or None."""
    from pipeline.search import index_lag

    return index_lag(index_dir, index, catalogue)


class _Recent:
    """The last ``size`` values by key, shared by the server's threads."""

    def __init__(self, size: int):
        self.size = size
        self._items: OrderedDict[Any, Any] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: Any) -> Any:
        with self._lock:
            value = self._items.get(key)
            if value is not None:
                self._items.move_to_end(key)
            return value

    def put(self, key: Any, value: Any) -> None:
        with self._lock:
            self._items[key] = value
            self._items.move_to_end(key)
            while len(self._items) > self.size:
                self._items.popitem(last=False)

    def get_or(self, key: Any, make: Callable[[], Any]) -> Any:
        value = self.get(key)
        if value is None:
            value = make()
            self.put(key, value)
        return value


def _index_state(index_dir: Path) -> tuple:
    """What changes whenever an ingest, import or rebuild commits: the times and sizes of the
    catalogue's files and of the index folders (a commit adds or renames files in them)."""
    state: list[tuple[int, int] | None] = []
    for path in (index_dir, index_dir / "catalogue.sqlite", index_dir / "catalogue.sqlite-wal",
                 index_dir / "whoosh", index_dir / "tantivy"):
        try:
            stat = path.stat()
            state.append((stat.st_mtime_ns, stat.st_size))
        except OSError:
            state.append(None)
    return tuple(state)


def _mode(index_dir: Path, mode: str | None) -> str:
    """The page's and the API's ``mode``: as asked, else both where the index has a meaning
    layer, else words (an unknown value, from an edited URL, is the default)."""
    from pipeline.search.meaning.fuse import chosen_mode

    return chosen_mode(index_dir, mode)


BUSY = "the server is busy"
_expanding = threading.BoundedSemaphore(EXPANDING_SEARCHES)


def _search(index, catalogue: Catalogue, q: str, *, index_dir: Path, mode: str, **kwargs: Any):
    """A search in ``mode`` (``_mode``)."""
    from pipeline.search.meaning.fuse import search as by_mode

    def run():
        return by_mode(index, index_dir, q, catalogue, mode=mode, facets=True, **kwargs)

    if not _expands(q, kwargs.get("filters") or ()):
        return run()
    if not _expanding.acquire(timeout=EXPANDING_WAIT):
        raise Busy("the server is busy with other searches using wildcards or ranges; "
                   "try again in a moment")
    try:
        return run()
    finally:
        _expanding.release()


_describing = threading.BoundedSemaphore(FACT_SEARCHES)


def _similar_text(index, catalogue: Catalogue, text: str, *, index_dir: Path, limit: int,
                  page: int, filters: Sequence[str]):
    """``facts.similar_to_text``, one at a time (``FACT_SEARCHES``). Without a meaning layer
    it is a 503 (the index lacks a part), like a missing index."""
    from pipeline.search.meaning.facts import similar_to_text

    if not _has_layer(index_dir):
        raise IndexError_(N_("this index has no meaning layer, which a description of facts "
                             "is compared with (build it with `precedents reindex --meaning`)"))
    if not _describing.acquire(timeout=EXPANDING_WAIT):
        raise Busy("the server is busy comparing other descriptions of facts; "
                   "try again in a moment")
    try:
        return similar_to_text(index, index_dir, text, catalogue, limit=limit, page=page,
                               filters=filters)
    finally:
        _describing.release()


def _has_layer(index_dir: Path) -> bool:
    from pipeline.search.meaning.fuse import has_layer

    return has_layer(index_dir)


def _max_words() -> int:
    from pipeline.search.meaning.facts import MAX_WORDS

    return MAX_WORDS


def _form(body: bytes, content_type: str) -> dict[str, list[str]]:
    """The fields of a form POST (``application/x-www-form-urlencoded``, UTF-8), or a
    QueryError saying why it cannot be read."""
    if content_type.split(";")[0].strip().lower() != "application/x-www-form-urlencoded":
        raise QueryError("send the description with the form on this page")
    try:
        return parse_qs(body.decode("ascii"), keep_blank_values=True, encoding="utf-8",
                        errors="strict", max_num_fields=100)
    except UnicodeDecodeError:
        raise QueryError("the description holds bytes that are not valid text (UTF-8)") from None
    except ValueError:
        raise QueryError("the form holds too many fields") from None


@lru_cache(maxsize=1)
def _schema():
    from pipeline.search.language.schema import get_schema

    return get_schema()


def _would_widen(q: str) -> list:
    """The terms the thesaurus would add to ``q`` (the page offers them when it is off)."""
    from pipeline.search.language.query import parse_search_query

    try:
        return parse_search_query(q, _schema(), allow_empty=True, expand=True)[2]
    except QueryError:
        return []


def _expands(q: str, filters: Sequence[str]) -> bool:
    """Whether the query or a filter holds wildcards, prefixes or word ranges (a query that
    cannot be parsed is left to the engine, which says why)."""
    from pipeline.search.language.query import expanding, parse_query

    schema = _schema()
    try:
        return any(expanding(parse_query(text, schema, allow_empty=True)[0])
                   for text in [q, *filters] if "*" in text or "?" in text or " TO " in text
                   or "[" in text or "{" in text)
    except QueryError:
        return False


def _require(catalogue: Catalogue, doc_id: str) -> None:
    if catalogue.document(doc_id) is None:
        raise DocumentNotFound(doc_id)


def _public(catalogue: Catalogue, doc_id: str) -> PublicRecord:
    """The public record of a document looked up by id only: nothing from the request is ever
    used as a path (``precedents show`` also accepts paths; the server must not)."""
    doc = catalogue.document(doc_id)
    if doc is None:
        raise DocumentNotFound(doc_id)
    return public_record(doc, catalogue.source(doc.source_path))


def _shown(catalogue: Catalogue, doc_id: str) -> ShownRecord:
    """``_public`` with the document's copies, as ``show --json`` gives it."""
    doc = catalogue.document(doc_id)
    if doc is None:
        raise DocumentNotFound(doc_id)
    return shown_record(catalogue, doc)


def _citation_for(record: PublicRecord) -> str | None:
    from pipeline.present.pinpoint import citation_for

    return citation_for(record)


def _positive(value: str, default: int) -> int:
    """``value`` as an integer of at least 1, else ``default``.

    >>> _positive("3", 1), _positive("0", 1), _positive("x", 7)
    (3, 1, 7)
    """
    try:
        return max(int(value), 1)
    except ValueError:
        return default


# -- views ---------------------------------------------------------------------------------


def _part_number(parts: Sequence[Part], part: str, para: str) -> int:
    """The part (from 1) a request asks for: ``para`` (the part holding that paragraph) first,
    then ``part``; an unknown or out-of-range value gives the first part, not an error."""
    if para:
        for n, candidate in enumerate(parts, 1):
            if para in candidate.paragraphs:
                return n
    return min(_positive(part, 1), len(parts))


@dataclass
class DocumentPages:
    """Links between the parts of one long document's page, for the template."""

    doc_id: str
    parts: Sequence[Part]
    number: int
    entities: bool = True
    tr: Translator = ENGLISH
    #: Parameters every link between parts carries: the words marked (``q``/``find``).
    keep: Mapping[str, str] = field(default_factory=dict)

    @property
    def count(self) -> int:
        return len(self.parts)

    def href(self, number: int, *, entities: bool | None = None, marking: bool = True) -> str:
        params = {}
        if number != 1:
            params["part"] = str(number)
        if not (self.entities if entities is None else entities):
            params["entities"] = "off"
        if marking:
            params.update(self.keep)
        url = "/documents/" + quote(self.doc_id, safe="")
        return url + ("?" + urlencode(params) if params else "")

    def part_of(self, offset: int) -> int:
        """The part (from 1) whose text holds character ``offset``."""
        return max(bisect_right([p.start for p in self.parts], offset), 1)

    def mark_href(self, mark: int, offset: int) -> str:
        """A link to the ``mark``-th marked place (at ``offset``), on this part or another."""
        anchor = "#" + mark_id(mark)
        number = self.part_of(offset)
        return anchor if number == self.number else self.href(number) + anchor

    def label(self, number: int) -> str:
        """"§§ 35–80" for a part holding numbered paragraphs, else "part N"."""
        part = self.parts[number - 1]
        if part.first is None:
            return self.tr.gettext("part %(number)s") % {"number": number}
        return f"§ {part.first}" if part.first == part.last else f"§§ {part.first}–{part.last}"

    def paragraph_href(self, paragraph: str) -> str:
        """A link to a paragraph of this document: its anchor, on this part or another."""
        anchor = "#p-" + quote(str(paragraph), safe="")
        for n, part in enumerate(self.parts, 1):
            if str(paragraph) in part.paragraphs:
                return anchor if n == self.number else self.href(n) + anchor
        return anchor

    def section_href(self, index: int) -> str:
        anchor = "#" + section_anchor(index)
        for n, part in enumerate(self.parts, 1):
            if index in part.sections:
                return anchor if n == self.number else self.href(n) + anchor
        return anchor


def kind_label(kind: str | None, tr: Translator = ENGLISH) -> str:
    """A reader's name for a ``kind`` value (the value itself when unknown)."""
    label = KIND_LABELS.get(kind or "")
    return tr.gettext(label) if label else kind or ""


def language_label(language: str | None, tr: Translator = ENGLISH) -> str:
    label = LANGUAGE_LABELS.get(language or "")
    return tr.gettext(label) if label else language or ""


class SearchURL:
    """Builds search-page links that keep the query, sort and filters of the current page.

    >>> url = SearchURL("пытка", ["state:russia"], "newest", 10)
    >>> url.with_filter("article:3")
    '/search?q=%D0%BF%D1%8B%D1%82%D0%BA%D0%B0&filter=state%3Arussia&filter=article%3A3&sort=newest'
    >>> url.without_filter("state:russia")
    '/search?q=%D0%BF%D1%8B%D1%82%D0%BA%D0%B0&sort=newest'
    """

    def __init__(self, q: str, filters: Sequence[str], sort: str, limit: int,
                 expand: bool | None = None):
        self.q, self.filters, self.sort, self.limit = q, list(filters), sort, limit
        self.expand = expand

    def build(self, filters: Sequence[str] | None = None, page: int = 1,
              expand: bool | None = None) -> str:
        params = [("q", self.q)] + [("filter", f) for f in (self.filters if filters is None
                                                            else filters)]
        expand = self.expand if expand is None else expand
        if expand is not None and expand != _widens(None):
            params.append(("expand", "1" if expand else "0"))
        if self.sort != "relevance":
            params.append(("sort", self.sort))
        if self.limit != PAGE_SIZE:
            params.append(("limit", str(self.limit)))
        if page > 1:
            params.append(("page", str(page)))
        return "/search?" + urlencode(params)

    def with_filter(self, clause: str) -> str:
        return self.build([*self.filters, clause] if clause not in self.filters else None)

    def without_filter(self, clause: str) -> str:
        return self.build([f for f in self.filters if f != clause])

    def stats(self) -> str:
        """The statistics page of the same query and filters.

        >>> SearchURL("пытка", ["state:russia"], "relevance", 10, False).stats()
        '/stats?q=%D0%BF%D1%8B%D1%82%D0%BA%D0%B0&filter=state%3Arussia'
        """
        params = ([("q", self.q)] if self.q else []) + [("filter", f) for f in self.filters]
        return "/stats" + ("?" + urlencode(params) if params else "")

    def page(self, number: int) -> str:
        return self.build(page=number)

    def unexpanded(self) -> str:
        """This search with the words typed only (no terms of other languages added)."""
        return self.build(expand=False)

    def expanded(self) -> str:
        """This search with the other languages' terms of the concepts its words name."""
        return self.build(expand=True)

    def expand_param(self) -> str:
        """The ``expand`` a form must carry on to keep this page's choice ("" for the default)."""
        return "" if self.expand is None or self.expand == _widens(None) else \
            "1" if self.expand else "0"


def named(name: str, tr: Translator = ENGLISH) -> str:
    """A printed name in the interface language when it is one of ``NAMED``, else as printed."""
    return tr.gettext(name) if name in NAMED else name


def facet_name(field: str, tr: Translator = ENGLISH) -> str:
    """A facet's heading ("Respondent state")."""
    return tr.gettext(FACET_LABELS[field]) if field in FACET_LABELS else field.title()


def _value_label(field: str, value: Any, label: str, ui: Interface) -> str:
    """A facet value's label in the interface language: the facets' own labels, states by
    their CLDR names; courts and years as counted (a court is named as it names itself)."""
    if ui.language == i18n.DEFAULT or field == "year":
        return label
    if field == "court":
        return named(label, ui)
    if field == "state":
        return i18n.state_name(str(value), label, ui)
    from pipeline.search.facets import facet_label

    return facet_label(field, str(value), lambda _: label, ui)[0]


def _facets(results, url: SearchURL, ui: Interface = i18n.interface(i18n.DEFAULT)
            ) -> list[dict[str, Any]]:
    """Facet fields in the engine's order, each value with the link that adds (or, when already
    active, removes) its filter: the first ``FACET_SHOWN`` values and the active ones in
    ``values``, the rest in ``more`` (folded on the page)."""
    out = []
    for field, counts in results.facets.items():
        values = []
        for c in counts:
            active = c.filter in url.filters
            values.append({"label": _value_label(field, c.value, c.label or c.value, ui),
                           "count": c.count, "active": active,
                           "href": url.without_filter(c.filter) if active
                           else url.with_filter(c.filter)})
        if values:
            shown = [v for n, v in enumerate(values) if n < FACET_SHOWN or v["active"]]
            out.append({"name": field, "label": facet_name(field, ui),
                        "values": shown, "more": [v for v in values if v not in shown]})
    return out


def _filter_labels(results, filters: Sequence[str],
                   ui: Interface = i18n.interface(i18n.DEFAULT)) -> dict[str, str]:
    """A readable name for each active filter ("Respondent state: Russia"), when a facet value
    carries that clause; other filters are shown as typed."""
    labels: dict[str, str] = {}
    for field, counts in results.facets.items():
        for c in counts:
            if c.filter in filters:
                labels[c.filter] = (f"{facet_name(field, ui) if field in FACET_LABELS else field}"
                                    f": {_value_label(field, c.value, c.label or c.value, ui)}")
    return {f: labels.get(f, f) for f in filters}


def _hit_view(hit, ui: Interface = i18n.interface(i18n.DEFAULT),
              url: SearchURL | None = None) -> dict[str, Any]:
    """What the page shows of a hit; its link carries the search's query (``url``), whose
    words the document's page marks."""
    snippet = hit.snippet
    section = section_label(hit.section, hit.language, ui) if hit.section else None
    return {
        "hit": hit,
        "href": doc_url(hit.id, hit.paragraph, url.q if url else "",
                        bool(url and url.expand)),
        "meta": [x for x in (ui.date(hit.date), named(hit.court or "", ui),
                             kind_label(hit.kind, ui), language_label(hit.language, ui)) if x],
        "snippet": marked(snippet.text, snippet.marks) if snippet else None,
        "page": snippet.page if snippet else None,
        "section": section,
        "place": [x for x in (f"§ {hit.paragraph}" if hit.paragraph else None, section,
                              ui.gettext("p. %(page)s") % {"page": snippet.page}
                              if snippet and snippet.page else None) if x],
    }


def citation_targets(citations: Sequence[Mapping[str, Any]], cites: Sequence[Any]) -> dict[int, str]:
    """Which printed citations (by start offset) lead to a document of the index.

    ``cites`` (from the index) carries no offsets, so a record citation is matched by its
    printed text first, then by a shared application or case number.

    >>> from types import SimpleNamespace as C
    >>> cites = [C(text="Bouyid v. Belgium [GC]", case_numbers=["23380/09"], target="bouyid")]
    >>> citation_targets([{"start": 5, "text": "Bouyid v. Belgium", "case_numbers": ["23380/09"]},
    ...                   {"start": 90, "text": "Other v. Russia", "case_numbers": []}], cites)
    {5: 'bouyid'}
    """
    by_text = {c.text: c.target for c in cites if c.target}
    by_number = {n: c.target for c in cites if c.target for n in c.case_numbers}
    out: dict[int, str] = {}
    for cit in citations:
        target = by_text.get(cit.get("text") or "") or next(
            (by_number[n] for n in cit.get("case_numbers") or [] if n in by_number), None)
        if target:
            out[int(cit["start"])] = target
    return out


#: A name list longer than this (in characters) is folded into a <details>, closed by default.
LONG_LIST = 60
#: Rows whose values are names, shown joined on one line or, when long, folded.
NAME_LISTS = {"Judges": "judges", "Representatives": "representatives",
              "Applicants": "applicants", "Accused": "accused"}
#: How a folded name list is summed up ("7 judges"), as (singular, plural) messages.
NAME_COUNTS = {"Judges": N_plural("%(num)d judge", "%(num)d judges"),
               "Representatives": N_plural("%(num)d representative", "%(num)d representatives"),
               "Applicants": N_plural("%(num)d applicant", "%(num)d applicants"),
               "Accused": N_plural("%(num)d accused", "%(num)d accused")}
#: Names the records print in English that have an established Russian name: the Court, the
#: Commission and the Court's formations. Other names (Russian courts, people) are as printed.
NAMED = frozenset({N_("European Court of Human Rights"), N_("European Commission of Human Rights"),
                   N_("Grand Chamber"), N_("Chamber"), N_("Committee"), N_("Plenary")})
INSTANCES = {"first": N_("first instance"), "appeal": N_("appeal"), "cassation": N_("cassation"),
             "supervisory": N_("supervisory review")}
#: The rows' labels, for the catalogues (rows are built with their English label as the key).
ROW_LABELS = (N_("Kind"), N_("Instance"), N_("Court"), N_("Formation"), N_("Date"), N_("Final"),
              N_("City"), N_("Case numbers"), N_("ECLI"), N_("Respondent states"),
              N_("Applicants"), N_("Accused"), N_("President"), N_("Judges"),
              N_("Representatives"), N_("Holdings"), N_("Questions on"), N_("Awards"),
              N_("Charges"), N_("Penalties"), N_("Outcome"), N_("Language"), N_("Source"))


def metadata_rows(record: PublicRecord, ui: Interface = i18n.interface(i18n.DEFAULT)
                  ) -> list[tuple[str, list[str]]]:
    """``_rows`` with their labels in the interface language (see there)."""
    return [(ui.gettext(label), values) for label, values in _rows(record, ui)]


def _rows(record: PublicRecord, ui: Interface = i18n.interface(i18n.DEFAULT)
          ) -> list[tuple[str, list[str]]]:
    """The facts of a record a lawyer reads first, as (label, values) rows with empty ones
    dropped. The source file's path is left out: it is a path on this machine, not a fact of
    the case.

    >>> metadata_rows({"kind": "echr_judgment", "holdings": [{"article": "3",
    ...                "outcome": "violation"}], "source": {"path": "/home/x", "format": "pdf",
    ...                "pages": 2}, "text": "abc", "language": "en"})
    [('Kind', ['ECHR judgment']), ('Holdings', ['Article 3: violation']), ('Language', ['English']), ('Source', ['PDF, 2 pages, 3 characters'])]
    """
    def values(key: str) -> list[str]:
        # Lists of names and numbers read best on one line; holdings and awards get a line each.
        value = record.get(key)
        if value in (None, "", []):
            return []
        return [", ".join(str(v) for v in value)] if isinstance(value, list) else [str(value)]

    def date(key: str) -> list[str]:
        return [ui.date(v) for v in values(key)]

    rows: list[tuple[str, list[str]]] = [
        ("Kind", [kind_label(record["kind"], ui)] if record.get("kind") else []),
        ("Instance", [ui.gettext(INSTANCES[instance]) if instance in INSTANCES else instance]
         if (instance := record.get("instance")) else []),
        ("Court", [named(v, ui) for v in values("court")]),
        ("Formation", [named(v, ui) for v in values("formation")]), ("Date", date("date")),
        ("Final", date("final_date")), ("City", values("city")),
        ("Case numbers", values("case_numbers")), ("ECLI", values("ecli")), ("УИД", values("uid")),
        ("Respondent states", [", ".join(
            i18n.state_name(state_key(s), s, ui) for s in record.get("respondent_states") or [])]
         if record.get("respondent_states") else []),
        ("Applicants", values("applicants")), ("Accused", values("accused")),
        ("President", values("president")), ("Judges", values("judges")),
        ("Representatives", values("representatives")),
        # Holdings without an article ("Declares the application admissible") are procedural;
        # they are listed in full with the others, folded (see document_facts).
        ("Holdings", [holding_label(h, ui) for h in record.get("holdings") or []
                      if h.get("article")]),
        # A communicated case rules on nothing yet: the provisions it asks the parties about.
        ("Questions on", ["; ".join(article_label(c, ui) for c in complaints)]
         if (complaints := record.get("complaints")) else []),
        ("Awards", [award_label(a, ui) for a in record.get("awards") or []]),
        ("Charges", [charge_label(c) for c in record.get("charges") or []]),
        ("Penalties", [penalty_label(p, ui) for p in record.get("penalties") or []]),
        ("Outcome", [ui.gettext(OUTCOME_LABELS[outcome]) if outcome in OUTCOME_LABELS
                     else outcome.replace("_", " ")]
         if (outcome := str(record.get("outcome") or "")) else []),
        ("Language", [language_label(record.get("language"), ui)] if record.get("language")
         else []),
    ]
    source = record.get("source") or {}
    if source.get("format"):
        parts = [str(source["format"]).upper()]
        if pages := source.get("pages"):
            parts.append(ui.ngettext("%(num)s page", "%(num)s pages", int(pages))
                         % {"num": ui.number(int(pages))})
        characters = len(record.get("text") or "")
        parts.append(ui.ngettext("%(num)s character", "%(num)s characters", characters)
                     % {"num": ui.number(characters)})
        rows.append(("Source", [", ".join(parts)]))
    return [(label, vals) for label, vals in rows if vals]


@dataclass(frozen=True)
class Value:
    """One value of a fact; ``title`` is the longer text shown on hover (a holding's words)."""

    text: str
    title: str | None = None
    css: str | None = None


@dataclass(frozen=True)
class Fact:
    """One row of the document page's facts: short ``values`` shown at once, and ``details``
    (summary, lines), long texts folded into a ``<details>`` that is closed by default."""

    label: str
    values: list[Value] = field(default_factory=list)
    details: tuple[str, list[str]] | None = None
    #: The English label, which names the row's CSS class in every interface language.
    key: str | None = None

    @property
    def css(self) -> str:
        return "fact-" + re.sub(r"[^a-z]+", "-", (self.key or self.label).lower()).strip("-")


def document_facts(record: PublicRecord, ui: Interface = i18n.interface(i18n.DEFAULT)
                   ) -> list[Fact]:
    """``metadata_rows`` made compact for the page: long name lists folded, holdings in a few
    words each (their text on hover and, in full, folded), awards and penalties likewise.

    >>> facts = document_facts({"judges": [f"Judge Number{i}" for i in range(7)],
    ...     "holdings": [{"article": None, "outcome": "other", "text": "Declares admissible"},
    ...                  {"article": "3", "outcome": "violation", "text": "Holds violation"}]})
    >>> [(f.label, [v.text for v in f.values], f.details and f.details[0]) for f in facts]
    [('Judges', [], '7 judges'), ('Holdings', ['Article 3: violation'], 'Operative provisions in full')]
    >>> facts[1].values[0].title, facts[1].details[1]
    ('Holds violation', ['Declares admissible', 'Holds violation'])
    """
    facts: list[Fact] = []
    for key, vals in _rows(record, ui):
        label = ui.gettext(key)
        if key in NAME_LISTS:
            listed = cast("list[str] | None", record.get(NAME_LISTS[key]))
            names = [str(n) for n in listed or []]
            if len(names) > 2 and len(", ".join(names)) > LONG_LIST:
                counted = ui.ngettext(*NAME_COUNTS[key], len(names)) % {"num": len(names)}
                facts.append(Fact(label, details=(counted, names), key=key))
                continue
        if key == "Holdings":
            holdings = [h for h in record.get("holdings") or [] if h.get("article")]
            texts = list(dict.fromkeys(h["text"] for h in record.get("holdings") or []
                                       if h.get("text")))
            values = [Value(text, h.get("text") or None, f"outcome-{h.get('outcome') or 'other'}")
                      for text, h in zip(vals, holdings)]
            facts.append(Fact(label, values,
                              (ui.gettext("Operative provisions in full"), texts)
                              if texts else None, key=key))
            continue
        if key in ("Awards", "Penalties"):
            items: list[AwardData] | list[PenaltyData] = (
                record.get("awards") if key == "Awards" else record.get("penalties")) or []
            facts.append(Fact(label, [Value(text, item.get("text") or None)
                                      for text, item in zip(vals, items)], key=key))
            continue
        facts.append(Fact(label, [Value(v) for v in vals], key=key))
    return facts


def entity_legend(record: PublicRecord, ui: Interface = i18n.interface(i18n.DEFAULT)
                  ) -> list[dict[str, Any]]:
    """The entity types drawn in the text, with their counts, for the legend above it."""
    return [{"label": label, "name": entity_name(label, plural=True, tr=ui), "count": count,
             "css": "ent-" + re.sub(r"[^A-Za-z0-9_-]+", "_", label)}
            for label, count in entity_counts(record)]
