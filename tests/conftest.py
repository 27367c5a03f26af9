"""Fixtures for the real servers at the edges.

The Kafka broker and the MongoDB-wire server (FerretDB) are installed and started by
the project's own scripts in ``deploy/`` (idempotent: a running server is reused).
Nothing here skips: when a server cannot start, the tests that need it fail. Every case
that needs one carries the ``infra`` marker (the ``store`` fixture's "mongo" parameter, the
bus harness's "kafka" parameter, and the tests that ask for ``kafka_bootstrap`` or
``mongo_url`` themselves), so ``pytest -m "not infra"`` runs without Java and Go.
"""

from __future__ import annotations

import os
import secrets
import string
import subprocess
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import pytest
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from pymongo import AsyncMongoClient

from boyin_platform.processes import ManagedProcess
from boyin_shared import telemetry
from boyin_shared.store import DocumentStore
from boyin_shared.store.mongo import MongoStore
from boyin_shared.store.sqlite import SqliteStore
from tests.processes import Environment

ROOT = Path(__file__).resolve().parents[1]


def _start(script: str) -> None:
    result = subprocess.run(
        ["bash", str(ROOT / "deploy" / script), "start"],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    if result.returncode != 0:
        pytest.fail(f"{script} start failed:\n{result.stdout}\n{result.stderr}", pytrace=False)


@pytest.fixture(scope="session")
def kafka_bootstrap() -> str:
    _start("kafka/kafka.sh")
    return f"127.0.0.1:{os.environ.get('BOYIN_KAFKA_PORT', '19092')}"


@pytest.fixture(scope="session")
def mongo_url() -> str:
    _start("ferretdb/ferretdb.sh")
    port = os.environ.get("BOYIN_MONGO_PORT", "37017")
    return f"mongodb://127.0.0.1:{port}/?directConnection=true"


def unique_name(prefix: str = "t") -> str:
    """Letters only: FerretDB 1.x restricts database names."""
    return prefix + "".join(secrets.choice(string.ascii_lowercase) for _ in range(12))


@pytest.fixture(params=["sqlite", pytest.param("mongo", marks=pytest.mark.infra)])
async def store(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[DocumentStore]:
    """The same suite runs against the embedded adapter and the real MongoDB-wire server."""
    if request.param == "sqlite":
        sqlite = SqliteStore(tmp_path / "store.sqlite")
        yield sqlite
        await sqlite.close()
        return
    url = request.getfixturevalue("mongo_url")
    mongo = MongoStore(url, unique_name())
    yield mongo
    await mongo.drop_database()
    await mongo.close()


# -- service processes on the real servers (each test its own topics and databases) --------


@pytest.fixture
def environment(kafka_bootstrap: str, mongo_url: str, tmp_path: Path) -> Environment:
    return Environment(kafka_bootstrap, mongo_url, unique_name("e"), tmp_path)


@pytest.fixture
def processes() -> Iterator[list[ManagedProcess]]:
    """Service processes a test starts (append them): stopped when it ends."""
    started: list[ManagedProcess] = []
    yield started
    for proc in started:
        proc.stop()


@pytest.fixture
async def mongo(mongo_url: str, environment: Environment) -> AsyncIterator[AsyncMongoClient[Any]]:
    """A client of the MongoDB-wire server; the environment's databases dropped at the end."""
    client: AsyncMongoClient[Any] = AsyncMongoClient(mongo_url)
    yield client
    for name in await client.list_database_names():
        if name.startswith(environment.namespace):
            await client.drop_database(name)
    await client.close()


@pytest.fixture
def spans() -> Iterator[InMemorySpanExporter]:
    """Tracing on in this process (:func:`boyin_shared.telemetry.configure`), every span
    of the test kept in memory. The SDK's tracer provider stays for the session (it is set
    once per process); the instrumentations of httpx, aiokafka and pymongo are removed
    after the test, and its exporter takes no more spans."""
    exporter = InMemorySpanExporter()
    telemetry.configure("tests", exporter=exporter)
    try:
        yield exporter
    finally:
        exporter.shutdown()
        for instrumentor in telemetry.INSTRUMENTORS:
            instrumentor.uninstrument()
