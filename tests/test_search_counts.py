"""Totals and facet counts are exact: whatever page is asked, and as counted by hand.

The documents are built so that the shown page cannot hold all hits and the query's branches
score very differently (the word in a boosted title, or once in a long body): the shape that
made Whoosh's top-N collector drop hits from its total. Facet counts are checked against the
records themselves, over several segments and after a deletion.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from pathlib import Path

import pytest

from pipeline.catalogue import Catalogue, Document, Source
from pipeline.search import open_index, rebuild_index

FILLER = " ".join(f"word{n}" for n in range(400))
STATES = ["Russia", "Turkey", "Ukraine"]


def _docs() -> list[Document]:
    docs = []
    for n in range(36):
        state = STATES[n % 3]
        articles = ["3"] if n % 2 else ["3", "5"]
        # A third have "torture" in the title (boosted), the others once in a long body.
        title = f"CASE OF TORTURE {n} v. {state.upper()}" if n % 3 == 0 else f"CASE OF X{n} v. {state.upper()}"
        body = f"{title}\n\n{FILLER} the applicant alleged torture {FILLER}\n" if n % 3 else f"{title}\n\n{FILLER}\n"
        record = {"title": title, "kind": "echr_judgment", "respondent_states": [state],
                  "date": f"{2000 + n % 12}-01-15",
                  "holdings": [{"article": a, "outcome": "violation"} for a in articles]}
        docs.append(Document(id=f"doc{n:02d}", source_path=f"mem://{n}", format="txt", text=body,
                             language="en", title=title, meta={}, record=record))
    return docs


@pytest.fixture(scope="module")
def counted_index(tmp_path_factory, engine_name: str) -> tuple[Path, list[Document]]:
    root = tmp_path_factory.mktemp("counts")
    catalogue = Catalogue.open(root)
    docs = _docs()
    try:
        for doc in docs:
            digest = hashlib.sha256(doc.text.encode()).hexdigest()
            catalogue.record_source(Source(path=doc.source_path, sha256=digest, size=len(doc.text),
                                           mtime_ns=0, format="txt", status="ok",
                                           pipeline_version="test"), [doc])
        rebuild_index(root, catalogue, engine=engine_name)
        # A second segment, and a deleted document in the first.
        index = open_index(root, catalogue)
        batch = index.batch()
        batch.upsert(docs[1])
        batch.delete([docs[4].id])
        batch.commit()
    finally:
        catalogue.close()
    return root, [d for d in docs if d.id != docs[4].id]


def _expected(docs: list[Document], word: str, state: str | None = None) -> list[Document]:
    return [d for d in docs if word in d.text.lower()
            and (state is None or d.record["respondent_states"] == [state])]


@pytest.mark.parametrize(("query", "word", "state"), [
    ("torture", "torture", None),
    ("torture state:Russia", "torture", "Russia"),
    ("torture article:3", "torture", None),
    ("", "", None),
])
@pytest.mark.parametrize("sort", ["relevance", "newest"])
def test_totals_do_not_depend_on_the_page(counted_index, query, word, state, sort) -> None:
    root, docs = counted_index
    expected = _expected(docs, word, state)
    catalogue = Catalogue.open(root, readonly=True)
    try:
        index = open_index(root, catalogue, readonly=True)
        for limit in (1, 3, 10, 100):
            result = index.search(query, catalogue, limit=limit, sort=sort)
            assert result.total == len(expected), (query, limit)
        everything = index.search(query, catalogue, limit=100, sort=sort)
        assert {h.id for h in everything.hits} == {d.id for d in expected}
    finally:
        catalogue.close()


def test_facet_counts_are_exact(counted_index) -> None:
    root, docs = counted_index
    expected = _expected(docs, "torture")
    catalogue = Catalogue.open(root, readonly=True)
    try:
        index = open_index(root, catalogue, readonly=True)
        for limit in (1, 50):
            facets = index.search("torture", catalogue, limit=limit, facets=True).facets
            assert {c.value: c.count for c in facets["state"]} == dict(
                Counter(d.record["respondent_states"][0].lower() for d in expected))
            assert {c.value: c.count for c in facets["article"]} == dict(
                Counter(h["article"] for d in expected for h in d.record["holdings"]))
            assert {c.value: c.count for c in facets["year"]} == dict(
                Counter(d.record["date"][:4] for d in expected))
            assert {c.value: c.count for c in facets["kind"]} == {"echr_judgment": len(expected)}
            # The filter each value offers selects exactly that many hits.
            for value in facets["state"]:
                narrowed = index.search("torture", catalogue, filters=[value.filter])
                assert narrowed.total == value.count, value.filter
    finally:
        catalogue.close()
