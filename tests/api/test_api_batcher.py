"""Concurrent requests are scored together and each gets exactly its own result."""

from __future__ import annotations

import threading
import time

import pytest

from api.batcher import MicroBatcher


class _Model:
    """Answers with the text itself, records batch sizes, and is slow enough to batch."""

    def __init__(self) -> None:
        self.batches: list[int] = []

    def classify_many(self, texts: list[str]) -> list[dict]:
        self.batches.append(len(texts))
        time.sleep(0.02)
        if "bad" in texts:
            raise ValueError("a text the model cannot handle")
        return [{"label": t} for t in texts]

    def classify(self, text: str) -> dict:
        if text == "bad":
            raise ValueError("a text the model cannot handle")
        return {"label": text}


def _run(batcher: MicroBatcher, model: _Model, texts: list[str]) -> dict[str, object]:
    out: dict[str, object] = {}

    def call(t: str) -> None:
        try:
            out[t] = batcher.classify(model, t)
        except ValueError as e:
            out[t] = e

    threads = [threading.Thread(target=call, args=(t,)) for t in texts]
    for th in threads:
        th.start()
    for th in threads:
        th.join(10)
    return out


def test_concurrent_texts_are_batched_and_each_gets_its_own_result():
    model, batcher = _Model(), MicroBatcher(max_batch=4)
    texts = [f"t{i}" for i in range(20)]
    out = _run(batcher, model, texts)
    assert out == {t: {"label": t} for t in texts}
    assert sum(model.batches) == 20 and max(model.batches) <= 4
    assert len(model.batches) < 20  # some went together
    assert batcher.classify(model, "alone") == {"label": "alone"}  # idle again


def test_a_failing_text_fails_alone():
    model, batcher = _Model(), MicroBatcher()
    out = _run(batcher, model, ["a", "bad", "b", "c"])
    assert isinstance(out["bad"], ValueError)
    assert out["a"] == {"label": "a"} and out["c"] == {"label": "c"}


@pytest.mark.slow
def test_batched_results_equal_single_ones(classifier):
    texts = [
        "Our three-year social media strategy: goals, audience, budget 50k, review quarterly.",
        "حملة رمضان: خصم ٢٠٪ لمدة أسبوعين على إنستغرام وتيك توك",
        "Meeting notes: the printer on floor 2 is broken again.",
    ] * 3
    out = _run(MicroBatcher(), classifier, texts)
    for t in texts:
        assert out[t] == classifier.classify(t)
