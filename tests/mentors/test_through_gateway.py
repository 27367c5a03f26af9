"""Mentors through the gateway on the real servers: the whole platform in one process on
the Kafka broker and FerretDB, driven through GraphQL only. Mentors apply with the
registry's codes and are approved; a talent's submitted project is routed to two of
them; they see it blind in their queue and score it on the rubric form; the talent sees
the aggregate beside the demand (not the reviews); an operator's routing board shows it
aggregated; the talent books a consultation in the edition's grid, online, each side
shown the time in their own zone; the mentor's guidance note reaches the team."""

from __future__ import annotations

import asyncio
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from argon2 import PasswordHasher
from pymongo import AsyncMongoClient

from boyin_gateway.accounts import passwords
from tests.gateway.support import (
    CREATE_DEMAND,
    PROBLEM,
    REGISTER_TALENT,
    admin_token,
    cooperation_content,
    refresh,
    sign_up,
    staff_token,
    talent_input,
)
from tests.platform_harness import graphql, on_real_servers, platform_server
from tests.processes import Environment, poll

pytestmark = [pytest.mark.infra, pytest.mark.slow]

EXPERTS = {
    "battery": "battery management systems and cell chemistry for electric vehicles",
    "cells": "lithium-ion cells, battery packs and their thermal safety",
    "food": "fermentation and food seasoning processes",
}
FIRST_DAY = date.today() + timedelta(days=21)

APPLY = f"""
mutation($input: MentorProfileInput!) {{
  applyAsMentor(input: $input) {{ __typename ... on MentorRecord {{ id status }} {PROBLEM} }}
}}"""
APPROVE = f"""
mutation($id: ID!) {{ approveMentor(id: $id) {{ __typename ... on Mentor {{ status }} {PROBLEM} }} }}"""
QUEUE = "{ mentorQueue { screeningId demand { demandId title { en } } assignment { state } } }"
SUBMIT = f"""
mutation($id: ID!, $scores: [RubricScoreInput!]!) {{
  submitScreeningReview(screeningId: $id, scores: $scores) {{
    __typename ... on ScreeningTask {{ ownReview {{ total }} otherReviews {{ total }} }} {PROBLEM}
  }}
}}"""
SCORES = [
    {"criterion": c, "score": 4, "comment": "sound"}
    for c in ("NOVELTY_MATURITY", "MARKET_POTENTIAL", "TEAM", "CLUSTER_FIT", "READINESS_TO_LAND")
]
SCREENING = "query($id: ID!) { demand(id: $id) { screening { reviews totalMean score } } }"
BOARD = "{ screeningBoard { __typename ... on ScreeningConnection { nodes { id status } } } }"
CREATE_EDITION = f"""
mutation($input: FairEditionInput!) {{
  createEdition(input: $input) {{ __typename ... on FairEdition {{ id slots {{ id start }} }} {PROBLEM} }}
}}"""
OPEN_EDITION = f"""
mutation($id: ID!) {{ openEdition(id: $id) {{ __typename ... on FairEdition {{ id }} {PROBLEM} }} }}"""
BOOK = f"""
mutation($mentor: ID!, $edition: ID!, $slot: ID!) {{
  bookConsultation(mentorId: $mentor, editionId: $edition, slotId: $slot, mode: ONLINE,
                   topic: "landing in Chongqing") {{
    __typename
    ... on Consultation {{ id start mentorTimezone mentorStart talentTimezone talentStart onlineLink }}
    {PROBLEM}
  }}
}}"""
NOTE = f"""
mutation($id: ID!) {{ addGuidanceNote(id: $id, text: "Meet the Liangjiang pilot base.") {{
  __typename ... on Consultation {{ notes {{ text }} }} {PROBLEM} }} }}"""


AGENDA = """
query($edition: ID!) { myAgenda(editionId: $edition) {
  ... on Agenda { items { kind id start state mentorId url } } } }"""
MOVE = f"""
mutation($id: ID!, $slot: ID!) {{ moveConsultation(id: $id, slotId: $slot) {{
  __typename ... on Consultation {{ slotId }} {PROBLEM} }} }}"""
CANCEL = f"""
mutation($id: ID!, $reason: String!) {{ cancelConsultation(id: $id, reason: $reason) {{
  __typename ... on Consultation {{ status cancelledBy }} {PROBLEM} }} }}"""


def profile(text: str) -> dict[str, Any]:
    return {
        "name": f"Dr. {text.split()[0].title()}",
        "expertiseCodes": ["C33-L1"],
        "expertise": {"en": text},
        "languages": ["en", "zh"],
        "country": "DE",
        "timezone": "Europe/Berlin",
        # 02:00–05:00 in Berlin = 09:00–12:00 in Chongqing
        "availability": [{"weekday": FIRST_DAY.weekday(), "start": "02:00", "end": "05:00"}],
        "onlineLink": "https://meet.example.org/" + text.split()[0],
    }


async def test_mentors_through_the_gateway_on_kafka_and_ferretdb(
    environment: Environment,
    mongo: AsyncMongoClient,  # type: ignore[type-arg]  # drops the test's databases
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(passwords, "_HASHER", PasswordHasher(time_cost=1, memory_cost=1024))
    overrides = on_real_servers(
        environment.kafka_bootstrap, environment.mongo_url, environment.namespace
    )
    async with platform_server(tmp_path, **overrides) as url:
        admin = await admin_token(url)
        mentors: dict[str, tuple[str, str]] = {}  # name → (mentor id, token)
        for name, text in EXPERTS.items():
            token = await staff_token(url, f"{name}@mentors.example", "MENTOR")
            applied = (await graphql(url, APPLY, token, input=profile(text)))["applyAsMentor"]
            assert applied["__typename"] == "MentorRecord", applied
            approved = (await graphql(url, APPROVE, admin, id=applied["id"]))["approveMentor"]
            assert approved["status"] == "APPROVED", approved
            mentors[name] = (applied["id"], token)

        # a talent signs up, registers and submits a battery project
        session = (await sign_up(url, "li.wei@uni-example.de", "TALENT"))["session"]
        registered = await graphql(
            url,
            REGISTER_TALENT,
            session["accessToken"],
            input=talent_input("li.wei@uni-example.de"),
        )
        party = registered["registerTalent"]["id"]
        talent = (await refresh(url, session["refreshToken"]))["accessToken"]
        content = cooperation_content(
            titleEn="Battery management chip for electric cars",
            descriptionEn="A battery management system that balances cells and predicts "
            "the health of electric vehicle batteries.",
            taxonomyCodes=["C33-L1"],
            keywords=["battery"],
        )
        created = await graphql(
            url, CREATE_DEMAND, talent, ownerId=party, content=content, submit=True
        )
        demand = created["createDemand"]
        assert demand["__typename"] == "Demand", demand

        async def queued() -> dict[str, Any] | None:
            found = {
                n: (await graphql(url, QUEUE, t))["mentorQueue"] for n, (_, t) in mentors.items()
            }
            return found if sum(len(q) for q in found.values()) == 2 else None

        queues = await poll("two mentors given the project", queued, timeout=180)
        assert queues["food"] == [], queues
        for name in ("battery", "cells"):
            [task] = queues[name]
            assert task["demand"]["demandId"] == demand["id"]
            assert task["assignment"]["state"] == "OPEN"
            submitted = (
                await graphql(url, SUBMIT, mentors[name][1], id=task["screeningId"], scores=SCORES)
            )["submitScreeningReview"]
            assert submitted["__typename"] == "ScreeningTask", submitted
            assert submitted["ownReview"]["total"] == 20

        async def aggregated() -> dict[str, Any] | None:
            found = (await graphql(url, SCREENING, talent, id=demand["id"]))["demand"]
            return found["screening"] if found and found["screening"] else None

        result = await poll("the aggregate beside the demand", aggregated)
        assert result == {"reviews": 2, "totalMean": 20.0, "score": 80}
        board = (await graphql(url, BOARD, admin))["screeningBoard"]["nodes"]
        assert [n["status"] for n in board] == ["AGGREGATED"]

        # a consultation in the edition's grid, online (the talent is abroad)
        edition_input = {
            "name": {"zh": "离岸创新创业项目洽谈会", "en": "Offshore Innovation Fair"},
            "firstDay": FIRST_DAY.isoformat(),
            "lastDay": FIRST_DAY.isoformat(),
            "days": [{"day": FIRST_DAY.isoformat(), "start": "09:00", "end": "17:00"}],
        }
        edition = (await graphql(url, CREATE_EDITION, admin, input=edition_input))["createEdition"]
        assert edition["__typename"] == "FairEdition", edition
        opened = (await graphql(url, OPEN_EDITION, admin, id=edition["id"]))["openEdition"]
        assert opened["__typename"] == "FairEdition", opened
        slot = edition["slots"][2]  # 10:00 in Chongqing

        async def booked() -> dict[str, Any] | None:
            made = (
                await graphql(
                    url,
                    BOOK,
                    talent,
                    mentor=mentors["battery"][0],
                    edition=edition["id"],
                    slot=slot["id"],
                )
            )["bookConsultation"]
            if made.get("code") == "NOT_A_PARTICIPANT" or any(
                f["code"] == "NOT_A_PARTICIPANT" for f in made.get("fields", [])
            ):
                await asyncio.sleep(0.2)  # scheduling hears of the talent by the registry's event
                return None
            return dict(made)

        made = await poll("the consultation booked", booked)
        assert made["__typename"] == "Consultation", made
        assert (made["talentTimezone"], made["mentorTimezone"]) == (
            "Europe/Berlin",
            "Europe/Berlin",
        )
        assert datetime.fromisoformat(made["talentStart"]).hour == 3  # 10:00 in Chongqing
        assert made["onlineLink"] == "https://meet.example.org/battery"

        noted = (await graphql(url, NOTE, mentors["battery"][1], id=made["id"]))["addGuidanceNote"]
        assert noted["notes"] == [{"text": "Meet the Liangjiang pilot base."}]
        mine = (await graphql(url, "{ myConsultations { id notes { text } } }", talent))[
            "myConsultations"
        ]
        assert mine == [{"id": made["id"], "notes": noted["notes"]}]

        # scheduling lists it in the talent's agenda; the talent moves it a slot later,
        # the mentor cancels it, each in GraphQL (the agenda follows by the events)
        async def agenda_item(expected: tuple[str, str]) -> dict[str, Any] | None:
            answer = (await graphql(url, AGENDA, talent, edition=edition["id"]))["myAgenda"]
            items = [i for i in answer.get("items", []) if i["kind"] == "CONSULTATION"]
            found = items[0] if items else None
            return found if found and (found["id"], found["state"]) == expected else None

        item = await poll("the agenda lists it", lambda: agenda_item((made["id"], "CONFIRMED")))
        assert (item["mentorId"], item["url"]) == (
            mentors["battery"][0],
            "https://meet.example.org/battery",
        )
        later = edition["slots"][3]
        moved = (await graphql(url, MOVE, talent, id=made["id"], slot=later["id"]))[
            "moveConsultation"
        ]
        assert (moved["__typename"], moved["slotId"]) == ("Consultation", later["id"]), moved

        async def agenda_moved() -> dict[str, Any] | None:
            found = await agenda_item((made["id"], "CONFIRMED"))
            same = found and datetime.fromisoformat(found["start"]) == datetime.fromisoformat(
                later["start"]
            )
            return found if same else None

        await poll("the agenda moves it", agenda_moved)
        no_reason = (await graphql(url, CANCEL, mentors["battery"][1], id=made["id"], reason=""))[
            "cancelConsultation"
        ]
        assert [(f["field"], f["code"]) for f in no_reason["fields"]] == [("reason", "REQUIRED")]
        cancelled = (
            await graphql(url, CANCEL, mentors["battery"][1], id=made["id"], reason="called away")
        )["cancelConsultation"]
        assert (cancelled["status"], cancelled["cancelledBy"]) == ("CANCELLED", "MENTOR")
        await poll("the agenda cancels it", lambda: agenda_item((made["id"], "CANCELLED")))
