"""The guards every response passes through: checked methods, a checked Host, strict headers.

The server runs on a lawyer's laptop and shows documents that may carry hostile markup, so:
GET and HEAD are answered everywhere; POST only on ``POST_PATHS`` (a description of facts too
long for a URL, which changes nothing) and under the write prefixes of ``WRITE_LIMITS`` (add a
ruling, change a case file, check a draft); the Host header must name this machine, which
defeats DNS rebinding (a page on evil.example resolving its name to 127.0.0.1 cannot read our
answers); and every response, errors included, carries a Content-Security-Policy that forbids
scripts, so even a rendering bug cannot run a document's ``<script>``.

A description's POST body is read here, whole, before the application sees it: more than
``MAX_BODY`` bytes is refused with 413 (a declared Content-Length at once, a chunked body as
soon as it passes the limit), so no request can make the server hold more. A write's body is
counted as the application reads it, against its own limit. A POST whose ``Origin`` names
another site is refused (403): another page in the lawyer's browser may not make this one work
for it; a write must also carry a CSRF token (``csrf``), which the application checks.
"""

from __future__ import annotations

import json
from collections.abc import Iterable

from starlette.types import ASGIApp, Message, Receive, Scope, Send

__all__ = ["DEFAULT_HOSTS", "MAX_BODY", "POST_PATHS", "SECURITY_HEADERS", "WRITE_LIMITS", "Guard",
           "host_name", "write_limit"]

#: Names this machine answers to when no other host is configured.
DEFAULT_HOSTS = ("localhost", "127.0.0.1", "::1")

#: No script-src at all: the pages ship no JavaScript, so none may run.
CSP = ("default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; "
       "base-uri 'none'; frame-ancestors 'none'")

SECURITY_HEADERS = {
    "content-security-policy": CSP,
    "x-content-type-options": "nosniff",
    "referrer-policy": "no-referrer",
    "x-frame-options": "DENY",
    # Pages name victims and officers: keep them out of the browser's disk cache.
    "cache-control": "no-store",
}

ALLOWED_METHODS = ("GET", "HEAD")
#: The paths that also answer POST: a description of facts, up to 2,000 words, in the body.
POST_PATHS = frozenset({"/similar", "/api/similar"})
#: Bytes of a POST body at most: 2,000 words of Russian sent as JSON with every letter escaped
#: (``\\u0436``) are about 100 KB; ten times that is no description of facts.
MAX_BODY = 1024 * 1024

#: The path prefixes whose POSTs write (add a ruling, change a case file, check a draft), with
#: the most bytes one request may send. A write must come from this site's own page: its Origin
#: (or, failing that, Sec-Fetch-Site) must say so, and the application checks a CSRF token
#: (``csrf.verify``) as well. Their bodies are not read here but counted as the application
#: reads them (an upload is spooled to disk by the form parser, never held whole in memory).
WRITE_LIMITS: dict[str, int] = {
    "/upload": 256 * 1024 * 1024, "/api/upload": 256 * 1024 * 1024,
    "/check": 32 * 1024 * 1024, "/api/check": 32 * 1024 * 1024,
    "/casefiles": MAX_BODY, "/api/casefiles": MAX_BODY,
}


def write_limit(path: str) -> int | None:
    """The body limit of a write path, or None when ``path`` takes no writes.

    >>> write_limit("/casefiles/appeal/notes"), write_limit("/api/upload"), write_limit("/up")
    (1048576, 268435456, None)
    """
    for prefix, limit in WRITE_LIMITS.items():
        if path == prefix or path.startswith(prefix + "/"):
            return limit
    return None


class _TooLarge(Exception):
    """The application read past a write's body limit."""


def host_name(host_header: str) -> str:
    """The host part of a Host header, lower-cased, without port or IPv6 brackets.

    >>> [host_name(h) for h in ("127.0.0.1:8080", "LOCALHOST", "[::1]:8080", "[::1]", "")]
    ['127.0.0.1', 'localhost', '::1', '::1', '']
    """
    host = host_header.strip().lower()
    if host.startswith("["):
        return host[1:].split("]", 1)[0]
    return host.rsplit(":", 1)[0] if host.count(":") == 1 else host


class Guard:
    """ASGI middleware: method and Host checks first, then security headers on every answer.

    Written as plain ASGI (not Starlette's ``TrustedHostMiddleware`` + a header middleware) so
    that one place guarantees the headers are also on its own 400 and 405 answers.
    """

    def __init__(self, app: ASGIApp, *, allowed_hosts: Iterable[str]):
        self.app = app
        self.allowed = {host_name(h) for h in allowed_hosts}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = dict(scope.get("headers") or [])
        host = host_name(headers.get(b"host", b"").decode("latin-1"))
        if "*" not in self.allowed and host not in self.allowed:
            await _answer(send, 400, "Invalid host header")
            return
        path = scope.get("path") or ""
        limit = write_limit(path)
        posted = scope["method"] == "POST" and path in POST_PATHS
        writes = scope["method"] == "POST" and limit is not None
        if scope["method"] not in ALLOWED_METHODS and not posted and not writes:
            allow = b"GET, HEAD, POST" if path in POST_PATHS or limit else b"GET, HEAD"
            await _answer(send, 405, "Method not allowed: this server is read-only",
                          extra=[(b"allow", allow)])
            return
        if posted:
            origin = headers.get(b"origin", b"").decode("latin-1")
            if origin and origin != "null" and "*" not in self.allowed and \
                    _origin_host(origin) not in self.allowed:
                await _answer(send, 403, "Forbidden: a form of another site may not post here")
                return
            body = await _body(receive, headers.get(b"content-length"))
            if body is None:
                await _answer(send, 413, f"Request body too large: at most {MAX_BODY:,} bytes "
                                         "(a description of facts is at most 2,000 words)")
                return
            receive = _replay(body, receive)
        if writes:
            assert limit is not None
            if not self._same_origin(headers):
                await _answer(send, 403, "Forbidden: only this site's own pages may change it")
                return
            try:
                if int(headers.get(b"content-length", b"0")) > limit:
                    await _answer(send, 413, f"Request body too large: at most {limit:,} bytes")
                    return
            except ValueError:
                await _answer(send, 400, "Invalid Content-Length")
                return
            receive = _counted(receive, limit)

        started = False
        head = scope["method"] == "HEAD"
        if head:
            # FastAPI routes declare GET only; HEAD is the same answer without its body.
            scope = {**scope, "method": "GET"}

        async def send_with_headers(message: Message) -> None:
            nonlocal started
            if head and message["type"] == "http.response.body":
                message = {**message, "body": b""}
            if message["type"] == "http.response.start":
                started = True
                present = {k.lower() for k, _ in message.get("headers", [])}
                extra = [(k.encode(), v.encode()) for k, v in SECURITY_HEADERS.items()
                         if k.encode() not in present]
                message = {**message, "headers": [*message.get("headers", []), *extra]}
            await send(message)

        try:
            await self.app(scope, receive, send_with_headers)
        except _TooLarge:
            if not started:
                await _answer(send, 413, f"Request body too large: at most {limit:,} bytes")
        except Exception:
            # Starlette's own 500 page is drawn outside this middleware, without our headers;
            # answer first, then let the error reach the server log.
            if not started:
                await _answer(send, 500, "Internal error; the server log has the details.")
            raise

    def _same_origin(self, headers: dict[bytes, bytes]) -> bool:
        """Whether a write comes from this site: its Origin names an allowed host, or, with no
        Origin, Sec-Fetch-Site says same-origin (or "none": typed by the user). A request with
        neither is not from a browser (a script or curl), which no other site can forge; the
        CSRF token still guards it. ``Origin: null`` (sandboxed frames, some redirects) is
        refused, unless Sec-Fetch-Site says same-origin: our own ``Referrer-Policy:
        no-referrer`` makes Chromium send ``null`` for the page's own form POSTs, and no page
        can set Sec-Fetch-Site (the browser does)."""
        origin = headers.get(b"origin", b"").decode("latin-1")
        site = headers.get(b"sec-fetch-site", b"").decode("latin-1").lower()
        if site and site not in ("same-origin", "none"):
            return False
        if origin == "null" and site == "same-origin":
            return True
        if origin:
            return origin != "null" and ("*" in self.allowed
                                         or _origin_host(origin) in self.allowed)
        return True


def _counted(receive: Receive, limit: int) -> Receive:
    """A ``receive`` that raises ``_TooLarge`` once the body passes ``limit`` bytes."""
    size = 0

    async def counted() -> Message:
        nonlocal size
        message = await receive()
        if message["type"] == "http.request":
            size += len(message.get("body", b""))
            if size > limit:
                raise _TooLarge
        return message

    return counted


def _origin_host(origin: str) -> str:
    return host_name(origin.split("://", 1)[-1].split("/", 1)[0])


async def _body(receive: Receive, declared: bytes | None) -> bytes | None:
    """The whole request body, or None when it is (or is declared) over ``MAX_BODY`` bytes."""
    try:
        if declared is not None and int(declared) > MAX_BODY:
            return None
    except ValueError:
        pass
    chunks: list[bytes] = []
    size = 0
    while True:
        message = await receive()
        if message["type"] != "http.request":
            break  # the client went away: the application sees an empty body and answers no one
        chunk = message.get("body", b"")
        size += len(chunk)
        if size > MAX_BODY:
            return None
        chunks.append(chunk)
        if not message.get("more_body"):
            break
    return b"".join(chunks)


def _replay(body: bytes, receive: Receive) -> Receive:
    """A ``receive`` that gives the application the body already read, then the server's own
    messages (a disconnect)."""
    sent = False

    async def replay() -> Message:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()

    return replay


async def _answer(send: Send, status: int, message: str,
                  extra: list[tuple[bytes, bytes]] | None = None) -> None:
    """A JSON error answer with the security headers (JSON reads fine in a browser too)."""
    body = json.dumps({"error": message}).encode()
    headers = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode()),
               *[(k.encode(), v.encode()) for k, v in SECURITY_HEADERS.items()], *(extra or [])]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})
