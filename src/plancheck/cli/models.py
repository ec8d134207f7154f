"""``plancheck train``, ``evaluate`` and ``models list | promote | rollback | prune``.

Training, evaluation and the corpus are imported by the commands that use them: every
``plancheck`` command (``classify-batch`` included) starts ~0.2 s sooner without them.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from .. import config, load_model
from ..errors import PlancheckError
from .common import CorpusOpt, ModelsOpt, _fail, _progress, app, models_app


@app.command()
def train(
    corpus: CorpusOpt = config.CORPUS_PATH,
    models: ModelsOpt = config.MODELS_DIR,
    reports: Annotated[Path, typer.Option(help="Reports folder.")] = config.REPORTS_DIR,
    promote: Annotated[
        bool, typer.Option(help="Make the new model current if it passes the gate.")
    ] = True,
    force: Annotated[
        bool, typer.Option(help="Promote even if the gate refuses (give --reason).")
    ] = False,
    reason: Annotated[str, typer.Option(help="Why (logged in models/history.jsonl).")] = "",
    quick: Annotated[
        bool, typer.Option(help="Small grid: for smoke tests and notebooks.")
    ] = False,
    quiet: Annotated[bool, typer.Option(help="No progress messages.")] = False,
) -> None:
    """Train a model on the corpus, evaluate it on dev and test, save it under models/.

    Example: plancheck train            (then: plancheck evaluate)
    """

    from ..corpus import CorpusError
    from ..lifecycle import train_candidate
    from ..train import TrainParams

    params = TrainParams.quick() if quick else None
    try:
        cand = train_candidate(
            corpus,
            models,
            reports,
            params=params,
            promote=promote,
            force=force,
            reason=reason,
            progress=_progress(quiet),
        )
    except (CorpusError, FileNotFoundError, ValueError) as e:
        _fail(str(e))
    test = cand.card["metrics"]["test"]
    typer.echo(
        f"model {cand.version}: test macro-F1 {test['macro_f1']:.3f}, element micro-F1 "
        f"{test['element_micro_f1']:.3f}; "
        + ("now current" if cand.promoted else f"not promoted ({cand.gate['why']})")
    )


@app.command("evaluate")
def evaluate_cmd(
    split: Annotated[str, typer.Option(help="train, dev or test.")] = "test",
    model: Annotated[
        str | None, typer.Option(help="Version to evaluate (default: current).")
    ] = None,
    corpus: CorpusOpt = config.CORPUS_PATH,
    models: ModelsOpt = config.MODELS_DIR,
    reports: Annotated[Path, typer.Option(help="Reports folder.")] = config.REPORTS_DIR,
    as_json: Annotated[
        bool, typer.Option("--json", help="Print the full report as JSON.")
    ] = False,
) -> None:
    """Per-class, per-language and per-slice metrics, elements, calibration and baselines.

    Writes reports/<version>/metrics-<split>.json and PNG plots. Example:
    plancheck evaluate --split test
    """

    from ..corpus import CorpusError, load_corpus
    from ..evaluate import evaluate_split
    from ..report import format_report, save_plots, write_metrics

    if split not in config.SPLITS:
        _fail(f"--split must be one of {', '.join(config.SPLITS)}", 2)
    try:
        clf = load_model(model, models)
        docs = load_corpus(corpus)
    except (PlancheckError, CorpusError, FileNotFoundError) as e:
        _fail(str(e))
    rep, fasttext_missing = evaluate_split(clf, docs, split)
    if fasttext_missing:
        typer.echo(
            "note: fastText baseline skipped (pip install -e '.[fasttext]' to include it)",
            err=True,
        )
    out = reports / clf.version
    metrics = write_metrics(rep, out, split)
    plots = save_plots(rep, out)
    if as_json:
        typer.echo(json.dumps(rep, ensure_ascii=False, indent=2))
    else:
        typer.echo(format_report(rep))
        typer.echo(f"\nwrote {metrics} and {', '.join(p.name for p in plots)}")


@models_app.command("list")
def models_list(models: ModelsOpt = config.MODELS_DIR) -> None:
    """Versions with date, corpus hash, test macro-F1, element micro-F1 and which is current."""
    from ..lifecycle import list_models

    rows = list_models(models)
    if not rows:
        typer.echo(f"no models in {models}; run `plancheck train`")
        return
    typer.echo(
        f"  {'version':26s} {'created':26s} {'corpus':13s} {'macro-F1':>8s} {'elem-F1':>8s}"
    )
    for r in rows:
        mf = f"{r['test_macro_f1']:.3f}" if r["test_macro_f1"] is not None else "-"
        ef = f"{r['test_element_micro_f1']:.3f}" if r["test_element_micro_f1"] is not None else "-"
        typer.echo(
            f"{'*' if r['current'] else ' '} {r['version']:26s} {str(r['created']):26s} {r['corpus_sha256']:13s} {mf:>8s} {ef:>8s}"
        )


@models_app.command("promote")
def models_promote(
    version: Annotated[str, typer.Argument(help="The version to make current.")],
    force: Annotated[bool, typer.Option(help="Override the gate (needs --reason).")] = False,
    reason: Annotated[str, typer.Option(help="Why; logged in models/history.jsonl.")] = "",
    models: ModelsOpt = config.MODELS_DIR,
    corpus: CorpusOpt = config.CORPUS_PATH,
) -> None:
    """Make VERSION current if its test metrics pass the gate against the current model.

    Both models are judged on the corpus's current test split (re-evaluated if needed).

    Example: plancheck models promote 20261126-101500-3fa2c1
    """
    from ..lifecycle import promote

    try:
        verdict = promote(version, models, force=force, reason=reason, corpus_path=corpus)
    except (PlancheckError, ValueError) as e:
        _fail(str(e))
    if verdict["promoted"]:
        typer.echo(f"{version} is now current ({verdict['why']})")
    elif verdict.get("unchanged"):
        typer.echo(verdict["why"])  # not an error: what is served is already this model
    else:
        _fail(f"not promoted: {verdict['why']}")


@models_app.command("rollback")
def models_rollback(models: ModelsOpt = config.MODELS_DIR) -> None:
    """Point current back at the previous current model."""
    from ..lifecycle import rollback

    try:
        v = rollback(models)
    except PlancheckError as e:
        _fail(str(e))
    typer.echo(f"current is now {v}")


@models_app.command("prune")
def models_prune(
    keep: Annotated[
        int, typer.Option(help="How many newest versions to keep (current always kept).")
    ] = 3,
    models: ModelsOpt = config.MODELS_DIR,
) -> None:
    """Delete old model versions. Example: plancheck models prune --keep 3"""
    from ..lifecycle import prune

    try:
        removed = prune(keep, models)
    except ValueError as e:
        _fail(str(e))
    typer.echo(
        f"removed {len(removed)} version(s)" + (": " + ", ".join(removed) if removed else "")
    )
