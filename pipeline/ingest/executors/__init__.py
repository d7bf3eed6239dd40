"""Where files are parsed: one ``Executor`` interface, a local and a Dask implementation.

``choose`` turns the CLI's ``--executor`` and ``--scheduler`` into an executor. Dask is
imported only when the Dask executor runs (``pip install 'precedents[dask]'``).
"""

from __future__ import annotations

from pipeline.errors import PipelineError
from pipeline.ingest.executors.base import Executor, PlannedFile, Result
from pipeline.ingest.executors.local import LocalExecutor

__all__ = ["Executor", "LocalExecutor", "PlannedFile", "Result", "choose"]


def choose(executor: str | Executor, scheduler: str | None, *, jobs: int) -> Executor:
    """The executor named ``local`` or ``dask`` (at ``scheduler``), or ``executor`` itself when
    it is one already (a ``DaskExecutor`` tuned by its caller, say).

    >>> choose("local", None, jobs=2).jobs
    2
    """
    if executor == "local":
        if scheduler:
            raise PipelineError("--scheduler is only used with --executor dask")
        return LocalExecutor(jobs)
    if executor == "dask":
        if not scheduler:
            raise PipelineError("--executor dask needs --scheduler tcp://HOST:PORT")
        from pipeline.ingest.executors.dask import DaskExecutor

        return DaskExecutor(scheduler)
    if isinstance(executor, str):
        raise PipelineError(f"unknown executor {executor!r} (local or dask)")
    return executor
