"""The CLI as a whole: every command documented with an example, JSON on stdout only."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from pipeline.cli import cli

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("name", sorted(cli.commands))
def test_every_command_has_help_with_an_example_and_is_in_the_readme(name: str) -> None:
    result = CliRunner().invoke(cli, [name, "--help"])
    assert result.exit_code == 0
    assert "Example" in result.output
    assert f"precedents {name}" in README


@pytest.mark.parametrize("name", ["ingest", "search", "show", "status", "reindex", "similar",
                                  "cites", "cited-by", "serve", "export", "import"])
def test_index_option_everywhere(name: str) -> None:
    assert "--index" in CliRunner().invoke(cli, [name, "--help"]).output


def test_python_dash_m_pipeline_works() -> None:
    result = subprocess.run([sys.executable, "-m", "pipeline", "--help"], capture_output=True,
                            text=True, cwd=ROOT, timeout=60)
    assert result.returncode == 0 and "ingest" in result.stdout


def test_index_comes_from_the_environment(tmp_path: Path) -> None:
    src = tmp_path / "in"
    src.mkdir()
    (src / "a.txt").write_text("CASE OF A v. B\n(Application no. 12345/06)\nThe applicant was tortured.")
    runner = CliRunner(env={"PRECEDENTS_INDEX": str(tmp_path / "envindex")})
    assert runner.invoke(cli, ["ingest", str(src)]).exit_code == 0
    assert (tmp_path / "envindex" / "catalogue.sqlite").is_file()
    data = json.loads(runner.invoke(cli, ["status", "--json"]).stdout)
    assert data["documents"] == 1


def test_show_by_id_and_by_path_and_status_json(tmp_path: Path) -> None:
    src = tmp_path / "in"
    src.mkdir()
    f = src / "Приговор по делу.txt"
    f.write_text("Дело № 1-5/2021\nПРИГОВОР\nСуд установил применение насилия.", encoding="utf-8")
    index = str(tmp_path / "ix")
    ingested = json.loads(CliRunner().invoke(cli, ["ingest", str(src), "--index", index, "--json"]).stdout)
    doc_id = ingested["documents"][0]["id"]
    assert doc_id == "prigovor-po-delu"
    by_id = json.loads(CliRunner().invoke(cli, ["show", doc_id, "--index", index, "--json"]).stdout)
    by_path = json.loads(CliRunner().invoke(cli, ["show", str(f), "--index", index, "--json", "--text"]).stdout)
    assert by_id["id"] == by_path["id"] == doc_id
    assert by_id["kind"] == "ru_sentence" and by_id["case_numbers"] == ["1-5/2021"]
    assert by_id == by_path and "насилия" in by_path["text"]
    status = json.loads(CliRunner().invoke(cli, ["status", "--index", index, "--json"]).stdout)
    assert set(status) >= {"documents", "by_status", "by_format", "by_language", "failures"}
    assert status["by_status"] == {"ok": 1} and status["by_language"] == {"ru": 1}
    missing = CliRunner().invoke(cli, ["show", "no-such-id", "--index", index])
    assert missing.exit_code == 1 and "no document with this id" in missing.output


@pytest.mark.parametrize(("args", "message"), [
    (["show", "no-such-id"], "no catalogue here"),
    (["status"], "no catalogue here"),
    (["search", "x"], "no catalogue here"),
])
def test_errors_are_one_line(tmp_path: Path, args: list[str], message: str) -> None:
    result = CliRunner().invoke(cli, [*args, "--index", str(tmp_path / "none")])
    assert result.exit_code == 1
    assert message in result.output and "Traceback" not in result.output


@pytest.mark.parametrize(
    ("host", "warned"),
    [("127.0.0.1", False), ("localhost", False), ("::1", False), ("0.0.0.0", True),
     ("192.168.1.5", True)],
)
def test_serve_warns_when_reachable_from_other_machines(tmp_path: Path, monkeypatch, host: str,
                                                        warned: bool) -> None:
    import types

    calls = []
    fake = types.ModuleType("pipeline.web")
    fake.serve = lambda index_dir, host, port, inbox=None: calls.append((index_dir, host, port))
    monkeypatch.setitem(sys.modules, "pipeline.web", fake)
    # 192.168.1.5 is not an address of this machine: skip the bind probe, test only the warning.
    monkeypatch.setattr("pipeline.cli._check_port", lambda host, port: None)
    result = CliRunner().invoke(cli, ["serve", "--host", host, "--port", "8099",
                                      "--index", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert calls == [(tmp_path, host, 8099)]
    assert ("reachable from other machines" in result.stderr) is warned


def test_serve_refuses_a_taken_port_with_one_line(tmp_path):
    """uvicorn would log its own traceback-like lines; the CLI says what is wrong and exits 1."""
    import socket

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = CliRunner().invoke(cli, ["serve", "--index", str(tmp_path), "--port", str(port)])
    assert result.exit_code == 1
    assert f"cannot listen on 127.0.0.1:{port}" in result.stderr
    assert "Traceback" not in result.output


# -- what reaches a terminal --------------------------------------------------------------------

#: A title a JSON record or a bundle may carry: an OSC 8 hyperlink whose text lies, a
#: clear-screen, a one-character C1 CSI, a carriage return that overwrites the line, a bidi
#: override, and Rich markup that must print as it is.
HOSTILE_TITLE = ("Hostile \x1b]8;;http://evil.example/\x07v.\x1b]8;;\x07 Russia [red]x[/red] "
                 "\x1b[2J\x9b31m\rERASED \u202egpj.exe")
#: A file name may hold all of that too, except "/" and NUL.
HOSTILE_NAME = "ruling \x1b]0;pwned\x07[bold]\x1b[31m\u202eName"
#: What may never be printed raw: C0 controls but tab and newline, DEL, C1, bidi controls.
UNSAFE = set(map(chr, [*range(0x00, 0x09), *range(0x0b, 0x20), *range(0x7f, 0xa0),
                      *range(0x202a, 0x202f), *range(0x2066, 0x206a)]))


@pytest.fixture(scope="module")
def hostile_index(tmp_path_factory) -> dict[str, Path]:
    """An index holding a JSON record with a hostile title, cited by a second one with the same
    title, a text file and an empty file with hostile names, and a bundle with a hostile name."""
    root = tmp_path_factory.mktemp("hostile")
    src = root / "in"
    src.mkdir()
    records = [
        {"itemid": "001-990001", "title": HOSTILE_TITLE,
         "text": "CASE OF HOSTILE v. RUSSIA\n(Application no. 17280/08)\nJUDGMENT\n"
                 "1. The applicant was tortured in police custody."},
        {"itemid": "001-990002", "title": HOSTILE_TITLE + " (No. 2)",
         "text": "CASE OF OTHER v. RUSSIA\n(Application no. 11111/11)\nJUDGMENT\n"
                 "1. The applicant was tortured. See Hostile v. Russia, no. 17280/08, § 5."},
    ]
    (src / "records.json").write_text(json.dumps(records), encoding="utf-8")
    (src / f"{HOSTILE_NAME}.txt").write_text(
        "ПРИГОВОР\nДело № 1-5/2021\nСуд установил применение насилия сотрудником полиции.",
        encoding="utf-8")
    (src / f"{HOSTILE_NAME} empty.txt").write_bytes(b"")
    index = root / "index"
    CliRunner().invoke(cli, ["ingest", str(src), "--index", str(index)])
    bundle = root / f"{HOSTILE_NAME}.zip"
    assert CliRunner().invoke(cli, ["export", str(bundle), "--index", str(index)]).exit_code == 0
    return {"src": src, "index": index, "bundle": bundle, "root": root}


def _russian_id(index: Path) -> str:
    data = json.loads(CliRunner().invoke(cli, ["search", "насилия", "--index", str(index),
                                               "--json"]).stdout)
    return data["hits"][0]["id"]


# (case, arguments, what must still be recognisable in the output)
PRINTING = [
    ("ingest", lambda h: ["ingest", str(h["src"]), "--index", str(h["root"] / "again")],
     ["ruling ", "\\x1b]0;pwned", "[bold]", "Name empty.txt: empty file"]),
    ("search", lambda h: ["search", "tortured", "--index", str(h["index"])],
     ["Hostile ", "v.", " Russia [red]x[/red] ", "\\x1b[2J\\x9b31m", "\\u202egpj.exe"]),
    ("similar", lambda h: ["similar", "001-990002", "--index", str(h["index"])],
     ["Hostile ", " Russia [red]x[/red] "]),
    ("show (title)", lambda h: ["show", "001-990001", "--index", str(h["index"])],
     ["Hostile ", "[red]x[/red]", "\\x1b[2J"]),
    ("show (file name)", lambda h: ["show", _russian_id(h["index"]), "--index", str(h["index"])],
     ["ruling ", "[bold]", "\\u202eName.txt"]),
    ("show (unknown ref)", lambda h: ["show", HOSTILE_TITLE, "--index", str(h["index"])],
     ["Hostile ", "no document with this id"]),
    ("status", lambda h: ["status", "--index", str(h["index"])],
     ["ruling ", "[bold]", "Name empty.txt: empty file"]),
    ("cites", lambda h: ["cites", "001-990002", "--index", str(h["index"])],
     ["17280/08", "001-990001"]),
    ("cites (unknown id)", lambda h: ["cites", HOSTILE_TITLE, "--index", str(h["index"])],
     ["Hostile ", "no document with this id"]),
    ("cited-by", lambda h: ["cited-by", "001-990001", "--index", str(h["index"])],
     ["Hostile ", " Russia [red]x[/red] ", "(No. 2)"]),
    ("export", lambda h: ["export", str(h["root"] / f"{HOSTILE_NAME} 2.zip"),
                          "--index", str(h["index"])],
     ["ruling ", "[bold]", "Name 2.zip"]),
    ("import", lambda h: ["import", str(h["bundle"]), "--index", str(h["root"] / "imported")],
     ["ruling ", "[bold]", "Name.zip: checksums verified"]),
    ("import (refused)", lambda h: ["import", str(h["src"] / f"{HOSTILE_NAME}.txt"),
                                    "--index", str(h["root"] / "imported")],
     ["ruling ", "[bold]", "refused: not a zip archive"]),
]


@pytest.mark.parametrize(("case", "args", "shown"), PRINTING, ids=[c[0] for c in PRINTING])
def test_no_control_character_reaches_the_terminal(case, args, shown, hostile_index) -> None:
    """GIVEN titles and file names full of escape sequences and Rich markup
    WHEN any command prints them THEN nothing a terminal acts on is printed raw, the markup is
    printed as it is, and the rest of the text is still there."""
    result = CliRunner().invoke(cli, args(hostile_index))
    assert "Traceback" not in result.output, result.output
    for stream in (result.stdout, result.stderr):
        assert not UNSAFE & set(stream), f"{case}: {stream!r}"
    for part in shown:
        assert part in result.output, f"{case}: {part!r} not in {result.output!r}"


@pytest.mark.parametrize("args", [["search", "tortured", "--json"], ["show", "001-990001", "--json"]])
def test_json_output_escapes_what_a_terminal_acts_on_and_keeps_the_data(args, hostile_index) -> None:
    """--json run by hand in a terminal: C1 and bidi controls come out as \\uXXXX escapes (json
    escapes C0 itself), and a JSON reader gets the title back exactly."""
    result = CliRunner().invoke(cli, [*args, "--index", str(hostile_index["index"])])
    assert result.exit_code == 0, result.output
    assert not UNSAFE & set(result.stdout)
    data = json.loads(result.stdout)
    title = data["hits"][0]["title"] if "hits" in data else data["title"]
    assert title == HOSTILE_TITLE


# -- how a run that fails ends -------------------------------------------------------------------

#: For every command with --json: arguments that end its run in a project error.
FAILING_RUNS = {
    "ingest": lambda t: ["ingest", str(t), "--executor", "dask", "--index", str(t / "ix")],
    "search": lambda t: ["search", "пытка", "--index", str(t / "none")],
    "stats": lambda t: ["stats", "пытка", "--index", str(t / "none")],
    "similar": lambda t: ["similar", "x", "--index", str(t / "none")],
    "cites": lambda t: ["cites", "x", "--index", str(t / "none")],
    "cited-by": lambda t: ["cited-by", "x", "--index", str(t / "none")],
    "show": lambda t: ["show", "x", "--index", str(t / "none")],
    "status": lambda t: ["status", "--index", str(t / "none")],
    "keygen": lambda t: ["keygen", str(t / "taken.key")],
    "export": lambda t: ["export", str(t / "out.zip"), "--index", str(t / "none")],
    "import": lambda t: ["import", str(t / "no-such.zip"), "--index", str(t / "ix")],
    "check-citations": lambda t: ["check-citations", str(t / "no-such.docx"), "--index", str(t / "ix")],
    "watch": lambda t: ["watch", str(t / "taken.key" / "inbox"), "--once", "--index", str(t / "ix")],
}


def test_every_json_command_has_a_failing_run_here() -> None:
    with_json = {name for name, command in cli.commands.items()
                 if any(p.name == "as_json" for p in command.params)}
    assert with_json == set(FAILING_RUNS)


@pytest.mark.parametrize("name", sorted(FAILING_RUNS))
def test_a_json_run_that_fails_prints_one_json_error(name: str, tmp_path: Path) -> None:
    """GIVEN --json WHEN the run ends in an error THEN stdout holds one JSON object naming the
    error and its kind, stderr the one line, and the exit status is 1."""
    (tmp_path / "taken.key").write_text("")
    result = CliRunner().invoke(cli, [*FAILING_RUNS[name](tmp_path), "--json"])
    assert result.exit_code == 1, result.output
    error = json.loads(result.stdout)
    assert set(error) == {"error", "kind"} and error["kind"].isidentifier()
    [line] = result.stderr.strip().splitlines()
    assert line == f"Error: {error['error']}"


#: A command, what it writes, and the write that finds the disk full (an OSError without a
#: file name, as a write() on an open file raises).
DISK_FULL = [
    ("ingest", lambda t: ["ingest", str(t / "in"), "--index", str(t / "ix")],
     "pipeline.search.indexer.Indexer.commit", "ix"),
    ("reindex", lambda t: ["reindex", "--index", str(t / "ix")],
     "pipeline.search.rebuild_index", "ix"),
    ("import", lambda t: ["import", str(t / "b.zip"), "--index", str(t / "ix2")],
     "pipeline.exchange.merge._keep_manifest", "ix2"),
    ("import (index rebuild)", lambda t: ["import", str(t / "b.zip"), "--index", str(t / "ix2")],
     "pipeline.search.rebuild_index", "ix2"),
    ("export", lambda t: ["export", str(t / "out.zip"), "--index", str(t / "ix")],
     "pipeline.exchange.export._Member.write", "out.zip"),
    ("keygen", lambda t: ["keygen", str(t / "k.key")], "pipeline.exchange.generate_key",
     "k.key"),
]


@pytest.fixture(scope="module")
def small_index(tmp_path_factory) -> Path:
    """One ingested text file and a bundle of it."""
    root = tmp_path_factory.mktemp("small")
    (root / "in").mkdir()
    (root / "in" / "a.txt").write_text("CASE OF A v. B\n(Application no. 12345/06)\n"
                                       "The applicant was tortured.", encoding="utf-8")
    assert CliRunner().invoke(cli, ["ingest", str(root / "in"), "--index",
                                    str(root / "ix")]).exit_code == 0
    assert CliRunner().invoke(cli, ["export", str(root / "b.zip"), "--index",
                                    str(root / "ix")]).exit_code == 0
    return root


@pytest.mark.parametrize(("case", "args", "target", "written"), DISK_FULL,
                         ids=[c[0] for c in DISK_FULL])
def test_a_full_disk_is_named(case, args, target, written, small_index: Path, tmp_path: Path,
                              monkeypatch) -> None:
    """GIVEN a write that fails for want of space and says nothing of its file
    THEN the one line names what the command was writing, not "a file"."""
    import errno
    import shutil

    root = tmp_path / "copy"
    shutil.copytree(small_index, root)
    (root / "in" / "b.txt").write_text("CASE OF C v. D\n(Application no. 22222/07)\n"
                                       "The applicant was beaten.", encoding="utf-8")

    def full(*_args, **_kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(target, full)
    result = CliRunner().invoke(cli, [*args(root), "--json"] if case != "reindex" else args(root))
    assert result.exit_code == 1, result.output
    [line] = result.stderr.strip().splitlines()
    assert f"Error: {root / written}: " in line and "the disk is full" in line, line
    assert "a file:" not in line


@pytest.mark.parametrize("command", ["show", "similar", "cites", "cited-by"])
def test_an_undecodable_id_is_one_line_not_a_traceback(tmp_path: Path, command: str) -> None:
    """GIVEN an argument whose bytes are not valid in the locale (a cp1251 name pasted into a
    UTF-8 shell arrives as lone surrogates) WHEN looked up THEN one usage line, no traceback."""
    ref = os.fsdecode(b"ruling-\xfe")
    result = CliRunner().invoke(cli, [command, ref, "--index", str(tmp_path / "ix")])
    assert result.exit_code == 2 and isinstance(result.exception, SystemExit)
    assert "not valid text" in result.output and "Traceback" not in result.output
