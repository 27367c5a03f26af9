"""Fixtures of the gateway tests: the gateway alone on in-memory fakes of the services
(``gateway``, most tests), or the whole platform (``url``, the end-to-end flows)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest
import pytest_asyncio
from argon2 import PasswordHasher

from boyin_gateway.accounts import passwords
from tests.gateway.harness import Gateway, gateway_server
from tests.platform_harness import platform_server


@pytest.fixture(autouse=True)
def cheap_password_hashing(monkeypatch: pytest.MonkeyPatch) -> None:
    """Argon2 with its production cost takes most of a second per hash on a busy machine;
    the tests sign up and in dozens of times. Same algorithm, same code paths, lower cost."""
    monkeypatch.setattr(passwords, "_HASHER", PasswordHasher(time_cost=1, memory_cost=1024))


@pytest.fixture
async def gateway(tmp_path: Path) -> AsyncIterator[Gateway]:
    """The gateway on fresh fakes (its own data folder); GraphQL at ``gateway.url + /graphql``."""
    async with gateway_server(tmp_path) as running:
        yield running


@pytest.fixture
async def url(tmp_path: Path) -> AsyncIterator[str]:
    """Base URL of a fresh platform (its own data folder); GraphQL is at ``url + /graphql``."""
    async with platform_server(tmp_path) as base:
        yield base


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def platform_url(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[str]:
    """One platform for every test of a module that runs on the module's event loop
    (``pytestmark = pytest.mark.asyncio(loop_scope="module")``); each test makes its own
    parties, so none sees another's."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(passwords, "_HASHER", PasswordHasher(time_cost=1, memory_cost=1024))
        async with platform_server(tmp_path_factory.mktemp("platform")) as base:
            yield base
