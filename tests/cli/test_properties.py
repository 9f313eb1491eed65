"""Whatever bytes a repository holds, validate reports them: it never raises, never hangs,
and ``fedplan validate`` exits 0 or 1 (never a traceback, never another code).

Valid documents of every kind are mutated the ways files really break — keys dropped or
misspelt, values of the wrong type, a file cut short, stray bytes (invalid UTF-8, control
characters, a tab), lines doubled or re-indented — and read back.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fedplan.repo import load_repository
from tests.conftest import fedplan_in, item, plan, section, target, write_files

DOCUMENTS: dict[str, str] = {
    "fedplan.yaml": "org: 测试区妇联\nscript: hans\nat_risk_below: 0.7\nwarn_days: 14\nstale_days: 60\ndate_style: auto\n",
    "plans/2012/plan.yaml": plan(
        section(
            item(
                "shuangxue",
                "text: |",
                "  立足实际，把技能培训作为全面提高农村妇女素质的基础。",
                "owner: 发展部",
                "partners: [区农工办, 区农牧局]",
                targets=[
                    target("farm-training", "points: 40"),
                    target("repay-rate", "baseline: 90", "start: 2012-03-01", "points: 30"),
                    target("launch", "points: 30", due="2012年6月30日"),
                ],
            )
        ),
        section(item("volunteer", targets=[target("violence")]), title="以维护妇女儿童合法权益为重点"),
        head=("title: 测试区妇联2012年工作要点", "total_points: 100", "preamble: |", "  2012年，是党的十八大召开之年。"),
    ),
    "plans/2012/progress/fazhanbu.yaml": """\
# 示例数据
kind: progress
year: 2012
entries:
  - date: 2012-03-15
    target: farm-training
    value: 120
    note: 举办第一期农业实用技术培训班
    by: 发展部
  - {date: 2012-05-20, target: launch, done: true}
  - date: 2012年6月1日
    target: repay-rate
    value: 98.5
  - date: 2012-03-08
    item: volunteer
    note: 组织巾帼志愿者开展“送温暖献爱心”活动
""",
    "plans/2012/reports/half-year.yaml": """\
kind: report
year: 2012
id: half-year
title: 测试区妇联2012年上半年工作总结
as_of: 2012-06-30
sections:
  - title: 主要工作及成效
    body: |
      培训妇女{{ t('farm-training').actual }}人次，完成年度任务的{{ t('farm-training').percent }}%。
      还贷率为{{ t('repay-rate').actual }}%，启动大会{{ t('launch').label }}。
  - title: 存在的问题和不足
    body: 部分工作进度滞后。
signature: {org: 测试区妇联, date: 2012-07-05}
""",
    "plans/2012/proposals/jianyi.yaml": """\
kind: proposal
year: 2012
title: 关于进一步加强我区妇联工作的建议
from: 区妇联
to: 区委、区政府
date: 2012-03-01
background: |
  近几年来，……
problems:
  - 妇联干部中爱学习的风气不够浓
recommendations:
  - title: 开展创建学习型妇女组织活动
    body: |
      各级妇联干部必须……
    items: [shuangxue]
signature: {org: 区妇联, date: 2012-03-01}
""",
}

STRAY = st.one_of(
    st.binary(min_size=1, max_size=8),  # anything, usually not UTF-8
    st.sampled_from([b"\t", b"\x00", b"\x07", b"\x1b", b"\xef\xbb\xbf", b"\xff\xfe", b"\r", b"\xe4\xb8", b"\xc3"]),
    st.sampled_from([b": ", b"- ", b"&a ", b"*a", b"!!python/object/apply:os.system [x] ", b"{{", b"[", b"\"", b"'", b"#", b"---\n"]),
    st.text(max_size=6).map(lambda s: s.encode("utf-8")),
)
SWAPPED = st.sampled_from(
    ["[]", "{}", "[1, 2]", "{a: 1}", "300人次", "３００", "-1", "0", "1e400", ".nan", "true", "~", "", "2012-02-30",
     "2012-03-01 10:00:00", "2013-01-01", "\"2012\"", "'x y'", "*a", "&a 1", "|", ">", "!!binary aGk=", "{{ t('x') }}",
     "{{ ''.__class__ }}", "{% for %}", "nope-id", "farm-training", "shuangxue"]
)


def _lines(data: bytes) -> list[bytes]:
    return data.split(b"\n")


@st.composite
def mutation(draw: st.DrawFn, data: bytes) -> bytes:
    lines = _lines(data)
    index = draw(st.integers(0, max(len(lines) - 1, 0)))
    line = lines[index]
    kind = draw(
        st.sampled_from(["drop-line", "rename-key", "swap-value", "truncate", "inject", "duplicate", "indent"])
    )
    if kind == "drop-line":
        del lines[index]
    elif kind == "rename-key" and b":" in line:
        key, _, rest = line.partition(b":")
        new = draw(st.sampled_from([b"", b"x", b"  ", b"targte", b"kind", b"id", b"\xe5\xb9\xb4"]))
        lines[index] = key.rstrip(b"abcdefghijklmnopqrstuvwxyz_") + new + b":" + rest
    elif kind == "swap-value" and b": " in line:
        key, _, _ = line.partition(b": ")
        lines[index] = key + b": " + draw(SWAPPED).encode("utf-8")
    elif kind == "truncate":
        return data[: draw(st.integers(0, len(data)))]
    elif kind == "inject":
        at = draw(st.integers(0, len(data)))
        return data[:at] + draw(STRAY) + data[at:]
    elif kind == "duplicate":
        lines.insert(index, line)
    elif kind == "indent":
        change = draw(st.sampled_from([b" ", b"  ", b"\t", b"    "]))
        lines[index] = line[draw(st.integers(0, 3)) :] if draw(st.booleans()) else change + line
    return b"\n".join(lines)


@st.composite
def broken_file(draw: st.DrawFn) -> tuple[str, bytes]:
    """One of the valid documents, mutated one to three times."""
    rel = draw(st.sampled_from(sorted(DOCUMENTS)))
    data = DOCUMENTS[rel].encode("utf-8")
    for _ in range(draw(st.integers(1, 3))):
        data = draw(mutation(data))
    return rel, data


PROPERTY = settings(
    max_examples=200,
    deadline=dt.timedelta(seconds=2),  # a hang fails; a slow CI machine does not
    suppress_health_check=[HealthCheck.too_slow],
)


@pytest.fixture(scope="module")
def valid_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = write_files(tmp_path_factory.mktemp("valid"), DOCUMENTS)
    loaded = load_repository(root)
    assert [d.key() for d in loaded.diagnostics] == []  # the documents mutated are valid
    return root


def test_the_base_documents_are_valid_on_the_command_line(valid_root: Path) -> None:
    result = fedplan_in(valid_root, "validate")
    assert result.exit_code == 0, result.output


@PROPERTY
@given(broken=broken_file())
def test_load_repository_never_raises(valid_root: Path, broken: tuple[str, bytes]) -> None:
    rel, data = broken
    loaded = load_repository(valid_root, overrides={rel: data})
    for diagnostic in loaded.diagnostics:
        assert diagnostic.pos.line >= 1 and diagnostic.pos.col >= 1, diagnostic
        assert diagnostic.message
    assert loaded.diagnostics == sorted(loaded.diagnostics)


@pytest.fixture(scope="module")
def scratch_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("mutated")


@PROPERTY
@given(broken=broken_file())
def test_validate_exits_0_or_1(scratch_root: Path, broken: tuple[str, bytes]) -> None:
    rel, data = broken
    root = write_files(scratch_root, {**DOCUMENTS, rel: data})
    for fmt in ("text", "json", "github"):
        result = fedplan_in(root, "validate", "--format", fmt)
        assert result.exit_code in (0, 1), result.output
