"""The locks on every write to the server (uploads, case files, a draft to check): the origin
check in the Guard middleware and the CSRF token the application verifies, on a route made for
the test under a write prefix, so the locks are tested apart from what each write does."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi import Request
from fastapi.testclient import TestClient

from pipeline.web import csrf
from pipeline.web.app import create_app
from pipeline.web.security import WRITE_LIMITS, write_limit


@pytest.fixture()
def client(tmp_path: Path) -> TestClient:
    app = create_app(tmp_path)

    # Under /api/casefiles: every path under /casefiles/ is a case file's page or action.
    @app.post("/api/casefiles/test-write")
    async def write(request: Request) -> dict[str, object]:
        form = await request.form()
        sent = form.get(csrf.FIELD)
        app.state.check_csrf(request, sent if isinstance(sent, str) else None)
        return {"written": True}

    @app.get("/api/casefiles/test-form")
    def draw(request: Request):
        return app.state.render_form(request, "error.html", heading="form", message="form")

    return TestClient(app, base_url="http://127.0.0.1:8080")


def _token(client: TestClient) -> str:
    answer = client.get("/api/csrf").json()
    assert answer["header"] == "X-CSRF-Token" and client.cookies.get(csrf.COOKIE)
    return answer["token"]


@pytest.mark.parametrize("headers, status", [
    ({}, 200),                                                  # a script: token only
    ({"Origin": "http://127.0.0.1:8080"}, 200),
    ({"Origin": "http://localhost:8080", "Sec-Fetch-Site": "same-origin"}, 200),
    ({"Origin": "http://evil.example"}, 403),
    ({"Origin": "http://127.0.0.1.evil.example"}, 403),         # near miss: a prefix
    ({"Origin": "null"}, 403),
    ({"Origin": "null", "Sec-Fetch-Site": "same-origin"}, 200),  # a form under no-referrer
    ({"Origin": "null", "Sec-Fetch-Site": "same-site"}, 403),
    ({"Origin": "null", "Sec-Fetch-Site": "cross-site"}, 403),
    ({"Origin": "null", "Sec-Fetch-Site": "none"}, 403),
    ({"Sec-Fetch-Site": "cross-site"}, 403),
    ({"Sec-Fetch-Site": "same-site"}, 403),                     # another port of localhost
    ({"Origin": "http://127.0.0.1:8080", "Sec-Fetch-Site": "cross-site"}, 403),
])
def test_a_write_must_come_from_this_site(client: TestClient, headers: dict[str, str],
                                          status: int) -> None:
    token = _token(client)
    answer = client.post("/api/casefiles/test-write", data={csrf.FIELD: token}, headers=headers)
    assert answer.status_code == status, answer.text
    assert answer.headers["content-security-policy"]


@pytest.mark.parametrize("field, header, status", [
    ("right", None, 200),
    (None, "right", 200),
    (None, None, 403),
    ("", None, 403),
    ("wrong", None, 403),
    ("right-other-nonce", None, 403),    # a token made for another browser's cookie
])
def test_a_write_needs_this_browsers_token(client: TestClient, field: str | None,
                                           header: str | None, status: int) -> None:
    token = _token(client)
    other = TestClient(client.app, base_url="http://127.0.0.1:8080")
    other_token = _token(other)
    value = {"right": token, "wrong": "0" * 64, "right-other-nonce": other_token, "": ""}
    data = {csrf.FIELD: value[field]} if field is not None else {}
    headers = {"X-CSRF-Token": value[header]} if header is not None else {}
    answer = client.post("/api/casefiles/test-write", data=data, headers=headers)
    assert answer.status_code == status, answer.text
    if status == 403:
        assert "reload the page" in answer.text


def test_a_form_page_sets_the_cookie_its_token_belongs_to(client: TestClient) -> None:
    page = client.get("/api/casefiles/test-form")
    assert page.status_code == 200
    nonce = client.cookies.get(csrf.COOKIE)
    assert nonce and "samesite=strict" in page.headers["set-cookie"].lower()
    assert "httponly" in page.headers["set-cookie"].lower()
    # The same browser keeps its nonce on the next page, so two open forms both stay valid.
    client.get("/api/casefiles/test-form")
    assert client.cookies.get(csrf.COOKIE) == nonce


def test_a_write_over_its_limit_is_refused(client: TestClient, monkeypatch) -> None:
    monkeypatch.setitem(WRITE_LIMITS, "/api/casefiles", 1000)
    token = _token(client)
    declared = client.post("/api/casefiles/test-write", data={csrf.FIELD: token, "x": "y" * 2000})
    assert declared.status_code == 413

    def chunks():
        yield f"{csrf.FIELD}={token}&x=".encode()
        for _ in range(10):
            yield b"y" * 500

    streamed = client.post("/api/casefiles/test-write", content=chunks(),
                           headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert streamed.status_code == 413


@pytest.mark.parametrize("path, allowed", [
    ("/casefiles", True), ("/casefiles/a/b", True), ("/api/upload", True), ("/check", True),
    ("/casefilesx", False), ("/uploads", False), ("/search", False), ("/api/search", False),
])
def test_only_write_paths_take_writes(client: TestClient, path: str, allowed: bool) -> None:
    assert (write_limit(path) is not None) is allowed
    if not allowed:
        assert client.post(path, data={}).status_code == 405
