"""Classifier speed against fastText (issue 13), measured in one run on one core, interleaved.

Usage:  .venv/bin/python bench/bench_classify.py [--docs 1000] [--reps 3] [--models DIR]

On the same 300-word documents built from the corpus, best of ``--reps`` interleaved rounds:
- plancheck ``classify_many`` (label, elements, signals, explanation);
- plancheck ``predict_proba`` (label only);
- the plain word + char_wb TF-IDF → logistic regression pipeline, ``predict_proba``;
- fastText supervised (word bigrams, char n-grams 2–5, dim 100), trained here on the same
  train split, label probabilities for every document.
Then one document at a time (p50/p99 for plancheck ``classify`` and fastText), and the cost
of ``classify_many`` at 100, 300, 1,000 and 3,000 words (is it linear?).

Single documents, old path against new: ``classify`` of 100-, 300- and 1,000-word texts
through the sparse batch path (what ``classify`` did before the rows path) and through the
rows path, the two alternating text by text in one run; wall p50/p99 and CPU p50. Only this
part, without fastText:  .venv/bin/python bench/bench_classify.py --paths-only

fastText is the yardstick, so it is never skipped: when ``import fasttext`` fails, the
benchmark installs the ``fasttext`` extra (``fasttext-wheel``) into this interpreter with pip
first. The process pins itself to one core and one BLAS thread before importing numpy.
"""

from __future__ import annotations

import os

os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
os.environ.setdefault("MKL_NUM_THREADS", "1")

import argparse  # noqa: E402
import importlib  # noqa: E402
import json  # noqa: E402
import random  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
from collections.abc import Callable  # noqa: E402
from pathlib import Path  # noqa: E402
from typing import Any  # noqa: E402


def make_docs(texts: list[str], n: int, words: int = 300, seed: int = 0) -> list[str]:
    """Benchmark input (not corpus): corpus texts concatenated and cut to ``words`` words."""
    rng = random.Random(seed)
    out = []
    for _ in range(n):
        parts, count = [], 0
        while count < words:
            t = rng.choice(texts)
            parts.append(t)
            count += len(t.split())
        out.append(" ".join(" ".join(parts).split(" ")[:words]))
    return out


def ensure_fasttext() -> Any:
    """``fasttext``, installed with pip into this interpreter when it is missing."""
    try:
        return importlib.import_module("fasttext")
    except ImportError:
        print("fasttext missing: pip install fasttext-wheel (the 'fasttext' extra)", flush=True)
        subprocess.run(
            [sys.executable, "-m", "pip", "install", "--quiet", "fasttext-wheel>=0.9.2"],
            check=True,
        )
        importlib.invalidate_caches()
        return importlib.import_module("fasttext")


def one_line(text: str) -> str:
    return " ".join(text.split())


def train_fasttext(ft: Any, docs: list[Any]) -> Any:
    with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False, encoding="utf-8") as fh:
        for d in docs:
            fh.write(f"__label__{d.label} {one_line(d.text).lower()}\n")
        path = fh.name
    try:
        return ft.train_supervised(
            input=path, wordNgrams=2, minn=2, maxn=5, dim=100, epoch=25, lr=0.5, verbose=0
        )
    finally:
        os.unlink(path)


def train_tfidf(docs: list[Any]) -> Any:
    """The plain pipeline: word + char_wb TF-IDF → logistic regression."""
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline, make_union

    from plancheck.text import normalize

    return make_pipeline(
        make_union(
            TfidfVectorizer(
                preprocessor=normalize, ngram_range=(1, 2), sublinear_tf=True, min_df=2
            ),
            TfidfVectorizer(
                preprocessor=normalize,
                analyzer="char_wb",
                ngram_range=(2, 5),
                sublinear_tf=True,
                min_df=2,
                max_features=150_000,
            ),
        ),
        LogisticRegression(C=16, max_iter=2000),
    ).fit([d.text for d in docs], [d.label for d in docs])


def best_rate(systems: dict[str, Callable[[], object]], n: int, reps: int) -> dict[str, float]:
    """Documents/s of each system, best of ``reps`` rounds run in turn (interleaved)."""
    best = dict.fromkeys(systems, 0.0)
    for _ in range(reps):
        for name, run in systems.items():
            t = time.perf_counter()
            run()
            best[name] = max(best[name], n / (time.perf_counter() - t))
    return best


def latencies(calls: dict[str, Callable[[str], object]], texts: list[str]) -> dict[str, list]:
    """Per system, ms per single-document call; systems alternate document by document."""
    out: dict[str, list[float]] = {k: [] for k in calls}
    for x in texts:
        for name, call in calls.items():
            t = time.perf_counter()
            call(x)
            out[name].append((time.perf_counter() - t) * 1000)
    return out


def single_paths(clf: Any, texts_by_words: dict[int, list[str]]) -> dict[str, Any]:
    """``classify`` one text at a time through the sparse path (``small_batch = 0``: every
    batch, one text included, goes through the scipy.sparse matrices) and the rows path,
    alternating per text (which goes first alternates too); ms per call."""
    rows_k = clf.small_batch
    out: dict[str, Any] = {}
    try:
        for words, texts in texts_by_words.items():
            clf.classify_many(texts)  # warm: the term table knows these words
            wall: dict[str, list[float]] = {"sparse": [], "rows": []}
            cpu: dict[str, list[float]] = {"sparse": [], "rows": []}
            for i, x in enumerate(texts):
                order = [("sparse", 0), ("rows", rows_k)]
                for name, k in order if i % 2 else order[::-1]:
                    clf.small_batch = k
                    t, c = time.perf_counter(), time.process_time()
                    clf.classify(x)
                    wall[name].append((time.perf_counter() - t) * 1000)
                    cpu[name].append((time.process_time() - c) * 1000)
            out[str(words)] = {
                name: {
                    "p50": round(pct(wall[name], 0.5), 2),
                    "p99": round(pct(wall[name], 0.99), 2),
                    "cpu_p50": round(pct(cpu[name], 0.5), 2),
                }
                for name in wall
            }
            s, r = out[str(words)]["sparse"]["p50"], out[str(words)]["rows"]["p50"]
            out[str(words)]["p50_sparse_over_rows"] = round(s / r, 2)
    finally:
        clf.small_batch = rows_k
    return out


def paths_only(models: Path | None, n: int) -> int:
    """Single-document ``classify``: the sparse path against the rows path (no fastText)."""
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {sorted(os.sched_getaffinity(0))[0]})
    from plancheck import load_model
    from plancheck.corpus import load_corpus

    clf = load_model(models_dir=models)
    corpus = [d.text for d in load_corpus()]
    load_before = [round(x, 2) for x in os.getloadavg()]
    by_words = {w: make_docs(corpus, n, words=w, seed=w) for w in (100, 300, 1000)}
    paths = single_paths(clf, by_words)
    out = {
        "command": "python " + " ".join(sys.argv),
        "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        "load_average_before_after": [load_before, [round(x, 2) for x in os.getloadavg()]],
        "model": clf.version,
        "texts_per_length": n,
        "single_ms": paths,
    }
    print(json.dumps(out, indent=2))
    print(
        "\n| words | sparse p50 | sparse p99 | rows p50 | rows p99 | sparse CPU p50 | rows CPU p50 |"
    )
    print("|---:|---:|---:|---:|---:|---:|---:|")
    for w, v in paths.items():
        a, b = v["sparse"], v["rows"]
        print(
            f"| {w} | {a['p50']} | {a['p99']} | {b['p50']} | {b['p99']} "
            f"| {a['cpu_p50']} | {b['cpu_p50']} |"
        )
    return 0


def pct(values: list[float], q: float) -> float:
    v = sorted(values)
    return v[min(len(v) - 1, int(round(q * (len(v) - 1))))]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--docs", type=int, default=1000)
    ap.add_argument("--reps", type=int, default=3)
    ap.add_argument("--single", type=int, default=300, help="documents for p50/p99")
    ap.add_argument("--models", type=Path, default=None)
    ap.add_argument(
        "--paths-only",
        action="store_true",
        help="only single-document classify, sparse path against rows path (no fastText)",
    )
    args = ap.parse_args()
    if args.paths_only:
        return paths_only(args.models, args.single)
    ft = ensure_fasttext()
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {sorted(os.sched_getaffinity(0))[0]})

    from plancheck import load_model
    from plancheck.corpus import load_corpus, split_docs

    clf = load_model(models_dir=args.models)
    docs = load_corpus()
    train = split_docs(docs, "train")
    texts = make_docs([d.text for d in docs], args.docs)
    fasttext_model = train_fasttext(ft, train)
    bare = train_tfidf(train)

    def ft_batch() -> object:
        return fasttext_model.predict([one_line(t).lower() for t in texts], k=3)

    systems: dict[str, Callable[[], object]] = {
        "fastText": ft_batch,
        "tfidf_lr": lambda: bare.predict_proba(texts),
        "plancheck_label": lambda: clf.predict_proba(texts),
        "plancheck_classify_many": lambda: clf.classify_many(texts),
    }
    for run in systems.values():  # warm-up: imports, caches, the term table
        run()
    rates = best_rate(systems, len(texts), args.reps)

    lat = latencies(
        {
            "plancheck_classify": clf.classify,
            # a list of one: fasttext-wheel's single-string path breaks on numpy 2 (copy=False)
            "fastText": lambda x: fasttext_model.predict([one_line(x).lower()], k=3),
        },
        texts[: args.single],
    )
    paths = single_paths(
        clf, {w: make_docs([d.text for d in docs], 100, words=w, seed=w) for w in (100, 300, 1000)}
    )
    lengths = {}
    for words, n in ((100, 300), (300, 200), (1000, 80), (3000, 30)):
        sample = make_docs([d.text for d in docs], n, words=words, seed=words)
        clf.classify_many(sample[:5])
        rate = best_rate({"many": lambda s=sample: clf.classify_many(s)}, n, 2)["many"]
        lengths[words] = {"ms_per_doc": 1000 / rate, "ms_per_1000_words": 1e6 / rate / words}

    ref = rates["fastText"]
    out = {
        "command": "python " + " ".join(sys.argv),
        "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        "load_average": [round(x, 2) for x in os.getloadavg()],
        "model": clf.version,
        "docs": len(texts),
        "docs_per_s": {k: round(v, 1) for k, v in rates.items()},
        "x_fastText": {k: round(v / ref, 3) for k, v in rates.items()},
        "single_ms": {
            k: {"p50": round(pct(v, 0.5), 2), "p99": round(pct(v, 0.99), 2)}
            for k, v in lat.items()
        },
        "single_sparse_vs_rows_ms": paths,
        "classify_many_by_length": {
            w: {k: round(x, 2) for k, x in v.items()} for w, v in lengths.items()
        },
    }
    print(json.dumps(out, indent=2))
    print("\n| system | documents/s | × fastText |\n|---|---:|---:|")
    for k, v in rates.items():
        print(f"| {k} | {v:,.0f} | {v / ref:.2f} |")
    print(f"\nsingle document: {json.dumps(out['single_ms'])}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
