"""Citations of Strasbourg case-law: ``Mikheyev v. Russia, no. 77617/01, § 135, 26 January 2006``.

Two shapes are found:

* full: a case name ending in "v. <State>" / "c. <État>" / "против <государства>", then optional
  marks ([GC], (dec.), (no. 2)) and a comma-separated tail of application numbers, pinpoints,
  dates and reporters (ECHR 1999-V, Series A no. 25, Reports 1998-VIII, CEDH 2015);
* short: "Mikheyev, cited above, § 102" / "Bouyid, précité, § 81".

The respondent must be a State from a closed list: that is what keeps narrative such as
"the applicant v. the police" out. The name is read backwards from "v." over capitalised words
and name particles (da, van, and Others), then sentence openers ("In", "See") are dropped.
The document's own title ("CASE OF X v. Y", "In the case of X v. Y," opening the judgment) is not
a citation.

>>> [(c.case_name, c.case_numbers) for c in find_citations(
...     "(see Selmouni v. France [GC], no. 25803/94, § 95, ECHR 1999-V; Mikheyev, cited above, § 102)")]
[('Selmouni v. France', ['25803/94']), ('Mikheyev', [])]
"""

from __future__ import annotations

import re

from pipeline.entities.identifiers import normalise_identifier
from pipeline.models import Citation
from pipeline.reference.calendar import month_alternation
from pipeline.reference.states import CITED_FORMS

__all__ = ["find_citations"]


def _states() -> str:
    """Any State, or several joined by "and"/"et"/"и" (Cyprus and Turkey), as a whole word."""
    one = "|".join(re.escape(s) for s in sorted(set(CITED_FORMS), key=len, reverse=True))
    return rf"(?:{one})(?:\s+(?:and|et|и)\s+(?:{one}))*(?![\w-])"


def _marks() -> str:
    """Bracketed marks after the name: [GC], (dec.), (no. 2), (II), (just satisfaction)..."""
    words = (r"dec\.|déc\.|GC|just satisfaction|satisfaction équitable|merits|fond|revision|"
             r"révision|interpretation|interprétation|preliminary objections|"
             r"exceptions préliminaires|friendly settlement|règlement amiable|striking out|"
             r"radiation|Article 50|article 50|Article 41|article 41|extracts|extraits|"
             r"(?:no\.?|n\s?[o°])\s*\d{1,2}|[IVX]{1,4}")
    return rf"(?:\s*(?:\[(?:GC|Plenary|plénière)\]|\(\[?(?i:{words})\]?(?:\s*\[GC\])?\)))*"


def _tail_element() -> str:
    """One comma-separated element after the name; numbers and dates are validated loosely
    because the whole tail only ever follows a recognised case name. Texts scraped from HUDOC's
    pages print "n o" for "no", non-breaking hyphens in ranges, and "[GC]" inside the bracket
    that holds the rest ("Murray v. the Netherlands ([GC], no. 10511/10, ...)")."""
    app = r"\d{1,6}/\d{2}"
    month = month_alternation("en", "fr")
    dash = "[-–‑‐]"
    return "|".join((
        # Russian and Ukrainian translations: "жалоба № 1/01", "заява № 1/01", "N 1/01 и N 2/02"
        rf"(?:nos?\.?|n\s?[o°]s?\.?|req\.\s*no\.?|requêtes?\s+n[o°]s?|"
        rf"(?:(?:жалоб[аы]|заяв[аи])\s+)?[N№])\s*{app}"
        rf"(?:\s*(?:,|and|et|to|à|и|та|і|{dash})\s*(?:nos?\.?\s*|[N№]\s*)?{app})*",
        # "§§ 81-90, 95": a later number must not be the day of the date that follows.
        rf"(?:§§?|пункт[иы]?)\s*\d{{1,4}}(?:\s*{dash}\s*\d{{1,4}})?(?:\s*(?:,|and|et)\s*(?:§\s*)?\d{{1,4}}"
        rf"(?!\d|(?:er)?\s+{month})(?:\s*{dash}\s*\d{{1,4}})?)*",
        r"\[(?:GC|Plenary|plénière|БП|ВП)\]",
        # "Tusa v. Italy judgment of 27 February 1992", "Kokkinakis c. Grèce du 25 mai 1993"
        rf"(?:judgment\s+of\s+|arrêt\s+du\s+|du\s+)?\d{{1,2}}(?:er)?\s+{month}\s+\d{{4}}",
        # Russian and Ukrainian drafts: "от 14 марта 2019 г.", "від 14 березня 2019 року"
        rf"(?:от\s+|від\s+)?\d{{1,2}}\s+{month_alternation('ru', 'uk')}\s+\d{{4}}"
        r"(?:\s*(?:г\.|года|року|р\.))?",
        # "п. 19", "пп. 19-21", "п. 135 постановления"
        rf"пп?\.\s*\d{{1,4}}(?:\s*{dash}\s*\d{{1,4}})?(?:\s*,\s*\d{{1,4}}(?!\d|\s+{month_alternation('ru', 'uk')}))*",
        r"(?:ECHR|CEDH)\s+\d{4}(?:-[IVXL]+)?(?:\s*\((?:extracts|extraits)\))?",
        # "série A n o 260-A": HUDOC's older French texts print the "o" of "no" apart
        r"(?:Series|série)\s+A\s+n\s?[o°]\.?\s*\d{1,3}(?:-[A-C])?",
        r"(?:Reports|Recueil)(?:\s+of\s+Judgments\s+and\s+Decisions|\s+des\s+arrêts\s+et\s+"
        r"décisions)?\s+\d{4}-[IVXL]+",
        r"(?:DR|Decisions\s+and\s+Reports)\s+\d{1,3}",
        r"pp?\.\s*\d{1,4}(?:\s*[-–]\s*\d{1,4})?",
        r"cited\s+above|précitée?s?|cité(?:e)?\s+ci-dessus|указанное\s+выше",
    ))


# Elements are separated by a comma, or open with a bracket ("Orhan v. Turkey (no. 25656/94,
# § 326, 18 June 2002)"); a space may stand before the comma ("Estamirov v. Russia , no. 6").
# Translations print the English name in brackets, the rest after them: "«Бурдов проти Росії»
# (Burdov v. Russia), заява № 59498/00, пункт 40, ECHR 2002-III".
_TAIL = rf"(?:(?:\s*\)?\s*[,(]|\s*\))?\s*(?:{_tail_element()}))*"
#: "X v. State [GC], no. ..., § ..., date/reporter": the anchor and what follows the name.
FULL = re.compile(rf"\s(?P<versus>v\.|c\.|против)\s+(?P<state>{_states()})[»“”\"]?(?P<marks>{_marks()})"
                  rf"(?P<tail>{_TAIL})")
#: "Mikheyev, cited above" / "Benzer and Others (cited above" / "Bouyid, précité".
SHORT = re.compile(r"(?P<sep>,\s*|\s+\()(?P<cited>cited\s+above|précitée?s?|cité(?:e)?\s+ci-dessus)"
                   rf"(?P<tail>{_TAIL})")
_APPLICATION = re.compile(r"(?<![\w/\-.])\d{1,6}/\d{2}(?![\w/]|-\d)")

# Name particles that may sit inside a name but never start one.
_PARTICLES = {"de", "da", "do", "dos", "das", "du", "des", "di", "del", "della", "van", "von", "der",
              "den", "ter", "le", "la", "y", "e", "and", "et", "и", "d'", "d’", "al", "bin", "ben", "&"}
# Capitalised words that open sentences or phrases before a name; dropped from its start.
_OPENERS = {"in", "see", "also", "cf.", "compare", "the", "as", "thus", "similarly", "likewise",
            "unlike", "contrast", "accordingly", "however", "moreover", "furthermore", "and", "but",
            "since", "following", "after", "under", "voir", "dans", "affaire", "arrêt", "case",
            "judgment", "decision", "while", "whereas", "although", "by", "with", "on", "for",
            "mutatis", "mutandis", "inter", "alia", "e.g.", "i.e.", "see,", "notably", "namely",
            "по", "делу", "см.", "постановление", "решение", "in re", "per", "from", "to", "is",
            "of", "que", "en", "au", "sur"}
# Capitalised words of legal prose that never belong to a case name: reading backwards stops at
# them, so "the Grand Chamber, Vallianatos and Others v. Greece" gives "Vallianatos and Others".
_BARRIERS = {"Convention", "Court", "Chamber", "Grand", "Commission", "Government", "Governments",
             "Article", "Articles", "Protocol", "European", "Rule", "Rules", "Section", "Judge",
             "Judges", "President", "Committee", "Cour", "Gouvernement", "Конвенции", "Суд", "ЕСПЧ",
             "Суда", "Court’s", "Court's", "Commission’s", "Government’s", "Applicant", "Applicants"}
_MAX_NAME_WORDS = 10


def _is_name_word(word: str) -> bool:
    """A capitalised word, initials ("A.N."), "Others"/"autres" or a particle."""
    bare = word.strip("“”\"'’‘()[]«»,")
    if not bare or bare in _BARRIERS:
        return False
    if bare.lower() in _PARTICLES or bare in ("Others", "autres", "Autres", "другие"):
        return True
    return bare[0].isupper() and not bare[0].isdigit()


def _name_before(text: str, end: int) -> tuple[int, str] | None:
    """The case name ending at ``end``: capitalised words read backwards, openers stripped.

    Stops at an opening bracket, semicolon or sentence end, so "(see Aksu" gives "Aksu" and
    "...above. Mikheyev" gives "Mikheyev". A comma may sit inside a name only before an "and"
    ("Abdulaziz, Cabales and Balkandali").
    """
    words: list[tuple[int, str]] = []
    # A name never spans lines: a heading above a paragraph is not part of it.
    window = max(0, end - 200, text.rfind("\n", 0, end) + 1)
    for m in reversed(list(re.finditer(r"\S+", text[window: end]))):
        word, start = m.group(0), m.start() + window
        if word.endswith((";", ":")) or (word.endswith(".") and not re.fullmatch(r"(?:\w\.)+", word)
                                         and word.lower() not in _OPENERS):
            break
        if word.endswith(",") and not any(w in ("and", "et") for _, w in words):
            break
        opened = word[0] in "([“\"«" and len(word) > 1
        if not _is_name_word(word.rstrip(",")) or len(words) >= _MAX_NAME_WORDS:
            break
        words.insert(0, (start, word))
        if opened:
            break
    # "Van de Hurk" keeps its capitalised "Van"; a lower-case "van" or "and" cannot open a name.
    while words and (words[0][1].strip("([“\"«").lower() in _OPENERS
                     or words[0][1].strip("([“\"«") in _PARTICLES):
        words.pop(0)
    if not words:
        return None
    start = words[0][0] + len(words[0][1]) - len(words[0][1].lstrip("([“\"«"))
    return start, text[start:end].strip()


def _is_own_title(text: str, start: int, end: int) -> bool:
    """"CASE OF X v. Y" / "AFFAIRE X c. Y" headings and the judgment's opening
    "In the case of X v. Y," line name the document itself."""
    before = text[max(0, start - 40): start]
    if re.search(r"(?:CASE\s+OF|AFFAIRE|ДЕЛО)\s*$", before):
        return True
    return bool(re.search(r"(?:^|\n)\s*(?:In the case of|En l['’]affaire)\s*$", before)
                and re.match(r"\s*,?\s*(?:\n|$)", text[end: end + 3]))


def _numbers(tail: str) -> list[str]:
    return [normalise_identifier(m.group(0)) for m in _APPLICATION.finditer(tail)]


def _clean_end(text: str, end: int, start: int = 0) -> int:
    """Trailing commas and spaces are not part of a citation; the bracket its tail opened is
    ("Zarechnev c. Russie (no 41234/15, 14 mars 2019)", never "... 2019" left open)."""
    while end > 0 and text[end - 1] in " ,\u00a0":
        end -= 1
    span = text[start:end]
    if span.count("(") > span.count(")") and text[end:end + 1] == ")":
        end += 1
    return end


def _own_titles(text: str) -> set[str]:
    """The document's own case names, from its "CASE OF X v. Y" / "AFFAIRE X c. Y" headings."""
    return {re.sub(r"\s+", " ", m.group(1)).upper()
            for m in re.finditer(r"(?m)^\s*(?:CASE OF|AFFAIRE)\s+(.+?)\s*$", text[:20000])}


def _full(text: str) -> list[Citation]:
    """Full citations; a bare mention of the document's own name ("the Garib v. the Netherlands
    case" inside Garib) is not one, while its own earlier judgment cited with a number is."""
    out: list[Citation] = []
    own = _own_titles(text)
    for m in FULL.finditer(text):
        named = _name_before(text, m.start())
        if not named:
            continue
        start, name = named
        end = _clean_end(text, m.end(), start)
        if _is_own_title(text, start, end):
            continue
        case_name = f"{name} {m.group('versus')} {m.group('state')}"
        if case_name.upper() in own and not m.group("tail").strip(" ,"):
            continue
        out.append(Citation(text[start:end], case_name, _numbers(m.group("tail")), start, end))
    return out


def _short_is_credible(text: str, start: int, tail: str) -> bool:
    """A short form is a case when it carries a pinpoint ("§ 102") or follows "see"/"in"/"(".

    That keeps out books and authors cited in opinions ("Professor Tyler (cited above, at p. 31)",
    "its Digest, cited above"); a name right after "v." is the end of a full citation to a State
    outside the list (IACtHR "... v. Ecuador, cited above") and is not taken either.
    """
    before = text[max(0, start - 12): start]
    if re.search(r"(?:\bv\.|\bc\.)\s*$", before):
        return False
    return "§" in tail or bool(re.search(r"(?:\b(?:see|See|in|In|cf\.|voir|Voir|also|and|et)|[(;])\s*$",
                                          before))


def _short(text: str, full: list[Citation]) -> list[Citation]:
    """Short forms; one right after a full citation ("Cyprus v. Turkey (cited above, § 98)")
    extends that citation instead of starting a new one."""
    out: list[Citation] = []
    ends = {c.end: c for c in full}
    for m in SHORT.finditer(text):
        if any(c.start <= m.start() < c.end for c in full):
            continue
        end = _clean_end(text, m.end(), m.start())
        previous = ends.get(m.start())
        if previous is not None:
            previous.end = end
            previous.text = text[previous.start:end]
            previous.case_numbers += _numbers(m.group("tail"))
            continue
        named = _name_before(text, m.start())
        if not named or named[1].endswith(")") \
                or not _short_is_credible(text, named[0], m.group("tail")):
            continue
        start, name = named
        out.append(Citation(text[start:end], name.strip("“”\"»"), _numbers(m.group("tail")),
                            start, end))
    return out


def find_citations(text: str) -> list[Citation]:
    """Every case the text cites, left to right.

    >>> [c.case_name for c in find_citations("Ireland v. the United Kingdom, 18 January 1978, § 162, Series A no. 25")]
    ['Ireland v. the United Kingdom']
    >>> find_citations("CASE OF MIKHEYEV v. RUSSIA; the applicant v. the police; Дело № 1-123/2020")
    []
    """
    full = _full(text)
    found = full + _short(text, full)
    found.sort(key=lambda c: c.start)
    return found
