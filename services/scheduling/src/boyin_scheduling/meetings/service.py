"""Use cases of meeting requests: who may ask, answer, cancel and record a meeting,
loading and saving it with its events; mutual matches becoming accepted meetings. Every
change kicks the planner (``kick``)."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from boyin_scheduling.access import acting_party_id, own_party, require_staff
from boyin_scheduling.attendance.service import AttendanceService
from boyin_scheduling.editions.service import EditionService
from boyin_scheduling.meetings.domain import Meeting, Party, meeting_of_match
from boyin_scheduling.meetings.repository import Meetings, WaitingMatches
from boyin_scheduling.mutations import with_events, without_events
from boyin_scheduling.parties.service import PartyService
from boyin_scheduling.rules import error, not_yours, refuse
from boyin_shared.api.scheduling import MeetingSource, MeetingStatus, Mode
from boyin_shared.clock import new_id, utcnow
from boyin_shared.contracts.matching import MutualMatch
from boyin_shared.errors import invalid, not_found
from boyin_shared.events import Event
from boyin_shared.identity import Actor, Role
from boyin_shared.store import AlreadyExists

log = logging.getLogger("boyin.scheduling.meetings")
#: who creates the meetings of mutual matches
MATCHING = Actor(account_id="matching", role=Role.SERVICE)


@dataclass
class MeetingService:
    meetings: Meetings
    waiting: WaitingMatches
    editions: EditionService
    parties: PartyService
    attendance: AttendanceService
    #: tells the planner that something a timetable depends on changed
    kick: Callable[[], None]
    clock: Callable[[], datetime] = utcnow

    async def meeting(self, actor: Actor, meeting_id: str) -> Meeting:
        """The meeting, if ``actor`` is one of its two sides or staff."""
        loaded = await self.meetings.get(meeting_id)
        if loaded is None or not (actor.is_staff or loaded.aggregate.involves(actor.party_id)):
            raise not_found("meeting", meeting_id, zh_kind="会谈")
        return loaded.aggregate

    async def of_edition(
        self, actor: Actor, edition_id: str, *, status: str | None, after: str | None, limit: int
    ) -> list[Meeting]:
        """A page of every meeting of the edition (staff)."""
        require_staff(actor)
        return await self.meetings.page(edition_id, status=status, after=after, limit=limit)

    async def of_party(
        self,
        actor: Actor,
        edition_id: str | None,
        party_id: str | None,
        *,
        after: str | None,
        limit: int,
    ) -> list[Meeting]:
        """A page of the caller's meetings (staff: anyone's, with ``party_id``)."""
        party = acting_party_id(actor, party_id)
        return await self.meetings.of_party(party, edition_id, after=after, limit=limit)

    async def request(
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
        edition = await self.editions.edition(actor, edition_id)
        edition.require_open()
        requester = await self.parties.known(requester_id or own_party(actor), "requester_id")
        invitee = await self.parties.known(invitee_id, "invitee_id")
        if requester.id == invitee.id:
            raise invalid(
                [
                    error(
                        "invitee_id",
                        "SAME_PARTICIPANT",
                        "不能与自己会谈",
                        "you cannot meet yourself",
                    )
                ]
            )
        if mode is Mode.ON_SITE:
            for side, party in (("requester_id", requester), ("invitee_id", invitee)):
                av = await self.attendance.availability(edition_id, party)
                if av.mode is Mode.ONLINE:
                    raise invalid(
                        [
                            error(
                                side,
                                "ONLINE_ONLY",
                                f"{party.name.best()} 只能线上参会",
                                f"{party.name.best('en')} takes part online only",
                            )
                        ]
                    )
        open_ = [
            m
            for m in await self.meetings.of_party(requester.id, edition_id, limit=1000)
            if invitee.id in m.parties
            and m.status in (MeetingStatus.REQUESTED, MeetingStatus.ACCEPTED)
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
            source=MeetingSource.OPERATOR if staff else MeetingSource.DIRECT,
            status=MeetingStatus.ACCEPTED if staff else MeetingStatus.REQUESTED,
            weight=50 if weight is None else weight,
            must_meet=must_meet,
            mode=mode,
            note=note,
        )
        await self.meetings.add(meeting, meeting.created(actor))
        self.kick()
        return meeting

    async def answer(
        self, actor: Actor, meeting_id: str, accept: bool, reason: str | None
    ) -> Meeting:
        await self.meeting(actor, meeting_id)
        return await self._change(
            meeting_id, lambda m: with_events(m.answer(actor, accept, reason))
        )

    async def cancel(self, actor: Actor, meeting_id: str, reason: str | None) -> Meeting:
        await self.meeting(actor, meeting_id)
        return await self._change(meeting_id, lambda m: with_events(m.cancel(actor, reason)))

    async def set_link(self, actor: Actor, meeting_id: str, link: str | None) -> Meeting:
        await self.meeting(actor, meeting_id)
        return await self._change(meeting_id, lambda m: without_events(m.set_link(actor, link)))

    async def record_outcome(
        self, actor: Actor, meeting_id: str, held: bool, absent: tuple[str, ...]
    ) -> Meeting:
        await self.meeting(actor, meeting_id)
        now = self.clock()
        return await self._change(
            meeting_id, lambda m: with_events(m.record_outcome(actor, held, absent, now))
        )

    async def _change(
        self, meeting_id: str, mutate: Callable[[Meeting], Awaitable[tuple[Meeting, list[Event]]]]
    ) -> Meeting:
        changed = await self.meetings.change(meeting_id, mutate)
        if changed is None:
            raise not_found("meeting", meeting_id, zh_kind="会谈")
        self.kick()
        return changed

    # -- mutual matches ------------------------------------------------------------

    async def accept_match(self, match: MutualMatch) -> None:
        """A mutual match becomes an accepted meeting of the edition its demands name (or
        the fallback of ``editions.domain.for_match``), or waits for it to open
        (idempotent: the meeting's id derives from the match)."""
        data = match.model_dump(mode="json")
        edition = await self.editions.for_match(named_editions(data), self.clock())
        if edition is None:
            await self.waiting.park(match.match_id, data)
            return
        await self._from_match(edition.id, data)

    async def assign_waiting(self) -> int:
        """Move waiting matches into the editions they meet in, as those open (run
        periodically; idempotent). Returns how many were moved."""
        moved = 0
        for match_id, match in await self.waiting.listed(limit=200):
            edition = await self.editions.for_match(named_editions(match), self.clock())
            if edition is None:
                continue
            await self._from_match(edition.id, match)
            await self.waiting.remove(match_id)
            moved += 1
        if moved:
            log.info("assigned %d waiting matches to their editions", moved)
        return moved

    async def _from_match(self, edition_id: str, match: dict[str, Any]) -> None:
        first, second = match["first"], match["second"]
        meeting = Meeting(
            id=meeting_of_match(match["match_id"]),
            edition_id=edition_id,
            requester=Party(first["party_kind"], first["party_id"]),
            invitee=Party(second["party_kind"], second["party_id"]),
            source=MeetingSource.MATCH,
            status=MeetingStatus.ACCEPTED,
            weight=max(0, min(100, round(float(match["score"]) * 100))),
            match_id=match["match_id"],
        )
        try:
            await self.meetings.add(meeting, meeting.created(MATCHING))
        except AlreadyExists:
            return  # a redelivery: the meeting is there already
        self.kick()


def named_editions(match: dict[str, Any]) -> list[str]:
    """The edition codes a mutual match's demands name, most wanted first: those both
    demands name, then the demand side's (``second``), then the supply side's (``first``).
    Matches announced before events carried editions name none."""
    first = list(match["first"].get("editions", []))
    second = list(match["second"].get("editions", []))
    both = [code for code in second if code in first]
    return list(dict.fromkeys([*both, *second, *first]))
