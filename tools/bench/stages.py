"""Each ingest stage alone, side by side with its baseline, then end to end with 1 and N workers.

    python -m tools.bench.stages [--judgments 60] [--jobs 1,2]

Prints one JSON object; ``tools.bench.scale all`` turns it into BENCHMARKS.md tables. The inputs are
real documents from ../shared/corpora: the first ``--judgments`` bulk ECHR judgments (HUDOC JSON,
sorted by name) and every text-layer PDF in echr/ and ru/. Measured in the same run, so the
ratios compare like with like on a shared, noisy machine:

- extraction by our picker vs ``pdftotext`` alone (PDFs: pages/s);
- tagging (our NER path: chunking, the statistical model, the clean-up) vs the same spaCy
  pipeline's ``nlp.pipe`` alone on the same texts (words/s);
- analysis (language, structure, legal patterns, NER: ``build_record``) alone (words/s);
- indexing through our engine layer (field building, our analyzers) vs the engine alone with its
  stock analyzer on the same texts (words/s);
- end to end (``ingest``) with 1 and N parser processes, against the slowest stage alone; with
  the coordinator's and the largest worker's peak memory;
- the machine's ceiling: what a second process adds to a CPU-bound pure-Python loop here.

Never run as a unit test: numbers are reported, not asserted.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing as mp
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from tools.bench.measure import vm_hwm_mb, words
from tools.paths import SHARED_CORPORA


def inputs(judgments: int) -> tuple[list[Path], list[Path]]:
    bulk = sorted((SHARED_CORPORA / "bulk").rglob("*.json"))[:judgments]
    pdfs = sorted(p for d in ("echr", "ru") for p in (SHARED_CORPORA / d).rglob("*.pdf"))
    return bulk, pdfs


# -- the machine's ceiling -------------------------------------------------------------------

def _spin(n: int) -> float:
    t0 = time.perf_counter()
    total = 0
    for i in range(n):
        total += i * i % 7
    return time.perf_counter() - t0


def ceiling(n: int = 20_000_000) -> dict[str, float]:
    """Throughput of 2 processes over 1 on the same pure-Python loop (1.0-2.0)."""
    one = _spin(n)
    with mp.get_context("spawn").Pool(2) as pool:
        t0 = time.perf_counter()
        pool.map(_spin, [n, n])
        two = time.perf_counter() - t0
    return {"one_s": one, "two_s": two, "speedup": 2 * one / two}


# -- stages alone ----------------------------------------------------------------------------

def extraction(files: list[Path]) -> tuple[dict[str, Any], list[Any]]:
    from pipeline.errors import PipelineError
    from pipeline.extract import ExtractOptions, extract_file

    docs, pages, chars, failed = [], 0, 0, 0
    t0 = time.process_time()
    for path in files:
        try:
            found = extract_file(path, ExtractOptions(ocr="never"))
        except PipelineError:
            failed += 1  # empty bulk records, image-only PDFs: not text this stage can time
            continue
        for doc in found:
            docs.append(doc)
            pages += doc.page_count
            chars += len(doc.text)
    cpu = time.process_time() - t0
    n_words = sum(words(d.text) for d in docs)
    return ({"files": len(files), "failed": failed, "documents": len(docs), "pages": pages, "chars": chars,
             "words": n_words, "cpu_s": cpu, "files_per_s": len(files) / cpu,
             "pages_per_s": pages / cpu if pages else None, "words_per_s": n_words / cpu}, docs)


def pdftotext(files: list[Path], pages: int) -> dict[str, Any] | None:
    exe = shutil.which("pdftotext")
    if not exe:
        return None
    t0 = resource.getrusage(resource.RUSAGE_CHILDREN)
    for path in files:
        subprocess.run([exe, "-q", str(path), "-"], stdout=subprocess.DEVNULL,
                       stderr=subprocess.DEVNULL, check=False)
    t1 = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (t1.ru_utime + t1.ru_stime) - (t0.ru_utime + t0.ru_stime)
    return {"files": len(files), "pages": pages, "cpu_s": cpu, "pages_per_s": pages / cpu}


def analysis(docs: list[Any]) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    from pipeline.entities.nlp import load
    from pipeline.language import detect_language
    from pipeline.records import build_record

    for doc in docs:
        doc.language = detect_language(doc.text)
    for language in {d.language for d in docs}:
        load(language) if language in ("en", "fr", "ru") else None  # model load is not per doc
    t0 = time.process_time()
    records = [build_record(doc) for doc in docs]
    cpu = time.process_time() - t0
    n_words = sum(words(d.text) for d in docs)
    return ({"documents": len(docs), "words": n_words, "cpu_s": cpu,
             "docs_per_s": len(docs) / cpu, "words_per_s": n_words / cpu}, records)


def tagging(docs: list[Any]) -> dict[str, Any]:
    """Our NER path vs the same loaded spaCy pipeline's ``nlp.pipe`` alone (English texts)."""
    from pipeline.entities.nlp import MAX_CHUNK_CHARS, load, split_chunks, tag_entities

    texts = [d.text for d in docs if d.language == "en"]
    nlp = load("en")
    n_words = sum(words(t) for t in texts)
    t0 = time.process_time()
    for text in texts:
        tag_entities(text, "en")
    ours = time.process_time() - t0
    limit = min(nlp.max_length, MAX_CHUNK_CHARS)
    chunks = [c for t in texts for _, c in split_chunks(t, limit)]
    t0 = time.process_time()
    for _ in nlp.pipe(chunks, batch_size=16):
        pass
    alone = time.process_time() - t0
    return {"documents": len(texts), "words": n_words, "pipeline": ",".join(nlp.pipe_names),
            "ours_cpu_s": ours, "ours_words_per_s": n_words / ours,
            "spacy_cpu_s": alone, "spacy_words_per_s": n_words / alone, "ratio": alone / ours}


def indexing(docs: list[Any], records: list[dict[str, Any]],
             engines: list[str]) -> dict[str, Any]:
    """Our engine layer (catalogue -> index) vs the engine alone on the same texts."""
    from pipeline.catalogue import Catalogue, Document, Source
    from pipeline.search import rebuild_index

    out: dict[str, Any] = {}
    n_words = sum(words(d.text) for d in docs)
    with tempfile.TemporaryDirectory() as tmp:
        cat = Catalogue.open(Path(tmp))
        cat.conn.execute("PRAGMA synchronous=OFF")
        for i, (doc, record) in enumerate(zip(docs, records)):
            path = f"bench://{i}"
            cat.record_source(Source(path=path, sha256=str(i), size=0, mtime_ns=0, format=doc.format,
                                     status="ok", pipeline_version="bench"),
                              [Document(id=f"d{i}", source_path=path, format=doc.format,
                                        text=doc.text, language=doc.language,
                                        title=record.get("title"), record=record)])
        for engine in engines:
            t0 = time.process_time()
            rebuild_index(Path(tmp), cat, **({"engine": engine} if engine != "whoosh" else {}))
            ours = time.process_time() - t0
            alone = _engine_alone(engine, [d.text for d in docs], Path(tmp) / f"alone-{engine}")
            out[engine] = {"documents": len(docs), "words": n_words, "ours_cpu_s": ours,
                           "ours_words_per_s": n_words / ours, "alone_cpu_s": alone,
                           "alone_words_per_s": n_words / alone, "ratio": alone / ours}
        cat.close()
    return out


def _engine_alone(engine: str, texts: list[str], where: Path) -> float:
    where.mkdir()
    if engine == "whoosh":
        from whoosh import fields, index

        ix = index.create_in(str(where), fields.Schema(id=fields.ID(stored=True),
                                                        body=fields.TEXT(phrase=True)))
        t0 = time.process_time()
        writer = ix.writer(limitmb=128)
        for i, text in enumerate(texts):
            writer.add_document(id=str(i), body=text)
        writer.commit()
        return time.process_time() - t0
    import tantivy

    builder = tantivy.SchemaBuilder()
    builder.add_text_field("id", stored=True, tokenizer_name="raw")
    builder.add_text_field("body", stored=False, index_option="position")
    ix = tantivy.Index(builder.build(), path=str(where))
    t0 = time.process_time()
    writer = ix.writer(heap_size=128_000_000, num_threads=1)
    for i, text in enumerate(texts):
        writer.add_document(tantivy.Document(id=str(i), body=text))
    writer.commit()
    writer.wait_merging_threads()
    return time.process_time() - t0


# -- end to end ------------------------------------------------------------------------------

def _e2e_child(files: list[str], jobs: int, conn) -> None:
    from pipeline.ingest import ingest

    with tempfile.TemporaryDirectory() as tmp:
        t0 = time.perf_counter()
        report = ingest([Path(f) for f in files], Path(tmp), jobs=jobs)
        wall = time.perf_counter() - t0
        own = resource.getrusage(resource.RUSAGE_SELF)
        kids = resource.getrusage(resource.RUSAGE_CHILDREN)
        hwm = vm_hwm_mb()
        conn.send({"jobs": jobs, "wall_s": wall, "ok": report.count("ok"),
                   "failed": report.failed,
                   "coordinator_cpu_s": own.ru_utime + own.ru_stime,
                   "workers_cpu_s": kids.ru_utime + kids.ru_stime,
                   "coordinator_peak_mb": hwm if hwm is not None else own.ru_maxrss / 1024,
                   "largest_worker_peak_mb": kids.ru_maxrss / 1024})


def end_to_end(files: list[Path], jobs: int) -> dict[str, Any]:
    """``ingest`` in a fresh process, so its peak memory and its workers' are this run's."""
    ctx = mp.get_context("spawn")
    parent, child = ctx.Pipe()
    proc = ctx.Process(target=_e2e_child, args=([str(f) for f in files], jobs, child))
    proc.start()
    result = parent.recv()
    proc.join()
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--judgments", type=int, default=60)
    parser.add_argument("--jobs", default="1,2")
    parser.add_argument("--engines", default="whoosh")
    args = parser.parse_args()
    bulk, pdfs = inputs(args.judgments)
    if not bulk:
        raise SystemExit(f"no bulk judgments in {SHARED_CORPORA / 'bulk'}")
    out: dict[str, Any] = {"ceiling": ceiling(), "e2e": []}
    # End to end first, while this process is small: a worker's peak memory is read with
    # ru_maxrss, which Linux carries over from the process that forked it.
    for jobs in (int(j) for j in args.jobs.split(",")):
        out["e2e"].append(end_to_end(bulk + pdfs, jobs))
    ex_bulk, bulk_docs = extraction(bulk)
    ex_pdf, pdf_docs = extraction(pdfs)
    out["extraction"] = {"judgments": ex_bulk, "pdfs": ex_pdf,
                         "pdftotext": pdftotext(pdfs, ex_pdf["pages"])}
    docs = [d for d in bulk_docs + pdf_docs if d.text.strip()]
    out["analysis"], records = analysis(docs)
    out["tagging"] = tagging(docs)
    out["indexing"] = indexing(docs, records, args.engines.split(","))
    total_words = sum(words(d.text) for d in docs)
    for run in out["e2e"]:
        run["words_per_s"] = total_words / run["wall_s"]
        run["docs_per_s"] = run["ok"] / run["wall_s"]
        run["pages_per_s"] = ex_pdf["pages"] / run["wall_s"]
    stages = {"extraction": (ex_bulk["cpu_s"] + ex_pdf["cpu_s"]),
              "analysis": out["analysis"]["cpu_s"],
              "indexing": out["indexing"]["whoosh"]["ours_cpu_s"]}
    slowest = max(stages, key=stages.get)
    out["slowest_stage"] = {"stage": slowest, "cpu_s": stages[slowest],
                            "words_per_s": total_words / stages[slowest]}
    for run in out["e2e"]:
        run["share_of_slowest"] = run["words_per_s"] / out["slowest_stage"]["words_per_s"]
    json.dump(out, sys.stdout, indent=1)
    print()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
