"""The time budget of a unit of work: a base (``--timeout``) plus an allowance per MB."""

from __future__ import annotations

from array import array

import pytest

from pipeline.extract import ExtractOptions
from pipeline.ingest.worker import task_budget
from pipeline.limits import DEFAULT_TIMEOUT, FREE_MB, SECONDS_PER_MB, time_budget

MB = 1024 * 1024


@pytest.mark.parametrize("size, base, expected", [
    (0, DEFAULT_TIMEOUT, DEFAULT_TIMEOUT),
    (MB, DEFAULT_TIMEOUT, DEFAULT_TIMEOUT),                 # the first MB is in the base
    (MB + 1, DEFAULT_TIMEOUT, DEFAULT_TIMEOUT + SECONDS_PER_MB / MB),  # near-miss: just past
    (12 * MB, DEFAULT_TIMEOUT, DEFAULT_TIMEOUT + 11 * SECONDS_PER_MB),  # a 12 MB judgment
    (3 * MB, 10.0, 10.0 + 2 * SECONDS_PER_MB),             # --timeout moves the base only
    (-5, 10.0, 10.0),
])
def test_budget_grows_with_size_past_the_first_mb(size: int, base: float, expected: float) -> None:
    assert FREE_MB == 1.0
    assert time_budget(size, base) == pytest.approx(expected)


def test_a_12_mb_judgment_gets_more_than_the_old_flat_limit() -> None:
    assert time_budget(12 * MB) > 2 * DEFAULT_TIMEOUT


def test_a_batch_of_records_is_budgeted_by_its_records_not_its_file(tmp_path) -> None:
    big = tmp_path / "big.jsonl"
    big.write_bytes(b" " * (20 * MB))
    options = ExtractOptions()
    records = (1, array("q", [0, 4 * MB]), array("q", [2 * MB, 5 * MB]))  # 3 MB of records
    assert task_budget(60.0, (str(big), options, records)) == time_budget(3 * MB, 60.0)
    assert task_budget(60.0, (str(big), options, None)) == time_budget(20 * MB, 60.0)
    assert task_budget(60.0, (str(big), options)) == time_budget(20 * MB, 60.0)
    assert task_budget(60.0, (str(tmp_path / "gone.txt"), options)) == 60.0
