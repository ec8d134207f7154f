"""PDF to text with pypdf: quiet warnings, Arabic lines in logical order, wrapped lines
joined. ``read`` reads a PDF; ``bidi``, ``ligatures`` and ``wrap`` fix what its layout left."""

from .bidi import line_directions
from .ligatures import reverse_ligatures
from .read import pypdf_warnings, read_pdf
from .wrap import join_wrapped_lines

__all__ = [
    "join_wrapped_lines",
    "line_directions",
    "pypdf_warnings",
    "read_pdf",
    "reverse_ligatures",
]
