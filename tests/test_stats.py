"""Statistics over a search (pipeline/stats): what is counted, what is left out, and that no
ruling is counted twice, on an index of records written by hand (no parsing)."""

from __future__ import annotations

import csv
import io
import json
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner

from pipeline.catalogue import Catalogue
from pipeline.cli import cli
from pipeline.facts import facts_of
from pipeline.search import open_index
from pipeline.stats.compute import compute, focus_articles, quartiles
from pipeline.stats.tables import tables, to_csv
from tests.conftest import index_of_records


def _echr(title, date, numbers, holdings, awards=(), state="Russia", kind="echr_judgment",
          language="en", text="The applicant was beaten by police officers in custody."):
    return {"kind": kind, "title": title, "date": date, "case_numbers": list(numbers),
            "respondent_states": [state], "court": "European Court of Human Rights",
            "formation": "Chamber", "language": language, "text": text,
            "holdings": [{"article": a, "outcome": o, "text": t, "vote": None}
                         for a, o, t in holdings],
            "awards": [{"amount": m, "currency": c, "head": h, "text": ""} for m, c, h in awards]}


def _ru(kind, date, outcome, *, awards=(), charges=(), penalties=(), instance="first",
        court="Заречный районный суд г. Энска", number="2-1/2020"):
    return {"kind": kind, "title": "Решение", "date": date, "case_numbers": [number],
            "court": court, "instance": instance, "outcome": outcome, "language": "ru",
            "text": "Взыскать компенсацию морального вреда за незаконное задержание полицией.",
            "awards": [{"amount": m, "currency": c, "head": h, "text": ""} for m, c, h in awards],
            "charges": [{"code": "УК", "article": a, "part": p, "point": pt,
                         "key": ":".join(x for x in ("УК", a, p, pt) if x)}
                        for a, p, pt in charges],
            "penalties": [{"type": t, "months": mo, "amount": None, "text": "",
                           "probation_months": pr} for t, mo, pr in penalties]}


RECORDS = {
    # Article 3 violated (substantive) and not (procedural), Article 6 violated, with awards.
    "a-en": _echr("CASE OF A v. RUSSIA", "2010-03-18", ["1/08"],
                  [("3", "violation", ""), ("3", "no_violation", ""), ("6-1", "violation", "")],
                  [(10000.0, "EUR", "non_pecuniary"), (1500.0, "EUR", "costs")]),
    # The same judgment in Russian translation: one ruling, counted once, as the English one.
    "a-ru": _echr("ДЕЛО А ПРОТИВ РОССИИ", "2010-03-18", ["1/08"],
                  [("3", "violation", "")], [(10000.0, "EUR", "non_pecuniary")], language="ru",
                  text="Заявитель был избит сотрудниками полиции."),
    # No violation of Article 3; a violation of Article 5 § 1, and no sum read.
    "b": _echr("CASE OF B v. RUSSIA", "2011-05-05", ["2/09"],
               [("3", "no_violation", ""), ("5-1", "violation", "")]),
    # A whole application declared inadmissible, and one inadmissible in part only.
    "c": _echr("C v. Russia (dec.)", "2012-01-10", ["3/10"],
               [(None, "inadmissible", "Declares the application inadmissible.")],
               kind="echr_decision"),
    "c2": _echr("C2 v. Russia (dec.)", "2012-02-10", ["31/10"],
                [(None, "inadmissible", "Declares the complaint under Article 3 admissible "
                                        "and the remainder of the application inadmissible")],
                kind="echr_decision"),
    # A judgment whose holdings were not read: left out of the outcomes, and counted.
    "d": _echr("CASE OF D v. TURKEY", "2012-06-01", ["4/11"], [], state="Turkey"),
    # A sum without a currency read: its ruling's awards are left out whole.
    "e": _echr("CASE OF E v. RUSSIA", "2013-01-01", ["5/12"], [("3", "violation", "")],
               [(5000.0, "", "non_pecuniary"), (100.0, "EUR", "costs")]),
    # Russian civil decision with moral damage; a sentence; a sentence not read.
    "f": _ru("ru_decision", "2020-02-03", "claim_granted_in_part",
             awards=[(50000.0, "RUB", "non_pecuniary"), (3000.0, "RUB", "costs")]),
    "g": _ru("ru_sentence", "2019-04-04", "convicted", charges=[("286", "3", "а")],
             penalties=[("imprisonment", 36, None), ("suspended", 24, 12)], number="1-7/2019"),
    "g2": _ru("ru_sentence", "2019-05-05", "convicted", charges=[("286", "3", None)],
              penalties=[("imprisonment", 48, None)], number="1-8/2019"),
    "h": _ru("ru_sentence", "2021-01-01", None, charges=[("286", "1", None)], number="1-9/2021"),
    # Not a ruling.
    "i": _echr("A.B. v. Russia (communicated)", "2014-01-01", ["9/13"], [],
               kind="echr_communicated"),
}


@pytest.fixture(scope="module")
def index(tmp_path_factory) -> Path:
    return index_of_records(tmp_path_factory.mktemp("stats"), RECORDS)


def _stats(index: Path, query: str = "", filters=(), **kwargs):
    catalogue = Catalogue.open(index, readonly=True)
    try:
        engine = open_index(index, catalogue, readonly=True)
        return compute(engine, catalogue, query, list(filters), **kwargs)
    finally:
        catalogue.close()


def _row(rows, value):
    return next(r for r in rows if r.value == value)


def _counts(row):
    return {k: v.count for k, v in row.outcomes.items() if v.count}


def test_each_ruling_counted_once_and_in_one_column(index):
    stats = _stats(index)
    assert stats.selected == len(RECORDS)
    assert stats.copies.ids == ["a-ru"]
    assert [r.value for r in stats.outcomes] == ["2010", "2011", "2012", "2013"]
    # A violation on one article outweighs no violation on another.
    assert _counts(_row(stats.outcomes, "2010")) == {"violation": 1}
    assert _counts(_row(stats.outcomes, "2011")) == {"violation": 1}
    assert _counts(_row(stats.outcomes, "2012")) == {"inadmissible": 2}
    assert stats.excluded.ids == ["d"]
    assert stats.other.ids == ["i"]


def test_articles_named_by_the_search_decide_the_columns(index):
    stats = _stats(index, filters=["article:3"])
    assert stats.articles == ["3"]
    assert _counts(_row(stats.outcomes, "2010")) == {"violation": 1}
    assert _counts(_row(stats.outcomes, "2011")) == {"no_violation": 1}
    # The decision declaring the Article 3 complaint admissible is not inadmissible on it:
    # with no other holding on Article 3, its outcome on it was not read.
    assert "c2" in stats.excluded.ids
    assert "2012" not in [r.value for r in stats.outcomes]


def test_by_article_counts_a_ruling_under_each_article(index):
    stats = _stats(index, by="article")
    three, six, five = (_row(stats.outcomes, v) for v in ("3", "6", "5"))
    assert _counts(three) == {"violation": 2, "no_violation": 1}
    assert _counts(six) == {"violation": 1} and _counts(five) == {"violation": 1}
    assert three.filter == "article:3"


def test_by_state(index):
    stats = _stats(index, by="state")
    assert _row(stats.outcomes, "russia").rulings.count == 5
    assert "turkey" not in [r.value for r in stats.outcomes]  # its outcome was not read


def test_domestic_outcomes_charges_and_sentences(index):
    by_year = _stats(index)
    assert {r.value: _counts(r) for r in by_year.domestic} == {
        "2019": {"convicted": 2}, "2020": {"claim_granted_in_part": 1}}
    stats = _stats(index, by="kind")
    kinds = {r.value: _counts(r) for r in stats.domestic}
    assert kinds == {"ru_sentence/first": {"convicted": 2},
                     "ru_decision/first": {"claim_granted_in_part": 1}}
    assert stats.domestic_excluded.ids == ["h"]
    charge = next(c for c in stats.charges if c.charge == "УК:286:3")
    assert charge.rulings.count == 2 and charge.convicted.count == 2
    assert charge.label == "ч. 3 ст. 286 УК РФ"
    assert charge.suspended.ids == ["g"] and charge.imprisonment.count == 2
    assert charge.months is not None and charge.months.median == 42


def test_awards_never_mix_currencies_or_courts(index):
    stats = _stats(index, awards=True)
    awards = stats.awards
    assert awards is not None
    assert sorted((p.id, p.amount, p.currency, p.head) for p in awards.points) == [
        ("a-en", 1500.0, "EUR", "costs"), ("a-en", 10000.0, "EUR", "non_pecuniary"),
        ("f", 3000.0, "RUB", "costs"), ("f", 50000.0, "RUB", "non_pecuniary")]
    assert awards.excluded.ids == ["e"]
    assert awards.not_read.ids == ["b"]
    overall = {(d.scope, d.head, d.currency): d.stats.count
               for d in awards.distributions if d.group is None}
    assert overall == {("echr", "non_pecuniary", "EUR"): 1, ("echr", "costs", "EUR"): 1,
                       ("domestic", "non_pecuniary", "RUB"): 1, ("domestic", "costs", "RUB"): 1}
    point = next(p for p in awards.points if p.id == "a-en")
    assert point.citation == "A v. Russia, no. 1/08, 18 March 2010"


def test_conversion_keeps_the_original_and_counts_what_had_no_rate(index):
    def convert(amount, currency, on, to):
        return None if currency == "RUB" else (amount * 2, 2.0, f"test rate, {on}")

    stats = _stats(index, awards=True, currency="usd", convert=convert)
    assert stats.awards is not None
    assert stats.awards.currency == "USD"
    assert (stats.awards.converted, stats.awards.unconverted) == (2, 2)
    euro = next(p for p in stats.awards.points if p.head == "non_pecuniary" and p.scope == "echr")
    assert (euro.amount, euro.currency, euro.converted, euro.converted_currency) == (
        10000.0, "EUR", 20000.0, "USD")


def test_the_real_rates_convert_at_the_date_of_the_ruling(index):
    stats = _stats(index, awards=True, currency="EUR")
    assert stats.awards is not None
    euro = next(p for p in stats.awards.points if p.currency == "EUR")
    assert euro.converted == euro.amount and euro.rate == 1
    rouble = next(p for p in stats.awards.points if p.currency == "RUB")
    # The ECB published rouble rates in February 2020.
    assert rouble.converted is not None and 500 < rouble.converted < 1000
    assert "European Central Bank" in (rouble.rate_source or "") or "ECB" in (rouble.rate_source or "")


@pytest.mark.parametrize("query, filters, expected", [
    ("police article:3", ["state:russia", "outcome:p1-1:violation"], ["3", "p1-1"]),
    ("", ["article:6-1"], ["6-1"]),
    ("-article:6", ["NOT article:8"], []),           # negated: not what is asked about
    ("cites_article:3", [], []),                     # named, not ruled on
    ("", ["charge:УК:286"], []),                     # a charge, not a Convention article
    ("article:3 OR article:2", [], ["3", "2"]),
])
def test_focus_articles(query, filters, expected):
    assert focus_articles(query, filters) == expected


def test_quartiles_of_one_and_many():
    one = quartiles([5.0])
    assert (one.minimum, one.q1, one.median, one.q3, one.maximum) == (5.0,) * 5
    assert quartiles([1, 2, 3, 4, 5]).median == 3


def test_unknown_grouping_is_an_error(index):
    from pipeline.errors import QueryError

    with pytest.raises(QueryError):
        _stats(index, by="judge")


def test_a_catalogue_without_facts_gets_them(tmp_path):
    index = index_of_records(tmp_path, {k: RECORDS[k] for k in ("a-en", "b")})
    conn = sqlite3.connect(index / "catalogue.sqlite")
    conn.execute("DROP TABLE facts")
    conn.commit()
    conn.close()
    # Read-only, the facts come from the records (nothing written)...
    assert _counts(_row(_stats(index).outcomes, "2010")) == {"violation": 1}
    # ... and any writable open stores them.
    Catalogue.open(index).close()
    conn = sqlite3.connect(index / "catalogue.sqlite")
    assert conn.execute("SELECT count(*) FROM facts").fetchone()[0] == 2
    conn.close()


def test_facts_of_a_record_without_structure():
    f = facts_of("x", None, language="en", title="T")
    assert (f.kind, f.holdings, f.awards, f.year) == ("other", [], [], None)


def test_tables_and_their_csv_say_the_same(index):
    stats = _stats(index, awards=True)
    shown = tables(stats)
    for name, table in shown.items():
        rows = list(csv.reader(io.StringIO(to_csv(table))))
        assert rows[0] == table.columns
        assert len(rows) == len(table.rows) + 1, name
    points = list(csv.DictReader(io.StringIO(to_csv(shown["points"]))))
    assert {(r["Amount"], r["Currency"]) for r in points} == {
        ("10000", "EUR"), ("1500", "EUR"), ("50000", "RUB"), ("3000", "RUB")}


@pytest.mark.parametrize("value, written", [
    ("=HYPERLINK(\"x\")", "'=HYPERLINK(\"x\")"), ("+7", "'+7"), ("-1", "'-1"), ("@a", "'@a"),
    ("Иванов", "Иванов"), (6000.0, "6000"), (2286.5, "2286.5"), (None, ""), (3, "3"),
])
def test_csv_cells_cannot_run_as_formulas(value, written):
    from pipeline.stats.tables import Cell, Table

    text = to_csv(Table("t", "T", ["c"], [[Cell(value)]]))
    assert next(csv.reader(io.StringIO(text.splitlines()[1]))) == [written]


def test_cli_stats_json_csv_and_table(index):
    runner = CliRunner()
    result = runner.invoke(cli, ["stats", "--index", str(index), "--filter", "article:3",
                                 "--awards", "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["articles"] == ["3"] and data["copies"]["ids"] == ["a-ru"]
    assert data["awards"]["points"][0]["citation"]
    result = runner.invoke(cli, ["stats", "моральный вред", "--index", str(index), "--awards",
                                 "--csv"])
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert {(r["Amount"], r["Currency"], r["Head"]) for r in rows} == {
        ("50000", "RUB", "non-pecuniary damage"), ("3000", "RUB", "costs and expenses")}
    assert all("Заречный районный суд" in r["Ruling"] for r in rows)
    result = runner.invoke(cli, ["stats", "--index", str(index), "--by", "article"])
    assert result.exit_code == 0, result.output
    assert "Strasbourg rulings by outcome" in result.stdout
    assert "left out, Strasbourg rulings whose outcome was not read: 1" in result.stderr


@pytest.mark.parametrize("args, message", [
    (["--currency", "EUR"], "--currency converts awards"),
    (["--table", "points"], "--table chooses the table --csv prints"),
    (["--csv", "--table", "points"], "the points table needs --awards"),
    (["--csv", "--json"], "choose one"),
    (["--by", "judge"], "Invalid value for '--by'"),
])
def test_cli_stats_refuses_what_does_not_go_together(index, args, message):
    result = CliRunner().invoke(cli, ["stats", "--index", str(index), *args])
    assert result.exit_code == 2
    assert message in result.output


@pytest.mark.parametrize("engine", ["whoosh", "tantivy"])
def test_both_engines_select_the_same_documents(tmp_path, engine):
    index = index_of_records(tmp_path, RECORDS, engine=engine)
    catalogue = Catalogue.open(index, readonly=True)
    try:
        found = open_index(index, catalogue, readonly=True).selected_ids(
            "police", ["state:russia"])
    finally:
        catalogue.close()
    assert found == {"a-en", "b", "c", "c2", "e", "i"}
