"""The fictional sample corpus in corpora/: rebuilt byte for byte, every format, real-sized texts.

The corpus is built by tools/build_corpora.py from tools/samples/*.txt; these tests keep the
committed files and their sources in step and check the properties the search demos rely on.
"""

from __future__ import annotations

import re
import json
from pathlib import Path

import pytest

from conftest import ROOT, need
from tools import build_corpora

CORPORA = ROOT / "corpora"
FORMATS = {"pdf", "docx", "html", "rtf", "txt", "json", "jsonl"}

SAMPLES = build_corpora.load_samples()
BY_FORMAT = {}
for _sample in SAMPLES:
    BY_FORMAT.setdefault(_sample.format, []).append(_sample)


def committed(sample) -> bytes:
    return (CORPORA / sample.filename).read_bytes()


def sample_by_id(fragment: str):
    matches = [s for s in SAMPLES if fragment in s.id]
    assert len(matches) == 1, f"expected one sample with {fragment!r} in its id, got {matches}"
    return matches[0]


def documents() -> list[Path]:
    return sorted(p for p in CORPORA.iterdir() if p.is_file() and p.name != "README.md")


def comparable(path: Path) -> object:
    """What two honest builds of a PDF or DOCX share when their bytes cannot: the pages (count,
    size) and the words of each page's text layer, or the words of the document."""
    if path.suffix == ".pdf":
        import pypdfium2

        pdf = pypdfium2.PdfDocument(str(path))
        try:
            return [(tuple(round(x) for x in page.get_size()),
                     " ".join(page.get_textpage().get_text_range().split())) for page in pdf]
        finally:
            pdf.close()
    from pipeline.extract import extract_file

    return [" ".join(doc.text.split()) for doc in extract_file(path)]


def test_rebuild_is_byte_identical(tmp_path: Path) -> None:
    """GIVEN the source texts WHEN built into a fresh folder THEN every file equals corpora/:
    byte for byte with the recorded toolchain (libraries and fonts), else the formats written
    byte by byte still are, and every PDF and DOCX has the same pages and text."""
    missing = build_corpora.missing_fonts()
    need(not missing, f"DejaVu fonts missing ({', '.join(missing)}): install fonts-dejavu-core")
    assert build_corpora.main(["--out", str(tmp_path)]) == 0
    built = {p.name: p.read_bytes() for p in tmp_path.iterdir()}
    ours = {p.name: p.read_bytes() for p in CORPORA.iterdir() if p.is_file()}
    assert sorted(built) == sorted(ours), "run: python -m tools.build_corpora"
    differing = [name for name in built if built[name] != ours[name]]
    recorded = json.loads(build_corpora.TOOLCHAIN_FILE.read_text())
    if recorded != build_corpora.toolchain():
        binary = [n for n in differing if n.endswith((".pdf", ".docx"))]
        print(f"toolchain {build_corpora.toolchain()} differs from {recorded}: "
              f"{len(binary)} PDF/DOCX compared by pages and text")
        differing = [n for n in differing if n not in binary]
        differing += [n for n in binary
                      if comparable(tmp_path / n) != comparable(CORPORA / n)]
    assert not differing, f"stale or non-reproducible files {differing}; rebuild the corpus"


def test_missing_fonts_stop_the_build_with_a_hint(tmp_path, monkeypatch, capsys) -> None:
    monkeypatch.setitem(build_corpora.FONTS, "sans", tmp_path / "absent.ttf")
    assert build_corpora.main(["--out", str(tmp_path / "out")]) == 1
    assert "fonts-dejavu-core" in capsys.readouterr().err


def test_enough_documents_in_every_format() -> None:
    docs = documents()
    assert len(docs) >= 12
    assert FORMATS <= {p.suffix.lstrip(".") for p in docs}
    assert {s.filename for s in SAMPLES} == {p.name for p in docs}


@pytest.mark.parametrize("sample", SAMPLES, ids=lambda s: s.id)
def test_every_source_text_has_800_words(sample) -> None:
    # A JSONL file's records are counted together: each is a short ruling.
    assert sample.words() >= 800


def test_cp1251_txt_with_crlf() -> None:
    data = committed(sample_by_id("prigovor"))
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")
    text = data.decode("cp1251")
    assert "ПРИГОВОР" in text and "ИМЕНЕМ РОССИЙСКОЙ ФЕДЕРАЦИИ" in text
    assert data.count(b"\n") == data.count(b"\r\n") > 10


@pytest.mark.parametrize(
    "fragment, encoding, expected, crlf",
    [
        ("koap_20-2_koi8r", "koi8-r", "ч. 5 ст. 20.2 КоАП РФ", False),
        ("utf8_bom", "utf-8-sig", "Extradition Act 2003", False),
        ("cp1252", "cp1252", "traitements inhumains ou dégradants", True),
    ],
)
def test_legacy_encodings(fragment, encoding, expected, crlf) -> None:
    data = committed(sample_by_id(fragment))
    assert expected in data.decode(encoding)
    assert (b"\r\n" in data) is crlf
    if encoding == "utf-8-sig":
        assert data.startswith(b"\xef\xbb\xbf")
    else:
        with pytest.raises(UnicodeDecodeError):
            data.decode("utf-8")


def test_rtf_is_cp1251_escaped() -> None:
    data = committed(BY_FORMAT["rtf"][0])
    assert data.startswith(b"{\\rtf1\\ansi\\ansicpg1251")
    assert data.isascii() and b"\\'" in data


def test_image_only_pdf_has_no_text_layer() -> None:
    pdfplumber = pytest.importorskip("pdfplumber")
    with pdfplumber.open(CORPORA / BY_FORMAT["pdf-image"][0].filename) as pdf:
        assert len(pdf.pages) == 2
        for page in pdf.pages:
            assert page.chars == [] and len(page.images) == 1
    for sample in BY_FORMAT["pdf"]:  # the other PDFs do have text, a running header, numbers
        with pdfplumber.open(CORPORA / sample.filename) as pdf:
            assert len(pdf.pages) >= 3
            second = pdf.pages[1].extract_text()
            assert sample.meta["running_header"] in second and second.rstrip().endswith("2")


def test_case_number_traps() -> None:
    """1-123/2020 only in the sentence; the sudrf page has 1-124/2020 and a bare 123."""
    sentence = committed(sample_by_id("prigovor")).decode("cp1251")
    assert "1-123/2020" in sentence and "1-124/2020" not in sentence
    page = committed(sample_by_id("sudrf")).decode("utf-8")
    assert "charset=windows-1251" in page
    assert "1-124/2020" in page and "1-123/2020" not in page
    assert re.search(r"(?<![\d/-])123(?![\d/-])", page)
    others = [s for s in SAMPLES if "prigovor" not in s.id and s.format not in ("docx", "pdf")]
    for sample in others:
        assert b"1-123/2020" not in committed(sample), sample.filename


def test_application_number_in_heading_and_cited_elsewhere() -> None:
    docx = pytest.importorskip("docx")
    judgment = docx.Document(str(CORPORA / sample_by_id("zarechnev").filename))
    heading = "\n".join(p.text for p in judgment.paragraphs[:5])
    assert "(Application no. 41234/15)" in heading
    citing = [s.id for s in SAMPLES if "zarechnev" not in s.id and "41234/15" in s.body]
    assert len(citing) >= 2


def test_torture_vocabulary_across_languages() -> None:
    russian = " ".join(s.body for s in SAMPLES if s.meta["language"].startswith("ru"))
    forms = set(re.findall(r"\bпыт(?:ка|ки|ок|кам|кой|ку|ках)\b", russian.lower()))
    assert {"пытки", "пыток", "пыткам", "пыткой"} <= forms
    english = " ".join(s.body for s in SAMPLES if s.meta["language"] == "en")
    assert "torture" in english and "tortured" in english
    french = " ".join(s.body for s in SAMPLES if s.meta["language"] == "fr")
    assert "torture" in french and "traitements inhumains" in french


def test_readme_says_fictional_and_lists_every_file() -> None:
    readme = (CORPORA / "README.md").read_text(encoding="utf-8")
    assert "fictional" in readme.lower()
    assert "python -m tools.build_corpora" in readme
    for sample in SAMPLES:
        assert sample.filename in readme
