"""One participant's presence at one edition: on site or online, when they are there,
what they cannot do, and the secret tokens of their check-in QR code and calendar feed.

A participant who declares nothing attends with :func:`default_availability`: the whole
fair, on site in Chongqing, or online from abroad (a talent whose country is not China).
"""

from __future__ import annotations

import dataclasses
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from boyin_scheduling.rules import check_span, error, refuse
from boyin_scheduling.solver.checks import zone
from boyin_shared.api.scheduling import Mode
from boyin_shared.contracts.scheduling import CheckIn, ParticipantCheckedIn
from boyin_shared.errors import FieldError, invalid
from boyin_shared.events import Event

MAX_REPRESENTATIVES = 20
MAX_MIN_MEETINGS = 32


@dataclass(frozen=True)
class Span:
    start: datetime
    end: datetime


@dataclass(frozen=True)
class Availability:
    mode: Mode
    timezone: str
    arrival: datetime | None = None
    departure: datetime | None = None
    blocked: tuple[Span, ...] = ()
    #: meetings an organisation can hold at once (people it sends)
    representatives: int = 1
    #: meetings the participant should get at least, where possible
    min_meetings: int = 0


def default_availability(kind: str, timezone: str | None, country: str | None) -> Availability:
    abroad = kind == "talent" and country not in (None, "", "CN")
    tz = timezone if timezone and zone(timezone) is not None else "Asia/Shanghai"
    return Availability(mode=Mode.ONLINE if abroad else Mode.ON_SITE, timezone=tz)


def attendance_id(edition_id: str, party_id: str) -> str:
    return f"{edition_id}.{party_id}"


def new_token() -> str:
    return secrets.token_urlsafe(24)


@dataclass(frozen=True)
class Attendance:
    id: str
    edition_id: str
    party_id: str
    kind: str  # "talent" | "organisation"
    availability: Availability
    checkin_token: str
    calendar_token: str
    declared: bool = False
    checked_in_at: datetime | None = None
    revision: int = 1

    @classmethod
    def new(
        cls, edition_id: str, party_id: str, kind: str, availability: Availability
    ) -> Attendance:
        return cls(
            id=attendance_id(edition_id, party_id),
            edition_id=edition_id,
            party_id=party_id,
            kind=kind,
            availability=availability,
            checkin_token=new_token(),
            calendar_token=new_token(),
        )

    def declare(self, availability: Availability) -> Attendance:
        return dataclasses.replace(
            self, availability=availability, declared=True, revision=self.revision + 1
        )

    def rotate_calendar_token(self) -> Attendance:
        return dataclasses.replace(self, calendar_token=new_token(), revision=self.revision + 1)

    def check_in(
        self, now: datetime, opens: datetime, closes: datetime
    ) -> tuple[Attendance, list[Event]]:
        """Check in at ``now``; the venue takes check-ins from ``opens`` (the first fair
        day's start, local time) until ``closes`` (the end of the last day)."""
        if self.availability.mode is Mode.ONLINE:
            raise refuse(
                "ONLINE_PARTICIPANT",
                "该参与者登记为线上参会，无需现场签到",
                "this participant takes part online; there is nothing to check in",
            )
        if self.checked_in_at is not None:
            return self, []  # scanning twice is harmless
        first, last = opens.date().isoformat(), (closes - timedelta(seconds=1)).date().isoformat()
        if now < opens:
            raise refuse(
                "CHECK_IN_TOO_EARLY",
                f"签到尚未开始：展会 {first} 开幕，当天起方可签到（以展会当地时间为准）",
                f"check-in has not begun: the fair opens on {first} (local time at the fair)",
            )
        if now >= closes:
            raise refuse(
                "CHECK_IN_TOO_LATE",
                f"签到已结束：展会已于 {last} 闭幕（以展会当地时间为准）",
                f"check-in is over: the fair ended on {last} (local time at the fair)",
            )
        new = dataclasses.replace(self, checked_in_at=now, revision=self.revision + 1)
        event = ParticipantCheckedIn.create(
            subject=self.id,
            data=CheckIn(edition_id=self.edition_id, party_id=self.party_id, at=now),
        )
        return new, [event]


def check_availability(av: Availability, starts: datetime, ends: datetime, kind: str) -> None:
    """Raise one ``invalid`` error listing every bad field; ``starts``/``ends`` bound the
    edition's dates."""
    out: list[FieldError] = []
    if zone(av.timezone) is None:
        out.append(
            error(
                "timezone",
                "UNKNOWN_TIME_ZONE",
                f"未知时区：{av.timezone}",
                f"unknown time zone: {av.timezone}",
            )
        )
    if av.arrival is not None and av.departure is not None:
        stay: list[FieldError] = []
        check_span("", av.arrival, av.departure, stay)
        out += [
            dataclasses.replace(e, field="departure" if e.field == ".end" else "arrival")
            for e in stay
        ]
    for name in ("arrival", "departure"):
        moment: datetime | None = getattr(av, name)
        if moment is None:
            continue
        if moment.tzinfo is None:
            out.append(error(name, "NAIVE_DATETIME", "时间必须带时区", "a time needs a zone"))
        elif not starts <= moment <= ends:
            out.append(
                error(
                    name,
                    "OUTSIDE_EDITION",
                    "时间不在展会日期内",
                    "the time is outside the edition's dates",
                )
            )
    for i, span in enumerate(av.blocked):
        check_span(f"blocked.{i}", span.start, span.end, out)
    if not 1 <= av.representatives <= MAX_REPRESENTATIVES:
        out.append(
            error(
                "representatives",
                "OUT_OF_RANGE",
                f"代表人数须在 1–{MAX_REPRESENTATIVES} 之间",
                f"between 1 and {MAX_REPRESENTATIVES} representatives",
            )
        )
    elif kind == "talent" and av.representatives != 1:
        out.append(
            error(
                "representatives",
                "TALENT_ALONE",
                "人才个人一次只能参加一场会谈",
                "a talent holds one meeting at a time",
            )
        )
    if not 0 <= av.min_meetings <= MAX_MIN_MEETINGS:
        out.append(
            error(
                "min_meetings",
                "OUT_OF_RANGE",
                f"最少会谈数须在 0–{MAX_MIN_MEETINGS} 之间",
                f"the minimum is between 0 and {MAX_MIN_MEETINGS}",
            )
        )
    if out:
        raise invalid(out)
