"""Where a service keeps the events its consumers gave up on, and how one is replayed.

The bus hands every dead letter to :meth:`DeadLetters.keep` (besides the dead-letter
topic): one document per message in the service's ``dead_letters`` collection, its id
derived from where the message was (group, topic, partition, offset), so a message
dead-lettered again after a crash is kept once. An operator lists them and, once the
cause is fixed (a deploy, a corrected reference), replays one: its handler runs once
more, here, for that consumer group only (not republished, so no other group sees it
again). A replayed letter is marked so, and replaying it again does nothing.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from prometheus_client import Counter

from boyin_shared import propagation
from boyin_shared.api.dead_letters import DeadLetterOut, DeadLetterPage, DeadLetterStatus
from boyin_shared.bus.dispatch import handle_once
from boyin_shared.bus.port import Subscription
from boyin_shared.clock import utcnow
from boyin_shared.errors import BoyinError, Message, TransientError, conflict, not_found
from boyin_shared.events import UndecodableEvent, decode
from boyin_shared.identity import Actor
from boyin_shared.store import AlreadyExists, Collection, DocumentStore, Index, Update

log = logging.getLogger("boyin.dead_letters")

DEAD_LETTERS = Counter(
    "boyin_dead_letter_outcomes_total",
    "Dead letters kept in the service's store, replayed, and replays that failed again",
    ["service", "group", "outcome"],
)
#: how long keeping a dead letter waits between attempts while the database is away
KEEP_RETRY_SECONDS = 1.0


def letter_id(group: str, topic: str, partition: int, offset: int) -> str:
    where = f"{group}\x00{topic}\x00{partition}\x00{offset}".encode()
    return "dl_" + hashlib.sha256(where).hexdigest()[:24]


class DeadLetters:
    """One service's dead letters, in its own database."""

    def __init__(self, store: DocumentStore, service: str) -> None:
        self.service = service
        self.collection: Collection = store.collection("dead_letters")
        self._handlers: dict[str, Subscription] = {}

    async def prepare(self) -> None:
        await self.collection.ensure_indexes([Index((("status", 1), ("_id", 1)))])

    def serve(self, subscriptions: Sequence[Subscription]) -> None:
        """The consumer groups whose letters this service replays."""
        self._handlers = {s.group: s for s in subscriptions}

    # -- the bus's side -----------------------------------------------------------------

    async def keep(self, record: Mapping[str, Any]) -> None:
        """Keep one dead letter (the bus's record of it); once, however often it comes.
        Waits out a database restart rather than lose it (the bus has not committed)."""
        doc = _document(record)
        while True:
            try:
                await self.collection.insert(doc)
            except AlreadyExists:
                return
            except TransientError:
                log.warning("database away; keeping a dead letter again shortly")
                await asyncio.sleep(KEEP_RETRY_SECONDS)
                continue
            DEAD_LETTERS.labels(self.service, record["group"], "kept").inc()
            return

    # -- the operator's side ------------------------------------------------------------

    async def page(
        self, actor: Actor, status: DeadLetterStatus | None, after: str | None, limit: int
    ) -> DeadLetterPage:
        _operator(actor)
        flt: dict[str, Any] = {}
        if status is not None:
            flt["status"] = status.value
        if after:
            flt["_id"] = {"$gt": after}
        docs = await self.collection.find(flt, sort=[("_id", 1)], limit=limit + 1)
        items = [self._out(d) for d in docs[:limit]]
        return DeadLetterPage(items=items, next_after=items[-1].id if len(docs) > limit else None)

    async def get(self, actor: Actor, letter: str) -> DeadLetterOut:
        _operator(actor)
        return self._out(await self._load(letter))

    async def replay(self, actor: Actor, letter: str) -> DeadLetterOut:
        """Run the letter's handler once more; REPLAYED when it succeeds (then never again),
        ``DEAD_LETTER_FAILED_AGAIN`` (409, the error named) when it fails."""
        _operator(actor)
        doc = await self._load(letter)
        if doc["status"] == DeadLetterStatus.REPLAYED.value:
            return self._out(doc)
        subscription = self._handlers.get(doc["group"])
        try:
            event = decode(doc["payload"])
        except UndecodableEvent as exc:
            raise _cannot_replay(f"undecodable: {exc}") from exc
        handler = None if subscription is None else subscription.handlers.get(type(event))
        if subscription is None or handler is None:
            raise _cannot_replay(f"no handler of {event.type} in group {doc['group']}")
        with propagation.TRACER.start_as_current_span(
            f"replay {event.type}", context=event.trace_context()
        ):
            try:
                await handle_once(subscription, handler, event)
            except TransientError:
                raise
            except Exception as exc:
                error = f"{type(exc).__name__}: {exc}"[:4000]
                await self.collection.update(
                    letter, Update(set={"error": error}, inc={"failed_replays": 1})
                )
                DEAD_LETTERS.labels(self.service, doc["group"], "failed_again").inc()
                log.warning("a replayed dead letter failed again", extra={"letter": letter})
                raise _failed_again(error) from exc
        change = Update(
            set={
                "status": DeadLetterStatus.REPLAYED.value,
                "replayed_at": utcnow().isoformat(),
                "replayed_by": actor.account_id,
            }
        )
        await self.collection.update(letter, change, where={"status": "OPEN"})
        DEAD_LETTERS.labels(self.service, doc["group"], "replayed").inc()
        log.info("dead letter replayed", extra={"letter": letter, "event_id": event.id})
        return self._out(await self._load(letter))

    async def _load(self, letter: str) -> dict[str, Any]:
        doc = await self.collection.get(letter)
        if doc is None:
            raise not_found("dead letter", letter, zh_kind="死信")
        return doc

    def _out(self, doc: Mapping[str, Any]) -> DeadLetterOut:
        replayed = doc.get("replayed_at")
        return DeadLetterOut(
            id=doc["_id"],
            service=self.service,
            group=doc["group"],
            topic=doc["topic"],
            partition=doc["partition"],
            offset=doc["offset"],
            reason=doc["reason"],
            error=doc["error"],
            event_id=doc.get("event_id"),
            event_type=doc.get("event_type"),
            subject=doc.get("subject"),
            status=DeadLetterStatus(doc["status"]),
            failed_at=datetime.fromisoformat(doc["failed_at"]),
            failed_replays=doc.get("failed_replays", 0),
            replayed_at=datetime.fromisoformat(replayed) if replayed else None,
            replayed_by=doc.get("replayed_by"),
        )


def _document(record: Mapping[str, Any]) -> dict[str, Any]:
    try:
        event = decode(record["payload"])
        about: dict[str, Any] = {
            "event_id": event.id,
            "event_type": event.type,
            "subject": event.subject,
        }
    except UndecodableEvent:
        about = {"event_id": None, "event_type": None, "subject": None}
    return {
        "_id": letter_id(record["group"], record["topic"], record["partition"], record["offset"]),
        **{k: record[k] for k in ("group", "topic", "partition", "offset", "reason", "error")},
        "key": record.get("key"),
        "payload": record["payload"],
        **about,
        "status": DeadLetterStatus.OPEN.value,
        "failed_at": record["failed_at"],
        "failed_replays": 0,
    }


def _operator(actor: Actor) -> None:
    if not actor.is_staff:
        raise BoyinError(
            code="FORBIDDEN",
            message=Message(
                "仅运营人员可查看和重放死信", "only operators may read and replay dead letters"
            ),
            status=403,
        )


def _cannot_replay(why: str) -> BoyinError:
    return conflict(
        "DEAD_LETTER_NOT_REPLAYABLE",
        Message(f"该死信无法重放：{why}", f"this dead letter cannot be replayed: {why}"),
    )


def _failed_again(error: str) -> BoyinError:
    return conflict(
        "DEAD_LETTER_FAILED_AGAIN",
        Message(f"重放再次失败：{error}", f"the replay failed again: {error}"),
    )
