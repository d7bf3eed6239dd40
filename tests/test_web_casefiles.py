"""Case files on the page, through FastAPI's TestClient over a small index of the sample corpus
(a Strasbourg judgment with numbered paragraphs, a HUDOC record, a Russian sentence and a Russian
appeal ruling): every page and form, the lists of authorities read back (the DOCX with
python-docx), the locks on every write, and case-file names typed by a hostile hand.
"""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
from pathlib import Path
from urllib.parse import quote

import pytest
from bs4 import BeautifulSoup
from fastapi.testclient import TestClient

from pipeline import casefiles
from pipeline.catalogue import Catalogue
from pipeline.web import create_app
from pipeline.web.casefiles import casefile_url
from pipeline.web.security import WRITE_LIMITS

BASE = "http://127.0.0.1:8080"
ZARECHNEV = "echr-en-chamber-zarechnev-v-russia-41234-15"
SENTENCE = "ru-prigovor-286-zarechny-cp1251"




@pytest.fixture()
def index_dir(desk_index: Path, tmp_path: Path) -> Path:
    """A copy of the desk's samples per test: case files are written into its catalogue."""
    target = tmp_path / "index"
    shutil.copytree(desk_index, target)
    return target


@pytest.fixture()
def client(index_dir: Path) -> TestClient:
    return TestClient(create_app(index_dir), base_url=BASE)


def soup(response) -> BeautifulSoup:
    return BeautifulSoup(response.text, "html.parser")


def token(client: TestClient, page: str = "/casefiles") -> str:
    answer = client.get(page)
    assert answer.status_code == 200, answer.text
    field = soup(answer).select_one('input[name="csrf"]')
    assert field is not None, page
    return str(field["value"])


def stored(index_dir: Path) -> dict[str, list[tuple[str, str | None, str | None]]]:
    """Every case file of the catalogue: its items as (document, paragraph, note)."""
    cat = Catalogue.open(index_dir, readonly=True)
    try:
        return {s.name: [(i.doc_id, i.paragraph, i.note)
                         for i in casefiles.show(cat, s.name).items]
                for s in casefiles.listing(cat)}
    finally:
        cat.close()


def add(client: TestClient, name: str, doc_id: str, paragraph: str = "", note: str = "",
        **more: str):
    data = {"csrf": token(client), "new": name, "doc": doc_id, "paragraph": paragraph,
            "note": note, **more}
    return client.post("/casefiles/add", data=data, follow_redirects=False)


# -- pages and actions ------------------------------------------------------------------------


def test_a_hit_is_added_with_its_search_and_a_note(client, index_dir):
    page = client.get("/search", params={"q": "tortured", "filter": "state:russia"})
    hits = soup(page).select("li.hit")
    forms = [h.select_one("form.add-casefile-form") for h in hits]
    assert hits and all(forms), "each hit has a form"
    form = next(f for f in forms if f.select_one("input[type=checkbox]"))
    fields = {i["name"]: i.get("value", "") for i in form.select("input[type=hidden]")}
    assert fields["q"] == "tortured" and fields["filter"] == "state:russia"
    # The hit's paragraph is pinned while its box is ticked (it is, at first).
    pin = form.select_one("input[type=checkbox][name=paragraph]")
    assert pin is not None and pin.has_attr("checked")
    data = {**fields, "paragraph": pin["value"], "new": "Zarechnev v. Russia",
            "note": "beaten in custody"}
    answer = client.post(form["action"], data=data, follow_redirects=False)
    assert answer.status_code == 303
    assert answer.headers["location"] == "/casefiles/Zarechnev%20v.%20Russia"
    items = stored(index_dir)["Zarechnev v. Russia"]
    assert items == [(fields["doc"], pin["value"], "beaten in custody")]
    # Unticked, the whole document.
    unpinned = client.post(form["action"], data={**fields, "casefile": "Zarechnev v. Russia"},
                           follow_redirects=False)
    assert unpinned.status_code == 303
    assert stored(index_dir)["Zarechnev v. Russia"][1] == (fields["doc"], None, None)
    shown = soup(client.get(answer.headers["location"]))
    assert shown.select_one("#casefile-name").get_text() == "Zarechnev v. Russia"
    found_by = shown.select_one(".item-meta a")
    assert found_by.get_text().startswith("tortured") and "filter=state%3Arussia" in found_by["href"]
    assert shown.select_one("textarea[name=note]").get_text() == ""      # the file's own note
    assert "beaten in custody" in shown.select_one("form.item-note textarea").get_text()
    # The select of the next page offers the new case file.
    again = soup(client.get("/search", params={"q": "Zarechnev"}))
    assert "Zarechnev v. Russia" in [o.get_text() for o in again.select("select[name=casefile] option")]


def test_a_pinned_paragraph_from_the_document_page(client, index_dir):
    page = soup(client.get(f"/documents/{ZARECHNEV}", params={"para": "19"}))
    form = page.select_one("#add-document form")
    assert form.select_one("input[name=paragraph]")["value"] == "19"
    answer = add(client, "Pins", ZARECHNEV, "19", "the key paragraph")
    assert answer.status_code == 303
    assert stored(index_dir)["Pins"] == [(ZARECHNEV, "19", "the key paragraph")]
    shown = soup(client.get(answer.headers["location"]))
    link = shown.select_one("li.item a.citation")
    assert link["href"] == f"/documents/{ZARECHNEV}?para=19#p-19"
    assert "§ 19" in link.get_text()
    # The same document whole is another item; an existing case file is chosen by the select.
    data = {"csrf": token(client), "casefile": "Pins", "new": "", "doc": ZARECHNEV}
    assert client.post("/casefiles/add", data=data, follow_redirects=False).status_code == 303
    assert [(d, p) for d, p, _ in stored(index_dir)["Pins"]] == [(ZARECHNEV, "19"),
                                                                 (ZARECHNEV, None)]


@pytest.mark.parametrize("paragraph, status", [
    ("19", 303), ("§ 19", 303),
    ("999", 400),            # a paragraph the record does not number: nothing added
    ("x", 400),
])
def test_a_pinned_paragraph_must_exist(client, index_dir, paragraph, status):
    answer = add(client, "P", ZARECHNEV, paragraph)
    assert answer.status_code == status, answer.text
    assert ("P" in stored(index_dir)) is (status == 303)
    if status == 400:
        assert "nothing added" in soup(answer).select_one(".error").get_text()


def test_a_whole_result_list_keeps_its_query_and_filters(client, index_dir):
    page = soup(client.get("/search", params={"q": "", "filter": "state:russia"}))
    form = page.select_one("form#add-search")
    fields = {i["name"]: i.get("value", "") for i in form.select("input[type=hidden]")}
    assert fields["filter"] == "state:russia"
    data = {**fields, "new": "Russia, all", "count": "10"}
    answer = client.post("/casefiles/add-search", data=data, follow_redirects=False)
    assert answer.status_code == 303
    items = stored(index_dir)["Russia, all"]
    assert len(items) >= 2
    cat = Catalogue.open(index_dir, readonly=True)
    try:
        kept = casefiles.show(cat, "Russia, all").items
    finally:
        cat.close()
    assert {(i.query, tuple(i.filters)) for i in kept} == {("", ("state:russia",))}
    # No hit: nothing is added, and the page says why.
    data = {**fields, "q": "qwzxqwzx", "new": "Nothing"}
    refused = client.post("/casefiles/add-search", data=data, follow_redirects=False)
    assert refused.status_code == 400 and "Nothing" not in stored(index_dir)


def test_notes_remove_and_delete_with_a_confirmation(client, index_dir):
    add(client, "Work", ZARECHNEV, "19", "first")
    add(client, "Work", SENTENCE)
    url = casefile_url("Work")
    tok = token(client, url)
    steps = [
        (f"{url}/note", {"note": "Application lodged 3 March"}),
        (f"{url}/item-note", {"doc": ZARECHNEV, "paragraph": "19", "note": "second"}),
        (f"{url}/remove", {"doc": SENTENCE, "paragraph": ""}),
    ]
    for action, data in steps:
        answer = client.post(action, data={"csrf": tok, **data}, follow_redirects=False)
        assert (answer.status_code, answer.headers["location"]) == (303, url), answer.text
    assert stored(index_dir)["Work"] == [(ZARECHNEV, "19", "second")]
    cat = Catalogue.open(index_dir, readonly=True)
    assert casefiles.show(cat, "Work").note == "Application lodged 3 March"
    cat.close()
    # Delete: a page that asks first; without the box ticked nothing goes.
    confirm = soup(client.get(f"{url}/delete"))
    assert confirm.select_one("form#delete input[name=confirm]")
    refused = client.post(f"{url}/delete", data={"csrf": tok}, follow_redirects=False)
    assert refused.status_code == 400 and "Work" in stored(index_dir)
    done = client.post(f"{url}/delete", data={"csrf": tok, "confirm": "yes"},
                       follow_redirects=False)
    assert (done.status_code, done.headers["location"]) == (303, "/casefiles")
    assert "Work" not in stored(index_dir)
    assert client.get(url).status_code == 404


def test_the_list_page_and_creating_a_case_file(client, index_dir):
    assert soup(client.get("/casefiles")).select_one(".empty")
    tok = token(client)
    made = client.post("/casefiles", data={"csrf": tok, "name": " Ivanov  v. Russia ",
                                           "note": "new client"}, follow_redirects=False)
    assert (made.status_code, made.headers["location"]) == (303, casefile_url("Ivanov v. Russia"))
    twice = client.post("/casefiles", data={"csrf": tok, "name": "Ivanov v. Russia"})
    assert twice.status_code == 400 and "exists already" in twice.text
    add(client, "Ivanov v. Russia", ZARECHNEV)
    add(client, "Ivanov v. Russia", ZARECHNEV, "19")
    rows = soup(client.get("/casefiles")).select("table#casefiles tbody tr")
    cells = [td.get_text(" ", strip=True) for td in rows[0].select("td")]
    assert cells[0].startswith("Ivanov v. Russia") and cells[1:3] == ["1", "2"]


@pytest.mark.parametrize("path, status", [
    ("/casefiles/Nobody", 404), ("/casefiles/Nobody/delete", 404),
    ("/casefiles/Nobody/authorities.docx", 404), ("/casefiles/Pins/authorities.exe", 404),
    ("/casefiles/Pins/other", 404), ("/casefiles/Pins/a/b", 404), ("/casefiles/%FF", 404),
    ("/casefiles/Pins", 200), ("/casefiles/Pins/delete", 200),
    ("/casefiles/Pins/authorities.csv", 200),
])
def test_pages_that_do_not_exist(client, path, status):
    add(client, "Pins", ZARECHNEV, "19")
    assert client.get(path).status_code == status, path


# -- lists of authorities ---------------------------------------------------------------------


def _docx_lines(data: bytes) -> list[str]:
    from docx import Document

    return [p.text for p in Document(io.BytesIO(data)).paragraphs]


def test_the_docx_list_of_a_case_file(client):
    add(client, "Ivanov", ZARECHNEV, "19", "private thought")
    add(client, "Ivanov", ZARECHNEV, "24")
    add(client, "Ivanov", SENTENCE, note="domestic note")
    url = casefile_url("Ivanov")
    links = [a["href"] for a in soup(client.get(url)).select("#downloads a.download")]
    assert f"{url}/authorities.docx" in links and f"{url}/authorities.docx?notes=1" in links
    plain = client.get(f"{url}/authorities.docx")
    assert plain.status_code == 200
    assert plain.headers["content-type"].startswith("application/vnd.openxmlformats")
    assert "attachment" in plain.headers["content-disposition"]
    lines = _docx_lines(plain.content)
    strasbourg = lines.index("Case-law of the European Court of Human Rights")
    domestic = lines.index("Domestic rulings")
    assert strasbourg < domestic
    echr = lines[strasbourg + 1:domestic]
    assert len(echr) == 1 and "Zarechnev" in echr[0] and "§§ 19 and 24" in echr[0]
    assert any("286" in line or "Приговор" in line or "приговор" in line
               for line in lines[domestic + 1:]), lines
    assert not any("private thought" in line or "domestic note" in line for line in lines)
    noted = _docx_lines(client.get(f"{url}/authorities.docx", params={"notes": "1"}).content)
    assert "§ 19: private thought" in noted and "domestic note" in noted


def test_the_csv_and_json_lists(client):
    add(client, "Ivanov", ZARECHNEV, "19", "private thought")
    url = casefile_url("Ivanov")
    rows = list(csv.DictReader(io.StringIO(
        client.get(f"{url}/authorities.csv").content.decode("utf-8-sig"))))
    assert [(r["list"], r["pinpoint"], r["doc_id"]) for r in rows] == [("strasbourg", "19", ZARECHNEV)]
    assert "note" not in rows[0]
    data = client.get(f"{url}/authorities.json", params={"notes": "1"}).json()
    assert data["casefile"] == "Ivanov" and data["items"][0]["note"] == "private thought"


def test_a_result_list_as_a_list_of_authorities(client, index_dir):
    page = soup(client.get("/search", params={"q": "", "filter": "state:russia"}))
    links = {a.get_text(): a["href"] for a in page.select("#result-list a.download")}
    assert set(links) == {"DOCX", "CSV", "JSON"}
    assert "filter=state%3Arussia" in links["DOCX"]
    answer = client.get(links["DOCX"])
    assert answer.status_code == 200
    lines = _docx_lines(answer.content)
    assert "Search: every document" in lines and "Filters: state:russia" in lines
    assert "Case-law of the European Court of Human Rights" in lines
    data = client.get(links["JSON"]).json()
    assert data["search"]["filters"] == ["state:russia"] and data["items"]
    assert all(i["filters"] == ["state:russia"] for i in data["items"])
    rows = list(csv.DictReader(io.StringIO(client.get(links["CSV"]).content.decode("utf-8-sig"))))
    assert rows and {r["filters"] for r in rows} == {"state:russia"}
    assert stored(index_dir) == {}, "a download writes nothing"
    # A GET: no token is needed, and no POST is taken there.
    assert client.post(links["CSV"]).status_code == 405


# -- the locks on every write ------------------------------------------------------------------

WRITES = [
    ("/casefiles", {"name": "X"}),
    ("/casefiles/add", {"new": "X", "doc": ZARECHNEV}),
    ("/casefiles/add-search", {"new": "X", "q": "Zarechnev"}),
    ("/casefiles/Pins/note", {"note": "x"}),
    ("/casefiles/Pins/item-note", {"doc": ZARECHNEV, "paragraph": "19", "note": "x"}),
    ("/casefiles/Pins/remove", {"doc": ZARECHNEV, "paragraph": "19"}),
    ("/casefiles/Pins/delete", {"confirm": "yes"}),
]


@pytest.mark.parametrize("path, data", WRITES)
@pytest.mark.parametrize("how, status", [
    ("no token", 403), ("wrong token", 403), ("foreign origin", 403), ("oversized", 413),
    ("right", 303),
])
def test_every_write_is_locked(client, index_dir, path, data, how, status):
    add(client, "Pins", ZARECHNEV, "19")
    before = stored(index_dir)
    tok = token(client)
    sent = {**data, "csrf": tok}
    headers = {}
    if how == "no token":
        sent.pop("csrf")
    elif how == "wrong token":
        sent["csrf"] = "0" * 64
    elif how == "foreign origin":
        headers["Origin"] = "http://evil.example"
    elif how == "oversized":
        sent["pad"] = "x" * (WRITE_LIMITS["/casefiles"] + 1)
    answer = client.post(path, data=sent, headers=headers, follow_redirects=False)
    assert answer.status_code == status, answer.text
    if status != 303:
        assert stored(index_dir) == before, "a refused write changes nothing"


# -- names typed by a hostile hand ----------------------------------------------------------------


@pytest.mark.parametrize("name, kept", [
    ("<script>alert(1)</script>", "<script>alert(1)</script>"),
    ('"><img src=x onerror=alert(1)>', '"><img src=x onerror=alert(1)>'),
    ("../../etc/passwd", "../../etc/passwd"),
    ("..", None), (".", None),                 # a step up the path in a link
    ("...and more", "...and more"),
    ("Дело № 1-123/2020", "Дело № 1-123/2020"),
    ("x/delete", "x/delete"),                 # not the deletion page of "x"
    ("50% & ?q=#frag", "50% & ?q=#frag"),
    ("  spaced\tout  ", "spaced out"),
    ("a" * 200, "a" * 200),
    ("a" * 201, None),                         # over the limit
    ("", None), ("   ", None),
    ("line\x00break", None),                   # not printable
])
def test_hostile_names_are_refused_or_shown_as_text(client, index_dir, name, kept):
    answer = add(client, name, ZARECHNEV)
    if kept is None:
        assert answer.status_code == 400, answer.text
        assert stored(index_dir) == {}
        return
    assert answer.status_code == 303, answer.text
    assert answer.headers["location"] == "/casefiles/" + quote(kept, safe="")
    assert list(stored(index_dir)) == [kept]
    page = client.get(answer.headers["location"])
    assert page.status_code == 200
    assert "<script>alert" not in page.text and "<img src=x" not in page.text
    assert soup(page).select_one("#casefile-name").get_text() == kept
    listing = client.get("/casefiles")
    assert "<script>alert" not in listing.text
    link = soup(listing).select_one("table#casefiles a")
    assert link.get_text() == kept and client.get(link["href"]).status_code == 200
    download = client.get(answer.headers["location"] + "/authorities.json")
    assert download.status_code == 200 and download.json()["casefile"] == kept
    disposition = download.headers["content-disposition"]
    assert "\n" not in disposition and disposition.count('"') == 2
    # Its actions reach it, not another case file.
    tok = token(client)
    noted = client.post(answer.headers["location"] + "/note",
                        data={"csrf": tok, "note": "ok"}, follow_redirects=False)
    assert noted.status_code == 303 and noted.headers["location"] == answer.headers["location"]


def test_case_files_read_russian(client, index_dir):
    page = soup(client.get("/casefiles", params={"lang": "ru"}))
    assert page.select_one("h1").get_text() == "Дела"
    assert page.select_one('nav a[href="/casefiles"]').get_text() == "Дела"
    refused = add(client, "", ZARECHNEV)
    assert refused.status_code == 400
    assert soup(refused).select_one(".error").get_text() == "выберите дело или назовите новое"
    hit = soup(client.get("/search", params={"q": "Zarechnev"})).select_one("li.hit details")
    assert hit.select_one("summary").get_text() == "Добавить в дело"
    client.cookies.clear()
