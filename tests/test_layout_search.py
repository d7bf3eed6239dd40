"""The search package's layout holds: engines behind one interface, Whoosh loaded only when used.

``precedents status`` and ``show`` read the catalogue only, so on a tantivy index they must not
load Whoosh (nor its patches); ``import pipeline.search`` loads neither engine.
"""

from __future__ import annotations

import json
import pickle
import subprocess
import sys
from pathlib import Path

import pytest

from pipeline.catalogue import Catalogue, Document, Source
from pipeline.search import open_index, rebuild_index
from pipeline.search.interface import Batch, Engine

ROOT = Path(__file__).resolve().parent.parent

#: Prints, after running the CLI with argv, the Whoosh and tantivy modules it imported.
CLI = """
import json, sys
from pipeline.cli import cli
try:
    cli.main(sys.argv[1:], prog_name="precedents", standalone_mode=False)
finally:
    sys.stdout.flush()
    print(json.dumps(sorted(m for m in sys.modules
                            if m.split(".")[0] in ("whoosh", "tantivy")
                            or m.startswith(("pipeline.search.whoosh", "pipeline.search.tantivy",
                                             "pipeline.search.language")))),
          file=sys.stderr)
"""


def _loaded(*argv: str) -> tuple[str, list[str]]:
    """(stdout, engine modules imported) of one CLI run in a fresh interpreter."""
    done = subprocess.run([sys.executable, "-c", CLI, *argv], cwd=ROOT, capture_output=True,
                          text=True, check=True)
    return done.stdout, json.loads(done.stderr.strip().splitlines()[-1])


@pytest.fixture(scope="module")
def tantivy_index(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("layout")
    index_dir = root / "index"
    path = str(root / "zq.txt")
    text = "The applicant zq complained of torture in police custody."
    record = {"kind": "echr_judgment", "title": "CASE OF ZQ v. RUSSIA", "date": "2005-05-05",
              "paragraphs": [], "entities": [], "citations": [], "sections": []}
    catalogue = Catalogue.open(index_dir)
    try:
        catalogue.record_source(
            Source(path=path, sha256="0" * 64, size=len(text), mtime_ns=0, format="txt",
                   status="ok", pipeline_version="test"),
            [Document(id="zq", source_path=path, format="txt", text=text, language="en",
                      title=record["title"], record=record)])
        rebuild_index(index_dir, catalogue, engine="tantivy")
    finally:
        catalogue.close()
    return index_dir


def test_importing_the_search_package_loads_no_engine() -> None:
    code = ("import sys, pipeline.search; "
            "print(sorted(m for m in sys.modules if m.split('.')[0] in ('whoosh', 'tantivy')))")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True,
                         check=True)
    assert out.stdout.strip() == "[]"


@pytest.mark.parametrize("argv", [["status"], ["status", "--json"], ["show", "zq"],
                                  ["show", "zq", "--json"]])
def test_catalogue_commands_on_a_tantivy_index_load_no_whoosh(tantivy_index: Path,
                                                               argv: list[str]) -> None:
    """GIVEN a tantivy index WHEN ``status`` or ``show`` runs THEN it works and no Whoosh (or
    tantivy, or search language) module was imported."""
    stdout, loaded = _loaded(*argv, "--index", str(tantivy_index))
    assert loaded == []
    assert "tantivy" in stdout if argv[0] == "status" else "CASE OF ZQ" in stdout


def test_show_by_path_on_a_tantivy_index_loads_no_whoosh(tantivy_index: Path) -> None:
    stdout, loaded = _loaded("show", str(tantivy_index.parent / "zq.txt"), "--json",
                             "--index", str(tantivy_index))
    assert json.loads(stdout)["id"] == "zq"
    assert loaded == []


def test_a_search_on_a_tantivy_index_installs_no_whoosh_patch(tantivy_index: Path) -> None:
    """Whoosh's analysis and parser are loaded (the shared language), its engine is not."""
    stdout, loaded = _loaded("search", "torture", "--json", "--index", str(tantivy_index))
    assert [h["id"] for h in json.loads(stdout)["hits"]] == ["zq"]
    assert "pipeline.search.tantivy.engine" in loaded
    assert not [m for m in loaded if m.startswith("pipeline.search.whoosh")]


@pytest.mark.parametrize("engine", ["whoosh", "tantivy"])
def test_both_engines_are_the_one_interface(tantivy_index: Path, tmp_path: Path,
                                            engine: str) -> None:
    """GIVEN an index of each engine THEN it is an ``Engine``, its batches are ``Batch``es, and
    the citation graph is the interface's, not the engine's own."""
    import shutil

    index_dir = tmp_path / "index"
    shutil.copytree(tantivy_index, index_dir)
    catalogue = Catalogue.open(index_dir)
    try:
        if engine == "whoosh":
            rebuild_index(index_dir, catalogue, engine="whoosh")
        index = open_index(index_dir, catalogue, readonly=True)
        assert isinstance(index, Engine)
        assert type(index).cites is Engine.cites and type(index).cited_by is Engine.cited_by
        assert index.doc_count() == 1
        assert index.cites("zq", catalogue) == [] and index.cited_by("zq", catalogue) == []
        assert [h.id for h in index.search("torture", catalogue).hits] == ["zq"]
        batch = open_index(index_dir, catalogue).batch()
        assert isinstance(batch, Batch)
        batch.cancel()
    finally:
        catalogue.close()


def test_a_whoosh_index_naming_its_analyzers_by_older_module_paths_opens() -> None:
    """A Whoosh index pickles its schema with its analyzers' module paths: an index whose
    schema names the paths the analysis and the pairs fields had before still loads."""
    from pipeline.search.whoosh import pickled
    from pipeline.search.whoosh.engine import index_schema, install_patches

    data = pickle.dumps(index_schema(), 2)
    for old, module in pickled.PATHS.items():
        current = module.__name__.encode()
        assert current + b"\n" in data
        data = data.replace(current + b"\n", old.encode() + b"\n")
    install_patches()
    assert sorted(pickle.loads(data).names()) == sorted(index_schema().names())
