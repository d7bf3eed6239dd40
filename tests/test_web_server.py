"""The HTTP server's limits (pipeline/web/server.py), with real sockets on loopback.

A client that opens connections and never completes a request must not hold them for ever, and
must not lock other clients out when the process's descriptors run short. Each test starts
``pipeline.web.serve`` in a child process (over an empty folder: the API page needs no index),
with its limits lowered so the test runs in seconds; every loop here is bounded.
"""

from __future__ import annotations

import os
import resource
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

ROOT = Path(__file__).resolve().parent.parent

#: The child's script: lower the limits (when the module that holds them exists), then serve.
SERVE = """
import sys
from pathlib import Path
try:
    import pipeline.web.server as limits
    limits.HEADER_TIMEOUT = float(sys.argv[3])
    limits.MAX_CONNECTIONS = int(sys.argv[4])
except ImportError:
    pass
from pipeline.web import serve
serve(Path(sys.argv[1]), port=int(sys.argv[2]))
"""


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _descriptors(limit: int):
    def apply() -> None:
        resource.setrlimit(resource.RLIMIT_NOFILE, (limit, limit))
    return apply


@pytest.fixture
def start(tmp_path):
    """``start(header_timeout, max_connections, descriptors=None)`` -> base URL of a server."""
    children = []

    def run(header_timeout: float, max_connections: int, descriptors: int | None = None) -> str:
        port = _free_port()
        log = (tmp_path / f"server{port}.log").open("wb")
        child = subprocess.Popen(
            [sys.executable, "-c", SERVE, str(tmp_path), str(port), str(header_timeout),
             str(max_connections)],
            cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)}, stdout=log,
            stderr=subprocess.STDOUT,
            preexec_fn=_descriptors(descriptors) if descriptors else None)
        children.append((child, log))
        base = f"http://127.0.0.1:{port}"
        for _ in range(150):
            try:
                httpx.get(base + "/api", timeout=2)
                return base
            except httpx.TransportError:
                time.sleep(0.1)
        pytest.fail("the server did not start: " + log.name)

    yield run
    for child, log in children:
        child.terminate()
        try:
            child.wait(timeout=10)
        except subprocess.TimeoutExpired:
            child.kill()
            child.wait(timeout=10)
        log.close()


def _connect(base: str) -> socket.socket:
    host, port = base.rsplit("/", 1)[-1].split(":")
    sock = socket.create_connection((host, int(port)), timeout=5)
    return sock


def _closed_by_server(sock: socket.socket, within: float) -> bool:
    """Whether the server closes ``sock`` within ``within`` seconds (reading what it sends)."""
    sock.settimeout(within)
    end = time.monotonic() + within
    try:
        while time.monotonic() < end:
            if not sock.recv(4096):
                return True
    except (ConnectionResetError, BrokenPipeError):
        return True
    except socket.timeout:
        return False
    return False


def test_half_sent_and_idle_connections_are_closed_after_the_header_timeout(start):
    """GIVEN a server with a 1 s header timeout WHEN connections send nothing, or half a request
    trickled a line at a time, or half a second request after a first one was answered
    THEN the server closes each within a few seconds, and a complete request is still answered."""
    base = start(header_timeout=1.0, max_connections=200)
    silent = [_connect(base) for _ in range(20)]
    trickling = [_connect(base) for _ in range(20)]
    for sock in trickling:
        sock.sendall(b"GET /api HTTP/1.1\r\nHost: 127.0.0.1\r\n")
    second = _connect(base)
    second.sendall(b"GET /api HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
    time.sleep(0.5)
    second.recv(65536)  # the first answer (keep-alive)
    second.sendall(b"GET /api HTTP/1.1\r\n")
    # Trickle a header line every 0.2 s for 3 s: no byte may buy more time.
    for n in range(15):
        for sock in trickling:
            try:
                sock.sendall(b"X-Slow-%d: 1\r\n" % n)
            except OSError:
                pass
        time.sleep(0.2)
    assert httpx.get(base + "/api", timeout=5).status_code == 200
    for sock in [*silent, *trickling, second]:
        assert _closed_by_server(sock, within=3.0)
        sock.close()


@pytest.mark.parametrize("idle", [100, 300])
def test_idle_connections_beyond_the_descriptors_do_not_lock_others_out(start, idle):
    """GIVEN a server process with 256 file descriptors and a long header timeout WHEN a client
    holds more idle connections than that THEN a normal request is still answered in seconds
    (the oldest idle connection makes room); with fewer idle ones than the cap, none is closed."""
    base = start(header_timeout=60.0, max_connections=512, descriptors=256)
    held = []
    try:
        for _ in range(idle):
            held.append(_connect(base))
        time.sleep(0.5)
        started = time.monotonic()
        response = httpx.get(base + "/api", timeout=10)
        assert response.status_code == 200
        assert time.monotonic() - started < 5
    finally:
        for sock in held:
            sock.close()


def test_connections_under_the_cap_are_kept(start):
    """GIVEN a cap of 40 connections WHEN 30 stay idle (under the header timeout) THEN the
    server keeps them all open: the cap closes nothing before it is reached."""
    base = start(header_timeout=30.0, max_connections=40)
    held = [_connect(base) for _ in range(30)]
    try:
        assert httpx.get(base + "/api", timeout=5).status_code == 200
        assert not any(_closed_by_server(sock, within=0.05) for sock in held)
    finally:
        for sock in held:
            sock.close()


class _Transport:
    def __init__(self, sock: socket.socket) -> None:
        self.sock = sock

    def get_extra_info(self, name: str):
        return self.sock if name == "socket" else None


def test_answers_leave_at_once_on_a_shared_listening_socket() -> None:
    """GIVEN a connection accepted on the socket the forked server processes share WHEN the
    protocol takes it THEN Nagle's algorithm is off. asyncio leaves it on for such a socket,
    and h11 writes headers and body apart: every answer waited 40 ms for the client's delayed
    ACK (a search of 15 ms took 56). A Unix socket is left alone."""
    from pipeline.web.server import _no_delay, bound_socket

    listener = bound_socket("127.0.0.1", 0)
    listener.listen()
    with listener, socket.create_connection(listener.getsockname()) as client:
        accepted, _ = listener.accept()
        with accepted:
            assert accepted.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY) == 0
            _no_delay(_Transport(accepted))
            assert accepted.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY) != 0
        assert client
    left, right = socket.socketpair()
    with left, right:
        _no_delay(_Transport(left))
