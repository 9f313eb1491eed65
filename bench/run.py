"""Every benchmark of issue 2 in one table (not a test: timings vary with the machine).

    python bench/run.py [--docs 2000] [--repeat 5]

Ratios are against a baseline measured in the same run, so they travel between machines
better than seconds do. See bench/bench_validate.py and bench/bench_startup.py.
"""

from __future__ import annotations

import argparse
import platform
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import bench_startup
import bench_validate
import yaml


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=2000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    libyaml = getattr(yaml, "__with_libyaml__", False)
    print(f"Python {platform.python_version()}, PyYAML {yaml.__version__} (libyaml: {'yes' if libyaml else 'no'})")
    rows, note = bench_validate.measure(args.docs, args.repeat)
    print(note)
    rows.append(bench_validate.alias_bomb(args.repeat))
    rows.extend(bench_startup.measure(max(args.repeat, 9)))
    bench_validate.print_table(rows)


if __name__ == "__main__":
    main()
