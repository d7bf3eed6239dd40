"""The query language: how each construct is rewritten and parsed, and which queries are refused."""

from __future__ import annotations

import pytest

from pipeline.errors import QueryError
from pipeline.search.language.query import (MAX_DEPTH, MAX_TERMS, parse_filters, parse_query,
                                            rewrite_query)
from pipeline.search.language.schema import get_schema

SCHEMA = get_schema()


@pytest.mark.parametrize(
    ("query", "rewritten"),
    [
        ("torture 17280/08", "torture (own_ids:'17280/08' OR ids:'17280/08')"),
        ("1-123/2020", "(own_ids:'1-123/2020' OR ids:'1-123/2020')"),
        ('"no. 17280/08"', '"no. 17280/08"'),
        ("ч. 3 ст. 286 УК РФ", "(charge:'УК:286:3' OR provision:'УК:286:3')"),
        ("пытка п. «а» ч. 3 ст. 286 УК РФ",
         "пытка (charge:'УК:286:3:а' OR provision:'УК:286:3:а')"),
        ("charge:ук:286", "(charge:'УК:286' OR provision:'УК:286')"),
        ("state:Russia", "state:'russia'"),
        ('state:"the Russian Federation"', "state:'russia'"),
        ("state:Türkiye", "state:'turkey'"),
        ("state:FYROM", "state:'north macedonia'"),
        ("article:p1-1", "article:'P1-1'"),
        ("outcome:3:Violation", "outcome:'3:violation'"),
        ("date:2005..2010", "day:[20050101 TO 20101231]"),
        ("date:2005-03-01..2010-12-31", "day:[20050301 TO 20101231]"),
        ("date:2005..", "day:[20050101 TO]"),
        ("date:..2010-02", "day:[TO 20100228]"),
        ("date:2019", "day:[20190101 TO 20191231]"),
        ("year:2015..2019", "year:[2015 TO 2019]"),
        ("kind:RU_SENTENCE", "kind:'ru_sentence'"),
        ('"police beating"~5 article:3', "\"police beating\"~5 article:'3'"),
        ("article:6§1", "article:'6-1'"),
        ("article:ук:286", "article:'УК:286'"),
        ("cites_article:p1", "cites_article:'P1'"),
        # a number's label names it, it is no word to find
        ("no. 17280/08", "(own_ids:'17280/08' OR ids:'17280/08')"),
        ("Application no. 17280/08", "(own_ids:'17280/08' OR ids:'17280/08')"),
        ("Applications nos. 17280/08", "(own_ids:'17280/08' OR ids:'17280/08')"),
        ("requête n° 17280/08", "(own_ids:'17280/08' OR ids:'17280/08')"),
        ("жалоба № 17280/08", "(own_ids:'17280/08' OR ids:'17280/08')"),
        ("torture no. 17280/08", "torture (own_ids:'17280/08' OR ids:'17280/08')"),
        # near-misses: "no" that labels nothing stays a word
        ("no violation 17280/08", "no violation (own_ids:'17280/08' OR ids:'17280/08')"),
        ("torture no", "torture no"),
        ("casino 17280/08", "casino (own_ids:'17280/08' OR ids:'17280/08')"),
        # arbitrazh numbers: one key per case, Latin or Cyrillic, whatever the suffix
        ("А40-5590/23-99-47", "(own_ids:'a40-5590/2023' OR ids:'a40-5590/2023')"),
        ("A40-5590/2023", "(own_ids:'a40-5590/2023' OR ids:'a40-5590/2023')"),
        ("А40-5590/23", "(own_ids:'a40-5590/2023' OR ids:'a40-5590/2023')"),
        ("СИП-694/2021", "(own_ids:'sip-694/2021' OR ids:'sip-694/2021')"),
        ("А40-5590", "(own_ids:a40-5590/* OR ids:a40-5590/*)"),
        ("А40-5590 OR 1-123/2020",
         "(own_ids:a40-5590/* OR ids:a40-5590/*) OR (own_ids:'1-123/2020' OR ids:'1-123/2020')"),
        ("А40-5590/", "А40-5590/"),                    # a number cut short is no identifier
        ("001-145584", "(own_ids:'001-145584' OR ids:'001-145584')"),
        # near-misses: a month, a short item-like number
        ("12-2023", "12-2023"),
        ("001-2023", "001-2023"),
    ],
)
def test_rewrite(query: str, rewritten: str) -> None:
    assert rewrite_query(query)[0] == rewritten


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ('"police beating"~5', "slop=5"),
        ("ill-treatment", "body_en:\"ill treatment\""),
        ("torture OR пытка", "OR"),
        ("torture NOT пытка", "NOT"),
        ("date:2005..2010", "day:[20050101 TO 20101231]"),
        ("state:Russia", "state:russia"),
        ("charge:УК:286:3", "charge:УК:286:3"),
        ("ч. 3 ст. 286 УК РФ", "charge:УК:286:3"),
        ("А40-5590", "Prefix('own_ids', 'a40-5590/')"),
    ],
)
def test_parse(query: str, expected: str) -> None:
    parsed, _ = parse_query(query, SCHEMA)
    shown = repr(parsed) + " " + str(parsed)
    assert expected in shown


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("", "empty query"),
        ("*ытка", "may not start"),
        ("title:?orture", "may not start"),
        ("a*", "at least two letters"),
        ("x" * 2000, "too long"),
        (" OR ".join(f"w{n}" for n in range(MAX_TERMS + 1)), "too many"),
        ("(" * (MAX_DEPTH + 1) + "torture" + ")" * (MAX_DEPTH + 1), "nested"),
        ("the of", "no searchable"),
        ("date:2005-13-01", "no month"),
        ("date:yesterday", "cannot read the date"),
        ("date:..", "at least one end"),
        ("year:recent", "cannot read the year"),
        ("state: Russia", "needs a value right after the colon"),
        ("torture article:", "needs a value"),
    ],
)
def test_refused_with_a_reason(query: str, message: str) -> None:
    with pytest.raises(QueryError, match=message):
        parse_query(query, SCHEMA)


@pytest.mark.parametrize(
    "query",
    ["tortur*", "пытк*", " OR ".join(f"w{n}" for n in range(MAX_TERMS)),
     "(" * MAX_DEPTH + "torture" + ")" * MAX_DEPTH, "77617/01 Mikheyev",
     'state:"the Russian Federation" torture'],
)
def test_accepted_near_the_limits(query: str) -> None:
    parse_query(query, SCHEMA)


def test_empty_query_means_everything_when_allowed() -> None:
    assert type(parse_query("  ", SCHEMA, allow_empty=True)[0]).__name__ == "Every"


@pytest.mark.parametrize(
    ("filters", "expected"),
    [([], None), (["state:russia"], "state:russia"), (["state:russia", "article:3"], "AND")],
)
def test_filters_are_anded(filters: list[str], expected: str | None) -> None:
    parsed = parse_filters(filters, SCHEMA)
    assert (parsed is None) if expected is None else expected in str(parsed)


def test_a_reversed_date_range_means_the_same_years() -> None:
    assert rewrite_query("date:2010..2005")[0] == rewrite_query("date:2005..2010")[0]
