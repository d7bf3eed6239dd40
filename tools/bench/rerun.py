"""Measure incremental ingest at scale: what a rerun over N unchanged files costs.

    python -m tools.bench.rerun --files 10000 --out /tmp/rerun.md [--workdir /tmp/bench-rerun]

The issue "Scale and speed" asks that a rerun over 10,000 unchanged files does no extraction, no
NLP and no index commit (done when it takes under 5 s), that one changed file costs its own
processing plus at most a second, and that ``reindex`` rebuilds from the catalogue alone. This
tool checks each claim on synthetic data rather than trusting the code to do what it says:

- N short, unique, fictional TXT rulings (Russian and English sentences, distinct case numbers)
  are written under ``--workdir`` (in /tmp, never in the project) and ingested once; short texts
  keep the first ingest to minutes while every file still goes through the whole pipeline.
- Each step counts what it did: files sent to parser workers, files hashed, search-index writers
  opened and committed; the search-index files (names, sizes, mtimes) and the catalogue rows are
  fingerprinted before and after, so "nothing happened" is shown, not assumed.
- The unchanged rerun is timed twice: in this process (instrumented) and as the real command
  line in a fresh process (imports included), which is what a user waits for.

With ``--workdir`` an earlier run's files and index are reused (the first ingest is skipped), so
the code can be changed and re-measured without paying the first ingest again. Numbers are
reported, never asserted; the machine may be shared, so say so when quoting them.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import random
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

import pipeline.ingest.executors.local as local_executor
import pipeline.ingest.run as ingest_module
from pipeline.catalogue import CATALOGUE_FILE, Catalogue
from pipeline.search.whoosh import engine as whoosh_engine
from tools.bench.report import machine
from tools.paths import ROOT

# Fictional material only: invented names, courts and numbers, recombined per file.
RU_NAMES = ["Иванова А. П.", "Петрова К. С.", "Сидорова Н. В.", "Кузнецова Е. А.", "Орлова М. Д."]
RU_COURTS = ["Ленинский районный суд г. Самары", "Кировский районный суд г. Омска",
             "Центральный районный суд г. Читы", "Заводской районный суд г. Орла"]
RU_FACTS = [
    "Суд установил, что подсудимый применял насилие к задержанному в отделе полиции.",
    "Потерпевший показал, что его удерживали в служебном кабинете несколько часов.",
    "Свидетель подтвердил, что видел телесные повреждения у потерпевшего.",
    "Заключением эксперта установлены кровоподтёки на лице и руках потерпевшего.",
    "Подсудимый вину не признал и пояснил, что действовал в пределах полномочий.",
    "Суд критически оценивает показания подсудимого, так как они опровергнуты доказательствами.",
]
EN_NAMES = ["KOVALENKO", "MARTYNOV", "SERGEYEVA", "LITVINOV", "ZHUKOVA", "BELOV"]
EN_STATES = ["RUSSIA", "UKRAINE", "MOLDOVA", "GEORGIA"]
EN_FACTS = [
    "The applicant alleged that he had been ill-treated in police custody.",
    "The Government contested that argument and referred to a medical report.",
    "The Court notes that the investigation was opened several months after the events.",
    "The applicant complained that the authorities had failed to investigate effectively.",
    "The domestic courts did not examine the applicant's account of the events.",
    "The Court finds that there has been a violation of Article 3 of the Convention.",
]


def ruling(n: int) -> str:
    """The n-th synthetic ruling: a few hundred characters, unique bytes (its own number)."""
    rng = random.Random(n)
    if n % 2:
        facts = " ".join(rng.sample(RU_FACTS, 3))
        return (f"Дело № 1-{n}/2025\nП Р И Г О В О Р\nИМЕНЕМ РОССИЙСКОЙ ФЕДЕРАЦИИ\n"
                f"{1 + n % 28} марта 2025 года {rng.choice(RU_COURTS)}\n"
                f"рассмотрев уголовное дело в отношении {rng.choice(RU_NAMES)}\n{facts}\n")
    facts = "\n\n".join(f"{i}. {s}" for i, s in enumerate(rng.sample(EN_FACTS, 3), 1))
    return (f"CASE OF {rng.choice(EN_NAMES)} v. {rng.choice(EN_STATES)}\n\n"
            f"(Application no. {10000 + n}/19)\n\nJUDGMENT\n\nSTRASBOURG\n\n"
            f"{1 + n % 28} March 2025\n\n{facts}\n")


def generate(folder: Path, files: int) -> list[Path]:
    """Write ``files`` rulings, 500 per sub-folder (a tree, as a real collection is)."""
    paths = []
    for n in range(files):
        sub = folder / f"batch-{n // 500:03d}"
        sub.mkdir(parents=True, exist_ok=True)
        path = sub / f"ruling-{n:05d}.txt"
        path.write_text(ruling(n), encoding="utf-8")
        paths.append(path)
    return paths


# -- counting what a step did --------------------------------------------------------------------

@dataclass
class Counters:
    parsed: int = 0          # files handed to a parser worker (extraction + NLP)
    pools: int = 0           # worker pools started (each spawns processes that import the pipeline)
    hashed: int = 0          # files hashed
    writers: int = 0         # search-index writers opened
    commits: int = 0         # search-index commits
    timings: dict[str, dict[str, float]] = field(default_factory=dict)


class Instrument:
    """Wraps the ingest module's sandbox, hash and index batch so each step can be counted."""

    def __init__(self) -> None:
        self.c = Counters()
        self._orig = (local_executor.Sandbox, ingest_module.sha256_file,
                      whoosh_engine.Batch.__init__, whoosh_engine.Batch.commit)
        counters = lambda: self.c  # noqa: E731 - the wrappers read the current counters
        base_sandbox, base_sha, base_init, base_commit = self._orig

        class CountingSandbox(base_sandbox):
            def __init__(self, *a, **k):
                counters().pools += 1
                super().__init__(*a, **k)

            def run(self, tasks):
                tasks = list(tasks)
                counters().parsed += len(tasks)
                for task, result in super().run(tasks):
                    if getattr(result, "timings", None):
                        counters().timings[task[0]] = result.timings
                    yield task, result

        def sha(path):
            counters().hashed += 1
            return base_sha(path)

        def init(batch, ix):
            counters().writers += 1
            base_init(batch, ix)

        def commit(batch):
            counters().commits += 1
            base_commit(batch)

        local_executor.Sandbox = CountingSandbox
        ingest_module.sha256_file = sha
        whoosh_engine.Batch.__init__ = init
        whoosh_engine.Batch.commit = commit

    def reset(self) -> Counters:
        done, self.c = self.c, Counters()
        return done


def index_files(index_dir: Path) -> dict[str, tuple[int, int]]:
    """Name -> (size, mtime) of every search-index file: any commit changes this."""
    engine = index_dir / whoosh_engine.ENGINE_DIR
    return {p.name: (p.stat().st_size, p.stat().st_mtime_ns) for p in sorted(engine.iterdir())}


def catalogue_digest(index_dir: Path) -> str:
    """A hash of every source and document row a run could rewrite (texts left out)."""
    conn = sqlite3.connect(f"file:{index_dir / CATALOGUE_FILE}?mode=ro", uri=True)
    try:
        digest = hashlib.sha256()
        for row in conn.execute("SELECT path, sha256, size, mtime_ns, status, processed_at,"
                                " timings FROM sources ORDER BY path"):
            digest.update(repr(row).encode())
        for row in conn.execute("SELECT id, updated_at, indexed FROM documents ORDER BY id"):
            digest.update(repr(row).encode())
        return digest.hexdigest()[:12]
    finally:
        conn.close()


@dataclass
class Step:
    name: str
    seconds: float
    counters: Counters
    index_untouched: bool
    catalogue_untouched: bool
    statuses: dict[str, int]
    note: str = ""


def measure(name: str, inst: Instrument, index_dir: Path, fn) -> Step:
    before_files, before_rows = index_files(index_dir), catalogue_digest(index_dir)
    inst.reset()
    started = time.perf_counter()
    report = fn()
    seconds = time.perf_counter() - started
    counters = inst.reset()
    statuses: dict[str, int] = {}
    for outcome in getattr(report, "outcomes", []):
        statuses[outcome.status] = statuses.get(outcome.status, 0) + 1
    if getattr(report, "pruned", None):
        statuses["pruned"] = len(report.pruned)
    return Step(name, seconds, counters, index_files(index_dir) == before_files,
                catalogue_digest(index_dir) == before_rows, statuses)


def cli_rerun(folder: Path, index_dir: Path) -> tuple[float, bool, bool, str]:
    """The unchanged rerun as a user runs it: a fresh process, imports and all."""
    before_files, before_rows = index_files(index_dir), catalogue_digest(index_dir)
    env = dict(os.environ, PRECEDENTS_NO_PROGRESS="1")
    started = time.perf_counter()
    proc = subprocess.run([sys.executable, "-m", "pipeline", "ingest", str(folder), "--index",
                           str(index_dir), "--jobs", "2", "--json"],
                          capture_output=True, text=True, env=env, cwd=ROOT)
    seconds = time.perf_counter() - started
    summary = json.loads(proc.stdout) if proc.stdout.strip() else {}
    return (seconds, index_files(index_dir) == before_files,
            catalogue_digest(index_dir) == before_rows,
            f"{summary.get('unchanged', '?')} unchanged, {summary.get('ingested', '?')} ingested")


def python_startup() -> float:
    """How long the bare command takes to start (``--help``): the floor under any rerun."""
    started = time.perf_counter()
    subprocess.run([sys.executable, "-m", "pipeline", "--help"], capture_output=True, cwd=ROOT)
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--files", type=int, default=10_000)
    parser.add_argument("--out", type=Path, required=True, help="Markdown file to write")
    parser.add_argument("--workdir", type=Path, default=None,
                        help="keep (or reuse) files and index here; default: a temporary folder")
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--label", default="", help="a note printed with the table")
    parser.add_argument("--shared", action="store_true",
                        help="say that other jobs ran on the machine meanwhile")
    args = parser.parse_args()

    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="bench-rerun-"))
    folder, index_dir = workdir / "rulings", workdir / "index"
    inst = Instrument()
    first = ""
    if not (index_dir / CATALOGUE_FILE).exists():
        shutil.rmtree(folder, ignore_errors=True)
        paths = generate(folder, args.files)
        chars = sum(p.stat().st_size for p in paths)
        started = time.perf_counter()
        report = ingest_module.ingest([folder], index_dir, jobs=args.jobs)
        first = (f"First ingest: {len(paths):,} files ({chars / len(paths):.0f} bytes each on "
                 f"average) in {time.perf_counter() - started:.1f} s with {args.jobs} parser "
                 f"processes ({report.count('ok'):,} ok, {report.failed} failed, "
                 f"{report.count('duplicate')} duplicates).")
    else:
        # An earlier run deleted one file and changed another: put the set back (untimed).
        missing = [n for n in range(args.files)
                   if not (folder / f"batch-{n // 500:03d}" / f"ruling-{n:05d}.txt").exists()]
        for n in missing:
            (folder / f"batch-{n // 500:03d}" / f"ruling-{n:05d}.txt").write_text(
                ruling(n), encoding="utf-8")
        ingest_module.ingest([folder], index_dir, jobs=args.jobs)
        first = f"First ingest: reused from an earlier run in `{workdir}` (not re-timed)."
    files = sorted(folder.rglob("*.txt"))
    n_files = len(files)

    steps: list[Step] = []

    def run(**kwargs):
        return lambda: ingest_module.ingest([folder], index_dir, jobs=args.jobs, **kwargs)

    steps.append(measure("rerun, nothing changed", inst, index_dir, run()))
    steps.append(measure("rerun, nothing changed (again)", inst, index_dir, run()))
    cli_seconds, cli_ix, cli_cat, cli_summary = cli_rerun(folder, index_dir)
    startup = python_startup()

    touched = files[len(files) // 2]
    st = touched.stat()
    os.utime(touched, ns=(st.st_atime_ns, st.st_mtime_ns + 10**9))
    steps.append(measure("one file touched (same bytes)", inst, index_dir, run()))

    changed = files[len(files) // 3]
    changed.write_text(changed.read_text(encoding="utf-8") + "Changed by bench_rerun at "
                       f"{time.time_ns()}.\n", encoding="utf-8")
    step = measure("one file's bytes changed", inst, index_dir, run())
    own = sum(sum(t.values()) for t in step.counters.timings.values())
    step.note = (f"its own extract+analyse {own:.2f} s (in the worker); "
                 f"overhead {step.seconds - own:.2f} s")
    steps.append(step)

    victim = files[-1]
    victim.unlink()
    steps.append(measure("one file deleted, `--prune`", inst, index_dir, run(prune=True)))

    cat = Catalogue.open(index_dir)
    docs = cat.count_documents()
    cat.close()
    steps.append(measure(f"`reindex` ({docs:,} documents)", inst, index_dir,
                         lambda: ingest_module.reindex(index_dir)))

    yes = lambda b: "untouched" if b else "changed"  # noqa: E731
    lines = [
        f"## Incremental ingest at scale ({n_files:,} files)",
        "",
        f"- date: {datetime.now(timezone.utc).isoformat(timespec='seconds')}",
        f"- machine: {machine()}"
        + ("; shared with other jobs while measured, so times are upper bounds"
           if args.shared else ""),
        # File names only: the folders are this machine's (often temporary) and mean nothing
        # to a reader of the committed file.
        f"- command: `python -m tools.bench.rerun --files {args.files} --out {args.out.name}"
        + (f" --workdir {Path(args.workdir).name}" if args.workdir else "")
        + (" --shared" if args.shared else "") + "`",
        f"- data: {n_files:,} synthetic TXT rulings (fictional, Russian and English, "
        "unique case numbers), in a temporary folder",
        *([f"- note: {args.label}"] if args.label else []),
        "",
        first,
        "",
        "| step | wall s | parsed | pools | hashed | index writers | index commits "
        "| index files | catalogue rows | outcome |",
        "|---|---:|---:|---:|---:|---:|---:|---|---|---|",
    ]
    for s in steps:
        outcome = ", ".join(f"{k} {v:,}" for k, v in sorted(s.statuses.items())) or "–"
        if s.note:
            outcome += f"; {s.note}"
        c = s.counters
        lines.append(f"| {s.name} | {s.seconds:.2f} | {c.parsed} | {c.pools} | {c.hashed} | "
                     f"{c.writers} | {c.commits} | {yes(s.index_untouched)} | "
                     f"{yes(s.catalogue_untouched)} | {outcome} |")
    lines += [
        f"| `precedents ingest` CLI, nothing changed (fresh process) | {cli_seconds:.2f} | – | – "
        f"| – | – | – | {yes(cli_ix)} | {yes(cli_cat)} | {cli_summary} |",
        "",
        f"The CLI line includes Python start-up and imports: `python -m pipeline --help` alone "
        f"takes {startup:.2f} s here. \"parsed\" counts files sent to parser workers "
        "(extraction + NLP); \"index files\" compares every search-index file's name, size and "
        "mtime before and after; \"catalogue rows\" compares a hash of every source and document "
        "row (stat, hash, status, processed_at, indexed).",
        "",
    ]
    text = "\n".join(lines)
    args.out.write_text(text, encoding="utf-8")
    print(text)
    if not args.workdir:
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
