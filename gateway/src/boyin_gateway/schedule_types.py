"""GraphQL types of scheduling's editions (their grid, agenda sessions, each participant's
attendance and agenda), derived from the scheduling service's API models
(``boyin_shared.api.scheduling``): each class holds only what its model does not say (an
``ID``, an enum where the model has a string, GraphQL names and descriptions, fields left
out) and its resolver fields, which read the service's answer itself (``strawberry.Parent``).

Meetings and the timetable are in ``meeting_types``; the enums are scheduling's own
(``schedule_enums``); the inputs are in ``schedule_inputs``.
"""

from __future__ import annotations

from datetime import time
from typing import Annotated
from urllib.parse import quote

import strawberry

from boyin_gateway.clients import ServiceError
from boyin_gateway.demand_types import Party
from boyin_gateway.derived import derived, shown_as
from boyin_gateway.permissions import nothing, staff_field
from boyin_gateway.schedule_enums import AgendaItemKind, EditionStatus, SessionStatus, SignUpState
from boyin_gateway.types import (
    Conflict,
    FieldError,
    Forbidden,
    InvalidInput,
    NotFound,
    Organisation,
    Talent,
    described_field,
)
from boyin_shared.api.scheduling import (
    AgendaItemOut,
    AttendanceOut,
    AvailabilityIO,
    BreakIO,
    DayIO,
    EditionOut,
    PresenterIO,
    RoomIO,
    SessionOut,
    SessionSavedOut,
    SignUpOut,
    SlotOut,
    SpanIO,
    TableIO,
)


def _seg(value: str) -> str:
    return quote(value, safe="")


# -- editions ---------------------------------------------------------------------------


@derived(BreakIO, name="FairBreak")
class FairBreak:
    pass


@derived(
    DayIO, name="FairDay", description="One day of the fair: its meeting hours (local) and breaks."
)
class FairDay:
    pass


@derived(RoomIO, name="Room")
class Room:
    pass


@derived(
    TableIO,
    name="MeetingTable",
    description="A meeting table on site (a room's, or an organisation's booth).",
)
class MeetingTable:
    pass


@derived(SlotOut, name="Slot", description="One meeting slot of the edition's grid.")
class Slot:
    pass


@derived(
    EditionOut,
    name="FairEdition",
    description="One edition of the fair (e.g. the 2026 fair).",
    exclude=["local_hours", "slots"],
    order=[
        "id",
        "name",
        "code",
        "status",
        "timezone",
        "first_day",
        "last_day",
        "slot_minutes",
        "days",
        "rooms",
        "tables",
        "local_hours_start",
        "local_hours_end",
    ],
)
class FairEdition:
    id: strawberry.ID
    status: EditionStatus

    @described_field("Online meetings are held within these hours of each side's own zone.")
    def local_hours_start(self, root: strawberry.Parent[EditionOut]) -> time:
        return root.local_hours[0]

    @strawberry.field
    def local_hours_end(self, root: strawberry.Parent[EditionOut]) -> time:
        return root.local_hours[1]

    @strawberry.field
    def slot_count(self, root: strawberry.Parent[EditionOut]) -> int:
        return root.slots

    @described_field("The meeting slots of the grid, in time order.")
    async def slots(self, root: strawberry.Parent[EditionOut], info: strawberry.Info) -> list[Slot]:
        try:
            return [shown_as(Slot, s) for s in await info.context.scheduling.slots(root.id)]
        except ServiceError:
            return []

    @described_field("The edition's agenda sessions (staff also see drafts).")
    async def sessions(
        self, root: strawberry.Parent[EditionOut], info: strawberry.Info
    ) -> list[AgendaSession]:
        client = await info.context.scheduling_for_participant()
        try:
            return [shown_as(AgendaSession, s) for s in await client.sessions(root.id)]
        except ServiceError:
            return []


# -- agenda sessions --------------------------------------------------------------------


async def party_of(
    info: strawberry.Info, party_id: str | None, kind: str | None = None
) -> Organisation | Talent | None:
    """A talent or organisation (batched per request); None for no one."""
    if party_id is None:
        return None
    found: Organisation | Talent | None = await info.context.loaders.party(party_id, kind)
    return found


@derived(PresenterIO, name="Presenter")
class Presenter:
    @described_field("The presenting talent or organisation (batched per request).")
    async def party(
        self, root: strawberry.Parent[PresenterIO], info: strawberry.Info
    ) -> Party | None:
        return await party_of(info, root.party_id)


@derived(
    SignUpOut, name="SignUp", description="Someone signed up for a session (staff see the list)."
)
class SignUp:
    state: SignUpState

    @strawberry.field
    async def party(
        self, root: strawberry.Parent[SignUpOut], info: strawberry.Info
    ) -> Party | None:
        return await party_of(info, root.party_id)


@derived(
    SessionOut,
    name="AgendaSession",
    description="A session of the fair's agenda: a ceremony, a roadshow, a field visit...",
    order=["id", "edition_id"],
)
class AgendaSession:
    id: strawberry.ID
    status: SessionStatus
    my_state: str | None = strawberry.field(
        description="The caller's own place: CONFIRMED, WAITLISTED, PRESENTER or null."
    )

    @described_field(
        "What staff should check about the presenters, as found by the addSession or "
        "updateSession that answered it: PRESENTER_AT_NIGHT (a presenter's local time for "
        "their part is 23:00-07:00), each naming its presenter (presenters.N). Empty when "
        "the session is read any other way. (A presenter who takes part online at a "
        "session held on site is refused: InvalidInput, code ONLINE_PRESENTER.)"
    )
    def warnings(self, root: strawberry.Parent[SessionOut]) -> list[FieldError]:
        found = root.warnings if isinstance(root, SessionSavedOut) else []
        return [shown_as(FieldError, w) for w in found]

    @staff_field("Everyone signed up or waiting (staff; null for others).", refusal=nothing)
    async def sign_ups(
        self, root: strawberry.Parent[SessionOut], info: strawberry.Info
    ) -> list[SignUp] | None:
        try:
            return [shown_as(SignUp, s) for s in await info.context.scheduling.sign_ups(root.id)]
        except ServiceError:
            return None


# -- attendance and agendas -------------------------------------------------------------


@derived(SpanIO, name="TimeSpan")
class TimeSpan:
    pass


@derived(
    AvailabilityIO,
    name="Availability",
    description="When and how a participant takes part in an edition.",
)
class Availability:
    pass


def _absolute(info: strawberry.Info, path: str) -> str:
    """``path`` on the gateway as the caller reached it (a calendar app needs the host)."""
    request = getattr(info.context, "request", None)
    base = getattr(request, "base_url", None)
    return str(base).rstrip("/") + path if base is not None else path


def calendar_path(token: str) -> str:
    return f"/calendar/{_seg(token)}.ics"


def agenda_ics_path(edition_id: str) -> str:
    return f"/files/editions/{_seg(edition_id)}/agenda.ics"


@derived(
    AttendanceOut,
    name="Attendance",
    description="A participant's presence at one edition.",
    exclude=["calendar_token"],
)
class Attendance:
    checkin_token: str = strawberry.field(
        name="checkInToken", description="The content of the check-in QR code (keep it private)."
    )

    @described_field(
        "The secret address of the calendar feed (GET, no sign-in: the address is the "
        "credential). rotateCalendarToken replaces it."
    )
    def calendar_path(self, root: strawberry.Parent[AttendanceOut]) -> str:
        return calendar_path(root.calendar_token)

    @described_field("calendarPath as an absolute URL, to subscribe to in a calendar app.")
    def calendar_url(self, root: strawberry.Parent[AttendanceOut], info: strawberry.Info) -> str:
        return _absolute(info, calendar_path(root.calendar_token))

    @described_field("The signed-in participant's agenda as an .ics file (GET, with your token).")
    def agenda_ics_path(self, root: strawberry.Parent[AttendanceOut]) -> str:
        return agenda_ics_path(root.edition_id)

    @described_field("The signed-in participant's check-in QR code, SVG (GET, with your token).")
    def check_in_qr_path(self, root: strawberry.Parent[AttendanceOut]) -> str:
        return f"/files/editions/{_seg(root.edition_id)}/check-in.svg"


@derived(
    AgendaItemOut,
    name="AgendaItem",
    description="One entry of a participant's agenda: a session, a meeting or a consultation "
    "with a mentor (mentorId; url: an online one's link).",
)
class AgendaItem:
    kind: AgendaItemKind

    @described_field("A meeting's other side (batched per request); null for sessions.")
    async def counterpart(
        self, root: strawberry.Parent[AgendaItemOut], info: strawberry.Info
    ) -> Party | None:
        return await party_of(info, root.counterpart_id)


@strawberry.type
class Agenda:
    edition_id: str
    items: list[AgendaItem]

    @described_field("The same agenda as an .ics file (GET, with your token).")
    def ics_path(self) -> str:
        return agenda_ics_path(self.edition_id)


# -- results ----------------------------------------------------------------------------

FairEditionResult = Annotated[
    FairEdition | InvalidInput | Conflict | NotFound | Forbidden,
    strawberry.union("FairEditionResult"),
]
AgendaSessionResult = Annotated[
    AgendaSession | InvalidInput | Conflict | NotFound | Forbidden,
    strawberry.union("AgendaSessionResult"),
]
AttendanceResult = Annotated[
    Attendance | InvalidInput | Conflict | NotFound | Forbidden,
    strawberry.union("AttendanceResult"),
]
AgendaResult = Annotated[
    Agenda | InvalidInput | Conflict | NotFound | Forbidden, strawberry.union("AgendaResult")
]
