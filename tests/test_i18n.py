"""The page in Russian and English: catalogues complete, the language chosen and switched, the
pages' labels, dates and errors in it, and the JSON API and the CLI left in English."""

from __future__ import annotations

import re
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po
from bs4 import BeautifulSoup
from fastapi.testclient import TestClient

from pipeline.errors import QueryError
from pipeline.present.labels import holding_label, penalty_label
from pipeline.search.language.query import parse_query
from pipeline.search.language.schema import get_schema
from pipeline.search.meaning.facts import checked_text
from pipeline.web import create_app, csrf, i18n

ROOT = Path(__file__).resolve().parents[1]
BASE = "http://127.0.0.1:8080"
RU = {"Accept-Language": "ru-RU,ru;q=0.9"}
PLACEHOLDER = re.compile(r"%(?:\((\w+)\))?[-#0 +]*\d*(?:\.\d+)?([diouxXeEfFgGcrs%])")
TAG = re.compile(r"</?([a-z]+)[^>]*>")


# -- the catalogues ------------------------------------------------------------------------


def extracted() -> dict[str, tuple[str, ...]]:
    """Every marked message of the sources, by msgid, extracted as ``make messages`` does."""
    with (ROOT / "pipeline/web/babel.cfg").open() as cfg:
        method_map, options_map = parse_mapping_cfg(cfg)
    keywords = {**DEFAULT_KEYWORDS, **i18n.KEYWORDS}
    out: dict[str, tuple[str, ...]] = {}
    for _file, _line, message, _comments, _context in extract_from_dir(
            str(ROOT), method_map, options_map, keywords=keywords):
        forms = (message,) if isinstance(message, str) else tuple(message)
        if forms[0]:
            out[forms[0]] = forms
    return out


@pytest.fixture(scope="module")
def messages() -> dict[str, tuple[str, ...]]:
    found = extracted()
    assert len(found) > 150, "the extraction found almost nothing: is babel.cfg right?"
    return found


def catalogue(language: str):
    with i18n.catalogue_path(language).open("rb") as po:
        return read_po(po, locale=language)


def placeholders(text: str) -> list[tuple[str, str]]:
    return sorted(PLACEHOLDER.findall(text))


TRANSLATED = [code for code in i18n.LANGUAGES if code != i18n.DEFAULT]


@pytest.mark.parametrize("language", list(i18n.LANGUAGES))
def test_every_marked_message_is_in_the_catalogue(messages, language):
    """A string marked in a template or in Python that ``make messages`` has not brought into
    the catalogue fails here (run ``make messages``, then translate)."""
    ids = {m.id if isinstance(m.id, str) else m.id[0] for m in catalogue(language) if m.id}
    assert sorted(set(messages) - ids) == []


@pytest.mark.parametrize("language", TRANSLATED)
def test_every_message_is_translated_with_its_placeholders(messages, language):
    problems = []
    translated = catalogue(language)
    for message in translated:
        if not message.id:
            continue
        msgid = message.id if isinstance(message.id, str) else message.id[0]
        if msgid not in messages:
            problems.append(("obsolete: run make messages", msgid))
            continue
        strings = [message.string] if isinstance(message.string, str) else list(message.string)
        if message.fuzzy:
            problems.append(("fuzzy", msgid))
        if not all(s.strip() for s in strings) or (
                message.pluralizable and len(strings) != translated.num_plurals):
            problems.append(("untranslated", msgid))
            continue
        forms = [message.id] if isinstance(message.id, str) else list(message.id)
        wanted = placeholders(forms[-1])
        for s in strings:
            if placeholders(s) != wanted:
                problems.append(("placeholders differ", msgid, s))
            if sorted(TAG.findall(s)) != sorted(TAG.findall(forms[0])):
                problems.append(("markup differs", msgid, s))
    assert problems == []


def test_the_catalogues_compile_and_the_english_one_is_the_identity():
    ru, en = i18n.translations("ru"), i18n.translations("en")
    assert ru.gettext("Respondent state") == "Государство-ответчик"
    assert en.gettext("Respondent state") == "Respondent state"
    assert [ru.ngettext("%(num)s hit", "%(num)s hits", n) % {"num": n} for n in (1, 3, 5, 21)] \
        == ["1 результат", "3 результата", "5 результатов", "21 результат"]


def test_make_messages_extracts_with_the_same_keywords():
    makefile = (ROOT / "Makefile").read_text()
    line = next(l for l in makefile.splitlines() if "pybabel extract" in l)
    rule = line + makefile.split(line, 1)[1].split("\n", 1)[0]
    for keyword, spec in i18n.KEYWORDS.items():
        flag = f"-k {keyword}" + (":" + ",".join(map(str, spec)) if spec else "")
        assert flag in rule, flag


def test_no_query_error_message_is_left_unextractable(capsys):
    """Babel skips an f-string message (it warns): such a QueryError would reach the Russian
    page in English. Messages are templates with named parameters instead."""
    extracted()
    assert "Skipping f-string" not in capsys.readouterr().err


# -- the language of a request -------------------------------------------------------------


@pytest.mark.parametrize("header, language", [
    ("ru", "ru"), ("ru-RU", "ru"), ("ru-RU,ru;q=0.9,en-US;q=0.8,en;q=0.7", "ru"),
    ("uk,ru;q=0.8", "ru"),               # Ukrainian is not offered: the next choice is
    ("uk,en;q=0.9,ru;q=0.8", "en"),
    ("en-US,ru;q=0.5", "en"),            # English preferred, Russian only second
    ("ru;q=0.1,en;q=0.2", "en"),         # by quality, not by order
    ("en;q=0,ru;q=0.3", "ru"),           # q=0 means "not this"
    ("ru;q=0", "en"),
    ("*", "en"), ("", "en"), (None, "en"),
    ("de-DE,fr;q=0.8", "en"),            # neither: English
    ("russian", "en"),                   # not a language tag Babel knows as Russian
    ("ru_RU", "en"),                     # an underscore is not a tag
    (";;;,,,q=", "en"), ("ru;q=abc", "en"), ("\x00\xff", "en"), ("ru," * 400, "ru"),
])
def test_accept_language_negotiation(header, language):
    assert i18n.negotiate(header) == language


@pytest.mark.parametrize("query, cookie, accept, chosen", [
    ("lang=ru", None, "en", ("ru", True)),
    ("q=x&lang=en", "ru", "ru", ("en", True)),     # the switch wins over cookie and browser
    ("", "ru", "en", ("ru", False)),               # the remembered choice over the browser
    ("", "en", "ru", ("en", False)),
    ("", "xx", "ru", ("ru", False)),               # an unknown cookie is ignored
    ("lang=de", None, "ru", ("ru", False)),        # an unknown switch too
    ("lang=RU", None, "en", ("en", False)),
])
def test_choice_order(query, cookie, accept, chosen):
    assert i18n.choose(query, cookie, accept) == chosen


# -- the pages -----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def client(sample_index) -> TestClient:
    return TestClient(create_app(sample_index), base_url=BASE)


def soup(response) -> BeautifulSoup:
    return BeautifulSoup(response.text, "html.parser")


@pytest.mark.parametrize("path", ["/", "/search?q=torture", "/api", "/documents/nothing-here"])
@pytest.mark.parametrize("headers, params, lang", [
    ({}, {}, "en"), (RU, {}, "ru"), ({"Accept-Language": "en-US,ru;q=0.5"}, {}, "en"),
    (RU, {"lang": "en"}, "en"), ({}, {"lang": "ru"}, "ru"),
])
def test_html_lang_names_the_interface_language(client, path, headers, params, lang):
    response = client.get(path, headers=headers, params=params)
    page = soup(response)
    assert page.select_one("html")["lang"] == lang
    assert response.headers["content-language"] == lang
    assert "Accept-Language" in response.headers["vary"]
    current = page.select_one("nav#language [aria-current]")
    assert current is not None and current["lang"] == lang


def test_the_switch_keeps_the_query_and_filters_and_is_remembered(client):
    client.cookies.clear()
    params = {"q": "пытка", "filter": ["state:russia", "article:3"], "sort": "newest"}
    page = soup(client.get("/search", params=params))
    link = page.select_one('nav#language a[hreflang="ru"]')["href"]
    url = urlsplit(link)
    assert url.path == "/search"
    assert parse_qs(url.query) == {"q": ["пытка"], "filter": ["state:russia", "article:3"],
                                   "sort": ["newest"], "lang": ["ru"]}
    switched = client.get(link)
    # The search page also sets the write token's cookie (each hit has a form).
    cookie = next(c for c in switched.headers.get_list("set-cookie")
                  if c.startswith(f"{i18n.COOKIE}="))
    assert cookie.startswith(f"{i18n.COOKIE}=ru;") and "samesite=strict" in cookie.lower()
    assert soup(switched).select_one("html")["lang"] == "ru"
    # The choice holds on the next page, whatever the browser prefers, until switched back.
    assert soup(client.get("/", headers={"Accept-Language": "en"})).select_one("html")["lang"] \
        == "ru"
    back = soup(client.get("/", params={"lang": "en"}))
    assert back.select_one("html")["lang"] == "en"
    assert soup(client.get("/")).select_one("html")["lang"] == "en"
    client.cookies.clear()


def test_a_document_page_switch_keeps_its_part_and_entities(client):
    doc = client.get("/api/search", params={"q": ""}).json()["hits"][0]["id"]
    page = soup(client.get(f"/documents/{doc}", params={"entities": "off"}))
    link = page.select_one('nav#language a[hreflang="ru"]')["href"]
    assert parse_qs(urlsplit(link).query) == {"entities": ["off"], "lang": ["ru"]}
    client.cookies.clear()


@pytest.mark.parametrize("selector, russian", [
    ("nav#facets", "Государство-ответчик"),
    ("nav#facets", "Вид документа"),
    ("nav#facets", "Постановление ЕСПЧ"),
    ("nav#facets", "Россия"),                     # the State's CLDR name
    ("select#sort", "По релевантности"),
    ("select#sort", "Сначала новые"),
    ("form#search button", "Поиск"),
    ("details#help summary", "Как составить запрос"),
    ("details#help", "Все слова обязательны"),
    ("p#total", "соответству"),
    ("ol#results .hit-meta", "Постановление ЕСПЧ"),
    ("footer", "Всё работает на этом компьютере"),
])
def test_search_page_in_russian(client, selector, russian):
    page = soup(client.get("/search", params={"q": "torture"}, headers=RU))
    assert russian in " ".join(e.get_text(" ") for e in page.select(selector)), selector


def test_search_page_in_english_keeps_its_words(client):
    page = soup(client.get("/search", params={"q": "torture"}))
    facets = page.select_one("nav#facets").get_text(" ")
    assert "Respondent state" in facets and "Russia" in facets and "Государство" not in facets


def test_a_filter_reads_in_russian(client):
    page = soup(client.get("/search", params={"q": "torture", "filter": "state:russia"},
                           headers=RU))
    assert "Государство-ответчик: Россия" in page.select_one("#filters").get_text(" ")


@pytest.fixture(scope="module")
def judgment(client) -> dict:
    hits = client.get("/api/search", params={"q": "", "filter": "kind:echr_judgment",
                                              "limit": 100}).json()["hits"]
    hit = next(h for h in hits if h.get("date") and h.get("citation"))  # a pinpoint
    return client.get(f"/api/documents/{hit['id']}").json()


def test_document_page_in_russian(client, judgment):
    english = soup(client.get(f"/documents/{judgment['id']}"))
    russian = soup(client.get(f"/documents/{judgment['id']}", headers=RU))
    facts = {dt.get_text(): dt.find_next_sibling("dd").get_text(" ", strip=True)
             for dt in russian.select("dl#metadata dt")}
    assert facts["Вид документа"] == "Постановление ЕСПЧ"
    assert facts["Суд"] == "Европейский Суд по правам человека"
    if judgment.get("respondent_states") == ["Russia"]:
        assert facts["Государства-ответчики"] == "Россия"
    if judgment.get("formation") in ("Chamber", "Grand Chamber", "Committee"):
        assert facts["Состав суда"] in ("Палата", "Большая Палата", "Комитет")
    year, month, day = (int(x) for x in judgment["date"].split("-"))
    shown = facts["Дата"].replace("\u202f", " ")  # CLDR puts a narrow space before "г."
    assert re.fullmatch(rf"{day} [а-я]+ {year} г\.", shown), shown
    for heading in ("Разделы", "Ссылается на", "На него ссылаются", "Похожие прецеденты"):
        assert heading in russian.get_text(" ")
    # The CSS classes of the rows do not change with the language.
    assert [d["class"] for d in russian.select("dl#metadata div.fact")] == \
        [d["class"] for d in english.select("dl#metadata div.fact")]
    # A citation is printed as the Court prints it, in either interface.
    assert russian.select_one("#document-citation").get_text() == \
        english.select_one("#document-citation").get_text()
    if judgment["language"] == "en":
        assert not re.search("[а-яё]", russian.select_one("#document-citation").get_text())
    # The text is the document's; only the page's section labels in it follow the interface.
    for page in (english, russian):
        for heading in page.select("div#text h3.section-start"):
            heading.decompose()
    assert russian.select_one("div#text").get_text() == english.select_one("div#text").get_text()


def test_english_dates_read_as_the_court_writes_them(client, judgment):
    page = soup(client.get(f"/documents/{judgment['id']}"))
    facts = {dt.get_text(): dt.find_next_sibling("dd").get_text(" ", strip=True)
             for dt in page.select("dl#metadata dt")}
    assert re.fullmatch(r"\d{1,2} [A-Z][a-z]+ \d{4}", facts["Date"]), facts["Date"]


@pytest.mark.parametrize("path, params, status, russian", [
    ("/documents/no-such-document", {}, 404, "Документа с таким идентификатором нет."),
    ("/no/such/page", {}, 404, "Такой страницы нет."),
    ("/search", {"q": "date:2005-13"}, 400, "не удаётся прочитать дату '2005-13': месяца 13"),
    ("/search", {"q": "*torture"}, 400, "слово не может начинаться с * или ?"),
    ("/search", {"q": "state: Russia"}, 400, "после state: значение пишется сразу"),
    ("/search", {"q": "year:20x"}, 400, "не удаётся прочитать год '20x'"),
])
def test_errors_on_the_page_in_russian(client, path, params, status, russian):
    response = client.get(path, params=params, headers=RU)
    assert response.status_code == status
    assert russian in soup(response).select_one('[role="alert"]').get_text()


def test_description_box_errors_in_russian(client):
    response = client.post("/similar", data={"text": "\x00"}, headers=RU)
    assert response.status_code in (400, 503)
    text = soup(response).select_one('[role="alert"]').get_text()
    assert re.search("[а-я]", text) and "description" not in text, text


@pytest.mark.parametrize("make, english, russian", [
    (lambda: checked_text("a\x00b"), "the description holds NUL bytes",
     "Описание: содержит нулевые байты"),
    (lambda: checked_text("слово " * 3000), "the description has 3,000 words",
     "Описание: слов — 3,000"),
    (lambda: checked_text("  "), "the description is empty", "Описание: пусто"),
    (lambda: parse_query("date:2005-02-30", get_schema()),
     "cannot read the date '2005-02-30': no such day",
     "не удаётся прочитать дату '2005-02-30': такого дня нет"),
    (lambda: parse_query("(" * 8 + "torture" + ")" * 8, get_schema()),
     "brackets nested 8 deep (limit 6); simplify the query",
     "скобки вложены на глубину 8 (предел 6); упростите запрос"),
])
def test_query_errors_stay_english_for_the_cli_and_read_russian_on_the_page(make, english,
                                                                            russian):
    with pytest.raises(QueryError) as caught:
        make()
    assert str(caught.value).startswith(english)
    assert i18n.error_message(caught.value, i18n.interface("en")) == str(caught.value)
    assert i18n.error_message(caught.value, i18n.interface("ru")).startswith(russian)


def test_csrf_refusal_reads_russian():
    class Request:
        cookies: dict[str, str] = {}
        headers: dict[str, str] = {}

    with pytest.raises(csrf.Forbidden) as caught:
        csrf.verify(b"secret", Request(), "token")  # type: ignore[arg-type]
    assert str(caught.value).startswith("this form has expired")
    assert i18n.error_message(caught.value, i18n.interface("ru")).startswith(
        "срок действия формы истёк")


@pytest.mark.parametrize("label, english, russian", [
    (lambda tr: holding_label({"article": "3", "outcome": "violation"}, tr),
     "Article 3: violation", "Статья 3: нарушение"),
    (lambda tr: holding_label({"article": "P1-1", "outcome": "no_violation",
                               "text": "under its procedural limb"}, tr),
     "Article 1 of Protocol No. 1: no violation (procedural limb)",
     "Статья 1 Протокола № 1: нарушения нет (процессуальный аспект)"),
    (lambda tr: holding_label({"article": "6-1", "outcome": "inadmissible"}, tr),
     "Article 6 § 1: inadmissible", "Статья 6 § 1: жалоба неприемлема"),
    (lambda tr: penalty_label({"type": "imprisonment", "months": 62}, tr),
     "imprisonment, 5 years 2 months", "лишение свободы, 5 лет 2 месяца"),
    (lambda tr: penalty_label({"type": "suspended", "months": 12, "probation_months": 21}, tr),
     "suspended, 1 year, probation 1 year 9 months",
     "условно, 1 год, испытательный срок 1 год 9 месяцев"),
])
def test_labels_in_both_languages(label, english, russian):
    assert label(i18n.interface("en")) == english
    assert label(i18n.interface("ru")) == russian


# -- what stays English --------------------------------------------------------------------


@pytest.mark.parametrize("params", [{"q": "date:2005-13"}, {"q": "date:2005-13", "lang": "ru"}])
def test_the_json_api_stays_english(client, params):
    response = client.get("/api/search", params=params, headers=RU)
    assert response.status_code == 400
    assert response.json()["error"].startswith("cannot read the date '2005-13'")
    assert "content-language" not in response.headers
    assert "set-cookie" not in response.headers or i18n.COOKIE not in \
        response.headers["set-cookie"]
    found = client.get("/api/search", params={"q": "torture"}, headers=RU).json()
    assert "Russia" in {v["label"] for v in found["facets"]["state"]}


def test_pages_render_each_request_in_its_own_language_at_once(client):
    """Requests run in a thread pool: each page is drawn in its own request's language, never
    in another's (the shared environment is not changed per request)."""
    def fetch(n: int) -> tuple[str, str]:
        headers = RU if n % 2 else {"Accept-Language": "en"}
        page = soup(client.get("/search", params={"q": "torture"}, headers=headers))
        return ("ru" if n % 2 else "en"), page.select_one("nav#facets h2").get_text() + \
            page.select_one("html")["lang"]

    with ThreadPoolExecutor(8) as pool:
        results = list(pool.map(fetch, range(32)))
    for language, seen in results:
        assert seen.endswith(language)
        assert ("Государство" in seen or "Статья" in seen or "Суд" in seen or "Вид" in seen
                or "Год" in seen or "Язык" in seen or "Результат" in seen) == (language == "ru")
    assert threading.active_count() < 50


# -- nothing visible left unmarked ---------------------------------------------------------

#: Words a template may show as they are: the program's name and query examples in <code>.
AS_IS = {"precedents", "API", "JSON"}
_JINJA = re.compile(r"{%-?\s*trans\b.*?endtrans\s*-?%}|{{.*?}}|{%.*?%}|{#.*?#}", re.DOTALL)
_VISIBLE_ATTRIBUTES = re.compile(r'\b(?:title|aria-label|alt|placeholder)="([^"]*)"')


def unmarked(template: str) -> list[str]:
    """Words of a template's visible text (and visible attributes) that are outside
    ``_()``/``{% trans %}``: each would stay English on the Russian page."""
    source = _JINJA.sub(" ", template)
    words = []
    for value in _VISIBLE_ATTRIBUTES.findall(source):
        words += re.findall(r"[^\W\d_]{2,}", value)
    text = re.sub(r"<code>.*?</code>", " ", source, flags=re.DOTALL)
    text = re.sub(r"<[^>]+>|&#?\w+;", " ", text)
    words += re.findall(r"[^\W\d_]{2,}", text)
    return [w for w in words if w not in AS_IS]


@pytest.mark.parametrize("name", sorted(p.name for p in (ROOT / "pipeline/web/templates")
                                        .glob("*.html")))
def test_templates_show_no_unmarked_words(name):
    source = (ROOT / "pipeline/web/templates" / name).read_text(encoding="utf-8")
    # The query box's placeholder is examples of queries, the same in every language.
    source = re.sub(r'placeholder="[^"]*"', "", source)
    assert unmarked(source) == []


@pytest.mark.parametrize("snippet, words", [
    ('<h2>{{ _("Cites") }}</h2>', []),
    ("<h2>Cites</h2>", ["Cites"]),
    ('<a title="Remove this filter">×</a>', ["Remove", "this", "filter"]),
    ('<a title="{{ _("Remove this filter") }}">×</a>', []),
    ("<p>{% trans trimmed %}Fields: <code>article:3</code>{% endtrans %}</p>", []),
    ("<li><code>article:3</code> and</li>", ["and"]),
    ("<span>§&nbsp;{{ c.paragraph }}</span>", []),
    ("<span>{{ n }}&nbsp;judges</span>", ["judges"]),
])
def test_unmarked_words_are_found(snippet, words):
    assert unmarked(snippet) == words


def test_python_code_translates_in_the_requests_language():
    """A route's own strings (``from pipeline.web.i18n import _``) follow the request, and
    stay English outside one."""
    from starlette.applications import Starlette
    from starlette.responses import PlainTextResponse
    from starlette.routing import Route

    def route(request):
        return PlainTextResponse(i18n._("Respondent state") + "|" +
                                 i18n.ngettext("%(num)s hit", "%(num)s hits", 5) % {"num": 5})

    app = Starlette(routes=[Route("/x", route)])
    app.add_middleware(i18n.Language)
    client = TestClient(app)
    assert client.get("/x", headers=RU).text == "Государство-ответчик|5 результатов"
    assert client.get("/x").text == "Respondent state|5 hits"
    assert i18n._("Respondent state") == "Respondent state"
