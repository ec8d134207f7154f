"""Reading inputs: a folder or a table (JSONL, CSV, Parquet) becomes chunks of :class:`Doc`."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import cast

import pyarrow as pa
import pyarrow.parquet as pq

from ..errors import BatchRunError, BatchUsageError
from .csv_input import iter_csv
from .doc import Doc, check_columns, chunked, is_missing, is_null, table_doc, table_docs
from .folder import iter_folder, list_documents
from .outputs import OUTPUT_FORMATS, TABLE_FORMATS

__all__ = [
    "Doc",
    "check_columns",
    "chunked",
    "is_missing",
    "is_null",
    "iter_csv",
    "iter_folder",
    "list_documents",
    "table_doc",
    "table_docs",
]


def input_kind(path: Path) -> str:
    """``folder``, ``jsonl``, ``csv`` or ``parquet``; a usage error for anything else."""
    if not path.exists():
        raise BatchUsageError(f"input {path} does not exist")
    if path.is_dir():
        return "parquet" if is_parquet_dataset(path) else "folder"
    ext = path.suffix.lower()
    if ext not in TABLE_FORMATS:
        raise BatchUsageError(
            f"input {path} is not a folder or a table ({', '.join(TABLE_FORMATS)}); "
            "to classify one document use `plancheck classify FILE`"
        )
    return ext[1:]


def parquet_files(path: Path) -> list[Path]:
    """A Parquet file, or the ``*.parquet`` files of a dataset folder in path order."""
    if not path.is_dir():
        return [path]
    found = {p.relative_to(path).as_posix(): p for p in path.rglob("*.parquet")}
    return [found[rel] for rel in sorted(found) if not any(x[0] == "." for x in rel.split("/"))]


def is_parquet_dataset(folder: Path) -> bool:
    """A folder of Parquet files and no document (what Spark, Dask and pandas write)."""
    return bool(parquet_files(folder)) and not list_documents(folder)


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


def open_parquet(path: Path) -> pq.ParquetFile:
    try:
        return pq.ParquetFile(path)
    except (OSError, pa.ArrowException) as e:
        raise BatchRunError(f"cannot read {path} as Parquet: {e}") from None


def iter_parquet(path: Path, id_col: str, text_col: str, chunk_size: int) -> Iterator[list[Doc]]:
    """Chunks of a Parquet file or dataset folder, streamed batch by batch, file by file."""
    row = 0
    for file in parquet_files(path):
        pf = open_parquet(file)
        has_id = check_columns(pf.schema_arrow.names, id_col, text_col, file)
        cols = [id_col, text_col] if has_id else [text_col]
        for batch in pf.iter_batches(batch_size=chunk_size, columns=cols):
            ids = batch.column(id_col).to_pylist() if has_id else None
            yield table_docs(ids, batch.column(text_col).to_pylist(), row, text_col)
            row += batch.num_rows


def read_chunks(
    path: Path,
    kind: str,
    id_col: str,
    text_col: str,
    chunk_size: int,
    delimiter: str | None = None,
) -> Iterator[list[Doc]]:
    """The input as an iterator of chunks of :class:`Doc`, whatever its kind."""
    if kind == "folder":
        return iter_folder(path, chunk_size)
    if kind == "csv":
        return iter_csv(path, id_col, text_col, chunk_size, delimiter)
    reader = {"jsonl": iter_jsonl, "csv": iter_csv, "parquet": iter_parquet}[kind]
    return reader(path, id_col, text_col, chunk_size)


def count_inputs(path: Path, kind: str) -> int | None:
    """How many records the input has, when that is cheap to know (for the progress bar)."""
    if kind == "folder":
        return len(list_documents(path))
    if kind == "parquet":
        files = parquet_files(path)
        return sum(cast(int, open_parquet(f).metadata.num_rows) for f in files)  # untyped
    return None


def peek(chunks: Iterator[list[Doc]]) -> Iterator[list[Doc]]:
    """Start the reader now (so bad columns fail early), then hand over every chunk."""
    chunks = iter(chunks)
    first = next(chunks, None)
    return iter(()) if first is None else _chain_first(first, chunks)


def _chain_first(first: list[Doc], rest: Iterator[list[Doc]]) -> Iterator[list[Doc]]:
    yield first
    yield from rest
