"""What many problems or one huge word cost to print (issue 10): each output ÷ the same
command's machine-readable (or shortest) output on the same files, as fresh processes,
interleaved round by round, best of the rounds.

    python bench/bench_output.py [--repeat 3] [--quick]

- ``validate`` text ÷ ``validate --format json`` on one plan with 20,000 type errors (3 MB):
  each excerpt split the whole file again (3 min 19 s against 2.7 s);
- the same for 100,000 repeated keys;
- ``report --format txt`` ÷ ``report`` (Markdown) of the example's half-year report with one
  100,000-character word added: each line cut off the word measured the rest again.

``--quick`` shrinks every corpus tenfold. Goal: each ratio ≤ 1.5× (the text output costs
about what the JSON does, whatever the file's size).
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_scale import NO_CACHE, Row, fedplan, interleaved

ROOT = Path(__file__).resolve().parents[1]
PLAN_HEAD = (
    "kind: plan\norg: 测试区妇联\nyear: 2012\nsections:\n  - title: 以服务群众为主题\n"
    "    items:\n      - id: shuangxue\n        title: 着力推进“双学双比”竞赛活动\n        targets:\n"
)


def _plan(root: Path, body: str) -> Path:
    (root / "plans/2012").mkdir(parents=True)
    (root / "plans/2012/plan.yaml").write_text(body, encoding="utf-8")
    return root


def many_errors(folder: Path, count: int) -> Path:
    targets = "".join(
        f"          - id: t{i}\n            name: 农业实用技术妇女骨干培训第{i}期\n            target: 很多\n            unit: 人次\n"
        for i in range(count)
    )
    return _plan(folder / "errors", PLAN_HEAD + targets)


def many_duplicates(folder: Path, count: int) -> Path:
    return _plan(folder / "duplicates", "kind: plan\norg: 测试区妇联\nyear: 2012\nsections: []\n" + "org: 测试区妇联\n" * count)


def long_word(folder: Path, length: int) -> Path:
    root = folder / "word"
    root.mkdir()
    for name in ("fedplan.yaml", "plans", "templates"):
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, root / name)
        elif source.is_file():
            shutil.copy2(source, root / name)
    report = root / "plans/2012/reports/half-year.yaml"
    text = report.read_text(encoding="utf-8")
    report.write_text(text.replace("      四是", "      " + "x" * length + "\n      四是", 1), encoding="utf-8")
    return root


def measure(repeat: int, *, quick: bool = False) -> list[Row]:
    scale = 10 if quick else 1
    with tempfile.TemporaryDirectory(prefix="fedplan-bench-output-") as tmp:
        folder = Path(tmp)
        errors = many_errors(folder, 20_000 // scale)
        duplicates = many_duplicates(folder, 100_000 // scale)
        word = long_word(folder, 100_000 // scale)
        report = ("report", "2012", "--id", "half-year", "--as-of", "2012-06-30")
        best = interleaved(
            repeat,
            {
                "errors text": (fedplan(errors, "validate"), NO_CACHE),
                "errors json": (fedplan(errors, "validate", "--format", "json"), NO_CACHE),
                "duplicates text": (fedplan(duplicates, "validate"), NO_CACHE),
                "duplicates json": (fedplan(duplicates, "validate", "--format", "json"), NO_CACHE),
                "word txt": (fedplan(word, *report, "--format", "txt"), NO_CACHE),
                "word md": (fedplan(word, *report), NO_CACHE),
            },
        )
    n = "" if not quick else " (quick)"
    return [
        (f"validate text, 20k errors{n}", best["errors text"][0], "json", best["errors json"][0], 1.5),
        (f"validate text, 100k duplicate keys{n}", best["duplicates text"][0], "json", best["duplicates json"][0], 1.5),
        (f"report txt, one 100 KB word{n}", best["word txt"][0], "md", best["word md"][0], 1.5),
    ]


def main() -> None:
    from bench_validate import print_table

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args()
    print_table(measure(args.repeat, quick=args.quick))


if __name__ == "__main__":
    main()
