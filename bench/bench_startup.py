"""Model loading and API start-up, old model file against new (issue 13), in one run.

Usage:  .venv/bin/python bench/bench_startup.py [--models DIR] [--rounds 3] [--workers 2]
        .venv/bin/python bench/bench_startup.py --servers [--models DIR] [--rounds 3]

The served model of ``--models`` is written in both formats into a temporary models folder
(``model.pkl``, read by the C unpickler, and ``model.joblib`` with a card that names no file,
as models were saved before), both verified by ``load_model`` the same way. Then, rounds
alternating between the two:

- in a fresh interpreter: seconds to import plancheck and scikit-learn, seconds for
  ``load_model`` (hash check, unpickling, ``Classifier``), and the process's RSS after it;
- ``uvicorn api.main:app --workers N``: seconds from start to ``/readyz`` answering 200, and
  each worker's RSS and PSS (``/proc/<pid>/smaps_rollup``) once ready.

Nothing is written to ``--models``.

``--servers`` compares the servers instead, on the served model written as ``model.pkl``
into a temporary models folder: ``uvicorn
api.main:app --workers N`` (each spawned worker imports the app and loads the model) and
``python -m api.serve --workers N`` (imports and loads once, then forks), rounds alternating:
seconds from start to the first 200 from ``/readyz`` (and, for api.serve, to answers from
N distinct worker pids), each worker's RSS and PSS once ready and again after 100
``/v1/classify`` requests (copy-on-write pages a worker touched are its own by then), and
the parent's.
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
from bench_api_cpu import print_run, start, tree, workers_of  # noqa: E402

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


def _all_workers_answer(port: int, n: int, t0: float) -> float | None:
    """Seconds from ``t0`` until ``n`` distinct ``X-Worker-Pid`` values answered."""
    import http.client

    seen: set[str] = set()
    while len(seen) < n and time.perf_counter() - t0 < 120:
        c = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        c.request("GET", "/readyz")
        r = c.getresponse()
        r.read()
        c.close()
        if r.status == 200 and r.getheader("x-worker-pid"):
            seen.add(r.getheader("x-worker-pid", ""))
        elif r.getheader("x-worker-pid") is None:
            return None
    return time.perf_counter() - t0


def _classify(port: int, bodies: list[bytes]) -> None:
    import http.client

    for body in bodies:
        c = http.client.HTTPConnection("127.0.0.1", port, timeout=60)  # fresh: both workers
        c.request("POST", "/v1/classify", body, {"Content-Type": "application/json"})
        c.getresponse().read()
        c.close()


def serve_compare(models: str | None, server: str, workers: int, bodies: list[bytes]) -> Any:
    t0 = time.perf_counter()
    proc, port, ready = start(workers, models, server)
    try:
        all_ready = _all_workers_answer(port, workers, t0) if server != "uvicorn" else None
        time.sleep(0.5)
        pids = workers_of(proc, server, workers)
        at_ready = [memory_mb(p) for p in pids]
        _classify(port, bodies)
        after = [memory_mb(p) for p in pids]
        parent = memory_mb(proc.pid) if server != "uvicorn" or workers > 1 else None
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(30)
    return {
        "ready_s": round(ready, 2),
        "all_workers_s": None if all_ready is None else round(all_ready, 2),
        "workers_at_ready": at_ready,
        "workers_after_100": after,
        "parent": parent,
    }


def compare_servers(args: argparse.Namespace) -> int:
    from bench_classify import make_docs

    from plancheck.corpus import load_corpus

    texts = make_docs([d.text for d in load_corpus()], 100)
    bodies = [json.dumps({"text": t}).encode() for t in texts]
    tmp = Path(tempfile.mkdtemp(prefix="plancheck-servers-"))
    try:
        # the served model as model.pkl (the format training writes now), in a temp folder
        models = str(both_formats(args.models, tmp)["model.pkl (now)"])
        return _compare_servers(args, models, bodies)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def _compare_servers(args: argparse.Namespace, models: str, bodies: list[bytes]) -> int:
    names = {"uvicorn": f"uvicorn --workers {args.workers}", "prefork": "python -m api.serve"}
    load_before = os.getloadavg()
    runs: dict[str, list[dict[str, Any]]] = {k: [] for k in names}
    for _ in range(args.rounds):
        for server in names:
            r = serve_compare(models, server, args.workers, bodies)
            r["load_average_1min"] = round(os.getloadavg()[0], 2)
            runs[server].append(r)
            print(json.dumps({"server": server, **r}), flush=True)
    print_run(load_before)

    def mem(ws: list[dict[str, float]]) -> str:
        return ", ".join(f"{w['rss_mb']:.0f} / {w['pss_mb']:.0f}" for w in ws)

    print(
        f"\n| server, {args.workers} workers | ready s (best of {args.rounds}) | every round | "
        "all workers answer s (best) | RSS / PSS per worker MB at ready | after 100 requests "
        "| parent RSS / PSS MB |"
    )
    print("|---|---:|---|---:|---|---|---|")
    for server, name in names.items():
        v = runs[server]
        best = min(v, key=lambda r: r["ready_s"])
        alls = [r["all_workers_s"] for r in v if r["all_workers_s"] is not None]
        parent = best["parent"]
        print(
            f"| {name} | {best['ready_s']:.2f} | {', '.join(str(r['ready_s']) for r in v)} | "
            f"{f'{min(alls):.2f}' if alls else '-'} | {mem(best['workers_at_ready'])} | "
            f"{mem(best['workers_after_100'])} | "
            f"{mem([parent]) if parent and server != 'uvicorn' else '-'} |"
        )
    return 0


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--models", type=Path, default=None)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument(
        "--servers", action="store_true", help="uvicorn --workers N against python -m api.serve"
    )
    args = ap.parse_args()
    if args.servers:
        return compare_servers(args)
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
