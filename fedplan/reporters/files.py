"""What ``fedplan init``, ``new`` and ``import`` say about the files they wrote.
Formatting only: the caller prints each line."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from fedplan.model import Plan


def initialised(where: Path, written: Sequence[str], kept: Sequence[str], *, year: int, placeholder_org: str | None) -> list[str]:
    """``fedplan init``: the files made and kept, then the next steps; ``placeholder_org`` is
    the stand-in name written into a new fedplan.yaml (None when --org gave the real one)."""
    lines = [f"在 {where} 中新建了 {len(written)} 个文件：" if written else f"{where} 中没有新建文件。"]
    lines += [f"  {rel}" for rel in written]
    if kept:
        lines.append(f"以下 {len(kept)} 个文件已存在，未改动：")
        lines += [f"  {rel}" for rel in kept]
    lines.append("下一步：")
    if placeholder_org is not None:
        # Re-running init keeps every existing file, so --org then would change nothing.
        lines.append(
            f"  - 单位名称暂写作“{placeholder_org}”，请把 fedplan.yaml 中的 org: {placeholder_org} 改为实际名称"
            "（计划和报告都从这里取单位名称）"
        )
    lines.append(f"  - 把 plans/{year}/plan.yaml 中的示例改成本单位的工作要点，运行 fedplan validate 检查")
    lines.append("  - git init && git add . && git commit -m 初始化计划仓库")
    return lines


def plan_created(rel: str, source_year: int, plan: Plan | None) -> list[str]:
    """``fedplan new``: the plan written, what it carries over, and what to change."""
    counts = ""
    if plan is not None:
        counts = (
            f"{len(plan.sections)} 个部分、{sum(1 for _ in plan.items())} 项工作、"
            f"{sum(1 for _ in plan.targets())} 个目标"
        )
    return [
        f"已生成 {rel}（以 {source_year} 年计划为底：{counts}；进展未带入）",
        "请修改总体思路、各项工作的正文和目标数值，然后运行 fedplan validate。",
    ]


def imported(shown: str, description: str) -> str:
    """``fedplan import``: one file written."""
    return f"已写入 {shown}（{description}）"


def import_preview(shown: str, description: str, outline: Sequence[str], text: str, *, needs_force: bool) -> list[str]:
    """``fedplan import --dry-run``: what one file would be, with the outline found."""
    note = "（已存在，需 --force）" if needs_force else ""
    return [
        f"# ==== 将写入 {shown}{note}：{description}",
        "# 找到的大纲（请对照原文核对）：",
        "\n".join(f"#   {line}" for line in outline),
        text,
    ]


def cleaned(counts: dict[str, int], names: dict[str, str]) -> str:
    """``fedplan import``: the page furniture removed, e.g. “已清除：拼音注音 3 处。”; "" if none."""
    parts = "，".join(f"{names[k]} {n} 处" for k, n in counts.items() if n)
    return f"已清除：{parts}。" if parts else ""
