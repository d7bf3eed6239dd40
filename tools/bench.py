"""Measure ingest and search speed on the real corpora and write BENCHMARKS.md.

    python tools/bench.py --out BENCHMARKS.md [--jobs 1] [DIR ...]

Per-file extraction time comes from the catalogue's timings (measured inside the worker, so it
is the parser's time, not the pool's); ``--jobs 1`` by default keeps one file per core at a time
and the per-page numbers honest. Never run as a unit test: numbers are reported, not asserted.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import sys
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pipeline.catalogue import Catalogue  # noqa: E402
from pipeline.ingest import ingest  # noqa: E402
from pipeline.search import open_index  # noqa: E402

SHARED = ROOT.parent / "shared" / "corpora"
DEFAULT_DIRS = ["echr", "ru", "other", "scanned"]
QUERIES = ["пытка", "torture", "17280/08", '"police custody"', "traitements inhumains",
           "компенсация морального вреда", "Article 3 violation", "1-123/2020"]


def machine() -> str:
    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = ""
    try:
        kb = int(next(ln for ln in Path("/proc/meminfo").read_text().splitlines()
                      if ln.startswith("MemTotal")).split()[1])
        mem = f", {kb / 1024 / 1024:.0f} GiB RAM"
    except (OSError, StopIteration):
        pass
    return f"{cpu}, {os.cpu_count()} cores{mem}, {platform.system()} {platform.release()}, Python {platform.python_version()}"


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


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("dirs", nargs="*", help="folders to ingest (default: shared corpora)")
    parser.add_argument("--out", type=Path, default=ROOT / "BENCHMARKS.md")
    parser.add_argument("--jobs", type=int, default=1)
    args = parser.parse_args()
    dirs = [Path(d) for d in args.dirs] or [SHARED / d for d in DEFAULT_DIRS]
    missing = [d for d in dirs if not d.exists()]
    if missing:
        print(f"bench: not found: {', '.join(map(str, missing))}", file=sys.stderr)
        return 2
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
        idx = open_index(index, cat)
        latencies = {}
        for q in QUERIES:
            idx.search(q, cat)  # warm
            runs = []
            for _ in range(5):
                t = time.perf_counter()
                idx.search(q, cat)
                runs.append(time.perf_counter() - t)
            latencies[q] = statistics.median(runs)
        counts = cat.counts()
        cat.close()

    cmd = "python tools/bench.py " + " ".join(sys.argv[1:])
    lines = [
        "# Benchmarks", "",
        f"- date: {datetime.now(timezone.utc).isoformat(timespec='seconds')}",
        f"- machine: {machine()}",
        f"- command: `{cmd.strip()}` (`make bench`)",
        f"- corpus: {', '.join(str(d) for d in dirs)}",
        f"- parser processes: {args.jobs}", "",
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
    lines += ["", "Statuses: " + ", ".join(f"{k} {v}" for k, v in counts["by_status"].items()),
              "", "## Search (Whoosh, warm, median of 5)", "", "| query | ms |", "|---|---:|"]
    lines += [f"| `{q}` | {s * 1000:.1f} |" for q, s in latencies.items()]
    args.out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())
