"""The local web page and JSON API (pipeline/web), through FastAPI's TestClient and, for the
concurrency test, a real uvicorn server beside a real ingest.

The module index holds the sample corpus plus one hostile ruling whose text carries markup: every
page that shows it must show it as text. Documents are hostile input; the server is read-only.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import socket
import subprocess
import sys
import time
from dataclasses import asdict
from pathlib import Path
from urllib.parse import urlencode

import httpx
import pytest
from bs4 import BeautifulSoup
from click.testing import CliRunner
from fastapi.testclient import TestClient
from conftest import index_of_records, index_with_engine

from pipeline.catalogue import Catalogue, Document, Source
from pipeline.cli import cli
from pipeline.ingest import ingest
from pipeline.web import create_app
from pipeline.present.labels import holding_label
from pipeline.web.app import document_facts, metadata_rows
from pipeline.web.render import entity_counts, marked, render_text
from pipeline.web.security import SECURITY_HEADERS

ROOT = Path(__file__).resolve().parent.parent
BASE = "http://127.0.0.1:8080"
ZARECHNEV = "echr-en-chamber-zarechnev-v-russia-41234-15"

SCRIPT = "<script>alert(1)</script>"
IMG = '"><img src=x onerror=alert(1)>'
HOSTILE_TEXT = f"""CASE OF QUIXBLORT v. RUSSIA

(Application no. 99001/19)

JUDGMENT

STRASBOURG

5 May 2020

PROCEDURE

1. The applicant, Mr Quixblort, alleged torture in police custody. He wrote {SCRIPT} on the
wall of the cell, and the investigator recorded {IMG} in the file.

2. The Government contested quixblort's account; see Zarechnev v. Russia, no. 41234/15.
"""


# -- fixtures ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def ingested(tmp_path_factory) -> Path:
    """The sample corpus and one hostile ruling, ingested once for the module (~25 s)."""
    tmp = tmp_path_factory.mktemp("web")
    hostile = tmp / "hostile"
    hostile.mkdir()
    (hostile / "hostile_quixblort.txt").write_text(HOSTILE_TEXT, encoding="utf-8")
    report = ingest([ROOT / "corpora", hostile], tmp / "index", jobs=2)
    assert report.failed == 0
    return tmp / "index"


@pytest.fixture(scope="module")
def index_dir(ingested: Path, engine_name: str, tmp_path_factory) -> Path:
    """That index with each search engine in turn: the page and API behave the same on both."""
    return index_with_engine(ingested, engine_name, tmp_path_factory.mktemp(engine_name))


@pytest.fixture(scope="module")
def client(index_dir) -> TestClient:
    return TestClient(create_app(index_dir), base_url=BASE)


@pytest.fixture(scope="module")
def hostile_id(client) -> str:
    hits = client.get("/api/search", params={"q": "quixblort"}).json()["hits"]
    assert hits, "the hostile ruling is not in the index"
    return hits[0]["id"]


def soup(response) -> BeautifulSoup:
    return BeautifulSoup(response.text, "html.parser")


def total_of(page: BeautifulSoup) -> int:
    return int(page.select_one("#total").get_text().split()[0])


# -- search page ---------------------------------------------------------------------------


@pytest.mark.parametrize("query", ["пытка", "torture", "41234/15"])
def test_search_page_shows_hits_snippets_and_facets(client, query):
    response = client.get("/search", params={"q": query})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html; charset=utf-8")
    page = soup(response)
    api = client.get("/api/search", params={"q": query}).json()
    assert page.select_one("html")["lang"] == "en"
    assert page.select_one("form#search input#q[name=q]")["value"] == query
    assert page.select_one("form#search select#sort[name=sort]")
    assert page.select_one("form#search button[type=submit]")
    assert total_of(page) == api["total"] > 0
    hits = page.select("ol#results > li.hit")
    assert len(hits) == len(api["hits"])
    # Snippets (and so paragraph and pinpoint) are compared in structure only: the engine
    # picks among equally good passages.
    for li, hit in zip(hits, api["hits"]):
        link = li.select_one("a.hit-title")
        # the link carries the query, whose words the document's page marks
        asked = re.escape(urlencode({"q": query}))
        assert re.fullmatch(rf"/documents/{re.escape(hit['id'])}"
                            rf"(\?para=([\w.-]+)&{asked}#p-\2|\?{asked})", link["href"])
        assert link.get_text() == (hit["title"] or hit["id"])
        assert li.select_one(".hit-meta").get_text(strip=True)
        assert li.select_one(".snippet")
        if li.select_one(".pinpoint"):
            assert li.select_one(".pinpoint").get_text().strip()
    marks = [m.get_text() for m in page.select(".snippet mark")]
    assert marks, "no highlighted match in any snippet"
    fields = {s["data-field"] for s in page.select("nav#facets section.facet")}
    assert fields == {f for f, values in api["facets"].items() if values}
    for value in page.select("nav#facets a.facet-value"):
        assert value.select_one("span.count").get_text().isdigit()


@pytest.mark.parametrize("query, stem", [("torture", "tortur"), ("пытка", "пыт")])
def test_snippets_mark_the_matched_words(client, query, stem):
    snippets = soup(client.get("/search", params={"q": query})).select("li.hit .snippet")
    marks = [m.get_text().lower() for s in snippets for m in s.select("mark")]
    assert marks and all(stem in m for m in marks), marks


def test_facet_link_narrows_and_remove_link_restores(client):
    page = soup(client.get("/search", params={"q": ""}))
    everything = total_of(page)
    narrower = [a for a in page.select("nav#facets a.facet-value")
                if int(a.select_one("span.count").get_text()) < everything]
    assert narrower, "no facet value narrows the full list"
    link = narrower[0]
    count = int(link.select_one("span.count").get_text())
    narrowed = soup(client.get(link["href"]))
    assert total_of(narrowed) == count
    assert len(narrowed.select("ol#results > li.hit")) == min(count, 10)
    remove = narrowed.select("#filters a.remove-filter")
    assert len(remove) == 1
    assert total_of(soup(client.get(remove[0]["href"]))) == everything


def test_pager_links_walk_the_pages(client):
    first = soup(client.get("/search", params={"q": "", "limit": 5}))
    assert first.select_one("nav.pager a[rel=prev]") is None
    second = soup(client.get(first.select_one("nav.pager a[rel=next]")["href"]))
    assert second.select_one("ol#results")["start"] == "6"
    assert second.select_one("nav.pager a[rel=prev]")
    ids = {a["href"] for a in first.select("a.hit-title")}
    assert ids.isdisjoint(a["href"] for a in second.select("a.hit-title"))


@pytest.mark.parametrize("sort", ["newest", "oldest"])
def test_sort_is_kept_and_applied(client, sort):
    page = soup(client.get("/search", params={"q": "", "sort": sort}))
    assert page.select_one(f"select#sort option[value={sort}]").has_attr("selected")
    api = client.get("/api/search", params={"q": "", "sort": sort}).json()
    assert [a["href"].split("#")[0] for a in page.select("a.hit-title")] == \
        [f"/documents/{h['id']}" for h in api["hits"]]


@pytest.mark.parametrize("query", ["*torture", "date:2005-13", "((((((((torture))))))))",
                                   " OR ".join(f"name{i}" for i in range(200)), "?x", "t*"])
def test_bad_query_is_explained_and_kept(client, query):
    response = client.get("/search", params={"q": query})
    assert response.status_code == 400
    page = soup(response)
    assert page.select_one(".error").get_text(strip=True)
    assert page.select_one("input#q")["value"] == query
    api = client.get("/api/search", params={"q": query})
    assert api.status_code == 400
    assert set(api.json()) == {"error"} and api.json()["error"]


@pytest.mark.parametrize("params", [{"page": "x"}, {"page": "0"}, {"limit": "-3"},
                                    {"sort": "bogus"}])
def test_search_page_forgives_edited_urls(client, params):
    assert client.get("/search", params={"q": "torture", **params}).status_code == 200


@pytest.mark.parametrize("params", [{"page": "x"}, {"page": "0"}, {"limit": "1000"},
                                    {"sort": "bogus"}])
def test_api_rejects_bad_parameters_as_json(client, params):
    response = client.get("/api/search", params={"q": "torture", **params})
    assert response.status_code == 400
    assert "error" in response.json()


# -- document page -------------------------------------------------------------------------


def test_document_page_shows_record_text_and_links(client):
    record = client.get(f"/api/documents/{ZARECHNEV}").json()
    response = client.get(f"/documents/{ZARECHNEV}")
    assert response.status_code == 200
    page = soup(response)
    assert page.select_one("h1#title").get_text() == record["title"]
    terms = [dt.get_text() for dt in page.select("dl#metadata dt")]
    assert {"Kind", "Court", "Date", "Case numbers", "Respondent states", "Judges",
            "Holdings", "Awards", "Language", "Source"} <= set(terms)
    assert record["source"]["path"] not in response.text
    assert page.select_one("#document-citation").get_text().strip()
    anchors = [a["href"] for a in page.select("nav#sections a")]
    assert len(anchors) == len(record["sections"])
    for href in anchors:
        assert page.select_one(href), f"section link {href} leads nowhere"
    paras = page.select('#text p.para[id^="p-"]')
    assert [p["id"] for p in paras] == [f"p-{p['number']}" for p in record["paragraphs"]]
    assert page.select_one("#text").get_text() .count("\n") > 0
    labels = {s["data-label"] for s in page.select("#text span.ent[data-label]")}
    assert {"DATE", "APPLICATION_NO"} <= labels
    citations = page.select("#text a.citation, #text span.citation")
    assert len(citations) == len(record["citations"])
    for section in ("#cites", "#cited-by", "#similar"):
        assert page.select_one(section)
    cites = client.get(f"/api/documents/{ZARECHNEV}/cites").json()["cites"]
    assert len(page.select("#cites li")) == len(cites)



def test_document_page_puts_facts_compactly_and_long_parts_in_closed_details(client):
    """GIVEN a judgment with seven judges and six operative points WHEN its page is shown THEN
    the judges and the full operative provisions are folded in closed <details>, and the
    holdings read as words, the two Article 3 violations told apart by their limb."""
    page = soup(client.get(f"/documents/{ZARECHNEV}"))
    facts = {dt.get_text(): dt.find_next_sibling("dd") for dt in page.select("dl#metadata dt")}
    judges = facts["Judges"].select_one("details")
    assert judges is not None and not judges.has_attr("open")
    assert judges.select_one("summary").get_text() == "7 judges"
    assert len(judges.select("li")) == 7
    holdings = [li.get_text() for li in facts["Holdings"].select(":scope > ul > li")]
    assert holdings == ["Article 3: violation (substantive limb)",
                        "Article 3: violation (procedural limb)",
                        "Article 13: not necessary to examine"]
    assert all(li.get("title") for li in facts["Holdings"].select(":scope > ul > li"))
    full = facts["Holdings"].select_one("details")
    assert full is not None and not full.has_attr("open")
    assert "Declares, unanimously" in full.get_text()
    text = page.get_text()
    assert "not_necessary_to_examine" not in text and "other:" not in text
    # the text comes right after the facts, not below a heading of its own
    assert page.select_one("#text").find_previous("h1").get("id") == "title"


def test_holdings_of_a_french_judgment_name_the_limb(client):
    hits = client.get("/api/search", params={"q": "Travnikova"}).json()["hits"]
    doc = next(h["id"] for h in hits if h["language"] == "fr")
    page = soup(client.get(f"/documents/{doc}"))
    dd = next(dt for dt in page.select("dl#metadata dt")
              if dt.get_text() == "Holdings").find_next_sibling("dd")
    assert [li.get_text() for li in dd.select(":scope > ul > li")] == [
        "Article 3: violation (substantive limb)", "Article 3: violation (procedural limb)"]


def test_entity_legend_counts_and_toggle(client):
    """GIVEN a document page WHEN shown THEN a legend names the entity types drawn with their
    counts and links to ?entities=off, which draws the same text without entity spans and
    links back."""
    page = soup(client.get(f"/documents/{ZARECHNEV}"))
    legend = page.select_one("#entity-legend")
    drawn: dict[str, int] = {}
    for span in page.select("#text span.ent[data-label]"):
        drawn[span["data-label"]] = drawn.get(span["data-label"], 0) + 1
    items = legend.select(".legend-item")
    assert len(items) == len(drawn) > 0
    for item in items:
        label = next(c[4:] for c in item["class"] if c.startswith("ent-"))
        assert int(item.select_one(".count").get_text()) >= drawn[label]
    toggle = legend.select_one("a.entities-toggle")
    assert toggle.get_text() == "hide entities"
    assert toggle["href"] == f"/documents/{ZARECHNEV}?entities=off"
    off = soup(client.get(toggle["href"]))
    assert not off.select("#text span.ent")
    assert off.select_one("#entity-legend a.entities-toggle")["href"] == f"/documents/{ZARECHNEV}"
    assert off.select_one("#entity-legend a.entities-toggle").get_text() == "show entities"
    assert "".join(off.select_one("#text").get_text().split()) == \
        "".join(page.select_one("#text").get_text().split())
    assert len(off.select("#text p.para")) == len(page.select("#text p.para"))
    # generic words and headings are not drawn as entities
    marked = {s.get_text() for s in page.select("#text span.ent[data-label=ORG]")}
    assert not marked & {"FACTS", "Court", "Government", "COURT"}


def test_paragraph_numbers_are_not_repeated(client):
    page = soup(client.get(f"/documents/{ZARECHNEV}"))
    for para in page.select('#text p.para[id^="p-"]'):
        link = para.select_one("a.para-number")
        number = para["id"][2:]
        assert link["href"] == f"#{para['id']}" and link["title"] == f"Link to § {number}"
        if para.get_text()[len(link.get_text()):].startswith(f"{number}."):
            assert link.get_text() == "¶"


def test_kinds_have_one_name_in_hits_and_facets(client):
    """The hit meta and the Kind facet call a kind by the same name."""
    page = soup(client.get("/search", params={"q": "пытка"}))
    facet = {a.contents[0].strip() for a in
             page.select('nav#facets section.facet[data-field="kind"] a.facet-value')}
    assert facet
    metas = " · ".join(m.get_text() for m in page.select("ol#results .hit-meta"))
    assert "Russian court document" not in metas
    for name in facet:
        assert name in metas, (name, metas)


def test_document_text_is_complete(client):
    """Nothing of the text is lost or doubled by the paragraph/entity markup."""
    record = client.get(f"/api/documents/{ZARECHNEV}").json()
    text = soup(client.get(f"/documents/{ZARECHNEV}")).select_one("#text")
    for number in text.select("a.para-number, h3.section-start"):
        number.decompose()
    assert "".join(text.get_text().split()) == "".join(record["text"].split())


def test_resolved_citations_link_documents(client, index_dir):
    linked = []
    for hit in client.get("/api/search", params={"q": "", "limit": 100}).json()["hits"]:
        cites = client.get(f"/api/documents/{hit['id']}/cites").json()["cites"]
        if any(c["target"] for c in cites):
            linked.append(hit["id"])
    if not linked:
        pytest.skip("no citation in the sample corpus resolves to another sample document")
    page = soup(client.get(f"/documents/{linked[0]}"))
    for a in page.select("#text a.citation"):
        assert client.get(a["href"]).status_code == 200


@pytest.mark.parametrize("path", ["/documents/..%2F..%2Fetc%2Fpasswd", "/documents/%2Fetc%2Fpasswd",
                                  "/documents/../../etc/passwd", "/documents/no-such-document",
                                  "/documents/corpora%2FREADME.md", "/static/..%2Fapp.py",
                                  "/no/such/page"])
def test_unknown_documents_and_traversal_are_not_found(client, path):
    response = client.get(path)
    assert response.status_code == 404
    assert "root:" not in response.text and "import" not in response.text
    assert soup(response).select_one("h1").get_text() == "Not found"


@pytest.mark.parametrize("path", ["/api/documents/..%2F..%2Fetc%2Fpasswd",
                                  "/api/documents/no-such-document",
                                  "/api/documents/no-such-document/similar",
                                  "/api/documents/no-such-document/cites",
                                  "/api/documents/no-such-document/cited-by"])
def test_api_unknown_documents_are_json_404(client, path):
    response = client.get(path)
    assert response.status_code == 404
    assert set(response.json()) == {"error"}


# -- hostile documents ---------------------------------------------------------------------


def test_hostile_text_is_escaped_in_snippets(client):
    # the words around the markup, so the snippet is the passage holding it
    response = client.get("/search", params={"q": "wall cell investigator recorded"})
    assert response.status_code == 200
    assert SCRIPT not in response.text and "<img" not in response.text
    snippets = " ".join(s.get_text() for s in soup(response).select(".snippet"))
    assert "<script>" in snippets or "<img" in snippets


def test_hostile_text_is_escaped_on_the_document_page(client, hostile_id):
    response = client.get(f"/documents/{hostile_id}")
    assert response.status_code == 200
    assert SCRIPT not in response.text and "<img" not in response.text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in response.text
    page = soup(response)
    assert not page.select("script, img, #text [onerror]")
    assert SCRIPT in page.select_one("#text").get_text()
    assert IMG in page.select_one("#text").get_text()


def test_hostile_text_is_plain_data_in_the_api(client, hostile_id):
    response = client.get(f"/api/documents/{hostile_id}")
    assert response.headers["content-type"] == "application/json"
    assert SCRIPT in response.json()["text"]


# -- security ------------------------------------------------------------------------------


@pytest.mark.parametrize("host, status", [
    ("evil.example", 400),
    ("evil.example:8080", 400),
    ("127.0.0.1.evil.example", 400),
    ("localhost.evil.example:8080", 400),
    ("", 400),
    ("127.0.0.1:8080", 200),
    ("127.0.0.1", 200),
    ("localhost", 200),
    ("LOCALHOST:8080", 200),
    ("[::1]:8080", 200),
])
def test_host_header_is_checked(client, host, status):
    for path in ("/", "/api/search?q=torture"):
        response = client.get(path, headers={"host": host})
        assert response.status_code == status, (path, host)
        assert response.headers["content-security-policy"] == SECURITY_HEADERS[
            "content-security-policy"]


def test_allowed_hosts_can_be_given(index_dir):
    app = TestClient(create_app(index_dir, allowed_hosts=["precedents.lan"]), base_url=BASE)
    assert app.get("/", headers={"host": "precedents.lan:8080"}).status_code == 200
    assert app.get("/", headers={"host": "localhost"}).status_code == 400


@pytest.mark.parametrize("path, status", [
    ("/", 200), ("/search?q=torture", 200), ("/search?q=*x", 400),
    (f"/documents/{ZARECHNEV}", 200), ("/documents/nope", 404), ("/api", 200),
    ("/api/search?q=torture", 200), ("/api/search?q=*x", 400), ("/api/documents/nope", 404),
    ("/openapi.json", 200), ("/static/style.css", 200), ("/docs", 404), ("/redoc", 404),
])
def test_security_headers_on_every_response(client, path, status):
    response = client.get(path)
    assert response.status_code == status
    for name, value in SECURITY_HEADERS.items():
        assert response.headers[name] == value, (path, name)
    assert "script-src" not in response.headers["content-security-policy"]


@pytest.mark.parametrize("method", ["POST", "PUT", "PATCH", "DELETE", "OPTIONS"])
@pytest.mark.parametrize("path", ["/", "/search", "/api/search", f"/api/documents/{ZARECHNEV}"])
def test_server_is_read_only(client, method, path):
    response = client.request(method, path)
    assert response.status_code == 405
    assert response.headers["allow"] == "GET, HEAD"
    assert response.headers["x-frame-options"] == "DENY"


def test_crash_answers_500_with_headers(index_dir, monkeypatch):
    import pipeline.web.app as web

    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(web, "_open_index", broken)
    app = TestClient(create_app(index_dir), base_url=BASE, raise_server_exceptions=False)
    response = app.get("/api/search", params={"q": "torture"})
    assert response.status_code == 500
    assert "boom" not in response.text
    assert response.headers["content-security-policy"] == SECURITY_HEADERS[
        "content-security-policy"]


def test_head_is_answered(client):
    assert client.head("/search?q=torture").status_code == 200


def test_pages_ship_no_script(client):
    for path in ("/", "/search?q=torture", f"/documents/{ZARECHNEV}", "/api", "/nope"):
        assert not soup(client.get(path)).select("script"), path


def test_serving_does_not_write_the_catalogue(client, index_dir):
    catalogue = index_dir / "catalogue.sqlite"
    before = catalogue.read_bytes()
    for path in ("/", "/search?q=пытка", f"/documents/{ZARECHNEV}", "/api/search?q=torture"):
        client.get(path)
    assert catalogue.read_bytes() == before


# -- JSON API ------------------------------------------------------------------------------


def test_openapi_lists_the_api(client):
    spec = client.get("/openapi.json").json()
    assert set(spec["paths"]) == {
        "/api/search", "/api/similar", "/api/csrf", "/api/documents/{doc_id}",
        "/api/documents/{doc_id}/similar", "/api/documents/{doc_id}/cites",
        "/api/documents/{doc_id}/cited-by", "/api/upload", "/api/check", "/api/stats"}
    for path, item in spec["paths"].items():
        assert set(item) == ({"post"} if path in ("/api/similar", "/api/upload", "/api/check")
                             else {"get"}), path
        method = next(iter(item.values()))
        assert method["summary"] and method["description"], path
    params = {p["name"] for p in spec["paths"]["/api/search"]["get"]["parameters"]}
    assert params == {"q", "page", "limit", "filter", "sort", "expand", "mode"}
    api_page = soup(client.get("/api"))
    assert api_page.select_one('a[href="/openapi.json"]')
    assert len(api_page.select("table#endpoints tbody tr")) == 10


@pytest.mark.parametrize("query", ["пытка", "torture", "41234/15", '"police custody"'])
def test_api_search_equals_cli_search(client, index_dir, query):
    result = CliRunner().invoke(cli, ["search", query, "--index", str(index_dir), "--json"])
    assert result.exit_code == 0, result.output
    from_cli = json.loads(result.stdout)
    api = client.get("/api/search", params={"q": query}).json()
    assert {k: v for k, v in api.items() if k != "facets"} == \
        {k: v for k, v in from_cli.items() if k != "facets"}
    assert api["facets"], "the API fills the facets"


def test_api_document_equals_cli_show(client, index_dir, hostile_id):
    for doc_id in (ZARECHNEV, hostile_id):
        result = CliRunner().invoke(cli, ["show", doc_id, "--index", str(index_dir), "--json"])
        assert result.exit_code == 0, result.output
        assert client.get(f"/api/documents/{doc_id}").json() == json.loads(result.stdout)


def test_api_similar_cites_and_cited_by(client):
    similar = client.get(f"/api/documents/{ZARECHNEV}/similar").json()
    assert ZARECHNEV not in [h["id"] for h in similar["hits"]]
    cites = client.get(f"/api/documents/{ZARECHNEV}/cites").json()
    assert cites["id"] == ZARECHNEV and cites["cites"]
    assert {"text", "case_name", "case_numbers", "paragraph", "target"} <= set(cites["cites"][0])
    cited_by = client.get(f"/api/documents/{ZARECHNEV}/cited-by").json()
    assert cited_by["id"] == ZARECHNEV and isinstance(cited_by["cited_by"], list)


def test_missing_index_is_503(tmp_path):
    app = TestClient(create_app(tmp_path / "nothing"), base_url=BASE)
    api = app.get("/api/search", params={"q": "torture"})
    assert api.status_code == 503 and "error" in api.json()
    page = app.get("/search", params={"q": "torture"})
    assert page.status_code == 503 and soup(page).select_one(".error")
    assert page.headers["x-content-type-options"] == "nosniff"


def test_document_page_survives_a_missing_search_index(index_dir, tmp_path):
    """GIVEN a catalogue whose search index is gone (being rebuilt) THEN documents still show,
    with a notice, and only the index-backed parts answer 503."""
    only_catalogue = tmp_path / "index"
    only_catalogue.mkdir()
    shutil.copy(index_dir / "catalogue.sqlite", only_catalogue)
    app = TestClient(create_app(only_catalogue), base_url=BASE)
    page = app.get(f"/documents/{ZARECHNEV}")
    assert page.status_code == 200
    assert soup(page).select_one(".notice") and soup(page).select('#text p.para')
    assert app.get(f"/api/documents/{ZARECHNEV}").status_code == 200
    assert app.get(f"/api/documents/{ZARECHNEV}/similar").status_code == 503


# -- rendering (no index) ------------------------------------------------------------------


@pytest.mark.parametrize("text, marks, expected", [
    ("a <b> c", [(2, 5)], "a <mark>&lt;b&gt;</mark> c"),
    ("пытки и пытка", [(0, 5), (8, 13)], "<mark>пытки</mark> и <mark>пытка</mark>"),
    ("abc", [(1, 2), (1, 3)], "a<mark>b</mark>c"),           # overlapping marks: first wins
    ("abc", [(2, 9)], "ab<mark>c</mark>"),                     # clipped to the text
    ('x"><img>', [], "x&#34;&gt;&lt;img&gt;"),
])
def test_marked(text, marks, expected):
    assert str(marked(text, marks)) == expected


def _record(text, paragraphs=(), entities=(), citations=(), sections=()):
    return {"text": text, "paragraphs": list(paragraphs), "entities": list(entities),
            "citations": list(citations), "sections": list(sections)}


@pytest.mark.parametrize("record, targets, expected", [
    # text between and after paragraphs is kept as plain blocks, without edge line breaks
    (_record("head\n1. one\n \n2. two\n\ntail", [{"number": "1", "start": 5, "end": 11},
                                                  {"number": "2", "start": 14, "end": 20}]), {},
     '<div class="plain">head</div>\n'
     '<p class="para" id="p-1"><a class="para-number" href="#p-1" title="Link to § 1" '
     'aria-label="Link to § 1">¶</a>1. one</p>\n'
     '<p class="para" id="p-2"><a class="para-number" href="#p-2" title="Link to § 2" '
     'aria-label="Link to § 2">¶</a>2. two</p>\n'
     '<div class="plain">tail</div>'),
    # an entity running over a paragraph's end is clipped and continued in the next block
    (_record("ab cd", [{"number": "1", "start": 0, "end": 2}],
             [{"label": "ORG", "start": 1, "end": 4}]), {},
     '<p class="para" id="p-1"><a class="para-number" href="#p-1" title="Link to § 1" '
     'aria-label="Link to § 1">§ 1</a>'
     'a<span class="ent ent-ORG" data-label="ORG" title="Organisation">b</span></p>\n'
     '<div class="plain"><span class="ent ent-ORG" data-label="ORG" title="Organisation">c</span>d</div>'),
    # overlapping entities: the earlier wins, the later keeps only what is left
    (_record("abcdef", entities=[{"label": "A", "start": 0, "end": 3},
                                 {"label": "B", "start": 2, "end": 5}]), {},
     '<div class="plain"><span class="ent ent-A" data-label="A" title="A">abc</span>'
     '<span class="ent ent-B" data-label="B" title="B">de</span>f</div>'),
    # an entity crossing a citation's edge is split, the citation stays whole and linked
    (_record("see X v. Y now", entities=[{"label": "PER", "start": 2, "end": 5}],
             citations=[{"start": 4, "end": 10}]), {4: "x-v-y"},
     '<div class="plain">se<span class="ent ent-PER" data-label="PER" title="Person">e </span>'
     '<a class="citation" href="/documents/x-v-y"><span class="ent ent-PER" data-label="PER" '
     'title="Person">X</span> v. Y</a> now</div>'),
    # hostile labels, ids and paragraph numbers are escaped; offsets past the end are clipped
    (_record("<i>", [{"number": '1"><b', "start": 0, "end": 99}],
             [{"label": 'X" onmouseover="a', "start": 0, "end": 3}]), {},
     '<p class="para" id="p-1&#34;&gt;&lt;b"><a class="para-number" href="#p-1&#34;&gt;&lt;b" '
     'title="Link to § 1&#34;&gt;&lt;b" aria-label="Link to § 1&#34;&gt;&lt;b">'
     '§ 1&#34;&gt;&lt;b</a><span class="ent ent-X_onmouseover_a" '
     'data-label="X&#34; onmouseover=&#34;a" title="X&#34; onmouseover=&#34;a">&lt;i&gt;</span></p>'),
    # a repeated paragraph number (a separate opinion restarting at 1) gets a unique id
    (_record("1.a\n1.b", [{"number": "1", "start": 0, "end": 3},
                          {"number": "1", "start": 4, "end": 7}]), {},
     '<p class="para" id="p-1"><a class="para-number" href="#p-1" title="Link to § 1" '
     'aria-label="Link to § 1">¶</a>1.a</p>\n'
     '<p class="para" id="p-1-2"><a class="para-number" href="#p-1-2" title="Link to § 1" '
     'aria-label="Link to § 1">¶</a>1.b</p>'),
    # sections put an anchor before the block where they start; unresolved citations are spans
    (_record("intro text law text", sections=[{"name": "law", "start": 11, "end": 19}],
             citations=[{"start": 15, "end": 19}]), {},
     '<div class="plain">intro text</div>\n<h3 class="section-start" id="sec-1">The law</h3>\n'
     '<div class="plain">law <span class="citation">text</span></div>'),
])
def test_render_text(record, targets, expected):
    assert str(render_text(record, targets)) == expected



def test_render_text_trims_block_edges_and_shrinks_empty_lines():
    """GIVEN paragraphs ending in blank lines and a header of lines separated by empty lines
    WHEN rendered THEN no block starts or ends with white space, inner line breaks stay, and
    empty lines become a small gap instead of full blank lines."""
    text = "THIRD SECTION\n\n\nCASE OF X\n\n1. First line\nsecond line\n\n \n2. Next\n\n"
    one, two = text.index("1. First"), text.index("2. Next")
    html = str(render_text(_record(text, [{"number": "1", "start": one, "end": two},
                                          {"number": "2", "start": two, "end": len(text)}])))
    assert '<div class="plain">THIRD SECTION<span class="gap"></span>CASE OF X</div>' in html
    assert "¶</a>1. First line\nsecond line</p>" in html
    assert "¶</a>2. Next</p>" in html
    for block in BeautifulSoup(html, "html.parser").select("p.para, div.plain"):
        body = "".join(str(c) for c in block.contents if getattr(c, "name", None) != "a")
        assert body == body.strip(), body


def test_paragraph_link_shows_the_number_only_when_the_text_does_not():
    html = str(render_text(_record("Text without its number", [{"number": "7", "start": 0,
                                                                "end": 23}])))
    link = BeautifulSoup(html, "html.parser").select_one("p.para#p-7 a.para-number")
    assert link.get_text() == "§ 7" and link["title"] == "Link to § 7"
    html = str(render_text(_record("7. Text with it", [{"number": "7", "start": 0, "end": 15}])))
    link = BeautifulSoup(html, "html.parser").select_one("p.para#p-7 a.para-number")
    assert link.get_text() == "¶" and link["aria-label"] == "Link to § 7"


def test_entities_can_be_left_out_and_generic_words_are_not_marked():
    rec = _record("THE FACTS. The Court heard Ivan Petrov in Ensk.",
                  entities=[{"label": "ORG", "start": 4, "end": 9},      # FACTS: a heading
                            {"label": "ORG", "start": 15, "end": 20},    # Court: generic
                            {"label": "PERSON", "start": 27, "end": 38},
                            {"label": "LOC", "start": 42, "end": 46},
                            {"label": "DATE", "start": 0, "end": 3}])    # rules are trusted
    page = BeautifulSoup(str(render_text(rec)), "html.parser")
    assert [(s["data-label"], s.get_text()) for s in page.select("span.ent")] == [
        ("DATE", "THE"), ("PERSON", "Ivan Petrov"), ("LOC", "Ensk")]
    assert entity_counts(rec) == [("DATE", 1), ("PERSON", 1), ("LOC", 1)]   # by count, then name
    plain = BeautifulSoup(str(render_text(rec, entities=False)), "html.parser")
    assert not plain.select("span.ent") and plain.get_text() == rec["text"]


def _long_record(chars: int = 300_000) -> dict:
    """A judgment-sized record: a paragraph every ~150 characters, an entity every ~25."""
    sentence = "The applicant was beaten at the police station in Ensk on 5 May 2005. "
    text = (sentence * (chars // len(sentence) + 1))[:chars]
    paragraphs = [{"number": str(i + 1), "start": s, "end": min(s + 140, chars), "section": "law"}
                  for i, s in enumerate(range(0, chars, 150))]
    entities = [{"label": "DATE", "start": s, "end": s + 10, "key": None}
                for s in range(0, chars - 10, 25)]
    citations = [{"text": "x", "case_name": None, "case_numbers": [], "start": s, "end": s + 40}
                 for s in range(100, chars - 40, 3000)]
    sections = [{"name": "law", "start": 0, "end": chars}]
    return {"text": text, "paragraphs": paragraphs, "entities": entities,
            "citations": citations, "sections": sections}


def test_long_text_renders_every_paragraph():
    """Speed is measured in the benchmark, never asserted here (a shared machine is noisy)."""
    record = _long_record()
    html = render_text(record)
    assert html.count('class="para"') == len(record["paragraphs"])


def _serve_records(tmp_path, records: dict[str, dict]) -> TestClient:
    """A client over an index of ``records`` written straight into the catalogue (no NLP)."""
    return TestClient(create_app(index_of_records(tmp_path, records)), base_url=BASE)


def _long_judgment(chars: int = 300_000) -> dict:
    record = {**_long_record(chars), "kind": "echr_judgment", "title": "CASE OF LONG v. RUSSIA",
              "date": "2005-05-05", "respondent_states": ["Russia"]}
    record["sections"] = [{"name": "procedure", "start": 0, "end": chars // 2},
                          {"name": "law", "start": chars // 2, "end": chars}]
    return record


def _page_paragraphs(html: str) -> list[str]:
    return [p["id"] for p in BeautifulSoup(html, "html.parser").select("#text p.para")]


@pytest.fixture(scope="module")
def long_client(tmp_path_factory) -> TestClient:
    """A client over one 300,000-character judgment of 2,000 paragraphs, two sections."""
    return _serve_records(tmp_path_factory.mktemp("long"), {"long": _long_judgment()})


def test_long_document_page_is_paginated_and_every_paragraph_is_on_one_part(long_client):
    """GIVEN a 300,000-character judgment (2,000 paragraphs) WHEN its page is asked for THEN
    it is drawn a part at a time, each part at most PART_CHARS of text, the parts together hold
    every paragraph exactly once, in order, and the pager links every part. Speed is measured
    in the benchmark (tools/bench/web.py), not asserted here."""
    from pipeline.web.render import PART_CHARS

    record = _long_judgment()
    client = long_client
    first = client.get("/documents/long")
    assert first.status_code == 200
    pager = BeautifulSoup(first.text, "html.parser").select("#parts-top a.part")
    count = len(pager) + 1
    assert count >= len(record["text"]) // PART_CHARS
    seen = []
    for n in range(1, count + 1):
        page = client.get("/documents/long", params={"part": n})
        assert page.status_code == 200
        ids = _page_paragraphs(page.text)
        assert 0 < len(ids) * 150 <= PART_CHARS + 150
        seen += ids
    assert seen == [f"p-{p['number']}" for p in record["paragraphs"]]
    # Not a number, or out of range: a part anyway, never an error.
    for bad, first in [("0", "p-1"), ("x", "p-1"), ("-1", "p-1"), (str(count + 5), ids[0])]:
        page = client.get("/documents/long", params={"part": bad})
        assert page.status_code == 200
        assert _page_paragraphs(page.text)[0] == first


@pytest.mark.parametrize("paragraph", ["1", "400", "1234", "2000"])
def test_a_link_to_a_paragraph_lands_on_the_part_holding_it(long_client, paragraph):
    """GIVEN a long judgment WHEN a link to paragraph K (as search hits, "cited by" and the
    document's own links make it) is followed THEN the page served holds ``#p-K``, and the
    section links of that page lead to the part where each section starts."""
    from pipeline.web.app import doc_url

    client = long_client
    url = doc_url("long", paragraph)
    path, _, anchor = url.partition("#")
    page = client.get(path)
    soup = BeautifulSoup(page.text, "html.parser")
    assert soup.select_one(f"#text p.para#{anchor}") is not None
    for link in soup.select("#sections a"):
        href = link["href"]
        target = client.get(href.split("#")[0]) if not href.startswith("#") else page
        assert BeautifulSoup(target.text, "html.parser").select_one(
            "#" + href.split("#")[1]) is not None, href
    # An unknown paragraph falls back to the first part.
    assert _page_paragraphs(client.get("/documents/long?para=99999").text)[0] == "p-1"


def test_a_huge_text_without_paragraphs_is_cut_into_parts(tmp_path):
    """GIVEN a 2 MB text with no numbered paragraph (one block) WHEN its page is asked for THEN
    the page carries one part of it, not the whole text, and the parts cover it all."""
    from pipeline.web.render import PART_CHARS, text_parts

    line = "The applicant was held at the police station for many days.\n"
    text = line * (2_000_000 // len(line))
    record = {"text": text, "kind": "ru_other", "title": "HUGE", "paragraphs": [],
              "entities": [], "citations": [], "sections": []}
    client = _serve_records(tmp_path, {"huge": record})
    page = client.get("/documents/huge")
    assert page.status_code == 200
    assert len(page.text) < 3 * PART_CHARS
    parts = text_parts(record)
    assert parts[0].start == 0 and parts[-1].end == len(text)
    assert all(a.end == b.start for a, b in zip(parts, parts[1:]))
    assert all(p.end - p.start <= PART_CHARS for p in parts)


def test_a_short_document_is_one_part_without_a_pager(tmp_path):
    """Near-miss: a text under PART_CHARS is drawn whole, with no pager."""
    record = _long_judgment(20_000)
    client = _serve_records(tmp_path, {"short": record})
    page = client.get("/documents/short")
    assert len(_page_paragraphs(page.text)) == len(record["paragraphs"])
    assert "Part 1 of" not in page.text


def test_related_documents_follow_the_index_after_a_commit(tmp_path):
    """GIVEN a document's page already viewed (its related documents kept) WHEN a document
    citing it is committed to the catalogue and index THEN the next view lists the new citing
    document: what is kept never outlives a commit."""
    from pipeline.search import open_index

    def judgment(title: str, own: str, cites: str | None) -> dict:
        text = f"{title}\n\n1. The applicant complained of torture."
        citations, ids = [], [own]
        if cites:
            cited = f"See Alpha v. Russia, no. {cites}."
            text += f"\n\n2. {cited}"
            start = text.index("Alpha")
            citations = [{"text": f"Alpha v. Russia, no. {cites}", "case_name": "Alpha v. Russia",
                          "case_numbers": [cites], "start": start, "end": start + 30}]
            ids.append(cites)
        return {"text": text, "kind": "echr_judgment", "title": title, "date": "2010-01-01",
                "own_identifiers": [own], "identifiers": ids, "citations": citations,
                "paragraphs": [], "entities": [], "sections": []}

    client = _serve_records(tmp_path, {"alpha": judgment("CASE OF ALPHA v. RUSSIA", "11111/01",
                                                         None)})
    before = BeautifulSoup(client.get("/documents/alpha").text, "html.parser")
    assert not before.select("#cited-by li")
    catalogue = Catalogue.open(tmp_path / "index")
    try:
        record = judgment("CASE OF BETA v. RUSSIA", "22222/02", "11111/01")
        text = record.pop("text")
        path = str(tmp_path / "beta.txt")
        catalogue.record_source(
            Source(path=path, sha256="b" * 64, size=len(text), mtime_ns=0, format="txt",
                   status="ok", pipeline_version="test"),
            [Document(id="beta", source_path=path, format="txt", text=text, language="en",
                      title=record["title"], record=record)])
        index = open_index(tmp_path / "index", catalogue)
        batch = index.batch()
        batch.upsert(catalogue.document("beta"))
        batch.commit()
    finally:
        catalogue.close()
    after = BeautifulSoup(client.get("/documents/alpha").text, "html.parser")
    assert [a["href"].split("?")[0] for a in after.select("#cited-by li a")] == ["/documents/beta"]


def test_the_index_is_opened_once_until_a_commit_changes_it(tmp_path, monkeypatch):
    """GIVEN a server that answered searches WHEN nothing is written THEN it keeps the index it
    opened (what it keeps per segment is most of a search's speed); WHEN a document is committed
    THEN the next search opens the index again and finds it, with no lag reported."""
    import pipeline.web.app as web_app
    from pipeline.search import open_index

    opened = []
    real = web_app._open_index
    monkeypatch.setattr(web_app, "_open_index", lambda *a: opened.append(1) or real(*a))
    record = {"text": "1. The applicant complained of torture.", "title": "CASE OF ALPHA",
              "kind": "echr_judgment", "paragraphs": [], "entities": [], "sections": []}
    client = _serve_records(tmp_path, {"alpha": record})
    for q in ("torture", "applicant", "torture", "beatings"):
        assert client.get("/api/search", params={"q": q}).status_code == 200
    assert len(opened) == 1
    assert client.get("/api/search", params={"q": "beatings"}).json()["total"] == 0
    catalogue = Catalogue.open(tmp_path / "index")
    try:
        path = str(tmp_path / "beta.txt")
        text = "1. The police beatings were not investigated."
        catalogue.record_source(
            Source(path=path, sha256="b" * 64, size=len(text), mtime_ns=0, format="txt",
                   status="ok", pipeline_version="test"),
            [Document(id="beta", source_path=path, format="txt", text=text, language="en",
                      title="CASE OF BETA", record={**record, "title": "CASE OF BETA"})])
        batch = open_index(tmp_path / "index", catalogue).batch()
        batch.upsert(catalogue.document("beta"))
        batch.commit()
    finally:
        catalogue.close()
    found = client.get("/api/search", params={"q": "beatings"}).json()
    assert [h["id"] for h in found["hits"]] == ["beta"]
    assert not found.get("lag")
    assert len(opened) == 2


@pytest.mark.parametrize("record, label, values", [
    ({"kind": "ru_sentence", "charges": [{"key": "УК:286:3:а"}]}, "Charges", ["УК:286:3:а"]),
    ({"awards": [{"amount": 25000.0, "currency": "EUR", "head": "costs"}]}, "Awards",
     ["EUR 25,000 (costs and expenses)"]),
    ({"holdings": [{"article": "3", "outcome": "violation"},
                   {"article": "13", "outcome": "not_necessary_to_examine"},
                   {"article": None, "outcome": "other", "text": "Declares admissible"}]},
     "Holdings", ["Article 3: violation", "Article 13: not necessary to examine"]),
    ({"judges": ["A. Judge", "B. Judge"], "case_numbers": ["1/19", "2/19"]}, "Judges",
     ["A. Judge, B. Judge"]),
    ({"penalties": [{"type": "fine", "months": None, "amount": 10000.0}]}, "Penalties",
     ["fine, 10,000"]),
    ({"penalties": [{"type": "imprisonment", "months": 42}]}, "Penalties",
     ["imprisonment, 3 years 6 months"]),
    ({"charges": [{"code": "УК", "article": "286", "part": "3", "point": "а",
                   "key": "УК:286:3:а"}]}, "Charges", ["п. «а» ч. 3 ст. 286 УК РФ"]),
    ({"holdings": [{"article": "3", "outcome": "violation",
                    "text": "Holds that there has been a violation of Article 3 under its "
                            "substantive limb"},
                   {"article": "6-1", "outcome": "no_violation", "text": "Holds no violation"}]},
     "Holdings", ["Article 3: violation (substantive limb)", "Article 6 § 1: no violation"]),
    ({"kind": "echr_communicated", "complaints": ["3", "14+P1-1"]}, "Questions on",
     ["Article 3; Article 14+P1-1"]),
    ({"kind": "ru_other"}, "Kind", ["Russian other act"]),
    ({"instance": "first"}, "Instance", ["first instance"]),
])
def test_metadata_rows(record, label, values):
    assert dict(metadata_rows(record))[label] == values


def test_document_facts_fold_long_name_lists_only():
    short = document_facts({"judges": ["A. One", "B. Two"]})
    assert short[0].details is None and [v.text for v in short[0].values] == ["A. One, B. Two"]
    long = document_facts({"representatives": [f"Advocate Number{i}" for i in range(5)]})
    assert long[0].values == [] and long[0].details == (
        "5 representatives", [f"Advocate Number{i}" for i in range(5)])
    assert holding_label({"article": "3", "outcome": "other"}) == "Article 3: other"


def test_metadata_never_shows_the_source_path():
    rows = metadata_rows({"source": {"path": "/home/lawyer/secret/case.pdf", "format": "pdf",
                                     "pages": 3}, "text": "x"})
    assert "/home/lawyer" not in repr(rows)


# -- a real server beside a real ingest ----------------------------------------------------


#: More than one ingest batch (200), so an index commit lands in the middle of the searches.
GENERATED = 250


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _generate_rulings(folder: Path, count: int) -> None:
    """Small, distinct rulings (Russian and English) for an ingest to chew on."""
    folder.mkdir()
    for i in range(count):
        if i % 2:
            text = (f"ПРИГОВОР\nИменем Российской Федерации\n{1 + i % 28} марта 2021 года\n"
                    f"Заречный районный суд г. Энска по делу № 1-{i}/2021 рассмотрел дело по "
                    f"обвинению сотрудника полиции Петрова{i} по п. «а» ч. 3 ст. 286 УК РФ. "
                    f"Потерпевший показал, что его избивали в отделе полиции номер {i}. "
                    "Суд признал подсудимого виновным.\n")
        else:
            text = (f"CASE OF GENERATED{i} v. RUSSIA\n(Application no. {10000 + i}/19)\n"
                    f"JUDGMENT\nSTRASBOURG\n{1 + i % 28} March 2021\n\nPROCEDURE\n"
                    f"1. The applicant number {i} complained of torture in police custody.\n")
        (folder / f"generated_{i:03d}.txt").write_text(text, encoding="utf-8")


def test_server_answers_while_an_ingest_writes(index_dir, tmp_path):
    """GIVEN a server on a real port over an index WHEN an ingest adds 250 documents to that
    index (more than one index batch, so the index is committed while searches run) THEN the
    200+ searches made meanwhile all answer 200, the ingest succeeds, and the server sees the
    new documents without a restart."""
    served = tmp_path / "index"
    shutil.copytree(index_dir, served)
    generated = tmp_path / "generated"
    _generate_rulings(generated, GENERATED)
    port = _free_port()
    # Files, not pipes: an unread pipe fills up and blocks the child.
    server_log = (tmp_path / "server.log").open("wb")
    ingest_out = (tmp_path / "ingest.json").open("w+b")
    ingest_err = (tmp_path / "ingest.err").open("w+b")
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    server = subprocess.Popen(
        [sys.executable, "-c", "import sys; from pathlib import Path; from pipeline.web import "
         "serve; serve(Path(sys.argv[1]), port=int(sys.argv[2]))", str(served), str(port)],
        cwd=ROOT, env=env, stdout=server_log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    queries = ["пытка", "torture", "", "41234/15", "полиции", "police custody", "article:3",
               "state:russia", "Заречный", '"police custody"', "generated7", "избивали"]
    try:
        with httpx.Client(base_url=base, timeout=30) as http:
            for _ in range(100):
                try:
                    before = http.get("/api/search", params={"q": ""}).json()["total"]
                    break
                except httpx.TransportError:
                    time.sleep(0.1)
            else:
                pytest.fail("the server did not start: " + (tmp_path / "server.log").read_text())
            ingest_run = subprocess.Popen(
                [sys.executable, "-m", "pipeline", "ingest", str(generated), "--index",
                 str(served), "--jobs", "2", "--json"],
                cwd=ROOT, env=env, stdout=ingest_out, stderr=ingest_err)
            statuses, during, n = [], 0, 0
            while n < 200 or ingest_run.poll() is None:
                running = ingest_run.poll() is None
                response = http.get("/api/search", params={"q": queries[n % len(queries)],
                                                           "page": 1 + n % 2})
                statuses.append((response.status_code, response.text[:200]))
                during += running
                n += 1
            ingest_run.wait(timeout=120)
            rebinding = http.get("/api/search", headers={"host": "evil.example"})
            after = http.get("/api/search", params={"q": ""}).json()["total"]
            page = http.get("/search", params={"q": "generated7"})
    finally:
        server.terminate()
        server.wait(timeout=10)
        server_log.close()
    ingest_out.seek(0)
    ingest_err.seek(0)
    assert ingest_run.returncode == 0, ingest_err.read().decode()[-2000:]
    assert json.loads(ingest_out.read())["ingested"] == GENERATED
    bad = [s for s in statuses if s[0] != 200]
    assert not bad, bad[:5]
    assert during >= 200, f"only {during} requests were made while the ingest ran"
    assert after == before + GENERATED
    assert page.status_code == 200
    assert rebinding.status_code == 400


def test_cites_shows_a_case_not_indexed_by_its_canonical_citation(tmp_path):
    """GIVEN a judgment citing an indexed case and two that are not, one of them in the Court's
    list of case-law references WHEN its page and its cites API are asked for THEN the indexed
    case is a link, the listed one shows the Court's citation marked as not in the index, and
    the unlisted one its printed text, marked the same."""
    from pipeline.entities.citations import find_citations
    from pipeline.entities.resolve import resolve_citations

    alpha = {"text": "CASE OF ALPHA v. RUSSIA\n\n1. The applicant complained.", "kind": "echr_judgment",
             "title": "CASE OF ALPHA v. RUSSIA", "date": "2010-01-01", "own_identifiers": ["11111/01"],
             "identifiers": ["11111/01"], "citations": [], "paragraphs": [], "entities": [],
             "sections": []}
    text = ("CASE OF BETA v. RUSSIA\n\n1. See Alpha v. Russia, no. 11111/01, 1 January 2010; "
            "Mikheyev v. Russia, no. 77617/01, § 135, 26 January 2006; and Gamma v. Russia, "
            "no. 33333/03, 3 March 2013.")
    citations = [asdict(c) for c in resolve_citations(find_citations(text), "en")]
    beta = {**alpha, "text": text, "title": "CASE OF BETA v. RUSSIA", "own_identifiers": ["22222/02"],
            "identifiers": ["22222/02", "11111/01", "77617/01", "33333/03"], "citations": citations}
    client = _serve_records(tmp_path, {"alpha": alpha, "beta": beta})
    cites = client.get("/api/documents/beta/cites").json()["cites"]
    assert [(c["target"], c["canonical"]) for c in cites] == [
        ("alpha", None), (None, "Mikheyev v. Russia, no. 77617/01, 26 January 2006"), (None, None)]
    assert cites[1]["canonical_numbers"] == ["77617/01"] and cites[1]["canonical_date"] == "2006-01-26"
    items = BeautifulSoup(client.get("/documents/beta").text, "html.parser").select("#cites li")
    assert items[0].select_one("a")["href"].endswith("/documents/alpha")
    assert items[1].select_one(".canonical").get_text() == "Mikheyev v. Russia, no. 77617/01, 26 January 2006"
    assert [bool(li.select_one(".not-indexed")) for li in items] == [False, True, True]
    assert "Gamma v. Russia, no. 33333/03, 3 March 2013" in items[2].get_text()
