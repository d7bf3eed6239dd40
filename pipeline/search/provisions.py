"""Which provisions a document is about, as index values: at issue (``article``) or only named
(``cites_article``).

A judgment against Russia names Article 3 in a quoted domestic ruling, a cited case or the
Court's general principles without ruling on it; a lawyer filtering ``article:3`` wants the
documents that rule on it. So ``article`` holds the provisions a document rules on or is charged
under, read from the record's structure, never from mentions:

* an ECHR holding's article (``Holds that there has been a violation of Article 3``), whatever
  its outcome: a finding of no violation or of no need to examine is a ruling on it too;
* the provisions named in an admissibility point (``Declares the complaint under Article 3
  admissible and the remainder inadmissible``), admissible and inadmissible parts alike;
* Article 41 where the Court awards just satisfaction, and Article 46 where a point names it;
* the provisions a communicated case asks the parties about (``complaints``): nothing is ruled
  yet, and these are what it is about;
* a Russian ruling's charges (``УК:286:3:а``): what the accused is charged under.

``cites_article`` keeps every provision the text names (Convention mentions, code provisions)
and everything in ``article``, so ``article:X`` always finds a subset of ``cites_article:X``.

Codes are indexed with their parents, like HUDOC's article list: ``6-3-c`` also as ``6-3`` and
``6``, ``P1-1`` also as ``P1``, ``УК:286:3:а`` also as ``УК:286:3`` and ``УК:286``, and each
side of a combination (``14+8``: ``14`` and ``8``). ``article:6`` then finds every part of
Article 6 while ``article:6-1`` stays narrow, with no prefix query (the same exact terms on both
engines, and a facet value counts what its filter finds).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from pipeline.entities.articles import article_codes
from pipeline.models import StoredRecord

__all__ = ["PROCEDURAL_FROM", "at_issue", "cited", "expand", "is_procedural"]

#: Articles 19 to 59 of the Convention set up the Court and its procedure (34 petition, 35
#: admissibility, 41 just satisfaction, 44 finality, 46 execution; 25-27, 31 and 50 of the
#: former text); Articles 1 to 18 and the Protocols' articles are the rights. In the article
#: facet the rights come first.
PROCEDURAL_FROM = 19

# An admissibility point: "Declares the complaint under Article 3 admissible ...".
_DECLARES = re.compile(r"^\W*(?:\d{1,2}\s?\.\s*)?(?:declares?|déclare)\b", re.I)
# "Holds that the respondent State must ... (Article 46)": execution named in a point.
_EXECUTION = re.compile(r"\b[Aa]rticle\s+46\b")
# A Convention code, with its paragraph and sub-paragraph: "6", "6-3-c", "P1-1".
_CODE = re.compile(r"^(?:P\d{1,2}-)?\d{1,2}(?:-\d{1,2})?(?:-[a-z])?$")


def is_procedural(code: str) -> bool:
    """A provision of the Court's procedure rather than a right (ranked last in the facet).

    >>> [is_procedural(c) for c in ("3", "6-1", "35-3-a", "41", "P1-1", "14+8", "УК:286")]
    [False, False, True, True, False, False, False]
    """
    head = code.split("+")[0].split("-")[0]
    return head.isdigit() and int(head) >= PROCEDURAL_FROM


def _parents(code: str) -> set[str]:
    """``6-3-c`` -> {6-3-c, 6-3, 6}; ``P1-1`` -> {P1-1, P1}; ``УК:286:3`` -> {УК:286:3, УК:286}."""
    if ":" in code:
        parts = code.split(":")
        return {":".join(parts[:n]) for n in range(2, len(parts) + 1)}
    parts = code.split("-")
    return {"-".join(parts[:n]) for n in range(1, len(parts) + 1)}


def expand(codes: Iterable[str]) -> set[str]:
    """The index values of some provisions: each with its parents, combinations with each side.

    >>> sorted(expand(["6-3-c", "14+8", "P1-1"]))
    ['14', '14+8', '6', '6-3', '6-3-c', '8', 'P1', 'P1-1']
    >>> sorted(expand(["УК:286:3:а"]))
    ['УК:286', 'УК:286:3', 'УК:286:3:а']
    """
    out: set[str] = set()
    for code in codes:
        code = code.strip()
        if not code:
            continue
        out.add(code)
        for side in code.split("+") if ":" not in code else [code]:
            out |= _parents(side)
    return out


def _convention(codes: Iterable[str]) -> list[str]:
    """Codes that read as Convention provisions (each side of a combination)."""
    return [c for c in codes if c and all(_CODE.match(side) for side in c.split("+"))]


def at_issue(record: StoredRecord) -> list[str]:
    """The provisions a document rules on or is charged under, as codes (parents not added).

    >>> at_issue({"kind": "echr_judgment", "holdings": [
    ...     {"article": "14+8", "outcome": "violation", "text": "Holds that ..."},
    ...     {"article": None, "outcome": "inadmissible", "text": "Declares the complaint under "
    ...      "Article 3 admissible and the remainder of the application inadmissible"}],
    ...     "awards": [{"amount": 1.0}], "charges": []})
    ['14+8', '3', '41']
    >>> at_issue({"kind": "ru_sentence", "holdings": [], "awards": [],
    ...     "charges": [{"key": "УК:286:3:а"}]})
    ['УК:286:3:а']
    """
    found: dict[str, None] = {}
    echr = (record.get("kind") or "").startswith("echr")
    for holding in record.get("holdings") or []:
        if article := holding.get("article"):
            found.setdefault(article, None)
        text = holding.get("text") or ""
        if _DECLARES.match(text):
            for code in _convention(article_codes(text)):
                found.setdefault(code, None)
        if _EXECUTION.search(text):
            found.setdefault("46", None)
    if echr and record.get("awards"):
        found.setdefault("41", None)
    for code in record.get("complaints") or []:
        found.setdefault(code, None)
    for charge in record.get("charges") or []:
        if key := charge.get("key"):
            found.setdefault(key, None)
    return list(found)


def cited(record: StoredRecord) -> list[str]:
    """Every provision the document names: Convention articles, code provisions, and those at
    issue (codes, parents not added)."""
    found: dict[str, None] = dict.fromkeys(at_issue(record))
    for ent in record.get("entities") or []:
        if ent.get("label") in ("ARTICLE", "CODE_ARTICLE") and (key := ent.get("key")):
            found.setdefault(key, None)
    return list(found)
