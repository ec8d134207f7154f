"""Signal kinds and feature names: the vocabulary the rest of plancheck shares."""

from __future__ import annotations

from pathlib import Path

RULES_PATH = Path(__file__).resolve().parent.parent / "signals.json"

#: Signal kinds, in the order the contract lists them.
KINDS: tuple[str, ...] = (
    "duration",
    "date_range",
    "offer",
    "season",
    "event",
    "ongoing",
    "review",
    "channel",
)


#: Names of :func:`signal_features` values, in order. Spans are the ``days`` of
#: ``duration`` and ``date_range`` signals; thresholds live in ``signals.json``
#: (``features``).
FEATURE_NAMES: tuple[str, ...] = (
    "span_log",  # log(1 + longest span) / log(1 + 1095): 0 none, ~0.5 a month, 1 three years
    "has_long",  # some span >= 300 days (a year or more)
    "has_mid",  # some span between 120 and 300 days
    "has_short",  # some span <= 120 days (days to a few months)
    "short_only",  # a short span, no long span and no ongoing cue: a clean time box
    "date_range",  # explicit start and end dates, count / 2 (capped)
    "offer",  # discounts, deals, codes, free delivery, count / 3 (capped)
    "season",  # Ramadan, Eid, White Friday, National Day, summer, count / 3 (capped)
    "event",  # launch, opening, exhibition, open day, count / 3 (capped)
    "ongoing",  # always-on, long-term, مستمر, 'not a one-off', count / 2 (capped)
    "review",  # periodic review of the plan, count / 2 (capped)
    "review_long",  # a review every >= 60 days (quarterly, every six months, yearly)
    "review_short",  # a review every <= 31 days (daily, weekly, monthly optimisation)
    "channel",  # social-media channels and vocabulary mentioned, count / 4 (capped)
    "no_channel",  # no social-media channel or vocabulary at all: likely not a social plan
)
