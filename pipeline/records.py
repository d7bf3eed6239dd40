"""ExtractedText -> the precedent record: structure (its citations resolved against the Court's list
of case-law references), legal entities, named entities, identifiers.

The record is stored in the catalogue once per document; ``reindex`` and ``show`` read it back
and never re-run extraction or NLP. Its keys are a public contract (``precedents show --json``):
other tools read them, so fields are only ever added.
"""

from __future__ import annotations

from dataclasses import asdict
from typing import TYPE_CHECKING, Any, cast

from pipeline.entities.identifiers import find_identifiers, hudoc_item_id, normalise_identifier
from pipeline.entities.legal import find_legal_entities
from pipeline.entities.resolve import resolve_citations
from pipeline.models import Entity, ExtractedText, Judgment, PublicRecord, ShownRecord, StoredRecord
from pipeline.structure import describe
from pipeline.structure.echr import parse_echr
from pipeline.structure.russian import parse_russian

if TYPE_CHECKING:
    from pipeline.catalogue import Catalogue, Document

RECORD_VERSION = 5  # 5: complaints (a communicated case's provisions)
#: Identifiers printed this early belong to the document itself (its heading), not to citations.
OWN_HEAD_CHARS = 1500

#: The foundation's header kinds, mapped to the public ``kind`` values.
_KINDS = {"ru_resolution": "ru_ruling", "ru_appeal_ruling": "ru_ruling",
          "ru_cassation_ruling": "ru_ruling", "document": "other"}


def structure(doc: ExtractedText) -> Judgment:
    """Route a document to the ECHR or the Russian parser, or keep what its header says.

    The Court's own features decide before the language does: a Strasbourg judgment in Russian
    translation is an ECHR judgment, never a Russian ruling."""
    header = describe(doc.text, doc.meta)
    if header.kind.startswith("echr") or str(doc.meta.get("collection", "")).startswith("CASELAW"):
        judgment = parse_echr(doc.text, doc.meta)
    elif header.kind.startswith("ru_") or doc.language == "ru":
        judgment = parse_russian(doc.text, doc.meta)
    else:
        judgment = Judgment(kind=_KINDS.get(header.kind, header.kind), title=header.title,
                            court=header.court, date=header.date,
                            case_numbers=list(header.case_numbers))
    judgment.title = judgment.title or header.title
    judgment.date = judgment.date or header.date
    judgment.court = judgment.court or header.court
    if isinstance(doc.meta.get("title"), str) and "itemid" in doc.meta:
        judgment.title = doc.meta["title"]
    return judgment


def merge_entities(*groups: list[Entity]) -> list[Entity]:
    """Rule-based legal entities win over statistical ones where they overlap."""
    out: list[Entity] = []
    taken: list[tuple[int, int]] = []
    for group in groups:
        for ent in sorted(group, key=lambda e: (e.start, -(e.end - e.start))):
            if any(ent.start < e and s < ent.end for s, e in taken):
                continue
            out.append(ent)
            taken.append((ent.start, ent.end))
    return sorted(out, key=lambda e: e.start)


def build_record(doc: ExtractedText) -> StoredRecord:
    """Everything later stages know of one document, as JSON-ready data.

    >>> from pipeline.models import ExtractedText
    >>> text = "CASE OF X v. RUSSIA\\n(Application no. 17280/08)\\nJUDGMENT\\nSTRASBOURG\\n10 March 2011"
    >>> r = build_record(ExtractedText(text=text, format="txt", language="en"))
    >>> r["own_identifiers"], r["kind"], r["date"], r["case_numbers"]
    (['17280/08'], 'echr_judgment', '2011-03-10', ['17280/08'])
    """
    # Imported here, not at the top: spaCy and the NER models are only needed in the parser
    # workers, and importing them cost every CLI command (even `status`) three quarters of a second.
    from pipeline.entities.nlp import tag_entities

    judgment = structure(doc)
    resolve_citations(judgment.citations, doc.language)
    entities = merge_entities(find_legal_entities(doc.text, doc.language),
                              tag_entities(doc.text, doc.language))
    found = find_identifiers(doc.text)
    own = {normalise_identifier(n) for n in judgment.case_numbers}
    own |= {i.key for i in found if i.start < OWN_HEAD_CHARS and i.kind != "uid"}
    for key in ("app_no", "appno", "ecli", "case_number"):
        value = doc.meta.get(key)
        if isinstance(value, str):
            own |= {normalise_identifier(v) for v in value.replace(",", ";").split(";") if v.strip()}
    if item_id := hudoc_item_id(doc.meta.get("itemid")):
        own.add(item_id)
    if judgment.ecli:
        own.add(normalise_identifier(judgment.ecli))
    if judgment.uid:
        own.add(normalise_identifier(judgment.uid))
    data = asdict(judgment)
    # A Russian act prints one presiding judge: the president of its bench, and its judge
    # when it sits alone. The record has no third place for it.
    judge = data.pop("judge")
    if judge:
        data["president"] = data["president"] or judge
        data["judges"] = data["judges"] or [judge]
    data["charges"] = [{**asdict(c), "key": c.key} for c in judgment.charges]
    record: StoredRecord = {
        "record_version": RECORD_VERSION,
        **data,  # type: ignore[typeddict-item]  # asdict is untyped; the keys are Judgment's
        "entities": [asdict(e) for e in entities],
        "own_identifiers": sorted(own),
        "identifiers": sorted({i.key for i in found} | own),
    }
    return record


#: The keys of ``precedents show --json``, in order (a public contract: only ever add to it).
PUBLIC_KEYS = tuple(PublicRecord.__annotations__)


def public_record(doc, source) -> PublicRecord:
    """The precedent record other tools read: ``doc`` is a catalogue Document, ``source`` its
    Source row (or None). Missing values are null or [], never guesses."""
    record = doc.record or {}
    data: dict[str, Any] = {
        "id": doc.id,
        "sha256": source.sha256 if source else None,
        "source": {
            "path": doc.source_path,
            "format": doc.format,
            "pages": doc.pages,
            "record_key": doc.record_key,
            "status": source.status if source else None,
            "pipeline_version": source.pipeline_version if source else None,
            "timings": source.timings if source else {},
            "page_offsets": doc.page_offsets,
            "meta": doc.meta,
        },
        "text": doc.text,
        "language": doc.language,
    }
    for key in PUBLIC_KEYS:
        if key not in data:
            value = record.get(key)
            data[key] = value if value is not None else ([] if key in _LIST_KEYS else None)
    data["title"] = data["title"] or doc.title
    data["kind"] = data["kind"] or "other"
    return cast(PublicRecord, data)  # every key of PublicRecord, filled above


def shown_record(catalogue: Catalogue, doc: Document) -> ShownRecord:
    """``public_record`` with the copies ``doc`` stands for and, for a copy, the document it
    is shown as: the one answer of ``show --json`` and the API."""
    record = public_record(doc, catalogue.source(doc.source_path))
    copies = [{"id": m["id"], "path": m["path"], "why": m["why"]} for m in catalogue.merges(doc.id)]
    return cast(ShownRecord, {**record, "copies": copies,
                              "shown_as": catalogue.merged_into([doc.id]).get(doc.id)})


_LIST_KEYS = {"case_numbers", "applicants", "respondent_states", "judges", "representatives", "complaints",
              "holdings", "awards", "charges", "accused", "penalties", "citations", "sections",
              "paragraphs", "entities", "identifiers"}
