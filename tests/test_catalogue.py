"""The catalogue read in pages: bounded memory for a reindex, and safe to write between pages."""

from __future__ import annotations

import json

import pytest

from pipeline.catalogue import Catalogue, Document, Source
from pipeline.errors import CatalogueError
from pipeline.models import StoredRecord


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


def _store_raw_record(cat: Catalogue, raw: str) -> None:
    _fill(cat, 1)
    with cat.conn:
        cat.conn.execute("UPDATE documents SET record=? WHERE id='doc-000'", (raw,))


def test_a_record_of_an_older_version_reads_with_every_key(tmp_path):
    """GIVEN a record written before ``uid``, ``accused`` and ``penalties`` existed
    WHEN it is read back THEN those keys are there, empty, and what it had is kept."""
    cat = Catalogue.open(tmp_path)
    _store_raw_record(cat, json.dumps({"record_version": 1, "kind": "ru_sentence",
                                       "judges": ["Иванов И. И."], "charges": []}))
    record = cat.document("doc-000").record
    assert record is not None
    assert record["judges"] == ["Иванов И. И."] and record["kind"] == "ru_sentence"
    assert record["uid"] is None and record["accused"] == [] and record["penalties"] == []
    assert set(record) == set(StoredRecord.__annotations__)


@pytest.mark.parametrize("raw", ['["not", "a", "record"]', '{"kind": "ru_sentence"',
                                 '"a string"'])
def test_a_damaged_record_is_an_error_naming_the_document(tmp_path, raw):
    cat = Catalogue.open(tmp_path)
    _store_raw_record(cat, raw)
    with pytest.raises(CatalogueError, match="doc-000"):
        cat.document("doc-000")


def test_the_index_date_is_read_from_an_index_not_from_every_text(tmp_path):
    """GIVEN a catalogue, WHEN statistics ask its index date (max updated_at), THEN SQLite
    answers from an index: a table scan reads every document's text (stored before
    updated_at), which cost 0.3 s per call at 10,000 judgments."""
    from pipeline.stats.compute import _index_date

    cat = Catalogue.open(tmp_path)
    try:
        plan = " ".join(str(tuple(r)) for r in cat.conn.execute(
            "EXPLAIN QUERY PLAN SELECT max(updated_at) FROM documents"))
        assert "documents_updated" in plan and "SCAN documents" not in plan.replace(
            "SCAN documents USING COVERING INDEX", "")
        assert _index_date(cat) is None  # no document yet: no date, not an error
    finally:
        cat.close()
