"""Run every benchmark in turn (by hand: `make bench`); each prints the command and figures.

Benchmarks are never part of the test suite: this machine is shared and noisy, so figures
are reported as ratios measured within one run. Paste the output into bench/RESULTS.md.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
STEPS = [
    ["bench_classify.py", "--docs", "1000"],
    ["bench_api_cpu.py", "--seconds", "10", "--rounds", "3"],
    ["bench_api_cpu.py", "--seconds", "10", "--rounds", "3", "--workers", "2"],
    ["bench_api.py", "--seconds", "10", "--docs", "200"],
    ["bench_batch.py"],
]


def main() -> int:
    failed = 0
    for step in STEPS:
        cmd = [sys.executable, str(HERE / step[0]), *step[1:]]
        print(f"\n$ python bench/{' '.join(step)}", flush=True)
        failed += subprocess.run(cmd, cwd=HERE.parent).returncode != 0
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
