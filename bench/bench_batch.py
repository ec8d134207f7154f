"""Batch classification throughput and memory (issue 5 targets), measured in one run.

Usage:  .venv/bin/python bench/bench_batch.py [--docs 20000] [--jobs 2] [--repeat 2]
                                            [--rss-docs 10000 100000] [--models DIR]
                                            [--write bench/RESULTS.md]

Builds benchmark input (not corpus) by sampling corpus texts and concatenating them to
300 words, then reports:

- **throughput**: ``plancheck classify-batch IN.jsonl -o OUT.jsonl --jobs N`` (a real
  subprocess, wall clock from start to exit: start-up, model loading, reading, writing
  included) against ``classify_many`` on the same texts in this process with no I/O, in
  chunks of the command's default chunk size; documents/s and the ratio. The two alternate
  ``--repeat`` times so that both meet the same background load; the best of each counts;
- **memory**: the peak RSS of the whole command (the main process plus every worker
  process, sampled with psutil and summed; RSS and PSS) for each ``--rss-docs`` size.

The model is ``models/current`` when it exists, else one trained into a temporary folder
with ``plancheck train --models DIR``.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parents[1]
PLANCHECK = [sys.executable, "-m", "plancheck.cli"]
START, END = "<!-- bench_batch:start -->", "<!-- bench_batch:end -->"


def source_texts() -> list[str]:
    """Texts to sample from: data/plans.jsonl, or the incoming batches before it exists."""
    files = [ROOT / "data" / "plans.jsonl"]
    if not files[0].is_file():
        files = sorted((ROOT / "data" / "incoming").glob("*.jsonl"))
    texts = []
    for f in files:
        with f.open(encoding="utf-8") as fh:
            texts += [json.loads(line)["text"] for line in fh if line.strip()]
    return texts


def make_doc(rng: random.Random, texts: list[str], words: int) -> str:
    parts, count = [], 0
    while count < words:
        t = rng.choice(texts)
        parts.append(t)
        count += len(t.split())
    return " ".join(" ".join(parts).split()[:words])


def write_docs(path: Path, texts: list[str], n: int, words: int = 300, seed: int = 0) -> Path:
    """A JSONL file of ``n`` benchmark documents (streamed: never all in memory)."""
    rng = random.Random(seed)
    with path.open("w", encoding="utf-8") as fh:
        for i in range(n):
            fh.write(
                json.dumps(
                    {"id": f"doc-{i:06d}", "text": make_doc(rng, texts, words)}, ensure_ascii=False
                )
                + "\n"
            )
    return path


def ensure_model(models: Path | None, tmp: Path) -> tuple[Path, str]:
    """(models folder, how it was obtained)."""
    if models is None and (ROOT / "models" / "current").is_file():
        models = ROOT / "models"
    if models is not None:
        return models, f"`{models}` (current: {(models / 'current').read_text().strip()})"
    models = tmp / "models"
    cmd = [*PLANCHECK, "train", "--models", str(models), "--quiet"]
    subprocess.run(cmd, check=True, cwd=ROOT)
    return models, f"trained for this run with `plancheck train --models {models}`"


def in_process_docs_per_s(path: Path, models: Path, chunk: int) -> tuple[float, float]:
    """``classify_many`` over the same texts, in this process, no I/O in the timing.

    Returns (documents/s, CPU cores used on average: CPU seconds / wall seconds).
    """
    from plancheck import load_model

    clf = load_model(models_dir=models)
    with path.open(encoding="utf-8") as fh:
        texts = [json.loads(line)["text"] for line in fh]
    clf.classify_many(texts[:chunk])  # warm-up
    t, cpu = time.perf_counter(), time.process_time()
    for k in range(0, len(texts), chunk):
        clf.classify_many(texts[k : k + chunk])
    wall = time.perf_counter() - t
    return len(texts) / wall, (time.process_time() - cpu) / wall


def tree(proc: psutil.Process) -> list[psutil.Process]:
    try:
        return [proc, *proc.children(recursive=True)]
    except psutil.Error:  # the process ended, or a child did while being listed
        return [proc]


def tree_memory(procs: list[psutil.Process], pss: bool) -> int:
    """RSS (or PSS) in bytes summed over processes.

    RSS counts pages shared between processes (forked workers share the libraries and the
    parent's memory) once per process; PSS divides each shared page among the processes
    that share it, so the PSS sum is the memory the run really holds.
    """
    total = 0
    for p in procs:
        try:
            total += p.memory_full_info().pss if pss else p.memory_info().rss
        except psutil.Error:
            pass
    return total


def children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run_command(args: list[str]) -> tuple[float, int, int, float]:
    """Run a command; (wall seconds, peak RSS, peak PSS, CPU seconds) of it and its children.

    RSS is sampled every 50 ms; PSS (dearer to read) and the list of child processes
    every 0.5 s.
    """
    peak = {"rss": 0, "pss": 0}
    t, cpu = time.perf_counter(), children_cpu()
    proc = subprocess.Popen(args, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    ps = psutil.Process(proc.pid)
    done = threading.Event()

    def sample() -> None:
        k = 0
        procs = [ps]
        while not done.is_set():
            if k % 10 == 0:
                procs = tree(ps)
                peak["pss"] = max(peak["pss"], tree_memory(procs, pss=True))
            peak["rss"] = max(peak["rss"], tree_memory(procs, pss=False))
            k += 1
            time.sleep(0.05)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    _, err = proc.communicate()
    seconds = time.perf_counter() - t
    done.set()
    sampler.join()
    if proc.returncode != 0:
        raise SystemExit(f"{' '.join(args)} failed:\n{err.decode()}")
    return seconds, peak["rss"], peak["pss"], children_cpu() - cpu


def batch_command(inp: Path, out: Path, models: Path, jobs: int) -> list[str]:
    return [
        *PLANCHECK,
        "classify-batch",
        str(inp),
        "-o",
        str(out),
        "--jobs",
        str(jobs),
        "--models",
        str(models),
        "--quiet",
    ]


def measure_memory(n: int, texts: list[str], tmp: Path, models: Path, jobs: int) -> dict:
    """Peak RSS and PSS of the whole command on ``n`` documents."""
    path = write_docs(tmp / f"rss-{n}.jsonl", texts, n, seed=1)
    out = tmp / f"rss-{n}.out.jsonl"
    cmd = batch_command(path, out, models, jobs)
    seconds, peak, peak_pss, _ = run_command(cmd)
    path.unlink()
    out.unlink()
    mb = 2**20
    print(
        f"{n} docs: peak RSS {peak / mb:.0f} MB, PSS {peak_pss / mb:.0f} MB, {seconds:.0f} s",
        file=sys.stderr,
    )
    return {
        "docs": n,
        "seconds": seconds,
        "peak_mb": peak / mb,
        "peak_pss_mb": peak_pss / mb,
        "cmd": shown(cmd),
    }


def shown(cmd: list[str]) -> str:
    return " ".join(["plancheck", *cmd[len(PLANCHECK) :]])


def report(r: dict) -> str:
    ratio_ok = "met" if r["ratio"] >= 1.5 else "**not met**"
    rss_ok = "met" if r["rss_ratio"] <= 1.5 else "**not met**"
    memory = memory_report(r, rss_ok) if r["rss"] else []
    lines = [
        START,
        "## Batch classification (`plancheck classify-batch`, issue 5)",
        "",
        f"Measured {r['date']} on {r['cpus']} CPUs, Python {r['python']}; model {r['model']}. "
        f"Load average (1 min) before / after the run: {r['load'][0]:.1f} / {r['load'][1]:.1f} "
        "(other work on the machine shares the CPUs).",
        f"Input: JSONL of 300-word documents made by sampling and concatenating texts of "
        f"{r['source']} (benchmark input, not corpus). Produced by:",
        "",
        f"    {r['command']}",
        "",
        "### Throughput",
        "",
        f"Each run made {len(r['singles'])} times, alternating; the best of each is compared.",
        "",
        "| run | documents | docs/s (best) | docs/s (every run) | CPU cores used (every run) |",
        "|---|---:|---:|---|---|",
        f"| `classify_many` in one process, no I/O (chunks of {r['chunk']}) | {r['docs']} | "
        f"{max(r['singles']):.1f} | {', '.join(f'{x:.1f}' for x in r['singles'])} | "
        f"{', '.join(f'{x:.2f}' for x in r['single_cores'])} |",
        f"| `{r['batch_cmd']}` (whole command, wall clock) | {r['docs']} | "
        f"{max(r['batches']):.1f} | {', '.join(f'{x:.1f}' for x in r['batches'])} | "
        f"{', '.join(f'{x:.2f}' for x in r['batch_cores'])} |",
        "",
        f"Ratio: **{r['ratio']:.2f}×** the single-process figure (aim ≥ 1.5×: {ratio_ok}).",
        "",
        *efficiency_note(r),
        *memory,
        END,
    ]
    return "\n".join(lines)


def efficiency_note(r: dict) -> list[str]:
    """Documents per CPU-second of each best run: what the pipeline costs, whatever the load."""
    k1, k2 = r["singles"].index(max(r["singles"])), r["batches"].index(max(r["batches"]))
    c1, c2 = r["single_cores"][k1], r["batch_cores"][k2]
    per1, per2 = r["singles"][k1] / c1, r["batches"][k2] / c2
    return [
        "CPU cores used = CPU seconds of all the run's processes / wall seconds. Per CPU-second, "
        f"the command classified {per2:.1f} documents against {per1:.1f} for the bare "
        f"`classify_many` loop ({per2 / per1:.0%}: start-up, loading the model, "
        f"reading, JSON encoding and writing included). With --jobs 2 it got {c2:.2f} of the "
        f"machine's {r['cpus']} CPUs on average; the ratio above is bounded by that share.",
        "",
    ]


def memory_report(r: dict, rss_ok: str) -> list[str]:
    lines = [
        "### Memory",
        "",
        "Peak memory of the whole command: the main process and its worker processes, sampled "
        "about every 50 ms with psutil and summed. RSS counts the pages forked workers share "
        "with the main process once per process (an overstatement); PSS shares them out.",
        "",
        "| documents | command | seconds | peak RSS sum (MB) | peak PSS sum (MB) |",
        "|---:|---|---:|---:|---:|",
    ]
    for m in r["rss"]:
        lines.append(
            f"| {m['docs']} | `{m['cmd']}` | {m['seconds']:.1f} | {m['peak_mb']:.0f} | {m['peak_pss_mb']:.0f} |"
        )
    lines += [
        "",
        f"Peak RSS ratio largest / smallest: **{r['rss_ratio']:.2f}×** (aim within 1.5×: "
        f"{rss_ok}); PSS ratio {r['pss_ratio']:.2f}×.",
    ]
    return lines


def write_section(path: Path, section: str) -> None:
    """Replace this benchmark's section in RESULTS.md (or append it), leaving the rest alone."""
    text = path.read_text(encoding="utf-8") if path.exists() else "# Benchmark results\n"
    if START in text and END in text:
        head, rest = text.split(START, 1)
        tail = rest.split(END, 1)[1]
        text = head + section + tail
    else:
        text = text.rstrip("\n") + "\n\n" + section + "\n"
    path.write_text(text, encoding="utf-8")


def measure_throughput(
    inp: Path, out: Path, models: Path, jobs: int, repeat: int, chunk: int
) -> dict:
    """Alternate the in-process baseline and the command ``repeat`` times; keep every figure.

    Alternating puts both under the same background load; the best of each is compared.
    """
    n = sum(1 for _ in inp.open(encoding="utf-8"))
    cmd = batch_command(inp, out, models, jobs)
    singles, batches, single_cores, batch_cores = [], [], [], []
    for _ in range(repeat):
        rate, cores = in_process_docs_per_s(inp, models, chunk)
        singles.append(rate)
        single_cores.append(cores)
        print(
            f"classify_many in one process: {rate:.1f} docs/s, {cores:.2f} cores", file=sys.stderr
        )
        seconds, _, _, cpu = run_command(cmd)
        batches.append(n / seconds)
        batch_cores.append(cpu / seconds)
        print(
            f"classify-batch --jobs {jobs}: {n / seconds:.1f} docs/s, {cpu / seconds:.2f} cores",
            file=sys.stderr,
        )
        out.unlink()
    return {
        "singles": singles,
        "batches": batches,
        "single_cores": single_cores,
        "batch_cores": batch_cores,
        "cmd": cmd,
        "ratio": max(batches) / max(singles),
    }


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--docs", type=int, default=20_000, help="documents for the throughput run")
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--repeat", type=int, default=2, help="throughput runs (alternating)")
    ap.add_argument("--rss-docs", type=int, nargs="*", default=[10_000, 100_000])
    ap.add_argument("--models", type=Path, default=None)
    ap.add_argument("--write", type=Path, default=None, help="update this RESULTS.md section")
    args = ap.parse_args()
    from plancheck.batch import DEFAULT_CHUNK_SIZE

    load_before = os.getloadavg()[0]
    with tempfile.TemporaryDirectory(prefix="bench-batch-") as tmp:
        tmp = Path(tmp)
        models, model_note = ensure_model(args.models, tmp)
        texts = source_texts()
        inp = write_docs(tmp / "docs.jsonl", texts, args.docs)
        tp = measure_throughput(
            inp, tmp / "out.jsonl", models, args.jobs, args.repeat, DEFAULT_CHUNK_SIZE
        )
        rss = [measure_memory(n, texts, tmp, models, args.jobs) for n in args.rss_docs]
    hide = lambda c: c.replace(str(tmp), "$TMP")  # noqa: E731
    result = {
        "date": time.strftime("%Y-%m-%d"),
        "load": (load_before, os.getloadavg()[0]),
        "cpus": os.cpu_count(),
        "python": sys.version.split()[0],
        "model": hide(model_note),
        "source": "`data/plans.jsonl`"
        if (ROOT / "data" / "plans.jsonl").is_file()
        else "`data/incoming/*.jsonl`",
        "command": " ".join([".venv/bin/python bench/bench_batch.py", *sys.argv[1:]]),
        "docs": args.docs,
        "chunk": DEFAULT_CHUNK_SIZE,
        **tp,
        "batch_cmd": hide(shown(tp["cmd"])),
        "rss": [dict(m, cmd=hide(m["cmd"])) for m in rss],
        "rss_ratio": rss[-1]["peak_mb"] / rss[0]["peak_mb"] if rss else 0.0,
        "pss_ratio": rss[-1]["peak_pss_mb"] / rss[0]["peak_pss_mb"] if rss else 0.0,
    }
    section = report(result)
    print(section)
    if args.write:
        write_section(args.write, section)
    return 0


if __name__ == "__main__":
    sys.exit(main())
