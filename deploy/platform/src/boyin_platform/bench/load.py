"""``python -m boyin_platform.bench load``: the platform under load.

The platform runs in its own processes with the demo fair (``--demo``: accounts of every
role, published demands with matches, an edition with its agenda), rate limits off (one
client would only meet them); this process drives it. Each measure is a closed loop
(``--connections`` callers, each sending its next request as soon as the last is
answered) through GraphQL, paired with the same data read straight from the services'
own HTTP APIs, so the gateway's cost shows as a ratio measured under the same
conditions. Then issue #16's read mix: closed loop with ``--users`` callers and no
pause (saturated throughput), and open loop at ``--rate`` requests a second (what 200
users pausing 10 s on average offer). Last in each round, issue #16's writes
(:mod:`boyin_platform.bench.writes`): create + submit a demand by ``--connections``
signed-up talents and organisations, through GraphQL and straight from the registry, with
the CPU their events cost once the load stops. Printed per measure: requests a second, p50, p95,
p99, errors, and each platform process's CPU (cores busy) and resident memory.

``--before SRC`` also starts the platform from another checkout's sources (e.g. ``git
worktree add /tmp/before main``) and measures both, interleaved measure by measure, so
before and after share the machine's load. ``--mode distributed`` runs every service and
the gateway as its own process on Kafka and the MongoDB-wire server (as
``deploy/local.sh``; ``--gateway-workers`` gateway processes) instead of single-process
mode, ``--mode both`` measures the two side by side.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from contextlib import AsyncExitStack
from dataclasses import dataclass
from pathlib import Path

from boyin_platform.bench import writes
from boyin_platform.bench.drive import Measured, Send, closed_loop, open_loop
from boyin_platform.bench.queries import Platform, Seen, mix, pairs
from boyin_platform.bench.targets import distributed, single_process

Pick = Callable[[random.Random], Send]
WRITES = "create + submit a demand"


@dataclass(frozen=True)
class Options:
    connections: int = 20
    seconds: float = 10.0
    repeat: int = 1
    users: int = 200
    rate: float = 19.0
    mix_seconds: float = 20.0
    before: Path | None = None
    mode: str = "single"
    gateway_workers: int = 1
    writes_only: bool = False  # only the write mix (no read measures, no read mix)


def _ratio(name: str, ratios: dict[str, list[tuple[float, float]]]) -> str:
    found = ratios.get(name, [])
    return (
        f"ratio direct/GraphQL, {name}: "
        + ", ".join(f"{rate:.2f}" for rate, _ in found)
        + "; platform CPU a request, GraphQL/direct: "
        + ", ".join(f"{cpu:.2f}" for _, cpu in found)
    )


async def load(
    connections: int = 20,
    seconds: float = 10.0,
    repeat: int = 1,
    options: Options | None = None,
) -> None:
    o = options or Options(connections=connections, seconds=seconds, repeat=repeat)
    async with AsyncExitStack() as stack:
        started: list[tuple[Platform, Seen]] = []
        if o.before is not None:
            started.append(await stack.enter_async_context(single_process("before", o.before)))
        if o.mode in ("single", "both"):
            name = "after" if o.before is not None else "single-process"
            started.append(await stack.enter_async_context(single_process(name, None)))
        if o.mode in ("distributed", "both"):
            now = distributed(f"distributed, {o.gateway_workers} gateway", o.gateway_workers)
            started.append(await stack.enter_async_context(now))
        names = ", ".join(f"{p.name} (pids {dict(p.pids)})" for p, _ in started)
        print(
            f"boyin_platform.bench load: {o.connections} connections, {o.seconds:.0f} s a"
            f" measure, {o.repeat} round(s); {names}",
            flush=True,
        )
        ratios: dict[str, list[tuple[float, float]]] = {}
        # issue #16's write mix: one signed-in talent or organisation a connection
        writing = [(p, await writes.writers(p.gateway, o.connections)) for p, _ in started]
        for round_ in range(o.repeat):
            plan = (
                [] if o.writes_only else [(p, x) for p, found in started for x in pairs(p, found)]
            )
            measures = sorted({pair[0] for _, pair in plan})
            random.Random(round_).shuffle(measures)
            for measure in measures:
                for platform, (name, through, straight) in plan:
                    if name == measure:
                        label = f"[{platform.name}] {name}"
                        ratio = await _paired(label, platform, _same(through), _same(straight), o)
                        ratios.setdefault(label, []).append(ratio)
            # the writes last in a round: the events they raise would weigh on other measures
            for platform, users in writing:
                label = f"[{platform.name}] {WRITES}, {len(users)} users"
                gq = writes.round_robin([writes.through_graphql(w) for w in users])
                dr = writes.round_robin([writes.straight(platform, w) for w in users])
                ratio = await _paired(label, platform, gq, dr, o, settle=True)
                ratios.setdefault(label, []).append(ratio)
        for label in ratios:
            print(_ratio(label, ratios), flush=True)
        for _ in range(0 if o.writes_only else o.repeat):
            for platform, found in started:
                for measured in (
                    await closed_loop(
                        f"[{platform.name}] read mix, {o.users} users, no pause",
                        platform.gateway,
                        mix(found),
                        o.users,
                        o.mix_seconds,
                        platform.pids,
                    ),
                    await open_loop(
                        f"[{platform.name}] read mix, open loop",
                        platform.gateway,
                        mix(found),
                        o.rate,
                        o.mix_seconds,
                        platform.pids,
                    ),
                ):
                    print(measured.line(), flush=True)


def _same(send: Send) -> Pick:
    return lambda _: send


async def _paired(
    label: str, platform: Platform, through: Pick, straight: Pick, o: Options, settle: bool = False
) -> tuple[float, float]:
    """One measure through GraphQL, then straight from the service: the ratio of their
    rates (direct/GraphQL) and of the platform's CPU a request (GraphQL/direct). With
    ``settle`` (writes), each waits for the platform to be idle again and reports the CPU
    its events' consumers spent after the load stopped."""
    unit = "pair" if settle else "req"
    found: list[Measured] = []
    for way, pick in (("GraphQL", through), ("direct", straight)):
        measured = await closed_loop(
            f"{label} ({way})", platform.gateway, pick, o.connections, o.seconds, platform.pids
        )
        measured.unit = unit
        if settle:
            measured.after_ms = await writes.after_work(platform, len(measured.latencies))
        found.append(measured)
    gq, dr = found
    print(gq.line(), flush=True)
    print(dr.line(), flush=True)
    rate = dr.rate / gq.rate if gq.rate else 0.0
    return rate, gq.cpu_ms / dr.cpu_ms if dr.cpu_ms else 0.0
