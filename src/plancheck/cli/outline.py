"""``plancheck outline``: a plan in, its strategy outline out (.docx or .md)."""

from __future__ import annotations

import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from .. import config, load_model
from ..atomic import atomic_path
from ..errors import PlancheckError
from ..reading import SUPPORTED_EXTENSIONS, read_document
from .common import ModelsOpt, _fail, app


class Format(StrEnum):
    docx = "docx"
    markdown = "markdown"


#: The output suffixes that decide the format when ``--format`` is not given.
SUFFIX_FORMATS = {".docx": Format.docx, ".md": Format.markdown, ".markdown": Format.markdown}


def _read(source: str) -> str:
    if source == "-":
        return sys.stdin.read()
    path = Path(source)
    if not path.is_file():
        _fail(f"no such file: {source}", 2)
    return read_document(path.read_bytes(), path.name)


@app.command()
def outline(
    source: Annotated[
        str,
        typer.Argument(
            help=f"The plan: a {'/'.join(SUPPORTED_EXTENSIONS)} file, or - for stdin.",
            show_default=False,
        ),
    ],
    output: Annotated[
        Path,
        typer.Option(
            "--output",
            "-o",
            help="Where to write the outline; .docx or .md picks the format.",
            show_default=False,
        ),
    ],
    fmt: Annotated[
        Format | None,
        typer.Option("--format", help="docx or markdown, whatever the output's suffix."),
    ] = None,
    model: Annotated[str | None, typer.Option(help="Model version (default: current).")] = None,
    models: ModelsOpt = config.MODELS_DIR,
) -> None:
    """Write the strategy outline of one plan: what it states, element by element, and the
    questions the client must answer to complete it; in the plan's language.

    Examples: plancheck outline brief.docx -o outline.docx ;
              cat plan.txt | plancheck outline - -o outline.md
    """
    from ..outline import build_outline, render_outline

    chosen = fmt or SUFFIX_FORMATS.get(output.suffix.lower())
    if chosen is None:
        _fail(
            f"cannot tell the format from {output.name}: name it .docx or .md, or give --format", 2
        )
    try:
        text = _read(source)
        result = load_model(model, models).classify(text)
    except PlancheckError as e:
        _fail(str(e))
    data = render_outline(build_outline(result), str(chosen))
    try:
        with atomic_path(output) as tmp:
            tmp.write_bytes(data)
    except OSError as e:
        _fail(f"{output}: {e.strerror or e}")
    typer.echo(f"{output}: {result['label']} outline ({chosen}, {len(data):,} bytes)", err=True)
