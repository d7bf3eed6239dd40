"""Adding rulings from the browser (``/upload``, ``/api/upload``): the locks on the write, the
limits, hostile files and names, each file's outcome, and the ruling found by search at once.

The index is a copy of the sample corpus's (conftest ``sample_index``); every hostile file is
written here. A refused request must leave the index exactly as it was."""

from __future__ import annotations

import io
import re
import shutil
import time
import zipfile
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from fastapi.testclient import TestClient

from pipeline.catalogue import Catalogue
from pipeline.ingest import ingest_lock, uploads
from pipeline.web import csrf
from pipeline.web.app import create_app
from pipeline.web.security import WRITE_LIMITS

ROOT = Path(__file__).resolve().parents[1]
ORIGIN = "http://127.0.0.1:8080"


@pytest.fixture(scope="module")
def index(sample_index: Path, tmp_path_factory) -> Path:
    target = tmp_path_factory.mktemp("upload") / "index"
    shutil.copytree(sample_index, target)
    return target


@pytest.fixture()
def client(index: Path) -> TestClient:
    return TestClient(create_app(index), base_url=ORIGIN)


def _token(client: TestClient) -> str:
    page = client.get("/upload")
    assert page.status_code == 200
    field = BeautifulSoup(page.text, "html.parser").find("input", attrs={"name": csrf.FIELD})
    return field["value"]


def _state(index: Path) -> tuple:
    """What a refused upload must not change: the documents, the sources, the store."""
    catalogue = Catalogue.open(index, readonly=True)
    try:
        documents = sorted((d.id, d.source_path) for d in catalogue.iter_documents())
        sources = sorted((s.path, s.status) for s in catalogue.sources())
    finally:
        catalogue.close()
    store = uploads.store_of(index)
    files = sorted(str(p) for p in store.rglob("*") if ".receipts" not in p.parts) \
        if store.exists() else []
    return documents, sources, files


def _ruling(word: str) -> bytes:
    """A short Russian ruling holding ``word`` (no other document has it)."""
    return ("ПОСТАНОВЛЕНИЕ\nИменем Российской Федерации\nДело № 1-{n}/2022\nРайонный суд "
            "рассмотрел жалобу {w} о применении пыток сотрудниками полиции.\n").format(
                n=sum(map(ord, word)), w=word).encode("utf-8")


def _zip_bomb() -> bytes:
    """A DOCX whose main part unpacks to 24 MB of spaces from some 25 KB: refused from the
    zip's directory, before anything is unpacked."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types xmlns="http://schemas.'
                   'openxmlformats.org/package/2006/content-types"/>')
        with z.open("word/document.xml", "w", force_zip64=True) as part:
            for _ in range(24):
                part.write(b" " * (1 << 20))
    return out.getvalue()


# -- the locks and the limits: refused, and the index unchanged ---------------------------

REFUSED = [
    # (case, path, token, headers, files, status, the message says)
    ("no CSRF token", "/upload", False, {}, "one", 403, "reload the page"),
    ("no CSRF token, API", "/api/upload", False, {}, "one", 403, "reload the page"),
    ("another site's form", "/upload", True, {"Origin": "http://evil.example"}, "one", 403,
     "only this site"),
    ("near miss of this origin", "/api/upload", True,
     {"Origin": "http://127.0.0.1.evil.example"}, "one", 403, "only this site"),
    ("a cross-site fetch", "/upload", True, {"Sec-Fetch-Site": "cross-site"}, "one", 403,
     "only this site"),
    ("too many files", "/upload", True, {}, "too-many", 413, "at most 20"),
    ("too many files, API", "/api/upload", True, {}, "too-many", 413, "at most 20"),
    ("no file chosen", "/upload", True, {}, "empty-part", 400, "Choose one or more files"),
    ("no files field at all", "/api/upload", True, {}, "none", 400, "Choose one or more"),
]


@pytest.mark.parametrize("case, path, with_token, headers, files, status, says", REFUSED,
                         ids=[r[0] for r in REFUSED])
def test_a_refused_upload_says_why_and_changes_nothing(
        client: TestClient, index: Path, case: str, path: str, with_token: bool,
        headers: dict[str, str], files: str, status: int, says: str) -> None:
    token = _token(client)
    before = _state(index)
    sent = {"one": [("files", ("ruling.txt", _ruling("refusedword")))],
            "too-many": [("files", (f"r{n}.txt", _ruling(f"many{n}")))
                         for n in range(uploads.MAX_FILES + 1)],
            "empty-part": [("files", ("", b""))],
            "none": None}[files]
    data = {csrf.FIELD: token} if with_token and path == "/upload" else {}
    if with_token and path == "/api/upload":
        headers = {**headers, "X-CSRF-Token": token}
    answer = client.post(path, data=data, files=sent, headers=headers, follow_redirects=False)
    assert answer.status_code == status, answer.text
    assert says in answer.text
    assert answer.headers["content-security-policy"]
    assert _state(index) == before


@pytest.mark.parametrize("path", ["/upload", "/api/upload"])
def test_an_upload_over_the_request_limit_is_413_and_changes_nothing(
        client: TestClient, index: Path, monkeypatch, path: str) -> None:
    monkeypatch.setitem(WRITE_LIMITS, path, 200_000)
    token = _token(client)
    before = _state(index)
    answer = client.post(path, data={csrf.FIELD: token}, headers={"X-CSRF-Token": token},
                         files=[("files", ("big.txt", _ruling("big") * 3000))])
    assert answer.status_code == 413 and "too large" in answer.text
    assert _state(index) == before


def test_a_second_upload_waits_then_gets_503_while_the_index_is_written(
        client: TestClient, index: Path, monkeypatch) -> None:
    monkeypatch.setattr(uploads, "LOCK_WAIT", 0.5)
    token = _token(client)
    before = _state(index)
    with ingest_lock(index):
        started = time.monotonic()
        page = client.post("/upload", data={csrf.FIELD: token},
                           files=[("files", ("r.txt", _ruling("busyword")))])
        api = client.post("/api/upload", headers={"X-CSRF-Token": token},
                          files=[("files", ("r.txt", _ruling("busyword")))])
        waited = time.monotonic() - started
    for answer in (page, api):
        assert answer.status_code == 503 and answer.headers["retry-after"]
        assert "busy adding other rulings" in answer.text
    assert waited >= 1.0
    assert _state(index) == before


# -- each file's outcome -----------------------------------------------------------------

NEW = "zaporozhtsevskaya"
#: (name sent, bytes, status, the reason says, shown as)
FILES = [
    ("Постановление Запорожцевой.txt", _ruling(NEW), "ok", None,
     "Постановление Запорожцевой.txt"),
    ("copy.txt", (ROOT / "corpora" / "ru_postanovlenie_koap_20-2_koi8r.txt").read_bytes(),
     "duplicate", None, "copy.txt"),
    ("noise.bin", bytes(range(256)) * 40, "failed", "unsupported format", "noise.bin"),
    ("broken.pdf", b"%PDF-1.7\n" + bytes(range(256)) * 40, "failed", "broken.pdf: ",
     "broken.pdf"),
    ("bomb.docx", _zip_bomb(), "failed", "zip bomb", "bomb.docx"),
    ("empty.txt", b"", "failed", "empty file", "empty.txt"),
    ("../../escaped.txt", _ruling("traversalword"), "ok", None, "escaped.txt"),
    ("/etc/absolute.txt", _ruling("absoluteword"), "ok", None, "absolute.txt"),
    ("..\\..\\windows.txt", _ruling("windowsword"), "ok", None, "windows.txt"),
    ("x" * 3000 + ".txt", _ruling("longnameword"), "ok", None, "x" * 119 + "…"),
    ("bidi\u202etxt.exe", _ruling("bidiword"), "ok", None, "biditxt.exe"),
    ("<script>alert(1)</script>.html",
     b"<html><body><script>alert('x')</script><p>" + _ruling("scriptword") + b"</p></body></html>",
     "ok", None, "script>.html"),
]


@pytest.fixture(scope="module")
def sent(index: Path) -> tuple[dict, TestClient, tuple]:
    client = TestClient(create_app(index), base_url=ORIGIN)
    token = _token(client)
    outside = sorted(p.name for p in index.parent.iterdir())
    answer = client.post("/api/upload", headers={"X-CSRF-Token": token},
                         files=[("files", (name, data)) for name, data, *_ in FILES])
    assert answer.status_code == 200, answer.text
    assert sorted(p.name for p in index.parent.iterdir()) == outside  # nothing beside it
    return answer.json(), client, outside


@pytest.mark.parametrize("n", range(len(FILES)), ids=[f[0][:30] for f in FILES])
def test_each_file_has_its_outcome(sent, index: Path, n: int) -> None:
    answer, _, _ = sent
    name, _, status, says, shown = FILES[n]
    got = answer["files"][n]
    assert (got["name"], got["status"]) == (shown, status), got
    if status == "failed":
        assert got["reason"].startswith(f"{shown}: ") and says in got["reason"]
        assert "\n" not in got["reason"] and str(index) not in got["reason"]
        assert got["id"] is None
    else:
        assert got["id"] and got["url"] == f"/documents/{got['id']}"


def test_a_duplicate_links_to_the_document_already_there(sent, index: Path) -> None:
    answer, _, _ = sent
    catalogue = Catalogue.open(index, readonly=True)
    try:
        existing = catalogue.ids_for_source(
            str(ROOT / "corpora" / "ru_postanovlenie_koap_20-2_koi8r.txt"))
    finally:
        catalogue.close()
    assert answer["files"][1]["id"] in existing.values()


def test_stored_names_are_generated_inside_the_store(sent, index: Path) -> None:
    answer, _, _ = sent
    store = uploads.store_of(index).resolve()
    kept = [p for p in store.rglob("*") if p.is_file() and ".receipts" not in p.parts]
    # Only the new rulings are kept: refused files and the identical copy are forgotten.
    assert len(kept) == sum(f["status"] == "ok" for f in answer["files"])
    for path in kept:
        assert path.resolve().parent.parent == store
        assert re.fullmatch(r"[a-z0-9-]{1,60}(\.[a-z]+)?", path.name), path.name
    catalogue = Catalogue.open(index, readonly=True)
    try:
        for got in answer["files"]:
            if got["status"] == "ok":
                assert catalogue.document(got["id"]).source_path.startswith(str(index))
    finally:
        catalogue.close()


def test_the_new_ruling_is_found_by_search_at_once(sent) -> None:
    answer, client, _ = sent
    found = client.get("/api/search", params={"q": NEW, "mode": "words"}).json()
    assert answer["files"][0]["id"] in [h["id"] for h in found["hits"]]
    page = client.get("/search", params={"q": "traversalword"})
    assert answer["files"][6]["url"] in page.text


def test_an_uploaded_script_is_never_markup(sent) -> None:
    answer, client, _ = sent
    document = client.get(answer["files"][-1]["url"])
    assert document.status_code == 200
    assert "<script" not in document.text.lower()
    assert "scriptword" in document.text


def test_the_server_stays_up_after_garbage(sent) -> None:
    _, client, _ = sent
    assert client.get("/").status_code == 200
    assert client.get("/api/search", params={"q": "пытки"}).status_code == 200


# -- the page ----------------------------------------------------------------------------

def test_the_form_is_linked_from_every_page_and_takes_many_files(client: TestClient) -> None:
    home = BeautifulSoup(client.get("/").text, "html.parser")
    assert home.find("nav").find("a", href="/upload")
    page = BeautifulSoup(client.get("/upload").text, "html.parser")
    form = page.find("form", id="upload")
    assert form["method"] == "post" and form["enctype"] == "multipart/form-data"
    assert form.find("input", type="file").has_attr("multiple")
    assert form.find("input", attrs={"name": csrf.FIELD, "type": "hidden"})["value"]
    assert not page.find("script")


def test_the_form_answers_303_to_a_page_of_outcomes_only_its_browser_reads(
        client: TestClient, index: Path) -> None:
    token = _token(client)
    posted = client.post("/upload", data={csrf.FIELD: token}, follow_redirects=False, files=[
        ("files", ("Решение <b>Петрова<b>.txt", _ruling("formword"))),
        ("files", ("junk.bin", b"\x00\x01\x02" * 50))])
    assert posted.status_code == 303
    where = posted.headers["location"]
    assert where.startswith("/upload?receipt=") and "Петров" not in where
    page = client.get(where)
    soup = BeautifulSoup(page.text, "html.parser")
    items = soup.select("ul.outcomes li")
    assert [li["class"][-1] for li in items] == ["ok", "failed"]
    assert items[0].find("a")["href"].startswith("/documents/")
    assert "<b>" not in page.text and "&lt;b&gt;Петрова&lt;b&gt;" in page.text
    assert "junk.bin: unsupported format" in items[1].text
    other = TestClient(client.app, base_url=ORIGIN)
    _token(other)
    assert "Петрова" not in other.get(where).text  # another browser's receipt


def test_needs_ocr_is_explained(client: TestClient, monkeypatch) -> None:
    def scanned(index_dir, files, **kwargs):
        return [uploads.UploadOutcome("scan.pdf", "needs-ocr", "scan.pdf: image-only PDF",
                                      format="pdf") for _ in files]

    monkeypatch.setattr(uploads, "add", scanned)
    token = _token(client)
    page = client.post("/upload", data={csrf.FIELD: token},
                       files=[("files", ("scan.pdf", b"%PDF-1.4 scan"))])
    assert page.status_code == 200
    item = BeautifulSoup(page.text, "html.parser").select_one("ul.outcomes li.needs-ocr")
    assert "Needs OCR" in item.text and "Tesseract" in item.text and "scan.pdf" in item.text


def test_the_api_is_described(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    post = spec["paths"]["/api/upload"]["post"]
    assert {"403", "413", "503"} <= set(post["responses"])
    assert "/api/upload" in client.get("/api").text


@pytest.mark.parametrize("raw, shown, stored", [
    ("../../etc/passwd", "passwd", "passwd"),
    ("/abs/ruling.PDF", "ruling.PDF", "ruling.pdf"),
    ("C:\\docs\\Решение.docx", "Решение.docx", "reshenie.docx"),
    ("a\x00b.txt", "ab.txt", "ab.txt"),
    ("evil\u202efdp.exe", "evilfdp.exe", "evilfdp"),
    ("..", "..", "doc"),
    ("", "(no name)", "no-name"),
    ("zero\u200bwidth.txt", "zerowidth.txt", "zerowidth.txt"),
    ("ruling.doc", "ruling.doc", "ruling.doc"),          # kept: ingest says "save as DOCX"
    ("ruling.php", "ruling.php", "ruling"),              # near miss: no extension of ours
])
def test_names_are_shown_cleaned_and_stored_generated(raw: str, shown: str, stored: str) -> None:
    assert uploads.display_name(raw) == shown
    assert uploads.stored_name(raw) == stored


def test_the_page_and_its_outcomes_read_in_russian(client: TestClient, monkeypatch) -> None:
    page = client.get("/upload", params={"lang": "ru"})
    soup = BeautifulSoup(page.text, "html.parser")
    assert soup.find("html")["lang"] == "ru"
    assert soup.find("h1").text == "Добавить судебные акты"
    assert soup.find("nav").find("a", href="/upload").text == "Добавить судебные акты"

    def outcomes(index_dir, files, **kwargs):
        return [uploads.UploadOutcome("скан.pdf", "needs-ocr", "скан.pdf: image-only PDF"),
                uploads.UploadOutcome("new.txt", "ok", None, "new", ["new"])]

    monkeypatch.setattr(uploads, "add", outcomes)
    token = _token(client)
    shown = client.post("/upload", data={csrf.FIELD: token},
                        files=[("files", ("скан.pdf", b"%PDF-1.4"))])
    items = BeautifulSoup(shown.text, "html.parser").select("ul.outcomes li")
    assert "Нужно распознавание текста" in items[0].text and "Tesseract" in items[0].text
    assert "Добавлен" in items[1].text and "открыть документ" in items[1].text
    refused = client.post("/upload", data={csrf.FIELD: token})
    assert refused.status_code == 400 and "Выберите один или несколько файлов" in refused.text
    api = client.post("/api/upload", headers={"X-CSRF-Token": token})
    assert "Choose one or more files" in api.json()["error"]  # the API stays English
