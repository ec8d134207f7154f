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

from .errors import UnreadableDocumentError

if TYPE_CHECKING:
    from pypdf import PageObject
    from pypdf.generic import DictionaryObject


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


_ARABIC_LETTER = re.compile(r"[\u0621-\u064A\u0671-\u06D3\uFB50-\uFDFF\uFE70-\uFEFC]")
_SPACES = re.compile(r"[ \t]{2,}")


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
    in logical order does not turn خلال into خالل (see :func:`_ligatures_for_visual_order`).
    """
    text: str = page.extract_text() or ""
    if not _ARABIC_LETTER.search(text):
        return text
    try:
        with _ligatures_for_visual_order(page):
            visual: str = page.extract_text(extraction_mode="layout") or ""
    except Exception:  # layout mode fails on some odd PDFs: keep pypdf's default reading
        return text
    lines = visual.split("\n")
    logical = [
        _logical(line, base) for line, base in zip(lines, line_directions(lines), strict=True)
    ]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(logical))


# A right-to-left mark (bidi type R) glues to an Arabic run what visual order left at its
# left edge: a mark drawn on the run's last letter (the tanwin of شهرياً), or, in a
# left-to-right line, the comma that ends a wrapped line (``،جتنملا``). Alone there they are
# neutral and would stay where they are instead of moving with the run.
_RLM = "\u200f"
_ALM = "\u061c"
_LONE_MARK = re.compile(
    r"(?<![\u0621-\u064A\u0671-\u06D3\u064B-\u0652\u0670])(?=[\u064B-\u0652\u0670])"
)
_LEADING_PUNCTUATION = re.compile(r"^(?=[،؛؟.:!,;][\u0621-\u064A])")


def _logical(line: str, base: str) -> str:
    # The top-level get_display does not mirror brackets (python-bidi 0.6): right here, as
    # LibreOffice maps a mirrored glyph to the character typed, not to its mirror image.
    from bidi import get_display  # only for Arabic pages

    line = _SPACES.sub(" ", line).strip()
    if not _ARABIC_LETTER.search(line):
        return line
    line = _LONE_MARK.sub(_RLM, line)
    if base == "L":
        line = _LEADING_PUNCTUATION.sub(_RLM, line)
    else:
        # In the written line a number after Arabic letters is an Arabic number, and a range
        # of two (2026-2027) is two runs drawn right to left: 2027-2026. Read back from the
        # visual line, the first number has no Arabic letter before it and would stay one
        # left-to-right run. An Arabic letter mark (bidi type AL) at the start restores the
        # written context.
        line = _ALM + line
    return str(get_display(line, base_dir=base)).replace(_RLM, "").replace(_ALM, "")


# --- a line's paragraph direction ----------------------------------------------------------

#: A line indented by at least this share of the page's widest line is right-aligned.
_RIGHT_ALIGNED_INDENT = 0.1
# Sentence-final punctuation beside an Arabic letter at a visual line's left or right end.
_ENDS_AT_LEFT = re.compile(r"^\s*[.:!؟][\u0621-\u064A]")
_ENDS_AT_RIGHT = re.compile(r"[\u0621-\u064A\u064B-\u0652][.:!؟]\s*$")


def line_directions(lines: list[str]) -> list[str]:
    """Each layout-mode line's paragraph direction: ``"R"`` (right-to-left) or ``"L"``.

    A right-to-left paragraph (Arabic in Word or LibreOffice) is right-aligned; Arabic typed
    into a left-to-right paragraph (a .txt opened in LibreOffice, an English template) is
    left-aligned, and the bidi algorithm must then keep its runs left to right. A line tells
    its direction when it is indented (right-aligned: R), short and flush left (L), or ends
    a sentence at one side (``.أشهر`` R, ``أشهر.`` L). A full line tells nothing: it takes
    the direction of the next line that tells (a paragraph's last line is short), else the
    previous one, within the same block of lines; else R.
    """
    filled = [line for line in lines if line.strip()]
    if not filled:
        return ["R"] * len(lines)
    left = min(len(line) - len(line.lstrip()) for line in filled)
    width = max(len(line.rstrip()) for line in filled) - left
    told: list[str | None] = []
    for line in lines:
        indent = len(line) - len(line.lstrip()) - left
        end = len(line.rstrip()) - left
        if not _ARABIC_LETTER.search(line):
            told.append(None)
        elif indent >= _RIGHT_ALIGNED_INDENT * width:
            told.append("R")
        elif end < _WRAPPED_SHARE * width:
            told.append("L")
        elif _ENDS_AT_LEFT.search(line):
            told.append("R")
        elif _ENDS_AT_RIGHT.search(line):
            told.append("L")
        else:
            told.append(None)
    return [told[k] or _neighbour(lines, told, k) or "R" for k in range(len(lines))]


def _neighbour(lines: list[str], told: list[str | None], k: int) -> str | None:
    """The direction told by the nearest line after ``k`` (else before) in its block."""
    for step in (1, -1):
        j = k + step
        while 0 <= j < len(lines) and lines[j].strip():
            if told[j]:
                return told[j]
            j += step
    return None


# --- ligatures in visual order -------------------------------------------------------------

# A ToUnicode destination after its source code: ``<29> <06440623>`` (bfchar) or the last
# value of a bfrange. Two or more UTF-16 units: a ligature's letters.
_CMAP_DESTINATION = re.compile(rb"(>\s*)<([0-9A-Fa-f]{8,})>")
_ARABIC_LETTERS = re.compile(r"[\u0621-\u064A\u0671-\u06D3]+")


def _swap_ligature(match: re.Match[bytes]) -> bytes:
    try:
        letters = bytes.fromhex(match.group(2).decode("ascii")).decode("utf-16-be")
    except (ValueError, UnicodeDecodeError):
        return match.group()
    if len(letters) < 2 or not _ARABIC_LETTERS.fullmatch(letters):
        return match.group()
    return match.group(1) + b"<" + letters[::-1].encode("utf-16-be").hex().upper().encode() + b">"


def reverse_ligatures(cmap: bytes) -> bytes:
    """A ToUnicode CMap whose Arabic ligatures map to their letters in reverse order."""
    return _CMAP_DESTINATION.sub(_swap_ligature, cmap)


@contextmanager
def _ligatures_for_visual_order(page: PageObject) -> Iterator[None]:
    """While the block runs, the page's fonts map each Arabic ligature to reversed letters.

    LibreOffice maps the lam-alef glyph to ل then ا (logical order). In a line of glyphs in
    visual order that pair reads ``لا``, and reversing the line turns it into ``ال``: خلال
    became خالل, الأهداف became األهداف. With the pair stored reversed, the reversal gives
    the letters back in order. Only this reading sees the change (the fonts are restored).
    """
    from pypdf.generic import DecodedStreamObject, NameObject

    swapped: list[tuple[DictionaryObject, object]] = []
    try:
        for font in _page_fonts(page):
            original = font.get("/ToUnicode")
            if original is None:
                continue
            cmap = original.get_object().get_data()
            reversed_cmap = reverse_ligatures(cmap)
            if reversed_cmap != cmap:
                stream = DecodedStreamObject()
                stream.set_data(reversed_cmap)
                swapped.append((font, original))
                font[NameObject("/ToUnicode")] = stream
    except Exception:  # a damaged font: read as is
        pass
    try:
        yield
    finally:
        for font, original in swapped:
            font[NameObject("/ToUnicode")] = original


def _page_fonts(page: PageObject) -> Iterator[DictionaryObject]:
    """The font dictionaries of the page's resources (its own, else inherited)."""
    from pypdf.generic import DictionaryObject

    node: object = page
    for _ in range(32):  # a /Parent chain longer than this is broken (or a loop)
        if not isinstance(node, DictionaryObject):
            return
        resources = node.get("/Resources")
        resources = resources.get_object() if resources is not None else None
        if isinstance(resources, DictionaryObject) and "/Font" in resources:
            fonts = resources["/Font"].get_object()
            if isinstance(fonts, DictionaryObject):
                for font in fonts.values():
                    font = font.get_object()
                    if isinstance(font, DictionaryObject):
                        yield font
            return
        parent = node.get("/Parent")
        node = parent.get_object() if parent is not None else None


# A line that ends a sentence or introduces a list, and a line that starts a list item.
_ENDS_SENTENCE = re.compile(r"[.!?؟:;۔…»\"')\]]\s*$")
_STARTS_ITEM = re.compile(r"^\s*(?:[-–•▪*●◦]|\(?[0-9٠-٩]{1,3}[.)\-]|[a-zA-Z][.)])\s")
#: A line at least this share of the page's longest line was wrapped by the layout.
_WRAPPED_SHARE = 0.6


def join_wrapped_lines(page: str) -> str:
    """Join the lines of a page that the layout wrapped inside a paragraph.

    A PDF has no paragraphs, only lines: a sentence wrapped over two lines came out as two
    "sentences" and evidence showed fragments. A line is joined to the next when it is long
    (wrapped at the margin, not a heading), does not end a sentence, and the next line is
    text (not blank, not a list item).
    """
    lines = page.split("\n")
    longest = max((len(line.strip()) for line in lines), default=0)
    out: list[str] = []
    for line in lines:
        previous = out[-1] if out else ""
        if (
            previous.strip()
            and line.strip()
            and len(previous.strip()) >= _WRAPPED_SHARE * longest
            and not _ENDS_SENTENCE.search(previous)
            and not _STARTS_ITEM.match(line)
        ):
            out[-1] = previous.rstrip() + " " + line.strip()
        else:
            out.append(line)
    return "\n".join(out)
