"""Search engines at scale: synthesise 10k/100k judgments, index them, time the fixed queries.

    python -m tools.bench.scale synth --source IDX [--source IDX2] --docs 10000 --out DIR
    python -m tools.bench.scale build --index DIR --engine whoosh|tantivy
    python -m tools.bench.scale queries --index DIR [--repeat 5]
    python -m tools.bench.scale cold --index DIR
    python -m tools.bench.scale all --out BENCHMARKS.md

Each step prints one JSON object on stdout; ``all`` runs them in fresh processes (so peak memory
is per step) and writes the tables into BENCHMARKS.md.

Why synthesise: the shared corpora hold 575 bulk ECHR judgments, and the targets are stated at
10,000 and 100,000. Copies would be deduplicated by content hash and would make every posting
list a multiple of the same few, so each synthetic document is a unique text: the head of a real
judgment (title, application number, date: what identifier and field queries hit) followed by
paragraphs drawn at random from all judgments of the same language, up to a length drawn around
the real judgments' own. Its record is the head donor's (states, articles, holdings, date, kind:
what facets and filters count), without the paragraph, section and citation offsets, which
would point into the donor's text, not this one. Reproducible: document ``i`` depends only on
``--seed`` and ``i``.

Never run as a unit test: numbers are reported, not asserted.
"""

from __future__ import annotations

import argparse
import copy
import hashlib
import json
import math
import os
import random
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

from pipeline.catalogue import Catalogue, Document, Source
from tools.bench.measure import disk_size, load_queries, percentile
from tools.bench.report import machine, put_section
from tools.paths import ROOT, SHARED_CORPORA

#: The head kept whole from a donor: title, application number, date, formation.
HEAD_CHARS = 1500
MIN_PARAGRAPH = 60
WORD = re.compile(r"\w+")


def peak_rss_mb() -> float:
    """This process's peak resident memory (Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def cpu_seconds() -> float:
    """CPU time of this process and of the children it has waited for (a Whoosh rebuild
    analyses in writer processes)."""
    return sum(u.ru_utime + u.ru_stime for u in (resource.getrusage(resource.RUSAGE_SELF),
                                                 resource.getrusage(resource.RUSAGE_CHILDREN)))


def children_peak_rss_mb() -> float:
    """The largest peak resident memory among the waited-for children (0 without any)."""
    return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024


# -- synthesis -------------------------------------------------------------------------------

def _head_end(text: str) -> int:
    """End of the first line break after HEAD_CHARS: the head keeps whole lines."""
    cut = text.find("\n", HEAD_CHARS)
    return len(text) if cut < 0 else cut


def _donors(sources: list[Path]) -> tuple[list[Document], dict[str, list[str]]]:
    donors: list[Document] = []
    pool: dict[str, list[str]] = defaultdict(list)
    for source in sources:
        cat = Catalogue.open(source, create=False)
        try:
            for doc in cat.iter_documents():
                if len(doc.text) < 2 * HEAD_CHARS or not doc.record:
                    continue
                donors.append(doc)
                body = doc.text[_head_end(doc.text):]
                pool[doc.language or "xx"] += [p.strip() for p in body.split("\n")
                                               if len(p.strip()) >= MIN_PARAGRAPH]
        finally:
            cat.close()
    if not donors:
        raise SystemExit(f"no documents to draw from in {', '.join(map(str, sources))}")
    return donors, pool


def _record(donor: Document, head_end: int) -> dict[str, Any]:
    record = copy.deepcopy(donor.record or {})
    for key in ("paragraphs", "sections", "citations"):
        record[key] = []
    record["entities"] = [e for e in record.get("entities") or [] if e.get("end", 0) <= head_end]
    return record


def synth(sources: list[Path], out: Path, docs: int, seed: int,
          median_chars: int | None = None) -> dict[str, Any]:
    """Write ``docs`` unique synthetic documents into a new catalogue in ``out``.

    Lengths are drawn log-normally around the donors' median length, or ``median_chars``.
    """
    started = time.perf_counter()
    donors, pool = _donors(sources)
    lengths = sorted(len(d.text) for d in donors)
    median = median_chars or lengths[len(lengths) // 2]
    out.mkdir(parents=True, exist_ok=True)
    if (out / "catalogue.sqlite").exists():
        raise SystemExit(f"{out}: already holds a catalogue; give an empty folder")
    cat = Catalogue.open(out)
    # Built once and thrown away with the folder: durability per row would only slow it down.
    cat.conn.execute("PRAGMA synchronous=OFF")
    seen: set[str] = set()
    chars = words = 0
    languages: dict[str, int] = defaultdict(int)
    try:
        for i in range(docs):
            rng = random.Random(f"{seed}:{i}")
            while True:
                donor = donors[rng.randrange(len(donors))]
                end = _head_end(donor.text)
                paragraphs = pool[donor.language or "xx"]
                target = min(400_000, max(3 * HEAD_CHARS,
                                          int(rng.lognormvariate(math.log(median), 0.5))))
                parts, size = [donor.text[:end]], end
                while size < target:
                    part = paragraphs[rng.randrange(len(paragraphs))]
                    parts.append(part)
                    size += len(part) + 2
                text = "\n\n".join(parts)
                digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
                if digest not in seen:
                    break
            seen.add(digest)
            path = f"synth://{seed}/{i:06d}"
            record = _record(donor, end)
            doc = Document(id=f"synth-{i:06d}", source_path=path, format=donor.format, text=text,
                           language=donor.language, title=record.get("title") or donor.title,
                           meta={}, record=record)
            cat.record_source(Source(path=path, sha256=digest, size=len(text), mtime_ns=0,
                                     format=donor.format, status="ok",
                                     pipeline_version="synthetic"), [doc])
            chars += len(text)
            words += len(WORD.findall(text))
            languages[donor.language or "xx"] += 1
    finally:
        cat.close()
    info = {"documents": docs, "donors": len(donors), "chars": chars, "words": words,
            "mean_chars": round(chars / max(docs, 1)), "donor_median_chars": median,
            "languages": dict(languages), "seed": seed, "seconds": time.perf_counter() - started,
            "catalogue_bytes": disk_size(out / "catalogue.sqlite")}
    (out / "synth.json").write_text(json.dumps(info, indent=1))
    return info


# -- indexing --------------------------------------------------------------------------------

def build(index_dir: Path, engine: str) -> dict[str, Any]:
    """Build the search index of ``index_dir`` from its catalogue with one engine alone."""
    from pipeline.search import rebuild_index

    cat = Catalogue.open(index_dir, create=False)
    info = json.loads((index_dir / "synth.json").read_text()) if (index_dir / "synth.json").exists() else {}
    cpu0, wall0 = cpu_seconds(), time.perf_counter()
    kwargs = {"engine": engine} if engine != "whoosh" else {}
    idx = rebuild_index(index_dir, cat, **kwargs)
    wall, cpu = time.perf_counter() - wall0, cpu_seconds() - cpu0
    engine_dir = Path(getattr(idx, "directory", index_dir / engine))
    size = disk_size(engine_dir)
    docs = cat.count_documents()
    chars = info.get("chars") or sum(r[0] for r in cat.conn.execute("SELECT chars FROM documents"))
    text_bytes = sum(r[0] for r in cat.conn.execute("SELECT length(CAST(text AS BLOB)) FROM documents"))
    cat.close()
    return {"engine": engine, "documents": docs, "seconds": wall, "cpu_seconds": cpu,
            "docs_per_s": docs / wall, "words": info.get("words"),
            "words_per_cpu_s": (info["words"] / cpu) if info.get("words") else None,
            "chars": chars, "text_bytes": text_bytes, "index_bytes": size,
            "size_over_text": size / max(text_bytes, 1), "peak_rss_mb": peak_rss_mb(),
            "children_peak_rss_mb": children_peak_rss_mb()}


# -- searching -------------------------------------------------------------------------------

def queries(index_dir: Path, repeat: int) -> dict[str, Any]:
    """Warm latency of every query in the fixed list: one untimed pass, then ``repeat`` timed.

    A query the engine refuses or stops at its time limit is counted as failed, with the
    reason, and left out of the percentiles (its time is not a latency the user waited for a
    result in). Each search asks for 10 hits with snippets and the facet counts, as the web
    page does.
    """
    from pipeline.search import open_index

    cat = Catalogue.open(index_dir, create=False, readonly=True)
    t0 = time.perf_counter()
    idx = open_index(index_dir, cat, readonly=True)
    open_s = time.perf_counter() - t0
    rows = []
    for q in load_queries():
        row: dict[str, Any] = {"query": q, "samples": [], "error": None}
        try:
            t0 = time.perf_counter()
            res = idx.search(q, cat, facets=True)
            row["first_s"] = time.perf_counter() - t0
            row["hits"] = res.total
        except Exception as exc:  # noqa: BLE001 - counted as failed, the run goes on
            row["error"] = f"{type(exc).__name__}: {' '.join(str(exc).split())[:90]}"
        rows.append(row)
    for _ in range(repeat):
        for row in rows:
            if row["error"]:
                continue
            t0 = time.perf_counter()
            try:
                idx.search(row["query"], cat, facets=True)
            except Exception as exc:  # noqa: BLE001 - a time-out in a later pass fails it too
                row["error"] = f"{type(exc).__name__}: {' '.join(str(exc).split())[:90]}"
                continue
            row["samples"].append(time.perf_counter() - t0)
    samples = [s for r in rows if not r["error"] for s in r["samples"]]
    for row in rows:
        if row["samples"]:
            row["p50_ms"] = percentile(row["samples"], 50) * 1000
            row["p95_ms"] = percentile(row["samples"], 95) * 1000
            row["max_ms"] = max(row["samples"]) * 1000
        del row["samples"]
    return {"documents": idx.doc_count(), "open_s": open_s, "repeat": repeat,
            "queries": len(rows), "failed": sum(1 for r in rows if r["error"]),
            "p50_ms": percentile(samples, 50) * 1000 if samples else None,
            "p95_ms": percentile(samples, 95) * 1000 if samples else None,
            "max_ms": max(samples) * 1000 if samples else None,
            "peak_rss_mb": peak_rss_mb(), "rows": rows,
            "spacy_imported": "spacy" in sys.modules}


def cold(index_dir: Path, runs: int = 5, query: str = "torture") -> dict[str, Any]:
    """Wall time of a whole ``precedents search`` command, a new process each run."""
    exe = Path(sys.executable).with_name("precedents")
    cmd = [str(exe), "search", query, "--index", str(index_dir), "--limit", "10", "--json"]
    # Byte-code compiled first, as an installed package has it (and a checkout after its first
    # run): with PYTHONDONTWRITEBYTECODE set, every run would compile our modules again.
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(ROOT / "pipeline")], check=True)
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        times.append(time.perf_counter() - t0)
    return {"command": " ".join(["precedents"] + cmd[1:]), "runs": runs,
            "median_s": sorted(times)[len(times) // 2], "min_s": min(times), "max_s": max(times)}


# -- the whole scale benchmark (make bench) ---------------------------------------------------

SECTION = "scale"


def _step(module: str, *args: str, timeout: float = 3600) -> dict[str, Any]:
    """Run one step in a fresh process (its peak memory is its own) and read its JSON."""
    cmd = [sys.executable, "-m", module, *args]
    print("bench:", module, " ".join(str(a) for a in args), file=sys.stderr, flush=True)
    t0 = time.perf_counter()
    done = subprocess.run(cmd, check=True, stdout=subprocess.PIPE, text=True, timeout=timeout)
    result = json.loads(done.stdout)
    if isinstance(result, dict):
        result.setdefault("step_wall_s", time.perf_counter() - t0)
    return result


def run_all(workdir: Path, *, judgments: int, docs_small: int, docs_large: int,
            large_median_chars: int, rerun_files: int, engines: list[str],
            e2e_paths: list[Path]) -> dict[str, Any]:
    """Every measurement of the scale issue, in an order that reuses what it built.

    1. each stage alone and end to end with 1 and 2 workers (``tools.bench.stages``);
    2. end to end with NER over all bulk judgments with every core: its catalogue is also
       where the synthetic corpora draw their paragraphs from (bulk judgments only, as the
       issue asks; the PDFs run end to end in step 1 and in ``tools.bench.corpus``);
    3. a rerun over ``rerun_files`` unchanged files (``tools.bench.rerun``);
    4. ``docs_small`` synthetic judgment-sized documents indexed by each engine alone, the
       fixed queries timed on each, the cold CLI search, and statistics over a search
       (``tools.bench.stats``: its own section);
    5. ``docs_large`` shorter synthetic documents, indexed by tantivy alone and timed.
    """
    me = "tools.bench.scale"
    results: dict[str, Any] = {"started": time.time()}
    workdir.mkdir(parents=True, exist_ok=True)
    results["stages"] = _step("tools.bench.stages", "--judgments", str(judgments),
                              "--jobs", f"1,{os.cpu_count() or 1}", "--engines", ",".join(engines))
    bulk = workdir / "bulk-index"
    shutil.rmtree(bulk, ignore_errors=True)
    results["bulk"] = _step(me, "ingest", "--index", str(bulk), *map(str, e2e_paths))
    rerun_md = workdir / "rerun.md"
    subprocess.run([sys.executable, "-m", "tools.bench.rerun", "--files", str(rerun_files),
                    "--out", str(rerun_md), "--workdir", str(workdir / "rerun")], check=True,
                   stdout=subprocess.DEVNULL)
    results["rerun_md"] = rerun_md.read_text(encoding="utf-8")
    for label, n, median in (("small", docs_small, None), ("large", docs_large, large_median_chars)):
        if n <= 0:
            continue
        corpus = workdir / f"synth-{n}"
        shutil.rmtree(corpus, ignore_errors=True)
        args = ["synth", "--source", str(bulk), "--docs", str(n), "--out", str(corpus)]
        if median:
            args += ["--median-chars", str(median)]
        results[f"synth_{label}"] = _step(me, *args)
        if label == "small":
            # Statistics over the same corpus: its facts (and their one-off fill), then
            # compute() on each engine's index (tools.bench.stats).
            stats = results["stats"] = {"fill": _step("tools.bench.stats", "fill", "--index",
                                                      str(corpus)), "engines": []}
        for engine in engines if label == "small" else [e for e in engines if e != "whoosh"]:
            where = workdir / f"synth-{n}-{engine}"
            shutil.rmtree(where, ignore_errors=True)
            where.mkdir()
            # Each engine gets its own copy of the catalogue: an index directory holds one engine.
            for f in corpus.iterdir():
                shutil.copy2(f, where / f.name)
            key = f"{label}_{engine}"
            results[f"build_{key}"] = _step(me, "build", "--index", str(where), "--engine", engine)
            results[f"queries_{key}"] = _step(me, "queries", "--index", str(where))
            results[f"cold_{key}"] = _step(me, "cold", "--index", str(where))
            if label == "small":
                stats["engines"].append({
                    "measure": _step("tools.bench.stats", "measure", "--index", str(where)),
                    "every_document": _step("tools.bench.stats", "measure", "--index",
                                            str(where), "--every-document"),
                    "cold": _step("tools.bench.stats", "cold", "--index", str(where))})
            shutil.rmtree(where, ignore_errors=True)
        shutil.rmtree(corpus, ignore_errors=True)
    results["seconds"] = time.time() - results["started"]
    return results


def ingest_step(index_dir: Path, paths: list[Path], jobs: int) -> dict[str, Any]:
    """End to end with NER, every core: throughput and peak memory of coordinator and workers."""
    from tools.bench.measure import vm_hwm_mb, words
    from pipeline.ingest import ingest

    t0 = time.perf_counter()
    report = ingest(paths, index_dir, jobs=jobs)
    wall = time.perf_counter() - t0
    cat = Catalogue.open(index_dir, create=False)
    n_words = pages = docs = 0
    for doc in cat.iter_documents():
        n_words += words(doc.text)
        pages += doc.pages
        docs += 1
    cat.close()
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return {"paths": [str(p) for p in paths], "jobs": jobs, "files": len(report.outcomes),
            "ok": report.count("ok"), "failed": report.failed, "documents": docs,
            "pages": pages, "words": n_words, "wall_s": wall, "docs_per_s": docs / wall,
            "words_per_s": n_words / wall, "pages_per_s": pages / wall,
            "coordinator_peak_mb": vm_hwm_mb(), "largest_worker_peak_mb": kids.ru_maxrss / 1024}


# -- the report ------------------------------------------------------------------------------

def _f(x: float | None, digits: int = 0) -> str:
    return "–" if x is None else f"{x:,.{digits}f}"


def _build_peak(build: dict[str, Any]) -> str:
    """The builder's peak memory, with its writer processes' where it had any."""
    children = build.get("children_peak_rss_mb") or 0
    shown = f"{build['peak_rss_mb']:.0f}"
    return shown + (f" + writers ≤ {children:.0f} each" if children > 50 else "")


def scale_section(r: dict[str, Any], command: str, machine: str) -> list[str]:
    """The BENCHMARKS.md section for ``run_all``'s results."""
    from datetime import datetime, timezone

    st = r["stages"]
    ceil = st["ceiling"]
    lines = [
        "## Scale: stages, workers, engines", "",
        f"- date: {datetime.now(timezone.utc).isoformat(timespec='seconds')}",
        f"- machine: {machine}",
        f"- command: `{command}` (`make bench`), {r['seconds'] / 60:.1f} min in all",
        f"- machine ceiling: a second process runs a CPU-bound Python loop {ceil['speedup']:.2f}x "
        "as fast as one (2.0 would be perfect)", "",
        "### Each stage alone, with its baseline, measured side by side (CPU seconds, one process)", "",
        "| stage | input | ours | baseline | baseline alone | ours / baseline |",
        "|---|---|---:|---:|---|---:|",
    ]
    ex = st["extraction"]
    if ex.get("pdftotext"):
        lines.append(f"| extraction, PDF | {ex['pdfs']['files']} PDFs, {ex['pdfs']['pages']:,} pages "
                     f"| {_f(ex['pdfs']['pages_per_s'])} pages/s | {_f(ex['pdftotext']['pages_per_s'])}"
                     f" pages/s | `pdftotext` | {ex['pdfs']['pages_per_s'] / ex['pdftotext']['pages_per_s']:.2f} |")
    lines.append(f"| extraction, HUDOC JSON | {ex['judgments']['documents']} judgments | "
                 f"{_f(ex['judgments']['words_per_s'])} words/s | | | |")
    tg = st["tagging"]
    lines.append(f"| NER tagging (en) | {tg['documents']} judgments, {tg['words']:,} words | "
                 f"{_f(tg['ours_words_per_s'])} words/s | {_f(tg['spacy_words_per_s'])} words/s | "
                 f"the same spaCy pipeline (`{tg['pipeline']}`), `nlp.pipe` | {tg['ratio']:.2f} |")
    an = st["analysis"]
    lines.append(f"| analysis (language, structure, legal patterns, NER) | {an['documents']} documents | "
                 f"{_f(an['words_per_s'])} words/s | | | |")
    for engine, ix in st["indexing"].items():
        lines.append(f"| indexing, {engine} | {ix['documents']} documents | "
                     f"{_f(ix['ours_words_per_s'])} words/s | {_f(ix['alone_words_per_s'])} words/s "
                     f"| {engine} alone, stock analyzer, id + body | {ix['ratio']:.2f} |")
    slow = st["slowest_stage"]
    lines += ["", f"Slowest stage alone: **{slow['stage']}**, {_f(slow['words_per_s'])} words/s.", "",
              "### End to end (`ingest`, wall clock)", "",
              "| input | workers | files | documents | wall s | docs/s | words/s | pages/s | "
              "share of the slowest stage | coordinator peak MB | largest worker peak MB |",
              "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for run in st["e2e"]:
        lines.append(f"| {ex['judgments']['files']} bulk judgments + {ex['pdfs']['files']} PDFs | "
                     f"{run['jobs']} | {ex['judgments']['files'] + ex['pdfs']['files']} | {run['ok']} | "
                     f"{run['wall_s']:.1f} | {run['docs_per_s']:.2f} | {_f(run['words_per_s'])} | "
                     f"{_f(run['pages_per_s'], 1)} | {run['share_of_slowest']:.0%} | "
                     f"{_f(run['coordinator_peak_mb'])} | {_f(run['largest_worker_peak_mb'])} |")
    b = r["bulk"]
    shown = ", ".join(Path(p).name + "/" for p in b["paths"])
    lines.append(f"| {shown} | {b['jobs']} | {b['files']} | {b['documents']} | "
                 f"{b['wall_s']:.1f} | {b['docs_per_s']:.2f} | {_f(b['words_per_s'])} | "
                 f"{_f(b['pages_per_s'], 1)} | {b['words_per_s'] / slow['words_per_s']:.0%} | "
                 f"{_f(b['coordinator_peak_mb'])} | {_f(b['largest_worker_peak_mb'])} |")
    if len(st["e2e"]) >= 2:
        one, many = st["e2e"][0], st["e2e"][-1]
        lines += ["", f"{many['jobs']} workers run {one['wall_s'] / many['wall_s']:.2f}x as fast as 1 "
                  f"(the machine's ceiling: {ceil['speedup']:.2f}x). Peak memory in total is at most "
                  "the coordinator's plus the workers' (each worker is measured by its own peak; "
                  "Linux counts a forked child's inherited pages, so the worker figure is an upper "
                  "bound)."]
    lines += ["", "### Rerun over unchanged files", "", r["rerun_md"].strip(), "",
              "### Engines at scale: synthetic corpora", "",
              "Unique texts recombined from paragraphs of the real bulk judgments (tools/bench/scale.py "
              "explains how); indexed by the engine alone from the catalogue (`reindex`), no NER. "
              f"Queries: the {len(load_queries())} lawyers' queries in `tools/bench/queries.txt`, "
              "each asking for 10 hits with snippets and all facet counts (as the web page does); "
              "one untimed pass, then 5 timed passes; a query refused or stopped by the time limit "
              "counts as failed.", "",
              "| corpus | engine | documents | text MB | build s | docs/s | words/CPU-s | index MB | "
              "index / text | build peak MB | p50 ms | p95 ms | max ms | failed | cold CLI search s |",
              "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for label in ("small", "large"):
        syn = r.get(f"synth_{label}")
        if not syn:
            continue
        for key in sorted(k for k in r if k.startswith(f"build_{label}_")):
            engine = key.rsplit("_", 1)[1]
            bd, q, cold = r[key], r[f"queries_{label}_{engine}"], r[f"cold_{label}_{engine}"]
            lines.append(
                f"| {syn['documents']:,} docs, mean {syn['mean_chars']:,} chars | {engine} | "
                f"{bd['documents']:,} | {bd['text_bytes'] / 1e6:,.0f} | {bd['seconds']:.0f} | "
                f"{bd['docs_per_s']:.0f} | {_f(bd['words_per_cpu_s'])} | {bd['index_bytes'] / 1e6:,.0f} | "
                f"{bd['size_over_text']:.2f} | {_build_peak(bd)} | {_f(q['p50_ms'], 1)} | "
                f"{_f(q['p95_ms'], 1)} | {_f(q['max_ms'], 1)} | {q['failed']} of {q['queries']} | "
                f"{cold['median_s']:.2f} |")
    for key in sorted(k for k in r if k.startswith("queries_")):
        q = r[key]
        label, engine = key.split("_")[1:]
        syn = r[f"synth_{label}"]
        lines += ["", f"<details><summary>Per query: {engine}, {syn['documents']:,} documents</summary>",
                  "", "| query | hits | first ms | p50 | p95 | max |", "|---|---:|---:|---:|---:|---:|"]
        for row in q["rows"]:
            shown = row["query"].replace("|", "\\|")
            if row["error"]:
                lines.append(f"| `{shown}` | failed: {row['error']} | | | | |")
            else:
                lines.append(f"| `{shown}` | {row['hits']} | {row['first_s'] * 1000:.0f} | "
                             f"{row['p50_ms']:.1f} | {row['p95_ms']:.1f} | {row['max_ms']:.1f} |")
        lines += ["", "</details>"]
    return lines

def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="step", required=True)
    p = sub.add_parser("synth")
    p.add_argument("--source", type=Path, action="append", required=True)
    p.add_argument("--docs", type=int, required=True)
    p.add_argument("--out", type=Path, required=True)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--median-chars", type=int)
    p = sub.add_parser("build")
    p.add_argument("--index", type=Path, required=True)
    p.add_argument("--engine", default="whoosh")
    p = sub.add_parser("queries")
    p.add_argument("--index", type=Path, required=True)
    p.add_argument("--repeat", type=int, default=5)
    p = sub.add_parser("cold")
    p.add_argument("--index", type=Path, required=True)
    p = sub.add_parser("ingest")
    p.add_argument("--index", type=Path, required=True)
    p.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    p.add_argument("paths", type=Path, nargs="+")
    p = sub.add_parser("all", help="everything, written into BENCHMARKS.md (make bench)")
    p.add_argument("--workdir", type=Path, default=Path(tempfile.gettempdir()) / "precedents-bench")
    p.add_argument("--out", type=Path, default=ROOT / "BENCHMARKS.md")
    p.add_argument("--judgments", type=int, default=60)
    p.add_argument("--docs-small", type=int, default=10_000)
    p.add_argument("--docs-large", type=int, default=100_000)
    p.add_argument("--large-median-chars", type=int, default=8_000)
    p.add_argument("--rerun-files", type=int, default=10_000)
    p.add_argument("--engines", default="whoosh,tantivy")
    p.add_argument("--e2e", type=Path, nargs="+",
                   default=[SHARED_CORPORA / "bulk"],
                   help="what the full end-to-end run ingests (and the synthetic corpora draw "
                        "from); the PDFs run end to end in tools.bench.stages and tools.bench.corpus")
    args = parser.parse_args()
    if args.step == "all":
        if not (SHARED_CORPORA / "bulk").is_dir():
            raise SystemExit(f"bench: the shared corpora are not at {SHARED_CORPORA}")
        results = run_all(args.workdir, judgments=args.judgments, docs_small=args.docs_small,
                          docs_large=args.docs_large, large_median_chars=args.large_median_chars,
                          rerun_files=args.rerun_files, engines=args.engines.split(","),
                          e2e_paths=args.e2e)
        (args.workdir / "results.json").write_text(json.dumps(results, indent=1))
        command = ("python -m tools.bench.scale " + " ".join(sys.argv[1:])).strip()
        section = scale_section(results, command, machine())
        existing = args.out.read_text(encoding="utf-8") if args.out.is_file() else "# Benchmarks\n"
        args.out.write_text(put_section(existing, SECTION, section), encoding="utf-8")
        print("\n".join(section))
        if results.get("stats", {}).get("engines"):
            from tools.bench.stats import write_section

            print("\n".join(write_section(args.out, results["stats"], command)))
        return 0
    if args.step == "synth":
        out = synth(args.source, args.out, args.docs, args.seed, args.median_chars)
    elif args.step == "build":
        out = build(args.index, args.engine)
    elif args.step == "ingest":
        out = ingest_step(args.index, args.paths, args.jobs)
    elif args.step == "queries":
        out = queries(args.index, args.repeat)
    else:
        out = cold(args.index)
    json.dump(out, sys.stdout, ensure_ascii=False, indent=1)
    print()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
