"""Readers beside writers, and an index that lags its catalogue or sits on read-only media.

The catalogue is the source of truth and the search index is derived from it; these tests
guard the moments the two disagree:

* a read (``search``, ``similar``, ``cites``, ``cited-by``) never rebuilds nor swaps the index
  (it would pull the directory from under a running ingest): it serves what is there and says
  the index lags;
* a writing command (``import``, ``ingest``, ``reindex``) catches the index up with catalogue
  documents a killed run left unindexed, and the readers say so until then;
* an export reads one snapshot of the catalogue, whatever an ingest commits meanwhile;
* an index on read-only media is read (``mode=ro``/``immutable``), and writing into it is
  refused in one line.

The indexes are built straight from catalogue rows (no extraction, no NLP): seconds, not minutes.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from pipeline.catalogue import Catalogue, Document, Source, text_sha256
from pipeline.cli import cli
from pipeline.exchange import export_bundle
from pipeline.exchange.bundle import MANIFEST
from pipeline.ingest import ingest_lock
from pipeline.search import rebuild_index, recorded_engine

ROOT = Path(__file__).resolve().parent.parent

DOCS_A = {
    "petrov": "CASE OF PETROV v. RUSSIA. The applicant was tortured in police custody.",
    "ivanov": "CASE OF IVANOV v. RUSSIA. See Petrov v. Russia on torture in custody.",
    "dupont": "AFFAIRE DUPONT c. FRANCE. Le requérant a subi des traitements inhumains.",
}
DOCS_B = {
    "sidorov": "CASE OF SIDOROV v. UKRAINE. The applicant complained of a quixblort search.",
}


def add_documents(catalogue: Catalogue, docs: dict[str, str], folder: str = "/nowhere") -> None:
    for doc_id, text in docs.items():
        path = f"{folder}/{doc_id}.txt"
        catalogue.record_source(
            Source(path=path, sha256=text_sha256(text), size=len(text), mtime_ns=0,
                   format="txt", status="ok", pipeline_version="test"),
            [Document(id=doc_id, source_path=path, format="txt", text=text, language="en",
                      title=text.split(".")[0])])


def build(index: Path, docs: dict[str, str], engine: str = "whoosh") -> Path:
    catalogue = Catalogue.open(index)
    try:
        add_documents(catalogue, docs)
        rebuild_index(index, catalogue, engine=engine)
    finally:
        catalogue.close()
    return index


def invoke(*args: str):
    return CliRunner().invoke(cli, list(args))


def tree(directory: Path) -> dict[str, tuple[int, int]]:
    """Every file of a directory with its inode and mtime: any swap or rewrite changes it.
    SQLite's ``-wal``/``-shm`` files are left out: a reader may create them where it can."""
    return {str(p.relative_to(directory)): (p.stat().st_ino, p.stat().st_mtime_ns)
            for p in sorted(directory.rglob("*")) if not p.name.endswith(("-wal", "-shm"))
            } | {".": (directory.stat().st_ino, 0)}


# -- 1. a read never rebuilds nor swaps the index ----------------------------------------------

READS = [
    ("search", ["search", "custody", "--json"]),
    ("similar", ["similar", "ivanov", "--json"]),
    ("cites", ["cites", "ivanov", "--json"]),
    ("cited-by", ["cited-by", "petrov", "--json"]),
]


@pytest.mark.parametrize("engine", ["whoosh", "tantivy"])
@pytest.mark.parametrize("name, args", READS, ids=[r[0] for r in READS])
def test_a_read_beside_an_ingest_serves_the_index_as_it_is(tmp_path: Path, engine: str,
                                                            name: str, args: list[str]) -> None:
    """GIVEN an index holding a document the catalogue no longer has (as during
    ``ingest --prune``) and an ingest holding the lock WHEN a read runs THEN it answers from the
    index as it is, says the index lags and how to fix it, and leaves the directory untouched
    (a rebuild swapped it, and the running ingest died on a vanished segment)."""
    index = build(tmp_path / "index", DOCS_A | DOCS_B, engine)
    catalogue = Catalogue.open(index)
    try:
        catalogue.remove_source("/nowhere/sidorov.txt")
    finally:
        catalogue.close()
    engine_dir = index / engine
    before = tree(engine_dir)
    with ingest_lock(index):
        result = invoke(*args, "--index", str(index))
    assert result.exit_code == 0, result.output
    assert "rebuilding" not in result.stderr
    assert "lags" in result.stderr and "precedents reindex" in result.stderr
    assert tree(engine_dir) == before
    assert not (index / f"{engine}.new").exists()
    json.loads(result.stdout)


def test_a_read_of_a_consistent_index_prints_no_notice(tmp_path: Path) -> None:
    index = build(tmp_path / "index", DOCS_A)
    result = invoke("search", "custody", "--index", str(index), "--json")
    assert result.exit_code == 0 and result.stderr == ""
    assert {h["id"] for h in json.loads(result.stdout)["hits"]} == {"petrov", "ivanov"}


@pytest.mark.parametrize("damage", ["missing", "garbled", "old schema"])
def test_a_read_that_cannot_use_the_index_says_what_to_run_and_writes_nothing(
        tmp_path: Path, damage: str) -> None:
    """GIVEN a catalogue with documents and no usable index WHEN searched THEN one line names
    `precedents reindex`, nothing is written, and the next writing command rebuilds it."""
    index = build(tmp_path / "index", DOCS_A)
    files = index / "whoosh"
    if damage == "missing":
        shutil.rmtree(files)
    elif damage == "garbled":
        for toc in files.glob("*.toc"):
            toc.write_bytes(b"garbage")
    else:
        (files / "SCHEMA_VERSION").write_text("0.0\n")
    before = tree(index)
    result = invoke("search", "custody", "--index", str(index))
    assert result.exit_code == 1
    assert "precedents reindex" in result.output and "Traceback" not in result.output
    assert len(result.output.strip().splitlines()) == 1
    assert tree(index) == before
    assert invoke("reindex", "--index", str(index)).exit_code == 0
    result = invoke("search", "custody", "--index", str(index), "--json")
    assert len(json.loads(result.stdout)["hits"]) == 2


# -- 2. an import killed after its catalogue commit --------------------------------------------

def _cli_env(**extra: str) -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(ROOT), "PRECEDENTS_NO_PROGRESS": "1", **extra}


def _cli(*args: str, **env: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "pipeline", *args], capture_output=True,
                          text=True, env=_cli_env(**env), timeout=300)


@pytest.fixture()
def half_imported(tmp_path: Path) -> tuple[Path, Path]:
    """Index B after an import of A's bundle was killed just after its catalogue commit."""
    bundle = tmp_path / "a.zip"
    export_bundle(bundle, build(tmp_path / "a", DOCS_A))
    index_b = build(tmp_path / "b", DOCS_B)
    killed = _cli("import", str(bundle), "--index", str(index_b),
                  PRECEDENTS_FAULT="catalogue.after_commit")
    assert killed.returncode == -9, killed.stderr
    return bundle, index_b


def _hits(index: Path, query: str) -> tuple[set[str], str]:
    result = invoke("search", query, "--index", str(index), "--json")
    assert result.exit_code == 0, result.output
    return {h["id"] for h in json.loads(result.stdout)["hits"]}, result.stderr


@pytest.mark.parametrize("repair", ["import again", "ingest", "reindex"])
def test_a_killed_import_is_caught_up_by_the_next_writing_command(
        half_imported: tuple[Path, Path], tmp_path: Path, repair: str) -> None:
    """GIVEN an import killed right after its catalogue commit THEN `status`, `search` and the
    page say the index lags, AND the next import (which adds nothing), ingest or reindex
    makes the imported documents searchable."""
    bundle, index = half_imported
    status = invoke("status", "--index", str(index), "--json")
    assert json.loads(status.stdout)["documents"] == 4
    assert json.loads(status.stdout)["unindexed"] == 3
    text = invoke("status", "--index", str(index))
    assert "3 documents are not in the search index" in text.output
    found, notice = _hits(index, "custody")
    assert found == set() and "lags" in notice

    from fastapi.testclient import TestClient

    from pipeline.web import create_app

    client = TestClient(create_app(index), base_url="http://127.0.0.1")
    page = client.get("/search", params={"q": "custody"})
    assert page.status_code == 200 and "not in the search index" in page.text
    assert "lags" in client.get("/api/search", params={"q": "custody"}).headers["x-index-lag"]

    if repair == "import again":
        again = invoke("import", str(bundle), "--index", str(index), "--json")
        assert again.exit_code == 0, again.output
        assert json.loads(again.stdout)["added"] == []
    elif repair == "ingest":
        empty = tmp_path / "nothing-new"
        empty.mkdir()
        assert invoke("ingest", str(empty), "--index", str(index)).exit_code == 0
    else:
        assert invoke("reindex", "--index", str(index)).exit_code == 0
    found, notice = _hits(index, "custody")
    assert found == {"petrov", "ivanov"} and notice == ""
    assert json.loads(invoke("status", "--index", str(index), "--json").stdout)["unindexed"] == 0
    assert "x-index-lag" not in client.get("/api/search", params={"q": "custody"}).headers


# -- 3. an export reads one snapshot ----------------------------------------------------------

def test_export_beside_an_ingest_lists_each_document_once(tmp_path: Path, monkeypatch) -> None:
    """GIVEN an ingest that re-records a source (its documents get new rows) and adds a new one
    while an export is reading WHEN the export finishes THEN it lists every document once, as
    the catalogue was when it started, and the bundle imports."""
    index = build(tmp_path / "index", DOCS_A)
    real_source = Catalogue.source
    writes = []

    def source_with_a_concurrent_ingest(self, path):
        if not writes and self.path.parent == index:
            writer = Catalogue.open(index)
            try:
                add_documents(writer, {"petrov": DOCS_A["petrov"] + " Re-ingested."})
                add_documents(writer, {"newcomer": "CASE OF NEWCOMER v. RUSSIA. Custody."})
            finally:
                writer.close()
            writes.append(path)
        return real_source(self, path)

    monkeypatch.setattr(Catalogue, "source", source_with_a_concurrent_ingest)
    bundle = tmp_path / "out.zip"
    report = export_bundle(bundle, index)
    assert writes
    with zipfile.ZipFile(bundle) as archive:
        manifest = json.loads(archive.read(MANIFEST))
    ids = [d["id"] for d in manifest["documents"]]
    assert sorted(ids) == sorted(DOCS_A) and report.documents == 3
    monkeypatch.setattr(Catalogue, "source", real_source)
    target = build(tmp_path / "target", DOCS_B)
    result = invoke("import", str(bundle), "--index", str(target), "--json")
    assert result.exit_code == 0, result.output
    assert sorted(json.loads(result.stdout)["added"]) == sorted(DOCS_A)


# -- 8. an index on read-only media ------------------------------------------------------------

#: Capabilities that let root ignore permission bits (prctl PR_CAPBSET_DROP numbers):
#: CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH, CAP_FOWNER.
ROOT_OVERRIDES = (1, 2, 3)
PR_CAPBSET_DROP = 24


@pytest.fixture(params=["whoosh", "tantivy"])
def readonly_index(tmp_path: Path, request) -> Iterator[Path]:
    """An index made read-only (files 0444, folders 0555). Root ignores permission bits, so
    ``_as_reader`` runs the commands without the capabilities that let it: a real permission
    check by the kernel either way, not a simulation in the code under test."""
    index = build(tmp_path / "index", DOCS_A, request.param)
    (tmp_path / "new-docs").mkdir()
    (tmp_path / "new-docs" / "x.txt").write_text("CASE OF X v. RUSSIA. Torture.\n")
    export_bundle(tmp_path / "b.zip", build(tmp_path / "other", DOCS_B))
    for path in [index, *index.rglob("*")]:
        path.chmod(0o555 if path.is_dir() else 0o444)
    try:
        yield index
    finally:
        for path in [index, *index.rglob("*")]:
            if path.is_dir():
                path.chmod(0o755)


def _drop_root_overrides() -> None:
    import ctypes

    libc = ctypes.CDLL(None, use_errno=True)
    for cap in ROOT_OVERRIDES:
        if libc.prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) != 0:
            raise OSError(ctypes.get_errno(), "prctl(PR_CAPBSET_DROP)")


def _as_reader(*argv: str, code: str | None = None) -> subprocess.CompletedProcess:
    """Run the CLI (or a Python snippet) as a process that cannot write the read-only index."""
    command = [sys.executable, "-c", code] if code else [sys.executable, "-m", "pipeline", *argv]
    try:
        return subprocess.run(command, capture_output=True, text=True, timeout=300,
                              env=_cli_env(PYTHONDONTWRITEBYTECODE="1"),
                              preexec_fn=_drop_root_overrides if os.geteuid() == 0 else None)
    except subprocess.SubprocessError as exc:  # a container that denies CAP_SETPCAP
        pytest.skip(f"cannot drop root's permission overrides here: {exc}")


@pytest.mark.parametrize("args, expected", [
    (["status", "--json"], '"documents": 3'),
    (["search", "custody", "--json"], '"id": "petrov"'),
    (["show", "petrov", "--json"], '"id": "petrov"'),
    (["similar", "ivanov", "--json"], '"hits"'),
    (["cites", "ivanov", "--json"], '"cites"'),
    (["export", "{folder}/out.zip", "--filter", "custody", "--json"], '"documents": 2'),
], ids=["status", "search", "show", "similar", "cites", "export"])
def test_a_read_only_index_can_be_read(readonly_index: Path, args: list[str],
                                       expected: str) -> None:
    before = tree(readonly_index)
    folder = str(readonly_index.parent)
    result = _as_reader(*[a.format(folder=folder) for a in args], "--index", str(readonly_index))
    assert result.returncode == 0, result.stderr
    assert expected in result.stdout
    assert "lags" not in result.stderr
    assert tree(readonly_index) == before


def test_a_read_only_index_can_be_served(readonly_index: Path) -> None:
    code = ("from fastapi.testclient import TestClient\n"
            "from pipeline.web import create_app\n"
            f"c = TestClient(create_app({str(readonly_index)!r}), base_url='http://127.0.0.1')\n"
            "print(c.get('/api/search', params={'q': 'custody'}).status_code,"
            " c.get('/documents/petrov').status_code, c.get('/search?q=custody').status_code)\n")
    result = _as_reader(code=code)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["200", "200", "200"]


@pytest.mark.parametrize("verb, args", [
    ("ingest", ["ingest", "{folder}/new-docs"]),
    ("import", ["import", "{folder}/b.zip"]),
    ("reindex", ["reindex"]),
], ids=["ingest", "import", "reindex"])
def test_writing_into_a_read_only_index_is_one_line(readonly_index: Path, verb: str,
                                                     args: list[str]) -> None:
    before = tree(readonly_index)
    folder = str(readonly_index.parent)
    result = _as_reader(*[a.format(folder=folder) for a in args], "--index", str(readonly_index))
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert f"{readonly_index}: read-only" in result.stderr
    assert f"cannot {verb}" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr
    assert tree(readonly_index) == before
