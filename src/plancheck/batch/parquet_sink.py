"""The Parquet sink: a folder of complete parts, merged into one file on completion."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from ..atomic import atomic_path
from .outputs import PARQUET_SCHEMA
from .partial import KeptRecord, Sink, remove


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
        with atomic_path(self.output) as tmp, pq.ParquetWriter(tmp, PARQUET_SCHEMA) as writer:
            for part in self.parts():
                writer.write_table(pq.read_table(part, schema=PARQUET_SCHEMA))
        shutil.rmtree(self.partial)


def write_parquet_atomic(table: pa.Table, path: Path) -> None:
    """Write a Parquet file under a temporary name, then rename it: it exists only complete."""
    with atomic_path(path) as tmp:
        pq.write_table(table, tmp)
