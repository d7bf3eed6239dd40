"""JSON / JSONL records from scrapers and datasets: a text field plus metadata fields.

A file may hold one record (an object), many (an array), or one per line (JSONL). Each record
with a text field becomes one ``ExtractedText``; its scalar fields become ``meta``. The HUDOC
records in the shared corpora carry the judgment as flattened HTML: a CSS preamble, literal
``&#xa0;`` entities and no line breaks; ``hudoc_flattened_html`` restores the paragraphs.
"""

from __future__ import annotations

import html
import json
import re
from pathlib import Path
from typing import Any

from bs4 import BeautifulSoup

from pipeline.errors import ExtractionError
from pipeline.extract.base import EXTENSION, NO, ExtractOptions, Extractor
from pipeline.extract.textutil import clean_text, decode_bytes
from pipeline.models import ExtractedText

#: Field names that hold the document text, in order of preference.
TEXT_FIELDS = ("full_text", "text", "content", "body", "judgment_text", "judgment", "html")
#: Field names that identify a record, in order of preference.
KEY_FIELDS = ("itemid", "id", "doc_id", "ecli", "case_number", "uid")
MAX_JSON_BYTES = 256 * 1024 * 1024
MAX_META_CHARS = 2000

# ".s800EAC49 { font-size:12pt } ..." before the text of HUDOC conversions. The braces must
# hold "property: value" declarations, so a judgment opening "The set {1, 2} ..." keeps its words.
_CSS_PREAMBLE = re.compile(
    r"^\s*(?:[.#@]?[\w\-.:# ,>]+\s*\{\s*(?:[\w\-]+\s*:[^{};]*;?\s*)*\}\s*)+"
)
# Runs of non-breaking-space entities separate paragraphs in the flattened HUDOC HTML.
_NBSP_RUN = re.compile(r"(?:\s*&#xa0;\s*)+")
# A paragraph that is only its number ("12.") belongs to the text after it.
_BARE_NUMBER = re.compile(r"^(?:\d{1,4}\.|[A-Z]\.|\([a-z]\)|§\s*\d+)$")
# Real markup only: HUDOC quotes carry editorial brackets ("<the applicant>", "<Translation>")
# that an HTML parser would swallow, words and all.
_TAG = re.compile(
    r"<(?:!doctype|!--|/?(?:html|head|body|p|div|span|br|hr|table|tr|td|th|tbody|h[1-6]|b|i|u"
    r"|em|strong|a|ul|ol|li|font|sup|sub|blockquote|pre|style|script|meta|title)\b)[^>]*>",
    re.IGNORECASE,
)


def hudoc_flattened_html(text: str) -> str:
    """Undo HUDOC's HTML-to-text flattening: drop the CSS preamble, rebuild paragraphs.

    >>> hudoc_flattened_html(".s1 { font-size:12pt } &#xa0; PROCEDURE 1. &#xa0; The case")
    'PROCEDURE 1.\\n\\nThe case'
    """
    text = _CSS_PREAMBLE.sub("", text, count=1)
    if "&#xa0;" not in text:
        return html.unescape(text)
    parts = [p.strip() for p in _NBSP_RUN.split(text)]
    paragraphs: list[str] = []
    for part in parts:
        if not part:
            continue
        part = html.unescape(part)
        paragraphs.append(part)
    merged: list[str] = []
    for part in paragraphs:
        if merged and _BARE_NUMBER.match(merged[-1]):
            merged[-1] = f"{merged[-1]} {part}"
        else:
            merged.append(part)
    return "\n\n".join(merged)


def _record_text(value: Any) -> str:
    if not isinstance(value, str):
        return ""
    if _TAG.search(value[:20000]):
        value = BeautifulSoup(value, "html.parser").get_text("\n")
    return hudoc_flattened_html(value)


def _scalar_meta(record: dict[str, Any], text_field: str) -> dict[str, Any]:
    meta: dict[str, Any] = {}
    for key, value in record.items():
        if key == text_field or not isinstance(key, str):
            continue
        if isinstance(value, (int, float, bool)) or value is None:
            meta[key] = value
        elif isinstance(value, str):
            meta[key] = value[:MAX_META_CHARS]
        elif isinstance(value, list) and all(isinstance(v, (str, int, float)) for v in value):
            meta[key] = [str(v)[:200] for v in value[:100]]
    return meta


def _records(data: Any) -> list[Any]:
    if isinstance(data, dict):
        # A wrapper such as {"results": [...]} or {"data": [...]} holds the records.
        for key in ("records", "results", "data", "items", "documents"):
            if isinstance(data.get(key), list) and not any(f in data for f in TEXT_FIELDS):
                return data[key]
        return [data]
    if isinstance(data, list):
        return data
    return []


class JsonExtractor(Extractor):
    FORMAT = "json"
    EXTENSIONS = (".json", ".jsonl", ".ndjson")

    @classmethod
    def match(cls, path: Path, head: bytes) -> int:
        stripped = head.lstrip(b"\xef\xbb\xbf \r\n\t")
        if path.suffix.lower() in cls.EXTENSIONS and stripped[:1] in (b"{", b"["):
            return EXTENSION + 5
        if stripped[:1] == b"{" and b'":' in stripped[:2048]:
            return EXTENSION - 1
        return NO

    def extract(self, path: Path, options: ExtractOptions) -> list[ExtractedText]:
        size = path.stat().st_size
        if size > MAX_JSON_BYTES:
            raise ExtractionError(f"{path}: JSON too large ({size} bytes)")
        raw, _ = decode_bytes(path.read_bytes())
        try:
            records = _records(json.loads(raw))
        except json.JSONDecodeError as whole_error:
            records = []
            for lineno, line in enumerate(raw.splitlines(), 1):
                if not line.strip():
                    continue
                try:
                    records.append(json.loads(line))
                except json.JSONDecodeError:
                    raise ExtractionError(
                        f"{path}: invalid JSON (line {whole_error.lineno if lineno == 1 else lineno})"
                    ) from None
        docs: list[ExtractedText] = []
        seen: set[str] = set()
        empty = 0
        for index, record in enumerate(records):
            if not isinstance(record, dict):
                continue
            field = next((f for f in TEXT_FIELDS if isinstance(record.get(f), str)), None)
            if field is None:
                # A text field that is present but null is an empty record, not a missing field.
                empty += any(f in record for f in TEXT_FIELDS)
                continue
            text = clean_text(_record_text(record[field]))
            if not text:
                empty += 1
                continue
            key = next((str(record[k]) for k in KEY_FIELDS if record.get(k) not in (None, "")), None)
            if key is None or key in seen:
                # Fall back to the position; an id elsewhere in the file may equal it, so probe on.
                base = f"{key}-" if key else ""
                suffix = index + 1
                while f"{base}{suffix}" in seen:
                    suffix += len(records)
                key = f"{base}{suffix}"
            seen.add(key)
            docs.append(ExtractedText(text=text, format=self.FORMAT,
                                      meta=_scalar_meta(record, field), record_key=key))
        if not docs:
            if empty:
                raise ExtractionError(
                    f"{path}: no text in any record (text field empty or null in {empty})"
                )
            raise ExtractionError(
                f"{path}: no record with a text field ({', '.join(TEXT_FIELDS[:4])}, ...)"
            )
        return docs
