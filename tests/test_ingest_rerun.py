"""Incremental reruns at scale: what an unchanged, touched or changed file may cost.

The issue "Scale and speed" promises that a rerun over unchanged files does no extraction, no
NLP and no index commit, that a touched file costs a hash, and that a changed file is the only
one parsed. Speed is measured by tools/bench/rerun.py, never asserted here; these tests check
the work done, by counting it, on a few hundred files.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

import pipeline.ingest.executors.local as local_executor
import pipeline.ingest.run as ingest_run
from pipeline.catalogue import Catalogue
from pipeline.ingest import IngestReport, FileOutcome, ingest, walk
from pipeline.search.whoosh.engine import ENGINE_DIR, WhooshIndex

FILES = 120


def _ruling(n: int) -> str:
    """A short fictional ruling with its own case number, so no two files share bytes."""
    if n % 2:
        return (f"Дело № 1-{n}/2025\nП Р И Г О В О Р\nИМЕНЕМ РОССИЙСКОЙ ФЕДЕРАЦИИ\n"
                f"{1 + n % 28} марта 2025 года Ленинский районный суд г. Самары\n"
                "Суд установил, что подсудимый применял насилие к задержанному.\n")
    return (f"CASE OF KOVALENKO v. MOLDOVA\n\n(Application no. {20000 + n}/19)\n\nJUDGMENT\n\n"
            f"{1 + n % 28} March 2025\n\n1. The applicant alleged ill-treatment in custody.\n")


@pytest.fixture()
def ingested(tmp_path: Path) -> tuple[Path, Path, list[Path]]:
    folder, index = tmp_path / "rulings", tmp_path / "index"
    files = []
    for n in range(FILES):
        path = folder / f"part-{n // 50}" / f"ruling-{n:03d}.txt"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(_ruling(n), encoding="utf-8")
        files.append(path)
    report = ingest([folder], index, jobs=2)
    assert report.count("ok") == FILES, [o for o in report.outcomes if o.status != "ok"]
    return folder, index, files


@dataclass
class Work:
    """What one rerun did, counted by wrapping the ingest module's seams."""

    parsed: list[str]
    hashed: list[str]
    writers: int


def _count_work(monkeypatch) -> Work:
    work = Work([], [], 0)
    real_sandbox, real_sha, real_batch = (local_executor.Sandbox, ingest_run.sha256_file,
                                          WhooshIndex.batch)

    class CountingSandbox(real_sandbox):
        def run(self, tasks):
            tasks = list(tasks)
            work.parsed += [Path(t[0]).name for t in tasks]
            return super().run(tasks)

    def sha(path):
        work.hashed.append(Path(path).name)
        return real_sha(path)

    def batch(self):
        work.writers += 1
        return real_batch(self)

    monkeypatch.setattr(local_executor, "Sandbox", CountingSandbox)
    monkeypatch.setattr(ingest_run, "sha256_file", sha)
    monkeypatch.setattr(WhooshIndex, "batch", batch)
    return work


def _index_files(index: Path) -> dict[str, tuple[int, int]]:
    return {p.name: (p.stat().st_size, p.stat().st_mtime_ns)
            for p in sorted((index / ENGINE_DIR).iterdir())}


def _nothing(files: list[Path]) -> None:
    pass


def _touch(files: list[Path]) -> None:
    st = files[7].stat()
    os.utime(files[7], ns=(st.st_atime_ns, st.st_mtime_ns + 10**9))


def _change(files: list[Path]) -> None:
    files[7].write_text(_ruling(7) + "1. A paragraph added on appeal.\n", encoding="utf-8")
    st = files[7].stat()
    os.utime(files[7], ns=(st.st_atime_ns, st.st_mtime_ns + 10**9))


@pytest.mark.parametrize(
    ("change", "parsed", "hashed", "writers", "index_untouched", "statuses"),
    [
        # nothing changed: one stat per file, no parser, no index writer, no index file touched
        (_nothing, [], [], 0, True, {"unchanged": FILES}),
        # same bytes, new mtime (a copy or `touch`): one hash, nothing parsed or indexed
        (_touch, [], ["ruling-007.txt"], 0, True, {"unchanged": FILES}),
        # new bytes: that file alone is parsed and indexed
        (_change, ["ruling-007.txt"], ["ruling-007.txt"], 1, False,
         {"ok": 1, "unchanged": FILES - 1}),
    ],
    ids=["unchanged", "touched", "changed"],
)
def test_a_rerun_does_only_the_work_its_changes_need(
        ingested, monkeypatch, change: Callable[[list[Path]], None], parsed: list[str],
        hashed: list[str], writers: int, index_untouched: bool, statuses: dict[str, int]) -> None:
    folder, index, files = ingested
    change(files)
    before = _index_files(index)
    work = _count_work(monkeypatch)
    report = ingest([folder], index, jobs=2)
    assert (work.parsed, work.hashed, work.writers) == (parsed, hashed, writers)
    assert (_index_files(index) == before) is index_untouched
    found: dict[str, int] = {}
    for outcome in report.outcomes:
        found[outcome.status] = found.get(outcome.status, 0) + 1
    assert found == statuses
    cat = Catalogue.open(index)
    assert cat.count_documents(unindexed_only=True) == 0
    stored = cat.source(str(files[7].absolute()))
    assert (stored.size, stored.mtime_ns) == (files[7].stat().st_size, files[7].stat().st_mtime_ns)
    cat.close()


def test_unchanged_lines_report_the_ids_the_first_run_gave(ingested) -> None:
    """The ids of an unchanged file come from one bulk query now; they must not differ."""
    folder, index, _ = ingested
    cat = Catalogue.open(index)
    expected = {s.path: [d.id for d in cat.documents_for_path(s.path)] for s in cat.sources()}
    cat.close()
    report = ingest([folder], index, jobs=1)
    assert {o.path: o.ids for o in report.outcomes} == expected


def _tree(root: Path) -> None:
    for rel in ["b.txt", "a.txt", "README.md", ".hidden.txt", "sub/z.txt", "sub/deeper/y.txt",
                "Sub2/x.txt", ".git/config.txt"]:
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(rel)
    (root / "link.txt").symlink_to(root / "a.txt")
    (root / "linked-dir").symlink_to(root / "sub", target_is_directory=True)


@pytest.mark.parametrize(
    ("named", "expected"),
    [
        # a folder: its files before its sub-folders, names sorted; hidden entries, README-type
        # files and symlinks left out (the order the os.walk version gave)
        (["."], ["a.txt", "b.txt", "Sub2/x.txt", "sub/z.txt", "sub/deeper/y.txt"]),
        # a file named on the command line is taken even if a folder walk would skip it
        (["README.md", "sub"], ["README.md", "sub/z.txt", "sub/deeper/y.txt"]),
        # a symlink named on the command line is the user's choice: followed
        (["link.txt"], ["link.txt"]),
        # a missing path is passed on, to be reported as not found
        (["gone.txt"], ["gone.txt"]),
    ],
    ids=["folder", "file-and-folder", "named-symlink", "missing"],
)
def test_walk_order_and_skips(tmp_path: Path, named: list[str], expected: list[str]) -> None:
    _tree(tmp_path)
    found = [p.relative_to(tmp_path).as_posix() for p in walk([tmp_path / n for n in named])]
    assert found == [str(Path(e)) for e in expected]


def test_a_later_outcome_for_a_path_replaces_the_earlier_one() -> None:
    report = IngestReport()
    report.add(FileOutcome("/a", "ok"))
    report.add(FileOutcome("/b", "ok"))
    report.add(FileOutcome("/a", "duplicate"))
    assert [(o.path, o.status) for o in report.outcomes] == [("/a", "duplicate"), ("/b", "ok")]


def _new_pipeline_version(monkeypatch, index: Path) -> None:
    monkeypatch.setattr(ingest_run, "PIPELINE_VERSION", ingest_run.PIPELINE_VERSION + "+next")


def _needs_ocr_and_tesseract_appears(monkeypatch, index: Path) -> None:
    cat = Catalogue.open(index)
    with cat.transaction() as conn:
        conn.execute("UPDATE sources SET status='needs-ocr' WHERE path LIKE '%ruling-001.txt'")
    cat.close()
    monkeypatch.setattr(ingest_run, "ocr_available", lambda: True)


@pytest.mark.parametrize(
    ("change", "parsed"),
    [
        # a new pipeline version redoes every file, though none changed on disk
        (_new_pipeline_version, ["ruling-000.txt", "ruling-001.txt", "ruling-002.txt"]),
        # a file waiting for OCR is retried once Tesseract is there, and only that file
        (_needs_ocr_and_tesseract_appears, ["ruling-001.txt"]),
    ],
    ids=["pipeline-version", "needs-ocr-retry"],
)
def test_reasons_to_redo_an_unchanged_file_still_hold(
        tmp_path: Path, monkeypatch, change, parsed: list[str]) -> None:
    """The catalogue is read in one query before planning; what it says must still count."""
    folder, index = tmp_path / "rulings", tmp_path / "index"
    folder.mkdir()
    for n in range(3):
        (folder / f"ruling-{n:03d}.txt").write_text(_ruling(n), encoding="utf-8")
    ingest([folder], index, jobs=1)
    change(monkeypatch, index)
    work = _count_work(monkeypatch)
    report = ingest([folder], index, jobs=1)
    assert sorted(work.parsed) == parsed
    assert {o.status for o in report.outcomes if Path(o.path).name in parsed} == {"ok"}
