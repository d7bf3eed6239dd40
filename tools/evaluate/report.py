"""Measure extraction and understanding against gold data; print it and write EVAL.md.

Run ``python -m tools.evaluate`` (``make eval``) from the project root; it reads the real
documents in ../shared/corpora and the project's own gold files in tests/gold/. Sections:

* **Russian structure** (``tools.evaluate.russian``): section boundaries against the 1,010
  hand-marked rulings, accused, prison terms and fines.
* **ECHR structure** (``tools.evaluate.echr``): header fields, holdings and awards against
  tests/gold/echr_judgments.json, written by reading the judgments.
* **ECHR across eras and kinds** (``tools.evaluate.echr_eras``): kind, numbers, States, date and
  article-level holdings of every HUDOC era and kind and of translations, against
  tests/gold/echr_eras.json, with the violations reported where the Court found none.
* **Awards** (``tools.evaluate.awards``): (amount, currency, head) of the sums ordered paid, against
  tests/gold/awards.json (65 ECHR judgments with awards, Russian civil decisions) and the awards of
  tests/gold/echr_judgments.json; targets precision 0.97, recall 0.9.
* **Statistics** (``tools.evaluate.stats``): the outcome per article the statistics count for each
  bulk judgment (violation, no violation) against HUDOC's own ``violation``, ``nonviolation`` and
  ``conclusion``; precision, recall, the pairs not read, Article 3 violations per year.
* **Named entities** (``tools.evaluate.ner``): French NER against the ECHR anonymisation gold,
  Russian NER against tests/gold/ru_ner.jsonl.
* **Duplicates** (``tools.evaluate.duplicates``): judgments in several formats shown once,
  look-alike documents never merged, on files of the shared corpora labelled by reading.
* **Citations** (``tools.evaluate.caselaw``): how many citations resolve against the Court's
  list, and whether those of tests/gold/caselaw.tsv resolve to the entry a reader checked.
* **Cross-lingual retrieval** (``tools.evaluate.retrieval``): P@10 and nDCG@10 of Russian and
  French queries against the bulk ECHR judgments, per search mode, relevance from HUDOC's conclusions.
* **Fact-pattern queries** (``tools.evaluate.facts``): a judgment's statement of facts as the
  query, judgments on the same violations as the answers, P@10 per way of ranking over passages;
  on the index of the retrieval section.
* **OCR CER**, **speed** and **checks** of PDF extraction (``tools.evaluate.pdf``), with the
  exact edit distance of ``tools.evaluate.distance``.
"""

from __future__ import annotations

import argparse
import builtins
import os
import sys
import tempfile
import time
from pathlib import Path

from pipeline.extract import ocr
from pipeline.extract.base import ExtractOptions
from tools.evaluate import (awards, caselaw, duplicates, echr, echr_eras, facts, ner, retrieval, russian,
                            stats)
from tools.evaluate.pdf import ocr_rows, text_rows
from tools.paths import ROOT, SHARED_CORPORA

__all__ = ["main"]


def _table(header: list[str], rows: list[list[str]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tools.evaluate", description=__doc__.split("\n")[0])
    parser.add_argument("--corpora", type=Path, default=SHARED_CORPORA, help="the shared corpora folder")
    parser.add_argument("--skip-text", action="store_true", help="only the OCR measurements")
    parser.add_argument("--out", type=Path, default=Path("EVAL.md"), help="where to write the report")
    args = parser.parse_args(argv)
    report: list[str] = []

    def print(*parts: object, **_: object) -> None:  # noqa: A001 - echo and keep every line
        line = " ".join(str(p) for p in parts)
        builtins.print(line, flush=True)
        report.append(line)

    if not (args.corpora / "scanned").is_dir():
        builtins.print(f"corpora not found at {args.corpora}", file=sys.stderr)
        return 2
    started = time.perf_counter()
    print("# Evaluation\n")
    print(f"Command: `make eval` (`python -m tools.evaluate`), corpora: "
          f"`{os.path.relpath(args.corpora, ROOT)}`.\n")
    headline: dict[str, float] = {}
    # The retrieval and fact-pattern sections read one index of the bulk judgments, built once.
    scratch = tempfile.TemporaryDirectory(prefix="precedents-retrieval-")
    bulk = Path(os.environ.get(retrieval.INDEX_ENV) or Path(scratch.name) / "index")
    for name, module in (("Russian ruling structure", russian),
                         ("ECHR judgment structure", echr),
                         ("ECHR across eras and kinds", echr_eras),
                         ("Awards", awards),
                         ("Statistics", stats),
                         ("Named entities", ner),
                         ("Duplicates", duplicates),
                         ("Citations", caselaw),
                         ("Cross-lingual retrieval", retrieval),
                         ("Fact-pattern queries", facts)):
        shared = {"index": bulk} if module in (retrieval, facts) else {}
        section, numbers = module.evaluate(args.corpora, **shared)
        print(section.rstrip() + "\n")
        headline.update({f"{name}: {k}": v for k, v in numbers.items()})
    scratch.cleanup()

    print("## OCR character error rate (derived image-only PDFs)\n")
    if ocr.available():
        orows = ocr_rows(args.corpora)
        print(_table(
            ["file", "pages", "CER raw", "CER pipeline", "s/page (OCR, wall)"],
            [[r.name, str(r.pages), f"{r.cer_raw:.2%}", f"{r.cer_pipeline:.2%}", f"{r.seconds_per_page:.2f}"]
             for r in orows]))
        print(f"\nTesseract languages: {ocr.pick_languages(ExtractOptions().ocr_languages)}, "
              f"psm {ocr.DEFAULT_PSM}, {ExtractOptions().ocr_dpi} dpi; edit distance: exact (bit-parallel).")
    else:
        print("tesseract is not installed: OCR not measured")

    if not args.skip_text:
        trows = text_rows(args.corpora)
        print("\n## Text-layer extraction\n")
        print(_table(
            ["file", "pages", "s/page", "OCR pages", "offsets exact", "page numbers left", "chars vs pdftotext"],
            [[r.name, str(r.pages), f"{r.seconds_per_page:.3f}", str(r.ocr_pages),
              "yes" if r.offsets_ok else "NO", str(r.edge_numbers),
              f"{r.vs_pdftotext:.2f}" if r.vs_pdftotext else "-"] if not r.error
             else [r.name, "-", "-", "-", "ERROR", "-", r.error] for r in trows]))
        ok = [r for r in trows if not r.error]
        text_only = [r for r in ok if not r.ocr_pages]
        pages = sum(r.pages for r in text_only)
        seconds = sum(r.pages * r.seconds_per_page for r in text_only)
        print(f"\nText PDFs without OCR pages: {len(text_only)} files, {pages} pages, "
              f"{seconds / max(pages, 1):.3f} s/page; errors: {len(trows) - len(ok)}.")
    print(f"\n_Finished in {time.perf_counter() - started:.0f} s._")
    args.out.write_text("\n".join(report) + "\n", encoding="utf-8")
    builtins.print(f"written to {args.out}", file=sys.stderr)
    return 0

