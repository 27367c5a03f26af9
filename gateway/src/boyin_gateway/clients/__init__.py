"""The gateway's clients of the services; the gateway owns no business data.

Each service has a protocol (:class:`Registry`, :class:`Matching`, :class:`Scheduling`,
:class:`Agreements`, :class:`Mentors`) that resolvers depend on, and an HTTP implementation. :class:`Services` hands out clients
acting for one caller; :class:`HttpServices` does so over one connection pool per service,
and the tests' in-memory fakes implement the same protocols.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Protocol

import httpx
from starlette.types import ASGIApp

from boyin_gateway.clients.agreements import Agreements, AgreementsClient, NoAgreements
from boyin_gateway.clients.base import (
    Downstream,
    FilePart,
    ServiceClient,
    ServiceError,
    ServiceUnavailable,
    sent,
)
from boyin_gateway.clients.dead_letters import DeadLetterDesk, DeadLettersClient, ServiceName
from boyin_gateway.clients.matching import Matching, MatchingClient
from boyin_gateway.clients.mentors import Mentors, MentorsClient, NoMentors
from boyin_gateway.clients.registry import Registry, RegistryClient
from boyin_gateway.clients.scheduling import Scheduling, SchedulingClient
from boyin_shared.identity import Actor

__all__ = [
    "Agreements",
    "AgreementsClient",
    "DeadLetterDesk",
    "DeadLettersClient",
    "Downstream",
    "FilePart",
    "HttpServices",
    "Matching",
    "MatchingClient",
    "Mentors",
    "MentorsClient",
    "Registry",
    "RegistryClient",
    "Scheduling",
    "SchedulingClient",
    "ServiceClient",
    "ServiceError",
    "ServiceName",
    "ServiceUnavailable",
    "Services",
    "sent",
]


class Services(Protocol):
    """The services, each as a client acting for one caller."""

    def registry(self, actor: Actor) -> Registry: ...

    def matching(self, actor: Actor) -> Matching: ...

    def scheduling(self, actor: Actor) -> Scheduling: ...

    def agreements(self, actor: Actor) -> Agreements: ...

    def mentors(self, actor: Actor) -> Mentors: ...

    def dead_letters(self, service: ServiceName, actor: Actor) -> DeadLetterDesk:
        """One service's dead letters, for an operator."""
        ...

    async def close(self) -> None:
        """Release what the clients share (connection pools)."""
        ...


@dataclass
class HttpServices:
    """:class:`Services` over HTTP: one connection pool per service, shared by all
    requests; each client signs the caller's identity into its calls. Without an URL for
    agreements or mentors (an older deployment) their fields answer as an unreachable
    service does."""

    registry_pool: httpx.AsyncClient
    matching_pool: httpx.AsyncClient
    scheduling_pool: httpx.AsyncClient
    secret: str
    agreements_pool: httpx.AsyncClient | None = None
    mentors_pool: httpx.AsyncClient | None = None

    @classmethod
    def open(
        cls,
        urls: dict[str, str],
        secret: str,
        *,
        timeout: float = 10.0,
        in_process: Mapping[str, ASGIApp] | None = None,
    ) -> HttpServices:
        """Pools of ``urls``; a service in ``in_process`` (the single-process mode) is called
        as an application in this process, without a socket or a second HTTP server."""
        apps = in_process or {}

        def pool(name: str) -> httpx.AsyncClient:
            app = apps.get(name)
            if app is None:
                return httpx.AsyncClient(base_url=urls[name], timeout=timeout)
            # a fault of the service is its 500 answer, as over a socket
            transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
            return httpx.AsyncClient(
                base_url=f"http://{name}", timeout=timeout, transport=transport
            )

        return cls(
            registry_pool=pool("registry"),
            matching_pool=pool("matching"),
            scheduling_pool=pool("scheduling"),
            secret=secret,
            agreements_pool=pool("agreements")
            if "agreements" in urls or "agreements" in apps
            else None,
            mentors_pool=pool("mentors") if "mentors" in urls or "mentors" in apps else None,
        )

    @property
    def pools(self) -> tuple[httpx.AsyncClient, ...]:
        shared = (self.registry_pool, self.matching_pool, self.scheduling_pool)
        optional = (self.agreements_pool, self.mentors_pool)
        return shared + tuple(pool for pool in optional if pool is not None)

    def registry(self, actor: Actor) -> RegistryClient:
        return RegistryClient(self.registry_pool, self.secret, actor)

    def matching(self, actor: Actor) -> MatchingClient:
        return MatchingClient(self.matching_pool, self.secret, actor)

    def scheduling(self, actor: Actor) -> SchedulingClient:
        return SchedulingClient(self.scheduling_pool, self.secret, actor)

    def agreements(self, actor: Actor) -> AgreementsClient:
        if self.agreements_pool is None:
            return NoAgreements(actor)
        return AgreementsClient(self.agreements_pool, self.secret, actor)

    def mentors(self, actor: Actor) -> MentorsClient:
        if self.mentors_pool is None:
            return NoMentors(actor)
        return MentorsClient(self.mentors_pool, self.secret, actor)

    def dead_letters(self, service: ServiceName, actor: Actor) -> DeadLettersClient:
        pools = {
            ServiceName.REGISTRY: self.registry_pool,
            ServiceName.MATCHING: self.matching_pool,
            ServiceName.SCHEDULING: self.scheduling_pool,
            ServiceName.AGREEMENTS: self.agreements_pool,
            ServiceName.MENTORS: self.mentors_pool,
        }
        pool = pools[service]
        if pool is None:  # not deployed: answered as an unreachable service is
            raise ServiceUnavailable(f"{service.value} is not deployed")
        return DeadLettersClient(pool, self.secret, actor)

    async def close(self) -> None:
        for pool in self.pools:
            await pool.aclose()
