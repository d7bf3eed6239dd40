"""Statistics as tables: the one shape the page shows, the CLI prints and CSV exports.

A chart's table and its CSV are made by the same function from the same numbers, so what a
lawyer downloads is what she read on the page. A cell keeps its raw value (what the CSV holds)
and the figure or document behind it (what the page links to); formatting numbers is the
reader's business (the page formats them for its language, the CSV never).
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field

from pipeline.present.labels import (ENGLISH, GROUP_LABELS, OUTCOME_LABELS, RU_OUTCOME_LABELS, STATS_HEADS,
                                     N_, Translator)
from pipeline.stats.model import ECHR_OUTCOMES, TABLES, Statistics

__all__ = ["Cell", "TABLES", "Table", "tables", "to_csv"]



@dataclass
class Cell:
    """``value``: what the CSV holds; ``figure``: the key of the documents behind a count;
    ``doc``: the document a row is about (a sum awarded)."""

    value: str | int | float | None
    figure: str | None = None
    doc: str | None = None
    count: bool = False


@dataclass
class Table:
    name: str
    title: str
    columns: list[str]
    rows: list[list[Cell]] = field(default_factory=list)
    numeric: list[bool] = field(default_factory=list)


def _count(figure) -> Cell:
    return Cell(figure.count, figure=figure.key if figure.count else None, count=True)


def _outcomes(stats: Statistics, tr: Translator) -> Table:
    by = tr.gettext(GROUP_LABELS[stats.by])
    table = Table("outcomes", tr.gettext("Strasbourg rulings by outcome"),
                  [by, tr.gettext("Rulings"),
                   *(tr.gettext(OUTCOME_LABELS[o]) for o in ECHR_OUTCOMES)],
                  numeric=[False] + [True] * (1 + len(ECHR_OUTCOMES)))
    for row in stats.outcomes:
        table.rows.append([Cell(row.label), _count(row.rulings),
                           *(_count(row.outcomes[o]) for o in ECHR_OUTCOMES)])
    return table


def _domestic(stats: Statistics, tr: Translator) -> Table:
    seen = [o for o in RU_OUTCOME_LABELS if any(o in r.outcomes for r in stats.domestic)]
    seen += sorted({o for r in stats.domestic for o in r.outcomes} - set(seen))
    first = tr.gettext("Kind and instance") if stats.by not in ("year", "court") \
        else tr.gettext(GROUP_LABELS[stats.by])
    table = Table("domestic", tr.gettext("Russian rulings by outcome"),
                  [first, tr.gettext("Rulings"),
                   *(tr.gettext(RU_OUTCOME_LABELS[o]) if o in RU_OUTCOME_LABELS else o
                     for o in seen)],
                  numeric=[False] + [True] * (1 + len(seen)))
    for row in stats.domestic:
        cells = [Cell(row.label), _count(row.rulings)]
        for o in seen:
            figure = row.outcomes.get(o)
            cells.append(_count(figure) if figure else Cell(0, count=True))
        table.rows.append(cells)
    return table


def _charges(stats: Statistics, tr: Translator) -> Table:
    table = Table("charges", tr.gettext("Charges and sentences in Russian rulings"),
                  [tr.gettext("Charge"), tr.gettext("Rulings"), tr.gettext("Convicted"),
                   tr.gettext("Real imprisonment"), tr.gettext("Median term, months"),
                   tr.gettext("Quartiles, months"), tr.gettext("Suspended"), tr.gettext("Fine")],
                  numeric=[False, True, True, True, True, True, True, True])
    for row in stats.charges:
        m = row.months
        table.rows.append([
            Cell(row.label), _count(row.rulings), _count(row.convicted),
            _count(row.imprisonment), Cell(round(m.median, 1) if m else None),
            Cell(f"{m.q1:g}–{m.q3:g}" if m else None), _count(row.suspended),
            _count(row.fined)])
    return table


def _awards(stats: Statistics, tr: Translator) -> Table:
    table = Table("awards", tr.gettext("Sums awarded, by head and currency"),
                  [tr.gettext("Court"), tr.gettext("Head"), tr.gettext("Currency"),
                   tr.gettext(GROUP_LABELS[stats.by]) if stats.by in ("year", "court") else "",
                   tr.gettext("Sums"), tr.gettext("Rulings"), tr.gettext("Lowest"),
                   tr.gettext("Lower quartile"), tr.gettext("Median"),
                   tr.gettext("Upper quartile"), tr.gettext("Highest")],
                  numeric=[False, False, False, False, True, True, True, True, True, True, True])
    if stats.awards is None:
        return table
    if stats.by not in ("year", "court"):
        table.columns.pop(3)
        table.numeric.pop(3)
    for d in stats.awards.distributions:
        q = d.stats
        cells = [Cell(tr.gettext("ECHR") if d.scope == "echr" else tr.gettext("Russian courts")),
                 Cell(tr.gettext(STATS_HEADS.get(d.head, d.head))), Cell(d.currency)]
        if stats.by in ("year", "court"):
            cells.append(Cell(d.group_label or tr.gettext("all")))
        cells += [Cell(q.count), _count(d.rulings), Cell(q.minimum), Cell(q.q1),
                  Cell(q.median), Cell(q.q3), Cell(q.maximum)]
        table.rows.append(cells)
    return table


def _points(stats: Statistics, tr: Translator) -> Table:
    converted = stats.awards is not None and stats.awards.currency is not None
    columns = [tr.gettext("Date"), tr.gettext("Ruling"), tr.gettext("Court"), tr.gettext("Head"),
               tr.gettext("Amount"), tr.gettext("Currency")]
    numeric = [False, False, False, False, True, False]
    if converted:
        columns += [tr.gettext("In %(currency)s") % {"currency": stats.awards.currency},  # type: ignore[union-attr]
                    tr.gettext("Rate"), tr.gettext("Rate source")]
        numeric += [True, True, False]
    columns.append(tr.gettext("Document"))
    numeric.append(False)
    table = Table("points", tr.gettext("Every sum awarded"), columns, numeric=numeric)
    for p in stats.awards.points if stats.awards else []:
        cells = [Cell(p.date), Cell(p.citation, doc=p.id),
                 Cell(p.court or (tr.gettext("European Court of Human Rights")
                                  if p.scope == "echr" else None)),
                 Cell(tr.gettext(STATS_HEADS.get(p.head, p.head))), Cell(p.amount),
                 Cell(p.currency)]
        if converted:
            cells += [Cell(round(p.converted, 2) if p.converted is not None else None),
                      Cell(p.rate), Cell(p.rate_source)]
        cells.append(Cell(p.id, doc=p.id))
        table.rows.append(cells)
    return table


def tables(stats: Statistics, tr: Translator = ENGLISH) -> dict[str, Table]:
    """Every table of ``stats`` by name (``TABLES``), labelled in the language of ``tr``;
    the award tables only when awards were asked for."""
    out = {"outcomes": _outcomes(stats, tr), "domestic": _domestic(stats, tr),
           "charges": _charges(stats, tr)}
    if stats.awards is not None:
        out["awards"] = _awards(stats, tr)
        out["points"] = _points(stats, tr)
    return out


def to_csv(table: Table) -> str:
    """The table as CSV (RFC 4180, a header row): raw values, no thousands separators.

    >>> print(to_csv(Table("t", "T", ["Year", "Rulings"], [[Cell("2010"), Cell(3)]])), end="")
    Year,Rulings
    2010,3
    """
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(table.columns)
    for row in table.rows:
        writer.writerow([_plain(c.value) for c in row])
    return buffer.getvalue()


def _plain(value: str | int | float | None) -> str:
    """A CSV value: ``6000.0`` as ``6000``, None as empty; text that a spreadsheet would run
    as a formula (``=``, ``+``, ``-``, ``@`` first) is prefixed with ``'``."""
    if value is None:
        return ""
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    text = str(value)
    if text[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + text
    return text
