"""Demands through HTTP: the four channels, review, events, listing, visibility and identity."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import httpx
import jwt
import pytest

from boyin_registry.app import definition
from boyin_registry.demands.service import DemandCommands
from boyin_shared import identity
from boyin_shared.clock import utcnow
from boyin_shared.contracts.registry import (
    DemandExpired,
    DemandPublished,
    DemandSubmitted,
    DemandUpdated,
)
from boyin_shared.events import decode
from boyin_shared.identity import Actor, Role
from tests.apps import OPERATOR, SECRET, Running, as_actor, running
from tests.registry.support import (
    CHANNELS,
    DETAILS,
    INVESTOR,
    LIANGJIANG,
    ORGANISATION_CHANNELS,
    PUBLIC,
    TALENT_CHANNELS,
    YUZHONG,
    claims_for,
    created,
    demand_body,
    demand_content_body,
    error_of,
    events_about,
    fields_of,
    officer,
    ok,
    organisation_body,
    organisation_member,
    publish_demand,
    published,
    raw_published,
    register_organisation,
    register_talent,
    talent_member,
    wait_for_event,
)

SUBMITTED = "boyin.registry.demand.submitted"
PUBLISHED = "boyin.registry.demand.published"
UPDATED = "boyin.registry.demand.updated"
EXPIRED = "boyin.registry.demand.expired"
RETURNED = "boyin.registry.demand.returned"
REJECTED = "boyin.registry.demand.rejected"
WITHDRAWN = "boyin.registry.demand.withdrawn"
ORG_REGISTERED = "boyin.registry.organisation.registered"


@dataclass
class World:
    """A running registry with two organisations in two districts and two talents."""

    r: Running
    org_a: str  # in YUZHONG
    org_b: str  # in LIANGJIANG
    talent_1: str
    talent_2: str

    @property
    def api(self) -> httpx.AsyncClient:
        return self.r.client("registry")

    @property
    def member_a(self) -> Actor:
        return organisation_member(self.org_a, "acc_org_a")

    @property
    def member_b(self) -> Actor:
        return organisation_member(self.org_b, "acc_org_b")

    @property
    def talent_member_1(self) -> Actor:
        return talent_member(self.talent_1, "acc_talent_1")

    @property
    def talent_member_2(self) -> Actor:
        return talent_member(self.talent_2, "acc_talent_2")

    def owner_of(self, channel: str) -> tuple[str, Actor]:
        if channel in TALENT_CHANNELS:
            return self.talent_1, self.talent_member_1
        return self.org_a, self.member_a

    async def create(
        self, channel: str, owner: str, actor: Actor = OPERATOR, **overrides: Any
    ) -> dict[str, Any]:
        body = demand_body(channel, owner, **overrides)
        return created(await self.api.post("/demands", json=body, headers=as_actor(actor)))

    async def get(self, demand_id: str, actor: Actor = OPERATOR) -> dict[str, Any]:
        return ok(await self.api.get(f"/demands/{demand_id}", headers=as_actor(actor)))

    async def listing(self, actor: Actor = OPERATOR, **params: Any) -> list[str]:
        page = ok(await self.api.get("/demands", params=params, headers=as_actor(actor)))
        return [d["id"] for d in page["items"]]

    async def barrier(self, serial: int) -> None:
        """Register one more organisation and wait for its event: everything before is out."""
        org = await register_organisation(self.r, serial)
        await wait_for_event(self.r, org, ORG_REGISTERED)


@pytest.fixture
async def world(tmp_path: Any) -> AsyncIterator[World]:
    async with running([definition], tmp_path) as r:
        yield World(
            r,
            org_a=await register_organisation(r, 1, YUZHONG),
            org_b=await register_organisation(r, 2, LIANGJIANG),
            talent_1=await register_talent(r, "li.wei@uni-example.de"),
            talent_2=await register_talent(r, "wang.fang@uni-example.de"),
        )


def post(w: World, path: str, actor: Actor, body: dict[str, Any] | None = None) -> Any:
    return w.api.post(path, json=body if body is not None else {}, headers=as_actor(actor))


async def demand_types(w: World, demand_id: str) -> list[str]:
    return [e["type"] for e in await events_about(w.r, demand_id)]


async def wait_for_types(w: World, demand_id: str, count: int) -> list[str]:
    """The types of the events about ``demand_id`` once there are ``count`` of them."""
    for _ in range(100):
        types = await demand_types(w, demand_id)
        if len(types) >= count:
            return types
        await asyncio.sleep(0.05)
    raise AssertionError(f"fewer than {count} events about {demand_id}: {types}")


# -- creating in the four channels ------------------------------------------------------


@pytest.mark.parametrize("channel", CHANNELS)
async def test_each_channel_is_created_by_its_kind_of_owner(world: World, channel: str) -> None:
    owner, actor = world.owner_of(channel)
    demand = await world.create(channel, owner, actor)

    assert demand["id"].startswith("dem_")
    assert demand["channel"] == channel
    assert demand["owner_id"] == owner
    assert demand["district_code"] == (YUZHONG if channel in ORGANISATION_CHANNELS else None)
    assert demand["status"] == "DRAFT"
    assert demand["details"] == DETAILS[channel]
    assert demand["title"] == {
        "zh": "新型传感器材料联合研发",
        "en": "Joint R&D of new sensor materials",
    }
    assert demand["language"] == "zh+en"
    assert demand["taxonomy_codes"] == ["C33-L3"]
    assert demand["keywords"] == ["传感器", "materials"]
    assert demand["editions"] == ["CQ2026"]
    assert [(c["criterion"], c["review"]) for c in demand["claims"]] == [
        (c["criterion"], "PENDING") for c in claims_for(channel)
    ]
    assert demand["history"] == []
    assert demand["revision"] == 1
    assert await world.get(demand["id"], actor) == demand
    assert await world.get(demand["id"]) == demand


@pytest.mark.parametrize(
    ("channel", "owner", "who", "status", "code"),
    [
        ("PROJECT_LANDING", "talent_1", "talent_member_1", 404, "NOT_FOUND"),
        ("JOB_SEEKING", "org_a", "member_a", 404, "NOT_FOUND"),
        ("PROJECT_COOPERATION", "talent_2", "talent_member_1", 403, "FORBIDDEN"),
        ("TALENT_RECRUITMENT", "org_b", "member_a", 403, "FORBIDDEN"),
        ("PROJECT_LANDING", "org_a", "investor", 403, "FORBIDDEN"),
        ("PROJECT_LANDING", "org_b", "officer_a", 403, "FORBIDDEN"),
        ("JOB_SEEKING", "talent_1", "officer_a", 403, "FORBIDDEN"),
        ("PROJECT_LANDING", "org_a", "talent_member_1", 403, "FORBIDDEN"),
    ],
    ids=[
        "talent-as-organisation",
        "organisation-as-talent",
        "talent-for-another-talent",
        "organisation-for-another",
        "investor",
        "officer-for-another-district",
        "officer-for-a-talent",
        "talent-for-an-organisation",
    ],
)
async def test_only_the_owner_staff_or_its_officer_may_create(
    world: World, channel: str, owner: str, who: str, status: int, code: str
) -> None:
    actors = {
        "talent_member_1": world.talent_member_1,
        "member_a": world.member_a,
        "investor": INVESTOR,
        "officer_a": officer(YUZHONG),
    }
    body = demand_body(channel, getattr(world, owner))
    response = await world.api.post("/demands", json=body, headers=as_actor(actors[who]))
    assert error_of(response, status)["code"] == code
    assert await world.listing() == []


async def test_an_unknown_owner_is_404_in_both_languages(world: World) -> None:
    body = demand_body("PROJECT_LANDING", "org_nobody")
    error = error_of(await world.api.post("/demands", json=body), 404)
    assert error["message"] == {
        "zh": "未找到单位：org_nobody",
        "en": "organisation not found: org_nobody",
    }
    body = demand_body("JOB_SEEKING", "tal_nobody")
    error = error_of(await world.api.post("/demands", json=body), 404)
    assert error["message"]["en"] == "talent not found: tal_nobody"


# -- review, publication and events -----------------------------------------------------


async def test_the_full_review_flow_publishes_and_announces_it_in_order(world: World) -> None:
    reviewer = officer(YUZHONG, "acc_reviewer")
    draft = await world.create("PROJECT_LANDING", world.org_a, world.member_a)
    submitted = ok(await post(world, f"/demands/{draft['id']}/submit", world.member_a))
    assert submitted["status"] == "SUBMITTED"
    started = ok(await post(world, f"/demands/{draft['id']}/start-review", reviewer))
    assert started["status"] == "UNDER_REVIEW"

    early = await post(world, f"/demands/{draft['id']}/publish", reviewer)
    assert error_of(early, 409)["code"] == "CLAIMS_NOT_REVIEWED"

    path = f"/demands/{draft['id']}/claims"
    confirmed = {"outcome": "CONFIRMED", "note": "证书已核"}
    ok(await post(world, f"{path}/KEY_PLATFORMS/review", reviewer, confirmed))
    ok(await post(world, f"{path}/COOPERATION_INTENTION/review", reviewer, {"outcome": "REJECTED"}))
    missing = await post(world, f"{path}/SUPPORT_POLICIES/review", reviewer, confirmed)
    assert error_of(missing, 404)["code"] == "NO_SUCH_CLAIM"
    done = ok(await post(world, f"/demands/{draft['id']}/publish", reviewer))

    assert done["status"] == "PUBLISHED"
    assert [(c["criterion"], c["review"], c["review_note"]) for c in done["claims"]] == [
        ("KEY_PLATFORMS", "CONFIRMED", "证书已核"),
        ("COOPERATION_INTENTION", "REJECTED", None),
    ]
    assert [(h["to"], h["by"], h["role"], h["reason"]) for h in done["history"]] == [
        ("SUBMITTED", "acc_org_a", "ORGANISATION", None),
        ("UNDER_REVIEW", "acc_reviewer", "DISTRICT_OFFICER", None),
        ("PUBLISHED", "acc_reviewer", "DISTRICT_OFFICER", None),
    ]
    assert done["revision"] == 6
    # the review's notes are for the owner and the reviewers, not for every reader (#20)
    assert await world.get(draft["id"], world.member_a) == done
    assert await world.get(draft["id"], officer(YUZHONG, "acc_other_officer")) == done
    without_notes = {
        **done,
        "claims": [{**c, "review_note": None} for c in done["claims"]],
        "history": [{**h, "reason": None} for h in done["history"]],
    }
    for reader in (PUBLIC, world.member_b, world.talent_member_1, officer(LIANGJIANG)):
        assert await world.get(draft["id"], reader) == without_notes, reader

    await wait_for_event(world.r, draft["id"], PUBLISHED)
    events = await events_about(world.r, draft["id"])
    # claim reviews are reviewers' decisions, not the owner's content: no updates for them
    # (their outcome travels in the published snapshot's claims)
    assert [(e["type"], e["sequence"]) for e in events] == [
        (SUBMITTED, 2),
        (PUBLISHED, 6),
    ]
    first, last = decode(events[0]), decode(events[-1])
    assert isinstance(first, DemandSubmitted) and isinstance(last, DemandPublished)
    assert first.data.by_role == "ORGANISATION"
    snapshot = last.data.demand
    assert last.data.by_role == "DISTRICT_OFFICER"
    assert (snapshot.demand_id, snapshot.status, snapshot.owner_kind) == (
        draft["id"],
        "PUBLISHED",
        "organisation",
    )
    assert (snapshot.owner_id, snapshot.district_code, snapshot.revision) == (
        world.org_a,
        YUZHONG,
        6,
    )
    assert [(c.criterion, c.review) for c in snapshot.claims] == [
        ("KEY_PLATFORMS", "CONFIRMED"),
        ("COOPERATION_INTENTION", "REJECTED"),
    ]
    assert snapshot.details == {
        k: v for k, v in DETAILS["PROJECT_LANDING"].items() if k != "channel"
    }

    contact = organisation_body(1)["contacts"][0]
    for raw in await raw_published(world.r):
        text = raw.decode()
        if draft["id"] not in text:
            continue
        for secret in (contact["name"], contact["phone"], contact["email"], "hr1@example-org.cn"):
            assert secret not in text
        for key in ('"contacts"', '"contact"', '"email"', '"phone"', "@"):
            assert key not in text


async def test_a_return_reason_is_read_by_the_owner_and_reviewers_only(world: World) -> None:
    owner, actor = world.talent_1, world.talent_member_1
    demand = await world.create("JOB_SEEKING", owner, actor, submit=True)
    path = f"/demands/{demand['id']}"
    ok(await post(world, f"{path}/start-review", OPERATOR))
    ok(await post(world, f"{path}/return", OPERATOR, {"reason": "内部意见：材料存疑"}))
    ok(await post(world, f"{path}/submit", actor))
    ok(await post(world, f"{path}/start-review", OPERATOR))
    for claim in demand["claims"]:
        review = {"outcome": "CONFIRMED", "note": "审核员备注"}
        ok(await post(world, f"{path}/claims/{claim['criterion']}/review", OPERATOR, review))
    ok(await post(world, f"{path}/publish", OPERATOR))

    def notes(shown: dict[str, Any]) -> list[str | None]:
        reasons = [h["reason"] for h in shown["history"] if h["reason"]]
        return reasons + [c["review_note"] for c in shown["claims"] if c["review_note"]]

    assert "内部意见：材料存疑" in notes(await world.get(demand["id"], actor))
    assert "内部意见：材料存疑" in notes(await world.get(demand["id"], OPERATOR))
    for reader in (PUBLIC, world.talent_member_2, world.member_a, INVESTOR):
        assert notes(await world.get(demand["id"], reader)) == [], reader
    listed = ok(await world.api.get("/demands", headers=as_actor(PUBLIC)))
    assert all(notes(d) == [] for d in listed["items"])


async def test_returned_edited_and_resubmitted_then_rejected(world: World) -> None:
    owner, actor = world.talent_1, world.talent_member_1
    demand = await world.create("JOB_SEEKING", owner, actor, submit=True)
    assert demand["status"] == "SUBMITTED"
    assert demand["history"][0]["by"] == "acc_talent_1"
    ok(await post(world, f"/demands/{demand['id']}/start-review", OPERATOR))
    returned = ok(
        await post(world, f"/demands/{demand['id']}/return", OPERATOR, {"reason": "请补充证明"})
    )
    assert (returned["status"], returned["history"][-1]["reason"]) == ("RETURNED", "请补充证明")

    body = demand_content_body("JOB_SEEKING", title_en="Revised")
    edited = ok(await world.api.put(f"/demands/{demand['id']}", json=body, headers=as_actor(actor)))
    assert (edited["status"], edited["title"]["en"]) == ("RETURNED", "Revised")
    ok(await post(world, f"/demands/{demand['id']}/submit", actor))
    ok(await post(world, f"/demands/{demand['id']}/start-review", OPERATOR))
    rejected = ok(
        await post(world, f"/demands/{demand['id']}/reject", OPERATOR, {"reason": "不符合条件"})
    )
    assert rejected["status"] == "REJECTED"

    again = await post(world, f"/demands/{demand['id']}/submit", actor)
    error = error_of(again, 409)
    assert error["code"] == "ILLEGAL_TRANSITION"
    assert error["message"]["en"] == "cannot submit a demand that is REJECTED"

    types = await wait_for_types(world, demand["id"], 5)
    assert types == [SUBMITTED, RETURNED, UPDATED, SUBMITTED, REJECTED]


async def test_editing_a_published_demand_takes_it_off_the_shelf_until_reviewed(
    world: World,
) -> None:
    demand = await world.create("PROJECT_LANDING", world.org_a, world.member_a, submit=True)
    await publish_demand(world.r, demand["id"])
    assert await world.listing(PUBLIC) == [demand["id"]]

    body = demand_content_body("PROJECT_LANDING", title_zh="修订后的标题")
    edited = ok(
        await world.api.put(f"/demands/{demand['id']}", json=body, headers=as_actor(world.member_a))
    )
    assert edited["status"] == "SUBMITTED"
    assert edited["history"][-1]["reason"] == "edited"
    assert [c["review"] for c in edited["claims"]] == ["CONFIRMED", "CONFIRMED"]
    assert await world.listing(PUBLIC) == []
    error = error_of(await world.api.get(f"/demands/{demand['id']}", headers=as_actor(PUBLIC)), 404)
    assert error["code"] == "NOT_FOUND"

    types = await wait_for_types(world, demand["id"], 4)
    assert types == [SUBMITTED, PUBLISHED, UPDATED, SUBMITTED]


async def test_details_of_another_channel_cannot_be_put_on_a_demand(world: World) -> None:
    demand = await world.create("PROJECT_LANDING", world.org_a, world.member_a)
    body = demand_content_body("TALENT_RECRUITMENT")
    response = await world.api.put(f"/demands/{demand['id']}", json=body)
    assert fields_of(error_of(response, 422)) == [("details", "WRONG_DETAILS")]
    assert await world.get(demand["id"]) == demand


# -- listing ------------------------------------------------------------------------------


async def test_listing_filters_and_pages(world: World) -> None:
    zh_only: dict[str, Any] = {"title_en": None, "description_en": None}
    en_only: dict[str, Any] = {"title_zh": None, "description_zh": None}
    landing = await world.create("PROJECT_LANDING", world.org_a, submit=True)
    recruit_b = await world.create(
        "TALENT_RECRUITMENT",
        world.org_b,
        submit=True,
        taxonomy_codes=["C33-L2"],
        editions=["CQ2027"],
        **zh_only,
    )
    cooperation = await world.create(
        "PROJECT_COOPERATION", world.talent_1, editions=["CQ2026", "CQ2027"], **en_only
    )
    seeking = await world.create(
        "JOB_SEEKING", world.talent_2, submit=True, taxonomy_codes=["C33-L2", "C33-L3"]
    )
    recruit_a = await world.create("TALENT_RECRUITMENT", world.org_a, **zh_only)
    await publish_demand(world.r, landing["id"])
    await publish_demand(world.r, seeking["id"])
    every = sorted(d["id"] for d in (landing, recruit_b, cooperation, seeking, recruit_a))

    async def ids(**params: Any) -> list[str]:
        return await world.listing(OPERATOR, **params)

    assert await ids() == every
    assert await ids(channel="TALENT_RECRUITMENT") == sorted([recruit_b["id"], recruit_a["id"]])
    assert await ids(channel="JOB_SEEKING") == [seeking["id"]]
    assert await ids(status="PUBLISHED") == sorted([landing["id"], seeking["id"]])
    assert await ids(status="SUBMITTED") == [recruit_b["id"]]
    assert await ids(status="DRAFT") == sorted([cooperation["id"], recruit_a["id"]])
    assert await ids(taxonomy_code="C33-L2") == sorted([recruit_b["id"], seeking["id"]])
    assert await ids(taxonomy_code="C33-L3") == sorted(
        [landing["id"], cooperation["id"], seeking["id"], recruit_a["id"]]
    )
    assert await ids(language="zh") == sorted([recruit_b["id"], recruit_a["id"]])
    assert await ids(language="en") == [cooperation["id"]]
    assert await ids(language="zh+en") == sorted([landing["id"], seeking["id"]])
    assert await ids(edition="CQ2027") == sorted([recruit_b["id"], cooperation["id"]])
    assert await ids(district_code=LIANGJIANG) == [recruit_b["id"]]
    assert await ids(district_code=YUZHONG) == sorted([landing["id"], recruit_a["id"]])
    assert await ids(owner_id=world.talent_1) == [cooperation["id"]]
    assert await ids(channel="TALENT_RECRUITMENT", district_code=YUZHONG) == [recruit_a["id"]]
    assert await ids(status="PUBLISHED", taxonomy_code="C33-L2") == [seeking["id"]]
    assert await ids(taxonomy_code="C33-N05") == []

    seen: list[str] = []
    after: str | None = None
    pages = 0
    while True:
        params: dict[str, Any] = {"limit": 2} | ({"after": after} if after else {})
        page = ok(await world.api.get("/demands", params=params))
        pages += 1
        seen += [d["id"] for d in page["items"]]
        after = page["next_after"]
        if after is None:
            break
        assert after == seen[-1]
    assert (seen, pages) == (every, 3)
    whole = ok(await world.api.get("/demands", params={"limit": 5}))
    assert whole["next_after"] == every[-1]
    rest = ok(await world.api.get("/demands", params={"after": every[-1]}))
    assert rest == {"items": [], "next_after": None}
    filtered = ok(
        await world.api.get("/demands", params={"channel": "TALENT_RECRUITMENT", "limit": 1})
    )
    assert [d["id"] for d in filtered["items"]] == sorted([recruit_b["id"], recruit_a["id"]])[:1]

    for bad in ({"channel": "TELEPORT"}, {"limit": 0}, {"limit": 201}):
        error = error_of(await world.api.get("/demands", params=bad), 422)
        assert [f for f, _ in fields_of(error)] == list(bad)


# -- visibility -------------------------------------------------------------------------


async def test_a_talent_sees_published_demands_and_its_own_drafts_only(world: World) -> None:
    mine = await world.create("PROJECT_COOPERATION", world.talent_1, world.talent_member_1)
    theirs = await world.create("JOB_SEEKING", world.talent_2, world.talent_member_2)
    submitted = await world.create("PROJECT_LANDING", world.org_a, submit=True)
    shelf = await world.create("TALENT_RECRUITMENT", world.org_b, submit=True)
    await publish_demand(world.r, shelf["id"])

    assert await world.listing(world.talent_member_1) == sorted([mine["id"], shelf["id"]])
    assert await world.listing(world.talent_member_2) == sorted([theirs["id"], shelf["id"]])
    assert await world.listing(world.talent_member_1, status="DRAFT") == [mine["id"]]
    assert await world.listing(world.talent_member_1, owner_id=world.talent_2) == []
    assert (await world.get(mine["id"], world.talent_member_1))["id"] == mine["id"]
    assert (await world.get(shelf["id"], world.talent_member_1))["status"] == "PUBLISHED"

    for hidden in (theirs, submitted):
        response = await world.api.get(
            f"/demands/{hidden['id']}", headers=as_actor(world.talent_member_1)
        )
        error = error_of(response, 404)
        # exactly what an id that does not exist gets: existence is not leaked
        assert error["message"] == {
            "zh": f"未找到需求：{hidden['id']}",
            "en": f"demand not found: {hidden['id']}",
        }
    # writing to a demand it may not see is answered like reading it: as if it did not exist
    put = await world.api.put(
        f"/demands/{theirs['id']}",
        json=demand_content_body("JOB_SEEKING", title_en="Hijacked"),
        headers=as_actor(world.talent_member_1),
    )
    withdraw = await post(world, f"/demands/{theirs['id']}/withdraw", world.talent_member_1)
    for response in (put, withdraw):
        error = error_of(response, 404)
        assert error["code"] == "NOT_FOUND"
        assert error["message"] == {
            "zh": f"未找到需求：{theirs['id']}",
            "en": f"demand not found: {theirs['id']}",
        }
    assert await world.get(theirs["id"]) == theirs
    # a published demand it sees but may not change is refused outright
    withdraw = await post(world, f"/demands/{shelf['id']}/withdraw", world.talent_member_1)
    assert error_of(withdraw, 403)["code"] == "FORBIDDEN"
    assert (await world.get(shelf["id"]))["status"] == "PUBLISHED"

    assert await world.listing(INVESTOR) == [shelf["id"]]
    assert await world.listing(world.member_a) == sorted([submitted["id"], shelf["id"]])


async def test_the_owner_may_not_review_its_own_demand(world: World) -> None:
    demand = await world.create("PROJECT_LANDING", world.org_a, world.member_a, submit=True)
    response = await post(world, f"/demands/{demand['id']}/start-review", world.member_a)
    assert error_of(response, 403)["message"]["en"] == "you may not review this demand"
    assert (await world.get(demand["id"]))["status"] == "SUBMITTED"


async def test_a_district_officer_sees_and_changes_nothing_of_another_district(
    world: World,
) -> None:
    officer_a = officer(YUZHONG, "acc_officer_a")
    # district B's demands in every status the officer could act on
    b_draft = await world.create("PROJECT_LANDING", world.org_b)
    b_submitted = await world.create("TALENT_RECRUITMENT", world.org_b, submit=True)
    b_review = await world.create("PROJECT_LANDING", world.org_b, submit=True)
    ok(await post(world, f"/demands/{b_review['id']}/start-review", OPERATOR))
    for claim in b_review["claims"]:
        path = f"/demands/{b_review['id']}/claims/{claim['criterion']}/review"
        ok(await post(world, path, OPERATOR, {"outcome": "CONFIRMED"}))
    b_published = await world.create("TALENT_RECRUITMENT", world.org_b, submit=True)
    await publish_demand(world.r, b_published["id"])
    b_withdrawn = await world.create("PROJECT_LANDING", world.org_b)
    ok(await post(world, f"/demands/{b_withdrawn['id']}/withdraw", OPERATOR))
    a_draft = await world.create("PROJECT_LANDING", world.org_a)
    talent_draft = await world.create("JOB_SEEKING", world.talent_1)
    b_ids = [b_draft["id"], b_submitted["id"], b_review["id"], b_published["id"], b_withdrawn["id"]]
    await world.barrier(10)
    before = {i: await world.get(i) for i in b_ids}
    events_before = await published(world.r)

    # list and get
    assert await world.listing(officer_a) == [a_draft["id"]]
    assert await world.listing(officer_a, district_code=LIANGJIANG) == []
    assert await world.listing(officer_a, owner_id=world.org_b) == []
    for hidden in (b_draft, b_submitted, b_review, b_withdrawn, talent_draft):
        response = await world.api.get(f"/demands/{hidden['id']}", headers=as_actor(officer_a))
        assert error_of(response, 404)["code"] == "NOT_FOUND"

    # edit and every workflow action, each where it would otherwise be legal: on a demand
    # the officer may not see it is 404 as on reads, on the published one it sees 403
    unseen, refused = (404, "NOT_FOUND"), (403, "FORBIDDEN")
    body = demand_content_body("PROJECT_LANDING", title_zh="越权修改")
    for target, (want_status, want_code) in ((b_draft, unseen), (b_published, refused)):
        response = await world.api.put(
            f"/demands/{target['id']}", json=body, headers=as_actor(officer_a)
        )
        assert error_of(response, want_status)["code"] == want_code
    attempts = [
        (b_draft, "submit", None, unseen),
        (b_submitted, "start-review", None, unseen),
        (b_review, "claims/KEY_PLATFORMS/review", {"outcome": "REJECTED"}, unseen),
        (b_review, "publish", None, unseen),
        (b_review, "return", {"reason": "越权退回"}, unseen),
        (b_review, "reject", {"reason": "越权驳回"}, unseen),
        (b_draft, "withdraw", None, unseen),
        (b_submitted, "withdraw", None, unseen),
        (b_review, "withdraw", None, unseen),
        (b_published, "withdraw", {"reason": "越权撤回"}, refused),
        (b_published, "reactivate", {"edition": "CQ2027"}, refused),
        (b_withdrawn, "reactivate", {"edition": "CQ2027"}, unseen),
    ]
    for target, action, payload, (want_status, want_code) in attempts:
        response = await post(world, f"/demands/{target['id']}/{action}", officer_a, payload)
        error = error_of(response, want_status)
        assert error["code"] == want_code, (target["status"], action)
        if want_status == 404:
            assert error["message"]["en"] == f"demand not found: {target['id']}"
    create = await world.api.post(
        "/demands", json=demand_body("PROJECT_LANDING", world.org_b), headers=as_actor(officer_a)
    )
    assert error_of(create, 403)["code"] == "FORBIDDEN"

    # organisations of district B
    listed = ok(await world.api.get("/organisations", headers=as_actor(officer_a)))["items"]
    assert {o["district_code"] for o in listed} == {YUZHONG}
    assert world.org_a in [o["id"] for o in listed]
    assert world.org_b not in [o["id"] for o in listed]
    by_district = await world.api.get(
        "/organisations", params={"district_code": LIANGJIANG}, headers=as_actor(officer_a)
    )
    assert ok(by_district)["items"] == []
    by_ids = await world.api.get(
        "/organisations", params={"ids": [world.org_a, world.org_b]}, headers=as_actor(officer_a)
    )
    assert [o["id"] for o in ok(by_ids)["items"]] == [world.org_a]
    response = await world.api.get(f"/organisations/{world.org_b}", headers=as_actor(officer_a))
    assert error_of(response, 404)["code"] == "NOT_FOUND"
    org_b_before = ok(await world.api.get(f"/organisations/{world.org_b}"))
    response = await world.api.put(
        f"/organisations/{world.org_b}",
        json=organisation_body(2, district_code=LIANGJIANG, name_en="Hijacked Ltd."),
        headers=as_actor(officer_a),
    )
    assert error_of(response, 403)["code"] == "FORBIDDEN"

    # nothing changed, nothing announced
    await world.barrier(11)
    assert {i: await world.get(i) for i in b_ids} == before
    assert ok(await world.api.get(f"/organisations/{world.org_b}")) == org_b_before
    new = (await published(world.r))[len(events_before) :]
    assert [e["type"] for e in new] == [ORG_REGISTERED]


async def test_a_district_officer_works_for_the_organisations_of_its_district(
    world: World,
) -> None:
    officer_a = officer(YUZHONG, "acc_officer_a")
    draft = await world.create("PROJECT_LANDING", world.org_a, officer_a)
    assert (draft["status"], draft["district_code"]) == ("DRAFT", YUZHONG)
    body = demand_content_body("PROJECT_LANDING", title_en="Edited by the district")
    edited = ok(
        await world.api.put(f"/demands/{draft['id']}", json=body, headers=as_actor(officer_a))
    )
    assert edited["title"]["en"] == "Edited by the district"
    ok(await post(world, f"/demands/{draft['id']}/submit", officer_a))
    done = await publish_demand(world.r, draft["id"], officer_a)
    assert done["status"] == "PUBLISHED"
    assert [(h["to"], h["by"]) for h in done["history"]] == [
        ("SUBMITTED", "acc_officer_a"),
        ("UNDER_REVIEW", "acc_officer_a"),
        ("PUBLISHED", "acc_officer_a"),
    ]
    withdrawn = ok(await post(world, f"/demands/{draft['id']}/withdraw", officer_a))
    assert withdrawn["status"] == "WITHDRAWN"
    again = ok(
        await post(world, f"/demands/{draft['id']}/reactivate", officer_a, {"edition": "CQ2027"})
    )
    assert again["status"] == "SUBMITTED"

    at_once = await world.create("TALENT_RECRUITMENT", world.org_a, officer_a, submit=True)
    assert at_once["status"] == "SUBMITTED"
    ok(await post(world, f"/demands/{at_once['id']}/start-review", officer_a))
    returned = ok(
        await post(world, f"/demands/{at_once['id']}/return", officer_a, {"reason": "补充"})
    )
    assert returned["status"] == "RETURNED"
    ok(await post(world, f"/demands/{at_once['id']}/submit", world.member_a))
    ok(await post(world, f"/demands/{at_once['id']}/start-review", officer_a))
    rejected = ok(
        await post(world, f"/demands/{at_once['id']}/reject", officer_a, {"reason": "否"})
    )
    assert rejected["status"] == "REJECTED"

    assert await world.listing(officer_a) == sorted([draft["id"], at_once["id"]])
    org = ok(
        await world.api.get(
            f"/organisations/{world.org_a}",
            params={"include_contacts": True},
            headers=as_actor(officer_a),
        )
    )
    assert org["contacts"] is not None
    renamed = organisation_body(1, district_code=YUZHONG, name_en="Renamed by the district")
    response = await world.api.put(
        f"/organisations/{world.org_a}", json=renamed, headers=as_actor(officer_a)
    )
    assert ok(response)["name"]["en"] == "Renamed by the district"


async def test_a_district_officer_may_not_move_an_organisation_to_another_district(
    world: World,
) -> None:
    officer_a = officer(YUZHONG, "acc_officer_a")
    before = ok(await world.api.get(f"/organisations/{world.org_a}"))
    moved = organisation_body(1, district_code=LIANGJIANG)
    response = await world.api.put(
        f"/organisations/{world.org_a}", json=moved, headers=as_actor(officer_a)
    )
    assert error_of(response, 403)["code"] == "FORBIDDEN"
    assert ok(await world.api.get(f"/organisations/{world.org_a}")) == before
    # the organisation itself and the operators may
    response = await world.api.put(
        f"/organisations/{world.org_a}", json=moved, headers=as_actor(world.member_a)
    )
    assert ok(response)["district_code"] == LIANGJIANG


# -- anonymous, unauthenticated and forged callers --------------------------------------


async def test_the_public_reads_published_demands_and_changes_nothing(world: World) -> None:
    shelf = await world.create("PROJECT_LANDING", world.org_a, submit=True)
    await publish_demand(world.r, shelf["id"])
    draft = await world.create("JOB_SEEKING", world.talent_1)
    review = await world.create("TALENT_RECRUITMENT", world.org_a, submit=True)
    ok(await post(world, f"/demands/{review['id']}/start-review", OPERATOR))
    await world.barrier(20)
    events_before = await published(world.r)
    states = {d["id"]: await world.get(d["id"]) for d in (shelf, draft, review)}

    assert await world.listing(PUBLIC) == [shelf["id"]]
    assert await world.listing(PUBLIC, status="DRAFT") == []
    assert (await world.get(shelf["id"], PUBLIC))["status"] == "PUBLISHED"
    for hidden in (draft, review):
        response = await world.api.get(f"/demands/{hidden['id']}", headers=as_actor(PUBLIC))
        assert error_of(response, 404)["code"] == "NOT_FOUND"

    d = f"/demands/{review['id']}"
    calls: list[tuple[str, str, dict[str, Any]]] = [
        ("POST", "/demands", demand_body("JOB_SEEKING", world.talent_1)),
        ("PUT", f"/demands/{draft['id']}", demand_content_body("JOB_SEEKING")),
        ("POST", f"/demands/{draft['id']}/submit", {}),
        ("POST", f"{d}/start-review", {}),
        ("POST", f"{d}/claims/SUPPORT_POLICIES/review", {"outcome": "CONFIRMED"}),
        ("POST", f"{d}/publish", {}),
        ("POST", f"{d}/return", {"reason": "x"}),
        ("POST", f"{d}/reject", {"reason": "x"}),
        ("POST", f"/demands/{shelf['id']}/withdraw", {}),
        ("POST", f"/demands/{shelf['id']}/reactivate", {"edition": "CQ2027"}),
        ("POST", "/demands/expire-due", {}),
        ("POST", "/organisations", organisation_body(30)),
        ("PUT", f"/organisations/{world.org_a}", organisation_body(1, name_en="Anon Ltd.")),
        ("POST", "/talents", {"name_en": "Anon"}),
    ]
    for method, path, body in calls:
        response = await world.api.request(method, path, json=body, headers=as_actor(PUBLIC))
        error = error_of(response, 403)
        assert error["code"] == "SIGN_IN_REQUIRED", (method, path)
        assert error["message"] == {"zh": "请先登录", "en": "Sign in first"}

    await world.barrier(21)
    assert {i: await world.get(i) for i in states} == states
    new = (await published(world.r))[len(events_before) :]
    assert [e["type"] for e in new] == [ORG_REGISTERED]


def anonymous(world: World, headers: dict[str, str] | None = None) -> httpx.AsyncClient:
    """A client that sends no identity (or the given headers) instead of the operator's."""
    return httpx.AsyncClient(
        transport=httpx.ASGITransport(app=world.r.hosts["registry"].app),
        base_url="http://registry",
        headers=headers,
    )


def signed(claims: dict[str, Any], secret: str = SECRET) -> dict[str, str]:
    now = int(utcnow().timestamp())
    full = {"sub": "acc_operator", "role": "OPERATOR", "aud": identity.AUDIENCE, "iat": now}
    full |= {"exp": now + 120} | claims
    return {identity.HEADER: jwt.encode(full, secret, algorithm="HS256")}


WRONG_SECRET = "not-the-internal-secret-but-long-enough-32"


BAD_IDENTITIES: dict[str, Callable[[], dict[str, str] | None]] = {
    "no-header": lambda: None,
    "empty-header": lambda: {identity.HEADER: ""},
    "garbage": lambda: {identity.HEADER: "not-a-token"},
    "operator-with-wrong-secret": lambda: {identity.HEADER: identity.issue(OPERATOR, WRONG_SECRET)},
    "wrong-secret": lambda: signed({}, WRONG_SECRET),
    "expired": lambda: signed({"exp": int(utcnow().timestamp()) - 60}),
    "wrong-audience": lambda: signed({"aud": "someone-else"}),
    "unknown-role": lambda: signed({"role": "EMPEROR"}),
    "no-subject": lambda: signed({"sub": None}),
}


@pytest.mark.parametrize("case", list(BAD_IDENTITIES))
async def test_calls_without_a_valid_identity_are_401(world: World, case: str) -> None:
    demand = await world.create("PROJECT_LANDING", world.org_a)
    async with anonymous(world, BAD_IDENTITIES[case]()) as client:
        for method, path, body in [
            ("GET", "/demands", None),
            ("GET", f"/demands/{demand['id']}", None),
            ("POST", "/demands", demand_body("PROJECT_LANDING", world.org_a)),
            ("POST", f"/demands/{demand['id']}/submit", {}),
            ("PUT", f"/demands/{demand['id']}", demand_content_body("PROJECT_LANDING")),
            ("POST", "/demands/expire-due", {}),
            ("GET", "/organisations", None),
            ("GET", f"/organisations/{world.org_a}", None),
            ("GET", f"/talents/{world.talent_1}", None),
            ("GET", f"/parties/{world.org_a}/audit", None),
        ]:
            response = await client.request(method, path, json=body)
            error = error_of(response, 401)
            assert error["code"] == "UNAUTHENTICATED", (method, path)
    assert await world.get(demand["id"]) == demand
    assert await world.listing() == [demand["id"]]


async def test_a_valid_token_of_the_right_secret_is_accepted(world: World) -> None:
    """The counterpart of the 401 cases: the hand-made token is right when signed right."""
    async with anonymous(world, signed({})) as client:
        assert (await client.get("/demands")).status_code == 200


# -- bad input ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (
            {"claims": [], "taxonomy_codes": ["X99"], "expires_on": "2000-01-01"},
            [
                ("taxonomy_codes.0", "UNKNOWN_TAXONOMY"),
                ("claims", "NO_ELIGIBILITY"),
                ("expires_on", "IN_THE_PAST"),
            ],
        ),
        (
            {
                "title_zh": "标题\x07",
                "editions": ["CQ1999"],
                "claims": [
                    {"criterion": "BOTTLENECK_TECHNOLOGY", "evidence": "x"},
                    {"criterion": "KEY_PLATFORMS"},
                ],
            },
            [
                ("title.zh", "CONTROL_CHARACTER"),
                ("editions.0", "UNKNOWN_EDITION"),
                ("claims.0.criterion", "WRONG_SIDE"),
                ("claims.1.evidence", "EVIDENCE_REQUIRED"),
            ],
        ),
        ({"details": {"channel": "TELEPORT"}}, [("details", "NOT_ALLOWED_VALUE")]),
        (
            {"details": DETAILS["PROJECT_COOPERATION"] | {"trl": "high"}},
            [
                ("claims.0.criterion", "WRONG_SIDE"),
                ("claims.1.criterion", "WRONG_SIDE"),
                ("details.PROJECT_COOPERATION.trl", "NOT_AN_INTEGER"),
            ],
        ),
        (
            {"details": DETAILS["PROJECT_COOPERATION"] | {"trl": 12}},
            [
                ("claims.0.criterion", "WRONG_SIDE"),
                ("claims.1.criterion", "WRONG_SIDE"),
                ("details.trl", "RANGE"),
            ],
        ),
        (
            {"owner_id": None, "colour": "red"},
            [("owner_id", "MISSING"), ("colour", "UNKNOWN_FIELD")],
        ),
        (
            {"claims": [{"criterion": "KEY_PLATFORMS", "proof": "x"}]},
            [("claims.0.proof", "UNKNOWN_FIELD")],
        ),
        (
            {
                "taxonomy_codes": ["X99"],
                "attachment_ids": ["att_nope"],
                "details": DETAILS["PROJECT_LANDING"] | {"budget_wan": "lots"},
            },
            [
                ("attachment_ids.0", "UNKNOWN_ATTACHMENT"),
                ("details.PROJECT_LANDING.budget_wan", "NOT_AN_INTEGER"),
                ("taxonomy_codes.0", "UNKNOWN_TAXONOMY"),
            ],
        ),
    ],
    ids=[
        "domain-problems",
        "more-domain-problems",
        "unknown-channel",
        "trl-not-a-number",
        "trl-out-of-range-and-wrong-side",
        "missing-and-extra-fields",
        "extra-claim-field",
        "schema-content-and-attachment-problems-at-once",
    ],
)
async def test_bad_input_is_refused_field_by_field_and_nothing_is_stored_or_announced(
    world: World, change: dict[str, Any], expected: list[tuple[str, str]]
) -> None:
    body = demand_body("PROJECT_LANDING", world.org_a, submit=True)
    for key, value in change.items():
        if value is None:
            del body[key]
        else:
            body[key] = value
    response = await world.api.post("/demands", json=body, headers=as_actor(world.member_a))
    error = error_of(response, 422)
    assert error["code"] == "VALIDATION_FAILED"
    assert sorted(fields_of(error)) == sorted(expected)

    await world.barrier(40)
    assert await world.listing() == []
    assert [
        e["type"] for e in await published(world.r) if e["type"].startswith("boyin.registry.demand")
    ] == []


async def test_bad_workflow_input_is_422_and_changes_nothing(world: World) -> None:
    demand = await world.create("PROJECT_LANDING", world.org_a, submit=True)
    ok(await post(world, f"/demands/{demand['id']}/start-review", OPERATOR))
    before = await world.get(demand["id"])
    d = f"/demands/{demand['id']}"
    cases: list[tuple[str, dict[str, Any], list[tuple[str, str]]]] = [
        (
            f"{d}/claims/TELEPATHY/review",
            {"outcome": "CONFIRMED"},
            [("criterion", "NOT_ALLOWED_VALUE")],
        ),
        (
            f"{d}/claims/KEY_PLATFORMS/review",
            {"outcome": "MAYBE"},
            [("outcome", "NOT_ALLOWED_VALUE")],
        ),
        (f"{d}/return", {}, [("reason", "MISSING")]),
        (f"{d}/reject", {"reason": ""}, [("reason", "STRING_TOO_SHORT")]),
        (f"{d}/reactivate", {"edition": "CQ1999"}, [("edition", "UNKNOWN_EDITION")]),
    ]
    for path, payload, expected in cases:
        assert fields_of(error_of(await post(world, path, OPERATOR, payload), 422)) == expected, (
            path
        )
    response = await world.api.put(d, json=demand_content_body("PROJECT_LANDING"))
    assert error_of(response, 409)["code"] == "ILLEGAL_TRANSITION"  # under review: not editable
    assert await world.get(demand["id"]) == before


async def test_an_invalid_edit_changes_nothing(world: World) -> None:
    demand = await world.create("TALENT_RECRUITMENT", world.org_a, world.member_a)
    bad = demand_content_body("TALENT_RECRUITMENT", claims=[], editions=["CQ1999"])
    response = await world.api.put(
        f"/demands/{demand['id']}", json=bad, headers=as_actor(world.member_a)
    )
    assert fields_of(error_of(response, 422)) == [
        ("editions.0", "UNKNOWN_EDITION"),
        ("claims", "NO_ELIGIBILITY"),
    ]
    assert await world.get(demand["id"]) == demand


# -- expiry and reactivation -----------------------------------------------------------


def commands(world: World) -> DemandCommands:
    service = world.r.hosts["registry"].app.state.service
    assert isinstance(service.demands, DemandCommands)
    return service.demands


async def test_a_published_demand_expires_after_its_deadline_and_is_reactivated(
    world: World,
) -> None:
    today = utcnow().date()
    demand = await world.create(
        "PROJECT_LANDING", world.org_a, world.member_a, submit=True, expires_on=today.isoformat()
    )
    await publish_demand(world.r, demand["id"])
    lasting = await world.create("TALENT_RECRUITMENT", world.org_a, submit=True)
    await publish_demand(world.r, lasting["id"])

    assert await commands(world).expire_due(today) == 0  # its last day is not over yet
    assert (await world.get(demand["id"]))["status"] == "PUBLISHED"
    assert await commands(world).expire_due(today + timedelta(days=1)) == 1
    expired = await world.get(demand["id"])
    assert expired["status"] == "EXPIRED"
    last = expired["history"][-1]
    assert (last["to"], last["by"], last["role"], last["reason"]) == (
        "EXPIRED",
        "system:expiry",
        "SERVICE",
        "deadline passed",
    )
    assert (await world.get(lasting["id"]))["status"] == "PUBLISHED"
    assert await commands(world).expire_due(today + timedelta(days=1)) == 0
    assert await world.listing(PUBLIC) == [lasting["id"]]

    event = await wait_for_event(world.r, demand["id"], EXPIRED)
    decoded = decode(event)
    assert isinstance(decoded, DemandExpired)
    assert decoded.data.demand.status == "EXPIRED"
    assert (decoded.data.by_role, decoded.data.reason) == ("SERVICE", "deadline passed")
    assert decoded.sequence == expired["revision"]

    unknown = await post(
        world, f"/demands/{demand['id']}/reactivate", world.member_a, {"edition": "CQ2030"}
    )
    assert fields_of(error_of(unknown, 422)) == [("edition", "UNKNOWN_EDITION")]
    other = await post(
        world, f"/demands/{demand['id']}/reactivate", world.member_b, {"edition": "CQ2027"}
    )
    # an expired demand is no longer on show: to another organisation it does not exist
    assert error_of(other, 404)["code"] == "NOT_FOUND"
    assert (await world.get(demand["id"]))["status"] == "EXPIRED"
    again = ok(
        await post(
            world, f"/demands/{demand['id']}/reactivate", world.member_a, {"edition": "CQ2027"}
        )
    )
    assert again["status"] == "SUBMITTED"
    assert again["editions"] == ["CQ2026", "CQ2027"]
    assert again["expires_on"] is None
    assert again["history"][-1]["reason"] == "reactivated for CQ2027"
    republished = await publish_demand(world.r, demand["id"])
    assert republished["status"] == "PUBLISHED"
    assert await world.listing(PUBLIC, edition="CQ2027") == [demand["id"]]

    types = await wait_for_types(world, demand["id"], 6)
    assert types == [SUBMITTED, PUBLISHED, EXPIRED, UPDATED, SUBMITTED, PUBLISHED]
    updated = decode((await events_about(world.r, demand["id"]))[types.index(EXPIRED) + 1])
    assert isinstance(updated, DemandUpdated)
    assert updated.data.demand.editions == ("CQ2026", "CQ2027")


async def test_only_staff_may_run_the_expiry_sweep(world: World) -> None:
    assert ok(await post(world, "/demands/expire-due", OPERATOR)) == {"expired": 0}
    for actor in (world.member_a, world.talent_member_1, officer(YUZHONG), INVESTOR):
        response = await post(world, "/demands/expire-due", actor)
        assert error_of(response, 403)["code"] == "FORBIDDEN"
    service = Actor(account_id="svc_scheduler", role=Role.SERVICE)
    assert ok(await post(world, "/demands/expire-due", service)) == {"expired": 0}
