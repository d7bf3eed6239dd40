"""The CLI as a whole: every command documented with an example, JSON on stdout only."""

from __future__ import annotations

import json
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
    fake.serve = lambda index_dir, host, port: calls.append((index_dir, host, port))
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
