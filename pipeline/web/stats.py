"""Statistics on the page: ``GET /stats`` (charts and tables over any search), the documents
behind one figure (``/stats/documents``), downloads of each chart (SVG, PNG) and table (CSV),
and ``GET /api/stats`` (exactly ``precedents stats --json``).

Charts are drawn on the server (``pipeline/stats/charts.py``) and put in the page as SVG whose
styles are presentation attributes, so the page's CSP (no inline style, no script) holds and
each bar and point is a plain link. Every chart has a caption (the search, the count, the date
of the index) and the table of its numbers beside it; the table's CSV is made from the same
table (``pipeline/stats/tables.py``), so the download says what the page says.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any, Literal
from urllib.parse import quote, urlencode

from fastapi import FastAPI, Query, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from pipeline.errors import Busy, QueryError
from pipeline.present.labels import GROUP_LABELS, OUTCOME_LABELS, RU_OUTCOME_LABELS, STATS_HEADS
from pipeline.stats.model import BY, ECHR_OUTCOMES, HEADS, AwardPoint, Statistics
from pipeline.stats.tables import Table, tables, to_csv
from pipeline.web import i18n, schemas
from pipeline.web.i18n import N_, Interface
from pipeline.web.urls import OFF, attachment, doc_url

__all__ = ["CURRENCIES", "StatsURL", "add_stats_routes"]

#: Currencies the page offers to express awards in (any ISO code works in the URL and API).
CURRENCIES = ("EUR", "RUB", "USD", "GBP")
#: Statistics (with their charts) kept for the downloads that follow a page.
KEPT = 8
#: Documents listed behind one figure, per page.
LISTED = 50
#: Statistics computed at once per server process (a second of a core each, and their charts
#: are drawn one at a time anyway); others wait up to ``WAIT`` seconds, then get 503 Busy.
AT_ONCE = 2
WAIT = 5.0
_computing = threading.BoundedSemaphore(AT_ONCE)


@contextmanager
def _turn() -> Iterator[None]:
    if not _computing.acquire(timeout=WAIT):
        raise Busy("the server is busy with other statistics; try again in a moment")
    try:
        yield
    finally:
        _computing.release()

BY_LABELS = {"year": N_("by year"), "article": N_("by article"), "state": N_("by respondent state"),
             "court": N_("by court"), "kind": N_("by kind")}
SCOPE_LABELS = {"echr": N_("European Court of Human Rights"), "domestic": N_("Russian courts")}


@dataclass(frozen=True)
class StatsURL:
    """Links that keep a statistics page's search and choices.

    >>> StatsURL("", ("article:3", "state:russia"), "year", True, "EUR").build()
    '/stats?filter=article%3A3&filter=state%3Arussia&currency=EUR'
    >>> StatsURL("пытка", (), "state", False, None).build("/stats/table/outcomes.csv")
    '/stats/table/outcomes.csv?q=%D0%BF%D1%8B%D1%82%D0%BA%D0%B0&by=state&awards=0'
    """

    q: str
    filters: tuple[str, ...]
    by: str
    awards: bool
    currency: str | None
    head: str | None = None

    def params(self) -> list[tuple[str, str]]:
        params = [("q", self.q)] if self.q else []
        params += [("filter", f) for f in self.filters]
        if self.by != "year":
            params.append(("by", self.by))
        if not self.awards:
            params.append(("awards", "0"))
        if self.currency:
            params.append(("currency", self.currency))
        if self.head:
            params.append(("head", self.head))
        return params

    def build(self, path: str = "/stats", **extra: str) -> str:
        params = self.params() + list(extra.items())
        return path + ("?" + urlencode(params) if params else "")

    def search(self) -> str:
        """The search page of the same query and filters."""
        params = ([("q", self.q)] if self.q else []) + [("filter", f) for f in self.filters]
        return "/search" + ("?" + urlencode(params) if params else "")

    def figure(self, key: str) -> str:
        return self.build("/stats/documents", figure=key)


def read_choices(q: str, filters: Sequence[str], by: str, awards: str, currency: str,
                 head: str = "") -> StatsURL:
    """The page's parameters, read leniently: a person who edits the URL gets a page."""
    code = currency.strip().upper()
    return StatsURL(q=q, filters=tuple(f for f in filters if f.strip()),
                    by=by if by in BY else "year", awards=awards.strip().lower() not in OFF,
                    currency=code if len(code) == 3 and code.isalpha() else None,
                    head=head if head in HEADS else None)


def caption(stats: Statistics, url: StatsURL, ui: Interface, counted: int) -> str:
    """What a chart is of: the search, the count and the date of the index."""
    asked = " ".join(x for x in [url.q, *url.filters] if x) or ui.gettext("every document")
    return ui.gettext("%(search)s · %(count)s · index of %(date)s") % {
        "search": asked,
        "count": ui.ngettext("%(num)s ruling", "%(num)s rulings", counted) % {
            "num": ui.number(counted)},
        "date": ui.date(stats.index_date) if stats.index_date else "—"}


@dataclass
class ChartView:
    """One chart as the page shows it (``svg_inline``); ``draw(fmt)`` makes its files for
    download when asked (each form costs a drawing of about a second)."""

    name: str
    title: str
    caption: str
    svg_inline: str
    table: str
    draw: Callable[[str], bytes]
    omitted: int = 0
    log: bool = False


@dataclass
class StatsView:
    stats: Statistics
    tables: dict[str, Table]
    charts: dict[str, ChartView]


def _award_groups(stats: Statistics) -> dict[str, tuple[str, str | None, list[AwardPoint]]]:
    """The award charts: one per court system and currency (or per court system when the
    sums are converted into one currency), named ``awards-echr-EUR``, ``awards-domestic``."""
    groups: dict[str, tuple[str, str | None, list[AwardPoint]]] = {}
    if stats.awards is None:
        return groups
    converted = stats.awards.currency
    for point in stats.awards.points:
        currency = None if converted else point.currency
        name = f"awards-{point.scope}" + (f"-{currency}" if currency else "")
        groups.setdefault(name, (point.scope, currency, []))[2].append(point)
    return groups


def chart_labels(ui: Interface, by: str) -> dict[str, str]:
    """Every text a chart may draw, in the interface language."""
    labels = {o: ui.gettext(OUTCOME_LABELS[o]) for o in ECHR_OUTCOMES}
    labels.update({h: ui.gettext(label) for h, label in STATS_HEADS.items()})
    labels.update({by: ui.gettext(GROUP_LABELS[by]), "rulings": ui.gettext("Rulings"),
                   "date": ui.gettext("Date of the ruling"), "amount": ui.gettext("Amount"),
                   "omitted": ui.gettext("{shown} of {total} shown")})
    return labels


def build_view(stats: Statistics, url: StatsURL, ui: Interface) -> StatsView:
    """Tables and charts of ``stats`` in the language of ``ui``; the charts drawn for the page
    only (their files are drawn when downloaded)."""
    from pipeline.stats import charts

    shown = tables(stats, ui)
    views: dict[str, ChartView] = {}
    labels = chart_labels(ui, stats.by)
    locale = i18n.DATE_LOCALES.get(ui.language, ui.language)
    if stats.outcomes:
        counted = len({i for row in stats.outcomes for i in row.rulings.ids})
        title = ui.gettext("Strasbourg rulings by outcome, %(by)s") % {
            "by": ui.gettext(BY_LABELS[stats.by])}

        def outcomes(*formats: str, title: str = title) -> charts.Chart:
            return charts.outcome_chart(stats.outcomes, by=stats.by, title=title,
                                        labels=labels, href=url.figure, locale=locale,
                                        formats=formats)

        chart = outcomes("inline")
        views["outcomes"] = ChartView("outcomes", title, caption(stats, url, ui, counted),
                                      chart.svg_inline, "outcomes", _drawer(outcomes),
                                      chart.omitted, chart.log)
    if stats.domestic:
        counted = len({i for row in stats.domestic for i in row.rulings.ids})
        # Grouped by kind and instance unless by year or court: then the bars are categories.
        group = stats.by if stats.by in ("year", "court") else "kind"
        group_name = ui.gettext(GROUP_LABELS[group]) if group != "kind" \
            else ui.gettext("Kind and instance")
        title = ui.gettext("Russian rulings by outcome, %(by)s") % {
            "by": ui.gettext(BY_LABELS[group]) if group != "kind"
            else ui.gettext("by kind and instance")}
        seen = [o for o in RU_OUTCOME_LABELS if any(o in r.outcomes for r in stats.domestic)]
        domestic_labels = {**labels, group: group_name,
                           **{o: ui.gettext(RU_OUTCOME_LABELS[o]) for o in seen}}

        def domestic(*formats: str, title: str = title) -> charts.Chart:
            return charts.outcome_chart(stats.domestic, by=group, title=title,
                                        labels=domestic_labels, href=url.figure, locale=locale,
                                        formats=formats, outcomes=seen)

        chart = domestic("inline")
        views["domestic"] = ChartView("domestic", title, caption(stats, url, ui, counted),
                                      chart.svg_inline, "domestic", _drawer(domestic),
                                      chart.omitted, chart.log)
    for name, (scope, currency, points) in _award_groups(stats).items():
        shown_currency = currency or (stats.awards.currency if stats.awards else None) or ""
        title = ui.gettext("Sums awarded by the %(court)s, %(currency)s") % {
            "court": ui.gettext(SCOPE_LABELS[scope]), "currency": shown_currency}

        def awards(*formats: str, title: str = title, points: list[AwardPoint] = points,
                   converted: str | None = None if currency else shown_currency or None
                   ) -> charts.Chart:
            return charts.award_chart(points, title=title, labels=labels,
                                      href=lambda p: doc_url(p.id), currency=converted,
                                      locale=locale, formats=formats)

        chart = awards("inline")
        counted = len({p.id for p in points})
        views[name] = ChartView(name, title, caption(stats, url, ui, counted), chart.svg_inline,
                                "points", _drawer(awards), chart.omitted, chart.log)
    return StatsView(stats, shown, views)


def _drawer(draw: Callable[..., Any]) -> Callable[[str], bytes]:
    """``fmt`` ("svg" or "png") -> the chart's file, drawn once and kept."""
    done: dict[str, bytes] = {}

    def file(fmt: str) -> bytes:
        if fmt not in done:
            chart = draw(fmt)
            done[fmt] = chart.svg if fmt == "svg" else chart.png
        return done[fmt]

    return file


def add_stats_routes(app: FastAPI, index_dir: Path) -> None:
    """Add the statistics page, its downloads and its API to ``app`` (made by
    ``create_app``, whose ``app.state`` has ``render``, ``opened`` and ``kept_stats``)."""
    from pipeline.stats.compute import compute, facts_for

    def computed(url: StatsURL, ui: Interface) -> StatsView:
        key = (app.state.index_state(), url, ui.language)

        def make() -> StatsView:
            with _turn():
                with app.state.opened() as (catalogue, index):
                    stats = compute(index, catalogue, url.q, list(url.filters), by=url.by,
                                    awards=url.awards, currency=url.currency, tr=ui,
                                    head=url.head)
                _relabel_states(stats, ui)
                return build_view(stats, url, ui)

        return app.state.kept_stats.get_or(key, make)

    @app.get("/stats", response_class=HTMLResponse, include_in_schema=False)
    def stats_page(q: str = "", filter: list[str] = Query([]), by: str = "year",
                   awards: str = "1", currency: str = "", head: str = "") -> HTMLResponse:
        url = read_choices(q, filter, by, awards, currency, head)
        ui = i18n.current()
        context: dict[str, Any] = {"url": url, "q": url.q, "filters": url.filters,
                                   "by_labels": BY_LABELS, "currencies": CURRENCIES,
                                   "heads": STATS_HEADS,
                                   "view": None, "error": None}
        context["cell_text"] = lambda value: cell_text(value, ui)
        try:
            context["view"] = computed(url, ui)
            with app.state.opened(with_index=False) as (catalogue, _):
                context["lag"] = app.state.lag_of(catalogue)
        except QueryError as exc:
            context["error"] = i18n.error_message(exc, ui)
            return app.state.render("stats.html", 400, **context)
        return app.state.render("stats.html", **context)

    @app.get("/stats/documents", response_class=HTMLResponse, include_in_schema=False)
    def figure_page(figure: str, q: str = "", filter: list[str] = Query([]), by: str = "year",
                    awards: str = "1", currency: str = "", head: str = "",
                    page: int = 1) -> HTMLResponse:
        url = read_choices(q, filter, by, awards, currency, head)
        ui = i18n.current()
        view = computed(url, ui)
        found = view.stats.figures().get(figure)
        if found is None:
            raise StarletteHTTPException(404)
        page = max(1, page)
        ids = found.ids[(page - 1) * LISTED:page * LISTED]
        # What the list shows (title, date, court, kind) is in the facts: no text is read.
        with app.state.opened(with_index=False) as (catalogue, _):
            rows = facts_for(catalogue, ids)
        return app.state.render("stats_documents.html", url=url, figure=found, rows=rows,
                                label=_figure_label(view, figure, ui), page=page,
                                pages=-(-found.count // LISTED), q=url.q, filters=url.filters)

    @app.get("/stats/chart/{name}.{fmt}", include_in_schema=False)
    def chart_file(name: str, fmt: str, q: str = "", filter: list[str] = Query([]),
                   by: str = "year", awards: str = "1", currency: str = "",
                   head: str = "") -> Response:
        url = read_choices(q, filter, by, awards, currency, head)
        view = computed(url, i18n.current())
        chart = view.charts.get(name)
        if chart is None or fmt not in ("svg", "png"):
            raise StarletteHTTPException(404)
        media = "image/svg+xml" if fmt == "svg" else "image/png"
        return Response(chart.draw(fmt), media_type=media, headers=attachment(name, fmt))

    @app.get("/stats/table/{name}.csv", include_in_schema=False)
    def table_file(name: str, q: str = "", filter: list[str] = Query([]), by: str = "year",
                   awards: str = "1", currency: str = "", head: str = "") -> Response:
        url = read_choices(q, filter, by, awards, currency, head)
        view = computed(url, i18n.current())
        table = view.tables.get(name)
        if table is None:
            raise StarletteHTTPException(404)
        # A byte-order mark: spreadsheet programs then read the Cyrillic as UTF-8.
        return Response(("\ufeff" + to_csv(table)).encode("utf-8"),
                        media_type="text/csv; charset=utf-8",
                        headers=attachment(name, "csv"))

    @app.get("/api/stats", response_model=schemas.Statistics, tags=["statistics"],
             summary="Statistics over a search",
             description="Exactly the JSON of `precedents stats --json`: outcomes of Strasbourg "
                         "rulings (grouped by `by`), Russian rulings by outcome, charges and "
                         "sentences, and with `awards` the sums awarded. Every count carries "
                         "the ids of the documents behind it. Each ruling counts once; rulings "
                         "whose outcome or sums were not read are left out and counted.",
             responses={400: {"model": schemas.Error, "description": "The query could not be understood"},
                        503: {"model": schemas.Error, "description": "The index is missing or busy"}})
    def api_stats(
        q: Annotated[str, Query(description="Query, as for /api/search; empty: every document")] = "",
        filter: Annotated[list[str], Query(description="Query-language clauses (repeatable), "
                                           "as for /api/search: article:3, state:russia")] = [],
        by: Annotated[str, Query(description="Group by year, article, state, court or kind")] = "year",
        awards: Annotated[bool, Query(description="Include the sums awarded")] = False,
        currency: Annotated[str | None, Query(
            description="With awards: also give each sum in this ISO currency at the ECB "
                        "rate of its ruling's date, where one is known",
            pattern="^[A-Za-z]{3}$")] = None,
        head: Annotated[Literal["non_pecuniary", "pecuniary", "costs", "other"] | None, Query(
            description="With awards: only the sums of this head of damage")] = None,
    ) -> JSONResponse:
        if by not in BY:
            raise QueryError("unknown grouping %(by)r (use one of: %(all)s)", by=by,
                             all=", ".join(BY))
        with _turn(), app.state.opened() as (catalogue, index):
            stats = compute(index, catalogue, q, filter, by=by, awards=awards,
                            currency=currency.upper() if currency else None, head=head)
        return JSONResponse(stats.to_json())


def cell_text(value: str | int | float | None, ui: Interface) -> str:
    """A table cell as the page prints it: numbers in the interface language's way
    ("12 345,5" in Russian), sums without a zero fraction, nothing as a dash."""
    from babel.numbers import format_decimal

    if value is None or value == "":
        return "—"
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        locale = i18n.DATE_LOCALES.get(ui.language, ui.language)
        return format_decimal(value, format="#,##0.##", locale=locale)
    return str(value)


def _relabel_states(stats: Statistics, ui: Interface) -> None:
    """Respondent states named in the interface language (CLDR names)."""
    if stats.by != "state":
        return
    for row in stats.outcomes:
        row.label = i18n.state_name(row.value, row.label, ui)


def _figure_label(view: StatsView, key: str, ui: Interface) -> str:
    """What the figure ``key`` counts, in words ("2014: violation")."""
    stats = view.stats
    for rows, names in ((stats.outcomes, OUTCOME_LABELS), (stats.domestic, RU_OUTCOME_LABELS)):
        for row in rows:
            if row.rulings.key == key:
                return f"{row.label}: {ui.gettext('all rulings')}"
            for outcome, figure in row.outcomes.items():
                if figure.key == key:
                    return f"{row.label}: {ui.gettext(names.get(outcome, outcome))}"
    for charge in stats.charges:
        for figure, what in ((charge.rulings, N_("all rulings")), (charge.convicted, N_("Convicted")),
                             (charge.imprisonment, N_("Real imprisonment")),
                             (charge.suspended, N_("Suspended")), (charge.fined, N_("Fine"))):
            if figure.key == key:
                return f"{charge.label}: {ui.gettext(what)}"
    if stats.awards is not None:
        for d in stats.awards.distributions:
            if d.rulings.key == key:
                return " · ".join(x for x in (ui.gettext(SCOPE_LABELS[d.scope]),
                                              ui.gettext(STATS_HEADS.get(d.head, d.head)),
                                              d.currency, d.group_label) if x)
        if key == stats.awards.excluded.key:
            return ui.gettext("Rulings with a sum whose currency was not read")
        if key == stats.awards.not_read.key:
            return ui.gettext("Judgments finding a violation with no sum read")
    return ui.gettext({stats.copies.key: N_("Copies of another ruling, counted once"),
                       stats.excluded.key: N_("Strasbourg rulings whose outcome was not read"),
                       stats.domestic_excluded.key: N_("Russian rulings whose outcome was not read"),
                       stats.other.key: N_("Documents that are not rulings")}.get(key, key))
