"""Whoosh segment files read through the memory map, not copied into memory per search.

Whoosh 2.7.4 maps each compound segment file (``*.seg``) into memory, then wraps each sub-file
it opens (the postings, the term index, the stored fields) in ``BytesIO(memoryview)``, and
``BytesIO`` copies its initial buffer. Every new searcher therefore copied the whole postings
file of every segment: 57 ms per 50 MB segment, 0.5 s and half a gigabyte of memory per search
at 10,000 judgments, whatever the query. ``install`` makes the compound storage hand out files
that read from the map in place; everything else about Whoosh's files stays as it was.

A patch of a third-party class, so kept to the one name ``whoosh.filedb.compound`` looks up,
and checked by tests/test_search_whoosh.py (files read the same bytes through it as through
BytesIO; a searcher opened on a large segment holds no copy of it).
"""

from __future__ import annotations

from whoosh.filedb import compound
from whoosh.filedb.structfile import BufferFile

__all__ = ["ViewFile", "install"]


class ViewFile:
    """A read-only file over a memoryview: what ``BytesIO`` offers Whoosh, without a copy."""

    def __init__(self, view: memoryview):
        self._view = view
        self._pos = 0
        self.closed = False

    def read(self, size: int | None = -1) -> bytes:
        end = len(self._view) if size is None or size < 0 else min(len(self._view), self._pos + size)
        out = self._view[self._pos:end].tobytes() if end > self._pos else b""
        self._pos = max(self._pos, end)
        return out

    def readinto(self, buffer) -> int:
        size = max(0, min(len(buffer), len(self._view) - self._pos))
        buffer[:size] = self._view[self._pos:self._pos + size]
        self._pos += size
        return size

    def readline(self, size: int | None = -1) -> bytes:
        limit = len(self._view) if size is None or size < 0 else min(len(self._view), self._pos + size)
        start = end = self._pos
        while end < limit:
            chunk = self._view[end:min(limit, end + 4096)].tobytes()
            newline = chunk.find(b"\n")
            if newline >= 0:
                end += newline + 1
                break
            end += len(chunk)
        self._pos = end
        return self._view[start:end].tobytes()

    def __iter__(self):
        while True:
            line = self.readline()
            if not line:
                return
            yield line

    def seek(self, offset: int, whence: int = 0) -> int:
        base = {0: 0, 1: self._pos, 2: len(self._view)}[whence]
        self._pos = max(0, base + offset)
        return self._pos

    def tell(self) -> int:
        return self._pos

    def seekable(self) -> bool:
        return True

    def readable(self) -> bool:
        return True

    def flush(self) -> None:
        pass

    def close(self) -> None:
        if not self.closed:
            self.closed = True
            # Release our slice, so that closing the map does not find it still exported.
            self._view.release()


class ViewBufferFile(BufferFile):
    """Whoosh's BufferFile, its ``file`` a ViewFile instead of a BytesIO copy."""

    def __init__(self, buf, name=None, onclose=None):
        super().__init__(b"", name=name, onclose=onclose)
        self._buf = buf
        self.file = ViewFile(memoryview(buf))


def install() -> None:
    """Make compound segment files read in place (idempotent)."""
    compound.BufferFile = ViewBufferFile
