"""A plan repository on disk (or at a git revision): finding its root, reading every document."""

from __future__ import annotations

import datetime as dt
import re
import sys
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from fedplan import bulk, dates, model
from fedplan.diagnostics import Diagnostic, FedplanError
from fedplan.files import (
    PLANS_DIR,
    SETTINGS_FILE,
    YAML_SUFFIXES,
    disk_files,
    is_repository,
    read_disk,
)
from fedplan.records import field, record

# The reading code (fedplan.source, fedplan.schema: PyYAML, the field types, the walk) is
# imported by the first file the parse cache does not hold: a warm run reads none.

if TYPE_CHECKING:
    from fedplan.checks import Check
    from fedplan.parsecache import ParseCache
    from fedplan.source import SourceFile

# fedplan.files' names stay importable from here for callers written before it existed.
__all__ = ["PLANS_DIR", "SETTINGS_FILE", "YAML_SUFFIXES", "Checked", "Loaded", "Sources", "check_repository",
           "check_selection", "disk_files", "document_at", "find_root", "load_files", "load_repository", "read_files", "refuse_if_errors", "relative"]


def find_root(start: Path, explicit: Path | None = None) -> Path:
    """The repository root: ``explicit`` (-C), else the nearest folder upwards holding
    ``fedplan.yaml`` or ``plans/`` (as git finds its root)."""
    if explicit is not None:
        if not explicit.is_dir():
            raise FedplanError(
                f"目录不存在：{explicit}", code="no-such-directory", hint="检查 -C 后面的路径", exit_code=2
            )
        return explicit.resolve()
    here = start.resolve()
    for folder in (here, *here.parents):
        if is_repository(folder):
            return folder
    raise FedplanError(
        f"这里不是计划仓库：{here} 及其上级目录中都没有 fedplan.yaml 或 plans/",
        code="no-repository",
        hint="进入计划仓库再运行，或用 -C 指定目录；新建仓库请运行 fedplan init",
    )


class Sources(Mapping[str, str]):
    """The text of every file that could be decoded, by relative path, decoded when asked.

    Only a few are ever asked for (the files a diagnostic points into, the reports whose
    bodies are checked), so the bytes are kept and each text is decoded on first use: a
    large repository held both, its text doubling what a load kept.
    """

    def __init__(self, data: Mapping[str, bytes] | None = None) -> None:
        self._data: dict[str, bytes] = dict(data or {})
        self._text: dict[str, str] = {}

    def add(self, rel: str, data: bytes) -> None:
        self._data[rel] = data
        self._text.pop(rel, None)

    def data(self, rel: str) -> bytes | None:
        """The bytes the file ``rel`` was read from (None if it is not here)."""
        return self._data.get(rel)

    def remove(self, rel: str) -> None:
        self._data.pop(rel, None)
        self._text.pop(rel, None)

    def copy(self) -> Sources:
        copied = Sources(self._data)
        copied._text.update(self._text)
        return copied

    def __getitem__(self, rel: str) -> str:
        text = self._text.get(rel)
        if text is None:
            from fedplan.source import decode

            text = decode(rel, self._data[rel])[0]
            if text is None:  # pragma: no cover - only decodable files are added
                raise KeyError(rel)
            self._text[rel] = text
        return text

    def __contains__(self, rel: object) -> bool:
        return rel in self._data

    def __iter__(self) -> Iterator[str]:
        return iter(self._data)

    def __len__(self) -> int:
        return len(self._data)


@record(frozen=False)
class Loaded:
    """A repository as read, with every problem found while reading and checking it."""

    repo: model.Repository
    diagnostics: list[Diagnostic] = field(default_factory=list)
    sources: Sources = field(default_factory=Sources)
    # Files not read because their year line says another year (``load_files(year=)``).
    skipped: frozenset[str] = frozenset()

    @property
    def has_errors(self) -> bool:
        return any(d.is_error for d in self.diagnostics)

    def errors(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.is_error]


def read_files(
    root: Path,
    *,
    rev: str | None = None,
    overrides: Mapping[str, bytes] | None = None,
    problems: list[Diagnostic] | None = None,
) -> dict[str, bytes]:
    """The repository's files (fedplan.files decides which) from the disk, or as committed
    at git revision ``rev``; ``overrides`` replace or add files. Sorted by relative path.
    What the disk would not give goes into ``problems``."""
    if rev is not None:
        from fedplan.history import files_at

        files = files_at(root, rev)
    else:
        files = read_disk(root, problems)
    if overrides:
        files.update(overrides)
    return dict(sorted(files.items()))


def load_repository(
    root: Path,
    *,
    rev: str | None = None,
    only: list[Path] | None = None,
    overrides: Mapping[str, bytes] | None = None,
    today: dt.date | None = None,
    checks: bool = True,
    cwd: Path | None = None,
    year: int | None = None,
) -> Loaded:
    """Read, type and check every document of the repository at ``root`` (``read_files``,
    then ``load_files``; ``year`` reads only that year's files, see there).

    ``only`` keeps the diagnostics of those files or folders (the whole repository is still
    read, since references cross files); a relative one is taken from ``cwd`` (see
    ``relative``).
    """
    problems: list[Diagnostic] = []
    files = _gathered(root, rev, only, cwd, overrides, problems)
    cache = _cache(root, files)
    if cache is not None and rev is None and year is None and checks:
        # The checks' result is the one check_repository keeps (validate's): taken from the
        # cache when nothing it depends on changed, kept for the next command otherwise.
        day = today or dates.today()
        stamp, kept = _recalled(cache, files, root, day)
        probes: dict[str, str] = {}
        found: Sequence[Diagnostic]
        if kept is not None:
            loaded = load_files(root, files, today=day, checks=False, cache=cache)
            found = kept[0]
        else:
            loaded = load_files(root, files, today=day, cache=cache, probes=probes)
            found = loaded.diagnostics
        cache.flush()
        cache.prune()
        if kept is None:
            _remember(cache, stamp, loaded, probes)
        loaded.diagnostics = sorted([*problems, *found])
    else:
        loaded = load_files(root, files, today=today, checks=checks, problems=problems, cache=cache, year=year)
        if cache is not None:
            cache.flush()
        if cache is not None and rev is None and year is None:
            cache.prune()  # (a partial read has not seen the files it skipped)
    if only is not None:
        loaded.diagnostics = [d for d in loaded.diagnostics if _selected(d.pos.path, root, only, cwd)]
    return loaded


@record(frozen=False)
class Checked:
    """What ``validate`` reports of a repository: every diagnostic (sorted), the files'
    text for the lines shown under them, the codes fedplan.yaml says to ignore."""

    diagnostics: list[Diagnostic]
    sources: Sources
    ignore: tuple[str, ...] = ()


# The parse cache's entry for check_repository's result.
_CHECKED = "check:repository"


def check_repository(
    root: Path,
    *,
    rev: str | None = None,
    only: list[Path] | None = None,
    cwd: Path | None = None,
    today: dt.date | None = None,
) -> Checked:
    """The diagnostics ``load_repository`` finds, without the model: what ``validate`` needs.

    With the parse cache on, the result is kept, stamped with everything it comes from:
    every file's path and bytes (fedplan.yaml's too), the day (checks of dates: stale
    targets, future entries), fedplan's code (every module), the root and Python; and
    what the checks looked up on the disk (an evidence file there or not), looked up
    again. A run where none of it changed takes the kept result and reads, types and
    checks nothing: a warm ``validate`` is the files' digests and this one entry. The
    problems met gathering the files are found again each time.
    """
    problems: list[Diagnostic] = []
    files = _gathered(root, rev, only, cwd, None, problems)
    day = today or dates.today()
    cache = _cache(root, files)
    keep = cache is not None and rev is None  # (at a git revision, the files come from git)
    stamp = b""
    if cache is not None and keep:
        stamp, kept = _recalled(cache, files, root, day)
        if kept is not None:
            found, decoded, ignore = kept
            sources = Sources({rel: files[rel] for rel in decoded})
            return Checked(_kept_only(sorted([*problems, *found]), root, only, cwd), sources, ignore)
    probes: dict[str, str] = {}
    loaded = load_files(root, files, today=day, cache=cache, probes=probes)
    if cache is not None:
        cache.flush()
    if cache is not None and keep:
        cache.prune()
        _remember(cache, stamp, loaded, probes)
    diagnostics = sorted([*problems, *loaded.diagnostics])
    return Checked(_kept_only(diagnostics, root, only, cwd), loaded.sources, loaded.repo.settings.ignore)


def _recalled(
    cache: ParseCache, files: Mapping[str, bytes], root: Path, day: dt.date
) -> tuple[bytes, tuple[tuple[Diagnostic, ...], tuple[str, ...], tuple[str, ...]] | None]:
    """The stamp of the checks' result on ``files`` (see check_repository) and, if the cache
    keeps one with it and the disk still answers the checks' look-ups as it did, that
    result: every diagnostic but the gathering's problems, the files that decoded, the
    codes fedplan.yaml ignores."""
    from fedplan.parsecache import package_version

    cache.note(dict(files))
    stamp = b"\0".join((package_version(), str(root).encode("utf-8", "surrogateescape"), day.isoformat().encode(), sys.version.encode()))
    kept = cache.recall(_CHECKED, stamp)
    if kept is None:
        return stamp, None
    found, decoded, ignore, looked = kept
    return stamp, ((found, decoded, ignore) if _probes_hold(root, looked) else None)


def _remember(cache: ParseCache, stamp: bytes, loaded: Loaded, probes: dict[str, str]) -> None:
    """Keep the checks' result of ``loaded`` (its diagnostics, without the gathering's problems) under ``stamp``."""
    result = (tuple(loaded.diagnostics), tuple(loaded.sources), loaded.repo.settings.ignore, tuple(probes.items()))
    cache.remember(_CHECKED, result, stamp, bounded=True)


def _probes_hold(root: Path, probes: tuple[tuple[str, str], ...]) -> bool:
    """Whether the disk still answers each of the checks' look-ups (CheckContext.where) as it did."""
    if not probes:
        return True
    from fedplan.files import where_under

    return all(where_under(root, rel) == state for rel, state in probes)


def _kept_only(diagnostics: list[Diagnostic], root: Path, only: list[Path] | None, cwd: Path | None) -> list[Diagnostic]:
    if only is None:
        return diagnostics
    return [d for d in diagnostics if _selected(d.pos.path, root, only, cwd)]


def _gathered(
    root: Path,
    rev: str | None,
    only: list[Path] | None,
    cwd: Path | None,
    overrides: Mapping[str, bytes] | None,
    problems: list[Diagnostic],
) -> dict[str, bytes]:
    """The repository's files (``read_files``), the selection ``only`` checked against them;
    a folder without plans/ is refused."""
    files = read_files(root, rev=rev, overrides=overrides, problems=problems)
    if only:
        check_selection(root, only, files, cwd=cwd)
    if not files and rev is None and not (root / PLANS_DIR).is_dir():
        raise FedplanError(
            f"{root} 中没有 plans/ 目录",
            code="no-plans",
            hint="新建仓库请运行 fedplan init",
        )
    return files


def _cache(root: Path, files: Mapping[str, bytes]) -> ParseCache | None:
    from fedplan import parsecache

    return parsecache.open_cache(root, files.get(SETTINGS_FILE, b""))


def load_files(
    root: Path,
    files: Mapping[str, bytes],
    *,
    today: dt.date | None = None,
    checks: bool = True,
    problems: list[Diagnostic] | None = None,
    cache: ParseCache | None = None,
    year: int | None = None,
    probes: dict[str, str] | None = None,
) -> Loaded:
    """Read, type and check the documents ``files`` (relative path → bytes) of the
    repository at ``root`` — from the disk, a git revision, or anywhere else.

    Nothing is raised for problems in the data: they are Diagnostics on the result, all of
    them (with ``problems`` met while gathering the files), sorted. ``checks=False`` skips
    the cross-document checks.

    With ``year``, a file whose bytes hold exactly one top-level ``year:`` line, naming
    another year, is not read at all (``Loaded.skipped``): ``log`` checks one year, and
    composing every other year's files was nearly all its time on a repository of many
    years. The settings and files of no year (or of an unclear one) are always read.
    """
    diagnostics: list[Diagnostic] = list(problems or ())
    sources = Sources()
    settings = model.Settings()
    if SETTINGS_FILE in files:
        settings = _load_settings(files[SETTINGS_FILE], diagnostics, sources, cache)
    documents: list[model.Document] = []
    unread_plans: list[tuple[str, int | None]] = []
    skipped: list[str] = []
    for rel, data in files.items():
        if rel == SETTINGS_FILE:
            continue
        if year is not None and _declared_year(data) not in (year, None):
            skipped.append(rel)
            continue
        decoded, document, found = _read_one(rel, data, settings, cache)
        diagnostics.extend(found)
        if decoded:
            sources.add(rel, data)
        if document is not None:
            documents.append(document)
        elif _looks_like_plan(rel, data):
            unread_plans.append((rel, _plan_year_of(rel, data)))
    repo = model.Repository(
        root=root,
        settings=settings,
        plans=tuple(d for d in documents if isinstance(d, model.Plan)),
        progress=tuple(d for d in documents if isinstance(d, model.Progress)),
        reports=tuple(d for d in documents if isinstance(d, model.Report)),
        proposals=tuple(d for d in documents if isinstance(d, model.Proposal)),
        unread_plans=tuple(unread_plans),
        assessments=tuple(d for d in documents if isinstance(d, model.Assessment)),
    )
    if checks:
        from fedplan.checks import run_checks

        diagnostics.extend(run_checks(repo, today=today or dates.today(), sources=sources, cache=cache, probes=probes))
    loaded = Loaded(repo, sorted(diagnostics), sources, frozenset(skipped))
    bulk.keep(loaded)  # (a process that leaves without freeing it: fedplan.cli.entry)
    return loaded


def year_checked(
    loaded: Loaded,
    year: int,
    *,
    today: dt.date,
    overrides: Mapping[str, bytes] | None = None,
    documents: Mapping[str, tuple[model.Document, bytes | None]] | None = None,
    checks: Sequence[Check] | None = None,
) -> Loaded:
    """``loaded`` (read with ``checks=False``) with the files ``overrides`` read in its
    place, and the checks run on the documents of ``year`` only (with the settings and the
    documents of no year) — what ``log`` needs to see whether the entries it adds to
    ``year`` bring a problem, without checking every other year again. The diagnostics are
    every file's reading problems and the year's checks.

    ``documents`` are files already read by the caller (relative path → the document and
    the file's new bytes, None to leave the file's text out of ``sources``): taken as they
    are, with the reading problems ``loaded`` has for them (``log`` proves that what it
    appended reads back as the entries it made, and adds them to the document it read).
    ``checks``: run only these (fedplan.checks.CHECKS unless told)."""
    repo = loaded.repo
    diagnostics = list(loaded.diagnostics)
    sources = loaded.sources.copy()
    replaced: dict[str, model.Document | None] = {}
    for rel, (given, new_data) in (documents or {}).items():
        if new_data is None:
            sources.remove(rel)
        else:
            sources.add(rel, new_data)
        replaced[rel] = given
    for rel, data in (overrides or {}).items():
        decoded, document, found = _read_one(rel, data, repo.settings, None)
        diagnostics = [d for d in diagnostics if d.pos.path != rel] + found
        if decoded:
            sources.add(rel, data)
        else:
            sources.remove(rel)
        replaced[rel] = document

    # The year, and that of every file replaced, as it was and as it is now (a ledger of
    # 2013 given an entry of 2012 is an error only a check of 2013 sees).
    years = {year, None} | {getattr(d, "year", None) for d in replaced.values()}
    years |= {getattr(d, "year", None) for d in repo.documents() if getattr(d, "path", None) in replaced}

    def scoped(documents: tuple[Any, ...], kind: type) -> tuple[Any, ...]:
        kept = [d for d in documents if d.path not in replaced]
        kept += [d for d in replaced.values() if isinstance(d, kind)]
        return tuple(d for d in kept if d.year in years)

    scope = model.Repository(
        root=repo.root,
        settings=repo.settings,
        plans=scoped(repo.plans, model.Plan),
        progress=scoped(repo.progress, model.Progress),
        reports=scoped(repo.reports, model.Report),
        proposals=scoped(repo.proposals, model.Proposal),
        unread_plans=tuple(u for u in repo.unread_plans if u[1] in years and u[0] not in replaced),
        assessments=scoped(repo.assessments, model.Assessment),
    )
    from fedplan.checks import CHECKS, run_checks

    diagnostics.extend(run_checks(scope, today=today, sources=sources, checks=CHECKS if checks is None else checks))
    return Loaded(scope, sorted(diagnostics), sources, loaded.skipped - replaced.keys())


def read_alone(rel: str, data: bytes, settings: model.Settings) -> tuple[model.Document | None, list[Diagnostic]]:
    """The document the bytes ``data`` hold as the file ``rel``, read on their own (no cache),
    and every problem reading them met."""
    _, document, found = _read_one(rel, data, settings, None)
    return document, found


def _read_one(
    rel: str, data: bytes, settings: model.Settings, cache: ParseCache | None
) -> tuple[bool, model.Document | None, list[Diagnostic]]:
    """Decode, compose and walk one file — or take what that gave last time from ``cache``:
    whether it decoded, its document (None if unreadable) and every diagnostic of the two
    steps."""
    if cache is not None:
        kept = cache.get(rel, data)
        if kept is not None:
            decoded, document, found = kept
            return decoded, document, list(found)
    from fedplan.schema import read_document
    from fedplan.source import ChunkFailed

    source = read(rel, data, chunked=True)
    found = list(source.diagnostics)
    document = None
    if source.node is not None:
        try:
            document, walked = read_document(rel, source.node, settings)
        except ChunkFailed:  # a large ledger that will not read in chunks: read it whole
            source = read(rel, data)
            found = list(source.diagnostics)
            document, walked = read_document(rel, source.node, settings) if source.node is not None else (None, [])
        found.extend(walked)
    if cache is not None:
        cache.put(rel, data, (source.decoded, document, tuple(found)))
    return source.decoded, document, found


def read(rel: str, data: bytes, *, chunked: bool = False) -> SourceFile:
    """fedplan.source.read, imported when the first file is read (a warm run reads none)."""
    from fedplan.source import read as read_source

    return read_source(rel, data, chunked=chunked)


_KIND_PLAN = re.compile(rb"^kind[ \t]*:[ \t]*['\"]?plan\b", re.M)
_YEAR_LINE = re.compile(rb"^year[ \t]*:[ \t]*['\"]?(\d{4})\b", re.M)
_YEAR_FOLDER = re.compile(r"(?:^|/)(\d{4})/")


def _declared_year(data: bytes) -> int | None:
    """The year a file's single top-level ``year: NNNN`` line names, else None (no such
    line, or two: a duplicate key, or a quoted text that spans lines — read it to know)."""
    found = _YEAR_LINE.findall(data)
    return int(found[0]) if len(found) == 1 else None


def _looks_like_plan(rel: str, data: bytes) -> bool:
    """Whether an unreadable file was meant as a plan (its kind line is ASCII in any encoding)."""
    return bool(_KIND_PLAN.search(data)) or rel.rsplit("/", 1)[-1] in ("plan.yaml", "plan.yml")


def _plan_year_of(rel: str, data: bytes) -> int | None:
    """The year an unreadable plan seems to be for: its year line, else its folder."""
    found = _YEAR_LINE.search(data)
    if found:
        return int(found.group(1))
    folder = _YEAR_FOLDER.search(rel)
    return int(folder.group(1)) if folder else None


def _selected(path: str, root: Path, only: list[Path], cwd: Path | None) -> bool:
    """Whether a diagnostic's file is among those the user named (files or folders)."""
    for given in only:
        rel = relative(root, given, cwd)
        if rel == path or rel in (".", "") or path.startswith(rel.rstrip("/") + "/"):
            return True
    return False


def check_selection(root: Path, only: list[Path], files: Mapping[str, bytes], *, cwd: Path | None = None) -> None:
    """Every path the user named is a document (or a folder of them) of this repository."""
    for given in only:
        rel = relative(root, given, cwd)
        if (root / rel).is_dir() or rel in files or rel == SETTINGS_FILE:
            continue
        raise FedplanError(
            f"{given} 不是计划仓库中的文档",
            code="not-a-document",
            hint="fedplan 只读 fedplan.yaml 和 plans/ 下的 .yaml/.yml 文件",
            exit_code=2,
        )


def _load_settings(
    data: bytes, diagnostics: list[Diagnostic], sources: Sources, cache: ParseCache | None = None
) -> model.Settings:
    """fedplan.yaml's settings (defaults for what is invalid), its problems into
    ``diagnostics``; from ``cache`` when it holds what these bytes gave."""
    kept = cache.get(SETTINGS_FILE, data) if cache is not None else None
    if kept is None:
        from fedplan.schema import read_settings

        source = read(SETTINGS_FILE, data)
        problems_read: list[Diagnostic] = list(source.diagnostics)
        settings = model.Settings()
        if source.node is not None:
            settings, problems = read_settings(SETTINGS_FILE, source.node)
            problems_read.extend(problems)
        kept = (source.decoded, settings, tuple(problems_read))
        if cache is not None:
            cache.put(SETTINGS_FILE, data, kept)
    decoded, settings, found = kept
    diagnostics.extend(found)
    if decoded:
        sources.add(SETTINGS_FILE, data)
    return settings


def relative(root: Path, path: Path, cwd: Path | None = None) -> str:
    """A path the user typed, relative to the root: from where they stand (``cwd``, which
    the CLI hands down), or — with ``-C`` from outside the repository (git's ``-C DIR``: as
    if started in DIR) or without ``cwd`` — from the root."""
    here = (cwd or root).resolve()
    base = here if here == root or root in here.parents else root
    absolute = (path if path.is_absolute() else base / path).resolve()
    try:
        rel = absolute.relative_to(root)
    except ValueError:
        raise FedplanError(
            f"{path} 不在计划仓库 {root} 中", code="outside-repository", hint="只能检查仓库 plans/ 下的文件"
        ) from None
    if not absolute.exists():
        raise FedplanError(f"文件不存在：{path}", code="no-such-file", hint="检查文件名", exit_code=2)
    return rel.as_posix()


def document_at(loaded: Loaded, path: Path, *, cwd: Path | None = None) -> model.Document:
    """The document read from ``path`` (for ``fedplan render``), or a clear error."""
    rel = relative(loaded.repo.root, path, cwd)
    for document in loaded.repo.documents():
        if getattr(document, "path", None) == rel:
            return document
    problems = [d for d in loaded.diagnostics if d.pos.path == rel and d.is_error]
    raise FedplanError(
        f"{rel} 不是可读的 fedplan 文档" + (f"（{len(problems)} 个错误）" if problems else ""),
        code="not-a-document",
        hint="运行 fedplan validate 查看问题" if problems else "文件应在 plans/ 下并写明 kind",
    )


def refuse_if_errors(loaded: Loaded, year: int | None = None) -> list[Diagnostic]:
    """Commands that compute or render refuse a repository with errors, pointing at validate.

    With ``year``, only the errors of the documents that feed that year's output block it
    (the settings, and the year's plan, ledgers, reports and proposals); the others are
    returned, for the command to name in a warning line (validate still reports them all).
    """
    errors = loaded.errors()
    blocking = errors if year is None else [d for d in errors if _feeds(loaded.repo, d.pos.path, year)]
    if blocking:
        first = blocking[0]
        where = "仓库中" if year is None else f"{year} 年的文档和设置中"
        raise FedplanError(
            f"{where}有 {len(blocking)} 个错误（第一个：{first.pos}: {first.message}）",
            code="repository-has-errors",
            hint="先运行 fedplan validate 查看并改正",
        )
    return errors


_YEAR_IN_PATH = re.compile(r"(?:^|/)(\d{4})(?:/|[^/\d][^/]*$)")


def _feeds(repo: model.Repository, path: str, year: int) -> bool:
    """Whether the file at ``path`` is one the outputs of ``year`` are made from: the settings,
    a document of that year, or a file that could not be read and may be one (its folder or
    name says that year, or says no year at all)."""
    if path == SETTINGS_FILE:
        return True
    for document in repo.documents():
        if document.path == path:
            return getattr(document, "year", None) == year  # a proposal without a year feeds none
    for unread, plan_year in repo.unread_plans:
        if unread == path:
            return plan_year in (year, None)
    found = _YEAR_IN_PATH.search(path)
    return found is None or int(found.group(1)) == year
