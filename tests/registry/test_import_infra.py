"""The 5,000-row import against the real MongoDB-wire server (FerretDB, started by deploy/)."""

from __future__ import annotations

from pathlib import Path

import pytest

from boyin_registry.app import definition
from boyin_shared.store.mongo import MongoStore
from tests.apps import running
from tests.conftest import unique_name
from tests.registry.test_import import import_5000_rows

pytestmark = [pytest.mark.infra, pytest.mark.slow]


async def test_5000_rows_with_bad_ones_on_the_mongodb_wire_server(
    tmp_path: Path, mongo_url: str
) -> None:
    prefix = unique_name("imp")
    try:
        async with running(
            [definition], tmp_path, store="mongo", mongo_url=mongo_url, mongo_db_prefix=prefix
        ) as r:
            await import_5000_rows(r, "FerretDB")
    finally:
        store = MongoStore(mongo_url, f"{prefix}registry")
        await store.drop_database()
        await store.close()
