"""Read title, date, court and kind from the head of a ruling, or from its source metadata.

Metadata that came with the document (a HUDOC record's ``title`` and ``date``) wins over what the
text suggests; the text is read only in its first few thousand characters, where every court
puts its heading.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from pipeline.reference.calendar import DateReader
from pipeline.structure.common_law import read_uk_head
from pipeline.structure.echr_translation import is_translation, read_translation

HEAD_CHARS = 4000

#: The date in a document's head, read as the Court and Russian courts print it: day first, numeric
#: dates with dots (the Russian convention; a slash date's order is not known), and no year
#: before the Convention's (1950), so an old statute cited in the head is not the ruling's date.
#: A numeric date glued to "г." is passed over: in heads it is mostly a birth date or a statute's
#: ("25.08.1964г.р.", "от 08.01.1998года"). Ukrainian month names are not read here: a Ukrainian text
#: that is not the Court's is mostly a translated foreign ruling, whose first date is another court's.
_HEAD_DATES = DateReader(languages=("en", "fr", "ru"), separators=".", month_first=False, years=(1950, 2099),
                         glued_year_word=False)

# Headings of Russian court acts, also when typeset with spaced letters ("П Р И Г О В О Р").
_RU_KINDS = (
    ("ru_sentence", "ПРИГОВОР"),
    ("ru_appeal_ruling", "АПЕЛЛЯЦИОННОЕ ОПРЕДЕЛЕНИЕ"),
    ("ru_cassation_ruling", "КАССАЦИОННОЕ ОПРЕДЕЛЕНИЕ"),
    ("ru_appeal_ruling", "АПЕЛЛЯЦИОННОЕ ПОСТАНОВЛЕНИЕ"),
    ("ru_decision", "РЕШЕНИЕ"),
    ("ru_resolution", "ПОСТАНОВЛЕНИЕ"),
    ("ru_ruling", "ОПРЕДЕЛЕНИЕ"),
)

_ECHR_TITLE = re.compile(
    r"^\s*((?:CASE OF|AFFAIRE|СПРАВА|ДЕЛО|CAUSA)\s.{1,200}?\s(?:v\.|c\.|против|проти)\s.{2,120}?)\s*$",
    re.M | re.I,
)
_ECHR_COURT = re.compile(
    r"European Court of Human Rights|Cour européenne des droits de l.homme|"
    r"Европейский [Сс]уд по правам человека|Європейськ\w+ суд\w* з прав людини|"
    r"European Commission of Human Rights|Commission européenne des droits de l.homme", re.I,
)
# Layouts only the Court and the Commission print, even where their name is not in the head: the
# 1990s texts that open with the composition sentence, Commission decisions, communicated cases,
# information notes, press releases, advisory opinions.
_ECHR_LAYOUT = re.compile(
    r"^\W*(?:In\s+the\s+case\s+of|En\s+l['’]\s*affaire)\s[^\n]{2,200}?\s(?:v\.|c\.)\s[^\n]{2,120}?,\s*"
    r"(?:The\s+European\s+Court|La\s+Cour\s+européenne)|"
    r"AS\s+TO\s+THE\s+ADMISSIBILITY\s+OF|SUR\s+LA\s+RECEVABILIT[EÉ]\s+de\s+la\s+requête|"
    r"(?:Application|Requête)s?\s+n\s?[oO°º]s?\.?\s*\d{1,6}/\d{2}[\s\S]{2,400}?\b(?:against|contre)\s[\s\S]{2,300}?"
    r"(?:STATEMENT\s+OF\s+FACTS|EXPOSÉ\s+DES\s+FAITS|QUESTIONS?\s+(?:TO\s+THE|AUX)\s+PARTIES|"
    r"SUBJECT\s+MATTER\s+OF\s+THE\s+CASE|OBJET\s+DE\s+L.AFFAIRE)|^\W*(?:Communicated\s+on|Communiquée\s+le)\s+\d|"
    r"^\W*(?:Information\s+Note\s+on\s+the\s+Court|Note\s+d.information\s+sur\s+la\s+jurisprudence\s+de\s+la\s+Cour)|"
    r"Press\s+release\s+issued\s+by\s+the\s+Registrar|Communiqué\s+(?:de\s+presse\s+)?du\s+Greffier|"
    r"^\s*ECHR\s+\d{1,4}\s+\(\d{4}\)\s*$|^\s*CEDH\s+\d{1,4}\s+\(\d{4}\)\s*$|"
    r"^[ \t]*(?:REPORT\s+OF\s+THE\s+(?:EUROPEAN\s+)?COMMISSION|RAPPORT\s+DE\s+LA\s+COMMISSION)[ \t]*$|"
    # "Report of the Commission (Adopted on 8 May 1984)", also as OCR splits it ("Commissio n")
    r"(?i:Report\s+of\s+the\s+(?:European\s+)?Commissio\s?n|Rapport\s+de\s+la\s+Commissio\s?n)\s*"
    r"\(\s*(?i:adopted|adopté)|"
    # a summary's case line: "Jankovskis v. Lithuania - 21575/08" over "Judgment 17.1.2017 [Section IV]"
    r"\s(?:v\.|c\.)\s[^\n]{2,150}?\s[-–]\s\d{1,6}/\d{2}[^\n]*\n\s*(?:Judgment|Decision|Arrêt|Décision|"
    r"Advisory\s+opinion|Avis\s+consultatif)\s[^\n]{0,30}?\d{1,2}\.\d{1,2}\.\d{4}\s*\[|"
    r"ADVISORY\s+OPINION\s+(?:on|concerning|requested)|AVIS\s+CONSULTATIF\s+(?:sur|relatif|concernant|demandé)",
    re.M)
_RU_COURT_WORDS = (r"(?:районн|городск|областн|краев|окружн|республиканск|Верховн|[Аа]рбитражн|"
                   r"гарнизонн|кассационн|апелляционн|межрайонн)[а-яё]*")
# "Советский районный суд г. Казани", "Десятого кассационного суда общей юрисдикции".
_RU_COURT = re.compile(
    r"((?:[А-ЯЁ][а-яё\-]+(?:ий|ый|ой|ого|его|ая)\s+){0,2}" + _RU_COURT_WORDS
    + r"\s+(?:[а-яё\-]+\s+){0,3}суд[а-яё]*"
    # the seat and region only: a capitalised word after them is usually the judge's name
    r"(?:[ \t]+(?:г\.\s?[А-ЯЁ][а-яё\-]+|[А-ЯЁ][а-яё\-]+(?:ой|ого|ей|ского|ский)\s+"
    r"(?:области|края|округа|района|республики)|общей юрисдикции|Республики\s+[А-ЯЁ][а-яё]+)){0,3})"
)
# ECHR decisions are headed "Application no. 33120/17 / Denis LUGOVSKIKH against Russia".
_ECHR_DECISION_TITLE = re.compile(
    r"^\s*(.{2,150}?)\s+(?:against|contre|против|проти)\s+(.{2,80}?)\s*$", re.M)
# What marks a text as the Court's own: its seat or its formation, not a mere mention of it.
_ECHR_OWN = re.compile(r"\bSTRASBOURG\b|sitting (?:on .{5,40} )?as a|siégeant (?:le .{5,40} )?en|"
                       r"засіданні|заседании палаты", re.I)
_CASE_NO = re.compile(r"(?:[Дд]ело|[Дд]елу)\s*№\s*([\wА-Яа-яёЁ\-/]+)")


@dataclass
class Header:
    """What a document's head and metadata say, before its structure is parsed."""

    title: str | None = None
    date: str | None = None     # ISO yyyy-mm-dd
    court: str | None = None
    kind: str = "document"
    #: The document's own identifiers when its head prints them (a UK neutral citation, case no.)
    case_numbers: list[str] = field(default_factory=list)


def _spaced(word: str) -> re.Pattern[str]:
    return re.compile(r"(?<![А-ЯЁа-яё])" + r"\s?".join(word.replace(" ", "")) + r"(?![а-яё])")


_RU_KIND_PATTERNS = tuple((kind, _spaced(word)) for kind, word in _RU_KINDS)


def _meta_date(meta: dict[str, Any]) -> str | None:
    for key in ("date", "judgementdate", "judgment_date", "decision_date", "kpdate"):
        value = meta.get(key)
        if isinstance(value, str):
            m = re.match(r"(\d{4})-(\d{2})-(\d{2})", value) or re.match(r"(\d{2})[./](\d{2})[./](\d{4})", value)
            if m:
                parts = m.groups()
                y, mo, d = (parts if len(parts[0]) == 4 else (parts[2], parts[1], parts[0]))
                try:
                    return date(int(y), int(mo), int(d)).isoformat()
                except ValueError:
                    continue
    return None


def _one_line(value: str, limit: int = 200) -> str:
    value = " ".join(value.split())
    return value if len(value) <= limit else value[: limit - 1] + "…"


def describe(text: str, meta: dict[str, Any] | None = None) -> Header:
    """Title, date, court and kind of a document from its metadata and the head of its text.

    >>> h = describe("Дело № 1-123/2020\\nП Р И Г О В О Р\\nИМЕНЕМ РОССИЙСКОЙ ФЕДЕРАЦИИ\\n"
    ...              "12 марта 2020 года Советский районный суд г. Казани в составе")
    >>> (h.kind, h.date, h.court)
    ('ru_sentence', '2020-03-12', 'Советский районный суд г. Казани')
    >>> h = describe("Case No: C3/2002/1463\\nNeutral Citation No: [2003] EWCA Civ 547\\n"
    ...              "COURT OF APPEAL (CIVIL DIVISION)\\nDate: 15TH April 2003\\nHearing dates: 31st March 2003")
    >>> (h.kind, h.title, h.date, h.court, h.case_numbers)
    ('uk_judgment', '[2003] EWCA Civ 547', '2003-04-15', 'Court of Appeal (Civil Division)', ['[2003] EWCA Civ 547', 'C3/2002/1463'])
    """
    meta = meta or {}
    head = text[:HEAD_CHARS]
    header = Header()

    title_match = _ECHR_TITLE.search(head)
    echr = (bool(_ECHR_COURT.search(head)) and bool(_ECHR_OWN.search(head))) \
        or bool(_ECHR_LAYOUT.search(head[:2500])) or str(meta.get("collection", "")).startswith("CASELAW")
    if is_translation(text):
        # a translation of the Court's document, whatever court its translator's note names
        translated = read_translation(text)
        header.court, header.kind, header.title, header.date = \
            "European Court of Human Rights", translated.kind, translated.title, translated.date
    elif echr or title_match:
        header.court = "European Court of Human Rights"
        upper = head.upper()
        if re.search(r"\bDECISION\b|\bDÉCISION\b|РІШЕННЯ ЩОДО ПРИЙНЯТНОСТІ|РЕШЕНИЕ О ПРИЕМЛЕМОСТИ", upper[:1500]) \
                and not re.search(r"\bJUDGMENT\b|\bARRÊT\b", upper[:1500]):
            header.kind = "echr_decision"
        elif "REPORT OF THE COMMISSION" in upper or "RAPPORT DE LA COMMISSION" in upper:
            header.kind = "echr_report"
        else:
            header.kind = "echr_judgment"
        if title_match:
            header.title = _one_line(title_match.group(1))
        elif decision := _ECHR_DECISION_TITLE.search(head[:2500]):
            header.title = _one_line(f"{decision.group(1)} v. {decision.group(2)}")
    else:
        for kind, pattern in _RU_KIND_PATTERNS:
            if pattern.search(head[:1500]):
                header.kind = kind
                break
        court = _RU_COURT.search(head)
        if court:
            header.court = _one_line(court.group(1), 120)
        if header.kind.startswith("ru_"):
            heading = dict(_RU_KINDS)[header.kind].capitalize()
            number = _CASE_NO.search(head)
            header.title = f"{heading} по делу № {number.group(1)}" if number else heading
        elif uk := read_uk_head(text):
            # UK heads open with "Neutral Citation Number: ..." or "Michaelmas Term", never a
            # title, and print hearing dates before the judgment's: the UK reader knows which is which.
            header.kind, header.title, header.court = "uk_judgment", uk.title, uk.court
            header.case_numbers = [n for n in (uk.neutral_citation, uk.case_number) if n]
            header.date = _meta_date(meta) or uk.date

    if isinstance(meta.get("title"), str) and meta["title"].strip() and (header.title is None or "itemid" in meta):
        header.title = _one_line(meta["title"])
    if header.title is None:
        first = next((ln for ln in head.splitlines() if len(ln.strip()) > 3), "")
        header.title = _one_line(first, 150) if first else None
    if header.kind.startswith("echr"):
        # the first date of an ECHR head is as often a deliberation or lodging date as its own
        header.date = _meta_date(meta) or header.date
    elif header.kind != "uk_judgment":
        header.date = _meta_date(meta) or _HEAD_DATES.first(head)
    return header
