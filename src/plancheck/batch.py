"""Batch classification: folders and tables in, results out, streamed, resumable, parallel.

The pipeline has four stages, each a few small functions:

1. **Read** (main process): a folder of documents or a table (JSONL, CSV, Parquet) becomes an
   iterator of chunks of :class:`Doc` — never the whole input at once.
2. **Classify** (worker processes, or Dask workers): each worker loads the model once, reads
   the files of its chunk with :func:`plancheck.reading.read_document` (shared with the API),
   checks every text, classifies the good ones with one vectorised ``classify_many`` call and
   turns the bad ones into error records ``{"id", "error"}``. It returns the chunk already
   encoded for the output format plus a small tally for the summary.
3. **Write** (main process, in input order): chunks are appended to ``OUTPUT.partial`` (a
   folder of parts for Parquet) and flushed; on completion the partial output is renamed to
   OUTPUT. An interrupted run resumes from the partial output: complete lines/rows are kept,
   the input records they cover are skipped (their ids are checked), the rest is classified.
4. **Summarise**: labels, languages, most often missing elements, errors, seconds, docs/s.

Running on an existing Dask cluster (``--engine dask``)::

    # on the cluster: dask scheduler; dask worker tcp://SCHEDULER:8786 (plancheck installed)
    plancheck classify-batch plans.parquet -o results.parquet \\
        --engine dask --scheduler tcp://SCHEDULER:8786

The model is shipped to every worker once (a worker plugin carrying the verified model file;
workers re-check its sha256 and load it once). Input and output paths must be readable and
writable by the workers (a shared file system); output is a folder of ``part-NNNNN.parquet``.
"""

from __future__ import annotations

import csv
import functools
import io
import json
import math
import os
import shutil
import signal
import sys
import tempfile
import threading
import time
from collections import Counter, deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple

import pyarrow as pa
import pyarrow.parquet as pq

from .config import ELEMENTS, LABELS
from .errors import InputError, PlancheckError, UnreadableDocumentError

TABLE_FORMATS: tuple[str, ...] = (".jsonl", ".csv", ".parquet")
OUTPUT_FORMATS: tuple[str, ...] = (".jsonl", ".csv", ".parquet")
DEFAULT_CHUNK_SIZE = 256
#: A file in a folder input larger than this is an error record, not read into memory.
MAX_FILE_BYTES = 64 * 1024 * 1024
PARTIAL_SUFFIX = ".partial"

#: Flat columns of CSV and Parquet output, in order (Parquet adds ``result_json``).
FLAT_COLUMNS: tuple[str, ...] = (
    "id",
    "label",
    "confidence",
    *(f"p_{label}" for label in LABELS),
    "language",
    *ELEMENTS,
    "missing",
    "model_version",
    "error",
)
PARQUET_SCHEMA = pa.schema(
    [("id", pa.string()), ("label", pa.string()), ("confidence", pa.float64())]
    + [(f"p_{label}", pa.float64()) for label in LABELS]
    + [("language", pa.string())]
    + [(element, pa.int8()) for element in ELEMENTS]
    + [
        ("missing", pa.string()),
        ("model_version", pa.string()),
        ("error", pa.string()),
        ("result_json", pa.string()),
    ]
)


# --- errors --------------------------------------------------------------------------


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


# --- documents -----------------------------------------------------------------------


class Doc(NamedTuple):
    """One input record. Exactly one of ``text``, ``path`` and ``error`` is meaningful."""

    id: Any
    text: Any = None  # the text as found in the table (checked later)
    path: str | None = None  # a file to read (folder input), read in the worker
    error: str | None = None  # already known to be bad (broken JSON line, no text)


def chunked(items: Iterable, size: int) -> Iterator[list]:
    """Lists of ``size`` items (the last may be shorter)."""
    chunk: list = []
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


def table_docs(ids: list | None, texts: list, first_row: int, text_col: str) -> list[Doc]:
    """Rows ``first_row + 1 …`` of a table as documents (``ids`` None: no id column)."""
    ids = ids if ids is not None else [None] * len(texts)
    return [
        table_doc(i, t, first_row + k + 1, text_col)
        for k, (i, t) in enumerate(zip(ids, texts, strict=True))
    ]


# --- readers -------------------------------------------------------------------------


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


def list_documents(root: Path) -> list[str]:
    """Relative paths (forward slashes, sorted) of the supported files under ``root``.

    Hidden files and folders (``.git``, ``.DS_Store``) are left out.
    """
    from .reading import SUPPORTED_EXTENSIONS

    found = []
    for folder, dirs, files in os.walk(root):
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        for name in files:
            if not name.startswith(".") and Path(name).suffix.lower() in SUPPORTED_EXTENSIONS:
                found.append(Path(folder, name).relative_to(root).as_posix())
    return sorted(found)


def iter_folder(root: Path, chunk_size: int) -> Iterator[list[Doc]]:
    """Chunks of the folder's documents; each is read later, by the worker."""
    docs = (Doc(rel, path=str(root / rel)) for rel in list_documents(root))
    return chunked(docs, chunk_size)


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
    import pandas as pd

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
        return open_parquet(path).metadata.num_rows
    return None


# --- classification (runs in the workers) --------------------------------------------

_STATE: dict[str, Any] = {}


def init_worker(model_folder: str, models_dir: str, in_pool: bool = True) -> None:
    """Process-pool initializer: load the model once for this worker's whole life.

    A pool worker ignores Ctrl-C (the main process handles it and stops the pool) and exits
    by itself if the main process is killed.
    """
    from . import load_model

    if in_pool:
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        start_parent_watchdog()
    try:
        _STATE["classifier"] = load_model(model_folder, models_dir)
    except Exception as e:  # reported by the first chunk, with the reason
        _STATE["load_error"] = f"the model could not be loaded in a worker: {e}"


def start_parent_watchdog(interval: float = 1.0) -> None:
    """Exit this worker if its parent dies (a killed run leaves no orphans behind)."""
    parent = os.getppid()

    def watch() -> None:
        while True:
            time.sleep(interval)
            if os.getppid() != parent:
                os._exit(1)

    threading.Thread(target=watch, name="plancheck-parent-watchdog", daemon=True).start()


def worker_classifier():
    """The classifier :func:`init_worker` loaded in this process."""
    if "classifier" not in _STATE:
        raise BatchRunError(_STATE.get("load_error", "no model loaded in this worker"))
    return _STATE["classifier"]


def error_record(doc_id: Any, message: str) -> dict:
    """The output record of a document that could not be classified."""
    return {"id": doc_id, "error": message}


def doc_text(doc: Doc) -> str:
    """The checked text of a document; raises with a readable reason when it has none."""
    from .classifier import check_text
    from .reading import read_document

    if doc.error is not None:
        raise InputError(doc.error)
    text = doc.text
    if doc.path is not None:
        text = read_document(read_file(Path(doc.path)), doc.path)
    return check_text(text)


def read_file(path: Path) -> bytes:
    """A document's bytes; refuses files too large to be a plan."""
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise UnreadableDocumentError(
                f"the file has {size / 2**20:.0f} MB; the maximum is {MAX_FILE_BYTES // 2**20} MB"
            )
        return path.read_bytes()
    except OSError as e:
        raise UnreadableDocumentError(f"cannot read the file: {e.strerror or e}") from None


def classify_safely(clf, texts: list[str], ids: list) -> list[dict]:
    """``classify_many`` on the chunk; if it fails, one by one so one bad text costs one record."""
    try:
        return clf.classify_many(texts, ids=ids)
    except Exception:
        out = []
        for text, doc_id in zip(texts, ids, strict=True):
            try:
                out.append(clf.classify(text, id=doc_id))
            except Exception as e:
                out.append(error_record(doc_id, f"classification failed: {type(e).__name__}: {e}"))
        return out


def classify_docs(clf, docs: list[Doc]) -> list[dict]:
    """Results for a chunk, in its order: good texts in one vectorised call, errors in place."""
    results: list[dict | None] = [None] * len(docs)
    good: list[int] = []
    texts: list[str] = []
    for i, doc in enumerate(docs):
        try:
            texts.append(doc_text(doc))
            good.append(i)
        except PlancheckError as e:
            results[i] = error_record(doc.id, str(e))
    classified = classify_safely(clf, texts, [docs[i].id for i in good]) if texts else []
    for i, result in zip(good, classified, strict=True):
        results[i] = result
    return results  # type: ignore[return-value]


# --- output encoding -----------------------------------------------------------------


def flat_row(result: dict) -> dict:
    """A result as one flat row (CSV and Parquet columns); error records fill ``error`` only."""
    row: dict[str, Any] = dict.fromkeys(FLAT_COLUMNS)
    row["id"] = None if result.get("id") is None else str(result["id"])
    if "error" in result:
        row["error"] = result["error"]
        return row
    row.update(label=result["label"], confidence=result["confidence"], language=result["language"])
    for label in LABELS:
        row[f"p_{label}"] = result["probabilities"][label]
    for element in result["elements"]:
        row[element["id"]] = int(bool(element["present"]))
    row["missing"] = ";".join(result["missing"])
    row["model_version"] = result["model_version"]
    return row


def to_json(result: dict) -> str:
    return json.dumps(result, ensure_ascii=False)


def encode_jsonl(results: list[dict]) -> str:
    """JSONL text: the full result shape, one line per document (ids included)."""
    return "".join(to_json(r) + "\n" for r in results)


def csv_cell(value: object) -> object:
    return "" if value is None else value


def encode_csv(results: list[dict], header: bool = False) -> str:
    """CSV text of the flat rows (with the header line when ``header``)."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    if header:
        writer.writerow(FLAT_COLUMNS)
    for r in results:
        row = flat_row(r)
        writer.writerow([csv_cell(row[c]) for c in FLAT_COLUMNS])
    return buf.getvalue()


def encode_parquet(results: list[dict]) -> pa.Table:
    """An Arrow table of the flat rows plus ``result_json`` (the JSONL line of each record)."""
    rows = []
    for r in results:
        row = flat_row(r)
        row["result_json"] = to_json(r)
        rows.append(row)
    return pa.Table.from_pylist(rows, schema=PARQUET_SCHEMA)


ENCODERS: dict[str, Callable[[list[dict]], Any]] = {
    "jsonl": encode_jsonl,
    "csv": encode_csv,
    "parquet": encode_parquet,
}


# --- the summary tally ---------------------------------------------------------------


@dataclass
class Tally:
    """Counts for the summary; small, mergeable, built in workers and in the main process."""

    documents: int = 0
    errors: int = 0
    labels: Counter = field(default_factory=Counter)
    languages: Counter = field(default_factory=Counter)
    missing: Counter = field(default_factory=Counter)
    error_examples: list = field(default_factory=list)

    MAX_EXAMPLES = 5

    def add(
        self,
        doc_id: Any,
        label: str | None,
        language: str | None,
        missing: Iterable[str],
        error: str | None,
    ) -> None:
        self.documents += 1
        if error is not None:
            self.errors += 1
            if len(self.error_examples) < self.MAX_EXAMPLES:
                self.error_examples.append({"id": doc_id, "error": error})
            return
        self.labels[label] += 1
        self.languages[language] += 1
        self.missing.update(missing)

    def add_result(self, r: dict) -> None:
        self.add(
            r.get("id"), r.get("label"), r.get("language"), r.get("missing", ()), r.get("error")
        )

    def add_flat(self, row: dict) -> None:
        missing = row.get("missing") or ""
        self.add(
            row.get("id"),
            row.get("label"),
            row.get("language"),
            [m for m in missing.split(";") if m],
            row.get("error") or None,
        )

    def merge(self, other: Tally) -> None:
        self.documents += other.documents
        self.errors += other.errors
        self.labels.update(other.labels)
        self.languages.update(other.languages)
        self.missing.update(other.missing)
        room = self.MAX_EXAMPLES - len(self.error_examples)
        self.error_examples.extend(other.error_examples[: max(room, 0)])

    def as_dict(self) -> dict:
        return {
            "documents": self.documents,
            "classified": self.documents - self.errors,
            "errors": self.errors,
            "labels": {k: self.labels[k] for k in LABELS if self.labels[k]},
            "languages": dict(self.languages.most_common()),
            "missing": dict(self.missing.most_common()),
            "error_examples": self.error_examples,
        }

    @classmethod
    def from_dict(cls, d: dict) -> Tally:
        t = cls(
            documents=d["documents"], errors=d["errors"], error_examples=list(d["error_examples"])
        )
        t.labels.update(d["labels"])
        t.languages.update(d["languages"])
        t.missing.update(d["missing"])
        return t


class ChunkOut(NamedTuple):
    """What a worker sends back for one chunk: the encoded output and its tally."""

    payload: Any
    tally: Tally
    n: int


def process_chunk(docs: list[Doc], fmt: str) -> ChunkOut:
    """Worker entry point: classify a chunk and encode it for the output format."""
    results = classify_docs(worker_classifier(), docs)
    tally = Tally()
    for r in results:
        tally.add_result(r)
    return ChunkOut(ENCODERS[fmt](results), tally, len(docs))


# --- sinks: partial output, resume, commit -------------------------------------------


def partial_path(output: Path) -> Path:
    return output.with_name(output.name + PARTIAL_SUFFIX)


class KeptRecord(NamedTuple):
    """A record already in the partial output: its id and what the summary needs."""

    id: Any
    label: str | None
    language: str | None
    missing: list[str]
    error: str | None


class Sink:
    """Writes chunks to ``OUTPUT.partial`` in order, renames it to OUTPUT when done."""

    def __init__(self, output: Path):
        self.output = output
        self.partial = partial_path(output)

    def exists(self) -> bool:
        return self.partial.exists()

    def start(self, resume: bool) -> int:
        """Open the partial output; with ``resume`` keep complete records and return their count."""
        raise NotImplementedError

    def kept(self) -> Iterator[KeptRecord]:
        """The records kept by :meth:`start`, in order."""
        raise NotImplementedError

    def write(self, payload: Any) -> None:
        raise NotImplementedError

    def close(self) -> None:
        """Flush and close; the partial output stays (for ``--resume``)."""

    def commit(self) -> None:
        """Close and atomically move the finished output into place."""
        raise NotImplementedError


def last_newline_end(path: Path) -> int:
    """Byte offset just past the last ``\\n`` of a file (0 when it has none)."""
    size = path.stat().st_size
    with path.open("rb") as fh:
        pos = size
        while pos > 0:
            step = min(1 << 16, pos)
            pos -= step
            fh.seek(pos)
            block = fh.read(step)
            k = block.rfind(b"\n")
            if k >= 0:
                return pos + k + 1
    return 0


def truncate(path: Path, size: int) -> None:
    with path.open("r+b") as fh:
        fh.truncate(size)


class TextSink(Sink):
    """JSONL and CSV: one text file appended to chunk by chunk, flushed after each chunk."""

    def __init__(self, output: Path):
        super().__init__(output)
        self.fh: io.TextIOBase | None = None

    def start(self, resume: bool) -> int:
        kept = self.repair() if resume and self.partial.is_file() else 0
        mode = "a" if kept or (resume and self.has_header()) else "w"
        self.fh = self.partial.open(mode, encoding="utf-8", newline="")
        if mode == "w":
            self.write_header()
        return kept

    def repair(self) -> int:
        """Cut the partial output after its last complete record; return the record count."""
        raise NotImplementedError

    def has_header(self) -> bool:
        return False

    def write_header(self) -> None:
        pass

    def write(self, payload: str) -> None:
        assert self.fh is not None
        self.fh.write(payload)
        self.fh.flush()

    def close(self) -> None:
        if self.fh is not None and not self.fh.closed:
            self.fh.close()

    def commit(self) -> None:
        assert self.fh is not None
        self.fh.flush()
        os.fsync(self.fh.fileno())
        self.fh.close()
        os.replace(self.partial, self.output)


class JsonlSink(TextSink):
    def repair(self) -> int:
        end = last_newline_end(self.partial)
        n = 0
        good = 0
        with self.partial.open("rb") as fh:
            while fh.tell() < end:
                line = fh.readline()
                try:
                    json.loads(line)
                except ValueError:
                    break  # a damaged line: keep what precedes it
                n += 1
                good = fh.tell()
        truncate(self.partial, good)
        return n

    def kept(self) -> Iterator[KeptRecord]:
        with self.partial.open("rb") as fh:
            for line in fh:
                r = json.loads(line)
                yield KeptRecord(
                    r.get("id"),
                    r.get("label"),
                    r.get("language"),
                    r.get("missing", []),
                    r.get("error"),
                )


def csv_rows_with_offsets(path: Path) -> Iterator[tuple[list[str], int]]:
    """Complete CSV rows of a file with the byte offset where each ends.

    A row is complete when its last line ends with a newline; a row cut inside a quoted
    field ends the iteration.
    """
    with path.open("rb") as fh:
        end = 0
        last_line_complete = True

        def lines() -> Iterator[str]:
            nonlocal end, last_line_complete
            for raw in fh:
                end += len(raw)
                last_line_complete = raw.endswith(b"\n")
                yield raw.decode("utf-8", errors="replace")

        reader = csv.reader(lines(), strict=True)
        while True:
            try:
                row = next(reader)
            except (StopIteration, csv.Error):
                return
            if not last_line_complete:
                return
            yield row, end


class CsvSink(TextSink):
    def has_header(self) -> bool:
        return self.partial.is_file() and self.partial.stat().st_size > 0

    def write_header(self) -> None:
        self.write(encode_csv([], header=True))

    def repair(self) -> int:
        n = -1  # the header is not a record
        good = 0
        for row, end in csv_rows_with_offsets(self.partial):
            if len(row) != len(FLAT_COLUMNS) or (n == -1 and tuple(row) != FLAT_COLUMNS):
                break
            n += 1
            good = end
        truncate(self.partial, good)
        return max(n, 0)

    def kept(self) -> Iterator[KeptRecord]:
        rows = csv_rows_with_offsets(self.partial)
        next(rows, None)  # header
        index = {c: k for k, c in enumerate(FLAT_COLUMNS)}
        for row, _ in rows:
            cell = lambda c, row=row: row[index[c]] or None  # noqa: E731
            missing = [m for m in row[index["missing"]].split(";") if m]
            yield KeptRecord(cell("id"), cell("label"), cell("language"), missing, cell("error"))


class ParquetSink(Sink):
    """Parquet: a folder of complete parts (each renamed into place), merged on completion."""

    def start(self, resume: bool) -> int:
        if self.partial.is_file() or (self.partial.exists() and not resume):
            remove(self.partial)
        self.partial.mkdir(parents=True, exist_ok=True)
        for tmp in self.partial.glob("*.tmp"):
            tmp.unlink()
        self.next_part = len(self.parts())
        return sum(pq.ParquetFile(p).metadata.num_rows for p in self.parts())

    def parts(self) -> list[Path]:
        return sorted(self.partial.glob("part-*.parquet"))

    def kept(self) -> Iterator[KeptRecord]:
        for part in self.parts():
            table = pq.read_table(part, columns=["id", "label", "language", "missing", "error"])
            for row in table.to_pylist():
                yield KeptRecord(
                    row["id"],
                    row["label"],
                    row["language"],
                    [m for m in (row["missing"] or "").split(";") if m],
                    row["error"],
                )

    def write(self, payload: pa.Table) -> None:
        path = self.partial / f"part-{self.next_part:06d}.parquet"
        write_parquet_atomic(payload, path)
        self.next_part += 1

    def commit(self) -> None:
        tmp = self.output.with_name(self.output.name + ".tmp")
        with pq.ParquetWriter(tmp, PARQUET_SCHEMA) as writer:
            for part in self.parts():
                writer.write_table(pq.read_table(part, schema=PARQUET_SCHEMA))
        os.replace(tmp, self.output)
        shutil.rmtree(self.partial)


def write_parquet_atomic(table: pa.Table, path: Path) -> None:
    """Write a Parquet file under a temporary name, then rename it: it exists only complete."""
    tmp = path.with_name(path.name + ".tmp")
    pq.write_table(table, tmp)
    os.replace(tmp, path)


def remove(path: Path) -> None:
    if path.is_dir():
        shutil.rmtree(path)
    elif path.exists():
        path.unlink()


SINKS: dict[str, type[Sink]] = {"jsonl": JsonlSink, "csv": CsvSink, "parquet": ParquetSink}


# --- resume ------------------------------------------------------------------------------


def same_id(a: Any, b: Any) -> bool:
    return str(a) == str(b)


def skip_done(
    chunks: Iterable[list[Doc]], kept: Iterable[KeptRecord], tally: Tally
) -> Iterator[list[Doc]]:
    """Drop the input records the partial output already has, checking their ids in order.

    Each kept record counts in ``tally``; the chunks that remain are yielded (the first one
    possibly cut).
    """
    kept = iter(kept)
    skipping = True
    for chunk in chunks:
        start = 0
        while skipping and start < len(chunk):
            rec = next(kept, None)
            if rec is None:
                skipping = False
                break
            doc = chunk[start]
            if not same_id(rec.id, doc.id):
                raise BatchRunError(
                    f"the partial output does not match the input: record {tally.documents + 1} "
                    f"is {rec.id!r} there but {doc.id!r} in the input; delete the partial output "
                    "and run again without --resume"
                )
            tally.add(rec.id, rec.label, rec.language, rec.missing, rec.error)
            start += 1
        if start < len(chunk):
            yield chunk[start:] if start else chunk
    if skipping and next(kept, None) is not None:
        raise BatchRunError(
            "the partial output has more records than the input; delete the partial output "
            "and run again without --resume"
        )


# --- running chunks in order ---------------------------------------------------------


def default_jobs() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - macOS, Windows
        return max(1, os.cpu_count() or 1)


def worker_ready() -> int:
    """A no-op task: fails with the reason if this worker could not load the model."""
    worker_classifier()
    return os.getpid()


def pool_context():
    """``fork`` where there is one: workers inherit the imported libraries (importing
    scikit-learn in each worker costs seconds), then load the model in their initializer."""
    import multiprocessing as mp

    return mp.get_context("fork" if "fork" in mp.get_all_start_methods() else "spawn")


def start_pool(jobs: int, model_folder: str, models_dir: str) -> ProcessPoolExecutor:
    """``jobs`` worker processes, each with the model loaded once (checked before returning)."""
    from . import classifier  # noqa: F401 - imported once here, inherited by forked workers

    pool = ProcessPoolExecutor(
        jobs,
        mp_context=pool_context(),
        initializer=init_worker,
        initargs=(model_folder, models_dir),
    )
    try:
        for future in [pool.submit(worker_ready) for _ in range(jobs)]:
            future.result()
    except BaseException:
        pool.shutdown(wait=False, cancel_futures=True)
        raise
    return pool


@contextmanager
def chunk_runner(
    jobs: int, model_folder: str, models_dir: str
) -> Iterator[ProcessPoolExecutor | None]:
    """The model, ready: loaded here for ``--jobs 1`` (None), else a started worker pool."""
    if jobs <= 1:
        init_worker(model_folder, models_dir, in_pool=False)
        try:
            worker_classifier()
            yield None
        finally:
            _STATE.clear()
        return
    pool = start_pool(jobs, model_folder, models_dir)
    try:
        yield pool
    except BaseException:
        pool.shutdown(wait=False, cancel_futures=True)
        raise
    pool.shutdown(wait=True)


def run_chunks(
    chunks: Iterable[list[Doc]], fmt: str, pool: ProcessPoolExecutor | None, max_in_flight: int
) -> Iterator[ChunkOut]:
    """Classified chunks in input order: here one by one, or from the pool.

    At most ``max_in_flight`` chunks are submitted and not yet written, so memory stays flat
    however large the input is.
    """
    if pool is None:
        for chunk in chunks:
            yield process_chunk(chunk, fmt)
        return
    pending: deque = deque()
    try:
        for chunk in chunks:
            pending.append(pool.submit(process_chunk, chunk, fmt))
            if len(pending) >= max_in_flight:
                yield pending.popleft().result()
        while pending:
            yield pending.popleft().result()
    except BrokenProcessPool:
        raise BatchRunError(
            "a worker process died (out of memory?); run again with --resume"
        ) from None


# --- the local engine ----------------------------------------------------------------


@dataclass
class BatchOptions:
    """Everything ``classify-batch`` was asked to do."""

    input: Path
    output: Path
    id_col: str = "id"
    text_col: str = "text"
    jobs: int = 0  # 0: all cores
    chunk_size: int = DEFAULT_CHUNK_SIZE
    resume: bool = False
    quiet: bool = False
    summary: Path | None = None
    model: str | None = None
    models_dir: Path | None = None
    engine: str = "local"
    scheduler: str | None = None


def resolve_model(opts: BatchOptions) -> tuple[Path, Path, str]:
    """(model folder, models folder, version) — checked before any work starts."""
    from . import config
    from .artifacts import read_card, resolve

    models_dir = Path(opts.models_dir or config.MODELS_DIR).resolve()
    folder = resolve(opts.model, models_dir)
    return folder, models_dir, read_card(folder).get("version", folder.name)


def check_options(opts: BatchOptions) -> None:
    if opts.chunk_size < 1:
        raise BatchUsageError("--chunk-size must be at least 1")
    if opts.jobs < 0:
        raise BatchUsageError("--jobs must be at least 1 (or 0 for all cores)")
    if opts.engine not in ("local", "dask"):
        raise BatchUsageError("--engine must be local or dask")
    if opts.scheduler and opts.engine != "dask":
        raise BatchUsageError("--scheduler needs --engine dask")
    if opts.output.resolve() == opts.input.resolve():
        raise BatchUsageError("OUTPUT must not be the INPUT")


def prepare_output(opts: BatchOptions, sink: Sink) -> None:
    """Refuse to silently overwrite the partial output of an interrupted run."""
    if opts.output.is_dir():
        raise BatchUsageError(f"output {opts.output} is a folder; give a file name")
    if sink.exists() and not opts.resume:
        raise BatchUsageError(
            f"{sink.partial} holds the output of an interrupted run: continue it with --resume, "
            "or delete it to start over"
        )
    if opts.resume and not sink.exists() and opts.output.exists():
        raise AlreadyComplete(f"{opts.output} is already complete; nothing to resume")
    opts.output.parent.mkdir(parents=True, exist_ok=True)


def progress_bar(total: int | None, quiet: bool):
    from tqdm import tqdm

    return tqdm(
        total=total,
        unit="doc",
        desc="classifying",
        disable=quiet,
        file=sys.stderr,
        dynamic_ncols=True,
    )


def run_local(opts: BatchOptions) -> dict:
    """Classify INPUT into OUTPUT on this machine; returns the summary."""
    check_options(opts)
    kind = input_kind(opts.input)
    fmt = output_format(opts.output)
    sink = SINKS[fmt](opts.output)
    prepare_output(opts, sink)
    folder, models_dir, version = resolve_model(opts)
    chunks = peek(read_chunks(opts.input, kind, opts.id_col, opts.text_col, opts.chunk_size))
    jobs = opts.jobs or default_jobs()
    started = time.perf_counter()
    with chunk_runner(jobs, str(folder), str(models_dir)) as pool:
        tally, resumed = write_all(opts, kind, fmt, sink, chunks, pool, jobs)
    seconds = time.perf_counter() - started
    return make_summary(opts, tally, resumed, seconds, version, jobs)


def write_all(
    opts: BatchOptions,
    kind: str,
    fmt: str,
    sink: Sink,
    chunks: Iterator[list[Doc]],
    pool: ProcessPoolExecutor | None,
    jobs: int,
) -> tuple[Tally, int]:
    """Resume if asked, classify the remaining chunks, write them in order, commit."""
    tally = Tally()
    resumed = sink.start(opts.resume)
    if resumed:
        chunks = skip_done(chunks, sink.kept(), tally)
    total = count_inputs(opts.input, kind)
    bar = progress_bar(None if total is None else total - resumed, opts.quiet)
    try:
        for out in run_chunks(chunks, fmt, pool, max_in_flight=2 * jobs):
            sink.write(out.payload)
            tally.merge(out.tally)
            bar.update(out.n)
        sink.commit()
    finally:
        bar.close()
        sink.close()
    return tally, resumed


def peek(chunks: Iterator[list[Doc]]) -> Iterator[list[Doc]]:
    """Start the reader now (so bad columns fail early), then hand over every chunk."""
    chunks = iter(chunks)
    first = next(chunks, None)
    return iter(()) if first is None else _chain_first(first, chunks)


def _chain_first(first: list[Doc], rest: Iterator[list[Doc]]) -> Iterator[list[Doc]]:
    yield first
    yield from rest


def make_summary(
    opts: BatchOptions, tally: Tally, resumed: int, seconds: float, version: str, jobs: int
) -> dict:
    done = tally.documents - resumed
    return {
        "input": str(opts.input),
        "output": str(opts.output),
        "engine": opts.engine,
        "jobs": jobs,
        "model_version": version,
        **tally.as_dict(),
        "resumed": resumed,
        "seconds": round(seconds, 3),
        "docs_per_second": round(done / seconds, 2) if seconds > 0 else None,
    }


def format_summary(s: dict) -> str:
    """The summary as a few readable lines (for stderr)."""

    def counts(d: dict) -> str:
        return ", ".join(f"{k} {v}" for k, v in d.items()) or "-"

    lines = [
        f"{s['documents']} documents → {s['output']} ({s['classified']} classified, "
        f"{s['errors']} errors"
        + (f", {s['resumed']} kept from the interrupted run" if s["resumed"] else "")
        + ")",
        f"labels: {counts(s['labels'])}",
        f"languages: {counts(s['languages'])}",
        f"most often missing: {counts(dict(list(s['missing'].items())[:5]))}",
        f"{s['seconds']:.1f} s, {s['docs_per_second'] or 0:.1f} docs/s, {s['jobs']} jobs, model {s['model_version']}",
    ]
    for ex in s["error_examples"]:
        lines.append(f"error: {ex['id']}: {ex['error']}")
    if s["errors"] > len(s["error_examples"]):
        lines.append(
            f"… and {s['errors'] - len(s['error_examples'])} more errors (records with an 'error' field)"
        )
    return "\n".join(lines)


def write_summary(summary: dict, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(summary, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


def classify_batch(opts: BatchOptions) -> dict:
    """Run the batch with the chosen engine; returns the summary (also written if asked)."""
    summary = run_dask(opts) if opts.engine == "dask" else run_local(opts)
    if opts.summary:
        write_summary(summary, opts.summary)
    return summary


# --- the Dask engine -----------------------------------------------------------------


def install_shipped_model(version: str, files: dict[str, bytes]) -> None:
    """Worker side of the model plugin: write the files, verify their hash, load them once."""
    from . import load_model

    with tempfile.TemporaryDirectory(prefix="plancheck-model-") as tmp:
        folder = Path(tmp, version)
        folder.mkdir()
        for name, data in files.items():
            (folder / name).write_bytes(data)
        _STATE[f"dask:{version}"] = load_model(version, models_dir=tmp)


@functools.cache
def model_plugin_class() -> type:
    """A distributed ``WorkerPlugin`` that ships the model files to each worker once."""
    from distributed import WorkerPlugin

    class ModelPlugin(WorkerPlugin):
        def __init__(self, version: str, files: dict[str, bytes]):
            self.name = f"plancheck-model-{version}"
            self.version = version
            self.files = files

        def setup(self, worker) -> None:
            install_shipped_model(self.version, self.files)

    return ModelPlugin


def model_files(folder: Path) -> dict[str, bytes]:
    from .artifacts import CARD_FILE, MODEL_FILE

    return {name: (folder / name).read_bytes() for name in (MODEL_FILE, CARD_FILE)}


def dask_classifier(version: str):
    try:
        return _STATE[f"dask:{version}"]
    except KeyError:
        raise BatchRunError(f"model {version} was not installed on this Dask worker") from None


def partition_docs(df, id_col: str, text_col: str, first_row: int) -> list[Doc]:
    """A partition (pandas) as :class:`Doc` records, read through Arrow exactly as the local
    Parquet reader reads batches; row numbers continue from ``first_row``."""
    table = pa.Table.from_pandas(df, preserve_index=False)
    ids = table.column(id_col).to_pylist() if id_col in table.column_names else None
    return table_docs(ids, table.column(text_col).to_pylist(), first_row, text_col)


def part_name(number: int) -> str:
    return f"part-{number:05d}.parquet"


def tally_frame(tally: Tally):
    import pandas as pd

    return pd.DataFrame(
        {"n": [tally.documents], "tally": [json.dumps(tally.as_dict(), ensure_ascii=False)]}
    )


def tally_of_part(path: Path) -> Tally:
    tally = Tally()
    for row in pq.read_table(
        path, columns=["id", "label", "language", "missing", "error"]
    ).to_pylist():
        tally.add_flat(row)
    return tally


def classify_partition(
    df,
    out_dir: str,
    version: str,
    id_col: str,
    text_col: str,
    offsets: tuple,
    resume: bool,
    partition_info=None,
):
    """``map_partitions`` function: classify a partition, write it as one Parquet part.

    Uses the same vectorised code path as the local engine (:func:`classify_docs` and
    :func:`encode_parquet`); returns a one-row frame with the partition's tally.
    """
    number = partition_info["number"] if partition_info else 0
    path = Path(out_dir, part_name(number))
    if resume and path.exists():
        return tally_frame(tally_of_part(path))
    docs = partition_docs(df, id_col, text_col, offsets[number] if offsets else 0)
    results = classify_docs(dask_classifier(version), docs)
    write_parquet_atomic(encode_parquet(results), path)
    tally = Tally()
    for r in results:
        tally.add_result(r)
    return tally_frame(tally)


def dask_client(opts: BatchOptions, jobs: int):
    """A client of the cluster at ``--scheduler``, or of a new local cluster on 127.0.0.1."""
    from distributed import Client, LocalCluster

    if opts.scheduler:
        try:
            return Client(opts.scheduler, timeout="20s"), None
        except OSError as e:
            raise BatchRunError(
                f"cannot reach the Dask scheduler at {opts.scheduler}: {e}"
            ) from None
    cluster = LocalCluster(
        n_workers=jobs, threads_per_worker=1, host="127.0.0.1", dashboard_address=None
    )
    return Client(cluster), cluster


def row_offsets(ddf, id_col: str, text_col: str) -> tuple:
    """First row number of each partition (only needed when there is no id column)."""
    if id_col in ddf.columns:
        return ()
    lengths = ddf[text_col].map_partitions(len).compute().tolist()
    return tuple(sum(lengths[:k]) for k in range(len(lengths)))


def check_dask_io(opts: BatchOptions) -> None:
    ok_input = opts.input.suffix.lower() == ".parquet" or opts.input.is_dir()
    if not opts.input.exists():
        raise BatchUsageError(f"input {opts.input} does not exist")
    if not ok_input or opts.output.suffix.lower() not in (".parquet", ""):
        raise BatchUsageError(
            "--engine dask reads a Parquet file or folder and writes a folder of Parquet parts "
            "(OUTPUT like results.parquet or results/)"
        )
    if opts.output.is_file() or (
        opts.output.is_dir() and any(not p.name.startswith("part-") for p in opts.output.iterdir())
    ):
        raise BatchUsageError(
            f"output {opts.output} exists and is not a previous plancheck output folder"
        )


def run_dask(opts: BatchOptions) -> dict:
    """Classify a Parquet dataset with Dask into a folder of Parquet parts (OUTPUT)."""
    check_options(opts)
    check_dask_io(opts)
    folder, _, version = resolve_model(opts)
    partial = prepare_dask_output(opts)
    resumed = sum(pq.ParquetFile(p).metadata.num_rows for p in partial.glob("part-*.parquet"))
    jobs = opts.jobs or default_jobs()
    started = time.perf_counter()
    client, cluster = dask_client(opts, jobs)
    try:
        client.register_plugin(model_plugin_class()(version, model_files(folder)))
        tally = collect_tallies(client, classify_dataset(opts, partial, version), opts.quiet)
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
    finish_dask_output(partial, opts.output)
    return make_summary(opts, tally, resumed, time.perf_counter() - started, version, jobs)


def prepare_dask_output(opts: BatchOptions) -> Path:
    """The parts folder (``OUTPUT.partial``, absolute: workers write into it)."""
    partial = partial_path(opts.output).resolve()
    if partial.exists() and not opts.resume:
        raise BatchUsageError(
            f"{partial} holds the output of an interrupted run: continue it with --resume, "
            "or delete it"
        )
    partial.mkdir(parents=True, exist_ok=True)
    for tmp in partial.glob("*.tmp"):
        tmp.unlink()
    return partial


def classify_dataset(opts: BatchOptions, partial: Path, version: str):
    """The lazy per-partition tallies: each partition classified and written as one part."""
    import dask.dataframe as dd

    ddf = dd.read_parquet(str(opts.input))
    check_columns(ddf.columns, opts.id_col, opts.text_col, opts.input)
    ddf = ddf[[c for c in (opts.id_col, opts.text_col) if c in ddf.columns]]
    offsets = row_offsets(ddf, opts.id_col, opts.text_col)
    return ddf.map_partitions(
        classify_partition,
        str(partial),
        version,
        opts.id_col,
        opts.text_col,
        offsets,
        opts.resume,
        meta={"n": "int64", "tally": "object"},
    )


def collect_tallies(client, tallies, quiet: bool) -> Tally:
    """Compute the partitions, updating the progress bar as each one finishes."""
    from distributed import as_completed

    futures = client.compute(tallies.to_delayed())
    tally = Tally()
    bar = progress_bar(None, quiet)
    try:
        for future in as_completed(futures):
            frame = future.result()
            part = Tally.from_dict(json.loads(frame["tally"].iloc[0]))
            tally.merge(part)
            bar.update(part.documents)
    finally:
        bar.close()
    return tally


def finish_dask_output(partial: Path, output: Path) -> None:
    """Move the finished parts folder into place (replacing a previous output folder)."""
    if output.exists():
        shutil.rmtree(output)
    os.replace(partial, output)
