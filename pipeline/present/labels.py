"""Human labels for facet values and record fields, shared by the CLI, the web page and every engine:
the one place a holding, an award, a charge or a penalty is written for people.

Kept apart from the engines so the web page and a second engine (tantivy) use the same words:
a kind must not read "Russian other act" in a facet and something else in a hit.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any, Protocol

from pipeline.models import AwardData, ChargeData, HoldingData, PenaltyData

class Translator(Protocol):
    """An interface language's ``gettext`` and ``ngettext`` (the web page's ``Interface``)."""

    def gettext(self, message: str) -> str: ...

    def ngettext(self, singular: str, plural: str, n: int) -> str: ...


class _English:
    """The messages as written: what the CLI prints and the default of every label here."""

    def gettext(self, message: str) -> str:
        return message

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return singular if n == 1 else plural


ENGLISH: Translator = _English()


def N_(message: str) -> str:
    """Marks ``message`` for the web page's catalogues (``make messages`` extracts it) and
    returns it unchanged: the CLI prints it as written, the page translates it when shown."""
    return message


def N_plural(singular: str, plural: str) -> tuple[str, str]:
    """``N_`` for a message with a plural form (for ``ngettext``): ``make messages`` extracts
    both forms."""
    return singular, plural


KIND_LABELS = {
    "echr_judgment": N_("ECHR judgment"), "echr_decision": N_("ECHR decision"),
    "echr_communicated": N_("ECHR communicated case"),
    "echr_report": N_("ECHR Commission report"),
    "echr_advisory_opinion": N_("ECHR advisory opinion"),
    "echr_summary": N_("ECHR case-law summary"), "echr_press_release": N_("ECHR press release"),
    "echr_other": N_("ECHR other document"), "ru_sentence": N_("Russian sentence"),
    "ru_decision": N_("Russian decision"), "ru_ruling": N_("Russian ruling"),
    "ru_other": N_("Russian other act"), "uk_judgment": N_("UK judgment"),
    "other": N_("Other document"), "document": N_("Other document"),
}
LANGUAGE_LABELS = {"ru": N_("Russian"), "en": N_("English"), "fr": N_("French"),
                   "uk": N_("Ukrainian"), "de": N_("German"), "it": N_("Italian"),
                   "unknown": N_("Unknown")}
OUTCOME_LABELS = {"violation": N_("violation"), "no_violation": N_("no violation"),
                  "inadmissible": N_("inadmissible"),
                  "not_necessary_to_examine": N_("not necessary to examine"), "other": N_("other")}
#: Heads of damage of an award, and penalties' types, as the operative part words them.
AWARD_HEADS = {"non_pecuniary": N_("non-pecuniary damage"), "pecuniary": N_("pecuniary damage"),
               "costs": N_("costs and expenses")}
#: Heads of an award as statistics name them: "other" is a sum the operative part gives for
#: several heads together, or for none.
STATS_HEADS = {**AWARD_HEADS, "other": N_("heads not stated apart")}
#: Outcomes of Russian court acts (``structure/russian.py``).
RU_OUTCOME_LABELS = {"convicted": N_("convicted"), "acquitted": N_("acquitted"),
                     "terminated": N_("proceedings terminated"), "upheld": N_("upheld"),
                     "modified": N_("modified"), "overturned": N_("overturned"),
                     "claim_granted": N_("claim granted"),
                     "claim_granted_in_part": N_("claim granted in part"),
                     "claim_rejected": N_("claim rejected")}
#: What statistics group by (``stats --by``), as a column heads it.
GROUP_LABELS = {"year": N_("Year"), "article": N_("Article"), "state": N_("Respondent state"),
                "court": N_("Court"), "kind": N_("Kind")}
#: Instances of a Russian court act.
INSTANCE_LABELS = {"first": N_("first instance"), "appeal": N_("appeal"),
                   "cassation": N_("cassation"), "supervisory": N_("supervisory review")}
PENALTY_TYPES = {"imprisonment": N_("imprisonment"), "fine": N_("fine"),
                 "suspended": N_("suspended"),
                 "restriction_of_liberty": N_("restriction of liberty"), "other": N_("other"),
                 "penalty": N_("penalty")}


def article_label(code: str, tr: Translator = ENGLISH) -> str:
    """``3`` -> ``Article 3``; ``6-1`` -> ``Article 6 § 1``; ``P1-1`` -> ``Article 1 of Protocol No. 1``.

    >>> [article_label(c) for c in ("3", "6-1", "P1-1", "14+8", "35-3-a", "P1")]
    ['Article 3', 'Article 6 § 1', 'Article 1 of Protocol No. 1', 'Article 14+8', 'Article 35 § 3 (a)', 'Protocol No. 1']
    """
    if "+" in code:
        return tr.gettext("Article %(article)s") % {"article": code}
    if re.fullmatch(r"P\d{1,2}", code):  # any article of a Protocol, as ``article:P1`` finds
        return tr.gettext("Protocol No. %(protocol)s") % {"protocol": code[1:]}
    protocol = None
    if code.startswith("P") and "-" in code:
        protocol, _, code = code[1:].partition("-")
    article, *rest = code.split("-")
    if rest:
        article += f" § {rest[0]}" + "".join(f" ({r})" for r in rest[1:])
    if protocol:
        return tr.gettext("Article %(article)s of Protocol No. %(protocol)s") % {
            "article": article, "protocol": protocol}
    return tr.gettext("Article %(article)s") % {"article": article}


#: How a holding's text names the limb of an article (Article 3's substantive and procedural).
_LIMBS = (
    (re.compile(r"substantive\s+(?:limb|aspect|head)|volet\s+matériel|материально[- ]правов\w*\s+"
                r"аспект", re.IGNORECASE), N_("substantive limb")),
    (re.compile(r"procedural\s+(?:limb|aspect|head)|volet\s+procédural|процессуальн\w*\s+аспект",
                re.IGNORECASE), N_("procedural limb")),
)
#: Russian codes as lawyers write them after an article.
CODE_NAMES = {"УК": "УК РФ", "УПК": "УПК РФ", "ГК": "ГК РФ", "ГПК": "ГПК РФ", "КоАП": "КоАП РФ",
              "КАС": "КАС РФ", "АПК": "АПК РФ"}


def holding_label(holding: HoldingData, tr: Translator = ENGLISH) -> str:
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
    outcome = outcome_label(holding.get("outcome"), tr)
    label = f"{article_label(str(holding['article']), tr)}: {outcome}" if holding.get("article") \
        else outcome.capitalize()
    text = holding.get("text") or ""
    limb = next((name for rx, name in _LIMBS if rx.search(text)), None)
    return f"{label} ({tr.gettext(limb)})" if limb else label


def outcome_label(outcome: str | None, tr: Translator = ENGLISH) -> str:
    """``no_violation`` -> "no violation" (an unknown value as given)."""
    label = OUTCOME_LABELS.get(outcome or "")
    return tr.gettext(label) if label else outcome or ""


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


def award_label(award: AwardData, tr: Translator = ENGLISH) -> str:
    """An award as the operative part states it, the head of damage in words.

    >>> award_label({"amount": 25000.0, "currency": "EUR", "head": "non_pecuniary"})
    'EUR 25,000 (non-pecuniary damage)'
    """
    amount = award.get("amount")
    figure = f"{amount:,.0f}" if isinstance(amount, (int, float)) else str(amount or "")
    head = award.get("head") or ""
    head = tr.gettext(AWARD_HEADS[head]) if head in AWARD_HEADS else head
    return f"{award.get('currency') or ''} {figure}".strip() + (f" ({head})" if head else "")


def penalty_label(penalty: PenaltyData, tr: Translator = ENGLISH) -> str:
    """A penalty of a Russian sentence, shortened.

    >>> penalty_label({"type": "imprisonment", "months": 42, "amount": None})
    'imprisonment, 3 years 6 months'
    >>> penalty_label({"type": "restriction_of_liberty", "months": 12})
    'restriction of liberty, 1 year'
    >>> penalty_label({"type": "suspended", "months": 24, "probation_months": 18})
    'suspended, 2 years, probation 1 year 6 months'
    """
    kind = str(penalty.get("type") or "penalty")
    parts = [tr.gettext(PENALTY_TYPES[kind]) if kind in PENALTY_TYPES else kind.replace("_", " ")]
    if months := penalty.get("months"):
        parts.append(duration_label(int(months), tr))
    if penalty.get("amount"):
        parts.append(f"{penalty['amount']:,.0f}")
    if probation := penalty.get("probation_months"):
        parts.append(tr.gettext("probation %(duration)s") % {
            "duration": duration_label(int(probation), tr)})
    return ", ".join(parts)


def duration_label(months: int, tr: Translator = ENGLISH) -> str:
    """``42`` -> ``3 years 6 months``; ``5`` -> ``5 months``."""
    years, months = divmod(months, 12)
    out = [tr.ngettext("%(num)d year", "%(num)d years", years) % {"num": years} if years else "",
           tr.ngettext("%(num)d month", "%(num)d months", months) % {"num": months}
           if months else ""]
    return " ".join(p for p in out if p)
