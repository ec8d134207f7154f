"""The input's fingerprint, kept beside the partial output: ``--resume`` only continues the
run of the same input.

Ids alone do not prove it: a new export that reuses the ids would keep results whose
evidence quotes texts that are no longer there. A table is fingerprinted by its bytes; a
folder (or a Parquet dataset folder) by each file's relative path, size and modification
time, which is cheap and changes whenever a file is edited.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

from ..artifacts import sha256_file
from ..errors import BatchUsageError
from .partial import partial_path


def fingerprint_path(output: Path) -> Path:
    """``OUTPUT.partial.input``: beside the partial output, whatever its kind."""
    partial = partial_path(output)
    return partial.with_name(partial.name + ".input")


def fingerprint(path: Path) -> str:
    """A sha256 of the input: its bytes, or a folder's paths, sizes and times."""
    digest = hashlib.sha256()
    if path.is_dir():
        for folder, dirs, files in os.walk(path):
            dirs.sort()
            for name in sorted(files):
                full = Path(folder, name)
                try:
                    st = full.stat()
                except OSError:
                    continue
                rel = full.relative_to(path).as_posix()
                digest.update(f"{rel}\0{st.st_size}\0{st.st_mtime_ns}\n".encode())
        return "folder:" + digest.hexdigest()
    return "file:" + sha256_file(path)


def check_or_record(input_path: Path, output: Path, resuming: bool) -> None:
    """On resume, refuse another input than the partial's; otherwise record this one.

    A partial output written before fingerprints existed has none: it is resumed on its ids
    alone, as before.

    Raises:
        BatchUsageError: the input is not the one the partial output came from.
    """
    kept = fingerprint_path(output)
    now = {"input": str(input_path), "fingerprint": fingerprint(input_path)}
    if resuming and partial_path(output).exists():
        if not kept.is_file():
            return
        try:
            before = json.loads(kept.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            before = None
        if not isinstance(before, dict) or before.get("fingerprint") != now["fingerprint"]:
            was = before.get("input") if isinstance(before, dict) else "another input"
            raise BatchUsageError(
                f"{partial_path(output)} was written from {was}, and {input_path} is not that "
                "input as it was (its content differs); resume with the original input, or "
                "delete the partial output to start over"
            )
        return
    kept.write_text(json.dumps(now, ensure_ascii=False) + "\n", encoding="utf-8")


def forget(output: Path) -> None:
    """Drop the fingerprint once the output is complete."""
    fingerprint_path(output).unlink(missing_ok=True)
