"""Progress as lines when stderr is a log: counts and rate every few seconds, never silence."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from pipeline.cli import cli
from pipeline.progress import LineProgress


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


@pytest.mark.parametrize(("steps", "expected"), [
    # (seconds since the start, files done) -> the lines printed, interval 10 s, 40 files
    ([(5, 3)], []),                                          # too soon: nothing yet
    ([(5, 3), (12, 9)], ["Extracting: 9 of 40 files (22%), 0.8 files/s, 12 s"]),
    ([(12, 9), (15, 12)], ["Extracting: 9 of 40 files (22%), 0.8 files/s, 12 s"]),  # 3 s after
    ([(12, 9), (23, 20)], ["Extracting: 9 of 40 files (22%), 0.8 files/s, 12 s",
                           "Extracting: 20 of 40 files (50%), 0.9 files/s, 23 s"]),
    ([(1, 40)], ["Extracting: 40 of 40 files (100%), 40.0 files/s, 1 s"]),  # the end, at once
    ([(1, 40), (30, 40)], ["Extracting: 40 of 40 files (100%), 40.0 files/s, 1 s"]),  # once only
])
def test_a_line_every_interval_and_at_the_end(steps, expected) -> None:
    clock, lines = Clock(), []
    with LineProgress(lines.append, "files", 10, clock=clock) as bar:
        task = bar.add_task("Extracting", total=40)
        start = clock.now
        for seconds, done in steps:
            clock.now = start + seconds
            bar.update(task, completed=done)
        clock.now = start + 10_000  # leaving the block must not add a line for a finished stage
        lines_before_exit = list(lines)
    assert lines_before_exit == expected
    assert lines[:len(expected)] == expected


def test_an_unfinished_stage_reports_where_it_stopped_and_write_none_is_silent() -> None:
    clock, lines = Clock(), []
    with LineProgress(lines.append, "documents", 10, clock=clock) as bar:
        task = bar.add_task("Indexing")
        clock.now += 4
        bar.update(task, completed=7)
    assert lines == ["Indexing: 7 documents, 1.8 documents/s, 4 s"]
    with LineProgress(None, clock=clock) as quiet:
        quiet.update(quiet.add_task("Extracting", total=1), completed=1)


def test_ingest_to_a_log_prints_progress_lines(tmp_path: Path) -> None:
    """GIVEN stderr that is not a terminal (CliRunner, like a log file) WHEN ingesting THEN
    progress lines with counts and rate appear, and they name no file."""
    src = tmp_path / "in"
    src.mkdir()
    for n in range(3):
        (src / f"secret-name-{n}.txt").write_text(
            f"CASE OF A{n} v. B\n(Application no. 1234{n}/06)\nThe applicant was tortured.")
    runner = CliRunner(env={"PRECEDENTS_PROGRESS_SECONDS": "0"})
    result = runner.invoke(cli, ["ingest", str(src), "--index", str(tmp_path / "ix")])
    assert result.exit_code == 0, result.output
    progress = [line for line in result.stderr.splitlines() if "files/s" in line]
    assert any(line.startswith("Extracting: 3 of 3 files (100%)") for line in progress), progress
    assert not any("secret-name" in line for line in progress)
    quiet = CliRunner(env={"PRECEDENTS_NO_PROGRESS": "1"}).invoke(
        cli, ["ingest", str(src), "--index", str(tmp_path / "ix2")])
    assert quiet.exit_code == 0 and "files/s" not in quiet.stderr
