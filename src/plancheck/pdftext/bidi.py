"""Arabic lines of a PDF page from visual order back to logical order."""

from __future__ import annotations

import re

from .wrap import WRAPPED_SHARE

ARABIC_LETTER = re.compile(r"[\u0621-\u064A\u0671-\u06D3\uFB50-\uFDFF\uFE70-\uFEFC]")
_SPACES = re.compile(r"[ \t]{2,}")

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


def logical_line(line: str, base: str) -> str:
    # The top-level get_display does not mirror brackets (python-bidi 0.6): right here, as
    # LibreOffice maps a mirrored glyph to the character typed, not to its mirror image.
    from bidi import get_display  # only for Arabic pages

    line = _SPACES.sub(" ", line).strip()
    if not ARABIC_LETTER.search(line):
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
        if not ARABIC_LETTER.search(line):
            told.append(None)
        elif indent >= _RIGHT_ALIGNED_INDENT * width:
            told.append("R")
        elif end < WRAPPED_SHARE * width:
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
