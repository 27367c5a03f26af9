"""Scheduling through the gateway, on the single-process platform (embedded bus, SQLite);
tests/e2e/test_scheduling_gateway.py runs the same flow on Kafka and FerretDB."""

from __future__ import annotations

from pathlib import Path

import pytest

from boyin_gateway.accounts.tokens import issue_access
from boyin_shared.identity import Actor, Role
from tests.gateway.scheduling_support import (
    ANSWER_MEETING,
    REQUEST_MEETING,
    meeting_flow,
    ok,
    prepared_edition,
    solved_and_published,
    until_known,
)
from tests.gateway.support import (
    REGISTER_TALENT,
    admin_token,
    jwt_secret,
    record_gateway_calls,
    talent_input,
)
from tests.gateway.test_dataloaders import calls_of_the_query
from tests.gateway.test_registry_flow import register_organisation
from tests.platform_harness import graphql, platform_server


async def test_edition_to_a_published_meeting_with_live_news_and_a_calendar(url: str) -> None:
    await meeting_flow(url)


MEETINGS_WITH_PARTIES = """
query($editionId: ID!) {
  myMeetings(editionId: $editionId, first: 50) {
    edges { node { id counterpartId
      counterpart { __typename ... on Talent { id name { en } } ... on Organisation { id } }
      requester { __typename ... on Talent { id } }
      invitee { __typename ... on Organisation { id name { zh } } } } }
  }
}"""

PLACEMENTS_WITH_PARTIES = """
query($editionId: ID!) {
  schedule(editionId: $editionId) {
    __typename
    ... on Schedule {
      published {
        placements { slotId meeting { id requester { ... on Talent { id } }
                                      invitee { ... on Organisation { id } } } }
      }
    }
  }
}"""


async def test_nested_meeting_parties_cost_one_call_per_party_type(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An organisation's meetings with their counterparts, and the timetable's placements
    with their meetings and both sides: a fixed number of service calls, however many."""
    recorder = record_gateway_calls(monkeypatch)
    async with platform_server(tmp_path) as url:
        admin = await admin_token(url)
        edition_id, _ = await prepared_edition(url, admin, sessions=0)
        org_id, org = await register_organisation(url, "org@loaders.example", 811)
        await until_known(url, org, edition_id)
        secret = jwt_secret(tmp_path)
        talents = []
        for n in range(3):
            data = await graphql(
                url, REGISTER_TALENT, admin, input=talent_input(f"t{n}@loaders.example")
            )
            talent_id = data["registerTalent"]["id"]
            token = issue_access(Actor(f"acc_{n}", Role.TALENT, party_id=talent_id), secret)
            await until_known(url, token, edition_id)
            made = await ok(
                url,
                token,
                REQUEST_MEETING,
                "Meeting",
                editionId=edition_id,
                input={"inviteeId": org_id},
            )
            await ok(url, org, ANSWER_MEETING, "Meeting", id=made["id"], accept=True)
            talents.append(talent_id)

        recorder.reset()
        data = await graphql(url, MEETINGS_WITH_PARTIES, org, editionId=edition_id)
        nodes = [e["node"] for e in data["myMeetings"]["edges"]]
        assert sorted(n["counterpartId"] for n in nodes) == sorted(talents)
        assert all(n["counterpart"]["id"] == n["counterpartId"] for n in nodes)
        assert all(n["invitee"]["id"] == org_id for n in nodes)
        assert calls_of_the_query(recorder) == 3
        assert sorted(recorder.paths()) == [
            "/services/registry/organisations",
            "/services/registry/talents",
            "/services/scheduling/meetings",
        ]
        assert [sorted(ids) for ids in recorder.ids_asked("/talents")] == [sorted(talents)]

        published = await solved_and_published(url, admin, edition_id)
        assert published["published"]["scheduled"] == 3, published
        recorder.reset()
        data = await graphql(url, PLACEMENTS_WITH_PARTIES, admin, editionId=edition_id)
        placements = data["schedule"]["published"]["placements"]
        assert sorted(p["meeting"]["requester"]["id"] for p in placements) == sorted(talents)
        assert {p["meeting"]["invitee"]["id"] for p in placements} == {org_id}
        # the schedule, its placements, the edition's meetings (one page), both party types
        assert calls_of_the_query(recorder) == 5
