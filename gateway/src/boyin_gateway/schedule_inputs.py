"""GraphQL inputs of scheduling (editions, agenda sessions, availability, meeting
requests), and :func:`body_of`, which sends one as the service's JSON.

The inputs are written by hand: their GraphQL defaults (``null`` where the service fills
in its own) are not the request models' (``boyin_shared.api.scheduling``), and the
service, not the gateway, validates a body (its refusal is the caller's ``InvalidInput``).
Their enums are scheduling's own (``schedule_enums``).
"""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Any

import strawberry
from pydantic_core import to_jsonable_python

from boyin_gateway.schedule_enums import Mode, SessionKind


def body_of(value: Any) -> Any:
    """An input as the service's JSON: snake_case keys, no nulls (the service's defaults),
    dates, times and enums as strings."""
    if hasattr(value, "__strawberry_definition__"):
        value = strawberry.asdict(value)
    return to_jsonable_python(_without_nulls(value))


def _without_nulls(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _without_nulls(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [_without_nulls(v) for v in value]
    return value


@strawberry.input
class TextInput:
    zh: str | None = None
    en: str | None = None


@strawberry.input
class FairBreakInput:
    start: time
    end: time


@strawberry.input
class FairDayInput:
    day: date
    start: time
    end: time
    breaks: list[FairBreakInput] = strawberry.field(default_factory=list)


@strawberry.input
class RoomInput:
    id: str
    name: TextInput
    venue: TextInput | None = None


@strawberry.input
class MeetingTableInput:
    number: int
    room: str | None = None
    booth_of: str | None = None


@strawberry.input(description="An edition's dates, daily hours, rooms and meeting tables.")
class FairEditionInput:
    name: TextInput
    code: str | None = strawberry.field(
        default=None,
        description="The registry's edition code this fair is (one of the `editions` "
        "reference data, e.g. CQ2026): mutual matches of demands naming it meet here. "
        "One edition per code.",
    )
    timezone: str = "Asia/Shanghai"
    first_day: date
    last_day: date
    slot_minutes: int = 30
    days: list[FairDayInput]
    rooms: list[RoomInput] = strawberry.field(default_factory=list)
    tables: list[MeetingTableInput] = strawberry.field(default_factory=list)
    local_hours_start: time | None = None
    local_hours_end: time | None = None

    def to_body(self) -> dict[str, Any]:
        body: dict[str, Any] = body_of(self)
        start = body.pop("local_hours_start", None)
        end = body.pop("local_hours_end", None)
        if start is not None or end is not None:
            body["local_hours"] = [start or "08:00:00", end or "22:00:00"]
        return body


@strawberry.input
class PresenterInput:
    party_id: str
    title: TextInput | None = None
    start: datetime | None = None
    end: datetime | None = None


@strawberry.input(description="An agenda session; times carry their zone (ISO 8601).")
class AgendaSessionInput:
    kind: SessionKind
    title: TextInput
    description: TextInput | None = None
    start: datetime
    end: datetime
    room: str | None = None
    capacity: int | None = None
    waitlist_limit: int = 0
    departure: datetime | None = None
    meeting_point: TextInput | None = None
    presenters: list[PresenterInput] = strawberry.field(default_factory=list)


@strawberry.input
class TimeSpanInput:
    start: datetime
    end: datetime


@strawberry.input(description="How a participant takes part; times carry their zone.")
class AvailabilityInput:
    mode: Mode
    timezone: str = "Asia/Shanghai"
    arrival: datetime | None = None
    departure: datetime | None = None
    blocked: list[TimeSpanInput] = strawberry.field(default_factory=list)
    representatives: int = 1
    min_meetings: int = 0


@strawberry.input(
    description="A meeting request. Staff may name the requester, a weight (0-100) and "
    "must-meet; a participant asks for themselves."
)
class MeetingRequestInput:
    invitee_id: str
    requester_id: str | None = None
    mode: Mode | None = None
    note: str | None = None
    weight: int | None = None
    must_meet: bool = False
