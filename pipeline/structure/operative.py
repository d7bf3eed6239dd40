"""The operative part of an ECHR judgment or decision: where it is, and what it holds.

The operative part opens with "FOR THESE REASONS, THE COURT" / "PAR CES MOTIFS, LA COUR", ends at
the signatures ("Done in English ...", "Fait en français ..."), the separate opinions or an
appendix, and is a list of points ("1. Declares ...", "2. Holds that there has been a violation of
Article 3 ..."). Each point gives holdings (a provision and an outcome, with the point's sentence
and vote) and, when it orders payment, awards.

>>> holdings, awards = read_operative("FOR THESE REASONS, THE COURT UNANIMOUSLY\\n"
...     "1. Holds that there has been a violation of Article 14 of the Convention taken in conjunction "
...     "with Article 8;\\nDone in English, and notified in writing on 10 March 2011.")
>>> [(h.article, h.outcome, h.vote) for h in holdings]
[('14+8', 'violation', 'unanimously')]
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from pipeline.entities.articles import find_articles
from pipeline.entities.money import find_money
from pipeline.models import Award, Holding

__all__ = ["ANNEX", "OperativeBounds", "find_operative", "read_operative"]


def _ws(text: str) -> str:
    """One space for any run of whitespace: HUDOC HTML exports break lines inside sentences."""
    return " ".join(text.split())


def _clean(text: str) -> str:
    """Whitespace folded and the typographic accidents of flattened exports repaired:
    "n o 1" (a superscript o) -> "no 1", "non \u2011 pecuniary" -> "non-pecuniary", "Declares ," -> ","."""
    text = _ws(text.replace("\u00a0", " "))
    text = re.sub(r"\s*[\u2010\u2011]\s*", "-", text)
    text = re.sub(r"\bn\s+(os?)\s*(?=\d)", r"n\1 ", text)
    text = re.sub(r"\bn\s?°\s*(?=\d)", "no ", text)
    text = re.sub(r"\s+([,;:)])", r"\1", text)
    return re.sub(r"\(\s+", "(", text)


# -- where it is ----------------------------------------------------------------------------------

_VERBS = (r"Declares|Holds|Decides|Dismisses|Rejects|Joins|Finds|Takes\s+note|Strikes|Accepts|Awards|Orders|"
          r"Invites|Notes|Lifts|Reserves|Concludes|Restores|Considers|Déclare|Dit|Décide|Rejette|Joint|"
          r"Prend\s+acte|Raye|Constate|Accueille|Alloue|Réserve|Invite|Juge|Estime|Lève|Ordonne")

# The heading of the operative part; small capitals come out of HTML exports in lower case ("for
# these reasons, the court"). It must be followed by the first point ("1. Declares", "Holds"), so the
# reasoning's own "For these reasons, the Court considers that ..." is not taken for it.
_OPERATIVE = re.compile(r"(?i:FOR THESE REASONS|PAR CES MOTIFS)\s*,?\s*(?i:THE COURT|THE COMMISSION|LA COUR|"
                        r"LA COMMISSION)(?P<vote>\s*,?\s*(?i:UNANIMOUSLY|À L['’]UNANIMITÉ|BY A MAJORITY|"
                        r"À LA MAJORITÉ))?\s*,?\s*"
                        r"(?=(?:(?:\.\.\.|…|\(\.\.\.\))\s*)*(?:[IVX]{1,4}\s?\.\s+[A-Z][^;:\n]{0,100}?\s)?"
                        r"(?:\d{1,2}\s?\.\s*[A-ZÀ-Ý]|(?:" + _VERBS + r")\b))")
_DONE = re.compile(r"\b(?:Done|Fait)\s+(?:in|en|à)\s")
_OPINION = re.compile(r"^[ \t]*(?:(?:(?:JOINT|PARTLY|PARTIALLY|CONCURRING|DISSENTING|SEPARATE|AND),?\s+)*"
                      r"(?:CONCURRING|DISSENTING|SEPARATE)\s+OPINION\b|OPINION\s+(?:(?:EN\s+PARTIE|COMMUNE|"
                      r"PARTIELLEMENT)\s+)*(?:CONCORDANTE|DISSIDENTE|SÉPARÉE|COMMUNE)|(?:JOINT\s+)?DECLARATION\s+"
                      r"OF\s+JUDGE|DÉCLARATION\s+(?:COMMUNE\s+)?DES?\s+JUGES?)", re.M)
ANNEX = re.compile(r"^[ \t]*(?:APPENDIX|Appendix|ANNEX|Annex|ANNEXE|Annexe)\b|\bAPPENDIX\b|\bANNEXE?\b|"
                   r"\b(?:Appendix|Annexe?)\s+(?:No\.|N°|List|Liste|Table)", re.M)


@dataclass
class OperativeBounds:
    """Offsets in the document: the operative part's span (heading to the opinions or appendix),
    and where the separate opinions and the appendix start, when there are any after it."""

    start: int
    end: int
    opinions: int | None = None
    annex: int | None = None


def find_operative(text: str, start: int = 0) -> OperativeBounds | None:
    """The operative part at or after ``start`` (the law part), or None when there is none."""
    operative = _OPERATIVE.search(text, start)
    if not operative:
        return None
    done = _DONE.search(text, operative.end())
    after = done.end() if done else operative.end()
    opinion = _OPINION.search(text, after)
    annex = ANNEX.search(text, after)
    end = min([m.start() for m in (opinion, annex) if m], default=len(text))
    return OperativeBounds(operative.start(), end, opinion.start() if opinion else None,
                           annex.start() if annex else None)


# -- what it holds --------------------------------------------------------------------------------
# A point starts with its verb, after its number ("2. Holds"), after the heading or after the
# previous point's ";" (unnumbered points of HTML exports: "...; Holds , unanimously, that").
_POINT = re.compile(r"(?<!\S)(?P<num>\d{1,2})\s?\.\s*(?P<verb>" + _VERBS + r"|[A-ZÀ-Ý][a-zà-ÿ]+)\b(?!-)"
                    r"|(?:^|(?<=[;:.,]))\s*(?P<verb2>" + _VERBS + r")\b(?!-)", re.M)
_VOTE = re.compile(r"\b(?P<v>unanimously|by\s+a\s+majority|by\s+[\w\-]+\s+votes\s+to\s+[\w\-]+|"
                   r"à\s+l['’]\s*unanimité|à\s+la\s+majorité|par\s+[\w\-]+\s+voix\s+contre\s+[\w\-]+)", re.I)
_OTHER_VERBS = re.compile(r"^(?:Dismisses|Rejects|Joins|Takes|Strikes|Accepts|Lifts|Reserves|Restores|Rejette|"
                          r"Joint|Prend|Raye|Accueille|Réserve|Lève|Invites|Invite|Orders|Ordonne)")
_STRIKE = re.compile(r"strike\b.{0,80}?\bout\b|struck\s+out|rayer\s+.{0,40}?rôle|radiation", re.I)
_PAYMENT = re.compile(r"\bto\s+pay\b|\bdoi(?:t|vent)\s+verser\b|\bverser\b|just\s+satisfaction|"
                      r"satisfaction\s+équitable|Article\s+(?:41|50)\b.{0,40}?not\s+ready", re.I)
_NOT_NECESSARY = re.compile(r"not\s+necessary|unnecessary|no\s+need\s+to|no\s+(?:separate|distinct)\s+issue|"
                            r"not\s+called\s+for|not\s+required\s+to\s+examine|need\s+not\s+be\s+examined|"
                            r"pas\s+lieu\s+d['’]\s*examiner|pas\s+nécessaire|aucune\s+question\s+distincte|"
                            r"inutile\s+d['’]\s*examiner", re.I)
_NO_VIOLATION = re.compile(r"\bno\s+(?:\w+\s+){0,2}violations?\b|\bno\s+discrimination\b|"
                           r"would\s+not\s+(?:\w+\s+){0,3}(?:violat|breach|give\s+rise)|\bnot\s+been\s+(?:a\s+)?violat|"
                           r"\bnot\s+been\s+a\s+breach|\bno\s+breach\b|pas\s+eu\s+violation|\bpas\s+violation|"
                           r"has\s+not\s+failed|"
                           r"have\s+not\s+failed|n['’]\s*(?:a|ont)\s+pas\s+manqué|has\s+complied", re.I)
# The old Court also found violations without the word: "the judicial corporal punishment inflicted
# on Mr Tyrer amounted to degrading punishment within the meaning of Article 3".
_VIOLATION = re.compile(r"\bviolat(?:e|es|ed|ion|ions)\b|\bdiscrimination\s+contrary\s+to\b|"
                        r"amount(?:ed|s)?\s+to\s+(?:inhuman|degrading|torture)|\bbreach(?:es|ed)?\b|"
                        r"(?:has|have)\s+failed\s+to\s+comply|a\s+manqué|ont\s+manqué", re.I)
# "may claim to be 'victims', for the purposes of Article 34, of the alleged violations": standing
_VICTIM = re.compile(r"claim\s+to\s+be\s+[“\"«]?\s*victims?|victim\s+status|qualité\s+de\s+[“\"«]?\s*victime", re.I)
_FOUND = re.compile(r"(?:has|have)\s+been\s+(?:a\s+)?(?:\w+\s+)?violations?\b|y\s+a\s+eu\s+violation", re.I)
_APPLICABLE = re.compile(r"\b(?:not\s+)?applicable\b|\binapplicable\b", re.I)
_INADMISSIBLE = re.compile(r"\binadmissible\b|\birrecevables?\b", re.I)
_ADMISSIBLE = re.compile(r"(?<!\w)admissible\b|(?<!\w)recevables?\b")
# The old Court printed HUDOC-like codes after each provision: "Article 6 para. 1 (art. 6-1)", "(P1-1)".
_ONE_CODE = r"(?:P\d{1,2}-)?\d{1,2}(?:-\d{1,2})?(?:-[a-z])?"
_CODE = r"(?:art\.\s*)?" + _ONE_CODE + r"(?:\+" + _ONE_CODE + r")*"
_OLD_CODE = re.compile(r"\((?P<codes>" + _CODE + r"(?:\s*,\s*" + _CODE + r")*)\)")
# "Article 6 §§ 1 and 3 (c)": paragraph 3 of Article 6 is always read with paragraph 1 -> 6-1+6-3-c;
# "Article 5 §§ 1 (f) and 4" are two findings -> 5-1-f, 5-4.
_PARAS_PAIR = re.compile(r"[Aa]rticle\s+(\d{1,2})\s*§§\s*(\d)\s*(?:\(?([a-f])\))?\s*(?:and|et)\s*(\d)\s*"
                         r"(?:\(?([a-f])\))?")
_IN_THE_LIGHT = re.compile(r",?\s*(?:read|taken|interpreted|examined)\s+in\s+(?:the\s+)?light\s+of\s+"
                           r"(?:the\s+)?[Aa]rticles?\s+\d{1,2}(?:\s*§\s*\d)?(?:\s+of\s+the\s+Convention)?|"
                           r",?\s*lu(?:e)?\s+à\s+la\s+lumière\s+de\s+"
                           r"l['’]\s*article\s+\d{1,2}(?:\s+de\s+la\s+Convention)?")
_CONJ_PLURAL = re.compile(r"[Aa]rticle\s+(?P<a>\d{1,2})(?:\s+of\s+the\s+Convention|\s+de\s+la\s+Convention)?,?\s+"
                          r"(?:(?:taken|read)\s+(?:together|in\s+conjunction)\s+with|in\s+conjunction\s+with|"
                          r"combiné\s+avec)\s+(?:les\s+)?[Aa]rticles\s+(?P<list>\d{1,2}(?:\s*,\s*\d{1,2})*\s+"
                          r"(?:and|or|et|ou)\s+\d{1,2})")
# "Articles 8 and 13", "articles 8 et 14": one finding each.
_PLURAL = re.compile(r"[Aa]rticles\s+(\d{1,2})((?:\s*,\s*\d{1,2})*)\s+(?:and|et)\s+(\d{1,2})(?!\s*(?:§|para))"
                     r"(?:\s+(?:of|du|to)\s+(?:the\s+)?Protocole?\s*(?:No\.?|no|n°)\s*(\d{1,2}))?")
# "Article 13 taken in conjunction with Article 4 of Protocol No. 4 and Article 5 § 4": 13+5-4 too
_AND_ANOTHER = re.compile(r"\s*(?:of\s+the\s+Convention|de\s+la\s+Convention|to\s+the\s+Convention)?\s*,?\s*"
                          r"(?:and|et|or|ou)\s*(?:with\s+|of\s+|de\s+)?(?:l['’]\s*)?$")
_HEADS: tuple[tuple[str, str], ...] = (
    ("other", r"pecuniary\s+and\s+non-?pecuniary|non-?pecuniary\s+and\s+pecuniary|dommages?\s+matériel\s+et\s+moral|"
              r"préjudices?\s+matériel\s+et\s+moral|dommage\s+matériel\s+et\s+(?:du\s+)?préjudice\s+moral"),
    ("non_pecuniary", r"non-?pecuniary|dommage\s+moral|préjudice\s+moral"),
    ("pecuniary", r"pecuniary\s+damage|pecuniary\s+loss|dommage\s+matériel|préjudice\s+matériel"),
    ("costs", r"costs\s+and\s+expenses|costs|expenses|frais\s+et\s+dépens|frais"),
)
_HEAD_RE = re.compile("|".join(f"(?P<{name}>{pattern})" for name, pattern in _HEADS), re.I)
# "in respect of non-pecuniary damage: EUR 6,000 to Ms K.; EUR 3,200 to Mr S." — a heading for the
# sums after it.
_HEADING_COLON = re.compile(r"\s*(?:damage|loss|dommage|préjudice)?\s*:")


def read_operative(part: str) -> tuple[list[Holding], list[Award]]:
    """Holdings and awards of the operative part ("FOR THESE REASONS, THE COURT ... Done in")."""
    head = _OPERATIVE.match(part)
    common_vote = _norm_vote(head.group("vote")) if head and head.group("vote") else None
    body = part[head.end():] if head else part
    done = _DONE.search(body)
    body = body[: done.start()] if done else body
    points = list(_POINT.finditer(body))
    holdings: list[Holding] = []
    awards: list[Award] = []
    for i, p in enumerate(points):
        verb = p.group("verb") or p.group("verb2")
        chunk = body[p.start("verb" if p.group("verb") else "verb2"): points[i + 1].start() if i + 1 < len(points)
                     else len(body)]
        # a sub-heading between points ("II. Alleged violations") belongs to neither
        point = re.split(r"\s[IVX]{1,4}\s?\.\s+[A-Z]", _clean(chunk))[0].rstrip(" ;.")
        vote_m = _VOTE.search(point[:200])
        vote = _norm_vote(vote_m.group("v")) if vote_m else common_vote
        for article, outcome in _classify(point, verb):
            holdings.append(Holding(article, outcome, point, vote))
        if _PAYMENT.search(point) and not _OTHER_VERBS.match(point):
            awards.extend(_awards(point))
    return holdings, awards


def _norm_vote(vote: str) -> str:
    return _ws(vote).strip(" ,").lower()


def _classify(point: str, verb: str) -> list[tuple[str | None, str]]:
    """(article, outcome) pairs of one operative point; one pair per provision it rules on."""
    if _STRIKE.search(point) or _OTHER_VERBS.match(point):
        return [(None, "other")]
    if verb in ("Declares", "Déclare"):
        return [_admissibility(point)]
    if _PAYMENT.search(point) or (_VICTIM.search(point) and not _FOUND.search(point)):
        return [(None, "other")]
    if _NOT_NECESSARY.search(point):
        outcome = "not_necessary_to_examine"
    elif _NO_VIOLATION.search(point):
        outcome = "no_violation"
        # "a violation of Article 3 ... by the Russian Federation and no violation by the Republic
        # of Moldova": one provision, two findings
        if re.search(r"(?:has|have)\s+been\s+(?:a\s+)?violations?\b|y\s+a\s+eu\s+violation", point):
            found: list[str | None] = [*_provisions(point)] or [None]
            return [(c, o) for c in found for o in ("violation", "no_violation")]
    elif _VIOLATION.search(point):
        outcome = "violation"
    elif _INADMISSIBLE.search(point):
        outcome = "inadmissible"
    elif _APPLICABLE.search(point):
        outcome = "other"
    else:
        return [(None, "other")]
    codes = _provisions(_finding_clause(point, outcome))
    if outcome == "inadmissible" and not re.search(r"\b(?:complaints?|griefs?)\b", point):
        codes = []
    return [(c, outcome) for c in codes] or [(None, outcome)]


_OUTCOME_RES = {"not_necessary_to_examine": _NOT_NECESSARY, "no_violation": _NO_VIOLATION, "violation": _VIOLATION,
                "inadmissible": _INADMISSIBLE, "other": _APPLICABLE}
# After its provisions a finding gives its reasons, which may name other provisions: "a violation
# of Article 13 by reason of the failure to provide remedies for interferences under Article 8".
_REASONS = re.compile(r"\b(?:by\s+reason\s+of|on\s+account\s+of|in\s+respect\s+of|in\s+that|as\s+regards|"
                      r"because|owing\s+to|by\s+virtue\s+of|en\s+raison|du\s+fait|quant\s+à|en\s+ce\s+qui\s+concerne|"
                      r"s['’]agissant)\b")


def _finding_clause(point: str, outcome: str) -> str:
    """The words of a point that name what was found: from the outcome phrase to its reasons.
    Falls back to the whole point when that leaves no provision ("Article 6 ... is not applicable")."""
    m = _OUTCOME_RES[outcome].search(point)
    if not m:
        return point
    clause = point[m.start():]
    cut = _REASONS.search(clause)
    if cut and _provisions(clause[: cut.start()]):
        return clause[: cut.start()]
    return clause if _provisions(clause) else point


def _admissibility(point: str) -> tuple[str | None, str]:
    """"Declares the complaint under Article 3 admissible and the remainder of the application
    inadmissible" -> (None, inadmissible): the provision named belongs to the admissible part.
    French puts the complaint after the adjective: "irrecevable quant au grief tiré de l'article 1
    du Protocole no 1" -> (P1-1, inadmissible)."""
    inad = _INADMISSIBLE.search(point)
    if not inad:
        return (None, "other")
    if inad.group(0).lower().startswith("irrecevable"):
        after = point[inad.end():]
        nxt = _ADMISSIBLE.search(after)
        segment = after[: nxt.start()] if nxt else after
    else:
        before = point[: inad.start()]
        prev = list(_ADMISSIBLE.finditer(before))
        segment = before[prev[-1].end():] if prev else before
    if re.search(r"remainder|surplus|reste", segment, re.I) and not re.search(r"[Aa]rticle", segment):
        return (None, "inadmissible")
    codes = _provisions(segment)
    return (codes[0] if codes else None, "inadmissible")


def _provisions(text: str) -> list[str]:
    """HUDOC codes of the provisions a holding names, in order, without repeats.

    >>> _provisions("violation of Article 6 §§ 1 and 3 (c) of the Convention")
    ['6-1+6-3-c']
    >>> _provisions("violation of Article 6 of the Convention and Article 1 of Protocol No. 1")
    ['6', 'P1-1']
    >>> _provisions("no violation of Article 1 (P1-1)")
    ['P1-1']
    """
    old = [c.replace("art.", "").strip() for m in _OLD_CODE.finditer(text) for c in m.group("codes").split(",")]
    if old:
        return list(dict.fromkeys(old))
    text = re.sub(r"read\s+together\s+with|combined\s+with", "taken together with", text)
    text = re.sub(r"\b(Protocol)\s+no\.", r"\1 No.", text)
    # "Article 10 read in the light of Article 11": the finding is under Article 10 alone
    text = _IN_THE_LIGHT.sub(lambda m: " " * len(m.group(0)), text)
    found: list[tuple[int, str]] = []
    # "Article 14 in conjunction with Articles 2, 3 and 13" -> 14+2, 14+3, 14+13
    for m in _CONJ_PLURAL.finditer(text):
        nums = re.findall(r"\d{1,2}", m.group("list"))
        found += [(m.start() + k, f"{m.group('a')}+{n}") for k, n in enumerate(nums)]
    text = _CONJ_PLURAL.sub(lambda m: " " * len(m.group(0)), text)

    def blank(m: re.Match[str]) -> str:
        return " " * len(m.group(0))

    for m in _PARAS_PAIR.finditer(text):
        art, a, sa, b, sb = m.groups()
        first = "-".join(x for x in (art, a, sa) if x)
        second = "-".join(x for x in (art, b, sb) if x)
        if art == "6" and a == "1" and b == "3":
            found.append((m.start(), f"{first}+{second}"))
        else:
            found += [(m.start(), first), (m.start() + 1, second)]
    text = _PARAS_PAIR.sub(blank, text)
    for m in _PLURAL.finditer(text):
        nums = [m.group(1), *re.findall(r"\d{1,2}", m.group(2)), m.group(3)]
        found += [(m.start() + k, f"P{m.group(4)}-{n}" if m.group(4) else n) for k, n in enumerate(nums)]
    text = _PLURAL.sub(blank, text)
    previous = None
    for e in find_articles(text, require_convention=False):
        key = e.key or ""
        if previous is not None and "+" in (previous.key or "") and "+" not in key \
                and _AND_ANOTHER.fullmatch(text[previous.end: e.start]):
            key = f"{(previous.key or '').split('+')[0]}+{key}"
        found.append((e.start, key))
        previous = e
    # Articles 41 (just satisfaction), 44 (finality), 46 (execution) frame the order, not a finding
    codes = [c for _, c in sorted(found) if c.split("-")[0] not in ("41", "44", "46", "50")]
    return list(dict.fromkeys(codes))


def _awards(point: str) -> list[Award]:
    """Sums ordered paid, each with its head: the "in respect of ..." after it, or a heading
    printed before a group of sums ("in respect of non-pecuniary damage: EUR 6,000 to Ms K.")."""
    money = [m for m in find_money(point) if m.key]
    heads = list(_HEAD_RE.finditer(point))
    out: list[Award] = []
    for k, m in enumerate(money):
        nxt = money[k + 1].start if k + 1 < len(money) else len(point)
        head = next((h.lastgroup for h in heads if m.end <= h.start() < nxt and not _is_heading(point, h, money)),
                    None)
        if head is None:
            before = [h for h in heads if h.end() <= m.start]
            head = before[-1].lastgroup if before else "other"
        currency, amount = m.key.split(" ")  # type: ignore[union-attr]
        item_end = point.find(";", m.end)
        snippet = point[m.start: item_end if item_end > 0 else min(len(point), m.end + 200)]
        out.append(Award(float(amount), currency, head or "other", snippet))
    return out


def _is_heading(point: str, head: re.Match[str], money: list[Any]) -> bool:
    """"in respect of costs and expenses: EUR 500" heads the sums after it; a colon not followed by
    a sum ("... non-pecuniary damage: (b) that from the expiry") is a misprinted semicolon."""
    colon = _HEADING_COLON.match(point, head.end())
    return colon is not None and any(colon.end() <= m.start <= colon.end() + 40 for m in money)
