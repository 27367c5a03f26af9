"""Scheduling's use cases: who may do what, loading and saving aggregates with their
events. The HTTP routers and the event consumers call these and nothing else."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime
from typing import TypeVar

from boyin_scheduling.domain.attendance import (
    Attendance,
    Availability,
    Mode,
    attendance_id,
    check_availability,
    default_availability,
)
from boyin_scheduling.domain.editions import Edition, EditionPlan, EditionStatus, check_plan
from boyin_scheduling.domain.meetings import Meeting, Party, Source, Status
from boyin_scheduling.domain.rules import error, not_yours, refuse
from boyin_scheduling.domain.sessions import Session, SessionPlan, SessionStatus, check_session
from boyin_scheduling.fair import PartyInfo
from boyin_scheduling.planner import Planner, Repos
from boyin_shared.clock import new_id, utcnow
from boyin_shared.contracts.scheduling import AgendaPublished, AgendaRelease
from boyin_shared.errors import BoyinError, Message, invalid, not_found
from boyin_shared.events import Event
from boyin_shared.identity import Actor, Role
from boyin_shared.store import AlreadyExists

T = TypeVar("T")
STAFF_ONLY = Message("仅限工作人员", "staff only")


def require_staff(actor: Actor) -> None:
    if not actor.is_staff:
        raise BoyinError(code="FORBIDDEN", message=STAFF_ONLY, status=403)


def own_party(actor: Actor) -> str:
    if actor.party_id is None or actor.role is Role.PUBLIC:
        raise not_yours(
            "需以人才或机构身份登录", "sign in as a talent or an organisation to do this"
        )
    return actor.party_id


@dataclass
class Scheduling:
    repos: Repos
    planner: Planner
    clock: Callable[[], datetime] = utcnow

    # -- editions ------------------------------------------------------------------

    async def edition(self, actor: Actor, edition_id: str) -> Edition:
        edition = await self.planner.edition(edition_id)
        if edition.status is EditionStatus.DRAFT and not actor.is_staff:
            raise not_found("edition", edition_id, zh_kind="展会")
        return edition

    async def editions(self, actor: Actor) -> list[Edition]:
        statuses = [
            s.value for s in EditionStatus if actor.is_staff or s is not EditionStatus.DRAFT
        ]
        return await self.repos.editions.listed(statuses)

    async def create_edition(self, actor: Actor, plan: EditionPlan) -> Edition:
        require_staff(actor)
        check_plan(plan)
        edition = Edition(id=new_id("ed_"), plan=plan)
        await self.repos.editions.add(edition)
        return edition

    async def edit_edition(self, actor: Actor, edition_id: str, plan: EditionPlan) -> Edition:
        require_staff(actor)
        edition = await self._change_edition(edition_id, lambda e: _pure(e.edit(plan)))
        self.planner.kick()
        return edition

    async def open_edition(self, actor: Actor, edition_id: str) -> Edition:
        require_staff(actor)
        edition = await self._change_edition(edition_id, lambda e: _async(e.open()))
        return edition

    async def close_edition(self, actor: Actor, edition_id: str) -> Edition:
        require_staff(actor)
        return await self._change_edition(edition_id, lambda e: _async(e.close()))

    async def publish_agenda(self, actor: Actor, edition_id: str) -> Edition:
        """Publish every draft session, then announce the agenda's new version."""
        require_staff(actor)
        await self.planner.edition(edition_id)
        drafts = await self.repos.sessions.of_edition(edition_id, [SessionStatus.DRAFT.value])
        for s in drafts:
            await self._change_session(s.id, lambda x: _async(x.publish()))
        live = await self.repos.sessions.of_edition(edition_id, [SessionStatus.PUBLISHED.value])

        async def release(e: Edition) -> tuple[Edition, list[Event]]:
            new = e.agenda_released()
            release = AgendaRelease(edition=new.snapshot(), session_ids=tuple(s.id for s in live))
            return new, [AgendaPublished.create(subject=e.id, data=release)]

        edition = await self._change_edition(edition_id, release)
        self.planner.kick()
        return edition

    async def _change_edition(
        self, edition_id: str, mutate: Callable[[Edition], Awaitable[tuple[Edition, list[Event]]]]
    ) -> Edition:
        changed = await self.repos.editions.change(edition_id, mutate)
        if changed is None:
            raise not_found("edition", edition_id, zh_kind="展会")
        return changed

    # -- sessions ------------------------------------------------------------------

    async def session(self, actor: Actor, session_id: str) -> Session:
        loaded = await self.repos.sessions.get(session_id)
        if loaded is None or (
            loaded.aggregate.status is SessionStatus.DRAFT and not actor.is_staff
        ):
            raise not_found("session", session_id, zh_kind="场次")
        return loaded.aggregate

    async def sessions(self, actor: Actor, edition_id: str) -> list[Session]:
        await self.edition(actor, edition_id)
        statuses = (
            None
            if actor.is_staff
            else [SessionStatus.PUBLISHED.value, SessionStatus.CANCELLED.value]
        )
        return await self.repos.sessions.of_edition(edition_id, statuses)

    async def add_session(self, actor: Actor, edition_id: str, plan: SessionPlan) -> Session:
        require_staff(actor)
        edition = await self.planner.edition(edition_id)
        await self._check_session(edition, plan)
        session = Session(id=new_id("se_"), edition_id=edition_id, plan=plan)
        await self.repos.sessions.add(session)
        return session

    async def edit_session(self, actor: Actor, session_id: str, plan: SessionPlan) -> Session:
        require_staff(actor)
        current = await self.session(actor, session_id)
        await self._check_session(await self.planner.edition(current.edition_id), plan)
        session = await self._change_session(session_id, lambda s: _async(s.edit(plan)))
        self.planner.kick()
        return session

    async def cancel_session(self, actor: Actor, session_id: str) -> Session:
        require_staff(actor)
        session = await self._change_session(session_id, lambda s: _async(s.cancel()))
        self.planner.kick()
        return session

    async def sign_up(self, actor: Actor, session_id: str, party_id: str | None = None) -> Session:
        party = await self._acting_party(actor, party_id)
        session = await self.session(actor, session_id)
        (await self.planner.edition(session.edition_id)).require_open()
        if session.state_of(party.id) is None:
            clash = [
                s
                for s in await self.repos.sessions.of_party(session.edition_id, party.id)
                if s.id != session.id
                and s.status is SessionStatus.PUBLISHED
                and s.involves(party.id)
                and s.plan.start < session.plan.end
                and session.plan.start < s.plan.end
            ]
            if clash:
                other = clash[0].plan.title
                raise refuse(
                    "SESSION_CLASH",
                    f"与您已报名的场次时间冲突：{other.best('zh')}",
                    f"it overlaps a session you are in: {other.best('en')}",
                )
        now = self.clock()
        changed = await self._change_session(session_id, lambda s: _async(s.sign_up(party.id, now)))
        self.planner.kick()
        return changed

    async def withdraw(self, actor: Actor, session_id: str, party_id: str | None = None) -> Session:
        party = await self._acting_party(actor, party_id)
        changed = await self._change_session(session_id, lambda s: _async(s.withdraw(party.id)))
        self.planner.kick()
        return changed

    async def _check_session(self, edition: Edition, plan: SessionPlan) -> None:
        check_session(plan, edition.starts(), edition.ends(), {r.id for r in edition.plan.rooms})
        known = await self.repos.parties.get_many([p.party_id for p in plan.presenters])
        unknown = [
            error(
                f"presenters.{i}.party_id",
                "unknown_participant",
                f"未登记：{p.party_id}",
                f"not registered: {p.party_id}",
            )
            for i, p in enumerate(plan.presenters)
            if p.party_id not in known
        ]
        if unknown:
            raise invalid(unknown)

    async def _change_session(
        self, session_id: str, mutate: Callable[[Session], Awaitable[tuple[Session, list[Event]]]]
    ) -> Session:
        changed = await self.repos.sessions.change(session_id, mutate)
        if changed is None:
            raise not_found("session", session_id, zh_kind="场次")
        return changed

    # -- attendance ----------------------------------------------------------------

    async def party(self, party_id: str, field: str = "party_id") -> PartyInfo:
        loaded = await self.repos.parties.get(party_id)
        if loaded is None:
            raise invalid(
                [
                    error(
                        field,
                        "unknown_participant",
                        f"该人才或机构尚未在平台登记：{party_id}",
                        f"no registered talent or organisation {party_id}",
                    )
                ]
            )
        return loaded.aggregate

    async def _acting_party(self, actor: Actor, party_id: str | None) -> PartyInfo:
        """The caller's own party, or (staff only) the one named."""
        return await self.party(await self.acting_party_id(actor, party_id))

    async def acting_party_id(self, actor: Actor, party_id: str | None) -> str:
        if party_id is not None and party_id != actor.party_id:
            require_staff(actor)
            return party_id
        return own_party(actor)

    async def attendance(
        self, actor: Actor, edition_id: str, party_id: str | None = None
    ) -> Attendance:
        """The participant's attendance (created with the defaults on first sight)."""
        party = await self._acting_party(actor, party_id)
        edition = await self.edition(actor, edition_id)
        loaded = await self.repos.attendances.get(attendance_id(edition.id, party.id))
        if loaded is not None:
            return loaded.aggregate
        fresh = Attendance.new(
            edition.id,
            party.id,
            party.kind,
            default_availability(party.kind, party.timezone, party.country),
        )
        try:
            await self.repos.attendances.add(fresh)
            return fresh
        except AlreadyExists:
            again = await self.repos.attendances.get(fresh.id)
            assert again is not None
            return again.aggregate

    async def declare(
        self, actor: Actor, edition_id: str, availability: Availability, party_id: str | None = None
    ) -> Attendance:
        current = await self.attendance(actor, edition_id, party_id)
        edition = await self.planner.edition(edition_id)
        if edition.status is EditionStatus.CLOSED:
            raise refuse("EDITION_CLOSED", "该届展会已结束", "the edition is closed")
        check_availability(availability, edition.starts(), edition.ends(), current.kind)
        changed = await self.repos.attendances.change(
            current.id, lambda a: _pure(a.declare(availability))
        )
        assert changed is not None
        self.planner.kick()
        return changed

    async def rotate_calendar(self, actor: Actor, edition_id: str) -> Attendance:
        current = await self.attendance(actor, edition_id)
        changed = await self.repos.attendances.change(
            current.id, lambda a: _pure(a.rotate_calendar_token())
        )
        assert changed is not None
        return changed

    async def check_in(self, actor: Actor, token: str) -> Attendance:
        require_staff(actor)
        found = await self.repos.attendances.by_token("checkin_token", token)
        if found is None:
            raise not_found("check-in code", "…", zh_kind="签到码")
        now = self.clock()
        changed = await self.repos.attendances.change(found.id, lambda a: _async(a.check_in(now)))
        assert changed is not None
        return changed

    async def by_calendar_token(self, token: str) -> Attendance:
        found = await self.repos.attendances.by_token("calendar_token", token)
        if found is None:
            raise not_found("calendar", "…", zh_kind="日历")
        return found

    # -- meetings ------------------------------------------------------------------

    async def meeting(self, actor: Actor, meeting_id: str) -> Meeting:
        loaded = await self.repos.meetings.get(meeting_id)
        if loaded is None or not (actor.is_staff or loaded.aggregate.involves(actor.party_id)):
            raise not_found("meeting", meeting_id, zh_kind="会谈")
        return loaded.aggregate

    async def request_meeting(
        self,
        actor: Actor,
        edition_id: str,
        *,
        invitee_id: str,
        requester_id: str | None,
        mode: Mode | None,
        note: str | None,
        weight: int | None,
        must_meet: bool,
    ) -> Meeting:
        """A participant asks another for a meeting (REQUESTED); staff arrange one (ACCEPTED)."""
        staff = actor.is_staff
        if not staff and (
            weight is not None or must_meet or requester_id not in (None, actor.party_id)
        ):
            raise not_yours(
                "只有工作人员可以指定优先级、必见或代他人发起",
                "only staff set priorities, must-meet, or request for someone else",
            )
        edition = await self.edition(actor, edition_id)
        edition.require_open()
        requester = await self.party(requester_id or own_party(actor), "requester_id")
        invitee = await self.party(invitee_id, "invitee_id")
        if requester.id == invitee.id:
            raise invalid(
                [
                    error(
                        "invitee_id",
                        "same_participant",
                        "不能与自己会谈",
                        "you cannot meet yourself",
                    )
                ]
            )
        if mode is Mode.ON_SITE:
            for side, party in (("requester_id", requester), ("invitee_id", invitee)):
                att = await self.repos.attendances.get(attendance_id(edition_id, party.id))
                declared = att.aggregate.availability if att is not None else None
                av = declared or default_availability(party.kind, party.timezone, party.country)
                if av.mode is Mode.ONLINE:
                    raise invalid(
                        [
                            error(
                                side,
                                "online_only",
                                f"{party.name.best()} 只能线上参会",
                                f"{party.name.best('en')} takes part online only",
                            )
                        ]
                    )
        open_ = [
            m
            for m in await self.repos.meetings.of_party(requester.id, edition_id, limit=1000)
            if invitee.id in m.parties and m.status in (Status.REQUESTED, Status.ACCEPTED)
        ]
        if open_:
            raise refuse(
                "ALREADY_REQUESTED",
                "双方已有待答复或已接受的会谈请求",
                "the two already have a pending or accepted meeting request",
            )
        meeting = Meeting(
            id=new_id("mt_"),
            edition_id=edition_id,
            requester=Party(requester.kind, requester.id),
            invitee=Party(invitee.kind, invitee.id),
            source=Source.OPERATOR if staff else Source.DIRECT,
            status=Status.ACCEPTED if staff else Status.REQUESTED,
            weight=50 if weight is None else weight,
            must_meet=must_meet,
            mode=mode,
            note=note,
        )
        await self.repos.meetings.add(meeting, meeting.created(actor))
        self.planner.kick()
        return meeting

    async def answer(
        self, actor: Actor, meeting_id: str, accept: bool, reason: str | None
    ) -> Meeting:
        await self.meeting(actor, meeting_id)
        return await self._change_meeting(
            meeting_id, lambda m: _async(m.answer(actor, accept, reason))
        )

    async def cancel_meeting(self, actor: Actor, meeting_id: str, reason: str | None) -> Meeting:
        await self.meeting(actor, meeting_id)
        return await self._change_meeting(meeting_id, lambda m: _async(m.cancel(actor, reason)))

    async def set_link(self, actor: Actor, meeting_id: str, link: str | None) -> Meeting:
        await self.meeting(actor, meeting_id)
        return await self._change_meeting(meeting_id, lambda m: _pure(m.set_link(actor, link)))

    async def record_outcome(
        self, actor: Actor, meeting_id: str, held: bool, absent: tuple[str, ...]
    ) -> Meeting:
        await self.meeting(actor, meeting_id)
        now = self.clock()
        return await self._change_meeting(
            meeting_id, lambda m: _async(m.record_outcome(actor, held, absent, now))
        )

    async def _change_meeting(
        self, meeting_id: str, mutate: Callable[[Meeting], Awaitable[tuple[Meeting, list[Event]]]]
    ) -> Meeting:
        changed = await self.repos.meetings.change(meeting_id, mutate)
        if changed is None:
            raise not_found("meeting", meeting_id, zh_kind="会谈")
        self.planner.kick()
        return changed


async def _async(result: tuple[T, list[Event]]) -> tuple[T, list[Event]]:
    return result


async def _pure(aggregate: T) -> tuple[T, list[Event]]:
    return aggregate, []
