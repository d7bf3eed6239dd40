"""Measure parallel ingest: 1 vs N local workers, the Dask path, and the sandbox's per-task cost.

    .venv/bin/python -m tools.bench.parallel --files 100 --jobs 1 2 --dask 2
    .venv/bin/python -m tools.bench.parallel --ipc 5000

Files are taken from ../shared/corpora/bulk (or ``--paths``) in sorted order and named on the command line (never
copied). Each run ingests into a fresh temporary index; the catalogues of all runs are compared
(ids, hashes, statuses, records) and the wall time of each run is printed with the load average.
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from pathlib import Path

from tools.paths import SHARED_CORPORA

BULK = SHARED_CORPORA / "bulk"


def bench_ipc(count: int) -> None:
    from pipeline.ingest.sandbox import Sandbox

    # ``len`` is the cheapest task (and a builtin, so it unpickles in the worker): what is left
    # is what one round trip through a sandbox worker costs.
    with Sandbox(len, jobs=2, timeout=60) as box:
        list(box.run(["warm-up"] * 4))
        started = time.perf_counter()
        list(box.run(["/some/path/001-12345.json"] * count))
        seconds = time.perf_counter() - started
    print(f"sandbox round trip: {count} tasks in {seconds:.2f} s = "
          f"{seconds / count * 1e6:.0f} µs per task (2 workers)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=100)
    parser.add_argument("--paths", type=Path, nargs="*", default=[BULK],
                        help="folders to take the files from (default: the bulk corpus)")
    parser.add_argument("--jobs", type=int, nargs="*", default=[1, 2])
    parser.add_argument("--dask", type=int, default=0, help="LocalCluster workers (0: none)")
    parser.add_argument("--ipc", type=int, default=0, help="only measure N sandbox round trips")
    args = parser.parse_args()
    if args.ipc:
        bench_ipc(args.ipc)
        return

    # The Dask tests' definition of "the same catalogue", so the runs compare as they do.
    from pipeline.ingest import ingest, walk
    from tests.test_ingest_dask import snapshot

    files = sorted(walk(args.paths))[:args.files]
    size = sum(p.stat().st_size for p in files)
    print(f"{len(files)} files, {size / 1e6:.1f} MB, {os.cpu_count()} cores")
    snapshots = {}
    with tempfile.TemporaryDirectory() as tmp:
        for jobs in args.jobs:
            started = time.perf_counter()
            report = ingest(files, Path(tmp) / f"local-{jobs}", jobs=jobs)
            seconds = time.perf_counter() - started
            snapshots[f"local -j {jobs}"] = snapshot(Path(tmp) / f"local-{jobs}")
            print(f"local --jobs {jobs}: {seconds:.1f} s ({report.count('ok')} ok, "
                  f"{report.failed} failed), load average {os.getloadavg()[0]:.1f}")
        if args.dask:
            from distributed import LocalCluster

            with LocalCluster(n_workers=args.dask, threads_per_worker=1, processes=True,
                              host="127.0.0.1", dashboard_address=None,
                              silence_logs=40) as cluster:
                started = time.perf_counter()
                report = ingest(files, Path(tmp) / "dask", executor="dask",
                                scheduler=cluster.scheduler_address)
                seconds = time.perf_counter() - started
            snapshots["dask"] = snapshot(Path(tmp) / "dask")
            print(f"dask, {args.dask} workers x 1 thread: {seconds:.1f} s "
                  f"({report.count('ok')} ok, {report.failed} failed), "
                  f"load average {os.getloadavg()[0]:.1f}")
    first, *rest = snapshots
    for name in rest:
        print(f"catalogue of {name} == {first}: {snapshots[name] == snapshots[first]}")


if __name__ == "__main__":
    main()
