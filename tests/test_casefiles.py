"""Case files and their list of authorities: stored in the catalogue, never losing a note.

The documents are built by hand (records as the structure stage writes them), so each case is
exactly the phenomenon it tests: a merged copy, a pruned document, an uncertain date, a Russian
ruling of a higher court, a paragraph the record does not number. The DOCX is read back with
python-docx.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import sqlite3
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner

from pipeline import casefiles
from pipeline.casefiles import Addition
from pipeline.catalogue import Catalogue, Document, Source
from pipeline.cli import cli
from pipeline.errors import CaseFileError, CaseFileNotFound, DocumentNotFound, PipelineError
from pipeline.present.authorities import authorities, pinpoints, write


def _echr(doc_id: str, title: str, number: str, day: str | None, paragraphs: list[str],
          kind: str = "echr_judgment", formation: str | None = None) -> Document:
    head = f"{title}\n\n(Application no. {number})\n\nJUDGMENT\n\n"
    text, paras = head, []
    for n in paragraphs:
        start = len(text)
        text += f"{n}. The applicant alleged that he had been ill-treated in police custody.\n"
        paras.append({"number": n, "start": start, "end": len(text), "section": "law"})
    record = {"kind": kind, "title": title, "case_numbers": [number], "date": day,
              "formation": formation, "respondent_states": ["Russia"], "paragraphs": paras,
              "own_identifiers": [number]}
    return Document(id=doc_id, source_path=f"mem://{doc_id}.txt", format="txt", text=text,
                    language="en", title=title, record=record)


def _russian(doc_id: str, court: str, kind: str, title: str, day: str | None,
             number: str) -> Document:
    text = f"{title}\n\nДело № {number}\n\n{court} установил применение насилия сотрудниками полиции."
    record = {"kind": kind, "title": title, "court": court, "date": day,
              "case_numbers": [number], "own_identifiers": [number]}
    return Document(id=doc_id, source_path=f"mem://{doc_id}.txt", format="txt", text=text,
                    language="ru", title=title, record=record)


DOCS = [
    _echr("mikheyev", "CASE OF MIKHEYEV v. RUSSIA", "77617/01", "2006-01-26",
          ["1", "110", "135", "140"]),
    _echr("aleksanyan", "CASE OF ALEKSANYAN v. RUSSIA", "46468/06", "2008-12-22", ["1", "2"]),
    # The structure stage was not sure of the date: null, so never printed.
    _echr("zarechnev", "CASE OF ZARECHNEV v. RUSSIA", "41234/15", None, ["1", "12"]),
    _echr("mikheyev-copy", "CASE OF MIKHEYEV v. RUSSIA", "77617/01", "2006-01-26",
          ["1", "110", "135", "140"]),
    _echr("pruned", "CASE OF BURYAGA v. UKRAINE", "27672/03", "2008-07-15", ["1", "58"]),
    _russian("lenin", "Ленинский районный суд г. Зареченска", "ru_sentence", "Приговор",
             "2020-03-12", "1-123/2020"),
    _russian("supreme", "Верховный Суд Российской Федерации", "ru_ruling",
             "Кассационное определение", "2019-05-14", "5-УД19-7"),
    _russian("arbitr", "Арбитражный суд г. Москвы", "ru_decision", "Решение", "2018-02-01",
             "А40-1/2018"),
]


def _build(root: Path, *, index: bool = False) -> Path:
    catalogue = Catalogue.open(root)
    try:
        for doc in DOCS:
            digest = hashlib.sha256(doc.text.encode()).hexdigest()
            catalogue.record_source(Source(path=doc.source_path, sha256=digest,
                                           size=len(doc.text), mtime_ns=0, format="txt",
                                           status="ok", pipeline_version="test"), [doc])
        catalogue.set_merges(["mikheyev-copy"], {"mikheyev-copy": ("mikheyev", {
            "kind": "echr_judgment", "date": "2006-01-26", "keys": ["77617/01"],
            "similarity": 0.99})}, [])
        if index:
            from pipeline.search import rebuild_index

            rebuild_index(root, catalogue, engine="whoosh")
    finally:
        catalogue.close()
    return root


@pytest.fixture
def root(tmp_path: Path) -> Path:
    return _build(tmp_path / "index")


def _add(root: Path, name: str, *items: Addition, note: str | None = None):
    with casefiles.writing(root) as cat:
        return casefiles.add_items(cat, name, list(items), note=note)


def _show(root: Path, name: str) -> casefiles.CaseFile:
    cat = Catalogue.open(root, readonly=True)
    try:
        return casefiles.show(cat, name)
    finally:
        cat.close()


# -- the store ----------------------------------------------------------------------------------

@pytest.mark.parametrize(("addition", "stored", "paragraph", "citation"), [
    (Addition("mikheyev", "135"), "mikheyev", "135",
     "Mikheyev v. Russia, no. 77617/01, § 135, 26 January 2006"),
    # No paragraph pinned: the citation without §.
    (Addition("mikheyev"), "mikheyev", None, "Mikheyev v. Russia, no. 77617/01, 26 January 2006"),
    # A merged copy is the document it is shown as.
    (Addition("mikheyev-copy", "110"), "mikheyev", "110",
     "Mikheyev v. Russia, no. 77617/01, § 110, 26 January 2006"),
    # An uncertain (null) date stays out, never guessed.
    (Addition("zarechnev", "12"), "zarechnev", "12", "Zarechnev v. Russia, no. 41234/15, § 12"),
    (Addition("lenin"), "lenin", None,
     "Ленинский районный суд г. Зареченска, приговор от 12 марта 2020 г. по делу № 1-123/2020"),
])
def test_an_item_is_stored_and_cited_as_search_cites_it(root, addition, stored, paragraph,
                                                        citation) -> None:
    report = _add(root, "Ivanov", addition)
    assert report.created and report.added == [(addition.doc_id, stored, paragraph)]
    item = _show(root, "Ivanov").items[0]
    assert (item.shown_id, item.paragraph, item.status, item.citation) == (
        stored, paragraph, "ok", citation)


@pytest.mark.parametrize(("addition", "error", "message"), [
    (Addition("nobody"), DocumentNotFound, "nobody: no document"),
    (Addition("mikheyev", "999"), CaseFileError, "no paragraph 999 (its paragraphs are "
                                                 "numbered 1 to 140)"),
    # Near-miss: "135." is not how the record numbers it.
    (Addition("mikheyev", "135."), CaseFileError, "no paragraph 135."),
    (Addition("lenin", "1"), CaseFileError, "it has no numbered paragraphs"),
])
def test_a_bad_item_adds_nothing(root, addition, error, message) -> None:
    with pytest.raises(error, match=message.replace("(", r"\(").replace(")", r"\)")):
        _add(root, "Ivanov", Addition("aleksanyan"), addition)
    cat = Catalogue.open(root, readonly=True)
    try:
        assert casefiles.listing(cat) == []   # the whole add was refused, the file not made
    finally:
        cat.close()


def test_adding_again_updates_the_note_and_keeps_one_item(root) -> None:
    _add(root, "Ivanov", Addition("mikheyev", "135", note="first"))
    report = _add(root, "Ivanov", Addition("mikheyev-copy", "135", note="second",
                                           query="пытка", filters=["state:russia"]))
    assert report.updated == [("mikheyev-copy", "mikheyev", "135")] and not report.added
    items = _show(root, "Ivanov").items
    assert [(i.note, i.query, i.filters) for i in items] == [("second", "пытка", ["state:russia"])]


def test_a_pruned_document_stays_marked_missing_with_its_note(root) -> None:
    _add(root, "Ivanov", Addition("pruned", "58", note="precious"), Addition("aleksanyan"))
    cat = Catalogue.open(root)
    try:
        assert cat.remove_source("mem://pruned.txt") == ["pruned"]   # what `ingest --prune` does
    finally:
        cat.close()
    items = {i.doc_id: i for i in _show(root, "Ivanov").items}
    gone = items["pruned"]
    assert (gone.status, gone.shown_id, gone.note) == ("missing", None, "precious")
    assert gone.citation == "Buryaga v. Ukraine, no. 27672/03, § 58, 15 July 2008"
    assert items["aleksanyan"].status == "ok"


def test_a_paragraph_the_reparsed_record_lost_is_marked(root) -> None:
    _add(root, "Ivanov", Addition("aleksanyan", "2"))
    cat = Catalogue.open(root)
    try:
        doc = cat.document("aleksanyan")
        assert doc is not None and doc.record is not None
        doc.record["paragraphs"] = doc.record["paragraphs"][:1]
        cat.record_source(cat.source(doc.source_path), [doc])
    finally:
        cat.close()
    assert _show(root, "Ivanov").items[0].status == "paragraph-missing"


@pytest.mark.parametrize(("ids", "paragraph", "left"), [
    (["mikheyev"], None, []),
    (["mikheyev"], "140", ["135"]),
    (["mikheyev-copy"], "135", ["140"]),   # the id it was given as works too
])
def test_remove(root, ids, paragraph, left) -> None:
    _add(root, "Ivanov", Addition("mikheyev", "135"), Addition("mikheyev", "140"))
    with casefiles.writing(root) as cat:
        casefiles.remove_items(cat, "Ivanov", ids, paragraph)
    assert [i.paragraph for i in _show(root, "Ivanov").items] == left


def test_removing_what_is_not_there_removes_nothing(root) -> None:
    _add(root, "Ivanov", Addition("mikheyev", "135"))
    with pytest.raises(CaseFileError, match="holds no aleksanyan"), casefiles.writing(root) as cat:
        casefiles.remove_items(cat, "Ivanov", ["mikheyev", "aleksanyan"])
    assert len(_show(root, "Ivanov").items) == 1


def test_notes_of_the_file_and_of_an_item(root) -> None:
    _add(root, "Ivanov", Addition("mikheyev", "135"), Addition("mikheyev", "140"))
    with casefiles.writing(root) as cat:
        assert casefiles.set_note(cat, "Ivanov", "lodged 3 March") == 1
        assert casefiles.set_note(cat, "Ivanov", "closest facts", doc_id="mikheyev",
                                  paragraph="135") == 1
    found = _show(root, "Ivanov")
    assert found.note == "lodged 3 March"
    assert [i.note for i in found.items] == ["closest facts", None]
    with casefiles.writing(root) as cat:
        casefiles.set_note(cat, "Ivanov", "", doc_id="mikheyev")
    assert [i.note for i in _show(root, "Ivanov").items] == [None, None]


@pytest.mark.parametrize("name", ["", "   ", "a\x1b[2Jb", "x" * 201, ".", "..", " .. "])
def test_bad_names_are_refused(root, name) -> None:
    with pytest.raises(CaseFileError):
        _add(root, name, Addition("mikheyev"))


def test_a_write_during_an_ingest_is_refused(root) -> None:
    from pipeline.ingest import ingest_lock

    with ingest_lock(root), pytest.raises(PipelineError, match="another ingest"):
        _add(root, "Ivanov", Addition("mikheyev"))


def test_an_older_catalogue_opens_read_only_and_gains_the_tables(root) -> None:
    conn = sqlite3.connect(root / "catalogue.sqlite")
    conn.executescript("DROP TABLE casefile_items; DROP TABLE casefiles;")
    conn.close()
    cat = Catalogue.open(root, readonly=True)
    try:
        assert casefiles.listing(cat) == []
        with pytest.raises(CaseFileNotFound):
            casefiles.show(cat, "Ivanov")
    finally:
        cat.close()
    _add(root, "Ivanov", Addition("mikheyev"))          # a writable open creates them
    assert len(_show(root, "Ivanov").items) == 1


# -- the list of authorities --------------------------------------------------------------------

def _listed(root: Path, with_notes: bool = False):
    _add(root, "Ivanov v. Russia",
         Addition("mikheyev", "140", note="beaten at the station"),
         Addition("mikheyev", "135"),
         Addition("zarechnev"),
         Addition("aleksanyan", "2", note="medical care"),
         Addition("lenin", note="the officers' conviction"),
         Addition("arbitr"),
         Addition("supreme"),
         note="Application to be lodged by March")
    cat = Catalogue.open(root, readonly=True)
    try:
        return authorities(casefiles.show(cat, "Ivanov v. Russia"), cat,
                           exported_on=date(2026, 12, 7))
    finally:
        cat.close()


STRASBOURG = ["Aleksanyan v. Russia, no. 46468/06, § 2, 22 December 2008",
              "Mikheyev v. Russia, no. 77617/01, §§ 135 and 140, 26 January 2006",
              "Zarechnev v. Russia, no. 41234/15"]
DOMESTIC = ["Верховный Суд Российской Федерации, кассационное определение от 14 мая 2019 г. "
            "по делу № 5-УД19-7",
            "Арбитражный суд г. Москвы, решение от 1 февраля 2018 г. по делу № А40-1/2018",
            "Ленинский районный суд г. Зареченска, приговор от 12 марта 2020 г. по делу № "
            "1-123/2020"]


def test_the_two_lists_are_sorted_and_a_document_is_cited_once(root) -> None:
    listed = _listed(root)
    assert [a.citation for a in listed.strasbourg] == STRASBOURG
    assert [a.citation for a in listed.domestic] == DOMESTIC


@pytest.mark.parametrize(("numbers", "language", "joined"), [
    (["135"], "en", "135"),
    (["140", "135"], "en", "135 and 140"),
    (["9", "40", "135"], "fr", "9, 40 et 135"),
    (["135", "135"], "en", "135"),
    (["100", "98", "99"], "en", "98-100"),             # a run, as the Court prints it
    (["12", "40", "41", "135"], "en", "12, 40-41 and 135"),
    (["1", "2", "4a", "5"], "en", "1-2, 4a and 5"),    # near-miss: "4a" breaks the run
    (["9", "11"], "en", "9 and 11"),                   # near-miss: not consecutive
])
def test_pinpoints(numbers, language, joined) -> None:
    assert pinpoints(numbers, language) == joined


def _docx_texts(path: Path) -> list[str]:
    import docx

    return [p.text for p in docx.Document(str(path)).paragraphs]


@pytest.mark.parametrize(("with_notes", "present", "absent"), [
    (False, ["List of authorities", "Case file: Ivanov v. Russia", "Exported on 7 December 2026",
             "Case-law of the European Court of Human Rights", "Domestic rulings"],
     ["§ 140: beaten at the station", "the officers' conviction", "Note: Application"]),
    (True, ["§ 140: beaten at the station", "§ 2: medical care", "the officers' conviction",
            "Note: Application to be lodged by March"], []),
])
def test_the_docx_reads_back(root, tmp_path, with_notes, present, absent) -> None:
    out = write(_listed(root), tmp_path / "list.docx", with_notes=with_notes)
    texts = _docx_texts(out)
    for text in present:
        assert text in texts
    for text in absent:
        assert not any(text in t for t in texts)
    heading_s = texts.index("Case-law of the European Court of Human Rights")
    heading_d = texts.index("Domestic rulings")
    cited = [t for t in texts if t[:1].isdigit()]
    assert cited == [f"{n}. {c}" for n, c in enumerate(STRASBOURG, 1)] + [
        f"{n}. {c}" for n, c in enumerate(DOMESTIC, 1)]
    assert heading_s < texts.index("1. " + STRASBOURG[0]) < heading_d < texts.index(
        "1. " + DOMESTIC[0])
    # Near-misses: no § where nothing is pinned, no date where the record is unsure.
    assert not any("Zarechnev" in t and ("§" in t or "20" in t.split("41234/15")[1]) for t in texts)


def test_a_list_with_no_domestic_ruling_has_no_empty_heading(root, tmp_path) -> None:
    _add(root, "Strasbourg only", Addition("mikheyev", "135"))
    cat = Catalogue.open(root, readonly=True)
    try:
        listed = authorities(casefiles.show(cat, "Strasbourg only"), cat)
    finally:
        cat.close()
    texts = _docx_texts(write(listed, tmp_path / "s.docx"))
    assert "Domestic rulings" not in texts and "1. " + STRASBOURG[1].replace(
        "§§ 135 and 140", "§ 135") in texts


def test_a_missing_document_is_listed_as_it_was_added_and_flagged(root, tmp_path) -> None:
    _add(root, "Ivanov", Addition("pruned", "58"), Addition("pruned", "1"))
    cat = Catalogue.open(root)
    try:
        cat.remove_source("mem://pruned.txt")
        listed = authorities(casefiles.show(cat, "Ivanov"), cat)
    finally:
        cat.close()
    texts = _docx_texts(write(listed, tmp_path / "m.docx"))
    assert "1. Buryaga v. Ukraine, no. 27672/03, §§ 1 and 58, 15 July 2008" in texts
    assert any(t.startswith("Not in the index any more") for t in texts)


@pytest.mark.parametrize("with_notes", [False, True])
def test_csv_and_json_hold_one_row_per_item(root, tmp_path, with_notes) -> None:
    listed = _listed(root)
    data = json.loads(write(listed, tmp_path / "l.json", with_notes=with_notes).read_text())
    raw = write(listed, tmp_path / "l.csv", with_notes=with_notes).read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")   # Excel reads the Cyrillic as UTF-8
    table = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    assert data["casefile"] == "Ivanov v. Russia" and data["exported_on"] == "2026-12-07"
    assert len(data["items"]) == len(table) == 7
    assert [r["citation"] for r in table] == [r["citation"] for r in data["items"]]
    first_mikheyev = next(r for r in table if r["doc_id"] == "mikheyev")
    assert (first_mikheyev["pinpoint"], first_mikheyev["citation"]) == (
        "135", "Mikheyev v. Russia, no. 77617/01, § 135, 26 January 2006")
    assert ("note" in table[0]) is with_notes and ("note" in data["items"][0]) is with_notes
    assert (data["note"] is not None) is with_notes


def test_a_result_list_is_exported_without_being_kept(root, tmp_path) -> None:
    cat = Catalogue.open(root, readonly=True)
    try:
        found = casefiles.unsaved(cat, "torture", [
            Addition("mikheyev-copy", "135", query="torture"), Addition("lenin"),
            Addition("nobody")])
        listed = authorities(found, cat, exported_on=date(2026, 12, 7))
        assert casefiles.listing(cat) == []
    finally:
        cat.close()
    assert [i.status for i in found.items] == ["ok", "ok", "missing"]
    texts = _docx_texts(write(listed, tmp_path / "r.docx"))
    assert "1. Mikheyev v. Russia, no. 77617/01, § 135, 26 January 2006" in texts
    assert "1. " + DOMESTIC[2] in texts and "2. nobody" in texts


def test_a_csv_cell_never_runs_as_a_formula(root, tmp_path) -> None:
    _add(root, "Ivanov", Addition("mikheyev", note="=HYPERLINK(\"http://evil\")"),
         Addition("lenin", note="-2+3"), Addition("aleksanyan", note="a = b"))
    cat = Catalogue.open(root, readonly=True)
    try:
        listed = authorities(casefiles.show(cat, "Ivanov"), cat)
    finally:
        cat.close()
    raw = write(listed, tmp_path / "n.csv", with_notes=True).read_bytes().decode("utf-8-sig")
    notes = [r["note"] for r in csv.DictReader(io.StringIO(raw))]
    assert sorted(notes) == sorted(["'=HYPERLINK(\"http://evil\")", "'-2+3", "a = b"])


def test_a_write_to_a_folder_without_a_catalogue_makes_nothing(tmp_path) -> None:
    from pipeline.errors import CatalogueError

    with pytest.raises(CatalogueError, match="no catalogue here"), \
            casefiles.writing(tmp_path / "typo"):
        pass
    assert not (tmp_path / "typo").exists()


def test_export_and_import_from_the_command_line(root, tmp_path) -> None:
    _add(root, "Ivanov", Addition("mikheyev", "135", note="custody"))
    bundle = str(tmp_path / "b.zip")
    result = CliRunner().invoke(cli, ["export", bundle, "--index", str(root), "--with-casefiles",
                                      "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["casefiles"] == 1 and "without notes" in result.stderr
    result = CliRunner().invoke(cli, ["import", bundle, "--index", str(tmp_path / "fresh"),
                                      "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["casefiles"] == [{"from": "Ivanov", "to": "Ivanov",
                                                        "items": 1}]
    assert "case file Ivanov: imported (1 items)" in result.stderr


def test_an_unknown_format_is_refused(root, tmp_path) -> None:
    with pytest.raises(CaseFileError, match="docx, .csv or .json"):
        write(_listed(root), tmp_path / "l.pdf")


# -- the command line ---------------------------------------------------------------------------

@pytest.fixture(scope="module")
def searchable(tmp_path_factory) -> Path:
    return _build(tmp_path_factory.mktemp("cf") / "index", index=True)


def _run(*args: str, ok: bool = True):
    result = CliRunner().invoke(cli, ["casefile", *args])
    assert (result.exit_code == 0) is ok, result.output
    return result


def test_the_commands_end_to_end(searchable, tmp_path) -> None:
    ix = ["--index", str(searchable)]
    _run("add", "Ivanov", "mikheyev", "-p", "135", "-p", "140", "--note", "custody", *ix)
    added = json.loads(_run("add", "Ivanov", "--from-search", "ill-treated", "-f",
                            "kind:echr_judgment", "--mode", "words", "-n", "3", *ix, "--json")
                       .stdout)
    assert len(added["added"]) + len(added["updated"]) == 3
    shown = json.loads(_run("show", "Ivanov", *ix, "--json").stdout)
    searched = [i for i in shown["items"] if i["query"] == "ill-treated"]
    assert searched and all(i["filters"] == ["kind:echr_judgment"] and i["mode"] == "words"
                            for i in searched)
    _run("note", "Ivanov", "lodged in March", *ix)
    _run("note", "Ivanov", "the station", "--doc", "mikheyev", "-p", "140", *ix)
    listing = json.loads(_run("list", *ix, "--json").stdout)["casefiles"]
    assert [(c["name"], c["note"]) for c in listing] == [("Ivanov", "lodged in March")]
    out = tmp_path / "a.docx"
    _run("export", "Ivanov", str(out), "--with-notes", *ix)
    texts = _docx_texts(out)
    assert "§ 140: the station" in texts and any("§§ 135 and 140" in t for t in texts)
    _run("remove", "Ivanov", "mikheyev", *ix)
    assert all(i["doc_id"] != "mikheyev" for i in
               json.loads(_run("show", "Ivanov", *ix, "--json").stdout)["items"])
    _run("delete", "Ivanov", "--yes", *ix)
    assert json.loads(_run("list", *ix, "--json").stdout)["casefiles"] == []


@pytest.mark.parametrize(("args", "message"), [
    (["show", "Nobody"], "no case file of this name"),
    (["add", "X", "mikheyev", "aleksanyan", "-p", "1"], "one DOC_ID"),
    (["add", "X"], "--from-search"),
    (["add", "X", "mikheyev", "--from-search", "torture"], "give no DOC_ID"),
    (["add", "X", "--from-search", "nosuchwordanywhere"], "no documents match"),
    (["remove", "Nobody", "mikheyev"], "no case file"),
    (["note", "X", "text", "-p", "3"], "--paragraph goes with --doc"),
])
def test_mistakes_are_one_line(searchable, args, message) -> None:
    result = _run(*args, "--index", str(searchable), ok=False)
    assert message in result.output and "Traceback" not in result.output


# -- bundles ------------------------------------------------------------------------------------

def _bundle(root: Path, out: Path, **options) -> Path:
    from pipeline.exchange import export_bundle

    export_bundle(out, root, **options)
    return out


def _members(bundle: Path) -> tuple[dict, dict | None]:
    import zipfile

    with zipfile.ZipFile(bundle) as archive:
        manifest = json.loads(archive.read("manifest.json"))
        names = archive.namelist()
        carried = json.loads(archive.read("casefiles.json")) if "casefiles.json" in names else None
    return manifest, carried


def _import(bundle: Path, index: Path):
    from pipeline.exchange import import_bundle

    return import_bundle(bundle, index)


@pytest.mark.parametrize(("options", "version", "notes"), [
    ({}, 1, None),
    ({"with_casefiles": True}, 2, [None, None]),
    ({"with_casefiles": True, "with_notes": True}, 2, ["custody", "the file's own"]),
])
def test_a_bundle_carries_case_files_only_when_asked(root, tmp_path, options, version,
                                                     notes) -> None:
    _add(root, "Ivanov", Addition("mikheyev", "135", note="custody", query="пытка",
                                  filters=["state:russia"]), note="the file's own")
    manifest, carried = _members(_bundle(root, tmp_path / "b.zip", **options))
    assert manifest["format_version"] == version
    if notes is None:
        assert carried is None and "casefiles.json" not in manifest["members"]
        return
    entry = carried["casefiles"][0]
    assert [entry["items"][0]["note"], entry["note"]] == notes
    assert (entry["items"][0]["query"], entry["items"][0]["filters"]) == ("пытка",
                                                                          ["state:russia"])


@pytest.mark.parametrize(("options", "message"), [
    ({"with_notes": True}, "add --with-casefiles"),
    ({"with_casefiles": True, "with_notes": True, "anonymise": True}, "never carries"),
])
def test_notes_are_refused_where_they_cannot_go(root, tmp_path, options, message) -> None:
    from pipeline.errors import BundleError

    with pytest.raises(BundleError, match=message):
        _bundle(root, tmp_path / "b.zip", **options)
    assert not (tmp_path / "b.zip").exists()


def test_import_keeps_items_on_their_documents_and_suffixes_a_taken_name(root, tmp_path) -> None:
    _add(root, "Ivanov", Addition("mikheyev", "135", note="custody"), Addition("lenin"))
    bundle = _bundle(root, tmp_path / "b.zip", with_casefiles=True, with_notes=True)
    other = _build(tmp_path / "other")                 # same documents: all duplicates there
    _add(other, "Ivanov", Addition("aleksanyan"))
    report = _import(bundle, other)
    assert report.casefiles == [{"from": "Ivanov", "to": "Ivanov (2)", "items": 2}]
    found = _show(other, "Ivanov (2)")
    assert [(i.shown_id, i.paragraph, i.note, i.status) for i in found.items] == [
        ("mikheyev", "135", "custody", "ok"), ("lenin", None, None, "ok")]
    again = _import(bundle, other)                     # the same bundle again: nothing new
    assert again.casefiles == [{"from": "Ivanov", "to": None, "items": 2}]
    cat = Catalogue.open(other, readonly=True)
    try:
        assert [c.name for c in casefiles.listing(cat)] == ["Ivanov", "Ivanov (2)"]
    finally:
        cat.close()


def test_an_item_whose_document_the_bundle_left_out_arrives_missing(root, tmp_path) -> None:
    _add(root, "Ivanov", Addition("pruned", "58"))
    cat = Catalogue.open(root)
    try:
        cat.remove_source("mem://pruned.txt")
    finally:
        cat.close()
    bundle = _bundle(root, tmp_path / "b.zip", with_casefiles=True)
    fresh = tmp_path / "fresh"
    report = _import(bundle, fresh)
    assert report.casefiles[0]["to"] == "Ivanov"
    item = _show(fresh, "Ivanov").items[0]
    assert (item.doc_id, item.status, item.citation) == (
        "bundle:pruned", "missing", "Buryaga v. Ukraine, no. 27672/03, § 58, 15 July 2008")


@pytest.mark.parametrize(("change", "message"), [
    (lambda d: d["casefiles"][0].update(name=""), "without a name"),
    (lambda d: d["casefiles"][0]["items"][0].update(note=5), "wrong shape"),
    (lambda d: d["casefiles"][0]["items"][0].pop("in_bundle"), "wrong shape"),
    (lambda d: d.update(casefiles="x"), "no list of case files"),
])
def test_a_bad_casefiles_member_is_refused_before_anything_is_written(root, tmp_path, change,
                                                                     message) -> None:
    import zipfile

    from pipeline.errors import BundleError

    _add(root, "Ivanov", Addition("mikheyev", "135"))
    bundle = _bundle(root, tmp_path / "b.zip", with_casefiles=True)
    manifest, carried = _members(bundle)
    change(carried)
    raw = json.dumps(carried).encode()
    manifest["members"]["casefiles.json"] = {"sha256": hashlib.sha256(raw).hexdigest(),
                                             "size": len(raw)}
    forged = tmp_path / "forged.zip"
    with zipfile.ZipFile(bundle) as src, zipfile.ZipFile(forged, "w") as dst:
        for info in src.infolist():
            data = {"casefiles.json": raw, "manifest.json": json.dumps(manifest).encode()}.get(
                info.filename, src.read(info))
            dst.writestr(info.filename, data)
    fresh = tmp_path / "fresh"
    with pytest.raises(BundleError, match=message):
        _import(forged, fresh)
    assert not (fresh / "catalogue.sqlite").exists()


def test_a_version_1_manifest_naming_casefiles_is_refused(root, tmp_path) -> None:
    import zipfile

    from pipeline.errors import BundleError

    _add(root, "Ivanov", Addition("mikheyev"))
    bundle = _bundle(root, tmp_path / "b.zip", with_casefiles=True)
    manifest, _ = _members(bundle)
    manifest["format_version"] = 1
    forged = tmp_path / "v1.zip"
    with zipfile.ZipFile(bundle) as src, zipfile.ZipFile(forged, "w") as dst:
        for info in src.infolist():
            dst.writestr(info.filename, json.dumps(manifest).encode()
                         if info.filename == "manifest.json" else src.read(info))
    with pytest.raises(BundleError, match="unexpected member name 'casefiles.json'"):
        _import(forged, tmp_path / "fresh")


def test_an_anonymised_bundle_keeps_only_the_structure(root, tmp_path) -> None:
    _add(root, "Ivanov v. Russia", Addition("mikheyev", "135", note="custody", query="Ivanov"),
         Addition("pruned"), note="client Ivanov")
    cat = Catalogue.open(root)
    try:
        cat.remove_source("mem://pruned.txt")
    finally:
        cat.close()
    bundle = _bundle(root, tmp_path / "b.zip", with_casefiles=True, anonymise=True)
    manifest, carried = _members(bundle)
    text = json.dumps(carried, ensure_ascii=False)
    assert "Ivanov" not in text and "custody" not in text and "Mikheyev" not in text
    (entry,) = carried["casefiles"]
    assert entry["name"] == "Case file 1" and entry["note"] is None
    (item,) = entry["items"]                           # the missing one is left out, counted
    listed = {d["id"] for d in manifest["documents"]}
    assert item["doc_id"] in listed and item["doc_id"].startswith("anon-")
    assert item["paragraph"] == "135" and item["query"] is None and item["cited"] == {}


# -- real documents (../shared/corpora, read in place) ------------------------------------------

REAL = [("echr/docx_hudoc_en", "CASE_OF_D.L._v._BULGARIA.docx"),
        ("ru/html_sudrf", "2kas_88-14715-2026_cassation_ruling.html")]


def test_a_list_of_authorities_from_real_documents(shared_corpora: Path, tmp_path) -> None:
    """GIVEN a HUDOC judgment (numbered paragraphs) and a sudrf.ru cassation ruling (none)
    WHEN both go into a case file, the judgment with three consecutive paragraphs and one apart
    THEN the DOCX cites the judgment once with a range, as its record reads, and the ruling in
    the domestic list; pinning a paragraph of the ruling is refused."""
    from pipeline.ingest import ingest
    from pipeline.present.pinpoint import case_title

    files = [shared_corpora / folder / name for folder, name in REAL]
    for f in files:
        if not f.is_file():
            pytest.skip(f"{f} not in the shared corpora")
    index = tmp_path / "index"
    report = ingest(files, index, jobs=1, meaning=False)
    assert report.failed == 0
    cat = Catalogue.open(index, readonly=True)
    try:
        docs = [d for d in cat.iter_documents()]
    finally:
        cat.close()
    judgment = next(d for d in docs if (d.record or {}).get("kind") == "echr_judgment")
    ruling = next(d for d in docs if (d.record or {}).get("kind", "").startswith("ru_"))
    numbers = casefiles.paragraph_numbers(judgment)
    assert len(numbers) > 12 and not casefiles.paragraph_numbers(ruling)
    pins = numbers[9:12] + [numbers[-1]]
    _add(index, "Real", *[Addition(judgment.id, p) for p in pins], Addition(ruling.id))
    with pytest.raises(CaseFileError, match="no numbered paragraphs"):
        _add(index, "Real", Addition(ruling.id, "1"))
    cat = Catalogue.open(index, readonly=True)
    try:
        listed = authorities(casefiles.show(cat, "Real"), cat)
    finally:
        cat.close()
    texts = _docx_texts(write(listed, tmp_path / "real.docx"))
    record = judgment.record
    assert record is not None
    cited = [t for t in texts if t.startswith("1. ")]
    assert len(cited) == 2
    strasbourg, domestic = cited
    assert strasbourg.startswith("1. " + case_title(record["title"] or ""))
    assert f"§§ {pins[0]}-{pins[2]} and {pins[3]}, " in strasbourg
    assert record["case_numbers"][0] in strasbourg and (record["date"] or "")[:4] in strasbourg
    assert ruling.record is not None and ruling.record["case_numbers"][0] in domestic
    assert texts.index(strasbourg) < texts.index("Domestic rulings") < texts.index(domestic)
