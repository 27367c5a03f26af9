"""The dead-letter store on the embedded store and on FerretDB: a letter kept once however
often it comes, pages in id order, an undecodable message kept (not replayable), staff
only, and a replay that runs the group's handler once."""

from __future__ import annotations

from typing import Any

import pytest

from boyin_shared.bus import Subscription
from boyin_shared.bus.dispatch import DeadLetter
from boyin_shared.dead_letters import DeadLetters
from boyin_shared.errors import BoyinError
from boyin_shared.events import encode
from boyin_shared.identity import Actor, Role
from boyin_shared.store import DocumentStore
from tests.shared.sample_events import NoteWritten, note

STAFF = Actor("acc_op", Role.OPERATOR)
TALENT = Actor("acc_t", Role.TALENT, party_id="tal_1")


async def test_letters_are_kept_once_paged_and_replayed_once(store: DocumentStore) -> None:
    handled: list[int] = []

    async def on_note(event: NoteWritten) -> None:
        handled.append(event.data.n)

    letters = DeadLetters(store, "tests")
    await letters.prepare()
    sub = Subscription("tests.notes", {NoteWritten: on_note}, dead_letters=letters)
    letters.serve([sub])

    async def dead(offset: int, payload: bytes) -> None:
        failed = DeadLetter("handler_failed", "RuntimeError: boom")
        where: dict[str, Any] = {"topic": "boyin.test.notes", "partition": 0, "key": b"s"}
        await failed.record(sub, offset=offset, payload=payload, **where)

    for offset in range(3):
        await dead(offset, encode(note("s", offset)))
    await dead(1, encode(note("s", 1)))  # dead-lettered again after a crash: kept once
    await dead(3, b"not an event")

    first = await letters.page(STAFF, None, None, 2)
    assert len(first.items) == 2 and first.next_after == first.items[-1].id
    rest = await letters.page(STAFF, None, first.next_after, 10)
    assert len(rest.items) == 2 and rest.next_after is None
    every = {letter.offset: letter for letter in (*first.items, *rest.items)}
    assert sorted(every) == [0, 1, 2, 3]
    assert every[3].event_type is None and every[1].subject == "s"
    with pytest.raises(BoyinError) as refused:
        await letters.page(TALENT, None, None, 10)
    assert refused.value.status == 403

    replayed = await letters.replay(STAFF, every[1].id)
    again = await letters.replay(STAFF, every[1].id)
    assert (replayed.status, again.status, handled) == ("REPLAYED", "REPLAYED", [1])
    with pytest.raises(BoyinError) as undecodable:
        await letters.replay(STAFF, every[3].id)
    assert undecodable.value.code == "DEAD_LETTER_NOT_REPLAYABLE"
    still_open = await letters.page(STAFF, every[1].status.OPEN, None, 10)
    assert sorted(x.offset for x in still_open.items) == [0, 2, 3]
