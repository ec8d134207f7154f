"""Reference predictors a real model must beat: majority class and the one-word rule.

The one-word rule is what a hurried reader does: "strategy/استراتيجية" means strategy,
"campaign/حملة" means campaign. The corpus is built so that this rule fails (< 70%), because
clients misname their plans; the model has to read the substance instead.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence

from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline, make_union

from .text import normalize

# Patterns run on normalised text (ة→ه, hamza folded, lowercase).
STRATEGY_WORD = re.compile(r"strateg|استراتيج|استراتج|سترات[ي]?ج")
CAMPAIGN_WORD = re.compile(r"campaign|\bحمل(?:ه|ات|ت|تنا|تكم|تها|تهم)\b|\bالحمل(?:ه|ات)\b|كامبين")


def one_word_rule(text: str) -> str:
    """``strategy`` if strategy words outnumber campaign words, ``campaign`` if the reverse.

    A tie between present words goes to whichever appears first; a text with neither word
    is ``other``.
    """
    norm = normalize(text)
    s = [m.start() for m in STRATEGY_WORD.finditer(norm)]
    c = [m.start() for m in CAMPAIGN_WORD.finditer(norm)]
    if not s and not c:
        return "other"
    if len(s) != len(c):
        return "strategy" if len(s) > len(c) else "campaign"
    return "strategy" if s[0] < c[0] else "campaign"


def majority_label(train_labels: Sequence[str]) -> str:
    """The most frequent training label (ties broken alphabetically, for determinism)."""
    counts = Counter(train_labels)
    return min(counts, key=lambda k: (-counts[k], k))


def tfidf_lr_predictions(
    train_texts: Sequence[str], train_labels: Sequence[str], texts: Sequence[str]
) -> list[str]:
    """The plain baseline a data scientist would try first: word + char_wb TF-IDF → LR."""
    pipe = make_pipeline(
        make_union(
            TfidfVectorizer(
                preprocessor=normalize, ngram_range=(1, 2), min_df=2, sublinear_tf=True
            ),
            TfidfVectorizer(
                preprocessor=normalize,
                analyzer="char_wb",
                ngram_range=(2, 5),
                min_df=2,
                sublinear_tf=True,
                max_features=150_000,
            ),
        ),
        LogisticRegression(C=10.0, class_weight="balanced", max_iter=1000),
    )
    pipe.fit(list(train_texts), list(train_labels))
    return [str(p) for p in pipe.predict(list(texts))]
