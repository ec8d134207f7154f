"""Substance signals: the cues a marketer would cite to explain a strategy/campaign verdict.

A strategy states a long horizon (two years, 2026–2028), says it is ongoing and is reviewed
on a cadence (every six months); a campaign states a short window (six weeks, 1–30 Nov),
an offer (20% off), a season (Ramadan, White Friday) or a one-off event (a launch, an
opening). :func:`extract_signals` finds those cues in Arabic (MSA and dialects), English and
code-switched text and reports them on the ORIGINAL string; :func:`signal_features` turns
them into a few numbers in [0, 1] for a linear label model.

All vocabulary and most patterns live in ``signals.json`` (number words, month names, unit
lengths, lexicons, context rules), so a linguist can edit them without touching Python.
Matching runs on text folded by the one fold table (:mod:`plancheck.text.fold`), with
offsets back to the original.

Stages, one module each: :mod:`.regex` (building blocks) → :mod:`.patterns` and
:mod:`.handlers` (time patterns and what they read) → :mod:`.rules` (everything compiled from
the JSON) → :mod:`.extract` (one scan, negation, review pairing, overlaps) →
:mod:`.features`.

Speed: one regex pass finds every lexicon phrase and every word that can start a time
pattern (word lists are compiled to character tries), one cheap pass finds numbers; the
small anchored patterns are then tried only at those words, and only when their partner
(a month, a unit, "%") occurs nearby. A 300-word document takes a few hundred microseconds.
"""

from ..text.fold import fold_with_offsets
from .extract import extract_signals
from .features import signal_features
from .kinds import FEATURE_NAMES, KINDS, RULES_PATH
from .rules import compile_rules

__all__ = [
    "FEATURE_NAMES",
    "KINDS",
    "RULES_PATH",
    "compile_rules",
    "extract_signals",
    "fold_with_offsets",
    "signal_features",
]
