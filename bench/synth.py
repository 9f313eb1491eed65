"""A large synthetic plan repository: one ~10 KB plan a year and ~10 KB progress ledgers.

    python bench/synth.py DIR [--docs 2000] [--seed 0]

The text is Simplified Chinese assembled from phrases of real work plans, so the YAML
has the byte mix of the real thing (3-byte characters, long block scalars, flow and block
style). Every document is valid: validating the result reports nothing, so the benchmark
measures the normal path, not the error path. Years run from 1950 (one plan each, at most
250 years); documents beyond one plan a year are progress ledgers of those years.
"""

from __future__ import annotations

import argparse
import random
from dataclasses import dataclass
from pathlib import Path

FIRST_YEAR = 1950
MAX_YEARS = 250
DOCS_PER_YEAR = 8  # one plan and seven ledgers, for the default 2,000 documents

PHRASES = (
    "坚持用马克思主义中国化的最新理论成果武装教育妇女",
    "把社会主义核心价值体系贯穿到妇女群众教育和日常工作学习生活中",
    "广泛开展群众性文化活动",
    "以家庭文化、社区文化、村镇文化、校园文化、广场文化建设为载体",
    "组织开展妇女儿童乐于参与、便于参与的文化活动",
    "把巾帼志愿服务作为妇女文明行动的重要抓手",
    "深化关爱空巢老人、留守儿童、贫困妇女、残疾人志愿服务活动",
    "深入推进家庭教育工作",
    "着力加强全区家庭教育宣讲队伍建设",
    "立足实际，把技能培训作为全面提高农村妇女素质的基础",
    "加强农村妇女干部电脑操作、网络营销等技能培训",
    "让一批有文化、懂技术、会经营的女能人成为农村妇女增收致富的带头人",
    "鼓励扶持妇女发展“农家乐”休闲旅游业",
    "创建一批巾帼科技示范基地",
    "不断深化“巾帼示范村”创建活动",
    "积极开展“巾帼建功”活动，引导城镇妇女立足岗位建功立业",
    "进一步加大妇女小额担保贷款工作力度",
    "认真贯彻落实新一轮妇女儿童发展规划",
    "切实维护妇女儿童合法权益",
    "深入开展“六五”普法宣传教育活动",
    "积极推进农村妇女“两癌”免费检查工作",
    "加强妇联组织自身建设，努力建设学习型、服务型、创新型妇联组织",
    "在非公有制经济组织和新社会组织中建立妇女组织",
    "发挥妇联组织在参与社会管理和创新中的桥梁纽带作用",
)
DEPARTMENTS = ("发展部", "宣传部", "权益部", "组织部", "办公室")
UNITS = ("人次", "个", "名", "%", "万元", "场", "户")
PARTNERS = ("区农工办", "区农牧局", "区人社局", "区司法局", "区卫生局", "团区委")


def _sentence(rng: random.Random, phrases: int) -> str:
    return "，".join(rng.choice(PHRASES) for _ in range(phrases)) + "。"


@dataclass(frozen=True)
class PlanShape:
    """What the ledgers of a year may refer to."""

    numeric: tuple[str, ...]
    milestones: tuple[str, ...]
    items: tuple[str, ...]


def plan_yaml(rng: random.Random, year: int) -> tuple[str, PlanShape]:
    numeric: list[str] = []
    milestones: list[str] = []
    items: list[str] = []
    out = [
        "kind: plan",
        "org: 示范区妇联",
        f"year: {year}",
        "preamble: |",
        f"  {year}年，{_sentence(rng, 6)}",
        "sections:",
    ]
    for s in range(1, 5):
        out += [f"  - title: {rng.choice(PHRASES)}", "    items:"]
        for i in range(1, 5):
            item_id = f"item-{s}-{i}"
            items.append(item_id)
            out += [
                f"      - id: {item_id}",
                f"        title: {rng.choice(PHRASES)}",
                "        text: |",
                f"          {_sentence(rng, 4)}",
                f"        owner: {rng.choice(DEPARTMENTS)}",
                f"        partners: [{', '.join(rng.sample(PARTNERS, 2))}]",
                "        targets:",
            ]
            target_id = f"t-{s}-{i}"
            numeric.append(target_id)
            out += [
                f"          - id: {target_id}",
                f"            name: {rng.choice(PHRASES)[:16]}",
                f"            target: {rng.randint(5, 500)}",
                f"            unit: \"{rng.choice(UNITS)}\"",
                f"            points: {rng.randint(1, 20)}",
            ]
            if i % 2 == 0:
                milestone_id = f"m-{s}-{i}"
                milestones.append(milestone_id)
                out += [
                    f"          - id: {milestone_id}",
                    f"            name: {rng.choice(PHRASES)[:16]}",
                    f"            due: {year}-{rng.randint(3, 12):02d}-{rng.randint(1, 28):02d}",
                ]
    return "\n".join(out) + "\n", PlanShape(tuple(numeric), tuple(milestones), tuple(items))


def progress_yaml(rng: random.Random, year: int, shape: PlanShape, entries: int = 64) -> str:
    out = ["# 合成数据，仅供性能测试", "kind: progress", f"year: {year}", "entries:"]
    for _ in range(entries):
        date = f"{year}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
        roll = rng.random()
        if roll < 0.6:
            out += [
                f"  - date: {date}",
                f"    target: {rng.choice(shape.numeric)}",
                f"    value: {rng.randint(1, 30)}",
                f"    note: {rng.choice(PHRASES)}",
                f"    by: {rng.choice(DEPARTMENTS)}",
            ]
        elif roll < 0.75:
            out.append(f"  - {{date: {date}, target: {rng.choice(shape.milestones)}, done: true}}")
        else:
            out += [
                f"  - date: {date}",
                f"    item: {rng.choice(shape.items)}",
                f"    note: {_sentence(rng, 2)}",
            ]
    return "\n".join(out) + "\n"


def generate(root: Path, docs: int = 2000, *, seed: int = 0) -> dict[str, int]:
    """Write ``docs`` documents under ``root/plans`` (and a settings file); their count and size."""
    rng = random.Random(seed)
    years = max(1, min(MAX_YEARS, docs // DOCS_PER_YEAR))
    shapes: dict[int, PlanShape] = {}
    written = 0
    size = 0

    def write(rel: str, text: str) -> None:
        nonlocal written, size
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        data = text.encode("utf-8")
        path.write_bytes(data)
        written += 1
        size += len(data)

    root.mkdir(parents=True, exist_ok=True)
    (root / "fedplan.yaml").write_text("org: 示范区妇联\n", encoding="utf-8")
    for year in range(FIRST_YEAR, FIRST_YEAR + years):
        text, shapes[year] = plan_yaml(rng, year)
        write(f"plans/{year}/plan.yaml", text)
    ledger = 0
    while written < docs:
        year = FIRST_YEAR + ledger % years
        write(f"plans/{year}/progress/ledger-{ledger:05d}.yaml", progress_yaml(rng, year, shapes[year]))
        ledger += 1
    return {"documents": written, "bytes": size, "years": years}


def big_plan(
    root: Path, *, targets: int = 2000, entries: int = 200_000, ledgers: int = 20, seed: int = 0
) -> dict[str, int]:
    """One year's plan of ``targets`` targets (four to an item, 25 items to a section) and
    ``entries`` entries over ``ledgers`` ledgers: the corpus of ``report`` at scale."""
    rng = random.Random(seed)
    year = 2012
    numeric: list[str] = []
    milestones: list[str] = []
    items: list[str] = []
    out = ["kind: plan", "org: 示范区妇联", f"year: {year}", "sections:"]
    made = 0
    s = 0
    while made < targets:
        s += 1
        out += [f"  - title: {rng.choice(PHRASES)}", "    items:"]
        for i in range(1, 26):
            if made >= targets:
                break
            item_id = f"item-{s}-{i}"
            items.append(item_id)
            out += [
                f"      - id: {item_id}",
                f"        title: {rng.choice(PHRASES)}",
                f"        owner: {rng.choice(DEPARTMENTS)}",
                "        targets:",
            ]
            for t in range(1, 5):
                if made >= targets:
                    break
                made += 1
                target_id = f"t-{s}-{i}-{t}"
                out += [f"          - id: {target_id}", f"            name: {rng.choice(PHRASES)[:16]}"]
                if t == 4:
                    milestones.append(target_id)
                    out.append(f"            due: {year}-{rng.randint(3, 12):02d}-{rng.randint(1, 28):02d}")
                else:
                    numeric.append(target_id)
                    out += [f"            target: {rng.randint(500, 5000)}", f"            unit: \"{rng.choice(UNITS)}\""]
    shape = PlanShape(tuple(numeric), tuple(milestones), tuple(items))
    root.mkdir(parents=True, exist_ok=True)
    (root / "fedplan.yaml").write_text("org: 示范区妇联\n", encoding="utf-8")
    folder = root / "plans" / str(year)
    (folder / "progress").mkdir(parents=True, exist_ok=True)
    size = 0
    for path, text in [(folder / "plan.yaml", "\n".join(out) + "\n")] + [
        (folder / "progress" / f"ledger-{n:03d}.yaml", progress_yaml(rng, year, shape, entries // ledgers))
        for n in range(ledgers)
    ]:
        data = text.encode("utf-8")
        path.write_bytes(data)
        size += len(data)
    return {"documents": 1 + ledgers, "bytes": size, "year": year, "targets": made, "entries": entries}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("root", type=Path)
    parser.add_argument("--docs", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    stats = generate(args.root, args.docs, seed=args.seed)
    print(f"{stats['documents']} documents, {stats['bytes'] / stats['documents'] / 1024:.1f} KB each, "
          f"{stats['years']} years → {args.root}")


if __name__ == "__main__":
    main()
