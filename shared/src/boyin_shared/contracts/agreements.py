"""Events of the agreements service on topic ``boyin.agreements.events``.

Defined ahead of the service (contract first) so that matching can learn which matches
ended in a signed agreement.
"""

from __future__ import annotations

from datetime import datetime
from typing import ClassVar, Literal

from boyin_shared.events import Event, EventData


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


TOPIC = "boyin.agreements.events"


class _AgreementsEvent(Event, source="/boyin/agreements"):
    topic: ClassVar[str] = TOPIC


class AgreementSigned(_AgreementsEvent, type="boyin.agreements.agreement.signed", schemaversion=1):
    data: Signing
