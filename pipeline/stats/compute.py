"""Statistics over a search: which rulings it selects, what was held in them, what was awarded.

The documents are those the search counts (``Engine.selected_ids``: the same query language and
filters), read from the catalogue's ``facts`` (``pipeline/facts.py``), never from the texts.
Three rules keep the numbers honest:

* one ruling is counted once: copies of one judgment (its translation, a second file) that the
  search selects together are counted as the one in the Court's language;
* a ruling whose outcome was not read is left out of the outcome tables and counted apart, and a
  ruling with a sum whose currency was not read is left out of the awards whole;
* sums are never added or compared across currencies, nor Strasbourg's with domestic courts'.
"""

from __future__ import annotations

import re
import sqlite3
import statistics as pystats
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from typing import TYPE_CHECKING

from pipeline.errors import QueryError
from pipeline.facts import IN_PART, Facts, facts_of, read_facts
from pipeline.present.labels import (ENGLISH, INSTANCE_LABELS, KIND_LABELS, Translator,
                                     article_label, charge_label)
from pipeline.present.pinpoint import citation_for
from pipeline.reference.names import state_label
from pipeline.search.provisions import expand
from pipeline.stats.model import (BY, ECHR_OUTCOMES, HEADS, AwardPoint, AwardStats, ChargeRow,
                                  Distribution, Figure, OutcomeRow, Quartiles,
                                  Statistics)

if TYPE_CHECKING:
    from pipeline.catalogue import Catalogue
    from pipeline.search.interface import Engine

__all__ = ["ECHR_RULINGS", "DOMESTIC_RULINGS", "HEADS", "compute", "facts_for", "focus_articles", "quartiles"]

#: Strasbourg documents that rule on an application (a communicated case, a press release or a
#: summary does not).
ECHR_RULINGS = frozenset({"echr_judgment", "echr_decision"})
#: Russian court acts: sentences, decisions, rulings and the rest.
DOMESTIC_RULINGS = frozenset({"ru_sentence", "ru_decision", "ru_ruling", "ru_other"})
#: Court languages first when one judgment is selected in several languages.
_COURT_LANGUAGES = ("en", "fr")
#: Record fields the facts of a document lacking them are rebuilt from (an old catalogue
#: opened read-only); the rest of the record is left in SQLite.
_HEAVY = ("entities", "paragraphs", "citations", "sections")

# ``article:3``, ``outcome:3:violation``, ``article:"p1-1"``: the Convention articles a query
# asks about. A clause negated by a leading ``-`` or ``NOT`` names an article it does not want.
_ARTICLE_CLAUSE = re.compile(r"(?<![\w-])(?<!NOT )(?:article|outcome):\"?([\w+-]+)", re.I)

RateConverter = Callable[[float, str, str | None, str], "tuple[float, float, str] | None"]


def focus_articles(query: str, filters: Sequence[str]) -> list[str]:
    """The Convention articles the query and its filters name (``article:``, ``outcome:``).

    >>> focus_articles("police article:3", ["state:russia", "outcome:p1-1:violation"])
    ['3', 'p1-1']
    >>> focus_articles("-article:6", ["NOT article:8", "cites_article:3"])
    []
    """
    found: list[str] = []
    for text in [query, *filters]:
        for m in _ARTICLE_CLAUSE.finditer(text):
            code = m.group(1).lower()
            if ":" not in code and code and not code.startswith(("ук", "гк", "упк", "коап")):
                found.append(code)
    return list(dict.fromkeys(found))


def quartiles(values: Sequence[float]) -> Quartiles:
    """Range, quartiles and median (inclusive method).

    >>> q = quartiles([1000, 2000, 3000, 10000])
    >>> (q.minimum, q.q1, q.median, q.q3, q.maximum)
    (1000, 1750.0, 2500.0, 4750.0, 10000)
    """
    ordered = sorted(values)
    if len(ordered) == 1:
        v = ordered[0]
        return Quartiles(1, v, v, v, v, v)
    q1, median, q3 = pystats.quantiles(ordered, n=4, method="inclusive")
    return Quartiles(len(ordered), ordered[0], q1, median, q3, ordered[-1])


def compute(engine: Engine, catalogue: Catalogue, query: str, filters: Sequence[str] = (), *,
            by: str = "year", awards: bool = False, currency: str | None = None,
            head: str | None = None,
            tr: Translator = ENGLISH, convert: RateConverter | None = None) -> Statistics:
    """Statistics over the documents ``query`` and ``filters`` select (see the module).

    ``awards`` adds the awards (of one ``head`` of damage, or all); ``currency`` (ISO 4217)
    also gives each sum in that currency at the rate of its ruling's date, through ``convert``
    (the offline rate table by default). Labels are in the language of ``tr``."""
    if by not in BY:
        raise QueryError("unknown grouping %(by)r (use one of: %(all)s)", by=by, all=", ".join(BY))
    filters = [f for f in filters if f and f.strip()]
    ids = sorted(engine.selected_ids(query, filters))
    facts = facts_for(catalogue, ids)
    kept, copies = _one_per_ruling(facts)
    articles = focus_articles(query, filters)
    echr = [f for f in kept if f.kind in ECHR_RULINGS]
    domestic = [f for f in kept if f.kind in DOMESTIC_RULINGS]
    other = Figure("other", [f.id for f in kept if f.kind not in ECHR_RULINGS | DOMESTIC_RULINGS])
    outcome_rows, excluded = _echr_outcomes(echr, articles, by, tr)
    domestic_rows, domestic_excluded = _domestic_outcomes(domestic, by, tr)
    stats = Statistics(
        query=query, filters=list(filters), by=by, index_date=_index_date(catalogue),
        selected=len(ids), copies=Figure("copies", copies), articles=articles,
        outcomes=outcome_rows, excluded=excluded, domestic=domestic_rows,
        domestic_excluded=domestic_excluded, charges=_charges(domestic, tr), other=other)
    if awards:
        if currency is not None and convert is None:
            convert = _offline_rates()
        if head is not None and head not in HEADS:
            raise QueryError("unknown head of damage %(head)r (use one of: %(all)s)", head=head,
                             all=", ".join(HEADS))
        stats.awards = _awards(echr, domestic, by, currency.upper() if currency else None,
                               convert, tr, head)
    return stats


# -- which documents --------------------------------------------------------------------------

def facts_for(catalogue: Catalogue, ids: list[str]) -> list[Facts]:
    """The facts of ``ids``; documents stored without facts (an older catalogue opened
    read-only) get them from their record, leaving the record's heavy parts in SQLite."""
    try:
        found = {f.id: f for f in read_facts(catalogue.conn, ids)}
    except sqlite3.OperationalError as exc:  # no facts table: an old catalogue, read-only
        if "no such table" not in str(exc):
            raise
        found = {}
    missing = [i for i in ids if i not in found]
    if missing:
        for doc in catalogue.documents(missing, without=_HEAVY).values():
            found[doc.id] = facts_of(doc.id, doc.record, language=doc.language, title=doc.title)
    return [found[i] for i in ids if i in found]


def _ruling_key(f: Facts) -> tuple | None:
    """What makes two documents one ruling: a Strasbourg ruling's application numbers and
    date; a Russian ruling's court, date and case number. None when the record lacks them
    (such a document is never taken for another)."""
    if not f.date or not f.case_numbers:
        return None
    numbers = tuple(sorted({n.strip().lower() for n in f.case_numbers}))
    if f.kind.startswith("echr"):
        return ("echr", f.kind, numbers, f.date)
    if f.kind.startswith("ru_") and f.court_id:
        return ("ru", f.court_id, numbers, f.date)
    return None


def _one_per_ruling(facts: list[Facts]) -> tuple[list[Facts], list[str]]:
    """(one document per ruling, the ids of the others). The one kept is in the Court's
    language where there is one, else the one with the most read of it."""
    groups: dict[tuple, list[Facts]] = defaultdict(list)
    kept: list[Facts] = []
    for f in facts:
        key = _ruling_key(f)
        if key is None:
            kept.append(f)
        else:
            groups[key].append(f)
    copies: list[str] = []
    for group in groups.values():
        group.sort(key=lambda f: (f.language not in _COURT_LANGUAGES,
                                  _COURT_LANGUAGES.index(f.language)
                                  if f.language in _COURT_LANGUAGES else 9,
                                  -len(f.holdings) - len(f.awards), f.id))
        kept.append(group[0])
        copies += [f.id for f in group[1:]]
    kept.sort(key=lambda f: f.id)
    return kept, sorted(copies)


def _index_date(catalogue: Catalogue) -> str | None:
    row = catalogue.conn.execute("SELECT max(updated_at) FROM documents").fetchone()
    return row[0][:10] if row and row[0] else None


# -- Strasbourg outcomes ----------------------------------------------------------------------

def _about(article: str | None, focus: Iterable[str]) -> bool:
    """Whether a holding on ``article`` rules on one of the ``focus`` articles (``6-1`` is
    about 6, ``14+3`` about 3)."""
    return article is not None and bool(expand([article.lower()]) & set(focus))


def _outcome_of(holdings: Iterable[tuple[str | None, str]]) -> str | None:
    """One column for a ruling's holdings (see ``ECHR_OUTCOMES``); None when none was read."""
    found = {"inadmissible" if o == IN_PART else o for _, o in holdings}
    for outcome in ("violation", "no_violation", "inadmissible"):
        if outcome in found:
            return outcome
    return "other" if found else None


def _held_on(f: Facts, focus: list[str]) -> list[tuple[str | None, str]]:
    """The holdings of ``f`` on the focus articles (all, without focus). A whole application
    declared inadmissible (no article named) is inadmissible on every article."""
    if not focus:
        return list(f.holdings)
    return [(a, o) for a, o in f.holdings
            if _about(a, focus) or (a is None and o == "inadmissible")]


def _article_head(article: str) -> str:
    """The article a holding is grouped under: ``6-1`` under 6, ``14+8`` under 14, ``P1-1``
    under P1-1."""
    first = article.lower().split("+")[0]
    return first if first.startswith("p") else first.split("-")[0]


def _echr_groups(f: Facts, by: str, focus: list[str], tr: Translator
                 ) -> list[tuple[str, str, str | None, list[tuple[str | None, str]]]]:
    """(value, label, filter, holdings counted there) of each group ``f`` falls in."""
    held = _held_on(f, focus)
    if by == "article":
        heads: dict[str, list[tuple[str | None, str]]] = defaultdict(list)
        for a, o in held:
            if a is not None and (not focus or _about(a, focus)):
                heads[_article_head(a)].append((a, o))
        return [(h, article_label(h.upper() if h.startswith("p") else h, tr), f"article:{h}", hs)
                for h, hs in heads.items()]
    if by == "year":
        return [(str(f.year), str(f.year), f"year:{f.year}", held)] if f.year else []
    if by == "state":
        return [(s, state_label(s), f"state:{s}" if " " not in s else f'state:"{s}"',
                 held) for s in f.states]
    if by == "court":
        name = f.formation or f.court
        return [(name, name, None, held)] if name else []
    return [(f.kind, tr.gettext(KIND_LABELS.get(f.kind, f.kind)), f"kind:{f.kind}", held)]


def _echr_outcomes(rulings: list[Facts], focus: list[str], by: str, tr: Translator
                   ) -> tuple[list[OutcomeRow], Figure]:
    rows: dict[str, OutcomeRow] = {}
    excluded: list[str] = []
    for f in rulings:
        if _outcome_of(_held_on(f, focus)) is None:
            excluded.append(f.id)
            continue
        for value, label, clause, held in _echr_groups(f, by, focus, tr):
            outcome = _outcome_of(held)
            if outcome is None:
                continue
            row = rows.get(value)
            if row is None:
                row = rows[value] = OutcomeRow(
                    value=value, label=label, filter=clause,
                    rulings=Figure(f"outcomes/{value}/all"),
                    outcomes={o: Figure(f"outcomes/{value}/{o}") for o in ECHR_OUTCOMES})
            row.rulings.ids.append(f.id)
            row.outcomes[outcome].ids.append(f.id)
    return _ordered(list(rows.values()), by), Figure("outcomes/excluded", excluded)


def _ordered(rows: list, by: str) -> list:
    if by == "year":
        return sorted(rows, key=lambda r: r.value)
    return sorted(rows, key=lambda r: (-r.rulings.count, r.label.lower()))


# -- Russian outcomes, charges and sentences --------------------------------------------------

def _domestic_group(f: Facts, by: str, tr: Translator) -> tuple[str, str, str | None] | None:
    if by == "year":
        return (str(f.year), str(f.year), f"year:{f.year}") if f.year else None
    if by == "court":
        return (f.court_id, f.court or f.court_id, f"court_id:{f.court_id}") if f.court_id else None
    kind = tr.gettext(KIND_LABELS.get(f.kind, f.kind))
    if f.instance:
        instance = tr.gettext(INSTANCE_LABELS.get(f.instance, f.instance))
        return (f"{f.kind}/{f.instance}", f"{kind}, {instance}", f"kind:{f.kind} instance:{f.instance}")
    return f.kind, kind, f"kind:{f.kind}"


def _domestic_outcomes(rulings: list[Facts], by: str, tr: Translator
                       ) -> tuple[list[OutcomeRow], Figure]:
    rows: dict[str, OutcomeRow] = {}
    excluded: list[str] = []
    for f in rulings:
        group = _domestic_group(f, by, tr)
        if f.outcome is None or group is None:
            excluded.append(f.id)
            continue
        value, label, clause = group
        row = rows.get(value)
        if row is None:
            row = rows[value] = OutcomeRow(value=value, label=label, filter=clause,
                                            rulings=Figure(f"domestic/{value}/all"), outcomes={})
        row.rulings.ids.append(f.id)
        row.outcomes.setdefault(f.outcome, Figure(f"domestic/{value}/{f.outcome}")).ids.append(f.id)
    return _ordered(list(rows.values()), by), Figure("domestic/excluded", excluded)


def _charge_head(key: str) -> str:
    """A charge as counted: code, article and part (``УК:286:3:а`` under ``УК:286:3``)."""
    return ":".join(key.split(":")[:3])


def _charges(rulings: list[Facts], tr: Translator, most: int = 30) -> list[ChargeRow]:
    """The charges of the Russian rulings (each ruling once per charge) and the sentences
    imposed in them: months of real imprisonment per person sentenced (the final term where
    several charges were joined, as the ruling prints it)."""
    rows: dict[str, ChargeRow] = {}
    months: dict[str, list[float]] = defaultdict(list)
    for f in rulings:
        for head in dict.fromkeys(_charge_head(c) for c in f.charges if c):
            parts = head.split(":")
            if len(parts) < 2:
                continue
            row = rows.get(head)
            if row is None:
                label = charge_label({"code": parts[0], "article": parts[1],
                                      "part": parts[2] if len(parts) > 2 else None,
                                      "point": None, "key": head})
                row = rows[head] = ChargeRow(
                    charge=head, label=label, filter=f"charge:{head}",
                    rulings=Figure(f"charges/{head}/all"),
                    convicted=Figure(f"charges/{head}/convicted"),
                    imprisonment=Figure(f"charges/{head}/imprisonment"),
                    suspended=Figure(f"charges/{head}/suspended"),
                    fined=Figure(f"charges/{head}/fined"))
            row.rulings.ids.append(f.id)
            if f.outcome == "convicted":
                row.convicted.ids.append(f.id)
            types = {t for t, _, _, _ in f.penalties}
            if any(t == "suspended" or probation for t, _, _, probation in f.penalties):
                row.suspended.ids.append(f.id)
            real = [m for t, m, _, probation in f.penalties
                    if t == "imprisonment" and m and not probation]
            if real:
                row.imprisonment.ids.append(f.id)
                months[head] += [float(m) for m in real]
            if "fine" in types:
                row.fined.ids.append(f.id)
    for head, values in months.items():
        rows[head].months = quartiles(values)
    ordered = sorted(rows.values(), key=lambda r: (-r.rulings.count, r.charge))
    return ordered[:most]


# -- awards -----------------------------------------------------------------------------------

def _awards(echr: list[Facts], domestic: list[Facts], by: str, currency: str | None,
            convert: RateConverter | None, tr: Translator, only: str | None = None) -> AwardStats:
    points: list[AwardPoint] = []
    excluded: list[str] = []
    not_read: list[str] = []
    converted = unconverted = 0
    sources: set[str] = set()
    groups: dict[tuple[str, str, str, str | None], tuple[str | None, list[float], list[str]]] = {}
    for scope, rulings in (("echr", echr), ("domestic", domestic)):
        for f in rulings:
            if not f.awards:
                if scope == "echr" and f.kind == "echr_judgment" and \
                        any(o == "violation" for _, o in f.holdings):
                    not_read.append(f.id)
                continue
            if any(not c or len(c) != 3 or not c.isalpha() for _, c, _ in f.awards):
                excluded.append(f.id)
                continue
            citation = citation_for({"kind": f.kind, "title": f.title, "language": f.language,
                                     "formation": f.formation, "date": f.date, "court": f.court,
                                     "case_numbers": f.case_numbers}) or f.title or f.id  # type: ignore[typeddict-item]
            group, group_label = _award_group(f, scope, by)
            for amount, cur, head in f.awards:
                if only is not None and head != only:
                    continue
                point = AwardPoint(id=f.id, scope=scope, citation=citation, title=f.title,
                                   date=f.date, court=f.court, amount=amount, currency=cur,
                                   head=head)
                if currency is not None and convert is not None:
                    done = convert(amount, cur, f.date, currency)
                    if done is None:
                        unconverted += 1
                    else:
                        point.converted, point.rate, source = done
                        point.converted_currency = currency
                        point.rate_source = source
                        sources.add(source.split(",")[0])
                        converted += 1
                points.append(point)
                # Every sum counts in the whole distribution of its head, and in its year's
                # or court's when the tables are grouped so.
                for where, label in [((scope, head, cur, None), None),
                                   *([((scope, head, cur, group), group_label)] if group else [])]:
                    entry = groups.setdefault(where, (label, [], []))
                    entry[1].append(amount)
                    # A ruling's sums come one after another: comparing with the last id
                    # keeps each once, where ``in`` over the list was quadratic (0.3 s at
                    # 4,000 rulings with awards).
                    if not entry[2] or entry[2][-1] != f.id:
                        entry[2].append(f.id)
    distributions = []
    for (scope, head, cur, group), (label, amounts, ids) in groups.items():
        name = f"awards/{scope}/{head}/{cur}" + (f"/{group}" if group else "")
        distributions.append(Distribution(key=name, scope=scope, head=head, currency=cur,
                                          group=group, group_label=label,
                                          stats=quartiles(amounts), rulings=Figure(name, ids)))
    head_order = {"non_pecuniary": 0, "pecuniary": 1, "costs": 2}
    distributions.sort(key=lambda d: (d.scope != "echr", head_order.get(d.head, 3), d.currency,
                                      d.group or ""))
    points.sort(key=lambda p: (p.scope != "echr", p.date or "", p.id))
    return AwardStats(points=points, distributions=distributions,
                      excluded=Figure("awards/excluded", excluded),
                      not_read=Figure("awards/not_read", not_read), currency=currency,
                      converted=converted, unconverted=unconverted,
                      rates="; ".join(sorted(sources)) or None)


def _offline_rates() -> RateConverter:
    """Conversions by the offline table of ``rates.py`` (the ECB's reference rates)."""
    from pipeline.stats.rates import Rates

    rates = Rates()

    def convert(amount: float, currency: str, on: str | None, to: str
                ) -> tuple[float, float, str] | None:
        done = rates.convert(amount, currency, on, to) if on else None
        return None if done is None else (done.amount, done.rate, done.source)

    return convert


def _award_group(f: Facts, scope: str, by: str) -> tuple[str | None, str | None]:
    """Awards are grouped by year or court when the tables are; otherwise all together."""
    if by == "year" and f.year:
        return str(f.year), str(f.year)
    if by == "court" and scope == "domestic" and f.court_id:
        return f.court_id, f.court
    return None, None
