"""Identifiers lawyers type as printed: application numbers, Russian case numbers (arbitrazh
ones too), УИД, ECLI, HUDOC item ids.

Patterns are data: each has a name, a regex and a comment on the false positive it avoids.
They serve both sides of search: ``find_identifiers`` feeds the index's keyword fields, and the
query parser uses the same patterns to route ``17280/08`` or ``1-123/2020`` to those fields,
where they stay whole (Whoosh's text analyzers would split them into ``1``, ``123``, ``2020``).

>>> [i.value for i in find_identifiers("Application no. 17280/08; Дело № 1-123/2020")]
['17280/08', '1-123/2020']
"""

from __future__ import annotations

import re
from functools import lru_cache
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
    # Arbitrazh case numbers: А40-5590/2023, and as the Moscow court prints them, with a
    # two-digit year and the judge's and the composition's numbers (А40-5590/23-99-47);
    # СИП-694/2021 of the Intellectual Property Court. The court code is required, so
    # "5590/23" (an application number) and "12-2023" (a month) are never read as one.
    ("case_number", re.compile(_not_inside_number(
        r"(?:[АAаa]\d{2}|СИП|SIP)-\d{1,7}/(?:(?:19|20)\d{2}|\d{2})(?:-\d{1,5}){0,3}"))),
    # Russian case numbers: 1-123/2020, 2а-55/2021, 33-1234/2019, 88-14715/2026, А40-5590/2023;
    # the year has four digits, which keeps "3-4/12" (a ratio, a page range) out.
    ("case_number", re.compile(_not_inside_number(
        r"(?:[АAаa]\d{2}|\d{1,3}[а-яёa-z]{0,2})-\d{1,7}(?:/\d{1,2})?/(?:19|20)\d{2}"))),
    # "дело № 1 – 151/2026": some courts print spaces and an en dash; only after "№" is that
    # shape a case number ("3 - 4/2012" in prose is not), so "№" is required but not kept.
    ("case_number", re.compile(
        r"№\s*(?P<id>(?:[АAаa]\d{2}|\d{1,3}[а-яёa-z]{0,2})\s*[-–—]\s*\d{1,7}(?:/\d{1,2})?/"
        r"(?:19|20)\d{2})(?![\w/])")),
    # HUDOC item ids: 001-145584 (judgments and decisions), 002-… (legal summaries), 003-…
    # (press releases). Five or six digits after the collection, so "001-2023" is not one.
    ("itemid", re.compile(_not_inside_number(r"00[1-9]-\d{5,6}"))),
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


# An arbitrazh case number once look-alikes are Latin: court, number, year, and the numbers of
# the judge and composition some courts print after the year.
_ARBITRAZH = re.compile(r"(?P<court>a\d{2}|sip|cип)-(?P<number>\d{1,7})/(?P<year>\d{4}|\d{2})(?:-\d{1,5})*")


@lru_cache(maxsize=1 << 16)
def normalise_identifier(value: str) -> str:
    """Lower-case, Latin look-alikes for Cyrillic letters, no spaces: one key per identifier.

    An arbitrazh number is keyed by its court, number and four-digit year: the judge's and
    composition's numbers say who hears the case, not which case it is, and "/23" is 2023.

    >>> normalise_identifier("А40-5590/2023"), normalise_identifier("1 – 151/2026")
    ('a40-5590/2023', '1-151/2026')
    >>> normalise_identifier("А40-5590/23-99-47"), normalise_identifier("СИП-694/2021")
    ('a40-5590/2023', 'sip-694/2021')
    """
    key = re.sub(r"[\s\u00a0]+", "", value.translate(_LOOKALIKES)).replace("–", "-") \
        .replace("—", "-").lower()
    if found := _ARBITRAZH.fullmatch(key):
        court, year = found.group("court"), found.group("year")
        if len(year) == 2:
            year = ("19" if year >= "90" else "20") + year
        key = f"{'sip' if court == 'cип' else court}-{found.group('number')}/{year}"
    return key


#: A HUDOC export's file name: the item id, the language of the text, the format
#: ("001-57473_ENG.txt", "001-109453_FRE.docx").
_HUDOC_FILE = re.compile(r"(?P<id>00[1-9]-\d{5,6})(?:_[A-Z]{3})?\.[A-Za-z0-9]{2,5}")
#: A HUDOC item id as its metadata gives it.
_ITEM_ID = re.compile(r"00[1-9]-\d{5,6}")


def hudoc_item_id(value: object) -> str | None:
    """A HUDOC ``itemid`` from a record's metadata, when it has the shape of one.

    >>> hudoc_item_id("001-145584"), hudoc_item_id("42")
    ('001-145584', None)
    """
    return value.strip() if isinstance(value, str) and _ITEM_ID.fullmatch(value.strip()) else None


def item_id_from_file_name(name: str) -> str | None:
    """The item id a HUDOC export names its file by, or None for any other name.

    >>> item_id_from_file_name("/data/001-57473_ENG.txt"), item_id_from_file_name("001-57473 (1).txt")
    ('001-57473', None)
    """
    base = re.split(r"[/\\]", name)[-1]
    found = _HUDOC_FILE.fullmatch(base)
    return found.group("id") if found else None


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
