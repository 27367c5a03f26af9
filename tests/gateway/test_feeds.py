"""Live feeds over graphql-transport-ws, on the single-process platform."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import httpx
import pytest
from websockets.exceptions import ConnectionClosedError

from boyin_shared import identity
from boyin_shared.identity import Actor, Role
from tests.apps import SECRET
from tests.graphql_ws import subscribe
from tests.platform_harness import ADMIN_LOGIN, ADMIN_PASSWORD, graphql, platform_server, sign_in
from tests.registry.support import demand_body, talent_body

NEW_PROJECTS = """
subscription($filter: ProjectFilter) {
  newProjects(filter: $filter) { demandId title { en } taxonomyCodes stage fundingSoughtWan }
}"""
PIPELINE = "subscription { pipelineEvents { type subject } }"
CREATE = """
mutation($login: String!, $password: String!) {
  createAccount(login: $login, password: $password, role: INVESTOR) { __typename }
}"""
OPERATOR = Actor("acc_feed_operator", Role.OPERATOR)


async def publish_project(url: str, owner: str, code: str, funding: int) -> str:
    headers = {identity.HEADER: identity.issue(OPERATOR, SECRET)}
    body = demand_body("PROJECT_COOPERATION", owner, taxonomy_codes=[code], submit=True)
    body["details"] = body["details"] | {"funding_sought_wan": funding}
    async with httpx.AsyncClient(base_url=url + "/services/registry", headers=headers) as client:
        demand = (await client.post("/demands", json=body)).json()
        await client.post(f"/demands/{demand['id']}/start-review")
        for claim in demand["claims"]:
            await client.post(
                f"/demands/{demand['id']}/claims/{claim['criterion']}/review",
                json={"outcome": "CONFIRMED"},
            )
        published = await client.post(f"/demands/{demand['id']}/publish")
        assert published.status_code == 200, published.text
        return str(demand["id"])


async def investor_token(url: str) -> str:
    admin = await sign_in(url, ADMIN_LOGIN, ADMIN_PASSWORD)
    created = await graphql(url, CREATE, admin, login="vc@fund.example", password="investor-pw-123")
    assert created["createAccount"]["__typename"] == "Account"
    return await sign_in(url, "vc@fund.example", "investor-pw-123")


async def test_an_investor_receives_projects_matching_the_filter(tmp_path: Path) -> None:
    async with platform_server(tmp_path) as url:
        talents = await _talents(url)
        token = await investor_token(url)
        wanted: dict[str, Any] = {"taxonomyCodes": ["C33-N01"], "minFundingWan": 100}
        async with subscribe(url, NEW_PROJECTS, token, filter=wanted) as feed:
            await asyncio.sleep(0.3)
            await publish_project(url, talents[0], "C33-F5", 500)  # another cluster
            await publish_project(url, talents[0], "C33-N01", 50)  # too little funding
            wanted_id = await publish_project(url, talents[1], "C33-N01", 800)
            data = await feed.next()
        item = data["newProjects"]
        assert item["demandId"] == wanted_id
        assert item["taxonomyCodes"] == ["C33-N01"]
        assert item["fundingSoughtWan"] == 800


async def test_feeds_are_only_for_those_allowed(tmp_path: Path) -> None:
    async with platform_server(tmp_path) as url:
        async with subscribe(url, NEW_PROJECTS) as anonymous:
            errors = await anonymous.error()
        assert "Investors and staff only" in errors[0]["message"]
        token = await investor_token(url)
        async with subscribe(url, PIPELINE, token) as investor:
            errors = await investor.error()
        assert "Staff only" in errors[0]["message"]
        with pytest.raises((ConnectionClosedError, AssertionError)):
            async with subscribe(url, NEW_PROJECTS, "not-a-token") as forged:
                await forged.next(timeout=3)


async def _talents(url: str) -> list[str]:
    """Two fresh talents to own the projects."""
    headers = {identity.HEADER: identity.issue(OPERATOR, SECRET)}
    ids = []
    async with httpx.AsyncClient(base_url=url + "/services/registry", headers=headers) as client:
        for email in ("feed.one@example.de", "feed.two@example.de"):
            created = await client.post("/talents", json=talent_body(email))
            assert created.status_code == 201, created.text
            ids.append(created.json()["id"])
    return ids
