"""W3C trace context carried by HTTP requests, log lines and events."""

from __future__ import annotations

import random
import re
from contextvars import ContextVar
from dataclasses import dataclass

_TRACEPARENT = re.compile(r"^00-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$")


@dataclass(frozen=True)
class TraceContext:
    trace_id: str
    span_id: str
    flags: str = "01"

    @property
    def traceparent(self) -> str:
        return f"00-{self.trace_id}-{self.span_id}-{self.flags}"

    def child(self) -> TraceContext:
        return TraceContext(self.trace_id, _random_hex(64), self.flags)

    @classmethod
    def new(cls) -> TraceContext:
        return cls(_random_hex(128), _random_hex(64))

    @classmethod
    def parse(cls, header: str | None) -> TraceContext | None:
        if not header:
            return None
        found = _TRACEPARENT.match(header.strip().lower())
        if found is None or set(found.group(1)) == {"0"}:
            return None
        return cls(found.group(1), found.group(2), found.group(3))


def _random_hex(bits: int) -> str:
    """A random, never all-zero id of ``bits`` bits in hex. Trace and span ids are not
    secrets (W3C asks for random ones, not unpredictable ones), so they come from the
    process's PRNG, reseeded after a fork, not ``os.urandom``: a system call on every
    request and event that gives up the GIL to the store's threads under load."""
    return f"{random.getrandbits(bits) or 1:0{bits // 4}x}"


_current: ContextVar[TraceContext | None] = ContextVar("boyin_trace", default=None)


def current() -> TraceContext | None:
    return _current.get()


def current_or_new() -> TraceContext:
    ctx = _current.get()
    if ctx is None:
        ctx = TraceContext.new()
        _current.set(ctx)
    return ctx


def activate(ctx: TraceContext | None) -> object:
    """Make ``ctx`` current; returns a token for :func:`restore`."""
    return _current.set(ctx)


def restore(token: object) -> None:
    _current.reset(token)  # type: ignore[arg-type]
