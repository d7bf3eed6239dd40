"""Measure the local web page under load and write the Web section of BENCHMARKS.md.

    python -m tools.bench.web --out BENCHMARKS.md [--index DIR] [--clients 20] [--seconds 60]

Without ``--index`` (or when DIR holds no catalogue), the ECHR corpus (../shared/corpora/echr:
154 files, the index the load figures of the attack were taken on) is ingested into DIR, or
into a temporary folder removed afterwards. Then the real server (``precedents serve``, uvicorn
on a free loopback port, in its own process) is started over it, and:

1. a warm-up: every query once from 4 clients at a time, so each server process has loaded its
   analysers and the word forms snippets look up, as a server that has been running has (no
   document page: the load should find their related documents not kept yet);
2. the page of the longest judgment is asked for alone: first view (nothing kept yet), second
   view, and another part of it, with the size of each page;
3. ``--clients`` threads, each with its own connection, ask for pages back to back for
   ``--seconds`` seconds: a fixed mix (seeded) of search pages over the fixed queries
   (tools/bench/queries.txt), JSON searches, and document pages (some at a paragraph);
   p50/p95/p99/max are nearest-rank over every request of the run.

The clients run on the same machine as the server (2 cores shared): the figures include their
own cost. Never run as a unit test: numbers are reported, not asserted.
"""

from __future__ import annotations

import argparse
import os
import random
import socket
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import httpx

from tools.bench.measure import load_queries, percentile
from tools.bench.report import machine, put_section
from tools.paths import ROOT, SHARED_CORPORA

#: Share of each kind of request in the load (cumulative draw).
MIX = (("search", 0.45), ("api", 0.15), ("document", 0.30), ("paragraph", 0.10))
TIMEOUT = 120.0


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def documents(index_dir: Path) -> list[tuple[str, int, list[str]]]:
    """(id, characters, paragraph numbers) of every document, longest first."""
    import json

    con = sqlite3.connect(f"file:{index_dir / 'catalogue.sqlite'}?mode=ro", uri=True)
    try:
        rows = con.execute("SELECT id, chars, record FROM documents ORDER BY chars DESC").fetchall()
    finally:
        con.close()
    out = []
    for doc_id, chars, record in rows:
        numbers = [str(p.get("number")) for p in (json.loads(record or "{}").get("paragraphs")
                                                 or []) if p.get("number")]
        out.append((doc_id, chars, numbers))
    return out


class Server:
    """``precedents serve`` in its own process, on a free loopback port."""

    def __init__(self, index_dir: Path, log: Path):
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self._log = log.open("wb")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "pipeline", "serve", "--index", str(index_dir),
             "--port", str(self.port)],
            cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)}, stdout=self._log,
            stderr=subprocess.STDOUT)
        for _ in range(600):
            try:
                httpx.get(self.base + "/api", timeout=5)
                return
            except httpx.TransportError:
                if self.process.poll() is not None:
                    break
                time.sleep(0.1)
        self.stop()
        raise SystemExit(f"bench_web: the server did not start (see {log})")

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=20)
        self._log.close()


def server_cpu(pid: int) -> float:
    """CPU seconds (user + system) used so far by the server process and its children (the
    other server processes): what a request costs, whatever else the machine is running."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0.0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(stat.parent.name) == pid or int(fields[1]) == pid:
            total += (int(fields[11]) + int(fields[12])) / ticks
    return total


def timed(client: httpx.Client, url: str) -> tuple[float, int, int]:
    started = time.perf_counter()
    response = client.get(url)
    return time.perf_counter() - started, response.status_code, len(response.content)


def alone(base: str, doc_id: str, warm_id: str, pid: int) -> dict[str, Any]:
    """The longest judgment's page with nothing else running: first view, again, part 2."""
    from urllib.parse import quote

    url = "/documents/" + quote(doc_id, safe="")
    with httpx.Client(base_url=base, timeout=TIMEOUT) as client:
        for _ in range(4):  # every server process's first page (imports, analyzers)
            client.get("/documents/" + quote(warm_id, safe=""), headers={"connection": "close"})
        cpu = server_cpu(pid)
        first = timed(client, url)
        first_cpu = server_cpu(pid) - cpu
        again = timed(client, url)
        part2 = timed(client, url + "?part=2")
        html = client.get(url).text
    parts = html.count('class="part"') + 1 if 'id="parts-top"' in html else 1
    return {"first_s": first[0], "first_cpu_s": first_cpu, "first_bytes": first[2],
            "again_s": again[0],
            "part2_s": part2[0], "part2_bytes": part2[2], "status": first[1], "parts": parts}


def warm(base: str, clients: int = 4) -> float:
    """Every query once per client, ``clients`` at a time (so every server process gets
    some): the analysers and the word forms snippets look up are loaded, as in a server that
    has been running. Documents are not asked for: their related documents are kept by the
    server, and the load should find most of them not kept yet. Returns the seconds spent."""
    from urllib.parse import urlencode

    started = time.monotonic()

    def one(n: int) -> None:
        with httpx.Client(base_url=base, timeout=TIMEOUT) as client:
            for q in load_queries():
                client.get("/search?" + urlencode({"q": q}))

    threads = [threading.Thread(target=one, args=(n,)) for n in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=600)
    return time.monotonic() - started


def load(base: str, docs: list[tuple[str, int, list[str]]], *, clients: int, seconds: float,
         seed: int, pid: int) -> dict[str, Any]:
    """``clients`` threads asking back to back for ``seconds``; latencies per kind."""
    from urllib.parse import quote, urlencode

    qs = load_queries()
    samples: dict[str, list[float]] = {kind: [] for kind, _ in MIX}
    errors: list[str] = []
    lock = threading.Lock()
    stop_at = time.monotonic() + seconds

    def client_loop(n: int) -> None:
        rng = random.Random(seed * 1000 + n)
        with httpx.Client(base_url=base, timeout=TIMEOUT) as client:
            while time.monotonic() < stop_at:
                draw, kind = rng.random(), MIX[-1][0]
                total = 0.0
                for name, share in MIX:
                    total += share
                    if draw < total:
                        kind = name
                        break
                doc_id, _, numbers = rng.choice(docs)
                if kind == "search":
                    url = "/search?" + urlencode({"q": rng.choice(qs)})
                elif kind == "api":
                    url = "/api/search?" + urlencode({"q": rng.choice(qs)})
                elif kind == "paragraph" and numbers:
                    number = rng.choice(numbers)
                    url = f"/documents/{quote(doc_id, safe='')}?para={quote(number, safe='')}"
                else:
                    url = "/documents/" + quote(doc_id, safe="")
                try:
                    spent, status, _ = timed(client, url)
                except httpx.HTTPError as exc:
                    with lock:
                        errors.append(f"{kind}: {type(exc).__name__}")
                    continue
                with lock:
                    samples[kind].append(spent)
                    if status >= 500:
                        errors.append(f"{kind}: HTTP {status}")

    threads = [threading.Thread(target=client_loop, args=(n,)) for n in range(clients)]
    cpu = server_cpu(pid)
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=seconds + TIMEOUT + 30)
    wall = time.monotonic() - started
    cpu = server_cpu(pid) - cpu
    every = [s for kind in samples.values() for s in kind]
    load_avg = os.getloadavg()[0]
    return {"samples": samples, "all": every, "errors": errors, "wall_s": wall, "cpu_s": cpu,
            "loadavg": load_avg}


def stats(samples: list[float]) -> str:
    if not samples:
        return "– | – | – | –"
    return " | ".join(f"{percentile(samples, p) * 1000:,.0f}" for p in (50, 95, 99, 100))


def section(info: dict[str, Any], command: str, index_note: str) -> list[str]:
    page, run = info["alone"], info["load"]
    every = run["all"]
    lines = [
        "## Web",
        "",
        f"- date: {datetime.now(timezone.utc).replace(microsecond=0).isoformat()}",
        f"- machine: {machine()}",
        f"- command: `{command}`",
        f"- index: {index_note}, {info['documents']} documents; the real server "
        "(`precedents serve`) in its own process on a loopback port",
        "",
        f"After a warm-up (every query once from 4 clients at a time, {info['warm_s']:.0f} s: "
        "analysers and word forms loaded in each server process; no document page asked "
        "for), the longest judgment alone "
        f"(`{info['longest']}`, {info['longest_chars']:,} characters, "
        f"{page['parts']} parts): first view {page['first_s']:.2f} s "
        f"({page['first_cpu_s']:.2f} s of server CPU) "
        f"({page['first_bytes'] / 1024:,.0f} KiB of HTML), second view {page['again_s']:.2f} s "
        f"(related documents kept), part 2 {page['part2_s']:.2f} s "
        f"({page['part2_bytes'] / 1024:,.0f} KiB).",
        "",
        f"Then {info['clients']} concurrent clients for {run['wall_s']:.0f} s, back to back, each "
        "with its own keep-alive connection; a fixed mix: search pages 45 %, JSON searches "
        "15 %, document pages 30 %, document pages at a paragraph (`?para=`) 10 %, over the "
        f"fixed queries of tools/bench/queries.txt and every document. {len(every):,} requests "
        f"({len(every) / max(run['wall_s'], 1e-9):.1f}/s), {len(run['errors'])} errors "
        f"(HTTP 5xx or no answer); the server used {run['cpu_s']:.1f} CPU-seconds, "
        f"{run['cpu_s'] / max(len(every), 1) * 1000:.0f} ms per request; load average at the "
        f"end {run['loadavg']:.1f} (other work on the machine included). Milliseconds, "
        "nearest rank:",
        "",
        "| requests | count | p50 | p95 | p99 | max |",
        "|---|---:|---:|---:|---:|---:|",
        f"| all | {len(every):,} | {stats(every)} |",
    ]
    for kind, label in (("search", "search page"), ("api", "JSON search"),
                        ("document", "document page"), ("paragraph", "document at a paragraph")):
        found = run["samples"][kind]
        lines.append(f"| {label} | {len(found):,} | {stats(found)} |")
    if run["errors"]:
        lines += ["", "Errors: " + ", ".join(sorted(set(run["errors"])))]
    return lines


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=ROOT / "BENCHMARKS.md")
    parser.add_argument("--index", type=Path, help="an index to reuse (or to build, kept)")
    parser.add_argument("--corpus", type=Path, default=SHARED_CORPORA / "echr")
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--seed", type=int, default=13)
    args = parser.parse_args()
    # The command as typed, with the folder of a reused index as DIR (no machine path here).
    shown = [("DIR" if a == str(args.index) else a) for a in sys.argv[1:]]
    command = "python -m tools.bench.web " + " ".join(shown)

    with tempfile.TemporaryDirectory(prefix="bench-web-") as tmp:
        index_dir = args.index or Path(tmp) / "index"
        if not (index_dir / "catalogue.sqlite").is_file():
            if not args.corpus.is_dir():
                print(f"bench_web: no corpus at {args.corpus}; skipped", file=sys.stderr)
                return 0
            from pipeline.ingest import ingest

            print(f"bench_web: ingesting {args.corpus} ...", file=sys.stderr)
            ingest([args.corpus], index_dir, jobs=args.jobs)
        note = ("an index built earlier (`--index DIR`)" if args.index else
                f"a temporary index of {args.corpus.relative_to(ROOT.parent) if args.corpus.is_relative_to(ROOT.parent) else args.corpus.name}")
        docs = documents(index_dir)
        if not docs:
            print("bench_web: the index holds no document; skipped", file=sys.stderr)
            return 0
        server = Server(index_dir, Path(tmp) / "server.log")
        try:
            info = {"documents": len(docs), "longest": docs[0][0], "longest_chars": docs[0][1],
                    "clients": args.clients, "warm_s": warm(server.base)}
            info["alone"] = alone(server.base, docs[0][0], docs[-1][0], server.process.pid)
            print(f"bench_web: {args.clients} clients for {args.seconds:g} s ...", file=sys.stderr)
            info["load"] = load(server.base, docs, clients=args.clients, seconds=args.seconds,
                                seed=args.seed, pid=server.process.pid)
        finally:
            server.stop()
    lines = section(info, command, note)
    existing = args.out.read_text(encoding="utf-8") if args.out.exists() else ""
    args.out.write_text(put_section(existing, "web", lines), encoding="utf-8")
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())
