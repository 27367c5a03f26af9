"""Every error code the scheduling service answers with is UPPER_SNAKE (issue #15): the
refusal's code and each field error's code, from the plain domains, the solver's input
checks and the HTTP API."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from dataclasses import replace
from datetime import time
from pathlib import Path
from typing import Any

import httpx
import pytest

from boyin_scheduling.editions.domain import EditionPlan, FairDay, Room, TableSpec, check_plan
from boyin_scheduling.rules import Text
from boyin_scheduling.solver.model import Instance, Mode
from boyin_scheduling.solver.problem import build_problem
from boyin_shared.errors import BoyinError
from tests.scheduling.solver_support import grid, org, request, talent
from tests.scheduling.support import FAIR_FIRST, FAIR_LAST, at, fair_body, headers, open_fair
from tests.scheduling.support import OpenFair as Fair
from tests.scheduling.support import talent as talent_claims

UPPER_SNAKE = re.compile(r"^[A-Z][A-Z0-9]*(_[A-Z0-9]+)*$")


def codes_of(error: BoyinError) -> list[str]:
    return [error.code, *(f.code for f in error.fields)]


def assert_upper_snake(codes: list[str]) -> None:
    bad = [c for c in codes if not UPPER_SNAKE.match(c)]
    assert not bad, f"codes not in UPPER_SNAKE: {bad}"


def test_an_edition_plans_field_codes_are_upper_snake() -> None:
    bad = EditionPlan(
        name=Text(),
        timezone="Mars/Olympus",
        first_day=FAIR_LAST,
        last_day=FAIR_FIRST,
        slot_minutes=45,
        days=(FairDay(FAIR_FIRST, time(17), time(9)),),
        rooms=(Room("r", Text("r")), Room("r", Text("r"))),
        tables=(TableSpec(0, "hall-z"), TableSpec(0)),
    )
    with pytest.raises(BoyinError) as caught:
        check_plan(bad)
    assert len(caught.value.fields) >= 5
    assert_upper_snake(codes_of(caught.value))


def test_the_solvers_input_codes_are_upper_snake() -> None:
    inst = Instance(
        grid(n_slots=4, n_tables=2),
        (talent("t1"), talent("t2", online_only=True, timezone="Mars/Olympus"), org("o1")),
        (
            request("r1", "t1", "nobody"),
            request("r2", "t2", "o1"),
            request("r3", "o1", "o1"),
            request("r3", "t1", "o1", weight=-1, mode=Mode.ON_SITE),
        ),
    )
    with pytest.raises(BoyinError) as caught:
        build_problem(replace(inst))
    assert len(caught.value.fields) >= 5
    assert_upper_snake(codes_of(caught.value))


@pytest.fixture
async def fair(tmp_path: Path) -> AsyncIterator[Fair]:
    async with open_fair(tmp_path) as f:
        yield f


def answer_codes(response: httpx.Response) -> list[str]:
    assert response.status_code >= 400, response.text
    error: dict[str, Any] = response.json()["error"]
    return [error["code"], *(f["code"] for f in error.get("fields") or [])]


async def test_every_code_the_api_answers_a_bad_input_with_is_upper_snake(fair: Fair) -> None:
    api, ed = fair.api, fair.edition_id
    session = {
        "kind": "ROADSHOW",
        "title": {},
        "start": at(FAIR_FIRST, "10:00"),
        "end": at(FAIR_FIRST, "09:00"),
        "room": "hall-z",
        "capacity": 0,
        "waitlist_limit": -1,
        "presenters": [{"party_id": "tal_nobody"}, {"party_id": "tal_nobody"}],
    }
    me = headers(talent_claims(fair.t1))
    availability = {
        "mode": "ON_SITE",
        "timezone": "Mars/Olympus",
        "arrival": "2030-12-10T09:00:00+08:00",
        "departure": at(FAIR_FIRST, "08:00"),
        "blocked": [{"start": at(FAIR_FIRST, "15:00"), "end": at(FAIR_FIRST, "14:00")}],
        "representatives": 2,
        "min_meetings": 40,
    }
    responses = [
        await api.post(
            "/editions",
            json=fair_body(
                slot_minutes=45,
                timezone="Mars/Olympus",
                tables=[{"number": 4, "room": "hall-z"}, {"number": 4}],
            ),
        ),
        await api.post(f"/editions/{ed}/sessions", json=session),
        await api.put(f"/editions/{ed}/attendance", json=availability, headers=me),
        await api.post(f"/editions/{ed}/meetings", json={"invitee_id": fair.t1}, headers=me),
        await api.post(f"/editions/{ed}/meetings", json={"invitee_id": "org_x"}, headers=me),
        await api.post(
            f"/editions/{ed}/meetings",
            json={"invitee_id": fair.abroad, "mode": "ON_SITE"},
            headers=headers(talent_claims(fair.t1)),
        ),
    ]
    codes = [c for r in responses for c in answer_codes(r)]
    assert len(codes) >= 15, codes
    assert_upper_snake(codes)
