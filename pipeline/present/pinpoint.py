"""Pinpoint citations: the line a lawyer pastes into a brief, built from a precedent record.

ECHR judgments follow the Court's own style (the one in its judgments and in HUDOC):
``Mikheyev v. Russia, no. 77617/01, § 135, 26 January 2006`` in English and
``Mikheïev c. Russie, no 77617/01, § 135, 26 janvier 2006`` in French, with ``[GC]`` after the
name for the Grand Chamber and ``(dec.)`` / ``(déc.)`` for decisions. Russian rulings name the
court, the kind of act, its date and the case number, as Russian courts cite each other:
``Заречный районный суд г. Энска, приговор от 15 сентября 2020 г. по делу № 1-123/2020``;
they rarely number paragraphs, so the part of the ruling (``мотивировочная часть``) stands in.
UK judgments are cited as English courts cite them, by case name and neutral citation with the
paragraph in square brackets and no date (the citation carries the year):
``Dubravin v Government of the Russian Federation [2019] EWHC 9917 (Admin), [12]``.
Anything else is cited by title and date. Engine-neutral: no Whoosh here.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from pipeline.models import CitableRecord, LaidOutRecord
from pipeline.reference.calendar import MONTHS
from pipeline.reference.names import case_name_parts

__all__ = ["citation_for", "case_title", "paragraph_at"]

#: The act named in a Russian citation, by public kind (used when the title does not say).
RU_ACTS = {"ru_sentence": "приговор", "ru_decision": "решение", "ru_ruling": "определение",
           "ru_other": "судебный акт"}
#: Titles that name the act themselves ("Апелляционное определение по делу № ...").
_RU_ACT_TITLE = re.compile(
    r"^((?:апелляционн|кассационн|частн)\w*\s+)?(приговор|решение|определение|постановление)\b",
    re.IGNORECASE)
#: Parts of a Russian ruling, as Russian lawyers name them.
RU_SECTIONS = {"intro": "вводная часть", "reasoning": "мотивировочная часть",
               "operative": "резолютивная часть", "descriptive": "описательная часть"}

# Words kept in lower case inside a case name, as the Court prints them.
_SMALL = {"and", "of", "the", "v.", "c.", "et", "de", "du", "des", "la", "le", "les", "d'", "l'",
          "and others", "von", "van", "der"}


def _date(iso: str | None, language: str) -> str | None:
    """``2006-01-26`` -> ``26 January 2006`` / ``26 janvier 2006`` / ``26 января 2006 г.``"""
    if not iso or not re.match(r"^\d{4}-\d{2}-\d{2}", iso):
        return None
    year, month, day = int(iso[:4]), int(iso[5:7]), int(iso[8:10])
    if not 1 <= month <= 12:
        return None
    names = MONTHS.get(language, MONTHS["en"])
    if language == "fr":
        return f"{'1er' if day == 1 else day} {names[month - 1]} {year}"
    if language == "ru":
        return f"{day} {names[month - 1]} {year} г."
    return f"{day} {names[month - 1]} {year}"


def _lower(text: str) -> str:
    """Lower case, with the Turkish capital İ as a plain i: Python lowers it to i and a
    combining dot ("ŞAHİN" -> "şahi̇n"), which prints as a doubled dot."""
    return text.lower().replace("i\u0307", "i")


def _word_case(word: str, first: bool) -> str:
    """One word of a case name in the Court's case: ``MIKHEYEV`` -> ``Mikheyev``."""
    lower = _lower(word)
    if re.fullmatch(r"(?:[^\W\d_]\.)+,?|\(?[IVXL]+\)?", word) and word == word.upper():
        # initials in any alphabet ("Y.P. v. Russia", "B.Ü. v. the Czech Republic", "Ş.Ç.")
        # and roman numerals ("Georgia v. Russia (I)")
        return word
    if not first and lower in _SMALL:
        return lower
    if lower.startswith(("d'", "l'", "d’", "l’")) and len(word) > 2:
        return lower[:2] + _word_case(word[2:], True)
    return "-".join(p[:1].upper() + _lower(p[1:]) for p in word.split("-"))


def _recase(text: str) -> str:
    """Title case for names printed in capitals; names already in mixed case are kept."""
    words = text.split()
    # "POPESCU and IONESCU": surnames in capitals joined by a lower-case "and" are in capitals too
    joined = all(w == w.upper() or w in ("and", "et", "и") for w in words)
    if not any(c.isupper() for c in text) or (text != text.upper() and not joined):
        return text
    return " ".join(w if w in ("and", "et", "и") else _word_case(w, i == 0) for i, w in enumerate(words))


def case_title(title: str, language: str = "en") -> str:
    """The case name as cited, from the title as printed.

    >>> case_title("CASE OF MIKHEYEV v. RUSSIA")
    'Mikheyev v. Russia'
    >>> case_title("CASE OF SINEGORSKIY AND OTHERS v. RUSSIA")
    'Sinegorskiy and Others v. Russia'
    >>> case_title("AFFAIRE TRAVNIKOVA c. RUSSIE", "fr")
    'Travnikova c. Russie'
    >>> case_title("Ivan Mikhaïlovitch POLYNTSEV c. la Russie", "fr")
    'Polyntsev c. Russie'
    >>> case_title("CASE OF BUZADJI v. THE REPUBLIC OF MOLDOVA")
    'Buzadji v. the Republic of Moldova'
    >>> case_title("CASE OF B.Ü. v. THE CZECH REPUBLIC")
    'B.Ü. v. the Czech Republic'
    >>> case_title("CASE OF ŞAHİN ALPAY v. TURKEY")
    'Şahin Alpay v. Turkey'
    """
    applicant, state = case_name_parts(title)
    if state is None:
        return title.strip()
    name = _recase(applicant)
    if language == "fr":
        name = re.sub(r"\bEt Autres\b|\bet Autres\b", "et autres", name)
        state = re.sub(r"^(?:la|le|les)\s+|^l['’]", "", state.strip(), flags=re.IGNORECASE)
    else:
        name = re.sub(r"\band others\b", "and Others", name, flags=re.IGNORECASE)
    state_text = _recase(state.strip())
    if state_text.split()[0].lower() in ("the",):
        state_text = "the" + state_text[3:]
    versus = "c." if language == "fr" else "v."
    return f"{name} {versus} {state_text}"


#: More applications than this are cited as "nos. 9988/13 and 60 others", as the Court does.
MAX_LISTED_NUMBERS = 3


def _numbers(numbers: list[str], language: str) -> str | None:
    """``no. 1/01`` or ``nos. 1/01 and 2/02`` (``no 1/01``, ``nos 1/01 et 2/02`` in French).

    >>> _numbers([f"{n}/13" for n in range(1, 62)], "en")
    'nos. 1/13 and 60 others'
    """
    if not numbers:
        return None
    if len(numbers) > MAX_LISTED_NUMBERS:
        others = len(numbers) - 1
        return (f"nos {numbers[0]} et {others} autres" if language == "fr"
                else f"nos. {numbers[0]} and {others} others")
    joined = numbers[0] if len(numbers) == 1 else (
        ", ".join(numbers[:-1]) + (" et " if language == "fr" else " and ") + numbers[-1])
    if language == "fr":
        return ("no " if len(numbers) == 1 else "nos ") + joined
    return ("no. " if len(numbers) == 1 else "nos. ") + joined


#: How a translation of a Strasbourg document into Russian or Ukrainian cites it: its own
#: words for "v.", "no." / "nos." and "and", and its paragraph mark.
_TRANSLATED = {"ru": (" против ", "жалоба №", "жалобы №", " и ", "§"),
               "uk": (" проти ", "заява №", "заяви №", " та ", "§")}
_TRANSLATED_PARTIES = re.compile(r"^\s*(?P<a>.+?)\s+(?:против|проти)\s+(?P<s>.+?)\s*$", re.S)


def _translated(record: CitableRecord, paragraph: str | None, language: str) -> str | None:
    """``Ткачевы против Российской Федерации, жалоба № 35430/05, § 12, 14 февраля 2012 г.``:
    the Court's form, in the words of the translation a lawyer quotes from."""
    versus, one, many, conj, mark = _TRANSLATED[language]
    found = _TRANSLATED_PARTIES.match(" ".join((record.get("title") or "").split()))
    if not found:
        return None
    numbers = _lead_first(record)
    listed = None
    if numbers:
        listed = (f"{one} {numbers[0]}" if len(numbers) == 1 else
                  f"{many} " + ", ".join(numbers[:-1]) + conj + numbers[-1])
    parts = [found.group("a") + versus + found.group("s"), listed,
             f"{mark} {paragraph}" if paragraph else None]
    date = _date(record.get("date"), language)
    if date and language == "uk":
        date = date + " р."
    parts.append(date)
    return ", ".join(p for p in parts if p)


def _echr(record: CitableRecord, paragraph: str | None, language: str) -> str:
    if language in _TRANSLATED and (translated := _translated(record, paragraph, language)):
        return translated
    language = "fr" if language == "fr" else "en"
    name = case_title(record.get("title") or "", language)
    if (record.get("formation") or "").lower() in ("grand chamber", "grande chambre"):
        name += " [GC]"
    if record.get("kind") == "echr_decision":
        name += " (déc.)" if language == "fr" else " (dec.)"
    parts = [name, _numbers(_lead_first(record), language)]
    if paragraph:
        parts.append(f"§ {paragraph}")
    parts.append(_date(record.get("date"), language))
    return ", ".join(p for p in parts if p)


def _lead_first(record: CitableRecord) -> list[str]:
    """Application numbers in the order the heading prints them (the lead application first),
    when the record carries its text; in the record's order otherwise."""
    numbers = list(record.get("case_numbers") or [])
    head = (record.get("text") or "")[:5000]
    if head and len(numbers) > 1:
        numbers.sort(key=lambda n: (head.find(n) if n in head else len(head)))
    return numbers


def _russian(record: CitableRecord, paragraph: str | None, section: str | None) -> str:
    title = record.get("title") or ""
    found = _RU_ACT_TITLE.match(title.strip())
    act = found.group(0).lower() if found else RU_ACTS.get(record.get("kind") or "", "судебный акт")
    date = _date(record.get("date"), "ru")
    act += f" от {date}" if date else ""
    numbers = record.get("case_numbers") or []
    if numbers:
        act += f" по делу № {numbers[0]}"
    parts = [record.get("court"), act]
    if paragraph:
        parts.append(f"п. {paragraph}")
    elif section:
        parts.append(RU_SECTIONS.get(section, section))
    text = ", ".join(p for p in parts if p)
    # Without the court the citation opens with the act ("постановление от ..."): a sentence.
    return text[:1].upper() + text[1:]


def citation_for(record: CitableRecord, paragraph: str | None = None,
                 section: str | None = None) -> str | None:
    """A citation of the document, pinpointed to ``paragraph`` (or, in Russian rulings without
    numbered paragraphs, to ``section``). ``record`` is the precedent record (``show --json``).

    >>> citation_for({"kind": "echr_judgment", "title": "CASE OF MIKHEYEV v. RUSSIA",
    ...     "language": "en", "case_numbers": ["77617/01"], "date": "2006-01-26"}, "135")
    'Mikheyev v. Russia, no. 77617/01, § 135, 26 January 2006'
    >>> citation_for({"kind": "echr_judgment", "title": "Ткачевы против Российской Федерации",
    ...     "language": "ru", "case_numbers": ["35430/05"], "date": "2012-02-14"}, "40")
    'Ткачевы против Российской Федерации, жалоба № 35430/05, § 40, 14 февраля 2012 г.'
    >>> citation_for({"kind": "ru_sentence", "title": "Приговор", "language": "ru",
    ...     "court": "Ленинский районный суд г. Зареченска", "date": "2020-03-12",
    ...     "case_numbers": ["1-123/2020"]})
    'Ленинский районный суд г. Зареченска, приговор от 12 марта 2020 г. по делу № 1-123/2020'
    >>> citation_for({"kind": "uk_judgment", "date": "2019-12-12",
    ...     "title": "Dubravin v Government of the Russian Federation [2019] EWHC 9917 (Admin)"}, "12")
    'Dubravin v Government of the Russian Federation [2019] EWHC 9917 (Admin), [12]'
    """
    if not record:
        return None
    kind = record.get("kind") or "other"
    language = record.get("language") or "en"
    if kind.startswith("echr") and record.get("title"):
        return _echr(record, paragraph, language)
    if kind.startswith("ru_"):
        return _russian(record, paragraph, section)
    if kind == "uk_judgment" and (printed := record.get("title")):
        # The title is already "<case name> <neutral citation>" (pipeline.structure.common_law).
        title = " ".join(printed.split())
        return f"{title}, [{paragraph}]" if paragraph else title
    title = (record.get("title") or "").strip()
    parts = [title or None, _date(record.get("date"), language if language in MONTHS else "en")]
    if paragraph:
        parts.append(f"§ {paragraph}" if language != "ru" else f"п. {paragraph}")
    text = ", ".join(p for p in parts if p)
    return text or None


def paragraph_at(record: LaidOutRecord, offset: int) -> tuple[str | None, str | None]:
    """(paragraph number, section name) of the record holding character ``offset``.

    >>> paragraph_at({"paragraphs": [{"number": "1", "start": 0, "end": 10, "section": "facts"}],
    ...               "sections": [{"name": "facts", "start": 0, "end": 50}]}, 20)
    (None, 'facts')
    """
    number = section = None
    for para in record.get("paragraphs") or []:
        if para["start"] <= offset < para["end"]:
            number, section = para.get("number"), para.get("section")
            break
    if section is None:
        for sec in record.get("sections") or []:
            if sec["start"] <= offset < sec["end"]:
                section = sec.get("name")
                break
    return (str(number) if number is not None else None), section
