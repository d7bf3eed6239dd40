"""The statistics page, its downloads and GET /api/stats, over the hand-written records of
test_stats.py (the browser test drives the same page on real judgments)."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import pytest
from click.testing import CliRunner
from fastapi.testclient import TestClient
from lxml import html

from pipeline.cli import cli
from pipeline.web.app import create_app
from tests.conftest import index_of_records
from tests.test_stats import RECORDS

BASE = "http://127.0.0.1"


@pytest.fixture(scope="module")
def index(tmp_path_factory) -> Path:
    return index_of_records(tmp_path_factory.mktemp("web-stats"), RECORDS)


@pytest.fixture(scope="module")
def client(index) -> TestClient:
    return TestClient(create_app(index), base_url=BASE)


def _page(client, url: str):
    response = client.get(url)
    assert response.status_code == 200, response.text[:500]
    return response, html.fromstring(response.text)


def _table(tree, name: str) -> list[list[str]]:
    """A table of the page as its cells' raw values (``data-value``), header first."""
    table = tree.get_element_by_id(f"table-{name}")
    header = [th.text_content().strip() for th in table.findall(".//thead//th")]
    return [header] + [[td.get("data-value") for td in tr.findall("td")]
                       for tr in table.findall(".//tbody/tr")]


def test_the_page_draws_charts_the_csp_allows(client):
    response, tree = _page(client, "/stats?filter=state:russia")
    csp = response.headers["content-security-policy"]
    assert "style-src 'self'" in csp and "script-src" not in csp.replace("script-src 'none'", "")
    svg = tree.get_element_by_id("chart-outcomes").find(".//svg")
    assert svg is not None
    # No inline style anywhere on the page, no script: the CSP would refuse them.
    assert not tree.xpath("//*[@style]") and not tree.xpath("//style") and not tree.xpath("//script")
    assert tree.get_element_by_id("chart-awards-echr-EUR") is not None
    _, everything = _page(client, "/stats")
    assert everything.get_element_by_id("chart-awards-domestic-RUB") is not None


def test_each_bar_leads_to_the_documents_behind_it(client):
    _, tree = _page(client, "/stats?filter=state:russia")
    links = [a.get("href") for a in tree.get_element_by_id("chart-outcomes").iter("a")
             if "/stats/documents" in (a.get("href") or "")]
    assert links
    figures = {parse_qs(urlparse(h).query)["figure"][0]: h for h in links}
    assert "outcomes/2010/violation" in figures
    _, listing = _page(client, figures["outcomes/2010/violation"])
    hrefs = [a.get("href") for a in listing.get_element_by_id("figure-documents").iter("a")]
    assert hrefs == ["/documents/a-en"]  # the English judgment, not its translation too


def test_each_point_leads_to_its_judgment(client):
    _, tree = _page(client, "/stats?filter=state:russia")
    points = [a.get("href") for a in tree.get_element_by_id("chart-awards-echr-EUR").iter("a")
              if (a.get("href") or "").startswith("/documents/")]
    assert sorted(points) == ["/documents/a-en", "/documents/a-en"]  # two sums, one judgment


@pytest.mark.parametrize("name", ["outcomes", "domestic", "charges", "awards", "points"])
def test_the_csv_is_the_table(client, name):
    url = "/stats?currency=EUR"
    _, tree = _page(client, url)
    shown = _table(tree, name)
    response = client.get(url.replace("/stats?", f"/stats/table/{name}.csv?"))
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/csv")
    assert "attachment" in response.headers["content-disposition"]
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text[1:])))
    assert rows[0] == shown[0]
    assert [[_same(c) for c in r] for r in rows[1:]] == [[_same(c) for c in r] for r in shown[1:]]


def _same(value: str | None) -> str:
    """A CSV cell and the page's raw value compare as numbers where they are numbers."""
    value = (value or "").lstrip("'")
    try:
        return repr(float(value))
    except ValueError:
        return value


@pytest.mark.parametrize("name, fmt, media, magic", [
    ("outcomes", "svg", "image/svg+xml", b"<?xml"),
    ("outcomes", "png", "image/png", b"\x89PNG"),
    ("awards-domestic-RUB", "png", "image/png", b"\x89PNG"),
])
def test_charts_download(client, name, fmt, media, magic):
    response = client.get(f"/stats/chart/{name}.{fmt}")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith(media)
    assert response.content.startswith(magic)
    assert f'filename="{name}.{fmt}"' in response.headers["content-disposition"]


@pytest.mark.parametrize("url", ["/stats/chart/nothing.png", "/stats/chart/outcomes.pdf",
                                 "/stats/table/nothing.csv", "/stats/documents?figure=x/y/z"])
def test_unknown_downloads_are_not_found(client, url):
    assert client.get(url).status_code == 404


def test_the_page_in_russian(client):
    _, tree = _page(client, "/stats?lang=ru&by=state")
    text = tree.text_content()
    assert "Акты Европейского суда по исходу" in text
    assert "Россия" in text  # the state by its Russian (CLDR) name
    assert "Присуждённые суммы" in text


def test_the_page_reads_its_parameters_leniently(client):
    _, tree = _page(client, "/stats?by=judge&currency=euros&head=pain")
    assert tree.get_element_by_id("by").value == "year"
    assert tree.get_element_by_id("currency").value == ""


def test_a_bad_query_is_a_page_with_the_reason(client):
    response = client.get("/stats?q=%22unclosed")
    assert response.status_code in (200, 400)
    assert "<html" in response.text


def test_api_is_the_cli_json(client, index):
    response = client.get("/api/stats", params={"filter": "article:3", "awards": "1",
                                                "by": "article"})
    assert response.status_code == 200
    result = CliRunner().invoke(cli, ["stats", "--index", str(index), "--filter", "article:3",
                                      "--awards", "--by", "article", "--json"])
    assert response.json() == json.loads(result.stdout)


@pytest.mark.parametrize("params", [{"by": "judge"}, {"currency": "EURO", "awards": "1"},
                                    {"head": "pain", "awards": "1"}])
def test_api_refuses_bad_parameters(client, params):
    response = client.get("/api/stats", params=params)
    assert response.status_code == 400
    assert "error" in response.json()


def test_api_is_described(client):
    schema = client.get("/openapi.json").json()
    operation = schema["paths"]["/api/stats"]["get"]
    assert {p["name"] for p in operation["parameters"]} >= {"q", "filter", "by", "awards",
                                                           "currency", "head"}
    assert "Statistics" in schema["components"]["schemas"]


def test_too_many_statistics_at_once_is_busy(client, monkeypatch):
    import threading

    from pipeline.web import stats as web_stats

    taken = threading.BoundedSemaphore(1)
    taken.acquire()
    monkeypatch.setattr(web_stats, "_computing", taken)
    monkeypatch.setattr(web_stats, "WAIT", 0.01)
    response = client.get("/api/stats", params={"q": "busy"})
    assert response.status_code == 503
    assert response.headers["retry-after"] == "5"
    page = client.get("/stats?q=busy&lang=ru")
    assert page.status_code == 503 and "занят" in page.text


@pytest.mark.parametrize("by, vertical", [("kind", False), ("year", True)])
def test_russian_rulings_have_their_chart(client, by, vertical):
    _, tree = _page(client, f"/stats?by={by}&lang=ru")
    figure = tree.get_element_by_id("chart-domestic")
    links = [a.get("href") for a in figure.iter("a") if "/stats/documents" in (a.get("href") or "")]
    figures = {parse_qs(urlparse(h).query)["figure"][0] for h in links}
    expected = ({"domestic/ru_sentence/first/convicted", "domestic/ru_decision/first/claim_granted_in_part"}
                if not vertical else {"domestic/2019/convicted", "domestic/2020/claim_granted_in_part"})
    assert figures == expected
    assert "обвинительный приговор" in figure.text_content()
    response = client.get(f"/stats/chart/domestic.png?by={by}")
    assert response.status_code == 200 and response.content.startswith(b"\x89PNG")


@pytest.mark.parametrize("by, figure, heading", [
    ("year", "outcomes/2010/violation", "2010: нарушение"),
    ("kind", "domestic/ru_sentence/first/convicted", "обвинительный приговор"),
    ("kind", "charges/УК:286:3/imprisonment", "ч. 3 ст. 286 УК РФ: Реальное лишение свободы"),
    ("year", "outcomes/excluded", "Акты Европейского суда, исход которых не прочитан"),
    ("year", "copies", "Копии другого акта, учтённые один раз"),
])
def test_the_documents_behind_a_figure_say_what_it_counts(client, by, figure, heading):
    _, tree = _page(client, f"/stats/documents?lang=ru&by={by}&figure={figure}")
    assert heading in tree.find(".//h1").text_content()
    assert tree.get_element_by_id("figure-documents").findall(".//a")
