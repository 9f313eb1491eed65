"""Whole-process measures at scale (issue 15): each command as a fresh process against a
baseline process on the same files, interleaved round by round, best of the rounds.

    python bench/bench_scale.py [--repeat 3] [--quick]

- report: ``fedplan report`` on one plan of 2,000 targets with 200k entries, ÷ a process
  that only composes the same files with PyYAML's C loader (the floor of any YAML reader);
- warm ``validate`` (the parse cache filled, nothing changed) ÷ ``validate`` without the
  cache (``FEDPLAN_NO_CACHE=1``: what every run cost before the cache) on the same files;
- peak memory (ru_maxrss of the child, from ``wait4``) is read from the same runs.

``--quick`` shrinks every corpus tenfold (for a check that the measures still run).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_startup import _fedplan_command
from synth import big_plan

Row = tuple[str, float, str, float, float | None]

COMPOSE_FLOOR = (
    "import os, sys, yaml\n"
    "root = sys.argv[1]\n"
    "for folder, _, names in os.walk(root):\n"
    "    for name in names:\n"
    "        if name.endswith('.yaml'):\n"
    "            with open(os.path.join(folder, name), 'rb') as f:\n"
    "                yaml.compose(f.read().decode('utf-8'), Loader=yaml.CSafeLoader)\n"
)


def compose_floor(root: Path) -> list[str]:
    """A process that reads and composes every YAML file under ``root``, nothing else."""
    return [sys.executable, "-c", COMPOSE_FLOOR, str(root)]


def fedplan(root: Path, *args: str) -> list[str]:
    return [*_fedplan_command(), "-C", str(root), *args]


def run_once(command: list[str], env: dict[str, str] | None = None) -> tuple[float, int]:
    """Seconds and peak resident memory (bytes) of one process running ``command``."""
    start = time.perf_counter()
    child = subprocess.Popen(
        command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env={**os.environ, **(env or {})}
    )
    _, status, usage = os.wait4(child.pid, 0)
    elapsed = time.perf_counter() - start
    child.returncode = os.waitstatus_to_exitcode(status)
    if child.returncode not in (0, 1):
        raise RuntimeError(f"{command} exited {child.returncode}")
    return elapsed, usage.ru_maxrss * 1024


Command = list[str] | tuple[list[str], dict[str, str]]
NO_CACHE = {"FEDPLAN_NO_CACHE": "1"}


def interleaved(repeat: int, commands: dict[str, Command]) -> dict[str, tuple[float, int]]:
    """Best seconds and highest peak memory of each command over ``repeat`` rounds (a
    command is an argv, or an argv and extra environment variables)."""
    best = {name: (float("inf"), 0) for name in commands}
    for _ in range(repeat):
        for name, command in commands.items():
            argv, env = command if isinstance(command, tuple) else (command, {})
            seconds, rss = run_once(argv, env)
            best[name] = (min(best[name][0], seconds), max(best[name][1], rss))
    return best


def one_big_plan(repeat: int, *, quick: bool = False) -> list[Row]:
    """``report``, cold and warm ``validate`` on one plan of 2,000 targets with 200k entries."""
    targets, entries = (200, 20_000) if quick else (2000, 200_000)
    with tempfile.TemporaryDirectory(prefix="fedplan-bench-report-") as folder:
        root = Path(folder)
        stats = big_plan(root, targets=targets, entries=entries)
        run_once(fedplan(root, "validate"))  # fills the parse cache for "warm"
        best = interleaved(
            repeat,
            {
                "compose": compose_floor(root / "plans"),
                "report": (fedplan(root, "report", str(stats["year"])), NO_CACHE),
                "cold": (fedplan(root, "validate"), NO_CACHE),
                "warm": fedplan(root, "validate"),
            },
        )
    floor, cold = best["compose"][0], best["cold"][0]
    corpus = f"{targets} targets / {entries // 1000}k entries"
    size = stats["bytes"] / 1e6
    return [
        (f"report, {corpus}", best["report"][0], "compose", floor, 1.5),
        (f"validate, no cache, {corpus}", cold, "compose", floor, None),
        ("validate, warm cache (nothing changed)", best["warm"][0], "validate, no cache", cold, 0.3),
        (f"  peak memory, no cache ({size:.0f} MB of YAML)", best["cold"][1] / 1e6, "MB, not s", 0.0, None),
        ("  peak memory, warm", best["warm"][1] / 1e6, "MB, not s", 0.0, None),
    ]


def main() -> None:
    from bench_validate import print_table

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args()
    print_table(one_big_plan(args.repeat, quick=args.quick))


if __name__ == "__main__":
    main()
