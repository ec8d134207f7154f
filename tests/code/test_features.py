"""Featuriser and element-detector building blocks."""

import pickle

import numpy as np
import pytest
from sklearn.base import clone

from plancheck import config
from plancheck.elements import ElementDetector, document_scores, sentence_targets, tune_thresholds
from plancheck.features import MASK_TOKEN, SentenceFeaturizer, prepare
from plancheck.text import normalize, sentences

TEXTS = [
    "أهدافنا: زيادة المبيعات ٢٠٪.\n• الجمهور: الأمهات في جدة\n• الميزانية ٥٠ ألف ريال",
    "Our goal is more leads. Audience: SMEs in Dubai! Budget 20k AED. Review every 6 months.",
    "استراتيجية الحملة: خصم للعيد #عيد_سعيد https://x.co/a",
]


def test_batch_normalisation_equals_one_by_one():
    prep = prepare(TEXTS)
    expected = [normalize(s) for t in TEXTS for s in sentences(t)]
    assert prep.sentences == expected
    assert list(prep.offsets) == [0, 3, 7, 8]


def test_masking_hides_plan_type_words():
    prep = prepare(
        ["Our strategy and the campaign", "استراتيجيتنا للحملة وحملات رمضان"], mask_plan_words=True
    )
    assert prep.sentences[0] == f"our {MASK_TOKEN} and the {MASK_TOKEN}"
    assert "استراتيج" not in prep.sentences[1] and "حمل" not in prep.sentences[1]


def test_document_counts_are_sums_of_sentence_counts():
    prep = prepare(TEXTS * 3)
    fz = SentenceFeaturizer(min_df=1).fit(prep)
    sw, sc = fz.counts(prep)
    agg = prep.aggregation()
    doc_word = (agg @ sw).toarray()
    direct = fz.word_.transform(
        [
            " ".join(prep.sentences[a:b])
            for a, b in zip(prep.offsets[:-1], prep.offsets[1:], strict=True)
        ]
    )
    # word unigrams never cross a sentence boundary, so counts agree exactly on them
    uni = [i for t, i in fz.word_.vocabulary_.items() if " " not in t]
    assert np.array_equal(doc_word[:, uni], direct.toarray()[:, uni])
    s_x, d_x = fz.transform(prep)
    assert s_x.shape[0] == len(prep.sentences) and d_x.shape[0] == len(TEXTS) * 3


def test_estimators_survive_clone_and_pickle():
    prep = prepare(TEXTS * 3)
    fz = SentenceFeaturizer(min_df=1, char_ngrams=(3, 4))
    assert clone(fz).get_params() == fz.get_params()
    fz.fit(prep)
    again = pickle.loads(pickle.dumps(fz))
    a, b = fz.transform(prep), again.transform(prep)
    assert (a[0] != b[0]).nnz == 0 and (a[1] != b[1]).nnz == 0
    s_x, _ = a
    y = np.zeros((s_x.shape[0], 8), dtype=int)
    y[::2, 0] = 1
    det = ElementDetector(C=2.0)
    assert clone(det).get_params() == {"C": 2.0}
    det.fit(s_x, y)
    det2 = pickle.loads(pickle.dumps(det))
    assert np.allclose(det.sentence_scores(s_x), det2.sentence_scores(s_x))
    # an element with no positives scores (near) zero everywhere instead of failing
    assert det.sentence_scores(s_x)[:, 1].max() < 1e-3


def test_sentence_targets_from_evidence():
    text = TEXTS[0]
    spans = prepare([text]).spans[0]
    y = sentence_targets(
        text, spans, {"budget": ["الميزانية ٥٠ ألف ريال"], "goals": ["زيادة المبيعات"]}
    )
    assert y[:, 0].tolist() == [1, 0, 0]  # goals
    assert y[:, 5].tolist() == [0, 0, 1]  # budget


def test_document_scores_take_each_documents_best_sentence():
    scores = np.asarray([[0.1] * 8, [0.9] * 8, [0.4] * 8], dtype=np.float32)
    out = document_scores(scores, np.asarray([0, 2, 2, 3]))
    assert out[:, 0].tolist() == [np.float32(0.9), 0.0, np.float32(0.4)]


def test_tune_thresholds_finds_the_separating_value():
    scores = np.asarray([[0.2], [0.3], [0.7], [0.8]])
    truth = np.asarray([[0], [0], [1], [1]])
    t = tune_thresholds(scores, truth)
    assert 0.3 < t[0] <= 0.7


def test_cached_char_counts_equal_sklearn():
    prep = prepare(TEXTS * 4 + ["", "a", "ab abc abcdef", "كلمة واحدة كلمة"])
    fz = SentenceFeaturizer(min_df=1).fit(prepare(TEXTS))
    fast = fz.char_counts(prep.sentences)
    slow = fz.char_.transform(prep.sentences)
    assert fast.shape == slow.shape
    assert (fast != slow).nnz == 0
    fz.char_counts(prep.sentences)  # second call served from the cache
    assert (fz.char_counts(prep.sentences) != slow).nnz == 0
    assert "_word_ngrams" not in pickle.loads(pickle.dumps(fz)).__dict__


def test_the_lead_block_counts_only_the_sentences_that_open_a_text():
    body = " ".join(["detail"] * 60)
    texts = [f"Council adopts social media plan. {body}. Tender for the new website.", "Promo."]
    prep = prepare(texts)
    lead = prep.lead_aggregation(50).toarray()
    # text 0: the headline and the 60-word sentence start within 50 words; the last does not
    assert lead[0].tolist() == [1, 1, 0, 0] and lead[1].tolist() == [0, 0, 0, 1]
    fz = SentenceFeaturizer(min_df=1, lead_words=50).fit(prepare(texts * 2))
    _, d_x = fz.transform(prep)
    names = list(fz.feature_names())
    assert d_x.shape[1] == len(names) and fz.n_doc_word == 2 * fz.n_word_
    website = names.index("l:website")
    assert d_x[0, names.index("w:website")] > 0 and d_x[0, website] == 0
    assert d_x[0, names.index("l:council")] > 0
    # without a lead the layout is the words then the characters, as models saved before it
    plain = SentenceFeaturizer(min_df=1).fit(prepare(texts * 2))
    assert plain.n_doc_word == plain.n_word_
    assert not any(n.startswith("l:") for n in plain.feature_names())


def test_threshold_scale_lowers_every_tuned_element_threshold(monkeypatch):
    """``TrainParams.element_threshold_scale`` multiplies the thresholds tuned on dev, per
    length bucket too, and leaves the temperatures alone."""
    import plancheck.calibrate as cal

    class Stub:
        length_edges = (40, 600)
        thresholds = bucket_thresholds = bucket_temperatures = None
        temperature = 1.0

        def bucket(self, n: int) -> int:
            return 0 if n <= 40 else (2 if n >= 600 else 1)

    monkeypatch.setattr(cal, "_humility", lambda *a, **k: (1.0, 0.0))
    rng = np.random.default_rng(0)
    dev_el = rng.random((60, 8))
    dev_truth = (dev_el + rng.normal(0, 0.2, dev_el.shape) > 0.5).astype(int)
    logits = rng.normal(size=(60, 3))
    kw = dict(
        dev_el=dev_el,
        dev_truth=dev_truth,
        dev_words=[30, 200, 900] * 20,
        train_words=[30, 200, 900] * 20,
        oof_logits=logits,
        y=rng.integers(0, 3, 60),
        dev_logits=logits,
        y_dev=rng.integers(0, 3, 60),
    )
    plain, scaled = Stub(), Stub()
    cal.calibrate(plain, **kw)
    cal.calibrate(scaled, threshold_scale=0.7, **kw)
    assert np.allclose(scaled.thresholds, 0.7 * plain.thresholds)
    assert np.allclose(scaled.bucket_thresholds, 0.7 * plain.bucket_thresholds)
    assert scaled.temperature == plain.temperature
    # one factor per element: the defaults lower implementation and ownership, raise horizon
    from plancheck.search import TrainParams

    per = TrainParams().element_threshold_scales()
    each = Stub()
    cal.calibrate(each, threshold_scale=per, **kw)
    assert np.allclose(each.thresholds, per * plain.thresholds)
    assert np.allclose(each.bucket_thresholds, per[None, :] * plain.bucket_thresholds)
    k = list(config.ELEMENTS)
    assert per[k.index("implementation")] < per[k.index("ownership")] < per[k.index("budget")]
    assert per[k.index("horizon")] > per[k.index("budget")]


def test_per_element_threshold_factors_name_real_elements():
    from plancheck.search import TrainParams

    with pytest.raises(ValueError, match="unknown elements: 'goal'"):
        TrainParams(element_threshold_by=(("goal", 0.5),))


@pytest.mark.parametrize(
    "bad, message",
    [
        ({"ngram_loss": "svm"}, "ngram_loss must be one of hinge, log, not 'svm'"),
        ({"C_grid": ()}, "C_grid must hold one or more positive values"),
        ({"meta_C_grid": (1.0, 0.0)}, "meta_C_grid must hold one or more positive values"),
        ({"cv_folds": 1}, "cv_folds must be at least 2"),
    ],
)
def test_train_params_are_refused_when_built_not_a_minute_into_training(bad, message):
    from plancheck.search import TrainParams

    with pytest.raises(ValueError, match=message):
        TrainParams(**bad)
    TrainParams.quick()  # the presets pass
    TrainParams()
