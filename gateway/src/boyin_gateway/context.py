"""Per-request GraphQL context: who is calling, and clients that call on their behalf."""

from __future__ import annotations

from dataclasses import dataclass

import httpx
from strawberry.fastapi import BaseContext

from boyin_gateway.clients import MatchingClient, RegistryClient
from boyin_shared.identity import Actor, Role

ANONYMOUS = Actor(account_id="anonymous", role=Role.PUBLIC)


@dataclass
class Pools:
    """One HTTP connection pool per service, shared by all requests."""

    registry: httpx.AsyncClient
    matching: httpx.AsyncClient
    secret: str

    @classmethod
    def open(cls, urls: dict[str, str], secret: str, *, timeout: float = 10.0) -> Pools:
        return cls(
            registry=httpx.AsyncClient(base_url=urls["registry"], timeout=timeout),
            matching=httpx.AsyncClient(base_url=urls["matching"], timeout=timeout),
            secret=secret,
        )

    async def close(self) -> None:
        await self.registry.aclose()
        await self.matching.aclose()


class Context(BaseContext):
    def __init__(self, pools: Pools, actor: Actor) -> None:
        super().__init__()
        self.actor = actor
        self.registry = RegistryClient(pools.registry, pools.secret, actor)
        self.matching = MatchingClient(pools.matching, pools.secret, actor)

    @property
    def downstream_calls(self) -> int:
        return self.registry.calls + self.matching.calls
