"""``/metrics`` names every route and counts its calls and errors: each service serves it
only to a scraper that proves itself (issue #20), the probes stay open to everyone.

The caller's address is the ASGI scope's peer (``httpx.ASGITransport(client=...)``), as
uvicorn sets it from the connection (its proxy handling is off everywhere)."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest
from pydantic import SecretStr

from boyin_agreements.app import definition as agreements
from boyin_matching.app import definition as matching
from boyin_mentors.app import definition as mentors
from boyin_registry.app import definition as registry
from boyin_scheduling.app import definition as scheduling
from boyin_shared.scrape import ScrapeAccess
from boyin_shared.service import ServiceDefinition, ServiceHost
from boyin_shared.settings import PlatformSettings
from tests.apps import SECRET

DEFINITIONS = [registry, matching, scheduling, agreements, mentors]
TOKEN = "metrics-token-of-at-least-32-bytes-0123"
PUBLIC = ("203.0.113.7", 40000)
LOOPBACK = ("127.0.0.1", 40000)


def service(definition: ServiceDefinition, tmp_path: Path, **settings: object) -> ServiceHost:
    return ServiceHost(
        definition,
        PlatformSettings(data_dir=tmp_path, internal_token_secret=SECRET, **settings),  # type: ignore[arg-type]
    )


async def get(
    host: ServiceHost,
    path: str,
    peer: tuple[str, int] = PUBLIC,
    headers: dict[str, str] | None = None,
) -> httpx.Response:
    transport = httpx.ASGITransport(app=host.app, client=peer)
    async with httpx.AsyncClient(transport=transport, base_url="http://service") as client:
        return await client.get(path, headers=headers)


def refused(answer: httpx.Response) -> bool:
    if answer.status_code != 403:
        return False
    error = answer.json()["error"]
    assert error["code"] == "METRICS_NOT_ALLOWED"
    assert error["message"]["zh"] and error["message"]["en"]
    assert "boyin_http" not in answer.text
    return True


@pytest.mark.parametrize("definition", DEFINITIONS, ids=lambda d: d.name)
async def test_a_service_serves_metrics_only_to_the_scraper_with_the_token(
    definition: ServiceDefinition, tmp_path: Path
) -> None:
    host = service(definition, tmp_path, metrics_token=SecretStr(TOKEN))
    assert refused(await get(host, "/metrics"))
    assert refused(await get(host, "/metrics", LOOPBACK))  # a token is set: nobody without it
    wrong = {"Authorization": f"Bearer {TOKEN[:-1]}x"}
    assert refused(await get(host, "/metrics", headers=wrong))
    assert refused(await get(host, "/metrics", headers={"Authorization": TOKEN}))
    scraped = await get(host, "/metrics", headers={"Authorization": f"Bearer {TOKEN}"})
    assert scraped.status_code == 200
    assert "boyin_http_requests_total" in scraped.text

    healthz = await get(host, "/healthz")
    assert healthz.status_code == 200 and healthz.json()["service"] == definition.name
    readyz = await get(host, "/readyz")  # not opened: not ready, but answered
    assert readyz.status_code == 503 and readyz.json() == {
        "ready": False,
        "service": definition.name,
    }


async def test_without_a_token_only_this_machine_reads_metrics_and_not_in_strict_mode(
    tmp_path: Path,
) -> None:
    host = service(registry, tmp_path)
    assert refused(await get(host, "/metrics"))
    assert (await get(host, "/metrics", LOOPBACK)).status_code == 200
    assert (await get(host, "/metrics", ("::1", 40000))).status_code == 200
    # through a reverse proxy on this machine, every visitor's peer would be loopback
    for header in ("X-Forwarded-For", "Forwarded", "X-Real-IP"):
        proxied = await get(host, "/metrics", LOOPBACK, headers={header: "203.0.113.7"})
        assert refused(proxied), header
    # a token is not asked for when none is configured, and none is believed
    faked = await get(host, "/metrics", headers={"Authorization": "Bearer anything"})
    assert refused(faked)

    strict = service(registry, tmp_path, graphql_introspection=False)
    assert refused(await get(strict, "/metrics", LOOPBACK))
    assert (await get(strict, "/healthz", LOOPBACK)).status_code == 200


async def test_a_configured_network_reads_metrics_without_the_token(tmp_path: Path) -> None:
    host = service(
        registry,
        tmp_path,
        graphql_introspection=False,
        metrics_token=SecretStr(TOKEN),
        metrics_networks=["203.0.113.0/28"],
    )
    assert (await get(host, "/metrics")).status_code == 200
    assert refused(await get(host, "/metrics", ("203.0.113.16", 40000)))
    assert refused(await get(host, "/metrics", headers={"X-Forwarded-For": "10.0.0.1"}))


def test_a_short_metrics_token_is_refused_at_start_up(tmp_path: Path) -> None:
    settings = PlatformSettings(data_dir=tmp_path, metrics_token=SecretStr("short"))
    with pytest.raises(RuntimeError, match="BOYIN_METRICS_TOKEN"):
        ScrapeAccess.of(settings)
