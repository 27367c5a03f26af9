"""The number of threads of numpy's OpenBLAS, for code that runs its own threads.

The rematch scores blocks on two Python threads (numpy releases the GIL); each matrix
product then should use one BLAS thread, or four threads would share two cores (and
OpenBLAS's idle threads spin). numpy has no API for this, so the bundled OpenBLAS is asked
directly through ctypes; if it cannot be found, nothing changes.
"""

from __future__ import annotations

import ctypes
import glob
import os
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import cache

import numpy as np

_NAMES = ("scipy_openblas_{}64_", "scipy_openblas_{}", "openblas_{}64_", "openblas_{}")
_lock = threading.Lock()
_users = 0
_saved = 0


@cache
def _functions() -> tuple[Callable[[], int], Callable[[int], None]] | None:
    base = os.path.dirname(np.__file__)
    libs = glob.glob(os.path.join(base, "..", "numpy.libs", "*openblas*"))
    libs += glob.glob(os.path.join(base, ".dylibs", "*openblas*"))
    for path in libs:
        try:
            lib = ctypes.CDLL(path)
        except OSError:
            continue
        for name in _NAMES:
            get = getattr(lib, name.format("get_num_threads"), None)
            put = getattr(lib, name.format("set_num_threads"), None)
            if get is not None and put is not None:
                get.restype, put.argtypes = ctypes.c_int, [ctypes.c_int]
                return get, put
    return None


def threads() -> int | None:
    """OpenBLAS's thread count, or None when it cannot be asked."""
    found = _functions()
    return None if found is None else int(found[0]())


@contextmanager
def single_threaded() -> Iterator[None]:
    """One BLAS thread while inside (nested and concurrent uses are counted)."""
    global _users, _saved
    found = _functions()
    if found is None:
        yield
        return
    get, put = found
    with _lock:
        if _users == 0:
            _saved = get()
            put(1)
        _users += 1
    try:
        yield
    finally:
        with _lock:
            _users -= 1
            if _users == 0:
                put(_saved)
