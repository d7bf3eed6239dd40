"""RTF extraction: code pages, unicode escapes, disguised and hostile files.

All RTF here is written by hand in ``tmp_path``: the shared corpora hold no RTF, and court
systems' RTF is short enough to reproduce the features that matter (\\ansicpg, \\'xx, \\uN).
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from pipeline.errors import ExtractionError
from pipeline.extract import detect_format, extract_file
from pipeline.extract.base import MAGIC
from pipeline.extract.rtf import RtfExtractor


def hex_escape(text: str, encoding: str) -> bytes:
    r"""Text as RTF ``\'xx`` escapes in ``encoding`` (ASCII left as is)."""
    out = []
    for byte in text.encode(encoding):
        out.append(bytes([byte]) if byte < 128 else b"\\'%02x" % byte)
    return b"".join(out)


def unicode_escape(text: str) -> bytes:
    r"""Text as RTF ``\uN?`` escapes (signed 16-bit, as Word writes them)."""
    out = []
    for ch in text:
        code = ord(ch)
        if code < 128:
            out.append(ch.encode())
        else:
            out.append(b"\\u%d?" % (code - 0x10000 if code > 0x7FFF else code))
    return b"".join(out)


HEADER_1251 = rb"{\rtf1\ansi\ansicpg1251\deff0{\fonttbl{\f0\fswiss\fcharset204 Arial;}}\f0\fs24 "
HEADER_PLAIN = rb"{\rtf1\ansi\deff0{\fonttbl{\f0\froman Times New Roman;}}\f0\fs24 "

RTF_CASES = [
    # (id, RTF bytes, expected text, expected meta encoding)
    ("ansicpg1251-hex",
     HEADER_1251 + hex_escape("ПРИГОВОР", "cp1251") + rb"\par "
     + hex_escape("Суд установил: № 1-23/2020, ст. 158 УК РФ.", "cp1251") + rb"\par}",
     "ПРИГОВОР\nСуд установил: № 1-23/2020, ст. 158 УК РФ.", "cp1251"),
    ("ansicpg1251-quotes-dash",
     HEADER_1251 + hex_escape("«Кавычки» — тире; ёлка", "cp1251") + rb"\par}",
     "«Кавычки» — тире; ёлка", "cp1251"),
    ("fcharset204-without-ansicpg",
     HEADER_PLAIN.replace(rb"\froman", rb"\froman\fcharset204") + hex_escape("Суд", "cp1251")
     + rb"\par}", "Суд", "cp1252"),
    ("unicode-escapes",
     HEADER_PLAIN + unicode_escape("Приговор № 1-23/2020 — «вступил»") + rb"\par}",
     "Приговор № 1-23/2020 — «вступил»", "cp1252"),
    ("unicode-escapes-uc0",
     # The first space after a control word is its delimiter, so two spaces give one.
     HEADER_PLAIN + rb"\uc0 \u1057\u1091\u1076  ok\par}", "Суд ok", "cp1252"),
    ("unicode-delimiter-space-eaten",
     HEADER_PLAIN + rb"\uc0 \u1057\u1091\u1076 ok\par}", "Судok", "cp1252"),
    ("unicode-negative",
     HEADER_PLAIN + rb"dash\u-8174?ok\par}", "dash\ue012ok", "cp1252"),
    ("cp1252-default",
     HEADER_PLAIN + hex_escape("L’État a manqué à ses obligations “au sens” de l’article 6 § 1.",
                               "cp1252") + rb"\par}",
     "L’État a manqué à ses obligations “au sens” de l’article 6 § 1.", "cp1252"),
    ("cp1252-explicit",
     rb"{\rtf1\ansi\ansicpg1252 S\'f8ren M\'fcller v. Denmark\par}",
     "Søren Müller v. Denmark", "cp1252"),
    ("paragraphs-and-tabs",
     HEADER_PLAIN + rb"FIRST SECTION\par\par\par\par CASE OF X v. RUSSIA\tab (Application no. 1/06)\par}",
     "FIRST SECTION\n\nCASE OF X v. RUSSIA (Application no. 1/06)", "cp1252"),
    ("bom-before-header",
     b"\xef\xbb\xbf" + HEADER_PLAIN + rb"Hello\par}", "Hello", "cp1252"),
    ("raw-8bit-in-declared-page",
     rb"{\rtf1\ansi\ansicpg1251 " + "Суд установил".encode("cp1251") + rb"\par}",
     "Суд установил", "cp1251"),
    # Near-misses: what must not leak into the text.
    ("font-and-color-tables-hidden",
     rb"{\rtf1\ansi{\fonttbl{\f0 Arial;}}{\colortbl;\red255\green0\blue0;}\f0 Body\par}",
     "Body", "cp1252"),
    ("ignorable-destination-hidden",
     HEADER_PLAIN + rb"{\*\generator Riched20 10.0;}{\info{\author Clerk}}Body\par}",
     "Body", "cp1252"),
    ("controls-stripped",
     HEADER_PLAIN + rb"A\u8238?B\u8207?C\u0?D\par}", "ABCD", "cp1252"),
]


@pytest.mark.parametrize(("data", "expected", "encoding"), [c[1:] for c in RTF_CASES],
                         ids=[c[0] for c in RTF_CASES])
def test_rtf(tmp_path: Path, data: bytes, expected: str, encoding: str) -> None:
    path = tmp_path / "ruling.rtf"
    path.write_bytes(data)
    docs = extract_file(path)
    assert len(docs) == 1
    assert docs[0].format == "rtf"
    assert docs[0].text == expected
    assert docs[0].meta["encoding"] == encoding


@pytest.mark.parametrize(("name", "head", "score"), [
    ("a.rtf", rb"{\rtf1\ansi hi}", MAGIC),
    ("a.doc", rb"{\rtf1\ansi hi}", MAGIC),
    ("a", b"\r\n  {\\rtf1 hi}", MAGIC),
    ("a.txt", b"\xef\xbb\xbf{\\rtf1 hi}", MAGIC),
    # Near-misses: "rtf" quoted in text, or an .rtf name without the header, is not magic.
    ("a.txt", rb"see {\rtf1 in the manual", 0),
    ("a.rtf", b"plain text named rtf", 10),
])
def test_match(name: str, head: bytes, score: int) -> None:
    assert RtfExtractor.match(Path(name), head) == score


def test_doc_that_is_really_rtf(tmp_path: Path) -> None:
    """GIVEN an RTF saved with a .doc name (common from court systems) THEN it is read as RTF."""
    path = tmp_path / "prigovor.doc"
    path.write_bytes(HEADER_1251 + hex_escape("Приговор суда", "cp1251") + rb"\par}")
    assert detect_format(path) == "rtf"
    docs = extract_file(path)
    assert docs[0].format == "rtf"
    assert docs[0].text == "Приговор суда"


def test_rtf_name_without_header_is_a_clear_error(tmp_path: Path) -> None:
    """GIVEN text saved as .rtf THEN the .rtf name wins over the weak text guess, and says so."""
    path = tmp_path / "fake.rtf"
    path.write_bytes(b"this is not rtf at all")
    assert detect_format(path) == "rtf"
    with pytest.raises(ExtractionError, match="not an RTF file") as info:
        extract_file(path)
    assert str(path) in str(info.value)


def test_rtf_without_text(tmp_path: Path) -> None:
    path = tmp_path / "empty.rtf"
    path.write_bytes(rb"{\rtf1\ansi{\fonttbl{\f0 Times;}}}")
    with pytest.raises(ExtractionError, match="no text") as info:
        extract_file(path)
    assert str(path) in str(info.value)


MALFORMED = [
    # (id, bytes, the text expected if it does not error)
    ("unclosed-groups", rb"{\rtf1\ansi Hello {\b bold world\par", "Hello bold world"),
    ("extra-closing-braces", rb"{\rtf1\ansi Hello}} world}\par}", "Hello"),
    ("truncated-hex-escape", rb"{\rtf1\ansi caf\'e", "caf"),
    ("truncated-unicode", rb"{\rtf1\ansi Suit\u10", "Suit"),
    ("binary-after-header", b"{\\rtf1\\ansi Text \xff\xfe\x00\x01\x02 more}", None),
    ("header-only", rb"{\rtf1", None),
]


@pytest.mark.parametrize(("data", "expected"), [c[1:] for c in MALFORMED],
                         ids=[c[0] for c in MALFORMED])
def test_malformed_rtf_gives_text_or_clear_error(tmp_path: Path, data: bytes,
                                                 expected: str | None) -> None:
    """Never a library traceback: either some text, or one line naming the file."""
    path = tmp_path / "broken.rtf"
    path.write_bytes(data)
    try:
        docs = extract_file(path)
    except ExtractionError as exc:
        message = str(exc)
        assert str(path) in message
        assert "\n" not in message
        assert expected is None, f"expected text {expected!r}, got error {message}"
    else:
        assert docs and docs[0].text
        if expected is not None:
            assert docs[0].text.startswith(expected)


@pytest.mark.parametrize(("data", "label"), [
    (b"{\\rtf1\\ansi " + b"{" * 100_000 + b"deep" + b"}" * 100_000 + b"}", "balanced"),
    (b"{\\rtf1\\ansi " + b"{" * 100_000 + b"deep", "unclosed"),
    (b"{\\rtf1\\ansi " + b"{\\b " * 50_000 + b"x" + b"}" * 50_000 + b"}", "control-words"),
])
def test_pathological_nesting_finishes(tmp_path: Path, data: bytes, label: str) -> None:
    """GIVEN 100k nested groups WHEN extracted THEN done (text or a clear error) within seconds."""
    path = tmp_path / f"deep-{label}.rtf"
    path.write_bytes(data)
    started = time.monotonic()
    try:
        docs = extract_file(path)
    except ExtractionError as exc:
        assert str(path) in str(exc)
    else:
        assert docs[0].text in ("deep", "x")
    assert time.monotonic() - started < 5
