"""Building many objects at once without the cyclic garbage collector rescanning them.

Rows, records and route coordinates come by the hundred thousand and hold no reference cycles:
reference counting frees them. While they are being built, each of the collector's automatic
passes walks every object still alive, so at 100,000 events it costs as much as the building.
"""

from __future__ import annotations

import gc
from contextlib import contextmanager


@contextmanager
def collector_paused():
    """Pause automatic garbage collection for the block (resumed after, if it was on)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
