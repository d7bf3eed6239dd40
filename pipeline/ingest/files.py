"""The input side of ingest: which files a run reads, and how each is named and told apart.

Walking skips what is not a document (hidden entries, README-type files, a precedents index
found in the tree) and never follows a symlink out of a folder; every path is stored as
``source_key`` gives it, and a path that cannot be stored or read is described in a user's
words rather than raised.
"""

from __future__ import annotations

import errno
import hashlib
import os
import re
import stat as stat_mode
import unicodedata
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from pipeline.catalogue import CATALOGUE_FILE
from pipeline.errors import PipelineError
from pipeline.extract import detect_format
from pipeline.search.engines import ENGINE_FILE

#: Files that describe a collection rather than belong to it (skipped when walking folders).
SKIP_NAMES = re.compile(r"^(README|MANIFEST|VERIFY|LICENSE|LICENCE)(\.\w+)?$", re.I)

_TRANSLIT = str.maketrans({
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "e", "ж": "zh", "з": "z",
    "и": "i", "й": "y", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o", "п": "p", "р": "r",
    "с": "s", "т": "t", "у": "u", "ф": "f", "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh",
    "щ": "shch", "ъ": "", "ы": "y", "ь": "", "э": "e", "ю": "yu", "я": "ya", "і": "i", "ї": "yi",
    "є": "ye", "ґ": "g",
})


def walk(paths: Iterable[Path]) -> Iterator[Path]:
    """Files under ``paths`` in a stable order; hidden entries, README-type files and
    precedents indexes skipped.

    Symlinks are not followed out of a folder (a hostile tree could point anywhere); a path
    named on the command line is always taken, whatever it is (``plan`` says why it fails).
    """
    for path, found in scan(paths):
        if not isinstance(found, OSError):
            yield path


#: Files that together mark a folder as a precedents index: the catalogue, and one of the
#: files an index always has beside it (the engine record, the writers' lock, an engine's
#: folder). The name "index" proves nothing: a lawyer may keep rulings in a folder so named.
INDEX_MARKER = CATALOGUE_FILE
INDEX_COMPANIONS = frozenset({ENGINE_FILE, "ingest.lock", "whoosh", "tantivy"})


def is_index_folder(names: Iterable[str]) -> bool:
    """Whether a folder with these entry names is a precedents index (never walked: its
    catalogue and segment files are not documents)."""
    names = set(names)
    return INDEX_MARKER in names and not INDEX_COMPANIONS.isdisjoint(names)


def scan(paths: Iterable[Path], notice: Callable[[str], None] = lambda m: None,
         ) -> Iterator[tuple[Path, os.stat_result | OSError | None]]:
    """``walk`` with each file's stat, taken from the folder listing (``os.scandir``).

    One ``stat`` per file is what an unchanged file may cost; ``os.walk`` plus ``is_symlink``
    plus ``stat`` plus ``is_file`` cost four. The stat is ``None`` for a path named on the
    command line that is not a folder (the caller stats it, following a symlink the user chose,
    and says what it is if it is no regular file) and for an entry that could not be statted
    (the caller tries again and reports why). A folder that cannot be listed comes with the
    ``OSError`` instead, so it is reported rather than skipped in silence. A precedents index
    found in the tree is skipped with a ``notice``.
    """
    for root in paths:
        root = Path(root)
        try:
            is_folder = stat_mode.S_ISDIR(os.stat(root).st_mode)
        except OSError:
            is_folder = False
        if not is_folder:
            yield root, None
            continue
        # Depth first, a folder's files before its sub-folders, names sorted: the order
        # ``os.walk`` gave. An explicit stack, so a very deep tree cannot exhaust recursion.
        stack = [str(root)]
        while stack:
            folder = stack.pop()
            try:
                with os.scandir(folder) as listing:
                    entries = sorted(listing, key=lambda e: e.name)
            except OSError as exc:
                yield Path(folder), exc
                continue
            if is_index_folder(e.name for e in entries):
                notice(f"{printable(folder)}: a precedents index, not read as documents")
                continue
            subfolders = []
            for entry in entries:
                if entry.name.startswith("."):
                    continue
                try:
                    is_dir = entry.is_dir()
                except OSError:
                    is_dir = False
                if is_dir:
                    if not entry.is_symlink():
                        subfolders.append(entry.path)
                    continue
                if SKIP_NAMES.match(entry.name) or entry.is_symlink():
                    continue
                try:
                    st = entry.stat(follow_symlinks=False)
                except OSError:
                    st = None
                yield Path(entry.path), st
            stack.extend(reversed(subfolders))


def source_key(path: Path) -> str:
    """How a source path is stored: absolute, ".." folded, symlinks left as given.

    >>> source_key(Path("/data/in/../rulings/a.pdf"))
    '/data/rulings/a.pdf'
    """
    return os.path.abspath(path)


def sha256_file(path: Path) -> str:
    """The SHA-256 of a file's bytes, read a MiB at a time: how a touched file with the same
    bytes, and an identical copy, are recognised."""
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def slugify(text: str, limit: int = 60) -> str:
    """An ASCII id fragment: Cyrillic transliterated, everything else reduced to [a-z0-9-].

    >>> slugify("Приговор Советского суда №1-123/2020")
    'prigovor-sovetskogo-suda-no1-123-2020'
    """
    text = text.lower().translate(_TRANSLIT)
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    text = re.sub(r"[^a-z0-9]+", "-", text).strip("-")
    return text[:limit].rstrip("-") or "doc"


def why_unreadable(file: Path, exc: OSError) -> str:
    """Why a path named on the command line cannot be read, in a user's words."""
    if exc.errno == errno.ELOOP:
        return "symbolic link loop"
    if isinstance(exc, FileNotFoundError):
        return "broken symbolic link" if file.is_symlink() else "file not found"
    return f"cannot read file ({exc.strerror or exc})"


_KINDS = ((stat_mode.S_ISFIFO, "FIFO"), (stat_mode.S_ISSOCK, "socket"),
          (stat_mode.S_ISCHR, "character device"), (stat_mode.S_ISBLK, "block device"),
          (stat_mode.S_ISDIR, "folder"), (stat_mode.S_ISLNK, "symbolic link"))


def file_kind(mode: int) -> str:
    """What a file that is not a regular file is: "FIFO", "socket", "character device"..."""
    return next((name for test, name in _KINDS if test(mode)), "special file")


def storable(path: str) -> bool:
    """Whether a path can be a catalogue key. A name in another encoding than the file system's
    (cp1251 names from a Windows share, say) reaches Python as lone surrogates, which SQLite
    cannot store: such a file is reported, never recorded under a name that is not its own."""
    try:
        path.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def printable(path: str) -> str:
    r"""A path safe to print and to put in JSON: undecodable bytes shown as ``\xff``.

    >>> print(printable(os.fsdecode(b"/in/\xff-ruling.txt")))
    /in/\xff-ruling.txt
    """
    return os.fsencode(path).decode("utf-8", "backslashreplace")


def safe_format(path: Path) -> str | None:
    """The format the picker would choose for ``path``, or ``None`` where it chooses none."""
    try:
        return detect_format(path)
    except PipelineError:
        return None

