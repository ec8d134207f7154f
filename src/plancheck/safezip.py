"""Inflate an untrusted zip (a .docx) with hard limits on what is really read.

A zip header's sizes are the attacker's word: ``zipfile`` inflates a whole member in one
call when asked for all of it (a member declaring 1 KB can still inflate 1.5 GB in memory
before the size check fails). Here every member is streamed in small reads with a running
byte cap, so memory stays within the cap whatever the headers say; the XML parts are also
capped in tag count (an XML tree costs ~100 bytes per element) and refused when they
declare a DOCTYPE (entity tricks; Word never writes one).
"""

from __future__ import annotations

import io
import struct
import time
import zipfile
import zlib
from collections.abc import Iterator

from .errors import DocumentTooLargeError, UnreadableDocumentError

#: Most bytes all XML parts of one document may inflate to together.
MAX_XML_BYTES = 16 * 1024 * 1024
#: Most XML tags (``<``) in all parts together: bounds the parsed tree's memory.
MAX_XML_TAGS = 300_000
#: Most members one zip may list (a central directory of millions costs memory too).
MAX_MEMBERS = 2_000
#: Seconds one document may take to inflate and read (checked between steps).
MAX_SECONDS = 5.0

_READ_SIZE = 64 * 1024
_LOCAL_HEADER = struct.Struct("<4s5H3I2H")
_XML_SUFFIXES = (".xml", ".rels")


def is_xml_part(name: str) -> bool:
    """Parts holding text or structure; media (images, fonts) are never inflated."""
    return name.lower().endswith(_XML_SUFFIXES)


class Deadline:
    """A wall-clock budget; :meth:`check` refuses once it is spent."""

    def __init__(self, seconds: float | None = None) -> None:
        self.seconds = MAX_SECONDS if seconds is None else seconds
        self.end = time.monotonic() + self.seconds

    def check(self) -> None:
        if time.monotonic() > self.end:
            raise DocumentTooLargeError(
                f"The document takes more than {self.seconds:g} s to read; refusing it. "
                "Paste its text instead."
            )


def too_large(what: str) -> DocumentTooLargeError:
    return DocumentTooLargeError(
        f"The document {what}; refusing to read it. Paste its text instead, or split it."
    )


def read_member(data: bytes, info: zipfile.ZipInfo, budget: int, deadline: Deadline) -> bytes:
    """One member's bytes, inflated here in small pieces with a running cap.

    The cap is the smaller of ``budget`` and the member's declared size: a member that
    inflates past what its header declares is refused as soon as it does, without trusting
    ``zipfile`` (which inflates a whole member in one call and only then truncates it).
    """
    if info.flag_bits & 0x1:
        raise UnreadableDocumentError("The document is encrypted; save it without a password.")
    start = _data_offset(data, info)
    raw = memoryview(data)[start : start + info.compress_size]
    if len(raw) < info.compress_size:
        raise zipfile.BadZipFile("member data runs past the end of the file")
    if info.compress_type == zipfile.ZIP_STORED:
        pieces: Iterator[bytes] = (
            bytes(raw[k : k + _READ_SIZE]) for k in range(0, len(raw), _READ_SIZE)
        )
    elif info.compress_type == zipfile.ZIP_DEFLATED:
        pieces = _inflate(raw)
    else:
        raise UnreadableDocumentError("The document uses an unsupported zip compression.")
    out = bytearray()
    for piece in pieces:
        out += piece
        if len(out) > budget:
            raise too_large(f"expands to more than {MAX_XML_BYTES // 2**20} MB of XML")
        if len(out) > info.file_size:
            raise too_large("has a part that inflates past the size its header declares")
        deadline.check()
    if len(out) != info.file_size or zlib.crc32(out) != info.CRC:
        raise zipfile.BadZipFile(f"bad size or CRC in {info.filename}")
    return bytes(out)


def _data_offset(data: bytes, info: zipfile.ZipInfo) -> int:
    """Where a member's compressed bytes start (after its local header, name and extra)."""
    at = info.header_offset
    header = data[at : at + _LOCAL_HEADER.size]
    if len(header) < _LOCAL_HEADER.size or not header.startswith(b"PK\x03\x04"):
        raise zipfile.BadZipFile("bad local file header")
    name_len, extra_len = _LOCAL_HEADER.unpack(header)[-2:]
    return at + _LOCAL_HEADER.size + int(name_len) + int(extra_len)


def _inflate(raw: memoryview) -> Iterator[bytes]:
    """Raw deflate data as pieces of at most ``_READ_SIZE`` bytes (never all at once)."""
    inflater = zlib.decompressobj(-zlib.MAX_WBITS)
    for k in range(0, len(raw), _READ_SIZE):
        chunk = bytes(raw[k : k + _READ_SIZE])
        while chunk and not inflater.eof:
            try:
                yield inflater.decompress(chunk, _READ_SIZE)
            except zlib.error as exc:
                raise zipfile.BadZipFile(f"damaged deflate data ({exc})") from None
            chunk = inflater.unconsumed_tail
        if inflater.eof:
            return


def safe_copy(data: bytes, deadline: Deadline) -> bytes:
    """A new, honest zip of the document's XML parts (media left empty), within the limits.

    Raises:
        DocumentTooLargeError: the parts inflate past :data:`MAX_XML_BYTES`, hold more than
            :data:`MAX_XML_TAGS` tags, the zip lists more than :data:`MAX_MEMBERS` members,
            or reading takes longer than the deadline.
        UnreadableDocumentError: a part declares a DOCTYPE or uses another compression.
        zipfile.BadZipFile: the zip is damaged (bad header, size or CRC).
    """
    listed = data.count(b"PK\x01\x02")  # before zipfile builds an object for each entry
    if listed > MAX_MEMBERS:
        raise too_large(f"has {listed:,} parts (the maximum is {MAX_MEMBERS:,})")
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        infos = zf.infolist()
        parts: dict[str, bytes] = {}
        used = tags = 0
        for info in infos:
            if info.is_dir() or not is_xml_part(info.filename):
                parts[info.filename] = b""
                continue
            blob = read_member(data, info, MAX_XML_BYTES - used, deadline)
            used += len(blob)
            tags += blob.count(b"<")
            if tags > MAX_XML_TAGS:
                raise too_large(f"has more than {MAX_XML_TAGS:,} XML elements")
            if b"<!DOCTYPE" in blob:
                raise UnreadableDocumentError("The document declares a DOCTYPE; Word never does.")
            parts[info.filename] = blob
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as copy:
        for name, blob in parts.items():
            copy.writestr(name, blob)
    return out.getvalue()
