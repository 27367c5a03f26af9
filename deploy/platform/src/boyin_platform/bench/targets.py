"""The platforms ``bench load`` measures, each started with the demo fair and stopped after:
single-process mode (from this checkout, or another's sources for a before/after run), or
every service and the gateway as its own process on Kafka and the MongoDB-wire server."""

from __future__ import annotations

import asyncio
import json
import os
import secrets
import subprocess
import sys
import tempfile
from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import httpx
from pymongo import AsyncMongoClient

from boyin_platform import demo_fair
from boyin_platform.bench.queries import Platform, Seen, seen
from boyin_platform.demo_people import DEMO_ADMIN_LOGIN, DEMO_PASSWORD
from boyin_platform.processes import ManagedProcess, free_port, platform_env
from boyin_platform.services import SERVICES

#: what the bench turns off: one client would only meet the rate limits
UNLIMITED = {
    "BOYIN_LOG_LEVEL": "WARNING",
    "BOYIN_RATE_LIMIT_PER_MINUTE": "0",
    "BOYIN_RATE_LIMIT_ANONYMOUS_PER_MINUTE": "0",
}


async def _seen_when_loaded(base: str, alive: list[subprocess.Popen[bytes]]) -> Seen:
    """Wait for the demo fair to be loaded; what its talent sees."""
    async with httpx.AsyncClient(base_url=base, timeout=10) as client:
        for _ in range(600):
            if any(p.poll() is not None for p in alive):
                raise SystemExit("a platform process exited")
            try:
                found = await seen(client)
                if found is not None:
                    return found
            except (httpx.HTTPError, KeyError, TypeError, ValueError):
                pass
            await asyncio.sleep(0.5)
    raise SystemExit("the demo fair did not load")


def _sources(checkout: Path) -> str:
    """PYTHONPATH of another checkout's packages (ahead of this environment's own)."""
    found = sorted(checkout.glob("*/src")) + sorted(checkout.glob("*/*/src"))
    return os.pathsep.join(str(path.resolve()) for path in found)


@asynccontextmanager
async def single_process(
    name: str, checkout: Path | None, extra: Mapping[str, str] | None = None
) -> AsyncIterator[tuple[Platform, Seen]]:
    """``python -m boyin_platform --demo`` (README command one), from ``checkout``'s sources
    when given, with ``extra`` environment (say, tracing on)."""
    data = Path(tempfile.mkdtemp(prefix="boyin-load-"))
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    env = os.environ | UNLIMITED | dict(extra or {})
    if checkout is not None:
        env["PYTHONPATH"] = _sources(checkout)
    command = [sys.executable, "-m", "boyin_platform", "--demo", "--data", str(data)]
    with (data / "platform.log").open("wb") as log:
        process = subprocess.Popen(
            [*command, "--port", str(port)], env=env, stdout=log, stderr=subprocess.STDOUT
        )
    try:
        found = await _seen_when_loaded(base, [process])
        secret = json.loads((data / "secrets.json").read_text())["internal_token_secret"]
        services = {s.name: f"{base}/services/{s.name}" for s in SERVICES}
        yield Platform(name, base, services, secret, {"platform": process.pid}), found
    finally:
        process.terminate()
        process.wait(30)


@asynccontextmanager
async def distributed(name: str, gateway_workers: int) -> AsyncIterator[tuple[Platform, Seen]]:
    """Every service and the gateway as its own process (``deploy/local.sh``'s plan, one
    process a service) on the Kafka and MongoDB-wire servers of ``BOYIN_KAFKA_PORT`` and
    ``BOYIN_MONGO_PORT`` (default 19092 and 37017), in topics and databases of their own;
    ``gateway_workers`` gateway processes on one port."""
    secret = secrets.token_urlsafe(48)
    namespace = f"bench{secrets.token_hex(4)}"
    kafka = f"127.0.0.1:{os.environ.get('BOYIN_KAFKA_PORT', '19092')}"
    mongo = (
        f"mongodb://127.0.0.1:{os.environ.get('BOYIN_MONGO_PORT', '37017')}/?directConnection=true"
    )
    logs = Path(tempfile.mkdtemp(prefix="boyin-load-"))
    env = platform_env(kafka_bootstrap=kafka, mongo_url=mongo, secret=secret, namespace=namespace)
    procs = [ManagedProcess(s.name, s.module, env | UNLIMITED, logs) for s in SERVICES]
    urls = {p.name: p.url for p in procs}
    gateway_env = env | UNLIMITED | {"BOYIN_SERVICE_URLS": json.dumps(urls)}
    gateway_env |= {
        "BOYIN_ADMIN_LOGIN": DEMO_ADMIN_LOGIN,
        "BOYIN_ADMIN_PASSWORD": DEMO_PASSWORD,
        "BOYIN_WORKERS": str(gateway_workers),
    }
    gateway = ManagedProcess("gateway", "boyin_gateway", gateway_env, logs)
    procs.append(gateway)
    try:
        for proc in procs:
            await proc.start()
        await _load_demo(gateway.url, secret, urls)
        alive = [p.proc for p in procs if p.proc is not None]
        found = await _seen_when_loaded(gateway.url, alive)
        pids = {p.name: p.proc.pid for p in procs if p.proc is not None}
        pids |= _workers(pids["gateway"])
        yield Platform(name, gateway.url, urls, secret, pids), found
    finally:
        for proc in reversed(procs):
            proc.stop()
        await _drop_databases(mongo, namespace)


async def _load_demo(gateway: str, secret: str, services: dict[str, str]) -> None:
    """The demo fair, loaded again (it skips what exists) while a service answers that it is
    briefly unavailable (FerretDB is slow to answer on a busy machine)."""
    for attempt in range(1, 6):
        try:
            await demo_fair.load(gateway, secret, DEMO_ADMIN_LOGIN, DEMO_PASSWORD, services)
            return
        except (RuntimeError, httpx.HTTPError):
            if attempt == 5:
                raise
            await asyncio.sleep(5.0 * attempt)


async def _drop_databases(url: str, namespace: str) -> None:
    """The run's own databases, dropped from the shared server."""
    client: AsyncMongoClient[Any] = AsyncMongoClient(url)
    try:
        for name in await client.list_database_names():
            if name.startswith(namespace):
                await client.drop_database(name)
    finally:
        await client.close()


def _workers(pid: int) -> dict[str, int]:
    """The worker processes a uvicorn supervisor started (none with one worker)."""
    children = Path(f"/proc/{pid}/task/{pid}/children")
    found = children.read_text().split() if children.exists() else []
    workers = [
        int(child)
        for child in found
        if b"resource_tracker" not in Path(f"/proc/{child}/cmdline").read_bytes()
    ]
    return {f"gateway-{i + 1}": child for i, child in enumerate(workers)}
