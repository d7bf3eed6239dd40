"""The fact-pattern evaluation: which judgments answer a query (HUDOC's violations), and the
P@10 of each aggregate on a small made-up layer (no encoder: the passages' vectors are given)."""

from __future__ import annotations

import numpy as np
import pytest

from pipeline.search.meaning.store import Loaded
from tools.evaluate import facts


@pytest.mark.parametrize(("conclusion", "expected"), [
    ("Violation of Art. 3 (procedural aspect);Violation of Art. 41", {"3"}),
    ("Violation of Article 1 of Protocol No. 1 - Protection of property", {"P1-1"}),
    # near-misses: a finding of no violation, and just satisfaction, answer nothing
    ("No violation of Art. 3 (substantive aspect);Non-pecuniary damage - award", set()),
    ("Violation de l'article 14+3 - Interdiction de la discrimination", {"14+3"}),
])
def test_violated(conclusion: str, expected: set[str]) -> None:
    assert facts.violated({"conclusion": conclusion}) == expected


def test_measure(monkeypatch) -> None:
    """The query judgment and its translation are left out; a judgment on the same violation is
    relevant, one on another is not."""
    ids = ["query", "query-fr", "same", "other"]
    rows = np.asarray([[1, 0], [1, 0], [0.9, 0.1], [0.95, 0.05]], dtype=np.float32)
    rows /= np.linalg.norm(rows, axis=1, keepdims=True)
    layer = Loaded(ids, np.arange(4, dtype=np.int32), np.zeros((4, 2), np.int32),
                   ["1"] * 4, rows, np.ones(4, np.float32))
    items = {d: f"001-{n}" for n, d in enumerate(ids)}
    records = {"001-0": {"conclusion": "Violation of Art. 3", "app_no": "1/01", "language": "ENG"},
               "001-1": {"conclusion": "Violation de l'article 3", "app_no": "1/01",
                         "language": "FRE"},
               "001-2": {"conclusion": "Violation of Art. 3", "app_no": "2/02", "language": "ENG"},
               "001-3": {"conclusion": "Violation of Art. 6", "app_no": "3/03", "language": "ENG"}}
    monkeypatch.setattr(facts, "embed_texts",
                        lambda texts: np.tile(np.asarray([1, 0], np.float32), (len(texts), 1)))
    section, numbers = facts._measure(layer, [("query", "en", "The applicant was beaten.")],
                                      items, records)
    # "other" ranks above "same" but is not relevant; the query's own texts are not counted
    assert numbers["P@10 (mean)"] == pytest.approx(0.1)
    assert "| mean (default) | 0.10 | 0.10 |" in section
    assert "base rate (share relevant) | 0.50 |" in section
