"""Paging arguments are checked: a page size below 1 or a cursor the field did not hand
out is refused, naming the argument in Chinese and English, before any service is called
(on the gateway alone, its services the fakes)."""

from __future__ import annotations

from typing import Any

import pytest

from boyin_shared.identity import Actor, Role
from tests.gateway.harness import Gateway
from tests.gateway.support import has_cjk
from tests.platform_harness import graphql, graphql_raw

OPERATOR = Actor("acc_operator", Role.OPERATOR)

ORGANISATIONS = """
query($first: Int!, $after: String) {
  organisations(first: $first, after: $after) { edges { cursor } pageInfo { endCursor } }
}"""
DEMANDS = """
query($first: Int!, $after: String) {
  demands(first: $first, after: $after) { edges { cursor } pageInfo { endCursor } }
}"""
MY_MEETINGS = """
query($first: Int!, $after: String) {
  myMeetings(first: $first, after: $after) { edges { cursor } pageInfo { endCursor } }
}"""
MATCHES = 'query($first: Int!) { matches(demandId: "dem_1", first: $first) { id } }'
IMPORT_JOB = """
query($first: Int!, $offset: Int!) {
  importJob(id: "imp_1", errorsFirst: $first, errorsOffset: $offset) { __typename }
}"""
EDITION_MEETINGS = """
query($first: Int!, $after: String) {
  editionMeetings(editionId: "ed_1", first: $first, after: $after) {
    __typename
    ... on MeetingConnection { edges { cursor } }
    ... on Problem { code message { zh en } fields { field code message { zh en } } }
  }
}"""


async def refusal(gateway: Gateway, query: str, **variables: Any) -> dict[str, Any]:
    """The one GraphQL error of ``query``: its extensions; no service was called."""
    response = await graphql_raw(gateway.url, query, gateway.token(OPERATOR), **variables)
    body = response.json()
    assert body.get("data") is None, body
    [error] = body["errors"]
    extensions: dict[str, Any] = error["extensions"]
    assert extensions["code"] == "INVALID_ARGUMENT", error
    assert error["message"] == extensions["message"]["en"]
    assert has_cjk(extensions["message"]["zh"]), extensions
    assert gateway.platform.log == [], gateway.platform.log
    return extensions


@pytest.mark.parametrize("first", [0, -1])
@pytest.mark.parametrize("query", [ORGANISATIONS, DEMANDS, MY_MEETINGS, MATCHES])
async def test_a_page_size_below_one_is_refused(gateway: Gateway, query: str, first: int) -> None:
    refused = await refusal(gateway, query, first=first)
    assert refused["argument"] == "first"
    assert refused["reason"] == "PAGE_SIZE_TOO_SMALL"
    assert str(first) in refused["message"]["en"] and "first" in refused["message"]["zh"]


@pytest.mark.parametrize("query", [ORGANISATIONS, DEMANDS, MY_MEETINGS])
async def test_a_cursor_the_field_did_not_hand_out_is_refused(gateway: Gateway, query: str) -> None:
    for garbage in ("garbage", "", "dem_1' OR 1", "org_" + "x" * 100):
        refused = await refusal(gateway, query, first=5, after=garbage)
        assert (refused["argument"], refused["reason"]) == ("after", "INVALID_CURSOR")


async def test_the_cursor_of_another_field_is_refused(gateway: Gateway) -> None:
    refused = await refusal(gateway, ORGANISATIONS, first=5, after="dem_0191")
    assert refused["argument"] == "after"


async def test_an_import_jobs_error_page_is_checked(gateway: Gateway) -> None:
    size = await refusal(gateway, IMPORT_JOB, first=0, offset=0)
    assert size["argument"] == "errorsFirst"
    offset = await refusal(gateway, IMPORT_JOB, first=5, offset=-1)
    assert (offset["argument"], offset["reason"]) == ("errorsOffset", "NEGATIVE_OFFSET")


async def test_edition_meetings_refuses_through_its_invalid_input(gateway: Gateway) -> None:
    staff = gateway.token(OPERATOR)
    cases: list[tuple[dict[str, Any], str, str]] = [
        ({"first": -1}, "first", "PAGE_SIZE_TOO_SMALL"),
        ({"first": 5, "after": "garbage"}, "after", "INVALID_CURSOR"),
    ]
    for variables, argument, code in cases:
        result = (await graphql(gateway.url, EDITION_MEETINGS, staff, **variables))[
            "editionMeetings"
        ]
        assert result["__typename"] == "InvalidInput", result
        [field] = result["fields"]
        assert (field["field"], field["code"]) == (argument, code)
        assert has_cjk(field["message"]["zh"]) and argument in field["message"]["en"]
    assert gateway.platform.log == []


async def test_good_paging_still_pages(gateway: Gateway) -> None:
    """A cursor of the field's own ids and a page size above the maximum (clamped) pass."""
    staff = gateway.token(OPERATOR)
    for query in (ORGANISATIONS, DEMANDS, MY_MEETINGS):
        await graphql(gateway.url, query, staff, first=1000, after=None)
    await graphql(gateway.url, ORGANISATIONS, staff, first=5, after="org_0191a2b3c4d5e6f7")
    await graphql(gateway.url, DEMANDS, staff, first=5, after="dem_1")
    await graphql(gateway.url, MY_MEETINGS, staff, first=5, after="mt_1")
    result = (await graphql(gateway.url, EDITION_MEETINGS, staff, first=5, after="mt_1"))[
        "editionMeetings"
    ]
    assert result["__typename"] != "InvalidInput", result
