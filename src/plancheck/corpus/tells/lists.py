"""The documented lists behind two checks (``tells.json``): dialect markers and the
phrases of a text that states its own label."""

from __future__ import annotations

import json
import re
from functools import cache
from typing import Any

from ... import config
from ...text import detect_language, find_words, normalize
from ..documents import Document


@cache
def tell_lists() -> dict[str, Any]:
    """Dialect markers and self-explanation patterns (``tells.json``), folded once."""
    raw = json.loads((config.PACKAGE_DIR / "tells.json").read_text(encoding="utf-8"))
    markers = {d: frozenset(normalize(w) for w in ws) for d, ws in raw["dialect_markers"].items()}
    patterns = [re.compile(normalize(p)) for ps in raw["self_explanation"].values() for p in ps]
    return {"markers": markers, "patterns": patterns}


def dialect_markers_found(text: str, dialect: str) -> list[str]:
    """The marker words of ``dialect`` that occur in ``text`` (folded, whole words)."""
    markers = tell_lists()["markers"].get(dialect, frozenset())
    return sorted(markers & set(find_words(normalize(text))))


def self_explanations(text: str) -> list[str]:
    """Phrases by which a text states its own label ("not a campaign", «نسميها حملة»)."""
    norm = normalize(text)
    return [m.group(0) for p in tell_lists()["patterns"] for m in p.finditer(norm)]


def tag_problems(docs: list[Document]) -> list[str]:
    """Tags the text contradicts: ``lang`` ≠ the detector, a dialect with none of its markers."""
    out = []
    for d in docs:
        found = detect_language(d.text)
        if found != d.lang:
            out.append(f"{d.id}, field lang: {d.lang!r} but the text reads as {found!r}")
        if d.lang != "en" and d.dialect not in (None, "msa"):
            if not dialect_markers_found(d.text, d.dialect):
                out.append(
                    f"{d.id}, field dialect: no {d.dialect} marker in the text "
                    "(tells.json lists them); tag it msa or fix the text"
                )
    return out
