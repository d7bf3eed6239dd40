"""The fast part of the crash and fault suite (tools/suites/crash.py; `make crash` runs 200+ kills).

About twenty real ingests are SIGKILLed — at random moments and at every named fault point
(before and after a catalogue commit, before and after the index commit) — and after each the
catalogue and index must open, no confirmed document may be lost and none half-written; each
round must end equal to a clean run. Also: a second ingest is refused while one runs, a damaged
index is rebuilt from the catalogue, and a full disk is one clear line with the index intact.
"""

from __future__ import annotations

import pytest

from tools.suites.crash import Figures, run_suite, upload_crashes


@pytest.fixture(scope="module")
def figures(tmp_path_factory):
    return run_suite(tmp_path_factory.mktemp("crash"), random_kills=8, per_point=3)


def test_about_twenty_kills_lose_nothing(figures) -> None:
    assert figures.faults_injected >= 20
    assert figures.killed_random >= 8
    assert all(figures.killed_at_point.get(p, 0) >= 3 for p in
               ("catalogue.before_commit", "catalogue.after_commit", "index.before_commit",
                "index.after_commit")), figures.killed_at_point
    assert figures.opens_failed == 0 and figures.opens_succeeded >= figures.faults_injected
    assert figures.documents_lost == 0 and figures.half_written == 0, figures.problems
    assert figures.rounds_equal_to_clean == figures.rounds, figures.problems


def test_second_ingest_is_refused_while_one_runs(figures) -> None:
    assert figures.busy_refused


def test_damaged_index_is_rebuilt_from_the_catalogue(figures) -> None:
    assert figures.damaged_rebuilt == 2


def test_full_disk_is_one_clear_line_and_the_index_stays(figures) -> None:
    assert figures.full_disk_clear, figures.problems
    assert figures.full_disk_index_intact


@pytest.fixture(scope="module")
def upload_figures(tmp_path_factory):
    figures = Figures()
    upload_crashes(tmp_path_factory.mktemp("upload-crash"), figures)
    return figures


def test_an_upload_killed_anywhere_loses_nothing_and_the_next_one_cleans_up(
        upload_figures) -> None:
    assert upload_figures.upload_kills >= 4, upload_figures.problems
    assert upload_figures.opens_failed == 0, upload_figures.problems
    assert upload_figures.documents_lost == 0 and upload_figures.half_written == 0, \
        upload_figures.problems
    assert upload_figures.upload_rounds_consistent == 5, upload_figures.problems
