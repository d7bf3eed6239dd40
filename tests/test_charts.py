"""Charts of statistics: what the page receives is safe under its CSP, links where it should,
and draws what it was given (no more, no less)."""

from __future__ import annotations

import re

import pytest
from lxml import etree

from pipeline.stats.charts import (MAX_BARS, Chart, award_chart, log_scale, outcome_chart,
                                   sanitise_svg)
from pipeline.stats.model import ECHR_OUTCOMES, AwardPoint, Figure, OutcomeRow

SVG = "{http://www.w3.org/2000/svg}"
XLINK = "{http://www.w3.org/1999/xlink}href"

OUTCOME_LABELS = {
    "en": {"violation": "Violation", "no_violation": "No violation",
           "inadmissible": "Inadmissible", "other": "Other", "year": "Year", "state": "State",
           "rulings": "Rulings", "omitted": "{shown} of {total} shown"},
    "ru": {"violation": "Нарушение", "no_violation": "Нет нарушения",
           "inadmissible": "Неприемлемо", "other": "Иное", "year": "Год", "state": "Государство",
           "rulings": "Постановления", "omitted": "Показано {shown} из {total}"},
}
AWARD_LABELS = {
    "en": {"non_pecuniary": "Non-pecuniary damage", "pecuniary": "Pecuniary damage",
           "costs": "Costs and expenses", "other": "Other", "date": "Date", "amount": "Amount"},
    "ru": {"non_pecuniary": "Моральный вред", "pecuniary": "Материальный ущерб",
           "costs": "Издержки", "other": "Иное", "date": "Дата", "amount": "Сумма"},
}


def row(value: str, label: str | None = None, **counts: int) -> OutcomeRow:
    outcomes = {o: Figure(f"outcomes/{value}/{o}", [f"{value}-{o}-{i}"
                                                    for i in range(counts.get(o, 0))])
                for o in ECHR_OUTCOMES}
    return OutcomeRow(value=value, label=label or value, filter=None,
                      rulings=Figure(f"outcomes/{value}/all",
                                     [i for f in outcomes.values() for i in f.ids]),
                      outcomes=outcomes)


def point(n: int, amount: float, *, date: str | None = "2010-03-18", currency: str = "EUR",
          head: str = "non_pecuniary", converted: float | None = None,
          converted_currency: str | None = None) -> AwardPoint:
    return AwardPoint(id=f"doc{n}", scope="echr", citation=f"Case {n}", title=None, date=date,
                      court=None, amount=amount, currency=currency, head=head,
                      converted=converted, converted_currency=converted_currency)


def parsed(chart: Chart) -> etree._Element:
    return etree.fromstring(chart.svg_inline.encode("utf-8"))


def links(chart: Chart) -> list[str]:
    return [a.get("href") for a in parsed(chart).iter(f"{SVG}a")]


def marks(chart: Chart) -> int:
    """Every bar segment or point carries a tooltip; the chart's own title is the first."""
    return len(list(parsed(chart).iter(f"{SVG}title"))) - 1


def assert_safe(chart: Chart) -> None:
    root = parsed(chart)
    assert root.tag == f"{SVG}svg"
    assert not chart.svg_inline.startswith("<?xml") and "<!DOCTYPE" not in chart.svg_inline
    for el in root.iter():
        assert "style" not in el.attrib, el.tag
        assert not any(a.lower().startswith("on") for a in el.attrib), el.tag
        assert el.tag not in (f"{SVG}style", f"{SVG}script", f"{SVG}foreignObject",
                              f"{SVG}metadata")
        for name in ("href", XLINK):
            assert not (el.get(name) or "").lower().startswith("javascript:")
    assert root.get("role") == "img" and root.get("width") == "100%"
    assert root.get("viewBox") and root.get("height") is None
    heading = root.find(f"{SVG}title")
    assert heading is not None and root.get("aria-labelledby") == heading.get("id")
    assert chart.png.startswith(b"\x89PNG\r\n\x1a\n")
    assert etree.fromstring(chart.svg).tag == f"{SVG}svg"


# -- outcomes ---------------------------------------------------------------------------------

YEARS = [row("2008", violation=5, no_violation=1), row("2010", violation=3, inadmissible=2),
         row("2011", violation=7, other=1)]


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_outcomes_by_year_link_every_segment(lang: str) -> None:
    chart = outcome_chart(YEARS, by="year", title="Outcomes" if lang == "en" else "Исходы",
                          labels=OUTCOME_LABELS[lang], href=lambda key: f"/stats/list?key={key}")
    assert_safe(chart)
    assert links(chart) == [f"/stats/list?key=outcomes/{v}/{o}" for o, v in [
        ("violation", "2008"), ("violation", "2010"), ("violation", "2011"),
        ("no_violation", "2008"), ("inadmissible", "2010"), ("other", "2011")]]
    texts = "".join(parsed(chart).itertext())
    assert OUTCOME_LABELS[lang]["no_violation"] in texts and OUTCOME_LABELS[lang]["year"] in texts
    assert chart.omitted == 0


@pytest.mark.parametrize("href, expected_links, expected_marks", [
    (lambda key: f"/f/{key}", 6, 6),
    (lambda key: None, 0, 6),                                   # tooltips stay, links go
    (lambda key: f"/f/{key}" if "2011" not in key else None, 4, 6),
])
def test_outcome_links_only_where_href_gives_one(href, expected_links, expected_marks) -> None:
    chart = outcome_chart(YEARS, by="year", title="t", labels=OUTCOME_LABELS["en"], href=href)
    assert len(links(chart)) == expected_links
    assert marks(chart) == expected_marks


@pytest.mark.parametrize("count, omitted", [(3, 0), (MAX_BARS, 0), (MAX_BARS + 1, 1),
                                            (MAX_BARS + 7, 7)])
def test_outcomes_by_state_cut_at_most_bars(count: int, omitted: int) -> None:
    rows = [row(f"S{i}", f"State {i}", violation=1) for i in range(count)]
    chart = outcome_chart(rows, by="state", title="t", labels=OUTCOME_LABELS["ru"],
                          href=lambda key: f"/f/{key}")
    assert_safe(chart)
    assert chart.omitted == omitted
    assert len(links(chart)) == count - omitted
    note = f"Показано {count - omitted} из {count}"
    assert (note in "".join(parsed(chart).itertext())) == bool(omitted)


def test_outcomes_by_year_are_never_cut() -> None:
    rows = [row(str(1990 + i), violation=1) for i in range(MAX_BARS + 5)]
    chart = outcome_chart(rows, by="year", title="t", labels=OUTCOME_LABELS["en"],
                          href=lambda key: key)
    assert chart.omitted == 0 and len(links(chart)) == MAX_BARS + 5


def test_outcome_label_missing_is_refused() -> None:
    labels = {k: v for k, v in OUTCOME_LABELS["en"].items() if k != "inadmissible"}
    with pytest.raises(ValueError, match="inadmissible"):
        outcome_chart(YEARS, by="year", title="t", labels=labels, href=lambda key: None)
    # A column empty in every row is not drawn, so needs no label.
    outcome_chart(YEARS[:1], by="year", title="t", labels=labels, href=lambda key: None)


def test_chart_is_deterministic() -> None:
    def draw() -> Chart:
        return outcome_chart(YEARS, by="year", title="t", labels=OUTCOME_LABELS["en"],
                             href=lambda key: key)
    first, second = draw(), draw()
    assert (first.svg_inline, first.svg, first.png) == (second.svg_inline, second.svg, second.png)


def test_download_svg_has_tooltips_but_no_links() -> None:
    chart = outcome_chart(YEARS, by="year", title="t", labels=OUTCOME_LABELS["en"],
                          href=lambda key: f"/f/{key}")
    root = etree.fromstring(chart.svg)
    assert not list(root.iter(f"{SVG}a"))
    assert len(list(root.iter(f"{SVG}title"))) == 6
    assert b"precedents-link" not in chart.svg and "precedents-link" not in chart.svg_inline


# -- awards -----------------------------------------------------------------------------------

SPREAD = [point(1, 5000), point(2, 150000, date="2012-05-01", head="pecuniary"),
          point(3, 800, date="2015-06-01", head="costs"), point(4, 20000, date="2016-02-02")]


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_award_points_link_and_read(lang: str) -> None:
    chart = award_chart(SPREAD, title="Awards" if lang == "en" else "Суммы",
                        labels=AWARD_LABELS[lang], href=lambda p: f"/doc/{p.id}",
                        locale=lang)
    assert_safe(chart)
    assert sorted(links(chart)) == ["/doc/doc1", "/doc/doc2", "/doc/doc3", "/doc/doc4"]
    texts = "".join(parsed(chart).itertext())
    for head in ("non_pecuniary", "pecuniary", "costs"):
        assert AWARD_LABELS[lang][head] in texts
    assert AWARD_LABELS[lang]["other"] not in texts      # no sum under that head
    assert "EUR 6,000 — 2010-03-18" not in texts
    tip = "EUR 5,000 — 2010-03-18" if lang == "en" else "EUR 5\xa0000 — 2010-03-18"
    assert tip in texts
    assert chart.log and chart.omitted == 0


@pytest.mark.parametrize("amounts, log", [
    ([1000, 100000], False),           # exactly two orders of magnitude
    ([999, 100000], True),
    ([500, 250000], True),
    ([3000, 6000, 9000], False),
    ([42], False),
    ([], False),
    ([0, 50, 4000], False),            # nothing to draw at zero; 50 to 4,000 is linear
])
def test_log_scale_when_more_than_two_orders(amounts: list[float], log: bool) -> None:
    assert log_scale(amounts) is log


def test_award_chart_reports_its_scale() -> None:
    labels = AWARD_LABELS["en"]
    near = award_chart([point(1, 1000), point(2, 100000)], title="t", labels=labels,
                       href=lambda p: None)
    far = award_chart([point(1, 999), point(2, 100000)], title="t", labels=labels,
                      href=lambda p: None)
    assert (near.log, far.log) == (False, True)


@pytest.mark.parametrize("currencies", [["EUR", "RUB"], ["EUR", "EUR", "USD"]])
def test_mixed_currencies_are_refused(currencies: list[str]) -> None:
    points = [point(i, 100, currency=c) for i, c in enumerate(currencies)]
    with pytest.raises(ValueError, match="currenc"):
        award_chart(points, title="t", labels=AWARD_LABELS["en"], href=lambda p: None)


def test_one_currency_is_not_mixed() -> None:
    points = [point(i, 100 * (i + 1), currency="RUB") for i in range(3)]
    chart = award_chart(points, title="t", labels=AWARD_LABELS["en"], href=lambda p: "/x")
    assert len(links(chart)) == 3 and "Amount (RUB)" in "".join(parsed(chart).itertext())


def test_converted_amounts_leave_out_the_unconverted() -> None:
    points = [point(1, 200000, currency="RUB", converted=5000, converted_currency="EUR"),
              point(2, 7000, currency="USD", converted=6000, converted_currency="EUR"),
              point(3, 90000, currency="RUB"),                   # no rate known
              point(4, 3000, currency="EUR", converted=3000, converted_currency="EUR")]
    chart = award_chart(points, title="t", labels=AWARD_LABELS["en"],
                        href=lambda p: f"/doc/{p.id}", currency="EUR")
    assert chart.omitted == 1
    assert sorted(links(chart)) == ["/doc/doc1", "/doc/doc2", "/doc/doc4"]
    texts = "".join(parsed(chart).itertext())
    assert "EUR 5,000 (RUB 200,000)" in texts and "EUR 3,000 — " in texts


def test_conversion_to_another_currency_is_refused() -> None:
    points = [point(1, 100, currency="RUB", converted=2, converted_currency="USD")]
    with pytest.raises(ValueError, match="USD"):
        award_chart(points, title="t", labels=AWARD_LABELS["en"], href=lambda p: None,
                    currency="EUR")


@pytest.mark.parametrize("date, amount, drawn", [
    ("2010-03-18", 100.0, True),
    ("2010", 100.0, False),             # a year alone is no place on a time axis
    ("18.03.2010", 100.0, False),
    (None, 100.0, False),
    ("2010-03-18", 0.0, False),
])
def test_points_without_date_or_amount_are_counted_not_guessed(date, amount, drawn) -> None:
    chart = award_chart([point(1, 500), point(2, amount, date=date)], title="t",
                        labels=AWARD_LABELS["en"], href=lambda p: f"/doc/{p.id}")
    assert chart.omitted == (0 if drawn else 1)
    assert len(links(chart)) == (2 if drawn else 1)


def test_nothing_to_draw_is_an_empty_chart() -> None:
    chart = award_chart([point(1, 100, currency="RUB")], title="t", labels=AWARD_LABELS["en"],
                        href=lambda p: "/x", currency="EUR")
    assert_safe(chart)
    assert chart.omitted == 1 and links(chart) == []


# -- the sanitiser alone ----------------------------------------------------------------------

SNIPPET = """<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" "http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd">
<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink"
     width="200pt" height="100pt" onload="alert(1)">
 <metadata><title>matplotlib</title></metadata>
 <defs><style type="text/css">*{stroke-linejoin: round; stroke-linecap: butt}
   text{fill: red}</style></defs>
 <script>alert(2)</script>
 <foreignObject><div xmlns="http://www.w3.org/1999/xhtml">x</div></foreignObject>
 <!-- a comment -->
 <text x="1" y="2" style="font: italic bold 10px 'DejaVu Sans', sans-serif; text-anchor: middle; cursor: pointer">Год</text>
 <a xlink:href="javascript:alert(3)" target="_blank"><path d="M0 0" style="fill: #1d3557; stroke-width: 0.5"/></a>
 <a xlink:href="/stats?key=a&amp;b=1"><rect width="1" height="1" onclick="x()" fill="url(https://evil.example/x)"/></a>
 <a href=" JaVa&#9;Script:alert(4)"><rect width="1" height="1"/></a>
 <g style="fill: url(#p1); clip-path: url(#c1); behavior: url(x.htc)"/>
 <use xlink:href="https://evil.example/sprite.svg#a"/>
 <clipPath id="c1"><rect width="1" height="1"/></clipPath>
 <set attributeName="href" to="javascript:alert(5)"/>
</svg>"""


def clean(prefix: str = "") -> etree._Element:
    return etree.fromstring(sanitise_svg(SNIPPET, id_prefix=prefix).encode("utf-8"))


def test_sanitiser_turns_styles_into_attributes() -> None:
    root = clean()
    text = root.find(f"{SVG}text")
    assert dict(text.attrib) == {"x": "1", "y": "2", "font-style": "italic",
                                 "font-weight": "bold", "font-size": "10px",
                                 "font-family": "'DejaVu Sans', sans-serif",
                                 "text-anchor": "middle"}           # cursor: no attribute
    path = root.find(f".//{SVG}path")
    assert (path.get("fill"), path.get("stroke-width")) == ("#1d3557", "0.5")
    # The universal rule folds onto the root; a rule for one element type is dropped.
    assert (root.get("stroke-linejoin"), root.get("stroke-linecap")) == ("round", "butt")
    assert root.get("fill") is None and text.get("fill") is None


def test_sanitiser_removes_what_could_run_or_fetch() -> None:
    out = sanitise_svg(SNIPPET)
    root = clean()
    assert not out.startswith("<?xml") and "DOCTYPE" not in out and "comment" not in out
    assert re.search(r"\bon\w+=", out) is None and "alert" not in out
    for tag in ("metadata", "style", "script", "foreignObject", "set"):
        assert root.find(f".//{SVG}{tag}") is None, tag
    hrefs = [(a.get(XLINK), a.get("href")) for a in root.iter(f"{SVG}a")]
    assert hrefs == [(None, None), ("/stats?key=a&b=1", "/stats?key=a&b=1"), (None, None)]
    assert all(a.get("target") is None for a in root.iter(f"{SVG}a"))
    assert root.find(f".//{SVG}rect").get("fill") is None            # remote paint
    g = root.find(f"{SVG}g")
    assert (g.get("fill"), g.get("clip-path"), g.get("behavior")) == ("url(#p1)", "url(#c1)", None)
    assert root.find(f"{SVG}use").get(XLINK) is None                 # remote sprite
    assert (root.get("width"), root.get("height"), root.get("viewBox")) == \
        ("100%", None, "0 0 200 100")


def test_sanitiser_prefixes_ids_and_references() -> None:
    root = clean("chart-1")
    assert root.find(f"{SVG}clipPath").get("id") == "chart-1-c1"
    g = root.find(f"{SVG}g")
    assert g.get("clip-path") == "url(#chart-1-c1)"
    assert g.get("fill") == "url(#p1)"                       # no such id: left as it was


@pytest.mark.parametrize("source", ["<html/>", "<svg/>", "not xml"])
def test_sanitiser_refuses_what_is_not_svg(source: str) -> None:
    with pytest.raises((ValueError, etree.XMLSyntaxError)):
        sanitise_svg(source)
