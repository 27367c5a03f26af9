from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest
from pymongo import AsyncMongoClient

from boyin_platform.processes import ManagedProcess
from tests.conftest import unique_name
from tests.processes import Environment


@pytest.fixture
def environment(kafka_bootstrap: str, mongo_url: str, tmp_path: Path) -> Environment:
    return Environment(kafka_bootstrap, mongo_url, unique_name("e"), tmp_path)


@pytest.fixture
def processes(environment: Environment) -> Iterator[list[ManagedProcess]]:
    started: list[ManagedProcess] = []
    yield started
    for proc in started:
        proc.stop()


@pytest.fixture
async def mongo(mongo_url: str, environment: Environment) -> AsyncIterator[AsyncMongoClient]:  # type: ignore[type-arg]
    client: AsyncMongoClient = AsyncMongoClient(mongo_url)  # type: ignore[type-arg]
    yield client
    for name in await client.list_database_names():
        if name.startswith(environment.namespace):
            await client.drop_database(name)
    await client.close()
