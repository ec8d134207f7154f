"""Batch classification: folders and tables in, results out, streamed, resumable, parallel.

The pipeline has four stages, one module each:

1. **Read** (:mod:`.inputs`, main process): a folder of documents or a table (JSONL, CSV,
   Parquet) becomes an iterator of chunks of :class:`Doc` — never the whole input at once.
2. **Classify** (:mod:`.workers`, worker processes, or :mod:`.dask_engine`): each worker
   loads the model once, reads the files of its chunk, and calls
   :meth:`plancheck.classifier.Classifier.classify_records`, which classifies the good texts in
   one vectorised call and turns the bad ones into error records. It returns the chunk
   already encoded (:mod:`.outputs`) plus a small tally (:mod:`.summary`).
3. **Write** (:mod:`.sinks`, main process, in input order): chunks are appended to
   ``OUTPUT.partial`` and renamed to OUTPUT on completion. An interrupted run resumes from the
   partial output: complete records are kept, the input records they cover are skipped.
4. **Summarise** (:mod:`.summary`): labels, languages, missing elements, errors, docs/s.

:mod:`.local` wires the stages; :mod:`.options` checks the options once.
"""

from ..errors import AlreadyComplete, BatchError, BatchRunError, BatchUsageError
from .dask_engine import run_dask
from .doc import Doc, chunked
from .fingerprint import fingerprint, fingerprint_path
from .folder import MAX_FILE_BYTES, iter_folder, list_documents, read_file
from .inputs import (
    check_columns,
    count_inputs,
    input_kind,
    iter_csv,
    iter_jsonl,
    iter_parquet,
    output_format,
    read_chunks,
)
from .local import classify_batch, run_local
from .options import BatchOptions, check_options, resolve_model
from .outputs import (
    DEFAULT_CHUNK_SIZE,
    FLAT_COLUMNS,
    OUTPUT_FORMATS,
    PARQUET_SCHEMA,
    PARTIAL_SUFFIX,
    TABLE_FORMATS,
    encode_csv,
    encode_jsonl,
    encode_parquet,
    flat_row,
)
from .sinks import CsvSink, JsonlSink, KeptRecord, ParquetSink, Sink, partial_path, skip_done
from .summary import Tally, format_summary, make_summary, write_summary
from .workers import classify_docs, error_record

__all__ = [
    "DEFAULT_CHUNK_SIZE",
    "FLAT_COLUMNS",
    "MAX_FILE_BYTES",
    "OUTPUT_FORMATS",
    "PARQUET_SCHEMA",
    "PARTIAL_SUFFIX",
    "TABLE_FORMATS",
    "AlreadyComplete",
    "BatchError",
    "BatchOptions",
    "BatchRunError",
    "BatchUsageError",
    "CsvSink",
    "Doc",
    "JsonlSink",
    "KeptRecord",
    "ParquetSink",
    "Sink",
    "Tally",
    "check_columns",
    "check_options",
    "chunked",
    "classify_batch",
    "classify_docs",
    "count_inputs",
    "encode_csv",
    "encode_jsonl",
    "encode_parquet",
    "error_record",
    "flat_row",
    "fingerprint",
    "fingerprint_path",
    "format_summary",
    "input_kind",
    "iter_csv",
    "iter_folder",
    "iter_jsonl",
    "iter_parquet",
    "list_documents",
    "make_summary",
    "output_format",
    "partial_path",
    "read_chunks",
    "read_file",
    "resolve_model",
    "run_dask",
    "run_local",
    "skip_done",
    "write_summary",
]
