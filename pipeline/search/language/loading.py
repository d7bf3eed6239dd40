"""Importing Whoosh without two modules it loads but never uses here.

- ``whoosh.compat`` runs ``from urllib.request import urlretrieve`` (for downloading WordNet),
  which imports ``http.client``, ``email``, ``ssl`` and more: 40 ms of every command-line search.
- ``whoosh.query.terms`` runs ``from whoosh.lang.morph_en import variations`` (for the
  ``Variations`` query, which our parser never builds), and ``morph_en`` compiles some
  hundred regular expressions as it loads: 12 ms more.

Together a sixth of a search's start-up. ``install`` lets those two imports find stand-ins whose
one function imports the real module if ever called, then takes the stand-ins away again, so any
later import of ``urllib.request`` or ``morph_en``, anywhere, gets the real module.
"""

from __future__ import annotations

import sys
import types

__all__ = ["install"]


def _urlretrieve(*args, **kwargs):
    from urllib.request import urlretrieve

    return urlretrieve(*args, **kwargs)


def _variations(*args, **kwargs):
    from whoosh.lang.morph_en import variations

    return variations(*args, **kwargs)


#: (module Whoosh imports from, the name it imports, the stand-in function)
_STANDINS = (("urllib.request", "urlretrieve", _urlretrieve),
             ("whoosh.lang.morph_en", "variations", _variations))


def install() -> None:
    """Import Whoosh's query and compat modules with the stand-ins (idempotent)."""
    if "whoosh.query" in sys.modules:
        return
    placed = {}
    for module, name, function in _STANDINS:
        if module not in sys.modules:
            standin = types.ModuleType(module)
            setattr(standin, name, function)
            sys.modules[module] = placed[module] = standin
    try:
        import whoosh.compat  # noqa: F401
        import whoosh.query  # noqa: F401
    finally:
        for module, standin in placed.items():
            if sys.modules.get(module) is standin:
                del sys.modules[module]
