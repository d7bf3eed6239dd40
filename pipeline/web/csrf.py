"""Tokens that prove a write came from a form this server drew (cross-site request forgery).

A page of another site open in the lawyer's browser can make the browser POST to
``127.0.0.1:8080``; the browser then sends our cookies along. It cannot read our pages or our
cookies, so it cannot know the token a form of ours carries. The token is an HMAC of a random
per-browser nonce (the ``COOKIE`` cookie) under a secret drawn when the application is made,
so a cookie set by another program on ``localhost`` (cookies are not kept apart by port) gives
no valid token without the secret. The Guard middleware checks the origin of every write as
well; this is the second, independent lock.

Usage in a route: ``nonce = csrf.nonce(request)`` when drawing a form (pass ``csrf.token(...)``
to the template as ``csrf``, and set the cookie on the response with ``csrf.remember``), and
``csrf.verify(secret, request, form_token)`` before any write; it raises ``Forbidden``.
A client that is not a browser asks ``GET /api/csrf`` for a nonce and token and sends the token
in the ``X-CSRF-Token`` header with the cookie.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

from starlette.requests import Request
from starlette.responses import Response

from pipeline.errors import PipelineError
from pipeline.present.labels import N_

__all__ = ["COOKIE", "FIELD", "HEADER", "Forbidden", "new_secret", "nonce", "remember",
           "token", "verify"]

COOKIE = "precedents_csrf"
#: The hidden form field that carries the token.
FIELD = "csrf"
HEADER = "x-csrf-token"


class Forbidden(PipelineError):
    """A write without a valid token: the web layer answers 403."""


def new_secret() -> bytes:
    return secrets.token_bytes(32)


def nonce(request: Request) -> str:
    """The browser's nonce from its cookie, or a new one (set it with ``remember``)."""
    value = request.cookies.get(COOKIE, "")
    if len(value) == 43 and value.replace("-", "").replace("_", "").isalnum():
        return value
    return secrets.token_urlsafe(32)


def token(secret: bytes, nonce_: str) -> str:
    return hmac.new(secret, nonce_.encode("ascii"), hashlib.sha256).hexdigest()


def remember(response: Response, nonce_: str) -> None:
    """Set the nonce cookie: only for this site's requests (SameSite=Strict), never readable by
    a page's script (there are none, but a bug must not make it one)."""
    response.set_cookie(COOKIE, nonce_, httponly=True, samesite="strict", path="/")


def verify(secret: bytes, request: Request, sent: str | None) -> None:
    """Raise ``Forbidden`` unless ``sent`` (the form field, or the header when None) is the
    token of the nonce in the request's cookie."""
    value = request.cookies.get(COOKIE, "")
    if sent is None:
        sent = request.headers.get(HEADER, "")
    if not value or not sent or not hmac.compare_digest(token(secret, value), sent):
        raise Forbidden(N_("this form has expired or did not come from this page: "
                           "reload the page and send it again"))
