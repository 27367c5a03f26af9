#!/usr/bin/env python3
"""End-to-end check of the local Kafka broker with aiokafka.

    python deploy/kafka/smoke.py [--no-restart] [--bootstrap 127.0.0.1:19092]

Needs aiokafka (tested with 0.14.0). Runs `kafka.sh start` first (a no-op if
the broker is up), then checks, on a fresh topic and group per run:

  1. AIOKafkaAdminClient creates a topic with 6 partitions;
  2. an idempotent producer (acks=all) sends keyed records; a key always
     lands on one partition;
  3. a consumer in a group (enable_auto_commit=False) reads everything in
     per-key order and commits by hand;
  4. a second consumer joins the group: rebalance, the partitions split
     between the two, each new record is read exactly once;
  5. after both leave, a new consumer of the group starts at the committed
     offsets (no record read twice);
  6. `kafka.sh restart`: the same producer and consumer reconnect, records
     written before the restart are still there, commits still work;
  7. auto-created topics get num.partitions=4; admin group listing/describe.

Exits 0 when all pass, 1 otherwise. The topic is deleted at the end.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import sys
import time
import uuid
from pathlib import Path

from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, ConsumerRebalanceListener, TopicPartition
from aiokafka.admin import AIOKafkaAdminClient, NewTopic

HERE = Path(__file__).resolve().parent
KAFKA_SH = HERE / "kafka.sh"
PARTITIONS = 6
KEYS = [f"key-{i}" for i in range(12)]

# Settings the Boyin services should use too (see the report / docs):
CONSUMER_OPTS = dict(
    enable_auto_commit=False,
    auto_offset_reset="earliest",
    session_timeout_ms=10_000,
    heartbeat_interval_ms=1_000,
    # Defaults (range assignor, classic group protocol) work with Kafka 4.1.
)
PRODUCER_OPTS = dict(acks="all", enable_idempotence=True, linger_ms=5)

log = logging.getLogger("smoke")


class Check:
    def __init__(self) -> None:
        self.t0 = time.monotonic()

    def step(self, msg: str) -> None:
        log.info("[%5.1fs] %s", time.monotonic() - self.t0, msg)


def require(cond: bool, msg: str) -> None:
    if not cond:
        raise AssertionError(msg)


async def run_kafka_sh(*args: str) -> None:
    proc = await asyncio.create_subprocess_exec(
        str(KAFKA_SH), *args, stdin=asyncio.subprocess.DEVNULL
    )
    rc = await asyncio.wait_for(proc.wait(), 180)
    require(rc == 0, f"kafka.sh {' '.join(args)} exited {rc}")


async def produce(
    producer: AIOKafkaProducer, topic: str, batch: str, n: int, key_parts: dict
) -> None:
    futs = []
    for i in range(n):
        key = KEYS[i % len(KEYS)]
        futs.append(await producer.send(topic, f"{batch}:{i}".encode(), key=key.encode()))
    for key_i, fut in enumerate(futs):
        md = await asyncio.wait_for(fut, 60)
        key = KEYS[key_i % len(KEYS)]
        prev = key_parts.setdefault(key, md.partition)
        require(prev == md.partition, f"{key} went to partition {md.partition}, earlier to {prev}")


async def consume(consumers: list[AIOKafkaConsumer], want: int, limit_s: float = 30) -> list[list]:
    """Read until the consumers together got `want` records; per-consumer lists."""
    got: list[list] = [[] for _ in consumers]
    deadline = time.monotonic() + limit_s

    async def loop(i: int, c: AIOKafkaConsumer) -> None:
        while sum(map(len, got)) < want and time.monotonic() < deadline:
            batches = await c.getmany(timeout_ms=300, max_records=50)
            for tp, records in batches.items():
                require(tp in c.assignment(), f"record from unassigned {tp}")
                got[i].extend(records)

    await asyncio.gather(*(loop(i, c) for i, c in enumerate(consumers)))
    total = sum(map(len, got))
    require(total == want, f"consumed {total} records, expected {want}")
    return got


def check_order(records: list) -> None:
    """Per key, values must come in the order they were produced."""
    last: dict[bytes, tuple[str, int]] = {}
    for r in sorted(records, key=lambda r: (r.partition, r.offset)):
        batch, seq = r.value.decode().split(":")
        cur = (batch, int(seq))
        if r.key in last:
            require(last[r.key] < cur, f"key {r.key!r} out of order: {last[r.key]} then {cur}")
        last[r.key] = cur


class Recorder(ConsumerRebalanceListener):
    def __init__(self, name: str) -> None:
        self.name, self.events = name, []

    async def on_partitions_revoked(self, revoked):
        self.events.append(("revoked", sorted(tp.partition for tp in revoked)))

    async def on_partitions_assigned(self, assigned):
        self.events.append(("assigned", sorted(tp.partition for tp in assigned)))
        log.info("  %s assigned %s", self.name, sorted(tp.partition for tp in assigned))


async def new_consumer(
    bootstrap: str, topic: str, group: str, name: str
) -> tuple[AIOKafkaConsumer, Recorder]:
    c = AIOKafkaConsumer(
        bootstrap_servers=bootstrap, group_id=group, client_id=name, **CONSUMER_OPTS
    )
    rec = Recorder(name)
    c.subscribe([topic], listener=rec)
    await c.start()
    return c, rec


async def committed_map(c: AIOKafkaConsumer, tps: list[TopicPartition]) -> dict[int, int | None]:
    return {tp.partition: await c.committed(tp) for tp in tps}


async def main(args: argparse.Namespace) -> None:
    chk = Check()
    bootstrap = args.bootstrap
    run = uuid.uuid4().hex[:8]
    topic, group = f"smoke-{run}", f"smoke-group-{run}"
    tps = [TopicPartition(topic, p) for p in range(PARTITIONS)]

    if not args.no_start:
        await run_kafka_sh("start")
    chk.step(f"broker up; topic {topic}, group {group}")

    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap, client_id="smoke-admin")
    await admin.start()
    producer = AIOKafkaProducer(
        bootstrap_servers=bootstrap, client_id="smoke-producer", **PRODUCER_OPTS
    )
    consumers: list[AIOKafkaConsumer] = []
    try:
        # 1. topic via admin
        resp = await admin.create_topics(
            [NewTopic(topic, num_partitions=PARTITIONS, replication_factor=1)]
        )
        errs = [e for e in resp.topic_errors if e[1] != 0]
        require(not errs, f"create_topics errors: {errs}")
        desc = await admin.describe_topics([topic])
        require(len(desc[0]["partitions"]) == PARTITIONS, f"describe_topics: {desc}")
        chk.step(f"1. created topic with {PARTITIONS} partitions")

        # 2. keyed produce
        await producer.start()
        key_parts: dict[str, int] = {}
        await produce(producer, topic, "b1", 60, key_parts)
        require(len(set(key_parts.values())) >= 2, f"all keys on one partition: {key_parts}")
        chk.step(f"2. produced 60 keyed records over partitions {sorted(set(key_parts.values()))}")

        # 3. one consumer, manual commit
        c1, rec1 = await new_consumer(bootstrap, topic, group, "c1")
        consumers.append(c1)
        t = time.monotonic()
        got = await consume([c1], 60)
        chk.step(
            f"3a. c1 joined and read 60 records in {time.monotonic() - t:.1f}s; "
            f"assignment {sorted(tp.partition for tp in c1.assignment())}"
        )
        check_order(got[0])
        await c1.commit()
        end1 = await c1.end_offsets(tps)
        com1 = await committed_map(c1, tps)
        require(com1 == {tp.partition: end1[tp] for tp in tps}, f"committed {com1} != end {end1}")
        chk.step("3b. manual commit stored the end offsets")

        # 4. second consumer -> rebalance
        c2, _ = await new_consumer(bootstrap, topic, group, "c2")
        consumers.append(c2)
        t = time.monotonic()

        def split() -> bool:
            a1, a2 = c1.assignment(), c2.assignment()
            return bool(a1) and bool(a2) and not (a1 & a2) and (a1 | a2) == set(tps)

        # c1 only notices the rebalance when it talks to the coordinator
        # (heartbeat); keep it polling meanwhile, as a real service does.
        async def keep_polling():
            while not split():
                await c1.getmany(timeout_ms=200)
                await c2.getmany(timeout_ms=200)

        await asyncio.wait_for(keep_polling(), 30)
        p1 = sorted(tp.partition for tp in c1.assignment())
        p2 = sorted(tp.partition for tp in c2.assignment())
        chk.step(
            f"4a. rebalance in {time.monotonic() - t:.1f}s: c1 {p1}, c2 {p2}; c1 events {rec1.events}"
        )
        require(any(e[0] == "revoked" for e in rec1.events), "c1 saw no revocation")
        await produce(producer, topic, "b2", 40, key_parts)
        got = await consume([c1, c2], 40)
        for c, recs in zip((c1, c2), got, strict=True):
            require(
                all(TopicPartition(r.topic, r.partition) in c.assignment() for r in recs),
                "cross read",
            )
            require(
                all(r.value.startswith(b"b2:") for r in recs), "re-read an already committed record"
            )
        require(got[0] and got[1], f"one consumer got nothing: {[len(g) for g in got]}")
        check_order(got[0] + got[1])
        await c1.commit()
        await c2.commit()
        chk.step(f"4b. 40 new records split {len(got[0])}/{len(got[1])} between c1/c2, committed")

        # 5. restart the consumers: committed offsets survive
        for c in consumers:
            await c.stop()
        consumers.clear()
        await produce(producer, topic, "b3", 20, key_parts)
        c3, _ = await new_consumer(bootstrap, topic, group, "c3")
        consumers.append(c3)
        got = await consume([c3], 20)
        require(all(r.value.startswith(b"b3:") for r in got[0]), "c3 re-read committed records")
        await c3.commit()
        end3 = await c3.end_offsets(tps)
        require(sum(end3.values()) == 120, f"end offsets {end3}")
        chk.step("5. new consumer resumed at the committed offsets (read only the 20 new records)")

        # 6. broker restart
        if not args.no_restart:
            t = time.monotonic()
            await run_kafka_sh("restart")
            chk.step(f"6a. kafka.sh restart took {time.monotonic() - t:.1f}s")
            t = time.monotonic()
            await produce(producer, topic, "b4", 20, key_parts)
            chk.step(f"6b. producer reconnected, sent 20 records in {time.monotonic() - t:.1f}s")
            t = time.monotonic()
            got = await consume([c3], 20, limit_s=60)
            require(
                all(r.value.startswith(b"b4:") for r in got[0]),
                "after restart c3 re-read old records",
            )
            await c3.commit()
            end4 = await c3.end_offsets(tps)
            require(sum(end4.values()) == 140, f"records lost over restart: end offsets {end4}")
            offs = await admin.list_consumer_group_offsets(group)
            require(
                {tp.partition: om.offset for tp, om in offs.items()}
                == {tp.partition: end4[tp] for tp in tps},
                f"admin group offsets {offs} != {end4}",
            )
            chk.step(
                f"6c. consumer resumed in {time.monotonic() - t:.1f}s, all 140 records kept, "
                "commit after restart visible to admin"
            )

        # 7. auto-created topic, group admin
        auto = f"smoke-auto-{run}"
        await asyncio.wait_for(producer.send_and_wait(auto, b"x", key=b"k"), 60)
        parts = producer.client.cluster.partitions_for_topic(auto)
        require(parts is not None and len(parts) == 4, f"auto-created topic has partitions {parts}")
        groups = await admin.list_consumer_groups()
        require(any(g[0] == group for g in groups), f"group {group} not listed: {groups}")
        described = await admin.describe_consumer_groups([group])
        chk.step(
            f"7. auto-created topic has 4 partitions; group listed and described ({type(described[0]).__name__})"
        )
        for c in consumers:
            await c.stop()
        consumers.clear()
        await admin.delete_topics([topic, auto])
        chk.step("ALL CHECKS PASSED")
    finally:
        for c in consumers:
            await c.stop()
        await producer.stop()
        await admin.close()


if __name__ == "__main__":
    ap = argparse.ArgumentParser(description="aiokafka smoke test of deploy/kafka")
    ap.add_argument(
        "--bootstrap", default=f"127.0.0.1:{os.environ.get('BOYIN_KAFKA_PORT', '19092')}"
    )
    ap.add_argument("--no-restart", action="store_true", help="skip the broker restart step")
    ap.add_argument("--no-start", action="store_true", help="do not run `kafka.sh start` first")
    ap.add_argument("-v", "--verbose", action="store_true", help="show aiokafka's own logging")
    args = ap.parse_args()
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    # aiokafka logs every failed reconnect at ERROR while the broker restarts
    # (expected here); -v shows them.
    logging.getLogger("aiokafka").setLevel(logging.INFO if args.verbose else logging.CRITICAL)
    try:
        asyncio.run(asyncio.wait_for(main(args), 600))
    except Exception as e:  # report any failure as exit 1
        log.error("SMOKE FAILED: %s: %s", type(e).__name__, e)
        sys.exit(1)
