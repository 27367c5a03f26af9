"""Bus fixtures: the same suite over the embedded bus and the real Kafka broker."""

from __future__ import annotations

import asyncio
import inspect
import json
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer

from boyin_shared.bus import EventBus
from boyin_shared.bus.embedded import EmbeddedBus
from boyin_shared.bus.kafka import KafkaBus
from tests.conftest import unique_name


@dataclass
class BusHarness:
    """Makes buses of one kind and reaches underneath them like an operator would."""

    kind: str
    make: Callable[[], EventBus]
    inject: Callable[[str, bytes], Awaitable[None]]
    dead_letters: Callable[[str, int], Awaitable[list[dict[str, Any]]]]
    buses: list[EventBus] = field(default_factory=list)

    def new_bus(self) -> EventBus:
        bus = self.make()
        self.buses.append(bus)
        return bus


async def eventually(check: Callable[[], bool | Awaitable[bool]], timeout: float = 20.0) -> None:
    """Wait until ``check()`` (plain or awaitable) is true."""

    async def holds() -> bool:
        result = check()
        return bool(await result) if inspect.isawaitable(result) else bool(result)

    deadline = asyncio.get_running_loop().time() + timeout
    while not await holds():
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError("condition not met in time")
        await asyncio.sleep(0.05)


@pytest.fixture(params=["embedded", pytest.param("kafka", marks=pytest.mark.infra)])
async def bus_harness(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[BusHarness]:
    if request.param == "embedded":
        path = tmp_path / "bus.sqlite"
        shared: list[EmbeddedBus] = []

        def make_embedded() -> EventBus:
            bus = EmbeddedBus(path)
            shared.append(bus)
            return bus

        async def inject_embedded(topic: str, raw: bytes) -> None:
            await shared[0]._append([(topic, "k", raw)])

        async def dlq_embedded(group: str, expected: int) -> list[dict[str, Any]]:
            out: list[dict[str, Any]] = []
            for _ in range(200):
                out = [json.loads(r) for r in await shared[0].read_topic(f"boyin.dlq.{group}")]
                if len(out) >= expected:
                    break
                await asyncio.sleep(0.05)
            return out

        harness = BusHarness("embedded", make_embedded, inject_embedded, dlq_embedded)
    else:
        bootstrap = request.getfixturevalue("kafka_bootstrap")
        prefix = unique_name("t") + "."

        def make_kafka() -> EventBus:
            return KafkaBus(bootstrap, client_id="tests", partitions=3, topic_prefix=prefix)

        async def inject_kafka(topic: str, raw: bytes) -> None:
            producer = AIOKafkaProducer(bootstrap_servers=bootstrap)
            await producer.start()
            try:
                await producer.send_and_wait(prefix + topic, raw, key=b"k")
            finally:
                await producer.stop()

        async def dlq_kafka(group: str, expected: int) -> list[dict[str, Any]]:
            consumer = AIOKafkaConsumer(
                prefix + f"boyin.dlq.{group}",
                bootstrap_servers=bootstrap,
                auto_offset_reset="earliest",
                enable_auto_commit=False,
            )
            await consumer.start()
            out: list[dict[str, Any]] = []
            try:
                deadline = asyncio.get_running_loop().time() + 20
                while len(out) < expected and asyncio.get_running_loop().time() < deadline:
                    batch = await consumer.getmany(timeout_ms=500)
                    out += [json.loads(m.value) for ms in batch.values() for m in ms]
            finally:
                await consumer.stop()
            return out

        harness = BusHarness("kafka", make_kafka, inject_kafka, dlq_kafka)
    yield harness
    for bus in reversed(harness.buses):
        await bus.stop()
