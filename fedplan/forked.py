"""Work done by a second process while this one does its own: a forked child computes
values and hands them back pickled, one after another, through a temporary file.

Used where one file's reading is long enough to share between two cores (a ledger of a
million entries, fedplan.fastledger). The child is a copy of this process made by
``fork``: it computes, writes, and leaves with ``os._exit`` — it runs no ``finally``,
``atexit`` or buffered output of its parent, and never returns into the caller. Whatever
goes wrong in it (an exception, a signal, running out of memory or disk) the parent only
sees that no answer came (``Child.results`` is None) and does the work itself: the child
can make a run faster, never change its answer.

The values go through a file, not a pipe: a pipe holds 64 KB, so a child writing into it
would wait for the parent to read, and the parent reads only once its own share is done.
Each value is pickled on its own, so the parent holds one at a time (the values of half a
million entries, held at once, were 160 MB).

``fork`` is used only where it is safe and helps: on a system that has it, with at least
two processors this process may run on, and no other thread running (a fork copies only
the calling thread; a lock another thread held would stay held in the child).
``FEDPLAN_JOBS=1`` in the environment turns it off.
"""

from __future__ import annotations

import os
import pickle
import signal
import sys
from collections.abc import Callable, Iterator
from typing import Any, BinaryIO

ENV_JOBS = "FEDPLAN_JOBS"


def available() -> bool:
    """Whether a forked helper can run beside this process on another processor."""
    if not hasattr(os, "fork") or os.environ.get(ENV_JOBS, "").strip() == "1":
        return False
    threading = sys.modules.get("threading")
    if threading is not None and threading.active_count() > 1:
        return False
    try:
        cpus = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        cpus = os.cpu_count() or 1
    return cpus >= 2


class Child:
    """A forked process running ``work(send)``; ``results()`` waits for it, then gives what it sent."""

    def __init__(self, pid: int, file: BinaryIO) -> None:
        self.pid = pid
        self.file: BinaryIO | None = file

    def results(self) -> Iterator[Any] | None:
        """The values the child sent, in order, read one at a time; None if it failed (then
        it sent nothing usable). Waits for the child to end."""
        if self._reap(kill=False) != 0:
            self.close()
            return None
        return self._values()

    def _values(self) -> Iterator[Any]:
        file = self.file
        if file is None:
            return
        try:
            file.seek(0)
            while True:
                try:
                    value = pickle.load(file)  # (a file our own fork wrote: its bytes are ours)
                except EOFError:
                    return
                yield value
        except Exception:
            return  # (cannot be; the caller does what is left itself)
        finally:
            self.close()

    def close(self) -> None:
        """End the child if it still runs (the caller stopped early or failed) and drop its file."""
        if self.file is not None:
            try:
                self.file.close()
            except OSError:
                pass
            self.file = None
        self._reap(kill=True)

    def _reap(self, *, kill: bool) -> int | None:
        if self.pid <= 0:
            return None
        pid, self.pid = self.pid, 0
        if kill:
            try:
                os.kill(pid, signal.SIGKILL)
            except OSError:
                pass
        try:
            _, status = os.waitpid(pid, 0)
        except ChildProcessError:
            return None
        return os.waitstatus_to_exitcode(status)


def start(work: Callable[[Callable[[Any], None]], None]) -> Child | None:
    """``work(send)`` run by a forked child, each ``send(value)`` kept for the parent (see
    the module); or None where that is not done (``available``) or could not start: the
    caller then does the work itself."""
    if not available():
        return None
    import tempfile

    try:
        file = tempfile.TemporaryFile()  # (unlinked from the start: nothing left behind)
    except OSError:
        return None
    try:
        pid = os.fork()
    except OSError:
        file.close()
        return None
    if pid == 0:  # the child: never returns
        code = 1
        try:
            pickler_dump = pickle.dump

            def send(value: Any) -> None:
                pickler_dump(value, file, protocol=pickle.HIGHEST_PROTOCOL)

            work(send)
            file.flush()
            code = 0
        except BaseException:  # (nothing of a child's failure may escape it)
            pass
        finally:
            os._exit(code)
    return Child(pid, file)


# A sequence of this many entries is worth sharing between two processes (below that, the
# fork and the hand-back cost more than half the work saves).
LARGE = 131_072


class Shared:
    """``compute(key)`` for each of ``keys`` (increasing integers), asked for in order with
    ``get(key)``: where a forked helper can run (``start``), it computes those from
    ``keys[split]`` on meanwhile and sends each as ``plain(value)``, which ``restore``
    turns back into the value ``compute`` gives here (the default: the value itself). A
    key the helper did not send, or sent out of turn, is computed here: the values are the
    same either way. ``close()`` (or the end of a ``with`` block) ends the helper."""

    def __init__(
        self,
        keys: list[int],
        compute: Callable[[int], Any],
        split: int,
        *,
        plain: Callable[[Any], Any] | None = None,
        restore: Callable[[Any], Any] | None = None,
    ) -> None:
        self._compute, self._restore = compute, restore
        self._from = keys[split] if split < len(keys) else None
        self._given: Iterator[Any] | None = None
        self._child: Child | None = None
        if self._from is not None:
            later = keys[split:]

            def work(send: Callable[[Any], None]) -> None:
                for key in later:
                    value = compute(key)
                    send((key, value if plain is None else plain(value)))

            self._child = start(work)
        self._waiting = self._child

    def __enter__(self) -> Shared:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    def get(self, key: int) -> Any:
        if self._waiting is not None and self._from is not None and key >= self._from:
            self._given, self._waiting = self._waiting.results(), None
        got = next(self._given, None) if self._given is not None else None
        if got is None or got[0] != key:
            self._given = None  # (no helper, or it gave nothing more: computed here)
            return self._compute(key)
        return got[1] if self._restore is None else self._restore(got[1])

    def close(self) -> None:
        if self._child is not None:
            self._child.close()
            self._child = self._waiting = None
