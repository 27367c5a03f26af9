"""HTTP API of the scheduler (solve, review, publish, repair) and of agendas and
calendar feeds."""

from __future__ import annotations

from fastapi import APIRouter, Response, status

from boyin_scheduling.application import require_staff
from boyin_scheduling.calendar import AgendaItem, agenda, agenda_ics
from boyin_scheduling.deps import App
from boyin_scheduling.domain.attendance import Attendance
from boyin_scheduling.schemas import (
    AgendaItemOut,
    RepairIn,
    ScheduleOut,
    SolveIn,
    TextIO,
    TimetableDetailOut,
)
from boyin_scheduling.solving import SolveOptions
from boyin_shared.errors import not_found
from boyin_shared.identity import Actor, CurrentActor

router = APIRouter(tags=["schedule"])


@router.post("/editions/{edition_id}/schedule/solve", status_code=status.HTTP_202_ACCEPTED)
async def solve(edition_id: str, body: SolveIn, actor: CurrentActor, app: App) -> ScheduleOut:
    """Compute a draft schedule in the background (poll ``GET …/schedule``)."""
    require_staff(actor)
    options = SolveOptions(time_limit_s=body.time_limit_s, lp_bound=body.lp_bound)
    return ScheduleOut.of(await app.planner.start_solve(edition_id, options))


@router.get("/editions/{edition_id}/schedule")
async def schedule(edition_id: str, actor: CurrentActor, app: App) -> ScheduleOut:
    require_staff(actor)
    return ScheduleOut.of(await app.planner.schedule(edition_id))


@router.get("/editions/{edition_id}/schedule/{which}")
async def timetable(
    edition_id: str, which: str, actor: CurrentActor, app: App
) -> TimetableDetailOut:
    """Every placement of the ``draft`` or ``published`` timetable, and who is left out."""
    require_staff(actor)
    s = await app.planner.schedule(edition_id)
    table = {"draft": s.draft, "published": s.published}.get(which)
    if table is None:
        raise not_found("timetable", which, zh_kind="排程")
    return TimetableDetailOut.of(table)


@router.post("/editions/{edition_id}/schedule/publish")
async def publish(edition_id: str, actor: CurrentActor, app: App) -> ScheduleOut:
    require_staff(actor)
    return ScheduleOut.of(await app.planner.publish(edition_id))


@router.post("/editions/{edition_id}/schedule/repair")
async def repair(edition_id: str, body: RepairIn, actor: CurrentActor, app: App) -> ScheduleOut:
    """Repair the published timetable now (it also happens by itself after each change)."""
    require_staff(actor)
    await app.planner.reconcile(edition_id, move_placed=body.move_placed, force=True)
    while await app.planner.catch_up(edition_id):
        pass
    return ScheduleOut.of(await app.planner.schedule(edition_id))


# -- agendas -----------------------------------------------------------------------


async def _items(app: App, attendance: Attendance) -> list[AgendaItem]:
    r = app.repos
    sessions = await r.sessions.of_party(attendance.edition_id, attendance.party_id)
    meetings = await r.meetings.of_party(attendance.party_id, attendance.edition_id, limit=1000)
    others = {p for m in meetings for p in m.parties}
    parties = await r.parties.get_many(sorted(others))
    return agenda(attendance.party_id, sessions, meetings, parties)


@router.get("/editions/{edition_id}/agenda", tags=["agenda"])
async def my_agenda(
    edition_id: str, actor: CurrentActor, app: App, party_id: str | None = None
) -> list[AgendaItemOut]:
    """The caller's sessions and meetings in time order (staff: anyone's)."""
    attendance = await app.attendance(actor, edition_id, party_id)
    return [
        AgendaItemOut(
            kind=i.kind,
            id=i.id,
            start=i.start,
            end=i.end,
            title=TextIO.of(i.title),
            location=i.location,
            counterpart_id=i.counterpart_id,
            state=i.state,
        )
        for i in await _items(app, attendance)
    ]


async def _ics(app: App, actor: Actor, attendance: Attendance) -> Response:
    edition = await app.edition(actor, attendance.edition_id)
    party = await app.repos.parties.get(attendance.party_id)
    who = party.aggregate.name.best() if party else attendance.party_id
    data = agenda_ics(
        edition,
        await _items(app, attendance),
        attendance.availability.timezone,
        now=app.clock(),
        name=f"{edition.plan.name.best()} — {who}",
    )
    return Response(
        data,
        media_type="text/calendar; charset=utf-8",
        headers={
            "Content-Disposition": f'attachment; filename="{edition.id}.ics"',
            "Cache-Control": "no-store",
        },
    )


@router.get("/editions/{edition_id}/agenda.ics", tags=["agenda"])
async def my_agenda_ics(edition_id: str, actor: CurrentActor, app: App) -> Response:
    return await _ics(app, actor, await app.attendance(actor, edition_id))


@router.get("/calendar/{token}.ics", tags=["agenda"])
async def calendar_feed(token: str, actor: CurrentActor, app: App) -> Response:
    """The subscribable feed: the secret token in the address is the only credential
    (calendar apps send no headers; the gateway passes the call on as a visitor)."""
    return await _ics(app, actor, await app.by_calendar_token(token))
