"""The mentors service with the registry, matching and scheduling, each its own process on
the real Kafka broker and FerretDB (the shared servers, this test's own topics and
databases):

* mentors apply with the registry's taxonomy codes (learned through its HTTP API) and are
  approved;
* a project-cooperation demand submitted at the registry reaches mentors by the
  registry's event and is routed to two of them, ranked through matching's
  ``/relevance``;
* both score it; the aggregate is published and consumed: the registry shows it beside
  the demand (``Demand.screening``), matching keeps each mentor's score as its screening
  signal;
* a talent books a consultation in a slot of scheduling's grid, checked against their
  agenda there, and scheduling keeps it as time the talent is taken;
* every event is on the broker the number of times expected: none lost, none repeated.
"""

from __future__ import annotations

import asyncio
import json
from collections import Counter
from typing import Any

import httpx
import pytest
from pymongo import AsyncMongoClient

from boyin_platform.processes import ManagedProcess
from boyin_shared.identity import Actor, Role
from tests.apps import OPERATOR, as_actor
from tests.mentors.screening_support import review_body
from tests.mentors.support import profile_body
from tests.processes import Environment, poll, topic_now
from tests.registry.support import demand_body, talent_body, talent_member
from tests.scheduling.support import FIRST_DAY, edition_body

pytestmark = [pytest.mark.infra, pytest.mark.slow]

SERVICES = ("registry", "matching", "scheduling", "mentors")
MENTORS = {
    "acc_battery": "battery management systems and cell chemistry for electric vehicles",
    "acc_cells": "lithium-ion cells, battery packs and their thermal safety",
    "acc_food": "fermentation and food seasoning processes",
}
#: what the mentors service publishes in this story, each exactly once
EXPECTED = {
    "boyin.mentors.mentor.registered": 3,
    "boyin.mentors.mentor.approved": 3,
    "boyin.mentors.assignment.created": 2,
    "boyin.mentors.screening.submitted": 2,
    "boyin.mentors.screening.aggregated": 1,
    "boyin.mentors.project.screened": 2,
    "boyin.mentors.consultation.booked": 1,
}


async def start_all(env: Environment, processes: list[ManagedProcess]) -> dict[str, str]:
    """The four services, each told where the others are."""
    started = {name: env.process(name) for name in SERVICES}
    urls = {name: p.url for name, p in started.items()}
    processes.extend(started.values())
    extra = {"BOYIN_SERVICE_URLS": json.dumps(urls)}
    await asyncio.gather(*(p.start(extra_env=extra) for p in started.values()))
    return urls


def ok(response: httpx.Response, status: int = 200) -> Any:
    assert response.status_code == status, response.text
    return response.json()


async def test_screening_and_a_consultation_on_the_real_servers(
    environment: Environment, processes: list[ManagedProcess], mongo: AsyncMongoClient[Any]
) -> None:
    urls = await start_all(environment, processes)
    async with httpx.AsyncClient(headers=as_actor(OPERATOR), timeout=60) as http:
        # mentors recruited, their codes checked against the registry's taxonomy
        hours = [{"weekday": FIRST_DAY.weekday(), "start": "09:00", "end": "12:00"}]
        for account, text in MENTORS.items():
            body = profile_body(
                expertise={"en": text}, timezone="Asia/Shanghai", availability=hours
            )
            who = as_actor(Actor(account, Role.MENTOR))
            m = ok(await http.post(f"{urls['mentors']}/mentors/apply", json=body, headers=who), 201)
            ok(await http.post(f"{urls['mentors']}/mentors/{m['id']}/approve"))

        # a project submitted at the registry
        talent = ok(await http.post(f"{urls['registry']}/talents", json=talent_body()), 201)
        owner = as_actor(talent_member(talent["id"]))
        project = demand_body("PROJECT_COOPERATION", talent["id"]) | {
            "title_zh": None,
            "title_en": "Battery management chip for electric cars",
            "description_zh": None,
            "description_en": "We design a battery management system that balances cells "
            "and predicts the health of electric vehicle batteries.",
            "taxonomy_codes": ["C33-L1"],
            "keywords": ["battery"],
            "submit": True,
        }
        demand = ok(
            await http.post(f"{urls['registry']}/demands", json=project, headers=owner), 201
        )
        board = f"{urls['mentors']}/screenings/scr_{demand['id']}"

        async def routed() -> Any:
            found = await http.get(board)
            return found.json() if found.status_code == 200 else None

        screening = await poll("the screening routed", routed, timeout=120)
        assigned = sorted(a["mentor_id"] for a in screening["assignments"])
        assert len(assigned) == 2 and "men_acc_food" not in assigned, screening
        assert screening["ranked_by"] == "MATCHING"

        for mentor_id in assigned:
            reviewer = as_actor(Actor(mentor_id.removeprefix("men_"), Role.MENTOR))
            path = f"{urls['mentors']}/queue/{screening['id']}/review"
            ok(await http.post(path, json=review_body(4), headers=reviewer))

        # the registry shows the aggregate beside the demand ...
        async def beside() -> Any:
            found = await http.get(
                f"{urls['registry']}/demands/{demand['id']}/screening", headers=owner
            )
            return found.json() if found.status_code == 200 else None

        result = await poll("Demand.screening at the registry", beside)
        assert (result["reviews"], result["total_mean"], result["score"]) == (2, 20.0, 80)

        # ... and matching keeps each mentor's score as its screening signal
        signals = mongo[f"{environment.namespace}matching"]["demand_screening"]

        async def signalled() -> Any:
            doc = await signals.find_one({"_id": demand["id"]})
            return doc if doc and len(doc.get("mentors", {})) == 2 else None

        doc = await poll("matching's screening signal", signalled)
        assert sorted(doc["mentors"]) == assigned

        # a consultation in scheduling's grid, checked against the talent's agenda there
        sched = urls["scheduling"]
        edition = ok(await http.post(f"{sched}/editions", json=edition_body()), 201)

        async def known() -> bool:
            seen = await http.get(
                f"{sched}/editions/{edition['id']}/attendance",
                params={"party_id": talent["id"]},
            )
            return seen.status_code == 200

        await poll("the talent known to scheduling", known)
        ok(await http.post(f"{sched}/editions/{edition['id']}/open"))
        slot = ok(await http.get(f"{sched}/editions/{edition['id']}/slots"))[1]
        booking = {"edition_id": edition["id"], "slot_id": slot["id"], "mode": "ONLINE"}
        path = f"{urls['mentors']}/mentors/{assigned[0]}/consultations"
        made = ok(await http.post(path, json=booking, headers=owner), 201)
        assert (made["start"], made["talent_timezone"]) == (slot["start"], "Europe/Berlin")
        again = (await http.post(path, json=booking, headers=owner)).json()["error"]
        assert [(f["field"], f["code"]) for f in again["fields"]] == [("slot_id", "TALENT_BUSY")]
        assert [c["id"] for c in ok(await http.get(f"{urls['mentors']}/consultations"))] == [
            made["id"]
        ]

        # scheduling keeps it as time the talent is taken (its planner places no meeting)
        kept = mongo[f"{environment.namespace}scheduling"]["consultations"]

        async def told() -> Any:
            return await kept.find_one({"_id": made["id"]})

        assert (await poll("scheduling told of the consultation", told))["party_id"] == talent["id"]

    # every event on the broker as often as it happened
    async def all_there() -> Counter[str] | None:
        seen = Counter(e["type"] for e in await topic_now(environment, "boyin.mentors.events"))
        return seen if all(seen[t] >= n for t, n in EXPECTED.items()) else None

    await poll("the mentors' events on Kafka", all_there)
    await asyncio.sleep(2)  # a repeat would come with the outbox's next sweep
    events = await topic_now(environment, "boyin.mentors.events")
    assert Counter(e["type"] for e in events) == Counter(EXPECTED)
    assert len({e["id"] for e in events}) == len(events)
    submitted = [
        e
        for e in await topic_now(environment, "boyin.registry.events")
        if e["type"] == "boyin.registry.demand.submitted"
    ]
    assert [e["subject"] for e in submitted] == [demand["id"]]
