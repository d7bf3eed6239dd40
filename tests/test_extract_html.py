"""HTML extraction: own fixtures (tests/fixtures/html) and the 12 real sudrf.ru pages.

The real pages are read in place from ../shared/corpora/ru/html_sudrf; the card-without-act case is
derived from them in a temporary directory, never copied into the project.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from pipeline.errors import ExtractionError
from pipeline.extract import detect_format, extract_file, pick
from pipeline.extract.base import EXTENSION, MAGIC, NO
from pipeline.extract.html import HtmlExtractor

HTML_FIXTURES = Path(__file__).resolve().parent / "fixtures" / "html"

#: Site furniture of sudrf.ru (menus, header, footer, tabs, links) that must never reach the text.
CHROME = (
    "Версия для слабовидящих",
    "Обычная версия сайта",
    "Мобильная версия",
    "Главная",
    "Карта сайта",
    "Поиск информации по делам",
    "Вернуться к списку дел",
    "Обращения граждан",
    "Внепроцессуальные обращения",
    "Противодействие коррупции",
    "Калькулятор госпошлины",
    "Пресс-служба",
    "Судейское сообщество",
    "Справочная информация",
    "Государственная автоматизированная система",
    "развернуть",
    "опубликовано",
    "Информация по делу",
    "Судебный акт #",
)
#: Case-card tab headings: part of a card's text, but not of an act's.
CARD_ONLY = ("Уникальный идентификатор дела", "ДВИЖЕНИЕ ДЕЛА")

# A ruling heading, also when typeset with spaces: "П О С Т А Н О В Л Е Н И Е".
_RULING = re.compile(
    "|".join(r"\s?".join(word) for word in ("ПОСТАНОВЛЕНИЕ", "РЕШЕНИЕ", "ПРИГОВОР", "ОПРЕДЕЛЕНИЕ")),
    re.IGNORECASE,
)
_MOJIBAKE = re.compile(r"[ÐÑ][\u0080-\u00bf]|Ã.|Â\s|\ufffd|[ÀÁÂÃÄÅÆÇÈÉÊËÌÍÎÏ]{3}")


def _extract_one(path: Path):
    docs = extract_file(path)
    assert len(docs) == 1
    assert docs[0].format == "html"
    return docs[0]


def _assert_clean(text: str) -> None:
    lowered = text.lower()
    leaks = [chrome for chrome in CHROME if chrome.lower() in lowered]
    assert not leaks, f"site chrome in text: {leaks}"
    assert "\x1e" not in text and "\x1f" not in text
    assert not _MOJIBAKE.search(text)


def _cyrillic_ratio(text: str) -> float:
    letters = [c for c in text if c.isalpha()]
    return sum("\u0400" <= c <= "\u04ff" for c in letters) / max(len(letters), 1)


# --- sniffing ------------------------------------------------------------------------------------

MATCH_CASES = [
    # (file name, first bytes, expected score)
    ("page.bin", b"<!DOCTYPE html><html><body>x</body></html>", MAGIC),
    ("page.bin", b"\xef\xbb\xbf\r\n  <!doctype HTML>", MAGIC),
    ("page.bin", b"  <HTML><HEAD><TITLE>x</TITLE>", MAGIC),
    ("page.txt", b"<?xml version='1.0'?>\n<!-- c -->\n<html xmlns='http://www.w3.org/1999/xhtml'>",
     MAGIC),
    ("page.bin", b"<div>fragment</div><body>x</body>", MAGIC),
    ("page.bin", "<html><body>Дело</body></html>".encode("utf-16"), MAGIC),
    # Quoting markup is not being markup: JSON and text files keep their own extractor.
    ("records.json", b'{"full_text": "<html><body>judgment</body></html>"}', EXTENSION - 2),
    ("notes.txt", b"See the page <html> in the archive", EXTENSION - 2),
    ("page.htm", b"plain words, no markup", EXTENSION),
    ("page.XHTML", b"plain words", EXTENSION),
    ("page.pdf", b"%PDF-1.7 binary", NO),
]


@pytest.mark.parametrize(("name", "head", "expected"), MATCH_CASES)
def test_match(name: str, head: bytes, expected: int) -> None:
    assert HtmlExtractor.match(Path(name), head) == expected


def test_json_quoting_html_stays_json(tmp_path: Path) -> None:
    path = tmp_path / "records.json"
    path.write_text('{"itemid": "001-1", "full_text": "<html><body>text</body></html>"}', "utf-8")
    assert pick(path).FORMAT == "json"


# --- own fixtures --------------------------------------------------------------------------------

FIXTURE_CASES = [
    # (fixture, html_kind, encoding, declared_encoding, title, must contain, must not contain)
    (
        "nav_ruling_cp1251.html", "page", "cp1251", "windows-1251",
        "Тверской районный суд — Постановление по делу № 5-12/2024",
        ("Дело № 5-12/2024\n\nПОСТАНОВЛЕНИЕ", "12 марта 2024 года г. Тверь",
         "Судья А.А. Образцова"),
        ("Новости суда", "Вакансии", "Тверской районный суд.", "СЧЁТЧИК", "counter"),
    ),
    (
        "sudrf_utf8_declares_1251.html", "act", "utf-8", "windows-1251", "Примерный районный суд",
        ("Дело № 2-345/2024\n\nР Е Ш Е Н И Е", "ООО «Ромашка»", "15 февраля 2024 года г. Примерск",
         # both acts of the card, the second after the first
         "Судья П.П. Примерова\n\nО П Р Е Д Е Л Е Н И Е"),
        ("ДЕЛО № 2-345/2024 ~ М-100/2024", "Регистрация иска", "margin"),
    ),
    (
        "sudrf_card_no_act.html", "card", "utf-8", "windows-1251", "Примерный районный суд",
        ("Примерный районный суд\n\nГражданские дела - первая инстанция\n\nДЕЛО № 2-345/2024",
         "Уникальный идентификатор дела | 00RS0000-01-2024-000345-01",
         "Регистрация иска (заявления, жалобы) в суде | 10.01.2024\n",
         "Судебное заседание | 15.02.2024 | Вынесено решение по делу",
         "ИСТЕЦ | Петров П.П."),
        ("ВЕРСИЯ ДЛЯ СЛАБОВИДЯЩИХ", "О СУДЕ"),
    ),
    (
        "script_in_ruling.html", "page", "utf-8", "utf-8", "Приговор & текст",
        ("ПРИГОВОР\n\nИменем Российской Федерации", "подсудимый «Сидоров»",
         "ч. 1 ст. 158 УК РФ, при",
         "запись <script> в протоколе", "Строка один\nСтрока два\nСтрока три",
         "Пункт первый\nПункт второй", "обжалован в течение 15 суток."),
        ("alert", "LEAK", "color: red", "комментарий", "onclick"),
    ),
]


@pytest.mark.parametrize(
    ("name", "kind", "encoding", "declared", "title", "present", "absent"), FIXTURE_CASES
)
def test_fixture(name, kind, encoding, declared, title, present, absent) -> None:
    path = HTML_FIXTURES / name
    assert detect_format(path) == "html"
    doc = _extract_one(path)
    assert doc.meta["html_kind"] == kind
    assert doc.meta["encoding"] == encoding
    assert doc.meta["declared_encoding"] == declared
    assert doc.meta["title"] == title
    for snippet in present:
        assert snippet in doc.text
    for snippet in absent:
        assert snippet not in doc.text
    _assert_clean(doc.text)


def test_empty_page_is_an_error() -> None:
    path = HTML_FIXTURES / "empty.html"
    with pytest.raises(ExtractionError, match=r"empty\.html: no text in HTML page$"):
        extract_file(path)


HOSTILE_CASES = [
    # (page bytes, text expected)
    (b"<html><body>" + b"<div>" * 5000 + "Дело № 1".encode() + b"</div>" * 5000 + b"</body></html>",
     "Дело № 1"),
    (b"<html><body><p>\x00\x01\xd0\x94\xd0\xb5\xd0\xbb\xd0\xbe\x00</p></body></html>", "Дело"),
    (b"<html><body><p>&lt;b&gt;&#1044;&#x435;&#1083;&#1086;&amp;&nbsp;&unknown;</p></body></html>",
     "<b>Дело& &unknown;"),
    (b"<html><body><p>no close <b>bold <i>both</p><td>cell</table></html",
     "no close bold both\n\ncell"),
    (b"<html><body><p>a\x1eb\x1fc</p></body></html>", "a b c"),
]


@pytest.mark.parametrize(("data", "expected"), HOSTILE_CASES)
def test_hostile_markup(tmp_path: Path, data: bytes, expected: str) -> None:
    path = tmp_path / "page.html"
    path.write_bytes(data)
    assert _extract_one(path).text == expected


def test_utf16_page(tmp_path: Path) -> None:
    path = tmp_path / "page.htm"
    page = "<html><head><meta charset='utf-16'></head><body><p>Решение суда</p></body></html>"
    path.write_bytes(page.encode("utf-16"))
    doc = _extract_one(path)
    assert (doc.text, doc.meta["encoding"], doc.meta["declared_encoding"]) == (
        "Решение суда", "utf-16-le", "utf-16")


def test_no_title_means_no_title_key(tmp_path: Path) -> None:
    path = tmp_path / "page.html"
    path.write_bytes("<html><body><p>ПРИГОВОР</p></body></html>".encode("koi8_r"))
    doc = _extract_one(path)
    assert "title" not in doc.meta
    assert doc.meta["declared_encoding"] is None


# --- real sudrf.ru pages -------------------------------------------------------------------------

#: Every page in ru/html_sudrf with text that must open the act (case number and/or heading).
SUDRF_PAGES = {
    "2kas_88-14715-2026_cassation_ruling.html": ("Дело № 88-14715/2026", "О П Р Е Д Е Л Е Н И Е"),
    "kirov_koap.html": ("Дело № 5-174/2026", "ПОСТАНОВЛЕНИЕ"),
    "ksoy_cassation.html": ("№ 88-4097/2026", "ОПРЕДЕЛЕНИЕ"),
    "ksoyu_card_criminal.html": ("№ 77-655/2026", "КАССАЦИОННОЕ ОПРЕДЕЛЕНИЕ"),
    "ksoyu_card_kas.html": ("№ 88а-4989/2026", "КАССАЦИОННОЕ ОПРЕДЕЛЕНИЕ"),
    "ksoyu_card_koap.html": ("№ 16-721/2026", "П О С Т А Н О В Л Е Н И Е"),
    "ksoyu_case_card.html": ("Дело № 88-14715/2026", "О П Р Е Д Е Л Е Н И Е"),
    "leninsky_ufa_criminal.html": ("дело № 1 – 151/2026", "ПОСТАНОВЛЕНИЕ"),
    "samara_kas_appeal_card.html": ("Судья: Черняков Н.Н.", "АПЕЛЛЯЦИОННОЕ ОПРЕДЕЛЕНИЕ"),
    "sgs_1inst.html": ("Дело № 2-7212/2025", "ЗАОЧНОЕ РЕШЕНИЕ"),
    "sgs_card.html": ("Дело № 2-3671/2025", "РЕШЕНИЕ"),
    "vsrk_appeal.html": ("Дело № 2-7212/2025 (№ 33-4818/2025)", "АПЕЛЛЯЦИОННОЕ ОПРЕДЕЛЕНИЕ"),
}


def test_every_sudrf_page_is_covered(shared_corpora: Path) -> None:
    found = {p.name for p in (shared_corpora / "ru" / "html_sudrf").glob("*.htm*")}
    assert found == set(SUDRF_PAGES)


@pytest.mark.parametrize("name", sorted(SUDRF_PAGES))
def test_sudrf_page(shared_corpora: Path, name: str) -> None:
    path = shared_corpora / "ru" / "html_sudrf" / name
    assert detect_format(path) == "html"
    doc = _extract_one(path)
    assert doc.meta["html_kind"] == "act"
    assert doc.meta["encoding"] == "utf-8"  # detected, although the page says windows-1251
    assert doc.meta["declared_encoding"] == "windows-1251"
    assert doc.meta["title"] and "суд" in doc.meta["title"].lower()
    head = doc.text[:400]
    for opening in SUDRF_PAGES[name]:
        assert opening in head
    assert _RULING.search(head)
    _assert_clean(doc.text)
    for card_text in CARD_ONLY:
        assert card_text not in doc.text
    assert _cyrillic_ratio(doc.text) > 0.9
    assert len(doc.text) > 5000
    assert "\n\n" in doc.text  # paragraphs stay apart


def test_act_page_and_card_give_the_same_act(shared_corpora: Path) -> None:
    """The 2nd Cassation Court act page and its case card embed the same ruling 88-14715/2026."""
    folder = shared_corpora / "ru" / "html_sudrf"
    act_page = _extract_one(folder / "2kas_88-14715-2026_cassation_ruling.html")
    card = _extract_one(folder / "ksoyu_case_card.html")
    assert act_page.text == card.text


CARD_CASES = [
    # (real page, lines the derived card without its act must show)
    ("kirov_koap.html", ("Ленинский районный суд г. Кирова",
                         "Дела об административных правонарушениях - первая инстанция",
                         "ДЕЛО № 5-174/2026",
                         "Уникальный идентификатор дела | 43RS0001-01-2026-000667-40",
                         "Передача дела судье | 15.04.2026 | 11:06")),
    ("samara_kas_appeal_card.html", ("Самарский областной суд", "ДЕЛО № 33а-647/2026",
                                     "Районный суд | Куйбышевский районный суд г. Самары",
                                     "13.01.2026 | 10:00 | | Судебное заседание | Вынесено решение",
                                     "АДВОКАТ | Рыжкова Е.А.")),
]


@pytest.mark.parametrize(("name", "lines"), CARD_CASES)
def test_sudrf_card_without_act(shared_corpora: Path, tmp_path: Path, name: str, lines) -> None:
    """GIVEN a real card whose act tab is removed WHEN it is extracted THEN its case data remain."""
    page = (shared_corpora / "ru" / "html_sudrf" / name).read_text("utf-8")
    soup = BeautifulSoup(page, "lxml")
    for act in soup.find_all(id=re.compile(r"^(cont_doc\d+|tab_content_Document\d+)$")):
        act.decompose()
    derived = tmp_path / name
    derived.write_text(str(soup), "utf-8")
    doc = _extract_one(derived)
    assert doc.meta["html_kind"] == "card"
    for line in lines:
        assert line in doc.text
    assert doc.text.startswith(lines[0])
    _assert_clean(doc.text)
    # the phone-layout copy of the events table is dropped: each event appears once
    assert doc.text.count(lines[-2]) == 1
