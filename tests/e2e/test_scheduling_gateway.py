"""Scheduling through the gateway on the real servers: the whole platform in one process
on the Kafka broker and FerretDB (deploy/), driven through GraphQL only
(tests/gateway/scheduling_support.py's ``meeting_flow``)."""

from __future__ import annotations

from pathlib import Path

import pytest
from argon2 import PasswordHasher
from pymongo import AsyncMongoClient

from boyin_gateway.accounts import passwords
from tests.gateway.scheduling_support import meeting_flow
from tests.platform_harness import on_real_servers, platform_server
from tests.processes import Environment

pytestmark = [pytest.mark.infra, pytest.mark.slow]


async def test_meeting_scheduled_through_the_gateway_on_kafka_and_ferretdb(
    environment: Environment,
    mongo: AsyncMongoClient,  # type: ignore[type-arg]  # drops the test's databases
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(passwords, "_HASHER", PasswordHasher(time_cost=1, memory_cost=1024))
    overrides = on_real_servers(
        environment.kafka_bootstrap, environment.mongo_url, environment.namespace
    )
    async with platform_server(tmp_path, **overrides) as url:
        await meeting_flow(url)
