"""``plancheck classify-batch`` end to end with a real trained model.

Folder, CSV, JSONL and Parquet inputs; worker processes; a real run killed with SIGKILL and
resumed; the Dask engine on a LocalCluster on 127.0.0.1 against the local engine.
The model is the session's temporary one (``models_dir``), never the project's ``models/``.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner

from plancheck.batch import FLAT_COLUMNS, PARQUET_SCHEMA
from plancheck.cli import app
from plancheck.config import ELEMENTS
from tests.code.test_reading import make_docx, make_pdf

STRATEGY_AR = (
    "خطة حضورنا على السوشيال ميديا للسنوات الثلاث القادمة ٢٠٢٦–٢٠٢٨. الهدف زيادة المبيعات ٢٠٪.\n"
    "جمهورنا الأمهات من ٢٥ إلى ٤٥ سنة. نراجع الخطة كل ستة أشهر. الميزانية ٤٥٠ ألف ريال سنوياً."
)
STRATEGY_AR_1256 = (  # only characters Windows-1256 can encode (no Arabic-Indic digits)
    "خطة حضورنا على السوشيال ميديا للسنوات الثلاث القادمة. الهدف زيادة المبيعات 20%.\n"
    "جمهورنا الأمهات من 25 إلى 45 سنة. نراجع الخطة كل ستة أشهر، والميزانية 450 ألف ريال سنوياً."
)
CAMPAIGN_EN = (
    "White Friday: 40% off all perfumes, 20–30 November. Instagram and TikTok ads, "
    "budget 20,000 SAR for the ten days."
)
RECIPE_EN = "Kunafa recipe: melt the butter, press half the dough into the tray, add cream, bake 30 minutes."
TEXTS = [STRATEGY_AR, CAMPAIGN_EN, RECIPE_EN]


def cli(*args: str) -> tuple[int, str]:
    res = CliRunner().invoke(app, ["classify-batch", *args])
    return res.exit_code, res.output


def read_jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def write_jsonl(path: Path, lines: list) -> Path:
    path.write_text(
        "".join(
            (x if isinstance(x, str) else json.dumps(x, ensure_ascii=False)) + "\n" for x in lines
        ),
        encoding="utf-8",
    )
    return path


def subprocess_env(models_dir: Path) -> dict:
    # A fixed hash seed: the order of equally weighted `reasons` follows set iteration order,
    # which differs between interpreter runs; everything else is deterministic regardless.
    return {**os.environ, "PLANCHECK_MODELS_DIR": str(models_dir), "PYTHONHASHSEED": "0"}


def same_result(a: dict, b: dict) -> bool:
    """Equal results, comparing `reasons` as a set of terms (ties may be ordered either way)."""
    terms = lambda r: sorted(x["term"] for x in r.get("reasons", []))  # noqa: E731
    return {**a, "reasons": terms(a)} == {**b, "reasons": terms(b)}


def test_folder_of_mixed_files(tmp_path: Path, classifier, models_dir: Path) -> None:
    root = tmp_path / "briefs"
    (root / "2026").mkdir(parents=True)
    (root / "2026" / "ramadan.docx").write_bytes(make_docx(["Ramadan campaign:", CAMPAIGN_EN]))
    (root / "2026" / "white-friday.pdf").write_bytes(make_pdf([CAMPAIGN_EN.replace("–", "-")]))
    (root / "broken.pdf").write_bytes(b"%PDF-1.7\n%\xe2\xe3 truncated before any object")
    (root / "empty.txt").write_bytes(b"   \n")
    (root / "strategy-cp1256.txt").write_bytes(STRATEGY_AR_1256.encode("cp1256"))
    (root / "recipe.md").write_text(RECIPE_EN, encoding="utf-8")
    out, summary = tmp_path / "out.jsonl", tmp_path / "summary.json"
    code, output = cli(
        str(root),
        "-o",
        str(out),
        "--models",
        str(models_dir),
        "--jobs",
        "1",
        "--summary",
        str(summary),
    )
    assert code == 0, output
    results = read_jsonl(out)
    ids = [
        "2026/ramadan.docx",
        "2026/white-friday.pdf",
        "broken.pdf",
        "empty.txt",
        "recipe.md",
        "strategy-cp1256.txt",
    ]
    assert [r["id"] for r in results] == ids
    by_id = {r["id"]: r for r in results}
    assert (
        set(by_id["broken.pdf"]) == {"id", "error"}
        and "PDF" in by_id["broken.pdf"]["error"]["message"]
    )
    assert set(by_id["empty.txt"]) == {"id", "error"}
    # the same result as classifying the text directly (the cp1256 file was decoded right)
    assert by_id["strategy-cp1256.txt"] == classifier.classify(
        STRATEGY_AR_1256, id="strategy-cp1256.txt"
    )
    assert by_id["recipe.md"] == classifier.classify(RECIPE_EN, id="recipe.md")
    s = json.loads(summary.read_text())
    assert s["documents"] == 6 and s["errors"] == 2 and sum(s["labels"].values()) == 4
    assert "2 errors" in output and "docs/s" in output


def test_csv_with_a_row_without_text(tmp_path: Path, classifier, models_dir: Path) -> None:
    frame = pd.DataFrame(
        {"ref": ["a", "b", "", "d"], "body": [STRATEGY_AR, None, CAMPAIGN_EN, RECIPE_EN]}
    )
    inp = tmp_path / "in.csv"
    frame.to_csv(inp, index=False)
    out = tmp_path / "out.csv"
    code, output = cli(
        str(inp),
        "-o",
        str(out),
        "--id-col",
        "ref",
        "--text-col",
        "body",
        "--models",
        str(models_dir),
        "--jobs",
        "1",
    )
    assert code == 0, output
    got = pd.read_csv(out, dtype=str, keep_default_na=False)
    assert list(got.columns) == list(FLAT_COLUMNS)
    assert got["id"].tolist() == ["a", "b", "3", "d"]  # the missing id became the row number
    assert (
        got.loc[1, "error"] == "invalid_input: row 2 has no text (column 'body' is empty)"
        and got.loc[1, "label"] == ""
    )
    expected = classifier.classify(STRATEGY_AR)
    assert got.loc[0, "label"] == expected["label"]
    assert got.loc[0, "missing"] == ";".join(expected["missing"])
    assert [int(got.loc[0, e]) for e in ELEMENTS] == [
        int(e["present"]) for e in expected["elements"]
    ]


def test_jsonl_broken_line_with_worker_processes(
    tmp_path: Path, classifier, models_dir: Path
) -> None:
    lines = [{"id": f"p{i}", "text": TEXTS[i % 3] + f" ({i})"} for i in range(60)]
    lines[7] = '{"id": "p7", "text": "no closing quote}'
    lines[20] = {"id": "p20", "text": ""}
    inp = write_jsonl(tmp_path / "in.jsonl", lines)
    env = subprocess_env(models_dir)
    outs = {}
    for jobs in ("1", "2"):
        out = tmp_path / f"out-{jobs}.jsonl"
        cmd = [
            sys.executable,
            "-m",
            "plancheck.cli",
            "classify-batch",
            str(inp),
            "-o",
            str(out),
            "--jobs",
            jobs,
            "--chunk-size",
            "8",
        ]
        proc = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=300)
        assert proc.returncode == 0, proc.stderr
        assert "doc/s" in proc.stderr  # the progress bar
        outs[jobs] = out.read_text(encoding="utf-8")
    assert outs["1"] == outs["2"]
    results = [json.loads(x) for x in outs["2"].splitlines()]
    assert len(results) == 60
    assert [r["id"] for r in results] == [
        f"p{i}" if i != 7 else 8 for i in range(60)
    ]  # broken line → line number
    assert "error" in results[7] and "line 8" in results[7]["error"]["message"]
    assert results[20]["error"]["code"] == "empty_text"
    assert same_result(results[3], classifier.classify(TEXTS[0] + " (3)", id="p3"))


def test_parquet_in_and_out(tmp_path: Path, classifier, models_dir: Path) -> None:
    inp = tmp_path / "in.parquet"
    texts = [TEXTS[i % 3] for i in range(10)]
    texts[4] = None
    pq.write_table(pa.table({"id": list(range(100, 110)), "text": texts}), inp, row_group_size=3)
    out = tmp_path / "out.parquet"
    code, output = cli(
        str(inp), "-o", str(out), "--models", str(models_dir), "--jobs", "1", "--chunk-size", "4"
    )
    assert code == 0, output
    got = pd.read_parquet(out)
    assert pq.read_schema(out) == PARQUET_SCHEMA
    assert got["id"].tolist() == [str(i) for i in range(100, 110)]
    assert got.loc[4, "error"].startswith("invalid_input: row 5 has no text")
    first = json.loads(got.loc[0, "result_json"])
    assert first == classifier.classify(TEXTS[0], id=100)


def test_no_model_is_a_clear_failure(tmp_path: Path) -> None:
    inp = write_jsonl(tmp_path / "in.jsonl", [{"id": 1, "text": CAMPAIGN_EN}])
    code, output = cli(
        str(inp), "-o", str(tmp_path / "o.jsonl"), "--models", str(tmp_path / "empty")
    )
    assert code != 0 and "plancheck train" in output


def wait_for_lines(path: Path, n: int, proc: subprocess.Popen, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if path.exists() and path.read_bytes().count(b"\n") >= n:
            return
        if proc.poll() is not None:
            pytest.fail(f"the run ended before it could be killed:\n{proc.stderr.read().decode()}")
        time.sleep(0.01)
    pytest.fail("no partial output appeared")


def test_kill_and_resume(tmp_path: Path, classifier, models_dir: Path) -> None:
    n = 3000
    words = [
        "Ramadan",
        "offer",
        "budget",
        "three",
        "years",
        "audience",
        "TikTok",
        "خصم",
        "رمضان",
        "الميزانية",
    ]
    inp = write_jsonl(
        tmp_path / "in.jsonl",
        [
            {
                "id": f"doc-{i:05d}",
                "text": f"{words[i % 10]} plan {i}: "
                + " ".join(words[(i + k) % 10] for k in range(12)),
            }
            for i in range(n)
        ],
    )
    out = tmp_path / "out.jsonl"
    partial = tmp_path / "out.jsonl.partial"
    base = [
        sys.executable,
        "-m",
        "plancheck.cli",
        "classify-batch",
        str(inp),
        "-o",
        str(out),
        "--jobs",
        "1",
        "--chunk-size",
        "25",
    ]
    env = subprocess_env(models_dir)
    proc = subprocess.Popen(base, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        wait_for_lines(partial, 200, proc)
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == -signal.SIGKILL
    assert not out.exists()
    done_before = partial.read_bytes().count(b"\n")
    assert 200 <= done_before < n
    summary = tmp_path / "summary.json"
    proc = subprocess.run(
        [*base, "--resume", "--summary", str(summary)],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stderr
    assert not partial.exists()
    ids = [r["id"] for r in read_jsonl(out)]
    assert ids == [f"doc-{i:05d}" for i in range(n)]  # every id once, in input order
    s = json.loads(summary.read_text())
    assert s["documents"] == n and s["resumed"] == done_before and s["errors"] == 0


# Warnings from inside dask/distributed, not from plancheck.
dask_warnings = pytest.mark.filterwarnings(
    "ignore:The inplace keyword in DataFrame.reset_index", "ignore:Port 8787 is already in use"
)


@pytest.fixture(scope="module")
def dask_cluster():
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(
        n_workers=1,
        threads_per_worker=2,
        processes=False,
        protocol="tcp",
        host="127.0.0.1",
        dashboard_address=None,
    ) as cluster:
        yield cluster


@dask_warnings
def test_dask_engine_equals_local_engine(
    tmp_path: Path, classifier, models_dir: Path, dask_cluster
) -> None:
    texts = [TEXTS[i % 3] + f" #{i}" for i in range(30)]
    texts[11] = "   "
    texts[17] = None
    table = pa.table({"text": texts})  # no id column: ids are row numbers across partitions
    single = tmp_path / "in.parquet"
    pq.write_table(table, single, row_group_size=8)
    folder = tmp_path / "in-parts"
    folder.mkdir()
    for k, start in enumerate(range(0, 30, 10)):
        pq.write_table(table.slice(start, 10), folder / f"part-{k}.parquet")
    local_out = tmp_path / "local.parquet"
    code, output = cli(
        str(single), "-o", str(local_out), "--models", str(models_dir), "--jobs", "1"
    )
    assert code == 0, output
    dask_out = tmp_path / "dask.parquet"
    summary = tmp_path / "dask-summary.json"
    code, output = cli(
        str(folder),
        "-o",
        str(dask_out),
        "--engine",
        "dask",
        "--scheduler",
        dask_cluster.scheduler_address,
        "--models",
        str(models_dir),
        "--summary",
        str(summary),
    )
    assert code == 0, output
    assert dask_out.is_dir() and len(list(dask_out.glob("part-*.parquet"))) == 3
    local, distributed = pd.read_parquet(local_out), pd.read_parquet(dask_out)
    pd.testing.assert_frame_equal(local, distributed)
    assert local["id"].tolist() == [str(i) for i in range(1, 31)]
    s = json.loads(summary.read_text())
    assert s["documents"] == 30 and s["errors"] == 2


@dask_warnings
def test_dask_engine_with_its_own_local_cluster(
    tmp_path: Path, classifier, models_dir: Path
) -> None:
    pytest.importorskip("distributed")
    inp = tmp_path / "in.parquet"
    pq.write_table(pa.table({"id": ["a", "b", "c"], "text": TEXTS}), inp)
    out = tmp_path / "out"
    code, output = cli(
        str(inp),
        "-o",
        str(out),
        "--engine",
        "dask",
        "--jobs",
        "1",
        "--models",
        str(models_dir),
        "--quiet",
    )
    assert code == 0, output
    got = pd.read_parquet(out)
    assert got["id"].tolist() == ["a", "b", "c"]
    assert same_result(
        json.loads(got.loc[1, "result_json"]), classifier.classify(CAMPAIGN_EN, id="b")
    )


def test_a_corrupted_model_stops_a_two_worker_run_with_the_reason(
    tmp_path: Path, models_dir: Path
) -> None:
    # The main process loads the model for its forked workers: a file that no longer matches
    # its card fails the run before anything is written, and says why.
    import shutil

    models = tmp_path / "models"
    shutil.copytree(models_dir, models)
    version = (models / "current").read_text(encoding="utf-8").strip()
    with open(models / version / "model.pkl", "ab") as f:
        f.write(b"x")
    inp = write_jsonl(tmp_path / "in.jsonl", [{"id": 1, "text": CAMPAIGN_EN}])
    out = tmp_path / "out.jsonl"
    run = subprocess.run(
        [sys.executable, "-m", "plancheck.cli", "classify-batch", str(inp), "-o", str(out)]
        + ["--jobs", "2", "--models", str(models), "--quiet"],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert run.returncode != 0
    assert "does not match its model card" in run.stderr
    assert not out.exists()
