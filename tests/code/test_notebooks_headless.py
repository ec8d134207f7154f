"""The headless commands of ``notebooks/README.md`` work on a clean clone, and
``make notebooks`` works as root."""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[2]
SECTION = "## Running the notebooks headless"


def headless_lines() -> list[str]:
    text = (ROOT / "notebooks" / "README.md").read_text(encoding="utf-8")
    section = text[text.index(SECTION) :]
    block = re.search(r"```bash\n(.*?)```", section, re.S)
    assert block, "the headless section has a bash block"
    lines = [re.split(r"\s{2,}#", line)[0].strip() for line in block.group(1).splitlines()]
    return [line for line in lines if line]


def _parameters(notebook: Path) -> str:
    nb = nbformat.read(notebook, as_version=4)
    return next(c.source for c in nb.cells if "parameters" in c.metadata.get("tags", []))


def test_make_notebooks_allows_root() -> None:
    if shutil.which("make") is None:
        pytest.skip("make is not installed")
    dry = subprocess.run(
        ["make", "-n", "notebooks"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout
    lab = [line for line in dry.splitlines() if "jupyter lab" in line]
    assert lab and all("--allow-root" in line for line in lab), dry


def test_papermill_lines_name_real_notebooks_and_parameters() -> None:
    papermill = [shlex.split(line) for line in headless_lines() if line.startswith("papermill")]
    assert len(papermill) >= 2
    for words in papermill:
        notebook, output = ROOT / words[1], Path(words[2])
        assert notebook.is_file(), words[1]
        assert output.parts[0] == "out", "the outputs go to out/, which the lines create"
        source = _parameters(notebook)
        for i, word in enumerate(words):
            if word == "-p":
                assert f"\n{words[i + 1]} = " in f"\n{source}", (words[1], words[i + 1])
    assert "mkdir -p out" in headless_lines()


@pytest.mark.slow
def test_papermill_lines_run_on_a_clean_clone(tmp_path: Path) -> None:
    papermill = shutil.which("papermill") or shutil.which(
        "papermill", path=str(Path(sys.executable).parent)
    )
    if papermill is None:
        pytest.skip("papermill is not installed (pip install -e '.[notebooks]')")
    clone = tmp_path / "clone"
    clone.mkdir()
    (clone / "notebooks").symlink_to(ROOT / "notebooks")
    env = {**os.environ, "PATH": f"{Path(papermill).parent}{os.pathsep}{os.environ['PATH']}"}
    env["PYTHONPATH"] = os.pathsep.join(
        [str(ROOT / "src"), str(ROOT), *filter(None, [os.environ.get("PYTHONPATH")])]
    )
    ran = 0
    for line in headless_lines():
        if line.startswith("source ") or "03-train" in line or "04-promote" in line:
            continue  # activation is the caller's shell; 03/04: see the module docstring
        done = subprocess.run(
            ["bash", "-c", line], cwd=clone, env=env, capture_output=True, text=True, timeout=600
        )
        assert done.returncode == 0, f"{line}\n{done.stderr[-3000:]}"
        ran += 1
    assert ran >= 2 and (clone / "out" / "01.ipynb").is_file()
