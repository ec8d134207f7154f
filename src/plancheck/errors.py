"""Errors a user can act on. Each message says what is wrong and what to do."""

from __future__ import annotations

from typing import Any


class PlancheckError(Exception):
    """Base class for every error plancheck raises on purpose."""


class InputError(PlancheckError, ValueError):
    """The text cannot be classified as given; ``code`` says why, in one word.

    Codes: ``not_text`` (not a string), ``empty_text`` (no letters or digits),
    ``text_too_long``, ``invalid_text`` (not valid Unicode), ``unreadable_document``,
    ``no_text``, ``document_too_large`` and ``unsupported_file_type`` (a file that gave no
    text). The API maps each code to one HTTP status (``api/errors.py``); batch and CLI
    write it in error records. Batch folder inputs add ``symlink_not_followed`` (a symlink,
    never followed; see :mod:`plancheck.batch.folder`).
    """

    def __init__(self, message: str, code: str = "invalid_text") -> None:
        super().__init__(message)
        self.code = code


class UnreadableDocumentError(PlancheckError, ValueError):
    """A file could not be turned into text (corrupt, unsupported type, no extractable text)."""

    code = "unreadable_document"


class UnsupportedDocumentTypeError(UnreadableDocumentError):
    """The file's extension is not one plancheck reads."""

    code = "unsupported_file_type"


class DocumentTooLargeError(UnreadableDocumentError):
    """A file inflates, parses or reads past a hard limit (zip bombs, oversized files)."""

    code = "document_too_large"


class NoTextError(UnreadableDocumentError):
    """The file holds no extractable text (e.g. a scanned PDF)."""

    code = "no_text"


def error_item(doc_id: object, exc: Exception) -> dict[str, Any]:
    """The one error-record shape of the library, batch and API: ``{"id", "error": {…}}``."""
    code = getattr(exc, "code", None) or "classification_failed"
    message = str(exc) if isinstance(exc, PlancheckError) else f"{type(exc).__name__}: {exc}"
    return {"id": doc_id, "error": {"code": code, "message": message}}


class ModelNotFoundError(PlancheckError, FileNotFoundError):
    """No trained model where one was expected; the fix is ``plancheck train``."""


class ModelIntegrityError(PlancheckError):
    """A model artifact failed its hash or version check, or lies outside the models folder."""


class CorpusError(PlancheckError, ValueError):
    """The corpus (or a batch of new documents) is invalid; ``problems`` lists each one."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        shown = "\n".join(problems[:50])
        more = f"\n… and {len(problems) - 50} more" if len(problems) > 50 else ""
        super().__init__(f"{len(problems)} problem(s) in the corpus:\n{shown}{more}")


class BatchError(PlancheckError):
    """The batch could not run; ``exit_code`` is what the command exits with."""

    exit_code = 1


class BatchUsageError(BatchError):
    """Bad arguments: unsupported input/output type, missing column, conflicting options."""

    exit_code = 2


class BatchRunError(BatchError):
    """The run could not go on: unreadable input, no model, a partial output that does not match."""

    exit_code = 1


class AlreadyComplete(BatchError):
    """``--resume`` found a finished OUTPUT and no partial output: nothing to do."""

    exit_code = 0
