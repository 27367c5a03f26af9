"""The pull feed: what changed since a cursor, scoped to what the caller may see."""

from __future__ import annotations

from pathlib import Path

from boyin_registry.app import definition
from tests.apps import as_actor, running
from tests.registry.support import YUZHONG, demand_body, officer, organisation_body


async def test_changes_since_a_cursor_scoped_by_district(tmp_path: Path) -> None:
    async with running([definition], tmp_path) as r:
        client = r.client("registry")
        here = (await client.post("/organisations", json=organisation_body(1))).json()
        there = (
            await client.post("/organisations", json=organisation_body(2, district_code="500112"))
        ).json()
        first = (
            await client.post("/demands", json=demand_body("PROJECT_LANDING", here["id"]))
        ).json()
        other = (
            await client.post("/demands", json=demand_body("PROJECT_LANDING", there["id"]))
        ).json()

        everything = (await client.get("/demands/changes")).json()
        assert [d["id"] for d in everything["items"]] == [first["id"], other["id"]]
        cursor = everything["cursor"]
        assert (await client.get("/demands/changes", params={"since": cursor})).json() == {
            "items": [],
            "cursor": cursor,
        }
        submitted = await client.post(f"/demands/{first['id']}/submit")
        assert submitted.status_code == 200
        later = (await client.get("/demands/changes", params={"since": cursor})).json()
        assert [(d["id"], d["status"]) for d in later["items"]] == [(first["id"], "SUBMITTED")]

        mine = as_actor(officer(YUZHONG))
        scoped = (await client.get("/demands/changes", headers=mine)).json()
        assert [d["id"] for d in scoped["items"]] == [first["id"]]
        paged = (await client.get("/demands/changes", params={"limit": 1})).json()
        assert len(paged["items"]) == 1
        rest = (await client.get("/demands/changes", params={"since": paged["cursor"]})).json()
        assert len(rest["items"]) == 1
