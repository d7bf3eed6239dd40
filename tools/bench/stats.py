"""Statistics at scale: ``compute()`` and its tables over a synthetic 10k index, timed.

    python -m tools.bench.stats measure --index DIR [--repeat 5] [--every-document]
    python -m tools.bench.stats first --index DIR
    python -m tools.bench.stats fill --index DIR
    python -m tools.bench.stats run --index DIR [--index DIR2 ...] --out BENCHMARKS.md

The issue's target: statistics over 10,000 judgments in at most 1 s p95 on 2 cores, from what
the index and the catalogue already hold. So each timed call is the whole of what ``precedents
stats`` does after opening: ``Engine.selected_ids`` (the search), the catalogue's ``facts`` of
those ids, the grouping, and the tables (``pipeline.stats.tables.tables``). Each step prints
one JSON object; ``run`` (and ``tools.bench.scale all``) runs them in fresh processes, so the
peak memory and the cold call are each process's own.

A synthetic corpus (``tools.bench.scale synth``) copies each document's record from one of a few
hundred real donors, so its copies of one donor are, to ``compute``, one ruling told many times
(same application numbers, same date) and are counted once, as the product counts copies.
``--every-document`` counts each synthetic document as its own ruling instead: the upper bound
of the grouping and table work over 10,000 rulings.

Never run as a unit test: numbers are reported, not asserted.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from tools.bench.measure import percentile, vm_hwm_mb
from tools.bench.report import machine, put_section
from tools.paths import ROOT

SECTION = "stats"


@dataclass(frozen=True)
class StatsQuery:
    """One statistics request, as ``precedents stats`` takes it."""

    name: str
    query: str
    filters: tuple[str, ...] = ()
    by: str = "year"
    awards: bool = False
    currency: str | None = None

    def command(self) -> str:
        """The same request on the command line (for the report)."""
        parts = ["precedents stats", repr(self.query) if self.query else "''"]
        parts += [f"--filter {f}" for f in self.filters]
        parts.append(f"--by {self.by}")
        if self.awards:
            parts.append("--awards")
        if self.currency:
            parts.append(f"--currency {self.currency}")
        return " ".join(parts)


#: The fixed statistics requests: everything, one article against one state (plain, then with
#: awards converted: the rate table is the one extra read), a word, and every state's awards.
QUERIES = (
    StatsQuery("everything", ""),
    StatsQuery("article 3, Russia, by year", "article:3", ("state:russia",)),
    StatsQuery("article 3, Russia, awards in EUR", "article:3", ("state:russia",),
               awards=True, currency="EUR"),
    # The same without the state: the synthetic corpus may hold no Russian donor ruling on
    # Article 3, and an empty selection times only the search.
    StatsQuery("article 3, awards in EUR", "article:3", awards=True, currency="EUR"),
    StatsQuery("torture, by article", "torture", by="article"),
    StatsQuery("everything, by state, awards", "", by="state", awards=True),
)


@dataclass
class Row:
    name: str
    command: str
    selected: int = 0
    counted: int = 0
    first_s: float = 0.0
    #: One untimed-by-percentile pass split into its parts (seconds).
    parts: dict[str, float] = field(default_factory=dict)
    p50_ms: float | None = None
    p95_ms: float | None = None
    max_ms: float | None = None
    #: CPU time of the same calls (this process's): on a shared machine, what the call costs
    #: when it has a core to itself, where wall time also counts the waits for one.
    cpu_p50_ms: float | None = None
    cpu_p95_ms: float | None = None
    error: str | None = None


def _open(index_dir: Path):
    from pipeline.catalogue import Catalogue
    from pipeline.search import open_index

    cat = Catalogue.open(index_dir, create=False, readonly=True)
    return cat, open_index(index_dir, cat, readonly=True)


def _every_document() -> None:
    """Count each document as its own ruling (see the module docstring)."""
    from pipeline.stats import compute as module

    module._ruling_key = lambda f: None


def _once(engine, cat, q: StatsQuery):
    from pipeline.stats.compute import compute
    from pipeline.stats.tables import tables

    result = compute(engine, cat, q.query, list(q.filters), by=q.by, awards=q.awards,
                     currency=q.currency)
    tables(result)
    return result


def _parts(engine, cat, q: StatsQuery) -> dict[str, float]:
    """Where one whole call's time goes: the search, the facts, and the rest (grouping,
    tables), each part timed inside the call by wrapping it."""
    from pipeline.stats import compute as module

    spent = {"selected_ids_s": 0.0, "facts_s": 0.0}

    def timed(name, fn):
        def wrapper(*args, **kwargs):
            t0 = time.perf_counter()
            try:
                return fn(*args, **kwargs)
            finally:
                spent[name] += time.perf_counter() - t0
        return wrapper

    facts, selected = module.facts_for, engine.selected_ids
    module.facts_for = timed("facts_s", facts)
    engine.selected_ids = timed("selected_ids_s", selected)
    try:
        t0 = time.perf_counter()
        _once(engine, cat, q)
        whole = time.perf_counter() - t0
    finally:
        module.facts_for = facts
        del engine.selected_ids
    spent["grouping_and_tables_s"] = whole - spent["selected_ids_s"] - spent["facts_s"]
    return spent


def measure(index_dir: Path, repeat: int = 5, every_document: bool = False) -> dict[str, Any]:
    """Warm latency of each statistics request: one warm-up call, one call split into parts,
    then ``repeat`` timed calls of the whole."""
    if every_document:
        _every_document()
    load_before = os.getloadavg()[0]
    t0 = time.perf_counter()
    cat, engine = _open(index_dir)
    open_s = time.perf_counter() - t0
    rows: list[Row] = []
    try:
        for q in QUERIES:
            row = Row(q.name, q.command())
            rows.append(row)
            try:
                t0 = time.perf_counter()
                result = _once(engine, cat, q)
                row.first_s = time.perf_counter() - t0
                row.selected, row.counted = result.selected, result.selected - result.copies.count
                row.parts = _parts(engine, cat, q)
                samples, cpu = [], []
                for _ in range(repeat):
                    t0, c0 = time.perf_counter(), time.process_time()
                    _once(engine, cat, q)
                    samples.append(time.perf_counter() - t0)
                    cpu.append(time.process_time() - c0)
            except Exception as exc:  # noqa: BLE001 - reported as failed, the others go on
                row.error = f"{type(exc).__name__}: {' '.join(str(exc).split())[:90]}"
                continue
            row.p50_ms = percentile(samples, 50) * 1000
            row.p95_ms = percentile(samples, 95) * 1000
            row.max_ms = max(samples) * 1000
            row.cpu_p50_ms = percentile(cpu, 50) * 1000
            row.cpu_p95_ms = percentile(cpu, 95) * 1000
        documents = engine.doc_count()
        engine_name = type(engine).__module__.split(".")[-2]
    finally:
        cat.close()
    return {"engine": engine_name, "documents": documents, "open_s": open_s, "repeat": repeat,
            "every_document": every_document, "rows": [asdict(r) for r in rows],
            "p95_ms": max((r.p95_ms for r in rows if r.p95_ms is not None), default=None),
            "peak_rss_mb": vm_hwm_mb(), "load_1min": [load_before, os.getloadavg()[0]]}


def first(index_dir: Path, which: int = len(QUERIES) - 1) -> dict[str, Any]:
    """A cold first call in this (fresh) process: imports, opening, then one request."""
    t0 = time.perf_counter()
    import pipeline.stats.compute  # noqa: F401 - what the first call has to import
    import pipeline.stats.tables  # noqa: F401
    import pipeline.search  # noqa: F401
    t1 = time.perf_counter()
    cat, engine = _open(index_dir)
    t2 = time.perf_counter()
    try:
        _once(engine, cat, QUERIES[which])
    finally:
        cat.close()
    t3 = time.perf_counter()
    return {"query": QUERIES[which].command(), "import_s": t1 - t0, "open_s": t2 - t1,
            "first_call_s": t3 - t2, "total_s": t3 - t0, "peak_rss_mb": vm_hwm_mb()}


def cold(index_dir: Path) -> dict[str, Any]:
    """``first`` in a new process, with that process's whole wall time (interpreter start)."""
    t0 = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "tools.bench.stats", "first", "--index",
                           str(index_dir)], check=True, stdout=subprocess.PIPE, text=True)
    out = json.loads(done.stdout)
    out["process_s"] = time.perf_counter() - t0
    return out


def fill(index_dir: Path) -> dict[str, Any]:
    """Whether the catalogue's facts are all there, and what filling them once costs: the
    upgrade of a catalogue made before the table (timed on a copy whose facts are emptied)."""
    from pipeline.catalogue import CATALOGUE_FILE, Catalogue

    path = index_dir / CATALOGUE_FILE
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        documents = conn.execute("SELECT count(*) FROM documents").fetchone()[0]
        facts = conn.execute("SELECT count(*) FROM facts").fetchone()[0]
    finally:
        conn.close()
    with tempfile.TemporaryDirectory(prefix="precedents-facts-") as tmp:
        copy = Path(tmp)
        src = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        dst = sqlite3.connect(copy / CATALOGUE_FILE)
        src.backup(dst)
        src.close()
        dst.execute("DROP TABLE facts")
        dst.commit()
        dst.close()
        t0 = time.perf_counter()
        cat = Catalogue.open(copy, create=False)
        seconds = time.perf_counter() - t0
        filled = cat.conn.execute("SELECT count(*) FROM facts").fetchone()[0]
        cat.close()
        shutil.rmtree(copy, ignore_errors=True)
    synth = index_dir / "synth.json"
    corpus = json.loads(synth.read_text()) if synth.is_file() else {}
    return {"documents": documents, "facts_rows": facts, "all_filled": facts == documents,
            "corpus": {k: corpus.get(k) for k in ("documents", "donors", "mean_chars", "seed")},
            "fill_documents": filled, "fill_s": seconds, "peak_rss_mb": vm_hwm_mb()}


# -- running every step, and the report --------------------------------------------------------

def _step(*args: str) -> dict[str, Any]:
    print("bench: tools.bench.stats", " ".join(args), file=sys.stderr, flush=True)
    done = subprocess.run([sys.executable, "-m", "tools.bench.stats", *args], check=True,
                          stdout=subprocess.PIPE, text=True)
    return json.loads(done.stdout)


def run(index_dirs: list[Path], repeat: int = 5) -> dict[str, Any]:
    """Every step over each index (one per engine), each in a fresh process; the facts once."""
    results: dict[str, Any] = {"fill": _step("fill", "--index", str(index_dirs[0])), "engines": []}
    for where in index_dirs:
        results["engines"].append({
            "measure": _step("measure", "--index", str(where), "--repeat", str(repeat)),
            "every_document": _step("measure", "--index", str(where), "--repeat", str(repeat),
                                    "--every-document"),
            "cold": cold(where)})
    return results


def _ms(x: float | None) -> str:
    return "–" if x is None else f"{x:,.0f}"


def stats_section(r: dict[str, Any], command: str, machine_line: str) -> list[str]:
    """The BENCHMARKS.md section for ``run``'s results (or ``scale all``'s ``stats``)."""
    from datetime import datetime, timezone

    fl = r["fill"]
    lines = [
        "## Statistics over a search (`precedents stats`)", "",
        f"- date: {datetime.now(timezone.utc).isoformat(timespec='seconds')}",
        f"- machine: {machine_line}",
        f"- command: `{command}`",
        "- target: statistics over 10,000 judgments in at most 1 s p95 on 2 cores, from what "
        "the index and catalogue hold (never the texts)", "",
        "Each call is `compute()` end to end (`Engine.selected_ids`, the catalogue's `facts`, "
        "grouping) and `tables()`, on a synthetic corpus from `tools.bench.scale synth`, opened "
        f"read-only; one warm-up call, then {r['engines'][0]['measure']['repeat']} timed. The "
        "synthetic documents copy the records of a few hundred real judgments, so copies of one "
        "donor are one ruling to `compute` and are counted once (*counted*); the *every document* "
        "columns count each synthetic document as its own ruling (the upper bound of the "
        "grouping work). The timed calls are those of a running server, which keeps an "
        "opened index: the facts already decoded are reused while their rows are unchanged, "
        "and Whoosh's document ids are read once per segment; the *first* column and the cold "
        "table below are a fresh process (one `precedents stats` command).", "",
        f"Facts table: {fl['facts_rows']:,} rows for {fl['documents']:,} documents "
        f"({'all filled' if fl['all_filled'] else 'NOT all filled'}). Filling it once for "
        f"{fl['fill_documents']:,} documents (a catalogue made before the table, upgraded by its "
        f"first writable open): {fl['fill_s']:.1f} s.", "",
        *([f"Corpus: {c['documents']:,} synthetic documents, mean {c['mean_chars']:,} characters, "
           f"from {c['donors']} donors (seed {c['seed']}); what `compute` reads does not grow "
           "with the text, only the word query's search does.", ""]
          if (c := fl.get("corpus") or {}).get("documents") else []),
        "| engine | request | selected | counted | first ms | p50 ms | p95 ms | max ms | "
        "CPU p50 / p95 ms | search / facts / rest ms | every document: p50 / p95 ms |",
        "|---|---|---:|---:|---:|---:|---:|---:|---|---|---|"]
    for e in r["engines"]:
        m, every = e["measure"], e["every_document"]
        for row, other in zip(m["rows"], every["rows"]):
            request = f"{row['name']} (`{row['command']}`)"
            if row["error"]:
                lines.append(f"| {m['engine']} | {request} | failed: {row['error']} | | | | | | | | |")
                continue
            p = row["parts"]
            lines.append(
                f"| {m['engine']} | {request} | {row['selected']:,} | {row['counted']:,} | "
                f"{row['first_s'] * 1000:,.0f} | {_ms(row['p50_ms'])} | {_ms(row['p95_ms'])} | "
                f"{_ms(row['max_ms'])} | {_ms(row['cpu_p50_ms'])} / {_ms(row['cpu_p95_ms'])} | "
                f"{p['selected_ids_s'] * 1000:,.0f} / "
                f"{p['facts_s'] * 1000:,.0f} / {p['grouping_and_tables_s'] * 1000:,.0f} | "
                f"{_ms(other['p50_ms'])} / {_ms(other['p95_ms'])} |")
    lines += ["", "| engine | documents | open s | peak RSS MB (warm runs) | cold: process s | "
              "imports s | open s | first call s | cold peak RSS MB |",
              "|---|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for e in r["engines"]:
        m, c = e["measure"], e["cold"]
        lines.append(f"| {m['engine']} | {m['documents']:,} | {m['open_s']:.2f} | "
                     f"{_ms(max(m['peak_rss_mb'] or 0, e['every_document']['peak_rss_mb'] or 0))} | "
                     f"{c['process_s']:.2f} | {c['import_s']:.2f} | {c['open_s']:.2f} | "
                     f"{c['first_call_s']:.2f} | {_ms(c['peak_rss_mb'])} |")
    loads = [x for e in r["engines"] for k in ("measure", "every_document")
             for x in e[k].get("load_1min", [])]
    lines += ["", f"The cold call is `{r['engines'][0]['cold']['query']}` in a new Python process. "
              "*CPU* is the process's own CPU time per call: wall time above it is time spent "
              "waiting for a core" + (f" (1-minute load average during the runs: "
                                      f"{min(loads):.1f}–{max(loads):.1f} on "
                                      f"{os.cpu_count()} cores)." if loads else ".")]
    return lines


def write_section(out: Path, results: dict[str, Any], command: str) -> list[str]:
    # The report is committed: it names the temporary folder as a variable, not this machine's.
    command = command.replace(tempfile.gettempdir().rstrip("/") + "/", "$TMPDIR/")
    section = stats_section(results, command, machine())
    existing = out.read_text(encoding="utf-8") if out.is_file() else "# Benchmarks\n"
    out.write_text(put_section(existing, SECTION, section), encoding="utf-8")
    return section


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="step", required=True)
    p = sub.add_parser("measure")
    p.add_argument("--index", type=Path, required=True)
    p.add_argument("--repeat", type=int, default=5)
    p.add_argument("--every-document", action="store_true")
    for name in ("first", "fill"):
        sub.add_parser(name).add_argument("--index", type=Path, required=True)
    p = sub.add_parser("run", help="every step over each index, written into BENCHMARKS.md")
    p.add_argument("--index", type=Path, action="append", required=True)
    p.add_argument("--repeat", type=int, default=5)
    p.add_argument("--out", type=Path, default=ROOT / "BENCHMARKS.md")
    args = parser.parse_args()
    if args.step == "run":
        results = run(args.index, args.repeat)
        command = ("python -m tools.bench.stats " + " ".join(sys.argv[1:])).strip()
        print("\n".join(write_section(args.out, results, command)))
        return 0
    if args.step == "measure":
        out = measure(args.index, args.repeat, args.every_document)
    elif args.step == "first":
        out = first(args.index)
    else:
        out = fill(args.index)
    json.dump(out, sys.stdout, ensure_ascii=False, indent=1)
    print()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
