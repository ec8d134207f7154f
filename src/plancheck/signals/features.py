"""Signal features: a few numbers in [0, 1] for the linear label model."""

from __future__ import annotations

import math
from typing import Any

from .kinds import KINDS
from .rules import _rules

# --- features ---------------------------------------------------------------------------


def signal_features(signals: list[dict[str, Any]]) -> list[float]:
    """Numbers in [0, 1] for a linear label model, one per :data:`FEATURE_NAMES`.

    Args:
        signals: the output of :func:`extract_signals` (extra keys are ignored).
    """
    cfg = _rules().features
    caps = cfg["caps"]
    spans = [
        float(s["days"])
        for s in signals
        if s.get("kind") in ("duration", "date_range") and s.get("days")
    ]
    counts = {k: 0 for k in KINDS}
    for s in signals:
        if s.get("kind") in counts:
            counts[s["kind"]] += 1
    cadences = [
        s["every_days"] for s in signals if s.get("kind") == "review" and s.get("every_days")
    ]
    long_d, short_d = float(cfg["long_days"]), float(cfg["short_days"])
    longest = max(spans, default=0.0)
    has_long = any(d >= long_d for d in spans)
    has_short = any(d <= short_d for d in spans)
    values = [
        min(1.0, math.log1p(longest) / math.log1p(float(cfg["span_norm_days"]))),
        float(has_long),
        float(any(short_d < d < long_d for d in spans)),
        float(has_short),
        float(has_short and not has_long and counts["ongoing"] == 0),
        min(counts["date_range"], caps["date_range"]) / caps["date_range"],
        min(counts["offer"], caps["offer"]) / caps["offer"],
        min(counts["season"], caps["season"]) / caps["season"],
        min(counts["event"], caps["event"]) / caps["event"],
        min(counts["ongoing"], caps["ongoing"]) / caps["ongoing"],
        min(counts["review"], caps["review"]) / caps["review"],
        float(any(d >= cfg["review_long_days"] for d in cadences)),
        float(any(d <= cfg["review_short_days"] for d in cadences)),
        min(counts["channel"], caps["channel"]) / caps["channel"],
        float(counts["channel"] == 0),
    ]
    return values
