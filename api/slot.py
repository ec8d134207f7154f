"""The served model and how every worker follows ``models/current``.

``uvicorn --workers N`` runs N processes, each with its own :class:`ModelSlot`; a reload
request reaches only one of them. So each slot also watches the pointer file: before a
request takes the model, a ``stat`` of ``current`` (microseconds) tells whether it was
switched or touched since the slot loaded, and if so the slot loads again. The reload
endpoint touches ``current`` before loading, so every worker follows it even when the pointer
names the same version (a model re-read in place).
"""

from __future__ import annotations

import json
import logging
import os
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from plancheck import Classifier
from plancheck.artifacts import CURRENT

log = logging.getLogger("plancheck.api")

#: Loads a model from a models folder; ``plancheck.load_model`` unless a test injects one.
Loader = Callable[[Path], Any]

#: What identifies one state of the pointer file (``None`` while it does not exist).
Stamp = tuple[int, int, int] | None


def pointer_stamp(models_dir: Path) -> Stamp:
    """Inode, modification time and size of ``models_dir/current`` (a switch by rename
    changes the inode, a touch the time)."""
    try:
        st = os.stat(models_dir / CURRENT)
    except OSError:
        return None
    return (st.st_ino, st.st_mtime_ns, st.st_size)


class ModelSlot:
    """Holds the served model; swapping it is one attribute assignment (atomic in CPython)."""

    def __init__(self, loader: Loader, models_dir: Path) -> None:
        self._loader = loader
        self._models_dir = models_dir
        self._reload_lock = threading.Lock()
        self._stamp: Stamp = None  # the pointer state the last load attempt read
        self.model: Classifier | None = None
        self.load_error: str | None = None

    def load(self) -> Classifier:
        """Load the model ``models/current`` names now and serve it from the next request.

        Reloads are serialised; a failed load leaves the previous model in service.
        """
        with self._reload_lock:
            return self._load_locked()

    def _load_locked(self) -> Classifier:
        self._stamp = pointer_stamp(self._models_dir)  # before: a switch during the load counts
        try:
            model = self._loader(self._models_dir)
        except Exception as exc:
            self.load_error = f"{type(exc).__name__}: {exc}"
            raise
        self.model = model  # the swap: requests holding the old reference finish with it
        self.load_error = None
        return model

    def stale(self) -> bool:
        """Whether ``current`` changed since the last load attempt (one ``stat``)."""
        return pointer_stamp(self._models_dir) != self._stamp

    def follow(self) -> None:
        """Load again if ``current`` changed since the last attempt (another worker's reload,
        or a promotion). A failed attempt is not retried until the pointer changes again."""
        if not self.stale():
            return
        with self._reload_lock:
            if not self.stale():
                return  # another request of this worker followed it meanwhile
            previous = self.model.version if self.model is not None else None
            try:
                model = self._load_locked()
            except Exception as exc:
                log.error(json.dumps({"event": "model_follow_failed", "error": str(exc)}))
                return
            log.info(
                json.dumps({"event": "model_followed", "from": previous, "to": model.version})
            )

    def announce(self) -> None:
        """Touch ``current`` so the other workers load again; a read-only models folder
        leaves them as they are (they still follow any later switch of the pointer)."""
        now = time.time_ns()
        try:
            os.utime(self._models_dir / CURRENT, ns=(now, now))
        except OSError:
            pass
