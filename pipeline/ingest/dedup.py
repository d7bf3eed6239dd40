"""One document per judgment: copies of one text in several files are shown as one document.

The same judgment reaches a corpus as HUDOC's Word file, its plain-text save, a PDF and a HUDOC
JSON record; a Russian ruling is published by two sites. Byte-identical files are caught
earlier (``duplicate`` sources); these copies differ in bytes, so each is parsed and stored
(``documents`` keeps every copy, so removing one file never needs a re-parse of another), and
this module decides which of them are one judgment and which copy is shown.

Two documents are one judgment only when all of these hold (precision first: a pair that is
not sure stays two documents):

- they share an own identifier (application or case number, ECLI, УИД, HUDOC item id).
  A Russian ruling published without any stays a document of its own even when a copy of it
  is in the index: a court's rulings of one day on one template differ only in names and
  measure as close as copies (0.79-0.86 on three pairs of protest rulings of one court and
  day, against 0.9 required of copies without a date), so text, court and date cannot tell
  a second ruling from a second copy;
- they are of the same kind, the same date and the same language. The date keeps a judgment
  apart from its later Article 41 judgment and a Chamber judgment from the Grand Chamber's;
  the kind keeps a decision apart from the judgment in the same case; date and court keep a
  first-instance ruling apart from its appeal. A translation (English and French versions, a
  Ukrainian translation) is a publication of its own that a lawyer cites as such: it stays
  a document of its own;
- their normalised texts are near-identical: MinHash (``rensa``) estimate of the Jaccard
  similarity of word 5-shingles at least ``SIMILAR`` (``SIMILAR_UNDATED`` when neither has a
  date, since the date check then said nothing).

The copy shown is the one with the best text (``quality``); the others are recorded as merged
into it, with the reason. Which copy is shown depends only on the set of copies, so an ingest
run again, or in another order, shows the same id.
"""

from __future__ import annotations

import html
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from pipeline.catalogue import IMPORTED_SCHEME, Catalogue, Document

#: Words per shingle: long enough that two different judgments of one court, which share
#: whole formulae, share few shingles; short enough that a PDF's page header or an OCR error
#: breaks few.
SHINGLE_WORDS = 5
#: MinHash permutations: the estimate's standard error is under 0.02 at a similarity of 0.9.
PERMUTATIONS = 256
SEED = 15
#: Copies of one judgment measured 0.95-0.99 (DOCX and its TXT save, two typesettings of one
#: PDF, a JSON record and the DOCX); two judgments of one case, or a judgment and its
#: translation, under 0.35.
SIMILAR = 0.7
SIMILAR_UNDATED = 0.9

#: The text a format gives, best first, as measured on the judgments of the shared corpora held
#: in several formats (EVAL.md): HUDOC's Word file keeps the paragraph numbers lawyers cite (its
#: HTML conversion in a HUDOC JSON record lost them where Word numbered automatically: 9
#: numbered paragraphs of 41 in one judgment) and whole words ("m embers" in the record); a
#: HUDOC record next, then a page; HUDOC's plain-text save is Windows-1252 and loses every
#: letter outside it ("İNCİN" became "?NC?N"); a text PDF breaks lines, hyphenates and repeats
#: page headers; an OCR'd PDF has recognition errors on top.
FORMAT_ORDER = ("docx", "json", "html", "xml", "rtf", "odt", "doc", "txt", "wpd", "pdf")

#: A class or id rule of a style sheet: a HUDOC record's text opens with its page's CSS.
_CSS_RULE = re.compile(r"[.#][\w-]+\s*\{[^{}]*\}")
_HYPHEN_BREAK = re.compile(r"(\w)[-\u00ad\u2010]\s*\n\s*(\w)")
_PAGE_NUMBER = re.compile(r"^\W*(?:page|p\.|стр\.?|с\.|сторінка)?\s*\d{1,4}"
                          r"(?:\s*(?:of|/|из|з)\s*\d{1,4})?\W*$", re.IGNORECASE)
_WORD = re.compile(r"\w+")


def words(text: str) -> list[str]:
    """The words of a text with what differs between copies of it taken out: Unicode forms,
    case, HTML entities and CSS (a HUDOC record's preamble), words hyphenated across lines,
    page numbers and the lines a PDF repeats on every page.

    >>> words("ZARECHNEV v. RUSSIA JUDGMENT\\n1\\nThe appli-\\ncant was\\n"
    ...       "ZARECHNEV v. RUSSIA JUDGMENT\\n2\\nborn&#xa0;in 1980.\\n"
    ...       "ZARECHNEV v. RUSSIA JUDGMENT\\n3\\n")
    ['the', 'applicant', 'was', 'born', 'in', '1980']
    """
    text = unicodedata.normalize("NFKC", html.unescape(text)).casefold()
    lines = [line.strip() for line in _CSS_RULE.sub(" ", text).splitlines()]
    counts: dict[str, int] = {}
    for line in lines:
        if line:
            counts[line] = counts.get(line, 0) + 1
    # Furniture goes first: a word hyphenated at the foot of a page goes on after the page
    # number and the next page's header.
    kept = [line for line in lines
            if line and not _PAGE_NUMBER.match(line)
            and not (counts[line] >= 2 and len(line) <= 100 and len(_WORD.findall(line)) <= 12)]
    return _WORD.findall(_HYPHEN_BREAK.sub(r"\1\2", "\n".join(kept)))


def fingerprint(text: str) -> Any:
    """The MinHash of a text's word shingles (``rensa.RMinHash``; ``.jaccard`` compares two)."""
    from rensa import RMinHash  # the coordinator needs it only when two copies meet

    tokens = words(text)
    shingles = {" ".join(tokens[i:i + SHINGLE_WORDS])
                for i in range(max(1, len(tokens) - SHINGLE_WORDS + 1))}
    minhash = RMinHash(PERMUTATIONS, SEED)
    minhash.update(sorted(shingles))
    return minhash


@dataclass(frozen=True)
class Copy:
    """What deciding sameness needs of one stored document (its text is read only if needed)."""

    id: str
    path: str
    format: str
    kind: str | None
    date: str | None
    language: str | None
    keys: frozenset[str]
    chars: int = 0
    ocr: bool = False
    stored: str = ""  # when its row was written: with the id, what a fingerprint is cached by

    def quality(self) -> tuple[int, int, int, str]:
        """Smaller is better: format order, OCR last, then the longer text, then the id (so
        the choice never depends on the order files were parsed in)."""
        fmt = self.format.lower()
        rank = FORMAT_ORDER.index(fmt) if fmt in FORMAT_ORDER else len(FORMAT_ORDER)
        return rank, int(self.ocr), -self.chars, self.id


@dataclass(frozen=True)
class Why:
    """Why two documents are one judgment: the identifiers they share and their similarity."""

    keys: tuple[str, ...]
    kind: str | None
    date: str | None
    similarity: float

    def to_json(self) -> dict[str, Any]:
        return {"keys": list(self.keys), "kind": self.kind, "date": self.date,
                "similarity": round(self.similarity, 3)}


def same_judgment(a: Copy, b: Copy, similarity) -> Why | None:
    """Why ``a`` and ``b`` are one judgment, or None. ``similarity()`` is called only when
    every cheaper test has passed.

    >>> x = Copy("x", "x.docx", "docx", "echr_judgment", "2016-05-31", "en", frozenset({"17280/08"}))
    >>> same_judgment(x, Copy("y", "y.txt", "txt", "echr_judgment", "2016-05-31", "en",
    ...                       frozenset({"17280/08"})), lambda: 0.95).keys
    ('17280/08',)
    >>> same_judgment(x, Copy("z", "z.json", "json", "echr_judgment", "2017-01-10", "en",
    ...                       frozenset({"17280/08"})), lambda: 0.95) is None   # Article 41
    True
    """
    shared = a.keys & b.keys
    if not shared or a.kind != b.kind or a.date != b.date or a.language != b.language:
        return None
    value = similarity()
    if value < (SIMILAR if a.date else SIMILAR_UNDATED):
        return None
    return Why(tuple(sorted(shared)), a.kind, a.date, value)


@dataclass
class Settled:
    """What the search index must do after a settlement: documents now merged into another
    leave it (``hide``); documents no longer merged come back, and documents whose set of
    copies changed are indexed again (``show``, as the catalogue holds them now)."""

    hide: list[str] = field(default_factory=list)
    show: list[Document] = field(default_factory=list)


#: Fingerprints kept between settlements of one run: the third copy of a judgment is compared
#: with the two before it, whose texts need not be read and hashed again.
Fingerprints = dict[tuple[str, str, int], Any]
MAX_CACHED = 4096


def settle(catalogue: Catalogue, keys: Iterable[str],
           cache: Fingerprints | None = None) -> Settled:
    """Decide again which documents sharing ``keys`` (and, transitively, the keys of those) are
    one judgment, record it in the catalogue and say what the index must change.

    Called by the ingest coordinator with the keys of the documents it has just stored or
    removed; documents sharing no key with another cost three small queries.
    """
    group = _group(catalogue, set(keys))
    before = catalogue.merged_into(group) if group else {}
    if len(group) < 2 and not before:
        return Settled()
    # Documents imported from a bundle are taken back whole by ``import --undo``: never merged.
    copies = [c for c in _copies(catalogue, group) if not c.path.startswith(IMPORTED_SCHEME)]
    merged = _decide(catalogue, copies, {} if cache is None else cache)
    after = {i: into for i, (into, _) in merged.items()}
    if after == before:
        return Settled()
    hide = sorted(i for i in after if i not in before)
    back = sorted(i for i in before if i not in after)
    # A shown document whose copies changed is indexed again: it is searched by their ids too.
    copies_of = {i: {c for c, into in merged.items() if into == i} for i in set(after.values()) | set(before.values())}
    was = {i: {c for c, into in before.items() if into == i} for i in copies_of}
    again = sorted(i for i in copies_of if copies_of[i] != was[i] and i not in after)
    catalogue.set_merges(group, merged, sorted({*hide, *back, *again}))
    shown = catalogue.documents(sorted({*back, *again}))
    catalogue.fill_copy_keys(list(shown.values()))
    return Settled(hide, [shown[i] for i in sorted({*back, *again}) if i in shown])


def _group(catalogue: Catalogue, keys: set[str]) -> dict[str, set[str]]:
    """id -> keys of every document reached from ``keys`` through shared keys."""
    group: dict[str, set[str]] = {}
    seen: set[str] = set()
    while keys:
        seen |= keys
        found = catalogue.sharing_keys(keys)
        group.update(found)
        keys = {k for ks in found.values() for k in ks} - seen
    return group


def _copies(catalogue: Catalogue, group: dict[str, set[str]]) -> list[Copy]:
    return [Copy(id=r["id"], path=r["source_path"], format=r["format"] or "", kind=r["kind"],
                 date=r["date"], language=r["language"], keys=frozenset(group[r["id"]]),
                 chars=r["chars"] or 0, ocr=bool(r["ocr_pages"]), stored=r["updated_at"] or "")
            for r in catalogue.dedup_facts(group)]


def _decide(catalogue: Catalogue, copies: list[Copy],
            prints: Fingerprints) -> dict[str, tuple[str, dict[str, Any]]]:
    """copy id -> (the id it is shown as, why), for every copy that is not the one shown."""
    buckets: dict[tuple, list[Copy]] = {}
    for copy in copies:
        buckets.setdefault((copy.kind, copy.date, copy.language), []).append(copy)

    def similarity(a: Copy, b: Copy) -> float:
        for c in (a, b):
            key = (c.id, c.stored, c.chars)
            if key not in prints:
                if len(prints) >= MAX_CACHED:
                    prints.clear()
                prints[key] = fingerprint(catalogue.texts([c.id]).get(c.id, ""))
        return float(prints[(a.id, a.stored, a.chars)].jaccard(prints[(b.id, b.stored, b.chars)]))

    merged: dict[str, tuple[str, dict[str, Any]]] = {}
    for bucket in buckets.values():
        if len(bucket) < 2:
            continue
        parent = {c.id: c.id for c in bucket}

        def root(i: str) -> str:
            while parent[i] != i:
                parent[i] = parent[parent[i]]
                i = parent[i]
            return i

        edges: dict[str, Why] = {}
        for n, a in enumerate(bucket):
            for b in bucket[n + 1:]:
                if root(a.id) == root(b.id):
                    continue
                why = same_judgment(a, b, lambda a=a, b=b: similarity(a, b))
                if why is not None:
                    parent[root(b.id)] = root(a.id)
                    edges.setdefault(a.id, why)
                    edges.setdefault(b.id, why)
        clusters: dict[str, list[Copy]] = {}
        for c in bucket:
            clusters.setdefault(root(c.id), []).append(c)
        for members in clusters.values():
            if len(members) < 2:
                continue
            best = min(members, key=Copy.quality)
            for c in members:
                if c is best:
                    continue
                shared = tuple(sorted(c.keys & best.keys)) or edges[c.id].keys
                why = Why(shared, c.kind, c.date, similarity(c, best))
                merged[c.id] = (best.id, {**why.to_json(), "format": c.format,
                                          "shown_format": best.format})
    return merged
