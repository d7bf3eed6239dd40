"""Identifiers lawyers type as printed: application numbers, Russian case numbers, УИД, ECLI.

Patterns are data: each has a name, a regex and a comment on the false positive it avoids.
They serve both sides of search: ``find_identifiers`` feeds the index's keyword fields, and the
query parser uses the same patterns to route ``17280/08`` or ``1-123/2020`` to those fields,
where they stay whole (Whoosh's text analyzers would split them into ``1``, ``123``, ``2020``).

>>> [i.value for i in find_identifiers("Application no. 17280/08; Дело № 1-123/2020")]
['17280/08', '1-123/2020']
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# Cyrillic letters that look like Latin ones: "А40-5590/2023" is typed with either alphabet.
_LOOKALIKES = str.maketrans("АВЕКМНОРСТХаеорсхку", "ABEKMHOPCTXaeopcxky")


def _not_inside_number(body: str) -> str:
    """Wrap a pattern so it does not start or end inside a longer run of digits, slashes or dashes.

    Avoids reading "15/09" out of the date "15/09/2011" or "123/20" out of "1-123/2020".
    """
    return rf"(?<![\w/\-.]){body}(?![\w/]|-\d)"


#: (kind, pattern). Order matters only for overlapping matches: earlier wins.
PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    # ECLI:CE:ECHR:2011:0310JUD000270010 — the whole identifier, never split at colons.
    ("ecli", re.compile(r"\bECLI:[A-Z]{2}:[A-Z0-9]{1,7}:\d{4}:[A-Z0-9.]{1,25}[A-Z0-9]")),
    # УИД 16RS0046-01-2020-001234-56 (unique case id of Russian courts of general jurisdiction).
    ("uid", re.compile(_not_inside_number(r"\d{2}[RrРр][SsСс]\d{4}-\d{2}-\d{4}-\d{6}-\d{2}"))),
    # Russian case numbers: 1-123/2020, 2а-55/2021, 33-1234/2019, 88-14715/2026, А40-5590/2023;
    # the year has four digits, which keeps "3-4/12" (a ratio, a page range) out.
    ("case_number", re.compile(_not_inside_number(
        r"(?:[АAаa]\d{2}|\d{1,3}[а-яёa-z]{0,2})-\d{1,7}(?:/\d{1,2})?/(?:19|20)\d{2}"))),
    # "дело № 1 – 151/2026": some courts print spaces and an en dash; only after "№" is that
    # shape a case number ("3 - 4/2012" in prose is not), so "№" is required but not kept.
    ("case_number", re.compile(
        r"№\s*(?P<id>(?:[АAаa]\d{2}|\d{1,3}[а-яёa-z]{0,2})\s*[-–—]\s*\d{1,7}(?:/\d{1,2})?/"
        r"(?:19|20)\d{2})(?![\w/])")),
    # ECHR application numbers: 17280/08, 2700/10 (one to six digits / two-digit year).
    ("application", re.compile(_not_inside_number(r"\d{1,6}/\d{2}"))),
)


@dataclass(frozen=True)
class Identifier:
    kind: str
    value: str
    start: int
    end: int

    @property
    def key(self) -> str:
        """The form stored in and looked up from the index."""
        return normalise_identifier(self.value)


def normalise_identifier(value: str) -> str:
    """Lower-case, Latin look-alikes for Cyrillic letters, no spaces: one key per identifier.

    >>> normalise_identifier("А40-5590/2023"), normalise_identifier("1 – 151/2026")
    ('a40-5590/2023', '1-151/2026')
    """
    return re.sub(r"[\s\u00a0]+", "", value.translate(_LOOKALIKES)).replace("–", "-") \
        .replace("—", "-").lower()


def find_identifiers(text: str) -> list[Identifier]:
    """All identifiers in ``text``, left to right, without overlaps.

    A pattern with an ``id`` group keeps only that group: its context ("№") is not the value.

    >>> [(i.kind, i.key) for i in find_identifiers("дело № 1 – 151/2026, УИД 16RS0046-01-2020-001234-56")]
    [('case_number', '1-151/2026'), ('uid', '16rs0046-01-2020-001234-56')]
    """
    found: list[Identifier] = []
    taken: list[tuple[int, int]] = []
    for kind, pattern in PATTERNS:
        group = "id" if "id" in pattern.groupindex else 0
        for m in pattern.finditer(text):
            if any(m.start(group) < e and s < m.end(group) for s, e in taken):
                continue
            taken.append((m.start(group), m.end(group)))
            found.append(Identifier(kind, m.group(group), m.start(group), m.end(group)))
    found.sort(key=lambda i: i.start)
    return found
