"""The partial output every sink writes: ``OUTPUT.partial`` while a run goes on, OUTPUT when
it is done, and the records an interrupted run already wrote."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any, NamedTuple

from .outputs import PARTIAL_SUFFIX


def partial_path(output: Path) -> Path:
    return output.with_name(output.name + PARTIAL_SUFFIX)


class KeptRecord(NamedTuple):
    """A record already in the partial output: its id and what the summary needs."""

    id: Any
    label: str | None
    language: str | None
    missing: list[str]
    error: str | None


class Sink:
    """Writes chunks to ``OUTPUT.partial`` in order, renames it to OUTPUT when done."""

    def __init__(self, output: Path):
        self.output = output
        self.partial = partial_path(output)

    def exists(self) -> bool:
        return self.partial.exists()

    def start(self, resume: bool) -> int:
        """Open the partial output; with ``resume`` keep complete records and return their count."""
        raise NotImplementedError

    def kept(self) -> Iterator[KeptRecord]:
        """The records kept by :meth:`start`, in order."""
        raise NotImplementedError

    def write(self, payload: Any) -> None:
        raise NotImplementedError

    def close(self) -> None:
        """Flush and close; the partial output stays (for ``--resume``)."""

    def commit(self) -> None:
        """Close and atomically move the finished output into place."""
        raise NotImplementedError


def remove(path: Path) -> None:
    if path.is_dir():
        shutil.rmtree(path)
    elif path.exists():
        path.unlink()
