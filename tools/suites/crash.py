"""The crash and fault suite: ingests killed at random moments and at named points, a second
ingest at once, a damaged index, a full disk — and nothing confirmed is ever lost.

    python -m tools.suites.crash [--random 200] [--per-point 20] [--json]     (make crash)

Each kill is a SIGKILL of a real ``precedents ingest`` (a subprocess, its parser workers with
it), either after a random delay or from inside, at a point named in pipeline/faults.py. After
every kill the suite checks: the catalogue opens and passes SQLite's integrity check; every
document it holds is whole (its text is exactly the file's); every document confirmed before the
kill is still there; the search index opens (rebuilt from the catalogue if it must be). The next
run of the round goes on from there; a round ends with a run that is not killed, whose catalogue
and index must equal a clean run's. It prints: faults injected, opens succeeded, documents lost
(must be 0), half-written documents (must be 0).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import random
import resource
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pipeline.faults import ENV, POINTS
from tools.paths import ROOT

EN = ("CASE OF {name} v. RUSSIA\n(Application no. {n}/1{d})\nJUDGMENT\nSTRASBOURG\n{day} March 2015\n"
      "{n}. The applicant complained of ill-treatment in police custody in {city} (marker{n}).\n")
RU = ("ПРИГОВОР\nИменем Российской Федерации\nДело № 1-{n}/2021\nРайонный суд г. {city} рассмотрел "
      "дело по обвинению по ч. 3 ст. 286 УК РФ. Потерпевший показал, что применялись пытки "
      "(метка{n}).\n")
NAMES = ["Avdeyev", "Belov", "Chernov", "Dorin", "Yegorov", "Fomin", "Gusev", "Ilyin"]
CITIES = ["Энск", "Самара", "Омск", "Тверь"]


def write_corpus(folder: Path, files: int) -> dict[str, str]:
    """Small fictional rulings, half English, half Russian: path -> sha256 of its text."""
    folder.mkdir(parents=True, exist_ok=True)
    texts = {}
    for n in range(1, files + 1):
        template = EN if n % 2 else RU
        text = template.format(name=NAMES[n % len(NAMES)].upper(), n=n + 100, d=n % 10,
                               day=n % 27 + 1, city=CITIES[n % len(CITIES)])
        path = folder / f"ruling-{n:03d}.txt"
        path.write_text(text, encoding="utf-8")
        texts[str(path.resolve())] = text
    return texts


def _cmd(src: Path, index: Path) -> list[str]:
    return [sys.executable, "-m", "pipeline", "ingest", str(src), "--index", str(index),
            "--jobs", "1", "--ocr", "never"]


@dataclass
class Figures:
    faults_injected: int = 0
    killed_random: int = 0
    killed_at_point: dict[str, int] = field(default_factory=dict)
    opens_succeeded: int = 0
    opens_failed: int = 0
    documents_lost: int = 0
    half_written: int = 0
    rounds: int = 0
    rounds_equal_to_clean: int = 0
    busy_refused: bool | None = None
    damaged_rebuilt: int = 0
    full_disk_clear: bool | None = None
    full_disk_index_intact: bool | None = None
    upload_kills: int = 0
    upload_rounds_consistent: int = 0
    problems: list[str] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return dict(vars(self))


def _state(index: Path, texts: dict[str, str], figures: Figures) -> dict[str, str] | None:
    """Open the catalogue and the index as a user would; return doc id -> text hash."""
    from pipeline.catalogue import Catalogue
    from pipeline.search import open_index

    if not (index / "catalogue.sqlite").exists():
        figures.opens_succeeded += 1
        return {}
    try:
        conn = sqlite3.connect(index / "catalogue.sqlite")
        ok = conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        conn.close()
        if not ok:
            raise RuntimeError("integrity check failed")
        cat = Catalogue.open(index)
        try:
            docs = {}
            for doc in cat.iter_documents():
                want = texts.get(doc.source_path)
                if want is None or doc.text.strip() != want.strip():
                    figures.half_written += 1
                    figures.problems.append(f"{doc.id}: text is not the file's")
                docs[doc.id] = hashlib.sha256(doc.text.encode()).hexdigest()
            for source in cat.sources():
                if source.status == "ok" and not cat.documents_for_path(source.path):
                    figures.half_written += 1
                    figures.problems.append(f"{source.path}: ok without documents")
            idx = open_index(index, cat)  # rebuilt from the catalogue if damaged or behind
            idx.search("пытки", cat)
        finally:
            cat.close()
    except Exception as exc:  # noqa: BLE001 - the figure the suite exists to count
        figures.opens_failed += 1
        figures.problems.append(f"open failed: {type(exc).__name__}: {exc}")
        return None
    figures.opens_succeeded += 1
    return docs


def _run(src: Path, index: Path, *, env_fault: str | None = None,
         kill_after: float | None = None) -> int:
    env = {**os.environ}
    env.pop(ENV, None)
    if env_fault:
        env[ENV] = env_fault
    proc = subprocess.Popen(_cmd(src, index), stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL, env=env, cwd=ROOT, start_new_session=True)
    if kill_after is None:
        return proc.wait(timeout=600)
    try:
        return proc.wait(timeout=kill_after)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
        return -9


def crash_rounds(work: Path, *, random_kills: int, per_point: int, files: int = 12,
                 seed: int = 7) -> Figures:
    rng = random.Random(seed)
    src = work / "in"
    texts = write_corpus(src, files)
    figures = Figures()
    clean = work / "clean"
    _run(src, clean)
    reference = _state(clean, texts, Figures())
    started = time.perf_counter()
    _run(src, work / "timing")
    duration = time.perf_counter() - started
    wanted = {"random": random_kills, **{p: per_point for p in POINTS}}
    done = {k: 0 for k in wanted}
    index, confirmed = None, {}
    attempts = 0
    # Runs go on until every kind of kill has happened often enough: a kill planned after the
    # run's end (a random delay, or a point reached fewer times than asked) lets the run
    # finish, which ends the round (and is checked against a clean run).
    while any(done[k] < wanted[k] for k in wanted) and attempts < 4 * sum(wanted.values()) + 10:
        attempts += 1
        kind = rng.choice([k for k in wanted if done[k] < wanted[k]])
        if index is None:
            figures.rounds += 1
            index = work / f"round-{figures.rounds}"
            shutil.rmtree(index, ignore_errors=True)
            confirmed = {}
        if kind == "random":
            code = _run(src, index, kill_after=rng.uniform(0.2, duration))
        else:
            # Catalogue points are reached once a file; the index commit once a run.
            nth = rng.randint(1, files) if kind.startswith("catalogue") else 1
            code = _run(src, index, env_fault=f"{kind}:{nth}")
        if code == -9:
            figures.faults_injected += 1
            done[kind] += 1
            if kind == "random":
                figures.killed_random += 1
            else:
                figures.killed_at_point[kind] = figures.killed_at_point.get(kind, 0) + 1
        state = _state(index, texts, figures)
        if state is not None:
            lost = [i for i in confirmed if state.get(i) != confirmed[i]]
            figures.documents_lost += len(lost)
            figures.problems += [f"lost {i}" for i in lost]
            confirmed = state
        if code != -9:  # the run finished: the round is over; compare with a clean run
            if state == reference:
                figures.rounds_equal_to_clean += 1
            else:
                figures.problems.append(f"round {figures.rounds} differs from a clean run")
            index = None
    if index is not None:  # finish the last round
        _run(src, index)
        state = _state(index, texts, figures)
        figures.rounds_equal_to_clean += int(state == reference)
    return figures


def busy(work: Path, figures: Figures) -> None:
    """A second ingest while one holds the index: told so at once, one line, exit 1."""
    src = work / "in"
    index = work / "busy"
    first = subprocess.Popen(_cmd(src, index), stdout=subprocess.DEVNULL,
                             stderr=subprocess.DEVNULL, cwd=ROOT)
    deadline = time.monotonic() + 60
    while not (index / "ingest.lock").exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    time.sleep(0.5)
    second = subprocess.run(_cmd(src, index), capture_output=True, text=True, cwd=ROOT,
                            timeout=120)
    first.wait(timeout=600)
    figures.busy_refused = (second.returncode != 0 and "another ingest" in second.stderr
                            and "Traceback" not in second.stderr)


def damaged(work: Path, texts: dict[str, str], figures: Figures) -> None:
    """An empty table of contents and a missing segment: detected and rebuilt on open."""
    from pipeline.search.engines import recorded_engine

    base = work / "clean"
    for harm in ("empty-toc", "missing-segment"):
        copy = work / f"damaged-{harm}"
        shutil.copytree(base, copy)
        engine_dir = copy / (recorded_engine(copy) or "whoosh")
        files = sorted(p for p in engine_dir.iterdir() if p.is_file() and p.name != "SCHEMA_VERSION")
        if harm == "empty-toc":
            for toc in [p for p in files if p.suffix == ".toc" or p.name == "meta.json"]:
                toc.write_bytes(b"")
        else:
            segments = [p for p in files if p.suffix in (".seg", ".store", ".idx", ".term")]
            if segments:
                segments[0].unlink()
        before = figures.opens_failed
        state = _state(copy, texts, figures)
        if state is not None and figures.opens_failed == before:
            figures.damaged_rebuilt += 1


def full_disk(work: Path, figures: Figures) -> None:
    """A file-size limit as a full disk: one clear line, exit non-zero, the index intact."""
    src = work / "more"
    write_corpus(src, 30)
    for p in src.iterdir():
        p.write_text(p.read_text(encoding="utf-8") * 400, encoding="utf-8")
    index = work / "full"
    shutil.copytree(work / "clean", index)
    before = _state(index, {**_texts(work / "in"), **_texts(src)}, Figures())

    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (256 * 1024, 256 * 1024))
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)

    done = subprocess.run(_cmd(src, index), capture_output=True, text=True, cwd=ROOT,
                          preexec_fn=limit, timeout=600)
    lines = [ln for ln in done.stderr.splitlines() if "disk" in ln.lower() or "space" in ln.lower()
             or "too large" in ln.lower() or "file size" in ln.lower()]
    figures.full_disk_clear = done.returncode != 0 and bool(lines) and "Traceback" not in done.stderr
    after = _state(index, {**_texts(work / "in"), **_texts(src)}, figures)
    figures.full_disk_index_intact = after is not None and all(
        after.get(k) == v for k, v in (before or {}).items())
    if not figures.full_disk_clear:
        figures.problems.append("full disk: " + (done.stderr.strip().splitlines() or ["(silent)"])[-1][:200])


#: Run in a process of its own: the page's upload route, in process (the code a server process
#: runs for ``POST /api/upload``), sending the files named on the command line.
UPLOADER = """
import sys
from pathlib import Path
from fastapi.testclient import TestClient
from pipeline.web import create_app
client = TestClient(create_app(Path(sys.argv[1])), base_url="http://127.0.0.1:8080")
token = client.get("/api/csrf").json()["token"]
files = [("files", (Path(f).name, Path(f).read_bytes())) for f in sys.argv[2:]]
answer = client.post("/api/upload", files=files, headers={"X-CSRF-Token": token})
sys.exit(0 if answer.status_code == 200 else 2)
"""


def _upload(index: Path, files: list[Path], *, env_fault: str | None = None,
            kill_after: float | None = None) -> int:
    env = {**os.environ}
    env.pop(ENV, None)
    if env_fault:
        env[ENV] = env_fault
    proc = subprocess.Popen([sys.executable, "-c", UPLOADER, str(index), *map(str, files)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env,
                            cwd=ROOT, start_new_session=True)
    try:
        return proc.wait(timeout=600 if kill_after is None else kill_after)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
        return -9


def upload_crashes(work: Path, figures: Figures, *, random_kills: int = 1,
                   seed: int = 11) -> None:
    """Uploads killed at each named point (and after random delays) while the page's route
    adds three rulings and a file of garbage to an index of twelve: after each kill the
    catalogue and index open, nothing they held is lost and nothing is half-written; the next
    upload goes through, after which the store holds exactly the sources of the documents
    from it (a killed upload's leftovers swept) and every uploaded ruling is found by search."""
    from pipeline.catalogue import Catalogue
    from pipeline.ingest.uploads import store_of
    from pipeline.search import open_index

    rng = random.Random(seed)
    src = work / "in"
    texts = _texts(src) if src.is_dir() else write_corpus(src, 12)
    if not (work / "clean" / "catalogue.sqlite").exists():
        _run(src, work / "clean")
    sent = work / "sent"
    sent.mkdir(exist_ok=True)
    files = []
    for n in range(3):
        path = sent / f"Решение по делу {n} ../{n}.txt".replace("/", "_")
        path.write_text(EN.format(name="UPLOADOV", n=900 + n, d=n, day=n + 1, city="Омск")
                        .replace("marker", "uploadmark"), encoding="utf-8")
        files.append(path)
    garbage = sent / "garbage.bin"
    garbage.write_bytes(bytes(range(256)) * 8)
    files.append(garbage)
    plans = [(p, rng.randint(1, 4) if p.startswith("catalogue") else 1) for p in POINTS]
    plans += [("random", 0)] * random_kills
    for n, (point, nth) in enumerate(plans):
        index = work / f"upload-{n}"
        shutil.rmtree(index, ignore_errors=True)
        shutil.copytree(work / "clean", index)
        before = _state(index, texts, Figures()) or {}
        if point == "random":
            code = _upload(index, files, kill_after=rng.uniform(1.0, 6.0))
        else:
            code = _upload(index, files, env_fault=f"{point}:{nth}")
        figures.upload_kills += code == -9
        stored = {str(p): p.read_text(encoding="utf-8") for p in store_of(index).rglob("*.txt")}
        after = _state(index, {**texts, **stored}, figures)
        if after is None:
            continue
        lost = [i for i in before if after.get(i) != before[i]]
        figures.documents_lost += len(lost)
        figures.problems += [f"upload killed at {point}: lost {i}" for i in lost]
        if _upload(index, files) != 0:
            figures.problems.append(f"upload after a kill at {point} failed")
            continue
        cat = Catalogue.open(index)
        try:
            rows = {s.path: s for s in cat.sources() if s.path.startswith(str(store_of(index)))}
            on_disk = {str(p) for p in store_of(index).glob("*/*")}
            found = open_index(index, cat).search("uploadmark900 OR uploadmark901 OR "
                                                  "uploadmark902", cat)
            ids = {h.id for h in found.hits}
        finally:
            cat.close()
        consistent = (set(rows) == on_disk and all(r.status == "ok" for r in rows.values())
                      and len(ids) == 3)
        figures.upload_rounds_consistent += consistent
        if not consistent:
            figures.problems.append(f"upload killed at {point}: store {sorted(on_disk)} against "
                                    f"rows {sorted(rows)}, found {sorted(ids)}")


def _texts(folder: Path) -> dict[str, str]:
    return {str(p.resolve()): p.read_text(encoding="utf-8") for p in folder.glob("*.txt")}


def run_suite(work: Path, *, random_kills: int, per_point: int) -> Figures:
    figures = crash_rounds(work, random_kills=random_kills, per_point=per_point)
    texts = _texts(work / "in")
    busy(work, figures)
    damaged(work, texts, figures)
    full_disk(work, figures)
    return figures


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--random", type=int, default=200, help="random SIGKILLs")
    parser.add_argument("--per-point", type=int, default=20, help="kills at each named point")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        figures = run_suite(Path(tmp), random_kills=args.random, per_point=args.per_point)
    data = figures.to_json()
    if args.json:
        print(json.dumps(data, ensure_ascii=False, indent=1))
    else:
        for key, value in data.items():
            if key != "problems":
                print(f"{key}: {value}")
        for problem in figures.problems[:50]:
            print("problem:", problem)
    bad = (figures.documents_lost or figures.half_written or figures.opens_failed
           or figures.problems or not figures.busy_refused or figures.damaged_rebuilt < 2
           or not figures.full_disk_clear or not figures.full_disk_index_intact)
    return 1 if bad else 0


if __name__ == "__main__":
    raise SystemExit(main())
