"""Checks that the corpus does not tell its labels through anything but substance.

A model learns whatever separates the labels. If strategies explain themselves ("not a
campaign"), if only campaigns are short, or if one word splits the labels, the model learns
that and fails on real documents. Each check here measures one such cue; the lists behind
them are data (``tells.json``), so reviewers can extend them without touching code.

The package: ``lists`` (the documented marker and phrase lists), ``surface`` (surface-only
rules and models that must stay weak), ``report`` (the report, its limits and failures).
"""

from .lists import dialect_markers_found, self_explanations, tag_problems, tell_lists
from .report import (
    MAX_BEST_WORD_RULE_ACCURACY,
    MAX_FORMULA_LINE_SHARE,
    MAX_LAYOUT_MACRO_F1,
    MAX_ONE_LABEL_FORM_SHARE,
    MAX_ONE_WORD_RULE_ACCURACY,
    MAX_SELF_EXPLANATION_SHARE,
    MIN_FORM_DOCS,
    OTHER_KINDS,
    TellReport,
    format_tells,
    one_label_forms,
    tell_report,
)
from .surface import (
    best_word_rule,
    formula_lines,
    layout_cv_macro_f1,
    layout_features,
    skewed_words,
)

__all__ = [
    "MAX_BEST_WORD_RULE_ACCURACY",
    "MAX_FORMULA_LINE_SHARE",
    "MAX_LAYOUT_MACRO_F1",
    "MAX_ONE_LABEL_FORM_SHARE",
    "MAX_ONE_WORD_RULE_ACCURACY",
    "MAX_SELF_EXPLANATION_SHARE",
    "MIN_FORM_DOCS",
    "OTHER_KINDS",
    "TellReport",
    "best_word_rule",
    "dialect_markers_found",
    "format_tells",
    "formula_lines",
    "layout_cv_macro_f1",
    "layout_features",
    "one_label_forms",
    "self_explanations",
    "skewed_words",
    "tag_problems",
    "tell_lists",
    "tell_report",
]
