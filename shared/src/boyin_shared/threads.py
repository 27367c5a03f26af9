"""Blocking work in a worker thread that stops when the request it serves is gone.

A request whose client went away (a closed browser, the gateway's timeout) leaves nothing
to answer, so its CPU-heavy work (reading a spreadsheet) should stop too: the work is given
a ``stop`` flag it asks now and then, set when the client disconnects or the handler is
cancelled."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import threading
from collections.abc import Callable
from typing import TypeVar

from fastapi import Request
from prometheus_client import Counter

from boyin_shared.errors import BoyinError, Message

T = TypeVar("T")

log = logging.getLogger("boyin.threads")

ABANDONED = Counter(
    "boyin_work_abandoned_total",
    "Worker-thread work stopped because its request was gone",
    ["work"],
)


def request_gone() -> BoyinError:
    """Nobody reads it (the client is gone); for the logs and the access log."""
    return BoyinError(
        code="REQUEST_GONE",
        message=Message("请求已断开，处理已停止", "the request is gone; its work was stopped"),
        status=499,
    )


async def _disconnected(request: Request) -> None:
    """Returns once the client has gone. The body must have been read: what comes after it
    is the disconnect (asked by waiting for it, not by polling, which a middleware's
    receive would not pass on)."""
    while (await request.receive())["type"] != "http.disconnect":
        pass


async def while_connected(
    request: Request, name: str, work: Callable[[Callable[[], bool]], T]
) -> T:
    """``work(stop)`` in a worker thread, once ``request``'s body has been read;
    ``stop()`` turns true once its client has disconnected (then :func:`request_gone` is
    raised, after the work stopped) or this coroutine was cancelled."""
    flag = threading.Event()
    task = asyncio.ensure_future(asyncio.to_thread(work, flag.is_set))
    gone = asyncio.ensure_future(_disconnected(request))
    try:
        await asyncio.wait({task, gone}, return_when=asyncio.FIRST_COMPLETED)
        if task.done():
            return task.result()
        flag.set()
        ABANDONED.labels(name).inc()
        with contextlib.suppress(Exception):
            await task  # it stops at its next question (raising, as a rule)
        log.info("%s stopped: the request is gone", name)
        raise request_gone()
    finally:
        flag.set()  # cancelled (or done): a thread still running stops
        gone.cancel()
