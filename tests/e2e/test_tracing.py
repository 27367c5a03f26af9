"""One trace from a GraphQL mutation to a matching worker, on the real Kafka broker and
FerretDB (deploy/): the whole platform in this process (its services on the Kafka bus and
the MongoDB-wire store), every span kept by the SDK's in-memory exporter.

An officer publishes a demand (``mutation publishDemand``); the registry writes it with
its ``DemandPublished`` event in the outbox; the relay publishes the event to Kafka; the
matching service's consumer handles it. The test follows the parent links from the
handler back to the gateway's server span."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from pathlib import Path

import pytest
from argon2 import PasswordHasher
from opentelemetry.sdk.trace import ReadableSpan
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from opentelemetry.trace import SpanKind
from pymongo import AsyncMongoClient

from boyin_gateway.accounts import passwords
from tests.gateway.support import YUZHONG, landing_content, staff_token
from tests.gateway.test_registry_flow import (
    create_demand,
    register_organisation,
    review_and_publish,
)
from tests.platform_harness import on_real_servers, platform_server
from tests.processes import Environment

pytestmark = [pytest.mark.infra, pytest.mark.slow]

HANDLED = "handle boyin.registry.demand.published"


def _by_id(spans: Sequence[ReadableSpan]) -> dict[int, ReadableSpan]:
    return {s.context.span_id: s for s in spans if s.context is not None}


def _parent(span: ReadableSpan, spans: dict[int, ReadableSpan]) -> ReadableSpan:
    assert span.parent is not None, f"{span.name} has no parent"
    found = spans.get(span.parent.span_id)
    assert found is not None, f"the parent of {span.name} was not recorded"
    return found


async def test_one_trace_from_a_graphql_mutation_to_a_matching_worker(
    spans: InMemorySpanExporter,
    environment: Environment,
    mongo: AsyncMongoClient,  # type: ignore[type-arg]  # drops the test's databases
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(passwords, "_HASHER", PasswordHasher(time_cost=1, memory_cost=1024))
    for name in ("OTEL_TRACES_SAMPLER", "OTEL_TRACES_SAMPLER_ARG", "OTEL_PROPAGATORS"):
        monkeypatch.delenv(name, raising=False)  # the defaults: every root sampled, W3C
    overrides = on_real_servers(
        environment.kafka_bootstrap, environment.mongo_url, environment.namespace
    )
    async with platform_server(tmp_path, **overrides) as url:
        org_id, org_token = await register_organisation(url, "hr@traced.example.cn", 4101)
        officer = await staff_token(
            url, "officer.traced@boyin.example", "DISTRICT_OFFICER", YUZHONG
        )
        demand = await create_demand(url, org_token, org_id, landing_content(), submit=True)
        await review_and_publish(url, officer, demand)
        handled: list[ReadableSpan] = []
        for _ in range(600):
            handled = [
                s
                for s in spans.get_finished_spans()
                if s.name == HANDLED
                and s.attributes is not None
                and s.attributes.get("messaging.consumer.group.name") == "matching"
                and s.attributes.get("boyin.event.subject") == demand["id"]
            ]
            if handled:
                break
            await asyncio.sleep(0.1)
    assert len(handled) == 1, "the matching worker's handler span was not recorded"
    finished = spans.get_finished_spans()
    recorded = _by_id(finished)
    handler = handled[0]
    assert handler.kind is SpanKind.CONSUMER

    # matching's own work (its database calls) runs inside the handler's span
    assert handler.context is not None
    work = [s for s in finished if s.parent and s.parent.span_id == handler.context.span_id]
    databases = {(s.attributes or {}).get("db.system") for s in work}
    assert "mongodb" in databases, [s.name for s in work]

    send = _parent(handler, recorded)  # the record's traceparent header: the send span
    assert send.kind is SpanKind.PRODUCER and send.name.endswith(" send"), send.name
    assert send.attributes is not None and send.attributes["messaging.system"] == "kafka"

    relay = _parent(send, recorded)
    assert relay.name == "outbox relay boyin.registry.demand.published"

    registry = _parent(relay, recorded)  # the registry's request that wrote the event
    # a server span in a process of its own; here (called in process) an internal one
    assert registry.kind in (SpanKind.SERVER, SpanKind.INTERNAL)
    assert registry.name.startswith("POST ") and registry.name.endswith("/publish"), registry.name

    operation = _parent(registry, recorded)
    assert operation.name == "mutation publishDemand"
    assert operation.attributes is not None
    assert operation.attributes["graphql.operation.type"] == "mutation"

    gateway = _parent(operation, recorded)
    assert gateway.kind is SpanKind.SERVER and gateway.name.startswith("POST"), gateway.name
    # the test's own request (httpx, instrumented) sent its span in a traceparent header
    client = _parent(gateway, recorded)
    assert client.kind is SpanKind.CLIENT and client.parent is None

    chain = (handler, send, relay, registry, operation, gateway, client)
    assert len({s.context.trace_id for s in chain if s.context is not None}) == 1
