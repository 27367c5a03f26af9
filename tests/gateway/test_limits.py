"""The gateway's protective limits: query size and shape, request bodies, rate limits,
sign-in throttling and introspection. Each limit refuses with a code and a message in
Chinese and English; normal use passes. The limits are the gateway's own: these run on
the gateway alone, its services the fakes (``harness.py``), whose log shows that a
refused request reached no service."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from websockets.asyncio.client import connect
from websockets.exceptions import InvalidStatus

from boyin_gateway.graphiql import asset_paths
from boyin_gateway.limits import TokenBuckets
from tests.gateway.harness import Gateway, gateway_server
from tests.gateway.support import (
    ME,
    PASSWORD,
    SIGN_IN,
    admin_token,
    create_account,
    has_cjk,
)
from tests.gateway.test_schema_limits import nested
from tests.platform_harness import ADMIN_LOGIN, ADMIN_PASSWORD, http_client, sign_in

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


async def post(
    url: str,
    query: str,
    token: str | None = None,
    *,
    ip: str | None = None,
    **variables: Any,
) -> httpx.Response:
    """POST a GraphQL request, as if from ``ip`` (the gateway believes X-Forwarded-For from
    127.0.0.1 where the test makes it a trusted proxy)."""
    headers = {"authorization": f"Bearer {token}"} if token else {}
    if ip:
        headers["x-forwarded-for"] = ip
    async with http_client() as client:
        return await client.post(
            url + "/graphql", json={"query": query, "variables": variables}, headers=headers
        )


def assert_refusal(body: dict[str, Any], code: str) -> None:
    """The platform's error body: a code and a message in Chinese and English."""
    error = body["error"]
    assert error["code"] == code, body
    assert has_cjk(error["message"]["zh"]), body
    assert error["message"]["en"] and not has_cjk(error["message"]["en"]), body


def limit_errors(response: httpx.Response, code: str) -> list[dict[str, Any]]:
    """A GraphQL answer refused by a limit: no data, and the errors of the limit (those
    with ``code``), each with its message in Chinese and English too."""
    assert response.status_code == 200, response.text
    body = response.json()
    assert body.get("data") is None, body
    errors = [e for e in body["errors"] if e.get("extensions", {}).get("code") == code]
    assert errors, body
    for error in errors:
        message = error["extensions"]["message"]
        assert has_cjk(message["zh"]) and not has_cjk(message["en"]), body
    return errors


# -- token buckets ---------------------------------------------------------------------


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_a_token_bucket_allows_a_burst_then_refills_steadily() -> None:
    clock = Clock()
    buckets = TokenBuckets(6, 60, clock=clock, max_keys=2)  # one token every 10 s
    assert [buckets.take("a") for _ in range(6)] == [0] * 6
    assert buckets.take("a") == 10  # the next token in 10 s
    clock.now += 4
    assert buckets.take("a") == 6
    assert buckets.take("b") == 0  # each key has its own bucket
    clock.now += 6
    assert buckets.take("a") == 0 and buckets.take("a") == 10

    buckets.give_back("a")  # e.g. a sign-in that succeeded
    assert buckets.take("a") == 0

    # bounded: the least recently used bucket is forgotten (as good as full)
    buckets.take("b")
    buckets.take("c")
    assert len(buckets) == 2
    assert buckets.take("a") == 0  # "a" had been forgotten

    unlimited = TokenBuckets(0, 60, clock=clock)
    assert all(unlimited.take("a") == 0 for _ in range(100)) and len(unlimited) == 0


# -- query size and shape ---------------------------------------------------------------


async def test_query_size_and_shape_limits_refuse_before_any_service_call(
    tmp_path: Path,
) -> None:
    async with gateway_server(tmp_path, graphql_max_tokens=100, graphql_max_aliases=3) as gw:
        url, log = gw.url, gw.platform.log
        long = await post(url, "{ " + "__typename " * 120 + "}")
        (error,) = limit_errors(long, "QUERY_TOO_LONG")
        assert "more than 100 tokens" in error["message"]
        assert "100" in error["extensions"]["message"]["zh"]

        aliased = "{ " + " ".join(f"a{i}: organisations {{ edges {{ cursor }} }}" for i in range(4))
        (error,) = limit_errors(await post(url, aliased + " }"), "TOO_MANY_ALIASES")
        assert error["extensions"]["message"]["en"] == "the query uses too many aliases (at most 3)"

        # (the schema has no cycles: below ``name`` the fields are made up, an error too)
        (error,) = limit_errors(await post(url, nested(13)), "QUERY_TOO_DEEP")
        assert error["message"] == "'Deep' exceeds maximum operation depth of 12"
        assert error["extensions"]["message"]["zh"] == "查询嵌套过深（最多 12 层）"
        assert log == []

        # Within the limits: answered, and a page never exceeds 100 items.
        short = await post(url, "{ " + "__typename " * 90 + "}")
        assert short.json() == {"data": {"__typename": "Query"}}
        three = aliased.rsplit(" a3:", 1)[0] + " }"
        assert set((await post(url, three)).json()["data"]) == {"a0", "a1", "a2"}
        huge_page = "{ demands(first: 1000) { edges { cursor } } }"
        assert (await post(url, huge_page, await admin_token(url))).json()["data"]
        assert [c.args["params"]["limit"] for c in log if c.method == "demands"] == [100]


# -- request bodies ----------------------------------------------------------------------


def multipart(document: str) -> dict[str, str]:
    return {
        "operations": json.dumps({"query": document, "variables": {"file": None}}),
        "map": json.dumps({"0": ["variables.file"]}),
    }


UPLOAD = """
mutation($file: Upload!) { uploadAttachment(file: $file) { __typename ... on Attachment { size } } }
"""


async def test_oversized_bodies_are_refused_with_413(tmp_path: Path) -> None:
    async with gateway_server(tmp_path, max_request_kb=4, max_upload_mb=1) as gw:
        url, log = gw.url, gw.platform.log
        admin = await admin_token(url)
        too_big = await post(url, "query($pad: String) { __typename }", pad="x" * 5000)
        assert too_big.status_code == 413
        assert_refusal(too_big.json(), "REQUEST_TOO_LARGE")
        assert "4 KB" in too_big.json()["error"]["message"]["en"]

        async def chunks() -> AsyncIterator[bytes]:  # no Content-Length: counted as read
            yield b'{"query": "{ __typename }", "variables": {"pad": "'
            for _ in range(5):
                yield b"x" * 1000
            yield b'"}}'

        async with http_client() as client:
            chunked = await client.post(
                url + "/graphql", content=chunks(), headers={"content-type": "application/json"}
            )
            assert chunked.status_code == 413
            assert_refusal(chunked.json(), "REQUEST_TOO_LARGE")

            # A multipart upload may be as large as an upload (max_upload_mb) and a bit.
            headers = {"authorization": f"Bearer {admin}", "apollo-require-preflight": "true"}
            big_file = PDF + b"%" + b"x" * (2 * 1024 * 1024 + 512 * 1024)
            refused = await client.post(
                url + "/graphql",
                data=multipart(UPLOAD),
                files={"0": ("big.pdf", big_file, "application/pdf")},
                headers=headers,
            )
            assert refused.status_code == 413
            assert_refusal(refused.json(), "REQUEST_TOO_LARGE")
            assert log == []

            file = PDF + b"%" + b"x" * 8000  # larger than a JSON request may be
            accepted = await client.post(
                url + "/graphql",
                data=multipart(UPLOAD),
                files={"0": ("ok.pdf", file, "application/pdf")},
                headers=headers,
            )
        assert accepted.json() == {
            "data": {"uploadAttachment": {"__typename": "Attachment", "size": len(file)}}
        }
        normal = await post(url, ME, admin, pad="x" * 1000)
        assert normal.json()["data"]["me"]["login"] == ADMIN_LOGIN


# -- rate limits -------------------------------------------------------------------------


async def test_rate_limits_per_account_and_per_address_answer_429(tmp_path: Path) -> None:
    async with gateway_server(
        tmp_path,
        rate_limit_per_minute=5,
        rate_limit_anonymous_per_minute=6,
        trusted_proxies=["127.0.0.1"],
    ) as gw:
        url = gw.url
        # Anonymous: 6 a minute from one address, then 429 with Retry-After.
        for _ in range(6):
            assert (await post(url, ME, ip="198.51.100.1")).json() == {"data": {"me": None}}
        refused = await post(url, ME, ip="198.51.100.1")
        assert refused.status_code == 429
        wait = int(refused.headers["retry-after"])
        assert 1 <= wait <= 10
        assert_refusal(refused.json(), "RATE_LIMITED")
        assert f"{wait} s" in refused.json()["error"]["message"]["en"]
        # an invalid token is no way around it; subscriptions' handshakes count too
        assert (await post(url, ME, "forged", ip="198.51.100.1")).status_code == 429
        ws_url = url.replace("http://", "ws://") + "/graphql"
        with pytest.raises(InvalidStatus):
            async with connect(
                ws_url,
                subprotocols=["graphql-transport-ws"],  # type: ignore[list-item]
                additional_headers={"x-forwarded-for": "198.51.100.1"},
            ):
                pass
        # other addresses are not affected, and the probes never are
        assert (await post(url, ME, ip="198.51.100.2")).status_code == 200
        async with http_client() as client:
            probe = await client.get(url + "/healthz", headers={"x-forwarded-for": "198.51.100.1"})
            assert probe.status_code == 200
            # nor the portal's build files (a page loads a dozen), but only as files
            limited = {"x-forwarded-for": "198.51.100.1"}
            asset = await client.get(url + "/assets/index-0.js", headers=limited)
            assert asset.status_code != 429
            assert (await client.post(url + "/assets/x", headers=limited)).status_code == 429

        # Signed in: 5 a minute per account, wherever the requests come from.
        admin = await sign_in(url, ADMIN_LOGIN, ADMIN_PASSWORD)
        created = await create_account(url, admin, "limits.investor@fund.example", "INVESTOR")
        assert created["__typename"] == "Account"
        investor = await sign_in(url, "limits.investor@fund.example", PASSWORD)
        for _ in range(4):
            assert (await post(url, ME, admin, ip="198.51.100.1")).status_code == 200
        refused = await post(url, ME, admin, ip="198.51.100.3")
        assert refused.status_code == 429
        assert 1 <= int(refused.headers["retry-after"]) <= 12
        assert_refusal(refused.json(), "RATE_LIMITED")
        mine = await post(url, ME, investor, ip="198.51.100.1")
        assert mine.json()["data"]["me"]["role"] == "INVESTOR"


async def sign_in_from(url: str, ip: str, login: str, password: str) -> httpx.Response:
    return await post(url, SIGN_IN, ip=ip, login=login, password=password)


def outcome(response: httpx.Response) -> str:
    result: dict[str, Any] = response.json()["data"]["signIn"]
    return str(result.get("code") or result["__typename"])


async def test_failed_sign_ins_are_throttled_per_login_and_address(tmp_path: Path) -> None:
    async with gateway_server(
        tmp_path, sign_in_attempts=3, sign_in_window_seconds=300, trusted_proxies=["127.0.0.1"]
    ) as gw:
        url = gw.url
        here, elsewhere = "203.0.113.1", "203.0.113.2"
        for _ in range(3):
            wrong = await sign_in_from(url, here, ADMIN_LOGIN, "wrong-password-123")
            assert (wrong.status_code, outcome(wrong)) == (200, "INVALID_CREDENTIALS")
        # the fourth attempt is not even checked, the right password neither
        throttled = await sign_in_from(url, here, ADMIN_LOGIN, ADMIN_PASSWORD)
        assert throttled.status_code == 429
        assert 1 <= int(throttled.headers["retry-after"]) <= 100  # one attempt per 100 s
        problem = throttled.json()["data"]["signIn"]
        assert problem["__typename"] == "Forbidden"
        assert problem["code"] == "TOO_MANY_SIGN_IN_ATTEMPTS"
        assert has_cjk(problem["message"]["zh"]) and not has_cjk(problem["message"]["en"])
        # the same login however written
        shouted = await sign_in_from(url, here, ADMIN_LOGIN.upper(), ADMIN_PASSWORD)
        assert outcome(shouted) == "TOO_MANY_SIGN_IN_ATTEMPTS"

        # Other logins from here, and this login from elsewhere, are not affected.
        other = await sign_in_from(url, here, "someone@else.example", "wrong-password-123")
        assert outcome(other) == "INVALID_CREDENTIALS"
        assert outcome(await sign_in_from(url, elsewhere, ADMIN_LOGIN, ADMIN_PASSWORD)) == "Session"
        # Successful sign-ins are not counted.
        for _ in range(5):
            ok = await sign_in_from(url, elsewhere, ADMIN_LOGIN, ADMIN_PASSWORD)
            assert (ok.status_code, outcome(ok)) == (200, "Session")


# -- introspection ----------------------------------------------------------------------

SCHEMA = "{ __schema { queryType { name } } }"
TYPE = '{ __type(name: "Demand") { fields { name } } }'
TYPO = "{ demandz { edges { cursor } } }"


async def graphiql(url: str) -> httpx.Response:
    async with http_client() as client:
        return await client.get(url + "/graphql", headers={"accept": "text/html"})


async def test_introspection_and_graphiql_are_off_in_production(tmp_path: Path) -> None:
    async with gateway_server(tmp_path, graphql_introspection=False) as gw:
        url = gw.url
        errors = limit_errors(await post(url, SCHEMA), "INTROSPECTION_DISABLED")
        assert "'__schema'" in errors[0]["message"]
        limit_errors(await post(url, TYPE), "INTROSPECTION_DISABLED")
        assert (await post(url, "{ __typename }")).json() == {"data": {"__typename": "Query"}}
        assert (await graphiql(url)).status_code == 404
        async with http_client() as client:  # nor its assets, nor the HTTP API's docs
            assert (await client.get(url + asset_paths()[0])).status_code == 404
            for page in ("/openapi.json", "/docs", "/redoc"):
                assert (await client.get(url + page)).status_code == 404, page
        # nor do mistakes reveal the names of fields, arguments, enum values or input fields
        typo = (await post(url, TYPO)).json()["errors"]
        assert [e["message"] for e in typo] == ["Cannot query field 'demandz' on type 'Query'."]
        for near_miss in (
            "{ demands(firts: 5) { edges { cursor } } }",  # an argument
            "{ demands(filter: {chanel: PROJECT_COOPERATION}) { edges { cursor } } }",
            "{ demands(filter: {channel: PROJECT_COOPERATIO}) { edges { cursor } } }",
        ):
            answer = (await post(url, near_miss)).json()
            assert answer["errors"], answer
            assert "Did you mean" not in json.dumps(answer, ensure_ascii=False), answer


async def test_introspection_and_graphiql_are_on_by_default(gateway: Gateway) -> None:
    url = gateway.url
    schema = (await post(url, SCHEMA)).json()
    assert schema == {"data": {"__schema": {"queryType": {"name": "Query"}}}}
    fields = (await post(url, TYPE)).json()["data"]["__type"]["fields"]
    assert "status" in {f["name"] for f in fields}
    page = await graphiql(url)
    assert page.status_code == 200 and "graphiql" in page.text.lower()
    typo = (await post(url, TYPO)).json()["errors"]
    assert typo[0]["message"].endswith("Did you mean 'demand' or 'demands'?"), typo
