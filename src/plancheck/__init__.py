"""plancheck: tell a social-media strategy from a campaign, in Arabic, English or both.

Public API::

    from plancheck import load_model
    model = load_model()                 # the current model from models/, hash-verified
    result = model.classify(text)        # the contract's result dict
    results = model.classify_many(texts)
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

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

__version__ = "0.1.0"

__all__ = [
    "ELEMENTS",
    "LABELS",
    "Classifier",
    "InputError",
    "ModelIntegrityError",
    "ModelNotFoundError",
    "PlancheckError",
    "UnreadableDocumentError",
    "__version__",
    "load_model",
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


def __getattr__(name: str) -> type[Classifier]:
    if name == "Classifier":
        from .classifier import Classifier  # heavy: loaded on first use (PEP 562)

        return Classifier
    raise AttributeError(name)
