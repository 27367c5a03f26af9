"""One-on-one meeting requests: who asked whom, the answer, where and when, and whether
it happened.

REQUESTED → ACCEPTED (the invitee agrees) or DECLINED; REQUESTED/ACCEPTED → CANCELLED.
A meeting from a mutual match or arranged by an operator starts ACCEPTED: both sides
have already agreed. The scheduler gives an accepted meeting its ``place``; after the
slot has begun, a participant or an operator records whether it was held.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from boyin_scheduling.rules import not_yours, refuse
from boyin_shared.api.scheduling import MeetingOutcome, MeetingSource, MeetingStatus, Mode
from boyin_shared.contracts.scheduling import (
    MeetingAccepted,
    MeetingCancelled,
    MeetingChange,
    MeetingDeclined,
    MeetingHeld,
    MeetingNoShow,
    MeetingParty,
    MeetingPlace,
    MeetingRequested,
    MeetingRescheduled,
    MeetingScheduled,
    MeetingSnapshot,
)
from boyin_shared.events import Event
from boyin_shared.identity import Actor


def meeting_of_match(match_id: str) -> str:
    """The id of the meeting a mutual match becomes (a redelivery finds it there)."""
    return f"mt_match_{match_id}"


@dataclass(frozen=True)
class Party:
    kind: str  # "talent" | "organisation"
    id: str


@dataclass(frozen=True)
class Place:
    slot_id: str
    start: datetime
    end: datetime
    table: int | None
    schedule_version: int


@dataclass(frozen=True)
class Meeting:
    id: str
    edition_id: str
    requester: Party
    invitee: Party
    source: MeetingSource
    status: MeetingStatus
    #: priority 0–100 (a match's score in percent)
    weight: int = 50
    must_meet: bool = False
    #: None: decided from both sides' attendance (online if either is online)
    mode: Mode | None = None
    match_id: str | None = None
    video_link: str | None = None
    note: str | None = None
    place: Place | None = None
    outcome: MeetingOutcome | None = None
    absent: tuple[str, ...] = ()
    #: the schedule version this meeting's place was last brought up to date with
    synced_version: int = 0
    revision: int = 1

    @property
    def parties(self) -> tuple[str, str]:
        return self.requester.id, self.invitee.id

    def involves(self, party_id: str | None) -> bool:
        return party_id is not None and party_id in self.parties

    # -- creation ------------------------------------------------------------------

    def created(self, actor: Actor) -> list[Event]:
        first = MeetingRequested if self.status is MeetingStatus.REQUESTED else MeetingAccepted
        return [self._event(first, actor.role.value)]

    # -- answers and cancellation --------------------------------------------------

    def answer(self, actor: Actor, accept: bool, reason: str | None) -> tuple[Meeting, list[Event]]:
        if not (actor.is_staff or actor.party_id == self.invitee.id):
            raise not_yours("只有受邀方可以答复", "only the invitee answers a request")
        target = MeetingStatus.ACCEPTED if accept else MeetingStatus.DECLINED
        if self.status is target:
            return self, []
        if self.status is not MeetingStatus.REQUESTED:
            raise refuse(
                "ALREADY_ANSWERED",
                f"该请求已是{_ZH[self.status]}状态",
                f"the request is already {self.status.value.lower()}",
            )
        new = self._next(status=target)
        kind = MeetingAccepted if accept else MeetingDeclined
        return new, [new._event(kind, actor.role.value, reason=reason)]

    def cancel(self, actor: Actor, reason: str | None) -> tuple[Meeting, list[Event]]:
        if not (actor.is_staff or self.involves(actor.party_id)):
            raise not_yours("只有会谈双方或工作人员可以取消", "only the two sides or staff cancel")
        if self.status is MeetingStatus.CANCELLED:
            return self, []
        if self.status is MeetingStatus.DECLINED or self.outcome is not None:
            raise refuse(
                "CANNOT_CANCEL",
                "已谢绝或已结束的会谈不能取消",
                "a declined or finished meeting cannot be cancelled",
            )
        # the place stays as it was: agendas and calendars show the slot as cancelled
        new = self._next(status=MeetingStatus.CANCELLED)
        return new, [new._event(MeetingCancelled, actor.role.value, reason=reason)]

    def set_link(self, actor: Actor, link: str | None) -> Meeting:
        if not (actor.is_staff or self.involves(actor.party_id)):
            raise not_yours("只有会谈双方或工作人员可以修改", "only the two sides or staff")
        return self._next(video_link=link)

    # -- the scheduler -------------------------------------------------------------

    def placed(self, place: Place | None, version: int) -> tuple[Meeting, list[Event]]:
        """Bring the place up to date with schedule ``version``."""
        if self.status is not MeetingStatus.ACCEPTED or self.outcome is not None:
            return dataclasses.replace(self, synced_version=version), []
        before = self.place
        same = (before is None and place is None) or (
            before is not None
            and place is not None
            and (before.slot_id, before.table) == (place.slot_id, place.table)
        )
        if same:
            return dataclasses.replace(self, synced_version=version, place=place or before), []
        new = self._next(place=place, synced_version=version)
        if before is None:
            return new, [new._event(MeetingScheduled, "SERVICE")]
        return new, [new._event(MeetingRescheduled, "SERVICE", previous=before)]

    # -- after the slot ------------------------------------------------------------

    def record_outcome(
        self, actor: Actor, held: bool, absent: tuple[str, ...], now: datetime
    ) -> tuple[Meeting, list[Event]]:
        if not (actor.is_staff or self.involves(actor.party_id)):
            raise not_yours("只有会谈双方或工作人员可以登记", "only the two sides or staff")
        if self.status is not MeetingStatus.ACCEPTED or self.place is None:
            raise refuse("NOT_SCHEDULED", "该会谈尚未排定时间", "the meeting has no time yet")
        if now < self.place.start:
            raise refuse(
                "NOT_STARTED",
                "会谈开始后才能登记结果",
                "record the outcome once the meeting has begun",
            )
        stranger = [p for p in absent if p not in self.parties]
        if stranger or (held and absent) or (not held and not absent):
            raise refuse(
                "BAD_OUTCOME",
                "未举行时须指明缺席的一方（且只能是会谈双方）；已举行时不能有缺席方",
                "a no-show names who was absent (one of the two sides); a held meeting names none",
            )
        outcome = MeetingOutcome.HELD if held else MeetingOutcome.NO_SHOW
        if self.outcome is outcome and self.absent == absent:
            return self, []
        new = self._next(outcome=outcome, absent=absent)
        kind = MeetingHeld if held else MeetingNoShow
        return new, [new._event(kind, actor.role.value, absent=absent)]

    # -- events --------------------------------------------------------------------

    def _next(self, **changes: Any) -> Meeting:
        return dataclasses.replace(self, revision=self.revision + 1, **changes)

    def snapshot(self) -> MeetingSnapshot:
        return MeetingSnapshot(
            meeting_id=self.id,
            edition_id=self.edition_id,
            requester=MeetingParty(party_kind=self.requester.kind, party_id=self.requester.id),
            invitee=MeetingParty(party_kind=self.invitee.kind, party_id=self.invitee.id),
            source=self.source.value,
            match_id=self.match_id,
            status=self.status.value,
            outcome=self.outcome.value if self.outcome else None,
            mode=self.mode.value if self.mode else None,
            place=self._place(self.place),
            revision=self.revision,
        )

    def _place(self, place: Place | None) -> MeetingPlace | None:
        if place is None:
            return None
        return MeetingPlace(
            slot_id=place.slot_id,
            start=place.start,
            end=place.end,
            table=place.table,
            video_link=self.video_link if place.table is None else None,
            schedule_version=place.schedule_version,
        )

    def _event(
        self,
        kind: type[Event],
        by_role: str,
        *,
        reason: str | None = None,
        previous: Place | None = None,
        absent: tuple[str, ...] = (),
    ) -> Event:
        return kind.create(
            subject=self.id,
            sequence=self.revision,
            data=MeetingChange(
                meeting=self.snapshot(),
                previous_place=self._place(previous),
                by_role=by_role,
                reason=reason,
                absent=absent,
            ),
        )


_ZH = {
    MeetingStatus.REQUESTED: "待答复",
    MeetingStatus.ACCEPTED: "已接受",
    MeetingStatus.DECLINED: "已谢绝",
    MeetingStatus.CANCELLED: "已取消",
}
