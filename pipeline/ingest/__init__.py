"""Ingest: files -> parser workers (local or Dask, behind one executor interface) -> catalogue
-> search index.

``files`` walks and names the input, ``worker`` is what runs in a parser process for one file
or one span of JSON records, ``sandbox`` runs it there under limits, ``executors`` sends files
to local workers or a Dask cluster, and ``run`` is the coordinator that plans a run and writes
every outcome to the catalogue and the index, in its own process only.
"""

from pipeline.ingest.files import printable, source_key, walk
from pipeline.ingest.run import FileOutcome, IngestReport, ingest, ingest_lock, reindex

__all__ = ["FileOutcome", "IngestReport", "ingest", "ingest_lock", "printable", "reindex",
           "source_key", "walk"]
