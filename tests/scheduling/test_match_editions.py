"""Which edition a mutual match meets in: the one its demands name (registry edition codes,
carried on the match event), else the open edition that ends first; edition codes are one
per edition and well formed."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from boyin_scheduling.app import definition as scheduling
from boyin_scheduling.editions.domain import Edition, EditionPlan, FairDay, for_match
from boyin_scheduling.meetings.domain import meeting_of_match
from boyin_scheduling.meetings.service import named_editions
from boyin_scheduling.rules import Text
from boyin_shared.api.scheduling import EditionStatus
from tests.apps import running
from tests.scheduling.support import (
    FAIR_FIRST,
    announce_mutual_match,
    announce_organisation,
    announce_talent,
    eventually,
    fair_body,
    field_refusal,
    ok,
    wait_known,
)

NOW = datetime(2030, 1, 1, 12, 0).astimezone()


def edition(eid: str, status: EditionStatus, last_day: date, code: str | None) -> Edition:
    day = FairDay(last_day, datetime(2030, 1, 1, 9).time(), datetime(2030, 1, 1, 17).time())
    plan = EditionPlan(
        name=Text("展会", "Fair"),
        timezone="Asia/Shanghai",
        first_day=last_day,
        last_day=last_day,
        slot_minutes=30,
        days=(day,),
        code=code,
    )
    return Edition(id=eid, plan=plan, status=status)


SOON = date(2030, 3, 1)
LATER = date(2030, 9, 1)
EDITIONS = [
    edition("ed_soon", EditionStatus.OPEN, SOON, None),
    edition("ed_named", EditionStatus.OPEN, LATER, "CQ2030"),
    edition("ed_draft", EditionStatus.DRAFT, LATER, "CQ2031"),
    edition("ed_past", EditionStatus.OPEN, date(2029, 6, 1), "CQ2029"),
    edition("ed_closed", EditionStatus.CLOSED, LATER, "CQ2028"),
]


def chosen(codes: list[str]) -> str | None:
    found = for_match(EDITIONS, codes, NOW)
    return found.id if found else None


def test_the_named_open_edition_wins_over_the_one_that_ends_first() -> None:
    assert chosen(["CQ2030"]) == "ed_named"
    assert chosen(["CQ2099", "CQ2030"]) == "ed_named"


def test_a_named_edition_not_open_yet_is_waited_for() -> None:
    assert chosen(["CQ2031", "CQ2030"]) is None


def test_the_fallback_is_the_open_edition_that_ends_first() -> None:
    assert chosen([]) == "ed_soon"
    assert chosen(["CQ2099"]) == "ed_soon"  # a code no edition carries
    assert chosen(["CQ2029"]) == "ed_soon"  # a named edition that is over
    assert chosen(["CQ2028"]) == "ed_soon"  # a named edition that is closed
    assert for_match(EDITIONS[3:], [], NOW) is None  # nothing open and not over: wait


def test_the_editions_both_demands_name_come_first() -> None:
    match: dict[str, Any] = {
        "first": {"editions": ["CQ2031", "CQ2030"]},
        "second": {"editions": ["CQ2032", "CQ2030"]},
    }
    assert named_editions(match) == ["CQ2030", "CQ2032", "CQ2031"]
    assert named_editions({"first": {}, "second": {}}) == []  # events from before editions


async def test_a_match_meets_in_the_edition_its_demands_name(tmp_path: Path) -> None:
    async with running([scheduling], tmp_path) as r:
        api = r.client("scheduling")
        last = FAIR_FIRST + timedelta(days=30)
        longer = fair_body(code="CQ2030", last_day=last.isoformat())
        named = ok(await api.post("/editions", json=longer), 201)["id"]
        first_to_end = ok(await api.post("/editions", json=fair_body()), 201)["id"]
        for eid in (named, first_to_end):
            ok(await api.post(f"/editions/{eid}/open"))
        t = await announce_talent(r, "李伟")
        o = await announce_organisation(r, "重庆某研究院")
        await wait_known(r, t, o)
        to_named = meeting_of_match(await announce_mutual_match(r, t, o, editions=("CQ2030",)))
        fallback = meeting_of_match(await announce_mutual_match(r, t, o, editions=("CQ1999",)))

        async def both() -> bool:
            codes = [(await api.get(f"/meetings/{m}")).status_code for m in (to_named, fallback)]
            return codes == [200, 200]

        await eventually(both, what="the meetings of both matches")
        assert ok(await api.get(f"/meetings/{to_named}"))["edition_id"] == named
        assert ok(await api.get(f"/meetings/{fallback}"))["edition_id"] == first_to_end


async def test_edition_codes_are_well_formed_and_one_per_edition(tmp_path: Path) -> None:
    async with running([scheduling], tmp_path) as r:
        api = r.client("scheduling")
        field_refusal(
            await api.post("/editions", json=fair_body(code="cq 2030")), "code", "BAD_EDITION_CODE"
        )
        eid = ok(await api.post("/editions", json=fair_body(code="CQ2030")), 201)["id"]
        assert ok(await api.get(f"/editions/{eid}"))["code"] == "CQ2030"
        field_refusal(
            await api.post("/editions", json=fair_body(code="CQ2030")), "code", "EDITION_CODE_TAKEN"
        )
        other = ok(await api.post("/editions", json=fair_body()), 201)["id"]
        taken = await api.put(f"/editions/{other}", json=fair_body(code="CQ2030"))
        field_refusal(taken, "code", "EDITION_CODE_TAKEN")
        ok(await api.put(f"/editions/{eid}", json=fair_body(code="CQ2030")))  # its own code
