"""Text structure the element detector reads: which heading a bullet sits under, and the clauses of a sentence that lists several things."""

from __future__ import annotations

import re

_HEADING_END = re.compile(r"[:：]\s*$")


_SENTENCE_END = re.compile(r"[.!?؟…]\s*$")


_LIST_START = re.compile(r"^\s*(?:[•\-\*–—▪●◦·■➢➤✓>]|\(?[0-9٠-٩]{1,2}[.)\-])")


#: A heading governs at most this many following sentences.
_HEADING_REACH = 15


def _whole_line(text: str, a: int, b: int) -> bool:
    left = text.rfind("\n", 0, a) + 1
    right = text.find("\n", b)
    right = len(text) if right == -1 else right
    return not _strip_marker(text[left:a]).strip() and not text[b:right].strip()


def _strip_marker(s: str) -> str:
    return _LIST_START.sub("", s)


def heading_of(text: str, spans: list[tuple[int, int]]) -> list[int]:
    """Per sentence, the index of the heading it sits under (-1 for none).

    A heading is a short whole line (≤ 7 words) that ends with a colon, or that is followed
    by a list item, and is not itself a sentence. It governs the sentences after it until
    the next heading, for at most ``_HEADING_REACH`` sentences.
    """
    out = [-1] * len(spans)
    current, since = -1, 0
    for k, (a, b) in enumerate(spans):
        s = text[a:b]
        nxt = text[spans[k + 1][0] : spans[k + 1][1]] if k + 1 < len(spans) else ""
        short = len(s.split()) <= 7 and not _SENTENCE_END.search(s)
        if (
            short
            and _whole_line(text, a, b)
            and (_HEADING_END.search(s) or (_LIST_START.match(nxt) and not _LIST_START.match(s)))
        ):
            current, since = k, 0
            continue
        since += 1
        if current >= 0 and since <= _HEADING_REACH:
            out[k] = current
    return out


_CLAUSE_CUT = re.compile(r"\s*[,;:]\s+|\s+-\s+")


#: A clause needs this many words to be scored on its own.
_CLAUSE_MIN_WORDS = 3


def split_clauses(sentences: list[str]) -> tuple[list[str], list[int]]:
    """Clauses of normalised sentences that list several things, with their sentence index.

    "grow leads by 30%, speak to SME owners in Dubai, review the plan every six months"
    states three elements in one sentence; scored whole, each part is diluted by the others.
    Only sentences with at least two clauses of ``_CLAUSE_MIN_WORDS`` words are cut.
    """
    out: list[str] = []
    owner: list[int] = []
    for i, s in enumerate(sentences):
        if not ("," in s or ";" in s or ":" in s or "-" in s):
            continue  # nothing to cut at (cheaper than the regex, which finds no cut)
        parts = [p for p in _CLAUSE_CUT.split(s) if len(p.split()) >= _CLAUSE_MIN_WORDS]
        if len(parts) >= 2:
            out.extend(parts)
            owner.extend([i] * len(parts))
    return out, owner
