"""Output formats: flat CSV/Parquet columns and the encoders for each format."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Mapping
from typing import Any, TypeAlias

import pyarrow as pa

from ..config import ELEMENTS, LABELS

TABLE_FORMATS: tuple[str, ...] = (".jsonl", ".csv", ".parquet")

#: An output record: a result, or an error record ``{"id", "error"}`` (read, never changed).
Record: TypeAlias = Mapping[str, Any]


OUTPUT_FORMATS: tuple[str, ...] = (".jsonl", ".csv", ".parquet")


DEFAULT_CHUNK_SIZE = 256


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


def error_text(error: object) -> str:
    """An error record's error as one cell: ``code: message`` (flat formats hold strings)."""
    if isinstance(error, dict):
        return f"{error.get('code', 'error')}: {error.get('message', '')}"
    return str(error)


def flat_row(result: Record) -> dict[str, Any]:
    """A result as one flat row (CSV and Parquet columns); error records fill ``error`` only."""
    row: dict[str, Any] = dict.fromkeys(FLAT_COLUMNS)
    row["id"] = None if result.get("id") is None else str(result["id"])
    if "error" in result:
        row["error"] = error_text(result["error"])
        return row
    row.update(label=result["label"], confidence=result["confidence"], language=result["language"])
    for label in LABELS:
        row[f"p_{label}"] = result["probabilities"][label]
    for element in result["elements"]:
        row[element["id"]] = int(bool(element["present"]))
    row["missing"] = ";".join(result["missing"])
    row["model_version"] = result["model_version"]
    return row


def to_json(result: Record) -> str:
    return json.dumps(result, ensure_ascii=False)


def encode_jsonl(results: list[Record]) -> str:
    """JSONL text: the full result shape, one line per document (ids included)."""
    return "".join(to_json(r) + "\n" for r in results)


def csv_cell(value: object) -> object:
    return "" if value is None else value


def encode_csv(results: list[Record], header: bool = False) -> str:
    """CSV text of the flat rows (with the header line when ``header``)."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    if header:
        writer.writerow(FLAT_COLUMNS)
    for r in results:
        row = flat_row(r)
        writer.writerow([csv_cell(row[c]) for c in FLAT_COLUMNS])
    return buf.getvalue()


def encode_parquet(results: list[Record]) -> pa.Table:
    """An Arrow table of the flat rows plus ``result_json`` (the JSONL line of each record)."""
    rows = []
    for r in results:
        row = flat_row(r)
        row["result_json"] = to_json(r)
        rows.append(row)
    return pa.Table.from_pylist(rows, schema=PARQUET_SCHEMA)


ENCODERS: dict[str, Callable[[list[Record]], Any]] = {
    "jsonl": encode_jsonl,
    "csv": encode_csv,
    "parquet": encode_parquet,
}
