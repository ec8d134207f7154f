"""``plancheck corpus check | stats | add``.

The corpus package is imported by these commands only (see :mod:`.models`).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from .. import config
from .common import CorpusOpt, _fail, corpus_app


@corpus_app.command("check")
def corpus_check(corpus: CorpusOpt = config.CORPUS_PATH) -> None:
    """Validate every record; print each problem with its line and field.

    Example: plancheck corpus check --corpus data/plans.jsonl
    """
    from ..corpus import CorpusError, load_corpus, tag_problems

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
    from ..corpus import (
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
    from ..corpus import CorpusError, add_documents

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
