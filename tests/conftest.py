"""Shared fixtures: where the real corpora are, and how to need a system tool.

Under ``CI=true`` a missing ``../shared/corpora`` or a missing system package is a failure, not a
skip, so a green CI run really exercised the real documents and Tesseract.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared" / "corpora"
FIXTURES = Path(__file__).resolve().parent / "fixtures"
IN_CI = os.environ.get("CI", "").lower() == "true"
# A new index gets the meaning layer by default; the tests that are about the layer ask for it
# (--meaning) or unset this, and the others do not spend minutes embedding what they never
# search by meaning. Subprocesses inherit it.
os.environ["PRECEDENTS_MEANING"] = "off"


def need(condition: bool, message: str) -> None:
    """Skip with ``message`` when ``condition`` is false; under CI=true, fail instead."""
    if condition:
        return
    if IN_CI:
        pytest.fail(f"required under CI=true: {message}")
    pytest.skip(message)


@pytest.fixture(scope="session")
def shared_corpora() -> Path:
    """The real documents in ../shared/corpora (never copied into the project)."""
    need((SHARED / "MANIFEST.tsv").is_file(), f"real corpora not found at {SHARED}")
    return SHARED


def system_packages() -> list[str]:
    """The Debian packages of tools/system-packages.txt, the list `make test` installs as root."""
    lines = (ROOT / "tools" / "system-packages.txt").read_text(encoding="utf-8").splitlines()
    return [name for line in lines if (name := line.split("#", 1)[0].strip())]


def install_hint() -> str:
    """The one line that installs every system package, as `make test` prints it."""
    return "run as root: apt-get install -y --no-install-recommends " + " ".join(system_packages())


def need_binary(name: str, package: str) -> str:
    """Return the path of a system program, skipping (or failing under CI) when it is absent."""
    found = shutil.which(name)
    need(found is not None, f"{name} not installed (Debian package {package}); {install_hint()}")
    return found  # type: ignore[return-value]


def need_ocr() -> None:
    """Skip (fail under CI) unless Tesseract reads Russian, English and French: the sample corpus
    holds a scan, so a test that counts its documents needs OCR."""
    from pipeline.extract import ocr

    need(ocr.available() and {"rus", "eng", "fra"} <= ocr.installed_languages(),
         f"Tesseract with rus, eng and fra needed to OCR the sample scan; {install_hint()}")


@pytest.fixture(scope="session")
def fixtures_dir() -> Path:
    return FIXTURES


# -- search engines ------------------------------------------------------------------------
# Both engines pass the same search tests: a module's index fixture depends on ``engine_name``,
# so every test over it runs once per engine. The documents are ingested once (Whoosh); the
# tantivy index is rebuilt from that catalogue, which runs no extraction and takes seconds.

ENGINE_NAMES = ("whoosh", "tantivy")


@pytest.fixture(scope="module", params=ENGINE_NAMES)
def engine_name(request) -> str:
    """The search engine this module's index uses (each module runs once per engine)."""
    return request.param


def index_with_engine(index_dir: Path, engine: str, tmp_root: Path) -> Path:
    """``index_dir`` itself when it uses ``engine``, else a copy rebuilt with ``engine``."""
    from pipeline.catalogue import Catalogue
    from pipeline.search import rebuild_index, recorded_engine

    if recorded_engine(index_dir) == engine:
        return index_dir
    target = tmp_root / f"index-{engine}"
    shutil.copytree(index_dir, target)
    catalogue = Catalogue.open(target)
    try:
        rebuild_index(target, catalogue, engine=engine)
    finally:
        catalogue.close()
    return target


def engine_dir(index_dir: Path) -> Path:
    """The directory of the engine's files inside an index directory."""
    from pipeline.search import recorded_engine

    return index_dir / recorded_engine(index_dir)


#: The sample documents the desk's tests check drafts and build case files against: a Chamber
#: judgment (DOCX, 28 numbered paragraphs), a HUDOC JSON record (17 paragraphs), a Russian
#: sentence and a Russian appeal ruling (which reviews case no. 1-124/2020, a number it holds
#: but is not its own).
DESK_SAMPLES = ("echr_en_chamber_zarechnev_v_russia_41234-15.docx",
                "hudoc_record_001-999001_kamyshnikov_v_russia.json",
                "ru_prigovor_286_zarechny_cp1251.txt",
                "ru_apelljacionnoe_opredelenie_sudrf_22-1456-2021.html")


@pytest.fixture(scope="session")
def desk_index(tmp_path_factory) -> Path:
    """``DESK_SAMPLES`` ingested once for the run; a test that writes (a case file) copies it."""
    from pipeline.ingest import ingest

    folder = tmp_path_factory.mktemp("desk-samples")
    for name in DESK_SAMPLES:
        shutil.copy(ROOT / "corpora" / name, folder / name)
    index = folder.parent / (folder.name + "-index")
    report = ingest([folder], index, jobs=1)
    assert report.failed == 0, report.to_json()
    return index


@pytest.fixture(scope="session")
def sample_index(tmp_path_factory) -> Path:
    """The sample corpus ingested once for the whole run, for tests that only read it (export,
    anonymisation); a test that changes an index works on its own copy or its own ingest."""
    from pipeline.ingest import ingest

    need_ocr()
    index = tmp_path_factory.mktemp("sample-shared") / "index"
    report = ingest([ROOT / "corpora"], index, jobs=2)
    assert report.failed == 0
    return index


def index_of_records(tmp_path: Path, records: dict[str, dict], engine: str | None = None) -> Path:
    """An index of ``records`` written straight into a new catalogue under ``tmp_path`` (no
    parsing, no NLP), each record's ``text`` and ``language`` (default English) taken out of
    it; built by ``engine`` (the default engine when None)."""
    from pipeline.catalogue import Catalogue, Document, Source
    from pipeline.search import rebuild_index

    index_dir = tmp_path / "index"
    catalogue = Catalogue.open(index_dir)
    try:
        for n, (doc_id, record) in enumerate(records.items()):
            record = dict(record)
            text = record.pop("text")
            language = record.pop("language", "en")
            path = str(tmp_path / f"{doc_id}.txt")
            catalogue.record_source(
                Source(path=path, sha256=f"{n:064d}", size=len(text), mtime_ns=0, format="txt",
                       status="ok", pipeline_version="test"),
                [Document(id=doc_id, source_path=path, format="txt", text=text,
                          language=language, title=record["title"], record=record)])
        if engine is None:
            rebuild_index(index_dir, catalogue)
        else:
            rebuild_index(index_dir, catalogue, engine=engine)
    finally:
        catalogue.close()
    return index_dir
