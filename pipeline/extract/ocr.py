"""Tesseract OCR for PDF pages that are pictures of text (scans, faxes, rasterised judgments).

The ``tesseract`` program is run as a subprocess (no pytesseract): the page is rendered with
pypdfium2, sent as PNG on stdin, and the word boxes come back as TSV on stdout. Keeping the boxes
(not just the text) lets ``pdf.py`` treat OCR lines exactly like text-layer lines, so running
headers, page numbers and paragraph breaks are handled by one code path.

Each Tesseract process is pinned to one thread (``OMP_THREAD_LIMIT=1``) and pages are run in
parallel, one process per core: Tesseract's own OpenMP threading gains little and oversubscribes
the machine when a batch runs several files at once.

>>> available()                       # doctest: +SKIP
True
>>> pick_languages("rus+eng+fra")     # doctest: +SKIP
'rus+eng+fra'
"""

from __future__ import annotations

import functools
import io
import os
import shutil
import subprocess
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass

from pipeline.errors import ExtractionError, ResourceLimit

__all__ = ["OcrLine", "available", "installed_languages", "pick_languages", "ocr_png", "ocr_pdf_pages"]

#: Page segmentation mode. 1 (automatic layout with orientation and script detection) and 3
#: (the same without OSD) gave the same character error rate on the derived scans; 1 is ~10%
#: slower but reads pages scanned sideways (the landscape map appendices of vector-pdf.pdf come
#: out as gibberish with 3). See docs/eval-notes.md.
DEFAULT_PSM = 1

#: Wall-clock limit for one page; a 300 dpi A4 page takes 3-10 s on one core.
PAGE_TIMEOUT_S = 300

#: A page rendered bigger than this (an A0 plan at 300 dpi) is rendered at a lower resolution,
#: so one odd page cannot take gigabytes of memory.
MAX_PIXELS = 40_000_000


@dataclass(frozen=True)
class OcrLine:
    """One line Tesseract read, with its box in PDF points (top-left origin, like pdfplumber)."""

    text: str
    x0: float
    top: float
    x1: float
    bottom: float
    paragraph: int


@functools.lru_cache(maxsize=1)
def _binary() -> str | None:
    return shutil.which("tesseract")


def available() -> bool:
    """True when the ``tesseract`` program is on PATH (looked up once per process)."""
    return _binary() is not None


@functools.lru_cache(maxsize=1)
def installed_languages() -> frozenset[str]:
    """The traineddata names ``tesseract --list-langs`` reports (empty if it is missing)."""
    binary = _binary()
    if binary is None:
        return frozenset()
    try:
        out = subprocess.run([binary, "--list-langs"], capture_output=True, text=True,
                             timeout=30, check=False).stdout
    except (OSError, subprocess.TimeoutExpired):
        return frozenset()
    # The first line is 'List of available languages in "...":'.
    return frozenset(line.strip() for line in out.splitlines()[1:] if line.strip())


def pick_languages(requested: str) -> str:
    """The requested ``+``-joined languages that are installed, in the requested order.

    >>> pick_languages("rus+eng+xxx")             # doctest: +SKIP
    'rus+eng'
    """
    have = installed_languages()
    return "+".join(lang for lang in requested.split("+") if lang and lang in have)


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env["OMP_THREAD_LIMIT"] = "1"
    return env


def ocr_png(png: bytes, languages: str, *, dpi: int, psm: int = DEFAULT_PSM) -> list[OcrLine]:
    """Run Tesseract on one PNG image and return its lines in reading order.

    Coordinates are converted from pixels at ``dpi`` to PDF points. Raises ``ExtractionError``
    (without a file name: the caller adds it) when Tesseract fails.
    """
    binary = _binary()
    if binary is None:
        raise ExtractionError("tesseract is not installed")
    cmd = [binary, "stdin", "stdout", "-l", languages, "--psm", str(psm), "--dpi", str(dpi), "tsv"]
    try:
        proc = subprocess.run(cmd, input=png, capture_output=True, timeout=PAGE_TIMEOUT_S,
                              env=_env(), check=False)
    except subprocess.TimeoutExpired as exc:
        raise ResourceLimit(f"tesseract took more than {PAGE_TIMEOUT_S} s on one page") from exc
    if proc.returncode != 0:
        err = proc.stderr.decode("utf-8", "replace").strip().splitlines()
        raise ExtractionError(f"tesseract failed (exit {proc.returncode}: {err[-1][:160] if err else 'no message'})")
    return parse_tsv(proc.stdout.decode("utf-8", "replace"), scale=72.0 / dpi)


def parse_tsv(tsv: str, *, scale: float = 1.0) -> list[OcrLine]:
    """Group Tesseract's word rows (level 5) into lines; ``scale`` converts pixels to points.

    >>> tsv = ("level\\tpage_num\\tblock_num\\tpar_num\\tline_num\\tword_num\\tleft\\ttop\\twidth\\theight\\tconf\\ttext\\n"
    ...        "5\\t1\\t1\\t1\\t1\\t1\\t10\\t20\\t30\\t10\\t96\\tДело\\n"
    ...        "5\\t1\\t1\\t1\\t1\\t2\\t45\\t21\\t20\\t10\\t95\\tN\\n")
    >>> parse_tsv(tsv)[0].text
    'Дело N'
    """
    lines: dict[tuple[int, int, int], list[tuple[int, int, int, int, str]]] = {}
    paragraphs: dict[tuple[int, int], int] = {}
    for row in tsv.splitlines()[1:]:
        cols = row.split("\t")
        if len(cols) < 12 or cols[0] != "5":
            continue
        text = cols[11].strip()
        if not text:
            continue
        try:
            block, par, line = int(cols[2]), int(cols[3]), int(cols[4])
            left, top, width, height = (int(c) for c in cols[6:10])
        except ValueError:
            continue
        paragraphs.setdefault((block, par), len(paragraphs))
        lines.setdefault((block, par, line), []).append((left, top, left + width, top + height, text))
    out = []
    for (block, par, _), words in lines.items():  # dicts keep Tesseract's reading order
        out.append(OcrLine(
            text=" ".join(w[4] for w in words),
            x0=min(w[0] for w in words) * scale,
            top=min(w[1] for w in words) * scale,
            x1=max(w[2] for w in words) * scale,
            bottom=max(w[3] for w in words) * scale,
            paragraph=paragraphs[(block, par)],
        ))
    return out


def render_png(page, dpi: int) -> tuple[bytes, int]:  # noqa: ANN001 - a pypdfium2 PdfPage
    """Render a pypdfium2 page to grayscale PNG bytes; return ``(png, dpi actually used)``."""
    width, height = page.get_size()
    pixels = (width * dpi / 72) * (height * dpi / 72)
    if pixels > MAX_PIXELS:
        dpi = max(72, int(dpi * (MAX_PIXELS / pixels) ** 0.5))
    bitmap = page.render(scale=dpi / 72, grayscale=True)
    image = bitmap.to_pil()
    buf = io.BytesIO()
    # compress_level=1: the PNG only crosses a pipe, and level 6 costs ~0.5 s per page.
    image.save(buf, format="PNG", compress_level=1, dpi=(dpi, dpi))
    bitmap.close()
    return buf.getvalue(), dpi


def ocr_pdf_pages(data: bytes, indexes: Iterable[int], languages: str, *, dpi: int,
                  psm: int = DEFAULT_PSM, workers: int | None = None) -> Iterator[tuple[int, list[OcrLine]]]:
    """OCR the 0-based ``indexes`` of the PDF in ``data``; yield ``(index, lines)`` in order.

    PDFium is not thread-safe, so pages are rendered one at a time in this thread while up to
    ``workers`` Tesseract processes run; at most ``workers + 1`` rendered pages wait in memory.
    """
    import pypdfium2 as pdfium  # imported here: only scans need it

    indexes = list(indexes)
    workers = max(1, min(workers or os.cpu_count() or 1, len(indexes) or 1))
    doc = pdfium.PdfDocument(data)
    try:
        with ThreadPoolExecutor(max_workers=workers) as pool:
            pending: list[tuple[int, Future[list[OcrLine]]]] = []
            for index in indexes:
                page = doc[index]
                try:
                    png, used_dpi = render_png(page, dpi)
                finally:
                    page.close()
                pending.append((index, pool.submit(ocr_png, png, languages, dpi=used_dpi, psm=psm)))
                del png
                while len(pending) > workers:
                    done_index, future = pending.pop(0)
                    yield done_index, future.result()
            for done_index, future in pending:
                yield done_index, future.result()
    finally:
        doc.close()
