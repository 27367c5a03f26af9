"""The gateway application: GraphQL over the services' HTTP APIs, plus accounts."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass

from fastapi import Depends, FastAPI, Request
from strawberry.fastapi import GraphQLRouter

from boyin_gateway import files
from boyin_gateway.accounts.service import Accounts
from boyin_gateway.accounts.tokens import read_access
from boyin_gateway.clients import RegistryClient
from boyin_gateway.context import ANONYMOUS, Context, Pools
from boyin_gateway.schema import schema
from boyin_shared import http
from boyin_shared.errors import TransientError
from boyin_shared.identity import Actor
from boyin_shared.runtime import make_store
from boyin_shared.settings import PlatformSettings
from boyin_shared.store import DocumentStore

REQUIRED_SERVICES = ("registry", "matching")


@dataclass
class Running:
    pools: Pools
    store: DocumentStore
    accounts: Accounts


def create_app(settings: PlatformSettings, *, graphiql: bool = True) -> FastAPI:
    missing = [s for s in REQUIRED_SERVICES if s not in settings.service_urls]
    if missing:
        raise RuntimeError(f"BOYIN_SERVICE_URLS has no URL for {', '.join(missing)}")
    secret = settings.identity_secret()
    jwt_secret = settings.access_token_secret()
    running: list[Running] = []  # set while the app is up

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        store = make_store(settings, "gateway")
        accounts = Accounts(store, jwt_secret)
        if settings.admin_login and settings.admin_password:
            await accounts.ensure_admin(
                settings.admin_login, settings.admin_password.get_secret_value()
            )
        running.append(Running(Pools.open(settings.service_urls, secret), store, accounts))
        try:
            yield
        finally:
            up = running.pop()
            await up.pools.close()
            await up.store.close()

    def actor_of(request: Request) -> Actor:
        header = request.headers.get("authorization", "")
        if header.lower().startswith("bearer "):
            return read_access(header[7:].strip(), jwt_secret)  # 401 when invalid or expired
        return ANONYMOUS

    async def context(request: Request) -> Context:
        return Context(running[0].pools, running[0].accounts, actor_of(request))

    def registry_for(actor: Actor) -> RegistryClient:
        pools = running[0].pools
        return RegistryClient(pools.registry, pools.secret, actor)

    app = FastAPI(title="Boyin gateway", lifespan=lifespan)

    async def ready() -> bool:
        if not running:
            return False
        try:
            await running[0].store.ping()
        except TransientError:
            return False
        return True

    http.install(app, "gateway", ready)
    app.include_router(
        GraphQLRouter(
            schema,
            context_getter=context,
            graphql_ide="graphiql" if graphiql else None,
            # file uploads; only with a header that makes browsers ask first (see files.py)
            multipart_uploads_enabled=True,
            dependencies=[Depends(files.guard_uploads)],
        ),
        prefix="/graphql",
    )
    app.include_router(files.router(actor_of, registry_for))
    return app
