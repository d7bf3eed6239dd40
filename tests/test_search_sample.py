"""Search on the sample corpus: filters, facets, sorting, paging, pinpoints, similar documents,
the citation graph, the read-only index and the CLI options over them."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import engine_dir, index_with_engine

from pipeline.catalogue import Catalogue
from pipeline.cli import cli
from pipeline.errors import DocumentNotFound, IndexError_
from pipeline.ingest import ingest
from pipeline.search import SearchResults, open_index
from pipeline.search.language.schema import SCHEMA_VERSION

CORPORA = Path(__file__).resolve().parent.parent / "corpora"
ZARECHNEV = "echr-en-chamber-zarechnev-v-russia-41234-15"
LUGOVSKIKH = "echr-lugovskikh-v-russia-33120-17"
KAMYSHNIKOV = "001-999001"
POLYNTSEV = "echr-fr-decision-recevabilite-polyntsev-c-russie-63519-18"
TRAVNIKOVA = "echr-fr-affaire-travnikova-c-russie-28765-17"
PRIGOVOR = "ru-prigovor-286-zarechny-cp1251"
APPEAL = "ru-apelljacionnoe-opredelenie-sudrf-22-1456-2021"


@pytest.fixture(scope="module")
def ingested(tmp_path_factory) -> Path:
    index = tmp_path_factory.mktemp("sample") / "index"
    report = ingest([CORPORA], index, jobs=2)
    assert report.failed == 0
    return index


@pytest.fixture(scope="module")
def index_dir(ingested: Path, engine_name: str, tmp_path_factory) -> Path:
    """The sample corpus indexed by each engine in turn."""
    return index_with_engine(ingested, engine_name, tmp_path_factory.mktemp(engine_name))


@pytest.fixture(scope="module")
def engine(index_dir: Path):
    catalogue = Catalogue.open(index_dir, readonly=True)
    yield open_index(index_dir, catalogue, readonly=True), catalogue
    catalogue.close()


def run(engine, text: str = "", **kwargs) -> SearchResults:
    index, catalogue = engine
    return index.search(text, catalogue, **kwargs)


def ids(results: SearchResults) -> list[str]:
    return [h.id for h in results.hits]


@pytest.mark.parametrize(
    ("query", "filters", "must", "must_not"),
    [
        ("", ["state:Russia"], {ZARECHNEV, LUGOVSKIKH, POLYNTSEV}, {PRIGOVOR}),
        ("", ['state:"the Russian Federation"'], {ZARECHNEV}, {PRIGOVOR}),
        ("torture", ["article:3"], {ZARECHNEV}, {PRIGOVOR}),
        ("", ["outcome:3:violation", "language:fr"], {TRAVNIKOVA}, {ZARECHNEV}),
        ("", ["kind:ru_sentence"], {PRIGOVOR}, {APPEAL}),
        ("", ["date:2020..2020"], {PRIGOVOR, KAMYSHNIKOV}, {ZARECHNEV, APPEAL}),
        ("", ["date:2021-02-01.."], {APPEAL}, {PRIGOVOR}),
        ("", ["date:..2019-12-31"], {ZARECHNEV, LUGOVSKIKH}, {PRIGOVOR}),
        ("", ["year:2019"], {ZARECHNEV}, {PRIGOVOR}),
        ("ч. 3 ст. 286 УК РФ", [], {PRIGOVOR, APPEAL}, {ZARECHNEV}),
        ("п. «а» ч. 3 ст. 286 УК РФ", [], {PRIGOVOR}, {ZARECHNEV}),
        ("1-123/2020", [], {PRIGOVOR}, {ZARECHNEV}),
        ("41234/15", [], {ZARECHNEV, LUGOVSKIKH}, {PRIGOVOR}),
        ("пытки", ["kind:ru_sentence"], {PRIGOVOR}, {APPEAL}),
        ('"police custody"~3', ["state:russia"], {ZARECHNEV}, {PRIGOVOR}),
    ],
)
def test_queries_and_filters(engine, query: str, filters: list[str], must: set[str],
                             must_not: set[str]) -> None:
    found = set(ids(run(engine, query, filters=filters, limit=100)))
    assert must <= found and not (must_not & found)


def test_filters_do_not_change_scores(engine) -> None:
    plain = {h.id: h.score for h in run(engine, "torture", limit=100).hits}
    filtered = run(engine, "torture", filters=["state:russia"], limit=100)
    assert filtered.hits and all(plain[h.id] == pytest.approx(h.score) for h in filtered.hits)


@pytest.mark.parametrize("sort", ["newest", "oldest"])
def test_sort_by_date_with_undated_last(engine, sort: str) -> None:
    dates = [h.date for h in run(engine, "", filters=["kind:ru_sentence OR kind:ru_ruling OR "
                                                       "kind:echr_judgment"], sort=sort, limit=100).hits]
    dated = [d for d in dates if d]
    assert dated == sorted(dated, reverse=(sort == "newest"))
    assert dates[:len(dated)] == dated


def test_paging_covers_every_hit_once(engine) -> None:
    everything = run(engine, "", sort="oldest", limit=100)
    pages = [run(engine, "", sort="oldest", limit=5, page=n) for n in (1, 2, 3, 4)]
    assert pages[0].pages == -(-everything.total // 5)
    assert sum((ids(p) for p in pages), []) == ids(everything)
    assert run(engine, "", limit=5, page=99).hits == []


def test_facets_count_all_matches_not_only_the_page(engine) -> None:
    results = run(engine, "", filters=["state:russia"], limit=1, facets=True)
    facets = results.facets
    assert set(facets) == {"state", "article", "outcome", "court", "year", "language", "kind"}
    russia = next(c for c in facets["state"] if c.value == "russia")
    assert (russia.label, russia.count, russia.filter) == ("Russia", results.total, "state:russia")
    assert sum(c.count for c in facets["kind"]) == results.total
    assert {c.label for c in facets["kind"]} >= {"ECHR judgment", "ECHR decision"}
    assert any(c.label == "Article 3: violation" for c in facets["outcome"])
    assert any(c.label == "Article 3" and c.filter == "article:3" for c in facets["article"])


@pytest.mark.parametrize("facet", ["state", "article", "outcome", "court", "year", "language", "kind"])
def test_every_facet_filter_selects_its_count(engine, facet: str) -> None:
    """GIVEN the facet counts over everything WHEN a value's filter is applied THEN exactly
    that many documents match."""
    for value in run(engine, "", facets=True).facets[facet][:5]:
        assert run(engine, "", filters=[value.filter]).total == value.count, value


def test_court_facet_is_the_full_name(engine) -> None:
    courts = run(engine, "", facets=True).facets["court"]
    assert any(c.label == "Заречный районный суд г. Энска Энской области" for c in courts)


@pytest.mark.parametrize(
    ("query", "doc_id", "paragraph", "section", "citation"),
    [
        ("77617/01", ZARECHNEV, "21", "law",
         "Zarechnev v. Russia, no. 41234/15, § 21, 14 March 2019"),
        ("77617/01", TRAVNIKOVA, "16", "law", "Travnikova c. Russie, no 28765/17, § 16, 5 novembre 2020"),
        ("пытки", "ru-reshenie-kompensaciya-moralnogo-vreda-minfin", None, "reasoning",
         "Октябрьский районный суд г. Энска Энской области, решение от 24 мая 2021 г. по делу "
         "№ 2-2718/2021, мотивировочная часть"),
    ],
)
def test_hits_point_to_the_paragraph(engine, query: str, doc_id: str, paragraph: str | None,
                                     section: str | None, citation: str) -> None:
    hit = next(h for h in run(engine, query, limit=100).hits if h.id == doc_id)
    assert (hit.paragraph, hit.section, hit.citation) == (paragraph, section, citation)


def test_the_paragraph_holds_the_first_match(engine) -> None:
    """GIVEN hits with a paragraph WHEN reading that paragraph from the record THEN the first
    highlighted word of the snippet is in it."""
    index, catalogue = engine
    checked = 0
    for hit in run(engine, "torture", limit=100).hits:
        if not hit.paragraph:
            continue
        doc = catalogue.document(hit.id)
        para = next(p for p in doc.record["paragraphs"] if p["number"] == hit.paragraph)
        start, end = hit.snippet.marks[0]
        assert hit.snippet.text[start:end] in doc.text[para["start"]:para["end"]]
        assert f"§ {hit.paragraph}" in hit.citation
        checked += 1
    assert checked >= 3


def test_hit_json_marks_match_the_snippet_text(engine) -> None:
    data = run(engine, "пытки", limit=3).to_json()
    assert {"query", "total", "page", "limit", "pages", "sort", "filters", "hits", "facets"} <= set(data)
    for hit in data["hits"]:
        assert {"paragraph", "section", "citation", "marks", "snippet_text", "snippet", "page"} <= set(hit)
        marked = [hit["snippet_text"][s:e] for s, e in hit["marks"]]
        assert marked and all(m.lower().startswith("пыт") for m in marked)


def test_similar(engine) -> None:
    index, catalogue = engine
    results = index.similar(ZARECHNEV, catalogue, limit=5)
    assert ZARECHNEV not in ids(results)
    assert set(ids(results)[:3]) & {KAMYSHNIKOV, LUGOVSKIKH, TRAVNIKOVA}
    assert PRIGOVOR in ids(index.similar(APPEAL, catalogue, limit=3))
    with pytest.raises(DocumentNotFound):
        index.similar("no-such-id", catalogue)


def test_cites_dedupes_and_resolves(engine) -> None:
    index, catalogue = engine
    cited = index.cites(KAMYSHNIKOV, catalogue)
    names = [c.case_name for c in cited]
    assert len(names) == len(set(names))
    zarechnev = next(c for c in cited if c.case_name == "Zarechnev v. Russia")
    assert (zarechnev.target, zarechnev.paragraph) == (ZARECHNEV, "10")
    mikheyev = next(c for c in cited if "Mikheyev" in c.case_name)
    assert mikheyev.case_numbers == ["77617/01"] and mikheyev.target is None
    lugovskikh = index.cites(LUGOVSKIKH, catalogue)
    assert next(c for c in lugovskikh if "Zarechnev" in c.text).target == ZARECHNEV


def test_cited_by(engine) -> None:
    index, catalogue = engine
    citing = {c.id: c for c in index.cited_by(ZARECHNEV, catalogue)}
    assert {LUGOVSKIKH, KAMYSHNIKOV, POLYNTSEV} <= set(citing)
    assert ZARECHNEV not in citing
    assert citing[POLYNTSEV].text == "Zarechnev c. Russie (no 41234/15, 14 mars 2019)"
    assert citing[KAMYSHNIKOV].paragraph == "10"
    with pytest.raises(DocumentNotFound):
        index.cited_by("no-such-id", catalogue)


def test_readonly_open_never_rebuilds(index_dir: Path, tmp_path: Path) -> None:
    copy = tmp_path / "copy"
    shutil.copytree(index_dir, copy)
    files = engine_dir(copy)
    catalogue = Catalogue.open(copy, readonly=True)
    try:
        (files / "SCHEMA_VERSION").write_text(f"{SCHEMA_VERSION - 1}\n")
        with pytest.raises(IndexError_, match="schema version"):
            open_index(copy, catalogue, readonly=True)
        shutil.rmtree(files)
        with pytest.raises(IndexError_, match="no search index"):
            open_index(copy, catalogue, readonly=True)
        assert not files.exists()
    finally:
        catalogue.close()


def test_readonly_catalogue_writes_nothing(index_dir: Path) -> None:
    catalogue = Catalogue.open(index_dir, readonly=True)
    try:
        assert catalogue.count_documents() > 0
        from pipeline.errors import CatalogueError

        # A refused write is one line (CatalogueError), never a half transaction.
        with pytest.raises(CatalogueError, match="readonly"):
            catalogue.mark_all_unindexed()
    finally:
        catalogue.close()


def test_search_retries_after_a_concurrent_commit(engine, monkeypatch) -> None:
    """GIVEN a searcher that fails once as if a segment vanished WHEN searching THEN the search
    is retried with a fresh searcher and succeeds."""
    index, catalogue = engine
    calls = {"n": 0}

    class Flaky:
        """The engine's index, whose first searcher fails (tantivy's objects take no patches)."""

        def __init__(self, ix):
            self.ix = ix

        def searcher(self, *args, **kwargs):
            calls["n"] += 1
            if calls["n"] == 1:
                raise FileNotFoundError("segment gone")
            return self.ix.searcher(*args, **kwargs)

        def __getattr__(self, name):
            return getattr(self.ix, name)

    monkeypatch.setattr(index, "ix", Flaky(index.ix))
    assert run(engine, "пытки").total > 0
    assert calls["n"] >= 1  # the failing searcher was used, and the search still answered


def test_search_time_limit_is_a_query_error(engine, monkeypatch) -> None:
    import sys

    from pipeline.errors import QueryError

    engine_module = sys.modules[type(engine[0]).__module__]
    monkeypatch.setattr(engine_module, "SEARCH_SECONDS", 0.0)
    with pytest.raises(QueryError, match="took too long"):
        run(engine, "", limit=100)


def cli_json(index_dir: Path, *args: str) -> dict:
    result = CliRunner().invoke(cli, [*args, "--index", str(index_dir), "--json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


@pytest.mark.parametrize(
    ("args", "check"),
    [
        (["search", "", "--filter", "state:russia", "--filter", "article:3", "--sort", "newest",
          "--facets"],
         lambda d: d["facets"]["state"][0]["filter"] == "state:russia" and d["sort"] == "newest"
         and d["filters"] == ["state:russia", "article:3"]),
        (["search", "пытки", "--limit", "2", "--page", "2"],
         lambda d: d["page"] == 2 and d["limit"] == 2 and len(d["hits"]) == 2 and d["pages"] >= 2),
        (["similar", ZARECHNEV, "--limit", "3"],
         lambda d: len(d["hits"]) == 3 and ZARECHNEV not in [h["id"] for h in d["hits"]]),
        (["cites", KAMYSHNIKOV],
         lambda d: any(c["target"] == ZARECHNEV for c in d["cites"])),
        (["cited-by", ZARECHNEV],
         lambda d: {LUGOVSKIKH, KAMYSHNIKOV} <= {c["id"] for c in d["cited_by"]}),
    ],
)
def test_cli_json(index_dir: Path, args: list[str], check) -> None:
    assert check(cli_json(index_dir, *args))


@pytest.mark.parametrize(("page", "says"), [
    ("99", "there is no page 99: the results fill"),
    ("1", "documents match"),                     # near miss: a page that exists says nothing of it
])
def test_cli_page_past_the_last_says_so(index_dir: Path, page: str, says: str) -> None:
    result = CliRunner().invoke(cli, ["search", "пытки", "--limit", "2", "--page", page,
                                      "--index", str(index_dir)])
    assert result.exit_code == 0, result.output
    assert says in result.output
    assert "(page 99 of" not in result.output


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["search", ""], "empty query"),
        (["search", '"police custody'], "quotation mark is not closed"),
        (["search", "a*"], "two letters"),
        (["search", "x", "--filter", "date:soon"], "cannot read the date"),
        (["similar", "no-such-id"], "no document"),
        (["cites", "no-such-id"], "no document"),
        (["cited-by", "no-such-id"], "no document"),
    ],
)
def test_cli_errors_are_one_line(index_dir: Path, args: list[str], message: str) -> None:
    result = CliRunner().invoke(cli, [*args, "--index", str(index_dir)])
    assert result.exit_code == 1
    assert message in result.output and "Traceback" not in result.output


def test_cli_text_output_shows_citation_and_facets(index_dir: Path) -> None:
    result = CliRunner().invoke(cli, ["search", "torture", "--facets", "--index", str(index_dir)])
    assert result.exit_code == 0, result.output
    assert "Zarechnev v. Russia, no. 41234/15" in result.stdout
    assert "--filter state:russia" in result.stdout
