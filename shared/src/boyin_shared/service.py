"""One service bootstrap for every service: the host, and the standalone entry point.

A service is a :class:`ServiceDefinition`: its name, its routers, and a ``build``
coroutine that receives a :class:`ServiceContext` (settings, its own store, the bus, its
outbox) and returns what it runs (:class:`Built`). The same definition runs standalone
(:func:`run`, one OS process against Kafka and MongoDB) or beside the others in the
single-process platform (``boyin_platform``), which shares one bus between hosts.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Awaitable, Callable, Coroutine, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass, field, replace
from typing import Any

import uvicorn
from fastapi import APIRouter, Depends, FastAPI

from boyin_shared import faults, heap, http, logs, telemetry
from boyin_shared.bus import EventBus, Subscription
from boyin_shared.callers import current_actor
from boyin_shared.dead_letters import DeadLetters
from boyin_shared.dead_letters import api as dead_letters_api
from boyin_shared.errors import TransientError
from boyin_shared.outbox import Outbox
from boyin_shared.runtime import make_bus, make_store
from boyin_shared.scrape import ScrapeAccess
from boyin_shared.settings import PlatformSettings
from boyin_shared.store import Collection, DocumentStore

log = logging.getLogger("boyin.service")


@dataclass(frozen=True)
class ServiceContext:
    name: str
    settings: PlatformSettings
    store: DocumentStore
    bus: EventBus
    outbox: Outbox


@dataclass
class Built:
    #: what the routers reach through ``request.app.state.service``
    state: object
    subscriptions: Sequence[Subscription] = ()
    #: collections whose documents carry an outbox the relay must drain
    outbox_collections: Sequence[Collection] = ()
    #: long-running jobs (periodic sweeps and the like), started with the service
    background: Sequence[Callable[[], Coroutine[Any, Any, None]]] = ()
    on_stop: Callable[[], Awaitable[None]] | None = None


@dataclass(frozen=True)
class ServiceDefinition:
    name: str
    title: str
    routers: Sequence[APIRouter]
    build: Callable[[ServiceContext], Awaitable[Built]]
    description: str = ""


@dataclass
class ServiceHost:
    """A service's app plus the resources it opens and closes."""

    definition: ServiceDefinition
    settings: PlatformSettings
    app: FastAPI = field(init=False)
    _store: DocumentStore | None = None
    _bus: EventBus | None = None
    _outbox: Outbox | None = None
    _built: Built | None = None
    _tasks: list[asyncio.Task[None]] = field(default_factory=list)

    def __post_init__(self) -> None:
        d = self.definition
        self.app = FastAPI(
            title=d.title,
            description=d.description,
            version="0.1.0",
            telemetry=telemetry.NATIVE_OFF,
        )
        self.app.state.internal_token_secret = self.settings.identity_secret()
        http.install(self.app, d.name, self.ready, scrape=ScrapeAccess.of(self.settings))
        # Every route of a service answers only a caller with the signed internal identity
        # (the gateway, another service), whether or not its handler reads the actor; the
        # probes installed above stay open to the orchestrator, the metrics to Prometheus
        # (with the metrics token: boyin_shared.scrape).
        for router in (*d.routers, dead_letters_api.router):
            self.app.include_router(router, dependencies=[Depends(current_actor)])

    async def ready(self) -> bool:
        if self._store is None or self._bus is None or not self._bus.is_ready():
            return False
        try:
            await self._store.ping()
        except TransientError:
            return False
        return True

    async def open(self, bus: EventBus) -> None:
        """Open the store, build the service and register its consumers on ``bus``."""
        self._bus = bus
        self._store = make_store(self.settings, self.definition.name)
        self._outbox = Outbox(
            self._store,
            bus,
            sweep_seconds=self.settings.outbox_sweep_seconds,
            service=self.definition.name,
        )
        ctx = ServiceContext(self.definition.name, self.settings, self._store, bus, self._outbox)
        self._built = await self.definition.build(ctx)
        for collection in self._built.outbox_collections:
            await self._outbox.track(collection)
        # every consumer group keeps what it gives up on in the service's own database
        letters = DeadLetters(self._store, self.definition.name)
        await letters.prepare()
        subscriptions = [replace(s, dead_letters=letters) for s in self._built.subscriptions]
        letters.serve(subscriptions)
        for subscription in subscriptions:
            bus.subscribe(subscription)
        self.app.state.service = self._built.state
        self.app.state.dead_letters = letters

    async def start(self) -> None:
        """Start relaying and the background jobs; call once the bus has started."""
        assert self._outbox is not None and self._built is not None
        await self._outbox.start()
        self._tasks = [asyncio.create_task(job()) for job in self._built.background]

    async def close(self) -> None:
        for task in self._tasks:
            task.cancel()
        for task in self._tasks:
            with contextlib.suppress(asyncio.CancelledError):
                await task
        self._tasks = []
        if self._outbox is not None:
            await self._outbox.stop()
        if self._built is not None and self._built.on_stop is not None:
            await self._built.on_stop()
        if self._store is not None:
            await self._store.close()


async def start_bus(bus: EventBus, *, attempts: int = 60) -> None:
    """Start the bus, waiting for a broker that is still coming up."""
    for attempt in range(1, attempts + 1):
        try:
            await bus.start()
            return
        except Exception as exc:
            if attempt == attempts:
                raise
            log.warning("bus not reachable yet (%s); retrying", exc)
            await bus.stop()
            await asyncio.sleep(min(5.0, 0.5 * attempt))


def standalone_app(definition: ServiceDefinition, settings: PlatformSettings) -> FastAPI:
    """The service alone in its process, with its own bus client."""
    host = ServiceHost(definition, settings)

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        bus = make_bus(settings, client_id=f"boyin-{definition.name}")
        await host.open(bus)
        await start_bus(bus)
        await host.start()
        heap.freeze_start_up()  # what start-up made stays out of the collections under load
        log.info("service started", extra={"port": settings.port})
        try:
            yield
        finally:
            await host.close()
            await bus.stop()

    host.app.router.lifespan_context = lifespan
    return host.app


def run(definition: ServiceDefinition, **overrides: Any) -> None:
    """Entry point of ``python -m boyin_<service>``."""
    settings = PlatformSettings(**overrides)
    logs.configure(definition.name, settings.log_level, as_json=settings.log_json)
    telemetry.configure(definition.name)
    faults.arm(settings.faults)
    app = standalone_app(definition, settings)
    uvicorn.run(
        app,
        host=settings.host,
        port=settings.port,
        log_config=None,
        access_log=False,
        proxy_headers=False,
    )


def every(
    seconds: float, job: Callable[[], Awaitable[object]], name: str
) -> Callable[[], Coroutine[Any, Any, None]]:
    """A background job that runs ``job`` every ``seconds``, logging (not dying on) failures."""

    async def loop() -> None:
        while True:
            try:
                await job()
            except Exception:
                log.exception("background job %s failed; will run again", name)
            await asyncio.sleep(seconds)

    return loop
