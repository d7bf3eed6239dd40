"""The Court's documents in translation -> Judgment (the header): Russian and Ukrainian, and the
languages in Latin script HUDOC holds translations in (German, Italian, Spanish, Portuguese,
Turkish, Polish, Romanian), each described by one row of a table.

Translations of Strasbourg judgments and decisions are published by the Ukrainian and Russian
Governments, bar projects and bulletins. They keep the Court's layout in their language:

    ЄВРОПЕЙСЬКИЙ СУД З ПРАВ ЛЮДИНИ / П’ЯТА СЕКЦІЯ / СПРАВА «ГАРЬКАВИЙ ПРОТИ УКРАЇНИ» /
    (Заява № 25978/07) / РІШЕННЯ / СТРАСБУРГ / 18 лютого 2010 року / ОСТАТОЧНЕ 15/05/2010 /
    У справі «Гарькавий проти України» Європейський суд з прав людини (п’ята секція), засідаючи
    палатою ... після наради за зачиненими дверима 26 січня 2010 року, постановляє таке рішення

They are ECHR documents in their own language, never a ruling of the Russian or Ukrainian court
that happens to be named in the translator's note ("Неофициальный перевод (Верховный Суд
Республики Бурятия)"). ``is_translation`` recognises them by the Court's own features, which a
domestic ruling that quotes the Court never has at its head; ``read_translation`` reads kind,
title, applicants, respondent States, application numbers, dates and formation. The date is the
delivery date under СТРАСБУРГ (a decision's: "засідаючи ... 23 серпня 2016 року"), never the
deliberation date ("після наради ... 26 січня 2010 року"). In the Latin-script languages the
respondent State is read in that language's own case (``reference.states.latin_state_names``).

>>> j = read_translation(SAMPLE)
>>> (j.kind, j.title, j.applicants, j.respondent_states, j.case_numbers)
('echr_judgment', 'Гарькавий проти України', ['Гарькавий'], ['Ukraine'], ['25978/07'])
>>> (j.date, j.final_date, j.formation)
('2010-02-18', '2010-05-15', 'Chamber')
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from pipeline.models import Judgment
from pipeline.reference.calendar import DateReader
from pipeline.reference.states import latin_state_names, state_names
from pipeline.structure.communicated import complaints
from pipeline.structure.operative import find_operative, read_operative

__all__ = ["SAMPLE", "is_translation", "read_translation"]

COURT = "European Court of Human Rights"
HEAD_CHARS = 3000

SAMPLE = """ЄВРОПЕЙСЬКИЙ СУД З ПРАВ ЛЮДИНИ
П’ЯТА СЕКЦІЯ
СПРАВА «ГАРЬКАВИЙ ПРОТИ УКРАЇНИ»
(Заява № 25978/07)
РІШЕННЯ
СТРАСБУРГ
18 лютого 2010 року
ОСТАТОЧНЕ
15/05/2010
У справі «Гарькавий проти України»
Європейський суд з прав людини (п’ята секція), засідаючи палатою, до складу якої увійшли:
Пеер Лоренцен, Голова, ... та Клаудія Вестердік, Секретар секції,
після наради за зачиненими дверима 26 січня 2010 року, постановляє таке рішення, що було
ухвалене в той день:
ПРОЦЕДУРА
1. Справу розпочато за заявою (№ 25978/07), яку подав до Суду проти України громадянин України.
"""

_DATES = DateReader(languages=("ru", "uk"), separators="./", month_first=False, years=(1959, 2099))

# -- the Court's own features ----------------------------------------------------------------------
# Each is a separate kind of evidence; a translation shows at least two at its head, a domestic
# ruling that quotes the Court ("Европейский суд по правам человека в постановлении по делу
# «Иванов против России» (жалоба № 12345/06) указал") shows at most the name and a number.
_COURT_NAME = r"(?:Європейськ\w*\s+[Сс]уд\w*\s+з\s+прав\s+людини|Европейск\w*\s+[Сс]уд\w*\s+по\s+пра-?\s*вам\s+человека)"
_FEATURES: tuple[re.Pattern[str], ...] = (
    # the Court's name as a heading line of its own
    re.compile(r"^[ \t]*(?:ЄВРОПЕЙСЬКИЙ\s+СУД\s+З\s+ПРАВ\s+ЛЮДИНИ?|ЕВРОПЕЙСКИЙ\s+СУД\s+ПО\s+ПРАВАМ\s+ЧЕЛОВЕКА)\b",
               re.M),
    # its seat, on the cover ("СТРАСБУРГ", with a Latin C now and then; "(Страсбург, 24 марта 2005 года)")
    re.compile(r"\b[СC]Т[РP]А[СC]БУ[РP]Г\b|(?:^|\(|г\.\s?)Страсбург\b", re.M),
    # its formation heading: "П’ЯТА СЕКЦІЯ", "ПЕРВАЯ СЕКЦИЯ", "ВЕЛИКА ПАЛАТА", "БОЛЬШАЯ ПАЛАТА"
    re.compile(r"^[ \t]*(?:[А-ЯІЇЄҐ’']+\s+)?(?:СЕКЦІЯ|СЕКЦИЯ)\b|^[ \t]*[А-ЯІЇЄҐ’']+\s+[Сс]екція\b|"
               r"\b(?:ВЕЛИКА\s+ПАЛАТА|БОЛЬШАЯ\s+ПАЛАТА)\b", re.M),
    # the composition sentence: "Європейський суд з прав людини (п’ята секція), засідаючи палатою"
    re.compile(_COURT_NAME + r"[^.;]{0,80}?\b(?:засідаючи|заседая)\b"),
)
# A domestic act opens in the name of its State; the Court never does.
_DOMESTIC = re.compile(r"ИМЕНЕМ\s+(?:РОССИЙСКОЙ\s+ФЕДЕРАЦИИ|УКРАЇНИ)|Именем\s+Российской\s+Федерации|"
                       r"Іменем\s+України")


@dataclass(frozen=True)
class _Latin:
    """How a translation into a language written in Latin script prints the Court's layout."""

    language: str
    court: str         # the Court's name as a heading
    case: str          # the word before a case name ("SACHE", "CAUSA")
    against: str       # the word between applicant and State ("gegen", "c.")
    application: str   # the word before an application number ("Individualbeschwerde Nr.")
    judgment: str
    decision: str
    grand_chamber: str


_NR = r"\s*(?:Nrn?\.?|nr\.?|nn\.?|n\.\s?º|n\.?\s?[º°o]s?\.?|N[º°o]s?\.?|nos?\.?|n\.)\s*"
_LATIN: tuple[_Latin, ...] = (
    _Latin("de", r"EUROPÄISCHER\s+GERICHTSHOF\s+FÜR\s+MENSCHENRECHTE", r"SACHE|Sache|RECHTSSACHE",
           r"\./\.|gegen|GEGEN|v\.", r"(?:Individual)?[Bb]eschwerden?" + _NR, r"URTEIL", r"ENTSCHEIDUNG|BESCHLUSS",
           r"GROSSE\s+KAMMER|GROẞE\s+KAMMER"),
    _Latin("it", r"CORTE\s+EUROPEA\s+DEI\s+DIRITTI\s+DELL['’]\s*UOMO", r"CAUSA|Causa", r"c\.|C\.|contro|CONTRO",
           r"[Rr]icors[oi]" + _NR, r"SENTENZA", r"DECISIONE", r"GRANDE\s+CAMERA"),
    _Latin("es", r"TRIBUNAL\s+EUROPEO\s+DE\s+DERECHOS\s+HUMANOS", r"ASUNTO|Asunto|CASO|Caso", r"c\.|C\.|contra|CONTRA",
           r"[Dd]emandas?" + _NR, r"SENTENCIA", r"DECISIÓN|DECISION", r"GRAN\s+SALA"),
    _Latin("pt", r"TRIBUNAL\s+EUROPEU\s+DOS\s+DIREITOS\s+(?:DO\s+HOMEM|HUMANOS)", r"CASO|Caso|PROCESSO|Processo",
           r"c\.|C\.|contra|CONTRA", r"(?:[Qq]ueixas?|[Pp]etição|[Rr]equerimento)" + _NR, r"ACÓRDÃO|ACORDÃO",
           r"DECISÃO", r"TRIBUNAL\s+PLENO|GRANDE\s+SECÇÃO|GRANDE\s+CÂMARA"),
    _Latin("tr", r"AVRUPA\s+İNSAN\s+HAKLARI\s+MAHKEMESİ", r"", r"/|-\s", r"[Bb]aşvuru" + _NR, r"KARAR",
           r"KABUL\s+EDİLEBİLİRLİK|KABUL\s+EDİLEMEZLİK|KABUL\s+EDİLEBİLİRLİĞE", r"BÜYÜK\s+DAİRE"),
    _Latin("pl", r"EUROPEJSKI\s+TRYBUNAŁ\s+PRAW\s+CZŁOWIEKA", r"SPRAWA|Sprawa", r"przeciwko|PRZECIWKO",
           r"[Ss]karg[aiy]" + _NR, r"WYROK", r"DECYZJA", r"WIELKA\s+IZBA"),
    _Latin("ro", r"CURTEA\s+EUROPEANĂ\s+A\s+DREPTURILOR\s+OMULUI", r"CAUZA|Cauza", r"împotriva|ÎMPOTRIVA|c\.",
           r"[Cc]erer(?:ea|ile)" + _NR, r"HOTĂRÂRE(?:A)?|HOTARARE", r"DECIZI[EA]", r"MAREA\s+CAMERĂ"),
)
# The seat as translations spell it.
_LATIN_SEAT = re.compile(r"\b(?:STRASBOURG|Strasbourg|STRASSBURG|Straßburg|STRASBURGO|Strasburgo|ESTRASBURGO|"
                         r"Estrasburgo|STRAZBURG|Strazburg|STRASBURG|Strasburg)\b")
_LATIN_DATES = DateReader(languages=("de", "it", "es", "pt", "tr", "pl", "ro", "fr", "en"), separators="./",
                          month_first=False, years=(1959, 2099))


def _latin_language(head: str) -> _Latin | None:
    """The language whose heading of the Court's name and second own feature ``head`` shows."""
    for lang in _LATIN:
        if not re.search(r"^[ \t]*" + lang.court, head, re.M):
            continue
        if _LATIN_SEAT.search(head) or re.search(lang.application + r"\d{1,6}/\d{2}", head):
            return lang
    return None


def is_translation(text: str) -> bool:
    """Whether ``text`` is one of the Court's documents in translation (Russian, Ukrainian, or a
    language written in Latin script other than the Court's own English and French).

    >>> is_translation(SAMPLE)
    True
    >>> is_translation("ПОСТАНОВЛЕНИЕ\\nг. Москва 12 марта 2020 года\\nСудья Басманного районного суда ... "
    ...                "Европейский суд по правам человека в постановлении по делу «Иванов против России» "
    ...                "(жалоба № 12345/06) указал ...")
    False
    """
    head = text[:HEAD_CHARS]
    if _DOMESTIC.search(head):
        return False
    return sum(1 for rx in _FEATURES if rx.search(head)) >= 2 or _latin_language(head) is not None


# -- kind ------------------------------------------------------------------------------------------

def _spaced(word: str) -> str:
    """"РІШЕННЯ" also as "Р І Ш Е Н Н Я", as official Ukrainian translations set it."""
    return r"\s?".join(word)


_UPPER = r"(?<![А-ЯІЇЄҐA-Z])"
_END = r"(?![А-ЯІЇЄҐA-Zа-яіїєґ])"
# A decision: "УХВАЛА", "РІШЕННЯ ЩОДО ПРИЙНЯТНОСТІ", "РЕШЕНИЕ О ПРИЕМЛЕМОСТИ", a Russian "РЕШЕНИЕ".
_DECISION = re.compile(_UPPER + "(?:" + _spaced("УХВАЛА") + r"|РІШЕННЯ\s+ЩОДО\s+ПРИЙНЯТНОСТІ|"
                       r"(?i:рішення\s+щодо\s+прийнятності)|РЕШЕНИЕ(?:\s+О\s+ПРИЕМЛЕМОСТИ)?|"
                       r"(?i:решение\s+о\s+приемлемости))" + _END)
# A judgment: Ukrainian "РІШЕННЯ", Russian "ПОСТАНОВЛЕНИЕ" (the Russian "РЕШЕНИЕ" is a decision).
_JUDGMENT = re.compile(_UPPER + "(?:" + _spaced("РІШЕННЯ") + "|" + _spaced("ПОСТАНОВЛЕНИЕ") + r")" + _END
                       + r"|^[ \t]*Постановление\s+(?:от|Суда|Европейского)\b|постановляє\s+таке\s+рішення|"
                       r"вынес\w*\s+следующее\s+[Пп]остановление", re.M)
_COMMUNICATED = re.compile(r"ВИКЛАД\s+ФАКТІВ|ПИТАННЯ\s+ДО\s+СТОРІН|ИЗЛОЖЕНИЕ\s+ФАКТОВ|ВОПРОСЫ\s+(?:К\s+)?СТОРОНАМ")


def _kind(head: str) -> str:
    """The heading says which: the first of the decision and judgment words wins, so a decision
    whose text later says "рішення" of a domestic court stays a decision."""
    found = [(m.start(), kind) for kind, rx in (("echr_decision", _DECISION), ("echr_judgment", _JUDGMENT))
             if (m := rx.search(head))]
    if found:
        return min(found)[1]
    if _COMMUNICATED.search(head):
        return "echr_communicated"
    return "echr_other"


# -- title, parties, numbers ------------------------------------------------------------------------
_AGAINST = r"\s+(?:проти|ПРОТИ|против|ПРОТИВ)\s+"
# "У справі «Гарькавий проти України»", "По делу "Фризен против Российской Федерации"".
_IN_THE_CASE = re.compile(r"(?:У\s+справі|По\s+делу)\s+[«\"“„]\s*(?P<name>.{2,200}?" + _AGAINST + r".{2,80}?)[»\"”“]"
                          r"(?=\s*[,(]|\s+(?:Європейськ|Европейск)|\s*$)", re.M | re.S)
# Without quotation marks: "По делу Ткачевы против Российской Федерации, Европейский Суд".
_IN_THE_CASE_BARE = re.compile(r"(?:У\s+справі|По\s+делу)\s+(?P<name>[^«\"“,\n]{2,150}?" + _AGAINST
                               + r"[^,\n]{2,80}?)\s*,")
# The heading: "СПРАВА «СУК ПРОТИ УКРАЇНИ»", "ДЕЛО "ФРИЗЕН (FRIZEN) ПРОТИВ РОССИЙСКОЙ ФЕДЕРАЦИИ"".
_HEADING = re.compile(r"(?:СПРАВА|CПРАВА|Справа|ДЕЛО|Дело)\s+[«\"“„]\s*(?P<name>.{2,200}?" + _AGAINST
                      + r".{2,80}?)[»\"”“](?=\s*[(\n]|\s*$|\s+[(A-Z])", re.S)
# A decision: "Заява № 64953/14 Леонід Юрійович ХОЛОДОВ проти України".
_DECISION_TITLE = re.compile(r"(?:Заява|Заяви|Жалоба|Жалобы)\s*(?:№№?|N|No\.?)\s*\d{1,6}/\d{2}\s*(?:,|\s)\s*"
                             r"(?:(?:подана|поданная|by)\s+)?(?P<name>[^\n«»]{2,150}?" + _AGAINST
                             + r"[А-ЯІЇЄҐ][^\n,]{2,60}?)\s*(?:\n|$|,|\s+(?:Європейськ|Европейск))")
_NUMBERS = re.compile(r"(?:[Зз]аяв[аиі]|[Жж]алоб[аы])\s*(?P<list>(?:(?:№№?|N|No\.?)\s*)?\d{1,6}/\d{2}"
                      r"(?:\s*(?:,|;|та|і|и|and)\s*(?:(?:№№?|N)\s*)?\d{1,6}/\d{2})*)")
_APP = re.compile(r"\d{1,6}/\d{2}(?!\d)")


def _balanced(name: str) -> str:
    """Quotation marks left unmatched by the cut or by a misprint dropped: a company's name keeps
    its own («Комфорт»), "East/West Alliance Limited" проти" loses the stray one."""
    name = name.strip()
    for opening, closing in (("«", "»"), ("“", "”"), ("„", "“")):
        if name.count(opening) > name.count(closing) and name.startswith(opening):
            name = name[1:]
        if name.count(closing) > name.count(opening) and name.endswith(closing):
            name = name[:-1]
    if name.count('"') % 2:
        name = name.replace('"', "")
    return name.strip()


def _case_name(head: str) -> str | None:
    for rx in (_IN_THE_CASE, _HEADING, _DECISION_TITLE, _IN_THE_CASE_BARE):
        m = rx.search(head)
        if m:
            return _balanced(" ".join(m.group("name").split()))
    return None


def _parties(name: str) -> tuple[list[str], list[str]]:
    """Applicants and respondent States of "X проти Y"; "X та інші" stays one entry as printed."""
    parts = re.split(_AGAINST, name, maxsplit=1)
    if len(parts) != 2:
        return [], []
    applicant, state = parts
    applicant = _balanced(re.sub(r"\s*\([A-Z][^)]*\)", "", applicant))
    if re.search(r"\s(?:та|і|и)\s+(?:інші|другие)\b", applicant, re.I):
        applicants = [applicant]
    else:
        applicants = [_balanced(a) for a in re.split(r"\s+(?:та|і|и)\s+", applicant) if a]
    return applicants, state_names(state)


# -- dates and formation ------------------------------------------------------------------------------
# The cover: "СТРАСБУРГ 18 лютого 2010 року", "Страсбург, 7 грудня 2006 року", "(Страсбург, 24 марта
# 2005 года)", "Постановление от 14 февраля 2012 г.".
_COVER_DATE = re.compile(r"(?:[СC]Т[РP]А[СC]БУ[РP]Г|Страсбург)\s*,?\s*(?P<d>[^\n]{6,40})|"
                         r"^[ \t]*Постановление\s+от\s+(?P<d2>[^\n]{6,30})", re.M)
# A decision's adoption date is in its composition: "засідаючи палатою 23 серпня 2016 року",
# "засідаючи 3 червня 2014 року палатою", "заседая 12 мая 2015 г. Комитетом".
_SITTING_DATE = re.compile(r"(?:засідаючи|заседая)\s+(?:\w+\s+){0,2}?(?P<d>\d{1,2}\s+[а-яіїєґ]+\s+\d{4})")
_FINAL = re.compile(r"(?:ОСТАТОЧНЕ|ОКОНЧАТЕЛЬНОЕ)\s*(?P<d>\d{1,2}[./]\d{1,2}[./]\d{4}|\d{1,2}\s+[а-яіїєґ]+\s+\d{4})")
_FORMATIONS = (("Grand Chamber", r"ВЕЛИКА\s+ПАЛАТА|БОЛЬШАЯ\s+ПАЛАТА|(?i:Великою\s+палатою|Большой\s+Палатой)"),
               ("Committee", r"(?i:засідаючи\s+(?:\S+\s+){0,4}?комітетом|заседая\s+(?:\S+\s+){0,4}?Комитетом)"),
               ("Chamber", r"(?i:засідаючи\s+(?:\S+\s+){0,4}?палатою|заседая\s+(?:\S+\s+){0,4}?Палатой)"))


def _date(head: str, kind: str) -> str | None:
    if kind == "echr_decision":
        m = _SITTING_DATE.search(head)
        if m and (iso := _DATES.first(m.group("d"))):
            return iso
    for m in _COVER_DATE.finditer(head):
        iso = _DATES.first(m.group("d") or m.group("d2") or "")
        if iso:
            return iso
    return None


def _formation(head: str) -> str | None:
    for name, pattern in _FORMATIONS:
        if re.search(pattern, head):
            return name
    return None


def read_translation(text: str) -> Judgment:
    """The header of a translated ECHR document: what a hit list and a citation need, and, in
    Russian and Ukrainian, the findings and awards of its operative part, read by ``operative``
    as the Court's own are."""
    head = text[:HEAD_CHARS]
    latin = _latin_language(head)
    if latin:
        return _read_latin(head, latin)
    j = Judgment(kind=_kind(head), court=COURT)
    name = _case_name(head)
    if name:
        j.title = name
        j.applicants, j.respondent_states = _parties(name)
    numbers = _NUMBERS.search(head)
    if numbers:
        j.case_numbers = list(dict.fromkeys(_APP.findall(numbers.group("list"))))
    j.date = _date(head, j.kind)
    final = _FINAL.search(head)
    j.final_date = _DATES.first(final.group("d")) if final else None
    j.formation = _formation(head)
    if bounds := find_operative(text):
        j.holdings, j.awards = read_operative(text[bounds.start: bounds.end])
    if j.kind == "echr_communicated":
        j.complaints = complaints(text)
    return j


def _read_latin(head: str, lang: _Latin) -> Judgment:
    """Kind, title, applicant, respondent State, numbers, date and formation of a translation
    into ``lang``."""
    kinds = [(m.start(), kind) for kind, word in (("echr_decision", lang.decision), ("echr_judgment", lang.judgment))
             if (m := re.search(r"^[ \t]*(?:" + word + r")\b", head, re.M))]
    j = Judgment(kind=min(kinds)[1] if kinds else "echr_other", court=COURT)
    if lang.case:
        title = re.search(r"^[ \t]*(?:" + lang.case + r")\s+(?P<name>[^\n]{2,200}?\s(?:" + lang.against
                          + r")\s[^\n(]{2,80}?)\s*(?:\(|$)", head, re.M)
    else:  # "KOSTOV / TÜRKİYE DAVASI"
        title = re.search(r"^[ \t]*(?P<name>[^\n]{2,200}?\s(?:" + lang.against + r")\s*[^\n(]{2,80}?)\s+DAVASI\b",
                          head, re.M)
    if not title:
        # a decision: "Cererea nr. 12345/06 / Ion POPESCU împotriva României"
        title = re.search(lang.application + r"\d{1,6}/\d{2}\s*\n[ \t]*(?P<name>[^\n]{2,200}?\s(?:" + lang.against
                          + r")\s[^\n(]{2,80}?)[ \t]*$", head, re.M)
    if title:
        j.title = " ".join(title.group("name").split())
        applicant, *respondent = re.split(r"\s(?:" + lang.against + r")\s*", j.title, maxsplit=1)
        j.applicants = [applicant.strip()]
        j.respondent_states = latin_state_names(respondent[0], lang.language) if respondent else []
    numbers = re.search(lang.application + r"(?P<list>\d{1,6}/\d{2}(?:\s*(?:,|;|und|e|y|și|i|ve|et|and)\s*"
                        + r"(?:" + _NR + r")?\d{1,6}/\d{2})*)", head)
    if numbers:
        j.case_numbers = list(dict.fromkeys(_APP.findall(numbers.group("list"))))
    seat = _LATIN_SEAT.search(head)
    composition = re.search(lang.court, head[title.end():] if title else head, re.I) if j.kind == "echr_decision" \
        else None
    if composition:
        # a decision's adoption date, in its composition: "..., reunită la 10 martie 2011 într-un comitet"
        window = (head[title.end():] if title else head)[composition.end(): composition.end() + 150]
        j.date = _LATIN_DATES.first(re.sub(r"\s+de\s+", " ", re.sub(r"(\d{1,2})\.\s", r"\1 ", window)))
    elif seat:
        # "17. Dezember 2009", "10 de marzo de 2011": the day's dot and the "de" set aside
        printed = re.sub(r"(\d{1,2})\.\s", r"\1 ", head[seat.end(): seat.end() + 60])
        j.date = _LATIN_DATES.first(re.sub(r"\s+de\s+", " ", printed))
    j.formation = "Grand Chamber" if re.search(lang.grand_chamber, head) else None
    return j
