"""The few fields of a record that statistics count, kept beside it in the catalogue.

A record is mostly entities, paragraphs and citations; a statistic over ten thousand judgments
needs only each one's kind, court, date, states, holdings, awards, charges and penalties. Reading
those out of every record's JSON at query time would decode gigabytes, so they are copied into
``facts`` (one row per document, small JSON lists) when the document is stored, and filled once
for the documents of a catalogue made before the table existed. Nothing here is parsed from the
text: the facts are exactly the record's, so a statistic and the document page never disagree.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any, cast

from pipeline.models import StoredRecord
from pipeline.reference.names import court_key, state_key

__all__ = ["FACTS_SCHEMA", "Facts", "facts_of", "fill_missing", "read_facts", "write_facts"]

FACTS_SCHEMA = """
CREATE TABLE IF NOT EXISTS facts (
    id TEXT PRIMARY KEY REFERENCES documents(id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    instance TEXT,
    court TEXT,
    court_id TEXT,
    date TEXT,
    language TEXT,
    title TEXT,
    outcome TEXT,
    data TEXT NOT NULL
);
"""


@dataclass
class Facts:
    """What statistics know of one document.

    ``holdings`` are (article, outcome) pairs (article None for a whole application);
    ``awards`` (amount, currency, head); ``charges`` the charge keys as indexed
    (``УК:286:3:а``); ``penalties`` (type, months, amount, probation months).
    """

    id: str
    kind: str
    instance: str | None = None
    court: str | None = None
    court_id: str | None = None
    date: str | None = None
    language: str | None = None
    title: str | None = None
    outcome: str | None = None
    formation: str | None = None
    states: list[str] = field(default_factory=list)
    case_numbers: list[str] = field(default_factory=list)
    holdings: list[tuple[str | None, str]] = field(default_factory=list)
    awards: list[tuple[float, str, str]] = field(default_factory=list)
    charges: list[str] = field(default_factory=list)
    penalties: list[tuple[str, int | None, float | None, int | None]] = field(default_factory=list)

    @property
    def year(self) -> int | None:
        return int(self.date[:4]) if self.date and self.date[:4].isdigit() else None


def facts_of(doc_id: str, record: StoredRecord | None, *, language: str | None = None,
             title: str | None = None) -> Facts:
    """The facts of a stored record (an empty record gives a document of kind ``other``)."""
    r: dict[str, Any] = dict(record or {})
    court = r.get("court") or None
    return Facts(
        id=doc_id,
        kind=r.get("kind") or "other",
        instance=r.get("instance") or None,
        court=court,
        court_id=court_key(court) if court else None,
        date=r.get("date") or None,
        language=language,
        title=r.get("title") or title,
        outcome=r.get("outcome") or None,
        formation=r.get("formation") or None,
        states=sorted({state_key(s) for s in r.get("respondent_states") or [] if s and s.strip()}),
        case_numbers=[n for n in r.get("case_numbers") or [] if n],
        holdings=[_holding(h) for h in r.get("holdings") or []],
        awards=[(float(a["amount"]), a.get("currency") or "", a.get("head") or "other")
                for a in r.get("awards") or [] if isinstance(a.get("amount"), int | float)],
        charges=[c.get("key") or ":".join(p for p in (c.get("code"), c.get("article"),
                                                       c.get("part"), c.get("point")) if p)
                 for c in r.get("charges") or []],
        penalties=[(p.get("type") or "other", p.get("months"), p.get("amount"),
                    p.get("probation_months")) for p in r.get("penalties") or []],
    )


#: An admissibility point that names articles ("Declares the complaint under Article 3
#: admissible and the remainder of the application inadmissible"): inadmissible in part, and
#: not on the articles it names as admissible, so never taken as inadmissible on any one.
IN_PART = "inadmissible_in_part"


def _holding(h: dict[str, Any]) -> tuple[str | None, str]:
    """(article, outcome) of a holding; an inadmissibility with no article of its own is of the
    whole application only when its point names no article at all.

    >>> _holding({"article": None, "outcome": "inadmissible",
    ...           "text": "Declares the application inadmissible."})
    (None, 'inadmissible')
    >>> _holding({"article": None, "outcome": "inadmissible", "text": "Declares the complaint "
    ...           "under Article 3 admissible and the remainder of the application inadmissible"})
    (None, 'inadmissible_in_part')
    """
    from pipeline.entities.articles import article_codes

    article, outcome = h.get("article") or None, h.get("outcome") or "other"
    if article is None and outcome == "inadmissible" and article_codes(h.get("text") or ""):
        outcome = IN_PART
    return article, outcome


_LISTS = ("formation", "states", "case_numbers", "holdings", "awards", "charges", "penalties")


def write_facts(conn: sqlite3.Connection, facts: Facts) -> None:
    """Store (or replace) one document's facts, inside the caller's transaction."""
    data = json.dumps({k: getattr(facts, k) for k in _LISTS}, ensure_ascii=False)
    conn.execute("INSERT OR REPLACE INTO facts (id, kind, instance, court, court_id, date,"
                 " language, title, outcome, data) VALUES (?,?,?,?,?,?,?,?,?,?)",
                 (facts.id, facts.kind, facts.instance, facts.court, facts.court_id, facts.date,
                  facts.language, facts.title, facts.outcome, data))


def fill_missing(conn: sqlite3.Connection, batch: int = 500) -> int:
    """Facts for every document that has none (a catalogue made before the table, or written
    by an older precedents); returns how many were filled. The caller commits."""
    done = 0
    while True:
        rows = conn.execute(
            "SELECT d.id, d.language, d.title, d.record FROM documents d"
            " LEFT JOIN facts f ON f.id = d.id WHERE f.id IS NULL LIMIT ?", (batch,)).fetchall()
        if not rows:
            return done
        for doc_id, language, title, record in rows:
            try:
                data = json.loads(record) if record else None
            except ValueError:
                data = None  # a damaged record counts as a document of unknown kind
            write_facts(conn, facts_of(doc_id, cast(StoredRecord, data) if isinstance(data, dict) else None,
                                       language=language, title=title))
        done += len(rows)


#: Facts decoded before, by id, with the row they were decoded from: a server asked for the
#: statistics of ten thousand rulings again decodes only the rows that changed since.
_DECODED: dict[str, tuple[tuple, Facts]] = {}
#: Decoded facts kept at most (a few hundred bytes each).
DECODED_KEPT = 200_000
_COLUMNS = "id, kind, instance, court, court_id, date, language, title, outcome, data"


def read_facts(conn: sqlite3.Connection, ids: list[str], chunk: int = 500) -> Iterator[Facts]:
    """The facts of ``ids`` (unknown ids are left out), a bounded number per query.

    A row equal to the one an earlier call decoded gives the same ``Facts`` (not to be
    changed by the caller): the row is always read, so a document stored again is never
    answered from before."""
    cursor = conn.cursor()
    cursor.row_factory = None  # plain tuples: compared with those kept, and cheaper than Rows
    if len(_DECODED) > DECODED_KEPT:
        _DECODED.clear()
    for start in range(0, len(ids), chunk):
        part = ids[start:start + chunk]
        rows = cursor.execute(f"SELECT {_COLUMNS} FROM facts WHERE id IN ({','.join('?' * len(part))})",
                              part)
        for row in rows:
            kept = _DECODED.get(row[0])
            if kept is not None and kept[0] == row:
                yield kept[1]
                continue
            facts = _decode(row)
            _DECODED[row[0]] = (row, facts)
            yield facts


def _decode(row: tuple) -> Facts:
    data = json.loads(row[9])
    return Facts(id=row[0], kind=row[1], instance=row[2], court=row[3], court_id=row[4],
                 date=row[5], language=row[6], title=row[7], outcome=row[8],
                 formation=data.get("formation"), states=data["states"],
                 case_numbers=data["case_numbers"],
                 holdings=[(a, o) for a, o in data["holdings"]],
                 awards=[(float(m), c, h) for m, c, h in data["awards"]],
                 charges=data["charges"],
                 penalties=[(t, mo, am, pr) for t, mo, am, pr in data["penalties"]])
