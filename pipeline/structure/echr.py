"""ECHR texts -> Judgment: the header, the parts, the numbered paragraphs and the operative part.

Reads the Court's own layout, not metadata: modern HUDOC judgments ("CASE OF KIYUTIN v. RUSSIA /
(Application no. 2700/10) / JUDGMENT / STRASBOURG / 10 March 2011"), French ones ("AFFAIRE ... c.
RUSSIE", "Requête no"), the Series A era ("In the Tyrer case, The European Court of Human Rights,
taking its decision in plenary session ..."), Court and Commission decisions ("Application no.
32002/10 by Anna LAKATOSH and Others against Russia"), communicated cases ("STATEMENT OF FACTS"),
and HUDOC exports whose lines were flattened from HTML ("adopted on that date: PROCEDURE 1.").

Everything hangs on one anchor, the composition sentence ("The European Court of Human Rights
(First Section), sitting as a Chamber composed of: ..."). The header is read only before it, so a
registry summary, a keyword digest or a table of contents printed above the judgment cannot lend
it a title or a date, and the parts are looked for only after it, so a table of contents listing
"PROCEDURE 1 / THE FACTS 3" is never taken for the parts themselves.

>>> j = parse_echr(SAMPLE)
>>> (j.kind, j.title, j.case_numbers, j.respondent_states, j.date, j.formation)
('echr_judgment', 'CASE OF KIYUTIN v. RUSSIA', ['2700/10'], ['Russia'], '2011-03-10', 'Chamber')
>>> [(h.article, h.outcome) for h in j.holdings]
[(None, 'inadmissible'), ('14+8', 'violation'), (None, 'other')]
>>> [(a.amount, a.currency, a.head) for a in j.awards]
[(15000.0, 'EUR', 'non_pecuniary'), (350.0, 'EUR', 'costs')]
"""

from __future__ import annotations

import re
from typing import Any

from pipeline.entities.citations import find_citations
from pipeline.entities.money import currency_on
from pipeline.models import Citation, Judgment, Paragraph, Section
from pipeline.reference.calendar import DATES
from pipeline.reference.states import state_names, states_from_codes
from pipeline.structure.digest_findings import release_findings, summary_findings
from pipeline.structure.echr_translation import is_translation, read_translation
from pipeline.structure.flat_text import one_line as _ws
from pipeline.structure.flat_text import repaired as _clean
from pipeline.structure.operative import ANNEX as _ANNEX
from pipeline.structure.communicated import complaints
from pipeline.structure.operative import find_operative, read_operative

__all__ = ["COURT", "COMMISSION", "SAMPLE", "parse_echr"]

COURT = "European Court of Human Rights"
COMMISSION = "European Commission of Human Rights"

SAMPLE = """FIRST SECTION

CASE OF KIYUTIN v. RUSSIA

(Application no. 2700/10)

JUDGMENT

STRASBOURG

10 March 2011

FINAL

15/09/2011

In the case of Kiyutin v. Russia,

The European Court of Human Rights (First Section), sitting as a Chamber composed of:

Nina Vajić, President,
Anatoly Kovler,
Julia Laffranque, judges,
and Søren Nielsen, Section Registrar,

Having deliberated in private on 17 February 2011,

Delivers the following judgment, which was adopted on that date:

PROCEDURE

1. The case originated in an application (no. 2700/10) against the Russian Federation.

2. The applicant was represented by Ms L. Komolova, a lawyer practising in Oryol.

THE FACTS

3. The applicant was born in 1971.

THE LAW

4. The Court reiterates.

FOR THESE REASONS, THE COURT UNANIMOUSLY

1. Declares the complaint concerning the refusal of a residence permit admissible and the remainder \
of the application inadmissible;

2. Holds that there has been a violation of Article 14 of the Convention taken in conjunction with Article 8;

3. Holds (a) that the respondent State is to pay the applicant EUR 15,000 (fifteen thousand euros) in \
respect of non-pecuniary damage and EUR 350 (three hundred and fifty euros) in respect of costs and expenses;

Done in English, and notified in writing on 10 March 2011.
"""

# -- small text helpers ---------------------------------------------------------------------------

def _rstrip(text: str, start: int, end: int) -> int:
    """``end`` moved back over trailing whitespace, never before ``start``."""
    while end > start and text[end - 1].isspace():
        end -= 1
    return end


# -- the anchor: the composition sentence -----------------------------------------------------------

_BODY = (r"(?:The|La|the|la)\s+(?:European\s+(?P<en>[Cc]ourt|Commission)\s+of\s+Human\s+Rights|"
         r"(?P<fr>Cour|Commission)\s+européenne\s+des\s+[Dd]roits\s+de\s+l['’]\s*[Hh]omme)")
_COMPOSITION = re.compile(
    _BODY + r"[^.;]{0,400}?\b(?:sitting|composed|taking\s+its\s+decision|the\s+following\s+members|siégeant|"
    r"composée?|constituée|réunie|statuant)")
# "In the case of Kiyutin v. Russia," / "En l'affaire X c. Y," / "In the Tyrer case,": just before it.
# The case name may carry a footnote mark: "Farmakopoulos c. Belgique*,", "A and Others v. Denmark (1),".
_IN_THE_CASE = re.compile(r"(?:In\s+the\s+case\s+of\s+(?P<en>.{2,250}?)|En\s+l['’]\s*affaire\s+(?P<fr>.{2,250}?)"
                          r"|In\s+the\s+(?P<old>[^,]{2,120}?)\s+case)\s*(?:\[\d*\]|∗|\*+|\(\d\)|\d)?\s*,\s*$", re.S)
_COMPOSITION_END = re.compile(r"Having\s+deliberated|Having\s+regard|Having\s+considered|Having\s+examined|"
                              r"Après\s+(?:en\s+)?avoir\s+délibéré|\bVu\s|Delivers\s+the|Rend\s+l|Decides\s+as")

# -- kinds ---------------------------------------------------------------------------------------
_COMMUNICATED = re.compile(r"STATEMENT OF FACTS|QUESTIONS? TO THE PARTIES|EXPOSÉ DES FAITS|QUESTIONS? AUX PARTIES|"
                           r"SUBJECT MATTER OF THE CASE|OBJET DE L.AFFAIRE|\bCommunicated on\b|\bCommuniquée le\b")
_REPORT = re.compile(r"REPORT OF THE (?:EUROPEAN )?COMMISSION|RAPPORT DE LA COMMISSION|"
                     r"\bPress [Rr]elease\b|PRESS RELEASE|[Cc]ommuniqué de presse|COMMUNIQUÉ DE PRESSE")
_COMMISSION_REPORT = re.compile(r"REPORT\s+OF\s+THE\s+(?:EUROPEAN\s+)?COMMISSION|RAPPORT\s+DE\s+LA\s+COMMISSION|"
                                r"(?i:Report\s+of\s+the\s+(?:European\s+)?Commissio\s?n|"
                                r"Rapport\s+de\s+la\s+Commissio\s?n)"
                                r"\s*\(\s*(?i:adopted|adopté)")
# A press release's own heading: "Press release issued by the Registrar", "ECHR 123 (2019)",
# "Communiqué du Greffier", "CEDH 123 (2019)"; a judgment that mentions a press release has none.
_PRESS_RELEASE = re.compile(r"^\W*(?:Press\s+[Rr]elease\s+issued\s+by\s+the\s+Registrar|Communiqué\s+(?:de\s+presse\s+)?"
                            r"du\s+Greffier|(?:ECHR|CEDH)\s+\d{1,4}\s*\(\d{4}\))", re.M)
# Information notes and legal summaries: "Jankovskis v. Lithuania - 21575/08" above
# "Judgment 17.1.2017 [Section IV]" ("Arrêt 24.1.2008 [Section I]", "Décision 11.5.2010 [GC]").
_SUMMARY_HEAD = re.compile(r"^\W*(?:Information\s+Note\s+on\s+the\s+Court|Note\s+d.information\s+sur\s+la\s+jurisprudence"
                           r"|Legal\s+summary|Résumé\s+juridique)", re.M | re.I)
_SUMMARY_CASE = re.compile(
    r"^[ \t]*(?P<name>[^\n]{2,200}?\s(?:v\.|c\.)\s[^\n]{2,120}?)\s+[-–—]\s+(?P<list>" + r"\d{1,6}/\d{2}(?:[^\n]{0,200})?)"
    r"\s*\n\s*(?P<kind>Judgment|Decision|Arrêt|Décision|Advisory\s+opinion|Avis\s+consultatif|Request|Demande)\w*"
    r"[^\n]{0,40}?\b(?P<d>\d{1,2}\.\d{1,2}\.\d{4})", re.M)
_ADVISORY = re.compile(r"^\W*(?:ADVISORY\s+OPINION|AVIS\s+CONSULTATIF|Advisory\s+opinion\s+(?:on|concerning|relating)|"
                       r"Avis\s+consultatif\s+(?:sur|relatif|concernant))", re.M)
_ADVISORY_TAIL = re.compile(r"(?:[Dd]elivers|[Rr]end)\s+(?:the\s+following\s+opinion|l['’]\s*avis\s+suivant)")
_REQUEST_NO = re.compile(r"\b(?:Request|Demande)\s+n[o°]\.?\s*(?P<no>P16-\d{4}-\d{3})")
_JUDGMENT_TAIL = re.compile(r"[Dd]elivers\s+the\s+following\s+judgment|Rend\s+l['’]\s*arrêt|following\s+judgment")
_DECISION_TAIL = re.compile(r"[Dd]ecides\s+as\s+follows|Rend\s+la\s+décision|following\s+decision|"
                            r"[Dd]écide\s+(?:ce\s+qui\s+suit|comme\s+suit)")
_DECISION_HEAD = re.compile(r"\b(?:DECISION|DÉCISION|AS TO THE ADMISSIBILITY|SUR LA RECEVABILITÉ)\b")
_JUDGMENT_HEAD = re.compile(r"\b(?:JUDGMENT|ARRÊT|ARRET)\b")

# -- header fields --------------------------------------------------------------------------------
_NO = r"(?:nos?\.?|Nos?\.?|n[°º]s?\.?|N[°º]s?\.?|n\s?os?\b\.?)"
_APP = r"\d{1,6}/\d{2}(?!\d)"
_APP_LIST = (_APP + r"(?:\s*(?:,|;|and|et|&|to|à|-|–)\s*(?:" + _NO + r"\s*)?" + _APP + r")*"
             r"(?:\s*(?:and|et)\s+\d+\s+(?:others?|autres?))?")
# "(Application no. 2700/10)", "(Applications nos. 23878/94 to 23883/94)", "(Requête no 19841/06)",
# "(Application no. 8543/79; 8674/79)", "(Applications nos. 13122/11 and 2 others - see appended list)".
_HEAD_NUMBERS = re.compile(r"(?:Applications?|Requêtes?|requêtes?|applications?)\s*" + _NO + r"\s*(?P<list>"
                           + _APP_LIST + r")")
_ORIGINATED = re.compile(r"(?:applications?|requêtes?)\s*\(\s*" + _NO + r"\s*(?P<list>" + _APP_LIST + r")\s*\)")
_ANNEX_ROW = re.compile(r"(?<![\d/])" + _APP + r"(?=(?:\s*(?:,|and|et)\s*" + _APP
                        + r")*,?\s*(?:lodged|(?:requêtes?\s+)?introduites?|déposées?|\d{2}/\d{2}/\d{4}))"
                        r"|(?<=\d\.\s)" + _APP + r"|(?<=[Aa]pplication\sno\.\s)" + _APP)
_OTHERS = re.compile(r"(?:and|et)\s+(\d+)\s+(?:others?|autres?)(?:\s+(?:applications?|requêtes?))?")
# "CASE OF X v. Y", "AFFAIRE X c. Y" ("C." in some capitalised headings), "CASES OF X, Y AND Z v. W".
# A "(No. 2)" belongs to the title; "(Application no. 123/45)" does not.
_TITLE = re.compile(r"(?P<title>(?:CASES?\s+OF|AFFAIRES?)\s+(?P<app>.{1,300}?)\s+(?:v\.|c\.|C\.)\s+(?P<state>.{2,160}?))"
                    r"(?=\s*\(\s*(?:Applications?|Requêtes?|" + _NO + r"\s*\d{1,6}/)|\s+(?:JUDGMENT|ARRÊT)\b|\s*$)", re.S)
# The Court's own case number of 1990s covers ("(67\1996\686\876)", "(28/1996/647/832)"): not the title's.
_COURT_CASE_NO = re.compile(r"\s*\(\s*\d{1,3}\s*[/\\]\s*\d{4}\s*[/\\]\s*\d{1,4}\s*[/\\]\s*\d{1,4}\s*\)")
_DECISION_TITLE = re.compile(
    r"(?:Applications?|Requêtes?|requêtes?)\s*" + _NO + r"\s*" + _APP_LIST
    + r"\s*(?:by|présentée\s+par|introduite\s+par)?\s+(?P<app>.{2,250}?)\s*,?\s+"
    r"(?:against|contre)\s+(?P<state>.{2,120}?)"
    r"(?=\s+(?:The\s+European|La\s+(?:Cour|Commission)|lodged|introduite|enregistrée|STATEMENT|EXPOSÉ|"
    r"(?:and|et)\s+\d+\s+(?:others?|autres?)\s+(?:applications?|requêtes?)|"
    r"Communicated|Communiquée|_{3,}|The\s+applicant|Le\s+requérant|La\s+requérante|REPORT\s+OF|RAPPORT\s+DE|"
    r"\(\s*(?:adopted|adopté)|STATEMENT|EXPOSÉ)|\s*_{3,}|\s*$)", re.S)
_DECISION_VTITLE = re.compile(r"(?:Applications?|Requêtes?)\s*" + _NO + r"\s*" + _APP_LIST
                              + r"\s+(?P<title>[^\n]{2,160}?\s(?:v\.|c\.)\s[^\n]{2,80}?)\s*(?=STRASBOURG|$)")
# "12 March 2011", "1 er septembre 2015", "3rd July 1967": a date as the Court prints it in prose
_PRINTED_DATE = r"\d{1,2}(?:\s?er|st|nd|rd|th)?\s+\S+\s+\d{4}"
_STRASBOURG_DATE = re.compile(r"STRASBOURG\s*,?\s*(?:le\s+)?(?P<d>" + _PRINTED_DATE + r")")
_SITTING_DATE = re.compile(r"(?:sitting|siégeant)[^.]{0,60}?\b(?:on|le)\s+(?P<d>" + _PRINTED_DATE + r")")
_DONE_DATE = re.compile(r"(?:Done|Fait)\s+(?:in|en|à)\b.{0,200}?\b(?:on|le)\s+(?P<d>" + _PRINTED_DATE + r")")
# Where the signature starts: the date after it is the delivery date when no cover prints one.
_SIGNATURE = re.compile(r"\b(?:Done|Fait)\s+(?:in|en|à)\s")
_COMMUNICATED_DATE = re.compile(r"(?:Communicated on|Communiquée le)\s+(?P<d>" + _PRINTED_DATE + r")")
# HUDOC prints a communicated case's communication date alone on its first line, above the section.
_FIRST_LINE_DATE = re.compile(r"^\W*(?P<d>\d{1,2}(?:\s?er|st|nd|rd|th)?\s+[^\W\d]+\s+\d{4})[ \t]*\n")
# A Commission report: "(adopted on 12 March 1990)", "(adopté le 5 juillet 1994)".
_ADOPTED_DATE = re.compile(r"\(\s*(?i:adopted\s+on|adopté\s+le)\s+(?P<d>" + _PRINTED_DATE + r")\s*\)")
_FINAL = re.compile(r"\b(?:FINAL|DÉFINITIF)\s+(\d{2})/(\d{2})/(\d{4})\b")
_ECLI = re.compile(r"\bECLI:CE:ECHR:\d{4}:\d{4}[A-Z]{3}\d{9}\b")
_HONORIFIC = re.compile(r"^(?:(?:Mr|Mrs|Ms|Miss|MM|Mme|Mmes|Mlle|Mes?|M|Sir|Dame|Lord|Judge|Juge)\.?\s+)+")
_AGAINST = re.compile(r"\b(?:against|contre)\s+(?P<s>(?:the\s+|la\s+|le\s+|l['’])?[A-ZÀ-Ý][^,;()]{2,80})")

# -- parts ----------------------------------------------------------------------------------------
# A heading stands on its own line, or (in flattened exports) right after a sentence ends and before
# its first numbered paragraph or sub-heading: "... Rules of Court). THE FACTS I. THE CIRCUMSTANCES".
_HEAD_AFTER = r"(?=[ \t]*(?:\r?\n|$)|\s+(?:[IVX]+|[A-H]|\d{1,3})\s?\.|\s+[A-ZÀ-Ý][a-zà-ÿ])"
_SECTION_HEADINGS: tuple[tuple[str, str], ...] = (
    ("procedure", r"PROCEDURE|PROCÉDURE|INTRODUCTION"),
    ("facts", r"THE FACTS|AS TO THE FACTS|EN FAIT|STATEMENT OF FACTS|EXPOSÉ DES FAITS"),
    ("law", r"THE LAW|AS TO THE LAW|EN DROIT|IN LAW"),
)
_SECTION_RES = tuple((name, re.compile(r"(?:^|(?<=[.:;)”\"»’]))\s*(?P<h>(?:" + pattern + r"))" + _HEAD_AFTER, re.M))
                     for name, pattern in _SECTION_HEADINGS)
_PARA_LINE = re.compile(r"^[ \t]*(?P<n>\d{1,4})[ \t]?\.[ \t]+(?=[^\s\d])", re.M)
# "... the following judgment: PROCEDURE 1.\n\nThe case": not "Article 44 § 2.\n" or "no. 4.\n".
_PARA_TAIL = re.compile(r"(?<=\s)(?<!§\s)(?<!o\.\s)(?<!No\s)(?P<n>\d{1,4})[ \t]?\.[ \t]*\r?\n")

_REPRESENTED = re.compile(
    r"(?:^|[.;]\s)\s*(?:The\s+applicants?|They|He|She|It|The\s+applicant\s+\w+)(?:,[^.]{0,200}?,)?\s+"
    r"(?:was|were|had\s+been|has\s+been|have\s+been|is|are)\s+(?:initially\s+|first\s+)?represented\s+"
    r"(?:before\s+the\s+(?:Court|Commission)\s+)?"
    r"by\s+(?P<en>.{3,400}?)(?:(?:(?<=[^\W\d_]{3})|(?<=\)))\.(?=\s|$)|;|$)|"
    r"(?:^|[.;]\s)\s*(?:Les\s+requérant(?:e)?s|Le\s+requérant|La\s+requérante|Il|Elle)\s+(?:a\s+été|ont\s+été|est|"
    r"sont)\s+(?:initialement\s+)?représenté(?:e)?s?\s*(?:devant\s+la\s+(?:Cour|Commission)\s+)?par\s+"
    r"(?P<fr>.{3,400}?)(?:(?:(?<=[^\W\d_]{3})|(?<=\)))\.(?=\s|$)|;|$)")
_NAME = re.compile(r"\b(?:Mr|Mrs|Ms|Miss|Mme|Mlle|Mes?|M)\.?\s+(?P<n>(?:[A-ZÀ-ÝŁŠŽČ][\w'’\-]*\.?\s?){1,5})")


# ================================================================================================

def parse_echr(text: str, meta: dict[str, Any] | None = None) -> Judgment:
    """The structure of one ECHR document (judgment, decision, communicated case, report).

    ``meta`` is the source's metadata when there is any (a HUDOC record: ``ecli``, ``app_no``,
    ``date``, ``country``); it only fills what the text does not print. Fields the text does not
    give stay None or empty.

    >>> j = parse_echr("FIRST SECTION\\nDECISION\\nApplication no. 32002/10\\nby Anna LAKATOSH and Others\\n"
    ...                "against Russia\\nThe European Court of Human Rights (First Section), sitting on "
    ...                "7 June 2011 as a Chamber composed of:\\nNina Vajić, President,\\nAnatoly Kovler, judges,\\n"
    ...                "and Søren Nielsen, Section Registrar,\\nHaving deliberated, decides as follows:\\n"
    ...                "For these reasons, the Court unanimously\\nDecides to strike the application out of its list.")
    >>> (j.kind, j.title, j.date, j.president)
    ('echr_decision', 'Anna LAKATOSH and Others v. Russia', '2011-06-07', 'Nina Vajić')
    >>> j.judges, [(h.article, h.outcome) for h in j.holdings]
    (['Nina Vajić', 'Anatoly Kovler'], [(None, 'other')])
    """
    meta = meta or {}
    if is_translation(text):
        return _translated(text, meta)
    digest = _summary_or_release(text, meta)
    if digest:
        return digest
    j = Judgment(court=COURT)
    comp = _COMPOSITION.search(text)
    if comp is None:
        return _parse_without_composition(text, meta, j)

    start = comp.start()
    before = text[max(0, start - 400): start]
    in_case = _IN_THE_CASE.search(before)
    head_end = start - len(before) + in_case.start() if in_case else start
    head = _ws(text[:head_end])
    if (comp.group("en") or comp.group("fr")) == "Commission":
        j.court = COMMISSION
    composition = text[start: start + 6000]
    end = _COMPOSITION_END.search(composition)
    composition = composition[: end.start()] if end else composition[:3000]
    body_start = start + len(composition)

    j.kind = _kind(head, text[start: start + 8000])
    j.formation = _formation(_ws(composition), head, j.court == COMMISSION)
    j.president, j.judges = _members(composition)
    j.title, j.applicants, j.respondent_states = _title(head, in_case)
    j.case_numbers = _case_numbers(head, text, start, meta)
    if j.kind == "echr_advisory_opinion":
        j.title, j.case_numbers = _advisory_title(head) or j.title, _request_numbers(head, meta)
    j.final_date = _final_date(head)
    j.ecli = _ecli(text, meta)

    j.sections, operative = _sections(text, body_start)
    j.paragraphs = _paragraphs(text, body_start, j.sections, operative)
    j.date = _date(head, _ws(composition), j.kind, text, operative, meta)
    if not j.respondent_states:
        j.respondent_states = _states_from_text(text[body_start: body_start + 6000], meta)
    j.representatives = _representatives(text[body_start: body_start + 15000])
    if not j.applicants:
        j.applicants = _applicants_from_text(text[body_start: body_start + 6000])
    if operative:
        j.holdings, j.awards = read_operative(text[operative[0]: operative[1]])
        for award in j.awards:
            award.currency = currency_on(award.currency, j.date)
    j.citations = _citations(text, head_end)
    return j


def _translated(text: str, meta: dict[str, Any]) -> Judgment:
    """A translation's header (``echr_translation``); the source metadata fills its gaps."""
    j = read_translation(text)
    j.case_numbers = j.case_numbers or _meta_numbers(meta)
    j.date = j.date or _meta_date(meta)
    j.ecli = _ecli(text, meta)
    return j


_RELEASE_CASE = re.compile(r"(?P<name>[A-ZÀ-Ý][^()\n]{1,250}?\s(?:v\.|c\.)\s[^()\n]{2,100}?)\s*\(\s*(?:[Aa]pplications?|"
                           r"[Rr]equêtes?)\s*" + _NO + r"\s*(?P<list>" + _APP_LIST + r")")


def _summary_or_release(text: str, meta: dict[str, Any]) -> Judgment | None:
    """Information notes, legal summaries and press releases: the Court's digests of a judgment or
    decision. They name the case they report, its numbers and its date, and are not that case.

    >>> j = _summary_or_release("Information Note on the Court’s case-law 203\\nJanuary 2017\\n"
    ...                         "Jankovskis v. Lithuania - 21575/08\\nJudgment 17.1.2017 [Section IV]\\nArticle 10", {})
    >>> (j.kind, j.title, j.case_numbers, j.respondent_states, j.date)
    ('echr_summary', 'Jankovskis v. Lithuania', ['21575/08'], ['Lithuania'], '2017-01-17')
    """
    head = text[:3000]
    case = _SUMMARY_CASE.search(head[:1500])
    summary = bool(case or _SUMMARY_HEAD.search(head[:300]))
    if not summary and not _PRESS_RELEASE.search(head[:1000]):
        return None
    comp = _COMPOSITION.search(text)
    if comp and (_JUDGMENT_TAIL.search(text, comp.end(), comp.end() + 6000)
                 or _DECISION_TAIL.search(text, comp.end(), comp.end() + 6000)):
        return None  # the document itself follows a registry summary printed above it
    if summary:
        j = Judgment(kind="echr_summary", court=COURT)
        if case:
            name = _ws(re.sub(r"\s*(?:\[GC\]|\((?:dec|déc)\.\))", "", case.group("name")))
            j.title = name
            app, _, state = re.split(r"\s(v\.|c\.)\s", name, maxsplit=1)
            j.applicants, j.respondent_states = _applicants_from_case_name(None, app), state_names(state)
            j.case_numbers = list(dict.fromkeys(re.findall(_APP, case.group("list"))))
            j.date = DATES.first(case.group("d"))
            j.holdings = summary_findings(text)
        j.date = j.date or _meta_date(meta)
        return j
    j = Judgment(kind="echr_press_release", court=COURT)
    # its own date, printed first ("23.10.2007"); a release of a judgment "today" shares it
    j.date = DATES.first(head[:600]) or _meta_date(meta)
    cases = list(_RELEASE_CASE.finditer("\n".join(_clean(line) for line in head.splitlines())))
    names = {re.split(r"\b(?:case\s+of|l['’]\s*affaire)\s+", m.group("name"))[-1] for m in cases}
    if len(names) == 1:
        # one case reported; a release of several judgments names none of them as its own
        name = _ws(names.pop())
        j.title = name
        app, _, state = re.split(r"\s(v\.|c\.)\s", name, maxsplit=1)
        j.applicants, j.respondent_states = _applicants_from_case_name(None, app), state_names(state)
        j.case_numbers = _expand(cases[0].group("list"))
        j.holdings = release_findings(text)
    return j


def _parse_without_composition(text: str, meta: dict[str, Any], j: Judgment) -> Judgment:
    """Communicated cases, reports and advisory opinions printed without a composition sentence."""
    head = _ws(text[:6000])
    if _COMMUNICATED.search(text[:8000]):
        j.kind = "echr_communicated"
        m = _COMMUNICATED_DATE.search(head) or _FIRST_LINE_DATE.match(text.lstrip("\ufeff"))
        j.date = _iso(m.group("d")) if m else None
    elif _ADVISORY.search(text[:3000]):
        j.kind = "echr_advisory_opinion"
        m = _STRASBOURG_DATE.search(head)
        j.date = _iso(m.group("d")) if m else None
    elif _COMMISSION_REPORT.search(head):
        j.kind, j.court = "echr_report", COMMISSION
        m = _ADOPTED_DATE.search(head)
        j.date = _iso(m.group("d")) if m else None
    elif _JUDGMENT_HEAD.search(head) and _TITLE.search(head):
        # An excerpt or a re-typed judgment without its composition sentence: the "CASE OF ... v."
        # title and the JUDGMENT heading still say what it is; the first date is its delivery date.
        j.kind = "echr_judgment"
        j.date = DATES.first(head)
    else:
        j.kind = "echr_other"
        if re.search(r"REPORT OF THE (?:EUROPEAN )?COMMISSION|RAPPORT DE LA COMMISSION|European Commission of "
                     r"Human Rights", head):
            j.court = COMMISSION
    if j.kind == "echr_advisory_opinion":
        j.title, j.case_numbers = _advisory_title(head), _request_numbers(head, meta)
        j.date = j.date or _meta_date(meta)
        j.sections, _ = _sections(text, 0)
        j.citations = _citations(text, 0)
        return j
    if j.kind == "echr_communicated":
        # its own heading ends where the facts begin; the facts cite other applications
        facts = re.search(r"STATEMENT OF FACTS|EXPOSÉ DES FAITS|SUBJECT MATTER OF THE CASE|OBJET DE L.AFFAIRE|"
                          r"\bTHE FACTS\b|\bEN FAIT\b", head)
        head = head[: facts.start()] if facts and _HEAD_NUMBERS.search(head, 0, facts.start()) else head
    j.title, j.applicants, j.respondent_states = _title(head, None)
    j.case_numbers = _case_numbers(head, text, 0, meta)
    if not j.respondent_states:
        j.respondent_states = _states_from_text(head, meta)
    j.ecli = _ecli(text, meta)
    j.date = j.date or _meta_date(meta)
    j.sections, _ = _sections(text, 0)
    heading = _COMMUNICATED.search(text[:8000])
    j.citations = _citations(text, heading.start() if heading else 0)
    if j.kind == "echr_communicated":
        j.complaints = complaints(text)
    return j


# -- header ---------------------------------------------------------------------------------------

def _kind(head: str, tail: str) -> str:
    """Judgment or decision: the sentence after the composition says which ("Delivers the following
    judgment" / "decides as follows"); the headings above it are the fallback. A registry summary
    above the text may say "Judgment" of a decision, so the sentence wins, except that the
    Court of the 1960s and 1970s closed the composition of its judgments with "Decides as follows"
    too: under a "CASE OF X v. Y / JUDGMENT" cover, that sentence is a judgment's."""
    if _ADVISORY_TAIL.search(tail[:3000]) or (_ADVISORY.search(head[:1500]) and not _JUDGMENT_TAIL.search(tail)):
        return "echr_advisory_opinion"
    if _COMMISSION_REPORT.search(head[-3000:]) and not _JUDGMENT_TAIL.search(tail):
        return "echr_report"
    if _REPORT.search(head[-3000:]) and not _JUDGMENT_TAIL.search(tail):
        return "echr_other"
    judgment, decision = _JUDGMENT_TAIL.search(tail), _DECISION_TAIL.search(tail)
    if judgment and (not decision or judgment.start() < decision.start()):
        return "echr_judgment"
    if decision and re.match(r"[Dd]ecides\s+as\s+follows", decision.group(0)) and _TITLE.search(head) \
            and _JUDGMENT_HEAD.search(head) and not _DECISION_HEAD.search(head):
        return "echr_judgment"
    if decision:
        return "echr_decision"
    if _COMMUNICATED.search(head):
        return "echr_communicated"
    if _DECISION_HEAD.search(head) and not _JUDGMENT_HEAD.search(head):
        return "echr_decision"
    return "echr_judgment" if _JUDGMENT_HEAD.search(head) else "echr_other"


def _formation(composition: str, head: str, commission: bool) -> str | None:
    """Grand Chamber, Chamber, Committee or Plenary from "sitting as a ..."; "Commission" for the
    Commission. "en chambre du conseil" is French for "in private", not a Chamber."""
    if commission:
        return "Commission"
    text = re.sub(r"chambre\s+du\s+conseil", " ", composition, flags=re.I)
    for name, pattern in (("Grand Chamber", r"Grand(?:e)?\s+Cham(?:ber|bre)"), ("Plenary", r"plenary|plénière"),
                          ("Committee", r"\bCommittee\b|\bcomité\b"), ("Chamber", r"\bChamber\b|\bchambre\b")):
        if re.search(pattern, text, re.I):
            return name
    for name, pattern in (("Grand Chamber", r"GRAND CHAMBER|GRANDE CHAMBRE"), ("Plenary", r"\(PLENARY\)|\(PLÉNIÈRE\)"),
                          ("Chamber", r"COURT \(CHAMBER\)|COUR \(CHAMBRE\)")):
        if re.search(pattern, head):
            return name
    return None


def _members(composition: str) -> tuple[str | None, list[str]]:
    """President and judges from "composed of: X, President, Y, Z, judges, and R, Registrar".

    Names are kept as printed without the honorific ("Mr. R. RYSSDAL" -> "R. RYSSDAL"); the
    Registrar and deputies (always listed last) are dropped; the President is also in ``judges``.
    """
    m = re.search(r"composed\s+of(?:\s+the\s+following\s+judges)?\s*:?|composée?\s+de(?:s\s+juges\s+dont\s+le\s+nom"
                  r"\s+suit)?\s*:?|following\s+members\s+being\s+present\s*:?|en\s+présence\s+de\s*:?",
                  composition)
    if not m:
        return None, []
    names: list[str] = []
    raw_names: list[str] = []
    president: str | None = None
    previous_was_name = False
    for token in re.split(r"[,\n;]", composition[m.end():]):
        token = re.sub(r"\s*(?:\[\d+\]|∗|\*)\s*", " ", token).strip(" .:\t\r")
        if not token:
            continue
        low = token.lower()
        if re.fullmatch(r"(?:vice-)?(?:president|présidente?)", low):
            if names:
                president = president or names[-1]
            continue
        if re.search(r"registrar|greffi|secretary|secrétaire", low):
            # "Linos-Alexandre Sicilianos and Søren Nielsen, Section Registrar": keep the judge
            if previous_was_name and re.search(r"\s(?:and|et)\s", raw_names[-1]) and \
                    not re.match(r"(?:and|et)\s", raw_names[-1]):
                names[-1] = _strip_name(re.split(r"\s(?:and|et)\s", raw_names[-1])[0])
            elif previous_was_name and names.pop() == president:
                president = None
            break
        if re.fullmatch(r"(?:ad hoc |substitute )?judges?(?: ad hoc)?|juges?(?: ad hoc| suppléante?s?)?|"
                        r"members?|membres?", low):
            continue
        name = _strip_name(re.sub(r"^(?:and\s+also(?:\s+of)?|and|et\s+de|et|ainsi\s+que\s+de)\s+", "", token))
        previous_was_name = bool(name) and not re.search(r"\d", name) and len(name) <= 60 \
            and bool(re.match(r"[A-ZÀ-ÝŁŠŽČ]", name))
        if previous_was_name:
            names.append(name)
            raw_names.append(token)
    return president, names


def _strip_name(token: str) -> str:
    token = _HONORIFIC.sub("", token.strip()).strip(" .")
    return "" if re.fullmatch(r"(?:Mr|Mrs|Ms|MM|Mme|Mmes|M|Sir|Dame)\.?", token) else token.strip()


def _title(head: str, in_case: re.Match[str] | None) -> tuple[str | None, list[str], list[str]]:
    """Title, applicants and respondent States from the heading (the last one above the text, so
    a summary printed first cannot lend its own), else from "In the case of X v. Y,"."""
    titles = list(_TITLE.finditer(_COURT_CASE_NO.sub(" ", head)))
    if titles:
        t = titles[-1]
        # "AFFAIRES SPURIO, GALLO ET RYLLO / AFFAIRE GALLO c. ITALIE": a series heading above the case's own
        app = re.split(r"\s(?:CASES?\s+OF|AFFAIRES?)\s+", t.group("app"))[-1]
        title = re.sub(r"^.*\s(?=(?:CASES?\s+OF|AFFAIRES?)\s+" + re.escape(app[:20]) + ")", "", _ws(t.group("title")))
        state_part = re.sub(r"\(.*?\)", " ", t.group("state"))
        return title, _applicants_from_case_name(in_case, app), state_names(state_part)
    for m in _DECISION_VTITLE.finditer(head):
        title = _ws(m.group("title")).replace("( ", "(")
        app, _, state = re.split(r"\s(v\.|c\.)\s", title, maxsplit=1)
        return title, [app], state_names(re.sub(r"\(.*?\)", " ", state))
    decision = list(_DECISION_TITLE.finditer(head))
    if decision:
        m = decision[-1]
        app = _ws(m.group("app")).strip(" ,")
        state = _ws(m.group("state")).strip(" ,_")
        word = "c." if re.search(r"\bcontre\b", m.group(0)) else "v."
        # "Application no. 14480/08 by X and Others / Application no. 47916/08 by Y and Others /
        # against Estonia": applications joined under one "against"
        joined = [_ws(a).strip(" ,") for a in re.split(r"\s*(?:Applications?|Requêtes?)\s*" + _NO + r"\s*" + _APP_LIST
                                                      + r"\s*(?:by|présentée\s+par|introduite\s+par)\s+", app)]
        if len(joined) > 1 and all(joined):
            return "; ".join(f"{a} {word} {state}" for a in joined), joined, state_names(state)
        return f"{app} {word} {state}", [app], state_names(state)
    if in_case and (in_case.group("en") or in_case.group("fr")):
        name = _ws(in_case.group("en") or in_case.group("fr"))
        parts = re.split(r"\s(?:v\.|c\.)\s", name, maxsplit=1)
        if len(parts) == 2:
            return name, _applicants_from_case_name(in_case, parts[0]), state_names(parts[1])
    return None, [], []


def _advisory_title(head: str) -> str | None:
    """"Advisory opinion concerning the recognition in domestic law of ... requested by the French
    Court of Cassation": the heading up to the request number or the cover."""
    m = re.search(r"((?:Advisory\s+opinion|ADVISORY\s+OPINION|Avis\s+consultatif|AVIS\s+CONSULTATIF)\b.{0,400}?)"
                  r"(?=\s*\(?\s*(?:Request|Demande)\s+n|\s+STRASBOURG|\s+The\s+European|\s+La\s+Cour|$)", head)
    return _ws(m.group(1)).rstrip(" (") if m else None


def _request_numbers(head: str, meta: dict[str, Any]) -> list[str]:
    """An advisory opinion's number is its request's: "(Request no. P16-2018-001)"."""
    found = list(dict.fromkeys(m.group("no") for m in _REQUEST_NO.finditer(head)))
    return found or re.findall(r"P16-\d{4}-\d{3}", str(meta.get("app_no") or meta.get("appno") or ""))


def _applicants_from_case_name(in_case: re.Match[str] | None, printed: str) -> list[str]:
    """The applicant part of the title in the case's own spelling ("Kiyutin", "A.N."); "X and Y"
    are two applicants, "X and Others" one entry as printed."""
    name = printed
    if in_case and (in_case.group("en") or in_case.group("fr")):
        name = re.split(r"\s(?:v\.|c\.)\s", _ws(in_case.group("en") or in_case.group("fr")), maxsplit=1)[0]
    name = _ws(name)
    if re.search(r"\b(?:and|et)\s+(?:Others|autres)\b", name, re.I):
        return [name]
    return [p for p in re.split(r"\s+(?:and|AND|et|ET)\s+", name) if p]


def _expand(numbers: str) -> list[str]:
    """"23878/94 to 23883/94" -> six numbers; "8543/79; 8674/79" -> two. Ranges are expanded only
    within one year and up to 50 numbers: a longer span is more likely a misprint than a range.

    >>> _expand("23878/94 to 23883/94")
    ['23878/94', '23879/94', '23880/94', '23881/94', '23882/94', '23883/94']
    """
    out: list[str] = []
    tokens = re.findall(r"\d{1,6}/\d{2}|\b(?:to|à)\b|[-–](?=\s*\d)", numbers)
    i = 0
    while i < len(tokens):
        tok = tokens[i]
        if tok in ("to", "à", "-", "–") and out and i + 1 < len(tokens) and "/" in tokens[i + 1]:
            a, ya = out[-1].split("/")
            b, yb = tokens[i + 1].split("/")
            if ya == yb and 0 < int(b) - int(a) <= 50:
                out.extend(f"{n}/{ya}" for n in range(int(a) + 1, int(b) + 1))
            elif tokens[i + 1] not in out:
                out.append(tokens[i + 1])
            i += 2
            continue
        if "/" in tok and tok not in out:
            out.append(tok)
        i += 1
    return out


def _case_numbers(head: str, text: str, start: int, meta: dict[str, Any]) -> list[str]:
    """The document's own application numbers: its heading, else § 1 ("originated in an application
    (no. 10873/84)"), else the source metadata. "13122/11 and 2 others – see appended list" is
    completed from § 1, the appendix or the metadata when one lists exactly that many numbers."""
    blocks = list(_HEAD_NUMBERS.finditer(head))
    numbers: list[str] = []
    others = 0
    if blocks:
        # joined decisions print one heading per application: "Application no. 16072/06 by X
        # against the United Kingdom AND Application no. 27809/08 by Y against ..."
        first = len(blocks) - 1
        # against Y ..."), or several under one "against" ("Application no. 1/08 by X / Application
        # no. 2/08 by Y / against Estonia")
        while first > 0 and _joined(head[blocks[first - 1].end(): blocks[first].start()]):
            first -= 1
        numbers = list(dict.fromkeys(n for b in blocks[first:] for n in _expand(b.group("list"))))
        m = _OTHERS.search(blocks[-1].group("list")) or _OTHERS.search(head, blocks[-1].end(), blocks[-1].end() + 400)
        others = int(m.group(1)) if m else 0
    origin = _ORIGINATED.search(_clean(text[start: start + 8000]))
    if not numbers and origin:
        numbers = _expand(origin.group("list"))
    if others and numbers:
        wanted = len(numbers) + others
        candidates: list[list[str]] = [_expand(origin.group("list"))] if origin else []
        annex = _ANNEX.search(text, start)
        if annex:
            # every number in the appendix, or only those of its rows ("9988/13, lodged on ...",
            # "13122/11 12/01/2011") when the appendix also cites other cases
            for rx in (_ANNEX_ROW, re.compile(r"(?<![\d/])" + _APP)):
                candidates.append(list(dict.fromkeys(m.group(0) for m in rx.finditer(text, annex.start()))))
        candidates.append(_meta_numbers(meta))
        for cand in candidates:
            if len(cand) == wanted and numbers[0] in cand:
                return cand
    return numbers or _meta_numbers(meta)


def _joined(gap: str) -> bool:
    """Whether two application headings are one document's (see ``_case_numbers``)."""
    return bool(re.search(r"\bAND\s*$|\bET\s*$", gap)) or (
        bool(re.match(r"\s*(?:by|présentée\s+par)\s", gap)) and not re.search(r"\b(?:against|contre)\b", gap))


def _meta_numbers(meta: dict[str, Any]) -> list[str]:
    return re.findall(_APP, str(meta.get("app_no") or meta.get("appno") or ""))


def _final_date(head: str) -> str | None:
    m = _FINAL.search(head)
    return DATES.first(f"{m.group(1)}/{m.group(2)}/{m.group(3)}") if m else None


def _ecli(text: str, meta: dict[str, Any]) -> str | None:
    m = _ECLI.search(text[:20000])
    if m:
        return m.group(0)
    value = meta.get("ecli")
    return value if isinstance(value, str) and value.startswith("ECLI:") else None


def _date(head: str, composition: str, kind: str, text: str, operative: tuple[int, int] | None,
          meta: dict[str, Any]) -> str | None:
    """Judgments: the date under STRASBOURG, else "Done in ... on"; decisions: "sitting on";
    Commission reports: "(adopted on ...)". Never "Having deliberated in private on"."""
    if kind == "echr_report":
        adopted = _ADOPTED_DATE.search(head)
        if adopted and _iso(adopted.group("d")):
            return _iso(adopted.group("d"))
    if kind == "echr_decision":
        candidates = [_SITTING_DATE.search(composition), _STRASBOURG_DATE.search(head)]
    else:
        # The cover date (STRASBOURG) and the signed "Done in ... on" rarely disagree, by a misprint
        # in one of them. The new Court (1998-) prints the cover itself; for older judgments HUDOC
        # added it afterwards, so the signed date wins there.
        done = _DONE_DATE.search(_ws(text[operative[0]: operative[1] + 400])) if operative else None
        cover = _STRASBOURG_DATE.search(head)
        cover_iso = _iso(cover.group("d")) if cover else None
        old = cover_iso is not None and cover_iso < "1998-11-01"
        candidates = [done, cover] if old else [cover, done]
        candidates.append(_SITTING_DATE.search(composition))
    if operative and kind == "echr_decision":
        candidates.append(_DONE_DATE.search(_ws(text[operative[0]: operative[1] + 400])))
    for m in candidates:
        iso = _iso(m.group("d")) if m else None
        if iso:
            return iso
    if kind in ("echr_judgment", "echr_advisory_opinion"):
        # a 1990s text without its cover and with an operative part not found: the signature
        # "Done in English and in French, ... Strasbourg, on 27 October 1995" still dates it
        for done in _SIGNATURE.finditer(text):
            m = _DONE_DATE.match(_ws(text[done.start(): done.start() + 500]))
            if m and (iso := _iso(m.group("d"))):
                return iso
    return _meta_date(meta)


def _iso(printed: str) -> str | None:
    """ISO date of "1 er septembre 2015" (a superscript "er" set apart), "12 March 2011"."""
    return DATES.first(re.sub(r"\b(\d{1,2})\s+er\b", r"\1er", _ws(printed)))


def _meta_date(meta: dict[str, Any]) -> str | None:
    value = meta.get("date") or meta.get("judgementdate")
    m = re.match(r"\d{4}-\d{2}-\d{2}", value) if isinstance(value, str) else None
    return m.group(0) if m else None


def _states_from_text(body: str, meta: dict[str, Any]) -> list[str]:
    """§ 1 "an application (no. 5856/72) against the United Kingdom", else the metadata's country."""
    for m in _AGAINST.finditer(_clean(body)):
        found = state_names(re.split(r"\blodged\b|\bintroduite\b|\bdont\b|\bby\b|\bpar\b", m.group("s"))[0])
        if found:
            return found
    return states_from_codes(str(meta.get("country") or meta.get("respondent") or ""))


def _representatives(body: str) -> list[str]:
    """Lawyers of the applicants: "The applicant was represented by Ms L. Komolova, a lawyer
    practising in Oryol" -> ["L. Komolova"]; "par Mes R. Skilbeck, J. Goldston, avocats" -> both.
    Only people (an honorific or an initial); the Government's Agent is never taken."""
    out: list[str] = []
    body = re.sub(r"\bM\s+(es|e|me|mes|lle)\b", r"M\1", _clean(body))
    for m in _REPRESENTED.finditer(body):
        plural = False
        for part in re.split(r",\s*|\s+(?:and|et)\s+(?:par\s+)?", m.group("en") or m.group("fr") or ""):
            part = re.sub(r"^(?:and|et)\s+(?:par\s+)?", "", part)
            honorific = re.match(r"(?:Mr|Mrs|Ms|Miss|Mme|Mlle|Mes?|MM|M|Messrs|Sir|Dame)\.?\s+", part)
            plural = plural or bool(honorific and honorific.group(0).rstrip(". ") in ("Mes", "MM", "Messrs"))
            name = _HONORIFIC.sub("", part).strip(" .")
            if not re.fullmatch(r"(?:[A-ZÀ-ÝŁŠŽČ][\w'’\-]*\.?\s?){1,5}", name):
                continue
            if (honorific or plural or re.match(r"[A-Z][a-z]?\.", name)) and name not in out:
                out.append(name)
        if out:
            break
    return out


def _applicants_from_text(body: str) -> list[str]:
    m = re.search(r"by\s+(?P<who>[^(“\"]{3,300}?)\s*\(\s*[“\"«]\s*(?:the\s+)?applicants?", _clean(body))
    return [n.group("n").strip() for n in _NAME.finditer(m.group("who"))] if m else []


# -- parts and paragraphs -----------------------------------------------------------------------

def _sections(text: str, body_start: int) -> tuple[list[Section], tuple[int, int] | None]:
    """Sections from the headings after the composition sentence; the operative part runs from
    "FOR THESE REASONS" to the separate opinions, the appendix or the end of the text."""
    starts: list[tuple[int, str]] = []
    for name, rx in _SECTION_RES:
        m = rx.search(text, body_start)
        if m:
            starts.append((m.start("h"), name))
    law = min([s for s, n in starts if n == "law"], default=body_start)
    operative = find_operative(text, law)
    span: tuple[int, int] | None = None
    annex_start = len(text)
    if operative:
        span = (operative.start, operative.end)
        starts.append((operative.start, "operative"))
        if operative.opinions is not None:
            starts.append((operative.opinions, "opinions"))
        if operative.annex is not None and (operative.opinions is None or operative.annex > operative.opinions):
            annex_start = operative.annex
    # a heading out of order (a "PROCEDURE" sub-heading inside the law) is not a part
    rank = {"procedure": 0, "facts": 1, "law": 2, "operative": 3, "opinions": 4}
    ordered: list[tuple[int, str]] = []
    for pos, name in sorted(starts):
        if not ordered or rank[name] > rank[ordered[-1][1]]:
            ordered.append((pos, name))
    sections: list[Section] = []
    for i, (pos, name) in enumerate(ordered):
        if name == "operative" and span:
            end = span[1]
        elif i + 1 < len(ordered):
            end = ordered[i + 1][0]
        else:
            end = annex_start
        sections.append(Section(name, pos, _rstrip(text, pos, end)))
    return sections, span


def _paragraphs(text: str, body_start: int, sections: list[Section],
                operative: tuple[int, int] | None) -> list[Paragraph]:
    """Numbered paragraphs of the judgment body (before the operative part), with exact offsets.

    Numbers must run on (1, 2, 3 ...), which keeps out quoted lists and sub-headings ("1. Relevant
    provisions"). A forward jump is accepted only at the start of a line, for "(Extracts)" that
    leave paragraphs out. Flattened exports print the number at the end of the previous line
    ("... the following judgment: PROCEDURE 1.\\n\\nThe case originated ..."); the paragraph then
    starts at its number. Such end-of-line numbers are used only when numbers at line starts do
    not carry the numbering, since a sentence may end in "§ 2." too.
    """
    stop = operative[0] if operative else len(text)
    line = [(m.start("n"), int(m.group("n")), "line") for m in _PARA_LINE.finditer(text, body_start, stop)]
    accepted = _run_on(line)
    tail = [(m.start("n"), int(m.group("n")), "tail") for m in _PARA_TAIL.finditer(text, body_start, stop)]
    with_tail = _run_on(sorted(line + tail))
    if len(with_tail) > len(accepted) + 2:
        accepted = with_tail
    boundaries = sorted({s.start for s in sections} | {stop})
    out: list[Paragraph] = []
    for i, (pos, n) in enumerate(accepted):
        nxt = min([b for b in boundaries if b > pos] + [accepted[i + 1][0] if i + 1 < len(accepted) else stop])
        section = next((s.name for s in sections if s.start <= pos < max(s.end, s.start + 1)), None)
        out.append(Paragraph(str(n), pos, _rstrip(text, pos, nxt), section))
    return out


def _run_on(cands: list[tuple[int, int, str]]) -> list[tuple[int, int]]:
    """(offset, number) of the candidates that continue the numbering."""
    accepted: list[tuple[int, int]] = []
    last = 0
    for pos, n, how in cands:
        if accepted and pos <= accepted[-1][0]:
            continue
        if n == last + 1 or (how == "line" and 0 < last < n <= last + 150):
            accepted.append((pos, n))
            last = n
    return accepted


def _citations(text: str, body_start: int) -> list[Citation]:
    """Cases the document cites, after its heading: the title, the registry's summary and the
    "In the case of X v. Y," sentence above the composition are the document itself. A judgment
    citing an earlier judgment in the same case (Chiragov and Others v. Armenia [GC], no. 13216/05,
    § 201 in the just-satisfaction judgment) keeps that citation."""
    return [c for c in find_citations(text) if c.start >= body_start]
