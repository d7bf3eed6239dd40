"""One small exception hierarchy; ``cli.py`` is the only place that turns these into Click errors.

Every message is a single line that names the file (when there is one) and the reason, because
a researcher reading the end of a 5,000-file batch must be able to act on each line alone.
Messages never quote document text: the documents are about victims of torture.
"""


class PipelineError(Exception):
    """Something went wrong in the precedents pipeline.

    ``PipelineError("cannot read the date %(text)r", text=raw)``: a message given with named
    parameters is an English template; ``str()`` is it filled in (what the CLI prints), and
    ``template``/``params`` let the web page show it in its interface language.
    """

    def __init__(self, *args: object, **params: object):
        if params and len(args) == 1 and isinstance(args[0], str):
            super().__init__(args[0] % params)
        else:
            super().__init__(*args)
        self.template = args[0] if len(args) == 1 and isinstance(args[0], str) else None
        self.params = params


class ExtractionError(PipelineError):
    """A file could not be turned into text."""


class UnsupportedFormat(ExtractionError):
    """The file is in a format the pipeline does not read."""


class NeedsOCR(ExtractionError):
    """The file has pages with no text layer and Tesseract is not installed."""


class ResourceLimit(ExtractionError):
    """Parsing the file went over its time limit or memory cap."""


class CatalogueError(PipelineError):
    """The catalogue could not be read or written."""


class IndexError_(PipelineError):
    """The search index could not be opened, written or queried."""


class ReadOnlyIndex(PipelineError):
    """The index directory cannot be written (read-only media, no permission): read it only."""


class QueryError(PipelineError):
    """The search query could not be understood."""


class Busy(PipelineError):
    """The server or index is busy (costly searches, another writer); the same request may
    succeed later."""


class DocumentNotFound(PipelineError):
    """No document with this id or path is in the catalogue."""


class BundleError(PipelineError):
    """A precedent bundle could not be written, or was refused on import.

    The message names the bundle and one reason; a refused bundle has changed nothing locally.
    """


class UntrustedBundle(BundleError):
    """The bundle's signature is missing or does not verify against the trusted key."""


class SigningKeyError(PipelineError):
    """A signing or trusted key file could not be created or read."""


class DiskFull(PipelineError):
    """A write failed: the disk is full, or a file-size limit or quota was reached."""


class NerModelMissing(PipelineError):
    """A named-entity model is not installed (run `make install`)."""


class AnonymisationError(PipelineError):
    """A document cannot be anonymised safely (it is left out of the export)."""


class DaskUnavailable(PipelineError):
    """Dask is not installed: pip install 'precedents[dask]'."""


class ClusterError(PipelineError):
    """The Dask cluster could not be reached or used."""


class CaseFileError(PipelineError):
    """A case file could not be changed as asked (a bad name, a paragraph the record lacks)."""


class CaseFileNotFound(CaseFileError):
    """No case file of this name is in the catalogue."""


class RatesUnavailable(PipelineError):
    """No offline exchange rates are installed: amounts are shown in their original currencies."""
