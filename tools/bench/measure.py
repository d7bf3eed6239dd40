"""How the benchmarks measure: percentiles, sizes on disk, peak memory, words, the fixed queries."""

from __future__ import annotations

import math
import re
from pathlib import Path

__all__ = ["QUERY_FILE", "disk_size", "load_queries", "percentile", "vm_hwm_mb", "words"]

#: The lawyers' queries timed at scale and under load (one per line, ``#`` comment lines).
QUERY_FILE = Path(__file__).resolve().parent / "queries.txt"
WORD = re.compile(r"\w+")


def percentile(samples: list[float], pct: float) -> float:
    """Nearest-rank percentile: with 20 samples p95 is the 19th fastest, p50 the 10th.

    >>> percentile([float(n) for n in range(1, 21)], 95), percentile([3.0, 1.0, 2.0], 50)
    (19.0, 2.0)
    """
    ordered = sorted(samples)
    return ordered[max(0, math.ceil(pct / 100 * len(ordered)) - 1)]


def disk_size(path: Path) -> int:
    """Bytes of a file, or of every file under a folder."""
    if path.is_file():
        return path.stat().st_size
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def words(text: str) -> int:
    """Words as the throughput figures count them (runs of word characters)."""
    return len(WORD.findall(text))


def load_queries(path: Path = QUERY_FILE) -> list[str]:
    """The fixed query list: one per line, ``#`` lines and blanks skipped."""
    lines = path.read_text(encoding="utf-8").splitlines()
    return [ln.strip() for ln in lines if ln.strip() and not ln.lstrip().startswith("#")]


def vm_hwm_mb() -> float | None:
    """This process's own peak RSS. ``ru_maxrss`` would do, but Linux carries it over from the
    parent across fork and exec, so a child of a process holding the NER models reports them."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return None
