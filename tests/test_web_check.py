"""The citation check on the page (``/check``) and in the API (``POST /api/check``), through
FastAPI's TestClient over a small index of the sample corpus: a draft pasted or uploaded as a
DOCX, each citation's verdict with what differs and a link to the paragraph cited, the same
JSON as ``check-citations --json``, the limits, and the locks on a write.
"""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from click.testing import CliRunner
from fastapi.testclient import TestClient

from pipeline.cli import cli
from pipeline.web import checks, create_app
from pipeline.web.security import WRITE_LIMITS

BASE = "http://127.0.0.1:8080"
ZARECHNEV = "echr-en-chamber-zarechnev-v-russia-41234-15"
#: One wrong date (the Court's list knows Mikheyev of 26 January 2006) and one right citation
#: of an indexed judgment, pinpointed.
DRAFT = ("The applicant was beaten in police custody (see Zarechnev v. Russia, no. 41234/15, "
         "§ 19, 14 March 2019). The State must account for injuries in custody (see Mikheyev "
         "v. Russia, no. 77617/01, § 135, 26 January 2005).")


@pytest.fixture(scope="module")
def index_dir(desk_index: Path) -> Path:
    """The desk's samples (``conftest.DESK_SAMPLES``): a check writes nothing."""
    return desk_index


@pytest.fixture()
def client(index_dir: Path) -> TestClient:
    return TestClient(create_app(index_dir), base_url=BASE)


def soup(response) -> BeautifulSoup:
    return BeautifulSoup(response.text, "html.parser")


def token(client: TestClient) -> str:
    page = client.get("/check")
    assert page.status_code == 200
    return str(soup(page).select_one("form#check input[name=csrf]")["value"])


def docx_bytes(*paragraphs: str) -> bytes:
    from docx import Document

    doc = Document()
    for text in paragraphs:
        doc.add_paragraph(text)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def verdicts(page) -> list[tuple[str, str, list[str], str | None]]:
    """(verdict, text, differences, link) of each citation the page lists."""
    rows = []
    for li in soup(page).select("ol#citations li.citation"):
        link = li.select_one(".matched a")
        rows.append((li.select_one(".verdict").get_text(), li.select_one("q.cited").get_text(),
                     [d.get_text() for d in li.select(".differences li")],
                     link["href"] if link else None))
    return rows


def _check_pasted(client):
    return client.post("/check", data={"csrf": token(client), "text": DRAFT})


def _check_uploaded(client):
    files = {"file": ("My application (final).docx", docx_bytes(*DRAFT.split(". The ")),
                      "application/vnd.openxmlformats-officedocument.wordprocessingml.document")}
    return client.post("/check", data={"csrf": token(client)}, files=files)


@pytest.mark.parametrize("send", [_check_pasted, _check_uploaded], ids=["pasted", "docx"])
def test_one_wrong_date_and_one_right_citation(client, send):
    page = send(client)
    assert page.status_code == 200, page.text
    rows = verdicts(page)
    assert [r[0] for r in rows] == ["confirmed", "mismatch"], rows
    confirmed, mismatch = rows
    assert confirmed[1].startswith("Zarechnev v. Russia, no. 41234/15, § 19")
    assert confirmed[3] == f"/documents/{ZARECHNEV}?para=19#p-19"        # to the paragraph
    assert mismatch[2] == ["date: draft says 26 January 2005, the judgment is of 26 January 2006"]
    assert soup(page).select_one("#counts").get_text() == "Confirmed: 1 · mismatch: 1 · unknown: 0"
    # The link leads to the paragraph's anchor on the document page.
    document = client.get(confirmed[3].split("#")[0])
    assert soup(document).select_one("#p-19") is not None


@pytest.mark.parametrize("language, difference, note", [
    ("ru", "дата: в проекте 26 January 2005, а постановление вынесено 26 January 2006",
     "пункты не проверены: постановления нет в индексе"),
    ("en", "date: draft says 26 January 2005, the judgment is of 26 January 2006",
     "paragraphs not checked: the judgment is not in the index"),
])
def test_what_differs_is_said_in_the_interface_language(client, language, difference, note):
    """The page's language words the differences and notes; the draft's citation and dates stay
    as printed, and the JSON answer stays English (the CLI's)."""
    client.get(f"/check?lang={language}")
    page = _check_pasted(client)
    mismatch = [r for r in verdicts(page) if r[2]]
    assert [r[2] for r in mismatch] == [[difference]]
    assert note in page.text
    answer = client.post("/api/check", json={"text": DRAFT},
                         headers={"X-CSRF-Token": token(client)}).json()
    assert "date: draft says 26 January 2005" in str(answer)


def test_the_api_gives_the_cli_json(client, index_dir, tmp_path):
    tok = client.get("/api/csrf").json()["token"]
    answer = client.post("/api/check", json={"text": DRAFT}, headers={"X-CSRF-Token": tok})
    assert answer.status_code == 200, answer.text
    draft = tmp_path / "draft.txt"
    draft.write_text(DRAFT, encoding="utf-8")
    result = CliRunner().invoke(cli, ["check-citations", str(draft), "--index", str(index_dir),
                                      "--json"])
    assert result.exit_code == 0, result.output
    from_cli = json.loads(result.stdout)
    from_cli.pop("file")
    assert answer.json() == from_cli
    assert [c["paragraph"] for c in from_cli["citations"]] == ["19", None]
    uploaded = client.post("/api/check", headers={"X-CSRF-Token": tok}, files={
        "file": ("draft.docx", docx_bytes(DRAFT), "application/octet-stream")})
    assert uploaded.status_code == 200 and uploaded.json()["counts"] == from_cli["counts"]


def test_openapi_declares_the_check(client):
    spec = client.get("/openapi.json").json()["paths"]["/api/check"]["post"]
    assert set(spec["requestBody"]["content"]) == {"application/json", "multipart/form-data"}
    assert {"200", "400", "403", "413", "503"} <= set(spec["responses"])
    assert "text" in spec["requestBody"]["content"]["application/json"]["schema"]["properties"]


def _bomb() -> bytes:
    """A DOCX whose document.xml unpacks to 20 MiB of zeros from some 20 KB."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types xmlns="http://schemas.'
                    'openxmlformats.org/package/2006/content-types"/>')
        zf.writestr("word/document.xml", bytes(20 << 20))
    return out.getvalue()


@pytest.mark.parametrize("data, files, words", [
    ({"text": ""}, None, "paste a draft"),
    ({"text": "   \n "}, None, "paste a draft"),
    ({"text": "x" * 101}, None, "too long"),                          # limit lowered to 100
    ({}, {"file": ("draft.exe", b"MZ\x90\x00", "application/octet-stream")}, ".docx"),
    ({}, {"file": ("../../draft.docx", b"not a zip at all", "application/octet-stream")},
     "draft.docx"),
    ({}, {"file": ("bomb.docx", _bomb(), "application/octet-stream")}, "zip bomb"),
    ({}, {"file": ("empty.docx", b"", "application/octet-stream")}, "empty"),
])
def test_a_draft_that_cannot_be_checked_is_refused_in_one_line(client, monkeypatch, data,
                                                                files, words):
    monkeypatch.setattr(checks, "MAX_DRAFT_CHARS", 100)
    answer = client.post("/check", data={"csrf": token(client), **data}, files=files)
    assert answer.status_code == 400, answer.text
    error = soup(answer).select_one(".error").get_text()
    assert words in error and "\n" not in error.strip(), error
    assert "/tmp" not in error and "precedents-check-" not in error      # no server path
    assert soup(answer).select_one("form#check")                          # the form again


WRITES = [("/check", "form"), ("/api/check", "json")]


@pytest.mark.parametrize("path, body", WRITES)
@pytest.mark.parametrize("how, status", [
    ("no token", 403), ("foreign origin", 403), ("oversized", 413), ("right", 200),
])
def test_every_check_is_locked(client, monkeypatch, path, body, how, status):
    tok = client.get("/api/csrf").json()["token"]
    headers = {} if how == "no token" or body == "form" else {"X-CSRF-Token": tok}
    text = DRAFT
    if how == "foreign origin":
        headers["Origin"] = "http://evil.example"
    if how == "oversized":
        monkeypatch.setitem(WRITE_LIMITS, path, 1000)
        text = DRAFT * 20
    if body == "form":
        data = {"text": text} if how == "no token" else {"text": text, "csrf": tok}
        answer = client.post(path, data=data, headers=headers)
    else:
        answer = client.post(path, json={"text": text}, headers=headers)
    assert answer.status_code == status, answer.text


def test_the_check_page_is_a_form_with_its_limits(client):
    page = soup(client.get("/check"))
    form = page.select_one("form#check")
    assert form["method"] == "post" and form["enctype"] == "multipart/form-data"
    assert form.select_one("textarea[name=text]") and form.select_one("input[type=file]")
    assert "2,000,000" in page.get_text()
    assert page.select_one('nav a[href="/check"]') and page.select_one('nav a[href="/casefiles"]')


def test_the_check_reads_russian(client):
    """The page and its refusals in the interface language; the verdicts' own words (from
    the check, shared with the CLI) stay as the check gives them."""
    page = soup(client.get("/check", params={"lang": "ru"}))
    assert page.select_one("h1").get_text() == "Проверка ссылок в проекте"
    tok = str(page.select_one("form#check input[name=csrf]")["value"])
    refused = client.post("/check", data={"csrf": tok, "text": " "})
    assert soup(refused).select_one(".error").get_text() == "вставьте текст проекта или выберите файл"
    checked = soup(client.post("/check", data={"csrf": tok, "text": DRAFT}))
    assert checked.select_one("#counts").get_text() == \
        "Подтверждено: 1 · расхождения: 1 · не установлено: 0"
    assert [v.get_text() for v in checked.select(".verdict")] == ["подтверждено", "расхождение"]
    client.cookies.clear()
