"""Convention provisions, normalised to HUDOC codes.

``Article 5 § 3`` -> ``5-3``; ``Article 6 § 3 (c)`` -> ``6-3-c``; ``Article 1 of Protocol No. 1``
-> ``P1-1``; ``Article 14 taken in conjunction with Article 8`` -> ``14+8``; the same in French
(``l'article 1 du Protocole no 1``, ``combiné avec``) and Russian (``статьи 3 Конвенции``).

A bare "Article 286" is not a Convention provision: ``find_articles`` keeps a mention only when
"of the Convention" / "de la Convention" / "Конвенции" or a Protocol follows it, so articles of
domestic codes are never read as Convention articles. Holdings, which speak of the Convention
throughout, use ``article_code`` on their own text with ``require_convention=False``.
"""

from __future__ import annotations

import re

from pipeline.models import Entity

_ART = r"(?:Articles?|Art\.|articles?|art\.|[Сс]тать[яиейюё]|[Сс]т\.)"
_NUM = r"(\d{1,2})(?!\d)"
# "§ 3", "§§ 1 and 3", "para. 3", "п. 3": the paragraph of the article.
_PARA = r"(?:\s*(?:§§?|para(?:graph)?s?\.?|п\.|пункт[а-я]*)\s*(\d{1,2}))?"
# "(c)" or "(a)": a sub-paragraph.
_SUB = r"(?:\s*\(([a-f])\))?"
_PROTOCOL = (r"(?:\s*(?:of|du|de|to the)\s+(?:the\s+)?(?:Protocol|Protocole)\s*(?:No\.?|no|n°|№)\s*(\d{1,2})"
             r"|\s*Протокола\s*№\s*(\d{1,2}))")
_CONVENTION = r"(?:\s*(?:of|de)\s+(?:the|la)\s+Convention|\s*Конвенции)"
_CONJ = (r"\s*(?:,\s*)?(?:taken\s+(?:in\s+conjunction|together)\s+with|in\s+conjunction\s+with|read\s+in\s+"
         r"conjunction\s+with|combinée?\s+avec|en\s+combinaison\s+avec|(?:во\s+)?взаимосвязи\s+со?|"
         r"в\s+совокупности\s+со?)\s+(?:l['’]\s*)?")

SINGLE = re.compile(_ART + r"\s*" + _NUM + _PARA + _SUB + r"(?:" + _PROTOCOL + r")?")
COMBINED = re.compile(
    r"(?:l['’]\s*)?" + _ART + r"\s*" + _NUM + _PARA + _SUB + r"(?:" + _PROTOCOL + r")?"
    + r"(?:" + _CONVENTION + r")?" + _CONJ
    + _ART + r"\s*" + _NUM + _PARA + _SUB + r"(?:" + _PROTOCOL + r")?")
TRAILER = re.compile(r"^(?:" + _CONVENTION + r"|" + _PROTOCOL + r")")


def _code(num: str, para: str | None, sub: str | None, protocol: str | None) -> str:
    parts = [f"P{protocol}-{num}" if protocol else num]
    if para:
        parts.append(para)
        if sub:
            parts.append(sub)
    return "-".join(parts)


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


def find_articles(text: str, *, require_convention: bool = True) -> list[Entity]:
    """Every Convention provision in ``text`` as ARTICLE entities keyed by HUDOC code."""
    out: list[Entity] = []
    taken: list[tuple[int, int]] = []
    for m in COMBINED.finditer(text):
        a = _code(m.group(1), m.group(2), m.group(3), m.group(4) or m.group(5))
        b = _code(m.group(6), m.group(7), m.group(8), m.group(9) or m.group(10))
        if not _plausible(a) or not _plausible(b):
            continue
        out.append(Entity("ARTICLE", m.group(0), m.start(), m.end(), f"{a}+{b}"))
        taken.append((m.start(), m.end()))
    for m in SINGLE.finditer(text):
        if any(s <= m.start() < e for s, e in taken):
            continue
        code = _code(m.group(1), m.group(2), m.group(3), m.group(4) or m.group(5))
        if not _plausible(code):
            continue
        if require_convention and not (m.group(4) or m.group(5)) \
                and not TRAILER.match(text[m.end(): m.end() + 40]) \
                and not _inside_combination(text, m):
            continue
        out.append(Entity("ARTICLE", m.group(0), m.start(), m.end(), code))
    out.sort(key=lambda e: e.start)
    return out


def _inside_combination(text: str, m: re.Match[str]) -> bool:
    """"Article 14 of the Convention taken in conjunction with Article 8" — the second one."""
    return bool(re.search(_CONJ + r"$", text[max(0, m.start() - 60): m.start()]))


def _plausible(code: str) -> bool:
    """The Convention has 59 articles; protocols have fewer than 20. Anything else is domestic."""
    head = code.split("-")[0]
    if head.startswith("P"):
        protocol = code.split("-")[1]
        return protocol.isdigit() and int(protocol) <= 20 and 1 <= int(head[1:]) <= 16
    return head.isdigit() and 1 <= int(head) <= 59
