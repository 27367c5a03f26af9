"""OpenTelemetry in the shared mechanism, in one process: an HTTP request's server span
continues the caller's ``traceparent``; an event written in a trace is relayed by the
outbox and handled on the in-process bus in that same trace (request -> outbox relay ->
handler), the envelope naming the relay's span; log lines carry the ids; and the
operators' metrics (dead letters, consumer lag, outbox backlog) move."""

from __future__ import annotations

import io
import json
import logging
from collections.abc import Sequence

import httpx
from fastapi import FastAPI
from opentelemetry import trace
from opentelemetry.sdk.trace import ReadableSpan
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from opentelemetry.trace import SpanKind
from prometheus_client import REGISTRY

from boyin_shared import http, logs, propagation, telemetry
from boyin_shared.bus import Subscription
from boyin_shared.bus.embedded import EmbeddedBus
from boyin_shared.events import Event
from boyin_shared.outbox import Outbox
from boyin_shared.scrape import ScrapeAccess
from boyin_shared.store.sqlite import SqliteStore
from tests.shared.conftest import eventually
from tests.shared.sample_events import NoteWritten, note

NOTE_TYPE = "boyin.test.note.written"
CALLER = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"


def _one(spans: Sequence[ReadableSpan], name: str) -> ReadableSpan:
    found = [s for s in spans if s.name == name]
    assert len(found) == 1, [s.name for s in spans]
    return found[0]


def _hex(span: ReadableSpan) -> tuple[str, str]:
    assert span.context is not None
    return format(span.context.trace_id, "032x"), format(span.context.span_id, "016x")


async def test_a_server_span_continues_the_callers_trace(spans: InMemorySpanExporter) -> None:
    served = FastAPI(telemetry=telemetry.NATIVE_OFF)  # as every application of the platform

    async def ready() -> bool:
        return True

    http.install(served, "test", ready, scrape=ScrapeAccess())

    @served.get("/things/{name}")
    async def thing(name: str) -> dict[str, str | None]:
        return {"traceparent": propagation.traceparent()}

    transport = httpx.ASGITransport(app=served)
    async with httpx.AsyncClient(transport=transport, base_url="http://service") as client:
        answer = await client.get("/things/x", headers={"traceparent": CALLER})
        await client.get("/healthz")  # probes make no span
    names = [s.name for s in spans.get_finished_spans()]
    assert "GET /healthz" not in names
    server = _one(spans.get_finished_spans(), "GET /things/{name}")
    assert server.kind is SpanKind.SERVER
    assert server.parent is not None and format(server.parent.span_id, "016x") == "b7ad6b7169203331"
    trace_id, span_id = _hex(server)
    assert trace_id == "0af7651916cd43dd8448eb211c80319c"  # the caller's trace goes on
    # what the route sees as current is the server span
    assert answer.json()["traceparent"].startswith(f"00-{trace_id}-{span_id}-")
    assert server.attributes is not None
    assert server.attributes["http.response.status_code"] == 200
    assert server.attributes["http.route"] == "/things/{name}"


async def test_a_request_not_sampled_records_nothing_and_says_so_downstream(
    spans: InMemorySpanExporter,
) -> None:
    served = FastAPI(telemetry=telemetry.NATIVE_OFF)

    async def ready() -> bool:
        return True

    http.install(served, "test", ready, scrape=ScrapeAccess())

    @served.get("/things/{name}")
    async def thing(name: str) -> dict[str, str | None]:
        return {"traceparent": propagation.traceparent()}

    unsampled = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-00"
    transport = httpx.ASGITransport(app=served)
    async with httpx.AsyncClient(transport=transport, base_url="http://service") as client:
        answer = await client.get("/things/x", headers={"traceparent": unsampled})
    assert [s.name for s in spans.get_finished_spans()] == []
    # the caller's trace goes on, unsampled, so what the route calls is not sampled afresh
    sent = answer.json()["traceparent"]
    assert sent.startswith("00-0af7651916cd43dd8448eb211c80319c-") and sent.endswith("-00")


async def test_an_event_is_relayed_and_handled_in_the_trace_that_wrote_it(
    spans: InMemorySpanExporter,
) -> None:
    bus = EmbeddedBus(":memory:")
    seen: list[Event] = []

    async def handle(event: NoteWritten) -> None:
        seen.append(event)
        with propagation.TRACER.start_as_current_span("inside the handler"):
            pass

    bus.subscribe(Subscription("notes.reader", {NoteWritten: handle}))
    store = SqliteStore(":memory:")
    outbox = Outbox(store, bus, sweep_seconds=60, service="tests")
    things = store.collection("things")
    await outbox.track(things)
    await bus.start()
    await outbox.start()
    try:
        with propagation.TRACER.start_as_current_span("request") as request:
            written = note("t1", 1)
            await outbox.create(things, "t1", {"name": "one"}, [written])
        untraced = note("t2", 2)  # outside any trace: none to carry
        await eventually(lambda: len(seen) == 1)
    finally:
        await outbox.stop()
        await bus.stop()
        await store.close()
    assert written.traceparent == propagation.traceparent(trace.set_span_in_context(request))
    assert untraced.traceparent is None

    finished = spans.get_finished_spans()
    relay = _one(finished, "outbox relay boyin.test.note.written")
    handler = _one(finished, "handle boyin.test.note.written")
    inner = _one(finished, "inside the handler")
    root = _one(finished, "request")
    assert relay.parent is not None and root.context is not None
    assert relay.parent.span_id == root.context.span_id
    assert relay.kind is SpanKind.PRODUCER and handler.kind is SpanKind.CONSUMER
    assert handler.parent is not None and relay.context is not None
    assert handler.parent.span_id == relay.context.span_id
    assert inner.parent is not None and handler.context is not None
    assert inner.parent.span_id == handler.context.span_id
    assert {s.context.trace_id for s in (root, relay, handler, inner) if s.context} == {
        root.context.trace_id
    }
    # the envelope the handler got names the relay's span, the same id as in the trace
    trace_id, relay_id = _hex(relay)
    assert seen[0].id == written.id
    assert seen[0].traceparent is not None
    assert seen[0].traceparent.startswith(f"00-{trace_id}-{relay_id}-")
    assert handler.attributes is not None
    assert handler.attributes["messaging.consumer.group.name"] == "notes.reader"


def test_log_lines_carry_the_current_trace_and_span_ids(spans: InMemorySpanExporter) -> None:
    stream = io.StringIO()
    logs.configure("tests", "INFO", as_json=True, stream=stream)
    try:
        logging.getLogger("boyin.tests").info("outside")
        with propagation.TRACER.start_as_current_span("work") as span:
            logging.getLogger("boyin.tests").info("inside")
    finally:
        logging.getLogger().handlers.clear()
    outside, inside = (json.loads(line) for line in stream.getvalue().splitlines())
    assert "trace_id" not in outside and "span_id" not in outside
    context = span.get_span_context()
    assert inside["trace_id"] == format(context.trace_id, "032x")
    assert inside["span_id"] == format(context.span_id, "016x")


def _sample(name: str, **labels: str) -> float:
    return REGISTRY.get_sample_value(name, labels) or 0.0


async def test_dead_letters_and_consumer_lag_are_measured() -> None:
    bus = EmbeddedBus(":memory:")

    async def refuse(event: NoteWritten) -> None:
        raise ValueError("no")

    group = "notes.refuser"
    bus.subscribe(Subscription(group, {NoteWritten: refuse}, max_attempts=1))
    before = _sample(
        "boyin_dead_letters_total", group=group, type=NOTE_TYPE, reason="handler_failed"
    )
    await bus.start()
    try:
        await bus.publish([note("t1", 1), note("t1", 2)])
        await eventually(
            lambda: (
                _sample(
                    "boyin_dead_letters_total",
                    group=group,
                    type=NOTE_TYPE,
                    reason="handler_failed",
                )
                == before + 2
            )
        )
        lag = {"group": group, "topic": NoteWritten.topic, "partition": "0"}
        await eventually(lambda: REGISTRY.get_sample_value("boyin_consumer_lag_messages", lag) == 0)
    finally:
        await bus.stop()


class DownBus(EmbeddedBus):
    async def publish(self, events: Sequence[Event]) -> None:
        raise ConnectionError("broker down")


async def test_the_outbox_backlog_and_its_age_are_measured_while_the_bus_is_down() -> None:
    store = SqliteStore(":memory:")
    outbox = Outbox(store, DownBus(":memory:"), service="backlogged")
    things = store.collection("things")
    await outbox.track(things)
    labels = {"service": "backlogged", "collection": "things"}
    await outbox.create(things, "t1", {}, [note("t1", 1), note("t1", 2)])
    try:
        await outbox.sweep()
    except ConnectionError:
        pass
    await store.close()
    assert REGISTRY.get_sample_value("boyin_outbox_pending_events", labels) == 2
    age = REGISTRY.get_sample_value("boyin_outbox_oldest_event_age_seconds", labels)
    assert age is not None and 0 <= age < 60
