"""Measure ingest and search speed on the real corpora and write BENCHMARKS.md.

    python -m tools.bench.corpus --out BENCHMARKS.md [--jobs 1] [DIR ...]
    python -m tools.bench.corpus --search-only --index /tmp/bench-index --out BENCHMARKS.md [--repeat 20]

The first form ingests the folders (default: ../shared/corpora/{echr,ru,other,scanned}) into a
temporary index, twice (the second run shows the cost of an unchanged rerun), and rewrites the
whole file. Per-file extraction time comes from the catalogue's timings (measured inside the
worker, so it is the parser's time, not the pool's); ``--jobs 1`` by default keeps one file per
core at a time and the per-page numbers honest.

The second form reuses an index built earlier (``precedents ingest ... --index DIR``) and only
replaces the Search section of ``--out``, between the ``bench:search`` markers; the other
sections stay as they are. It takes a minute or two instead of the ingest's six.

Never run as a unit test: numbers are reported, not asserted.
"""

from __future__ import annotations

import argparse
import inspect
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Callable

from pipeline.catalogue import Catalogue
from pipeline.errors import QueryError
from pipeline.ingest import ingest
from pipeline.search import open_index
from tools.bench.measure import disk_size, percentile
from tools.bench.report import machine, mib, put_section
from tools.paths import ROOT, SHARED_CORPORA

DEFAULT_DIRS = ["echr", "ru", "other", "scanned"]

#: What a lawyer types: words and phrases in four languages, proximity, application and case
#: numbers as printed, field queries, and a Russian charge as written in a ruling. Fixed, so runs
#: compare; a query the engine does not support yet is reported as such, not dropped.
QUERIES = [
    "torture",
    "пытки",
    "пытка полиция",
    '"police custody"',
    '"police beating"~5',
    "effective investigation",
    "Article 3 violation",
    "just satisfaction non-pecuniary damage",
    "freedom of expression",
    "traitements inhumains",
    '"traitements inhumains ou dégradants"',
    "détention provisoire",
    "компенсация морального вреда",
    '"превышение должностных полномочий"',
    "77617/01",
    "17280/08",
    "1-123/2020",
    "article:3",
    "state:Russia",
    '"ill-treatment" state:Russia article:3',
    "date:2005..2010 torture",
    "ч. 3 ст. 286 УК РФ",
    "катування",
    "kind:ru_sentence пытки",
    "(torture OR \"inhuman treatment\") NOT Turkey",
    "title:Kiyutin",
]

BEGIN = ("<!-- bench:search:begin — written by tools.bench.corpus (`--search-only` rewrites only this "
         "section); edits between the markers are overwritten -->")
END = "<!-- bench:search:end -->"


def per_format(cat: Catalogue) -> list[dict]:
    rows: dict[str, dict] = {}
    docs = cat.conn.execute(
        "SELECT s.path, s.format, s.status, s.timings, d.pages, d.meta, d.chars FROM sources s "
        "LEFT JOIN documents d ON d.source_path = s.path")
    seen: set[str] = set()
    for path, fmt, status, timings, pages, meta, chars in docs:
        if path in seen:  # a JSONL file: count its time once
            if fmt in rows:
                rows[fmt]["chars"] += chars or 0
            continue
        seen.add(path)
        meta = json.loads(meta or "{}")
        key = f"{fmt} (OCR)" if fmt == "pdf" and meta.get("ocr_pages") else (fmt or "unknown")
        row = rows.setdefault(key, {"format": key, "files": 0, "ok": 0, "pages": 0, "chars": 0,
                                    "seconds": 0.0, "analyse": 0.0})
        row["files"] += 1
        row["ok"] += status == "ok"
        row["pages"] += pages or 0
        row["chars"] += chars or 0
        timings = json.loads(timings or "{}")
        row["seconds"] += timings.get("extract", 0.0)
        row["analyse"] += timings.get("analyse", 0.0)
    return sorted(rows.values(), key=lambda r: r["format"])


# -- search latency --------------------------------------------------------------------------

@dataclass
class Timing:
    """Latencies of one query (or similar() call), in seconds; ``error`` when it cannot run."""

    label: str
    total: int | None = None
    samples: list[float] = field(default_factory=list)
    error: str | None = None

    def cells(self) -> str:
        if self.error:
            return f"{self.error} | | "
        return " | ".join(f"{percentile(self.samples, p) * 1000:.1f}" for p in (50, 95, 100))


def _describe(exc: Exception) -> str:
    name = "QueryError" if isinstance(exc, QueryError) else type(exc).__name__
    message = re.sub(r"\s+", " ", str(exc)).replace("|", "\\|")
    if len(message) > 70:
        message = message[:67] + "..."
    return f"{name}: {message}"


def _supports(func: Callable, *names: str) -> bool:
    try:
        params = inspect.signature(func).parameters
    except (TypeError, ValueError):
        return False
    return all(n in params for n in names)


def _timed(call: Callable[[], Any]) -> tuple[float, Any]:
    started = time.perf_counter()
    result = call()
    return time.perf_counter() - started, result


def measure_search(index_dir: Path, repeat: int) -> dict[str, Any]:
    """Open ``index_dir`` in this (fresh) process and time every query in ``QUERIES``.

    Cold = opening the index and the first query of the process (which also loads analyzers and
    pymorphy3's dictionaries); the OS page cache is not dropped. Warm = ``repeat`` passes over the
    whole list after one untimed pass, so every query's p50/p95/max is over ``repeat`` samples.
    """
    open_s, cat = _timed(lambda: Catalogue.open(index_dir, create=False))
    notices: list[str] = []
    idx_s, idx = _timed(lambda: open_index(index_dir, cat, notice=notices.append))
    info: dict[str, Any] = {
        "documents": idx.doc_count(), "catalogue_documents": cat.count_documents(),
        "size_total": disk_size(index_dir),
        "size_engine": disk_size(idx.directory) if hasattr(idx, "directory") else None,
        "size_catalogue": sum(disk_size(p) for p in index_dir.glob("catalogue.sqlite*")),
        "open_s": open_s + idx_s, "repeat": repeat, "notices": notices,
        "facets_supported": _supports(idx.search, "facets"),
        "filters_supported": _supports(idx.search, "filters", "sort"),
    }
    cold_query = QUERIES[0]
    try:
        info["cold_s"], _ = _timed(lambda: idx.search(cold_query, cat))
    except Exception as exc:  # noqa: BLE001 - reported in the table, the run goes on
        info["cold_s"] = None
        info["cold_error"] = _describe(exc)
    info["cold_query"] = cold_query

    modes = {"plain": {}}
    if info["facets_supported"]:
        modes["facets"] = {"facets": True}
    tables: dict[str, list[Timing]] = {}
    first_ids: list[str] = []
    facet_filters: list[str] = []
    for mode, kwargs in modes.items():
        timings = [Timing(q) for q in QUERIES]
        for t in timings:  # untimed pass: totals, errors, and the ids for similar()
            try:
                res = idx.search(t.label, cat, **kwargs)
            except Exception as exc:  # noqa: BLE001 - QueryError and engine bugs alike
                t.error = _describe(exc)
                continue
            t.total = res.total
            if mode == "plain" and res.hits and len(first_ids) < 5:
                first_ids.append(res.hits[0].id)
            if mode == "facets" and not facet_filters:
                for name in ("state", "kind"):
                    counts = getattr(res, "facets", {}).get(name) or []
                    if counts:
                        facet_filters.append(counts[0].filter)
        for _ in range(repeat):
            for t in timings:
                if t.error is None:
                    elapsed, _ = _timed(lambda: idx.search(t.label, cat, **kwargs))
                    t.samples.append(elapsed)
        tables[mode] = timings

    variants: list[Timing] = []
    if info["filters_supported"]:
        cases: list[tuple[str, dict[str, Any]]] = [
            ("torture, sort=newest", {"sort": "newest"}),
            ("пытки, sort=oldest", {"sort": "oldest"}),
        ]
        for flt in facet_filters:
            cases.append((f"torture, filters=[{flt}], facets", {"filters": [flt], "facets": True}))
        for label, kwargs in cases:
            text = label.split(",", 1)[0]
            t = Timing(label)
            try:
                t.total = idx.search(text, cat, **kwargs).total
                for _ in range(repeat):
                    t.samples.append(_timed(lambda: idx.search(text, cat, **kwargs))[0])
            except Exception as exc:  # noqa: BLE001
                t.error = _describe(exc)
            variants.append(t)

    similar = getattr(idx, "similar", None)
    similar_timings: list[Timing] = []
    if callable(similar):
        for doc_id in first_ids[:3]:
            t = Timing(doc_id)
            try:
                cold, result = _timed(lambda: similar(doc_id, cat))
                hits = getattr(result, "hits", result)
                t.total = len(hits) if hasattr(hits, "__len__") else None
                if not similar_timings:
                    info["similar_cold_s"] = cold
                for _ in range(repeat):
                    t.samples.append(_timed(lambda: similar(doc_id, cat))[0])
            except Exception as exc:  # noqa: BLE001
                t.error = _describe(exc)
            similar_timings.append(t)
    cat.close()
    info.update(tables=tables, variants=variants, similar=similar_timings,
                similar_available=callable(similar))
    return info


def _overall(timings: list[Timing]) -> str:
    samples = [s for t in timings for s in t.samples]
    if not samples:
        return "– | – | –"
    return " | ".join(f"{percentile(samples, p) * 1000:.1f}" for p in (50, 95, 100))


def search_section(info: dict[str, Any], index_dir: str, command: str) -> list[str]:
    """The Search section of BENCHMARKS.md, markers included."""
    n = info["repeat"]
    plain = info["tables"]["plain"]
    facets = info["tables"].get("facets")
    cold = (f"{info['cold_s'] * 1000:.0f} ms" if info.get("cold_s") is not None
            else info.get("cold_error", "–"))
    engine = f" (search engine {mib(info['size_engine'])}" if info.get("size_engine") else " ("
    lines = [
        BEGIN, "", "## Search", "",
        f"- date: {datetime.now(timezone.utc).isoformat(timespec='seconds')}",
        f"- machine: {machine()}",
        f"- command: `{command}`",
        f"- index: `{index_dir}`, {info['documents']} documents in the search index "
        f"({info['catalogue_documents']} in the catalogue), {mib(info['size_total'])} on disk"
        f"{engine}, catalogue {mib(info['size_catalogue'])})",
        f"- cold: opening the index {info['open_s'] * 1000:.0f} ms, then the first query of the "
        f"process (`{info['cold_query']}`, loads the analyzers) {cold}; the OS page cache was "
        "not dropped" + ("; opening rebuilt the search index from the catalogue ("
                         + "; ".join(info["notices"]) + "), so it is no measure of opening"
                         if info["notices"] else ""),
        f"- warm: one untimed pass over the {len(QUERIES)} queries, then {n} timed passes; "
        f"p50/p95/max per query over its {n} runs (nearest rank), in ms, 10 hits per page with "
        "snippets",
        "- facets: " + ("`search(..., facets=True)` counts " + "state, article, outcome, court, "
                        "year, language, kind over all hits" if facets is not None
                        else "not supported by this version of `search()`; column left out"),
        "",
    ]
    head = "| query | hits | p50 | p95 | max |"
    rule = "|---|---:|---:|---:|---:|"
    if facets is not None:
        head += " facets p50 | facets p95 | facets max |"
        rule += "---:|---:|---:|"
    lines += [head, rule]
    for i, t in enumerate(plain):
        hits = "–" if t.total is None else str(t.total)
        row = f"| `{t.label.replace('|', chr(92) + '|')}` | {hits} | {t.cells()} |"
        if facets is not None:
            row += f" {facets[i].cells()} |"
        lines.append(row)
    overall = f"| **all queries** | | {_overall(plain)} |"
    if facets is not None:
        overall += f" {_overall(facets)} |"
    lines.append(overall)
    errors = [t for t in plain if t.error]
    lines += ["", f"{len(plain) - len(errors)} of {len(plain)} queries ran; "
              + (f"{len(errors)} were refused by the query parser or failed (shown with the "
                 "reason)." if errors else "none failed.")]
    if info["variants"]:
        lines += ["", f"Sorting and filtering (`sort=`, `filters=`; {n} runs each, ms):", "",
                  "| search | hits | p50 | p95 | max |", "|---|---:|---:|---:|---:|"]
        lines += [f"| {t.label} | {'–' if t.total is None else t.total} | {t.cells()} |"
                  for t in info["variants"]]
    lines.append("")
    if info["similar_available"]:
        cold = info.get("similar_cold_s")
        lines += [f"`similar(doc_id, catalogue)` for the top hit of the first queries ({n} runs "
                  "each, ms" + (f"; first call {cold * 1000:.0f} ms" if cold is not None else "")
                  + "):", "", "| document | results | p50 | p95 | max |",
                  "|---|---:|---:|---:|---:|"]
        lines += [f"| `{t.label}` | {'–' if t.total is None else t.total} | {t.cells()} |"
                  for t in info["similar"]]
    else:
        lines.append("`similar()` is not available in this version of the search engine.")
    lines += ["", END]
    return lines


def replace_section(existing: str, section: list[str]) -> str:
    """Put ``section`` in place of the marked Search section (or of an unmarked "## Search ..."
    written by an older version of this tool); append it when there is none. Other sections
    are kept."""
    block = "\n".join(section)
    start, end = existing.find(BEGIN.split(" —")[0]), existing.find(END)
    if start != -1 and end != -1 and end > start:
        return existing[:start] + block + existing[end + len(END):]
    lines = existing.splitlines()
    heading = next((i for i, ln in enumerate(lines) if ln.startswith("## Search")), None)
    if heading is None:
        return existing.rstrip("\n") + "\n\n" + block + "\n"
    stop = next((i for i in range(heading + 1, len(lines)) if lines[i].startswith("## ")),
                len(lines))
    return "\n".join(lines[:heading] + section + lines[stop:]).rstrip("\n") + "\n"


def search_only(args: argparse.Namespace) -> int:
    index_dir = args.index.resolve() if args.index else None
    if index_dir is None or not (index_dir / "catalogue.sqlite").is_file():
        print(f"bench: --search-only needs --index DIR holding an index built by "
              f"`precedents ingest` (no catalogue.sqlite in {args.index})", file=sys.stderr)
        return 2
    info = measure_search(index_dir, args.repeat)
    command, shown = args.record_as or (
        ("python -m tools.bench.corpus " + " ".join(sys.argv[1:])).strip(), str(args.index))
    section = search_section(info, shown, command)
    existing = args.out.read_text(encoding="utf-8") if args.out.is_file() else "# Benchmarks\n"
    args.out.write_text(replace_section(existing, section), encoding="utf-8")
    print("\n".join(section))
    return 0


def ingest_sections(dirs, cmd, jobs, first, first_s, again, rerun_s, rows, counts) -> list[str]:
    """The header and the Ingest section of BENCHMARKS.md."""
    lines = [
        "# Benchmarks", "",
        f"- date: {datetime.now(timezone.utc).isoformat(timespec='seconds')}",
        f"- machine: {machine()}",
        f"- command: `{cmd}` (`make bench`)",
        f"- corpus: {', '.join(os.path.relpath(d, ROOT) for d in dirs)}",
        f"- parser processes: {jobs}", "",
        "## Ingest", "",
        f"First ingest: {len(first.outcomes)} files in {first_s:.1f} s "
        f"({first.count('ok')} ok, {first.failed} failed, {first.count('needs-ocr')} need OCR, "
        f"{first.count('duplicate')} duplicates). Rerun with nothing changed: {rerun_s:.2f} s "
        f"({again.count('unchanged')} unchanged).", "",
        "Time per format inside the worker (OCR PDFs apart): extraction, then analysis (language,",
        "structure, legal entities, NER) with its throughput in characters per second:", "",
        "| format | files | ok | pages | chars | extract s | s/file | s/page | analyse s | chars/s |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in rows:
        per_page = f"{r['seconds'] / r['pages']:.3f}" if r["pages"] else "–"
        per_file = f"{r['seconds'] / r['files']:.3f}" if r["files"] else "–"
        rate = f"{r['chars'] / r['analyse']:,.0f}" if r["analyse"] else "–"
        lines.append(f"| {r['format']} | {r['files']} | {r['ok']} | {r['pages']} | {r['chars']:,} | "
                     f"{r['seconds']:.1f} | {per_file} | {per_page} | {r['analyse']:.1f} | {rate} |")
    lines += ["", "Statuses: " + ", ".join(f"{k} {v}" for k, v in counts["by_status"].items())]
    return lines


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("dirs", nargs="*", help="folders to ingest (default: shared corpora)")
    parser.add_argument("--out", type=Path, default=ROOT / "BENCHMARKS.md")
    parser.add_argument("--jobs", type=int, default=1)
    parser.add_argument("--search-only", action="store_true",
                        help="time searches on an existing --index; rewrite only the Search section")
    parser.add_argument("--index", type=Path, help="with --search-only: the index to search")
    parser.add_argument("--repeat", type=int, default=20,
                        help="timed passes over the query list (default 20)")
    # The full run times searches in a fresh process (so "cold" is cold) and tells it what to
    # record instead of its own temporary command line.
    parser.add_argument("--record-as", nargs=2, metavar=("COMMAND", "INDEX"),
                        help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.repeat < 1:
        parser.error("--repeat must be at least 1")
    if args.search_only:
        if args.dirs:
            parser.error("--search-only takes no folders (it does not ingest)")
        return search_only(args)
    dirs = [Path(d) for d in args.dirs] or [SHARED_CORPORA / d for d in DEFAULT_DIRS]
    missing = [d for d in dirs if not d.exists()]
    if missing:
        print(f"bench: not found: {', '.join(map(str, missing))}", file=sys.stderr)
        return 2
    cmd = ("python -m tools.bench.corpus " + " ".join(sys.argv[1:])).strip()
    with tempfile.TemporaryDirectory() as tmp:
        index = Path(tmp) / "index"
        started = time.perf_counter()
        first = ingest(dirs, index, jobs=args.jobs)
        first_s = time.perf_counter() - started
        started = time.perf_counter()
        again = ingest(dirs, index, jobs=args.jobs)
        rerun_s = time.perf_counter() - started
        cat = Catalogue.open(index)
        rows = per_format(cat)
        counts = cat.counts()
        cat.close()
        lines = ingest_sections(dirs, cmd, args.jobs, first, first_s, again, rerun_s, rows, counts)
        # Only this tool's section is replaced: the scale and engine sections written by the
        # other benchmark tools stay.
        existing = args.out.read_text(encoding="utf-8") if args.out.is_file() else "# Benchmarks\n"
        body = [ln for ln in lines if ln != "# Benchmarks"]
        args.out.write_text(put_section(existing, "ingest", body), encoding="utf-8")
        print("\n".join(lines))
        return subprocess.call([sys.executable, "-m", "tools.bench.corpus", "--search-only",
                                "--index", str(index), "--out", str(args.out),
                                "--repeat", str(args.repeat),
                                "--record-as", cmd, "a temporary index of the corpus above"])


if __name__ == "__main__":
    sys.exit(main())
