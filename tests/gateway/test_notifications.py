"""Notifications through the gateway (on the fakes): a party's preferences over GraphQL,
the unsubscribe mutation, and the unsubscribe link as a plain GET or one-click POST that
needs no sign-in."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest

from boyin_shared.api.registry import MailOut
from boyin_shared.clock import utcnow
from boyin_shared.identity import Actor, Role
from tests.gateway.harness import Gateway, gateway_server
from tests.platform_harness import graphql

PREFERENCES = """
query($partyId: ID!) {
  notificationPreferences(partyId: $partyId) {
    __typename
    ... on NotificationPreferences { partyId kinds language }
    ... on Problem { code message { zh en } }
  }
}"""

SET_PREFERENCES = """
mutation($partyId: ID!, $kinds: [NotificationKind!]!, $language: MailLanguage!) {
  setNotificationPreferences(partyId: $partyId, input: {kinds: $kinds, language: $language}) {
    __typename
    ... on NotificationPreferences { partyId kinds language }
    ... on Problem { code message { zh en } }
  }
}"""

UNSUBSCRIBE = """
mutation($link: String!) {
  unsubscribe(token: $link) {
    __typename
    ... on Unsubscribed { partyId kind preferences { kinds } }
    ... on Problem { code message { zh en } }
  }
}"""

TALENT = Actor("acc_t", Role.TALENT, party_id="tal_1")
ALL_KINDS = ["PROPOSAL", "MUTUAL_MATCH", "MEETING", "DEMAND", "AGREEMENT"]


@pytest.fixture
async def gateway(tmp_path: Path) -> AsyncIterator[Gateway]:
    async with gateway_server(tmp_path) as gw:
        yield gw


async def test_a_party_reads_and_sets_its_preferences(gateway: Gateway) -> None:
    token = gateway.token(TALENT)
    read = await graphql(gateway.url, PREFERENCES, token, partyId="tal_1")
    assert read["notificationPreferences"] == {
        "__typename": "NotificationPreferences",
        "partyId": "tal_1",
        "kinds": ALL_KINDS,
        "language": "BOTH",
    }
    chosen = await graphql(
        gateway.url, SET_PREFERENCES, token, partyId="tal_1", kinds=["MEETING"], language="EN"
    )
    assert chosen["setNotificationPreferences"]["kinds"] == ["MEETING"]
    again = await graphql(gateway.url, PREFERENCES, token, partyId="tal_1")
    assert again["notificationPreferences"]["language"] == "EN"


async def test_another_party_and_a_visitor_are_refused(gateway: Gateway) -> None:
    other = gateway.token(Actor("acc_o", Role.ORGANISATION, party_id="org_1"))
    for token in (other, None):
        result = await graphql(gateway.url, PREFERENCES, token, partyId="tal_1")
        assert result["notificationPreferences"]["__typename"] == "Forbidden"


async def test_the_unsubscribe_mutation_needs_no_sign_in(gateway: Gateway) -> None:
    done = await graphql(gateway.url, UNSUBSCRIBE, None, link="unsub:tal_1:MEETING")
    assert done["unsubscribe"] == {
        "__typename": "Unsubscribed",
        "partyId": "tal_1",
        "kind": "MEETING",
        "preferences": {"kinds": [k for k in ALL_KINDS if k != "MEETING"]},
    }
    bad = await graphql(gateway.url, UNSUBSCRIBE, None, link="forged")
    assert bad["unsubscribe"]["__typename"] == "InvalidInput"
    assert bad["unsubscribe"]["code"] == "INVALID_UNSUBSCRIBE_LINK"


async def test_the_link_unsubscribes_by_get_or_one_click_post_without_sign_in(
    gateway: Gateway,
) -> None:
    async with httpx.AsyncClient(base_url=gateway.url) as http:
        followed = await http.get("/unsubscribe", params={"token": "unsub:tal_1:PROPOSAL"})
        assert followed.status_code == 200
        assert followed.headers["content-type"].startswith("text/html")
        assert "您已退订：新的匹配推荐" in followed.text
        assert "unsubscribed from new match proposals" in followed.text
        one_click = await http.post(
            "/unsubscribe",
            params={"token": "unsub:tal_1:ALL"},
            content="List-Unsubscribe=One-Click",
            headers={"content-type": "application/x-www-form-urlencoded"},
        )
        assert one_click.status_code == 200 and "全部通知" in one_click.text
        forged = await http.get("/unsubscribe", params={"token": "<script>"})
        assert forged.status_code == 400 and "退订链接无效" in forged.text
        assert "<script>" not in forged.text
        missing = await http.get("/unsubscribe")
        assert missing.status_code == 422
    assert gateway.platform.registry_data.preferences["tal_1"].kinds == []


MAILBOX = "{ notificationMailbox(limit: 1) { messageId to subject text attachments } }"


async def test_operators_read_the_mailbox_others_get_null(gateway: Gateway) -> None:
    kept = [
        MailOut(
            message_id=f"<m{i}@boyin.example>",
            to=["li.wei@uni-example.de"],
            subject=f"会谈已安排 | Meeting scheduled {i}",
            text="…",
            attachments=["meeting.ics"],
            kept_at=utcnow(),
        )
        for i in (2, 1)
    ]
    gateway.platform.registry_data.mailbox.extend(kept)
    operator = gateway.token(Actor("acc_op", Role.OPERATOR))
    [newest] = (await graphql(gateway.url, MAILBOX, operator))["notificationMailbox"]
    assert newest["messageId"] == "<m2@boyin.example>"
    assert newest["attachments"] == ["meeting.ics"]
    for token in (gateway.token(TALENT), None):
        assert (await graphql(gateway.url, MAILBOX, token))["notificationMailbox"] is None
