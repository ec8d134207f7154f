"""``plancheck classify`` (one plan) and ``plancheck classify-batch`` (many)."""

from __future__ import annotations

import json
import os
import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from .. import config, load_model
from ..batch import BatchError, BatchOptions, format_summary
from ..batch import classify_batch as run
from ..errors import PlancheckError
from ..reading import read_document
from ..render import render_result
from .common import ModelsOpt, _fail, app

_FILE_SUFFIXES = {".txt", ".md", ".docx", ".pdf"}


def _read_input(source: str) -> str:
    if source == "-":
        return sys.stdin.read()
    p = Path(source)
    looks_like_path = (
        "\n" not in source
        and len(source) < 260
        and (p.suffix.lower() in _FILE_SUFFIXES or (os.sep in source and " " not in source))
    )
    if looks_like_path and not p.is_file():
        # Classifying the *name* of a file the user mistyped would answer "Not a plan, 100%".
        raise typer.BadParameter(f"no such file: {source} (to classify text, quote the text)")
    if p.suffix.lower() in _FILE_SUFFIXES and p.is_file():
        return read_document(p.read_bytes(), p.name)
    return source


@app.command()
def classify(
    source: Annotated[
        str, typer.Argument(help='The plan text, "-" for stdin, or a .txt/.md/.docx/.pdf file.')
    ],
    as_json: Annotated[bool, typer.Option("--json", help="Print the result JSON.")] = False,
    shape: Annotated[
        bool, typer.Option("--shape", help="Reshape Arabic for terminals that cannot shape it.")
    ] = False,
    model: Annotated[str | None, typer.Option(help="Model version (default: current).")] = None,
    models: ModelsOpt = config.MODELS_DIR,
) -> None:
    """Classify one plan and print the verdict, the element checklist and advice.

    Examples: plancheck classify "خطة حضورنا على السوشيال لثلاث سنوات ..."
              plancheck classify brief.docx --json ;  cat plan.txt | plancheck classify -
    """

    try:
        text = _read_input(source)
        clf = load_model(model, models)
        result = clf.classify(text)
    except PlancheckError as e:
        _fail(str(e))
    if as_json:
        typer.echo(json.dumps(result, ensure_ascii=False, indent=2))
    else:
        typer.echo(render_result(result, shape=shape))


class Engine(StrEnum):
    local = "local"
    dask = "dask"


def classify_batch(
    input: Annotated[
        Path,
        typer.Argument(
            help="A folder of .txt/.md/.docx/.pdf files (recursive; id = relative path) or a "
            ".jsonl/.csv/.parquet table with an id and a text column.",
            show_default=False,
        ),
    ],
    output: Annotated[
        Path,
        typer.Option(
            "--output",
            "-o",
            help="Result file; its extension picks the format: .jsonl (full result + id), "
            ".csv (flat columns) or .parquet (flat columns + result_json). Written as "
            "OUTPUT.partial and renamed when complete.",
            show_default=False,
        ),
    ],
    id_col: Annotated[
        str,
        typer.Option(
            "--id-col", help="Id column of a table input; a missing id becomes the row number."
        ),
    ] = "id",
    text_col: Annotated[
        str, typer.Option("--text-col", help="Text column of a table input.")
    ] = "text",
    delimiter: Annotated[
        str | None,
        typer.Option(
            "--delimiter",
            help="Delimiter of a CSV input: one character, or tab. Default: found from the "
            "header (one of , ; tab |).",
            show_default=False,
        ),
    ] = None,
    bom: Annotated[
        bool,
        typer.Option(
            "--bom/--no-bom",
            help="Start CSV output with a UTF-8 BOM, so that Excel shows Arabic correctly.",
        ),
    ] = True,
    jobs: Annotated[
        int,
        typer.Option(
            "--jobs",
            "-j",
            help="Worker processes (each loads the model once); 0 = all cores.",
            min=0,
        ),
    ] = 0,
    chunk_size: Annotated[
        int,
        typer.Option(
            "--chunk-size", help="Documents per chunk (one vectorised call each).", min=1
        ),
    ] = 256,
    resume: Annotated[
        bool,
        typer.Option(
            "--resume",
            help="Continue an interrupted run from OUTPUT.partial: keep its complete records, "
            "classify only the rest.",
        ),
    ] = False,
    quiet: Annotated[
        bool, typer.Option("--quiet", "-q", help="No progress bar and no summary on stderr.")
    ] = False,
    summary: Annotated[
        Path | None,
        typer.Option(
            "--summary",
            help="Also write the summary (labels, languages, missing elements, errors, seconds, "
            "docs/s) to this JSON file.",
            show_default=False,
        ),
    ] = None,
    model: Annotated[str | None, typer.Option(help="Model version (default: current).")] = None,
    models: Annotated[Path, typer.Option(help="Models folder.")] = config.MODELS_DIR,
    engine: Annotated[
        Engine,
        typer.Option(
            help="local: process pool on this machine. dask: a Parquet file or folder → a "
            "folder of Parquet parts, on a Dask cluster."
        ),
    ] = Engine.local,
    scheduler: Annotated[
        str | None,
        typer.Option(
            help="Dask scheduler address (e.g. tcp://10.0.0.5:8786) for --engine dask; "
            "default: a local cluster on 127.0.0.1 with --jobs workers.",
            show_default=False,
        ),
    ] = None,
) -> None:
    """Classify many documents: a folder or a table in, one result per document out.

    Output order is input order. A bad document (unreadable file, corrupt PDF, empty text,
    a row without text, a broken JSON line) gets an error record {"id", "error"} and the run
    goes on; the exit code is 0 once the run finished, non-zero only when it could not run.

    Examples:

      plancheck classify-batch plans.jsonl -o results.jsonl

      plancheck classify-batch briefs/ -o results.csv --jobs 4 --summary summary.json

      plancheck classify-batch export.csv -o results.parquet --id-col ref --text-col body

      plancheck classify-batch export.csv -o results.csv --delimiter ";" --no-bom

      plancheck classify-batch plans.jsonl -o results.jsonl --resume   (after an interruption)

      plancheck classify-batch plans.parquet -o results.parquet --engine dask --scheduler tcp://HOST:8786

    On an existing Dask cluster, install plancheck on every worker and give paths the
    workers can read and write (a shared file system); the model is shipped to each worker once.
    """

    opts = BatchOptions(
        input=input,
        output=output,
        id_col=id_col,
        text_col=text_col,
        jobs=jobs,
        chunk_size=chunk_size,
        resume=resume,
        quiet=quiet,
        summary=summary,
        model=model,
        models_dir=models,
        engine=engine.value,
        scheduler=scheduler,
        delimiter=delimiter,
        bom=bom,
    )
    try:
        result = run(opts)
    except BatchError as e:
        typer.echo(f"{'note' if e.exit_code == 0 else 'error'}: {e}", err=True)
        raise typer.Exit(e.exit_code) from None
    except PlancheckError as e:  # no model, a model that fails its checks
        typer.echo(f"error: {e}", err=True)
        raise typer.Exit(1) from None
    except OSError as e:  # a disk that fills up, a summary path that cannot be written
        typer.echo(f"error: {e.filename or output}: {e.strerror or e}", err=True)
        raise typer.Exit(1) from None
    except KeyboardInterrupt:
        typer.echo(
            f"\ninterrupted: the results so far are in {output}.partial; continue with --resume",
            err=True,
        )
        raise typer.Exit(130) from None
    if not quiet:
        typer.echo(format_summary(result), err=True)


app.command("classify-batch")(classify_batch)
