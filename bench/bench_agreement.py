"""How well a second reader agrees with a labelled set, next to how well plancheck does.

A set's labels are one reader's; if a second reader, given only the contract and the bare
texts, disagrees as often as the model, the model's errors are label noise. If the reader
agrees and the model does not, the model cannot yet read those texts.

    .venv/bin/python bench/bench_agreement.py SET.jsonl SECOND.jsonl [SECOND2.jsonl …] [--model V]

``SET.jsonl``: lines with ``text`` and ``label`` (as for bench_real_texts.py).
``SECOND.jsonl``: lines ``{"i": "<anything>-<line number in SET>", "label": …, "sure": …}``,
or ``{"id": "<the item's id>", …}`` when SET's lines have ids (the corpus,
``data/plans.jsonl``); then plancheck is scored only on the items outside the train split.
"""

from __future__ import annotations

import argparse
import json
from collections import Counter
from pathlib import Path

import numpy as np
from sklearn.metrics import cohen_kappa_score

from plancheck import config, load_model
from plancheck.metrics import label_metrics


def _lines(path: Path) -> list[dict]:
    return [json.loads(x) for x in path.read_text(encoding="utf-8").splitlines() if x.strip()]


def _f1(truth: list[str], pred: list[str]) -> float:
    return float(label_metrics(truth, pred, config.LABELS)["macro_f1"])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("set", type=Path)
    ap.add_argument("second", type=Path, nargs="+")
    ap.add_argument("--model", default=None)
    args = ap.parse_args()
    items = _lines(args.set)
    readings = [r for p in args.second for r in _lines(p)]
    if readings and "id" in readings[0]:
        line_of = {item["id"]: k for k, item in enumerate(items)}
        second = {line_of[r["id"]]: r for r in readings}
    else:
        second = {int(str(r["i"]).rsplit("-", 1)[-1]): r for r in readings}
    idx = sorted(k for k in second if 0 <= k < len(items))
    first = [items[k]["label"] for k in idx]
    other = [second[k]["label"] for k in idx]
    unsure = np.mean([not second[k].get("sure", True) for k in idx])
    agree = np.array(first) == np.array(other)
    kappa = cohen_kappa_score(first, other)
    print(f"{args.set.name}: {len(idx)} texts labelled twice")
    print(f"  second reader vs the set: macro-F1 {_f1(first, other):.3f}, kappa {kappa:.3f}")
    print(f"  second reader unsure on {unsure:.0%}")
    sure = [i for i, k in enumerate(idx) if second[k].get("sure", True)]
    print(
        f"  on the {len(sure)} sure readings: agreement {np.mean(agree[sure]):.3f}, "
        f"disagreements {dict(Counter((first[i], other[i]) for i in sure if not agree[i]))}"
    )
    # A model has seen its training documents' labels: score it on the others only.
    scored = [i for i, k in enumerate(idx) if items[k].get("split", "test") != "train"]
    if len(scored) < len(idx):
        print(f"  plancheck is scored on the {len(scored)} of them outside the train split")
        idx, first, other, agree = (
            [idx[i] for i in scored],
            [first[i] for i in scored],
            [other[i] for i in scored],
            agree[scored],
        )
    pred = [
        r["label"] for r in load_model(args.model).classify_many([items[k]["text"] for k in idx])
    ]
    print(
        f"  plancheck vs the set {_f1(first, pred):.3f}, vs the second reader {_f1(other, pred):.3f}"
    )
    kept = np.flatnonzero(agree)
    print(
        f"  plancheck on the {kept.size} texts both readers agree on: "
        f"{_f1([first[i] for i in kept], [pred[i] for i in kept]):.3f}"
    )
    pairs = Counter((a, b) for a, b in zip(first, other, strict=True) if a != b)
    print(f"  disagreements (set → second reader): {dict(pairs)}")


if __name__ == "__main__":
    main()
