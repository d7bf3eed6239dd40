"""Russian court rulings -> ``Judgment``: kind, instance, court, date, judge, parts, charges, outcome.

A Russian court act is laid out by procedural law (ст. 303–309 УПК, 198 ГПК, 29.10 КоАП): a
heading ("П Р И Г О В О Р", "АПЕЛЛЯЦИОННОЕ ОПРЕДЕЛЕНИЕ"), the вводная часть (date, place,
court, judge, parties), the описательно-мотивировочная часть opened by "УСТАНОВИЛ:", and the
резолютивная часть opened by "ПРИГОВОРИЛ:" / "РЕШИЛ:" / "ПОСТАНОВИЛ:" / "ОПРЕДЕЛИЛ:", closed by
the signature ("Председательствующий", "Судья"). Every keyword may be letter-spaced, in any case,
with the feminine or plural ending of a collegiate bench ("у с т а н о в и л а :").

Sections follow the hand-marked corpus (``gold/ru_judgement_parts_markup``), which is what
``tools.evaluate.russian`` measures against:

* ``intro`` starts after the heading block (heading, "ИМЕНЕМ РОССИЙСКОЙ ФЕДЕРАЦИИ", subtitles such
  as "о назначении административного наказания") and ends before "УСТАНОВИЛ:";
* ``reasoning`` runs from "УСТАНОВИЛ:" to the operative keyword;
* ``operative`` runs from the operative keyword to the signature, which it leaves out.

What is set on the returned ``Judgment`` beyond the dataclass fields (read with ``getattr``):

* ``uid`` — the УИД (``16RS0046-01-2020-001234-56``) or None. It is kept out of
  ``case_numbers``, which the record contract reserves for the document's own case numbers; the
  УИД identifies the case across all its instances, so it gets its own attribute.
* ``penalties`` — ``[{"type": "imprisonment"|"fine"|"suspended"|"other", "months": int|None,
  "amount": float|None, "text": str}]`` from the operative part, in the order printed. For a
  prison term ``months`` is the term the person is to serve: per-count terms give way to the
  aggregate ("по совокупности ... окончательно назначить"). ``suspended`` is a prison term made
  conditional under ст. 73 УК; it also carries ``probation_months``. ``other`` covers arrest,
  compulsory or correctional labour, restricted freedom and the судебный штраф (ст. 76.2 УК).
  Fines are the penalty only: a civil award of a consumer "штраф" and the warning about
  non-payment are left out.
* ``accused`` — names of the accused as printed (defendant, person brought to administrative
  liability), never a redaction marker.

>>> j = parse_russian("Дело № 1-123/2020\\nП Р И Г О В О Р\\nИМЕНЕМ РОССИЙСКОЙ ФЕДЕРАЦИИ\\n"
...     "12 марта 2020 года г. Казань\\nСоветский районный суд г. Казани в составе "
...     "председательствующего судьи Иванова И.И.,\\nподсудимого Петрова П.П., обвиняемого в "
...     "совершении преступления, предусмотренного п. «а» ч. 3 ст. 286 УК РФ,\\nУСТАНОВИЛ:\\n"
...     "Петров П.П. превысил полномочия.\\nПРИГОВОРИЛ:\\nПризнать Петрова П.П. виновным в "
...     "совершении преступления, предусмотренного п. «а» ч. 3 ст. 286 УК РФ, и назначить ему "
...     "наказание в виде лишения свободы сроком на 3 (три) года 6 месяцев.\\nСудья И.И. Иванов")
>>> (j.kind, j.instance, j.court, j.city, j.date, j.judge, j.title)
('ru_sentence', 'first', 'Советский районный суд г. Казани', 'Казань', '2020-03-12', 'Иванова И.И.', 'Приговор Советского районного суда г. Казани от 12 марта 2020 г. по делу № 1-123/2020')
>>> [c.key for c in j.charges], j.outcome, j.penalties[0].months, j.accused
(['УК:286:3:а'], 'convicted', 42, ['Петрова П.П.'])
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from pipeline.entities.codes import find_code_provisions
from pipeline.entities.money import find_money
from pipeline.models import Award, Charge, Judgment, Penalty, Section
from pipeline.reference.calendar import DATES, MONTHS

__all__ = ["parse_russian", "find_uid", "find_sections", "find_parts", "find_court", "RussianParts"]

# -- building blocks ---------------------------------------------------------------------------

_S = r"[ \t\u00a0]"          # a blank inside a line: letter-spacing never crosses a line break
_L = r"А-Яа-яЁё"
_REDACTED = re.compile(r"<[^<>\n]{1,40}>|\{[^{}\n]{1,40}\}|\bФИО\d*\b|\*{2,}|Номер обезличен|"
                       r"ДД\.ММ\.ГГГГ|данные изъяты", re.I)


# Sentence ends, but not the dot of an initial ("А.В. Ищенко") or of an abbreviation ("г. Махачкалы").
_SENTENCE_SPLIT = re.compile(
    r"(?:(?<=;)|(?<=\.)(?<![А-ЯЁ]\.)(?<![\s(]г\.)(?<![\s(]ст\.)(?<![\s(]ч\.)(?<![\s(]п\.)(?<![\s(]ул\.)"
    r"(?<![\s(]д\.)(?<![\s(]им\.)(?<![\s(]пос\.)(?<![\s(]гор\.))\s+(?=[А-ЯЁ\-–—])|(?<=;)\s+|\n[ \t\u00a0]*\n\s*")


def _sp(word: str) -> str:
    """A word that may be letter-spaced: "П Р И Г О В О Р", "ПО С Т А Н О В Л Е Н И Е"."""
    return f"{_S}{{0,3}}".join(re.escape(ch) for ch in word)


def _clean(value: str) -> str:
    return " ".join(value.split())


# -- heading: kind and instance ----------------------------------------------------------------

_NOUNS = (("приговор", "ru_sentence"), ("решение", "ru_decision"),
          ("постановление", "ru_ruling"), ("определение", "ru_ruling"),
          ("судебный приказ", "ru_other"))
_ADJECTIVES = ("апелляционн", "кассационн", "надзорн", "заочн", "частн", "дополнительн")
# An adjective and its noun may stand on two lines ("АПЕЛЛЯЦИОННОЕ\nОПРЕДЕЛЕНИЕ").
_ADJ_ALT = "|".join(_sp(a) for a in _ADJECTIVES)
_NOUN_ALT = "|".join(r"\s+".join(_sp(w) for w in n.split()) for n, _ in _NOUNS)
_HEADING = re.compile(
    rf"(?<![{_L}])(?:(?P<adj>(?:{_ADJ_ALT})(?:{_S}{{0,3}}[{_L}]){{2}})\s+)?(?P<noun>{_NOUN_ALT})"
    # "П Р И Г О В О РИменем Российской Федерации": the subtitle glued to the heading
    rf"(?:(?![{_L}])|(?=Именем|ИМЕНЕМ))",
    re.I)
# What may precede a heading on its line: "Дело № 5-115/2016", "копия", "№", "...".
_HEADING_PREFIX = re.compile(
    r"(?:(?:к\s+делу|(?:уголовное\s+|гражданское\s+)?дело|копия|№|\.\.\.|номер обезличен|"
    r"именем\s+российской\s+федерации)[:.]?\s*"
    r"|[\w\-–—/.\\]*\d[\w\-–—/.\\]*(?:\s*г\.?)?\s*)*",
    re.I)
# Lines between the heading and the вводная часть that belong to the heading block.
_SUBTITLE = re.compile(
    r"(?:именем\s+российской\s+федерации|\(?\s*(?:заочное|мотивированное|извлечение|резолютивная\s+"
    r"часть[^\n]*|вводная\s+и\s+резолютивная\s+части)\s*\)?|копия|(?:по|о|об)\s[^\n]{0,140}|\([^\n]{0,160}\)"
    r"|(?:дело|материал)?\s*№\s*[^\s]*|[.…]{2,})[.,]?",
    re.I)


@dataclass
class _Heading:
    kind: str
    words: str          # "Апелляционное определение"
    adjective: str | None
    start: int
    end: int


def _letters(value: str) -> str:
    return re.sub(rf"[^{_L}]", "", value)


def _find_heading(text: str, limit: int) -> _Heading | None:
    """The first heading of a court act before ``limit``, standing at the start of its line.

    Lower-case words pass only when letter-spaced ("п о с т а н о в л е н и Е"): a prose line
    such as "решение Перовского районного суда" is a mention, not a heading.
    """
    for m in _HEADING.finditer(text, 0, limit):
        line_start = text.rfind("\n", 0, m.start()) + 1
        prefix = text[line_start:m.start()].strip()
        if len(prefix) > 60 or not _HEADING_PREFIX.fullmatch(prefix):
            continue
        raw = m.group(0)
        letters = _letters(raw)
        spaced = bool(re.search(rf"[{_L}]{_S}+[{_L}]{_S}", m.group("noun")))
        line_end = text.find("\n", m.end())
        rest = text[m.end():line_end if line_end >= 0 else len(text)].strip()
        if letters[0].islower() and not spaced and (prefix or re.match(rf"[{_L}]{{2,}}", rest)):
            continue            # "решение Перовского районного суда": a mention in prose
        if not letters.isupper() and not spaced and len(_clean(rest)) > 80:
            continue            # "Решение ... может быть обжаловано в ...": a sentence, not a heading
        # "П Р И Г О В О Р И Л" is the operative keyword, not a heading
        if spaced and re.match(rf"{_S}*[Ии]{_S}*[Лл]", text[m.end():m.end() + 6]):
            continue
        noun = _clean(_letters_spaced(m.group("noun"))).lower()
        kind = next(k for n, k in _NOUNS if n.replace(" ", "") == noun.replace(" ", ""))
        adj = _letters(m.group("adj") or "").lower() or None
        words = f"{adj} {noun}" if adj else noun
        return _Heading(kind, words[0].upper() + words[1:], adj, m.start(), m.end())
    return None


def _letters_spaced(value: str) -> str:
    """"С У Д Е Б Н Ы Й  П Р И К А З" -> "СУДЕБНЫЙ ПРИКАЗ": drop letter-spacing, keep word gaps."""
    words = re.split(rf"{_S}{{2,}}|\n+", value.strip()) if re.search(rf"[{_L}]{_S}[{_L}]{_S}", value) \
        else value.split()
    return " ".join(_letters(w) for w in words if _letters(w))


def _heading_block_end(text: str, heading: _Heading, limit: int) -> int:
    """Where the вводная часть starts: the first line after the heading that is not a subtitle."""
    pos = text.find("\n", heading.end)
    if pos < 0:
        return len(text)
    pos += 1
    while pos < limit:
        end = text.find("\n", pos)
        end = len(text) if end < 0 else end
        line = text[pos:end].strip()
        if line and not (len(line) <= 170 and (_SUBTITLE.fullmatch(line) or
                                               _letters(line).lower() == "именемроссийскойфедерации")):
            return pos
        pos = end + 1
    return min(pos, len(text))


# -- the parts ---------------------------------------------------------------------------------

def _keyword(stem: str) -> str:
    """"установил" with its endings (-а, -и) and colon: "У С Т А Н О В И Л А :"."""
    return rf"(?<![{_L}]){_sp(stem)}(?:{_S}{{0,3}}[аиАИ])?(?![{_L}])(?P<colon>{_S}*[:;])?"


_REASONING = re.compile(_keyword("установил"), re.I)
_OPERATIVE = re.compile("|".join(f"(?:{_keyword(s)})".replace("?P<colon>", f"?P<colon{i}>")
                                 for i, s in enumerate(("приговорил", "решил", "постановил", "определил"))),
                        re.I)
# Who speaks the keyword, when it shares its line: "УПК РФ, суд ПРИГОВОРИЛ:".
_SPEAKER = re.compile(r"(?:^|[,;]|\b(?:суд|судья|коллегия|президиум|я))\s*$", re.I)
# The signature closing the operative part.
_SIGNATURE = re.compile(
    rf"^{_S}*(?:[Ии]\.\s?[Оо]\.\s*)?(?:[Пп]редседательствующ(?:ий|ая)|Федеральный\s+судья|[Мм]ировой\s+судья|"
    rf"[СC]удь[яи]|СУДЬЯ|ПРЕДСЕДАТЕЛЬСТВУЮЩИЙ|Копия\s+верна|Подлинн\w+\s+за\s+надлежащей\s+подписью)(?![{_L}])"
    rf"(?P<rest>[^\n]*)$", re.M)


def _is_spaced(value: str) -> bool:
    return bool(re.search(rf"[{_L}]{_S}+[{_L}]", value))


def _keyword_ok(text: str, m: re.Match[str]) -> bool:
    """A keyword counts when it ends with a colon or stands alone on its line, and is not the tail
    of a letter-spaced longer word ("р а з р е ш и л")."""
    colon = any(v for k, v in m.groupdict().items() if k.startswith("colon"))
    line_start = text.rfind("\n", 0, m.start()) + 1
    line_end = text.find("\n", m.end())
    line_end = len(text) if line_end < 0 else line_end
    before = text[line_start:m.start()]
    if _is_spaced(m.group(0)) and re.search(rf"[{_L}]{_S}$", before) and \
            re.search(rf"(?:^|{_S})[{_L}]{_S}$", before):
        return False
    if colon:
        return True
    return not before.strip() and not text[m.end():line_end].strip()


def _speaker_ok(text: str, m: re.Match[str]) -> bool:
    line_start = text.rfind("\n", 0, m.start()) + 1
    return bool(_SPEAKER.search(text[line_start:m.start()]))


@dataclass
class RussianParts:
    """Offsets of the parts of one ruling; -1 where a part was not found."""

    heading: _Heading | None
    intro_start: int
    reasoning_start: int
    operative_start: int
    operative_end: int


def _first_content(text: str, pos: int = 0) -> int:
    m = re.compile(r"\S").search(text, pos)
    return m.start() if m else len(text)


def _rstrip_to(text: str, end: int, floor: int) -> int:
    while end > floor and text[end - 1].isspace():
        end -= 1
    return end


def find_parts(text: str) -> RussianParts:
    """Locate heading, "УСТАНОВИЛ:", the operative keyword and the signature."""
    reasoning = next((m for m in _REASONING.finditer(text) if _keyword_ok(text, m)), None)
    limit = reasoning.start() if reasoning else min(len(text), 6000)
    heading = _find_heading(text, limit)
    intro_start = _heading_block_end(text, heading, limit) if heading else _first_content(text)
    intro_start = min(intro_start, limit)
    if reasoning and reasoning.start() < intro_start:
        reasoning = None
    after = reasoning.end() if reasoning else intro_start
    candidates = [m for m in _OPERATIVE.finditer(text, after) if _keyword_ok(text, m)]
    spoken = [m for m in candidates if _speaker_ok(text, m)]
    # The court's own keyword is upper-case or spaced; a lower-case one may quote another act.
    strong = [m for m in spoken if m.group(0).isupper() or _is_spaced(m.group(0))]
    picked = strong or spoken or candidates[-1:]
    operative = picked[0] if picked else None
    op_start = operative.start() if operative else -1
    op_end = -1
    if operative:
        sign = next((m for m in _SIGNATURE.finditer(text, operative.end()) if len(_clean(m.group("rest"))) <= 100),
                    None)
        op_end = _rstrip_to(text, sign.start() if sign else len(text), operative.end())
    return RussianParts(heading, intro_start, reasoning.start() if reasoning else -1, op_start, op_end)


def find_sections(text: str, parts: RussianParts | None = None) -> list[Section]:
    """``intro``, ``reasoning`` and ``operative`` with exact offsets into ``text``.

    >>> t = "ПОСТАНОВЛЕНИЕ\\n5 мая 2017 года г. Ижевск\\nСудья ...\\nУСТАНОВИЛ:\\nфакты\\nПОСТАНОВИЛ:\\nштраф\\nСудья"
    >>> [(s.name, t[s.start:s.end]) for s in find_sections(t)]
    [('intro', '5 мая 2017 года г. Ижевск\\nСудья ...'), ('reasoning', 'УСТАНОВИЛ:\\nфакты'), ('operative', 'ПОСТАНОВИЛ:\\nштраф')]
    """
    p = parts or find_parts(text)
    sections: list[Section] = []
    intro_end = p.reasoning_start if p.reasoning_start >= 0 else p.operative_start
    if intro_end >= 0:
        end = _rstrip_to(text, intro_end, p.intro_start)
        if end > p.intro_start:
            sections.append(Section("intro", p.intro_start, end))
    if p.reasoning_start >= 0:
        end = p.operative_start if p.operative_start >= 0 else len(text)
        sections.append(Section("reasoning", p.reasoning_start, _rstrip_to(text, end, p.reasoning_start)))
    if p.operative_start >= 0:
        sections.append(Section("operative", p.operative_start, p.operative_end))
    return sections


# -- court -------------------------------------------------------------------------------------

_COURT_TYPES = (r"районн|городск|областн|краев|окружн|кассационн|апелляционн|межрайонн|гарнизонн|"
                r"военн|флотск|верховн|арбитражн|республиканск|конституционн|уставн|федеральн")
# Tail of a court name after "суд": seat, region, "общей юрисдикции". Each item is specific, so a
# judge's surname after the name ("суда г. Кирова Глушков А.С.") is never taken in.
_COURT_TAIL = (
    r"(?:\s+(?:(?:г\.|гор\.|города)\s?[А-ЯЁ][а-яё\-]+(?:(?:(?<=[еоы]го)|(?<=ых|ий|ый|ой|ие|ые))\s+[А-ЯЁ][а-яё\-]+)?"
    r"|[А-ЯЁ][а-яё\-]+(?:ой|ого|ей|ских|ий|ая)(?:\s+(?i:автономного))?\s+(?i:области|края|округа|района|"
    r"республики)(?:\s*[-–]\s*[А-ЯЁ][а-яё]+)?"
    r"|[Рр]еспублики\s+[А-ЯЁ][а-яё\-]+(?:\s*[-–]\s*[А-ЯЁ][а-яё]+|\s+\([А-ЯЁ][а-яё]+\))?"
    r"|(?i:общей\s+юрисдикции)|(?i:Российской\s+Федерации)|РФ|Москвы|Санкт-Петербурга|Севастополя"
    r"|(?:КБР|КЧР|РСО-Алания|РБ|РТ|РД|ЧР|УР|РМЭ|РК|ЯНАО|ХМАО(?:\s*-\s*Югры)?)(?![\w])"
    r"|<адрес>))*")
# "Газимуро-Заводского", "26 гарнизонного военного суда", "Советского райсуда" are court names too.
_ADJ_WORD = r"[А-ЯЁа-яё][а-яё]*(?:-[А-ЯЁа-яё][а-яё]*)*"
_COURT_NOM = re.compile(
    rf"(?<![{_L}\d])(?P<name>(?:\d{{1,3}}\s+)?(?:[А-ЯЁ][а-яё]*(?:-[А-ЯЁа-яё][а-яё]*)*(?:ий|ый|ой)\s+){{0,3}}"
    rf"(?:(?:(?i:{_COURT_TYPES})[а-яё]*(?:ий|ый|ой)\s+)(?:(?i:военный)\s+)?[Сс]уд|(?:рай|гор)суд)(?![{_L}])"
    rf"{_COURT_TAIL})")
_COURT_GEN = re.compile(
    rf"(?<![{_L}\d])(?P<name>(?:\d{{1,3}}\s+)?(?:{_ADJ_WORD}(?:ого|его)\s+){{0,3}}"
    rf"(?:(?:(?i:{_COURT_TYPES})[а-яё]*(?:ого|его)\s+)(?:(?i:военного)\s+)?[Сс]уда|(?:рай|гор)суда)(?![{_L}])"
    rf"{_COURT_TAIL})")
# Who the court is in the intro: "Судья Ленинского районного суда", "коллегия по уголовным делам
# Пятого кассационного суда", "Президиум Московского городского суда".
_COURT_SPEAKER = re.compile(
    r"(?:(?<![{L}])[Сс]удь[яи][\s:]+|коллеги[ия]\s+(?:по\s+[а-яё ]+?делам\s+)?|[Пп]резидиум\s+|"
    r"[Пп]редседател[ья]\s+)$"
    .replace("{L}", _L), re.I)
_MAGISTRATE = re.compile(
    rf"(?:[Ии]\.\s?[Оо]\.\s*)?[Мм]ирово(?:й|го)\s+судь[яи]\s+(?P<name>судебного\s+участка\s*№\s*\d+"
    rf"(?:\s+(?:[А-ЯЁ][а-яё\-]+(?:ого|ой|ского)\s+)?(?:района|округа|судебного\s+района))?{_COURT_TAIL})")
_PREPOSITION_BEFORE = re.compile(r"(?:^|\s)(?:в|во|на|через|из|от)\s*$", re.I)
_STRESSED = {"городского": "городской", "областного": "областной", "окружного": "окружной",
             "краевого": "краевой", "второго": "второй", "шестого": "шестой", "седьмого": "седьмой",
             "восьмого": "восьмой", "третьего": "третий", "заводского": "заводской",
             "мирового": "мировой"}
_GENERIC = re.compile(rf"^(?:{_COURT_TYPES}|суд|общей|юрисдикции|области|края|округа|района|"
                      r"автономного|города|судебного|участка|военн)", re.I)


def _adj_nominative(word: str) -> str:
    """"Центрального" -> "Центральный", "городского" -> "городской", "Газимуро-Заводского" ->
    "Газимуро-Заводский": only the ending changes, so the printed capitals stay."""
    low = word.lower()
    if low in _STRESSED:
        new = _STRESSED[low]
        return (new[0].upper() + new[1:]) if word[0].isupper() else new
    for old, ending in (("ьего", "ий"), ("его", "ий"), ("кого", "кий"), ("гого", "гий"), ("хого", "хий"),
                        ("ого", "ый")):
        if low.endswith(old):
            return word[:-len(old)] + ending
    return word


def _decap(text: str) -> str:
    """Upper-case lines in title case, same length: "ВЕРХОВНОГО СУДА" -> "Верховного Суда"."""
    def fix(m: re.Match[str]) -> str:
        line = m.group(0)
        letters = _letters(line)
        return line.title() if len(letters) >= 4 and letters.isupper() else line
    return re.sub(r"[^\n]+", fix, text)


_KEEP_CASE = {"рф": "РФ", "кбр": "КБР", "кчр": "КЧР", "рб": "РБ", "рт": "РТ", "рд": "РД", "чр": "ЧР",
              "ур": "УР", "рмэ": "РМЭ", "рк": "РК", "янао": "ЯНАО", "хмао": "ХМАО"}


def _recase(name: str) -> str:
    """Generic words in lower case after the first: "Пятый Кассационный Суд" -> "Пятый кассационный суд"."""
    words = name.split()
    out = words[:1]
    for word in words[1:]:
        low = word.lower()
        if low in _KEEP_CASE:
            out.append(_KEEP_CASE[low])
        elif _GENERIC.match(low):
            out.append(low)
        else:
            out.append(word)
    return " ".join(out)


def _finish_court(name: str) -> str | None:
    name = _REDACTED.sub(" ", name)
    name = _recase(_clean(name)).rstrip(" ,.")
    name = re.sub(r"(Верховн\w+)\s+суд", r"\1 Суд", name)
    return name[0].upper() + name[1:] if name else None


def _to_nominative(name: str) -> str:
    name = _clean(name)
    words = name.split()
    i = next(k for k, w in enumerate(words) if w.lower().endswith("суда"))
    head = [_adj_nominative(w) for w in words[:i]]
    return " ".join(head + [words[i][:-1]] + words[i + 1:])


def find_court(head: str) -> tuple[str | None, int]:
    """The court that gives the act, as a nominative name, and where the name ends in ``head``.

    >>> find_court("Судья Ленинского районного суда г. Кирова Глушков А.С., рассмотрев")[0]
    'Ленинский районный суд г. Кирова'
    >>> find_court("ПЯТЫЙ КАССАЦИОННЫЙ СУД\\n\\nОБЩЕЙ ЮРИСДИКЦИИ\\n\\n№ 77-655/2026")[0]
    'Пятый кассационный суд общей юрисдикции'
    """
    head = _decap(head)
    found: list[tuple[int, str, int]] = []
    for m in _COURT_NOM.finditer(head):
        if not _PREPOSITION_BEFORE.search(head[max(0, m.start() - 10):m.start()]):
            found.append((m.start(), _clean(m.group("name")), m.end()))
            break
    for m in _COURT_GEN.finditer(head):
        if _COURT_SPEAKER.search(head[max(0, m.start() - 60):m.start()]):
            found.append((m.start(), _to_nominative(m.group("name")), m.end()))
            break
    if magistrate := _MAGISTRATE.search(head):
        found.append((magistrate.start(), "Мировой судья " + _clean(magistrate.group("name")),
                      magistrate.end()))
    if not found:
        return None, -1
    _, name, end = min(found)
    return _finish_court(name), end


# -- judge -------------------------------------------------------------------------------------

_NAME = (rf"(?:[А-ЯЁ][а-яё]+(?:-[А-ЯЁ][а-яё]+)?{_S}*[А-ЯЁ]\.{_S}?[А-ЯЁ]\.?"
         rf"|[А-ЯЁ]\.{_S}?[А-ЯЁ]\.{_S}?[А-ЯЁ][а-яё]+(?:-[А-ЯЁ][а-яё]+)?"
         rf"|[А-ЯЁ][а-яё]+(?:-[А-ЯЁ][а-яё]+)?{_S}+[А-ЯЁ][а-яё]+{_S}+[А-ЯЁ][а-яё]+(?:вич|вн|ич|кызы|оглы)[а-яё]*)")
_NAME_RE = re.compile(rf"(?P<name>{_NAME})(?![{_L}])")
# What introduces the presiding judge in the intro; a redaction right after it means "unknown".
_JUDGE_TRIGGERS = re.compile(
    r"председательствующ\w*(?:[\s:,\-–—]+(?:федерального\s+)?судь[ия])?|"
    r"под\s+председательством(?:\s+судьи)?|"
    r"в\s+составе[\s:]*(?:федерального\s+|мирового\s+)?судьи|"
    r"(?<![\w])(?:федеральный\s+|мировой\s+)?[Сс]удья(?![\w])",
    re.I)
_JUNK_NAMES = re.compile(r"^(?:Российской|Федерации|Именем|Суд|Судья)\b")


def _name_after(text: str, pos: int) -> tuple[str | None, bool]:
    """The name right after ``pos`` (blanks, colon, dash allowed), and whether a redaction stood there."""
    m = re.compile(r"[\s:,\-–—]*").match(text, pos)
    at = m.end() if m else pos
    if _REDACTED.match(text, at):
        return None, True
    name = _NAME_RE.match(text, at)
    if name and not _JUNK_NAMES.match(name.group("name")):
        return _clean(name.group("name")), False
    return None, False


def find_judge(text: str, head_start: int, head_end: int, court_end: int,
               signature: str) -> str | None:
    """The presiding judge as printed ("Ищенко А.В."), or None; never a redaction marker."""
    if 0 <= court_end <= head_end:
        name, _ = _name_after(text, court_end)
        if name:
            return name
    for m in _JUDGE_TRIGGERS.finditer(text, head_start, head_end):
        at = m.end()
        court = _COURT_GEN.match(_decap(text[at:at + 200]).lstrip(" \t\u00a0:"))
        if court:
            at += len(text[at:at + 200]) - len(text[at:at + 200].lstrip(" \t\u00a0:")) + court.end()
        name, redacted = _name_after(text, at)
        if name:
            return name
        if redacted and m.group(0).lower().startswith(("председател", "под", "в")):
            break
    sign = re.search(rf"(?:Председательствующ\w*|Судья)(?:{_S}+судья)?[\s:]+(?:подпись\s+)?(?P<name>{_NAME})",
                     signature)
    return _clean(sign.group("name")) if sign else None


# -- date, place, numbers ----------------------------------------------------------------------

_CITY = re.compile(rf"(?<![{_L}])(?:г\.|гор\.|город)\s?(?P<city>[А-ЯЁ][а-яё]+(?:-[А-Яа-яЁё]+)*"
                   rf"(?:(?<=ий|ый|ой|ая|ие|ые|ев|ов|ин){_S}+[А-ЯЁ][а-яё]+)?)(?![{_L}])")
_HEAD_LINE = re.compile(
    rf"(?:.{{0,25}}(?:\d{{4}}|ДД\.ММ\.ГГГГ|<[^>]{{1,20}}>|\*\* \*\* \*\*)|(?:г\.|гор\.|город|ст\.|с\.|п\.|пос\.|"
    rf"станица|село|поселок|посёлок)\s?[А-ЯЁ<]|(?:дело|№|уид)|<адрес>|[А-ЯЁ][а-яё\-]+$|"
    rf"(?:президиум|судебная\s+коллегия|[А-ЯЁ][а-яё]+(?:ий|ый|ой)\s+[а-яё]+\s+суд)[^\n]{{0,70}}$)", re.I)
_REDACTED_DATE = re.compile(r"ДД\.ММ\.ГГГГ|<[Дд]ата[^>]*>|\{[Дд]ата[^}]*\}|\*\* \*\* \*\*|\bдата\b\.?")
_CASE_NO = re.compile(
    r"(?:№|(?<![\w])[Дд]ело(?![\w])|(?<![\w])ДЕЛО(?![\w]))[ \t\u00a0]*№?[ \t\u00a0]*"
    # an arbitrazh number keeps what the Moscow court prints after the year: the judge's and
    # the composition's numbers ("А40-5590/23-99-47")
    r"(?P<num>(?:[АA]\d{2}|СИП)[ \t\u00a0]*[-–—][ \t\u00a0]*\d{1,7}[ \t\u00a0]*/[ \t\u00a0]*(?:19|20)?\d{2}"
    r"(?:-\d{1,5}){0,3}(?![\d/-])"
    r"|(?:\d{1,3}[а-яёa-z]{0,2}(?:/\d{1,3})?)[ \t\u00a0]*[-–—][ \t\u00a0]*\d{1,7}"
    r"(?:/\d{1,2})?[ \t\u00a0]*/[ \t\u00a0]*(?:19|20)?\d{2})(?![\d/])")
# УИД: region, court type (RS general, MS magistrates, GV garrison...), court, instance, year, id.
_UID = re.compile(r"(?<![\w\-])\d{2}[A-ZА-Я]{2}\d{4}-\d{2}-\d{4}-\d{6}-\d{2}(?![\w])")
# Case-number prefixes of higher instances, so an appeal's own number comes first.
_APPEAL_PREFIX = re.compile(r"^(?:33|22|21|12|7|11)[а-яa-z]?-")
_CASSATION_PREFIX = re.compile(r"^(?:88|77|16|7у|8г|4г|4у|4а|44)[а-яa-z]?-")


def find_uid(text: str) -> str | None:
    """The УИД of the case (its identifier across instances), or None.

    >>> find_uid("УИД 77RS0020-02-2025-007285-88 Дело № 88-14715/2026")
    '77RS0020-02-2025-007285-88'
    """
    m = _UID.search(text)
    return m.group(0) if m else None


def _head_lines_end(text: str, start: int, limit: int) -> int:
    """End of the place-and-date lines that follow ``start`` ("05 июня 2026 года г. Киров")."""
    pos = start
    seen = 0
    while pos < limit and seen < 8:
        end = text.find("\n", pos)
        end = limit if end < 0 or end > limit else end
        line = text[pos:end].strip()
        if line:
            if len(_clean(line)) > 90 or not _HEAD_LINE.match(_clean(line)):
                return pos
            seen += 1
        pos = end + 1
    return min(pos, limit)


def _date_in(text: str, start: int, end: int, need_context: bool) -> tuple[str | None, bool]:
    """First date of the act in ``text[start:end]``: not "от <date>" (another act), not a birth date.

    Returns (iso or None, whether a redacted date came first).
    """
    chunk = text[start:end]
    redacted = _REDACTED_DATE.search(chunk)
    for d in DATES.find(chunk):
        before = chunk[max(0, d.start - 40):d.start]
        after = chunk[d.end:d.end + 30]
        if re.search(r"(?:\bот|\bс|\bпо|\bдо|№)\s*$", before) or re.match(r"\s*(?:года\s+|г\.\s*)?рождени", after):
            continue
        if need_context and not re.search(r"рассмотре\w*|заседани\w*", chunk[max(0, d.start - 150):d.start]):
            continue
        if redacted and redacted.start() < d.start:
            return None, True
        return d.iso, False
    return None, bool(redacted)


def _case_numbers(zone: str, instance: str | None) -> list[str]:
    out: list[str] = []
    for m in _CASE_NO.finditer(zone):
        num = re.sub(r"[ \t\u00a0]", "", m.group("num"))
        num = re.sub(r"[–—]", "-", num)
        if num not in out:
            out.append(num)
    prefix = {"appeal": _APPEAL_PREFIX, "cassation": _CASSATION_PREFIX}.get(instance or "")
    if prefix:
        out.sort(key=lambda n: 0 if prefix.match(n) else 1)
    return out


# -- instance ----------------------------------------------------------------------------------

def _instance(heading: _Heading | None, court: str | None, intro: str) -> str | None:
    adj = heading.adjective if heading else None
    for stem, inst in (("апелляц", "appeal"), ("кассац", "cassation"), ("надзор", "supervisory")):
        if adj and adj.startswith(stem):
            return inst
    low = intro[:4000].lower()
    if court and "кассационный суд" in court.lower():
        return "cassation"
    if re.search(r"кассационн\w+\s+(?:жалоб|представлени)|рассмотре\w*\s+в\s+кассационном\s+порядке", low):
        return "cassation"
    if re.search(r"надзорн\w+\s+(?:жалоб|представлени)|в\s+порядке\s+надзора", low):
        return "supervisory"
    if court and "апелляционный суд" in court.lower():
        return "appeal"
    if re.search(r"апелляционн\w+\s+(?:жалоб|представлени)|частн\w+\s+жалоб|"
                 r"рассмотре\w*\s+в\s+апелляционном\s+порядке", low):
        return "appeal"
    kind = heading.kind if heading else None
    # КоАП ch. 30: a judge reviewing "жалобу ... на постановление" sits as the second instance
    if re.search(r"жалоб\w*[^.]{0,250}?на\s+(?:постановлени|решени|определени|приговор)", low):
        return "appeal"
    if kind in {"ru_sentence", "ru_decision"}:
        return "first"
    if kind == "ru_ruling" and re.search(
            r"(?:дел|материал)\w*\s+об\s+административн\w*\s+правонарушени|протокол\w*\s+об\s+административн|"
            r"(?:административн\w+\s+правонарушени\w*|коап)[^.]{0,200}?в\s+отношении|"
            r"административн\w+\s+(?:дел|материал)|уголовн\w+\s+дел\w*\s+(?:№\s*\S+\s+)?(?:в\s+отношении|"
            r"по\s+обвинению)|исков\w+\s+заявлени|по\s+иску|материал\w*\s+дела\s+в\s+отношении", low):
        return "first"
    return None


# -- charges, outcome, awards, penalties, accused ----------------------------------------------

_CHARGE_TRIGGER = re.compile(
    r"предусмотренн\w+|(?:осужден|осуждён|обвиняем|привлекаем)\w*\s+(?:по|за)\s|виновн\w+\s+по\s", re.I)
_CHARGE_STOP = re.compile(r";|\n|\.\s+[А-ЯЁ]|\bи\s+назначить|\bназначить\b|\bи\s+(?:ему|ей|им)\b")


def _is_offence(key: str) -> bool:
    """Charges are offences: the special part of the УК (ст. 105 on) with attempt and complicity
    (ст. 30, 33), and the КоАП chapters on offences (ст. 5.1–21.x). Sentencing rules (ст. 64, 73 УК),
    procedure (ст. 25.1 УПК, 30.1 КоАП) and civil provisions are applied, not charged.

    >>> [_is_offence(k) for k in ("УК:286:3:а", "УК:30:3", "УК:73", "КоАП:20.2:5", "КоАП:30.1", "ГК:151")]
    [True, True, False, True, False, False]
    """
    code, article = key.split(":")[:2]
    digits = re.match(r"\d+", article)
    major = int(digits.group(0)) if digits else 0
    if code == "УК":
        return major >= 105 or major in {30, 33}
    if code == "КоАП":
        return 5 <= major <= 21
    return False


def _charges(regions: list[str]) -> list[Charge]:
    keys: list[str] = []
    for region in regions:
        for m in _CHARGE_TRIGGER.finditer(region):
            window = region[m.end():m.end() + 400]
            stop = _CHARGE_STOP.search(window, 5)
            window = window[:stop.start()] if stop else window
            for e in find_code_provisions(window):
                if e.key and _is_offence(e.key) and e.key not in keys:
                    keys.append(e.key)
    return [_charge_from_key(k) for k in keys]


def _charge_from_key(key: str) -> Charge:
    """``УК:286:3:а`` -> Charge; a single part after the article is a part if numeric, else a point."""
    code, article, *rest = key.split(":")
    if len(rest) >= 2:
        return Charge(code, article, rest[0], rest[1])
    if rest:
        return Charge(code, article, rest[0], None) if rest[0].isdigit() else Charge(code, article, None, rest[0])
    return Charge(code, article)


def _outcome(kind: str, instance: str | None, operative: str, intro: str) -> str | None:
    low = re.sub(r"\s+", " ", operative.lower())
    if instance in {"appeal", "cassation", "supervisory"}:
        # One sentence at a time: "от 6 октября 2025 г. отменить" and "Пересыпкина А.В. отменить"
        # hold dots that are not sentence ends.
        sentences = [re.sub(r"\s+", " ", x.lower()) for x in _SENTENCE_SPLIT.split(operative)]
        acts = r"(?:приговор|решение|постановление|определение)"
        changed = any(re.search(rf"{acts}.{{0,500}}?(?<![а-я])изменить", x) for x in sentences)
        quashed = any(re.search(rf"{acts}.{{0,500}}?(?<![а-я])отменить", x) for x in sentences)
        kept = re.search(r"оставить\s+без\s+изменения", low)
        if changed:
            return "modified"
        if quashed:
            return "modified" if kept or "в остальной части" in low else "overturned"
        if kept:
            return "upheld"
        return None
    if kind == "ru_decision" or (kind == "ru_ruling" and re.search(r"исков|истц", intro.lower())):
        if re.search(r"удовлетворить\s+частично|частично\s+удовлетворить", low):
            return "claim_granted_in_part"
        sentences = [re.sub(r"\s+", " ", x.lower()) for x in _SENTENCE_SPLIT.split(operative)]
        refused = any(re.search(r"отказать\s+в\s+удовлетворении|в\s+удовлетворении.{0,300}?отказать", x)
                      for x in sentences)
        granted = re.search(r"(?<![а-я])удовлетворить|(?<![а-я])взыскать|признать\s+незаконн|(?<![а-я])обязать|"
                            r"восстановить", low)
        if refused and granted:
            return "claim_granted_in_part"
        if refused:
            return "claim_rejected"
        if granted:
            return "claim_granted" if kind == "ru_decision" else None
        return None
    if kind in {"ru_sentence", "ru_ruling", "ru_other"}:
        head = low[:3000]
        sentences = [re.sub(r"\s+", " ", x.lower()) for x in _SENTENCE_SPLIT.split(operative[:3000])]
        if any(re.search(r"(?<![а-я])признат\w*.{0,200}?(?<!не)виновн|(?<![а-я])виновн\w+\s+в\s+совершении", x)
               for x in sentences):
            return "convicted"
        if any(re.search(r"(?<![а-я])оправдать|признат\w*.{0,200}?невиновн", x) for x in sentences):
            return "acquitted"
        if re.search(r"(?<![а-я])прекратить", head) and (kind != "ru_other"):
            return "terminated"
        if kind == "ru_ruling" and re.search(r"назначить\s+[^.]{0,80}?наказани", head):
            return "convicted"
    return None


_AWARD_HEADS = (
    ("non_pecuniary", re.compile(r"морал", re.I)),
    ("costs", re.compile(r"представител|судебн\w+\s+расход|юридическ\w+\s+(?:услуг|помощ)|государственн\w+\s+"
                         r"пошлин|расход\w*\s+по\s+уплате|издержк|расход\w*\s+на\s+оплату", re.I)),
    # Money the claimant lost: damage, and what the defendant owed and withheld (wages, average
    # earnings for a forced absence, compensation for their delay, penalties, interest).
    ("pecuniary", re.compile(r"материальн|ущерб|убытк|имуществен|заработн|заработ(?:ок|к)|задержк\w*\s+выплат|"
                             r"неустойк|пособи|процент\w*\s+за\s+пользовани", re.I)),
)
#: A sum followed by the day interest starts to run on it ("компенсацию за задержку выплат ...
#: в размере 63 840,52 рублей, начиная с 19 августа 2025 г., в размере 1/150 ключевой ставки
#: за каждый день") is the base of a running award, not a sum awarded.
_RUNNING_BASE = re.compile(r"\s*,?\s*(?:начиная\s+с|по\s+день\s+фактическ|за\s+каждый\s+день)", re.I)
def _awards(operative: str) -> list[Award]:
    out: list[Award] = []
    for sentence in _SENTENCE_SPLIT.split(operative):
        if not re.search(r"взыска", sentence, re.I):
            continue
        money = find_money(sentence)
        prev = 0
        for e in money:
            segment = sentence[prev:e.start]
            prev = e.end
            if re.search(r"в\s+доход|штраф", segment, re.I) or _RUNNING_BASE.match(sentence, e.end):
                continue
            head = next((h for h, rx in _AWARD_HEADS if rx.search(segment)), "other")
            currency, amount = (e.key or "").split(" ")
            out.append(Award(float(amount), currency, head, _clean(sentence[max(0, e.start - 120):e.end])))
    return out


_NUMBER_WORDS = {
    "од": 1, "дв": 2, "тр": 3, "четыр": 4, "пят": 5, "шест": 6, "сем": 7, "восем": 8, "восьм": 8,
    "девят": 9, "десят": 10, "одиннадцат": 11, "двенадцат": 12, "тринадцат": 13, "четырнадцат": 14,
    "пятнадцат": 15, "шестнадцат": 16, "семнадцат": 17, "восемнадцат": 18, "девятнадцат": 19,
    "двадцат": 20,
}
_NUM = r"(?:\d{1,2}|[а-яё]{3,14})"
_GLOSS = rf"(?:{_S}*(?:\([^()\d]{{1,30}}\)|/[^/\d]{{1,30}}/))?"
_TERM = re.compile(
    rf"(?<![\d{_L}])(?:(?P<y>{_NUM}){_GLOSS}\s*(?P<yw>год(?:а|у)?|лет)(?![{_L}])"
    rf"(?:\s*(?:и\s+)?(?P<m>{_NUM}){_GLOSS}\s*месяц\w*)?|(?P<m2>{_NUM}){_GLOSS}\s*месяц\w*"
    rf"|(?P<half>полутора|полтора)\s+(?:года|лет))", re.I)


def _number(word: str | None) -> int | None:
    if not word:
        return None
    if word.isdigit():
        return int(word)
    low = word.lower()
    if low in {"один", "одного", "одному", "одним", "одном"}:
        return 1
    for stem, value in sorted(_NUMBER_WORDS.items(), key=lambda kv: -len(kv[0])):
        if low.startswith(stem) and stem != "од":
            return value
    return None


def _months(m: re.Match[str]) -> int | None:
    if m.group("half"):
        return 18
    years = _number(m.group("y"))
    months = _number(m.group("m") or m.group("m2"))
    if m.group("y") and years is None or (m.group("m") or m.group("m2")) and months is None:
        return None
    return (years or 0) * 12 + (months or 0)


def _term_near(clause: str, start: int, end: int) -> tuple[int | None, str] | None:
    """A term right after ``end`` ("сроком на 2 (два) года") or right before ``start``."""
    after = re.compile(rf"[\s,]*(?:сроком|на\s+срок|срок)?\s*(?:на|в)?\s*").match(clause, end)
    m = _TERM.match(clause, after.end()) if after else None
    if m and _months(m) is not None:
        return _months(m), m.group(0)
    for m in _TERM.finditer(clause, max(0, start - 70), start):
        gap = clause[m.end():start]
        if len(gap) <= 25 and not re.search(r"[.;]", gap) and _months(m) is not None:
            return _months(m), m.group(0)
    return None


_FINAL = re.compile(r"окончательн", re.I)
_AGGREGATE = re.compile(r"совокупност|сложени|поглощени", re.I)


def _imprisonment(clauses: list[str]) -> list[dict[str, Any]]:
    """Prison terms, keeping what the person is to serve: a term for one count is dropped once a
    later clause aggregates the counts ("по совокупности преступлений путем частичного сложения"),
    and every earlier term once one is called final ("окончательно назначить"). Each entry keeps
    its place (``_at``: clause, offset) so a later "считать условным" can find it."""
    out: list[dict[str, Any]] = []
    pending: list[tuple[bool, dict[str, Any]]] = []
    for index, clause in enumerate(clauses):
        if re.search(r"исполнять\s+самостоятельно", clause, re.I):
            continue            # an earlier sentence, kept apart from this one
        prev = 0
        for m in re.finditer(r"лишени[еяю]\s+свободы", clause, re.I):
            term = _term_near(clause, m.start(), m.end())
            context = clause[prev:m.end() + 40]
            prev = m.end()
            if not term:
                continue
            entry = {"type": "imprisonment", "months": term[0], "amount": None,
                     "text": _clean(clause[max(0, m.start() - 60):m.end() + 60]), "_at": (index, m.start())}
            last = (out + [e for _, e in pending])[-1:]
            if re.search(r"считать\s+условн|условн\w*\s+с\s+испытательн", context, re.I) and last and \
                    last[0]["months"] == term[0]:
                continue        # "назначенное наказание ... считать условным" restates the term
            if _FINAL.search(context):
                out.append(entry)
                pending = []
            elif _AGGREGATE.search(context):
                pending = [(True, e) for agg, e in pending if agg] + [(True, entry)]
            else:
                pending.append((False, entry))
    return out + [e for _, e in pending]


def _suspend(prison: list[dict[str, Any]], clauses: list[str]) -> list[dict[str, Any]]:
    """Apply "считать условным с испытательным сроком 2 года" (ст. 73 УК) to the prison term
    before it: that term becomes ``suspended`` and carries ``probation_months``."""
    out: list[dict[str, Any]] = []
    for index, clause in enumerate(clauses):
        for m in re.finditer(r"условн\w*[^.;]{0,60}?испытательн\w*\s+срок\w*", clause, re.I):
            term = _term_near(clause, m.start(), m.end())
            before = [p for p in prison if p["type"] == "imprisonment" and p["_at"] <= (index, m.start())]
            if before:
                entry = before[-1]
                entry["type"] = "suspended"
            else:
                entry = {"type": "suspended", "months": None, "amount": None, "text": "", "_at": (index, m.start())}
                out.append(entry)
            entry["probation_months"] = term[0] if term else None
            entry["text"] = _clean(f"{entry['text']} {m.group(0)} {term[1] if term else ''}")
    return out


def _penalties(operative: str) -> list[Penalty]:
    clauses = _SENTENCE_SPLIT.split(operative)
    out: list[dict[str, Any]] = _imprisonment(clauses)
    out += _suspend(out, clauses)
    for index, clause in enumerate(clauses):
        for m in re.finditer(r"(?<!без\s)(?<![а-я])(?:(?P<judicial>судебн\w+\s+)?штраф\w*)", clause, re.I):
            if re.search(r"без\s+$", clause[max(0, m.start() - 5):m.start()]):
                continue
            money = find_money(clause[m.end():m.end() + 160])
            before = [e for e in find_money(clause[max(0, m.start() - 80):m.start()])
                      if not clause[max(0, m.start() - 80):m.start()][e.end:].strip()]
            if money and not re.search(r";|\.\s+[А-ЯЁ]|\bштраф", clause[m.end():m.end() + money[0].start]):
                e, at = money[0], m.end()
            elif before:        # "в виде 1000 (одной тысячи) рублей штрафа"
                e, at = before[-1], max(0, m.start() - 80)
            else:
                continue
            if re.search(r"неуплат|двукратн|не\s+менее|взыск", clause, re.I) or \
                    re.match(r"\s*(?:Сумм\w+\s+)?(?:административн\w+\s+)?[Шш]траф", clause):
                continue        # the warning about non-payment, or a civil award, not a penalty
            amount = float((e.key or " 0").split(" ")[1])
            entry = {"type": "other" if m.group("judicial") else "fine", "months": None, "amount": amount,
                     "text": _clean(clause[min(m.start(), at + e.start):max(m.end(), at + e.end)]),
                     "_at": (index, m.start())}
            if not any(p["type"] == entry["type"] and p["amount"] == amount and p["text"] == entry["text"]
                       for p in out):
                out.append(entry)
        for m in re.finditer(r"(?<!без\s)(?:ограничени[яею]\s+свободы|обязательн\w+\s+работ|исправительн\w+\s+"
                             r"работ|принудительн\w+\s+работ|административн\w+\s+арест\w*)", clause, re.I):
            if re.search(r"без\s*$", clause[max(0, m.start() - 5):m.start()]):
                continue
            term = _term_near(clause, m.start(), m.end())
            days = re.match(r"[\s,]*(?:сроком|на\s+срок)?\s*(?:на\s+)?(\d+|[а-яё]+)\s*(?:\([^)]*\)\s*)?"
                            r"(?:сут|час)", clause[m.end():], re.I)
            if term or days:
                out.append({"type": "other", "months": term[0] if term else None, "amount": None,
                            "text": _clean(clause[m.start():m.end() + 50]), "_at": (index, m.start())})
    out.sort(key=lambda p: p["_at"])
    return [Penalty(type=p["type"], months=p["months"], amount=p["amount"], text=p["text"],
                    probation_months=p.get("probation_months")) for p in out]


_INITIALS = rf"[А-ЯЁ]\.(?:-[А-ЯЁ]\.)?{_S}?[А-ЯЁ]\.?"
_ACCUSED_NAME = (rf"(?:[А-ЯЁ][а-яё]+(?:-[А-ЯЁ][а-яё]+)?{_S}+[А-ЯЁ][а-яё]+{_S}+[А-ЯЁ][а-яё]+"
                 rf"(?:вич|вн|ич|кызы|оглы|ыз)[а-яё]*"
                 rf"|[А-ЯЁ][а-яё]+(?:-[А-ЯЁ][а-яё]+)?{_S}*{_INITIALS}"
                 rf"|[А-ЯЁ]\.{_S}?[А-ЯЁ]\.{_S}?[А-ЯЁ][а-яё]+"
                 # a surname whose given names were redacted: "Матвеева ФИО6"
                 rf"|[А-ЯЁ][а-яё]+(?:-[А-ЯЁ][а-яё]+)?(?={_S}+ФИО\d))")
_ACCUSED_LIST = re.compile(rf"(?P<names>{_ACCUSED_NAME}(?:\s*(?:,|\bи\b)\s*{_ACCUSED_NAME})*)")
_ACCUSED_TRIGGER = re.compile(
    r"(?<![а-яё])(?:подсудим(?:ого|ой|ых|ая|ый|ые)|в\s+отношении(?:\s+(?:гражданина|гражданки|подсудимого|"
    r"подсудимой|обвиняемого|обвиняемой|осужденного|осужденной))?|привлекаемо(?:го|й)\s+к\s+административной\s+"
    r"ответственности|осужденн?(?:ого|ой|ых)|по\s+обвинению|производство\s+по\s+делу\s+об\s+административном\s+"
    r"правонарушении)[\s:,\-–—]*(?:(?:<[^<>\n]{1,30}>|\.\.\.|…)[\s,]*)?", re.I)
_CONVICT = re.compile(rf"(?:признать|[Пп]ризнать)\s+(?P<names>{_ACCUSED_NAME})\s*,?\s*(?:не)?виновн", re.I)


def _stem(name: str) -> str:
    """The surname, lower-cased, without its case ending: "Мышанского С.И." -> "мышанск"."""
    words = [w for w in re.findall(rf"[{_L}]+", name) if len(w) > 1 and not re.fullmatch(r"ФИО", w)]
    if not words:
        return name.lower()
    word = words[-1] if re.match(r"\s*[А-ЯЁ]\.", name) else words[0]
    word = word.lower()
    return word[:max(3, len(word) - 3)]


def _accused(intro: str, operative: str) -> list[str]:
    found: list[str] = []
    stems: set[str] = set()

    def add(value: str) -> None:
        for name in re.split(r"\s*(?:,|\bи\b)\s*", value):
            name = _clean(name)
            if not name or _REDACTED.search(name) or _JUNK_NAMES.match(name):
                continue
            stem = _stem(name)
            if not any(stem.startswith(s) or s.startswith(stem) for s in stems):
                stems.add(stem)
                found.append(name)

    for m in _ACCUSED_TRIGGER.finditer(intro):
        names = _ACCUSED_LIST.match(intro, m.end())
        if names:
            add(names.group("names"))
    for m in _CONVICT.finditer(operative):
        add(m.group("names"))
    return found


# -- title -------------------------------------------------------------------------------------

# The noun a court's name is built on, and its genitive.
_HEAD_NOUNS = {"суд": "суда", "райсуд": "райсуда", "горсуд": "горсуда", "судья": "судьи",
               "коллегия": "коллегии", "президиум": "президиума"}
# Words that open a court's name in the nominative but are common words inside a title
# ("Районный суд КБР", printed where the court's own name is redacted).
_LOWER_IN_TITLE = {"мировой", "судебная", "районный", "городской", "межрайонный"}


def _adj_genitive(word: str, feminine: bool) -> str | None:
    """"Ленинский" -> "Ленинского", "Верх-Исетский" -> "Верх-Исетского", "Третий" ->
    "Третьего", "Судебная" -> "Судебной"; None for a word that is not such an adjective."""
    head, dash, last = word.rpartition("-")
    low = last.lower()
    endings: tuple[tuple[str, str], ...]
    if feminine:
        endings = (("ая", "ой"), ("яя", "ей"))
    elif low == "третий":
        return f"{head}{dash}{last[:-2]}ьего"
    else:
        soft = "его" if len(low) > 2 and low[-3] not in "кгхжшчщ" else "ого"
        endings = (("ый", "ого"), ("ой", "ого"), ("ий", soft))
    for old, new in endings:
        if low.endswith(old) and len(low) > len(old) + 1:
            return f"{head}{dash}{last[:-len(old)]}{new}"
    return None


def court_genitive(court: str) -> str | None:
    """A court's name (nominative, as the record keeps it) after the act it gives, or None
    when the name is not built as the parser knows (adjectives, then the court's noun).

    >>> court_genitive("Ленинский районный суд г. Кирова")
    'Ленинского районного суда г. Кирова'
    >>> court_genitive("Мировой судья судебного участка № 3 Ленинского района")
    'мирового судьи судебного участка № 3 Ленинского района'
    >>> court_genitive("Третий кассационный суд общей юрисдикции")
    'Третьего кассационного суда общей юрисдикции'
    >>> court_genitive("Суд по интеллектуальным правам"), court_genitive("Президиум") is None
    ('Суда по интеллектуальным правам', True)
    """
    words = court.split()
    at = next((k for k, w in enumerate(words) if w.lower() in _HEAD_NOUNS), None)
    if at is None or at == len(words) - 1 and words[at].lower() == "президиум":
        return None
    noun = words[at]
    out: list[str] = []
    for word in words[:at]:
        if word.isdigit():
            out.append(word)
            continue
        genitive = _adj_genitive(word, feminine=noun.lower() == "коллегия")
        if genitive is None:
            return None
        out.append(genitive.lower() if word.lower() in _LOWER_IN_TITLE else genitive)
    genitive_noun = _HEAD_NOUNS[noun.lower()]
    if noun[0].isupper() and words[0].lower() not in _LOWER_IN_TITLE:
        genitive_noun = genitive_noun.capitalize()  # "Верховного Суда", "Суда по ..."
    return " ".join([*out, genitive_noun, *words[at + 1:]])


def ruling_title(words: str, court: str | None, date: str | None, number: str | None) -> str:
    """The title of a Russian act: its printed name, the court, the date and the case number,
    as Russian lawyers cite an act, so that two rulings of one kind never share a bare
    "Постановление". Parts the act does not print are left out.

    >>> ruling_title("Постановление", "Ленинский районный суд г. Кирова", "2020-03-12", "5-1/2020")
    'Постановление Ленинского районного суда г. Кирова от 12 марта 2020 г. по делу № 5-1/2020'
    >>> ruling_title("Апелляционное определение", None, None, "33-1234/2019")
    'Апелляционное определение по делу № 33-1234/2019'

    A court name the parser cannot put in the genitive is given as printed, in brackets:

    >>> ruling_title("Решение", "Президиум", "2021-06-01", None)
    'Решение (Президиум) от 1 июня 2021 г.'
    """
    parts = [words]
    if court:
        parts.append(court_genitive(court) or f"({court})")
    if date and (found := re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})", date)) and 1 <= int(found.group(2)) <= 12:
        year, month, day = (int(x) for x in found.groups())
        parts.append(f"от {day} {MONTHS['ru'][month - 1]} {year} г.")
    if number:
        parts.append(f"по делу № {number}")
    return " ".join(parts)


# -- the whole ---------------------------------------------------------------------------------

def _meta_court(meta: dict[str, Any]) -> str | None:
    for key in ("court", "title"):
        value = meta.get(key)
        if isinstance(value, str) and (_COURT_NOM.fullmatch(_clean(value)) or
                                       re.fullmatch(r"[Мм]ировой судья .{3,120}", _clean(value))):
            return _clean(value)
    return None


def parse_russian(text: str, meta: dict[str, Any] | None = None) -> Judgment:
    """The structure of a Russian court act: kind, instance, court, date, judge, parts, outcome.

    ``meta`` is the source's metadata (a sudrf page's ``title`` is the court's name); the text wins
    where both speak, except for the court, which the page states in the nominative.

    >>> j = parse_russian("АПЕЛЛЯЦИОННОЕ ОПРЕДЕЛЕНИЕ\\n12 мая 2021 года г. Самара\\nСудебная коллегия по "
    ...     "гражданским делам Самарского областного суда в составе председательствующего Сивохина Д.А.,"
    ...     "\\nрассмотрела апелляционную жалобу\\nУСТАНОВИЛА:\\n...\\nОПРЕДЕЛИЛА:\\nрешение оставить без "
    ...     "изменения, апелляционную жалобу – без удовлетворения.\\nПредседательствующий")
    >>> (j.kind, j.instance, j.court, j.judge, j.outcome)
    ('ru_ruling', 'appeal', 'Самарский областной суд', 'Сивохина Д.А.', 'upheld')
    """
    meta = meta or {}
    parts = find_parts(text)
    sections = find_sections(text, parts)
    by_name = {s.name: s for s in sections}
    heading = parts.heading
    # without "УСТАНОВИЛ:" the intro is bounded by the operative keyword, or kept short: the appeal
    # notice at the end of every act ("может быть обжаловано в апелляционном порядке") is no cue
    fallback_end = parts.operative_start if parts.operative_start > parts.intro_start else parts.intro_start + 1500
    intro_end = by_name["intro"].end if "intro" in by_name else min(len(text), fallback_end)
    head_end = max(intro_end, parts.intro_start)
    head = text[:head_end]
    intro = text[parts.intro_start:head_end]
    operative = text[by_name["operative"].start:by_name["operative"].end] if "operative" in by_name else ""
    signature = text[parts.operative_end:] if parts.operative_end >= 0 else text[-600:]

    j = Judgment(kind=heading.kind if heading else "ru_other")
    court, court_end = find_court(head)
    j.court = _meta_court(meta) or court
    j.instance = _instance(heading, j.court, intro)

    head_from = heading.end if heading else parts.intro_start
    place_end = _head_lines_end(text, parts.intro_start, head_end)
    pre = text[:place_end]
    j.date, redacted = _date_in(text, 0, place_end, need_context=False)
    if j.date is None and not redacted:
        j.date = _date_in(text, parts.intro_start, head_end, need_context=True)[0]
    if j.date is None and not redacted and isinstance(meta.get("date"), str):
        iso = re.match(r"\d{4}-\d{2}-\d{2}$", meta["date"])
        j.date = iso.group(0) if iso else None
    for m in _CITY.finditer(pre):
        before = pre[max(0, m.start() - 25):m.start()]
        if re.search(r"(?:суд\w*|района|области|края|(?<![\w])в|(?<![\w])во)\s*$", before, re.I):
            continue
        j.city = m.group("city")
        break
    j.case_numbers = _case_numbers(pre, j.instance)
    j.judge = find_judge(text, head_from, head_end, court_end, signature)
    if heading:
        j.title = ruling_title(heading.words, j.court, j.date,
                               j.case_numbers[0] if j.case_numbers else None)
    j.sections = sections
    regions = [intro, operative]
    if j.instance in {"appeal", "cassation", "supervisory"} and "reasoning" in by_name:
        # a higher court restates the sentence under review at the top of its reasoning
        start = by_name["reasoning"].start
        regions.append(text[start:min(by_name["reasoning"].end, start + 2500)])
    j.charges = _charges(regions)
    j.outcome = _outcome(j.kind, j.instance, operative, intro)
    j.awards = _awards(operative)
    j.uid = find_uid(text[:max(head_end, 3000)])
    j.penalties = _penalties(operative)
    j.accused = _accused(intro, operative)
    return j
