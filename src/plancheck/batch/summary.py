"""The run's tally and its summary: labels, languages, missing elements, errors, speed."""

from __future__ import annotations

import json
import sys
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tqdm import tqdm

from ..config import LABELS
from .folder import SYMLINK_NOT_FOLLOWED
from .options import BatchOptions
from .outputs import Record, error_text


@dataclass
class Tally:
    """Counts for the summary; small, mergeable, built in workers and in the main process."""

    documents: int = 0
    errors: int = 0
    labels: Counter[str | None] = field(default_factory=Counter)
    languages: Counter[str | None] = field(default_factory=Counter)
    missing: Counter[str] = field(default_factory=Counter)
    error_codes: Counter[str] = field(default_factory=Counter)
    error_examples: list[dict[str, Any]] = field(default_factory=list)

    MAX_EXAMPLES = 5

    def add(
        self,
        doc_id: Any,
        label: str | None,
        language: str | None,
        missing: Iterable[str],
        error: object | None,
    ) -> None:
        self.documents += 1
        if error is not None:
            self.errors += 1
            self.error_codes[error_code(error)] += 1
            if len(self.error_examples) < self.MAX_EXAMPLES:
                self.error_examples.append({"id": doc_id, "error": error_text(error)})
            return
        self.labels[label] += 1
        self.languages[language] += 1
        self.missing.update(missing)

    def add_result(self, r: Record) -> None:
        self.add(
            r.get("id"), r.get("label"), r.get("language"), r.get("missing", ()), r.get("error")
        )

    def add_flat(self, row: dict[str, Any]) -> None:
        missing = row.get("missing") or ""
        self.add(
            row.get("id"),
            row.get("label"),
            row.get("language"),
            [m for m in missing.split(";") if m],
            row.get("error") or None,
        )

    def merge(self, other: Tally) -> None:
        self.documents += other.documents
        self.errors += other.errors
        self.labels.update(other.labels)
        self.languages.update(other.languages)
        self.missing.update(other.missing)
        self.error_codes.update(other.error_codes)
        room = self.MAX_EXAMPLES - len(self.error_examples)
        self.error_examples.extend(other.error_examples[: max(room, 0)])

    def as_dict(self) -> dict[str, Any]:
        return {
            "documents": self.documents,
            "classified": self.documents - self.errors,
            "errors": self.errors,
            "labels": {k: self.labels[k] for k in LABELS if self.labels[k]},
            "languages": dict(self.languages.most_common()),
            "missing": dict(self.missing.most_common()),
            "error_codes": dict(self.error_codes.most_common()),
            "symlinks_not_followed": self.error_codes[SYMLINK_NOT_FOLLOWED],
            "error_examples": self.error_examples,
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Tally:
        t = cls(
            documents=d["documents"], errors=d["errors"], error_examples=list(d["error_examples"])
        )
        t.labels.update(d["labels"])
        t.languages.update(d["languages"])
        t.missing.update(d["missing"])
        t.error_codes.update(d.get("error_codes", {}))  # absent from older tallies
        return t


def error_code(error: object) -> str:
    """The code of an error record's error: a dict (JSONL) or ``code: message`` (CSV)."""
    if isinstance(error, dict):
        return str(error.get("code") or "error")
    code, sep, _ = str(error).partition(":")
    return code.strip() if sep and code.strip().isidentifier() else "error"


def progress_bar(total: int | None, quiet: bool) -> tqdm:
    return tqdm(
        total=total,
        unit="doc",
        desc="classifying",
        disable=quiet,
        file=sys.stderr,
        dynamic_ncols=True,
    )


def make_summary(
    opts: BatchOptions, tally: Tally, resumed: int, seconds: float, version: str, jobs: int
) -> dict[str, Any]:
    done = tally.documents - resumed
    return {
        "input": str(opts.input),
        "output": str(opts.output),
        "engine": opts.engine,
        "jobs": jobs,
        "model_version": version,
        **tally.as_dict(),
        "resumed": resumed,
        "seconds": round(seconds, 3),
        "docs_per_second": round(done / seconds, 2) if seconds > 0 else None,
    }


def format_summary(s: dict[str, Any]) -> str:
    """The summary as a few readable lines (for stderr)."""

    def counts(d: dict[str, Any]) -> str:
        return ", ".join(f"{k} {v}" for k, v in d.items()) or "-"

    lines = [
        f"{s['documents']} documents → {s['output']} ({s['classified']} classified, "
        f"{s['errors']} errors"
        + (
            f", {s['symlinks_not_followed']} of them symlinks not followed"
            if s.get("symlinks_not_followed")
            else ""
        )
        + (f", {s['resumed']} kept from the interrupted run" if s["resumed"] else "")
        + ")",
        f"labels: {counts(s['labels'])}",
        f"languages: {counts(s['languages'])}",
        f"most often missing: {counts(dict(list(s['missing'].items())[:5]))}",
        f"{s['seconds']:.1f} s, {s['docs_per_second'] or 0:.1f} docs/s, {s['jobs']} jobs, model {s['model_version']}",
    ]
    for ex in s["error_examples"]:
        lines.append(f"error: {ex['id']}: {ex['error']}")
    if s["errors"] > len(s["error_examples"]):
        lines.append(
            f"… and {s['errors'] - len(s['error_examples'])} more errors (records with an 'error' field)"
        )
    return "\n".join(lines)


def write_summary(summary: dict[str, Any], path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(summary, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
