"""The one statement of what a progress entry carries (fedplan.entries)."""

from __future__ import annotations

import pytest

from fedplan.entries import ITEM, MILESTONE, NUMERIC, Break, breaks


@pytest.mark.parametrize(
    ("kind", "fields", "expected"),
    [
        (NUMERIC, {"value": 0}, []),  # zero is a value
        (NUMERIC, {"note": "办班"}, [Break("missing-value", None)]),
        (NUMERIC, {"value": 40, "done": True}, [Break("done-on-numeric", "done")]),
        (NUMERIC, {"done": False}, [Break("done-on-numeric", "done")]),  # written at all
        (MILESTONE, {"done": True}, []),
        (MILESTONE, {"done": False}, [Break("missing-done", None)]),
        (MILESTONE, {"value": 1}, [Break("value-on-milestone", "value")]),  # alone: its hint says done
        (ITEM, {"note": "活动"}, []),
        (ITEM, {"note": ""}, [Break("missing-note", None)]),
        (ITEM, {"value": 5, "done": True}, [Break("entry-field", "value"), Break("entry-field", "done")]),
    ],
)
def test_breaks(kind: str, fields: dict[str, object], expected: list[Break]) -> None:
    assert breaks(kind, fields) == expected
