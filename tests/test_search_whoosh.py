"""Whoosh-only details: segment files read in place through the memory map."""

from __future__ import annotations

import io
import pickle
import tracemalloc
from pathlib import Path

import pytest

from pipeline.search.whoosh.engine import install_patches
from pipeline.search.whoosh.views import ViewBufferFile, ViewFile

DATA = b"first line\nsecond\n" + bytes(range(256)) * 40 + b"\nlast"



@pytest.fixture(autouse=True)
def _patched() -> None:
    """What opening a Whoosh index installs: some tests here use Whoosh directly."""
    install_patches()


# (operations, each (method, args)) run on a ViewFile and on a BytesIO of the same bytes.
SCRIPTS = [
    [("read", (5,)), ("tell", ()), ("read", (-1,)), ("read", (3,))],
    [("readline", ()), ("readline", ()), ("readline", (4,)), ("tell", ())],
    [("seek", (100,)), ("read", (10,)), ("seek", (-5, 1)), ("read", (5,)), ("seek", (-4, 2)),
     ("read", ())],
    [("seek", (len(DATA) + 10,)), ("read", (4,)), ("readline", ()), ("tell", ())],
    [("seek", (4090,)), ("readline", ()), ("readline", ()), ("readline", ())],
]


@pytest.mark.parametrize("script", SCRIPTS)
def test_view_file_reads_as_bytesio(script) -> None:
    ours, theirs = ViewFile(memoryview(DATA)), io.BytesIO(DATA)
    for method, args in script:
        assert getattr(ours, method)(*args) == getattr(theirs, method)(*args), (method, args)


def test_view_file_serves_pickle_iteration_and_readinto() -> None:
    blob = pickle.dumps({"a": [1, 2, 3]}, 2) + b"rest\nmore\n"
    view = ViewFile(memoryview(blob))
    assert pickle.load(view) == {"a": [1, 2, 3]}
    assert list(view) == [b"rest\n", b"more\n"]
    view.seek(0)
    buffer = bytearray(4)
    assert view.readinto(buffer) == 4 and bytes(buffer) == blob[:4]
    view.close()
    assert view.closed


def test_segments_are_not_copied_per_searcher(tmp_path: Path) -> None:
    """GIVEN an index of one large segment WHEN a searcher is opened THEN its files are views
    of the map: opening it allocates far less than the segment's size."""
    from whoosh import fields, index

    ix = index.create_in(str(tmp_path), fields.Schema(body=fields.TEXT(phrase=True)))
    writer = ix.writer()
    for n in range(3000):
        writer.add_document(body=" ".join(f"w{(n * 7 + k) % 5000}" for k in range(200)))
    writer.commit()
    size = sum(p.stat().st_size for p in tmp_path.glob("*.seg"))
    assert size > 2_000_000
    tracemalloc.start()
    try:
        with ix.searcher() as searcher:
            _, peak = tracemalloc.get_traced_memory()
            assert searcher.doc_count() == 3000
            assert isinstance(searcher.reader()._terms._dbfile, ViewBufferFile)
            assert searcher.document(body="w7") is not None
            assert peak < size / 4, (peak, size)
    finally:
        tracemalloc.stop()


class _Words:
    """A stand-in for a term matcher: its positions in the current document."""

    def __init__(self, positions: list[int]):
        self.positions = positions

    def spans(self):
        from whoosh.query.spans import Span

        return [Span(p) for p in self.positions]


@pytest.mark.parametrize("slop", [1, 2, 5, 10])
@pytest.mark.parametrize("words", [2, 3, 4])
def test_phrase_spans_on_integers_equal_whooshs(slop: int, words: int) -> None:
    """GIVEN random position lists WHEN checked by Whoosh's span objects and by the integer
    path THEN both find the same spans (so the same documents match)."""
    import random
    from types import SimpleNamespace

    from pipeline.search.whoosh.phrases import _ORIGINAL_GET_SPANS, ordered_match, ordered_spans

    rng = random.Random(f"{slop}:{words}")
    for _ in range(200):
        lists = [sorted(rng.sample(range(60), rng.randint(0, 12))) for _ in range(words)]
        fake = SimpleNamespace(ms=[_Words(p) for p in lists], slop=slop, ordered=True, mindist=1)
        # Whoosh orders spans by start only; the set of spans is what decides.
        theirs = sorted({(s.start, s.end) for s in _ORIGINAL_GET_SPANS(fake)})
        assert ordered_spans(lists, slop, 1) == theirs, lists
        assert ordered_match(lists, slop) == bool(theirs), lists


def test_positions_decode_as_before() -> None:
    from whoosh import formats

    from pipeline.search.whoosh import phrases

    positions = [0, 1, 5, 300, 70_000, 70_001]
    encoded = formats.Positions().encode(positions)
    assert phrases._decode_positions(None, encoded) == positions
    assert formats.Positions().decode_positions(encoded) == positions


QUERY_FILE = Path(__file__).resolve().parent.parent / "tools" / "bench" / "queries.txt"
EXTRA = ["tortur*", "пытк* NOT 1-124/2020", "torture OR пытка", "NOT torture", "article:3 NOT state:Russia",
         '"police custody"~3 torture', "date:2000..2020", "", "police custody",
         # Phrases the pairs fields narrow or answer (whoosh/pairs.py): common words, two and more.
         '"Article 3"', '"the applicant complained"', '"the Court notes"', '"сотрудники полиции"',
         '"violation de l\'article 3"', '"ill-treatment" "Article 3"', '"of the Convention"',
         '"суд установил"', '"police custody" NOT "Article 3"']
FILTERS = [[], ["state:Russia"], ["article:3", "date:2010.."], ["kind:ru_sentence"]]


def lawyers_queries() -> list[str]:
    lines = QUERY_FILE.read_text(encoding="utf-8").splitlines()
    return [ln.strip() for ln in lines if ln.strip() and not ln.startswith("#")] + EXTRA


def assert_fast_path_agrees(index, catalogue, queries, filters) -> int:
    """Every query evaluated by whoosh/fast.py and by Whoosh's matchers: same total, same facet
    counts, same hits in the same order with the same scores. Returns how many took the fast
    path (the others fell back, which the comparison then trivially passes)."""
    from pipeline.search.language.query import parse_query
    from pipeline.search.whoosh import fast

    fast_taken = 0
    for query in queries:
        for clauses in filters:
            results = []
            for use_fast in (True, False):
                index.fast = use_fast
                results.append(index.search(query, catalogue, limit=30, facets=True,
                                            filters=clauses))
            index.fast = True
            ours, theirs = results
            where = (query, clauses)
            assert ours.total == theirs.total, where
            assert [(h.id, round(h.score, 6)) for h in ours.hits] == \
                [(h.id, round(h.score, 6)) for h in theirs.hits], where
            assert {k: [(c.value, c.count) for c in v] for k, v in ours.facets.items()} == \
                {k: [(c.value, c.count) for c in v] for k, v in theirs.facets.items()}, where
            fast_taken += fast.supported(parse_query(query, index.schema, allow_empty=True)[0])
    return fast_taken


def test_fast_path_agrees_with_whooshs_matchers(sample_index: Path) -> None:
    from pipeline.catalogue import Catalogue
    from pipeline.search import open_index

    catalogue = Catalogue.open(sample_index, readonly=True)
    try:
        index = open_index(sample_index, catalogue, readonly=True)
        taken = assert_fast_path_agrees(index, catalogue, lawyers_queries(), FILTERS)
        assert taken >= len(FILTERS) * 30
    finally:
        catalogue.close()


def test_parallel_rebuild_finds_what_a_single_writer_does(sample_index: Path, tmp_path: Path,
                                                          monkeypatch) -> None:
    """GIVEN the sample corpus rebuilt by one writer and by Whoosh's multi-process writer WHEN
    searching THEN totals, facets and scores agree (ties may come in another order: the
    documents are spread over one segment per process)."""
    import shutil

    from pipeline.catalogue import Catalogue
    from pipeline.search import open_index
    from pipeline.search.whoosh import engine

    results = []
    for parallel in (False, True):
        copy = tmp_path / f"copy-{parallel}"
        shutil.copytree(sample_index, copy)
        monkeypatch.setattr(engine, "_rebuild_procs", lambda n: 2 if parallel else 1)
        catalogue = Catalogue.open(copy)
        try:
            index = engine.WhooshIndex.rebuild(copy, catalogue)
            if not parallel:
                assert len(list(index.directory.glob("*.seg"))) == 1
            results.append([
                (r.total, sorted((h.id, round(h.score, 6)) for h in r.hits),
                 {k: [(c.value, c.count) for c in v] for k, v in r.facets.items()})
                for r in (index.search(q, catalogue, limit=100, facets=True) for q in lawyers_queries())])
        finally:
            catalogue.close()
    assert results[0] == results[1]


@pytest.mark.parametrize(("kind", "text", "pairs"), [
    # "applic" and "complain" are both common in English; "the" is a stop word, so "complain"
    # and "polic" are adjacent, but "polic" is not common: no pair.
    ("en", "The applicant complained to the police", {"applic complain"}),
    # Neither word is common, or only one: no pair.
    ("en", "pink elephants", set()),
    ("en", "the applicant elephants", set()),
    # Russian lemmas: "суд" and "установить" are common, "полиция" is not.
    ("ru", "Суд установил", {"суд установить"}),
    ("ru", "сотрудниками полиции", set()),
    # A pair is recorded once however often it occurs (Existence).
    ("en", "Article 3. Article 3.", {"articl 3", "3 articl"}),
    ("fr", "la Cour européenne", {"cour européen"}),
])
@pytest.mark.parametrize("path", ["analysed again", "terms of the body field", "stale terms"])
def test_pairs_analyzer_records_adjacent_pairs_of_common_terms(kind, text, pairs, path) -> None:
    """The same pairs whether the analyzer analyses the text itself or, at indexing, reads the
    terms the body field's analyzer just produced for the same text object; terms left by a
    different text (even an equal one) are never used."""
    from whoosh import formats

    from pipeline.search.language import analysis
    from pipeline.search.whoosh.pairs import PairsAnalyzer

    analysis._LAST_TERMS.clear()
    if path == "terms of the body field":
        list(formats.Positions().word_values(text, analysis.FastAnalyzer(kind), mode="index"))
        assert analysis.last_terms(kind, text) is not None
    elif path == "stale terms":
        equal = text[:1] + text[1:]  # an equal string, another object
        stale = ["applic", "complain", "cour", "européen", "суд", "установить"]
        analysis._LAST_TERMS[kind] = (equal, stale)
        assert analysis.last_terms(kind, text) is None
    found = formats.Existence().word_values(text, PairsAnalyzer(kind), mode="index")
    assert {w for w, *_ in found} == pairs


def test_two_word_phrases_of_common_words_read_no_positions(sample_index: Path, monkeypatch) -> None:
    """GIVEN the sample index WHEN searching a two-word phrase whose pair is recorded THEN its
    English body field is answered from the pairs field (no position read there), with the
    same hits and scores as from positions."""
    from pipeline.catalogue import Catalogue
    from pipeline.search import open_index
    from pipeline.search.whoosh import fast

    catalogue = Catalogue.open(sample_index, readonly=True)
    try:
        index = open_index(sample_index, catalogue, readonly=True)
        positions_read = []
        original = fast._Evaluator._postings

        def postings(self, fieldname, text, values=False):
            if values:
                positions_read.append(fieldname)
            return original(self, fieldname, text, values)

        monkeypatch.setattr(fast._Evaluator, "_postings", postings)
        with_pairs = index.search('"Article 3"', catalogue, limit=50)
        assert with_pairs.total > 0 and "body_en" not in positions_read
        monkeypatch.setattr(fast._Evaluator, "_pairs", lambda self, node, within=None: (None, False))
        without = index.search('"Article 3"', catalogue, limit=50)
        assert "body_en" in positions_read
        assert [(h.id, h.score) for h in with_pairs.hits] == [(h.id, h.score) for h in without.hits]
    finally:
        catalogue.close()
