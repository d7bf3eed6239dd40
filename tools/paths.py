"""Where the tools find the project and the real documents: computed here and nowhere else.

The real corpora are never copied into the project; they sit beside it, in
``../shared/corpora``, read in place.
"""

from __future__ import annotations

from pathlib import Path

__all__ = ["ROOT", "GOLD", "SAMPLE_CORPORA", "SHARED_CORPORA"]

#: The project root: the folder holding ``pipeline/``, ``tools/`` and ``tests/``.
ROOT = Path(__file__).resolve().parent.parent
#: The project's own gold files (hand-made, committed).
GOLD = ROOT / "tests" / "gold"
#: The fictional sample documents written by ``tools.build_corpora``.
SAMPLE_CORPORA = ROOT / "corpora"
#: The real documents, beside the project.
SHARED_CORPORA = ROOT.parent / "shared" / "corpora"
