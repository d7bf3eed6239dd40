"""The inbox folder (``precedents watch DIR``, ``serve --inbox DIR``): files taken only once
they stop changing, names of files being written left alone, each file moved to done/ or
failed/ (with its reason) and never over an existing name, one watcher per folder, and a log
that names no file unless asked.

The index is a copy of the sample corpus's (conftest ``sample_index``); the dropped files are
written here."""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from click.testing import CliRunner

from pipeline.catalogue import Catalogue
from pipeline.cli import cli
from pipeline.errors import PipelineError
from pipeline.ingest.inbox import Inbox, is_partial, watched

ROOT = Path(__file__).resolve().parents[1]


def _ruling(word: str) -> str:
    return ("ПРИГОВОР\nИменем Российской Федерации\nДело № 1-{n}/2023\nСуд рассмотрел дело "
            "по ч. 3 ст. 286 УК РФ; потерпевший {w} показал, что применялись пытки.\n").format(
                n=sum(map(ord, word)), w=word)


@pytest.fixture(scope="module")
def index(sample_index: Path, tmp_path_factory) -> Path:
    target = tmp_path_factory.mktemp("inbox") / "index"
    shutil.copytree(sample_index, target)
    return target


@pytest.mark.parametrize("name, partial", [
    ("ruling.pdf", False),
    ("Решение Иванова.docx", False),
    ("part.pdf", False),                  # near miss: "part" in the name, not the extension
    ("tmp-ruling.txt", False),            # near miss: "tmp" at the start
    ("ruling.pdf.part", True),            # Firefox, curl, rsync-like
    ("ruling.pdf.crdownload", True),      # Chromium
    ("ruling.docx.tmp", True),
    ("ruling.pdf.partial", True),
    ("ruling.PDF.PART", True),
    ("~$ruling.docx", True),              # Word's lock file
    ("ruling.txt~", True),                # an editor's backup
    (".ruling.pdf", True),                # hidden (rsync writes .name.XXXX)
    (".precedents-inbox.lock", True),
])
def test_names_of_files_being_written_are_left_alone(name: str, partial: bool) -> None:
    assert is_partial(name) is partial


def test_a_file_is_taken_only_once_unchanged_across_a_look(tmp_path: Path) -> None:
    box = Inbox(tmp_path, tmp_path / "index")
    growing = tmp_path / "growing.txt"
    growing.write_text("ПРИГОВОР\n")
    assert box.look() == []                      # first sight: not yet
    with growing.open("a") as fh:
        fh.write("Дело № 1-1/2023\n")           # still being written
    assert box.look() == []
    assert box.look() == [growing]               # unchanged since the last look
    os.utime(growing, ns=(time.time_ns(), time.time_ns() + 10**9))  # touched: same size
    assert box.look() == []


def test_a_file_written_during_the_wait_is_not_taken(tmp_path: Path, index: Path) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    slow = inbox / "slow.txt"
    slow.write_text(_ruling("slowword"), encoding="utf-8")

    def writer_meanwhile(seconds: float) -> None:
        with slow.open("a", encoding="utf-8") as fh:
            fh.write("ещё абзац\n")

    taken = Inbox(inbox, index).run(once=True, interval=0.1, sleep=writer_meanwhile)
    assert taken == [] and slow.exists()


@pytest.fixture(scope="module")
def dropped(index: Path, tmp_path_factory) -> tuple[Path, dict, str]:
    """One ``watch --once --json`` over a folder of good, bad, partial and hidden files."""
    inbox = tmp_path_factory.mktemp("dropped") / "inbox"
    (inbox / "done").mkdir(parents=True)
    (inbox / "failed").mkdir()
    (inbox / "done" / "Приговор Смирнова.txt").write_text("an earlier one", encoding="utf-8")
    (inbox / "failed" / "junk.bin").write_bytes(b"earlier junk")
    (inbox / "Приговор Смирнова.txt").write_text(_ruling("smirnovword"), encoding="utf-8")
    (inbox / "copy.txt").write_bytes(
        (ROOT / "corpora" / "ru_postanovlenie_koap_20-2_koi8r.txt").read_bytes())
    (inbox / "junk.bin").write_bytes(bytes(range(256)) * 20)
    (inbox / "download.pdf.crdownload").write_bytes(b"%PDF-1.7 half")
    (inbox / ".hidden.txt").write_text(_ruling("hiddenword"), encoding="utf-8")
    (inbox / "sub").mkdir()
    (inbox / "sub" / "nested.txt").write_text(_ruling("nestedword"), encoding="utf-8")
    outside = inbox.parent / "outside.txt"
    outside.write_text(_ruling("outsideword"), encoding="utf-8")
    (inbox / "link.txt").symlink_to(outside)
    result = CliRunner().invoke(cli, ["watch", str(inbox), "--index", str(index), "--once",
                                      "--interval", "0.2", "--json"])
    assert result.exit_code == 1, result.output  # junk.bin failed
    taken = {Path(r["moved_to"]).parent.name + "/" + Path(r["moved_to"]).name: r
             for r in json.loads(result.stdout)}
    return inbox, taken, result.stderr


def test_each_file_is_moved_by_its_outcome_never_over_a_name(dropped) -> None:
    inbox, taken, _ = dropped
    assert set(taken) == {"done/Приговор Смирнова (2).txt", "done/copy.txt",
                          "failed/junk (2).bin"}
    assert taken["done/Приговор Смирнова (2).txt"]["status"] == "ok"
    assert taken["done/copy.txt"]["status"] == "duplicate"
    assert (inbox / "done" / "Приговор Смирнова.txt").read_text() == "an earlier one"
    assert (inbox / "failed" / "junk.bin").read_bytes() == b"earlier junk"
    reason = (inbox / "failed" / "junk (2).bin.reason.txt").read_text(encoding="utf-8")
    assert reason.count("\n") == 1 and reason.startswith("junk.bin: unsupported format")


def test_partial_hidden_nested_and_linked_files_stay(dropped) -> None:
    inbox, _, _ = dropped
    for name in ("download.pdf.crdownload", ".hidden.txt", "sub/nested.txt", "link.txt"):
        assert (inbox / name).exists() or (inbox / name).is_symlink(), name


def test_an_inbox_ruling_is_in_the_index(dropped, index: Path) -> None:
    _, taken, _ = dropped
    doc_id = taken["done/Приговор Смирнова (2).txt"]["id"]
    catalogue = Catalogue.open(index, readonly=True)
    try:
        assert "smirnovword" in catalogue.document(doc_id).text
        texts = " ".join(d.text for d in catalogue.iter_documents())
    finally:
        catalogue.close()
    assert "hiddenword" not in texts and "nestedword" not in texts and "outsideword" not in texts


def test_the_log_names_no_file_unless_verbose(dropped, index: Path, tmp_path: Path) -> None:
    _, _, stderr = dropped
    assert "Смирнов" not in stderr and "junk" not in stderr and "smirnov" not in stderr
    assert "moved to done/" in stderr and "moved to failed/" in stderr
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "Решение Кузнецова.txt").write_text(_ruling("kuznetsovword"), encoding="utf-8")
    verbose = CliRunner().invoke(cli, ["watch", str(inbox), "--index", str(index), "--once",
                                       "--interval", "0.2", "-v"])
    assert verbose.exit_code == 0, verbose.output
    assert "Решение Кузнецова.txt" in verbose.stderr


def test_one_process_watches_a_folder(tmp_path: Path, index: Path) -> None:
    inbox = tmp_path / "inbox"
    with watched(inbox):
        second = CliRunner().invoke(cli, ["watch", str(inbox), "--index", str(index), "--once",
                                          "--interval", "0.1"])
        assert second.exit_code == 1
        assert "another process is watching this inbox" in second.output
        from pipeline.web import _watch

        with pytest.raises(PipelineError):
            _watch(index, inbox)  # serve --inbox stops with the same line


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_serve_with_an_inbox_adds_what_is_dropped(tmp_path: Path, index: Path) -> None:
    """The real server, forked into its processes: the one watcher adds the dropped ruling,
    and the page finds it."""
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    port = _free_port()
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    log = (tmp_path / "serve.log").open("w")
    server = subprocess.Popen([sys.executable, "-m", "pipeline", "serve", "--index", str(index),
                               "--port", str(port), "--inbox", str(inbox)], cwd=ROOT, env=env,
                              stdout=subprocess.DEVNULL, stderr=log, start_new_session=True)
    try:
        (inbox / "Решение Орлова.txt").write_text(_ruling("orlovword"), encoding="utf-8")
        deadline = time.monotonic() + 120
        while not (inbox / "done" / "Решение Орлова.txt").exists():
            assert time.monotonic() < deadline, "the dropped file was not taken"
            assert server.poll() is None, (tmp_path / "serve.log").read_text()
            time.sleep(0.5)
        found = httpx.get(f"http://127.0.0.1:{port}/api/search",
                          params={"q": "orlovword", "mode": "words"}, timeout=30).json()
        assert found["total"] >= 1
    finally:
        os.killpg(server.pid, 15)
        server.wait(timeout=60)
        log.close()
    assert "Орлов" not in (tmp_path / "serve.log").read_text()  # names stay out of the log
    assert not (inbox / ".precedents-inbox.lock").exists() or _unlocked(inbox)


def _unlocked(inbox: Path) -> bool:
    """The watcher stopped with the server: the folder's lock is free again."""
    try:
        with watched(inbox):
            return True
    except PipelineError:
        return False
