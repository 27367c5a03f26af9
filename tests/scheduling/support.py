"""Helpers of the scheduling service's tests: an edition body, parties made known the way
the registry announces them, waiting for the background work."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from datetime import date, timedelta
from typing import Any

import httpx

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
from tests.apps import Running, as_actor

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
    r: Running, talent_id: str, organisation_id: str, score: float = 0.8
) -> str:
    match_id = new_id("m_")
    data = MutualMatch(
        match_id=match_id,
        first=MatchParty(party_kind="talent", party_id=talent_id, demand_id=new_id("d_")),
        second=MatchParty(
            party_kind="organisation", party_id=organisation_id, demand_id=new_id("d_")
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
