"""Provisions of Russian codes, normalised to keys: ``п. «а» ч. 3 ст. 286 УК РФ`` -> ``УК:286:3:а``.

A Russian ruling names the law it applies as a chain — point (пункт), part (часть), article
(статья) — followed by the code, in abbreviated or full form and in any grammatical case. One
mention may name several provisions: ``ст. 151, 1069, 1100 ГК РФ``, ``пунктами «а», «в» части 3
статьи 286``, ``ч. 1 ст. 111, п. «а» ч. 3 ст. 286 УК РФ``, ``ст.ст. 307-309 УПК РФ``.

A chain counts only when a code closes it: "ст. 3" alone may be an article of a federal law, a
Convention or "настоящего Кодекса", and none of those has a key here.

Entities: one per provision. A chain's provisions share its span; the last chain of a mention
also covers the code ("ч. 3 ст. 286 УК РФ"), the others stop at their article number.

>>> [e.key for e in find_code_provisions("по п. «а» ч. 3 ст. 286 УК РФ и ст. 151, 1069 ГК РФ")]
['УК:286:3:а', 'ГК:151', 'ГК:1069']
"""

from __future__ import annotations

import itertools
import re

from pipeline.models import Charge, Entity

__all__ = ["CODES", "find_code_provisions", "parse_code_provision"]

#: (key, pattern) of each code, longest names first so "Гражданского процессуального кодекса"
#: is never read as "Гражданского кодекса". Abbreviations are case-sensitive ("ук" is not a code);
#: the full names take any case ending and any capitalisation.
CODES: tuple[tuple[str, str], ...] = (
    ("УПК", r"УПК|(?i:уголовно[-\s]процессуальн\w*\s+кодекс\w*)"),
    ("УИК", r"УИК|(?i:уголовно[-\s]исполнительн\w*\s+кодекс\w*)"),
    ("УК", r"УК|(?i:уголовн\w*\s+кодекс\w*)"),
    ("ГПК", r"ГПК|(?i:гражданск\w*\s+процессуальн\w*\s+кодекс\w*)"),
    ("ГК", r"ГК|(?i:гражданск\w*\s+кодекс\w*)"),
    ("КоАП", r"КоАП|(?i:кодекс\w*\s+(?:Российской\s+Федерации\s+|РФ\s+)?об\s+административных\s+"
             r"правонарушениях)"),
    ("КАС", r"КАС|(?i:кодекс\w*\s+административного\s+судопроизводства)"),
    ("АПК", r"АПК|(?i:арбитражн\w*\s+процессуальн\w*\s+кодекс\w*)"),
    ("СК", r"СК|(?i:семейн\w*\s+кодекс\w*)"),
    ("ТК", r"ТК|(?i:трудов\w*\s+кодекс\w*)"),
    ("НК", r"НК|(?i:налогов\w*\s+кодекс\w*)"),
    ("ЖК", r"ЖК|(?i:жилищн\w*\s+кодекс\w*)"),
    ("Конституция", r"Конституци[яиюей]"),
)

# Ordinal words for parts: "частью первой статьи 129".
_ORDINALS = {"перв": "1", "втор": "2", "трет": "3", "четв": "4", "пят": "5", "шест": "6",
             "седьм": "7", "восьм": "8", "девят": "9", "десят": "10"}
_MAX_RANGE = 10
_Q = r"[«\"'“„”]?"
_QEND = r"[»\"'“”]?"


def _listed(item: str) -> str:
    """``item`` repeated with commas/"и"/"или": "«а», «в»", "151, 1069 и 1100"."""
    return rf"{item}(?:\s*(?:,|\bи\b|\bили\b)\s*{item})*"


def _point() -> str:
    """Point (пункт / подпункт): a letter in or out of quotes, or a number.

    A bare letter must end the word, so "п. в связи" or "п. пр" never gives point "в"/"п".
    """
    item = rf"{_Q}(?:[а-яё](?![а-яё\w])|\d{{1,3}}(?![\d.]\d)){_QEND}"
    keyword = r"(?:подп\.|подпункт\w*|пп\.|п\.\s*п\.|п\.|пункт\w*)"
    return rf"(?P<point>{keyword}\s*{_listed(item)})"


def _part() -> str:
    """Part (часть): digits or an ordinal word ("частью первой")."""
    ordinal = r"(?i:(?:перв|втор|трет|четв[её]рт|пят|шест|седьм|восьм|девят|десят)\w*)"
    item = rf"(?:\d{{1,2}}(?![\d.]\d)|{ordinal})"
    keyword = r"(?:ч\.\s*ч\.|чч\.|ч\.|част\w*)"
    return rf"(?P<part>{keyword}\s*{_listed(item)})"


def _article() -> str:
    """Article (статья): "286", "20.2", "158.1", or a range "307-309".

    Not followed by a slash or more digits, so "ст. 1-123/2020" (a case number) is not a range.
    """
    num = r"\d{1,4}(?:\.\d{1,2})?(?![\d/])"
    item = rf"{num}(?:\s*[-–—]\s*{num})?"
    keyword = r"(?:ст\.\s*ст\.|стст\.|ст\.|стать\w*)"
    return rf"(?P<article>{keyword}\s*{_listed(item)})"


def _code_names() -> str:
    """Any code name, with the optional "РФ" / "Российской Федерации" it carries."""
    names = "|".join(f"(?P<c_{i}>{p})" for i, (_, p) in enumerate(CODES))
    return rf"(?:{names})(?![\w])(?:\s+(?:РФ|Российской\s+Федерации|России|РСФСР)(?![\w]))?"


def _strip_names(pattern: str) -> str:
    """The same pattern without group names, so it can repeat inside one regex."""
    return re.sub(r"\(\?P<\w+>", "(?:", pattern)


# The suffix form first: "ст. 12.26 ч. 1" must keep its part rather than stop after "12.26".
_CHAIN_ANY = _strip_names(rf"(?:{_article()}\s+{_part()}(?:\s+{_point()})?"
                          rf"|(?:{_point()}\s*)?(?:{_part()}\s*)?{_article()})")
_SEP = r"\s*(?:,|;|\bи\b|\bа\s+также\b)\s*"
#: A whole mention: chains separated by commas or "и", closed by a code name. The lookbehind keeps
#: "ст." from being found inside a word ("пост. 5").


class _Lazy:
    """A regular expression compiled when first used. These take 60 ms to compile, and every
    CLI search imports this module (a query may name "ч. 3 ст. 286 УК РФ"): most never need them.
    """

    def __init__(self, pattern: str):
        self._pattern = pattern
        self._compiled: re.Pattern | None = None

    def __getattr__(self, name: str):
        if self._compiled is None:
            self._compiled = re.compile(self._pattern)
        return getattr(self._compiled, name)


MENTION = _Lazy(rf"(?<![\w.])(?P<chains>{_CHAIN_ANY}(?:{_SEP}{_CHAIN_ANY})*)\s*{_code_names()}")
_PREFIX_CHAIN = _Lazy(rf"(?:{_point()}\s*)?(?:{_part()}\s*)?{_article()}")
_SUFFIX_CHAIN = _Lazy(rf"{_article()}\s+{_part()}(?:\s+{_point()})?")
_CHAIN_START = _Lazy(_CHAIN_ANY)
#: Every article keyword (``_article``) holds this: a text without it names no provision.
_ARTICLE_MARK = "ст"


def _numbers(text: str) -> list[str]:
    """Article numbers of an article group, small ranges expanded ("307-309" -> 307, 308, 309)."""
    body = re.sub(r"^(?:ст\.\s*ст\.|стст\.|ст\.|стать\w*)\s*", "", text)
    out: list[str] = []
    for m in re.finditer(r"(\d{1,4}(?:\.\d{1,2})?)(?:\s*[-–—]\s*(\d{1,4}(?:\.\d{1,2})?))?", body):
        low, high = m.group(1), m.group(2)
        if high and low.isdigit() and high.isdigit() and 0 < int(high) - int(low) <= _MAX_RANGE:
            out.extend(str(n) for n in range(int(low), int(high) + 1))
        else:
            out.extend(x for x in (low, high) if x)
    return out


def _parts(text: str | None) -> list[str | None]:
    """Parts of a part group, ordinal words as numbers ("частью первой" -> "1")."""
    if not text:
        return [None]
    body = re.sub(r"^(?:ч\.\s*ч\.|чч\.|ч\.|част\w*)\s*", "", text)
    out: list[str | None] = []
    for m in re.finditer(r"\d{1,2}|[А-Яа-яЁё]+", body):
        word = m.group(0)
        if word.isdigit():
            out.append(word)
            continue
        for stem, number in _ORDINALS.items():
            if word.lower().startswith(stem):
                out.append(number)
                break
    return out or [None]


def _points(text: str | None) -> list[str | None]:
    """Points of a point group. "и" separates points unless quoted: п. «и» ч. 2 ст. 105 is real."""
    if not text:
        return [None]
    body = re.sub(r"^(?:подп\.|подпункт\w*|пп\.|п\.\s*п\.|п\.|пункт\w*)\s*", "", text)
    items = re.split(r"\s*,\s*|\s+(?:и|или)\s+", body.strip())
    found = [item.strip("«»\"'“„” ").lower() for item in items]
    return [f for f in found if f] or [None]


def _code_key(m: re.Match[str]) -> str:
    """The key of the code group that matched."""
    for i, (key, _) in enumerate(CODES):
        if m.group(f"c_{i}"):
            return key
    raise AssertionError("a code group always matches")  # pragma: no cover


def _split_chains(chains: str) -> list[re.Match[str]]:
    """The chains of one mention, left to right, each parsed into point / part / article."""
    out: list[re.Match[str]] = []
    for m in _CHAIN_START.finditer(chains):
        parsed = (_SUFFIX_CHAIN.fullmatch(chains, m.start(), m.end())
                  or _PREFIX_CHAIN.fullmatch(chains, m.start(), m.end()))
        if parsed:
            out.append(parsed)
    return out


def _charges(chain: re.Match[str], code: str) -> list[Charge]:
    """Every provision a chain names: the product of its points, parts and articles."""
    return [Charge(code, article, part, point)
            for article, part, point in itertools.product(
                _numbers(chain.group("article") or ""), _parts(chain.group("part")),
                _points(chain.group("point")))]


def find_code_provisions(text: str) -> list[Entity]:
    """Every Russian code provision in ``text``, as CODE_ARTICLE entities keyed like ``УК:286:3:а``.

    >>> [e.key for e in find_code_provisions("пунктами \\"а\\", \\"в\\" части 3 статьи 286 УК РФ")]
    ['УК:286:3:а', 'УК:286:3:в']
    >>> [e.key for e in find_code_provisions("ст.ст. 307-309 УПК РФ; ч. 5 ст. 20.2 КоАП РФ")]
    ['УПК:307', 'УПК:308', 'УПК:309', 'КоАП:20.2:5']
    >>> find_code_provisions("согласно ст. 3 настоящего Закона")
    []
    """
    out: list[Entity] = []
    if _ARTICLE_MARK not in text:
        return out
    for m in MENTION.finditer(text):
        code = _code_key(m)
        base = m.start("chains")
        chains = _split_chains(m.group("chains"))
        for i, chain in enumerate(chains):
            start = base + chain.start()
            end = m.end() if i == len(chains) - 1 else base + chain.end()
            for charge in _charges(chain, code):
                out.append(Entity("CODE_ARTICLE", text[start:end], start, end, charge.key))
    return out


def parse_code_provision(text: str) -> Charge | None:
    """The first provision named in a short snippet, or None.

    >>> parse_code_provision("п. «а» ч. 3 ст. 286 УК РФ")
    Charge(code='УК', article='286', part='3', point='а')
    >>> parse_code_provision("статьи 286 Уголовного кодекса Российской Федерации").key
    'УК:286'
    >>> parse_code_provision("ст. 3") is None
    True
    """
    m = MENTION.search(text)
    if not m:
        return None
    chains = _split_chains(m.group("chains"))
    charges = _charges(chains[0], _code_key(m)) if chains else []
    return charges[0] if charges else None
