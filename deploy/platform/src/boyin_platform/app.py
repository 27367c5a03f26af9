"""The whole platform in one process: every service and the gateway on one embedded bus."""

from __future__ import annotations

import logging
import secrets
from collections.abc import AsyncIterator
from contextlib import AsyncExitStack, asynccontextmanager

from fastapi import FastAPI
from pydantic import SecretStr

from boyin_gateway.app import create_app as create_gateway
from boyin_platform.services import SERVICES
from boyin_shared import http
from boyin_shared.runtime import make_bus
from boyin_shared.service import ServiceHost, start_bus
from boyin_shared.settings import PlatformSettings

log = logging.getLogger("boyin.platform")


def base_url(settings: PlatformSettings) -> str:
    return f"http://{settings.host}:{settings.port}"


def create_platform(settings: PlatformSettings) -> FastAPI:
    """Services under ``/services/<name>``, the gateway at ``/graphql``."""
    urls = {d.name: f"{base_url(settings)}/services/{d.name}" for d in SERVICES}
    update: dict[str, object] = {"service_urls": {**urls, **settings.service_urls}}
    if settings.internal_token_secret is None:
        # One process: the services and the gateway trust each other through this secret.
        update["internal_token_secret"] = SecretStr(secrets.token_urlsafe(48))
    settings = settings.model_copy(update=update)
    hosts = [ServiceHost(d, settings) for d in SERVICES]
    gateway = create_gateway(settings)

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        bus = make_bus(settings, client_id="boyin-platform")
        async with AsyncExitStack() as stack:
            stack.push_async_callback(bus.stop)
            for host in hosts:
                await host.open(bus)
                stack.push_async_callback(host.close)
            await start_bus(bus)
            for host in hosts:
                await host.start()
            await stack.enter_async_context(gateway.router.lifespan_context(gateway))
            log.info("platform started", extra={"graphql": f"{base_url(settings)}/graphql"})
            yield

    app = FastAPI(title="Boyin platform", lifespan=lifespan)
    app.state.settings = settings

    async def ready() -> bool:
        return all([await h.ready() for h in hosts])

    http.install(app, "platform", ready)
    for host in hosts:
        app.mount(f"/services/{host.definition.name}", host.app)
    app.mount("/", gateway)
    return app
