"""The bus port: one suite over the embedded bus and the real Kafka broker."""

from __future__ import annotations

import json
from collections import defaultdict

import pytest

from boyin_shared.bus import DuplicateHandler, Subscription, handlers
from boyin_shared.errors import TransientError
from tests.shared.conftest import BusHarness, eventually
from tests.shared.sample_events import NoteWritten, note


async def test_events_arrive_in_order_per_subject(bus_harness: BusHarness) -> None:
    seen: dict[str, list[int]] = defaultdict(list)

    async def on_note(event: NoteWritten) -> None:
        seen[event.subject].append(event.data.n)

    bus = bus_harness.new_bus()
    bus.subscribe(Subscription("readers", {NoteWritten: on_note}))
    await bus.start()
    await bus.publish([note(f"s{i % 4}", i) for i in range(40)])
    await eventually(lambda: sum(map(len, seen.values())) == 40)
    for subject, numbers in seen.items():
        assert numbers == sorted(numbers), subject
        assert len(numbers) == 10


async def test_every_group_gets_every_event(bus_harness: BusHarness) -> None:
    got: dict[str, list[str]] = defaultdict(list)

    def handler(group: str):  # type: ignore[no-untyped-def]
        async def handle(event: NoteWritten) -> None:
            got[group].append(event.id)

        return handle

    bus = bus_harness.new_bus()
    bus.subscribe(Subscription("a", {NoteWritten: handler("a")}))
    bus.subscribe(Subscription("b", {NoteWritten: handler("b")}))
    await bus.start()
    events = [note("x", i) for i in range(5)]
    await bus.publish(events)
    await eventually(lambda: len(got["a"]) == 5 and len(got["b"]) == 5)
    assert got["a"] == got["b"] == [e.id for e in events]


async def test_failing_handler_is_retried_then_dead_lettered_and_consumer_goes_on(
    bus_harness: BusHarness,
) -> None:
    attempts: dict[int, int] = defaultdict(int)
    handled: list[int] = []

    async def on_note(event: NoteWritten) -> None:
        attempts[event.data.n] += 1
        if event.data.n == 1:
            raise ValueError("cannot digest note 1")
        handled.append(event.data.n)

    bus = bus_harness.new_bus()
    bus.subscribe(Subscription("picky", {NoteWritten: on_note}, max_attempts=3))
    await bus.start()
    await bus.publish([note("same", 0), note("same", 1), note("same", 2)])
    await eventually(lambda: handled == [0, 2])
    assert attempts[1] == 3
    [dead] = await bus_harness.dead_letters("picky", 1)
    assert dead["reason"] == "handler_failed"
    assert "cannot digest note 1" in dead["error"]
    assert json.loads(dead["payload"])["data"]["n"] == 1


async def test_bad_messages_go_to_the_dead_letter_topic_with_the_reason(
    bus_harness: BusHarness,
) -> None:
    handled: list[int] = []

    async def on_note(event: NoteWritten) -> None:
        handled.append(event.data.n)

    bus = bus_harness.new_bus()
    bus.subscribe(Subscription("strict", {NoteWritten: on_note}))
    await bus.start()
    good = note("k", 7)
    future_version = good.model_dump(mode="json") | {"schemaversion": 9}
    wrong_shape = good.model_dump(mode="json") | {"data": {"text": "no number"}}
    await bus_harness.inject(NoteWritten.topic, b"\xff not json")
    await bus_harness.inject(NoteWritten.topic, json.dumps(future_version).encode())
    await bus_harness.inject(NoteWritten.topic, json.dumps(wrong_shape).encode())
    await bus.publish([good])
    await eventually(lambda: handled == [7])
    dead = await bus_harness.dead_letters("strict", 3)
    reasons = sorted(d["error"].split(":")[0] for d in dead)
    assert [d["reason"] for d in dead] == ["undecodable"] * 3
    assert reasons[0].startswith("invalid boyin.test.note.written v1")
    assert reasons[1] == "not JSON"
    assert "unsupported schemaversion 9" in dead[1]["error"] or any(
        "unsupported schemaversion 9" in d["error"] for d in dead
    )


async def test_transient_errors_are_retried_without_dead_lettering(
    bus_harness: BusHarness,
) -> None:
    failures = 0
    handled: list[int] = []

    async def on_note(event: NoteWritten) -> None:
        nonlocal failures
        if failures < 8:  # more than max_attempts: transient errors do not count
            failures += 1
            raise TransientError("database restarting")
        handled.append(event.data.n)

    bus = bus_harness.new_bus()
    bus.subscribe(
        Subscription("patient", {NoteWritten: on_note}, max_attempts=2, max_backoff_seconds=0.05)
    )
    await bus.start()
    await bus.publish([note("k", 1)])
    await eventually(lambda: handled == [1])
    assert await bus_harness.dead_letters("patient", 0) == []


async def test_committed_offsets_survive_a_restart(bus_harness: BusHarness) -> None:
    first: list[int] = []
    second: list[int] = []

    async def one(event: NoteWritten) -> None:
        first.append(event.data.n)

    async def two(event: NoteWritten) -> None:
        second.append(event.data.n)

    bus = bus_harness.new_bus()
    bus.subscribe(Subscription("resume", {NoteWritten: one}))
    await bus.start()
    await bus.publish([note("k", i) for i in range(3)])
    await eventually(lambda: len(first) == 3)
    await bus.stop()

    again = bus_harness.new_bus()
    again.subscribe(Subscription("resume", {NoteWritten: two}))
    await again.start()
    await again.publish([note("k", 3)])
    await eventually(lambda: second == [3])


def test_handler_tables_refuse_an_event_claimed_twice() -> None:
    async def first(event: NoteWritten) -> None: ...

    async def second(event: NoteWritten) -> None: ...

    assert handlers({NoteWritten: first}, {}) == {NoteWritten: first}
    with pytest.raises(DuplicateHandler, match=r"NoteWritten .* both .*first and .*second"):
        handlers({NoteWritten: first}, {NoteWritten: second})
