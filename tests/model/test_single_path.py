"""The rows path (one text, or a few) gives the batch path's results exactly.

``Classifier.classify`` and small ``classify_many`` batches score on plain numpy arrays
(:mod:`plancheck.rows`) instead of scipy.sparse matrices. Every float is compared with ``==``,
not a tolerance: the rows path does the same float32 operations in the same order as the
sparse kernels (see :mod:`plancheck.rows`), so the probabilities, element scores and reason
weights are bitwise equal before they are rounded, and a tolerance would hide a change of
order that can flip a rounded digit.
"""

from __future__ import annotations

import pytest

from plancheck.corpus import load_corpus

FURNITURE = (
    "Home | About | Contact\n"
    "Our social media plan for 2026\n"
    "Goal: double the enquiries from Instagram by December.\n"
    "Audience: parents aged 28-45 in Riyadh.\n"
    "Budget: 40,000 SAR for the year.\n"
    "Share on Facebook | Share on X\n"
    "Page 2 of 5"
)
HEADINGS = (
    "Objectives:\n"
    "- Grow followers by 20% in six months\n"
    "- Reach 5,000 newsletter sign-ups\n"
    "Channels:\n"
    "- Instagram reels three times a week\n"
    "- TikTok duets with local creators\n"
    "Budget:\n"
    "- 15k SAR per quarter, reviewed monthly"
)
HEADINGS_AR = (
    "الأهداف:\n"
    "- زيادة المتابعين ٢٠٪ خلال ستة أشهر\n"
    "- الوصول إلى ٥٠٠٠ مشترك في النشرة\n"
    "القنوات:\n"
    "- ريلز انستجرام ثلاث مرات في الأسبوع\n"
    "الرئيسية | من نحن | اتصل بنا\n"
    "صفحة ٢ من ٥"
)
SHORT = [
    "Ramadan offer: 25% off all iftar boxes until the end of the month.",
    "خصم ٢٥٪ على بوكسات الإفطار حتى نهاية رمضان",
    "plan",
    "خطة",
    "Our 2026 plan: نبغى نوصل ١٠ آلاف متابع on Instagram by Q3.",
    "Home | About | Contact\nPage 2 of 5",
    "1",
]


def _texts() -> list[str]:
    docs = load_corpus()
    by_lang: dict[str, list[str]] = {}
    for d in docs[::37]:
        by_lang.setdefault(d.lang, []).append(d.text)
    picked = [t for texts in by_lang.values() for t in texts[:8]]
    long = " ".join(d.text for d in docs[:40])  # a few thousand words
    mixed = docs[1].text + "\n" + docs[2].text
    return [*SHORT, FURNITURE, HEADINGS, HEADINGS_AR, long, mixed, *picked]


@pytest.fixture(scope="module")
def texts() -> list[str]:
    out = _texts()
    assert len(out) >= 30
    return out


def _through_rows(classifier, text: str, doc_id: int):
    """``classify`` forced onto the rows path (a text past ``SMALL_BATCH_CHARS`` included)."""
    return classifier._explain(0, text, classifier._score([text], small=True), doc_id)


def test_single_texts_equal_the_batch(classifier, texts):
    assert len(texts) > classifier.small_batch  # one batch: the sparse path
    batch = classifier.classify_many(texts, ids=list(range(len(texts))))
    for i, text in enumerate(texts):
        assert classifier.classify(text, id=i) == batch[i], f"text #{i}: {text[:60]!r}"
        assert _through_rows(classifier, text, i) == batch[i], f"text #{i}: {text[:60]!r}"


def test_small_batches_equal_the_batch(classifier, texts):
    batch = classifier.classify_many(texts)
    k = classifier.small_batch
    assert k >= 2
    for a in range(0, len(texts), k):
        assert classifier.classify_many(texts[a : a + k]) == batch[a : a + k]


def test_the_paths_are_the_ones_named(classifier, texts):
    """Both internal paths, forced, on the same small batch (so the test above compares the
    rows path with the sparse one, whatever ``small_batch`` is)."""
    few = texts[:3]
    rows, sparse = classifier._score(few, small=True), classifier._score(few, small=False)
    assert type(rows["x"]).__name__ == "Rows" and type(sparse["x"]).__name__ == "csr_matrix"
    assert (rows["probs"] == sparse["probs"]).all()
    assert (rows["sent"] == sparse["sent"]).all()


@pytest.mark.parametrize("small", [True, False])
def test_leaving_out_the_unread_char_block_changes_no_result(classifier, texts, small):
    """The document char block is built only when the label model reads it; where its
    coefficients are all zero, leaving it out gives the very same results."""
    fz = classifier.model.featurizer
    coef = classifier.model.label_model.coef_
    chars = coef[:, fz.n_doc_word : classifier._n_text]
    assert classifier._doc_chars == bool(chars.any())
    few = texts[:6]
    lean, full = (classifier._score(few, small=small, doc_chars=d) for d in (False, True))
    assert (lean["probs"] == full["probs"]).all()
    assert (lean["sent"] == full["sent"]).all()
    results = [
        [classifier._explain(i, t, out, None) for i, t in enumerate(few)] for out in (lean, full)
    ]
    assert results[0] == results[1]
    if not classifier._doc_chars:  # the lean path did leave the block out
        x_lean, x_full = (o["x"] for o in (lean, full))
        assert x_lean.shape == x_full.shape
        lo, hi = fz.n_doc_word, classifier._n_text
        assert not ((x_lean.indices >= lo) & (x_lean.indices < hi)).any()
        assert ((x_full.indices >= lo) & (x_full.indices < hi)).any()
