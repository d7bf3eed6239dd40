"""Charts of statistics, drawn on the server: an SVG to paste into the page, an SVG file and a PNG.

The page runs under ``default-src 'none'; style-src 'self'`` and no JavaScript, so a chart is
an inline ``<svg>`` whose looks are SVG presentation attributes (CSP governs ``style``
attributes and ``<style>`` elements, not ``fill="..."``), whose tooltips are ``<title>``
elements and whose links are ``<a href>``. Matplotlib draws it (object-oriented API only:
pyplot keeps global state and the server draws in threads); :func:`sanitise_svg` then turns
its output into markup that is safe and allowed there.

Every text in a chart comes from the caller's ``labels`` (already translated) or from the
statistics' own labels and numbers; no document text is drawn. The same input always gives
the same bytes (``svg.hashsalt``, no dates in metadata), so charts can be cached and tested.
"""

from __future__ import annotations

import hashlib
import io
import re
import threading
from collections.abc import Callable, Collection, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date as Date
from typing import Any, cast

import matplotlib as mpl
from babel.numbers import format_decimal
from lxml import etree
from matplotlib import dates as mdates
from matplotlib.artist import Artist
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure as MplFigure
from matplotlib.patches import Patch
from matplotlib.ticker import FuncFormatter, MaxNLocator

from .model import ECHR_OUTCOMES, AwardPoint, OutcomeRow

__all__ = ["AWARD_HEADS", "Chart", "LOG_SPAN", "MAX_BARS", "award_chart", "log_scale",
           "outcome_chart", "sanitise_svg"]

#: Most groups an outcome chart draws when not by year (the rows come largest first).
MAX_BARS = 25
#: Amounts spanning more than this ratio (two orders of magnitude) go on a log scale: EUR 500
#: of costs beside EUR 250,000 of pecuniary damage would otherwise sit on the axis.
LOG_SPAN = 100.0
#: Heads of award in legend order, each with a marker shape and a colour, so that the heads
#: read apart in grey print (shape) and for colour-blind readers (Okabe-Ito colours).
AWARD_HEADS = ("non_pecuniary", "pecuniary", "costs", "other")
_HEAD_STYLE = {"non_pecuniary": ("o", "#0072B2"), "pecuniary": ("s", "#E69F00"),
               "costs": ("^", "#009E73"), "other": ("D", "#CC79A7")}
#: Outcome segments differ in lightness and texture, not in hue alone: violation dark, no
#: violation light, inadmissible mid-grey hatched, other white dotted.
_OUTCOME_STYLE = {"violation": ("#1d3557", None), "no_violation": ("#a8d5e2", None),
                  "inadmissible": ("#8c8c8c", "///"), "other": ("#ffffff", ".."),
                  # Russian rulings: criminal, on appeal, civil; colour and hatching both
                  # differ, so that the bars read in grey print too.
                  "convicted": ("#1d3557", None), "acquitted": ("#a8d5e2", None),
                  "terminated": ("#8c8c8c", "///"), "upheld": ("#2a6f4e", None),
                  "modified": ("#9fd8b0", "\\\\"), "overturned": ("#e07a5f", "xx"),
                  "claim_granted": ("#6a4c93", None), "claim_granted_in_part": ("#c8b6e2", ".."),
                  "claim_rejected": ("#f2cc8f", "--")}
_EDGE = "#333333"
_WIDTH_IN = 6.4          # 460 pt: 10 px text stays readable when the page shows it 400 px wide
_PNG_DPI = 150
_LABEL_CHARS = 40
_TOKEN = "#precedents-link-"
#: Matplotlib settings for every chart, over its built-in defaults (a user's matplotlibrc
#: must not change what the server draws).
_RC: dict[str, Any] = {"svg.hashsalt": "precedents", "font.size": 10.0, "axes.titlesize": 11.0,
       "legend.frameon": False, "hatch.linewidth": 0.8,
       "font.sans-serif": ["DejaVu Sans", "Arial", "Liberation Sans"]}
# rcParams are process-wide and matplotlib is not thread-safe: one chart is drawn at a time.
_LOCK = threading.Lock()


#: The forms a chart is drawn in (``Chart``'s fields).
FORMATS = ("inline", "svg", "png")


@dataclass
class Chart:
    """One chart in three forms. ``svg_inline`` goes straight into the page (presentation
    attributes, links and tooltips, no styles or scripts, scales to its container's width);
    ``svg`` is a file to download (text as paths, tooltips but no links: the page's relative
    links mean nothing outside it); ``png`` is for pasting into a word processor.
    ``omitted`` counts what the data held but the chart does not show (groups past
    :data:`MAX_BARS`; sums without a conversion, a readable date or a positive amount), for
    the caption to say; ``log`` is True when the amounts axis is logarithmic, which the caption
    must say too."""

    svg_inline: str
    svg: bytes
    png: bytes
    omitted: int = 0
    log: bool = False


@dataclass
class _Link:
    href: str | None
    tooltip: str


# -- the two charts ---------------------------------------------------------------------------

def outcome_chart(rows: Sequence[OutcomeRow], *, by: str, title: str, labels: Mapping[str, str],
                  href: Callable[[str], str | None], locale: str = "en",
                  formats: Collection[str] = FORMATS,
                  outcomes: Sequence[str] = ECHR_OUTCOMES) -> Chart:
    """Stacked bars of rulings by outcome, one bar per row of ``Statistics.outcomes`` (or of
    ``Statistics.domestic``, with its ``outcomes`` columns in order).

    By year the bars stand on a time axis (a year without rulings is a gap, not closed up);
    otherwise they lie horizontally in the order given, the first :data:`MAX_BARS` only.
    ``labels`` gives the texts: every outcome column drawn (``violation``, ``no_violation``,
    ``inadmissible``, ``other``; a column empty in every row is left out), and optionally the
    group axis under the ``by`` key (``"year": "Year"``), the count axis under ``"rulings"``,
    and ``"omitted"``, a note drawn when bars were cut (``"{shown} of {total} shown"``; fields
    ``shown``, ``total``, ``omitted``). Each segment links to ``href(figure.key)`` when that is
    not None, with a tooltip (``"2010: Violation — 12"``).
    """
    shown = list(rows) if by == "year" else list(rows)[:MAX_BARS]
    omitted = len(rows) - len(shown)
    columns = [o for o in outcomes if any(r.outcomes.get(o) and r.outcomes[o].count
                                          for r in shown)]
    names = {o: _label(labels, o) for o in columns}
    years = _years(shown) if by == "year" else None
    vertical = by == "year"
    links: list[_Link] = []
    with _drawing():
        fig = _figure(4.0 if vertical else max(2.6, 0.28 * len(shown) + 1.6))
        ax = fig.add_subplot()
        positions = years if years is not None else list(range(len(shown)))
        base = [0] * len(shown)
        keys: list[Artist] = []
        for o in columns:
            counts = [r.outcomes[o].count if o in r.outcomes else 0 for r in shown]
            colour, hatch = _OUTCOME_STYLE.get(o, _OUTCOME_STYLE["other"])
            style: dict[str, Any] = dict(color=colour, edgecolor=_EDGE, linewidth=0.5,
                                         hatch=hatch, label=names[o])
            if vertical:
                bars = ax.bar(positions, counts, bottom=base, width=0.8, **style)
            else:
                bars = ax.barh(positions, counts, left=base, height=0.7, **style)
            # Its own key: a legend drawn from the bars would copy a hidden first bar.
            keys.append(Patch(facecolor=colour, edgecolor=_EDGE, linewidth=0.5, hatch=hatch,
                              label=names[o]))
            for bar, row, count in zip(bars, shown, counts):
                bar.set_visible(bool(count))
                if count:
                    bar.set_url(_token(links, href(row.outcomes[o].key),
                                       f"{row.label}: {names[o]} — {_number(count, locale)}"))
            base = [b + c for b, c in zip(base, counts)]
        count_axis = ax.yaxis if vertical else ax.xaxis
        count_axis.set_major_locator(MaxNLocator(integer=True))
        count_axis.set_major_formatter(FuncFormatter(lambda v, _: _number(v, locale)))
        if years is not None:
            ax.xaxis.set_major_locator(MaxNLocator(integer=True, min_n_ticks=1))
            ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _: str(round(v))))
        elif vertical:
            ax.set_xticks(positions, [_short(r.label) for r in shown])
        else:
            ax.set_yticks(positions, [_short(r.label) for r in shown])
            ax.invert_yaxis()
            ax.margins(y=0.01)
        group_name, count_name = labels.get(by), labels.get("rulings")
        ax.set_xlabel((group_name if vertical else count_name) or "")
        ax.set_ylabel((count_name if vertical else group_name) or "")
        _finish(fig, ax, title, labels, shown=len(shown), total=len(rows), omitted=omitted,
                legend=keys)
        return _render(fig, title, links, omitted=omitted, formats=formats)


def award_chart(points: Sequence[AwardPoint], *, title: str, labels: Mapping[str, str],
                href: Callable[[AwardPoint], str | None], currency: str | None = None,
                locale: str = "en", formats: Collection[str] = FORMATS) -> Chart:
    """Each sum awarded as a point: x the date of the ruling, y the amount, shape and colour
    by head of award.

    With ``currency``, the converted amounts are drawn and a sum without a conversion is left
    out (counted in ``omitted``); without it, every point must be in one currency, else
    ``ValueError`` (sums are never compared across currencies: draw one chart per currency).
    Sums without a readable date or with no positive amount are left out and counted too.
    The amounts axis is logarithmic when they span more than :data:`LOG_SPAN` (see
    :func:`log_scale`). ``labels`` gives each head drawn (``non_pecuniary``, ``pecuniary``,
    ``costs``, ``other``) and optionally ``"date"``, ``"amount"`` (the currency is added) and
    ``"omitted"`` (a note, fields ``shown``, ``total``, ``omitted``). Each point links to
    ``href(point)`` when not None, with a tooltip (``"EUR 6,000 — 2010-03-18 — Costs"``).
    """
    if currency is None:
        found = sorted({p.currency for p in points})
        if len(found) > 1:
            raise ValueError(f"award_chart: sums in {len(found)} currencies ({', '.join(found)});"
                             " draw one chart per currency or give currency= to convert")
        unit = found[0] if found else ""
    else:
        other = sorted({p.converted_currency for p in points if p.converted is not None
                        and p.converted_currency not in (None, currency)})
        if other:
            raise ValueError(f"award_chart: sums converted to {', '.join(other)}, not {currency}")
        unit = currency
    drawn: list[tuple[AwardPoint, Date, float]] = []
    for p in points:
        value = p.amount if currency is None else p.converted
        when = _date(p.date)
        if value is not None and value > 0 and when is not None:
            drawn.append((p, when, value))
    omitted = len(points) - len(drawn)
    heads = sorted({p.head for p, _, _ in drawn},
                   key=lambda h: (AWARD_HEADS.index(h) if h in AWARD_HEADS else len(AWARD_HEADS), h))
    names = {h: _label(labels, h) for h in heads}
    log = log_scale([v for _, _, v in drawn])
    links: list[_Link] = []
    with _drawing():
        fig = _figure(4.0)
        ax = fig.add_subplot()
        for head in heads:
            mine = [(p, when, v) for p, when, v in drawn if p.head == head]
            marker, colour = _HEAD_STYLE.get(head, _HEAD_STYLE["other"])
            dots = ax.scatter([mdates.date2num(when) for _, when, _ in mine],
                              [v for _, _, v in mine], marker=marker, s=30, color=colour,
                              edgecolors=_EDGE, linewidths=0.5, alpha=0.9, label=names[head],
                              zorder=2)
            dots.set_urls([_token(links, href(p), _award_tip(p, v, unit, names[head], locale))
                           for p, _, v in mine])
        if log:
            ax.set_yscale("log")
        if drawn:
            locator = mdates.AutoDateLocator(minticks=3, maxticks=8)
            ax.xaxis.set_major_locator(locator)
            ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(
                locator, formats=["%Y", "%Y-%m", "%Y-%m-%d", "%H:%M", "%H:%M", "%S"],
                zero_formats=["", "%Y", "%Y-%m", "%Y-%m-%d", "%H:%M", "%H:%M"],
                offset_formats=["", "%Y", "%Y-%m", "%Y-%m-%d", "%Y-%m-%d", "%Y-%m-%d"]))
        else:
            ax.set_xticks([])
        ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _: _number(v, locale)))
        ax.grid(axis="y", color="#dddddd", linewidth=0.5, zorder=0)
        ax.set_xlabel(labels.get("date", ""))
        amount = labels.get("amount")
        ax.set_ylabel(f"{amount} ({unit})" if amount and unit else amount or unit)
        _finish(fig, ax, title, labels, shown=len(drawn), total=len(points), omitted=omitted,
                legend=ax.collections)
        chart = _render(fig, title, links, omitted=omitted, formats=formats)
    chart.log = log
    return chart


def log_scale(amounts: Sequence[float]) -> bool:
    """Whether amounts need a log axis: the largest over the smallest positive one is more than
    :data:`LOG_SPAN` (``[500, 250000]`` yes; ``[3000, 300000]`` no, exactly two orders)."""
    positive = [a for a in amounts if a > 0]
    return bool(positive) and max(positive) / min(positive) > LOG_SPAN


# -- drawing helpers --------------------------------------------------------------------------

class _drawing:
    """Hold the drawing lock with the project's matplotlib settings in force."""

    def __enter__(self) -> None:
        _LOCK.acquire()
        try:
            self._rc = mpl.rc_context()
            self._rc.__enter__()
            mpl.rcdefaults()
            cast(Any, mpl.rcParams).update(_RC)   # its stubs know only literal keys
        except BaseException:
            _LOCK.release()
            raise

    def __exit__(self, *exc: object) -> None:
        try:
            self._rc.__exit__(None, None, None)
        finally:
            _LOCK.release()


def _figure(height: float) -> MplFigure:
    fig = MplFigure(figsize=(_WIDTH_IN, height), layout="constrained")
    FigureCanvasAgg(fig)
    return fig


def _finish(fig: MplFigure, ax: Axes, title: str, labels: Mapping[str, str], *, shown: int,
            total: int, omitted: int, legend: Sequence[Artist]) -> None:
    fig.suptitle(title, x=0.02, horizontalalignment="left", fontsize=11, fontweight="bold")
    if legend:
        # As many keys a row as fit the figure's width (about 70 characters of 9 pt text).
        longest = max(len(str(h.get_label())) for h in legend) + 4
        fig.legend(handles=list(legend), loc="outside lower center",
                   ncols=max(1, min(4, len(legend), 70 // longest)), fontsize=9,
                   handlelength=1.5, columnspacing=1.2)
    note = labels.get("omitted")
    if omitted and note:
        ax.set_title(note.format(shown=shown, total=total, omitted=omitted),
                     loc="left", fontsize=9, fontstyle="italic")
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)


def _render(fig: MplFigure, title: str, links: list[_Link], *, omitted: int,
            formats: Collection[str] = FORMATS) -> Chart:
    """The chart in ``formats`` (the others left empty): a page needs only the inline SVG,
    a download only its file, and each form costs a drawing."""
    if unknown := set(formats) - set(FORMATS):
        raise ValueError(f"unknown chart formats: {sorted(unknown)}")
    inline = standalone = png = b""
    if "inline" in formats:
        inline = _save(fig, "svg", fonttype="none")
        # The layout is settled by the first drawing (it is in inches, the same at any dpi):
        # the others keep it rather than solve it again.
        fig.set_layout_engine("none")
    if "svg" in formats:
        standalone = _save(fig, "svg", fonttype="path")
        fig.set_layout_engine("none")
    if "png" in formats:
        png = _save(fig, "png")
    return Chart(svg_inline=_inline(inline, title, links) if inline else "",
                 svg=_standalone(standalone, links) if standalone else b"",
                 png=png, omitted=omitted)


def _save(fig: MplFigure, fmt: str, *, fonttype: str = "path") -> bytes:
    buf = io.BytesIO()
    mpl.rcParams["svg.fonttype"] = fonttype
    metadata = {"Date": None} if fmt == "svg" else {"Software": None}
    fig.savefig(buf, format=fmt, dpi=_PNG_DPI if fmt == "png" else 72, metadata=metadata)
    return buf.getvalue()


def _token(links: list[_Link], href: str | None, tooltip: str) -> str:
    """A placeholder URL for matplotlib to wrap a mark in ``<a>``; :func:`_links` replaces it
    with the real link and tooltip (or unwraps it when there is no link)."""
    links.append(_Link(href, tooltip))
    return f"{_TOKEN}{len(links) - 1}"


def _label(labels: Mapping[str, str], key: str) -> str:
    if key not in labels:
        raise ValueError(f"chart labels lack {key!r}: every text drawn comes from the caller")
    return labels[key]


def _years(rows: Sequence[OutcomeRow]) -> list[int] | None:
    """The rows' years as positions on the axis; None when a value is no year (the bars then
    stand side by side in the order given)."""
    values = [r.value for r in rows]
    return [int(v) for v in values] if all(v.isdigit() for v in values) else None


def _date(text: str | None) -> Date | None:
    """The ruling's date when it is a full ISO date; anything else is not placed on the axis."""
    try:
        return Date.fromisoformat(text) if text and len(text) == 10 else None
    except ValueError:
        return None


def _short(text: str) -> str:
    return text if len(text) <= _LABEL_CHARS else text[:_LABEL_CHARS - 1].rstrip() + "…"


def _number(value: float, locale: str) -> str:
    return str(format_decimal(value, format="#,##0.##", locale=locale))


def _award_tip(p: AwardPoint, value: float, unit: str, head: str, locale: str) -> str:
    shown = f"{unit} {_number(value, locale)}"
    if p.converted is not None and p.currency != unit:
        shown += f" ({p.currency} {_number(p.amount, locale)})"
    return f"{shown} — {p.date} — {head}"


# -- from matplotlib's SVG to the page's and the download's -----------------------------------

_SVG = "http://www.w3.org/2000/svg"
_XLINK = "http://www.w3.org/1999/xlink"
_XML = "http://www.w3.org/XML/1998/namespace"
_HREF = f"{{{_XLINK}}}href"
#: Elements allowed in the page: shapes, text, structure, paint servers, links and titles.
#: Everything else goes (script, foreignObject, style, metadata, animate/set, which can
#: rewrite an href, image with a remote source...).
_ELEMENTS = {"svg", "g", "defs", "path", "rect", "circle", "ellipse", "line", "polyline",
             "polygon", "text", "tspan", "title", "desc", "clipPath", "pattern", "use", "a",
             "linearGradient", "radialGradient", "stop", "symbol", "mask", "image"}
#: CSS properties that have an SVG presentation attribute of the same name.
_PRESENTATION = {"alignment-baseline", "baseline-shift", "clip-path", "clip-rule", "color",
                 "display", "dominant-baseline", "fill", "fill-opacity", "fill-rule",
                 "font-family", "font-size", "font-size-adjust", "font-stretch", "font-style",
                 "font-variant", "font-weight", "letter-spacing", "mask", "opacity",
                 "paint-order", "shape-rendering", "stop-color", "stop-opacity", "stroke",
                 "stroke-dasharray", "stroke-dashoffset", "stroke-linecap", "stroke-linejoin",
                 "stroke-miterlimit", "stroke-opacity", "stroke-width", "text-anchor",
                 "text-decoration", "text-rendering", "vector-effect", "visibility",
                 "word-spacing", "writing-mode"}
_LINK_SCHEMES = {"http", "https", "mailto"}
_FONT = re.compile(
    r"^(?P<pre>(?:(?:normal|italic|oblique|small-caps|bold|bolder|lighter|[1-9]00|"
    r"(?:ultra-|extra-|semi-)?(?:condensed|expanded))\s+)*)"
    r"(?P<size>\d*\.?\d+(?:px|pt|pc|em|rem|ex|%|mm|cm|in)?|(?:xx?-)?(?:small|large)|medium|"
    r"smaller|larger)(?:\s*/\s*\S+)?\s+(?P<family>\S.*)$", re.IGNORECASE)


def sanitise_svg(source: str | bytes, *, id_prefix: str = "") -> str:
    """Matplotlib's SVG (or any) as markup fit for an HTML page with no inline styles allowed.

    Every ``style`` attribute and the ``<style>`` element's ``*``/``svg`` rules become
    presentation attributes (the ``font`` shorthand spelled out); a property without one is
    dropped. The XML declaration, DOCTYPE, comments, ``<metadata>`` and any element outside a
    small list of drawing elements go, with every ``on*`` attribute, every link that is not
    http(s), mailto, relative or a fragment, and every reference to something outside the
    image. Links get a plain ``href`` beside ``xlink:href``. The size becomes
    ``width="100%"`` with a ``viewBox``. ``id_prefix`` renames every id (and reference to
    one), so two charts on a page never share an id.

    >>> sanitise_svg('<svg xmlns="http://www.w3.org/2000/svg" width="10" height="5">'
    ...              '<path style="fill: red; cursor: pointer" onclick="x()"/></svg>')
    '<svg xmlns="http://www.w3.org/2000/svg" width="100%" viewBox="0 0 10 5"><path fill="red"/></svg>'
    """
    root = _parse(source)
    _sanitise(root, id_prefix)
    return etree.tostring(root, encoding="unicode")


def _parse(source: str | bytes) -> etree._Element:
    data = source.encode("utf-8") if isinstance(source, str) else source
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False,
                             remove_comments=True, remove_pis=True)
    root = etree.fromstring(data, parser)
    if root.tag != f"{{{_SVG}}}svg":
        raise ValueError("not an SVG document")
    return root


def _sanitise(root: etree._Element, id_prefix: str) -> None:
    sheet: dict[str, str] = {}
    for el in list(root.iter()):
        if not isinstance(el.tag, str):
            continue
        if el.tag == f"{{{_SVG}}}style":
            sheet.update(_universal_rules(el.text or ""))
    for el in list(root.iter()):
        if el is not root and el.getparent() is not None and not _allowed(el):
            _remove(el)
    ids = {el.get("id") for el in root.iter() if el.get("id")}
    for el in root.iter():
        _clean_attributes(el)
        if id_prefix:
            _prefix_ids(el, id_prefix, ids)
    for name, value in sheet.items():
        if root.get(name) is None:
            root.set(name, value)
    _fit(root)


def _allowed(el: etree._Element) -> bool:
    qname = etree.QName(el)
    if qname.namespace != _SVG or qname.localname not in _ELEMENTS:
        return False
    if qname.localname == "image":
        return bool(re.match(r"data:image/(png|jpeg|gif|webp);", el.get(_HREF) or el.get("href") or ""))
    return True


def _remove(el: etree._Element) -> None:
    """Remove an element, keeping the text that follows it in its parent."""
    parent = el.getparent()
    if el.tail:
        previous = el.getprevious()
        if previous is not None:
            previous.tail = (previous.tail or "") + el.tail
        else:
            parent.text = (parent.text or "") + el.tail
    parent.remove(el)


def _clean_attributes(el: etree._Element) -> None:
    tag = etree.QName(el).localname
    declared: list[tuple[str, str]] = []
    for name in list(el.attrib):
        value = el.attrib[name]
        qname = etree.QName(name)
        local = qname.localname
        if name == "style":
            declared = _declarations(value)
            del el.attrib[name]
        elif qname.namespace == _XLINK and local == "href" or name == "href":
            if not _safe_href(tag, value):
                del el.attrib[name]
        elif qname.namespace not in (None, _XML) or local.lower().startswith("on") \
                or local == "target" or not _safe_value(value):
            del el.attrib[name]
    for prop, value in declared:
        for attr, val in _presentation(prop, value):
            el.set(attr, val)
    if el.get(_HREF) is not None and el.get("href") is None:
        el.set("href", el.get(_HREF))


def _universal_rules(css: str) -> dict[str, str]:
    """The declarations of a style sheet's rules for every element (``*``) or the root."""
    found: dict[str, str] = {}
    css = re.sub(r"/\*.*?\*/", "", css, flags=re.DOTALL)
    for selectors, body in re.findall(r"([^{}]+)\{([^{}]*)\}", css):
        if {s.strip() for s in selectors.split(",")} & {"*", "svg"}:
            for prop, value in _declarations(body):
                found.update(_presentation(prop, value))
    return found


def _declarations(css: str) -> list[tuple[str, str]]:
    """``a: b; c: 'd;e'`` as ``[("a", "b"), ("c", "'d;e'")]``: semicolons inside quotes or
    parentheses do not end a declaration."""
    parts: list[str] = []
    current: list[str] = []
    quote, depth = "", 0
    for ch in css:
        if quote:
            quote = "" if ch == quote else quote
        elif ch in "'\"":
            quote = ch
        elif ch == "(":
            depth += 1
        elif ch == ")":
            depth = max(0, depth - 1)
        elif ch == ";" and not depth:
            parts.append("".join(current))
            current = []
            continue
        current.append(ch)
    parts.append("".join(current))
    found = []
    for part in parts:
        prop, colon, value = part.partition(":")
        value = re.sub(r"\s*!important\s*$", "", value.strip(), flags=re.IGNORECASE)
        if colon and prop.strip() and value:
            found.append((prop.strip().lower(), value))
    return found


def _presentation(prop: str, value: str) -> Iterator[tuple[str, str]]:
    """A CSS declaration as presentation attributes (none for a property without one)."""
    if not _safe_value(value):
        return
    if prop == "font":
        match = _FONT.match(value.strip())
        if not match:
            return
        for word in match.group("pre").split():
            w = word.lower()
            if w in ("italic", "oblique"):
                yield "font-style", w
            elif w in ("bold", "bolder", "lighter") or w.isdigit():
                yield "font-weight", w
            elif w == "small-caps":
                yield "font-variant", w
            elif w.endswith(("condensed", "expanded")):
                yield "font-stretch", w
        yield "font-size", match.group("size")
        yield "font-family", match.group("family").strip()
    elif prop in _PRESENTATION:
        yield prop, value


def _safe_value(value: str) -> bool:
    """No reference outside the image (``url(#id)`` only) and nothing scriptable."""
    squeezed = re.sub(r"[\s\x00-\x1f]+", "", value).lower()
    if "javascript:" in squeezed or "expression(" in squeezed or "@import" in squeezed:
        return False
    return all(m.startswith(("#", "'#", '"#')) for m in re.findall(r"url\(([^)]*)", squeezed))


def _safe_href(tag: str, value: str) -> bool:
    """Links may go to the web, to mail or within the site; ``use`` and paint servers only
    within the image; an image only to a data: picture (the page's CSP allows those)."""
    squeezed = re.sub(r"[\s\x00-\x1f]+", "", value).lower()
    if tag == "image":
        return bool(re.match(r"data:image/(png|jpeg|gif|webp);", squeezed))
    if tag != "a":
        return squeezed.startswith("#")
    scheme = re.match(r"([a-z][a-z0-9+.\-]*):", squeezed)
    return scheme is None or scheme.group(1) in _LINK_SCHEMES


def _prefix_ids(el: etree._Element, prefix: str, ids: set[str | None]) -> None:
    if el.get("id"):
        el.set("id", f"{prefix}-{el.get('id')}")
    for name, value in el.attrib.items():
        if name in (_HREF, "href") and value.startswith("#") and value[1:] in ids:
            el.set(name, f"#{prefix}-{value[1:]}")
        elif "url(#" in value:
            el.set(name, re.sub(r"url\(#([^)\s]+)\)",
                                lambda m: f"url(#{prefix}-{m.group(1)})" if m.group(1) in ids
                                else m.group(0), value))


def _fit(root: etree._Element) -> None:
    """Scale with the page: a viewBox in the drawing's units and the container's width."""
    if root.get("viewBox") is None:
        sizes = [re.match(r"\s*(\d*\.?\d+)", root.get(a) or "") for a in ("width", "height")]
        if all(sizes):
            root.set("viewBox", f"0 0 {sizes[0].group(1)} {sizes[1].group(1)}")  # type: ignore[union-attr]
    for attr in ("width", "height"):
        root.attrib.pop(attr, None)
    root.set("width", "100%")
    # Keep the attributes in a stable, readable order: width and viewBox first.
    viewbox = root.attrib.pop("viewBox", None)
    if viewbox is not None:
        root.set("viewBox", viewbox)


def _links(root: etree._Element, links: list[_Link], *, keep: bool) -> None:
    """Put the real links and their tooltips where matplotlib wrote the placeholders; a mark
    without a link (or every mark, when ``keep`` is False) keeps its tooltip in a ``<g>``."""
    for a in list(root.iter(f"{{{_SVG}}}a")):
        target = a.get(_HREF) or ""
        if not target.startswith(_TOKEN):
            continue
        link = links[int(target[len(_TOKEN):])]
        tip = etree.Element(f"{{{_SVG}}}title")
        tip.text = link.tooltip
        a.insert(0, tip)
        a.attrib.pop("target", None)
        if keep and link.href is not None:
            a.set(_HREF, link.href)
            a.set("href", link.href)
        else:
            a.tag = f"{{{_SVG}}}g"
            a.attrib.pop(_HREF, None)


def _inline(svg: bytes, title: str, links: list[_Link]) -> str:
    root = _parse(svg)
    prefix = "chart-" + hashlib.sha1(svg + title.encode("utf-8")).hexdigest()[:10]
    _links(root, links, keep=True)
    _sanitise(root, prefix)
    heading = etree.Element(f"{{{_SVG}}}title", id=f"{prefix}-title")
    heading.text = title
    root.insert(0, heading)
    root.set("role", "img")
    root.set("aria-labelledby", f"{prefix}-title")
    return etree.tostring(root, encoding="unicode")


def _standalone(svg: bytes, links: list[_Link]) -> bytes:
    root = _parse(svg)
    _links(root, links, keep=False)
    return etree.tostring(root, xml_declaration=True, encoding="utf-8")
