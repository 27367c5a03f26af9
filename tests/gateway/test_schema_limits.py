"""The schema's guards: depth limit, masked server errors, readable caller mistakes; on
the gateway alone, its services the fakes (``harness.py``)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx
import pytest

from boyin_gateway.clients import RegistryClient
from boyin_platform.processes import free_port
from boyin_shared.identity import Actor
from tests.apps import SECRET
from tests.gateway.fake_registry import FakeRegistry
from tests.gateway.fakes import FakePlatform
from tests.gateway.harness import Gateway, gateway_server
from tests.gateway.support import DEMANDS, SIGN_IN, admin_token
from tests.platform_harness import ADMIN_LOGIN, ADMIN_PASSWORD, graphql, graphql_raw

MASKED = "Unexpected error."
MAX_DEPTH = 12


def nested(depth: int) -> str:
    """A query ``depth`` levels deep (as the depth limiter counts): the schema has no cycles,
    so below ``owner.name`` the levels are made-up fields."""
    # demands > edges > node > owner > name is 5 levels; each made-up field adds one.
    inner = "leaf"
    for level in range(depth - 5):
        inner = f"f{level} {{ {inner} }}"
    return (
        "query Deep { demands { edges { node { owner { ... on Organisation { name { "
        + inner
        + " } } } } } } }"
    )


async def errors_of(url: str, query: str, token: str | None = None, **variables: Any) -> list[str]:
    response = await graphql_raw(url, query, token, **variables)
    assert response.status_code == 200, response.text
    body = response.json()
    assert body.get("data") is None, body
    return [e["message"] for e in body["errors"]]


async def test_a_query_deeper_than_the_limit_is_rejected_before_any_service_call(
    gateway: Gateway,
) -> None:
    url = gateway.url
    too_deep = await errors_of(url, nested(MAX_DEPTH + 1))
    assert f"'Deep' exceeds maximum operation depth of {MAX_DEPTH}" in too_deep, too_deep
    assert gateway.platform.log == []

    # At the limit only the made-up fields are wrong: no depth error.
    at_limit = await errors_of(url, nested(MAX_DEPTH))
    assert at_limit, at_limit
    assert not any("depth" in m for m in at_limit), at_limit
    assert at_limit == [f"Cannot query field 'f{MAX_DEPTH - 6}' on type 'LocalizedText'."]

    # A real query well within the limit runs.
    data = await graphql(url, DEMANDS, await admin_token(url), filter=None, first=5)
    assert data["demands"]["edges"] == []


async def test_mistakes_in_a_request_are_reported_as_they_are(gateway: Gateway) -> None:
    url = gateway.url
    assert await errors_of(url, "{ nope }") == ["Cannot query field 'nope' on type 'Query'."]
    missing = await errors_of(url, "query($id: ID!) { demand(id: $id) { id } }")
    assert len(missing) == 1 and "'$id'" in missing[0] and "'ID!'" in missing[0], missing
    wrong_enum = await errors_of(
        url,
        "query($f: DemandFilter) { demands(filter: $f) { edges { cursor } } }",
        f={"status": "SOMEWHERE"},
    )
    assert len(wrong_enum) == 1 and "SOMEWHERE" in wrong_enum[0], wrong_enum
    assert all(MASKED not in m for m in wrong_enum + missing)


async def test_unexpected_failures_are_masked(
    gateway: Gateway, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = gateway.url

    async def broken(self: FakeRegistry, params: dict[str, Any]) -> Any:
        raise RuntimeError("registry pool exhausted; password=hunter2 at 10.0.0.7")

    monkeypatch.setattr(FakeRegistry, "demands", broken)
    response = await graphql_raw(url, DEMANDS, filter=None, first=5)
    assert response.status_code == 200
    body = response.json()
    assert body["data"] is None
    assert [(e["message"], e["path"]) for e in body["errors"]] == [(MASKED, ["demands"])]
    assert "hunter2" not in response.text and "RuntimeError" not in response.text
    # said in both languages, and nothing of the original error
    assert body["errors"][0]["extensions"] == {
        "code": "INTERNAL_ERROR",
        "message": {"zh": "服务器内部错误，请稍后重试", "en": MASKED},
    }

    # Other fields of the same request are unaffected.
    response = await graphql_raw(url, "{ me { id } organisations { edges { cursor } } }")
    assert response.json() == {"data": {"me": None, "organisations": {"edges": []}}}


class UnreachableRegistry(FakePlatform):
    """The registry's real HTTP client, on a port where nothing listens."""

    def __init__(self) -> None:
        super().__init__()
        self.pool = httpx.AsyncClient(base_url=f"http://127.0.0.1:{free_port()}/registry")

    def registry(self, actor: Actor) -> RegistryClient:  # type: ignore[override]
        return RegistryClient(self.pool, SECRET, actor)

    async def close(self) -> None:
        await self.pool.aclose()


async def test_an_unreachable_service_is_told_as_retryable_and_accounts_keep_working(
    tmp_path: Path,
) -> None:
    async with gateway_server(tmp_path, platform=UnreachableRegistry()) as gw:
        url = gw.url
        response = await graphql_raw(url, DEMANDS, filter=None, first=5)
        body = response.json()
        # not a fault to report but a pause to wait out: said so, in both languages
        assert [e["message"] for e in body["errors"]] == [
            "Service briefly unavailable; retry shortly."
        ], body
        assert body["errors"][0]["extensions"] == {
            "code": "SERVICE_UNAVAILABLE",
            "message": {
                "zh": "服务暂时不可用，请数秒后重试",
                "en": "briefly unavailable; retry shortly",
            },
            "retryable": True,
        }
        assert "127.0.0.1" not in response.text and "connect" not in response.text.lower()

        # The gateway owns accounts: signing in does not need the registry.
        signed_in = (await graphql(url, SIGN_IN, login=ADMIN_LOGIN, password=ADMIN_PASSWORD))[
            "signIn"
        ]
        assert signed_in["__typename"] == "Session"
