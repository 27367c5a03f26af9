"""One optimistic-retry loop for the whole platform.

A write guarded by a revision fails when someone else wrote first; the caller reads
again and retries. Every such loop in the services is :func:`optimistic`: ``attempt``
reads, decides and writes once, returning :data:`AGAIN` when its guarded write lost the
race (or a create met an existing document), or the result otherwise. After ``attempts``
lost races the one concurrent-change error is raised (409, in Chinese and English).
"""

from __future__ import annotations

import asyncio
import enum
import random
from collections.abc import Awaitable, Callable
from typing import Final, Literal, TypeVar

from boyin_shared.errors import BoyinError, Message

T = TypeVar("T")

#: how many lost races a write tolerates before giving up
ATTEMPTS: Final = 10


class _Again(enum.Enum):
    AGAIN = "again"


#: what an attempt returns when its guarded write lost the race
AGAIN: Final = _Again.AGAIN

Again = Literal[_Again.AGAIN]


def concurrent_change() -> BoyinError:
    """The one error for a write that kept losing to concurrent writers."""
    return BoyinError(
        code="CONCURRENT_CHANGE",
        message=Message(
            "该记录刚被他人修改，请刷新后重试", "Changed by someone else; reload and retry"
        ),
        status=409,
    )


async def optimistic(
    attempt: Callable[[], Awaitable[T | Again]],
    *,
    attempts: int = ATTEMPTS,
    exhausted: Callable[[], Exception] = concurrent_change,
) -> T:
    """Run ``attempt`` until it returns something other than :data:`AGAIN`.

    After the second lost race each retry waits a few random milliseconds, so writers
    that keep colliding spread out instead of colliding again in lockstep."""
    for n in range(attempts):
        result = await attempt()
        if result is not AGAIN:
            return result
        if n >= 1:
            await asyncio.sleep(random.uniform(0, 0.002 * n))
    raise exhausted()
