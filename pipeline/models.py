"""Dataclasses passed between the stages: file -> ExtractedText -> (later) Judgment -> index.

Each stage takes one of these and returns the next; nothing reaches two stages ahead.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass
class Page:
    """Where one page of the source lies in ``ExtractedText.text`` (character offsets).

    ``number`` is 1-based as printed; ``ocr`` tells that its text came from Tesseract.
    """

    number: int
    start: int
    end: int
    ocr: bool = False


@dataclass
class ExtractedText:
    """The text of one document found in a source file, with what the extractor learnt about it.

    A PDF, DOCX, HTML, RTF or TXT file gives one; a JSON/JSONL file of scraped records may give
    many (one per record). ``meta`` holds source metadata as found (title, itemid, app_no, date,
    court, ...), never guessed; ``record_key`` tells records of one file apart.
    """

    text: str
    format: str
    pages: list[Page] = field(default_factory=list)
    meta: dict[str, Any] = field(default_factory=dict)
    record_key: str | None = None
    warnings: list[str] = field(default_factory=list)
    language: str | None = None

    @property
    def page_count(self) -> int:
        return len(self.pages)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ExtractedText:
        data = dict(data)
        data["pages"] = [Page(**p) for p in data.get("pages", [])]
        return cls(**data)
