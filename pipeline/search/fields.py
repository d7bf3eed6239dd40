"""A catalogue document as the values of the search fields, for every engine.

Both engines index exactly these values (Whoosh directly; tantivy after running the same field
analyzers over them), so a filter such as ``charge:УК:286`` or ``state:russia`` selects the
same documents whichever engine is underneath.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from pipeline.catalogue import Catalogue, Document
from pipeline.entities.identifiers import hudoc_item_id, item_id_from_file_name, normalise_identifier
from pipeline.errors import DocumentNotFound, QueryError
from pipeline.models import StoredRecord, empty_record
from pipeline.search.language.analysis import body_field
from pipeline.search.provisions import at_issue, cited, expand
from pipeline.reference.names import case_key, court_key, state_key

__all__ = ["SimilarSeed", "document_fields", "graph_fields", "legal_fields", "similar_seed"]


def document_fields(doc: Document) -> dict[str, Any]:
    """A catalogue document as index fields (the body goes to its language's field).

    Keyword fields hold comma-separated values, as Whoosh's KEYWORD fields read them; the
    tantivy engine splits them with the same field analyzers, so both index the same terms.
    """
    record = doc.record or empty_record()
    fields: dict[str, Any] = {
        "id": doc.id,
        "title": record.get("title") or doc.title or doc.id,
        "kind": record.get("kind") or "document",
        "language": doc.language or "unknown",
        "format": doc.format,
        "own_ids": ",".join(sorted(_keys([*(record.get("own_identifiers") or []), *doc.copy_own_ids]))),
        "ids": ",".join(sorted(_keys(record.get("identifiers") or []) | _file_ids(doc, record))),
        body_field(doc.language): doc.text,
        "pages": doc.pages,
        "undated": 1,
    }
    if court := record.get("court"):
        fields["court"] = court
        fields["court_id"] = court_key(court)
    if record.get("instance"):
        fields["instance"] = record["instance"]
    judges = [n for n in [record.get("president"), *(record.get("judges") or [])] if n]
    if judges:
        fields["judge"] = "\n".join(dict.fromkeys(judges))
    fields.update(legal_fields(record))
    fields.update(graph_fields(record, fields["title"]))
    if date := record.get("date"):
        try:
            when = datetime.fromisoformat(date)
        except ValueError:
            pass
        else:
            fields["date"] = when
            fields["day"] = when.year * 10000 + when.month * 100 + when.day
            fields["undated"] = 0
    return fields


def _keys(identifiers: list[str]) -> set[str]:
    """Stored identifiers keyed as the query parser keys them: records kept from earlier
    versions hold "a40-5590/23-99-47" where the parser now looks up "a40-5590/2023"."""
    return {normalise_identifier(i) for i in identifiers if i}


def _file_ids(doc: Document, record: StoredRecord) -> set[str]:
    """The HUDOC item id an ECHR document's file is named by ("001-57473_ENG.txt"), when its
    metadata gives none, and those of the copies merged into it: a search for the item id
    finds it.

    Kept out of the record and out of ``own_ids``: a file name is not printed in the document
    nor given by HUDOC's metadata, and a person can rename a file; it serves as a search key,
    not as a fact a lawyer would cite. Only the export's exact naming counts ("... (1).txt"
    does not), and only for a document that reads as an ECHR one.
    """
    if not (record.get("kind") or "").startswith("echr"):
        return set()
    names = doc.copy_file_names if hudoc_item_id(doc.meta.get("itemid")) else [doc.source_path, *doc.copy_file_names]
    return {found for name in names if (found := item_id_from_file_name(name or ""))}


def _prefixes(parts: list[str | None]) -> set[str]:
    """``УК:286:3:а`` with its prefixes ``УК:286:3`` and ``УК:286``."""
    given = [p for p in parts if p]
    return {":".join(given[:n]) for n in range(2, len(given) + 1)}


def legal_fields(record: StoredRecord) -> dict[str, Any]:
    """Respondent states, provisions, "article:outcome" pairs and charges as keywords.

    ``article`` holds the provisions at issue and ``cites_article`` every provision named
    (``provisions.py``), each with its parents, so ``article:6`` finds ``6-3-c``. A charge is
    indexed with its prefixes ("УК:286:3:а", "УК:286:3", "УК:286") so that a filter on the
    article finds every part and point of it. Other code provisions the text names ("ст. 1069
    ГК РФ" in a civil claim) go to ``provision`` the same way.
    """
    holdings = record.get("holdings") or []
    outcomes = {f"{h['article']}:{h['outcome']}" for h in holdings if h.get("article")}
    charges: set[str] = set()
    for charge in record.get("charges") or []:
        charges |= _prefixes([charge.get("code"), charge.get("article"), charge.get("part"),
                               charge.get("point")])
    provisions: set[str] = set(charges)
    for ent in record.get("entities") or []:
        if ent.get("label") == "CODE_ARTICLE" and (key := ent.get("key")):
            provisions |= _prefixes(list(key.split(":")))
    states = {state_key(s) for s in record.get("respondent_states") or [] if s.strip()}
    fields: dict[str, Any] = {
        "state": ",".join(sorted(states)),
        "article": ",".join(sorted(expand(at_issue(record)))),
        "cites_article": ",".join(sorted(expand(cited(record)))),
        "outcome": ",".join(sorted(outcomes)),
        "charge": ",".join(sorted(charges)),
        "provision": ",".join(sorted(provisions)),
    }
    if date := record.get("date"):
        fields["year"] = int(date[:4])
    return {k: v for k, v in fields.items() if v not in ("", None)}


def graph_fields(record: StoredRecord, title: str) -> dict[str, Any]:
    """Case-name keys of the document (from its title) and of the cases it cites."""
    own = case_key(title) if (record.get("kind") or "").startswith("echr") else None
    cited = {case_key(n) for c in record.get("citations") or [] if (n := c.get("case_name"))}
    names = sorted(k for k in cited if k is not None and k != own)
    fields = {"case_key": own or "", "cited_names": ",".join(names)}
    return {k: v for k, v in fields.items() if v}


@dataclass
class SimilarSeed:
    """What a more-like-this query starts from, the same for both engines: the document, the
    body field of its language, its Convention articles and the identifiers it names."""

    doc: Document
    field: str
    articles: list[str]
    identifiers: list[str]


def similar_seed(catalogue: Catalogue, doc_id: str, limit: int) -> SimilarSeed:
    """The seed of ``similar(doc_id)``; a bad ``limit`` or an unknown id is an error."""
    if limit < 1:
        raise QueryError("limit must be at least 1")
    # A copy merged into another document is seeded as that document, which is then left out.
    doc = catalogue.document(catalogue.shown_as(doc_id))
    if doc is None:
        raise DocumentNotFound(f"{doc_id}: no document with this id in the catalogue")
    record = doc.record or empty_record()
    legal = legal_fields(record)
    return SimilarSeed(doc=doc, field=body_field(doc.language),
                       articles=[a for a in legal.get("article", "").split(",") if a],
                       identifiers=[i for i in record.get("identifiers") or [] if i])
