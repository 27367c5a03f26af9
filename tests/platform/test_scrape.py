"""The single-process port and the gateway serve ``/metrics`` only to a scraper that proves
itself (issue #20): the metrics name every route and count its calls and errors. Without
``BOYIN_METRICS_TOKEN`` only this machine reads them, and in strict mode nobody; the probes
stay open. The caller's address is the ASGI scope's peer."""

from __future__ import annotations

from pathlib import Path

import httpx
from fastapi import FastAPI
from pydantic import SecretStr

from boyin_gateway.app import REQUIRED_SERVICES
from boyin_gateway.app import create_app as create_gateway
from boyin_platform.app import create_platform
from boyin_shared.settings import PlatformSettings
from tests.apps import SECRET

TOKEN = "metrics-token-of-at-least-32-bytes-0123"
PUBLIC = ("198.51.100.20", 51000)
LOOPBACK = ("127.0.0.1", 51000)


async def status(
    app: FastAPI, path: str, peer: tuple[str, int], headers: dict[str, str] | None = None
) -> int:
    transport = httpx.ASGITransport(app=app, client=peer)
    async with httpx.AsyncClient(transport=transport, base_url="http://boyin") as client:
        answer = await client.get(path, headers=headers)
    if answer.status_code == 403:
        assert answer.json()["error"]["code"] == "METRICS_NOT_ALLOWED"
    return answer.status_code


async def test_the_single_process_port_serves_metrics_to_loopback_or_the_token(
    tmp_path: Path,
) -> None:
    app = create_platform(PlatformSettings(data_dir=tmp_path / "open"))
    assert await status(app, "/metrics", PUBLIC) == 403
    assert await status(app, "/metrics", LOOPBACK) == 200
    assert await status(app, "/metrics", LOOPBACK, {"X-Forwarded-For": "198.51.100.20"}) == 403
    assert await status(app, "/healthz", PUBLIC) == 200
    assert await status(app, "/readyz", PUBLIC) == 503  # answered: not started

    strict = create_platform(
        PlatformSettings(
            data_dir=tmp_path / "strict",
            graphql_introspection=False,
            metrics_token=SecretStr(TOKEN),
        )
    )
    assert await status(strict, "/metrics", LOOPBACK) == 403
    assert await status(strict, "/metrics", PUBLIC, {"Authorization": "Bearer wrong"}) == 403
    assert await status(strict, "/metrics", PUBLIC, {"Authorization": f"Bearer {TOKEN}"}) == 200
    assert await status(strict, "/healthz", PUBLIC) == 200

    untokened_strict = create_platform(
        PlatformSettings(data_dir=tmp_path / "bare", graphql_introspection=False)
    )
    assert await status(untokened_strict, "/metrics", LOOPBACK) == 403


async def test_the_gateway_serves_metrics_only_to_the_token(tmp_path: Path) -> None:
    settings = PlatformSettings(
        data_dir=tmp_path,
        internal_token_secret=SECRET,
        jwt_secret=SECRET,
        graphql_introspection=False,
        metrics_token=SecretStr(TOKEN),
        service_urls={s: f"http://{s}:8000" for s in REQUIRED_SERVICES},
    )
    gateway = create_gateway(settings, graphiql=False)
    assert await status(gateway, "/metrics", PUBLIC) == 403
    assert await status(gateway, "/metrics", PUBLIC, {"Authorization": f"Bearer {TOKEN}x"}) == 403
    assert await status(gateway, "/metrics", PUBLIC, {"Authorization": f"Bearer {TOKEN}"}) == 200
    assert await status(gateway, "/healthz", PUBLIC) == 200
