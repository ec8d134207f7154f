"""Score plancheck and the baselines on labelled real texts that are not in the repository.

Real published texts are third-party, so they are never committed; anyone with such a set
(JSONL lines with ``text``, ``label``, ``lang`` and optionally ``elements``) can rerun the
real-text tables of bench/RESULTS.md:

    .venv/bin/python bench/bench_real_texts.py real1.jsonl real2.jsonl [--model VERSION]

Baselines (one-word rule, word + char TF-IDF LR) are trained on the corpus's train split.
Items with a ``register`` (news, press, award, public_strategy…) are also scored per form.
With several sets, a last line pools them: one figure, with a tighter interval, to follow
from one model to the next (pass only sets of one kind, e.g. the published ones).
"""

from __future__ import annotations

import argparse
import json
from collections import Counter
from pathlib import Path

import numpy as np

from plancheck import config, load_model
from plancheck.baselines import one_word_rule, tfidf_lr_predictions
from plancheck.corpus import load_corpus, split_docs
from plancheck.metrics import (
    bootstrap_interval,
    element_metrics,
    expected_calibration_error,
    label_metrics,
)


def _line(name: str, system: str, truth: list[str], pred: list[str], langs: list[str]) -> str:
    m = label_metrics(truth, pred, config.LABELS)
    lo, hi = bootstrap_interval(truth, pred, config.LABELS)
    by = []
    for lg in ("ar", "en"):
        idx = [i for i, x in enumerate(langs) if x == lg]
        if idx:
            sub = label_metrics([truth[i] for i in idx], [pred[i] for i in idx], config.LABELS)
            by.append(f"{lg} {sub['macro_f1']:.3f}")
    return f"{name:10s} {system:12s} macro-F1 {m['macro_f1']:.3f} [{lo:.2f}–{hi:.2f}] " + " ".join(
        by
    )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("sets", nargs="+", type=Path, help="JSONL files of labelled real texts")
    ap.add_argument("--model", default=None, help="model version (default: current)")
    ap.add_argument("--corpus", type=Path, default=config.CORPUS_PATH)
    args = ap.parse_args()

    clf = load_model(args.model)
    train = split_docs(load_corpus(args.corpus), "train")
    pooled: dict[str, list[str]] = {
        k: [] for k in ("truth", "langs", "one-word", "tfidf-lr", "plancheck")
    }
    for path in args.sets:
        items = [
            json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line
        ]
        texts = [i["text"] for i in items]
        truth = [i["label"] for i in items]
        langs = [i.get("lang", "") for i in items]
        name = path.stem
        rule = [one_word_rule(t) for t in texts]
        print(_line(name, "one-word", truth, rule, langs))
        tfidf = tfidf_lr_predictions([d.text for d in train], [d.label for d in train], texts)
        print(_line(name, "tfidf-lr", truth, tfidf, langs))
        results = clf.classify_many(texts)
        pred = [r["label"] for r in results]
        for key, values in (
            ("truth", truth),
            ("langs", langs),
            ("one-word", rule),
            ("tfidf-lr", tfidf),
            ("plancheck", pred),
        ):
            pooled[key].extend(values)
        line = _line(name, "plancheck", truth, pred, langs)
        probs = np.array([[r["probabilities"][lab] for lab in config.LABELS] for r in results])
        y = np.array([config.LABELS.index(t) for t in truth])
        line += f" | ECE {expected_calibration_error(probs, y):.3f}"
        line += f" | above 0.99: {np.mean(probs.max(axis=1) > 0.99):.0%}"
        plans = [k for k, i in enumerate(items) if i["label"] != "other" and i.get("elements")]
        if plans:
            t = np.array(
                [[int(e in items[k]["elements"]) for e in config.ELEMENTS] for k in plans]
            )
            p = np.array([[int(e["present"]) for e in results[k]["elements"]] for k in plans])
            f1 = element_metrics(t, p, config.ELEMENTS)["micro"]["f1"]
            line += f" | elements micro-F1 {f1:.3f} (n={len(plans)})"
        print(line)
        print(
            f"{'':10s} confusion (rows = truth {', '.join(config.LABELS)}):",
            label_metrics(truth, pred, config.LABELS)["confusion"],
        )
        _by_register(items, pred)
    if len(args.sets) > 1:
        for system in ("one-word", "tfidf-lr", "plancheck"):
            print(_line("pooled", system, pooled["truth"], pooled[system], pooled["langs"]))


def _by_register(items: list[dict], pred: list[str]) -> None:
    """Accuracy per form (``register`` of the items, when they carry one) and the commonest
    error of each: where a model misreads real text, by kind of text."""
    forms = sorted({i.get("register") for i in items if i.get("register")})
    for form in forms:
        idx = [k for k, i in enumerate(items) if i.get("register") == form]
        right = sum(items[k]["label"] == pred[k] for k in idx)
        errors = Counter(
            f"{items[k]['label']}→{pred[k]}" for k in idx if items[k]["label"] != pred[k]
        )
        common = ", ".join(f"{e} {n}" for e, n in errors.most_common(2))
        print(f"{'':10s} {form:16s} n={len(idx):3d}  accuracy {right / len(idx):.2f}  {common}")


if __name__ == "__main__":
    main()
