"""OCR character error rate and text-layer checks for PDFs of the real corpora.

* **OCR CER** for the two derived image-only PDFs in ``scanned/`` that ship a
  ``.groundtruth.txt``: Levenshtein distance / length of the ground truth, after collapsing all
  whitespace to single spaces. "raw" is Tesseract's text as it came; "pipeline" is what
  ``PdfExtractor`` returns (running heads and page numbers removed, hyphens repaired), so the
  difference is the share the clean-up changes relative to a layout dump.
* **Speed**: seconds per page for text-layer extraction over every text PDF, and for OCR.
* **Checks** per text PDF: page offsets exact, no bare page number left at a page edge, and
  the character count relative to ``pdftotext`` (poppler; used here only, never in the
  pipeline) when it is installed.
"""

from __future__ import annotations

import shutil
import subprocess
import time
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from pipeline.errors import ExtractionError
from pipeline.extract import ocr
from pipeline.extract.base import ExtractOptions
from pipeline.extract.pdf import PdfExtractor, is_page_number
from pipeline.models import ExtractedText
from tools.evaluate.distance import cer, normalise_whitespace

__all__ = ["OcrRow", "TextRow", "ocr_rows", "text_rows", "check_pages", "OCR_SAMPLES", "TEXT_PDF_DIRS"]

TEXT_PDF_DIRS = ("echr/pdf_hrights", "ru/pdf_arbitrazh", "other/us_doctor")
OCR_SAMPLES = (
    "scanned/derived_echr_frizen_v_russia_ru_image_only.pdf",
    "scanned/derived_ru_arbitrazh_A40-5590-2023_image_only.pdf",
)


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
