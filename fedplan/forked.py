"""Work shared with a second process: a forked child computes some of a sequence's values
while this process computes the others, and sends each one back, pickled, as it is done.

Used where one file's reading is long enough to share between two cores (a ledger of a
million entries: fedplan.source's search of it, fedplan.fastledger's batches, the entry
checks). The child is a copy of this process made by ``fork``: it computes, writes, and
leaves with ``os._exit`` — it runs no ``finally``, ``atexit`` or buffered output of its
parent, and never returns into the caller. Whatever goes wrong in it (an exception, a
signal, running out of memory) this process only sees that no more values come, and
computes the rest itself: the child can make a run faster, never change its answer.

The values come through a pipe, each pickled on its own, as the child finishes them: the
parent holds one at a time (the values of half a million entries, held at once, were
160 MB), and takes the child's values in turn with its own (``Shared``), so the two
processes work side by side to the end instead of one of them finishing the other's
share. The pipe is widened to 1 MB where the system allows, so the child can run a few
values ahead.

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
from collections.abc import Callable
from math import ceil
from typing import Any, BinaryIO

ENV_JOBS = "FEDPLAN_JOBS"

# A sequence of this many entries is worth sharing between two processes (below that, the
# fork and the hand-back cost more than half the work saves).
LARGE = 131_072

_NOTHING: Any = object()  # (what ``Child.next`` gives when the child sends no more)
_PIPE_SIZE = 1 << 20
_F_SETPIPE_SZ = 1031  # (Linux's fcntl command; elsewhere the pipe keeps its size)


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
    """A forked process running ``work(send)``; ``next()`` gives what it sends, in order."""

    def __init__(self, pid: int, pipe: BinaryIO) -> None:
        self.pid = pid
        self.pipe: BinaryIO | None = pipe

    def next(self) -> Any:
        """The child's next value (waiting for it), or _NOTHING once it sends no more: it
        ended, or failed (a value cut short by its end is not one)."""
        if self.pipe is None:
            return _NOTHING
        try:
            return pickle.load(self.pipe)  # (a pipe from our own fork: its bytes are ours)
        except Exception:
            self.close()
            return _NOTHING

    def close(self) -> None:
        """End the child (if it still runs, its work is not wanted) and reap it."""
        if self.pipe is not None:
            try:
                self.pipe.close()
            except OSError:
                pass
            self.pipe = None
        if self.pid > 0:
            pid, self.pid = self.pid, 0
            try:
                os.kill(pid, signal.SIGKILL)
            except OSError:
                pass
            try:
                os.waitpid(pid, 0)
            except ChildProcessError:
                pass


def start(work: Callable[[Callable[[Any], None]], None]) -> Child | None:
    """``work(send)`` run by a forked child, each ``send(value)`` coming to ``Child.next``
    (see the module); or None where that is not done (``available``) or could not start:
    the caller then does the work itself."""
    if not available():
        return None
    try:
        read, write = os.pipe()
    except OSError:
        return None
    try:
        import fcntl

        fcntl.fcntl(write, _F_SETPIPE_SZ, _PIPE_SIZE)
    except (ImportError, OSError):
        pass  # (a narrower pipe: the child waits sooner)
    try:
        pid = os.fork()
    except OSError:
        os.close(read)
        os.close(write)
        return None
    if pid == 0:  # the child: never returns
        try:
            os.close(read)
            with open(write, "wb", buffering=1 << 16) as pipe:

                def send(value: Any) -> None:
                    pickle.dump(value, pipe, protocol=pickle.HIGHEST_PROTOCOL)
                    pipe.flush()

                work(send)
        except BaseException:  # (nothing of a child's failure may escape it)
            pass
        finally:
            os._exit(0)
    os.close(write)
    return Child(pid, open(read, "rb", buffering=1 << 16))


class Shared:
    """``compute(key)`` for each of ``keys``, asked for in order with ``get(key)``, a share
    of them computed by a forked helper meanwhile where one can run (``start``): this
    process computes ``own`` of them (a fraction, spread evenly: one in three for ⅓), the
    helper the others, sending each as ``plain(value)``, which ``restore`` turns back into
    what ``compute`` gives here (the default: the value itself). A key the helper does not
    send, or sends out of turn, is computed here, and so is every one after it: the values
    are the same either way. ``close()`` (or the end of a ``with`` block) ends the helper."""

    def __init__(
        self,
        keys: list[Any],
        compute: Callable[[Any], Any],
        own: float,
        *,
        plain: Callable[[Any], Any] | None = None,
        restore: Callable[[Any], Any] | None = None,
    ) -> None:
        self._compute, self._restore = compute, restore
        self._keys = keys
        # (this process's share of the first n keys: ⌈n·own⌉, so the first is its own)
        self._mine = [ceil((n + 1) * own) > ceil(n * own) for n in range(len(keys))] if own < 1 else [True] * len(keys)
        self._next = 0
        self._child: Child | None = None
        if not all(self._mine):
            theirs = [key for key, mine in zip(keys, self._mine, strict=True) if not mine]

            def work(send: Callable[[Any], None]) -> None:
                for key in theirs:
                    value = compute(key)
                    send((key, value if plain is None else plain(value)))

            self._child = start(work)

    def __enter__(self) -> Shared:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    def get(self, key: Any) -> Any:
        n, self._next = self._next, self._next + 1
        if self._child is None or n >= len(self._mine) or self._mine[n]:
            return self._compute(key)
        got = self._child.next()
        if got is _NOTHING or got[0] != key:
            self.close()  # (the helper gave nothing more, or not this: computed here from now on)
            return self._compute(key)
        return got[1] if self._restore is None else self._restore(got[1])

    def close(self) -> None:
        if self._child is not None:
            self._child.close()
            self._child = None
