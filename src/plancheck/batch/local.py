"""The local engine: read → classify → write → summarise."""

from __future__ import annotations

import time
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from ..errors import BatchUsageError
from .dask_engine import run_dask
from .fingerprint import check_or_record, forget
from .inputs import Doc, count_inputs, input_kind, output_format, peek, read_chunks
from .options import BatchOptions, check_options, resolve_model
from .sinks import Sink, make_sink, prepare_output, skip_done
from .summary import Tally, make_summary, progress_bar, write_summary
from .workers import chunk_runner, default_jobs, run_chunks


def run_local(opts: BatchOptions) -> dict[str, Any]:
    """Classify INPUT into OUTPUT on this machine; returns the summary."""
    check_options(opts)
    kind = input_kind(opts.input)
    fmt = output_format(opts.output)
    sink = make_sink(fmt, opts.output, opts.bom)
    with unwritable(opts.output):
        prepare_output(opts, sink)
        check_or_record(opts.input, opts.output, opts.resume)
    folder, models_dir, version = resolve_model(opts)
    chunks = peek(
        read_chunks(opts.input, kind, opts.id_col, opts.text_col, opts.chunk_size, opts.delimiter)
    )
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
    with unwritable(opts.output):
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
        forget(opts.output)
    finally:
        bar.close()
        sink.close()
    return tally, resumed


@contextmanager
def unwritable(output: Path) -> Iterator[None]:
    """An output that cannot be written is a usage error (one line, exit 2), not a traceback."""
    try:
        yield
    except OSError as e:
        where = f" ({e.filename})" if e.filename and str(e.filename) != str(output) else ""
        raise BatchUsageError(
            f"cannot write the output {output}{where}: {e.strerror or e}"
        ) from None


def classify_batch(opts: BatchOptions) -> dict[str, Any]:
    """Run the batch with the chosen engine; returns the summary (also written if asked)."""
    summary = run_dask(opts) if opts.engine == "dask" else run_local(opts)
    if opts.summary:
        write_summary(summary, opts.summary)
    return summary
