"""Month names in English, French, Russian and Ukrainian, and the one reader of full calendar dates.

Only dates with a day, a month and a four-digit year count: "January 2006" or "15/09" cannot be
placed on one day, and the index's date facets need days. Each candidate is checked with
``datetime.date`` so "31 February 2006" or "32.01.2006" are dropped, not guessed.

Every reader of dates in printed text is a ``DateReader``: ``DATES`` reads every form for the
entity tagger and the structure parsers; the head readers narrow it with their parameters.

>>> [d.iso for d in DATES.find("judgment of 26 January 2006, final on 1er mars 2010; "
...                            "приговор от «5» мая 2019 г.")]
['2006-01-26', '2010-03-01', '2019-05-05']
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import cached_property

__all__ = ["DATES", "MONTHS", "RU_MONTH_CASES", "DateReader", "FoundDate", "month_alternation"]

#: Month names as dates print them: English capitalised, French in lower case, Russian and
#: Ukrainian in the genitive ("26 января 2006 года", "18 лютого 2010 року": the Court's judgments
#: are read in Ukrainian translation too).
MONTHS: dict[str, tuple[str, ...]] = {
    "en": ("January", "February", "March", "April", "May", "June", "July", "August", "September",
           "October", "November", "December"),
    "fr": ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre",
           "octobre", "novembre", "décembre"),
    "ru": ("января", "февраля", "марта", "апреля", "мая", "июня", "июля", "августа", "сентября",
           "октября", "ноября", "декабря"),
    "uk": ("січня", "лютого", "березня", "квітня", "травня", "червня", "липня", "серпня", "вересня",
           "жовтня", "листопада", "грудня"),
    # The languages HUDOC holds translations of judgments in; read only by the readers that ask.
    "de": ("Januar", "Februar", "März", "April", "Mai", "Juni", "Juli", "August", "September",
           "Oktober", "November", "Dezember"),
    "it": ("gennaio", "febbraio", "marzo", "aprile", "maggio", "giugno", "luglio", "agosto",
           "settembre", "ottobre", "novembre", "dicembre"),
    "es": ("enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto", "septiembre",
           "octubre", "noviembre", "diciembre"),
    "pt": ("janeiro", "fevereiro", "março", "abril", "maio", "junho", "julho", "agosto", "setembro",
           "outubro", "novembro", "dezembro"),
    "tr": ("Ocak", "Şubat", "Mart", "Nisan", "Mayıs", "Haziran", "Temmuz", "Ağustos", "Eylül", "Ekim",
           "Kasım", "Aralık"),
    "pl": ("stycznia", "lutego", "marca", "kwietnia", "maja", "czerwca", "lipca", "sierpnia",
           "września", "października", "listopada", "grudnia"),
    "ro": ("ianuarie", "februarie", "martie", "aprilie", "mai", "iunie", "iulie", "august",
           "septembrie", "octombrie", "noiembrie", "decembrie"),
}

#: Russian month names in each grammatical case: "в январе 2006 года", "с января по март".
RU_MONTH_CASES: dict[str, tuple[str, ...]] = {
    "nominative": ("январь", "февраль", "март", "апрель", "май", "июнь", "июль", "август",
                   "сентябрь", "октябрь", "ноябрь", "декабрь"),
    "genitive": MONTHS["ru"],
    "dative": ("январю", "февралю", "марту", "апрелю", "маю", "июню", "июлю", "августу",
               "сентябрю", "октябрю", "ноябрю", "декабрю"),
    "accusative": ("январь", "февраль", "март", "апрель", "май", "июнь", "июль", "август",
                   "сентябрь", "октябрь", "ноябрь", "декабрь"),
    "instrumental": ("январём", "февралём", "мартом", "апрелем", "маем", "июнем", "июлем",
                     "августом", "сентябрём", "октябрём", "ноябрём", "декабрём"),
    "prepositional": ("январе", "феврале", "марте", "апреле", "мае", "июне", "июле", "августе",
                      "сентябре", "октябре", "ноябре", "декабре"),
}

#: French months typed without their accent ("fevrier", "aout", "decembre"), as OCR and plain-text
#: exports often print them.
_FR_UNACCENTED = {"fevrier": 2, "aout": 8, "decembre": 12}


def month_alternation(*languages: str) -> str:
    """A non-capturing group of the printed month names of ``languages``, in that order.

    >>> month_alternation("en")[:24]
    '(?:January|February|Marc'
    """
    return "(?:" + "|".join(name for lang in languages for name in MONTHS[lang]) + ")"


def _month_numbers(languages: tuple[str, ...]) -> dict[str, int]:
    """Lower-case month word -> month number, for the languages a reader accepts."""
    numbers: dict[str, int] = {}
    for lang in languages:
        numbers.update({name.lower(): n for n, name in enumerate(MONTHS[lang], 1)})
        if lang == "fr":
            numbers.update(_FR_UNACCENTED)
    return numbers


# The day: "26", "1er", "1st", "15TH", "«26»", "\"26\"". Not after a digit, slash, dot or comma,
# so "12345/06" and "1.26" never lend a day.
_DAY = r"(?<![\d/.,])[«\"“]?(?P<day>[0-3]?\d)(?i:er|st|nd|rd|th)?[»\"”]?"
_YEAR = r"(?P<year>1[89]\d\d|20\d\d)(?!\d)"


@dataclass(frozen=True)
class FoundDate:
    """A full date found in text: where it is printed and its ISO ``yyyy-mm-dd``."""

    start: int
    end: int
    text: str
    iso: str


@dataclass(frozen=True)
class DateReader:
    """Finds full dates in text. The parameters narrow what counts, for readers that must not
    take every date (a document's head, an English court's head).

    >>> DateReader(languages=("en",), separators="/", comma_after_month=True).first("Date: 15TH April, 2003")
    '2003-04-15'
    """

    #: Languages whose month names are read (keys of ``MONTHS``).
    languages: tuple[str, ...] = ("en", "fr", "ru", "uk")
    #: Separators of day-first numeric dates ("26.01.2006", "26/01/2006"); "" reads none.
    separators: str = "./"
    #: Also the American order "January 26, 2006" (translations and U.S. material print it).
    month_first: bool = True
    #: First and last year taken, inclusive.
    years: tuple[int, int] = (1800, 2099)
    #: "23rd September, 2021": a comma after the month, as English courts print it.
    comma_after_month: bool = False
    #: "16.12.2014г.": the Russian year word glued to a numeric date.
    glued_year_word: bool = True

    @cached_property
    def _months(self) -> dict[str, int]:
        return _month_numbers(self.languages)

    @cached_property
    def patterns(self) -> tuple[re.Pattern[str], ...]:
        """The patterns in the order they claim text: words before numbers."""
        month = "|".join(sorted(map(re.escape, self._months), key=len, reverse=True))
        # "26 January 2006", "23rd September, 2021", "«26» января 2006 года": the month must be a
        # whole word, so "mayor" or "marsh" cannot pass for a month.
        comma = ",?" if self.comma_after_month else ""
        found = [re.compile(rf"{_DAY}\s+(?P<month>(?i:{month}))(?![\w]){comma}\s+{_YEAR}"
                            r"(?:\s*(?:года|год|року|р\.|г\.|г(?![\w])))?")]
        if self.month_first:
            found.append(re.compile(rf"(?P<month>(?i:{month}))\s+(?P<day>[0-3]?\d)(?:st|nd|rd|th)?,"
                                    rf"\s*{_YEAR}"))
        if self.separators:
            # Needs the four-digit year: "15/09" alone is an application-number shape, and
            # "1-123/2020" a case number; neither has two separators.
            separators = re.escape(self.separators)
            year_word = r"(?:\s*(?:года|г\.|г(?![\w])))?" if self.glued_year_word else r"(?![\w])"
            found.append(re.compile(rf"(?<![\d/.\-])(?P<day>[0-3]?\d)(?P<sep>[{separators}])(?P<month>[01]?\d)"
                                    rf"(?P=sep){_YEAR}(?![/.]\d){year_word}"))
        return tuple(found)

    def _iso(self, m: re.Match[str]) -> str | None:
        month, year = m.group("month"), int(m.group("year"))
        if not self.years[0] <= year <= self.years[1]:
            return None
        try:
            return dt.date(year, int(month) if month.isdigit() else self._months[month.lower()],
                           int(m.group("day"))).isoformat()
        except ValueError:
            return None

    def find(self, text: str) -> list[FoundDate]:
        """Every full date in ``text``, in order; where two readings overlap the first pattern's wins.

        >>> [d.iso for d in DATES.find("January 26, 2006; 26.01.2006; 15/09; no. 15/09/2011 is odd")]
        ['2006-01-26', '2006-01-26', '2011-09-15']
        >>> DATES.find("31 February 2006, application no. 26/06")
        []
        """
        found: list[FoundDate] = []
        for pattern in self.patterns:
            for m in pattern.finditer(text):
                if any(m.start() < d.end and d.start < m.end() for d in found):
                    continue
                iso = self._iso(m)
                if iso:
                    found.append(FoundDate(m.start(), m.end(), m.group(0), iso))
        found.sort(key=lambda d: d.start)
        return found

    def first(self, text: str) -> str | None:
        """The ISO form of the first full date in ``text``, or None.

        >>> DATES.first("г. Казань 12 марта 2020 года"), DATES.first("26 janvier 2006")
        ('2020-03-12', '2006-01-26')
        """
        found = self.find(text)
        return found[0].iso if found else None


#: Every full date in any of our languages: the entity tagger and the structure parsers.
DATES = DateReader()
