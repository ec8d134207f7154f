"""Classification in worker processes: the model loaded once per worker, chunks run in order."""

from __future__ import annotations

import gc
import multiprocessing as mp
import os
import signal
import threading
import time
from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from multiprocessing.context import BaseContext
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple, cast

from .. import load_model
from ..errors import BatchRunError, InputError, PlancheckError, error_item
from ..reading import read_document
from ..records import classify_records
from .doc import Doc
from .folder import read_file
from .outputs import ENCODERS, Record
from .summary import Tally

if TYPE_CHECKING:
    from ..classifier import Classifier

_STATE: dict[str, Any] = {}


def init_worker(
    model_folder: str, models_dir: str, in_pool: bool = True, preloaded: bool = False
) -> None:
    """Process-pool initializer: load the model once for this worker's whole life.

    A pool worker ignores Ctrl-C (the main process handles it and stops the pool) and exits
    by itself if the main process is killed. ``preloaded``: the worker was forked from a
    main process that loaded the model already (or failed to), so it keeps that.
    """

    if in_pool:
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        start_parent_watchdog()
    if preloaded and ("classifier" in _STATE or "load_error" in _STATE):
        return
    try:
        _STATE["classifier"] = load_model(model_folder, models_dir)
    except Exception as e:  # reported by the first chunk, with the reason
        _STATE["load_error"] = f"the model could not be loaded: {e}"


def start_parent_watchdog(interval: float = 1.0) -> None:
    """Exit this worker if its parent dies (a killed run leaves no orphans behind)."""
    parent = os.getppid()

    def watch() -> None:
        while True:
            time.sleep(interval)
            if os.getppid() != parent:
                os._exit(1)

    threading.Thread(target=watch, name="plancheck-parent-watchdog", daemon=True).start()


def worker_classifier() -> Classifier:
    """The classifier :func:`init_worker` loaded in this process."""
    if "classifier" not in _STATE:
        raise BatchRunError(_STATE.get("load_error", "no model loaded in this worker"))
    return cast("Classifier", _STATE["classifier"])


def error_record(doc_id: Any, message: str, code: str = "invalid_input") -> dict[str, Any]:
    """The output record of a document that could not be read or classified."""
    return error_item(doc_id, InputError(message, code))


def doc_text(doc: Doc) -> object:
    """The text of a document (read from its file when it has one); raises when unreadable."""
    if doc.error is not None:
        raise InputError(doc.error, doc.code)
    if doc.path is not None:
        return read_document(read_file(Path(doc.path)), doc.path)
    return doc.text


def classify_docs(clf: Classifier, docs: list[Doc]) -> list[Record]:
    """Results for a chunk, in its order: files read here, then ``classify_records``."""
    results: list[Record | None] = [None] * len(docs)
    good: list[int] = []
    texts: list[object] = []
    for i, doc in enumerate(docs):
        try:
            texts.append(doc_text(doc))
            good.append(i)
        except PlancheckError as e:
            results[i] = error_item(doc.id, e)
    classified = classify_records(clf, texts, [docs[i].id for i in good]) if texts else []
    for i, result in zip(good, classified, strict=True):
        results[i] = result
    return results  # type: ignore[return-value]  # every slot is filled by now


class ChunkOut(NamedTuple):
    """What a worker sends back for one chunk: the encoded output and its tally."""

    payload: Any
    tally: Tally
    n: int


def process_chunk(docs: list[Doc], fmt: str) -> ChunkOut:
    """Worker entry point: classify a chunk and encode it for the output format."""
    results = classify_docs(worker_classifier(), docs)
    tally = Tally()
    for r in results:
        tally.add_result(r)
    return ChunkOut(ENCODERS[fmt](results), tally, len(docs))


def default_jobs() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - macOS, Windows
        return max(1, os.cpu_count() or 1)


def worker_ready() -> int:
    """A no-op task: fails with the reason if this worker could not load the model."""
    worker_classifier()
    return os.getpid()


def pool_context() -> BaseContext:
    """``fork`` where there is one: workers inherit the imported libraries (importing
    scikit-learn in each worker costs seconds), then load the model in their initializer."""
    return mp.get_context("fork" if "fork" in mp.get_all_start_methods() else "spawn")


def start_pool(jobs: int, model_folder: str, models_dir: str) -> ProcessPoolExecutor:
    """``jobs`` worker processes, each with the model loaded once (checked before returning).

    With ``fork`` the main process loads the model and the workers inherit it: one load
    instead of ``jobs`` loads competing for the same cores at start-up, and the model's
    pages stay shared (the collector is kept off them, as in ``api/serve.py``).
    """
    context = pool_context()
    preloaded = context.get_start_method() == "fork"
    if preloaded:
        init_worker(model_folder, models_dir, in_pool=False)
        gc.freeze()
    pool = ProcessPoolExecutor(
        jobs,
        mp_context=context,
        initializer=init_worker,
        initargs=(model_folder, models_dir, True, preloaded),
    )
    try:
        for future in [pool.submit(worker_ready) for _ in range(jobs)]:
            future.result()
    except BaseException:
        pool.shutdown(wait=False, cancel_futures=True)
        raise
    return pool


@contextmanager
def chunk_runner(
    jobs: int, model_folder: str, models_dir: str
) -> Iterator[ProcessPoolExecutor | None]:
    """The model, ready: loaded here for ``--jobs 1`` (None), else a started worker pool."""
    if jobs <= 1:
        init_worker(model_folder, models_dir, in_pool=False)
        try:
            worker_classifier()
            yield None
        finally:
            _STATE.clear()
        return
    try:
        pool = start_pool(jobs, model_folder, models_dir)
        try:
            yield pool
        except BaseException:
            pool.shutdown(wait=False, cancel_futures=True)
            raise
        pool.shutdown(wait=True)
    finally:
        _STATE.pop("classifier", None)  # what start_pool loaded here for the workers
        _STATE.pop("load_error", None)
        gc.unfreeze()


def run_chunks(
    chunks: Iterable[list[Doc]], fmt: str, pool: ProcessPoolExecutor | None, max_in_flight: int
) -> Iterator[ChunkOut]:
    """Classified chunks in input order: here one by one, or from the pool.

    At most ``max_in_flight`` chunks are submitted and not yet written, so memory stays flat
    however large the input is.
    """
    if pool is None:
        for chunk in chunks:
            yield process_chunk(chunk, fmt)
        return
    pending: deque[Future[ChunkOut]] = deque()
    try:
        for chunk in chunks:
            pending.append(pool.submit(process_chunk, chunk, fmt))
            if len(pending) >= max_in_flight:
                yield pending.popleft().result()
        while pending:
            yield pending.popleft().result()
    except BrokenProcessPool:
        raise BatchRunError(
            "a worker process died (out of memory?); run again with --resume"
        ) from None
