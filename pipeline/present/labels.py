"""Human labels for facet values and record fields, shared by the CLI, the web page and every engine:
the one place a holding, an award, a charge or a penalty is written for people.

Kept apart from the engines so the web page and a second engine (tantivy) use the same words:
a kind must not read "Russian other act" in a facet and something else in a hit.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from pipeline.models import AwardData, ChargeData, HoldingData, PenaltyData

KIND_LABELS = {
    "echr_judgment": "ECHR judgment", "echr_decision": "ECHR decision",
    "echr_communicated": "ECHR communicated case", "echr_report": "ECHR Commission report",
    "echr_advisory_opinion": "ECHR advisory opinion", "echr_summary": "ECHR case-law summary",
    "echr_press_release": "ECHR press release", "echr_other": "ECHR other document",
    "ru_sentence": "Russian sentence", "ru_decision": "Russian decision",
    "ru_ruling": "Russian ruling", "ru_other": "Russian other act", "uk_judgment": "UK judgment",
    "other": "Other document",
    "document": "Other document",
}
LANGUAGE_LABELS = {"ru": "Russian", "en": "English", "fr": "French", "uk": "Ukrainian",
                   "de": "German", "it": "Italian", "unknown": "Unknown"}
OUTCOME_LABELS = {"violation": "violation", "no_violation": "no violation",
                  "inadmissible": "inadmissible",
                  "not_necessary_to_examine": "not necessary to examine", "other": "other"}


def article_label(code: str) -> str:
    """``3`` -> ``Article 3``; ``6-1`` -> ``Article 6 § 1``; ``P1-1`` -> ``Article 1 of Protocol No. 1``.

    >>> [article_label(c) for c in ("3", "6-1", "P1-1", "14+8", "35-3-a", "P1")]
    ['Article 3', 'Article 6 § 1', 'Article 1 of Protocol No. 1', 'Article 14+8', 'Article 35 § 3 (a)', 'Protocol No. 1']
    """
    if "+" in code:
        return f"Article {code}"
    if re.fullmatch(r"P\d{1,2}", code):  # any article of a Protocol, as ``article:P1`` finds
        return f"Protocol No. {code[1:]}"
    protocol = None
    if code.startswith("P") and "-" in code:
        protocol, _, code = code[1:].partition("-")
    article, *rest = code.split("-")
    text = f"Article {article}"
    if rest:
        text += f" § {rest[0]}" + "".join(f" ({r})" for r in rest[1:])
    return text + (f" of Protocol No. {protocol}" if protocol else "")


#: How a holding's text names the limb of an article (Article 3's substantive and procedural).
_LIMBS = (
    (re.compile(r"substantive\s+(?:limb|aspect|head)|volet\s+matériel|материально[- ]правов\w*\s+"
                r"аспект", re.IGNORECASE), "substantive limb"),
    (re.compile(r"procedural\s+(?:limb|aspect|head)|volet\s+procédural|процессуальн\w*\s+аспект",
                re.IGNORECASE), "procedural limb"),
)
#: Russian codes as lawyers write them after an article.
CODE_NAMES = {"УК": "УК РФ", "УПК": "УПК РФ", "ГК": "ГК РФ", "ГПК": "ГПК РФ", "КоАП": "КоАП РФ",
              "КАС": "КАС РФ", "АПК": "АПК РФ"}


def holding_label(holding: HoldingData) -> str:
    """A holding in a few words, as the outcome facet names it, with the limb of the article
    when the holding's text names one (two "Article 3: violation" are told apart so).

    >>> holding_label({"article": "13", "outcome": "not_necessary_to_examine"})
    'Article 13: not necessary to examine'
    >>> holding_label({"article": "3", "outcome": "violation", "text": "Holds that there has "
    ...                "been a violation of Article 3 under its procedural limb"})
    'Article 3: violation (procedural limb)'
    >>> holding_label({"article": "P1-1", "outcome": "no_violation", "text": "sous son volet matériel"})
    'Article 1 of Protocol No. 1: no violation (substantive limb)'
    """
    outcome = OUTCOME_LABELS.get(holding.get("outcome") or "", holding.get("outcome") or "")
    label = f"{article_label(str(holding['article']))}: {outcome}" if holding.get("article") \
        else outcome.capitalize()
    text = holding.get("text") or ""
    limb = next((name for rx, name in _LIMBS if rx.search(text)), None)
    return f"{label} ({limb})" if limb else label


def charge_label(charge: ChargeData) -> str:
    """A charge as Russian lawyers write it.

    >>> charge_label({"code": "УК", "article": "286", "part": "3", "point": "а", "key": "УК:286:3:а"})
    'п. «а» ч. 3 ст. 286 УК РФ'
    >>> charge_label({"key": "УК:286:3:а"})
    'УК:286:3:а'
    """
    if not charge.get("article"):
        return str(charge.get("key") or "")
    parts = [f"п. «{charge['point']}»" if charge.get("point") else "",
             f"ч. {charge['part']}" if charge.get("part") else "", f"ст. {charge['article']}",
             CODE_NAMES.get(charge.get("code") or "", charge.get("code") or "")]
    return " ".join(p for p in parts if p)


def award_label(award: AwardData) -> str:
    """An award as the operative part states it, the head of damage in words.

    >>> award_label({"amount": 25000.0, "currency": "EUR", "head": "non_pecuniary"})
    'EUR 25,000 (non-pecuniary damage)'
    """
    heads = {"non_pecuniary": "non-pecuniary damage", "pecuniary": "pecuniary damage",
             "costs": "costs and expenses"}
    amount = award.get("amount")
    figure = f"{amount:,.0f}" if isinstance(amount, (int, float)) else str(amount or "")
    head = heads.get(award.get("head") or "", award.get("head") or "")
    return f"{award.get('currency') or ''} {figure}".strip() + (f" ({head})" if head else "")


def penalty_label(penalty: PenaltyData) -> str:
    """A penalty of a Russian sentence, shortened.

    >>> penalty_label({"type": "imprisonment", "months": 42, "amount": None})
    'imprisonment, 3 years 6 months'
    >>> penalty_label({"type": "restriction_of_liberty", "months": 12})
    'restriction of liberty, 1 year'
    >>> penalty_label({"type": "suspended", "months": 24, "probation_months": 18})
    'suspended, 2 years, probation 1 year 6 months'
    """
    parts = [str(penalty.get("type") or "penalty").replace("_", " ")]
    if months := penalty.get("months"):
        parts.append(duration_label(int(months)))
    if penalty.get("amount"):
        parts.append(f"{penalty['amount']:,.0f}")
    if probation := penalty.get("probation_months"):
        parts.append(f"probation {duration_label(int(probation))}")
    return ", ".join(parts)


def duration_label(months: int) -> str:
    """``42`` -> ``3 years 6 months``; ``5`` -> ``5 months``."""
    years, months = divmod(months, 12)
    out = [f"{years} year{'s' if years != 1 else ''}" if years else "",
           f"{months} month{'s' if months != 1 else ''}" if months else ""]
    return " ".join(p for p in out if p)
