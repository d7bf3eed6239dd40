"""Sentences a check reports, kept translatable: English for the CLI and the JSON answer, the
interface's language on the page.

A ``Message`` is the English text itself (a ``str``: printed, compared and serialised as
before), and it keeps its template and parameters so the page can look the template up in its
catalogue and fill it in. Parameters named in ``translated`` are themselves English words from
a closed set ("judgment", "decision") and are translated too; the others (a citation, a date,
a case number as the draft prints it) are shown as they are; a parameter that is a ``Message``
is translated the same way.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

__all__ = ["Message", "N_", "localised"]


def N_(message: str) -> str:
    """Marks a word for the catalogue without translating it here."""
    return message


class Message(str):
    template: str
    params: dict[str, Any]
    translated: tuple[str, ...]

    def __new__(cls, template: str, translated: tuple[str, ...] = (), **params: Any) -> Message:
        text = super().__new__(cls, template % params if params else template)
        text.template, text.params, text.translated = template, params, translated
        return text


def localised(text: str, gettext: Callable[[str], str]) -> str:
    """``text`` in the language of ``gettext``: a ``Message`` from its template, anything else
    as it is.

    >>> ru = {"the %(what)s is of %(date)s": "%(what)s вынесено %(date)s",
    ...       "judgment": "постановление"}.get
    >>> message = Message("the %(what)s is of %(date)s", ("what",), what="judgment",
    ...                   date="26 January 2006")
    >>> message, localised(message, lambda s: ru(s, s))
    ('the judgment is of 26 January 2006', 'постановление вынесено 26 January 2006')
    >>> localised("as printed", lambda s: ru(s, s))
    'as printed'
    """
    if not isinstance(text, Message):
        return text
    params = {k: localised(v, gettext) if isinstance(v, Message)
              else gettext(v) if k in text.translated and isinstance(v, str) else v
              for k, v in text.params.items()}
    template = gettext(text.template)
    return template % params if params else template
