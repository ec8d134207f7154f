"""PDF to text with pypdf, quietly: its warnings go into the error, never onto stderr.

pypdf logs what it repairs ("EOF marker not found") through :mod:`logging`; with no handler
configured Python prints those lines on stderr, without the file's name, even under
``plancheck classify-batch -q``. Here they are collected per thread while a PDF is read:
dropped when the PDF reads, added to the error message when it does not.
"""

from __future__ import annotations

import io
import logging
import re
import threading
import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

from ..errors import UnreadableDocumentError
from .bidi import ARABIC_LETTER, line_directions, logical_line
from .ligatures import ligatures_for_visual_order
from .wrap import join_wrapped_lines

if TYPE_CHECKING:
    from pypdf import PageObject


class _Collector(logging.Handler):
    """Keeps the warnings of the PDF being read in this thread (a few; the rest dropped)."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.local = threading.local()

    def emit(self, record: logging.LogRecord) -> None:
        bucket = getattr(self.local, "messages", None)
        if bucket is not None and len(bucket) < 3 and record.getMessage() not in bucket:
            bucket.append(record.getMessage())


_COLLECTOR = _Collector()


@contextmanager
def pypdf_warnings() -> Iterator[list[str]]:
    """The pypdf warnings logged in this thread inside the block (not printed anywhere)."""
    logger = logging.getLogger("pypdf")
    if _COLLECTOR not in logger.handlers:
        logger.addHandler(_COLLECTOR)
        logger.propagate = False  # plancheck reports them itself
    messages: list[str] = []
    _COLLECTOR.local.messages = messages
    try:
        yield messages
    finally:
        _COLLECTOR.local.messages = None


# Arabic presentation forms (what many PDF producers emit) fold to the ordinary letters.
_PRESENTATION_FORMS = re.compile(r"[\uFB50-\uFDFF\uFE70-\uFEFF]+")


def read_pdf(data: bytes) -> str:
    """The text of a PDF's pages; pypdf's warnings are kept out of stderr (see above)."""
    if b"%PDF-" not in data[:1024]:
        raise UnreadableDocumentError(
            "The file is not a PDF (it has no PDF header). Check that it is not damaged or "
            "renamed from another format."
        )
    with pypdf_warnings() as warned:
        try:
            return _extract(data)
        except UnreadableDocumentError as exc:
            if not warned:
                raise
            raise UnreadableDocumentError(
                f"{exc} pypdf: {'; '.join(m.rstrip('.') for m in warned)}."
            ) from None


def _extract(data: bytes) -> str:
    try:
        from pypdf import PdfReader  # heavy (~0.2 s): loaded on the first PDF

        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            try:
                ok: int = reader.decrypt("")
            except Exception:
                ok = 0
            if not ok:
                raise UnreadableDocumentError(
                    "The PDF is password-protected. Remove the password and upload it again."
                )
        pages = [_page_text(page) for page in reader.pages]
    except UnreadableDocumentError:
        raise
    except Exception as exc:  # pypdf raises PdfReadError, ValueError, KeyError, ...
        raise UnreadableDocumentError(
            f"The PDF could not be read; it may be damaged ({type(exc).__name__})."
        ) from None
    text = "\n\n".join(join_wrapped_lines(p.strip("\n")) for p in pages)
    return _PRESENTATION_FORMS.sub(lambda m: unicodedata.normalize("NFKC", m.group()), text)


def _page_text(page: PageObject) -> str:
    """A page's text in logical order.

    Word and LibreOffice store an Arabic line's glyphs in visual order. pypdf's default
    extraction reverses right-to-left runs but counts Arabic-Indic digits as neutral, so a
    number inside Arabic comes out reversed (٢٠٢٦ → ٦٢٠٢, ٣٠٪ → ٠٣٪) and one at a line's
    end lands at its start. A page with Arabic is therefore read in layout mode (glyphs in
    visual order, line by line) and each Arabic line is put back in logical order by the
    Unicode bidi algorithm (which keeps numbers and Latin words left to right), with the
    line's paragraph direction (see :func:`line_directions`). Ligatures such as lam-alef are
    one glyph for two letters: their letters are swapped first, so that putting the line back
    in logical order does not turn خلال into خالل (see :func:`ligatures_for_visual_order`).
    """
    text: str = page.extract_text() or ""
    if not ARABIC_LETTER.search(text):
        return text
    try:
        with ligatures_for_visual_order(page):
            visual: str = page.extract_text(extraction_mode="layout") or ""
    except Exception:  # layout mode fails on some odd PDFs: keep pypdf's default reading
        return text
    lines = visual.split("\n")
    logical = [
        logical_line(line, base) for line, base in zip(lines, line_directions(lines), strict=True)
    ]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(logical))
