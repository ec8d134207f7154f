"""Lines that the page layout wrapped inside a paragraph, joined back."""

from __future__ import annotations

import re

# A line that ends a sentence or introduces a list, and a line that starts a list item.
_ENDS_SENTENCE = re.compile(r"[.!?؟:;۔…»\"')\]]\s*$")
_STARTS_ITEM = re.compile(r"^\s*(?:[-–•▪*●◦]|\(?[0-9٠-٩]{1,3}[.)\-]|[a-zA-Z][.)])\s")
#: A line at least this share of the page's longest line was wrapped by the layout.
WRAPPED_SHARE = 0.6


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
            and len(previous.strip()) >= WRAPPED_SHARE * longest
            and not _ENDS_SENTENCE.search(previous)
            and not _STARTS_ITEM.match(line)
        ):
            out[-1] = previous.rstrip() + " " + line.strip()
        else:
            out.append(line)
    return "\n".join(out)
