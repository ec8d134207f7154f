"""A folder input: its documents listed, and each read with a byte cap, regular files only.

A folder is untrusted as much as an upload: a FIFO named ``plan.txt`` would block a reader
for ever, a symlink to ``/dev/zero`` would feed it without end, a symlink may lead out of
the folder and a symlinked subfolder may lead back into it (a loop). Symlinks are therefore
never followed: each one met gets a ``symlink_not_followed`` record, and a FIFO, device or
socket, or a subfolder that cannot be listed, an ``unreadable_document`` record (the run goes
on); nothing is skipped silently except hidden files and folders, and regular files of a type
plancheck does not read.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path

from ..errors import DocumentTooLargeError, UnreadableDocumentError
from ..reading import SUPPORTED_EXTENSIONS
from .doc import Doc, chunked

#: A file in a folder input larger than this is an error record; at most this + 1 is read.
MAX_FILE_BYTES = 64 * 1024 * 1024

UNREADABLE = UnreadableDocumentError.code
#: The error code of a symlink met in a folder input (files and folders alike).
SYMLINK_NOT_FOLLOWED = "symlink_not_followed"


def _kind(mode: int) -> str:
    for test, name in (
        (stat.S_ISFIFO, "a FIFO"),
        (stat.S_ISCHR, "a character device"),
        (stat.S_ISBLK, "a block device"),
        (stat.S_ISSOCK, "a socket"),
        (stat.S_ISDIR, "a folder"),
    ):
        if test(mode):
            return name
    return "not a regular file"


def not_regular(mode: int) -> str:
    return f"{_kind(mode)}, not a regular file; only regular files are read"


def scan(root: Path) -> Iterator[Doc]:
    """The folder's supported documents as :class:`Doc` (sorted by relative path).

    A document is ``Doc(rel, path=…)``. Every symlink (to a file or a folder, inside or
    outside ``root``, broken or looping, whatever its name) is ``Doc(rel, error=…,
    code="symlink_not_followed")`` and is not followed; a FIFO, device or socket, or a
    subfolder that cannot be listed, is ``Doc(rel, error=…)``. Hidden files and folders are
    left out.
    """
    found: list[Doc] = []
    _scan_into(root, "", found)
    return iter(sorted(found, key=lambda d: str(d.id)))


def _scan_into(folder: Path, prefix: str, found: list[Doc]) -> None:
    try:
        with os.scandir(folder) as it:
            entries = list(it)
    except OSError as e:
        shown = prefix or "."
        message = f"cannot list the folder {shown}: {e.strerror or e}"
        found.append(Doc(shown, error=message, code=UNREADABLE))
        return
    for entry in entries:
        if entry.name.startswith("."):
            continue
        rel = prefix + entry.name
        try:
            if entry.is_symlink():
                found.append(_symlink_doc(entry, rel))
                continue
            if entry.is_dir(follow_symlinks=False):
                _scan_into(Path(entry.path), rel + "/", found)
                continue
        except OSError:
            pass
        if Path(entry.name).suffix.lower() in SUPPORTED_EXTENSIONS:
            found.append(_file_doc(entry, rel))


def _symlink_doc(entry: os.DirEntry[str], rel: str) -> Doc:
    """The record of a symlink: where it points (as written in the link), never followed."""
    try:
        target = f" to {os.readlink(entry.path)}"
    except OSError:
        target = ""
    message = (
        f"a symbolic link{target}; links are not followed in a folder input, so nothing "
        "outside the folder is read — copy the files in, or give the link's target as the input"
    )
    return Doc(rel, error=message, code=SYMLINK_NOT_FOLLOWED)


def _file_doc(entry: os.DirEntry[str], rel: str) -> Doc:
    try:
        mode = os.stat(entry.path, follow_symlinks=False).st_mode
    except OSError as e:
        message = f"cannot read the file: {e.strerror or e}"
        return Doc(rel, error=message, code=UNREADABLE)
    if not stat.S_ISREG(mode):
        return Doc(rel, error=not_regular(mode), code=UNREADABLE)
    return Doc(rel, path=entry.path)


def list_documents(root: Path) -> list[str]:
    """Relative paths (forward slashes, sorted) of the folder's entries, errors included."""
    return [str(d.id) for d in scan(root)]


def iter_folder(root: Path, chunk_size: int) -> Iterator[list[Doc]]:
    """Chunks of the folder's documents; each is read later, by the worker."""
    return chunked(scan(root), chunk_size)


def read_file(path: Path, limit: int | None = None) -> bytes:
    """A document's bytes: a regular file only, at most ``limit`` bytes read (+1 to tell).

    Opened without blocking (a FIFO swapped in after listing cannot hang the worker), without
    following a symlink swapped in for the file, and checked with ``fstat`` on the open file,
    so a device or FIFO is never read.
    """
    limit = MAX_FILE_BYTES if limit is None else limit
    shown = f"{limit / 2**20:.0f} MB" if limit >= 2**20 else f"{limit:,} bytes"
    too_large = DocumentTooLargeError(f"the file is larger than {shown}, the maximum; not read")
    try:
        fd = os.open(
            path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOFOLLOW", 0)
        )
    except OSError as e:
        raise UnreadableDocumentError(f"cannot read the file: {e.strerror or e}") from None
    with os.fdopen(fd, "rb") as fh:
        try:
            info = os.fstat(fd)
            if not stat.S_ISREG(info.st_mode):
                raise UnreadableDocumentError(not_regular(info.st_mode))
            if info.st_size > limit:
                raise too_large
            data = fh.read(limit + 1)
        except OSError as e:
            raise UnreadableDocumentError(f"cannot read the file: {e.strerror or e}") from None
    if len(data) > limit:
        raise too_large
    return data
