"""Turn model outputs into the contract's result: elements with evidence, missing, advice,
signals and reasons, in the text's own language.

Everything a user reads is taken from the original text (never the normalised one), and
advice comes from ``advice.json`` so it can be edited without touching code.
"""

from __future__ import annotations

import json
import re
from functools import cache
from itertools import islice
from typing import Any, cast

import numpy as np

from .advice import advice_for, advice_language
from .config import ELEMENTS, LABELS, PACKAGE_DIR, display_names
from .contract import Element, Reason, Result
from .features import MASK_TOKEN
from .signals.display import shown_signals
from .summary import summarize
from .text import EMAIL_TOKEN, HANDLE_TOKEN, URL_TOKEN, fold_token, sentence_text

MAX_EVIDENCE = 3
MAX_REASONS = 6

#: Words the normaliser and the masking put in place of the text's own (a link, an e-mail, an
#: @handle, a plan-type word): they are not in the text, so they are never shown as reasons.
_PLACEHOLDERS = frozenset(t.strip() for t in (URL_TOKEN, EMAIL_TOKEN, HANDLE_TOKEN, MASK_TOKEN))


def display_score(raw: float, threshold: float) -> float:
    """Map a sentence probability so that the element's threshold sits at 0.5.

    Thresholds differ per element; after this mapping ``present`` is simply ``score ≥ 0.5``
    for every element, which is what a reader of the JSON expects.
    """
    t = min(max(threshold, 1e-6), 1 - 1e-6)
    s = 0.5 * raw / t if raw < t else 0.5 + 0.5 * (raw - t) / (1 - t)
    return float(min(max(s, 0.0), 1.0))


def evidence_span(text: str, span: tuple[int, int]) -> tuple[str, int, int]:
    """The sentence as shown (list marker removed) and its offsets in the original text."""
    shown = sentence_text(text, span)
    start = span[0] + text[span[0] : span[1]].find(shown)
    return shown, start, start + len(shown)


def elements_result(
    text: str,
    spans: list[tuple[int, int]],
    sent_scores: np.ndarray,
    thresholds: np.ndarray,
) -> list[Element]:
    """All eight elements in contract order, with score, presence and up to three evidence sentences."""
    out: list[Element] = []
    # Every element's best score in one call, as Python floats (the same values as
    # ``float(col.max())``, and compared with the thresholds as numpy would).
    n = len(spans)
    bests = sent_scores.max(axis=0).tolist() if n else [0.0] * len(ELEMENTS)
    for k, el in enumerate(ELEMENTS):
        best = bests[k]
        present = bool(n and best >= thresholds[k])
        evidence: list[str] = []
        ev_spans: list[list[int]] = []
        if present:
            col = sent_scores[:, k]
            order = np.argsort(-col, kind="stable")
            for i in order[:MAX_EVIDENCE]:
                if col[i] < thresholds[k]:
                    break
                shown, a, b = evidence_span(text, spans[i])
                evidence.append(shown)
                ev_spans.append([a, b])
        out.append(
            {
                "id": el,
                "present": present,
                "score": round(display_score(best, float(thresholds[k])), 4),
                "evidence": evidence,
                "spans": ev_spans,
            }
        )
    return out


# Words repeat (Zipf): each spelling is folded once. Folding is a pure function of the word.
#: Folded spellings, emptied past ``_MAX_FOLDED``. A plain dict: :func:`surface_forms` reads
#: a whole token list with one ``map``, a third of an ``lru_cache`` call per token.
_folded: dict[str, str] = {}
_MAX_FOLDED = 200_000


def _fold_word(token: str) -> str:
    folded = _folded.get(token)
    if folded is None:
        if len(_folded) > _MAX_FOLDED:
            _folded.clear()
        folded = _folded[token] = fold_token(token)
    return folded


# Words as written, diacritics and tatweel included (Arabic marks are not \w).
_TOKEN = re.compile(r"[\w\u064B-\u065F\u0670\u0640]+")


@cache
def stop_words() -> frozenset[str]:
    """Folded function words of both languages (``stopwords.json``), never shown as reasons."""
    data = json.loads((PACKAGE_DIR / "stopwords.json").read_text(encoding="utf-8"))
    english = {fold_token(w) for w in data["en"] + data["latin"]}
    arabic = {fold_token(w) for w in data["ar"]}
    # Arabic writes "and" and "so" as a prefix: ومش, فما are as empty as مش, ما.
    return frozenset(english | arabic | {c + w for w in arabic for c in ("و", "ف")})


#: Terms already judged by :func:`worth_showing` (a pure function of the term; the same
#: reasons recur across documents), emptied past ``_MAX_FOLDED``.
_worth: dict[str, bool] = {}


def worth_showing(term: str) -> bool:
    """A reason a marketer can read: some word that is neither a function word, a number nor a
    lone letter (the «بـ» of «بـ 30%», an initial)."""
    known = _worth.get(term)
    if known is not None:
        return known
    stops = stop_words()
    ok = any(
        not t.isdigit() and len(f := _fold_word(t)) > 1 and f not in stops
        for t in _TOKEN.findall(term)
    )
    if len(_worth) > _MAX_FOLDED:
        _worth.clear()
    _worth[term] = ok
    return ok


def surface_forms(text: str) -> dict[str, str]:
    """Folded token → the first spelling of it in the original text.

    For a single word, normalisation reduces to the character folds (hamza, ى, ة, digits,
    diacritics, case), so a ``translate`` + ``lower`` per token is enough and cheap.
    """
    tokens = list(dict.fromkeys(_TOKEN.findall(text)))
    # Pairs in reverse order: a later spelling of a folded form is overwritten by an
    # earlier one, so each keeps its first spelling (one C-level pass, no Python loop).
    tokens.reverse()
    cached = list(map(_folded.get, tokens))
    if None in cached:
        cached = [_fold_word(t) if f is None else f for t, f in zip(tokens, cached, strict=True)]
    return dict(zip(cast(list[str], cached), tokens, strict=True))


def reasons_result(
    contributions: list[tuple[str, str, float]],
    text: str,
    normalized_words: set[str],
    language: str,
    signals: list[dict[str, Any]],
) -> list[Reason]:
    """Readable reasons from (source, feature name, contribution) triples.

    Word n-grams are shown in the text's own spelling; character n-grams are credited to the
    words of the text that contain them, so users see words, not fragments; signal and
    element features are shown as the words that fired them or as the element's name.
    """
    lang = advice_language(language)
    names = display_names()["elements"]
    scores: dict[str, float] = {}
    source_of: dict[str, str] = {}
    forms = None

    def add(term: str, weight: float, source: str) -> None:
        scores[term] = scores.get(term, 0.0) + weight
        source_of.setdefault(term, source)

    for source, name, w in contributions:
        if source == "word":
            parts = name.split()
            if not _PLACEHOLDERS.isdisjoint(parts):
                continue
            if forms is None:
                forms = surface_forms(text)
            spelled = list(map(forms.get, parts, parts))
            # "and YouTube", "The Campaign", «في مصر»: the function word at an edge of a word
            # pair says nothing; the pair is credited to the words that do.
            while len(spelled) > 1 and not worth_showing(spelled[0]):
                spelled.pop(0)
            while len(spelled) > 1 and not worth_showing(spelled[-1]):
                spelled.pop()
            add(" ".join(spelled), w, "words")
        elif source == "char":
            frag = name.strip()
            if frag in MASK_TOKEN:
                continue
            words = [
                wd for wd in normalized_words if frag and frag in wd and wd not in _PLACEHOLDERS
            ]
            if not words:
                continue
            if forms is None:
                forms = surface_forms(text)
            for wd in words:
                add(forms.get(wd, wd), w / len(words), "words")
        elif source == "signal":
            kinds = name.split("|")
            fired = [s["text"] for s in signals if s["kind"] in kinds]
            if fired:  # a feature name is not a word of the text: shown only as its words
                add(fired[0], w, "signal")
        elif source == "element":
            add(names[name][lang], w, "element")
    ranked = sorted(scores.items(), key=lambda kv: (-round(kv[1], 9), kv[0]))
    shown = islice(((t, w) for t, w in ranked if w > 0 and worth_showing(t)), MAX_REASONS)
    return [{"term": t, "weight": round(float(w), 4), "source": source_of[t]} for t, w in shown]


def assemble(
    *,
    label_probs: np.ndarray,
    language: str,
    elements: list[Element],
    signals: list[dict[str, Any]],
    reasons: list[Reason],
    model_version: str,
    doc_id: Any = None,
) -> Result:
    """The contract's result dict, fields in the contract's order."""
    k = int(np.argmax(label_probs))
    confidence = round(float(label_probs[k]), 4)
    missing = [e["id"] for e in elements if not e["present"]]
    shown = shown_signals(signals, language)
    result: dict[str, Any] = {} if doc_id is None else {"id": doc_id}
    result.update(
        {
            "label": LABELS[k],
            "confidence": confidence,
            "probabilities": {
                lab: round(float(p), 4) for lab, p in zip(LABELS, label_probs, strict=True)
            },
            "language": language,
            "elements": elements,
            "missing": missing,
            "advice": advice_for(missing, language, LABELS[k], shown),
            "signals": shown,
            "reasons": reasons,
            "summary": summarize(LABELS[k], confidence, language, elements, shown),
            "model_version": model_version,
        }
    )
    return cast(Result, result)
