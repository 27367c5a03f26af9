"""The matching service's HTTP API: its request and response models, and the enums the
service's domain shares with them.

The status, answer, source and job-state fields of the responses are plain strings in the
OpenAPI document (as they have always been); their values are the enums below, which the
service's domain uses too, so each value is written once.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field


class MatchStatus(StrEnum):
    """Where a proposed match stands. DECLINED is shown as PROPOSED to the other side."""

    PROPOSED = "PROPOSED"
    MUTUAL = "MUTUAL"
    DECLINED = "DECLINED"
    WITHDRAWN = "WITHDRAWN"


class Answer(StrEnum):
    """One side's answer to a proposed match."""

    YES = "YES"
    NO = "NO"


class ProposalSource(StrEnum):
    """Who proposed a match: a demand's ranking, or an operator by hand."""

    AUTO = "auto"
    OPERATOR = "operator"


class JobState(StrEnum):
    """The rematch job's state."""

    IDLE = "idle"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"


# -- the pool ----------------------------------------------------------------------


class CounterpartOut(BaseModel):
    id: str
    kind: str
    name_zh: str | None
    name_en: str | None
    district_code: str | None
    taxonomy_codes: list[str]
    revision: int


class DistrictSupplyOut(BaseModel):
    district_code: str
    organisations: int


# -- matches -----------------------------------------------------------------------


class ExplanationLineOut(BaseModel):
    """One line of an explanation: a sentence in each language, and what it says for
    machines (an UPPER_SNAKE code such as ``SAME_CLUSTER`` or ``BUDGET_BELOW_SOUGHT``)."""

    code: str
    zh: str
    en: str


class ExplanationOut(BaseModel):
    #: what fits, strongest first
    reasons: list[ExplanationLineOut]
    #: what does not fit, and cautions (a budget below the funding sought, no common language)
    mismatches: list[ExplanationLineOut]
    #: operators only: congestion control held this candidate back
    capped_note: dict[str, str] | None = None
    #: operators only: the counterpart missed meetings at the fair (its scores are lowered)
    reliability_note: dict[str, str] | None = None


class AgreementOut(BaseModel):
    agreement_id: str
    signed_at: str


class MeetingOutcomeOut(BaseModel):
    meeting_id: str
    outcome: str  # HELD | NO_SHOW
    absent: list[str]


class MatchOut(BaseModel):
    match_id: str
    demand_id: str  # the viewer's demand
    counterpart_demand_id: str
    counterpart_kind: str
    counterpart_party_id: str
    score: float
    #: the score reaches the calibrated threshold of a good match; a list none of whose
    #: matches does says "no good match yet"
    good_match: bool
    #: a MatchStatus: PROPOSED, MUTUAL or (answering an operator's withdrawal) WITHDRAWN;
    #: DECLINED is shown as PROPOSED
    status: str
    my_response: str | None  # an Answer
    source: str  # a ProposalSource
    explanation: ExplanationOut | None
    #: the meeting the two had at the fair, once its outcome is recorded
    meeting: MeetingOutcomeOut | None = None
    #: the agreement the match led to, once signed
    agreement: AgreementOut | None = None


class RespondIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    interested: bool


class ReviewIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    note: str | None = Field(default=None, max_length=2000)
    withdraw: bool = False


class ManualIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    demand_id: str
    counterpart_demand_id: str
    note: str = Field(min_length=1, max_length=2000)


# -- the rematch job -----------------------------------------------------------------


class NoGoodMatchOut(BaseModel):
    """A published demand whose list has no good match yet (operators' queue)."""

    demand_id: str
    channel: str  # a registry Channel
    owner_id: str
    #: the best score on its list (None: nobody to propose yet)
    best_score: float | None


class JobOut(BaseModel):
    state: str  # a JobState
    total: int
    done: int
    error: str | None


# -- relevance (for other services) ----------------------------------------------------


#: what one relevance call may ask: each text is encoded on the service's one encoder
#: thread, so the bounds keep a call's work (and its answer time) bounded
RELEVANCE_QUERY_MAX = 20_000
RELEVANCE_CANDIDATES_MAX = 100
RELEVANCE_CANDIDATE_MAX = 4_000


class RelevanceIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    query: str = Field(min_length=1, max_length=RELEVANCE_QUERY_MAX)
    candidates: list[Annotated[str, Field(max_length=RELEVANCE_CANDIDATE_MAX)]] = Field(
        max_length=RELEVANCE_CANDIDATES_MAX
    )


class RelevanceOut(BaseModel):
    """One score per candidate, 0–1, in the order asked."""

    scores: list[float]
