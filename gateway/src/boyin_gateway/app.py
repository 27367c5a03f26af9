"""The gateway application: GraphQL over the services' HTTP APIs, plus accounts."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any

from fastapi import Depends, FastAPI
from starlette.requests import HTTPConnection
from starlette.types import ASGIApp
from strawberry.exceptions import ConnectionRejectionError
from strawberry.fastapi import GraphQLRouter
from strawberry.types.unset import UNSET, UnsetType

from boyin_gateway import files, portal, unsubscribe
from boyin_gateway.accounts.service import Accounts
from boyin_gateway.accounts.tokens import AccessTokens, expiry, read_access
from boyin_gateway.clients import Agreements, Downstream, HttpServices, Services
from boyin_gateway.context import ANONYMOUS, Context
from boyin_gateway.feeds import Feeds
from boyin_gateway.graphiql import mount_assets, offline_graphiql_html
from boyin_gateway.limits import LimitRequests, Limits, Throttle
from boyin_gateway.reference_cache import ReferenceCache
from boyin_gateway.schema import build_schema
from boyin_shared import heap, http, telemetry
from boyin_shared.errors import BoyinError, TransientError, invalid_body, unauthenticated
from boyin_shared.identity import Actor
from boyin_shared.runtime import make_bus, make_store
from boyin_shared.scrape import ScrapeAccess
from boyin_shared.service import start_bus
from boyin_shared.settings import PlatformSettings
from boyin_shared.store import DocumentStore

REQUIRED_SERVICES = ("registry", "matching", "scheduling")


@dataclass
class Running:
    services: Services
    store: DocumentStore
    accounts: Accounts
    feeds: Feeds
    reference: ReferenceCache


class GatewayRouter(GraphQLRouter[Context, None]):
    """GraphQL over HTTP and graphql-transport-ws; websockets authenticate with the
    connection parameters ``{"authorization": "Bearer <access token>"}``."""

    def __init__(self, *args: Any, jwt_secret: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._jwt_secret = jwt_secret

    @property
    def graphql_ide_html(self) -> str:
        """GraphiQL with its assets served by the gateway (it works offline)."""
        return offline_graphiql_html()

    def encode_json(self, data: object) -> str:
        """Chinese as Chinese (UTF-8), not six bytes of ``\\uXXXX`` a character."""
        return json.dumps(data, ensure_ascii=False, separators=(",", ":"))

    def decode_json(self, data: str | bytes) -> object:
        """A request body is a JSON object (an operation) or, refused later as batching is
        off, an array; anything else, or JSON nested too deeply to decode, is the caller's
        mistake: ``400 INVALID_BODY``, not a server error."""
        try:
            decoded = json.loads(data)
        except RecursionError:
            raise invalid_body("嵌套过深", "is nested too deeply") from None
        if not isinstance(decoded, dict | list):
            raise invalid_body("须为 JSON 对象", "must be a JSON object") from None
        return decoded

    async def on_ws_connect(self, context: Context) -> UnsetType | dict[str, object] | None:
        params = context.connection_params or {}
        value = params.get("authorization") or params.get("Authorization")
        if value is None:
            return _NO_PAYLOAD  # a visitor: only what the public may see
        token = str(value).removeprefix("Bearer ").strip()
        try:
            actor = await authenticated(context.accounts, token, self._jwt_secret)
        except BoyinError as exc:
            raise ConnectionRejectionError({"code": exc.code, "message": exc.message.en}) from exc
        context.authenticate(actor, expiry(token))
        return _NO_PAYLOAD


async def authenticated(accounts: Accounts, token: str, jwt_secret: str) -> Actor:
    """The actor of an access token that is valid and whose session is still signed in."""
    actor = read_access(token, jwt_secret)
    if await accounts.session_revoked(actor.session_id or ""):
        raise unauthenticated()
    return actor


async def signed_in(accounts: Accounts, token: str, tokens: AccessTokens) -> tuple[Actor, float]:
    """:func:`authenticated` with the token read once (its actor and expiry)."""
    actor, expires_at = tokens.read(token)
    if await accounts.session_revoked(actor.session_id or ""):
        raise unauthenticated()
    return actor, expires_at


#: acknowledge the connection without a payload
_NO_PAYLOAD: UnsetType = UNSET


def create_app(
    settings: PlatformSettings,
    *,
    graphiql: bool = True,
    feeds: Feeds | None = None,
    services: Services | None = None,
    in_process: Mapping[str, ASGIApp] | None = None,
) -> FastAPI:
    """The gateway; ``feeds`` is given when the gateway shares the platform's bus (one
    process), otherwise it opens its own bus client for the live feeds. ``services`` are
    the services' clients (tests give in-memory fakes); by default HTTP clients of
    ``BOYIN_SERVICE_URLS``, or the services' applications themselves when they run in
    this process (``in_process``). GraphiQL is served only where introspection is allowed
    (``BOYIN_GRAPHQL_INTROSPECTION``)."""
    missing = [s for s in REQUIRED_SERVICES if s not in settings.service_urls]
    if missing and services is None:
        raise RuntimeError(f"BOYIN_SERVICE_URLS has no URL for {', '.join(missing)}")
    secret = settings.identity_secret()
    jwt_secret = settings.access_token_secret()
    limits = Limits.of(settings)
    throttle = Throttle.of(limits)
    running: list[Running] = []  # set while the app is up

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        store = make_store(settings, "gateway")
        accounts = Accounts(store, jwt_secret)
        await accounts.prepare()
        if settings.admin_login and settings.admin_password:
            await accounts.ensure_admin(
                settings.admin_login, settings.admin_password.get_secret_value()
            )
        own_bus = None
        live = feeds
        if live is None:
            live = Feeds()
            own_bus = make_bus(settings, client_id="boyin-gateway")
            own_bus.subscribe(live.subscription())
            await start_bus(own_bus)
        clients = services or HttpServices.open(
            settings.service_urls, secret, in_process=in_process
        )
        reference = ReferenceCache()
        live.watchers.append(reference.on_event)
        running.append(Running(clients, store, accounts, live, reference))
        heap.freeze_start_up()  # what start-up made stays out of the collections under load
        try:
            yield
        finally:
            up = running.pop()
            up.feeds.watchers.remove(up.reference.on_event)
            if own_bus is not None:
                await own_bus.stop()
            await up.services.close()
            await up.store.close()

    tokens = AccessTokens(jwt_secret)

    async def signed_in_as(request: HTTPConnection) -> tuple[Actor, float | None]:
        header = request.headers.get("authorization", "")
        if header.lower().startswith("bearer "):
            # 401 when invalid, expired or its session was signed out
            return await signed_in(running[0].accounts, header[7:].strip(), tokens)
        return ANONYMOUS, None

    async def actor_of(request: HTTPConnection) -> Actor:
        return (await signed_in_as(request))[0]

    async def context(request: HTTPConnection) -> Context:
        up = running[0]
        actor, expires_at = await signed_in_as(request)
        made = Context(up.services, up.accounts, actor, up.feeds, up.reference)
        if expires_at is not None:
            made.expires_at = expires_at
        return made

    def registry_for(actor: Actor) -> Downstream:
        return running[0].services.registry(actor)

    def scheduling_for(actor: Actor) -> Downstream:
        return running[0].services.scheduling(actor)

    def agreements_for(actor: Actor) -> Agreements:
        return running[0].services.agreements(actor)

    def account_of(token: str) -> str | None:
        try:
            return tokens.read(token)[0].account_id
        except BoyinError:
            return None

    # where introspection is off, so are the HTTP API's own description and docs pages
    described = settings.graphql_introspection
    app = FastAPI(
        title="Boyin gateway",
        telemetry=telemetry.NATIVE_OFF,
        lifespan=lifespan,
        openapi_url="/openapi.json" if described else None,
        docs_url="/docs" if described else None,
        redoc_url="/redoc" if described else None,
    )
    app.state.throttle = throttle  # the sign-in throttle finds it here (see limits.py)

    async def ready() -> bool:
        if not running:
            return False
        try:
            await running[0].store.ping()
        except TransientError:
            return False
        return True

    http.install(app, "gateway", ready, scrape=ScrapeAccess.of(settings))
    # outermost: a refused request costs no more than this
    app.add_middleware(LimitRequests, limits=limits, throttle=throttle, account_of=account_of)
    app.include_router(
        GatewayRouter(
            build_schema(limits),
            jwt_secret=jwt_secret,
            context_getter=context,
            graphql_ide="graphiql" if graphiql and limits.introspection else None,
            # file uploads; only with a header that makes browsers ask first (see files.py)
            multipart_uploads_enabled=True,
            dependencies=[Depends(files.guard_uploads)],
        ),
        prefix="/graphql",
    )
    if graphiql and limits.introspection:
        mount_assets(app)
    app.include_router(files.router(actor_of, registry_for, scheduling_for, agreements_for))
    app.include_router(files.calendar_router(scheduling_for))
    app.include_router(unsubscribe.router(lambda actor: running[0].services.registry(actor)))
    # last: every path no route above answered is the web portal's (its files or its page)
    app.include_router(portal.router(settings.portal_dir))
    return app
