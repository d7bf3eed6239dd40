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
import time
from collections import Counter
from pathlib import Path

from pipeline.entities.resolve import resolve_citations
from pipeline.extract import extract_file
from pipeline.records import structure
from pipeline.reference.caselaw import Printed, caselaw_list
from pipeline.reference.names import case_name_parts


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
    for path in files:
        try:
            texts = extract_file(path)
        except Exception as exc:  # noqa: BLE001 - a measurement goes on past a bad file
            counts["files failed"] += 1
            print(f"skip {path}: {exc}")
            continue
        for doc in texts:
            judgment = structure(doc)
            if not judgment.kind.startswith("echr") or not judgment.citations:
                continue
            counts["documents"] += 1
            began = time.perf_counter()
            found = resolve_citations(judgment.citations, doc.language)
            seconds += time.perf_counter() - began
            for cit in found:
                full = bool(cit.case_name and case_name_parts(cit.case_name)[1])
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
                        resolved.append((by, path.name, cit.text, cit.canonical))
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
