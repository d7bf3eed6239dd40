"""The picker: magic bytes first, extension second, a one-line error for what nobody reads.

Each row is ``(bytes at the head of the file, file name) -> detect_format``; the files are
written in ``tmp_path``. Near-misses (magic too far in, text that merely quotes a signature)
sit next to the hits they resemble.
"""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import docx
import pytest

from pipeline.errors import ExtractionError, UnsupportedFormat
from pipeline.extract import detect_format, extract_file

OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
PNG = b"\x89PNG\r\n\x1a\n"
RANDOM = bytes((i * 37 + 11) % 256 for i in range(4096))  # deterministic "random" binary
TEXT = "Суд установил, что подсудимый совершил кражу. Application no. 12345/06.\n".encode()


def plain_zip() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("readme.txt", "not a word document")
        zf.writestr("data/rulings.csv", "id,text\n1,x\n")
    return buf.getvalue()


def odt_zip() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.text")
        zf.writestr("content.xml", "<office:document-content/>")
    return buf.getvalue()


def real_docx() -> bytes:
    document = docx.Document()
    document.add_paragraph("CASE OF X v. RUSSIA")
    document.add_paragraph("(Application no. 12345/06)")
    buf = io.BytesIO()
    document.save(buf)
    return buf.getvalue()


PICK_CASES = [
    # (id, head bytes, file name, expected detect_format)
    ("pdf-at-0", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "ruling.pdf", "pdf"),
    ("pdf-at-0-no-ext", b"%PDF-1.4\n", "download", "pdf"),
    ("pdf-after-junk-bin", b"\r\n" + b"HTTP junk \x00\x01" * 60 + b"%PDF-1.5\n", "scan.bin", "pdf"),
    ("pdf-after-bom-txt", b"\xef\xbb\xbf%PDF-1.4\n", "misnamed.txt", "pdf"),
    # Near-miss: "%PDF-" quoted in a text file past the 1 KiB window is just text.
    ("pdf-magic-too-far", b"x" * 2000 + b" see %PDF-1.4 spec", "notes.txt", "txt"),
    ("docx-real", None, "judgment.docx", "docx"),
    ("docx-real-no-ext", None, "judgment", "docx"),
    ("docx-real-named-doc", None, "judgment.doc", "docx"),
    ("zip-plain", plain_zip(), "archive.zip", "zip"),
    ("zip-plain-named-docx", plain_zip(), "fake.docx", "docx"),  # docx module then says "not a Word"
    ("odt", odt_zip(), "ruling.odt", "odt"),
    ("rtf-named-doc", rb"{\rtf1\ansi\ansicpg1251 hello}", "prigovor.doc", "rtf"),
    ("rtf-named-rtf", rb"{\rtf1\ansi hello}", "prigovor.rtf", "rtf"),
    ("ole2-named-doc", OLE2 + b"\x00" * 504, "old.doc", "doc"),
    ("ole2-no-ext", OLE2 + b"\x00" * 504, "old", "doc"),
    ("wordperfect", b"\xffWPC\x10\x00\x00\x00\x01\x0a", "brief.wpd", "wpd"),
    ("wordperfect-bin", b"\xffWPC\x10\x00\x00\x00\x01\x0a", "brief.bin", "wpd"),
    ("png", PNG + b"\x00\x00\x00\rIHDR", "scan.png", "image"),
    ("png-named-pdf", PNG + b"\x00\x00\x00\rIHDR", "scan.pdf", "image"),
    ("jpeg", b"\xff\xd8\xff\xe0\x00\x10JFIF\x00", "photo.jpg", "image"),
    ("tiff", b"II*\x00\x08\x00\x00\x00", "fax.tif", "image"),
    ("html-named-txt", b"<!DOCTYPE html><html><body><p>Ruling</p></body></html>", "page.txt", "html"),
    ("html-lowercase-bom", b"\xef\xbb\xbf  <html><head></head></html>", "page", "html"),
    ("json-object", json.dumps({"itemid": "001-1", "full_text": "x"}).encode(), "rec.json", "json"),
    ("json-array", b'[{"text": "x"}]', "recs.json", "json"),
    ("jsonl", b'{"text": "a"}\n{"text": "b"}\n', "recs.jsonl", "json"),
    ("json-object-no-ext", b'{"itemid": "001-1", "full_text": "x"}', "record", "json"),
    # Near-miss: a JSON-looking array with no .json name is not claimed by the JSON module.
    ("brackets-text-no-ext", b"[1] The applicant was born in 1970.", "note", "txt"),
    ("text-no-ext", TEXT, "prigovor", "txt"),
    ("text-cp1251-no-ext", TEXT.decode().encode("cp1251"), "prigovor", "txt"),
    ("text-utf16-bom", b"\xff\xfe" + TEXT.decode().encode("utf-16-le"), "prigovor.txt", "txt"),
    ("text-unknown-ext", TEXT, "prigovor.xyz", "txt"),
    # Near-miss: text that quotes an RTF header mid-line is still text.
    ("text-quoting-rtf", b"Files start with {\\rtf1 as the spec says.", "howto.txt", "txt"),
]


@pytest.mark.parametrize(("head", "name", "expected"), [c[1:] for c in PICK_CASES],
                         ids=[c[0] for c in PICK_CASES])
def test_detect_format(tmp_path: Path, head: bytes | None, name: str, expected: str) -> None:
    path = tmp_path / name
    path.write_bytes(real_docx() if head is None else head)
    assert detect_format(path) == expected


def test_docx_built_with_python_docx_extracts(tmp_path: Path) -> None:
    path = tmp_path / "judgment.bin"
    path.write_bytes(real_docx())
    (doc,) = extract_file(path)
    assert doc.format == "docx"
    assert "(Application no. 12345/06)" in doc.text


UNREADABLE = [
    # (id, bytes, file name, exception type, words the one-line message must contain)
    ("random-binary-xyz", RANDOM, "blob.xyz", UnsupportedFormat, ["unsupported format"]),
    ("random-binary-no-ext", RANDOM, "blob", UnsupportedFormat, ["unsupported format"]),
    ("ole2-doc", OLE2 + b"\x00" * 504, "old.doc", UnsupportedFormat, ["DOCX"]),
    ("wpd", b"\xffWPC\x10\x00\x00\x00", "brief.wpd", UnsupportedFormat, ["WordPerfect", "DOCX"]),
    ("png", PNG + b"\x00" * 32, "scan.png", UnsupportedFormat, ["image", "PDF"]),
    ("zip", plain_zip(), "archive.zip", UnsupportedFormat, ["zip"]),
    ("empty", b"", "empty.pdf", ExtractionError, ["empty file"]),
]


@pytest.mark.parametrize(("data", "name", "error", "words"), [c[1:] for c in UNREADABLE],
                         ids=[c[0] for c in UNREADABLE])
def test_unreadable_files_give_one_line(tmp_path: Path, data: bytes, name: str,
                                        error: type[Exception], words: list[str]) -> None:
    path = tmp_path / name
    path.write_bytes(data)
    with pytest.raises(error) as info:
        extract_file(path)
    message = str(info.value)
    assert message.startswith(str(path))
    assert "\n" not in message
    for word in words:
        assert word in message


def test_random_binary_detect_format_raises(tmp_path: Path) -> None:
    path = tmp_path / "blob.xyz"
    path.write_bytes(RANDOM)
    with pytest.raises(UnsupportedFormat, match="blob.xyz"):
        detect_format(path)


def test_missing_file_is_an_extraction_error(tmp_path: Path) -> None:
    path = tmp_path / "gone.pdf"
    with pytest.raises(ExtractionError, match="gone.pdf"):
        detect_format(path)


@pytest.mark.parametrize(("name", "expected", "advice"), [
    ("word-doc.doc", "doc", "DOCX"),
    ("word-perfect.wpd", "wpd", "DOCX"),
])
def test_real_unsupported_files(shared_corpora: Path, name: str, expected: str, advice: str) -> None:
    path = shared_corpora / "other" / "us_doctor" / name
    assert detect_format(path) == expected
    with pytest.raises(UnsupportedFormat) as info:
        extract_file(path)
    assert advice in str(info.value)
    assert str(path) in str(info.value)


@pytest.mark.parametrize(("name", "expected"), [
    ("word-docx.docx", "docx"),
    ("missouri.pdf", "pdf"),      # bytes before %PDF (README quirk)
    ("broken-mime.pdf", "pdf"),   # CRLF before %PDF
])
def test_real_files_with_quirky_heads(shared_corpora: Path, name: str, expected: str) -> None:
    assert detect_format(shared_corpora / "other" / "us_doctor" / name) == expected
