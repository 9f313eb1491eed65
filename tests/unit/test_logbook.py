"""logbook.read_back: the proof that the bytes ``log`` writes read back as the ledger's
entries as they were read followed by the new ones, without reading the whole file again."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fedplan import ledger
from fedplan.diagnostics import FedplanError
from fedplan.logbook import Appended, read_back
from fedplan.model import Entry, Progress
from fedplan.repo import load_files, read_alone

REL = "plans/2012/progress/ledger.yaml"

SHAPES = {
    "plain": "kind: progress\nyear: 2012\nentries:\n"
    "  - date: 2012-03-01\n    target: a\n    value: 1\n"
    "  - date: 2012-03-02\n    target: a\n    value: 2\n    note: 第二次\n",
    "crlf and comments": "# 台账\r\nkind: progress\r\nyear: 2012\r\nentries:\r\n"
    "  - date: 2012-03-01\r\n    target: a\r\n    value: 1\r\n"
    "  - date: 2012-03-02   # 补记\r\n    target: a\r\n    value: 2\r\n    # 第二条之后的说明\r\n\r\n# 文件末尾\r\n",
    "flow entries, deeper dashes": "kind: progress\nyear: 2012\nentries:\n"
    "    - {date: 2012-03-01, target: a, value: 1}\n"
    "    - {date: 2012-03-02, item: x, note: \"引号 \\u00b7 说明\"}\n",
    "a block note without a final newline": "kind: progress\nyear: 2012\nentries:\n"
    "  - date: 2012-03-01\n    target: a\n    value: 1\n"
    "  - date: 2012-03-02\n    item: x\n    note: |\n      第一行\n      第二行",
    "indentless dashes": "kind: progress\nyear: 2012\nentries:\n"
    "- date: 2012-03-01\n  target: a\n  value: 1\n"
    "- date: 2012-03-02\n  target: a\n  value: 2\n",
    "one entry": "kind: progress\nyear: 2012\nentries:\n  - {date: 2012-03-01, target: a, value: 1}\n",
    # The year's line moves down with the new lines: the document as read no longer says
    # where it is, so the new bytes are read whole (a read-back would point at the old line).
    "a key after the entries": "kind: progress\nentries:\n"
    "  - date: 2012-03-01\n    target: a\n    value: 1\n"
    "  - date: 2012-03-02\n    target: a\n    value: 2\n"
    "year: 2012\n",
}
READ_WHOLE = {"a key after the entries"}

NEW = (
    Entry(path=REL, date=dt.date(2012, 7, 1), target="a", value=5, note="新的: 一条", by="发展部"),
    Entry(path=REL, date=dt.date(2012, 7, 2), item="x", note="多行\n说明"),
)


def _loaded(data: bytes):  # type: ignore[no-untyped-def]
    return load_files(Path("/nowhere"), {REL: data}, checks=False)


def _change(original: bytes, data: bytes, new: tuple[Entry, ...]) -> Appended:
    """The new file ``data`` as an Appended: what it keeps of ``original``, and the rest."""
    kept = ledger.common_prefix(original, data)
    return Appended(original, kept, data[kept:], new)


def _positions(progress: Progress) -> list[tuple[object, dict[str, object]]]:
    return [(e.pos, dict(e.spans)) for e in progress.entries]


@pytest.mark.parametrize("shape", SHAPES)
@pytest.mark.parametrize("count", [1, 2])
def test_what_is_read_back_is_what_a_whole_read_gives(shape: str, count: int) -> None:
    original = SHAPES[shape].encode()
    kept, rest = ledger.appended(original, NEW[:count], path=REL)
    data = original[:kept] + rest
    assert data == ledger.append_entries(original, NEW[:count], path=REL)
    merged = read_back(_loaded(original), REL, Appended(original, kept, rest, NEW[:count]))
    whole, problems = read_alone(REL, data, _loaded(original).repo.settings)
    before = len(_loaded(original).repo.progress[0].entries)
    assert isinstance(whole, Progress) and not problems and len(whole.entries) == before + count
    if shape in READ_WHOLE:
        assert merged is None
        return
    assert merged is not None and merged == whole
    assert _positions(merged) == _positions(whole)  # every entry where it is in the new file
    assert (merged.pos, dict(merged.spans)) == (whole.pos, dict(whole.spans))  # and every key


def _corrupted(original: bytes, data: bytes, how: str) -> bytes:
    if how == "an old entry changed before the last":
        return data.replace(b"value: 1\n", b"value: 7\n", 1)
    if how == "the last old entry changed":
        return data.replace("第二次".encode(), "第三次".encode(), 1)
    if how == "the new entry not as made":
        return data.replace(b"value: 5\n", b"value: 6\n")
    if how == "the new entry inside the last note":
        return original + b"    note2: x\n  - date: 2012-07-01\n"
    if how == "a key of the new entry twice":  # the same entry, but a problem a read reports
        return data.replace(b"    value: 5\n", b"    value: 5\n    value: 5\n")
    if how == "the new entry dropped":
        return original + b"  # - date: 2012-07-01\n"
    assert how == "an entry too many"
    return data + b"  - {date: 2012-07-03, target: a, value: 1}\n"


@pytest.mark.parametrize(
    "how",
    [
        "an old entry changed before the last",
        "the last old entry changed",
        "the new entry not as made",
        "the new entry inside the last note",
        "a key of the new entry twice",
        "the new entry dropped",
        "an entry too many",
    ],
)
def test_a_wrong_append_is_not_proven(how: str) -> None:
    original = SHAPES["plain"].encode()
    data = _corrupted(original, ledger.append_entries(original, NEW[:1], path=REL), how)
    assert read_back(_loaded(original), REL, _change(original, data, NEW[:1])) is None


@pytest.mark.parametrize("shape", sorted(set(SHAPES) - READ_WHOLE))
def test_entries_appended_since_the_read_are_read_back_from_the_tail(shape: str) -> None:
    """Another log (or an editor) appended to the file between the read of the repository
    and the lock: what it added is read from the tail, the rest is still proven."""
    original = SHAPES[shape].encode()
    changed = ledger.append_entries(original, [Entry(path=REL, date=dt.date(2012, 4, 1), target="a", value=3)], path=REL)
    kept, rest = ledger.appended(changed, NEW, path=REL)
    merged = read_back(_loaded(original), REL, Appended(changed, kept, rest, NEW))
    whole, problems = read_alone(REL, changed[:kept] + rest, _loaded(original).repo.settings)
    assert merged is not None and isinstance(whole, Progress) and not problems
    assert merged == whole and len(merged.entries) == len(_loaded(original).repo.progress[0].entries) + 3
    assert _positions(merged) == _positions(whole)


def test_bytes_changed_before_the_last_entry_since_the_read_are_not_proven() -> None:
    original = SHAPES["plain"].encode()
    changed = original.replace(b"value: 1\n", b"value: 4\n", 1)
    kept, rest = ledger.appended(changed, NEW[:1], path=REL)
    assert read_back(_loaded(original), REL, Appended(changed, kept, rest, NEW[:1])) is None
    # and a ledger that was not there when the repository was read
    assert read_back(_loaded(original), REL, Appended(None, 0, changed[:kept] + rest, NEW[:1])) is None
    # the last entry changed: the entries since cannot be told from a changed one
    changed = original.replace("第二次".encode(), "第三次".encode())
    kept, rest = ledger.appended(changed, NEW[:1], path=REL)
    assert read_back(_loaded(original), REL, Appended(changed, kept, rest, NEW[:1])) is None


@pytest.mark.parametrize("other_break", ["\u2028", "\u2029", "\x85", "\r"])
def test_a_ledger_with_line_breaks_other_than_newlines_is_read_whole(other_break: str) -> None:
    """YAML counts NEL, LS, PS and a lone CR as line breaks: the lines of the positions read
    cannot be found by counting newlines, so nothing is proven from them."""
    from fedplan.logbook import _breaks_are_newlines

    original = SHAPES["plain"].replace("value: 1\n", f'value: 1\n    note: "一{other_break}二"\n', 1).encode()
    assert len(_loaded(original).repo.progress[0].entries) == 2
    assert not _breaks_are_newlines(original)
    assert _breaks_are_newlines(SHAPES["plain"].encode()) and _breaks_are_newlines(SHAPES["crlf and comments"].encode())
    kept, rest = ledger.appended(original, NEW[:1], path=REL)
    assert read_back(_loaded(original), REL, Appended(original, kept, rest, NEW[:1])) is None


# Pieces a hand-kept ledger is made of: entries in block and flow style, with comments,
# blank lines, quoted and block notes, and lines that only look like entries.
_PIECES = [
    "  - date: 2012-03-01\n    target: a\n    value: 1\n",
    "  - {date: 2012-03-02, target: a, value: 2}\n",
    "  - date: 2012-03-03\n    item: x\n    note: |\n      第一行\n\n      - 不是一条记录\n",
    "  - date: 2012-03-04\n    item: x\n    note: >-\n      折叠的\n      说明\n",
    '  - date: 2012-03-05\n    item: x\n    note: "引号里\n      - 也不是记录"\n',
    "  # 一行注释\n",
    "\n",
    "    # 属于上一条的注释\n",
    "  - date: 2012-03-06   # 行尾注释\n    target: a\n    value: 3\n",
    "  - {date: 2012-03-07, target: a, value: 4, note: '单引号 ''中'' 间'}\n",
]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    pieces=st.lists(st.sampled_from(_PIECES), min_size=1, max_size=12),
    crlf=st.booleans(),
    final_newline=st.booleans(),
    count=st.integers(1, 2),
)
def test_whatever_is_proven_is_what_a_whole_read_gives(
    pieces: list[str], crlf: bool, final_newline: bool, count: int
) -> None:
    """For any ledger made of these pieces: when read_back proves the append, its document
    is the one reading the whole new file gives, entry by entry and position by position."""
    text = "kind: progress\nyear: 2012\nentries:\n" + "".join(pieces)
    if not final_newline:
        text = text.rstrip("\n")
    if crlf:
        text = text.replace("\n", "\r\n")
    original = text.encode()
    loaded = _loaded(original)
    if loaded.diagnostics or not loaded.repo.progress or not loaded.repo.progress[0].entries:
        return
    try:
        kept, rest = ledger.appended(original, NEW[:count], path=REL)
    except FedplanError:
        return  # an append fedplan refuses (e.g. a |+ block at the end without a newline)
    merged = read_back(loaded, REL, Appended(original, kept, rest, NEW[:count]))
    if merged is None:
        return
    whole, problems = read_alone(REL, original[:kept] + rest, loaded.repo.settings)
    assert isinstance(whole, Progress) and not problems
    assert merged == whole
    assert _positions(merged) == _positions(whole)
