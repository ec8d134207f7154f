"""Concurrent ``/v1/classify`` requests scored together: one ``classify_many`` for all waiting.

One document alone pays the model's fixed cost per call (sparse matrix set-up, products
over the whole vocabulary) that a batch shares: on 300-word plans, ``classify_many`` of 8
texts costs about half the CPU per text of 8 ``classify`` calls (bench/RESULTS.md, issue
13). Python threads give no parallelism for this CPU-bound work anyway, so requests that
arrive while the model is busy wait for the current batch and then go together in the next.
Results are identical: the model scores each text of a batch on its own.

Leader and followers: the thread that finds the model idle classifies everything pending
and returns; if more requests arrived meanwhile, the first of them is woken to lead the next
batch, so no request waits behind batches that came after it.
"""

from __future__ import annotations

import threading
from typing import Any


class _Job:
    __slots__ = ("done", "error", "model", "result", "text", "wake")

    def __init__(self, model: Any, text: str) -> None:
        self.model = model
        self.text = text
        self.wake = threading.Event()
        self.done = False
        self.result: Any = None
        self.error: BaseException | None = None


class MicroBatcher:
    """Classify single texts from many threads, batching those that wait for the model.

    Args:
        max_batch: most texts in one ``classify_many`` call (a bound on a batch's latency).
    """

    def __init__(self, max_batch: int = 16) -> None:
        self.max_batch = max_batch
        self._lock = threading.Lock()
        self._pending: list[_Job] = []
        self._busy = False

    def classify(self, model: Any, text: str) -> Any:
        """``model.classify(text)``, possibly computed in a batch with other threads' texts."""
        job = _Job(model, text)
        with self._lock:
            self._pending.append(job)
            lead = not self._busy
            self._busy = True
        if not lead:
            job.wake.wait()
        if not job.done:  # idle model found, or woken to lead the next batch
            self._run_batch()
        if job.error is not None:
            raise job.error
        return job.result

    def _run_batch(self) -> None:
        with self._lock:
            batch = self._pending[: self.max_batch]
            del self._pending[: self.max_batch]
        try:
            by_model: dict[int, list[_Job]] = {}
            for j in batch:  # a reload may swap the model between two requests
                by_model.setdefault(id(j.model), []).append(j)
            for jobs in by_model.values():
                _classify(jobs)
        finally:
            for j in batch:
                j.done = True
                j.wake.set()
            with self._lock:
                if self._pending:
                    self._pending[0].wake.set()  # not done: it leads the next batch
                else:
                    self._busy = False


def _classify(jobs: list[_Job]) -> None:
    model = jobs[0].model
    try:
        results = model.classify_many([j.text for j in jobs])
        for j, r in zip(jobs, results, strict=True):
            j.result = r
    except Exception:  # one bad text must not fail the others: each alone, as requested
        for j in jobs:
            try:
                j.result = model.classify(j.text)
            except Exception as e:
                j.error = e
