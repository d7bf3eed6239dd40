"""PDFium (the default text path) against pdfplumber (the path it replaced): same text, same pages.

``pdf.py`` builds lines, columns and paragraphs from word boxes; ``pdfium.py`` must hand it the
same boxes pdfplumber does, so every layout case is checked on both engines with the same
expectation, and PDFium is checked not to have fallen back to pdfplumber on the way.
docs/pdf-engines.md has the corpus-wide measurement.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from fpdf import FPDF

from conftest import need
from pipeline.extract.base import ExtractOptions
from pipeline.extract.pdf import PdfExtractor
from tools.evaluate.distance import cer
from test_extract_pdf import DEJAVU, EXPECTED, NO_OCR, _font, assert_offsets, make_ruling

LEFT = ["Left column line {} about the applicant's detention".format(i) for i in range(1, 13)]
RIGHT = ["Right column line {} about the Court's assessment".format(i) for i in range(1, 13)]


def two_columns(path: Path) -> Path:
    """A journal page: two columns of twelve lines each, read left column first."""
    pdf = FPDF(unit="pt", format="A4")
    pdf.add_page()
    _font(pdf)
    pdf.set_font("DejaVu", size=9)
    for i, (left, right) in enumerate(zip(LEFT, RIGHT)):
        pdf.text(x=50, y=100 + 12 * i, text=left)
        pdf.text(x=320, y=100 + 12 * i, text=right)
    pdf.output(str(path))
    return path


def ligatures(path: Path) -> Path:
    """Text typed with the ligature characters a typesetter leaves in a PDF's text layer."""
    pdf = FPDF(unit="pt", format="A4")
    pdf.add_page()
    _font(pdf)
    pdf.text(x=72, y=100, text="The ﬁrst applicant’s ﬂat was searched on the ofﬁcer’s order.")
    pdf.output(str(path))
    return path


def table(path: Path) -> Path:
    """A table of awards: cells come out as lines, row by row, on either engine."""
    pdf = FPDF(unit="pt", format="A4")
    pdf.add_page()
    _font(pdf)
    with pdf.table(col_widths=(200, 120, 120), first_row_as_headings=False) as grid:
        for row in (("Applicant", "Pecuniary", "Non-pecuniary"), ("Иванов И. И.", "1 000 EUR", "9 800 EUR"),
                    ("Петров П. П.", "-", "12 500 EUR")):
            cells = grid.row()
            for cell in row:
                cells.cell(cell)
    pdf.output(str(path))
    return path


def footnote(path: Path) -> Path:
    """A paragraph with a footnote in small type at the foot of the page (kept: it is text)."""
    pdf = FPDF(unit="pt", format="A4")
    pdf.add_page()
    _font(pdf)
    pdf.text(x=72, y=100, text="The applicant was detained in the temporary detention facility.1")
    pdf.set_font("DejaVu", size=8)
    pdf.text(x=72, y=760, text="1 See Mikheyev v. Russia, no. 77617/01, § 135, 26 January 2006.")
    pdf.output(str(path))
    return path


#: builder, what the text must contain (whitespace normalised), what it must not.
CASES = {
    "ruling": (make_ruling, ["\n\n".join(EXPECTED)], ["IVANOV v. RUSSIA", "Page"]),
    "two-columns": (two_columns, [" ".join(LEFT) + " " + " ".join(RIGHT)], []),
    "ligatures": (ligatures, ["The first applicant’s flat was searched on the officer’s order."], ["ﬁ", "ﬂ"]),
    "table": (table, ["Иванов И. И.", "12 500 EUR", "Non-pecuniary"], []),
    "footnote": (footnote, ["1 See Mikheyev v. Russia, no. 77617/01, § 135"], []),
}


@pytest.fixture
def pdfium_only(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make any use of pdfplumber fail, to prove the PDFium path did the work."""
    import pdfplumber

    def refuse(*_args: object, **_kwargs: object) -> None:
        raise AssertionError("pdfplumber was used")

    monkeypatch.setattr(pdfplumber, "open", refuse)


@pytest.mark.parametrize("case", sorted(CASES))
def test_engines_agree_on_fixtures(tmp_path: Path, case: str) -> None:
    need(DEJAVU.is_file(), f"font {DEJAVU} not found")
    build, present, absent = CASES[case]
    path = build(tmp_path / f"{case}.pdf")
    plumber = PdfExtractor("pdfplumber").extract(path, NO_OCR)[0]
    pdfium = PdfExtractor("pdfium").extract(path, NO_OCR)[0]
    assert pdfium.text == plumber.text
    assert pdfium.pages == plumber.pages
    assert pdfium.meta == plumber.meta
    assert_offsets(pdfium)
    flat = " ".join(pdfium.text.split())
    for wanted in present:
        assert " ".join(wanted.split()) in flat
    for unwanted in absent:
        assert unwanted not in pdfium.text


@pytest.mark.parametrize("case", sorted(CASES))
def test_pdfium_does_not_fall_back(tmp_path: Path, case: str, pdfium_only: None) -> None:
    need(DEJAVU.is_file(), f"font {DEJAVU} not found")
    path = CASES[case][0](tmp_path / f"{case}.pdf")
    assert PdfExtractor().extract(path, NO_OCR)[0].text


def test_rotated_page_falls_back_to_pdfplumber(tmp_path: Path) -> None:
    """GIVEN a page with /Rotate 90 (PDFium reports unrotated boxes there)
    WHEN it is extracted by default THEN the text is pdfplumber's for that page."""
    import pypdfium2 as pdfium

    need(DEJAVU.is_file(), f"font {DEJAVU} not found")
    source = make_ruling(tmp_path / "ruling.pdf")
    document = pdfium.PdfDocument(str(source))
    document[1].set_rotation(90)
    rotated = tmp_path / "rotated.pdf"
    document.save(str(rotated))
    document.close()
    plumber = PdfExtractor("pdfplumber").extract(rotated, NO_OCR)[0]
    assert PdfExtractor().extract(rotated, NO_OCR)[0].text == plumber.text


def test_unknown_engine_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown PDF engine"):
        PdfExtractor("pdfminer")


#: Real documents, one per layout: running heads alternating sides (Gyrlyan), two columns and
#: a journal foot (Anheuser-Busch), kad.arbitr id foot (A07), a US filing stamp (ca5). Limits
#: from the corpus-wide run (tools/evaluate/pdf_engines.py, docs/pdf-engines.md), with room for a
#: PDFium update moving a box by a hair.
#: The worst page, Anheuser-Busch p. 1 at 6.3 %, is a title set across both columns that the
#: two engines' boxes (0.3 pt apart) place before different lines: the same words, moved.
DOCUMENT_CER = 0.01
PAGE_CER = 0.1
REAL = (
    "echr/pdf_hrights/4_Gyrlyan.pdf",
    "echr/pdf_hrights/3_pdf_Anheuser-Busch_inc_v._Portugal.pdf",
    "ru/pdf_arbitrazh/A07-26467-2019_20211224_Reshenija_i_postanovlenija.pdf",
    "other/us_doctor/ca5_00516242060.pdf",
)


@pytest.mark.parametrize("rel", REAL)
def test_engines_agree_on_real_pdfs(shared_corpora: Path, rel: str) -> None:
    path = shared_corpora / rel
    plumber = PdfExtractor("pdfplumber").extract(path, NO_OCR)[0]
    pdfium = PdfExtractor("pdfium").extract(path, NO_OCR)[0]
    assert [p.number for p in pdfium.pages] == [p.number for p in plumber.pages]
    assert_offsets(pdfium)
    # Rates only, never the texts, in a failure message: these are real people's cases.
    whole = cer(pdfium.text, plumber.text)
    assert whole < DOCUMENT_CER
    worst = max(cer(pdfium.text[a.start:a.end], plumber.text[b.start:b.end])
                for a, b in zip(pdfium.pages, plumber.pages))
    assert worst < PAGE_CER


@pytest.mark.parametrize("mode, scan", [("auto", False), ("always", True)])
def test_stamped_scan_is_judged_alike(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, mode: str,
                                      scan: bool) -> None:
    """A scan under a one-line e-filing stamp: a text page for ``auto``, a scan for ``always``
    (the stamp is under ``TINY_TEXT_CHARS``). PDFium must leave that call to pdfplumber's image
    test, so both engines end alike: the stamp's text, or NeedsOCR (Tesseract made unavailable)."""
    from pipeline.errors import NeedsOCR
    from pipeline.extract import ocr
    from test_extract_pdf import SCAN_LINES, image_only_pdf

    monkeypatch.setattr(ocr, "available", lambda: False)
    path = image_only_pdf(tmp_path / "stamped.pdf", SCAN_LINES, stamp="Case 21-1298 Document 42 Filed 08/31/2022")
    for engine in PdfExtractor.ENGINES:
        if scan:
            with pytest.raises(NeedsOCR, match="1 of 1 pages have no text layer"):
                PdfExtractor(engine).extract(path, ExtractOptions(ocr=mode))
        else:
            assert "Document 42" in PdfExtractor(engine).extract(path, ExtractOptions(ocr=mode))[0].text
