"""Rule-based legal entities, as tables: (input text, expected entities), near-misses included.

Each table row is one legal phrasing a lawyer will search by; a row with ``[]`` is a near-miss
that must not match (eyecite style).
"""

from __future__ import annotations

import pytest

from pipeline.entities.articles import article_code, article_codes, find_articles
from pipeline.entities.citations import find_citations
from pipeline.entities.codes import find_code_provisions, parse_code_provision
from pipeline.entities.identifiers import find_identifiers, item_id_from_file_name, normalise_identifier
from pipeline.entities.legal import (expand_application_range, find_date_entities,
                                     find_legal_entities, redaction_spans)
from pipeline.entities.money import find_money, parse_amount
from pipeline.models import Charge


def keys(entities, label: str | None = None) -> list[str | None]:
    return [e.key for e in entities if label is None or e.label == label]


# -- money ----------------------------------------------------------------------------------------

MONEY = [
    ("EUR 10,000", ["EUR 10000"]),
    ("10,000 euros", ["EUR 10000"]),
    ("€15 000", ["EUR 15000"]),
    ("500 000 (пятьсот тысяч) рублей", ["RUB 500000"]),
    ("300 000 руб.", ["RUB 300000"]),
    ("10 000 евро", ["EUR 10000"]),
    ("FRF 50,000", ["FRF 50000"]),
    ("GBP 2,500", ["GBP 2500"]),
    ("ITL 10,000,000", ["ITL 10000000"]),
    ("USD 3,000 and UAH 1,200", ["USD 3000", "UAH 1200"]),
    ("RUR 20,000", ["RUB 20000"]),
    ("5 000 000 рублей 00 копеек", ["RUB 5000000"]),
    ("73 379 руб. 39 коп.", ["RUB 73379.39"]),
    ("EUR 10,000.50", ["EUR 10000.5"]),
    ("10 000,50 EUR", ["EUR 10000.5"]),
    ("GBP 28,642.87 (twenty-eight thousand ... pounds sterling)", ["GBP 28642.87"]),
    ("DEM 1.500", ["DEM 1500"]),
    ("300 тыс. рублей", ["RUB 300000"]),
    ("1 500 долларов США", ["USD 1500"]),
    # Ukrainian, as translations of the Court's judgments print the sums
    ("3 000 (три тисячі) євро", ["EUR 3000"]),
    ("1 200 гривень", ["UAH 1200"]),
    ("500 доларів США", ["USD 500"]),
    # the currency only inside the words after the figure; currency names in capitals
    ("1200 (тисячу двісті євро)", ["EUR 1200"]),
    ("885,87 (вісімсот вісімдесят п’ять євро та вісімдесят сім центів)", ["EUR 885.87"]),
    ("5890 ЄВРО (п'ять тисяч вісімсот дев'яносто ЄВРО)", ["EUR 5890"]),
    ("1 000 РУБЛЕЙ", ["RUB 1000"]),
    # near-misses: no currency touches the number
    ("Article 3 of the Convention", []),
    ("26 January 2006", []),
    ("Application no. 12345/06", []),
    ("26.01.2006", []),
    ("ч. 3 ст. 286 УК РФ", []),
    ("штраф в размере <данные изъяты> рублей", []),
    ("the euro zone", []),
    ("у Гривнях", []),
    # near misses: words in brackets after a provision's number, a split figure's tail, a bracket
    # without the currency, a word that only starts like the euro
    ("Article 41 (just satisfaction in euros)", []),
    ("EUR 2,286. 50 (two thousand two hundred and eighty-six euros fifty cents)", ["EUR 2286"]),
    ("5 (п’ять) заявників", []),
    ("3 ЄВРОПЕЙСЬКИХ", []),
]


@pytest.mark.parametrize("text,expected", MONEY)
def test_money(text: str, expected: list[str]) -> None:
    assert keys(find_money(text)) == expected


@pytest.mark.parametrize("text,expected", [
    ("EUR 10,000", (10000.0, "EUR")),
    ("500 000 (пятьсот тысяч) рублей", (500000.0, "RUB")),
    ("300 000 руб.", (300000.0, "RUB")),
    ("USD", None),
    ("Article 3", None),
])
def test_parse_amount(text: str, expected: tuple[float, str] | None) -> None:
    assert parse_amount(text) == expected


# -- code provisions ------------------------------------------------------------------------------

CODES = [
    ("п. «а» ч. 3 ст. 286 УК РФ", ["УК:286:3:а"]),
    ("ч. 1 ст. 111 УК РФ", ["УК:111:1"]),
    ("ст. 148 УПК РФ", ["УПК:148"]),
    ("ст. 151, 1069, 1100 ГК РФ", ["ГК:151", "ГК:1069", "ГК:1100"]),
    ("ст. 20.2 КоАП РФ", ["КоАП:20.2"]),
    ("ч. 5 ст. 20.2 КоАП РФ", ["КоАП:20.2:5"]),
    ("ст. 158.1 УК РФ", ["УК:158.1"]),
    ("статьи 286 Уголовного кодекса Российской Федерации", ["УК:286"]),
    ('пунктами "а", "в" части 3 статьи 286 УК РФ', ["УК:286:3:а", "УК:286:3:в"]),
    ("пп. «а» и «в» ч. 3 ст. 286 УК РФ", ["УК:286:3:а", "УК:286:3:в"]),
    ("п. «и» ч. 2 ст. 105 УК РФ", ["УК:105:2:и"]),
    ("ст.ст. 307-309 УПК РФ", ["УПК:307", "УПК:308", "УПК:309"]),
    ("ст. ст. 307 - 309 УПК РФ", ["УПК:307", "УПК:308", "УПК:309"]),
    ("ч. 1 ст. 111, п. «а» ч. 3 ст. 286 УК РФ", ["УК:111:1", "УК:286:3:а"]),
    ("ч. 1 ст. 111 и ч. 3 ст. 286 УК РФ", ["УК:111:1", "УК:286:3"]),
    ("по ст. 12.26 ч. 1 КоАП РФ", ["КоАП:12.26:1"]),
    ("частью 1 статьи 19.34 Кодекса Российской Федерации об административных правонарушениях",
     ["КоАП:19.34:1"]),
    ("ч. 1 ст. 167 Гражданского процессуального кодекса РФ", ["ГПК:167:1"]),
    ("ст. 333 Гражданского кодекса Российской Федерации", ["ГК:333"]),
    ("частью первой статьи 129 Налогового кодекса", ["НК:129:1"]),
    ("статьи 309 Кодекса административного судопроизводства", ["КАС:309"]),
    ("ст. 21 Конституции РФ", ["Конституция:21"]),
    ("ст. 236 ТК РФ; ст. 110 АПК РФ", ["ТК:236", "АПК:110"]),
    # near-misses
    ("ст. 3", []),
    ("3 ст.", []),
    ("согласно ст. 3 настоящего Закона", []),
    ("ч. 3 ст. <данные изъяты> УК РФ", []),
    ("Article 286 of the Criminal Code", []),
    ("дело № 1-123/2020 УК", []),
]


@pytest.mark.parametrize("text,expected", CODES)
def test_code_provisions(text: str, expected: list[str]) -> None:
    assert keys(find_code_provisions(text)) == expected


def test_code_provision_spans_cover_their_chain_and_code() -> None:
    found = find_code_provisions("по ч. 1 ст. 111, п. «а» ч. 3 ст. 286 УК РФ, назначить")
    assert [e.text for e in found] == ["ч. 1 ст. 111", "п. «а» ч. 3 ст. 286 УК РФ"]


def test_parse_code_provision() -> None:
    assert parse_code_provision("п. «а» ч. 3 ст. 286 УК РФ") == Charge("УК", "286", "3", "а")
    assert parse_code_provision("ст. 3") is None


# -- dates ----------------------------------------------------------------------------------------

DATES = [
    ("26 January 2006", ["2006-01-26"]),
    ("January 26, 2006", ["2006-01-26"]),
    ("1er mars 2010", ["2010-03-01"]),
    ("26 janvier 2006", ["2006-01-26"]),
    ("le 3 février 2011", ["2011-02-03"]),
    ("26 января 2006 года", ["2006-01-26"]),
    ("«26» января 2006 г.", ["2006-01-26"]),
    ("26.01.2006", ["2006-01-26"]),
    ("18 августа 2025г.", ["2025-08-18"]),
    # near-misses
    ("15/09", []),
    ("Application no. 12345/06", []),
    ("1-123/2020", []),
    ("31 February 2006", []),
    ("January 2006", []),
    ("ДД.ММ.ГГГГ", []),
    ("version 1.26.2006", []),
]


@pytest.mark.parametrize("text,expected", DATES)
def test_dates(text: str, expected: list[str]) -> None:
    assert keys(find_date_entities(text)) == expected


# -- Convention articles --------------------------------------------------------------------------

ARTICLES = [
    ("Article 5 § 3 of the Convention", ["5-3"]),
    ("Article 6 §§ 1 and 3 (c) of the Convention", ["6-1", "6-3-c"]),
    ("Article 6 § 3 (c) and (d) of the Convention", ["6-3-c", "6-3-d"]),
    ("Articles 3 and 13 of the Convention", ["3", "13"]),
    ("Articles 5 § 4 and 8 of the Convention", ["5-4", "8"]),
    ("Article 1 of Protocol No. 1", ["P1-1"]),
    ("Article 2 of Protocol No. 4 to the Convention", ["P4-2"]),
    ("Article 14 taken in conjunction with Article 8", ["14+8"]),
    ("Article 14 of the Convention read together with Article 8", ["14+8"]),
    ("l'article 5 § 3 de la Convention", ["5-3"]),
    ("article 6 §§ 1 et 3 c) de la Convention", ["6-1", "6-3-c"]),
    ("l'article 1 du Protocole no 1", ["P1-1"]),
    ("l’article 2 du Protocole n o 1", ["P1-2"]),     # HUDOC's superscript "o", set apart
    ("l'article 4 du Protocole nº 7", ["P7-4"]),
    ("l'article 1 du Protocole n° 12", ["P12-1"]),
    ("статьи 3 Конвенции", ["3"]),
    ("пункта 1 статьи 6 Конвенции", ["6-1"]),
    ("статьи 1 Протокола № 1 к Конвенции", ["P1-1"]),
    # near-misses: domestic provisions
    ("Article 286 of the Criminal Code", []),
    ("Article 179 § 2 of the Civil Code", []),
    ("Article 10 of the Law on Police", []),
    ("статьи 286 УК РФ", []),
    ("Rule 39 of the Rules of Court", []),
]


@pytest.mark.parametrize("text,expected", ARTICLES)
def test_articles(text: str, expected: list[str]) -> None:
    assert keys(find_articles(text)) == expected


def test_article_code_in_holdings_needs_no_convention_words() -> None:
    assert article_code("Holds that there has been a violation of Article 3") == "3"
    assert article_codes("no violation of Article 6 §§ 1 and 3 (d)") == ["6-1", "6-3-d"]


# -- citations ------------------------------------------------------------------------------------

CITATIONS = [
    ("Mikheyev v. Russia, no. 77617/01, § 135, 26 January 2006",
     [("Mikheyev v. Russia", ["77617/01"])]),
    ("(see Selmouni v. France [GC], no. 25803/94, § 95, ECHR 1999-V)",
     [("Selmouni v. France", ["25803/94"])]),
    ("Ireland v. the United Kingdom, 18 January 1978, § 162, Series A no. 25",
     [("Ireland v. the United Kingdom", [])]),
    ("Assenov and Others v. Bulgaria, 28 October 1998, Reports 1998-VIII",
     [("Assenov and Others v. Bulgaria", [])]),
    ("(see Mikheyev, cited above, § 102)", [("Mikheyev", [])]),
    ("Mikheyev c. Russie, no 77617/01, § 135, 26 janvier 2006",
     [("Mikheyev c. Russie", ["77617/01"])]),
    ("voir Bouyid c. Belgique [GC], no 23380/09, CEDH 2015", [("Bouyid c. Belgique", ["23380/09"])]),
    ("see Aksu v. Turkey [GC], nos. 4149/04 and 41029/04, § 58, ECHR 2012",
     [("Aksu v. Turkey", ["4149/04", "41029/04"])]),
    ("In Cyprus v. Turkey (cited above, § 78) the Court", [("Cyprus v. Turkey", [])]),
    ("(see Abdulaziz, Cabales and Balkandali v. the United Kingdom, 28 May 1985, § 72)",
     [("Abdulaziz, Cabales and Balkandali v. the United Kingdom", [])]),
    # as texts scraped from HUDOC's pages print them: the rest in brackets, a space before the
    # comma, line breaks and non-breaking hyphens inside, "[GC]" in the bracket
    ("For a summary see Akhmadova and Sadulayeva v. Russia (no. 40464/02, §§ 67-69, 10 May 2007).",
     [("Akhmadova and Sadulayeva v. Russia", ["40464/02"])]),
    ("see Estamirov and Others v. Russia , no. 60272/00, §§\n\n73 \u2011 74, 12\n\nOctober 2006).",
     [("Estamirov and Others v. Russia", ["60272/00"])]),
    ("and Murray v. the Netherlands ([GC], no. 10511/10, §§ 70-76, 26 April 2016). 106.",
     [("Murray v. the Netherlands", ["10511/10"])]),
    # translations into Russian and Ukrainian: the English name in brackets, the rest after them
    ("у справі «Бурдов проти Росії» (Burdov v. Russia), заява № 59498/00, пункт 40, ECHR 2002-III)",
     [("Burdov v. Russia", ["59498/00"])]),
    ('по делу "Финогенов и другие против Российской Федерации" (Finogenov and Others v. Russia), '
     "N 18299/03 и N 27311/03, § 243)",
     [("Финогенов и другие против Российской Федерации", []),
      ("Finogenov and Others v. Russia", ["18299/03", "27311/03"])]),
    # Russian drafts: the name in «», then the number, the date and the paragraph in Russian
    ("(см. постановление ЕСПЧ по делу «Заречнев против России» (жалоба № 41234/15) от 14 марта "
     "2019 г., § 19)", [("Заречнев против России", ["41234/15"])]),
    ("по делу «Михеев против России» от 26 января 2006 г., жалоба № 77617/01, п. 135",
     [("Михеев против России", ["77617/01"])]),
    # near miss: a number after the sentence ends is not the citation's
    ("по делу «Михеев против России». Жалоба № 77617/01 была подана", [("Михеев против России", [])]),
    # near-misses
    ("as in Bouyid v. Belgium (the applicant complained of no. 12345/06)", [("Bouyid v. Belgium", [])]),
    ("(see Ivanov v. Russia), no. 5 of the list", [("Ivanov v. Russia", [])]),
    ("the applicant v. the police", []),
    ("CASE OF MIKHEYEV v. RUSSIA", []),
    ("CASE OF GARIB v. THE NETHERLANDS\n\nThe Garib v. the Netherlands case shows", []),
    ("In the case of Mikheyev v. Russia,\nThe European Court of Human Rights", []),
    ("Дело № 1-123/2020", []),
    ("The applicant, cited above, said so", []),
    ("Professor Tyler (cited above, at p. 31) rightly notes", []),
]


@pytest.mark.parametrize("text,expected", CITATIONS)
def test_citations(text: str, expected: list[tuple[str, list[str]]]) -> None:
    assert [(c.case_name, c.case_numbers) for c in find_citations(text)] == expected


def test_a_russian_citation_spans_its_date_and_paragraph() -> None:
    text = "(см. по делу «Михеев против России» от 26 января 2006 г., жалоба № 77617/01, п. 135)."
    [c] = find_citations(text)
    assert c.text.endswith("от 26 января 2006 г., жалоба № 77617/01, п. 135")


def test_citation_text_is_the_printed_span() -> None:
    text = "(see Mikheyev v. Russia, no. 77617/01, § 135, 26 January 2006)."
    [c] = find_citations(text)
    assert text[c.start:c.end] == c.text == "Mikheyev v. Russia, no. 77617/01, § 135, 26 January 2006"


# -- all entities together ------------------------------------------------------------------------

LEGAL = [
    ("Application no. 12345/06", [("APPLICATION_NO", "12345/06")]),
    ("(Applications nos. 4149/04 and 41029/04)",
     [("APPLICATION_NO", "4149/04"), ("APPLICATION_NO", "41029/04")]),
    ("req. no 12345/06", [("APPLICATION_NO", "12345/06")]),
    ("Requête no 23380/09", [("APPLICATION_NO", "23380/09")]),
    ("жалоба № 12345/06", [("APPLICATION_NO", "12345/06")]),
    ("ECLI:CE:ECHR:2011:0310JUD000270010", [("ECLI", "ecli:ce:echr:2011:0310jud000270010")]),
    ("Дело № 1-123/2020", [("CASE_NO", "1-123/2020")]),
    ("дело № 1 – 151/2026", [("CASE_NO", "1-151/2026")]),
    ("УИД 16RS0046-01-2020-001234-56", [("UID", "16rs0046-01-2020-001234-56")]),
    ("the European Court of Human Rights", [("COURT", "European Court of Human Rights")]),
    ("la Cour européenne des droits de l'homme",
     [("COURT", "Cour européenne des droits de l'homme")]),
    ("Советский районный суд г. Казани", [("COURT", "Советский районный суд г. Казани")]),
    ("Верховный Суд Российской Федерации", [("COURT", "Верховный Суд Российской Федерации")]),
    ("Десятый кассационный суд общей юрисдикции",
     [("COURT", "Десятый кассационный суд общей юрисдикции")]),
    ("the Leninskiy District Court of Vladimir", [("COURT", "Leninskiy District Court of Vladimir")]),
    ("судья Иванов И.И.", [("JUDGE", "Иванов И.И.")]),
    ("председательствующий судья Петров П.П.", [("JUDGE", "Петров П.П.")]),
    ("composed of:\nAndrás Sajó, President,\nNona Tsotsoria, judges,\nand Marialena Tsirli, "
     "Section Registrar,", [("JUDGE", "András Sajó"), ("JUDGE", "Nona Tsotsoria")]),
    ("ч. 3 ст. 286 УК РФ", [("CODE_ARTICLE", "УК:286:3")]),
    ("Article 3 of the Convention", [("ARTICLE", "3")]),
    # near-misses
    ("no. 5 of 2006", []),
    ("15/09/2011", [("DATE", "2011-09-15")]),
    ("Legislative Decree no. 11/98", []),
    ("Article 286 of the Criminal Code", []),
    ("судья ФИО1", []),
    ("Судья Х.Х.Х.", []),
    ("судья пришел к выводу, что Римиханов Т.С. виновен", []),
    ("3 ст.", []),
    ("the Court held", []),
    ("районного суда", []),
    ("<адрес> районного суда", []),
]


@pytest.mark.parametrize("text,expected", LEGAL)
def test_legal_entities(text: str, expected: list[tuple[str, str]]) -> None:
    assert [(e.label, e.key) for e in find_legal_entities(text)] == expected


#: One text per language, every finder at once, in the language the record gives.
BY_LANGUAGE = [
    ("en", "(Application no. 12345/06) The applicant alleged a violation of Article 3 of the "
           "Convention and claimed EUR 10,000 on 26 January 2006.",
     [("APPLICATION_NO", "12345/06"), ("ARTICLE", "3"), ("MONEY", "EUR 10000"),
      ("DATE", "2006-01-26")]),
    ("fr", "Requête no 23380/09. Violation de l'article 5 § 3 de la Convention ; 10 000 EUR "
           "le 1er mars 2010 (Bouyid c. Belgique [GC], no 23380/09, CEDH 2015).",
     [("APPLICATION_NO", "23380/09"), ("ARTICLE", "5-3"), ("MONEY", "EUR 10000"),
      ("DATE", "2010-03-01"), ("CITATION", "Bouyid c. Belgique")]),
    ("ru", "Дело № 1-123/2020. Судья Иванов И.И. признал ФИО1 виновным по п. «а» ч. 3 ст. 286 "
           "УК РФ и взыскал 500 000 (пятьсот тысяч) рублей <данные изъяты>.",
     [("CASE_NO", "1-123/2020"), ("JUDGE", "Иванов И.И."), ("CODE_ARTICLE", "УК:286:3:а"),
      ("MONEY", "RUB 500000")]),
    ("ru", "ФИО1 проживает по адресу <адрес>", []),
]


@pytest.mark.parametrize("language,text,expected", BY_LANGUAGE)
def test_legal_entities_by_language(language: str, text: str, expected: list[tuple[str, str]]) -> None:
    found = find_legal_entities(text, language)
    assert [(e.label, e.key) for e in found] == expected
    assert all(text[e.start:e.end] == e.text for e in found)


REDACTED = [
    "судья ФИО1 рассмотрел дело",
    "<данные изъяты> районный суд <адрес>",
    "потерпевший [ФИО] и (ФИО) по адресу {Адрес изъят}",
    "Х.Х.Х. получил *** рублей от ФИО12",
    "ФИО1, ДД.ММ.ГГГГ года рождения, <адрес>",
]


@pytest.mark.parametrize("text", REDACTED)
def test_redaction_markers_are_never_part_of_an_entity(text: str) -> None:
    marks = redaction_spans(text)
    assert marks, "the markers themselves are recognised"
    for e in find_legal_entities(text, "ru"):
        assert all(e.end <= s or e.start >= end for s, end in marks), e


def test_marker_at_the_edge_is_trimmed_not_kept() -> None:
    text = "Судья Ленинского районного суда г. Кирова Глушков А.С. ФИО1"
    found = find_legal_entities(text, "ru")
    assert ("JUDGE", "Глушков А.С.") in [(e.label, e.text) for e in found]
    assert not any("ФИО" in e.text for e in found)


def test_overlaps_longer_span_wins_and_citation_keeps_its_numbers() -> None:
    text = "(see Mikheyev v. Russia, no. 77617/01, § 135, 26 January 2006)"
    assert [(e.label, e.key) for e in find_legal_entities(text, "en")] == [
        ("CITATION", "Mikheyev v. Russia")]


def test_several_provisions_share_one_span() -> None:
    found = find_legal_entities("ст. 151, 1069, 1100 ГК РФ", "ru")
    assert keys(found) == ["ГК:151", "ГК:1069", "ГК:1100"]
    assert len({(e.start, e.end) for e in found}) == 1


def test_language_switches_off_russian_code_provisions() -> None:
    assert find_legal_entities("ч. 3 ст. 286 УК РФ", "en") == []


def test_application_ranges_keep_printed_numbers_and_expand_on_request() -> None:
    found = find_legal_entities("(Applications nos. 23878/94 to 23883/94)", "en")
    assert keys(found) == ["23878/94", "23883/94"]
    assert len(expand_application_range("23878/94", "23883/94")) == 6


def test_identifiers_still_serve_search() -> None:
    assert [i.value for i in find_identifiers("Application no. 17280/08; Дело № 1-123/2020")] == [
        "17280/08", "1-123/2020"]
    assert normalise_identifier("А40-5590/2023") == "a40-5590/2023"


@pytest.mark.parametrize(("text", "found"), [
    ("Дело № А40-5590/23-99-47", [("case_number", "a40-5590/2023")]),
    ("Дело №А83-19868/2020", [("case_number", "a83-19868/2020")]),
    ("Дело № СИП-694/2021", [("case_number", "sip-694/2021")]),
    ("A40-5590/2023 and А40-5590/2023", [("case_number", "a40-5590/2023")] * 2),
    ("HUDOC 001-145584.", [("itemid", "001-145584")]),
    # near-misses: another year or number is another case; an application number stays one
    ("А40-5590/2022", [("case_number", "a40-5590/2022")]),
    ("А40-55901/2023", [("case_number", "a40-55901/2023")]),
    ("application no. 5590/23", [("application", "5590/23")]),
    # a month, a date, a short number with dashes are no identifiers
    ("в 12-2023 г.", []),
    ("001-2023", []),
    ("15/09/2011", []),
    ("12-2023-1", []),
])
def test_identifier_table(text: str, found: list[tuple[str, str]]) -> None:
    assert [(i.kind, i.key) for i in find_identifiers(text)] == found


@pytest.mark.parametrize(("name", "item"), [
    ("001-57473_ENG.txt", "001-57473"),
    ("/corpora/hudoc/001-109453_FRE.docx", "001-109453"),
    ("001-57473.json", "001-57473"),
    ("001-57473 (1).txt", None),       # a copy renamed by hand
    ("case_001-57473_ENG.txt", None),
    ("001-2023_ENG.txt", None),
    ("А40-5590-2023.pdf", None),
])
def test_item_id_from_file_name(name: str, item: str | None) -> None:
    assert item_id_from_file_name(name) == item
