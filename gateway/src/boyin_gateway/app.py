"""The gateway application: GraphQL over the services' HTTP APIs."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from strawberry.fastapi import GraphQLRouter

from boyin_gateway.clients import MatchingClient, RegistryClient
from boyin_gateway.context import Clients, Context
from boyin_gateway.schema import schema
from boyin_shared import http
from boyin_shared.settings import PlatformSettings


def service_url(settings: PlatformSettings, name: str) -> str:
    try:
        return settings.service_urls[name]
    except KeyError:
        raise RuntimeError(f"BOYIN_SERVICE_URLS has no URL for {name}") from None


def create_app(settings: PlatformSettings, *, graphiql: bool = True) -> FastAPI:
    holder: dict[str, Clients] = {}

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        holder["clients"] = Clients(
            registry=RegistryClient(service_url(settings, "registry")),
            matching=MatchingClient(service_url(settings, "matching")),
        )
        try:
            yield
        finally:
            await holder.pop("clients").close()

    async def context() -> Context:
        return Context(holder["clients"])

    app = FastAPI(title="Boyin gateway", lifespan=lifespan)

    async def ready() -> bool:
        return "clients" in holder

    http.install(app, "gateway", ready)
    app.include_router(
        GraphQLRouter(schema, context_getter=context, graphql_ide="graphiql" if graphiql else None),
        prefix="/graphql",
    )
    return app
