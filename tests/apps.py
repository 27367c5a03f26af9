"""Run service definitions in-process for API tests (embedded bus and SQLite by default)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

from boyin_shared import identity
from boyin_shared.bus import EventBus
from boyin_shared.bus.embedded import EmbeddedBus
from boyin_shared.events import Event
from boyin_shared.identity import Actor, Role
from boyin_shared.service import ServiceDefinition, ServiceHost
from boyin_shared.settings import PlatformSettings

SECRET = "test-internal-secret-of-at-least-32-bytes"
OPERATOR = Actor(account_id="acc_operator", role=Role.OPERATOR)


def as_actor(actor: Actor) -> dict[str, str]:
    """Headers that make a call on behalf of ``actor`` (as the gateway would). Valid for an
    hour: a client made at the start of a long test must not expire halfway."""
    return {identity.HEADER: identity.issue(actor, SECRET, ttl_seconds=3600)}


@dataclass
class Running:
    bus: EventBus
    hosts: dict[str, ServiceHost]
    clients: dict[str, httpx.AsyncClient]

    def client(self, service: str) -> httpx.AsyncClient:
        """A client that calls as an operator unless a request passes other headers."""
        return self.clients[service]


@asynccontextmanager
async def running(
    definitions: Sequence[ServiceDefinition],
    data_dir: Path,
    *,
    bus: EventBus | None = None,
    **settings: object,
) -> AsyncIterator[Running]:
    """Open every service on one bus, start them, and give an HTTP client per service."""
    config = PlatformSettings(
        data_dir=data_dir,
        outbox_sweep_seconds=1.0,
        internal_token_secret=SECRET,
        **settings,  # type: ignore[arg-type]
    )
    the_bus = bus or EmbeddedBus(data_dir / "bus.sqlite")
    hosts = {d.name: ServiceHost(d, config) for d in definitions}
    for host in hosts.values():
        await host.open(the_bus)
    await the_bus.start()
    for host in hosts.values():
        await host.start()
    clients = {
        name: httpx.AsyncClient(
            transport=httpx.ASGITransport(app=host.app),
            base_url=f"http://{name}",
            headers=as_actor(OPERATOR),
        )
        for name, host in hosts.items()
    }
    try:
        yield Running(the_bus, hosts, clients)
    finally:
        for client in clients.values():
            await client.aclose()
        for host in hosts.values():
            await host.close()
        await the_bus.stop()


@dataclass
class Published:
    """What the service published, in order (the events a test's subscription heard)."""

    events: list[Event] = field(default_factory=list)

    def of(self, kind: type[Event]) -> list[Event]:
        return [e for e in self.events if isinstance(e, kind)]


@dataclass
class Service:
    r: Running
    api: httpx.AsyncClient
    published: Published

    async def call(self, actor: Actor, method: str, path: str, body: Any = None) -> httpx.Response:
        return await self.api.request(method, path, json=body, headers=as_actor(actor))

    async def until_published(self, kind: type[Event], count: int) -> list[Event]:
        for _ in range(200):
            if len(self.published.of(kind)) >= count:
                return self.published.of(kind)
            await asyncio.sleep(0.05)
        raise AssertionError(f"{kind.__name__}: {len(self.published.of(kind))} of {count}")
