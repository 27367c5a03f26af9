"""The whole platform in-process on a real port (embedded bus, SQLite), and a GraphQL client."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import httpx
import uvicorn

from boyin_platform.app import base_url, create_platform
from boyin_platform.processes import free_port
from boyin_shared.settings import PlatformSettings
from tests.apps import SECRET

ADMIN_LOGIN = "admin@boyin.example"

#: one TLS context for every test client: making one reads the CA bundle (about 50 ms),
#: and the tests make a client per request
_TLS = httpx.create_ssl_context()


def http_client(**kwargs: Any) -> httpx.AsyncClient:
    """An HTTP client for a test (30 s timeout), cheap to make."""
    return httpx.AsyncClient(**{"timeout": 30, "verify": _TLS, **kwargs})


ADMIN_PASSWORD = "admin-password-for-tests-1"


@asynccontextmanager
async def platform_server(data_dir: Path, **overrides: Any) -> AsyncIterator[str]:
    """Serve the platform; yields its base URL. An admin account exists (ADMIN_LOGIN).
    ``overrides`` are settings (e.g. ``graphql_introspection=False``)."""
    settings = PlatformSettings(
        **{
            "data_dir": data_dir,
            "port": free_port(),
            "outbox_sweep_seconds": 0.2,
            "log_json": False,
            "internal_token_secret": SECRET,
            "admin_login": ADMIN_LOGIN,
            "admin_password": ADMIN_PASSWORD,
            **overrides,
        }
    )
    server = uvicorn.Server(
        uvicorn.Config(
            create_platform(settings),
            port=settings.port,
            log_config=None,
            lifespan="on",
            proxy_headers=False,
        )
    )
    task = asyncio.create_task(server.serve())
    for _ in range(300):
        if server.started or task.done():
            break
        await asyncio.sleep(0.1)
    assert server.started, "the platform did not start"
    try:
        yield base_url(settings)
    finally:
        server.should_exit = True
        await task


def on_real_servers(kafka_bootstrap: str, mongo_url: str, namespace: str) -> dict[str, Any]:
    """Overrides of :func:`platform_server` for the real Kafka broker and MongoDB-wire
    server (deploy/), in topics and databases of their own (``namespace``)."""
    return {
        "bus": "kafka",
        "kafka_bootstrap": kafka_bootstrap,
        "kafka_topic_prefix": namespace + ".",
        "kafka_partitions": 2,
        "store": "mongo",
        "mongo_url": mongo_url,
        "mongo_db_prefix": namespace,
    }


async def graphql_raw(
    url: str, query: str, token: str | None = None, **variables: Any
) -> httpx.Response:
    headers = {"authorization": f"Bearer {token}"} if token else {}
    async with http_client() as client:
        return await client.post(
            url + "/graphql", json={"query": query, "variables": variables}, headers=headers
        )


async def graphql(
    url: str, query: str, token: str | None = None, **variables: Any
) -> dict[str, Any]:
    """Run a query; fails the test on any GraphQL error."""
    response = await graphql_raw(url, query, token, **variables)
    body: dict[str, Any] = response.json()
    assert "errors" not in body, body
    data: dict[str, Any] = body["data"]
    return data


SIGN_IN = """
mutation($login: String!, $password: String!) {
  signIn(login: $login, password: $password) {
    __typename
    ... on Session { accessToken refreshToken expiresIn }
    ... on Problem { code message { zh en } }
  }
}"""


async def sign_in(url: str, login: str, password: str) -> str:
    data = await graphql(url, SIGN_IN, login=login, password=password)
    result = data["signIn"]
    assert result["__typename"] == "Session", result
    token: str = result["accessToken"]
    return token
