"""Operators maintain the taxonomy: add, rename, retire; old demands keep their codes."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import Any

import httpx

from boyin_registry.app import definition
from boyin_shared.bus.embedded import EmbeddedBus
from boyin_shared.contracts.registry import TOPIC
from tests.apps import Running, as_actor, running
from tests.registry.support import (
    demand_body,
    organisation_body,
    organisation_member,
)

NEW = {
    "code": "C33-N19",
    "parent": "C33-N",
    "name_zh": "低空经济",
    "name_en": "Low-altitude economy",
}


async def taxonomy_events(r: Running, code: str) -> list[dict[str, Any]]:
    assert isinstance(r.bus, EmbeddedBus)
    for _ in range(100):
        found = [
            e
            for e in (json.loads(raw) for raw in await r.bus.read_topic(TOPIC))
            if e["type"] == "boyin.registry.taxonomy.changed" and e["subject"] == code
        ]
        if found:
            return found
        await asyncio.sleep(0.05)
    raise AssertionError(f"no taxonomy event about {code}")


async def _codes(client: httpx.AsyncClient) -> dict[str, dict[str, object]]:
    response = await client.get("/reference/taxonomy")
    assert response.status_code == 200
    return {n["code"]: n for n in response.json()["nodes"]}


async def test_add_rename_retire_and_the_events(tmp_path: Path) -> None:
    async with running([definition], tmp_path) as r:
        client = r.client("registry")
        before = (await client.get("/reference/taxonomy")).json()["version"]
        assert (await client.post("/reference/taxonomy", json=NEW)).status_code == 201
        [added] = await taxonomy_events(r, "C33-N19")
        assert added["data"]["change"] == "added"
        assert added["data"]["version"] == before + 1

        r1 = await client.put(
            "/reference/taxonomy/C33-N19",
            json={"name_zh": "低空经济与通用航空", "name_en": "Low-altitude economy and aviation"},
        )
        assert r1.status_code == 204
        codes = await _codes(client)
        assert codes["C33-N19"]["zh"] == "低空经济与通用航空"
        assert codes["C33-N19"]["parent"] == "C33-N"

        org = (await client.post("/organisations", json=organisation_body(1))).json()
        created = await client.post(
            "/demands",
            json=demand_body("PROJECT_LANDING", org["id"], taxonomy_codes=["C33-N19"]),
        )
        assert created.status_code == 201, created.text

        assert (await client.post("/reference/taxonomy/C33-N19/retire")).status_code == 204
        assert (await _codes(client))["C33-N19"]["kind"] == "retired"
        refused = await client.post(
            "/demands",
            json=demand_body("PROJECT_LANDING", org["id"], taxonomy_codes=["C33-N19"]),
        )
        assert refused.status_code == 422
        [error] = refused.json()["error"]["fields"]
        assert (error["field"], error["code"]) == ("taxonomy_codes.0", "RETIRED_TAXONOMY")
        kept = (await client.get(f"/demands/{created.json()['id']}")).json()
        assert kept["taxonomy_codes"] == ["C33-N19"]
        assert (await client.get("/reference/taxonomy")).json()["version"] == before + 3


async def test_bad_codes_and_who_may_change_them(tmp_path: Path) -> None:
    async with running([definition], tmp_path) as r:
        client = r.client("registry")
        bad = await client.post(
            "/reference/taxonomy",
            json={"code": "low altitude", "parent": "NOPE", "name_zh": "", "name_en": "x"},
        )
        assert bad.status_code == 422
        fields = {f["field"] for f in bad.json()["error"]["fields"]}
        assert fields == {"code", "parent", "name"}
        taken = await client.post("/reference/taxonomy", json=NEW | {"code": "C33-L1"})
        assert taken.status_code == 422
        member = as_actor(organisation_member("org_x"))
        denied = await client.post("/reference/taxonomy", json=NEW, headers=member)
        assert denied.status_code == 403
        assert (await client.post("/reference/taxonomy/NOPE/retire")).status_code == 404
        assert "C33-N19" not in await _codes(client)


async def test_changes_survive_a_restart_and_are_not_reseeded(tmp_path: Path) -> None:
    async with running([definition], tmp_path) as r:
        client = r.client("registry")
        assert (await client.post("/reference/taxonomy", json=NEW)).status_code == 201
        assert (await client.post("/reference/taxonomy/C33-F2/retire")).status_code == 204
    async with running([definition], tmp_path) as r:
        codes = await _codes(r.client("registry"))
        assert codes["C33-N19"]["kind"] == "active"
        assert codes["C33-F2"]["kind"] == "retired"


async def test_first_start_announces_the_whole_taxonomy(tmp_path: Path) -> None:
    """Consumers (matching) learn the tree from events, never from the registry's files."""
    async with running([definition], tmp_path) as r:
        codes = await _codes(r.client("registry"))
        for code in ("C33", "C33-L1", "T416-GL"):
            [event] = await taxonomy_events(r, code)
            assert event["data"]["change"] == "added"
            assert event["data"]["parent"] == codes[code]["parent"]
    async with running([definition], tmp_path) as r:  # a restart announces nothing again
        [event] = await taxonomy_events(r, "C33-L1")


async def test_the_416_fields_ship_without_directions_and_operators_add_them(
    tmp_path: Path,
) -> None:
    """The official list of the "416" layout's 16 directions was not found, so none ship
    (docs/api.md, "The “416” layout"); an operator adds each under its field."""
    async with running([definition], tmp_path) as r:
        client = r.client("registry")
        codes = await _codes(client)
        fields = sorted(c for c, node in codes.items() if node["parent"] == "T416")
        assert fields == ["T416-DI", "T416-GL", "T416-LH", "T416-NM"]
        assert not [c for c, node in codes.items() if node["parent"] in fields]
        # an operator adds a direction (names from the official list; these are a test's)
        direction = {
            "code": "T416-LH-01",
            "parent": "T416-LH",
            "name_zh": "测试方向",
            "name_en": "A test direction",
        }
        member = as_actor(organisation_member("org_x"))
        refused = await client.post("/reference/taxonomy", json=direction, headers=member)
        assert refused.status_code == 403
        assert (await client.post("/reference/taxonomy", json=direction)).status_code == 201
        assert (await _codes(client))["T416-LH-01"]["parent"] == "T416-LH"
        org = (await client.post("/organisations", json=organisation_body(1))).json()
        body = demand_body("PROJECT_LANDING", org["id"], taxonomy_codes=["T416-LH-01"])
        assert (await client.post("/demands", json=body)).status_code == 201
