"""The whole platform in one process: every service and the gateway on one embedded bus."""

from __future__ import annotations

import json
import logging
import os
import secrets
from collections.abc import AsyncIterator
from contextlib import AsyncExitStack, asynccontextmanager
from pathlib import Path

from fastapi import FastAPI
from pydantic import SecretStr
from starlette.datastructures import Headers
from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Receive, Scope, Send

from boyin_gateway.app import create_app as create_gateway
from boyin_gateway.feeds import Feeds
from boyin_platform.services import definitions
from boyin_shared import http, identity, telemetry
from boyin_shared.errors import BoyinError
from boyin_shared.runtime import make_bus
from boyin_shared.scrape import ScrapeAccess
from boyin_shared.service import ServiceHost, start_bus
from boyin_shared.settings import PlatformSettings

log = logging.getLogger("boyin.platform")


def base_url(settings: PlatformSettings) -> str:
    return f"http://{settings.host}:{settings.port}"


def local_secrets(data_dir: Path) -> dict[str, str]:
    """Secrets of a single-process installation, made once and kept in its data folder
    (so sessions survive a restart); only readable by the owner."""
    path = data_dir / "secrets.json"
    if path.exists():
        kept: dict[str, str] = json.loads(path.read_text("utf-8"))
        return kept
    data_dir.mkdir(parents=True, exist_ok=True)
    made = {
        "internal_token_secret": secrets.token_urlsafe(48),
        "jwt_secret": secrets.token_urlsafe(48),
    }
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as out:
        json.dump(made, out)
    return made


class InternalOnly:
    """A service mounted at ``/services/<name>`` on the platform's one public port answers
    only calls with the signed internal identity (the gateway's): its every route, its
    OpenAPI document, docs, probes and metrics. The platform's own ``/healthz``, ``/readyz``
    and ``/metrics`` (for a scraper that proves itself: ``boyin_shared.scrape``) stay where
    an operator expects them."""

    def __init__(self, app: ASGIApp, secret: str) -> None:
        self.app = app
        self.secret = secret

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            token = Headers(scope=scope).get(identity.HEADER, "")
            try:
                identity.verify(token, self.secret)
            except BoyinError as refused:
                answer = JSONResponse(http.error_body(refused), status_code=refused.status)
                await answer(scope, receive, send)
                return
        await self.app(scope, receive, send)


def create_platform(settings: PlatformSettings) -> FastAPI:
    """Services under ``/services/<name>``, the gateway at ``/graphql``."""
    services = definitions()
    urls = {d.name: f"{base_url(settings)}/services/{d.name}" for d in services}
    update: dict[str, object] = {"service_urls": {**urls, **settings.service_urls}}
    if "public_url" not in settings.model_fields_set:
        update["public_url"] = base_url(settings)  # where the unsubscribe links point
    kept = local_secrets(settings.data_dir)
    if settings.internal_token_secret is None:
        update["internal_token_secret"] = SecretStr(kept["internal_token_secret"])
    if settings.jwt_secret is None:
        update["jwt_secret"] = SecretStr(kept["jwt_secret"])
    settings = settings.model_copy(update=update)
    # the folder holds every service's database and the uploaded files: its owner's only
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    settings.data_dir.chmod(0o700)
    hosts = [ServiceHost(d, settings) for d in services]
    feeds = Feeds()
    # the gateway calls the services as applications in this process: no second HTTP hop
    gateway = create_gateway(
        settings, feeds=feeds, in_process={h.definition.name: h.app for h in hosts}
    )

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        bus = make_bus(settings, client_id="boyin-platform")
        async with AsyncExitStack() as stack:
            stack.push_async_callback(bus.stop)
            for host in hosts:
                await host.open(bus)
                stack.push_async_callback(host.close)
            bus.subscribe(feeds.subscription())  # the gateway's live feeds share the bus
            await start_bus(bus)
            for host in hosts:
                await host.start()
            await stack.enter_async_context(gateway.router.lifespan_context(gateway))
            log.info("platform started", extra={"graphql": f"{base_url(settings)}/graphql"})
            yield

    described = settings.graphql_introspection  # off in production, as the gateway's are
    app = FastAPI(
        title="Boyin platform",
        telemetry=telemetry.NATIVE_OFF,
        lifespan=lifespan,
        openapi_url="/openapi.json" if described else None,
        docs_url="/docs" if described else None,
        redoc_url="/redoc" if described else None,
    )
    app.state.settings = settings

    async def ready() -> bool:
        return all([await h.ready() for h in hosts])

    http.install(
        app, "platform", ready, scrape=ScrapeAccess.of(settings), measure=False
    )  # the gateway and services measure
    for host in hosts:
        guarded = InternalOnly(host.app, settings.identity_secret())
        app.mount(f"/services/{host.definition.name}", guarded)
    app.mount("/", gateway)
    return app
