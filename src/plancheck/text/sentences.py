"""Sentence spans on the original text: what evidence and explanations point at."""

from __future__ import annotations

import re

from .charclass import char_classes, runs

_DIGIT = "0-9\u0660-\u0669\u06f0-\u06f9"
# A list marker at the start of a line: bullets, "1.", "1)", "١-", the article's "1##-",
# "a)" / "أ-". It belongs to the sentence it introduces and is never a sentence end itself.
_MARKER = re.compile(
    rf"^[ \t]*(?:[•\-\*–—▪●◦·▫■□➢➤✓✔>]+|\(?[{_DIGIT}]{{1,3}}(?:##)?[\.\)\-–:](?![{_DIGIT}])"
    r"|\(?[a-zA-Z\u0621-\u064A][\)\-])[ \t]*"
)
# Sentence ends: . ! ? ؟ … ۔ (runs of them), followed by space or end of line; or a run of
# ! ? ؟ anywhere. Written as ``[.!?؟…۔]+(?=\s|$)|[!?؟]+``, but opening with one character
# class, so that the regex engine skips to candidate characters instead of trying both
# branches at every position (the same matches, half the time).
_END = re.compile(r"[.!?؟…۔](?:[.!?؟…۔]*(?=\s|$)|(?<=[!?؟])[!?؟]*)")
_ABBREV = {
    "e.g",
    "i.e",
    "etc",
    "vs",
    "mr",
    "mrs",
    "ms",
    "dr",
    "st",
    "no",
    "approx",
    "incl",
    "inc",
    "ltd",
    "co",
    "jan",
    "feb",
    "mar",
    "apr",
    "jun",
    "jul",
    "aug",
    "sep",
    "sept",
    "oct",
    "nov",
    "dec",
    "est",
    "dept",
    "min",
    "max",
    "avg",
    "fig",
    "p",
    "pp",
    "q",
    "a.m",
    "p.m",
    "u.s",
}
_INLINE_BULLET = re.compile(r"\s[•▪●◦➢➤]\s")
_BULLETS = "•▪●◦➢➤"
_WORD_BEFORE = re.compile(r"([\w.]+)$")
_LINE = re.compile(r"[^\r\n\u2028\u2029\x0b\x0c\x1c\x1d\x1e\x85]+")


def _line_spans(text: str, start: int, end: int, bullets: bool = True) -> list[tuple[int, int]]:
    """Sentence spans of one line; ``bullets=False`` when the text has no inline bullet
    character at all (the search for them is then skipped)."""
    line = text[start:end]
    m = _MARKER.match(line)
    protect = m.end() if m else 0
    cuts: list[int] = []
    for b in _INLINE_BULLET.finditer(line, protect) if bullets else ():
        cuts.append(b.start() + 1)  # the bullet starts the next sentence
    for e in _END.finditer(line, protect):
        if e.group()[0] == ".":
            # The word run before the dot has no space in it, so the search may start after
            # the last space before it (not the one just before the dot: ``$`` also matches
            # before a final newline): the same match without rescanning the whole line.
            w = _WORD_BEFORE.search(line, line.rfind(" ", 0, max(e.start() - 1, 0)) + 1, e.start())
            if w and w.group(1).lower().strip(".") in _ABBREV:
                continue
        cuts.append(e.end())
    spans = []
    prev = 0
    for cut in sorted(set(cuts)) + [len(line)]:
        piece = line[prev:cut]
        stripped = piece.strip()
        if stripped:
            lead = len(piece) - len(piece.lstrip())
            s = start + prev + lead
            spans.append((s, s + len(stripped)))
        prev = cut
    return spans


def split_sentences(text: str) -> list[tuple[int, int]]:
    """Sentence spans ``(start, end)`` on the original text, in order.

    Splits on line breaks, sentence punctuation (Latin and Arabic) and inline bullets; a
    list marker opens the sentence it introduces; decimals (``2.5``) and abbreviations
    (``e.g.``) do not split. Spans never overlap and together cover every non-space
    character, so evidence can always be shown verbatim.
    """
    spans: list[tuple[int, int]] = []
    bullets = any(b in text for b in _BULLETS)
    for start, end in _logical_lines(text):
        spans.extend(_line_spans(text, start, end, bullets))
    return spans


#: A line at least this long that stops mid-sentence was wrapped by a PDF or a mail client.
WRAP_MIN_CHARS = 45
#: A line that ends in none of these stops mid-sentence. (As a regex, ``[^…]\s*$``: a
#: line ending in a space or any other character outside the set; searching it rescanned
#: each growing paragraph from its start.)
_CLOSERS = ".!?؟…۔:：;؛"


def _logical_lines(text: str) -> list[tuple[int, int]]:
    """Line spans, with lines that a PDF or mail client wrapped joined back together.

    A long line (≥ ``WRAP_MIN_CHARS``) that ends without sentence punctuation, followed on
    the very next line by one that is not a list item, continues the same sentence.
    """
    out: list[tuple[int, int]] = []
    for m in _LINE.finditer(text):
        start, end = m.start(), m.end()
        if out:
            a, b = out[-1]
            gap = text[b:start]
            prev = text[a:b]
            if (
                gap in ("\n", "\r\n")
                and len(prev.rsplit("\n", 1)[-1].strip()) >= WRAP_MIN_CHARS
                and prev[-1] not in _CLOSERS
                and text[start:end].strip()
                and not _MARKER.match(text[start:end])
            ):
                out[-1] = (a, end)
                continue
        out.append((start, end))
    return out


_LEADING_MARKER = re.compile(_MARKER.pattern)


def sentence_text(text: str, span: tuple[int, int]) -> str:
    """The sentence as a user should read it: the original words, list marker removed."""
    s = text[span[0] : span[1]]
    m = _LEADING_MARKER.match(s)
    return s[m.end() :].strip() if m and m.end() < len(s) else s


def sentences(text: str) -> list[str]:
    """The sentences of ``text`` (original spelling), as shown to users."""
    return [sentence_text(text, sp) for sp in split_sentences(text)]


_WORD = re.compile(r"\w+")
_WORD_CLASS = (r"\w",)  # one character of a word, for :func:`word_count`


def find_words(text: str) -> list[str]:
    """The words of ``text``: runs of letters and digits, any script, punctuation left out."""
    return _WORD.findall(text)


def word_count(text: str) -> int:
    """Words in ``text`` (runs of letters and digits, any script): ``len(find_words(text))``,
    counted by table lookup (:mod:`.charclass`) instead of building every word."""
    return runs(char_classes(text, _WORD_CLASS) != 0)
