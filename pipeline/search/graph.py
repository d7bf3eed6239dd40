"""The citation graph, engine side: which cases a document cites, and which documents cite it.

Engine-neutral: grouping a record's citations into cases and finding a citation in a citing
document are plain Python over the catalogue; the only thing asked of an engine is ``lookup``,
a search for documents holding any of some exact terms (``own_ids``, ``ids``, ``case_key``,
``cited_names``), which every engine answers the same way (``interface.Engine.with_lookup``).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from pipeline.catalogue import Catalogue, Document
from pipeline.entities.identifiers import normalise_identifier
from pipeline.entities.resolve import canonical_fields, resolve_citations
from pipeline.errors import DocumentNotFound
from pipeline.models import Citation, StoredRecord, empty_record
from pipeline.present.pinpoint import paragraph_at
from pipeline.search.base import CitedCase, CitingDocument
from pipeline.reference.names import case_key, case_name_parts

__all__ = ["Lookup", "cited_by", "cites", "citation_of", "group_citations"]

#: ``lookup(terms, exclude=doc_id, limit=n, oldest=False)``: stored fields (``id``, ``title``,
#: ``language``) of the documents holding any of ``terms`` ((field, value) pairs), except
#: ``exclude``; ``limit=None`` means all of them; ``oldest`` orders them by date.
Lookup = Callable[..., list[dict[str, Any]]]


def cites(doc_id: str, catalogue: Catalogue, lookup: Lookup) -> list[CitedCase]:
    """The cases ``doc_id`` cites, each once (its fullest printed form, the first paragraph
    citing it), with the cited document's id when the index holds it."""
    doc = catalogue.document(catalogue.shown_as(doc_id))  # a merged copy: the document shown
    if doc is None:
        raise DocumentNotFound(f"{doc_id}: no document with this id in the catalogue")
    doc_id = doc.id
    out = []
    for group in group_citations(doc.record or empty_record(), doc.language):
        target = _resolve(lookup, group, exclude=doc_id, language=doc.language)
        out.append(CitedCase(
            text=group["text"], case_name=group["case_name"],
            case_numbers=group["case_numbers"], paragraph=group["paragraph"],
            target=target["id"] if target else None,
            target_title=target.get("title") if target else None,
            **group["canonical"]))
    return out


def cited_by(doc_id: str, catalogue: Catalogue, lookup: Lookup) -> list[CitingDocument]:
    """Documents citing ``doc_id``: by its application or case numbers, or by its name when
    they print no number. Other language versions of the same judgment are not citations."""
    doc = catalogue.document(catalogue.shown_as(doc_id))  # a merged copy: the document shown
    if doc is None:
        raise DocumentNotFound(f"{doc_id}: no document with this id in the catalogue")
    doc_id = doc.id
    record = doc.record or empty_record()
    own = {i.lower() for i in record.get("own_identifiers") or []}
    key = case_key(record.get("title") or doc.title or "") \
        if (record.get("kind") or "").startswith("echr") else None
    if not own and not key:
        return []
    terms = [("ids", i) for i in sorted(own)]
    if key:
        terms.append(("cited_names", key))
    ids = [f["id"] for f in lookup(terms, exclude=doc_id, limit=None, oldest=True)]
    docs = catalogue.documents(ids, without=("entities",))
    out = []
    for citing_id in ids:
        citing = docs.get(citing_id)
        if citing is None:
            continue
        found = citation_of(citing, own, key, record)
        if found is None:
            continue
        text, offset = found
        rec = citing.record or empty_record()
        paragraph, _ = paragraph_at(rec, offset) if offset is not None else (None, None)
        out.append(CitingDocument(id=citing.id, title=rec.get("title") or citing.title,
                                  date=rec.get("date"), kind=rec.get("kind"), text=text,
                                  paragraph=paragraph))
    return out


def _resolve(lookup: Lookup, group: dict[str, Any], *, exclude: str,
             language: str | None) -> dict[str, Any] | None:
    """The indexed document a citation names: by case number first (as printed, else as the
    Court's list gives it), by case name second. Several language versions of one judgment: the
    one in the citing document's language."""
    numbers = group["case_numbers"] or group["canonical"]["canonical_numbers"]
    terms = [("own_ids", n.lower()) for n in numbers]
    if not terms and group["key"]:
        terms = [("case_key", group["key"])]
    if not terms:
        return None
    found = lookup(terms, exclude=exclude, limit=10, oldest=False)
    if not found:
        return None
    same = [f for f in found if f.get("language") == language]
    return (same or found)[0]


def _applicant(name: str | None) -> str | None:
    """The applicant part of a printed case name, folded: "Lyapin, cited above" -> "lyapin"."""
    if not name:
        return None
    applicant, _ = case_name_parts(name)
    folded = case_key(f"{applicant} v. x")
    return folded.split("|")[0] if folded else None


def _canonical(record: StoredRecord, language: str | None) -> list[dict[str, Any]]:
    """The canonical fields of each of the record's citations: as stored at ingest, or, for a
    record stored before citations were resolved, resolved now against the list."""
    citations = record.get("citations") or []
    if all("canonical" in c for c in citations):
        return [{k: c.get(k) or ([] if k == "canonical_numbers" else None)
                 for k in canonical_fields(None, None)} for c in citations]
    found = resolve_citations([Citation(c.get("text") or "", c.get("case_name"),
                                        list(c.get("case_numbers") or [])) for c in citations],
                              language)
    return [{k: getattr(c, k) for k in canonical_fields(None, None)} for c in found]


def group_citations(record: StoredRecord, language: str | None = None) -> list[dict[str, Any]]:
    """The record's citations, one group per case: a case printed twice ("Lyapin v. Russia",
    later "Lyapin, cited above, § 118") is one case, cited first where it is first printed.
    Two citations the Court's list resolves to different entries are two cases, whatever their
    names (a Chamber judgment and the Grand Chamber's, in one application)."""
    groups: list[dict[str, Any]] = []
    canonical = _canonical(record, language)
    for cit, resolved in zip(record.get("citations") or [], canonical):
        numbers = [normalise_identifier(n) for n in cit.get("case_numbers") or []]
        name = cit.get("case_name")
        key, applicant = (case_key(name) if name else None), _applicant(name)
        for group in groups:
            other = group["canonical"]["canonical"]
            if resolved["canonical"] and other and resolved["canonical"] != other:
                continue
            same = (set(numbers) & set(group["case_numbers"])
                    or (key and key == group["key"])
                    or (applicant and applicant == group["applicant"]
                        and (key is None or group["key"] is None)))
            if same:
                break
        else:
            paragraph, _ = paragraph_at(record, cit.get("start") or 0)
            group = {"text": cit.get("text") or name or "", "case_name": name,
                     "case_numbers": [], "paragraph": paragraph, "key": key,
                     "applicant": applicant, "canonical": resolved}
            groups.append(group)
        if resolved["canonical"] and not group["canonical"]["canonical"]:
            group["canonical"] = resolved
        group["case_numbers"] += [n for n in numbers if n not in group["case_numbers"]]
        if key and not group["key"]:
            group["key"] = key
        # Keep the fullest form as printed: later full citations complete a first short one.
        if len(cit.get("text") or "") > len(group["text"]) and (numbers or key):
            group["text"] = cit["text"]
        if name and (not group["case_name"] or len(name) > len(group["case_name"])):
            group["case_name"] = name
    return groups


def citation_of(citing: Document, own: set[str], key: str | None,
                 target: Mapping[str, Any]) -> tuple[str, int | None] | None:
    """(text as printed, offset) of the citation in ``citing`` that names the target, or None
    when ``citing`` is only another language version of the target."""
    record = citing.record or empty_record()
    for cit in record.get("citations") or []:
        numbers = {normalise_identifier(n).lower() for n in cit.get("case_numbers") or []}
        if numbers & own or (key and (name := cit.get("case_name")) and case_key(name) == key):
            return cit.get("text") or cit.get("case_name") or "", cit.get("start")
    citing_own = {i.lower() for i in record.get("own_identifiers") or []}
    if citing_own & own and (record.get("kind") or "").startswith("echr") \
            and (target.get("kind") or "").startswith("echr"):
        return None
    lowered = citing.text.lower()
    for ident in sorted(own):
        at = lowered.find(ident)
        if at >= 0:
            return citing.text[at:at + len(ident)], at
    return None
