"""file -> list[ExtractedText]: pick a format module by magic bytes, then by extension.

>>> from pathlib import Path
>>> docs = extract_file(Path("corpora/ru_prigovor_286_zarechny_cp1251.txt"))
>>> docs[0].format, docs[0].meta["encoding"]
('txt', 'cp1251')
"""

from __future__ import annotations

from pathlib import Path

from pipeline.errors import ExtractionError, UnsupportedFormat
from pipeline.extract.base import ExtractOptions, Extractor
from pipeline.extract.docx import DocxExtractor
from pipeline.extract.html import HtmlExtractor
from pipeline.extract.jsonrecords import JsonExtractor
from pipeline.extract.pdf import PdfExtractor
from pipeline.extract.rtf import RtfExtractor
from pipeline.extract.txt import TxtExtractor
from pipeline.extract.unsupported import UnsupportedExtractor

__all__ = ["EXTRACTORS", "ExtractOptions", "detect_format", "extract_file", "pick"]

#: Every format module; adding a format = one module here + fixtures + a test file.
EXTRACTORS: tuple[type[Extractor], ...] = (
    PdfExtractor,
    DocxExtractor,
    RtfExtractor,
    HtmlExtractor,
    JsonExtractor,
    TxtExtractor,
    UnsupportedExtractor,
)

HEAD_BYTES = 4096


def _read_head(path: Path) -> bytes:
    try:
        with path.open("rb") as fh:
            return fh.read(HEAD_BYTES)
    except FileNotFoundError as exc:
        raise ExtractionError(f"{path}: file vanished before it could be read") from exc
    except OSError as exc:
        raise ExtractionError(f"{path}: cannot read file ({exc.strerror or exc})") from exc


def pick(path: Path) -> type[Extractor]:
    """Return the extractor class with the highest score for ``path``."""
    head = _read_head(path)
    if not head:
        raise ExtractionError(f"{path}: empty file (0 bytes)")
    scored = sorted(((cls.match(path, head), i, cls) for i, cls in enumerate(EXTRACTORS)),
                    key=lambda t: (-t[0], t[1]))
    score, _, best = scored[0]
    if score <= 0:
        raise UnsupportedFormat(
            f"{path}: unsupported format (not PDF, DOCX, HTML, RTF, TXT or JSON); "
            "convert it to PDF or DOCX"
        )
    return best


def detect_format(path: Path) -> str:
    """The format name the picker chooses for ``path`` (``pdf``, ``docx``, ``doc``, ...)."""
    cls = pick(path)
    if cls is UnsupportedExtractor:
        return UnsupportedExtractor.kind(path, _read_head(path))
    return cls.FORMAT


def extract_file(path: Path, options: ExtractOptions | None = None) -> list[ExtractedText]:
    """Extract the document(s) in ``path``; raise a ``PipelineError`` subclass on failure.

    Library exceptions are caught at the format boundary and re-raised as ``ExtractionError``
    naming the file, so a caller sees one kind of error whatever the format.
    """
    options = options or ExtractOptions()
    cls = pick(path)
    try:
        docs = cls().extract(path, options)
    except ExtractionError:
        raise
    except FileNotFoundError as exc:
        raise ExtractionError(f"{path}: file vanished while it was being read") from exc
    except MemoryError as exc:
        raise ExtractionError(f"{path}: ran out of memory while parsing ({cls.FORMAT})") from exc
    except RecursionError as exc:
        raise ExtractionError(f"{path}: malformed {cls.FORMAT} (nesting too deep)") from exc
    except Exception as exc:  # noqa: BLE001 - any library failure on hostile input is one line
        raise ExtractionError(
            f"{path}: cannot parse as {cls.FORMAT} ({type(exc).__name__}: {_short(exc)})"
        ) from exc
    return docs


def _short(exc: BaseException, limit: int = 160) -> str:
    """A library message cut to one short line (it may echo bytes of the file)."""
    text = " ".join(str(exc).split())
    return text[:limit] + ("…" if len(text) > limit else "")


from pipeline.models import ExtractedText  # noqa: E402  (for the type hints above)
