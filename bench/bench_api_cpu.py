"""API CPU per request against in-process ``classify`` (issue 13), measured in one run.

Usage:  .venv/bin/python bench/bench_api_cpu.py [--seconds 10] [--conc 8] [--workers 1]
        [--models DIR] [--rounds 2] [--server uvicorn|prefork|prefork-shared]
        .venv/bin/python bench/bench_api_cpu.py --compare [--seconds 10] [--rounds 3]
        .venv/bin/python bench/bench_api_cpu.py --spread 150 [--conc 8]

Wall-clock rates swing with the load of a shared machine; CPU seconds do much less. So this
counts the CPU time (user + system, from /proc) that the uvicorn processes spend per answered
request, over keep-alive connections from ``--conc`` client threads, and compares it with
the CPU time of in-process ``classify`` on the same 300-word texts; rounds alternate (API,
in-process, API, ...). Also: requests/s, p50/p99, the share of requests each worker served
(keep-alive distribution) and the time from start to ready. No wrk needed.

``--compare`` starts ``python -m api.serve`` with 1 worker, with 2 workers on one
``SO_REUSEPORT`` socket each and with 2 workers on one shared socket, and ``uvicorn --workers 2``,
all at once, then runs the same keep-alive load on each in turn, round after round: req/s,
its ratio to 1 worker, p50/p99, CPU seconds of each worker process and requests each
worker answered (the ``X-Worker-Pid`` header).

``--spread TRIALS`` opens ``--conc`` connections at once, TRIALS times, to api.serve with 2
workers on one shared socket and with one SO_REUSEPORT socket each, idle and busy, and
counts how they split over the workers.
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
from collections import Counter
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))
from bench_classify import make_docs  # noqa: E402

TICK = os.sysconf("SC_CLK_TCK")
JSON = {"Content-Type": "application/json"}


def print_run(load_before: tuple[float, float, float]) -> None:
    """The run's command, date and load average before and after, as one JSON line."""
    print(
        json.dumps(
            {
                "command": "python " + " ".join(sys.argv),
                "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
                "load_average_before_after": [
                    [round(x, 2) for x in load_before],
                    [round(x, 2) for x in os.getloadavg()],
                ],
            }
        )
    )


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


#: How each server is started: ``uvicorn --workers N`` (spawned workers, each imports and
#: loads) or ``python -m api.serve`` (one parent loads, then forks; one SO_REUSEPORT socket
#: per worker, or one shared socket).
SERVERS = {
    "uvicorn": ["-m", "uvicorn", "api.main:app", "--no-access-log", "--log-level", "warning"],
    "prefork": ["-m", "api.serve", "--log-level", "WARNING"],
    "prefork-shared": ["-m", "api.serve", "--log-level", "WARNING", "--shared-socket"],
}


def start(
    workers: int, models: str | None, server: str = "uvicorn"
) -> tuple[subprocess.Popen[bytes], int, float]:
    """Start ``server`` with ``workers`` workers on a free port; seconds to the first 200
    from ``/readyz``."""
    port = free_port()
    env = dict(os.environ, PLANCHECK_LOG_LEVEL="WARNING")
    if models:
        env["PLANCHECK_MODELS_DIR"] = models
    t0 = time.perf_counter()
    proc = subprocess.Popen(
        [sys.executable, *SERVERS[server], "--host", "127.0.0.1"]
        + ["--port", str(port), "--workers", str(workers)],
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


def workers_of(proc: subprocess.Popen[bytes], server: str, workers: int) -> list[int]:
    """The pids that serve requests: the process itself with one uvicorn worker, else its
    children (uvicorn's spawned workers, not its resource tracker; api.serve's forks)."""
    if server == "uvicorn" and workers == 1:
        return [proc.pid]
    kids = [p for p in tree(proc.pid) if p != proc.pid]
    if server == "uvicorn":
        kids = [p for p in kids if b"spawn_main" in Path(f"/proc/{p}/cmdline").read_bytes()]
    return kids


def load(port: int, bodies: list[bytes], conc: int, seconds: float) -> dict[str, Any]:
    """``conc`` client threads, each on one keep-alive connection, for ``seconds``."""
    lat: list[float] = []
    errors = [0]
    by_pid: dict[str, int] = {}  # X-Worker-Pid (api.serve) -> requests answered
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
            pid = r.getheader("x-worker-pid", "?")
            by_pid[pid] = by_pid.get(pid, 0) + 1

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
        "requests_per_worker": sorted(by_pid.values(), reverse=True),
    }


#: The servers ``--compare`` runs side by side: (name, server, workers).
COMPARED = [
    ("api.serve, 1 worker", "prefork", 1),
    ("api.serve, 2 workers (SO_REUSEPORT)", "prefork", 2),
    ("api.serve, 2 workers (shared socket)", "prefork-shared", 2),
    ("uvicorn --workers 2", "uvicorn", 2),
]


def compare(args: argparse.Namespace, bodies: list[bytes]) -> int:
    """Keep-alive throughput of each server in :data:`COMPARED`, rounds interleaved (all
    servers started first; an idle one costs nothing), CPU seconds per worker process."""
    load_before = os.getloadavg()
    running = []
    try:
        for name, server, workers in COMPARED:
            proc, port, ready = start(workers, args.models, server)
            running.append((name, server, workers, proc, port, ready))
        time.sleep(1.0)
        for *_, port, _ready in running:
            load(port, bodies, args.conc, 2)  # warm-up
        results: dict[str, list[dict[str, Any]]] = {name: [] for name, *_ in running}
        for _ in range(args.rounds):
            for name, server, workers, proc, port, _ready in running:
                pids = workers_of(proc, server, workers)
                before = cpu_seconds(pids)
                client_before, wall = time.process_time(), time.perf_counter()
                r = load(port, bodies, args.conc, args.seconds)
                # The load generator runs on the same 2 cores: what it burns, the servers
                # cannot have (the ceiling of the 2-worker speed-up is 2 minus this).
                r["client_cores"] = (time.process_time() - client_before) / (
                    time.perf_counter() - wall
                )
                after = cpu_seconds(pids)
                used = sorted((after[p] - before.get(p, 0.0) for p in after), reverse=True)
                r["cpu_s_per_worker"] = [round(u, 2) for u in used]
                r["cpu_ms_per_request"] = 1000 * sum(used) / max(r["requests"], 1)
                r["load_average_1min"] = round(os.getloadavg()[0], 2)
                results[name].append(r)
                print(json.dumps({"server": name, **_rounded(r)}), flush=True)
    finally:
        for *_, proc, _port, _ready in running:
            os.killpg(proc.pid, signal.SIGTERM)
            proc.wait(30)
    print_run(load_before)
    one = max(r["rps"] for r in results[COMPARED[0][0]])
    print(
        f"\n| server | req/s (best of {args.rounds}) | × 1 worker | p50 / p99 ms (best round) "
        "| CPU s per worker (best round) | requests per worker | CPU ms/request "
        "| client cores |"
    )
    print("|---|---:|---:|---|---|---|---:|---:|")
    for name, runs in results.items():
        b = max(runs, key=lambda r: r["rps"])
        print(
            f"| {name} | {b['rps']:.1f} | {b['rps'] / one:.2f} | "
            f"{b['p50_ms']:.0f} / {b['p99_ms']:.0f} | {b['cpu_s_per_worker']} | "
            f"{b['requests_per_worker'] if len(b['requests_per_worker']) > 1 else '-'} | "
            f"{b['cpu_ms_per_request']:.1f} | {b['client_cores']:.2f} |"
        )
    rates = {n: ", ".join(f"{r['rps']:.1f}" for r in v) for n, v in results.items()}
    print("\nevery round (req/s): " + "; ".join(f"{n}: {v}" for n, v in rates.items()))
    return 0


def _spread_once(port: int, conc: int) -> tuple[int, ...]:
    """Open ``conc`` connections at once (behind a barrier); requests each worker got."""
    pids: list[str | None] = [None] * conc
    barrier = threading.Barrier(conc)

    def client(k: int) -> None:
        c = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        barrier.wait()
        c.connect()
        c.request("GET", "/healthz")
        r = c.getresponse()
        r.read()
        pids[k] = r.getheader("x-worker-pid")
        c.close()

    threads = [threading.Thread(target=client, args=(k,)) for k in range(conc)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    counts = sorted(Counter(pids).values(), reverse=True)
    return tuple(counts + [0] * (2 - len(counts)))


def _busy(port: int, bodies: list[bytes], stop: threading.Event) -> None:
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    i = 0
    while not stop.is_set():
        c.request("POST", "/v1/classify", bodies[i % len(bodies)], JSON)
        c.getresponse().read()
        i += 1


def spread(args: argparse.Namespace, bodies: list[bytes]) -> int:
    """How ``--conc`` connections opened at once spread over 2 workers, ``--spread`` trials
    per socket mode, with the workers idle and with both busy (2 other clients classifying
    on their own keep-alive connections)."""
    out: dict[str, Any] = {
        "command": "python " + " ".join(sys.argv),
        "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        "load_average_before": [round(x, 2) for x in os.getloadavg()],
    }
    for server in ("prefork-shared", "prefork"):
        proc, port, _ready = start(2, args.models, server)
        try:
            time.sleep(1)
            idle = Counter(_spread_once(port, args.conc) for _ in range(args.spread))
            stop = threading.Event()

            background = [
                threading.Thread(target=_busy, args=(port, bodies, stop)) for _ in range(2)
            ]
            for t in background:
                t.start()
            time.sleep(1)
            loaded = Counter(_spread_once(port, args.conc) for _ in range(args.spread))
            stop.set()
            for t in background:
                t.join()
        finally:
            os.killpg(proc.pid, signal.SIGTERM)
            proc.wait(30)
        for state, counts in (("idle", idle), ("busy", loaded)):
            key = f"{server} ({'SO_REUSEPORT' if server == 'prefork' else 'shared socket'})"
            out[f"{key}, {state}"] = {
                "/".join(map(str, split)): n for split, n in sorted(counts.items(), reverse=True)
            }
    out["load_average_after"] = [round(x, 2) for x in os.getloadavg()]
    print(json.dumps(out, indent=2))
    return 0


def _rounded(r: dict[str, Any]) -> dict[str, Any]:
    return {k: round(v, 2) if isinstance(v, float) else v for k, v in r.items()}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seconds", type=float, default=10)
    ap.add_argument("--conc", type=int, default=8)
    ap.add_argument("--workers", type=int, default=1)
    ap.add_argument("--rounds", type=int, default=2)
    ap.add_argument("--docs", type=int, default=200)
    ap.add_argument("--models", default=None)
    ap.add_argument("--server", choices=sorted(SERVERS), default="uvicorn")
    ap.add_argument(
        "--compare",
        action="store_true",
        help="api.serve with 1 and 2 workers (SO_REUSEPORT, shared socket) and uvicorn "
        "--workers 2, interleaved",
    )
    ap.add_argument(
        "--spread",
        type=int,
        default=0,
        metavar="TRIALS",
        help="how --conc connections opened at once spread over 2 api.serve workers, "
        "shared socket against SO_REUSEPORT",
    )
    args = ap.parse_args()

    from plancheck import load_model
    from plancheck.corpus import load_corpus

    texts = make_docs([d.text for d in load_corpus()], args.docs)
    bodies = [json.dumps({"text": t}).encode() for t in texts]
    if args.compare:
        return compare(args, bodies)
    if args.spread:
        return spread(args, bodies)
    clf = load_model(models_dir=Path(args.models) if args.models else None)
    proc, port, ready = start(args.workers, args.models, args.server)
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
