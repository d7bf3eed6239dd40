"""UK judgment heads: the National Archives' DOCX judgments and the sample TXT, as one table.

The expected values were written by reading each head (not by running the code): neutral
citation, judgment date (never the hearing date), court, case number and case name as cited.
The real documents are read in place from ../shared/corpora through ``shared_corpora``.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.extract import extract_file
from pipeline.models import ExtractedText
from pipeline.records import structure
from pipeline.structure import describe
from pipeline.structure.common_law import read_uk_head, uk_date

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "corpora" / "uk_ewhc_admin_dubravin_v_russian_federation_utf8_bom.txt"

# (file, neutral citation, date, court, case number, case name)
UK_HEADS = [
    ("test1.docx", "[2003] EWCA Civ 547", "2003-04-15", "Court of Appeal (Civil Division)",
     "C3/2002/1463", "R (on the application of “B”) v Ashworth Hospital Authority"),
    ("test10.docx", "[2010] EWHC 465 (Comm)", "2010-03-10", "High Court of Justice, Commercial Court",
     "2009 Folio 462", "Shell Egypt West Manzala GmbH and another v Dana Gas Egypt Limited"),
    # "Decision & Reasons Promulgated" column, not the hearing dates beside it
    ("test13.docx", "[2021] UKUT 00116 (IAC)", "2021-04-16",
     "Upper Tribunal (Immigration and Asylum Chamber)", None,
     "Osefiso and another v Secretary of State for the Home Department"),
    # the head's "18 January 2022" is the hearing; the decision is signed on 1 February 2022
    ("test14.docx", "[2022] UKUT 26 (LC)", "2022-02-01", "Upper Tribunal (Lands Chamber)",
     "LC-2021-353", "Gill and another v Royal Borough of Greenwich"),
    # no date in the head; "RELEASE DATE: 15 June 2021" at the end
    ("test15.docx", "[2021] UKUT 0133 (TCC)", "2021-06-15", "Upper Tribunal (Tax and Chancery Chamber)",
     "UT/2020/0043", "Walewski v Commissioners for Her Majesty’s Revenue & Customs"),
    # opens with a reporting-restrictions warning; "NCN:" on the court line
    ("test2.docx", "[2021] EWCA Crim 1412", "2021-09-23", "Court of Appeal (Criminal Division)",
     "2021/01379/B1", "R v Oloyowang"),
    ("test21.docx", "[2022] UKUT 121 (LC)", "2022-05-10", "Upper Tribunal (Lands Chamber)",
     "LC-2021-273", "Obi-Ezekpazu v Avon Ground Rents Limited and another"),
    # "Neutral Citation No.[2022]" without a space; "Date: 04/05/2022" is 4 May
    ("test30.docx", "[2022] EWHC 1148 (SCCO)", "2022-05-04",
     "High Court of Justice, Senior Courts Costs Office", "T20200493", "R v Fraser"),
    ("test40.docx", "[2022] EWHC 2354 (Admin)", "2022-09-16", "High Court of Justice, Administrative Court",
     "CO/2492/2021", "Al-Jaban v Court of First Instance in Antwerp (Belgium)"),
    # "Michaelmas Term" first; court from the citation; "JUDGMENT GIVEN ON", not "Heard on"
    ("test5.docx", "[2021] UKSC 50", "2021-11-10", "Supreme Court", None, "Lloyd v Google LLC"),
    ("test52.docx", "[2023] EWHC 263 (Admin)", "2023-02-13", "High Court of Justice, Planning Court",
     "CO/2298/2022",
     "R (on the application of the University Hospitals of Leicester NHS Trust) v Harborough District Council"),
    ("test60.docx", "[2023] EWCA Civ 657", "2023-06-09", "Court of Appeal (Civil Division)",
     "CA-2022-001955", "Pitalia and another v NHS England"),
    # two conjoined appeals on one line: the first names the case
    ("test75.docx", "[2013] UKSC 32", "2013-05-22", "Supreme Court", None,
     "Public Prosecution Service v McKee (Northern Ireland)"),
    ("test90.docx", "[2023] EAT 173", "2023-11-14", "Employment Appeal Tribunal", "EA-2021-000663-BA",
     "Kolev v Middlesex University"),
    ("test98.docx", "[2025] EWHC 1881 (Comm)", "2025-07-25", "High Court of Justice, Commercial Court",
     "CL-2021-000046", "Axa France Iard S.A. and another v Santander Cards UK Limited and another"),
]


def _text(path: Path) -> str:
    return extract_file(path)[0].text


@pytest.mark.parametrize(("name", "citation", "day", "court", "number", "case_name"), UK_HEADS,
                         ids=[row[0] for row in UK_HEADS])
def test_real_uk_heads(shared_corpora: Path, name: str, citation: str, day: str, court: str,
                       number: str | None, case_name: str) -> None:
    text = _text(shared_corpora / "other" / "uk_tna_docx" / name)
    head = read_uk_head(text)
    assert head is not None
    assert (head.neutral_citation, head.date, head.court, head.case_number, head.case_name) == \
        (citation, day, court, number, case_name)
    header = describe(text)
    assert (header.kind, header.title, header.date, header.court) == \
        ("uk_judgment", f"{case_name} {citation}", day, court)


def test_sample_txt_record() -> None:
    """The sample through the record builder's router: kind, title and own identifiers."""
    text = _text(SAMPLE)
    judgment = structure(ExtractedText(text=text, format="txt", language="en"))
    assert (judgment.kind, judgment.title, judgment.date, judgment.court, judgment.case_numbers) == (
        "uk_judgment", "Dubravin v Government of the Russian Federation [2019] EWHC 9917 (Admin)",
        "2019-12-12", "High Court of Justice, Administrative Court",
        ["[2019] EWHC 9917 (Admin)", "CO/4417/2019"])


@pytest.mark.parametrize(
    ("head", "expected"),
    [
        # a citation in the body, below the head's first lines, is not the document's own
        ("Case No: 12\n" + "Some English text.\n" * 20 + "As held in [2019] EWHC 1 (Admin).\n", None),
        # a citation "appealed from" is not the judgment's own
        ("Michaelmas Term\nOn appeal from: [2019] EWCA Civ 1599\n", None),
        ("Michaelmas Term\n[2021] UKSC 50\nOn appeal from: [2019] EWCA Civ 1599\n"
         "Lloyd (Respondent) v Google LLC (Appellant)\nJUDGMENT GIVEN ON\n10 November 2021\n"
         "Heard on 28 and 29 April 2021\n",
         ("[2021] UKSC 50", "Supreme Court", "2021-11-10", "Lloyd v Google LLC")),
        # hearing date only: no date rather than the hearing's
        ("Neutral Citation Number: [2020] EWHC 5 (QB)\nHearing date: 3 March 2020\n"
         "Between:\nJOHN SMITH | Claimant\n– and –\nACME LIMITED | Defendant\n",
         ("[2020] EWHC 5 (QB)", "High Court of Justice, Queen's Bench Division", None, "Smith v Acme Limited")),
        # roles on their own lines, en-dash separator, capitals recased, long names capped
        ("Neutral Citation Number: [2023] EAT 1\nEMPLOYMENT APPEAL TRIBUNAL\nDate: 1/2/2023\nBetween :\n"
         "THE CHIEF CONSTABLE OF " + "VERY " * 30 + "LONG POLICE\nRespondent\n– and –\nMS A B\nAppellant\n",
         ("[2023] EAT 1", "Employment Appeal Tribunal", "2023-02-01", None)),
    ],
)
def test_made_up_heads(head: str, expected: tuple | None) -> None:
    found = read_uk_head(head)
    if expected is None:
        assert found is None
        return
    assert found is not None
    citation, court, day, case_name = expected
    assert (found.neutral_citation, found.court, found.date) == (citation, court, day)
    if case_name is not None:
        assert found.case_name == case_name
    else:
        assert found.case_name is not None and len(found.case_name) <= 120 and found.case_name.endswith("…")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Date: 15TH April 2003", "2003-04-15"),
        ("Date: 04/05/2022", "2022-05-04"),
        ("Thursday 23rd September 2021", "2021-09-23"),
        ("16th September 2022", "2022-09-16"),
        ("Date: 31/02/2022", None),
        ("Hearing date: 13.9.22", None),
    ],
)
def test_uk_date(text: str, expected: str | None) -> None:
    assert uk_date(text) == expected


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        # Russian and ECHR heads are untouched even when a neutral citation appears early
        ("Дело № 1-123/2020\nП Р И Г О В О Р\n[2019] EWHC 1 (Admin)\n12 марта 2020 года", "ru_sentence"),
        ("CASE OF X v. RUSSIA\n[2019] EWHC 1 (Admin)\nSTRASBOURG\n10 March 2011\n"
         "European Court of Human Rights", "echr_judgment"),
    ],
)
def test_other_kinds_are_not_uk(text: str, kind: str) -> None:
    assert describe(text).kind == kind
