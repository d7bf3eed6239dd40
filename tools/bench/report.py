"""What every benchmark writes: the machine it ran on, sizes, and its own section of BENCHMARKS.md."""

from __future__ import annotations

import os
import platform
from pathlib import Path

__all__ = ["machine", "mib", "put_section"]


def machine() -> str:
    """CPU model, cores, memory, system and Python, for the ``- machine:`` line of a section."""
    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = ""
    try:
        kb = int(next(ln for ln in Path("/proc/meminfo").read_text().splitlines()
                      if ln.startswith("MemTotal")).split()[1])
        mem = f", {kb / 1024 / 1024:.0f} GiB RAM"
    except (OSError, StopIteration):
        pass
    return f"{cpu}, {os.cpu_count()} cores{mem}, {platform.system()} {platform.release()}, Python {platform.python_version()}"


def mib(n: int) -> str:
    """Bytes as MiB with one decimal.

    >>> mib(3 * 1024 * 1024 + 104858)
    '3.1 MiB'
    """
    return f"{n / 1024 / 1024:.1f} MiB"


def put_section(existing: str, name: str, lines: list[str]) -> str:
    """Replace the block between ``<!-- bench:NAME:begin -->`` and its end marker, or append.

    >>> put_section("# B\\n\\n<!-- bench:web:begin -->\\nold\\n<!-- bench:web:end -->\\n", "web", ["new"])
    '# B\\n\\n<!-- bench:web:begin — written by `make bench`; edits inside are overwritten -->\\n\\nnew\\n\\n<!-- bench:web:end -->\\n'
    """
    begin = f"<!-- bench:{name}:begin — written by `make bench`; edits inside are overwritten -->"
    end = f"<!-- bench:{name}:end -->"
    block = "\n".join([begin, "", *lines, "", end])
    start, stop = existing.find(f"<!-- bench:{name}:begin"), existing.find(end)
    if start != -1 and stop > start:
        return existing[:start] + block + existing[stop + len(end):]
    return existing.rstrip("\n") + "\n\n" + block + "\n"
