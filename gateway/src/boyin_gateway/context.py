"""Per-request GraphQL context: the service clients and this request's DataLoaders."""

from __future__ import annotations

from dataclasses import dataclass

from strawberry.fastapi import BaseContext

from boyin_gateway.clients import MatchingClient, RegistryClient


@dataclass
class Clients:
    registry: RegistryClient
    matching: MatchingClient

    async def close(self) -> None:
        await self.registry.close()
        await self.matching.close()


class Context(BaseContext):
    def __init__(self, clients: Clients) -> None:
        super().__init__()
        self.clients = clients
