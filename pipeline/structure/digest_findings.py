"""The findings an information note, a legal summary or a press release reports for its one case.

The Court's digests do not print an operative part. An information note ends each part of its
"Law" with a conclusion ("Law – Article 10: ... Conclusion: violation (unanimously)."); a press
release opens with its headline findings ("Violation of Article 3 (prohibition of torture)",
"Non-violation de l'article 3 concernant ...", "The Court held unanimously that there had been a
violation of Article 10"). Only these printed conclusions are read, each with the article it is
on; a conclusion whose article or outcome is not plain (friendly settlement, several outcomes in
one line, an article not named) is left out rather than guessed, and a digest of several cases is
not read at all (its caller names no case).

>>> [(h.article, h.outcome) for h in summary_findings(NOTE)]
[('10', 'violation'), ('3', 'no_violation')]
>>> [(h.article, h.outcome) for h in release_findings(RELEASE)]
[('2', 'violation'), ('3', 'violation'), ('3', 'no_violation')]
"""

from __future__ import annotations

import re

from pipeline.models import Holding

__all__ = ["NOTE", "RELEASE", "release_findings", "summary_findings"]

NOTE = """Brown v. Sweden - 12345/12
Judgment 12.9.2017 [Section III]
Article 10
Law – Article 10: The question at issue was the refusal of access.
Conclusion: violation (unanimously).
Article 3: The conditions of detention did not reach the threshold.
Conclusion: no violation (six votes to one).
Article 41: EUR 2,000 in respect of non-pecuniary damage.
"""

RELEASE = """Lefèvre et autres c. Turquie (requête n o 12337/03)
Violation de l’article 2 (droit à la vie) concernant huit détenus
Violation de l’article 3 (interdiction des traitements inhumains ou dégradants)
Non-violation de l’article 3 concernant les proches
Principaux faits
Les requérants invoquent une violation de l’article 8.
"""

# "Article 6 § 1", "l'article 2", "Article 1 of Protocol No. 1", "article 3 du Protocole n o 1"
_ARTICLE = (r"(?P<art>\d{1,2})(?:\s*(?:§|para\.)\s*(?P<para>\d))?"
            r"(?:\s+(?:of|du|to\s+the)\s+Protocol[e]?\s+(?:No\.?|n\s?[o°])\s*(?P<prot>\d{1,2}))?")
# The law part of a note names the article it is on at the start of its paragraph, or as a
# heading line of its own ("Article 2" over "Obligations positives ... Conclusion : violation").
_LAW_ARTICLE = re.compile(r"^[ \t]*(?:(?:Law|En\s+droit)\s*[:–—-]\s*)?[Aa]rticles?\s+" + _ARTICLE + r"\b"
                          r"(?:[^\n]{0,40}?(?:[:–—]|\s-\s)|[ \t]*$)", re.M)
_CONCLUSION = re.compile(r"^[ \t]*Conclusions?\s*:\s*(?P<what>[^\n]{1,200})", re.M)
_NOTE_OUTCOMES = (
    ("no_violation", r"\b(?:no\s+violation|non-?\s?violation|pas\s+de\s+violation)\b"),
    ("violation", r"\bviolation\b"),
    ("inadmissible", r"\b(?:inadmissible|irrecevable)\b"),
    ("not_necessary_to_examine", r"\b(?:no\s+separate\s+issue|not\s+necessary|pas\s+lieu\s+d['’]examiner)\b"),
)
# The headline of a release stops where its account of the facts starts.
_RELEASE_END = re.compile(r"^[ \t]*(?:\d\.\s*)?(?:Principal\s+facts|Principaux\s+faits|The\s+facts|Les\s+faits)\b",
                          re.M | re.I)
_RELEASE_LINE = re.compile(r"^[ \t]*(?:[•\-–]\s*)?(?:(?P<neg>Non-?\s?violation|[Nn]o\s+violation)|"
                           r"(?:[Aa]\s+)?[Vv]iolation)\s+"
                           r"(?:of|de|des|du)\s+(?:the\s+|l['’]\s*)?[Aa]rticles?\s+(?P<list>[^\n(]{1,80})", re.M)
_RELEASE_HELD = re.compile(r"\b(?:held|a\s+conclu|dit),?\s+(?:unanimously,?\s+|by\s+\w+\s+votes\s+to\s+\w+,?\s+|"
                           r"à\s+l['’]unanimité,?\s+)?(?:that\s+there\s+had\s+been|qu['’]il\s+y\s+a\s+eu)\s+"
                           r"(?P<neg>no\s+)?(?:a\s+)?violation\s+(?:of|de)\s+(?:l['’]\s*)?[Aa]rticles?\s+"
                           r"(?P<list>[^\n(.;]{1,80})")
# The account of the judgment after the facts says which complaints the Court left unexamined,
# in one sentence each: "The Court did not consider it necessary to examine separately the
# complaint under Article 13", "La Cour ne juge pas nécessaire de procéder à un examen séparé
# des griefs tirés des articles 6 et 13", "il n'y a pas lieu d'examiner séparément le grief
# tiré de l'article 14". A sentence that names no article ("ces griefs") gives none.
_RELEASE_UNNECESSARY = re.compile(
    r"\b(?:(?:did\s+not\s+(?:consider|find)\s+it|(?:found|considered|held)\s+(?:that\s+)?it\s+(?:was\s+)?un|"
    r"(?:found|considered|held)\s+that\s+it\s+was\s+not)\s*necessary\s+to\s+(?:examine|rule\s+on)\s+"
    r"(?:separately\s+)?(?:the\s+)?(?:applicants?['’]s?\s+)?complaints?\s+under\s+"
    r"|(?:ne\s+juge|n['’]estime|ne\s+l['’]estime)\s+pas\s+nécessaire\s+(?:de\s+procéder\s+à\s+un\s+examen\s+séparé\s+"
    r"|d['’]examiner\s+(?:séparément\s+)?|de\s+statuer\s+(?:séparément\s+)?sur\s+)(?:des|les?|du)\s+griefs?\s+tirés?\s+"
    r"|n['’]y\s+a\s+pas\s+lieu\s+d['’]examiner\s+(?:séparément\s+)?(?:le|les)\s+griefs?\s+tirés?\s+)"
    r"(?:de\s+(?:l['’]\s*)?|des\s+)?[Aa]rticles?\s+(?P<list>[^\n(.;]{1,80})")
#: Where the account of the judgment ends: just satisfaction, the opinions, the release's footer.
_RELEASE_BODY_END = re.compile(r"^[ \t]*(?:Article\s+41|Just\s+satisfaction|Satisfaction\s+équitable|"
                               r"Separate\s+opinions?|Opinions?\s+séparées?)\b", re.M | re.I)
_ONE = re.compile(_ARTICLE)


def _codes(printed: str) -> list[str]:
    """HUDOC codes of "2 et 3", "6 § 1", "1 of Protocol No. 1" (the first words of a list only)."""
    printed = re.split(r"\b(?:concernant|concerning|in\s+respect|regarding|as\s+regards|because|owing|due|taken|"
                       r"combiné|read|lu|pour|for|by|par|on\s+account)\b", printed)[0]
    out: list[str] = []
    for m in _ONE.finditer(printed):
        code = f"P{m.group('prot')}-{m.group('art')}" if m.group("prot") else m.group("art")
        if m.group("para") and not m.group("prot"):
            code += f"-{m.group('para')}"
        if code.split("-")[0] not in ("41", "50") and code not in out:
            out.append(code)
    return out


def summary_findings(text: str) -> list[Holding]:
    """One holding per "Conclusion:" line of a note whose article the law part names."""
    out: list[Holding] = []
    for m in _CONCLUSION.finditer(text):
        what = m.group("what")
        # "no violation" holds the word "violation": a violation counts only where no negation is
        rest = re.sub(_NOTE_OUTCOMES[0][1], " ", what, flags=re.I)
        outcomes = [name for name, pattern in _NOTE_OUTCOMES
                    if re.search(pattern, rest if name == "violation" else what, re.I)]
        if len(outcomes) != 1:
            continue  # friendly settlement, struck out, or two outcomes in one line: not plain
        named = re.search(r"[Aa]rticles?\s+" + _ARTICLE, what)
        law = [a for a in _LAW_ARTICLE.finditer(text, 0, m.start())]
        source = named.group(0) if named else (law[-1].group(0) if law else "")
        codes = _codes(re.sub(r"^[^\d]*?[Aa]rticles?\s+", "", source))
        if len(codes) == 1:
            out.append(Holding(codes[0], outcomes[0], " ".join(what.split()), None))
    return out


def release_findings(text: str) -> list[Holding]:
    """The headline findings of a press release of one judgment, before its account of the facts,
    and the complaints its account of the judgment says the Court did not need to examine."""
    end = _RELEASE_END.search(text)
    head = text[: end.start() if end else 3000]
    out: list[Holding] = []
    lines = list(_RELEASE_LINE.finditer(head))
    held = [m for m in _RELEASE_HELD.finditer(head)
            if not any(m.start() < n.end() and n.start() < m.end() for n in lines)]
    for m in [*lines, *held]:
        outcome = "no_violation" if m.group("neg") else "violation"
        sentence = " ".join(head[m.start(): head.find("\n", m.end()) if "\n" in head[m.end():] else len(head)].split())
        for code in _codes(m.group("list")):
            out.append(Holding(code, outcome, sentence, None))
    if end:
        stop = _RELEASE_BODY_END.search(text, end.end())
        body = text[end.end(): stop.start() if stop else len(text)]
        for m in _RELEASE_UNNECESSARY.finditer(body):
            sentence = " ".join(body[m.start(): m.end()].split())
            out += [Holding(code, "not_necessary_to_examine", sentence, None) for code in _codes(m.group("list"))]
    return out
