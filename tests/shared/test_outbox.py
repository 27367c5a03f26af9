"""The outbox inside the aggregate document, over both store adapters."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Sequence

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


class WritingBus(RecordingBus):
    """Publishes, then (once) lets a domain write add an event to a document being
    flushed: the moment between the relay's read and its clearing write."""

    def __init__(self, write: Callable[[], Awaitable[None]]) -> None:
        super().__init__()
        self.write: Callable[[], Awaitable[None]] | None = write

    async def publish(self, events: Sequence[Event]) -> None:
        await super().publish(events)
        if self.write is not None:
            write, self.write = self.write, None
            await write()


async def test_many_documents_flushed_together_lose_and_repeat_nothing(
    store: DocumentStore,
) -> None:
    """Forty documents in one flush (one read, one publish, one write), one of which
    takes a new event while it is being flushed: every event is published once, every
    outbox ends empty and unflagged."""
    things = store.collection("things")
    late = note("t7", 99)

    async def write() -> None:
        doc = await things.get("t7")
        assert doc is not None
        assert await outbox.save(things, doc, {"n": -1}, [late])

    bus = WritingBus(write)
    await bus.start()
    outbox = Outbox(store, bus)
    await outbox.track(things)
    created = []
    for i in range(40):
        events = [note(f"t{i}", j) for j in range(i % 3)]
        created += [e.id for e in events]
        await outbox.create(things, f"t{i}", {"n": i}, events)
    ids = [f"t{i}" for i in range(40)]
    assert await outbox.flush_many(things, [*ids, "gone"]) == len(created) + 1
    assert sorted(bus.published) == sorted([*created, late.id])
    for doc in await things.find({}):
        assert doc["_outbox"] == [] and doc["_pending"] is False, doc
    assert await outbox.sweep() == 0
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


async def test_save_many_writes_each_unless_changed_since_read(store: DocumentStore) -> None:
    bus = RecordingBus()
    await bus.start()
    outbox = Outbox(store, bus)
    things = store.collection("things")
    await outbox.track(things)
    for i in range(3):
        await outbox.create(things, f"t{i}", {"v": 0}, [], consumed=f"seen{i}")
    read = {d["_id"]: d for d in await things.get_many(["t0", "t1", "t2"])}
    assert await outbox.save(things, read["t1"], {"v": -1})  # written meanwhile
    events = {k: note(k, 1) for k in read}
    saves = [(read[k], {"v": 1, "_rev": 99, "_id": "x"}, [events[k]]) for k in sorted(read)]
    assert await outbox.save_many(things, saves) == 2
    after = {d["_id"]: d for d in await things.get_many(["t0", "t1", "t2"])}
    for k in ("t0", "t2"):  # state and event together; bookkeeping given as state ignored
        assert (after[k]["v"], after[k]["_rev"], after[k]["_pending"]) == (1, 2, True)
        assert [e["id"] for e in after[k]["_outbox"]] == [events[k].id]
        assert after[k]["_inbox"] == [f"seen{k[1]}"]
    assert (after["t1"]["v"], after["t1"]["_outbox"]) == (-1, [])  # left as it was
    assert await outbox.save_many(things, []) == 0
    assert await outbox.sweep() == 2
    assert sorted(bus.published) == sorted([events["t0"].id, events["t2"].id])
    await bus.stop()
