"""Small wording helpers shared by messages, the map's subtitle and tables."""

from __future__ import annotations


def plural(count: int, noun: str) -> str:
    """``1 event``, ``2 events``, ``1,200 events``.

    >>> plural(1, "event"), plural(2, "source"), plural(1200, "event")
    ('1 event', '2 sources', '1,200 events')
    """
    return f"{count:,} {noun}{'s' * (count != 1)}"
