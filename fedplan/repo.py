"""A plan repository on disk (or at a git revision): finding its root, reading every document."""

from __future__ import annotations

import datetime as dt
import os
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from fedplan import model
from fedplan.bulk import collector_paused
from fedplan.diagnostics import Diagnostic, FedplanError, Pos, error, warning
from fedplan.fsutil import TEMP_SUFFIX, reason
from fedplan.schema import read_document
from fedplan.source import read

SETTINGS_FILE = "fedplan.yaml"
PLANS_DIR = "plans"
YAML_SUFFIXES = (".yaml", ".yml")


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
        if (folder / SETTINGS_FILE).is_file() or (folder / PLANS_DIR).is_dir():
            return folder
    raise FedplanError(
        f"这里不是计划仓库：{here} 及其上级目录中都没有 fedplan.yaml 或 plans/",
        code="no-repository",
        hint="进入计划仓库再运行，或用 -C 指定目录；新建仓库请运行 fedplan init",
    )


@dataclass
class Loaded:
    """A repository as read, with every problem found while reading and checking it."""

    repo: model.Repository
    diagnostics: list[Diagnostic] = field(default_factory=list)
    sources: dict[str, str] = field(default_factory=dict)

    @property
    def has_errors(self) -> bool:
        return any(d.is_error for d in self.diagnostics)

    def errors(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.is_error]


def _is_document(rel: str) -> bool:
    if not rel.endswith(YAML_SUFFIXES):
        return False
    parts = rel.split("/")
    return not any(part.startswith(".") for part in parts)


def disk_files(root: Path, problems: list[Diagnostic] | None = None) -> Iterator[tuple[str, Path]]:
    """Relative POSIX path and absolute path of fedplan.yaml and every document under plans/.

    Documents are confined to the repository: a symbolic link resolving outside it is not
    read (``ln -s /proc/self/environ plans/notes.yaml`` must not put CI's secrets into the
    output). That, a folder that cannot be listed and a temporary file a killed fedplan left
    behind go into ``problems``.
    """
    problems = problems if problems is not None else []
    settings = root / SETTINGS_FILE
    if settings.is_file() and _inside(root, SETTINGS_FILE, settings, problems):
        yield SETTINGS_FILE, settings
    plans = root / PLANS_DIR
    if not plans.is_dir():
        return
    # os.walk, not Path.rglob: a Path per entry (and relative_to on each) cost as much as
    # composing a tenth of the files. Hidden folders (.git, .obsidian) are not entered.
    found: list[str] = []

    def unreadable(exc: OSError) -> None:
        rel = os.path.relpath(exc.filename, root).replace(os.sep, "/")
        problems.append(
            error(Pos(rel), "unreadable-folder", f"无法读取文件夹 {rel}：{reason(exc)}，其中的文档未检查",
                  "检查这个文件夹的读取权限（chmod u+rx），或把它移出 plans/")
        )

    for folder, subfolders, names in os.walk(plans, onerror=unreadable):
        subfolders[:] = [name for name in subfolders if not name.startswith(".")]
        prefix = os.path.relpath(folder, root).replace(os.sep, "/")
        found.extend(f"{prefix}/{name}" for name in names)
    for rel in sorted(found):
        path = root / rel
        name = rel.rsplit("/", 1)[-1]
        if name.endswith(TEMP_SUFFIX) and name.startswith("."):
            problems.append(
                warning(Pos(rel), "leftover-temp-file", "fedplan 写入时被中断留下的临时文件，其内容不会被读取",
                        f"确认对应的文件完好后删除它：rm '{rel}'")
            )
        elif _is_document(rel) and path.is_file() and _inside(root, rel, path, problems):
            yield rel, path


def _inside(root: Path, rel: str, path: Path, problems: list[Diagnostic]) -> bool:
    """Whether ``path`` (maybe a symbolic link) resolves inside the repository."""
    if not path.is_symlink():
        return True
    if Path(os.path.realpath(path)).is_relative_to(os.path.realpath(root)):
        return True
    problems.append(
        error(Pos(rel), "link-outside-repository", "这个文件是指向仓库以外的符号链接，未读取",
              "把文件本身放进仓库（链接只能指向仓库内的文件）")
    )
    return False


def _read_files(
    root: Path, rev: str | None, overrides: Mapping[str, bytes] | None, problems: list[Diagnostic]
) -> dict[str, bytes]:
    if rev is not None:
        from fedplan.history import files_at

        files = dict(files_at(root, rev))
    else:
        files = {}
        for rel, path in disk_files(root, problems):
            try:
                files[rel] = path.read_bytes()
            except OSError as exc:
                problems.append(
                    error(Pos(rel), "unreadable-file", f"无法读取 {rel}：{reason(exc)}，未检查",
                          "检查这个文件的读取权限（chmod u+r）")
                )
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
) -> Loaded:
    """Read, type and check every document of the repository at ``root``.

    Nothing is raised for problems in the data: they are Diagnostics on the result, all of
    them, sorted. ``only`` keeps the diagnostics of those files (the whole repository is still
    read, since references cross files). ``checks=False`` skips the cross-document checks.
    """
    diagnostics: list[Diagnostic] = []
    files = _read_files(root, rev, overrides, diagnostics)
    if only:
        check_selection(root, only, files)
    if not files and rev is None and not (root / PLANS_DIR).is_dir():
        raise FedplanError(
            f"{root} 中没有 plans/ 目录",
            code="no-plans",
            hint="新建仓库请运行 fedplan init",
        )
    sources: dict[str, str] = {}
    with collector_paused():
        settings = model.Settings()
        if SETTINGS_FILE in files:
            settings = _load_settings(files.pop(SETTINGS_FILE), diagnostics, sources)
        documents: list[model.Document] = []
        unread_plans: list[tuple[str, int | None]] = []
        for rel, data in files.items():
            source = read(rel, data)
            diagnostics.extend(source.diagnostics)
            if source.text is not None:
                sources[rel] = source.text
            if source.node is None:
                if _looks_like_plan(rel, data):
                    unread_plans.append((rel, _plan_year_of(rel, data)))
                continue
            document, problems = read_document(rel, source.node, settings)
            diagnostics.extend(problems)
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

            diagnostics.extend(run_checks(repo, today=today or dt.date.today(), sources=sources))
    if only is not None:
        diagnostics = [d for d in diagnostics if _selected(d.pos.path, root, only)]
    return Loaded(repo, sorted(diagnostics), sources)


_KIND_PLAN = re.compile(rb"^kind[ \t]*:[ \t]*['\"]?plan\b", re.M)
_YEAR_LINE = re.compile(rb"^year[ \t]*:[ \t]*['\"]?(\d{4})\b", re.M)
_YEAR_FOLDER = re.compile(r"(?:^|/)(\d{4})/")


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


def _selected(path: str, root: Path, only: list[Path]) -> bool:
    """Whether a diagnostic's file is among those the user named (files or folders)."""
    for given in only:
        rel = _relative(root, given)
        if rel == path or rel in (".", "") or path.startswith(rel.rstrip("/") + "/"):
            return True
    return False


def check_selection(root: Path, only: list[Path], files: Mapping[str, bytes]) -> None:
    """Every path the user named is a document (or a folder of them) of this repository."""
    for given in only:
        rel = _relative(root, given)
        if (root / rel).is_dir() or rel in files or rel == SETTINGS_FILE:
            continue
        raise FedplanError(
            f"{given} 不是计划仓库中的文档",
            code="not-a-document",
            hint="fedplan 只读 fedplan.yaml 和 plans/ 下的 .yaml/.yml 文件",
            exit_code=2,
        )


def _load_settings(data: bytes, diagnostics: list[Diagnostic], sources: dict[str, str]) -> model.Settings:
    from fedplan.schema import read_settings

    source = read(SETTINGS_FILE, data)
    diagnostics.extend(source.diagnostics)
    if source.text is not None:
        sources[SETTINGS_FILE] = source.text
    if source.node is None:
        return model.Settings()
    settings, problems = read_settings(SETTINGS_FILE, source.node)
    diagnostics.extend(problems)
    return settings


def _relative(root: Path, path: Path) -> str:
    # Relative to where the user stands; with -C from outside the repository (git's
    # `-C DIR`: as if started in DIR), relative to the root.
    here = Path.cwd().resolve()
    base = here if here == root or root in here.parents else root
    absolute = path if path.is_absolute() else (base / path)
    absolute = absolute.resolve()
    try:
        rel = absolute.relative_to(root)
    except ValueError:
        raise FedplanError(
            f"{path} 不在计划仓库 {root} 中", code="outside-repository", hint="只能检查仓库 plans/ 下的文件"
        ) from None
    if not absolute.exists():
        raise FedplanError(f"文件不存在：{path}", code="no-such-file", hint="检查文件名", exit_code=2)
    return rel.as_posix()


def document_at(loaded: Loaded, path: Path) -> model.Document:
    """The document read from ``path`` (for ``fedplan render``), or a clear error."""
    rel = _relative(loaded.repo.root, path)
    for document in loaded.repo.documents():
        if getattr(document, "path", None) == rel:
            return document
    problems = [d for d in loaded.diagnostics if d.pos.path == rel and d.is_error]
    raise FedplanError(
        f"{rel} 不是可读的 fedplan 文档" + (f"（{len(problems)} 个错误）" if problems else ""),
        code="not-a-document",
        hint="运行 fedplan validate 查看问题" if problems else "文件应在 plans/ 下并写明 kind",
    )


def refuse_if_errors(loaded: Loaded) -> None:
    """Commands that compute or render refuse a repository with errors, pointing at validate."""
    errors = loaded.errors()
    if errors:
        first = errors[0]
        raise FedplanError(
            f"仓库中有 {len(errors)} 个错误（第一个：{first.pos}: {first.message}）",
            code="repository-has-errors",
            hint="先运行 fedplan validate 查看并改正",
        )
