"""Catalogue -> bundle: the records of every (or every matching) document, and a manifest.

Read-only on the index: the catalogue is opened ``mode=ro`` and a ``--filter`` query runs on
the read-only search index, so an export may run beside an ingest. The archive is written to a
temporary file beside ``OUT`` and renamed into place only once complete: a failed export
leaves no half bundle.
"""

from __future__ import annotations

import hashlib
import json
import os
import stat
import tempfile
import time
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from pipeline import __version__
from pipeline.catalogue import Catalogue, Document, Source, now, text_sha256
from pipeline.errors import AnonymisationError, BundleError
from pipeline.exchange import signing
from pipeline.exchange.bundle import (
    BUNDLE_SCHEME,
    CASEFILES,
    FORMAT,
    FORMAT_VERSION,
    MANIFEST,
    ORIGINALS,
    RECORDS,
    SIGNATURE,
    Limits,
    record_line,
    source_name,
)

#: Hits fetched per search page when ``--filter`` selects the documents.
FILTER_PAGE = 500
#: Where an import keeps the original files a bundle carried, inside the index directory.
ORIGINALS_DIR = "originals"


@dataclass
class ExportReport:
    """What ``precedents export`` prints (``--json``: exactly this)."""

    path: Path
    sha256: str = ""
    documents: int = 0
    sources: int = 0
    originals: int = 0
    originals_missing: list[str] = field(default_factory=list)
    signed_by: str | None = None
    filter: str | None = None
    bytes: int = 0
    seconds: float = 0.0
    anonymised: bool = False
    #: Documents left out of an anonymised export because they could not be anonymised safely.
    left_out: int = 0
    #: Where the anonymisation report went (beside the bundle, never in it).
    report_path: Path | None = None
    replaced: dict[str, int] = field(default_factory=dict)
    #: Case files carried (``with_casefiles``), whether with their notes, and the items of an
    #: anonymised export left out (their document is not in the bundle).
    casefiles: int = 0
    casefile_notes: bool = False
    casefile_items_left_out: int = 0

    def to_json(self) -> dict[str, Any]:
        return {"bundle": str(self.path), "manifest_sha256": self.sha256,
                "documents": self.documents, "sources": self.sources,
                "originals": self.originals, "originals_missing": self.originals_missing,
                "signed_by": self.signed_by, "filter": self.filter, "bytes": self.bytes,
                "seconds": round(self.seconds, 2), "anonymised": self.anonymised,
                "left_out": self.left_out, "replaced": self.replaced,
                "anonymisation_report": str(self.report_path) if self.report_path else None,
                "casefiles": self.casefiles, "casefile_notes": self.casefile_notes,
                "casefile_items_left_out": self.casefile_items_left_out}


def export_bundle(out: Path, index_dir: Path, *, query: str | None = None,
                  with_originals: bool = False, sign_key: Path | None = None,
                  anonymise: bool = False, limits: Limits = Limits(),
                  notice: Callable[[str], None] = lambda m: None, with_casefiles: bool = False,
                  with_notes: bool = False) -> ExportReport:
    """Write the bundle ``out`` from the catalogue of ``index_dir``.

    With ``anonymise``, people are replaced by pseudonyms and personal data removed
    (``anonymise.py``); the bundle is scanned for every replaced name before it is renamed into
    place, and the export fails if one is found. A report of counts by type per document goes
    beside the bundle (``OUT.zip.anonymisation.json``), never into it.

    An export never writes a bundle that an import with the same ``limits`` would refuse: it
    fails, naming the limit, and says how to split the export.

    ``with_casefiles`` carries the case files too (``casefiles.py``): without their notes
    unless ``with_notes``, and never with notes when anonymised.

    >>> export_bundle(Path("torture.zip"), Path("index"), query="пытка")  # doctest: +SKIP
    ExportReport(path=..., documents=8, ...)
    """
    started = time.perf_counter()
    out = Path(out)
    if anonymise and with_originals:
        raise BundleError(f"{out}: an anonymised bundle cannot carry the original files "
                          "(they hold the names); leave out --with-originals")
    if with_notes and not with_casefiles:
        raise BundleError(f"{out}: --with-notes is for the notes of case files; add "
                          "--with-casefiles")
    if with_notes and anonymise:
        raise BundleError(f"{out}: an anonymised bundle never carries a lawyer's notes; leave "
                          "out --with-notes")
    key = signing.load_private(sign_key) if sign_key else None
    report = ExportReport(out, filter=query, anonymised=anonymise, casefile_notes=with_notes)
    shelf = (with_notes,) if with_casefiles else None
    catalogue = Catalogue.open(index_dir, readonly=True)
    # One snapshot for both passes and the filter: an ingest may commit meanwhile.
    try:
        with catalogue.snapshot():
            wanted = _matching_ids(index_dir, catalogue, query) if query else None
            if wanted is not None and not wanted:
                raise BundleError(f"{out}: no documents match {query!r}; nothing exported")
            if catalogue.count_documents() == 0:
                raise BundleError(f"{out}: the catalogue of {index_dir} holds no documents")
            plan = _anonymiser(catalogue, wanted, report) if anonymise else None
            per_document: dict[str, dict[str, int]] = {}
            _write_atomically(out, lambda fh: _write(fh, catalogue, Path(index_dir), wanted,
                                                     with_originals, key, report, notice, plan,
                                                     per_document, _Budget(limits, out),
                                                     shelf))
    finally:
        catalogue.close()
    if plan is not None:
        report.report_path = out.with_name(out.name + ".anonymisation.json")
        report.report_path.write_text(json.dumps({
            "bundle": out.name, "documents": len(per_document), "left_out": report.left_out,
            "replaced": report.replaced, "by_document": per_document,
            "note": "counts only: the replaced values are never written anywhere"},
            ensure_ascii=False, indent=1), encoding="utf-8")
    report.bytes = out.stat().st_size
    report.seconds = time.perf_counter() - started
    return report


def _anonymiser(catalogue: Catalogue, wanted: set[str] | None, report: ExportReport):
    """The first pass of an anonymised export: learn every person of every selected record,
    so that a name is replaced wherever in the export it appears. A fresh random salt per
    export: pseudonyms are consistent inside one bundle and cannot be linked across two."""
    from pipeline.exchange.anonymise import Anonymiser

    plan = Anonymiser(os.urandom(32))
    for doc, source in _selected(catalogue, wanted):
        if doc.record is None:
            # Never structured or tagged: its public record would show an empty entity list,
            # and no entities means nobody the anonymiser could find by name.
            plan.left_out_ids.add(doc.id)
            continue
        try:
            plan.collect(record_line(doc, source, source_name(doc.source_path)))
        except AnonymisationError:
            plan.left_out_ids.add(doc.id)
    report.left_out = len(plan.left_out_ids)
    return plan


def _matching_ids(index_dir: Path, catalogue: Catalogue, query: str) -> set[str]:
    """Every document the query matches, paging through all hits with the public search API."""
    from pipeline.search import search

    ids: set[str] = set()
    page = 1
    while True:
        results = search(index_dir, catalogue, query, limit=FILTER_PAGE, page=page)
        ids.update(hit.id for hit in results.hits)
        if page >= results.pages or not results.hits:
            return ids
        page += 1


def _write_atomically(out: Path, write: Callable[[IO[bytes]], None]) -> None:
    out.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=out.parent, prefix=f".{out.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w+b") as fh:
            write(fh)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, out)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise


def _info(name: str) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name, date_time=time.gmtime()[:6])
    info.compress_type = zipfile.ZIP_DEFLATED
    info.external_attr = (stat.S_IFREG | 0o644) << 16
    return info


class _Budget:
    """The sizes an import accepts (``Limits``), counted as the bundle is written."""

    def __init__(self, limits: Limits, out: Path):
        self.limits, self.out, self.total = limits, out, 0

    def refuse(self, what: str, limit: int) -> BundleError:
        return BundleError(f"{self.out}: {what} would be more than {limit} bytes, more than an "
                           "import accepts; split the export with --filter")

    def spend(self, name: str, size: int, added: int) -> None:
        """``name`` grew by ``added`` bytes to ``size``."""
        self.total += added
        if size > self.limits.max_member_bytes:
            raise self.refuse(name, self.limits.max_member_bytes)
        if self.total > self.limits.max_total_bytes:
            raise self.refuse("the bundle", self.limits.max_total_bytes)


class _Member:
    """A zip member being written, hashed and counted on the way."""

    def __init__(self, archive: zipfile.ZipFile, name: str, budget: _Budget):
        self.name = name
        self.fh = archive.open(_info(name), "w", force_zip64=True)
        self.digest = hashlib.sha256()
        self.size = 0
        self.budget = budget

    def write(self, data: bytes) -> None:
        self.budget.spend(self.name, self.size + len(data), len(data))
        self.fh.write(data)
        self.digest.update(data)
        self.size += len(data)

    def close(self) -> dict[str, Any]:
        self.fh.close()
        return {"sha256": self.digest.hexdigest(), "size": self.size}

    def __enter__(self) -> _Member:
        return self

    def __exit__(self, kind, *_) -> None:
        # On failure the handle must still be closed, or closing the archive raises a
        # ValueError that hides the real error (the temporary file is discarded anyway).
        if kind is not None and not self.fh.closed:
            self.fh.close()


def _write(fh: IO[bytes], catalogue: Catalogue, index_dir: Path, wanted: set[str] | None,
           with_originals: bool, key, report: ExportReport,
           notice: Callable[[str], None], plan=None,
           per_document: dict[str, dict[str, int]] | None = None,
           budget: _Budget | None = None, shelf: tuple[bool] | None = None) -> None:
    budget = budget or _Budget(Limits(), report.path)
    per_document = {} if per_document is None else per_document
    members: dict[str, dict[str, Any]] = {}
    sources: dict[str, dict[str, Any]] = {}   # local path -> manifest entry
    documents: list[dict[str, Any]] = []
    carried: dict[str, str] = {}               # local id -> its id in the bundle
    with zipfile.ZipFile(fh, "w", allowZip64=True) as archive:
        with _Member(archive, RECORDS, budget) as member:
            for doc, source in _selected(catalogue, wanted):
                if plan is not None and doc.id in plan.left_out_ids:
                    continue  # fails closed: counted in the report, never exported as it is
                entry = sources.get(doc.source_path)
                if entry is None:
                    entry = sources[doc.source_path] = _source_entry(doc.source_path, source,
                                                                     sources)
                    if plan is not None:
                        entry.update(name=plan.source_name(entry["name"]), sha256=None,
                                     size=None)
                line = record_line(doc, source, entry["name"])
                if plan is not None:
                    line, counts = plan.apply(line)
                    line["source"]["path"] = entry["name"]  # the anonymous source name
                    per_document[line["id"]] = dict(counts)
                    for kind, n in counts.items():
                        report.replaced[kind] = report.replaced.get(kind, 0) + n
                entry["documents"].append(line["id"])
                carried[doc.id] = line["id"]
                data = json.dumps(line, ensure_ascii=False).encode("utf-8")
                if len(data) > budget.limits.max_line_bytes:
                    raise budget.refuse(f"the record of {line['id']}", budget.limits.max_line_bytes)
                member.write(data + b"\n")
                documents.append({"id": line["id"], "source": entry["name"],
                                  "text_sha256": text_sha256(line["text"])})
            members[RECORDS] = member.close()
        if shelf is not None:
            _add_casefiles(archive, catalogue, carried, shelf[0], plan is not None, members,
                           report, notice, budget)
        if with_originals:
            _add_originals(archive, index_dir, sources, members, report, notice, budget)
        if len(members) + 1 + (key is not None) > budget.limits.max_members:
            raise BundleError(f"{report.path}: {len(members) + 1 + (key is not None)} members "
                              "is more than an import accepts; split the export with --filter")
        manifest = {
            "format": FORMAT,
            # Version 1 unless the bundle carries case files: every reader reads it.
            "format_version": FORMAT_VERSION if CASEFILES in members else 1,
            "pipeline_version": __version__,
            "created_at": now(),
            # A filter query may itself name someone: withheld from an anonymised bundle.
            "filter": None if plan is not None else report.filter,
            "anonymised": plan is not None,
            "counts": {"documents": len(documents), "sources": len(sources),
                       "originals": _originals(members)},
            "members": members,
            "sources": list(sources.values()),
            "documents": documents,
        }
        raw = json.dumps(manifest, ensure_ascii=False, indent=1).encode("utf-8") + b"\n"
        if len(raw) > budget.limits.max_manifest_bytes:
            raise budget.refuse(MANIFEST, budget.limits.max_manifest_bytes)
        budget.spend(MANIFEST, len(raw), len(raw))
        archive.writestr(_info(MANIFEST), raw)
        if key is not None:
            signature = signing.sign(raw, key)
            budget.spend(SIGNATURE, len(signature), len(signature))
            archive.writestr(_info(SIGNATURE), signature)
            report.signed_by = signing.fingerprint(key.public_key())
    if plan is not None:
        _residual_scan(fh, plan, report)
    report.sha256 = hashlib.sha256(raw).hexdigest()
    report.documents, report.sources = len(documents), len(sources)
    report.originals = _originals(members)


def _originals(members: dict[str, Any]) -> int:
    return sum(1 for name in members if name.startswith(ORIGINALS))


def _add_casefiles(archive: zipfile.ZipFile, catalogue: Catalogue, carried: dict[str, str],
                   with_notes: bool, anonymised: bool, members: dict[str, dict[str, Any]],
                   report: ExportReport, notice: Callable[[str], None], budget: _Budget) -> None:
    """The ``casefiles.json`` member, when there is a case file to carry."""
    from pipeline.exchange.casefiles import exported

    data, report.casefiles, report.casefile_items_left_out = exported(
        catalogue, carried, with_notes=with_notes, anonymised=anonymised)
    if not report.casefiles:
        notice("the index holds no case files: none carried")
        return
    raw = json.dumps(data, ensure_ascii=False, indent=1).encode("utf-8") + b"\n"
    if len(raw) > budget.limits.max_manifest_bytes:
        raise budget.refuse(CASEFILES, budget.limits.max_manifest_bytes)
    with _Member(archive, CASEFILES, budget) as member:
        member.write(raw)
        members[CASEFILES] = member.close()


def _residual_scan(fh: IO[bytes], plan, report: ExportReport) -> None:
    """Read the finished archive back and look for every name that was replaced: one found
    means the anonymisation missed a place, and the export fails (the temp file is removed)."""
    from pipeline.exchange.anonymise import residual_names

    fh.flush()
    fh.seek(0)
    with zipfile.ZipFile(fh) as archive:
        blobs = (archive.read(info) for info in archive.infolist())
        leaks = residual_names(blobs, plan.replaced())
    if leaks:
        raise BundleError(f"{report.path}: the residual scan found {sum(leaks.values())} "
                          f"occurrence(s) of {len(leaks)} replaced name(s) in the bundle; "
                          "export refused")


def _selected(catalogue: Catalogue, wanted: set[str] | None,
              ) -> Iterator[tuple[Document, Source | None]]:
    """Each selected document once, with its source. Read inside ``Catalogue.snapshot``; the
    ids seen are kept all the same, as a listed id twice makes an import refuse the bundle."""
    cache: dict[str, Source | None] = {}
    seen: set[str] = set()
    for doc in catalogue.iter_documents():
        if (wanted is not None and doc.id not in wanted) or doc.id in seen:
            continue
        seen.add(doc.id)
        if doc.source_path not in cache:
            cache.clear()   # documents of one source are stored together: keep one at a time
            cache[doc.source_path] = catalogue.source(doc.source_path)
        yield doc, cache[doc.source_path]


def _source_entry(path: str, source: Source | None,
                  taken: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """The manifest's provenance of one source. Names are base names only (a folder can name a
    client); two sources with one base name are told apart by their hash."""
    name = source_name(path)
    names = {e["name"] for e in taken.values()}
    if name in names:
        stem, dot, ext = name.rpartition(".")
        tag = (source.sha256 if source and source.sha256 else hashlib.sha256(
            path.encode("utf-8", "surrogateescape")).hexdigest())[:8]
        name = f"{stem}-{tag}.{ext}" if dot and stem else f"{name}-{tag}"
        n = 2
        while name in names:
            name, n = f"{name}-{n}", n + 1
    return {
        "name": name,
        "sha256": source.sha256 if source else None,
        "size": source.size if source else None,
        "format": (source.format if source else None) or "unknown",
        "pipeline_version": (source.pipeline_version if source else "") or "",
        "extracted_at": (source.processed_at if source else "") or "",
        "original": None,
        "documents": [],
    }


def _add_originals(archive: zipfile.ZipFile, index_dir: Path, sources: dict[str, dict[str, Any]],
                   members: dict[str, dict[str, Any]], report: ExportReport,
                   notice: Callable[[str], None], budget: _Budget) -> None:
    """Copy each source file in, if it is still the file that was catalogued (same sha256).

    A moved or changed file is left out and named in the report: the records are complete
    without it, and refusing the whole export for one moved file would help nobody.
    """
    for path, entry in sources.items():
        sha = entry["sha256"]
        name = f"{ORIGINALS}{sha}"
        if sha and name in members:
            entry["original"] = name
            continue
        file = (index_dir / ORIGINALS_DIR / sha) if path.startswith(BUNDLE_SCHEME) and sha \
            else Path(path)
        if not sha or not _same_file(file, sha):
            report.originals_missing.append(entry["name"])
            notice(f"original of {entry['name']} is gone or changed since it was ingested; "
                   "left out")
            continue
        with _Member(archive, name, budget) as member, file.open("rb") as src:
            for block in iter(lambda: src.read(1 << 20), b""):
                member.write(block)
            members[name] = member.close()
        if members[name]["sha256"] != sha:
            raise BundleError(f"{report.path}: {entry['name']} changed while it was exported")
        entry["original"] = name


def _same_file(path: Path, sha: str) -> bool:
    try:
        if not path.is_file():
            return False
        digest = hashlib.sha256()
        with path.open("rb") as fh:
            for block in iter(lambda: fh.read(1 << 20), b""):
                digest.update(block)
    except OSError:
        return False
    return digest.hexdigest() == sha
