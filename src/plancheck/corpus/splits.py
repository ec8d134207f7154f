"""Frozen splits: near-duplicates stay together, new documents fill their stratum's deficit.

A document keeps its split forever. New documents are assigned by a deterministic rule,
stratified by label × language × register family, and a near-duplicate of an existing
document always joins that document's split.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

import numpy as np
from sklearn.feature_extraction.text import CountVectorizer

from .. import config
from ..errors import CorpusError
from ..text import normalize
from .documents import Document, load_corpus, parse_documents, write_corpus
from .registers import register_family

#: Target share of each split within every label × language × register-family stratum.
SPLIT_TARGETS = {"train": 0.66, "dev": 0.12, "test": 0.22}


def near_duplicate_pairs(
    texts: list[str], threshold: float = config.NEAR_DUP_JACCARD
) -> list[tuple[int, int, float]]:
    """Pairs (i, j, jaccard) of texts whose normalised character 5-gram sets overlap ≥ threshold."""
    if len(texts) < 2:
        return []
    n = config.NEAR_DUP_NGRAM
    vec = CountVectorizer(analyzer="char", ngram_range=(n, n), binary=True, preprocessor=normalize)
    x = vec.fit_transform(texts).astype(np.float32)
    sizes = np.asarray(x.sum(axis=1)).ravel()
    inter = (x @ x.T).tocsr()
    # Tens of millions of overlapping pairs on the full corpus: judged in numpy, not a loop.
    rows = np.repeat(np.arange(inter.shape[0], dtype=inter.indices.dtype), np.diff(inter.indptr))
    cols, v = inter.indices, inter.data
    union = sizes[rows] + sizes[cols] - v
    jac = np.divide(v, union, out=np.ones_like(v), where=union != 0)
    keep = np.flatnonzero((rows < cols) & (jac >= threshold))
    return sorted(
        (int(i), int(j), float(s))
        for i, j, s in zip(rows[keep], cols[keep], jac[keep], strict=True)
    )


# --- splits --------------------------------------------------------------------------


def _stratum(label: str, lang: str, register: str | None, text: str) -> tuple[str, str, str]:
    return (label, lang, register_family(register, text))


def _stable_key(text: str) -> str:
    return hashlib.sha256(normalize(text).encode("utf-8")).hexdigest()


def assign_splits(existing: list[Document], new: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Give each new record a split without moving any existing document.

    Synthetic records always go to train. A new record that is a near-duplicate of an
    existing document takes its split; near-duplicates among new records move together.
    Otherwise a record goes to the split furthest below its target share (ties: test, dev,
    train) within its label × language × register-family stratum, visiting records in a content-hash order so the
    result does not depend on file order.
    """
    all_texts = [d.text for d in existing] + [r["text"] for r in new]
    parent = list(range(len(all_texts)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i, j, _ in near_duplicate_pairs(all_texts):
        ri, rj = find(i), find(j)
        if ri != rj:
            # keep an existing document as the root so its split wins
            parent[max(ri, rj)] = min(ri, rj)

    counts: dict[tuple[str, str, str], Counter[str]] = defaultdict(Counter)
    for d in existing:
        if d.source == "handwritten":
            counts[_stratum(d.label, d.lang, d.form, d.text)][d.split] += 1

    n_old = len(existing)
    group_split: dict[int, str] = {}
    for i, d in enumerate(existing):
        group_split.setdefault(find(i), d.split)

    order = sorted(range(len(new)), key=lambda k: _stable_key(new[k]["text"]))
    out = [dict(r) for r in new]
    for k in order:
        rec = out[k]
        root = find(n_old + k)
        if rec.get("source") == "synthetic":
            rec["split"] = "train"
            continue
        if root in group_split:
            rec["split"] = group_split[root]
        else:
            c = counts[_stratum(rec["label"], rec["lang"], rec.get("register"), rec["text"])]
            total = sum(c.values()) + 1
            deficits = {s: SPLIT_TARGETS[s] - c[s] / total for s in ("test", "dev", "train")}
            rec["split"] = max(deficits, key=lambda s: deficits[s])
            group_split[root] = rec["split"]
        counts[_stratum(rec["label"], rec["lang"], rec.get("register"), rec["text"])][
            rec["split"]
        ] += 1
    return out


def next_ids(existing: list[Document], n: int, prefix: str = "doc") -> list[str]:
    """``n`` fresh ids after the highest numbered ``prefix-NNNN`` id."""
    nums = [
        int(d.id.rsplit("-", 1)[1])
        for d in existing
        if d.id.startswith(prefix + "-") and d.id.rsplit("-", 1)[1].isdigit()
    ]
    start = max(nums, default=0) + 1
    return [f"{prefix}-{i:04d}" for i in range(start, start + n)]


def add_documents(
    records: list[dict[str, Any]], path: Path | None = None, source: str = "handwritten"
) -> list[Document]:
    """Validate new records, give them ids and frozen splits, and append them to the corpus.

    Records need ``lang``, ``label``, ``text``, ``elements``, ``evidence``, ``difficulty``
    (and may carry ``hard_kind``, ``dialect``, ``register``, ``sector``). Nothing is written
    unless every record is valid.
    """
    path = config.corpus_path(path)
    existing = load_corpus(path) if path.is_file() else []
    ids = next_ids(existing, len(records))
    prepared = []
    for rec, new_id in zip(records, ids, strict=True):
        r = {k: v for k, v in rec.items() if k not in ("id", "split")}
        r.setdefault("source", source)
        r.setdefault("hard_kind", None)
        r["id"] = new_id
        r["split"] = "train"  # placeholder, replaced below; lets validation run first
        prepared.append(r)
    parse_documents(json.dumps(r, ensure_ascii=False) for r in prepared)  # raises on problems
    known = {normalize(d.text): d.id for d in existing}
    dups = []
    for n, r in enumerate(prepared, 1):
        key = normalize(r["text"])
        if key in known:
            dups.append(f"record {n}, field text: already in the corpus as {known[key]}")
        known.setdefault(key, f"record {n} of this batch")
    if dups:
        raise CorpusError(dups)
    placed = assign_splits(existing, prepared)
    new_docs = parse_documents(json.dumps(r, ensure_ascii=False) for r in placed)
    write_corpus(existing + new_docs, path)
    return new_docs
