"""Test environments of service processes against the real Kafka broker and FerretDB,
and what their tests do on the broker: publish as another service would, read a topic."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from aiokafka import AIOKafkaConsumer, AIOKafkaProducer

from boyin_platform.processes import ManagedProcess, platform_env
from boyin_shared.events import Event, encode
from tests.apps import SECRET


@dataclass
class Environment:
    """One isolated platform on the shared servers: its own topics and databases."""

    kafka_bootstrap: str
    mongo_url: str
    namespace: str
    logs: Path

    def process(self, service: str) -> ManagedProcess:
        env = platform_env(
            kafka_bootstrap=self.kafka_bootstrap,
            mongo_url=self.mongo_url,
            namespace=self.namespace,
            secret=SECRET,
        )
        env |= {"BOYIN_KAFKA_PARTITIONS": "4", "BOYIN_OUTBOX_SWEEP_SECONDS": "0.5"}
        return ManagedProcess(service, f"boyin_{service}", env, self.logs)


async def poll(what: str, check: Any, timeout: float = 60.0) -> Any:
    deadline = asyncio.get_running_loop().time() + timeout
    while True:
        result = await check()
        if result:
            return result
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError(f"{what}: not within {timeout}s")
        await asyncio.sleep(0.2)


async def produce(env: Environment, events: Sequence[Event]) -> None:
    """Publish as the registry and matching would, onto this environment's topics."""
    producer = AIOKafkaProducer(bootstrap_servers=env.kafka_bootstrap, acks="all")
    await producer.start()
    try:
        for e in events:
            await producer.send_and_wait(
                f"{env.namespace}.{e.topic}", encode(e), key=e.subject.encode()
            )
    finally:
        await producer.stop()


async def topic_now(env: Environment, topic: str) -> list[dict[str, Any]]:
    """Every message on ``topic`` up to its current end, oldest first per partition."""
    consumer = AIOKafkaConsumer(
        f"{env.namespace}.{topic}",
        bootstrap_servers=env.kafka_bootstrap,
        auto_offset_reset="earliest",
        enable_auto_commit=False,
    )
    await consumer.start()
    try:
        out: list[dict[str, Any]] = []
        for _ in range(50):
            if consumer.assignment():
                break
            batch = await consumer.getmany(timeout_ms=200)
            out += [json.loads(m.value) for ms in batch.values() for m in ms]
        partitions = list(consumer.assignment())
        ends = await consumer.end_offsets(partitions)
        while [tp for tp in partitions if await consumer.position(tp) < ends[tp]]:
            batch = await consumer.getmany(*partitions, timeout_ms=1000)
            out += [json.loads(m.value) for ms in batch.values() for m in ms]
        return out
    finally:
        await consumer.stop()
