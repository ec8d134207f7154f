"""Batch options, checked once; the model and jobs resolved at the edge."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .. import config
from ..artifacts import read_card, resolve
from ..errors import BatchUsageError
from .csv_input import parse_delimiter
from .outputs import DEFAULT_CHUNK_SIZE


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
    delimiter: str | None = None  # CSV input; None: sniffed from the header
    bom: bool | None = None  # CSV output starts with a UTF-8 BOM (None: yes, for Excel)


def resolve_model(opts: BatchOptions) -> tuple[Path, Path, str]:
    """(model folder, models folder, version) — checked before any work starts."""

    models_dir = config.models_dir(opts.models_dir).resolve()
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
    opts.delimiter = parse_delimiter(opts.delimiter)
    if opts.output.resolve() == opts.input.resolve():
        raise BatchUsageError("OUTPUT must not be the INPUT")
