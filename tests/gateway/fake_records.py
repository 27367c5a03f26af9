"""What the fakes of the services hold and answer (``fakes.py``): their records as the
gateway reads them (seeds for the tests), and their refusals as the HTTP clients raise
them (:class:`ServiceError` with the service's status and code)."""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from boyin_gateway.clients import ServiceError
from boyin_shared.api.errors import ErrorOut, MessageOut
from boyin_shared.api.matching import JobOut, JobState, MatchOut, NoGoodMatchOut
from boyin_shared.api.registry import (
    Channel,
    ClaimOut,
    ClaimReview,
    ContactOut,
    Criterion,
    DemandOut,
    DemandScreeningOut,
    MailOut,
    NamedOut,
    OrganisationOut,
    PreferencesOut,
    Status,
    TalentOut,
    TaxonomyOut,
    TextOut,
)
from boyin_shared.api.scheduling import (
    AttendanceOut,
    DayIO,
    EditionOut,
    MeetingOut,
    SessionOut,
    TextIO,
    TimetableDetailOut,
    TimetableOut,
)

NOW = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)
_ids = itertools.count(1)


def new_id(prefix: str) -> str:
    return f"{prefix}{next(_ids):05d}"


# -- the services' refusals, as the HTTP clients raise them ---------------------------


def refusal(status: int, code: str, zh: str, en: str) -> ServiceError:
    return ServiceError(status, ErrorOut(code=code, message=MessageOut(zh=zh, en=en)))


def not_found(what: str) -> ServiceError:
    return refusal(404, "NOT_FOUND", f"未找到：{what}", f"not found: {what}")


def forbidden() -> ServiceError:
    return refusal(403, "FORBIDDEN", "当前身份无权执行此操作", "Your role may not do this")


def sign_in_required() -> ServiceError:
    return refusal(403, "SIGN_IN_REQUIRED", "请先登录", "Sign in first")


def match_mutual() -> ServiceError:
    return refusal(
        409,
        "MATCH_MUTUAL",
        "双方均已同意的匹配不能撤回",
        "a match both sides said yes to cannot be withdrawn",
    )


def not_matchable() -> ServiceError:
    return refusal(
        422,
        "NOT_MATCHABLE",
        "两条需求须均已发布且渠道对应",
        "both demands must be published, on matching channels",
    )


# -- seeds: the services' records, as the gateway reads them ---------------------------


def text(zh: str, en: str) -> TextOut:
    return TextOut(zh=zh, en=en)


def organisation(org_id: str, district_code: str, **overrides: Any) -> OrganisationOut:
    values: dict[str, Any] = {
        "id": org_id,
        "name": text(f"机构{org_id}", f"Organisation {org_id}"),
        "kind": "ENTERPRISE",
        "district_code": district_code,
        "credit_code": f"91{district_code}MA{org_id[-7:]:0>7}",
        "platforms": [],
        "taxonomy_codes": ["C33-L3"],
        "description": text("传感器材料", "Sensor materials"),
        "contacts": None,
        "revision": 1,
        "registered_at": NOW,
        "updated_at": NOW,
    }
    return OrganisationOut.model_validate(values | overrides)


def talent(talent_id: str, **overrides: Any) -> TalentOut:
    values: dict[str, Any] = {
        "id": talent_id,
        "name": text("李伟", f"Talent {talent_id}"),
        "degree": "POSTDOC",
        "field": text("材料", "Materials science"),
        "institution": text("亚琛工业大学", "RWTH Aachen University"),
        "country": "DE",
        "location": "Aachen",
        "timezone": "Europe/Berlin",
        "languages": ["zh", "en"],
        "contact": None,
        "team": [],
        "taxonomy_codes": ["C33-L3"],
        "revision": 1,
        "registered_at": NOW,
        "updated_at": NOW,
    }
    return TalentOut.model_validate(values | overrides)


#: every detail a channel's demand has, as the registry answers them
DETAILS: dict[str, dict[str, object]] = {
    "PROJECT_LANDING": {
        "channel": "PROJECT_LANDING",
        "cooperation_modes": ["TECH_TRANSFER"],
        "budget_wan": 500,
        "facilities": None,
        "policies": None,
        "wanted_stage": "PILOT",
    },
    "PROJECT_COOPERATION": {
        "channel": "PROJECT_COOPERATION",
        "stage": "PROTOTYPE",
        "trl": 5,
        "ip_status": "GRANTED",
        "sought": ["JOINT_RD"],
        "funding_sought_wan": None,
        "team_size": 1,
    },
}


def demand(
    demand_id: str,
    owner_id: str,
    *,
    channel: str = "PROJECT_LANDING",
    status: str = "SUBMITTED",
    district_code: str | None = None,
    claims: tuple[str, ...] = ("KEY_PLATFORMS",),
    details: dict[str, object] | None = None,
) -> DemandOut:
    return DemandOut(
        id=demand_id,
        channel=Channel(channel),
        owner_id=owner_id,
        district_code=district_code,
        status=Status(status),
        title=text("需求", f"Demand {demand_id}"),
        description=text("说明", "Description"),
        language="zh",
        taxonomy_codes=["C33-L3"],
        keywords=[],
        editions=["CQ2026"],
        claims=[
            ClaimOut(
                criterion=Criterion(c),
                evidence=None,
                evidence_file=None,
                review=ClaimReview.PENDING,
                review_note=None,
            )
            for c in claims
        ],
        details=DETAILS[channel] | (details or {}),
        attachments=[],
        expires_on=None,
        history=[],
        revision=1,
        external_ref=None,
        created_at=NOW,
        updated_at=NOW,
    )


@dataclass
class RegistryData:
    organisations: dict[str, OrganisationOut] = field(default_factory=dict)
    talents: dict[str, TalentOut] = field(default_factory=dict)
    demands: dict[str, DemandOut] = field(default_factory=dict)
    #: parties' notification preferences, as they set them (the default until then)
    preferences: dict[str, PreferencesOut] = field(default_factory=dict)
    #: the embedded mailbox's messages, newest first
    mailbox: list[MailOut] = field(default_factory=list)
    screenings: dict[str, DemandScreeningOut] = field(default_factory=dict)
    #: each party's contact persons (a talent has one), shown by the disclosure rule
    contacts: dict[str, list[ContactOut]] = field(default_factory=dict)
    #: (viewer, subject): the parties a mutual match disclosed each other's contacts to
    disclosed: set[tuple[str, str]] = field(default_factory=set)
    taxonomy: TaxonomyOut = field(
        default_factory=lambda: TaxonomyOut(
            version=1,
            nodes=[
                NamedOut(code="C33", zh="新材料", en="New materials", kind="active"),
                NamedOut(code="C33-L3", zh="传感材料", en="Sensors", kind="active", parent="C33"),
            ],
        )
    )

    def add(self, *records: OrganisationOut | TalentOut | DemandOut) -> None:
        for r in records:
            book: dict[str, Any] = (
                self.organisations
                if isinstance(r, OrganisationOut)
                else self.talents
                if isinstance(r, TalentOut)
                else self.demands
            )
            book[r.id] = r


def matched(
    ours: DemandOut, theirs: DemandOut, *, status: str = "PROPOSED", source: str = "auto"
) -> MatchOut:
    """A match between two demands as ``ours``'s owner sees it."""
    return MatchOut(
        match_id=f"{ours.id}~{theirs.id}",
        demand_id=ours.id,
        counterpart_demand_id=theirs.id,
        counterpart_kind="talent" if theirs.owner_id.startswith("tal_") else "organisation",
        counterpart_party_id=theirs.owner_id,
        score=0.8,
        good_match=True,
        status=status,
        my_response=None,
        source=source,
        explanation=None,
    )


@dataclass
class MatchingData:
    #: each demand's matches, as its owner sees them
    matches: dict[str, list[MatchOut]] = field(default_factory=dict)
    #: the matches waiting for an operator's review
    queue: list[MatchOut] = field(default_factory=list)
    #: the published demands with no good match yet
    without_good_match: list[NoGoodMatchOut] = field(default_factory=list)
    #: the rematch job, as matching reports it
    job: JobOut = field(
        default_factory=lambda: JobOut(state=JobState.IDLE, total=0, done=0, error=None)
    )


# -- scheduling ----------------------------------------------------------------------

FIRST_DAY = date(2026, 9, 1)


def edition(edition_id: str, status: str = "OPEN") -> EditionOut:
    return EditionOut(
        id=edition_id,
        status=status,
        agenda_version=1 if status == "OPEN" else 0,
        slots=2,
        name=TextIO(zh="2026 年会", en="The 2026 fair"),
        timezone="Asia/Shanghai",
        first_day=FIRST_DAY,
        last_day=FIRST_DAY,
        slot_minutes=30,
        days=[DayIO(day=FIRST_DAY, start=time(9), end=time(17))],
        local_hours=(time(8), time(22)),
    )


def session(session_id: str, edition_id: str, status: str = "PUBLISHED") -> SessionOut:
    start = datetime.combine(FIRST_DAY, time(9), UTC)
    return SessionOut(
        id=session_id,
        edition_id=edition_id,
        status=status,
        version=1,
        confirmed=0,
        waiting=0,
        my_state=None,
        kind="ROADSHOW",
        title=TextIO(zh="路演", en="Roadshow"),
        start=start,
        end=start + timedelta(hours=1),
    )


def meeting(
    meeting_id: str, edition_id: str, requester: tuple[str, str], invitee: tuple[str, str]
) -> MeetingOut:
    """A request from ``requester`` to ``invitee``, each ``(party id, kind)``."""
    return MeetingOut(
        id=meeting_id,
        edition_id=edition_id,
        requester_id=requester[0],
        requester_kind=requester[1],
        invitee_id=invitee[0],
        invitee_kind=invitee[1],
        source="DIRECT",
        status="REQUESTED",
        weight=50,
        must_meet=False,
        mode=None,
        match_id=None,
        video_link=None,
        note=None,
        place=None,
        outcome=None,
        absent=[],
    )


def timetable(meetings: int) -> TimetableOut:
    return TimetableOut(
        scheduled=meetings,
        unscheduled=0,
        objective=meetings,
        bound=float(meetings),
        ratio=1.0,
        gap=0.0,
        optimal=True,
        greedy_objective=meetings,
        solver="fake",
        seconds=0.0,
        computed_at=None,
        violations=0,
    )


@dataclass
class SchedulingData:
    editions: dict[str, EditionOut] = field(default_factory=dict)
    sessions: dict[str, SessionOut] = field(default_factory=dict)
    #: session → party → CONFIRMED or WAITLISTED
    sign_ups: dict[str, dict[str, str]] = field(default_factory=dict)
    attendances: dict[tuple[str, str], AttendanceOut] = field(default_factory=dict)
    meetings: dict[str, MeetingOut] = field(default_factory=dict)
    #: (edition, "draft" or "published") → its placements
    timetables: dict[tuple[str, str], TimetableDetailOut] = field(default_factory=dict)

    def add(self, *records: EditionOut | SessionOut | MeetingOut) -> None:
        for r in records:
            book: dict[str, Any] = (
                self.editions
                if isinstance(r, EditionOut)
                else self.sessions
                if isinstance(r, SessionOut)
                else self.meetings
            )
            book[r.id] = r


@dataclass(frozen=True)
class Call:
    service: str
    method: str
    args: dict[str, Any]
