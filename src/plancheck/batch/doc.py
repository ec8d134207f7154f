"""One input record, and chunks of them: what every reader yields."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any, NamedTuple, TypeVar

T = TypeVar("T")


class Doc(NamedTuple):
    """One input record. Exactly one of ``text``, ``path`` and ``error`` is meaningful."""

    id: Any
    text: Any = None  # the text as found in the table (checked later)
    path: str | None = None  # a file to read (folder input), read in the worker
    error: str | None = None  # already known to be bad (broken JSON line, no text)
    code: str = "invalid_input"  # the error record's code when ``error`` is set


def chunked(items: Iterable[T], size: int) -> Iterator[list[T]]:
    """Lists of ``size`` items (the last may be shorter)."""
    chunk: list[T] = []
    for item in items:
        chunk.append(item)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk
