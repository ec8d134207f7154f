"""Advice for each missing element, in the text's language, referring to the text where it can.

General advice per element lives in ``advice.json``; its ``in_context`` section holds the
sentences that name what the same result found (a campaign's length and season for
``horizon``, the platforms for ``measurement``). A sentence is used only when all its
placeholders can be filled, so advice never invents what the text does not say.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from functools import cache
from typing import Any

from .config import ELEMENTS, PACKAGE_DIR
from .contract import Advice
from .signals.display import platform_names
from .summary import join_names, timebox


@cache
def advice_texts() -> dict[str, Any]:
    """Advice per element and language (``en``, ``ar``), from ``advice.json``."""
    data: dict[str, Any] = json.loads((PACKAGE_DIR / "advice.json").read_text(encoding="utf-8"))
    missing = [
        e for e in ELEMENTS if not data.get(e, {}).get("en") or not data.get(e, {}).get("ar")
    ]
    if missing:
        raise ValueError(f"advice.json lacks en/ar advice for: {', '.join(missing)}")
    return data


def advice_language(language: str) -> str:
    """Arabic advice for Arabic and mixed text, English for English (the contract's rule)."""
    return "en" if language == "en" else "ar"


def _in_context(
    element: str, lang: str, label: str | None, signals: Sequence[Mapping[str, Any]]
) -> str | None:
    """The element's advice built from what the text states, or None to use the general one."""
    ctx = advice_texts()["in_context"]
    if element == "horizon" and label == "campaign":
        span, theme = timebox(signals, lang)
        if span:
            around = ctx["around"][lang].format(theme=theme) if theme else ""
            return str(ctx["horizon_campaign_span"][lang].format(span=span, around=around))
        if theme:
            return str(ctx["horizon_campaign_theme"][lang].format(theme=theme))
    if element == "measurement" and label in ("strategy", "campaign"):
        channels = next((s for s in signals if s.get("kind") == "channels"), None)
        names = platform_names(channels.get("platforms", []), lang) if channels else []
        if names:
            return str(ctx["measurement_channels"][lang].format(channels=join_names(names, lang)))
    return None


def advice_for(
    missing: Sequence[str],
    language: str,
    label: str | None = None,
    signals: Sequence[Mapping[str, Any]] = (),
) -> list[Advice]:
    """One advice entry per missing element, in contract order (the order of ``missing``)."""
    lang = advice_language(language)
    texts = advice_texts()
    return [
        {"element": e, "message": _in_context(e, lang, label, signals) or texts[e][lang]}
        for e in missing
    ]
