"""Did you mean: a query with (almost) no hits gets spellings from the index's own words, in
Russian, English and French, on both engines; the query typed is the one run, and what means
exactly what was typed (phrases, fields, identifiers) or is a word the index holds is never
"corrected"."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from click.testing import CliRunner
from conftest import index_with_engine
from fastapi.testclient import TestClient
from whoosh.support.levenshtein import damerau_levenshtein

from pipeline.catalogue import Catalogue
from pipeline.cli import cli
from pipeline.errors import QueryError
from pipeline.ingest import ingest
from pipeline.search import open_index
from pipeline.search.language.query import MAX_TERMS, parse_query, word_spans
from pipeline.search.language.schema import get_schema
from pipeline.search.spelling import _bigrams, _may_be_near
from pipeline.web import create_app


def _echr(name: str, number: str, paragraphs: list[str]) -> str:
    body = "\n\n".join(f"{n}. {p}" for n, p in enumerate(paragraphs, 1))
    return (f"CASE OF {name.upper()} v. RUSSIA\n\n(Application no. {number})\n\nJUDGMENT\n\n"
            f"STRASBOURG\n\n10 March 2011\n\nTHE FACTS\n\n{body}\n")


def _affaire(name: str, number: str, paragraphs: list[str]) -> str:
    body = "\n\n".join(f"{n}. {p}" for n, p in enumerate(paragraphs, 1))
    return (f"AFFAIRE {name.upper()} c. FRANCE\n\n(Requête no {number})\n\nARRÊT\n\n"
            f"STRASBOURG\n\n12 avril 2012\n\nEN FAIT\n\n{body}\n")


def _ruling(number: str, text: str) -> str:
    return f"Дело № {number}\nПРИГОВОР\nИменем Российской Федерации\n{text}\n"


DOCS = {
    "en1.txt": _echr("Petrov", "17280/08", [
        "The applicant was detained at the police station and complained of torture.",
        "He alleged that the officers had subjected him to torture to obtain a confession.",
        "The investigation into his complaint of ill-treatment was ineffective."]),
    "en2.txt": _echr("Sidorov", "21111/09", [
        "The applicant was detained on 5 May 2004 and later released.",
        "He complained that he had been tortured in custody and that nobody investigated.",
        "The Court finds that the torture inflicted on him breached Article 3."]),
    "en3.txt": _echr("Kuznetsov", "31313/10", [
        "The applicant was detained for two days without a court order.",
        "His allegations of torture were never examined by the prosecutor.",
        "The Government denied that torture had taken place."]),
    "en4.txt": _echr("Volkov", "41414/11", [
        "The applicant, a detainee of the remand prison, complained of overcrowding.",
        "He was detained in a cell of eight square metres with six other persons.",
        "The conditions amounted to degrading treatment."]),
    "fr1.txt": _affaire("Dupont", "33333/10", [
        "Le requérant a été placé en détention provisoire et se plaint de torture.",
        "Il soutient que les policiers lui ont infligé des actes de torture pendant sa "
        "détention.",
        "La Cour estime que la détention du requérant était irrégulière."]),
    "fr2.txt": _affaire("Martin", "34343/11", [
        "La requérante se plaint de sa détention dans un commissariat de police.",
        "Elle allègue que les conditions de détention étaient inhumaines et que "
        "l'enquête sur ses allégations de torture a été inefficace.",
        "Le Gouvernement conteste la version des faits de la requérante."]),
    "fr3.txt": _affaire("Bernard", "35353/12", [
        "Le requérant dénonce la durée de sa détention provisoire.",
        "Il se plaint également de mauvais traitements et de torture lors de son arrestation.",
        "La Cour rappelle sa jurisprudence constante en la matière."]),
    "ru1.txt": _ruling("1-123/2020", "Суд установил применение пыток к задержанному. "
                       "Расследование по факту пыток проведено неэффективно. "
                       "Следователь не провёл расследование своевременно."),
    "ru2.txt": _ruling("1-124/2020", "Потерпевший заявил о пытках в отделе полиции. "
                       "Доводы о применении пытки подтверждены, расследование возобновлено."),
    "ru3.txt": _ruling("1-125/2020", "Подсудимый признан виновным в превышении должностных "
                       "полномочий с применением пытки. Расследование завершено, "
                       "следы пыток установлены судебно-медицинской экспертизой."),
}


@pytest.fixture(scope="module")
def ingested(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("spelling")
    src = root / "docs"
    src.mkdir()
    for name, text in DOCS.items():
        (src / name).write_text(text, encoding="utf-8")
    report = ingest([src], root / "index", jobs=1)
    assert report.failed == 0
    return root / "index"


@pytest.fixture(scope="module")
def index_dir(ingested: Path, engine_name: str, tmp_path_factory) -> Path:
    return index_with_engine(ingested, engine_name, tmp_path_factory.mktemp(engine_name))


def run(index_dir: Path, *args: str):
    return CliRunner().invoke(cli, ["search", *args, "--index", str(index_dir)])


def search_json(index_dir: Path, query: str, *more: str) -> dict:
    result = run(index_dir, query, "--json", *more)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def suggested(data: dict) -> list[str]:
    return [s["query"] for s in data["suggestions"]]


@pytest.mark.parametrize(("query", "expected"), [
    # English, French and Russian typos: the printed word, not the stem or lemma.
    ("tortrue", {"torture"}),
    ("Tortrue", {"Torture"}),
    ("détension", {"détention"}),
    ("investigaton", {"investigation"}),  # a typo in the suffix the stemmer would remove
    ("пыьки", {"пытки"}),
    ("расследованиэ", {"расследование"}),
    # The rest of the query is kept as typed.
    ("tortrue language:en", {"torture language:en"}),
    ("tortrue AND detained", {"torture AND detained"}),
    ('"police station" tortrue', {'"police station" torture'}),
    # A query with a hit or two still gets one when a word is unknown (OR).
    ("tortrue OR overcrowding", {"torture OR overcrowding"}),
])
def test_typos_get_the_word_the_index_prints(index_dir: Path, query: str, expected: set[str]):
    data = search_json(index_dir, query)
    assert data["suggestions"], data
    first = data["suggestions"][0]
    assert first["query"] in expected
    assert first["total"] > data["total"]
    # Never silently rewritten: the hits are those of the query typed.
    assert data["query"] == query
    again = search_json(index_dir, first["query"])
    assert again["total"] == first["total"]


@pytest.mark.parametrize("query", [
    "detainee",              # a correct rare word (one document), though "detained" is common
    "torture",               # many hits
    '"tortrue"',             # a quoted phrase means exactly what it says
    "title:tortrue",         # so does a field clause
    "article:33",            # a field with no hits
    "17281/08",              # an identifier with no hits
    "xqzvbnwk",              # nothing near it
    "tortrue пыьки",         # both corrected find nothing together: not offered
    "tor",                   # too short to correct
])
def test_near_misses_get_no_suggestion(index_dir: Path, query: str):
    assert search_json(index_dir, query)["suggestions"] == []


def test_the_suggestion_counts_with_the_same_filters(index_dir: Path) -> None:
    everywhere = search_json(index_dir, "tortrue")["suggestions"][0]
    french = search_json(index_dir, "tortrue", "--filter", "language:fr")["suggestions"][0]
    assert everywhere["query"] == french["query"] == "torture"
    assert french["total"] == 3 < everywhere["total"]


def test_cli_says_did_you_mean(index_dir: Path) -> None:
    result = run(index_dir, "tortrue")
    assert result.exit_code == 0
    assert "0 documents match" in result.stderr
    assert "Did you mean: torture (" in result.stderr and "hits)?" in result.stderr
    assert result.stdout == ""


def test_web_page_links_the_suggestion_and_api_lists_it(index_dir: Path) -> None:
    client = TestClient(create_app(index_dir), base_url="http://127.0.0.1:8080")
    page = BeautifulSoup(client.get("/search", params={"q": "tortrue",
                                                       "filter": "language:fr"}).text,
                         "html.parser")
    link = page.select_one("#suggestions a.suggestion")
    assert link is not None and link.text == "torture"
    assert link["href"] == "/search?q=torture&filter=language%3Afr"
    assert "(3 hits)" in page.select_one("#suggestions").text
    assert not page.select("#results .hit")
    followed = BeautifulSoup(client.get(link["href"]).text, "html.parser")
    assert len(followed.select("#results .hit")) == 3
    assert not followed.select("#suggestions")
    api = client.get("/api/search", params={"q": "tortrue"}).json()
    assert api["total"] == 0 and api["hits"] == []
    assert api["suggestions"][0]["query"] == "torture"
    assert "suggestions" in client.get("/openapi.json").json()["components"]["schemas"][
        "SearchResults"]["properties"]


@pytest.mark.parametrize(("a", "b", "edits"), [
    ("tortur", "tortru", 1), ("investig", "investiga", 1), ("détent", "détens", 1),
    ("abcd", "acbd", 1), ("пытка", "пыька", 1), ("applic", "applicnat", 3),
    ("government", "govenrment", 1), ("custodi", "custdy", 2), ("ab", "ba", 1),
])
def test_the_letter_pair_filter_keeps_every_near_term(a: str, b: str, edits: int) -> None:
    assert damerau_levenshtein(a, b) <= edits
    assert _may_be_near(a, b, _bigrams(b), edits)


def test_the_letter_pair_filter_drops_far_terms() -> None:
    assert not _may_be_near("detention", "tortures", _bigrams("tortures"), 2)


def test_word_spans_leave_out_what_means_exactly_what_was_typed() -> None:
    q = 'tortrue "police custody" article:3 17280/08 ч. 3 ст. 286 УК РФ А40-5590 пыьки'
    words = " ".join(q[s:e] for s, e in word_spans(q)).split()
    assert words == ["tortrue", "пыьки"]


def test_a_pasted_paragraph_is_told_what_to_do_instead() -> None:
    paragraph = " ".join(["the applicant was beaten by police officers"] * 10)
    with pytest.raises(QueryError) as refused:
        parse_query(paragraph, get_schema())
    message = str(refused.value)
    assert f"limit {MAX_TERMS}" in message and "too many" in message
    assert "article:3" in message and "precedents similar" in message
    assert parse_query(" ".join(["torture"] * MAX_TERMS), get_schema())
