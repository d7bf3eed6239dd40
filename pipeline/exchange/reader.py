"""Reading a foreign bundle: every check runs before anything local is written.

The bundle is opened once and read through that one file handle, so replacing the file on
disk half-way changes nothing we read. ``open_bundle`` verifies structure, limits, version,
signature, every member's size and sha256 and every record line; ``VerifiedBundle.records``
reads the records a second time for the merge and re-checks the hash at the end, so the merge
can roll back if the bytes changed in between.
"""

from __future__ import annotations

import hashlib
import json
import stat
import struct
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from pipeline.catalogue import text_sha256
from pipeline.errors import BundleError, UntrustedBundle
from pipeline.exchange import signing
from pipeline.exchange.bundle import (
    CASEFILES,
    DOC_ID,
    FORMAT,
    FORMAT_VERSION,
    MANIFEST,
    ORIGINALS,
    RECORDS,
    SHA256,
    SIGNATURE,
    Limits,
    record_problem,
    safe_name,
    value_problem,
)

CHUNK = 1 << 20
_EOCD = b"PK\x05\x06"
_EOCD64_LOCATOR = b"PK\x06\x07"


@dataclass
class VerifiedBundle:
    """A bundle that passed every check; still open, for the merge to read its records."""

    path: Path
    handle: IO[bytes]
    archive: zipfile.ZipFile
    manifest: dict[str, Any]
    sha256: str                      # of manifest.json: names the bundle (and its sources)
    signer: str | None               # fingerprint of the signing key, when signed
    trusted: bool                    # signed by the key given with --trust
    limits: Limits
    documents: list[dict[str, Any]] = field(default_factory=list)
    #: The checked ``casefiles.json`` (``exchange/casefiles.py``), when the bundle carries one.
    casefiles: dict[str, Any] | None = None

    def refuse(self, reason: str) -> BundleError:
        return BundleError(f"{self.path}: refused: {reason}")

    def records(self) -> Iterator[dict[str, Any]]:
        """The record lines again, in order; raises if they are not the bytes verified."""
        member = self.manifest["members"][RECORDS]
        digest = hashlib.sha256()
        for raw in _lines(self, RECORDS, member["size"], digest):
            yield json.loads(raw)
        if digest.hexdigest() != member["sha256"]:
            raise self.refuse(f"{RECORDS} changed while it was being imported")

    def copy_original(self, member: str, out: IO[bytes]) -> None:
        """Copy an original file out, checking its hash again as it goes."""
        declared = self.manifest["members"][member]
        digest = hashlib.sha256()
        for chunk in _chunks(self, member, declared["size"]):
            digest.update(chunk)
            out.write(chunk)
        if digest.hexdigest() != declared["sha256"]:
            raise self.refuse(f"{member} changed while it was being imported")

    def close(self) -> None:
        self.archive.close()
        self.handle.close()


def open_bundle(path: Path, *, trust=None, limits: Limits = Limits()) -> VerifiedBundle:
    """Open and verify ``path``; raise BundleError (UntrustedBundle for signatures) naming
    the bundle and the first reason to refuse it. Nothing is written anywhere."""
    path = Path(path)

    def refuse(reason: str) -> BundleError:
        return BundleError(f"{path}: refused: {reason}")

    try:
        st = path.stat()
        if not stat.S_ISREG(st.st_mode):
            raise refuse("not a regular file")
        handle = path.open("rb")
    except FileNotFoundError:
        raise BundleError(f"{path}: no such file") from None
    except OSError as exc:
        raise BundleError(f"{path}: cannot read ({exc.strerror or exc})") from exc
    try:
        _check_directory(handle, limits, refuse)
        try:
            archive = zipfile.ZipFile(handle)
        except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError, EOFError) as exc:
            raise refuse(f"not a zip archive ({exc})") from exc
        bundle = VerifiedBundle(path, handle, archive, {}, "", None, False, limits)
        try:
            _verify(bundle, trust)
        except BaseException:
            archive.close()
            raise
    except BaseException:
        handle.close()
        raise
    return bundle


def _check_directory(handle: IO[bytes], limits: Limits, refuse) -> None:
    """Read the entry count from the end-of-central-directory record ourselves, before
    ``zipfile`` builds an object per entry: a 10-million-entry archive is refused in
    microseconds instead of exhausting memory."""
    handle.seek(0, 2)
    size = handle.tell()
    tail_len = min(size, 22 + 65535)
    handle.seek(size - tail_len)
    tail = handle.read(tail_len)
    # Found as ``zipfile`` finds it (no comment first, then the last signature), so both
    # read the same record.
    at = len(tail) - 22 if tail[-22:-18] == _EOCD else tail.rfind(_EOCD)
    if at < 0 or len(tail) - at < 22:
        raise refuse("not a zip archive")
    _, _, _, _, entries, cd_size, _, _ = struct.unpack("<4s4H2LH", tail[at:at + 22])
    if entries == 0xFFFF or cd_size == 0xFFFFFFFF:
        loc = at - 20
        if loc < 0 or tail[loc:loc + 4] != _EOCD64_LOCATOR:
            raise refuse("damaged zip64 directory")
        _, _, offset64, _ = struct.unpack("<4sLQL", tail[loc:loc + 20])
        if offset64 + 56 > size:
            raise refuse("damaged zip64 directory")
        handle.seek(offset64)
        record = handle.read(56)
        if record[:4] != b"PK\x06\x06":
            raise refuse("damaged zip64 directory")
        entries, cd_size = struct.unpack("<QQ", record[32:48])
    if entries > limits.max_members:
        raise refuse(f"{entries} archive entries (at most {limits.max_members})")
    if cd_size > limits.max_directory_bytes:
        raise refuse(f"zip directory of {cd_size} bytes (at most {limits.max_directory_bytes})")
    handle.seek(0)


def _member_problem(info: zipfile.ZipInfo) -> str | None:
    name = info.filename
    parts = name.replace("\\", "/").split("/")
    if (name.startswith(("/", "\\")) or "\\" in name or "\x00" in name or ".." in parts
            or (len(name) > 1 and name[1] == ":")):
        return f"unsafe member path {name!r}"
    if stat.S_ISLNK(info.external_attr >> 16):
        return f"member {name!r} is a symbolic link"
    if info.is_dir():
        return f"unexpected directory member {name!r}"
    if info.flag_bits & 0x1:
        return f"member {name!r} is encrypted"
    if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
        return f"member {name!r} uses an unsupported compression method"
    return None


def _verify(bundle: VerifiedBundle, trust) -> None:
    limits, refuse = bundle.limits, bundle.refuse
    infos: dict[str, zipfile.ZipInfo] = {}
    total = 0
    if len(bundle.archive.infolist()) > limits.max_members:   # the end record lied
        raise refuse(f"more than {limits.max_members} archive entries")
    for info in bundle.archive.infolist():
        problem = _member_problem(info)
        if problem:
            raise refuse(problem)
        if info.filename in infos:
            raise refuse(f"member {info.filename!r} appears twice")
        infos[info.filename] = info
        if info.file_size > limits.max_member_bytes:
            raise refuse(f"member {info.filename!r} declares {info.file_size} bytes "
                         f"(at most {limits.max_member_bytes})")
        total += info.file_size
        if total > limits.max_total_bytes:
            raise refuse(f"members declare more than {limits.max_total_bytes} bytes in all")
    if MANIFEST not in infos:
        raise refuse(f"no {MANIFEST}")
    if infos[MANIFEST].file_size > limits.max_manifest_bytes:
        raise refuse(f"{MANIFEST} larger than {limits.max_manifest_bytes} bytes")
    raw = b"".join(_chunks(bundle, MANIFEST, infos[MANIFEST].file_size))
    bundle.sha256 = hashlib.sha256(raw).hexdigest()
    try:
        manifest = json.loads(raw)
    except (ValueError, UnicodeDecodeError, RecursionError):
        raise refuse(f"{MANIFEST} is not valid JSON") from None
    _check_version(manifest, refuse)
    _check_signature(bundle, raw, infos, trust)
    problem = value_problem(manifest) or _manifest_problem(manifest)
    if problem:
        raise refuse(f"{MANIFEST}: {problem}")
    bundle.manifest = manifest
    expected = set(manifest["members"]) | {MANIFEST} | ({SIGNATURE} & set(infos))
    if missing := sorted(expected - set(infos)):
        raise refuse(f"missing member {missing[0]!r}")
    if extra := sorted(set(infos) - expected):
        raise refuse(f"member {extra[0]!r} is not in the manifest")
    for name, declared in manifest["members"].items():
        if infos[name].file_size != declared["size"]:
            raise refuse(f"member {name!r} is {infos[name].file_size} bytes, "
                         f"the manifest says {declared['size']}")
    for name, declared in manifest["members"].items():
        if name == RECORDS:
            _verify_records(bundle)
            continue
        digest = hashlib.sha256()
        for chunk in _chunks(bundle, name, declared["size"]):
            digest.update(chunk)
        if digest.hexdigest() != declared["sha256"]:
            raise refuse(f"checksum mismatch in {name!r}")
    if CASEFILES in manifest["members"]:
        _read_casefiles(bundle)


def _read_casefiles(bundle: VerifiedBundle) -> None:
    """Parse and check the case files a bundle carries (its hash is checked already)."""
    from pipeline.exchange.casefiles import casefiles_problem

    size = bundle.manifest["members"][CASEFILES]["size"]
    if size > bundle.limits.max_manifest_bytes:
        raise bundle.refuse(f"{CASEFILES} larger than {bundle.limits.max_manifest_bytes} bytes")
    raw = b"".join(_chunks(bundle, CASEFILES, size))
    try:
        data = json.loads(raw)
    except (ValueError, UnicodeDecodeError, RecursionError):
        raise bundle.refuse(f"{CASEFILES} is not valid JSON") from None
    problem = value_problem(data) or casefiles_problem(data)
    if problem:
        raise bundle.refuse(f"{CASEFILES}: {problem}")
    bundle.casefiles = data


def _check_version(manifest: Any, refuse) -> None:
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise refuse(f"{MANIFEST} is not a precedents bundle manifest")
    version = manifest.get("format_version")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise refuse(f"{MANIFEST}: bad format_version {version!r}")
    if version > FORMAT_VERSION:
        raise refuse(f"bundle format version {version} is newer than this precedents supports "
                     f"({FORMAT_VERSION}); upgrade precedents")


def _check_signature(bundle: VerifiedBundle, manifest: bytes,
                     infos: dict[str, zipfile.ZipInfo], trust) -> None:
    if SIGNATURE not in infos:
        if trust is not None:
            raise UntrustedBundle(f"{bundle.path}: refused: not signed, and --trust was given")
        return
    if infos[SIGNATURE].file_size > signing.MAX_KEY_BYTES:
        raise bundle.refuse(f"{SIGNATURE} too large")
    member = b"".join(_chunks(bundle, SIGNATURE, infos[SIGNATURE].file_size))
    signer, problem = signing.verify(manifest, member, trust)
    if problem:
        raise UntrustedBundle(f"{bundle.path}: refused: {problem}")
    bundle.signer, bundle.trusted = signer, trust is not None


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


def _manifest_problem(m: dict[str, Any]) -> str | None:
    """Why a foreign manifest (format version 1) is malformed, or None."""
    members, sources, documents = m.get("members"), m.get("sources"), m.get("documents")
    counts = m.get("counts")
    if not isinstance(members, dict) or not isinstance(sources, list) \
            or not isinstance(documents, list) or not isinstance(counts, dict):
        return "members, sources, documents or counts missing"
    for name, entry in members.items():
        if name != RECORDS and not (name.startswith(ORIGINALS)
                                    and SHA256.match(name[len(ORIGINALS):])) \
                and not (name == CASEFILES and m.get("format_version", 1) >= 2):
            return f"unexpected member name {name!r}"
        if not isinstance(entry, dict) or not _is_int(entry.get("size")) \
                or not isinstance(entry.get("sha256"), str) or not SHA256.match(entry["sha256"]):
            return f"member {name!r} without a size and sha256"
    if RECORDS not in members:
        return f"no {RECORDS}"
    names: set[str] = set()
    owner: dict[str, str] = {}
    for src in sources:
        if not isinstance(src, dict) or not safe_name(src.get("name")):
            return "a source without a safe base name"
        if src["name"] in names:
            return f"source {src['name']!r} listed twice"
        names.add(src["name"])
        sha = src.get("sha256")
        if sha is not None and not (isinstance(sha, str) and SHA256.match(sha)):
            return f"source {src['name']!r} has a bad sha256"
        if not isinstance(src.get("format"), str) or not (src.get("size") is None
                                                          or _is_int(src.get("size"))):
            return f"source {src['name']!r} has a bad format or size"
        for key in ("pipeline_version", "extracted_at"):
            if not isinstance(src.get(key), str) or len(src[key]) > 64:
                return f"source {src['name']!r} has a bad {key}"
        original = src.get("original")
        if original is not None and (original != f"{ORIGINALS}{sha}" or original not in members
                                     or members[original]["sha256"] != sha):
            return f"source {src['name']!r} names an original that is not its own file"
        ids = src.get("documents")
        if not isinstance(ids, list) or not ids:
            return f"source {src['name']!r} lists no documents"
        for doc_id in ids:
            if not isinstance(doc_id, str) or not DOC_ID.match(doc_id) or doc_id in owner:
                return "a bad or repeated document id"
            owner[doc_id] = src["name"]
    referenced = {s.get("original") for s in sources} - {None}
    if set(members) - {RECORDS, CASEFILES} - referenced:
        return "an original that no source names"
    seen: set[str] = set()
    for doc in documents:
        doc_id = doc.get("id") if isinstance(doc, dict) else None
        if not isinstance(doc_id, str) or doc_id in seen:
            return "a bad or repeated document entry"
        seen.add(doc_id)
        if owner.get(doc_id) != doc.get("source") \
                or not isinstance(doc.get("text_sha256"), str) \
                or not SHA256.match(doc["text_sha256"]):
            return f"document {str(doc.get('id'))[:80]!r} does not match the sources list"
    if seen != set(owner):
        return "documents and sources do not list the same ids"
    if counts.get("documents") != len(documents) or counts.get("sources") != len(sources):
        return "counts do not match the lists"
    return None


def _verify_records(bundle: VerifiedBundle) -> None:
    """Hash records.jsonl and check each line: valid JSON, a record of the right shape, and
    the document the manifest lists at that position (same id, text hash and source)."""
    member = bundle.manifest["members"][RECORDS]
    sources = {s["name"]: s for s in bundle.manifest["sources"]}
    listed = bundle.manifest["documents"]
    digest = hashlib.sha256()
    n = 0
    for n, raw in enumerate(_lines(bundle, RECORDS, member["size"], digest), 1):
        try:
            line = json.loads(raw)
        except (ValueError, UnicodeDecodeError, RecursionError):
            raise bundle.refuse(f"{RECORDS} line {n} is not valid JSON") from None
        problem = record_problem(line)
        if problem:
            named = f" ({line['id']})" if problem != "bad id" and isinstance(line, dict) else ""
            raise bundle.refuse(f"{RECORDS} line {n}{named}: {problem}")
        if n > len(listed):
            raise bundle.refuse(f"{RECORDS} has more lines than the manifest lists documents")
        entry = listed[n - 1]
        if line["id"] != entry["id"] or line["source"]["path"] != entry["source"]:
            raise bundle.refuse(f"{RECORDS} line {n} is not the document the manifest lists")
        if text_sha256(line["text"]) != entry["text_sha256"]:
            raise bundle.refuse(f"{RECORDS} line {n}: text does not match its hash")
        if line.get("sha256") != sources[entry["source"]].get("sha256"):
            raise bundle.refuse(f"{RECORDS} line {n}: source hash differs from the manifest")
    if n != len(listed):
        raise bundle.refuse(f"{RECORDS} has {n} lines, the manifest lists {len(listed)}")
    if digest.hexdigest() != member["sha256"]:
        raise bundle.refuse(f"checksum mismatch in {RECORDS!r}")


def _chunks(bundle: VerifiedBundle, name: str, size: int) -> Iterator[bytes]:
    """A member's bytes, counted as they inflate: more than ``size`` is refused at once,
    whatever the zip headers claim."""
    read = 0
    try:
        with bundle.archive.open(name) as fh:
            while True:
                chunk = fh.read(CHUNK)
                if not chunk:
                    break
                read += len(chunk)
                if read > size:
                    raise bundle.refuse(f"member {name!r} inflates past its declared size")
                yield chunk
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError, RuntimeError,
            NotImplementedError) as exc:
        raise bundle.refuse(f"member {name!r} is damaged ({exc})") from exc
    if read != size:
        raise bundle.refuse(f"member {name!r} is {read} bytes, the manifest says {size}")


def _lines(bundle: VerifiedBundle, name: str, size: int, digest) -> Iterator[bytes]:
    """Non-empty lines of a member, each at most ``max_line_bytes``; feeds ``digest``."""
    limit = bundle.limits.max_line_bytes
    pending = bytearray()
    for chunk in _chunks(bundle, name, size):
        digest.update(chunk)
        start = 0
        while (end := chunk.find(b"\n", start)) >= 0:
            pending += chunk[start:end]
            if len(pending) > limit:
                raise bundle.refuse(f"a line of {name!r} is longer than {limit} bytes")
            if pending.strip():
                yield bytes(pending)
            pending.clear()
            start = end + 1
        pending += chunk[start:]
        if len(pending) > limit:
            raise bundle.refuse(f"a line of {name!r} is longer than {limit} bytes")
    if pending.strip():
        yield bytes(pending)
