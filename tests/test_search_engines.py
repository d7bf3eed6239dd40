"""The engine choice: recorded at creation, honoured later, switched only by reindex; and the
two engines agreeing on the same catalogue. (The search suite itself runs on both engines:
see ``engine_name`` in conftest.py.)"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from test_search import DOCS

from pipeline.catalogue import Catalogue
from pipeline.cli import cli
from pipeline.errors import IndexError_
from pipeline.search import open_index, rebuild_index, recorded_engine

ROOT = Path(__file__).resolve().parent.parent


def invoke(*args: str):
    return CliRunner().invoke(cli, [str(a) for a in args])


def search_ids(index: Path, query: str) -> list[str]:
    result = invoke("search", query, "--index", index, "--json", "--limit", "100")
    assert result.exit_code == 0, result.output
    return [h["id"] for h in json.loads(result.stdout)["hits"]]


@pytest.fixture()
def docs(tmp_path: Path) -> Path:
    src = tmp_path / "docs"
    src.mkdir()
    for name, text in DOCS.items():
        (src / name).write_text(text, encoding="utf-8")
    return src


@pytest.fixture()
def tantivy_index(docs: Path, tmp_path: Path) -> Path:
    index = tmp_path / "index"
    result = invoke("ingest", docs, "--index", index, "--engine", "tantivy", "--jobs", "1")
    assert result.exit_code == 0, result.output
    return index


def test_engine_is_recorded_and_used_without_the_flag(tantivy_index: Path) -> None:
    """GIVEN an index created with --engine tantivy WHEN searching, re-ingesting and asking
    the status without the flag THEN tantivy is used and reported."""
    assert (tantivy_index / "ENGINE").read_text().strip() == "tantivy"
    assert (tantivy_index / "tantivy").is_dir() and not (tantivy_index / "whoosh").exists()
    assert search_ids(tantivy_index, "17280/08")[0] == "petrov"
    status = json.loads(invoke("status", "--index", tantivy_index, "--json").stdout)
    assert status["engine"] == "tantivy"
    assert "search engine: tantivy" in invoke("status", "--index", tantivy_index).stdout
    catalogue = Catalogue.open(tantivy_index, readonly=True)
    try:
        assert type(open_index(tantivy_index, catalogue, readonly=True)).__name__ == "TantivyIndex"
    finally:
        catalogue.close()


def test_ingest_refuses_another_engine(tantivy_index: Path, docs: Path) -> None:
    """GIVEN a tantivy index WHEN ingesting with --engine whoosh THEN one line says how to
    switch, and the index is left as it was."""
    result = invoke("ingest", docs, "--index", tantivy_index, "--engine", "whoosh")
    assert result.exit_code == 1
    assert "uses the tantivy engine" in result.output and "reindex --engine whoosh" in result.output
    assert "Traceback" not in result.output
    assert recorded_engine(tantivy_index) == "tantivy"
    assert invoke("ingest", docs, "--index", tantivy_index, "--engine", "tantivy").exit_code == 0


def test_reindex_switches_engines(tantivy_index: Path) -> None:
    before = {q: sorted(search_ids(tantivy_index, q)) for q in ("пытка", "17280/08", "torture")}
    result = invoke("reindex", "--engine", "whoosh", "--index", tantivy_index)
    assert result.exit_code == 0, result.output
    assert "6 documents indexed (whoosh)" in result.stderr
    assert recorded_engine(tantivy_index) == "whoosh"
    assert not (tantivy_index / "tantivy").exists()
    assert {q: sorted(search_ids(tantivy_index, q)) for q in before} == before
    assert invoke("reindex", "--index", tantivy_index).exit_code == 0
    assert recorded_engine(tantivy_index) == "whoosh"


def test_an_index_from_before_the_choice_is_whoosh(docs: Path, tmp_path: Path) -> None:
    """GIVEN an index made before engines were recorded (a whoosh/ folder, no ENGINE file)
    THEN it opens as Whoosh, and the choice is written down by the next writing command (a
    search writes nothing: it may run on read-only media)."""
    index = tmp_path / "old"
    assert invoke("ingest", docs, "--index", index, "--jobs", "1").exit_code == 0
    (index / "ENGINE").unlink()
    assert recorded_engine(index) == "whoosh"
    assert search_ids(index, "1-123/2020") == ["sentence"]
    assert not (index / "ENGINE").exists()
    assert invoke("ingest", docs, "--index", index, "--jobs", "1").exit_code == 0
    assert (index / "ENGINE").read_text().strip() == "whoosh"


def test_unknown_engine_file_is_one_line(tantivy_index: Path) -> None:
    (tantivy_index / "ENGINE").write_text("lucene\n")
    result = invoke("search", "пытка", "--index", tantivy_index)
    assert result.exit_code == 1
    assert "unknown search engine 'lucene'" in result.output and "Traceback" not in result.output


def test_open_index_refuses_a_contradicting_engine(tantivy_index: Path) -> None:
    catalogue = Catalogue.open(tantivy_index)
    try:
        with pytest.raises(IndexError_, match="reindex --engine whoosh"):
            open_index(tantivy_index, catalogue, engine="whoosh")
        assert open_index(tantivy_index, catalogue, engine="tantivy").doc_count() == len(DOCS)
    finally:
        catalogue.close()


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("title:[a TO c]", "ranges work on date: and year: only"),  # Whoosh has word ranges
        ("*ытка", "may not start"),
        ("the of", "no searchable"),
    ],
)
def test_tantivy_bad_queries_are_one_line(tantivy_index: Path, query: str, message: str) -> None:
    result = invoke("search", query, "--index", tantivy_index)
    assert result.exit_code == 1
    assert message in result.output and "Traceback" not in result.output


def test_tantivy_upsert_replaces_and_delete_removes(tantivy_index: Path) -> None:
    catalogue = Catalogue.open(tantivy_index)
    try:
        index = open_index(tantivy_index, catalogue)
        doc = catalogue.document("petrov")
        batch = index.batch()
        batch.upsert(doc)
        batch.upsert(doc)
        batch.commit()
        assert index.doc_count() == len(DOCS)
        batch = index.batch()
        batch.delete(["petrov"])
        batch.commit()
        assert index.doc_count() == len(DOCS) - 1
        assert "petrov" not in [h.id for h in index.search("17280/08", catalogue).hits]
    finally:
        catalogue.close()


QUERIES = ["пытка", "пыткой", "torture", "tortur*", "17280/08", "1-123/2020", '"police custody"',
           '"police custody"~3', "kind:ru_sentence", "пытка NOT 1-124/2020", "date:2011..2015",
           "traitement inhumain", "the torture", "title:petrov", ""]


def test_engines_agree(tantivy_index: Path, tmp_path: Path) -> None:
    """GIVEN one catalogue indexed by both engines WHEN running the same queries THEN both find
    the same documents, count the same facets and mark the same words in the same passages
    (scores differ: only the order by relevance may)."""
    whoosh_index = tmp_path / "whoosh-copy"
    import shutil

    shutil.copytree(tantivy_index, whoosh_index)
    catalogue = Catalogue.open(whoosh_index)
    try:
        rebuild_index(whoosh_index, catalogue, engine="whoosh")
    finally:
        catalogue.close()
    results = {}
    for index in (tantivy_index, whoosh_index):
        catalogue = Catalogue.open(index, readonly=True)
        try:
            engine = open_index(index, catalogue, readonly=True)
            results[index] = [engine.search(q, catalogue, limit=100, facets=True, sort="oldest")
                              for q in QUERIES]
        finally:
            catalogue.close()
    for query, ours, theirs in zip(QUERIES, results[tantivy_index], results[whoosh_index]):
        assert ours.total == theirs.total, query
        assert [h.id for h in ours.hits] == [h.id for h in theirs.hits], query
        assert ({k: [(c.value, c.count) for c in v] for k, v in ours.facets.items()}
                == {k: [(c.value, c.count) for c in v] for k, v in theirs.facets.items()}), query
        for a, b in zip(ours.hits, theirs.hits):
            assert (a.snippet.marked() if a.snippet else None) == \
                (b.snippet.marked() if b.snippet else None), (query, a.id)
            assert (a.paragraph, a.citation) == (b.paragraph, b.citation)


def test_tantivy_rebuild_in_analysis_processes_equals_one_process(tantivy_index: Path,
                                                                   monkeypatch) -> None:
    """GIVEN one catalogue WHEN tantivy rebuilds it analysing in one process and in a pool of
    two THEN every query finds the same documents with the same scores and facets."""
    from pipeline.search.tantivy import engine as tantivy_engine

    results = []
    for procs in (1, 2):
        monkeypatch.setattr(tantivy_engine, "_rebuild_procs", lambda n: procs)
        if procs > 1:
            # A window smaller than the catalogue, so several windows are in flight.
            monkeypatch.setattr(tantivy_engine, "REBUILD_CHUNK", 1)
        catalogue = Catalogue.open(tantivy_index)
        try:
            engine = tantivy_engine.TantivyIndex.rebuild(tantivy_index, catalogue)
            results.append([(r.total, [(h.id, round(h.score, 5)) for h in r.hits],
                             {k: [(c.value, c.count) for c in v] for k, v in r.facets.items()})
                            for r in (engine.search(q, catalogue, limit=100, facets=True)
                                      for q in QUERIES)])
        finally:
            catalogue.close()
    assert results[0] == results[1]
    assert sum(total for total, _, _ in results[0]) > 0


def test_cli_starts_without_loading_tantivy() -> None:
    code = ("import sys, pipeline.cli, pipeline.search; "
            "print('tantivy' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True,
                         check=True)
    assert out.stdout.strip() == "False"


def test_a_search_skips_modules_whoosh_never_uses_here_and_others_still_get_them() -> None:
    """Whoosh is imported without ``urllib.request`` and ``whoosh.lang.morph_en``
    (search/language/loading.py); later imports get the real modules, and Whoosh's stand-in functions call
    the real ones."""
    code = ("import sys, pipeline.cli, pipeline.search.whoosh.engine, whoosh.compat, "
            "whoosh.query.terms as terms; "
            "print('urllib.request' in sys.modules, 'whoosh.lang.morph_en' in sys.modules); "
            "import urllib.request; print(hasattr(urllib.request, 'urlopen')); "
            "print(sorted(terms.variations('torture'))[:2]); "
            "print(whoosh.compat.urlretrieve.__module__)")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True,
                         check=True)
    assert out.stdout.splitlines() == ["False False", "True", "['torture', 'tortured']",
                                       "pipeline.search.language.loading"]


def test_engine_imports_stay_in_the_search_package() -> None:
    pattern = re.compile(r"^\s*(?:import|from)\s+(?:tantivy|whoosh)\b", re.M)
    outside = [str(path.relative_to(ROOT)) for path in (ROOT / "pipeline").rglob("*.py")
               if "search" not in path.relative_to(ROOT / "pipeline").parts[:1]
               and pattern.search(path.read_text(encoding="utf-8"))]
    assert outside == []
