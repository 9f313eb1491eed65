"""Bulk work on many small objects without the cyclic garbage collector rescanning them."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def collector_paused() -> Iterator[None]:
    """Pause the cyclic GC for a bulk load or computation, then freeze what survived.

    A repository of thousands of documents is hundreds of thousands of objects; with the
    collector running, every few thousand allocations it walks them all again (measured:
    several times the cost of the work itself). Nothing fedplan builds needs the cycle
    collector — the model is frozen dataclasses and tuples, freed by reference counting —
    so survivors are moved to the permanent generation (``gc.freeze``) instead of being
    rescanned afterwards. The price: a reference cycle created inside the block (only a
    refused self-referencing YAML alias makes one) is never collected.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        if was_enabled:
            gc.enable()


# Set by the console script (fedplan.cli.entry), which leaves with os._exit once a command
# is done: what ``keep`` is given is then never freed object by object, the system takes
# the memory back at once. (A million entries took a third of a second to free, after a
# validate had finished.) In any other process, ``keep`` keeps nothing.
leaving = False
_kept: list[object] = []


def keep(value: object) -> None:
    """Hold ``value`` until the process leaves, if it leaves without freeing (see ``leaving``)."""
    if leaving:
        _kept.append(value)
