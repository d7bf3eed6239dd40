"""``article:`` finds the provisions a document rules on, ``cites_article:`` every one it names;
identifiers are found as lawyers type them. Run on both engines, over records written by hand
(what the structure parsers would give), so the index values alone are under test.

Each query lists exactly the documents it must find: the near-misses (a mere mention, another
paragraph of the article, another arbitrazh case, an application number that is part of an
arbitrazh number) are the documents it must not.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from pipeline.catalogue import Catalogue, Document, Source
from pipeline.models import stored_record
from pipeline.search import open_index, rebuild_index


def _article(key: str) -> dict:
    return {"label": "ARTICLE", "text": f"Article {key}", "start": 0, "end": 1, "key": key}


def _holding(article: str | None, outcome: str, text: str = "Holds that ...") -> dict:
    return {"article": article, "outcome": outcome, "text": text, "vote": None}


PAYMENT = ("Holds that the respondent State is to pay the applicant, within three months from the "
           "date on which the judgment becomes final in accordance with Article 44 § 2 of the "
           "Convention, EUR 10,000")

RECORDS = {
    # rules on Article 3; names Article 8 only in passing; awards just satisfaction
    "rules-3": dict(kind="echr_judgment", title="CASE OF A v. RUSSIA", respondent_states=["Russia"],
                    holdings=[_holding("3", "violation"), _holding(None, "other", PAYMENT)],
                    awards=[{"amount": 10000.0, "currency": "EUR", "head": "non_pecuniary", "text": ""}],
                    entities=[_article("3"), _article("8"), _article("44-2")],
                    own_identifiers=["44260/13"], identifiers=["44260/13", "77617/01"]),
    # names Article 3 in the facts and the cited case-law, rules on Article 6 § 3 (c) only
    "mentions-3": dict(kind="echr_judgment", title="CASE OF B v. RUSSIA", respondent_states=["Russia"],
                       holdings=[_holding("6-3-c", "no_violation")],
                       entities=[_article("3"), _article("6-3-c")], own_identifiers=["11111/10"],
                       identifiers=["11111/10", "44260/13"]),
    # 6-1 read with 6-3-c, and a combination 14+8
    "rules-6-1": dict(kind="echr_judgment", title="CASE OF C v. TURKEY", respondent_states=["Turkey"],
                      holdings=[_holding("6-1+6-3-c", "violation"), _holding("14+8", "violation")],
                      entities=[], own_identifiers=["22222/11"], identifiers=["22222/11"]),
    # Protocol No. 1
    "rules-p1": dict(kind="echr_judgment", title="CASE OF D v. UKRAINE", respondent_states=["Ukraine"],
                     holdings=[_holding("P1-1", "violation")], entities=[_article("P1-3")],
                     own_identifiers=["33333/12"], identifiers=["33333/12"]),
    # a decision: the complaints it declares, admissible and inadmissible
    "decision": dict(kind="echr_decision", title="E v. RUSSIA", respondent_states=["Russia"],
                     holdings=[_holding(None, "inadmissible",
                                        "Declares the complaint under Article 5 § 3 admissible and the "
                                        "complaint under Article 13 inadmissible")],
                     entities=[_article("5-3"), _article("13"), _article("35-3-a")],
                     own_identifiers=["55555/14", "001-145584"], identifiers=["55555/14", "001-145584"]),
    # a Russian sentence: charged under ч. 3 ст. 286 УК РФ; cites Article 3 of the Convention
    "sentence": dict(kind="ru_sentence", title="Приговор", charges=[
                         {"code": "УК", "article": "286", "part": "3", "point": "а", "key": "УК:286:3:а"}],
                     entities=[_article("3"), {"label": "CODE_ARTICLE", "text": "ст. 73 УК РФ", "start": 0,
                                               "end": 1, "key": "УК:73"}],
                     own_identifiers=["1-123/2020"], identifiers=["1-123/2020"]),
    # an arbitrazh ruling, as an earlier version stored its printed number
    "arbitrazh": dict(kind="ru_decision", title="Решение", own_identifiers=["a40-5590/23-99-47"],
                      identifiers=["a40-5590/23-99-47"]),
    # near-misses: another year, another number
    "arbitrazh-2022": dict(kind="ru_decision", title="Решение", own_identifiers=["a40-5590/2022"],
                           identifiers=["a40-5590/2022"]),
    "arbitrazh-55901": dict(kind="ru_decision", title="Решение", own_identifiers=["a40-55901/2023"],
                            identifiers=["a40-55901/2023"]),
    # an application number whose digits are the arbitrazh number's
    "application-5590": dict(kind="echr_judgment", title="CASE OF F v. RUSSIA", own_identifiers=["5590/23"],
                             identifiers=["5590/23"]),
    # a HUDOC export named by its item id; and a Russian text that happens to be named alike
    "hudoc-file": dict(kind="echr_judgment", title="CASE OF G v. RUSSIA"),
    "ru-named-like-hudoc": dict(kind="ru_decision", title="Решение"),
    "hudoc-copy": dict(kind="echr_judgment", title="CASE OF H v. RUSSIA"),
}
PATHS = {"hudoc-file": "/data/hudoc/001-57473_ENG.txt", "ru-named-like-hudoc": "/data/001-57474_RUS.txt",
         "hudoc-copy": "/data/001-57475_ENG (1).txt"}


def _docs() -> list[Document]:
    docs = []
    for doc_id, fields in RECORDS.items():
        record = stored_record(dict(fields))
        language = "ru" if record["kind"].startswith("ru") else "en"
        docs.append(Document(id=doc_id, source_path=PATHS.get(doc_id, f"mem://{doc_id}"), format="txt",
                             text=f"{record['title']} text of {doc_id}", language=language,
                             title=record["title"], meta={}, record=record))
    return docs


@pytest.fixture(scope="module")
def index(tmp_path_factory, engine_name: str):
    root = tmp_path_factory.mktemp(f"provisions-{engine_name}")
    catalogue = Catalogue.open(root)
    for doc in _docs():
        digest = hashlib.sha256(doc.text.encode()).hexdigest()
        catalogue.record_source(Source(path=doc.source_path, sha256=digest, size=len(doc.text),
                                       mtime_ns=0, format="txt", status="ok",
                                       pipeline_version="test"), [doc])
    rebuild_index(root, catalogue, engine=engine_name)
    catalogue.close()
    catalogue = Catalogue.open(root, readonly=True)
    yield open_index(root, catalogue, readonly=True), catalogue
    catalogue.close()


def found(index, query: str) -> set[str]:
    engine, catalogue = index
    return {h.id for h in engine.search(query, catalogue, limit=100).hits}


@pytest.mark.parametrize(("query", "expected"), [
    # ruled on, not mentioned
    ("article:3", {"rules-3"}),
    ("cites_article:3", {"rules-3", "mentions-3", "sentence"}),
    ("article:8", {"rules-6-1"}),                       # 14+8, not rules-3's passing mention
    ("cites_article:8", {"rules-3", "rules-6-1"}),
    # a prefix down the article's paragraphs, narrow from a paragraph on
    ("article:6", {"mentions-3", "rules-6-1"}),
    ("article:6-3", {"mentions-3", "rules-6-1"}),
    ("article:6-1", {"rules-6-1"}),
    ("article:6§1", {"rules-6-1"}),
    ("article:6-3-c", {"mentions-3", "rules-6-1"}),
    ("article:14", {"rules-6-1"}),
    ("article:14+8", {"rules-6-1"}),
    ("article:P1", {"rules-p1"}),
    ("article:p1-1", {"rules-p1"}),
    ("article:P1-3", set()),
    ("cites_article:P1-3", {"rules-p1"}),
    # complaints a decision declares, whichever way
    ("article:5", {"decision"}),
    ("article:13", {"decision"}),
    ("article:35", set()),                              # mentioned, not declared
    # procedure: just satisfaction awarded; finality only framed the payment
    ("article:41", {"rules-3"}),
    ("article:44", set()),
    ("cites_article:44", {"rules-3"}),
    # charges
    ("article:УК:286", {"sentence"}),
    ("article:ук:286:3", {"sentence"}),
    ("article:286", set()),
    ("article:УК:73", set()),
    ("cites_article:УК:73", {"sentence"}),
])
def test_article_means_at_issue(index, query: str, expected: set[str]) -> None:
    assert found(index, query) == expected


@pytest.mark.parametrize(("query", "expected"), [
    ("А40-5590/2023", {"arbitrazh"}),
    ("A40-5590/2023", {"arbitrazh"}),                  # Latin A
    ("А40-5590/23", {"arbitrazh"}),
    ("А40-5590/23-99-47", {"arbitrazh"}),
    ("а40-5590/23-12-3", {"arbitrazh"}),               # another judge's suffix: the same case
    ("А40-5590", {"arbitrazh", "arbitrazh-2022"}),     # no year: that number in every year
    ("А40-5590/2022", {"arbitrazh-2022"}),
    ("А40-55901/2023", {"arbitrazh-55901"}),
    ("5590/23", {"application-5590"}),
    ("А41-5590/2023", set()),
    ("001-145584", {"decision"}),
    ("001-57473", {"hudoc-file"}),
    ("001-57474", set()),                               # not an ECHR document
    ("001-57475", set()),                               # not the export's own name
    ("44260/13", {"rules-3", "mentions-3"}),
    ("no. 44260/13", {"rules-3", "mentions-3"}),
    ("Application no. 44260/13", {"rules-3", "mentions-3"}),
    ("application nos. 44260/13", {"rules-3", "mentions-3"}),
    ("n° 44260/13", {"rules-3", "mentions-3"}),
    ("requête n° 44260/13", {"rules-3", "mentions-3"}),
    ("№ 44260/13", {"rules-3", "mentions-3"}),
    ("жалоба № 44260/13", {"rules-3", "mentions-3"}),
    ("дело № 1-123/2020", {"sentence"}),
    ("44260/12", set()),
])
def test_identifiers_as_typed(index, query: str, expected: set[str]) -> None:
    assert found(index, query) == expected


def test_identifiers_rank_their_own_document_first(index) -> None:
    engine, catalogue = index
    assert engine.search("no. 44260/13", catalogue).hits[0].id == "rules-3"


def test_article_facet_puts_rights_before_procedure(index) -> None:
    """GIVEN documents under Article 41 and 35 WHEN counting the article facet THEN the rights
    (and charges) come first, and every value's count is what its filter finds."""
    engine, catalogue = index
    facet = engine.search("", catalogue, facets=True).facets["article"]
    values = [c.value for c in facet]
    procedural = [v for v in values if v in ("41", "35")]
    assert procedural == ["41"]  # 35 is only mentioned
    assert values[-1] == "41" and values[0] == "6"  # "6" is at issue in two documents
    labels = {c.value: c.label for c in facet}
    assert labels["P1"] == "Protocol No. 1" and labels["УК:286:3"] == "ч. 3 ст. 286 УК РФ"
    for count in facet:
        assert len(found(index, count.filter)) == count.count, count
