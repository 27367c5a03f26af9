"""Per-request GraphQL context: who is calling, clients acting for them, this request's loaders."""

from __future__ import annotations

from dataclasses import dataclass, replace

import httpx
from strawberry.dataloader import DataLoader
from strawberry.fastapi import BaseContext

from boyin_gateway.accounts.service import Accounts
from boyin_gateway.clients import MatchingClient, RegistryClient
from boyin_gateway.feeds import Feeds
from boyin_gateway.types import Organisation, Talent
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


class Loaders:
    """Batch the lookups of one request: N owners become one call per service."""

    def __init__(self, registry: RegistryClient) -> None:
        async def organisations(ids: list[str]) -> list[Organisation | None]:
            found = {o.id: Organisation.of(o) for o in await registry.organisations_by_id(ids)}
            return [found.get(i) for i in ids]

        async def talents(ids: list[str]) -> list[Talent | None]:
            found = {t.id: Talent.of(t) for t in await registry.talents_by_id(ids)}
            return [found.get(i) for i in ids]

        self.organisations = DataLoader(load_fn=organisations, max_batch_size=200)
        self.talents = DataLoader(load_fn=talents, max_batch_size=200)


class Context(BaseContext):
    def __init__(self, pools: Pools, accounts: Accounts, actor: Actor, feeds: Feeds) -> None:
        super().__init__()
        self.accounts = accounts
        self.feeds = feeds
        self._pools = pools
        #: set by graphql-transport-ws from the client's connection_init payload
        self.connection_params: dict[str, object] | None = None
        self._acting: list[RegistryClient] = []
        self.authenticate(actor)

    def authenticate(self, actor: Actor) -> None:
        """Act for ``actor`` (a websocket authenticates after the connection is made)."""
        self.actor = actor
        self.registry = RegistryClient(self._pools.registry, self._pools.secret, actor)
        self.matching = MatchingClient(self._pools.matching, self._pools.secret, actor)
        self.loaders = Loaders(self.registry)

    def registry_acting_for(self, party_id: str) -> RegistryClient:
        """The registry as the caller acting for ``party_id``: the party their account is
        bound to, which a token issued before the binding does not name yet."""
        client = RegistryClient(
            self._pools.registry, self._pools.secret, replace(self.actor, party_id=party_id)
        )
        self._acting.append(client)
        return client

    @property
    def downstream_calls(self) -> int:
        acting = sum(c.calls for c in self._acting)
        return self.registry.calls + self.matching.calls + acting
