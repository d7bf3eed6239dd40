"""HTML pages: sudrf.ru act pages and case cards, and any other page with a ruling in it.

The text is the ruling only, never the site around it: a lawyer searching for "Главная" or
"Поиск" must not hit every page of a court's website. sudrf.ru layouts are read with their own
selectors (``_sudrf_acts``, ``_sudrf_act_page``, ``_sudrf_card``); any other page goes to a
readability-style picker that drops menus and keeps the block with the most paragraph text.
``meta["html_kind"]`` tells which: ``act``, ``card`` (a case card with no act published: the
case number, court, parties and events) or ``page``.

The encoding is detected, not trusted: sudrf.ru pages declare windows-1251 and are UTF-8, so the
declared charset is only a fallback for ``textutil.decode_bytes``.

>>> from pathlib import Path
>>> doc = HtmlExtractor().extract(Path("ksoyu_card_kas.html"), ExtractOptions())[0]  # doctest: +SKIP
>>> doc.meta["html_kind"], doc.text.splitlines()[0]  # doctest: +SKIP
('act', 'УИД 05RS0013-01-2025-001157-32')
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from typing import TypeGuard
from itertools import islice
from pathlib import Path

from bs4 import BeautifulSoup, NavigableString, Tag
from bs4.element import PreformattedString, Script, Stylesheet, TemplateString

from pipeline.errors import ExtractionError
from pipeline.extract.base import EXTENSION, MAGIC, NO, ExtractOptions, Extractor
from pipeline.extract.textutil import clean_text, decode_bytes
from pipeline.models import ExtractedText

__all__ = ["HtmlExtractor", "declared_encoding", "render"]

MAX_HTML_BYTES = 64 * 1024 * 1024

#: Measured on the 12 sudrf pages: 31 ms a page with lxml against 52 ms with html.parser (parsing
#: alone 47 against 73 ms on the largest). lxml also folds the <html><body> that sudrf embeds
#: inside every act into the page, where html.parser would nest a second <head> in the ruling.
PARSER = "lxml"

# Never text: code, embedded objects, form controls and the head's machinery.
_NEVER_TEXT = frozenset(
    "script style noscript template title meta link base iframe frame frameset object embed "
    "applet svg math canvas audio video map button select input textarea option".split()
)
# Site furniture, dropped by the generic picker (the sudrf selectors never reach it).
_CHROME_TAGS = frozenset("nav header footer form aside menu dialog".split())
_CHROME_ROLES = frozenset("navigation banner contentinfo search menu menubar".split())

# Elements that start a new line; <br> is one line break by itself. Paragraphs, headings and
# tables are also set apart by a blank line, the paragraph break the structure stage looks for.
_PARAGRAPH_BLOCKS = frozenset("blockquote h1 h2 h3 h4 h5 h6 p pre table".split())
_BLOCKS = _PARAGRAPH_BLOCKS | frozenset(
    "address article aside body caption center dd details dialog div dl dt fieldset figcaption "
    "figure footer form header hr html legend li main nav ol section summary tbody tfoot thead "
    "tr ul".split()
)
_CELLS = frozenset(("td", "th"))
# Placeholders while laying out: end of a table cell, and a paragraph break. Both are control
# characters that clean_text deletes, and they are blanked in the page's own text first.
_CELL_MARK = "\x1f"
_PARA_MARK = "\x1e"
_BREAKS = re.compile(r"[ \n\x1e]*[\n\x1e][ \n\x1e]*")
_SPACE_RUN = re.compile(r"[ \t\r\n\f]+")

# id/class tokens of menus, banners and widgets (readability's "unlikely candidates"), unless the
# same element also looks like the main text: id="content" holds the ruling on sudrf.ru.
_UNLIKELY = re.compile(
    r"(?:^|[-_\s])(?:menu|topmenu|top_menu|nav|navbar|navigation|sidebar|breadcrumbs?|header|"
    r"footer|banner|social|share|cookies?|popup|modal|search|login|comments?|advert|ads|promo|"
    r"widget|toolbar|pager|pagination|skip|assist|adopt|calendar|tooltip|switch)(?:$|[-_\s\d])",
    re.IGNORECASE,
)
_MAYBE_TEXT = re.compile(r"article|content|main|text|document|judg|ruling|decision|body", re.I)
_PARAGRAPH_LIKE = frozenset("p pre td li blockquote div span font section article dd".split())
_MIN_PARAGRAPH = 25  # characters; shorter blocks are captions, buttons and menu items

_CHARSET = re.compile(rb"""<meta[^>]{0,200}?charset\s*=\s*["']?\s*([A-Za-z0-9_:.\-]+)""", re.I)
_XML_ENCODING = re.compile(rb"""^<\?xml[^>]{0,100}?encoding\s*=\s*["']([A-Za-z0-9_.\-]+)""", re.I)
_SNIFF_START = (b"<!doctype html", b"<html")
_SNIFF_ANYWHERE = (b"<html", b"<body", b"<head")


def _sniff_head(head: bytes) -> bytes:
    """The first bytes as lower-case ASCII-compatible text, BOM and leading whitespace removed."""
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        codec = "utf-16-le" if head.startswith(b"\xff\xfe") else "utf-16-be"
        head = head[2:].decode(codec, errors="ignore").encode("ascii", errors="ignore")
    elif head.startswith(b"\xef\xbb\xbf"):
        head = head[3:]
    return head.lstrip(b" \t\r\n\f").lower()


def declared_encoding(data: bytes) -> str | None:
    """The charset a page declares (meta charset, http-equiv or XML declaration), or None.

    >>> declared_encoding(b"<meta http-equiv=Content-Type content='text/html; charset=windows-1251'>")
    'windows-1251'
    """
    head = data[:16384]
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        head = _sniff_head(head)  # UTF-16: the declaration is in every other byte
    found = _XML_ENCODING.search(head.lstrip()) or _CHARSET.search(head)
    return found.group(1).decode("ascii").lower() if found else None


class HtmlExtractor(Extractor):
    FORMAT = "html"
    EXTENSIONS = (".html", ".htm", ".xhtml")

    @classmethod
    def match(cls, path: Path, head: bytes) -> int:
        sniff = _sniff_head(head)
        if sniff.startswith(_SNIFF_START):
            return MAGIC
        if any(tag in sniff[:1024] for tag in _SNIFF_ANYWHERE):
            # Only a file that opens with markup is surely HTML: a JSON record or a text file may
            # quote "<html" in its first kilobyte and must stay with its own extractor.
            if sniff.startswith(b"<"):
                return MAGIC
            return EXTENSION if path.suffix.lower() in cls.EXTENSIONS else EXTENSION - 2
        return EXTENSION if path.suffix.lower() in cls.EXTENSIONS else NO

    def extract(self, path: Path, options: ExtractOptions) -> list[ExtractedText]:
        size = path.stat().st_size
        if size > MAX_HTML_BYTES:
            raise ExtractionError(
                f"{path}: HTML page too large ({size} bytes, limit {MAX_HTML_BYTES})"
            )
        data = path.read_bytes()
        declared = declared_encoding(data)
        markup, encoding = decode_bytes(data, declared=declared)
        # lxml refuses NUL characters; they are never text anyway.
        soup = BeautifulSoup(markup.replace("\x00", ""), PARSER)

        meta: dict[str, object] = {"encoding": encoding, "declared_encoding": declared}
        title = soup.find("title")
        title_text = " ".join(title.get_text(" ").split()) if title is not None else ""
        if title_text:
            meta["title"] = title_text

        for tag in _tags(soup, lambda t: t.name in _NEVER_TEXT):
            if not tag.decomposed:
                tag.decompose()

        kind, text = _ruling_text(soup, title_text)
        text = clean_text(text)
        if not text:
            raise ExtractionError(f"{path}: no text in HTML page")
        meta["html_kind"] = kind
        return [ExtractedText(text=text, format=self.FORMAT, meta=meta)]


def _tags(root: Tag, keep: Callable[[Tag], bool]) -> list[Tag]:
    """Tags under ``root`` (in page order) for which ``keep`` is true.

    A plain walk of ``descendants``: ten times faster than ``find_all`` with a list of names or a
    regex in bs4 4.15, which matters on 300 KB sudrf pages.
    """
    return [node for node in root.descendants if isinstance(node, Tag) and keep(node)]


def _attr(tag: Tag, name: str) -> str:
    """An attribute as one string (bs4 gives the multi-valued ones, such as ``class``, as lists)."""
    value = tag.get(name)
    if value is None:
        return ""
    return value if isinstance(value, str) else " ".join(value)


def _by_id(root: Tag, pattern: re.Pattern[str]) -> list[Tag]:
    return _tags(root, lambda t: bool(pattern.match(_attr(t, "id"))))


def _has_class(tag: Tag, names: Iterable[str]) -> bool:
    return not set(tag.get("class") or ()).isdisjoint(names)


def _has_text(tag: Tag) -> bool:
    return any(_is_text(node) and node.strip() for node in tag.descendants)


def _ruling_text(soup: BeautifulSoup, title: str) -> tuple[str, str]:
    """Return ``(html_kind, text)``: a sudrf page's act(s) or case card, or the main block."""
    acts = _sudrf_acts(soup)
    if acts:
        # A card may publish several acts (a judgment and an additional one); all are the ruling.
        return "act", "\n\n".join(render(act) for act in acts)
    act_page = _sudrf_act_page(soup)
    if act_page is not None:
        return "act", render(act_page)
    card = _sudrf_card(soup, title)
    if card is not None:
        return "card", card
    return "page", render(_main_block(soup))


# --- sudrf.ru ------------------------------------------------------------------------------------

_SUDRF_ACT_ID = re.compile(r"^(?:cont_doc\d+|tab_content_Document\d+)$")
_SUDRF_ACT_LABEL_ID = re.compile(r"^(?:tab_doc\d+|tab_id_Document\d+)$")
_SUDRF_CARD_TAB_ID = re.compile(r"^(?:cont\d+|tab_content_(?!Document)\w+)$")
_SUDRF_CATEGORY = ("title", "name-instanse")  # "Гражданские дела - апелляция"
_SUDRF_CASE_NUMBER = ("casenumber", "case-num")  # "ДЕЛО № 33-4818/2025"
_SUDRF_DUPLICATES = ("block-mobile", "mobile-lawcase-item", "serviceLinks")
_HIDDEN = re.compile(r"display\s*:\s*none", re.I)


def _sudrf_acts(soup: BeautifulSoup) -> list[Tag]:
    """The act tabs of a sudrf case card ("карточка дела"), in page order.

    Classic module (``name_op=case``): tabs ДЕЛО / ДВИЖЕНИЕ ДЕЛА / СТОРОНЫ / ... / СУДЕБНЫЕ АКТЫ
    in ``div#cont1..N``; the СУДЕБНЫЕ АКТЫ tab holds one ``div#cont_doc<k>`` per act, under a
    "Судебный акт #k (...)" label that is left out. "lawcase" module (Samara regional court):
    ``div#tab_content_Case``, ``..._EventList``, ``..._PersonList`` and one
    ``div#tab_content_Document<k>`` per act.
    """
    return [tag for tag in _by_id(soup, _SUDRF_ACT_ID) if _has_text(tag)]


def _sudrf_act_page(soup: BeautifulSoup) -> Tag | None:
    """The act on a sudrf act page (``name_op=doc``, "Решение по гражданскому делу - кассация").

    ``div#content`` holds a ``div.title`` with the print button ``#doccont``, a link back to the
    card ("Информация по делу"), then the act as an embedded HTML document.
    """
    content = soup.find(id="content")
    if not isinstance(content, Tag) or content.find(id="doccont") is None:
        return None
    if _by_id(soup, _SUDRF_CARD_TAB_ID):
        return None
    for tag in content.find_all(True, recursive=False):
        if _has_class(tag, ("title", "publishInfo", "casenumber")) or tag.get("id") == "line":
            tag.decompose()
        elif tag.name in ("div", "p") and _only_links(tag):  # "Информация по делу"
            tag.decompose()
    return content if _has_text(content) else None


def _only_links(tag: Tag) -> bool:
    text = tag.get_text("", strip=True)
    links = "".join(a.get_text("", strip=True) for a in tag.find_all("a"))
    return bool(text) and text == links


def _sudrf_card(soup: BeautifulSoup, title: str) -> str | None:
    """A sudrf case card with no act published: court, category, case number and its tables.

    The court's name is only in the page chrome and <title>, so the title becomes the first line.
    Table cells are joined with " | " so that each row of the events table stays one line.
    """
    tabs = [tab for tab in _by_id(soup, _SUDRF_CARD_TAB_ID) if tab.name == "div" and _has_text(tab)]
    if not tabs:
        return None
    lines: list[str] = [title] if title else []
    # The card's headings sit next to the tabs: search only the nearest ancestor holding both.
    for holder in islice(tabs[0].parents, 5):
        if holder.find(class_=_SUDRF_CASE_NUMBER) and holder.find(class_=_SUDRF_CATEGORY):
            headings = _tags(holder, lambda t: _has_class(t, _SUDRF_CATEGORY + _SUDRF_CASE_NUMBER))
            for heading in headings:
                if not any(heading in tab.parents for tab in tabs):
                    lines.append(heading.get_text(" ", strip=True))
            break
    for tab in tabs:
        # The lawcase layout repeats each table as a list for phones and hides a print title.
        for extra in _tags(tab, lambda t: _has_class(t, _SUDRF_DUPLICATES)
                           or bool(_SUDRF_ACT_LABEL_ID.match(_attr(t, "id")))
                           or bool(_HIDDEN.search(_attr(t, "style")))):
            if not extra.decomposed:
                extra.decompose()
        lines.append(render(tab, cell_sep=" | "))
    return "\n\n".join(line for line in lines if line)


# --- any other page ------------------------------------------------------------------------------


def _is_chrome(tag: Tag) -> bool:
    if tag.name in ("html", "body"):
        return False
    if tag.name in _CHROME_TAGS or _attr(tag, "role").lower() in _CHROME_ROLES:
        return True
    names = " ".join([_attr(tag, "id"), *(tag.get("class") or ())]).strip()
    return bool(names) and bool(_UNLIKELY.search(names)) and not _MAYBE_TEXT.search(names)


def _own_text_length(tag: Tag) -> int:
    """Characters of text directly in ``tag`` or in its inline children (not in nested blocks)."""
    total = 0
    stack = list(tag.contents)
    while stack:
        node = stack.pop()
        if isinstance(node, Tag):
            if node.name not in _BLOCKS and node.name not in _CELLS:
                stack.extend(node.contents)
        elif _is_text(node):
            total += len(node.strip())
    return total


def _main_block(soup: BeautifulSoup) -> Tag:
    """The element holding the most paragraph text, after readability's scoring.

    Menus, headers, footers and forms go first. Each paragraph-like element then gives its text
    length (plus a point a comma) to its parent and half to its grandparent; a candidate's score
    is cut by its share of link text, so a long list of links loses to a ruling.
    """
    for tag in _tags(soup, _is_chrome):
        if not tag.decomposed:
            tag.decompose()
    root = soup.body if isinstance(soup.body, Tag) else soup
    scores: dict[int, float] = {}
    holders: dict[int, Tag] = {}
    for para in _tags(root, lambda t: t.name in _PARAGRAPH_LIKE):
        length = _own_text_length(para)
        if length < _MIN_PARAGRAPH:
            continue
        points = length + para.get_text().count(",")
        parent = para.parent
        grandparent = parent.parent if parent is not None else None
        for share, holder in ((1.0, parent), (0.5, grandparent)):
            if isinstance(holder, Tag):
                scores[id(holder)] = scores.get(id(holder), 0.0) + points * share
                holders[id(holder)] = holder
    best: Tag = root
    best_score = 0.0
    for key, score in scores.items():
        holder = holders[key]
        text_length = len(holder.get_text()) or 1
        link_length = sum(len(a.get_text()) for a in holder.find_all("a"))
        score *= 1.0 - min(link_length / text_length, 1.0)
        if score > best_score:
            best, best_score = holder, score
    return _widen(best, root)


#: Levels ``_widen`` may climb from the best-scored block.
MAX_WIDEN = 12


def _widen(block: Tag, root: Tag) -> Tag:
    """Climb from ``block`` to ancestors that add little text and few links.

    The paragraphs win the score, but the heading of a ruling ("ПОСТАНОВЛЕНИЕ", "Дело № ...")
    often sits in an <h1> or a <div> beside them; a parent that adds under a quarter more text,
    most of it not links, still belongs to the ruling. At most ``MAX_WIDEN`` levels: each step
    reads the text of a whole subtree, so on a hostile page nested 100,000 deep an unbounded climb
    took hours (the heading of a real ruling is never more than a few levels up).
    """
    for _ in range(MAX_WIDEN):
        if block is root or not isinstance(block.parent, Tag) or block.parent is root:
            break
        parent = block.parent
        inner, total = len(block.get_text(" ", strip=True)), len(parent.get_text(" ", strip=True))
        extra = total - inner
        if extra > total / 4:
            break
        extra_links = _link_length(parent) - _link_length(block)
        if extra and extra_links > extra / 2:
            break
        block = parent
    return block


def _link_length(tag: Tag) -> int:
    return sum(len(a.get_text(" ", strip=True)) for a in tag.find_all("a"))


# --- layout --------------------------------------------------------------------------------------


def _is_text(node: object) -> TypeGuard[NavigableString]:
    """True for character data a browser shows (not comments, CDATA, doctype, script or style)."""
    return isinstance(node, NavigableString) and not isinstance(
        node, (PreformattedString, Script, Stylesheet, TemplateString)
    )


def render(root: Tag, cell_sep: str = " ") -> str:
    """Lay ``root`` out as text: blocks and <br> break lines, table rows are lines.

    Walks the tree without recursion (hostile pages nest thousands deep). Whitespace in the source
    collapses as a browser would, except inside <pre>.

    >>> render(BeautifulSoup("<div><p>ПОСТАНОВЛЕНИЕ</p><p>г. Киров<br>5 июня</p></div>", "lxml"))
    'ПОСТАНОВЛЕНИЕ\\n\\nг. Киров\\n5 июня'
    """
    parts: list[str] = []
    stack: list[tuple[object, bool]] = [(root, False)]
    pre_depth = 0
    while stack:
        node, leaving = stack.pop()
        if isinstance(node, Tag):
            if leaving:
                if node.name in _CELLS:
                    parts.append(_CELL_MARK)
                elif node.name in _BLOCKS:
                    parts.append(_PARA_MARK if node.name in _PARAGRAPH_BLOCKS else "\n")
                if node.name == "pre":
                    pre_depth -= 1
                continue
            if node.name in _NEVER_TEXT:
                continue
            if node.name == "br":
                parts.append("\n")
                continue
            if node.name in _BLOCKS:
                parts.append(_PARA_MARK if node.name in _PARAGRAPH_BLOCKS else "\n")
            if node.name == "pre":
                pre_depth += 1
            stack.append((node, True))
            stack.extend((child, False) for child in reversed(node.contents))
        elif _is_text(node):
            text = str(node).replace(_CELL_MARK, " ").replace(_PARA_MARK, " ")
            parts.append(text if pre_depth else _SPACE_RUN.sub(" ", text))
    text = _BREAKS.sub(lambda m: "\n\n" if _PARA_MARK in m.group() else "\n", "".join(parts))
    return _join_cells(text, cell_sep).strip("\n ")


def _join_cells(text: str, cell_sep: str) -> str:
    """Join the cells of each line with ``cell_sep``; drop lines left with no text.

    With a visible separator empty cells stay in the row, so columns still match the header.
    """
    if _CELL_MARK not in text:
        return text
    lines = []
    for line in text.split("\n"):
        if _CELL_MARK in line:
            cells = [cell.strip() for cell in line.split(_CELL_MARK)]
            if not any(cells):
                continue
            while not cells[-1]:
                cells.pop()
            line = cell_sep.join(cells) if cell_sep.strip() else " ".join(c for c in cells if c)
        lines.append(line)
    return "\n".join(lines)
