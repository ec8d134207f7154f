"""An outline as Markdown: headings, quoted evidence, questions as bullets."""

from __future__ import annotations

import re

from .build import Outline

# Characters that would start Markdown syntax at the beginning of a quoted line.
_LEADING_MARKUP = re.compile(r"^([#>*+\-]|\d+[.)])\s")


def _escape(line: str) -> str:
    """A sentence from the client's text, kept from turning into a heading or a list item."""
    return "\\" + line if _LEADING_MARKUP.match(line) else line


def outline_markdown(outline: Outline) -> str:
    """The outline as Markdown (UTF-8 text, one ``##`` heading per element).

    A Markdown viewer sets each paragraph's direction from its first letter, so an Arabic
    outline reads right to left and an English quote inside it left to right.
    """
    lines = [f"# {outline.title}", "", f"**{outline.verdict}**", ""]
    if outline.summary:
        lines += [outline.summary, ""]
    if outline.note:
        lines += [outline.note, ""]
    if outline.placement_title:
        lines += [f"## {outline.placement_title}", ""]
        lines += [*(f"- {line}" for line in outline.placement), ""]
    if outline.checklist_title:
        lines += [f"## {outline.checklist_title}", ""]
    for part in outline.parts:
        lines += [f"### {part.heading}", "", f"*{part.lead}*", ""]
        if part.present:
            for sentence in part.evidence:
                lines += [f"> {_escape(sentence)}", ""]
        else:
            lines += [*(f"- {q}" for q in part.questions), ""]
    lines += ["---", "", f"*{outline.footer}*", ""]
    if outline.model_version:
        lines += [f"<!-- plancheck model {outline.model_version} -->", ""]
    return "\n".join(lines)
