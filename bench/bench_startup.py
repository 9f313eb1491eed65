"""How long ``fedplan --help`` takes to start, against ``python -c "import click"``.

    python bench/bench_startup.py [--repeat 9]

Best of ``--repeat`` fresh processes each. The console script is run directly (not a
pyenv or other shim in front of it, which would measure the shim). Goal (issue 2): ≤ 1.5×
— commands import Jinja2, rich and python-docx only when they run.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import sysconfig
import time

Row = tuple[str, float, str, float, float | None]


def _fedplan_command() -> list[str]:
    script = os.path.join(sysconfig.get_path("scripts"), "fedplan")
    if os.path.isfile(script):
        return [script]
    found = shutil.which("fedplan")
    return [found] if found else [sys.executable, "-m", "fedplan"]


def best_of(repeat: int, command: list[str]) -> float:
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        subprocess.run(command, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        best = min(best, time.perf_counter() - start)
    return best


def measure(repeat: int = 9) -> list[Row]:
    click = best_of(repeat, [sys.executable, "-c", "import click"])
    help_ = best_of(repeat, [*_fedplan_command(), "--help"])
    bare = best_of(repeat, [sys.executable, "-c", "pass"])
    return [
        ("python -c pass", bare, "", 0.0, None),
        ("fedplan --help", help_, 'python -c "import click"', click, 1.5),
    ]


def main() -> None:
    from bench_validate import print_table

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=9)
    args = parser.parse_args()
    print_table(measure(args.repeat))


if __name__ == "__main__":
    main()
