"""Replaced documents do not pile up: the index is merged once they fill a quarter of it."""

from __future__ import annotations

import pytest
from whoosh import index

from pipeline.catalogue import Document
from pipeline.search.whoosh.engine import DELETED_MERGE_MIN, Batch, index_schema


def _doc(n: int, version: int) -> Document:
    return Document(id=f"doc-{n}", source_path=f"/x/{n}.txt", format="txt", language="en",
                    text=f"Ruling {n}, version {version}: the applicant was beaten in custody.")


@pytest.mark.parametrize(
    ("replaced", "merged"),
    [(DELETED_MERGE_MIN // 2, False), (DELETED_MERGE_MIN * 2, True)],
)
def test_merge_after_many_replacements(tmp_path, replaced: int, merged: bool) -> None:
    ix = index.create_in(str(tmp_path), index_schema())
    batch = Batch(ix)
    for n in range(DELETED_MERGE_MIN * 2):
        batch.upsert(_doc(n, 1))
    batch.commit()
    batch = Batch(ix)
    for n in range(replaced):
        batch.upsert(_doc(n, 2))
    batch.commit()
    assert ix.doc_count() == DELETED_MERGE_MIN * 2
    assert (ix.doc_count_all() == ix.doc_count()) is merged
