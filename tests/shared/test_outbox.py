"""The outbox inside the aggregate document, over both store adapters."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence

from boyin_shared.bus.embedded import EmbeddedBus
from boyin_shared.events import Event
from boyin_shared.outbox import Outbox, already_applied, state_of
from boyin_shared.store import DocumentStore
from tests.shared.conftest import eventually
from tests.shared.sample_events import note


class RecordingBus(EmbeddedBus):
    def __init__(self) -> None:
        super().__init__(":memory:")
        self.published: list[str] = []
        self.fail_next = 0

    async def publish(self, events: Sequence[Event]) -> None:
        if self.fail_next:
            self.fail_next -= 1
            raise ConnectionError("broker down")
        await super().publish(events)
        self.published += [e.id for e in events]


async def test_state_and_events_are_written_together_and_relayed(store: DocumentStore) -> None:
    bus = RecordingBus()
    await bus.start()
    outbox = Outbox(store, bus, sweep_seconds=0.05)
    things = store.collection("things")
    await outbox.track(things)
    await outbox.start()
    first = note("t1", 1)
    await outbox.create(things, "t1", {"name": "one"}, [first])
    doc = await things.get("t1")
    assert doc is not None
    second = note("t1", 2)
    assert await outbox.save(things, doc, {"name": "uno"}, [second])
    assert not await outbox.save(things, doc, {"name": "stale"}, [note("t1", 3)])
    await eventually(lambda: bus.published == [first.id, second.id])

    async def drained() -> bool:
        doc = await things.get("t1")
        return doc is not None and doc["_outbox"] == [] and doc["_pending"] is False

    await eventually(drained)
    await outbox.stop()
    doc = await things.get("t1")
    assert doc is not None
    assert state_of(doc) == {"name": "uno"}
    assert doc["_outbox"] == [] and doc["_pending"] is False and doc["_rev"] == 2
    await bus.stop()


async def test_a_crash_between_write_and_publish_loses_nothing(store: DocumentStore) -> None:
    bus = RecordingBus()
    await bus.start()
    things = store.collection("things")
    crashed = Outbox(store, bus)  # never started: the process "died" after the write
    await crashed.track(things)
    events = [note("t", i) for i in range(3)]
    await crashed.create(things, "t", {"v": 1}, events)
    assert bus.published == []

    restarted = Outbox(store, bus)
    await restarted.track(things)
    bus.fail_next = 1  # the broker is still down at the first attempt
    try:
        await restarted.sweep()
    except ConnectionError:
        pass
    assert await restarted.sweep() == 3
    assert bus.published == [e.id for e in events]
    assert await restarted.sweep() == 0
    await bus.stop()


async def test_domain_writes_racing_the_relay_lose_no_event(store: DocumentStore) -> None:
    bus = RecordingBus()
    await bus.start()
    outbox = Outbox(store, bus, sweep_seconds=0.05)
    things = store.collection("things")
    await outbox.track(things)
    await outbox.start()
    await outbox.create(things, "t", {"n": 0})
    written: list[str] = []

    async def writer() -> None:
        for i in range(15):
            while True:
                doc = await things.get("t")
                assert doc is not None
                event = note("t", i)
                if await outbox.save(things, doc, {"n": doc["n"] + 1}, [event]):
                    written.append(event.id)
                    break

    await asyncio.gather(writer(), writer())
    await eventually(lambda: set(bus.published) >= set(written))
    await outbox.stop()
    doc = await things.get("t")
    assert doc is not None and doc["n"] == 30
    assert len(written) == 30
    await bus.stop()


async def test_inbox_remembers_consumed_events(store: DocumentStore) -> None:
    bus = RecordingBus()
    await bus.start()
    outbox = Outbox(store, bus)
    things = store.collection("things")
    await outbox.create(things, "t", {"count": 1}, consumed="ev_a")
    doc = await things.get("t")
    assert doc is not None and already_applied(doc, "ev_a")
    assert await outbox.save(things, doc, {"count": 2}, consumed="ev_b")
    doc = await things.get("t")
    assert doc is not None
    assert already_applied(doc, "ev_a") and already_applied(doc, "ev_b")
    assert not already_applied(doc, "ev_c")
    await bus.stop()
