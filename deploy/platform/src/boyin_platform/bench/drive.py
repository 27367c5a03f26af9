"""Load drivers of ``bench load``: closed-loop (each connection sends its next request as
soon as the last is answered) and open-loop (requests arrive at a fixed mean rate, Poisson,
whether or not earlier ones were answered), and what one measure reports: requests a
second, p50/p95/p99, errors, and each platform process's CPU (cores busy) and resident
memory."""

from __future__ import annotations

import asyncio
import os
import random
import time
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import httpx

Send = Callable[[httpx.AsyncClient], Awaitable[httpx.Response]]


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


@dataclass
class Measured:
    name: str
    latencies: list[float] = field(default_factory=list)
    errors: int = 0
    seconds: float = 0.0
    #: per process: cores busy during the measure, resident MB at its end
    cpu: dict[str, float] = field(default_factory=dict)
    rss_mb: dict[str, float] = field(default_factory=dict)
    offered: float | None = None  # open loop: the arrival rate asked for
    unit: str = "req"  # what one send is ("pair": create + submit)
    #: CPU ms a send the platform spent after the load stopped, until idle (writes' events)
    after_ms: float | None = None

    def at(self, q: float) -> float:
        done = sorted(self.latencies)
        return done[min(len(done) - 1, int(q * len(done)))] * 1000 if done else 0.0

    @property
    def rate(self) -> float:
        return len(self.latencies) / self.seconds if self.seconds else 0.0

    @property
    def cpu_ms(self) -> float:
        """The platform's CPU time a request (every process but the driver), in ms: on a
        machine other work also uses, steadier than the rate, which follows the share of
        the cores the platform gets."""
        busy = sum(c for name, c in self.cpu.items() if name != "driver")
        return busy * 1000 / self.rate if self.rate else 0.0

    def line(self) -> str:
        processes = "  ".join(
            f"{n} cpu {self.cpu[n]:.2f} rss {self.rss_mb[n]:.0f} MB" for n in self.cpu
        )
        offered = f" (offered {self.offered:.0f}/s)" if self.offered is not None else ""
        after = f" + {self.after_ms:.2f} after" if self.after_ms is not None else ""
        u = self.unit
        rate = "req/s" if u == "req" else f"{u}s/s"
        return (
            f"{self.name:<52} {self.rate:8.1f} {rate}{offered}  p50 {self.at(0.5):6.1f}"
            f"  p95 {self.at(0.95):6.1f}  p99 {self.at(0.99):6.1f} ms  errors {self.errors}"
            f"  cpu {self.cpu_ms:5.2f}{after} ms/{u}  | {processes}"
        )


def _failed(answer: httpx.Response) -> bool:
    return answer.status_code != 200 or b'"errors"' in answer.content


class _Processes:
    """CPU used by each process between the start and the end of a measure."""

    def __init__(self, pids: Mapping[str, int]) -> None:
        self.pids = dict(pids) | {"driver": os.getpid()}  # the load driver shares the cores
        self.before = {n: cpu_seconds(p) for n, p in self.pids.items()}

    def into(self, measured: Measured) -> None:
        for name, pid in self.pids.items():
            measured.cpu[name] = (cpu_seconds(pid) - self.before[name]) / measured.seconds
            measured.rss_mb[name] = rss_mb(pid)


async def closed_loop(
    name: str,
    base: str,
    pick: Callable[[random.Random], Send],
    connections: int,
    seconds: float,
    pids: Mapping[str, int],
) -> Measured:
    """``connections`` callers, each sending what ``pick`` draws back to back."""
    measured = Measured(name)
    limits = httpx.Limits(max_connections=connections, max_keepalive_connections=connections)
    async with httpx.AsyncClient(base_url=base, timeout=60, limits=limits) as client:
        draw = random.Random(1)
        await pick(draw)(client)  # warm: caches, connections
        processes, started = _Processes(pids), time.perf_counter()
        end = started + seconds

        async def caller() -> None:
            while time.perf_counter() < end:
                send = pick(draw)
                began = time.perf_counter()
                try:
                    failed = _failed(await send(client))
                except httpx.HTTPError:
                    failed = True
                measured.latencies.append(time.perf_counter() - began)
                measured.errors += failed

        await asyncio.gather(*(caller() for _ in range(connections)))
        measured.seconds = time.perf_counter() - started
        processes.into(measured)
    return measured


async def open_loop(
    name: str,
    base: str,
    pick: Callable[[random.Random], Send],
    rate: float,
    seconds: float,
    pids: Mapping[str, int],
) -> Measured:
    """Requests arriving at ``rate`` a second (exponential gaps) for ``seconds``; each
    latency counts from the request's planned arrival, so a server that falls behind is
    charged for the wait (no coordinated omission)."""
    measured = Measured(name, offered=rate)
    draw = random.Random(2)
    limits = httpx.Limits(max_connections=1000, max_keepalive_connections=200)
    async with httpx.AsyncClient(base_url=base, timeout=60, limits=limits) as client:
        await pick(draw)(client)
        processes, started = _Processes(pids), time.perf_counter()
        running: set[asyncio.Task[None]] = set()

        async def one(send: Send, planned: float) -> None:
            try:
                failed = _failed(await send(client))
            except httpx.HTTPError:
                failed = True
            measured.latencies.append(time.perf_counter() - planned)
            measured.errors += failed

        planned = started
        while planned < started + seconds:
            planned += draw.expovariate(rate)
            wait = planned - time.perf_counter()
            if wait > 0:
                await asyncio.sleep(wait)
            task = asyncio.create_task(one(pick(draw), planned))
            running.add(task)
            task.add_done_callback(running.discard)
        if running:
            await asyncio.wait(running)
        measured.seconds = time.perf_counter() - started
        processes.into(measured)
    return measured
