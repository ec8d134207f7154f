"""Model loading and API start-up, old model file against new (issue 13), in one run.

Usage:  .venv/bin/python bench/bench_startup.py [--models DIR] [--rounds 3] [--workers 2]

The served model of ``--models`` is written in both formats into a temporary models folder
(``model.pkl``, read by the C unpickler, and ``model.joblib`` with a card that names no file,
as models were saved before), both verified by ``load_model`` the same way. Then, rounds
alternating between the two:

- in a fresh interpreter: seconds to import plancheck and scikit-learn, seconds for
  ``load_model`` (hash check, unpickling, ``Classifier``), and the process's RSS after it;
- ``uvicorn api.main:app --workers N``: seconds from start to ``/readyz`` answering 200, and
  each worker's RSS and PSS (``/proc/<pid>/smaps_rollup``) once ready.

Nothing is written to ``--models``.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))
from bench_api_cpu import start, tree  # noqa: E402

_LOAD = """
import json, os, sys, time
t0 = time.perf_counter()
import sklearn, scipy.sparse  # noqa: F401
from plancheck import load_model
from plancheck.classifier import Classifier  # noqa: F401
t1 = time.perf_counter()
clf = load_model(models_dir=sys.argv[1])
t2 = time.perf_counter()
rss = int(open("/proc/self/statm").read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
print(json.dumps({"import_s": t1 - t0, "load_s": t2 - t1, "rss_mb": rss / 2**20}))
"""


def both_formats(models: Path | None, into: Path) -> dict[str, Path]:
    """Two models folders holding the served model, one per file format."""
    import joblib

    from plancheck import load_model
    from plancheck.artifacts import (
        CARD_FILE,
        LEGACY_MODEL_FILE,
        read_card,
        save_model,
        set_current,
        sha256_file,
    )

    clf = load_model(models_dir=models)
    card = read_card(clf_folder(models, clf.version))
    new, old = into / "pkl", into / "joblib"
    save_model(clf.model, card, new)
    set_current(clf.version, new)
    folder = old / clf.version
    folder.mkdir(parents=True)
    joblib.dump(clf.model, folder / LEGACY_MODEL_FILE, compress=3)  # as saved before
    legacy = {k: v for k, v in read_card(new / clf.version).items() if k != "model_format"}
    del legacy["model_file"]
    legacy["model_sha256"] = sha256_file(folder / LEGACY_MODEL_FILE)
    legacy["model_bytes"] = (folder / LEGACY_MODEL_FILE).stat().st_size
    (folder / CARD_FILE).write_text(json.dumps(legacy), encoding="utf-8")
    set_current(clf.version, old)
    for d in (new, old):
        load_model(models_dir=d)  # both pass the same checks
    return {"joblib (before)": old, "model.pkl (now)": new}


def clf_folder(models: Path | None, version: str) -> Path:
    from plancheck import config

    return config.models_dir(models) / version


def memory_mb(pid: int) -> dict[str, float]:
    out = {}
    for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
        key, _, rest = line.partition(":")
        if key in ("Rss", "Pss"):
            out[key.lower() + "_mb"] = round(int(rest.split()[0]) / 1024, 1)
    return out


def serve_once(models: Path, workers: int) -> dict[str, Any]:
    proc, _port, ready = start(workers, str(models))
    try:
        time.sleep(0.5)
        if workers == 1:
            per_worker = [memory_mb(proc.pid)]
        else:  # uvicorn's workers are spawned children (not its resource tracker)
            children = [p for p in tree(proc.pid) if p != proc.pid]
            per_worker = [
                memory_mb(p)
                for p in children
                if b"spawn_main" in Path(f"/proc/{p}/cmdline").read_bytes()
            ]
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(20)
    return {"ready_s": round(ready, 2), "workers": per_worker}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--models", type=Path, default=None)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--workers", type=int, default=2)
    args = ap.parse_args()
    load_before = os.getloadavg()
    tmp = Path(tempfile.mkdtemp(prefix="plancheck-startup-"))
    try:
        dirs = both_formats(args.models, tmp)
        env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(ROOT / "src"), str(ROOT)]))
        loads: dict[str, list[dict[str, float]]] = {k: [] for k in dirs}
        serves: dict[str, list[dict[str, Any]]] = {k: [] for k in dirs}
        for _ in range(args.rounds):
            for name, d in dirs.items():
                r = subprocess.run(
                    [sys.executable, "-c", _LOAD, str(d)],
                    env=env,
                    capture_output=True,
                    text=True,
                    check=True,
                )
                loads[name].append(json.loads(r.stdout))
            for name, d in dirs.items():
                serves[name].append(serve_once(d, args.workers))
        sizes = {
            k: sum(p.stat().st_size for p in d.rglob("model.*") if p.suffix != ".json")
            for k, d in dirs.items()
        }
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    out = {
        "command": "python " + " ".join(sys.argv),
        "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        "load_average_before_after": [
            [round(x, 2) for x in load_before],
            [round(x, 2) for x in os.getloadavg()],
        ],
        "model_file_bytes": sizes,
        "load_model": {
            k: [{m: round(x, 2) for m, x in r.items()} for r in v] for k, v in loads.items()
        },
        "ready": serves,
    }
    print(json.dumps(out, indent=2))
    print(
        "\n| model file | import s | load_model s (best) | RSS after load MB | "
        f"ready s, {args.workers} workers (best) | RSS / PSS per worker MB |"
    )
    print("|---|---:|---:|---:|---:|---|")
    for k in dirs:
        best = min(loads[k], key=lambda r: r["load_s"])
        ready = min(serves[k], key=lambda r: r["ready_s"])
        mem = ", ".join(f"{w.get('rss_mb')} / {w.get('pss_mb')}" for w in ready["workers"])
        print(
            f"| {k} | {min(r['import_s'] for r in loads[k]):.2f} | {best['load_s']:.2f} | "
            f"{best['rss_mb']:.0f} | {ready['ready_s']:.2f} | {mem} |"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
