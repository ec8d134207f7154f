"""The ``plancheck`` command: corpus, train, evaluate, classify, classify-batch, models."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated

import typer

from . import config
from .batch_cli import classify_batch

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


@corpus_app.command("check")
def corpus_check(corpus: CorpusOpt = config.CORPUS_PATH) -> None:
    """Validate every record; print each problem with its line and field.

    Example: plancheck corpus check --corpus data/plans.jsonl
    """
    from .corpus import CorpusError, load_corpus, tag_problems

    try:
        docs = load_corpus(corpus)
    except (CorpusError, FileNotFoundError) as e:
        _fail(str(e))
    problems = tag_problems(docs)
    if problems:
        _fail(str(CorpusError(problems)))
    typer.echo(f"ok: {len(docs)} documents in {corpus} are valid")


@corpus_app.command("stats")
def corpus_stats_cmd(
    corpus: CorpusOpt = config.CORPUS_PATH,
    as_json: Annotated[bool, typer.Option("--json", help="Print the stats as JSON.")] = False,
    update_card: Annotated[
        Path | None,
        typer.Option(help="Rewrite the stats block of this data card (data/README.md)."),
    ] = None,
) -> None:
    """Counts by label, language, split and register; element coverage; the tell checks.

    Example: plancheck corpus stats --update-card data/README.md
    """
    from .corpus import (
        CorpusError,
        corpus_stats,
        format_stats,
        format_tells,
        load_corpus,
        tell_report,
        update_card_stats,
    )

    try:
        docs = load_corpus(corpus)
    except (CorpusError, FileNotFoundError) as e:
        _fail(str(e))
    st = corpus_stats(docs)
    tells = tell_report(docs)
    if update_card is not None:
        update_card_stats(update_card, st, tells)
        typer.echo(f"updated the stats block of {update_card}", err=True)
    if as_json:
        out = st.as_dict() | {"tells": tells.__dict__ | {"failures": tells.failures}}
        typer.echo(json.dumps(out, ensure_ascii=False, indent=2))
    else:
        typer.echo(format_stats(st) + "\n\n" + format_tells(tells))


@corpus_app.command("add")
def corpus_add(
    batch: Annotated[Path, typer.Argument(help="JSONL of new records (no id/split needed).")],
    corpus: CorpusOpt = config.CORPUS_PATH,
    source: Annotated[str, typer.Option(help="handwritten or synthetic.")] = "handwritten",
) -> None:
    """Validate new records, give them ids and frozen splits, append them to the corpus.

    Example: plancheck corpus add new_plans.jsonl
    """
    from .corpus import CorpusError, add_documents

    try:
        lines = batch.read_text(encoding="utf-8").splitlines()
        records = [json.loads(line) for line in lines if line.strip()]
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as e:
        _fail(f"cannot read {batch}: {e}")
    try:
        added = add_documents(records, corpus, source=source)
    except CorpusError as e:
        _fail(str(e))
    splits: dict[str, int] = {}
    for d in added:
        splits[d.split] = splits.get(d.split, 0) + 1
    typer.echo(f"added {len(added)} documents to {corpus}: {splits}")


ModelsOpt = Annotated[Path, typer.Option(help="Models folder.")]
models_app = typer.Typer(
    help="List, promote, roll back and prune trained models.", no_args_is_help=True
)
app.add_typer(models_app, name="models")


def _progress(quiet: bool):
    return None if quiet else (lambda msg: typer.echo(msg, err=True))


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
    from .corpus import CorpusError
    from .lifecycle import train_candidate
    from .train import TrainParams

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
    from . import load_model
    from .baselines import tfidf_lr_predictions
    from .corpus import CorpusError, load_corpus
    from .errors import PlancheckError
    from .evaluate import evaluate, fasttext_predictions, format_report, save_plots

    if split not in config.SPLITS:
        _fail(f"--split must be one of {', '.join(config.SPLITS)}", 2)
    try:
        clf = load_model(model, models)
        docs = load_corpus(corpus)
    except (PlancheckError, CorpusError, FileNotFoundError) as e:
        _fail(str(e))
    train_docs = [d for d in docs if d.split == "train"]
    split_docs = [d for d in docs if d.split == split]
    extra = {
        "tfidf_lr": tfidf_lr_predictions(
            [d.text for d in train_docs],
            [d.label for d in train_docs],
            [d.text for d in split_docs],
        )
    }
    ft = fasttext_predictions(train_docs, split_docs)
    if ft is None:
        typer.echo(
            "note: fastText baseline skipped (pip install -e '.[fasttext]' to include it)",
            err=True,
        )
    else:
        extra["fasttext"] = ft
    rep = evaluate(clf, split_docs, [d.label for d in train_docs], extra)
    out = reports / clf.version
    out.mkdir(parents=True, exist_ok=True)
    (out / f"metrics-{split}.json").write_text(
        json.dumps(rep, ensure_ascii=False, indent=2), encoding="utf-8"
    )
    plots = save_plots(rep, out)
    if as_json:
        typer.echo(json.dumps(rep, ensure_ascii=False, indent=2))
    else:
        typer.echo(format_report(rep))
        typer.echo(
            f"\nwrote {out / f'metrics-{split}.json'} and {', '.join(p.name for p in plots)}"
        )


def _read_input(source: str) -> str:
    if source == "-":
        return sys.stdin.read()
    p = Path(source)
    if p.suffix.lower() in {".txt", ".md", ".docx", ".pdf"} and p.is_file():
        from .reading import read_document

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
    from . import load_model
    from .errors import PlancheckError
    from .render import render_result

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


@models_app.command("list")
def models_list(models: ModelsOpt = config.MODELS_DIR) -> None:
    """Versions with date, corpus hash, test macro-F1, element micro-F1 and which is current."""
    from .lifecycle import list_models

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
    from .errors import PlancheckError
    from .lifecycle import promote

    try:
        verdict = promote(version, models, force=force, reason=reason, corpus_path=corpus)
    except (PlancheckError, ValueError) as e:
        _fail(str(e))
    if verdict["promoted"]:
        typer.echo(f"{version} is now current ({verdict['why']})")
    else:
        _fail(f"not promoted: {verdict['why']}")


@models_app.command("rollback")
def models_rollback(models: ModelsOpt = config.MODELS_DIR) -> None:
    """Point current back at the previous current model."""
    from .errors import PlancheckError
    from .lifecycle import rollback

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
    from .lifecycle import prune

    try:
        removed = prune(keep, models)
    except ValueError as e:
        _fail(str(e))
    typer.echo(
        f"removed {len(removed)} version(s)" + (": " + ", ".join(removed) if removed else "")
    )


app.command("classify-batch")(classify_batch)


def main() -> None:  # pragma: no cover - console entry
    app()


if __name__ == "__main__":  # pragma: no cover
    sys.exit(app())
