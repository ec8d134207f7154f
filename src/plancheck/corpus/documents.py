"""Corpus records: the Document schema, loading with line-numbered problems, writing.

``data/plans.jsonl`` holds one document a line. Validation names the line and the field so a
marketer adding plans can fix them.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from pathlib import Path

from pydantic import BaseModel, ConfigDict, ValidationError, field_validator, model_validator

from .. import config
from ..atomic import atomic_path
from ..errors import CorpusError


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
    dialect: str | None = None

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

    @field_validator("dialect")
    @classmethod
    def _dialect(cls, v: str | None) -> str | None:
        return None if v is None else _one_of(v, config.DIALECTS)

    @field_validator("elements")
    @classmethod
    def _elements(cls, v: list[str]) -> list[str]:
        v = [_one_of(e, config.ELEMENTS) for e in v]
        if len(set(v)) != len(v):
            raise ValueError("lists an element twice")
        return v

    @property
    def form(self) -> str | None:
        """The ``register`` field (a pydantic field cannot be named so)."""
        return getattr(self, "register", None)

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
    """The id ``v`` names, whatever its case or surrounding spaces (a sheet's ``Other`` is
    ``other``): people type labels, the corpus stores ids."""
    folded = v.strip().lower()
    for option in allowed:
        if option.lower() == folded:
            return option
    raise ValueError(f"{v!r} is not one of {', '.join(allowed)}")


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
    path = config.corpus_path(path)
    if not path.is_file():
        raise FileNotFoundError(f"corpus not found: {path}")
    with path.open(encoding="utf-8") as fh:
        return parse_documents(fh)


def corpus_sha256(path: Path | None = None) -> str:
    return hashlib.sha256(config.corpus_path(path).read_bytes()).hexdigest()


def write_corpus(docs: list[Document], path: Path | None = None) -> None:
    """Write atomically (temp file + rename) so a crash never leaves half a corpus."""
    path = config.corpus_path(path)
    with atomic_path(path) as tmp, tmp.open("w", encoding="utf-8") as fh:
        for d in docs:
            fh.write(json.dumps(d.model_dump(), ensure_ascii=False) + "\n")


def split_docs(docs: list[Document], split: str, handwritten_only: bool = False) -> list[Document]:
    return [
        d for d in docs if d.split == split and (not handwritten_only or d.source == "handwritten")
    ]
