"""Reading a document on the page: the query's words marked (``search/within.py``, drawn by
``web/render.py``), the "Find in this document" box, and the search page's small defects
(no results, a page past the last, an unclosed quotation mark, the API's declared errors).

Records are written straight into a catalogue (no NLP) and indexed with each engine in turn;
the words marked must be the ones the index matches, so tables hold near-misses: words that
share letters but not a form ("попытка" for "пытка", "tortoise" for "torture"), field clauses
(``article:3``) and negated words, which are never marked.
"""

from __future__ import annotations

from html.parser import HTMLParser

import pytest
from bs4 import BeautifulSoup
from click.testing import CliRunner
from fastapi.testclient import TestClient

from conftest import index_of_records
from pipeline.cli import cli
from pipeline.search.language.schema import get_schema
from pipeline.search.within import places, wanted
from pipeline.web import create_app
from pipeline.web.render import PART_CHARS, Mark, render_text

BASE = "http://127.0.0.1:8080"
SCHEMA = get_schema()


# -- which words are marked ------------------------------------------------------------------


@pytest.mark.parametrize("language, text, query, expected", [
    # Russian lemmas: every form of the word, never a longer word holding it
    ("ru", "Заявитель жаловался на пытки. Попытка побега. Пыток не было.", "пытка",
     ["пытки", "Пыток"]),
    # English stems; "tortoise" shares five letters, not the stem
    ("en", "He was tortured; a tortoise; torture.", "torture", ["tortured", "torture"]),
    # a field clause is not a word of the text: "3" of "Article 3" stays unmarked
    ("en", "Article 3 prohibits torture.", "article:3 torture", ["torture"]),
    ("en", "Article 3 prohibits torture.", "article:3", []),
    # a negated word is what the hits do not hold: never marked
    ("en", "The police beat him: torture.", "torture NOT police", ["torture"]),
    # a phrase is one stretch, stop words between its words allowed as the index skips them;
    # its words apart are not marked
    ("en", "in police custody; police station custody; police in custody",
     '"police custody"', ["police custody", "police in custody"]),
    ("ru", "Жестокого обращения не было; обращение было жестоким.", '"жестокое обращение"',
     ["Жестокого обращения"]),
    # proximity: each word where they stand close enough
    ("en", "police officers beat him; the police were far from any beating",
     '"police beat"~3', ["police", "beat"]),
    # French stems
    ("fr", "la torture et les tortures; le tort", "torture", ["torture", "tortures"]),
    # identifiers as printed, whole
    ("en", "no. 41234/15, not no. 141234/15 nor 41234/150", "41234/15", ["41234/15"]),
    # a title clause asks for nothing in the text
    ("en", "torture", "title:torture", []),
    # wildcards stand for the text's own words of the index's forms
    ("en", "torture, tortured, tortoise", "tortur*", ["torture", "tortured"]),
    # an empty query marks nothing
    ("en", "torture", "", []),
])
def test_places_are_the_words_the_index_matches(language, text, query, expected):
    want = wanted(query, SCHEMA, language)
    found = places(text, want, SCHEMA[want.field].analyzer)
    assert [text[s:e] for s, e in found] == expected


# -- drawing marks among entities and citations ------------------------------------------------


class _Nesting(HTMLParser):
    """Checks that every element closes in order and no link sits inside a link."""

    VOID = {"br", "img", "input", "meta", "link"}

    def __init__(self):
        super().__init__()
        self.stack: list[str] = []
        self.problems: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag in self.VOID:
            return
        if tag == "a" and "a" in self.stack:
            self.problems.append("a link inside a link")
        self.stack.append(tag)

    def handle_endtag(self, tag):
        if not self.stack or self.stack[-1] != tag:
            self.problems.append(f"</{tag}> closes {self.stack[-1:] or 'nothing'}")
        else:
            self.stack.pop()


def _well_nested(html: str) -> None:
    checker = _Nesting()
    checker.feed(html)
    checker.close()
    assert checker.problems == [] and checker.stack == [], (checker.problems, html)


def _record(text, paragraphs=(), entities=(), citations=()):
    return {"text": text, "paragraphs": list(paragraphs), "entities": list(entities),
            "citations": list(citations), "sections": []}


def _marks(text: str, *words: str) -> list[Mark]:
    spans = sorted((text.index(w), text.index(w) + len(w)) for w in words)
    return [Mark(s, e, n, f"{n} of {len(spans)}", f"#m-{n - 1}" if n > 1 else None,
                 f"#m-{n + 1}" if n < len(spans) else None) for n, (s, e) in enumerate(spans, 1)]


TEXT = "1. See Ivanov v. Russia, where torture by police was found."


@pytest.mark.parametrize("case, entities, citations, words, pieces", [
    # a query word inside an entity: the mark inside it
    ("inside an entity", [{"label": "PERSON", "start": 7, "end": 13}], [], ["Ivanov"],
     [("ent", "Ivanov")]),
    # a mark larger than an entity, and one crossing an entity's edge: drawn in pieces
    ("across an entity's edge", [{"label": "ORG", "start": TEXT.index("by police"),
                                   "end": TEXT.index(" was")}], [],
     ["torture by"], [("", "torture "), ("ent", "by")]),
    # a query word inside a linked citation: the mark inside the link, its links after it
    ("inside a citation link", [{"label": "PERSON", "start": 7, "end": 13}],
     [{"start": 7, "end": 23, "text": "Ivanov v. Russia", "case_numbers": []}], ["Ivanov"],
     [("ent", "Ivanov")]),
    # a phrase running out of a citation: the citation whole, the mark in two pieces
    ("across a citation's edge", [],
     [{"start": 7, "end": 23, "text": "Ivanov v. Russia", "case_numbers": []}],
     ["Russia, where"], [("citation", "Russia"), ("", ", where")]),
    # two marks, one in the entity and one outside
    ("two marks", [{"label": "PERSON", "start": 7, "end": 13}], [], ["Ivanov", "police"],
     [("ent", "Ivanov"), ("", "police")]),
])
def test_marks_nest_inside_entities_and_citations(case, entities, citations, words, pieces):
    record = _record(TEXT, [{"number": "1", "start": 0, "end": len(TEXT)}], entities,
                     citations)
    marks = _marks(TEXT, *words)
    html = str(render_text(record, {7: "ivanov"}, marks=marks))
    _well_nested(html)
    page = BeautifulSoup(html, "html.parser")
    drawn = []
    for mark in page.select("mark.q"):
        parent = mark.parent
        kind = ("ent" if "ent" in (parent.get("class") or []) else
                "citation" if "citation" in (parent.get("class") or []) else "")
        drawn.append((kind, mark.get_text()))
    assert drawn == pieces, case
    # every mark has its links, once, outside any link, in order; the text is whole
    navs = page.select("span.mark-nav")
    assert [n["id"] for n in navs] == [f"m-{m.number}" for m in marks]
    assert all(n.find_parent("a") is None for n in navs)
    for nav in navs:
        nav.decompose()
    for link in page.select("a.para-number"):
        link.decompose()
    assert page.get_text() == TEXT
    if citations:
        assert page.select_one('a.citation[href="/documents/ivanov"]')


# -- the document page -------------------------------------------------------------------------


def _serve(tmp_path, records: dict[str, dict], engine: str) -> TestClient:
    """A client over ``records`` written straight into the catalogue, indexed by ``engine``."""
    return TestClient(create_app(index_of_records(tmp_path, records, engine)), base_url=BASE)




SENTENCE = "The applicant was beaten at the police station in Ensk on 5 May 2005. "


def _judgment(chars: int, **extra) -> dict:
    text = (SENTENCE * (chars // len(SENTENCE) + 1))[:chars]
    paragraphs = [{"number": str(i + 1), "start": s, "end": min(s + 140, chars),
                   "section": "law"} for i, s in enumerate(range(0, chars, 150))]
    return {"text": text, "paragraphs": paragraphs, "entities": [], "citations": [],
            "sections": [], "kind": "echr_judgment", "title": "CASE OF LONG v. RUSSIA",
            "date": "2005-05-05", "respondent_states": ["Russia"], **extra}


#: A text of two parts whose one block is cut at the line break between "police" and
#: "custody" (``render._split``): the phrase "police custody" runs over the parts' boundary.
_FILL = "The applicant stayed there for days. "
_CUT = (_FILL * (PART_CHARS // len(_FILL)))[:PART_CHARS - 200]
BOUNDARY_TEXT = (_CUT + "held in police\ncustody by the police " + _FILL * 40
                 + "later police custody again.")


@pytest.fixture(scope="module")
def reading_index(engine_name, tmp_path_factory):
    records = {
        "long": _judgment(300_000),
        "ru": {"text": "1. Заявитель жаловался на пытки.\n2. Попытка побега не удалась.\n"
                       "3. Статья 3 Конвенции запрещает пытки.",
               "paragraphs": [{"number": "1", "start": 0, "end": 32},
                              {"number": "2", "start": 33, "end": 62},
                              {"number": "3", "start": 63, "end": 100}],
               "entities": [], "citations": [], "sections": [], "kind": "ru_other",
               "title": "ПОСТАНОВЛЕНИЕ", "language": "ru"},
        "en": {"text": "1. The applicant complained of torture.\n2. The tortoise was not at issue.",
               "paragraphs": [{"number": "1", "start": 0, "end": 39},
                              {"number": "2", "start": 40, "end": 72}],
               "entities": [], "citations": [], "sections": [], "kind": "echr_judgment",
               "title": "CASE OF EN v. RUSSIA"},
        "boundary": {"text": BOUNDARY_TEXT, "paragraphs": [], "entities": [],
                     "citations": [], "sections": [], "kind": "ru_other", "title": "BOUNDARY"},
    }
    return index_of_records(tmp_path_factory.mktemp(f"reading-{engine_name}"), records, engine_name)


@pytest.fixture(scope="module")
def reading(reading_index) -> TestClient:
    return TestClient(create_app(reading_index), base_url=BASE)


def _page(client: TestClient, url: str) -> BeautifulSoup:
    response = client.get(url)
    assert response.status_code == 200, response.text[:500]
    return BeautifulSoup(response.text, "html.parser")


def test_a_hit_link_carries_the_query_and_the_page_marks_its_words(reading):
    """GIVEN a search WHEN its hit is followed THEN the document's page marks the query's
    words (every form), not a field clause's value, nor a longer word holding the word."""
    search = _page(reading, "/search?q=%D0%BF%D1%8B%D1%82%D0%BA%D0%B0")
    href = search.select_one("ol#results a.hit-title")["href"]
    assert "q=%D0%BF%D1%8B%D1%82%D0%BA%D0%B0" in href
    page = _page(reading, href.split("#")[0])
    assert [m.get_text() for m in page.select("#text mark.q")] == ["пытки", "пытки"]
    assert "Попытка" not in " ".join(m.get_text() for m in page.select("mark"))
    # a field clause in the query is not marked ("Статья 3": the 3 stays plain)
    page = _page(reading, "/documents/ru?q=article%3A3+%D0%BF%D1%8B%D1%82%D0%BA%D0%B0")
    assert [m.get_text() for m in page.select("#text mark.q")] == ["пытки", "пытки"]
    assert page.select_one("#found .found-count").get_text(" ", strip=True).startswith(
        "2 places match in 2 paragraphs")


def test_a_widened_search_marks_the_terms_it_added(reading):
    """GIVEN a Russian word searched with the other languages' terms (``expand=1``) WHEN an
    English hit is followed THEN its page marks the English term the search added; the same
    word without them marks nothing in English (near-miss: "tortoise" never)."""
    search = _page(reading, "/search?q=%D0%BF%D1%8B%D1%82%D0%BA%D0%B0&expand=1")
    href = next(a["href"] for a in search.select("ol#results a.hit-title")
                if a["href"].startswith("/documents/en?"))
    assert "expand=1" in href
    page = _page(reading, href.split("#")[0])
    assert [m.get_text() for m in page.select("#text mark.q")] == ["torture"]
    plain = _page(reading, "/documents/en?q=%D0%BF%D1%8B%D1%82%D0%BA%D0%B0")
    assert plain.select("#text mark") == []
    assert "No words of" in plain.select_one("#found").get_text()


def test_marks_link_to_each_other_across_parts(reading):
    """GIVEN a long judgment drawn in parts WHEN its words are marked THEN each mark's "next"
    link leads to the following mark, on the same part (an anchor) or on the next part (a
    link that keeps the query), and that page holds the mark's id; "3 of N" counts them."""
    first = _page(reading, "/documents/long?q=beaten")
    navs = first.select("span.mark-nav")
    total = int(first.select_one("#found .found-count").get_text().split()[0])
    assert total == 300_000 // len(SENTENCE) + 1
    assert navs[2].select_one(".mark-count").get_text() == f"3 of {total}"
    assert navs[0].select_one("a[rel=prev]") is None
    assert navs[1].select_one("a[rel=prev]")["href"] == "#m-1"
    last = navs[-1]
    number = int(last["id"][2:])
    href = last.select_one("a[rel=next]")["href"]
    assert href.startswith("/documents/long?part=2&q=beaten#")
    assert href.endswith(f"#m-{number + 1}")
    second = _page(reading, href.split("#")[0])
    there = second.select_one(f"#m-{number + 1}")
    assert there is not None
    assert there.select_one("a[rel=prev]")["href"] == f"/documents/long?q=beaten#m-{number}"
    # the pager keeps the query; "clear" drops it
    assert all("q=beaten" in a["href"] for a in second.select("#parts-top a.part"))
    assert "q=" not in second.select_one("#found a.found-clear")["href"]
    # the last mark of the document has no "next"
    tail = _page(reading, second.select("#parts-top a.part")[-1]["href"])
    assert tail.select("span.mark-nav")[-1].select_one("a[rel=next]") is None


def test_find_lists_the_paragraphs_and_each_link_lands_on_its_mark(reading):
    """GIVEN the "Find in this document" box WHEN a word is looked for THEN the page says how
    many places match, lists the paragraphs holding them with their numbers, and each link
    leads to a page holding its mark, across parts."""
    page = _page(reading, "/documents/long?find=stations")
    assert page.select_one("form#find input[name=find]")["value"] == "stations"
    assert page.select_one("#found-list").has_attr("open")
    items = page.select("#found-list li")
    assert len(items) == 100           # LISTED; the marks go on past it
    assert items[0].select_one("a").get_text() == "§ 1"
    assert items[0].select_one("mark").get_text() == "station"
    for item in items[::33] + items[-1:]:
        href = item.select_one("a")["href"]
        path, _, anchor = href.partition("#")
        target = page if not path else _page(reading, path)
        assert target.select_one(f"#{anchor}") is not None, href
    nothing = _page(reading, "/documents/long?find=tortoise")
    assert "No words of tortoise occur" in nothing.select_one("#found").get_text()
    assert nothing.select("mark") == []


def test_a_mark_across_a_part_boundary_is_drawn_on_both_parts(reading):
    """GIVEN a phrase whose words fall on two parts (the block is cut between them) WHEN it is
    marked THEN its first part holds the mark with its id and links, the next part the rest
    of the mark without a second id, and the links of the mark after it lead back to it."""
    first = _page(reading, '/documents/boundary?q="police custody"')
    assert first.select_one("#parts-top")
    assert [m.get_text() for m in first.select("#text mark.q")] == ["police"]
    assert first.select_one("#m-1") is not None
    second = _page(reading, first.select_one("#m-1 a[rel=next]")["href"].split("#")[0])
    texts = [m.get_text() for m in second.select("#text mark.q")]
    assert texts == ["custody", "police custody"]
    assert second.select_one("#m-1") is None and second.select_one("#m-2") is not None
    assert second.select_one("#m-2 a[rel=prev]")["href"].endswith("#m-1")
    assert "part=" not in second.select_one("#m-2 a[rel=prev]")["href"]


def test_a_query_of_field_clauses_only_marks_nothing_and_says_so_when_asked(reading):
    """A search by ``article:3`` alone names no word: its hits' pages mark nothing and say
    nothing; typed into the box, the page says why nothing is found."""
    page = _page(reading, "/documents/ru?q=article%3A3")
    assert page.select_one("#found") is None and page.select("#text mark") == []
    page = _page(reading, "/documents/ru?find=article%3A3")
    assert "Give words to find" in page.select_one("#found").get_text()


def test_a_query_the_search_refuses_is_said_on_the_document_page(reading):
    page = _page(reading, '/documents/ru?find="пытка')
    assert "quotation mark is not closed" in page.select_one("#found .error").get_text()
    assert page.select("#text mark") == []


# -- the search page's small defects -----------------------------------------------------------


def test_no_results_take_the_whole_width(reading):
    """Without facets (nothing matched), the results' column is the first in its grid, which
    the stylesheet spans over the whole width (tests/test_browser.py measures it)."""
    page = _page(reading, "/search?q=tortrue")
    layout = page.select_one(".results-layout")
    assert layout.select_one("#facets") is None
    children = layout.find_all(recursive=False)
    assert children[0]["class"] == ["results-main"]
    assert "No documents match" in children[0].get_text()


@pytest.mark.parametrize("page_number, past", [("99", True), ("3", True), ("2", False),
                                               ("1", False)])
def test_a_page_past_the_last_says_so_and_links_to_the_last(reading, page_number, past):
    """A page past the last (an edited or old link) says so and links to the last page,
    rather than "page 99 of 2" over an empty list, or the last page's hits under 99."""
    page = _page(reading, f"/search?q=police&limit=1&page={page_number}")
    total = page.select_one("#total").get_text()
    assert int(total.split()[0]) == 2           # "long" and "boundary": two pages of one
    notice = page.select_one("#past-end")
    if past:
        assert notice and f"no page {page_number}" in notice.get_text()
        assert notice.select_one("a")["href"].endswith("page=2")
        assert f"page {page_number}" not in total and page.select_one("nav.pager") is None
        assert page.select_one(".empty") is None
    else:
        assert notice is None and f"page {page_number} of 2" in total


UNCLOSED = ['"unclosed', 'a "b c" d"', 'torture "police custody']


@pytest.mark.parametrize("query", UNCLOSED)
def test_an_unclosed_quote_is_refused_alike_by_page_api_and_cli(reading, reading_index, query):
    """A quotation mark left open is refused with one message by the page (400, the query
    kept in the box), the API (400) and ``precedents search``: the parser would have dropped
    it, or the words after it, and searched a query nobody wrote."""
    page = reading.get("/search", params={"q": query})
    assert page.status_code == 400
    soup = BeautifulSoup(page.text, "html.parser")
    message = soup.select_one(".error").get_text()
    assert message.startswith("a quotation mark is not closed")
    assert soup.select_one("input#q")["value"] == query
    api = reading.get("/api/search", params={"q": query})
    assert api.status_code == 400 and api.json()["error"] == message
    assert reading.get("/api/search", params={"q": "police", "filter": query}).status_code == 400
    for mode in ("words", "both"):
        result = CliRunner().invoke(cli, ["search", query, "--index", str(reading_index),
                                          "--mode", mode, "--json"])
        assert result.exit_code != 0 and message in " ".join(result.output.split()), mode


@pytest.mark.parametrize("query", ['"police custody"', "O'Brien police", 'police "custody"'])
def test_closed_quotes_and_apostrophes_are_accepted(reading, query):
    """Near-misses: balanced quotes and an apostrophe in a name are a query like any other."""
    assert reading.get("/api/search", params={"q": query}).status_code == 200
    assert reading.get("/search", params={"q": query}).status_code == 200


def test_openapi_declares_400_with_the_error_model_and_no_422(reading):
    spec = reading.get("/openapi.json").json()
    assert "422" not in str(spec) and "HTTPValidationError" not in str(spec)
    for path in ("/api/search", "/api/documents/{doc_id}/similar"):
        answer = spec["paths"][path]["get"]["responses"]["400"]
        assert answer["content"]["application/json"]["schema"]["$ref"].endswith("/Error")
    assert spec["paths"]["/api/similar"]["post"]["responses"]["400"]
    # what it declares is what it answers
    bad = reading.get("/api/search", params={"limit": "0"})
    assert bad.status_code == 400 and set(bad.json()) == {"error"}


# -- facets ------------------------------------------------------------------------------------


def test_facets_show_five_values_then_more_and_keep_a_chosen_one_visible(tmp_path, engine_name):
    """GIVEN documents of seven years WHEN the year facet is drawn THEN five values show and
    two are folded into "more"; a folded value, once chosen, shows outside the fold."""
    records = {f"y{year}": {**_judgment(2_000), "date": f"{year}-01-01",
                            "title": f"CASE {year}"}
               for year in range(2010, 2017)}
    client = _serve(tmp_path, records, engine_name)
    page = _page(client, "/search?q=beaten")
    facet = page.select_one('section.facet[data-field="year"]')
    shown = facet.find("ul", recursive=False).select("a.facet-value")
    folded = facet.select("details.facet-more a.facet-value")
    assert len(shown) == 5 and len(folded) == 2
    assert not facet.select_one("details.facet-more").has_attr("open")
    chosen = folded[-1]
    page = _page(client, chosen["href"])
    facet = page.select_one('section.facet[data-field="year"]')
    visible = facet.find("ul", recursive=False).select("a.facet-value")
    assert any("active" in a["class"] for a in visible)
