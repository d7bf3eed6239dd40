"""What every format module provides, after ingest-file's one-class-per-format design.

An extractor declares the format it handles, the extensions it expects and a ``match`` that sniffs
the first bytes of the file. The picker (``pipeline.extract.pick``) asks each one and takes the
highest score, so magic bytes beat the file name: a ``.doc`` that is really RTF, or a PDF with junk
before ``%PDF-``, still reaches the right module.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar

from pipeline.models import ExtractedText

#: Scores returned by ``match``: a magic-byte hit outranks an extension guess.
MAGIC = 100
EXTENSION = 10
NO = 0


@dataclass(frozen=True)
class ExtractOptions:
    """Knobs the caller may set for one extraction.

    ``ocr`` is ``"auto"`` (use Tesseract when it is installed), ``"never"`` or ``"always"``
    (OCR image-only pages even if a tiny text layer exists).
    """

    ocr: str = "auto"
    ocr_languages: str = "rus+eng+fra"
    ocr_dpi: int = 300
    #: Tesseract processes one file may run at once (0 = one per core). Ingest sets it to
    #: cores / parser processes so that parallel files do not oversubscribe the machine.
    ocr_workers: int = 0
    max_unpacked_bytes: int = 512 * 1024 * 1024
    #: Embed each document's paragraphs too (the index has a meaning layer): done where the
    #: file is parsed, so parser and Dask workers share the work (search/meaning/embed.py).
    meaning: bool = False


class Extractor:
    """Base class: subclasses set FORMAT/EXTENSIONS and implement ``extract``."""

    FORMAT: ClassVar[str] = ""
    EXTENSIONS: ClassVar[tuple[str, ...]] = ()

    @classmethod
    def match(cls, path: Path, head: bytes) -> int:
        """Return how sure this extractor is that it can read the file (0 = not at all).

        ``head`` is the first 4 KiB of the file. The default only looks at the extension.
        """
        return EXTENSION if path.suffix.lower() in cls.EXTENSIONS else NO

    def extract(self, path: Path, options: ExtractOptions) -> list[ExtractedText]:
        """Read ``path`` and return its document(s); raise ``ExtractionError`` on failure."""
        raise NotImplementedError
