"""How long reading and checking a large repository takes, against merely composing it.

    python bench/bench_validate.py [--docs 2000] [--repeat 5]

All in one process, best of ``--repeat`` runs each:

- compose: read every file and ``yaml.compose(text, Loader=CSafeLoader)`` it, nothing
  else — with the garbage collector in its default state, and paused (``gc.disable()``),
  which shows what the collector costs a bulk load;
- validate: ``load_repository`` (decode, compose, schema walk, cross-document checks);
- status: ``load_repository`` and then ``compute_status`` of every year's plan.

Goals (issues 2 and 15): validate ≤ 1.2× compose, status ≤ 1.5× compose (both against the
compose with the collector in its default state). ``today`` is fixed after the last
synthetic year, so no entry is "in the future" and no target is "stale": the timings
are of a clean repository, as in CI.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent))

from synth import generate

from fedplan.bulk import collector_paused
from fedplan.files import disk_files
from fedplan.repo import load_repository

TODAY = dt.date(2200, 12, 31)
Row = tuple[str, float, str, float, float | None]  # name, seconds, baseline, seconds, goal


def best_of(repeat: int, run: Callable[[], object], *, gc_paused: bool = False) -> float:
    """The fastest of ``repeat`` runs (the others measured the machine's other work)."""
    best = float("inf")
    for _ in range(repeat):
        gc.collect()
        if gc_paused:
            gc.disable()
        try:
            start = time.perf_counter()
            result = run()
            best = min(best, time.perf_counter() - start)
        finally:
            if gc_paused:
                gc.enable()
        del result  # freed outside the timing, like a command that exits
    return best


def interleaved(repeat: int, runs: dict[str, tuple[Callable[[], object], bool]]) -> dict[str, float]:
    """Best time of each run over ``repeat`` rounds, every round running each once."""
    best = dict.fromkeys(runs, float("inf"))
    for _ in range(repeat):
        for name, (run, gc_paused) in runs.items():
            best[name] = min(best[name], best_of(1, run, gc_paused=gc_paused))
    return best


def compose_all(paths: list[Path]) -> Callable[[], object]:
    def run() -> object:
        for path in paths:
            yaml.compose(path.read_bytes().decode("utf-8"), Loader=yaml.CSafeLoader)
        return None

    return run


def validate(root: Path) -> Callable[[], object]:
    def run() -> object:
        with collector_paused():  # as fedplan.cli runs every command
            loaded = load_repository(root, today=TODAY)
        assert not loaded.diagnostics, loaded.diagnostics[:3]
        return loaded

    return run


def status(root: Path, *, loaded: bool = False) -> Callable[[], object]:
    """Load and compute every year's status; with ``loaded``, only the computing."""
    from fedplan.status import compute_status

    ready = load_repository(root, today=TODAY).repo if loaded else None

    def run() -> object:
        with collector_paused():  # as fedplan.cli runs every command
            repo = ready or load_repository(root, today=TODAY).repo
            return [
                compute_status(plan, repo.entries_for(plan.year), as_of=dt.date(plan.year, 12, 31), settings=repo.settings)
                for plan in repo.plans
            ]

    return run


def measure(docs: int = 2000, repeat: int = 5) -> tuple[list[Row], str]:
    with tempfile.TemporaryDirectory(prefix="fedplan-bench-") as folder:
        root = Path(folder)
        stats = generate(root, docs)
        paths = list(disk_files(root).values())
        # Interleaved rounds (one run of each measure per round, best of the rounds): this
        # machine's speed drifts over a minute, and a drift must not land on one measure.
        best = interleaved(
            repeat,
            {
                "compose": (compose_all(paths), False),
                "compose paused": (compose_all(paths), True),
                "validate": (validate(root), False),
                "status": (status(root), False),
                "computed": (status(root, loaded=True), False),
            },
        )
        composed, composed_paused, validated = best["compose"], best["compose paused"], best["validate"]
        statused: float | None = best["status"]
        computed: float | None = best["computed"]
    baseline = f"compose {stats['documents']} docs (gc on)"
    rows: list[Row] = [
        (f"compose, gc paused ({stats['documents']} docs)", composed_paused, baseline, composed, None),
        (f"validate ({stats['documents']} docs)", validated, baseline, composed, 1.2),
        ("validate vs compose with gc paused", validated, "compose (gc paused)", composed_paused, None),
    ]
    if statused is not None and computed is not None:
        rows.append(("status: load + compute_status, every year", statused, baseline, composed, 1.5))
        rows.append(("  of which compute_status", computed, baseline, composed, None))
    note = f"{stats['documents']} documents, {stats['bytes'] / stats['documents'] / 1024:.1f} KB each on average"
    return rows, note


def alias_bomb(repeat: int = 5) -> Row:
    """How long refusing a "billion laughs" document of ten levels (10^10 nodes) takes."""
    from fedplan.source import read

    lines = ["kind: progress", "year: 2012", "entries: []", "a0: &a0 [哈, 哈, 哈, 哈, 哈, 哈, 哈, 哈, 哈, 哈]"]
    for n in range(1, 10):
        lines.append(f"a{n}: &a{n} [" + ", ".join([f"*a{n - 1}"] * 10) + "]")
    data = ("\n".join(lines) + "\n").encode("utf-8")

    def run() -> object:
        source = read("bomb.yaml", data)
        assert [d.code for d in source.diagnostics] == ["yaml-alias-bomb"]
        return source

    return ("alias bomb refused", best_of(repeat, run), "", 0.0, None)


UNITS = ("s", "MB", "KB", "x")  # a row whose baseline is one of these is an absolute figure


def print_table(rows: list[Row]) -> None:
    """One line per measure: its figure, its baseline's, the ratio and the goal (a ratio,
    or for an absolute row — baseline "s", "MB", "KB" or "x" — the figure itself)."""
    print(f"{'measure':50} {'figure':>9} {'baseline':>9} {'ratio':>7} {'goal':>7}")
    for name, seconds, baseline, base, goal in rows:
        absolute = baseline in UNITS
        value = seconds if absolute else (seconds / base if base else None)
        ratio = f"{value:.2f}x" if value is not None and not absolute else ""
        verdict = "" if goal is None or value is None else ("ok" if value <= goal else "MISSED")
        unit = {"s": " s", "MB": " MB", "KB": " KB", "x": "x"}.get(baseline, "x")
        goal_text = f"{goal:.2f}{unit}".replace(".00", "") if goal is not None else ""
        base_text = f"{base:9.4f}" if base and not absolute else " " * 9
        figure = f"{seconds:9.2f}" if absolute and baseline != "s" else f"{seconds:9.4f}"
        print(f"{name:50} {figure} {base_text} {ratio:>7} {goal_text:>7}  {verdict}".rstrip())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=2000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    rows, note = measure(args.docs, args.repeat)
    rows.append(alias_bomb(args.repeat))
    print(note)
    print_table(rows)


if __name__ == "__main__":
    main()
