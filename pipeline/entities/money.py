"""Sums of money with their currency: ``EUR 10,000`` -> ``EUR 10000``; ``500 000 рублей`` -> ``RUB 500000``.

A number is money only when a currency touches it — a code (EUR, FRF, RUR), a symbol (€, £, $) or
a word (euros, евро, рублей, French francs) — so "Article 3", "26 January 2006" and "12345/06"
never are. Currencies are ISO 4217 codes; superseded ones printed in old judgments (FRF, ITL,
DEM, BEF, ...) stay as printed, since converting them would invent a rate. RUR (the pre-1998
rouble code still used by courts) becomes RUB.

Amount formats: "10,000.50" (English), "10 000,50" and "10.000" (French, German, Russian: a dot
or space followed by exactly three digits groups thousands), "500 000 (пятьсот тысяч) рублей"
(amount in words between the figure and the currency), "1200 (тисячу двісті євро)" (the currency
only inside the words), "5 000 000 рублей 00 копеек",
"300 тыс. рублей", "EUR 1.5 million".

>>> [e.key for e in find_money("EUR 10,000 for non-pecuniary damage and 500 000 рублей")]
['EUR 10000', 'RUB 500000']
"""

from __future__ import annotations

import re

from pipeline.models import Entity

__all__ = ["CURRENCY_CODES", "REDENOMINATED", "currency_on", "find_money", "format_amount", "parse_amount"]

#: ISO 4217 codes accepted when printed as codes, including those replaced by the euro.
CURRENCY_CODES = frozenset(
    "EUR USD GBP CHF RUB UAH FRF ITL DEM BEF NLG ATS ESP PTE GRD IEP FIM LUF TRL TRY PLN CZK SKK "
    "HUF BGN BGL RON ROL SEK DKK NOK AZN AMD GEL MDL LTL LVL EEK HRK SIT MKD BAM RSD CYP MTL ISK "
    "KZT BYN BYR".split())
_ALIASES = {"RUR": "RUB"}
#: Currencies printed by name whose code changed when they were redenominated: before the date,
#: the name meant the old currency (6,000,000 Bulgarian levs in 1998 are 6,000 of today's).
#: (new code, first day of the new currency, old code).
REDENOMINATED = (("BGN", "1999-07-05", "BGL"), ("RON", "2005-07-01", "ROL"), ("TRY", "2005-01-01", "TRL"))


def currency_on(code: str, date: str | None) -> str:
    """``code`` as it was on ``date`` (ISO), for the currencies of ``REDENOMINATED``.

    >>> currency_on("BGN", "1998-10-28"), currency_on("BGN", "2000-05-18"), currency_on("BGN", None)
    ('BGL', 'BGN', 'BGN')
    """
    for new, since, old in REDENOMINATED:
        if code == new and date and date < since:
            return old
    return code

#: (regex, ISO code) for currency words and symbols; longer names first ("French francs" before
#: "francs"). Bare "francs" is French francs: Swiss and Belgian ones are always qualified.
CURRENCY_WORDS: tuple[tuple[str, str], ...] = (
    (r"€", "EUR"), (r"£", "GBP"), (r"\$", "USD"), (r"₽", "RUB"), (r"₴", "UAH"),
    # Translations print the name in capitals too ("5890 ЄВРО"); "Європейського" is no euro.
    (r"(?i:euros?)\b", "EUR"), (r"(?i:[еє]вро)\b", "EUR"),
    (r"(?i:pounds?\s+sterling)\b", "GBP"), (r"(?i:US\s+dollars?|dollars?)\b", "USD"),
    (r"(?i:swiss\s+francs?)\b", "CHF"), (r"(?i:belgian\s+francs?)\b", "BEF"),
    (r"(?i:(?:french\s+)?francs?(?:\s+français)?)\b", "FRF"),
    (r"(?i:italian\s+lire|lire)\b", "ITL"), (r"(?i:deutsche?\s?marks?|german\s+marks?)\b", "DEM"),
    (r"(?i:roubles?|rubles?)\b", "RUB"),
    # Currencies redenominated since: the code of the new one; a judgment's date tells which
    # was meant (``REDENOMINATED``).
    (r"(?i:swedish\s+(?:crowns?|kronor|krona))\b", "SEK"), (r"(?i:danish\s+(?:crowns?|kroner|krone))\b", "DKK"),
    (r"(?i:norwegian\s+(?:crowns?|kroner|krone))\b", "NOK"), (r"(?i:(?:polish\s+)?zlotys?)\b", "PLN"),
    (r"(?i:bulgarian\s+lev(?:s|a)?)\b", "BGN"), (r"(?i:romanian\s+lei)\b", "RON"),
    (r"(?i:(?:new\s+)?turkish\s+lir(?:as?|e))\b", "TRY"), (r"(?i:hryvnias?|hryvnas?|hryvnyas?)\b", "UAH"),
    (r"дол+(?:ар(?:а|ов|ы|ів|и)?)?\.?(?:\s+США)?", "USD"),
    (r"(?i:(?:рубл(?:ей|я|ь|ям|ями)|руб\.?)(?![а-яё]))", "RUB"),
    (r"(?i:(?:гривен|гривень|гривн[аыяі]?|грн\.?)(?![а-яёіїєґ]))", "UAH"),
    (r"фунт(?:ов|а)?\s+стерлингов", "GBP"),
)


_SYMBOLS = {"€": "EUR", "£": "GBP", "$": "USD", "₽": "RUB"}


def _code_pattern() -> str:
    """A currency code as a whole word; "RUR" included. Upper case only: "all" is not ALL."""
    codes = "|".join(sorted(CURRENCY_CODES | set(_ALIASES), key=len, reverse=True))
    return rf"(?<![A-Za-z])(?:{codes})(?![A-Za-z])"


def _word_pattern() -> str:
    """Any currency word or symbol, each in its own named group so the code can be told."""
    return "|".join(f"(?P<w{i}>{p})" for i, (p, _) in enumerate(CURRENCY_WORDS))


def _number_pattern() -> str:
    """A figure with optional thousands groups and decimals.

    Not preceded by a digit, slash, dot or dash, so "12345/06" or "1-123/2020" cannot lend their
    last digits; not followed by a slash or by a second dotted group, so "26.01.2006" is not
    "26.01". Thousands groups by space/nbsp need exactly three digits, so "2006 100" can only be
    read as "100".
    """
    groups = r"\d{1,3}(?:(?:[ \u00a0\u202f\u2009]|,|\.|')\d{3})+"
    return (rf"(?<![\d/.\-])(?:{groups}|\d+)(?:[.,]\d{{1,2}}(?!\d))?(?![\d/]|\.\d)")


_SCALE = (r"(?:\s*(?P<scale>(?i:million|millions|billion|milliards?)|млн\.?|миллион(?:а|ов)?|"
          r"млрд\.?|миллиард(?:а|ов)?|тыс\.?|тысяч[аи]?)(?![a-zа-яё]))?")
_SCALES = {"million": 1e6, "millions": 1e6, "млн": 1e6, "миллион": 1e6, "миллиона": 1e6,
           "миллионов": 1e6, "billion": 1e9, "milliard": 1e9, "milliards": 1e9, "млрд": 1e9,
           "миллиард": 1e9, "миллиарда": 1e9, "миллиардов": 1e9, "тыс": 1e3, "тысяч": 1e3,
           "тысяча": 1e3, "тысячи": 1e3}
# "500 000 (пятьсот тысяч) рублей", "10,000 (ten thousand) euros": words only, no digits.
_WORDS_IN_BRACKETS = r"(?:\s*\([^\d()]{3,120}\))?"
_KOPECKS = r"(?:\s+(?P<kop>\d{2})\s*(?:копе(?:ек|йки|йка)|коп\.?|cents?|евроцент\w*|центов)(?![а-яёa-z]))?"

#: "EUR 10,000", "€15 000", "USD 1.5 million".
BEFORE = re.compile(rf"(?:(?P<code>{_code_pattern()})|(?P<sym>[€£$₽]))\s?"
                    rf"(?P<num>{_number_pattern()}){_SCALE}")
#: "10,000 euros", "300 000 руб.", "500 000 (пятьсот тысяч) рублей 00 копеек", "10 000 EUR".
AFTER = re.compile(rf"(?P<num>{_number_pattern()}){_SCALE}{_WORDS_IN_BRACKETS}\s?"
                   rf"(?:(?P<code>{_code_pattern()})|{_word_pattern()}){_KOPECKS}")
#: The currency named only in the words after the figure: "1200 (тисячу двісті євро)", "885,87
#: (вісімсот вісімдесят п'ять євро та вісімдесят сім центів)", "5,000 (five thousand euros)". The
#: words hold no digit and no bracket, so "5 (п'ять) заявників ... (євро)" is no sum: the currency
#: must stand inside the figure's own brackets.
IN_WORDS = re.compile(rf"(?P<num>{_number_pattern()})\s*\((?=[^\d()]{{3,120}}\))[^\d();:]{{0,80}}?(?<![\w'’])"
                      rf"(?:{_word_pattern()})[^\d()]*\)")
# Not a figure of its own: a provision's number ("Article 41 (just satisfaction in euros)",
# "пункту 2 (...)"), or the tail of a figure a line break split ("EUR 2,286. 50 (two thousand two
# hundred and eighty-six euros fifty cents)", whose sum the code before it has read).
_PROVISION_BEFORE = re.compile(r"(?i:articles?|art\.|rules?|§|no\.|n°|№|стат\w+|пункт\w*|п\.|ст\.|правил\w*)\s*$"
                               r"|\d[.,]?\s*$")


def _to_float(num: str) -> float:
    """"10,000.50" -> 10000.5; "10 000,50" -> 10000.5; "10.000" -> 10000.0; "1,5" -> 1.5."""
    num = re.sub(r"[ \u00a0\u202f\u2009']", "", num)
    decimal = re.search(r"[.,](\d{1,2})$", num)
    head, tail = (num[: decimal.start()], decimal.group(1)) if decimal else (num, "")
    head = head.replace(",", "").replace(".", "")
    return float(f"{head}.{tail}" if tail else head)


def format_amount(amount: float) -> str:
    """The amount as keys print it: no separators, no trailing ".0".

    >>> format_amount(10000.0), format_amount(10000.5)
    ('10000', '10000.5')
    """
    return str(int(amount)) if amount == int(amount) else f"{amount:.2f}".rstrip("0")


def _currency(m: re.Match[str]) -> str:
    code = m.groupdict().get("code")
    if code:
        return _ALIASES.get(code, code)
    sym = m.groupdict().get("sym")
    if sym:
        return _SYMBOLS[sym]
    for i, (_, iso) in enumerate(CURRENCY_WORDS):
        if m.groupdict().get(f"w{i}"):
            return iso
    raise AssertionError("a currency group always matches")  # pragma: no cover


def _amount(m: re.Match[str]) -> float:
    value = _to_float(m.group("num"))
    scale = m.groupdict().get("scale")
    if scale:
        value *= _SCALES[scale.lower().rstrip(".")]
    kop = m.groupdict().get("kop")
    if kop:
        value += int(kop) / 100
    return round(value, 2)


def find_money(text: str) -> list[Entity]:
    """Every sum of money in ``text`` as MONEY entities keyed ``"EUR 10000"``.

    >>> [e.key for e in find_money("FRF 50,000 and 5 000 000 рублей 50 копеек")]
    ['FRF 50000', 'RUB 5000000.5']
    >>> find_money("Article 3, application no. 12345/06, 26 January 2006")
    []
    """
    found: list[Entity] = []
    for pattern in (BEFORE, AFTER, IN_WORDS):
        for m in pattern.finditer(text):
            if any(m.start() < e.end and e.start < m.end() for e in found):
                continue
            if pattern is IN_WORDS and _PROVISION_BEFORE.search(text, max(0, m.start() - 20), m.start()):
                continue
            key = f"{_currency(m)} {format_amount(_amount(m))}"
            found.append(Entity("MONEY", m.group(0), m.start(), m.end(), key))
    found.sort(key=lambda e: e.start)
    return found


def parse_amount(text: str) -> tuple[float, str] | None:
    """(amount, ISO code) of the first sum in a short snippet, or None when there is none.

    >>> parse_amount("EUR 10,000"), parse_amount("500 000 (пятьсот тысяч) рублей")
    ((10000.0, 'EUR'), (500000.0, 'RUB'))
    >>> parse_amount("USD") is None
    True
    """
    found = find_money(text)
    if not found:
        return None
    currency, amount = found[0].key.split(" ")  # type: ignore[union-attr]
    return float(amount), currency
