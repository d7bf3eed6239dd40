"""Verified bundle -> local catalogue -> rebuilt search index.

Only records are merged; a foreign search index is never opened (a Whoosh index is Python
pickles: opening one can run code), the local index is rebuilt from the local catalogue.

Decisions, each visible in the report:

* Deduplication is by content: a document whose text (sha256 of its UTF-8) is already in the
  catalogue is not added again, whatever its id.
* An id already used locally by a *different* text is not overwritten: the incoming document
  is stored as ``<id>-<first 8 hex of its text hash>`` (then ``-2``, ``-3``...). Citations
  resolve through identifiers and case names, not ids, so nothing breaks.
* Imported sources are stored as ``bundle://<sha256 of manifest.json>/<name>`` with status ok,
  their extraction date as ``processed_at``; the manifest (and signature) are kept in
  ``<index>/bundles/<sha>.json`` as provenance, and any original files in
  ``<index>/originals/<sha256>``.
"""

from __future__ import annotations

import os
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pipeline.catalogue import Catalogue, Document, Source
from pipeline.errors import BundleError
from pipeline.exchange import signing
from pipeline.exchange.bundle import BUNDLE_SCHEME, SIGNATURE, Limits, document_from_line
from pipeline.exchange.export import ORIGINALS_DIR
from pipeline.exchange.reader import VerifiedBundle, open_bundle

#: Where the manifests of imported bundles are kept, inside the index directory.
BUNDLES_DIR = "bundles"


@dataclass
class ImportReport:
    """What ``precedents import`` prints (``--json``: exactly this)."""

    bundle: Path
    sha256: str = ""
    signer: str | None = None
    trusted: bool = False
    documents: int = 0
    added: list[str] = field(default_factory=list)
    duplicates: list[dict[str, str]] = field(default_factory=list)
    renamed: list[dict[str, str]] = field(default_factory=list)
    sources: int = 0
    originals: int = 0
    seconds: float = 0.0
    #: The bundle's case files: each its name there, its name here (None: an identical one
    #: was here already) and its items (``exchange/casefiles.py``).
    casefiles: list[dict[str, Any]] = field(default_factory=list)

    @property
    def verification(self) -> str:
        if self.trusted:
            return f"signature verified with the trusted key {self.signer}"
        if self.signer:
            return (f"checksums verified; signed by key {self.signer}, "
                    "not checked against a trusted key (use --trust)")
        return "checksums verified; unsigned bundle (nobody vouches for its origin)"

    def to_json(self) -> dict[str, Any]:
        return {"bundle": str(self.bundle), "manifest_sha256": self.sha256,
                "verification": self.verification, "signed_by": self.signer,
                "trusted": self.trusted, "documents": self.documents, "added": self.added,
                "duplicates": self.duplicates, "renamed": self.renamed,
                "sources_added": self.sources, "originals_stored": self.originals,
                "seconds": round(self.seconds, 2), "casefiles": self.casefiles}


@dataclass
class _Plan:
    """What happens to each listed document, decided from the verified manifest alone."""

    ids: list[str | None]                     # per position: the local id, or None (duplicate)
    sources: dict[str, Source]                # name -> the Source to add (those with new docs)


def import_bundle(bundle_path: Path, index_dir: Path, *, trust_key: Path | None = None,
                  limits: Limits = Limits(),
                  notice: Callable[[str], None] = lambda m: None) -> ImportReport:
    """Verify ``bundle_path`` completely, then merge its records into ``index_dir``.

    >>> import_bundle(Path("ngo-b.zip"), Path("index"), trust_key=Path("ngo-b.pub"))  # doctest: +SKIP
    ImportReport(..., added=['echr-...'], duplicates=[...])
    """
    from pipeline.ingest import ingest_lock
    from pipeline.search import catch_up

    started = time.perf_counter()
    trust = signing.load_public(trust_key) if trust_key else None
    bundle = open_bundle(bundle_path, trust=trust, limits=limits)
    report = ImportReport(Path(bundle_path), bundle.sha256, bundle.signer, bundle.trusted,
                          len(bundle.manifest["documents"]))
    try:
        index_dir = Path(index_dir)
        with ingest_lock(index_dir, "import into it"):
            catalogue = Catalogue.open(index_dir)
            try:
                _merge(bundle, catalogue, index_dir, report)
                if bundle.casefiles is not None:
                    _take_casefiles(bundle, catalogue, report)
                # Even when nothing was added: an earlier import killed after its catalogue
                # commit left documents only this makes searchable.
                catch_up(index_dir, catalogue, notice=notice)
            finally:
                catalogue.close()
    finally:
        bundle.close()
    report.seconds = time.perf_counter() - started
    return report


def _plan(bundle: VerifiedBundle, catalogue: Catalogue, report: ImportReport) -> _Plan:
    local = catalogue.text_hashes()
    used = {i for ids in catalogue.document_ids_by_source().values() for i in ids}
    by_name = {s["name"]: s for s in bundle.manifest["sources"]}
    plan = _Plan([], {})
    for entry in bundle.manifest["documents"]:
        sha = entry["text_sha256"]
        if sha in local:
            report.duplicates.append({"id": entry["id"], "local_id": local[sha]})
            plan.ids.append(None)
            continue
        doc_id = entry["id"]
        if doc_id in used:
            base, n = f"{doc_id}-{sha[:8]}", 2
            doc_id = base
            while doc_id in used:
                doc_id, n = f"{base}-{n}", n + 1
            report.renamed.append({"from": entry["id"], "to": doc_id})
        used.add(doc_id)
        local[sha] = doc_id
        plan.ids.append(doc_id)
        report.added.append(doc_id)
        name = entry["source"]
        if name not in plan.sources:
            src = by_name[name]
            plan.sources[name] = Source(
                path=f"{BUNDLE_SCHEME}{bundle.sha256}/{name}", sha256=src["sha256"],
                size=src["size"], mtime_ns=None, format=src["format"], status="ok",
                pipeline_version=src["pipeline_version"],
                processed_at=src["extracted_at"] or "")
    return plan


def _merge(bundle: VerifiedBundle, catalogue: Catalogue, index_dir: Path,
           report: ImportReport) -> None:
    from pipeline.search import rebuild_index

    plan = _plan(bundle, catalogue, report)
    if not report.added:
        return
    existing = {s.path for s in plan.sources.values() if catalogue.source(s.path) is not None}
    originals = _stage_originals(bundle, index_dir, plan)
    try:
        catalogue.add_imported(_documents(bundle, plan))
    except BaseException:
        for tmp, _ in originals:
            tmp.unlink(missing_ok=True)
        raise
    for tmp, final in originals:
        os.replace(tmp, final)
    report.originals = len(originals)
    report.sources = len(plan.sources) - len(existing)
    try:
        rebuild_index(index_dir, catalogue)
    except Exception as exc:  # noqa: BLE001 - whatever broke, the import is taken back
        _undo(catalogue, plan, existing, report)
        for _, final in originals:
            final.unlink(missing_ok=True)
        rebuild_index(index_dir, catalogue)
        raise BundleError(f"{bundle.path}: refused: its records could not be indexed "
                          f"({exc}); nothing imported") from exc
    _keep_manifest(bundle, index_dir)


def _take_casefiles(bundle: VerifiedBundle, catalogue: Catalogue, report: ImportReport) -> None:
    """The bundle's case files, each item on the local document its bundle document became:
    added as it was, renamed, or already here under another id."""
    from pipeline.exchange.casefiles import imported

    local = {d["id"]: d["local_id"] for d in report.duplicates}
    local.update({r["from"]: r["to"] for r in report.renamed})
    renamed = {r["to"] for r in report.renamed}
    local.update({i: i for i in report.added if i not in renamed})
    assert bundle.casefiles is not None
    report.casefiles = imported(catalogue, bundle.casefiles, local.get)


def _documents(bundle: VerifiedBundle, plan: _Plan) -> Iterator[tuple[Source, list[Document]]]:
    """(source, [document]) for each new document, read lazily: a 100,000-record bundle is
    never held in memory, and a late surprise rolls the one transaction back."""
    for line, doc_id in zip(bundle.records(), plan.ids, strict=True):
        if doc_id is None:
            continue
        source = plan.sources[line["source"]["path"]]
        if not source.timings:
            # What extraction cost at the exporter: kept as the record showed it (numbers only).
            source.timings = {str(k): v for k, v in line["source"].get("timings", {}).items()
                              if isinstance(v, (int, float)) and not isinstance(v, bool)}
        yield source, [document_from_line(line, source.path, doc_id)]


def _stage_originals(bundle: VerifiedBundle, index_dir: Path,
                     plan: _Plan) -> list[tuple[Path, Path]]:
    """Copy the originals of the sources being added to temporary files (hash re-checked);
    they are renamed into ``originals/`` only once the catalogue has committed."""
    wanted = {s["original"] for s in bundle.manifest["sources"]
              if s["name"] in plan.sources and s.get("original")}
    if not wanted:
        return []
    folder = index_dir / ORIGINALS_DIR
    folder.mkdir(exist_ok=True)
    staged: list[tuple[Path, Path]] = []
    try:
        for member in sorted(wanted):
            final = folder / member.rsplit("/", 1)[-1]   # the sha256, checked by the reader
            if final.exists():
                continue
            fd, tmp = tempfile.mkstemp(dir=folder, prefix=".import-", suffix=".tmp")
            staged.append((Path(tmp), final))
            with os.fdopen(fd, "wb") as out:
                bundle.copy_original(member, out)
    except BaseException:
        for staged_path, _ in staged:
            staged_path.unlink(missing_ok=True)
        raise
    return staged


def _undo(catalogue: Catalogue, plan: _Plan, existing: set[str], report: ImportReport) -> None:
    """Take back what this import added (its index rebuild failed)."""
    catalogue.remove_imported(report.added, [s.path for s in plan.sources.values()
                                             if s.path not in existing])


def _keep_manifest(bundle: VerifiedBundle, index_dir: Path) -> None:
    """Provenance: the manifest (and signature) of every bundle merged into this index."""
    from pipeline.exchange.bundle import MANIFEST

    folder = index_dir / BUNDLES_DIR
    folder.mkdir(exist_ok=True)
    for member, suffix in ((MANIFEST, ".json"), (SIGNATURE, ".sig")):
        if member in bundle.archive.namelist():
            (folder / f"{bundle.sha256}{suffix}").write_bytes(bundle.archive.read(member))
