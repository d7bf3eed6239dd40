"""Formats we recognise but do not read: say what the file is and what to convert it to.

Recognising them (rather than failing as "unknown") lets the summary tell a lawyer that her
``.doc`` needs saving as DOCX, instead of a vague parse error.
"""

from __future__ import annotations

from pathlib import Path

from pipeline.errors import UnsupportedFormat
from pipeline.extract.base import EXTENSION, MAGIC, NO, ExtractOptions, Extractor

# (kind, magic prefix, advice). Magic bytes from the format specifications.
_MAGIC: tuple[tuple[str, bytes, str], ...] = (
    ("doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "legacy Word/OLE2 document: save it as DOCX or PDF"),
    ("wpd", b"\xffWPC", "WordPerfect document: save it as DOCX or PDF"),
    ("image", b"\x89PNG\r\n\x1a\n", "image: put it in a PDF to have it OCRed"),
    ("image", b"\xff\xd8\xff", "image: put it in a PDF to have it OCRed"),
    ("image", b"II*\x00", "image: put it in a PDF to have it OCRed"),
    ("image", b"MM\x00*", "image: put it in a PDF to have it OCRed"),
    ("image", b"GIF8", "image: put it in a PDF to have it OCRed"),
    ("zip", b"PK\x03\x04", "zip archive that is not a DOCX: unpack it first"),
    ("odt", b"PK\x03\x04", "OpenDocument text: save it as DOCX or PDF"),
)

_EXTENSIONS = {
    ".doc": ("doc", "legacy Word document: save it as DOCX or PDF"),
    ".wpd": ("wpd", "WordPerfect document: save it as DOCX or PDF"),
    ".odt": ("odt", "OpenDocument text: save it as DOCX or PDF"),
    ".djvu": ("djvu", "DjVu scan: convert it to PDF"),
    ".xls": ("xls", "spreadsheet: not a ruling"),
    ".xlsx": ("xlsx", "spreadsheet: not a ruling"),
}
#: The extensions named above, whose files are refused with advice rather than as unknown.
NAMED_EXTENSIONS = frozenset(_EXTENSIONS)


class UnsupportedExtractor(Extractor):
    """Claims files it can name so the error is specific; ``extract`` always refuses."""

    FORMAT = "unsupported"

    @classmethod
    def _identify(cls, path: Path, head: bytes) -> tuple[str, str, int] | None:
        for kind, magic, advice in _MAGIC:
            if head.startswith(magic):
                if kind in ("zip", "odt"):
                    # DOCX is a zip too: only claim zips the DOCX module will not (low score).
                    is_odt = b"mimetypeapplication/vnd.oasis.opendocument" in head
                    if (kind == "odt") != is_odt:
                        continue
                    return kind, advice, 1
                return kind, advice, MAGIC - 1
        ext = _EXTENSIONS.get(path.suffix.lower())
        if ext:
            return ext[0], ext[1], EXTENSION - 1
        return None

    @classmethod
    def match(cls, path: Path, head: bytes) -> int:
        found = cls._identify(path, head)
        return found[2] if found else NO

    @classmethod
    def kind(cls, path: Path, head: bytes) -> str:
        found = cls._identify(path, head)
        return found[0] if found else "unknown"

    def extract(self, path: Path, options: ExtractOptions) -> list:
        with path.open("rb") as fh:
            head = fh.read(4096)
        found = self._identify(path, head)
        advice = found[1] if found else "convert it to PDF or DOCX"
        raise UnsupportedFormat(f"{path}: unsupported format ({advice})")
