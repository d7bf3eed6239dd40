"""The ``legal_entities`` spaCy component on blank pipelines: no model needed for rules."""

from __future__ import annotations

import pytest
import spacy

import pipeline.entities.components  # noqa: F401  (registers the factory)

CASES = [
    ("en", "(Application no. 12345/06) The applicant alleged a violation of Article 3 of the "
           "Convention and claimed EUR 10,000 on 26 January 2006.",
     [("APPLICATION_NO", "12345/06"), ("ARTICLE", "3"), ("MONEY", "EUR 10000"),
      ("DATE", "2006-01-26")]),
    ("fr", "Requête no 23380/09. Violation de l'article 5 § 3 de la Convention ; 10 000 EUR "
           "le 1er mars 2010 (Bouyid c. Belgique [GC], no 23380/09, CEDH 2015).",
     [("APPLICATION_NO", "23380/09"), ("ARTICLE", "5-3"), ("MONEY", "EUR 10000"),
      ("DATE", "2010-03-01"), ("CITATION", "Bouyid c. Belgique")]),
    ("ru", "Дело № 1-123/2020. Судья Иванов И.И. признал ФИО1 виновным по п. «а» ч. 3 ст. 286 "
           "УК РФ и взыскал 500 000 (пятьсот тысяч) рублей <данные изъяты>.",
     [("CASE_NO", "1-123/2020"), ("JUDGE", "Иванов И.И."), ("CODE_ARTICLE", "УК:286:3:а"),
      ("MONEY", "RUB 500000")]),
]


@pytest.mark.parametrize("lang,text,expected", CASES)
def test_component_on_blank_pipeline(lang: str, text: str, expected: list[tuple[str, str]]) -> None:
    nlp = spacy.blank(lang)
    nlp.add_pipe("legal_entities")
    doc = nlp(text)
    assert [(e.label, e.key) for e in doc._.legal_entities] == expected
    assert [(s.label_, s.kb_id_) for s in doc.spans["legal"]] == expected
    for span, entity in zip(doc.spans["legal"], doc._.legal_entities):
        assert span.start_char <= entity.start and entity.end <= span.end_char


def test_config_overrides_language_and_span_key() -> None:
    nlp = spacy.blank("en")
    nlp.add_pipe("legal_entities", config={"language": "ru", "spans_key": "law"})
    doc = nlp("ч. 3 ст. 286 УК РФ")
    assert [s.kb_id_ for s in doc.spans["law"]] == ["УК:286:3"]


def test_no_entities_gives_empty_results() -> None:
    nlp = spacy.blank("ru")
    nlp.add_pipe("legal_entities")
    doc = nlp("ФИО1 проживает по адресу <адрес>")
    assert doc._.legal_entities == []
    assert list(doc.spans["legal"]) == []
