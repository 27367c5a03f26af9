"""Use cases of agenda sessions: who may see, plan, join and leave a session, loading and
saving it with its events; publishing an edition's agenda. Every change a timetable
depends on kicks the planner (``kick``)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime

from boyin_scheduling.access import require_staff
from boyin_scheduling.attendance.service import AttendanceService
from boyin_scheduling.editions.domain import Edition
from boyin_scheduling.editions.service import EditionService
from boyin_scheduling.mutations import with_events
from boyin_scheduling.parties.service import PartyService
from boyin_scheduling.rules import error, refuse
from boyin_scheduling.sessions.domain import (
    Session,
    SessionPlan,
    SignUp,
    check_presenters,
    check_session,
)
from boyin_scheduling.sessions.repository import Sessions
from boyin_shared.api.scheduling import SessionStatus
from boyin_shared.clock import new_id, utcnow
from boyin_shared.contracts.scheduling import AgendaPublished, AgendaRelease
from boyin_shared.errors import FieldError, invalid, not_found
from boyin_shared.events import Event
from boyin_shared.identity import Actor


@dataclass
class SessionService:
    sessions: Sessions
    editions: EditionService
    parties: PartyService
    #: how each presenter takes part (on site or online, their time zone)
    attendance: AttendanceService
    #: tells the planner that something a timetable depends on changed
    kick: Callable[[], None]
    clock: Callable[[], datetime] = utcnow

    async def session(self, actor: Actor, session_id: str) -> Session:
        """The session as ``actor`` may see it (a draft is staff's only)."""
        loaded = await self.sessions.get(session_id)
        if loaded is None or (
            loaded.aggregate.status is SessionStatus.DRAFT and not actor.is_staff
        ):
            raise not_found("session", session_id, zh_kind="场次")
        return loaded.aggregate

    async def listed(self, actor: Actor, edition_id: str) -> list[Session]:
        await self.editions.edition(actor, edition_id)
        statuses = (
            None
            if actor.is_staff
            else [SessionStatus.PUBLISHED.value, SessionStatus.CANCELLED.value]
        )
        return await self.sessions.of_edition(edition_id, statuses)

    async def sign_ups(self, actor: Actor, session_id: str) -> tuple[SignUp, ...]:
        require_staff(actor)
        return (await self.session(actor, session_id)).sign_ups

    # -- operators -----------------------------------------------------------------

    async def add(
        self, actor: Actor, edition_id: str, plan: SessionPlan
    ) -> tuple[Session, list[FieldError]]:
        """The new session and the warnings about its presenters."""
        require_staff(actor)
        edition = await self.editions.load(edition_id)
        warnings = await self._check(edition, plan)
        session = Session(id=new_id("se_"), edition_id=edition_id, plan=plan)
        await self.sessions.add(session)
        return session, warnings

    async def edit(
        self, actor: Actor, session_id: str, plan: SessionPlan
    ) -> tuple[Session, list[FieldError]]:
        """The changed session and the warnings about its presenters."""
        require_staff(actor)
        current = await self.session(actor, session_id)
        warnings = await self._check(await self.editions.load(current.edition_id), plan)
        session = await self.change(session_id, lambda s: with_events(s.edit(plan)))
        self.kick()
        return session, warnings

    async def cancel(self, actor: Actor, session_id: str) -> Session:
        require_staff(actor)
        session = await self.change(session_id, lambda s: with_events(s.cancel()))
        self.kick()
        return session

    async def publish_agenda(self, actor: Actor, edition_id: str) -> Edition:
        """Publish every draft session, then announce the agenda's new version."""
        require_staff(actor)
        await self.editions.load(edition_id)
        drafts = await self.sessions.of_edition(edition_id, [SessionStatus.DRAFT.value])
        for s in drafts:
            await self.change(s.id, lambda x: with_events(x.publish()))
        live = await self.sessions.of_edition(edition_id, [SessionStatus.PUBLISHED.value])

        async def release(e: Edition) -> tuple[Edition, list[Event]]:
            new = e.agenda_released()
            release = AgendaRelease(edition=new.snapshot(), session_ids=tuple(s.id for s in live))
            return new, [AgendaPublished.create(subject=e.id, data=release)]

        edition = await self.editions.change(edition_id, release)
        self.kick()
        return edition

    # -- participants --------------------------------------------------------------

    async def sign_up(self, actor: Actor, session_id: str, party_id: str | None = None) -> Session:
        party = await self.parties.acting(actor, party_id)
        session = await self.session(actor, session_id)
        (await self.editions.load(session.edition_id)).require_open()
        if session.state_of(party.id) is None:
            clash = [
                s
                for s in await self.sessions.of_party(session.edition_id, party.id)
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
        changed = await self.change(session_id, lambda s: with_events(s.sign_up(party.id, now)))
        self.kick()
        return changed

    async def withdraw(self, actor: Actor, session_id: str, party_id: str | None = None) -> Session:
        party = await self.parties.acting(actor, party_id)
        changed = await self.change(session_id, lambda s: with_events(s.withdraw(party.id)))
        self.kick()
        return changed

    # -- helpers -------------------------------------------------------------------

    async def _check(self, edition: Edition, plan: SessionPlan) -> list[FieldError]:
        """Refuse a bad plan; the warnings a sound one deserves."""
        check_session(plan, edition.starts(), edition.ends(), {r.id for r in edition.plan.rooms})
        known = await self.parties.many([p.party_id for p in plan.presenters])
        unknown = [
            error(
                f"presenters.{i}.party_id",
                "UNKNOWN_PARTICIPANT",
                f"未登记：{p.party_id}",
                f"not registered: {p.party_id}",
            )
            for i, p in enumerate(plan.presenters)
            if p.party_id not in known
        ]
        if unknown:
            raise invalid(unknown)
        presence = {
            p.party_id: await self.attendance.availability(edition.id, known[p.party_id])
            for p in plan.presenters
        }
        return check_presenters(plan, presence)

    async def change(
        self, session_id: str, mutate: Callable[[Session], Awaitable[tuple[Session, list[Event]]]]
    ) -> Session:
        """Load, change and save the session (retrying a concurrent write)."""
        changed = await self.sessions.change(session_id, mutate)
        if changed is None:
            raise not_found("session", session_id, zh_kind="场次")
        return changed
