"""Checks that the corpus does not tell its labels through anything but substance.

A model learns whatever separates the labels. If strategies explain themselves ("not a
campaign"), if only campaigns are short, or if one word splits the labels, the model learns
that and fails on real documents. Each check here measures one such cue; the lists behind
them are data (``tells.json``), so reviewers can extend them without touching code.
"""

from __future__ import annotations

import json
import math
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from functools import cache
from typing import Any

import numpy as np
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.feature_extraction.text import CountVectorizer
from sklearn.metrics import f1_score
from sklearn.model_selection import StratifiedKFold, cross_val_predict
from threadpoolctl import threadpool_limits

from .. import config
from ..baselines import one_word_rule
from ..text import detect_language, find_words, normalize
from .documents import Document

#: Thresholds the issue sets for a corpus that does not tell its labels.
MAX_SELF_EXPLANATION_SHARE = 0.02
MAX_LAYOUT_MACRO_F1 = 0.55
MAX_ONE_WORD_RULE_ACCURACY = 0.60
MAX_BEST_WORD_RULE_ACCURACY = 0.60
MAX_FORMULA_LINE_SHARE = 0.03
#: A form with at least this many documents may not have more than this share of one label.
MIN_FORM_DOCS, MAX_ONE_LABEL_FORM_SHARE = 20, 0.9
#: Forms whose substance is a kind on the contract's `other` list: they carry one label by
#: nature. Any other form may not (see :func:`one_label_forms`).
OTHER_KINDS = frozenset(
    {
        "field_operation", "market_news", "other_news", "how_to", "listicle", "job_ad",
        "invite", "complaint", "recipe", "syllabus", "policy", "other_plan",
        "it_strategy", "hr_strategy", "national_strategy", "academic_strategy",
    }
)  # fmt: skip


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


@dataclass
class TellReport:
    """The figures behind the tell checks; ``failures`` names every check not met."""

    lang_mismatches: list[str]
    dialect_without_marker: list[str]
    self_explanation_share: dict[str, float]
    self_explaining_ids: list[str]
    layout_macro_f1: float
    one_word_rule_accuracy: float
    best_word_rule: tuple[str, str, float]
    formula_lines: dict[str, tuple[str, float]]
    skewed_words: dict[str, list[tuple[str, float, float]]]
    #: (form, documents, label, share) of every form nearly all one label, `other` kinds too.
    one_label_forms: list[tuple[str, int, str, float]] = field(default_factory=list)

    @property
    def tied_forms(self) -> list[tuple[str, int, str, float]]:
        """The one-label forms that may not be: all but the `other` list's own kinds."""
        return [f for f in self.one_label_forms if f[0] not in OTHER_KINDS]

    @property
    def failures(self) -> list[str]:
        f = []
        if self.lang_mismatches:
            f.append(f"{len(self.lang_mismatches)} documents whose lang is not the detector's")
        if self.dialect_without_marker:
            f.append(f"{len(self.dialect_without_marker)} dialect tags without a marker")
        for lab, share in self.self_explanation_share.items():
            if share > MAX_SELF_EXPLANATION_SHARE:
                f.append(f"self-explanation in {share:.1%} of {lab} (max 2%)")
        if self.layout_macro_f1 > MAX_LAYOUT_MACRO_F1:
            f.append(f"layout-only macro-F1 {self.layout_macro_f1:.3f} (max 0.55)")
        if self.one_word_rule_accuracy >= MAX_ONE_WORD_RULE_ACCURACY:
            f.append(f"one-word rule accuracy {self.one_word_rule_accuracy:.1%} (< 60%)")
        if self.best_word_rule[2] >= MAX_BEST_WORD_RULE_ACCURACY:
            f.append(f"best single-word rule {self.best_word_rule} (< 60%)")
        for lab, (line, share) in self.formula_lines.items():
            if share > MAX_FORMULA_LINE_SHARE:
                f.append(f"line shared by {share:.1%} of {lab}: {line[:60]!r} (max 3%)")
        for form, n, lab, share in self.tied_forms:
            f.append(
                f"form {form!r}: {share:.0%} of its {n} documents are {lab} "
                f"(max {MAX_ONE_LABEL_FORM_SHARE:.0%})"
            )
        return f


def one_label_forms(
    docs: list[Document],
    min_docs: int = MIN_FORM_DOCS,
    share: float = MAX_ONE_LABEL_FORM_SHARE,
) -> list[tuple[str, int, str, float]]:
    """Forms (``register``) whose documents nearly all carry one label, most one-sided first.

    The model never sees the register, but a form written for one label only (board papers
    all strategies, e-mails almost never `other`) teaches it a shortcut that real documents
    break. Kinds on the contract's `other` list (job ads, recipes…) belong here by nature.
    """
    by: defaultdict[str, Counter[str]] = defaultdict(Counter)
    for d in docs:
        by[d.form or "(none)"][d.label] += 1
    out = []
    for reg, counts in by.items():
        n = sum(counts.values())
        label, k = counts.most_common(1)[0]
        if n >= min_docs and k / n >= share:
            out.append((reg, n, label, round(k / n, 3)))
    return sorted(out, key=lambda t: (-t[3], -t[1], t[0]))


def tell_report(docs: list[Document], with_layout: bool = True) -> TellReport:
    """Run every tell check on the hand-written documents."""
    hw = [d for d in docs if d.source == "handwritten"]
    mism = [d.id for d in hw if detect_language(d.text) != d.lang]
    no_marker = [
        d.id
        for d in hw
        if d.lang != "en"
        and d.dialect not in (None, "msa")
        and not dialect_markers_found(d.text, d.dialect)
    ]
    selfx = {d.id for d in hw if self_explanations(d.text)}
    share = {
        lab: sum(d.id in selfx for d in hw if d.label == lab)
        / max(sum(d.label == lab for d in hw), 1)
        for lab in config.LABELS
    }
    return TellReport(
        lang_mismatches=mism,
        dialect_without_marker=no_marker,
        self_explanation_share={k: round(v, 4) for k, v in share.items()},
        self_explaining_ids=sorted(selfx),
        layout_macro_f1=round(layout_cv_macro_f1(hw), 3) if with_layout and len(hw) >= 50 else 0.0,
        one_word_rule_accuracy=round(
            sum(one_word_rule(d.text) == d.label for d in hw) / max(len(hw), 1), 3
        ),
        best_word_rule=best_word_rule(hw) if len(hw) >= 20 else ("", "", 0.0),
        formula_lines=formula_lines(hw),
        skewed_words=skewed_words(hw) if len(hw) >= 20 else {},
        one_label_forms=one_label_forms(hw),
    )


def format_tells(r: TellReport, skewed: int = 30) -> str:
    """The tell checks as plain text, for the CLI and the data card."""
    w, lab, acc = r.best_word_rule
    lines = [
        "tell checks (hand-written documents):",
        f"  lang tag = detector:            {'ok' if not r.lang_mismatches else f'{len(r.lang_mismatches)} mismatches'}",
        f"  dialect tag has a marker:       {'ok' if not r.dialect_without_marker else f'{len(r.dialect_without_marker)} without'}",
        "  self-explaining documents:      "
        + ", ".join(f"{k} {v:.1%}" for k, v in r.self_explanation_share.items())
        + "  (max 2%)",
        f"  layout-only classifier (5-fold CV) macro-F1: {r.layout_macro_f1:.3f}  (max 0.55)",
        f"  one-word rule accuracy:         {r.one_word_rule_accuracy:.1%}  (< 60%)",
        f"  best single-word rule:          «{w}» → {lab}: {acc:.1%}  (< 60%)",
        "  most shared line per label:     "
        + ", ".join(f"{k} {v[1]:.1%}" for k, v in r.formula_lines.items())
        + "  (max 3%)",
        "  result: " + ("all checks pass" if not r.failures else "; ".join(r.failures)),
    ]
    if r.skewed_words:
        lines += [
            "",
            f"words with the most skewed document frequency (top {skewed}; share in label / elsewhere):",
        ]
        for k, ws in r.skewed_words.items():
            lines.append(f"  {k}: " + ", ".join(f"{x} {a:.2f}/{b:.2f}" for x, a, b in ws[:skewed]))
    if r.one_label_forms:
        lines += [
            "",
            f"forms that nearly always carry one label (≥ {MIN_FORM_DOCS} documents,"
            f" ≥ {MAX_ONE_LABEL_FORM_SHARE * 100:.0f} %; only the `other` list's own kinds may):",
            "  " + ", ".join(f"{f} {n} {lab} {sh:.0%}" for f, n, lab, sh in r.one_label_forms),
        ]
    return "\n".join(lines)
