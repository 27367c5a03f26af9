"""The gateway's clients of the services; the gateway owns no business data.

Each service has a protocol (:class:`Registry`, :class:`Matching`, :class:`Scheduling`,
:class:`Agreements`, :class:`Mentors`) that resolvers depend on, and an HTTP implementation. :class:`Services` hands out clients
acting for one caller; :class:`HttpServices` does so over one connection pool per service,
and the tests' in-memory fakes implement the same protocols.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

import httpx

from boyin_gateway.clients.agreements import Agreements, AgreementsClient, NoAgreements
from boyin_gateway.clients.base import (
    Downstream,
    FilePart,
    ServiceClient,
    ServiceError,
    ServiceUnavailable,
    sent,
)
from boyin_gateway.clients.matching import Matching, MatchingClient
from boyin_gateway.clients.mentors import Mentors, MentorsClient, NoMentors
from boyin_gateway.clients.registry import Registry, RegistryClient
from boyin_gateway.clients.scheduling import Scheduling, SchedulingClient
from boyin_shared.identity import Actor

__all__ = [
    "Agreements",
    "AgreementsClient",
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
    def open(cls, urls: dict[str, str], secret: str, *, timeout: float = 10.0) -> HttpServices:
        return cls(
            registry_pool=httpx.AsyncClient(base_url=urls["registry"], timeout=timeout),
            matching_pool=httpx.AsyncClient(base_url=urls["matching"], timeout=timeout),
            scheduling_pool=httpx.AsyncClient(base_url=urls["scheduling"], timeout=timeout),
            secret=secret,
            agreements_pool=(
                httpx.AsyncClient(base_url=urls["agreements"], timeout=timeout)
                if "agreements" in urls
                else None
            ),
            mentors_pool=(
                httpx.AsyncClient(base_url=urls["mentors"], timeout=timeout)
                if "mentors" in urls
                else None
            ),
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

    async def close(self) -> None:
        for pool in self.pools:
            await pool.aclose()
