"""What every adapter does with one message: decode, run the handler, retry, dead-letter."""

from __future__ import annotations

import asyncio
import json
import logging
from dataclasses import dataclass
from typing import Any

from prometheus_client import Counter, Histogram

from boyin_shared import faults, tracing
from boyin_shared.bus.port import Handler, Subscription
from boyin_shared.clock import utcnow
from boyin_shared.errors import TransientError
from boyin_shared.events import Event, UndecodableEvent, decode

log = logging.getLogger("boyin.bus")

CONSUMED = Counter(
    "boyin_events_consumed_total", "Events taken from the bus", ["group", "type", "outcome"]
)
HANDLER_SECONDS = Histogram(
    "boyin_event_handler_seconds", "Time spent in event handlers", ["group", "type"]
)


@dataclass(frozen=True)
class DeadLetter:
    reason: str
    error: str

    async def record(
        self,
        sub: Subscription,
        *,
        topic: str,
        partition: int,
        offset: int,
        key: bytes | None,
        payload: bytes,
    ) -> bytes:
        """The dead-letter message: the original bytes plus why and where they failed;
        kept in the service's dead-letter store too, when the subscription has one."""
        record: dict[str, Any] = {
            "reason": self.reason,
            "error": self.error[:4000],
            "group": sub.group,
            "topic": topic,
            "partition": partition,
            "offset": offset,
            "key": key.decode("utf-8", "replace") if key else None,
            "payload": payload.decode("utf-8", "replace"),
            "failed_at": utcnow().isoformat(),
        }
        if sub.dead_letters is not None:
            await sub.dead_letters.keep(record)
        return json.dumps(record, ensure_ascii=False).encode()


def _backoff(sub: Subscription, attempt: int) -> float:
    return float(min(sub.max_backoff_seconds, sub.backoff_seconds * 2 ** (attempt - 1)))


async def handle_once(sub: Subscription, handler: Handler, event: Event) -> None:
    """Run one handler on one event, timed (a delivery's attempt, or an operator's replay)."""
    with HANDLER_SECONDS.labels(sub.group, event.type).time():
        faults.fail("handle", f"{sub.group}:{event.subject}")
        await handler(event)


async def deliver(sub: Subscription, payload: bytes) -> tuple[DeadLetter | None, str]:
    """Handle one message; return a dead letter when it must not be retried further.

    Transient infrastructure errors are retried with capped backoff for as long as it
    takes (cancelling the task stops it without committing); other errors are retried
    ``max_attempts`` times. Also returns the event's type ("?" when undecodable).
    """
    try:
        event = decode(payload)
    except UndecodableEvent as exc:
        CONSUMED.labels(sub.group, "?", "dead_letter").inc()
        log.warning("dead-lettering an undecodable message", extra={"error": str(exc)})
        return DeadLetter("undecodable", str(exc)), "?"
    handler = sub.handlers.get(type(event))
    if handler is None:
        CONSUMED.labels(sub.group, event.type, "ignored").inc()
        return None, event.type
    token = tracing.activate(event.trace_context())
    try:
        attempt = 0
        transient = 0
        while True:
            try:
                await handle_once(sub, handler, event)
            except TransientError as exc:
                transient += 1
                log.warning(
                    "transient failure, retrying",
                    extra={"event_id": event.id, "attempt": transient, "error": str(exc)},
                )
                await asyncio.sleep(_backoff(sub, transient))
                continue
            except Exception as exc:
                attempt += 1
                if attempt >= sub.max_attempts:
                    CONSUMED.labels(sub.group, event.type, "dead_letter").inc()
                    log.exception("handler failed; dead-lettering", extra={"event_id": event.id})
                    return DeadLetter("handler_failed", f"{type(exc).__name__}: {exc}"), event.type
                await asyncio.sleep(_backoff(sub, attempt))
                continue
            CONSUMED.labels(sub.group, event.type, "handled").inc()
            return None, event.type
    finally:
        tracing.restore(token)
