"""Full calendar dates in English, French and Russian, keyed ISO ``yyyy-mm-dd``.

Only dates with a day, a month and a four-digit year count: "January 2006" or "15/09" cannot be
placed on one day, and the index's date facets need days. Each candidate is checked with
``datetime.date`` so "31 February 2006" or "32.01.2006" are dropped, not guessed.

>>> [e.key for e in find_dates("judgment of 26 January 2006, final on 1er mars 2010; приговор от «5» мая 2019 г.")]
['2006-01-26', '2010-03-01', '2019-05-05']
"""

from __future__ import annotations

import datetime as dt
import re

from pipeline.models import Entity

__all__ = ["MONTHS", "find_dates", "parse_date"]

#: Month names (stems, lower case) in each language and case they are printed in.
MONTHS: dict[str, int] = {
    "january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6, "july": 7,
    "august": 8, "september": 9, "october": 10, "november": 11, "december": 12,
    "janvier": 1, "février": 2, "fevrier": 2, "mars": 3, "avril": 4, "mai": 5, "juin": 6,
    "juillet": 7, "août": 8, "aout": 8, "septembre": 9, "octobre": 10, "novembre": 11,
    "décembre": 12, "decembre": 12,
    "января": 1, "февраля": 2, "марта": 3, "апреля": 4, "мая": 5, "июня": 6, "июля": 7,
    "августа": 8, "сентября": 9, "октября": 10, "ноября": 11, "декабря": 12,
}
_MONTH = "|".join(sorted(map(re.escape, MONTHS), key=len, reverse=True))
# The day: "26", "1er", "1st", "«26»", "\"26\"". Not after a digit, slash or dot, so "12345/06"
# and "1.26" never lend a day.
_DAY = r"(?<![\d/.,])[«\"“]?(?P<day>[0-3]?\d)(?:er|st|nd|rd|th)?[»\"”]?"
_YEAR = r"(?P<year>1[89]\d\d|20\d\d)(?!\d)"


def _day_month_year() -> re.Pattern[str]:
    """"26 January 2006", "1er mars 2010", "«26» января 2006 года"; the month must be a whole
    word, so "mayor" or "marsh" cannot pass for a month."""
    return re.compile(rf"{_DAY}\s+(?P<month>(?i:{_MONTH}))(?![\w])\s+{_YEAR}"
                      r"(?:\s*(?:года|год|г\.|г(?![\w])))?")


def _month_day_year() -> re.Pattern[str]:
    """"January 26, 2006" (American order, seen in translations and U.S. material)."""
    return re.compile(rf"(?P<month>(?i:{_MONTH}))\s+(?P<day>[0-3]?\d)(?:st|nd|rd|th)?,\s*{_YEAR}")


def _numeric() -> re.Pattern[str]:
    """"26.01.2006", "26/01/2006", "26.01.2006г.". Needs the four-digit year: "15/09" alone is an
    application-number shape, and "1-123/2020" a case number; neither has two separators."""
    return re.compile(r"(?<![\d/.\-])(?P<day>[0-3]?\d)(?P<sep>[./])(?P<month>[01]?\d)(?P=sep)"
                      rf"{_YEAR}(?![/.]\d)(?:\s*(?:года|г\.|г(?![\w])))?")


PATTERNS: tuple[re.Pattern[str], ...] = (_day_month_year(), _month_day_year(), _numeric())


def _iso(m: re.Match[str]) -> str | None:
    month = m.group("month")
    number = int(month) if month.isdigit() else MONTHS[month.lower()]
    try:
        return dt.date(int(m.group("year")), number, int(m.group("day"))).isoformat()
    except ValueError:
        return None


def find_dates(text: str) -> list[Entity]:
    """Every full date in ``text`` as DATE entities keyed ISO.

    >>> [e.key for e in find_dates("January 26, 2006; 26.01.2006; 15/09; no. 15/09/2011 is odd")]
    ['2006-01-26', '2006-01-26', '2011-09-15']
    >>> find_dates("31 February 2006, application no. 26/06")
    []
    """
    found: list[Entity] = []
    for pattern in PATTERNS:
        for m in pattern.finditer(text):
            if any(m.start() < e.end and e.start < m.end() for e in found):
                continue
            iso = _iso(m)
            if iso:
                found.append(Entity("DATE", m.group(0), m.start(), m.end(), iso))
    found.sort(key=lambda e: e.start)
    return found


def parse_date(text: str) -> str | None:
    """The ISO form of the first full date in a short text, or None.

    >>> parse_date("26 janvier 2006")
    '2006-01-26'
    """
    found = find_dates(text)
    return found[0].key if found else None
