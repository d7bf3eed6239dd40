"""spaCy component for the rule-based legal entities: ``nlp.add_pipe("legal_entities")``.

It needs no model: it runs ``find_legal_entities`` on ``doc.text`` and leaves the result in two
places — ``doc._.legal_entities`` (the ``Entity`` list with keys, what the index reads) and the
span group ``doc.spans["legal"]`` (for displaCy and span-based code; the key goes into
``span.kb_id_``). Legal spans overlap NER spans ("Ленинского районного суда" is also an ORG),
so they live in a span group rather than in ``doc.ents``.

>>> import spacy
>>> nlp = spacy.blank("ru")
>>> _ = nlp.add_pipe("legal_entities")
>>> doc = nlp("Приговор по ч. 1 ст. 286 УК РФ, дело № 1-123/2020")
>>> [(s.label_, s.kb_id_) for s in doc.spans["legal"]]
[('CODE_ARTICLE', 'УК:286:1'), ('CASE_NO', '1-123/2020')]
"""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc, Span

from pipeline.entities.legal import find_legal_entities
from pipeline.models import Entity

__all__ = ["LegalEntities", "make_legal_entities"]

EXTENSION = "legal_entities"

if not Doc.has_extension(EXTENSION):
    Doc.set_extension(EXTENSION, default=None)


class LegalEntities:
    """Tag a Doc with rule-based legal entities (applications, articles, citations, courts...)."""

    def __init__(self, nlp: Language, name: str, *, language: str | None = None,
                 spans_key: str = "legal") -> None:
        self.name = name
        # The pipeline's own language is the default: spacy.blank("fr") tags French.
        self.language = language or nlp.lang
        self.spans_key = spans_key

    def __call__(self, doc: Doc) -> Doc:
        entities = find_legal_entities(doc.text, self.language)
        doc._.set(EXTENSION, entities)
        doc.spans[self.spans_key] = [s for s in map(lambda e: _span(doc, e), entities) if s]
        return doc


def _span(doc: Doc, entity: Entity) -> Span | None:
    """The entity as a span over whole tokens; None when it cannot be aligned (e.g. it starts
    inside whitespace a tokenizer kept as its own token)."""
    return doc.char_span(entity.start, entity.end, label=entity.label,
                         kb_id=entity.key or "", alignment_mode="expand")


@Language.factory("legal_entities", default_config={"language": None, "spans_key": "legal"})
def make_legal_entities(nlp: Language, name: str, language: str | None,
                        spans_key: str) -> LegalEntities:
    """spaCy factory for ``LegalEntities``; ``language`` overrides ``nlp.lang``."""
    return LegalEntities(nlp, name, language=language, spans_key=spans_key)
