"""What runs in a parser worker: one file, or one span of a JSON file's records, in; its
documents with their language and precedent record, or why there are none, out.

A task is a plain tuple so that it pickles small and the same way to a local sandbox worker
and to a Dask worker: ``(path, options)``, ``(path, options, None)`` or
``(path, options, (first number, starts, ends))`` (see ``extract_task``). Nothing here writes
to the catalogue or the index: the coordinator does that, in its own process.
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pipeline.errors import ExtractionError, NeedsOCR, PipelineError, UnsupportedFormat
from pipeline.extract import ExtractOptions, detect_format, extract_file
from pipeline.extract.jsonrecords import EMPTY, extract_records, record_spans
from pipeline.faults import fault
from pipeline.language import detect_language
from pipeline.limits import time_budget
from pipeline.models import ExtractedText
from pipeline.records import build_record


@dataclass
class Extracted:
    """What a worker sends back for one file."""

    format: str | None
    documents: list[dict[str, Any]] = field(default_factory=list)
    status: str = "ok"
    error: str | None = None
    timings: dict[str, float] = field(default_factory=dict)
    #: Of a batch of JSON records: (record number, why it was not read).
    record_errors: list[tuple[int, str]] = field(default_factory=list)


@dataclass
class RecordSpans:
    """Where the records of a JSON array or JSONL file lie (byte offsets): each batch of them
    is then parsed as its own unit, with its own limits."""

    starts: Any
    ends: Any


def extract_task(task: tuple) -> Extracted | RecordSpans:
    """Runs inside a sandbox worker: extract, identify the language, read the header.

    ``(path, options)`` parses the whole file. ``(path, options, None)`` asks a JSON file for
    its records' offsets (``RecordSpans``), or parses it whole when it is one unit;
    ``(path, options, (first number, starts, ends))`` parses those records only.
    """
    path_str, options = task[0], task[1]
    path = Path(path_str)
    if len(task) > 2:
        if task[2] is not None:
            return _extract_records(path, task[2], options)
        try:
            spans = record_spans(path)
        except (ExtractionError, OSError):
            spans = None  # the whole-file parse below says what is wrong, as for any file
        if spans is not None:
            return RecordSpans(*spans)
    started = time.perf_counter()
    try:
        fmt = detect_format(path)
    except PipelineError:
        fmt = None
    try:
        docs = extract_file(path, options)
    except NeedsOCR as exc:
        return Extracted(fmt, status="needs-ocr", error=str(exc))
    except UnsupportedFormat as exc:
        return Extracted(fmt, status="unsupported", error=str(exc))
    except ExtractionError as exc:
        return Extracted(fmt, status="failed", error=str(exc))
    extracted = time.perf_counter()
    payload = [_analyse(doc, options) for doc in docs]
    done = time.perf_counter()
    return Extracted(fmt, payload, timings={"extract": round(extracted - started, 4),
                                            "analyse": round(done - extracted, 4)})


def _analyse(doc: ExtractedText, options: ExtractOptions | None = None) -> dict[str, Any]:
    doc.language = detect_language(doc.text)
    data = doc.to_dict()
    data["record"] = build_record(doc)
    if options is not None and options.meaning:
        from pipeline.search.meaning.embed import embed_document

        data["meaning"] = embed_document(doc.text, data["record"]["paragraphs"])
    return data


def _extract_records(path: Path, spans: tuple[int, Any, Any],
                     options: ExtractOptions | None = None) -> Extracted:
    started = time.perf_counter()
    found, errors = extract_records(path, spans)
    extracted = time.perf_counter()
    payload = []
    for number, doc in found:
        fault(f"json.record.{number}")
        if isinstance(doc, ExtractedText):
            data = _analyse(doc, options)
        else:
            data = {"empty": doc == EMPTY}
        data["record_number"] = number
        payload.append(data)
    done = time.perf_counter()
    return Extracted("json", payload, record_errors=errors,
                     timings={"extract": round(extracted - started, 4),
                              "analyse": round(done - extracted, 4)})


def task_budget(base: float, task: tuple) -> float:
    """Seconds a sandbox task may take: by the size of its file, or of its records."""
    if len(task) > 2 and task[2] is not None:
        _, starts, ends = task[2]
        return time_budget(sum(ends) - sum(starts), base)
    try:
        return time_budget(os.stat(task[0]).st_size, base)
    except OSError:
        return base
