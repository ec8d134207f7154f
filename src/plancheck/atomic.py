"""Files that exist only complete: written under a temporary name beside the target, then
renamed onto it, so a crash or a reader never sees half a file."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


@contextmanager
def atomic_path(path: Path) -> Iterator[Path]:
    """A temporary path in ``path``'s folder, renamed onto ``path`` when the block succeeds.

    The temporary name ends in ``.tmp`` (a folder's leftovers can be swept with
    ``glob("*.tmp")``); the file is made readable by all, as a plainly created file is.
    """
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    os.close(fd)
    yield Path(tmp)
    # mkstemp makes 0600 files: a server running under another account could not read them.
    os.chmod(tmp, 0o644)
    os.replace(tmp, path)


def atomic_write(path: Path, data: str) -> None:
    """Write ``data`` (UTF-8) to ``path`` atomically."""
    with atomic_path(path) as tmp:
        tmp.write_text(data, encoding="utf-8")
