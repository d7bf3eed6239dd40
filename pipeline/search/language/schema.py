"""The schema, in one place, with its version: every field and how it is analysed.

Written as a Whoosh schema, it defines the fields of both engines: Whoosh indexes it with its
own pairs fields added (whoosh/pairs.py); tantivy lays it out in its own field types and runs
these analyzers in Python.
Bump ``SCHEMA_VERSION`` whenever a field or an analyzer changes: an index built with another
version is rebuilt from the catalogue on open (a notice goes to stderr), never patched.
"""

from __future__ import annotations

from whoosh.fields import DATETIME, ID, KEYWORD, NUMERIC, STORED, TEXT, FieldType, Schema

from pipeline.search.language.analysis import (
    english_analyzer,
    french_analyzer,
    mixed_analyzer,
    plain_analyzer,
    russian_analyzer,
)

#: 5: the fused FastAnalyzer (same terms as 4, but an index pickles its analyzers: rebuilt once
#: so that writing to it takes the fast path).
#: (Fields only one engine indexes, as Whoosh's pairs fields, are versioned by that engine's
#: ``LAYOUT_VERSION``, so that adding them does not rebuild the other engine's indexes.)
#: 6: ``judge`` (the president and judges of the record).
#: 7: ``article`` holds the provisions at issue with their parents, ``cites_article`` every
#: provision named; identifier keys read arbitrazh numbers and HUDOC item ids.
SCHEMA_VERSION = 7

#: Fields a free-text query searches, in the order shown to the parser.
TEXT_FIELDS = ("title", "body_ru", "body_en", "body_fr", "body_xx")


def get_schema(**engine_fields: FieldType) -> Schema:
    """The shared fields, plus ``engine_fields`` (an engine's own, as Whoosh's pairs fields).

    Identifiers live in KEYWORD fields so "12345/06" and "1-123/2020" stay whole terms.

    A word the analyzer splits ("ill-treatment", "Нет-пыткам") is searched as a phrase
    (``multitoken_query="phrase"``), not as two words anywhere in the document.
    """
    return Schema(
        id=ID(stored=True, unique=True),
        title=TEXT(analyzer=mixed_analyzer(), stored=True, field_boost=2.0, multitoken_query="phrase"),
        kind=ID(stored=True, sortable=True),
        court=TEXT(analyzer=mixed_analyzer(), stored=True, multitoken_query="phrase"),
        # The president and judges by name ("judge:Кузнецова" finds "Кузнецовой А.Б.").
        judge=TEXT(analyzer=mixed_analyzer(), multitoken_query="phrase"),
        # The court as one term (names.court_key): the court facet's filter selects exactly it.
        court_id=ID(stored=True, sortable=True),
        date=DATETIME(stored=True, sortable=True),
        # yyyymmdd, for date ranges; ``undated`` sorts documents without a date last both ways.
        day=NUMERIC(stored=False, sortable=True, bits=32),
        undated=NUMERIC(stored=False, sortable=True, bits=8),
        language=ID(stored=True, sortable=True),
        format=ID(stored=True),
        own_ids=KEYWORD(lowercase=True, commas=True, scorable=True, field_boost=8.0),
        ids=KEYWORD(lowercase=True, commas=True, scorable=True),
        body_ru=TEXT(analyzer=russian_analyzer(), phrase=True, multitoken_query="phrase"),
        body_en=TEXT(analyzer=english_analyzer(), phrase=True, multitoken_query="phrase"),
        body_fr=TEXT(analyzer=french_analyzer(), phrase=True, multitoken_query="phrase"),
        body_xx=TEXT(analyzer=plain_analyzer(), phrase=True, multitoken_query="phrase"),
        pages=STORED(),
        # Filterable fields from the legal-understanding stage, counted as facets.
        instance=ID(stored=True),
        year=NUMERIC(stored=True, sortable=True),
        # States as keys (names.state_key): "the Russian Federation" and "Russia" are one value.
        state=KEYWORD(stored=True, commas=True, lowercase=True),
        # Provisions at issue (holdings, declared complaints, charges) and every provision
        # named, each with its parents ("6-3-c", "6-3", "6"): search/provisions.py.
        article=KEYWORD(stored=True, commas=True),
        cites_article=KEYWORD(commas=True),
        outcome=KEYWORD(stored=True, commas=True, lowercase=True),
        charge=KEYWORD(stored=True, commas=True, field_boost=2.0),
        # Code provisions a ruling applies or names ("ГК:1069"), with prefixes like charges.
        provision=KEYWORD(commas=True),
        # Case-name keys (names.case_key) of the document itself and of the cases it cites:
        # the citation graph resolves citations printed without an application number by them.
        case_key=KEYWORD(commas=True),
        cited_names=KEYWORD(commas=True),
        **engine_fields,
    )
