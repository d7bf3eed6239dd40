"""How right the statistics' outcome counts are: the outcome per article against HUDOC's own metadata.

The statistics (``pipeline/stats/compute.py``) count a Strasbourg ruling under an article by what
the parser read in its operative part: ``_held_on(facts, [article])``, then ``_outcome_of``. The
gold here is not our parser: it is what HUDOC says of each bulk judgment of
``../shared/corpora/bulk`` (``violation`` and ``nonviolation``, semicolon-separated provision
codes, and the findings of its ``conclusion``, which name the Protocol articles the two fields
sometimes leave out). Each judgment is read as ingest reads it (``extract_file`` +
``records.structure``; no NER, which holdings do not use), and its ``Facts`` made as the catalogue
makes them.

One pair per (judgment file, article HUDOC rules on), at the level a statistic is asked about
(``article:3``):

* a provision counts under its article: ``6-1`` under 6, ``P1-1-2`` under P1-1;
* a combination counts under each side, as the statistics' ``_about`` does (a ``14+3``
  holding is about 3 and about 14) and as HUDOC's fields do (they list ``14+3;14;3``);
* HUDOC's outcome is ``violation`` where any of its violations is under the article, else
  ``no_violation`` (a substantive violation and a procedural non-violation of Article 3 read
  as a violation: the statistics give a violation precedence too);
* the statistics' outcome is ``_outcome_of(_held_on(facts, [article]))`` for a document the
  statistics count as a Strasbourg ruling, None (not read) otherwise. A pair not read is left
  out of a statistic, not counted wrong: its rate is reported apart, and recall is given both
  over the pairs read and over all.

Precision and recall are of the two columns a lawyer reads (violation, no violation); the Article
3 chart compares rulings counted once (copies of one judgment merged, as the statistics merge
them; HUDOC's copies grouped by application numbers and date) per year.
"""

from __future__ import annotations

import sys
import time
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, cast

from pipeline.extract import extract_file
from pipeline.facts import Facts, facts_of
from pipeline.models import StoredRecord
from pipeline.records import structure
from pipeline.stats.compute import ECHR_RULINGS, _held_on, _one_per_ruling, _outcome_of, _ruling_key
from tools.evaluate.echr_eras import article_key
from tools.evaluate.relevance import conclusion_items
from tools.evaluate.retrieval import BULK, judgment_records

__all__ = ["Pair", "Score", "article_heads", "evaluate", "hudoc_outcomes", "score",
           "stats_outcome"]

#: The article of the issue's example chart (violations of Article 3 per year).
CHART_ARTICLE = "3"
#: Disagreements listed in the report, at most.
SHOWN = 12
#: Seconds between progress lines on stderr.
PROGRESS_EVERY = 10.0
#: The statistics' columns, in the order the confusion table shows them; None is "not read".
STATS_COLUMNS: tuple[str | None, ...] = ("violation", "no_violation", "inadmissible", "other", None)


def article_heads(codes: Iterable[str]) -> set[str]:
    """The articles HUDOC provision codes rule on, as the statistics' focus names them
    (lower case): each side of a combination, a paragraph under its article.

    >>> sorted(article_heads(["6-1", "14+3", "P1-1-2", "13+P4-2", ""]))
    ['13', '14', '3', '6', 'p1-1', 'p4-2']
    """
    return {side.lower() for code in codes if code.strip()
            for side in article_key(code).split("+") if side}


def hudoc_outcomes(record: Mapping[str, Any]) -> dict[str, str]:
    """article -> ``violation`` | ``no_violation``, by HUDOC's ``violation`` and
    ``nonviolation`` fields and its conclusion's findings; a violation wins.

    >>> hudoc_outcomes({"violation": "3", "nonviolation": "14+3;14;3;13",
    ...                 "conclusion": "Violation of Article 1 of Protocol No. 1"})
    {'13': 'no_violation', '14': 'no_violation', '3': 'violation', 'p1-1': 'violation'}
    """
    found = conclusion_items(str(record.get("conclusion") or ""))
    violated = article_heads(str(record.get("violation") or "").split(";"))
    violated |= article_heads(f.article for f in found if f.outcome == "violation")
    examined = article_heads(str(record.get("nonviolation") or "").split(";"))
    examined |= article_heads(f.article for f in found if f.outcome == "no_violation")
    return {a: "violation" if a in violated else "no_violation"
            for a in sorted(violated | examined)}


def stats_outcome(facts: Facts, article: str) -> str | None:
    """What the statistics count ``facts`` as on ``article`` (None: left out as not read)."""
    if facts.kind not in ECHR_RULINGS:
        return None
    return _outcome_of(_held_on(facts, [article]))


@dataclass(frozen=True)
class Pair:
    """One judgment file and one article HUDOC rules on: HUDOC's outcome and the statistics'."""

    item: str
    article: str
    hudoc: str
    stats: str | None


@dataclass
class Score:
    """Agreement of the statistics with HUDOC over pairs (see the module)."""

    pairs: int = 0
    read: int = 0
    agree: int = 0
    confusion: Counter = field(default_factory=Counter)  # (hudoc, stats) -> pairs

    def count(self, hudoc: str | None = None, stats: str | None | bool = True) -> int:
        return sum(n for (h, s), n in self.confusion.items()
                   if (hudoc is None or h == hudoc) and (stats is True or s == stats))

    def precision(self, outcome: str) -> float | None:
        said = sum(n for (_, s), n in self.confusion.items() if s == outcome)
        return self.confusion[(outcome, outcome)] / said if said else None

    def recall(self, outcome: str, *, of_read: bool = True) -> float | None:
        """Of HUDOC's ``outcome`` pairs (those the statistics read, or all), the share the
        statistics count as ``outcome``."""
        want = self.count(outcome) - (self.count(outcome, None) if of_read else 0)
        return self.confusion[(outcome, outcome)] / want if want else None

    @property
    def not_read(self) -> int:
        return self.pairs - self.read


def score(pairs: Iterable[Pair]) -> Score:
    """Count the pairs; agreement is over the pairs the statistics read.

    >>> s = score([Pair("a", "3", "violation", "violation"), Pair("a", "13", "no_violation", None)])
    >>> (s.pairs, s.read, s.agree, s.precision("violation"), s.recall("no_violation"))
    (2, 1, 1, 1.0, None)
    """
    s = Score()
    for p in pairs:
        s.pairs += 1
        s.confusion[(p.hudoc, p.stats)] += 1
        if p.stats is not None:
            s.read += 1
            s.agree += p.stats == p.hudoc
    return s


def facts_for(path: Path) -> Facts:
    """The facts of a bulk record, read as ingest reads it (its first record), without NER."""
    doc = extract_file(path)[0]
    judgment = structure(doc)
    record = cast(StoredRecord, asdict(judgment))
    return facts_of(str(doc.meta.get("itemid") or path.stem), record, language=doc.language)


def _hudoc_ruling(record: Mapping[str, Any]) -> tuple:
    """What makes two HUDOC records one ruling: their application numbers and date."""
    numbers = tuple(sorted({n.strip() for n in str(record.get("app_no") or "").split(";")
                            if n.strip()}))
    return (numbers or (record.get("itemid"),), record.get("date"))


def _read_all(records: Mapping[Path, Mapping[str, Any]]) -> tuple[dict[str, Facts], list[str]]:
    """item -> facts of every judgment, and the items that could not be read; progress on
    stderr every ``PROGRESS_EVERY`` seconds."""
    facts: dict[str, Facts] = {}
    failed: list[str] = []
    started = last = time.perf_counter()
    for done, (path, record) in enumerate(records.items(), 1):
        item = str(record.get("itemid") or path.stem)
        try:
            facts[item] = facts_for(path)
        except Exception as exc:  # noqa: BLE001 - one unreadable file must not hide the others
            failed.append(f"{item} ({type(exc).__name__})")
        now = time.perf_counter()
        if now - last >= PROGRESS_EVERY:
            print(f"stats: {done}/{len(records)} judgments read, {now - started:.0f} s",
                  file=sys.stderr, flush=True)
            last = now
    return facts, failed


def _pct(x: float | None) -> str:
    return "-" if x is None else f"{x:.3f}"


def _held(facts: Facts, article: str) -> str:
    """The holdings the statistics see on ``article``, as codes and outcomes (no text)."""
    held = _held_on(facts, [article])
    return ", ".join(f"{a or 'whole'}: {o}" for a, o in held) or "none"


def _chart(records: Mapping[Path, Mapping[str, Any]], facts: Mapping[str, Facts]
           ) -> tuple[list[str], dict[str, list[int]], tuple[int, int, int, int, int]]:
    """Article 3 violations per year, each ruling once: rows (year | HUDOC | stats | both),
    per-year counts, and the rulings of several files: (HUDOC's, their files, the statistics',
    their files, HUDOC's the statistics merge exactly)."""
    hudoc_groups: dict[tuple, list[Mapping[str, Any]]] = defaultdict(list)
    for record in records.values():
        hudoc_groups[_hudoc_ruling(record)].append(record)
    hudoc_rulings: dict[tuple, tuple[str, set[str]]] = {}  # ruling -> (year, its items)
    for key, group in hudoc_groups.items():
        if any(hudoc_outcomes(r).get(CHART_ARTICLE) == "violation" for r in group):
            hudoc_rulings[key] = (str(group[0].get("date") or "")[:4],
                                  {str(r.get("itemid")) for r in group})
    stats_groups: dict[tuple, list[Facts]] = defaultdict(list)
    alone: list[Facts] = []
    for f in facts.values():
        ruling = _ruling_key(f)
        (stats_groups[ruling] if ruling is not None else alone).append(f)
    stats_rulings: list[tuple[str, set[str]]] = []
    for copies in [*stats_groups.values(), *([f] for f in alone)]:
        # The statistics keep one document per ruling (the Court's language first) and count
        # what was read in that one.
        kept = _one_per_ruling(copies)[0][0]
        if stats_outcome(kept, CHART_ARTICLE) == "violation" and kept.year:
            stats_rulings.append((str(kept.year), {f.id for f in copies}))
    years: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
    for year, _ in hudoc_rulings.values():
        years[year][0] += 1
    for year, items in stats_rulings:
        years[year][1] += 1
        if any(items & h_items and h_year == year for h_year, h_items in hudoc_rulings.values()):
            years[year][2] += 1
    rows = [f"| {y} | {h} | {s} | {b} |" for y, (h, s, b) in sorted(years.items())]
    total = [sum(v[i] for v in years.values()) for i in range(3)]
    rows.append(f"| all | {total[0]} | {total[1]} | {total[2]} |")
    multi = [{str(r.get("itemid")) for r in g} for g in hudoc_groups.values() if len(g) > 1]
    merged = [{f.id for f in g} for g in stats_groups.values() if len(g) > 1]
    same = sum(1 for g in multi if g in merged)
    return rows, dict(years), (len(multi), sum(map(len, multi)), len(merged),
                               sum(map(len, merged)), same)


def evaluate(corpora: Path, *, records: Mapping[Path, Mapping[str, Any]] | None = None
             ) -> tuple[str, dict[str, float]]:
    """The Markdown section of ``make eval`` and its headline numbers; ``records`` (file ->
    HUDOC metadata) restricts it to some judgments (all bulk judgments with a text by default)."""
    title = "## Statistics: outcomes per article against HUDOC"
    if records is None:
        if not (corpora / BULK).is_dir():
            return f"{title}\n\nNot measured: `{BULK}` not found under {corpora}.\n", {}
        records = judgment_records(corpora)
    started = time.perf_counter()
    facts, failed = _read_all(records)
    seconds = time.perf_counter() - started
    pairs: list[Pair] = []
    not_ruling = 0
    for path, record in records.items():
        item = str(record.get("itemid") or path.stem)
        f = facts.get(item)
        if f is not None and f.kind not in ECHR_RULINGS:
            not_ruling += 1
        for article, gold in hudoc_outcomes(record).items():
            pairs.append(Pair(item, article, gold, stats_outcome(f, article) if f else None))
    extra = _extra(records, facts)
    s = score(pairs)
    numbers = {"pairs": float(s.pairs), "agreement": s.agree / s.read if s.read else 0.0,
               "not_read": s.not_read / s.pairs if s.pairs else 0.0}
    for outcome in ("violation", "no_violation"):
        for name, value in (("precision", s.precision(outcome)), ("recall", s.recall(outcome))):
            if value is not None:
                numbers[f"{outcome}.{name}"] = value
    lines = [title, "",
             f"{len(records)} bulk judgments (HUDOC CHAMBER, GRANDCHAMBER, COMMITTEE with a text), "
             f"read as ingest reads them in {seconds:.0f} s (structure only, no NER); gold: HUDOC's "
             "`violation`, `nonviolation` and `conclusion`. One pair per (judgment file, article "
             "HUDOC rules on): `6-1` under 6, a combination `14+3` under 14 and under 3 (as the "
             "statistics' `article:3` counts it), a violation on any aspect of the article wins "
             "over a non-violation on another, on both sides.", "",
             f"Pairs: {s.pairs}; read by the statistics: {s.read}; not read (left out of a "
             f"statistic, not counted wrong): {s.not_read} ({numbers['not_read']:.1%}). "
             f"Agreement over the pairs read: {s.agree}/{s.read} ({numbers['agreement']:.3f}).", "",
             "| HUDOC says | statistics' precision | recall (of pairs read) | recall (of all pairs) "
             "| HUDOC pairs |", "|---|---:|---:|---:|---:|"]
    for outcome in ("violation", "no_violation"):
        lines.append(f"| {outcome} | {_pct(s.precision(outcome))} | {_pct(s.recall(outcome))} | "
                     f"{_pct(s.recall(outcome, of_read=False))} | {s.count(outcome)} |")
    lines += ["", "Pairs by what each side says (rows HUDOC, columns the statistics):", "",
              "| HUDOC \\ statistics | " + " | ".join(c or "not read" for c in STATS_COLUMNS) + " |",
              "|---|" + "---:|" * len(STATS_COLUMNS)]
    for outcome in ("violation", "no_violation"):
        lines.append(f"| {outcome} | " + " | ".join(str(s.confusion[(outcome, c)])
                                                    for c in STATS_COLUMNS) + " |")
    unread = [p for p in pairs if p.stats is None]
    if unread:
        lines += ["", "Not read: " + "; ".join(f"{p.item} article {p.article} (HUDOC {p.hudoc})"
                                              for p in unread[:SHOWN])
                  + (f"; and {len(unread) - SHOWN} more" if len(unread) > SHOWN else "") + "."]
    if not_ruling or failed:
        lines += ["", f"Judgments the statistics would not count as Strasbourg rulings (kind read "
                      f"otherwise): {not_ruling}; not read at all: {len(failed)}"
                      + (f" ({', '.join(failed[:10])})" if failed else "") + "."]
    rows, years, (multi, multi_files, merged, merged_files, same) = _chart(records, facts)
    numbers["article3.hudoc"] = float(sum(v[0] for v in years.values()))
    numbers["article3.stats"] = float(sum(v[1] for v in years.values()))
    lines += ["", f"Article {CHART_ARTICLE} violations per year, each ruling once (the issue's "
              "example chart, `article:3` by year; 'both' counts the statistics' rulings HUDOC "
              "also finds a violation in, the same year):", "",
              "| year | HUDOC | statistics | both |", "|---|---:|---:|---:|", *rows, "",
              f"One ruling counted once: {multi} rulings have several files in HUDOC ({multi_files} "
              f"files; same application numbers and date); the statistics count {merged} rulings "
              f"of several files ({merged_files} files; same kind, application numbers and date "
              f"read), {same} of them exactly HUDOC's. The application numbers and date are read "
              "from HUDOC's metadata where the record has it, as ingest reads them."]
    said_v = sum(1 for p in extra if p.stats == "violation")
    with_extra = s.confusion[("violation", "violation")] / (s.count(stats="violation") + said_v) \
        if s.count(stats="violation") + said_v else None
    if with_extra is not None:
        numbers["violation.precision_with_unlisted"] = with_extra
    lines += ["", f"Outcomes the statistics count on articles HUDOC rules on neither way (not among "
              f"the pairs; wrong by HUDOC, though HUDOC's lists can be incomplete): {len(extra)} "
              f"({said_v} of them violations); counting these as wrong, the precision of violation "
              f"is {_pct(with_extra)}.", "",
              "The operative-part reader was worked on with judgments of this corpus (the awards "
              "gold is drawn from it): these figures are not from held-out documents."]
    wrong = [p for p in pairs if p.stats is not None and p.stats != p.hudoc] + extra
    kinds = Counter((p.hudoc, p.stats) for p in wrong)
    lines += ["", "Disagreements by kind: " + ("; ".join(
        f"HUDOC {h}, statistics {st}: {n}" for (h, st), n in kinds.most_common()) or "none") + "."]
    if wrong:
        lines += ["", f"Some disagreements (the first {min(SHOWN, len(wrong))} of {len(wrong)}; "
                  "the holdings the statistics see on the article, by code and outcome):", "",
                  "| item | article | HUDOC | statistics | holdings read |", "|---|---|---|---|---|"]
        lines += [f"| {p.item} | {p.article} | {p.hudoc} | {p.stats} | "
                  f"{_held(facts[p.item], p.article)} |" for p in _spread(wrong)[:SHOWN]]
    return "\n".join(lines) + "\n", numbers


def _extra(records: Mapping[Path, Mapping[str, Any]], facts: Mapping[str, Facts]) -> list[Pair]:
    """Violations and non-violations the statistics count on an article of which HUDOC names no
    finding (HUDOC's side is ``none``)."""
    out: list[Pair] = []
    for path, record in records.items():
        item = str(record.get("itemid") or path.stem)
        f = facts.get(item)
        if f is None or f.kind not in ECHR_RULINGS:
            continue
        gold = hudoc_outcomes(record)
        held = article_heads(a for a, o in f.holdings if a and o in ("violation", "no_violation"))
        for article in sorted(held - set(gold)):
            if (outcome := stats_outcome(f, article)) in ("violation", "no_violation"):
                out.append(Pair(item, article, "none", outcome))
    return out


def _spread(wrong: list[Pair]) -> list[Pair]:
    """The disagreements, each kind in turn (so a short list shows every kind), by item."""
    by_kind: dict[tuple[str, str | None], list[Pair]] = defaultdict(list)
    for p in sorted(wrong, key=lambda p: (p.item, p.article)):
        by_kind[(p.hudoc, p.stats)].append(p)
    queues = sorted(by_kind.values(), key=len, reverse=True)
    out: list[Pair] = []
    while any(queues):
        for q in queues:
            if q:
                out.append(q.pop(0))
    return out
