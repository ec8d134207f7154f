"""The corpus is valid, balanced, leak-free, and not guessable from one word."""

import pytest

from plancheck import config
from plancheck.corpus import corpus_stats, load_corpus


@pytest.fixture(scope="module")
def docs():
    return load_corpus()


@pytest.fixture(scope="module")
def stats(docs):
    return corpus_stats(docs)


def test_corpus_is_valid(docs):
    assert len(docs) > 0  # load_corpus raised on any invalid record


def test_handwritten_quotas(docs):
    hw = [d for d in docs if d.source == "handwritten"]
    assert len(hw) >= 600
    labels = [d.label for d in hw]
    assert labels.count("strategy") >= 240
    assert labels.count("campaign") >= 240
    assert labels.count("other") >= 120
    langs = [d.lang for d in hw]
    assert langs.count("ar") / len(hw) >= 0.40
    assert langs.count("en") / len(hw) >= 0.30
    assert langs.count("mixed") / len(hw) >= 0.15
    assert sum(d.difficulty == "hard" for d in hw) / len(hw) >= 0.30


def test_every_hard_kind_and_dialect_is_represented(docs):
    kinds = {d.hard_kind for d in docs if d.hard_kind}
    assert kinds == set(config.HARD_KINDS)
    dialects = {getattr(d, "dialect", None) for d in docs if d.lang == "ar"}
    assert {"msa", "egyptian", "gulf", "levantine", "maghrebi"} <= dialects


def test_element_coverage(stats):
    for el, share in stats.element_presence.items():
        assert 0.25 <= share <= 0.75, f"{el} present in {share:.0%} of plans"


def test_some_strategies_lack_two_to_four_elements(docs):
    lacking = [d for d in docs if d.label == "strategy" and 2 <= 8 - len(d.elements) <= 4]
    assert len(lacking) >= 20


def test_one_word_rule_fails(stats):
    assert stats.one_word_rule_accuracy < 0.70


def test_splits_stratified_and_sized(docs):
    hw = [d for d in docs if d.source == "handwritten"]
    n = len(hw)
    assert sum(d.split == "test" for d in hw) / n >= 0.20
    assert sum(d.split == "dev" for d in hw) / n >= 0.10
    for lab in config.LABELS:
        for lang in config.LANGUAGES:
            cell = [d for d in hw if d.label == lab and d.lang == lang]
            if len(cell) >= 10:
                assert sum(d.split == "test" for d in cell) / len(cell) >= 0.15, (lab, lang)


def test_no_synthetic_outside_train(docs):
    assert all(d.split == "train" for d in docs if d.source == "synthetic")


def test_no_near_duplicates_across_splits(stats):
    assert stats.cross_split_near_duplicates == []


def test_orthographic_noise_present(docs):
    ar = [d.text for d in docs if d.lang in ("ar", "mixed")]
    indic = sum(any("\u0660" <= c <= "\u0669" for c in t) for t in ar)
    assert indic / len(ar) >= 0.2
    assert sum(("الي " in t or "علي " in t) for t in ar) >= 10


def test_article_sentences_not_copied(docs):
    from pathlib import Path

    seed_dir = config.PROJECT_ROOT.parent / "shared" / "seed"
    if not seed_dir.is_dir():
        pytest.skip("shared/seed not beside the project")
    article = " ".join(p.read_text(encoding="utf-8") for p in Path(seed_dir).glob("*.txt"))
    from plancheck.text import sentences

    long_sents = [s for s in sentences(article) if len(s) >= 40]
    for d in docs:
        for s in long_sents:
            assert s not in d.text, f"{d.id} copies the article: {s[:50]}"


def test_data_card_counts_are_current(stats):
    from plancheck.corpus import card_block

    card = (config.DATA_DIR / "README.md").read_text(encoding="utf-8")
    assert card_block(stats) in card, "run: plancheck corpus stats --update-card data/README.md"
