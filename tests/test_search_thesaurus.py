"""Words across languages: the thesaurus of legal concepts and the word queries it widens.

A Russian lawyer types ``пытки``; the Court wrote "torture". A word or run of words naming a
concept of pipeline/search/language/thesaurus.tsv is ORed with the concept's terms in the
other languages, each a phrase in its own language's documents, and the terms added are shown.
Words that merely contain a term, phrases, field clauses, identifiers and negated words are
left as typed; with expansion off a query is exactly what it was without the thesaurus. The
index here is written without NLP: records straight into the catalogue, then each engine's
index rebuilt from it.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from click.testing import CliRunner
from fastapi.testclient import TestClient

from pipeline.catalogue import Catalogue, Document, Source
from pipeline.cli import cli
from pipeline.search import open_index, rebuild_index
from pipeline.search.language.query import (MAX_QUERY_CHARS, concept_query, parse_query,
                                            parse_search_query, rewrite_query)
from pipeline.search.language.schema import get_schema
from pipeline.search.language.thesaurus import (LANGUAGES, MAX_ADDED, MAX_PER_MATCH,
                                                ThesaurusError, analysed, default_thesaurus,
                                                read_concepts)
from pipeline.web import create_app

SCHEMA = get_schema()


POLICE = ["law-enforcement officers", "policiers (fr)", "полиция (ru)", "militsiya",
          "forces de l'ordre (fr)", "сотрудники полиции (ru)", "милиция (ru)",
          "сотрудники правоохранительных органов (ru)"]


def _added(query: str) -> list[str]:
    return [e.label() for e in parse_search_query(query, SCHEMA, expand=True)[2]]


# -- the data ------------------------------------------------------------------------------


def test_the_thesaurus_is_well_formed_and_large_enough():
    concepts = default_thesaurus().concepts
    assert len(concepts) >= 80
    for concept in concepts:
        assert all(concept.terms[lang] for lang in LANGUAGES), concept.id
    ids = [c.id for c in concepts]
    assert len(ids) == len(set(ids))
    # The concepts the NGO's cases turn on are there, in the Court's words.
    by_id = {c.id: c for c in concepts}
    assert by_id["torture"].terms["ru"][0] == "пытки"
    assert "mauvais traitements" in by_id["ill_treatment"].terms["fr"]
    assert by_id["non_pecuniary_damage"].terms["ru"][0] == "моральный вред"
    assert by_id["effective_investigation"].terms["fr"][0] == "enquête effective"
    assert "P1-1" in by_id["peaceful_enjoyment"].articles


def test_no_two_terms_of_a_language_index_alike():
    """A query word names at most one concept per language, and a concept adds each form once:
    two terms with the same stems or lemmas would be a mapping nobody chose."""
    for lang in LANGUAGES:
        seen: dict[tuple[str, ...], tuple[str, str]] = {}
        for concept in default_thesaurus().concepts:
            for term in concept.terms[lang]:
                key = analysed(lang, term)
                assert key, (lang, term)
                assert key not in seen, (lang, term, concept.id, seen.get(key))
                seen[key] = (concept.id, term)


@pytest.mark.parametrize("text, message", [
    ("id\tarticle\ten\tfr\n", "header"),
    ("id\tarticle\ten\tfr\tru\nx\t3\ttorture\ttorture\n", "columns"),
    ("id\tarticle\ten\tfr\tru\nx\t3\ttorture\t\tпытки\n", "no fr term"),
    ("id\tarticle\ten\tfr\tru\nx\t3\ta\tb\tв\nx\t3\tc\td\tг\n", "repeated id"),
    ('id\tarticle\ten\tfr\tru\nx\t3\t"a"\tb\tв\n', "double quote"),
    ("# nothing but a comment\n", "no header"),
])
def test_a_malformed_row_is_refused_naming_its_line(text, message):
    with pytest.raises(ThesaurusError, match=message):
        read_concepts(text)


# -- which words widen, and with what ------------------------------------------------------


@pytest.mark.parametrize("query, added", [
    # Russian to English and French, whatever the case of the word
    ("пытки", ["torture", "torture (fr)"]),
    ("пыток", ["torture", "torture (fr)"]),
    ("пытками", ["torture", "torture (fr)"]),
    # English to Russian only: the typed word already searches French documents as "tortur"
    ("torture", ["пытки (ru)"]),
    # multiword terms as runs of words, the longest first
    ("inhuman treatment", ["traitement inhumain (fr)", "бесчеловечное обращение (ru)"]),
    # each language's preferred term first, then the second of each...
    ("моральный вред", ["non-pecuniary damage", "préjudice moral (fr)",
                        "нематериальный ущерб (ru)", "moral damage", "dommage moral (fr)"]),
    ("компенсации морального вреда", ["compensation for non-pecuniary damage",
                                      "réparation du préjudice moral (fr)",
                                      "возмещение морального вреда (ru)",
                                      "compensation in respect of non-pecuniary damage",
                                      "indemnisation du préjudice moral (fr)",
                                      "compensation for moral damage",
                                      "réparation du dommage moral (fr)"]),
    # "enquête officielle effective" holds the typed words: it would find nothing more
    ("enquête effective", ["effective investigation", "эффективное расследование (ru)",
                           "effective official investigation",
                           "эффективное официальное расследование (ru)"]),
    ("превышение должностных полномочий",
     ["abuse of power", "excès de pouvoir (fr)", "превышение полномочий (ru)",
      "exceeding official powers", "abus de pouvoir (fr)", "exceeded his powers",
      "abus d'autorité (fr)", "abuse of authority"]),
    # a term holding all the typed words finds nothing more: "police officers" is left out
    ("police", POLICE),
    # near-misses: words that merely contain a term, or are half of one
    ("попытка", []),
    ("пытливый", []),
    ("Romania", []),
    ("Romanian", []),
    ("homework", []),
    ("inhuman", []),
    ("treatment", []),
    ("моральный", []),
    ("effective", []),
    # phrases, fields and identifiers keep their exact meaning
    ('"пытки"', []),
    ('"effective investigation"', []),
    ('"inhuman treatment"~3', []),
    ("article:3", []),
    ("title:torture", []),
    ('state:"Russian Federation"', []),
    ("17280/08", []),
    ("ст. 125 УПК", []),  # "УПК" is a term, but here part of a provision
    ("ч. 3 ст. 286 УК РФ", []),
    # syntax with its own meaning: wildcards, fuzzy and boosts, unknown fields
    ("tortur*", []),
    ("пытк?", []),
    ("torture^2", []),
    ("body_en:torture", []),
    # negated words are not widened (the lawyer excluded these words, not the concept)
    ("police NOT torture", POLICE),
    ("NOT (torture OR пытки)", []),
    ("discrimination ANDNOT пытки", ["discriminatory", "discriminatoire (fr)",
                                     "дискриминация (ru)", "дискриминационный (ru)"]),
])
def test_which_words_widen_and_with_what(query, added):
    assert _added(query) == added


def test_a_term_around_a_provision_keeps_the_provision_whole():
    rewritten, _, added = parse_search_query("жалоба в порядке статьи 125 УПК РФ", SCHEMA,
                                             expand=True)
    assert added[0].term == "complaint under Article 125 of the Code of Criminal Procedure"
    assert "provision:УПК:125" in str(rewritten)


def test_a_term_with_an_apostrophe_is_searched_as_typed_and_as_printed():
    """HUDOC's French texts print "l’instruction" four times in five, "l'instruction" the
    fifth; the analyzers keep the two apart."""
    query = str(parse_search_query("right to education", SCHEMA, expand=True)[0])
    assert "body_fr:\"droit l'instruct\"" in query and "body_fr:\"droit l’instruct\"" in query
    assert _added("droit à l’instruction") == _added("droit à l'instruction") != []


def test_widened_words_keep_their_own_meaning_and_gain_phrases():
    rewritten, keys = rewrite_query("пытки 17280/08")
    assert keys == ["17280/08"]
    from pipeline.search.language.query import _rewrite

    widened, widened_keys, added = _rewrite("пытки 17280/08", default_thesaurus())
    assert widened == ('((пытки) OR body_en:"torture" OR body_fr:"torture") '
                       "(own_ids:'17280/08' OR ids:'17280/08')")
    assert widened_keys == keys
    assert [(a.term, a.language, a.concept, a.matched) for a in added] == [
        ("torture", "en", "torture", "пытки"), ("torture", "fr", "torture", "пытки")]
    query = str(parse_search_query("неэффективное расследование", SCHEMA, expand=True)[0])
    assert 'body_en:"ineffect investig"' in query  # a phrase, in English documents only


@pytest.mark.parametrize("query", [
    "пытки", "torture police", "моральный вред", '"пытки" article:3', "17280/08 torture",
    "police NOT torture", "(torture OR пытки) state:russia", "tortur*", "ч. 3 ст. 286 УК РФ",
])
def test_expansion_off_is_the_query_of_old(query):
    assert parse_search_query(query, SCHEMA)[:2] == parse_query(query, SCHEMA)
    assert parse_search_query(query, SCHEMA, expand=False)[2] == []


@pytest.mark.parametrize("query", ["applicant complained", '"пытки" article:3', "17280/08",
                                   "tortur* NOT пытки"])
def test_a_query_naming_no_concept_is_unchanged_by_expansion(query):
    assert parse_search_query(query, SCHEMA, expand=True)[:2] == parse_query(query, SCHEMA)


def test_the_expansion_is_bounded():
    query = " ".join(["пытки полиция дискриминация выселение цыгане моральный вред",
                      "эффективное расследование жилище задержание"])
    added = parse_search_query(query, SCHEMA, expand=True)[2]
    assert len(added) == MAX_ADDED
    per_match: dict[str, int] = {}
    for a in added:
        per_match[a.matched] = per_match.get(a.matched, 0) + 1
    assert max(per_match.values()) <= MAX_PER_MATCH


@pytest.mark.parametrize(("query", "present", "absent"), [
    # a Russian description: its concepts in every language, none required
    ("жестокого обращения полицией",
     ['body_en:"ill-treatment"', 'body_fr:"mauvais traitements"', 'body_en:"police"',
      'body_ru:"жестокое обращение"'], ["AND"]),
    ("mobile raciste", ['body_en:"racist motive"', 'body_ru:"расистский мотив"'], []),
    # an apostrophe as typed and as the Court prints it
    ("liberté d'expression", ['body_fr:"liberté d\'expression"', 'body_fr:"liberté d’expression"',
                              'body_en:"freedom of expression"'], []),
])
def test_concept_query_ors_the_concepts_terms(query, present, absent):
    found = concept_query(query)
    assert found is not None
    clauses = found.split(" OR ")
    for clause in present:
        assert clause in clauses, (query, found)
    for word in absent:
        assert word not in clauses
    parse_query(found, SCHEMA)  # it is a query the index runs


@pytest.mark.parametrize("query", [
    "попытка побега",          # near-miss: holds "пытка" but names no concept
    "Romania",                 # near-miss: holds "Roma"
    "applicant complained",    # no concept at all
])
def test_concept_query_of_words_naming_no_concept(query):
    assert concept_query(query) is None


def test_concept_query_is_bounded():
    query = " ".join(["пытки полиция дискриминация выселение цыгане моральный вред",
                      "эффективное расследование жилище задержание"])
    found = concept_query(query)
    assert found is not None
    assert len(found.split(" OR ")) <= MAX_ADDED and len(found) <= MAX_QUERY_CHARS
    parse_query(found, SCHEMA)


# -- over an index, on both engines --------------------------------------------------------

DOCUMENTS = {
    "en-torture": ("en", "CASE OF A v. RUSSIA",
                   "The applicant alleged that the police officers had subjected him to torture "
                   "at the police station in order to extract a confession."),
    "fr-torture": ("fr", "AFFAIRE B c. RUSSIE",
                   "Le requérant allègue avoir été victime de torture au commissariat."),
    "ru-torture": ("ru", "Приговор по делу В.",
                   "Потерпевший показал, что сотрудники полиции применяли к нему пытки."),
    "en-quote": ("en", "CASE OF C v. RUSSIA",
                 "The applicant is a member of the Committee against Torture "
                 "(«Комитет против пыток»), an NGO based in Nizhniy Novgorod."),
    "en-other": ("en", "CASE OF D v. RUSSIA",
                 "The applicant complained about the length of civil proceedings."),
}


@pytest.fixture(scope="module")
def index_dir(tmp_path_factory, engine_name: str) -> Path:
    root = tmp_path_factory.mktemp(f"thesaurus-{engine_name}")
    index_dir = root / "index"
    catalogue = Catalogue.open(index_dir)
    try:
        for n, (doc_id, (language, title, text)) in enumerate(DOCUMENTS.items()):
            path = str(root / f"{doc_id}.txt")
            record = {"kind": "echr_judgment" if language != "ru" else "ru_sentence",
                      "title": title, "date": "2010-05-05", "paragraphs": [], "entities": [],
                      "citations": [], "sections": []}
            catalogue.record_source(
                Source(path=path, sha256=f"{n:064d}", size=len(text), mtime_ns=0,
                       format="txt", status="ok", pipeline_version="test"),
                [Document(id=doc_id, source_path=path, format="txt", text=text,
                          language=language, title=title, record=record)])
        rebuild_index(index_dir, catalogue, engine=engine_name)
    finally:
        catalogue.close()
    return index_dir


@pytest.fixture
def search(index_dir):
    def run(q: str, *, expand: bool, filters=()):
        catalogue = Catalogue.open(index_dir, readonly=True)
        try:
            return open_index(index_dir, catalogue, readonly=True).search(
                q, catalogue, limit=20, filters=list(filters), expand=expand)
        finally:
            catalogue.close()

    return run


def _ids(results) -> set[str]:
    return {h.id for h in results.hits}


def test_pytki_finds_the_english_judgment_on_torture_with_expansion_only(search):
    plain = search("пытки", expand=False)
    assert _ids(plain) == {"ru-torture", "en-quote"}  # today: only a quoted Russian name
    assert plain.expanded == []
    widened = search("пытки", expand=True)
    assert _ids(widened) == {"ru-torture", "en-quote", "en-torture", "fr-torture"}
    assert [e.label() for e in widened.expanded] == ["torture", "torture (fr)"]
    english = search("пытки", expand=True, filters=["language:en"])
    assert _ids(english) == {"en-torture", "en-quote"}
    hit = next(h for h in english.hits if h.id == "en-torture")
    assert hit.snippet is not None and "**torture**" in hit.snippet.marked()


def test_torture_finds_the_russian_ruling_with_expansion_only(search):
    assert "ru-torture" not in _ids(search("torture", expand=False))
    assert "ru-torture" in _ids(search("torture", expand=True))
    assert _ids(search("torture", expand=True, filters=["kind:ru_sentence"])) == {"ru-torture"}


@pytest.mark.parametrize("query", ['"пытки"', "applicant NOT пытки", "попытка", "torture*",
                                   "applicant complained", "civil proceedings"])
def test_queries_that_must_not_widen_find_what_they_found(search, query):
    plain, widened = search(query, expand=False), search(query, expand=True)
    assert _ids(widened) == _ids(plain)
    assert [h.score for h in widened.hits] == [h.score for h in plain.hits]
    assert widened.expanded == []


def test_the_engine_default_is_the_words_typed(index_dir):
    """A library call means its words (the CLI and the page turn expansion on)."""
    catalogue = Catalogue.open(index_dir, readonly=True)
    try:
        results = open_index(index_dir, catalogue, readonly=True).search("пытки", catalogue)
    finally:
        catalogue.close()
    assert results.expanded == [] and "en-torture" not in _ids(results)


# -- shown to the user: CLI, API, page -----------------------------------------------------


def test_words_mode_keeps_the_words_typed_unless_asked():
    """The words mode (today's only one) keeps the exact results of the words typed: the
    lawyers' saved searches and the search tests rely on them. Modes that go beyond the words
    typed widen by default."""
    from pipeline.search import expands_by_default

    assert expands_by_default() is False and expands_by_default("words") is False
    assert expands_by_default("both") is True


def test_the_cli_says_what_it_also_searched(index_dir):
    runner = CliRunner()
    result = runner.invoke(cli, ["search", "пытки", "--expand", "--index", str(index_dir)])
    assert result.exit_code == 0, result.output
    assert "also searched: torture, torture (fr)" in result.stderr
    assert "en-torture" in result.stdout
    for off in (["--no-expand"], []):
        plain = runner.invoke(cli, ["search", "пытки", *off, "--index", str(index_dir)])
        assert "also searched" not in plain.stderr and "en-torture" not in plain.stdout
    data = json.loads(runner.invoke(cli, ["search", "пытки", "--json", "--expand",
                                          "--index", str(index_dir)]).stdout)
    assert data["expanded"] == [
        {"term": "torture", "language": "en", "concept": "torture", "matched": "пытки"},
        {"term": "torture", "language": "fr", "concept": "torture", "matched": "пытки"}]
    data = json.loads(runner.invoke(cli, ["search", "пытки", "--json",
                                          "--index", str(index_dir)]).stdout)
    assert data["expanded"] == [] and {h["id"] for h in data["hits"]} == {"ru-torture",
                                                                          "en-quote"}


@pytest.fixture
def client(index_dir) -> TestClient:
    return TestClient(create_app(index_dir), base_url="http://127.0.0.1:8080")


def test_the_api_lists_the_terms_added_and_expand_turns_them_on_and_off(client):
    on = client.get("/api/search", params={"q": "пытки", "expand": "1"}).json()
    assert [(e["term"], e["language"]) for e in on["expanded"]] == [("torture", "en"),
                                                                   ("torture", "fr")]
    assert "en-torture" in {h["id"] for h in on["hits"]}
    for params in ({"expand": "0"}, {}):
        off = client.get("/api/search", params={"q": "пытки", **params}).json()
        assert off["expanded"] == [] and "en-torture" not in {h["id"] for h in off["hits"]}
    spec = client.get("/openapi.json").json()
    assert "expanded" in spec["components"]["schemas"]["SearchResults"]["properties"]
    assert "expand" in {p["name"] for p in spec["paths"]["/api/search"]["get"]["parameters"]}


def _hit_ids(page) -> set[str]:
    return {a["href"].split("?")[0].rsplit("/", 1)[-1] for a in page.select("a.hit-title")}


def test_the_page_offers_the_terms_and_shows_them_once_searched(client):
    page = BeautifulSoup(client.get("/search", params={"q": "пытки"}).text, "html.parser")
    assert page.select_one("#expanded") is None and "en-torture" not in _hit_ids(page)
    offer = page.select_one("#expand-offer")
    assert " ".join(offer.get_text().split()).startswith("In other languages: torture, "
                                                         "torture (fr)")
    widened = BeautifulSoup(client.get(offer.select_one("a")["href"]).text, "html.parser")
    line = widened.select_one("#expanded")
    assert " ".join(line.get_text().split()).startswith("Also searched: torture, torture (fr)")
    assert "en-torture" in _hit_ids(widened)
    assert widened.select_one('form#search input[name="expand"]')["value"] == "1"
    back = BeautifulSoup(client.get(line.select_one("a")["href"]).text, "html.parser")
    assert back.select_one("#expanded") is None and "en-torture" not in _hit_ids(back)
    nothing = BeautifulSoup(client.get("/search", params={"q": "applicant"}).text,
                            "html.parser")
    assert nothing.select_one("#expand-offer") is None


@pytest.mark.parametrize(("query", "expand"), [
    ("пытки", True), ("пытки", False), ("torture", True),
    (concept_query("жестокого обращения полицией") or "", False),
    ("nothing-matches-this", False),
])
def test_hits_listed_without_snippets_are_dressed_as_search_dresses_them(index_dir, query, expand):
    """A fused search ranks candidates without snippets and dresses only the page shown: the
    page must read exactly as the word search shows it (snippet, paragraph, citation)."""
    catalogue = Catalogue.open(index_dir, readonly=True)
    try:
        index = open_index(index_dir, catalogue, readonly=True)
        shown = index.search(query, catalogue, limit=20, expand=expand)
        listed = index.search(query, catalogue, limit=20, expand=expand, snippets=False)
        assert [h.id for h in listed.hits] == [h.id for h in shown.hits]
        assert all(h.snippet is None and h.citation is None for h in listed.hits)
        dressed = index.with_snippets(query, listed.hits, catalogue, expand=expand)
        assert [h.to_json() for h in dressed] == [h.to_json() for h in shown.hits]
    finally:
        catalogue.close()
