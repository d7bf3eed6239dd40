"""Citation check of a lawyer's draft: each citation confirmed, a mismatch (with what differs)
or unknown, against a small index of the sample corpus and the Court's list of case-law
references.

The drafts are written here as lawyers write applications, in English and Russian. Each table
row is one citation and its expected verdict; the near-misses are the citations that must NOT be
called a mismatch (a name alone, a number of another case, a case number of another court).
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from pipeline.catalogue import Catalogue
from pipeline.checks import check_citations, read_draft
from pipeline.catalogue import Document
from pipeline.checks.citations import _paragraphs, _pinpoints
from pipeline.models import stored_record
from pipeline.cli import cli
from pipeline.errors import ExtractionError

ZARECHNEV = "echr-en-chamber-zarechnev-v-russia-41234-15"
SENTENCE = "ru-prigovor-286-zarechny-cp1251"


@pytest.fixture(scope="module")
def index(desk_index: Path) -> Path:
    """The desk's samples (``conftest.DESK_SAMPLES``), only read here."""
    return desk_index


@pytest.fixture(scope="module")
def catalogue(index):
    cat = Catalogue.open(index, readonly=True)
    yield cat
    cat.close()


def _one(text: str, catalogue) -> dict:
    found = check_citations(text, catalogue).citations
    assert len(found) == 1, [c.text for c in found]
    return found[0].to_json()


# (citation as a draft prints it, verdict, fields that differ, document matched or None)
ECHR = [
    # The Court's list alone (not indexed): name, number and date agree.
    ("(see Mikheyev v. Russia, no. 77617/01, § 135, 26 January 2006)", "confirmed", [], None),
    ("(see Mikheyev v. Russia, no. 77617/01, § 135, 26 January 2005)", "mismatch", ["date"], None),
    # Name and date agree: the number is the one that is wrong.
    ("(see Mikheyev v. Russia, no. 77617/02, § 135, 26 January 2006)", "mismatch", ["number"], None),
    # Number and date agree, the State does not.
    ("(see Mikheyev v. Ukraine, no. 77617/01, § 135, 26 January 2006)", "mismatch", ["name"], None),
    # A typo in the name is the same applicant.
    ("(see Mikheev v. Russia, no. 77617/01, § 135, 26 January 2006)", "confirmed", [], None),
    # Indexed: the paragraph is checked against the record's numbered paragraphs.
    ("(see Zarechnev v. Russia, no. 41234/15, § 19, 14 March 2019)", "confirmed", [], ZARECHNEV),
    ("(see Zarechnev v. Russia, no. 41234/15, §§ 19-25, 14 March 2019)", "confirmed", [], ZARECHNEV),
    ("(see Zarechnev v. Russia, no. 41234/15, § 335, 14 March 2019)", "mismatch", ["paragraph"],
     ZARECHNEV),
    ("(see Zarechnev v. Russia, no. 41234/15, § 19, 14 March 2018)", "mismatch", ["date"], ZARECHNEV),
    ("(see Kamyshnikov v. Russia, no. 17408/17, § 12, 15 September 2020)", "mismatch", ["number"],
     "001-999001"),
    # Found by name and date though no number is printed.
    ("(see Zarechnev v. Russia, § 12, 14 March 2019)", "confirmed", [], ZARECHNEV),
    # A Grand Chamber judgment the list dates by its reporter; cited with its delivery date it is
    # not the Chamber judgment of 2013 in the same application.
    ("(see Bouyid v. Belgium [GC], no. 23380/09, § 81, ECHR 2015)", "confirmed", [], None),
    ("(see Bouyid v. Belgium, no. 23380/09, § 81, 28 September 2015)", "confirmed", [], None),
    ("(see Bouyid v. Belgium, no. 23380/09, § 51, 21 November 2013)", "confirmed", [], None),
    # Dated in another year than the reporter the list gives: not certain, never a difference.
    ("(see Bouyid v. Belgium [GC], no. 23380/09, § 81, 28 September 2014)", "unknown", [], None),
    # Near-misses: never a mismatch.
    ("(see Ivanov v. Russia, § 12)", "unknown", [], None),                 # a name alone
    ("(see Smithfieldov v. Russia, no. 99999/19, § 5, 1 April 2021)", "unknown", [], None),
    # Lyapin's number, Mikheyev's name, neither's date: which one is meant cannot be told.
    ("(see Mikheyev v. Russia, no. 46956/09, § 5, 24 July 2013)", "unknown", [], None),
    ("(see Zarechnev v. Russia, 14 March 2018)", "unknown", [], None),     # name, other date
    # Read in published judgments: two real slips the list catches (the Court itself printed
    # 26 March for 27 March 2008, and 9178/03 for 9718/03).
    ("(see Emin and Others v. Greece, no. 34144/05, § 37, 26 March 2008)", "mismatch", ["date"], None),
    ("(see Georgel and Georgeta Stoicescu v. Romania, no. 9178/03, §§ 61-62, 26 July 2011)",
     "mismatch", ["number"], None),
    # An old judgment is singled out by its reporter as a newer one by its number.
    ("(see Guerra and Others v. Italy, 19 February 1998, § 44, Reports 1998-I)", "confirmed", [], None),
    ("(see Guerra and Others v. Italy, 19 February 1997, § 44, Reports 1998-I)", "mismatch", ["date"],
     None),
    # The list cites it without a number: a number printed is not contradicted.
    ("(see Guerra and Others v. Italy, no. 14967/89, § 44, 19 February 1998)", "confirmed", [], None),
    # Near-misses from published judgments: one application, several judgments. Without
    # "(no. 2)" the friendly settlement of 5 July 2005 is not the judgment of 12 July 2005.
    ("(see Moldovan and Others v. Romania (nos. 41138/98 and 64320/01, §§ 79-85, 12 July 2005))",
     "unknown", [], None),
    ("(see Moldovan and Others v. Romania (no. 2), nos. 41138/98 and 64320/01, § 79, ECHR 2005-VII)",
     "confirmed", [], None),
    # Names as published judgments print them: one of two respondent States, another
    # spelling of a second applicant, a name read as "autres" only.
    ("(see M.S.S. v. Belgium [GC], no. 30696/09, § 22, 21 January 2011)", "confirmed", [], None),
    ("(see Tchoban c. Bulgarie, no 46317/99, § 147, 23 février 2006)", "confirmed", [], None),
    ("(see Khlaifia et autres c. Italie [GC], no 16483/12, § 159, 15 décembre 2016)", "confirmed",
     [], None),
    # A name sharing words with another decision of the same day does not make its number wrong.
    ("(see United Macedonian Organisation Ilinden and Ivanov v. Bulgaria (dec.), no. 44079/98, "
     "9 September 2004)", "unknown", [], None),
    # A name the finder reads cut at its bracket ("VgT) v. Switzerland") is not compared.
    ("(see Verein gegen Tierfabriken Schweiz (VgT) v. Switzerland (no. 2) [GC], no. 32772/01, "
     "§ 85, ECHR 2009)", "unknown", [], None),
    # Russian drafts: the Court's form in Russian, and the form Russian lawyers use.
    ("См. Ляпин против России, жалоба № 46956/09, § 118, 24 июля 2014 г.", "confirmed", [], None),
    ("См. Ляпин против России, жалоба № 46956/09, § 118, 24 июля 2013 г.", "mismatch", ["date"], None),
    ("Европейский Суд в постановлении от 26 января 2006 г. по делу «Михеев против России» "
     "(жалоба № 77617/01), п. 135, указал", "confirmed", [], None),
    ("ЕСПЧ в постановлении от 14.03.2019 по делу \"Заречнев против России\" (жалоба N 41234/15), "
     "п. 300, указал", "mismatch", ["paragraph"], ZARECHNEV),
    # ... and with the date, the number and the paragraph after the name in «»
    ("по делу «Михеев против России» от 26 января 2005 г., жалоба № 77617/01, § 135", "mismatch",
     ["date"], None),
    ("по делу «Михеев против России» от 26 января 2006 г., жалоба № 77617/01, п. 135", "confirmed",
     [], None),
    ("(см. постановление ЕСПЧ по делу «Заречнев против России» (жалоба № 41234/15) от 14 марта "
     "2019 г., § 19)", "confirmed", [], ZARECHNEV),
    ("по делу «Заречнев против России» (жалоба № 41234/15) от 14 марта 2019 г., п. 300", "mismatch",
     ["paragraph"], ZARECHNEV),
]


@pytest.mark.parametrize("text, verdict, fields, doc_id", ECHR)
def test_echr_citations(catalogue, text, verdict, fields, doc_id):
    found = _one(text, catalogue)
    assert found["verdict"] == verdict, found
    assert [d["field"] for d in found["differences"]] == fields, found
    assert found["doc_id"] == doc_id, found
    if doc_id:
        assert found["doc_citation"]


def test_a_difference_names_both_sides(catalogue):
    found = _one("(see Mikheyev v. Russia, no. 77617/01, § 135, 26 January 2005)", catalogue)
    assert found["differences"][0]["message"] == \
        "date: draft says 26 January 2005, the judgment is of 26 January 2006"
    assert found["listed"] == "Mikheyev v. Russia, no. 77617/01, 26 January 2006"
    beyond = _one("(see Zarechnev v. Russia, no. 41234/15, § 335, 14 March 2019)", catalogue)
    assert beyond["differences"][0]["message"] == \
        "paragraph: draft says § 335, the judgment's last numbered paragraph is § 28"
    russian = _one("См. Ляпин против России, жалоба № 46956/09, § 118, 24 июля 2013 г.", catalogue)
    assert russian["differences"][0]["found"] == "24 июля 2014 г."


def test_span_is_where_the_draft_prints_it(catalogue):
    text = "The Court refers to Mikheyev v. Russia, no. 77617/01, § 135, 26 January 2006, and to"
    found = check_citations(text, catalogue).citations[0]
    assert text[found.start:found.end] == "Mikheyev v. Russia, no. 77617/01, § 135, 26 January 2006"


CITED_ABOVE = [
    # (draft, verdict of the "cited above", its differences, index of the full citation)
    ("See Zarechnev v. Russia, no. 41234/15, § 19, 14 March 2019. Later: see Zarechnev, cited "
     "above, § 335.", "mismatch", ["paragraph"], 0),
    ("See Zarechnev v. Russia, no. 41234/15, § 19, 14 March 2019. Later: see Zarechnev, cited "
     "above, § 24.", "confirmed", [], 0),
    # The full citation had a wrong date: the judgment is still certain, and § 20 is in it.
    ("See Zarechnev v. Russia, no. 41234/15, § 19, 14 March 2018; see Mikheyev v. Russia, "
     "no. 77617/01, 26 January 2006. Later: see Zarechnev, cited above, § 20.", "confirmed", [], 0),
    ("См. Михеев против России, жалоба № 77617/01, § 135, 26 января 2006 г. Далее: (см. Михеев "
     "против России, указанное выше, § 140).", "confirmed", [], 0),
    # Near-misses: two judgments of one name cited in full before (merits and just
    # satisfaction), nothing earlier to resolve to, or an earlier citation itself unknown.
    ("See Bouyid v. Belgium, no. 23380/09, 21 November 2013, and Bouyid v. Belgium [GC], "
     "no. 23380/09, ECHR 2015. Later: see Bouyid, cited above, § 81.", "unknown", [], 1),
    ("The applicant relies on Lyapin (see Lyapin, cited above, § 118).", "unknown", [], None),
    ("See Smithfieldov v. Russia, no. 99999/19, 1 April 2021. Later: see Smithfieldov, cited "
     "above, § 3.", "unknown", [], 0),
]


@pytest.mark.parametrize("text, verdict, fields, refers_to", CITED_ABOVE)
def test_cited_above(catalogue, text, verdict, fields, refers_to):
    found = check_citations(text, catalogue).citations
    short = found[-1].to_json()
    assert short["verdict"] == verdict, short
    assert [d["field"] for d in short["differences"]] == fields
    assert short["refers_to"] == refers_to


RUSSIAN = [
    ("Приговором Заречного районного суда г. Энска от 15 сентября 2020 г. по делу № 1-123/2020 "
     "сотрудники полиции осуждены.", "confirmed", [], SENTENCE, ["number", "court", "date"]),
    ("Приговором Заречного районного суда г. Энска от 15 сентября 2019 г. по делу № 1-123/2020 "
     "сотрудники полиции осуждены.", "mismatch", ["date"], SENTENCE, ["number", "court"]),
    ("Приговором Ленинского районного суда г. Энска от 15 сентября 2020 г. по делу № 1-123/2020 "
     "осуждены.", "mismatch", ["court"], SENTENCE, ["number", "date"]),
    ("Как следует из материалов дела № 1-123/2020, потерпевший обращался в полицию.", "confirmed",
     [], SENTENCE, ["number"]),
    ("По делу № 1-123/2020 от 15.09.2020 сотрудники полиции осуждены.", "confirmed", [], SENTENCE,
     ["number", "date"]),
    # The European Court is not the ruling's court, and a date of the facts not its date.
    ("Заявитель обратился в Европейский суд по правам человека; 3 марта 2018 г. его избили, "
     "а по делу № 1-123/2020 осуждены двое.", "confirmed", [], SENTENCE, ["number"]),
    ("Заявитель обратился в Европейский суд по правам человека по делу № 1-123/2020.",
     "confirmed", [], SENTENCE, ["number"]),
    # Near-misses: another court's case of the same number, a number not indexed, and a number
    # the index holds only as the case an appeal ruling reviewed.
    ("Приговором Ленинского районного суда г. Энска от 1 марта 2019 г. по делу № 1-123/2020 "
     "осуждены.", "unknown", [], None, []),
    ("Приговором Заречного районного суда г. Энска по делу № 1-999/2020 осуждены.", "unknown", [],
     None, []),
    ("Приговором Заречного районного суда г. Энска по делу № 1-124/2020 осуждены.", "unknown", [],
     None, []),
]


@pytest.mark.parametrize("text, verdict, fields, doc_id, agrees", RUSSIAN)
def test_russian_case_numbers(catalogue, text, verdict, fields, doc_id, agrees):
    found = _one(text, catalogue)
    assert found["kind"] == "ru_case"
    assert found["verdict"] == verdict, found
    assert [d["field"] for d in found["differences"]] == fields, found
    assert found["doc_id"] == doc_id
    assert found["agrees"] == agrees


def test_code_provisions_are_never_judged(catalogue):
    found = check_citations("осуждены по п. «а» ч. 3 ст. 286 УК РФ и ст. 9999 УК РФ", catalogue)
    assert [(c.kind, c.verdict) for c in found.citations] == [("ru_code", "unknown")] * 2
    assert "Уголовный кодекс" in found.citations[0].notes[0]


def _judgment(text: str, numbers: list[str]) -> Document:
    paragraphs = []
    for n in numbers:
        at = text.index(f"{n}.")
        paragraphs.append({"number": n, "start": at, "end": at + 20, "section": "law"})
    return Document(id="x", source_path="x.txt", format="txt", text=text,
                    record=stored_record({"kind": "echr_judgment", "paragraphs": paragraphs}))


@pytest.mark.parametrize("text, read, last", [
    # What the structure stage read is all there is.
    ("1. The facts. 2. The law. In 1998. The end.", ["1", "2"], 2),
    # HUDOC texts where it stopped early, or read section numbers: the numbers printed in
    # order, alone on a line or run into a heading, count; a year or a pinpoint does not.
    ("1. Facts. 2. More.\n\n3.\n\nThe Government argued. The applicants 4. In their view (see "
     "§ 5. above) 5. The Court", ["1", "2"], 5),
    ("I. 1. Facts. 2. More. II. 3. Law. 4. Still. 5. End.", ["1", "2"], 5),
    ("1. Facts. 2. More. In 1998. The Court, in 2004. found", ["1", "2"], 2),
    # "56 ." as some HUDOC texts print it, and numbers the text lost (a part a translation
    # leaves out); a number far past the last is not the next paragraph.
    ("1. Facts. 2. More. them. 3 .\n\nThe first. And 5. The second. 14. Next. 40. Far.",
     ["1", "2"], 14),
    # Numbers that lost their dot, alone at a line's end; not an amount ("de 1\n\n500 EUR").
    ("1. Facts. 2. More. Dommage 3\n\nLes requérants. Total de 1\n\n500 EUR. 4\n\n5 000", ["1", "2"], 3),
    ("No numbered paragraphs at all.", [], None),
])
def test_paragraphs_read_past_the_record(text, read, last):
    assert _paragraphs([_judgment(text, read)])[1] == last


@pytest.mark.parametrize("text, expected", [
    ("§ 135, 26 January 2006", [(135, 135)]),
    ("§§ 96-102, 24 July 2014", [(96, 102)]),
    ("§§ 81-90 and 114-123, ECHR 2015", [(81, 90), (114, 123)]),
    ("§ 135, 26 января 2006 г.", [(135, 135)]),
    ("(жалоба N 41234/15), п. 118", [(118, 118)]),
    ("26 January 2006", []),
    ("no. 77617/01", []),
])
def test_pinpoints(text, expected):
    assert _pinpoints(text) == expected


def test_without_an_index_the_list_alone(tmp_path):
    report = check_citations("(see Mikheyev v. Russia, no. 77617/01, § 135, 26 January 2005)")
    assert report.citations[0].verdict == "mismatch"
    assert report.counts() == {"confirmed": 0, "mismatch": 1, "unknown": 0}


DRAFT = [
    "APPLICATION",
    "STATEMENT OF ALLEGED VIOLATIONS",
    "35. The applicant was beaten in police custody. The State must account for injuries in "
    "custody (see Zarechnev v. Russia, no. 41234/15, § 19, 14 March 2019, and Mikheyev v. "
    "Russia, no. 77617/01, § 135, 26 January 2005).",
    "36. No effective investigation was carried out (see Zarechnev, cited above, § 335).",
    "37. Приговором Заречного районного суда г. Энска от 15 сентября 2020 г. по делу "
    "№ 1-123/2020 осуждены сотрудники полиции по п. «а» ч. 3 ст. 286 УК РФ.",
]


def test_docx_draft_from_the_command_line(index, tmp_path):
    from docx import Document as DocxDocument

    path = tmp_path / "application.docx"
    doc = DocxDocument()
    for line in DRAFT:
        doc.add_paragraph(line)
    doc.save(path)
    assert "Zarechnev, cited above" in read_draft(path).text
    result = CliRunner().invoke(cli, ["check-citations", str(path), "--index", str(index), "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    verdicts = [(c["kind"], c["verdict"]) for c in data["citations"]]
    assert verdicts == [("echr", "confirmed"), ("echr", "mismatch"), ("echr", "mismatch"),
                        ("ru_case", "confirmed"), ("ru_code", "unknown")]
    text = read_draft(path).text
    for cit in data["citations"]:
        start, end = cit["span"]
        assert text[start:end] == cit["text"]
    assert data["citations"][2]["refers_to"] == 0
    assert data["counts"] == {"confirmed": 2, "mismatch": 2, "unknown": 1}
    printed = CliRunner().invoke(cli, ["check-citations", str(path), "--index", str(index)])
    assert printed.exit_code == 0
    assert "date: draft says 26 January 2005, the judgment is of 26 January 2006" in printed.output


def test_stdin_draft(index):
    result = CliRunner().invoke(cli, ["check-citations", "-", "--index", str(index), "--json"],
                                input="См. Ляпин против России, жалоба № 46956/09, § 118, "
                                      "24 июля 2013 г.".encode())
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["citations"][0]["verdict"] == "mismatch"


def _junk(path: Path) -> Path:
    path.write_bytes(os.urandom(4096))
    return path


def _huge(path: Path) -> Path:
    with path.open("wb") as fh:       # sparse: 30 MB that cost no disk
        fh.truncate(30 * 1024 * 1024)
    return path


@pytest.mark.parametrize("name, make, words", [
    ("junk.docx", _junk, "not a valid DOCX"),
    ("junk.txt", _junk, "unsupported format"),
    ("empty.txt", lambda p: (p.write_bytes(b""), p)[1], "empty file"),
    ("huge.txt", _huge, "too large for a draft"),
    ("missing.docx", lambda p: p, "no such file"),
])
def test_bad_drafts_fail_in_one_line(index, tmp_path, name, make, words):
    path = make(tmp_path / name)
    with pytest.raises(ExtractionError, match=words):
        read_draft(path)
    result = CliRunner().invoke(cli, ["check-citations", str(path), "--index", str(index)])
    assert result.exit_code == 1
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and str(path) in lines[0] and words in lines[0], result.output


def test_a_real_hudoc_judgment(tmp_path, shared_corpora):
    """A.N. v. Lithuania as HUDOC saves it: the paragraph check reads the record's own last
    paragraph, and the Court's list agrees on number and date."""
    from pipeline.ingest import ingest

    source = shared_corpora / "echr" / "txt_hudoc_en_cp1252" / "CASE_OF_A.N._v._LITHUANIA.txt"
    assert source.is_file()
    index = tmp_path / "index"
    assert ingest([source], index, jobs=1).failed == 0      # read in place, never copied
    cat = Catalogue.open(index, readonly=True)
    try:
        doc = next(cat.iter_documents())
        last = max(int(p["number"]) for p in doc.record["paragraphs"] if p["number"].isdigit())
        right = f"(see A.N. v. Lithuania, no. 17280/08, § {last}, 31 May 2016)"
        wrong = f"(see A.N. v. Lithuania, no. 17280/08, § {last + 40}, 31 May 2016)"
        late = "(see A.N. v. Lithuania, no. 17280/08, § 10, 31 May 2015)"
        found = [check_citations(t, cat).citations[0] for t in (right, wrong, late)]
    finally:
        cat.close()
    assert [c.verdict for c in found] == ["confirmed", "mismatch", "mismatch"]
    assert found[0].doc_id == doc.id and "paragraph" in found[0].agrees
    assert [d.field for d in found[1].differences] == ["paragraph"]
    assert [d.field for d in found[2].differences] == ["date"]


# -- a pinpoint past the end of a text that may be incomplete ------------------------------

def _numbered_text(last: int, tail: str) -> str:
    body = "".join(f"{n}.\n\nThe applicant complained of his treatment in custody.\n\n"
                   for n in range(1, last + 1))
    return "CASE OF PETROV v. RUSSIA\n\n(Application no. 11111/11)\n\nJUDGMENT\n\n" + body + tail


OPERATIVE = ("FOR THESE REASONS, THE COURT, UNANIMOUSLY,\n\n1. Declares the application "
             "admissible;\n\n2. Holds that there has been a violation of Article 3 of the "
             "Convention;\n\nDone in English, and notified in writing on 5 May 2020.\n")


@pytest.mark.parametrize("tail, complete", [
    # The whole judgment: its operative part follows the last numbered paragraph.
    (OPERATIVE, True),
    # An ellipsis inside a paragraph's quotation is no omission of paragraphs (near-miss).
    ("He said: \"they beat me ... for hours\".\n\n" + OPERATIVE, True),
    # Cut short: the text stops after § 12, no operative part at all.
    ("", False),
    # Extracts: the paragraphs left out are marked before the operative part ...
    ("...\n\n" + OPERATIVE, False),
    # ... at the end of the last paragraph kept, right before the heading ...
    ("There has been no violation. ... " + OPERATIVE, False),
    # ... or in its heading ("THE COURT ..."), with the points left out.
    (OPERATIVE.replace("UNANIMOUSLY,", "..."), False),
    # Paragraphs the run of numbers did not reach: a gap of more than ten, then § 40.
    ("40. The Court reiterates.\n\n" + OPERATIVE, False),
])
def test_a_text_is_complete_only_when_its_operative_part_follows(tail, complete):
    from pipeline.checks.citations import _incomplete

    text = _numbered_text(12, tail)
    doc = Document(id="x", source_path="x.txt", format="txt", text=text,
                   record=stored_record({"kind": "echr_judgment", "paragraphs": []}))
    assert _paragraphs([doc])[1] == 12
    reason = _incomplete(doc, 12)
    assert (reason is None) is complete, reason


def test_a_paragraph_found_only_after_the_operative_part_is_no_end():
    """Y.Y. v. Turkey as the bulk index holds it: the run of numbers ends on a "31" in a
    footnote after the operative part; the judgment's own paragraphs stop at 25."""
    from pipeline.checks.citations import _incomplete

    text = _numbered_text(25, OPERATIVE + "\n26\n\nAugust 2010: a footnote.\n")
    doc = Document(id="x", source_path="x.txt", format="txt", text=text,
                   record=stored_record({"kind": "echr_judgment", "paragraphs": []}))
    assert _incomplete(doc, 26) == "no operative part follows § 26"
    assert _incomplete(doc, 25) is None


@pytest.mark.parametrize("tail, verdict, fields", [
    (OPERATIVE, "mismatch", ["paragraph"]),
    ("", "unknown", []),
    ("...\n\n" + OPERATIVE, "unknown", []),
])
def test_past_the_end_is_a_mismatch_only_in_a_complete_text(tmp_path, tail, verdict, fields):
    """End to end, through a catalogue: the same pinpoint (§ 40 of a 12-paragraph text) is a
    mismatch against the whole judgment and unknown against one that may have lost its end;
    a wrong date is a mismatch whatever the text."""
    from pipeline.models import empty_record

    text = _numbered_text(12, tail)
    record = {**empty_record(), "kind": "echr_judgment", "title": "CASE OF PETROV v. RUSSIA",
              "case_numbers": ["11111/11"], "own_identifiers": ["11111/11"],
              "date": "2020-05-05", "respondent_states": ["Russia"], "paragraphs": []}
    import hashlib

    from pipeline.catalogue import Source

    cat = Catalogue.open(tmp_path / "index", create=True)
    try:
        doc = Document(id="petrov", source_path="mem://petrov.txt", format="txt", text=text,
                       language="en", title=record["title"], record=stored_record(record))
        cat.record_source(Source(path=doc.source_path, sha256=hashlib.sha256(
            text.encode()).hexdigest(), size=len(text), mtime_ns=0, format="txt",
            status="ok", pipeline_version="test"), [doc])
        found = check_citations("(see Petrov v. Russia, no. 11111/11, § 40, 5 May 2020)",
                                cat).citations[0]
        dated = check_citations("(see Petrov v. Russia, no. 11111/11, § 40, 5 May 2019)",
                                cat).citations[0]
    finally:
        cat.close()
    assert (found.verdict, [d.field for d in found.differences]) == (verdict, fields), found
    assert found.doc_id == "petrov"
    if verdict == "unknown":
        assert "may be incomplete" in found.notes[-1] and "§ 40" in found.notes[-1]
    assert dated.verdict == "mismatch" and "date" in [d.field for d in dated.differences]


@pytest.mark.parametrize("draft, resolved", [
    # "and Others" added in the short form: another case (McCann and Others, 1995), unknown.
    ("See McCann v. the United Kingdom, no. 19009/04, ECHR 2008. Later: McCann and Others, "
     "cited above, § 150.", False),
    # Near-miss: the same "and Others" on both sides is the short form.
    ("See Ananyev and Others v. Russia, nos. 42525/07 and 60800/08, 10 January 2012. Later: "
     "Ananyev and Others, cited above, § 150.", True),
    # Near-miss: "and Others" dropped in the short form is still the short form.
    ("See Ananyev and Others v. Russia, nos. 42525/07 and 60800/08, 10 January 2012. Later: "
     "Ananyev, cited above, § 150.", True),
])
def test_cited_above_does_not_add_others(draft, resolved):
    found = check_citations(draft).citations
    assert (found[-1].refers_to is not None) is resolved, found[-1]
