"""Saving and loading models: one folder per version, a model card, a verified hash.

Loading a model is loading a pickle, so it is only done from inside the models folder and
only after the file's sha256 matches the one its model card recorded at training time.
``models/current`` names the served version and is switched atomically (temp + rename).

Models are saved as ``model.pkl``, a plain pickle (protocol 5, numpy arrays inside) that the
C unpickler reads: the vocabularies are ~228,000 strings, which ``joblib.load`` reads with
the pure-Python unpickler several times slower. Models saved before (``model.joblib``, a
card without ``model_file``) still load, through joblib.
"""

from __future__ import annotations

import hashlib
import json
import pickle
import platform
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

import joblib
import sklearn

from . import config
from .atomic import atomic_write
from .errors import ModelIntegrityError, ModelNotFoundError
from .text import FOLD_SHA256

if TYPE_CHECKING:
    from .planmodel import PlanModel

MODEL_FILE = "model.pkl"
#: The file models were saved in before ``model.pkl``: still loaded, with joblib.
LEGACY_MODEL_FILE = "model.joblib"
#: Model file name → how it is read. A card names its file (``model_file``); a card without
#: one is older than ``model.pkl`` and names ``model.joblib``.
PICKLE_PROTOCOL = 5
MODEL_FORMATS = {MODEL_FILE: f"pickle-{PICKLE_PROTOCOL}", LEGACY_MODEL_FILE: "joblib"}
#: Bumped when the pickled objects change shape, so that retraining after such a change makes
#: a new version even when every figure is equal (``promotion.identical_current``).
#: 2: the evaluation's ablation variants stored as stage-two numbers (2026-12-05).
MODEL_LAYOUT = 2
CARD_FILE = "model.json"
CURRENT = "current"
HISTORY = "history.jsonl"


def sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def signals_sha256() -> str:
    """Hash of the signal rules: a model is only valid with the rules it was trained with."""
    return hashlib.sha256((config.PACKAGE_DIR / "signals.json").read_bytes()).hexdigest()


def new_version(corpus_sha: str, when: datetime | None = None) -> str:
    when = when or datetime.now(UTC)
    return f"{when:%Y%m%d-%H%M%S}-{corpus_sha[:6]}"


def save_model(model: PlanModel, card: dict[str, Any], models_dir: Path | None = None) -> Path:
    """Write ``<models>/<version>/model.pkl`` and ``model.json``; does not make it current."""
    models_dir = config.models_dir(models_dir)
    folder: Path = models_dir / card["version"]
    folder.mkdir(parents=True, exist_ok=False)
    path = folder / MODEL_FILE
    data = pickle.dumps(model, protocol=PICKLE_PROTOCOL)
    path.write_bytes(data)
    card = dict(card)
    card.update(
        {
            "model_file": MODEL_FILE,
            "model_format": f"pickle-{PICKLE_PROTOCOL}",
            "model_layout": MODEL_LAYOUT,
            "model_sha256": hashlib.sha256(data).hexdigest(),
            "model_bytes": len(data),
            "python": platform.python_version(),
            "sklearn": sklearn.__version__,
            "signals_sha256": signals_sha256(),
            "fold_sha256": FOLD_SHA256,
        }
    )
    atomic_write(folder / CARD_FILE, json.dumps(card, ensure_ascii=False, indent=2))
    return folder


def read_card(folder: Path) -> dict[str, Any]:
    path = Path(folder) / CARD_FILE
    if not path.is_file():
        raise ModelNotFoundError(f"no model card at {path}; train a model with `plancheck train`")
    return cast("dict[str, Any]", json.loads(path.read_text(encoding="utf-8")))


def current_version(models_dir: Path | None = None) -> str | None:
    p = config.models_dir(models_dir) / CURRENT
    return p.read_text(encoding="utf-8").strip() or None if p.is_file() else None


def set_current(version: str, models_dir: Path | None = None, reason: str = "") -> None:
    """Point ``current`` at ``version`` atomically, and log the switch for rollback."""
    models_dir = config.models_dir(models_dir)
    if not (models_dir / version / CARD_FILE).is_file():
        raise ModelNotFoundError(f"no model {version!r} in {models_dir}")
    previous = current_version(models_dir)
    atomic_write(models_dir / CURRENT, version + "\n")
    entry = {
        "at": datetime.now(UTC).isoformat(timespec="seconds"),
        "from": previous,
        "to": version,
        "reason": reason,
    }
    with (models_dir / HISTORY).open("a", encoding="utf-8") as fh:
        fh.write(json.dumps(entry, ensure_ascii=False) + "\n")


def list_versions(models_dir: Path | None = None) -> list[str]:
    models_dir = config.models_dir(models_dir)
    if not models_dir.is_dir():
        return []
    return sorted(p.name for p in models_dir.iterdir() if (p / CARD_FILE).is_file())


def resolve(path: Path | str | None = None, models_dir: Path | None = None) -> Path:
    """The model folder to load: ``current`` by default, a version name, or a folder path.

    Refuses anything outside the models folder: a pickle from elsewhere is never loaded.
    """
    models_dir = config.models_dir(models_dir).resolve()
    if path is None:
        version = current_version(models_dir)
        if version is None:
            raise ModelNotFoundError(
                f"no current model in {models_dir}; train one with `plancheck train` (or `make serve`)"
            )
        folder = models_dir / version
    else:
        p = Path(path)
        folder = p if p.is_absolute() or p.exists() else models_dir / p
        if folder.name in MODEL_FORMATS:
            folder = folder.parent
    folder = folder.resolve()
    if models_dir not in folder.parents:
        raise ModelIntegrityError(
            f"refusing to load {folder}: models are only loaded from {models_dir} "
            "(set PLANCHECK_MODELS_DIR to use another models folder)"
        )
    if not any((folder / name).is_file() for name in MODEL_FORMATS):
        raise ModelNotFoundError(f"no {MODEL_FILE} in {folder}; train one with `plancheck train`")
    return folder


def model_path(folder: Path, card: dict[str, Any]) -> Path:
    """The model file ``card`` names in ``folder`` (``model.joblib`` for cards that name none).

    Only the known file names are accepted: a card cannot point the loader elsewhere.
    """
    name = str(card.get("model_file", LEGACY_MODEL_FILE))
    if name not in MODEL_FORMATS:
        raise ModelIntegrityError(
            f"model {card.get('version')} names an unknown model file {name!r}; "
            "retrain with `plancheck train`"
        )
    path = Path(folder) / name
    if not path.is_file():
        raise ModelNotFoundError(f"no {name} in {folder}; train one with `plancheck train`")
    return path


def load_artifact(folder: Path) -> tuple[PlanModel, dict[str, Any]]:
    """Verify the model file against its card (sha256, scikit-learn version), then load it.

    ``model.pkl`` is read once: the bytes hashed are the bytes unpickled (C unpickler).
    ``model.joblib`` (models saved before) is hashed, then loaded with joblib.
    """
    card = read_card(folder)
    path = model_path(folder, card)
    legacy = path.name == LEGACY_MODEL_FILE
    data = None if legacy else path.read_bytes()
    expected = card.get("model_sha256")
    actual = sha256_file(path) if data is None else hashlib.sha256(data).hexdigest()
    if expected != actual:
        raise ModelIntegrityError(
            f"{path} does not match its model card (sha256 {actual[:12]}… ≠ {str(expected)[:12]}…); "
            "the file was changed or corrupted — retrain with `plancheck train`"
        )
    if card.get("sklearn") != sklearn.__version__:
        raise ModelIntegrityError(
            f"model {card.get('version')} was trained with scikit-learn {card.get('sklearn')}, "
            f"this environment has {sklearn.__version__}; retrain with `plancheck train`"
        )
    if card.get("signals_sha256") != signals_sha256():
        raise ModelIntegrityError(
            f"model {card.get('version')} was trained with other signal rules than "
            "src/plancheck/signals.json has now; retrain with `plancheck train`"
        )
    if card.get("fold_sha256") != FOLD_SHA256:
        raise ModelIntegrityError(
            f"model {card.get('version')} was trained with another Arabic fold table than "
            "src/plancheck/text/fold.py has now (its features would not match); retrain with "
            "`plancheck train`"
        )
    if data is None:
        return joblib.load(path), card
    return pickle.loads(data), card  # verified against the card's sha256 above
