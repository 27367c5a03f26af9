"""The Kafka adapter (aiokafka).

* Producer: idempotent, ``acks=all``; the message key is the event's subject, so one
  aggregate's events stay in one partition, in order.
* Consumers: one per subscription, in the subscription's consumer group, offsets
  committed by hand only after the handler succeeded or the message was dead-lettered.
  A rebalance listener waits for the batch in flight (which commits) before partitions
  move, so a partition is never worked on by two members at once.
* Tracing: the aiokafka instrumentation makes a send span under each event's own context
  (its envelope's ``traceparent``: the outbox relay's span) and writes it in the record's
  ``traceparent`` header, which the consumer's handler span continues.
* ``boyin_consumer_lag_messages``: per group and partition, the high watermark less the
  consumer's position, refreshed before each fetch.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Iterable, Sequence
from typing import Any

from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, ConsumerRebalanceListener, TopicPartition
from aiokafka.admin import AIOKafkaAdminClient, NewTopic
from aiokafka.errors import CommitFailedError, KafkaError, TopicAlreadyExistsError
from opentelemetry import context

from boyin_shared import faults
from boyin_shared.bus.dispatch import LAG, deliver
from boyin_shared.bus.port import Subscription
from boyin_shared.events import Event, encode

log = logging.getLogger("boyin.bus")


class _Rebalance(ConsumerRebalanceListener):  # type: ignore[misc]
    def __init__(self, lock: asyncio.Lock, group: str) -> None:
        self._lock = lock
        self._group = group

    async def on_partitions_revoked(self, revoked: Iterable[TopicPartition]) -> None:
        # The batch in flight holds the lock and commits before releasing it.
        async with self._lock:
            log.info("partitions revoked", extra={"group": self._group, "count": len(set(revoked))})
        for tp in revoked:  # the new owner reports their lag
            with contextlib.suppress(KeyError):
                LAG.remove(self._group, tp.topic, str(tp.partition))

    async def on_partitions_assigned(self, assigned: Iterable[TopicPartition]) -> None:
        log.info("partitions assigned", extra={"group": self._group, "count": len(set(assigned))})


class KafkaBus:
    def __init__(
        self,
        bootstrap_servers: str,
        *,
        client_id: str,
        partitions: int = 6,
        replication_factor: int = 1,
        topic_prefix: str = "",
    ) -> None:
        self._bootstrap = bootstrap_servers
        self._prefix = topic_prefix
        self._client_id = client_id
        self._partitions = partitions
        self._replication = replication_factor
        self._subscriptions: list[Subscription] = []
        self._producer: AIOKafkaProducer | None = None
        self._consumers: list[AIOKafkaConsumer] = []
        self._tasks: list[asyncio.Task[None]] = []
        self._ready = False

    def subscribe(self, subscription: Subscription) -> None:
        if self._producer is not None:
            raise RuntimeError("subscribe before start")
        self._subscriptions.append(subscription)

    async def ensure_topics(self, topics: Iterable[str]) -> None:
        admin = AIOKafkaAdminClient(bootstrap_servers=self._bootstrap, client_id=self._client_id)
        await admin.start()
        try:
            existing = set(await admin.list_topics())
            missing = sorted(set(topics) - existing)
            if missing:
                with contextlib.suppress(TopicAlreadyExistsError):
                    await admin.create_topics(
                        [NewTopic(t, self._partitions, self._replication) for t in missing]
                    )
        finally:
            await admin.close()

    def _topic(self, name: str) -> str:
        """Topics live under an optional prefix, so environments can share a cluster."""
        return self._prefix + name

    async def start(self) -> None:
        topics = {
            self._topic(t) for s in self._subscriptions for t in (*s.topics, s.dead_letter_topic)
        }
        await self.ensure_topics(topics)
        self._producer = AIOKafkaProducer(
            bootstrap_servers=self._bootstrap,
            client_id=self._client_id,
            acks="all",
            enable_idempotence=True,
            linger_ms=2,
            request_timeout_ms=15000,
        )
        await self._producer.start()
        for sub in self._subscriptions:
            lock = asyncio.Lock()
            consumer = AIOKafkaConsumer(
                bootstrap_servers=self._bootstrap,
                client_id=self._client_id,
                group_id=sub.group,
                enable_auto_commit=False,
                auto_offset_reset="latest" if sub.from_latest else "earliest",
                max_poll_records=200,
                session_timeout_ms=10000,
                heartbeat_interval_ms=2000,
                metadata_max_age_ms=30000,
            )
            consumer.subscribe(
                [self._topic(t) for t in sub.topics], listener=_Rebalance(lock, sub.group)
            )
            await consumer.start()
            self._consumers.append(consumer)
            self._tasks.append(asyncio.create_task(self._consume(sub, consumer, lock)))
        self._ready = True

    async def stop(self) -> None:
        self._ready = False
        for task in self._tasks:
            task.cancel()
        for task in self._tasks:
            with contextlib.suppress(asyncio.CancelledError):
                await task
        self._tasks.clear()
        for consumer in self._consumers:
            await consumer.stop()
        self._consumers.clear()
        if self._producer is not None:
            await self._producer.stop()
            self._producer = None

    def is_ready(self) -> bool:
        return self._ready

    async def publish(self, events: Sequence[Event]) -> None:
        if self._producer is None:
            raise RuntimeError("the bus is not started")
        futures = []
        for e in events:
            token = context.attach(e.trace_context())  # the send span goes under the event's
            try:
                futures.append(
                    await self._producer.send(
                        self._topic(e.topic),
                        encode(e),
                        key=e.subject.encode(),
                        headers=[("ce_type", e.type.encode()), ("ce_id", e.id.encode())],
                    )
                )
            finally:
                context.detach(token)
        await asyncio.gather(*futures)

    async def _consume(
        self, sub: Subscription, consumer: AIOKafkaConsumer, lock: asyncio.Lock
    ) -> None:
        while True:
            await _measure_lag(sub.group, consumer)
            try:
                batches = await consumer.getmany(timeout_ms=500)
            except KafkaError:
                log.warning("fetch failed; retrying", exc_info=True)
                await asyncio.sleep(1.0)
                continue
            for tp, messages in batches.items():
                async with lock:
                    await self._handle_batch(sub, consumer, tp, messages)

    async def _handle_batch(
        self, sub: Subscription, consumer: AIOKafkaConsumer, tp: TopicPartition, messages: list[Any]
    ) -> None:
        done: int | None = None
        for message in messages:
            if tp not in consumer.assignment():
                break  # revoked meanwhile: the new owner starts after our last commit
            dead, kind = await deliver(sub, message.value, _trace_headers(message.headers))
            if dead is not None:
                assert self._producer is not None
                await self._producer.send_and_wait(
                    self._topic(sub.dead_letter_topic),
                    await dead.record(
                        sub,
                        topic=tp.topic,
                        partition=tp.partition,
                        offset=message.offset,
                        key=message.key,
                        payload=message.value,
                    ),
                    key=message.key,
                )
            faults.hit("after_handle", sub.group, f"{sub.group}:{kind}")
            done = message.offset
        if done is None:
            return
        try:
            await consumer.commit({tp: done + 1})
        except (CommitFailedError, KafkaError):
            # The group moved on; the next owner re-reads from the last commit and the
            # idempotent handlers make the repeat harmless.
            log.warning("commit failed", exc_info=True, extra={"group": sub.group})


def _trace_headers(headers: Sequence[tuple[str, bytes]] | None) -> dict[str, str]:
    """The record's W3C trace context headers (written by the aiokafka instrumentation)."""
    return {
        key: value.decode("latin-1")
        for key, value in headers or ()
        if key in ("traceparent", "tracestate") and value is not None
    }


async def _measure_lag(group: str, consumer: AIOKafkaConsumer) -> None:
    for tp in consumer.assignment():
        end = consumer.highwater(tp)
        if end is None:  # nothing fetched from it yet
            continue
        try:
            position = await consumer.position(tp)
        except KafkaError:
            continue
        LAG.labels(group, tp.topic, str(tp.partition)).set(max(0, end - position))
