"""How many citations of the shared corpora resolve against the Court's list, and a sample to read.

    python -m tools.evaluate.caselaw ../shared/corpora/echr ../shared/corpora/bulk --sample 30

Each file is extracted and structured as ingest does (no NLP); every citation is resolved as at
ingest (``entities.resolve``). Prints the counts (full citations, that is with a State, and short
forms "X, cited above"), how the full ones resolved (by an application number printed in them, by
name with its date, or from the document's full citation of that name), the resolution time per citation, and a seeded random sample of resolved
citations, printed form beside the canonical one, for a person to check one by one.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from pipeline.entities.resolve import resolve_citations
from pipeline.extract import extract_file
from pipeline.records import structure
from pipeline.reference.caselaw import Printed, caselaw_list
from pipeline.reference.names import case_name_parts


#: The folders ``make eval`` reads: HUDOC texts of every era, and HUDOC records (JSON).
EVAL_FOLDERS = ("echr/hudoc_eras", "echr/json_v_russia")
GOLD = Path(__file__).resolve().parents[2] / "tests" / "gold" / "caselaw.tsv"


def _resolved(files: list[Path], counts: Counter[str]) -> Iterator[tuple[str, Any, float]]:
    """(file name, resolved citation, seconds its document's resolution took / its citations)
    for every citation of every ECHR document of ``files``, extracted and structured as ingest
    does; files that fail and documents are counted in ``counts``."""
    for path in files:
        try:
            texts = extract_file(path)
        except Exception as exc:  # noqa: BLE001 - a measurement goes on past a bad file
            counts["files failed"] += 1
            print(f"skip {path}: {exc}", file=sys.stderr)
            continue
        for doc in texts:
            judgment = structure(doc)
            if not judgment.kind.startswith("echr") or not judgment.citations:
                continue
            counts["documents"] += 1
            began = time.perf_counter()
            found = resolve_citations(judgment.citations, doc.language)
            each = (time.perf_counter() - began) / max(len(found), 1)
            for cit in found:
                yield path.name, cit, each


def _is_full(cit: Any) -> bool:
    """A citation with a State ("X v. Russia"), not a short form ("X, cited above")."""
    return bool(cit.case_name and case_name_parts(cit.case_name)[1])


def _resolve_folder(files: list[Path]) -> tuple[Counter[str], dict[tuple[str, str], str | None], float]:
    """Counts of citations and how they resolved; (file, printed) -> canonical; seconds spent."""
    counts: Counter[str] = Counter()
    found: dict[tuple[str, str], str | None] = {}
    seconds = 0.0
    for name, cit, took in _resolved(files, counts):
        seconds += took
        kind = "full" if _is_full(cit) else "short"
        counts[f"{kind} citations"] += 1
        counts[f"{kind} resolved"] += bool(cit.canonical)
        found.setdefault((name, " ".join(cit.text.split())), cit.canonical)
    return counts, found, seconds


def evaluate(corpora: Path) -> tuple[str, dict[str, float]]:
    """The Markdown section of ``make eval`` and its headline numbers: how many citations
    resolve, and whether those of the gold resolve to the entry a reader checked."""
    folders = [corpora / f for f in EVAL_FOLDERS]
    if not all(f.is_dir() for f in folders):
        return "## Citations resolved against the Court's list\n\nNot measured: corpora missing.\n", {}
    caselaw_list()
    files = sorted(p for f in folders for p in f.rglob("*") if p.is_file()
                   and p.suffix.lower() in (".txt", ".docx", ".pdf", ".json", ".html"))
    counts, found, seconds = _resolve_folder(files)
    gold = [line.split("\t") for line in GOLD.read_text(encoding="utf-8").splitlines()
            if line and not line.startswith("#")][1:]
    right = sum(1 for name, printed, canonical in gold if found.get((name, printed)) == canonical)
    wrong = [(name, printed, found.get((name, printed), "(not found)")) for name, printed, canonical in gold
             if found.get((name, printed)) != canonical]
    full, short = counts["full citations"], counts["short citations"]
    numbers = {"full citations resolved": counts["full resolved"] / full if full else 0.0,
               "short citations resolved": counts["short resolved"] / short if short else 0.0,
               "gold resolved right": right / len(gold) if gold else 0.0}
    lines = ["## Citations resolved against the Court's list\n",
             f"{counts['documents']} ECHR documents of `{'`, `'.join(EVAL_FOLDERS)}` "
             f"({len(files)} files): {full} full citations (with a State), {short} short ones "
             "(\"X, cited above\").\n",
             f"- full citations resolved: {counts['full resolved']} of {full} ({numbers['full citations resolved']:.1%})",
             f"- short citations resolved: {counts['short resolved']} of {short} "
             f"({numbers['short citations resolved']:.1%})",
             f"- **gold (`tests/gold/caselaw.tsv`, {len(gold)} citations checked by reading): "
             f"{right} resolved to the entry read, {len(gold) - right} not**",
             f"- resolution time: {seconds / max(full + short, 1) * 1000:.2f} ms per citation\n"]
    lines += [f"  - {name}: `{printed}` -> {got}" for name, printed, got in wrong]
    return "\n".join(lines) + "\n", numbers


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folders", nargs="+", type=Path)
    parser.add_argument("--sample", type=int, default=30)
    parser.add_argument("--seed", type=int, default=15)
    parser.add_argument("--per-method", type=int, default=0,
                        help="also sample this many of each way of resolving")
    args = parser.parse_args(argv)
    caselaw_list()
    counts: Counter[str] = Counter()
    resolved: list[tuple[str, str, str, str]] = []
    seconds = 0.0
    files = sorted(p for f in args.folders for p in f.rglob("*") if p.is_file()
                   and p.suffix.lower() in (".txt", ".docx", ".pdf", ".json", ".jsonl", ".html"))
    for name, cit, took in _resolved(files, counts):
        seconds += took
        full = _is_full(cit)
        kind = "full" if full else "short"
        counts[f"{kind} citations"] += 1
        if cit.canonical:
            printed = Printed.of(cit.text, cit.case_name, cit.case_numbers)
            by = ("number" if set(printed.numbers) & set(cit.canonical_numbers)
                  else "name and date" if printed.dates or printed.reporters
                  else "the document's full citation")
            counts[f"{kind} resolved"] += 1
            if full:
                counts[f"full resolved by {by}"] += 1
                resolved.append((by, name, cit.text, cit.canonical))
        elif full and cit.case_numbers:
            counts["full with a number, unresolved"] += 1
    total = counts["full citations"] + counts["short citations"]
    for key in sorted(counts):
        print(f"{key}: {counts[key]}")
    if counts["full citations"]:
        print(f"full resolved share: {counts['full resolved'] / counts['full citations']:.3f}")
    if total:
        print(f"resolution time: {seconds / total * 1000:.3f} ms per citation ({total} citations)")
    unique = sorted(set(resolved))
    _sample(f"{args.sample} of {len(unique)} distinct resolved full citations", unique,
            args.sample, args.seed)
    for by in sorted({r[0] for r in unique}) if args.per_method else ():
        _sample(f"{args.per_method} resolved by {by}", [r for r in unique if r[0] == by],
                args.per_method, args.seed)
    return 0


def _sample(title: str, rows: list[tuple[str, str, str, str]], size: int, seed: int) -> None:
    print(f"\nsample of {title} (seed {seed}):")
    for n, (by, name, printed, canonical) in enumerate(
            random.Random(seed).sample(rows, min(size, len(rows))), 1):
        print(f"{n:2}. [{name}, by {by}]\n    printed:   {' '.join(printed.split())}\n"
              f"    canonical: {canonical}")


if __name__ == "__main__":
    raise SystemExit(main())
