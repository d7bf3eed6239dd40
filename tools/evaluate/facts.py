"""Fact-pattern queries: the facts of one judgment as the query, judgments on the same violation
as the answers, per way of ranking documents over the query's passages.

The queries are the bulk judgments' own statements of facts (the ``facts`` section of the
record: "THE FACTS", "EN FAIT"), cut to ``MAX_QUERY_WORDS`` words and kept when they have at
least ``MIN_QUERY_WORDS``: a lawyer's description of a case is of that kind and length, and
French judgments give French queries against a mostly English corpus. A judgment answers a query
when HUDOC's conclusions (``tools.evaluate.relevance``) record a violation of an article the
query judgment was also found to violate (Article 41 aside); the query judgment itself and any
other text of the same application (a translation) are left out of its results. The same
articles are a loose notion of "the same case", so the share of relevant judgments among all
(``base rate``) is given beside P@10: a ranking is worth what it adds to it.

Each query is embedded once (``facts.fact_passages``) and every aggregate of
``facts.AGGREGATES`` ranks the same scores, so they are compared on equal terms.
"""

from __future__ import annotations

import os
import statistics
import tempfile
import time
from contextlib import ExitStack
from pathlib import Path
from typing import Any

import numpy as np

from pipeline.catalogue import CATALOGUE_FILE, Catalogue
from pipeline.ingest import ingest
from pipeline.search.meaning.embed import embed_texts
from pipeline.search.meaning.facts import AGGREGATES, DEFAULT_AGGREGATE, fact_passages
from pipeline.search.meaning.fuse import _layer
from tools.evaluate.relevance import conclusion_items
from tools.evaluate.retrieval import BULK, INDEX_ENV, K, _doc_items, judgment_records

__all__ = ["evaluate"]

MIN_QUERY_WORDS = 300
MAX_QUERY_WORDS = 1500
#: Queries at most per language (every n-th judgment, in item-id order, to spread the years).
PER_LANGUAGE = 25


def violated(record: dict[str, Any]) -> frozenset[str]:
    """The article-level keys HUDOC records a violation of (just satisfaction aside)."""
    return frozenset(f.article for f in conclusion_items(record.get("conclusion", ""))
                     if f.outcome == "violation" and f.article != "41")


def _queries(catalogue: Catalogue, items: dict[str, str], records: dict[str, dict[str, Any]]
             ) -> list[tuple[str, str, str]]:
    """(doc id, language, facts cut to MAX_QUERY_WORDS) of judgments with a violation and a
    long enough statement of facts, at most PER_LANGUAGE per language."""
    found: dict[str, list[tuple[str, str, str]]] = {}
    docs = catalogue.documents(sorted(items), without=("entities", "citations"))
    for doc_id in sorted(items, key=items.get):  # type: ignore[arg-type]
        doc = docs.get(doc_id)
        if doc is None or not doc.record or not violated(records[items[doc_id]]):
            continue
        facts = [s for s in doc.record["sections"] if s.get("name") == "facts"]
        if not facts:
            continue
        words = doc.text[int(facts[0]["start"]):int(facts[0]["end"])].split()
        if len(words) < MIN_QUERY_WORDS:
            continue
        found.setdefault(doc.language or "?", []).append(
            (doc_id, doc.language or "?", " ".join(words[:MAX_QUERY_WORDS])))
    out = []
    for chosen in found.values():
        step = max(1, len(chosen) // PER_LANGUAGE)
        out += chosen[::step][:PER_LANGUAGE]
    return out


def evaluate(corpora: Path, *, index: Path | None = None) -> tuple[str, dict[str, float]]:
    """The Markdown section of ``make eval`` and its headline numbers."""
    if not (corpora / BULK).is_dir():
        return f"## Fact-pattern queries\n\nNot measured: `{BULK}` not found under {corpora}.\n", {}
    by_path = judgment_records(corpora)
    records = {r["itemid"]: r for r in by_path.values()}
    chosen = index or (Path(os.environ[INDEX_ENV]) if os.environ.get(INDEX_ENV) else None)
    with ExitStack() as stack:
        if chosen is None:
            chosen = Path(stack.enter_context(
                tempfile.TemporaryDirectory(prefix="precedents-facts-"))) / "index"
        if not (chosen / CATALOGUE_FILE).exists() or not (chosen / "meaning").is_dir():
            ingest(list(by_path), chosen, jobs=os.cpu_count() or 1, meaning=True)
        items = _doc_items(chosen, by_path)
        catalogue = Catalogue.open(chosen, readonly=True)
        stack.callback(catalogue.close)
        queries = _queries(catalogue, items, records)
        layer = _layer(chosen)
        return _measure(layer, queries, items, records)


def _measure(layer, queries, items, records) -> tuple[str, dict[str, float]]:
    from pipeline.search.meaning.facts import doc_scores

    names = list(AGGREGATES)
    p10: dict[tuple[str, str], list[float]] = {}
    base: dict[str, list[float]] = {}
    other_language: dict[str, list[float]] = {}
    seconds: list[float] = []
    passages: list[int] = []
    for doc_id, language, text in queries:
        query = records[items[doc_id]]
        wanted = violated(query)
        same_case = {d for d, item in items.items() if d == doc_id or
                     records[item].get("app_no") == query.get("app_no")}
        began = time.perf_counter()
        pieces = fact_passages(text)
        scores, _, _ = doc_scores(layer, embed_texts(pieces), None, names)
        seconds.append(time.perf_counter() - began)
        passages.append(len(pieces))
        judged = [i for i, d in enumerate(layer.ids) if d in items and d not in same_case]
        relevant = {layer.ids[i] for i in judged if violated(records[items[layer.ids[i]]]) & wanted}
        base.setdefault(language, []).append(len(relevant) / max(len(judged), 1))
        for name in names:
            score = scores[name][judged]
            top = [layer.ids[judged[i]] for i in np.argsort(-score, kind="stable")[:K]]
            p10.setdefault((name, language), []).append(sum(d in relevant for d in top) / K)
            if name == DEFAULT_AGGREGATE:
                langs = [records[items[d]].get("language") for d in top]
                mine = "ENG" if language == "en" else "FRE"
                other_language.setdefault(language, []).append(
                    sum(lang != mine for lang in langs) / K)
    languages = sorted({lang for _, lang in p10})
    counts = {lang: sum(1 for q in queries if q[1] == lang) for lang in languages}
    numbers: dict[str, float] = {}
    lines = ["## Fact-pattern queries (a judgment's facts as the query)\n",
             f"{len(queries)} queries: the statement of facts of bulk judgments with a violation "
             f"({', '.join(f'{counts[lang]} {lang}' for lang in languages)}), cut to "
             f"{MIN_QUERY_WORDS}-{MAX_QUERY_WORDS} words, against the meaning layer of the "
             f"{len(items)} bulk judgments (`tools/evaluate/facts.py`). Relevant: a judgment "
             "where HUDOC records a violation of an article the query's judgment violated too; "
             "the query's own application is left out. Aggregates rank a document over the "
             "query's passages (~64 words each) by its best paragraph's cosine to each: `mean` "
             "(mean over passages), `max` (best single pair), `top3` (mean of the 3 best "
             "passages), `above` (sum of what clears 0.3), `centroid` (one vector, the mean of "
             "the passages').\n",
             "| aggregate | " + " | ".join(f"P@10 {lang}" for lang in languages) + " | P@10 all |",
             "|---|" + "---:|" * (len(languages) + 1)]
    for name in names:
        cells = [statistics.fmean(p10[(name, lang)]) for lang in languages]
        every = statistics.fmean(v for lang in languages for v in p10[(name, lang)])
        numbers[f"P@10 ({name})"] = every
        mark = " (default)" if name == DEFAULT_AGGREGATE else ""
        lines.append(f"| {name}{mark} | " + " | ".join(f"{c:.2f}" for c in cells)
                     + f" | {every:.2f} |")
    lines.append("| base rate (share relevant) | " + " | ".join(
        f"{statistics.fmean(base[lang]):.2f}" for lang in languages)
        + f" | {statistics.fmean(v for lang in languages for v in base[lang]):.2f} |")
    lines.append("")
    lines.append("Hits of the default aggregate in the other language (French queries mostly "
                 "find English judgments): " + ", ".join(
                     f"{lang} {statistics.fmean(other_language[lang]):.2f}" for lang in languages)
                 + f". Passages per query: median {statistics.median(passages):.0f}; "
                 f"embedding and ranking: median {statistics.median(seconds) * 1000:.0f} ms, "
                 f"max {max(seconds) * 1000:.0f} ms per query.\n")
    return "\n".join(lines) + "\n", numbers


if __name__ == "__main__":
    import argparse

    from tools.paths import SHARED_CORPORA

    parser = argparse.ArgumentParser(prog="python -m tools.evaluate.facts",
                                     description=__doc__.split("\n")[0])
    parser.add_argument("--corpora", type=Path, default=SHARED_CORPORA)
    parser.add_argument("--index", type=Path, help=f"index with a meaning layer to reuse "
                                                   f"(or ${INDEX_ENV})")
    print(evaluate(parser.parse_args().corpora, index=parser.parse_args().index)[0])
