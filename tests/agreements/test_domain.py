"""An agreement's pipeline, from a mutual match to landing, and the stage changes it
refuses (plain domain, no I/O)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal

import pytest

from boyin_agreements.agreements.domain import OPEN, Agreement
from boyin_agreements.agreements.milestones import MilestonePlan
from boyin_agreements.agreements.offers import agreement_of_match, offer_from_match
from boyin_shared.api.agreements import MilestoneKind
from boyin_shared.contracts.agreements import AgreementChange, MilestoneChange, Signing
from boyin_shared.errors import BoyinError
from tests.agreements.support import (
    DISTRICT,
    MATCH_ID,
    NOW,
    OPERATOR,
    ORG,
    SIDES,
    TALENT,
    TERMS,
    S,
    at_stage,
    check_refusal,
    drafted,
    implementing,
    intention,
    later,
    negotiating,
    refused,
    signed,
)


def test_from_a_mutual_match_to_landed() -> None:
    offered = offer_from_match(MATCH_ID, SIDES, NOW, taxonomy_codes=("C33-N01",))
    assert offered is not None
    a, [created] = offered
    assert (a.id, a.stage, a.revision) == (agreement_of_match(MATCH_ID), S.INTENTION, 1)
    assert created.type == "boyin.agreements.agreement.created"
    assert isinstance(created.data, AgreementChange)
    assert created.data.agreement.origin.kind == "MATCH"
    assert created.data.agreement.origin.match_id == MATCH_ID
    assert [p.party_id for p in created.data.agreement.parties] == ["tal_1", "org_1"]
    assert created.data.agreement.taxonomy_codes == ("C33-N01",)
    assert (created.data.from_stage, created.data.to_stage) == (None, "INTENTION")

    a, [moved] = a.advance(ORG, S.NEGOTIATING, later(1), "let us talk")
    assert moved.type == "boyin.agreements.agreement.stage_changed"
    assert isinstance(moved.data, AgreementChange)
    assert (moved.data.from_stage, moved.data.to_stage) == ("INTENTION", "NEGOTIATING")
    assert (moved.data.by, moved.data.by_role, moved.data.reason) == (
        "acc_o",
        "ORGANISATION",
        "let us talk",
    )
    a, none = a.amend(TALENT, TERMS, later(2))
    assert none == []
    a, _ = a.advance(TALENT, S.DRAFTED, later(3))
    a, waiting = a.confirm_signature(TALENT, "tal_1", later(4))
    assert waiting == [] and a.stage is S.DRAFTED
    a, [stage_changed, signed_event] = a.confirm_signature(ORG, "org_1", later(5))
    assert a.stage is S.SIGNED and a.signed_at == later(5)
    assert stage_changed.type == "boyin.agreements.agreement.stage_changed"
    assert signed_event.type == "boyin.agreements.agreement.signed"
    assert isinstance(signed_event.data, Signing)
    assert signed_event.data.match_id == MATCH_ID
    assert [(p.party_id, p.demand_id) for p in signed_event.data.parties] == [
        ("tal_1", "dem_supply"),
        ("org_1", "dem_demand"),
    ]
    assert signed_event.sequence == a.revision

    a, _ = a.advance(ORG, S.IMPLEMENTING, later(6))
    plan = MilestonePlan(MilestoneKind.COMPANY_REGISTERED, date(2027, 3, 1))
    a, _ = a.plan_milestone(TALENT, plan, later(7))
    a, [reached] = a.reach_milestone(TALENT, "ms_1", date(2027, 2, 20), later(60 * 24 * 70))
    assert reached.type == "boyin.agreements.milestone.reached"
    assert isinstance(reached.data, MilestoneChange)
    assert reached.data.milestone.reached_on == date(2027, 2, 20)
    a, [changed, landed] = a.advance(OPERATOR, S.LANDED, later(60 * 24 * 71), "company open")
    assert a.stage is S.LANDED
    assert changed.type == "boyin.agreements.agreement.stage_changed"
    assert landed.type == "boyin.agreements.agreement.landed"
    assert isinstance(landed.data, AgreementChange)
    snapshot = landed.data.agreement
    assert (snapshot.stage, snapshot.district_code, snapshot.edition_id) == (
        "LANDED",
        DISTRICT,
        "CQ2026",
    )
    assert snapshot.cooperation_type == "TECHNOLOGY_TRANSFER"
    assert snapshot.headline is not None
    assert (snapshot.headline.amount, snapshot.headline.currency) == (Decimal("15000000"), "CNY")
    assert [(x.kind, x.currency) for x in snapshot.amounts] == [
        ("CONTRACT_VALUE", "CNY"),
        ("INVESTMENT", "USD"),
    ]
    # every step is on record: who, when, why
    steps = [(t.from_stage, t.to_stage, t.by) for t in a.history]
    assert steps == [
        (None, S.INTENTION, "svc_agreements"),
        (S.INTENTION, S.NEGOTIATING, "acc_o"),
        (S.NEGOTIATING, S.DRAFTED, "acc_t"),
        (S.DRAFTED, S.SIGNED, "acc_o"),
        (S.SIGNED, S.IMPLEMENTING, "acc_o"),
        (S.IMPLEMENTING, S.LANDED, "acc_op"),
    ]
    assert a.history[-1].reason == "company open" and a.history[-1].at == later(60 * 24 * 71)


def test_the_events_carry_no_contact_details() -> None:
    _, [event] = intention().advance(ORG, S.NEGOTIATING, later(1))
    dumped = event.model_dump_json()
    for word in ("email", "phone", "contact"):
        assert word not in dumped


def test_an_event_is_ordered_by_the_revision() -> None:
    a = negotiating()
    new, [event] = a.advance(TALENT, S.DRAFTED, later(3))
    assert new.revision == a.revision + 1 == event.sequence
    assert event.subject == a.id


# -- refused stage changes -----------------------------------------------------------


@pytest.mark.parametrize(
    ("make", "to", "skipped"),
    [
        (intention, S.DRAFTED, "NEGOTIATING"),
        (intention, S.SIGNED, "NEGOTIATING, DRAFTED"),
        (negotiating, S.SIGNED, "DRAFTED"),
        (negotiating, S.LANDED, "DRAFTED, SIGNED, IMPLEMENTING"),
        (signed, S.LANDED, "IMPLEMENTING"),
    ],
)
def test_a_stage_jump_that_skips_a_step_is_refused(
    make: Callable[[], Agreement], to: S, skipped: str
) -> None:
    a = make()
    with pytest.raises(BoyinError) as raised:
        a.advance(OPERATOR, to, later(10))
    check_refusal(raised.value, "STAGE_SKIPPED", 409, "stage")
    assert skipped in raised.value.message.en and "须先经过" in raised.value.message.zh


def test_no_way_back() -> None:
    with refused("STAGE_BACKWARDS", 409, "stage"):
        drafted().advance(OPERATOR, S.NEGOTIATING, later(10))


def test_the_same_stage_again_changes_nothing() -> None:
    a = negotiating()
    assert a.advance(ORG, S.NEGOTIATING, later(10)) == (a, [])


def test_signing_is_not_a_step_anyone_takes_alone() -> None:
    """Not even an operator: the agreement is signed by its parties' confirmations."""
    with refused("SIGNATURES_MISSING", 409, "confirmations.tal_1", "confirmations.org_1"):
        drafted().advance(OPERATOR, S.SIGNED, later(10))


def test_a_draft_states_its_terms() -> None:
    a, _ = intention().advance(ORG, S.NEGOTIATING, later(1))
    with refused(
        "TERMS_INCOMPLETE", 409, "title", "cooperation_type", "district_code", "edition_id"
    ):
        a.advance(ORG, S.DRAFTED, later(2))


def test_landing_waits_for_every_required_milestone() -> None:
    with refused("MILESTONES_NOT_REACHED", 409, "milestones"):
        implementing().advance(OPERATOR, S.LANDED, later(10))
    a = implementing(date(2027, 1, 10), date(2027, 2, 10))
    a, _ = a.reach_milestone(ORG, "ms_1", date(2027, 1, 5), later(60 * 24 * 30))
    with refused("MILESTONES_NOT_REACHED", 409, "milestones.ms_2.reached_on"):
        a.advance(OPERATOR, S.LANDED, later(60 * 24 * 31))
    # a milestone not required does not hold landing up
    optional = MilestonePlan(
        MilestoneKind.STAFF_HIRED, date(2027, 2, 10), required=False, milestone_id="ms_2"
    )
    a, _ = a.plan_milestone(OPERATOR, optional, later(60 * 24 * 31))
    a, [_, landed] = a.advance(OPERATOR, S.LANDED, later(60 * 24 * 32))
    assert a.stage is S.LANDED and landed.type == "boyin.agreements.agreement.landed"


# -- termination ---------------------------------------------------------------------


@pytest.mark.parametrize("stage", OPEN)
def test_an_open_agreement_may_be_terminated_with_a_reason(stage: S) -> None:
    a = at_stage(stage)
    assert a.stage is stage
    new, [changed, terminated] = a.terminate(ORG, later(100), "the funds fell through")
    assert new.stage is S.TERMINATED
    assert terminated.type == "boyin.agreements.agreement.terminated"
    assert isinstance(terminated.data, AgreementChange)
    assert (terminated.data.from_stage, terminated.data.to_stage) == (stage.value, "TERMINATED")
    assert terminated.data.reason == "the funds fell through"
    assert changed.type == "boyin.agreements.agreement.stage_changed"
    last = new.history[-1]
    assert (last.from_stage, last.to_stage, last.by, last.at, last.reason) == (
        stage,
        S.TERMINATED,
        "acc_o",
        later(100),
        "the funds fell through",
    )


@pytest.mark.parametrize("reason", [None, "", "   "])
def test_terminating_needs_a_reason(reason: str | None) -> None:
    with refused("VALIDATION_FAILED", 422, "reason"):
        negotiating().terminate(TALENT, later(10), reason)


def test_advancing_to_terminated_is_terminating() -> None:
    with refused("VALIDATION_FAILED", 422, "reason"):
        negotiating().advance(TALENT, S.TERMINATED, later(10))
    a, events = negotiating().advance(TALENT, S.TERMINATED, later(10), "no deal")
    assert a.stage is S.TERMINATED and len(events) == 2


def landed() -> Agreement:
    a = implementing(date(2027, 1, 10))
    a, _ = a.reach_milestone(ORG, "ms_1", date(2027, 1, 5), later(60 * 24 * 30))
    a, _ = a.advance(OPERATOR, S.LANDED, later(60 * 24 * 31))
    return a


def terminated() -> Agreement:
    a, _ = negotiating().terminate(ORG, later(10), "no deal")
    return a


@pytest.mark.parametrize("make", [landed, terminated])
def test_a_closed_agreement_is_not_terminated_nor_moved(make: Callable[[], Agreement]) -> None:
    a = make()
    with refused("AGREEMENT_CLOSED", 409, "stage"):
        a.terminate(OPERATOR, later(60 * 24 * 40), "too late")
    with refused("AGREEMENT_CLOSED", 409, "stage"):
        a.advance(OPERATOR, S.INTENTION, later(60 * 24 * 40))
    with refused("AGREEMENT_CLOSED", 409, "stage"):
        a.amend(OPERATOR, TERMS, later(60 * 24 * 40))


def test_a_blank_reason_is_no_reason() -> None:
    a, [event] = intention().advance(ORG, S.NEGOTIATING, later(1), "   ")
    assert a.history[-1].reason is None
    assert isinstance(event.data, AgreementChange) and event.data.reason is None


def test_a_reason_with_a_control_character_is_refused() -> None:
    with refused("VALIDATION_FAILED", 422, "reason"):
        negotiating().terminate(ORG, later(10), "no\x07deal")
