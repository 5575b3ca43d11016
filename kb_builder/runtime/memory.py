"""Give memory that a finished stage freed back to the system, so the next stage (and the workers
it forks) do not carry it.

A build's big values are strings: page Markdown and HTML, each larger than the small-object
allocator's 512 bytes, so they live in the C library's heap. When a stage drops them, glibc keeps
the freed space in its heap instead of returning it (the heap is only trimmed from its top, and a
still-live value above the hole pins it). On the medium benchmark that is 160 MiB still resident
after the internal site is built, carried through the help centers (where two forked workers share
it) and the search index. `malloc_trim` hands every free page back. Where the C library has no
`malloc_trim` (macOS, musl) this is only a garbage collection.
"""

from __future__ import annotations

import ctypes
import gc
from functools import lru_cache


@lru_cache(maxsize=1)
def _malloc_trim():
    """glibc's malloc_trim, or None where the C library has none."""
    try:
        trim = ctypes.CDLL(None).malloc_trim
    except (OSError, AttributeError):
        return None
    trim.argtypes = [ctypes.c_size_t]
    trim.restype = ctypes.c_int
    return trim


def release_freed() -> bool:
    """Collect unreachable cycles, then return the heap's free pages to the system.

    True when the C library could be asked to trim its heap (glibc), False when only the
    collection ran. Nothing live is touched: only memory already freed is given back."""
    gc.collect()
    trim = _malloc_trim()
    if trim is None:
        return False
    trim(0)
    return True
