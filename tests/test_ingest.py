"""Ingest end to end: statuses, incremental reruns, duplicates, pruning, bad input, limits."""

from __future__ import annotations

import json
import os
import shutil
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from pipeline.catalogue import Catalogue
from pipeline.cli import cli
from pipeline.ingest import ingest
from tools.suites.hostile import pdf_bomb, pdf_endless  # the hostile-input suite's builders

FIXTURES = Path(__file__).parent / "fixtures"

RULING_EN = (
    "CASE OF PETROV v. RUSSIA\n\n(Application no. 17280/08)\n\nJUDGMENT\n\nSTRASBOURG\n\n"
    "10 March 2011\n\n1. The applicant alleged that he had been tortured in police custody.\n\n"
    "2. The Court finds a violation of Article 3 of the Convention.\n"
)
RULING_RU = (
    "Дело № 1-123/2020\nП Р И Г О В О Р\nИМЕНЕМ РОССИЙСКОЙ ФЕДЕРАЦИИ\n"
    "12 марта 2020 года Советский районный суд г. Казани\n"
    "Суд установил, что подсудимые применяли пытки к задержанному.\n"
)


def run(args: list[str]):
    return CliRunner().invoke(cli, args, catch_exceptions=False)


@pytest.fixture()
def folder(tmp_path: Path) -> Path:
    src = tmp_path / "rulings"
    src.mkdir()
    (src / "petrov.txt").write_text(RULING_EN, encoding="utf-8")
    (src / "prigovor.txt").write_bytes(RULING_RU.replace("\n", "\r\n").encode("cp1251"))
    (src / "README.md").write_text("about this folder")  # describes the folder: skipped
    return src


def test_ingest_then_rerun_is_all_unchanged(folder: Path, tmp_path: Path) -> None:
    index = tmp_path / "index"
    first = run(["ingest", str(folder), "--index", str(index), "--json"])
    assert first.exit_code == 0, first.output
    data = json.loads(first.stdout)
    assert (data["ingested"], data["unchanged"], data["failed"]) == (2, 0, 0)
    assert {d["status"] for d in data["documents"]} == {"ok"}
    assert all(set(d) >= {"path", "id", "status", "error"} for d in data["documents"])

    second = json.loads(run(["ingest", str(folder), "--index", str(index), "--json"]).stdout)
    assert (second["ingested"], second["unchanged"], second["failed"]) == (0, 2, 0)
    assert {d["status"] for d in second["documents"]} == {"unchanged"}


def test_rerun_does_no_extraction(folder: Path, tmp_path: Path, monkeypatch) -> None:
    """GIVEN an ingested folder WHEN it is ingested again THEN no file reaches a parser."""
    index = tmp_path / "index"
    ingest([folder], index, jobs=1)
    import pipeline.ingest.executors.local as local_executor

    class NoSandbox:
        def __init__(self, *a, **k):
            raise AssertionError("a parser was started for unchanged files")

    monkeypatch.setattr(local_executor, "Sandbox", NoSandbox)
    report = ingest([folder], index, jobs=1)
    assert report.count("unchanged") == 2


def test_changed_file_replaces_its_entry_and_keeps_its_id(folder: Path, tmp_path: Path) -> None:
    index = tmp_path / "index"
    first = ingest([folder], index, jobs=1)
    ids = {o.path: o.ids for o in first.outcomes}
    target = folder / "petrov.txt"
    target.write_text(RULING_EN.replace("police custody", "a pre-trial detention centre"))
    os.utime(target, ns=(time.time_ns(), time.time_ns() + 10**9))
    second = ingest([folder], index, jobs=1)
    changed = [o for o in second.outcomes if o.status == "ok"]
    assert [o.path for o in changed] == [str(target.absolute())]
    assert changed[0].ids == ids[str(target.absolute())]
    cat = Catalogue.open(index)
    assert "pre-trial detention centre" in cat.document(changed[0].ids[0]).text
    cat.close()


def test_same_bytes_under_two_paths_are_indexed_once(folder: Path, tmp_path: Path) -> None:
    shutil.copy(folder / "petrov.txt", folder / "petrov-copy.txt")
    report = ingest([folder], tmp_path / "index", jobs=1)
    assert report.count("duplicate") == 1
    cat = Catalogue.open(tmp_path / "index")
    assert cat.count_documents() == 2
    cat.close()


def test_status_names_the_file_each_duplicate_repeats(folder: Path, tmp_path: Path) -> None:
    """GIVEN the same bytes under two names WHEN `status` runs THEN the duplicate is listed with
    the copy that is indexed, in the table and in --json."""
    shutil.copy(folder / "petrov.txt", folder / "zz-copy.txt")
    ingest([folder], tmp_path / "index", jobs=1)
    index = str(tmp_path / "index")
    data = json.loads(CliRunner().invoke(cli, ["status", "--index", index, "--json"]).stdout)
    primary, copy = str((folder / "petrov.txt").absolute()), str((folder / "zz-copy.txt").absolute())
    assert data["duplicates"] == [{"path": copy, "duplicate_of": primary}]
    shown = CliRunner().invoke(cli, ["status", "--index", index]).stdout
    assert f"duplicate: {copy} (same bytes as {primary})" in " ".join(shown.split())


def test_prune_drops_vanished_files_and_promotes_a_copy(folder: Path, tmp_path: Path) -> None:
    index = tmp_path / "index"
    shutil.copy(folder / "petrov.txt", folder / "zz-copy.txt")
    ingest([folder], index, jobs=1)
    (folder / "petrov.txt").unlink()
    report = ingest([folder], index, jobs=1, prune=True)
    assert report.pruned == [str((folder / "petrov.txt").absolute())]
    cat = Catalogue.open(index)
    copy = cat.source(str((folder / "zz-copy.txt").absolute()))
    assert copy is not None and copy.status == "ok"
    assert cat.count_documents() == 2
    cat.close()
    hits = json.loads(run(["search", "17280/08", "--index", str(index), "--json"]).stdout)
    assert hits["total"] == 1


@pytest.mark.parametrize(
    ("name", "status", "reason"),
    [
        ("empty.txt", "failed", "empty file"),
        ("truncated.pdf", "failed", "truncated.pdf"),
        ("encrypted.pdf", "failed", "encrypted"),
        ("junk.pdf", "failed", "junk.pdf"),
        ("not-a-zip.docx", "failed", "not a valid DOCX"),
    ],
)
def test_bad_input_is_one_line_naming_the_file(tmp_path: Path, name: str, status: str, reason: str) -> None:
    src = tmp_path / "in"
    src.mkdir()
    shutil.copy(FIXTURES / "bad" / name, src / name)
    (src / "good.txt").write_text(RULING_EN)
    result = CliRunner().invoke(cli, ["ingest", str(src), "--index", str(tmp_path / "ix"), "--json"])
    assert result.exit_code == 1
    data = json.loads(result.stdout)
    bad = next(d for d in data["documents"] if d["path"].endswith(name))
    assert bad["status"] == status
    assert name in bad["error"] and reason in bad["error"]
    assert "\n" not in bad["error"]
    assert next(d for d in data["documents"] if d["path"].endswith("good.txt"))["status"] == "ok"
    assert data["failed"] == 1
    assert f"{status}: " in result.stderr and "Traceback" not in result.stderr


def test_unsupported_format_names_what_to_convert_to(tmp_path: Path) -> None:
    src = tmp_path / "in"
    src.mkdir()
    (src / "old.doc").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600)
    report = ingest([src], tmp_path / "ix", jobs=1)
    (outcome,) = report.outcomes
    assert outcome.status == "unsupported" and "DOCX" in outcome.error
    assert report.failed == 1


def test_file_vanishing_mid_run_is_failed_and_the_batch_goes_on(folder: Path, tmp_path: Path) -> None:
    victim = folder / "vanishing.txt"
    victim.write_text(RULING_EN.replace("PETROV", "SIDOROV").replace("17280/08", "11111/11"))

    def progress(stage: str, done: int, total: int) -> None:
        if stage == "scan" and done == total and victim.exists():
            victim.unlink()  # after it was planned, before a worker opens it

    report = ingest([folder], tmp_path / "ix", jobs=1, progress=progress)
    statuses = {Path(o.path).name: (o.status, o.error) for o in report.outcomes}
    assert statuses["vanishing.txt"][0] == "failed"
    assert "vanishing.txt" in statuses["vanishing.txt"][1] and "vanish" in statuses["vanishing.txt"][1]
    assert statuses["petrov.txt"][0] == "ok" and statuses["prigovor.txt"][0] == "ok"


def test_nothing_indexed_is_lost_when_a_later_batch_fails(folder: Path, tmp_path: Path) -> None:
    index = tmp_path / "ix"
    ingest([folder], index, jobs=1)
    other = tmp_path / "more"
    other.mkdir()
    shutil.copy(FIXTURES / "bad" / "junk.pdf", other / "junk.pdf")
    ingest([other], index, jobs=1)
    cat = Catalogue.open(index)
    assert cat.count_documents() == 2
    cat.close()
    hits = json.loads(run(["search", "пытка", "--index", str(index), "--json"]).stdout)
    assert hits["total"] == 1


def _endless_pdf(path: Path) -> None:
    """A valid PDF whose one page holds ~60 million no-op operators: parsing never ends."""
    path.write_bytes(pdf_endless())


def _bomb_pdf(path: Path, gigabytes: float) -> None:
    """A valid PDF whose page stream inflates to ``gigabytes`` of zeros (a few MB on disk)."""
    path.write_bytes(pdf_bomb(gigabytes))


def test_hostile_pdfs_fail_within_their_limits_between_good_files(tmp_path: Path) -> None:
    """GIVEN a never-ending PDF and an over-cap PDF between two good files
    WHEN they are ingested with a 15 s limit and a 1 GB cap
    THEN both end failed within the limit + 10 s and the good files end ok."""
    src = tmp_path / "in"
    src.mkdir()
    (src / "a-good.txt").write_text(RULING_EN)
    _endless_pdf(src / "b-endless.pdf")
    _bomb_pdf(src / "c-bomb.pdf", gigabytes=2)
    (src / "d-good.txt").write_bytes(RULING_RU.encode("cp1251"))
    timeout = 15
    started = time.monotonic()
    report = ingest([src], tmp_path / "ix", jobs=2, timeout=timeout, memory_mb=1024)
    elapsed = time.monotonic() - started
    statuses = {Path(o.path).name: (o.status, o.error) for o in report.outcomes}
    assert statuses["a-good.txt"][0] == "ok" and statuses["d-good.txt"][0] == "ok"
    assert statuses["b-endless.pdf"][0] == "failed", statuses
    assert statuses["c-bomb.pdf"][0] == "failed", statuses
    assert "b-endless.pdf" in statuses["b-endless.pdf"][1]
    assert "c-bomb.pdf" in statuses["c-bomb.pdf"][1]
    assert elapsed < timeout + 10, elapsed


def test_documents_missing_from_the_index_are_indexed_on_the_next_run(folder: Path, tmp_path: Path) -> None:
    """GIVEN a run killed after the catalogue commit but before the index commit
    WHEN ingest runs again THEN the document becomes searchable without re-extraction."""
    index = tmp_path / "ix"
    ingest([folder], index, jobs=1)
    cat = Catalogue.open(index)
    from pipeline.search import open_index

    search_index = open_index(index, cat)
    doc_id = cat.documents_for_path(str((folder / "prigovor.txt").absolute()))[0].id
    batch = search_index.batch()
    batch.delete([doc_id])
    batch.commit()
    with cat.transaction() as conn:
        conn.execute("UPDATE documents SET indexed=0 WHERE id=?", (doc_id,))
    cat.close()
    assert json.loads(run(["search", "1-123/2020", "--index", str(index), "--json"]).stdout)["total"] == 0
    report = ingest([folder], index, jobs=1)
    assert report.count("unchanged") == 2
    assert json.loads(run(["search", "1-123/2020", "--index", str(index), "--json"]).stdout)["total"] == 1


def test_a_killed_ingest_loses_nothing_and_a_rerun_finishes(tmp_path: Path) -> None:
    """SIGKILL an ingest of the sample corpus part-way; the catalogue and index still open,
    and a rerun ends with every sample ingested and searchable."""
    import signal
    import subprocess
    import sys

    corpora = Path(__file__).resolve().parent.parent / "corpora"
    index = tmp_path / "ix"
    cmd = [sys.executable, "-m", "pipeline", "ingest", str(corpora), "--index", str(index),
           "--jobs", "1", "--ocr", "never"]
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            start_new_session=True)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:  # kill once a few files are committed
        time.sleep(0.2)
        if (index / "catalogue.sqlite").exists():
            try:
                cat = Catalogue.open(index)
                done = cat.conn.execute("SELECT COUNT(*) FROM sources").fetchone()[0]
                cat.close()
            except Exception:  # noqa: BLE001 - the writer may hold the lock for a moment
                continue
            if done >= 4:
                break
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait(10)
    rerun = subprocess.run(cmd + ["--json"], capture_output=True, text=True, timeout=300)
    data = json.loads(rerun.stdout)
    statuses = {d["status"] for d in data["documents"]}
    assert statuses <= {"ok", "unchanged", "needs-ocr"}, data
    assert data["unchanged"] >= 4
    cat = Catalogue.open(index)
    assert cat.count_documents(unindexed_only=True) == 0
    cat.close()
    hits = json.loads(run(["search", "41234/15", "--index", str(index), "--json"]).stdout)
    assert hits["hits"][0]["title"] == "CASE OF ZARECHNEV v. RUSSIA"


# --- every input gets its line ------------------------------------------------------------------

def test_identical_failing_files_each_get_their_line(tmp_path: Path) -> None:
    """GIVEN ten identical empty files and three identical junk PDFs beside a good ruling
    WHEN the folder is ingested, and again
    THEN every one of them is reported failed, under its own name, in the run and in `status`."""
    src = tmp_path / "in"
    src.mkdir()
    empties = [src / f"empty-{n}.txt" for n in range(10)]
    for path in empties:
        path.write_bytes(b"")
    junk = [src / f"junk-{n}.pdf" for n in range(3)]
    for path in junk:
        path.write_bytes(b"%PDF-1.7\n" + bytes(range(256)) * 4)
    (src / "good.txt").write_text(RULING_EN)
    index = tmp_path / "ix"
    bad = {str(p.absolute()) for p in empties + junk}

    first = run(["ingest", str(src), "--index", str(index), "--json"])
    assert first.exit_code == 1
    data = json.loads(first.stdout)
    outcomes = {d["path"]: d for d in data["documents"]}
    assert set(outcomes) == bad | {str((src / "good.txt").absolute())}
    assert data["failed"] == 13 and data["ingested"] == 1
    for path in bad:
        assert outcomes[path]["status"] == "failed"
        assert outcomes[path]["error"].startswith(f"{path}: ")
        assert "\n" not in outcomes[path]["error"]
    for path in empties:
        assert "empty file" in outcomes[str(path.absolute())]["error"]
    for path in junk:
        assert "not a valid PDF" in outcomes[str(path.absolute())]["error"]
    assert sum(f"{p}: " in first.stderr for p in bad) == 13

    status = json.loads(run(["status", "--index", str(index), "--json"]).stdout)
    assert {f["path"] for f in status["failures"]} >= bad

    second = json.loads(run(["ingest", str(src), "--index", str(index), "--json"]).stdout)
    again = {d["path"]: d for d in second["documents"]}
    assert set(again) == set(outcomes)
    assert all(again[p]["error"] == outcomes[p]["error"] for p in bad)


def test_same_bytes_under_other_extensions_get_their_own_reason(tmp_path: Path) -> None:
    """Near-miss: the picker reads the extension too, so identical bytes named .doc, .pdf and
    .bin fail each for its own reason, not the first copy's."""
    src = tmp_path / "in"
    src.mkdir()
    blob = bytes((i * 37 + 11) % 256 for i in range(4096))
    for name in ("a.doc", "b.pdf", "c.bin", "d.bin"):
        (src / name).write_bytes(blob)
    report = ingest([src], tmp_path / "ix", jobs=1)
    outcomes = {Path(o.path).name: o for o in report.outcomes}
    assert set(outcomes) == {"a.doc", "b.pdf", "c.bin", "d.bin"}
    assert outcomes["a.doc"].status == "unsupported" and "DOCX" in outcomes["a.doc"].error
    assert outcomes["b.pdf"].status == "failed" and "not a valid PDF" in outcomes["b.pdf"].error
    for name in ("c.bin", "d.bin"):
        assert outcomes[name].status == "unsupported"
        assert outcomes[name].error.startswith(str((src / name).absolute()) + ": ")
    assert report.failed == 4


def test_identical_good_files_are_still_duplicates(tmp_path: Path) -> None:
    """Near-miss: copies of a file that is ok stay duplicates of it, not failures."""
    src = tmp_path / "in"
    src.mkdir()
    for n in range(6):
        (src / f"copy-{n}.txt").write_text(RULING_EN)
    report = ingest([src], tmp_path / "ix", jobs=2)
    assert report.count("ok") == 1 and report.count("duplicate") == 5 and report.failed == 0


# --- a precedents index in the tree is never walked ----------------------------------------------

def test_ingest_dot_skips_its_own_index_and_any_other(folder: Path, tmp_path: Path, monkeypatch) -> None:
    """GIVEN a folder holding its own ./index (and another precedents index further down)
    WHEN `ingest .` runs in it, twice
    THEN no file of either index is taken as a document, each run exits 0 and a notice names
    each skipped index folder."""
    other = folder / "archive" / "old-index"
    other.parent.mkdir()
    ingest([tmp_path / "nothing"], other, jobs=1)  # a real index: catalogue, engine, lock
    assert (other / "catalogue.sqlite").is_file()
    monkeypatch.chdir(folder)
    for _ in range(2):
        result = run(["ingest", ".", "--index", "index", "--json"])
        assert result.exit_code == 0, result.output
        data = json.loads(result.stdout)
        paths = [d["path"] for d in data["documents"]]
        assert sorted(Path(p).name for p in paths) == ["petrov.txt", "prigovor.txt"]
        assert data["failed"] == 0
        assert "notice:" in result.stderr and "old-index" in result.stderr
        assert result.stderr.count("precedents index") == 2


def test_a_folder_named_index_that_is_not_an_index_is_walked(folder: Path, tmp_path: Path) -> None:
    """Near-miss: what makes an index is its catalogue and engine files, not the name."""
    (folder / "index").mkdir()
    (folder / "index" / "catalogue.sqlite").write_text(RULING_EN.replace("PETROV", "SIDOROV"))
    report = ingest([folder], tmp_path / "ix", jobs=1)
    assert str((folder / "index" / "catalogue.sqlite").absolute()) in {o.path for o in report.outcomes}


# --- special paths named on the command line ----------------------------------------------------

def _special_paths(where: Path) -> dict[str, tuple[Path, str]]:
    import socket

    fifo = where / "pipe"
    os.mkfifo(fifo)
    sock_path = where / "sock"
    sock = socket.socket(socket.AF_UNIX)
    sock.bind(str(sock_path))
    sock.close()
    loop = where / "loop"
    loop.symlink_to(where / "loop")
    dangling = where / "dangling.txt"
    dangling.symlink_to(where / "gone.txt")
    found = {
        "fifo": (fifo, "not a regular file (FIFO)"),
        "socket": (sock_path, "not a regular file (socket)"),
        "loop": (loop, "symbolic link loop"),
        "dangling": (dangling, "broken symbolic link"),
    }
    if Path("/dev/zero").exists():
        found["device"] = (Path("/dev/zero"), "not a regular file (character device)")
    return found


def test_special_paths_named_on_the_command_line_each_fail_with_a_line(folder: Path, tmp_path: Path) -> None:
    """GIVEN /dev/zero, a FIFO, a socket, a symlink loop and a dangling symlink named as PATHS
    WHEN ingested beside a good folder THEN each is failed with one line saying what it is, the
    good files are ok, and the run exits 1."""
    where = tmp_path / "special"
    where.mkdir()
    specials = _special_paths(where)
    args = [str(path) for path, _ in specials.values()]
    result = run(["ingest", *args, str(folder), "--index", str(tmp_path / "ix"), "--json"])
    assert result.exit_code == 1
    data = json.loads(result.stdout)
    outcomes = {d["path"]: d for d in data["documents"]}
    for name, (path, reason) in specials.items():
        outcome = outcomes[os.path.abspath(path)]
        assert outcome["status"] == "failed", name
        assert outcome["error"] == f"{os.path.abspath(path)}: {reason}", name
        assert outcome["error"] in result.stderr
    assert data["failed"] == len(specials) and data["ingested"] == 2


def test_unreadable_sub_folder_is_a_failed_line(folder: Path, tmp_path: Path, monkeypatch) -> None:
    """GIVEN a sub-folder that cannot be listed WHEN its parent is ingested THEN the folder
    gets a failed line with the reason, and the files around it are ingested.

    Tests run as root, which reads a chmod 000 folder, so the listing is refused by patching
    ``os.scandir`` for that one folder (as an unreadable share or a permission-less mount does)."""
    import pipeline.ingest.files as ingest_files

    locked = folder / "locked"
    locked.mkdir()
    (locked / "hidden-ruling.txt").write_text(RULING_EN)
    real_scandir = os.scandir

    def scandir(path):
        if os.path.abspath(path) == str(locked.absolute()):
            raise PermissionError(13, "Permission denied", str(path))
        return real_scandir(path)

    monkeypatch.setattr(ingest_files.os, "scandir", scandir)
    report = ingest([folder], tmp_path / "ix", jobs=1)
    outcomes = {o.path: o for o in report.outcomes}
    key = str(locked.absolute())
    assert outcomes[key].status == "failed"
    assert outcomes[key].error == f"{key}: cannot read folder (Permission denied)"
    assert report.failed == 1 and report.count("ok") == 2


def test_symlinks_inside_a_walked_folder_are_still_skipped(folder: Path, tmp_path: Path) -> None:
    """Near-miss: a symlink met while walking a folder (out of it, looping or dangling) is
    skipped on purpose, as before; only paths named on the command line must be reported."""
    (folder / "passwd.txt").symlink_to("/etc/passwd")
    (folder / "loop.txt").symlink_to(folder / "loop.txt")
    (folder / "dangling.txt").symlink_to(folder / "gone.txt")
    report = ingest([folder], tmp_path / "ix", jobs=1)
    assert sorted(Path(o.path).name for o in report.outcomes) == ["petrov.txt", "prigovor.txt"]
    assert report.failed == 0


# -- JSON records as units, and the time budget ------------------------------------------------

GERMAN = "Das Gericht hat in der Sache {} entschieden, dass die Beschwerde unbegründet ist."


def test_a_record_that_kills_its_worker_fails_alone(tmp_path: Path, monkeypatch) -> None:
    """GIVEN a JSONL file whose record 2 kills any worker that parses it (as a record too big
    for the memory cap does) and whose record 3 is malformed, between good records
    WHEN it is ingested THEN records 1, 4 and 5 are ingested and searchable, and the file's one
    line names the file and records 2 and 3 (a whole-file parse lost every record)."""
    monkeypatch.setenv("PRECEDENTS_FAULT", "json.record.2")
    src = tmp_path / "in"
    src.mkdir()
    lines = [json.dumps({"id": "r1", "text": GERMAN.format(1)}),
             json.dumps({"id": "r2", "text": GERMAN.format(2)}),
             '{"id": "r3", "text": "cut short',
             json.dumps({"id": "r4", "text": GERMAN.format(4)}),
             json.dumps({"id": "r5", "text": GERMAN.format(5)})]
    (src / "records.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (src / "good.txt").write_text(RULING_EN)
    report = ingest([src], tmp_path / "ix", jobs=2, timeout=120)
    outcome = {Path(o.path).name: o for o in report.outcomes}["records.jsonl"]
    assert outcome.ids == ["r1", "r4", "r5"], outcome
    assert outcome.status == "failed" and outcome.error.startswith(str(src / "records.jsonl"))
    assert "record 2: parser process crashed" in outcome.error, outcome.error
    assert "record 3: invalid JSON" in outcome.error and "record 1" not in outcome.error
    assert "\n" not in outcome.error
    cat = Catalogue.open(tmp_path / "ix")
    try:
        kept = cat.documents_for_path(str(src / "records.jsonl"))
        assert [d.id for d in kept] == ["r1", "r4", "r5"]
        source = cat.source(str(src / "records.jsonl"))
        assert source.sha256 and source.size  # complete: a rerun finds it unchanged
    finally:
        cat.close()
    monkeypatch.delenv("PRECEDENTS_FAULT")
    rerun = ingest([src], tmp_path / "ix", jobs=1, timeout=120)
    assert rerun.count("unchanged") == 2


@pytest.mark.parametrize("shape", ["array", "jsonl"])
def test_many_records_are_all_ingested_in_order(tmp_path: Path, shape: str) -> None:
    """GIVEN 3,000 short records (six batches), keyless and keyed, in one JSON array or JSONL
    WHEN ingested THEN every record is a document, keyed as a whole-file parse keys them."""
    src = tmp_path / "in"
    src.mkdir()
    records = [{"text": GERMAN.format(n)} if n % 3 == 0 else
               {"id": f"k{n}", "text": GERMAN.format(n)} for n in range(3000)]
    records[10]["id"] = "k11"  # a repeated id takes its position, as in a whole-file parse
    name = "many.json" if shape == "array" else "many.jsonl"
    body = json.dumps(records) if shape == "array" else "\n".join(json.dumps(r) for r in records)
    (src / name).write_text(body, encoding="utf-8")
    report = ingest([src], tmp_path / "ix", jobs=2, timeout=300)
    (outcome,) = report.outcomes
    assert outcome.status == "ok", outcome.error
    from pipeline.extract import extract_file

    expected = [d.record_key for d in extract_file(src / name)]
    cat = Catalogue.open(tmp_path / "ix")
    try:
        keys = [d.record_key for d in cat.documents_for_path(str(src / name))]
    finally:
        cat.close()
    assert len(keys) == 3000 and keys == expected
    assert keys[:3] == ["1", "k1", "k2"] and keys[10] == "k11" and keys[11] == "k11-12"


def test_the_timeout_line_gives_the_budget_and_how_to_raise_it(tmp_path: Path) -> None:
    """GIVEN a file that never finishes WHEN its time runs out THEN its line says how long it
    was allowed and names --timeout."""
    src = tmp_path / "in"
    src.mkdir()
    _endless_pdf(src / "endless.pdf")
    report = ingest([src], tmp_path / "ix", jobs=1, timeout=3)
    (outcome,) = report.outcomes
    assert outcome.status == "failed"
    assert outcome.error.startswith(f"{src / 'endless.pdf'}: timed out after 3 s"), outcome.error
    assert "--timeout" in outcome.error and "per MB" in outcome.error
