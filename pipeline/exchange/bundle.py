"""What a precedent bundle is: its members, its manifest, its limits, and one record per line.

A bundle is a zip archive::

    manifest.json    format version, pipeline version, counts, sha256 + size of every member,
                     provenance of every source (base name, sha256, extraction date)
    manifest.sig     optional: an Ed25519 signature of manifest.json's exact bytes
    records.jsonl    one precedent record per line: the JSON of ``precedents show --json``,
                     with ``source.path`` reduced to the source's base name, plus the stored
                     record's keys the public view leaves out (``own_identifiers``, ...), so
                     that the importer indexes exactly what the exporter indexed
    originals/<sha256>   optional (``--with-originals``): the source files, named by hash
    casefiles.json   optional (``--with-casefiles``, format version 2): the lawyer's case
                     files (``pipeline/exchange/casefiles.py``)

Members are named by us, never by the data: a member name from a foreign bundle is only ever
compared with this list, never used as a path.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import Any, cast

from pipeline.catalogue import IMPORTED_SCHEME, Document, Source
from pipeline.models import PublicRecord, StoredRecord
from pipeline.records import public_record

FORMAT = "precedents-bundle"
#: Bumped when a reader of the previous version would misread a bundle; readers refuse newer.
#: 2: the ``casefiles.json`` member; a bundle without it is still written as version 1.
FORMAT_VERSION = 2
MANIFEST = "manifest.json"
SIGNATURE = "manifest.sig"
RECORDS = "records.jsonl"
ORIGINALS = "originals/"
CASEFILES = "casefiles.json"
#: The scheme of imported sources' paths (defined with the catalogue, which prune reads).
BUNDLE_SCHEME = IMPORTED_SCHEME

SHA256 = re.compile(r"^[0-9a-f]{64}$")
#: The ids ``ingest`` makes; a foreign id must look the same (it ends up in URLs and CLI args).
DOC_ID = re.compile(r"^[A-Za-z0-9_-]{1,128}$")
#: Keys of a record line that describe the document, not its analysis (the ``record``).
DOCUMENT_KEYS = ("id", "sha256", "source", "text", "language")


@dataclass(frozen=True)
class Limits:
    """What an import accepts before it reads further, and so what an export may write. Every
    bundle is treated as hostile: sizes in zip headers are checked here, and the reader also
    counts the bytes it inflates, so a decompression bomb is bounded by what it inflates to,
    per member and in all. The compression ratio is no limit: a judgment that repeats one
    paragraph thousands of times is legitimate, and deflates 300:1.

    The defaults fit 100,000 judgments (a few GB of text) with room to spare; tests pass small
    limits to exercise each refusal without building gigabytes.
    """

    max_members: int = 50_000             # central-directory entries (checked before parsing it)
    max_directory_bytes: int = 64 << 20   # size of the central directory
    max_manifest_bytes: int = 64 << 20
    max_line_bytes: int = 64 << 20        # one record (the longest judgment is ~10 MB of text)
    max_member_bytes: int = 8 << 30
    max_total_bytes: int = 32 << 30


def source_name(path: str) -> str:
    """The base name a bundle gives a source: local folders can name clients, so they stay home.
    It is a name an import accepts (``safe_name``): a space that is not printable (a no-break
    space from a Windows share) becomes a space, a control character an underscore.

    >>> source_name("/home/ngo/clients/Ivanov/приговор.pdf")
    'приговор.pdf'
    >>> source_name("bundle://0123abcd/приговор.pdf")
    'приговор.pdf'
    >>> source_name("/in/Приговор\xa0Иванова\x1b[2J.pdf")
    'Приговор Иванова_[2J.pdf'
    """
    name = path.replace("\\", "/").rstrip("/").rsplit("/", 1)[-1]
    name = "".join(c if c.isprintable() else " " if c.isspace() else "_" for c in name)
    return name if name not in ("", ".", "..") else "source"


def safe_name(name: Any) -> bool:
    """A source name from a foreign manifest: a plain base name we may show and store.

    >>> [safe_name(n) for n in ("a.pdf", "../a.pdf", "a/b", "..", "", "a\\x00b")]
    [True, False, False, False, False, False]
    """
    return (isinstance(name, str) and 0 < len(name) <= 255 and name not in (".", "..")
            and not any(c in name for c in "/\\\x00") and name.isprintable())


def record_line(doc: Document, source: Source | None, name: str) -> PublicRecord:
    """One ``records.jsonl`` line: the public record, path reduced to ``name``, plus the stored
    record's own extra keys (``own_identifiers`` is what finds a judgment by its number)."""
    line: dict[str, Any] = dict(public_record(doc, source))
    line["source"] = {**line["source"], "path": name}
    for key, value in (doc.record or {}).items():
        if key not in line:
            line[key] = value
    return cast(PublicRecord, line)  # a public record, with the stored record's extra keys


def document_from_line(line: dict[str, Any], source_path: str, doc_id: str) -> Document:
    """The catalogue Document a (validated) record line becomes, stored under ``source_path``."""
    src = line["source"]
    record = {k: v for k, v in line.items() if k not in DOCUMENT_KEYS}
    return Document(
        id=doc_id, source_path=source_path, format=src["format"], text=line["text"],
        record_key=src.get("record_key"), language=line.get("language"),
        pages=src.get("pages") or 0, title=line.get("title"), meta=src.get("meta") or {},
        page_offsets=src.get("page_offsets") or [],
        record=cast(StoredRecord, record))  # validated by ``record_problem``


# -- validating a foreign record ------------------------------------------------------------
# The search index reads these fields with ``h["article"]``, ``int(date[:4])`` and the like:
# a record of the wrong shape would not only be wrong, it would break every later reindex.
# So each field a foreign record brings is checked against the shape our own records have.

_STR, _OPT, _INT, _NUM, _STRS = "str", "str?", "int", "num", "[str]"
_OPT_INT, _OPT_NUM = "int?", "num?"

_OBJECTS: dict[str, dict[str, str]] = {
    "holdings": {"article": _OPT, "outcome": _STR, "text": _STR, "vote": _OPT},
    "awards": {"amount": _NUM, "currency": _STR, "head": _STR, "text": _STR},
    "charges": {"code": _STR, "article": _STR, "part": _OPT, "point": _OPT, "key": _STR},
    "citations": {"text": _STR, "case_name": _OPT, "case_numbers": _STRS, "start": _INT,
                  "end": _INT, "canonical": _OPT, "canonical_name": _OPT,
                  "canonical_numbers": _STRS, "canonical_date": "date"},
    "sections": {"name": _STR, "start": _INT, "end": _INT},
    "paragraphs": {"number": _STR, "start": _INT, "end": _INT, "section": _OPT},
    "entities": {"label": _STR, "text": _STR, "start": _INT, "end": _INT, "key": _OPT},
    "penalties": {"type": _STR, "months": _OPT_INT, "amount": _OPT_NUM,
                  "probation_months": _OPT_INT, "text": _STR},
}
_SCALARS = {"kind": _STR, "instance": _OPT, "title": _OPT, "court": _OPT, "formation": _OPT,
            "date": "date", "final_date": "date", "city": _OPT, "uid": _OPT, "ecli": _OPT,
            "president": _OPT, "outcome": _OPT, "language": _OPT, "text": _STR,
            "id": _STR, "sha256": "sha?", "record_version": _INT}
_LISTS = {"case_numbers", "applicants", "respondent_states", "judges", "representatives", "complaints",
          "accused", "identifiers", "own_identifiers"}
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def _ok(value: Any, kind: str) -> bool:
    if kind == _STR:
        return isinstance(value, str)
    if kind == _OPT:
        return value is None or isinstance(value, str)
    if kind == _INT:
        return isinstance(value, int) and not isinstance(value, bool)
    if kind == _NUM:
        return isinstance(value, (int, float)) and not isinstance(value, bool)
    if kind in (_OPT_INT, _OPT_NUM):
        return value is None or _ok(value, kind[:-1])
    if kind == _STRS:
        return isinstance(value, list) and all(isinstance(v, str) for v in value)
    if kind == "sha?":
        return value is None or (isinstance(value, str) and bool(SHA256.match(value)))
    if kind == "date":
        if value is None:
            return True
        if not isinstance(value, str) or not _DATE.match(value):
            return False
        from datetime import date

        try:
            date.fromisoformat(value)
        except ValueError:
            return False
        return True
    raise AssertionError(kind)


_SURROGATE = re.compile("[\ud800-\udfff]")


def value_problem(value: Any) -> str | None:
    r"""Why a value parsed from foreign JSON cannot be stored as it is, or None.

    JSON's ``\ud800`` escapes decode to lone surrogates, which UTF-8 cannot hold: SQLite, the
    index and the terminal would each fail on one. Python also reads ``NaN`` and ``Infinity``
    (and ``1e999`` as infinity), which no JSON writer, the web API included, will write back.

    >>> value_problem({"awards": [{"amount": float("nan")}]})
    "field 'awards[0].amount' is not a finite number"
    >>> value_problem({"title": "Case \\ud800"}) is None, value_problem({"title": "Case \ud800"})
    (True, "field 'title' is not valid Unicode (a lone surrogate)")
    """
    stack: list[tuple[Any, tuple]] = [(value, ())]
    while stack:
        item, where = stack.pop()
        if isinstance(item, str):
            if _SURROGATE.search(item):
                return f"field {_field(where)!r} is not valid Unicode (a lone surrogate)"
        elif isinstance(item, float):
            if not math.isfinite(item):
                return f"field {_field(where)!r} is not a finite number"
        elif isinstance(item, dict):
            for key, child in item.items():
                if _SURROGATE.search(key):
                    return f"field {_field(where)!r} has a key that is not valid Unicode"
                stack.append((child, (where, key)))
        elif isinstance(item, list):
            stack.extend((child, (where, n)) for n, child in enumerate(item))
    return None


def _field(where: tuple) -> str:
    """``((((), 'awards'), 0), 'amount')`` -> ``awards[0].amount`` (at most 100 characters)."""
    parts: list[str] = []
    while where:
        where, key = where
        parts.append(f"[{key}]" if isinstance(key, int) else f".{key}")
    return "".join(reversed(parts)).lstrip(".")[:100]


def record_problem(line: Any) -> str | None:
    """Why a parsed ``records.jsonl`` line is not a record we can store, or None.

    >>> record_problem({"id": "../x"})
    'bad id'
    >>> record_problem({"id": "x", "text": "", "penalties": [{"type": "fine", "amount": "lots"}]})
    "field 'penalties[0].amount' has the wrong type"
    """
    if not isinstance(line, dict):
        return "not a JSON object"
    if not isinstance(line.get("id"), str) or not DOC_ID.match(line["id"]):
        return "bad id"
    problem = value_problem(line)
    if problem:
        return problem
    for key, kind in _SCALARS.items():
        if key in line and not _ok(line[key], kind):
            return f"field {key!r} has the wrong type"
    if not isinstance(line.get("text"), str):
        return "no text"
    if isinstance(line.get("language"), str) and len(line["language"]) > 16:
        return "field 'language' too long"
    for key in _LISTS:
        if key in line and not _ok(line[key], _STRS):
            return f"field {key!r} is not a list of strings"
    for key, fields in _OBJECTS.items():
        items = line.get(key, [])
        if not isinstance(items, list) or not all(isinstance(i, dict) for i in items):
            return f"field {key!r} is not a list of objects"
        for n, item in enumerate(items):
            for name, kind in fields.items():
                if name in item and not _ok(item[name], kind):
                    return f"field '{key}[{n}].{name}' has the wrong type"
                if name not in item and kind in (_STR, _INT, _NUM):
                    return f"field '{key}[{n}]' has no {name!r}"
    src = line.get("source")
    if not isinstance(src, dict):
        return "no source"
    if not isinstance(src.get("format"), str) or not isinstance(src.get("path"), str):
        return "source without format or name"
    if not _ok(src.get("pages", 0), _INT) or not _ok(src.get("record_key"), _OPT):
        return "source pages or record_key of the wrong type"
    if not isinstance(src.get("meta", {}), dict) or not isinstance(src.get("timings", {}), dict):
        return "source meta or timings not an object"
    offsets = src.get("page_offsets", [])
    if not isinstance(offsets, list) or not all(
            isinstance(p, dict) and all(_ok(p.get(k), _INT) for k in ("number", "start", "end"))
            for p in offsets):
        return "source page_offsets of the wrong shape"
    return None
