"""Legal entities on the real documents in ../shared/corpora (read in place, never copied).

The expected values below were written by reading each judgment's header and operative part,
not by running the finders.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from pipeline.entities.legal import find_legal_entities
from pipeline.extract import extract_file
from pipeline.models import Entity

#: file stem -> (own application number, Convention provisions in the operative part,
#: awards in the operative part). Read by hand from each judgment.
HUDOC_GOLD: dict[str, tuple[str, set[str], set[str]]] = {
    "CASE_OF_A.N._v._LITHUANIA": ("17280/08", {"6-1", "8"}, set()),
    "CASE_OF_CANG_Z_AND_OTHERS_v._TURKEY": ("7469/06", {"2", "3"}, set()),
    "CASE_OF_CARVALHO_PINTO_DE_SOUSA_MORAIS_v._PORTUGAL": ("17484/15", {"14+8"}, set()),
    "CASE_OF_CHIRAGOV_AND_OTHERS_v._ARMENIA": ("13216/05", set(), {"EUR 5000", "GBP 28642.87"}),
    "CASE_OF_D.L._v._BULGARIA": ("7472/14", {"5-1", "5-4", "8"}, set()),
    "CASE_OF_GARIB_v._THE_NETHERLANDS": ("43494/09", {"P4-2"}, set()),
    "CASE_OF_G_ZELYURTLU_AND_OTHERS_v._CYPRUS_AND_TURKEY": ("36925/07", {"2", "13+2"},
                                                            {"EUR 8500"}),
    "CASE_OF_INCIN_v._TURKEY": ("3534/06", {"2"}, set()),
    "CASE_OF_KHAN_v._GERMANY": ("38030/12", set(), {"EUR 5943.23"}),
    "CASE_OF_KORNEYKOVA_AND_KORNEYKOV_v._UKRAINE": ("56660/12", {"3"}, set()),
    "CASE_OF_K_ROLY_NAGY_v._HUNGARY": ("56665/09", set(), set()),
    "CASE_OF_LOPES_DE_SOUSA_FERNANDES_v._PORTUGAL": ("56080/13", {"2"}, set()),
    "CASE_OF_M_v._THE_NETHERLANDS": ("2156/10", {"6-1", "6-3-b", "6-3-c", "6-3-d"}, set()),
    "CASE_OF_NAGMETOV_v._RUSSIA": ("35589/08", {"2"}, set()),
    "CASE_OF_R.B._v._HUNGARY": ("64602/12", {"8"}, set()),
    "CASE_OF_REGNER_v._THE_CZECH_REPUBLIC": ("35289/11", {"6-1"}, set()),
    "CASE_OF_SARGSYAN_v._AZERBAIJAN": ("40167/06", set(), {"EUR 5000", "EUR 30000"}),
    "CASE_OF_TADDEUCCI_AND_McCALL_v._ITALY": ("51362/09", {"14+8"}, set()),
    "CASE_OF_V.M._AND_OTHERS_v._BELGIUM": ("60125/11", set(), set()),
    "CASE_OF_WENNER_v._GERMANY": ("62303/13", {"3"}, {"EUR 1801.05"}),
}

SUDRF_PAGES = 12


def _texts(folder: Path, pattern: str) -> dict[str, str]:
    return {p.stem: "\n\n".join(d.text for d in extract_file(p)) for p in sorted(folder.glob(pattern))}


@pytest.fixture(scope="module")
def hudoc(shared_corpora: Path) -> dict[str, tuple[str, list[Entity]]]:
    texts = _texts(shared_corpora / "echr" / "docx_hudoc_en", "*.docx")
    return {stem: (text, find_legal_entities(text, "en")) for stem, text in texts.items()}


@pytest.fixture(scope="module")
def sudrf(shared_corpora: Path) -> dict[str, tuple[str, list[Entity]]]:
    texts = _texts(shared_corpora / "ru" / "html_sudrf", "*.html")
    return {stem: (text, find_legal_entities(text, "ru")) for stem, text in texts.items()}


def _operative(text: str) -> tuple[int, int]:
    """From "FOR THESE REASONS, THE COURT" to the "Done in ..." line that closes the judgment."""
    start = text.index("FOR THESE REASONS")
    done = re.compile(r"^Done in", re.M).search(text, start)
    return start, done.start() if done else len(text)


def test_every_gold_judgment_is_in_the_corpus(hudoc) -> None:
    assert set(hudoc) == set(HUDOC_GOLD)


@pytest.mark.parametrize("stem", sorted(HUDOC_GOLD))
def test_own_application_number_found(hudoc, stem: str) -> None:
    text, entities = hudoc[stem]
    number = HUDOC_GOLD[stem][0]
    header = re.search(r"\(Application no\. " + re.escape(number) + r"\)", text)
    assert header, "gold number printed in the header"
    assert any(e.label == "APPLICATION_NO" and e.key == number
               and header.start() <= e.start < header.end() for e in entities)


@pytest.mark.parametrize("stem", sorted(HUDOC_GOLD))
def test_operative_part_articles_and_awards_found(hudoc, stem: str) -> None:
    text, entities = hudoc[stem]
    _, articles, awards = HUDOC_GOLD[stem]
    start, end = _operative(text)
    inside = [e for e in entities if start <= e.start < end]
    assert articles <= {e.key for e in inside if e.label == "ARTICLE"}
    assert awards <= {e.key for e in inside if e.label == "MONEY"}


def test_no_domestic_article_read_as_convention_article(hudoc) -> None:
    for _, entities in hudoc.values():
        for e in entities:
            if e.label == "ARTICLE":
                assert re.search(r"Convention|Protocol|conjunction|combination|together", e.text), e


@pytest.fixture(scope="module")
def sudrf_pages(shared_corpora: Path) -> dict[str, tuple[str, list[Entity]]]:
    """The whole visible text of each page, case card included.

    Needed because one act (samara_kas_appeal_card) prints its number redacted ("№" alone): the
    number, "Дело № 33а-647/2026", is only on the page's card, which the extractor leaves out.
    """
    out = {}
    for path in sorted((shared_corpora / "ru" / "html_sudrf").glob("*.html")):
        soup = BeautifulSoup(path.read_bytes().decode("utf-8"), "lxml")
        for tag in soup(["script", "style"]):
            tag.decompose()
        text = soup.get_text("\n")
        out[path.stem] = (text, find_legal_entities(text, "ru"))
    return out


def test_every_sudrf_page_has_its_case_number(sudrf, sudrf_pages) -> None:
    assert len(sudrf) == len(sudrf_pages) == SUDRF_PAGES
    in_act = {stem for stem, (_, ents) in sudrf.items() if any(e.label == "CASE_NO" for e in ents)}
    assert len(in_act) >= SUDRF_PAGES - 1, sorted(set(sudrf) - in_act)
    for stem, (_, entities) in sudrf_pages.items():
        assert any(e.label == "CASE_NO" for e in entities), stem


def test_no_sudrf_entity_contains_a_redaction(sudrf, sudrf_pages) -> None:
    marker = re.compile(r"данные изъяты|изъят|обезличен|<|>|\{|\}|ФИО\d|\*\*\*")
    for stem, (_, entities) in [*sudrf.items(), *sudrf_pages.items()]:
        for e in entities:
            assert not marker.search(e.text), (stem, e)


def test_sudrf_entities_sit_at_their_offsets(sudrf) -> None:
    for text, entities in sudrf.values():
        for e in entities:
            assert text[e.start:e.end] == e.text
