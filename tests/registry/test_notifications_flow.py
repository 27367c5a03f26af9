"""Notifications end to end in the registry: events in, mail out on a real SMTP server
(aiosmtpd on loopback) — once each, in both languages or the reader's, the .ics with
meetings, preferences and one-click unsubscribe obeyed, and exactly once across a restart."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlparse

import httpx
import icalendar
import pytest

from boyin_registry.app import definition
from boyin_shared.contracts.agreements import (
    AgreementChange,
    AgreementMember,
    AgreementOrigin,
    AgreementSnapshot,
    AgreementStageChanged,
    Stage,
)
from boyin_shared.contracts.common import LocalizedText
from boyin_shared.contracts.matching import (
    MatchesProposed,
    MatchMutuallyAccepted,
    MatchParty,
    MutualMatch,
    Proposal,
    ProposedMatches,
)
from boyin_shared.contracts.scheduling import (
    MeetingCancelled,
    MeetingChange,
    MeetingParty,
    MeetingPlace,
    MeetingScheduled,
    MeetingSnapshot,
)
from boyin_shared.events import Event
from boyin_shared.store.mongo import MongoStore
from tests.apps import Running, as_actor, running
from tests.conftest import unique_name
from tests.registry.mailserver import Inbox, attachments_of, smtp_server, text_of
from tests.registry.support import (
    PUBLIC,
    created,
    demand_body,
    ok,
    publish_demand,
    register_organisation,
    register_talent,
    talent_member,
)

TALENT_MAIL = "li.wei@uni-example.de"
ORG_MAIL = "hr1@example-org.cn"
START = datetime(2026, 5, 20, 6, 0, tzinfo=UTC)


@dataclass
class Fair:
    r: Running
    inbox: Inbox
    talent: str
    org: str

    @property
    def api(self) -> httpx.AsyncClient:
        return self.r.client("registry")

    async def publish(self, *events: Event) -> None:
        await self.r.bus.publish(list(events))

    def to(self, address: str) -> list[Any]:
        return [m for m in self.inbox.messages if address in m["To"]]


def mailing(
    data: Path, port: int, mongo_url: str | None = None, prefix: str = "boyin"
) -> AbstractAsyncContextManager[Running]:
    """The registry sending through the test's SMTP server, its sender quick; its store
    on the MongoDB-wire server when ``mongo_url`` is given (database ``<prefix>registry``)."""
    return running(
        [definition],
        data,
        store="sqlite" if mongo_url is None else "mongo",
        mongo_url=mongo_url or "",
        mongo_db_prefix=prefix,
        smtp_host="127.0.0.1",
        smtp_port=port,
        smtp_security="none",
        notify_interval_seconds=0.05,
        public_url="https://boyin.example",
    )


@pytest.fixture
async def fair(tmp_path: Path) -> AsyncIterator[Fair]:
    inbox = Inbox()
    with smtp_server(inbox) as port:
        async with mailing(tmp_path, port) as r:
            org = await register_organisation(r, 1)
            talent = await register_talent(r, "Li.Wei@Uni-Example.de")
            yield Fair(r, inbox, talent, org)


def mutual(talent: str, org: str, match_id: str = "mat_1") -> MatchMutuallyAccepted:
    return MatchMutuallyAccepted.create(
        subject=match_id,
        data=MutualMatch(
            match_id=match_id,
            first=MatchParty(party_kind="talent", party_id=talent, demand_id="dem_t"),
            second=MatchParty(party_kind="organisation", party_id=org, demand_id="dem_o"),
            score=0.9,
        ),
    )


def proposed(talent: str, org: str) -> MatchesProposed:
    return MatchesProposed.create(
        subject="dem_o",
        data=ProposedMatches(
            demand_id="dem_o",
            source="auto",
            proposals=(
                Proposal(
                    match_id="mat_p",
                    supply=MatchParty(party_kind="talent", party_id=talent, demand_id="dem_t"),
                    demand=MatchParty(party_kind="organisation", party_id=org, demand_id="dem_o"),
                    score=0.8,
                ),
            ),
        ),
    )


def meeting_change(talent: str, org: str, *, revision: int, status: str) -> MeetingChange:
    place = MeetingPlace(
        slot_id="s1",
        start=START,
        end=START + timedelta(minutes=20),
        table=7,
        video_link=None,
        schedule_version=1,
    )
    snapshot = MeetingSnapshot.model_validate(
        {
            "meeting_id": "mtg_1",
            "edition_id": "CQ2026",
            "requester": MeetingParty(party_kind="organisation", party_id=org),
            "invitee": MeetingParty(party_kind="talent", party_id=talent),
            "source": "MATCH",
            "match_id": "mat_1",
            "status": status,
            "outcome": None,
            "mode": "ON_SITE",
            "place": place,
            "revision": revision,
        }
    )
    return MeetingChange(meeting=snapshot, by_role="OPERATOR")


def stage_changed(talent: str, org: str, to_stage: Stage, n: int = 0) -> AgreementStageChanged:
    snapshot = AgreementSnapshot.model_validate(
        {
            "agreement_id": f"agr_{n}",
            "stage": to_stage,
            "parties": [
                AgreementMember(party_kind="talent", party_id=talent, role="TALENT"),
                AgreementMember(party_kind="organisation", party_id=org, role="ORGANISATION"),
            ],
            "origin": AgreementOrigin(kind="MATCH", match_id="mat_1", meeting_id=None),
            "title": LocalizedText(zh=f"储能合作{n}", en=f"Storage deal {n}"),
            "cooperation_type": None,
            "district_code": None,
            "edition_id": None,
            "taxonomy_codes": [],
            "headline": None,
            "amounts": [],
            "signed_at": None,
            "revision": 2,
        }
    )
    change = AgreementChange(
        agreement=snapshot,
        from_stage="NEGOTIATING",
        to_stage=to_stage,
        by="acc_operator",
        by_role="OPERATOR",
        at=START,
    )
    return AgreementStageChanged.create(subject=f"agr_{n}", data=change)


async def settle(fair: Fair, expected: int) -> None:
    """Wait for ``expected`` messages, then a little more: a duplicate would show."""
    await fair.inbox.until(expected)
    await asyncio.sleep(0.3)
    assert fair.inbox.count() == expected


async def test_a_mutual_match_mails_each_side_the_others_contacts_once(fair: Fair) -> None:
    event = mutual(fair.talent, fair.org)
    await fair.publish(event, event)  # redelivered: still one message each
    await settle(fair, 2)
    [to_talent], [to_org] = fair.to(TALENT_MAIL), fair.to(ORG_MAIL)
    assert to_talent["Subject"] == (
        "双向匹配成功：重庆测试科技有限公司1 | "
        "It's a mutual match: Chongqing Test Technology Co., Ltd. 1"
    )
    talent_text = text_of(to_talent)
    assert "联系人甲1 · 人事经理 · hr1@example-org.cn · +86 23 6123 0001" in talent_text
    assert "==== English ====" in talent_text
    assert "li.wei@uni-example.de" in text_of(to_org) and "Li Wei" in text_of(to_org)
    assert to_talent["Message-ID"] != to_org["Message-ID"]
    # each message is a disclosure, logged once though the event came twice
    for subject, reader in ((fair.org, fair.talent), (fair.talent, fair.org)):
        log = ok_list(await fair.api.get(f"/parties/{subject}/audit"))
        mailed = [(e["account_id"], e["action"]) for e in log if e["action"] == "mail_contacts"]
        assert mailed == [(reader, "mail_contacts")]


async def test_meetings_come_with_their_ics_and_a_cancellation_cancels_it(fair: Fair) -> None:
    await fair.publish(
        MeetingScheduled.create(
            subject="mtg_1",
            data=meeting_change(fair.talent, fair.org, revision=2, status="ACCEPTED"),
        )
    )
    await settle(fair, 2)
    await fair.publish(
        MeetingCancelled.create(
            subject="mtg_1",
            data=meeting_change(fair.talent, fair.org, revision=3, status="CANCELLED"),
        )
    )
    await settle(fair, 4)
    scheduled, cancelled = fair.to(TALENT_MAIL)
    assert "2026-05-20 14:00–14:20 (UTC+08:00)" in text_of(scheduled)
    assert "重庆测试科技有限公司1" in text_of(scheduled)
    calendars = [
        icalendar.Calendar.from_ical(attachments_of(m)["meeting.ics"])
        for m in (scheduled, cancelled)
    ]
    assert [str(c["method"]) for c in calendars] == ["REQUEST", "CANCEL"]
    events = [c.walk("VEVENT")[0] for c in calendars]
    assert {str(e["uid"]) for e in events} == {"CQ2026.mtg_1@boyin"}
    assert [int(str(e["sequence"])) for e in events] == [2, 3]
    assert events[0].decoded("dtstart") == START
    [part] = [p for p in scheduled.iter_attachments()]
    assert part.get_content_type() == "text/calendar" and part.get_param("method") == "REQUEST"


async def test_a_published_demand_tells_its_owner_through_the_registrys_own_events(
    fair: Fair,
) -> None:
    body = demand_body("JOB_SEEKING", fair.talent)
    demand = created(await fair.api.post("/demands", json=body))
    headers = as_actor(talent_member(fair.talent))
    ok(await fair.api.post(f"/demands/{demand['id']}/submit", headers=headers))
    await publish_demand(fair.r, demand["id"])
    await settle(fair, 1)
    [mail] = fair.to(TALENT_MAIL)
    assert mail["Subject"] == "您的需求已发布 | Your demand is published"
    assert "“新型传感器材料联合研发”" in text_of(mail)


async def test_a_returned_demand_tells_its_owner_the_reviewers_note(fair: Fair) -> None:
    body = demand_body("JOB_SEEKING", fair.talent)
    demand = created(await fair.api.post("/demands", json=body))
    headers = as_actor(talent_member(fair.talent))
    ok(await fair.api.post(f"/demands/{demand['id']}/submit", headers=headers))
    ok(await fair.api.post(f"/demands/{demand['id']}/start-review"))
    reason = {"reason": "请补充专利证明"}
    ok(await fair.api.post(f"/demands/{demand['id']}/return", json=reason))
    await settle(fair, 1)
    [mail] = fair.to(TALENT_MAIL)
    assert mail["Subject"] == "您的需求被退回修改 | Your demand was returned for changes"
    assert "审核意见：请补充专利证明" in text_of(mail)
    assert "Reviewer's note: 请补充专利证明" in text_of(mail)


async def test_preferences_choose_the_language_and_the_kinds(fair: Fair) -> None:
    me = as_actor(talent_member(fair.talent))
    url = f"/parties/{fair.talent}/notification-preferences"
    assert ok(await fair.api.get(url, headers=me)) == {
        "party_id": fair.talent,
        "kinds": ["PROPOSAL", "MUTUAL_MATCH", "MEETING", "DEMAND", "AGREEMENT"],
        "language": "BOTH",
    }
    chosen = {"kinds": ["AGREEMENT"], "language": "EN"}
    assert ok(await fair.api.put(url, json=chosen, headers=me))["kinds"] == ["AGREEMENT"]
    other = as_actor(talent_member("tal_someone_else", "acc_other"))
    assert (await fair.api.get(url, headers=other)).status_code == 403
    await fair.publish(
        proposed(fair.talent, fair.org), stage_changed(fair.talent, fair.org, "SIGNED")
    )
    await settle(fair, 3)  # the organisation: the proposal and the stage; the talent: the stage
    [mail] = fair.to(TALENT_MAIL)
    assert mail["Subject"] == "Agreement update: signed"
    assert "储能合作0" not in text_of(mail) and "Storage deal 0" in text_of(mail)
    org_subjects = sorted(m["Subject"] for m in fair.to(ORG_MAIL))
    assert (
        org_subjects[0].startswith("合作协议进展")
        and "1 new match" in org_subjects[1]
        and "matches" not in org_subjects[1]
    )


async def test_one_click_unsubscribe_stops_that_kind_only(fair: Fair) -> None:
    await fair.publish(stage_changed(fair.talent, fair.org, "SIGNED", 1))
    await settle(fair, 2)
    [mail] = fair.to(TALENT_MAIL)
    link = mail["List-Unsubscribe"].strip("<>")
    assert link.startswith("https://boyin.example/unsubscribe?token=")
    token = parse_qs(urlparse(link).query)["token"][0]
    done = ok(
        await fair.api.post(
            "/notifications/unsubscribe", json={"token": token}, headers=as_actor(PUBLIC)
        )
    )
    assert done["kind"] == "AGREEMENT" and "AGREEMENT" not in done["preferences"]["kinds"]
    forged = await fair.api.post(
        "/notifications/unsubscribe", json={"token": token[:-2] + "xx"}, headers=as_actor(PUBLIC)
    )
    assert (
        forged.status_code == 400 and forged.json()["error"]["code"] == "INVALID_UNSUBSCRIBE_LINK"
    )
    await fair.publish(
        stage_changed(fair.talent, fair.org, "IMPLEMENTING", 2), mutual(fair.talent, fair.org)
    )
    await settle(fair, 5)  # org: stage + match; talent: the match only
    assert [m["Subject"].split(" | ")[0] for m in fair.to(TALENT_MAIL)[1:]] == [
        "双向匹配成功：重庆测试科技有限公司1"
    ]


@pytest.fixture(params=["sqlite", pytest.param("mongo", marks=pytest.mark.infra)])
async def store_url(request: pytest.FixtureRequest) -> AsyncIterator[tuple[str | None, str]]:
    """The registry's store for a restart: SQLite in the test's folder, or a fresh database
    on FerretDB (dropped afterwards)."""
    if request.param == "sqlite":
        yield None, "boyin"
        return
    url: str = request.getfixturevalue("mongo_url")
    prefix = unique_name("n")
    yield url, prefix
    mongo = MongoStore(url, f"{prefix}registry")
    await mongo.drop_database()
    await mongo.close()


async def test_every_message_arrives_exactly_once_across_a_restart_of_the_sender(
    tmp_path: Path, store_url: tuple[str | None, str]
) -> None:
    inbox = Inbox(delay=0.05)
    events = 10  # two recipients each: 20 messages
    with smtp_server(inbox) as port:
        async with mailing(tmp_path, port, *store_url) as r:
            org = await register_organisation(r, 1)
            talent = await register_talent(r, "Li.Wei@Uni-Example.de")
            await r.bus.publish([stage_changed(talent, org, "SIGNED", n) for n in range(events)])
            await inbox.until(5)
        stopped_at = inbox.count()
        assert 5 <= stopped_at < 2 * events, "the sender must stop half-way"
        async with mailing(tmp_path, port, *store_url):
            await inbox.until(2 * events)
            await asyncio.sleep(0.5)
    assert inbox.count() == 2 * events
    assert len({m["Message-ID"] for m in inbox.messages}) == 2 * events
    subjects = sorted(m["Subject"] for m in inbox.messages)
    assert subjects == sorted(["合作协议进展：已签约 | Agreement update: signed"] * 2 * events)


async def test_without_an_smtp_server_the_mailbox_keeps_the_messages_for_operators(
    tmp_path: Path,
) -> None:
    async with running([definition], tmp_path, notify_interval_seconds=0.05) as r:
        org = await register_organisation(r, 1)
        talent = await register_talent(r, "Li.Wei@Uni-Example.de")
        await r.bus.publish([mutual(talent, org)])
        api = r.client("registry")
        for _ in range(200):
            kept = ok_list(await api.get("/notifications/mailbox"))
            if len(kept) == 2:
                break
            await asyncio.sleep(0.02)
        assert sorted(m["to"][0] for m in kept) == [ORG_MAIL, TALENT_MAIL]
        assert all("==== English ====" in m["text"] for m in kept)
        denied = await api.get("/notifications/mailbox", headers=as_actor(talent_member(talent)))
        assert denied.status_code == 403


def ok_list(response: httpx.Response) -> list[dict[str, Any]]:
    assert response.status_code == 200, response.text
    body: list[dict[str, Any]] = response.json()
    return body
