"""Worst cost of a hostile upload after the issue 12 limits: peak memory and time per file.

Usage:  .venv/bin/python bench/bench_hostile.py

Each case is built here (no bomb is stored) and read by ``read_document`` in a fresh
subprocess, so its peak RSS (``ru_maxrss``) is that file's alone; the figure is the peak
minus the process's RSS just before the read (the libraries already imported). Cases: a
.docx whose member declares 2 KB but inflates 1.5 GB; honest bombs under the old 200 MB
guard; the largest and densest XML the limits still accept (the true worst case: it is
parsed); too many elements; too many members. Prints a Markdown table.
"""

from __future__ import annotations

import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
MB = 2**20

CASES = {
    "forged sizes: declares 2 KB, inflates 1.5 GB": dict(padding=1536 * MB, declared=2000),
    "honest bomb, 95 MB (under the old 200 MB guard)": dict(padding=95 * MB),
    "honest bomb, 199 MB (under the old 200 MB guard)": dict(padding=199 * MB),
    "refused: 16.5 MB of XML": dict(padding=int(16.5 * MB)),
    "refused: 301,000 empty paragraphs": dict(padding=6 * 301_000, tags=True),
    "refused: 2,001 members": dict(padding=0, members=2001),
    "accepted worst: 15 MB of XML text (15,200 paragraphs)": dict(padding=15 * MB),
    "under the size limits, 270,000 empty paragraphs (deadline)": dict(
        padding=6 * 270_000, tags=True
    ),
}


def build(case: dict, path: Path) -> None:
    from tests.builders import hostile_docx

    path.write_bytes(hostile_docx(**case))


def measure(path: Path) -> dict:
    """Read the file in this fresh process; the time and peak RSS of the read alone."""
    from plancheck.errors import PlancheckError
    from plancheck.reading import read_document
    from tests.builders import make_docx

    data = path.read_bytes()
    read_document(make_docx(["warm up: imports and first parse"]), "w.docx")
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    started = time.perf_counter()
    try:
        outcome = f"read, {len(read_document(data, 'plan.docx')):,} chars"
    except PlancheckError as e:
        outcome = f"`{getattr(e, 'code', type(e).__name__)}`"
    seconds = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {
        "upload_kb": len(data) / 1024,
        "seconds": seconds,
        "rss_mb": peak - before,
        "outcome": outcome,
    }


def child(*args: str) -> str:
    done = subprocess.run(
        [sys.executable, __file__, *args], cwd=ROOT, capture_output=True, text=True, check=True
    )
    return done.stdout


def main() -> None:
    if sys.argv[1:2] == ["--build"]:
        build(json.loads(sys.argv[2]), Path(sys.argv[3]))
        return
    if sys.argv[1:2] == ["--measure"]:
        print(json.dumps(measure(Path(sys.argv[2]))))
        return
    print("| hostile .docx | upload | outcome | time | peak RSS added |")
    print("|---|---:|---|---:|---:|")
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp, "hostile.docx")
        for name, case in CASES.items():
            child("--build", json.dumps(case), str(path))  # its memory is freed on exit
            r = json.loads(child("--measure", str(path)).strip().splitlines()[-1])
            print(
                f"| {name} | {r['upload_kb']:,.0f} KB | {r['outcome']} | "
                f"{r['seconds']:.2f} s | {r['rss_mb']:.0f} MB |",
                flush=True,
            )


if __name__ == "__main__":
    sys.path[:0] = [str(ROOT / "src"), str(ROOT)]
    main()
