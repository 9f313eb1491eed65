"""How long fedplan's commands take to start, against ``python -c "import click"``.

    python bench/bench_startup.py [--repeat 9]

Fresh processes on the bundled example repository (this source tree's ``plans/``), with
bytecode caching on (as for an installed package, whatever the environment says), run in
interleaved rounds (each command once per round, best of the rounds), since this machine's
speed drifts. The console script is run directly (not a pyenv or other shim in front of it,
which would measure the shim). Goals (issue 15): ``validate`` ≤ 2×, ``status`` ≤ 2.5×,
``report -o x.docx`` ≤ 4×, ``--help`` ≤ 1.2× — commands import Jinja2, rich and
python-docx only when they run.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import sysconfig
import tempfile
import time
from pathlib import Path

Row = tuple[str, float, str, float, float | None]
EXAMPLE = Path(__file__).resolve().parent.parent


def _fedplan_command() -> list[str]:
    script = os.path.join(sysconfig.get_path("scripts"), "fedplan")
    if os.path.isfile(script):
        return [script]
    found = shutil.which("fedplan")
    return [found] if found else [sys.executable, "-m", "fedplan"]


def compiled_env(cache: str) -> dict[str, str]:
    """The environment with bytecode caching on, in ``cache``: an installed package has its
    .pyc files; a PYTHONDONTWRITEBYTECODE in the environment would measure the compiler."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env["PYTHONPYCACHEPREFIX"] = cache
    return env


def _run(command: list[str], env: dict[str, str] | None = None) -> float:
    start = time.perf_counter()
    subprocess.run(command, check=False, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    return time.perf_counter() - start


def measure(repeat: int = 9) -> list[Row]:
    fedplan = [*_fedplan_command(), "-C", str(EXAMPLE)]
    year = "2012"
    with tempfile.TemporaryDirectory(prefix="fedplan-bench-start-") as out:
        env = compiled_env(os.path.join(out, "pycache"))
        commands = {
            "click": [sys.executable, "-c", "import click"],
            "bare": [sys.executable, "-c", "pass"],
            "--help": [*_fedplan_command(), "--help"],
            "validate": [*fedplan, "validate"],
            "status": [*fedplan, "status", year],
            "report -o x.docx": [*fedplan, "report", year, "-o", os.path.join(out, "x.docx")],
        }
        best = dict.fromkeys(commands, float("inf"))
        for command in commands.values():
            _run(command, env)  # writes the bytecode caches
        for _ in range(repeat):
            for name, command in commands.items():
                best[name] = min(best[name], _run(command, env))
    click = 'python -c "import click"'
    goals = {"--help": 1.2, "validate": 2.0, "status": 2.5, "report -o x.docx": 4.0}
    rows: list[Row] = [("python -c pass", best["bare"], "", 0.0, None)]
    rows += [(f"start-up: fedplan {name}", best[name], click, best["click"], goal) for name, goal in goals.items()]
    return rows


def main() -> None:
    from bench_validate import print_table

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=9)
    args = parser.parse_args()
    print_table(measure(args.repeat))


if __name__ == "__main__":
    main()
