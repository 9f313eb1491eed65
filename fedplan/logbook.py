"""Recording one progress entry (``fedplan log``'s core): what it is about, which ledger
it goes to, checking its year once with it added to the model read (``checked_with``,
after proving the bytes to be written read back so: ``read_back``), and writing it only
if the file is still what was read. No printing here: fedplan.commands.log hands the
result to fedplan.reporters.log.

Which ledger file gets the entry (the first rule that applies):

1. ``--file F``.
2. The year's progress file holding the newest entry for this target (or item), so a
   target's history stays in one place whatever the repository's layout.
3. The year's progress file holding the most entries for targets and items with the same
   牵头部门 (``owner``), e.g. ``fazhanbu.yaml`` for 发展部.
4. ``plans/<year>/progress/<owner>.yaml`` (the owner's name made safe for file names), or
   ``plans/<year>/progress/ledger.yaml`` when the item has no owner; created if missing.

One file per department is the default because two departments logging on two branches
then never touch the same file, so their pull requests never conflict.

The year is that of ``--date``; without it, that of the ``--file`` ledger, else this
year if it has a plan, else the newest plan's year. The entry's date must fall inside it.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import re
import unicodedata
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO

from fedplan import entries, records
from fedplan.dates import clip_to_year
from fedplan.diagnostics import Diagnostic, FedplanError
from fedplan.files import PLANS_DIR, SETTINGS_FILE, YAML_SUFFIXES
from fedplan.fsutil import atomic_write, locked, reason, write_files
from fedplan.ledger import (
    append_entries,
    appended,
    common_prefix,
    format_number,
    new_ledger,
    unsupported,
)
from fedplan.model import Document, Entry, Item, Number, Plan, Progress, Repository, Target
from fedplan.repo import Loaded, load_repository, read_alone, year_checked
from fedplan.scaffold import SCHEMA_DIR
from fedplan.schema.fields import MAGNITUDE_MAX, MAGNITUDE_MIN, SCIENTIFIC, plain_decimal
from fedplan.suggest import closest

if TYPE_CHECKING:
    from fedplan.status import TargetStatus

_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d+)?|\.\d+)")
# The number may not end before a digit, so "1111…1\n人\n" is not retried with every shorter
# number (each retry rescans the digits: quadratic). Only a value that is a number and spaces
# matched otherwise, and _NUMBER.fullmatch is asked first.
_NUMBER_WITH_SUFFIX = re.compile(rf"({_NUMBER.pattern})(?!\d)\s*(\S.*)")
_UNSAFE_IN_FILE_NAMES = re.compile(r'[\\/:*?"<>|\s]+')
DEFAULT_LEDGER = "ledger"


@dataclass(frozen=True)
class Subject:
    """What the entry is about: a target of the plan, or (for a narrative entry) an item."""

    item: Item
    target: Target | None = None

    @property
    def id(self) -> str:
        return self.target.id if self.target is not None else self.item.id


@dataclass(frozen=True)
class Recorded:
    """What ``record`` wrote, and what the reporter needs to say so."""

    path: str  # the ledger, relative to the root
    entry: Entry
    subject: Subject
    added: list[Diagnostic]  # warnings the new entry brought (errors refuse it)
    after: Loaded  # the repository with the entry in it
    status: TargetStatus | None  # the target's status after the entry (None for an item)
    total: str | None = None  # the --total the value was worked out from


class EntryRejected(FedplanError):
    """The entry would make the repository invalid; ``diagnostics`` say why (in ``sources``)."""

    def __init__(self, path: str, diagnostics: list[Diagnostic], sources: Mapping[str, str]) -> None:
        super().__init__(
            f"这条记录有错误，{path} 未作任何改动",
            code="entry-rejected",
            hint="按上面的提示改正命令参数后重试",
        )
        self.diagnostics = diagnostics
        self.sources = sources


def record(
    root: Path,
    *,
    target: str,
    value: str | None,
    done: bool,
    date: dt.date | None,
    note: str | None,
    by: str | None,
    file: Path | None,
    today: dt.date,
    cwd: Path | None = None,
    total: str | None = None,
) -> Recorded:
    """Add one entry to the ledger it belongs in (see the module docstring), or raise
    FedplanError (EntryRejected when the repository checks refuse it) with nothing written.
    A relative ``file`` is taken from ``cwd``, or failing that from ``root``."""
    # Read the year the entry goes to once, and check only it, before and after. The year
    # is known before reading when --date gives it, and is this year's when this year has
    # a plan; otherwise (--file, no plan this year) everything is read to find it.
    file_rel = ledger_path(root, file, cwd=cwd) if file is not None else None
    guess = date.year if date is not None else None if file_rel is not None else today.year
    loaded = load_repository(root, today=today, checks=False, year=guess)
    if guess is not None and date is None and loaded.repo.plan_for(guess) is None:
        loaded = load_repository(root, today=today, checks=False)
    repo = loaded.repo
    year = choose_year(repo, date=date, file_rel=file_rel, today=today)
    plan = repo.plan_for(year)
    if plan is None and loaded.skipped:  # say which years have a plan: read them all
        loaded = load_repository(root, today=today, checks=False)
        repo = loaded.repo
    if plan is None:
        unreadable = _unreadable_plan(loaded, year)
        if unreadable is not None:
            raise unreadable
        raise FedplanError(
            f"没有 {year} 年的工作要点，无法记录进展",
            code="no-plan",
            hint=_years_hint(repo) or "先用 fedplan new 或 fedplan init 建立当年计划",
        )
    entry_date = date or today
    if entry_date.year != year:
        raise FedplanError(
            f"日期 {entry_date.isoformat()} 不在 {year} 年度内",
            code="date-outside-year",
            hint=f"用 --date 写明 {year} 年内的日期，如 --date {year}-12-31",
        )
    subject = find_subject(plan, target)
    rel = file_rel or choose_ledger(repo, plan, subject)
    if rel in loaded.skipped:  # the ledger chosen by its folder says another year
        loaded = load_repository(root, today=today, checks=False)
        repo = loaded.repo
        plan = repo.plan_for(year) or plan
        subject = find_subject(plan, target)
    if total is not None:
        value = increment_for_total(repo, plan, subject, total, value=value, date=entry_date)
    entry = make_entry(subject, value=value, done=done, date=entry_date, note=note, by=by, path=rel)
    path = root / rel
    _refuse_link_outside(root, path, rel)
    # The read-check-write is one transaction: other fedplan processes wait for the lock,
    # then read what this one wrote; an editor (which takes no lock) saving meanwhile is
    # caught just before the rename and nothing is overwritten.
    with locked(path, shown=rel):
        change = _append(root, loaded, rel, (entry,), subject=subject, year=year)
        after, added, proven = checked_with(loaded, year, today=today, appended={rel: change})
        errors = [d for d in added if d.is_error]
        if errors:
            raise EntryRejected(rel, errors, after.sources)
        write_if_unchanged(path, rel, change)
    remember(root, loaded, after, {rel: change}, proven)  # (outside the lock: other logs wait on it)
    status = None
    if subject.target is not None:
        from fedplan.status import repository_status

        as_of = max(clip_to_year(today, year), entry.date)
        status = repository_status(after.repo, plan, as_of=as_of).target(subject.target.id)
    return Recorded(rel, entry, subject, added, after, status, total)


def increment_for_total(
    repo: Repository, plan: Plan, subject: Subject, total: str, *, value: str | None, date: dt.date
) -> str:
    """The VALUE to write for ``--total``: the figure to date less what the ledger already
    holds up to ``date`` (for ``measure: latest`` the figure itself is what is written)."""
    target = subject.target
    if value is not None:
        raise FedplanError(
            "数值和 --total 只能给一个", code="value-and-total",
            hint="数值是本次新增的完成数；--total 是截至该日的累计数，由 fedplan 算出本次新增", exit_code=2,
        )
    if target is None or target.is_milestone:
        kind = "工作事项" if target is None else "节点任务"
        raise FedplanError(
            f"“{subject.id}”是{kind}，没有累计数", code="total-on-non-numeric",
            hint="--total 只用于数值目标", exit_code=2,
        )
    figure = parse_value(total, target.unit)
    if target.measure == "latest":
        return format_number(figure)
    from fedplan.status import repository_status

    now = repository_status(repo, plan, as_of=date).target(target.id)
    so_far = now.actual if now is not None and not isinstance(now.actual, bool) else target.baseline
    increment = Decimal(str(figure)) - Decimal(str(so_far))
    if increment == 0:
        raise FedplanError(
            f"截至 {date.isoformat()}，台账中“{target.id}”已累计 {format_number(so_far)}{target.unit or ''}，"
            f"与 --total {total} 相同，没有新增",
            code="total-unchanged",
            hint="没有新的完成数就不必记录；要记文字进展，请对所属事项用 --note",
        )
    return format(increment.normalize(), "f")


def _unreadable_plan(loaded: Loaded, year: int) -> FedplanError | None:
    """The year's plan is there but could not be read: say why, as validate does."""
    for path, plan_year in loaded.repo.unread_plans:
        if plan_year in (year, None):
            problem = next((d for d in loaded.diagnostics if d.pos.path == path and d.is_error), None)
            if problem is not None:
                return FedplanError(
                    f"{year} 年的工作要点 {path} 无法读取：{problem.pos}: {problem.message}",
                    code=problem.code,
                    hint=problem.hint or "运行 fedplan validate 查看并改正",
                )
    return None


def choose_ledger(repo: Repository, plan: Plan, subject: Subject) -> str:
    """The relative path of the ledger an entry goes to, by rules 2–4 of the module docstring."""
    year = plan.year
    all_entries = [e for p in repo.progress if p.year == year for e in p.entries]
    own = [e for e in all_entries if (e.target or e.item) == subject.id]
    if own:
        return max(own, key=lambda e: e.date).path
    owner = subject.item.owner
    if owner:
        owned = {i.id for _, i in plan.items() if i.owner == owner}
        owned |= {t.id for _, i, t in plan.targets() if i.owner == owner}
        paths = Counter(e.path for e in all_entries if (e.target or e.item) in owned)
        if paths:
            return min(paths, key=lambda p: (-paths[p], p))
    name = _UNSAFE_IN_FILE_NAMES.sub("-", owner or "").strip(".-") or DEFAULT_LEDGER
    return f"{PLANS_DIR}/{year}/progress/{name}.yaml"


def choose_year(repo: Repository, *, date: dt.date | None, file_rel: str | None, today: dt.date) -> int:
    if date is not None:
        return date.year
    ledger = next((p for p in repo.progress if p.path == file_rel), None)
    if ledger is not None:
        return ledger.year
    years = repo.years()
    if today.year in years or not years:
        return today.year
    return years[-1]


def ledger_path(root: Path, file: Path, *, cwd: Path | None = None) -> str:
    """``--file`` relative to the root; a relative path is taken from ``cwd``, or failing
    that from the root (so ``-C repo log … --file plans/…`` works from anywhere)."""
    root = root.resolve()
    rel = ""
    for base in (cwd or root, root):
        absolute = (base / file).resolve()
        if absolute.is_relative_to(root):
            rel = absolute.relative_to(root).as_posix()
            break
    if not rel.startswith(f"{PLANS_DIR}/") or not rel.endswith(YAML_SUFFIXES):
        raise FedplanError(
            f"台账文件必须是仓库 plans/ 下的 .yaml 文件：{file}",
            code="ledger-outside-plans",
            hint="如 --file plans/2012/progress/发展部.yaml",
            exit_code=2,
        )
    return rel


def find_subject(plan: Plan, name: str) -> Subject:
    """The target or item ``name`` of ``plan``, or FedplanError with “是不是……” choices."""
    for _, item, target in plan.targets():
        if target.id == name:
            return Subject(item, target)
    found = plan.item(name)
    if found is not None:
        return Subject(found)
    choices = {t.id: t.name for _, _, t in plan.targets()}
    choices.update({i.id: i.title for _, i in plan.items()})
    by_name = {label: key for key, label in choices.items()}
    close = closest(name, choices, n=3, cutoff=0.5)
    close += [by_name[m] for m in closest(name, by_name, n=3, cutoff=0.4)]
    close = list(dict.fromkeys(close))[:3]
    hint = (
        "是不是：" + "；".join(f"{c}（{choices[c]}）" for c in close) + "？"
        if close
        else f"fedplan status {plan.year} --ids 列出全部目标的 id"
    )
    raise FedplanError(f"{plan.year} 年的工作要点中没有目标或事项“{name}”", code="unknown-target", hint=hint)


def parse_value(text: str, unit: str | None) -> Number:
    """A VALUE argument as a number; "1,200" and full-width digits are fine, "300人次" is not."""
    cleaned = unicodedata.normalize("NFKC", text).strip().replace(",", "")
    if _NUMBER.fullmatch(cleaned):
        number = float(cleaned)
        if abs(number) > MAGNITUDE_MAX or (number and abs(number) < MAGNITUDE_MIN):
            raise FedplanError(
                f"完成数“{text}”{'太大' if abs(number) > MAGNITUDE_MAX else '太小'}："
                "绝对值不能超过 1 万亿（10^12），不为 0 时不能小于 0.000001",
                code="number-magnitude",
                hint="检查是否多写了数字或少写了小数位",
            )
        return int(number) if number.is_integer() and "." not in cleaned else number
    if SCIENTIFIC.fullmatch(cleaned):
        raise FedplanError(
            f"完成数“{text}”是科学计数法，应直接写出数字",
            code="bad-value",
            hint=f"写 {plain_decimal(float(cleaned))}"
            if abs(float(cleaned)) <= MAGNITUDE_MAX
            else "检查是否多写了 e 后的指数：绝对值不能超过 1 万亿（10^12）",
        )
    with_suffix = _NUMBER_WITH_SUFFIX.fullmatch(cleaned)
    if with_suffix:
        raise FedplanError(
            f"完成数“{text}”带了单位或其他文字，只能写数字",
            code="bad-value",
            hint=f"写 {with_suffix.group(1)}"
            + (f"；单位“{unit}”已在计划中规定" if unit else "")
            + "，说明文字放在 --note 中",
        )
    raise FedplanError(
        f"完成数“{text}”不是数字", code="bad-value", hint="如 fedplan log farm-training 120"
    )


def make_entry(
    subject: Subject,
    *,
    value: str | None,
    done: bool,
    date: dt.date,
    note: str | None,
    by: str | None,
    path: str,
) -> Entry:
    """The entry the command line asked for, or FedplanError worded for the command line
    when it breaks a rule of fedplan.entries (a missing argument is a usage error, exit 2)."""
    if value is not None and done:
        raise FedplanError(
            "数值和 --done 只能给一个", code="value-and-done", hint="数值目标写数字，节点任务用 --done", exit_code=2
        )
    fields: dict[str, object] = {"note": note or ""}
    if value is not None:
        fields["value"] = True  # parsed below, once the target's unit is known
    if done:
        fields["done"] = True
    target = subject.target
    for broken in entries.breaks(entries.kind_of(target), fields):
        raise _refusal(broken.code, subject)
    if target is None:
        return Entry(path=path, date=date, item=subject.item.id, note=note or "", by=by)
    if target.is_milestone:
        return Entry(path=path, date=date, target=target.id, done=True, note=note or "", by=by)
    assert value is not None
    return Entry(path=path, date=date, target=target.id, value=parse_value(value, target.unit), note=note or "", by=by)


def _refusal(code: str, subject: Subject) -> FedplanError:
    """A rule of fedplan.entries broken on the command line, said in its options."""
    item, target = subject.item, subject.target
    if target is None:
        if code == "missing-note":
            return FedplanError(
                "工作事项的进展记录需要 --note 说明", code="missing-note", hint=f'如 fedplan log {item.id} --note "……"', exit_code=2
            )
        return FedplanError(
            f"“{item.id}”是工作事项，不是目标，只能记文字进展",
            code="value-on-item",
            hint=_targets_hint(item) or f'写 fedplan log {item.id} --note "……"',
        )
    if code == "value-on-milestone":
        return FedplanError(
            f"“{target.id}”是节点任务，没有数值", code="value-on-milestone", hint=f"完成后写 fedplan log {target.id} --done"
        )
    if code == "missing-done":
        return FedplanError(
            f"节点任务“{target.id}”要用 --done 记录完成", code="missing-done", hint=f"fedplan log {target.id} --done", exit_code=2
        )
    if code == "done-on-numeric":
        return FedplanError(
            f"“{target.id}”是数值目标（{format_number(target.target or 0)}{target.unit or ''}），不能用 --done",
            code="done-on-numeric",
            hint=f"写本次完成数，如 fedplan log {target.id} 20",
        )
    return FedplanError(
        f"数值目标“{target.id}”需要完成数", code="missing-value", hint=f"如 fedplan log {target.id} 20", exit_code=2
    )


def ledger_header(root: Path, rel: str, subject: Subject, year: int) -> str:
    """The comment lines at the top of a ledger ``fedplan log`` creates."""
    owner = subject.item.owner
    lines = []
    schema = root / SCHEMA_DIR / "progress.json"  # written by fedplan init
    if schema.is_file():
        relative = Path(os.path.relpath(schema, (root / rel).parent)).as_posix()
        lines.append(f"yaml-language-server: $schema={relative}")
    lines.append(f"{year}年{owner + '的' if owner else ''}进展台账（由 fedplan log 创建，可以手工编辑）。")
    lines.append("每条记录：date 日期；target 目标 id 加 value 本次完成数（节点任务写 done: true），")
    lines.append("或 item 事项 id 加 note 文字进展；note 说明、by 填报人可选。")
    return "\n".join(lines)


@dataclass(frozen=True)
class Appended:
    """A ledger given new entries: its bytes as read (None: it did not exist); the new file,
    ``original[:kept]`` followed by ``rest``; and the entries added, in the order written."""

    original: bytes | None
    kept: int
    rest: bytes
    entries: tuple[Entry, ...]

    def pieces(self) -> tuple[bytes | memoryview, ...]:
        """The new file's bytes in order, the old part a view (a large ledger is not copied)."""
        if self.original is None or not self.kept:
            return (self.rest,)
        return (memoryview(self.original)[: self.kept], self.rest)

    def data(self) -> bytes:
        """The new file's bytes joined (only where the whole is needed: a re-read, an excerpt)."""
        return b"".join(self.pieces())

    def tail(self, start: int) -> bytes:
        """The new file from ``start`` on (``start`` within the part kept from the old bytes)."""
        assert self.original is not None and start <= self.kept
        return self.original[start : self.kept] + self.rest


def _append(
    root: Path, loaded: Loaded, rel: str, new: tuple[Entry, ...], *, subject: Subject, year: int
) -> Appended:
    """``new`` added to the ledger ``rel`` as it is on disk now (under its lock), or to a new
    ledger if there is none."""
    original = _reread(root / rel, rel, loaded.sources.data(rel))
    if original is None:
        data = new_ledger(new[0], year=year, header=ledger_header(root, rel, subject, year))
        if new[1:]:
            data = append_entries(data, new[1:], path=rel)
        return Appended(None, 0, data, new)
    kept, rest = appended(original, new, path=rel, skip=_middle(loaded, rel, original))
    return Appended(original, kept, rest, new)


def _middle(loaded: Loaded, rel: str, now: bytes) -> tuple[int, int] | None:
    """Where the lines of the ledger's entries after its first and before its last (as
    ``loaded`` read it) start and end in its bytes ``now``, if each of the two is a dash line
    at the first entry's column and ``now`` still holds the bytes read up to there; None
    for a ledger of few entries (nothing to gain)."""
    old = next((p for p in loaded.repo.progress if p.path == rel), None)
    data = loaded.sources.data(rel)
    if old is None or data is None or len(old.entries) < 4:
        return None
    first = _line_start(data, old.entries[0].pos.line, forward=True)
    start = _line_start(data, old.entries[1].pos.line, forward=True)
    end = _line_start(data, old.entries[-1].pos.line)
    if first is None or start is None or end is None or not first < start < end:
        return None
    dashes = [_DASH_LINE.match(data, at) for at in (first, start, end)]
    if not all(dashes) or len({m.end() - m.start() for m in dashes if m}) != 1:
        return None
    if now is not data and not now.startswith(memoryview(data)[:end]):
        return None
    return start, end


def checked_with(
    loaded: Loaded, year: int, *, today: dt.date, appended: Mapping[str, Appended]
) -> tuple[Loaded, list[Diagnostic], frozenset[str]]:
    """The year checked with the ``appended`` ledgers in it, the problems the new entries
    bring (by file and code: see ``new_problems``), and the ledgers proven (``read_back``).

    The year is checked once, on ``loaded`` with the new entries added to the ledgers it
    read, when the bytes to be written prove to read back as exactly those ledgers' entries
    and the new ones (``read_back``): no second model of a large ledger is made. A problem
    anywhere but in the new lines may have been there before, so only then are the checks
    that report such problems run on the year as it was too, to tell. A ledger that cannot
    be proven so (a new file, one changed since it was read, an unusual layout) is read
    again whole from its new bytes, and the year checked as it was and as it will be."""
    documents: dict[str, tuple[Document, bytes | None]] = {}
    first_lines: dict[str, int] = {}
    for rel, change in appended.items():
        merged = read_back(loaded, rel, change)
        if merged is None:
            break
        documents[rel] = (merged, None)  # the text is added below if a problem is shown in it
        first_lines[rel] = merged.entries[-len(change.entries)].pos.line
    else:
        after = year_checked(loaded, year, today=today, documents=documents)
        fresh = Counter(after.diagnostics)
        fresh.subtract(loaded.diagnostics)
        added = sorted(fresh.elements())
        elsewhere = {d.code for d in added if d.pos.path not in first_lines or d.pos.line < first_lines[d.pos.path]}
        if elsewhere:
            from fedplan.checks import CHECKS

            again = tuple(c for c in CHECKS if c.codes & elsewhere) or CHECKS
            before = year_checked(loaded, year, today=today, checks=again)
            added = new_problems(before.diagnostics, after.diagnostics, first_lines)
        for rel in sorted({d.pos.path for d in added} & appended.keys()):  # to show them in
            after.sources.add(rel, appended[rel].data())
        return after, added, frozenset(documents)
    files = {rel: c.data() for rel, c in appended.items()}
    after = year_checked(loaded, year, today=today, overrides=files)
    for rel, change in appended.items():
        _refuse_if_changed(loaded, after, rel, change)
    before = year_checked(loaded, year, today=today)
    first_lines = {rel: _first_changed_line(c.original, files[rel]) for rel, c in appended.items()}
    return after, new_problems(before.diagnostics, after.diagnostics, first_lines), frozenset()


def remember(
    root: Path, loaded: Loaded, after: Loaded, written: Mapping[str, Appended], proven: frozenset[str]
) -> None:
    """Keep each ledger just written whose new bytes were ``proven`` to read back as the
    document ``after`` holds (``read_back``) in the parse cache as what reading those bytes
    gives: that document and the reading problems the ledger had (a proven tail has none).
    Otherwise the next command reads the whole ledger again, as its bytes changed."""
    from fedplan import parsecache

    cache = parsecache.open_cache(root, loaded.sources.data(SETTINGS_FILE) or b"")
    if cache is None:
        return
    for rel, change in written.items():
        document = next((p for p in after.repo.progress if p.path == rel), None)
        if document is not None and rel in proven:
            found = tuple(d for d in loaded.diagnostics if d.pos.path == rel)
            cache.put(rel, change.data(), (True, document, found))
    cache.flush()


def _refuse_if_changed(loaded: Loaded, after: Loaded, rel: str, change: Appended) -> None:
    """Refuse new bytes that do not read back as the ledger's entries as they were read
    (when they were read from the same bytes) followed by the new ones."""
    now = next((p for p in after.repo.progress if p.path == rel), None)
    if now is None:
        return  # unreadable, or not a ledger: its problems are reported as new
    old = next((p for p in loaded.repo.progress if p.path == rel), None)
    was = old.entries if old is not None and loaded.sources.data(rel) == change.original else None
    if change.original is None:
        was = ()
    new = now.entries[len(now.entries) - len(change.entries) :]
    if list(new) != list(change.entries) or (was is not None and now.entries[: len(was)] != was):
        raise unsupported(rel, "追加后读出的记录与原有记录加新记录不符")


_DASH_LINE = re.compile(rb" *-[ \r\n]")


def read_back(loaded: Loaded, rel: str, change: Appended) -> Progress | None:
    """The ledger ``rel`` as ``loaded`` read it with ``change.entries`` added (and any entries
    appended by someone else since it was read) — if the bytes to be written are proven to
    read back as exactly that, else None.

    The proof, without reading the whole file again: the bytes the entries were appended to
    are those ``loaded`` read, at least up to the line of the ledger's last entry; the new
    bytes keep every byte before that line; and that line and all after it, read as a
    ledger's entries at the lines they are on (a small document: blank lines, a
    ``kind``/``year`` head, then the tail), are that last entry exactly as it was read
    (values and positions), the entries the file gained since (read the same way from the
    bytes appended to), then the new entries, with no problem. A block list's entries
    before a line that starts one of them are read the same whatever follows that line, so
    the file reads as the old entries, those gained since, and the new ones."""
    original, was = change.original, loaded.sources.data(rel)
    old = next((p for p in loaded.repo.progress if p.path == rel), None)
    if original is None or was is None or old is None or not old.entries:
        return None
    last = old.entries[-1]
    if any(at.line >= last.pos.line for key, at in old.spans.items() if key != "entries"):
        return None  # a key after the entries: its line moves down, read the new bytes whole
    start = _line_start(was, last.pos.line) if _breaks_are_newlines(was) else None
    if start is None or not _DASH_LINE.match(was, start) or start > change.kept:
        return None
    since: list[Entry] = []
    if original is not was:  # changed since it was read: by appending, or it is read whole
        if not original.startswith(memoryview(was)[:start]):
            return None
        gained = _tail_entries(loaded, rel, old.year, last.pos.line, original[start:])
        if gained is None or not gained or not _same(gained[0], last):
            return None
        since = gained[1:]
    found = _tail_entries(loaded, rel, old.year, last.pos.line, change.tail(start))
    count = len(change.entries)
    if found is None or len(found) != 1 + len(since) + count or not _same(found[0], last):
        return None
    if found[1 : 1 + len(since)] != since or found[1 + len(since) :] != list(change.entries):
        return None
    return records.replace(old, entries=old.entries + tuple(found[1:]))


def _tail_entries(loaded: Loaded, rel: str, year: int, line: int, tail: bytes) -> list[Entry] | None:
    """The entries of ``tail``, a ledger's lines from its 1-based ``line`` on, read at the
    lines they are on; None if they do not read as entries without a problem."""
    # The blank lines come first: a run of them after "entries:" is slow to look past.
    head = b"kind: progress\nyear: %d\nentries:\n" % year
    blank = line - 1 - head.count(b"\n")
    if blank < 0:
        return None
    document, found = read_alone(rel, b"\n" * blank + head + tail, loaded.repo.settings)
    if found or not isinstance(document, Progress):
        return None
    return list(document.entries)


def _same(entry: Entry, was: Entry) -> bool:
    """Whether ``entry`` is ``was``, read again: its values and where each was written."""
    return entry == was and entry.pos == was.pos and dict(entry.spans) == dict(was.spans)


_OTHER_BREAKS = tuple(c.encode() for c in "\x85\u2028\u2029")  # NEL, LS, PS


def _breaks_are_newlines(data: bytes) -> bool:
    """Whether the lines YAML counts in ``data`` are those its ``\\n`` end (no NEL, LS, PS
    or lone CR), so that a line of a position can be found by counting them."""
    return not any(b in data for b in _OTHER_BREAKS) and data.count(b"\r") == data.count(b"\r\n")


def _line_start(data: bytes, line: int, *, forward: bool = False) -> int | None:
    """Where the 1-based ``line`` of ``data`` starts, counted from the start (``forward``) or
    back from the end, whichever the line sought is near; None past the end."""
    if forward:
        at = -1
        for _ in range(line - 1):
            at = data.find(b"\n", at + 1)
            if at < 0:
                return None
        return at + 1
    total = data.count(b"\n")
    if not 1 <= line <= total + 1:
        return None
    at = len(data)
    for _ in range(total - line + 2):
        at = data.rfind(b"\n", 0, at)
    return at + 1


def new_problems(before: list[Diagnostic], after: list[Diagnostic], first_lines: Mapping[str, int]) -> list[Diagnostic]:
    """Problems ``after`` has that ``before`` had not (by file and code, so shifted lines
    match); ``first_lines``: each changed file's first new line."""
    seen = Counter((d.pos.path, d.code) for d in before)
    # Problems inside the new lines are matched last, so an old problem of the same kind
    # elsewhere never hides the one the new entry brought.
    ordered = sorted(after, key=lambda d: d.pos.path in first_lines and d.pos.line >= first_lines[d.pos.path])
    added = []
    for diag in ordered:
        key = (diag.pos.path, diag.code)
        if seen[key]:
            seen[key] -= 1
        else:
            added.append(diag)
    return sorted(added)


def write_if_unchanged(path: Path, rel: str, change: Appended) -> None:
    """Write ``change`` to ``path`` atomically, unless the file is no longer ``change.original``
    (None: it did not exist) — someone saved it since it was read; FedplanError either way
    it fails. The comparison is made with the new bytes already staged, just before the
    rename; a save that lands between the two is kept (_Watched)."""
    watched = _Watched()

    def unchanged() -> None:
        if not watched.holds(path, rel, change.original):
            raise FedplanError(
                f"{rel} 在读取之后被修改过，为免覆盖他人的改动，未写入",
                code="file-changed",
                hint="重新运行同一条 fedplan log 命令即可",
            )

    try:
        atomic_write(path, change.pieces(), shown=rel, before_rename=unchanged)
        watched.settle()
    finally:
        watched.close()


class _Watched:
    """The ledgers as compared just before the rename, kept open through it: an editor takes
    no lock, and a save of it that lands between the comparison and the rename goes to the
    file the rename replaces. Seen after the rename (the open file's size or time moved),
    what it appended is appended to the new file too; any other change is put back and the
    entry is not written (file-changed). (POSIX only: Windows does not rename over an open
    file.)"""

    def __init__(self) -> None:
        self.kept: list[tuple[Path, str, bytes, BinaryIO, int, int]] = []

    def holds(self, path: Path, rel: str, data: bytes | None) -> bool:
        """_holds, through a handle kept open (on POSIX) when the file holds ``data``."""
        if data is None or os.name != "posix":
            return _holds(path, rel, data)
        try:
            handle = path.open("rb")
        except FileNotFoundError:
            return False
        except OSError as exc:
            raise _unreadable(rel, exc) from None
        try:
            if not _reads_as(handle, data):
                handle.close()
                return False
            info = os.fstat(handle.fileno())
        except OSError as exc:
            handle.close()
            raise _unreadable(rel, exc) from None
        self.kept.append((path, rel, data, handle, info.st_size, info.st_mtime_ns))
        return True

    def settle(self) -> None:
        for path, rel, data, handle, size, mtime in self.kept:
            now = os.fstat(handle.fileno())
            if (now.st_size, now.st_mtime_ns) == (size, mtime):
                continue
            handle.seek(0)
            saved = handle.read()
            if saved.startswith(data):  # appended to: so is the new file, after the entry
                with path.open("ab") as out:
                    out.write(saved[len(data) :])
                continue
            atomic_write(path, saved, shown=rel)  # its save, back in place
            raise FedplanError(
                f"{rel} 在写入的同时被修改过，已恢复为修改后的内容，未写入",
                code="file-changed",
                hint="重新运行同一条 fedplan log 命令即可",
            )

    def close(self) -> None:
        for kept in self.kept:
            kept[3].close()
        self.kept.clear()


_PIECE = 1 << 20


def _holds(path: Path, rel: str, data: bytes | None) -> bool:
    """Whether the ledger at ``path`` holds exactly ``data`` (None: does not exist), read a
    piece at a time: a large ledger is compared, never read into memory a second time."""
    try:
        with path.open("rb") as handle:
            return data is not None and _reads_as(handle, data)
    except FileNotFoundError:
        return data is None
    except OSError as exc:
        raise _unreadable(rel, exc) from None


def _reads_as(handle: BinaryIO, data: bytes) -> bool:
    """Whether what is left to read of ``handle`` is exactly ``data``, a piece at a time."""
    at = 0
    while piece := handle.read(_PIECE):
        if not data.startswith(piece, at):
            return False
        at += len(piece)
    return at == len(data)


def _reread(path: Path, rel: str, was: bytes | None) -> bytes | None:
    """The ledger's bytes now (None if it does not exist yet): ``was``, the bytes it was read
    from, if it still holds them, so the two are not both kept."""
    if was is not None and _holds(path, rel, was):
        return was
    return _read_ledger(path, rel)


def _read_ledger(path: Path, rel: str) -> bytes | None:
    """The ledger's bytes, None if it does not exist yet."""
    try:
        return path.read_bytes()
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise _unreadable(rel, exc) from None


def _unreadable(rel: str, exc: OSError) -> FedplanError:
    return FedplanError(
        f"无法读取台账 {rel}：{reason(exc)}，未作改动", code="unreadable-ledger", hint="检查这个文件的读取权限"
    )


def _refuse_link_outside(root: Path, path: Path, rel: str) -> None:
    if path.is_symlink() and not Path(os.path.realpath(path)).is_relative_to(os.path.realpath(root)):
        raise FedplanError(
            f"台账 {rel} 是指向仓库以外的符号链接，未写入",
            code="ledger-outside-plans",
            hint="把台账文件本身放进仓库（链接只能指向仓库内的文件）",
        )


def _first_changed_line(original: bytes | None, data: bytes) -> int:
    if original is None:
        return 1
    return data.count(b"\n", 0, common_prefix(original, data)) + 1


def _targets_hint(item: Item) -> str:
    if not item.targets:
        return ""
    return "该事项的目标：" + "；".join(f"{t.id}（{t.name}）" for t in item.targets)


def _years_hint(repo: Repository) -> str:
    years = repo.years()
    if not years:
        return ""
    return "已有计划的年度：" + "、".join(str(y) for y in years) + "；用 --date 指定该年内的日期"


# --- many entries at once: log --from a spreadsheet ---------------------------------------


@dataclass(frozen=True)
class Batch:
    """What ``record_batch`` wrote (or, on a dry run, would write)."""

    by_ledger: dict[str, list[Entry]]  # ledger path → its new entries, in sheet order
    added: list[Diagnostic]  # warnings the new entries brought (errors refuse them all)
    after: Loaded  # the repository with the entries in it
    statuses: list[TargetStatus]  # the targets the entries touched, as they now stand
    written: bool


def record_batch(
    root: Path,
    loaded: Loaded,
    plan: Plan,
    new: list[Entry],
    *,
    today: dt.date,
    dry_run: bool = False,
) -> Batch:
    """Add ``new`` (entries of ``plan``'s year without a path) each to the ledger it belongs
    in, check the repository once with all of them, then write every ledger — or raise
    (EntryRejected) with nothing written. Each ledger is written only if it is still what
    was read; they are all checked before the first is written."""
    repo = loaded.repo
    by_ledger: dict[str, list[Entry]] = {}
    ledger_of: dict[str, str] = {}  # subject id → its ledger, chosen once per subject
    for entry in new:
        subject_id = entry.target or entry.item or ""
        if subject_id not in ledger_of:
            ledger_of[subject_id] = choose_ledger(repo, plan, find_subject(plan, subject_id))
        rel = ledger_of[subject_id]
        by_ledger.setdefault(rel, []).append(records.replace(entry, path=rel))
    # Every ledger is locked (in one order, so two batches cannot wait on each other) for
    # the whole read-check-write, and all are written or none.
    with contextlib.ExitStack() as held:
        for rel in sorted(by_ledger):
            _refuse_link_outside(root, root / rel, rel)
            held.enter_context(locked(root / rel, shown=rel))
        return _record_batch_locked(root, loaded, plan, new, by_ledger, today=today, dry_run=dry_run)


def _record_batch_locked(
    root: Path,
    loaded: Loaded,
    plan: Plan,
    new: list[Entry],
    by_ledger: dict[str, list[Entry]],
    *,
    today: dt.date,
    dry_run: bool,
) -> Batch:
    appended: dict[str, Appended] = {}
    for rel, ledger_entries in by_ledger.items():
        first = ledger_entries[0]
        subject = find_subject(plan, first.target or first.item or "")
        appended[rel] = _append(root, loaded, rel, tuple(ledger_entries), subject=subject, year=plan.year)
    after, added, proven = checked_with(loaded, plan.year, today=today, appended=appended)
    errors = [d for d in added if d.is_error]
    if errors:
        raise EntryRejected("、".join(appended), errors, after.sources)
    touched = list(dict.fromkeys(e.target for e in new if e.target is not None))
    statuses: list[TargetStatus] = []
    if touched:
        from fedplan.status import repository_status

        as_of = max([clip_to_year(today, plan.year), *(e.date for e in new)])
        status = repository_status(after.repo, plan, as_of=as_of)
        statuses = [s for s in (status.target(t) for t in touched) if s is not None]
    if not dry_run:

        watched = _Watched()

        def unchanged() -> None:
            for rel, change in appended.items():
                if not watched.holds(root / rel, rel, change.original):
                    raise FedplanError(
                        f"{rel} 在读取之后被修改过，为免覆盖他人的改动，未写入任何记录",
                        code="file-changed",
                        hint="重新运行同一条命令即可（已写入的记录不会重复记入）",
                    )

        try:
            write_files({root / rel: c.pieces() for rel, c in appended.items()}, shown={root / rel: rel for rel in appended},
                        before_rename=unchanged)
            watched.settle()
        finally:
            watched.close()
        remember(root, loaded, after, appended, proven)
    return Batch(by_ledger, added, after, statuses, written=not dry_run)
