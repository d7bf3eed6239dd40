"""Russian ruling structure: made-up snippets as tables, the sudrf pages, and the marked corpus.

The snippets are written for these tests (no real names); the real documents are read in place
from ../shared/corpora through the ``shared_corpora`` fixture.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.structure.russian import court_genitive, find_sections, find_uid, parse_russian, ruling_title

# -- made-up rulings ---------------------------------------------------------------------------

SENTENCE = """Дело № 1-123/2020
УИД 16RS0046-01-2020-001234-56

П Р И Г О В О Р
ИМЕНЕМ РОССИЙСКОЙ ФЕДЕРАЦИИ

12 марта 2020 года                                   г. Казань

Советский районный суд г. Казани в составе председательствующего судьи Иванова И.И.,
при секретаре Сидоровой С.С.,
подсудимого Петрова Петра Петровича,
рассмотрев в открытом судебном заседании уголовное дело в отношении Петрова Петра Петровича,
обвиняемого в совершении преступления, предусмотренного п. «а» ч. 3 ст. 286 УК РФ,

У С Т А Н О В И Л :

Петров П.П., являясь сотрудником полиции, применил насилие к задержанному. Суд учитывает
ст. 61 УК РФ и ст. 73 УК РФ.

Руководствуясь ст. 307-309 УПК РФ, суд

П Р И Г О В О Р И Л :

Признать Петрова Петра Петровича виновным в совершении преступления, предусмотренного
п. «а» ч. 3 ст. 286 УК РФ, и назначить ему наказание в виде лишения свободы сроком на 3 (три)
года 6 (шесть) месяцев с лишением права занимать должности в органах внутренних дел.
Взыскать с Петрова П.П. в пользу потерпевшего компенсацию морального вреда в размере 300 000 рублей.
Приговор может быть обжалован в Верховный Суд Республики Татарстан в течение 15 суток.

Председательствующий                              И.И. Иванов
"""

DECISION = """УИД 77RS0001-01-2021-000055-11
Дело № 2-55/2021

РЕШЕНИЕ
Именем Российской Федерации

город Москва 1 июня 2021 года

Тверской районный суд города Москвы в составе председательствующего судьи Кузнецовой А.Б.,
при секретаре Орловой В.Г.,
рассмотрев в открытом судебном заседании гражданское дело по иску Смирнова С.С. к Министерству
финансов Российской Федерации о компенсации морального вреда, причиненного пытками в отделе полиции,

установил:

Смирнов С.С. обратился в суд с иском о компенсации морального вреда в размере 1 000 000 рублей.
Руководствуясь ст. 194-198 ГПК РФ, суд

решил:

Исковые требования Смирнова С.С. удовлетворить частично.
Взыскать с Российской Федерации в лице Министерства финансов Российской Федерации за счет казны
Российской Федерации в пользу Смирнова С.С. компенсацию морального вреда в размере 300 000 рублей,
расходы на оплату услуг представителя в размере 20 000 рублей.
В удовлетворении остальной части исковых требований отказать.

Судья                                             А.Б. Кузнецова
"""

APPEAL = """Судья: Петров П.П.                                   Дело № 33-1234/2019

АПЕЛЛЯЦИОННОЕ ОПРЕДЕЛЕНИЕ

10 октября 2019 года г. Самара

Судебная коллегия по гражданским делам Самарского областного суда в составе:
председательствующего Сивохина Д.А.,
судей Пудовкиной Е.С., Козновой Н.П.,
рассмотрела в открытом судебном заседании гражданское дело по апелляционной жалобе истца на
решение Куйбышевского районного суда г. Самары от 1 июля 2019 года,

УСТАНОВИЛА:

Решением суда в удовлетворении иска отказано.

ОПРЕДЕЛИЛА:

решение Куйбышевского районного суда г. Самары от 1 июля 2019 года оставить без изменения,
апелляционную жалобу – без удовлетворения.

Председательствующий:
Судьи:
"""

CASSATION = """ВОСЬМОЙ КАССАЦИОННЫЙ СУД ОБЩЕЙ ЮРИСДИКЦИИ
№ 77-2345/2022

КАССАЦИОННОЕ ОПРЕДЕЛЕНИЕ

город Кемерово 15 марта 2022 года

Судебная коллегия по уголовным делам Восьмого кассационного суда общей юрисдикции в составе
председательствующего Волковой Е.В.,
рассмотрела кассационную жалобу осужденного Кузнецова К.К. на приговор Центрального районного суда
г. Новосибирска от 1 июня 2021 года, по которому Кузнецов К.К. осужден по ч. 1 ст. 318 УК РФ.

установила:

Кузнецов К.К. признан виновным в применении насилия в отношении представителя власти.

определила:

приговор Центрального районного суда г. Новосибирска от 1 июня 2021 года и апелляционное
постановление Новосибирского областного суда от 1 сентября 2021 года в отношении Кузнецова К.К.
отменить, уголовное дело передать на новое рассмотрение.

Председательствующий Е.В. Волкова
"""

KOAP = """Дело № 5-1530/2016

П О С Т А Н О В Л Е Н И Е
по делу об административном правонарушении

05 мая 2016 года                                            г. Ижевск

Судья Октябрьского районного суда г. Ижевска Удмуртской Республики Семенов С.С., рассмотрев
в открытом судебном заседании дело об административном правонарушении, предусмотренном ч. 5
ст. 20.2 КоАП РФ, в отношении Федорова Федора Федоровича, ДД.ММ.ГГГГ года рождения,

у с т а н о в и л :

Федоров Ф.Ф. участвовал в публичном мероприятии, проводимом без уведомления.

Руководствуясь ст. 29.9, 29.10 КоАП РФ, судья

п о с т а н о в и л :

Федорова Федора Федоровича признать виновным в совершении административного правонарушения,
предусмотренного ч. 5 ст. 20.2 КоАП РФ, и назначить ему административное наказание в виде
административного штрафа в размере 10 000 (десяти тысяч) рублей.
Штраф подлежит уплате по реквизитам: получатель УФК по Удмуртской Республике.
Неуплата административного штрафа влечет штраф в двукратном размере, но не менее 1000 рублей.

Судья                                  С.С. Семенов
"""

REDACTED = """Дело №
ПРИГОВОР
ИМЕНЕМ РОССИЙСКОЙ ФЕДЕРАЦИИ
<адрес>                                                        ДД.ММ.ГГГГ
<данные изъяты> районный суд <адрес> в составе председательствующего судьи ФИО1,
при секретаре ФИО2, подсудимого ФИО3,
обвиняемого в совершении преступления, предусмотренного ч. 2 ст. 228 УК РФ,
УСТАНОВИЛ:
ФИО3 незаконно хранил наркотическое средство.
ПРИГОВОРИЛ:
ФИО3 признать виновным в совершении преступления, предусмотренного ч. 2 ст. 228 УК РФ, и
назначить ему наказание в виде лишения свободы сроком на 2 года. На основании ст. 73 УК РФ
назначенное наказание считать условным с испытательным сроком 1 (один) год.
Председательствующий: подпись
"""

SPACED_SPLIT = """А П Е Л Л Я Ц И О Н Н О Е
П О С Т А Н О В Л Е Н И Е
г. Уфа 3 апреля 2018 года
Верховный Суд Республики Башкортостан в составе председательствующего судьи Гарипова Г.Г.,
рассмотрел в открытом судебном заседании апелляционное представление прокурора на приговор
Кировского районного суда г. Уфы в отношении Ахметова А.А., осужденного по ч. 1 ст. 111 УК РФ,
у с т а н о в и л а :
доводы представления обоснованы.
п о с т а н о в и л а :
приговор Кировского районного суда г. Уфы от 1 февраля 2018 года в отношении Ахметова А.А.
изменить, смягчить наказание до 2 (двух) лет лишения свободы. В остальной части приговор
оставить без изменения.
Судья Г.Г. Гарипов
"""

ACQUITTAL = """ПРИГОВОР
Именем Российской Федерации
2 февраля 2015 года г. Нальчик
Нальчикский городской суд КБР в составе председательствующего судьи Бозиева А.Х.,
подсудимого Асанова А.А.,
УСТАНОВИЛ:
Доказательств вины не представлено.
ПРИГОВОРИЛ:
Асанова А.А. оправдать по предъявленному обвинению по ч. 1 ст. 228 УК РФ за отсутствием состава
преступления.
Судья
"""

REJECTED = """РЕШЕНИЕ
Именем Российской Федерации
3 марта 2020 года г. Казань
Вахитовский районный суд г. Казани в составе председательствующего судьи Гиниятуллиной Г.Г.,
рассмотрев гражданское дело по иску Гарипова Г.Г. к МВД по Республике Татарстан,
УСТАНОВИЛ:
Истец просит взыскать компенсацию.
РЕШИЛ:
В удовлетворении исковых требований Гарипова Г.Г. к МВД по Республике Татарстан отказать.
Судья Г.Г. Гиниятуллина
"""

SUPERVISORY = """ПОСТАНОВЛЕНИЕ
Президиума Верховного Суда Российской Федерации
Москва 20 апреля 2016 года
Президиум Верховного Суда Российской Федерации рассмотрел уголовное дело по надзорной жалобе
осужденного Егорова Е.Е., осужденного по ч. 4 ст. 111 УК РФ.
УСТАНОВИЛ:
Доводы жалобы заслуживают внимания.
ПОСТАНОВИЛ:
надзорную жалобу удовлетворить, кассационное определение отменить.
"""

AGGREGATED = """ПРИГОВОР
1 апреля 2014 года г. Сальск
Сальский городской суд Ростовской области в составе председательствующего судьи Светличного В.И.,
подсудимого Бойко Б.Б.,
УСТАНОВИЛ:
Бойко Б.Б. дважды сбыл наркотические средства.
ПРИГОВОРИЛ:
Бойко Б.Б. признать виновным и назначить ему наказание:
по ч. 1 ст. 228 УК РФ в виде лишения свободы сроком на 1 год;
по ч. 2 ст. 228 УК РФ в виде 3 (трех) лет лишения свободы.
В соответствии с ч. 3 ст. 69 УК РФ по совокупности преступлений путем частичного сложения наказаний
окончательно назначить Бойко Б.Б. наказание в виде 3 (трех) лет 6 (шести) месяцев лишения свободы.
Судья
"""


@pytest.mark.parametrize(
    "text, expected",
    [
        (SENTENCE, {"kind": "ru_sentence", "instance": "first", "court": "Советский районный суд г. Казани",
                    "city": "Казань", "date": "2020-03-12", "judge": "Иванова И.И.",
                    "case_numbers": ["1-123/2020"], "title": "Приговор Советского районного суда г. Казани от 12 марта 2020 г. по делу № 1-123/2020",
                    "outcome": "convicted"}),
        (DECISION, {"kind": "ru_decision", "instance": "first", "court": "Тверской районный суд города Москвы",
                    "city": "Москва", "date": "2021-06-01", "judge": "Кузнецовой А.Б.",
                    "case_numbers": ["2-55/2021"], "outcome": "claim_granted_in_part"}),
        (APPEAL, {"kind": "ru_ruling", "instance": "appeal", "court": "Самарский областной суд", "city": "Самара",
                  "date": "2019-10-10", "judge": "Сивохина Д.А.", "case_numbers": ["33-1234/2019"],
                  "title": "Апелляционное определение Самарского областного суда от 10 октября 2019 г. по делу "
                           "№ 33-1234/2019", "outcome": "upheld"}),
        (CASSATION, {"kind": "ru_ruling", "instance": "cassation",
                     "court": "Восьмой кассационный суд общей юрисдикции", "city": "Кемерово",
                     "date": "2022-03-15", "judge": "Волковой Е.В.", "case_numbers": ["77-2345/2022"],
                     "outcome": "overturned"}),
        (KOAP, {"kind": "ru_ruling", "instance": "first",
                "court": "Октябрьский районный суд г. Ижевска Удмуртской Республики", "city": "Ижевск",
                "date": "2016-05-05", "judge": "Семенов С.С.", "case_numbers": ["5-1530/2016"],
                "title": "Постановление Октябрьского районного суда г. Ижевска Удмуртской Республики от 5 мая "
                         "2016 г. по делу № 5-1530/2016", "outcome": "convicted"}),
        (REDACTED, {"kind": "ru_sentence", "instance": "first", "city": None, "date": None, "judge": None,
                    "case_numbers": [], "title": "Приговор районного суда", "outcome": "convicted"}),
        (SPACED_SPLIT, {"kind": "ru_ruling", "instance": "appeal", "court": "Верховный Суд Республики Башкортостан",
                        "city": "Уфа", "date": "2018-04-03", "judge": "Гарипова Г.Г.",
                        "title": "Апелляционное постановление Верховного Суда Республики Башкортостан от 3 апреля "
                                 "2018 г.", "outcome": "modified"}),
        (ACQUITTAL, {"kind": "ru_sentence", "outcome": "acquitted", "court": "Нальчикский городской суд КБР",
                     "judge": "Бозиева А.Х."}),
        (REJECTED, {"kind": "ru_decision", "outcome": "claim_rejected", "awards": []}),
        (SUPERVISORY, {"kind": "ru_ruling", "instance": "supervisory", "date": "2016-04-20",
                       "court": "Верховный Суд Российской Федерации", "outcome": "overturned"}),
    ],
    ids=["sentence", "decision", "appeal", "cassation", "koap", "redacted", "spaced-split", "acquittal",
         "rejected", "supervisory"],
)
def test_header_fields(text: str, expected: dict) -> None:
    judgment = parse_russian(text)
    got = {key: getattr(judgment, key) for key in expected}
    assert got == expected


@pytest.mark.parametrize(
    "text, keys",
    [
        (SENTENCE, ["УК:286:3:а"]),           # ст. 61, 73 УК in the reasoning are not charges
        (KOAP, ["КоАП:20.2:5"]),              # ст. 29.9, 29.10 КоАП are procedure
        (CASSATION, ["УК:318:1"]),            # "осужден по ч. 1 ст. 318 УК РФ" in the intro
        (SPACED_SPLIT, ["УК:111:1"]),
        (DECISION, []),                       # ст. 194-198 ГПК: applied, not charged
    ],
    ids=["sentence", "koap", "cassation", "appeal", "civil"],
)
def test_charges(text: str, keys: list[str]) -> None:
    assert [c.key for c in parse_russian(text).charges] == keys


def test_charges_are_charge_objects() -> None:
    charge = parse_russian(SENTENCE).charges[0]
    assert (charge.code, charge.article, charge.part, charge.point) == ("УК", "286", "3", "а")


def test_awards_heads_and_amounts() -> None:
    awards = [(a.amount, a.currency, a.head) for a in parse_russian(DECISION).awards]
    assert awards == [(300000.0, "RUB", "non_pecuniary"), (20000.0, "RUB", "costs")]


@pytest.mark.parametrize("operative, expected", [
    ("Взыскать с МКУ «Декабрист» в пользу Воробьёва В.В. недополученную заработную плату в размере 73379 "
     "(семьдесят три тысячи триста семьдесят девять) рублей 52 копейки, компенсацию за задержку выплат в "
     "размере 9491 (девять тысяч четыреста девяносто один) рубль 46 копеек, компенсацию морального вреда в "
     "размере 15000 (пятнадцать тысяч) рублей.",
     [(73379.52, "pecuniary"), (9491.46, "pecuniary"), (15000.0, "non_pecuniary")]),
    # the base on which interest runs is not a sum awarded; the state duty goes to the budget
    ("Взыскать с МКУ «Декабрист» в пользу Воробьёва В.В. компенсацию за задержку выплат, причитающихся "
     "работнику в размере 63840,52 рублей, начиная с 19 августа 2025 г., в размере 1/150 ключевой ставки за "
     "каждый день задержки. Взыскать с МКУ «Декабрист» в доход бюджета государственную пошлину в размере "
     "7000 (семь тысяч) рублей.", []),
    # near miss: a penalty awarded, then the same penalty running on: the first sum is awarded
    ("Взыскать с ООО «Ромашка» в пользу Петрова П.П. неустойку в размере 50 000 рублей, а также неустойку, "
     "начиная с 1 мая 2024 г. по день фактического исполнения.", [(50000.0, "pecuniary")]),
    ("Взыскать в пользу Петрова П.П. средний заработок за время вынужденного прогула в размере 1 274 198 "
     "рублей 43 копеек, расходы на оплату услуг представителя в размере 20 000 рублей.",
     [(1274198.43, "pecuniary"), (20000.0, "costs")]),
])
def test_civil_awards_and_what_is_not_one(operative: str, expected: list) -> None:
    text = DECISION.split("решил:")[0] + "решил:\n\n" + operative + "\n\nСудья Кузнецова А.Б.\n"
    assert [(a.amount, a.head) for a in parse_russian(text).awards] == expected


def test_civil_claim_in_criminal_sentence_is_an_award() -> None:
    awards = [(a.amount, a.head) for a in parse_russian(SENTENCE).awards]
    assert awards == [(300000.0, "non_pecuniary")]


@pytest.mark.parametrize(
    "text, expected",
    [
        (SENTENCE, [("imprisonment", 42, None)]),
        (KOAP, [("fine", None, 10000.0)]),    # the warning about non-payment is not a second fine
        (REDACTED, [("suspended", 24, None)]),
        (AGGREGATED, [("imprisonment", 42, None)]),   # per-count terms give way to the final one
        (DECISION, []),
        ("ПОСТАНОВИЛ:\nНазначить ФИО1 административное наказание в виде 1000 (одной тысячи) рублей штрафа.\n"
         "Штраф подлежит оплате на следующие реквизиты: УФК по Красноярскому краю.\nСудья",
         [("fine", None, 1000.0)]),
        ("ПОСТАНОВИЛ:\nназначить наказание в виде административного ареста на срок 10 (десять) суток.\nСудья",
         [("other", None, None)]),
    ],
    ids=["prison", "fine", "suspended", "aggregated", "civil", "fine-after-amount", "arrest"],
)
def test_penalties(text: str, expected: list) -> None:
    penalties = parse_russian(text).penalties
    assert [(p.type, p.months, p.amount) for p in penalties] == expected
    assert all(p.text for p in penalties)


def test_suspended_sentence_keeps_probation() -> None:
    (penalty,) = parse_russian(REDACTED).penalties
    assert penalty.probation_months == 12


@pytest.mark.parametrize(
    "text, expected",
    [
        (SENTENCE, ["Петрова Петра Петровича"]),
        (KOAP, ["Федорова Федора Федоровича"]),
        (REDACTED, []),                       # "ФИО3" is a redaction, never a name
        (AGGREGATED, ["Бойко Б.Б."]),
    ],
    ids=["sentence", "koap", "redacted", "initials"],
)
def test_accused(text: str, expected: list[str]) -> None:
    assert parse_russian(text).accused == expected


def test_uid_is_kept_apart_from_case_numbers() -> None:
    judgment = parse_russian(SENTENCE)
    assert judgment.uid == "16RS0046-01-2020-001234-56"
    assert judgment.case_numbers == ["1-123/2020"]
    assert find_uid("Дело № 5-1/2020") is None


@pytest.mark.parametrize("text", [SENTENCE, DECISION, APPEAL, CASSATION, KOAP, REDACTED, SPACED_SPLIT],
                         ids=["sentence", "decision", "appeal", "cassation", "koap", "redacted", "spaced"])
def test_sections_are_exact_offsets(text: str) -> None:
    sections = {s.name: s for s in find_sections(text)}
    assert list(sections) == ["intro", "reasoning", "operative"]
    intro, reasoning, operative = (text[s.start:s.end] for s in sections.values())
    assert intro == intro.strip() and reasoning == reasoning.strip() and operative == operative.strip()
    assert "".join(reasoning.split()).lower().startswith("установил")
    assert "".join(operative.split()).lower().startswith(
        ("приговорил", "решил", "постановил", "определил"))
    assert sections["intro"].end <= sections["reasoning"].start < sections["operative"].start
    assert not operative.endswith(("Председательствующий", "Иванов", "Семенов"))
    assert "ИМЕНЕМ" not in intro.upper() or "ИМЕНЕМ" not in text.upper()


def test_intro_starts_after_heading_block() -> None:
    intro = next(s for s in find_sections(KOAP) if s.name == "intro")
    assert KOAP[intro.start:].startswith("05 мая 2016 года")


@pytest.mark.parametrize(
    "text",
    [
        "Заслушав доклад, судебная коллегия\nна решение Перовского районного суда от 1 мая 2020 года\n",
        "Судья разрешил ходатайство.\nр а з р е ш и л :\n",
        "",
    ],
    ids=["prose-mention", "spaced-tail", "empty"],
)
def test_near_misses_are_not_structure(text: str) -> None:
    judgment = parse_russian(text)
    assert judgment.kind == "ru_other"
    assert [s.name for s in judgment.sections if s.name == "operative"] == []
    assert judgment.judge is None and judgment.outcome is None


# -- the sudrf pages ---------------------------------------------------------------------------

SUDRF = {
    "2kas_88-14715-2026_cassation_ruling.html": ("ru_ruling", "cassation", "Второй кассационный суд общей юрисдикции",
                                                 "2026-05-14", "88-14715/2026", None, "upheld"),
    "kirov_koap.html": ("ru_ruling", "first", "Ленинский районный суд г. Кирова", "2026-06-05", "5-174/2026",
                        "Глушков А.С.", "convicted"),
    "ksoy_cassation.html": ("ru_ruling", "cassation", "Третий кассационный суд общей юрисдикции", "2026-03-02",
                            "88-4097/2026", "Козловой Е.В.", "overturned"),
    "ksoyu_card_criminal.html": ("ru_ruling", "cassation", "Пятый кассационный суд общей юрисдикции",
                                 "2026-05-19", "77-655/2026", "Бурухиной М.Н.", "overturned"),
    "ksoyu_card_kas.html": ("ru_ruling", "cassation", "Пятый кассационный суд общей юрисдикции", "2026-05-21",
                            "88а-4989/2026", "Юлдашева Р.Х.", "overturned"),
    "ksoyu_card_koap.html": ("ru_ruling", "cassation", "Пятый кассационный суд общей юрисдикции", "2026-05-05",
                             "16-721/2026", "Фархутдинова Ф.Ф.", "modified"),
    "ksoyu_case_card.html": ("ru_ruling", "cassation", "Второй кассационный суд общей юрисдикции", "2026-05-14",
                             "88-14715/2026", None, "upheld"),
    "leninsky_ufa_criminal.html": ("ru_ruling", "first", "Ленинский районный суд г. Уфы Республики Башкортостан",
                                   "2026-05-06", "1-151/2026", "Ардувановой Д.Р.", "terminated"),
    # the page prints the date and the numbers redacted ("ДД.ММ.ГГГГ", "№"): nothing to find
    "samara_kas_appeal_card.html": ("ru_ruling", "appeal", "Самарский областной суд", None, None,
                                    "Сивохина Д.А.", "upheld"),
    "sgs_1inst.html": ("ru_decision", "first", "Сыктывкарский городской суд Республики Коми", "2025-08-18",
                       "2-7212/2025", "Машкалевой О.А.", "claim_granted"),
    "sgs_card.html": ("ru_decision", "first", "Сыктывкарский городской суд Республики Коми", "2025-04-11",
                      "2-3671/2025", "Баженовой Т.С.", "claim_granted"),
    "vsrk_appeal.html": ("ru_ruling", "appeal", "Верховный Суд Республики Коми", "2025-10-06", "33-4818/2025",
                         "Костенко Е.Л.", "upheld"),
}


@pytest.fixture(scope="module")
def sudrf_pages(shared_corpora: Path) -> dict:
    from pipeline.extract import extract_file

    folder = shared_corpora / "ru" / "html_sudrf"
    return {name: extract_file(folder / name)[0] for name in SUDRF}


@pytest.mark.parametrize("name", sorted(SUDRF))
def test_sudrf_pages(sudrf_pages: dict, name: str) -> None:
    doc = sudrf_pages[name]
    kind, instance, court, date, number, judge, outcome = SUDRF[name]
    judgment = parse_russian(doc.text, doc.meta)
    assert (judgment.kind, judgment.instance, judgment.court, judgment.date) == (kind, instance, court, date)
    assert (judgment.case_numbers[:1] or [None])[0] == number
    assert judgment.judge == judge
    assert judgment.outcome == outcome
    assert [s.name for s in judgment.sections] == ["intro", "reasoning", "operative"]


@pytest.mark.parametrize("name", sorted(SUDRF))
def test_sudrf_court_and_judge_from_text_alone(sudrf_pages: dict, name: str) -> None:
    """Without the page's metadata the court still comes from the text; the judge is never a
    redaction marker nor the first-instance judge printed above an appeal ("Судья: Черняков Н.Н.")."""
    judgment = parse_russian(sudrf_pages[name].text)
    assert judgment.court
    assert judgment.judge is None or not any(m in judgment.judge for m in ("ФИО", "<", "{", "изъят"))
    assert judgment.judge != "Черняков Н.Н."


def test_sudrf_awards_and_uid(sudrf_pages: dict) -> None:
    decision = parse_russian(sudrf_pages["sgs_card.html"].text)
    assert (15000.0, "RUB", "non_pecuniary") in [(a.amount, a.currency, a.head) for a in decision.awards]
    assert decision.uid == "11RS0001-01-2025-002795-66"
    cassation = parse_russian(sudrf_pages["ksoyu_card_criminal.html"].text)
    assert "УК:183:3" in [c.key for c in cassation.charges]


# -- the hand-marked corpus --------------------------------------------------------------------

def test_marked_corpus_section_boundaries(shared_corpora: Path) -> None:
    """Issue 3's bar: section boundaries F1 >= 0.9 on the 1,010 marked rulings (about 6 s)."""
    from tools.evaluate.russian import evaluate

    markdown, numbers = evaluate(shared_corpora)
    assert numbers["files"] == 1010
    assert numbers["sections_f1"] >= 0.9, markdown
    # guards against regressions of the other measured fields (values measured: 0.93, 0.84, 0.86)
    assert numbers["accused_f1"] >= 0.85, markdown
    assert numbers["prison_terms_f1"] >= 0.75, markdown
    assert numbers["fines_f1"] >= 0.75, markdown
    assert "| **all four boundaries** |" in markdown


# -- titles: the act, the court, the date and the case number ---------------------------------

KOAP_NO_NUMBER = """ПОСТАНОВЛЕНИЕ ПО ДЕЛУ
ОБ АДМИНИСТРАТИВНОМ ПРАВОНАРУШЕНИИ
{day} г. г. Энск
Судья {court} Петров П.П., рассмотрев дело об административном правонарушении, предусмотренном
ч. 1 ст. 20.2 КоАП РФ, в отношении ФИО1,
УСТАНОВИЛ:
ФИО1 участвовал в публичном мероприятии.
ПОСТАНОВИЛ:
Признать ФИО1 виновным и назначить ему наказание в виде административного штрафа.
Судья Петров П.П.
"""


@pytest.mark.parametrize(
    "court, day, title",
    [
        ("Ленинского районного суда г. Энска", "12 марта 2020",
         "Постановление Ленинского районного суда г. Энска от 12 марта 2020 г."),
        # near-miss: the same court a day later is another ruling, and its title says so
        ("Ленинского районного суда г. Энска", "13 марта 2020",
         "Постановление Ленинского районного суда г. Энска от 13 марта 2020 г."),
        # near-miss: the same day in another court
        ("Заречного городского суда Энской области", "12 марта 2020",
         "Постановление Заречного городского суда Энской области от 12 марта 2020 г."),
    ],
    ids=["court-and-date", "next-day", "other-court"],
)
def test_a_ruling_without_a_case_number_is_titled_by_court_and_date(court: str, day: str,
                                                                     title: str) -> None:
    judgment = parse_russian(KOAP_NO_NUMBER.format(court=court, day=day))
    assert judgment.title == title


@pytest.mark.parametrize(
    "words, court, date, number, title",
    [
        ("Постановление", "Ленинский районный суд г. Энска", "2020-03-12", "1-123/2020",
         "Постановление Ленинского районного суда г. Энска от 12 марта 2020 г. по делу № 1-123/2020"),
        ("Апелляционное определение", "Судебная коллегия по уголовным делам Энского областного суда",
         "2021-01-05", "22-1/2021",
         "Апелляционное определение судебной коллегии по уголовным делам Энского областного суда "
         "от 5 января 2021 г. по делу № 22-1/2021"),
        ("Постановление", "Мировой судья судебного участка № 3 Ленинского района г. Энска", None, None,
         "Постановление мирового судьи судебного участка № 3 Ленинского района г. Энска"),
        ("Решение", "Арбитражный суд города Москвы", "2023-04-24", "А40-5590/23-99-47",
         "Решение Арбитражного суда города Москвы от 24 апреля 2023 г. по делу № А40-5590/23-99-47"),
        ("Кассационное определение", "Третий кассационный суд общей юрисдикции", "2026-03-02", None,
         "Кассационное определение Третьего кассационного суда общей юрисдикции от 2 марта 2026 г."),
        ("Определение", "Верх-Исетский районный суд г. Екатеринбурга", None, "5-336/2019",
         "Определение Верх-Исетского районного суда г. Екатеринбурга по делу № 5-336/2019"),
        ("Приговор", "26 гарнизонный военный суд", "2019-02-01", None,
         "Приговор 26 гарнизонного военного суда от 1 февраля 2019 г."),
        ("Решение", "Верховный Суд Республики Коми", "2025-10-06", None,
         "Решение Верховного Суда Республики Коми от 6 октября 2025 г."),
        # a name not built of adjectives and a court's noun is given as printed, not declined wrongly
        ("Постановление", "Президиум", "2021-06-01", None, "Постановление (Президиум) от 1 июня 2021 г."),
        ("Постановление", "Энск Ленинский районный суд", None, None,
         "Постановление (Энск Ленинский районный суд)"),
        ("Постановление", "Районный суд КБР", None, None, "Постановление районного суда КБР"),
        # a malformed date is left out, never printed as a wrong day
        ("Приговор", None, "2020-13-01", "1-1/2020", "Приговор по делу № 1-1/2020"),
        ("Приговор", None, None, None, "Приговор"),
    ],
    ids=["district", "collegium", "magistrate", "arbitrazh", "third", "hyphen", "garrison", "supreme",
         "presidium", "not-adjective", "generic", "bad-date", "nothing-known"],
)
def test_ruling_title(words: str, court: str | None, date: str | None, number: str | None,
                      title: str) -> None:
    assert ruling_title(words, court, date, number) == title


def test_court_genitive_refuses_what_it_cannot_decline() -> None:
    assert court_genitive("Суд") == "Суда"
    assert court_genitive("Энский суд присяжных") == "Энского суда присяжных"
    assert court_genitive("Энск Ленинский районный суд") is None  # "Энск" is no adjective
    assert court_genitive("Конституционный Суд Российской Федерации") == \
        "Конституционного Суда Российской Федерации"


@pytest.mark.parametrize(("line", "numbers"), [
    ("Дело № А99-1234/24-15-388", ["А99-1234/24-15-388"]),   # as printed: year, judge, composition
    ("Дело №А99-19868/2020", ["А99-19868/2020"]),
    ("Дело № СИП-694/2021", ["СИП-694/2021"]),
    ("Дело № 2-55/2021-1", ["2-55/2021"]),                    # a court of general jurisdiction: no suffix
])
def test_arbitrazh_case_numbers_as_printed(line: str, numbers: list[str]) -> None:
    text = (f"АРБИТРАЖНЫЙ СУД ЭНСКОЙ ОБЛАСТИ\nРЕШЕНИЕ\nг. Энск\n11 июня 2024 г.\n{line}\n"
            "Арбитражный суд Энской области в составе судьи Крупениной А.Л., рассмотрев дело,\n"
            "УСТАНОВИЛ:\nзаявитель оспаривает постановление.\nРЕШИЛ:\nтребование удовлетворить.\n")
    judgment = parse_russian(text)
    assert judgment.case_numbers == numbers
    assert judgment.title and judgment.title.endswith(f"по делу № {numbers[0]}")
