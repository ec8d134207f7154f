"""API load test (issue 4 targets), measured in one run on 127.0.0.1 with wrk.

Usage:  .venv/bin/python bench/bench_api.py [--seconds 10] [--docs 200]

For each server (the real app with sync ``def`` endpoints, the same work as ``async def``,
and a bare endpoint returning a fixed result), uvicorn with 1 and 2 workers, and wrk at
concurrency 8 and 32 (bounded by --seconds), it reports requests/s, p50, p99 and errors,
then the ratios: API throughput over in-process ``classify`` throughput on the same texts
with the same number of processes, and over the bare endpoint. Also start-up-to-ready time
and RSS per worker. Needs ``wrk`` (apt-get install wrk) and a model in models/.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing as mp
import os
import re
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))
from bench_classify import make_docs  # noqa: E402

LUA = """
local bodies = {}
for line in io.lines("%s") do bodies[#bodies + 1] = line end
local i = 0
request = function()
  i = i %% #bodies + 1
  return wrk.format("POST", "%s", {["Content-Type"] = "application/json"}, bodies[i])
end
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def rss_of_tree(pid: int) -> list[float]:
    out = subprocess.run(
        ["ps", "-o", "pid=,ppid=,rss=", "-A"], capture_output=True, text=True
    ).stdout
    rows = [tuple(int(x) for x in line.split()) for line in out.splitlines() if line.strip()]
    kids = [r for r in rows if r[1] == pid]
    return [r[2] / 1024 for r in kids] or [r[2] / 1024 for r in rows if r[0] == pid]


def start(app: str, workers: int) -> tuple[subprocess.Popen, int, float]:
    port = free_port()
    t0 = time.perf_counter()
    proc = subprocess.Popen(
        [
            str(ROOT / ".venv/bin/uvicorn"),
            app,
            "--app-dir",
            str(ROOT / "bench"),
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--workers",
            str(workers),
            "--log-level",
            "warning",
            "--no-access-log",
        ],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    ready_path = "/readyz" if "bare" not in app else "/docs"
    while time.perf_counter() - t0 < 60:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}{ready_path}", timeout=1) as r:
                if r.status == 200:
                    break
        except OSError:
            time.sleep(0.1)
    ready = time.perf_counter() - t0
    # with several workers, wait until every worker answers ready (each loads the model)
    time.sleep(1.0 if workers > 1 else 0.2)
    return proc, port, ready


def stop(proc: subprocess.Popen) -> None:
    os.killpg(proc.pid, signal.SIGTERM)
    try:
        proc.wait(10)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)


def wrk(port: int, path: str, bodies: Path, conc: int, seconds: int) -> dict:
    lua = Path(tempfile.mkstemp(suffix=".lua")[1])
    lua.write_text(LUA % (bodies, path))
    out = subprocess.run(
        [
            "wrk",
            "-t2",
            f"-c{conc}",
            f"-d{seconds}s",
            "--latency",
            "-s",
            str(lua),
            f"http://127.0.0.1:{port}",
        ],
        capture_output=True,
        text=True,
    ).stdout
    lua.unlink()

    def ms(label: str) -> float | None:
        m = re.search(rf"{label}%\s+([\d.]+)(us|ms|s)\b", out)
        if not m:
            return None
        v, u = float(m.group(1)), m.group(2)
        return v / 1000 if u == "us" else v * 1000 if u == "s" else v

    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    sock = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    errors = (int(non2xx.group(1)) if non2xx else 0) + (
        sum(int(x) for x in sock.groups()) if sock else 0
    )
    return {"rps": round(rps, 1), "p50_ms": ms("50"), "p99_ms": ms("99"), "errors": errors}


def _classify_rate(texts: list[str], q) -> None:
    from plancheck import load_model

    m = load_model()
    m.classify(texts[0])
    t = time.perf_counter()
    for x in texts:
        m.classify(x)
    q.put(len(texts) / (time.perf_counter() - t))


def inprocess_rate(texts: list[str], procs: int) -> float:
    """``classify`` one text at a time, in ``procs`` processes at once (summed)."""
    q = mp.get_context("spawn").Queue()
    ps = [
        mp.get_context("spawn").Process(target=_classify_rate, args=(texts, q))
        for _ in range(procs)
    ]
    for p in ps:
        p.start()
    rates = [q.get() for _ in ps]
    for p in ps:
        p.join()
    return sum(rates)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seconds", type=int, default=10)
    ap.add_argument("--docs", type=int, default=200)
    args = ap.parse_args()
    from plancheck import load_model
    from plancheck.corpus import load_corpus

    texts = make_docs([d.text for d in load_corpus()], args.docs)
    tmp = Path(tempfile.mkdtemp(prefix="plancheck-bench-"))
    bodies = tmp / "bodies.jsonl"
    bodies.write_text(
        "".join(json.dumps({"text": t}, ensure_ascii=False) + "\n" for t in texts),
        encoding="utf-8",
    )
    (ROOT / "bench" / "fixed_result.json").write_text(
        json.dumps(load_model().classify(texts[0]), ensure_ascii=False), encoding="utf-8"
    )

    rows = []
    inproc = {1: inprocess_rate(texts, 1), 2: inprocess_rate(texts, 2)}
    for app, path, name in [
        ("api.main:app", "/v1/classify", "api (def, thread pool)"),
        ("api_variants:async_app", "/bench/classify-async", "api (async def)"),
        ("api_variants:bare_app", "/v1/classify", "bare fixed JSON"),
    ]:
        for workers in (1, 2):
            proc, port, ready = start(app, workers)
            rss = rss_of_tree(proc.pid)
            try:
                for conc in (8, 32):
                    r = wrk(port, path, bodies, conc, args.seconds)
                    rows.append(
                        {
                            "server": name,
                            "workers": workers,
                            "concurrency": conc,
                            **r,
                            "ready_s": round(ready, 2),
                            "rss_mb_per_worker": [round(x) for x in rss],
                        }
                    )
                    print(json.dumps(rows[-1], ensure_ascii=False), flush=True)
            finally:
                stop(proc)
    (ROOT / "bench" / "fixed_result.json").unlink(missing_ok=True)
    best = {}
    for r in rows:
        key = (r["server"], r["workers"])
        best[key] = max(best.get(key, 0), r["rps"])
    print(json.dumps({"inprocess_classify_rps": {k: round(v, 1) for k, v in inproc.items()}}))
    for w in (1, 2):
        api = best[("api (def, thread pool)", w)]
        print(
            json.dumps(
                {
                    "workers": w,
                    "api_over_inprocess": round(api / inproc[w], 2),
                    "api_over_bare": round(api / best[("bare fixed JSON", w)], 3),
                    "async_over_def": round(best[("api (async def)", w)] / api, 2),
                }
            )
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
