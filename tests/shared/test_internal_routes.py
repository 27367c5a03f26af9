"""Every route of every service asks for the signed internal identity (issue #20): walked
from each service's own OpenAPI document, so a route added tomorrow is walked too.

Each route is called with its path parameters filled in, once with no identity, once with
an identity signed with another secret, and once with an expired one: 401 each time, before
any handler runs (a handler that ran would answer 404, 422 or 200). The probes and metrics
are the only routes without the identity, for the orchestrator and Prometheus (the metrics
ask for their own token: tests/shared/test_scrape.py)."""

from __future__ import annotations

import re
from pathlib import Path

import httpx
import pytest

from boyin_agreements.app import definition as agreements
from boyin_matching.app import definition as matching
from boyin_mentors.app import definition as mentors
from boyin_registry.app import definition as registry
from boyin_scheduling.app import definition as scheduling
from boyin_shared import identity
from boyin_shared.service import ServiceHost
from boyin_shared.settings import PlatformSettings
from tests.apps import OPERATOR, SECRET

DEFINITIONS = [registry, matching, scheduling, agreements, mentors]
OPEN = {
    "/healthz",
    "/readyz",
    "/metrics",
    "/openapi.json",
    "/docs",
    "/docs/oauth2-redirect",
    "/redoc",
}


def callers() -> dict[str, dict[str, str]]:
    return {
        "no identity": {},
        "another secret": {
            identity.HEADER: identity.issue(OPERATOR, "another-secret-of-at-least-32-bytes")
        },
        "expired": {identity.HEADER: identity.issue(OPERATOR, SECRET, ttl_seconds=-60)},
    }


@pytest.mark.parametrize("definition", DEFINITIONS, ids=lambda d: d.name)
async def test_every_route_of_a_service_needs_the_internal_identity(
    definition: object, tmp_path: Path
) -> None:
    settings = PlatformSettings(data_dir=tmp_path, internal_token_secret=SECRET)
    host = ServiceHost(definition, settings)  # type: ignore[arg-type]
    paths = host.app.openapi()["paths"]
    walked = 0
    transport = httpx.ASGITransport(app=host.app)
    async with httpx.AsyncClient(transport=transport, base_url="http://service") as client:
        for template, operations in paths.items():
            if template in OPEN:
                continue
            path = re.sub(r"\{[^}]+\}", "x1", template)
            for method in sorted(operations):
                for why, headers in callers().items():
                    answer = await client.request(method, path, headers=headers, json={})
                    assert answer.status_code == 401, (method, template, why, answer.text)
                    assert answer.json()["error"]["code"] == "UNAUTHENTICATED"
                walked += 1
    assert walked >= 5, walked
