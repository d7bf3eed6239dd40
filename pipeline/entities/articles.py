"""Convention provisions, normalised to HUDOC codes.

``Article 5 § 3`` -> ``5-3``; ``Article 6 §§ 1 and 3 (c)`` -> ``6-1`` and ``6-3-c``; ``Articles 3
and 13`` -> ``3`` and ``13``; ``Article 1 of Protocol No. 1`` -> ``P1-1``; ``Article 14 taken in
conjunction with Article 8`` -> ``14+8``; the same in French (``l'article 5 § 3 de la Convention``,
``article 6 §§ 1 et 3 c)``, ``l'article 1 du Protocole no 1``, ``combiné avec``) and Russian
(``статьи 3 Конвенции``, ``пункта 1 статьи 6 Конвенции``, ``статьи 1 Протокола № 1``).

A bare "Article 286" is not a Convention provision: ``find_articles`` keeps a mention only when
"of the Convention" / "de la Convention" / "Конвенции" or a Protocol follows it, or when it is part
of a combination ("taken in conjunction with"), so articles of domestic codes are never read as
Convention articles. Holdings, which speak of the Convention throughout, use ``article_code`` on
their own text with ``require_convention=False``.

One mention naming several provisions gives one entity per provision, all sharing the mention's
span ("Articles 3 and 13 of the Convention" -> keys ``3`` and ``13``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from pipeline.models import Entity

__all__ = ["article_code", "article_codes", "find_articles"]

_ART = r"(?:Articles?|ARTICLES?|Art\.|articles?|art\.|[Сс]тать[яиейюё]\w*|[Сс]т\.)"
_AND = r"(?:,\s*|\s*(?:,\s*)?(?:and|et|и|or|ou|или)\s+)"
# A Convention article number: one or two digits, not the start of "1,000" or "10.5".
_NUM = r"\d{1,2}(?!\d|[.,]\d)"
# A sub-paragraph: "(c)" in English and Russian, "c)" in French.
_SUB = r"\(?[a-fасе]\)"
_SUBS = rf"{_SUB}(?:{_AND}{_SUB})*"
_PARA_ITEM = rf"\d{{1,2}}(?!\d)(?:\s*{_SUBS})?"
# "§§ 1 and 3" lists paragraphs; after a single "§" a bare number starts a new article:
# "Articles 5 § 4 and 8" is 5-4 and 8, not 5-4 and 5-8.
_PARAS = (rf"(?:(?:§§|paras\.|paragraphs|пункт(?:ы|ов|ами|ам))\s*{_PARA_ITEM}"
          rf"(?:{_AND}(?:§\s*)?{_PARA_ITEM})*"
          rf"|(?:§|para\.|paragraph|п\.|пункт\w*)\s*{_PARA_ITEM}(?:{_AND}§\s*{_PARA_ITEM})*)")
_ITEM = rf"{_NUM}(?:\s*{_PARAS})?(?:\s*{_SUBS})?"
# A later item of a list must end like a list does, so "Article 5 § 3, 26 January 2006" does not
# read "26" as a second article.
_LIST_END = (r"(?=\s*(?:[,;.:)]|$|(?:and|et|и|or|ou|или|of|to|de|du|under|taken|read|in|"
             r"combin\w*|pris|lu\w*|в|во|Конвенци\w*|Протокол\w*)(?!\w)))")
_LIST = rf"{_ITEM}(?:{_AND}{_ITEM}{_LIST_END})*"
# Russian order: "пункта 1 статьи 6", "подпункта «c» пункта 3 статьи 6".
_RU_PREFIX = (r"(?:(?:подпункт\w*|подп\.)\s*[«\"]?(?P<ru_sub>[a-fасе])[»\"]?\s*)?"
              r"(?:(?:пункт\w*|п\.)\s*(?P<ru_para>\d{1,2})\s+)?")
_PROTOCOL = (r"(?:\s*,?\s*(?:of|to|du|de)\s+(?:the\s+)?Protocol(?:e)?\s*(?:No\.?|no|n\s?o(?=\s)|n\.?\s?[°º]|N[°º]|№)\s*"
             r"(?P<protocol>\d{1,2})(?!\d)"
             r"|\s*(?:Протокола|Протоколу|Протоколом)\s*№\s*(?P<ru_protocol>\d{1,2})(?!\d))")
_CONVENTION = (r"(?:\s*,?\s*(?:of|to|de|under)\s+(?:the|la)\s+(?:European\s+)?Convention"
               r"|\s*(?:de\s+la\s+)?Convention\s+européenne|\s*(?:Европейской\s+)?Конвенции)")
_CONJ = (r"\s*,?\s*(?:(?:taken|read|considered)\s+(?:in\s+conjunction|together|in\s+combination)"
         r"\s+with|(?:in\s+conjunction|in\s+combination|together)\s+with|"
         r"(?:pris\s+)?(?:combinée?s?|lue?s?\s+en\s+combinaison)\s+avec|en\s+combinaison\s+avec|"
         r"(?:во\s+)?взаимосвязи\s+со?|в\s+совокупности\s+со?|в\s+сочетании\s+со?)\s+"
         r"(?:(?:l['’]\s*|les\s+))?")


def _mention(name: str) -> str:
    """One mention: keyword, list of items, optional protocol; groups prefixed with ``name``."""
    body = (rf"{_RU_PREFIX}(?:l['’]\s*|les\s+|des\s+)?{_ART}\s*(?P<list>{_LIST})"
            rf"(?:{_PROTOCOL})?")
    return re.sub(r"\(\?P<(\w+)>", rf"(?P<{name}_\1>", body)


#: One item of a list; items follow each other, so scanning the list left to right finds them.
_ITEM_RE = re.compile(_ITEM)
MENTION = re.compile(rf"(?<![\w]){_mention('a')}(?P<a_conv>{_CONVENTION})?")
COMBINED = re.compile(rf"(?<![\w]){_mention('a')}(?:{_CONVENTION})?{_CONJ}{_mention('b')}"
                      rf"(?:{_CONVENTION})?")


@dataclass(frozen=True)
class _Parsed:
    codes: tuple[str, ...]
    has_protocol: bool


def _subs(text: str) -> list[str]:
    """Sub-paragraph letters, Cyrillic look-alikes read as Latin (Russian texts mix them)."""
    return [s.translate(str.maketrans("асе", "ace")) for s in re.findall(r"\(?([a-fасе])\)", text)]


def _item_codes(item: str, protocol: str | None, ru_para: str | None, ru_sub: str | None) -> list[str]:
    """Codes of one item: "6 §§ 1 and 3 (c)" -> 6-1, 6-3-c."""
    number = re.match(r"\d{1,2}", item).group(0)  # type: ignore[union-attr]
    head = f"P{protocol}-{number}" if protocol else number
    paras = re.search(rf"(?:§§?|paras?\.|paragraphs?|п\.|пункт\w*)\s*(.*)$", item)
    codes: list[str] = []
    if paras:
        for m in re.finditer(rf"(\d{{1,2}})(?!\d)((?:\s*{_SUBS})?)", paras.group(1)):
            subs = _subs(m.group(2))
            codes.extend(f"{head}-{m.group(1)}-{s}" for s in subs)
            if not subs:
                codes.append(f"{head}-{m.group(1)}")
    elif ru_para:
        codes.append(f"{head}-{ru_para}-{_subs('(' + ru_sub + ')')[0]}" if ru_sub else f"{head}-{ru_para}")
    else:
        codes.append(head)
    return codes


def _parse(m: re.Match[str], name: str) -> _Parsed:
    """Every code of one mention (the groups prefixed ``name``)."""
    protocol = m.group(f"{name}_protocol") or m.group(f"{name}_ru_protocol")
    items = [i.group(0) for i in _ITEM_RE.finditer(m.group(f"{name}_list"))]
    codes: list[str] = []
    for i, item in enumerate(items):
        prefix = (m.group(f"{name}_ru_para"), m.group(f"{name}_ru_sub")) if i == 0 else (None, None)
        codes.extend(_item_codes(item, protocol, *prefix))
    return _Parsed(tuple(c for c in codes if _plausible(c)), protocol is not None)


def _plausible(code: str) -> bool:
    """The Convention has 59 articles; protocols have fewer than 20. Anything else is domestic."""
    head = code.split("-")[0]
    if head.startswith("P"):
        protocol = code.split("-")[1]
        return protocol.isdigit() and int(protocol) <= 20 and 1 <= int(head[1:]) <= 16
    return head.isdigit() and 1 <= int(head) <= 59


def _combined(text: str) -> list[Entity]:
    """"Article 14 taken in conjunction with Article 8" -> 14+8; one entity per pair."""
    out: list[Entity] = []
    for m in COMBINED.finditer(text):
        first, second = _parse(m, "a").codes, _parse(m, "b").codes
        for a in first:
            for b in second:
                out.append(Entity("ARTICLE", m.group(0), m.start(), m.end(), f"{a}+{b}"))
    return out


def find_articles(text: str, *, require_convention: bool = True) -> list[Entity]:
    """Every Convention provision in ``text`` as ARTICLE entities keyed by HUDOC code.

    >>> [e.key for e in find_articles("violation of Article 6 §§ 1 and 3 (c) of the Convention")]
    ['6-1', '6-3-c']
    >>> [e.key for e in find_articles("Articles 3 and 13 of the Convention; l'article 5 § 3 de la Convention")]
    ['3', '13', '5-3']
    >>> [e.key for e in find_articles("нарушение статьи 3 Конвенции и пункта 1 статьи 6 Конвенции")]
    ['3', '6-1']
    >>> find_articles("Article 286 of the Criminal Code; Article 10 of the Law")
    []
    """
    out = _combined(text)
    taken = [(e.start, e.end) for e in out]
    for m in MENTION.finditer(text):
        if any(s <= m.start() < e for s, e in taken):
            continue
        parsed = _parse(m, "a")
        if require_convention and not (parsed.has_protocol or m.group("a_conv")):
            continue
        out.extend(Entity("ARTICLE", m.group(0), m.start(), m.end(), code)
                   for code in parsed.codes)
    out.sort(key=lambda e: e.start)
    return out


def article_codes(text: str, *, require_convention: bool = False) -> list[str]:
    """Every HUDOC code named in a short text, in order, without repeats.

    >>> article_codes("Holds that there has been a violation of Article 6 §§ 1 and 3 (c)")
    ['6-1', '6-3-c']
    """
    seen: dict[str, None] = {}
    for e in find_articles(text, require_convention=require_convention):
        seen.setdefault(e.key or "", None)
    return [k for k in seen if k]


def article_code(text: str, *, require_convention: bool = False) -> str | None:
    """The HUDOC code of the first Convention provision in a short text (a holding, a heading).

    >>> article_code("Holds that there has been a violation of Article 14 of the Convention taken in conjunction with Article 8")
    '14+8'
    >>> article_code("violation de l'article 1 du Protocole no 1")
    'P1-1'
    >>> article_code("Article 5 § 3 of the Convention")
    '5-3'
    >>> article_code("Article 286 of the Criminal Code") is None
    True
    """
    found = find_articles(text, require_convention=require_convention)
    return found[0].key if found else None
