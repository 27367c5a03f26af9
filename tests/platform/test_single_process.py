"""README command one: the whole platform in one process on the embedded defaults."""

from __future__ import annotations

import os
import stat
from pathlib import Path

from boyin_gateway.schema import SDL_PATH, sdl
from boyin_platform import demo
from tests.apps import OPERATOR, SECRET, as_actor
from tests.platform_harness import graphql, http_client, platform_server
from tests.shared.conftest import eventually

REGISTER = """
mutation($input: OrganisationInput!) {
  registerOrganisation(input: $input) {
    __typename
    ... on Organisation { id name { zh en } districtCode }
    ... on Problem { code message { zh en } fields { field code message { zh en } } }
  }
}"""

LIST = """
query($after: String) {
  organisations(first: 2, after: $after) {
    edges { cursor node { id name { zh } } }
    pageInfo { hasNextPage endCursor }
  }
  districtSupply { districtCode organisations }
}"""


async def test_platform_runs_serves_graphql_and_keeps_data_across_restarts(tmp_path: Path) -> None:
    async with platform_server(tmp_path) as url:
        counts = await demo.load(url, SECRET)
        assert counts == {"created": 10, "existing": 0}  # 9 parties and the fair
        anonymous = await graphql(
            url,
            REGISTER,
            input={
                "nameZh": "匿名单位",
                "kind": "ENTERPRISE",
                "districtCode": "500103",
                "creditCode": demo.ORGANISATIONS[1]["credit_code"],
            },
        )
        assert anonymous["registerOrganisation"]["__typename"] == "Forbidden"
        bad = await graphql(
            url,
            REGISTER,
            input={
                "nameZh": "坏数据",
                "kind": "ENTERPRISE",
                "districtCode": "1",
                "creditCode": "1",
            },
        )
        assert bad["registerOrganisation"]["__typename"] == "Forbidden"
        assert bad["registerOrganisation"]["message"] == {"zh": "请先登录", "en": "Sign in first"}

        first = (await graphql(url, LIST))["organisations"]
        assert len(first["edges"]) == 2
        assert first["pageInfo"]["hasNextPage"] is True
        rest = (await graphql(url, LIST, after=first["pageInfo"]["endCursor"]))["organisations"]
        seen = [e["node"]["id"] for e in first["edges"] + rest["edges"]]
        assert len(seen) == len(set(seen)) == 4

        async def pooled() -> bool:
            supply = (await graphql(url, LIST))["districtSupply"]
            total: int = sum(d["organisations"] for d in supply)
            return total == len(demo.ORGANISATIONS)

        await eventually(pooled)

    async with platform_server(tmp_path) as url:  # same data folder: nothing lost, nothing doubled
        assert await demo.load(url, SECRET) == {"created": 0, "existing": 10}
        supply = (await graphql(url, LIST))["districtSupply"]
        assert sum(d["organisations"] for d in supply) == len(demo.ORGANISATIONS)


async def test_the_mounted_services_answer_only_the_internal_identity(tmp_path: Path) -> None:
    """On the one public port, ``/services/*`` (every route, the OpenAPI documents, docs,
    probes and metrics) answers only the gateway's signed identity; the data folder is its
    owner's only (issue #20)."""
    async with platform_server(tmp_path) as url, http_client() as client:
        for service in ("registry", "matching", "scheduling", "agreements", "mentors"):
            for path in ("/openapi.json", "/docs", "/metrics", "/healthz", "/organisations"):
                refused = await client.get(f"{url}/services/{service}{path}")
                assert refused.status_code == 401, (service, path, refused.text)
                assert refused.json()["error"]["code"] == "UNAUTHENTICATED"
            allowed = await client.get(
                f"{url}/services/{service}/openapi.json", headers=as_actor(OPERATOR)
            )
            assert allowed.status_code == 200, (service, allowed.text)
        assert (await client.get(f"{url}/healthz")).status_code == 200
        assert stat.S_IMODE(os.stat(tmp_path).st_mode) == 0o700


def test_schema_file_is_current() -> None:
    assert SDL_PATH.read_text("utf-8") == sdl(), (
        "gateway/schema.graphql is stale: run "
        "uv run python -c 'from boyin_gateway.schema import SDL_PATH, sdl; SDL_PATH.write_text(sdl())'"
    )
