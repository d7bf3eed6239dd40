"""The local search page and JSON API (``precedents serve``).

>>> serve(Path("index"))                     # doctest: +SKIP
(then open http://127.0.0.1:8080/ in a browser)
"""

from __future__ import annotations

from pathlib import Path

from pipeline.errors import IndexError_
from pipeline.web.app import create_app
from pipeline.web.security import DEFAULT_HOSTS

__all__ = ["create_app", "serve"]


def serve(index_dir: Path, host: str = "127.0.0.1", port: int = 8080, *,
          processes: int | None = None) -> None:
    """Serve the index of ``index_dir`` until interrupted.

    The access log is off: URLs carry the queries, and queries name victims and officers.
    Requests and connections are bounded in time and number, and ``processes`` (default: one
    per core, see ``server.workers``) serve together (``server.py``). Binding to
    another address than loopback exposes the documents to the network; the Host check then
    also accepts ``host`` itself (not ``0.0.0.0``, which is no name a browser sends).
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
    run(app, host=host, port=port, processes=processes)
