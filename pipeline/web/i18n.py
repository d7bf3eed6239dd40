"""The page's interface languages: Babel message catalogues, each request's choice, and the
translating functions a template and a route are given.

The catalogues are ``locale/<language>/LC_MESSAGES/messages.po``, kept as text in git (a
reviewer reads a translation in a diff) and compiled in memory with Babel when first used, so
no build step or binary ``.mo`` file can fall out of step with them. ``make messages``
re-extracts the strings (``babel.cfg`` says from where) and updates both catalogues.

The language is chosen per request and travels in a context variable, set by the ``Language``
middleware: the shared Jinja environment is never changed per request (requests run in a
thread pool, and the server forks), and every render gets the request's own ``gettext``.
Russian is chosen when the browser prefers it to English (``Accept-Language``), English
otherwise; ``?lang=ru`` or ``?lang=en`` on any page switches and is remembered in a cookie.

The JSON API and the CLI keep English: they are read by programs and scripts, and a message
that changed with a browser setting would break them.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Mapping
from contextvars import ContextVar
from dataclasses import dataclass
from functools import lru_cache
from gettext import NullTranslations
from io import BytesIO
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlencode

from babel.core import Locale, negotiate_locale
from babel.dates import format_date
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import Translations
from jinja2 import pass_context
from jinja2.runtime import Context
from markupsafe import Markup
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from pipeline.errors import PipelineError
from pipeline.present.labels import N_, N_plural

__all__ = ["COOKIE", "DEFAULT", "KEYWORDS", "LANGUAGES", "LOCALE_DIR", "PARAM", "Interface",
           "Language", "N_", "N_plural", "_", "catalogue_path", "current", "error_message",
           "gettext", "interface", "negotiate", "ngettext"]

#: Interface languages, each with its name as its own speakers write it (the switch shows it).
LANGUAGES = {"en": "English", "ru": "Русский"}
DEFAULT = "en"
#: The query parameter that switches the language, and the cookie that remembers it.
PARAM = "lang"
COOKIE = "precedents_lang"
DOMAIN = "messages"
LOCALE_DIR = Path(__file__).resolve().parent / "locale"
#: Dates in the English interface as the Court prints them ("12 March 2019"), not American.
DATE_LOCALES = {"en": "en_GB", "ru": "ru"}
#: Calls whose arguments are messages, beyond Babel's defaults (``_``, ``gettext``,
#: ``ngettext``, ``N_``): ``N_plural`` (both forms), and the errors a page shows, whose
#: message is an English template with named parameters: the CLI prints it as written and
#: the page looks it up (``error_message``).
#: ``make messages`` passes the same list to ``pybabel extract`` (a test keeps them equal).
KEYWORDS: dict[str, Any] = {"QueryError": None, "Busy": None, "Message": None, "N_plural": (1, 2)}
#: Error parameters that name a thing in words ("the description"), translated with the
#: message; the others are what the user typed, or numbers, and are shown as they are.
WORDED = frozenset({"source"})
#: Pages get ``Vary`` and ``Content-Language``; the API and static files do not change.
_UNTRANSLATED = ("/api/", "/static/", "/openapi.json")
_TAG = re.compile(r"^[A-Za-z]{1,8}(?:-[A-Za-z0-9]{1,8})*$|^\*$")


def catalogue_path(language: str) -> Path:
    return LOCALE_DIR / language / "LC_MESSAGES" / f"{DOMAIN}.po"


@lru_cache(maxsize=None)
def translations(language: str) -> NullTranslations:
    """The compiled catalogue of ``language`` (fuzzy and empty entries fall back to English).

    Compiled once per process; the application compiles both before the server forks."""
    path = catalogue_path(language)
    if not path.exists():
        return NullTranslations()
    with path.open("rb") as po:
        catalogue = read_po(po, locale=language, domain=DOMAIN)
    compiled = BytesIO()
    write_mo(compiled, catalogue, use_fuzzy=False)
    compiled.seek(0)
    return Translations(compiled, domain=DOMAIN)


def negotiate(header: str | None) -> str:
    """The interface language an ``Accept-Language`` header prefers, by its q-values (English
    when it names neither, names only other languages, or cannot be read).

    >>> [negotiate(h) for h in ("ru-RU", "uk,ru;q=0.8", "en-US,ru;q=0.5", "*", ";;;", None)]
    ['ru', 'ru', 'en', 'en', 'en', 'en']
    """
    preferred: list[tuple[float, int, str]] = []
    for position, item in enumerate((header or "")[:1000].split(",")[:50]):
        tag, _, params = item.strip().partition(";")
        tag = tag.strip()
        if not _TAG.match(tag) or tag == "*":
            continue
        quality = 1.0
        for param in params.split(";"):
            name, _, value = param.strip().partition("=")
            if name.strip().lower() == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        if 0 < quality <= 1:
            preferred.append((-quality, position, tag))
    tags = [tag for _, _, tag in sorted(preferred)]
    # Babel matches "ru-RU" to "ru"; the aliases are off, so "uk" never becomes another language.
    return negotiate_locale(tags, list(LANGUAGES), sep="-", aliases={}) or DEFAULT


@dataclass(frozen=True)
class Interface:
    """One interface language: its translations, dates and numbers."""

    language: str

    @property
    def translations(self) -> NullTranslations:
        return translations(self.language)

    def gettext(self, message: str) -> str:
        return self.translations.gettext(message)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return self.translations.ngettext(singular, plural, n)

    def date(self, value: object) -> str:
        """An ISO date (``2019-03-12``) as this language writes it ("12 марта 2019 г."); a
        partial or unreadable date as given (never guessed into a full one)."""
        text = str(value or "")
        try:
            day = dt.date.fromisoformat(text)
        except ValueError:
            return text
        if len(text) != 10:
            return text
        return format_date(day, "long", locale=DATE_LOCALES.get(self.language, self.language))

    def number(self, n: int) -> str:
        """``12345`` -> "12,345" (English), "12 345" (Russian)."""
        from babel.numbers import format_decimal

        return format_decimal(n, locale=DATE_LOCALES.get(self.language, self.language))

    def template_functions(self) -> dict[str, Any]:
        """``gettext``/``ngettext`` for one render, with the i18n extension's newstyle meaning:
        the translation is a %-format filled with the keyword arguments, escaped when
        autoescaping is on (``{{ _("%(n)s files", n=count) }}``). Jinja's ``_`` and
        ``{% trans %}`` resolve ``gettext`` from the render's context, so they get these."""
        return {"gettext": _newstyle_gettext(self.gettext),
                "ngettext": _newstyle_ngettext(self.ngettext), "ui": self}


def _newstyle_gettext(func: Callable[[str], str]) -> Callable[..., str]:
    @pass_context
    def gettext(__context: Context, __string: str, **variables: Any) -> str:
        rv = __context.call(func, __string)
        if __context.eval_ctx.autoescape:
            rv = Markup(rv)
        return rv % variables
    return gettext


def _newstyle_ngettext(func: Callable[[str, str, int], str]) -> Callable[..., str]:
    @pass_context
    def ngettext(__context: Context, __singular: str, __plural: str, __num: int,
                 **variables: Any) -> str:
        variables.setdefault("num", __num)
        rv = __context.call(func, __singular, __plural, __num)
        if __context.eval_ctx.autoescape:
            rv = Markup(rv)
        return rv % variables
    return ngettext


@lru_cache(maxsize=None)
def interface(language: str) -> Interface:
    return Interface(language if language in LANGUAGES else DEFAULT)


@dataclass(frozen=True)
class Choice:
    """The interface of one request, and the links that switch it on the same page."""

    ui: Interface
    #: (language, its name, the same page's URL in it)
    switch: tuple[tuple[str, str, str], ...] = ()


_current: ContextVar[Choice] = ContextVar("precedents_interface")


def current() -> Interface:
    """The interface of the request being served (English outside a request)."""
    choice = _current.get(None)
    return choice.ui if choice is not None else interface(DEFAULT)


def gettext(message: str) -> str:
    """``message`` in the language of the request being served: for Python code that builds
    what a page shows (``from pipeline.web.i18n import _``). Call it while drawing; a label
    made once at import time is marked with ``N_`` and translated when drawn instead."""
    return current().gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    return current().ngettext(singular, plural, n)


_ = gettext


def current_choice() -> Choice:
    return _current.get(None) or Choice(interface(DEFAULT), _switch("/", ""))


def _switch(path: str, query: str) -> tuple[tuple[str, str, str], ...]:
    """The page at ``path`` with its query kept and ``lang`` set to each language."""
    params = [(k, v) for k, v in parse_qsl(query, keep_blank_values=True) if k != PARAM]
    return tuple((code, name, path + "?" + urlencode([*params, (PARAM, code)]))
                 for code, name in LANGUAGES.items())


def choose(query: str, cookie: str | None, accept: str | None) -> tuple[str, bool]:
    """(language, whether to remember it): ``?lang=`` first, then the cookie, then the
    browser's preference.

    >>> choose("q=x&lang=ru", None, "en"), choose("", "ru", "en"), choose("lang=xx", None, "ru")
    (('ru', True), ('ru', False), ('ru', False))
    """
    asked = dict(parse_qsl(query)).get(PARAM)
    if asked in LANGUAGES:
        return asked, True
    if cookie in LANGUAGES:
        return cookie, False
    return negotiate(accept), False


def _cookie(header: str) -> str | None:
    for part in header.split(";"):
        name, _, value = part.strip().partition("=")
        if name == COOKIE:
            return value.strip()
    return None


class Language:
    """ASGI middleware: chooses each request's interface language, remembers a switch in a
    cookie (SameSite=Strict: only this site's own links set it) and marks pages as varying
    by language."""

    def __init__(self, app: ASGIApp):
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = {k.decode("latin-1").lower(): v.decode("latin-1")
                   for k, v in scope.get("headers", [])}
        query = scope.get("query_string", b"").decode("latin-1")
        language, remember = choose(query, _cookie(headers.get("cookie", "")),
                                    headers.get("accept-language"))
        path = scope.get("path", "/")
        token = _current.set(Choice(interface(language), _switch(path, query)))
        page = not path.startswith(_UNTRANSLATED)

        async def send_with_language(message: Message) -> None:
            if message["type"] == "http.response.start" and page:
                extra = [(b"vary", b"Accept-Language, Cookie"),
                         (b"content-language", language.encode())]
                if remember:
                    extra.append((b"set-cookie", f"{COOKIE}={language}; Path=/; "
                                  "Max-Age=31536000; SameSite=Strict".encode()))
                message = {**message, "headers": [*message.get("headers", []), *extra]}
            await send(message)

        try:
            await self.app(scope, receive, send_with_language)
        finally:
            _current.reset(token)


def error_message(exc: PipelineError, ui: Interface) -> str:
    """An error's message in the interface language: its English template (``QueryError``,
    ``Busy``) looked up in the catalogue and filled with its parameters, those that are
    parameters in ``WORDED`` translated too ("the description"); English when not in it."""
    template: str | None = getattr(exc, "template", None)
    params: Mapping[str, Any] = getattr(exc, "params", None) or {}
    if not template:
        return str(exc)
    translated = ui.gettext(template)
    if not params:
        return translated
    shown = {k: ui.gettext(v) if k in WORDED and isinstance(v, str) and v else v
             for k, v in params.items()}
    try:
        return translated % shown
    except (KeyError, TypeError, ValueError):  # a translation that lost a placeholder
        return str(exc)



@lru_cache(maxsize=None)
def _territories() -> dict[str, str]:
    """State key ("russia") -> ISO 3166 alpha-2, for the CLDR names Babel carries."""
    from babel.core import get_global

    from pipeline.reference.names import state_key
    from pipeline.reference.states import STATES

    aliases = get_global("territory_aliases")
    return {state_key(s.name): aliases[s.iso3][0] for s in STATES
            if s.iso3 and aliases.get(s.iso3)}


def state_name(key: str, label: str, ui: Interface) -> str:
    """A respondent State's name in the interface language (CLDR's, as Babel has it:
    "Россия", "Великобритания"); a former State CLDR does not name keeps ``label``.
    """
    if ui.language == DEFAULT:
        return label
    code = _territories().get(key)
    names = Locale.parse(DATE_LOCALES.get(ui.language, ui.language)).territories
    return names.get(code, label) if code else label
