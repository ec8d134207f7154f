"""Reading inputs: a folder or a table (JSONL, CSV, Parquet) becomes chunks of :class:`Doc`."""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any, cast

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from ..errors import BatchRunError, BatchUsageError
from .doc import Doc, chunked
from .folder import iter_folder, list_documents
from .outputs import OUTPUT_FORMATS, TABLE_FORMATS

__all__ = ["Doc", "chunked", "iter_folder", "list_documents"]


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


def input_kind(path: Path) -> str:
    """``folder``, ``jsonl``, ``csv`` or ``parquet``; a usage error for anything else."""
    if not path.exists():
        raise BatchUsageError(f"input {path} does not exist")
    if path.is_dir():
        return "folder"
    ext = path.suffix.lower()
    if ext not in TABLE_FORMATS:
        raise BatchUsageError(
            f"input {path} is not a folder or a table ({', '.join(TABLE_FORMATS)}); "
            "to classify one document use `plancheck classify FILE`"
        )
    return ext[1:]


def output_format(path: Path) -> str:
    """``jsonl``, ``csv`` or ``parquet`` from OUTPUT's extension."""
    ext = path.suffix.lower()
    if ext not in OUTPUT_FORMATS:
        raise BatchUsageError(
            f"output {path} must end in one of {', '.join(OUTPUT_FORMATS)} (that picks the format)"
        )
    return ext[1:]


def parse_jsonl_line(raw: bytes, lineno: int, id_col: str, text_col: str) -> Doc:
    """One JSONL line as a :class:`Doc`; a broken line becomes an error record."""
    try:
        record = json.loads(raw)
    except (UnicodeDecodeError, json.JSONDecodeError) as e:
        return Doc(lineno, error=f"line {lineno} is not valid JSON ({e})")
    if not isinstance(record, dict):
        return Doc(lineno, error=f"line {lineno} is not a JSON object")
    doc_id = record.get(id_col)
    doc_id = lineno if is_missing(doc_id) else doc_id
    if text_col not in record:
        return Doc(doc_id, error=f"line {lineno} has no {text_col!r} field (see --text-col)")
    return Doc(doc_id, text=record[text_col])


def iter_jsonl(path: Path, id_col: str, text_col: str, chunk_size: int) -> Iterator[list[Doc]]:
    """Chunks of a JSONL file, read line by line; blank lines are skipped."""
    with path.open("rb") as fh:
        docs = (
            parse_jsonl_line(raw.removeprefix(b"\xef\xbb\xbf"), n, id_col, text_col)
            for n, raw in enumerate(fh, 1)
            if raw.strip()
        )
        yield from chunked(docs, chunk_size)


def check_columns(found: Iterable[str], id_col: str, text_col: str, path: Path) -> bool:
    """Whether the id column exists; a usage error when the text column does not."""
    found = list(found)
    if text_col not in found:
        raise BatchUsageError(
            f"{path} has no column {text_col!r} (columns: {', '.join(map(str, found))}); "
            "name the text column with --text-col"
        )
    return id_col in found


def iter_csv(path: Path, id_col: str, text_col: str, chunk_size: int) -> Iterator[list[Doc]]:
    """Chunks of a CSV file read with pandas ``chunksize``; every cell is read as text."""
    try:
        header = pd.read_csv(path, nrows=0, encoding="utf-8-sig").columns
    except (UnicodeDecodeError, pd.errors.ParserError, pd.errors.EmptyDataError) as e:
        raise BatchRunError(f"cannot read {path} as a UTF-8 CSV file: {e}") from None
    has_id = check_columns(header, id_col, text_col, path)
    cols = [id_col, text_col] if has_id else [text_col]
    reader = pd.read_csv(
        path,
        usecols=cols,
        dtype=str,
        keep_default_na=False,
        na_values=[""],
        encoding="utf-8-sig",
        chunksize=chunk_size,
    )
    row = 0
    try:
        for frame in reader:
            ids = frame[id_col].tolist() if has_id else None
            yield table_docs(ids, frame[text_col].tolist(), row, text_col)
            row += len(frame)
    except (UnicodeDecodeError, pd.errors.ParserError) as e:
        raise BatchRunError(f"cannot read {path} after row {row}: {e}") from None


def open_parquet(path: Path) -> pq.ParquetFile:
    try:
        return pq.ParquetFile(path)
    except (OSError, pa.ArrowException) as e:
        raise BatchRunError(f"cannot read {path} as Parquet: {e}") from None


def iter_parquet(path: Path, id_col: str, text_col: str, chunk_size: int) -> Iterator[list[Doc]]:
    """Chunks of a Parquet file, streamed batch by batch (``ParquetFile.iter_batches``)."""
    pf = open_parquet(path)
    has_id = check_columns(pf.schema_arrow.names, id_col, text_col, path)
    cols = [id_col, text_col] if has_id else [text_col]
    row = 0
    for batch in pf.iter_batches(batch_size=chunk_size, columns=cols):
        ids = batch.column(id_col).to_pylist() if has_id else None
        yield table_docs(ids, batch.column(text_col).to_pylist(), row, text_col)
        row += batch.num_rows


def read_chunks(
    path: Path, kind: str, id_col: str, text_col: str, chunk_size: int
) -> Iterator[list[Doc]]:
    """The input as an iterator of chunks of :class:`Doc`, whatever its kind."""
    if kind == "folder":
        return iter_folder(path, chunk_size)
    reader = {"jsonl": iter_jsonl, "csv": iter_csv, "parquet": iter_parquet}[kind]
    return reader(path, id_col, text_col, chunk_size)


def count_inputs(path: Path, kind: str) -> int | None:
    """How many records the input has, when that is cheap to know (for the progress bar)."""
    if kind == "folder":
        return len(list_documents(path))
    if kind == "parquet":
        return cast(int, open_parquet(path).metadata.num_rows)  # pyarrow is untyped
    return None


def peek(chunks: Iterator[list[Doc]]) -> Iterator[list[Doc]]:
    """Start the reader now (so bad columns fail early), then hand over every chunk."""
    chunks = iter(chunks)
    first = next(chunks, None)
    return iter(()) if first is None else _chain_first(first, chunks)


def _chain_first(first: list[Doc], rest: Iterator[list[Doc]]) -> Iterator[list[Doc]]:
    yield first
    yield from rest
