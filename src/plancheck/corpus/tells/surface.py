"""Surface-only rules and models that must stay weak: layout, one word, skewed words,
shared formula lines. Strong figures here mean the corpus tells its labels by form."""

from __future__ import annotations

import math
import re
from collections import Counter

import numpy as np
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.feature_extraction.text import CountVectorizer
from sklearn.metrics import f1_score
from sklearn.model_selection import StratifiedKFold, cross_val_predict
from threadpoolctl import threadpool_limits

from ... import config
from ...text import find_words, normalize
from ..documents import Document


def layout_features(text: str) -> list[float]:
    """Form only: length, lines, bullets, header-like lines, digit share. No words."""
    lines = [ln.strip() for ln in text.splitlines() if ln.strip()]
    n_lines = max(len(lines), 1)
    words = find_words(text)
    bullets = sum(bool(re.match(r"^([-•*▪●◦–]|\d+[.)]|[٠-٩]+[.)])", ln)) for ln in lines)
    headers = sum(
        bool(re.match(r"^[^\s:：]{1,30}(\s[^\s:：]{1,30}){0,3}\s?[:：]", ln)) or len(ln) < 30
        for ln in lines
    )
    chars = max(len(text), 1)
    return [
        math.log1p(len(words)),
        math.log1p(len(lines)),
        bullets / n_lines,
        headers / n_lines,
        sum(ch.isdigit() for ch in text) / chars,
        sum(ch in ".,;:!?،؛؟" for ch in text) / chars,
        len(words) / n_lines,
    ]


def layout_cv_macro_f1(docs: list[Document], folds: int = 5) -> float:
    """Macro-F1 of a gradient-boosted classifier on layout features alone, in k-fold CV."""
    x = np.asarray([layout_features(d.text) for d in docs])
    y = np.asarray([d.label for d in docs])
    cv = StratifiedKFold(n_splits=folds, shuffle=True, random_state=config.SEED)
    clf = HistGradientBoostingClassifier(max_iter=100, random_state=config.SEED)
    # One OpenMP thread: the same trees, and no spinning threads when other processes (the
    # test suite's workers, a training run) hold the cores — 9 s instead of minutes.
    with threadpool_limits(1):
        pred = cross_val_predict(clf, x, y, cv=cv)
    return float(f1_score(y, pred, average="macro"))


def best_word_rule(docs: list[Document]) -> tuple[str, str, float]:
    """The one-word stump with the best accuracy: (word, label if present, accuracy).

    Each rule reads "word present → label L, absent → the commonest label of the rest"; a
    corpus where one word does that well is telling its labels through that word.
    """
    vec = CountVectorizer(
        analyzer="word",
        token_pattern=r"(?u)\b\w+\b",
        binary=True,
        min_df=5,
        preprocessor=normalize,
    )
    x = vec.fit_transform([d.text for d in docs]).tocsc()
    y = np.asarray([config.LABELS.index(d.label) for d in docs])
    onehot = np.eye(len(config.LABELS))[y]
    present = np.asarray(x.T @ onehot)  # (n_words × labels): documents with the word
    absent = onehot.sum(axis=0) - present
    acc = (present.max(axis=1) + absent.max(axis=1)) / len(docs)
    k = int(acc.argmax())
    words = vec.get_feature_names_out()
    return str(words[k]), config.LABELS[int(present[k].argmax())], float(acc[k])


def skewed_words(
    docs: list[Document], top: int = 30, min_df: int = 8
) -> dict[str, list[tuple[str, float, float]]]:
    """Per label, the words whose document frequency is most skewed toward it (log-odds z)."""
    vec = CountVectorizer(
        analyzer="word",
        token_pattern=r"(?u)\b[^\W\d_]{2,}\b",
        binary=True,
        min_df=min_df,
        preprocessor=normalize,
    )
    x = vec.fit_transform([d.text for d in docs]).tocsc()
    words = vec.get_feature_names_out()
    labels = np.asarray([d.label for d in docs])
    out: dict[str, list[tuple[str, float, float]]] = {}
    for lab in config.LABELS:
        inside = labels == lab
        df_in = np.asarray(x[inside].sum(axis=0)).ravel()
        df_out = np.asarray(x[~inside].sum(axis=0)).ravel()
        n_in, n_out = inside.sum(), (~inside).sum()
        p_in = (df_in + 0.5) / (n_in + 1)
        p_out = (df_out + 0.5) / (n_out + 1)
        # log-odds ratio over its standard error: frequent skewed words rank above rare ones
        lo = np.log(p_in / (1 - p_in)) - np.log(p_out / (1 - p_out))
        score = lo / np.sqrt(1 / (df_in + 0.5) + 1 / (df_out + 0.5))
        order = np.argsort(-score)[:top]
        out[lab] = [
            (str(words[k]), round(float(p_in[k]), 3), round(float(p_out[k]), 3)) for k in order
        ]
    return out


def formula_lines(docs: list[Document], min_chars: int = 20) -> dict[str, tuple[str, float]]:
    """Per label, the line shared by the largest share of its documents, and that share."""
    out = {}
    for lab in config.LABELS:
        mine = [d for d in docs if d.label == lab]
        c: Counter[str] = Counter()
        for d in mine:
            c.update({normalize(ln) for ln in d.text.splitlines() if len(ln.strip()) >= min_chars})
        line, n = c.most_common(1)[0] if c else ("", 0)
        out[lab] = (line, n / max(len(mine), 1))
    return out
