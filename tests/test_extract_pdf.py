"""PDF extraction: generated fixtures for each behaviour, then the real corpora.

Fixtures are built with fpdf2 into ``tmp_path`` so every expected string is known exactly; the
real documents are read in place from ../shared/corpora. OCR tests need the ``tesseract``
program (Debian tesseract-ocr, -rus, -fra); under CI=true a missing tool or corpus fails.
"""

from __future__ import annotations

import os
import random
from pathlib import Path

import pytest
from fpdf import FPDF
from fpdf.enums import EncryptionMethod

from conftest import need, need_binary
from pipeline.errors import ExtractionError, NeedsOCR
from pipeline.extract import detect_format, extract_file, ocr
from pipeline.extract.base import EXTENSION, MAGIC, NO, ExtractOptions
from pipeline.extract.pdf import PdfExtractor, header_key, is_page_number, join_lines
from pipeline.models import ExtractedText
from tools.evaluate.distance import cer, levenshtein

DEJAVU = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
NO_OCR = ExtractOptions(ocr="never")


# --- helpers -----------------------------------------------------------------------------------
def _font(pdf: FPDF) -> None:
    need(DEJAVU.is_file(), f"font {DEJAVU} not found (Debian fonts-dejavu-core)")
    pdf.add_font("DejaVu", fname=str(DEJAVU))
    pdf.set_font("DejaVu", size=11)


# Page 1 separates its paragraphs by a vertical gap, page 2 by a first-line indent only.
PAGES = [
    [
        ["The applicant alleged that he had been tor-",
         "tured by police officers while in custody",
         "and that no effective investigation followed."],
        ["Заявитель утверждал, что к нему применялись пыт-",
         "ки в отделе полиции и что расследование так",
         "и не было проведено."],
    ],
    [
        ["The Government contested that argument and",
         "submitted that the injuries had been caused",
         "during the arrest."],
        ["The Court reiterates that Article 3 enshrines",
         "one of the most fundamental values of democratic",
         "societies."],
    ],
    [
        ["Accordingly, there has been a violation of",
         "Article 3 of the Convention."],
    ],
]
EXPECTED = [
    "The applicant alleged that he had been tortured by police officers while in custody and "
    "that no effective investigation followed.\n\n"
    "Заявитель утверждал, что к нему применялись пытки в отделе полиции и что расследование "
    "так и не было проведено.",
    "The Government contested that argument and submitted that the injuries had been caused "
    "during the arrest.\n\n"
    "The Court reiterates that Article 3 enshrines one of the most fundamental values of "
    "democratic societies.",
    "Accordingly, there has been a violation of Article 3 of the Convention.",
]
HEADER = "CASE OF IVANOV v. RUSSIA – JUDGMENT"


def make_ruling(path: Path, page_number: str = "{n}") -> Path:
    """A 3-page ruling with a running head (page number alternating sides) and a page foot."""
    pdf = FPDF(unit="pt", format="A4")
    pdf.set_title("Ivanov v. Russia")
    _font(pdf)
    total = len(PAGES)
    for n, paragraphs in enumerate(PAGES, start=1):
        pdf.add_page()
        head = f"{n} {HEADER}" if n % 2 == 0 else f"{HEADER} {n}"
        pdf.text(x=150, y=40, text=head)
        y = 110.0
        for p_index, lines in enumerate(paragraphs):
            for l_index, line in enumerate(lines):
                indent = 24 if (n == 2 and l_index == 0) else 0
                pdf.text(x=72 + indent, y=y, text=line)
                y += 14
            if n != 2:
                y += 14  # a blank line between paragraphs on pages 1 and 3
        pdf.text(x=290, y=810, text=page_number.format(n=n, total=total))
    pdf.output(str(path))
    return path


def image_only_pdf(path: Path, lines: list[str], stamp: str = "") -> Path:
    """One A4 page that is a picture of ``lines`` (what a scanner produces), and optionally a
    one-line text ``stamp`` on top of it (what a court's e-filing system adds)."""
    from PIL import Image, ImageDraw, ImageFont

    need(DEJAVU.is_file(), f"font {DEJAVU} not found (Debian fonts-dejavu-core)")
    image = Image.new("L", (1240, 1754), 255)  # A4 at 150 dpi
    draw = ImageDraw.Draw(image)
    font = ImageFont.truetype(str(DEJAVU), 34)
    for i, line in enumerate(lines):
        draw.text((120, 150 + i * 60), line, fill=0, font=font)
    pdf = FPDF(unit="pt", format="A4")
    pdf.add_page()
    pdf.image(image, x=0, y=0, w=pdf.w, h=pdf.h)
    if stamp:
        pdf.set_font("helvetica", size=9)
        pdf.text(x=40, y=20, text=stamp)
    pdf.output(str(path))
    return path


def assert_offsets(doc: ExtractedText) -> None:
    """Pages are in order, their slices are exact and join (non-empty ones) into the text."""
    assert doc.pages, "no pages recorded"
    assert [p.number for p in doc.pages] == list(range(1, len(doc.pages) + 1))
    for a, b in zip(doc.pages, doc.pages[1:]):
        assert a.end <= b.start
    pieces = [doc.text[p.start:p.end] for p in doc.pages]
    for piece in pieces:
        assert piece == piece.strip()
    assert "\n\n".join(p for p in pieces if p) == doc.text


# --- pure functions ------------------------------------------------------------------------------
@pytest.mark.parametrize("line, expected", [
    ("3", True), ("- 3 -", True), ("– 12 –", True), ("(3)", True), ("Page 3 of 10", True),
    ("page 3", True), ("стр. 3", True), ("Стр. 3 из 12", True), ("Страница 3", True),
    ("Сторінка 3 з 10", True), ("3/12", True), ("3 of 12", True), ("!2", True),
    # near misses: text that merely starts or ends with a number
    ("3. The applicant", False), ("Article 3", False), ("2022-NCSC-1", False),
    ("12345/06", False), ("ст. 3 ч. 2", False), ("", False),
])
def test_is_page_number(line: str, expected: bool) -> None:
    assert is_page_number(line) is expected


@pytest.mark.parametrize("a, b, same", [
    ("2 РІШЕННЯ У СПРАВІ «ГИРЛЯН ПРОТИ РОСІЇ»", "РІШЕННЯ У СПРАВІ «ГИРЛЯН ПРОТИ РОСІЇ» 3", True),
    ("Case: 21-50498 Document: 00516242060 Page: 1", "Case: 21-50498 Document: 00516242060 Page: 9", True),
    ("30 № 4 2007", "№ 4 2007 31", True),
    ("1 2111397_5399938", "12 2111397_5399938", True),
    ("8543/79 etc .", "8543/79 etc", True),
    ("JUDGMENT IVANOV v. RUSSIA", "JUDGMENT PETROV v. RUSSIA", False),
])
def test_header_key(a: str, b: str, same: bool) -> None:
    assert (header_key(a) == header_key(b)) is same


@pytest.mark.parametrize("lines, expected", [
    (["was tor-", "tured"], "was tortured"),
    (["применение пыт-", "ки"], "применение пытки"),
    (["Северо-", "Западный"], "Северо-Западный"),        # capital: a compound, keep the hyphen
    (["COVID-", "19 pandemic"], "COVID-19 pandemic"),
    (["С. 81 -", "87."], "С. 81 - 87."),                  # a dash after a number is a range
    (["inter\u00ad", "national"], "international"),        # soft hyphen
    (["one", "", "two"], "one two"),
])
def test_join_lines(lines: list[str], expected: str) -> None:
    assert join_lines(lines) == expected


def test_levenshtein_matches_plain_dynamic_programming() -> None:
    def plain(a: str, b: str) -> int:
        prev = list(range(len(b) + 1))
        for i, ca in enumerate(a, 1):
            cur = [i]
            for j, cb in enumerate(b, 1):
                cur.append(min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb)))
            prev = cur
        return prev[-1]

    rng = random.Random(7)
    for _ in range(300):
        a = "".join(rng.choice("абв ab") for _ in range(rng.randint(0, 90)))
        b = "".join(rng.choice("абв ab") for _ in range(rng.randint(0, 90)))
        assert levenshtein(a, b) == plain(a, b)
    assert cer("Дело\n\nN 1", "Дело N 1") == 0.0


# --- sniffing ------------------------------------------------------------------------------------
@pytest.mark.parametrize("name, head, score", [
    ("a.pdf", b"%PDF-1.7\n", MAGIC),
    ("a.bin", b"%%EOF\r\n%PDF-1.5\r", MAGIC),       # missouri.pdf
    ("a.doc", b"\r\n%PDF-1.5\r\n", MAGIC),          # broken-mime.pdf, whatever the name
    ("a.pdf", b"\x00" * 2000 + b"%PDF-1.4", EXTENSION),  # header too far in for a sniff
    ("a.pdf", b"\x89PNG\r\n", EXTENSION),           # junk named .pdf still comes here
    ("a.txt", b"hello", NO),
])
def test_match(name: str, head: bytes, score: int) -> None:
    assert PdfExtractor.match(Path(name), head) == score


# --- generated fixtures --------------------------------------------------------------------------
@pytest.mark.parametrize("style", ["{n}", "- {n} -", "Page {n} of {total}", "стр. {n}", "{n}/{total}"])
def test_ruling_layout(tmp_path: Path, style: str) -> None:
    path = make_ruling(tmp_path / "ruling.pdf", style)
    doc = extract_file(path)[0]
    assert doc.format == "pdf"
    assert [doc.text[p.start:p.end] for p in doc.pages] == EXPECTED
    assert doc.text == "\n\n".join(EXPECTED)
    assert_offsets(doc)
    assert "IVANOV" not in doc.text
    assert doc.meta == {"pages": 3, "ocr_pages": 0, "pdf_title": "Ivanov v. Russia"}
    assert not any(p.ocr for p in doc.pages)


def numbered_pages(path: Path, pages: int, rows: int, template: str, *, head: str = "",
                   step: float = 16.0) -> tuple[Path, list[str]]:
    """``pages`` pages of ``rows`` lines from ``template`` filled with the line's running number
    ``k``, so the lines of one page differ from those of the next only in their digits (a
    register, a payment schedule, a numeric table). ``head`` (with ``{n}`` for the page number)
    is a running head above them. Returns the path and every body line in order."""
    pdf = FPDF(unit="pt", format="A4")
    _font(pdf)
    body, k = [], 0
    for n in range(1, pages + 1):
        pdf.add_page()
        if head:
            pdf.text(x=150, y=40, text=head.format(n=n))
        for row in range(rows):
            k += 1
            line = template.format(k=k, sum=100 + 7 * k, day=k % 28 + 1)
            pdf.text(x=72, y=80 + row * step, text=line)
            body.append(line)
    pdf.output(str(path))
    return path, body


DIGITS_ONLY_PAGES = [
    # (id, pages, rows per page, line template, running head, step between lines)
    ("3-lines-a-page", 5, 3, "Payment {k} of {sum} roubles on {day}.03.2020", "", 16.0),
    ("2-lines-a-page", 3, 2, "Платёж № {k} на сумму {sum} руб.", "", 16.0),
    ("1-number-a-line", 4, 3, "Item {k}", "", 16.0),
    ("full-table", 4, 44, "Row {k}: amount {sum} RUB, day {day}", "", 16.0),
    ("table-under-a-head", 3, 40, "Row {k}: amount {sum} RUB", "REGISTER OF PAYMENTS - page {n}", 18.0),
]


@pytest.mark.parametrize(("pages", "rows", "template", "head", "step"),
                         [c[1:] for c in DIGITS_ONLY_PAGES], ids=[c[0] for c in DIGITS_ONLY_PAGES])
def test_lines_that_differ_only_in_digits_are_not_a_running_head(
        tmp_path: Path, pages: int, rows: int, template: str, head: str, step: float) -> None:
    """GIVEN pages whose lines differ from page to page only in their digits
    WHEN extracted THEN every line stays (they are the text, not a running head), and a real
    running head above them still goes."""
    path, body = numbered_pages(tmp_path / "register.pdf", pages, rows, template, head=head, step=step)
    doc = extract_file(path, NO_OCR)[0]
    for line in body:
        assert line in doc.text
    assert len(doc.text.split()) == sum(len(line.split()) for line in body)
    if head:
        assert "REGISTER" not in doc.text
    assert_offsets(doc)


def test_running_head_with_a_fixed_number_and_the_page_number_goes(tmp_path: Path) -> None:
    """Near-miss: a head whose digits are a case number (the same on every page) plus the page
    number is furniture, and goes on every page."""
    path, body = numbered_pages(tmp_path / "ruling.pdf", 4, 6,
                                "The Court notes that the applicant {k} was held in custody.",
                                head="Case no. 1-123/2020, judgment of 12.03.2021, page {n}")
    doc = extract_file(path, NO_OCR)[0]
    assert "1-123/2020" not in doc.text
    assert all(line in doc.text for line in body)


def test_junk_before_header(tmp_path: Path) -> None:
    good = make_ruling(tmp_path / "good.pdf").read_bytes()
    path = tmp_path / "prefixed.pdf"
    path.write_bytes(b"%%EOF\r\n" + good)
    assert detect_format(path) == "pdf"
    assert extract_file(path)[0].text == "\n\n".join(EXPECTED)


def _encrypted(path: Path, user_password: str | None, method: EncryptionMethod) -> Path:
    pdf = FPDF(unit="pt", format="A4")
    _font(pdf)
    pdf.add_page()
    pdf.text(x=72, y=100, text="Постановление суда по делу о пытках")
    pdf.set_encryption(owner_password="owner-secret", user_password=user_password, encryption_method=method)
    pdf.output(str(path))
    return path


@pytest.mark.parametrize("method", [EncryptionMethod.RC4, EncryptionMethod.AES_256])
def test_encrypted_with_user_password(tmp_path: Path, method: EncryptionMethod) -> None:
    path = _encrypted(tmp_path / "locked.pdf", "user-secret", method)
    with pytest.raises(ExtractionError) as err:
        extract_file(path)
    assert str(err.value) == f"{path}: encrypted PDF (a password is needed to open it)"


@pytest.mark.parametrize("method", [EncryptionMethod.RC4, EncryptionMethod.AES_256])
def test_encrypted_with_owner_password_only(tmp_path: Path, method: EncryptionMethod) -> None:
    path = _encrypted(tmp_path / "restricted.pdf", None, method)
    assert extract_file(path)[0].text == "Постановление суда по делу о пытках"


def _truncated(tmp: Path) -> Path:
    data = make_ruling(tmp / "whole.pdf").read_bytes()
    path = tmp / "truncated.pdf"
    path.write_bytes(data[: len(data) // 2])
    return path


def _junk(tmp: Path) -> Path:
    path = tmp / "junk.pdf"
    path.write_bytes(bytes(random.Random(1).getrandbits(8) for _ in range(5000)))
    return path


def _no_root(tmp: Path) -> Path:
    path = tmp / "header-only.pdf"
    path.write_bytes(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< >>\nendobj\n")
    return path


@pytest.mark.parametrize("build, reason", [
    (_truncated, "not a valid PDF (truncated"),
    (_junk, "not a valid PDF (no %PDF- header)"),
    (_no_root, "not a valid PDF ("),
])
def test_broken_files(tmp_path: Path, build, reason: str) -> None:  # noqa: ANN001
    path = build(tmp_path)
    with pytest.raises(ExtractionError) as err:
        extract_file(path)
    message = str(err.value)
    assert message.startswith(f"{path}: {reason}")
    assert "\n" not in message


def test_blank_pdf_has_no_text(tmp_path: Path) -> None:
    pdf = FPDF()
    pdf.add_page()
    pdf.add_page()
    path = tmp_path / "blank.pdf"
    pdf.output(str(path))
    with pytest.raises(ExtractionError, match="no text in PDF"):
        extract_file(path)


SCAN_LINES = ["The applicant was tortured", "Заявитель подвергся пыткам"]


def test_image_only_needs_ocr_when_disabled(tmp_path: Path) -> None:
    path = image_only_pdf(tmp_path / "scan.pdf", SCAN_LINES)
    with pytest.raises(NeedsOCR) as err:
        extract_file(path, NO_OCR)
    assert str(err.value).startswith(f"{path}: 1 of 1 pages have no text layer;")


def test_image_only_needs_ocr_without_tesseract(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(ocr, "available", lambda: False)
    path = image_only_pdf(tmp_path / "scan.pdf", SCAN_LINES)
    with pytest.raises(NeedsOCR) as err:
        extract_file(path)
    assert str(err.value) == (
        f"{path}: 1 of 1 pages have no text layer; install tesseract-ocr with "
        "tesseract-ocr-rus/-eng/-fra to OCR them"
    )


def test_image_only_is_ocred(tmp_path: Path) -> None:
    need_binary("tesseract", "tesseract-ocr")
    need({"rus", "eng"} <= ocr.installed_languages(), "tesseract-ocr-rus/-eng language data missing")
    path = image_only_pdf(tmp_path / "scan.pdf", SCAN_LINES)
    doc = extract_file(path)[0]
    for word in ("applicant", "tortured", "Заявитель", "пыткам"):
        assert word in doc.text
    assert doc.pages[0].ocr and doc.meta["ocr_pages"] == 1
    assert_offsets(doc)


def test_ocr_always_reads_a_scan_under_a_stamp(tmp_path: Path) -> None:
    need_binary("tesseract", "tesseract-ocr")
    need({"rus", "eng"} <= ocr.installed_languages(), "tesseract-ocr-rus/-eng language data missing")
    path = image_only_pdf(tmp_path / "stamped.pdf", SCAN_LINES, stamp="Case 21-1298 Document 42 Filed 08/31/2022")
    auto = extract_file(path)[0]
    assert "tortured" not in auto.text and auto.meta["ocr_pages"] == 0  # the stamp is a text layer
    always = extract_file(path, ExtractOptions(ocr="always"))[0]
    assert "tortured" in always.text and always.meta["ocr_pages"] == 1


# --- real corpora --------------------------------------------------------------------------------
TEXT_DIRS = ("echr/pdf_hrights", "ru/pdf_arbitrazh", "other/us_doctor")
ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared" / "corpora"
#: Text PDFs that also hold image-only pages (vector-pdf.pdf ends with two scanned maps).
WITH_SCANS = {"other/us_doctor/vector-pdf.pdf": 2}
OCR_LAYER_SCAN = "scanned/echr_commission_report_van_marle_scan_with_ocr_layer.pdf"


def _corpus_pdfs() -> list[str]:
    found = [f"{d}/{p.name}" for d in TEXT_DIRS for p in sorted((SHARED / d).glob("*.pdf"))]
    return found or ["<corpora missing>"]


def _extract_never(rel: str) -> tuple[str, ExtractedText | ExtractionError]:
    try:
        return rel, extract_file(SHARED / rel, NO_OCR)[0]
    except ExtractionError as exc:
        return rel, exc


@pytest.fixture(scope="module")
def corpus_docs(shared_corpora: Path) -> dict[str, ExtractedText | ExtractionError]:
    """Every real text PDF extracted once (OCR off), in parallel: pdfplumber reads ~10 pages/s,
    and the ~1,000 pages would otherwise take two minutes on one core."""
    from concurrent.futures import ProcessPoolExecutor

    rels = sorted(_corpus_pdfs() + [OCR_LAYER_SCAN], key=lambda r: -(shared_corpora / r).stat().st_size)
    with ProcessPoolExecutor(max_workers=os.cpu_count() or 1) as pool:
        return dict(pool.map(_extract_never, rels))


def _doc(corpus_docs: dict[str, ExtractedText | ExtractionError], rel: str) -> ExtractedText:
    result = corpus_docs[rel]
    if isinstance(result, ExtractionError):
        raise result
    return result


@pytest.mark.parametrize("rel", _corpus_pdfs())
def test_real_text_pdfs(corpus_docs: dict, rel: str) -> None:
    if rel in WITH_SCANS:
        with pytest.raises(NeedsOCR, match=f"{WITH_SCANS[rel]} of \\d+ pages have no text layer"):
            _doc(corpus_docs, rel)
        return
    doc = _doc(corpus_docs, rel)
    assert len(doc.text) > 1000
    assert doc.meta["pages"] == len(doc.pages) and doc.meta["ocr_pages"] == 0
    assert_offsets(doc)
    # Most pages have text, and no page starts or ends with a bare page number.
    pieces = [doc.text[p.start:p.end] for p in doc.pages]
    assert sum(1 for p in pieces if p) >= 0.8 * len(pieces)
    for piece in filter(None, pieces):
        paragraphs = piece.split("\n\n")
        assert not is_page_number(paragraphs[0]) and not is_page_number(paragraphs[-1])


@pytest.mark.parametrize("rel, furniture, keep", [
    # ECHR running head, alternating "N HEAD" / "HEAD N"
    ("echr/pdf_hrights/4_Gyrlyan.pdf", "РІШЕННЯ У СПРАВІ «ГИРЛЯН ПРОТИ РОСІЇ»", "Гирлян"),
    # US appeals court filing stamp on every page
    ("other/us_doctor/ca5_00516242060.pdf", "Document: 00516242060", "Vanessa St. Pierre"),
    # kad.arbitr document id with the page number in front
    ("ru/pdf_arbitrazh/A07-26467-2019_20211224_Reshenija_i_postanovlenija.pdf", "2111397_5399938",
     "АРБИТРАЖНЫЙ СУД РЕСПУБЛИКИ БАШКОРТОСТАН"),
    # journal reprint in two columns: its foot "№ 4 2007 31"
    ("echr/pdf_hrights/3_pdf_Anheuser-Busch_inc_v._Portugal.pdf", "№ 4 2007", "Будвайзер"),
])
def test_real_running_heads_removed(corpus_docs: dict, rel: str, furniture: str, keep: str) -> None:
    doc = _doc(corpus_docs, rel)
    assert furniture not in doc.text
    assert keep in doc.text


def test_two_columns_read_in_order(corpus_docs: dict) -> None:
    doc = _doc(corpus_docs, "echr/pdf_hrights/3_pdf_Anheuser-Busch_inc_v._Portugal.pdf")
    page2 = doc.text[doc.pages[1].start:doc.pages[1].end]
    # A paragraph of the left column, whole, hyphenation repaired across its lines.
    assert ("12. Заявителем по данному делу является американская акционерная компания, "
            "зарегистрированная в г. Сент-Луис") in page2


@pytest.mark.parametrize("name, opening", [
    ("missouri.pdf", "In the Missouri Court of Appeals"),      # starts "%%EOF\r\n%PDF-"
    ("broken-mime.pdf", "IN THE SUPREME COURT OF NORTH CAROLINA"),  # starts "\r\n%PDF-"
])
def test_junk_before_header_real(corpus_docs: dict, shared_corpora: Path, name: str, opening: str) -> None:
    rel = f"other/us_doctor/{name}"
    assert detect_format(shared_corpora / rel) == "pdf"
    assert _doc(corpus_docs, rel).text.startswith(opening)


def test_scan_with_ocr_layer_uses_it(corpus_docs: dict) -> None:
    doc = _doc(corpus_docs, OCR_LAYER_SCAN)
    assert doc.meta["ocr_pages"] == 0 and doc.meta["pages"] == 43
    assert "COMMISSION" in doc.text.upper()
    assert "(cid:" not in doc.text
    assert_offsets(doc)


def test_real_scan_needs_ocr(shared_corpora: Path) -> None:
    path = shared_corpora / "scanned/image-pdf-2.pdf"
    with pytest.raises(NeedsOCR, match="1 of 1 pages have no text layer"):
        extract_file(path, NO_OCR)


def test_mixed_pdf_ocrs_only_its_scanned_pages(shared_corpora: Path) -> None:
    need_binary("tesseract", "tesseract-ocr")
    doc = extract_file(shared_corpora / "other/us_doctor/vector-pdf.pdf")[0]
    assert [p.number for p in doc.pages if p.ocr] == [29, 30]
    assert doc.meta["ocr_pages"] == 2
    # The maps are scanned sideways: orientation detection (psm 1) reads their captions.
    assert "APPENDIX" in doc.text[doc.pages[28].start:doc.pages[29].end]
    assert_offsets(doc)


#: Measured with ``python -m tools.evaluate`` (docs/eval-notes.md): 0.89 % and 0.43 %.
#: The limits leave room for another Tesseract 5 build, not for a broken OCR path.
CER_LIMITS = {
    "scanned/derived_echr_frizen_v_russia_ru_image_only.pdf": 0.02,
    "scanned/derived_ru_arbitrazh_A40-5590-2023_image_only.pdf": 0.015,
}


@pytest.mark.parametrize("rel", sorted(CER_LIMITS))
def test_derived_scans_ocr_accuracy(shared_corpora: Path, rel: str) -> None:
    need_binary("tesseract", "tesseract-ocr")
    need({"rus", "eng"} <= ocr.installed_languages(), "tesseract-ocr-rus/-eng language data missing")
    path = shared_corpora / rel
    truth = path.with_suffix(".groundtruth.txt").read_text(encoding="utf-8")
    doc = extract_file(path)[0]
    assert doc.meta["ocr_pages"] == doc.meta["pages"] and all(p.ocr for p in doc.pages)
    assert_offsets(doc)
    assert cer(doc.text, truth) < CER_LIMITS[rel]
    # Page by page too (the ground truth separates pages with form feeds), so a page in the
    # wrong place would fail even if the whole text matched.
    truth_pages = truth.split("\f")
    for page in doc.pages:
        assert cer(doc.text[page.start:page.end], truth_pages[page.number - 1]) < 3 * CER_LIMITS[rel]


def test_empty_file(tmp_path: Path) -> None:
    path = tmp_path / "empty.pdf"
    path.write_bytes(b"")
    with pytest.raises(ExtractionError, match="not a valid PDF \\(empty file\\)"):
        PdfExtractor().extract(path, ExtractOptions())
