"""Legal reference data: the calendar's date readers and the respondent States, as tables."""

from __future__ import annotations

import pytest

from pipeline.reference.calendar import DATES, MONTHS, RU_MONTH_CASES, DateReader
from pipeline.reference.states import CITED_FORMS, STATES, state_names, states_from_codes
from pipeline.structure.common_law import uk_date
from pipeline.structure.header import describe

# (printed, every date (entities, parsers), a document's head, an English court's head)
READERS = [
    ("26 January 2006", "2006-01-26", "2006-01-26", "2006-01-26"),
    ("1er mars 2010", "2010-03-01", "2010-03-01", None),
    ("«5» мая 2019 г.", "2019-05-05", "2019-05-05", None),
    ("Thursday 23rd September 2021", "2021-09-23", "2021-09-23", "2021-09-23"),
    ("23rd September, 2021", None, None, "2021-09-23"),
    # a numeric date glued to "г." in a head is a birth date or a statute's
    ("от 08.01.1998года", "1998-01-08", None, None),
    ("15TH April 2003", "2003-04-15", "2003-04-15", "2003-04-15"),
    # the American order: translations print it, heads do not
    ("January 26, 2006", "2006-01-26", None, None),
    # numeric: dots are Russian, slashes English; a head takes dots only, an English head slashes
    ("26.01.2006", "2006-01-26", "2006-01-26", None),
    ("04/05/2022", "2022-05-04", None, "2022-05-04"),
    # a statute's year in a head is not the ruling's
    ("Law of 12 June 1845", "1845-06-12", None, None),
    ("Law of 12 June 1945", "1945-06-12", None, "1945-06-12"),
    # near-misses for all
    ("31 February 2006", None, None, None),
    ("Application no. 12345/06", None, None, None),
    ("13.9.22", None, None, None),
]


@pytest.mark.parametrize("printed,every,head,english", READERS)
def test_each_reader_takes_what_its_documents_print(printed: str, every: str | None, head: str | None,
                                                     english: str | None) -> None:
    assert DATES.first(printed) == every
    assert describe(f"Some document\n{printed}\n").date == head
    assert uk_date(printed) == english


def test_found_dates_keep_their_printed_span() -> None:
    text = "решение от 12 марта 2020 года; judgment of 26 January 2006"
    found = DATES.find(text)
    assert [(d.text, d.iso) for d in found] == [("12 марта 2020 года", "2020-03-12"),
                                                ("26 January 2006", "2006-01-26")]
    assert all(text[d.start:d.end] == d.text for d in found)


def test_a_reader_reads_only_its_languages() -> None:
    english = DateReader(languages=("en",))
    assert english.first("1er mars 2010, 26 January 2006") == "2006-01-26"
    assert english.first("12 марта 2020 года") is None


def test_month_tables() -> None:
    assert all(len(names) == 12 for names in MONTHS.values())
    assert all(len(names) == 12 for names in RU_MONTH_CASES.values())
    assert RU_MONTH_CASES["genitive"] == MONTHS["ru"]
    assert [DATES.first(f"1 {name} 2000") for name in MONTHS["fr"]] == [
        f"2000-{n:02d}-01" for n in range(1, 13)]


def test_every_state_is_found_by_its_own_name_and_code() -> None:
    for state in STATES:
        assert state_names(state.name) == [state.name]
        if state.iso3:
            assert states_from_codes(state.iso3) == [state.name]


@pytest.mark.parametrize(
    "printed,states",
    [("ROYAUME-UNI", ["United Kingdom"]), ("la République slovaque", ["Slovak Republic"]),
     ("FEDERAL REPUBLIC OF GERMANY", ["Germany"]), ("CYPRUS AND TURKEY", ["Cyprus", "Turkey"]),
     ("L'EX-REPUBLIQUE YOUGOSLAVE DE MACEDOINE", ["the former Yugoslav Republic of Macedonia"]),
     # translated titles print the State in the genitive; the nominative is no title's form
     ("против России", ["Russia"]), ("ПРОТИ УКРАЇНИ", ["Ukraine"]), ("Россия", [])],
)
def test_state_names_in_titles(printed: str, states: list[str]) -> None:
    assert state_names(printed) == states


def test_case_names_take_only_the_forms_the_court_prints() -> None:
    assert "the Netherlands" in CITED_FORMS and "Netherlands" not in CITED_FORMS
    assert {"Российской Федерации", "les Pays-Bas", "Pays-Bas", "Türkiye"} <= set(CITED_FORMS)
    assert "RUSSIAN FEDERATION" not in CITED_FORMS
