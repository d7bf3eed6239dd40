"""What statistics over a search return: typed tables, each figure with the documents behind it.

Every type has ``to_json()``; its keys are a public contract (``precedents stats --json`` and
``GET /api/stats``), so keys are only ever added. Labels here are English; the page translates
them (``pipeline/present/labels.py``) and the CLI prints them as they are.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

__all__ = ["AwardPoint", "AwardStats", "BY", "ChargeRow", "Distribution",
           "ECHR_OUTCOMES", "Figure", "HEADS", "TABLES", "OutcomeRow", "Statistics"]

#: What the tables may be grouped by (``--by``).
BY = ("year", "article", "state", "court", "kind")
#: The tables of statistics (``tables.py``), in page order.
TABLES = ("outcomes", "domestic", "charges", "awards", "points")
#: Heads of damage an award is read under (``structure/operative.py``, ``russian.py``);
#: ``other``: several heads together, or none printed.
HEADS = ("non_pecuniary", "pecuniary", "costs", "other")
#: The outcome columns of a Strasbourg ruling, in display order. A ruling is counted in one
#: column per row: a violation found outweighs a finding of no violation on another limb, and
#: either outweighs the inadmissibility of other complaints.
ECHR_OUTCOMES = ("violation", "no_violation", "inadmissible", "other")


@dataclass
class Figure:
    """A count and the documents behind it. ``key`` names the figure within its statistics
    (``outcomes/2010/violation``): the page lists the documents of a figure by its key."""

    key: str
    ids: list[str] = field(default_factory=list)

    @property
    def count(self) -> int:
        return len(self.ids)

    def to_json(self) -> dict[str, Any]:
        return {"key": self.key, "count": self.count, "ids": list(self.ids)}


@dataclass
class OutcomeRow:
    """One group of rulings (a year, an article, a state, a court, a kind and instance).

    Strasbourg rulings' ``outcomes`` are the ``ECHR_OUTCOMES`` columns; Russian rulings' are the
    records' outcome values (``convicted``, ``claim_granted_in_part``, ...). ``filter`` is a query-language clause selecting the group, where one exists (a search
    with it finds the group's documents); ``rulings`` counts each ruling once, whatever its
    columns."""

    value: str
    label: str
    filter: str | None
    rulings: Figure
    outcomes: dict[str, Figure]

    def to_json(self) -> dict[str, Any]:
        return {"value": self.value, "label": self.label, "filter": self.filter,
                "rulings": self.rulings.to_json(),
                "outcomes": {k: v.to_json() for k, v in self.outcomes.items()}}


@dataclass
class ChargeRow:
    """A charge (``УК:286:3``, with its parts folded into the article's part) and what the
    rulings charging it imposed. Months are of real imprisonment; a suspended term counts
    under ``suspended``."""

    charge: str
    label: str
    filter: str
    rulings: Figure
    convicted: Figure
    imprisonment: Figure
    suspended: Figure
    fined: Figure
    months: Quartiles | None = None

    def to_json(self) -> dict[str, Any]:
        return {"charge": self.charge, "label": self.label, "filter": self.filter,
                "rulings": self.rulings.to_json(), "convicted": self.convicted.to_json(),
                "imprisonment": self.imprisonment.to_json(), "suspended": self.suspended.to_json(),
                "fined": self.fined.to_json(),
                "months": self.months.to_json() if self.months else None}


@dataclass
class Quartiles:
    """Count, range, quartiles and median of some amounts (quartiles by the inclusive method:
    with one value, all five are that value)."""

    count: int
    minimum: float
    q1: float
    median: float
    q3: float
    maximum: float

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class AwardPoint:
    """One sum a ruling awarded, as its operative part prints it, with the case it came from.

    ``converted`` is the sum in the currency asked for at the rate of the ruling's date (None
    when no rate is known: the original stands alone); ``rate_source`` says whose rate."""

    id: str
    scope: str              # "echr" or "domestic"
    citation: str
    title: str | None
    date: str | None
    court: str | None
    amount: float
    currency: str
    head: str
    converted: float | None = None
    converted_currency: str | None = None
    rate: float | None = None
    rate_source: str | None = None

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class Distribution:
    """The sums of one head in one currency, for one scope (and one year or court when
    grouped): never summed or compared across currencies or scopes."""

    key: str
    scope: str
    head: str
    currency: str
    group: str | None
    group_label: str | None
    stats: Quartiles
    rulings: Figure

    def to_json(self) -> dict[str, Any]:
        return {"key": self.key, "scope": self.scope, "head": self.head,
                "currency": self.currency, "group": self.group, "group_label": self.group_label,
                **self.stats.to_json(), "rulings": self.rulings.to_json()}


@dataclass
class AwardStats:
    """Awards of the selected rulings. ``excluded`` holds the rulings with a sum whose currency
    was not read (left out whole: a ruling's awards are shown complete or not at all);
    ``not_read`` the Strasbourg judgments that find a violation but whose sums, if any, were
    not read (the Court often awards nothing, so this is no count of missed awards)."""

    points: list[AwardPoint]
    distributions: list[Distribution]
    excluded: Figure
    not_read: Figure
    currency: str | None = None
    converted: int = 0
    unconverted: int = 0
    rates: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {"points": [p.to_json() for p in self.points],
                "distributions": [d.to_json() for d in self.distributions],
                "excluded": self.excluded.to_json(), "not_read": self.not_read.to_json(),
                "currency": self.currency, "converted": self.converted,
                "unconverted": self.unconverted, "rates": self.rates}


@dataclass
class Statistics:
    """Statistics over the documents a search selects.

    ``selected`` counts the documents the search finds; ``copies`` those left out because
    another selected document is the same ruling (a translation, a second file), so no ruling
    is counted twice. ``articles`` are the Convention articles the query and filters name:
    the outcome columns then say what was held on those articles, not on any.
    ``excluded`` holds the Strasbourg rulings whose outcome was not read, ``domestic_excluded``
    the Russian rulings whose outcome was not read; both are left out of the tables."""

    query: str
    filters: list[str]
    by: str
    index_date: str | None
    selected: int
    copies: Figure
    articles: list[str]
    outcomes: list[OutcomeRow]
    excluded: Figure
    domestic: list[OutcomeRow]
    domestic_excluded: Figure
    charges: list[ChargeRow]
    awards: AwardStats | None = None
    other: Figure = field(default_factory=lambda: Figure("other"))

    def figures(self) -> dict[str, Figure]:
        """Every figure by its key (the page's list of the documents behind one)."""
        found: dict[str, Figure] = {}
        singles = [self.copies, self.excluded, self.domestic_excluded, self.other]
        for row in self.outcomes:
            singles += [row.rulings, *row.outcomes.values()]
        for domestic in self.domestic:
            singles += [domestic.rulings, *domestic.outcomes.values()]
        for charge in self.charges:
            singles += [charge.rulings, charge.convicted, charge.imprisonment, charge.suspended,
                        charge.fined]
        if self.awards:
            singles += [self.awards.excluded, self.awards.not_read,
                        *(d.rulings for d in self.awards.distributions)]
        for figure in singles:
            found[figure.key] = figure
        return found

    def to_json(self) -> dict[str, Any]:
        return {"query": self.query, "filters": list(self.filters), "by": self.by,
                "index_date": self.index_date, "selected": self.selected,
                "copies": self.copies.to_json(), "articles": list(self.articles),
                "outcomes": [r.to_json() for r in self.outcomes],
                "excluded": self.excluded.to_json(),
                "domestic": [r.to_json() for r in self.domestic],
                "domestic_excluded": self.domestic_excluded.to_json(),
                "charges": [c.to_json() for c in self.charges],
                "other": self.other.to_json(),
                "awards": self.awards.to_json() if self.awards else None}
