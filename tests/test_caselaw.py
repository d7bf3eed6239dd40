"""Citations resolved against the Court's list of case-law references, as tables.

Each row is a citation as a judgment (or a domestic text) prints it, with the entry of the list it
must resolve to, or None where a lawyer could not be sure which case it is: those near-misses are
the point (a name shared by several cases, a number with a typo, a Chamber and a Grand Chamber
judgment of one application, the same applicant against another State).
"""

from __future__ import annotations

import gzip
import time
from pathlib import Path

import pytest

from pipeline.entities.citations import find_citations
from pipeline.entities.resolve import resolve_citations
from pipeline.reference.caselaw import DATA_FILE, caselaw_list, marks_of, resolve
from pipeline.search.graph import group_citations

MIKHEYEV = "Mikheyev v. Russia, no. 77617/01, 26 January 2006"
IVANOV_RU = "Ivanov v. Russia, no. 3436/05, 8 February 2007"
BOUYID_GC = "Bouyid v. Belgium [GC], no. 23380/09, ECHR 2015"
BOUYID = "Bouyid v. Belgium, no. 23380/09, 21 November 2013"

# (citation as printed, case name and numbers as entities.citations reads them, expected entry)
ROWS = [
    # by number, the Court's own style
    ("Mikheyev v. Russia, no. 77617/01, § 135, 26 January 2006", "Mikheyev v. Russia",
     ["77617/01"], MIKHEYEV),
    ("Mikheyev v. Russia, no. 77617/01", "Mikheyev v. Russia", ["77617/01"], MIKHEYEV),
    # French, with the French transliteration of the name
    ("Mikheïev c. Russie, no 77617/01, § 135, 26 janvier 2006", "Mikheïev c. Russie",
     ["77617/01"], MIKHEYEV),
    # a number with a typo that no entry holds: the name with its date finds the case
    ("Mikheyev v. Russia, no. 77617/02, § 135, 26 January 2006", "Mikheyev v. Russia",
     ["77617/02"], MIKHEYEV),
    # ... and without the date, nothing is sure
    ("Mikheyev v. Russia, no. 77617/02, § 135", "Mikheyev v. Russia", ["77617/02"], None),
    # a typo landing on another case's number (Ivanov v. Russia's) is not that case
    ("Mikheyev v. Russia, no. 3436/05, § 135", "Mikheyev v. Russia", ["3436/05"], None),
    ("Mikheyev v. Russia, no. 3436/05, § 135, 26 January 2006", "Mikheyev v. Russia",
     ["3436/05"], MIKHEYEV),
    # a name shared by dozens of cases, one of them listed: never by the name alone
    ("Ivanov v. Russia, § 12", "Ivanov v. Russia", [], None),
    ("Ivanov v. Russia, no. 3436/05, § 12", "Ivanov v. Russia", ["3436/05"], IVANOV_RU),
    ("Ivanov v. Russia, 8 February 2007", "Ivanov v. Russia", [], IVANOV_RU),
    ("Ivanov v. Russia, § 12, 9 February 2007", "Ivanov v. Russia", [], None),
    ("Ivanov v. Russia (no. 2), 8 February 2007", "Ivanov v. Russia", [], None),
    # a year alone is not the date of an entry the list dates
    ("Ivanov v. Russia (2007)", "Ivanov v. Russia", [], None),
    # the same applicant's name against other States
    ("Ivanov v. Bulgaria, no. 67189/01, § 5, 24 May 2007", "Ivanov v. Bulgaria", ["67189/01"],
     "Ivanov v. Bulgaria, no. 67189/01, 24 May 2007"),
    ("Ivanov v. Ukraine, 7 December 2006", "Ivanov v. Ukraine", [],
     "Ivanov v. Ukraine, no. 15007/02, 7 December 2006"),
    ("Ivanov v. Bulgaria, 7 December 2006", "Ivanov v. Bulgaria", [], None),
    ("Ivanov v. Bulgaria, no. 15007/02", "Ivanov v. Bulgaria", ["15007/02"], None),
    # a Chamber and a Grand Chamber judgment of one application
    ("Bouyid v. Belgium [GC], no. 23380/09, § 81, ECHR 2015", "Bouyid v. Belgium", ["23380/09"],
     BOUYID_GC),
    ("Bouyid v. Belgium [GC], no. 23380/09, § 81, 28 September 2015", "Bouyid v. Belgium",
     ["23380/09"], BOUYID_GC),
    ("Bouyid v. Belgium, no. 23380/09, § 31, 21 November 2013", "Bouyid v. Belgium",
     ["23380/09"], BOUYID),
    ("Bouyid v. Belgium, no. 23380/09", "Bouyid v. Belgium", ["23380/09"], None),
    ("Bouyid v. Belgium [GC], § 81, ECHR 2015", "Bouyid v. Belgium", [], BOUYID_GC),
    # a decision and the later judgment of one application
    ("Blake v. the United Kingdom (dec.), no. 68890/01, ECHR 2005-XII", "Blake v. the United Kingdom",
     ["68890/01"], "Blake v. the United Kingdom (dec.), no. 68890/01, ECHR 2005-XII (extracts)"),
    ("Blake v. the United Kingdom, no. 68890/01, § 40, 26 September 2006",
     "Blake v. the United Kingdom", ["68890/01"], "Blake v. the United Kingdom, no. 68890/01, 26 September 2006"),
    # a merits and a just-satisfaction judgment; numbered inter-State cases
    ("Cyprus v. Turkey [GC], no. 25781/94, § 98, ECHR 2001-IV", "Cyprus v. Turkey", ["25781/94"],
     "Cyprus v. Turkey [GC], no. 25781/94, ECHR 2001-IV"),
    ("Cyprus v. Turkey (just satisfaction) [GC], no. 25781/94, § 20, ECHR 2014", "Cyprus v. Turkey",
     ["25781/94"], "Cyprus v. Turkey (just satisfaction) [GC], no. 25781/94, ECHR 2014"),
    ("Georgia v. Russia (II) [GC], no. 38263/08, § 81, 21 January 2021", "Georgia v. Russia",
     ["38263/08"], "Georgia v. Russia (II) [GC], no. 38263/08, 21 January 2021"),
    ("Georgia v. Russia (I) [GC], § 81, 21 January 2021", "Georgia v. Russia", [], None),
    # old judgments without application numbers: Series A, Reports
    ("Ireland v. the United Kingdom, 18 January 1978, § 162, Series A no. 25",
     "Ireland v. the United Kingdom", [], "Ireland v. the United Kingdom, 18 January 1978, Series A no. 25"),
    ("Ireland v. the United Kingdom, § 162, Series A no. 26", "Ireland v. the United Kingdom", [], None),
    ("Aerts v. Belgium, 30 July 1998, § 46, Reports of Judgments and Decisions 1998-V",
     "Aerts v. Belgium", [], "Aerts v. Belgium, 30 July 1998, Reports of Judgments and Decisions 1998-V"),
    # a name in another script: the number, the State and the date agree
    ("Михеев против России, жалоба № 77617/01, 26 января 2006 г.", "Михеев против России",
     ["77617/01"], MIKHEYEV),
    ("Михеев против России, жалоба № 77617/01", "Михеев против России", ["77617/01"], None),
    ("Михеев против Украины, жалоба № 77617/01, 26 января 2006 г.", "Михеев против Украины",
     ["77617/01"], None),
    # "S.H. and Others" cited as "S.H." beside its number
    ("S.H. v. Austria [GC], no. 57813/00, § 94, ECHR 2011", "S.H. v. Austria", ["57813/00"],
     "S.H. and Others v. Austria [GC], no. 57813/00, ECHR 2011"),
    # the old Grand Chamber, which the list does not mark: the date settles it
    ("Akdivar and Others v. Turkey [GC], 16 September 1996, § 69", "Akdivar and Others v. Turkey", [],
     "Akdivar and Others v. Turkey, 16 September 1996, Reports of Judgments and Decisions 1996-IV"),
    ("Akdivar and Others v. Turkey [GC], § 69, Reports 1996-IV", "Akdivar and Others v. Turkey", [], None),
    # a short form names no State: resolved only through its full citation (resolve_citations)
    ("Mikheyev, cited above, § 102", "Mikheyev", [], None),
    # not in the list at all
    ("Zarechnev v. Russia, no. 41234/15, § 12, 14 March 2019", "Zarechnev v. Russia", ["41234/15"], None),
]


@pytest.mark.parametrize("text,name,numbers,expected", ROWS)
def test_resolve(text: str, name: str, numbers: list[str], expected: str | None) -> None:
    entry = resolve(text, name, numbers)
    assert (entry.citation if entry else None) == expected


def test_a_resolved_entry_carries_name_numbers_date_and_french() -> None:
    entry = resolve("Ananyev and Others v. Russia, nos. 42525/07 and 60800/08, § 5, 10 January 2012",
                    "Ananyev and Others v. Russia", ["42525/07", "60800/08"])
    assert entry is not None
    assert (entry.title, entry.numbers, entry.date) == (
        "Ananyev and Others v. Russia", ("42525/07", "60800/08"), "2012-01-10")
    assert entry.citation_in("fr") == "Ananyev et autres c. Russie, nos 42525/07 et 60800/08, 10 janvier 2012"
    assert entry.citation_in("ru") == entry.citation


@pytest.mark.parametrize("head,gc,dec,series,phases", [
    ("Bouyid v. Belgium [GC]", True, False, None, set()),
    ("Basic v. Austria (dec.)", False, True, None, set()),
    ("Georgia v. Russia (II) (just satisfaction) [GC]", True, False, 2, {"just_satisfaction"}),
    ("Eckle v. Germany (Article 50)", False, False, None, {"just_satisfaction"}),
    ("Guiso-Gallisay c. Italie (satisfaction équitable) [GC]", True, False, None, {"just_satisfaction"}),
    ("De Nigris c. Italie (no 1)", False, False, 1, set()),
    ("Moldovan and Others v. Romania (n o 2) (friendly settlement)", False, False, 2,
     {"friendly_settlement"}),
    # a bracket inside a name is not a mark
    ("Refah Partisi (the Welfare Party) and Others v. Turkey", False, False, None, set()),
    ("Ivanov v. Russia (IV)", False, False, 4, set()),
])
def test_marks(head: str, gc: bool, dec: bool, series: int | None, phases: set[str]) -> None:
    marks = marks_of(head)
    assert (marks.grand_chamber, marks.decision, marks.series, set(marks.phases)) == (gc, dec, series, phases)


TEXT = ("12. The Court reiterates its case-law (see Mikheyev v. Russia, no. 77617/01, § 135, "
        "26 January 2006, and Bouyid v. Belgium [GC], no. 23380/09, § 81, ECHR 2015).\n"
        "13. The Chamber had found otherwise (see Bouyid v. Belgium, no. 23380/09, § 31, "
        "21 November 2013). As in Mikheyev (cited above, § 102), the applicant ...\n"
        "14. See also Ivanov v. Russia, § 12, and Zarechnev v. Russia, no. 41234/15, 14 March 2019.")


def test_a_documents_citations_resolved_and_short_forms_inherit() -> None:
    found = resolve_citations(find_citations(TEXT), "en")
    assert [(c.case_name, c.canonical) for c in found] == [
        ("Mikheyev v. Russia", MIKHEYEV), ("Bouyid v. Belgium", BOUYID_GC),
        ("Bouyid v. Belgium", BOUYID), ("Mikheyev", MIKHEYEV),
        ("Ivanov v. Russia", None), ("Zarechnev v. Russia", None)]
    assert found[0].canonical_numbers == ["77617/01"] and found[0].canonical_date == "2006-01-26"
    assert found[1].canonical_date is None  # the list dates it by its reporter only


def test_a_short_form_after_two_cases_of_one_name_stays_unresolved() -> None:
    found = resolve_citations(find_citations(TEXT + " As in Bouyid (cited above, § 90), ..."), "en")
    assert found[-1].case_name == "Bouyid" and found[-1].canonical is None


def _record(citations) -> dict:
    from dataclasses import asdict

    return {"citations": [asdict(c) for c in citations], "paragraphs": [], "sections": []}


def test_groups_split_a_chamber_and_a_grand_chamber_judgment() -> None:
    groups = group_citations(_record(resolve_citations(find_citations(TEXT), "en")))  # type: ignore[arg-type]
    assert [g["canonical"]["canonical"] for g in groups] == [MIKHEYEV, BOUYID_GC, BOUYID, None, None]


def test_a_record_stored_before_resolution_is_resolved_when_read() -> None:
    record = _record(find_citations(TEXT))
    for cit in record["citations"]:
        for key in ("canonical", "canonical_name", "canonical_numbers", "canonical_date"):
            del cit[key]
    groups = group_citations(record, "fr")  # type: ignore[arg-type]
    assert groups[0]["canonical"]["canonical"] == "Mikheïev c. Russie, no 77617/01, 26 janvier 2006"
    assert groups[0]["canonical"]["canonical_numbers"] == ["77617/01"]


def test_the_list_and_its_provenance() -> None:
    cases = caselaw_list()
    assert len(cases.entries) > 20000
    assert cases.provenance["source_sha256"] == (
        "de0d9a70bf36caf815bc9014cc6b0dc2f389207520e2494f5475cf0c4ddf1c7e")
    assert "ECHR-CEDH" in cases.provenance["rights"]
    path = Path(__file__).resolve().parent.parent / "pipeline" / "reference" / DATA_FILE
    assert gzip.decompress(path.read_bytes()).count(b"\n") == len(cases.entries) + 7


def test_lookup_is_fast_enough_for_a_page_of_citations() -> None:
    caselaw_list()
    rows = [(t, n, num) for t, n, num, _ in ROWS] * 20
    began = time.perf_counter()
    for text, name, numbers in rows:
        resolve(text, name, numbers)
    per_citation = (time.perf_counter() - began) / len(rows)
    assert per_citation < 0.002, f"{per_citation * 1000:.2f} ms per citation"


@pytest.mark.parametrize("text,expected", [
    # a name without number or date takes the document's full citation of that name
    ("See Cyprus v. Turkey [GC], no. 25781/94, § 98, ECHR 2001-IV. As the Court held in Cyprus v. "
     "Turkey, cited above, § 99, ...", "Cyprus v. Turkey [GC], no. 25781/94, ECHR 2001-IV"),
    # printed before the full citation too
    ("As in Cyprus v. Turkey, the Court ... (see Cyprus v. Turkey [GC], no. 25781/94, § 98, "
     "ECHR 2001-IV).", "Cyprus v. Turkey [GC], no. 25781/94, ECHR 2001-IV"),
    # near-miss: the document cites two judgments of that name, so the bare name is either
    ("See Cyprus v. Turkey [GC], no. 25781/94, § 98, ECHR 2001-IV, and Cyprus v. Turkey (just "
     "satisfaction) [GC], no. 25781/94, § 20, ECHR 2014. In Cyprus v. Turkey, cited above, ...", None),
    # near-miss: the marks printed with the bare name say it is another case of that name
    ("See Georgia v. Russia (I) [GC], no. 13255/07, § 94, ECHR 2014. As in Georgia v. Russia (II), "
     "cited above, § 63, ...", None),
    ("See Georgia v. Russia (I) [GC], no. 13255/07, § 94, ECHR 2014, and Georgia v. Russia (I) "
     "(dec.), cited above, § 40", None),
    # near-miss: the full citation is of a case the list does not hold
    ("See Zarechnev v. Russia, no. 41234/15, 14 March 2019. In Zarechnev v. Russia, cited above, ...",
     None),
])
def test_a_bare_name_takes_the_documents_full_citation(text: str, expected: str | None) -> None:
    found = resolve_citations(find_citations(text), "en")
    bare = [c for c in found if not c.case_numbers]
    assert bare and all(c.canonical == expected for c in bare)


@pytest.mark.parametrize("text,language,expected", [
    # the older French style: "arrêt X c. Y du <date> (série A n o N)"
    ("comme la Cour l'a dit dans son arrêt Castells c. Espagne du 23 avril 1992 (série A n o 236, "
     "p. 22, par. 42)", "fr", "Castells c. Espagne, 23 avril 1992, série A no 236"),
    ("the Tusa v. Italy judgment of 27 February 1992, Series A no. 231-D, p. 41", "en",
     "Tusa v. Italy, 27 February 1992, Series A no. 231-D"),
    # a translation: the English name in brackets, a Ukrainian application number after them
    ("див. рішення у справі «Бурдов проти Росії» (Burdov v. Russia), заява № 59498/00, пункт 40, "
     "ECHR 2002-III)", "ru", "Burdov v. Russia, no. 59498/00, ECHR 2002-III"),
    # near-miss: an admissibility decision cited without "(dec.)": its Grand Chamber merits,
    # friendly-settlement and decision entries share the number, and the mark is missing
    ("у справі «Броньовські проти Польщі» (Broniowski v. Poland) [ВП], заява № 31443/96, "
     "пункт 98, ECHR 2002-X)", "ru", None),
    # near-miss: another day of the same month
    ("dans son arrêt Castells c. Espagne du 24 avril 1992", "fr", None),
])
def test_older_styles_found_and_resolved(text: str, language: str, expected: str | None) -> None:
    found = resolve_citations(find_citations(text), language)
    assert [c.canonical for c in found if " v. " in (c.case_name or "") or " c. " in (c.case_name or "")] == [expected]


def test_a_case_cited_without_its_number_is_looked_up_by_the_lists_numbers() -> None:
    """The index is searched by the application numbers the list gives when the citation
    prints none, so an indexed judgment cited by name and reporter links to it."""
    from pipeline.search.graph import _resolve

    calls = []

    def lookup(terms, **_):
        calls.append(terms)
        return [{"id": "bouyid-gc", "language": "en"}]

    cited = resolve_citations(find_citations("See Bouyid v. Belgium [GC], § 81, ECHR 2015."), "en")
    [group] = group_citations(_record(cited))  # type: ignore[arg-type]
    assert _resolve(lookup, group, exclude="me", language="en")["id"] == "bouyid-gc"
    assert calls == [[("own_ids", "23380/09")]]
