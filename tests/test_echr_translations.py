"""The Court's judgments and decisions in Russian and Ukrainian translation are ECHR documents in
their language, never rulings of the domestic court a translator's note names; and a domestic
ruling that quotes the Court stays a domestic ruling.

The excerpts are written for the test after the layouts of the official Ukrainian translations
(with and without the Court's name on top, spaced "Р І Ш Е Н Н Я"), the OSCE-project translations,
the Russian Bulletin and the Russian courts' own unofficial translations.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.models import ExtractedText
from pipeline.records import structure
from pipeline.reference.calendar import DATES
from pipeline.structure.echr_translation import is_translation, read_translation

from conftest import need

UK_JUDGMENT = """ЄВРОПЕЙСЬКИЙ СУД З ПРАВ ЛЮДИНИ
П’ЯТА СЕКЦІЯ
СПРАВА «ПЕТРЕНКО ПРОТИ УКРАЇНИ»
(CASE OF PETRENKO v. UKRAINE)
(Заява № 12345/07)
РІШЕННЯ
СТРАСБУРГ
18 лютого 2010 року
ОСТАТОЧНЕ
15/05/2010
Текст рішення може зазнати редакційної правки.
У справі «Петренко проти України»
Європейський суд з прав людини (п’ята секція), засідаючи палатою, до складу якої увійшли:
Пеер Лоренцен, Голова, Карел Юнгвірт, судді, та Клаудія Вестердік, Секретар секції,
після наради за зачиненими дверима 26 січня 2010 року, постановляє таке рішення, що було ухвалене в той день:
ПРОЦЕДУРА
1. Справу розпочато за заявою (№ 12345/07), яку 1 серпня 2007 року подав до Суду проти України громадянин України.
"""

UK_OFFICIAL = """ЄВРОПЕЙСЬКИЙ СУД З ПРАВ ЛЮДИНИ П'ята секція
Р І Ш Е Н Н Я
Справа "Коваль проти України" (Заява N 31112/04)
Страсбург, 7 грудня 2006 року
Переклад офіційний
Це рішення стане остаточним відповідно до умов, визначених п. 2 статті 44 Конвенції.
У справі "Коваль проти України" Європейський суд з прав людини (п'ята секція), засідаючи
палатою, до складу якої увійшли:
"""

UK_GRAND_CHAMBER = """ВЕЛИКА ПАЛАТА
СПРАВА «МАРКОВИЧ ПРОТИ ХОРВАТІЇ» (MARKOVIC v. CROATIA) (Заява № 40161/12)
РІШЕННЯ
СТРАСБУРГ 5 квітня 2018 року
Це рішення є остаточним, але може підлягати редакційним виправленням.
У справі «Маркович проти Хорватії» Європейський суд з прав людини, засідаючи Великою палатою, до складу якої увійшли:
"""

UK_TWO_APPLICATIONS = """ТРЕТЯ СЕКЦІЯ
СПРАВА «ІВАНОВ ТА ПЕТРОВ ПРОТИ РОСІЇ» (Заяви №№ 46633/13 та 28672/14)
РІШЕННЯ
СТРАСБУРГ 23 лютого 2016 року
ОСТАТОЧНЕ 04/07/2016
У справі «Іванов та Петров проти Росії» Європейський суд з прав людини (третя секція), засідаючи палатою у складі:
"""

UK_DECISION = """П’ЯТА СЕКЦІЯ
УХВАЛА
Заява № 64954/14 Олег Петрович СИДОРЕНКО проти України
Європейський суд з прав людини (п’ята секція), засідаючи палатою 23 серпня 2016 року у складі:
Ангеліка Ньюсбергер, Голова, Ганна Юдківська, судді, та Мілан Блажко, Заступник секретаря Секції,
Розглянувши зазначену заяву, подану 16 вересня 2014 року, Після обговорення, вирішує таке:
ФАКТИ
1. Заявник, Олег Петрович Сидоренко, є громадянином України.
"""

RU_BULLETIN = """Источник публикации
Постановление на русском языке опубликовано в издании: Бюллетень Европейского суда по правам человека.
[неофициальный перевод]
ЕВРОПЕЙСКИЙ СУД ПО ПРАВАМ ЧЕЛОВЕКА
ПЕРВАЯ СЕКЦИЯ
ДЕЛО "СМИРНОВ (SMIRNOV) ПРОТИВ РОССИЙСКОЙ ФЕДЕРАЦИИ" (Жалоба N 58255/00)
ПОСТАНОВЛЕНИЕ СУДА
(Страсбург, 24 марта 2005 года)
По делу "Смирнов против Российской Федерации" Европейский суд по правам человека (Первая секция), заседая Палатой в составе:
"""

# A Russian court's own unofficial translation: the court in the note is the translator, not the author.
RU_COURT_TRANSLATION = """CONSEIL COUNCIL DE L’EUROPE OF EUROPE
COUR EUROPÉENNE DES DROITS DE L’HOMME EUROPEAN COURT OF HUMAN RIGHTS
Неофициальный перевод (Верховный Суд Республики Бурятия)
ЕВРОПЕЙСКИЙ СУД ПО ПРАВАМ ЧЕЛОВЕКА
ПЕРВАЯ СЕКЦИЯ
(Жалоба N 35431/05)
ИВАНОВЫ против РОССИЙСКОЙ ФЕДЕРАЦИИ
Постановление от 14 февраля 2012 г.
г. Страсбург
Данное решение станет окончательным при обстоятельствах, изложенных в пункте 2 Статьи 44 Конвенции.
По делу Ивановы против Российской Федерации, Европейский Суд по правам человека (Первая Секция), заседая Палатой в составе:
"""

RU_DECISION = """ЕВРОПЕЙСКИЙ СУД ПО ПРАВАМ ЧЕЛОВЕКА
ТРЕТЬЯ СЕКЦИЯ
РЕШЕНИЕ
О ПРИЕМЛЕМОСТИ
Жалоба N 33121/17 Денис ЛУГОВОЙ против России
Европейский суд по правам человека (Третья секция), заседая 12 мая 2020 г. Комитетом в составе:
"""

# -- translations into languages written in Latin script ------------------------------------------
DE = """EUROPÄISCHER GERICHTSHOF FÜR MENSCHENRECHTE
FÜNFTE SEKTION
SACHE M. ./. DEUTSCHLAND
(Individualbeschwerde Nr. 19359/04)
URTEIL
STRASSBURG
17. Dezember 2009
Im Fall M. ./. Deutschland
"""
IT = """CORTE EUROPEA DEI DIRITTI DELL'UOMO
GRANDE CAMERA
CAUSA ROSSI E ALTRI c. ITALIA
(Ricorsi nn. 12345/06 e 23456/07)
SENTENZA
STRASBURGO
10 marzo 2011
"""
ES = """TRIBUNAL EUROPEO DE DERECHOS HUMANOS
SECCIÓN TERCERA
ASUNTO GARCÍA c. ESPAÑA
(Demanda nº 12345/06)
SENTENCIA
ESTRASBURGO
10 de marzo de 2011
"""
TR = """AVRUPA İNSAN HAKLARI MAHKEMESİ
İKİNCİ DAİRE
KOSTOV / TÜRKİYE DAVASI
(Başvuru no. 12345/06)
KARAR
STRAZBURG
10 Mart 2011
"""
PL = """EUROPEJSKI TRYBUNAŁ PRAW CZŁOWIEKA
CZWARTA SEKCJA
SPRAWA KOWALSKI przeciwko POLSCE
(Skarga nr 12345/06)
WYROK
STRASBURG
10 marca 2011
"""
RO = """CURTEA EUROPEANĂ A DREPTURILOR OMULUI
SECȚIA A TREIA
DECIZIA
Cererea nr. 12345/06
Ion POPESCU împotriva României
Curtea Europeană a Drepturilor Omului (Secția a treia), reunită la 10 martie 2011
"""

LATIN = [
    ("German", DE, "de", dict(kind="echr_judgment", title="M. ./. DEUTSCHLAND", respondent_states=["Germany"], case_numbers=["19359/04"],
                              date="2009-12-17")),
    ("Italian, Grand Chamber, two applications", IT, "it", dict(
        kind="echr_judgment", title="ROSSI E ALTRI c. ITALIA", respondent_states=["Italy"], case_numbers=["12345/06", "23456/07"],
        date="2011-03-10", formation="Grand Chamber")),
    ("Spanish", ES, "es", dict(kind="echr_judgment", title="GARCÍA c. ESPAÑA", respondent_states=["Spain"], case_numbers=["12345/06"],
                               date="2011-03-10")),
    ("Turkish", TR, "tr", dict(kind="echr_judgment", title="KOSTOV / TÜRKİYE", respondent_states=["Turkey"], case_numbers=["12345/06"],
                               date="2011-03-10")),
    ("Polish", PL, "pl", dict(kind="echr_judgment", title="KOWALSKI przeciwko POLSCE", respondent_states=["Poland"], case_numbers=["12345/06"],
                              date="2011-03-10")),
    ("Romanian decision: its adoption date", RO, "ro", dict(
        kind="echr_decision", title="Ion POPESCU împotriva României", respondent_states=["Romania"], case_numbers=["12345/06"],
        date="2011-03-10")),
]


@pytest.mark.parametrize("name,text,language,expected", LATIN, ids=[c[0] for c in LATIN])
def test_latin_script_translation(name: str, text: str, language: str, expected: dict) -> None:
    """Kind, title, respondent State, numbers and date as printed."""
    assert is_translation(text)
    j = structure(ExtractedText(text=text, format="pdf", language=language))
    assert {key: getattr(j, key) for key in expected} == expected


@pytest.mark.parametrize("printed,language,expected", [
    ("das Vereinigte Königreich", "de", ["United Kingdom"]),
    ("die Russische Föderation", "de", ["Russia"]),
    ("PORTUGAL", "pt", ["Portugal"]),
    ("Federazione Russa", "it", ["Russia"]),
    ("Rusia", "es", ["Russia"]),
    ("Zjednoczonemu Królestwu", "pl", ["United Kingdom"]),
    ("Rosji", "pl", ["Russia"]),
    ("Niemcom", "pl", ["Germany"]),
    ("WĘGROM", "pl", ["Hungary"]),
    ("Republicii Moldova", "ro", ["Moldova"]),
    ("ROMANIEI", "ro", ["Romania"]),               # printed without its diacritics
    ("Ucrainei și Rusiei", "ro", ["Ukraine", "Russia"]),
    ("Rusya", "tr", ["Russia"]),
    # near-misses: a person, a town, a language the table does not hold
    ("Kowalskiemu", "pl", []),
    ("Polskiego Związku", "pl", []),
    ("Turcanu", "ro", []),
    ("Deutschland", "nl", []),
])
def test_latin_state_names(printed: str, language: str, expected: list[str]) -> None:
    from pipeline.reference.states import latin_state_names

    assert latin_state_names(printed, language) == expected


def test_a_german_judgment_citing_the_court_is_not_a_translation() -> None:
    text = ("BUNDESVERFASSUNGSGERICHT\nIm Namen des Volkes\nIn dem Verfahren über die Verfassungsbeschwerde\n"
            "Der Europäische Gerichtshof für Menschenrechte (Individualbeschwerde Nr. 19359/04) hat in Straßburg "
            "am 17. Dezember 2009 entschieden ...")
    assert not is_translation(text)
    assert not structure(ExtractedText(text=text, format="txt", language="de")).kind.startswith("echr")


# -- near-misses: domestic rulings that quote the Court ---------------------------------------------

RU_DOMESTIC = """ПОСТАНОВЛЕНИЕ
г. Москва 12 марта 2020 года
Судья Басманного районного суда г. Москвы Иванова А.А., рассмотрев жалобу адвоката Петрова П.П.,
УСТАНОВИЛ:
Как указал Европейский суд по правам человека в постановлении по делу «Смирнова против России»
(жалоба № 46133/99), заседая Палатой, решение о продлении срока содержания под стражей должно быть мотивировано.
ПОСТАНОВИЛ:
Жалобу оставить без удовлетворения.
"""

RU_DOMESTIC_NAMED = """ИМЕНЕМ РОССИЙСКОЙ ФЕДЕРАЦИИ
РЕШЕНИЕ
12 марта 2020 года Советский районный суд г. Казани в составе председательствующего судьи
Европейский суд по правам человека неоднократно указывал (Страсбург, 2010), что ...
"""

UK_DOMESTIC = """ІМЕНЕМ УКРАЇНИ
РІШЕННЯ
12 березня 2020 року Шевченківський районний суд міста Києва
ЄВРОПЕЙСЬКИЙ СУД З ПРАВ ЛЮДИНИ у справі «Гарькавий проти України» (заява № 25978/07) зазначив, що
"""

CASES = [
    ("Ukrainian judgment", UK_JUDGMENT, "uk", dict(
        kind="echr_judgment", title="Петренко проти України", applicants=["Петренко"],
        respondent_states=["Ukraine"], case_numbers=["12345/07"], date="2010-02-18",
        final_date="2010-05-15", formation="Chamber", court="European Court of Human Rights")),
    ("official Ukrainian translation, spaced heading", UK_OFFICIAL, "uk", dict(
        kind="echr_judgment", title="Коваль проти України", case_numbers=["31112/04"], date="2006-12-07",
        respondent_states=["Ukraine"])),
    ("Grand Chamber, another respondent State", UK_GRAND_CHAMBER, "uk", dict(
        kind="echr_judgment", title="Маркович проти Хорватії", respondent_states=["Croatia"],
        case_numbers=["40161/12"], date="2018-04-05", formation="Grand Chamber")),
    ("two applications, two applicants", UK_TWO_APPLICATIONS, "uk", dict(
        kind="echr_judgment", applicants=["Іванов", "Петров"], respondent_states=["Russia"],
        case_numbers=["46633/13", "28672/14"], date="2016-02-23", final_date="2016-07-04")),
    ("Ukrainian decision: its adoption date", UK_DECISION, "uk", dict(
        kind="echr_decision", title="Олег Петрович СИДОРЕНКО проти України", case_numbers=["64954/14"],
        respondent_states=["Ukraine"], date="2016-08-23")),
    ("Russian Bulletin translation", RU_BULLETIN, "ru", dict(
        kind="echr_judgment", title="Смирнов против Российской Федерации", case_numbers=["58255/00"],
        respondent_states=["Russia"], date="2005-03-24", formation="Chamber")),
    ("a Russian court's translation is not that court's ruling", RU_COURT_TRANSLATION, "ru", dict(
        kind="echr_judgment", court="European Court of Human Rights", title="Ивановы против Российской Федерации",
        case_numbers=["35431/05"], respondent_states=["Russia"], date="2012-02-14")),
    ("Russian decision on admissibility", RU_DECISION, "ru", dict(
        kind="echr_decision", title="Денис ЛУГОВОЙ против России", case_numbers=["33121/17"],
        respondent_states=["Russia"], date="2020-05-12", formation="Committee")),
]


@pytest.mark.parametrize("name,text,language,expected", CASES, ids=[c[0] for c in CASES])
def test_translation_header(name: str, text: str, language: str, expected: dict) -> None:
    assert is_translation(text)
    j = structure(ExtractedText(text=text, format="pdf", language=language))
    assert {key: getattr(j, key) for key in expected} == expected


def test_never_the_deliberation_date() -> None:
    """Without its cover, a translated judgment has no date: the deliberation date is not it."""
    text = UK_JUDGMENT.replace("СТРАСБУРГ\n18 лютого 2010 року\n", "")
    assert structure(ExtractedText(text=text, format="pdf", language="uk")).date is None


@pytest.mark.parametrize("name,text,language", [
    ("Russian ruling quoting the Court, its composition and a complaint number", RU_DOMESTIC, "ru"),
    ("Russian ruling in the name of the Federation", RU_DOMESTIC_NAMED, "ru"),
    ("Ukrainian ruling in the name of Ukraine", UK_DOMESTIC, "uk"),
])
def test_domestic_rulings_quoting_the_court_stay_domestic(name: str, text: str, language: str) -> None:
    assert not is_translation(text)
    j = structure(ExtractedText(text=text, format="txt", language=language))
    assert not j.kind.startswith("echr")


@pytest.mark.parametrize("printed,iso", [
    ("18 лютого 2010 року", "2010-02-18"), ("7 листопада 2013 р.", "2013-11-07"),
    ("1 січня 2000", "2000-01-01"), ("31 грудня 2019 року", "2019-12-31"),
])
def test_ukrainian_dates(printed: str, iso: str) -> None:
    assert DATES.first(printed) == iso


REAL = [
    ("4_pdf_Tkachevy.pdf", "ru", dict(kind="echr_judgment", case_numbers=["35430/05"], respondent_states=["Russia"],
                                       date="2012-02-14", court="European Court of Human Rights")),
    ("4_pdf_Frizen.pdf", "ru", dict(kind="echr_judgment", case_numbers=["58254/00"], respondent_states=["Russia"],
                                     date="2005-03-24")),
    ("1_Garkavyy_v._Ukraine.pdf", "uk", dict(kind="echr_judgment", case_numbers=["25978/07"],
                                              respondent_states=["Ukraine"], date="2010-02-18")),
    ("2_Holodov_v._Ukraine.pdf", "uk", dict(kind="echr_decision", case_numbers=["64953/14"],
                                             respondent_states=["Ukraine"], date="2016-08-23")),
]


@pytest.mark.parametrize("name,language,expected", REAL, ids=[r[0] for r in REAL])
def test_real_translations(shared_corpora: Path, name: str, language: str, expected: dict) -> None:
    from pipeline.extract import extract_file

    path = shared_corpora / "echr" / "pdf_hrights" / name
    need(path.is_file(), f"{path} not found")
    doc = extract_file(path)[0]
    doc.language = language
    j = structure(doc)
    assert {key: getattr(j, key) for key in expected} == expected


OPERATIVE = [
    ("Ukrainian violation and payment", "ЗА ЦИХ ПІДСТАВ СУД ОДНОГОЛОСНО\n1. Оголошує заяву прийнятною;\n2. Постановляє, "
     "що мало місце порушення пункту 1 статті 6 Конвенції;\n3. Постановляє, що держава-відповідач має сплатити "
     "заявнику 3 000 євро відповідно до статті 41;\nУчинено англійською мовою",
     [(None, "other"), ("6-1", "violation"), (None, "other")]),
    ("Ukrainian no violation, First Protocol", "З ЦИХ ПІДСТАВ СУД\n1. Постановляє, що не було порушення статті 1 "
     "Першого протоколу до Конвенції.\nВчинено англійською мовою", [("P1-1", "no_violation")]),
    ("Ukrainian combination", "ЗА ЦИХ ПІДСТАВ СУД ОДНОГОЛОСНО\n1. Постановляє, що було порушено статтю 14, розглянуту "
     "в поєднанні зі статтею 8 Конвенції;\nУчинено англійською", [("14+8", "violation")]),
    ("Ukrainian not necessary", "ЗА ЦИХ ПІДСТАВ СУД\n1. Постановляє, що немає потреби окремо розглядати скаргу за "
     "статтею 13 Конвенції.\nУчинено англійською", [("13", "not_necessary_to_examine")]),
    ("Russian violation", "НА ЭТИХ ОСНОВАНИЯХ СУД ЕДИНОГЛАСНО:\n1) постановил, что в данном деле имело место "
     "нарушение статьи 1 Протокола N 1 к Конвенции; 2) решил не присуждать компенсацию.\nСовершено на английском",
     [("P1-1", "violation"), (None, "other")]),
    ("Russian no violation", "ПО ЭТИМ ОСНОВАНИЯМ СУД\n1. Постановляет, что не имело места нарушение статьи 3 "
     "Конвенции.\nСовершено на английском", [("3", "no_violation")]),
    ("Russian 'were not violated' after the provision", "НА ЭТИХ ОСНОВАНИЯХ СУД ЕДИНОГЛАСНО\n1. постановил, что "
     "требования статьи 1 Протокола № 1 к Конвенции нарушены не были;\nСовершено на английском языке",
     [("P1-1", "no_violation")]),
    ("Russian combination", "НА ЭТИХ ОСНОВАНИЯХ СУД\n1. Постановляет, что имело место нарушение статьи 14 Конвенции "
     "во взаимосвязи со статьей 8 Конвенции.\nСовершено на английском", [("14+8", "violation")]),
    # near-misses
    ("a finding and a finding of none in one point, each on its own provision", "ЗА ЦИХ ПІДСТАВ СУД\n1. Постановляє, "
     "що мало місце порушення статті 3 Конвенції та не було порушення статті 5 Конвенції.\nУчинено англійською",
     [("3", "violation"), ("5", "no_violation")]),
    ("the same in Russian, the negation first", "ПО ЭТИМ ОСНОВАНИЯМ СУД\n1. Постановляет, что не было нарушения "
     "статьи 5 Конвенции, но имело место нарушение статьи 3 Конвенции.\nСовершено на английском",
     [("5", "no_violation"), ("3", "violation")]),
    ("a violation 'not found' is no finding of a violation", "ЗА ЦИХ ПІДСТАВ СУД\n1. Постановляє, що порушення "
     "статті 2 Конвенції не було.\nУчинено англійською", [("2", "no_violation")]),
    ("a finding on no provision", "ЗА ЦИХ ПІДСТАВ СУД\n1. Постановляє, що мало місце порушення Конвенції.\n"
     "Учинено англійською", [(None, "other")]),
    ("the reasoning is not the operative part", "Суд вважає, що мало місце порушення статті 6 Конвенції.", []),
]


@pytest.mark.parametrize("name,text,expected", OPERATIVE, ids=[o[0] for o in OPERATIVE])
def test_translated_operative_part(name: str, text: str, expected: list) -> None:
    assert [(h.article, h.outcome) for h in read_translation(text).holdings] == expected


def test_a_translated_award_is_read() -> None:
    text = ("ЗА ЦИХ ПІДСТАВ СУД ОДНОГОЛОСНО\n1. Постановляє, що мало місце порушення статті 3 Конвенції;\n"
            "2. Постановляє, що держава-відповідач має сплатити заявнику 3 000 (три тисячі) євро відшкодування "
            "моральної шкоди;\nУчинено англійською мовою")
    assert [(a.amount, a.currency) for a in read_translation(text).awards] == [(3000.0, "EUR")]
