"""Precedent bundles: share records with other NGOs, and take theirs in safely.

``export_bundle`` writes a zip of JSONL records plus a manifest (optionally signed with
Ed25519); ``import_bundle`` verifies everything, then merges the records into the catalogue
and rebuilds the index from it. The format is described in ``bundle.py``; every check an
import makes is in ``reader.py``.

>>> generate_key(Path("ngo.key"))                                         # doctest: +SKIP
>>> export_bundle(Path("out.zip"), Path("index"), sign_key=Path("ngo.key"))  # doctest: +SKIP
>>> import_bundle(Path("out.zip"), Path("other"), trust_key=Path("ngo.key.pub"))  # doctest: +SKIP
"""

from __future__ import annotations


from pipeline.exchange.bundle import FORMAT_VERSION, Limits
from pipeline.exchange.export import ExportReport, export_bundle
from pipeline.exchange.merge import ImportReport, import_bundle
from pipeline.exchange.signing import generate as generate_key

__all__ = ["FORMAT_VERSION", "ExportReport", "ImportReport", "Limits", "export_bundle",
           "generate_key", "import_bundle"]
