"""The ``precedents`` command line: a thin Click layer over ``pipeline.ingest`` and friends.

This is the only module that turns project errors into ``click.ClickException``: users see one
clean line, never a traceback. With ``--json`` stdout holds exactly one JSON document; progress,
errors and summaries go to stderr.
"""

from __future__ import annotations

import errno
import functools
import os
import sys
from pathlib import Path
from typing import Any

import click

from pipeline import __version__
from pipeline.catalogue import Catalogue
from pipeline.errors import DiskFull, DocumentNotFound, PipelineError, QueryError
# Extraction, ingest and records are imported inside the commands that use them: together
# they cost a quarter of a second of every start, and `search` needs none of them.
from pipeline.limits import DEFAULT_MEMORY_MB, DEFAULT_TIMEOUT
from pipeline.models import ShownRecord
from pipeline.progress import LineProgress
from pipeline.search.base import MODES, SORTS
from pipeline.search.engines import ENGINES, recorded_engine
from pipeline.stats.model import BY, HEADS, TABLES
from pipeline.terminal import for_terminal, json_text



class _Console:
    """A Rich console made when first printed to: ``search --json`` prints no Rich output, and
    importing Rich was a tenth of its start-up.

    Titles and file names come from documents and bundles: ``print`` shows every control
    character in them as its escape (``pipeline.terminal``), and markup is off, so a title
    holding ``[red]`` prints as it is written."""

    def __init__(self, **options):
        self._options = options
        self._console = None

    def get(self):
        if self._console is None:
            from rich.console import Console

            self._console = Console(markup=False, **self._options)
        return self._console

    def print(self, *objects: Any, **kwargs: Any) -> None:
        self.get().print(*(for_terminal(o) if isinstance(o, str) else _Escaped(o)
                           for o in objects), **kwargs)

    def __getattr__(self, name: str):
        return getattr(self.get(), name)


class _Escaped:
    """A Rich renderable (a Text, a Table) printed with the control characters of its text
    escaped. Done on the rendered segments, after Rich has laid the text out: the styles and
    highlights set on a Text are kept, and nothing built later can slip past."""

    def __init__(self, renderable: Any):
        self.renderable = renderable

    def __rich_console__(self, console, options):
        from rich.segment import Segment

        for segment in console.render(self.renderable, options):
            yield segment if segment.control else Segment(for_terminal(segment.text),
                                                          segment.style)


def Text(text: str = "", *args, **kwargs):  # noqa: N802 - stands for rich.text.Text
    """A Rich Text (imported on first use) with its control characters escaped now, so that a
    table lays it out at the width it will print; what is appended later is escaped as it prints."""
    from rich.text import Text as RichText

    return RichText(for_terminal(text), *args, **kwargs)


def Table(*args, **kwargs):  # noqa: N802 - stands for rich.table.Table
    from rich.table import Table as RichTable

    return RichTable(*args, **kwargs)


err = _Console(stderr=True, highlight=False, soft_wrap=True)
out = _Console(highlight=False, soft_wrap=True)


def index_option(fn):
    return click.option(
        "--index", "index_dir", type=click.Path(file_okay=False, path_type=Path),
        default=Path("index"), envvar="PRECEDENTS_INDEX", show_default=True,
        help="Index directory (catalogue + search index); also $PRECEDENTS_INDEX.",
    )(fn)


def json_option(fn):
    return click.option("--json", "as_json", is_flag=True,
                        help="Print one JSON document on stdout.")(fn)


#: The arguments naming what a command writes, in the order a full disk is blamed on them.
_WRITTEN = ("out_zip", "keyfile", "index_dir")


def project_errors(fn):
    """Translate project exceptions into one-line Click errors; with ``--json``, stdout also
    gets one JSON object, ``{"error": ..., "kind": ...}``, so a script never reads nothing.

    A full disk is reported on the file that failed, or else (a ``write`` on an open file
    names none) on what the command writes: the bundle, the key, or the index directory."""

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        try:
            try:
                return fn(*args, **kwargs)
            except OSError as exc:
                if exc.errno not in (errno.ENOSPC, errno.EFBIG, errno.EDQUOT):
                    raise
                written = next((kwargs[k] for k in _WRITTEN if kwargs.get(k) is not None), None)
                raise DiskFull(
                    f"{exc.filename or written or 'a file'}: cannot write ({exc.strerror}): the "
                    "disk is full or a file-size limit was reached; free space and run it "
                    "again") from exc
        except PipelineError as exc:
            _json_error(kwargs, str(exc), type(exc).__name__)
            raise click.ClickException(for_terminal(str(exc))) from exc
        except click.ClickException as exc:
            _json_error(kwargs, exc.message, type(exc).__name__)
            exc.message = for_terminal(exc.message)
            raise

    return wrapper


def _json_error(kwargs: dict[str, Any], message: str, kind: str) -> None:
    if kwargs.get("as_json"):
        emit_json({"error": message, "kind": kind})


def _decodable(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    """An id or path argument as text the catalogue can look up: bytes that are not valid in
    the locale's encoding arrive as lone surrogates, which SQLite cannot encode."""
    if value is None:  # an optional argument left out
        return value
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise click.BadParameter("holds bytes that are not valid text; no document has "
                                 "such an id or path") from None
    return value


def emit_json(data: Any) -> None:
    click.echo(json_text(data))


@click.group()
@click.version_option(__version__, prog_name="precedents")
def cli() -> None:
    """Search court rulings and ECHR judgments offline.

    \b
    Example:
        precedents ingest corpora/
        precedents search "пытка"
    """


@cli.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@index_option
@click.option("--prune", is_flag=True, help="Drop catalogue entries whose files are gone.")
@click.option("--jobs", "-j", type=click.IntRange(1, 256), default=None,
              help="Parser processes here (default: the number of cores); with --executor "
                   "dask, for files too big to send.")
@click.option("--timeout", type=click.FloatRange(1), default=DEFAULT_TIMEOUT, show_default=True,
              help="Seconds any file may take before it is marked failed: the base of its "
                   "budget, which grows by 120 s per MB past the first (a JSON record, or "
                   "batch of records, is budgeted by its own size).")
@click.option("--max-memory", type=click.IntRange(64), default=DEFAULT_MEMORY_MB,
              show_default=True, help="Memory cap of a parser process, in MB.")
@click.option("--ocr", type=click.Choice(["auto", "never", "always"]), default="auto",
              show_default=True, help="OCR image-only PDF pages with Tesseract when installed.")
@click.option("--engine", type=click.Choice(ENGINES), default=None,
              help="Search engine of a new index (default whoosh; tantivy for big corpora). "
                   "An existing index keeps its engine: switch with `reindex --engine`.")
@click.option("--executor", type=click.Choice(["local", "dask"]), default="local",
              show_default=True, help="Parse here (local) or on a Dask cluster (dask; needs "
                                      "--scheduler and pip install 'precedents[dask]').")
@click.option("--scheduler", metavar="ADDRESS", default=None,
              help="The Dask scheduler, e.g. tcp://10.0.0.5:8786 or tls://...; with "
                   "--executor dask. The catalogue and index stay on this machine.")
@click.option("--meaning/--no-meaning", default=None,
              help="Give the index a meaning layer (paragraphs embedded for search in any "
                   "language; default: a new index gets one unless PRECEDENTS_MEANING=off). "
                   "Once it has one, every ingest keeps it up to date.")
@json_option
@project_errors
def ingest(paths, index_dir, prune, jobs, timeout, max_memory, ocr, engine, executor, scheduler,
           meaning, as_json):
    """Extract, catalogue and index the files and folders in PATHS.

    Re-running is cheap: unchanged files cost a stat. Exits with 1 when any file failed.

    \b
    Examples:
        precedents ingest ~/rulings ../shared/corpora/echr --index ./index
        precedents ingest ../shared/corpora --engine tantivy --index ./big
        precedents ingest ~/rulings --executor dask --scheduler tcp://10.0.0.5:8786
    """
    from pipeline.extract import ExtractOptions
    from pipeline.ingest import ingest as run_ingest

    with _progress() as bar:
        tasks: dict[str, Any] = {}

        def progress(stage: str, done: int, total: int) -> None:
            label = {"scan": "Checking files", "parse": "Extracting"}.get(stage, stage)
            if stage not in tasks:
                tasks[stage] = bar.add_task(label, total=total)
            bar.update(tasks[stage], completed=done, total=total)

        report = run_ingest(paths, index_dir, prune=prune, jobs=jobs, timeout=timeout,
                            memory_mb=max_memory, options=ExtractOptions(ocr=ocr),
                            progress=progress, notice=_notice, engine=engine,
                            executor=executor, scheduler=scheduler, meaning=meaning)
    for outcome in report.outcomes:
        if outcome.status in ("failed", "unsupported", "needs-ocr"):
            err.print(Text(f"{outcome.status}: {outcome.error}", style="red" if outcome.status != "needs-ocr" else "yellow"))
    summary = report.to_json()
    err.print(
        f"{summary['ingested']} ingested, {summary['unchanged']} unchanged, "
        f"{summary['failed']} failed, {summary['needs_ocr']} need OCR, "
        f"{summary['duplicates']} duplicates"
        + (f", {summary['pruned']} pruned" if prune else "")
        + f" ({summary['seconds']:.1f} s)"
    )
    if as_json:
        emit_json(summary)
    if report.failed:
        sys.exit(1)


@cli.command()
@click.argument("query", default="", required=False)
@index_option
@click.option("--filter", "-f", "filters", multiple=True, metavar="CLAUSE",
              help="A query-language clause that restricts the hits without changing their "
                   "order, e.g. state:russia or date:2015..; repeatable.")
@click.option("--sort", type=click.Choice(SORTS), default="relevance", show_default=True)
@click.option("--limit", "-n", type=click.IntRange(1, 1000), default=10, show_default=True)
@click.option("--page", type=click.IntRange(1), default=1, show_default=True)
@click.option("--facets", "with_facets", is_flag=True,
              help="Count the matching documents by state, article, outcome, court, year, "
                   "language and kind.")
@click.option("--mode", type=click.Choice(MODES), default=None,
              help="Match by words, by meaning (paragraphs close to the query in any "
                   "language) or both fused; default: both where the index has a meaning "
                   "layer, else words.")
@click.option("--expand/--no-expand", default=None,
              help="Also search the other languages' terms of legal concepts the words name "
                   "(пытки: torture, torture (fr)); the terms added are printed. Default: "
                   "on, except in words mode (the words typed, exactly).")
@json_option
@project_errors
def search(query, index_dir, filters, sort, limit, page, with_facets, mode, expand, as_json):
    """Search the index. Words are ANDed; identifiers need no quotes.

    An empty QUERY with --filter browses: every document the filters select.

    \b
    Examples:
        precedents search "пытка полиция"
        precedents search 17280/08
        precedents search "ч. 3 ст. 286 УК РФ" --sort newest
        precedents search '"police beating"~5 article:3' --filter state:russia --facets
        precedents search 'неэффективное расследование жестокого обращения' --mode both
    """
    from pipeline.search import expands_by_default, open_index
    from pipeline.search.meaning.fuse import chosen_mode, search as by_mode

    mode = chosen_mode(index_dir, mode)
    if expand is None:
        expand = expands_by_default(mode)
    if not query.strip() and not filters:
        raise QueryError("empty query (give words, or --filter clauses to browse)")
    catalogue = Catalogue.open(index_dir, readonly=True)
    try:
        index = open_index(index_dir, catalogue, readonly=True, notice=_notice)
        results = by_mode(index, index_dir, query, catalogue, mode=mode, limit=limit, page=page,
                          sort=sort, filters=filters, facets=with_facets, expand=expand)
    finally:
        catalogue.close()
    if as_json:
        emit_json(results.to_json())
        return
    past_end = 0 < results.pages < page
    err.print(f"{results.total} documents match"
              + (f" (page {page} of {results.pages})" if results.pages > 1 and not past_end else "")
              + (f"; there is no page {page}: the results fill {results.pages} "
                 f"page{'' if results.pages == 1 else 's'}" if past_end else ""), style="dim")
    if results.suggestions:
        err.print("Did you mean: " + ", ".join(
            f"{s.query} ({s.total} hit{'' if s.total == 1 else 's'})"
            for s in results.suggestions) + "?")
    if results.expanded:
        err.print("also searched: " + ", ".join(e.label() for e in results.expanded),
                  style="dim")
    _print_hits(results.hits, (page - 1) * limit + 1)
    if with_facets:
        _print_facets(results.facets)


def _print_hits(hits, first: int) -> None:
    for n, hit in enumerate(hits, first):
        line = Text(f"{n}. ", style="bold")
        line.append(hit.title or hit.id, style="bold")
        out.print(line)
        facts = " · ".join(x for x in (hit.date, hit.court, hit.kind, hit.language) if x)
        out.print(Text(f"   {facts}  [{hit.id}]", style="dim"))
        if hit.snippet:
            snippet = Text("   ")
            base = len(snippet)
            snippet.append(hit.snippet.text)
            for start, end in hit.snippet.marks:
                snippet.stylize("bold yellow", base + start, base + end)
            if hit.snippet.page:
                snippet.append(f"  (p. {hit.snippet.page})", style="dim")
            out.print(snippet)
        if hit.paragraph_text:
            out.print(Text(f"   ¶ {hit.paragraph_text}  ({hit.matched_by})", style=""))
        if hit.citation:
            out.print(Text(f"   {hit.citation}", style="italic"))


@cli.command()
@click.argument("query", default="", required=False)
@index_option
@click.option("--filter", "-f", "filters", multiple=True, metavar="CLAUSE",
              help="A query-language clause narrowing the documents counted, as in `search`; "
                   "repeatable.")
@click.option("--by", type=click.Choice(BY), default="year", show_default=True,
              help="Group the outcomes (and the awards, by year or court) by this.")
@click.option("--awards", "with_awards", is_flag=True,
              help="Also the sums awarded: their distribution by head and currency, and "
                   "every sum with its ruling.")
@click.option("--currency", metavar="ISO", default=None,
              help="With --awards: also give each sum in this currency (e.g. EUR) at the "
                   "ECB rate of its ruling's date, where one is known.")
@click.option("--head", type=click.Choice(HEADS), default=None,
              help="With --awards: only the sums of this head of damage (other: heads not "
                   "stated apart).")
@click.option("--csv", "as_csv", is_flag=True,
              help="Print one table as CSV: every sum awarded with --awards, else the "
                   "outcomes (see --table).")
@click.option("--table", "table_name", type=click.Choice(TABLES), default=None,
              help="With --csv: which table.")
@json_option
@project_errors
def stats(query, index_dir, filters, by, with_awards, currency, head, as_csv, table_name,
          as_json):
    """Statistics over a search: outcomes, charges and sentences, awards.

    The same query language and filters as `search`. Each ruling counts once (copies and
    translations of one judgment are one); rulings whose outcome was not read, and awards
    whose currency was not read, are left out and counted. Sums are never added across
    currencies, nor Strasbourg's with domestic courts'.

    \b
    Examples:
        precedents stats --filter article:3 --filter state:russia --by year
        precedents stats 'article:3 state:russia' --awards --head non_pecuniary
        precedents stats 'моральный вред' --awards --csv
        precedents stats 'charge:УК:286' --by court --json
    """
    from pipeline.search import open_index
    from pipeline.stats.compute import compute
    from pipeline.stats.tables import tables, to_csv

    if as_csv and as_json:
        raise click.UsageError("--csv and --json each print the statistics: choose one")
    if table_name and not as_csv:
        raise click.UsageError("--table chooses the table --csv prints")
    if currency and not with_awards:
        raise click.UsageError("--currency converts awards: add --awards")
    if head and not with_awards:
        raise click.UsageError("--head chooses among awards: add --awards")
    if table_name in ("awards", "points") and not with_awards:
        raise click.UsageError(f"the {table_name} table needs --awards")
    catalogue = Catalogue.open(index_dir, readonly=True)
    try:
        index = open_index(index_dir, catalogue, readonly=True, notice=_notice)
        result = compute(index, catalogue, query, list(filters), by=by, awards=with_awards,
                         currency=currency, head=head)
    finally:
        catalogue.close()
    if as_json:
        emit_json(result.to_json())
        return
    shown = tables(result)
    if as_csv:
        name = table_name or ("points" if with_awards else
                              "outcomes" if result.outcomes or not result.domestic else "domestic")
        click.echo(to_csv(shown[name]), nl=False)
        return
    _print_stats(result, shown)


def _print_stats(result, shown) -> None:
    """The tables for a terminal; every sum as one line (its citation is long)."""
    from rich.table import Table as RichTable

    err.print(f"{result.selected} documents match"
              + (f"; copies of another, counted once: {result.copies.count}"
                 if result.copies.count else "")
              + (f"; outcomes on Article {', '.join(result.articles)}" if result.articles else "")
              + (f" (index of {result.index_date})" if result.index_date else ""), style="dim")
    for name, table in shown.items():
        if not table.rows:
            continue
        if name == "points":
            out.print(Text(table.title, style="italic"))
            for row in table.rows:
                date, citation, _, head, amount, currency = (c.value for c in row[:6])
                line = f"  {date or '—'}  {currency} {_stat_cell(amount)}  {head}"
                if result.awards.currency:
                    converted = row[6].value
                    line += (f"  (≈ {result.awards.currency} {_stat_cell(converted)})"
                             if converted is not None else "  (no rate)")
                out.print(Text(for_terminal(line), style="bold"))
                out.print(Text(f"    {for_terminal(str(citation))}  [{row[-1].value}]",
                               style="dim"))
            continue
        # The words of a row (court, head, currency, group) as one column, the numbers beside.
        words = [n for n, numeric in enumerate(table.numeric) if not numeric]
        numbers = [n for n, numeric in enumerate(table.numeric) if numeric]
        view = RichTable(title=table.title, title_justify="left", show_edge=False)
        view.add_column(" · ".join(table.columns[n] for n in words if table.columns[n]),
                        min_width=min(24, max(len(str(r[n].value or "")) for r in table.rows
                                               for n in words) if words else 0))
        for n in numbers:
            view.add_column(table.columns[n], justify="right", no_wrap=True)
        for row in table.rows:
            view.add_row(" · ".join(_stat_cell(row[n].value) for n in words),
                         *(_stat_cell(row[n].value) for n in numbers))
        out.print(view)
    for figure, what in ((result.excluded, "Strasbourg rulings whose outcome was not read"),
                         (result.domestic_excluded, "Russian rulings whose outcome was not read"),
                         (result.awards.excluded if result.awards else None,
                          "rulings with a sum whose currency was not read (their awards)"),
                         (result.awards.not_read if result.awards else None,
                          "judgments finding a violation with no sum read (none awarded, "
                          "or not read)"),
                         (result.other, "documents that are not rulings")):
        if figure is not None and figure.count:
            err.print(f"left out, {what}: {figure.count}", style="dim")
    if result.awards and result.awards.currency:
        err.print(f"sums converted to {result.awards.currency}: {result.awards.converted}; "
                  f"without a known rate (kept in their currency): {result.awards.unconverted}"
                  + (f"; rates: {result.awards.rates}" if result.awards.rates else ""),
                  style="dim")


def _stat_cell(value) -> str:
    if value is None:
        return "—"
    if isinstance(value, float):
        return f"{value:,.2f}".rstrip("0").rstrip(".")
    if isinstance(value, int):
        return f"{value:,}"
    return for_terminal(str(value))


def _print_facets(facets) -> None:
    for name, counts in facets.items():
        if not counts:
            continue
        out.print(Text(name, style="bold"))
        for count in counts[:15]:
            out.print(Text(f"   {count.count:>5}  {count.label}  ", style="")
                      + Text(f"--filter {count.filter}", style="dim"))


@cli.command()
@click.argument("doc_id", callback=_decodable, required=False)
@index_option
@click.option("--text", "text_file", metavar="FILE|-", default=None,
              help="Instead of DOC_ID: a description of the facts of a case (any language, "
                   "up to 2,000 words, UTF-8) in FILE or on standard input (-); finds the "
                   "judgments closest in meaning, each with its best-matching paragraph. "
                   "Needs the meaning layer.")
@click.option("--filter", "-f", "filters", multiple=True, metavar="CLAUSE",
              help="With --text: a query-language clause every hit must match, e.g. "
                   "state:russia or language:en; repeatable.")
@click.option("--limit", "-n", type=click.IntRange(1, 1000), default=10, show_default=True)
@json_option
@project_errors
def similar(doc_id, index_dir, text_file, filters, limit, as_json):
    """Documents like DOC_ID: same words in its language, same articles, same cases cited.
    Or, with --text, judgments like a description of facts, in any language.

    \b
    Examples:
        precedents similar echr-en-chamber-zarechnev-v-russia-41234-15 --limit 5
        precedents similar --text facts.txt --filter article:3
        pbpaste | precedents similar --text - --json
    """
    from pipeline.search import open_index

    if (doc_id is None) == (text_file is None):
        raise click.UsageError("give a DOC_ID or --text FILE|- (one of the two)")
    if filters and text_file is None:
        raise click.UsageError("--filter goes with --text")
    catalogue = Catalogue.open(index_dir, readonly=True)
    try:
        index = open_index(index_dir, catalogue, readonly=True, notice=_notice)
        if text_file is not None:
            from pipeline.search.meaning.facts import similar_to_text

            source, text = _description(text_file)
            results = similar_to_text(index, index_dir, text, catalogue, limit=limit,
                                      filters=filters, source=source)
        else:
            results = index.similar(doc_id, catalogue, limit=limit)
    finally:
        catalogue.close()
    if as_json:
        emit_json(results.to_json())
        return
    _print_hits(results.hits, 1)


def _description(name: str) -> tuple[str, str]:
    """(how to name it in a message, its text) of ``similar --text``'s FILE or ``-``."""
    from pipeline.search.meaning.facts import MAX_BYTES, decoded

    source = "standard input" if name == "-" else name
    try:
        if name == "-":
            data = sys.stdin.buffer.read(MAX_BYTES + 1)
        else:
            with open(name, "rb") as f:
                data = f.read(MAX_BYTES + 1)
    except OSError as exc:
        raise click.ClickException(f"{source}: cannot read ({exc.strerror})") from None
    return source, decoded(data, source)


@cli.command()
@click.argument("doc_id", callback=_decodable)
@index_option
@json_option
@project_errors
def cites(doc_id, index_dir, as_json):
    """The cases DOC_ID cites, each once, with the indexed document when there is one, and
    the case as the Court's list of case-law references cites it when it is not indexed.

    \b
    Example:
        precedents cites 001-999001 --json
    """
    from pipeline.search import open_index

    catalogue = Catalogue.open(index_dir, readonly=True)
    try:
        cited = open_index(index_dir, catalogue, readonly=True, notice=_notice).cites(
            doc_id, catalogue)
    finally:
        catalogue.close()
    if as_json:
        emit_json({"id": doc_id, "cites": [c.to_json() for c in cited]})
        return
    err.print(f"{len(cited)} cases cited", style="dim")
    for case in cited:
        line = Text(case.text)
        if case.paragraph:
            line.append(f"  (§ {case.paragraph})", style="dim")
        if case.target:
            line.append(f"  -> [{case.target}]", style="green")
        elif case.canonical:
            line.append(f"  = {case.canonical} (not in the index)", style="dim")
        out.print(line)


@cli.command("cited-by")
@click.argument("doc_id", callback=_decodable)
@index_option
@json_option
@project_errors
def cited_by(doc_id, index_dir, as_json):
    """The indexed documents that cite DOC_ID, with the citation as printed in each.

    \b
    Example:
        precedents cited-by echr-en-chamber-zarechnev-v-russia-41234-15
    """
    from pipeline.search import open_index

    catalogue = Catalogue.open(index_dir, readonly=True)
    try:
        citing = open_index(index_dir, catalogue, readonly=True, notice=_notice).cited_by(
            doc_id, catalogue)
    finally:
        catalogue.close()
    if as_json:
        emit_json({"id": doc_id, "cited_by": [c.to_json() for c in citing]})
        return
    err.print(f"{len(citing)} documents cite it", style="dim")
    for doc in citing:
        line = Text(doc.title or doc.id, style="bold")
        line.append(f"  {doc.date or ''}  [{doc.id}]", style="dim")
        out.print(line)
        where = f"§ {doc.paragraph}: " if doc.paragraph else ""
        out.print(Text(f"   {where}{doc.text}"))


@cli.command()
@index_option
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on; anything but loopback exposes the page to the network.")
@click.option("--port", type=click.IntRange(1, 65535), default=8080, show_default=True)
@click.option("--inbox", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Also add the rulings dropped into this folder, as `precedents watch` "
                   "does (one process watches it, whatever the server's processes).")
@project_errors
def serve(index_dir, host, port, inbox):
    """Serve the local search page and its JSON API; rulings may be added from the page
    (/upload) and, with --inbox, from a folder. An ingest may run meanwhile.

    \b
    Examples:
        precedents serve --index ./index --port 8080
        precedents serve --index ./index --inbox ~/Rulings/inbox
    """
    if not _loopback(host):
        err.print(f"warning: listening on {host}: the search page (and the documents) will be "
                  "reachable from other machines", style="yellow")
    _check_port(host, port)
    from pipeline.web import serve as run_server

    shown = f"[{host}]" if ":" in host else host
    err.print(f"Serving {index_dir} on http://{shown}:{port}/ (Ctrl+C stops it)")
    _log_to_stderr(verbose=False)
    run_server(index_dir, host=host, port=port, inbox=inbox)


@cli.command()
@click.argument("folder", type=click.Path(file_okay=False, path_type=Path))
@index_option
@click.option("--once", is_flag=True,
              help="Look twice, --interval apart, add what did not change, and stop.")
@click.option("--interval", type=click.FloatRange(0.1), default=None,
              help="Seconds between looks; a file is taken once it is unchanged across one "
                   "[default: 5].")
@click.option("--ocr", type=click.Choice(["auto", "never", "always"]), default="auto",
              show_default=True, help="OCR image-only PDF pages with Tesseract when installed.")
@click.option("--verbose", "-v", is_flag=True,
              help="Log each file's name and document id (names of rulings may name people; "
                   "without it a file is logged by a short hash of its name).")
@json_option
@project_errors
def watch(folder, index_dir, once, interval, ocr, verbose, as_json):
    """Add the rulings dropped into FOLDER to the index, like a consume folder.

    A file is taken once its size and time are unchanged across --interval (never while it
    is being written; names such as .part, .crdownload, .tmp, ~$x are left alone), parsed as
    `ingest` parses it, and moved to FOLDER/done/, or FOLDER/failed/ with a .reason.txt file
    beside it. Never overwrites a file. With --json, each batch taken is one JSON line.

    \b
    Examples:
        precedents watch ~/Rulings/inbox --index ./index
        precedents watch ./inbox --once --interval 1 --json
    """
    from pipeline.ingest.inbox import INTERVAL, Inbox

    _log_to_stderr(verbose)

    def report(results) -> None:
        if as_json and not once:
            click.echo(json_text([r.to_json() for r in results]).replace("\n", " "))

    box = Inbox(folder, index_dir, ocr=ocr)
    try:
        taken = box.run(once=once, interval=INTERVAL if interval is None else interval,
                        report=report)
    except KeyboardInterrupt:
        return
    if once:
        added = sum(r.outcome.status in ("ok", "duplicate") for r in taken)
        err.print(f"{added} added, {len(taken) - added} failed")
        if as_json:
            emit_json([r.to_json() for r in taken])
        if len(taken) > added:
            sys.exit(1)


def _log_to_stderr(verbose: bool) -> None:
    """What uploads and the inbox log (``precedents.*``) goes to stderr: outcomes by a hash
    of the file name, or with ``verbose`` by name and document id too."""
    import logging

    logger = logging.getLogger("precedents")
    for old in list(logger.handlers):  # one handler, on the stderr of this command
        logger.removeHandler(old)
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(asctime)s %(message)s", "%H:%M:%S"))
    logger.addHandler(handler)
    logger.propagate = False
    logger.setLevel(logging.DEBUG if verbose else logging.INFO)


def _check_port(host: str, port: int) -> None:
    """Fail with one clear line when the address is taken, before uvicorn prints its own log."""
    import socket

    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host.strip("[]"), port))
        except OSError as exc:
            raise click.ClickException(
                f"cannot listen on {host}:{port}: {exc.strerror or exc} (try another --port)") from exc


def _loopback(host: str) -> bool:
    """True for addresses only this machine can reach (127.0.0.0/8, ::1, localhost)."""
    import ipaddress

    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


@cli.command()
@click.argument("ref", callback=_decodable)
@index_option
@click.option("--text", "with_text", is_flag=True,
              help="Also print the full text (--json always includes it).")
@json_option
@project_errors
def show(ref, index_dir, with_text, as_json):
    """Show one document by id, or by the path of an ingested file.

    \b
    Example:
        precedents show case-of-kiyutin-v-russia --text
    """
    catalogue = Catalogue.open(index_dir, readonly=True)
    try:
        record = _record(catalogue, ref)
    finally:
        catalogue.close()
    copies, shown_as = record["copies"], record["shown_as"]
    if as_json:
        emit_json(record)
        return
    from pipeline.present.labels import award_label, charge_label, holding_label, penalty_label

    table = Table(show_header=False, box=None)
    rows = {
        "id": record["id"], "title": record["title"], "kind": record["kind"],
        "instance": record["instance"], "court": record["court"], "formation": record["formation"],
        "date": record["date"], "language": record["language"],
        "case numbers": ", ".join(record["case_numbers"]),
        "states": ", ".join(record["respondent_states"]),
        "president": record["president"],
        "judges": ", ".join(record["judges"]),
        "holdings": "; ".join(holding_label(h) for h in record["holdings"]),
        "awards": "; ".join(award_label(a) for a in record["awards"]),
        "charges": ", ".join(charge_label(c) for c in record["charges"]),
        "penalties": "; ".join(penalty_label(p) for p in record["penalties"]),
        "outcome": record["outcome"],
        "source": f"{record['source']['path']} ({record['source']['format']}, "
                  f"{record['source']['pages']} pages, {len(record['text'])} characters)",
        "copies": ", ".join(f"{c['path']} ({c['id']})" for c in copies),
        "shown as": shown_as and f"{shown_as} (this file is a copy of that document)",
    }
    for key, value in rows.items():
        if value not in (None, ""):
            table.add_row(Text(key, style="bold"), Text(str(value)))
    out.print(table)
    if with_text:
        out.print()
        out.print(Text(record["text"]))


def _record(catalogue: Catalogue, ref: str) -> ShownRecord:
    doc = catalogue.document(ref)
    if doc is None:
        from pipeline.ingest import source_key

        path = source_key(Path(ref))
        docs = catalogue.documents_for_path(path)
        if len(docs) > 1:
            ids = ", ".join(d.id for d in docs[:10])
            raise DocumentNotFound(f"{ref}: holds {len(docs)} documents; show one of: {ids}")
        if not docs:
            source = catalogue.source(path)
            if source is not None:
                raise DocumentNotFound(f"{ref}: no document ({source.status}: {source.error})")
            raise DocumentNotFound(f"{ref}: no document with this id or path in the catalogue")
        doc = docs[0]
    from pipeline.records import shown_record

    return shown_record(catalogue, doc)


@cli.command()
@index_option
@json_option
@project_errors
def status(index_dir, as_json):
    """Counts by status, format and language, and every failure with its reason.

    \b
    Example:
        precedents status --json
    """
    catalogue = Catalogue.open(index_dir, readonly=True)
    try:
        counts = catalogue.counts()
    finally:
        catalogue.close()
    counts["engine"] = recorded_engine(index_dir)
    if as_json:
        emit_json(counts)
        return
    out.print(f"{counts['documents']} documents from {counts['sources']} files in {index_dir}"
              + (f" (search engine: {counts['engine']})" if counts["engine"] else ""))
    if counts["unindexed"]:
        err.print(f"{counts['unindexed']} documents are not in the search index (an ingest may "
                  f"be running, else run `precedents reindex --index {index_dir}`)",
                  style="yellow")
    for title, key in (("status", "by_status"), ("format", "by_format"), ("language", "by_language")):
        table = Table(title=f"by {title}", title_justify="left")
        table.add_column(title)
        table.add_column("count", justify="right")
        for name, count in counts[key].items():
            table.add_row(name, str(count))
        out.print(table)
    for failure in counts["failures"]:
        out.print(Text(f"{failure['status']}: {failure['error']}", style="red"))
    for duplicate in counts["duplicates"]:
        out.print(Text(f"duplicate: {duplicate['path']} (same bytes as {duplicate['duplicate_of']})",
                       style="dim"))
    for copy in counts["merged"]:
        why = copy["why"]
        out.print(Text(f"merged: {copy['path']} ({copy['id']}) is shown as {copy['into']} "
                       f"({copy['into_path']}): same {why['kind']} of {why['date'] or 'no date'}, "
                       f"{', '.join(why['keys'])}, text similarity {why['similarity']:.2f}",
                       style="dim"))


@cli.command()
@index_option
@click.option("--engine", type=click.Choice(ENGINES), default=None,
              help="Rebuild with this search engine (switches the index to it); default: the "
                   "engine the index has.")
@click.option("--meaning", is_flag=True, default=None,
              help="Build the meaning layer too (kept, and rebuilt, when the index has one).")
@project_errors
def reindex(index_dir, engine, meaning):
    """Rebuild the search index from the catalogue (no extraction, no NLP).

    \b
    Examples:
        precedents reindex --index ./index
        precedents reindex --engine tantivy --index ./index
        precedents reindex --meaning --index ./index
    """
    from pipeline.ingest import reindex as run_reindex

    with _progress("documents") as bar:
        task = bar.add_task("Indexing", total=None)
        count = run_reindex(index_dir, engine=engine, meaning=meaning,
                            progress=lambda d, t: bar.update(task, completed=d, total=t))
    err.print(f"{count} documents indexed ({recorded_engine(index_dir)})")


def _progress(unit: str = "files"):
    """A bar on a terminal; on a file or pipe (a log, nohup, CI), a line every few seconds.

    A Rich bar prints nothing until the end when stderr is not a terminal, so a long ingest
    sent to a log looked hung for minutes. ``PRECEDENTS_NO_PROGRESS=1`` turns both off;
    ``PRECEDENTS_PROGRESS_SECONDS`` sets the interval of the lines (default 10).
    """
    disabled = os.environ.get("PRECEDENTS_NO_PROGRESS") == "1"
    console = err.get()
    if not console.is_terminal:
        interval = float(os.environ.get("PRECEDENTS_PROGRESS_SECONDS") or 10)
        return LineProgress(err.print if not disabled else None, unit, interval)
    # Imported here: only ingest and reindex draw bars, and a search should start fast.
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    return Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                    TimeElapsedColumn(), console=console, transient=True, disable=disabled)


def _notice(message: str) -> None:
    err.print(f"notice: {message}", style="yellow")


# -- case files: a lawyer's collections of documents and pinned paragraphs (pipeline.casefiles) --

@cli.group()
def casefile() -> None:
    """Case files: named collections of documents and pinned paragraphs, with notes.

    Kept in the catalogue; a document pruned from the index stays in its case files, marked
    missing. Writes take the ingest lock (they refuse while an ingest runs).

    \b
    Examples:
        precedents casefile add "Ivanov v. Russia" 001-57534 --paragraph 135 --note "beaten in custody"
        precedents casefile add "Ivanov v. Russia" --from-search "пытка полиция" --filter state:russia
        precedents casefile export "Ivanov v. Russia" authorities.docx --with-notes
    """


@casefile.command("list")
@index_option
@json_option
@project_errors
def casefile_list(index_dir, as_json):
    """Every case file, with how many items and documents it holds.

    \b
    Example:
        precedents casefile list --json
    """
    from pipeline import casefiles

    catalogue = Catalogue.open(index_dir, readonly=True)
    try:
        found = casefiles.listing(catalogue)
    finally:
        catalogue.close()
    if as_json:
        emit_json({"casefiles": [c.to_json() for c in found]})
        return
    err.print(f"{len(found)} case files", style="dim")
    for summary in found:
        line = Text(summary.name, style="bold")
        line.append(f"  {summary.documents} documents, {summary.items} items, "
                    f"changed {summary.updated_at}", style="dim")
        out.print(line)


@casefile.command("show")
@click.argument("name")
@index_option
@json_option
@project_errors
def casefile_show(name, index_dir, as_json):
    """A case file's items: citation, pinned paragraph, note, and the search that found it.

    \b
    Example:
        precedents casefile show "Ivanov v. Russia"
    """
    from pipeline import casefiles

    catalogue = Catalogue.open(index_dir, readonly=True)
    try:
        found = casefiles.show(catalogue, name)
    finally:
        catalogue.close()
    if as_json:
        emit_json(found.to_json())
        return
    out.print(Text(found.name, style="bold"))
    if found.note:
        out.print(Text(f"   {found.note}", style="italic"))
    for n, item in enumerate(found.items, 1):
        line = Text(f"{n}. {item.citation or item.title or item.doc_id}")
        line.append(f"  [{item.shown_id or item.doc_id}]", style="dim")
        if item.status != "ok":
            line.append(f"  {item.status}", style="red")
        out.print(line)
        if item.note:
            out.print(Text(f"   note: {item.note}", style="italic"))
        if item.query is not None or item.filters:
            out.print(Text("   found by: " + " ".join(
                [repr(item.query or "")] + [f"--filter {f}" for f in item.filters]
                + ([f"--mode {item.mode}"] if item.mode else [])), style="dim"))
    if found.missing:
        err.print(f"{found.missing} items are not as they were added: a document gone from "
                  "the index, or a pinned paragraph it no longer has", style="yellow")


@casefile.command("add")
@click.argument("name")
@click.argument("doc_ids", nargs=-1, callback=lambda c, p, v: [_decodable(c, p, i) for i in v])
@index_option
@click.option("--paragraph", "-p", "paragraphs", multiple=True, metavar="N",
              help="Pin this numbered paragraph of the document (one DOC_ID; repeatable).")
@click.option("--note", default=None, help="The lawyer's note on each item added.")
@click.option("--query", default=None,
              help="The search that found the documents (kept with each item).")
@click.option("--filter", "-f", "filters", multiple=True, metavar="CLAUSE",
              help="A filter of that search (repeatable); with --from-search, applied to it.")
@click.option("--from-search", "from_search", metavar="QUERY", default=None,
              help="Add every hit of this search (up to --limit), with its query and filters.")
@click.option("--mode", type=click.Choice(MODES), default=None,
              help="With --from-search: the search mode (default as `search`).")
@click.option("--limit", "-n", type=click.IntRange(1, 1000), default=20, show_default=True,
              help="With --from-search: how many hits to add.")
@click.option("--pin-hits", is_flag=True,
              help="With --from-search: pin each hit's paragraph (where its passage is).")
@click.option("--casefile-note", default=None, help="Set the case file's own note.")
@json_option
@project_errors
def casefile_add(name, doc_ids, index_dir, paragraphs, note, query, filters, from_search, mode,
                 limit, pin_hits, casefile_note, as_json):
    """Add documents to case file NAME (made when new): DOC_IDs, or a whole result list.

    A merged copy is added as the document it is shown as; a pinned paragraph must be one
    the record numbers. Adding an item again updates its note, query and filters.

    \b
    Examples:
        precedents casefile add "Ivanov v. Russia" 001-57534 -p 135 -p 140 --note "Art. 3"
        precedents casefile add "Ivanov v. Russia" --from-search 'пытка' -f state:russia -n 10
    """
    from pipeline import casefiles

    if paragraphs and len(doc_ids) != 1:
        raise click.UsageError("--paragraph pins a paragraph of one DOC_ID")
    if from_search is not None and (doc_ids or query is not None):
        raise click.UsageError("--from-search adds its hits: give no DOC_ID and no --query")
    if from_search is None and not doc_ids:
        raise click.UsageError("give DOC_IDs, or --from-search QUERY")
    if from_search is None and (mode or pin_hits):
        raise click.UsageError("--mode and --pin-hits go with --from-search")
    additions: list[casefiles.Addition] = []
    if from_search is not None:
        additions = _search_additions(index_dir, from_search, list(filters), mode, limit,
                                      pin_hits, note)
    for doc_id in doc_ids:
        for paragraph in paragraphs or [None]:
            additions.append(casefiles.Addition(doc_id, paragraph, note, query, list(filters)))
    with casefiles.writing(index_dir) as catalogue:
        report = casefiles.add_items(catalogue, name, additions, note=casefile_note)
    if as_json:
        emit_json(report.to_json())
        return
    err.print(("created " if report.created else "") + f"{report.name}: "
              f"{len(report.added)} added, {len(report.updated)} already there (updated)")
    for given, stored, _ in report.added + report.updated:
        if given != stored:
            err.print(f"{given} is a copy shown as {stored}: added as {stored}", style="dim")


def _search_additions(index_dir, text, filters, mode, limit, pin_hits, note):
    """The hits of one search as case-file additions, each keeping the query, filters and mode."""
    from pipeline.casefiles import from_search

    catalogue = Catalogue.open(index_dir, readonly=True)
    try:
        return from_search(index_dir, catalogue, text, filters, mode=mode, limit=limit,
                           pin_hits=pin_hits, note=note).additions
    finally:
        catalogue.close()


@casefile.command("remove")
@click.argument("name")
@click.argument("doc_ids", nargs=-1, required=True,
                callback=lambda c, p, v: [_decodable(c, p, i) for i in v])
@index_option
@click.option("--paragraph", "-p", default=None, metavar="N",
              help="Remove only the item pinning this paragraph (default: every item of it).")
@json_option
@project_errors
def casefile_remove(name, doc_ids, index_dir, paragraph, as_json):
    """Take documents (or one pinned paragraph) out of case file NAME.

    \b
    Example:
        precedents casefile remove "Ivanov v. Russia" 001-57534 --paragraph 140
    """
    from pipeline import casefiles

    with casefiles.writing(index_dir) as catalogue:
        count = casefiles.remove_items(catalogue, name, doc_ids, paragraph)
    if as_json:
        emit_json({"casefile": name, "removed": count})
        return
    err.print(f"{name}: {count} items removed")


@casefile.command("note")
@click.argument("name")
@click.argument("text")
@index_option
@click.option("--doc", "doc_id", default=None, metavar="DOC_ID",
              help="Set the note of this document's items instead of the case file's.")
@click.option("--paragraph", "-p", default=None, metavar="N",
              help="With --doc: only the item pinning this paragraph.")
@project_errors
def casefile_note(name, text, index_dir, doc_id, paragraph):
    """Set the note of case file NAME, or of one of its documents (--doc); "" clears it.

    \b
    Examples:
        precedents casefile note "Ivanov v. Russia" "Application lodged 3 March"
        precedents casefile note "Ivanov v. Russia" "the closest facts" --doc 001-57534 -p 135
    """
    from pipeline import casefiles

    if paragraph is not None and doc_id is None:
        raise click.UsageError("--paragraph goes with --doc")
    with casefiles.writing(index_dir) as catalogue:
        count = casefiles.set_note(catalogue, name, text, doc_id=doc_id, paragraph=paragraph)
    err.print(f"{name}: {count} note{'' if count == 1 else 's'} "
              f"{'set' if text.strip() else 'cleared'}")


@casefile.command("delete")
@click.argument("name")
@index_option
@click.option("--yes", is_flag=True, help="Do not ask (its notes are lost).")
@project_errors
def casefile_delete(name, index_dir, yes):
    """Delete case file NAME with its items and notes (the documents stay in the index).

    \b
    Example:
        precedents casefile delete "Ivanov v. Russia" --yes
    """
    from pipeline import casefiles

    if not yes:
        click.confirm(f"Delete case file {name!r} and its notes?", abort=True, err=True)
    with casefiles.writing(index_dir) as catalogue:
        count = casefiles.delete(catalogue, name)
    err.print(f"{name}: deleted ({count} items)")


@casefile.command("export")
@click.argument("name")
@click.argument("out_file", metavar="OUT.docx|OUT.csv|OUT.json",
                type=click.Path(dir_okay=False, path_type=Path))
@index_option
@click.option("--with-notes", is_flag=True, help="Include the lawyer's notes (left out by "
                                                 "default: the list goes to the court).")
@json_option
@project_errors
def casefile_export(name, out_file, index_dir, with_notes, as_json):
    """Write case file NAME as a list of authorities: DOCX (Strasbourg cases and domestic
    rulings in two headed lists, full citations with pinpoints), or CSV / JSON (one row per
    item), by OUT's extension.

    \b
    Examples:
        precedents casefile export "Ivanov v. Russia" authorities.docx
        precedents casefile export "Ivanov v. Russia" items.csv --with-notes
    """
    from pipeline import casefiles
    from pipeline.present.authorities import authorities, write

    catalogue = Catalogue.open(index_dir, readonly=True)
    try:
        found = casefiles.show(catalogue, name)
        listed = authorities(found, catalogue)
    finally:
        catalogue.close()
    write(listed, out_file, with_notes=with_notes)
    summary = {"casefile": found.name, "out": str(out_file),
               "strasbourg": len(listed.strasbourg), "domestic": len(listed.domestic),
               "items": len(found.items), "not_as_added": found.missing,
               "with_notes": with_notes}
    if found.missing:
        err.print(f"{found.missing} items are not as they were added (see `casefile show`); "
                  "they are marked in the list", style="yellow")
    strasbourg, domestic = summary["strasbourg"], summary["domestic"]
    err.print(f"{found.name}: {strasbourg} Strasbourg case{'' if strasbourg == 1 else 's'}, "
              f"{domestic} domestic ruling{'' if domestic == 1 else 's'} -> {out_file}")
    if as_json:
        emit_json(summary)


# -- sharing precedents with other NGOs (pipeline.exchange) ------------------------------------

@cli.command()
@click.argument("keyfile", type=click.Path(dir_okay=False, path_type=Path))
@json_option
@project_errors
def keygen(keyfile, as_json):
    """Make an Ed25519 key pair for signing bundles: KEYFILE (private, mode 0600) and
    KEYFILE.pub (public: give it to the NGOs that import your bundles). Never overwrites.

    \b
    Example:
        precedents keygen ~/.precedents/ngo-a.key
    """
    from pipeline.exchange import generate_key

    public, fingerprint = generate_key(keyfile)
    if as_json:
        emit_json({"private_key": str(keyfile), "public_key": str(public),
                   "fingerprint": fingerprint})
        return
    err.print(f"private key: {keyfile} (keep it secret; mode 0600)")
    err.print(f"public key:  {public} (share it)")
    out.print(f"fingerprint: {fingerprint}")


@cli.command()
@click.argument("out_zip", metavar="OUT.zip", type=click.Path(dir_okay=False, path_type=Path))
@index_option
@click.option("--filter", "query", metavar="QUERY", default=None,
              help="Export only the documents matching this search query (all its hits).")
@click.option("--with-originals", is_flag=True,
              help="Also include the original files (those still on disk unchanged).")
@click.option("--sign", "sign_key", type=click.Path(dir_okay=False, path_type=Path),
              default=None, help="Sign the manifest with this Ed25519 private key (keygen).")
@click.option("--anonymise", is_flag=True,
              help="Replace people by pseudonyms and remove personal data; a report of counts "
                   "goes beside the bundle (OUT.zip.anonymisation.json).")
@click.option("--with-casefiles", is_flag=True,
              help="Also carry the case files (their notes only with --with-notes).")
@click.option("--with-notes", is_flag=True,
              help="With --with-casefiles: include the lawyer's notes (private by default; "
                   "never in an anonymised bundle).")
@json_option
@project_errors
def export(out_zip, index_dir, query, with_originals, sign_key, anonymise, with_casefiles,
           with_notes, as_json):
    """Write a precedent bundle for another NGO: records, manifest, optional originals.

    Source folders stay private: a bundle names each source by its base name only.

    \b
    Example:
        precedents export torture.zip --filter '"police custody" torture' --sign ngo-a.key
        precedents export shared.zip --anonymise
        precedents export colleague.zip --with-casefiles --with-notes
    """
    from pipeline.exchange import export_bundle

    report = export_bundle(out_zip, index_dir, query=query, with_originals=with_originals,
                           sign_key=sign_key, anonymise=anonymise, notice=_notice,
                           with_casefiles=with_casefiles, with_notes=with_notes)
    if anonymise:
        err.print(f"anonymised: {sum(report.replaced.values())} replacements "
                  f"({', '.join(f'{k} {v}' for k, v in sorted(report.replaced.items()))}); "
                  f"{report.left_out} documents left out (not tagged); residual scan: clean; "
                  f"report: {report.report_path}")
    err.print(f"{report.documents} documents from {report.sources} sources"
              + (f", {report.originals} originals" if with_originals else "")
              + (f" ({len(report.originals_missing)} originals left out)"
                 if report.originals_missing else "")
              + (f"; signed by {report.signed_by}" if report.signed_by else "; unsigned")
              + f" -> {out_zip} ({report.bytes:,} bytes)")
    if report.casefiles:
        err.print(f"{report.casefiles} case files, "
                  + ("with their notes" if report.casefile_notes else "without notes")
                  + (f" ({report.casefile_items_left_out} items of documents not carried "
                     "left out)" if report.casefile_items_left_out else ""))
    if as_json:
        emit_json(report.to_json())


@cli.command("check-citations")
@click.argument("draft", metavar="FILE", type=click.Path(dir_okay=False, allow_dash=True))
@index_option
@json_option
@project_errors
def check_citations(draft, index_dir, as_json):
    """Check every citation in a draft (.txt, .docx, .rtf, .pdf; - for text on stdin) against
    the index and the Court's list of case-law references: each is confirmed, a mismatch
    (with what differs) or unknown.

    \b
    Example:
        precedents check-citations application.docx --json
    """
    from pipeline.checks import check_citations as check, read_draft

    text = read_draft(draft).text
    catalogue = Catalogue.open(index_dir, readonly=True) if (index_dir / "catalogue.sqlite").is_file() else None
    if catalogue is None:
        _notice(f"{index_dir}: no index here; checked against the Court's list only")
    try:
        report = check(text, catalogue)
    finally:
        if catalogue is not None:
            catalogue.close()
    if as_json:
        emit_json({"file": draft, **report.to_json()})
        return
    counts = report.counts()
    err.print(", ".join(f"{n} {verdict}" for verdict, n in counts.items()), style="dim")
    styles = {"confirmed": "green", "mismatch": "bold red", "unknown": "yellow"}
    for c in report.citations:
        line = Text(f"{c.verdict:<9} ", style=styles[c.verdict])
        line.append(" ".join(c.text.split()))
        if c.doc_id:
            line.append(f"  [{c.doc_id}]", style="dim")
        out.print(line)
        for d in c.differences:
            out.print(Text(f"          {d.message}", style="red"))
        for note in c.notes:
            out.print(Text(f"          {note}", style="dim"))


@cli.command("import")
@click.argument("bundle", type=click.Path(dir_okay=False, path_type=Path))
@index_option
@click.option("--trust", "trust_key", type=click.Path(dir_okay=False, path_type=Path),
              default=None, help="Refuse the bundle unless it is signed by this public key.")
@json_option
@project_errors
def import_(bundle, index_dir, trust_key, as_json):
    """Verify a precedent bundle completely, then merge its records and rebuild the index.

    Nothing is written unless every checksum, the format version and (with --trust) the
    signature verify. Documents whose text is already here are skipped.

    \b
    Example:
        precedents import ngo-b-torture.zip --trust ngo-b.key.pub
    """
    from pipeline.exchange import import_bundle

    report = import_bundle(bundle, index_dir, trust_key=trust_key, notice=_notice)
    err.print(f"{bundle}: {report.verification}")
    err.print(f"{len(report.added)} documents added, {len(report.duplicates)} already here"
              + (f", {len(report.renamed)} renamed (id taken by another text)"
                 if report.renamed else "")
              + f" ({report.seconds:.1f} s)")
    for change in report.renamed:
        err.print(f"renamed: {change['from']} -> {change['to']}", style="yellow")
    for case in report.casefiles:
        err.print(f"case file {case['from']}: " + (
            "already here" if case["to"] is None else
            f"imported as {case['to']}" if case["to"] != case["from"] else "imported")
            + f" ({case['items']} items)")
    if as_json:
        emit_json(report.to_json())


if __name__ == "__main__":
    cli()
