"""Helpers of the scheduling service's tests: an edition body, parties made known the way
the registry announces them, waiting for the background work."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any, cast

import httpx

from boyin_scheduling.app import SchedulingState
from boyin_scheduling.app import definition as scheduling
from boyin_shared.bus.embedded import EmbeddedBus
from boyin_shared.clock import new_id
from boyin_shared.contracts.common import LocalizedText
from boyin_shared.contracts.matching import MatchMutuallyAccepted, MatchParty, MutualMatch
from boyin_shared.contracts.registry import (
    OrganisationProfile,
    OrganisationRegistered,
    TalentProfile,
    TalentRegistered,
)
from boyin_shared.identity import Actor, Role
from tests.apps import Running, as_actor, running

#: the test fair is always three weeks ahead, so "not begun yet" holds whenever tests run
FIRST_DAY = date.today() + timedelta(days=21)
LAST_DAY = FIRST_DAY + timedelta(days=1)


def edition_body(tables: int = 4, **overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "name": {"zh": "第十届离岸创新创业项目洽谈会", "en": "10th Offshore Innovation Fair"},
        "timezone": "Asia/Shanghai",
        "first_day": FIRST_DAY.isoformat(),
        "last_day": LAST_DAY.isoformat(),
        "slot_minutes": 30,
        "days": [
            {
                "day": FIRST_DAY.isoformat(),
                "start": "09:00",
                "end": "17:00",
                "breaks": [{"start": "12:00", "end": "13:30"}],
            },
            {"day": LAST_DAY.isoformat(), "start": "09:00", "end": "12:00"},
        ],
        "rooms": [{"id": "hall-a", "name": {"zh": "A 厅", "en": "Hall A"}}],
        "tables": [{"number": n, "room": "hall-a"} for n in range(1, tables + 1)],
    }
    body.update(overrides)
    return body


def at(day: date, hm: str) -> str:
    return f"{day.isoformat()}T{hm}:00+08:00"


def talent(party_id: str) -> Actor:
    return Actor(account_id=f"acc_{party_id}", role=Role.TALENT, party_id=party_id)


def organisation(party_id: str) -> Actor:
    return Actor(account_id=f"acc_{party_id}", role=Role.ORGANISATION, party_id=party_id)


async def announce_talent(
    r: Running, name: str, *, country: str = "CN", timezone: str = "Asia/Shanghai"
) -> str:
    """Publish a talent's registration as the registry would; its id."""
    tid = new_id("tal_")
    profile = TalentProfile(
        talent_id=tid,
        name=LocalizedText(zh=name, en=name),
        degree="PHD",
        field=LocalizedText(en="materials"),
        institution=LocalizedText(en="TU Example"),
        country=country,
        timezone=timezone,
        revision=1,
    )
    await r.bus.publish([TalentRegistered.create(subject=tid, data=profile)])
    return tid


async def announce_organisation(r: Running, name: str) -> str:
    oid = new_id("org_")
    profile = OrganisationProfile(
        organisation_id=oid,
        name=LocalizedText(zh=name, en=name),
        kind="ENTERPRISE",
        district_code="500103",
        credit_code="91500000000000000X",
        revision=1,
    )
    await r.bus.publish([OrganisationRegistered.create(subject=oid, data=profile)])
    return oid


async def announce_mutual_match(
    r: Running,
    talent_id: str,
    organisation_id: str,
    score: float = 0.8,
    editions: tuple[str, ...] = (),
) -> str:
    """A mutual match of the talent's and the organisation's demands, both naming
    ``editions``; its id."""
    match_id = new_id("m_")
    data = MutualMatch(
        match_id=match_id,
        first=MatchParty(
            party_kind="talent", party_id=talent_id, demand_id=new_id("d_"), editions=editions
        ),
        second=MatchParty(
            party_kind="organisation",
            party_id=organisation_id,
            demand_id=new_id("d_"),
            editions=editions,
        ),
        score=score,
    )
    await r.bus.publish([MatchMutuallyAccepted.create(subject=match_id, data=data)])
    return match_id


async def eventually(
    check: Callable[[], Awaitable[bool]], timeout: float = 10.0, what: str = "condition"
) -> None:
    deadline = asyncio.get_running_loop().time() + timeout
    while not await check():
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError(f"{what} not reached within {timeout}s")
        await asyncio.sleep(0.05)


async def known(client: httpx.AsyncClient, edition_id: str, party_id: str) -> bool:
    """The scheduling service has heard of ``party_id`` (its attendance can be read)."""
    response = await client.get(f"/editions/{edition_id}/attendance", params={"party_id": party_id})
    return response.status_code == 200


def headers(actor: Actor) -> dict[str, str]:
    return as_actor(actor)


# -- shared by the API, repair and validated-schedule tests ---------------------------
# A fair far enough ahead that no slot has begun whenever the tests run (the planner
# never places a meeting in a slot that has begun).

FAIR_FIRST = date(2030, 12, 12)
FAIR_LAST = date(2030, 12, 13)
SCHEDULING_TOPIC = "boyin.scheduling.events"


def fair_body(n_tables: int = 4, **overrides: Any) -> dict[str, Any]:
    """The edition of :func:`edition_body` on :data:`FAIR_FIRST`/:data:`FAIR_LAST`:
    day one 09:00–17:00 with lunch 12:00–13:30 (13 slots), day two 09:00–12:00 (6)."""
    body = edition_body(n_tables)
    body.update(
        first_day=FAIR_FIRST.isoformat(),
        last_day=FAIR_LAST.isoformat(),
        days=[
            {
                "day": FAIR_FIRST.isoformat(),
                "start": "09:00",
                "end": "17:00",
                "breaks": [{"start": "12:00", "end": "13:30"}],
            },
            {"day": FAIR_LAST.isoformat(), "start": "09:00", "end": "12:00"},
        ],
    )
    body.update(overrides)
    return body


def ok(response: httpx.Response, status: int = 200) -> Any:
    assert response.status_code == status, response.text
    return response.json()


def refusal(response: httpx.Response, status: int, code: str) -> dict[str, Any]:
    """The error body of a refused call, checked: its status, code and both languages."""
    assert response.status_code == status, response.text
    error: dict[str, Any] = response.json()["error"]
    assert error["code"] == code, error
    assert error["message"]["zh"] and error["message"]["en"], error
    assert any("\u4e00" <= c <= "\u9fff" for c in error["message"]["zh"]), error
    return error


def field_refusal(response: httpx.Response, field: str, code: str) -> dict[str, Any]:
    """A 422 naming ``field`` with ``code`` and messages in both languages; that field's
    error."""
    error = refusal(response, 422, "VALIDATION_FAILED")
    found = [f for f in error["fields"] if f["field"] == field]
    assert [f["code"] for f in found] == [code], error["fields"]
    assert found[0]["message"]["zh"] and found[0]["message"]["en"], found
    return dict(found[0])


def state(r: Running) -> SchedulingState:
    """The scheduling service's state in this process."""
    return cast(SchedulingState, r.hosts["scheduling"].app.state.service)


async def wait_known(r: Running, *party_ids: str) -> None:
    """Until the scheduling service has stored every party the tests announced."""
    parties = state(r).repos.parties

    async def all_known() -> bool:
        return len(await parties.get_many(list(party_ids))) == len(party_ids)

    await eventually(all_known, what="parties known")


async def scheduling_events(r: Running) -> list[dict[str, Any]]:
    """Every event scheduling has published on the embedded bus, oldest first."""
    assert isinstance(r.bus, EmbeddedBus)
    return [json.loads(raw) for raw in await r.bus.read_topic(SCHEDULING_TOPIC)]


def of_type(events: list[dict[str, Any]], name: str) -> list[dict[str, Any]]:
    return [e for e in events if e["type"] == f"boyin.scheduling.{name}"]


async def draft_ready(api: httpx.AsyncClient, edition_id: str, timeout: float = 60.0) -> None:
    async def drafted() -> bool:
        s = ok(await api.get(f"/editions/{edition_id}/schedule"))
        assert s["job"] != "FAILED", f"the solve failed: {s['job_error']}"
        return bool(s["job"] == "IDLE" and s["draft"] is not None)

    await eventually(drafted, timeout=timeout, what="draft")


async def solve_and_publish(
    api: httpx.AsyncClient, edition_id: str, time_limit_s: float = 0.0
) -> dict[str, Any]:
    """Solve, publish, and wait until every meeting has caught up; the schedule."""
    ok(
        await api.post(
            f"/editions/{edition_id}/schedule/solve",
            json={"time_limit_s": time_limit_s, "lp_bound": False},
        ),
        202,
    )
    await draft_ready(api, edition_id)
    ok(await api.post(f"/editions/{edition_id}/schedule/publish"))
    return await settled(api, edition_id)


async def settled(
    api: httpx.AsyncClient, edition_id: str, version: int | None = None
) -> dict[str, Any]:
    """The schedule once its catch-up list is empty (and, if given, at ``version``)."""
    seen: dict[str, Any] = {}

    async def done() -> bool:
        seen.update(ok(await api.get(f"/editions/{edition_id}/schedule")))
        return seen["pending"] == 0 and (version is None or seen["version"] == version)

    await eventually(done, timeout=30, what=f"schedule of {edition_id} settled")
    return seen


async def meetings_of(api: httpx.AsyncClient, edition_id: str) -> dict[str, dict[str, Any]]:
    """Every meeting of the edition by id (as staff)."""
    out: dict[str, dict[str, Any]] = {}
    after: str | None = None
    while True:
        params: dict[str, Any] = {"limit": 500}
        if after:
            params["after"] = after
        page = ok(await api.get(f"/editions/{edition_id}/meetings", params=params))
        out |= {m["id"]: m for m in page}
        if len(page) < 500:
            return out
        after = page[-1]["id"]


def places(meetings: dict[str, dict[str, Any]]) -> dict[str, tuple[str, int | None]]:
    """Placed meetings: (slot id, table) by meeting id (a cancelled meeting keeps the place
    it had, for the calendars, but holds no slot)."""
    return {
        mid: (m["place"]["slot_id"], m["place"]["table"])
        for mid, m in meetings.items()
        if m["place"] is not None and m["status"] == "ACCEPTED"
    }


async def outbox_drained(r: Running) -> None:
    """Until every event scheduling has written is on the bus (no outbox left pending)."""
    repos = state(r).repos
    collections = [
        repos.editions.collection,
        repos.sessions.collection,
        repos.attendances.collection,
        repos.meetings.collection,
        repos.schedules.collection,
    ]

    async def empty() -> bool:
        for c in collections:
            if await c.find({"_pending": True}, limit=1):
                return False
        return True

    await eventually(empty, what="outbox drained")


def events_by_meeting(events: list[dict[str, Any]], name: str) -> dict[str, int]:
    """How many ``meeting.<name>`` events each meeting has, counting an event id once."""
    seen: dict[str, str] = {}
    for e in of_type(events, f"meeting.{name}"):
        seen[e["id"]] = e["subject"]
    counts: dict[str, int] = {}
    for subject in seen.values():
        counts[subject] = counts.get(subject, 0) + 1
    return counts


@dataclass
class OpenFair:
    """An open edition (``fair_body``) and four parties the service knows: two talents in
    Chongqing, one in Berlin, one organisation."""

    r: Running
    api: httpx.AsyncClient
    edition_id: str
    t1: str
    t2: str
    abroad: str
    org: str


@asynccontextmanager
async def open_fair(tmp_path: Path) -> AsyncIterator[OpenFair]:
    async with running([scheduling], tmp_path) as r:
        api = r.client("scheduling")
        eid = ok(await api.post("/editions", json=fair_body()), 201)["id"]
        ok(await api.post(f"/editions/{eid}/open"))
        t1 = await announce_talent(r, "李伟")
        t2 = await announce_talent(r, "王芳")
        abroad = await announce_talent(r, "Anna Berg", country="DE", timezone="Europe/Berlin")
        org = await announce_organisation(r, "重庆某研究院")
        await wait_known(r, t1, t2, abroad, org)
        yield OpenFair(r, api, eid, t1, t2, abroad, org)
