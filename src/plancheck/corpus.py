"""The labeled corpus: load, validate, split, import new documents, describe.

``data/plans.jsonl`` holds one document a line. Validation names the line and the field so
a marketer adding plans can fix them. Splits are frozen: a document keeps its split forever;
new documents are assigned by a deterministic rule stratified by label × language, and a
near-duplicate of an existing document always joins that document's split.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from pydantic import BaseModel, ConfigDict, ValidationError, field_validator, model_validator

from . import config
from .baselines import one_word_rule
from .text import normalize

#: Target share of each split within every label × language stratum.
SPLIT_TARGETS = {"train": 0.66, "dev": 0.12, "test": 0.22}


class CorpusError(ValueError):
    """The corpus (or a batch of new documents) is invalid; ``problems`` lists each one."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        shown = "\n".join(problems[:50])
        more = f"\n… and {len(problems) - 50} more" if len(problems) > 50 else ""
        super().__init__(f"{len(problems)} problem(s) in the corpus:\n{shown}{more}")


class Document(BaseModel):
    """One labeled plan. Extra annotation fields (dialect, register, sector) are kept."""

    model_config = ConfigDict(extra="allow")

    id: str
    lang: str
    label: str
    text: str
    elements: list[str]
    evidence: dict[str, list[str]]
    source: str
    split: str
    difficulty: str
    hard_kind: str | None = None

    @field_validator("id")
    @classmethod
    def _id(cls, v: str) -> str:
        if not v.strip():
            raise ValueError("must not be empty")
        return v

    @field_validator("text")
    @classmethod
    def _text(cls, v: str) -> str:
        if not v.strip():
            raise ValueError("must not be empty")
        return v

    @field_validator("lang")
    @classmethod
    def _lang(cls, v: str) -> str:
        return _one_of(v, config.LANGUAGES)

    @field_validator("label")
    @classmethod
    def _label(cls, v: str) -> str:
        return _one_of(v, config.LABELS)

    @field_validator("source")
    @classmethod
    def _source(cls, v: str) -> str:
        return _one_of(v, config.SOURCES)

    @field_validator("split")
    @classmethod
    def _split(cls, v: str) -> str:
        return _one_of(v, config.SPLITS)

    @field_validator("difficulty")
    @classmethod
    def _difficulty(cls, v: str) -> str:
        return _one_of(v, config.DIFFICULTIES)

    @field_validator("hard_kind")
    @classmethod
    def _hard_kind(cls, v: str | None) -> str | None:
        return None if v is None else _one_of(v, config.HARD_KINDS)

    @field_validator("elements")
    @classmethod
    def _elements(cls, v: list[str]) -> list[str]:
        for e in v:
            _one_of(e, config.ELEMENTS)
        if len(set(v)) != len(v):
            raise ValueError("lists an element twice")
        return v

    @model_validator(mode="after")
    def _evidence(self) -> Document:
        for e in self.elements:
            if not self.evidence.get(e):
                raise ValueError(f"evidence: element {e!r} is listed but has no evidence")
        for e, spans in self.evidence.items():
            if e not in self.elements:
                raise ValueError(f"evidence: {e!r} has evidence but is not in elements")
            for s in spans:
                if not s.strip() or s not in self.text:
                    raise ValueError(
                        f"evidence: {e!r} evidence not found verbatim in text: {s[:60]!r}"
                    )
        if self.source == "synthetic" and self.split != "train":
            raise ValueError("split: synthetic documents may only be in 'train'")
        return self


def _one_of(v: str, allowed: tuple[str, ...]) -> str:
    if v not in allowed:
        raise ValueError(f"{v!r} is not one of {', '.join(allowed)}")
    return v


def _format_error(line: int, err: ValidationError) -> list[str]:
    out = []
    for e in err.errors():
        field = ".".join(str(p) for p in e["loc"]) or "record"
        msg = e["msg"].removeprefix("Value error, ")
        out.append(f"line {line}, field {field}: {msg}")
    return out


def parse_documents(lines: Iterable[str]) -> list[Document]:
    """Validate JSONL lines; raise :class:`CorpusError` listing every problem found."""
    docs: list[Document] = []
    problems: list[str] = []
    seen: dict[str, int] = {}
    for n, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            raw = json.loads(line)
        except json.JSONDecodeError as e:
            problems.append(f"line {n}: not valid JSON ({e.msg} at column {e.colno})")
            continue
        if not isinstance(raw, dict):
            problems.append(f"line {n}: expected a JSON object, got {type(raw).__name__}")
            continue
        try:
            doc = Document.model_validate(raw)
        except ValidationError as e:
            problems.extend(_format_error(n, e))
            continue
        if doc.id in seen:
            problems.append(
                f"line {n}, field id: duplicate id {doc.id!r} (first on line {seen[doc.id]})"
            )
            continue
        seen[doc.id] = n
        docs.append(doc)
    if problems:
        raise CorpusError(problems)
    return docs


def load_corpus(path: Path | None = None) -> list[Document]:
    """Load and validate the corpus (default ``data/plans.jsonl``)."""
    path = Path(path or config.CORPUS_PATH)
    if not path.is_file():
        raise FileNotFoundError(f"corpus not found: {path}")
    with path.open(encoding="utf-8") as fh:
        return parse_documents(fh)


def corpus_sha256(path: Path | None = None) -> str:
    return hashlib.sha256(Path(path or config.CORPUS_PATH).read_bytes()).hexdigest()


def write_corpus(docs: list[Document], path: Path | None = None) -> None:
    """Write atomically (temp file + rename) so a crash never leaves half a corpus."""
    path = Path(path or config.CORPUS_PATH)
    tmp = path.with_suffix(".jsonl.tmp")
    with tmp.open("w", encoding="utf-8") as fh:
        for d in docs:
            fh.write(json.dumps(d.model_dump(), ensure_ascii=False) + "\n")
    tmp.replace(path)


# --- near duplicates -----------------------------------------------------------------


def near_duplicate_pairs(
    texts: list[str], threshold: float = config.NEAR_DUP_JACCARD
) -> list[tuple[int, int, float]]:
    """Pairs (i, j, jaccard) of texts whose normalised character 5-gram sets overlap ≥ threshold."""
    from sklearn.feature_extraction.text import CountVectorizer

    if len(texts) < 2:
        return []
    n = config.NEAR_DUP_NGRAM
    vec = CountVectorizer(analyzer="char", ngram_range=(n, n), binary=True, preprocessor=normalize)
    x = vec.fit_transform(texts).astype(np.float32)
    sizes = np.asarray(x.sum(axis=1)).ravel()
    inter = (x @ x.T).tocoo()
    pairs = []
    for i, j, v in zip(inter.row, inter.col, inter.data, strict=True):
        if i < j:
            union = sizes[i] + sizes[j] - v
            jac = float(v / union) if union else 1.0
            if jac >= threshold:
                pairs.append((int(i), int(j), jac))
    return sorted(pairs)


# --- splits --------------------------------------------------------------------------


def _stable_key(text: str) -> str:
    return hashlib.sha256(normalize(text).encode("utf-8")).hexdigest()


def assign_splits(existing: list[Document], new: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Give each new record a split without moving any existing document.

    Synthetic records always go to train. A new record that is a near-duplicate of an
    existing document takes its split; near-duplicates among new records move together.
    Otherwise, within its label × language stratum, a record goes to the split furthest below
    its target share (ties: test, dev, train), visiting records in a content-hash order so the
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

    counts: dict[tuple[str, str], Counter] = defaultdict(Counter)
    for d in existing:
        if d.source == "handwritten":
            counts[(d.label, d.lang)][d.split] += 1

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
            c = counts[(rec["label"], rec["lang"])]
            total = sum(c.values()) + 1
            deficits = {s: SPLIT_TARGETS[s] - c[s] / total for s in ("test", "dev", "train")}
            rec["split"] = max(deficits, key=lambda s: deficits[s])
            group_split[root] = rec["split"]
        counts[(rec["label"], rec["lang"])][rec["split"]] += 1
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
    path = Path(path or config.CORPUS_PATH)
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


# --- stats ---------------------------------------------------------------------------


@dataclass
class CorpusStats:
    n: int
    by_label_lang_split: dict[str, dict[str, dict[str, int]]]
    labels: dict[str, int]
    languages: dict[str, int]
    splits: dict[str, int]
    sources: dict[str, int]
    hard_share: float
    hard_kinds: dict[str, int]
    dialects: dict[str, int]
    element_presence: dict[str, float]
    one_word_rule_accuracy: float
    cross_split_near_duplicates: list[tuple[str, str, float]]

    def as_dict(self) -> dict[str, Any]:
        return self.__dict__.copy()


def corpus_stats(docs: list[Document]) -> CorpusStats:
    """Counts that show whether the corpus meets its quotas and is leak-free."""
    table: dict[str, dict[str, dict[str, int]]] = {}
    for lab in config.LABELS:
        table[lab] = {}
        for lang in config.LANGUAGES:
            c = Counter(d.split for d in docs if d.label == lab and d.lang == lang)
            table[lab][lang] = {s: c.get(s, 0) for s in config.SPLITS}
    plans = [d for d in docs if d.label in ("strategy", "campaign")]
    presence = {
        e: round(sum(e in d.elements for d in plans) / max(len(plans), 1), 3)
        for e in config.ELEMENTS
    }
    hw = [d for d in docs if d.source == "handwritten"]
    acc = sum(one_word_rule(d.text) == d.label for d in hw) / max(len(hw), 1)
    pairs = near_duplicate_pairs([d.text for d in docs])
    cross = [
        (docs[i].id, docs[j].id, round(j_, 3))
        for i, j, j_ in pairs
        if docs[i].split != docs[j].split
    ]
    return CorpusStats(
        n=len(docs),
        by_label_lang_split=table,
        labels=dict(Counter(d.label for d in docs)),
        languages=dict(Counter(d.lang for d in docs)),
        splits=dict(Counter(d.split for d in docs)),
        sources=dict(Counter(d.source for d in docs)),
        hard_share=round(sum(d.difficulty == "hard" for d in docs) / max(len(docs), 1), 3),
        hard_kinds=dict(Counter(d.hard_kind for d in docs if d.hard_kind)),
        dialects=dict(Counter(getattr(d, "dialect", None) or "-" for d in docs if d.lang != "en")),
        element_presence=presence,
        one_word_rule_accuracy=round(acc, 3),
        cross_split_near_duplicates=cross,
    )


def format_stats(st: CorpusStats) -> str:
    """A plain-text report of :func:`corpus_stats` (used by the CLI and the data card)."""
    lines = [f"documents: {st.n}   sources: {st.sources}", ""]
    lines.append(
        f"{'label':10s} {'lang':6s} " + " ".join(f"{s:>6s}" for s in config.SPLITS) + "  total"
    )
    for lab, by_lang in st.by_label_lang_split.items():
        for lang, c in by_lang.items():
            lines.append(
                f"{lab:10s} {lang:6s} "
                + " ".join(f"{c[s]:6d}" for s in config.SPLITS)
                + f"  {sum(c.values()):5d}"
            )
    n = max(st.n, 1)
    lines += [
        "",
        "labels:    " + ", ".join(f"{k} {v} ({v / n:.0%})" for k, v in st.labels.items()),
        "languages: " + ", ".join(f"{k} {v} ({v / n:.0%})" for k, v in st.languages.items()),
        "splits:    " + ", ".join(f"{k} {v} ({v / n:.0%})" for k, v in st.splits.items()),
        "dialects (ar + mixed): " + ", ".join(f"{k} {v}" for k, v in sorted(st.dialects.items())),
        f"hard: {st.hard_share:.0%}   kinds: "
        + ", ".join(f"{k} {v}" for k, v in sorted(st.hard_kinds.items())),
        "",
        "element presence among strategy + campaign documents:",
    ]
    lines += [f"  {e:15s} {p:5.0%}" for e, p in st.element_presence.items()]
    lines += [
        "",
        f"one-word rule accuracy (handwritten): {st.one_word_rule_accuracy:.1%}",
        f"near-duplicate pairs across splits (Jaccard ≥ {config.NEAR_DUP_JACCARD}): {len(st.cross_split_near_duplicates)}",
    ]
    return "\n".join(lines)


def split_docs(docs: list[Document], split: str, handwritten_only: bool = False) -> list[Document]:
    return [
        d for d in docs if d.split == split and (not handwritten_only or d.source == "handwritten")
    ]


CARD_BEGIN, CARD_END = "<!-- stats:begin -->", "<!-- stats:end -->"


def card_block(st: CorpusStats) -> str:
    """The generated part of the data card: the stats report as a code block."""
    return f"{CARD_BEGIN}\n```\n{format_stats(st)}\n```\n{CARD_END}"


def update_card_stats(card: Path, st: CorpusStats) -> None:
    """Replace the stats block between the markers of the data card."""
    text = Path(card).read_text(encoding="utf-8")
    a, b = text.find(CARD_BEGIN), text.find(CARD_END)
    if a == -1 or b == -1:
        raise ValueError(f"{card} has no {CARD_BEGIN} … {CARD_END} block")
    Path(card).write_text(text[:a] + card_block(st) + text[b + len(CARD_END) :], encoding="utf-8")
