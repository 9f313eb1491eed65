"""Every benchmark of issues 2 and 15 in one table (not a test: timings vary with the machine).

    python bench/run.py [--docs 2000] [--repeat 5] [--quick]

Ratios are against a baseline measured in the same run, so they travel between machines
better than seconds do: in-process validate and status ÷ compose (bench/bench_validate.py),
start-up ÷ ``python -c "import click"`` (bench/bench_startup.py), and the whole-process
measures at scale — report, warm/cold validate, the status table, log on 5,000 documents,
memory per document, the 1,000,000-entry ledger (bench/bench_scale.py). ``--quick`` runs
every measure on corpora a tenth the size with fewer rounds (about two minutes here); the
full run takes about 15–25 minutes on a 2-core machine.
"""

from __future__ import annotations

import argparse
import platform
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import bench_scale
import bench_startup
import bench_validate
import yaml


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=2000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--quick", action="store_true", help="every measure, on a tenth of the data, 3 rounds")
    args = parser.parse_args()
    repeat = min(args.repeat, 3) if args.quick else args.repeat
    docs = max(args.docs // 10, 50) if args.quick else args.docs
    started = time.perf_counter()
    libyaml = getattr(yaml, "__with_libyaml__", False)
    print(f"Python {platform.python_version()}, PyYAML {yaml.__version__} (libyaml: {'yes' if libyaml else 'no'})")
    rows, note = bench_validate.measure(docs, repeat)
    print(note)
    rows.append(bench_validate.alias_bomb(repeat))
    rows.extend(bench_startup.measure(max(repeat, 5 if args.quick else 9)))
    rows.extend(bench_scale.measure(max(1, repeat - 2), quick=args.quick))
    bench_validate.print_table(rows)
    print(f"({time.perf_counter() - started:.0f} s)")


if __name__ == "__main__":
    main()
