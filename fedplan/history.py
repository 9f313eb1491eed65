"""The documents of a plan repository as committed at a git revision (``--at REV``).

Everything goes through git itself (``rev-parse``, ``ls-tree``, ``cat-file --batch``), so
the working tree, the index and any uncommitted edits are never read or touched. The plan
repository may be a sub-folder of the git work tree; paths handed back are relative to the
plan repository's root, with ``/``.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

from fedplan.diagnostics import FedplanError
from fedplan.files import PLANS_DIR, SETTINGS_FILE, is_document

_BLOB_MODES = ("100644", "100755")  # regular files; symlinks and submodules are skipped


def files_at(root: Path, rev: str) -> dict[str, bytes]:
    """``fedplan.yaml`` and every ``plans/**/*.yaml|yml`` as committed at ``rev``, by relative path."""
    prefix = _prefix(root)  # fails clearly outside a git repository
    commit = _commit(root, rev)
    listing = _git(
        root,
        "ls-tree", "-r", "-z", "--full-tree", commit, "--",
        f"{prefix}{PLANS_DIR}", f"{prefix}{SETTINGS_FILE}",
    ).stdout
    blobs: dict[str, str] = {}
    for record in listing.split(b"\0"):
        if not record:
            continue
        meta, _, raw_path = record.partition(b"\t")
        mode, kind, oid = meta.decode("ascii").split()
        full = os.fsdecode(raw_path)
        if kind != "blob" or mode not in _BLOB_MODES or not full.startswith(prefix):
            continue
        rel = full[len(prefix):]
        if rel == SETTINGS_FILE or is_document(rel):
            blobs[rel] = oid
    return dict(zip(blobs, _read_blobs(root, list(blobs.values())), strict=True))


def resolve(root: Path, rev: str) -> str:
    """The full commit id ``rev`` names in the git repository holding ``root``."""
    _prefix(root)  # fails clearly outside a git repository
    return _commit(root, rev)


def _commit(root: Path, rev: str) -> str:
    if not rev or rev.startswith("-"):
        raise _unknown_revision(rev)
    result = _git(root, "rev-parse", "--verify", "--quiet", "--end-of-options", f"{rev}^{{commit}}", check=False)
    if result.returncode != 0:
        raise _unknown_revision(rev)
    return result.stdout.decode("ascii").strip()


def _prefix(root: Path) -> str:
    """Where ``root`` sits inside its git work tree: ``""`` or ``"sub/dir/"``."""
    result = _git(root, "rev-parse", "--show-prefix", check=False)
    if result.returncode != 0:
        raise FedplanError(
            f"{root} 不在 git 仓库中，无法读取历史版本",
            code="not-a-git-repo",
            hint="--at 和 --compare 需要计划仓库由 git 管理：先 git init 并提交（git commit）",
        )
    return os.fsdecode(result.stdout).strip()


def _unknown_revision(rev: str) -> FedplanError:
    return FedplanError(
        f"git 仓库中没有版本“{rev}”",
        code="unknown-revision",
        hint="可用提交号、分支、标签或 HEAD~1 这样的写法；git log --oneline 可列出历史提交",
    )


def _read_blobs(root: Path, oids: list[str]) -> list[bytes]:
    """The contents of ``oids``, in order, from one ``git cat-file --batch`` call."""
    if not oids:
        return []
    out = _git(root, "cat-file", "--batch", stdin="".join(f"{oid}\n" for oid in oids).encode()).stdout
    contents: list[bytes] = []
    at = 0
    for oid in oids:
        header_end = out.index(b"\n", at)
        header = out[at:header_end].decode("ascii").split()
        if len(header) != 3 or header[1] != "blob":
            raise FedplanError(
                f"git 读取对象 {oid} 失败：{' '.join(header)}",
                code="git-failed",
                hint="git fsck 可检查仓库是否损坏",
            )
        size = int(header[2])
        start = header_end + 1
        contents.append(out[start : start + size])
        at = start + size + 1  # the content is followed by one newline
    return contents


def _git(
    root: Path, *args: str, check: bool = True, stdin: bytes | None = None
) -> subprocess.CompletedProcess[bytes]:
    """Run git in ``root``; a missing git or a failed call becomes a FedplanError."""
    try:
        result = subprocess.run(
            ["git", "-C", str(root), *args],
            input=stdin,
            capture_output=True,
            check=False,
            # git must not open a pager or ask for anything; messages are parsed nowhere.
            env={**os.environ, "GIT_TERMINAL_PROMPT": "0", "GIT_PAGER": "cat"},
        )
    except FileNotFoundError:
        raise FedplanError(
            "找不到 git 命令，无法读取历史版本",
            code="git-missing",
            hint="请安装 git（https://git-scm.com）并确认它在 PATH 中",
        ) from None
    if check and result.returncode != 0:
        detail = result.stderr.decode("utf-8", "replace").strip().splitlines()
        raise FedplanError(
            f"git {args[0]} 失败：{detail[-1] if detail else result.returncode}",
            code="git-failed",
            hint="请在该目录中直接运行 git status 查看原因",
        )
    return result
