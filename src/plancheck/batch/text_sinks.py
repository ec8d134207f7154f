"""JSONL and CSV sinks: one text file appended to chunk by chunk; on resume, cut after the
last complete record."""

from __future__ import annotations

import csv
import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import IO

from .outputs import FLAT_COLUMNS, encode_csv
from .partial import KeptRecord, Sink


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


def is_output_record(record: object) -> bool:
    """An object with an id (every result and error record has one)."""
    return isinstance(record, dict) and "id" in record


class JsonlSink(TextSink):
    def repair(self) -> int:
        end = last_newline_end(self.partial)
        n = 0
        good = 0
        with self.partial.open("rb") as fh:
            while fh.tell() < end:
                line = fh.readline()
                try:
                    record = json.loads(line)
                except ValueError:
                    break  # a damaged line: keep what precedes it
                if not is_output_record(record):
                    break  # valid JSON but no result (``123``, ``null``, ``[]``): redo from here
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
                first = end == 0
                end += len(raw)
                last_line_complete = raw.endswith(b"\n")
                text = raw.decode("utf-8", errors="replace")
                yield text.removeprefix("\ufeff") if first else text

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
    """CSV output; with ``bom`` (the default) it starts with a UTF-8 BOM so that Excel reads
    it as UTF-8 and shows Arabic instead of mojibake."""

    def __init__(self, output: Path, bom: bool = True):
        super().__init__(output)
        self.bom = bom

    def has_header(self) -> bool:
        return self.partial.is_file() and self.partial.stat().st_size > 0

    def write_header(self) -> None:
        self.write(("\ufeff" if self.bom else "") + encode_csv([], header=True))

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
