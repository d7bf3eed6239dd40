"""Pinpoint citations in the Court's style and in Russian style, from records."""

from __future__ import annotations

import pytest

from pipeline.present.pinpoint import case_title, citation_for, paragraph_at
from pipeline.reference.names import case_key, state_key

MIKHEYEV = {"kind": "echr_judgment", "title": "CASE OF MIKHEYEV v. RUSSIA", "language": "en",
            "case_numbers": ["77617/01"], "date": "2006-01-26", "formation": "Chamber"}


@pytest.mark.parametrize(
    ("record", "paragraph", "section", "expected"),
    [
        (MIKHEYEV, "135", None, "Mikheyev v. Russia, no. 77617/01, § 135, 26 January 2006"),
        (MIKHEYEV, None, None, "Mikheyev v. Russia, no. 77617/01, 26 January 2006"),
        ({**MIKHEYEV, "title": "AFFAIRE MIKHEÏEV c. RUSSIE", "language": "fr"}, "135", None,
         "Mikheïev c. Russie, no 77617/01, § 135, 26 janvier 2006"),
        ({**MIKHEYEV, "case_numbers": ["1/01", "2/02"]}, "7", None,
         "Mikheyev v. Russia, nos. 1/01 and 2/02, § 7, 26 January 2006"),
        ({**MIKHEYEV, "case_numbers": ["1/01", "2/02"], "language": "fr",
          "title": "AFFAIRE MIKHEÏEV c. RUSSIE"}, None, None,
         "Mikheïev c. Russie, nos 1/01 et 2/02, 26 janvier 2006"),
        ({**MIKHEYEV, "title": "CASE OF BOUYID v. BELGIUM", "formation": "Grand Chamber",
          "case_numbers": ["23380/09"], "date": "2015-09-28"}, "81", None,
         "Bouyid v. Belgium [GC], no. 23380/09, § 81, 28 September 2015"),
        ({**MIKHEYEV, "kind": "echr_decision", "title": "Denis Valeryevich LUGOVSKIKH v. Russia",
          "case_numbers": ["33120/17"], "date": "2019-11-28"}, None, None,
         "Lugovskikh v. Russia (dec.), no. 33120/17, 28 November 2019"),
        ({**MIKHEYEV, "title": "CASE OF Y.P. v. RUSSIA", "case_numbers": ["43399/13"],
          "date": "2022-09-20"}, "35", None, "Y.P. v. Russia, no. 43399/13, § 35, 20 September 2022"),
        ({**MIKHEYEV, "language": "fr", "title": "AFFAIRE X c. FRANCE", "date": "2006-06-01"},
         None, None, "X c. France, no 77617/01, 1er juin 2006"),
        ({"kind": "ru_sentence", "title": "Приговор", "language": "ru",
          "court": "Ленинский районный суд г. Зареченска", "date": "2020-03-12",
          "case_numbers": ["1-123/2020"]}, None, None,
         "Ленинский районный суд г. Зареченска, приговор от 12 марта 2020 г. по делу № 1-123/2020"),
        ({"kind": "ru_ruling", "title": "Апелляционное определение по делу № 22-1456/2021",
          "language": "ru", "court": "Энский областной суд", "date": "2021-02-16",
          "case_numbers": ["22-1456/2021"]}, None, "reasoning",
         "Энский областной суд, апелляционное определение от 16 февраля 2021 г. по делу "
         "№ 22-1456/2021, мотивировочная часть"),
        ({"kind": "ru_ruling", "title": "Постановление по делу № 5-12/2020", "language": "ru",
          "court": None, "date": "2020-06-02", "case_numbers": ["5-12/2020"]}, None, None,
         "Постановление от 2 июня 2020 г. по делу № 5-12/2020"),
        ({"kind": "uk_judgment", "language": "en", "date": "2019-12-12",
          "title": "Dubravin v Government of the Russian Federation [2019] EWHC 9917 (Admin)",
          "case_numbers": ["[2019] EWHC 9917 (Admin)", "CO/4417/2019"]}, "12", None,
         "Dubravin v Government of the Russian Federation [2019] EWHC 9917 (Admin), [12]"),
        ({"kind": "uk_judgment", "language": "en", "date": "2021-11-10",
          "title": "Lloyd v Google LLC [2021] UKSC 50"}, None, None, "Lloyd v Google LLC [2021] UKSC 50"),
        ({"kind": "uk_judgment", "language": "en", "title": "[2022] EWHC 1148 (SCCO)"}, "7", None,
         "[2022] EWHC 1148 (SCCO), [7]"),
        ({"kind": "other", "title": "CONSEIL D'ÉTAT", "language": "fr", "date": "2021-02-19"},
         None, None, "CONSEIL D'ÉTAT, 19 février 2021"),
        ({}, None, None, None),
    ],
)
def test_citation_for(record: dict, paragraph: str | None, section: str | None,
                      expected: str | None) -> None:
    assert citation_for(record, paragraph, section) == expected


def test_many_applications_are_cited_by_the_lead_one() -> None:
    record = {**MIKHEYEV, "case_numbers": [f"{n}/13" for n in range(2, 62)] + ["1/13"],
              "text": "Applications nos. 1/13 and 60 others"}
    assert citation_for(record) == "Mikheyev v. Russia, nos. 1/13 and 60 others, 26 January 2006"


@pytest.mark.parametrize(
    ("title", "language", "expected"),
    [
        ("CASE OF SINEGORSKIY AND OTHERS v. RUSSIA", "en", "Sinegorskiy and Others v. Russia"),
        ("AFFAIRE ECODÉFENSE ET AUTRES c. RUSSIE", "fr", "Ecodéfense et autres c. Russie"),
        ("CASE OF BUZADJI v. THE REPUBLIC OF MOLDOVA", "en", "Buzadji v. the Republic of Moldova"),
        ("Ivan Mikhaïlovitch POLYNTSEV c. la Russie", "fr", "Polyntsev c. Russie"),
        ("CASE OF GÄFGEN v. GERMANY", "en", "Gäfgen v. Germany"),
        ("CASE OF GEORGIA v. RUSSIA (I)", "en", "Georgia v. Russia (I)"),
        # applicants known by initials: every word upper case, no surname to pick out
        ("CASE OF X AND Y v. NORTH MACEDONIA", "en", "X and Y v. North Macedonia"),
        ("CASE OF A AND OTHERS v. BULGARIA", "en", "A and Others v. Bulgaria"),
        # two applicants in full, surnames in capitals: the surnames and their "and"
        ("Ion POPESCU and Maria IONESCU v. Romania", "en", "Popescu and Ionescu v. Romania"),
        # initials outside A-Z stay initials; the Turkish İ lowers to a plain i
        ("CASE OF B.Ü. v. THE CZECH REPUBLIC", "en", "B.Ü. v. the Czech Republic"),
        ("CASE OF Ş.Ç. AND OTHERS v. TURKEY", "en", "Ş.Ç. and Others v. Turkey"),
        ("CASE OF ŞAHİN ALPAY v. TURKEY", "en", "Şahin Alpay v. Turkey"),
        # near-miss: two letters before the dot are an abbreviation, not initials
        ("CASE OF ST. NIKOLAUS v. AUSTRIA", "en", "St. Nikolaus v. Austria"),
    ],
)
def test_case_title(title: str, language: str, expected: str) -> None:
    assert case_title(title, language) == expected


@pytest.mark.parametrize(
    ("printed", "key"),
    [("Russia", "russia"), ("the Russian Federation", "russia"), ("Türkiye", "turkey"),
     ("the former Yugoslav Republic of Macedonia", "north macedonia"), ("FYROM", "north macedonia"),
     ("the United Kingdom", "united kingdom"), ("the Republic of Moldova", "moldova"),
     ("Russie", "russia")],
)
def test_state_key(printed: str, key: str) -> None:
    assert state_key(printed) == key


@pytest.mark.parametrize(
    ("a", "b", "same"),
    [
        ("CASE OF ZARECHNEV v. RUSSIA", "Zarechnev v. Russia", True),
        ("CASE OF ZARECHNEV v. RUSSIA", "Zarechnev c. Russie", True),
        ("AFFAIRE MIKHEÏEV c. RUSSIE", "Mikheiev v. the Russian Federation", True),
        ("Ananyev and Others v. Russia", "Ananyev et autres c. Russie", True),
        ("CASE OF ZARECHNEV v. RUSSIA", "Zarechnev v. Ukraine", False),
        ("CASE OF ZARECHNEV v. RUSSIA", "Zarechneva v. Russia", False),
    ],
)
def test_case_keys_match_across_languages(a: str, b: str, same: bool) -> None:
    assert (case_key(a) == case_key(b)) is same


@pytest.mark.parametrize(
    ("offset", "expected"),
    [(5, ("1", "facts")), (15, ("2", "law")), (25, (None, "law")), (99, (None, None))],
)
def test_paragraph_at(offset: int, expected: tuple) -> None:
    record = {"paragraphs": [{"number": "1", "start": 0, "end": 10, "section": "facts"},
                             {"number": "2", "start": 10, "end": 20, "section": "law"}],
              "sections": [{"name": "facts", "start": 0, "end": 10},
                           {"name": "law", "start": 10, "end": 30}]}
    assert paragraph_at(record, offset) == expected


@pytest.mark.parametrize("title, language, numbers, paragraph, expected", [
    ("Ткачевы против Российской Федерации", "ru", ["35430/05"], "40",
     "Ткачевы против Российской Федерации, жалоба № 35430/05, § 40, 14 февраля 2012 г."),
    ("Гирлян проти Росії", "uk", ["35943/15"], None, "Гирлян проти Росії, заява № 35943/15, 14 лютого 2012 р."),
    ("Навальный и Офицеров против России", "ru", ["46632/13", "28671/14"], None,
     "Навальный и Офицеров против России, жалобы № 46632/13 и 28671/14, 14 февраля 2012 г."),
    # near-misses: a translation whose title keeps the English form, and an English judgment
    ("CASE OF TKACHEVY v. RUSSIA", "ru", ["35430/05"], None, "Tkachevy v. Russia, no. 35430/05, 14 February 2012"),
    ("CASE OF TKACHEVY v. RUSSIA", "en", ["35430/05"], None, "Tkachevy v. Russia, no. 35430/05, 14 February 2012"),
])
def test_a_translation_is_cited_in_its_own_words(title: str, language: str, numbers: list[str],
                                                 paragraph: str | None, expected: str) -> None:
    record = {"kind": "echr_judgment", "title": title, "language": language, "case_numbers": numbers,
              "date": "2012-02-14"}
    assert citation_for(record, paragraph) == expected  # type: ignore[arg-type]
