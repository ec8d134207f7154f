"""CPU ms per document of one code tree, for old-against-new comparisons (issue 13).

Usage (alternate the trees in a shell loop, on one core):
    PYTHONPATH=<tree>/src:<tree> taskset -c 1 .venv/bin/python bench/bench_cpu_per_doc.py \\
        <tree> <models dir>

Prints JSON: ``classify_many`` and ``predict_proba`` CPU ms per document on 300 documents of
300 words (term table warm), and the p50 CPU ms of 150 single ``classify`` calls. CPU time
(``time.process_time``) moves much less than wall time on a shared machine. Only
``load_model``, ``classify``, ``classify_many`` and ``predict_proba`` are used, so older
trees run it too.
"""

from __future__ import annotations

import json
import os
import sys
import time

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")


def main(tree: str, models: str) -> dict[str, float]:
    sys.path.insert(0, os.path.join(tree, "bench"))
    from bench_classify import make_docs

    from plancheck import load_model
    from plancheck.corpus import load_corpus

    clf = load_model(models_dir=models)
    texts = make_docs([d.text for d in load_corpus()], 300)
    clf.classify_many(texts)  # warm: imports, caches, the term table
    clf.predict_proba(texts)
    t = time.process_time()
    clf.classify_many(texts)
    many = (time.process_time() - t) * 1000 / len(texts)
    t = time.process_time()
    clf.predict_proba(texts)
    proba = (time.process_time() - t) * 1000 / len(texts)
    one = []
    for x in texts[:150]:
        t = time.process_time()
        clf.classify(x)
        one.append((time.process_time() - t) * 1000)
    one.sort()
    return {"many": round(many, 2), "proba": round(proba, 2), "p50": round(one[75], 2)}


if __name__ == "__main__":
    print(json.dumps(main(sys.argv[1], sys.argv[2])))
