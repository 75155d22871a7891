"""The one family of errors that Confiance's library raises for bad input.

Pages and the command line catch :class:`SurveyDataError` and show its message;
anything else is a bug. Our exception hierarchy::

    ValueError
    └── SurveyDataError
        ├── CodebookError
        ├── StoreError
        │   ├── DuplicateFileError
        │   ├── SchemaVersionError
        │   ├── StoreBusyError
        │   └── PseudonymKeyError
        ├── IngestError
        │   ├── LimitError
        │   └── SandboxError
        ├── NameRuleError
        ├── ExportError
        │   └── BrowserUnavailableError
        ├── WeightingError
        └── AccessError
"""


class SurveyDataError(ValueError):
    """Input the user can fix: a bad file, option, codebook or request."""


class CodebookError(SurveyDataError):
    """The codebook is malformed; the message names the entry and the field."""


class StoreError(SurveyDataError):
    """The wave store refused an operation or cannot be opened as it is."""


class DuplicateFileError(StoreError):
    """The same file (by SHA-256) is already stored as another wave."""


class SchemaVersionError(StoreError):
    """The store file was written by a schema this version cannot migrate."""


class StoreBusyError(StoreError):
    """Another process is writing the store and did not finish in time to wait."""


class PseudonymKeyError(StoreError):
    """The pseudonym key is missing, malformed, or not the one the store knows."""


class IngestError(SurveyDataError):
    """A file could not be read or validated; nothing was stored."""


class ExportError(SurveyDataError):
    """A chart could not be rendered or packed as a slide (e.g. no browser for PNG)."""


class WeightingError(SurveyDataError):
    """Weights could not be fitted to the targets; the message names the margin."""


class BrowserUnavailableError(ExportError):
    """No working Chromium/Chrome for PNG rendering; the message says how to install."""


class LimitError(IngestError):
    """A file is over a size cap (bytes, columns, cell length) set in the config."""


class SandboxError(IngestError):
    """The sandboxed reader crashed, hung or ran out of memory on a file.

    ``reason`` is ``crash`` (the process died, e.g. a segfault in a C reader),
    ``timeout``, ``memory`` or ``unexpected`` (a Python error the reader did
    not turn into an :class:`IngestError`: a bug, logged with its trace).
    """

    def __init__(self, message: str, reason: str) -> None:
        super().__init__(message)
        self.reason = reason

    def __reduce__(self) -> tuple[type, tuple[str, str]]:
        return (type(self), (str(self), self.reason))


class NameRuleError(SurveyDataError):
    """A new wave or profile name breaks the naming rule (:mod:`analysis.names`)."""


class AccessError(SurveyDataError):
    """A refused action, a person no rule admits, or a malformed access file."""
