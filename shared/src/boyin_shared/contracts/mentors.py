"""Events of the mentors service on topic ``boyin.mentors.events``.

Defined ahead of the service (contract first) so that matching can take mentors'
screening into account from the day mentors start publishing it.
"""

from __future__ import annotations

from datetime import datetime
from typing import ClassVar, Literal

from pydantic import Field

from boyin_shared.events import Event, EventData

TOPIC = "boyin.mentors.events"


class Screening(EventData):
    """One mentor's assessment of one published demand (a project, usually). A mentor who
    screens the same demand again replaces their earlier score."""

    screening_id: str
    demand_id: str
    mentor_id: str
    #: 0–100; 60 is "sound, nothing stands out"
    score: int = Field(ge=0, le=100)
    recommendation: Literal["RECOMMEND", "NEUTRAL", "NOT_RECOMMEND"]


class _MentorsEvent(Event, source="/boyin/mentors"):
    topic: ClassVar[str] = TOPIC


class ProjectScreened(_MentorsEvent, type="boyin.mentors.project.screened", schemaversion=1):
    data: Screening


class MentorSnapshot(EventData):
    """A mentor as others may know them: no contact details."""

    mentor_id: str
    account_id: str
    status: Literal["APPLIED", "INVITED", "APPROVED", "SUSPENDED", "RETIRED"]
    expertise_codes: tuple[str, ...]
    languages: tuple[str, ...]
    country: str
    timezone: str
    version: int
    revision: int


class MentorRegistered(_MentorsEvent, type="boyin.mentors.mentor.registered", schemaversion=1):
    """A mentor applied, or an operator invited one."""

    data: MentorSnapshot


class MentorApproved(_MentorsEvent, type="boyin.mentors.mentor.approved", schemaversion=1):
    data: MentorSnapshot


class MentorSuspended(_MentorsEvent, type="boyin.mentors.mentor.suspended", schemaversion=1):
    data: MentorSnapshot


class MentorRetired(_MentorsEvent, type="boyin.mentors.mentor.retired", schemaversion=1):
    data: MentorSnapshot


class MentorProfileChanged(
    _MentorsEvent, type="boyin.mentors.mentor.profile-changed", schemaversion=1
):
    data: MentorSnapshot


class Assignment(EventData):
    screening_id: str
    demand_id: str
    mentor_id: str
    due_at: datetime


class AssignmentCreated(_MentorsEvent, type="boyin.mentors.assignment.created", schemaversion=1):
    data: Assignment


class Overdue(EventData):
    screening_id: str
    demand_id: str
    mentor_id: str
    due_at: datetime
    #: past the deadline long enough for operators to act (the mentor was reminded)
    escalated: bool


class ReviewOverdue(_MentorsEvent, type="boyin.mentors.review.overdue", schemaversion=1):
    """A review passed its deadline: the mentor is reminded, later operators alerted."""

    data: Overdue


class Unrouted(EventData):
    screening_id: str
    demand_id: str
    #: how many mentors qualified (fewer than the two a screening needs)
    eligible: int


class ScreeningUnrouted(_MentorsEvent, type="boyin.mentors.screening.unrouted", schemaversion=1):
    """Fewer than two mentors qualify for a demand: operators assign by hand."""

    data: Unrouted


class Submitted(EventData):
    """A mentor's review went in (its scores stay in the service: blind review)."""

    screening_id: str
    demand_id: str
    mentor_id: str


class ScreeningSubmitted(_MentorsEvent, type="boyin.mentors.screening.submitted", schemaversion=1):
    data: Submitted


class CriterionResult(EventData):
    criterion: Literal[
        "NOVELTY_MATURITY", "MARKET_POTENTIAL", "TEAM", "CLUSTER_FIT", "READINESS_TO_LAND"
    ]
    mean: float
    spread: int


class Aggregate(EventData):
    """The mentors' reviews of a demand, aggregated: per criterion and for the total
    (5–25), the mean and the spread (highest minus lowest)."""

    screening_id: str
    demand_id: str
    reviews: int
    criteria: tuple[CriterionResult, ...]
    total_mean: float
    total_spread: int
    #: the total's mean on matching's 0–100 scale (mean criterion score × 20)
    score: int = Field(ge=0, le=100)


class ScreeningAggregated(
    _MentorsEvent, type="boyin.mentors.screening.aggregated", schemaversion=1
):
    data: Aggregate


class ConsultationSnapshot(EventData):
    consultation_id: str
    mentor_id: str
    party_id: str
    edition_id: str
    slot_id: str
    start: datetime
    end: datetime
    mode: Literal["ON_SITE", "ONLINE"]
    status: Literal["BOOKED", "HELD", "MISSED"]
    #: each side's IANA time zone (added compatibly: absent from older events)
    mentor_timezone: str | None = None
    talent_timezone: str | None = None
    #: an online consultation's address (the mentor's link)
    online_link: str | None = None


class ConsultationBooked(_MentorsEvent, type="boyin.mentors.consultation.booked", schemaversion=1):
    data: ConsultationSnapshot


class ConsultationHeld(_MentorsEvent, type="boyin.mentors.consultation.held", schemaversion=1):
    data: ConsultationSnapshot


class ConsultationMissed(_MentorsEvent, type="boyin.mentors.consultation.missed", schemaversion=1):
    data: ConsultationSnapshot


class Cancellation(EventData):
    """A consultation called off before it began: its time is free again."""

    consultation_id: str
    mentor_id: str
    party_id: str
    edition_id: str
    slot_id: str
    start: datetime
    end: datetime
    #: who called it off
    cancelled_by: Literal["TALENT", "MENTOR", "OPERATOR"]
    reason: str


class ConsultationCancelled(
    _MentorsEvent, type="boyin.mentors.consultation.cancelled", schemaversion=1
):
    data: Cancellation


class Move(ConsultationSnapshot):
    """The consultation as it is now (in its new slot), and the slot it left."""

    from_slot_id: str
    from_start: datetime
    from_end: datetime


class ConsultationMoved(_MentorsEvent, type="boyin.mentors.consultation.moved", schemaversion=1):
    data: Move
