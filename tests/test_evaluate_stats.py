"""The statistics evaluation: how HUDOC's fields become the gold outcome per article, what the
statistics count on an article, the scoring (near-misses: an article in both of HUDOC's lists, an
article not read, a combination 14+3), and one run on a few real bulk judgments (skipped without
../shared/corpora, failed under CI=true)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import need
from pipeline.facts import Facts
from tools.evaluate.stats import Pair, article_heads, evaluate, hudoc_outcomes, score, stats_outcome

GOLD = [
    # (case, HUDOC record fields, expected article -> outcome)
    ("one of each", {"violation": "3", "nonviolation": "13"},
     {"3": "violation", "13": "no_violation"}),
    ("paragraph under its article", {"violation": "6;6-1", "nonviolation": "6-3-c"}, {"6": "violation"}),
    ("in both lists: the violation wins", {"violation": "3", "nonviolation": "3"}, {"3": "violation"}),
    ("combination under each side", {"violation": "14+3", "nonviolation": ""},
     {"14": "violation", "3": "violation"}),
    ("no-violation of a combination, violation of one side",
     {"violation": "3", "nonviolation": "14+3;14;3"}, {"3": "violation", "14": "no_violation"}),
    ("Protocol article kept whole", {"violation": "P1-1-2", "nonviolation": ""}, {"p1-1": "violation"}),
    ("Protocol article only in the conclusion",
     {"violation": "6", "conclusion": "Violation of Art. 6-1;Violation of Article 1 of Protocol No. 1"},
     {"6": "violation", "p1-1": "violation"}),
    ("'no separate issue' is no finding", {"conclusion": "No separate issue under Art. 14+8"}, {}),
    ("nothing listed", {"violation": "", "nonviolation": ""}, {}),
]


@pytest.mark.parametrize(("case", "record", "expected"), GOLD, ids=[g[0] for g in GOLD])
def test_hudoc_outcomes(case: str, record: dict[str, str], expected: dict[str, str]) -> None:
    assert hudoc_outcomes(record) == expected, case


def test_article_heads() -> None:
    assert article_heads(["6-1", "14+8", "P1-1", "P4-2-1", " "]) == {"6", "14", "8", "p1-1", "p4-2"}


def _facts(*holdings: tuple[str | None, str], kind: str = "echr_judgment") -> Facts:
    return Facts(id="x", kind=kind, holdings=list(holdings))


STATS = [
    # (case, facts, article, expected statistics' outcome)
    ("read as held", _facts(("3", "violation")), "3", "violation"),
    ("paragraph counts under its article", _facts(("6-1", "no_violation")), "6", "no_violation"),
    ("combination 14+3 counts under 3", _facts(("14+3", "violation")), "3", "violation"),
    ("combination 14+3 counts under 14", _facts(("14+3", "violation")), "14", "violation"),
    ("13+3 is not about 8", _facts(("13+3", "violation")), "8", None),
    ("violation wins over no violation", _facts(("3", "no_violation"), ("3", "violation")), "3",
     "violation"),
    ("whole application inadmissible", _facts((None, "inadmissible")), "8", "inadmissible"),
    ("inadmissible in part is not on any one article",
     _facts((None, "inadmissible_in_part"), ("3", "violation")), "3", "violation"),
    ("not necessary to examine", _facts(("6", "not_necessary_to_examine")), "6", "other"),
    ("not read: nothing on the article", _facts(("3", "violation")), "6", None),
    ("Protocol article in lower case", _facts(("P1-1", "violation")), "p1-1", "violation"),
    ("P1-1 is not Article 1", _facts(("P1-1", "violation")), "1", None),
    ("a decision is a ruling", _facts(("3", "inadmissible"), kind="echr_decision"), "3", "inadmissible"),
    ("not a Strasbourg ruling: not counted", _facts(("3", "violation"), kind="other"), "3", None),
]


@pytest.mark.parametrize(("case", "facts", "article", "expected"), STATS, ids=[s[0] for s in STATS])
def test_stats_outcome(case: str, facts: Facts, article: str, expected: str | None) -> None:
    assert stats_outcome(facts, article) == expected, case


def test_score_counts_agreement_over_pairs_read() -> None:
    s = score([
        Pair("a", "3", "violation", "violation"),          # right
        Pair("a", "14", "violation", "violation"),         # 14+3 under 14: right
        Pair("b", "3", "violation", "no_violation"),       # missed violation, wrong no-violation
        Pair("b", "13", "no_violation", "no_violation"),   # right
        Pair("c", "6", "no_violation", "violation"),       # wrong violation
        Pair("c", "8", "no_violation", "other"),           # neither column
        Pair("d", "2", "violation", None),                 # not read: left out, not wrong
    ])
    assert (s.pairs, s.read, s.agree, s.not_read) == (7, 6, 3, 1)
    assert s.precision("violation") == pytest.approx(2 / 3)
    assert s.recall("violation") == pytest.approx(2 / 3)             # of the 3 read
    assert s.recall("violation", of_read=False) == pytest.approx(2 / 4)
    assert s.precision("no_violation") == pytest.approx(1 / 2)
    assert s.recall("no_violation") == pytest.approx(1 / 3)
    assert s.count("violation") == 4 and s.count(stats="violation") == 3


def test_score_of_nothing() -> None:
    s = score([])
    assert (s.pairs, s.precision("violation"), s.recall("no_violation")) == (0, None, None)


def test_absent_corpora_skip_cleanly(tmp_path: Path) -> None:
    section, numbers = evaluate(tmp_path)
    assert "Not measured" in section and numbers == {}


def test_runs_on_real_judgments(shared_corpora: Path) -> None:
    from tools.evaluate.retrieval import BULK

    need((shared_corpora / BULK).is_dir(), f"{BULK} not found")
    # 001-102252: violations of 3 and 14+3; 001-107364/5: one judgment in English and French,
    # with Article 3 both violated (substantive) and not (procedural).
    chosen = ["001-102252", "001-107364", "001-107365", "001-100038"]
    records = {}
    for item in chosen:
        path = shared_corpora / BULK / f"{item}.json"
        need(path.is_file(), f"{path} not found")
        record = json.loads(path.read_text(encoding="utf-8"))
        record.pop("full_text")
        records[path] = record
    section, numbers = evaluate(shared_corpora, records=records)
    assert section.startswith("## Statistics: outcomes per article against HUDOC")
    assert numbers["pairs"] >= 8
    assert numbers["violation.precision"] == 1.0, section
    assert "| 2011 | 1 | 1 | 1 |" in section, section  # the two languages of one ruling: once
    assert "CASE OF" not in section and "Roma" not in section  # no titles or names
