"""The awards evaluation: its gold file's shape (every sum with a known head and an ISO currency,
every file in the manifest) and one run on the real texts against the targets (skipped without
../shared/corpora, failed under CI=true)."""

from __future__ import annotations

import json

from pipeline.entities.money import CURRENCY_CODES
from tools.evaluate.awards import GOLD, TARGETS, evaluate

HEADS = {"non_pecuniary", "pecuniary", "costs", "other"}


def test_gold_file_is_well_formed() -> None:
    gold = json.loads(GOLD.read_text(encoding="utf-8"))
    documents = gold["documents"]
    assert len(documents) >= 60 and len({d["file"] for d in documents}) == len(documents)
    for document in documents:
        for award in document["awards"]:
            assert award["head"] in HEADS, document["file"]
            assert award["currency"] in CURRENCY_CODES, document["file"]
            assert award["amount"] > 0, document["file"]


def test_awards_meet_their_targets(shared_corpora) -> None:
    gold = json.loads(GOLD.read_text(encoding="utf-8"))
    listed = (shared_corpora / "MANIFEST.tsv").read_text(encoding="utf-8")
    assert all(d["file"].split("/")[-1] in listed for d in gold["documents"])
    section, numbers = evaluate(shared_corpora)
    sets = {d["set"] for d in gold["documents"] if d["file"].startswith("bulk/")}
    assert {"development", "held-out", "held-out 2"} <= sets
    assert all(f"ECHR, bulk ({s}).precision" in numbers for s in sets), section  # each set on its own
    assert "ECHR, translations (uk, ru).precision" in numbers, section    # the translated PDFs too
    assert numbers["all.precision"] >= TARGETS["precision"], section
    assert numbers["all.recall"] >= TARGETS["recall"], section
