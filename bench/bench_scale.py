"""Whole-process measures at scale (issue 15): each command as a fresh process against a
baseline process on the same files, interleaved round by round, best of the rounds.

    python bench/bench_scale.py [--repeat 3] [--quick]

- report: ``fedplan report`` on one plan of 2,000 targets with 200k entries, ÷ a process
  that only composes the same files with PyYAML's C loader (the floor of any YAML reader);
- warm ``validate`` (the parse cache filled, nothing changed) ÷ ``validate`` without the
  cache (``FEDPLAN_NO_CACHE=1``: what every run cost before the cache) on the same files;
- the status table (rich's layout, or the plain writer) ÷ ``status --format json`` of the
  same 2,000 targets;
- ``log`` on a 5,000-document repository of 250 years ÷ ``validate`` on it, and the peak
  memory per loaded document: (peak RSS of that ``validate`` − that of ``validate`` on the
  bundled example) ÷ 5,000;
- a ledger of 1,000,000 entries (one file, ~140 MB): ``validate`` time and peak memory
  (goals 8 s and 600 MB, absolute: they are what a user waits and pays for), beside the
  compose floor of the same file; ``log`` onto it, its peak memory ÷ the file's size;
- peak memory (ru_maxrss of the child, from ``wait4``) is read from the same runs.

``--quick`` shrinks every corpus tenfold (for a check that the measures still run); the
1,000,000-entry ledger is run once (a round takes minutes), the others ``--repeat`` times.
"""

from __future__ import annotations

import argparse
import atexit
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_startup import EXAMPLE, _fedplan_command, compiled_env
from synth import big_plan, generate

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


# Each command runs under a small Python process that times it and reads its peak memory:
# on Linux a child's ru_maxrss starts from the RSS of the process that spawned it, and this
# benchmark's own process holds hundreds of MB after the in-process measures.
_SHIM = (
    "import resource, subprocess, sys, time\n"
    "start = time.perf_counter()\n"
    "code = subprocess.call(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)\n"
    "print(time.perf_counter() - start, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, code)\n"
)


# Bytecode cached, as for an installed package (bench_startup.compiled_env): this machine
# sets PYTHONDONTWRITEBYTECODE, which would add compiling fedplan to every run measured
# (some 60 ms, a third of a warm validate) and not to the baselines' installed modules.
_PYCACHE = tempfile.mkdtemp(prefix="fedplan-bench-pycache-")
atexit.register(shutil.rmtree, _PYCACHE, True)


def run_once(command: list[str], env: dict[str, str] | None = None) -> tuple[float, int]:
    """Seconds and peak resident memory (bytes) of one process running ``command``."""
    shim = subprocess.run(
        [sys.executable, "-c", _SHIM, *command], capture_output=True, text=True, check=True,
        env={**compiled_env(_PYCACHE), **(env or {})},
    )
    seconds, rss, code = shim.stdout.split()
    if int(code) not in (0, 1):
        raise RuntimeError(f"{command} exited {code}")
    return float(seconds), int(rss) * 1024


Command = list[str] | tuple[list[str], dict[str, str]]
NO_CACHE = {"FEDPLAN_NO_CACHE": "1"}
# After the last synthetic year: no entry is in the future, none is stale (a clean repository).
LATE = {"FEDPLAN_TODAY": "2200-12-31"}


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
                "table": fedplan(root, "status", str(stats["year"])),
                "json": fedplan(root, "status", str(stats["year"]), "--format", "json"),
            },
        )
    floor, cold = best["compose"][0], best["cold"][0]
    corpus = f"{targets} targets / {entries // 1000}k entries"
    size = stats["bytes"] / 1e6
    return [
        (f"report, {corpus}", best["report"][0], "compose", floor, 1.5),
        (f"validate, no cache, {corpus}", cold, "compose", floor, None),
        ("validate, warm cache (nothing changed)", best["warm"][0], "validate, no cache", cold, 0.3),
        (f"status table, {targets} targets", best["table"][0], "status --format json", best["json"][0], None),
        (f"  peak memory, no cache ({size:.0f} MB of YAML)", best["cold"][1] / 1e6, "MB, not s", 0.0, None),
        ("  peak memory, warm", best["warm"][1] / 1e6, "MB, not s", 0.0, None),
    ]


def many_years(repeat: int, *, quick: bool = False) -> list[Row]:
    """``log`` ÷ ``validate`` on 5,000 documents over 250 years, and memory per document."""
    docs = 500 if quick else 5000
    with tempfile.TemporaryDirectory(prefix="fedplan-bench-years-") as folder:
        root = Path(folder)
        stats = generate(root, docs)
        # Each round appends one entry to a ledger of 1950 (a few bytes more to read).
        log = fedplan(root, "log", "t-1-1", "1", "--date", "1950-06-01", "--note", "bench")
        best = interleaved(
            repeat,
            {
                "example": (fedplan(EXAMPLE, "validate"), {**NO_CACHE, **LATE}),
                "validate": (fedplan(root, "validate"), {**NO_CACHE, **LATE}),
                "log": (log, {**NO_CACHE, **LATE}),
            },
        )
    validate = best["validate"][0]
    per_document = (best["validate"][1] - best["example"][1]) / stats["documents"] / 1024
    return [
        (f"validate, no cache, {stats['documents']} docs / {stats['years']} years", validate, "", 0.0, None),
        ("log, no cache, same repository", best["log"][0], "validate, no cache", validate, 0.25),
        ("  peak memory per loaded document (KB)", per_document, "KB", 1.0, 35.0),
        ("  peak memory of log (MB)", best["log"][1] / 1e6, "MB", 1.0, None),
    ]


def million(*, quick: bool = False) -> list[Row]:
    """``validate`` (best of three) and ``log`` on one ledger of 1,000,000 entries."""
    entries = 100_000 if quick else 1_000_000
    with tempfile.TemporaryDirectory(prefix="fedplan-bench-million-") as folder:
        root = Path(folder)
        stats = big_plan(root, targets=2000, entries=entries, ledgers=1)
        ledger = root / "plans" / str(stats["year"]) / "progress"
        size = sum(p.stat().st_size for p in ledger.iterdir())
        log = fedplan(root, "log", "t-1-1-1", "1", "--date", f"{stats['year']}-06-01")
        # validate is the best of three (as every other row is a best of several): one run
        # on this 2-core machine moves by a fifth with its neighbours' load. Composing the
        # file takes a hundred times longer and moves less in proportion: once; log once,
        # after them (it adds an entry).
        best = interleaved(3, {"validate": (fedplan(root, "validate"), {**NO_CACHE, **LATE})})
        best |= interleaved(1, {"compose": compose_floor(ledger), "log": (log, {**NO_CACHE, **LATE})})
    name = f"{entries // 1000}k-entry ledger ({size / 1e6:.0f} MB)"
    # The goals are for the 1,000,000-entry ledger; --quick's tenth of it gets a tenth of them.
    share = entries / 1_000_000
    return [
        (f"validate, {name}", best["validate"][0], "s", 1.0, 8.0 * share),
        ("  the same, ÷ composing the file", best["validate"][0], "compose", best["compose"][0], None),
        ("  peak memory of validate (MB)", best["validate"][1] / 1e6, "MB", 1.0, 600.0 * share),
        (f"log onto it (s), peak memory {best['log'][1] / 1e6:.0f} MB", best["log"][0], "s", 1.0, None),
        ("  peak memory of log ÷ the file's size", best["log"][1] / size, "x", 1.0, None),
        ("  peak memory of log ÷ that of validate", best["log"][1] / best["validate"][1], "x", 1.0, None),
    ]


def measure(repeat: int = 3, *, quick: bool = False) -> list[Row]:
    """Every whole-process measure of issue 15 at scale."""
    return [*one_big_plan(repeat, quick=quick), *many_years(repeat, quick=quick), *million(quick=quick)]


def main() -> None:
    from bench_validate import print_table

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args()
    print_table(measure(args.repeat, quick=args.quick))


if __name__ == "__main__":
    main()
