"""Classifier speed and size (issue 3 targets), measured in one run on one core.

Usage:  .venv/bin/python bench/bench_classify.py [--docs 1000] [--models DIR]

Reports, on 300-word documents built from the corpus:
- ``classify_many`` documents/s (elements, signals and explanations included);
- ``classify`` latency p50/p99 one document at a time;
- the bare label pipeline (word + char_wb TF-IDF → logistic regression, sklearn's own
  ``predict_proba``) on the same documents, and the ratio ``classify_many`` / bare;
- artifact size and the RSS a loaded model adds.
The process pins itself to one core and one BLAS thread before importing numpy.
"""

from __future__ import annotations

import os

os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
os.environ.setdefault("MKL_NUM_THREADS", "1")

import argparse  # noqa: E402
import json  # noqa: E402
import random  # noqa: E402
import resource  # noqa: E402
import statistics  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402


def rss_mb() -> float:
    with open("/proc/self/status") as fh:
        for line in fh:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


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


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--docs", type=int, default=1000)
    ap.add_argument("--models", type=Path, default=None)
    args = ap.parse_args()
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {sorted(os.sched_getaffinity(0))[0]})

    base_rss = rss_mb()
    from plancheck import load_model
    from plancheck.artifacts import MODEL_FILE, resolve
    from plancheck.corpus import load_corpus, split_docs

    after_import = rss_mb()
    clf = load_model(models_dir=args.models)
    loaded = rss_mb()
    folder = resolve(None, args.models)
    docs = load_corpus()
    texts = make_docs([d.text for d in docs], args.docs)

    clf.classify_many(texts[:50])  # warm-up (imports, caches)
    t = time.perf_counter()
    clf.classify_many(texts)
    many = len(texts) / (time.perf_counter() - t)

    lat = []
    for x in texts[:300]:
        t = time.perf_counter()
        clf.classify(x)
        lat.append((time.perf_counter() - t) * 1000)
    lat.sort()
    p50, p99 = statistics.median(lat), lat[int(len(lat) * 0.99) - 1]

    # The bare label pipeline: what a plain word + char_wb TF-IDF logistic regression costs.
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline, make_union

    from plancheck.text import normalize

    train = split_docs(docs, "train")
    bare = make_pipeline(
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
    ).fit([d.text for d in train], [d.label for d in train])
    bare.predict_proba(texts[:50])
    t = time.perf_counter()
    bare.predict_proba(texts)
    bare_rate = len(texts) / (time.perf_counter() - t)

    size_mb = (folder / MODEL_FILE).stat().st_size / 1e6
    card = json.loads((folder / "model.json").read_text(encoding="utf-8"))
    out = {
        "command": "python " + " ".join(sys.argv),
        "model": clf.version,
        "docs": len(texts),
        "classify_many_docs_per_s": round(many, 1),
        "classify_p50_ms": round(p50, 2),
        "classify_p99_ms": round(p99, 2),
        "bare_pipeline_docs_per_s": round(bare_rate, 1),
        "ratio_classify_many_to_bare": round(many / bare_rate, 2),
        "artifact_mb": round(size_mb, 2),
        "rss_import_mb": round(after_import - base_rss, 1),
        "rss_added_by_model_mb": round(loaded - after_import, 1),
        "training_seconds": card.get("training", {}).get("seconds"),
    }
    print(json.dumps(out, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
