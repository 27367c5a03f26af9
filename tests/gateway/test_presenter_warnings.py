"""Presenters who take part online, through GraphQL: a roadshow at night in their own time
zone is saved with a PRESENTER_AT_NIGHT warning on the addSession / updateSession answer;
one held on site refuses them (InvalidInput, ONLINE_PRESENTER); a session read otherwise
carries no warnings."""

from __future__ import annotations

from tests.gateway.scheduling_support import (
    CREATE_EDITION,
    DECLARE,
    OPEN_EDITION,
    edition_input,
    ok,
    session_input,
    until_known,
)
from tests.gateway.support import PROBLEM, assert_bilingual, staff_token
from tests.gateway.test_registry_flow import register_talent
from tests.platform_harness import graphql
from tests.scheduling.support import FIRST_DAY, at

WARNED = f"""
__typename
... on AgendaSession {{ id warnings {{ field code message {{ zh en }} }} }}
... on InvalidInput {{ fields {{ field code message {{ zh en }} }} }}
{PROBLEM}"""
ADD = f"""
mutation($editionId: ID!, $input: AgendaSessionInput!) {{
  addSession(editionId: $editionId, input: $input) {{ {WARNED} }}
}}"""
UPDATE = f"""
mutation($id: ID!, $input: AgendaSessionInput!) {{
  updateSession(id: $id, input: $input) {{ {WARNED} }}
}}"""
READ = "query($id: ID!) { session(id: $id) { id warnings { code } } }"


async def test_online_presenters_are_warned_of_at_night_and_refused_on_site(url: str) -> None:
    staff = await staff_token(url, "ops.presenters@coverage.example", "OPERATOR")
    talent_id, talent = await register_talent(url, "presenter@example.de", "Anna Berg")
    edition = await ok(url, staff, CREATE_EDITION, "FairEdition", input=edition_input())
    await ok(url, staff, OPEN_EDITION, "FairEdition", id=edition["id"])
    await until_known(url, talent, edition["id"])
    online = {"mode": "ONLINE", "timezone": "Europe/Berlin"}
    await ok(url, talent, DECLARE, "Attendance", editionId=edition["id"], input=online)

    # 09:00 in Chongqing is 02:00 in Berlin: saved, with a warning naming the presenter
    night = session_input(room=None, presenters=[{"partyId": talent_id}])
    added = await ok(url, staff, ADD, "AgendaSession", editionId=edition["id"], input=night)
    [warning] = added["warnings"]
    assert (warning["field"], warning["code"]) == ("presenters.0", "PRESENTER_AT_NIGHT")
    assert "02:00" in warning["message"]["en"] and "夜间" in warning["message"]["zh"]
    # moved to the afternoon (09:00 in Berlin): no warning
    day = night | {"start": at(FIRST_DAY, "16:00"), "end": at(FIRST_DAY, "17:00")}
    updated = await ok(url, staff, UPDATE, "AgendaSession", id=added["id"], input=day)
    assert updated["warnings"] == []
    # the warnings belong to the answer to a change, not to the session
    read = (await graphql(url, READ, staff, id=added["id"]))["session"]
    assert read == {"id": added["id"], "warnings": []}

    # held on site (a room): an online presenter is refused, in both languages
    on_site = session_input(presenters=[{"partyId": talent_id}])
    refused = await ok(url, staff, ADD, "InvalidInput", editionId=edition["id"], input=on_site)
    assert [f["code"] for f in refused["fields"]] == ["ONLINE_PRESENTER"], refused
    assert "presenters.0" in refused["fields"][0]["field"]
    assert_bilingual(refused)
