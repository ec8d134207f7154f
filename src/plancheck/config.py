"""One place for paths, contract ids and defaults.

The library reads the environment only here. Paths derive from the repository root (the
folder holding ``pyproject.toml`` above this package) unless overridden, so nothing in the
code names a machine.
"""

from __future__ import annotations

import json
import os
import warnings
from functools import cache
from pathlib import Path
from typing import Any, cast

PACKAGE_DIR = Path(__file__).resolve().parent


def _find_root() -> Path:
    for parent in PACKAGE_DIR.parents:
        if (parent / "pyproject.toml").is_file() and (parent / "src" / "plancheck").is_dir():
            return parent
    return Path.cwd()


PROJECT_ROOT = Path(os.environ.get("PLANCHECK_HOME", _find_root()))
DATA_DIR = Path(os.environ.get("PLANCHECK_DATA", PROJECT_ROOT / "data"))
CORPUS_PATH = Path(os.environ.get("PLANCHECK_CORPUS", DATA_DIR / "plans.jsonl"))


def _models_dir_from_env() -> Path:
    """``PLANCHECK_MODELS_DIR`` (the one name, shared with the API); the older
    ``PLANCHECK_MODELS`` is still read, with a deprecation warning."""
    if "PLANCHECK_MODELS_DIR" in os.environ:
        return Path(os.environ["PLANCHECK_MODELS_DIR"])
    if "PLANCHECK_MODELS" in os.environ:
        warnings.warn(
            "PLANCHECK_MODELS is deprecated; set PLANCHECK_MODELS_DIR instead",
            DeprecationWarning,
            stacklevel=2,
        )
        return Path(os.environ["PLANCHECK_MODELS"])
    return PROJECT_ROOT / "models"


MODELS_DIR = _models_dir_from_env()
REPORTS_DIR = Path(os.environ.get("PLANCHECK_REPORTS", PROJECT_ROOT / "reports"))

# Contract ids (shared/spec/labels-and-elements.md). Order matters: it is the order of
# `elements`, `missing` and `probabilities` in every result.
LABELS: tuple[str, ...] = ("strategy", "campaign", "other")
ELEMENTS: tuple[str, ...] = (
    "goals",
    "audience",
    "ownership",
    "horizon",
    "implementation",
    "budget",
    "measurement",
    "integration",
)
LANGUAGES: tuple[str, ...] = ("ar", "en", "mixed")
SPLITS: tuple[str, ...] = ("train", "dev", "test")
SOURCES: tuple[str, ...] = ("handwritten", "synthetic")
DIFFICULTIES: tuple[str, ...] = ("easy", "hard")
HARD_KINDS: tuple[str, ...] = (
    "campaign_called_strategy",
    "strategy_called_campaign",
    "rich_campaign",
    "vague_strategy",
    "strategy_with_campaigns",
    "long_campaign",
    "strategy_without_years",
    "marketing_vocab_other",
    "campaign_without_dates",
    "both_words",
)
DIALECTS: tuple[str, ...] = ("msa", "egyptian", "gulf", "levantine", "maghrebi", "iraqi")

# Host names the API answers to (its settings add their own ``host``); everything else gets
# 400 ``invalid_host``, so a DNS-rebinding page cannot reach a server on 127.0.0.1.
ALLOWED_HOSTS: tuple[str, ...] = ("127.0.0.1", "localhost", "::1")

# Input limits shared by the library, batch and API.
MAX_TEXT_CHARS = 100_000
SEED = 13

# Near-duplicates: normalised character 5-gram Jaccard at or above this never straddle splits.
NEAR_DUP_JACCARD = 0.8
NEAR_DUP_NGRAM = 5


@cache
def display_names() -> dict[str, Any]:
    """Labels and elements in English and Arabic, from ``labels.json`` (editable data)."""
    return cast(
        "dict[str, Any]", json.loads((PACKAGE_DIR / "labels.json").read_text(encoding="utf-8"))
    )


# Defaults are resolved here, once: callers pass ``None`` for "the configured one".
def corpus_path(path: str | os.PathLike[str] | None = None) -> Path:
    return Path(path) if path else CORPUS_PATH


def models_dir(path: str | os.PathLike[str] | None = None) -> Path:
    return Path(path) if path else MODELS_DIR


def reports_dir(path: str | os.PathLike[str] | None = None) -> Path:
    return Path(path) if path else REPORTS_DIR
