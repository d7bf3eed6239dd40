"""PDF -> text, page by page: PDFium's words (pdfplumber's where PDFium is unsure), Tesseract
for pages that are only images.

Word boxes come from ``pdfium.py`` (PDFium through pypdfium2: the same words as pdfplumber's
``extract_words()`` several times faster, see docs/pdf-engines.md); a page PDFium declines
(unmapped glyphs, rotation, almost no text) and a file it cannot read go through pdfplumber,
which also names what is wrong with a broken file. ``PdfExtractor("pdfplumber")`` uses
pdfplumber alone, as before. What a reader of a ruling needs from a PDF is the running text,
not the page furniture, so:

* lines are built from the page's words, column by column when the page is set in columns
  (journal reprints), so the reading order holds;
* running headers/footers (lines in the top/bottom band repeating on many pages, their
  digits fixed but for a page number) and bare page numbers ("3", "- 3 -", "Page 3 of 10", "стр. 3", "3/12") are dropped;
* lines of a paragraph are joined with a space, paragraphs are separated by a blank line
  (found from vertical gaps, first-line indents and short lines ending a sentence);
* end-of-line hyphenation is repaired when a lowercase letter follows ("пыт-" + "ки").

Scanned pages (almost no characters, mostly image) go to ``ocr.py``; their lines get the same
treatment. ``ExtractedText.pages`` records where each page lies in the final text, which is the
non-empty page texts joined by ``"\\n\\n"`` (an empty page gets ``start == end``).

>>> doc = PdfExtractor().extract(Path("ruling.pdf"), ExtractOptions())[0]   # doctest: +SKIP
>>> page_two = doc.text[doc.pages[1].start:doc.pages[1].end]                 # doctest: +SKIP
"""

from __future__ import annotations

import io
import math
import re
import statistics
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from pipeline.errors import ExtractionError, NeedsOCR
from pipeline.extract import ocr
from pipeline.extract.base import EXTENSION, MAGIC, NO, ExtractOptions, Extractor
from pipeline.extract.textutil import clean_text
from pipeline.models import ExtractedText, Page

__all__ = ["PdfExtractor", "find_header", "is_page_number", "join_lines"]

PDF_MAGIC = b"%PDF-"
#: ``match`` looks for the header this far in (missouri.pdf starts "%%EOF\r\n%PDF-").
MAGIC_WINDOW = 1024
#: ``extract`` looks further: a PDF is still readable after a longer mail or HTTP preamble.
HEADER_SEARCH = 1024 * 1024

#: A page with fewer visible characters than this and a large image is a scan.
MIN_TEXT_CHARS = 10
#: With ``ocr="always"``: a text layer this small on a scan is a stamp or a file name, not the page.
TINY_TEXT_CHARS = 200
#: Share of the page an image (or tiles of one) must cover for the page to count as a scan;
#: a logo on an empty page is not a scan.
MIN_IMAGE_COVER = 0.25

#: Header/footer band: the first/last lines of a page inside this share of the page height.
BAND = 0.15
BAND_LINES = 3
#: Page numbers are also looked for a little further in (a footer under a footnote block).
NUMBER_BAND = 0.2
#: A line repeats "on many pages" when found on this share of the pages (at least 2 pages).
#: 0.3, not 0.5: ECHR translations alternate two running heads on even and odd pages.
REPEAT_SHARE = 0.3


# --- page numbers --------------------------------------------------------------------------
# One pattern per spelling; each is anchored on the whole line, so "3 ст. 12" or a numbered
# paragraph "3. The applicant..." never matches, only a line that is nothing but the number.
_NUM = r"\d{1,4}"
_PAGE_NUMBER_PATTERNS = (
    # "3", "- 3 -", "– 3 –", "(3)", "[3]", "3.", and "!2" (a stray glyph before the number in
    # some ECHR exports)
    rf"[^\w]*{_NUM}[^\w]*",
    # "3/12", "3 / 12", "3 of 12", "3 из 12", "3 з 12", "3 sur 12"
    rf"{_NUM}\s*(?:/|of|из|з|sur)\s*{_NUM}",
    # "Page 3", "Page 3 of 10", "p. 3", "Стр. 3", "стр. 3 из 10", "Страница 3", "Сторінка 3 з 10",
    # "с. 3" (the Russian abbreviation for страница)
    rf"(?:page|p\.|стр\.?|страница|сторінка|стор\.|с\.)\s*{_NUM}(?:\s*(?:/|of|из|з|sur)\s*{_NUM})?",
)
_PAGE_NUMBER = re.compile("|".join(f"(?:{p})" for p in _PAGE_NUMBER_PATTERNS), re.IGNORECASE)


def is_page_number(line: str) -> bool:
    """True when the whole line is a page number in one of the spellings courts use.

    >>> [is_page_number(s) for s in ("3", "- 3 -", "Page 3 of 10", "стр. 3", "3/12", "3. The")]
    [True, True, True, True, True, False]
    """
    return _PAGE_NUMBER.fullmatch(line.strip()) is not None


def header_key(line: str) -> str:
    """What stays the same in a running head or foot from page to page.

    Normally the line's letters, lowercased: digits (page numbers, "Page: 3", filing dates),
    spaces and punctuation go, so "1 РІШЕННЯ У СПРАВІ «ГИРЛЯН»" on even pages and
    "РІШЕННЯ У СПРАВІ «ГИРЛЯН» 3" on odd pages share one key, and OCR noise in the
    punctuation ("8543/79 etc ." / "8543/79 etc") does not matter. A line with fewer than four
    letters (a journal foot "№ 4 2007 29", a kad.arbitr document id "2 2111397_5399938") keeps
    its digits, less the page number at one end.

    >>> header_key("2 GYRLYAN v. RUSSIA JUDGMENT") == header_key("GYRLYAN v. RUSSIA JUDGMENT 3")
    True
    >>> header_key("30 № 4 2007"), header_key("№ 4 2007 31"), header_key("1 2111397_5399938")
    ('№42007', '№42007', '2111397_5399938')
    """
    text = line.casefold().strip()
    letters = "".join(ch for ch in text if ch.isalpha() or ch in _KEY_SYMBOLS)
    if len(letters) >= 4:
        return letters
    core = _LEADING_NUMBER.sub("", text, count=1)
    if core == text:
        core = _TRAILING_NUMBER.sub("", text, count=1)
    return "".join(ch for ch in core if ch.isalnum() or ch in _KEY_SYMBOLS or ch == "_")


_KEY_SYMBOLS = "№§"
_LEADING_NUMBER = re.compile(r"^\d{1,4}\s+")
_TRAILING_NUMBER = re.compile(r"\s+\d{1,4}$")


# --- line joining ----------------------------------------------------------------------------
_SOFT_HYPHEN = "\u00ad"
# A letter then a hyphen (ASCII, U+2010 or a soft hyphen) at the end of a line. A digit or a
# space before the dash ("С. 81 -") is a range or a dash, not a broken word.
_HYPHEN_END = re.compile(r"[^\W\d_][-\u2010\u00ad]$")
# The end of a sentence or a heading: "...Уряд.", "...таке рішення:", "(Заява № 35943/15)".
_SENTENCE_END = re.compile(r"[.!?:;…][\"'»”’)\]]*$")


def join_lines(lines: Iterable[str]) -> str:
    """Join the lines of one paragraph with spaces, repairing end-of-line hyphenation.

    A word is re-joined only when a lowercase letter follows the hyphen; before a capital or a
    digit the hyphen is part of the word ("Северо-" + "Западный", "COVID-" + "19") and stays,
    without a space. A soft hyphen always goes.

    >>> join_lines(["The applicant was tor-", "tured in custody."])
    'The applicant was tortured in custody.'
    >>> join_lines(["применение пыт-", "ки", "к задержанному"])
    'применение пытки к задержанному'
    >>> join_lines(["Северо-", "Западный округ"])
    'Северо-Западный округ'
    """
    parts: list[str] = []
    for line in lines:
        line = line.strip()
        if not line:
            continue
        if parts and _HYPHEN_END.search(parts[-1]):
            if line[0].islower() or parts[-1].endswith(_SOFT_HYPHEN):
                parts[-1] = parts[-1][:-1] + line
            else:
                parts[-1] += line
        else:
            parts.append(line)
    return " ".join(parts).replace(_SOFT_HYPHEN, "")


# --- page layout -------------------------------------------------------------------------------
@dataclass
class _Line:
    text: str
    x0: float
    top: float
    x1: float
    bottom: float
    paragraph: int | None = None  # Tesseract's paragraph id on OCR pages
    column: int = 0


@dataclass
class _PageLines:
    number: int
    width: float
    height: float
    lines: list[_Line] = field(default_factory=list)
    ocr: bool = False


def _band_rows(page: _PageLines, band: float) -> list[tuple[int, ...]]:
    """The BAND_LINES highest and lowest rows of the page that lie inside ``band``.

    A row is the lines at one height, as indexes into ``page.lines``: on a two-column page a
    running head can be cut into a left and a right piece, at a different word on each page,
    and the foot under the left column comes in the middle of the reading order. So rows are
    found by position, and a row is judged by its pieces joined left to right.
    """
    lines = page.lines
    order = sorted(range(len(lines)), key=lambda i: (lines[i].top, lines[i].x0))
    rows: list[list[int]] = []
    for i in order:
        if rows and abs(lines[i].top - lines[rows[-1][0]].top) <= 2.0:
            rows[-1].append(i)
        else:
            rows.append([i])
    top_limit, bottom_limit = page.height * band, page.height * (1 - band)
    top = [r for r in rows[:BAND_LINES] if lines[r[0]].top < top_limit]
    bottom = [r for r in rows[-BAND_LINES:] if max(lines[i].bottom for i in r) > bottom_limit]
    # A one-row page yields the same row twice; dict.fromkeys keeps order and drops the repeat.
    return list(dict.fromkeys(tuple(r) for r in top + bottom))


def _row_text(page: _PageLines, row: tuple[int, ...]) -> str:
    return " ".join(page.lines[i].text for i in sorted(row, key=lambda i: page.lines[i].x0))


# A number, or single digits set one space apart: "1 3" is a letter-spaced 13.
_NUMBER = re.compile(r"\b\d(?: \d)+\b|\d+")


@dataclass(frozen=True)
class RunningHead:
    """What a running head's digits may be: its fixed numbers (a case number, a year, "of 10")
    and at most one more, the page number, printed at a fixed ``offset`` from the page's index.

    Letters alone cannot tell a running head from the lines of a register or a numeric table:
    "Row 12: amount 184 RUB" and "Row 56: amount 492 RUB" share their letters. Their digits
    change in ways no page number does.
    """

    constant: frozenset[str]
    offset: int | None

    def fits(self, text: str, page_number: int) -> bool:
        varying = [n for n in numbers(text) if n not in self.constant]
        if not varying:
            return True
        return (len(varying) == 1 and self.offset is not None
                and int(varying[0]) - page_number == self.offset)


def numbers(text: str) -> list[str]:
    """The numbers in a line, a letter-spaced one ("1 3" for 13, as some PDF producers set a
    running head's page number) read whole.

    >>> numbers("РІШЕННЯ У СПРАВІ «БЄЛОУСОВ ПРОТИ УКРАЇНИ» 1 3"), numbers("№ 4 2007 31")
    (['13'], ['4', '2007', '31'])
    """
    return [n.replace(" ", "") for n in _NUMBER.findall(text)]


def _running_head(occurrences: Sequence[tuple[int, str]]) -> RunningHead:
    """The digits rule of one key from its rows ``(page number, text)``: numbers on more than
    half the rows are fixed; a lone other number is the page number if the offset agrees."""
    found_numbers = [numbers(text) for _, text in occurrences]
    seen: Counter[str] = Counter(n for found in found_numbers for n in set(found))
    constant = frozenset(n for n, count in seen.items() if 2 * count > len(occurrences))
    offsets: Counter[int] = Counter()
    for (page_number, _), found in zip(occurrences, found_numbers):
        varying = [n for n in found if n not in constant]
        if len(varying) == 1:
            offsets[int(varying[0]) - page_number] += 1
    return RunningHead(constant, offsets.most_common(1)[0][0] if offsets else None)


def find_header(pages: Sequence[_PageLines]) -> dict[str, RunningHead]:
    """Keys of rows that sit in the top or bottom band of many pages (running heads/feet).

    A key of four letters or more must recur on REPEAT_SHARE of the pages; a shorter, mostly
    numeric key (see ``header_key``) on half of them and at least three, because short lines
    such as "I." or "(a)" are more likely to recur by chance. Only rows whose digits fit the
    key's ``RunningHead`` count, and a page where the key fills several rows of the band does
    not count at all: a running head is one row of a page, the lines of a list are several.
    """
    occurrences: dict[str, list[tuple[int, str]]] = {}
    for page in pages:
        here: dict[str, list[str]] = {}
        for row in _band_rows(page, BAND):
            text = _row_text(page, row)
            here.setdefault(header_key(text), []).append(text)
        for key, texts in here.items():
            if len(texts) == 1:
                occurrences.setdefault(key, []).append((page.number, texts[0]))
    with_text = sum(1 for p in pages if p.lines)
    needed_long = max(2, math.ceil(REPEAT_SHARE * with_text))
    needed_short = max(3, math.ceil(0.5 * with_text))
    found = {}
    for key, rows in occurrences.items():
        head = _running_head(rows)
        count = sum(head.fits(text, number) for number, text in rows)
        if ((sum(ch.isalpha() for ch in key) >= 4 and count >= needed_long)
                or (len(key) >= 3 and count >= needed_short)):
            found[key] = head
    return found


def _chars(page: _PageLines, indexes: Iterable[int]) -> int:
    return sum(len(page.lines[i].text) for i in indexes)


def _strip_furniture(pages: Sequence[_PageLines]) -> None:
    """Remove running headers/footers and page numbers in place.

    Running heads never take most of the document's text: when they would, what repeats is
    the document's own content, and it all stays. (A single page may be mostly head: the last
    page of a judgment can hold a head and one heading.)
    """
    repeated = find_header(pages) if len(pages) >= 2 else {}
    heads: list[set[int]] = []
    for page in pages:
        found: set[int] = set()
        for row in _band_rows(page, BAND):
            text = _row_text(page, row)
            head = repeated.get(header_key(text))
            if head is not None and head.fits(text, page.number):
                found.update(row)
        heads.append(found)
    head_chars = sum(_chars(page, found) for page, found in zip(pages, heads))
    if 2 * head_chars > sum(_chars(page, range(len(page.lines))) for page in pages):
        heads = [set() for _ in pages]
    for page, drop in zip(pages, heads):
        for row in _band_rows(page, NUMBER_BAND):
            if is_page_number(_row_text(page, row)):
                drop.update(row)
        if drop:
            page.lines = [line for i, line in enumerate(page.lines) if i not in drop]


def _usual_x0(xs: Sequence[float], tolerance: float) -> float:
    """The left edge most lines of a column share (its body text), within ``tolerance``."""
    return max(xs, key=lambda x: sum(1 for other in xs if abs(other - x) <= tolerance))


@dataclass
class _ColumnShape:
    body_x0: float      # where most lines start
    short_limit: float  # a line ending left of this is short (a paragraph's last line)


def _column_shapes(lines: Sequence[_Line], tolerance: float) -> dict[int, _ColumnShape]:
    shapes = {}
    for column in {line.column for line in lines}:
        members = [line for line in lines if line.column == column]
        x0s = sorted(line.x0 for line in members)
        x1s = sorted(line.x1 for line in members)
        left, right = x0s[len(x0s) // 10], x1s[(len(x1s) * 9) // 10]
        shapes[column] = _ColumnShape(_usual_x0(x0s, tolerance), right - 0.15 * max(right - left, 1.0))
    return shapes


def _paragraphs(lines: Sequence[_Line]) -> list[list[str]]:
    """Split a page's lines into paragraphs.

    A new paragraph starts after a vertical gap clearly wider than the page's usual one; at a
    line that leaves the column's usual left edge after a line on it (a first-line indent, or
    the outdented number of a hanging paragraph "12. ..."); after a short line that ends a
    sentence; or where Tesseract saw one.
    """
    if not lines:
        return []
    tolerance = 3.0
    heights = [max(line.bottom - line.top, 0.1) for line in lines]
    line_height = statistics.median(heights)
    gaps = [b.top - a.bottom for a, b in zip(lines, lines[1:])]
    same_column = [g for g, a, b in zip(gaps, lines, lines[1:]) if a.column == b.column]
    usual_gap = statistics.median(same_column) if len(same_column) >= 2 else 0.3 * line_height
    gap_limit = max(usual_gap, 0.0) + max(0.4 * line_height, 2.0)
    shapes = _column_shapes(lines, tolerance)

    def on_body(line: _Line) -> bool:
        return abs(line.x0 - shapes[line.column].body_x0) <= tolerance

    paragraphs: list[list[str]] = [[lines[0].text]]
    for prev, line, gap in zip(lines, lines[1:], gaps):
        new = (
            gap > gap_limit
            or (on_body(prev) and not on_body(line))
            or (prev.x1 < shapes[prev.column].short_limit and _SENTENCE_END.search(prev.text) is not None)
            or (line.paragraph is not None and line.paragraph != prev.paragraph)
        )
        if new:
            paragraphs.append([line.text])
        else:
            paragraphs[-1].append(line.text)
    return paragraphs


def page_text(lines: Sequence[_Line]) -> str:
    """The clean text of one page: paragraphs separated by a blank line."""
    return clean_text("\n\n".join(join_lines(p) for p in _paragraphs(lines)))


# --- words -> lines, column by column -------------------------------------------------------
#: A gutter between columns is at least this wide (points); word spaces are ~3 pt.
MIN_GUTTER = 6.0
#: Pages with fewer words are never split into columns (a title page, a signature block).
MIN_WORDS_FOR_COLUMNS = 40
#: ... and each column must have this many lines.
MIN_COLUMN_ROWS = 5


def _split_columns(words: list[dict]) -> list[list[dict]]:
    """Split a page's words into text columns, left to right (most pages: one column).

    A gutter is a vertical strip, away from the page edges, that (almost) no word covers from
    top to bottom; a line running across it (a title, a footnote under both columns) is
    tolerated on up to a tenth of the lines. Both sides must hold real text (a sixth of the words
    each, several words per line) so a two-cell caption or a signature block stays whole.
    """
    if len(words) < MIN_WORDS_FOR_COLUMNS:
        return [words]
    x_min = min(w["x0"] for w in words)
    x_max = max(w["x1"] for w in words)
    width = x_max - x_min
    if width < 200:
        return [words]
    heights = sorted(w["bottom"] - w["top"] for w in words)
    line_height = max(heights[len(heights) // 2], 1.0)
    rows = len({round(w["top"] / line_height) for w in words})
    if rows < 2 * MIN_COLUMN_ROWS:
        return [words]
    allowed = rows // 10

    size = int(width) + 2
    diff = [0] * (size + 1)
    for w in words:
        diff[max(0, int(w["x0"] - x_min))] += 1
        diff[min(size, int(math.ceil(w["x1"] - x_min)))] -= 1
    splits: list[float] = []
    covered, run_start = 0, None
    lo, hi = int(0.15 * width), int(0.85 * width)
    for x in range(size):
        covered += diff[x]
        inside = lo <= x <= hi and covered <= allowed
        if inside and run_start is None:
            run_start = x
        elif not inside and run_start is not None:
            if x - run_start >= MIN_GUTTER:
                splits.append(x_min + (run_start + x) / 2)
            run_start = None
    if not splits:
        return [words]

    columns: list[list[dict]] = [[] for _ in range(len(splits) + 1)]
    for w in words:
        centre = (w["x0"] + w["x1"]) / 2
        columns[sum(1 for s in splits if centre > s)].append(w)
    for column in columns:
        column_rows = len({round(w["top"] / line_height) for w in column})
        if (len(column) < len(words) / 6 or column_rows < MIN_COLUMN_ROWS
                or len(column) < 3 * column_rows):
            return [words]
    return columns


def _words_to_lines(words: list[dict]) -> list[_Line]:
    """Group words into lines by vertical overlap, top to bottom, each line left to right.

    Overlap rather than equal ``top``: a footnote mark set higher than its word stays on the line.
    A line's extent is its first word's, not the union of its words, so lines cannot chain.
    """
    rows: list[list[dict]] = []
    row_top = row_bottom = 0.0
    for w in sorted(words, key=lambda w: (w["top"], w["x0"])):
        if rows:
            overlap = min(row_bottom, w["bottom"]) - max(row_top, w["top"])
            if overlap >= 0.5 * min(row_bottom - row_top, w["bottom"] - w["top"]):
                rows[-1].append(w)
                continue
        rows.append([w])
        row_top, row_bottom = w["top"], w["bottom"]
    lines = []
    for row in rows:
        row.sort(key=lambda w: w["x0"])
        lines.append(_Line(" ".join(w["text"] for w in row), row[0]["x0"],
                           min(w["top"] for w in row), max(w["x1"] for w in row),
                           max(w["bottom"] for w in row)))
    return lines


def page_lines(words: list[dict]) -> list[_Line]:
    """The lines of a page in reading order: each column top to bottom, columns left to right."""
    lines = []
    for number, column in enumerate(_split_columns(words)):
        for line in _words_to_lines(column):
            line.column = number
            lines.append(line)
    return lines


# --- opening and errors ----------------------------------------------------------------------
def _why_unreadable(exc: BaseException) -> str:
    """A short reason for a pdfminer failure, in words a researcher can act on."""
    from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect
    from pdfminer.pdfparser import PDFSyntaxError
    from pdfminer.psexceptions import PSEOF

    inner = exc.args[0] if exc.args and isinstance(exc.args[0], BaseException) else exc
    if isinstance(inner, PDFPasswordIncorrect):
        return "encrypted PDF (a password is needed to open it)"
    if isinstance(inner, PDFEncryptionError):
        return f"encrypted PDF (unsupported encryption: {_short(inner)})"
    if isinstance(inner, RecursionError):
        return "malformed pdf (nesting too deep)"
    if isinstance(inner, MemoryError):
        return "ran out of memory while parsing (pdf)"
    if isinstance(inner, PSEOF):
        return "not a valid PDF (truncated: unexpected end of file)"
    if isinstance(inner, PDFSyntaxError) and "/Root" in str(inner):
        return "not a valid PDF (no document catalogue: damaged, truncated or not a PDF)"
    return f"not a valid PDF ({type(inner).__name__}: {_short(inner)})"


def _short(exc: BaseException, limit: int = 120) -> str:
    text = " ".join(str(exc).split())
    return text[:limit] + ("…" if len(text) > limit else "") if text else "no message"


def _pdf_bytes(path: Path) -> bytes:
    """The file's bytes from ``%PDF-`` on (pdfminer cannot skip junk before the header)."""
    data = path.read_bytes()
    if not data:
        raise ExtractionError(f"{path}: not a valid PDF (empty file)")
    offset = data.find(PDF_MAGIC, 0, HEADER_SEARCH)
    if offset < 0:
        raise ExtractionError(f"{path}: not a valid PDF (no %PDF- header)")
    return data[offset:] if offset else data


def _image_cover(page) -> float:  # noqa: ANN001 - a pdfplumber Page
    """Share of the page area covered by images (clipped to the page; overlaps counted twice)."""
    area = float(page.width * page.height) or 1.0
    covered = 0.0
    for im in page.images:
        w = min(im["x1"], page.width) - max(im["x0"], 0)
        h = min(im["bottom"], page.height) - max(im["top"], 0)
        if w > 0 and h > 0:
            covered += w * h
    return min(covered / area, 1.0)


def _page_words(page) -> tuple[list[dict], int]:  # noqa: ANN001 - a pdfplumber Page
    """The page's words without pdfminer's "(cid:123)" placeholders, and how many there were.

    A placeholder stands for a glyph whose font has no Unicode map: it is not text, and a page
    made of them is as good as a scan.
    """
    words, unmapped = [], 0
    for w in page.extract_words():
        if "(cid:" in w["text"]:
            unmapped += w["text"].count("(cid:")
            w["text"] = _CID.sub("", w["text"])
        if w["text"].strip():
            words.append(w)
    return words, unmapped


_CID = re.compile(r"\(cid:\d+\)")


def _scan_limit(mode: str) -> int:
    """Fewer visible characters than this and the page may be a scan (see ``_is_scan``)."""
    return TINY_TEXT_CHARS if mode == "always" else MIN_TEXT_CHARS


def _is_scan(visible_chars: int, unmapped: int, page, mode: str) -> bool:  # noqa: ANN001
    """True for a page to OCR: (almost) no text, and a large image or unmapped glyphs."""
    if visible_chars >= _scan_limit(mode):
        return False
    return unmapped >= MIN_TEXT_CHARS or _image_cover(page) >= MIN_IMAGE_COVER


def _title(metadata: dict) -> str | None:
    title = metadata.get("Title")
    if not isinstance(title, str):
        return None
    title = clean_text(title)[:500]
    return title or None


def _plumber_page(number: int, page, options: ExtractOptions) -> _PageLines:  # noqa: ANN001
    """One page read with pdfplumber; a page that looks scanned is flagged ``ocr``, no lines."""
    words, unmapped = _page_words(page)
    lines = page_lines(words)
    visible = sum(len(line.text) - line.text.count(" ") for line in lines)
    scan = _is_scan(visible, unmapped, page, options.ocr)
    result = _PageLines(number, float(page.width), float(page.height), [] if scan else lines, ocr=scan)
    page.close()  # drop the parsed layout: long PDFs otherwise keep every page
    return result


class PdfExtractor(Extractor):
    """PDF files; ``engine`` picks the text-layer reader ("pdfium", or "pdfplumber" alone)."""

    FORMAT = "pdf"
    EXTENSIONS = (".pdf",)
    ENGINES = ("pdfium", "pdfplumber")

    def __init__(self, engine: str = "pdfium") -> None:
        if engine not in self.ENGINES:
            raise ValueError(f"unknown PDF engine {engine!r}; choose from {', '.join(self.ENGINES)}")
        self.engine = engine

    @classmethod
    def match(cls, path: Path, head: bytes) -> int:
        if PDF_MAGIC in head[:MAGIC_WINDOW]:
            return MAGIC
        # Junk named .pdf still comes here, to fail with "not a valid PDF" rather than "unsupported".
        return EXTENSION if path.suffix.lower() in cls.EXTENSIONS else NO

    def extract(self, path: Path, options: ExtractOptions) -> list[ExtractedText]:
        data = _pdf_bytes(path)
        pages, title = self._read_text_layer(path, data, options)
        scans = [p for p in pages if p.ocr]
        if scans:
            self._ocr(path, data, pages, scans, options)
        _strip_furniture(pages)

        texts: list[str] = []
        spans: list[Page] = []
        pos = 0
        for page in pages:
            text = page_text(page.lines)
            if text:
                if texts:
                    pos += 2  # the "\n\n" between pages
                texts.append(text)
                spans.append(Page(number=page.number, start=pos, end=pos + len(text), ocr=page.ocr))
                pos += len(text)
            else:
                spans.append(Page(number=page.number, start=pos, end=pos, ocr=page.ocr))
        full = "\n\n".join(texts)
        if not full:
            if scans:
                raise ExtractionError(
                    f"{path}: no text in PDF (OCR found none on {len(scans)} image-only pages)")
            raise ExtractionError(f"{path}: no text in PDF ({len(pages)} pages, no text layer and no scanned pages)")

        meta: dict[str, object] = {"pages": len(pages), "ocr_pages": len(scans)}
        if scans:
            meta["ocr_languages"] = ocr.pick_languages(options.ocr_languages)
        if title:
            meta["pdf_title"] = title
        return [ExtractedText(text=full, format=self.FORMAT, pages=spans, meta=meta)]

    def _read_text_layer(self, path: Path, data: bytes,
                         options: ExtractOptions) -> tuple[list[_PageLines], str | None]:
        """Lines of every page's text layer; pages that look scanned are flagged ``ocr``.

        PDFium first (docs/pdf-engines.md: the same text, ~20x faster); any page it declines,
        and the whole file when PDFium cannot open or read it, goes through pdfplumber, so a
        broken or encrypted file fails with the same reasons as before.
        """
        if self.engine == "pdfium":
            try:
                return self._read_with_pdfium(path, data, options)
            except ExtractionError:
                raise
            except Exception:  # noqa: BLE001 - let pdfplumber open it and name the problem
                pass
        return self._read_with_pdfplumber(path, data, options)

    def _read_with_pdfplumber(self, path: Path, data: bytes,
                              options: ExtractOptions) -> tuple[list[_PageLines], str | None]:
        import pdfplumber

        pages: list[_PageLines] = []
        try:
            with pdfplumber.open(io.BytesIO(data)) as pdf:
                title = _title(pdf.metadata)
                for number, page in enumerate(pdf.pages, start=1):
                    pages.append(_plumber_page(number, page, options))
        except ExtractionError:
            raise
        except Exception as exc:  # noqa: BLE001 - pdfminer raises anything on hostile input
            raise ExtractionError(f"{path}: {_why_unreadable(exc)}") from exc
        if not pages:
            raise ExtractionError(f"{path}: not a valid PDF (no pages)")
        return pages, title

    def _read_with_pdfium(self, path: Path, data: bytes,
                          options: ExtractOptions) -> tuple[list[_PageLines], str | None]:
        """PDFium's words per page; pdfplumber (opened only if needed) for pages it declines.

        Any failure escapes to ``_read_text_layer``, which starts over with pdfplumber.
        """
        from pipeline.extract import pdfium

        document = pdfium.open_document(data)
        plumber = None
        pages: list[_PageLines] = []
        try:
            title = _title(document.get_metadata_dict())
            for index in range(len(document)):
                page = document[index]
                try:
                    found = pdfium.page_words(page, _scan_limit(options.ocr))
                finally:
                    page.close()
                if found is None:
                    if plumber is None:
                        import pdfplumber

                        plumber = pdfplumber.open(io.BytesIO(data))
                        if len(plumber.pages) != len(document):
                            raise ValueError("PDFium and pdfminer disagree on the page count")
                    pages.append(_plumber_page(index + 1, plumber.pages[index], options))
                    continue
                words, width, height = found
                pages.append(_PageLines(index + 1, width, height, page_lines(words)))
        finally:
            if plumber is not None:
                plumber.close()
            document.close()
        if not pages:
            raise ValueError("no pages")
        return pages, title

    def _ocr(self, path: Path, data: bytes, pages: list[_PageLines], scans: list[_PageLines],
             options: ExtractOptions) -> None:
        """Fill the lines of the scanned pages from Tesseract, or raise NeedsOCR."""
        languages = ocr.pick_languages(options.ocr_languages) if ocr.available() else ""
        if options.ocr == "never" or not languages:
            how = ("OCR is disabled (ocr='never'); allow OCR and install" if options.ocr == "never"
                   else "install")
            raise NeedsOCR(
                f"{path}: {len(scans)} of {len(pages)} pages have no text layer; "
                f"{how} tesseract-ocr with tesseract-ocr-rus/-eng/-fra to OCR them"
            )
        by_index = {p.number - 1: p for p in scans}
        try:
            for index, lines in ocr.ocr_pdf_pages(data, sorted(by_index), languages, dpi=options.ocr_dpi,
                                                   workers=options.ocr_workers or None):
                by_index[index].lines = [
                    _Line(ln.text, ln.x0, ln.top, ln.x1, ln.bottom, ln.paragraph) for ln in lines
                ]
        except ExtractionError as exc:
            raise type(exc)(f"{path}: OCR failed ({exc})") from exc
        except Exception as exc:  # noqa: BLE001 - PDFium errors on a page it cannot render
            raise ExtractionError(f"{path}: OCR failed ({type(exc).__name__}: {_short(exc)})") from exc
