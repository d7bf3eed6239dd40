"""Addresses and parameters the pages share: a document's URL, the sorts, how ``expand`` reads.

Kept apart from ``app`` so that the pages added beside it (case files, the draft check,
uploads) use them without importing the application that installs them.
"""

from __future__ import annotations

from urllib.parse import quote, urlencode

from pipeline.web.i18n import N_

__all__ = ["OFF", "ON", "SORTS", "attachment", "doc_url"]

OFF = frozenset({"0", "off", "false", "no"})
ON = frozenset({"1", "on", "true", "yes"})
SORTS = {"relevance": N_("Relevance"), "newest": N_("Newest first"),
         "oldest": N_("Oldest first")}


def doc_url(doc_id: str, paragraph: str | None = None, query: str = "",
            expand: bool = False) -> str:
    """The page of a document, at a paragraph when there is one: ``?para=`` picks the part of
    a long text that holds it, ``#p-`` scrolls to it. ``query`` (a search's ``q``) has the
    page mark its words; ``expand`` with the other languages' terms the search added.

    >>> doc_url("case-of-x", "135"), doc_url("a/b")
    ('/documents/case-of-x?para=135#p-135', '/documents/a%2Fb')
    >>> doc_url("x", "2", "пытка", expand=True)
    '/documents/x?para=2&q=%D0%BF%D1%8B%D1%82%D0%BA%D0%B0&expand=1#p-2'
    """
    url = "/documents/" + quote(doc_id, safe="")
    params = [("para", paragraph)] if paragraph else []
    if query.strip():
        params += [("q", query)] + ([("expand", "1")] if expand else [])
    if params:
        url += "?" + urlencode(params)
    return url + (f"#p-{quote(paragraph, safe='')}" if paragraph else "")


def attachment(stem: str, extension: str, fallback: str = "download") -> dict[str, str]:
    """The header of a download named ``stem.extension`` (RFC 6266: an ASCII fallback, and the
    name itself as ``filename*``, so a quote or a newline in it can never break the header);
    ``fallback`` names it when nothing of ``stem`` is ASCII-safe.

    >>> print(attachment("Дело 1/2", "docx")["content-disposition"])
    attachment; filename="____ 1_2.docx"; filename*=UTF-8''%D0%94%D0%B5%D0%BB%D0%BE%201%2F2.docx
    """
    ascii_stem = "".join(c if c.isascii() and (c.isalnum() or c in "-_. ") else "_"
                         for c in stem).strip() or fallback
    return {"content-disposition": f'attachment; filename="{ascii_stem}.{extension}"; '
                                   f"filename*=UTF-8''{quote(stem, safe='')}.{extension}"}


def _widens(expand: str | bool | None, mode: str = "words") -> bool:
    """The page's and the API's ``expand``: on, off, or (absent, unreadable) the mode's default."""
    from pipeline.search import expands_by_default

    if isinstance(expand, str):
        value = expand.strip().lower()
        expand = True if value in ON else False if value in OFF else None
    return expands_by_default(mode) if expand is None else expand
