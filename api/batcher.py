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


class _Lane:
    """The requests for one model: a reload starts a new lane, so fresh requests never wait
    behind a batch still running on the old model."""

    __slots__ = ("busy", "pending")

    def __init__(self) -> None:
        self.pending: list[_Job] = []
        self.busy = False


class MicroBatcher:
    """Classify single texts from many threads, batching those that wait for the model.

    Args:
        max_batch: most texts in one ``classify_many`` call (a bound on a batch's latency).
    """

    def __init__(self, max_batch: int = 16) -> None:
        self.max_batch = max_batch
        self._lock = threading.Lock()
        self._lanes: dict[int, _Lane] = {}  # by id(model); a lane is dropped when idle

    def classify(self, model: Any, text: str) -> Any:
        """``model.classify(text)``, possibly computed in a batch with other threads' texts."""
        job = _Job(model, text)
        with self._lock:
            lane = self._lanes.setdefault(id(model), _Lane())
            lane.pending.append(job)
            lead = not lane.busy
            lane.busy = True
        if not lead:
            job.wake.wait()
        if not job.done:  # idle model found, or woken to lead the next batch
            self._run_batch(lane, id(model))
        if job.error is not None:
            raise job.error
        return job.result

    def _run_batch(self, lane: _Lane, key: int) -> None:
        with self._lock:
            batch = lane.pending[: self.max_batch]
            del lane.pending[: self.max_batch]
        try:
            _classify(batch)
        finally:
            for j in batch:
                j.done = True
                j.wake.set()
            with self._lock:
                if lane.pending:
                    lane.pending[0].wake.set()  # not done: it leads the next batch
                else:
                    lane.busy = False
                    del self._lanes[key]  # the model object may go; its id may be reused


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
