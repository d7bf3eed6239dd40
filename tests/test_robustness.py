"""The fast part of the hostile-input suite (tools/suites/hostile.py), through a real ingest.

All fast cases go into one folder, each between two good rulings, and are ingested in one run;
each case is then judged on its own (one test per case, so a failure names the input). The
cases that need a worker killed by its time or memory limit run in ``make robustness``.
"""

from __future__ import annotations

import pytest

from tools.suites.hostile import CASES
from tools.suites.robustness import run

FAST = [c for c in CASES if not c.slow]


@pytest.fixture(scope="module")
def suite(tmp_path_factory) -> dict:
    pytest.importorskip("fpdf", reason="fpdf2 builds the encrypted PDFs (pip install -e '.[dev]')")
    return run(FAST, tmp_path_factory.mktemp("hostile"))


def test_there_are_at_least_thirty_cases() -> None:
    assert len(CASES) >= 30
    assert len({c.name for c in CASES}) == len(CASES)


@pytest.mark.parametrize("name", [c.name for c in FAST])
def test_each_hostile_input_is_handled(suite: dict, name: str) -> None:
    verdict = next(v for v in suite["verdicts"] if v["case"] == name)
    assert verdict["handled"], verdict


def test_no_good_file_is_lost_and_the_run_reports_failure(suite: dict) -> None:
    """GIVEN good rulings around every hostile input
    WHEN the batch is ingested
    THEN every good ruling is ok and searchable, and the run would exit non-zero."""
    assert suite["good_files"] == 2 * len(FAST)
    assert suite["good_files_lost"] == 0
    assert suite["exit_code_would_be"] == 1
