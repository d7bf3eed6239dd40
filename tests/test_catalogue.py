"""The catalogue read in pages: bounded memory for a reindex, and safe to write between pages."""

from __future__ import annotations

import pytest

from pipeline.catalogue import Catalogue, Document, Source


def _fill(cat: Catalogue, n: int) -> None:
    for i in range(n):
        path = f"/data/ruling-{i:03d}.txt"
        cat.record_source(
            Source(path=path, sha256=f"{i:064x}", size=10, mtime_ns=1, format="txt", status="ok",
                   pipeline_version="test"),
            [Document(id=f"doc-{i:03d}", source_path=path, format="txt", text=f"Решение {i}")])


@pytest.mark.parametrize("n, page", [(0, 3), (1, 3), (7, 3), (9, 3), (10, 200)])
def test_iter_documents_pages_every_document_once_in_order(tmp_path, n, page):
    cat = Catalogue.open(tmp_path)
    _fill(cat, n)
    ids = [d.id for d in cat.iter_documents(page=page)]
    assert ids == [f"doc-{i:03d}" for i in range(n)]


def test_marking_indexed_between_pages_skips_nothing(tmp_path):
    """GIVEN 10 unindexed documents read 3 at a time
    WHEN each document is marked indexed as it is read (what ingest's indexer does)
    THEN every document is still read once, and none is left unindexed."""
    cat = Catalogue.open(tmp_path)
    _fill(cat, 10)
    seen = []
    for doc in cat.iter_documents(unindexed_only=True, page=3):
        seen.append(doc.id)
        cat.mark_indexed([doc.id])
    assert seen == [f"doc-{i:03d}" for i in range(10)]
    assert cat.count_documents(unindexed_only=True) == 0
    assert list(cat.iter_documents(unindexed_only=True)) == []
