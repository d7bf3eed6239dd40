"""How well awards are read: (amount, currency, head) against sums read by hand.

Two gold files, both written by reading operative parts, never by running the parser:
``tests/gold/awards.json`` (95 ECHR judgments drawn at random from the bulk records whose HUDOC
conclusion mentions an award, in three sets by when they were read: ``development``, ``held-out``,
``held-out 2``; the Russian civil decisions of the corpora that award money; and, as the set
``translations (uk, ru)``, the Ukrainian and Russian translations of ECHR judgments, PDFs, that order a
payment) and the awards of
``tests/gold/echr_judgments.json``. Each bulk set is reported on its own, by its ``set`` name.
Each file is extracted and read as ingest reads it (a HUDOC record with its metadata). Awards
compare as multisets per document: an award with the right amount and currency under the wrong
head counts as one wrong and one missed.

The targets are those a statistic of awards needs (precision first: a wrong sum on a chart
misleads more than a missing one).
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any

from pipeline.extract import extract_file
from pipeline.language import detect_language
from pipeline.models import Judgment
from pipeline.records import structure
from tools import paths
from tools.evaluate import echr

__all__ = ["GOLD", "TARGETS", "evaluate"]

GOLD = paths.GOLD / "awards.json"
TARGETS = {"precision": 0.97, "recall": 0.9}


def _documents() -> list[tuple[str, dict[str, Any]]]:
    """(collection, gold entry) for every document of both gold files."""
    own = json.loads(GOLD.read_text(encoding="utf-8"))["documents"]
    out = [(f"ECHR, bulk ({g['set']})" if g["file"].startswith("bulk/")
            else f"ECHR, {g['set']}" if "set" in g else "Russian civil", g) for g in own]
    out += [("ECHR, structure gold", g) for g in echr.load_gold()]
    return out


def _parsed(corpora: Path, gold: dict[str, Any]) -> Judgment:
    """The document read as ingest reads it: the first record of a JSON file, the text of a PDF or
    HTML file, with the language ingest detects before it structures (``ingest.worker``)."""
    doc = extract_file(corpora / gold["file"])[0]
    doc.language = detect_language(doc.text)
    return structure(doc)


def _key(amount: float, currency: str, head: str) -> tuple[float, str, str]:
    return round(amount, 2), currency, head


def evaluate(corpora: Path) -> tuple[str, dict[str, float]]:
    """Parse every gold document; return a Markdown section and headline numbers
    (``<collection>.precision``/``.recall`` and ``all.*``)."""
    counts: dict[str, list[int]] = {}
    docs: Counter = Counter()
    misses: list[str] = []
    for group, gold in _documents():
        try:
            j = _parsed(corpora, gold)
        except Exception as exc:  # noqa: BLE001 - one unreadable file must not hide the others
            misses.append(f"`{gold['file']}`: not parsed ({type(exc).__name__})")
            j = Judgment()
        got = Counter(_key(a.amount, a.currency, a.head) for a in j.awards)
        want = Counter(_key(a["amount"], a["currency"], a["head"]) for a in gold["awards"])
        right = sum((got & want).values())
        for g in (group, "all"):
            c = counts.setdefault(g, [0, 0, 0])
            c[0], c[1], c[2] = c[0] + right, c[1] + sum(got.values()), c[2] + sum(want.values())
            docs[g] += 1
        if got != want:
            misses.append(f"`{gold['file'].split('/')[-1]}`: extra {sorted((got - want).elements(), key=str)}, "
                          f"missing {sorted((want - got).elements(), key=str)}")
    numbers: dict[str, float] = {}
    lines = ["## Awards (gold: tests/gold/awards.json and tests/gold/echr_judgments.json)", "",
             "Sums ordered paid, compared as (amount, currency, head) per document; read by hand, "
             "read as ingest reads them.", "",
             "| collection | docs | awards | precision | recall |", "|---|---:|---:|---:|---:|"]
    for g in [*sorted(k for k in counts if k != "all"), "all"]:
        n_right, n_got, n_want = counts[g]
        precision = n_right / n_got if n_got else 1.0
        recall = n_right / n_want if n_want else 1.0
        numbers[f"{g}.precision"], numbers[f"{g}.recall"] = precision, recall
        lines.append(f"| {g} | {docs[g]} | {n_want} | {precision:.3f} | {recall:.3f} |")
    verdict = ", ".join(f"{k} {numbers['all.' + k]:.3f} (target ≥ {v})"
                        + ("" if numbers["all." + k] >= v else " **below target**")
                        for k, v in TARGETS.items())
    lines += ["", f"All: {verdict}.", "",
              "The development judgments were read first and used to rework the award reader; the "
              "held-out ones were read after it and scored precision 0.868, recall 0.868 before the "
              "one fix they showed (both heads spelt out in full). 'Held-out 2' (the next 30 of the same "
              "draw) was read after the reader was final and scored precision 0.985, recall 1.000 before "
              "its one fix (a deduction with an article: 'less the EUR 2,286.50 already received'). "
              "Russian civil decisions that award money are scarce in the corpora: two. The Ukrainian and "
              "Russian translations (21 PDFs whose operative part orders a payment) were read before the reader "
              "was run on them and scored precision 0.943, recall 0.846 before their fixes (the currency only in "
              "the words after the figure, currency names in capitals, an inflation loss as pecuniary, a page "
              "footnote inside a point).", ""]
    lines += (["Differences from the gold:", ""] + [f"- {m}" for m in misses]) if misses \
        else ["No differences from the gold."]
    return "\n".join(lines) + "\n", numbers
