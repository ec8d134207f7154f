"""Extraction: scan, negation, review pairing, overlap resolution, :func:`extract_signals`."""

from __future__ import annotations

import re
from operator import itemgetter
from typing import Any, TypeAlias

from ..text.fold import _SEP, _TRAILING_MARKS, fold_with_offsets
from .regex import _GATE_RX, _GATES, _GROUP, _PRIORITY, _T_DIGIT, Item, LexEntry
from .rules import _Rules, _rules

#: A scanned word or number: (start, end, lexicon entry, time patterns to try, partner tags).
_Hit: TypeAlias = tuple[int, int, LexEntry | None, tuple[str, ...], int]

# --- extraction -------------------------------------------------------------------------


def _prefix_end(f: str, s: int, e: int, nwords: int) -> int:
    """End of the first ``nwords`` words of ``f[s:e]``."""
    seps = list(_SEP.finditer(f, s, e))
    return seps[nwords - 1].start() if len(seps) >= nwords else e


def _digit_hits(R: _Rules, f: str) -> list[_Hit]:
    """Numbers that start a token (a clitic و/ب/ل/ف may be attached, or "FY") and ٪ signs."""
    hits: list[_Hit] = []
    for m in R.digit_rx.finditer(f):
        s = m.start()
        g = m.group()
        prev = f[s - 1] if s else " "
        if g[0] == "%":
            if not prev.isalnum() and prev != "%":
                hits.append((s, s + 1, None, R.percent_alts, 0))
            continue
        if prev.isalnum() or prev == "_":
            if prev == "y" and f[s - 2 : s] == "fy" and (s < 3 or not f[s - 3].isalnum()):
                hits.append((s - 2, m.end(), None, ("yr",), _T_DIGIT))
            elif prev in "وبلف" and (s < 2 or not f[s - 2].isalnum()):
                hits.append((s, m.end(), R.digit_lex.get(g), R.digit_alts, _T_DIGIT))
        elif not (prev in ".,/:" and s > 1 and f[s - 2].isdigit()):
            hits.append((s, m.end(), R.digit_lex.get(g), R.digit_alts, _T_DIGIT))
    return hits


def _scan(
    R: _Rules, f: str
) -> tuple[list[Item], list[tuple[int, int]], list[tuple[int, int]], list[Item], list[Item]]:
    """Lexicon cues, and time patterns tried at their starter words."""
    get = R.scan.get
    hits: list[_Hit] = [
        (m.start(), m.end(), *h)
        for m in R.word_rx.finditer(f)
        if (h := get(m.group()) or get(_SEP.sub(" ", m.group()))) is not None
    ]
    tags = 0
    for hit in hits:
        tags |= hit[4]
    digits = _digit_hits(R, f)
    if digits:
        hits.extend(digits)
        hits.sort(key=itemgetter(0))
        tags |= _T_DIGIT
    # Patterns whose partner never occurs in this document are not tried at all.
    gates: dict[str, tuple[int | re.Pattern[str], int] | None] = {}
    partner: int | tuple[str, ...] | re.Pattern[str]
    for name, (partner, window) in _GATES.items():
        if isinstance(partner, int):
            gates[name] = (partner, window) if tags & partner else None
        else:
            ok = any(p in f for p in partner)
            gates[name] = (_GATE_RX[name], window) if ok else None
    items: list[Item] = []
    negs: list[tuple[int, int]] = []
    cues: list[tuple[int, int]] = []
    tbox: list[Item] = []
    adjs: list[Item] = []
    alts, exclusions = R.alts, R.exclusions
    time_end = 0
    nh = len(hits)
    for i, (s, e, entry, names, _) in enumerate(hits):
        if names and s >= time_end:
            rejected_end = 0
            for name in names:
                if name in gates:
                    gate = gates[name]
                    if gate is None:
                        continue
                    partner, window = gate
                    if isinstance(partner, int):
                        j = i + 1
                        while j < nh and hits[j][0] - s <= window and not hits[j][4] & partner:
                            j += 1
                        if j >= nh or hits[j][0] - s > window:
                            continue
                    elif partner.search(f, s, s + window) is None:
                        continue
                rx, handler = alts[name]
                mm = rx.match(f, s)
                if mm is not None:
                    it = handler(mm, f, time_end)
                    if it is not None:
                        items.append(it)
                        time_end = it[1]
                        break
                    rejected_end = max(rejected_end, mm.end())
            else:
                # A pattern that matched but was rejected (an age range, a warranty) also
                # covers the numbers inside it: "٤ سنين" in "من ٦ شهور لين ٤ سنين".
                time_end = max(time_end, rejected_end)
        if entry is None:
            continue
        kind, canon, value, nwords = entry
        if nwords:  # the lexicon phrase is the first words of what the scan matched
            e = _prefix_end(f, s, e, nwords)
        ex = exclusions.get(canon)
        if ex is not None:
            after, before = ex
            if after is not None and after.match(f, e):
                continue
            if before is not None and before.search(f, max(0, s - 30), s):
                continue
        if e - s > len(canon) and f.endswith(canon, s, e):
            s = e - len(canon)  # report "رمضان", not the attached و/ب/ل of "ورمضان"
        if kind == "_neg":
            negs.append((s, e))
        elif kind == "_rcue":
            cues.append((s, e))
        elif kind == "_tbox":
            tbox.append([s, e, "_tbox", None])
        elif kind == "_cadadj":
            adjs.append([s, e, "_cadadj", value])
        else:
            items.append([s, e, kind, None])
    return items, negs, cues, tbox, adjs


def _apply_negation(
    R: _Rules, f: str, items: list[Item], negs: list[tuple[int, int]], tbox: list[Item]
) -> None:
    """'not a launch plan', 'مش عرض وخلاص': a negated time-box cue becomes an ongoing cue."""
    if not negs:
        return
    targets = [
        it
        for it in items
        if it[2] in ("season", "event", "offer")
        or (it[2] == "duration" and it[3] <= R.neg_max_short)
    ]
    for it in targets + tbox:
        best = None
        for ns, ne in negs:
            if ne > it[0]:
                break
            if (
                it[0] - ne <= R.neg_gap
                and not R.gap_blocker.search(f, ne, it[0])
                and len(f[ne : it[0]].split()) <= R.neg_max_words
            ):
                best = ns
        if best is not None:
            if it[2] == "_tbox":
                items.append(it)
            it[0], it[2], it[3] = best, "ongoing", None


def _pair_reviews(
    R: _Rules, f: str, items: list[Item], cues: list[tuple[int, int]], adjs: list[Item]
) -> None:
    """A cadence next to a review word (same clause) is a review: 'نراجع كل ٣ أشهر'."""
    if not cues:
        return
    cads = [it for it in items if it[2] == "_cad"] + adjs
    # nothing else time-like may sit between a cadence and its review word
    spans = [(it[0], it[1]) for it in items if it[2] in ("duration", "date_range")]
    spans += [(c[0], c[1]) for c in cads]
    for cad in cads:
        maxgap = R.adj_gap if cad[2] == "_cadadj" else R.review_gap
        best = None
        for qs, qe in cues:
            if qe <= cad[0]:
                lo, hi, before = qe, cad[0], True
            elif qs >= cad[1]:
                lo, hi, before = cad[1], qs, False
            else:
                continue
            gap = hi - lo
            if gap > maxgap or R.gap_blocker.search(f, lo, hi):
                continue
            if any(lo <= s and e <= hi for s, e in spans):
                continue
            rank = (gap, not before)
            if best is None or rank < best[0]:
                best = (rank, qs, qe)
        if best is not None:
            _, qs, qe = best
            review = [min(qs, cad[0]), max(qe, cad[1]), "review", cad[3]]
            if cad[2] == "_cad":
                cad[:] = review
            else:
                items.append(review)


def _resolve(items: list[Item]) -> list[Item]:
    """Drop overlaps within a kind (and among time kinds), stronger and longer first."""
    order = sorted(items, key=lambda it: (-_PRIORITY.get(it[2], 1), it[0] - it[1], it[0]))
    kept: dict[str, list[tuple[int, int]]] = {}
    out: list[Item] = []
    for it in order:
        kind: str = it[2]
        taken = kept.setdefault(_GROUP.get(kind, kind), [])
        if any(it[0] < e and s < it[1] for s, e in taken):
            continue
        taken.append((it[0], it[1]))
        if not it[2].startswith("_"):
            out.append(it)
    out.sort(key=lambda it: (it[0], it[1], it[2]))
    return out


def extract_signals(text: str) -> list[dict[str, Any]]:
    """Signals found in the ORIGINAL text, in order of position.

    Each signal is ``{"kind", "text", "start", "end"}`` where ``text == original[start:end]``,
    plus ``"days"`` (int) for kinds ``duration`` and ``date_range`` and ``"every_days"``
    (int) for ``review`` when a cadence is stated. Kinds: ``duration``, ``date_range``,
    ``offer``, ``season``, ``event``, ``ongoing``, ``review`` (see :data:`KINDS`).
    Signals of one kind never overlap; a date range never also yields a duration for the
    same words, nor a review cadence ("every six months") a duration.

    Args:
        text: a plan, brief, chat message or any other document, as the user wrote it.

    Returns:
        The signals, sorted by ``start``.
    """
    if not text:
        return []
    R = _rules()
    f, offsets = fold_with_offsets(text)
    items, negs, cues, tbox, adjs = _scan(R, f)
    _apply_negation(R, f, items, negs, tbox)
    _pair_reviews(R, f, items, cues, adjs)
    out: list[dict[str, Any]] = []
    n = len(text)
    for s, e, kind, value in _resolve(items):
        if offsets is not None:
            s, e = offsets[s], offsets[e - 1] + 1
            while e < n and text[e] in _TRAILING_MARKS:
                e += 1
        sig: dict[str, Any] = {"kind": kind, "text": text[s:e], "start": s, "end": e}
        if kind in ("duration", "date_range"):
            sig["days"] = int(value)
        elif kind == "review" and value is not None:
            sig["every_days"] = int(value)
        out.append(sig)
    return out
