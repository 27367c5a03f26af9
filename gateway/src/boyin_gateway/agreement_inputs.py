"""GraphQL inputs of agreements and support evaluations, and how one is sent as the
service's JSON (:func:`terms_body`, :func:`facts_body`; the rest as :func:`body_of` sends
any input).

Written by hand where the request model holds a map (amounts by kind, facts by name),
which GraphQL shows as a list of entries; the service, not the gateway, validates a body
(a missing currency, a negative amount: its refusal is the caller's ``InvalidInput``).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import strawberry

from boyin_gateway.agreement_enums import (
    AgreementStage,
    AmountKind,
    CooperationType,
    MilestoneKind,
    PartyRole,
)
from boyin_gateway.schedule_inputs import TextInput, body_of


@strawberry.input(description="Which agreements to list (all given must hold).")
class AgreementFilter:
    stage: AgreementStage | None = None
    district_code: str | None = None
    edition_id: strawberry.ID | None = None
    party_id: strawberry.ID | None = None


@strawberry.input
class AgreementPartyInput:
    kind: str = strawberry.field(description="talent or organisation (an investor is one).")
    id: strawberry.ID
    role: PartyRole
    demand_id: strawberry.ID | None = None


@strawberry.input(description="An amount with its currency (e.g. CNY).")
class AgreementAmountInput:
    kind: AmountKind
    amount: Decimal | None = None
    currency: str | None = None


@strawberry.input(
    description="What an agreement says (amending replaces all of it but its documents, "
    "which addAgreementDocument and removeAgreementDocument change one by one)."
)
class AgreementTermsInput:
    title: TextInput | None = None
    cooperation_type: CooperationType | None = None
    amounts: list[AgreementAmountInput] = strawberry.field(default_factory=list)
    district_code: str | None = None
    edition_id: strawberry.ID | None = None


@strawberry.input(description="An agreement started by hand (an intention).")
class StartAgreementInput:
    parties: list[AgreementPartyInput]
    terms: AgreementTermsInput | None = None
    taxonomy_codes: list[str] = strawberry.field(default_factory=list)


@strawberry.input(description="A milestone planned (anew, with milestoneId).")
class MilestoneInput:
    kind: MilestoneKind
    due: date
    label: str | None = None
    required: bool = True
    milestone_id: strawberry.ID | None = None


@strawberry.input(description="A fact about a party; give exactly one of its values.")
class FactInput:
    name: str
    boolean: bool | None = None
    number: Decimal | None = None
    text: str | None = None


@strawberry.input(description="What the caller states about a party for an evaluation.")
class PartyFactsInput:
    party_id: strawberry.ID
    facts: list[FactInput] = strawberry.field(default_factory=list)
    documents: list[str] = strawberry.field(default_factory=list)


def terms_body(terms: AgreementTermsInput | None) -> dict[str, Any]:
    """Terms as the service's ``TermsIn``: the amounts by kind."""
    if terms is None:
        return {}
    body: dict[str, Any] = body_of(terms)
    body["amounts"] = {
        a.kind.value: body_of({"amount": a.amount, "currency": a.currency}) for a in terms.amounts
    }
    return body


def facts_body(parties: list[PartyFactsInput]) -> list[dict[str, Any]]:
    """The parties' facts as the service's ``PartyFactsIn``: each fact by name."""
    return [
        {
            "party_id": str(p.party_id),
            "facts": body_of({f.name: _value(f) for f in p.facts}),
            "documents": list(p.documents),
        }
        for p in parties
    ]


def _value(fact: FactInput) -> bool | Decimal | str | None:
    if fact.boolean is not None:
        return fact.boolean
    if fact.number is not None:
        return fact.number
    return fact.text
