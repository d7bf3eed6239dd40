"""The eras-and-kinds evaluation: its scoring rules as tables, its gold file's shape, and one small run
on the real texts (skipped without ../shared/corpora, failed under CI=true)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tools.evaluate.echr_eras import (GOLD, TARGETS, article_key, evaluate, findings, load_gold, score_holdings,
                                      violations_where_none)

V, NV, I, NNE, O = "violation", "no_violation", "inadmissible", "not_necessary_to_examine", "other"

ARTICLE_KEYS = [
    ("6-1", "6"),
    ("6-3-c", "6"),
    ("6-1+6-3-c", "6"),          # one article under two paragraphs
    ("14+8", "14+8"),
    ("8+14", "14+8"),            # the order of a combination does not matter
    ("14+P1-1", "14+P1-1"),
    ("P1-1", "P1-1"),
    ("P1-1-2", "P1-1"),          # a Protocol article keeps its protocol
    ("P4-2", "P4-2"),            # near-miss: not Article 4 of the Convention
    ("5-1-f", "5"),
]


@pytest.mark.parametrize(("code", "key"), ARTICLE_KEYS)
def test_article_key(code: str, key: str) -> None:
    assert article_key(code) == key


SCORES = [
    # (case, predicted, gold, (tp, predicted, gold), violations where none)
    ("matching holding", [("8", V)], [("8", V)], (1, 1, 1), []),
    ("same article, paragraph differs", [("6", V)], [("6-1", V)], (1, 1, 1), []),
    ("wrong outcome", [("3", V)], [("3", NV)], (0, 1, 1), ["3"]),
    ("missing holding", [("2", V)], [("2", V), ("3", NV)], (1, 1, 2), []),
    ("extra violation", [("8", V), ("6", V)], [("8", V)], (1, 2, 1), ["6"]),
    ("two points on one article count once", [("2", V)], [("2", V), ("2", V)], (1, 1, 1), []),
    ("points without an article are not findings", [(None, I), (None, O)], [(None, O), (None, I)], (0, 0, 0), []),
    ("'other' is not scored", [("6-1", O)], [("6-1", NV)], (0, 0, 1), []),
    ("violation where the article was not applicable", [("6-1", V)], [("6-1", O)], (0, 1, 0), ["6"]),
    ("combined key is its own finding", [("8", V)], [("14+8", V)], (0, 1, 1), []),
    ("combination claims a violation of 14 never found", [("14+8", V)], [("8", V)], (0, 1, 1), ["14+8"]),
    ("not necessary to examine is no violation", [("13", V)], [("13", NNE)], (0, 1, 1), ["13"]),
    ("communicated case: nothing decided", [("3", V)], [], (0, 1, 0), ["3"]),
]


@pytest.mark.parametrize(("case", "predicted", "gold", "counts", "none"), SCORES, ids=[s[0] for s in SCORES])
def test_score_holdings(case: str, predicted: list, gold: list, counts: tuple[int, int, int], none: list[str]) -> None:
    score = score_holdings(predicted, gold)
    assert (score.tp, score.predicted, score.gold) == counts, case
    assert score.violations_where_none == none == violations_where_none(predicted, gold), case


def test_precision_and_recall_of_an_empty_side() -> None:
    assert score_holdings([], []).precision == score_holdings([], []).recall == 1.0
    assert score_holdings([("3", V)], []).precision == 0.0
    assert score_holdings([], [("3", V)]).recall == 0.0


def test_findings_ignore_unknown_outcomes() -> None:
    assert findings([("3", "violated"), ("", V)]) == set()


# -- the gold file ------------------------------------------------------------------------------

KINDS = {"echr_judgment", "echr_decision", "echr_report", "echr_communicated", "echr_advisory_opinion",
         "echr_summary", "echr_press_release", "echr_other"}
OUTCOMES = {V, NV, I, NNE, O}


def test_gold_covers_the_required_documents() -> None:
    docs = load_gold()
    files = [d["file"] for d in docs]
    assert len(files) == len(set(files)) and len(docs) >= 40
    assert sum(f.startswith("echr/hudoc_eras/") for f in files) == 38   # every file the folder holds
    translations = [d for d in docs if d["file"].startswith("echr/pdf_hrights/") and d["language"] in {"ru", "uk"}]
    assert len(translations) >= 10
    assert any(d["file"].endswith("4_pdf_Tkachevy.pdf") and d["kind"] == "echr_judgment" for d in translations)
    assert {"echr_judgment", "echr_decision", "echr_communicated", "echr_summary", "echr_press_release"} \
        <= {d["kind"] for d in docs}
    old = json.loads((Path(GOLD).parent / "echr_judgments.json").read_text(encoding="utf-8"))["documents"]
    assert not set(files) & {d["file"] for d in old}, "the eras gold repeats a document of echr_judgments.json"


def test_gold_entries_are_well_formed() -> None:
    assert json.loads(GOLD.read_text(encoding="utf-8"))["conventions"]
    for d in load_gold():
        assert {"file", "language", "kind", "case_numbers", "respondent_states", "date", "holdings"} <= set(d)
        assert d["kind"] in KINDS, d["file"]
        assert d["date"] is None or (len(d["date"]) == 10 and d["date"][4] == d["date"][7] == "-"), d["file"]
        assert all(h["outcome"] in OUTCOMES for h in d["holdings"]), d["file"]
        assert all("/" in n and n.split("/")[0].isdigit() for n in d["case_numbers"]), d["file"]
        if d["kind"] == "echr_communicated":
            assert d["holdings"] == [], "a communicated case decides nothing"


def test_targets_are_the_issues() -> None:
    assert TARGETS == {"kind": 0.95, "case_numbers": 0.95, "respondent_states": 0.95, "date": 0.95,
                       "holdings_precision": 0.97, "holdings_recall": 0.90, "violations_where_none": 0}


# -- on the real texts --------------------------------------------------------------------------

def test_gold_files_exist(shared_corpora: Path) -> None:
    assert [d["file"] for d in load_gold() if not (shared_corpora / d["file"]).is_file()] == []


def test_a_small_run_writes_the_section(shared_corpora: Path, tmp_path: Path) -> None:
    """Two short documents (a strike-out decision and an information note) through the real reader."""
    gold = json.loads(GOLD.read_text(encoding="utf-8"))
    gold["documents"] = [d for d in gold["documents"]
                         if d["file"].endswith(("001-121657_ENG.txt", "002-11349_ENG.txt"))]
    path = tmp_path / "small.json"
    path.write_text(json.dumps(gold), encoding="utf-8")
    markdown, numbers = evaluate(shared_corpora, path)
    assert markdown.startswith("## ECHR across eras and kinds")
    assert "| holdings_precision |" in markdown and "Violations reported where the Court found none" in markdown
    for key in ("all.kind", "all.date", "echr_decision.kind", "echr_summary.holdings_recall",
                "all.violations_where_none", "language en.case_numbers"):
        assert key in numbers
    assert 0.0 <= numbers["all.holdings_precision"] <= 1.0


def test_without_corpora_the_section_is_skipped(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CI", raising=False)
    markdown, numbers = evaluate(tmp_path)
    assert "Skipped" in markdown and numbers == {}
    monkeypatch.setenv("CI", "true")
    with pytest.raises(FileNotFoundError):
        evaluate(tmp_path)
