"""The statistics benchmark runs end to end on a tiny synthetic corpus (no time is asserted).

GIVEN three donor judgments with holdings and awards, WHEN ``scale synth`` recombines them into a
few unique documents and each engine's index is built, THEN every statistics request of
``tools.bench.stats`` runs without error, counts what the donors hold, the facts table is full
(and its one-off fill refills it), and the report renders.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import index_of_records
from tools.bench import scale, stats

PARAGRAPH = "The applicant alleged that the police officers had subjected him to torture " * 3
STATES = ["Russia", "Russia", "Turkey"]


def _donors() -> dict[str, dict]:
    records = {}
    for n, state in enumerate(STATES):
        title = f"CASE OF DONOR{n} v. {state.upper()}"
        records[f"donor{n}"] = {
            "title": title, "text": title + "\n" + "\n".join([PARAGRAPH] * 40),
            "kind": "echr_judgment", "respondent_states": [state],
            "date": f"201{n}-03-0{n + 1}", "case_numbers": [f"{n + 1}000/0{n}"],
            "holdings": [{"article": "3", "outcome": "violation" if n != 1 else "no_violation"}],
            "awards": [{"amount": 1000.0 * (n + 1), "currency": "EUR",
                        "head": "non_pecuniary"}] if n != 1 else []}
    return records


@pytest.fixture(scope="module", params=["whoosh", "tantivy"])
def synthetic(request, tmp_path_factory) -> Path:
    if request.param == "tantivy":
        pytest.importorskip("tantivy")
    tmp = tmp_path_factory.mktemp(f"bench-stats-{request.param}")
    donors = index_of_records(tmp, _donors())
    out = tmp / "synth"
    scale.synth([donors], out, docs=9, seed=3)
    scale.build(out, request.param)
    return out


def test_every_request_runs_and_counts_the_donors(synthetic: Path) -> None:
    result = stats.measure(synthetic, repeat=1)
    assert result["documents"] == 9
    assert [r["name"] for r in result["rows"]] == [q.name for q in stats.QUERIES]
    assert all(r["error"] is None for r in result["rows"]), result["rows"]
    everything = result["rows"][0]
    assert everything["selected"] == 9
    # Copies of one donor are one ruling to compute(): at most three are counted.
    assert 1 <= everything["counted"] <= 3
    russia = result["rows"][1]
    assert 0 < russia["selected"] < 9  # the Turkish donor's copies are not selected


def test_facts_are_full_and_refilled(synthetic: Path) -> None:
    done = stats.fill(synthetic)
    assert done["all_filled"] and done["facts_rows"] == 9
    assert done["fill_documents"] == 9


def test_the_section_renders(synthetic: Path) -> None:
    one = {"measure": stats.measure(synthetic, repeat=1),
           "every_document": stats.measure(synthetic, repeat=1),
           "cold": {**stats.first(synthetic), "process_s": 0.0}}
    lines = stats.stats_section({"fill": stats.fill(synthetic), "engines": [one]},
                                "python -m tools.bench.stats run", "test machine")
    text = "\n".join(lines)
    assert "article 3, Russia, awards in EUR" in text and "all filled" in text
