"""The statistics page in a real browser (Debian's Chromium, Playwright), on real judgments.

The corpus: the English judgments of ``../shared/corpora/bulk`` against Russia whose HUDOC
conclusion finds a violation of Article 3 (chosen by HUDOC's metadata, never by what our code
reads; the bulk holds four, two of them awarding non-pecuniary damage), and the sample corpus's Russian civil decision
on moral damage. A lawyer types ``article:3 state:Russia``, keeps the non-pecuniary sums, and
reads the violations per year and the sums in EUR, as charts and tables, in Russian and in
English: the charts render, every bar and point leads to its documents, and each table's CSV
says what the table says.

With ``PRECEDENTS_SCREENSHOTS=DIR`` it saves ``DIR/stats-ru.png`` and ``DIR/stats-en.png``.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from conftest import ROOT
from test_browser import Console, _serving, browser, chromium_path, screenshot, sync_api  # noqa: F401

#: At most this many judgments (the shortest, so that the fixture stays quick).
JUDGMENTS = 6
CIVIL = "ru_reshenie_kompensaciya_moralnogo_vreda_minfin.docx"


def _choice(folder: Path, count: int = JUDGMENTS) -> list[Path]:
    """English judgments against Russia whose HUDOC conclusion finds a violation of Article 3,
    shortest first."""
    from tools.evaluate.relevance import JUDGMENT_TYPES, conclusion_items

    found = []
    for path in sorted(folder.glob("*.json")):
        record = json.loads(path.read_text(encoding="utf-8"))
        if record.get("doc_type") not in JUDGMENT_TYPES or record.get("language") != "ENG" \
                or record.get("country") != "RUS" or not (record.get("full_text") or "").strip():
            continue
        if any(f.article == "3" and f.outcome == "violation"
               for f in conclusion_items(record.get("conclusion") or "")):
            found.append((len(record["full_text"]), path))
    return [p for _, p in sorted(found)[:count]]


@pytest.fixture(scope="module")
def stats_corpus(shared_corpora: Path, tmp_path_factory) -> tuple[Path, set[str]]:
    """(index, ids of the chosen judgments)."""
    from pipeline.catalogue import Catalogue
    from pipeline.ingest import ingest

    chosen = _choice(shared_corpora / "bulk" / "echr_roma_watch_json")
    assert len(chosen) >= 3, "the bulk corpus holds fewer such judgments than expected"
    index = tmp_path_factory.mktemp("stats-browser") / "index"
    report = ingest([*chosen, ROOT / "corpora" / CIVIL], index, jobs=2)
    assert report.failed == 0
    catalogue = Catalogue.open(index, readonly=True)
    try:
        ids = {d.id for path in chosen for d in catalogue.documents_for_path(str(path.resolve()))}
    finally:
        catalogue.close()
    return index, ids


@pytest.fixture(scope="module")
def stats_server(stats_corpus, tmp_path_factory) -> Iterator[str]:
    yield from _serving(stats_corpus[0], tmp_path_factory)


@pytest.fixture(params=["ru-RU", "en-GB"])
def stats_page(request, browser, stats_server: str):  # noqa: F811
    context = browser.new_context(viewport={"width": 1280, "height": 900}, base_url=stats_server,
                                  locale=request.param, accept_downloads=True)
    context.set_default_timeout(30_000)
    pg = context.new_page()
    pg.console = Console(pg)
    pg.language = request.param[:2]
    yield pg
    context.close()


def _table(page, name: str) -> list[list[str]]:
    """The raw values of a table on the page (its cells' ``data-value``), header first."""
    table = page.locator(f"#table-{name}")
    header = [t.strip() for t in table.locator("thead th").all_inner_texts()]
    rows = table.locator("tbody tr")
    return [header] + [[td.get_attribute("data-value") or "" for td in rows.nth(n).locator("td").all()]
                       for n in range(rows.count())]


def _number(value: str) -> str:
    try:
        return repr(float(value.lstrip("'")))
    except ValueError:
        return value


def test_article_3_against_russia_per_year_and_the_sums_in_euros(stats_page, stats_corpus):
    """GIVEN the judgments finding a violation of Article 3 by Russia
    WHEN the lawyer asks for the statistics of ``article:3 state:Russia``, non-pecuniary sums
    THEN violations per year (one per judgment, as HUDOC concludes) and the sums in EUR show as
    charts with tables; bars and points
    lead to the judgments; the CSV is the table; nothing breaks the page's CSP."""
    page = stats_page
    _, chosen = stats_corpus
    page.goto("/stats")
    page.fill("#q", "article:3 state:Russia")
    page.select_option("#head", "non_pecuniary")
    with page.expect_navigation():
        page.click("form#stats-form button[type=submit]")
    assert page.locator("html").get_attribute("lang") == page.language

    # Violations per year: a chart that renders, and a table whose violations are the six.
    chart = page.locator("#chart-outcomes svg")
    box = chart.bounding_box()
    assert box is not None and box["width"] > 300 and box["height"] > 150
    outcomes = _table(page, "outcomes")
    years = [row[0] for row in outcomes[1:]]
    assert years == sorted(years) and all(re.fullmatch(r"\d{4}", y) for y in years)
    assert sum(int(row[2]) for row in outcomes[1:]) == len(chosen)  # the violation column
    bars = page.locator("#chart-outcomes svg a")
    assert bars.count() >= len(years)

    # The non-pecuniary sums in EUR: a point per sum, each leading to its judgment.
    points = _table(page, "points")
    euro = [row for row in points[1:] if row[5] == "EUR"]
    assert euro and {row[-1] for row in euro} <= chosen
    assert all(float(row[4]) > 0 for row in euro)
    dots = page.locator("#chart-awards-echr-EUR svg a")
    assert dots.count() == len(euro)
    caption = page.locator("#chart-awards-echr-EUR figcaption").inner_text()
    assert "article:3 state:Russia" in caption and re.search(r"\d{4}", caption)

    # The CSV of the sums is the table of the sums.
    with page.expect_download() as download:
        page.locator("#chart-awards-echr-EUR a[href*='/stats/table/points.csv']").click()
    text = Path(download.value.path()).read_text(encoding="utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == points[0]
    assert [[_number(c) for c in r] for r in rows[1:]] == [[_number(c) for c in r] for r in points[1:]]
    page.evaluate("window.scrollTo(0, 0)")
    screenshot(page, f"stats-{page.language}.png")

    # A point leads to its judgment.
    href = dots.first.get_attribute("href")
    with page.expect_navigation():
        dots.first.click()
    assert page.url.endswith(href)
    assert href.removeprefix("/documents/") in chosen

    # A bar leads to the list of the judgments behind it, and they are among the six.
    page.go_back()
    with page.expect_navigation():
        page.locator("#chart-outcomes svg a").first.click()
    assert "/stats/documents" in page.url
    listed = {a.get_attribute("href").removeprefix("/documents/")
              for a in page.locator("#figure-documents a").all()}
    assert listed and listed <= chosen
    assert page.console.csp_violations() == []


def test_domestic_awards_on_moral_damage(stats_page):
    """The Russian civil decision's award for moral damage, apart from Strasbourg's."""
    page = stats_page
    page.goto("/stats?q=моральный+вред")
    points = _table(page, "points")
    roubles = [row for row in points[1:] if row[5] == "RUB"]
    assert roubles and all("суд" in row[1] for row in roubles)
    assert page.locator("#chart-awards-domestic-RUB svg a").count() == len(roubles)
    assert page.console.csp_violations() == []
