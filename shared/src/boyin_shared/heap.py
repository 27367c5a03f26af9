"""The process's heap and its garbage collector.

Under load, full collections walked the whole heap that start-up made (the services'
models, the matcher's pool, the schema): 140-245 ms every 0.5-3 s on the read mix, the
tail of every request's latency. :func:`freeze_start_up` moves what start-up left alive
out of the collections for good; a long job that freezes the heap for its own run
(:func:`freeze`, :func:`thaw`) leaves it frozen again when it ends, so the job does not undo start-up's
freeze.
"""

from __future__ import annotations

import gc

_start_up_frozen = False


def freeze_start_up() -> None:
    """Once start-up is done: collect what it left as garbage, then keep everything still
    alive out of later collections (the objects are still freed when their last reference
    goes; only cycles among them are no longer looked for)."""
    global _start_up_frozen
    gc.collect()
    gc.freeze()
    _start_up_frozen = True


def start_up_frozen() -> bool:
    return _start_up_frozen


def freeze() -> None:
    """Everything alive now stays out of the collections until :func:`thaw` (a job's
    millions of long-lived objects would otherwise be walked by every collection its
    garbage sets off)."""
    gc.freeze()


def thaw() -> None:
    """The end of :func:`freeze`: the heap is thawed; if start-up had frozen it, what is
    still alive is collected once and frozen again (not left to the collections under
    load)."""
    gc.unfreeze()
    if _start_up_frozen:
        gc.collect()
        gc.freeze()
