"""Compare the two search engines at scale on synthetic documents: build time, size, latency.

    python -m tools.bench.engines --docs 100000 [--engines whoosh tantivy] [--repeat 5]
                                  [--workdir /tmp/bench-engines] [--out FILE.md]

The real corpora hold about two thousand documents; the question "when is tantivy worth it"
is about corpora fifty times larger. This tool writes N short fictional judgments (English and
Russian words, states, articles, outcomes, courts, dates, one in ten undated, application
numbers citing one another) straight into a catalogue under ``--workdir`` (in /tmp, never in
the project), rebuilds the index from it with each engine (``rebuild_index``, what
``precedents reindex --engine`` runs), and times searches through the public ``search`` method:
parsing, the engine, facets over all hits and the snippets of one page, as the web page asks.

Numbers are reported, never asserted; the machine may be shared, so say so when quoting them.
With ``--workdir`` an earlier catalogue is reused.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

from pipeline.catalogue import Catalogue, Document, Source
from pipeline.search import ENGINES, open_index, rebuild_index

QUERIES = ["", "torture", "пытки", '"police custody"', '"police beaten"~5', "tortur*",
           "torture state:russia article:3", "10042/19", "date:2010..2015 detention"]
EN = ("torture police custody applicant court government violation article detention prison "
      "beaten investigation complaint medical evidence officers effective remedy").split()
RU = "пытки полиция задержание суд жалоба следствие приговор доказательства".split()
STATES = ["Russian Federation", "Turkey", "Ukraine", "Poland", "Georgia", "Moldova"]
COURTS = ["European Court of Human Rights", "Заречный районный суд", "Энский областной суд",
          "Верховный Суд Российской Федерации"]


def make_catalogue(directory: Path, docs: int, seed: int = 1) -> None:
    rnd = random.Random(seed)
    catalogue = Catalogue.open(directory)
    try:
        for start in range(0, docs, 1000):
            batch = []
            for i in range(start, min(docs, start + 1000)):
                russian = i % 4 == 0
                words = [rnd.choice(RU if russian and rnd.random() < 0.7 else EN)
                         for _ in range(rnd.randint(80, 400))]
                article = rnd.choice(["3", "5", "6", "8", "10", "P1-1"])
                number = f"{10000 + i}/19"
                cited = f"{10000 + rnd.randrange(docs)}/19"
                date = (f"{rnd.randint(1999, 2024)}-{rnd.randint(1, 12):02d}-{rnd.randint(1, 28):02d}"
                        if i % 10 else None)
                record = {
                    "title": f"CASE OF APPLICANT{i} v. {rnd.choice(STATES).upper()}",
                    "kind": "ru_ruling" if russian else rnd.choice(["echr_judgment", "echr_decision"]),
                    "date": date, "court": rnd.choice(COURTS),
                    "respondent_states": [] if russian else [rnd.choice(STATES)],
                    "holdings": [] if russian else [{"article": article, "outcome": rnd.choice(
                        ["violation", "no_violation"])}],
                    "own_identifiers": [number], "identifiers": [number, cited],
                    "citations": [{"text": f"no. {cited}", "case_numbers": [cited], "start": 0}],
                }
                text = f"Application no. {number}. See no. {cited}. " + " ".join(words) + "."
                batch.append(Document(id=f"doc-{i}", source_path=f"synthetic/{i}.txt",
                                      format="txt", text=text, language="ru" if russian else "en",
                                      title=record["title"], record=record))
            for doc in batch:
                catalogue.record_source(Source(path=doc.source_path, sha256=None, size=None,
                                               mtime_ns=None, format="txt", status="ok"), [doc])
    finally:
        catalogue.close()


def size_mb(path: Path) -> float:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file()) / 1e6


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--docs", type=int, default=20_000)
    parser.add_argument("--engines", nargs="+", choices=ENGINES, default=list(ENGINES))
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--workdir", type=Path)
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()
    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="bench-engines-"))
    index = workdir / "index"
    if not (index / "catalogue.sqlite").is_file():
        started = time.perf_counter()
        make_catalogue(index, args.docs)
        print(f"catalogue of {args.docs} documents: {time.perf_counter() - started:.0f} s",
              file=sys.stderr)
    lines = [f"{args.docs:,} synthetic documents (80-400 words each), {args.repeat} runs per "
             "query; search = parse + engine + facets over all hits + 10 snippets", "",
             "| engine | rebuild | index size | query | sort | total | p50 ms | max ms |",
             "|---|---|---|---|---|---|---|---|"]
    for engine in args.engines:
        catalogue = Catalogue.open(index)
        try:
            started = time.perf_counter()
            rebuild_index(index, catalogue, engine=engine)
            built = time.perf_counter() - started
            size = size_mb(index / engine)
            opened = open_index(index, catalogue, readonly=True)
            for query in QUERIES:
                for sort in ("relevance", "newest"):
                    times, total = [], 0
                    for _ in range(args.repeat):
                        t = time.perf_counter()
                        total = opened.search(query, catalogue, sort=sort, facets=True,
                                              filters=["kind:echr_judgment OR kind:echr_decision "
                                                       "OR kind:ru_ruling"] if not query else [],
                                              ).total
                        times.append((time.perf_counter() - t) * 1000)
                    lines.append(f"| {engine} | {built:.0f} s | {size:.0f} MB | `{query or '(all)'}` "
                                 f"| {sort} | {total} | {statistics.median(times):.0f} "
                                 f"| {max(times):.0f} |")
                    print(lines[-1], file=sys.stderr)
        finally:
            catalogue.close()
    text = "\n".join(lines) + "\n"
    if args.out:
        args.out.write_text(text, encoding="utf-8")
    print(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
