"""The meaning layer at scale: how fast it is built, what it adds to ingest, how fast it answers.

    python -m tools.bench.meaning rate --source IDX [--passages 2000] [--jobs 1,2]
    python -m tools.bench.meaning ingest --out DIR [--meaning] [--jobs 2] PATH...
    python -m tools.bench.meaning build --index DIR [--jobs 2]
    python -m tools.bench.meaning fill --index DIR --source IDX
    python -m tools.bench.meaning queries --index DIR [--modes meaning,both] [--repeat 5]
    python -m tools.bench.meaning all --source IDX --out BENCHMARKS.md   (make bench-meaning)

Each step prints one JSON object; ``all`` runs them in fresh processes (peak memory is per step)
and writes the section ``meaning`` of BENCHMARKS.md.

Honest build times. The synthetic judgments of ``tools.bench.scale synth`` draw their paragraphs
at random from a few hundred real judgments, so the same paragraph comes back in many documents,
and the per-process cache of ``embed.py`` (by normalised text) would encode each only once: a
build over them would look several times faster than over 10,000 real judgments. Every timed
encoding here runs with that cache off (``embed.CACHE_SIZE = 0``: a document's own repeated
paragraphs are still encoded once, as in real use, but nothing is carried from one document to
the next). Real judgments do repeat the Court's boilerplate, which the cache catches, so these
build times are upper bounds.

Query times at 10,000 judgments. The layer the queries run on (``fill``) holds the synthetic
documents' own passages (as ``paragraphs.passages`` chooses them, each document cut to as many
as a real judgment of the source has: a synthetic text has no numbered paragraphs, so every
line of prose would count, twice a real judgment's) with vectors taken from the real layer of
the source index: the passage's own vector where the source embedded the same
text, else a real vector of another passage. Scoring costs the same whatever the vectors say,
and the vectors have the real distribution (what decides how far the ranking loop runs), so the
timings are those of a layer built by the encoder, in seconds instead of an hour; which
documents come back is meaningless and is not looked at.

Never run as a unit test: numbers are reported, not asserted.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import pipeline.search.meaning  # noqa: F401 - first: sets numpy's BLAS threads as search does
from pipeline.catalogue import Catalogue
from tools.bench.measure import disk_size, percentile, vm_hwm_mb
from tools.bench.report import machine, put_section
from tools.paths import ROOT, SHARED_CORPORA

SECTION = "meaning"
GOLD = ROOT / "tests" / "gold" / "retrieval_queries.json"


def _children_peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024


def _cpu_with_children() -> float:
    """CPU seconds of this process and its finished children (an ingest's parser workers):
    on a busy machine the wall clock measures the neighbours too, CPU time far less."""
    return sum(u.ru_utime + u.ru_stime for u in (resource.getrusage(resource.RUSAGE_SELF),
                                                 resource.getrusage(resource.RUSAGE_CHILDREN)))


def _load_average() -> str:
    try:
        return " ".join(Path("/proc/loadavg").read_text().split()[:3])
    except OSError:
        return "?"


def _no_cache() -> None:
    """Nothing carried from one document to the next (see the module's docstring)."""
    from pipeline.search.meaning import embed

    embed.CACHE_SIZE = 0
    embed._cache.clear()


# -- the encoder's rate ----------------------------------------------------------------------

def _passage_texts(source: Path, limit: int, max_words: int | None = None) -> list[str]:
    """Distinct passages (by normalised text) of the source's documents, as the layer embeds
    them, clipped to ``MAX_WORDS``; taken round-robin over the documents, so a few long
    judgments do not make up the sample."""
    from pipeline.search.meaning.paragraphs import clip, normalised, passages

    cat = Catalogue.open(source, create=False, readonly=True)
    per_doc: list[list[str]] = []
    try:
        for doc in cat.iter_documents():
            paragraphs = list(doc.record["paragraphs"] or []) if doc.record else []
            per_doc.append([doc.text[p.start:p.end] for p in passages(doc.text, paragraphs)])
    finally:
        cat.close()
    seen: set[str] = set()
    out: list[str] = []
    for depth in range(max((len(d) for d in per_doc), default=0)):
        for texts in per_doc:
            if depth < len(texts):
                key = normalised(texts[depth])
                if key not in seen:
                    seen.add(key)
                    out.append(clip(texts[depth]) if max_words is None
                               else clip(texts[depth], max_words))
                    if len(out) >= limit:
                        return out
    return out


def encode_part(source: Path, passages: int, part: int, parts: int,
                max_words: int | None = None) -> dict[str, Any]:
    """Encode every ``parts``-th of the sample passages (from the ``part``-th), after loading
    the model: the seconds of encoding alone. ``max_words`` replaces ``MAX_WORDS``."""
    from pipeline.search.meaning import encoder
    from pipeline.search.meaning.paragraphs import MAX_WORDS

    texts = _passage_texts(source, passages, max_words)[part::parts]
    t0 = time.perf_counter()
    encoder.encoder()
    load_s = time.perf_counter() - t0
    cpu0, t0 = time.process_time(), time.perf_counter()
    encoder.encode(texts)
    wall = time.perf_counter() - t0
    words = sum(len(t.split()) for t in texts)
    return {"passages": len(texts), "words": words, "max_words": max_words or MAX_WORDS,
            "load_s": load_s,
            "encode_s": wall, "cpu_s": time.process_time() - cpu0,
            "passages_per_s": len(texts) / wall, "peak_rss_mb": vm_hwm_mb()}


def rate(source: Path, passages: int, jobs: list[int],
         max_words: int | None = None) -> dict[str, Any]:
    """Passages per second with 1 and more processes encoding side by side (each its own
    share of the same sample; the rate of ``n`` processes is the sample over the slowest).
    One BLAS thread each, as in the parser workers that embed during an ingest."""
    env = {**os.environ, "OPENBLAS_NUM_THREADS": "1"}
    runs = []
    for n in jobs:
        load = _load_average()
        procs = [subprocess.Popen([sys.executable, "-m", "tools.bench.meaning", "encode-part",
                                   "--source", str(source), "--passages", str(passages),
                                   "--part", str(k), "--parts", str(n),
                                   *(["--max-words", str(max_words)] if max_words else [])],
                                  stdout=subprocess.PIPE,
                                  text=True, env=env) for k in range(n)]
        parts = [json.loads(p.communicate()[0]) for p in procs]
        if any(p.returncode for p in procs):
            raise SystemExit("bench: an encoding process failed")
        total = sum(p["passages"] for p in parts)
        slowest = max(p["encode_s"] for p in parts)
        runs.append({"processes": n, "passages": total, "seconds": slowest,
                     "passages_per_s": total / slowest, "parts": parts,
                     "load_before": load, "load_after": _load_average()})
    return {"source": str(source), "runs": runs}


# -- ingest with and without the layer -------------------------------------------------------

def ingest_one(out: Path, paths: list[Path], jobs: int, meaning: bool) -> dict[str, Any]:
    """One ingest into a new index ``out``: wall time, passages, peak memory. Real judgments,
    so the embedding cache stays on, as in use: their repeated boilerplate is real."""
    from pipeline.ingest import ingest
    from pipeline.search.meaning.store import MeaningStore

    shutil.rmtree(out, ignore_errors=True)
    load = _load_average()
    cpu0 = _cpu_with_children()
    t0 = time.perf_counter()
    report = ingest(paths, out, jobs=jobs, meaning=meaning)
    wall = time.perf_counter() - t0
    cpu = _cpu_with_children() - cpu0
    passages = 0
    if MeaningStore.present(out):
        store = MeaningStore.open(out, readonly=True)
        passages = store.conn.execute("SELECT coalesce(sum(count), 0) FROM passages").fetchone()[0]
        store.close()
    return {"meaning": meaning, "jobs": jobs, "files": len(report.outcomes),
            "ok": report.count("ok"), "failed": report.failed, "wall_s": wall, "cpu_s": cpu,
            "passages": passages, "coordinator_peak_mb": vm_hwm_mb(),
            "largest_worker_peak_mb": _children_peak_mb(), "index_bytes": disk_size(out),
            "layer_bytes": disk_size(out / "meaning") if passages else 0,
            "load_before": load, "load_after": _load_average()}


# -- building the layer of a catalogue -------------------------------------------------------

_worker_catalogue: Catalogue | None = None


def _pool_start(index_dir: str) -> None:
    """A pool process: its own read-only catalogue (documents are read where they are
    embedded, as a parser worker has the file), and no cache across documents."""
    from pipeline.search.meaning import encoder

    global _worker_catalogue
    _no_cache()
    encoder.encoder()  # the weights are read before the clock starts
    _worker_catalogue = Catalogue.open(Path(index_dir), create=False, readonly=True)


def _ready(_: int) -> None:
    time.sleep(0.5)


def _embed_one(doc_id: str) -> tuple[str, Any, float]:
    """A document's vectors, and the CPU seconds they took (a busy machine stretches the wall
    time, far less the CPU time)."""
    from pipeline.search.meaning.embed import embed_document

    assert _worker_catalogue is not None
    doc = _worker_catalogue.document(doc_id)
    assert doc is not None
    paragraphs = list(doc.record["paragraphs"] or []) if doc.record else []
    cpu = time.process_time()
    vectors = embed_document(doc.text, paragraphs)
    return doc_id, vectors, time.process_time() - cpu


def build(index_dir: Path, jobs: int, limit: int | None = None) -> dict[str, Any]:
    """The layer of ``index_dir``'s catalogue, embedded afresh with the cache off.

    ``jobs=1`` is ``rebuild_layer`` in one process; more runs the same embedding in a pool of
    processes that keep the cache off and stores in this one (``reindex --meaning`` does the
    same, with the cache on, in ``rebuild_layer``'s own pool: ``real_build``).
    """
    import multiprocessing

    from pipeline.search.meaning.store import MeaningStore
    from pipeline.search.meaning.writer import rebuild_layer

    _no_cache()
    shutil.rmtree(index_dir / "meaning", ignore_errors=True)
    cat = Catalogue.open(index_dir, create=False)
    docs = cat.count_documents()
    load = _load_average()
    pool_cpu = 0.0
    if jobs == 1:
        cpu0, t0 = time.process_time(), time.perf_counter()
        passages = rebuild_layer(index_dir, cat, jobs=1)
        pool_cpu = time.process_time() - cpu0
    else:
        ids = [row[0] for row in cat.conn.execute("SELECT id FROM documents ORDER BY rowid")]
        ids = ids[:limit] if limit is not None else ids
        store = MeaningStore.open(index_dir, create=True)
        passages = 0
        # Spawned processes read the environment afresh: one BLAS thread each, as parser workers.
        os.environ["OPENBLAS_NUM_THREADS"] = "1"
        ctx = multiprocessing.get_context("spawn")
        with ctx.Pool(jobs, initializer=_pool_start, initargs=(str(index_dir),)) as pool:
            pool.map(_ready, range(2 * jobs), chunksize=1)
            cpu0, t0 = time.process_time(), time.perf_counter()
            for n, (doc_id, vectors, cpu) in enumerate(pool.imap(_embed_one, ids, chunksize=2), 1):
                store.put(doc_id, vectors)
                passages += len(vectors.spans)
                pool_cpu += cpu
                if n % 50 == 0:
                    store.commit()
            store.commit()
        store.close()
        docs = len(ids)
    wall = time.perf_counter() - t0
    cat.close()
    return {"jobs": jobs, "documents": docs, "passages": passages, "wall_s": wall,
            "passages_per_s": passages / wall, "docs_per_s": docs / wall,
            "passages_per_doc": passages / max(docs, 1),
            "coordinator_cpu_s": time.process_time() - cpu0, "encoding_cpu_s": pool_cpu,
            "passages_per_cpu_s": passages / max(pool_cpu, 1e-9),
            "peak_rss_mb": vm_hwm_mb(), "pool_peak_mb": _children_peak_mb(),
            "layer_bytes": disk_size(index_dir / "meaning"),
            "load_before": load, "load_after": _load_average()}


def real_build(index_dir: Path) -> dict[str, Any]:
    """``rebuild_layer`` over real judgments as ``reindex --meaning`` runs it: a process per
    core, the cache on (their boilerplate really repeats); CPU time counts the processes."""
    from pipeline.search.meaning.writer import rebuild_layer

    shutil.rmtree(index_dir / "meaning", ignore_errors=True)
    cat = Catalogue.open(index_dir, create=False)
    load = _load_average()
    cpu0, t0 = _cpu_with_children(), time.perf_counter()
    passages = rebuild_layer(index_dir, cat)
    wall, cpu = time.perf_counter() - t0, _cpu_with_children() - cpu0
    docs = cat.count_documents()
    cat.close()
    return {"documents": docs, "passages": passages, "wall_s": wall, "cpu_s": cpu,
            "passages_per_s": passages / wall, "passages_per_cpu_s": passages / cpu,
            "peak_rss_mb": vm_hwm_mb(), "layer_bytes": disk_size(index_dir / "meaning"),
            "load_before": load, "load_after": _load_average()}


# -- a layer for query timing at scale -------------------------------------------------------

def fill(index_dir: Path, source: Path, seed: int = 1) -> dict[str, Any]:
    """The layer of ``index_dir``'s (synthetic) documents with vectors of ``source``'s real
    layer (see the module's docstring): for timing queries, not for judging them."""
    from pipeline.search.meaning.encoder import DIM, LAYER
    from pipeline.search.meaning.paragraphs import normalised, passages
    from pipeline.search.meaning.store import DIRECTORY, FILE, DocVectors, MeaningStore, text_hash

    t0 = time.perf_counter()
    real = MeaningStore.open(source, readonly=True)
    src = Catalogue.open(source, create=False, readonly=True)
    texts = {doc.id: doc.text for doc in src.iter_documents()}
    src.close()
    by_text: dict[str, tuple[bytes, bytes]] = {}
    pool: list[tuple[bytes, bytes]] = []
    counts: list[int] = []
    for doc_id, v in real.rows():
        text = texts.get(doc_id)
        if v.spans:
            counts.append(len(v.spans))
        for i, (a, b) in enumerate(v.spans):
            pair = (v.vectors[i * DIM:(i + 1) * DIM], v.scales[i * 4:(i + 1) * 4])
            pool.append(pair)
            if text is not None:
                by_text[normalised(text[a:b])] = pair
    real.close()
    del texts
    rng = random.Random(seed)
    shutil.rmtree(index_dir / DIRECTORY, ignore_errors=True)
    store = MeaningStore.open(index_dir, create=True)
    cat = Catalogue.open(index_dir, create=False, readonly=True)
    docs = total = own = 0
    for doc in cat.iter_documents():
        found = passages(doc.text, list(doc.record["paragraphs"] or []) if doc.record else [])
        # A synthetic document has no numbered paragraphs (their offsets were the donor's), so
        # every line of prose is a passage: about twice a real judgment's numbered paragraphs.
        # Each keeps as many as a real judgment drawn at random has, so the layer has the size
        # real judgments give.
        found = found[:counts[rng.randrange(len(counts))]]
        vecs, scales = [], []
        for p in found:
            same = by_text.get(normalised(doc.text[p.start:p.end]))
            own += same is not None
            pair = same or pool[rng.randrange(len(pool))]
            vecs.append(pair[0])
            scales.append(pair[1])
        store.put(doc.id, DocVectors(LAYER, text_hash(doc.text), [(p.start, p.end) for p in found],
                                     [p.number for p in found], b"".join(vecs), b"".join(scales)))
        docs += 1
        total += len(found)
        if docs % 200 == 0:
            store.commit()
    store.commit()
    store.close()
    cat.close()
    return {"documents": docs, "passages": total, "own_vectors": own,
            "source_vectors": len(pool), "seconds": time.perf_counter() - t0,
            "layer_bytes": disk_size(index_dir / DIRECTORY / FILE)}


# -- queries ---------------------------------------------------------------------------------

def gold_queries() -> list[str]:
    """The retrieval eval's descriptions of legal issues, in Russian, French and English: what
    a search by meaning is for (the fixed word queries are mostly field clauses and phrases)."""
    concepts = json.loads(GOLD.read_text(encoding="utf-8"))["concepts"]
    return [c[key] for key in ("query_ru", "query_fr", "query_en_reference") for c in concepts
            if c.get(key)]


def queries(index_dir: Path, modes: list[str], repeat: int) -> dict[str, Any]:
    """Warm latency of each gold query in each mode, encoding included (one untimed pass to
    load the layer and the encoder, then ``repeat`` timed), and where the time goes."""
    import numpy as np

    from pipeline.search import open_index
    from pipeline.search.meaning import encoder, fuse

    load = _load_average()
    cat = Catalogue.open(index_dir, create=False, readonly=True)
    t0 = time.perf_counter()
    idx = open_index(index_dir, cat, readonly=True)
    layer = fuse._layer(index_dir)
    encoder.encoder()
    open_s = time.perf_counter() - t0
    after_load_mb = vm_hwm_mb()
    texts = gold_queries()
    out: dict[str, Any] = {"documents": idx.doc_count(), "passages": layer.size,
                           "open_s": open_s, "repeat": repeat, "queries": len(texts),
                           "peak_after_load_mb": after_load_mb, "modes": {}}
    for mode in modes:
        samples: list[float] = []
        cpu: list[float] = []
        failed = 0
        for text in texts:
            try:
                fuse.search(idx, index_dir, text, cat, mode=mode, limit=10, facets=True)
            except Exception:  # noqa: BLE001 - counted, the run goes on
                failed += 1
        for _ in range(repeat):
            for text in texts:
                c0, t0 = time.process_time(), time.perf_counter()
                try:
                    fuse.search(idx, index_dir, text, cat, mode=mode, limit=10, facets=True)
                except Exception:  # noqa: BLE001
                    continue
                samples.append(time.perf_counter() - t0)
                cpu.append(time.process_time() - c0)
        # CPU time too: one thread does the work (one BLAS thread), so on a busy machine the
        # CPU time is close to what a quiet machine's wall clock would show.
        out["modes"][mode] = {"failed": failed, "p50_ms": percentile(samples, 50) * 1000,
                              "p95_ms": percentile(samples, 95) * 1000,
                              "max_ms": max(samples) * 1000,
                              "cpu_p50_ms": percentile(cpu, 50) * 1000,
                              "cpu_p95_ms": percentile(cpu, 95) * 1000}
    # Where a meaning query's time goes.
    # Where a meaning query's time goes (CPU time): encoding the query, scoring every passage,
    # ordering them all (what fuse.meaning_ranking does), and ordering only those at or above
    # MIN_COSINE, which gives the same ranking (a stable sort keeps their relative order).
    parts: dict[str, list[float]] = {"encode": [], "scores": [], "argsort": [],
                                     "argsort_above_min": []}
    for text in texts:
        t0 = time.process_time()
        q = encoder.encode([text])[0]
        t1 = time.process_time()
        s = layer.scores(q)
        t2 = time.process_time()
        np.argsort(-s, kind="stable")
        t3 = time.process_time()
        keep = np.flatnonzero(s >= fuse.MIN_COSINE)
        keep[np.argsort(-s[keep], kind="stable")]
        t4 = time.process_time()
        for key, seconds in zip(parts, (t1 - t0, t2 - t1, t3 - t2, t4 - t3)):
            parts[key].append(seconds)
    out["parts_p50_ms"] = {key: percentile(v, 50) * 1000 for key, v in parts.items()}
    out["peak_rss_mb"] = vm_hwm_mb()
    out["engine"] = type(idx).__module__.split(".")[2]
    out["load_before"], out["load_after"] = load, _load_average()
    cat.close()
    return out


def serve_memory(index_dir: Path, requests: int = 20) -> dict[str, Any]:
    """Peak memory of ``precedents serve`` on ``index_dir`` after searches in mode both (the
    first loads the layer; the server keeps it)."""
    import socket
    import urllib.parse
    import urllib.request

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    proc = subprocess.Popen([sys.executable, "-m", "pipeline", "serve", "--index", str(index_dir),
                             "--port", str(port)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        base = f"http://127.0.0.1:{port}"
        for _ in range(300):
            try:
                urllib.request.urlopen(base + "/", timeout=5).read()
                break
            except OSError:
                time.sleep(0.5)
        texts = gold_queries()[:requests]
        t0 = time.perf_counter()
        for text in texts:
            url = base + "/search?" + urllib.parse.urlencode({"q": text, "mode": "both"})
            urllib.request.urlopen(url, timeout=120).read()
        wall = time.perf_counter() - t0
        # The server forks a process per core (web/server.py) after reading the layer and the
        # encoder, so the processes share those pages: each one's RSS counts them whole, their
        # PSS (proportional set size) counts a shared page once over all of them.
        pids = [proc.pid] + [int(c) for c in Path(f"/proc/{proc.pid}/task/{proc.pid}/children")
                             .read_text().split()]
        peaks, rss, pss = [], [], []
        for pid in pids:
            status = Path(f"/proc/{pid}/status").read_text().splitlines()
            peaks.append(next(int(ln.split()[1]) / 1024 for ln in status if ln.startswith("VmHWM:")))
            rss.append(next(int(ln.split()[1]) / 1024 for ln in status if ln.startswith("VmRSS:")))
            rollup = Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines()
            pss.append(next(int(ln.split()[1]) / 1024 for ln in rollup if ln.startswith("Pss:")))
    finally:
        proc.terminate()
        proc.wait(timeout=30)
    return {"requests": len(texts), "seconds": wall, "processes": len(pids),
            "peak_rss_mb": max(peaks), "peak_rss_mb_each": peaks, "peak_rss_mb_sum": sum(peaks),
            "rss_mb_sum": sum(rss), "pss_mb_sum": sum(pss)}


# -- everything (make bench-meaning) ---------------------------------------------------------

def _step(*args: str, timeout: float = 4 * 3600) -> dict[str, Any]:
    cmd = [sys.executable, "-m", "tools.bench.meaning", *args]
    print("bench:", " ".join(args), file=sys.stderr, flush=True)
    done = subprocess.run(cmd, check=True, stdout=subprocess.PIPE, text=True, timeout=timeout)
    return json.loads(done.stdout)


def _copy_catalogue(src: Path, dst: Path) -> None:
    shutil.rmtree(dst, ignore_errors=True)
    dst.mkdir(parents=True)
    for f in src.iterdir():
        if f.is_file():
            shutil.copy2(f, dst / f.name)


def run_all(workdir: Path, source: Path, *, docs: int, build_docs: int, ingest_files: int,
            passages: int, engines: list[str], keep: bool = False) -> dict[str, Any]:
    from pipeline.search.meaning.store import MeaningStore

    r: dict[str, Any] = {"started": time.time(), "docs": docs, "build_docs": build_docs}
    workdir.mkdir(parents=True, exist_ok=True)
    if not (source / "catalogue.sqlite").is_file():
        raise SystemExit(f"bench: no index at {source} (`make bench` builds one of the bulk "
                         "judgments; or give --source)")
    if not MeaningStore.present(source):
        r["real_build"] = _step("real-build", "--index", str(source))
    store = MeaningStore.open(source, readonly=True)
    passages_, docs_ = store.conn.execute("SELECT sum(count), count(*) FROM passages").fetchone()
    store.close()
    r["real_per_doc"] = passages_ / docs_
    r["rate"] = _step("rate", "--source", str(source), "--passages", str(passages),
                      "--jobs", f"1,{os.cpu_count() or 1}")
    # The same passages clipped to half the words: what a shorter cap would save (it changes
    # what is embedded, so retrieval quality too: tools.evaluate.retrieval decides).
    r["rate_half"] = _step("rate", "--source", str(source), "--passages", str(passages),
                           "--jobs", "1", "--max-words", "32")
    files = sorted((SHARED_CORPORA / "bulk").rglob("*.json"))[:ingest_files]
    for meaning in (False, True):
        r[f"ingest_{meaning}"] = _step("ingest", "--out", str(workdir / f"ingest-{meaning}"),
                                       *(["--meaning"] if meaning else []), *map(str, files))
    shutil.rmtree(workdir / "ingest-False", ignore_errors=True)
    shutil.rmtree(workdir / "ingest-True", ignore_errors=True)
    scale = [sys.executable, "-m", "tools.bench.scale"]
    corpus = workdir / f"synth-{docs}"
    if not (corpus / "synth.json").exists():
        shutil.rmtree(corpus, ignore_errors=True)
        subprocess.run([*scale, "synth", "--source", str(source), "--docs", str(docs),
                        "--out", str(corpus)], check=True, stdout=subprocess.DEVNULL)
    r["synth"] = json.loads((corpus / "synth.json").read_text())
    # The first ``build_docs`` of them (document i depends only on the seed and i).
    r["build"] = _step("build", "--index", str(corpus), "--jobs", str(os.cpu_count() or 1),
                       "--limit", str(build_docs))
    shutil.rmtree(corpus / "meaning", ignore_errors=True)
    for engine in engines:
        where = workdir / f"synth-{docs}-{engine}"
        built = where / "words-build.json"
        if not (built.is_file() and built.stat().st_size):
            # The word index is the scale benchmark's; one built before (by this step, or by
            # hand with the same command) is used as it is.
            _copy_catalogue(corpus, where)
            done = subprocess.run([*scale, "build", "--index", str(where), "--engine", engine],
                                  check=True, stdout=subprocess.PIPE, text=True)
            built.write_text(done.stdout)
        r[f"words_{engine}"] = json.loads(built.read_text())
        filled = where / "meaning-fill.json"
        if not (filled.is_file() and MeaningStore.present(where)):
            filled.write_text(json.dumps(_step("fill", "--index", str(where), "--source",
                                               str(source))))
        r[f"fill_{engine}"] = json.loads(filled.read_text())
        r[f"queries_{engine}"] = _step("queries", "--index", str(where))
        r[f"serve_{engine}"] = _step("serve", "--index", str(where))
        if not keep:
            shutil.rmtree(where, ignore_errors=True)
    r["seconds"] = time.time() - r["started"]
    return r


def _serve(run: dict[str, Any] | None) -> str:
    """``serve``'s peak memory: its processes' sum, and each."""
    if not run:
        return "–"
    each = run.get("peak_rss_mb_each") or [run["peak_rss_mb"]]
    shared = f"; {run['pss_mb_sum']:,.0f} counting shared pages once" if "pss_mb_sum" in run else ""
    return f"{sum(each):,.0f} ({' + '.join(f'{x:.0f}' for x in each)}{shared})"


def _f(x: float | None, digits: int = 0) -> str:
    return "–" if x is None else f"{x:,.{digits}f}"


def section(r: dict[str, Any], command: str, host: str) -> list[str]:
    """The BENCHMARKS.md section for ``run_all``'s results."""
    from datetime import datetime, timezone

    lines = ["## Meaning layer at scale", "",
             f"- date: {datetime.now(timezone.utc).isoformat(timespec='seconds')}",
             f"- machine: {host}",
             f"- command: `{command}` (`make bench-meaning`), {r['seconds'] / 60:.1f} min in all",
             "- every timed encoding runs with the per-process cache off "
             "(`tools/bench/meaning.py` says why); load averages (1 min) before and after each "
             "step are given: a step on a busy machine is an upper bound", "",
             "### The encoder's rate (passages clipped to `MAX_WORDS`, model loaded)", "",
             "| processes | passages | words | seconds | passages/s | per process | "
             "passages per CPU-second | load before / after |",
             "|---:|---:|---:|---:|---:|---:|---:|---|"]
    for run in r["rate"]["runs"]:
        cpu = sum(p["cpu_s"] for p in run["parts"])
        words = sum(p["words"] for p in run["parts"])
        lines.append(f"| {run['processes']} | {run['passages']:,} | {words:,} | {run['seconds']:.1f} | "
                     f"{run['passages_per_s']:.0f} | {run['passages_per_s'] / run['processes']:.0f}"
                     f" | {run['passages'] / cpu:.0f} | {run['load_before'].split()[0]} / "
                     f"{run['load_after'].split()[0]} |")
    if r.get("rate_half"):
        one = r["rate"]["runs"][0]
        half = r["rate_half"]["runs"][0]
        cpu64 = one["passages"] / sum(p["cpu_s"] for p in one["parts"])
        cpu32 = half["passages"] / sum(p["cpu_s"] for p in half["parts"])
        lines += ["", f"The same passages clipped to 32 words instead of {one['parts'][0]['max_words']}: "
                  f"{cpu32:.0f} passages per CPU-second instead of {cpu64:.0f} "
                  f"({cpu32 / cpu64:.2f}x)."]
    off, on = r["ingest_False"], r["ingest_True"]
    lines += ["", f"### Ingest of {off['files']} bulk judgments with and without the layer "
              f"({off['jobs']} workers)", "",
              "| layer | wall s | CPU s (all processes) | passages | coordinator peak MB | "
              "largest worker peak MB | load before / after |", "|---|---:|---:|---:|---:|---:|---|"]
    for run in (off, on):
        lines.append(f"| {'with' if run['meaning'] else 'without'} | {run['wall_s']:.1f} | "
                     f"{run['cpu_s']:.1f} | "
                     f"{run['passages']:,} | {_f(run['coordinator_peak_mb'])} | "
                     f"{_f(run['largest_worker_peak_mb'])} | {run['load_before'].split()[0]} / "
                     f"{run['load_after'].split()[0]} |")
    lines += ["", f"With the layer: **{on['wall_s'] / off['wall_s']:.2f}x** the wall time, "
              f"{on['cpu_s'] / off['cpu_s']:.2f}x the CPU time (target <= 1.5x the time)."]
    if r.get("real_build"):
        rb = r["real_build"]
        lines += ["", f"### The layer of {rb['documents']:,} real judgments (`rebuild_layer`, as "
                  "`reindex --meaning`: one process, the cache on)", "",
                  f"{rb['passages']:,} passages in {rb['wall_s']:.0f} s: {rb['passages_per_s']:.0f}"
                  f" passages/s, {rb['passages_per_cpu_s']:.0f} per CPU-second; peak "
                  f"{_f(rb['peak_rss_mb'])} MB; load {rb['load_before'].split()[0]} / "
                  f"{rb['load_after'].split()[0]}."]
    b = r["build"]
    per_doc = b["passages_per_doc"]
    syn = r["synth"]
    # Synthetic documents have about twice the passages of a real judgment (no numbered
    # paragraphs: every line of prose is one), so the estimate counts a real judgment's.
    real = r.get("real_per_doc") or per_doc
    est = syn["documents"] * real / b["passages_per_s"]
    cores = os.cpu_count() or 1
    quiet = syn["documents"] * real / (b["passages_per_cpu_s"] * min(cores, b["jobs"]))
    measured = b["documents"] == syn["documents"]
    lines += ["", f"### The layer of {b['documents']:,} synthetic judgments, {b['jobs']} processes, "
              "cache off", "",
              f"{b['passages']:,} passages ({per_doc:.0f} a judgment) in {b['wall_s']:.0f} s: "
              f"{b['passages_per_s']:.0f} passages/s, {b['passages_per_cpu_s']:.0f} per CPU-second "
              f"of encoding; coordinator peak {_f(b['peak_rss_mb'])} MB, pool processes "
              f"{_f(b['pool_peak_mb'])} MB each at most; load {b['load_before'].split()[0]} / "
              f"{b['load_after'].split()[0]}.", "",
              f"At {syn['documents']:,} judgments ({syn['documents'] * real:,.0f} passages, "
              f"{real:.0f} a judgment as in the real layer of the source): "
              f"**{est / 60:.0f} min** at this run's wall rate"
              + ("" if measured else " (extrapolated)")
              + f", {quiet / 60:.0f} min with {min(cores, b['jobs'])} cores each encoding at the "
              "measured CPU rate (a quiet machine). Target: <= 60 min on 2 cores."]
    lines += ["", f"### Queries at {syn['documents']:,} judgments (the retrieval eval's "
              "descriptions in ru/fr/en, 10 hits with snippets and facets, encoding included)", "",
              "| engine | passages | mode | p50 ms | p95 ms | max ms | CPU p50 / p95 ms | "
              "encode / scores / argsort (above MIN_COSINE) CPU ms | query process peak MB | "
              "`serve` peak MB |",
              "|---|---:|---|---:|---:|---:|---|---|---:|---:|"]
    for key in sorted(k for k in r if k.startswith("queries_")):
        q = r[key]
        engine = key.split("_", 1)[1]
        parts = q["parts_p50_ms"]
        for mode, m in q["modes"].items():
            lines.append(f"| {engine} | {q['passages']:,} | {mode} | {m['p50_ms']:.0f} | "
                         f"{m['p95_ms']:.0f} | {m['max_ms']:.0f} | {m['cpu_p50_ms']:.0f} / "
                         f"{m['cpu_p95_ms']:.0f} | {parts['encode']:.0f} / {parts['scores']:.0f} / "
                         f"{parts['argsort']:.0f} ({parts['argsort_above_min']:.0f}) | "
                         f"{_f(q['peak_rss_mb'])} | {_serve(r.get(f'serve_{engine}'))} |")
    return lines


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="step", required=True)
    p = sub.add_parser("rate")
    p.add_argument("--source", type=Path, required=True)
    p.add_argument("--passages", type=int, default=2000)
    p.add_argument("--jobs", default="1,2")
    p.add_argument("--max-words", type=int, help="clip passages to this many words, not MAX_WORDS")
    p = sub.add_parser("encode-part")
    p.add_argument("--max-words", type=int)
    p.add_argument("--source", type=Path, required=True)
    p.add_argument("--passages", type=int, required=True)
    p.add_argument("--part", type=int, required=True)
    p.add_argument("--parts", type=int, required=True)
    p = sub.add_parser("ingest")
    p.add_argument("--out", type=Path, required=True)
    p.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    p.add_argument("--meaning", action="store_true")
    p.add_argument("paths", type=Path, nargs="+")
    p = sub.add_parser("build")
    p.add_argument("--index", type=Path, required=True)
    p.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    p.add_argument("--limit", type=int)
    p = sub.add_parser("real-build")
    p.add_argument("--index", type=Path, required=True)
    p = sub.add_parser("fill")
    p.add_argument("--index", type=Path, required=True)
    p.add_argument("--source", type=Path, required=True)
    p = sub.add_parser("queries")
    p.add_argument("--index", type=Path, required=True)
    p.add_argument("--modes", default="meaning,both")
    p.add_argument("--repeat", type=int, default=5)
    p = sub.add_parser("serve")
    p.add_argument("--index", type=Path, required=True)
    p = sub.add_parser("report", help="the section from a results.json written by `all`")
    p.add_argument("--results", type=Path, required=True)
    p.add_argument("--out", type=Path, default=ROOT / "BENCHMARKS.md")
    p.add_argument("--command", default="python -m tools.bench.meaning all")
    p = sub.add_parser("all", help="everything, written into BENCHMARKS.md (make bench-meaning)")
    p.add_argument("--source", type=Path,
                   default=Path(tempfile.gettempdir()) / "precedents-bench" / "bulk-index",
                   help="an index of real judgments (default: the one `tools.bench.scale all` "
                        "builds of the bulk judgments); its meaning layer is built (and timed) "
                        "when it has none")
    p.add_argument("--workdir", type=Path, default=Path(tempfile.gettempdir()) / "precedents-bench-meaning")
    p.add_argument("--out", type=Path, default=ROOT / "BENCHMARKS.md")
    p.add_argument("--docs", type=int, default=10_000)
    p.add_argument("--build-docs", type=int, default=10_000)
    p.add_argument("--ingest-files", type=int, default=60)
    p.add_argument("--passages", type=int, default=3000)
    p.add_argument("--engines", default="whoosh,tantivy")
    p.add_argument("--keep", action="store_true", help="keep the indexes built in --workdir")
    args = parser.parse_args()
    if args.step == "all":
        results = run_all(args.workdir, args.source, docs=args.docs, build_docs=args.build_docs,
                          ingest_files=args.ingest_files, passages=args.passages,
                          engines=args.engines.split(","), keep=args.keep)
        (args.workdir / "results.json").write_text(json.dumps(results, indent=1))
        command = ("python -m tools.bench.meaning " + " ".join(sys.argv[1:])).strip()
        lines = section(results, command, machine())
        existing = args.out.read_text(encoding="utf-8") if args.out.is_file() else "# Benchmarks\n"
        args.out.write_text(put_section(existing, SECTION, lines), encoding="utf-8")
        print("\n".join(lines))
        return 0
    if args.step == "report":
        lines = section(json.loads(args.results.read_text()), args.command, machine())
        existing = args.out.read_text(encoding="utf-8") if args.out.is_file() else "# Benchmarks\n"
        args.out.write_text(put_section(existing, SECTION, lines), encoding="utf-8")
        print("\n".join(lines))
        return 0
    if args.step == "rate":
        out = rate(args.source, args.passages, [int(j) for j in args.jobs.split(",")],
                   args.max_words)
    elif args.step == "encode-part":
        out = encode_part(args.source, args.passages, args.part, args.parts, args.max_words)
    elif args.step == "ingest":
        out = ingest_one(args.out, args.paths, args.jobs, args.meaning)
    elif args.step == "build":
        out = build(args.index, args.jobs, args.limit)
    elif args.step == "real-build":
        out = real_build(args.index)
    elif args.step == "fill":
        out = fill(args.index, args.source)
    elif args.step == "queries":
        out = queries(args.index, args.modes.split(","), args.repeat)
    else:
        out = serve_memory(args.index)
    json.dump(out, sys.stdout, ensure_ascii=False, indent=1)
    print()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
