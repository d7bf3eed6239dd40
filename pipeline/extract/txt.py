"""Plain text in any Cyrillic/Latin encoding: utf-8, cp1251, cp1252, koi8-r, utf-16 (with or without
a BOM); any line ends.

The encoding is detected with charset-normalizer (see ``textutil.decode_bytes``), never trusted
from the extension; HUDOC TXT exports are cp1252 with CRLF, Russian court texts mix CR/CRLF/LF.
"""

from __future__ import annotations

from pathlib import Path

from pipeline.errors import ExtractionError
from pipeline.extract.base import EXTENSION, NO, ExtractOptions, Extractor
from pipeline.extract.textutil import clean_text, decode_bytes, sniff_utf16
from pipeline.models import ExtractedText

MAX_TEXT_BYTES = 64 * 1024 * 1024


def looks_like_text(head: bytes) -> bool:
    """True for UTF-16 (with a BOM or without one, see ``sniff_utf16``), or when the first
    bytes hold at most 1 % control bytes.

    A stray NUL is only a control byte like the others (clean_text removes it): scraped
    court texts carry the odd one, and refusing the whole file for it loses a ruling.
    """
    if head.startswith((b"\xff\xfe", b"\xfe\xff")) or sniff_utf16(head):
        return True
    controls = sum(1 for b in head if b < 9 or 13 < b < 32)
    return controls <= len(head) // 100


class TxtExtractor(Extractor):
    FORMAT = "txt"
    EXTENSIONS = (".txt", ".text", ".md")

    @classmethod
    def match(cls, path: Path, head: bytes) -> int:
        if not looks_like_text(head):
            return NO
        # Any readable text file is a candidate; the extension only raises our confidence.
        return EXTENSION if path.suffix.lower() in cls.EXTENSIONS else 2

    def extract(self, path: Path, options: ExtractOptions) -> list[ExtractedText]:
        size = path.stat().st_size
        if size > MAX_TEXT_BYTES:
            raise ExtractionError(f"{path}: text file too large ({size} bytes, limit {MAX_TEXT_BYTES})")
        text, encoding = decode_bytes(path.read_bytes())
        text = clean_text(text)
        if not text:
            raise ExtractionError(f"{path}: no text in file")
        return [ExtractedText(text=text, format=self.FORMAT, meta={"encoding": encoding})]
