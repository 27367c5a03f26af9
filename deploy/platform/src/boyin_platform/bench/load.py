"""``python -m boyin_platform.bench load``: the platform under closed-loop load.

README command one's platform (single-process mode, embedded defaults, ``--demo``: accounts
of every role, published demands with matches) runs in its own process; this one drives it
with ``--connections`` connections, each sending its next request as soon as the last is
answered, for ``--seconds`` seconds per measure. Each GraphQL measure is paired with the
same data read straight from the service's own HTTP API (signed with the internal identity),
so the gateway's cost shows as a ratio measured in the same run. Rate limits are turned off
(one client would only meet them). Printed per measure: requests a second, p50, p95, p99,
errors, and the platform process's CPU (cores busy) and resident memory.
"""

from __future__ import annotations

import asyncio
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from boyin_platform.demo_people import DEMO_PASSWORD
from boyin_platform.processes import free_port
from boyin_shared import identity
from boyin_shared.identity import Actor, Role

TALENT_LOGIN = "sophie.martin@demo.boyin.example"
SIGN_IN = """mutation($login: String!, $password: String!) {
  signIn(login: $login, password: $password) { ... on Session { accessToken } } }"""
DEMANDS = """{ demands(first: 50) { edges { node { id channel status title { zh en }
  districtCode taxonomyCodes } } } }"""
TALENT = """query($id: ID!) { talent(id: $id) { id name { zh en } degree field { zh en }
  institution { zh en } country timezone languages taxonomyCodes } }"""
REFERENCE = "{ districts { code name { zh en } } editions { code } }"
ME = "{ me { id partyId } }"

Send = Callable[[httpx.AsyncClient], Awaitable[httpx.Response]]


@dataclass
class Measured:
    name: str
    latencies: list[float] = field(default_factory=list)
    errors: int = 0
    seconds: float = 0.0
    cpu: float = 0.0
    rss_mb: float = 0.0

    def line(self) -> str:
        done = sorted(self.latencies)

        def at(q: float) -> float:
            return done[min(len(done) - 1, int(q * len(done)))] * 1000 if done else 0.0

        rate = len(done) / self.seconds if self.seconds else 0.0
        return (
            f"{self.name:<42} {rate:8.1f} req/s  p50 {at(0.5):6.1f}  p95 {at(0.95):6.1f}"
            f"  p99 {at(0.99):6.1f} ms  errors {self.errors}  cpu {self.cpu:.2f}"
            f"  rss {self.rss_mb:.0f} MB"
        )

    @property
    def rate(self) -> float:
        return len(self.latencies) / self.seconds if self.seconds else 0.0


def _cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


async def _closed_loop(
    name: str, base: str, send: Send, connections: int, seconds: float, pid: int
) -> Measured:
    measured = Measured(name)
    limits = httpx.Limits(max_connections=connections, max_keepalive_connections=connections)
    async with httpx.AsyncClient(base_url=base, timeout=30, limits=limits) as client:
        await send(client)  # warm: caches, connections
        cpu_before, started = _cpu_seconds(pid), time.perf_counter()
        end = started + seconds

        async def worker() -> None:
            while time.perf_counter() < end:
                began = time.perf_counter()
                try:
                    answer = await send(client)
                    failed = answer.status_code != 200 or b'"errors"' in answer.content
                except httpx.HTTPError:
                    failed = True
                measured.latencies.append(time.perf_counter() - began)
                measured.errors += failed

        await asyncio.gather(*(worker() for _ in range(connections)))
        measured.seconds = time.perf_counter() - started
        measured.cpu = (_cpu_seconds(pid) - cpu_before) / measured.seconds
        measured.rss_mb = _rss_mb(pid)
    return measured


def _graphql(query: str, token: str | None = None, **variables: object) -> Send:
    headers = {"authorization": f"Bearer {token}"} if token else {}
    body = {"query": query, "variables": variables}
    return lambda client: client.post("/graphql", json=body, headers=headers)


def _direct(path: str, secret: str, actor: Actor) -> Send:
    def send(client: httpx.AsyncClient) -> Awaitable[httpx.Response]:
        signed = {identity.HEADER: identity.issue(actor, secret)}  # as the gateway signs
        return client.get(path, headers=signed)

    return send


async def _ready(base: str, process: subprocess.Popen[bytes]) -> str:
    """Wait for the demo fair to be loaded; the talent's access token."""
    async with httpx.AsyncClient(base_url=base, timeout=10) as client:
        for _ in range(600):
            if process.poll() is not None:
                raise SystemExit("the platform exited")
            try:
                answer = await client.post(
                    "/graphql",
                    json={
                        "query": SIGN_IN,
                        "variables": {"login": TALENT_LOGIN, "password": DEMO_PASSWORD},
                    },
                )
                token = answer.json()["data"]["signIn"].get("accessToken")
                if token:
                    listed = await _graphql(DEMANDS)(client)
                    if listed.json()["data"]["demands"]["edges"]:
                        return str(token)
            except (httpx.HTTPError, KeyError, TypeError, ValueError):
                pass
            await asyncio.sleep(0.5)
    raise SystemExit("the demo fair did not load")


async def load(connections: int, seconds: float, repeat: int) -> None:
    data = Path(tempfile.mkdtemp(prefix="boyin-load-"))
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    env = os.environ | {
        "BOYIN_LOG_LEVEL": "WARNING",
        "BOYIN_RATE_LIMIT_PER_MINUTE": "0",
        "BOYIN_RATE_LIMIT_ANONYMOUS_PER_MINUTE": "0",
    }
    command = [sys.executable, "-m", "boyin_platform", "--demo", "--data", str(data)]
    log = (data / "platform.log").open("wb")
    process = subprocess.Popen(
        [*command, "--port", str(port)], env=env, stdout=log, stderr=subprocess.STDOUT
    )
    try:
        token = await _ready(base, process)
        secret = json.loads((data / "secrets.json").read_text())["internal_token_secret"]
        async with httpx.AsyncClient(base_url=base) as client:
            me = (await _graphql(ME, token)(client)).json()["data"]["me"]
        talent_id = str(me["partyId"])
        talent = Actor(str(me["id"]), Role.TALENT, party_id=talent_id, session_id="bench")
        staff = Actor("bench", Role.SERVICE)
        pairs: list[tuple[str, Send, Send]] = [
            ("{__typename} / healthz", _graphql("{ __typename }"), lambda c: c.get("/healthz")),
            (
                "50 published demands",
                _graphql(DEMANDS),
                _direct("/services/registry/demands?limit=50&status=PUBLISHED", secret, staff),
            ),
            (
                "a talent's profile",
                _graphql(TALENT, token, id=talent_id),
                _direct(f"/services/registry/talents/{talent_id}", secret, talent),
            ),
            (
                "reference data (districts, editions)",
                _graphql(REFERENCE),
                _direct("/services/registry/reference/districts", secret, staff),
            ),
        ]
        print(
            f"boyin_platform.bench load: {connections} connections, {seconds:.0f} s a measure,"
            f" {repeat} round(s); platform pid {process.pid}"
        )
        ratios: dict[str, list[float]] = {}
        for round_ in range(repeat):
            order = pairs[:]
            random.Random(round_).shuffle(order)
            for name, through, direct in order:
                gq = await _closed_loop(
                    f"{name} (GraphQL)", base, through, connections, seconds, process.pid
                )
                dr = await _closed_loop(
                    f"{name} (direct)", base, direct, connections, seconds, process.pid
                )
                print(gq.line())
                print(dr.line())
                if gq.rate:
                    ratios.setdefault(name, []).append(dr.rate / gq.rate)
        for name, found in ratios.items():
            print(f"ratio direct/GraphQL, {name}: " + ", ".join(f"{r:.2f}" for r in found))
    finally:
        process.terminate()
        process.wait(30)
        log.close()
