"""The gateway alone on a real port, its services the in-memory fakes (``fakes.py``): its
accounts (SQLite in the test's folder), limits, feeds and files routes are the real ones,
and it starts in a fraction of the time the whole platform takes."""

from __future__ import annotations

import asyncio
import dataclasses
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import uvicorn

from boyin_gateway import app as gateway_app
from boyin_gateway.accounts.tokens import issue_access
from boyin_gateway.app import create_app
from boyin_gateway.clients import Services
from boyin_gateway.context import Context
from boyin_gateway.feeds import Feeds
from boyin_platform.processes import free_port
from boyin_shared.events import Event
from boyin_shared.identity import Actor
from boyin_shared.runtime import make_store
from boyin_shared.settings import PlatformSettings
from tests.apps import SECRET
from tests.gateway.fakes import FakePlatform
from tests.platform_harness import ADMIN_LOGIN, ADMIN_PASSWORD

JWT_SECRET = "test-access-token-secret-of-at-least-32-bytes"
SESSION = "fam_harness"


@dataclass
class Gateway:
    """A running gateway: its URL, the fakes behind it and its live feeds."""

    url: str
    platform: FakePlatform
    feeds: Feeds
    secret: str = JWT_SECRET

    def token(self, actor: Actor) -> str:
        """An access token for ``actor`` (as a sign-in would issue), in the harness's session."""
        return issue_access(dataclasses.replace(actor, session_id=SESSION), self.secret)

    async def publish(self, *events: Event) -> None:
        """Events as the platform's bus delivers them to the gateway's feeds."""
        for event in events:
            await self.feeds.on_event(event)

    async def listening(self, count: int) -> None:
        """Until ``count`` subscriptions listen to the feeds."""
        for _ in range(200):
            if len(self.feeds.listeners) == count:
                return
            await asyncio.sleep(0.02)
        raise AssertionError(f"{len(self.feeds.listeners)} listeners, not {count}")


@asynccontextmanager
async def gateway_server(
    data_dir: Path,
    *,
    platform: FakePlatform | None = None,
    services: Services | None = None,
    **overrides: Any,
) -> AsyncIterator[Gateway]:
    """Serve the gateway on the fakes (or on ``services``, some of them real); an admin
    account exists (ADMIN_LOGIN). ``overrides`` are settings (e.g.
    ``graphql_introspection=False``)."""
    settings = PlatformSettings(
        **{
            "data_dir": data_dir,
            "log_json": False,
            "internal_token_secret": SECRET,
            "jwt_secret": JWT_SECRET,
            "admin_login": ADMIN_LOGIN,
            "admin_password": ADMIN_PASSWORD,
            **overrides,
        }
    )
    fakes = platform or FakePlatform()
    feeds = Feeds()
    port = free_port()
    app = create_app(settings, feeds=feeds, services=services or fakes)
    server = uvicorn.Server(
        uvicorn.Config(app, port=port, log_config=None, lifespan="on", proxy_headers=False)
    )
    task = asyncio.create_task(server.serve())
    for _ in range(300):
        if server.started or task.done():
            break
        await asyncio.sleep(0.02)
    assert server.started, "the gateway did not start"
    # the sign-in session of the harness's tokens (read_access wants one, signed in)
    store = make_store(settings, "gateway")
    await store.collection("token_families").insert(
        {"_id": SESSION, "account_id": "acc_harness", "revoked": False}
    )
    await store.close()
    try:
        yield Gateway(f"http://127.0.0.1:{port}", fakes, feeds)
    finally:
        server.should_exit = True
        await task


@dataclass
class Contexts:
    """The GraphQL contexts of the requests the gateway served (to count their calls)."""

    seen: list[Context] = field(default_factory=list)

    def calls_of_one_request(self) -> int:
        (context,) = self.seen
        return context.downstream_calls


def record_contexts(monkeypatch: pytest.MonkeyPatch) -> Contexts:
    contexts = Contexts()

    class RecordedContext(Context):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            contexts.seen.append(self)

    monkeypatch.setattr(gateway_app, "Context", RecordedContext)
    return contexts
