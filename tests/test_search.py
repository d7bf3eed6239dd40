"""Search: identifiers stay whole, Russian morphology, phrases, errors, and a self-healing index."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import engine_dir

from pipeline.catalogue import Catalogue
from pipeline.cli import cli
from pipeline.errors import QueryError
from pipeline.ingest import ingest
from pipeline.search import open_index
from pipeline.search.language.query import parse_query, rewrite_identifiers
from pipeline.search.language.schema import SCHEMA_VERSION, get_schema

DOCS = {
    "petrov.txt": "CASE OF PETROV v. RUSSIA\n\n(Application no. 17280/08)\n\nJUDGMENT\n\n"
                  "10 March 2011\n\n1. The applicant was beaten in police custody and tortured.\n",
    "citing.txt": "CASE OF IVANOV v. RUSSIA\n\n(Application no. 55555/12)\n\nJUDGMENT\n\n12 April 2015\n\n"
                  "7. See Petrov v. Russia, no. 17280/08, § 40, 10 March 2011, on torture.\n",
    "sentence.txt": "Дело № 1-123/2020\nПРИГОВОР\nСуд установил применение пыток к задержанному.\n",
    "other.txt": "Дело № 1-124/2020\nПОСТАНОВЛЕНИЕ\nНа листе 123 отражены следы пыток; пытка доказана.\n",
    "forms.txt": "ОПРЕДЕЛЕНИЕ\nДоводы о пытке и пытками проверены судом апелляционной инстанции.\n",
    "fr.txt": "AFFAIRE DUPONT c. FRANCE\n\n(Requête no 33333/10)\n\nLe requérant a subi des "
              "traitements inhumains et dégradants en garde à vue.\n",
}


@pytest.fixture(scope="module")
def index_dir(tmp_path_factory, engine_name: str) -> Path:
    """The documents above, ingested with each engine in turn (``--engine`` of a new index)."""
    root = tmp_path_factory.mktemp("search")
    src = root / "docs"
    src.mkdir()
    for name, text in DOCS.items():
        (src / name).write_text(text, encoding="utf-8")
    report = ingest([src], root / "index", jobs=2, engine=engine_name)
    assert report.failed == 0
    return root / "index"


def search(index_dir: Path, query: str) -> dict:
    result = CliRunner().invoke(cli, ["search", query, "--index", str(index_dir), "--json"])
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


def ids(data: dict) -> list[str]:
    return [h["id"] for h in data["hits"]]


@pytest.mark.parametrize(
    ("query", "expected_first", "expected_all"),
    [
        ("17280/08", "petrov", {"petrov", "citing"}),
        ("1-123/2020", "sentence", {"sentence"}),
        ("1-124/2020", "other", {"other"}),
        ("пытка", None, {"sentence", "other", "forms"}),
        ("пыток", None, {"sentence", "other", "forms"}),
        ("пыткой", None, {"sentence", "other", "forms"}),
        ("tortures", None, {"petrov", "citing"}),
        ('"police custody"', "petrov", {"petrov"}),
        ('"custody police"', None, set()),
        ("torture beaten", "petrov", {"petrov"}),
        ("traitement inhumain", "fr", {"fr"}),
        ("the torture", None, {"petrov", "citing"}),
        ("kind:ru_sentence", "sentence", {"sentence"}),
        # operators, wildcards, ranges: translated from the one parser's tree by every engine
        ("tortur*", None, {"petrov", "citing"}),
        ("пытк*", None, {"sentence", "other", "forms"}),
        ("tor?ure", None, {"petrov", "citing"}),
        ("пытка NOT 1-124/2020", None, {"sentence", "forms"}),
        ("пытка AND NOT kind:ru_sentence", None, {"other", "forms"}),
        ("traitements OR 1-123/2020", None, {"fr", "sentence"}),
        ("(torture OR inhumain) date:2011..2015", None, {"petrov", "citing"}),
        ("torture date:2012..", "citing", {"citing"}),
        ('"beaten police"~2', "petrov", {"petrov"}),
        ('"police beaten"~5', None, set()),  # proximity keeps the order
        ('"applicant custody"~4', "petrov", {"petrov"}),
        ('"applicant custody"~3', None, set()),
        ("torture^3 ANDMAYBE custody", "petrov", {"petrov", "citing"}),
        ("title:petrov", "petrov", {"petrov"}),
        ("format:txt kind:ru_sentence", "sentence", {"sentence"}),
    ],
)
def test_queries(index_dir: Path, query: str, expected_first: str | None, expected_all: set[str]) -> None:
    data = search(index_dir, query)
    assert set(ids(data)) == expected_all
    assert data["total"] == len(expected_all)
    if expected_first:
        assert ids(data)[0] == expected_first


def test_case_number_does_not_match_its_parts(index_dir: Path) -> None:
    """GIVEN a ruling with only "1-124/2020" and "123" WHEN searching "1-123/2020" THEN it is not found."""
    assert "other" not in ids(search(index_dir, "1-123/2020"))


def test_hits_carry_the_contract_fields_and_a_highlighted_snippet(index_dir: Path) -> None:
    data = search(index_dir, "пыток")
    assert set(data) >= {"query", "total", "hits"}
    hit = data["hits"][0]
    assert set(hit) >= {"id", "title", "date", "court", "kind", "language", "score", "snippet"}
    assert "**" in hit["snippet"]


def test_header_fields_are_read(index_dir: Path) -> None:
    hit = search(index_dir, "17280/08")["hits"][0]
    assert (hit["title"], hit["date"], hit["kind"], hit["language"]) == (
        "CASE OF PETROV v. RUSSIA", "2011-03-10", "echr_judgment", "en")


@pytest.mark.parametrize(
    ("query", "message"),
    [("", "empty query"), ("*ытка", "may not start"), ("x" * 2000, "too long"), ("the of", "no searchable")],
)
def test_bad_queries_are_one_line_errors(index_dir: Path, query: str, message: str) -> None:
    result = CliRunner().invoke(cli, ["search", query, "--index", str(index_dir)])
    assert result.exit_code == 1
    assert message in result.output and "Traceback" not in result.output


def test_identifiers_inside_quotes_are_left_alone() -> None:
    assert rewrite_identifiers('"no. 17280/08"') == ('"no. 17280/08"', [])


def test_parse_query_rejects_leading_wildcards() -> None:
    with pytest.raises(QueryError):
        parse_query("?ortur", get_schema())


def _copy_index(index_dir: Path, tmp_path: Path) -> Path:
    import shutil

    target = tmp_path / "copy"
    shutil.copytree(index_dir, target)
    return target


def test_schema_version_mismatch_is_rebuilt_by_the_next_writer(index_dir: Path,
                                                               tmp_path: Path) -> None:
    """A search never rebuilds (it may run beside an ingest): it names `precedents reindex`;
    the next writing command rebuilds the index, with a notice."""
    copy = _copy_index(index_dir, tmp_path)
    sidecar = engine_dir(copy) / "SCHEMA_VERSION"
    current = sidecar.read_text()
    sidecar.write_text(f"{SCHEMA_VERSION - 1}\n")
    result = CliRunner().invoke(cli, ["search", "пытка", "--index", str(copy), "--json"])
    assert result.exit_code == 1
    assert "schema version" in result.output and "precedents reindex" in result.output
    empty = tmp_path / "nothing-new"
    empty.mkdir()
    result = CliRunner().invoke(cli, ["ingest", str(empty), "--index", str(copy)])
    assert result.exit_code == 0
    assert "schema version" in result.stderr and "rebuilding" in result.stderr
    assert search(copy, "пытка")["total"] == 3
    assert sidecar.read_text() == current


@pytest.mark.parametrize("damage", ["delete", "garble"])
def test_damaged_or_missing_index_is_rebuilt_from_the_catalogue(index_dir: Path, tmp_path: Path, damage: str) -> None:
    copy = _copy_index(index_dir, tmp_path)
    files = engine_dir(copy)
    if damage == "delete":
        import shutil

        shutil.rmtree(files)
    else:
        # Whoosh's table of contents, tantivy's segment list: the file naming every other.
        for toc in [*files.glob("*.toc"), *files.glob("meta.json")]:
            toc.write_bytes(b"garbage")
    refused = CliRunner().invoke(cli, ["search", "17280/08", "--index", str(copy)])
    assert refused.exit_code == 1 and "precedents reindex" in refused.output
    assert CliRunner().invoke(cli, ["reindex", "--index", str(copy)]).exit_code == 0
    data = search(copy, "17280/08")
    assert ids(data)[0] == "petrov"


def test_reindex_runs_no_extraction(index_dir: Path, tmp_path: Path, monkeypatch) -> None:
    copy = _copy_index(index_dir, tmp_path)
    import pipeline.extract as extract

    monkeypatch.setattr(extract, "extract_file", lambda *a, **k: pytest.fail("extraction ran"))
    result = CliRunner().invoke(cli, ["reindex", "--index", str(copy)])
    assert result.exit_code == 0, result.output
    assert "6 documents indexed" in result.stderr
    assert ids(search(copy, "1-123/2020")) == ["sentence"]


def test_index_holds_one_entry_per_document(index_dir: Path) -> None:
    cat = Catalogue.open(index_dir)
    try:
        assert open_index(index_dir, cat).doc_count() == cat.count_documents() == len(DOCS)
    finally:
        cat.close()


def test_undated_documents_count_in_no_year(index_dir: Path) -> None:
    """GIVEN rulings without a date WHEN counting facets THEN no year is made up for them
    (Whoosh's column default once showed as the year 2147483647)."""
    result = CliRunner().invoke(cli, ["search", "пытка", "--facets", "--json",
                                      "--index", str(index_dir)])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["total"] == 3 and data["facets"]["year"] == []
