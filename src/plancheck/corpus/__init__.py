"""The labeled corpus: records, frozen splits, statistics and the tell checks."""

from ..errors import CorpusError
from ..text import word_count
from .documents import (
    Document,
    corpus_sha256,
    load_corpus,
    parse_documents,
    split_docs,
    write_corpus,
)
from .registers import FAMILIES, register_family
from .splits import (
    SPLIT_TARGETS,
    add_documents,
    assign_splits,
    near_duplicate_pairs,
    next_ids,
)
from .stats import CorpusStats, card_block, corpus_stats, format_stats, update_card_stats
from .tells import TellReport, format_tells, tag_problems, tell_report

__all__ = [
    "FAMILIES",
    "SPLIT_TARGETS",
    "CorpusError",
    "CorpusStats",
    "Document",
    "TellReport",
    "add_documents",
    "assign_splits",
    "card_block",
    "corpus_sha256",
    "corpus_stats",
    "format_stats",
    "format_tells",
    "load_corpus",
    "near_duplicate_pairs",
    "next_ids",
    "parse_documents",
    "register_family",
    "split_docs",
    "tag_problems",
    "tell_report",
    "update_card_stats",
    "write_corpus",
    "word_count",
]
