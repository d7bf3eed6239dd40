"""Dataclasses passed between the stages: file -> ExtractedText -> Judgment -> record -> index.

Each stage takes one of these and returns the next; nothing reaches two stages ahead. The record
(``StoredRecord``, made by ``pipeline.records.build_record``) is a Judgment with its entities and
identifiers, as JSON; ``PublicRecord`` is what other tools read.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, cast, get_origin, get_type_hints

# typing's TypedDict before Python 3.12 lacks what pydantic needs to describe the API with it.
from typing_extensions import TypedDict


@dataclass
class Page:
    """Where one page of the source lies in ``ExtractedText.text`` (character offsets).

    ``number`` is 1-based as printed; ``ocr`` tells that its text came from Tesseract.
    """

    number: int
    start: int
    end: int
    ocr: bool = False


@dataclass
class ExtractedText:
    """The text of one document found in a source file, with what the extractor learnt about it.

    A PDF, DOCX, HTML, RTF or TXT file gives one; a JSON/JSONL file of scraped records may give
    many (one per record). ``meta`` holds source metadata as found (title, itemid, app_no, date,
    court, ...), never guessed; ``record_key`` tells records of one file apart.
    """

    text: str
    format: str
    pages: list[Page] = field(default_factory=list)
    meta: dict[str, Any] = field(default_factory=dict)
    record_key: str | None = None
    warnings: list[str] = field(default_factory=list)
    language: str | None = None

    @property
    def page_count(self) -> int:
        return len(self.pages)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ExtractedText:
        data = dict(data)
        data["pages"] = [Page(**p) for p in data.get("pages", [])]
        return cls(**data)


# -- legal understanding: what the structure parsers and entity taggers produce ----------------

@dataclass
class Entity:
    """A span of the text with a label; ``key`` is its normalised form when it has one.

    Labels: PERSON, ORG, LOC (spaCy/slovnet NER); APPLICATION_NO, ECLI, ARTICLE (Convention
    provision, key a HUDOC code such as ``5-3`` or ``P1-1``), CITATION, COURT, JUDGE, MONEY (key
    ``EUR 10000``), DATE (key ISO), CASE_NO (Russian case number), UID (УИД), CODE_ARTICLE (key
    ``УК:286:3:а``).
    """

    label: str
    text: str
    start: int
    end: int
    key: str | None = None


@dataclass
class Section:
    """A part of a ruling: ``procedure``, ``facts``, ``law``, ``operative``, ``opinions`` for the
    ECHR; ``intro``, ``reasoning``, ``operative`` for Russian rulings."""

    name: str
    start: int
    end: int


@dataclass
class Paragraph:
    """A numbered paragraph ("§ 135" in a pinpoint citation) and the section holding it."""

    number: str
    start: int
    end: int
    section: str | None = None


@dataclass
class Holding:
    """One point of an ECHR operative part. ``outcome``: violation, no_violation, inadmissible,
    not_necessary_to_examine, other. ``article``: HUDOC code (``3``, ``6-1``, ``14+8``) or None."""

    article: str | None
    outcome: str
    text: str
    vote: str | None = None


@dataclass
class Award:
    """Just satisfaction or compensation. ``head``: pecuniary, non_pecuniary, costs, other."""

    amount: float
    currency: str
    head: str
    text: str = ""


@dataclass
class Charge:
    """A code provision a Russian ruling applies: ``key`` is ``УК:286:3:а``."""

    code: str
    article: str
    part: str | None = None
    point: str | None = None

    @property
    def key(self) -> str:
        return ":".join(x for x in (self.code, self.article, self.part, self.point) if x)


@dataclass
class Penalty:
    """A penalty a Russian sentence imposes. ``type``: imprisonment, suspended (imprisonment
    suspended on probation, art. 73 УК), fine, other. ``months``: the term; ``amount``: a fine
    in roubles; ``probation_months``: the probation of a suspended term."""

    type: str
    months: int | None = None
    amount: float | None = None
    text: str = ""
    probation_months: int | None = None


@dataclass
class Citation:
    """A case the document cites: ``Mikheyev v. Russia, no. 77617/01, § 135, 26 January 2006``.

    The ``canonical`` fields are the cited case as the Court's list of case-law references gives
    it (``pipeline.reference.caselaw``), when the citation names one entry of it for certain:
    its citation without a pinpoint, name, application numbers and date (None for a Grand
    Chamber judgment the list cites by its reporter alone: "ECHR 2015").
    """

    text: str
    case_name: str | None
    case_numbers: list[str] = field(default_factory=list)
    start: int = 0
    end: int = 0
    canonical: str | None = None
    canonical_name: str | None = None
    canonical_numbers: list[str] = field(default_factory=list)
    canonical_date: str | None = None


@dataclass
class Judgment:
    """The structure of one document, as the parsers read it. Missing values stay None/[]:
    never guesses. ``kind`` and ``instance`` take the values of the public record contract."""

    kind: str = "other"
    instance: str | None = None
    title: str | None = None
    court: str | None = None
    formation: str | None = None
    date: str | None = None
    final_date: str | None = None
    city: str | None = None
    case_numbers: list[str] = field(default_factory=list)
    ecli: str | None = None
    applicants: list[str] = field(default_factory=list)
    respondent_states: list[str] = field(default_factory=list)
    president: str | None = None
    judges: list[str] = field(default_factory=list)
    #: The presiding judge of a Russian court act, as printed (its case: "Кузнецовой А.Б."
    #: after "в составе председательствующего"); the record lists it as president and judge.
    judge: str | None = None
    #: The unique identifier of a Russian case (УИД), which every instance prints.
    uid: str | None = None
    accused: list[str] = field(default_factory=list)
    penalties: list[Penalty] = field(default_factory=list)
    representatives: list[str] = field(default_factory=list)
    holdings: list[Holding] = field(default_factory=list)
    awards: list[Award] = field(default_factory=list)
    charges: list[Charge] = field(default_factory=list)
    #: The Convention provisions a communicated case puts to the parties (its questions and
    #: its statement of the complaints), as codes: what a pending case is about before any
    #: ruling. Empty for every other kind, whose rulings say it (``holdings``).
    complaints: list[str] = field(default_factory=list)
    outcome: str | None = None
    citations: list[Citation] = field(default_factory=list)
    sections: list[Section] = field(default_factory=list)
    paragraphs: list[Paragraph] = field(default_factory=list)


# -- the record: a Judgment with its entities and identifiers, as JSON --------------------------

class HoldingData(TypedDict):
    article: str | None
    outcome: str
    text: str
    vote: str | None


class AwardData(TypedDict):
    amount: float
    currency: str
    head: str
    text: str


class ChargeData(TypedDict):
    code: str
    article: str
    part: str | None
    point: str | None
    key: str


class PenaltyData(TypedDict):
    type: str
    months: int | None
    amount: float | None
    text: str
    probation_months: int | None


class CitationData(TypedDict):
    text: str
    case_name: str | None
    case_numbers: list[str]
    start: int
    end: int
    canonical: str | None
    canonical_name: str | None
    canonical_numbers: list[str]
    canonical_date: str | None


class SectionData(TypedDict):
    name: str
    start: int
    end: int


class ParagraphData(TypedDict):
    number: str
    start: int
    end: int
    section: str | None


class EntityData(TypedDict):
    label: str
    text: str
    start: int
    end: int
    key: str | None


class StoredRecord(TypedDict):
    """What ``build_record`` makes of one document: the catalogue's ``record`` column.

    The Judgment's fields as JSON (its ``judge`` goes to ``president`` and ``judges``), with the
    document's entities and identifiers. Records stored by earlier versions may lack keys added
    since: readers use ``.get``.
    """

    record_version: int
    kind: str
    instance: str | None
    title: str | None
    court: str | None
    formation: str | None
    date: str | None
    final_date: str | None
    city: str | None
    case_numbers: list[str]
    ecli: str | None
    applicants: list[str]
    respondent_states: list[str]
    president: str | None
    judges: list[str]
    representatives: list[str]
    holdings: list[HoldingData]
    awards: list[AwardData]
    charges: list[ChargeData]
    complaints: list[str]
    outcome: str | None
    citations: list[CitationData]
    sections: list[SectionData]
    paragraphs: list[ParagraphData]
    uid: str | None
    accused: list[str]
    penalties: list[PenaltyData]
    entities: list[EntityData]
    own_identifiers: list[str]
    identifiers: list[str]


#: Each key of a stored record, and the value it has where an older record lacks it.
_EMPTY: dict[str, Any] = {key: [] if get_origin(hint) is list else None
                          for key, hint in get_type_hints(StoredRecord).items()}
_EMPTY.update(record_version=0, kind="other")


def stored_record(data: object) -> StoredRecord:
    """A record read back from JSON, with every key the current ``StoredRecord`` declares.

    The catalogue keeps records written by earlier versions (``reindex`` never re-parses), and
    readers index them directly: a key added since is filled with its empty value (``None``,
    ``[]``), which is also what a document without that part gets today.

    >>> old = stored_record({"record_version": 1, "kind": "ru_sentence", "judges": ["А. Б. Иванов"]})
    >>> old["judges"], old["uid"], old["penalties"]
    (['А. Б. Иванов'], None, [])
    """
    if not isinstance(data, dict):
        raise ValueError(f"a record is a JSON object, not {type(data).__name__}")
    for key, empty in _EMPTY.items():
        if key not in data:
            data[key] = [] if isinstance(empty, list) else empty
    return cast(StoredRecord, data)


def empty_record() -> StoredRecord:
    """The record of a document with no record (not yet structured): every key empty."""
    return stored_record({})


class CitableRecord(TypedDict):
    """What a citation of a document is made from. A ``PublicRecord`` has these keys, and
    ``search.hits.citable`` adds the two a stored record lacks from the catalogue row."""

    kind: str
    title: str | None
    language: str | None
    text: str
    formation: str | None
    date: str | None
    court: str | None
    case_numbers: list[str]
    sections: list[SectionData]
    paragraphs: list[ParagraphData]


class LaidOutRecord(TypedDict):
    """A record's sections and numbered paragraphs: where a character offset falls."""

    sections: list[SectionData]
    paragraphs: list[ParagraphData]


class SourceData(TypedDict):
    path: str
    format: str
    pages: int
    record_key: str | None
    status: str | None
    pipeline_version: str | None
    timings: dict[str, Any]
    page_offsets: list[dict[str, Any]]
    meta: dict[str, Any]


# The keys both records share are listed again, not inherited: a TypedDict's keys come in the
# order of their declaration, and ``PUBLIC_KEYS`` (a documented order) is read from this one.
class PublicRecord(TypedDict):
    """The precedent record of ``precedents show --json``, the API and bundles: a public
    contract other tools read, so keys are only ever added. Its keys, in this order, are
    ``PUBLIC_KEYS``."""

    id: str
    sha256: str | None
    source: SourceData
    text: str
    language: str | None
    kind: str
    instance: str | None
    title: str | None
    court: str | None
    formation: str | None
    date: str | None
    final_date: str | None
    city: str | None
    case_numbers: list[str]
    uid: str | None
    ecli: str | None
    applicants: list[str]
    respondent_states: list[str]
    president: str | None
    judges: list[str]
    representatives: list[str]
    holdings: list[HoldingData]
    awards: list[AwardData]
    charges: list[ChargeData]
    outcome: str | None
    accused: list[str]
    penalties: list[PenaltyData]
    citations: list[CitationData]
    sections: list[SectionData]
    paragraphs: list[ParagraphData]
    entities: list[EntityData]
    identifiers: list[str]
    complaints: list[str]


class CopyData(TypedDict):
    """A file merged into the document shown as a copy of the same judgment (ingest/dedup.py)."""

    id: str
    path: str
    why: dict[str, Any]


class ShownRecord(PublicRecord):
    """What ``precedents show --json`` and ``/api/documents/{id}`` give: the public record, the
    copies this document stands for and, for a copy, the document it is shown as. The two keys
    name files of this machine, so they stay out of bundles (which carry the public record)."""

    copies: list[CopyData]
    shown_as: str | None
