"""The reference data the gateway keeps (``boyin_gateway.reference_cache``), against the real
registry on the embedded bus: read once, then kept; forgotten when the registry announces
a taxonomy change (``TaxonomyChanged``), so a change made at the registry is seen without
waiting for anything to expire; a change made through the gateway is seen at once."""

from __future__ import annotations

import asyncio
from pathlib import Path

import httpx

from boyin_gateway.clients import RegistryClient
from boyin_gateway.reference_cache import ReferenceCache
from boyin_registry.app import definition as registry_definition
from boyin_shared.bus import Subscription
from boyin_shared.bus.embedded import EmbeddedBus
from boyin_shared.contracts.registry import TaxonomyChanged
from boyin_shared.events import Event
from boyin_shared.identity import Actor, Role
from tests.apps import SECRET, running
from tests.platform_harness import ADMIN_LOGIN, ADMIN_PASSWORD, graphql, sign_in

VISITOR = Actor("acc_visitor", Role.PUBLIC)
NEW_CODE = {"code": "CACHE-TEST", "parent": None, "name_zh": "缓存测试", "name_en": "Cache test"}


async def _heard(cache: ReferenceCache, changes: int) -> None:
    for _ in range(200):
        if cache.changes > changes:
            return
        await asyncio.sleep(0.05)
    raise AssertionError("the taxonomy change was not heard")


async def _settled(cache: ReferenceCache) -> None:
    """The registry announces its whole taxonomy when it seeds it (first start): wait for
    those announcements to have been heard."""
    seen = -1
    while cache.changes != seen:
        seen = cache.changes
        await asyncio.sleep(1.0)


async def test_kept_until_the_registry_announces_a_change(tmp_path: Path) -> None:
    cache = ReferenceCache()

    async def heard(event: Event) -> None:
        cache.on_event(event)

    bus = EmbeddedBus(tmp_path / "bus.sqlite")
    bus.subscribe(Subscription("test.reference", {TaxonomyChanged: heard}, from_latest=True))
    async with running([registry_definition], tmp_path, bus=bus) as r:
        pool = httpx.AsyncClient(
            transport=httpx.ASGITransport(app=r.hosts["registry"].app), base_url="http://registry"
        )
        async with pool:
            registry = RegistryClient(pool, SECRET, VISITOR)
            await _settled(cache)
            first = await cache.taxonomy(registry)
            again = await cache.taxonomy(registry)
            districts = await cache.districts(registry)
            assert await cache.districts(registry) == districts
            assert again is first and cache.reads == 2  # one read each, then kept
            assert registry.calls == 2
            assert "CACHE-TEST" not in {n.code for n in first.nodes}

            changes = cache.changes
            added = await r.client("registry").post("/reference/taxonomy", json=NEW_CODE)
            assert added.status_code == 201, added.text
            await _heard(cache, changes)  # the registry's TaxonomyChanged, over the bus

            changed = await cache.taxonomy(registry)
            assert changed.version == first.version + 1
            assert "CACHE-TEST" in {n.code for n in changed.nodes}
            assert cache.version == changed.version
            assert await cache.districts(registry) == districts
            assert registry.calls == 4  # both read again after the change, once
            assert await cache.taxonomy(registry) is changed


async def test_an_answer_read_while_a_change_arrives_is_not_kept(tmp_path: Path) -> None:
    async with running([registry_definition], tmp_path) as r:
        pool = httpx.AsyncClient(
            transport=httpx.ASGITransport(app=r.hosts["registry"].app), base_url="http://registry"
        )
        async with pool:
            registry = RegistryClient(pool, SECRET, VISITOR)
            cache = ReferenceCache()

            class ChangedMeanwhile(RegistryClient):
                async def editions(self):  # type: ignore[no-untyped-def]
                    found = await super().editions()
                    cache.changed()  # the event arrives while the answer is on its way
                    return found

            racing = ChangedMeanwhile(pool, SECRET, VISITOR)
            await cache.editions(racing)
            await cache.editions(registry)
            assert cache.reads == 2  # the first answer was not kept
            await cache.editions(registry)
            assert cache.reads == 2


async def test_nothing_is_kept_longer_than_its_age(tmp_path: Path) -> None:
    async with running([registry_definition], tmp_path) as r:
        pool = httpx.AsyncClient(
            transport=httpx.ASGITransport(app=r.hosts["registry"].app), base_url="http://registry"
        )
        async with pool:
            registry = RegistryClient(pool, SECRET, VISITOR)
            cache = ReferenceCache(max_age=0.0)  # the bus silent: every read asks again
            await cache.districts(registry)
            await cache.districts(registry)
            assert cache.reads == 2


TAXONOMY = "{ taxonomy { version nodes { code retired } } }"
ADD = """mutation { addTaxonomyCode(code: "CACHE-GW", nameZh: "网关", nameEn: "Gateway") {
  ... on TaxonomyCodeChanged { taxonomyVersion } } }"""
RETIRE = """mutation { retireTaxonomyCode(code: "CACHE-GW") {
  ... on TaxonomyCodeChanged { taxonomyVersion node { retired } } } }"""


async def test_a_change_through_the_gateway_is_seen_at_once(url: str) -> None:
    admin = await sign_in(url, ADMIN_LOGIN, ADMIN_PASSWORD)
    before = (await graphql(url, TAXONOMY))["taxonomy"]
    assert (await graphql(url, TAXONOMY))["taxonomy"] == before  # kept
    added = (await graphql(url, ADD, admin))["addTaxonomyCode"]
    assert added["taxonomyVersion"] == before["version"] + 1
    after = (await graphql(url, TAXONOMY))["taxonomy"]
    assert after["version"] == before["version"] + 1
    assert {"code": "CACHE-GW", "retired": False} in after["nodes"]
    retired = (await graphql(url, RETIRE, admin))["retireTaxonomyCode"]
    assert retired["node"]["retired"] is True
    last = (await graphql(url, TAXONOMY))["taxonomy"]
    assert {"code": "CACHE-GW", "retired": True} in last["nodes"]
