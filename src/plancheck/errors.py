"""Errors a user can act on. Each message says what is wrong and what to do."""

from __future__ import annotations


class PlancheckError(Exception):
    """Base class for every error plancheck raises on purpose."""


class InputError(PlancheckError, ValueError):
    """The text cannot be classified as given (empty, too long, not text)."""


class UnreadableDocumentError(PlancheckError, ValueError):
    """A file could not be turned into text (corrupt, unsupported type, no extractable text)."""


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
