"""Wildcards, prefixes and word ranges are bounded by what they expand to, on both engines.

A query's time limit used to start only once Whoosh's matchers ran, after every word a wildcard
or range stands for had been listed: ``title:[a TO z]`` ran 26 s over 2,154 documents and
starved other searches. Such a query is now refused with a message naming the limit, before
anything is read, never answered from part of its words (a lawyer must not get an incomplete
list that looks complete). The index here is written without NLP: records straight into the
catalogue, and the search index rebuilt from it for each engine.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.catalogue import Catalogue, Document, Source
from pipeline.errors import QueryError
from pipeline.search import open_index, rebuild_index
from pipeline.search.language import query as query_module

#: Documents, each with its own invented word ``zqNNN`` in its text and title.
DOCUMENTS = 120
LIMIT = 50


def _text(i: int) -> str:
    return f"The applicant zq{i:03d} complained of torture in police custody, case {i}."


@pytest.fixture(scope="module")
def index_dir(tmp_path_factory, engine_name: str) -> Path:
    root = tmp_path_factory.mktemp(f"expansion-{engine_name}")
    index_dir = root / "index"
    catalogue = Catalogue.open(index_dir)
    try:
        for i in range(DOCUMENTS):
            text = _text(i)
            path = str(root / f"doc{i:03d}.txt")
            record = {"kind": "echr_judgment", "title": f"CASE OF ZQ{i:03d} v. RUSSIA",
                      "date": "2005-05-05", "paragraphs": [], "entities": [], "citations": [],
                      "sections": []}
            catalogue.record_source(
                Source(path=path, sha256=f"{i:064d}", size=len(text), mtime_ns=0, format="txt",
                       status="ok", pipeline_version="test"),
                [Document(id=f"doc{i:03d}", source_path=path, format="txt", text=text,
                          language="en", title=record["title"], record=record)])
        rebuild_index(index_dir, catalogue, engine=engine_name)
    finally:
        catalogue.close()
    return index_dir


@pytest.fixture
def search(index_dir, monkeypatch):
    """``search(q, filters=())`` -> (total, ids) with the expansion limit lowered to LIMIT."""
    monkeypatch.setattr(query_module, "MAX_EXPANSIONS", LIMIT, raising=False)

    def run(q: str, filters=()):
        catalogue = Catalogue.open(index_dir, readonly=True)
        try:
            results = open_index(index_dir, catalogue, readonly=True).search(
                q, catalogue, limit=DOCUMENTS, filters=list(filters))
        finally:
            catalogue.close()
        return results.total, sorted(h.id for h in results.hits)

    return run


@pytest.mark.parametrize("query, filters", [
    ("zq*", ()),                                   # 120 words
    ("zq0* OR zq1*", ()),                          # 100 + 20: each under, together over
    ("torture", ["zq*"]),                          # in a filter
    ("torture NOT zq*", ()),                       # negated words are read too
    ("zq0?? AND torture", ()),                     # a wildcard, not only a prefix
])
def test_expansions_over_the_limit_are_refused_naming_it(search, query, filters):
    with pytest.raises(QueryError, match=rf"more than {LIMIT} indexed words \(limit {LIMIT}\)"):
        search(query, filters)


def test_a_word_range_over_the_limit_is_refused(search, engine_name):
    """Whoosh refuses the range by its size; tantivy ranges only dates and years."""
    with pytest.raises(QueryError, match=r"limit 50|ranges work on date"):
        search("title:[a TO zz]")


@pytest.mark.parametrize("query, expected", [
    ("zq01*", [f"doc{i:03d}" for i in range(10, 20)]),               # 10 words
    ("zq00* OR zq11*", [f"doc{i:03d}" for i in [*range(10), *range(110, 120)]]),  # 20
    ("zq1?? torture", [f"doc{i:03d}" for i in range(100, 120)]),     # 20
    ("torture", [f"doc{i:03d}" for i in range(DOCUMENTS)]),           # no expansion at all
])
def test_expansions_under_the_limit_find_every_document(search, query, expected):
    total, ids = search(query)
    assert (total, ids) == (len(expected), expected)


def test_expanding_nodes_are_found_where_they_are_read():
    """Near-misses: date and year ranges are numeric and few, and are not counted."""
    from pipeline.search.language.query import expanding, parse_query
    from pipeline.search.language.schema import get_schema

    schema = get_schema()
    assert expanding(parse_query("date:2005..2010 year:2000..2020", schema)[0]) == []
    assert expanding(parse_query("torture police", schema)[0]) == []
    assert len(expanding(parse_query("title:[a TO c]", schema)[0])) == 1
    # An unfielded prefix is one per text field.
    assert len(expanding(parse_query("tort*", schema)[0])) >= 4


def test_the_web_app_runs_one_expanding_search_at_a_time(index_dir, monkeypatch):
    """GIVEN the one slot for searches with wildcards or ranges taken (a costly search running)
    WHEN another such search comes THEN it waits, then gets 503 "busy" with Retry-After, while
    plain searches are answered meanwhile; once the slot is free it is answered."""
    from fastapi.testclient import TestClient

    from pipeline.web import app as web

    client = TestClient(web.create_app(index_dir), base_url="http://127.0.0.1:8080")
    monkeypatch.setattr(web, "EXPANDING_WAIT", 0.2)
    assert web._expanding.acquire(timeout=5)
    try:
        for path, params in [("/api/search", {"q": "zq01*"}),
                             ("/api/search", {"q": "torture", "filter": "title:[a TO c]"}),
                             ("/search", {"q": "zq1?? torture"})]:
            busy = client.get(path, params=params)
            assert busy.status_code == 503, (path, params)
            assert "busy" in busy.text and busy.headers["retry-after"] == "5"
        for q in ["torture", '"police custody"', "zq001", "state:russia", "bad:* ("]:
            assert client.get("/api/search", params={"q": q}).status_code in (200, 400), q
    finally:
        web._expanding.release()
    answered = client.get("/api/search", params={"q": "zq01*"})
    assert answered.status_code == 200 and answered.json()["total"] == 10
