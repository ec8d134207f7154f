"""Sinks by output format, and resuming into one: an interrupted run loses nothing.

Each sink writes ``OUTPUT.partial`` (:mod:`.partial`) and renames it on completion: JSONL and
CSV in :mod:`.text_sinks`, Parquet in :mod:`.parquet_sink`. Here: which sink a format uses,
the check before a run starts, and skipping the input records a resumed run already has.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from ..errors import AlreadyComplete, BatchRunError, BatchUsageError
from .inputs import Doc
from .options import BatchOptions
from .parquet_sink import ParquetSink, write_parquet_atomic
from .partial import KeptRecord, Sink, partial_path, remove
from .summary import Tally
from .text_sinks import (
    CsvSink,
    JsonlSink,
    TextSink,
    csv_rows_with_offsets,
    last_newline_end,
    truncate,
)

__all__ = [
    "SINKS",
    "CsvSink",
    "JsonlSink",
    "KeptRecord",
    "ParquetSink",
    "Sink",
    "TextSink",
    "csv_rows_with_offsets",
    "last_newline_end",
    "make_sink",
    "partial_path",
    "prepare_output",
    "remove",
    "same_id",
    "skip_done",
    "truncate",
    "write_parquet_atomic",
]

SINKS: dict[str, type[Sink]] = {"jsonl": JsonlSink, "csv": CsvSink, "parquet": ParquetSink}


def make_sink(fmt: str, output: Path, bom: bool | None = None) -> Sink:
    """The sink of an output format; ``bom`` only matters for CSV (None: with a BOM)."""
    if fmt == "csv":
        return CsvSink(output, bom=bom is not False)
    return SINKS[fmt](output)


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
