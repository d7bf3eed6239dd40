"""A communicated case's provisions at issue: those its complaints and questions name, never
those of its statement of facts or its annex."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.search.provisions import at_issue, expand
from pipeline.structure.communicated import complaints

from conftest import need

CASES = [
    ("English questions", "QUESTIONS TO THE PARTIES\n1. Has the applicant been subjected to torture, in breach of "
     "Article 3 of the Convention?\n2. Did the applicant have an effective remedy, as required by Article 13?",
     ["3", "13"]),
    ("French complaints and question, Protocol 'n o 1' as HUDOC sets it", "GRIEFS\nInvoquant l’article 2 du "
     "Protocole n o 1, le requérant se plaint.\nQUESTION AUX PARTIES\nLe droit garanti par l’article 10 de la "
     "Convention a-t-il été respecté ?", ["P1-2", "10"]),
    ("a combination", "QUESTIONS TO THE PARTIES\n1. Have the applicants suffered discrimination contrary to "
     "Article 14 of the Convention read in conjunction with Article 1 of Protocol No. 1?", ["14+P1-1"]),
    ("Ukrainian", "ПИТАННЯ ДО СТОРІН\n1. Чи було заявника піддано катуванню всупереч статті 3 Конвенції?", ["3"]),
    ("Russian", "ВОПРОСЫ СТОРОНАМ\n1. Имело ли место нарушение статьи 5 Конвенции?", ["5"]),
    # near-misses
    ("the statement of facts names provisions the case is not about", "STATEMENT OF FACTS\nThe court applied "
     "Article 8 of the Convention and Article 6.\nCOMPLAINTS\nThe applicant complains under Article 3.", ["3"]),
    ("the annex after the questions is not read", "QUESTIONS TO THE PARTIES\n1. Was Article 5 § 1 complied "
     "with?\nAPPENDIX\nArticle 8 of the Convention reads ...", ["5-1"]),
    ("just satisfaction is no complaint", "QUESTIONS TO THE PARTIES\nThe Government are invited to comment on "
     "the claims under Article 41.", []),
    ("'complaints' inside a sentence is no heading", "The complaints under Article 8 were rejected.", []),
]


@pytest.mark.parametrize("name,text,expected", CASES, ids=[c[0] for c in CASES])
def test_complaints(name: str, text: str, expected: list[str]) -> None:
    assert complaints(text) == expected


def test_a_communicated_case_is_at_issue_under_its_provisions() -> None:
    record = {"kind": "echr_communicated", "holdings": [], "awards": [], "charges": [], "complaints": ["14+P1-1"]}
    assert sorted(expand(at_issue(record))) == ["14", "14+P1-1", "P1", "P1-1"]  # type: ignore[arg-type]


# Read from each document's complaints and questions (the base articles, as a filter on
# ``article:`` would use them).
REAL = [
    ("001-114608_FRE.txt", {"3"}),
    ("001-111561_ENG.txt", {"P1-1", "14", "6"}),
    ("001-115709_ENG.txt", {"6", "8"}),
    ("001-109453_FRE.txt", {"6", "9", "10", "5", "P1-2"}),
]


@pytest.mark.parametrize("name,expected", REAL, ids=[r[0] for r in REAL])
def test_real_communicated_cases(shared_corpora: Path, name: str, expected: set[str]) -> None:
    from pipeline.extract import extract_file
    from pipeline.records import structure

    path = shared_corpora / "echr" / "hudoc_eras" / name
    need(path.is_file(), f"{path} not found")
    j = structure(extract_file(path)[0])
    assert j.kind == "echr_communicated"
    bases = {code.split("-")[0] if not code.startswith("P") else "-".join(code.split("-")[:2])
             for c in j.complaints for code in c.split("+")}
    assert bases == expected, j.complaints
