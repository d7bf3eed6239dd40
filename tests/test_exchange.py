"""Precedent bundles: export -> import round trip, deduplication, signing, and hostile bundles.

Every bundle here is a real zip file on disk with real Ed25519 signatures; hostile bundles are
built by taking a good one apart and putting it together wrong.
"""

from __future__ import annotations

import hashlib
import io
import json
import shutil
import sqlite3
import stat
import warnings
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner

from pipeline.catalogue import Catalogue, text_sha256
from pipeline.cli import cli
from pipeline.errors import BundleError, SigningKeyError, UntrustedBundle
from pipeline.exchange import Limits, export_bundle, generate_key, import_bundle
from pipeline.exchange.bundle import FORMAT_VERSION, MANIFEST, RECORDS, SIGNATURE
from pipeline.ingest import ingest
from pipeline.search import open_index

CORPORA = Path(__file__).resolve().parent.parent / "corpora"
QUERIES = ["пытка", '"police custody" torture', "41234/15", "article:3", "state:Russia",
           "ч. 3 ст. 286 УК РФ", "Kamyshnikov"]


# -- fixtures ------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def index_a(sample_index: Path) -> Path:
    """The sample corpus, ingested once for the run (conftest); only ever read here."""
    return sample_index


@pytest.fixture(scope="module")
def keys(tmp_path_factory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("keys")
    generate_key(folder / "ngo-a.key")
    generate_key(folder / "other.key")
    return {"private": folder / "ngo-a.key", "public": folder / "ngo-a.key.pub",
            "other_public": folder / "other.key.pub"}


@pytest.fixture(scope="module")
def bundle(index_a: Path, keys, tmp_path_factory) -> Path:
    """A signed bundle of the whole sample corpus, with its original files."""
    out = tmp_path_factory.mktemp("bundle") / "sample.zip"
    report = export_bundle(out, index_a, with_originals=True, sign_key=keys["private"])
    assert report.documents == 17 and report.originals == report.sources == 14
    return out


@pytest.fixture(scope="module")
def index_b(bundle: Path, keys, tmp_path_factory) -> Path:
    """An empty index that imported the bundle."""
    index = tmp_path_factory.mktemp("b") / "index"
    report = import_bundle(bundle, index, trust_key=keys["public"])
    assert report.trusted and len(report.added) == 17
    return index


def hits(index: Path, query: str) -> list[str]:
    catalogue = Catalogue.open(index, readonly=True)
    try:
        results = open_index(index, catalogue, readonly=True).search(query, catalogue, limit=100)
        return [h.id for h in results.hits]
    finally:
        catalogue.close()


def text_hashes(index: Path) -> dict[str, str]:
    catalogue = Catalogue.open(index, readonly=True)
    try:
        return {doc.id: text_sha256(doc.text) for doc in catalogue.iter_documents()}
    finally:
        catalogue.close()


def snapshot(index: Path) -> tuple[list[str], dict[str, str]]:
    """sha256 of every catalogue row and of every file in the index directory."""
    conn = sqlite3.connect(f"{(index / 'catalogue.sqlite').as_uri()}?mode=ro", uri=True)
    rows = []
    for table in ("meta", "sources", "documents"):
        for row in conn.execute(f"SELECT * FROM {table} ORDER BY rowid"):
            rows.append(hashlib.sha256(repr(tuple(row)).encode()).hexdigest())
    conn.close()
    files = {str(p.relative_to(index)): hashlib.sha256(p.read_bytes()).hexdigest()
             for p in sorted(index.rglob("*")) if p.is_file() and not p.name.endswith(("-wal", "-shm"))}
    return rows, files


# -- round trip ----------------------------------------------------------------------------------

def test_round_trip_keeps_documents_texts_and_search_results(index_a: Path, index_b: Path) -> None:
    assert text_hashes(index_b) == text_hashes(index_a)
    for query in QUERIES:
        assert hits(index_b, query) == hits(index_a, query), query
    assert hits(index_a, "41234/15")[0] == "echr-en-chamber-zarechnev-v-russia-41234-15"


def test_imported_documents_show_the_same_record(index_a: Path, index_b: Path) -> None:
    for doc_id in ("001-999001", "ru-prigovor-286-zarechny-cp1251", "ru-zarechny-3-10-27-2021"):
        a = json.loads(CliRunner().invoke(cli, ["show", doc_id, "--index", str(index_a),
                                                "--json"]).stdout)
        b = json.loads(CliRunner().invoke(cli, ["show", doc_id, "--index", str(index_b),
                                                "--json"]).stdout)
        assert b["source"]["path"].startswith("bundle://")
        assert b["source"]["path"].endswith("/" + Path(a["source"]["path"]).name)
        a["source"]["path"] = b["source"]["path"]
        assert a == b


def test_bundle_names_sources_by_base_name_only(bundle: Path) -> None:
    """Local folders can name clients: no absolute path may leave the machine."""
    with zipfile.ZipFile(bundle) as zf:
        for name in (MANIFEST, RECORDS):
            data = zf.read(name).decode("utf-8")
            assert str(CORPORA) not in data and str(CORPORA.parent) not in data
        manifest = json.loads(zf.read(MANIFEST))
    assert {s["name"] for s in manifest["sources"]} == {p.name for p in CORPORA.iterdir()
                                                       if p.name != "README.md"}
    assert all(s["original"] == f"originals/{s['sha256']}" for s in manifest["sources"])


def test_import_deduplicates_by_text_and_renames_clashing_ids(bundle: Path, tmp_path: Path,
                                                             keys) -> None:
    """GIVEN an index holding two of the bundle's files (same bytes, same text) and one local
    file whose id is a bundle id but whose text differs
    WHEN the bundle is imported THEN the two are skipped and the clashing one renamed."""
    folder = tmp_path / "in"
    folder.mkdir()
    for name in ("ru_prigovor_286_zarechny_cp1251.txt", "ru_postanovlenie_koap_20-2_koi8r.txt"):
        shutil.copy(CORPORA / name, folder / name)
    (folder / "fr_conseil_etat_refere_conditions_detention_cp1252.txt").write_text(
        "Une autre décision, sans rapport.", encoding="utf-8")
    index = tmp_path / "index"
    assert ingest([folder], index, jobs=1).failed == 0
    report = import_bundle(bundle, index, trust_key=keys["public"])
    assert {d["id"] for d in report.duplicates} == {"ru-prigovor-286-zarechny-cp1251",
                                                   "ru-postanovlenie-koap-20-2-koi8r"}
    assert len(report.added) == 15
    [renamed] = report.renamed
    assert renamed["from"] == "fr-conseil-etat-refere-conditions-detention-cp1252"
    assert renamed["to"].startswith(renamed["from"] + "-")
    assert len(text_hashes(index)) == 18
    assert renamed["to"] in hits(index, "détention") or hits(index, "détention")
    again = import_bundle(bundle, index)
    assert again.added == [] and len(again.duplicates) == 17


def test_export_filter_takes_every_hit_and_import_adds_only_those(index_a: Path,
                                                                  tmp_path: Path) -> None:
    out = tmp_path / "russia.zip"
    report = export_bundle(out, index_a, query="state:Russia")
    expected = set(hits(index_a, "state:Russia"))
    assert report.documents == len(expected) and report.filter == "state:Russia"
    imported = import_bundle(out, tmp_path / "index")
    assert set(imported.added) == expected
    assert imported.signer is None and "unsigned" in imported.verification


def test_export_is_atomic(index_a: Path, tmp_path: Path, monkeypatch) -> None:
    """A failure half-way leaves neither the bundle nor a temporary file behind."""
    calls = []

    def failing(*args):
        calls.append(1)
        if len(calls) > 3:
            raise OSError("disk full")
        return original(*args)

    import pipeline.exchange.export as export_module

    original = export_module.record_line
    monkeypatch.setattr(export_module, "record_line", failing)
    with pytest.raises(OSError):
        export_bundle(tmp_path / "out.zip", index_a)
    assert list(tmp_path.iterdir()) == []


def test_export_of_nothing_is_refused(index_a: Path, tmp_path: Path) -> None:
    with pytest.raises(BundleError, match="no documents match"):
        export_bundle(tmp_path / "x.zip", index_a, query="zzzyyyxxx")
    assert not (tmp_path / "x.zip").exists()


# -- keys -------------------------------------------------------------------------------------

def test_keygen_writes_a_private_key_only_we_can_read_and_never_overwrites(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["keygen", str(tmp_path / "k"), "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert len(data["fingerprint"]) == 64
    assert stat.S_IMODE((tmp_path / "k").stat().st_mode) == 0o600
    assert (tmp_path / "k.pub").read_text().startswith("-----BEGIN PUBLIC KEY-----")
    again = CliRunner().invoke(cli, ["keygen", str(tmp_path / "k")])
    assert again.exit_code == 1 and "already exists" in again.output
    with pytest.raises(SigningKeyError, match="not a PEM public key"):
        import_bundle(tmp_path / "none.zip", tmp_path / "ix", trust_key=tmp_path / "k")


# -- hostile bundles ----------------------------------------------------------------------------

Members = list[tuple[zipfile.ZipInfo | str, bytes]]


def read_members(path: Path) -> Members:
    with zipfile.ZipFile(path) as zf:
        return [(info.filename, zf.read(info)) for info in zf.infolist()]


def write_zip(path: Path, members: Members) -> Path:
    with warnings.catch_warnings(), zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        warnings.simplefilter("ignore")   # "Duplicate name": that case is meant
        for name, data in members:
            zf.writestr(name, data)
    return path


def edit(members: Members, name: str, fn: Callable[[bytes], bytes]) -> Members:
    return [(n, fn(d) if n == name else d) for n, d in members]


def manifest_of(members: Members) -> dict:
    return json.loads(dict(members)[MANIFEST])


def with_manifest(members: Members, manifest: dict, *, fix_hashes: bool = True,
                  keep_signature: bool = False) -> Members:
    """Replace the manifest; with ``fix_hashes`` its member sizes and hashes match the data,
    as a forger would make them. The signature is dropped unless ``keep_signature``: a signed
    manifest that changed is refused before anything else is looked at (see the cases that
    keep it), so the deeper checks are exercised on bundles passed off as unsigned."""
    data = dict(members)
    if fix_hashes:
        for name in manifest["members"]:
            if name in data:
                manifest["members"][name] = {"sha256": hashlib.sha256(data[name]).hexdigest(),
                                             "size": len(data[name])}
    raw = json.dumps(manifest, ensure_ascii=False).encode()
    return [(n, raw if n == MANIFEST else d) for n, d in members
            if keep_signature or n != SIGNATURE]


def records_edit(fn: Callable[[list[dict]], list[dict]], *, raw: bool = False,
                 keep_signature: bool = False):
    """Change the record lines, then fix the manifest's hashes of records.jsonl (not the
    signature: a forger cannot)."""
    def build(members: Members) -> Members:
        lines = [json.loads(x) for x in dict(members)[RECORDS].splitlines()]
        changed = fn(lines)
        body = (b"\n".join(changed) if raw else
                b"".join(json.dumps(x, ensure_ascii=False).encode() + b"\n" for x in changed))
        members = edit(members, RECORDS, lambda _: body)
        return with_manifest(members, manifest_of(members), keep_signature=keep_signature)
    return build


def set_manifest(fn: Callable[[dict], None], **kwargs):
    def build(members: Members) -> Members:
        manifest = manifest_of(members)
        fn(manifest)
        return with_manifest(members, manifest, **kwargs)
    return build


def symlink(members: Members) -> Members:
    info = zipfile.ZipInfo("link")
    info.external_attr = (stat.S_IFLNK | 0o777) << 16
    return [*members, (info, b"/etc/passwd")]


def bomb(members: Members) -> Members:
    """records.jsonl replaced by 200 MB of zeros that deflate to ~200 KB; manifest fixed."""
    return set_manifest(lambda m: None)(edit(members, RECORDS, lambda _: bytes(200 << 20)))


def first_original(members: Members) -> str:
    return next(n for n, _ in members if str(n).startswith("originals/"))


def flip_original(members: Members) -> Members:
    name = first_original(members)
    return edit(members, name, lambda d: bytes([d[0] ^ 1]) + d[1:])


def tamper_title(lines: list[dict]) -> list[dict]:
    lines[0]["title"] = "forged"
    return lines


def bad_json(lines: list[dict]) -> list[bytes]:
    out = [json.dumps(x, ensure_ascii=False).encode() for x in lines]
    out[3] = out[3][:-5]
    return out


def bad_date(lines: list[dict]) -> list[dict]:
    lines[0]["date"] = "not-a-date"
    return lines


def swap_ids(lines: list[dict]) -> list[dict]:
    lines[0], lines[1] = lines[1], lines[0]
    return lines


HOSTILE: list[tuple[str, Callable[[Members], Members] | bytes, str, bool | str]] = [
    # (case, how to build it from the good bundle's members, message part, --trust given)
    ("zip slip", lambda m: [*m, ("../../evil.txt", b"x")], "unsafe member path", False),
    ("absolute path", lambda m: [*m, ("/tmp/evil.txt", b"x")], "unsafe member path", False),
    ("backslash path", lambda m: [*m, ("..\\evil.txt", b"x")], "unsafe member path", False),
    ("symlink member", symlink, "is a symbolic link", False),
    ("decompression bomb", bomb, "longer than 67108864 bytes", False),
    ("not a zip", b"%PDF-1.4 this is not a bundle", "not a zip archive", False),
    ("empty file", b"", "not a zip archive", False),
    ("no manifest", lambda m: [x for x in m if x[0] != MANIFEST], "no manifest.json", False),
    ("manifest not json", lambda m: edit(m, MANIFEST, lambda _: b"{nope"), "not valid JSON",
     False),
    ("missing member", lambda m: [x for x in m if x[0] != first_original(m)], "missing member",
     False),
    ("extra member", lambda m: [*m, ("notes.txt", b"hello")], "not in the manifest", False),
    ("duplicate member", lambda m: [*m, (RECORDS, dict(m)[RECORDS])], "appears twice", False),
    ("checksum mismatch (original)", flip_original, "checksum mismatch in 'originals/", False),
    ("checksum mismatch (records)",
     set_manifest(lambda m: m["members"][RECORDS].update(sha256="0" * 64), fix_hashes=False),
     "checksum mismatch in 'records.jsonl'", False),
    ("size differs from manifest",
     set_manifest(lambda m: m["members"][RECORDS].update(size=10), fix_hashes=False),
     "the manifest says 10", False),
    ("newer format version", set_manifest(lambda m: m.update(format_version=FORMAT_VERSION + 1)),
     f"bundle format version {FORMAT_VERSION + 1} is newer", False),
    ("not our format", set_manifest(lambda m: m.update(format="something-else")),
     "not a precedents bundle manifest", False),
    ("bad JSON line", records_edit(bad_json, raw=True), "records.jsonl line 4 is not valid JSON",
     False),
    ("record of the wrong shape", records_edit(bad_date), "field 'date' has the wrong type",
     False),
    ("records out of manifest order", records_edit(swap_ids),
     "not the document the manifest lists", False),
    ("unsafe source name",
     set_manifest(lambda m: m["sources"][0].update(name="../../etc/x")), "safe base name", False),
    ("record tampered after signing, hashes fixed",
     records_edit(tamper_title, keep_signature=True), "signature does not verify", True),
    ("record tampered after signing, hashes fixed, no --trust",
     records_edit(tamper_title, keep_signature=True), "signature does not verify", False),
    ("record tampered after signing, hashes kept",
     lambda m: edit(m, RECORDS, lambda d: d.replace(b'"language": "en"', b'"language": "xx"', 1)),
     "checksum mismatch in 'records.jsonl'", True),
    ("signed by another key", lambda m: m, "not by the trusted key", "other"),
    ("signature removed", lambda m: [x for x in m if x[0] != SIGNATURE], "not signed", True),
]


@pytest.fixture()
def target(index_a: Path, tmp_path: Path) -> Path:
    index = tmp_path / "target"
    shutil.copytree(index_a, index)
    return index


@pytest.mark.parametrize(("case", "build", "message", "trusted"), HOSTILE,
                         ids=[c[0] for c in HOSTILE])
def test_hostile_bundle_is_refused_and_changes_nothing(case, build, message, trusted,
                                                       bundle: Path, keys, target: Path,
                                                       tmp_path: Path) -> None:
    path = tmp_path / "hostile.zip"
    if isinstance(build, bytes):
        path.write_bytes(build)
    else:
        write_zip(path, build(read_members(bundle)))
    before = snapshot(target)
    args = ["import", str(path), "--index", str(target)]
    if trusted:
        args += ["--trust", str(keys["other_public" if trusted == "other" else "public"])]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 1, result.output
    assert message in result.output and str(path) in result.output
    assert "Traceback" not in result.output and len(result.output.strip().splitlines()) == 1
    assert snapshot(target) == before


# -- forged but self-consistent records ---------------------------------------------------------

@pytest.fixture(scope="module")
def plain_bundle(index_a: Path, tmp_path_factory) -> Path:
    """An unsigned bundle of the sample corpus, no originals: what a forger starts from."""
    out = tmp_path_factory.mktemp("plain") / "plain.zip"
    export_bundle(out, index_a)
    return out


def forge(fn: Callable[[dict], None], line: int = 3) -> Callable[[Members], Members]:
    """Change record ``line`` as a forger who writes anything JSON can hold (lone surrogates as
    \\ud800 escapes, NaN, Infinity) and makes the manifest agree: text hashes, sizes, sha256."""
    def build(members: Members) -> Members:
        lines = [json.loads(x) for x in dict(members)[RECORDS].splitlines()]
        fn(lines[line - 1])
        body = b"".join(json.dumps(x).encode() + b"\n" for x in lines)
        members = edit(members, RECORDS, lambda _: body)
        manifest = manifest_of(members)
        for entry, record in zip(manifest["documents"], lines, strict=True):
            entry["text_sha256"] = hashlib.sha256(
                record["text"].encode("utf-8", "surrogatepass")).hexdigest()
        manifest["members"][RECORDS] = {"sha256": hashlib.sha256(body).hexdigest(),
                                        "size": len(body)}
        raw = json.dumps(manifest).encode()
        return [(n, raw if n == MANIFEST else d) for n, d in members]
    return build


def put(*keys_and_value):
    """A record edit setting the field at ``keys`` (the last argument is the value)."""
    *keys, value = keys_and_value

    def fn(record: dict) -> None:
        for key in keys[:-1]:
            record = record.setdefault(key, {})
        record[keys[-1]] = value
    return fn


AWARD = {"amount": 25000.0, "currency": "EUR", "head": "non_pecuniary", "text": "EUR 25,000"}
PENALTY = {"type": "fine", "months": None, "amount": 30000.0, "text": "штраф 30 000 рублей"}

FORGED: list[tuple[str, Callable[[dict], None], str | None]] = [
    # (case, edit of record line 3, the field its refusal names; None: imported)
    ("lone surrogate in the title", put("title", "Case of X \ud800 v. Russia"), "'title'"),
    ("lone surrogate in the text", lambda r: r.update(text=r["text"] + "\udc80"), "'text'"),
    ("lone surrogate in a holding",
     put("holdings", [{"article": "3", "outcome": "violation", "text": "x\ud83d", "vote": None}]),
     "'holdings[0].text'"),
    ("lone surrogate in a key of the source's meta", put("source", "meta", "\udcff", 1),
     "'source.meta'"),
    ("lone surrogate in a list of names", put("judges", ["A", "B\udfff"]), "'judges[1]'"),
    ("non-numeric penalty amount", put("penalties", [{**PENALTY, "amount": "lots"}]),
     "'penalties[0].amount'"),
    ("non-numeric penalty months", put("penalties", [{**PENALTY, "months": "42"}]),
     "'penalties[0].months'"),
    ("penalty without a type", put("penalties", [{"months": 3, "text": "x"}]),
     "'penalties[0]'"),
    ("penalty that is not an object", put("penalties", ["fine"]), "'penalties'"),
    ("NaN award", put("awards", [{**AWARD, "amount": float("nan")}]), "'awards[0].amount'"),
    ("infinite award", put("awards", [{**AWARD, "amount": float("inf")}]),
     "'awards[0].amount'"),
    ("award amount as text", put("awards", [{**AWARD, "amount": "25000"}]),
     "'awards[0].amount'"),
    ("NaN timing", put("source", "timings", "parse", float("nan")), "'source.timings.parse'"),
    ("NaN in a field of its own", put("extra", {"x": [1, float("-inf")]}), "'extra.x[1]'"),
    # near-misses: valid records that must still be imported
    ("an emoji (a surrogate pair in JSON) in the title", put("title", "Case 😀 v. Russia"), None),
    ("an integer award amount", put("awards", [{**AWARD, "amount": 25000}]), None),
    ("a penalty with no months and no amount",
     put("penalties", [{**PENALTY, "type": "other", "amount": None}]), None),
    ("a suspended term with its probation", put("penalties", [
        {**PENALTY, "type": "suspended", "months": 36, "amount": None,
         "probation_months": 24}]), None),
    ("a huge but finite number", put("awards", [{**AWARD, "amount": 1e300}]), None),
    ("control characters in a title (shown escaped, not refused)",
     put("title", "X\x1b[2J v. Russia"), None),
]


@pytest.mark.parametrize(("case", "change", "field"), FORGED, ids=[c[0] for c in FORGED])
def test_forged_record_fields_are_refused_before_anything_is_written(
        case, change, field, plain_bundle: Path, tmp_path: Path) -> None:
    """GIVEN a self-consistent bundle (hashes and manifest agree) whose third record holds a
    lone surrogate, a non-numeric penalty or a non-finite number
    WHEN it is imported THEN one line names the bundle, the record and the field, and nothing
    is written; a valid record of the same kind is imported and shows."""
    path = write_zip(tmp_path / "forged.zip", forge(change)(read_members(plain_bundle)))
    doc_id = manifest_of(read_members(path))["documents"][2]["id"]
    target = tmp_path / "index"
    result = CliRunner().invoke(cli, ["import", str(path), "--index", str(target)])
    assert isinstance(result.exception, (SystemExit, type(None))), repr(result.exception)
    if field is None:
        assert result.exit_code == 0, result.output
        shown = CliRunner().invoke(cli, ["show", doc_id, "--index", str(target), "--json"])
        assert shown.exit_code == 0 and json.loads(shown.stdout)["id"] == doc_id
        from fastapi.testclient import TestClient

        from pipeline.web import create_app

        web = TestClient(create_app(target), base_url="http://127.0.0.1:8080")
        for url in (f"/documents/{doc_id}", f"/api/documents/{doc_id}"):
            assert web.get(url).status_code == 200, url
        return
    assert result.exit_code == 1, result.output
    [line] = result.stderr.strip().splitlines()
    assert str(path) in line and f"records.jsonl line 3 ({doc_id})" in line
    assert f"field {field}" in line, line
    assert not target.exists()


@pytest.mark.parametrize(("key", "field"), [("format", "'sources[0].format'"),
                                            ("pipeline_version", "'sources[0].pipeline_version'"),
                                            ("extracted_at", "'sources[0].extracted_at'")])
def test_a_lone_surrogate_in_the_manifest_is_refused(key, field, plain_bundle: Path,
                                                    tmp_path: Path) -> None:
    """The manifest's provenance is stored too (a source's format, versions, dates)."""
    members = read_members(plain_bundle)
    manifest = manifest_of(members)
    manifest["sources"][0][key] = "x\udc80"
    raw = json.dumps(manifest).encode()
    path = write_zip(tmp_path / "forged.zip", [(n, raw if n == MANIFEST else d) for n, d in members])
    target = tmp_path / "index"
    result = CliRunner().invoke(cli, ["import", str(path), "--index", str(target)])
    assert isinstance(result.exception, SystemExit) and result.exit_code == 1, repr(result.exception)
    assert f"manifest.json: field {field} is not valid Unicode" in result.stderr
    assert not target.exists()


def test_a_100k_entry_archive_is_refused_before_its_directory_is_parsed(tmp_path: Path,
                                                                        target: Path) -> None:
    path = tmp_path / "many.zip"
    with zipfile.ZipFile(path, "w") as zf:
        for i in range(100_000):
            zf.writestr(f"f{i}", b"")
    before = snapshot(target)
    with pytest.raises(BundleError, match="100000 archive entries"):
        import_bundle(path, target)
    assert snapshot(target) == before


def test_a_header_that_lies_about_the_size_is_caught_while_reading(bundle: Path, tmp_path: Path,
                                                                   target: Path) -> None:
    """GIVEN a member whose zip headers declare 100 bytes but which inflates to 5 MB
    THEN the import refuses it (the bytes read are counted and checked, not the header)."""
    members = [m for m in read_members(bundle) if m[0] != SIGNATURE]
    manifest = manifest_of(members)
    payload = bytes(5 << 20)
    manifest["members"][RECORDS] = {"sha256": hashlib.sha256(payload[:100]).hexdigest(),
                                    "size": 100}
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in members:
            zf.writestr(name, payload if name == RECORDS else
                        json.dumps(manifest).encode() if name == MANIFEST else data)
    raw = bytearray(buf.getvalue())
    with zipfile.ZipFile(io.BytesIO(bytes(raw))) as zf:
        info = zf.getinfo(RECORDS)
    raw[info.header_offset + 22:info.header_offset + 26] = (100).to_bytes(4, "little")
    central = raw.find(b"PK\x01\x02")
    while raw[central + 46:central + 46 + int.from_bytes(raw[central + 28:central + 30],
                                                          "little")] != RECORDS.encode():
        central = raw.find(b"PK\x01\x02", central + 4)
        assert central > 0
    raw[central + 24:central + 28] = (100).to_bytes(4, "little")
    path = tmp_path / "liar.zip"
    path.write_bytes(bytes(raw))
    before = snapshot(target)
    with pytest.raises(BundleError, match="refused: member 'records.jsonl' is damaged") as caught:
        import_bundle(path, target)
    assert "CRC" in str(caught.value)
    assert snapshot(target) == before


@pytest.mark.parametrize(("limits", "message"), [
    (Limits(max_member_bytes=1000), "declares"),
    (Limits(max_total_bytes=100_000), "more than 100000 bytes in all"),
    (Limits(max_manifest_bytes=1000), "manifest.json larger than 1000 bytes"),
    (Limits(max_line_bytes=1000), "longer than 1000 bytes"),
    (Limits(max_members=5), "17 archive entries"),
])
def test_every_limit_is_enforced(limits: Limits, message: str, bundle: Path, target: Path) -> None:
    before = snapshot(target)
    with pytest.raises(BundleError, match=message):
        import_bundle(bundle, target, limits=limits)
    assert snapshot(target) == before


@pytest.fixture(scope="module")
def repetitive_index(tmp_path_factory) -> Path:
    """A catalogue holding a 1.5 MB judgment that repeats one paragraph (it deflates about
    1000:1) and a short ruling; written directly, no extraction needed."""
    from pipeline.catalogue import Document, Source

    index = tmp_path_factory.mktemp("repetitive") / "index"
    catalogue = Catalogue.open(index)
    try:
        for doc_id, text in (("rep-1", "The applicant was beaten in police custody. " * 35_000),
                             ("short-2", "ПРИГОВОР\nДело № 1-5/2021\nСуд установил насилие.")):
            source = Source(path=f"/in/{doc_id}.txt", sha256=text_sha256(text), size=len(text),
                            mtime_ns=None, format="txt", status="ok")
            catalogue.add_imported([(source, [Document(id=doc_id, source_path=source.path,
                                                       format="txt", text=text)])])
    finally:
        catalogue.close()
    return index


def test_an_export_of_repetitive_records_is_imported(repetitive_index: Path,
                                                     tmp_path: Path) -> None:
    """GIVEN a judgment that compresses 1000:1 WHEN exported and imported THEN the import takes
    it: what an import bounds is the inflated size (per member and in all), not the ratio."""
    out = tmp_path / "repetitive.zip"
    export_bundle(out, repetitive_index)
    with zipfile.ZipFile(out) as zf:
        info = zf.getinfo(RECORDS)
    assert info.file_size > 1 << 20 and info.file_size > 100 * info.compress_size
    report = import_bundle(out, tmp_path / "index")
    assert sorted(report.added) == ["rep-1", "short-2"]


def _sizes(bundle: Path) -> dict[str, int]:
    """What each limit of an import measures, for this bundle."""
    with zipfile.ZipFile(bundle) as zf:
        infos = zf.infolist()
        lines = zf.read(RECORDS).splitlines()
    return {"max_line_bytes": max(map(len, lines)),
            "max_member_bytes": max(i.file_size for i in infos),
            "max_total_bytes": sum(i.file_size for i in infos),
            "max_manifest_bytes": next(i.file_size for i in infos if i.filename == MANIFEST),
            "max_members": len(infos)}


@pytest.mark.parametrize("limit", ["max_line_bytes", "max_member_bytes", "max_total_bytes",
                                   "max_manifest_bytes", "max_members"])
def test_export_refuses_exactly_what_import_refuses(limit: str, repetitive_index: Path,
                                                    tmp_path: Path) -> None:
    """GIVEN each import limit set to what a bundle measures, and to one less
    THEN export and import both accept the first and both refuse the second."""
    plain = tmp_path / "plain.zip"
    export_bundle(plain, repetitive_index)
    size = _sizes(plain)[limit]
    for value, accepted in ((size, True), (size - 1, False)):
        limits = Limits(**{limit: value})
        out = tmp_path / f"{value}.zip"
        if accepted:
            export_bundle(out, repetitive_index, limits=limits)
            assert _sizes(out)[limit] == size
            import_bundle(plain, tmp_path / f"index-{value}", limits=limits)
            continue
        with pytest.raises(BundleError, match="more than an import accepts"):
            export_bundle(out, repetitive_index, limits=limits)
        assert not out.exists() and sorted(tmp_path.iterdir()) == sorted(
            p for p in tmp_path.iterdir() if not p.name.startswith("."))
        with pytest.raises(BundleError):
            import_bundle(plain, tmp_path / f"index-{value}", limits=limits)


def test_trust_refuses_another_key(bundle: Path, keys, target: Path) -> None:
    with pytest.raises(UntrustedBundle, match="not by the trusted key"):
        import_bundle(bundle, target, trust_key=keys["other_public"])


def test_cli_export_and_import_print_json(index_a: Path, keys, tmp_path: Path) -> None:
    out = tmp_path / "cli.zip"
    result = CliRunner().invoke(cli, ["export", str(out), "--index", str(index_a), "--filter",
                                      "41234/15", "--sign", str(keys["private"]), "--json"])
    assert result.exit_code == 0, result.output
    exported = json.loads(result.stdout)
    assert exported["documents"] >= 1 and exported["signed_by"]
    result = CliRunner().invoke(cli, ["import", str(out), "--index", str(tmp_path / "ix"),
                                      "--json"])
    assert result.exit_code == 0, result.output
    imported = json.loads(result.stdout)
    assert imported["signed_by"] == exported["signed_by"] and not imported["trusted"]
    assert "not checked against a trusted key" in result.stderr
    assert imported["manifest_sha256"] == exported["manifest_sha256"]


def test_an_import_whose_index_rebuild_fails_is_taken_back(bundle: Path, tmp_path: Path,
                                                          monkeypatch) -> None:
    """GIVEN records that pass every check but make the index rebuild fail
    THEN what was added is taken back and the index is rebuilt from the catalogue again."""
    import pipeline.search as search_module

    real = search_module.rebuild_index
    calls = []

    def flaky(index_dir, catalogue, **kwargs):
        calls.append(1)
        if len(calls) == 1:
            raise ValueError("engine failure")
        return real(index_dir, catalogue, **kwargs)

    monkeypatch.setattr(search_module, "rebuild_index", flaky)
    index = tmp_path / "index"
    with pytest.raises(BundleError, match="could not be indexed"):
        import_bundle(bundle, index)
    assert len(calls) == 2
    catalogue = Catalogue.open(index, readonly=True)
    try:
        assert catalogue.counts()["documents"] == 0 and catalogue.counts()["sources"] == 0
    finally:
        catalogue.close()


# -- anonymised export -----------------------------------------------------------------------

PLANTED = ("ПРИГОВОР\nИменем Российской Федерации\nЛенинский районный суд г. Энска в составе "
           "председательствующего судьи Рябининой О.Н. рассмотрел уголовное дело № 1-555/2022 "
           "по обвинению Планидина Архипа Саввича, 14.05.1979 года рождения, проживающего по "
           "адресу: г. Энск, ул. Тихая, д. 7, кв. 3, в совершении преступления, предусмотренного "
           "п. «а» ч. 3 ст. 286 УК РФ.\nУСТАНОВИЛ:\nПланидин А.С., являясь сотрудником полиции, "
           "применил к потерпевшему Зарубайло К.Е. насилие. Потерпевший Зарубайло К.Е. показал, "
           "что Планидин наносил ему удары. Телефон потерпевшего +7 912 345-67-89.\n"
           "ПРИГОВОРИЛ:\nПризнать Планидина А.С. виновным.\n")
PLANTED_NAMES = ["Планидин", "Планидина", "Архипа Саввича", "Зарубайло", "14.05.1979",
                 "ул. Тихая", "345-67-89"]


@pytest.fixture(scope="module")
def planted_index(tmp_path_factory) -> Path:
    """The sample corpus plus one ruling with invented names planted in it."""
    src = tmp_path_factory.mktemp("planted")
    shutil.copytree(CORPORA, src / "corpora")
    (src / "corpora" / "planted-prigovor.txt").write_text(PLANTED, encoding="utf-8")
    index = src / "index"
    assert ingest([src / "corpora"], index, jobs=2).failed == 0
    return index


def test_anonymised_export_leaks_no_planted_name_and_keeps_the_law(planted_index: Path,
                                                                   tmp_path: Path) -> None:
    """GIVEN the sample corpus with planted names WHEN exported with --anonymise
    THEN no byte of the bundle holds a planted name, the report lies beside the bundle, and
    after import into an empty index article and citation searches still find the law."""
    out = tmp_path / "anon.zip"
    result = CliRunner().invoke(cli, ["export", str(out), "--index", str(planted_index),
                                      "--anonymise", "--json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["anonymised"] and report["left_out"] == 0 and report["replaced"]["person"] > 20
    blobs = b"".join(zipfile.ZipFile(out).read(n) for n in zipfile.ZipFile(out).namelist())
    assert out.read_bytes().count("Планидин".encode()) == 0
    for name in PLANTED_NAMES:
        assert name.encode("utf-8") not in blobs, name
    assert b"Zarechnev" not in blobs and b"corpora/" not in blobs
    side = Path(report["anonymisation_report"])
    assert side.parent == out.parent and side.name not in zipfile.ZipFile(out).namelist()
    assert "Планидин" not in side.read_text(encoding="utf-8")
    index = tmp_path / "imported"
    imported = import_bundle(out, index)
    assert len(imported.added) == report["documents"]
    assert hits(index, "article:3") and hits(index, "41234/15") and hits(index, "charge:УК:286")
    assert hits(index, "1-555/2022")


def test_anonymised_exports_do_not_link(planted_index: Path, tmp_path: Path) -> None:
    a = export_bundle(tmp_path / "a.zip", planted_index, anonymise=True)
    b = export_bundle(tmp_path / "b.zip", planted_index, anonymise=True)
    ids = [json.loads(line)["id"] for line in zipfile.ZipFile(tmp_path / "a.zip").read(RECORDS).splitlines()]
    other = zipfile.ZipFile(tmp_path / "b.zip").read(RECORDS).decode()
    assert a.documents == b.documents and not any(i in other for i in ids)


def test_a_document_without_a_record_is_left_out_of_an_anonymised_export(planted_index: Path,
                                                                         tmp_path: Path) -> None:
    """GIVEN the planted ruling stored with no record (never tagged, so no entities)
    WHEN exported with --anonymise THEN it is left out and counted, never exported by patterns
    alone; the other documents go out as before."""
    index = tmp_path / "index"
    shutil.copytree(planted_index, index)
    cat = Catalogue.open(index)
    planted = [d.id for d in cat.iter_documents() if "Планидин" in d.text]
    assert len(planted) == 1
    with cat.conn:
        cat.conn.execute("UPDATE documents SET record=NULL WHERE id=?", planted)
    cat.close()
    report = export_bundle(tmp_path / "anon.zip", index, anonymise=True)
    assert report.left_out == 1
    assert "Рябинин".encode() not in (tmp_path / "anon.zip").read_bytes()
    assert report.documents == len(list(Catalogue.open(index).iter_documents())) - 1


def test_anonymised_export_refuses_originals(planted_index: Path, tmp_path: Path) -> None:
    with pytest.raises(BundleError, match="original files"):
        export_bundle(tmp_path / "x.zip", planted_index, anonymise=True, with_originals=True)
    assert not (tmp_path / "x.zip").exists()


def test_prune_keeps_imported_documents(bundle: Path, tmp_path: Path) -> None:
    """GIVEN an index holding an imported bundle WHEN an ingest with --prune runs
    THEN the imported documents stay: they have no file on this disk by design."""
    index = tmp_path / "index"
    import_bundle(bundle, index)
    before = text_hashes(index)
    local = tmp_path / "local"
    local.mkdir()
    report = ingest([local], index, prune=True)
    assert report.pruned == [] and text_hashes(index) == before
