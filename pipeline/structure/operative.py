"""The operative part of an ECHR judgment or decision: where it is, and what it holds.

The operative part opens with "FOR THESE REASONS, THE COURT" / "PAR CES MOTIFS, LA COUR", ends at
the signatures ("Done in English ...", "Fait en français ...", the Registrar's and the President's
names), the separate opinions or an appendix, and is a list of points ("1. Declares ...", "2. Holds
that there has been a violation of Article 3 ..."). Each point gives holdings (a provision and an
outcome, with the point's sentence and vote) and, when it orders payment, awards.

A lawyer filters on these holdings and cites what comes back, so a point is read for what it
finds, with its negation and its scope, and a point that cannot be read with confidence is kept
with the outcome ``other``, never as a guessed violation:

>>> holdings, awards = read_operative("FOR THESE REASONS, THE COURT UNANIMOUSLY\\n"
...     "1. Holds that there has been a violation of Article 14 of the Convention taken in conjunction "
...     "with Article 8;\\n2. Holds that the dismissal did not constitute a violation of Article 8;\\n"
...     "Done in English, and notified in writing on 10 March 2011.")
>>> [(h.article, h.outcome, h.vote) for h in holdings]
[('14+8', 'violation', 'unanimously'), ('8', 'no_violation', 'unanimously')]
>>> [(h.article, h.outcome) for h in read_operative("PAR CES MOTIFS, LA COUR, A L'UNANIMITE,\\n"
...     "Dit qu'il n'y a eu violation ni de l'article 6 ni de l'article 13 de la Convention.")[0]]
[('6', 'no_violation'), ('13', 'no_violation')]
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Any

from pipeline.entities.articles import find_articles
from pipeline.entities.money import find_money
from pipeline.models import Award, Holding
from pipeline.structure.flat_text import one_line as _ws
from pipeline.structure.flat_text import repaired as _clean

__all__ = ["ANNEX", "OperativeBounds", "find_operative", "provisions_named", "read_operative"]




def _fold_char(c: str) -> str:
    if c in "’‘`´":
        return "'"
    low = c.lower()
    c = low if len(low) == 1 else c
    base = unicodedata.normalize("NFD", c)[:1]
    return base if base else c


def _fold(text: str) -> str:
    """Lower case without accents, one character for one, so offsets stay those of ``text``:
    old HUDOC texts print "A L'UNANIMITE" and "EN ETAT", modern ones "à l’unanimité"."""
    return "".join(_fold_char(c) for c in text)


# -- where it is ----------------------------------------------------------------------------------

# The verbs that open a point, as the Court prints them; French ones also without their accents,
# as old HUDOC texts print them.
_VERB_WORDS = (
    "Declares", "Holds", "Decides", "Dismisses", "Rejects", "Joins", "Finds", r"Takes\s+note", "Strikes",
    "Accepts", "Awards", "Orders", "Invites", "Notes", "Lifts", "Reserves", "Concludes", "Restores", "Considers",
    "States", "Upholds", "Affirms", "Declines", "Adjourns", "Disjoins", "Refers", "Indicates", "Discontinues",
    "Déclare", "Declare", "Dit", "Décide", "Decide", "Rejette", "Joint", r"Prend\s+acte", "Raye", "Constate",
    "Accueille", "Alloue", "Réserve", "Reserve", "Invite", "Juge", "Estime", "Lève", "Leve", "Ordonne", "Écarte",
    "Ecarte", "Retient", "Conclut", "Renvoie", "Disjoint", "Ajourne", "Indique", "Accorde",
    # translations published in Ukraine and Russia
    "Оголошує", "Постановляє", "Вирішує", "Відхиляє", "Долучає", "Визнає", "Об[’']єднує", "Зобов[’']язує",
    "Объявляет", "Постановляет", "Постановил", "Решает", "Отклоняет", "Объединяет", "Признает", "Признаёт",
    "Присоединяет", "Отвергает", "Решил",
)
_VERBS = "|".join(_VERB_WORDS)
# Inline, a verb must be capitalised ("... unanimously Declares the application inadmissible"; the
# Commission printed "DECLARES"): "For these reasons, the Court considers that ..." in the reasoning
# is a sentence, not the operative part. After a number or at the start of a line any case will do
# ("1. holds").
_VERB_CAP = r"(?:" + _VERBS + r"|" + _VERBS.upper().replace(r"\S", r"\s") + r")"
_VERB_ANY = r"(?i:" + _VERBS + r")"
# A capitalised word in the scripts of the texts: "5. La rejette", "1. Одноголосно вирішує".
_WORD_CAP = r"[A-ZÀ-ÝА-ЯЁІЇЄҐ][a-zà-ÿа-яёіїєґ’']+"
_VOTE_WORDS = (r"ОДНОГОЛОСНО|ЕДИНОГЛАСНО|БІЛЬШІСТЮ\s+ГОЛОСІВ|БОЛЬШИНСТВОМ\s+ГОЛОСОВ|UNANIMOUSLY|BY\s+A\s+MAJORITY|"
               r"BY\s+[\w\-]+\s+VOTES\s+TO\s+[\w\-]+|[AÀ]\s+L['’]\s*UNANIMIT[EÉ]|"
               r"[AÀ]\s+LA\s+MAJORIT[EÉ]|PAR\s+[\w\-]+\s+VOIX\s+CONTRE\s+[\w\-]+")
# The heading: "FOR THESE REASONS, THE COURT", "FOR THE REASONS, THE COURT" (a HUDOC misprint),
# "PAR CES MOTIFS, LA COUR, A L'UNANIMITE," and the Commission's own ("En conséquence, la
# Commission, à l'unanimité, DECLARE ..."); small capitals come out of
# HTML exports in lower case ("for these reasons, the court").
_HEADING = re.compile(r"(?:(?i:FOR\s+TH(?:ESE|E|OSE)\s+REASONS|PAR\s+CES\s+MOTIFS)\s*,?\s*"
                      r"(?i:THE\s+(?:EUROPEAN\s+)?(?:COURT|COMMISSION)|LA\s+(?:COUR|COMMISSION))"
                      r"|(?:En\s+cons[ée]quence|EN\s+CONS[EÉ]QUENCE|Consequently|Accordingly)\s*,?\s*"
                      r"(?:the\s+Commission|la\s+Commission)"
                      r"|(?i:(?:ЗА|З|НА)\s+ЦИХ\s+(?:ПІДСТАВ(?:АХ)?|ОБСТАВИН)|"
                      r"ПО\s+(?:ЭТИМ|ЦИМ)\s+(?:ОСНОВАНИЯМ|ПРИЧИНАМ)|"
                      r"НА\s+(?:ЭТИХ\s+ОСНОВАНИЯХ|ОСНОВАНИИ\s+ИЗЛОЖЕННОГО)|С\s+УЧ[ЕЁ]ТОМ\s+ИЗЛОЖЕННОГО)\s*,?\s*"
                      r"(?i:(?:ЄВРОПЕЙСЬКИЙ\s+|ЕВРОПЕЙСКИЙ\s+)?СУД))"
                      r"(?P<vote>\s*,?\s*(?i:" + _VOTE_WORDS + r"))?\s*[,:]?\s*")
# What follows the heading: elided points of extracts ("..."), sub-headings on their own lines
# ("I. ON THE GOVERNMENT'S PRELIMINARY PLEA", "II. AS TO THE MERITS", "Preliminary issues"), then
# the first point. Without a point right after it, "For these reasons, the Court" is a sentence.
_FIRST_POINT = re.compile(
    r"(?:(?:\.\.\.|…|\(\s*(?:\.\.\.|…)\s*\)|\[\s*(?:\.\.\.|…)\s*\])\s*)*"
    r"(?:(?:[IVX]{1,5}|[A-H])\s?\.\s+(?:[^;\n]{1,400}?\s+)??(?=\d{1,2}\s?\.|\n))?\s*"
    r"(?:(?:\d{1,2}\s?\.\s*)+(?:" + _VERB_ANY + r"|" + _WORD_CAP + r")"
    r"|(?:\(?[ivx]{1,5}\)|\([a-h]\)|\d{1,2}\))\s*" + _VERB_ANY + r"|"
    + _VERB_CAP + r"|(?<=\n)" + _VERB_ANY + r")\b")


def _heading(text: str, pos: int = 0, end: int | None = None) -> re.Match[str] | None:
    """The first operative-part heading at or after ``pos`` that a point follows."""
    end = len(text) if end is None else end
    for m in _HEADING.finditer(text, pos, end):
        if _FIRST_POINT.match(text, m.end()):
            return m
    return None


# The end of the points: the signed "Done in English ..." / "Fait en français ..." / "Rendu en
# français ..." sentence, or, where a decision prints none, the signatures themselves.
_DONE = re.compile(r"\b(?:Done|DONE|Fait|FAIT|Rendu|RENDU)\s+(?:in|en|at|à|a)\s|\b(?:Вчинено|Учинено|Совершено)\b|"
                   r"\b(?:Складено|Составлено)\s+(?:англійською|французькою|на\s+)")
# The words a signature line may print before its role: names ("Søren Nielsen", "(Claudia
# Westerdiek)", "M. de SALVIA") and "For the"; a line of a point wrapped before "the Registrar" has
# lower-case words and is no signature.
_SIGNERS = (r"^[ \t]*(?:(?:[^\s;:]*[A-ZÀ-ÝŁŠŽČА-ЯЁІЇЄҐ][^\s;:]*|[Ff]or|the|[Pp]our|le|la|de|du|van|von|der|den|di|"
            r"da|dos)[ \t,]+){0,12}?")
_SIGNATURE = re.compile(
    r"^[ \t]*\(?(?:Signed|Sgd|Signé|Signe)\s*[:.)]"
    r"|" + _SIGNERS + r"(?:(?:Deputy|Section|Acting|Vice)[ \t-]+)?"
    r"(?:Registrar|Secretary(?:\s+to\s+the\s+Commission)?)"
    r"(?:[ \t]+(?:Vice-)?President)?[ \t]*$"
    r"|" + _SIGNERS + r"(?:(?:Vice-)?Pr[ée]sidente?|Greffi(?:er|ère|ere)(?:[ \t]+adjointe?)?(?:[ \t]+de[ \t]+section)?"
    r"(?:[ \t]+f\.f\.)?|Secr[ée]taire(?:[ \t]+adjointe?)?)(?:[ \t]+(?:Vice-)?Pr[ée]sidente?)?[ \t]*$"
    r"|" + _SIGNERS + r"(?:Секретар[ья]?|Голова|Председатель)(?:[ \t]+(?:секції|секции|Суду|Суда))?[ \t]*$"
    r"|^[ \t]*(?:Секретар[ья]?|Голова|Председатель)[ \t]+\S", re.M)
# Separate opinions: their heading, wherever an export put it ("F.T. S.H.N. OPINION PARTIELLEMENT
# DISSIDENTE COMMUNE ..."), with or without accents, and the sentence announcing them.
_OPINION = re.compile(
    r"(?:(?:(?:JOINT|PARTLY|PARTIALLY|CONCURRING|DISSENTING|SEPARATE|AND),?\s+)*"
    r"(?:CONCURRING|DISSENTING|SEPARATE)\s+OPINIONS?\b|\bOPINIONS?\s+(?:(?:EN\s+PARTIE|COMMUNE|PARTIELLEMENT|"
    r"CONCORDANTE|DISSIDENTE)\s+)*(?:CONCORDANTES?|DISSIDENTES?|S[ÉE]PAR[ÉE]ES?|COMMUNES?)\b|"
    r"(?:JOINT\s+)?DECLARATION\s+"
    r"OF\s+JUDGE|D[ÉE]CLARATION\s+(?:COMMUNE\s+)?DES?\s+JUGES?)"
    r"|^[ \t]*(?:OPINION|STATEMENT|DECLARATION)\s+OF\s+(?:JUDGE|MR|SIR)\b"
    r"|^[ \t]*OPINION\s+DE\s+(?:M\.|MM\.|LA\s+JUGE|LE\s+JUGE)"
    r"|(?i:separate\s+opinions?|opinions?\s+s[ée]par[ée]es?|dissenting\s+opinions?|opinions?\s+dissidentes?|"
    r"concurring\s+opinions?|opinions?\s+concordantes?)[^.;]{0,300}?\b(?i:annexed|appended|joint|jointe?s?)\b"
    r"|(?i:au\s+présent\s+arrêt\s+se\s+trouvent?\s+joint)"
    r"|(?i:окрем\w+\s+думк\w*|особое\s+мнение|особые\s+мнения|совпадающее\s+мнение)", re.M)
ANNEX = re.compile(r"^[ \t]*(?:APPENDIX|Appendix|ANNEX|Annex|ANNEXE|Annexe)\b|\bAPPENDIX\b|\bANNEXE?\b|"
                   r"\b(?:Appendix|Annexe?)\s+(?:No\.|N°|List|Liste|Table)", re.M)
# Footnotes after the signatures: "[1] Note by the Registrar ...", "Notes by the Registrar".
_NOTES = re.compile(r"^[ \t]*\[\s*(?:\d{1,3}|Note\s*\d*)\s*\][ \t]"
                    r"|^[ \t]*Notes?\s+(?:by|du)\s+(?:the\s+)?(?:Registrar|greffier)", re.M)


@dataclass
class OperativeBounds:
    """Offsets in the document: the operative part's span (heading to the opinions or appendix),
    and where the separate opinions and the appendix start, when there are any after it."""

    start: int
    end: int
    opinions: int | None = None
    annex: int | None = None


def find_operative(text: str, start: int = 0) -> OperativeBounds | None:
    """The operative part at or after ``start`` (the law part), or None when there is none.

    It runs to the separate opinions or the appendix, whichever comes first, so it keeps its
    signatures; ``read_operative`` reads only its points.
    """
    operative = _heading(text, start)
    if not operative:
        return None
    done = _DONE.search(text, operative.end())
    after = done.end() if done else operative.end()
    opinion = _OPINION.search(text, after)
    annex = ANNEX.search(text, after)
    end = min([m.start() for m in (opinion, annex) if m], default=len(text))
    return OperativeBounds(operative.start(), end, opinion.start() if opinion else None,
                           annex.start() if annex else None)


def _points_end(body: str) -> int:
    """Where the points stop: the signed "Done in" sentence, the signatures, the opinions, the
    appendix or the notes, whichever comes first. A dissent after them ("I voted for a violation
    of Article 6") is no holding."""
    ends = [m.start() for rx in (_DONE, _SIGNATURE, _OPINION, ANNEX, _NOTES) if (m := rx.search(body))]
    return min(ends, default=len(body))


# -- its points -----------------------------------------------------------------------------------
# A point starts with its verb, after its number ("2. Holds", "1. holds", "(ii) States"), after the
# heading or after the previous point's ";" (unnumbered points of HTML exports: "...; Holds ,
# unanimously, that").
_POINT = re.compile(r"(?<!\S)(?:(?P<num>\d{1,2})\s?\.\s*(?P<verb>" + _VERB_ANY + r"|" + _WORD_CAP + r")"
                    r"|\((?P<roman>[ivx]{1,5})\)\s*(?P<verb3>" + _VERB_CAP + r")|\d{1,2}\)\s*(?P<verb5>" + _VERB_ANY
                    + r")|\A\s*(?P<verb4>" + _VERB_ANY + r"))\b(?!-)"
                    r"|(?:^|(?<=[;:.,]))\s*(?P<verb2>" + _VERB_CAP + r")\b(?!-)", re.M)
# A sub-heading between points ("; II. AS TO THE MERITS 5. Holds") belongs to neither.
_SUBHEADING = re.compile(r"(?:(?<=[;.:])\s+|\n\s*)[IVX]{1,5}\s?\.\s+(?=[A-ZÀ-Ý])")
_VOTE = re.compile(r"(?<![\w’'])(?P<v>одноголосно|единогласно|більшістю\s+голосів|большинством\s+голосов|"
                   r"[\w’'\-]+\s+голосами\s+(?:проти|против)\s+\w+|unanimously|by\s+a\s+majority|"
                   r"by\s+[\w\-]+\s+votes\s+to\s+[\w\-]+|[àa]\s+l['’]\s*unanimit[ée]|[àa]\s+la\s+majorit[ée]|"
                   r"par\s+[\w\-]+\s+voix\s+contre\s+[\w\-]+)", re.I)
# Points that rule on procedure, objections or the list of cases, never on a complaint's merits;
# an advisory opinion's "Delivers the following opinion" finds no violation whatever it says.
_OTHER_VERBS = re.compile(r"^(?:Decides\s+to\s+join|D[ée]cide\s+de\s+joindre|Delivers|Rend|Dismisses|Rejects|Joins|"
                          r"Takes|Strikes|"
                          r"Accepts|Lifts|Reserves|Restores|Upholds|Declines|Adjourns|Disjoins|Refers|Discontinues|"
                          r"Rejette|Joint|Prend|Raye|Accueille|R[ée]serve|L[èe]ve|Invites|Invite|Orders|Ordonne|"
                          r"[ÉE]carte|Ajourne|Disjoint|Renvoie|Відхиляє|Долучає|Об[’']єднує|Отклоняет|"
                          r"Объединяет|Присоединяет|Отвергает)\b", re.I)
_STRIKE = re.compile(r"strike\b.{0,80}?\bout\b|struck\s+out|rayer\s+.{0,40}?r[ôo]le|radiation|"
                     r"вилучити\s+.{0,40}?реєстру|исключить\s+.{0,40}?списка", re.I)
_PAYMENT = re.compile(r"\bto\s+pay\b|\bdoi(?:t|vent)\s+verser\b|\bverser\b|just\s+satisfaction|"
                      r"satisfaction\s+[ée]quitable|satisfaction\s+suffisante|\bversement\b|int[ée]r[êe]t\s+simple|"
                      r"simple\s+interest|\b(?:сплатити|виплатити|выплатить|выплачивает|виплачує)\b|сатисфакц\w*|"
                      r"справедлив\w+\s+компенсац\w*|"
                      r"Article\s+(?:41|50)\b.{0,40}?not\s+ready", re.I)


# -- what a point finds ---------------------------------------------------------------------------
# Every pattern below runs on the folded point (lower case, no accents, one apostrophe).
#
# "not necessary to examine", "no separate issue arises", "il ne s'impose pas de rechercher s'il y a
# eu violation": the point rules that a complaint need not be examined, whatever words follow it.
# "not necessary in a democratic society" is a reason for a violation, not this ruling: "necessary"
# must be followed by what the Court need not do.
_NOT_NECESSARY = re.compile(
    r"\b(?:(?:not\s+(?:\w+\s+)?|un)necessary\s+(?:for\s+(?:the\s+court|it)\s+)?(?:\w+\s+)?to\b|no\s+need|need\s+not|"
    r"not\s+required\s+to|not\s+called\s+(?:up)?on|"
    r"not\s+called\s+for|no\s+longer\s+necessary|dispense[sd]?\s+from|not\s+(?:\w+\s+)?warranted)\b"
    r"|\b(?:no|any)\s+(?:separate|distinct|further|other\s+separate)\s+(?:issues?|questions?|examination)\b"
    r"|\bpas\s+(?:lieu|besoin)\b|\bpas\s+necessaire\s+(?:\w+\s+)?(?:d'|de\b)|\bne\s+s'impose\s+pas\b|\binutile\b"
    r"|\bnon-lieu\b"
    r"|\b(?:aucune|pas\s+de)\s+question\s+(?:distincte|separee)\b"
    r"|\bнемає\s+(?:необхідності|потреби)|\bнеобхідн\w*\s[^;]{0,200}?\bвідсутн\w*|\bвідсутн\w*\s+необхідн\w*"
    r"|\bнет\s+необходимости|"
    r"\bотсутствует\s+необходимость|\bне\s+требуется|\bне\s+(?:виникає|возникает)\s+(?:жодного\s+)?окрем\w*|"
    r"\bотдельн\w+\s+вопрос\w*\s+не\s+возника\w*")
# A provision applies or does not: "Article 6 § 1 is applicable", "ne s'applique pas", "was not
# applicable", "était d'application".
_APPLICABLE = re.compile(r"\b(?:not\s+)?applicable\b|\binapplicable\b|\b(?:do|does|did)\s+not\s+apply\b|"
                         r"\bappl(?:ies|ied)\b|\bs'appliqu\w*|\bd'application\b|\bзастосовн\w*|\bприменим\w*")
# The words of a finding. Whether it is one, and which, depends on what stands before it.
_FINDING = re.compile(
    r"\b(?:violat(?:ion|ions|ed|es|e|ing)|breach(?:es|ed)?|infring(?:ed|es|e|ement)|viole(?:e|s|es)?|violee?s?|"
    r"meconnu\w*|enfreint\w*)\b"
    r"|\bamount(?:ed|s)?\s+to\s+(?:inhuman|degrading|torture)|\bdiscrimination\s+contrary\s+to\b"
    r"|\bfail(?:ed|s|ure)?\s+to\s+(?:comply|fulfil+|discharge|honour|meet)\b|\bmanque\b"
    r"|\b(?:порушен|порушил|нарушен|нарушил)\w*")
# "neither Article 8 nor Article 14 has been violated"; "ni l'article 8 ni l'article 14 n'ont été
# violés": one negation for both provisions, named before the verb.
_NEITHER = re.compile(r"\bneither\b.{1,300}?\bnor\b|\bni\b.{1,300}?\bni\b")
# What stands right before a finding word and makes it a finding of no violation: "no violation",
# "no such violation", "did not constitute a violation", "has not been violated", "would not be in
# violation", "has not failed to comply", "il n'y a pas eu violation", "n'emporte pas violation",
# "ne constitue pas une violation", "absence de violation", "non-violation".
_NO_BEFORE = re.compile(
    r"(?:\bno(?!\.?\s*\d)(?:\s+(?!of\b|to\b|and\b)[a-z]+){0,2}|\bn'(?:y\s+)?\w+\s+pas|\bne\s+(?:s'|l')?\w+\s+pas|"
    r"\bnot|n't|\bnever|\bpas|\baucune?|\babsence\s+(?:de|d'|of)(?:\s+any)?|\bnon-?)"
    r"(?P<aux>(?:\s+(?:been|be|being|a|an|any|constitute[sd]?|amount(?:ed|s)?\s+to|disclose[sd]?|gives?|gave|given|"
    r"rise|to|result(?:ed|s)?\s+in|entail(?:ed|s)?|involve[sd]?|reveal(?:ed|s)?|there|have|has|had|was|were|is|are|"
    r"did|do|does|in|also|therefore|accordingly|thereby|found|established|lead|led|such|separate|further|"
    r"eu|ete|une?|de|d'|emporte|emportait|constitue|constituait|y\s+a|y\s+avait))*)\s*$")
# "n'y a eu violation ni de l'article 6 ni de l'article 13": the negation is the "ni" after it.
_NI_AFTER = re.compile(r"\s+(?:ni\b|des\s+articles\s+\d+\s+(?:ni|et)\b)")
# A finding word after these is a reference, not a finding: "the alleged violation", "whether there
# has been a violation", "victims of a violation", "the finding of a violation constitutes ...".
_HEDGE = re.compile(r"\b(?:alleg\w+|whether|if|complain\w*|claim\w*|submi\w+|argu\w+|risk|victims?|finding|"
                    r"found\s+a|grief\w*|allegu\w+|s'il|constat|pretendu\w*|plainte|jurisdiction|competen\w+|"
                    r"стверджуван\w*|ймовірн\w*|предполагаем\w*|скарг\w*|жалоб\w*|чи|ли)\b")
# Any other negation before a finding word in its clause makes the point uncertain: "the fact
# that the applicant was not heard constituted a violation" is left as ``other``.
_NEGATION = re.compile(r"\b(?:no(?!\.?\s*\d)|not|cannot|never|neither|nor|without|ne|ni|pas|aucune?|absence|"
                       r"non(?!-))\b|"
                       r"n't|\bn'")
# Clause boundaries inside a point: its sub-points and "and that ...", not the ";" of a list of
# provisions ("the complaints under Article 8; Article 13 ...; and Article 14 ...").
_CLAUSE = re.compile(r";(?!\s*(?:and\s+|et\s+|or\s+|ou\s+)?(?:of\s+|de\s+)?(?:l')?articles?\b)"
                     r"|(?:\(\s*|\b)[a-h]\s*\)\s*(?=that\b|qu)|\b(?:and|but)\s+that\b|\bet\s+qu(?:e\b|')"
                     r"|\bmais\s+qu(?:e\b|')|"
                     r"\bwhereas\b|:")
# "that provision", "the same Article", "no such violation", "dudit article", "cette disposition",
# "under its substantive limb": the provision of the finding before.
_ANAPHOR = re.compile(r"\b(?:that|this|the\s+same|the\s+said|said|such|same|dudit|ledit|ladite|cette|cet|meme|"
                      r"ce)\s+(?:same\s+)?(?:provisions?|articles?|violations?|breach(?:es)?|dispositions?|limbs?|"
                      r"aspects?|heads?|volets?)\b|\bno\s+such\b|\bdudit\b|\bledit\b|\b(?:its|their|son|sa|ses)\s+"
                      r"(?:\w+\s+)?(?:limbs?|aspects?|heads?|volets?)\b|\bthereafter\b")
# After its provisions a finding gives its reasons, which may name other provisions: "a violation
# of Article 13 by reason of the failure to provide remedies for interferences under Article 8".
_REASONS = re.compile(r"\b(?:by\s+reason\s+of|on\s+account\s+of|in\s+respect\s+of|in\s+that|as\s+regards|"
                      r"because|owing\s+to|by\s+virtue\s+of|inasmuch\s+as|in\s+relation\s+to|with\s+regard\s+to|"
                      r"concerning|regarding|relating\s+to|у\s+зв'язку|в\s+связи|щодо|стосовно|в\s+отношении|в\s+части|"
                      r"in\s+so\s+far\s+as|insofar\s+as|"
                      r"en\s+raison|du\s+fait|quant\s+a|en\s+ce\s+qui\s+concerne|s'agissant|dans\s+la\s+mesure)\b")
# "... by reason of X, and of Article 5 § 4 in respect of Y": a further provision after the reasons.
_AND_OF = re.compile(r"\b(?:and|as\s+well\s+as|or|et|ainsi\s+que|ni)\s+(?:also\s+|aussi\s+)?(?:of\s+|de\s+)?"
                     r"(?:l'\s*)?articles?\b")


@dataclass
class _Cue:
    """One finding (or ruling) phrase in a point, with the span of the text it rules on."""

    start: int
    end: int
    outcome: str            # violation, no_violation, not_necessary_to_examine, other
    backward: bool = False  # the provision stands before it ("Article 8 has been violated")
    other: bool = False     # "no other violation": no provision of its own, none inherited
    cyrillic: bool = False  # a translation's wording: read only with its provision


def _clause_start(folded: str, pos: int) -> int:
    starts = [m.end() for m in _CLAUSE.finditer(folded, 0, pos)]
    return starts[-1] if starts else 0


def _clause_end(folded: str, pos: int) -> int:
    m = _CLAUSE.search(folded, pos)
    return m.start() if m else len(folded)


def _cues(folded: str) -> list[_Cue]:
    """The findings of one point, in order, each with its outcome; uncertain ones left out."""
    cues: list[_Cue] = []
    masked: list[tuple[int, int]] = []
    for m in _NOT_NECESSARY.finditer(folded):
        end = _clause_end(folded, m.end())
        cues.append(_Cue(m.start(), m.end(), "not_necessary_to_examine"))
        masked.append((m.start(), end))      # "... to examine whether there has been a violation"
    for m in _APPLICABLE.finditer(folded):
        if not any(a <= m.start() < b for a, b in masked):
            cues.append(_Cue(m.start(), m.end(), "other", backward=True))
    previous = 0
    for m in _FINDING.finditer(folded):
        if any(a <= m.start() < b for a, b in masked):
            continue
        outcome = _polarity(folded, m, previous)
        previous = m.end()
        if outcome is None:
            continue
        passive = bool(re.search(r"\b(?:been|be|being|was|were|is|are|ete|etre)\s+$",
                                 folded[max(0, m.start() - 12): m.start()])) \
            and m.group(0).startswith(("violated", "breached", "infringed", "viole", "meconnu", "enfreint"))
        other = bool(re.search(r"\b(?:no|any|aucune)\s+other\s+$|\bautre\s+$",
                               folded[max(0, m.start() - 20): m.start()]))
        start = m.start()
        if passive and outcome == "no_violation" and (n := _NEITHER.search(folded, _clause_start(folded, m.start()),
                                                                           m.start())):
            start = n.start()
        cues.append(_Cue(start, m.end(), outcome, backward=passive, other=other, cyrillic=m.group(0)[0] in "пн"))
    cues.sort(key=lambda c: c.start)
    return cues


# Translations: "мало місце порушення статті 3", "порушення статті 2 не було", "не було порушено
# статтю 8", "требования статьи 1 Протокола № 1 нарушены не были", "не имело места нарушение".
_CY_NO_BEFORE = re.compile(r"\bне\s+(?:(?:було|були|була|мало|місця|имело|места|было|были|была|допущено|"
                           r"встановлено|установлено)\s+)*$")
_CY_NO_AFTER = re.compile(r"^[^;:]*?\bне\s+(?:було|були|була|мало\s+місця|имело\s+места|было|были|была|"
                          r"допущено|встановлено|установлено)\b")
_CY_NEGATION = re.compile(r"\b(?:не|ні|ни|немає|нет)\b")
_CY_AND = re.compile(r"\b(?:та|і|и|а|але|но|однак|проте|однако|тоді\s+як|тогда\s+как)\b|,")


def _polarity_cyrillic(folded: str, m: re.Match[str], before: str) -> str | None:
    # "порушення статті 2 не було" negates its own finding; the "не було" of the next finding in
    # the clause ("було порушення статті 3 ... та не було порушення статті 5") is not this one's.
    end = _clause_end(folded, m.end())
    if nxt := _FINDING.search(folded, m.end(), end):
        links = list(_CY_AND.finditer(folded, m.end(), nxt.start()))
        end = links[-1].start() if links else nxt.start()
    after = folded[m.end(): end]
    no = _CY_NO_BEFORE.search(before)
    if no and not _CY_NEGATION.search(before[: no.start()]):
        return "no_violation"
    if _CY_NO_AFTER.match(after) and not _CY_NEGATION.search(before):
        return "no_violation"
    if _CY_NEGATION.search(before) or _HEDGE.search(before):
        return None
    return "violation"


def _polarity(folded: str, m: re.Match[str], previous: int = 0) -> str | None:
    """violation or no_violation for a finding word, from the words of its clause before it (after
    the finding before it, whose reasons are not this one's); None when it is a reference to a
    violation rather than a finding, or when it cannot be read."""
    start = max(_clause_start(folded, m.start()), previous)
    before = folded[start: m.start()]
    after = folded[m.end(): m.end() + 40]
    word = m.group(0)
    if word[0] in "пн":
        return _polarity_cyrillic(folded, m, before)
    if word.startswith("fail") and re.search(r"\bnot\s+$", before):
        return "no_violation"                                   # "has not failed to comply"
    if (no := _NO_BEFORE.search(before)) and not re.search(r"\bother\s*$", before):
        rest = before[: no.start()]
        if _NEGATION.search(rest) and not _NEITHER.search(before):
            return None                                         # a double negation: not read
        if re.search(r"\b(?:whether|if|s'il|si)\s+(?:or\s+|ou\s+)?$", rest):
            return None                                         # "whether or not there has been a violation"
        return "no_violation"
    if re.search(r"\bno\s+other\s+$|\baucune\s+autre\s+$", before):
        return "no_violation"
    if re.search(r"\bn'y\s+a\s+(?:eu\s+)?$|\bn'y\s+avait\s+(?:eu\s+)?$", before):
        # "il n'y a eu violation ni de l'article 6 ni de l'article 13"; without "ni" it is unread
        return "no_violation" if _NI_AFTER.match(after) else None
    if re.search(r"\b(?:was|were|has|have|had|is|are)\s+not\s+(?:been\s+)?$"
                 r"|\bn'(?:a|ont|avait|est)\s+pas\s+(?:ete\s+)?$",
                 before):
        return "no_violation"                                   # "Article 8 was not violated"
    if _NEITHER.search(before) and re.search(r"\b(?:been|ete)\s+$", before):
        return "no_violation"                                   # "neither X nor Y has been violated"
    if re.search(r"\b(?:complaints?|griefs?)\s+(?:disclosed?|discloses|revel\w*|revelai\w*)\s+(?:a\s+|une\s+)?$",
                 before) and not _NEGATION.search(before):
        return "violation"  # a Committee's formula: "these complaints disclose a breach of Article 5 § 3"
    if _HEDGE.search(before):
        return None
    if _NEGATION.search(before):
        return None
    return "violation"


_INADMISSIBLE = re.compile(r"\binadmissible\b|\birrecevables?\b|\bнеприйнятн\w*|\bнеприемлем\w*", re.I)
# Articles 41 and 50 (just satisfaction), 44 (finality), 46 (execution) frame the order, not a finding.
_FRAMING = ("41", "44", "46", "50")
_ADMISSIBLE = re.compile(r"(?<!\w)admissible\b|(?<!\w)recevables?\b|(?<!\w)прийнятн\w*|(?<!\w)приемлем\w*")
# The old Court printed HUDOC-like codes after each provision: "Article 6 para. 1 (art. 6-1)", "(P1-1)".
_ONE_CODE = r"(?:P\d{1,2}-)?\d{1,2}(?:-\d{1,2})?(?:-[a-z])?"
# A bare "(1)" after "Article 5" is a paragraph, not a code: a code has "art." or a Protocol.
_OLD = r"(?:art\.\s*" + _ONE_CODE + r"|P\d{1,2}-\d{1,2}(?:-\d{1,2})?(?:-[a-z])?)(?:\+" + _ONE_CODE + r")*"
_OLD_CODE = re.compile(r"\((?P<codes>" + _OLD + r"(?:\s*,\s*" + _OLD + r")*)\)")
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
# The heads in the Court's languages and in the Russian and Ukrainian translations lawyers read
# ("компенсации морального вреда", "возмещения расходов и издержек", "моральної шкоди").
_HEADS: tuple[tuple[str, str], ...] = (
    ("other", r"pecuniary\s+(?:damage\s+)?and\s+non-?pecuniary|non-?pecuniary\s+(?:damage\s+)?and\s+pecuniary|dommages?\s+matériel\s+et\s+moral|"
              r"préjudices?\s+matériel\s+et\s+moral|dommage\s+matériel\s+et\s+(?:du\s+)?préjudice\s+moral|"
              r"материальн\w*\s+(?:ущерб\w*|вред\w*)\s+и\s+морал\w*|морал\w*\s+вред\w*\s+и\s+материальн\w*|"
              r"матеріальн\w*\s+(?:і|та)\s+моральн\w*|моральн\w*\s+(?:і|та)\s+матеріальн\w*"),
    ("non_pecuniary", r"non-?pecuniary|dommage\s+moral|préjudice\s+moral|морал\w*\s+вред\w*|нематериальн\w*\s+"
                      r"(?:ущерб\w*|вред\w*)|моральн\w*\s+шкод\w*|немайнов\w*\s+шкод\w*"),
    ("pecuniary", r"pecuniary\s+damage|pecuniary\s+loss|dommage\s+matériel|préjudice\s+matériel|"
                  r"материальн\w*\s+(?:ущерб\w*|вред\w*)|имуществен\w*\s+(?:ущерб\w*|вред\w*)|"
                  r"матеріальн\w*\s+шкод\w*|майнов\w*\s+шкод\w*|"
                  # a judgment debt's loss in value while unpaid ("174 євро, призначених з урахуванням
                  # інфляції", "инфляционные потери"): compensation for delay, pecuniary
                  r"інфляц\w*|инфляц\w*"),
    ("costs", r"costs\s+and\s+expenses|costs|expenses|frais\s+et\s+dépens|frais|расход\w*\s+и\s+издерж\w*|"
              r"судебн\w*\s+расход\w*|издерж\w*|судов\w*\s+витрат\w*|витрат\w*"),
)
_HEAD_RE = re.compile("|".join(f"(?P<{name}>{pattern})" for name, pattern in _HEADS), re.I)
# "in respect of non-pecuniary damage: EUR 6,000 to Ms K.; EUR 3,200 to Mr S." — a heading for the
# sums after it.
_HEADING_COLON = re.compile(r"\s*(?:damage|loss|dommage|préjudice|вреда|ущерба|шкоди)?\s*:")


def _scope_codes(point: str, folded: str, start: int, end: int) -> list[str]:
    """The provisions a finding names after it, up to ``end``: those before its reasons, and those
    joined after the reasons by "and of Article ..." / "et de l'article ...", "ni de l'article ..."."""
    cut = _REASONS.search(folded, start, end)
    if not cut:
        return _provisions(point[start:end])
    codes = _provisions(point[start: cut.start()])
    if not codes:
        return _provisions(point[start:end])
    pos = cut.end()
    while m := _AND_OF.search(folded, pos, end):
        nxt = _REASONS.search(folded, m.end(), end)
        stop = nxt.start() if nxt else end
        codes += [c for c in _provisions(point[m.start(): stop]) if c not in codes]
        pos = max(stop, m.end())
    return codes


def _findings(point: str, previous: list[str]) -> list[tuple[str | None, str]]:
    """(article, outcome) pairs of the findings of one point, in order; ``previous`` are the
    provisions of the point before, for "no violation of that provision"."""
    folded = _fold(point)
    cues = _cues(folded)
    out: list[tuple[str | None, str]] = []
    last: list[str] = []
    for i, cue in enumerate(cues):
        clause = _clause_start(folded, cue.start)
        end = min(cues[i + 1].start if i + 1 < len(cues) else len(point), _clause_end(folded, cue.end))
        codes = [] if cue.backward else _scope_codes(point, folded, cue.end, end)
        follows = i > 0 and cues[i - 1].end >= clause
        if not codes and not follows:
            codes = _provisions(point[clause: cue.end])
        outcome = cue.outcome
        if not codes and (cue.other or cue.cyrillic):
            continue
        if not codes and (follows or cue.backward) and last:
            codes = last                         # "... applicable and that it was breached"
        if not codes and outcome != "other" and _ANAPHOR.search(folded, clause, end):
            earlier = _provisions(point[:clause])
            codes = earlier[-1:] if earlier else previous if len(previous) == 1 else []
        if not codes and outcome == "not_necessary_to_examine" and \
                re.search(r"\b(?:objections?|exceptions?|pleas?|moyens?|estoppel)\b", folded[clause:end]):
            outcome = "other"                    # "unnecessary to rule on the preliminary objection"
        if not codes and outcome == "not_necessary_to_examine" and \
                re.search(r"\barticles?\s+(?:41|50)\b|\bjust\s+satisfaction|\bsatisfaction\s+equitable",
                          folded[clause:end]):
            outcome = "other"                    # "not necessary to apply Article 50"
        if not codes and outcome == "other":
            continue
        last = codes or last
        out += [(c, outcome) for c in codes] if codes else [(None, outcome)]
    found = {c for c, o in out if o != "other"}
    out = [(c, o) for c, o in out if o != "other" or c not in found]
    return list(dict.fromkeys(out))


def read_operative(part: str) -> tuple[list[Holding], list[Award]]:
    """Holdings and awards of the operative part ("FOR THESE REASONS, THE COURT ... Done in").

    ``part`` may run on past the points (signatures, opinions, an appendix): reading stops where
    the points do.
    """
    head = _HEADING.match(part)
    common_vote = _norm_vote(head.group("vote")) if head and head.group("vote") else None
    body = part[head.end():] if head else part
    body = body[: _points_end(body)]
    points = list(_POINT.finditer(body))
    holdings: list[Holding] = []
    awards: list[Award] = []
    previous: list[str] = []
    for i, p in enumerate(points):
        group = next(g for g in ("verb", "verb2", "verb3", "verb4", "verb5") if p.group(g))
        verb = p.group(group)
        chunk = body[p.start(group): points[i + 1].start() if i + 1 < len(points) else len(body)]
        point = _clean(_SUBHEADING.split(_page_notes_dropped(chunk))[0]).rstrip(" ;.")
        if i + 1 == len(points):
            point = _SIGNATORIES.sub("", point).rstrip(" ;.")
        vote_m = _VOTE.search(point[:200])
        vote = _norm_vote(vote_m.group("v")) if vote_m else common_vote
        found = _classify(point, verb, previous)
        for article, outcome in found:
            holdings.append(Holding(article, outcome, point, vote))
        codes = [a for a, _ in found if a]
        previous = codes or previous
        if _PAYMENT.search(point) and not _OTHER_VERBS.match(point):
            awards.extend(_awards(point))
    return holdings, awards


# A page's footnote that a PDF's text puts inside the sentence it interrupts: "... разом з
# будь-якими податками,\n\n7 Приблизно 72,32 євро.\n\nякі можуть нараховуватись". It stands on its
# own line, opens with its number and a capital and ends a sentence, between a line that does not
# end one and a line that goes on in lower case; a point ("7. Holds") has a dot after its number,
# and a sum on a new line ("\n5 000 євро") no capital.
_PAGE_NOTE = re.compile(r"(?<=[^.;:!?\s])[ \t]*\n\s*(?P<note>\d{1,3}[ \t]+[A-ZÀ-ÝА-ЯЁІЇЄҐ][^\n]{0,300}[.)])[ \t]*\n\s*"
                        r"(?=[a-zà-ÿа-яёіїєґ])")


def _page_notes_dropped(chunk: str) -> str:
    """The point without the page footnotes printed inside it (``_PAGE_NOTE``): a translator's
    "Приблизно 72,32 євро" is no sum ordered paid."""
    return _PAGE_NOTE.sub("\n", chunk)


# "... inadmissible. Santiago Quesada Josep Casadevall": the names signing a decision that prints
# no "Done in", left on its last point.
_SIGNATORIES = re.compile(r"(?<=[.;])\s+(?:(?:\(?[A-ZÀ-ÝŁŠŽČА-ЯЁІЇЄҐ][\w'’.\-]*\)?|de|van|von|der|da|di|du|le|la)"
                          r"(?:\s+|$)){2,12}$")


def _norm_vote(vote: str) -> str:
    return _ws(vote).strip(" ,").lower()


def _classify(point: str, verb: str, previous: list[str]) -> list[tuple[str | None, str]]:
    """(article, outcome) pairs of one operative point; one pair per provision it rules on."""
    if _STRIKE.search(point) or _OTHER_VERBS.match(point):
        return [(None, "other")]
    if _fold(verb).startswith(("declare", "оголошує", "объявляет", "визнає", "признает")):
        return [_admissibility(point)]
    if _PAYMENT.search(point):
        return [(None, "other")]
    found = _findings(point, previous)
    if found:
        return found
    if inadmissible := _INADMISSIBLE.search(point):
        codes = (_provisions(point[inadmissible.start():]) or _provisions(point)) \
            if re.search(r"\b(?:complaints?|griefs?)\b", point) else []
        return [(c, "inadmissible") for c in codes] or [(None, "inadmissible")]
    return [(None, "other")]


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
    if re.search(r"remainder|surplus|reste|решт\w*|остальн\w*", segment, re.I) \
            and not re.search(r"[Aa]rticle", segment):
        return (None, "inadmissible")
    codes = _provisions(segment)
    return (codes[0] if codes else None, "inadmissible")


# Ukrainian citations of provisions, in the Russian forms the article reader knows: "пункту 1
# статті 6 Конвенції" -> "пункта 1 статьи 6 Конвенции", "статті 1 Першого протоколу" -> "статьи 1
# Протокола № 1".
_UK_WORDS = {"стаття": "статья", "статті": "статьи", "статтю": "статью", "статтею": "статьей", "статтями": "статьями",
             "статтях": "статьях", "статей": "статей", "пункту": "пункта", "пунктом": "пунктом", "пунктів": "пунктов",
             "підпункту": "подпункта", "Конвенції": "Конвенции", "і": "и", "та": "и", "або": "или", "зі": "со"}
_UK_ORDINALS = {"Першого": "1", "Четвертого": "4", "Шостого": "6", "Сьомого": "7", "Дванадцятого": "12",
                "Тринадцятого": "13"}
_UK_PROTOCOL = re.compile(r"\b(?P<ord>" + "|".join(_UK_ORDINALS) + r")\s+[Пп]ротоколу\b|\b[Пп]ротокол[уа]\s*(?=№)")
# "статтю 14, розглянуту в поєднанні зі статтею 8": the participle and its comma go with the link.
_UK_CONJ = re.compile(r"(?:,?\s*(?:розглянут|взят)\w*)?\s+(?:(?:у|в)\s+поєднанні|разом)\s+(?:з|зі|із)\s+")


# Latin letters typed inside Cyrillic words ("cтатті" with a Latin c) and "Протокола N 1".
_LOOKALIKES = str.maketrans("aceopxiyACEOPXIK", "асеорхіуАСЕОРХІК")


def _russian_forms(text: str) -> str:
    if not re.search(r"[А-Яа-яЁёІіЇїЄєҐґ]", text):
        return text
    text = re.sub(r"(?<![A-Za-z])[aceopxiyACEOPXIK](?=[а-яёіїєґ])|(?<=[а-яёіїєґ])[aceopxiy](?![A-Za-z])",
                  lambda m: m.group(0).translate(_LOOKALIKES), text)
    text = re.sub(r"\b(Протокол\w*)\s+N\s*(?=\d)", r"\1 № ", text)
    text = _UK_CONJ.sub(" во взаимосвязи со ", text)
    text = _UK_PROTOCOL.sub(lambda m: f"Протокола № {_UK_ORDINALS[m.group('ord')]}" if m.group("ord") else "Протокола ",
                            text)
    return re.sub(r"[А-ЯЁІЇЄҐа-яёіїєґ]+", lambda m: _UK_WORDS.get(m.group(0), m.group(0)), text)


def _provisions(text: str) -> list[str]:
    """HUDOC codes of the provisions a holding names, in order, without repeats.

    >>> _provisions("violation of Article 6 §§ 1 and 3 (c) of the Convention")
    ['6-1+6-3-c']
    >>> _provisions("violation of Article 6 of the Convention and Article 1 of Protocol No. 1")
    ['6', 'P1-1']
    >>> _provisions("no violation of Article 1 (P1-1)")
    ['P1-1']
    """
    text = _russian_forms(text)
    old = [c.replace("art.", "").strip() for m in _OLD_CODE.finditer(text) for c in m.group("codes").split(",")]
    if old:
        return list(dict.fromkeys(c for c in old if c.split("-")[0] not in _FRAMING))
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
    codes = [c for _, c in sorted(found) if c.split("-")[0] not in _FRAMING]
    return list(dict.fromkeys(codes))


def provisions_named(text: str) -> list[str]:
    """HUDOC codes of the Convention provisions a passage names, as a holding's are read:
    combinations joined ("14+P1-1"), Articles 41, 44 and 46 left out, Ukrainian and Russian
    citations read too."""
    return _provisions(text)


def _awards(point: str) -> list[Award]:
    """Sums ordered paid, each with its head.

    A point orders its sums in items, "(i) ...; (ii) ...", and an item names its head once,
    after its sums ("EUR 150 to the first applicant and EUR 180 to the second, plus any tax,
    in respect of pecuniary damage") or before them ("for non-pecuniary damage, FRF 100,000"),
    or a heading names it for the sums after it ("in respect of non-pecuniary damage: EUR 6,000
    to Ms K.; EUR 3,200 to Mr S."). So a sum's head is: the head printed just before it; else
    the first head after it in its item; else the last head before it in its item; else the
    heading above it. A sum with none of these gets ``other``: never the head of another item.

    Not awards: a sum deducted ("less FRF 14,693" of legal aid already paid), a total that
    restates the sums before it ("making a total of EUR 36,000"), and the shares of a sum
    paid out to several payees, which add up to it ("EUR 14,271 ... as follows: EUR 605 to
    ...; EUR 13,366 to ...; EUR 300 to ...").
    """
    money = [m for m in find_money(point) if m.key]
    heads = list(_HEAD_RE.finditer(point))
    items = _items(point)
    skipped = _not_awards(point, money)
    out: list[Award] = []
    for k, m in enumerate(money):
        if k in skipped:
            continue
        lo, hi = next(((a, b) for a, b in items if a <= m.start < b), (0, len(point)))
        head = _head_of(point, m, heads, money, lo, hi)
        currency, amount = m.key.split(" ")  # type: ignore[union-attr]
        item_end = point.find(";", m.end)
        snippet = point[m.start: item_end if item_end > 0 else min(len(point), m.end + 200)]
        out.append(Award(float(amount), currency, head, snippet))
    return out


# Where a point's items start: "(i)", "(ii)", "(α)" and the like, or after a semicolon.
_ITEM_MARK = re.compile(r";|\((?:[ivx]{1,5}|[αβγδεζ])\)\s")
# A head printed right before its sum: "for non-pecuniary damage, FRF 100,000", "in respect of
# costs and expenses: EUR 500", "au titre du dommage moral, 5 000 EUR".
_HEAD_THEN_SUM = re.compile(r"\s*(?:damage|loss|dommage|préjudice|sustained|subi)?\s*[,:]?\s*"
                            r"(?:(?:the\s+)?(?:sum|amount)\s+of\s+|la\s+somme\s+de\s+)?", re.I)
# A sum deducted: "less FRF 14,693", "less the sum of EUR 660", "less the EUR 2,286.50 already received".
# Anchored at the sum, so "less the legal aid received, and EUR 2,000" does not drop the next sum.
_DEDUCTED = re.compile(r"\b(?:less|minus|deducting|after\s+deduction\s+of|moins|déduction\s+faite\s+de|"
                       r"за\s+вычетом|за\s+вирахуванням)\s*(?:the\s+(?:(?:sum|amount)\s+of\s+)?)?$", re.I)
_RESTATED = re.compile(r"\b(?:making|bringing\s+it\s+to|i\.\s?e\.|that\s+is|soit)\s*,?\s*(?:a\s+|au\s+|un\s+)?"
                       r"total\s+(?:sum\s+)?(?:of\s+|de\s+)?$|\bsoit\s+au\s+total\s*$",
                       re.I)
_SHARES_FOLLOW = re.compile(r"as\s+follows|comme\s+suit|:\s*(?:\(\w\)\s*)?$", re.I)


def _items(point: str) -> list[tuple[int, int]]:
    cuts = [0, *[m.start() for m in _ITEM_MARK.finditer(point)], len(point)]
    return [(a, b) for a, b in zip(cuts, cuts[1:]) if b > a]


def _not_awards(point: str, money: list[Any]) -> set[int]:
    """Indexes into ``money`` of the sums that are not awards (``_awards``)."""
    skipped = set()
    for k, m in enumerate(money):
        before = point[max(0, m.start - 40): m.start]
        if _DEDUCTED.search(before) or _RESTATED.search(before):
            skipped.add(k)
    for k, m in enumerate(money):
        if k in skipped:
            continue
        total, run = 0.0, list[int]()
        for j in range(k + 1, len(money)):
            if money[j].key.split(" ")[0] != m.key.split(" ")[0] or j in skipped:
                break
            if not run and not _SHARES_FOLLOW.search(point[m.end: money[j].start]):
                break
            total += float(money[j].key.split(" ")[1])
            run.append(j)
            if len(run) >= 2 and abs(total - float(m.key.split(" ")[1])) < 0.005:
                skipped.update(run)
                break
            if total > float(m.key.split(" ")[1]):
                break
    return skipped


def _head_of(point: str, m: Any, heads: list[re.Match[str]], money: list[Any], lo: int, hi: int) -> str:
    """The head of the sum ``m`` in the item ``point[lo:hi]`` (see ``_awards``)."""
    before = [h for h in heads if h.end() <= m.start]
    if before and _HEAD_THEN_SUM.fullmatch(point[before[-1].end(): m.start]) \
            and before[-1].end() >= max([lo, *[x.end for x in money if x.end <= m.start]]):
        return before[-1].lastgroup or "other"
    after = [h for h in heads if m.end <= h.start() < hi and not _is_heading(point, h, money)]
    if after:
        return after[0].lastgroup or "other"
    inside = [h for h in before if h.start() >= lo]
    if inside:
        return inside[-1].lastgroup or "other"
    headings = [h for h in before if _is_heading(point, h, money)]
    return (headings[-1].lastgroup or "other") if headings else "other"


def _is_heading(point: str, head: re.Match[str], money: list[Any]) -> bool:
    """"in respect of costs and expenses: EUR 500" heads the sums after it; a colon not followed by
    a sum ("... non-pecuniary damage: (b) that from the expiry") is a misprinted semicolon."""
    colon = _HEADING_COLON.match(point, head.end())
    return colon is not None and any(colon.end() <= m.start <= colon.end() + 40 for m in money)
