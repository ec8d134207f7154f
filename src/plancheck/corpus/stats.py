"""Corpus statistics and the generated block of the data card."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .. import config
from ..baselines import CAMPAIGN_WORD, STRATEGY_WORD, one_word_rule
from ..text import normalize, word_count
from .documents import Document
from .registers import FAMILIES, form_family, register_family
from .splits import near_duplicate_pairs
from .tells import TellReport, format_tells


@dataclass
class CorpusStats:
    n: int
    by_label_lang_split: dict[str, dict[str, dict[str, int]]]
    labels: dict[str, int]
    languages: dict[str, int]
    splits: dict[str, int]
    sources: dict[str, int]
    hard_share: float
    hard_kinds: dict[str, int]
    dialects: dict[str, int]
    element_presence: dict[str, float]
    one_word_rule_accuracy: float
    cross_split_near_duplicates: list[tuple[str, str, float]]
    #: label → register family → count; and the same by split for the test share
    by_family: dict[str, dict[str, int]] = field(default_factory=dict)
    test_by_family: dict[str, int] = field(default_factory=dict)
    noise_share: float = 0.0
    words: dict[str, int] = field(default_factory=dict)
    #: register quotas of corpus v2: name → (count, at least)
    quotas: dict[str, tuple[int, int]] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return self.__dict__.copy()


def _uses_both_words(d: Document) -> bool:
    norm = normalize(d.text)
    return bool(STRATEGY_WORD.search(norm) and CAMPAIGN_WORD.search(norm))


#: Corpus v2's register quotas (hand-written documents): what counts, and at least how many.
QUOTAS: dict[str, tuple[Callable[[Document], bool], int]] = {
    "press releases and news reports": (lambda d: form_family(d.form) == "press", 200),
    "award entries and case studies": (lambda d: form_family(d.form) == "award", 100),
    "public, university, charity, company strategy documents": (
        lambda d: form_family(d.form) == "public",
        150,
    ),
    "long documents (600-3,000 words)": (lambda d: 600 <= word_count(d.text) <= 3000, 150),
    "short texts (<= 40 words)": (lambda d: word_count(d.text) <= 40, 150),
    "strategies without years, dates or review": (
        lambda d: d.hard_kind == "strategy_without_years",
        100,
    ),
    "campaigns without dates": (lambda d: d.hard_kind == "campaign_without_dates", 100),
    "documents using both words": (_uses_both_words, 100),
    "other": (lambda d: d.label == "other", 400),
}


def corpus_stats(docs: list[Document]) -> CorpusStats:
    """Counts that show whether the corpus meets its quotas and is leak-free."""
    table: dict[str, dict[str, dict[str, int]]] = {}
    for lab in config.LABELS:
        table[lab] = {}
        for lang in config.LANGUAGES:
            c = Counter(d.split for d in docs if d.label == lab and d.lang == lang)
            table[lab][lang] = {s: c.get(s, 0) for s in config.SPLITS}
    plans = [d for d in docs if d.label in ("strategy", "campaign")]
    presence = {
        e: round(sum(e in d.elements for d in plans) / max(len(plans), 1), 3)
        for e in config.ELEMENTS
    }
    hw = [d for d in docs if d.source == "handwritten"]
    acc = sum(one_word_rule(d.text) == d.label for d in hw) / max(len(hw), 1)
    pairs = near_duplicate_pairs([d.text for d in docs])
    cross = [
        (docs[i].id, docs[j].id, round(j_, 3))
        for i, j, j_ in pairs
        if docs[i].split != docs[j].split
    ]
    fam = [register_family(d.form, d.text) for d in docs]
    by_family = {
        lab: dict(
            sorted(Counter(f for f, d in zip(fam, docs, strict=True) if d.label == lab).items())
        )
        for lab in config.LABELS
    }
    test_by_family = dict(
        sorted(Counter(f for f, d in zip(fam, docs, strict=True) if d.split == "test").items())
    )
    lengths = sorted(word_count(d.text) for d in docs) or [0]
    quotas = {
        name: (sum(1 for d in hw if rule(d)), least) for name, (rule, least) in QUOTAS.items()
    }
    return CorpusStats(
        quotas=quotas,
        by_family=by_family,
        test_by_family=test_by_family,
        noise_share=round(
            sum(bool(getattr(d, "noise", None)) for d in docs) / max(len(docs), 1), 3
        ),
        words={
            "min": lengths[0],
            "median": lengths[len(lengths) // 2],
            "max": lengths[-1],
            "short (<=40)": sum(n <= 40 for n in lengths),
            "long (>=600)": sum(n >= 600 for n in lengths),
        },
        n=len(docs),
        by_label_lang_split=table,
        labels=dict(Counter(d.label for d in docs)),
        languages=dict(Counter(d.lang for d in docs)),
        splits=dict(Counter(d.split for d in docs)),
        sources=dict(Counter(d.source for d in docs)),
        hard_share=round(sum(d.difficulty == "hard" for d in docs) / max(len(docs), 1), 3),
        hard_kinds=dict(Counter(d.hard_kind for d in docs if d.hard_kind)),
        dialects=dict(Counter(getattr(d, "dialect", None) or "-" for d in docs if d.lang != "en")),
        element_presence=presence,
        one_word_rule_accuracy=round(acc, 3),
        cross_split_near_duplicates=cross,
    )


def format_stats(st: CorpusStats) -> str:
    """A plain-text report of :func:`corpus_stats` (used by the CLI and the data card)."""
    lines = [f"documents: {st.n}   sources: {st.sources}", ""]
    lines.append(
        f"{'label':10s} {'lang':6s} " + " ".join(f"{s:>6s}" for s in config.SPLITS) + "  total"
    )
    for lab, by_lang in st.by_label_lang_split.items():
        for lang, c in by_lang.items():
            lines.append(
                f"{lab:10s} {lang:6s} "
                + " ".join(f"{c[s]:6d}" for s in config.SPLITS)
                + f"  {sum(c.values()):5d}"
            )
    n = max(st.n, 1)
    lines += [
        "",
        "labels:    " + ", ".join(f"{k} {v} ({v / n:.0%})" for k, v in st.labels.items()),
        "languages: " + ", ".join(f"{k} {v} ({v / n:.0%})" for k, v in st.languages.items()),
        "splits:    " + ", ".join(f"{k} {v} ({v / n:.0%})" for k, v in st.splits.items()),
        "dialects (ar + mixed): " + ", ".join(f"{k} {v}" for k, v in sorted(st.dialects.items())),
        f"hard: {st.hard_share:.0%}   kinds: "
        + ", ".join(f"{k} {v}" for k, v in sorted(st.hard_kinds.items())),
        "",
        "element presence among strategy + campaign documents:",
    ]
    lines += [f"  {e:15s} {p:5.0%}" for e, p in st.element_presence.items()]
    fams = [f for f in FAMILIES if any(f in c for c in st.by_family.values())]
    lines += ["", "register families:  " + " ".join(f"{f:>11s}" for f in fams)]
    for lab, c in st.by_family.items():
        lines.append(f"  {lab:17s} " + " ".join(f"{c.get(f, 0):11d}" for f in fams))
    lines.append(
        f"  {'test split':17s} " + " ".join(f"{st.test_by_family.get(f, 0):11d}" for f in fams)
    )
    lines += ["", "register quotas (hand-written):  count / at least"]
    lines += [f"  {name:58s} {n:5d} / {least}" for name, (n, least) in st.quotas.items()]
    lines += [
        "",
        f"words per document: {st.words}",
        f"documents with extraction noise: {st.noise_share:.0%}",
    ]
    lines += [
        "",
        f"one-word rule accuracy (handwritten): {st.one_word_rule_accuracy:.1%}",
        f"near-duplicate pairs across splits (Jaccard ≥ {config.NEAR_DUP_JACCARD}): {len(st.cross_split_near_duplicates)}",
    ]
    return "\n".join(lines)


CARD_BEGIN, CARD_END = "<!-- stats:begin -->", "<!-- stats:end -->"


def card_block(st: CorpusStats, tells: TellReport | None = None) -> str:
    """The generated part of the data card: the stats report (and tell checks) as code."""
    body = format_stats(st) + ("\n\n" + format_tells(tells) if tells else "")
    return f"{CARD_BEGIN}\n```\n{body}\n```\n{CARD_END}"


def update_card_stats(card: Path, st: CorpusStats, tells: TellReport | None = None) -> None:
    """Replace the stats block between the markers of the data card."""
    text = Path(card).read_text(encoding="utf-8")
    a, b = text.find(CARD_BEGIN), text.find(CARD_END)
    if a == -1 or b == -1:
        raise ValueError(f"{card} has no {CARD_BEGIN} … {CARD_END} block")
    Path(card).write_text(
        text[:a] + card_block(st, tells) + text[b + len(CARD_END) :], encoding="utf-8"
    )
