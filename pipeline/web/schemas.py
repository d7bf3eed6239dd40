"""Pydantic models that describe the JSON API in ``/openapi.json``.

They document the answers; they do not produce them. Routes return ``to_json()`` /
``public_record()`` unchanged (``extra="allow"`` everywhere), so the API stays byte-for-byte the
CLI's ``--json`` and a key added upstream appears here without a release of the web layer.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from pipeline.models import ShownRecord


class _Open(BaseModel):
    model_config = ConfigDict(extra="allow")


class Error(BaseModel):
    error: str = Field(description="One line saying what went wrong")


class Hit(_Open):
    id: str
    title: str | None
    date: str | None = Field(description="ISO date of the judgment or ruling")
    court: str | None
    kind: str | None = Field(description="echr_judgment, ru_sentence, ...")
    language: str | None
    score: float
    snippet: str | None = Field(description="The matching passage, matches marked **like this**")
    snippet_text: str | None = Field(description="The passage without marks")
    marks: list[list[int]] = Field(description="[start, end] of each match in snippet_text")
    page: int | None = Field(description="Page of the source file holding the passage")
    paragraph: str | None = Field(description="Numbered paragraph holding the passage")
    section: str | None = Field(description="Part of the document (facts, law, ...)")
    citation: str | None = Field(description="Pinpoint citation ready to paste")
    matched_by: str = Field("words", description="Why it is a hit: words, meaning or both")
    paragraph_text: str | None = Field(None, description="The paragraph the citation points "
                                       "at, cut short (modes meaning and both)")


class FacetCount(_Open):
    value: str
    label: str
    count: int
    filter: str = Field(description="Clause to pass as `filter` to keep only this value")


class Suggestion(_Open):
    query: str = Field(description="The query with its unknown words spelt as the index "
                                   "prints them (\"torture\" for \"tortrue\"); not run in "
                                   "place of the query typed")
    total: int = Field(description="Documents it matches, with the same filters")
class Expansion(_Open):
    term: str = Field(description="A term of the same legal concept in another language")
    language: str = Field(description="en, fr or ru: the documents it was searched in")
    concept: str = Field(description="The concept's id in the project's thesaurus")
    matched: str = Field(description="The query's words it was added for")


class SearchResults(_Open):
    query: str
    total: int
    page: int
    limit: int
    pages: int
    sort: str
    filters: list[str]
    hits: list[Hit]
    facets: dict[str, list[FacetCount]] = Field(
        description="state, article, outcome, court, year, language, kind")
    suggestions: list[Suggestion] = Field(
        [], description="Did you mean: when the query matches fewer than 3 documents, "
                        "spellings of it that match more, fewest edits first")
    expanded: list[Expansion] = Field(
        [], description="Terms of other languages the words were widened with (`expand=0`: "
                        "none)")


class SimilarText(BaseModel):
    """The body of ``POST /api/similar``; unknown keys are refused, so a misspelt one is
    not silently ignored."""

    model_config = ConfigDict(extra="forbid")

    text: str = Field(description="The facts of a case in your own words, in any language "
                                  "(Russian, English, French, mixed), up to 2,000 words; more "
                                  "is refused with the count")
    limit: int = Field(10, ge=1, le=100, description="Judgments per page")
    page: int = Field(1, ge=1, le=10_000, description="Page number, from 1")
    filters: list[str] = Field([], description="Query-language clauses every hit must match, "
                                               "as `filter` of /api/search (article:3, "
                                               "state:russia, language:en)")


#: The precedent record of `precedents show --json`, declared once (pipeline.models).
Record = ShownRecord


class CitedCase(_Open):
    text: str
    case_name: str | None
    case_numbers: list[str]
    paragraph: str | None
    target: str | None = Field(description="Id of the cited document when the index holds it")
    target_title: str | None
    canonical: str | None = Field(
        None, description="The case as the Court's list of case-law references cites it "
                          "(no pinpoint), when the citation names one entry for certain")
    canonical_name: str | None = None
    canonical_numbers: list[str] = []
    canonical_date: str | None = None


class Cites(_Open):
    id: str
    cites: list[CitedCase]


class CitingDocument(_Open):
    id: str
    title: str | None
    date: str | None
    kind: str | None
    text: str = Field(description="The citation as printed in the citing document")
    paragraph: str | None


class CitedBy(_Open):
    id: str
    cited_by: list[CitingDocument]


class Csrf(BaseModel):
    """A token for writes (``X-CSRF-Token``), valid with the cookie set by the same answer."""
    token: str
    header: str
    cookie: str


class UploadedFile(BaseModel):
    """The outcome of one file of ``POST /api/upload``."""
    name: str = Field(description="The file's name as sent, for display only")
    status: Literal["ok", "duplicate", "failed", "needs-ocr"]
    id: str | None = Field(description="The new document (ok) or the one it repeats (duplicate)")
    ids: list[str] = Field(description="Every document of the file (a JSON file may hold many)")
    format: str | None
    reason: str | None = Field(description="Why it was not added, naming the file")
    url: str | None = Field(description="The page of the document `id`")


class Uploaded(BaseModel):
    files: list[UploadedFile]


class CheckText(BaseModel):
    """The body of ``POST /api/check`` as JSON; unknown keys are refused."""

    model_config = ConfigDict(extra="forbid")

    text: str = Field(description="The draft's text (at most 2,000,000 characters)")


class Difference(_Open):
    field: str = Field(description="name, number, date, paragraph or court")
    draft: str = Field(description="As the draft prints it")
    found: str = Field(description="What the document or the Court's list gives instead")
    message: str


class CheckedCitation(_Open):
    kind: str = Field(description="echr, ru_case or ru_code")
    text: str = Field(description="The citation as the draft prints it")
    span: list[int] = Field(description="[start, end] in the draft's text")
    verdict: str = Field(description="confirmed, mismatch or unknown")
    differences: list[Difference]
    agrees: list[str] = Field(description="What the draft states and was found to agree")
    notes: list[str] = Field(description="Why a verdict is unknown; what was not checked")
    doc_id: str | None = Field(description="The indexed document matched")
    paragraph: str | None = Field(None, description="The paragraph of it the citation points "
                                                    "at, when the document numbers it")
    doc_citation: str | None
    listed: str | None = Field(description="The Court's list's entry matched")
    refers_to: int | None = Field(description='For "cited above": the full citation\'s index')


class CheckReport(_Open):
    counts: dict[str, int] = Field(description="How many citations got each verdict")
    citations: list[CheckedCitation]


class Figure(_Open):
    key: str = Field(description="The figure's name within these statistics "
                                 "(outcomes/2010/violation)")
    count: int
    ids: list[str] = Field(description="The documents behind the count")


class OutcomeRow(_Open):
    value: str = Field(description="The group: a year, an article code, a state key, ...")
    label: str
    filter: str | None = Field(description="A clause selecting the group, where one exists")
    rulings: Figure = Field(description="Rulings of the group, each once")
    outcomes: dict[str, Figure] = Field(
        description="Strasbourg: violation, no_violation, inadmissible, other (one column per "
                    "ruling); Russian: convicted, acquitted, terminated, upheld, modified, "
                    "overturned, claim_granted, claim_granted_in_part, claim_rejected")


class Quartiles(_Open):
    count: int
    minimum: float
    q1: float
    median: float
    q3: float
    maximum: float


class ChargeRow(_Open):
    charge: str = Field(description="Code, article and part: УК:286:3")
    label: str
    filter: str
    rulings: Figure
    convicted: Figure
    imprisonment: Figure = Field(description="Rulings imposing real imprisonment")
    suspended: Figure
    fined: Figure
    months: Quartiles | None = Field(description="Months of real imprisonment per person "
                                                 "sentenced")


class AwardPoint(_Open):
    id: str
    scope: Literal["echr", "domestic"]
    citation: str
    title: str | None
    date: str | None
    court: str | None
    amount: float = Field(description="As the operative part prints it")
    currency: str = Field(description="ISO 4217 as of the ruling's date")
    head: str = Field(description="non_pecuniary, pecuniary, costs, or other (heads not "
                                  "stated apart)")
    converted: float | None = Field(description="In the currency asked for, at the rate of "
                                                "the ruling's date; null without a known rate")
    converted_currency: str | None
    rate: float | None
    rate_source: str | None


class Distribution(_Open):
    key: str
    scope: Literal["echr", "domestic"]
    head: str
    currency: str
    group: str | None = Field(description="The year or court (with by=year or by=court); "
                                          "null: all sums of the head and currency")
    group_label: str | None
    count: int = Field(description="Sums")
    minimum: float
    q1: float
    median: float
    q3: float
    maximum: float
    rulings: Figure


class AwardStats(_Open):
    points: list[AwardPoint] = Field(description="Every sum, with its ruling")
    distributions: list[Distribution]
    excluded: Figure = Field(description="Rulings with a sum whose currency was not read: "
                                         "left out whole")
    not_read: Figure = Field(description="Judgments finding a violation with no sum read")
    currency: str | None
    converted: int
    unconverted: int
    rates: str | None = Field(description="Whose rates the conversions use")


class Statistics(_Open):
    query: str
    filters: list[str]
    by: str
    index_date: str | None = Field(description="When the index last changed (ISO date)")
    selected: int = Field(description="Documents the search finds")
    copies: Figure = Field(description="Copies or translations of another selected ruling, "
                                       "counted once")
    articles: list[str] = Field(description="Convention articles the query names: outcomes "
                                            "are of these articles")
    outcomes: list[OutcomeRow] = Field(description="Strasbourg rulings by outcome, by `by`")
    excluded: Figure = Field(description="Strasbourg rulings whose outcome was not read")
    domestic: list[OutcomeRow] = Field(description="Russian rulings by outcome")
    domestic_excluded: Figure
    charges: list[ChargeRow]
    other: Figure = Field(description="Documents that are not rulings")
    awards: AwardStats | None
