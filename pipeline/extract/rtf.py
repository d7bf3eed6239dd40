"""RTF via striprtf, decoding ``\\'xx`` escapes with the code page the file declares (``\\ansicpg``).

Russian RTF from court systems is usually ``\\ansicpg1251``; without a declaration RTF means cp1252.
"""

from __future__ import annotations

import re
from pathlib import Path

from striprtf.striprtf import rtf_to_text

from pipeline.errors import ExtractionError
from pipeline.extract.base import MAGIC, ExtractOptions, Extractor
from pipeline.extract.textutil import clean_text
from pipeline.models import ExtractedText

_CODEPAGE = re.compile(rb"\\ansicpg(\d{3,5})")
MAX_RTF_BYTES = 64 * 1024 * 1024


class RtfExtractor(Extractor):
    FORMAT = "rtf"
    EXTENSIONS = (".rtf",)

    @classmethod
    def match(cls, path: Path, head: bytes) -> int:
        if head.lstrip(b"\xef\xbb\xbf \r\n\t").startswith(b"{\\rtf"):
            return MAGIC
        return super().match(path, head)

    def extract(self, path: Path, options: ExtractOptions) -> list[ExtractedText]:
        data = path.read_bytes()
        if len(data) > MAX_RTF_BYTES:
            raise ExtractionError(f"{path}: RTF too large ({len(data)} bytes)")
        if not data.lstrip(b"\xef\xbb\xbf \r\n\t").startswith(b"{\\rtf"):
            raise ExtractionError(f"{path}: not an RTF file (no {{\\rtf header)")
        found = _CODEPAGE.search(data[:4096])
        encoding = f"cp{found.group(1).decode()}" if found else "cp1252"
        try:
            "".encode(encoding)
        except LookupError:
            encoding = "cp1252"
        # RTF is 7-bit by definition, but some writers put raw 8-bit bytes in the declared code
        # page; decoding with it reads those right. A leading BOM would come out as "ï»¿".
        rtf = data.lstrip(b"\xef\xbb\xbf \r\n\t").decode(encoding, errors="replace")
        text = rtf_to_text(rtf, encoding=encoding, errors="replace")
        text = clean_text(text)
        if not text:
            raise ExtractionError(f"{path}: no text in RTF")
        return [ExtractedText(text=text, format=self.FORMAT, meta={"encoding": encoding})]
