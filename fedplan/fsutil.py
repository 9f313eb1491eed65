"""Writing files so that a crash never leaves one half-written, and nothing is replaced that
should not be.

- A regular file is replaced through a temporary file in the same folder and a rename, so a
  reader sees the old bytes or the new ones, never a mixture.
- A symbolic link is written through: its target gets the new bytes, the link stays a link.
- A terminal, ``/dev/null`` or a named pipe is written to as it is (never replaced by a
  regular file); a pipe nobody reads, a folder, a socket or a disk device is refused.
- A file nobody may write (mode 0444) is refused, even for root: someone made it read-only.
- ``write_files`` stages every file first and renames them only when all are staged, so a
  failure part-way leaves none of them written.
- Temporary files are named ``.<name>.<random>.fedplan-tmp``; ``kill -9`` can leave one
  behind, which ``fedplan validate`` reports (``leftover-temp-file``) and the next write of
  the same file removes once it is a minute old.

Every failure is a FedplanError with a Chinese message naming the file.
"""

from __future__ import annotations

import errno
import fcntl
import os
import stat
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

from fedplan.diagnostics import FedplanError
from fedplan.records import record

TEMP_SUFFIX = ".fedplan-tmp"
LOCK_SUFFIX = ".fedplan-lock"
STALE_TEMP_SECONDS = 60.0
LOCK_TIMEOUT = 30.0


def is_temp_name(name: str) -> bool:
    """Whether ``name`` is one of fedplan's own temporary or lock files."""
    return name.startswith(".") and name.endswith((TEMP_SUFFIX, LOCK_SUFFIX))


# What is written: the bytes, or pieces of them in order (a large ledger with an entry
# appended is written as a view of its old bytes and the new lines, never joined).
Data = bytes | tuple[bytes | memoryview, ...]


def atomic_write(
    path: Path, data: Data, *, shown: str | None = None, before_rename: Callable[[], None] | None = None
) -> None:
    """Write ``data`` to ``path`` (see the module docstring for links and special files)."""
    write_files({path: data}, shown={path: shown} if shown else None, before_rename=before_rename)


@record(frozen=False)
class _Staged:
    path: Path  # what is replaced: the file itself, or a link's target
    shown: str
    temp: str | None = None  # None: written through (a terminal, a pipe)


def write_files(
    files: Mapping[Path, Data],
    *,
    shown: Mapping[Path, str | None] | None = None,
    before_rename: Callable[[], None] | None = None,
) -> None:
    """Write every file or none: all are staged beside their places, then all renamed.
    ``before_rename`` runs between the two (and may raise to write nothing): the last
    moment to see whether someone else changed a file, as close to the rename as can be."""
    staged: list[_Staged] = []
    try:
        for path, data in files.items():
            name = (shown or {}).get(path) or str(path)
            staged.append(_stage(path, data, name))
        if before_rename is not None:
            before_rename()
        for item in staged:
            if item.temp is not None:
                try:
                    os.replace(item.temp, item.path)
                except OSError as exc:
                    raise _failure(item.shown, exc) from None
                item.temp = None
    finally:
        for item in staged:
            if item.temp is not None:
                _unlink(item.temp)


def _pieces(data: Data) -> tuple[bytes | memoryview, ...]:
    return (data,) if isinstance(data, bytes) else data


def _stage(path: Path, data: Data, shown: str) -> _Staged:
    try:
        info: os.stat_result | None = os.stat(path)
    except FileNotFoundError:
        info = None
    except OSError as exc:
        raise _failure(shown, exc) from None
    if info is not None and not stat.S_ISREG(info.st_mode):
        _write_through(path, info, data, shown)
        return _Staged(path, shown)
    target = Path(os.path.realpath(path)) if path.is_symlink() else path
    if info is not None and not info.st_mode & 0o222:
        raise FedplanError(
            f"{shown} 是只读文件，未写入",
            code="read-only-file",
            hint="确需修改，先去掉只读属性（chmod u+w 或 文件属性 → 取消“只读”）",
        )
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise _failure(shown, exc) from None
    remove_stale_temps(target)
    try:
        import tempfile  # not at start-up: only a command that writes pays for it

        fd, temp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=TEMP_SUFFIX, dir=target.parent)
    except OSError as exc:
        raise _failure(shown, exc) from None
    try:
        # mkstemp makes the file private (0600); give it the mode the old file had, or
        # what a plain open() would have given under the user's umask.
        os.fchmod(fd, _mode_for(target))
        with os.fdopen(fd, "wb") as handle:
            for piece in _pieces(data):
                handle.write(piece)
            handle.flush()
            os.fsync(handle.fileno())
    except OSError as exc:
        _unlink(temp)
        raise _failure(shown, exc) from None
    except BaseException:
        _unlink(temp)
        raise
    return _Staged(target, shown, temp)


def _write_through(path: Path, info: os.stat_result, data: Data, shown: str) -> None:
    mode = info.st_mode
    if stat.S_ISDIR(mode):
        raise FedplanError(f"{shown} 是文件夹，不能作为输出文件", code="output-is-folder", hint="在 -o 后写文件名")
    if not (stat.S_ISCHR(mode) or stat.S_ISFIFO(mode)):
        raise FedplanError(
            f"{shown} 不是普通文件（设备或套接字），未写入",
            code="output-special-file",
            hint="-o 后写一个普通文件的路径",
        )
    try:
        # O_NONBLOCK: a pipe nobody reads refuses at once instead of hanging forever.
        fd = os.open(path, os.O_WRONLY | os.O_NONBLOCK)
    except OSError as exc:
        if exc.errno == errno.ENXIO:
            raise FedplanError(
                f"{shown} 是命名管道，但没有程序在读取，未写入",
                code="output-special-file",
                hint="先启动读取它的程序，或 -o 写到普通文件",
            ) from None
        raise _failure(shown, exc) from None
    try:
        os.set_blocking(fd, True)
        for piece in _pieces(data):
            view = memoryview(piece)
            while view:
                view = view[os.write(fd, view) :]
    except OSError as exc:
        raise _failure(shown, exc) from None
    finally:
        os.close(fd)


_REASONS = {
    errno.ENOSPC: "磁盘空间已满",
    errno.EDQUOT: "超出磁盘配额",
    errno.EACCES: "没有访问权限",
    errno.EPERM: "没有访问权限",
    errno.EROFS: "所在磁盘是只读的",
    errno.ENOTDIR: "路径中有一级不是文件夹（是同名文件）",
    errno.EEXIST: "路径中有一级不是文件夹（是同名文件）",
    errno.EISDIR: "这是一个文件夹",
    errno.ENAMETOOLONG: "文件名太长",
    errno.EIO: "磁盘读写出错",
}


def reason(exc: OSError) -> str:
    """An OSError in Chinese, for a message: "磁盘空间已满"."""
    return _REASONS.get(exc.errno or 0) or (exc.strerror or str(exc))


def _failure(shown: str, exc: OSError) -> FedplanError:
    return FedplanError(
        f"写入 {shown} 失败：{reason(exc)}；原有文件未改动",
        code="write-failed",
        hint="检查磁盘空间、文件夹是否存在以及写入权限",
    )


def _unlink(path: str) -> None:
    try:
        os.unlink(path)
    except OSError:
        pass


def _mode_for(path: Path) -> int:
    try:
        return path.stat().st_mode & 0o7777
    except FileNotFoundError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


def remove_stale_temps(path: Path, *, older_than: float = STALE_TEMP_SECONDS) -> None:
    """Remove temporary files a killed writer of ``path`` left behind (a minute old or more)."""
    prefix = f".{path.name}."
    now = time.time()
    try:
        names = os.listdir(path.parent)
    except OSError:
        return
    for name in names:
        if name.startswith(prefix) and name.endswith(TEMP_SUFFIX):
            leftover = path.parent / name
            try:
                if now - leftover.lstat().st_mtime >= older_than:
                    leftover.unlink()
            except OSError:
                pass


# --- an exclusive lock beside a file, as git's index.lock ---------------------------------


def lock_path(path: Path) -> Path:
    return path.parent / f".{path.name}{LOCK_SUFFIX}"


@contextmanager
def locked(path: Path, *, shown: str | None = None, timeout: float | None = None) -> Iterator[None]:
    """Hold an exclusive advisory lock on ``path`` (a file ``.<name>.fedplan-lock`` beside it,
    flock'ed) while the block runs. Other fedplan processes wait up to ``timeout`` seconds
    (``FEDPLAN_LOCK_TIMEOUT``, else 30), then give up with a message naming the holder.

    The lock file holds "pid host start-time" of its holder and is removed on release; one
    left by a killed process is not locked (the kernel drops a dead process's locks) and is
    simply taken over.
    """
    if timeout is None:
        timeout = float(os.environ.get("FEDPLAN_LOCK_TIMEOUT", LOCK_TIMEOUT))
    name = shown or str(path)
    target = Path(os.path.realpath(path)) if path.is_symlink() else path
    lock = lock_path(target)
    deadline = time.monotonic() + timeout
    fd = _acquire(lock, name, deadline, timeout)
    try:
        import socket

        stamp = f"{os.getpid()} {socket.gethostname()} {time.strftime('%Y-%m-%dT%H:%M:%S%z')}\n"
        os.ftruncate(fd, 0)
        os.pwrite(fd, stamp.encode("utf-8"), 0)
        yield
    finally:
        _unlink(str(lock))
        os.close(fd)


def _acquire(lock: Path, shown: str, deadline: float, timeout: float) -> int:
    delay = 0.005
    while True:
        try:
            fd = os.open(lock, os.O_RDWR | os.O_CREAT, 0o644)
        except OSError as exc:
            raise FedplanError(
                f"无法为 {shown} 建立锁文件 {lock.name}：{reason(exc)}",
                code="lock-failed",
                hint="检查台账所在文件夹的写入权限",
            ) from None
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = _holder(fd)
            os.close(fd)
            if time.monotonic() >= deadline:
                raise FedplanError(
                    f"{shown} 正被另一个 fedplan 进程写入（{holder}），等待 {timeout:g} 秒后放弃，未作改动",
                    code="ledger-locked",
                    hint=f"稍后重试；若该进程已不存在，删除锁文件 {lock} 后重试",
                ) from None
            time.sleep(delay)
            delay = min(delay * 2, 0.1)
            continue
        # The holder before us removes the file on release: if ours is no longer the one
        # at that path, we locked a removed file; start again.
        try:
            same = os.path.samestat(os.fstat(fd), os.stat(lock))
        except FileNotFoundError:
            same = False
        if same:
            return fd
        os.close(fd)


def _holder(fd: int) -> str:
    try:
        text = os.pread(fd, 200, 0).decode("utf-8", "replace").split()
    except OSError:
        text = []
    if len(text) >= 3:
        return f"进程 {text[0]}，主机 {text[1]}，{text[2]} 开始"
    return "持有者未知"
