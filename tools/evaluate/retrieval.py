"""Cross-lingual retrieval: Russian and French descriptions of legal issues against ECHR judgments.

The corpus is the judgments of ``../shared/corpora/bulk`` (HUDOC records in English and French;
decisions left out, since their conclusions name no issue), ingested in place into one index.
The queries are tests/gold/retrieval_queries.json: per concept, a Russian and a French query in a
lawyer's words and short English keywords for reference. Which judgments answer a concept is
read from HUDOC's own conclusions (``tools.evaluate.relevance``), never from our search.

Every query runs through ``pipeline.search.search`` in each mode the search offers: ``words``
always; ``meaning`` and ``both`` when ``search`` takes ``mode=``; query expansion when it takes
``expand=`` (looked up with ``inspect.signature``, so this section measures whatever search is
there). Scores over the first 10 hits: **P@10** (share with grade >= 1) and **nDCG@10** (gain =
grade, 2 for a violation found on the issue, 1 for an issue examined without violation; ideal
ranking from all graded judgments). Targets: the mean P@10 of Russian and French queries, in
each mode, is at least 0.8x that of the English keyword reference, i.e. the English queries in
``words`` mode (``REFERENCE``: what a lawyer typing English keywords gets today, the same yardstick
for every mode); English in ``both`` is no worse than in ``words``.

The judgments are ingested with the meaning layer (``ingest(meaning=True)``), so every mode
runs. Ingest of the ~350 judgments takes minutes on 2 cores: give an index folder to keep and reuse
(``--index DIR`` or ``PRECEDENTS_EVAL_RETRIEVAL_INDEX``); the ingest is incremental, so a kept
index is only brought up to date. Hits that are not judgments of this corpus (a reused index
holding more) are skipped, and the next ones move up.
"""

from __future__ import annotations

import inspect
import json
import math
import os
import statistics
import tempfile
import time
from collections.abc import Callable, Mapping, Sequence
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pipeline.catalogue import CATALOGUE_FILE, Catalogue
from pipeline.errors import PipelineError
from pipeline.ingest import ingest
from pipeline.search import search
from tools.evaluate.relevance import JUDGMENT_TYPES, Predicate, grades, parse_clauses
from tools.paths import GOLD

__all__ = ["BULK", "GOLD_FILE", "K", "LANGUAGES", "Concept", "evaluate", "load_gold", "ndcg_at",
           "precision_at", "runs_for"]

GOLD_FILE = GOLD / "retrieval_queries.json"
BULK = "bulk/echr_roma_watch_json"
INDEX_ENV = "PRECEDENTS_EVAL_RETRIEVAL_INDEX"
K = 10
#: Query languages, in report order: the two a lawyer writes, then the English reference.
LANGUAGES = ("ru", "fr", "en")
_QUERY_KEYS = {"ru": "query_ru", "fr": "query_fr", "en": "query_en_reference"}
#: The run whose English P@10 every run's Russian and French P@10 is measured against.
REFERENCE = "words"
#: Hits asked for, so that K judged hits remain after skipping documents of other corpora.
_DEPTH = 30


@dataclass(frozen=True)
class Concept:
    """One legal issue: its queries by language and which judgments answer it."""

    id: str
    concept: str
    queries: Mapping[str, str]
    predicate: Predicate


def load_gold(path: Path = GOLD_FILE) -> list[Concept]:
    """The concepts of the gold file, in its order."""
    data = json.loads(path.read_text(encoding="utf-8"))
    return [Concept(c["id"], c["concept"], {lang: c[key] for lang, key in _QUERY_KEYS.items()},
                    parse_clauses(c["relevance"])) for c in data["concepts"]]


def precision_at(ranking: Sequence[str], qrels: Mapping[str, int], k: int = K) -> float:
    """Share of the first ``k`` ranks holding a relevant document (a short list counts its
    missing ranks as misses, so returning nothing scores 0)."""
    return sum(1 for doc in ranking[:k] if qrels.get(doc, 0) > 0) / k


def ndcg_at(ranking: Sequence[str], qrels: Mapping[str, int], k: int = K) -> float:
    """DCG of the first ``k`` ranks (gain = grade, discount log2(rank + 1)) over the DCG of the
    ideal ranking of all graded documents; 0 when nothing is relevant."""
    def dcg(gains: Sequence[int]) -> float:
        return sum(g / math.log2(rank + 2) for rank, g in enumerate(gains[:k]))

    ideal = dcg(sorted((g for g in qrels.values() if g > 0), reverse=True))
    return dcg([qrels.get(doc, 0) for doc in ranking]) / ideal if ideal else 0.0


@dataclass(frozen=True)
class Run:
    """One way of searching: a label for the report and the keyword arguments given to search."""

    label: str
    kwargs: Mapping[str, Any] = field(default_factory=dict)


def runs_for(search: Callable[..., Any]) -> list[Run]:
    """The runs ``search`` supports: ``words`` always (without expansion where expansion can be
    switched off, so it stays the plain word search), then expansion, meaning and both."""
    params = inspect.signature(search).parameters
    has_mode, has_expand = "mode" in params, "expand" in params
    words: dict[str, Any] = {"mode": "words"} if has_mode else {}
    runs = [Run("words", {**words, **({"expand": False} if has_expand else {})})]
    if has_expand:
        runs.append(Run("words+expand", {**words, "expand": True}))
    if has_mode:
        runs.append(Run("meaning", {"mode": "meaning"}))
        runs.append(Run("both", {"mode": "both", **({"expand": True} if has_expand else {})}))
    return runs


def judgment_records(corpora: Path) -> dict[Path, dict[str, Any]]:
    """file -> HUDOC metadata (without the text) of the bulk judgments that have a text."""
    out: dict[Path, dict[str, Any]] = {}
    for path in sorted((corpora / BULK).glob("*.json")):
        record = json.loads(path.read_text(encoding="utf-8"))
        if record.get("doc_type") in JUDGMENT_TYPES and (record.get("full_text") or "").strip():
            record.pop("full_text", None)
            out[path.resolve()] = record
    return out


def _doc_items(index: Path, records: Mapping[Path, Mapping[str, Any]]) -> dict[str, str]:
    """shown document id -> HUDOC item id, for the judgments of the corpus."""
    cat = Catalogue.open(index, readonly=True)
    try:
        merged = cat.merged_into()
        return {merged.get(d.id, d.id): record["itemid"] for path, record in records.items()
                for d in cat.documents_for_path(str(path))}
    finally:
        cat.close()


@dataclass
class Scores:
    """Per (run, language): the P@10 and nDCG@10 of each concept, and the query times."""

    p10: dict[tuple[str, str], dict[str, float]] = field(default_factory=dict)
    ndcg: dict[tuple[str, str], dict[str, float]] = field(default_factory=dict)
    seconds: dict[str, list[float]] = field(default_factory=dict)
    failed: dict[str, str] = field(default_factory=dict)  # run -> why it could not run
    errors: list[str] = field(default_factory=list)       # queries refused


def run_queries(search: Callable[..., Any], index: Path, catalogue: Any, concepts: Sequence[Concept],
                qrels: Mapping[str, Mapping[str, int]], items: Mapping[str, str]) -> Scores:
    """Every query of every concept in every run ``search`` (``pipeline.search.search``)
    supports; ``items`` maps the index's document ids to HUDOC item ids."""
    scores = Scores()
    for run in runs_for(search):
        try:
            search(index, catalogue, concepts[0].queries["en"], limit=1, **run.kwargs)
        except PipelineError as exc:  # e.g. an index without the meaning layer
            scores.failed[run.label] = str(exc).splitlines()[0]
            continue
        for concept in concepts:
            for lang in LANGUAGES:
                began = time.perf_counter()
                try:
                    hits = search(index, catalogue, concept.queries[lang], limit=_DEPTH, **run.kwargs).hits
                except PipelineError as exc:
                    scores.errors.append(f"{concept.id} ({lang}, {run.label}): {exc}")
                    hits = []
                scores.seconds.setdefault(run.label, []).append(time.perf_counter() - began)
                ranking = [items[h.id] for h in hits if h.id in items][:K]
                rel = qrels[concept.id]
                scores.p10.setdefault((run.label, lang), {})[concept.id] = precision_at(ranking, rel)
                scores.ndcg.setdefault((run.label, lang), {})[concept.id] = ndcg_at(ranking, rel)
    return scores


def _mean(values: Mapping[str, float]) -> float:
    return statistics.fmean(values.values()) if values else 0.0


def _report(concepts: Sequence[Concept], qrels: Mapping[str, Mapping[str, int]], scores: Scores,
            judgments: int, english: int, ingest_seconds: float | None) -> tuple[str, dict[str, float]]:
    runs = [r for r in dict.fromkeys(label for label, _ in scores.p10)]
    numbers: dict[str, float] = {}
    lines = ["## Cross-lingual retrieval (ECHR judgments, queries in Russian and French)\n",
             f"{len(concepts)} legal issues, each asked in Russian and in French as a lawyer "
             f"describes it, and as English keywords for reference (`tests/gold/retrieval_queries.json`), "
             f"against the {judgments} judgments of `../shared/corpora/{BULK}` ({english} English, "
             f"{judgments - english} French"
             + (f"; ingested in {ingest_seconds:.0f} s" if ingest_seconds is not None else "; index reused")
             + "). Relevance is read from HUDOC's conclusions of each judgment "
             "(`tools/evaluate/relevance.py`): grade 2 for a violation on the issue, 1 for the issue "
             "examined without violation. P@10 counts grades >= 1; nDCG@10 has gain = grade.\n",
             "| mode | P@10 ru | P@10 fr | P@10 en | nDCG@10 ru | nDCG@10 fr | nDCG@10 en | "
             f"ru+fr vs 0.8 x en ({REFERENCE}) | query ms (median) |",
             "|---|---:|---:|---:|---:|---:|---:|---|---:|"]
    reference = _mean(scores.p10.get((REFERENCE, "en"), {}))
    for run in runs:
        p = {lang: _mean(scores.p10[(run, lang)]) for lang in LANGUAGES}
        n = {lang: _mean(scores.ndcg[(run, lang)]) for lang in LANGUAGES}
        cross = (p["ru"] + p["fr"]) / 2
        ratio = cross / reference if reference else 0.0
        verdict = f"{ratio:.2f}x: {'met' if ratio >= 0.8 else 'not met'}"
        ms = statistics.median(scores.seconds[run]) * 1000
        lines.append(f"| {run} | {p['ru']:.2f} | {p['fr']:.2f} | {p['en']:.2f} | {n['ru']:.2f} | "
                     f"{n['fr']:.2f} | {n['en']:.2f} | {verdict} | {ms:.0f} |")
        for lang in LANGUAGES:
            numbers[f"P@10 {lang} ({run})"] = p[lang]
            numbers[f"nDCG@10 {lang} ({run})"] = n[lang]
        numbers[f"ru+fr P@10 / en {REFERENCE} P@10 ({run})"] = ratio
    for run, why in scores.failed.items():
        lines.append(f"| {run} | not run: {why} | | | | | | | |")
    lines.append("")
    lines.append(f"The last but one column is each mode's mean Russian and French P@10 over the English "
                 f"keyword reference, English queries in `{REFERENCE}` mode (P@10 {reference:.2f}).\n")
    if "both" in runs:
        en_both, en_words = numbers["P@10 en (both)"], numbers["P@10 en (words)"]
        lines.append(f"English in `both` vs `words`: P@10 {en_both:.2f} vs {en_words:.2f} "
                     f"({'met' if en_both >= en_words else 'not met'}: no worse).\n")
    else:
        lines.append("Search takes no `mode=`: only the word index was measured; `meaning` and "
                     "`both` (and the English `both` vs `words` target) are measured once it does.\n")
    lines += ["P@10 by half of the gold file (A: issues 1, 3, 5, ... in its order; B: 2, 4, ...), "
              "ru / fr / en: a ranking change is tuned on A and kept only if B gains too.\n",
              "| mode | A | B |", "|---|---|---|"]
    for run in runs:
        halves = [" / ".join(f"{_mean({c.id: scores.p10[(run, lang)][c.id] for c in concepts[h::2]}):.2f}"
                             for lang in LANGUAGES) for h in (0, 1)]
        lines.append(f"| {run} | {halves[0]} | {halves[1]} |")
    lines.append("")
    lines += ["P@10 per issue (ru / fr / en), with the number of relevant judgments "
              "(violations found):\n",
              "| issue | relevant | " + " | ".join(runs) + " |",
              "|---|---:|" + "---|" * len(runs)]
    for c in concepts:
        rel = qrels[c.id]
        cells = [" / ".join(f"{scores.p10[(run, lang)][c.id]:.1f}" for lang in LANGUAGES) for run in runs]
        lines.append(f"| {c.concept} | {len(rel)} ({sum(1 for g in rel.values() if g == 2)}) | "
                     + " | ".join(cells) + " |")
    if scores.errors:
        lines.append(f"\nQueries refused ({len(scores.errors)}): " + "; ".join(scores.errors[:5]))
    return "\n".join(lines) + "\n", numbers


def evaluate(corpora: Path, *, index: Path | None = None, jobs: int | None = None,
             reuse: bool = False) -> tuple[str, dict[str, float]]:
    """The Markdown section of ``make eval`` and its headline numbers. ``reuse`` searches
    ``index`` as it is, without the ingest that brings it up to date (an index built by an
    older pipeline version would otherwise be parsed again whole)."""
    if not (corpora / BULK).is_dir():
        return ("## Cross-lingual retrieval\n\nNot measured: "
                f"`{BULK}` not found under {corpora}.\n", {})
    concepts = load_gold()
    records = judgment_records(corpora)
    qrels = {c.id: grades(c.predicate, records.values()) for c in concepts}
    english = sum(1 for r in records.values() if r.get("language") == "ENG")
    chosen = index or (Path(os.environ[INDEX_ENV]) if os.environ.get(INDEX_ENV) else None)
    with ExitStack() as stack:
        if chosen is None:
            chosen = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="precedents-retrieval-"))) / "index"
        fresh = not (chosen / CATALOGUE_FILE).exists()
        if reuse and fresh:
            raise PipelineError(f"{chosen}: no index to reuse")
        began = time.perf_counter()
        if not reuse:
            ingest(list(records), chosen, jobs=jobs or os.cpu_count() or 1, meaning=True)
        ingest_seconds = time.perf_counter() - began if fresh else None
        items = _doc_items(chosen, records)
        cat = Catalogue.open(chosen, readonly=True)
        stack.callback(cat.close)
        scores = run_queries(search, chosen, cat, concepts, qrels, items)
    section, numbers = _report(concepts, qrels, scores, len(records), english, ingest_seconds)
    if missing := sorted(r["itemid"] for r in records.values() if r["itemid"] not in set(items.values())):
        section += (f"\nJudgments not in the index ({len(missing)}, never retrieved, still counted "
                    f"as relevant): {', '.join(missing[:10])}.\n")
    return section, numbers


if __name__ == "__main__":
    import argparse

    from tools.paths import SHARED_CORPORA

    parser = argparse.ArgumentParser(prog="python -m tools.evaluate.retrieval", description=__doc__.split("\n")[0])
    parser.add_argument("--corpora", type=Path, default=SHARED_CORPORA, help="the shared corpora folder")
    parser.add_argument("--index", type=Path, help=f"index folder to build once and reuse (or ${INDEX_ENV})")
    parser.add_argument("--no-ingest", action="store_true",
                        help="search the --index as it is, without bringing it up to date first")
    args = parser.parse_args()
    print(evaluate(args.corpora, index=args.index, reuse=args.no_ingest)[0])
