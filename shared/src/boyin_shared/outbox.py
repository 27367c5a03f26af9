"""Transactional outbox and inbox inside the aggregate's own document.

FerretDB 1.x (and a MongoDB without a replica set) has no multi-document transactions,
so an aggregate's state, the events its change produced (``_outbox``) and the ids of the
events it has already consumed (``_inbox``) are written in ONE single-document update,
guarded by the document revision ``_rev``. The relay publishes ``_outbox`` entries and
pulls them out afterwards; a crash in between publishes them again on restart (at
least once), and consumers drop the repeat by event id.

Document bookkeeping fields:
``_rev``     revision for optimistic concurrency (bumped by domain writes only);
``_outbox``  events waiting to be published, oldest first;
``_oseq``    how many events were ever appended (guards clearing ``_pending``);
``_pending`` true while ``_outbox`` may be non-empty (what the relay's sweep looks for);
``_inbox``   ids of the latest consumed events (the last :data:`INBOX_SIZE`).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from opentelemetry import trace
from opentelemetry.trace import SpanKind, Status, StatusCode
from prometheus_client import Counter, Gauge

from boyin_shared import faults, propagation
from boyin_shared.bus import EventBus
from boyin_shared.clock import utcnow
from boyin_shared.events import Event, decode
from boyin_shared.store import Collection, Document, DocumentStore, Edit, Index, Update

log = logging.getLogger("boyin.outbox")

INBOX_SIZE = 256
#: documents the relay and the sweep flush together (one read, one publish, one write)
RELAY_BATCH = 200
BOOKKEEPING = ("_rev", "_outbox", "_oseq", "_pending", "_inbox")
PUBLISHED = Counter(
    "boyin_events_published_total", "Events published by the outbox relay", ["topic", "type"]
)
#: measured by each sweep, before it flushes (of the first RELAY_BATCH pending documents)
BACKLOG = Gauge(
    "boyin_outbox_pending_events",
    "Events written to outboxes and not yet published",
    ["service", "collection"],
)
OLDEST = Gauge(
    "boyin_outbox_oldest_event_age_seconds",
    "Age of the oldest event still waiting in an outbox (0: none waits)",
    ["service", "collection"],
)


def state_of(doc: Document) -> dict[str, Any]:
    """The document without its ``_id`` and bookkeeping fields."""
    return {k: v for k, v in doc.items() if k != "_id" and k not in BOOKKEEPING}


def already_applied(doc: Document, event_id: str) -> bool:
    return event_id in (doc.get("_inbox") or [])


def _events_json(events: Sequence[Event]) -> list[dict[str, Any]]:
    return [e.model_dump(mode="json") for e in events]


def _new(
    doc_id: str, state: Mapping[str, Any], events: Sequence[Event], consumed: str | None
) -> Document:
    return {
        **state,
        "_id": doc_id,
        "_outbox": _events_json(events),
        "_oseq": len(events),
        "_pending": bool(events),
        "_inbox": [consumed] if consumed else [],
    }


def _saving(
    loaded: Document, state: Mapping[str, Any], events: Sequence[Event], consumed: str | None
) -> tuple[str, Update, dict[str, Any]]:
    """The guarded update that saves ``state`` and appends ``events`` to ``loaded``."""
    changes: dict[str, Any] = {k: v for k, v in state.items() if k not in BOOKKEEPING}
    changes.pop("_id", None)
    if consumed:
        changes["_inbox"] = [*(loaded.get("_inbox") or []), consumed][-INBOX_SIZE:]
    if events:
        changes["_pending"] = True
    update = Update(
        set=changes,
        inc={"_oseq": len(events)} if events else {},
        push={"_outbox": _events_json(events)} if events else {},
    )
    return loaded["_id"], update, {"_rev": loaded["_rev"]}


class Outbox:
    """Writes aggregates with their events, and relays the events to the bus."""

    def __init__(
        self,
        store: DocumentStore,
        bus: EventBus,
        *,
        sweep_seconds: float = 2.0,
        service: str = "",
    ) -> None:
        self._store = store
        self._service = service
        self._bus = bus
        self._sweep_seconds = sweep_seconds
        self._tracked: dict[str, Collection] = {}
        self._queue: asyncio.Queue[tuple[Collection, str]] = asyncio.Queue()
        self._tasks: list[asyncio.Task[None]] = []
        # One flush at a time in this process, so the relay and the sweep never publish
        # the same entries twice (other processes may still; consumers deduplicate).
        self._flushing = asyncio.Lock()

    async def track(self, collection: Collection) -> None:
        """Relay this collection's outboxes (call once at start-up)."""
        await collection.ensure_indexes([Index((("_pending", 1),))])
        self._tracked[collection.name] = collection

    # -- writing -----------------------------------------------------------------

    async def create(
        self,
        collection: Collection,
        doc_id: str,
        state: Mapping[str, Any],
        events: Sequence[Event] = (),
        *,
        consumed: str | None = None,
    ) -> None:
        """Insert a new aggregate with its first events. Raises ``AlreadyExists``."""
        await collection.insert(_new(doc_id, state, events, consumed))
        self._notify(collection, doc_id, events)

    async def create_many(
        self,
        collection: Collection,
        aggregates: Sequence[tuple[str, Mapping[str, Any], Sequence[Event]]],
    ) -> set[str]:
        """Insert new aggregates (id, state, first events) in one round trip, each on its
        own; returns the ids that already existed (left as they were, without the events
        given for them here)."""
        clashes = set(
            await collection.insert_many([_new(i, state, ev, None) for i, state, ev in aggregates])
        )
        for doc_id, _, events in aggregates:
            if doc_id not in clashes:
                self._notify(collection, doc_id, events)
        return clashes

    async def save(
        self,
        collection: Collection,
        loaded: Document,
        state: Mapping[str, Any],
        events: Sequence[Event] = (),
        *,
        consumed: str | None = None,
    ) -> bool:
        """Write a changed aggregate read as ``loaded``; False if someone wrote it since."""
        doc_id, change, where = _saving(loaded, state, events, consumed)
        ok = await collection.update(doc_id, change, where=where)
        if ok:
            self._notify(collection, loaded["_id"], events)
        return ok

    async def save_many(
        self,
        collection: Collection,
        saves: Sequence[tuple[Document, Mapping[str, Any], Sequence[Event]]],
    ) -> int:
        """``save`` for several aggregates (each as read, its new state, its events) in one
        round trip; each is written unless someone wrote it since it was read. Returns how
        many were written: which ones were not is for the caller to read back."""
        if not saves:
            return 0
        written = await collection.update_many(
            [Edit(*_saving(loaded, state, events, None)) for loaded, state, events in saves]
        )
        for loaded, _, events in saves:  # one not written has nothing new for the relay
            self._notify(collection, loaded["_id"], events)
        return written

    def _notify(self, collection: Collection, doc_id: str, events: Sequence[Event]) -> None:
        if events and self._tasks:
            self._queue.put_nowait((collection, doc_id))

    # -- relaying ----------------------------------------------------------------

    async def flush(self, collection: Collection, doc_id: str) -> int:
        """Publish and clear one document's outbox; returns how many were published."""
        return await self.flush_many(collection, [doc_id])

    async def flush_many(self, collection: Collection, doc_ids: Sequence[str]) -> int:
        """Publish and clear these documents' outboxes together: one read, one publish,
        one write; a document that took new events meanwhile is then done on its own.
        Returns how many events were published."""
        async with self._flushing:
            docs = await collection.get_many(doc_ids)
            sent = [(d, d["_outbox"]) for d in docs if d.get("_outbox")]
            published = 0
            if sent:
                events = [decode(e) for _, pending in sent for e in pending]
                faults.hit("before_publish", collection.name)
                await self._publish(collection, events)
                published = len(events)
            # Clear what was published, and the flag, where no event came meanwhile.
            done = sent + [(d, []) for d in docs if d.get("_pending") and not d.get("_outbox")]
            cleared = await collection.update_many(
                [
                    Edit(
                        d["_id"],
                        Update(
                            set={"_pending": False},
                            pull={"_outbox": pending} if pending else {},
                            bump_rev=False,
                        ),
                        where={"_oseq": d.get("_oseq", 0)},
                    )
                    for d, pending in done
                ]
            )
            if cleared < len(done):  # some took new events: theirs are still to send
                for d, pending in done:
                    if pending:  # whatever was sent goes (a no-op where it went already)
                        await collection.update(
                            d["_id"], Update(pull={"_outbox": pending}, bump_rev=False)
                        )
                    published += await self._flush(collection, d["_id"])
            return published

    async def _flush(self, collection: Collection, doc_id: str) -> int:
        """One document, until its outbox is empty and its flag cleared."""
        published = 0
        for _ in range(100):
            doc = await collection.get(doc_id)
            if doc is None:
                return published
            pending = doc.get("_outbox") or []
            if pending:
                events = [decode(e) for e in pending]
                faults.hit("before_publish", collection.name)
                await self._publish(collection, events)
                published += len(events)
                await collection.update(
                    doc_id,
                    Update(pull={"_outbox": pending}, bump_rev=False),
                )
                continue
            if not doc.get("_pending"):
                return published
            cleared = await collection.update(
                doc_id,
                Update(set={"_pending": False}, bump_rev=False),
                where={"_oseq": doc.get("_oseq", 0)},
            )
            if cleared:
                return published
        raise RuntimeError(f"outbox of {collection.name}/{doc_id} keeps changing")

    async def _publish(self, collection: Collection, events: Sequence[Event]) -> None:
        """Publish ``events``, each in a span ``outbox relay <type>`` that continues the
        trace that wrote it; the published envelope's ``traceparent`` names that span."""
        with contextlib.ExitStack() as ending:
            relayed: list[Event] = []
            spans: list[trace.Span] = []
            for e in events:
                span = propagation.TRACER.start_span(
                    f"outbox relay {e.type}",
                    context=e.trace_context(),
                    kind=SpanKind.PRODUCER,
                    attributes={
                        "messaging.destination.name": e.topic,
                        "messaging.message.id": e.id,
                        "boyin.event.type": e.type,
                        "boyin.outbox.collection": collection.name,
                    },
                )
                ending.callback(span.end)
                spans.append(span)
                parent = propagation.traceparent(trace.set_span_in_context(span))
                # unchanged where nothing is recorded (tracing off, or a trace not sampled)
                same = parent in (None, e.traceparent)
                relayed.append(e if same else e.model_copy(update={"traceparent": parent}))
            try:
                await self._bus.publish(relayed)
            except Exception as exc:
                for span in spans:
                    span.set_status(Status(StatusCode.ERROR, type(exc).__name__))
                raise
        for e in events:
            PUBLISHED.labels(e.topic, e.type).inc()

    async def sweep(self) -> int:
        """Flush every document that still has pending events (crash recovery); first
        measure the backlog (``boyin_outbox_pending_events`` and its oldest event's age)."""
        total = 0
        for collection in list(self._tracked.values()):
            measured = False
            while docs := await collection.find({"_pending": True}, limit=RELAY_BATCH):
                if not measured:
                    self._measure(collection, docs)
                    measured = True
                total += await self.flush_many(collection, [d["_id"] for d in docs])
                if len(docs) < RELAY_BATCH:
                    break
            if not measured:
                self._measure(collection, [])
        return total

    def _measure(self, collection: Collection, pending: Sequence[Document]) -> None:
        events = [e for d in pending for e in d.get("_outbox") or []]
        times = [datetime.fromisoformat(e["time"]) for e in events if e.get("time")]
        BACKLOG.labels(self._service, collection.name).set(len(events))
        age = (utcnow() - min(times)).total_seconds() if times else 0.0
        OLDEST.labels(self._service, collection.name).set(max(0.0, age))

    async def start(self) -> None:
        self._tasks = [
            asyncio.create_task(self._relay(), name="outbox-relay"),
            asyncio.create_task(self._sweeper(), name="outbox-sweep"),
        ]

    async def stop(self) -> None:
        # Let a flush in progress finish its pull, so a graceful stop publishes nothing twice.
        async with self._flushing:
            for task in self._tasks:
                task.cancel()
        for task in self._tasks:
            with contextlib.suppress(asyncio.CancelledError):
                await task
        self._tasks = []

    async def _relay(self) -> None:
        while True:
            waiting = [await self._queue.get()]  # then whatever else is queued, together
            while len(waiting) < RELAY_BATCH and not self._queue.empty():
                waiting.append(self._queue.get_nowait())
            by_collection: dict[str, tuple[Collection, list[str]]] = {}
            for collection, doc_id in waiting:
                by_collection.setdefault(collection.name, (collection, []))[1].append(doc_id)
            for collection, doc_ids in by_collection.values():
                try:
                    await self.flush_many(collection, list(dict.fromkeys(doc_ids)))
                except Exception:
                    # The sweep picks them up again once the bus or database is back.
                    log.warning("relay failed; the sweep will retry", exc_info=True)

    async def _sweeper(self) -> None:
        while True:
            try:
                await self.sweep()
            except Exception:
                log.warning("outbox sweep failed; retrying", exc_info=True)
            await asyncio.sleep(self._sweep_seconds)
