"""The hostile-input suite: every case of tools/suites/hostile.py through a real ``ingest``, between good
files, then a check that each outcome is right and nothing good was lost.

    python -m tools.suites.robustness [--fast] [--json]      (make robustness)

Prints: inputs tried, handled, unhandled (must be 0), workers killed by limits; exits 1 when any
input is unhandled. "Handled" means the outcome the case expects: the text out (with what it must
and must not contain), or a ``failed``/``unsupported`` line that names the file on one line, or
(for a symlink met in a folder, or a file inside a precedents index) not ingested at all; and
the good files around it are ``ok`` and searchable. ``--fast`` leaves out the cases that need a worker to hit its time or memory
limit (``make test`` runs the fast part through tests/test_robustness.py).
"""

from __future__ import annotations

import argparse
import json
import os
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pipeline.catalogue import Catalogue
from pipeline.ingest import ingest, printable, source_key
from tools.suites.hostile import CASES, RULING_EN, RULING_RU, Case

#: Limits for the run: low enough that a bomb or an endless page is stopped in seconds.
TIMEOUT = 60.0
MEMORY_MB = 1536
KILLED_MARKERS = ("timed out", "memory cap", "crashed", "killed by signal")


@dataclass
class Verdict:
    case: str
    handled: bool
    status: str | None
    why: str = ""
    killed: bool = False

    def to_json(self) -> dict[str, Any]:
        return vars(self)


def build(folder: Path, cases: list[Case]) -> dict[str, Path]:
    """Write every case into its own sub-folder, between two good rulings."""
    made: dict[str, Path] = {}
    for n, case in enumerate(cases):
        sub = folder / f"{n:02d}-{case.name}"
        sub.mkdir()
        (sub / "a-good.txt").write_text(RULING_EN + f"\nCase marker {n}.\n", encoding="utf-8")
        made[case.name] = case.build(sub)
        (sub / "z-good.txt").write_bytes((RULING_RU + f"\nМетка {n}.\n").encode("cp1251"))
    return made


def judge(case: Case, path: Path, outcomes: dict[str, Any], texts: dict[str, str]) -> Verdict:
    key = source_key(path)
    outcome = outcomes.get(key) or outcomes.get(printable(key))
    if case.expect == "skip":
        if outcome is None:
            return Verdict(case.name, True, None)
        return Verdict(case.name, False, outcome.status, "ingested, but should have been skipped")
    if outcome is None:
        return Verdict(case.name, False, None, "no outcome reported for the file")
    error = outcome.error or ""
    killed = any(m in error for m in KILLED_MARKERS)
    if case.expect == "fail":
        if outcome.status not in ("failed", "unsupported"):
            return Verdict(case.name, False, outcome.status, "expected a clear failure")
        if "\n" in error or printable(os.path.basename(key)) not in error:
            return Verdict(case.name, False, outcome.status, "error is not one line naming the file")
        return Verdict(case.name, True, outcome.status, error.split(": ", 1)[-1][:90], killed)
    if outcome.status != "ok":
        return Verdict(case.name, False, outcome.status, f"expected text, got: {error[:90]}")
    text = texts.get(key, "")
    if case.contains and case.contains not in text:
        return Verdict(case.name, False, "ok", f"text lacks {case.contains!r}")
    if case.absent and case.absent in text:
        return Verdict(case.name, False, "ok", f"text holds {case.absent!r}")
    return Verdict(case.name, True, "ok")


def run(cases: list[Case], workdir: Path, *, jobs: int = 2) -> dict[str, Any]:
    src, index = workdir / "in", workdir / "index"
    src.mkdir()
    made = build(src, cases)
    started = time.perf_counter()
    report = ingest([src], index, jobs=jobs, timeout=TIMEOUT, memory_mb=MEMORY_MB)
    seconds = time.perf_counter() - started
    outcomes = {o.path: o for o in report.outcomes}
    cat = Catalogue.open(index, create=False)
    # Copies of one ruling in several encodings are shown as one document: read each file's own.
    texts = {d.source_path: d.text for d in cat.iter_documents(copies=True)}
    cat.close()
    verdicts = [judge(c, made[c.name], outcomes, texts) for c in cases]
    good = [o for o in report.outcomes if Path(o.path).name in ("a-good.txt", "z-good.txt")]
    lost = [o.path for o in good if o.status != "ok" or o.path not in texts]
    return {
        "tried": len(cases),
        "handled": sum(v.handled for v in verdicts),
        "unhandled": sum(not v.handled for v in verdicts),
        "killed_by_limits": sum(v.killed for v in verdicts),
        "good_files": len(good), "good_files_lost": len(lost),
        "exit_code_would_be": 1 if report.failed else 0,
        "seconds": round(seconds, 1),
        "verdicts": [v.to_json() for v in verdicts],
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--fast", action="store_true", help="leave out the cases that need limits")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    cases = [c for c in CASES if not (args.fast and c.slow)]
    with tempfile.TemporaryDirectory() as tmp:
        result = run(cases, Path(tmp))
    if args.json:
        print(json.dumps(result, ensure_ascii=False, indent=1))
    else:
        for v in result["verdicts"]:
            mark = "handled  " if v["handled"] else "UNHANDLED"
            print(f"{mark} {v['case']:32} {v['status'] or 'skipped':12} {v['why']}")
        print(f"\ninputs tried: {result['tried']}, handled: {result['handled']}, "
              f"unhandled: {result['unhandled']}, workers killed by limits: "
              f"{result['killed_by_limits']}; good files around them: {result['good_files']}, "
              f"lost: {result['good_files_lost']}; {result['seconds']} s")
    return 1 if result["unhandled"] or result["good_files_lost"] else 0


if __name__ == "__main__":
    raise SystemExit(main())
