"""How agreements start: an intention offered after a mutual match or a meeting held
(never a signed agreement), or started by hand with parties and terms checked."""

from __future__ import annotations

from decimal import Decimal

import pytest

from boyin_agreements.agreements.offers import (
    agreement_of_match,
    agreement_of_meeting,
    offer_from_match,
    offer_from_meeting,
    start,
)
from boyin_agreements.agreements.parties import Party
from boyin_shared.api.agreements import AmountKind, MoneyIn, OriginKind, PartyRole, TermsIn, TextIn
from boyin_shared.contracts.agreements import AgreementChange
from tests.agreements.support import MATCH_ID, NOW, OPERATOR, SIDES, TALENT, TERMS, S, refused

TALENT_SIDE, ORG_SIDE = SIDES


def test_a_match_offers_an_intention_never_a_signature() -> None:
    offered = offer_from_match(MATCH_ID, SIDES, NOW)
    assert offered is not None
    a, events = offered
    assert a.stage is S.INTENTION and a.signed_at is None and a.confirmations == ()
    assert [e.type for e in events] == ["boyin.agreements.agreement.created"]
    assert a.parties == (
        Party("talent", "tal_1", PartyRole.TALENT, "dem_supply"),
        Party("organisation", "org_1", PartyRole.ORGANISATION, "dem_demand"),
    )
    assert (a.history[0].by, a.history[0].role.value) == ("svc_agreements", "SERVICE")


def test_a_redelivered_match_offers_the_same_agreement() -> None:
    first = offer_from_match(MATCH_ID, SIDES, NOW)
    again = offer_from_match(MATCH_ID, SIDES, NOW)
    assert first is not None and again is not None
    assert first[0].id == again[0].id == agreement_of_match(MATCH_ID)


def test_a_meeting_from_a_match_offers_the_match_s_agreement() -> None:
    offered = offer_from_meeting("mt_1", SIDES, NOW, match_id=MATCH_ID)
    assert offered is not None
    a, [created] = offered
    assert a.id == agreement_of_match(MATCH_ID)
    assert (a.origin.kind, a.origin.meeting_id, a.origin.match_id) == (
        OriginKind.MEETING,
        "mt_1",
        MATCH_ID,
    )
    assert isinstance(created.data, AgreementChange)
    assert created.data.agreement.origin.kind == "MEETING"


def test_a_meeting_of_its_own_offers_its_own_agreement() -> None:
    sides = (Party.side("talent", "tal_1"), Party.side("organisation", "org_1"))
    offered = offer_from_meeting("mt_2", sides, NOW, terms=TermsIn(edition_id="CQ2026"))
    assert offered is not None
    a, _ = offered
    assert a.id == agreement_of_meeting("mt_2") and a.origin.match_id is None
    assert a.terms.edition_id == "CQ2026"


@pytest.mark.parametrize(
    "sides",
    [
        (Party.side("talent", "tal_1"), Party.side("talent", "tal_2")),
        (Party.side("organisation", "org_1"), Party.side("organisation", "org_1")),
    ],
    ids=["two talents", "one party on both sides"],
)
def test_a_match_that_cannot_be_an_agreement_offers_nothing(sides: tuple[Party, Party]) -> None:
    assert offer_from_match("m", sides, NOW) is None
    assert offer_from_meeting("mt", sides, NOW) is None


def test_two_organisations_make_an_agreement() -> None:
    sides = (Party.side("organisation", "org_uni"), Party.side("organisation", "org_co"))
    assert offer_from_match("m", sides, NOW) is not None


def test_started_by_hand() -> None:
    a, [created] = start(OPERATOR, "ag_1", SIDES, TERMS, NOW)
    assert (a.id, a.stage, a.origin.kind, a.origin.started_by) == (
        "ag_1",
        S.INTENTION,
        OriginKind.MANUAL,
        "acc_op",
    )
    assert a.terms.amounts.investment is not None
    assert a.terms.amounts.investment.currency == "USD"
    assert isinstance(created.data, AgreementChange)
    assert created.data.by == "acc_op" and created.data.agreement.origin.kind == "MANUAL"


def test_every_bad_party_and_term_is_named_at_once() -> None:
    parties = (
        Party("talent", "tal_1", PartyRole.TALENT),
        Party("talent", "tal_2", PartyRole.TALENT),
        Party("talent", "tal_1", PartyRole.INVESTOR),
    )
    terms = TermsIn(
        title=TextIn(zh="第一行\n第二行"),
        amounts={AmountKind.CONTRACT_VALUE: MoneyIn(amount=Decimal("-1"), currency=None)},
    )
    with refused(
        "VALIDATION_FAILED",
        422,
        "parties.2.id",
        "parties.2.role",
        "parties",
        "parties",
        "title.zh",
        "amounts.contract_value.amount",
        "amounts.contract_value.currency",
    ):
        start(OPERATOR, "ag_1", parties, terms, NOW)


def test_an_agreement_needs_an_organisation_and_two_parties() -> None:
    with refused("VALIDATION_FAILED", 422, "parties", "parties"):
        start(TALENT, "ag_1", (TALENT_SIDE,), TermsIn(), NOW)
    investor_only = (TALENT_SIDE, Party("organisation", "org_vc", PartyRole.INVESTOR))
    with refused("VALIDATION_FAILED", 422, "parties"):
        start(TALENT, "ag_1", investor_only, TermsIn(), NOW)
