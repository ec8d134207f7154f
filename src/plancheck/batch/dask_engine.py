"""The Dask engine: the model shipped once to every worker, partitions in, parts out."""

from __future__ import annotations

import functools
import json
import os
import shutil
import tempfile
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from .. import load_model
from ..artifacts import CARD_FILE, model_path, read_card
from ..errors import (
    BatchRunError,
    BatchUsageError,
)
from .fingerprint import check_or_record, forget
from .inputs import Doc, check_columns, table_docs
from .options import BatchOptions, check_options, resolve_model
from .outputs import encode_parquet
from .parquet_sink import write_parquet_atomic
from .partial import partial_path
from .summary import Tally, make_summary, progress_bar
from .workers import _STATE, classify_docs, default_jobs

if TYPE_CHECKING:
    import dask.dataframe as dd
    from distributed import Client, LocalCluster, Worker

    from ..classifier import Classifier


def install_shipped_model(version: str, files: dict[str, bytes]) -> None:
    """Worker side of the model plugin: write the files, verify their hash, load them once."""

    with tempfile.TemporaryDirectory(prefix="plancheck-model-") as tmp:
        folder = Path(tmp, version)
        folder.mkdir()
        for name, data in files.items():
            (folder / name).write_bytes(data)
        _STATE[f"dask:{version}"] = load_model(version, models_dir=tmp)


@functools.cache
def model_plugin_class() -> type:
    """A distributed ``WorkerPlugin`` that ships the model files to each worker once."""
    from distributed import WorkerPlugin  # optional: dask is needed only for --engine dask

    class ModelPlugin(WorkerPlugin):
        def __init__(self, version: str, files: dict[str, bytes]) -> None:
            self.name = f"plancheck-model-{version}"
            self.version = version
            self.files = files

        def setup(self, worker: Worker) -> None:
            install_shipped_model(self.version, self.files)

    return ModelPlugin


def model_files(folder: Path) -> dict[str, bytes]:
    """The model file its card names (``model.pkl``, or an older ``model.joblib``) and the card."""
    names = (model_path(folder, read_card(folder)).name, CARD_FILE)
    return {name: (folder / name).read_bytes() for name in names}


def dask_classifier(version: str) -> Classifier:
    try:
        return cast("Classifier", _STATE[f"dask:{version}"])
    except KeyError:
        raise BatchRunError(f"model {version} was not installed on this Dask worker") from None


def partition_docs(df: pd.DataFrame, id_col: str, text_col: str, first_row: int) -> list[Doc]:
    """A partition (pandas) as :class:`Doc` records, read through Arrow exactly as the local
    Parquet reader reads batches; row numbers continue from ``first_row``."""
    table = pa.Table.from_pandas(df, preserve_index=False)
    ids = table.column(id_col).to_pylist() if id_col in table.column_names else None
    return table_docs(ids, table.column(text_col).to_pylist(), first_row, text_col)


def part_name(number: int) -> str:
    return f"part-{number:05d}.parquet"


def tally_frame(tally: Tally) -> pd.DataFrame:
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
    df: pd.DataFrame,
    out_dir: str,
    version: str,
    id_col: str,
    text_col: str,
    offsets: tuple[int, ...],
    resume: bool,
    partition_info: dict[str, Any] | None = None,
) -> pd.DataFrame:
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


def dask_client(opts: BatchOptions, jobs: int) -> tuple[Client, LocalCluster | None]:
    """A client of the cluster at ``--scheduler``, or of a new local cluster on 127.0.0.1."""
    from distributed import Client, LocalCluster  # optional: dask is needed only for --engine dask

    if opts.scheduler:
        try:
            # distributed leaves Client.__init__ and LocalCluster.__init__ unannotated
            return Client(opts.scheduler, timeout="20s"), None  # type: ignore[no-untyped-call]
        except OSError as e:
            raise BatchRunError(
                f"cannot reach the Dask scheduler at {opts.scheduler}: {e}"
            ) from None
    cluster = LocalCluster(  # type: ignore[no-untyped-call]
        n_workers=jobs, threads_per_worker=1, host="127.0.0.1", dashboard_address=None
    )
    return Client(cluster), cluster  # type: ignore[no-untyped-call]


def row_offsets(ddf: dd.DataFrame, id_col: str, text_col: str) -> tuple[int, ...]:
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


def run_dask(opts: BatchOptions) -> dict[str, Any]:
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
        client.close()  # type: ignore[no-untyped-call]  # unannotated in distributed
        if cluster is not None:
            cluster.close()
    finish_dask_output(partial, opts.output)
    forget(opts.output)
    return make_summary(opts, tally, resumed, time.perf_counter() - started, version, jobs)


def prepare_dask_output(opts: BatchOptions) -> Path:
    """The parts folder (``OUTPUT.partial``, absolute: workers write into it)."""
    partial = partial_path(opts.output).resolve()
    if partial.exists() and not opts.resume:
        raise BatchUsageError(
            f"{partial} holds the output of an interrupted run: continue it with --resume, "
            "or delete it"
        )
    check_or_record(opts.input, opts.output, opts.resume)  # before the folder exists
    partial.mkdir(parents=True, exist_ok=True)
    for tmp in partial.glob("*.tmp"):
        tmp.unlink()
    return partial


def classify_dataset(opts: BatchOptions, partial: Path, version: str) -> dd.DataFrame:
    """The lazy per-partition tallies: each partition classified and written as one part."""
    import dask.dataframe as dd  # optional: dask is needed only for --engine dask

    ddf = dd.read_parquet(str(opts.input))
    check_columns(ddf.columns, opts.id_col, opts.text_col, opts.input)
    ddf = ddf[[c for c in (opts.id_col, opts.text_col) if c in ddf.columns]]
    offsets = row_offsets(ddf, opts.id_col, opts.text_col)
    tallies: dd.DataFrame = ddf.map_partitions(  # dask types map_partitions as Any
        classify_partition,
        str(partial),
        version,
        opts.id_col,
        opts.text_col,
        offsets,
        opts.resume,
        meta={"n": "int64", "tally": "object"},
    )
    return tallies


def collect_tallies(client: Client, tallies: dd.DataFrame, quiet: bool) -> Tally:
    """Compute the partitions, updating the progress bar as each one finishes."""
    from distributed import as_completed  # optional: dask is needed only for --engine dask

    # compute and to_delayed are unannotated in distributed / dask
    futures = client.compute(tallies.to_delayed())  # type: ignore[no-untyped-call]
    tally = Tally()
    bar = progress_bar(None, quiet)
    try:
        for future in as_completed(futures):  # type: ignore[no-untyped-call]  # unannotated
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
