"""JSON / JSONL records: shapes, keys, metadata, HUDOC flattening, errors, and the real corpora.

Small records are written in ``tmp_path``; the HUDOC records in ../shared/corpora are read in
place (echr/json_v_russia in full, a deterministic sample of bulk/echr_roma_watch_json).
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from conftest import SHARED
from pipeline.errors import ExtractionError
from pipeline.extract import detect_format, extract_file
from pipeline.extract.jsonrecords import hudoc_flattened_html


def write_json(tmp_path: Path, data: object, name: str = "records.json") -> Path:
    path = tmp_path / name
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


def write_raw(tmp_path: Path, text: str, name: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


HUDOC_RECORD = {
    "itemid": "001-103904",
    "title": "CASE OF KIYUTIN v. RUSSIA",
    "app_no": "2700/10",
    "date": "2011-03-10",
    "importance": 2,
    "articles": ["14", "8"],
    "nested": {"dropped": True},
    "full_text": "FIRST SECTION CASE OF KIYUTIN v. RUSSIA (Application no. 2700/10)",
}

SHAPE_CASES = [
    # (id, file name, content, expected [(record_key, text)])
    ("single-object", "one.json", json.dumps(HUDOC_RECORD),
     [("001-103904", HUDOC_RECORD["full_text"])]),
    ("array", "many.json",
     json.dumps([{"id": "a", "text": "First ruling"}, {"id": "b", "content": "Second ruling"}]),
     [("a", "First ruling"), ("b", "Second ruling")]),
    ("jsonl", "many.jsonl",
     "\n".join(json.dumps({"doc_id": f"d{i}", "body": f"Ruling {i}"}) for i in range(3)) + "\n",
     [("d0", "Ruling 0"), ("d1", "Ruling 1"), ("d2", "Ruling 2")]),
    ("jsonl-crlf-blank-lines", "crlf.jsonl",
     '{"id": 1, "text": "One"}\r\n\r\n{"id": 2, "text": "Two"}\r\n',
     [("1", "One"), ("2", "Two")]),
    ("wrapper-results", "wrapped.json",
     json.dumps({"count": 1, "results": [{"ecli": "ECLI:CE:ECHR:2011:X", "text": "Wrapped"}]}),
     [("ECLI:CE:ECHR:2011:X", "Wrapped")]),
    ("record-without-text-skipped", "skip.json",
     json.dumps([{"id": "a", "text": "Kept"}, {"id": "b", "title": "no text here"},
                 {"id": "c", "text": None}, "not a record", {"id": "d", "text": "Also kept"}]),
     [("a", "Kept"), ("d", "Also kept")]),
    ("text-field-preference", "pref.json",
     json.dumps({"id": "x", "html": "<p>worse</p>", "full_text": "Preferred"}),
     [("x", "Preferred")]),
    ("no-key-uses-position", "nokey.json",
     json.dumps([{"text": "First"}, {"text": "Second"}]),
     [("1", "First"), ("2", "Second")]),
    ("duplicate-key-made-unique", "dup.json",
     json.dumps([{"id": "a", "text": "x"}, {"id": "a", "text": "y"}]),
     [("a", "x"), ("a-2", "y")]),
    # Near-miss: a keyless record's position must not collide with another record's real id.
    ("position-key-avoids-real-id", "collide.json",
     json.dumps([{"id": "2", "text": "has id 2"}, {"text": "second, no id"}]),
     [("2", "has id 2"), ("4", "second, no id")]),
    ("html-text-field", "html.json",
     json.dumps({"id": "h", "html": "<p>Приговор</p><p>Суд установил</p>"}, ensure_ascii=False),
     [("h", "Приговор\nСуд установил")]),
    ("utf-8-bom", "bom.json", "\ufeff" + json.dumps({"id": "b", "text": "Ёлка"}, ensure_ascii=False),
     [("b", "Ёлка")]),
]


@pytest.mark.parametrize(("name", "content", "expected"), [c[1:] for c in SHAPE_CASES],
                         ids=[c[0] for c in SHAPE_CASES])
def test_record_shapes(tmp_path: Path, name: str, content: str, expected: list) -> None:
    path = write_raw(tmp_path, content, name)
    assert detect_format(path) == "json"
    docs = extract_file(path)
    assert [(d.record_key, d.text) for d in docs] == expected
    assert all(d.format == "json" for d in docs)


def test_metadata_kept_and_itemid_is_the_key(tmp_path: Path) -> None:
    (doc,) = extract_file(write_json(tmp_path, HUDOC_RECORD))
    assert doc.record_key == "001-103904"
    assert doc.meta["itemid"] == "001-103904"
    assert doc.meta["app_no"] == "2700/10"
    assert doc.meta["date"] == "2011-03-10"
    assert doc.meta["importance"] == 2
    assert doc.meta["articles"] == ["14", "8"]
    assert "full_text" not in doc.meta  # the text is not duplicated into meta
    assert "nested" not in doc.meta     # only scalars and flat lists travel


ERROR_CASES = [
    # (id, file name, content, message fragment)
    ("no-text-field-anywhere", "notext.json",
     json.dumps([{"id": 1, "title": "only a title"}, {"id": 2, "summary": "x"}]),
     "no record with a text field"),
    ("empty-text", "empty.json", json.dumps({"itemid": "001-1", "full_text": ""}), "no text"),
    ("null-text", "null.json", json.dumps({"itemid": "001-1", "full_text": None}), "empty or null"),
    ("whitespace-text", "blank.json", json.dumps({"id": 1, "text": " \u200b\n "}), "no text"),
    ("empty-array", "none.json", "[]", "no record with a text field"),
    ("invalid-json", "bad.json", '{"itemid": "001-1", "full_text": "abc"', "invalid JSON"),
    ("invalid-pretty-json", "bad-pretty.json", '{\n  "id": 1,\n  "text": "x",\n}\n',
     "invalid JSON (line 4)"),
    ("invalid-jsonl-line", "bad.jsonl", '{"id": 1, "text": "a"}\n{"id": 2, "text":\n',
     "invalid JSON (line 2)"),
]


@pytest.mark.parametrize(("name", "content", "fragment"), [c[1:] for c in ERROR_CASES],
                         ids=[c[0] for c in ERROR_CASES])
def test_clear_errors(tmp_path: Path, name: str, content: str, fragment: str) -> None:
    path = write_raw(tmp_path, content, name)
    with pytest.raises(ExtractionError) as info:
        extract_file(path)
    message = str(info.value)
    assert fragment in message
    assert str(path) in message
    assert "\n" not in message


FLATTEN_CASES = [
    # (id, flattened HUDOC string, expected text)
    ("css-preamble-and-nbsp",
     ".s800EAC49 { font-size:12pt } .sFE10DC93 { margin-top:0pt; margin-bottom:0pt; "
     "text-align:center } &#xa0; FIRST SECTION &#xa0;&#xa0; CASE OF X v. RUSSIA &#xa0; "
     "(Application no. 12345/06) &#xa0; 1. &#xa0; The applicant was born in 1970.",
     "FIRST SECTION\n\nCASE OF X v. RUSSIA\n\n(Application no. 12345/06)\n\n"
     "1. The applicant was born in 1970."),
    ("bare-heading-letters-merge",
     ".s1 { font-family:Arial } &#xa0; A. &#xa0; The circumstances &#xa0; (a) &#xa0; Arrest",
     "A. The circumstances\n\n(a) Arrest"),
    ("entities-unescaped",
     ".s1 { color:#ff0000 } &#xa0; Smith &amp; Others v. the United Kingdom &#xa0; &quot;ok&quot;",
     "Smith & Others v. the United Kingdom\n\n\"ok\""),
    ("no-nbsp-just-preamble", ".s1 { font-size:12pt } Plain text &amp; more", "Plain text & more"),
    # Near-misses: a brace inside the judgment text is not a preamble and stays.
    ("brace-in-body-kept", "The set {1, 2} was cited.", "The set {1, 2} was cited."),
    ("brace-after-preamble-kept", ".s1 { font-size:12pt } &#xa0; The set {1, 2} was cited.",
     "The set {1, 2} was cited."),
    ("number-in-sentence-not-merged",
     "&#xa0; The applicant paid 12. &#xa0; Then he left.",
     "The applicant paid 12.\n\nThen he left."),
]


@pytest.mark.parametrize(("flattened", "expected"), [c[1:] for c in FLATTEN_CASES],
                         ids=[c[0] for c in FLATTEN_CASES])
def test_hudoc_flattened_html(flattened: str, expected: str) -> None:
    assert hudoc_flattened_html(flattened) == expected


EDITORIAL_BRACKETS = [
    # (id, full_text, expected text): HUDOC quotes mark editorial insertions with <...>.
    ("angle-brackets-are-not-tags",
     ".s1 { font-size:12pt } &#xa0; Councils can do for <the applicant>; &#xa0; <Translation> "
     "&#xa0; the <Borough> agreed.",
     "Councils can do for <the applicant>;\n\n<Translation>\n\nthe <Borough> agreed."),
    ("french-bracket", "&#xa0; menée par <les requérants>. &#xa0; Fin.",
     "menée par <les requérants>.\n\nFin."),
    # Near-miss: real markup is still parsed as HTML.
    ("real-html-parsed", "<P>Приговор</P><p class='x'>Суд установил</p>", "Приговор\nСуд установил"),
]


@pytest.mark.parametrize(("full_text", "expected"), [c[1:] for c in EDITORIAL_BRACKETS],
                         ids=[c[0] for c in EDITORIAL_BRACKETS])
def test_editorial_brackets_survive(tmp_path: Path, full_text: str, expected: str) -> None:
    (doc,) = extract_file(write_json(tmp_path, dict(HUDOC_RECORD, full_text=full_text)))
    assert doc.text == expected


def test_flattened_record_through_extract(tmp_path: Path) -> None:
    record = dict(HUDOC_RECORD, full_text=FLATTEN_CASES[0][1])
    (doc,) = extract_file(write_json(tmp_path, record))
    assert doc.text == FLATTEN_CASES[0][2]
    assert "{" not in doc.text and "&#xa0;" not in doc.text


# --- the real corpora -------------------------------------------------------------------------

def _corpus(sub: str) -> list[str]:
    return sorted(p.name for p in (SHARED / sub).glob("*.json"))


V_RUSSIA = _corpus("echr/json_v_russia") or ["missing"]


@pytest.mark.parametrize("name", V_RUSSIA)
def test_json_v_russia(shared_corpora: Path, name: str) -> None:
    path = shared_corpora / "echr" / "json_v_russia" / name
    assert path.is_file(), f"{path} missing"
    record = json.loads(path.read_text("utf-8"))
    (doc,) = extract_file(path)
    assert doc.record_key == record["itemid"] == path.stem
    assert doc.meta["itemid"] == record["itemid"]
    assert doc.meta["date"] == record["date"]
    assert "{" not in doc.text[:200], doc.text[:200]
    assert "&#xa0;" not in doc.text
    assert "\ufffd" not in doc.text
    for app_no in filter(None, record["app_no"].split(";")):
        assert app_no in doc.text


ROMA = _corpus("bulk/echr_roma_watch_json")
ROMA_SAMPLE = ROMA[:: max(1, len(ROMA) // 40)][:40] or ["missing"]


def _roma_empty() -> list[str]:
    """Files whose record has no full_text, found from the raw bytes (cheap, no JSON parse)."""
    folder = SHARED / "bulk" / "echr_roma_watch_json"
    empty = [name for name in ROMA
             if re.search(rb'"full_text":\s*(null|"")', (folder / name).read_bytes())]
    return empty or ["missing"]


ROMA_EMPTY = _roma_empty()


def test_roma_readme_says_seven_empty(shared_corpora: Path) -> None:
    assert len(ROMA_EMPTY) == 7, ROMA_EMPTY


@pytest.mark.parametrize("name", ROMA_SAMPLE)
def test_roma_watch_sample(shared_corpora: Path, name: str) -> None:
    path = shared_corpora / "bulk" / "echr_roma_watch_json" / name
    assert path.is_file(), f"{path} missing"
    record = json.loads(path.read_text("utf-8"))
    if not (record.get("full_text") or "").strip():
        with pytest.raises(ExtractionError, match="no text") as info:
            extract_file(path)
        assert str(path) in str(info.value)
        return
    (doc,) = extract_file(path)
    assert doc.record_key == record["itemid"]
    # meta strings are capped (MAX_META_CHARS): a 300-application group keeps its head only.
    assert record["app_no"].startswith(doc.meta["app_no"])
    assert record["app_no"].split(";")[0] in doc.meta["app_no"]
    assert not doc.text.lstrip().startswith("."), doc.text[:200]
    assert "{" not in doc.text[:200], doc.text[:200]
    assert "&#xa0;" not in doc.text
    assert "\n\n" in doc.text  # paragraphs were rebuilt from the nbsp runs


@pytest.mark.parametrize("name", ROMA_EMPTY)
def test_roma_watch_empty_full_text_is_a_clear_error(shared_corpora: Path, name: str) -> None:
    """GIVEN a roma-watch record with null full_text THEN one line naming the file, no crash."""
    path = shared_corpora / "bulk" / "echr_roma_watch_json" / name
    assert path.is_file(), f"{path} missing"
    with pytest.raises(ExtractionError) as info:
        extract_file(path)
    message = str(info.value)
    assert str(path) in message
    assert "empty or null" in message
    assert "\n" not in message
