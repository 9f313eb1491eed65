"""fedplan.reporters.terminal: the width-aware table status prints, without rich."""

from __future__ import annotations

import io

import pytest
from rich.cells import cell_len  # an independent measure of terminal cells

from fedplan.reporters.terminal import Cell, Console, Table, Text
from fedplan.width import terminal_columns


def printed(table: Table, width: int, color: bool = False) -> list[str]:
    out = io.StringIO()
    console = Console(out, width=width, color=color)
    if not table.fit(width, 8):
        table.squeeze(width, 8, keep=len(table.columns) - 1)
    console.print_table(table)
    return out.getvalue().splitlines()


def sample() -> Table:
    table = Table(title=Text("金川区妇联 2012年工作进度"))
    table.add_column("指标")
    table.add_column("目标", "right")
    table.add_column("状态")
    table.add_row(Cell(Text("一、以十七届六中全会精神为指导，切实加强妇女儿童思想道德建设", "bold"), cut=True))
    table.add_row(Cell(Text("农业实用技术妇女骨干培训（含养殖、种植两类）"), 3), Text("300人次"), Text("● 滞后", "yellow"))
    table.add_row(Cell(Text("巾帼文明岗"), 3), Text("8个"), Text("● 已完成", "green"))
    table.add_section()
    table.add_row(Cell(Text("节点任务"), 3), Text("10月31日前"), Text("● 已逾期\n107天未更新", "bold red"))
    return table


@pytest.mark.parametrize("width", [34, 40, 52, 80, 120])
def test_no_line_is_wider_than_the_console_and_the_columns_line_up(width: int) -> None:
    lines = printed(sample(), width)
    assert all(cell_len(line) <= width for line in lines), "\n".join(lines)
    header = lines[1]
    rows = [line for line in lines if "●" in line]
    assert len(rows) == 3
    # the status column starts at one display column, under its header; figures end at one
    assert {cell_len(line[: line.index("●")]) for line in rows} == {cell_len(header[: header.index("状态")])}
    if width < 35:  # too narrow for every column whole: a figure gives way, never 状态
        assert "10月31日…" in "\n".join(lines) and "● 已逾期" in "\n".join(lines)
        return
    ends = {cell_len(line[: line.index(fig) + len(fig)]) for line, fig in zip(rows, ("300人次", "8个", "10月31日前"), strict=True)}
    assert len(ends) == 1


def test_long_names_fold_indented_and_headings_are_cut_with_an_ellipsis() -> None:
    lines = printed(sample(), 40)
    assert lines[3].endswith("…") and lines[3].startswith("一、以")
    name_lines = [line for line in lines if line.startswith("   ") and "●" not in line and line.strip()][:2]
    folded = "".join(line.split("   ")[1] for line in lines[4:7] if line.startswith("   "))
    assert "农业实用技术妇女骨干培训" in folded.replace(" ", "")
    assert name_lines, "\n".join(lines)
    assert "107天未更新" in "\n".join(lines)  # a cell's second line
    assert "" in lines  # the section break


def test_the_title_is_centred_over_the_table_and_a_rule_under_the_header() -> None:
    lines = printed(sample(), 120)
    table_width = cell_len(lines[2])
    assert set(lines[2]) == {"─"}
    left = len(lines[0]) - len(lines[0].lstrip(" "))
    assert abs(left - (table_width - cell_len(lines[0].strip())) // 2) <= 1


def test_colour_only_when_asked() -> None:
    coloured = "\n".join(printed(sample(), 100, color=True))
    assert "\x1b[33m● 滞后\x1b[0m" in coloured and "\x1b[1;31m● 已逾期" in coloured and "\x1b[1m指标\x1b[0m" in coloured
    assert "\x1b[" not in "\n".join(printed(sample(), 100))


def test_the_console_follows_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    out = io.StringIO()  # not a terminal
    monkeypatch.delenv("FORCE_COLOR", raising=False)
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.delenv("COLUMNS", raising=False)
    assert Console(out, pipe_width=120).width == 120 and not Console(out).color
    monkeypatch.setenv("FORCE_COLOR", "1")
    assert Console(out).color
    monkeypatch.setenv("NO_COLOR", "1")
    assert not Console(out).color  # NO_COLOR wins
    monkeypatch.setenv("COLUMNS", "72")
    assert Console(out, pipe_width=120).width == 72 == terminal_columns(out)
    monkeypatch.setenv("COLUMNS", "wide")
    assert terminal_columns(out, 99) == 99


def test_plain_lines_wrap_at_the_width() -> None:
    out = io.StringIO()
    Console(out, width=30, color=False).print("考核自评得分 251 分（满分 300 分，含加分 9 分）（fedplan score 查看明细）")
    lines = out.getvalue().splitlines()
    assert len(lines) > 1 and all(cell_len(line) <= 30 for line in lines)
    assert "".join(lines).replace(" ", "") == "考核自评得分251分（满分300分，含加分9分）（fedplanscore查看明细）"
