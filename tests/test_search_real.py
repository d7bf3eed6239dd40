"""Search on real documents from ../shared/corpora (read in place, never copied): ECHR judgments
against Russia from HUDOC JSON, and Russian rulings.

No Russian ruling in the shared corpora mentions torture ("пытк" occurs only inside "попытка"),
so Russian morphology is checked on words they do use; "пытки" is checked on the ECHR
judgments that quote Russian.

Not marked slow (about a minute for both engines): these are the search issue's own checks on
real documents, so `make test` runs them.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import index_with_engine

from pipeline.catalogue import Catalogue
from pipeline.ingest import ingest
from pipeline.search import open_index


@pytest.fixture(scope="module")
def ingested(shared_corpora: Path, tmp_path_factory) -> Path:
    echr = sorted((shared_corpora / "echr" / "json_v_russia").glob("*.json"))
    rulings = sorted((shared_corpora / "gold" / "ru_judgement_parts_markup" / "mitingi").glob("*.txt"))[:8]
    index = tmp_path_factory.mktemp("real") / "index"
    report = ingest(echr + rulings, index, jobs=4)
    assert report.failed == 0
    return index


@pytest.fixture(scope="module")
def real(ingested: Path, engine_name: str, tmp_path_factory):
    """The real documents indexed by each engine in turn."""
    index = index_with_engine(ingested, engine_name, tmp_path_factory.mktemp(engine_name))
    catalogue = Catalogue.open(index, readonly=True)
    yield open_index(index, catalogue, readonly=True), catalogue
    catalogue.close()


def test_ill_treatment_in_judgments_against_russia(real) -> None:
    index, catalogue = real
    results = index.search('"ill-treatment" state:Russia article:3', catalogue, facets=True)
    assert results.total >= 3
    for hit in results.hits:
        assert hit.kind.startswith("echr") and "russia" in (hit.citation or "").lower()
        assert hit.snippet and hit.snippet.marks
    assert results.facets["state"][0].label == "Russia"
    assert results.facets["state"][0].count == results.total
    assert any(h.paragraph for h in results.hits)


@pytest.mark.parametrize(("query", "kind_prefix"), [("пытки", "echr"), ("митингах", "ru_"),
                                                    ("митинг", "ru_")])
def test_russian_words_find_their_forms(real, query: str, kind_prefix: str) -> None:
    index, catalogue = real
    hits = index.search(query, catalogue, limit=50).hits
    assert any(h.kind.startswith(kind_prefix) for h in hits)


def test_application_numbers_find_their_case(real) -> None:
    index, catalogue = real
    checked = 0
    for doc in list(catalogue.iter_documents())[:40]:
        numbers = (doc.record or {}).get("case_numbers") or []
        if not (doc.record or {}).get("kind", "").startswith("echr") or not numbers:
            continue
        hits = index.search(numbers[0], catalogue, limit=5).hits
        assert doc.id in [h.id for h in hits[:2]], numbers[0]
        checked += 1
    assert checked >= 10


def test_whoosh_fast_path_agrees_on_real_judgments(real, engine_name: str) -> None:
    """The lawyers' query list on real judgments: the fast path and Whoosh's matchers give the
    same totals, facets, hits and scores (see test_search_whoosh)."""
    if engine_name != "whoosh":
        pytest.skip("the fast path is the Whoosh engine's")
    from test_search_whoosh import FILTERS, assert_fast_path_agrees, lawyers_queries

    index, catalogue = real
    assert assert_fast_path_agrees(index, catalogue, lawyers_queries(), FILTERS[:2]) >= 60


@pytest.fixture(scope="module")
def identified(shared_corpora: Path, tmp_path_factory):
    """Real arbitrazh rulings, a HUDOC JSON record and two HUDOC exports named by item id."""
    files = sorted((shared_corpora / "ru" / "pdf_arbitrazh").glob("A*.pdf"))
    files += sorted((shared_corpora / "ru" / "pdf_arbitrazh").glob("SIP*.pdf"))
    files += [shared_corpora / "echr" / "json_v_russia" / "001-145584.json"]
    files += sorted((shared_corpora / "echr" / "hudoc_eras").glob("001-10*_*.txt"))[:2]
    index = tmp_path_factory.mktemp("identified") / "index"
    assert ingest(files, index, jobs=2).failed == 0
    catalogue = Catalogue.open(index, readonly=True)
    yield open_index(index, catalogue, readonly=True), catalogue
    catalogue.close()


@pytest.mark.parametrize(("query", "source"), [
    ("А40-5590/2023", "A40-5590-2023_"),        # printed "А40-5590/23-99-47"
    ("A40-5590/2023", "A40-5590-2023_"),        # Latin A
    ("А40-5590/23", "A40-5590-2023_"),
    ("а40-5590/23-99-47", "A40-5590-2023_"),
    ("СИП-694/2021", "SIP-694-2021_"),
    ("А83-19868/2020", "A83-19868-2020_"),
    ("001-145584", "001-145584.json"),
    ("Application no. 44260/13", "001-145584.json"),
    ("001-107475", "001-107475_ENG.txt"),       # the export's file name
    # near-misses: another year, another number, the application-number shape, a month
    ("А40-5590/2022", None),
    ("А40-55901/2023", None),
    ("5590/23", None),
    ("12-2023", None),
])
def test_identifiers_as_lawyers_type_them(identified, query: str, source: str | None) -> None:
    index, catalogue = identified
    hits = index.search(query, catalogue, limit=10).hits
    paths = [catalogue.document(h.id).source_path for h in hits]
    if source is None:
        assert not any("pdf_arbitrazh" in p for p in paths), paths
    else:
        assert paths and Path(paths[0]).name.startswith(source), paths
