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


class AccessError(SurveyDataError):
    """A refused action, a person no rule admits, or a malformed access file."""
