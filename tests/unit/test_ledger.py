"""fedplan.ledger: an entry is appended and no byte that was there changes."""

from __future__ import annotations

import codecs
import datetime as dt
import re

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from fedplan.diagnostics import FedplanError
from fedplan.ledger import append_entry, format_number, new_ledger, scalar
from fedplan.model import Entry

ENTRY = Entry(path="progress.yaml", date=dt.date(2012, 4, 1), target="farm-training", value=80, note="第二期", by="发展部")
ADDED = "  - date: 2012-04-01\n    target: farm-training\n    value: 80\n    note: 第二期\n    by: 发展部\n"


def entries(data: bytes) -> list[dict[str, object]]:
    loaded = yaml.safe_load(data.decode("utf-8-sig"))
    assert isinstance(loaded, dict)
    return list(loaded["entries"])


def test_appends_after_the_last_entry_keeping_comments() -> None:
    old = (
        "# 发展部台账\n"
        "kind: progress   # 类型\n"
        "year: 2012\n"
        "entries:\n"
        "  # —— 培训 ——\n"
        "  - date: 2012-03-15\n"
        "    target: farm-training\n"
        "    value: 120   # 第一期\n"
    ).encode()
    new = append_entry(old, ENTRY)
    assert new == old + ADDED.encode()


def test_crlf_file_gets_crlf_lines_only() -> None:
    old = b"kind: progress\r\nyear: 2012\r\nentries:\r\n  - date: 2012-03-15\r\n    target: farm-training\r\n    value: 120\r\n"
    new = append_entry(old, ENTRY)
    assert new.startswith(old)
    added = new[len(old) :]
    assert added == ADDED.replace("\n", "\r\n").encode()
    assert added.count(b"\n") == added.count(b"\r\n")


def test_last_line_without_newline() -> None:
    old = b"kind: progress\nyear: 2012\nentries:\n  - date: 2012-03-15\n    target: farm-training\n    value: 120"
    assert append_entry(old, ENTRY) == old + b"\n" + ADDED.encode()


@pytest.mark.parametrize(
    ("block", "kept"),
    [
        ("|\n      第一行\n      第二行", "第一行\n第二行"),
        (">\n      折叠的\n      一段", "折叠的 一段"),
        ("|2\n       缩进开头", " 缩进开头"),
        ("|-\n      已是去尾写法", "已是去尾写法"),
    ],
)
def test_last_block_note_without_final_newline_keeps_its_value(block: str, kept: str) -> None:
    # The block reads without a final line break only because the file ends there; the
    # line break the new entry brings must not become part of it.
    old = f"kind: progress\nyear: 2012\nentries:\n  - date: 2012-03-15\n    target: farm-training\n    value: 120\n    note: {block}"
    new = append_entry(old.encode(), ENTRY)
    assert [e.get("note") for e in entries(new)] == [kept, "第二期"]
    assert entries(new)[0]["note"] == entries(old.encode())[0]["note"]


def test_last_keep_block_without_final_newline_is_refused() -> None:
    old = b"kind: progress\nyear: 2012\nentries:\n  - date: 2012-03-15\n    item: volunteer\n    note: |+\n      x"
    with pytest.raises(FedplanError) as caught:
        append_entry(old, ENTRY)
    assert caught.value.code == "ledger-layout"


def test_matches_the_indentation_of_existing_entries() -> None:
    old = b"kind: progress\nyear: 2012\nentries:\n- date: 2012-03-15\n  target: farm-training\n  value: 120\n"
    added = append_entry(old, Entry(path="progress.yaml", date=dt.date(2012, 4, 1), target="farm-training", value=5))
    assert added == old + b"- date: 2012-04-01\n  target: farm-training\n  value: 5\n"
    wide = b"kind: progress\nyear: 2012\nentries:\n    -   date: 2012-03-15\n        value: 1\n"
    assert append_entry(wide, Entry(path="progress.yaml", date=dt.date(2012, 4, 1), item="x", note="n")) == (
        wide + b"    -   date: 2012-04-01\n        item: x\n        note: n\n"
    )


def test_unusual_quoting_and_flow_entries_are_kept() -> None:
    old = (
        "kind: 'progress'\n"
        'year: "2012"\n'
        "entries:\n"
        "  - {date: 2012-03-15, target: \"farm-training\", value: 1.5e2}\n"
        "  - date: '2012-03-20'\n"
        "    target: farm-training\n"
        "    note: >-\n"
        "      折叠的\n"
        "      说明\n"
        "\n"
        "    # 这一条待核实\n"
        "  # 下一季度\n"
    ).encode()
    new = append_entry(old, Entry(path="progress.yaml", date=dt.date(2012, 4, 1), target="farm-training", value=1))
    comment_end = old.index("  # 下一季度".encode())
    assert new == old[:comment_end] + b"  - date: 2012-04-01\n    target: farm-training\n    value: 1\n" + old[comment_end:]
    assert entries(new)[-1] == {"date": dt.date(2012, 4, 1), "target": "farm-training", "value": 1}


def test_entries_not_the_last_key() -> None:
    old = b"kind: progress\nentries:\n  - date: 2012-03-15\n    item: x\n    note: a\n\n# footer comment\nyear: 2012\n"
    new = append_entry(old, ENTRY)
    at = old.index(b"note: a\n") + len(b"note: a\n")
    assert new == old[:at] + ADDED.encode() + old[at:]
    assert yaml.safe_load(new)["year"] == 2012


def test_empty_flow_list_gives_way_to_the_first_entry() -> None:
    old = b"kind: progress\nyear: 2012\nentries: []   # \xe6\x9a\x82\xe6\x97\xa0\n# - date: 2012-01-01\n"
    new = append_entry(old, ENTRY)
    assert new == old.replace(b"[]", b"", 1).replace(b"\n# -", ("\n" + ADDED + "# -").encode(), 1)
    assert len(entries(new)) == 1


@pytest.mark.parametrize("empty", ["entries:", "entries: ~", "entries: null", "entries: []"])
def test_null_entries(empty: str) -> None:
    new = append_entry(f"kind: progress\nyear: 2012\n{empty}\n".encode(), ENTRY)
    assert new == b"kind: progress\nyear: 2012\nentries:\n" + ADDED.encode()
    assert entries(new) == [
        {"date": dt.date(2012, 4, 1), "target": "farm-training", "value": 80, "note": "第二期", "by": "发展部"}
    ]


def test_no_entries_key_and_empty_file() -> None:
    old = b"kind: progress\nyear: 2012\n# nothing yet"
    assert append_entry(old, ENTRY) == old + b"\nentries:\n" + ADDED.encode()
    assert append_entry(b"", ENTRY) == b"kind: progress\nyear: 2012\nentries:\n" + ADDED.encode()


def test_bom_is_kept() -> None:
    old = codecs.BOM_UTF8 + b"kind: progress\nyear: 2012\nentries:\n  - date: 2012-03-15\n    item: x\n    note: a\n"
    assert append_entry(old, ENTRY) == old + ADDED.encode()


@pytest.mark.parametrize(
    ("data", "code"),
    [
        (b"kind: progress\nyear: 2012\nentries: [{date: 2012-03-15, item: x, note: a}]\n", "ledger-layout"),
        (b"{kind: progress, year: 2012, entries: []}\n", "ledger-layout"),
        (b"kind: plan\nyear: 2012\n", "not-a-ledger"),
        (b"kind: progress\nentries: [\n", "ledger-syntax"),
        ("kind: progress\n备注: 台账\n".encode("gbk"), "ledger-encoding"),
    ],
)
def test_refuses_what_cannot_grow_without_rewriting(data: bytes, code: str) -> None:
    with pytest.raises(FedplanError) as caught:
        append_entry(data, ENTRY)
    assert caught.value.code == code


def test_new_ledger_has_the_header_as_comments() -> None:
    data = new_ledger(ENTRY, year=2012, header="发展部台账\n第二行")
    assert data == ("# 发展部台账\n# 第二行\nkind: progress\nyear: 2012\nentries:\n" + ADDED).encode()


@pytest.mark.parametrize(
    ("text", "written"),
    [
        ("举办第一期培训班", "举办第一期培训班"),
        ("2012", '"2012"'),
        ("true", '"true"'),
        ("第二期: 培训", '"第二期: 培训"'),
        ("a # b", '"a # b"'),
        ("- 列表", '"- 列表"'),
        ("两行\n说明", '"两行\\n说明"'),
        (" 前有空格", '" 前有空格"'),
        ("“双学双比”", "“双学双比”"),
        ("'单引号'", "\"'单引号'\""),
    ],
)
def test_scalar_reads_back_as_the_same_string(text: str, written: str) -> None:
    assert scalar(text) == written
    assert yaml.safe_load(f"k: {written}") == {"k": text}


def test_format_number() -> None:
    assert [format_number(v) for v in (120, 12.5, 300.0, -3)] == ["120", "12.5", "300", "-3"]


@pytest.mark.parametrize(
    ("value", "written"),
    [
        ("金川区妇联", "金川区妇联"),
        ("着力推进“双学双比”竞赛活动", "着力推进“双学双比”竞赛活动"),
        ("%", '"%"'),
        ("yes", '"yes"'),
        ("2012", '"2012"'),
        ("2012-03-08", '"2012-03-08"'),
        ("a: b", '"a: b"'),
        ("- 列表", '"- 列表"'),
        ("", '""'),
        (300, "300"),
        (0.5, "0.5"),
        (dt.date(2006, 2, 15), "2006-02-15"),
    ],
)
def test_scalar(value: object, written: str) -> None:
    assert scalar(value) == written  # type: ignore[arg-type]
    assert yaml.safe_load(f"k: {written}") == {"k": value}


@given(st.text())
def test_any_string_round_trips_as_a_scalar(text: str) -> None:
    assert yaml.safe_load(f"k: {scalar(text)}") == {"k": text}


# --- a large ledger is appended to without composing it whole (issue 15) ---------------------

_SEVEN = "".join(
    f"  - date: 2012-03-{n + 1:02d}\n    target: farm-training\n    value: {n}\n    note: 第{n}期\n" for n in range(7)
)
LARGE_SHAPES = {
    "plain": "kind: progress\nyear: 2012\nentries:\n" + _SEVEN,
    "comments after the last entry": "kind: progress\nyear: 2012\nentries:\n" + _SEVEN + "    # 属于最后一条\n# 文件末尾\n",
    "crlf and a bom": "\ufeffkind: progress\r\nyear: 2012\r\nentries:\r\n" + _SEVEN.replace("\n", "\r\n"),
    "deeper dashes and nested lists": "kind: progress\nyear: 2012\nentries:\n"
    + "".join(
        f"    -   date: 2012-04-{n + 1:02d}\n        target: farm-training\n        value: {n}\n"
        f"        evidence:\n          - a{n}.pdf\n          - b{n}.pdf\n"
        for n in range(7)
    ),
    "a last block note without a final newline": "kind: progress\nyear: 2012\nentries:\n"
    + _SEVEN
    + "  - date: 2012-05-01\n    item: volunteer\n    note: |\n      第一行\n      第二行",
    "a key after the entries": "kind: progress\nentries:\n" + _SEVEN + "year: 2012\n",
}


@pytest.mark.parametrize("shape", sorted(LARGE_SHAPES))
def test_a_large_ledger_gets_the_bytes_a_whole_compose_gives(shape: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """Composed a chunk at a time and kept as its first and last entry, the ledger gets exactly
    the bytes composing it whole gives (the sizes are shrunk so that 7 entries are "large")."""
    from fedplan import ledger, source

    data = LARGE_SHAPES[shape].encode("utf-8")
    monkeypatch.setattr(source, "CHUNKED_MIN_CHARS", 10**12)
    whole = append_entry(data, ENTRY)
    monkeypatch.setattr(source, "CHUNKED_MIN_CHARS", 0)
    monkeypatch.setattr(source, "CHUNK_ENTRIES", 3)
    pruned: list[object] = []
    first_and_last = ledger._first_and_last
    monkeypatch.setattr(ledger, "_first_and_last", lambda *a: pruned.append(first_and_last(*a)) or pruned[-1])
    assert append_entry(data, ENTRY) == whole
    taken = [p for p in pruned if p is not None]
    if shape == "a key after the entries":
        assert not taken  # entries do not run to the end of the file: composed whole
    else:
        assert taken and all(len(p.value) == 2 for p in taken)  # type: ignore[attr-defined]
    assert entries(whole)[-1]["note"] == "第二期"


@pytest.mark.parametrize("shape", sorted(LARGE_SHAPES))
def test_the_entries_between_the_first_and_the_last_need_not_be_read(shape: str) -> None:
    """``appended`` told which lines hold the entries after the first and before the last
    never reads them, and gives the bytes the whole append gives, as a part kept and the rest."""
    from fedplan.ledger import appended

    data = LARGE_SHAPES[shape].encode("utf-8")
    starts = [m.start() for m in re.finditer(rb"^ *-(?= )", data, re.M)]
    indent = min(len(data[s:].split(b"-", 1)[0]) for s in starts)
    dashes = [s for s in starts if len(data[s:].split(b"-", 1)[0]) == indent]
    start, end = dashes[1], dashes[-1]
    unreadable = data[:start] + b"\xff" * (end - start) + data[end:]  # not even UTF-8
    kept, rest = appended(unreadable, [ENTRY], skip=(start, end))
    assert kept >= end
    assert data[:kept] + rest == append_entry(data, ENTRY)
