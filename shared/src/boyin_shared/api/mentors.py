"""The mentors service's HTTP API: its enums (shared with its domain) and its request and
response models: mentors and their profiles, screenings (routing, the rubric, the
aggregated result).

Scores are plain integers here: the domain checks them against the rubric, so a score
outside it is refused with the rubric's own code, in both languages.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field


class MentorStatus(StrEnum):
    """APPLIED (by the mentor) or INVITED (by an operator) → APPROVED ⇄ SUSPENDED; any of
    them → RETIRED (final)."""

    APPLIED = "APPLIED"
    INVITED = "INVITED"
    APPROVED = "APPROVED"
    SUSPENDED = "SUSPENDED"
    RETIRED = "RETIRED"


class Criterion(StrEnum):
    """The screening rubric: each criterion scored 1–5 with a comment."""

    NOVELTY_MATURITY = "NOVELTY_MATURITY"
    MARKET_POTENTIAL = "MARKET_POTENTIAL"
    TEAM = "TEAM"
    CLUSTER_FIT = "CLUSTER_FIT"
    READINESS_TO_LAND = "READINESS_TO_LAND"


class ScreeningStatus(StrEnum):
    """IN_REVIEW (assigned, scores coming), NEEDS_THIRD_REVIEW (the reviews disagree: one
    more is assigned), AGGREGATED (the result is out), NO_ELIGIBLE_MENTOR (fewer than two
    mentors qualify: an operator assigns by hand)."""

    IN_REVIEW = "IN_REVIEW"
    NEEDS_THIRD_REVIEW = "NEEDS_THIRD_REVIEW"
    AGGREGATED = "AGGREGATED"
    NO_ELIGIBLE_MENTOR = "NO_ELIGIBLE_MENTOR"


class AssignmentState(StrEnum):
    OPEN = "OPEN"
    SUBMITTED = "SUBMITTED"
    #: an operator moved it to another mentor
    WITHDRAWN = "WITHDRAWN"


class TextIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    zh: str | None = None
    en: str | None = None


class TextOut(BaseModel):
    zh: str | None
    en: str | None


class WindowIn(BaseModel):
    """A weekly availability window in the mentor's own time zone (weekday 0 = Monday)."""

    model_config = ConfigDict(extra="forbid")
    weekday: int
    start: str  # HH:MM
    end: str  # HH:MM


class WindowOut(BaseModel):
    weekday: int
    start: str
    end: str


class ConflictsIn(BaseModel):
    """Declared conflicts of interest: organisation and person ids of the registry (or
    names), and competing interests in words (matched against a demand's keywords)."""

    model_config = ConfigDict(extra="forbid")
    organisations: list[str] = Field(default_factory=list, max_length=100)
    people: list[str] = Field(default_factory=list, max_length=100)
    interests: list[str] = Field(default_factory=list, max_length=100)


class ConflictsOut(BaseModel):
    organisations: list[str]
    people: list[str]
    interests: list[str]


class ProfileIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: str
    expertise_codes: list[str] = Field(default_factory=list, max_length=50)
    expertise: TextIn = Field(default_factory=TextIn)
    languages: list[str] = Field(default_factory=list, max_length=20)
    country: str = ""
    timezone: str = ""
    organisation_id: str | None = None
    organisation_name: str | None = None
    availability: list[WindowIn] = Field(default_factory=list, max_length=50)
    max_open_reviews: int = 5
    conflicts: ConflictsIn = Field(default_factory=ConflictsIn)
    #: consultations a day at most (1–16)
    max_consultations_per_day: int = 4
    #: where online consultations are held (an https address; none: on site only)
    online_link: str | None = None


class ProfileOut(BaseModel):
    name: str
    expertise_codes: list[str]
    expertise: TextOut
    languages: list[str]
    country: str
    timezone: str
    organisation_id: str | None
    organisation_name: str | None
    availability: list[WindowOut]
    max_open_reviews: int
    conflicts: ConflictsOut
    max_consultations_per_day: int
    online_link: str | None


class InviteIn(BaseModel):
    """An operator invites the person behind ``account_id`` (a MENTOR account)."""

    model_config = ConfigDict(extra="forbid")
    account_id: str
    profile: ProfileIn


class DecisionIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    reason: str | None = Field(default=None, max_length=2000)


class TransitionOut(BaseModel):
    from_status: MentorStatus | None
    to_status: MentorStatus
    by: str
    at: datetime
    reason: str | None


class ProfileVersionOut(BaseModel):
    version: int
    at: datetime
    by: str
    profile: ProfileOut


class MentorOut(BaseModel):
    id: str
    account_id: str
    status: MentorStatus
    profile: ProfileOut
    version: int
    history: list[TransitionOut]


class MentorDetailOut(MentorOut):
    versions: list[ProfileVersionOut]


class MentorPage(BaseModel):
    items: list[MentorOut]
    next_after: str | None


# -- screening ------------------------------------------------------------------------


class ScoreIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    score: int
    comment: str = ""


class SubmitIn(BaseModel):
    """One mentor's review: every criterion of the rubric, each scored with a comment."""

    model_config = ConfigDict(extra="forbid")
    scores: dict[str, ScoreIn]


class ReassignIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    from_mentor_id: str | None = None
    to_mentor_id: str
    reason: str | None = Field(default=None, max_length=2000)


class ScoreOut(BaseModel):
    criterion: Criterion
    score: int
    comment: str


class ReviewOut(BaseModel):
    mentor_id: str
    submitted_at: datetime
    scores: list[ScoreOut]
    total: int


class AssignmentOut(BaseModel):
    mentor_id: str
    state: AssignmentState
    assigned_at: datetime
    due_at: datetime
    reminded_at: datetime | None
    escalated_at: datetime | None
    relevance: float | None


class CriterionResultOut(BaseModel):
    criterion: Criterion
    mean: float
    spread: int


class ResultOut(BaseModel):
    """The aggregated result: the mean and the spread (highest minus lowest) of each
    criterion and of the total (5–25), over ``reviews`` reviews."""

    reviews: int
    criteria: list[CriterionResultOut]
    total_mean: float
    total_spread: int
    aggregated_at: datetime


class DemandOut(BaseModel):
    """The demand as mentors see it: its content only (no owner, no contact details)."""

    demand_id: str
    title: TextOut
    description: TextOut
    language: str
    taxonomy_codes: list[str]
    keywords: list[str]


class ScreeningOut(BaseModel):
    """A screening as operators see it (the routing board): everything."""

    id: str
    demand: DemandOut
    owner_id: str
    status: ScreeningStatus
    ranked_by: str
    assignments: list[AssignmentOut]
    reviews: list[ReviewOut]
    result: ResultOut | None


class TaskOut(BaseModel):
    """A screening as an assigned mentor sees it: the demand's content, their own
    assignment and review, and the others' reviews only once their own is in."""

    screening_id: str
    demand: DemandOut
    assignment: AssignmentOut
    own_review: ReviewOut | None
    other_reviews: list[ReviewOut]


class ScreeningPage(BaseModel):
    items: list[ScreeningOut]
    next_after: str | None


# -- consultations --------------------------------------------------------------------


class ConsultationStatus(StrEnum):
    BOOKED = "BOOKED"
    HELD = "HELD"
    MISSED = "MISSED"
    CANCELLED = "CANCELLED"


class ConsultationMode(StrEnum):
    ON_SITE = "ON_SITE"
    ONLINE = "ONLINE"


class BookIn(BaseModel):
    """A talent books a mentor for one of the edition's slots (scheduling's grid) that
    falls in the mentor's office hours, when the talent is free (their meetings and
    sessions in scheduling, their other consultations) and the mentor's day is not full;
    on site only for a talent at the fair, online only with a mentor's link."""

    model_config = ConfigDict(extra="forbid")
    edition_id: str
    slot_id: str
    mode: ConsultationMode = ConsultationMode.ONLINE
    topic: str = ""


class OutcomeIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    outcome: ConsultationStatus


class CancelIn(BaseModel):
    """Call a consultation off before it begins (the talent, the mentor or an operator),
    saying why."""

    model_config = ConfigDict(extra="forbid")
    reason: str


class MoveIn(BaseModel):
    """Move a consultation, before it begins, to another of the edition's slots, checked
    as a booking is (the mentor's office hours and day, the talent's agenda, the mode)."""

    model_config = ConfigDict(extra="forbid")
    slot_id: str


class NoteIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    text: str


class NoteOut(BaseModel):
    by: str
    at: datetime
    text: str


class ConsultationOut(BaseModel):
    id: str
    mentor_id: str
    party_id: str
    edition_id: str
    slot_id: str
    start: datetime
    end: datetime
    mode: ConsultationMode
    #: each side's time zone and the start in it (each is shown their own)
    mentor_timezone: str
    mentor_start: datetime
    talent_timezone: str
    talent_start: datetime
    #: where an online consultation is held (the mentor's link); null on site
    online_link: str | None
    topic: str
    status: ConsultationStatus
    notes: list[NoteOut]
    #: a cancelled one's: who called it off (TALENT, MENTOR or OPERATOR) and why
    cancelled_by: str | None = None
    cancel_reason: str | None = None
