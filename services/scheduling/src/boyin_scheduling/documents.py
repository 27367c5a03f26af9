"""Explicit mapping between scheduling's aggregates and their stored documents.

Times are ISO-8601 strings with their offset; enums their values.
"""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Any

from boyin_scheduling.domain.attendance import Attendance, Availability, Mode, Span
from boyin_scheduling.domain.editions import (
    Break,
    Edition,
    EditionPlan,
    EditionStatus,
    FairDay,
    Room,
    TableSpec,
)
from boyin_scheduling.domain.meetings import Meeting, Outcome, Party, Place, Source, Status
from boyin_scheduling.domain.rules import Text
from boyin_scheduling.domain.schedules import Placed, Schedule, Timetable
from boyin_scheduling.domain.sessions import (
    Presenter,
    Session,
    SessionKind,
    SessionPlan,
    SessionStatus,
    SignUp,
    SignUpState,
)
from boyin_scheduling.fair import PartyInfo
from boyin_shared.errors import Message
from boyin_shared.store import Document

Doc = dict[str, Any]


def _text(t: Text) -> Doc:
    return {"zh": t.zh, "en": t.en}


def _text_from(d: Doc | None) -> Text:
    return Text(d.get("zh"), d.get("en")) if d else Text()


def _dt(value: datetime | None) -> str | None:
    return None if value is None else value.isoformat()


def _dt_from(value: str | None) -> datetime | None:
    return None if value is None else datetime.fromisoformat(value)


def _req_dt(value: str) -> datetime:
    return datetime.fromisoformat(value)


# -- editions ----------------------------------------------------------------------


def plan_state(p: EditionPlan) -> Doc:
    return {
        "name": _text(p.name),
        "timezone": p.timezone,
        "first_day": p.first_day.isoformat(),
        "last_day": p.last_day.isoformat(),
        "slot_minutes": p.slot_minutes,
        "days": [
            {
                "day": d.day.isoformat(),
                "start": d.start.isoformat(),
                "end": d.end.isoformat(),
                "breaks": [
                    {"start": b.start.isoformat(), "end": b.end.isoformat()} for b in d.breaks
                ],
            }
            for d in p.days
        ],
        "rooms": [{"id": r.id, "name": _text(r.name), "venue": _text(r.venue)} for r in p.rooms],
        "tables": [{"number": t.number, "room": t.room, "booth_of": t.booth_of} for t in p.tables],
        "local_hours": [p.local_hours[0].isoformat(), p.local_hours[1].isoformat()],
    }


def plan_from(d: Doc) -> EditionPlan:
    return EditionPlan(
        name=_text_from(d["name"]),
        timezone=d["timezone"],
        first_day=date.fromisoformat(d["first_day"]),
        last_day=date.fromisoformat(d["last_day"]),
        slot_minutes=d["slot_minutes"],
        days=tuple(
            FairDay(
                day=date.fromisoformat(x["day"]),
                start=time.fromisoformat(x["start"]),
                end=time.fromisoformat(x["end"]),
                breaks=tuple(
                    Break(time.fromisoformat(b["start"]), time.fromisoformat(b["end"]))
                    for b in x["breaks"]
                ),
            )
            for x in d["days"]
        ),
        rooms=tuple(
            Room(r["id"], _text_from(r["name"]), _text_from(r.get("venue"))) for r in d["rooms"]
        ),
        tables=tuple(TableSpec(t["number"], t.get("room"), t.get("booth_of")) for t in d["tables"]),
        local_hours=(
            time.fromisoformat(d["local_hours"][0]),
            time.fromisoformat(d["local_hours"][1]),
        ),
    )


def edition_state(e: Edition) -> Doc:
    return {
        "plan": plan_state(e.plan),
        "status": e.status.value,
        "agenda_version": e.agenda_version,
        "first_day": e.plan.first_day.isoformat(),
        "revision": e.revision,
    }


def edition_from(d: Document) -> Edition:
    return Edition(
        id=d["_id"],
        plan=plan_from(d["plan"]),
        status=EditionStatus(d["status"]),
        agenda_version=d["agenda_version"],
        revision=d["revision"],
    )


# -- sessions ----------------------------------------------------------------------


def session_plan_state(p: SessionPlan) -> Doc:
    return {
        "kind": p.kind.value,
        "title": _text(p.title),
        "description": _text(p.description),
        "start": _dt(p.start),
        "end": _dt(p.end),
        "room": p.room,
        "capacity": p.capacity,
        "waitlist_limit": p.waitlist_limit,
        "departure": _dt(p.departure),
        "meeting_point": _text(p.meeting_point),
        "presenters": [
            {
                "party_id": x.party_id,
                "title": _text(x.title),
                "start": _dt(x.start),
                "end": _dt(x.end),
            }
            for x in p.presenters
        ],
    }


def session_plan_from(d: Doc) -> SessionPlan:
    return SessionPlan(
        kind=SessionKind(d["kind"]),
        title=_text_from(d["title"]),
        description=_text_from(d.get("description")),
        start=_req_dt(d["start"]),
        end=_req_dt(d["end"]),
        room=d.get("room"),
        capacity=d.get("capacity"),
        waitlist_limit=d.get("waitlist_limit", 0),
        departure=_dt_from(d.get("departure")),
        meeting_point=_text_from(d.get("meeting_point")),
        presenters=tuple(
            Presenter(
                x["party_id"],
                _text_from(x.get("title")),
                _dt_from(x.get("start")),
                _dt_from(x.get("end")),
            )
            for x in d["presenters"]
        ),
    )


def session_state(s: Session) -> Doc:
    return {
        "edition_id": s.edition_id,
        "plan": session_plan_state(s.plan),
        "start": _dt(s.plan.start),
        "status": s.status.value,
        "sign_ups": [
            {"party_id": x.party_id, "at": _dt(x.at), "state": x.state.value} for x in s.sign_ups
        ],
        # flat lists to query by (the store filters on list elements)
        "people": list(s.affected()),
        "version": s.version,
        "revision": s.revision,
    }


def session_from(d: Document) -> Session:
    return Session(
        id=d["_id"],
        edition_id=d["edition_id"],
        plan=session_plan_from(d["plan"]),
        status=SessionStatus(d["status"]),
        sign_ups=tuple(
            SignUp(x["party_id"], _req_dt(x["at"]), SignUpState(x["state"])) for x in d["sign_ups"]
        ),
        version=d["version"],
        revision=d["revision"],
    )


# -- attendance --------------------------------------------------------------------


def availability_state(a: Availability) -> Doc:
    return {
        "mode": a.mode.value,
        "timezone": a.timezone,
        "arrival": _dt(a.arrival),
        "departure": _dt(a.departure),
        "blocked": [{"start": _dt(b.start), "end": _dt(b.end)} for b in a.blocked],
        "representatives": a.representatives,
        "min_meetings": a.min_meetings,
    }


def availability_from(d: Doc) -> Availability:
    return Availability(
        mode=Mode(d["mode"]),
        timezone=d["timezone"],
        arrival=_dt_from(d.get("arrival")),
        departure=_dt_from(d.get("departure")),
        blocked=tuple(Span(_req_dt(b["start"]), _req_dt(b["end"])) for b in d["blocked"]),
        representatives=d["representatives"],
        min_meetings=d["min_meetings"],
    )


def attendance_state(a: Attendance) -> Doc:
    return {
        "edition_id": a.edition_id,
        "party_id": a.party_id,
        "kind": a.kind,
        "availability": availability_state(a.availability),
        "checkin_token": a.checkin_token,
        "calendar_token": a.calendar_token,
        "declared": a.declared,
        "checked_in_at": _dt(a.checked_in_at),
        "revision": a.revision,
    }


def attendance_from(d: Document) -> Attendance:
    return Attendance(
        id=d["_id"],
        edition_id=d["edition_id"],
        party_id=d["party_id"],
        kind=d["kind"],
        availability=availability_from(d["availability"]),
        checkin_token=d["checkin_token"],
        calendar_token=d["calendar_token"],
        declared=d["declared"],
        checked_in_at=_dt_from(d.get("checked_in_at")),
        revision=d["revision"],
    )


# -- meetings ----------------------------------------------------------------------


def _place(p: Place | None) -> Doc | None:
    if p is None:
        return None
    return {
        "slot_id": p.slot_id,
        "start": _dt(p.start),
        "end": _dt(p.end),
        "table": p.table,
        "schedule_version": p.schedule_version,
    }


def _place_from(d: Doc | None) -> Place | None:
    if d is None:
        return None
    return Place(
        d["slot_id"], _req_dt(d["start"]), _req_dt(d["end"]), d["table"], d["schedule_version"]
    )


def meeting_state(m: Meeting) -> Doc:
    return {
        "edition_id": m.edition_id,
        "requester": {"kind": m.requester.kind, "id": m.requester.id},
        "invitee": {"kind": m.invitee.kind, "id": m.invitee.id},
        "parties": list(m.parties),
        "source": m.source.value,
        "status": m.status.value,
        "weight": m.weight,
        "must_meet": m.must_meet,
        "mode": m.mode.value if m.mode else None,
        "match_id": m.match_id,
        "video_link": m.video_link,
        "note": m.note,
        "place": _place(m.place),
        "outcome": m.outcome.value if m.outcome else None,
        "absent": list(m.absent),
        "synced_version": m.synced_version,
        "revision": m.revision,
    }


def meeting_from(d: Document) -> Meeting:
    return Meeting(
        id=d["_id"],
        edition_id=d["edition_id"],
        requester=Party(d["requester"]["kind"], d["requester"]["id"]),
        invitee=Party(d["invitee"]["kind"], d["invitee"]["id"]),
        source=Source(d["source"]),
        status=Status(d["status"]),
        weight=d["weight"],
        must_meet=d["must_meet"],
        mode=Mode(d["mode"]) if d.get("mode") else None,
        match_id=d.get("match_id"),
        video_link=d.get("video_link"),
        note=d.get("note"),
        place=_place_from(d.get("place")),
        outcome=Outcome(d["outcome"]) if d.get("outcome") else None,
        absent=tuple(d.get("absent") or ()),
        synced_version=d.get("synced_version", 0),
        revision=d["revision"],
    )


# -- schedules ---------------------------------------------------------------------


def _timetable(t: Timetable | None) -> Doc | None:
    if t is None:
        return None
    return {
        # short keys keep 5,000 placements a small document; objects, not nested lists
        # (FerretDB 1.x stores no arrays inside arrays)
        "placements": [{"m": p.meeting_id, "s": p.slot_id, "t": p.table} for p in t.placements],
        "unscheduled": list(t.unscheduled),
        "reasons": {k: {"zh": m.zh, "en": m.en} for k, m in t.reasons.items()},
        "objective": t.objective,
        "bound": t.bound,
        "greedy_objective": t.greedy_objective,
        "solver": t.solver,
        "seconds": t.seconds,
        "computed_at": _dt(t.computed_at),
        "violations": t.violations,
        "fingerprint": t.fingerprint,
    }


def _timetable_from(d: Doc | None) -> Timetable | None:
    if d is None:
        return None
    return Timetable(
        placements=tuple(Placed(p["m"], p["s"], p["t"]) for p in d["placements"]),
        unscheduled=tuple(d["unscheduled"]),
        reasons={k: Message(v["zh"], v["en"]) for k, v in d["reasons"].items()},
        objective=d["objective"],
        bound=d.get("bound"),
        greedy_objective=d.get("greedy_objective"),
        solver=d["solver"],
        seconds=d["seconds"],
        computed_at=_dt_from(d.get("computed_at")),
        violations=d["violations"],
        fingerprint=d.get("fingerprint", ""),
    )


def schedule_state(s: Schedule) -> Doc:
    return {
        "draft": _timetable(s.draft),
        "published": _timetable(s.published),
        "version": s.version,
        "published_at": _dt(s.published_at),
        "job": s.job,
        "job_error": s.job_error,
        "job_started_at": _dt(s.job_started_at),
        "pending": list(s.pending),
        "revision": s.revision,
    }


def schedule_from(d: Document) -> Schedule:
    return Schedule(
        id=d["_id"],
        draft=_timetable_from(d.get("draft")),
        published=_timetable_from(d.get("published")),
        version=d["version"],
        published_at=_dt_from(d.get("published_at")),
        job=d["job"],
        job_error=d.get("job_error"),
        job_started_at=_dt_from(d.get("job_started_at")),
        pending=tuple(d.get("pending") or ()),
        revision=d["revision"],
    )


# -- parties (read model) ----------------------------------------------------------


def party_state(p: PartyInfo) -> Doc:
    return {
        "kind": p.kind,
        "name": _text(p.name),
        "timezone": p.timezone,
        "country": p.country,
        "revision": p.revision,
    }


def party_from(d: Document) -> PartyInfo:
    return PartyInfo(
        id=d["_id"],
        kind=d["kind"],
        name=_text_from(d["name"]),
        timezone=d.get("timezone"),
        country=d.get("country"),
        revision=d["revision"],
    )
