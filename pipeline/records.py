"""ExtractedText -> the document record that the catalogue stores and the index is built from.

The record is what later stages enrich (issue 3 adds structure and entities); ``reindex`` reads
it back from the catalogue and never re-runs extraction or NLP.
"""

from __future__ import annotations

from typing import Any

from pipeline.entities.identifiers import find_identifiers, normalise_identifier
from pipeline.models import ExtractedText
from pipeline.structure import describe

#: Identifiers printed this early belong to the document itself (its heading), not to citations.
OWN_HEAD_CHARS = 1500
RECORD_VERSION = 1


def build_record(doc: ExtractedText) -> dict[str, Any]:
    """Header fields and identifiers for one document.

    >>> from pipeline.models import ExtractedText
    >>> r = build_record(ExtractedText(text="CASE OF X v. RUSSIA\\n(Application no. 17280/08)", format="txt"))
    >>> r["own_identifiers"], r["kind"]
    (['17280/08'], 'echr_judgment')
    """
    header = describe(doc.text, doc.meta)
    found = find_identifiers(doc.text)
    own = [i.key for i in found if i.start < OWN_HEAD_CHARS and i.kind != "uid" or i.kind == "uid" and i.start < 3 * OWN_HEAD_CHARS]
    for key in ("app_no", "appno", "ecli", "case_number"):
        value = doc.meta.get(key)
        if isinstance(value, str):
            own.extend(normalise_identifier(v) for v in value.replace(",", ";").split(";") if v.strip())
    return {
        "record_version": RECORD_VERSION,
        "title": header.title,
        "date": header.date,
        "court": header.court,
        "kind": header.kind,
        "own_identifiers": sorted(set(own)),
        "identifiers": sorted({i.key for i in found}),
    }
