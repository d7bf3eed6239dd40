"""Ingest and search real public judgments from ../shared/corpora (read in place, never copied)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

import pipeline.ingest.executors.local as local_executor
from pipeline.cli import cli
from pipeline.ingest import ingest


@pytest.fixture(scope="module")
def real_index(tmp_path_factory, shared_corpora: Path) -> Path:
    index = tmp_path_factory.mktemp("real") / "index"
    report = ingest([shared_corpora / "echr" / "txt_hudoc_en_cp1252",
                     shared_corpora / "echr" / "docx_hudoc_en",
                     shared_corpora / "echr" / "json_v_russia",
                     shared_corpora / "ru" / "html_sudrf",
                     shared_corpora / "ru" / "txt_ovdinfo_koap"], index, jobs=2)
    failures = [(o.path, o.error) for o in report.outcomes if o.status not in ("ok", "duplicate")]
    assert not failures
    return index


def _search(index: Path, query: str) -> dict:
    result = CliRunner().invoke(cli, ["search", query, "--index", str(index), "--json"])
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


def test_application_number_finds_its_judgment_first(real_index: Path) -> None:
    data = _search(real_index, "17280/08")
    assert data["hits"][0]["title"].upper() == "CASE OF A.N. V. LITHUANIA"
    assert data["hits"][0]["kind"] == "echr_judgment"


def test_russian_word_forms_meet(real_index: Path) -> None:
    """The sudrf rulings and the Russian-language texts use several forms of each word."""
    forms = {q: {h["id"] for h in _search(real_index, q)["hits"]} for q in ("суд", "суда", "судом")}
    assert forms["суд"] and forms["суд"] == forms["суда"] == forms["судом"]


def test_second_ingest_does_no_extraction(real_index: Path, shared_corpora: Path, monkeypatch) -> None:
    class NoSandbox:
        def __init__(self, *a, **k):
            raise AssertionError("a parser was started on a rerun of unchanged files")

    monkeypatch.setattr(local_executor, "Sandbox", NoSandbox)
    report = ingest([shared_corpora / "echr" / "txt_hudoc_en_cp1252",
                     shared_corpora / "echr" / "docx_hudoc_en"], real_index, jobs=2)
    assert report.outcomes and {o.status for o in report.outcomes} == {"unchanged"}


def test_status_counts_add_up(real_index: Path) -> None:
    data = json.loads(CliRunner().invoke(cli, ["status", "--index", str(real_index), "--json"]).stdout)
    assert sum(data["by_status"].values()) == data["sources"]
    assert data["by_format"]["html"] == 12 and data["by_format"]["docx"] == 20
    assert {"en", "ru"} <= set(data["by_language"])
