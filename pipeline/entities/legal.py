"""All rule-based legal entities of one text, without overlaps and without redaction markers.

``find_legal_entities`` runs one finder per label (the ``FINDERS`` table below) and merges their
results:

* **Redactions are never entities.** Russian courts publish rulings with "<данные изъяты>",
  "<адрес>", "{Дата изъята}", "ФИО1", "[ФИО]", "Х.Х.Х." and "***" in place of what they hide. A
  candidate that ends or starts with a marker is trimmed to the text beside it; one with a marker
  inside is dropped, since its key would describe text that is not there.
* **Overlaps: the longer span wins.** Candidates are taken longest first; on equal length the
  earlier finder in ``FINDERS`` wins, then the earlier start. A candidate overlapping one already
  taken is dropped — except one with the same span and label, which is another provision of the
  same mention ("ст. 151, 1069 ГК РФ" gives ГК:151 and ГК:1069 on one span). So a citation
  swallows the application numbers and dates printed inside it: those belong to the cited case,
  not to the document.

Patterns are data: each regex is built by a named helper whose docstring says which false
positive it avoids.

>>> [(e.label, e.key) for e in find_legal_entities("Дело № 1-123/2020. Судья Иванов И.И. "
...     "осудил ФИО1 по ч. 1 ст. 286 УК РФ к штрафу 300 000 руб.")]
[('CASE_NO', '1-123/2020'), ('JUDGE', 'Иванов И.И.'), ('CODE_ARTICLE', 'УК:286:1'), ('MONEY', 'RUB 300000')]
"""

from __future__ import annotations

import re
from collections.abc import Callable

from pipeline.entities.articles import find_articles
from pipeline.entities.citations import find_citations
from pipeline.entities.codes import find_code_provisions
from pipeline.entities.identifiers import find_identifiers, normalise_identifier
from pipeline.entities.money import find_money
from pipeline.models import Entity
from pipeline.reference.calendar import DATES

__all__ = ["FINDERS", "expand_application_range", "find_applications", "find_courts",
           "find_date_entities", "find_judges", "find_legal_entities", "redaction_spans",
           "resolve_overlaps"]


# -- redactions ---------------------------------------------------------------------------------

def _redaction_pattern() -> re.Pattern[str]:
    """Markers Russian courts print in place of personal data, in every shape seen on sudrf.ru.

    "ФИО1" needs the digits or brackets to be a marker, so the word "ФИО" in prose ("ФИО
    потерпевшего") is left alone; "Х.Х.Х." accepts Cyrillic and Latin X.
    """
    return re.compile(
        r"<[^<>\n]{1,40}>"                                   # <данные изъяты>, <адрес>, <ФИО>
        r"|\{[^{}\n]{1,40}\}"                                # {Дата изъята}, { ... }
        r"|[\[(]\s*(?:ФИО\d*|данные\s+изъяты|изъято|обезличено)\s*[\])]"  # [ФИО], (ФИО)
        r"|(?<![А-ЯЁа-яё])ФИО\d+"                            # ФИО1, ФИО12
        r"|(?<![\w.])(?:[ХX]\.\s?){2,3}(?![\w])"             # Х.Х.Х., X.X.
        r"|\*{3,}"                                           # ***
        r"|данные\s+изъяты|(?:Дата|Номер|Адрес)\s+(?:изъят|обезличен)\w*")


REDACTION = _redaction_pattern()


def redaction_spans(text: str) -> list[tuple[int, int]]:
    """Where redaction markers lie, so other taggers (spaCy NER) can drop entities touching them.

    >>> [(text[s:e]) for text in ["ФИО1 проживает <адрес>"] for s, e in redaction_spans(text)]
    ['ФИО1', '<адрес>']
    """
    return [(m.start(), m.end()) for m in REDACTION.finditer(text)]


def _trim(entity: Entity, text: str, spans: list[tuple[int, int]]) -> Entity | None:
    """The entity without markers at its edges; None when a marker sits inside it."""
    start, end = entity.start, entity.end
    for s, e in spans:
        if e <= start or s >= end:
            continue
        if s <= start:
            start = e
        elif e >= end:
            end = s
        else:
            return None
    while start < end and not text[start].isalnum():
        start += 1
    while end > start and text[end - 1] in " ,;:-–—(«\"\n\t":
        end -= 1
    if end - start < 2 or not any(c.isalnum() for c in text[start:end]):
        return None
    if (start, end) == (entity.start, entity.end):
        return entity
    return Entity(entity.label, text[start:end], start, end, entity.key)


# -- application numbers --------------------------------------------------------------------------

def _application_pattern() -> re.Pattern[str]:
    """"Application no. 17280/08", "nos. 4149/04 and 41029/04", "req. no", "requête no",
    "жалоба № 12345/06".

    A number prefix is required: a bare "15/09" is as likely a date, a ratio or a document
    reference as an application, and "no. 5 of 2006" has no slash so it never matches.
    """
    number = r"\d{1,6}/\d{2}(?![\w/]|-\d)"
    prefix = (r"(?:(?:[Aa]pplications?|[Rr]equêtes?|req\.|[Жж]алоб[аыеуой]\w*)\s*)?"
              r"(?:[Nn]os?\.?|[Nn][o°]s?|№|N°)\s*")
    joiner = r"\s*(?:,|;|and|et|и|to|à|-|–)\s*(?:(?:[Nn]os?\.?|№)\s*)?"
    return re.compile(rf"(?<![\w]){prefix}(?P<list>{number}(?:{joiner}{number})*)")


APPLICATION = _application_pattern()
# Domestic instruments are numbered the same way: "Legislative Decree no. 11/98", "Resolution
# no. 140/98", "приказ № 5/12". The word before "no." tells them apart.
_DOMESTIC_BEFORE = re.compile(
    r"(?i:decree|law|act|resolution|order|regulation|decision|ordinance|directive|circular|"
    r"instruction|judgment|case|file|décret|loi|arrêté|ordonnance|circulaire|закон\w*|приказ\w*|"
    r"постановлени\w*|решени\w*|указ\w*|распоряжени\w*|дел[оау]|письм\w*|протокол\w*)\W*$")
_NUMBER = re.compile(r"\d{1,6}/\d{2}")


def expand_application_range(first: str, last: str, *, limit: int = 50) -> list[str]:
    """Members of a printed range "nos. 23878/94 to 23883/94", when it is one year and small.

    >>> expand_application_range("23878/94", "23881/94")
    ['23878/94', '23879/94', '23880/94', '23881/94']
    >>> expand_application_range("1/94", "9000/94")
    ['1/94', '9000/94']
    """
    (a, year_a), (b, year_b) = first.split("/"), last.split("/")
    if year_a != year_b or not 0 < int(b) - int(a) <= limit:
        return [first, last]
    return [f"{n}/{year_a}" for n in range(int(a), int(b) + 1)]


def find_applications(text: str) -> list[Entity]:
    """One APPLICATION_NO entity per printed number; ranges are not expanded into entities
    (``expand_application_range`` gives their members).

    >>> [e.key for e in find_applications("(Applications nos. 23878/94 to 23883/94); no. 5 of 2006")]
    ['23878/94', '23883/94']
    """
    out: list[Entity] = []
    for m in APPLICATION.finditer(text):
        if m.group(0)[:1] in "Nn№":
            if _DOMESTIC_BEFORE.search(text[max(0, m.start() - 30): m.start()]):
                continue
        base = m.start("list")
        for n in _NUMBER.finditer(m.group("list")):
            value = n.group(0)
            out.append(Entity("APPLICATION_NO", value, base + n.start(), base + n.end(),
                              normalise_identifier(value)))
    return out


# -- identifiers: ECLI, УИД, Russian case numbers -------------------------------------------------

_IDENTIFIER_LABELS = {"ecli": "ECLI", "uid": "UID", "case_number": "CASE_NO"}


def find_identifier_entities(text: str) -> list[Entity]:
    """ECLI, УИД and Russian case numbers from ``identifiers``; their application-number kind is
    left to ``find_applications``, which insists on a "no."/"№" prefix."""
    return [Entity(_IDENTIFIER_LABELS[i.kind], i.value, i.start, i.end, i.key)
            for i in find_identifiers(text) if i.kind in _IDENTIFIER_LABELS]


# -- courts ---------------------------------------------------------------------------------------

def _international_courts() -> str:
    """Strasbourg and Luxembourg by their full names in the three languages."""
    return (r"European\s+Court\s+of\s+Human\s+Rights|European\s+Commission\s+of\s+Human\s+Rights"
            r"|Court\s+of\s+Justice\s+of\s+the\s+European\s+Union|Inter-American\s+Court\s+of\s+"
            r"Human\s+Rights|Cour\s+européenne\s+des\s+droits\s+de\s+l['’]homme"
            r"|Commission\s+européenne\s+des\s+droits\s+de\s+l['’]homme"
            r"|Европейск\w+\s+[Сс]уд\w*\s+по\s+правам\s+человека|ЕСПЧ")


def _english_courts() -> str:
    """"Leninskiy District Court of Vladimir", "Supreme Court of the Russian Federation",
    "Court of Appeal". A court type word is required right before "Court", so "the Court"
    (Strasbourg speaking of itself) and "Grand Chamber" are never courts here; the proper name
    before it is at most three capitalised words and never a sentence-opening "The"."""
    kinds = (r"District|Regional|City|Town|Circuit|Military|Garrison|Supreme|Constitutional|"
             r"Administrative|Federal|High|Appeal|Appellate|Assize|Crown|County|Commercial|"
             r"Arbitrazh|Labour|Cassation|Magistrates['’]?|Cantonal|Municipal|Provincial")
    place = r"(?:\s+of\s+(?:the\s+)?[A-Z][\w\-]+(?:\s+[A-Z][\w\-]+){0,2})?"
    return (rf"(?:(?!The\b)[A-Z][\w'’\-]+\s+){{0,3}}(?:{kinds})\s+Court(?![\w'’]){place}"
            rf"|Court\s+of\s+(?:Appeal|Cassation){place}")


def _french_courts() -> str:
    """"Cour de cassation", "cour d'appel de Paris", "tribunal correctionnel de Lyon": the
    lower-case generic forms need their place, so "la cour d'appel" in prose is not a court."""
    place = r"\s+d[e'’]\s*(?:la\s+|l['’])?[A-ZÉ][\w\-]+"
    generic = (r"our\s+(?:administrative\s+)?d['’](?:appel|assises)|ribunal\s+(?:de\s+grande\s+"
               r"instance|correctionnel|administratif|de\s+police|judiciaire|d['’]instance|"
               r"de\s+commerce)")
    return (r"Cour\s+de\s+cassation|Conseil\s+d['’]État|Conseil\s+constitutionnel"
            rf"|[CT](?:{generic})(?:{place})?|[ct](?:{generic}){place}")


def _russian_courts() -> str:
    """"Советский районный суд г. Казани", "Верховный Суд Российской Федерации", "Десятого
    кассационного суда общей юрисдикции", in any case ending.

    It must start with a capital (a proper adjective or "Верховный"), so "районного суда" or
    "<адрес> районного суда" — where the name was redacted — is not a court, and "судопроизводства"
    is not "суд" ("суд" must end the word after its case ending).
    """
    kinds = (r"(?:районн|городск|областн|краев|окружн|кассационн|апелляционн|арбитражн|военн|"
             r"гарнизонн|межрайонн|флотск|Верховн|верховн|Конституционн|Арбитражн)\w*")
    proper = r"[А-ЯЁ][а-яё]+(?:-[А-ЯЁ]?[а-яё]+)?(?:ий|ый|ой|ого|ому|им|ым|ом|его|ему|ем)"
    court = r"[Сс]уд(?:а|у|ом|е|ы|ов|ами|ах)?(?![а-яё])"
    qualifier = (r"(?:\s+(?:общей\s+юрисдикции|Российской\s+Федерации|РФ(?![А-Яа-я])|"
                 r"Республики\s+[А-ЯЁ][а-яё]+(?:\s*[-–]\s*[А-ЯЁ][а-яё]+)?|"
                 r"г\.\s*[А-ЯЁ][а-яё\-]+|города\s+[А-ЯЁ][а-яё\-]+|"
                 r"[А-ЯЁ][а-яё\-]+(?:ой|кой|ской)\s+(?:области|края|автономного\s+округа)|"
                 r"[А-ЯЁ][а-яё\-]+(?:ого|его)\s+(?:района|округа)))")
    capital = r"(?:Верховн|Конституционн|Арбитражн|Военн)\w*"
    return (rf"{proper}\s+(?:{kinds}\s+){{1,2}}{court}{qualifier}{{0,3}}"
            rf"|{capital}\s+(?:{kinds}\s+)?{court}{qualifier}{{0,3}}")


COURT = re.compile(rf"(?<![\w])(?:{_international_courts()}|{_english_courts()}|{_french_courts()}"
                   rf"|{_russian_courts()})")


def find_courts(text: str) -> list[Entity]:
    """Courts named in the text; key: the name with runs of spaces collapsed.

    >>> [e.text for e in find_courts("Советский районный суд г. Казани; the Supreme Court of Russia")]
    ['Советский районный суд г. Казани', 'Supreme Court of Russia']
    """
    return [Entity("COURT", m.group(0), m.start(), m.end(), re.sub(r"\s+", " ", m.group(0)))
            for m in COURT.finditer(text)]


# -- judges ---------------------------------------------------------------------------------------

def _russian_name() -> str:
    """"Иванов И.И." or "И.И. Иванов": a capitalised surname with initials. Initials are what
    make it a person's name; "Х.Х.Х." alone (a placeholder) has no surname and never matches."""
    surname = r"(?![ХX]\.)[А-ЯЁ][а-яё]+(?:-[А-ЯЁ][а-яё]+)?"
    initials = r"[А-ЯЁ]\.\s?[А-ЯЁ]\.?"
    return rf"(?:{surname}\s+{initials}|{initials}\s?{surname})"


def _russian_judge_frame() -> re.Pattern[str]:
    """"Судья Иванов И.И.", "председательствующего судьи Ардувановой Д.Р.", "судей Лебедева А.А.,
    Смирновой О.В.", "Судья Ленинского районного суда г. Кирова Глушков А.С.".

    The names must follow the word "судья"/"председательствующий" directly (or after the court's
    name), so "судья пришел к выводу ... Римиханова Т.С." (an offender) is not read as a judge.
    """
    name = _russian_name()
    keyword = r"(?:[Сс]удь[яиейюё]\w*|[Сс]удей|[Пп]редседательствующ\w*(?:\s+судь\w+)?)"
    return re.compile(rf"(?<![\w]){keyword}\s*[:\-–]?\s*(?:(?:{_russian_courts()})\s+)?"
                      rf"(?P<names>{name}(?:\s*(?:,|\bи\b)\s*{name})*)")


RU_JUDGES = _russian_judge_frame()
_RU_NAME = re.compile(_russian_name())
# "composed of:" / "composée de :" opens the list of judges in an ECHR header; the Registrar ends it.
_PANEL = re.compile(r"compos(?:ed\s+of|ée\s+de)\s*:(?P<body>.{10,2500}?)(?:Registrar|[Gg]reffi)",
                    re.S)
_ROLE_WORDS = {"president", "président", "présidente", "vice-president", "vice-président",
               "judges", "judge", "juges", "juge", "ad hoc judge", "juge ad hoc", "and", "et",
               "section registrar", "deputy section registrar"}
_PANEL_NAME = re.compile(r"[A-ZÀ-ÖØ-ÞĀ-Ž][\w.'’\-]*(?:\s+(?:[A-ZÀ-ÖØ-ÞĀ-Ž][\w.'’\-]*|de|da|van|von|"
                         r"der|del|di|dos|du|le|la))*")


def _panel_judges(text: str) -> list[Entity]:
    """Judges listed after "composed of:": each item of the comma/line list that is a name.

    Only the header frame is read; a name in prose ("Judge Pinto de Albuquerque noted") is left
    to NER, because nothing there tells a judge from a party reliably.
    """
    out: list[Entity] = []
    for m in _PANEL.finditer(text):
        base, body = m.start("body"), m.group("body")
        # The Registrar closes the list after a last "and"/"et": "and Milan Blaško, Deputy ...".
        closing = list(re.finditer(r"(?:^|[,\n])\s*(?:and|et)\s+", body))
        body = body[: closing[-1].start()] if closing else body
        for item in re.finditer(r"[^,\n]+", body):
            words = item.group(0).strip()
            if not words or words.lower() in _ROLE_WORDS:
                continue
            named = _PANEL_NAME.fullmatch(words)
            if not named or len(words.split()) > 6:
                continue
            start = base + item.start() + item.group(0).index(words)
            out.append(Entity("JUDGE", words, start, start + len(words), words))
    return out


def find_judges(text: str) -> list[Entity]:
    """Judges named in a clear frame: Russian "судья ..." and the ECHR "composed of:" list.

    >>> [e.key for e in find_judges("в составе председательствующего судьи Ардувановой Д.Р., "
    ...     "судей Лебедева А.А., Смирновой О.В.; судья ФИО1")]
    ['Ардувановой Д.Р.', 'Лебедева А.А.', 'Смирновой О.В.']
    """
    out: list[Entity] = []
    for m in RU_JUDGES.finditer(text):
        base = m.start("names")
        for n in _RU_NAME.finditer(m.group("names")):
            out.append(Entity("JUDGE", n.group(0), base + n.start(), base + n.end(), n.group(0)))
    return out + _panel_judges(text)


# -- other finders as entity lists ----------------------------------------------------------------

def find_date_entities(text: str) -> list[Entity]:
    """DATE entities keyed ISO ``yyyy-mm-dd``: every full date the calendar reads.

    >>> [e.key for e in find_date_entities("final on 1er mars 2010; приговор от «5» мая 2019 г.")]
    ['2010-03-01', '2019-05-05']
    """
    return [Entity("DATE", d.text, d.start, d.end, d.iso) for d in DATES.find(text)]


def find_citation_entities(text: str) -> list[Entity]:
    """CITATION entities keyed by the case name as printed."""
    return [Entity("CITATION", c.text, c.start, c.end, c.case_name) for c in find_citations(text)]


def find_article_entities(text: str) -> list[Entity]:
    """Convention provisions; only those tied to the Convention or a Protocol (see articles.py)."""
    return find_articles(text, require_convention=True)


#: (label, finder, languages it applies to or None for all). Order breaks ties of equal length.
FINDERS: tuple[tuple[str, Callable[[str], list[Entity]], frozenset[str] | None], ...] = (
    ("IDENTIFIERS", find_identifier_entities, None),
    ("APPLICATION_NO", find_applications, None),
    ("CITATION", find_citation_entities, None),
    ("ARTICLE", find_article_entities, None),
    ("CODE_ARTICLE", find_code_provisions, frozenset({"ru"})),
    ("MONEY", find_money, None),
    ("DATE", find_date_entities, None),
    ("COURT", find_courts, None),
    ("JUDGE", find_judges, None),
)


def resolve_overlaps(candidates: list[tuple[int, Entity]]) -> list[Entity]:
    """Longest first, then lower finder rank, then earlier start; same span and label coexist."""
    taken: list[Entity] = []
    for _, entity in sorted(candidates, key=lambda p: (-(p[1].end - p[1].start), p[0], p[1].start)):
        clash = False
        for t in taken:
            if entity.start < t.end and t.start < entity.end:
                if (t.start, t.end, t.label) != (entity.start, entity.end, entity.label):
                    clash = True
                    break
        if not clash:
            taken.append(entity)
    taken.sort(key=lambda e: (e.start, e.end))
    return taken


def find_legal_entities(text: str, language: str | None = None) -> list[Entity]:
    """Every rule-based legal entity of ``text``, left to right, no overlaps, no redactions.

    ``language`` ("en", "fr", "ru" or None for unknown) only switches off finders that cannot
    occur in that language (Russian code provisions in an English judgment).

    >>> [(e.label, e.key) for e in find_legal_entities(
    ...     "(Application no. 77617/01) ... violation of Article 3 of the Convention; "
    ...     "EUR 10,000 (see Mikheyev v. Russia, no. 77617/01, § 135, 26 January 2006)", "en")]
    [('APPLICATION_NO', '77617/01'), ('ARTICLE', '3'), ('MONEY', 'EUR 10000'), ('CITATION', 'Mikheyev v. Russia')]
    """
    spans = redaction_spans(text)
    candidates: list[tuple[int, Entity]] = []
    for rank, (_, finder, languages) in enumerate(FINDERS):
        if language and languages is not None and language not in languages:
            continue
        for entity in finder(text):
            trimmed = _trim(entity, text, spans) if spans else entity
            if trimmed is not None:
                candidates.append((rank, trimmed))
    return resolve_overlaps(candidates)
