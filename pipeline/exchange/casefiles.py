"""Case files in a bundle (``export --with-casefiles``): written, checked and taken in.

A bundle carries the case files only when asked, as one member, ``casefiles.json``, listed in
the manifest like every other member (so it is hashed, signed and size-checked the same way);
such a bundle has format version 2, so a precedents that does not know the member refuses it
with "upgrade precedents" rather than misreading it.

What goes in, and why:

* The lawyer's notes (the case file's and each item's) are private: left out unless
  ``--with-notes`` asks for them, and never in an anonymised bundle.
* Each item names its document by the id it has in the bundle; an item whose document the
  bundle does not carry (``--filter`` left it out, or it is gone from the index) goes in with
  ``in_bundle: false`` and the citation saved when it was added, so the importer still reads
  what it was.
* An anonymised bundle keeps only the structure: case files named "Case file 1", "Case file
  2"..., items by their pseudonymous ids, no notes, queries, filters or saved citations (a
  case name or a query can name a person); items of documents it does not carry are dropped
  and counted.

On import, an item's document is the local one its bundle document became (added, renamed, or
already here under another id); an item whose document the bundle did not carry is kept as
``missing`` under ``bundle:<id>`` (an id no local document can have: a foreign id is never
trusted to name the same judgment here). A case file whose name is taken locally is imported
as ``NAME (2)`` (``(3)``...), unless the local one holds exactly the same items (the same bundle
imported again): then it is left as it is.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import asdict
from typing import Any

from pipeline.casefiles import MAX_NAME, Cited, has_tables, show
from pipeline.catalogue import Catalogue, now
from pipeline.exchange.bundle import CASEFILES

__all__ = ["MEMBER", "casefiles_problem", "exported", "imported"]

#: The bundle member holding the case files (a name of ours, never taken from the data).
MEMBER = CASEFILES
#: The prefix of an imported item's id whose document the bundle did not carry.
FOREIGN = "bundle:"
_ITEM_STR = ("doc_id", "added_at")
_ITEM_OPT = ("paragraph", "note", "query", "mode")


def exported(catalogue: Catalogue, ids: dict[str, str], *, with_notes: bool,
             anonymised: bool) -> tuple[dict[str, Any], int, int]:
    """The ``casefiles.json`` of a bundle: (its content, case files, items dropped).

    ``ids`` maps each local document id the bundle carries to its id in the bundle (the same,
    or the pseudonym of an anonymised export)."""
    from pipeline.casefiles import listing

    files, dropped = [], 0
    if not has_tables(catalogue):
        return {"casefiles": []}, 0, 0
    for n, summary in enumerate(listing(catalogue), 1):
        found = show(catalogue, summary.name)
        items: list[dict[str, Any]] = []
        for item in found.items:
            local = item.shown_id or item.doc_id
            carried = item.shown_id is not None and local in ids
            if anonymised:
                if not carried:
                    dropped += 1
                    continue
                items.append({"doc_id": ids[local], "paragraph": item.paragraph, "note": None,
                              "query": None, "filters": [], "mode": None, "cited": {},
                              "added_at": item.added_at[:10], "in_bundle": True})
                continue
            items.append({"doc_id": ids.get(local, local), "paragraph": item.paragraph,
                          "note": item.note if with_notes else None, "query": item.query,
                          "filters": item.filters, "mode": item.mode,
                          "cited": asdict(item.cited), "added_at": item.added_at,
                          "in_bundle": carried})
        files.append({"name": f"Case file {n}" if anonymised else found.name,
                      "note": found.note if with_notes and not anonymised else None,
                      "items": items})
    return {"casefiles": files}, len(files), dropped


def casefiles_problem(data: Any) -> str | None:
    """Why a foreign ``casefiles.json`` cannot be taken in, or None.

    >>> casefiles_problem({"casefiles": [{"name": "", "items": []}]})
    'a case file without a name'
    """
    files = data.get("casefiles") if isinstance(data, dict) else None
    if not isinstance(files, list):
        return "no list of case files"
    for entry in files:
        if not isinstance(entry, dict):
            return "a case file that is not an object"
        name = entry.get("name")
        if not isinstance(name, str) or not name.strip():
            return "a case file without a name"
        if len(name) > MAX_NAME or not name.isprintable():
            return "a case-file name that is not one printable line"
        if not (entry.get("note") is None or isinstance(entry.get("note"), str)):
            return f"case file {name!r}: a note that is not text"
        items = entry.get("items")
        if not isinstance(items, list):
            return f"case file {name!r}: no list of items"
        for item in items:
            if not isinstance(item, dict):
                return f"case file {name!r}: an item that is not an object"
            if any(not isinstance(item.get(k), str) for k in _ITEM_STR) \
                    or any(not (item.get(k) is None or isinstance(item.get(k), str))
                           for k in _ITEM_OPT) \
                    or not isinstance(item.get("filters", []), list) \
                    or not all(isinstance(f, str) for f in item.get("filters", [])) \
                    or not isinstance(item.get("cited", {}), dict) \
                    or not isinstance(item.get("in_bundle"), bool):
                return f"case file {name!r}: an item of the wrong shape"
            if len(item["doc_id"]) > 256:
                return f"case file {name!r}: an item id too long"
    return None


def imported(catalogue: Catalogue, data: dict[str, Any], local_id: Callable[[str], str | None],
             ) -> list[dict[str, Any]]:
    """Take the (checked) case files of a bundle into the catalogue, in one transaction.

    ``local_id`` gives the local document a bundle document id became (None when the bundle
    did not carry it). Returns one entry per case file: its name in the bundle, its name here
    (None when an identical one was already here), and its items."""
    report = []
    stamp = now()
    with catalogue.transaction() as conn:
        for entry in data["casefiles"]:
            items = []
            for item in entry["items"]:
                doc = local_id(item["doc_id"]) if item["in_bundle"] else None
                items.append((doc or FOREIGN + item["doc_id"], item.get("paragraph") or "",
                              item))
            keys = {(d, p) for d, p, _ in items}
            name = " ".join(entry["name"].split())
            target: str | None = name
            n = 2
            while (row := conn.execute("SELECT id FROM casefiles WHERE name=?",
                                       (target,)).fetchone()) is not None:
                held = {(r[0], r[1]) for r in conn.execute(
                    "SELECT doc_id, paragraph FROM casefile_items WHERE casefile=?", (row[0],))}
                if held == keys:
                    target = None        # the same case file, imported before
                    break
                target, n = f"{name} ({n})", n + 1
            report.append({"from": entry["name"], "to": target, "items": len(items)})
            if target is None:
                continue
            conn.execute("INSERT INTO casefiles (name, note, created_at, updated_at)"
                         " VALUES (?,?,?,?)", (target, entry.get("note"), stamp, stamp))
            casefile = conn.execute("SELECT id FROM casefiles WHERE name=?",
                                    (target,)).fetchone()[0]
            for doc, paragraph, item in items:
                cited = Cited.from_json(item.get("cited") or {})
                conn.execute(
                    "INSERT OR IGNORE INTO casefile_items (casefile, doc_id, paragraph, note,"
                    " query, filters, mode, cited, added_at) VALUES (?,?,?,?,?,?,?,?,?)",
                    (casefile, doc, paragraph, item.get("note"), item.get("query"),
                     json.dumps(item.get("filters") or [], ensure_ascii=False),
                     item.get("mode"), json.dumps(asdict(cited), ensure_ascii=False),
                     item["added_at"]))
    return report
