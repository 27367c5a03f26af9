"""The embedded bus: an append-only log in SQLite, consumed in-process.

It keeps Kafka's contract in one process: topics, consumer groups with committed
offsets, per-key order (here a total order), dead-letter topics, and, with a file
path, durability across restarts, so the single-process platform loses no event
when it is stopped between a publish and a handle.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import sqlite3
from collections.abc import Sequence
from pathlib import Path

from boyin_shared import faults
from boyin_shared.bus.dispatch import LAG, deliver
from boyin_shared.bus.port import Subscription
from boyin_shared.events import Event, encode
from boyin_shared.store.sqlite import SqliteDatabase

log = logging.getLogger("boyin.bus")

_SCHEMA = (
    "CREATE TABLE IF NOT EXISTS log (seq INTEGER PRIMARY KEY AUTOINCREMENT, "
    "topic TEXT NOT NULL, key TEXT, value BLOB NOT NULL)",
    "CREATE INDEX IF NOT EXISTS log_topic_seq ON log (topic, seq)",
    "CREATE TABLE IF NOT EXISTS offsets (grp TEXT NOT NULL, topic TEXT NOT NULL, "
    "seq INTEGER NOT NULL, PRIMARY KEY (grp, topic))",
)


class EmbeddedBus:
    def __init__(self, path: Path | str = ":memory:", *, batch: int = 200) -> None:
        self._db = SqliteDatabase(path)
        self._batch = batch
        self._subscriptions: list[Subscription] = []
        self._wakeups: list[asyncio.Event] = []
        self._tasks: list[asyncio.Task[None]] = []
        self._started = False

    def subscribe(self, subscription: Subscription) -> None:
        if self._started:
            raise RuntimeError("subscribe before start")
        if any(s.group == subscription.group for s in self._subscriptions):
            raise ValueError(f"consumer group {subscription.group} is subscribed twice")
        self._subscriptions.append(subscription)

    async def start(self) -> None:
        def init(conn: sqlite3.Connection) -> None:
            for statement in _SCHEMA:
                conn.execute(statement)

        await self._db.run(init)
        for sub in self._subscriptions:
            if sub.from_latest:
                await self._start_at_end(sub)
        self._started = True
        for sub in self._subscriptions:
            wake = asyncio.Event()
            wake.set()
            self._wakeups.append(wake)
            self._tasks.append(asyncio.create_task(self._consume(sub, wake), name=sub.group))

    async def stop(self) -> None:
        for task in self._tasks:
            task.cancel()
        for task in self._tasks:
            with contextlib.suppress(asyncio.CancelledError):
                await task
        self._tasks.clear()
        self._started = False
        await self._db.close()

    def is_ready(self) -> bool:
        return self._started

    async def publish(self, events: Sequence[Event]) -> None:
        await self._append([(e.topic, e.subject, encode(e)) for e in events])

    async def _append(self, rows: list[tuple[str, str | None, bytes]]) -> None:
        def write(conn: sqlite3.Connection) -> None:
            conn.execute("BEGIN")
            conn.executemany("INSERT INTO log (topic, key, value) VALUES (?, ?, ?)", rows)
            conn.execute("COMMIT")

        await self._db.run(write)
        for wake in self._wakeups:
            wake.set()

    async def read_topic(self, topic: str) -> list[bytes]:
        """Every message of a topic, oldest first (for dead-letter inspection and tests)."""

        def read(conn: sqlite3.Connection) -> list[bytes]:
            rows = conn.execute(
                "SELECT value FROM log WHERE topic = ? ORDER BY seq", (topic,)
            ).fetchall()
            return [bytes(r[0]) for r in rows]

        return await self._db.run(read)

    async def _fetch(self, sub: Subscription) -> list[tuple[int, str, str | None, bytes]]:
        topics = sub.topics

        def read(conn: sqlite3.Connection) -> list[tuple[int, str, str | None, bytes]]:
            marks = ",".join("?" * len(topics))
            rows = conn.execute(
                f"SELECT l.seq, l.topic, l.key, l.value FROM log l "
                f"LEFT JOIN offsets o ON o.grp = ? AND o.topic = l.topic "
                f"WHERE l.topic IN ({marks}) AND l.seq > COALESCE(o.seq, 0) "
                f"ORDER BY l.seq LIMIT ?",
                (sub.group, *topics, self._batch),
            ).fetchall()
            return [(int(r[0]), str(r[1]), r[2], bytes(r[3])) for r in rows]

        return await self._db.run(read)

    async def _start_at_end(self, sub: Subscription) -> None:
        """A new group that only wants what comes next starts after the last message."""

        def place(conn: sqlite3.Connection) -> None:
            end = conn.execute("SELECT COALESCE(MAX(seq), 0) FROM log").fetchone()[0]
            for topic in sub.topics:
                conn.execute(
                    "INSERT OR IGNORE INTO offsets (grp, topic, seq) VALUES (?, ?, ?)",
                    (sub.group, topic, end),
                )

        await self._db.run(place)

    async def _commit(self, group: str, topic: str, seq: int) -> None:
        await self._db.run(
            lambda conn: conn.execute(
                "INSERT INTO offsets (grp, topic, seq) VALUES (?, ?, ?) "
                "ON CONFLICT (grp, topic) DO UPDATE SET seq = excluded.seq",
                (group, topic, seq),
            )
        )

    async def _consume(self, sub: Subscription, wake: asyncio.Event) -> None:
        while True:
            await wake.wait()
            wake.clear()
            try:
                await self._drain(sub)
            except Exception:
                log.exception("embedded consumer %s failed; retrying", sub.group)
                await asyncio.sleep(1.0)
                wake.set()

    async def _measure_lag(self, sub: Subscription) -> None:
        """``boyin_consumer_lag_messages`` of the group (one partition, "0", per topic), as
        each drain starts; 0 once it has caught up."""
        topics = sub.topics

        def count(conn: sqlite3.Connection) -> dict[str, int]:
            marks = ",".join("?" * len(topics))
            rows = conn.execute(
                f"SELECT l.topic, COUNT(*) FROM log l "
                f"LEFT JOIN offsets o ON o.grp = ? AND o.topic = l.topic "
                f"WHERE l.topic IN ({marks}) AND l.seq > COALESCE(o.seq, 0) GROUP BY l.topic",
                (sub.group, *topics),
            ).fetchall()
            return {str(r[0]): int(r[1]) for r in rows}

        behind = await self._db.run(count)
        for topic in topics:
            LAG.labels(sub.group, topic, "0").set(behind.get(topic, 0))

    async def _drain(self, sub: Subscription) -> None:
        await self._measure_lag(sub)
        while rows := await self._fetch(sub):
            for seq, topic, key, value in rows:
                dead, kind = await deliver(sub, value)
                if dead is not None:
                    record = await dead.record(
                        sub,
                        topic=topic,
                        partition=0,
                        offset=seq,
                        key=key.encode() if key else None,
                        payload=value,
                    )
                    await self._append([(sub.dead_letter_topic, key, record)])
                faults.hit("after_handle", sub.group, f"{sub.group}:{kind}")
                await self._commit(sub.group, topic, seq)
        for topic in sub.topics:  # caught up
            LAG.labels(sub.group, topic, "0").set(0)
