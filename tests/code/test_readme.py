"""The README's examples run, and say what they print (so the README stays true).

The Python blocks are executed against the suite's quick model; a line ``expr  # literal``
is a claim, checked against the value (a trailing ``…`` makes it a prefix). Every command
line of the bash blocks is either run here, with the files it names made first, or listed in
:data:`NOT_RUN` with the reason — a new example must be put in one or the other.
"""

from __future__ import annotations

import ast
import os
import re
import shlex
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from plancheck import config
from tests.builders import make_docx

ROOT = Path(__file__).resolve().parents[2]
README = ROOT / "README.md"
BLOCK = re.compile(r"^```(\w+)\n(.*?)^```", re.S | re.M)

#: Command lines not run here, each with the reason (a prefix of the line is enough).
NOT_RUN = {
    "make serve": "installs and serves; the API tests cover the server",
    "make test": "the whole suite",
    "curl ": "needs a running server; tests/api covers the endpoint",
    "plancheck classify-batch briefs/": "covered by tests/model/test_batch_e2e.py",
    "plancheck classify-batch export.csv": "covered by tests/model/test_batch_e2e.py",
    "plancheck classify-batch plans.parquet": "needs a Dask cluster",
    "plancheck train": "trains the full model (minutes); tests/model trains a quick one",
    "plancheck evaluate": "evaluates the full model; tests/code/test_evaluate.py",
    "plancheck models list | promote": "a list of subcommands, not one command line",
    "plancheck corpus check": "reads the whole corpus; tests/data covers it",
    "source .venv/bin/activate": "changes the calling shell only",
    ".venv/bin/plancheck": "the same command as `plancheck …`, run here through the PATH",
}


def blocks(language: str) -> list[str]:
    return [code for lang, code in BLOCK.findall(README.read_text("utf-8")) if lang == language]


def command_lines() -> list[str]:
    """The commands of the bash blocks, continuation lines joined, comments removed."""
    lines: list[str] = []
    for code in blocks("bash"):
        code = code.replace("\\\n", " ")
        for line in code.splitlines():
            line = re.split(r"\s{2,}#", line)[0].strip()  # comments follow two spaces
            if line and not line.startswith("#"):
                lines.append(line)
    return lines


def runnable(line: str) -> bool:
    """A command this test runs: plancheck itself, or fed by ``cat``."""
    return line.startswith(("plancheck", "cat ")) and not any(line.startswith(p) for p in NOT_RUN)


def _claim(comment: str) -> tuple[str, bool] | None:
    """The literal a comment claims, and whether it is a prefix (ends in ``…``)."""
    text = comment.strip().split("  ")[0]  # what follows two spaces is prose
    if not text or text[0] not in "'\"[(0123456789":
        return None
    prefix = "…" in text
    return text.split("…")[0].rstrip(", ") if prefix else text, prefix


def _normal(text: str) -> str:
    return text.replace('"', "'")


@pytest.fixture
def quick_model_env(models_dir: Path, trained_version: str, monkeypatch) -> Path:
    """``load_model()`` without arguments loads the suite's quick model."""
    monkeypatch.setattr(config, "MODELS_DIR", models_dir)
    monkeypatch.setenv("PLANCHECK_MODELS_DIR", str(models_dir))
    return models_dir


@pytest.mark.slow
@pytest.mark.parametrize("index", range(len(blocks("python"))))
def test_python_examples_run_and_say_what_they_print(quick_model_env: Path, index: int) -> None:
    code = blocks("python")[index]
    tree = ast.parse(code)
    namespace: dict[str, Any] = {}
    lines = code.splitlines()
    checked = 0
    for node in tree.body:
        segment = ast.Module(body=[node], type_ignores=[])
        if not isinstance(node, ast.Expr):
            exec(compile(segment, "README.md", "exec"), namespace)
            continue
        value = eval(compile(ast.Expression(node.value), "README.md", "eval"), namespace)
        last = lines[(node.end_lineno or node.lineno) - 1]
        claim = _claim(last.split("#", 1)[1]) if "  # " in last else None
        if claim is None:
            continue
        text, prefix = claim
        shown = _normal(repr(value))
        if prefix:
            assert shown.startswith(_normal(text)), f"README says {text}…, the model {shown}"
        else:
            assert value == ast.literal_eval(text), f"README says {text}, the model {shown}"
        checked += 1
    assert checked, "the example states what it prints"


def _run(line: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    bin_dir = str(Path(sys.executable).parent)
    env = {**os.environ, "PATH": bin_dir + os.pathsep + os.environ.get("PATH", "")}
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT / "src"), str(ROOT)])
    return subprocess.run(
        ["bash", "-o", "pipefail", "-c", line],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_every_shell_example_is_run_or_excused() -> None:
    lines = command_lines()
    assert any(line.startswith("plancheck classify ") for line in lines)
    for line in lines:
        assert runnable(line) or any(line.startswith(p) for p in NOT_RUN), (
            f"README command neither run by this test nor excused in NOT_RUN: {line}"
        )


@pytest.mark.slow
def test_shell_examples_run(quick_model_env: Path, tmp_path: Path) -> None:
    (tmp_path / "brief.docx").write_bytes(
        make_docx(["Social media strategy 2026–2028: grow leads by 30% among SME owners."])
    )
    (tmp_path / "plan.txt").write_text(
        "Ramadan offer: 25% off iftar boxes from 1 to 30 Ramadan.", encoding="utf-8"
    )
    (tmp_path / "plans.jsonl").write_text(
        '{"id": "a", "text": "Our strategy for the next three years."}\n'
        '{"id": "b", "text": "White Friday: 40% off perfumes, 20-30 November."}\n',
        encoding="utf-8",
    )
    ran = 0
    for line in command_lines():
        if not runnable(line):
            continue
        if "--resume" in line:
            (tmp_path / "results.jsonl").unlink(missing_ok=True)
        done = _run(line, tmp_path)
        assert done.returncode == 0, f"{line}\n{done.stderr[-2000:]}"
        ran += 1
        if "--json" in shlex.split(line):
            assert '"label"' in done.stdout
    assert ran >= 4
    assert len((tmp_path / "results.jsonl").read_text("utf-8").splitlines()) == 2
