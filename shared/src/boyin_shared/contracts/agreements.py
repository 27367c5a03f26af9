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


class _AgreementsEvent(Event):
    topic: ClassVar[str] = TOPIC
    source: Literal["/boyin/agreements"] = "/boyin/agreements"


class AgreementSigned(_AgreementsEvent):
    type: Literal["boyin.agreements.agreement.signed"] = "boyin.agreements.agreement.signed"
    schemaversion: Literal[1] = 1
    data: Signing
