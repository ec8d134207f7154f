"""The tell report: every check's figure, the limits the issue sets, and which fail."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field

from ... import config
from ...baselines import one_word_rule
from ...text import detect_language
from ..documents import Document
from .lists import dialect_markers_found, self_explanations
from .surface import best_word_rule, formula_lines, layout_cv_macro_f1, skewed_words

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
