"""The ``plancheck`` command's apps, shared options and its one error wrapper."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Annotated

import typer

app = typer.Typer(
    help="plancheck: tell a social-media strategy from a campaign, and say what a strategy lacks.",
    no_args_is_help=True,
    add_completion=False,
)
corpus_app = typer.Typer(help="Check, describe and grow the labeled corpus.", no_args_is_help=True)
app.add_typer(corpus_app, name="corpus")

CorpusOpt = Annotated[Path, typer.Option(help="Corpus JSONL file.")]


def _fail(message: str, code: int = 1) -> None:
    typer.echo(f"error: {message}", err=True)
    raise typer.Exit(code)


ModelsOpt = Annotated[Path, typer.Option(help="Models folder.")]
models_app = typer.Typer(
    help="List, promote, roll back and prune trained models.", no_args_is_help=True
)
app.add_typer(models_app, name="models")


def _progress(quiet: bool) -> Callable[[str], None] | None:
    return None if quiet else (lambda msg: typer.echo(msg, err=True))
