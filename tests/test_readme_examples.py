"""Every example query of the README, run on the sample corpus with both engines: each finds what
the README says it finds.

``EXAMPLES`` holds one expectation per example, written from the README's sentence and the
sample documents; ``test_every_readme_example_has_an_expectation`` reads the README's code spans
(the query-language section, the search page's identifiers, the export's ``--filter``, the word
range of the engines section), so an example added to the README without a check here fails.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from conftest import index_with_engine

from pipeline.catalogue import Catalogue
from pipeline.errors import QueryError
from pipeline.search import open_index

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")

ZARECHNEV = "echr-en-chamber-zarechnev-v-russia-41234-15"
SINEGORSKIY = "echr-en-committee-sinegorskiy-and-others-v-russia-art5-3-art"
TRAVNIKOVA = "echr-fr-affaire-travnikova-c-russie-28765-17"
POLYNTSEV = "echr-fr-decision-recevabilite-polyntsev-c-russie-63519-18"
KAMYSHNIKOV = "001-999001"
LUGOVSKIKH = "echr-lugovskikh-v-russia-33120-17"
CONSEIL = "fr-conseil-etat-refere-conditions-detention-cp1252"
DUBRAVIN = "uk-ewhc-admin-dubravin-v-russian-federation-utf8-bom"
PRIGOVOR = "ru-prigovor-286-zarechny-cp1251"
APPEAL = "ru-apelljacionnoe-opredelenie-sudrf-22-1456-2021"
SCAN = "ru-kassacionnoe-opredelenie-scan-image-only"
KOAP = "ru-postanovlenie-koap-20-2-koi8r"
OTKAZ = "ru-postanovlenie-otkaz-v-vozbuzhdenii-148-upk"
RESHENIE = "ru-reshenie-kompensaciya-moralnogo-vreda-minfin"
RULING_125 = "ru-zarechny-3-10-27-2021"
OBLSUD = "ru-ensk-oblsud-33-4012-2021"
ARBITRAZH = "ru-arbitrazh-ensk-a99-1234-2024"
ECHR = {ZARECHNEV, SINEGORSKIY, TRAVNIKOVA, POLYNTSEV, KAMYSHNIKOV, LUGOVSKIKH}
RUSSIAN = {PRIGOVOR, APPEAL, SCAN, KOAP, OTKAZ, RESHENIE, RULING_125, OBLSUD, ARBITRAZH}


@dataclass
class Finds:
    """The example finds at least ``include``, none of ``exclude``; ``exactly`` when set."""

    include: set[str] = field(default_factory=set)
    exclude: set[str] = field(default_factory=set)
    exactly: set[str] | None = None
    #: the example is run as this query (an operator, a value, a placeholder stand for one)
    query: str | None = None


def exactly(*ids: str) -> Finds:
    return Finds(exactly=set(ids))


#: Refused with a reason (the README's "refused" list), on both engines.
REFUSED = "refused"
#: Not a query of its own: the value or form another example's sentence speaks of, checked there.
VALUE = "value"

EXAMPLES: dict[str, Finds | str] = {
    # the search page: identifiers as printed
    "77617/01": Finds(include={ZARECHNEV, KAMYSHNIKOV}),         # Mikheyev, cited by both
    "1-123/2020": Finds(include={PRIGOVOR}, exclude={APPEAL}),   # the appeal is in 1-124/2020
    "ч. 3 ст. 286 УК РФ": Finds(include={PRIGOVOR}, exclude=ECHR),
    # words, forms, phrases, operators
    "пытка полиция": Finds(include={PRIGOVOR, KOAP, ARBITRAZH}, exclude={LUGOVSKIKH}),
    "пытка": Finds(include={PRIGOVOR, SCAN, OTKAZ, RESHENIE}),
    "пытки": Finds(query="пытки", include={PRIGOVOR, SCAN, OTKAZ, RESHENIE}),
    "пыток": Finds(query="пыток", include={PRIGOVOR, SCAN, OTKAZ, RESHENIE}),
    '"police custody"': Finds(include={ZARECHNEV, KAMYSHNIKOV, DUBRAVIN}, exclude=RUSSIAN),
    '"tortured police"~3': Finds(include={ZARECHNEV}, exclude=RUSSIAN),
    "AND": Finds(query="torture AND custody", include={ZARECHNEV}, exclude=RUSSIAN),
    "OR": Finds(query="пытка OR torture", include={PRIGOVOR, ZARECHNEV}),
    "NOT": Finds(query="torture NOT Russia", exclude={ZARECHNEV, KAMYSHNIKOV}),
    "ill-treatment": Finds(include={ZARECHNEV}, exclude=RUSSIAN),
    # identifiers, with and without their labels
    "41234/15": Finds(include={ZARECHNEV, KAMYSHNIKOV, POLYNTSEV, LUGOVSKIKH, DUBRAVIN}),
    "no. 41234/15": Finds(include={ZARECHNEV, KAMYSHNIKOV, POLYNTSEV, LUGOVSKIKH, DUBRAVIN}),
    "Application no. 41234/15": Finds(include={ZARECHNEV, KAMYSHNIKOV, POLYNTSEV, LUGOVSKIKH,
                                               DUBRAVIN}),
    "n° 41234/15": Finds(include={ZARECHNEV, KAMYSHNIKOV, POLYNTSEV, LUGOVSKIKH, DUBRAVIN}),
    "№ 1-123/2020": Finds(include={PRIGOVOR}, exclude={APPEAL}),
    "ECLI:CE:ECHR:2020:0915JUD001740816": exactly(KAMYSHNIKOV),
    "001-999001": exactly(KAMYSHNIKOV),
    "А99-1234/2024": exactly(ARBITRAZH),
    "А99-1234/24": exactly(ARBITRAZH),
    "A99-1234/2024": exactly(ARBITRAZH),
    "А99-1234/24-15-388": exactly(ARBITRAZH),
    "А99-1234": exactly(ARBITRAZH),
    "А99-1234/2023": exactly(),
    "А99-12345/2024": exactly(),
    "charge:УК:286:3": Finds(include={PRIGOVOR}, exclude=ECHR | {KOAP}),
    # fields
    "state:Russia": Finds(include=ECHR, exclude=RUSSIAN),
    'state:"Russian Federation"': Finds(include=ECHR, exclude=RUSSIAN),
    'state:"la Russie"': Finds(include=ECHR, exclude=RUSSIAN),
    "outcome:3:violation": Finds(include={ZARECHNEV, TRAVNIKOVA, KAMYSHNIKOV},
                                 exclude={SINEGORSKIY, POLYNTSEV} | RUSSIAN),
    "charge:УК:286": Finds(include={PRIGOVOR}, exclude=ECHR | {KOAP}),
    "kind:ru_sentence": Finds(include={PRIGOVOR}, exclude=ECHR | {KOAP, APPEAL}),
    "language:fr": Finds(include={TRAVNIKOVA, POLYNTSEV, CONSEIL}, exclude={ZARECHNEV} | RUSSIAN),
    "year:2019": Finds(include={ZARECHNEV, LUGOVSKIKH}, exclude={PRIGOVOR, KOAP}),
    "court_id:...": VALUE,                                    # run from the court facet below
    "title:Zarechnev": Finds(include={ZARECHNEV}, exclude={KAMYSHNIKOV, DUBRAVIN} | RUSSIAN),
    "court:Энска": Finds(include={PRIGOVOR, KOAP, RULING_125}, exclude=ECHR | {ARBITRAZH}),
    "judge:Ильменская": Finds(include={PRIGOVOR, RULING_125}, exclude=ECHR | {KOAP}),
    # provisions: at issue, named, prefixes
    "article:3": Finds(include={ZARECHNEV, TRAVNIKOVA, KAMYSHNIKOV},
                       exclude={DUBRAVIN, CONSEIL, SINEGORSKIY} | RUSSIAN),
    "cites_article:3": Finds(include={ZARECHNEV, TRAVNIKOVA, KAMYSHNIKOV, DUBRAVIN}),
    # the appeal reviews the sentence under ст. 286: charged under it too; the КоАП ruling is not
    "article:УК:286": Finds(include={PRIGOVOR, APPEAL}, exclude=ECHR | {KOAP, RESHENIE}),
    "article:5": Finds(include={SINEGORSKIY}, exclude={ZARECHNEV} | RUSSIAN),
    "article:6": Finds(include={SINEGORSKIY}, exclude={ZARECHNEV} | RUSSIAN),
    "article:6-1": Finds(include={SINEGORSKIY}, exclude={ZARECHNEV} | RUSSIAN),
    "5-3": VALUE, "6-1": VALUE, "6-3-c": VALUE,               # test_article_takes_in_its_paragraphs
    # dates
    "date:2019..2021": Finds(include={ZARECHNEV, PRIGOVOR, KOAP}, exclude={ARBITRAZH}),
    "date:2020-03-01..2021-12-31": Finds(include={KAMYSHNIKOV, KOAP}, exclude={ZARECHNEV, ARBITRAZH}),
    "date:2020..": Finds(include={KAMYSHNIKOV, ARBITRAZH}, exclude={ZARECHNEV, LUGOVSKIKH}),
    "date:..2019": Finds(include={ZARECHNEV, LUGOVSKIKH}, exclude={KAMYSHNIKOV, ARBITRAZH}),
    # refused
    "*": Finds(query="*пытка"), "?": Finds(query="?ытка"),
    # did you mean: the query runs as typed (nothing), the suggestion is tested below
    "tortrue": exactly(), "suggestions": VALUE, "--json": VALUE,
    # the export's filter
    '"police custody" torture': Finds(include={ZARECHNEV, KAMYSHNIKOV}, exclude=RUSSIAN),
    # the engines section: Whoosh only
    "title:[a TO c]": Finds(include={TRAVNIKOVA}),
}
REFUSED_EXAMPLES = {"*", "?"}


def readme_examples() -> list[str]:
    """The README's example queries: every code span of the query-language section except those
    in its "refused" sentence's wording, the search page's identifiers, the export's filter, and
    the word range of the engines section."""
    section = README.split("### Query language", 1)[1].split("\n### ", 1)[0].split("\n## ", 1)[0]
    found = re.findall(r"`([^`\n]+)`", section)
    page = next(line for line in README.splitlines() if "identifiers as printed" in line)
    page += README.split(page, 1)[1].split("\n", 2)[1]
    found += re.findall(r"`([^`\n]+)`", page)
    found += re.findall(r"--filter '([^']+)'", README)
    found += re.findall(r"`(title:\[[^`]+\])`", README)
    return list(dict.fromkeys(found))


def test_every_readme_example_has_an_expectation() -> None:
    examples = readme_examples()
    assert len(examples) > 40
    missing = [e for e in examples if e not in EXAMPLES]
    assert not missing, f"README examples without a check in EXAMPLES: {missing}"
    stale = [e for e in EXAMPLES if e not in examples]
    assert not stale, f"checks of examples the README no longer gives: {stale}"


@pytest.fixture(scope="module")
def engine(sample_index: Path, engine_name: str, tmp_path_factory):
    index = index_with_engine(sample_index, engine_name, tmp_path_factory.mktemp(engine_name))
    catalogue = Catalogue.open(index, readonly=True)
    yield open_index(index, catalogue, readonly=True), catalogue, engine_name
    catalogue.close()


def found(engine, query: str) -> set[str]:
    index, catalogue, _ = engine
    return {h.id for h in index.search(query, catalogue, limit=100).hits}


@pytest.mark.parametrize("example", [e for e, f in EXAMPLES.items() if isinstance(f, Finds)])
def test_readme_example(engine, example: str) -> None:
    expected = EXAMPLES[example]
    assert isinstance(expected, Finds)
    query = expected.query or example
    if example in REFUSED_EXAMPLES or (example.startswith("title:[") and engine[2] == "tantivy"):
        with pytest.raises(QueryError):
            found(engine, query)
        return
    got = found(engine, query)
    if expected.exactly is not None:
        assert got == expected.exactly
    assert expected.include <= got, f"{query}: missing {expected.include - got}"
    assert not (expected.exclude & got), f"{query}: found {expected.exclude & got}"
    assert got or expected.exactly == set(), f"{query} finds nothing"


def test_a_typo_gets_the_word_the_readme_names(engine) -> None:
    """``tortrue`` runs as typed and offers "torture", with the hits that query has."""
    index, catalogue, _ = engine
    results = index.search("tortrue", catalogue)
    assert results.total == 0
    assert [s.query for s in results.suggestions][:1] == ["torture"]
    assert results.suggestions[0].total == len(found(engine, "torture"))


def test_article_takes_in_its_paragraphs(engine) -> None:
    """``article:5`` finds ``5-3``, ``article:6`` finds ``6-1`` and ``6-3-c``; ``article:6-1``
    is that paragraph alone (the README's values)."""
    assert found(engine, "article:5-3") and found(engine, "article:5-3") <= found(engine, "article:5")
    assert found(engine, "article:6-1") | found(engine, "article:6-3-c") <= found(engine, "article:6")


def test_court_id_from_the_court_facet(engine) -> None:
    """``court_id:...`` as the court facet gives it: each value's filter finds its count."""
    index, catalogue, _ = engine
    courts = index.search("", catalogue, facets=True).facets["court"]
    assert courts
    for court in courts:
        assert court.filter.startswith("court_id:")
        assert len(found(engine, court.filter)) == court.count
