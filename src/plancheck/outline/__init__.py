"""The strategy outline: what a classified text states, element by element, and the questions
the client must answer to complete it, as Markdown or as a Word document.

::

    from plancheck import build_outline, load_model, outline_docx, outline_markdown

    outline = build_outline(load_model().classify(text))
    Path("outline.docx").write_bytes(outline_docx(outline))

:mod:`.build` makes the content (in the text's language); :mod:`.markdown` and :mod:`.word`
only write it.
"""

from __future__ import annotations

from .build import ElementPart, Outline, build_outline, outline_texts
from .markdown import outline_markdown
from .word import MEDIA_TYPE as DOCX_MEDIA_TYPE
from .word import outline_docx

#: Output formats and their media types and file suffixes (CLI and API share them).
FORMATS: dict[str, tuple[str, str]] = {
    "docx": (DOCX_MEDIA_TYPE, ".docx"),
    "markdown": ("text/markdown; charset=utf-8", ".md"),
}


def render_outline(outline: Outline, fmt: str) -> bytes:
    """The outline as the bytes of a ``docx`` or ``markdown`` file (``FORMATS``' keys)."""
    if fmt == "docx":
        return outline_docx(outline)
    if fmt == "markdown":
        return outline_markdown(outline).encode("utf-8")
    raise ValueError(f"unknown outline format {fmt!r}; use one of: {', '.join(FORMATS)}")


__all__ = [
    "DOCX_MEDIA_TYPE",
    "FORMATS",
    "ElementPart",
    "Outline",
    "build_outline",
    "outline_docx",
    "outline_markdown",
    "outline_texts",
    "render_outline",
]
