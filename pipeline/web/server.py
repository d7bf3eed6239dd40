"""The HTTP server under the page: uvicorn, with the time and connection limits it lacks.

uvicorn (with h11) waits forever for a request that never completes its headers, and keeps
every connection it accepts: a client that opens connections and sends nothing, or a header
line every few seconds, holds a file descriptor each until the process runs out of them, and
then nobody else is served (1,100 idle connections against a 1,024-descriptor limit locked
everyone out). Here a connection that is not being answered is closed once ``header_timeout``
seconds have passed since it opened or since its last response, whatever it trickled in the
meantime (uvicorn's own keep-alive timer is cancelled by any byte that arrives). And at most
``max_connections`` are kept: a new one beyond that closes the longest-waiting connection that is
not being answered, so a newcomer is always heard; when every connection is busy answering, the
newcomer gets 503.
"""

from __future__ import annotations

import asyncio
import os
import resource
import signal
import socket
from typing import Any

import uvicorn
from uvicorn.protocols.http.h11_impl import H11Protocol

__all__ = ["HEADER_TIMEOUT", "KEEP_ALIVE", "MAX_CONNECTIONS", "bound_socket", "guarded_protocol",
           "make_server", "run", "workers"]

#: Seconds a connection may take to send a whole request (request line and headers), counted
#: from when it opened or from its last response; a browser sends one in milliseconds.
HEADER_TIMEOUT = 10.0
#: Seconds an idle keep-alive connection is kept between requests (uvicorn's own timer).
KEEP_ALIVE = 5
#: Connections kept open at once; well under the usual 1,024 descriptors per process, which
#: the index and catalogue files also need.
MAX_CONNECTIONS = 512
#: Connections waiting to be accepted, and so accepted in one go (see ``_room``).
BACKLOG = 128

_BUSY = (b"HTTP/1.1 503 Service Unavailable\r\ncontent-type: text/plain; charset=utf-8\r\n"
         b"connection: close\r\ncontent-length: 33\r\n\r\nThe server is busy; try again.\r\n\r\n")


class _Guarded(H11Protocol):
    """uvicorn's h11 protocol with a deadline on receiving each request, and a cap on
    connections (both set by ``guarded_protocol``)."""

    header_timeout: float = HEADER_TIMEOUT
    max_connections: int = MAX_CONNECTIONS

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._deadline: asyncio.TimerHandle | None = None

    # A connection is "waiting" while it is not being answered: before its first request,
    # between requests, or receiving one whose headers have not all arrived.
    def _waiting(self) -> bool:
        return self.cycle is None or self.cycle.response_complete

    def _arm(self) -> None:
        if self._deadline is None:
            self._deadline = self.loop.call_later(self.header_timeout, self._expire)

    def _disarm(self) -> None:
        if self._deadline is not None:
            self._deadline.cancel()
            self._deadline = None

    def _expire(self) -> None:
        self._deadline = None
        if self._waiting() and not self.transport.is_closing():
            self.transport.close()

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        _no_delay(transport)
        super().connection_made(transport)
        self._arm()
        if len(self.connections) > self.max_connections:
            self._make_room()

    def _make_room(self) -> None:
        """Close the longest-waiting idle connection; if none is idle, refuse this one."""
        idle = [c for c in self.connections
                if c is not self and isinstance(c, _Guarded) and c._waiting()
                and not c.transport.is_closing()]
        if idle:
            # Sets keep no order; the deadline says which has waited longest.
            oldest = min(idle, key=lambda c: c._deadline.when() if c._deadline else 0.0)
            oldest.transport.close()
            return
        self.transport.write(_BUSY)
        self.transport.close()

    def connection_lost(self, exc: Exception | None) -> None:
        self._disarm()
        super().connection_lost(exc)

    def data_received(self, data: bytes) -> None:
        super().data_received(data)
        if self._waiting():
            self._arm()  # not re-armed: trickled bytes do not buy more time
        else:
            self._disarm()

    def on_response_complete(self) -> None:
        self._disarm()
        super().on_response_complete()
        if not self.transport.is_closing() and self._waiting():
            self._arm()


def _no_delay(transport: asyncio.BaseTransport) -> None:
    """Send each write at once. asyncio sets TCP_NODELAY only on sockets made with
    proto=IPPROTO_TCP, and a socket bound by ``bound_socket`` and shared by forked processes
    says 0; h11 writes the headers and the body apart, so Nagle's algorithm held the body
    until the client's delayed ACK: 40 ms added to every answer."""
    sock = transport.get_extra_info("socket")
    if sock is not None and sock.family in (socket.AF_INET, socket.AF_INET6):
        try:
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        except OSError:
            pass


def guarded_protocol(header_timeout: float = HEADER_TIMEOUT,
                     max_connections: int = MAX_CONNECTIONS) -> type[H11Protocol]:
    """The protocol class for ``uvicorn.Config(http=...)`` with these limits."""
    return type("GuardedH11Protocol", (_Guarded,),
                {"header_timeout": float(header_timeout), "max_connections": int(max_connections)})


def _room(wanted: int) -> tuple[int, int]:
    """(connections kept, connections accepted at once) that fit the process's descriptors.

    The soft limit is first raised towards what ``wanted`` connections need (the hard limit
    permitting). asyncio accepts a whole batch of waiting connections (the listen backlog)
    before the protocol sees any of them, so the cap and one batch must fit together, with a
    quarter of the descriptors (at most 256) left for the index and catalogue files."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft != resource.RLIM_INFINITY and soft < wanted + 384:
        raised = wanted + 384 if hard == resource.RLIM_INFINITY else min(wanted + 384, hard)
        try:
            resource.setrlimit(resource.RLIMIT_NOFILE, (raised, hard))
            soft = raised
        except (ValueError, OSError):
            pass
    if soft == resource.RLIM_INFINITY:
        return wanted, BACKLOG
    backlog = max(4, min(BACKLOG, soft // 8))
    return max(4, min(wanted, soft - min(256, soft // 4) - backlog)), backlog


def make_server(app: Any, host: str = "127.0.0.1", port: int = 8080, *,
                header_timeout: float | None = None, keep_alive: int | None = None,
                max_connections: int | None = None) -> uvicorn.Server:
    """A uvicorn server for ``app`` with the limits above (the module's values when not
    given); ``server.run()`` (or ``server.run(sockets=[sock])`` for a socket bound by the
    caller) serves until stopped.

    The access log is off: URLs carry the queries, and queries name victims and officers.
    """
    header_timeout = HEADER_TIMEOUT if header_timeout is None else header_timeout
    keep_alive = KEEP_ALIVE if keep_alive is None else keep_alive
    max_connections = MAX_CONNECTIONS if max_connections is None else max_connections
    connections, backlog = _room(max_connections)
    config = uvicorn.Config(
        app, host=host, port=port, log_level="warning", access_log=False, server_header=False,
        proxy_headers=False, http=guarded_protocol(header_timeout, connections),
        timeout_keep_alive=keep_alive, backlog=backlog)
    return uvicorn.Server(config)


def bound_socket(host: str = "127.0.0.1", port: int = 0) -> socket.socket:
    """A socket bound on ``host`` (port 0: any free one), for ``Server.run(sockets=...)``."""
    family = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0][0]
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    if family == socket.AF_INET6 and host in ("::", "::0"):
        sock.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 0)
    sock.bind((host, port))
    sock.set_inheritable(True)
    return sock


def workers() -> int:
    """Server processes: one per core, up to 4. A search is Python under one interpreter
    lock, so one process uses one core whatever its threads; 20 clients on 2 cores waited
    for each other (p95 5.1 s)."""
    return max(1, min(os.cpu_count() or 1, 4))


def run(app: Any, host: str = "127.0.0.1", port: int = 8080, *,
        processes: int | None = None) -> None:
    """Serve ``app`` until interrupted, in ``processes`` forked processes (``workers()``)
    sharing one listening socket; each has its own limits, connections and caches. The first
    process stops the others when it stops; each stops with its parent."""
    processes = workers() if processes is None else max(1, processes)
    sock = bound_socket(host, port)
    children: list[int] = []
    try:
        for _ in range(processes - 1):
            pid = os.fork()
            if pid == 0:  # pragma: no cover - runs in the child
                code = 0
                try:
                    _die_with_parent()
                    make_server(app, host, port).run(sockets=[sock])
                except BaseException:  # noqa: BLE001 - a child never returns into the caller
                    code = 1
                finally:
                    os._exit(code)
            children.append(pid)
        make_server(app, host, port).run(sockets=[sock])
    finally:
        for pid in children:
            try:
                os.kill(pid, signal.SIGTERM)
            except ProcessLookupError:
                pass
        for pid in children:
            try:
                os.waitpid(pid, 0)
            except ChildProcessError:
                pass
        sock.close()


def _die_with_parent() -> None:
    """Ask Linux to send SIGTERM when the parent dies (a killed parent leaves no server behind)."""
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass
