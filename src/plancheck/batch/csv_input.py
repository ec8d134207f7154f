"""A CSV input: its delimiter found (or given), its rows streamed, a malformed row named.

Exports from spreadsheets in many locales use ``;``, and a misquoted text shifts every
later row: pandas' tolerant reader turned one stray quote into extra rows with plan text as
ids. Here the header decides the delimiter when it can, and any row whose quoting is broken
or whose field count differs from the header's stops the run with its line number.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from ..errors import BatchRunError, BatchUsageError
from .doc import Doc, check_columns, chunked, table_doc

#: The delimiters sniffed (an explicit ``--delimiter`` may be any one character).
DELIMITERS = ",;\t|"
_SAMPLE_CHARS = 8 * 1024
#: Longest cell accepted (the csv module's default, 128 K characters, is too small for a plan).
_FIELD_LIMIT = 64 * 1024 * 1024


def parse_delimiter(value: str | None) -> str | None:
    """``--delimiter``: one character; ``tab`` and ``\\t`` name the tab. None: sniff."""
    if value is None:
        return None
    value = {"tab": "\t", "\\t": "\t"}.get(value.lower(), value)
    if len(value) != 1 or value in '"\r\n':
        raise BatchUsageError(f"--delimiter must be one character (or tab), not {value!r}")
    return value


def sniff_delimiter(sample: str, text_col: str) -> str:
    """The delimiter of a CSV ``sample``: the one whose header names ``text_col``.

    ``csv.Sniffer`` (limited to ``, ; tab |``) is asked first; the header is the judge,
    since a sniffer can be misled by the texts. Defaults to ``,``.
    """
    try:
        sniffed = csv.Sniffer().sniff(sample, delimiters=DELIMITERS).delimiter
    except csv.Error:
        sniffed = ","
    header_line = sample.splitlines()[0] if sample else ""
    candidates = [sniffed] + [d for d in DELIMITERS if d != sniffed]
    matching = [d for d in candidates if text_col in _fields(header_line, d)]
    if len(matching) == 1 or (matching and sniffed in matching):
        return matching[0]
    return max(candidates, key=lambda d: (len(_fields(header_line, d)), d == sniffed))


def _fields(line: str, delimiter: str) -> list[str]:
    try:
        return next(csv.reader([line], delimiter=delimiter), [])
    except csv.Error:
        return []


def _open(path: Path) -> io.TextIOWrapper:
    return path.open("r", encoding="utf-8-sig", newline="")


def iter_csv(
    path: Path, id_col: str, text_col: str, chunk_size: int, delimiter: str | None = None
) -> Iterator[list[Doc]]:
    """Chunks of a CSV file, streamed row by row; every cell is read as text.

    Raises:
        BatchUsageError: the text column is missing (see ``--text-col``/``--delimiter``).
        BatchRunError: the file is not UTF-8, or a row is malformed (line named).
    """
    csv.field_size_limit(max(csv.field_size_limit(), _FIELD_LIMIT))
    with _open(path) as fh:
        try:
            sample = fh.read(_SAMPLE_CHARS)
        except UnicodeDecodeError as e:
            raise BatchRunError(f"cannot read {path} as a UTF-8 CSV file: {e}") from None
        sep = delimiter or sniff_delimiter(sample, text_col)
        fh.seek(0)
        reader = csv.reader(fh, delimiter=sep, strict=True)
        yield from chunked(_rows(path, reader, sep, id_col, text_col), chunk_size)


def _rows(path: Path, reader: Any, sep: str, id_col: str, text_col: str) -> Iterator[Doc]:
    shown = {",": "comma", ";": "semicolon", "\t": "tab", "|": "pipe"}.get(sep, repr(sep))
    try:
        header = next(reader, None)
        if header is None:
            raise BatchRunError(f"{path} is empty (no header line)")
        has_id = check_columns(header, id_col, text_col, path, shown)
        text_at = header.index(text_col)
        id_at = header.index(id_col) if has_id else None
        row = 0
        for fields in reader:
            if not fields:
                continue  # a blank line
            row += 1
            if len(fields) != len(header):
                raise BatchRunError(
                    f"{path}, line {reader.line_num}: {len(fields)} fields where the header has "
                    f"{len(header)} ({shown}-delimited); check the quoting of that row, or "
                    "give --delimiter"
                )
            doc_id = fields[id_at] if id_at is not None else None
            text = fields[text_at] if fields[text_at] != "" else None
            yield table_doc(doc_id, text, row, text_col)
    except csv.Error as e:
        raise BatchRunError(
            f"{path}, line {reader.line_num}: malformed CSV ({e}); an unterminated or stray "
            'quote? Quote texts with "…" and double the quotes inside them'
        ) from None
    except UnicodeDecodeError as e:
        raise BatchRunError(
            f"{path}, after line {reader.line_num}: not UTF-8 ({e.reason}); save it as UTF-8"
        ) from None
