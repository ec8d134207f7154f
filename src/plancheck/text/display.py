"""Arabic for a display that does not shape it: letters joined and put in visual order.

Terminals and matplotlib before 3.11 draw Arabic letters unjoined and left to right; the CLI
(:mod:`plancheck.render`) and the report plots (:mod:`plancheck.report`) pass it through here.
Not imported by :mod:`plancheck.text` itself, so serving never loads the reshaper.
"""

from __future__ import annotations

import arabic_reshaper
from bidi.algorithm import get_display  # mirrors brackets; bidi.get_display does not


def has_arabic(text: str) -> bool:
    """Whether ``text`` has a character of the Arabic block (U+0600–U+06FF)."""
    return any("\u0600" <= ch <= "\u06ff" for ch in text)


def visual_order(text: str) -> str:
    """``text`` with Arabic letters in their joined forms, in display (bidi) order."""
    return str(get_display(arabic_reshaper.reshape(text)))
