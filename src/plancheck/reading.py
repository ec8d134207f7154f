"""Turn an uploaded document (.txt, .md, .docx, .pdf) into plain text.

Shared by the API's file upload and the batch command, so a document reads the same
everywhere. Every failure is an :class:`~plancheck.errors.UnreadableDocumentError` whose
message says what is wrong and what the user can do; two subclasses let callers tell an
unsupported file type and a document without text apart from a corrupt file.
"""

from __future__ import annotations

import codecs
import io
import re
import zipfile
from pathlib import PureWindowsPath
from typing import TYPE_CHECKING

from .errors import NoTextError, UnreadableDocumentError, UnsupportedDocumentTypeError
from .pdftext import read_pdf
from .safezip import Deadline, safe_copy

if TYPE_CHECKING:
    from docx.table import Table

#: File extensions :func:`read_document` understands (lower case, with the dot).
SUPPORTED_EXTENSIONS: tuple[str, ...] = (".txt", ".md", ".docx", ".pdf")

#: Share of a Windows-1256 decoding that must be Arabic letters, ASCII or common marks for
#: the guess to be trusted (cp1256 maps nearly every byte, so decoding alone proves nothing).
_CP1256_MIN_PLAUSIBLE = 0.95


def read_document(data: bytes, filename: str) -> str:
    """Extract the text of a document so it can be classified.

    The type is decided by the file name's extension (what users see and pick), and the
    content is then checked to really be of that type.

    Args:
        data: The file's bytes.
        filename: The file's name as uploaded; only its extension is used. Windows paths
            (``C:\\plans\\plan.docx``) are understood.

    Returns:
        The document's text: paragraphs and table rows on their own lines, line endings
        normalised to ``\\n``.

    Raises:
        UnsupportedDocumentTypeError: the extension is not supported.
        NoTextError: the document has no extractable text (e.g. a scanned PDF).
        UnreadableDocumentError: the file is corrupt, not what its extension says, or its
            text encoding cannot be determined.
    """
    ext = extension(filename)
    if ext not in SUPPORTED_EXTENSIONS:
        shown = ext or "no extension"
        raise UnsupportedDocumentTypeError(
            f"Unsupported file type ({shown}). Upload one of: {', '.join(SUPPORTED_EXTENSIONS)}."
        )
    if ext in (".txt", ".md"):
        text = decode_text(data)
    elif ext == ".docx":
        text = _read_docx(data)
    else:
        text = read_pdf(data)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        if ext == ".pdf":
            raise NoTextError(
                "The PDF has no extractable text (it may be a scan or an image). "
                "Paste the text instead, or upload a PDF with a text layer."
            )
        raise NoTextError(f"The {ext} file contains no text.")
    return text


def extension(filename: str) -> str:
    """The lower-case extension of ``filename`` (``""`` when it has none)."""
    return PureWindowsPath(filename or "").suffix.lower()


# --- plain text ----------------------------------------------------------------------

_BOMS: tuple[tuple[bytes, str], ...] = (
    # UTF-32 before UTF-16: the UTF-32-LE BOM starts with the UTF-16-LE one.
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
# Control characters that never appear in real text (tab, newlines and form feed do).
_BAD_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")
_ARABIC_OR_COMMON = re.compile(
    r"[\u0600-\u06FF\u0750-\u077F\x20-\x7E\s\u00A0\u200C-\u200F\u2013-\u2026\u00AB\u00BB]"
)


def decode_text(data: bytes) -> str:
    """Decode a plain-text file, trying encodings in a fixed, tested order.

    Order: a byte-order mark (UTF-8, UTF-16, UTF-32) decides; else strict UTF-8; else
    Windows-1256 (the usual Arabic Windows encoding) when the result is plausibly Arabic or
    ASCII text; else charset-normalizer's best guess when it is clean. Anything else is
    refused rather than turned into mojibake.

    Raises:
        UnreadableDocumentError: no encoding gives clean text.
    """
    for bom, codec in _BOMS:
        if data.startswith(bom):
            try:
                text = data.decode(codec)
            except UnicodeDecodeError as exc:
                raise UnreadableDocumentError(
                    f"The file starts with a {codec.upper()} byte-order mark but is not valid "
                    f"{codec.upper()} text ({exc.reason} at byte {exc.start}). Save it again "
                    "as UTF-8."
                ) from None
            return text.removeprefix("\ufeff")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    if b"\x00" not in data:
        text = data.decode("cp1256", errors="replace")
        if "\ufffd" not in text and _plausible_cp1256(text):
            return text
    guess = _charset_normalizer_guess(data)
    if guess is not None:
        return guess
    raise UnreadableDocumentError(
        "Could not determine the text encoding (tried UTF-8, UTF-16 with BOM and "
        "Windows-1256 Arabic). Save the file as UTF-8 and upload it again."
    )


def _plausible_cp1256(text: str) -> bool:
    if not text or _BAD_CONTROL.search(text):
        return False
    ok = len(_ARABIC_OR_COMMON.findall(text))
    return ok / len(text) >= _CP1256_MIN_PLAUSIBLE


def _charset_normalizer_guess(data: bytes) -> str | None:
    try:
        from charset_normalizer import from_bytes  # kept optional: see the except
    except ImportError:  # optional: the explicit trials above cover the common cases
        return None
    best = from_bytes(data).best()
    if best is None:
        return None
    text = str(best)
    if _BAD_CONTROL.search(text) or "\ufffd" in text:
        return None
    return text


# --- .docx ---------------------------------------------------------------------------


def _read_docx(data: bytes) -> str:
    """The text of a .docx, read from an honest copy made within :mod:`.safezip`'s limits."""
    not_docx = (
        "The file is not a valid Word document (.docx). If it is an old .doc file, save it "
        "as .docx; otherwise check that the file is not damaged."
    )
    deadline = Deadline()
    try:
        safe = safe_copy(data, deadline)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, OSError, ValueError) as exc:
        if isinstance(exc, UnreadableDocumentError):
            raise
        raise UnreadableDocumentError(not_docx) from None
    try:
        import docx  # heavy (~0.2 s): loaded on the first .docx, not at API start-up
        from docx.table import Table

        document = docx.Document(io.BytesIO(safe))
        lines: list[str] = []
        for block in document.iter_inner_content():
            deadline.check()
            if isinstance(block, Table):
                _table_lines(block, lines, Table, deadline)
            else:
                lines.append(block.text)
    except UnreadableDocumentError:
        raise
    except Exception as exc:  # python-docx raises many types (KeyError, lxml errors, ...)
        raise UnreadableDocumentError(f"{not_docx} ({type(exc).__name__})") from None
    return "\n".join(lines)


def _table_lines(
    table: Table, lines: list[str], table_type: type[Table], deadline: Deadline
) -> None:
    """One line per table row (cells joined by `` | ``); nested tables follow their row."""
    for row in table.rows:
        deadline.check()
        cells: list[str] = []
        nested: list[Table] = []
        seen: set[int] = set()
        for cell in row.cells:
            if id(cell._tc) in seen:  # a merged cell is returned once per grid column
                continue
            seen.add(id(cell._tc))
            parts = []
            for block in cell.iter_inner_content():
                if isinstance(block, table_type):
                    nested.append(block)
                elif block.text.strip():
                    parts.append(block.text.strip())
            if parts:
                cells.append(" ".join(parts))
        if cells:
            lines.append(" | ".join(cells))
        for inner in nested:
            _table_lines(inner, lines, table_type, deadline)
