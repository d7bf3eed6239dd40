"""One document per judgment: copies in several formats merge, distinct documents never do.

The texts are short ones written here, after the real layouts: HUDOC's Word file and its plain
save, a PDF with page headers and hyphenation, a HUDOC JSON record with its CSS preamble, a
judgment and its later Article 41 judgment, a decision and the judgment in one case, an English
judgment and its French version, a Russian first-instance ruling and its appeal.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from pipeline.catalogue import Catalogue
from pipeline.ingest import ingest
from pipeline.ingest.dedup import Copy, fingerprint, same_judgment, words

pytest.importorskip("rensa")

FACTS = (
    "The applicant was born in 1975 and lives in Samara. On 12 May 2008 he was arrested by "
    "officers of the Leninskiy district police department on suspicion of robbery and taken "
    "to the police station, where he was questioned without a lawyer. He alleged that the "
    "officers had beaten him with a plastic bottle filled with water and had threatened him "
    "with further violence unless he confessed. On 14 May 2008 a forensic expert recorded "
    "bruises on his back and wrists. The applicant complained to the prosecutor, who refused "
    "to open a criminal case on four occasions, each refusal being quashed by his superior as "
    "premature. The Government did not contest the facts but argued that the injuries could "
    "have been sustained before the arrest. The Court reiterates that where an individual is "
    "taken into police custody in good health and is found to be injured at the time of "
    "release, it is incumbent on the State to provide a plausible explanation of how those "
    "injuries were caused. No such explanation was given in the present case.")

FACTS_OTHER = (
    "The applicant complained that the length of the civil proceedings concerning his claim "
    "for unpaid salary against a State-owned factory had been excessive. The proceedings began "
    "on 3 March 2001 and ended with the Supreme Court's ruling of 19 June 2009. The Court "
    "considers that the case was not complex and that the applicant did not contribute to the "
    "delays, which were caused by repeated remittals of the case for fresh examination and by "
    "the failure of the expert institution to submit its report for more than two years.")

FACTS_SATISFACTION = (
    "In its principal judgment the Court held that the reservation of the question of just "
    "satisfaction was appropriate, as the parties had not yet reached an agreement. The "
    "applicant now claims 30,000 euros in respect of non-pecuniary damage and 4,500 euros for "
    "costs and expenses incurred before the Court. The Government considered the claims "
    "excessive. Having regard to the documents in its possession, the Court awards the "
    "applicant 19,500 euros in respect of non-pecuniary damage, plus any tax that may be "
    "chargeable, and rejects the remainder of the claim for just satisfaction.")


def _echr(title: str, app: str, kind: str, date: str, body: str) -> str:
    return (f"{title}\n\n(Application no. {app})\n\n{kind}\n\nSTRASBOURG\n\n{date}\n\n"
            f"PROCEDURE\n\n{body}\n\nFOR THESE REASONS, THE COURT, UNANIMOUSLY,\n\n"
            "1. Holds that there has been a violation of Article 3 of the Convention;\n")


JUDGMENT = _echr("CASE OF ZAITSEV v. RUSSIA", "41234/15", "JUDGMENT", "10 March 2020", FACTS)


def _pdf_layout(text: str) -> str:
    """A PDF's text of ``text``: lines broken at 60 characters with hyphenation, a running
    header and a page number on every page."""
    out, line, page, lines_on_page = [], "", 1, 0
    for word in text.split(" "):
        if len(line) + len(word) > 60 and line:
            if len(word) > 6:
                cut = len(word) // 2
                out.append(line + " " + word[:cut] + "-")
                word = word[cut:]
            else:
                out.append(line)
            line, lines_on_page = word, lines_on_page + 1
            if lines_on_page == 8:
                out += [str(page), "ZAITSEV v. RUSSIA JUDGMENT"]
                page, lines_on_page = page + 1, 0
        else:
            line = f"{line} {word}" if line else word
    return "\n".join(out + [line, str(page)])


def _json_record(text: str) -> str:
    return (".s800EAC49 { font-size:12pt } .sFE10DC93 { margin-top:0pt; margin-bottom:0pt }\n"
            + text.replace(" the ", "&#xa0;the ", 3))


def _copy(text: str, *, fmt: str = "txt", kind: str = "echr_judgment", date: str | None = "2020-03-10",
          language: str = "en", keys: tuple[str, ...] = ("41234/15",)) -> tuple[Copy, str]:
    return Copy(id=f"{fmt}-{kind}-{date}-{language}", path=f"x.{fmt}", format=fmt, kind=kind,
                date=date, language=language, keys=frozenset(keys)), text


def _similarity(a: str, b: str) -> float:
    return float(fingerprint(a).jaccard(fingerprint(b)))


SAME = [
    ("DOCX and its plain-text save (CRLF, doubled spaces)",
     _copy(JUDGMENT, fmt="docx"), _copy(JUDGMENT.replace("\n", "\r\n").replace(". ", ".  "))),
    ("text PDF: broken lines, hyphenation, running header, page numbers",
     _copy(JUDGMENT, fmt="docx"), _copy(_pdf_layout(JUDGMENT), fmt="pdf")),
    ("HUDOC JSON record: CSS preamble, literal &#xa0;",
     _copy(JUDGMENT, fmt="docx"), _copy(_json_record(JUDGMENT), fmt="json")),
    ("plain save that lost letters outside Windows-1252",
     _copy(JUDGMENT.replace("Samara", "Çamara"), fmt="docx"),
     _copy(JUDGMENT.replace("Samara", "_amara"))),
    ("one Russian ruling on two sites, different furniture around it",
     _copy("Дело № 2-1234/2025\nРЕШЕНИЕ\n" + FACTS, fmt="html", kind="ru_decision",
           date="2025-03-11", language="ru", keys=("2-1234/2025",)),
     _copy("Версия для печати\nДело № 2-1234/2025\nРЕШЕНИЕ\n" + FACTS + "\nВернуться назад",
           fmt="html", kind="ru_decision", date="2025-03-11", language="ru",
           keys=("2-1234/2025",))),
]

DISTINCT = [
    ("two judgments of one applicant",
     _copy(JUDGMENT),
     _copy(_echr("CASE OF ZAITSEV v. RUSSIA (No. 2)", "5120/17", "JUDGMENT", "3 June 2021",
                 FACTS_OTHER), date="2021-06-03", keys=("5120/17",))),
    ("a judgment and its later Article 41 judgment",
     _copy(JUDGMENT),
     _copy(_echr("CASE OF ZAITSEV v. RUSSIA", "41234/15", "JUDGMENT (Just satisfaction)",
                 "2 February 2021", FACTS_SATISFACTION), date="2021-02-02")),
    ("a decision and the judgment in the same case",
     _copy(JUDGMENT),
     _copy(_echr("ZAITSEV v. RUSSIA", "41234/15", "DECISION", "12 January 2018", FACTS),
           kind="echr_decision", date="2018-01-12")),
    ("the English judgment and its French version",
     _copy(JUDGMENT),
     _copy(_echr("AFFAIRE ZAÏTSEV c. RUSSIE", "41234/15", "ARRÊT", "10 mars 2020", FACTS),
           language="fr")),
    ("a first-instance ruling and its appeal (the appeal prints the first case number)",
     _copy("Дело № 2-1234/2025\nРЕШЕНИЕ\n" + FACTS, kind="ru_decision", date="2025-03-11",
           language="ru", keys=("2-1234/2025",)),
     _copy("Дело № 33-4818/2025 (№ 2-1234/2025 в суде первой инстанции)\nАПЕЛЛЯЦИОННОЕ "
           "ОПРЕДЕЛЕНИЕ\n" + FACTS[:400] + " Решение оставить без изменения.", kind="ru_appeal",
           date="2025-06-20", language="ru", keys=("33-4818/2025", "2-1234/2025"))),
    ("one text under two case numbers that share nothing",
     _copy(JUDGMENT, keys=("41234/15",)), _copy(JUDGMENT, fmt="docx", keys=("41235/15",))),
    ("same identifiers, kind and date but another text (a misdated second judgment)",
     _copy(JUDGMENT),
     _copy(_echr("CASE OF ZAITSEV v. RUSSIA", "41234/15", "JUDGMENT", "10 March 2020",
                 FACTS_OTHER), fmt="docx")),
    ("no date on either, texts only close (a shorter extract of the same judgment)",
     _copy(JUDGMENT, kind="other", date=None),
     _copy(JUDGMENT[: len(JUDGMENT) * 2 // 3], fmt="pdf", kind="other", date=None)),
]


@pytest.mark.parametrize("name, a, b", SAME, ids=[s[0] for s in SAME])
def test_copies_of_one_judgment_are_one(name, a, b):
    (ca, ta), (cb, tb) = a, b
    why = same_judgment(ca, cb, lambda: _similarity(ta, tb))
    assert why is not None, f"{name}: similarity {_similarity(ta, tb):.3f}"
    assert why.keys and why.similarity >= 0.7


@pytest.mark.parametrize("name, a, b", DISTINCT, ids=[d[0] for d in DISTINCT])
def test_distinct_documents_never_merge(name, a, b):
    (ca, ta), (cb, tb) = a, b
    assert same_judgment(ca, cb, lambda: _similarity(ta, tb)) is None


# Real rulings of one court on one day, about two protesters, published without a case number:
# one template, the names changed. Their texts are as close as copies of one ruling set in two
# formats (MinHash 0.86, 0.82, 0.79), which is why text and date alone never merge two documents
# and a shared identifier is required (the module's docstring).
TEMPLATE_TWINS = [("mitingi/234.txt", "mitingi/235.txt"), ("mitingi/384.txt", "mitingi/385.txt"),
                  ("mitingi/344.txt", "mitingi/345.txt")]


@pytest.mark.parametrize("a, b", TEMPLATE_TWINS)
def test_two_rulings_from_one_template_never_merge(shared_corpora, a, b):
    folder = shared_corpora / "gold" / "ru_judgement_parts_markup"
    texts = [re.sub(r"\\[a-z]+", " ", (folder / name).read_text(encoding="utf-8-sig"))
             for name in (a, b)]
    similarity = fingerprint(texts[0]).jaccard(fingerprint(texts[1]))
    assert similarity >= 0.75, "the near miss is only one if the texts are this close"
    copies = [Copy(name, name, "txt", "ruling", "2014-09-04", "ru", frozenset())
              for name in (a, b)]
    assert same_judgment(*copies, lambda: similarity) is None


@pytest.mark.parametrize("text, expected", [
    ("The appli-\ncant was", ["the", "applicant", "was"]),
    ("Article 3 - prohibition", ["article", "3", "prohibition"]),   # a dash, not a line break
    ("born&#xa0;in 1980", ["born", "in", "1980"]),
    ("Ｆｕｌｌ width", ["full", "width"]),                            # NFKC
    ("- 12 -\nText\nPage 3 of 10\nстр. 4", ["text"]),                 # page numbers
])
def test_words_normalise_what_copies_differ_in(text, expected):
    assert words(text) == expected


def test_best_text_is_shown_whatever_the_order():
    copies = [Copy("t", "a.txt", "txt", "k", "d", "en", frozenset()),
              Copy("p", "a.pdf", "pdf", "k", "d", "en", frozenset()),
              Copy("o", "b.pdf", "pdf", "k", "d", "en", frozenset(), ocr=True),
              Copy("d", "a.docx", "docx", "k", "d", "en", frozenset()),
              Copy("j", "a.json", "json", "k", "d", "en", frozenset())]
    assert [c.id for c in sorted(copies, key=Copy.quality)] == ["d", "j", "t", "p", "o"]
    assert [c.id for c in sorted(reversed(copies), key=Copy.quality)] == ["d", "j", "t", "p", "o"]


# -- through ingest: the catalogue, the index, status, prune, a rerun ---------------------------


def _write_docx(path: Path, text: str) -> None:
    import docx

    document = docx.Document()
    for block in text.split("\n\n"):
        document.add_paragraph(block)
    document.save(str(path))


@pytest.fixture()
def corpus(tmp_path: Path) -> Path:
    folder = tmp_path / "corpus"
    folder.mkdir()
    _write_docx(folder / "zaitsev.docx", JUDGMENT)
    (folder / "zaitsev.txt").write_bytes(JUDGMENT.replace("\n", "\r\n").encode("cp1252"))
    (folder / "001-200001.json").write_text(json.dumps({
        "itemid": "001-200001", "title": "CASE OF ZAITSEV v. RUSSIA", "app_no": "41234/15",
        "date": "2020-03-10", "language": "ENG", "full_text": _json_record(JUDGMENT)}),
        encoding="utf-8")
    (folder / "zaitsev-satisfaction.txt").write_text(_echr(
        "CASE OF ZAITSEV v. RUSSIA", "41234/15", "JUDGMENT (Just satisfaction)",
        "2 February 2021", FACTS_SATISFACTION), encoding="utf-8")
    (folder / "zaitsev-decision.txt").write_text(
        "THIRD SECTION\n\nDECISION\n\nAS TO THE ADMISSIBILITY OF\n\nApplication no. 41234/15\n"
        "by Igor ZAITSEV\nagainst Russia\n\nThe European Court of Human Rights (Third Section), "
        "sitting on 12 January 2018 as a Chamber, having regard to the above application lodged "
        "on 1 August 2015, having deliberated, decides as follows:\n\nTHE FACTS\n\n" + FACTS
        + "\n\nFor these reasons, the Court, unanimously,\n\nDeclares the application "
        "admissible.\n", encoding="utf-8")
    return folder


def _shown(index: Path) -> list[str]:
    cat = Catalogue.open(index, readonly=True)
    try:
        return sorted(d.id for d in cat.iter_documents())
    finally:
        cat.close()


def test_three_formats_are_one_document_and_distinct_ones_stay(tmp_path, corpus):
    """GIVEN one judgment as DOCX, cp1252 TXT and a HUDOC JSON record, its Article 41 judgment
    and the admissibility decision of the case
    WHEN they are ingested (again into a new index, again unchanged, and with the DOCX gone)
    THEN the judgment is shown once, as the DOCX, the other two apart; status names the merged
    files; the ids do not depend on the order of results; pruning the DOCX shows the JSON."""
    index = tmp_path / "index"
    report = ingest([corpus], index, jobs=2)
    assert report.failed == 0, report.to_json()
    shown = _shown(index)
    lines = {Path(d["path"]).name: d["shown_as"] for d in report.to_json()["documents"]}
    assert lines["001-200001.json"] == {"001-200001": "zaitsev"} and lines["zaitsev.docx"] == {}
    cat = Catalogue.open(index, readonly=True)
    try:
        merges = cat.merges()
        records = {i: cat.document(i).record for i in shown}  # type: ignore[union-attr]
    finally:
        cat.close()
    dates = sorted(r["date"] for r in records.values() if r)
    assert dates == ["2018-01-12", "2020-03-10", "2021-02-02"], (shown, records)
    assert sorted(Path(m["path"]).name for m in merges) == ["001-200001.json", "zaitsev.txt"]
    assert {Path(m["into_path"]).name for m in merges} == {"zaitsev.docx"}
    assert all("41234/15" in m["why"]["keys"] and m["why"]["similarity"] >= 0.7 for m in merges)

    from pipeline.search import search
    cat = Catalogue.open(index, readonly=True)
    try:
        hits = search(index, cat, "41234/15", limit=20)
        by_item = search(index, cat, "001-200001", limit=20)
    finally:
        cat.close()
    assert sorted(h.id for h in hits.hits) == shown  # the judgment once, beside the others
    docx = next(m["into"] for m in merges)
    # the HUDOC record's item id finds the Word file shown in its place, once
    assert [h.id for h in by_item.hits] == [docx], by_item.hits
    from pipeline.search import cited_by, similar
    copy = next(m for m in merges if m["path"].endswith(".json"))
    cat = Catalogue.open(index, readonly=True)
    try:
        for doc_id in (copy["id"], copy["into"]):   # a copy's id stands for its document
            assert copy["into"] not in [h.id for h in similar(index, cat, doc_id).hits]
            assert copy["into"] not in [c.id for c in cited_by(index, cat, doc_id)]
    finally:
        cat.close()

    from click.testing import CliRunner

    from pipeline.cli import cli
    result = CliRunner().invoke(cli, ["status", "--index", str(index), "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["merged"] == merges
    text = CliRunner().invoke(cli, ["status", "--index", str(index)]).output
    assert "merged:" in text and "zaitsev.txt" in text and "41234/15" in text
    shown_doc = json.loads(CliRunner().invoke(cli, ["show", docx, "--index", str(index), "--json"]).output)
    assert sorted(Path(c["path"]).name for c in shown_doc["copies"]) == ["001-200001.json", "zaitsev.txt"]
    assert shown_doc["shown_as"] is None
    a_copy = json.loads(CliRunner().invoke(cli, ["show", "001-200001", "--index", str(index), "--json"]).output)
    assert a_copy["shown_as"] == docx and a_copy["copies"] == []
    assert re.search(r"^ ?copies ", CliRunner().invoke(cli, ["show", docx, "--index", str(index)]).output, re.M)

    # A fresh ingest, with another number of parsers (another order of results), shows the
    # same ids.
    other = tmp_path / "other"
    ingest([corpus], other, jobs=1)
    assert _shown(other) == shown

    # A rerun changes nothing; removing the shown copy shows the next best, same content.
    again = ingest([corpus], index, jobs=2)
    assert again.count("unchanged") == 5 and _shown(index) == shown
    (corpus / "zaitsev.docx").unlink()
    ingest([corpus], index, jobs=2, prune=True)
    after = _shown(index)
    assert len(after) == 3 and "001-200001" in after, after
    cat = Catalogue.open(index, readonly=True)
    try:
        assert [Path(m["path"]).name for m in cat.merges()] == ["zaitsev.txt"]
        assert cat.counts()["unindexed"] == 0
    finally:
        cat.close()


# -- the catalogue and settle, without parsing ---------------------------------------------------


def _store(cat: Catalogue, path: str, doc_id: str, text: str, *, kind: str = "echr_judgment",
           date: str | None = "2020-03-10", keys: tuple[str, ...] = ("41234/15",),
           language: str = "en") -> None:
    from pipeline.catalogue import Document, Source
    from pipeline.models import stored_record

    fmt = Path(path).suffix.lstrip(".")
    record = stored_record({"kind": kind, "date": date, "own_identifiers": list(keys)})
    cat.record_source(Source(path=path, sha256=path, size=1, mtime_ns=1, format=fmt, status="ok",
                             pipeline_version="test"),
                      [Document(id=doc_id, source_path=path, format=fmt, text=text,
                                language=language, record=record)])


def test_settle_merges_shows_the_best_and_brings_a_copy_back(tmp_path):
    from pipeline.ingest.dedup import settle

    cat = Catalogue.open(tmp_path)
    _store(cat, "/c/z.txt", "z-txt", JUDGMENT)
    assert settle(cat, {"41234/15"}).hide == [] and cat.merged_into() == {}
    _store(cat, "/c/z.pdf", "z-pdf", _pdf_layout(JUDGMENT))
    assert settle(cat, {"41234/15"}).hide == ["z-pdf"]
    _store(cat, "/c/z.docx", "z-docx", JUDGMENT)
    _store(cat, "/c/a41.txt", "a41", JUDGMENT.replace("10 March 2020", "2 February 2021"),
           date="2021-02-02")
    settled = settle(cat, {"41234/15"})
    assert settled.hide == ["z-txt"]          # the DOCX is shown now; the PDF stays merged
    assert cat.merged_into() == {"z-pdf": "z-docx", "z-txt": "z-docx"}
    assert sorted(d.id for d in cat.iter_documents()) == ["a41", "z-docx"]
    assert cat.count_documents() == 2

    cat.remove_source("/c/z.docx")            # prune the shown copy: the next best comes back
    settled = settle(cat, {"41234/15"})
    assert [d.id for d in settled.show] == ["z-txt"] and settled.hide == []
    assert cat.merged_into() == {"z-pdf": "z-txt"}
    status = cat.counts()["merged"]
    assert [(m["path"], m["into_path"]) for m in status] == [("/c/z.pdf", "/c/z.txt")]
    assert status[0]["why"]["keys"] == ["41234/15"] and status[0]["why"]["similarity"] > 0.9


def test_an_upgraded_catalogue_learns_its_keys_and_settles_once(tmp_path):
    import sqlite3

    cat = Catalogue.open(tmp_path)
    _store(cat, "/c/z.txt", "z-txt", JUDGMENT)
    _store(cat, "/c/z.docx", "z-docx", JUDGMENT)
    cat.close()
    conn = sqlite3.connect(tmp_path / "catalogue.sqlite")
    conn.execute("DELETE FROM document_keys")
    conn.execute("UPDATE meta SET value='1' WHERE key='catalogue_version'")
    conn.commit()
    conn.close()
    cat = Catalogue.open(tmp_path)
    assert cat.keys_of(["z-txt", "z-docx"]) == {"41234/15"}
    assert cat.keys_to_settle() == {"41234/15"}
    cat.settled_all()
    assert cat.keys_to_settle() == set()
