"""GraphQL of the fair's editions: their grid and agenda sessions (with sign-ups), and each
participant's attendance (availability, check-in, calendar feed) and agenda.

Staff (operators and administrators) prepare editions and sessions; a talent or an
organisation signs up, declares availability and reads its own agenda. Staff may act for
a participant by naming ``partyId``.
"""

from __future__ import annotations

import strawberry

from boyin_gateway.clients import Scheduling, ServiceError
from boyin_gateway.context import Context
from boyin_gateway.derived import showing, shown_as
from boyin_gateway.errors import answered, problem
from boyin_gateway.permissions import staff_mutation
from boyin_gateway.schedule_inputs import (
    AgendaSessionInput,
    AvailabilityInput,
    FairEditionInput,
    body_of,
)
from boyin_gateway.schedule_types import (
    Agenda,
    AgendaItem,
    AgendaResult,
    AgendaSession,
    AgendaSessionResult,
    Attendance,
    AttendanceResult,
    FairEdition,
    FairEditionResult,
)
from boyin_gateway.types import described_field, described_mutation
from boyin_shared.api.scheduling import SignUpIn

Info = strawberry.Info[Context, None]


async def participant(info: Info) -> Scheduling:
    """Scheduling as the caller (a participant acts for its own party)."""
    return await info.context.scheduling_for_participant()


def _party(party_id: strawberry.ID | None) -> str | None:
    return str(party_id) if party_id is not None else None


def _sign_up(party_id: strawberry.ID | None) -> SignUpIn:
    """Whom a sign-up (or withdrawal) is for: the caller, or the party staff name. The
    service validates it."""
    if party_id is None:
        return SignUpIn.model_construct()
    return SignUpIn.model_construct(party_id=str(party_id))


@strawberry.type
class EditionQuery:
    @described_field("The fair's editions (staff also see drafts).")
    async def fair_editions(self, info: Info) -> list[FairEdition]:
        return [shown_as(FairEdition, e) for e in await info.context.scheduling.editions()]

    @strawberry.field
    async def fair_edition(self, info: Info, id: strawberry.ID) -> FairEdition | None:
        try:
            return shown_as(FairEdition, await info.context.scheduling.edition(str(id)))
        except ServiceError:
            return None  # not found, or a draft the caller may not see

    @described_field("An agenda session (drafts for staff only).")
    async def session(self, info: Info, id: strawberry.ID) -> AgendaSession | None:
        try:
            return shown_as(AgendaSession, await (await participant(info)).session(str(id)))
        except ServiceError:
            return None

    @described_field(
        "The signed-in participant's attendance of an edition (the defaults until they "
        "declare); staff name the participant with partyId."
    )
    async def my_attendance(
        self, info: Info, edition_id: strawberry.ID, party_id: strawberry.ID | None = None
    ) -> AttendanceResult:
        client = await participant(info)
        return await answered(
            client.attendance(str(edition_id), _party(party_id)), showing(Attendance)
        )

    @described_field(
        "The signed-in participant's sessions and placed meetings in time order; staff "
        "name the participant with partyId."
    )
    async def my_agenda(
        self, info: Info, edition_id: strawberry.ID, party_id: strawberry.ID | None = None
    ) -> AgendaResult:
        client = await participant(info)
        try:
            items = await client.agenda(str(edition_id), _party(party_id))
        except ServiceError as exc:
            return problem(exc)
        return Agenda(edition_id=str(edition_id), items=[shown_as(AgendaItem, i) for i in items])


@strawberry.type
class EditionMutation:
    @staff_mutation("Create an edition (a draft: participants do not see it yet).")
    async def create_edition(self, info: Info, input: FairEditionInput) -> FairEditionResult:
        return await answered(
            info.context.scheduling.create_edition(input.to_body()), showing(FairEdition)
        )

    @staff_mutation("Replace an edition's dates, hours, rooms and tables.")
    async def update_edition(
        self, info: Info, id: strawberry.ID, input: FairEditionInput
    ) -> FairEditionResult:
        return await answered(
            info.context.scheduling.edit_edition(str(id), input.to_body()), showing(FairEdition)
        )

    @staff_mutation("Open an edition: visible, taking sign-ups and meeting requests.")
    async def open_edition(self, info: Info, id: strawberry.ID) -> FairEditionResult:
        return await answered(
            info.context.scheduling.edition_action(str(id), "open"), showing(FairEdition)
        )

    @staff_mutation("Close an edition (kept for the record).")
    async def close_edition(self, info: Info, id: strawberry.ID) -> FairEditionResult:
        return await answered(
            info.context.scheduling.edition_action(str(id), "close"), showing(FairEdition)
        )

    @staff_mutation("Publish every draft session and announce the agenda's new version.")
    async def publish_agenda(self, info: Info, id: strawberry.ID) -> FairEditionResult:
        return await answered(
            info.context.scheduling.edition_action(str(id), "agenda/publish"), showing(FairEdition)
        )

    @staff_mutation("Add a session (a draft until the agenda is published).")
    async def add_session(
        self, info: Info, edition_id: strawberry.ID, input: AgendaSessionInput
    ) -> AgendaSessionResult:
        body = body_of(input)
        return await answered(
            info.context.scheduling.add_session(str(edition_id), body), showing(AgendaSession)
        )

    @staff_mutation("Replace a session; everyone signed up hears of the change.")
    async def update_session(
        self, info: Info, id: strawberry.ID, input: AgendaSessionInput
    ) -> AgendaSessionResult:
        return await answered(
            info.context.scheduling.edit_session(str(id), body_of(input)), showing(AgendaSession)
        )

    @staff_mutation("Cancel a session; everyone signed up hears of it.")
    async def cancel_session(self, info: Info, id: strawberry.ID) -> AgendaSessionResult:
        return await answered(
            info.context.scheduling.session_action(str(id), "cancel"), showing(AgendaSession)
        )

    @described_mutation(
        "Sign up for a session (a full one puts you on its waiting list); staff sign "
        "someone up with partyId."
    )
    async def sign_up_for_session(
        self, info: Info, session_id: strawberry.ID, party_id: strawberry.ID | None = None
    ) -> AgendaSessionResult:
        client = await participant(info)
        return await answered(
            client.session_action(str(session_id), "sign-up", _sign_up(party_id)),
            showing(AgendaSession),
        )

    @described_mutation("Withdraw from a session (staff: someone's, with partyId).")
    async def withdraw_sign_up(
        self, info: Info, session_id: strawberry.ID, party_id: strawberry.ID | None = None
    ) -> AgendaSessionResult:
        client = await participant(info)
        return await answered(
            client.session_action(str(session_id), "withdraw", _sign_up(party_id)),
            showing(AgendaSession),
        )

    @described_mutation(
        "Declare how and when you take part in an edition (staff: someone's, with partyId)."
    )
    async def declare_availability(
        self,
        info: Info,
        edition_id: strawberry.ID,
        input: AvailabilityInput,
        party_id: strawberry.ID | None = None,
    ) -> AttendanceResult:
        client = await participant(info)
        return await answered(
            client.declare(str(edition_id), body_of(input), _party(party_id)), showing(Attendance)
        )

    @described_mutation("A new secret address for your calendar feed; the old one stops working.")
    async def rotate_calendar_token(
        self, info: Info, edition_id: strawberry.ID
    ) -> AttendanceResult:
        client = await participant(info)
        return await answered(client.rotate_calendar_token(str(edition_id)), showing(Attendance))

    @staff_mutation("Check a participant in at the venue (the content of their QR code).")
    async def check_in(self, info: Info, token: str) -> AttendanceResult:
        return await answered(info.context.scheduling.check_in(token), showing(Attendance))
