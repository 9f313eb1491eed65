from __future__ import annotations

import errno
import os
import stat
import time
from pathlib import Path

import pytest

from fedplan.diagnostics import FedplanError
from fedplan.fsutil import atomic_write, locked, remove_stale_temps, write_files


def test_new_file_gets_the_umask_mode_not_mkstemps_private_one(tmp_path: Path) -> None:
    old = os.umask(0o022)
    try:
        atomic_write(tmp_path / "report.html", b"x")
    finally:
        os.umask(old)
    assert stat.S_IMODE((tmp_path / "report.html").stat().st_mode) == 0o644


def test_replacing_keeps_the_old_files_mode_and_leaves_no_temp_file(tmp_path: Path) -> None:
    target = tmp_path / "ledger.yaml"
    target.write_bytes(b"old")
    target.chmod(0o640)
    atomic_write(target, b"new")
    assert target.read_bytes() == b"new"
    assert stat.S_IMODE(target.stat().st_mode) == 0o640
    assert [p.name for p in tmp_path.iterdir()] == ["ledger.yaml"]


def test_a_failed_rename_leaves_the_old_file_and_no_temp_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "ledger.yaml"
    target.write_bytes(b"old")

    def crash(*_: object) -> None:
        raise OSError("disk gone")

    monkeypatch.setattr(os, "replace", crash)
    with pytest.raises(FedplanError, match=r"写入 .*ledger.yaml 失败"):
        atomic_write(target, b"new")
    assert target.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["ledger.yaml"]


def test_a_symlink_is_written_through_and_stays_a_link(tmp_path: Path) -> None:
    (tmp_path / "real.yaml").write_bytes(b"old")
    link = tmp_path / "ledger.yaml"
    link.symlink_to("real.yaml")
    atomic_write(link, b"new")
    assert link.is_symlink()
    assert (tmp_path / "real.yaml").read_bytes() == b"new"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["ledger.yaml", "real.yaml"]


def test_pieces_are_written_in_order_to_a_file_a_link_and_a_pipe(tmp_path: Path) -> None:
    """A large ledger's new bytes are a view of the old ones and the new lines: written as
    they come, never joined, wherever they go."""
    old = b"kind: progress\nentries:\n  - a\n"
    pieces = (memoryview(old)[: len(old) - 1], b"\n  - b\n", b"")
    (tmp_path / "real.yaml").write_bytes(old)
    (tmp_path / "ledger.yaml").symlink_to("real.yaml")
    atomic_write(tmp_path / "ledger.yaml", pieces)
    assert (tmp_path / "real.yaml").read_bytes() == old + b"  - b\n"
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    reader = os.open(fifo, os.O_RDONLY | os.O_NONBLOCK)
    try:
        atomic_write(fifo, pieces)
        assert os.read(reader, 100) == old + b"  - b\n"
    finally:
        os.close(reader)


def test_a_read_only_file_is_refused_even_for_root(tmp_path: Path) -> None:
    target = tmp_path / "ledger.yaml"
    target.write_bytes(b"old")
    target.chmod(0o444)
    with pytest.raises(FedplanError, match="只读") as caught:
        atomic_write(target, b"new", shown="plans/ledger.yaml")
    assert caught.value.code == "read-only-file"
    assert target.read_bytes() == b"old"


def _char_device(path: Path, minor: int) -> None:
    try:
        os.mknod(path, stat.S_IFCHR | 0o666, os.makedev(1, minor))
    except PermissionError:
        pytest.skip("mknod needs root")


def test_a_device_is_written_through_not_replaced(tmp_path: Path) -> None:
    null = tmp_path / "null"
    _char_device(null, 3)  # like /dev/null
    atomic_write(null, b"report")
    assert stat.S_ISCHR(null.lstat().st_mode)


def test_a_full_disk_is_a_clear_error(tmp_path: Path) -> None:
    full = tmp_path / "full"
    _char_device(full, 7)  # like /dev/full: every write fails with ENOSPC
    with pytest.raises(FedplanError, match="磁盘空间已满"):
        atomic_write(full, b"report")
    assert stat.S_ISCHR(full.lstat().st_mode)


def test_a_full_disk_while_staging_leaves_no_temp_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def full(*_: object) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "fsync", full)
    with pytest.raises(FedplanError, match="磁盘空间已满"):
        atomic_write(tmp_path / "a.md", b"x")
    assert list(tmp_path.iterdir()) == []


def test_a_pipe_nobody_reads_is_refused_at_once(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    with pytest.raises(FedplanError, match="没有程序在读取"):
        atomic_write(fifo, b"report")
    assert stat.S_ISFIFO(fifo.lstat().st_mode)


def test_a_pipe_with_a_reader_gets_the_bytes(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    reader = os.open(fifo, os.O_RDONLY | os.O_NONBLOCK)  # a reader is there; the bytes wait in the pipe
    try:
        atomic_write(fifo, b"report")
        assert os.read(reader, 100) == b"report"
    finally:
        os.close(reader)
    assert stat.S_ISFIFO(fifo.lstat().st_mode)


def test_a_folder_or_a_parent_that_is_a_file_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(FedplanError, match="是文件夹"):
        atomic_write(tmp_path, b"x")
    (tmp_path / "file").write_bytes(b"")
    with pytest.raises(FedplanError, match="不是文件夹"):
        atomic_write(tmp_path / "file" / "out.md", b"x")


def test_write_files_is_all_or_nothing(tmp_path: Path) -> None:
    (tmp_path / "blocker").write_bytes(b"")
    files = {tmp_path / f"{n}.yaml": b"x" for n in range(3)}
    files[tmp_path / "blocker" / "3.yaml"] = b"x"  # cannot be written: its folder is a file
    files[tmp_path / "4.yaml"] = b"x"
    with pytest.raises(FedplanError, match="不是文件夹"):
        write_files(files)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["blocker"]


def test_stale_temp_files_are_removed_fresh_ones_kept(tmp_path: Path) -> None:
    target = tmp_path / "ledger.yaml"
    old = tmp_path / ".ledger.yaml.abc.fedplan-tmp"
    fresh = tmp_path / ".ledger.yaml.def.fedplan-tmp"
    old.write_bytes(b"")
    fresh.write_bytes(b"")
    os.utime(old, (time.time() - 3600, time.time() - 3600))
    remove_stale_temps(target)
    assert not old.exists() and fresh.exists()


def test_a_held_lock_makes_others_wait_then_names_its_holder(tmp_path: Path) -> None:
    target = tmp_path / "ledger.yaml"
    with locked(target):
        started = time.monotonic()
        with pytest.raises(FedplanError, match=f"进程 {os.getpid()}") as caught:
            with locked(target, shown="plans/ledger.yaml", timeout=0.2):
                pass  # pragma: no cover
        assert time.monotonic() - started >= 0.2
        assert caught.value.code == "ledger-locked"
        assert "plans/ledger.yaml" in caught.value.message
    with locked(target, timeout=0):  # released: taken at once
        pass
    assert list(tmp_path.iterdir()) == []  # the lock file is gone


def test_a_lock_file_left_by_a_killed_process_is_taken_over(tmp_path: Path) -> None:
    target = tmp_path / "ledger.yaml"
    (tmp_path / ".ledger.yaml.fedplan-lock").write_text("999999 elsewhere 2012-01-01T00:00:00\n")
    with locked(target, timeout=0):
        assert str(os.getpid()) in (tmp_path / ".ledger.yaml.fedplan-lock").read_text()
