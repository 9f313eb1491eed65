"""GB/T 9704-2012 7.3.5.2, the signature without a seal, stated once for every format.

The issuer's name sits two characters in from the right margin; the date goes on the next
line, its first character two characters right of the name's first character; a date
longer than that is set two characters in from the right instead, and the name moves left
with it (still starting two characters before the date). The plain-text renderer measures
in terminal columns, the Word renderer in characters: both hand their widths here.
"""

from __future__ import annotations


def signature_starts(name: float, date: float, *, two: float) -> tuple[float, float]:
    """Where the name and the date start, as distances from the right margin, for a name
    and a date ``name`` and ``date`` wide (``two``: two characters in the same unit; a
    name of width 0 means there is none)."""
    name_start = two + name
    date_start = name_start - two
    if not name or date_start - date < two:
        date_start = two + date
        if name:
            name_start = date_start + two
    return name_start, date_start
