"""The signals a reader sees: each cue once, platforms named in one row, vocabulary left out.

The channel lexicon counts social-media vocabulary (content, reach, followers, page) as a
model feature; listed one by one it buried the cues that explain a verdict (an English PDF
showed 21 channel rows out of 25). A reader wants the platforms named once, in their own
language: "Channels: Instagram, TikTok". Platform names live in ``platforms.json``.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from functools import cache, lru_cache
from typing import Any

from ..config import PACKAGE_DIR
from ..text import fold

PLATFORMS_PATH = PACKAGE_DIR / "platforms.json"
#: The keys of a signal that the result shows (offsets included, for highlighting).
SHOWN_KEYS = ("kind", "text", "days", "every_days", "start", "end")
#: Arabic clitics a platform word may carry (والانستا, بتيك توك, عالسناب is left alone).
_CLITICS = ("وال", "بال", "فال", "لل", "ال", "و", "ب", "ل", "ف")


@cache
def _platform_entries() -> dict[str, dict[str, Any]]:
    """``platforms.json``'s entries by id, read once."""
    entries: dict[str, dict[str, Any]] = json.loads(PLATFORMS_PATH.read_text(encoding="utf-8"))[
        "platforms"
    ]
    return entries


@cache
def platforms() -> dict[str, dict[str, str]]:
    """Folded phrase → ``{"id", "en", "ar"}`` for every platform in ``platforms.json``."""
    table: dict[str, dict[str, str]] = {}
    for pid, entry in _platform_entries().items():
        for phrase in entry["phrases"]:
            table[" ".join(fold(phrase).split())] = {
                "id": pid,
                "en": entry["en"],
                "ar": entry["ar"],
            }
    return table


@lru_cache(maxsize=8192)
def _folded_key(words: str) -> str:
    """``words`` folded, spaces collapsed: how a signal's words are compared."""
    return " ".join(fold(words).split())


def platform_names(ids: Sequence[str], lang: str) -> list[str]:
    """The display names of platform ids (``channels`` signal's ``platforms``) in ``lang``."""
    data = _platform_entries()
    return [str(data[i][lang]) for i in ids if i in data]


@lru_cache(maxsize=8192)  # a text names the same few platforms and words again and again
def platform_of(words: str) -> dict[str, str] | None:
    """The platform a channel signal names, or None for vocabulary (content, reach…)."""
    key = _folded_key(words)
    table = platforms()
    if key in table:
        return table[key]
    for clitic in _CLITICS:
        if key.startswith(clitic) and key[len(clitic) :] in table:
            return table[key[len(clitic) :]]
    return None


def shown_signals(signals: Sequence[Mapping[str, Any]], language: str) -> list[dict[str, Any]]:
    """The result's ``signals``: duplicates merged, channels grouped into one ``channels`` row.

    The ``channels`` row stands where the first platform was named; its ``text`` lists the
    platforms in the text's language (Arabic for ``ar`` and ``mixed``), ``platforms`` their
    ids (a program need not parse the text) and ``words`` the words the text names them with
    (the contract's "the words it came from").
    """
    out: list[dict[str, Any]] = []
    seen: set[tuple[str, str]] = set()
    named: list[dict[str, str]] = []
    words: list[str] = []
    where: int | None = None
    for s in signals:
        if s.get("kind") == "channel":
            platform = platform_of(str(s.get("text", "")))
            if platform is not None and platform not in named:
                named.append(platform)
                words.append(str(s.get("text", "")))
                where = len(out) if where is None else where
            continue
        key = (str(s.get("kind")), _folded_key(str(s.get("text", ""))))
        if key in seen:
            continue
        seen.add(key)
        out.append({k: s[k] for k in SHOWN_KEYS if k in s})
    if named and where is not None:
        lang = "en" if language == "en" else "ar"
        out.insert(
            where,
            {
                "kind": "channels",
                "text": (", " if lang == "en" else "، ").join(p[lang] for p in named),
                "platforms": [p["id"] for p in named],
                "words": words,
            },
        )
    return out
