"""What every adapter does with one message: decode, run the handler, retry, dead-letter.

Each handled event gets a span ``handle <event type>`` (a consumer span) that continues the
publisher's trace: the Kafka record's ``traceparent`` header when the adapter gives it
(the aiokafka instrumentation's send span), otherwise the envelope's (the embedded bus).
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from opentelemetry.trace import SpanKind, Status, StatusCode
from prometheus_client import Counter, Gauge, Histogram

from boyin_shared import faults, propagation
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
LAG = Gauge(
    "boyin_consumer_lag_messages",
    "Messages of a partition its consumer group has not handled yet",
    ["group", "topic", "partition"],
)
DEAD_LETTERS = Counter(
    "boyin_dead_letters_total",
    "Messages a consumer group sent to its dead-letter topic",
    ["group", "type", "reason"],
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


async def deliver(
    sub: Subscription, payload: bytes, headers: Mapping[str, str] | None = None
) -> tuple[DeadLetter | None, str]:
    """Handle one message; return a dead letter when it must not be retried further.
    ``headers``: the trace context the transport carried beside the message, if any.

    Transient infrastructure errors are retried with capped backoff for as long as it
    takes (cancelling the task stops it without committing); other errors are retried
    ``max_attempts`` times. Also returns the event's type ("?" when undecodable).
    """
    try:
        event = decode(payload)
    except UndecodableEvent as exc:
        CONSUMED.labels(sub.group, "?", "dead_letter").inc()
        DEAD_LETTERS.labels(sub.group, "?", "undecodable").inc()
        log.warning("dead-lettering an undecodable message", extra={"error": str(exc)})
        return DeadLetter("undecodable", str(exc)), "?"
    handler = sub.handlers.get(type(event))
    if handler is None:
        CONSUMED.labels(sub.group, event.type, "ignored").inc()
        return None, event.type
    parent = (
        propagation.extract(headers)
        if headers and "traceparent" in headers
        else event.trace_context()
    )
    with propagation.TRACER.start_as_current_span(
        f"handle {event.type}",
        context=parent,
        kind=SpanKind.CONSUMER,
        attributes={
            "messaging.consumer.group.name": sub.group,
            "messaging.destination.name": event.topic,
            "messaging.message.id": event.id,
            "boyin.event.type": event.type,
            "boyin.event.subject": event.subject,
        },
    ) as span:
        dead = await _handle(sub, handler, event)
        if dead is not None:
            span.set_status(Status(StatusCode.ERROR, dead.error[:200]))
        return dead, event.type


async def _handle(sub: Subscription, handler: Handler, event: Event) -> DeadLetter | None:
    """Run ``handler``, retrying as :func:`deliver` says; a dead letter when it gave up."""
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
                DEAD_LETTERS.labels(sub.group, event.type, "handler_failed").inc()
                log.exception("handler failed; dead-lettering", extra={"event_id": event.id})
                return DeadLetter("handler_failed", f"{type(exc).__name__}: {exc}")
            await asyncio.sleep(_backoff(sub, attempt))
            continue
        CONSUMED.labels(sub.group, event.type, "handled").inc()
        return None
