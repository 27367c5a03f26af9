"""Events of the agreements service on topic ``boyin.agreements.events``.

``AgreementSigned`` was defined ahead of the service (contract first) so that matching can
learn which matches ended in a signed agreement; its data stays as it was.

Every other event carries the agreement as it now is (``AgreementSnapshot``): its parties
by id only (contact details never travel in events), origin, district, cooperation type,
edition, amounts with the headline figure, and stage, so that a subscriber (investors' and
district officers' feeds, matching's feedback, the funnel report) needs no call back. The
subject is the agreement's id and ``sequence`` its revision after the change; one change
may publish several events with the same sequence (signing publishes
``AgreementStageChanged`` and ``AgreementSigned``; landing and termination likewise
publish the stage change and their own event).
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import ClassVar, Literal

from boyin_shared.contracts.common import LocalizedText
from boyin_shared.events import Event, EventData

Stage = Literal[
    "INTENTION", "NEGOTIATING", "DRAFTED", "SIGNED", "IMPLEMENTING", "LANDED", "TERMINATED"
]


class AgreementParty(EventData):
    party_kind: Literal["talent", "organisation"]
    party_id: str
    demand_id: str | None = None


class Signing(EventData):
    agreement_id: str
    #: the match the agreement grew from, when it did
    match_id: str | None
    parties: tuple[AgreementParty, ...]
    signed_at: datetime


class AgreementMember(EventData):
    """A party of an agreement and its role in it (an investor is an organisation)."""

    party_kind: Literal["talent", "organisation"]
    party_id: str
    role: Literal["TALENT", "ORGANISATION", "INVESTOR"]
    demand_id: str | None = None


class AgreementOrigin(EventData):
    """How the agreement started: after a mutual match, after a meeting held (which may
    itself come from a match), or by hand."""

    kind: Literal["MATCH", "MEETING", "MANUAL"]
    match_id: str | None
    meeting_id: str | None


class Amount(EventData):
    #: a decimal string in JSON (``"1500000.00"``), never a float
    amount: Decimal
    #: ISO 4217 (``CNY``, ``USD``, ...)
    currency: str


class AgreementAmount(EventData):
    kind: Literal["CONTRACT_VALUE", "INVESTMENT", "HORIZONTAL_RESEARCH_FUNDS", "START_UP_FUNDS"]
    amount: Decimal
    currency: str


class AgreementSnapshot(EventData):
    agreement_id: str
    stage: Stage
    parties: tuple[AgreementMember, ...]
    origin: AgreementOrigin
    title: LocalizedText
    #: one of the service's cooperation types (``TECHNOLOGY_TRANSFER``, ``LICENCE``, ...)
    cooperation_type: str | None
    #: the district where the project lands
    district_code: str | None
    edition_id: str | None
    #: the taxonomy codes of the demands it grew from (for feeds filtered by cluster)
    taxonomy_codes: tuple[str, ...]
    #: the figure shown for the agreement: the contract value, else the investment, else
    #: the horizontal research funds, else the start-up funds
    headline: Amount | None
    amounts: tuple[AgreementAmount, ...]
    signed_at: datetime | None
    revision: int


class AgreementChange(EventData):
    """An agreement created or moved to another stage: from where, by whom, why."""

    agreement: AgreementSnapshot
    #: None when the agreement was created
    from_stage: Stage | None
    to_stage: Stage
    #: the account that made the change (a service's own id when no person did)
    by: str
    by_role: str
    reason: str | None = None
    at: datetime


class MilestoneSnapshot(EventData):
    milestone_id: str
    #: one of the service's milestone kinds (``COMPANY_REGISTERED``, ``FUNDS_RECEIVED``, ...)
    kind: str
    #: what an ``OTHER`` milestone is
    label: str | None
    due: date
    reached_on: date | None
    #: whether landing waits for it
    required: bool


class MilestoneChange(EventData):
    agreement: AgreementSnapshot
    milestone: MilestoneSnapshot
    by_role: str


TOPIC = "boyin.agreements.events"


class _AgreementsEvent(Event, source="/boyin/agreements"):
    topic: ClassVar[str] = TOPIC


class AgreementCreated(
    _AgreementsEvent, type="boyin.agreements.agreement.created", schemaversion=1
):
    """An intention offered to the parties (after a match or a meeting), or an agreement
    started by hand: ``agreement.origin`` says which."""

    data: AgreementChange


class AgreementStageChanged(
    _AgreementsEvent, type="boyin.agreements.agreement.stage_changed", schemaversion=1
):
    """Every change of stage, signing, landing and termination included."""

    data: AgreementChange


class AgreementSigned(_AgreementsEvent, type="boyin.agreements.agreement.signed", schemaversion=1):
    data: Signing


class AgreementLanded(_AgreementsEvent, type="boyin.agreements.agreement.landed", schemaversion=1):
    data: AgreementChange


class AgreementTerminated(
    _AgreementsEvent, type="boyin.agreements.agreement.terminated", schemaversion=1
):
    data: AgreementChange


class MilestoneReached(
    _AgreementsEvent, type="boyin.agreements.milestone.reached", schemaversion=1
):
    data: MilestoneChange


class MilestoneOverdue(
    _AgreementsEvent, type="boyin.agreements.milestone.overdue", schemaversion=1
):
    """A milestone past its due date and not reached: announced once (again only after
    its due date is moved and passes again)."""

    data: MilestoneChange
