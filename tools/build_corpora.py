"""Build the fictional sample corpus (``corpora/``) from the source texts in ``tools/samples/``.

Every document in ``corpora/`` is invented by the project: people, courts' case numbers, towns
("Ensk", "Энск") and facts. Real ECtHR precedents are only cited by name, as any lawyer would.

Each source text is UTF-8 with a front-matter block that says what to build::

    ---
    id: ru_prigovor_286_uk_cp1251     output file stem
    format: txt                       docx | pdf | pdf-image | html | html-sudrf | rtf | txt |
                                      json | jsonl
    language: ru
    encoding: cp1251                  bytes on disk (html-sudrf: real bytes; see declared_charset)
    newline: crlf                     crlf | lf (txt, rtf)
    demonstrates: ...                 one line for corpora/README.md
    ---

The body is one paragraph per line. A few line prefixes carry the layout: ``# `` title,
``## `` heading, ``### `` subheading, ``^ `` centred, ``> `` right-aligned, ``| a | b |`` a table
row, ``=== page ===`` a page break. In a JSONL body, ``%%% record`` starts a record; the
``key: value`` lines up to the next blank line are its fields and the paragraphs after it its text.
Front-matter keys ``field.<name>`` become the fields of a JSON record, in order.

The output is byte-for-byte reproducible on one machine: fixed dates in PDF and DOCX metadata,
fixed zip entry times and order, and a seeded generator for the specks of the simulated scan.
(Pillow, FreeType, zlib and fpdf2 versions may change the bytes of PDF and DOCX files.)

Usage::

    python -m tools.build_corpora             # writes corpora/
    python -m tools.build_corpora --out DIR   # writes DIR/
"""

from __future__ import annotations

import argparse
import html
import io
import json
import random
import re
import sys
import zipfile
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Callable

from tools.paths import SAMPLE_CORPORA

SAMPLES = Path(__file__).resolve().parent / "samples"
DEFAULT_OUT = SAMPLE_CORPORA

FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")
FONTS = {
    "sans": FONT_DIR / "DejaVuSans.ttf",
    "sans-bold": FONT_DIR / "DejaVuSans-Bold.ttf",
    "serif": FONT_DIR / "DejaVuSerif.ttf",
    "serif-bold": FONT_DIR / "DejaVuSerif-Bold.ttf",
}
FONT_HINT = (
    "the DejaVu fonts are missing ({missing}); install the Debian package fonts-dejavu-core "
    "(apt-get install fonts-dejavu-core) and run the build again"
)

AUTHOR = "precedents sample corpus"
#: Every timestamp written into a built file. A fixed instant keeps rebuilds byte-identical.
FIXED_TIME = datetime(2020, 1, 1, 0, 0, 0, tzinfo=timezone.utc)
ZIP_TIME = (2020, 1, 1, 0, 0, 0)

#: A word is a whitespace-separated token with at least one letter ("ст." yes, "41234/15" no).
WORD = re.compile(r"\S*[^\W\d_]\S*")


class BuildError(Exception):
    """A source text cannot be built as its front matter asks."""


# --------------------------------------------------------------------------------------------
# Source texts
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Block:
    """One unit of layout: a paragraph of some kind, a table or a page break."""

    kind: str  # title | heading | subheading | center | right | para | table | page
    text: str = ""
    rows: tuple[tuple[str, ...], ...] = ()


@dataclass
class Record:
    """One record of a JSONL file: its fields and its text blocks."""

    fields: dict[str, str]
    blocks: list[Block]


@dataclass
class Sample:
    """A source text from tools/samples: its front matter and body."""

    path: Path
    meta: dict[str, str]
    body: str
    records: list[Record] = field(default_factory=list)

    @property
    def id(self) -> str:
        return self.meta["id"]

    @property
    def format(self) -> str:
        return self.meta["format"]

    @property
    def filename(self) -> str:
        return f"{self.id}.{RENDERERS[self.format][0]}"

    def blocks(self) -> list[Block]:
        return parse_blocks(self.body)

    def words(self) -> int:
        """Words of running text (front matter and JSONL record fields not counted)."""
        if self.format == "jsonl":
            return sum(len(WORD.findall(plain_text(r.blocks))) for r in self.records)
        return len(WORD.findall(plain_text(self.blocks())))


_FRONT = re.compile(r"\A---\n(.*?)\n---\n", re.S)
_META_LINE = re.compile(r"^([A-Za-z_][\w.\-]*):\s?(.*)$")


def parse_meta_lines(lines: list[str], where: str) -> dict[str, str]:
    meta: dict[str, str] = {}
    for line in lines:
        match = _META_LINE.match(line)
        if not match:
            raise BuildError(f"{where}: not a 'key: value' line: {line!r}")
        meta[match.group(1)] = match.group(2).strip()
    return meta


def load_sample(path: Path) -> Sample:
    """Read one source text: front matter, body, and JSONL records if any."""
    text = path.read_text(encoding="utf-8").replace("\r\n", "\n")
    match = _FRONT.match(text)
    if not match:
        raise BuildError(f"{path}: no front matter (a block between two '---' lines)")
    meta = parse_meta_lines(match.group(1).splitlines(), str(path))
    for key in ("id", "format", "language", "encoding"):
        if key not in meta:
            raise BuildError(f"{path}: front matter lacks '{key}'")
    if meta["format"] not in RENDERERS:
        raise BuildError(f"{path}: unknown format {meta['format']!r}")
    sample = Sample(path=path, meta=meta, body=text[match.end():])
    if sample.format == "jsonl":
        sample.records = parse_records(sample.body, str(path))
    return sample


def load_samples(directory: Path = SAMPLES) -> list[Sample]:
    """All source texts, sorted by file name so the build order never depends on the disk."""
    paths = sorted(p for p in directory.iterdir() if p.suffix in (".txt", ".md"))
    samples = [load_sample(p) for p in paths]
    names = [s.filename for s in samples]
    duplicates = {n for n in names if names.count(n) > 1}
    if duplicates:
        raise BuildError(f"two source texts build the same file: {sorted(duplicates)}")
    return samples


_TABLE_ROW = re.compile(r"^\|(.*)\|\s*$")


def parse_blocks(body: str) -> list[Block]:
    """The layout blocks of a body: one paragraph a line, table rows grouped into tables."""
    blocks: list[Block] = []
    rows: list[tuple[str, ...]] = []
    for raw in body.split("\n"):
        line = raw.strip()
        row = _TABLE_ROW.match(line)
        if row:
            rows.append(tuple(cell.strip() for cell in row.group(1).split("|")))
            continue
        if rows:
            blocks.append(Block("table", rows=tuple(rows)))
            rows = []
        if not line:
            continue
        if line == "=== page ===":
            blocks.append(Block("page"))
        elif line.startswith("### "):
            blocks.append(Block("subheading", line[4:]))
        elif line.startswith("## "):
            blocks.append(Block("heading", line[3:]))
        elif line.startswith("# "):
            blocks.append(Block("title", line[2:]))
        elif line.startswith("^ "):
            blocks.append(Block("center", line[2:]))
        elif line.startswith("> "):
            blocks.append(Block("right", line[2:]))
        else:
            blocks.append(Block("para", line))
    if rows:
        blocks.append(Block("table", rows=tuple(rows)))
    return blocks


def parse_records(body: str, where: str) -> list[Record]:
    """JSONL records: '%%% record', 'key: value' lines, a blank line, then the text."""
    chunks = re.split(r"^%%% record[ \t]*\n", body, flags=re.M)
    if chunks[0].strip():
        raise BuildError(f"{where}: text before the first '%%% record'")
    records = []
    for chunk in chunks[1:]:
        head, _, text = chunk.partition("\n\n")
        fields = parse_meta_lines([l for l in head.splitlines() if l.strip()], where)
        records.append(Record(fields=fields, blocks=parse_blocks(text)))
    return records


def table_line(row: tuple[str, ...]) -> str:
    return "\t".join(row)


def plain_paragraphs(blocks: list[Block]) -> list[str]:
    """The blocks as plain paragraphs (a table row is one paragraph, cells split by tabs)."""
    out: list[str] = []
    for block in blocks:
        if block.kind == "table":
            out.extend(table_line(r) for r in block.rows)
        elif block.kind != "page":
            out.append(block.text)
    return out


def plain_text(blocks: list[Block]) -> str:
    return "\n".join(plain_paragraphs(blocks))


# --------------------------------------------------------------------------------------------
# Encodings
# --------------------------------------------------------------------------------------------

#: Stand-ins for typography a legacy code page lacks (KOI8-R has no «», № or dashes). Any other
#: character the code page cannot hold stops the build: the source text must be fixed.
FALLBACKS = {
    "«": '"', "»": '"', "„": '"', "“": '"', "”": '"', "’": "'",
    "—": "-", "–": "-", "№": "N", "…": "...", "\u00a0": " ",
}


def encode(text: str, encoding: str, where: str) -> bytes:
    """Encode strictly, replacing only the characters in FALLBACKS that the code page lacks."""
    missing = set()
    for ch in set(text):
        try:
            ch.encode(encoding)
        except UnicodeEncodeError:
            missing.add(ch)
    for ch in sorted(missing):
        if ch not in FALLBACKS:
            raise BuildError(f"{where}: {ch!r} (U+{ord(ch):04X}) cannot be written in {encoding}")
        text = text.replace(ch, FALLBACKS[ch])
    return text.encode(encoding)


def newline_of(sample: Sample) -> str:
    value = sample.meta.get("newline", "lf")
    if value not in ("lf", "crlf"):
        raise BuildError(f"{sample.path}: newline must be lf or crlf, not {value!r}")
    return "\r\n" if value == "crlf" else "\n"


# --------------------------------------------------------------------------------------------
# Renderers: Sample -> bytes
# --------------------------------------------------------------------------------------------


def render_txt(sample: Sample) -> bytes:
    """Plain text. layout 'lines': a paragraph a line (Russian court exports); else blank lines."""
    paragraphs = plain_paragraphs(sample.blocks())
    gap = "" if sample.meta.get("layout") == "lines" else "\n"
    text = ("\n" + gap).join(paragraphs) + "\n"
    return encode(text.replace("\n", newline_of(sample)), sample.meta["encoding"], str(sample.path))


def render_json(sample: Sample) -> bytes:
    """One HUDOC-style record: the field.* front-matter keys, then full_text."""
    record: dict[str, str] = {}
    for key, value in sample.meta.items():
        if key.startswith("field."):
            record[key[len("field."):]] = value
    record["full_text"] = "\n".join(plain_paragraphs(sample.blocks()))
    text = json.dumps(record, ensure_ascii=False, indent=2) + "\n"
    return encode(text, sample.meta["encoding"], str(sample.path))


def render_jsonl(sample: Sample) -> bytes:
    """One JSON object a line; the record's text goes in 'text' after its fields."""
    lines = []
    for record in sample.records:
        obj = dict(record.fields)
        obj["text"] = "\n".join(plain_paragraphs(record.blocks))
        lines.append(json.dumps(obj, ensure_ascii=False))
    return encode("\n".join(lines) + "\n", sample.meta["encoding"], str(sample.path))


# ---- HTML ---------------------------------------------------------------------------------

_HTML_STYLE = """body { font-family: "Times New Roman", serif; max-width: 48em; margin: 2em auto; }
h1, h2, .center { text-align: center; }
h1 { font-size: 1.3em; } h2 { font-size: 1.1em; } h3 { font-size: 1em; font-style: italic; }
p { text-align: justify; } .right { text-align: right; }
table { border-collapse: collapse; } td { border: 1px solid #444; padding: 0.2em 0.5em; }"""


def html_blocks(blocks: list[Block], para: Callable[[str, str], str]) -> list[str]:
    out = []
    tags = {"title": "h1", "heading": "h2", "subheading": "h3"}
    for block in blocks:
        if block.kind in tags:
            tag = tags[block.kind]
            out.append(f"<{tag}>{html.escape(block.text, quote=False)}</{tag}>")
        elif block.kind == "table":
            out.append("<table>")
            for row in block.rows:
                cells = "".join(f"<td>{html.escape(c, quote=False)}</td>" for c in row)
                out.append(f"<tr>{cells}</tr>")
            out.append("</table>")
        elif block.kind in ("center", "right", "para"):
            out.append(para(block.kind, block.text))
    return out


def render_html(sample: Sample) -> bytes:
    """A plain, well-formed page: the kind of HTML a court's publication system exports."""
    meta = sample.meta

    def para(kind: str, text: str) -> str:
        cls = "" if kind == "para" else f' class="{kind}"'
        return f"<p{cls}>{html.escape(text, quote=False)}</p>"

    body = "\n".join(html_blocks(sample.blocks(), para))
    page = f"""<!DOCTYPE html>
<html lang="{meta['language']}">
<head>
<meta charset="{meta['encoding']}">
<title>{html.escape(meta.get('title', meta['id']))}</title>
<meta name="generator" content="{AUTHOR}">
<style>
{_HTML_STYLE}
</style>
</head>
<body>
<div class="document">
{body}
</div>
</body>
</html>
"""
    return encode(page, meta["encoding"], str(sample.path))


_FIO = re.compile(r"(ФИО\d+|Потерпевший №\s?\d+|Свидетель №\s?\d+)")
_REDACTED = re.compile(r"(&lt;(?:данные изъяты|адрес|дата)&gt;|ДД\.ММ\.ГГГГ)")

_SUDRF_PAGE = """<!DOCTYPE html>
\t<html class=' adopt '>
\t<head>
   <meta http-equiv='Content-Type' content='text/html; charset={declared}'>
   <TITLE>{court}</TITLE>
   <meta http-equiv='X-UA-Compatible' content='IE=edge'>
   <meta name='viewport' content='width=device-width, initial-scale=1.0'>
   <link rel="stylesheet" href="/themes/mobile/style/style.css">
   <script src="/themes/mobile/JS/jquery-1.12.4.min.js"></script>
\t<script>function index_docs(a, b) {{ return false; }}</script>
\t</head>
<body>
<div id="adopt_block"><a href="/modules.php?name=special">Версия для слабовидящих</a></div>
<div id="header">
  <div class="court-logo"><img src="/themes/mobile/img/gerb.png" alt="Герб"></div>
  <div class="court-name">{court}</div>
  <div id="addrblock">{address}<br>Телефон: (8000) 00-00-00 &nbsp; E-mail: oblsud@example.invalid</div>
</div>
<div class="menu" id="topmenu">
  <ul>
    <li class="menu__item"><a href="/">Главная</a></li>
    <li class="menu__item"><a href="/modules.php?name=info_court">Общая информация</a></li>
    <li class="menu__item"><a href="/modules.php?name=sud_delo">Судебное делопроизводство</a></li>
    <li class="menu__item"><a href="/modules.php?name=press_dep">Пресс-служба</a></li>
    <li class="menu__item"><a href="/modules.php?name=docum_sud">Документы суда</a></li>
    <li class="menu__item"><a href="/modules.php?name=obr">Обращения граждан</a></li>
    <li class="menu__item"><a href="/modules.php?name=contacts">Контакты</a></li>
  </ul>
</div>
<div id="search"><form action="/modules.php"><input type="text" name="search" value="Поиск по сайту"><input type="submit" value="Найти"></form></div>
<div id="content">
<div class="breadcrumbs"><a href="/">Главная</a> / <a href="/modules.php?name=sud_delo">Судебное делопроизводство</a> / Уголовные дела — апелляция</div>
<h2 class="heading heading_caps heading_center">Информация по делу</h2>
<div id="modSdpContent">
<ul class="tabs">
<li id="tab_id_1"><a href="#" onclick="return false;">&nbsp;ДЕЛО&nbsp;</a></li>
<li id="tab_id_2"><a href="#" onclick="return false;">&nbsp;ДВИЖЕНИЕ ДЕЛА&nbsp;</a></li>
<li id="tab_id_3"><a href="#" onclick="return false;">&nbsp;СТОРОНЫ&nbsp;</a></li>
<li id="tab_id_4" class="sel"><a href="#" onclick="return false;">&nbsp;СУДЕБНЫЕ АКТЫ&nbsp;</a></li>
</ul>
<div id="cont1" style="display: none; padding: 0px 15px 15px;"><table id="tablcont">
{card}
</table></div>
<div id="cont2" style="display: none; padding: 0 15px 15px 15px;"><table id="tablcont">
{moves}
</table></div>
<div id="cont3" style="display: none; padding: 0 15px 15px 15px;"><table id="tablcont">
{parties}
</table></div>
<div id="cont4" style="display: block; padding: 0 15px 15px 15px;"><ul class="tabs"><li id="tab_doc1" class="sel"><a href="#" onclick="index_docs(1, 1); return false;">&nbsp;Судебный акт #1 ({act_kind})&nbsp;</a></li></ul><div class="contentt"><div id="cont_doc1" style="display: block; padding: 15px; font-size: 14px; color: black;">
<meta content="text/html; charset=Windows-1251" http-equiv="Content-Type">
<span style="TEXT-ALIGN: justify">
{act}
</span>
</div></div></div>
</div>
</div>
<div id="footer">
  <div class="footer-menu"><a href="/modules.php?name=sitemap">Карта сайта</a> | <a href="/modules.php?name=help">Помощь</a> | <a href="/modules.php?name=rss">RSS</a></div>
  <div class="copyright">© {court}, 2021. Вымышленная страница учебного корпуса проекта precedents.<br>Информация размещена в соответствии с Федеральным законом от 22.12.2008 № 262-ФЗ.</div>
</div>
</body>
</html>
"""


def _card_rows(value: str) -> str:
    """'Label=Value; Label=Value' front-matter value as two-column table rows."""
    rows = []
    for item in value.split(";"):
        if not item.strip():
            continue
        label, _, text = item.partition("=")
        rows.append(
            f"<tr><td><b>{html.escape(label.strip(), quote=False)}</b></td>"
            f"<td>{html.escape(text.strip(), quote=False)}</td></tr>"
        )
    return "\n".join(rows)


def render_html_sudrf(sample: Sample) -> bytes:
    """A court-site page imitating sudrf.ru: menus and a case card around the act's div.

    Like the real pages, it declares windows-1251 in its meta tag and is UTF-8 on disk, and the
    redacted names are wrapped in <span class="FIO1"> elements.
    """
    meta = sample.meta
    styles = {
        "center": "TEXT-ALIGN: center; TEXT-INDENT: 0.5in",
        "right": "TEXT-ALIGN: right; TEXT-INDENT: 0.5in",
        "para": "TEXT-ALIGN: justify; TEXT-INDENT: 0.5in",
    }

    def para(kind: str, text: str) -> str:
        escaped = html.escape(text, quote=False)
        escaped = _FIO.sub(r'<span class="FIO1">\1</span>', escaped)
        escaped = _REDACTED.sub(r'<span class="others1">\1</span>', escaped)
        return f'<p style="{styles[kind]}">{escaped}</p>'

    blocks = [
        Block("center", b.text) if b.kind in ("title", "heading", "subheading") else b
        for b in sample.blocks()
    ]
    page = _SUDRF_PAGE.format(
        declared=meta["declared_charset"],
        court=html.escape(meta["court"], quote=False),
        address=html.escape(meta["address"], quote=False),
        card=_card_rows(meta["card"]),
        moves=_card_rows(meta["moves"]),
        parties=_card_rows(meta["parties"]),
        act_kind=html.escape(meta["act_kind"], quote=False),
        act="\n".join(html_blocks(blocks, para)),
    )
    return encode(page, meta["encoding"], str(sample.path))


# ---- RTF ----------------------------------------------------------------------------------


def rtf_escape(text: str, codepage: str) -> str:
    r"""Text as RTF: ASCII kept, code-page letters as \'xx, anything else as \uN?."""
    out = []
    for ch in text:
        if ch in "\\{}":
            out.append("\\" + ch)
        elif ord(ch) < 128:
            out.append(ch)
        else:
            try:
                out.extend(f"\\'{b:02x}" for b in ch.encode(codepage))
            except UnicodeEncodeError:
                code = ord(ch)
                out.append(f"\\u{code if code < 32768 else code - 65536}?")
    return "".join(out)


def render_rtf(sample: Sample) -> bytes:
    r"""Hand-written RTF as Word saves Russian text: \ansicpg1251, letters as \'xx escapes."""
    meta = sample.meta
    codepage = meta["encoding"]
    cpg = {"cp1251": 1251, "cp1252": 1252}[codepage]
    t = FIXED_TIME
    stamp = f"\\yr{t.year}\\mo{t.month}\\dy{t.day}\\hr{t.hour}\\min{t.minute}"
    lines = [
        f"{{\\rtf1\\ansi\\ansicpg{cpg}\\deff0\\deflang1049",
        "{\\fonttbl{\\f0\\froman\\fcharset204\\fprq2 Times New Roman;}}",
        "{\\colortbl;\\red0\\green0\\blue0;}",
        f"{{\\info{{\\title {rtf_escape(meta.get('title', meta['id']), codepage)}}}"
        f"{{\\author {AUTHOR}}}{{\\creatim{stamp}}}{{\\revtim{stamp}}}}}",
        "\\paperw11906\\paperh16838\\margl1701\\margr850\\margt1134\\margb1134",
        "\\viewkind4\\uc1",
    ]
    formats = {
        "title": "\\pard\\qc\\sa120\\b\\fs28 ",
        "heading": "\\pard\\qc\\sa120\\b\\fs26 ",
        "subheading": "\\pard\\qj\\sa120\\b\\fs26 ",
        "center": "\\pard\\qc\\sa120\\fs26 ",
        "right": "\\pard\\qr\\sa120\\fs26 ",
        "para": "\\pard\\qj\\fi709\\sa120\\fs26 ",
    }
    for block in sample.blocks():
        if block.kind == "page":
            lines.append("\\page")
        elif block.kind == "table":
            for row in block.rows:
                cells = "\\tab ".join(rtf_escape(c, codepage) for c in row)
                lines.append(f"\\pard\\ql\\fs24 {cells}\\par")
        else:
            end = "\\b0\\par" if block.kind in ("title", "heading", "subheading") else "\\par"
            lines.append(formats[block.kind] + rtf_escape(block.text, codepage) + end)
    lines.append("}")
    text = newline_of(sample).join(lines) + newline_of(sample)
    return text.encode("ascii")


# ---- DOCX ---------------------------------------------------------------------------------


def normalise_zip(data: bytes) -> bytes:
    """Rewrite a zip with fixed entry times, attributes and order ([Content_Types].xml first)."""
    source = zipfile.ZipFile(io.BytesIO(data))
    names = sorted(source.namelist(), key=lambda n: (n != "[Content_Types].xml", n))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for name in names:
            info = zipfile.ZipInfo(name, date_time=ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 0
            info.external_attr = 0
            target.writestr(info, source.read(name), compresslevel=9)
    return out.getvalue()


def _docx_page_field(paragraph) -> None:
    """A PAGE field, so the footer shows the page number as Word does."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    fld = OxmlElement("w:fldSimple")
    fld.set(qn("w:instr"), "PAGE")
    run = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = "1"
    run.append(text)
    fld.append(run)
    paragraph._p.append(fld)


def render_docx(sample: Sample) -> bytes:
    """A Word document: headings, justified paragraphs, tables, a running header, page numbers."""
    import docx
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    meta = sample.meta
    document = docx.Document()
    normal = document.styles["Normal"]
    normal.font.name = "Times New Roman"
    normal.font.size = Pt(12)

    props = document.core_properties
    props.author = AUTHOR
    props.last_modified_by = AUTHOR
    props.title = meta.get("title", sample.id)
    props.subject = meta.get("demonstrates", "")
    props.language = meta["language"]
    props.comments = "Fictional document written by the precedents project."
    props.created = FIXED_TIME.replace(tzinfo=None)
    props.modified = FIXED_TIME.replace(tzinfo=None)
    props.last_printed = FIXED_TIME.replace(tzinfo=None)
    props.revision = 1

    section = document.sections[0]
    if meta.get("running_header"):
        head = section.header.paragraphs[0]
        head.text = meta["running_header"]
        head.alignment = WD_ALIGN_PARAGRAPH.CENTER
    foot = section.footer.paragraphs[0]
    foot.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _docx_page_field(foot)

    align = {
        "center": WD_ALIGN_PARAGRAPH.CENTER,
        "right": WD_ALIGN_PARAGRAPH.RIGHT,
        "para": WD_ALIGN_PARAGRAPH.JUSTIFY,
    }
    for block in sample.blocks():
        if block.kind == "title":
            heading = document.add_heading(block.text, level=0)
            heading.alignment = WD_ALIGN_PARAGRAPH.CENTER
        elif block.kind == "heading":
            document.add_heading(block.text, level=1).alignment = WD_ALIGN_PARAGRAPH.CENTER
        elif block.kind == "subheading":
            document.add_heading(block.text, level=2)
        elif block.kind == "page":
            document.add_page_break()
        elif block.kind == "table":
            width = max(len(r) for r in block.rows)
            table = document.add_table(rows=0, cols=width)
            table.style = "Table Grid"
            table.alignment = WD_TABLE_ALIGNMENT.CENTER
            for index, row in enumerate(block.rows):
                cells = table.add_row().cells
                for cell, value in zip(cells, row):
                    cell.text = value
                    if index == 0:
                        for run in cell.paragraphs[0].runs:
                            run.bold = True
            document.add_paragraph()
        else:
            paragraph = document.add_paragraph(block.text)
            paragraph.alignment = align[block.kind]
    buffer = io.BytesIO()
    document.save(buffer)
    return normalise_zip(buffer.getvalue())


# ---- PDF with a text layer ----------------------------------------------------------------


def _fixed_pdf(pdf, sample: Sample) -> None:
    """Metadata that never changes between builds (fpdf2 otherwise stamps 'now')."""
    pdf.set_creation_date(FIXED_TIME)
    pdf.set_author(AUTHOR)
    pdf.set_creator(AUTHOR)
    pdf.set_producer(AUTHOR)
    pdf.set_title(sample.meta.get("title", sample.id))
    pdf.set_lang(sample.meta["language"])


def column_weights(rows: tuple[tuple[str, ...], ...]) -> tuple[float, ...]:
    """Relative column widths: room for each column's longest word, plus a share of its text."""
    width = max(len(r) for r in rows)
    weights = []
    for i in range(width):
        cells = [r[i] for r in rows if i < len(r)]
        longest_word = max((len(w) for c in cells for w in c.split()), default=1)
        weights.append(longest_word + 3 + max(len(c) for c in cells) / 12)
    return tuple(weights)


def render_pdf(sample: Sample) -> bytes:
    """A text PDF like the Court's own: running header from page 2, page number in the footer."""
    from fpdf import FPDF
    from fpdf.enums import XPos, YPos

    meta = sample.meta
    running = meta.get("running_header", "")
    page_label = meta.get("page_label", "{page}")

    class JudgmentPDF(FPDF):
        def header(self) -> None:
            if self.page_no() > 1 and running:
                self.set_font("serif", size=8)
                self.cell(0, 6, running, align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
                self.ln(4)

        def footer(self) -> None:
            self.set_y(-15)
            self.set_font("serif", size=9)
            self.cell(0, 10, page_label.format(page=self.page_no()), align="C")

    pdf = JudgmentPDF(format="A4")
    _fixed_pdf(pdf, sample)
    pdf.add_font("serif", "", str(FONTS["serif"]))
    pdf.add_font("serif", "B", str(FONTS["serif-bold"]))
    pdf.set_margins(22, 20, 22)
    pdf.set_auto_page_break(True, margin=22)
    pdf.add_page()
    line = 5.2
    for block in sample.blocks():
        if block.kind == "page":
            pdf.add_page()
        elif block.kind == "title":
            pdf.set_font("serif", "B", 13)
            pdf.multi_cell(0, 6.5, block.text, align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
            pdf.ln(3)
        elif block.kind == "heading":
            pdf.ln(2)
            pdf.set_font("serif", "B", 11)
            pdf.multi_cell(0, line, block.text, align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
            pdf.ln(2)
        elif block.kind == "subheading":
            pdf.set_font("serif", "B", 10.5)
            pdf.multi_cell(0, line, block.text, align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
            pdf.ln(1.5)
        elif block.kind == "table":
            pdf.set_font("serif", "", 8)
            with pdf.table(line_height=4.5, text_align="LEFT", col_widths=column_weights(block.rows)) as table:
                for row in block.rows:
                    cells = table.row()
                    for value in row:
                        cells.cell(value)
            pdf.ln(3)
        else:
            pdf.set_font("serif", "", 10.5)
            align = {"center": "C", "right": "R", "para": "J"}[block.kind]
            pdf.multi_cell(0, line, block.text, align=align, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
            pdf.ln(1.8)
    return bytes(pdf.output())


# ---- Image-only PDF (a simulated scan) ----------------------------------------------------

SCAN_DPI = 200
A4_MM = (210.0, 297.0)


def _wrap(text: str, font, width: int) -> list[str]:
    lines: list[str] = []
    current = ""
    for word in text.split():
        candidate = f"{current} {word}" if current else word
        if current and font.getlength(candidate) > width:
            lines.append(current)
            current = word
        else:
            current = candidate
    if current:
        lines.append(current)
    return lines


def scan_pages(sample: Sample) -> list:
    """The text typeset into 200-dpi bilevel pages, slightly skewed and specked like a scan."""
    from PIL import Image, ImageDraw, ImageFont

    px = lambda mm: round(mm / 25.4 * SCAN_DPI)  # noqa: E731
    size = (px(A4_MM[0]), px(A4_MM[1]))
    point = float(sample.meta.get("scan_points", "12"))
    font_px = round(point / 72 * SCAN_DPI)
    regular = ImageFont.truetype(str(FONTS["sans"]), font_px)
    bold = ImageFont.truetype(str(FONTS["sans-bold"]), font_px)
    left, top, right, bottom = px(16), px(10), px(12), px(10)
    width = size[0] - left - right
    step = round(font_px * 1.18)
    indent = px(10)

    pages: list[list[tuple[int, int, str, object]]] = [[]]
    y = top

    def new_page() -> None:
        nonlocal y
        pages.append([])
        y = top

    for block in sample.blocks():
        if block.kind == "page":
            new_page()
            continue
        font = bold if block.kind in ("title", "heading", "subheading") else regular
        texts = plain_paragraphs([block])
        for text in texts:
            first_width = width - (indent if block.kind == "para" else 0)
            wrapped = _wrap(text, font, first_width)
            if len(wrapped) > 1:
                rest = _wrap(" ".join(wrapped[1:]), font, width)
                wrapped = wrapped[:1] + rest
            for number, line in enumerate(wrapped):
                if y + step > size[1] - bottom:
                    new_page()
                if block.kind in ("title", "heading", "center"):
                    x = left + (width - round(font.getlength(line))) // 2
                elif block.kind == "right":
                    x = left + width - round(font.getlength(line))
                else:
                    x = left + (indent if block.kind == "para" and number == 0 else 0)
                pages[-1].append((x, y, line, font))
                y += step
    pages = [p for p in pages if p]

    rng = random.Random(sample.meta.get("scan_seed", sample.id))
    images = []
    for number, items in enumerate(pages):
        image = Image.new("L", size, 255)
        draw = ImageDraw.Draw(image)
        for x, y, line, font in items:
            draw.text((x, y), line, font=font, fill=18)
        # A scanner's toner specks and a small, page-specific skew.
        for _ in range(260):
            sx, sy = rng.randrange(size[0]), rng.randrange(size[1])
            r = rng.choice((1, 1, 1, 2))
            draw.ellipse((sx, sy, sx + r, sy + r), fill=rng.randrange(90, 200))
        angle = (0.35, -0.25, 0.2, -0.3)[number % 4]
        image = image.rotate(angle, resample=Image.BICUBIC, fillcolor=255)
        # Bilevel, as office scanners save text pages: a tenth of the size of greyscale.
        images.append(image.point(lambda v: 255 if v > 150 else 0).convert("1"))
    return images


def render_pdf_image(sample: Sample) -> bytes:
    """An image-only PDF: one bilevel page image each, no text layer at all."""
    from fpdf import FPDF

    pdf = FPDF(format="A4")
    _fixed_pdf(pdf, sample)
    pdf.set_title("")
    pdf.set_creator("Simulated scanner (precedents sample corpus)")
    pdf.set_auto_page_break(False)
    for image in scan_pages(sample):
        pdf.add_page()
        pdf.image(image, x=0, y=0, w=A4_MM[0], h=A4_MM[1])
    return bytes(pdf.output())


#: format -> (file extension, renderer, needs the DejaVu fonts)
RENDERERS: dict[str, tuple[str, Callable[[Sample], bytes], bool]] = {
    "txt": ("txt", render_txt, False),
    "json": ("json", render_json, False),
    "jsonl": ("jsonl", render_jsonl, False),
    "html": ("html", render_html, False),
    "html-sudrf": ("html", render_html_sudrf, False),
    "rtf": ("rtf", render_rtf, False),
    "docx": ("docx", render_docx, False),
    "pdf": ("pdf", render_pdf, True),
    "pdf-image": ("pdf", render_pdf_image, True),
}


# --------------------------------------------------------------------------------------------
# README and the build
# --------------------------------------------------------------------------------------------

_README_HEAD = """# Sample corpus (fictional)

Every document in this folder is **fictional**: written by the precedents project as test and
demonstration material. The applicants, defendants, officers, judges, towns ("Ensk", "Энск",
"Valbrune"), case numbers, application numbers and facts are invented; any resemblance to real
persons or cases is accidental. Real judgments of the European Court of Human Rights are only
cited by name (e.g. *Mikheyev v. Russia*, no. 77617/01), as public law.

The files imitate the real layouts the search engine meets: HUDOC DOCX and PDF judgments, sudrf.ru
court pages, Russian court TXT exports in legacy code pages, Word RTF, HUDOC JSON records and a
scanned ruling without a text layer. Do not edit them by hand: they are built from the source
texts in `tools/samples/` and a rebuild must give byte-identical files.

Rebuild (needs the DejaVu fonts, Debian package `fonts-dejavu-core`):

    python -m tools.build_corpora              # into corpora/
    python -m tools.build_corpora --out DIR    # anywhere else

`tests/test_corpora.py` rebuilds into a temporary folder and compares the bytes. The ingest tool
skips README files when it walks a folder, so this file is never indexed.

## Files

| File | Format | Encoding / line ends | Language | Words | What it demonstrates |
|---|---|---|---|---|---|
"""

_README_TAIL = """
Search demonstrations built into the texts:

- Case numbers: `1-123/2020` occurs only in the cp1251 sentence (ru_prigovor_286_zarechny_cp1251.txt);
  the sudrf page holds `1-124/2020` and, separately, the number `123` — a tokenizer that splits
  identifiers would wrongly match it.
- Application no. 41234/15 is in the heading of the English Chamber judgment and is cited in the
  French admissibility decision, the HUDOC JSON record and the English extradition judgment.
- Russian morphology: пытка in several forms (пытки, пыток, пыткам, пыткой, пытку, пытках) across
  the Russian documents; English "torture"/"tortured"; French "torture"/"traitements inhumains".
"""


def encoding_label(sample: Sample) -> str:
    meta = sample.meta
    if sample.format == "html-sudrf":
        return f"{meta['encoding']} (declares {meta['declared_charset']})"
    if sample.format in ("docx", "pdf", "pdf-image"):
        return "binary" + (" (image only)" if sample.format == "pdf-image" else "")
    label = meta["encoding"] + (" (BOM)" if meta["encoding"] == "utf-8-sig" else "")
    if sample.format in ("txt", "rtf"):
        label += ", " + meta.get("newline", "lf").upper()
    return label


def render_readme(samples: list[Sample]) -> bytes:
    rows = []
    for s in sorted(samples, key=lambda s: s.filename):
        rows.append(
            f"| `{s.filename}` | {s.format} | {encoding_label(s)} | {s.meta['language']} | "
            f"{s.words()} | {s.meta.get('demonstrates', '')} |"
        )
    return (_README_HEAD + "\n".join(rows) + "\n" + _README_TAIL).encode("utf-8")


def missing_fonts() -> list[str]:
    return [str(path) for path in FONTS.values() if not path.is_file()]


def build(out: Path, samples: list[Sample] | None = None) -> list[Path]:
    """Build every sample into ``out``; returns the written paths (README.md last)."""
    samples = load_samples() if samples is None else samples
    if any(RENDERERS[s.format][2] for s in samples) and missing_fonts():
        raise BuildError(FONT_HINT.format(missing=", ".join(missing_fonts())))
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for sample in samples:
        data = RENDERERS[sample.format][1](sample)
        path = out / sample.filename
        path.write_bytes(data)
        written.append(path)
    readme = out / "README.md"
    readme.write_bytes(render_readme(samples))
    written.append(readme)
    return written


TOOLCHAIN_FILE = SAMPLES / "TOOLCHAIN.json"


def toolchain() -> dict[str, str]:
    """Versions of the libraries, and digests of the fonts, that the PDF and DOCX bytes depend
    on: fpdf2 subsets its fonts with fontTools, so the same fpdf2 with another fontTools, or
    another build of DejaVu, embeds other glyph bytes, and two honest builds differ."""
    import hashlib
    import zlib
    from importlib.metadata import version

    fonts = {f"font {name}": hashlib.sha256(path.read_bytes()).hexdigest()[:16]
             if path.is_file() else "missing" for name, path in sorted(FONTS.items())}
    return {"fpdf2": version("fpdf2"), "fonttools": version("fonttools"), "pillow": version("pillow"),
            "python-docx": version("python-docx"), "zlib": zlib.ZLIB_RUNTIME_VERSION, **fonts}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="output folder (corpora/)")
    args = parser.parse_args(argv)
    try:
        written = build(args.out)
    except BuildError as error:
        print(f"build_corpora: {error}", file=sys.stderr)
        return 1
    if args.out.resolve() == DEFAULT_OUT.resolve():
        TOOLCHAIN_FILE.write_text(json.dumps(toolchain(), indent=2, sort_keys=True) + "\n")
    samples = {s.filename: s for s in load_samples()}
    for path in written:
        sample = samples.get(path.name)
        words = f"{sample.words():5d} words" if sample else ""
        print(f"{path}  {path.stat().st_size:8d} bytes  {words}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
