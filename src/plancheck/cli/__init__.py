"""The ``plancheck`` command: corpus, train, evaluate, classify, classify-batch, outline, models.

One Typer app (:mod:`.common`); each module registers the commands of one area.
"""

from . import classify, corpus, models, outline  # noqa: F401 - registers the commands
from .common import app

__all__ = ["app"]
