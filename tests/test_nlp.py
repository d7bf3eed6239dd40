"""The cached NER pipelines, entity tagging over long texts, redaction markers, and the RU gold.

Sentences here are made up; the gold file's sentences come from ../shared/corpora/ru.
"""

from __future__ import annotations

import json
import socket
from pathlib import Path

import pytest

from pipeline.entities import nlp
from pipeline.entities.nlp import (_clean_span, _fix_russian, is_redaction, load, split_chunks,
                                   tag_entities, tag_entities_many)
from tools.evaluate.ner import read_bio_paragraphs, score

GOLD = Path(__file__).resolve().parent / "gold" / "ru_ner.jsonl"
LABELS = {"PERSON", "ORG", "LOC"}


# -- loading -------------------------------------------------------------------------------------

def test_loads_once_per_process():
    for language in ("en", "fr", "ru"):
        assert load(language) is load(language)


def test_only_the_components_ner_needs():
    assert load("en").pipe_names == ["ner"]
    assert load("fr").pipe_names == ["ner"]
    assert load("ru").pipe_names == ["slovnet_ner"]
    for language in ("en", "fr"):
        assert not {"tagger", "parser", "lemmatizer", "attribute_ruler", "morphologizer",
                    "senter"} & set(load(language).component_names)


def test_languages_without_ner():
    assert load("de") is None
    assert tag_entities("Herr Müller wohnt in Berlin.", "de") == []
    assert tag_entities("Mr John Smith lives in London.", None) == []


def test_loading_needs_no_network(monkeypatch):
    """GIVEN no network WHEN every pipeline is loaded afresh THEN nothing tries to connect."""
    def refuse(*_args, **_kwargs):
        raise AssertionError("NER loading tried to open a network connection")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    load.cache_clear()
    nlp._slovnet_tagger.cache_clear()
    for language in ("en", "fr", "ru"):
        assert load(language) is not None
    assert tag_entities("Судья Петров Иван Сергеевич прибыл в Казань.", "ru")


# -- tagging made-up sentences -------------------------------------------------------------------

@pytest.mark.parametrize("language, text, person, place", [
    ("en", "The applicant, Mr John Smith, was arrested by the police in Manchester in 2004.",
     "John Smith", "Manchester"),
    ("fr", "Le requérant, M. Pierre Martin, a été arrêté par la police à Marseille en 2004.",
     "Pierre Martin", "Marseille"),
    ("ru", "Заявитель Петров Иван Сергеевич был задержан сотрудниками полиции в Казани.",
     "Петров Иван Сергеевич", "Казани"),
])
def test_finds_a_person_and_a_place(language, text, person, place):
    found = {(e.label, e.text) for e in tag_entities(text, language)}
    assert ("PERSON", person) in found
    assert ("LOC", place) in found
    for entity in tag_entities(text, language):
        assert text[entity.start:entity.end] == entity.text


def test_russian_court_name_kept_whole_and_statute_country_not_a_place():
    text = "Судья Советского районного суда г. Казани Сидорова Анна Петровна, ст. 20.2 КоАП РФ."
    found = {(e.label, e.text) for e in tag_entities(text, "ru")}
    assert ("ORG", "Советского районного суда г. Казани") in found
    assert ("PERSON", "Сидорова Анна Петровна") in found
    assert not any(label == "LOC" and name == "РФ" for label, name in found)


def _locate(text: str, surfaces: list[tuple[str, str]]) -> list[tuple[int, int, str]]:
    spans, at = [], 0
    for surface, label in surfaces:
        start = text.index(surface, at)
        spans.append((start, start + len(surface), label))
        at = start + len(surface)
    return spans


@pytest.mark.parametrize("text, model_spans, expected", [
    # court + "г." + city -> one ORG
    ("в Кировский районный суд г. Томска", [("Кировский районный суд", "ORG"), ("Томска", "LOC")],
     [("Кировский районный суд г. Томска", "ORG")]),
    # country inside a statute title is dropped; "Именем Российской Федерации" stays a place
    ("ст. 286 УК РФ", [("РФ", "LOC")], []),
    ("Именем Российской Федерации", [("Российской Федерации", "LOC")],
     [("Российской Федерации", "LOC")]),
    # legal form and closing quote: 'ООО "Ромашка"'
    ('иск ООО "Ромашка" к банку', [('ООО "Ромашка', "ORG")], [('ООО "Ромашка"', "ORG")]),
    ("к обществу с ограниченной ответственностью «Вектор»", [("Вектор", "ORG")],
     [("обществу с ограниченной ответственностью «Вектор»", "ORG")]),
    # surname before "Name Patronymic"; initials after a surname
    ("истец Кузнецов Олег Игоревич", [("Олег Игоревич", "PERSON")],
     [("Кузнецов Олег Игоревич", "PERSON")]),
    ("адвоката Орлова В.В. и", [("Орлова", "PERSON")], [("Орлова В.В.", "PERSON")]),
    # a common word capitalised at a sentence start is not an organisation
    ("Решением суда иск удовлетворён", [("Решением", "ORG")], []),
    # a place after a bare space joins an organisation only when it is a region
    ("Елизовского районного суда Камчатского края Почуева",
     [("Елизовского районного суда", "ORG"), ("Камчатского края", "LOC"), ("Почуева", "LOC")],
     [("Елизовского районного суда Камчатского края", "ORG"), ("Почуева", "LOC")]),
    # "г." is never followed by a person's name
    ("суда г.Владимира Краснова Т.П.", [("суда", "ORG"), ("Владимира Краснова Т.П.", "PERSON")],
     [("суда г.Владимира", "ORG"), ("Краснова Т.П.", "PERSON")]),
])
def test_russian_legal_naming_rules(text, model_spans, expected):
    fixed = _fix_russian(text, _locate(text, model_spans))
    assert [(text[s:e], label) for s, e, label in fixed] == expected


# -- long texts ----------------------------------------------------------------------------------

def test_split_chunks_cuts_on_paragraphs_and_keeps_every_character():
    text = "".join(f"Абзац номер {i}. " * 5 + "\n\n" for i in range(2000))
    pieces = list(split_chunks(text, 10_000))
    assert "".join(chunk for _, chunk in pieces) == text
    assert all(len(chunk) <= 10_000 for _, chunk in pieces)
    assert all(chunk.endswith("\n\n") for _, chunk in pieces[:-1])
    assert all(text[offset:offset + len(chunk)] == chunk for offset, chunk in pieces)


def test_split_chunks_without_breaks_still_bounded():
    pieces = list(split_chunks("а" * 25, 10))
    assert [len(chunk) for _, chunk in pieces] == [10, 10, 5]


@pytest.mark.parametrize("language, ending, person, place", [
    ("en", "Later Mr John Smith was taken to the police station in Manchester.",
     "John Smith", "Manchester"),
    ("ru", "Затем Петров Иван Сергеевич был доставлен в отдел полиции в Казани.",
     "Петров Иван Сергеевич", "Казани"),
])
def test_300k_text_is_chunked_and_offsets_point_into_the_whole_text(language, ending, person,
                                                                    place):
    # Digit-only filler keeps the models fast; paragraph breaks give the chunker its cuts.
    filler = ("1234567 " * 12 + "\n\n") * 3200
    text = filler + ending
    assert len(text) > 300_000
    assert len(list(split_chunks(text, nlp.MAX_CHUNK_CHARS))) >= 3
    entities = tag_entities(text, language)
    found = {(e.label, e.text) for e in entities}
    assert ("PERSON", person) in found and ("LOC", place) in found
    for entity in entities:
        assert entity.start >= len(filler)
        assert text[entity.start:entity.end] == entity.text


def test_many_texts_in_one_stream_keep_their_own_offsets():
    texts = ["Заявитель Петров Иван Сергеевич.", "", "Задержан в Казани сотрудниками полиции."]
    results = tag_entities_many(texts, "ru")
    assert len(results) == 3 and results[1] == []
    for text, entities in zip(texts, results):
        assert all(text[e.start:e.end] == e.text for e in entities)


# -- redaction markers ---------------------------------------------------------------------------

MARKERS = ("ФИО1", "ФИО12", "<данные изъяты>", "<адрес>", "[ФИО]", "{Адрес изъят}", "Ю.Г.Р.",
           "К.В.о.", "ДД.ММ.ГГГГ", "&lt;данные изъяты&gt;", "<ФИО>", "Ф.И.О.")


@pytest.mark.parametrize("marker", MARKERS)
def test_is_redaction(marker):
    assert is_redaction(marker)


@pytest.mark.parametrize("name", ["Глушков А.С.", "Петров", "Фиолетов", "Москва"])
def test_names_are_not_redactions(name):
    assert not is_redaction(name)


@pytest.mark.parametrize("text", [
    "Судья ФИО1 рассмотрел жалобу ФИО2 на действия сотрудников полиции.",
    "Подсудимый ФИО3, уроженец <адрес>, работающий в ООО «<данные изъяты>», проживает по <адрес>.",
    "Потерпевший [ФИО] пояснил, что Ю.Г.Р. находилась в {Адрес изъят} ДД.ММ.ГГГГ.",
    "Защитник &lt;данные изъяты&gt; просил суд учесть показания свидетеля ФИО4.",
    "Заявитель АДС обратилась в суд; свидетель Свидетель №1 подтвердил это.",
])
def test_redaction_markers_are_never_entities(text):
    for entity in tag_entities(text, "ru"):
        assert not nlp.REDACTION.search(entity.text), entity
        assert not is_redaction(entity.text), entity
        assert entity.text not in ("АДС",), entity


def test_redacted_tail_is_cut_from_an_organisation():
    text = "в Управление МВД России по <адрес> поступило"
    start = text.index("Управление")
    assert _clean_span(text, start, text.index(" поступило"), "ORG") == \
        (start, text.index(" по <адрес>"))
    assert _clean_span(text, text.index("<адрес>"), text.index(" поступило"), "LOC") is None


def test_titles_are_not_part_of_a_name():
    text = "M. R. Ryssdal, président"
    assert _clean_span(text, 0, 13, "PERSON") == (3, 13)


# -- the hand-labelled Russian gold --------------------------------------------------------------

def _gold() -> list[dict]:
    return [json.loads(line) for line in GOLD.read_text(encoding="utf-8").splitlines()
            if line.strip()]


def test_gold_has_enough_sentences_with_valid_offsets():
    records = _gold()
    assert len(records) >= 200
    for record in records:
        assert set(record) == {"source", "text", "entities"}
        assert record["source"].startswith("ru/")
        text = record["text"]
        previous_end = 0
        for start, end, label in sorted(record["entities"]):
            assert label in LABELS
            surface = text[start:end]
            assert surface and surface == surface.strip(), (record["source"], surface)
            assert start >= previous_end, "overlapping gold spans"
            assert not nlp.REDACTION.search(surface)
            previous_end = end


def test_gold_covers_every_label_and_redactions():
    records = _gold()
    labels = {label for record in records for _, _, label in record["entities"]}
    assert labels == LABELS
    assert sum(1 for r in records if nlp.REDACTION.search(r["text"])) >= 20
    assert {r["source"].split("/")[1] for r in records} == {"html_sudrf", "pdf_arbitrazh",
                                                            "txt_ovdinfo_koap"}


# -- the evaluation helpers ----------------------------------------------------------------------

def test_bio_reader_rebuilds_prose_and_maps_labels(tmp_path):
    path = tmp_path / "FR-mini.tsv"
    rows = ["Le O", "président O", ", O", "M B-LEGAL_PROFESSIONAL", ". I-LEGAL_PROFESSIONAL",
            "R I-LEGAL_PROFESSIONAL", ". I-LEGAL_PROFESSIONAL", "Ryssdal I-LEGAL_PROFESSIONAL",
            ", O", "siège O", "à O", "Strasbourg B-LOC", "le O", "5 B-DATE", "mai I-DATE", ". O",
            "", "L B-PER", ". I-PER", "vit O", "au O", "Royaume B-LOC", "- I-LOC", "Uni I-LOC",
            ". O"]
    path.write_text("\r\n".join(rows) + "\r\n", encoding="utf-8")
    first, second = read_bio_paragraphs(path)
    assert first.text == "Le président, M. R. Ryssdal, siège à Strasbourg le 5 mai."
    assert sorted(first.text[s:e] + "/" + label for s, e, label in first.spans) == \
        ["R. Ryssdal/PERSON", "Strasbourg/LOC"]
    assert second.text == "L. vit au Royaume-Uni."
    assert [second.text[s:e] for s, e, _ in second.spans] == ["Royaume-Uni"]


def test_score_counts_exact_and_overlapping_spans():
    result = score([{(0, 10, "ORG"), (20, 25, "LOC")}], [{(0, 6, "ORG"), (20, 25, "LOC")}])
    assert result["LOC"]["precision"] == result["LOC"]["recall"] == 1.0
    assert result["ORG"]["precision"] == 0.0 and result["ORG"]["recall_overlap"] == 1.0
    assert result["ALL"]["f1"] == 0.5
