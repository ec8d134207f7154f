"""API CPU per request against in-process ``classify`` (issue 13), measured in one run.

Usage:  .venv/bin/python bench/bench_api_cpu.py [--seconds 10] [--conc 8] [--workers 1]
        [--models DIR] [--rounds 2]

Wall-clock rates swing with the load of a shared machine; CPU seconds do much less. So this
counts the CPU time (user + system, from /proc) that the uvicorn processes spend per answered
request, over keep-alive connections from ``--conc`` client threads, and compares it with
the CPU time of in-process ``classify`` on the same 300-word texts; rounds alternate (API,
in-process, API, ...). Also: requests/s, p50/p99, the share of requests each worker served
(keep-alive distribution) and the time from start to ready. No wrk needed.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))
from bench_classify import make_docs  # noqa: E402

TICK = os.sysconf("SC_CLK_TCK")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def tree(pid: int) -> list[int]:
    """``pid`` and its children (uvicorn's workers)."""
    out = [pid]
    for p in Path("/proc").iterdir():
        if p.name.isdigit():
            try:
                fields = (p / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid:
                out.append(int(p.name))
    return out


def cpu_seconds(pids: list[int]) -> dict[int, float]:
    out = {}
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        out[pid] = (int(fields[11]) + int(fields[12])) / TICK
    return out


def start(workers: int, models: str | None) -> tuple[subprocess.Popen[bytes], int, float]:
    port = free_port()
    env = dict(os.environ, PLANCHECK_LOG_LEVEL="WARNING")
    if models:
        env["PLANCHECK_MODELS_DIR"] = models
    t0 = time.perf_counter()
    proc = subprocess.Popen(
        [sys.executable, "-m", "uvicorn", "api.main:app", "--host", "127.0.0.1"]
        + ["--port", str(port), "--workers", str(workers), "--no-access-log"]
        + ["--log-level", "warning"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    while True:
        try:
            c = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            c.request("GET", "/readyz")
            if c.getresponse().status == 200:
                break
        except OSError:
            pass
        if proc.poll() is not None or time.perf_counter() - t0 > 120:
            raise SystemExit("server not ready after 120 s")
        time.sleep(0.05)
    return proc, port, time.perf_counter() - t0


def load(port: int, bodies: list[bytes], conc: int, seconds: float) -> dict[str, float]:
    lat: list[float] = []
    errors = [0]
    stop_at = time.perf_counter() + seconds

    def client(k: int) -> None:
        c = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        i = k
        while time.perf_counter() < stop_at:
            body = bodies[i % len(bodies)]
            i += conc
            t = time.perf_counter()
            c.request("POST", "/v1/classify", body, {"Content-Type": "application/json"})
            r = c.getresponse()
            r.read()
            lat.append((time.perf_counter() - t) * 1000)
            errors[0] += r.status != 200

    t0 = time.perf_counter()
    threads = [threading.Thread(target=client, args=(k,)) for k in range(conc)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.perf_counter() - t0
    lat.sort()
    return {
        "requests": len(lat),
        "rps": len(lat) / wall,
        "p50_ms": lat[len(lat) // 2],
        "p99_ms": lat[int(0.99 * (len(lat) - 1))],
        "errors": errors[0],
    }


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seconds", type=float, default=10)
    ap.add_argument("--conc", type=int, default=8)
    ap.add_argument("--workers", type=int, default=1)
    ap.add_argument("--rounds", type=int, default=2)
    ap.add_argument("--docs", type=int, default=200)
    ap.add_argument("--models", default=None)
    args = ap.parse_args()

    from plancheck import load_model
    from plancheck.corpus import load_corpus

    texts = make_docs([d.text for d in load_corpus()], args.docs)
    bodies = [json.dumps({"text": t}).encode() for t in texts]
    clf = load_model(models_dir=Path(args.models) if args.models else None)
    proc, port, ready = start(args.workers, args.models)
    try:
        load(port, bodies, args.conc, 2)  # warm-up: every worker's caches
        api, inproc = [], []
        for _ in range(args.rounds):
            pids = tree(proc.pid)
            before = cpu_seconds(pids)
            r = load(port, bodies, args.conc, args.seconds)
            after = cpu_seconds(pids)
            used = {p: after[p] - before.get(p, 0.0) for p in after}
            r["cpu_ms_per_request"] = 1000 * sum(used.values()) / r["requests"]
            r["cpu_share_per_process"] = sorted(
                (round(v / max(sum(used.values()), 1e-9), 2) for v in used.values()),
                reverse=True,
            )
            api.append(r)
            t = time.process_time()
            for x in texts:
                clf.classify(x)
            inproc.append(1000 * (time.process_time() - t) / len(texts))
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(20)
    best = min(api, key=lambda r: r["cpu_ms_per_request"])
    cpu_in = min(inproc)
    out = {
        "command": "python " + " ".join(sys.argv),
        "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        "load_average": [round(x, 2) for x in os.getloadavg()],
        "workers": args.workers,
        "concurrency": args.conc,
        "ready_s": round(ready, 2),
        "api": [{k: v if isinstance(v, list) else round(v, 2) for k, v in r.items()} for r in api],
        "inprocess_classify_cpu_ms": round(cpu_in, 2),
        "api_cpu_per_request_over_inprocess": round(best["cpu_ms_per_request"] / cpu_in, 2),
    }
    print(json.dumps(out, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
