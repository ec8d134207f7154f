"""One input record, and chunks of them: what every reader yields; table rows as records."""

from __future__ import annotations

import math
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any, NamedTuple, TypeVar

from ..errors import BatchUsageError

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


def is_null(value: object) -> bool:
    """None, NaN, or pandas' NA/NaT."""
    if value is None:
        return True
    if isinstance(value, float):
        return math.isnan(value)
    return type(value).__name__ in ("NAType", "NaTType")


def is_missing(value: object) -> bool:
    """A null or an empty string: a cell with nothing in it."""
    return is_null(value) or (isinstance(value, str) and value == "")


def table_doc(id_value: object, text_value: object, row: int, text_col: str) -> Doc:
    """A table row as a :class:`Doc`; a missing id becomes the 1-based row number."""
    doc_id = row if is_missing(id_value) else id_value
    if is_null(text_value):
        return Doc(doc_id, error=f"row {row} has no text (column {text_col!r} is empty)")
    return Doc(doc_id, text=text_value)


def table_docs(
    ids: list[Any] | None, texts: list[Any], first_row: int, text_col: str
) -> list[Doc]:
    """Rows ``first_row + 1 …`` of a table as documents (``ids`` None: no id column)."""
    ids = ids if ids is not None else [None] * len(texts)
    return [
        table_doc(i, t, first_row + k + 1, text_col)
        for k, (i, t) in enumerate(zip(ids, texts, strict=True))
    ]


def check_columns(
    found: Iterable[str], id_col: str, text_col: str, path: Path, read_as: str | None = None
) -> bool:
    """Whether the id column exists; a usage error when the text column does not.

    ``read_as``: the CSV delimiter's name, said in the error (a wrong one is the usual cause).
    """
    found = list(found)
    if text_col not in found:
        how = (
            f"; read as {read_as}-delimited, give --delimiter if that is wrong" if read_as else ""
        )
        raise BatchUsageError(
            f"{path} has no column {text_col!r} (columns: {', '.join(map(str, found))}); "
            f"name the text column with --text-col{how}"
        )
    return id_col in found
