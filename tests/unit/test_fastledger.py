"""A large ledger's entries read without composing (fedplan.fastledger) must be read exactly
as composing them reads them: the same entries, positions and diagnostics, whatever the
entries hold. Checked against the composer on generated ledgers full of YAML's traps."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from fedplan import fastledger, model, source
from fedplan.repo import _read_one
from tests.conftest import watch_helpers

REL = "plans/2012/progress/big.yaml"

# Value tokens as written after "key: ", plain and odd: each is either read plain by the
# fast path (and must then read as YAML reads it) or sent to the composer.
TOKENS = {
    "date": ["2012-03-08", "2012-12-31", "2012-02-30", "2012-3-8", "2012年3月8日", '"2012-03-08"',
             "2012-03-08 10:00", "2012-03-08T10:00:00", "null", "~", "2012-03-08  ", '"2012-03-08"   '],
    "target": ["farm-training", "launch", "农技培训", "yes", "null", "~", "123", "0x1F", "t 1", '"launch"',
               "'farm-training'", "true", "-x", "a#b", "a: b", "[a]", "{a}", "&a", "*a", "!x", "%x", "@x"],
    "item": ["shuangxue", "item-1", "NO", "1e3", "'shuangxue'"],
    "value": ["12", "0", "012", "12.5", "0.5", "1e3", "-3", "1_000", '"12"', "1:30", "12人次", "１２",
              "10000000000000", "0.0000001", ".inf", "12 ", "+5", "0o7"],
    "done": ["true", "True", "TRUE", "yes", "On", "off", "no", "tRUE", "1", '"true"', "完成"],
    "note": ["召开会议", "召开 会议", "“双学双比”活动", "a: b", "a #b", "a#b", "a:b", "x\u2028y", "x\u0085y",
             "tab\there", "'quoted'", '"dq"', '"esc\\n"', '"a\\"b"', "'it''s'", "trailing   ", "[x]", "x[1]",
             "{x}", "x, y", "- x", "? x", "?x", ": x", "!tag", "&a", "*a", "%x", "@x", "`x`", "|", ">",
             "…", "\ufeffx", "x\x7fy", "ｘ：ｙ", "null", "~", "yes", "12", "2012-03-08", "'", '"', "a'b", '""', "''",
             'a"b', "  lead", "x\\y", "{a: b}", "--- x", "#x", "a\tb", "\u00a0x\u00a0",
             # longer than a shared text (24): read as the token itself when plain
             "组织开展妇女儿童乐于参与、便于参与的文化活动，深入开展普法宣传", "组织开展妇女儿童乐于参与、便于参与的文化活动，深入开展普法宣传   ",
             "组织开展妇女儿童乐于参与、便于参与的文化活动，深入开展普法宣传\u3000", "'组织开展妇女儿童乐于参与、便于参与的文化活动，深入开展普法宣传'",
             "1234567890123456789012345678", "yes 组织开展妇女儿童乐于参与、便于参与的文化活动"],
    "by": ["妇儿部", "发展部", "权益部 ", "'宣传部'", "'宣传部'  ", '"宣传部" ', "null", "3", "妇儿部\u3000"],
    "grade": ["好", "较好"],
    "valeu": ["3"],
    "evidence": ["[a.pdf]", "a.pdf"],
}
KEYS = list(TOKENS)


# What entries usually hold: read plain, so each trap above is met inside entries that
# would otherwise take the fast path.
GOOD = {
    "date": ["2012-03-08", "2012-12-31"],
    "target": ["farm-training", "launch"],
    "item": ["shuangxue"],
    "value": ["12", "0", "12.5"],
    "done": ["true"],
    "note": ["召开会议", "召开 会议", "“双学双比”活动", "'引用'", "组织开展妇女儿童乐于参与、便于参与的文化活动，深入开展普法宣传"],
    "by": ["妇儿部", "'宣传部'"],
}


@st.composite
def entry(draw: st.DrawFn) -> list[str]:
    """One entry's lines (without the dash column's indentation and line ends)."""
    keys = ["date", draw(st.sampled_from(["target", "item"]))]
    keys += [k for k in ("value", "done", "note", "by") if draw(st.booleans())]
    if draw(st.booleans()):
        keys = draw(st.permutations(keys))
    pairs = [(k, draw(st.sampled_from(GOOD[k]))) for k in keys]
    for _ in range(draw(st.sampled_from([0, 0, 1, 1, 2]))):  # traps: a value, or a key
        key = draw(st.sampled_from(KEYS))
        trap = (key, draw(st.sampled_from(TOKENS[key])))
        place = draw(st.integers(0, len(pairs)))
        if draw(st.booleans()) and any(k == key for k, _ in pairs):
            pairs = [trap if k == key else (k, v) for k, v in pairs]
        else:
            pairs.insert(place, trap)
    if draw(st.integers(0, 9)) == 0:
        pairs = [p for p in pairs if p[0] != "date"] or [("note", "无日期")]
    style = draw(st.sampled_from(["block", "block", "block", "flow", "odd"]))
    if style == "flow":
        return ["- {" + ", ".join(f"{k}: {v}" for k, v in pairs) + "}"]
    spaces = " " if style == "block" else draw(st.sampled_from(["  ", "   "]))
    lines = [f"-{spaces}{pairs[0][0]}: {pairs[0][1]}"]
    lines += [" " * (1 + len(spaces)) + f"{k}:{draw(st.sampled_from([' ', ' ', '  ']))}{v}" for k, v in pairs[1:]]
    extra = draw(st.sampled_from(["", "", "", "blank", "comment", "bad comment", "continued", "deeper"]))
    if extra == "blank":
        lines.append("")
    elif extra == "comment":
        lines.append("  # 备注：" + draw(st.sampled_from(["a", "date: 2012-01-01", "#"])))
    elif extra == "bad comment":
        lines.append("# \x07")
    elif extra == "continued":
        lines.append("      接上一行")
    elif extra == "deeper":
        lines.append("    - x")
    return lines


@st.composite
def ledger(draw: st.DrawFn) -> str:
    dash = draw(st.sampled_from([0, 2, 4]))
    newline = draw(st.sampled_from(["\n", "\n", "\r\n"]))
    entries = draw(st.lists(entry(), min_size=1, max_size=12))
    lines = ["# 台账", "kind: progress", "year: 2012", "entries:"]
    for one in entries:
        lines += [" " * dash + line if line else line for line in one]
    tail = draw(st.sampled_from(["", "", "after", "no newline"]))
    if tail == "after":
        lines += ["# 完", "source: 手工"]
    text = newline.join(lines) + ("" if tail == "no newline" else newline)
    return text


def read(text: str, monkeypatch: pytest.MonkeyPatch, *, chunked: bool, run: int = 1, bom: bool = False) -> tuple[object, ...]:
    """What a ledger reads as, whole or (``chunked``) with runs of at most ``run`` entries
    composed at a time where the fast path does not take them."""
    fastledger._MEMOS.clear()  # (each token read by its reader here, not remembered from another test)
    monkeypatch.setattr(source, "CHUNKED_MIN_CHARS", 0 if chunked else 10**12)
    monkeypatch.setattr(source, "CHUNK_ENTRIES", run if chunked else 20_000)
    data = (b"\xef\xbb\xbf" if bom else b"") + text.encode("utf-8")
    decoded, document, found = _read_one(REL, data, model.Settings(), None)
    entries = document.entries if isinstance(document, model.Progress) else ()
    return decoded, document, [(e, e.pos, dict(e.spans)) for e in entries], sorted(found)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(ledger(), st.integers(1, 4), st.booleans())
def test_entries_read_plain_are_what_composing_reads(monkeypatch: pytest.MonkeyPatch, text: str, run: int, bom: bool) -> None:
    # (the file's bytes are scanned, each entry decoded alone: a byte-order mark shifts them)
    chunked = read(text, monkeypatch, chunked=True, run=run, bom=bom)
    assert chunked == read(text, monkeypatch, chunked=False, bom=bom)


@pytest.mark.parametrize("subject", ["target", "item"])
@pytest.mark.parametrize("style", ["block", "flow"])
def test_every_trap_alone_reads_as_composing_reads(monkeypatch: pytest.MonkeyPatch, style: str, subject: str) -> None:
    # Each odd token in an entry that is otherwise plain, between two plain entries: of a
    # target, and of an item (whose rules differ: a note it needs, the figures it refuses).
    good = "  - date: 2012-03-01\n    target: launch\n    done: true\n"
    for key, tokens in TOKENS.items():
        for token in tokens:
            pairs = {"date": "2012-03-08", subject: "farm-training", "note": "召开会议", key: token}
            if style == "flow":
                one = "  - {" + ", ".join(f"{k}: {v}" for k, v in pairs.items()) + "}\n"
            else:
                one = "  - " + "\n    ".join(f"{k}: {v}" for k, v in pairs.items()) + "\n"
            text = "kind: progress\nyear: 2012\nentries:\n" + good + one + good
            assert read(text, monkeypatch, chunked=True) == read(text, monkeypatch, chunked=False), (key, token)


# Values with long runs of spaces, read fast and composed in one process (the parent keeps
# a bound on it): the runs of spaces a plain value holds, the spaces after a quoted one, a
# comment after them (the line fails to match where it starts), in block and flow entries.
_SPACES = """
import sys
from fedplan import fastledger, model, source
from fedplan.repo import _read_one

n = int(sys.argv[1])
gap = " " * n
entries = [
    "  - date: 2012-03-08\\n    target: launch\\n    note: a" + gap + "b\\n",
    "  - date: 2012-03-08\\n    target: launch\\n    note: a" + gap + "#b\\n",
    "  - date: 2012-03-08\\n    target: launch\\n    note: 'a'" + gap + "\\n",
    "  - date: 2012-03-08\\n    target: launch\\n    note: 'a'" + gap + "#b\\n",
    "  - date: 2012-03-08\\n    note: a" + gap + "#b\\n    target: launch\\n",
    "  - {date: 2012-03-08, target: launch, note: a" + gap + "b}\\n",
    "  - {date: 2012-03-08, target: launch, note: 'a'" + gap + "}\\n",
    "  - {date: 2012-03-08, note: a" + gap + "b, target: launch}\\n",
]
data = ("kind: progress\\nyear: 2012\\nentries:\\n" + "".join(entries)).encode("utf-8")

def read(chunked):
    fastledger._MEMOS.clear()
    source.CHUNKED_MIN_CHARS = 0 if chunked else 10**12
    source.CHUNK_ENTRIES = 1 if chunked else 20_000
    decoded, document, found = _read_one("plans/2012/progress/big.yaml", data, model.Settings(), None)
    entries = document.entries if isinstance(document, model.Progress) else ()
    return decoded, [(e, e.pos, dict(e.spans)) for e in entries], sorted(found)

fast, composed = read(True), read(False)
print(len(fast[1]), len(fast[2]), fast == composed, sum(len(e.note) for e, _, _ in fast[1]))
"""


def test_long_runs_of_spaces_in_values_are_read_in_linear_time_as_composing_reads() -> None:
    # A value followed by a second repeat of spaces ("[ ]*" after a plain value that holds
    # spaces itself) made every line that failed to match try each split of its spaces: a
    # note of 30,000 spaces and a "#" took validate 30 s. 60,000 here (an entry is read
    # fast up to 64 KB) take well under a second when read in linear time, some minutes an
    # entry when not: the bound only stops that from holding the test run for an hour.
    import subprocess
    import sys

    try:
        done = subprocess.run([sys.executable, "-c", _SPACES, "60000"], capture_output=True, text=True, timeout=120)
    except subprocess.TimeoutExpired:
        pytest.fail("reading values with 60,000 spaces did not end within 120 s: a pattern backtracks")
    assert done.returncode == 0, done.stderr
    read, problems, same, note_chars = done.stdout.split()
    # (every entry read; the notes with a comment after their spaces are "a", the others whole)
    assert (read, problems, same, note_chars) == ("8", "0", "True", str(3 * 60_002 + 5 * 1)), done.stdout


def test_plain_entries_are_not_composed(monkeypatch: pytest.MonkeyPatch) -> None:
    """The fast path is taken: of a ledger of entries as `fedplan log` writes them, with a
    flow-style one and comments between, only the one with a block-scalar note is composed."""
    composed: list[int] = []
    real = source.compose_entries

    def counting(text: str, begin: int, end: int, count: int, last: int) -> list[object]:
        composed.append(count)
        return real(text, begin, end, count, last)  # type: ignore[return-value]

    text = (
        "kind: progress\nyear: 2012\nentries:\n"
        "  - date: 2012-03-08\n    target: farm-training\n    value: 120\n    note: 召开“双学双比”培训班\n    by: 妇儿部\n"
        "  # 三月\n\n"
        "  - {date: 2012-04-01, target: launch, done: true}\n"
        "  - date: 2012-04-02\n    item: shuangxue\n    note: |\n      两行\n      说明\n"
        "  - date: 2012-04-03\n    target: farm-training\n    value: 12.5\n    note: '引用的说明'\n"
    )
    whole = read(text, monkeypatch, chunked=False)
    monkeypatch.setattr(source, "compose_entries", counting)
    chunked = read(text, monkeypatch, chunked=True)
    assert chunked == whole and composed == [1]
    rows = chunked[2]
    assert [e.date.isoformat() for e, _, _ in rows] == ["2012-03-08", "2012-04-01", "2012-04-02", "2012-04-03"]  # type: ignore[attr-defined]
    first, pos, spans = rows[0]  # type: ignore[misc]
    assert (pos.line, pos.col) == (4, 5) and (spans["note"].line, spans["note"].col) == (7, 11)
    assert first.value == 120 and first.note == "召开“双学双比”培训班" and rows[3][0].value == 12.5  # type: ignore[index]


def test_every_ledger_is_read_so_not_only_large_ones(monkeypatch: pytest.MonkeyPatch) -> None:
    # With the thresholds as shipped, a three-entry ledger is read by the fast path too
    # (this is what makes validate cheaper than composing, bench/bench_validate.py).
    composed: list[int] = []
    real = source.compose_entries
    monkeypatch.setattr(source, "compose_entries", lambda *a: composed.append(a[3]) or real(*a))
    text = "kind: progress\nyear: 2012\nentries:\n" + "".join(
        f"  - date: 2012-03-0{n}\n    target: farm-training\n    value: {n}\n" for n in range(1, 4)
    )
    decoded, document, found = _read_one(REL, text.encode("utf-8"), model.Settings(), None)
    assert decoded and isinstance(document, model.Progress) and [e.value for e in document.entries] == [1, 2, 3]
    assert composed == [] and found == []


def test_an_entry_keeps_its_place_in_its_spans_not_a_pos_of_its_own() -> None:
    # A million entries: a Pos and a line number each were some hundred bytes of an entry.
    import pickle

    text = "kind: progress\nyear: 2012\nentries:\n  - date: 2012-03-08\n    target: launch\n    done: true\n"
    for shipped in (True, False):  # read plain, and composed
        source.CHUNKED_MIN_CHARS, saved = (0 if shipped else 10**12), source.CHUNKED_MIN_CHARS
        try:
            _, document, _ = _read_one(REL, text.encode("utf-8"), model.Settings(), None)
        finally:
            source.CHUNKED_MIN_CHARS = saved
        assert isinstance(document, model.Progress)
        entry = document.entries[0]
        assert "pos" not in vars(entry) and "pos" not in vars(document)
        assert (entry.pos.path, entry.pos.line, entry.pos.col) == (REL, 4, 5)
        assert (document.pos.line, document.pos.col) == (1, 1)
        again = pickle.loads(pickle.dumps(entry))  # the parse cache
        assert again == entry and again.pos == entry.pos and again.at("done") == entry.at("done")
    made = model.Entry(path=REL, date=document.entries[0].date, target="launch")  # by log, not read
    assert (made.pos.path, made.pos.line) == ("", 0)


@pytest.mark.parametrize("where", ["entry", "after"])
def test_nesting_too_deep_in_a_ledger_read_in_pieces_is_refused_not_a_crash(where: str) -> None:
    # libyaml recurses once per level: each piece composed is checked, and the whole file's
    # reading (to which a deep piece falls back) says where.
    deep = "[" * 30_000 + "]" * 30_000
    entries = "".join(f"  - date: 2012-03-0{n}\n    target: launch\n    done: true\n" for n in range(1, 4))
    if where == "entry":
        entries += f"  - date: 2012-03-08\n    target: launch\n    evidence: {deep}\n"
    text = "kind: progress\nyear: 2012\nentries:\n" + entries + (f"source: {deep}\n" if where == "after" else "")
    decoded, document, found = _read_one(REL, text.encode("utf-8"), model.Settings(), None)
    assert decoded and document is None
    assert [(d.code, d.pos.line) for d in found] == [("yaml-too-deep", 15 if where == "entry" else 13)]


def test_a_ledger_read_in_pieces_is_not_held_as_text_whole() -> None:
    # The bytes stand for the text: a million entries' text was 160 MB beside them.
    text = "kind: progress\nyear: 2012\nentries:\n  - date: 2012-03-08\n    target: launch\n    note: 召开会议\n"
    read = source.read(REL, b"\xef\xbb\xbf" + text.encode("utf-8"), chunked=True)
    assert read.decoded and read.text is None and read.diagnostics == []
    entries = read.node.value[-1][1]  # type: ignore[union-attr]
    assert isinstance(entries, source.ChunkedSequence) and isinstance(entries.text, bytes)
    whole = source.read(REL, text.encode("utf-8"))
    assert whole.decoded and whole.text == text


def test_entries_yaml_must_read_are_composed_in_runs_not_one_at_a_time(monkeypatch: pytest.MonkeyPatch) -> None:
    # Every other note holds a time ("10:30": a colon, left to YAML): composing them one by
    # one would cost a loader each, slower than composing the file.
    composed: list[int] = []
    real = source.compose_entries
    monkeypatch.setattr(source, "compose_entries", lambda *a: composed.append(a[3]) or real(*a))
    text = "kind: progress\nyear: 2012\nentries:\n" + "".join(
        f"  - date: 2012-03-08\n    target: farm-training\n    value: {n}\n    note: {'10:30 召开' if n % 2 else '召开'}\n"
        for n in range(300)
    )
    _, document, found = _read_one(REL, text.encode("utf-8"), model.Settings(), None)
    assert isinstance(document, model.Progress) and len(document.entries) == 300 and found == []
    assert document.entries[1].note == "10:30 召开"
    assert len(composed) <= 5 and sum(composed) <= 300
    assert read(text, monkeypatch, chunked=True, run=20_000) == read(text, monkeypatch, chunked=False)


@pytest.mark.parametrize("where", ["before the first entry", "after an entry"])
def test_a_pull_request_of_blank_lines_takes_no_more_memory_than_its_size(where: str) -> None:
    # Python's matcher keeps a backtracking point a repetition of a group: 6 MB of blank
    # lines after "entries:" took 1.6 GB. Reading must stay within a few times the file.
    import tracemalloc

    blank = "\n" * 2_000_000
    entry = "  - date: 2012-03-08\n    target: launch\n    done: true\n"
    if where == "before the first entry":
        text = "kind: progress\nyear: 2012\nentries:\n" + blank + entry * 3
    else:
        text = "kind: progress\nyear: 2012\nentries:\n" + entry * 3 + blank + entry
    data = text.encode("utf-8")
    tracemalloc.start()
    try:
        _, document, found = _read_one(REL, data, model.Settings(), None)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 12 * len(data), peak
    assert isinstance(document, model.Progress) and found == [] and len(document.entries) in (3, 4)


def ledger_of(count: int, *forms: Callable[[int, str], list[str]]) -> bytes:
    """A ledger of ``count`` entries, entry ``n`` written by ``forms[n % len(forms)](n, day)``."""
    lines = ["kind: progress", "year: 2012", "entries:"]
    for n in range(count):
        lines += forms[n % len(forms)](n, f"2012-{n % 12 + 1:02d}-{n % 28 + 1:02d}")
    return ("\n".join(lines) + "\n").encode("utf-8")


def test_entries_written_as_log_writes_them_are_read_by_columns_into_small_objects() -> None:
    """A ledger's usual entries (a target's figure, a milestone as one flow mapping, an item's
    note) come out of the columns path: each spans a LineSpans of a form shared by every
    entry written alike, positions exact, surviving the parse cache's pickling, and no
    entry holding a dict of its own (CPython's shared keys; 200 bytes more an entry)."""
    import pickle
    import tracemalloc

    data = ledger_of(
        3000,
        lambda n, day: [f"  - date: {day}", "    target: farm-training", f"    value: {n % 50}", "    note: 召开培训班"],
        lambda n, day: [f"  - {{date: {day}, target: launch, done: true}}"],
        lambda n, day: [f"  - date: {day}", "    item: shuangxue", "    note: 走访妇女之家", "    by: 妇儿部"],
    )
    def kept_reading(composed: bool) -> tuple[object, list[object], float]:
        """The document, its problems and the bytes it keeps an entry: read by columns, or
        (``composed``) composed whole and made one entry at a time, in the same state of
        the class's shared keys (which other tests change)."""
        fastledger._MEMOS.clear()  # (filled to its bound by other tests, each date would be its own)
        saved = source.CHUNKED_MIN_CHARS
        source.CHUNKED_MIN_CHARS = 10**12 if composed else 0
        try:
            _read_one(REL, data, model.Settings(), None)  # (the class meets its keys)
            tracemalloc.start()
            try:
                _, read, problems = _read_one(REL, data, model.Settings(), None)
                size, _ = tracemalloc.get_traced_memory()
            finally:
                tracemalloc.stop()
        finally:
            source.CHUNKED_MIN_CHARS = saved
        return read, problems, size / 3000

    _, _, one_by_one = kept_reading(composed=True)
    document, found, kept = kept_reading(composed=False)
    assert isinstance(document, model.Progress) and found == [] and len(document.entries) == 3000
    entries = document.entries
    assert all(type(e.spans) is model.LineSpans for e in entries)
    assert len({id(tuple.__getitem__(e.spans, 0)) for e in entries}) == 3  # one form each way of writing
    first, milestone, item = entries[:3]
    assert (first.pos.line, first.at("value").line, first.at("value").col, first.at("note").line) == (4, 6, 12, 7)
    assert (milestone.pos.line, milestone.pos.col, milestone.at("done").line, milestone.at("done").col) == (8, 5, 8, 46)
    assert (item.item, item.note, item.by, item.at("by").line, item.value, item.done) == ("shuangxue", "走访妇女之家", "妇儿部", 12, None, False)
    assert "pos" not in vars(first) and "note" not in vars(milestone)  # defaults stay the class's
    again = pickle.loads(pickle.dumps(entries))
    assert again == entries and [dict(e.spans) for e in again] == [dict(e.spans) for e in entries]
    # (some 300 bytes, a little less than one at a time; with a dict each, 200 more)
    assert kept < one_by_one + 60, (kept, one_by_one)


def test_a_ledger_pickled_for_the_parse_cache_comes_back_the_same() -> None:
    """Progress pickles its entries as columns (model._entry_columns): every entry, however
    it was read (by columns, alone, composed) or made (by log), comes back equal, at the
    same places, with no attribute of its own it did not have (its size: the test after)."""
    import pickle

    from fedplan import records

    data = ledger_of(
        1500,
        lambda n, day: [f"  - date: {day}", "    target: farm-training", f"    value: {n % 50}", "    note: 召开培训班"],
        lambda n, day: [f"  - {{date: {day}, target: launch, done: true}}"],
        lambda n, day: [f"  - note: 顺序不同 {n}", f"    date: {day}", "    item: shuangxue"],  # read alone
        lambda n, day: [f"  - date: {day}", "    item: shuangxue", f'    note: "转义\\t{n}"'],  # left to YAML
        lambda n, day: [f"  - date: {day}", "    target: farm-training", "    value: 0", "    done: false"],
    )
    _, document, _ = _read_one(REL, data, model.Settings(), None)
    assert isinstance(document, model.Progress)
    logged = model.Entry(path=REL, date=document.entries[0].date, target="launch", done=True)
    document = records.replace(document, entries=(*document.entries, logged))
    kinds = {type(e.spans) for e in document.entries}
    assert model.LineSpans in kinds and model.Spans in kinds  # (all three ways of reading met)
    again = pickle.loads(pickle.dumps(document, protocol=5))
    assert again == document
    for old, new in zip(document.entries, again.entries, strict=True):
        assert (new.pos, dict(new.spans), type(new.spans)) == (old.pos, dict(old.spans), type(old.spans))
        # a default stays the class's (one written as its default, done: false, too)
        assert set(vars(new)) <= set(vars(old)) and all(getattr(new, k) == v for k, v in vars(old).items())


_FRESH = """
import sys, tracemalloc
from fedplan import model, source
from fedplan.repo import _read_one
lines = ["kind: progress", "year: 2012", "entries:"]
for n in range(3000):
    day = f"2012-{n % 12 + 1:02d}-{n % 28 + 1:02d}"
    lines += [f"  - date: {day}", "    target: farm-training", f"    value: {n % 50}", "    note: 召开培训班"]
data = ("\\n".join(lines) + "\\n").encode("utf-8")
source.CHUNKED_MIN_CHARS = 10**12 if sys.argv[1] == "composed" else 0
tracemalloc.start()
_, document, _ = _read_one("plans/2012/progress/a.yaml", data, model.Settings(), None)
print(tracemalloc.get_traced_memory()[0] / len(document.entries))
"""


def test_the_first_ledger_a_process_reads_by_columns_keeps_no_dict_an_entry() -> None:
    """In a fresh process the Entry class has met none of its keys: each batch's dropped
    object must take them before the batch's objects are made, or every entry gets a dict
    of its own (200 bytes more than made one at a time, where each object takes them)."""
    import subprocess
    import sys

    def per_entry(mode: str) -> float:
        done = subprocess.run([sys.executable, "-c", _FRESH, mode], capture_output=True, text=True, check=True)
        return float(done.stdout)

    columns, one_by_one = per_entry("columns"), per_entry("composed")
    assert columns < one_by_one + 60, (columns, one_by_one)


def test_a_ledger_given_as_text_reads_as_one_given_as_bytes(monkeypatch: pytest.MonkeyPatch) -> None:
    """source.compose(chunked=True) hands the fast reader the text, not the bytes (offsets
    are then characters): it must read what composing whole reads, as the bytes path does."""
    from fedplan.schema import read_document

    monkeypatch.setattr(source, "CHUNKED_MIN_CHARS", 0)
    monkeypatch.setattr(source, "CHUNK_ENTRIES", 3)
    lines = ["kind: progress", "year: 2012", "entries:"]
    for n in range(40):
        day = f"2012-03-{n % 28 + 1:02d}"
        lines += [
            [f"  - date: {day}", "    target: farm-training", f"    value: {n}", "    note: 召开“双学双比”培训班"],
            [f"  - {{date: {day}, target: launch, done: true}}"],
            [f"  - note: 顺序不同{n}", f"    date: {day}", "    item: shuangxue"],
            [f"  - date: {day}", "    item: shuangxue", f'    note: "转义\\t{n}"'],
            [f"  - date: {day}", "    target: farm-training", "    value: 12人次"],  # an error
        ][n % 5]
    text = "\n".join(lines) + "\n"
    fastledger._MEMOS.clear()
    root, problems = source.compose(REL, text, chunked=True)
    assert problems == [] and isinstance(dict(root.value)[next(k for k, _ in root.value if k.value == "entries")], source.ChunkedSequence)
    by_text = read_document(REL, root, model.Settings())
    whole, _ = source.compose(REL, text)
    composed = read_document(REL, whole, model.Settings())
    assert by_text[0] == composed[0] and sorted(by_text[1]) == sorted(composed[1]) and by_text[1]
    # read by columns: every flow mapping, and the first block entry (each later one is
    # composed with the run of three that the escaped note before it starts)
    assert sum(type(e.spans) is model.LineSpans for e in by_text[0].entries) == 9
    assert [(e.pos, dict(e.spans)) for e in by_text[0].entries] == [(e.pos, dict(e.spans)) for e in composed[0].entries]


_UNPICKLE = """
import pickle, sys, tracemalloc
from pathlib import Path
from fedplan import model
from fedplan.repo import _read_one
mode, folder = sys.argv[1], Path(sys.argv[2])
if mode == "write":
    lines = ["kind: progress", "year: 2012", "entries:"]
    for n in range(3000):
        day = f"2012-{n % 12 + 1:02d}-{n % 28 + 1:02d}"
        lines += [f"  - date: {day}", "    target: farm-training", f"    value: {n % 50}", "    note: 召开培训班"]
    data = ("\\n".join(lines) + "\\n").encode("utf-8")
    _, document, _ = _read_one("plans/2012/progress/a.yaml", data, model.Settings(), None)
    (folder / "columns").write_bytes(pickle.dumps(document, protocol=5))
    (folder / "objects").write_bytes(pickle.dumps(document.entries, protocol=5))
else:
    kept = (folder / mode).read_bytes()
    tracemalloc.start()
    again = pickle.loads(kept)
    print(tracemalloc.get_traced_memory()[0] / 3000)
"""


def test_a_ledger_from_the_parse_cache_keeps_no_dict_an_entry(tmp_path: Path) -> None:
    """A warm run unpickles its ledgers before it has made any entry. Unpickled as columns,
    the entries are made as the fast reader makes them (a dropped object takes the keys
    first); unpickled one object at a time (the entries alone, pickled as any object), each
    comes back with a dict of its own. Each in a fresh process, as a warm run is."""
    import subprocess
    import sys

    def run(mode: str) -> str:
        done = subprocess.run([sys.executable, "-c", _UNPICKLE, mode, str(tmp_path)], capture_output=True, text=True, check=True)
        return done.stdout

    run("write")
    columns, one_by_one = float(run("columns")), float(run("objects"))
    assert columns < one_by_one - 40, (columns, one_by_one)


# ---- a long ledger matched by two processes (fedplan.forked) ------------------------------


@pytest.fixture
def two_processes(monkeypatch: pytest.MonkeyPatch) -> list[bool]:
    """Every ledger is matched by two processes, in batches of 3 entries: the list gets, for
    each batch asked of the forked helper, whether it came back (True) or not."""
    from fedplan import forked

    used = watch_helpers(monkeypatch)
    monkeypatch.setattr(fastledger, "BATCH", 3)
    monkeypatch.setattr(forked, "LARGE", 1)
    return used


def one_process(text: str, monkeypatch: pytest.MonkeyPatch) -> tuple[object, ...]:
    with monkeypatch.context() as m:
        m.setenv("FEDPLAN_JOBS", "1")
        return read(text, monkeypatch, chunked=True)


def no_child_left() -> bool:
    import os

    try:
        os.waitpid(-1, os.WNOHANG)
    except ChildProcessError:
        return True
    return False


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(ledger())
def test_a_ledger_matched_by_two_processes_reads_as_one_process_reads_it(
    monkeypatch: pytest.MonkeyPatch, two_processes: list[bool], text: str
) -> None:
    both = read(text, monkeypatch, chunked=True)
    assert both == one_process(text, monkeypatch) == read(text, monkeypatch, chunked=False)
    assert no_child_left()


TRAPPED = [
    lambda n, day: [f"  - date: {day}", "    target: farm-training", f"    value: {n % 50}", "    note: 召开培训班"],
    lambda n, day: [f"  - {{date: {day}, target: launch, done: true}}"],
    lambda n, day: [f"  - date: {day}", "    item: shuangxue", "    note: 'a: b'"],  # quoted: read by its reader
    lambda n, day: [f"  - note: 键的次序不同 {n}", f"    date: {day}", "    target: launch", "    done: true"],
    lambda n, day: [f"  - date: {day}", "    target: farm-trainig", "    value: 12人次"],  # composed, two problems
    lambda n, day: [f"  - date: 2012-02-{n % 3 + 28}", "    item: shuangxue", "    note: 日期可能不存在", "    by: 妇儿部"],
]


def test_a_long_ledger_read_by_two_processes_is_the_same_entries_places_and_problems(
    monkeypatch: pytest.MonkeyPatch, two_processes: list[bool]
) -> None:
    text = ledger_of(400, *TRAPPED).decode("utf-8")
    both = read(text, monkeypatch, chunked=True)
    assert two_processes and all(two_processes)  # the helper's batches were used
    alone = one_process(text, monkeypatch)
    assert both == alone
    _, _, entries, found = both  # type: ignore[misc]
    # (an entry with a bad value or date is reported and left out, in both readings)
    assert {d.code for d in found} == {"bad-date", "number-with-unit"} and 200 < len(entries) < 400
    assert [e.pos.line for e, _, _ in entries][-3:] == [e.pos.line for e, _, _ in alone[2]][-3:]  # type: ignore[index]
    assert no_child_left()


@pytest.mark.parametrize("failure", ["raises", "exits", "wrong batches"])
def test_a_helper_that_fails_changes_nothing_the_reader_matches_its_batches_itself(
    monkeypatch: pytest.MonkeyPatch, two_processes: list[bool], failure: str
) -> None:
    import os

    from fedplan import forked

    watched = forked.start

    def failing(work: Callable[[Callable[[object], None]], None]) -> object:
        def broken(send: Callable[[object], None]) -> None:
            sent = [0]

            def send_some(value: object) -> None:
                sent[0] += 1
                if failure == "wrong batches":  # the first one lost: each comes for the batch before it
                    if sent[0] > 1:
                        send(value)
                    return
                if sent[0] > 2:
                    if failure == "exits":
                        os._exit(3)
                    raise RuntimeError("the helper breaks")
                send(value)

            work(send_some)

        return watched(broken)

    monkeypatch.setattr(forked, "start", failing)
    text = ledger_of(120, *TRAPPED).decode("utf-8")
    assert read(text, monkeypatch, chunked=True) == one_process(text, monkeypatch)
    if failure == "wrong batches":
        assert two_processes == [True]  # (the first came back for the wrong batch: refused, the rest read here)
    else:
        assert two_processes == [True, True, False]  # two batches, then nothing more
    assert no_child_left()


def read_bytes(data: bytes, monkeypatch: pytest.MonkeyPatch, *, chunked: bool) -> tuple[object, ...]:
    fastledger._MEMOS.clear()
    monkeypatch.setattr(source, "CHUNKED_MIN_CHARS", 0 if chunked else 10**12)
    decoded, document, found = _read_one(REL, data, model.Settings(), None)
    entries = document.entries if isinstance(document, model.Progress) else ()
    return decoded, document, [(e, e.pos, dict(e.spans)) for e in entries], [(d.key(), d.message, d.hint) for d in sorted(found)]


@pytest.mark.parametrize("processes", [1, 2])
@pytest.mark.parametrize("where", ["head", "first entry", "middle entry", "last entry", "tail"])
@pytest.mark.parametrize("odd", ["gbk", "garbage", "truncated", "LS", "NEL", "PS"])
def test_a_ledger_not_decoded_whole_first_reports_what_a_whole_read_reports(
    monkeypatch: pytest.MonkeyPatch, processes: int, where: str, odd: str
) -> None:
    # A ledger's bytes are decoded a piece at a time as they are read (source.piece_of):
    # bytes that are not UTF-8, or a line break YAML counts and the pieces do not, anywhere
    # in the file — in the lines around the entries, in an entry the helper process reads —
    # and the answer is the whole file's: the encoding error at its place, or YAML's reading.
    from fedplan import forked

    if processes == 2:
        if not forked.available():
            pytest.skip("a forked helper needs fork and two processors (and FEDPLAN_JOBS not 1)")
        monkeypatch.setattr(forked, "LARGE", 1)
        monkeypatch.setattr(fastledger, "BATCH", 4)
    bad = {
        "gbk": "妇联".encode("gbk"),
        "garbage": b"\xff\xfe\x00",
        "truncated": "妇".encode()[:2],
        "LS": "\u2028".encode(),
        "NEL": "\u0085".encode(),
        "PS": "\u2029".encode(),
    }[odd]
    lines = ["# 台账", "kind: progress", "year: 2012", "entries:"]
    lines += [f"  - date: 2012-03-{n % 28 + 1:02d}\n    target: farm-training\n    value: {n}\n    note: 召开会议" for n in range(40)]
    lines += ["# 完", "source: 手工"]
    text = "\n".join(lines) + "\n"
    data = text.encode("utf-8")
    at = {"head": "# 台账", "first entry": "value: 0\n", "middle entry": "value: 30\n", "last entry": "value: 39\n", "tail": "# 完"}[where]
    cut = data.index(at.encode()) + len(at.encode()) - (1 if at.endswith("\n") else 0)
    data = data[:cut] + bad + data[cut:]
    whole = read_bytes(data, monkeypatch, chunked=False)
    assert read_bytes(data, monkeypatch, chunked=True) == whole
    if odd in ("gbk", "garbage", "truncated"):
        assert whole[0] is False and whole[3][0][0][3] in ("encoding", "encoding-gbk")  # type: ignore[index]
    assert no_child_left()


# ---- a large file searched in two halves (source._Scan) -----------------------------------

LINES = [
    "  - date: 2012-03-08", "    target: launch", "    done: true", "  - {date: 2012-03-08, item: shuangxue, note: 会}",
    "  -", "    date: 2012-03-09", "  - x", "", "  # 备注", "# 顶格注释", "      接上一行", "  - note: 'a", "    b'",
    "---", "...", "%YAML 1.2", "entries:", "entries: # 又一个", "source: 手工", " - 少缩进", "-x", "  -x", "\tdate: 1",
    "  - date: 2012-03-08\r", "entries :",
]


@st.composite
def scanned(draw: st.DrawFn) -> bytes:
    head = ["kind: progress", "year: 2012", draw(st.sampled_from(["entries:", "entries:  # 台账", "entries: \t"]))]
    body = draw(st.lists(st.sampled_from(LINES), min_size=1, max_size=30))
    first = draw(st.sampled_from(["  - date: 2012-03-01", "  - {date: 2012-03-01, target: launch, done: true}", "  -"]))
    end = draw(st.sampled_from(["\n", "", "\n\n"]))
    return ("\n".join([*head, first, *body]) + end).encode("utf-8")


def chunked_shape(data: bytes) -> object:
    fastledger._MEMOS.clear()
    root = source._chunked(data)
    if root is None:
        return None
    (places,) = [n for n, (key, _) in enumerate(root.value) if key.value == "entries"]
    entries = root.value[places][1]
    keys = [(key.value, getattr(value, "value", None) if not isinstance(value, source.ChunkedSequence) else "…") for key, value in root.value]
    return entries.starts, entries.end, entries.start_mark.line, entries.start_mark.column, keys


@pytest.fixture
def split_scans(monkeypatch: pytest.MonkeyPatch) -> list[bool]:
    """Every file is searched in two halves, the later by a forked helper; the list gets, for
    each helper, whether its half came back."""
    return watch_helpers(monkeypatch)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(scanned())
def test_a_file_searched_in_two_halves_is_found_as_one_search_finds_it(
    monkeypatch: pytest.MonkeyPatch, split_scans: list[bool], data: bytes
) -> None:
    # The cut falls anywhere: in the list, in its last entry, after it, by a line that ends
    # it, a document marker or a second entries: line on either side of it.
    monkeypatch.setattr(source, "SPLIT_SCAN_BYTES", 10**12)
    whole = chunked_shape(data)
    monkeypatch.setattr(source, "SPLIT_SCAN_BYTES", 0)
    assert chunked_shape(data) == whole
    assert no_child_left()


def test_a_large_ledger_is_searched_in_two_halves_and_read_the_same(
    monkeypatch: pytest.MonkeyPatch, split_scans: list[bool]
) -> None:
    text = ledger_of(300, *TRAPPED).decode("utf-8") + "# 完\nsource: 手工\n"
    monkeypatch.setattr(source, "SPLIT_SCAN_BYTES", 0)
    halves = read(text, monkeypatch, chunked=True)
    assert split_scans == [True]  # the helper searched the later half
    monkeypatch.setattr(source, "SPLIT_SCAN_BYTES", 10**12)
    assert halves == read(text, monkeypatch, chunked=True) == read(text, monkeypatch, chunked=False)


@settings(max_examples=300, deadline=None)
@given(scanned())
def test_the_two_halves_of_a_search_cut_at_any_line_find_what_the_whole_search_finds(data: bytes) -> None:
    # (source._Scan alone, every line break of the file tried as the cut)
    head = source._pattern(r"\nentries[ \t]*:[ \t]*(?:#[^\n]*)?\r?\n", True).search(data)
    assume(head is not None)
    filled = source._pattern(r"\n[ \t]*[^ \t\r\n#]", True).search(data, head.end() - 1)
    assume(filled is not None)
    first = source._pattern(r"( *)-[ \r\n]", True).match(data, filled.start() + 1)
    assume(first is not None)
    dash = len(first.group(1))
    body_start = data.rfind(b"\n", 0, first.start(1)) + 1
    scan = source._Scan(data, True, head.end(), body_start, dash)
    whole = scan.combined([scan.part(0, len(data))])
    cuts = [c for c in range(body_start + 1, len(data) - dash - 3) if data[c : c + 1] == b"\n"]
    for cut in cuts:
        assert scan.combined([scan.part(0, cut), scan.part(cut, len(data))]) == whole, cut
