"""Partial output, resume and atomic commit: an interrupted run loses nothing."""

from __future__ import annotations

import csv
import json
import os
import shutil
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import IO, Any, NamedTuple

import pyarrow as pa
import pyarrow.parquet as pq

from ..errors import (
    AlreadyComplete,
    BatchRunError,
    BatchUsageError,
)
from .inputs import Doc
from .options import BatchOptions
from .outputs import FLAT_COLUMNS, PARQUET_SCHEMA, PARTIAL_SUFFIX, encode_csv
from .summary import Tally


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
        self.fh: IO[str] | None = None

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

            def cell(c: str, row: list[str] = row) -> str | None:
                return row[index[c]] or None

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
