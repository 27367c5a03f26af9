"""The gateway application: GraphQL over the services' HTTP APIs."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from strawberry.fastapi import GraphQLRouter

from boyin_gateway.context import ANONYMOUS, Context, Pools
from boyin_gateway.schema import schema
from boyin_shared import http
from boyin_shared.settings import PlatformSettings

REQUIRED_SERVICES = ("registry", "matching")


def create_app(settings: PlatformSettings, *, graphiql: bool = True) -> FastAPI:
    missing = [s for s in REQUIRED_SERVICES if s not in settings.service_urls]
    if missing:
        raise RuntimeError(f"BOYIN_SERVICE_URLS has no URL for {', '.join(missing)}")
    secret = settings.identity_secret()
    holder: dict[str, Pools] = {}

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        holder["pools"] = Pools.open(settings.service_urls, secret)
        try:
            yield
        finally:
            await holder.pop("pools").close()

    async def context() -> Context:
        return Context(holder["pools"], ANONYMOUS)

    app = FastAPI(title="Boyin gateway", lifespan=lifespan)

    async def ready() -> bool:
        return "pools" in holder

    http.install(app, "gateway", ready)
    app.include_router(
        GraphQLRouter(schema, context_getter=context, graphql_ide="graphiql" if graphiql else None),
        prefix="/graphql",
    )
    return app
