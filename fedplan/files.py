"""Which files make up a plan repository, and reading them off the disk.

A repository is ``fedplan.yaml`` at its root plus every ``.yaml``/``.yml`` under ``plans/``,
no hidden folder or file on the way (``.git``, ``.obsidian``). The disk reader below and the
git-revision reader (fedplan.history) both keep exactly the files ``is_document`` keeps, so
``--at HEAD`` of a clean work tree reads what the disk holds. The loader (fedplan.repo)
takes ``{relative path: bytes}`` from either.
"""

from __future__ import annotations

import os
from pathlib import Path

from fedplan.diagnostics import Diagnostic, Pos, codes, error, warning
from fedplan.fsutil import TEMP_SUFFIX, reason

SETTINGS_FILE = "fedplan.yaml"
PLANS_DIR = "plans"
YAML_SUFFIXES = (".yaml", ".yml")

# The codes finding and reading the repository's files may report (fedplan.diagnostics.REGISTRY).
CODES = codes("link-outside-repository", "unreadable-folder", "unreadable-file", "leftover-temp-file")


def is_document(rel: str) -> bool:
    """A .yaml/.yml under plans/ (``rel`` relative to the root, with ``/``), nothing hidden."""
    parts = rel.split("/")
    return (
        len(parts) > 1
        and parts[0] == PLANS_DIR
        and rel.endswith(YAML_SUFFIXES)
        and not any(part.startswith(".") for part in parts)
    )


def is_repository(folder: Path) -> bool:
    """Whether ``folder`` is a plan repository's root (it holds fedplan.yaml or plans/)."""
    return (folder / SETTINGS_FILE).is_file() or (folder / PLANS_DIR).is_dir()


def disk_files(root: Path, problems: list[Diagnostic] | None = None) -> dict[str, Path]:
    """Relative POSIX path → absolute path of fedplan.yaml and every document under plans/,
    sorted by relative path.

    Documents are confined to the repository: a symbolic link resolving outside it is not
    read (``ln -s /proc/self/environ plans/notes.yaml`` must not put CI's secrets into the
    output). That, a folder that cannot be listed and a temporary file a killed fedplan left
    behind go into ``problems``.
    """
    problems = problems if problems is not None else []
    found: dict[str, Path] = {}
    settings = root / SETTINGS_FILE
    if settings.is_file() and _inside(root, SETTINGS_FILE, settings, problems):
        found[SETTINGS_FILE] = settings
    plans = root / PLANS_DIR
    if not plans.is_dir():
        return found
    # os.walk, not Path.rglob: a Path per entry (and relative_to on each) cost as much as
    # composing a tenth of the files. Hidden folders are not entered.
    names: list[str] = []

    def unreadable(exc: OSError) -> None:
        rel = os.path.relpath(exc.filename, root).replace(os.sep, "/")
        problems.append(
            error(Pos(rel), "unreadable-folder", f"无法读取文件夹 {rel}：{reason(exc)}，其中的文档未检查",
                  "检查这个文件夹的读取权限（chmod u+rx），或把它移出 plans/")
        )

    for folder, subfolders, files in os.walk(plans, onerror=unreadable):
        subfolders[:] = [name for name in subfolders if not name.startswith(".")]
        prefix = os.path.relpath(folder, root).replace(os.sep, "/")
        names.extend(f"{prefix}/{name}" for name in files)
    for rel in sorted(names):
        path = root / rel
        name = rel.rsplit("/", 1)[-1]
        if name.endswith(TEMP_SUFFIX) and name.startswith("."):
            problems.append(
                warning(Pos(rel), "leftover-temp-file", "fedplan 写入时被中断留下的临时文件，其内容不会被读取",
                        f"确认对应的文件完好后删除它：rm '{rel}'")
            )
        elif is_document(rel) and path.is_file() and _inside(root, rel, path, problems):
            found[rel] = path
    return found


def read_disk(root: Path, problems: list[Diagnostic] | None = None) -> dict[str, bytes]:
    """The bytes of every file of the repository at ``root``, by relative path; what could
    not be read goes into ``problems``."""
    problems = problems if problems is not None else []
    files: dict[str, bytes] = {}
    for rel, path in disk_files(root, problems).items():
        try:
            files[rel] = path.read_bytes()
        except OSError as exc:
            problems.append(
                error(Pos(rel), "unreadable-file", f"无法读取 {rel}：{reason(exc)}，未检查",
                      "检查这个文件的读取权限（chmod u+r）")
            )
    return files


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


def where_under(root: Path, rel: str) -> str:
    """What ``rel`` names under ``root``, following links: "file", "missing" (or not a
    file), "outside" (a link out of the repository) or "unreadable" (a link loop, a NUL,
    a name too long). The one place a check looks at the disk (an assessment's evidence,
    through ``CheckContext.where``)."""
    try:
        path = (root / rel).resolve()
        if not path.is_relative_to(root.resolve()):
            return "outside"
        return "file" if path.is_file() else "missing"
    except (OSError, RuntimeError, ValueError):  # RuntimeError: a link loop (Python < 3.13)
        return "unreadable"
