"""plancheck: tell a social-media strategy from a campaign, in Arabic, English or both.

Public API::

    from plancheck import load_model
    model = load_model()                 # the current model from models/, hash-verified
    result = model.classify(text)        # the contract's result dict
    results = model.classify_many(texts)

    outline = build_outline(result)      # the strategy outline, in the text's language
    outline_docx(outline)                # → .docx bytes (Arabic right to left)
    outline_markdown(outline)            # → Markdown text
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .config import ELEMENTS, LABELS
from .errors import (
    InputError,
    ModelIntegrityError,
    ModelNotFoundError,
    PlancheckError,
    UnreadableDocumentError,
)

if TYPE_CHECKING:
    from .classifier import Classifier
    from .contract import Result
    from .outline import Outline

__version__ = "0.1.0"

__all__ = [
    "ELEMENTS",
    "LABELS",
    "Classifier",
    "InputError",
    "ModelIntegrityError",
    "ModelNotFoundError",
    "Outline",
    "PlancheckError",
    "UnreadableDocumentError",
    "__version__",
    "build_outline",
    "load_model",
    "outline_docx",
    "outline_markdown",
]


def load_model(path: str | Path | None = None, models_dir: str | Path | None = None) -> Classifier:
    """Load a trained model, verified against the sha256 in its model card.

    Args:
        path: ``None`` for ``models/current``; a version name; or a model folder inside the
            models folder. Nothing outside the models folder is ever unpickled.
        models_dir: the models folder (default ``plancheck.config.MODELS_DIR``).

    Raises:
        ModelNotFoundError: no model there — the fix is ``plancheck train``.
        ModelIntegrityError: hash or scikit-learn version mismatch, or a path outside the
            models folder.
    """
    # heavy: `import plancheck` stays light; scikit-learn loads with the first model
    from .artifacts import load_artifact, resolve
    from .classifier import Classifier

    folder = resolve(path, Path(models_dir) if models_dir else None)
    model, card = load_artifact(folder)
    return Classifier(model, card)


def build_outline(result: Result | Mapping[str, Any]) -> Outline:
    """The strategy outline of a classified text, in the text's language.

    Arabic for ``ar`` and ``mixed`` texts, English for ``en``. A strategy or a campaign gets
    the eight elements, each with the sentences that state it or two or three questions the
    client must answer (``outline.json``); a campaign also gets "Where this campaign sits in
    a strategy"; a text that is not a plan gets the verdict and summary only.

    Args:
        result: A result of ``Classifier.classify`` (the contract's shape).
    """
    from .outline import build_outline as build  # python-docx loads with the outline

    return build(result)


def outline_markdown(outline: Outline) -> str:
    """The outline as Markdown: a heading per section and per element, questions as bullets."""
    from .outline import outline_markdown as write

    return write(outline)


def outline_docx(outline: Outline) -> bytes:
    """The outline as a .docx file: right to left with an Arabic font when it is Arabic."""
    from .outline import outline_docx as write

    return write(outline)


def __getattr__(name: str) -> Any:
    if name == "Classifier":
        from .classifier import Classifier  # heavy: loaded on first use (PEP 562)

        return Classifier
    if name == "Outline":
        from .outline import Outline

        return Outline
    raise AttributeError(name)
