"""Every ``plancheck`` command starts without loading what only training and the corpus need.

``plancheck classify`` and ``classify-batch`` are run by hand and by scripts many times a
day; importing training, evaluation and the corpus tools cost each run ~0.2 s.
"""

from __future__ import annotations

import subprocess
import sys

from typer.testing import CliRunner

TRAINING_ONLY = (
    "plancheck.train",
    "plancheck.lifecycle",
    "plancheck.evaluate",
    "plancheck.corpus",
)


def test_the_command_loads_no_training_or_corpus_module():
    code = "import sys, plancheck.cli; print(' '.join(sorted(sys.modules)))"
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout.split()
    assert not [m for m in out if m.startswith(TRAINING_ONLY)]


def test_the_commands_that_need_them_still_find_them(tmp_path):
    from plancheck.cli import app

    runner = CliRunner()
    empty = runner.invoke(app, ["models", "list", "--models", str(tmp_path)])
    assert empty.exit_code == 0 and "no models" in empty.output
    bad = tmp_path / "plans.jsonl"
    bad.write_text('{"text": "x"}\n', encoding="utf-8")
    checked = runner.invoke(app, ["corpus", "check", "--corpus", str(bad)])
    assert checked.exit_code == 1 and "error:" in checked.output
