"""How well ``parse_echr`` reads ECHR judgments, measured against the hand-made gold file.

The gold file (``tests/gold/echr_judgments.json``) was written by reading the texts in
``../shared/corpora/echr`` (HUDOC DOCX and JSON exports, two Series A era PDFs), never by running
the parser. Each gold document is extracted with ``extract_file`` and parsed from its text alone:
source metadata is withheld, so the numbers measure the reading of the text, not the catalogue.

Fields are right only when equal as a whole (all application numbers, every respondent State in
order); titles compare without regard to case or spacing. Holdings are compared as multisets of
(article, outcome) pairs per document — once over every operative point, once over the findings
alone (outcome other than "other"), which is what a lawyer filters on; awards as multisets of
(amount, currency, head).

>>> from pathlib import Path
>>> markdown, numbers = evaluate(Path("../shared/corpora"))      # doctest: +SKIP
>>> numbers["docx_hudoc_en.holdings_recall"] >= 0.9                 # doctest: +SKIP
True
"""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path
from typing import Any

from pipeline.errors import PipelineError
from pipeline.extract import extract_file
from pipeline.models import Judgment
from pipeline.reference.states import states_from_codes
from pipeline.structure.echr import parse_echr
from tools import paths

__all__ = ["GOLD", "FIELDS", "evaluate", "load_gold", "parse_gold_document"]

GOLD = paths.GOLD / "echr_judgments.json"
#: header fields compared whole; the first five are the ones the issue names.
FIELDS = ("case_numbers", "respondent_states", "date", "formation", "title", "kind", "final_date")


def load_gold(path: Path = GOLD) -> list[dict[str, Any]]:
    """The gold documents (each with ``file`` relative to the corpora folder)."""
    return json.loads(path.read_text(encoding="utf-8"))["documents"]


def collection(gold: dict[str, Any]) -> str:
    """``docx_hudoc_en``, ``json_v_russia`` or ``old`` (the Series A era PDFs)."""
    folder = gold["file"].split("/")[1]
    return folder if folder in ("docx_hudoc_en", "json_v_russia") else "old"


def parse_gold_document(corpora: Path, gold: dict[str, Any]) -> Judgment:
    """Extract and parse the text a gold entry describes (the first record of a JSON file)."""
    docs = extract_file(corpora / gold["file"])
    return parse_echr(docs[0].text)


def _same(field: str, predicted: Any, expected: Any) -> bool:
    if field == "title":
        return " ".join(str(predicted or "").split()).casefold() == " ".join(str(expected or "").split()).casefold()
    if field == "case_numbers":
        return sorted(predicted or []) == sorted(expected or [])
    return predicted == expected


def _overlap(predicted: Counter, expected: Counter) -> tuple[int, int, int]:
    return sum((predicted & expected).values()), sum(predicted.values()), sum(expected.values())


def _prf(tp: int, n_pred: int, n_gold: int) -> tuple[float, float, float]:
    p = tp / n_pred if n_pred else (1.0 if not n_gold else 0.0)
    r = tp / n_gold if n_gold else 1.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f


def evaluate(corpora: Path, gold_path: Path = GOLD, *, unseen: bool = True) -> tuple[str, dict[str, float]]:
    """Parse every gold document under ``corpora``; return a Markdown section and headline numbers.

    Headline keys are ``<collection>.<measure>`` for the collections ``docx_hudoc_en``,
    ``json_v_russia``, ``old`` and ``all`` (measures: each field's accuracy, ``holdings_precision``,
    ``holdings_recall``, ``holdings_f1``, ``findings_precision``/``_recall``/``_f1``,
    ``awards_precision``, ``awards_recall``). With ``unseen`` a second table compares the parser
    with HUDOC's own metadata on the bulk records, which nobody read (``unseen.*`` keys).
    """
    golds = load_gold(gold_path)
    groups = ("docx_hudoc_en", "json_v_russia", "old", "all")
    right: dict[str, Counter] = {g: Counter() for g in groups}
    count: Counter = Counter()
    counts: dict[str, dict[str, list[int]]] = {g: {k: [0, 0, 0] for k in ("holdings", "findings", "awards")}
                                               for g in groups}
    misses: list[str] = []
    for gold in golds:
        name = gold["file"].split("/")[-1]
        group = collection(gold)
        try:
            j = parse_gold_document(corpora, gold)
        except Exception as exc:  # noqa: BLE001 - one unreadable file must not hide the others
            misses.append(f"`{name}`: not parsed ({type(exc).__name__}: {exc})")
            j = Judgment()
        for g in (group, "all"):
            count[g] += 1
        for field in FIELDS:
            ok = _same(field, getattr(j, field), gold.get(field))
            for g in (group, "all"):
                right[g][field] += ok
            if not ok:
                misses.append(f"`{name}` {field}: got {getattr(j, field)!r}, gold {gold.get(field)!r}")
        pairs = {
            "holdings": (Counter((h.article, h.outcome) for h in j.holdings),
                         Counter((h["article"], h["outcome"]) for h in gold["holdings"])),
            "findings": (Counter((h.article, h.outcome) for h in j.holdings if h.outcome != "other"),
                         Counter((h["article"], h["outcome"]) for h in gold["holdings"] if h["outcome"] != "other")),
            "awards": (Counter((round(a.amount, 2), a.currency, a.head) for a in j.awards),
                       Counter((round(a["amount"], 2), a["currency"], a["head"]) for a in gold["awards"])),
        }
        for key, (pred, exp) in pairs.items():
            tp, n_pred, n_gold = _overlap(pred, exp)
            for g in (group, "all"):
                c = counts[g][key]
                c[0], c[1], c[2] = c[0] + tp, c[1] + n_pred, c[2] + n_gold
            if key != "findings" and pred != exp:
                extra, missing = pred - exp, exp - pred
                misses.append(f"`{name}` {key}: extra {sorted(extra.elements(), key=str)}, "
                              f"missing {sorted(missing.elements(), key=str)}")

    numbers: dict[str, float] = {}
    lines = ["## ECHR judgment structure (gold: tests/gold/echr_judgments.json)", "",
             f"{len(golds)} documents read by hand; parsed from their text alone (no source metadata).", "",
             "| collection | docs | " + " | ".join(FIELDS) + " |",
             "|---|---:|" + "---:|" * len(FIELDS)]
    for g in groups:
        if not count[g]:
            continue
        accs = []
        for field in FIELDS:
            acc = right[g][field] / count[g]
            numbers[f"{g}.{field}"] = acc
            accs.append(f"{acc:.2f}")
        lines.append(f"| {g} | {count[g]} | " + " | ".join(accs) + " |")
    lines += ["", "| collection | holdings P | R | F1 | findings P | R | F1 | awards P | R |",
              "|---|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for g in groups:
        if not count[g]:
            continue
        cells = []
        for key in ("holdings", "findings", "awards"):
            p, r, f = _prf(*counts[g][key])
            numbers[f"{g}.{key}_precision"], numbers[f"{g}.{key}_recall"] = p, r
            numbers[f"{g}.{key}_f1"] = f
            cells += [f"{p:.2f}", f"{r:.2f}"] + ([f"{f:.2f}"] if key != "awards" else [])
        lines.append(f"| {g} | " + " | ".join(cells) + " |")
    lines += ["", "Holdings: (article, outcome) per operative point; findings: those whose outcome is not "
              "`other`. Awards: (amount, currency, head).", ""]
    if misses:
        lines += ["Differences from the gold:", ""] + [f"- {m}" for m in misses] + [""]
    if unseen:
        table, agreement = _metadata_agreement(corpora / "bulk" / "echr_roma_watch_json")
        lines += table
        numbers.update(agreement)
    return "\n".join(lines), numbers


#: Names HUDOC's country codes give today for States some titles name otherwise: not errors.
_SAME_STATE = {"the former Yugoslav Republic of Macedonia": "North Macedonia", "Türkiye": "Turkey",
               "Slovak Republic": "Slovakia"}


def _base_codes(codes: list[str]) -> set[str]:
    """"14+8" -> {"14", "8"}; "P1-1-2" -> {"P1-1"}; "5-1-f" -> {"5"}: the level HUDOC always fills."""
    out: set[str] = set()
    for code in codes:
        for part in code.split("+"):
            out.add("-".join(part.split("-")[:2]) if part.startswith("P") else part.split("-")[0])
    return out


def _metadata_agreement(folder: Path) -> tuple[list[str], dict[str, float]]:
    """Agreement with HUDOC's metadata on records no one read: not gold (HUDOC's article lists
    sometimes leave out a provision the operative part names), but a check on unseen layouts."""
    c: Counter = Counter()
    for path in sorted(folder.glob("*.json")) if folder.is_dir() else []:
        try:
            doc = extract_file(path)[0]
        except PipelineError:
            continue
        meta = doc.meta
        if len(doc.text) < 500:
            continue  # records with an empty full_text
        j = parse_echr(doc.text)
        c["records"] += 1
        c["case_numbers"] += sorted(j.case_numbers) == sorted(re.findall(r"\d{1,6}/\d{2}", str(meta.get("app_no", ""))))
        c["date"] += j.date == str(meta.get("date", ""))[:10]
        states = set(states_from_codes(str(meta.get("country", ""))))
        c["respondent_states"] += {_SAME_STATE.get(x, x) for x in j.respondent_states} == states
        collection = str(meta.get("collection", ""))
        kind = "echr_judgment" if "JUDGMENTS" in collection else "echr_decision" if "DECISIONS" in collection \
            else "echr_other"
        c["kind"] += j.kind == kind
        if kind == "echr_judgment":
            for outcome, key in (("violation", "violation"), ("no_violation", "nonviolation")):
                pred = _base_codes([h.article for h in j.holdings if h.outcome == outcome and h.article])
                hudoc = _base_codes([x for x in str(meta.get(key, "")).split(";") if x])
                c[f"{outcome}_tp"] += len(pred & hudoc)
                c[f"{outcome}_pred"] += len(pred)
                c[f"{outcome}_gold"] += len(hudoc)
    if not c["records"]:
        return [], {}
    numbers = {f"unseen.{k}": c[k] / c["records"] for k in ("case_numbers", "respondent_states", "date", "kind")}
    for outcome in ("violation", "no_violation"):
        p, r, _ = _prf(c[f"{outcome}_tp"], c[f"{outcome}_pred"], c[f"{outcome}_gold"])
        numbers[f"unseen.{outcome}_precision"], numbers[f"unseen.{outcome}_recall"] = p, r
    table = ["### Unseen: agreement with HUDOC metadata (bulk/echr_roma_watch_json)", "",
             f"{c['records']} records nobody read (judgments and decisions, 1996–2025, English and French). "
             "HUDOC's metadata is not gold: it lists joined applications inconsistently and its article lists "
             "sometimes omit a provision the operative part names; FYROM/North Macedonia and Türkiye/Turkey count "
             "as the same State.", "",
             "| records | case_numbers | respondent_states | date | kind | violation P | R | no violation P | R |",
             "|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
             f"| {c['records']} | " + " | ".join(f"{numbers['unseen.' + k]:.2f}" for k in (
                 "case_numbers", "respondent_states", "date", "kind", "violation_precision", "violation_recall",
                 "no_violation_precision", "no_violation_recall")) + " |", "",
             "Violations compared at article level (`14+8` counts for 14 and 8; `5-1-f` for 5).", ""]
    return table, numbers
