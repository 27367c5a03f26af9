"""Signing: every party confirms its own signature of the draft, the last confirmation
signs, a second confirmation changes nothing, and changed terms or parties clear the
confirmations given so far."""

from __future__ import annotations

from decimal import Decimal

import pytest

from boyin_agreements.agreements.parties import Party
from boyin_shared.api.agreements import AmountKind, CooperationType, MoneyIn, PartyRole
from boyin_shared.contracts.agreements import Signing
from tests.agreements.support import (
    INVESTOR,
    OPERATOR,
    ORG,
    SIDES,
    STRANGER,
    TALENT,
    TERMS,
    S,
    drafted,
    later,
    negotiating,
    refused,
    signed,
)

VC = Party("organisation", "org_vc", PartyRole.INVESTOR)


def test_the_last_confirmation_signs() -> None:
    a, none = drafted().confirm_signature(ORG, "org_1", later(4))
    assert none == [] and a.stage is S.DRAFTED and a.signed_at is None
    assert a.confirmed == ("org_1",) and a.unconfirmed == ("tal_1",)
    a, events = a.confirm_signature(TALENT, "tal_1", later(5))
    assert a.stage is S.SIGNED and a.signed_at == later(5)
    assert [e.type for e in events] == [
        "boyin.agreements.agreement.stage_changed",
        "boyin.agreements.agreement.signed",
    ]
    assert isinstance(events[1].data, Signing) and events[1].data.signed_at == later(5)


def test_every_party_confirms_investors_too() -> None:
    a, _ = negotiating().change_parties(OPERATOR, (*SIDES, VC), later(3))
    a, _ = a.advance(ORG, S.DRAFTED, later(4))
    a, _ = a.confirm_signature(TALENT, "tal_1", later(5))
    a, none = a.confirm_signature(ORG, "org_1", later(6))
    assert none == [] and a.stage is S.DRAFTED and a.unconfirmed == ("org_vc",)
    a, events = a.confirm_signature(INVESTOR, "org_vc", later(7))
    assert a.stage is S.SIGNED
    assert isinstance(events[1].data, Signing)
    assert [p.party_id for p in events[1].data.parties] == ["tal_1", "org_1", "org_vc"]


def test_confirming_twice_changes_nothing() -> None:
    a, _ = drafted().confirm_signature(ORG, "org_1", later(4))
    assert a.confirm_signature(ORG, "org_1", later(5)) == (a, [])
    done = signed()
    assert done.confirm_signature(TALENT, "tal_1", later(9)) == (done, [])


def test_a_party_confirms_only_its_own_signature() -> None:
    with refused("FORBIDDEN", 403):
        drafted().confirm_signature(TALENT, "org_1", later(4))
    with refused("FORBIDDEN", 403):
        drafted().confirm_signature(STRANGER, "org_9", later(4))


def test_staff_record_a_party_s_confirmation() -> None:
    a, _ = drafted().confirm_signature(OPERATOR, "org_1", later(4))
    assert a.confirmations[0].party_id == "org_1" and a.confirmations[0].by == "acc_op"


def test_only_a_party_confirms() -> None:
    with refused("VALIDATION_FAILED", 422, "party_id"):
        drafted().confirm_signature(OPERATOR, "org_9", later(4))


def test_only_a_draft_is_confirmed() -> None:
    with refused("WRONG_STAGE", 409, "stage"):
        negotiating().confirm_signature(ORG, "org_1", later(4))


@pytest.mark.parametrize(
    "change",
    [
        {
            "amounts": {
                AmountKind.CONTRACT_VALUE: MoneyIn(amount=Decimal("16000000"), currency="CNY")
            }
        },
        {"cooperation_type": CooperationType.LICENCE},
    ],
    ids=["amounts", "type"],
)
def test_changed_terms_clear_the_confirmations(change: dict[str, object]) -> None:
    a, _ = drafted().confirm_signature(ORG, "org_1", later(4))
    a, events = a.amend(TALENT, TERMS.model_copy(update=change), later(5))
    assert events == [] and a.confirmations == () and a.stage is S.DRAFTED
    assert a.confirmations_reset is not None
    assert (a.confirmations_reset.by, a.confirmations_reset.at) == ("acc_t", later(5))
    assert a.confirmations_reset.parties == ("org_1",)
    # both confirm again: the first one alone does not sign any more
    a, none = a.confirm_signature(TALENT, "tal_1", later(6))
    assert none == [] and a.stage is S.DRAFTED


def test_the_same_terms_again_clear_nothing() -> None:
    a, _ = drafted().confirm_signature(ORG, "org_1", later(4))
    assert a.amend(TALENT, TERMS, later(5)) == (a, [])


def test_changed_parties_clear_the_confirmations() -> None:
    a, _ = drafted().confirm_signature(ORG, "org_1", later(4))
    a, _ = a.change_parties(OPERATOR, (*SIDES, VC), later(5))
    assert a.confirmations == () and a.confirmations_reset is not None
    assert a.unconfirmed == ("tal_1", "org_1", "org_vc")


def test_a_draft_keeps_what_a_draft_needs() -> None:
    with refused("VALIDATION_FAILED", 422, "cooperation_type"):
        drafted().amend(TALENT, TERMS.model_copy(update={"cooperation_type": None}), later(5))


def test_signed_terms_and_parties_do_not_change() -> None:
    with refused("TERMS_SIGNED", 409, "stage"):
        signed().amend(OPERATOR, TERMS, later(10))
    with refused("TERMS_SIGNED", 409, "stage"):
        signed().change_parties(OPERATOR, (*SIDES, VC), later(10))
