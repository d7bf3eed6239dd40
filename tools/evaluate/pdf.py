"""Measure extraction and understanding against gold data; print it and write EVAL.md.

Run ``python -m pipeline.evaluate`` (``make eval``) from the project root; it reads the real
documents in ../shared/corpora and the project's own gold files in tests/gold/. Sections:

* **Russian structure** (``evaluate_russian``): section boundaries against the 1,010 hand-marked
  rulings, accused, prison terms and fines.
* **ECHR structure** (``evaluate_echr``): header fields, holdings and awards against
  tests/gold/echr_judgments.json, written by reading the judgments.
* **Named entities** (``evaluate_ner``): French NER against the ECHR anonymisation gold, Russian
  NER against tests/gold/ru_ner.jsonl.

* **OCR CER** for the two derived image-only PDFs in ``scanned/`` that ship a
  ``.groundtruth.txt``: Levenshtein distance / length of the ground truth, after collapsing all
  whitespace to single spaces. "raw" is Tesseract's text as it came; "pipeline" is what
  ``PdfExtractor`` returns (running heads and page numbers removed, hyphens repaired), so the
  difference is the share the clean-up changes relative to a layout dump.
* **Speed**: seconds per page for text-layer extraction over every text PDF, and for OCR.
* **Checks** per text PDF: page offsets exact, no bare page number left at a page edge, and
  the character count relative to ``pdftotext`` (poppler; used here only, never in the
  pipeline) when it is installed.

The edit distance is exact: Myers' bit-parallel algorithm (Hyyrö's formulation) with Python's
big integers as bit vectors, O(n * m / 64) word operations, about 0.2 s for two 20,000-character
texts, so no C extension (rapidfuzz is not installed) and no approximation (difflib) is needed.
"""

from __future__ import annotations

import argparse
import importlib
import builtins
import shutil
import subprocess
import os
import sys
import time
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from pipeline.errors import ExtractionError
from pipeline.extract import ocr
from pipeline.extract.base import ExtractOptions
from pipeline.extract.pdf import PdfExtractor, is_page_number
from pipeline.models import ExtractedText

__all__ = ["levenshtein", "cer", "normalise_whitespace", "ocr_rows", "text_rows", "main"]

ROOT = Path(__file__).resolve().parent.parent
CORPORA = ROOT.parent / "shared" / "corpora"
TEXT_PDF_DIRS = ("echr/pdf_hrights", "ru/pdf_arbitrazh", "other/us_doctor")
OCR_SAMPLES = (
    "scanned/derived_echr_frizen_v_russia_ru_image_only.pdf",
    "scanned/derived_ru_arbitrazh_A40-5590-2023_image_only.pdf",
)


def levenshtein(a: str, b: str) -> int:
    """Exact edit distance (insertions, deletions, substitutions all cost 1).

    >>> levenshtein("пытки", "пытка"), levenshtein("", "abc"), levenshtein("kitten", "sitting")
    (1, 3, 3)
    """
    if len(a) < len(b):
        a, b = b, a
    m = len(b)
    if m == 0:
        return len(a)
    # One bit per character of the shorter string; vp/vn hold the +1/-1 vertical deltas of the
    # current DP column, so a whole column is updated with a handful of integer operations.
    peq: dict[str, int] = {}
    for i, ch in enumerate(b):
        peq[ch] = peq.get(ch, 0) | (1 << i)
    mask = (1 << m) - 1
    high = 1 << (m - 1)
    vp, vn, score = mask, 0, m
    for ch in a:
        eq = peq.get(ch, 0)
        xv = eq | vn
        xh = ((((eq & vp) + vp) & mask) ^ vp) | eq
        hp = (vn | ~(xh | vp)) & mask
        hn = vp & xh
        if hp & high:
            score += 1
        elif hn & high:
            score -= 1
        hp = ((hp << 1) | 1) & mask
        hn = (hn << 1) & mask
        vp = (hn | ~(xv | hp)) & mask
        vn = hp & xv
    return score


def normalise_whitespace(text: str) -> str:
    """All runs of whitespace (newlines, form feeds, layout padding) become one space."""
    return " ".join(text.split())


def cer(hypothesis: str, reference: str) -> float:
    """Character error rate of ``hypothesis`` against ``reference``, whitespace normalised.

    >>> round(cer("Дело  N 1", "Дело N 7"), 3)
    0.125
    """
    ref = normalise_whitespace(reference)
    hyp = normalise_whitespace(hypothesis)
    return levenshtein(hyp, ref) / max(len(ref), 1)


@dataclass
class OcrRow:
    name: str
    pages: int
    cer_raw: float
    cer_pipeline: float
    seconds_per_page: float


@dataclass
class TextRow:
    name: str
    pages: int
    seconds_per_page: float
    ocr_pages: int
    offsets_ok: bool
    edge_numbers: int
    vs_pdftotext: float | None
    error: str = ""


def _raw_ocr(path: Path, options: ExtractOptions) -> str:
    """Tesseract's lines for every page, untouched by the extractor's clean-up."""
    import pypdfium2 as pdfium

    data = path.read_bytes()
    with_header = data[data.find(b"%PDF-"):]
    doc = pdfium.PdfDocument(with_header)
    count = len(doc)
    doc.close()
    languages = ocr.pick_languages(options.ocr_languages)
    pages = ocr.ocr_pdf_pages(with_header, range(count), languages, dpi=options.ocr_dpi)
    return "\n".join(line.text for _, lines in pages for line in lines)


def ocr_rows(corpora: Path, samples: Iterable[str] = OCR_SAMPLES,
             options: ExtractOptions | None = None) -> list[OcrRow]:
    """CER and OCR speed for each derived scan that has a ``.groundtruth.txt`` beside it."""
    options = options or ExtractOptions()
    rows = []
    for rel in samples:
        path = corpora / rel
        truth = path.with_suffix(".groundtruth.txt").read_text(encoding="utf-8")
        start = time.perf_counter()
        doc = PdfExtractor().extract(path, options)[0]
        elapsed = time.perf_counter() - start
        raw = _raw_ocr(path, options)
        rows.append(OcrRow(path.name, doc.page_count, cer(raw, truth), cer(doc.text, truth),
                           elapsed / max(doc.page_count, 1)))
    return rows


def check_pages(doc: ExtractedText) -> tuple[bool, int]:
    """(page offsets exact, bare page numbers left as the first/last paragraph of a page)."""
    pieces = [doc.text[p.start:p.end] for p in doc.pages]
    ordered = all(a.end <= b.start for a, b in zip(doc.pages, doc.pages[1:]))
    exact = ordered and "\n\n".join(p for p in pieces if p) == doc.text
    edges = 0
    for piece in pieces:
        paragraphs = piece.split("\n\n") if piece else []
        edges += sum(1 for para in {0, len(paragraphs) - 1} if paragraphs and is_page_number(paragraphs[para]))
    return exact, edges


def _pdftotext_chars(path: Path) -> int | None:
    if shutil.which("pdftotext") is None:
        return None
    proc = subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True, check=False)
    if proc.returncode != 0:
        return None
    return len(normalise_whitespace(proc.stdout.decode("utf-8", "replace")))


def text_rows(corpora: Path, dirs: Iterable[str] = TEXT_PDF_DIRS) -> list[TextRow]:
    """Extract every PDF under ``dirs`` (OCR allowed) and check the result."""
    rows = []
    for rel in dirs:
        for path in sorted((corpora / rel).glob("*.pdf")):
            start = time.perf_counter()
            try:
                doc = PdfExtractor().extract(path, ExtractOptions())[0]
            except ExtractionError as exc:
                rows.append(TextRow(path.name, 0, 0.0, 0, False, 0, None, str(exc)))
                continue
            elapsed = time.perf_counter() - start
            exact, edges = check_pages(doc)
            poppler = _pdftotext_chars(path)
            ratio = len(normalise_whitespace(doc.text)) / poppler if poppler else None
            rows.append(TextRow(path.name, doc.page_count, elapsed / doc.page_count,
                                doc.meta.get("ocr_pages", 0), exact, edges, ratio))
    return rows


def _table(header: list[str], rows: list[list[str]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m pipeline.evaluate", description=__doc__.split("\n")[0])
    parser.add_argument("--corpora", type=Path, default=CORPORA, help="the shared corpora folder")
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
    print(f"Command: `make eval` (`python -m pipeline.evaluate`), corpora: "
          f"`{os.path.relpath(args.corpora, ROOT)}`.\n")
    headline: dict[str, float] = {}
    for name, module in (("Russian ruling structure", "pipeline.evaluate_russian"),
                         ("ECHR judgment structure", "pipeline.evaluate_echr"),
                         ("Named entities", "pipeline.evaluate_ner")):
        section, numbers = importlib.import_module(module).evaluate(args.corpora)
        print(section.rstrip() + "\n")
        headline.update({f"{name}: {k}": v for k, v in numbers.items()})

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


if __name__ == "__main__":
    raise SystemExit(main())
