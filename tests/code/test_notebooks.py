"""The retraining notebooks: committed clean, and runnable top to bottom.

Each notebook is executed with nbclient the way papermill runs it: a cell tagged
``injected-parameters`` is added after the cell tagged ``parameters`` and overrides it. The
notebooks run in order on one workspace (02 adds documents to a temp copy of the real
corpus, 03 trains a quick candidate on it, 04 promotes it and rolls back), so what one
leaves behind is what the next one reads — as for a user going 01 → 04.

The project's own ``data/plans.jsonl`` and ``models/`` are never touched: the parameters
point at temp paths, and the kernel's ``PLANCHECK_*`` defaults point at paths that must
never be created (so a notebook that ignored a parameter would fail, not write elsewhere).
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
import time
from pathlib import Path
from types import SimpleNamespace

import nbformat
import pytest
from nbclient import NotebookClient
from nbformat.v4 import new_code_cell

from plancheck import config
from plancheck.artifacts import HISTORY, current_version, list_versions, set_current
from plancheck.corpus import load_corpus

NOTEBOOKS_DIR = Path(__file__).resolve().parents[2] / "notebooks"
EXPECTED = ["01-explore-corpus", "02-add-documents", "03-train-evaluate", "04-promote"]
CORPUS_STRIDE = 3  # the workspace corpus: every third document of data/plans.jsonl
CELL_TIMEOUT = 600  # seconds; the quick training cell takes about a minute on 2 cores


def notebook_paths() -> list[Path]:
    return sorted(NOTEBOOKS_DIR.glob("*.ipynb"))


def parameters_cell(nb: nbformat.NotebookNode) -> int:
    tagged = [i for i, c in enumerate(nb.cells) if "parameters" in c.metadata.get("tags", [])]
    assert len(tagged) == 1, f"expected one cell tagged 'parameters', found {len(tagged)}"
    return tagged[0]


# --- committed notebooks are clean ---------------------------------------------------


def test_the_four_notebooks_are_there_in_reading_order():
    assert [p.stem for p in notebook_paths()] == EXPECTED


@pytest.mark.parametrize("path", notebook_paths(), ids=lambda p: p.stem)
def test_committed_notebook_has_no_outputs(path: Path):
    nb = nbformat.read(path, as_version=4)
    nbformat.validate(nb)
    dirty = [
        i
        for i, c in enumerate(nb.cells)
        if c.cell_type == "code" and (c.get("outputs") or c.get("execution_count") is not None)
    ]
    assert not dirty, (
        f"{path.name}: cells {dirty} carry outputs or execution counts; strip them "
        "(Jupyter: Edit → Clear Outputs of All Cells, then save; or "
        f"`jupyter nbconvert --clear-output --inplace notebooks/{path.name}`)"
    )


@pytest.mark.parametrize("path", notebook_paths(), ids=lambda p: p.stem)
def test_notebook_has_the_common_parameters(path: Path):
    nb = nbformat.read(path, as_version=4)
    source = nb.cells[parameters_cell(nb)].source
    for name in ("corpus_path", "models_dir", "reports_dir", "seed", "quick"):
        assert f"\n{name} = " in f"\n{source}", f"{path.name}: no {name!r} parameter"


def test_clean_check_catches_outputs(tmp_path: Path):
    """The check above fails on a notebook that was saved after running."""
    nb = nbformat.read(NOTEBOOKS_DIR / f"{EXPECTED[0]}.ipynb", as_version=4)
    cell = next(c for c in nb.cells if c.cell_type == "code")
    cell.execution_count = 1
    cell.outputs = [nbformat.v4.new_output("stream", name="stdout", text="hello\n")]
    dirty = tmp_path / "dirty.ipynb"
    nbformat.write(nb, dirty)
    with pytest.raises(AssertionError, match="carry outputs"):
        test_committed_notebook_has_no_outputs(dirty)


# --- executed notebooks ---------------------------------------------------------------


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest() if path.is_file() else ""


@pytest.fixture(scope="module")
def workspace(tmp_path_factory, models_dir, trained_version):
    """A temp corpus (every third document of the real one), a models folder whose current
    model is the session's quick model, a reports folder, and the guard paths."""
    root = tmp_path_factory.mktemp("notebooks")
    corpus = root / "plans.jsonl"
    lines = config.CORPUS_PATH.read_text(encoding="utf-8").splitlines(keepends=True)
    corpus.write_text("".join(lines[::CORPUS_STRIDE]), encoding="utf-8")
    models = root / "models"
    models.mkdir()
    shutil.copytree(models_dir / trained_version, models / trained_version)
    set_current(trained_version, models, reason="seeded by the notebook tests")
    guards = {
        "PLANCHECK_CORPUS": root / "default-corpus-must-not-be-used.jsonl",
        "PLANCHECK_MODELS_DIR": root / "default-models-must-not-be-used",
        "PLANCHECK_REPORTS": root / "default-reports-must-not-be-used",
    }
    ws = SimpleNamespace(
        root=root,
        corpus=corpus,
        models=models,
        reports=root / "reports",
        seeded=trained_version,
        guards=guards,
        timings={},
        params={
            "corpus_path": str(corpus),
            "models_dir": str(models),
            "reports_dir": str(root / "reports"),
            "seed": 13,
            "quick": True,
        },
    )
    yield ws
    print("\nnotebook run times (s):", json.dumps(ws.timings))
    shutil.rmtree(root, ignore_errors=True)  # the corpus, models, reports


def run_notebook(name: str, ws: SimpleNamespace, **extra) -> nbformat.NotebookNode:
    """Execute ``notebooks/<name>.ipynb`` with papermill-style injected parameters."""
    nb = nbformat.read(NOTEBOOKS_DIR / f"{name}.ipynb", as_version=4)
    params = {**ws.params, **extra}
    injected = new_code_cell(
        "# Parameters\n" + "\n".join(f"{k} = {v!r}" for k, v in params.items()),
        metadata={"tags": ["injected-parameters"]},
    )
    nb.cells.insert(parameters_cell(nb) + 1, injected)
    env = {**os.environ, **{k: str(v) for k, v in ws.guards.items()}}
    env.pop("MPLBACKEND", None)  # the kernel's own inline backend draws the plots
    client = NotebookClient(
        nb,
        timeout=CELL_TIMEOUT,
        kernel_name="python3",
        resources={"metadata": {"path": str(NOTEBOOKS_DIR)}},
    )
    started = time.perf_counter()
    client.execute(env=env)
    label = name + "".join(f" {k}={v}" for k, v in extra.items() if k == "dry_run")
    ws.timings[label] = round(time.perf_counter() - started, 1)
    for guard in ws.guards.values():
        assert not guard.exists(), f"{name} wrote to a default path instead of its parameter"
    return nb


def outputs(nb: nbformat.NotebookNode, kind: str) -> list:
    """All outputs of one MIME type (or stream text) in an executed notebook."""
    found = []
    for c in nb.cells:
        for o in c.get("outputs", []):
            if kind == "stream" and o.output_type == "stream":
                found.append(o.text)
            elif kind in o.get("data", {}):
                found.append(o["data"][kind])
    return found


@pytest.mark.slow
def test_01_explore_corpus(workspace):
    nb = run_notebook("01-explore-corpus", workspace)
    assert len(outputs(nb, "image/png")) >= 4, "the plots were not drawn"
    text = "".join(outputs(nb, "stream"))
    assert f"{len(load_corpus(workspace.corpus))} documents" in text
    assert "near-duplicate pairs across splits: 0" in text


@pytest.mark.slow
def test_02_add_documents_dry_run_leaves_the_corpus_alone(workspace):
    before = _sha(workspace.corpus)
    temp_before = set(Path(tempfile.gettempdir()).glob("plancheck-02-*"))
    nb = run_notebook("02-add-documents", workspace, dry_run=True)
    assert _sha(workspace.corpus) == before
    left = set(Path(tempfile.gettempdir()).glob("plancheck-02-*")) - temp_before
    assert not left, f"the notebook left its temporary corpus copy behind: {left}"
    text = "".join(outputs(nb, "stream"))
    assert "Not added: 2 problem(s)" in text, "the demonstration's errors were not shown"


@pytest.mark.slow
def test_02_add_documents(workspace):
    before = load_corpus(workspace.corpus)
    nb = run_notebook("02-add-documents", workspace, dry_run=False)
    after = load_corpus(workspace.corpus)
    assert len(after) == len(before) + 3
    assert [d.id for d in after[: len(before)]] == [d.id for d in before]
    added = after[len(before) :]
    assert {d.label for d in added} == {"strategy", "campaign", "other"}
    text = "".join(outputs(nb, "stream"))
    assert "line 2, field record: evidence: 'budget'" in text
    assert "line 3, field label: 'job ad' is not one of" in text


@pytest.mark.slow
def test_03_train_evaluate(workspace):
    nb = run_notebook("03-train-evaluate", workspace)
    versions = list_versions(workspace.models)
    candidates = [v for v in versions if v != workspace.seeded]
    assert len(candidates) == 1, versions
    assert current_version(workspace.models) == workspace.seeded, "03 must not promote"
    reports = workspace.reports / candidates[0]
    assert {"metrics-dev.json", "metrics-test.json", "confusion.png"} <= {
        p.name for p in reports.iterdir()
    }
    text = "".join(outputs(nb, "stream"))
    assert "test plans misclassified" in text
    assert len(outputs(nb, "image/png")) >= 6
    html = "".join(outputs(nb, "text/html"))
    assert f"current {workspace.seeded}" in html, "the current model was not compared"
    assert "baseline: one_word_rule" in html


@pytest.mark.slow
def test_04_promote_and_roll_back(workspace):
    candidate = list_versions(workspace.models)[-1]
    assert candidate != workspace.seeded, "run after 03"
    run_notebook(
        "04-promote",
        workspace,
        force=True,
        reason="notebook test: promote whatever 03 trained",
        demo_rollback=True,
    )
    assert current_version(workspace.models) == candidate
    history = [
        json.loads(line)
        for line in (workspace.models / HISTORY).read_text(encoding="utf-8").splitlines()
    ]
    assert [(h["from"], h["to"]) for h in history[-3:]] == [
        (workspace.seeded, candidate),
        (candidate, workspace.seeded),
        (workspace.seeded, candidate),
    ]
    assert history[-2]["reason"] == f"rollback from {candidate}"
