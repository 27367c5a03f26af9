"""The scheduling service as its own process on the real Kafka broker and FerretDB: a
mutual match published to Kafka becomes a meeting; a process that dies halfway through
giving 60 meetings their places (fail point before the first ``MeetingScheduled`` reaches
Kafka) is restarted and every meeting ends with its place and exactly one
``MeetingScheduled``."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from pymongo import AsyncMongoClient

from boyin_platform.processes import ManagedProcess
from boyin_scheduling.meetings.domain import meeting_of_match
from boyin_shared.clock import new_id
from boyin_shared.contracts.common import LocalizedText
from boyin_shared.contracts.matching import MatchMutuallyAccepted, MatchParty, MutualMatch
from boyin_shared.contracts.registry import (
    OrganisationProfile,
    OrganisationRegistered,
    TalentProfile,
    TalentRegistered,
)
from boyin_shared.events import Event
from boyin_shared.faults import EXIT_CODE
from tests.apps import OPERATOR, as_actor
from tests.processes import Environment, poll, produce, topic_now
from tests.scheduling.support import SCHEDULING_TOPIC, fair_body

pytestmark = [pytest.mark.infra, pytest.mark.slow]


@pytest.fixture
def database(mongo: AsyncMongoClient[Any], environment: Environment) -> Any:
    """The scheduling service's own database on the MongoDB-wire server."""
    return mongo[f"{environment.namespace}scheduling"]


def talent_registered(name: str) -> tuple[str, Event]:
    tid = new_id("tal_")
    profile = TalentProfile(
        talent_id=tid,
        name=LocalizedText(zh=name, en=name),
        degree="PHD",
        field=LocalizedText(en="materials"),
        institution=LocalizedText(en="TU Example"),
        country="CN",
        timezone="Asia/Shanghai",
        revision=1,
    )
    return tid, TalentRegistered.create(subject=tid, data=profile)


def organisation_registered(name: str) -> tuple[str, Event]:
    oid = new_id("org_")
    profile = OrganisationProfile(
        organisation_id=oid,
        name=LocalizedText(zh=name, en=name),
        kind="ENTERPRISE",
        district_code="500103",
        credit_code="91500000000000000X",
        revision=1,
    )
    return oid, OrganisationRegistered.create(subject=oid, data=profile)


def mutual(talent_id: str, org_id: str, score: float = 0.8) -> tuple[str, Event]:
    match_id = new_id("m_")
    data = MutualMatch(
        match_id=match_id,
        first=MatchParty(party_kind="talent", party_id=talent_id, demand_id=new_id("d_")),
        second=MatchParty(party_kind="organisation", party_id=org_id, demand_id=new_id("d_")),
        score=score,
    )
    return match_id, MatchMutuallyAccepted.create(subject=match_id, data=data)


async def start(
    processes: list[ManagedProcess], env: Environment, faults: str = ""
) -> ManagedProcess:
    proc = env.process("scheduling")
    processes.append(proc)
    return await proc.start(extra_env={"BOYIN_FAULTS": faults})


async def open_edition(client: httpx.AsyncClient, n_tables: int) -> str:
    created = await client.post("/editions", json=fair_body(n_tables=n_tables))
    assert created.status_code == 201, created.text
    eid: str = created.json()["id"]
    opened = await client.post(f"/editions/{eid}/open")
    assert opened.status_code == 200, opened.text
    return eid


async def test_a_mutual_match_on_kafka_becomes_a_meeting(
    environment: Environment, processes: list[ManagedProcess], database: Any
) -> None:
    service = await start(processes, environment)
    async with httpx.AsyncClient(
        base_url=service.url, headers=as_actor(OPERATOR), timeout=30
    ) as client:
        eid = await open_edition(client, n_tables=2)
        tid, t_event = talent_registered("李伟")
        oid, o_event = organisation_registered("重庆某研究院")
        match_id, m_event = mutual(tid, oid, 0.93)
        await produce(environment, [t_event, o_event, m_event])
        mid = meeting_of_match(match_id)

        async def created() -> Any:
            r = await client.get(f"/meetings/{mid}")
            return r.json() if r.status_code == 200 else None

        meeting = await poll("meeting from the match", created)
    assert (meeting["edition_id"], meeting["status"], meeting["source"], meeting["weight"]) == (
        eid,
        "ACCEPTED",
        "MATCH",
        93,
    )
    assert (meeting["requester_id"], meeting["invitee_id"]) == (tid, oid)
    stored = await database["meetings"].find_one({"_id": mid})
    assert stored is not None and stored["match_id"] == match_id

    async def announced() -> list[dict[str, Any]]:
        events = await topic_now(environment, SCHEDULING_TOPIC)
        return [e for e in events if e["type"] == "boyin.scheduling.meeting.accepted"]

    [accepted] = await poll("MeetingAccepted on Kafka", announced)
    assert accepted["subject"] == mid and accepted["data"]["meeting"]["match_id"] == match_id


N_MEETINGS = 60


async def test_killed_during_catch_up_every_meeting_ends_placed_once(
    environment: Environment, processes: list[ManagedProcess], database: Any
) -> None:
    service = await start(processes, environment)
    async with httpx.AsyncClient(
        base_url=service.url, headers=as_actor(OPERATOR), timeout=60
    ) as client:
        eid = await open_edition(client, n_tables=10)
        talents = [talent_registered(f"人才{i}") for i in range(20)]
        orgs = [organisation_registered(f"机构{j}") for j in range(6)]
        # each talent meets three organisations, each organisation ten talents
        pairs = [(t, (t + k) % 6) for t in range(20) for k in range(3)]
        assert len(set(pairs)) == N_MEETINGS
        matches = [mutual(talents[t][0], orgs[o][0], 0.5 + t / 50) for t, o in pairs]
        await produce(environment, [e for _, e in talents + orgs + matches])
        expected = {meeting_of_match(m) for m, _ in matches}

        async def all_created() -> bool:
            return bool(
                await database["meetings"].count_documents({"edition_id": eid}) == N_MEETINGS
            )

        await poll("60 meetings", all_created)
        solve = await client.post(
            f"/editions/{eid}/schedule/solve", json={"time_limit_s": 0, "lp_bound": False}
        )
        assert solve.status_code == 202, solve.text

        async def drafted() -> bool:
            s = (await client.get(f"/editions/{eid}/schedule")).json()
            assert s["job"] != "FAILED", f"the solve failed: {s['job_error']}"
            return bool(s["draft"] is not None and s["job"] == "IDLE")

        await poll("draft", drafted)
        draft = (await client.get(f"/editions/{eid}/schedule")).json()["draft"]
        assert draft["scheduled"] == N_MEETINGS and draft["violations"] == 0

        async def accepted_relayed() -> bool:
            return bool(await database["meetings"].count_documents({"_pending": True}) == 0)

        await poll("MeetingAccepted events relayed", accepted_relayed)

    # Restart armed: the first meeting event the outbox is about to publish kills it.
    service.stop()
    await service.start(extra_env={"BOYIN_FAULTS": "before_publish:meetings"})
    async with httpx.AsyncClient(
        base_url=service.url, headers=as_actor(OPERATOR), timeout=60
    ) as client:
        try:
            published = await client.post(f"/editions/{eid}/schedule/publish")
            assert published.status_code == 200, published.text
        except httpx.TransportError:
            pass  # the process may die before it answers
    assert await service.wait_exit() == EXIT_CODE
    assert "fail point before_publish:meetings reached" in service.tail()

    # It died with the new version stored and the catch-up begun, before any
    # MeetingScheduled reached Kafka.
    schedule_doc = await database["schedules"].find_one({"_id": eid})
    assert schedule_doc is not None and schedule_doc["version"] == 1
    placed_at_crash = await database["meetings"].count_documents(
        {"edition_id": eid, "place": {"$ne": None}}
    )
    assert placed_at_crash >= 1, "the catch-up had begun"
    events = await topic_now(environment, SCHEDULING_TOPIC)
    assert [e for e in events if e["type"] == "boyin.scheduling.meeting.scheduled"] == []

    await service.start()  # no fault: the outbox sweep and the catch-up resume
    async with httpx.AsyncClient(
        base_url=service.url, headers=as_actor(OPERATOR), timeout=60
    ) as client:

        async def caught_up() -> bool:
            s = (await client.get(f"/editions/{eid}/schedule")).json()
            return bool(s["pending"] == 0 and s["version"] == 1)

        await poll("catch-up finished", caught_up)

        async def relayed() -> bool:
            return bool(await database["meetings"].count_documents({"_pending": True}) == 0)

        await poll("meeting events relayed", relayed)
        meetings: dict[str, Any] = {}
        page = (await client.get(f"/editions/{eid}/meetings", params={"limit": 500})).json()
        meetings = {m["id"]: m for m in page}
        timetable = (await client.get(f"/editions/{eid}/schedule/published")).json()
    assert set(meetings) == expected
    published_places = {
        p["meeting_id"]: (p["slot_id"], p["table"]) for p in timetable["placements"]
    }
    assert {
        mid: (m["place"]["slot_id"], m["place"]["table"])
        for mid, m in meetings.items()
        if m["place"] is not None
    } == published_places
    assert len(published_places) == N_MEETINGS
    assert all(m["place"]["schedule_version"] == 1 for m in meetings.values())

    events = await topic_now(environment, SCHEDULING_TOPIC)
    scheduled = [e for e in events if e["type"] == "boyin.scheduling.meeting.scheduled"]
    by_id: dict[str, dict[str, Any]] = {}
    for e in scheduled:
        if e["id"] in by_id:
            assert by_id[e["id"]] == e, "a repeated event id carries the same event"
        by_id[e["id"]] = e
    per_meeting: dict[str, int] = {}
    for e in by_id.values():
        per_meeting[e["subject"]] = per_meeting.get(e["subject"], 0) + 1
    assert per_meeting == dict.fromkeys(expected, 1)
    for e in by_id.values():
        place = e["data"]["meeting"]["place"]
        assert (place["slot_id"], place["table"]) == published_places[e["subject"]]
    assert [e for e in events if e["type"] == "boyin.scheduling.meeting.rescheduled"] == []
    releases = [e for e in events if e["type"] == "boyin.scheduling.schedule.published"]
    assert {e["data"]["version"] for e in releases} == {1}
