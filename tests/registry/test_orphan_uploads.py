"""Uploads nobody holds are removed after a grace period (issue #20), with the registry and
the agreements service on one bus (in-process, embedded store and bus): a file attached to
nothing goes, its record and its bytes; a file on a demand stays; a file an agreement
shows stays while the agreement holds it (the registry learns it from agreements'
``AttachmentHeld``/``AttachmentReleased`` events, never from agreements' data) and goes
once it is released; a file within its grace period stays; the sweep is idempotent.

Figures: 5 files uploaded, 2 removed at the first sweep (one's bytes kept: a demand's
file has them too), 0 at the second, 1 more after the release; 2 kept."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from pymongo import AsyncMongoClient

from boyin_agreements.app import definition as agreements
from boyin_registry.app import definition as registry
from boyin_registry.attachments.orphans import OrphanSweep
from boyin_shared.clock import utcnow
from tests.agreements.service_support import PARTIES, TERMS, ok
from tests.apps import Running, running
from tests.conftest import unique_name
from tests.registry.support import demand_body, organisation_body
from tests.registry.test_attachments import PDF

DAY = timedelta(hours=24)


async def upload(client: httpx.AsyncClient, name: str, body: bytes = PDF) -> str:
    answer = await client.post("/attachments", files={"file": (name, body, "application/pdf")})
    assert answer.status_code == 201, answer.text
    file_id: str = answer.json()["id"]
    return file_id


async def exists(client: httpx.AsyncClient, file_id: str) -> bool:
    return (await client.get(f"/attachments/{file_id}")).status_code == 200


async def until_holds(r: Running, count: int) -> None:
    holds = r.hosts["registry"].app.state.service.orphans.holds.collection
    for _ in range(200):
        if await holds.count() == count:
            return
        await asyncio.sleep(0.05)
    raise AssertionError(f"{await holds.count()} holds, not {count}")


@pytest.fixture(params=["sqlite", pytest.param("mongo", marks=pytest.mark.infra)])
async def stored(request: pytest.FixtureRequest) -> AsyncIterator[dict[str, Any]]:
    """The services' store: embedded SQLite, or FerretDB (databases of the test's own,
    dropped at the end)."""
    if request.param == "sqlite":
        yield {}
        return
    url: str = request.getfixturevalue("mongo_url")
    prefix = unique_name("o")
    yield {"store": "mongo", "mongo_url": url, "mongo_db_prefix": prefix}
    client: AsyncMongoClient[Any] = AsyncMongoClient(url)
    for name in await client.list_database_names():
        if name.startswith(prefix):
            await client.drop_database(name)
    await client.close()


async def test_uploads_held_by_nothing_are_removed_after_the_grace_period(
    tmp_path: Path, stored: dict[str, Any]
) -> None:
    async with running(
        [registry, agreements], tmp_path, orphan_upload_grace_hours=24, **stored
    ) as r:
        files, deals = r.client("registry"), r.client("agreements")
        sweep: OrphanSweep = r.hosts["registry"].app.state.service.orphans
        orphan = await upload(files, "nobody.pdf", PDF + b"% nobody's\n")
        on_demand = await upload(files, "evidence.pdf")
        twin = await upload(files, "twin.pdf")  # the demand's bytes, attached to nothing
        in_agreement = await upload(files, "contract.pdf", PDF + b"% in an agreement\n")

        org = ok(await files.post("/organisations", json=organisation_body(1)), 201)
        body = demand_body("PROJECT_LANDING", org["id"], attachment_ids=[on_demand])
        ok(await files.post("/demands", json=body), 201)
        deal = ok(await deals.post("/agreements", json={"parties": PARTIES, "terms": TERMS}), 201)
        document = {"attachment_id": in_agreement, "name": "合同.pdf", "kind": "ANNEX"}
        ok(await deals.post(f"/agreements/{deal['id']}/documents", json=document))
        await until_holds(r, 1)
        uploaded = await sweep.records.get(orphan)
        assert uploaded is not None
        orphan_bytes = sweep.files.path(uploaded.attachment.sha256)

        assert await sweep.run() == 0, "within the grace period nothing goes"
        # a day after the first four uploads, and a little less after the fifth
        tomorrow = utcnow() + DAY
        await asyncio.sleep(0.05)
        fresh = await upload(files, "fresh.pdf", PDF + b"% uploaded just now\n")
        assert await sweep.run(now=tomorrow) == 2
        assert not await exists(files, orphan) and not await exists(files, twin)
        assert not orphan_bytes.exists(), "the orphan's bytes were kept"
        kept = [on_demand, in_agreement, fresh]
        assert [await exists(files, f) for f in kept] == [True] * 3, "a held file was removed"
        # the twin's bytes stay: the demand's attachment names them too
        assert (await files.get(f"/attachments/{on_demand}")).content == PDF
        assert await sweep.run(now=tomorrow) == 0, "a second sweep removes nothing more"

        ok(await deals.delete(f"/agreements/{deal['id']}/documents/{in_agreement}"))
        await until_holds(r, 0)
        assert await sweep.run(now=tomorrow) == 1
        assert not await exists(files, in_agreement)
        assert [await exists(files, f) for f in (on_demand, fresh)] == [True] * 2
