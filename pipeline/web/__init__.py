"""The local search page and JSON API (``precedents serve``).

>>> serve(Path("index"))                     # doctest: +SKIP
(then open http://127.0.0.1:8080/ in a browser)
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from pipeline.errors import IndexError_
from pipeline.web.app import create_app
from pipeline.web.security import DEFAULT_HOSTS

__all__ = ["create_app", "serve"]


def serve(index_dir: Path, host: str = "127.0.0.1", port: int = 8080, *,
          processes: int | None = None, inbox: Path | None = None) -> None:
    """Serve the index of ``index_dir`` until interrupted.

    The access log is off: URLs carry the queries, and queries name victims and officers.
    Requests and connections are bounded in time and number, and ``processes`` (default: one
    per core, see ``server.workers``) serve together (``server.py``). Binding to
    another address than loopback exposes the documents to the network; the Host check then
    also accepts ``host`` itself (not ``0.0.0.0``, which is no name a browser sends).

    With ``inbox``, one process of its own (``precedents watch``) adds the rulings dropped
    into that folder, started before the server's processes fork so that exactly one watches
    it; it stops with the server.
    """
    from pipeline.web.server import run

    hosts = list(DEFAULT_HOSTS)
    if host not in ("0.0.0.0", "::", *hosts):
        hosts.append(host)
    app = create_app(Path(index_dir), allowed_hosts=hosts)
    from pipeline.search.meaning.fuse import preload

    try:  # before the fork, so the processes share the layer and the encoder
        preload(Path(index_dir))
    except IndexError_:
        pass  # a damaged layer is reported by each meaning search; words still work
    watcher = _watch(Path(index_dir), Path(inbox)) if inbox is not None else None
    try:
        run(app, host=host, port=port, processes=processes)
    finally:
        if watcher is not None:
            watcher.terminate()
            try:
                watcher.wait(timeout=30)
            except subprocess.TimeoutExpired:
                watcher.kill()
                watcher.wait()


def _watch(index_dir: Path, inbox: Path) -> subprocess.Popen:
    """``precedents watch INBOX`` in a process of its own, which dies with this one. The
    folder's watcher lock is tried here first, so a folder watched already stops the server
    with one clear line instead of a watcher failing in the background."""
    from pipeline.ingest.inbox import watched
    from pipeline.web.server import _die_with_parent

    with watched(inbox):
        pass
    return subprocess.Popen([sys.executable, "-m", "pipeline", "watch", str(inbox),
                             "--index", str(index_dir)], preexec_fn=_die_with_parent)
