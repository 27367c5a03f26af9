"""The gateway in front of the real registry and agreements services (in-process, on the
embedded bus and store, each in the test's folder), the other services its fakes: the
routes and resolvers that pass files and documents between them, end to end."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx

from boyin_agreements.app import definition as agreements_definition
from boyin_gateway.clients import (
    AgreementsClient,
    DeadLetterDesk,
    DeadLettersClient,
    RegistryClient,
)
from boyin_gateway.clients.dead_letters import ServiceName
from boyin_gateway.clients.matching import Matching
from boyin_gateway.clients.mentors import Mentors
from boyin_gateway.clients.scheduling import Scheduling
from boyin_registry.app import definition as registry_definition
from boyin_shared.identity import Actor
from tests.apps import SECRET, Running, running
from tests.gateway.fakes import FakePlatform
from tests.gateway.harness import Gateway, gateway_server


@dataclass
class LiveServices:
    """:class:`boyin_gateway.clients.Services`: registry and agreements over HTTP (to the
    in-process apps), matching, scheduling and mentors the fakes."""

    fakes: FakePlatform
    registry_pool: httpx.AsyncClient
    agreements_pool: httpx.AsyncClient

    def registry(self, actor: Actor) -> RegistryClient:
        return RegistryClient(self.registry_pool, SECRET, actor)

    def matching(self, actor: Actor) -> Matching:
        return self.fakes.matching(actor)

    def scheduling(self, actor: Actor) -> Scheduling:
        return self.fakes.scheduling(actor)

    def agreements(self, actor: Actor) -> AgreementsClient:
        return AgreementsClient(self.agreements_pool, SECRET, actor)

    def mentors(self, actor: Actor) -> Mentors:
        return self.fakes.mentors(actor)

    def dead_letters(self, service: ServiceName, actor: Actor) -> DeadLetterDesk:
        if service is ServiceName.REGISTRY:
            return DeadLettersClient(self.registry_pool, SECRET, actor)
        if service is ServiceName.AGREEMENTS:
            return DeadLettersClient(self.agreements_pool, SECRET, actor)
        return self.fakes.dead_letters(service, actor)

    async def close(self) -> None:
        return None


@dataclass
class Live:
    gateway: Gateway
    #: the real services, in-process
    services: Running
    #: the fakes of the other services
    services_fakes: FakePlatform


def _pool(r: Running, name: str) -> httpx.AsyncClient:
    app = r.hosts[name].app
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url=f"http://{name}")


@asynccontextmanager
async def live_gateway(tmp_path: Path) -> AsyncIterator[Live]:
    definitions = [registry_definition, agreements_definition]
    fakes = FakePlatform()
    async with (
        running(definitions, tmp_path / "svc") as r,
        _pool(r, "registry") as reg,
        _pool(r, "agreements") as agr,
        gateway_server(tmp_path / "gw", services=LiveServices(fakes, reg, agr)) as gw,
    ):
        yield Live(gw, r, fakes)
