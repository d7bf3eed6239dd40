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
from array import array
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
        keys = RecordKeys(len(records))
        empty = 0
        for index, record in enumerate(records):
            doc = record_document(record)
            if not isinstance(doc, ExtractedText):
                empty += doc == EMPTY
                continue
            doc.record_key = keys.assign(doc.record_key, index)
            docs.append(doc)
        if not docs:
            raise no_text_error(path, empty)
        return docs


#: What ``record_document`` says of a record that is not one, or holds no text.
NOT_A_RECORD, EMPTY = "not a record", "empty"


def record_document(record: Any) -> ExtractedText | str:
    """One record as a document (its ``record_key`` the record's own id, or None), or why not:
    ``NOT_A_RECORD`` (no text field at all, or not an object) or ``EMPTY``."""
    if not isinstance(record, dict):
        return NOT_A_RECORD
    field = next((f for f in TEXT_FIELDS if isinstance(record.get(f), str)), None)
    if field is None:
        # A text field that is present but null is an empty record, not a missing field.
        return EMPTY if any(f in record for f in TEXT_FIELDS) else NOT_A_RECORD
    text = clean_text(_record_text(record[field]))
    if not text:
        return EMPTY
    key = next((str(record[k]) for k in KEY_FIELDS if record.get(k) not in (None, "")), None)
    return ExtractedText(text=text, format=JsonExtractor.FORMAT, meta=_scalar_meta(record, field),
                         record_key=key)


def no_text_error(path: Path | str, empty: int) -> ExtractionError:
    if empty:
        return ExtractionError(
            f"{path}: no text in any record (text field empty or null in {empty})")
    return ExtractionError(
        f"{path}: no record with a text field ({', '.join(TEXT_FIELDS[:4])}, ...)")


class RecordKeys:
    """Unique record keys within one file, given in record order.

    A record without an id, or with one an earlier record took, is keyed by its position; an
    id elsewhere in the file may equal that, so the suffix probes on by the record count.

    >>> keys = RecordKeys(2)
    >>> keys.assign("2", 0), keys.assign(None, 1)
    ('2', '4')
    """

    def __init__(self, count: int):
        self.count = max(1, count)
        self.seen: set[str] = set()

    def assign(self, key: str | None, index: int) -> str:
        if key is None or key in self.seen:
            base = f"{key}-" if key else ""
            suffix = index + 1
            while f"{base}{suffix}" in self.seen:
                suffix += self.count
            key = f"{base}{suffix}"
        self.seen.add(key)
        return key


# -- records as units ---------------------------------------------------------------------------
# A file of many records is parsed one batch of records at a time, each batch in its own worker
# with its own limits (``pipeline.ingest``): one huge or malformed record then costs itself, not
# the file. ``record_spans`` finds where each record lies without keeping any of them;
# ``extract_records`` reads the records of one batch back by their byte offsets.

def record_spans(path: Path) -> tuple[array, array] | None:
    """Byte offsets ``(starts, ends)`` of each record of a JSON array or JSONL file.

    None when the file is one unit: a single object (a record, or a wrapper such as
    ``{"results": [...]}``), or text that is not UTF-8 (UTF-16, cp1251: decoded whole). JSONL
    records are its non-blank lines, so a malformed line is one bad record. An array's elements
    are found with the C decoder; a malformed element ends the search, and the rest of the
    array becomes one last (bad) record.
    """
    data = path.read_bytes()
    if len(data) > MAX_JSON_BYTES:
        raise ExtractionError(f"{path}: JSON too large ({len(data)} bytes)")
    offset = 3 if data.startswith(b"\xef\xbb\xbf") else 0
    try:
        data[offset:].decode("utf-8")
    except UnicodeDecodeError:
        return None
    # Latin-1 maps each byte to one character, so string offsets are byte offsets; JSON's
    # syntax is ASCII, and the bytes of multi-byte characters only ever sit inside strings.
    text = data.decode("latin-1")
    del data
    decoder = json.JSONDecoder()
    first = len(text) - len(text[offset:].lstrip())
    starts, ends = array("q"), array("q")
    if text.startswith("[", first):
        at = first + 1
        while True:
            at = _skip_ws(text, at)
            if at >= len(text) or text[at] == "]":
                return starts, ends
            try:
                _, end = decoder.raw_decode(text, at)
            except (json.JSONDecodeError, RecursionError):
                close = text.rstrip().rfind("]")
                starts.append(at)
                ends.append(close if close > at else len(text))
                return starts, ends
            starts.append(at)
            ends.append(end)
            at = _skip_ws(text, end)
            if at < len(text) and text[at] == ",":
                at += 1
    try:
        _, end = decoder.raw_decode(text, first)
    except (json.JSONDecodeError, RecursionError):
        end = -1
    if end >= 0 and not text[end:].strip():
        return None  # one object: one unit
    for line in re.finditer(r"[^\r\n]+", text):
        if line.group().strip():
            starts.append(line.start())
            ends.append(line.end())
    return starts, ends


def _skip_ws(text: str, at: int) -> int:
    while at < len(text) and text[at] in " \t\r\n":
        at += 1
    return at


def extract_records(path: Path, spans: tuple[int, array, array]
                    ) -> tuple[list[tuple[int, ExtractedText | str]], list[tuple[int, str]]]:
    """The records at ``spans``: ``(number of the first, starts, ends)``, numbered from 1.

    Returns ``(found, errors)``: ``found`` pairs a record's number with its document or with
    ``NOT_A_RECORD`` / ``EMPTY``; ``errors`` pairs a number with why that record is unreadable.
    """
    found: list[tuple[int, ExtractedText | str]] = []
    errors: list[tuple[int, str]] = []
    first, starts, ends = spans
    with path.open("rb") as fh:
        for number, start, end in zip(range(first, first + len(starts)), starts, ends):
            fh.seek(start)
            raw = fh.read(end - start)
            try:
                record = json.loads(raw.decode("utf-8", errors="surrogatepass"))
            except (ValueError, RecursionError) as exc:
                where = f" at char {exc.pos}" if isinstance(exc, json.JSONDecodeError) else ""
                errors.append((number, f"invalid JSON{where}"))
                continue
            del raw
            found.append((number, record_document(record)))
            del record
    return found, errors
