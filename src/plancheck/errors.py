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
