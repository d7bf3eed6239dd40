"""Which search engine an index uses: chosen when the index is created, recorded beside it.

The choice lives in a small ``ENGINE`` file in the index directory, so ``search``, ``serve``
and later ``ingest`` runs open the right engine without being told. An index made before the
choice existed has no such file but a ``whoosh/`` directory: it is a Whoosh index.

Switching engines is a rebuild from the catalogue (``precedents reindex --engine ...``).
``ingest --engine`` that contradicts the recorded engine is refused rather than obeyed: ingest
runs again and again from scripts, and a stale flag in one should not silently throw away an
index and spend an hour rebuilding a big corpus; a switch is a deliberate, separate step.

Engines are imported only when used, so the CLI starts without loading tantivy.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import TYPE_CHECKING

from pipeline.errors import IndexError_

if TYPE_CHECKING:
    from pipeline.search.interface import Engine

__all__ = ["DEFAULT_ENGINE", "ENGINES", "engine_class", "record_engine", "recorded_engine"]

ENGINES = ("whoosh", "tantivy")
DEFAULT_ENGINE = "whoosh"
ENGINE_FILE = "ENGINE"


def recorded_engine(index_dir: Path) -> str | None:
    """The engine the index in ``index_dir`` was built with, or None when it has none yet."""
    path = Path(index_dir) / ENGINE_FILE
    if path.is_file():
        name = path.read_text(encoding="utf-8").strip()
        if name not in ENGINES:
            raise IndexError_(f"{index_dir}: unknown search engine {name!r} in {ENGINE_FILE} "
                              f"(use one of: {', '.join(ENGINES)})")
        return name
    if (Path(index_dir) / "whoosh").is_dir():
        return "whoosh"
    return None


def record_engine(index_dir: Path, name: str) -> None:
    """Write the engine choice atomically (a reader never sees half a name)."""
    check_engine(name)
    path = Path(index_dir) / ENGINE_FILE
    if path.is_file() and path.read_text(encoding="utf-8").strip() == name:
        return
    tmp = path.with_suffix(".tmp")
    tmp.write_text(f"{name}\n", encoding="utf-8")
    os.replace(tmp, path)


def check_engine(name: str) -> str:
    if name not in ENGINES:
        raise IndexError_(f"unknown search engine {name!r} (use one of: {', '.join(ENGINES)})")
    return name


def engine_class(name: str) -> type[Engine]:
    """The index class of an engine, imported on first use."""
    check_engine(name)
    if name == "tantivy":
        try:
            from pipeline.search.tantivy.engine import TantivyIndex
        except ImportError as exc:
            raise IndexError_("the tantivy engine needs the tantivy package "
                              "(pip install 'tantivy>=0.25')") from exc
        return TantivyIndex
    from pipeline.search.whoosh.engine import WhooshIndex

    return WhooshIndex


def drop_other_engines(index_dir: Path, keep: str) -> None:
    """Remove the directories of engines other than ``keep`` (after a switch)."""
    for name in ENGINES:
        if name != keep:
            shutil.rmtree(Path(index_dir) / name, ignore_errors=True)
