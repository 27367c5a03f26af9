"""The agreements service's HTTP API: its enums (shared with its domain) and its request
and response models (one definition each): agreements, their milestones and the ceremony
roster, support policies and their evaluations.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

#: what a party of an agreement is in the registry (an investor is an organisation)
PartyKind = Literal["talent", "organisation"]
#: the files the ceremony roster is exported as: a spreadsheet, a printable page
RosterFormat = Literal["xlsx", "html"]
#: the language of an export's headings (its titles are in both)
RosterLanguage = Literal["zh", "en"]


class AgreementStage(StrEnum):
    """Where an agreement is: INTENTION → NEGOTIATING → DRAFTED → SIGNED → IMPLEMENTING →
    LANDED, or TERMINATED from any stage before LANDED."""

    INTENTION = "INTENTION"
    NEGOTIATING = "NEGOTIATING"
    DRAFTED = "DRAFTED"
    SIGNED = "SIGNED"
    IMPLEMENTING = "IMPLEMENTING"
    LANDED = "LANDED"
    TERMINATED = "TERMINATED"


class CooperationType(StrEnum):
    TECHNOLOGY_TRANSFER = "TECHNOLOGY_TRANSFER"
    LICENCE = "LICENCE"
    JOINT_RND = "JOINT_RND"
    COMMISSIONED_RND = "COMMISSIONED_RND"
    EQUITY_INVESTMENT = "EQUITY_INVESTMENT"
    LOAN_OR_CREDIT = "LOAN_OR_CREDIT"
    INCUBATION = "INCUBATION"
    EMPLOYMENT = "EMPLOYMENT"
    OFFSHORE_RND_CENTRE = "OFFSHORE_RND_CENTRE"


class PartyRole(StrEnum):
    """What a party is in an agreement: the talent (or the team it leads), an
    organisation (hosting, buying, employing), or an investor."""

    TALENT = "TALENT"
    ORGANISATION = "ORGANISATION"
    INVESTOR = "INVESTOR"


class OriginKind(StrEnum):
    """How an agreement started: offered after a mutual match or a meeting held, or
    started by hand (an operator or one of its parties)."""

    MATCH = "MATCH"
    MEETING = "MEETING"
    MANUAL = "MANUAL"


class AmountKind(StrEnum):
    """The amounts an agreement states (each with its currency)."""

    CONTRACT_VALUE = "CONTRACT_VALUE"
    INVESTMENT = "INVESTMENT"
    HORIZONTAL_RESEARCH_FUNDS = "HORIZONTAL_RESEARCH_FUNDS"
    START_UP_FUNDS = "START_UP_FUNDS"


class DocumentKind(StrEnum):
    LETTER_OF_INTENT = "LETTER_OF_INTENT"
    DRAFT_CONTRACT = "DRAFT_CONTRACT"
    SIGNED_CONTRACT = "SIGNED_CONTRACT"
    ANNEX = "ANNEX"
    OTHER = "OTHER"


class MilestoneKind(StrEnum):
    COMPANY_REGISTERED = "COMPANY_REGISTERED"
    FUNDS_RECEIVED = "FUNDS_RECEIVED"
    TEAM_ARRIVED = "TEAM_ARRIVED"
    PRODUCT_DELIVERED = "PRODUCT_DELIVERED"
    STAFF_HIRED = "STAFF_HIRED"
    OTHER = "OTHER"


# -- requests ------------------------------------------------------------------------


class _In(BaseModel):
    model_config = ConfigDict(extra="forbid", str_max_length=20000)


class TextIn(_In):
    """Text in Chinese, English or both."""

    zh: str | None = None
    en: str | None = None


class MoneyIn(_In):
    """An amount as entered: checked with its currency by the service (a missing or
    unknown currency, a negative amount are refused naming the field)."""

    amount: Decimal | None = None
    currency: str | None = None


class DocumentIn(_In):
    """A document added to the agreement; its file is in the attachment store (the
    gateway uploads it there first)."""

    attachment_id: str
    name: str
    kind: DocumentKind = DocumentKind.OTHER


class TermsIn(_In):
    title: TextIn = TextIn()
    cooperation_type: CooperationType | None = None
    amounts: dict[AmountKind, MoneyIn] = Field(default_factory=dict)
    district_code: str | None = None
    edition_id: str | None = None


class PartyIn(_In):
    kind: PartyKind
    id: str
    role: PartyRole
    demand_id: str | None = None


class StartIn(_In):
    """An agreement started by hand (an intention)."""

    parties: list[PartyIn]
    terms: TermsIn = TermsIn()
    taxonomy_codes: list[str] = Field(default_factory=list)


class AdvanceIn(_In):
    to: AgreementStage
    reason: str | None = None


class TerminateIn(_In):
    reason: str | None = None


class ConfirmIn(_In):
    """A party confirms its signature (staff name the party they record it for)."""

    party_id: str


class MilestoneIn(_In):
    kind: MilestoneKind
    due: date
    label: str | None = None
    required: bool = True
    #: plan an existing milestone anew (None: a new one)
    milestone_id: str | None = None


class ReachedIn(_In):
    reached_on: date


class FollowUpIn(_In):
    note: str


class RosterIn(_In):
    """The agreement ids on stage at the ceremony, in order."""

    order: list[str]


# -- responses -----------------------------------------------------------------------


class TextOut(BaseModel):
    zh: str | None = None
    en: str | None = None


class MoneyOut(BaseModel):
    amount: Decimal
    currency: str


class PartyOut(BaseModel):
    kind: PartyKind
    id: str
    role: PartyRole
    demand_id: str | None = None


class OriginOut(BaseModel):
    kind: OriginKind
    match_id: str | None = None
    meeting_id: str | None = None
    started_by: str | None = None


class DocumentOut(BaseModel):
    attachment_id: str
    name: str
    kind: DocumentKind


class TermsOut(BaseModel):
    title: TextOut
    cooperation_type: CooperationType | None
    amounts: dict[AmountKind, MoneyOut]
    district_code: str | None
    edition_id: str | None
    documents: list[DocumentOut]


class TransitionOut(BaseModel):
    from_stage: AgreementStage | None
    to_stage: AgreementStage
    by: str
    role: str
    at: datetime
    reason: str | None = None


class ConfirmationOut(BaseModel):
    party_id: str
    by: str
    at: datetime


class FollowUpOut(BaseModel):
    at: datetime
    by: str
    note: str


class MilestoneOut(BaseModel):
    id: str
    kind: MilestoneKind
    due: date
    label: str | None
    required: bool
    reached_on: date | None
    reached_by: str | None
    follow_ups: list[FollowUpOut]
    overdue_announced: bool


class AgreementOut(BaseModel):
    id: str
    parties: list[PartyOut]
    origin: OriginOut
    terms: TermsOut
    stage: AgreementStage
    history: list[TransitionOut]
    confirmations: list[ConfirmationOut]
    #: the parties whose confirmation is still missing
    unconfirmed: list[str]
    milestones: list[MilestoneOut]
    taxonomy_codes: list[str]
    signed_at: datetime | None
    revision: int


class AgreementPage(BaseModel):
    items: list[AgreementOut]
    #: pass as ``after`` for the next page (None: the last page)
    next_after: str | None


class RosterRowOut(BaseModel):
    order: int
    agreement_id: str
    parties: list[TextOut]
    title: TextOut
    cooperation_type: CooperationType | None
    headline: str | None


class OverdueOut(BaseModel):
    announced: int


# -- support policies ----------------------------------------------------------------


class FactOut(BaseModel):
    """A fact conditions and formulas may read (``agreement.*`` or ``party.*``)."""

    name: str
    kind: str
    label: TextOut
    values: list[str]
    unit: str | None


class PolicyIn(_In):
    """A support policy as data: its CEL condition and amount formula are compiled and
    checked against the declared facts when it is saved. The seed data's shape."""

    id: str
    version: int
    title: dict[str, Any]
    issuer: dict[str, Any]
    scope: str
    effective_from: date
    effective_until: date | None = None
    condition: str
    outcome: dict[str, Any]
    evidence: list[dict[str, Any]] = Field(default_factory=list)
    exclusive_group: str | None = None


class PolicyOut(BaseModel):
    id: str
    version: int
    title: TextOut
    issuer_level: str
    issuer: TextOut
    scope: str
    effective_from: date
    effective_until: date | None
    condition: str
    amount: str | None
    cap: Decimal | None
    eligibility: TextOut
    note: TextOut
    exclusive_group: str | None


class PolicyRefOut(BaseModel):
    id: str
    version: int


class EvidenceOut(BaseModel):
    key: str
    title: TextOut


class PolicyResultOut(BaseModel):
    policy: PolicyRefOut
    level: str
    party_id: str | None
    verdict: str
    reasons: list[TextOut]
    failed_clauses: list[str]
    missing_facts: list[str]
    eligibility: TextOut
    note: TextOut
    amount: Decimal | None
    computed: Decimal | None
    capped: bool
    missing_evidence: list[EvidenceOut]
    counted: bool
    superseded_by: PolicyRefOut | None


class SupportOut(BaseModel):
    party_id: str | None
    total: Decimal
    by_level: dict[str, Decimal]
    policies: list[PolicyRefOut]


class PartyFactsIn(_In):
    """What the caller states about a party for an evaluation (what the agreements
    service does not know itself: leading a national project, the funds...). A fact left
    out stays unknown: the policies reading it answer MISSING_FACTS."""

    party_id: str
    facts: dict[str, bool | Decimal | str] = Field(default_factory=dict)
    documents: list[str] = Field(default_factory=list)


class EvaluateIn(_In):
    #: the day the policies are read on (None: today)
    on: date | None = None
    parties: list[PartyFactsIn] = Field(default_factory=list)


class EvaluationOut(BaseModel):
    id: str
    agreement_id: str
    on: date
    at: datetime
    by: str
    #: the policy versions used (what makes it reproducible)
    policies: list[PolicyRefOut]
    results: list[PolicyResultOut]
    support: list[SupportOut]
    total: Decimal
