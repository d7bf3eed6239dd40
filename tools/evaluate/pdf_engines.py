"""Compare PDF text engines on every text-layer PDF of the real corpora: speed and quality.

    python -m tools.evaluate.pdf_engines [--corpora ../shared/corpora] [--markdown FILE]

Engines, each run on one core, one file at a time:

* ``pdfplumber``: ``PdfExtractor("pdfplumber")``, the pipeline as it was (pdfminer.six words,
  columns, paragraphs, running heads and page numbers dropped, hyphens repaired);
* ``pdfium``: ``PdfExtractor("pdfium")``, the same pipeline fed with PDFium's words;
* ``pdfium-raw``: pypdfium2's ``get_text_range()`` per page, no layout work at all (the speed
  ceiling people quote, and what its text looks like without our cleaning);
* ``pdftotext``: poppler's ``pdftotext`` (reading order, not ``-layout``), the reference only;
  poppler is not a dependency of the pipeline.

Scanned pages (no text layer) are left out of every number. Quality is per page, then summed:
character error rate (exact Levenshtein, ``tools.evaluate.distance.levenshtein``, whitespace
normalised) and word-bag F1, against pdftotext and against pdfplumber; plus checks for what
matters downstream (hyphenation, ligatures, two-column order, running heads, page numbers,
page feet, Cyrillic) and the CER against the ground truth of the two derived scans (pdftotext
``-layout`` of the original pages). Prints a compact table; ``--markdown`` writes the full
report that docs/pdf-engines.md quotes. Never run as a unit test: numbers are reported, not
asserted. Document text is never printed, only counts.
"""

from __future__ import annotations

import argparse
import os
import platform
import re
import resource
import subprocess
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

from pipeline.errors import ExtractionError
from pipeline.extract.base import ExtractOptions
from pipeline.extract.pdf import (
    PdfExtractor, _pdf_bytes, _strip_furniture, is_page_number, page_text,
)
from tools.evaluate.distance import levenshtein, normalise_whitespace
from tools.paths import SHARED_CORPORA

#: Folders holding text-layer PDFs, and single text-layer files elsewhere (an OCR layer on a scan).
TEXT_DIRS = ("echr/pdf_hrights", "ru/pdf_arbitrazh", "other/us_doctor", "other/ua_translations")
TEXT_FILES = ("scanned/echr_commission_report_van_marle_scan_with_ocr_layer.pdf",)
ENGINES = ("pdfplumber", "pdfium", "pdfium-raw", "pdftotext")
REFERENCE = "pdftotext"
#: The derived scans' ground truth is pdftotext -layout of these pages of these text PDFs.
GROUND_TRUTH = {
    "echr/pdf_hrights/4_pdf_Frizen.pdf": "scanned/derived_echr_frizen_v_russia_ru_image_only.groundtruth.txt",
    "ru/pdf_arbitrazh/A40-5590-2023_20230424_Reshenija_i_postanovlenija.pdf":
        "scanned/derived_ru_arbitrazh_A40-5590-2023_image_only.groundtruth.txt",
}
#: Furniture that must be gone and text that must stay (the same cases as tests/test_extract_pdf.py).
FURNITURE = (
    ("echr/pdf_hrights/4_Gyrlyan.pdf", "РІШЕННЯ У СПРАВІ «ГИРЛЯН ПРОТИ РОСІЇ»"),
    ("other/us_doctor/ca5_00516242060.pdf", "Document: 00516242060"),
    ("ru/pdf_arbitrazh/A07-26467-2019_20211224_Reshenija_i_postanovlenija.pdf", "2111397_5399938"),
    ("echr/pdf_hrights/3_pdf_Anheuser-Busch_inc_v._Portugal.pdf", "№ 4 2007"),
)
TWO_COLUMNS = ("echr/pdf_hrights/3_pdf_Anheuser-Busch_inc_v._Portugal.pdf", 2,
               "12. Заявителем по данному делу является американская акционерная компания, "
               "зарегистрированная в г. Сент-Луис")
# A word left broken at a line end: a letter, a hyphen (or PDFium's hyphen marks), a space and
# a lowercase letter ("tor- tured", "пыт- ки").
_BROKEN = re.compile(r"[^\W\d_][-\u00ad\x02\ufffe] [a-zа-яёіїєґ]")
_LIGATURE = re.compile("[\ufb00-\ufb06]")
_CYRILLIC = re.compile("[\u0400-\u04ff]")
_WORD = re.compile(r"\w+")


@dataclass
class Run:
    """One engine on one file: the text of each page and the time it took."""

    pages: list[str]
    cpu: float
    wall: float
    scans: list[bool] = field(default_factory=list)


def _ours(engine: str, path: Path) -> tuple[list[str], list[bool]]:
    """Page texts exactly as ``PdfExtractor.extract`` makes them, minus OCR (scans stay empty)."""
    extractor = PdfExtractor(engine)
    data = _pdf_bytes(path)
    pages, _title = extractor._read_text_layer(path, data, ExtractOptions(ocr="never"))
    _strip_furniture(pages)
    return [page_text(p.lines) for p in pages], [p.ocr for p in pages]


def _pdfium_raw(path: Path) -> list[str]:
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(_pdf_bytes(path))
    try:
        texts = []
        for page in document:
            textpage = page.get_textpage()
            texts.append(textpage.get_text_range().replace("\r\n", "\n"))
            textpage.close()
            page.close()
        return texts
    finally:
        document.close()


def _pdftotext(path: Path, *extra: str) -> list[str]:
    out = subprocess.run(["pdftotext", *extra, "-enc", "UTF-8", str(path), "-"],
                         capture_output=True, check=True).stdout.decode("utf-8", "replace")
    pages = out.split("\f")
    return pages[:-1] if pages and not pages[-1].strip() else pages


def run(engine: str, path: Path) -> Run:
    """Extract ``path`` with ``engine``, timing CPU (children included) and wall clock."""
    before = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    scans: list[bool] = []
    if engine in ("pdfplumber", "pdfium"):
        pages, scans = _ours(engine, path)
    elif engine == "pdfium-raw":
        pages = _pdfium_raw(path)
    else:
        pages = _pdftotext(path)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = sum(a.ru_utime + a.ru_stime - b.ru_utime - b.ru_stime for a, b in zip(after, before))
    return Run(pages, cpu, wall, scans)


@dataclass
class Score:
    """Sums over pages, so that totals weigh each character once."""

    pages: int = 0
    cpu: float = 0.0
    wall: float = 0.0
    chars: int = 0
    edits_ref: int = 0
    ref_chars: int = 0
    edits_plumber: int = 0
    plumber_chars: int = 0
    same_pages: int = 0
    common_words: int = 0
    words: int = 0
    ref_words: int = 0
    broken: int = 0
    ligatures: int = 0
    cyrillic: int = 0
    edge_numbers: int = 0
    foot_words_found: int = 0
    foot_words: int = 0
    furniture_left: int = 0
    two_columns_ok: bool | None = None
    gt_edits: int = 0
    gt_chars: int = 0
    differing: dict[str, int] = field(default_factory=dict)

    def f1(self) -> float:
        if not self.words or not self.ref_words:
            return 0.0
        precision, recall = self.common_words / self.words, self.common_words / self.ref_words
        return 2 * precision * recall / (precision + recall) if precision + recall else 0.0


def _edge_number(text: str) -> bool:
    lines = [ln for ln in text.split("\n") if ln.strip()]
    return bool(lines) and (is_page_number(lines[0]) or is_page_number(lines[-1]))


def _foot_words(reference_page: str) -> Counter[str]:
    """Words of the reference page's last five lines that are not a page number: footnotes,
    signatures, the end of the text (and running feet, which our engines drop on purpose)."""
    lines = [ln for ln in reference_page.split("\n") if ln.strip()][-5:]
    return Counter(w for ln in lines if not is_page_number(ln) for w in _WORD.findall(ln))


def score_file(rel: str, runs: dict[str, Run], scores: dict[str, Score], truth: str | None) -> None:
    """Add one file's pages to every engine's sums; scanned pages are skipped for all."""
    scans = runs["pdfplumber"].scans
    counts = {len(r.pages) for r in runs.values()}
    if len(counts) != 1:
        print(f"  {rel}: engines disagree on the page count {sorted(counts)}; skipped", file=sys.stderr)
        return
    # The ground truth covers the first pages only; the piece after its last form feed is empty.
    truth_pages = [p for p in truth.split("\f") if p.strip()] if truth is not None else []
    for engine, result in runs.items():
        s = scores[engine]
        s.cpu += result.cpu
        s.wall += result.wall
        joined = normalise_whitespace(" ".join(result.pages))
        for furniture_rel, furniture in FURNITURE:
            if rel == furniture_rel:
                s.furniture_left += joined.count(furniture)
        if rel == TWO_COLUMNS[0]:
            s.two_columns_ok = TWO_COLUMNS[2] in normalise_whitespace(result.pages[TWO_COLUMNS[1] - 1])
        for index, text in enumerate(result.pages):
            if scans[index]:
                continue
            ref = normalise_whitespace(runs[REFERENCE].pages[index])
            plumber = normalise_whitespace(runs["pdfplumber"].pages[index])
            flat = normalise_whitespace(text)
            s.pages += 1
            s.chars += len(flat)
            s.edits_ref += levenshtein(flat, ref)
            s.ref_chars += len(ref)
            s.edits_plumber += levenshtein(flat, plumber)
            s.plumber_chars += len(plumber)
            s.same_pages += flat == plumber
            if flat != plumber:
                s.differing[rel] = s.differing.get(rel, 0) + 1
            mine, theirs = Counter(_WORD.findall(flat)), Counter(_WORD.findall(ref))
            s.common_words += sum((mine & theirs).values())
            s.words += sum(mine.values())
            s.ref_words += sum(theirs.values())
            s.broken += len(_BROKEN.findall(flat))
            s.ligatures += len(_LIGATURE.findall(flat))
            s.cyrillic += len(_CYRILLIC.findall(flat))
            s.edge_numbers += _edge_number(text)
            foot = _foot_words(runs[REFERENCE].pages[index])
            s.foot_words += sum(foot.values())
            s.foot_words_found += sum((foot & mine).values())
            if index < len(truth_pages):
                gt = normalise_whitespace(truth_pages[index])
                s.gt_edits += levenshtein(flat, gt)
                s.gt_chars += len(gt)


def corpus_files(corpora: Path) -> list[str]:
    rels = [f"{d}/{p.name}" for d in TEXT_DIRS for p in sorted((corpora / d).glob("*.pdf"))]
    return rels + [f for f in TEXT_FILES if (corpora / f).is_file()]


def _pct(a: float, b: float) -> str:
    return f"{100 * a / b:.2f} %" if b else "-"


def tables(scores: dict[str, Score]) -> tuple[str, str]:
    """The speed-and-agreement table and the checks table, as Markdown."""
    plumber = scores["pdfplumber"]
    head = ("| engine | pages | CPU s | wall s | pages/s (CPU) | pages/s (wall) | x pdfplumber (CPU) "
            "| CER vs pdftotext | word F1 vs pdftotext | CER vs pdfplumber | pages = pdfplumber |\n"
            "|---|---|---|---|---|---|---|---|---|---|---|")
    rows = [head]
    for engine in ENGINES:
        s = scores[engine]
        rows.append(
            f"| {engine} | {s.pages} | {s.cpu:.1f} | {s.wall:.1f} | {s.pages / max(s.cpu, 1e-9):.1f} "
            f"| {s.pages / max(s.wall, 1e-9):.1f} | {plumber.cpu / max(s.cpu, 1e-9):.1f} "
            f"| {_pct(s.edits_ref, s.ref_chars)} | {s.f1():.4f} | {_pct(s.edits_plumber, s.plumber_chars)} "
            f"| {s.same_pages}/{s.pages} |")
    checks = [
        "| check | " + " | ".join(ENGINES) + " |",
        "|---|" + "---|" * len(ENGINES),
        "| words split at a line-end hyphen left (`tor- tured`) | "
        + " | ".join(str(scores[e].broken) for e in ENGINES) + " |",
        "| ligature characters (ﬁ, ﬂ, ...) left | " + " | ".join(str(scores[e].ligatures) for e in ENGINES) + " |",
        "| two-column page read column by column (Anheuser-Busch p. 2) | "
        + " | ".join({True: "yes", False: "no", None: "-"}[scores[e].two_columns_ok] for e in ENGINES) + " |",
        "| running heads/feet left (4 known cases, occurrences) | "
        + " | ".join(str(scores[e].furniture_left) for e in ENGINES) + " |",
        "| pages starting or ending with a bare page number | "
        + " | ".join(str(scores[e].edge_numbers) for e in ENGINES) + " |",
        "| words of the page foot (last 5 lines of pdftotext) kept | "
        + " | ".join(_pct(scores[e].foot_words_found, scores[e].foot_words) for e in ENGINES) + " |",
        "| Cyrillic letters (relative to pdftotext) | "
        + " | ".join(_pct(scores[e].cyrillic, scores[REFERENCE].cyrillic) for e in ENGINES) + " |",
        "| CER vs ground truth (8 pages of 2 PDFs; pdftotext -layout) | "
        + " | ".join(_pct(scores[e].gt_edits, scores[e].gt_chars) for e in ENGINES) + " |",
    ]
    return "\n".join(rows), "\n".join(checks)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--corpora", type=Path, default=SHARED_CORPORA)
    parser.add_argument("--markdown", type=Path, help="write the report here as Markdown")
    args = parser.parse_args(argv)

    rels = corpus_files(args.corpora)
    scores = {engine: Score() for engine in ENGINES}
    _ours("pdfium", args.corpora / rels[0])  # imports and first-call costs out of the numbers
    _ours("pdfplumber", args.corpora / rels[0])
    skipped: list[str] = []
    for number, rel in enumerate(rels, start=1):
        path = args.corpora / rel
        try:
            runs = {engine: run(engine, path) for engine in ENGINES}
        except (ExtractionError, subprocess.CalledProcessError) as exc:
            skipped.append(f"{rel} ({type(exc).__name__})")
            continue
        truth_rel = GROUND_TRUTH.get(rel)
        truth = (args.corpora / truth_rel).read_text(encoding="utf-8") if truth_rel else None
        score_file(rel, runs, scores, truth)
        print(f"[{number}/{len(rels)}] {rel}: {len(runs['pdfplumber'].pages)} pages", file=sys.stderr)

    speed, checks = tables(scores)
    print(speed)
    print()
    print(checks)
    if args.markdown:
        cpu = next((ln.split(":", 1)[1].strip() for ln in Path("/proc/cpuinfo").read_text().splitlines()
                    if ln.startswith("model name")), platform.processor()) if Path("/proc/cpuinfo").exists() else ""
        import pdfplumber
        import pypdfium2.version as pv

        poppler = subprocess.run(["pdftotext", "-v"], capture_output=True, text=True).stderr.split("\n")[0]
        lines = [
            f"Measured {datetime.now(timezone.utc):%Y-%m-%d %H:%M} UTC on {platform.node() or 'this machine'}: "
            f"{cpu}, {os.cpu_count()} cores, Python {platform.python_version()}, pdfplumber "
            f"{pdfplumber.__version__}, pypdfium2 {pv.PYPDFIUM_INFO} (PDFium {pv.PDFIUM_INFO}), {poppler}.",
            "",
            f"Command: `python -m tools.evaluate.pdf_engines --markdown FILE` ({len(rels) - len(skipped)} files, "
            f"{scores['pdfplumber'].pages} text pages; folders {', '.join(TEXT_DIRS)} and "
            f"{', '.join(TEXT_FILES)}).",
            "",
            speed,
            "",
            checks,
        ]
        differing = scores["pdfium"].differing
        if differing:
            lines += ["", "Pages where `pdfium` differs from `pdfplumber` (file: pages): "
                      + ", ".join(f"{rel.rsplit('/', 1)[-1]}: {n}" for rel, n in sorted(differing.items()))]
        if skipped:
            lines += ["", "Skipped: " + ", ".join(skipped)]
        args.markdown.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
