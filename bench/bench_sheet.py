"""`fedplan log --from` on a sheet of 10⁵ rows: time and peak memory (not a test).

    python bench/bench_sheet.py [--rows 100000] [--repeat 3]

Builds a repository with a 200-target plan and a workbook of ROWS rows (dates as date cells,
numbers as numbers, a note per row), then runs `fedplan log --from … --dry-run` in a
subprocess beside a baseline in the same run: reading the same workbook with openpyxl's
streaming reader and nothing else. The ratio is what fedplan adds on top of opening the file
(finding columns, matching targets, the ledger append and the one repository check); the
peak memory is the subprocess's maximum resident size.
"""

from __future__ import annotations

import argparse
import datetime as dt
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

TARGETS = 200


def build(root: Path, rows: int) -> Path:
    import openpyxl

    items = "\n".join(
        f"""      - id: item{i}
        title: 第{i}项工作
        targets:
          - id: t{i}
            name: 第{i}项指标
            target: {rows}
            unit: 人次"""
        for i in range(TARGETS)
    )
    (root / "plans/2012").mkdir(parents=True)
    (root / "plans/2012/plan.yaml").write_text(
        f"kind: plan\norg: 测试区妇联\nyear: 2012\nsections:\n  - title: 第一部分\n    items:\n{items}\n",
        encoding="utf-8",
    )
    book = openpyxl.Workbook(write_only=True)
    ws = book.create_sheet("台账")
    ws.append(["日期", "指标编号", "本期完成", "说明", "填报人"])
    start = dt.date(2012, 1, 1)
    for n in range(rows):
        ws.append([start + dt.timedelta(days=n * 365 // rows), f"t{n % TARGETS}", 1 + n % 7, f"第{n}次活动", "发展部"])
    path = root / "台账.xlsx"
    book.save(path)
    return path


BASELINE = """
import sys, openpyxl
book = openpyxl.load_workbook(sys.argv[1], read_only=True, data_only=True)
sum(1 for _ in book.worksheets[0].iter_rows(values_only=True))
"""


def run(cmd: list[str], cwd: Path) -> tuple[float, int]:
    """Seconds and peak resident memory (MB) of ``cmd`` in a fresh process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    start = time.perf_counter()
    done = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True)
    seconds = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(f"{cmd} failed:\n{done.stdout}\n{done.stderr}")
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return seconds, max(peak, before) // 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        sheet = build(root, args.rows)
        size = sheet.stat().st_size
        fedplan = [sys.executable, "-m", "fedplan", "log", "--from", str(sheet), "--dry-run"]
        base = [sys.executable, "-c", BASELINE, str(sheet)]
        best_f, best_b, peak = float("inf"), float("inf"), 0
        for _ in range(args.repeat):  # interleaved: the machine's speed drifts
            seconds, _ = run(base, root)
            best_b = min(best_b, seconds)
            seconds, mb = run(fedplan, root)
            best_f, peak = min(best_f, seconds), max(peak, mb)
        print(f"log --from on {args.rows:,} rows ({size / 1e6:.1f} MB .xlsx), best of {args.repeat}:")
        print("| measure | value |")
        print("|---|---|")
        print(f"| `log --from --dry-run` ÷ openpyxl streaming read of the same file | {best_f / best_b:.2f}× |")
        print(f"| peak memory of `log --from` (max resident, includes the child processes so far) | {peak} MB |")


if __name__ == "__main__":
    main()
