"""Arabic ligatures (lam-alef) in fonts read in visual order: letters swapped first."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pypdf import PageObject
    from pypdf.generic import DictionaryObject

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
def ligatures_for_visual_order(page: PageObject) -> Iterator[None]:
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
